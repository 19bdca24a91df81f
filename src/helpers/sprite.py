"""SPRITE: integer samples consistent with a published mean, SD, n and scale.

Heathers, Anaya, van der Zee & Brown (2018, PeerJ Preprints 6:e26968). No maintained Python
package implements it (rsprite2 is R), hence this module. Samples live on the scale's grid
(``value = scale_min + step * y`` with integer ``y`` from 0 to ``top``); each starts at a sum that
prints as the published mean (from :mod:`helpers.consistency`), spread as evenly as possible,
then pairs of values are moved apart or together, one grid step at a time and only when the move
brings the SD closer to the target, until the SD prints as the published one. All samples are
updated at once (numpy, no loop over samples); the loop runs over iterations.

A target with no consistent sum (GRIM) returns no sample; so does one whose SD is never reached
within ``max_iterations`` (reported, not hidden).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from . import consistency as cc


def _targets(mean: str, sd: str, n: int, step, scale_min, scale_max, rounding: str):
    grid = cc._grid(mean, n, step, scale_min, scale_max, rounding)
    sums = grid["candidates"][0][grid["valid"][0]].astype(np.int64)
    if not grid["has_top"][0]:
        raise ValueError("SPRITE needs the scale's maximum (scale_max)")
    step_fraction = Fraction(int(grid["p"][0]), int(grid["q"][0]))
    return sums, int(grid["top"][0]), step_fraction


def sprite(mean: str, sd: str, n: int, step=1, *, scale_min=0, scale_max=None,
           samples: int = 200, seed: int = 2014, max_iterations: int = 4000,
           rounding: str = "either") -> np.ndarray:
    """Up to ``samples`` distinct samples of ``n`` values reproducing the printed mean and SD.

    Parameters
    ----------
    mean, sd : str
        As printed (their decimals set the precision).
    n : int
    step, scale_min, scale_max
        The grid: values are ``scale_min + step * y`` for integers ``y`` in range.
    samples : int
        How many samples to try to find (duplicates removed).
    seed : int
        Seed of the random moves (results are reproducible).

    Returns
    -------
    numpy.ndarray
        Shape ``(found, n)``, each row sorted, in scale units; ``(0, n)`` when none is found.

    Examples
    --------
    Mean 3.00 and SD 1.58 from five answers between 1 and 5 need a sum of 15 and a sum of squares
    of 55: only 1, 2, 3, 4, 5 has both.

    >>> sprite("3.00", "1.58", 5, scale_min=1, scale_max=5, samples=20).tolist()
    [[1.0, 2.0, 3.0, 4.0, 5.0]]
    """
    n = int(n)
    if n < 2:
        raise ValueError("SPRITE needs n of at least 2")
    sums, top, step_fraction = _targets(mean, sd, n, step, scale_min, scale_max, rounding)
    if len(sums) == 0:
        return np.empty((0, n))
    target_sd = float(sd) / float(step_fraction)  # in grid units
    tolerance = 0.5 * 10.0 ** -int(cc.parse_printed([sd])[1][0]) / float(step_fraction)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(sums, size=samples)
    base, extra = chosen // n, chosen % n
    y = np.repeat(base[:, None], n, axis=1)
    y += (np.arange(n)[None, :] < extra[:, None]).astype(np.int64)
    y = rng.permuted(y, axis=1)
    if (y > top).any() or (y < 0).any():  # a sum the bounds cannot hold
        keep = ((y <= top) & (y >= 0)).all(axis=1)
        y = y[keep]
    rows = np.arange(len(y))
    for _ in range(max_iterations):
        current = y.std(axis=1, ddof=1)
        done = np.abs(current - target_sd) <= tolerance
        if done.all():
            break
        i = rng.integers(0, n, size=len(y))
        j = rng.integers(0, n, size=len(y))
        yi, yj = y[rows, i], y[rows, j]
        spread = current < target_sd  # move apart (raise the larger, lower the smaller)
        up_i = np.where(spread, yi >= yj, yi < yj - 1)
        # move: i gets +1 and j gets -1 when up_i, else i gets -1 and j gets +1
        new_i = np.where(up_i, yi + 1, yi - 1)
        new_j = np.where(up_i, yj - 1, yj + 1)
        allowed = (~done) & (i != j) & (new_i >= 0) & (new_i <= top) & (new_j >= 0) \
            & (new_j <= top)
        # only moves that help: spreading when too narrow, narrowing when too wide
        helps = np.where(spread, up_i, ~up_i | (yi < yj - 1))
        apply = allowed & helps
        y[rows[apply], i[apply]] = new_i[apply]
        y[rows[apply], j[apply]] = new_j[apply]
    final = y.std(axis=1, ddof=1)
    good = np.abs(final - target_sd) <= tolerance
    found = np.unique(np.sort(y[good], axis=1), axis=0)
    values = float(scale_min or 0) + found * float(step_fraction)
    return values


def reproduces(sample: np.ndarray, mean: str, sd: str) -> bool:
    """Does a sample print as this mean and SD (to their decimals, rounding half either way)?"""
    decimals_mean = cc.parse_printed([mean])[1][0]
    decimals_sd = cc.parse_printed([sd])[1][0]
    sample = np.asarray(sample, dtype=float)
    mean_ok = abs(sample.mean() - float(mean)) <= 0.5 * 10.0 ** -decimals_mean + 1e-9
    sd_ok = abs(sample.std(ddof=1) - float(sd)) <= 0.5 * 10.0 ** -decimals_sd + 1e-9
    return bool(mean_ok and sd_ok)


def share_above(samples: np.ndarray, cutoff: float) -> np.ndarray:
    """Share of each sample's values above ``cutoff``."""
    return (np.asarray(samples) > cutoff).mean(axis=1) if len(samples) else np.array([])


def rank_sum_p_range(samples_a: np.ndarray, samples_b: np.ndarray, pairs: int = 500,
                     seed: int = 2014) -> tuple[float, float]:
    """Smallest and largest two-sided Mann-Whitney p over random pairs of reconstructed samples
    (vectorised over pairs with ``scipy.stats.mannwhitneyu``); NaNs when either arm has none."""
    from scipy.stats import mannwhitneyu

    if len(samples_a) == 0 or len(samples_b) == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    a = samples_a[rng.integers(0, len(samples_a), pairs)]
    b = samples_b[rng.integers(0, len(samples_b), pairs)]
    p = mannwhitneyu(a, b, axis=1, alternative="two-sided").pvalue
    return float(np.min(p)), float(np.max(p))


def reconstruct_outcomes(outcomes, item_counts: dict | None = None, samples: int = 200,
                         seed: int = 2014, rounding: str = "either"):
    """SPRITE for every cell of Tables 2, 4 and 5 whose granularity is known (complete items).

    Returns ``(summary, found)``: a table with one row per cell (``samples_found``, ``status``)
    and a dict from ``(instrument, scale, arm, timepoint)`` to the samples found.
    """
    import pandas as pd

    from .table_checks import DEFAULT_ITEM_COUNTS, _in_force, scale_grid

    counts = {**DEFAULT_ITEM_COUNTS, **(item_counts or {})}
    means, sds = _in_force(outcomes, "mean"), _in_force(outcomes, "sd")
    rows, found = [], {}
    for (index, cell), mean, sd in zip(outcomes.iterrows(), means, sds):
        key = (cell["instrument"], cell["scale"], cell["arm"], cell["timepoint"])
        grid = scale_grid(cell["scale"], counts[cell["scale"]])
        if grid["step"] is None:
            rows.append(dict(zip(("instrument", "scale", "arm", "timepoint"), key),
                             n=int(cell["n"]), mean=mean, sd=sd, samples_found=0,
                             status="item count unknown"))
            continue
        result = sprite(mean, sd, int(cell["n"]), grid["step"], scale_min=grid["low"],
                        scale_max=grid["high"], samples=samples, seed=seed, rounding=rounding)
        found[key] = result
        rows.append(dict(zip(("instrument", "scale", "arm", "timepoint"), key),
                         n=int(cell["n"]), mean=mean, sd=sd, samples_found=len(result),
                         status="samples found" if len(result) else "no sample exists"))
    return pd.DataFrame(rows), found


def rank_sum_table(frame, found: dict, published_p, pairs: int = 500, seed: int = 2014):
    """For each contrast of :func:`helpers.effects.contrasts`: the range of Mann-Whitney p at
    follow-up over pairs of reconstructed samples, and whether the published p lies inside."""
    import pandas as pd

    rows = []
    for (_, row), p in zip(frame.iterrows(), published_p):
        key = (row["instrument"], row["scale"])
        a = found.get((*key, "A", row["timepoint"]), np.empty((0, 1)))
        b = found.get((*key, "B", row["timepoint"]), np.empty((0, 1)))
        low, high = rank_sum_p_range(a, b, pairs, seed)
        reachable = (not np.isnan(low)) and low <= float(p) <= high
        rows.append(dict(instrument=row["instrument"], scale=row["scale"],
                         contrast=row["contrast"], p_published=float(p),
                         rank_sum_p_low=low, rank_sum_p_high=high,
                         published_p_within=reachable if not np.isnan(low) else pd.NA))
    return pd.DataFrame(rows)
