"""Samples consistent with a published mean, SD and n, and bounds of a rank test between arms.

Written by hand: no maintained Python package does SPRITE (its implementation, rsprite2, is R),
enumerates the samples behind a printed mean and SD, or bounds a rank test (or its worst-rank
composite) from summary statistics. Everything is vectorised with numpy, seeded and
deterministic; the only solver used is scipy's (HiGHS, for one arm's best response in the search).

SPRITE (:func:`sprite`)
    Heathers, Anaya, van der Zee & Brown (2018, PeerJ Preprints 6:e26968). Samples live on the
    scale's grid (``value = scale_min + step * y`` with integer ``y`` from 0 to ``top``); each
    starts at a sum that prints as the published mean (:func:`consistent_sums`), spread as evenly
    as possible, then pairs of values are moved one grid step at a time (:func:`_pair_move`):
    apart while the SD is below the target, towards each other while it is above, until the SD
    prints as the published one. All samples are updated at once (no loop over samples); the
    loop runs over iterations. A target with no consistent sum (GRIM) returns no sample; so does
    one whose SD is never reached within ``max_iterations`` (reported, not hidden).

Exact enumeration (:func:`enumerate_samples`)
    Every count vector over the grid's values whose sum is GRIM-consistent with the mean and
    whose SD prints as the published one (the tolerance of :func:`reproduces`), built one grid
    value at a time and pruned as it is built: a partial vector is dropped as soon as no
    completion can reach the sum or a sum of squares within the SD's band (bounds in closed
    form). It runs for single items scored 1-4 and for the coarser EORTC grids at these n.

Bounds of the Mann-Whitney statistic (:func:`rank_sum_bounds`, :func:`rank_sum_table`)
    Arm A's win count ``U_A`` (pairs where A's value is better, plus half the ties), its win
    probability ``U_A / (n_A n_B)`` and the two-sided asymptotic p of
    ``scipy.stats.mannwhitneyu`` (tie and continuity corrections), from count vectors
    (:func:`rank_sum_statistics`), over every pair of samples the printed cells allow. Two
    comparisons: survivors only (the follow-up samples), and the composite of Lachin (1999,
    Control Clin Trials 20:408), where the patients who died are added to their arm with a
    score worse than any (tied among themselves), so that all randomised patients are compared.

    *Exact*: where both arms can be enumerated and the pairs are not too many, every pair of
    feasible samples is evaluated (matrix products).

    *Search* elsewhere, for the extremes directly. Pools of feasible samples: an arm's every
    sample where it can be enumerated, else SPRITE samples and every sample with at most four
    (or three) distinct values, the shape the extremes take (most values piled on one point, a
    few far out). Then: the extremes over all pairs of the pools (or alternating best responses
    within them where the pairs are too many); alternating best responses over each arm's every
    feasible sample from those extremes and from random pairs (given the other arm, U is linear
    in an arm's counts, so a best response is an integer linear programme, or a matrix product
    over an enumerated arm); simulated annealing over pairs of samples, many chains at once,
    with moves that keep each arm's sum and its SD printing as the target; best responses again
    from the annealing's extremes. Every sample visited is feasible, so the true range contains
    the range found ("at least this wide"); it is not known to be the true range, and more
    effort (or another seed) can widen it.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from . import consistency as cc

__all__ = [
    "BOUNDED", "CELL_COLUMNS", "CONCLUSIONS", "EXACT", "FOUND", "IMPOSSIBLE", "NONE_FOUND",
    "SEARCH", "UNKNOWN_ITEMS", "consistent_sums", "enumerate_samples", "rank_sum_bounds",
    "rank_sum_statistics", "rank_sum_table", "reproduces", "share_above", "sprite",
    "status_of",
]

#: Status words: no integer sum prints as the mean; sums exist but no sample was found (with
#: method EXACT: none exists); samples found; the scale's grid is unknown; both arms bounded.
IMPOSSIBLE, NONE_FOUND, FOUND, UNKNOWN_ITEMS, BOUNDED = (
    "impossible (GRIM)", "none found", "samples found", "item count unknown", "bounded")
#: How the bounds were obtained: every feasible pair evaluated, or a search (a lower bound on the
#: width: the true range contains the one found).
EXACT, SEARCH = "exact (enumeration)", "search (at least this wide)"


# ---------------------------------------------------------------------------------------------
# The grid and the printed values
# ---------------------------------------------------------------------------------------------

def consistent_sums(mean: str, n: int, step=1, *, scale_min=0, scale_max=None,
                    rounding: str = "either") -> np.ndarray:
    """The sums, in grid units, of ``n`` values on the grid whose mean prints as ``mean`` (GRIM).

    A public wrapper around :func:`helpers.methods.consistency.grim`'s private core (``_grid``): the
    sums ``K`` with ``scale_min + K * step / n`` printing as ``mean``, within the scale.

    Returns
    -------
    numpy.ndarray
        int64, ascending; empty when GRIM rejects the mean.

    Examples
    --------
    Brown & Heathers (2017): 5.19 from 28 integers is impossible, 5.18 needs a sum of 145.

    >>> consistent_sums("5.19", 28).tolist(), consistent_sums("5.18", 28).tolist()
    ([], [145])
    """
    grid = cc.sum_grid(mean, int(n), step, scale_min, scale_max, rounding)
    return np.sort(grid["candidates"][0][grid["valid"][0]].astype(np.int64))


def _grid_of(step, scale_min, scale_max) -> tuple[Fraction, Fraction, int]:
    """``(step, scale_min, top)`` as exact numbers; ``top`` is the largest grid index."""
    if scale_max is None:
        raise ValueError("a bounded grid is needed: give scale_max")
    step_f = Fraction(step) if not isinstance(step, float) else Fraction(str(step))
    low = Fraction(str(scale_min or 0)) if not isinstance(scale_min, Fraction) else scale_min
    high = Fraction(str(scale_max)) if not isinstance(scale_max, Fraction) else scale_max
    if step_f <= 0 or high < low:
        raise ValueError(f"bad grid: step {step}, scale {scale_min} to {scale_max}")
    return step_f, low, int((high - low) // step_f)


def _printed_band(text: str) -> tuple[float, float]:
    """A printed number and the distance from it within which a value prints as it (half a unit
    of the last digit, rounding half either way, plus 1e-9 for floating point)."""
    decimals = int(cc.parse_printed([text])[1][0])
    return float(text), 0.5 * 10.0 ** -decimals + 1e-9


def _sd_from_sums(total, squares, n: int, step: float):
    """Sample SD in scale units of ``n`` grid values with this sum and sum of squares (grid
    units)."""
    total = np.asarray(total, dtype=float)
    variance = (np.asarray(squares, dtype=float) - total * total / n) / (n - 1)
    return step * np.sqrt(np.maximum(variance, 0.0))


def _square_band(sums: np.ndarray, sd: str, n: int, step: float) -> tuple[np.ndarray, np.ndarray]:
    """For each sum ``K`` (grid units), the least and greatest sum of squares ``Q`` whose SD
    prints as ``sd`` (same tolerance as :func:`reproduces`); ``low > high`` when none does. The
    SD grows with ``Q`` at fixed ``K``, so those ``Q`` form an interval."""
    target, tolerance = _printed_band(sd)
    sums = np.asarray(sums, dtype=np.int64)
    base = sums.astype(float) ** 2 / n
    low_real = base + (n - 1) * (max(target - tolerance, 0.0) / step) ** 2
    high_real = base + (n - 1) * ((target + tolerance) / step) ** 2
    first = np.floor(low_real).astype(np.int64) - 2
    width = int(np.max(np.ceil(high_real) - first, initial=0)) + 3
    candidates = first[:, None] + np.arange(max(width, 1))[None, :]
    ok = np.abs(_sd_from_sums(sums[:, None], candidates, n, step) - target) <= tolerance
    ok &= candidates >= 0
    big = np.iinfo(np.int64).max
    low = np.where(ok, candidates, big).min(axis=1)
    high = np.where(ok, candidates, -1).max(axis=1)
    return low, high


def reproduces(sample: np.ndarray, mean: str, sd: str) -> bool:
    """Does a sample print as this mean and SD (to their decimals, rounding half either way)?

    Examples
    --------
    >>> reproduces([1, 2, 3, 4, 5], "3.00", "1.58"), reproduces([1, 2, 3, 4, 5], "3.00", "1.59")
    (True, False)
    """
    sample = np.asarray(sample, dtype=float)
    mean_value, mean_tolerance = _printed_band(mean)
    sd_value, sd_tolerance = _printed_band(sd)
    mean_ok = abs(sample.mean() - mean_value) <= mean_tolerance
    sd_ok = abs(sample.std(ddof=1) - sd_value) <= sd_tolerance
    return bool(mean_ok and sd_ok)


def share_above(samples: np.ndarray, cutoff: float) -> np.ndarray:
    """Share of each sample's values above ``cutoff``.

    Examples
    --------
    >>> share_above(np.array([[10, 15, 20], [20, 25, 30]]), 14).tolist()
    [0.6666666666666666, 1.0]
    """
    return (np.asarray(samples) > cutoff).mean(axis=1) if len(samples) else np.array([])


# ---------------------------------------------------------------------------------------------
# SPRITE
# ---------------------------------------------------------------------------------------------

def _pair_move(yi, yj, spread):
    """One SPRITE move of a pair of grid values, vectorised.

    Widening (``spread`` True): the larger value goes one step up and the smaller one step down
    (with ``yi == yj``, ``yi`` goes up): the pair's spread always grows by 2. Narrowing: two
    values at least 2 steps apart move one step towards each other; any other pair is left as it
    is and does not help.

    Returns
    -------
    (new_i, new_j, helps)
        The moved values and whether the move changes the pair's variance the wanted way. The
        caller still checks the scale's bounds.

    Examples
    --------
    >>> [a.tolist() for a in _pair_move([3, 3, 5], [3, 4, 3], [True, False, False])]
    [[4, 3, 4], [2, 4, 4], [True, False, True]]
    """
    yi, yj, spread = np.broadcast_arrays(np.asarray(yi), np.asarray(yj), np.asarray(spread, bool))
    gap = yi - yj
    i_higher = gap >= 0
    towards = np.sign(gap) * (np.abs(gap) >= 2)  # narrowing: i moves down by this, j up
    new_i = np.where(spread, np.where(i_higher, yi + 1, yi - 1), yi - towards)
    new_j = np.where(spread, np.where(i_higher, yj - 1, yj + 1), yj + towards)
    helps = spread | (np.abs(gap) >= 2)
    return new_i, new_j, helps


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
    step_fraction, low, top = _grid_of(step, scale_min, scale_max)
    sums = consistent_sums(mean, n, step_fraction, scale_min=low, scale_max=scale_max,
                           rounding=rounding)
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
        new_i, new_j, helps = _pair_move(yi, yj, current < target_sd)
        allowed = (~done) & (i != j) & (new_i >= 0) & (new_i <= top) & (new_j >= 0) \
            & (new_j <= top)
        apply = allowed & helps
        y[rows[apply], i[apply]] = new_i[apply]
        y[rows[apply], j[apply]] = new_j[apply]
    final = y.std(axis=1, ddof=1)
    good = np.abs(final - target_sd) <= tolerance
    found = np.unique(np.sort(y[good], axis=1), axis=0)
    return float(low) + found * float(step_fraction)


def status_of(sums: np.ndarray, found: int) -> str:
    """The status of a SPRITE search: :data:`IMPOSSIBLE` without a consistent sum, else
    :data:`NONE_FOUND` or :data:`FOUND` by the samples ``found``.

    Examples
    --------
    >>> status_of(np.array([]), 0), status_of(np.array([3]), 0), status_of(np.array([3]), 5)
    ('impossible (GRIM)', 'none found', 'samples found')
    """
    return IMPOSSIBLE if len(sums) == 0 else NONE_FOUND if found == 0 else FOUND


# ---------------------------------------------------------------------------------------------
# Exact enumeration
# ---------------------------------------------------------------------------------------------

class _TooLarge(ValueError):
    """The grid is too large to enumerate within the limit."""


def _square_range(count, total, low: int, high: int):
    """Least and greatest sum of squares of ``count`` integers in ``[low, high]`` adding to
    ``total`` (vectorised; assumes ``low * count <= total <= high * count``): as equal as
    possible, and all at the bounds but one (a convex function is largest at a vertex)."""
    safe = np.maximum(count, 1)
    even, extra = total // safe, total % safe
    least = (count - extra) * even ** 2 + extra * (even + 1) ** 2
    at_high = np.minimum((total - count * low) // max(high - low, 1), count)
    between = total - count * low - at_high * (high - low) + low
    greatest = np.where(at_high >= count, count * high ** 2,
                        at_high * high ** 2 + between ** 2
                        + np.maximum(count - at_high - 1, 0) * low ** 2)
    return np.where(count > 0, least, 0), np.where(count > 0, greatest, 0)


def _count_vectors(n: int, top: int, total: int, square_low: int, square_high: int,
                   limit: int, max_support: int | None = None) -> np.ndarray:
    """Every count vector over grid indices ``0..top`` with ``n`` values, sum ``total`` and sum
    of squares in ``[square_low, square_high]`` (and at most ``max_support`` distinct values).
    Built one index at a time: each partial vector is repeated once per count the next index
    may take, and dropped when the values left, all in the indices above, cannot reach the sum
    or the band of squares (:func:`_square_range`). Each step keeps its parents and counts;
    the vectors are read back at the end."""
    left = np.array([n], dtype=np.int64)
    partial_sum = np.array([0], dtype=np.int64)
    partial_squares = np.array([0], dtype=np.int64)
    support = np.array([0], dtype=np.int64)
    steps = []
    for index in range(top):  # the last index takes the values left
        sizes = left + 1
        built = int(sizes.sum())
        if built > limit:
            raise _TooLarge(f"enumerating n = {n} values over {top + 1} grid values needs more "
                             f"than {limit:,} partial count vectors at one step: the grid is "
                             "too large to enumerate (search with rank_sum_bounds, or raise "
                             "limit)")
        parent = np.repeat(np.arange(len(left)), sizes)
        count = np.arange(built) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        rest = left[parent] - count
        needed = total - (partial_sum[parent] + index * count)
        # the sum first (cheap), then the squares for the vectors left
        keep = np.flatnonzero((needed >= (index + 1) * rest) & (needed <= top * rest))
        parent, count, rest, needed = parent[keep], count[keep], rest[keep], needed[keep]
        squares = partial_squares[parent] + index ** 2 * count
        least, greatest = _square_range(rest, needed, index + 1, top)
        keep = (squares + least <= square_high) & (squares + greatest >= square_low)
        used = support[parent] + (count > 0)
        if max_support is not None:
            keep &= used + (rest > 0) <= max_support
        steps.append((parent[keep], count[keep]))
        left, partial_sum = rest[keep], total - needed[keep]
        partial_squares, support = squares[keep], used[keep]
    columns = [left]
    row = np.arange(len(left))
    for parent, count in reversed(steps):
        columns.append(count[row])
        row = parent[row]
    counts = np.stack(columns[::-1], axis=1)
    grid = np.arange(top + 1, dtype=np.int64)
    ok = (counts @ grid == total) & (counts @ grid ** 2 >= square_low) & \
        (counts @ grid ** 2 <= square_high)
    return counts[ok]


def enumerate_samples(mean: str, sd: str, n: int, step=1, *, scale_min=0, scale_max=None,
                      rounding: str = "either", limit: int = 2_000_000) -> np.ndarray:
    """Every sample on the grid that prints as the mean and SD, as counts per grid value.

    A sample of ``n`` values on the grid ``scale_min + step * c`` (``c = 0..top``, so
    ``k = top + 1`` values) is a count vector; there are ``C(n + k - 1, k - 1)`` of them (1330
    for single items scored 1-4 with n = 18). Those whose sum is GRIM-consistent with the mean
    (:func:`consistent_sums`) and whose SD prints as ``sd`` (the tolerance of
    :func:`reproduces`) are returned. Vectorised: the vectors are built with numpy one grid
    value at a time and pruned as soon as they cannot reach a consistent sum or a sum of
    squares printing as the SD, so that far fewer than ``C(n + k - 1, k - 1)`` are built.

    Parameters
    ----------
    mean, sd : str
        As printed.
    n : int
    step, scale_min, scale_max
        The grid (``scale_max`` is required).
    rounding : {"either", "half_up", "half_even"}
        Rounding of the mean (as in :func:`helpers.methods.consistency.grim`).
    limit : int
        The most partial count vectors built at one step (a bound on memory and time; without
        pruning a step would build up to ``C(n + k - 1, k - 1)``); above it a ``ValueError``
        says the grid is too large to enumerate.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(found, k)``: column ``c`` counts the values
        ``scale_min + step * c``; rows in lexicographic order. ``(0, k)`` when no sample exists
        (a proof, since the enumeration is complete).

    Examples
    --------
    Only 1, 2, 3, 4, 5 (one of each value) prints as mean 3.00 and SD 1.58 with n = 5.

    >>> enumerate_samples("3.00", "1.58", 5, scale_min=1, scale_max=5).tolist()
    [[1, 1, 1, 1, 1]]
    """
    n = int(n)
    if n < 2:
        raise ValueError("n must be at least 2 for an SD")
    step_f, low, top = _grid_of(step, scale_min, scale_max)
    sums = consistent_sums(mean, n, step_f, scale_min=low, scale_max=scale_max,
                           rounding=rounding)
    square_low, square_high = _square_band(sums, sd, n, float(step_f))
    found = [_count_vectors(n, top, int(total), int(q_low), int(q_high), limit)
             for total, q_low, q_high in zip(sums, square_low, square_high) if q_low <= q_high]
    if not found:
        return np.zeros((0, top + 1), dtype=np.int64)
    counts = np.concatenate(found)  # each part is built in lexicographic order
    return counts if len(found) == 1 else counts[np.lexsort(counts.T[::-1])]


# ---------------------------------------------------------------------------------------------
# The Mann-Whitney statistic from counts
# ---------------------------------------------------------------------------------------------

def _check_better(better: str) -> str:
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be 'lower' or 'higher', got {better!r}")
    return better


def _ties(total: int) -> float:
    return float(total) ** 3 - float(total)


def _rank_sd(n_a, n_b, tie_term):
    """SD of U under the null with the tie correction (``tie_term = sum(t**3 - t)`` over the
    groups of tied values), as ``scipy.stats.mannwhitneyu`` computes it."""
    n = n_a + n_b
    return np.sqrt(n_a * n_b / 12 * ((n + 1) - tie_term / (n * (n - 1))))


def _corrected(u, n_a, n_b, tie_term):
    """``(|U - mu| - 0.5) / s``, the continuity-corrected ``|z|`` (``-inf`` where every value is
    tied): the two-sided p is ``2 Phi(-this)``, clipped to 1, and falls as this grows."""
    s = _rank_sd(n_a, n_b, tie_term)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, (np.abs(u - n_a * n_b / 2) - 0.5) / np.where(s > 0, s, 1),
                        -np.inf)


def _two_sided_p(u, n_a, n_b, tie_term):
    """``scipy.stats.mannwhitneyu``'s asymptotic two-sided p (tie correction, continuity
    correction, clipped to [0, 1]) from the win count and the tie term."""
    from scipy import special

    return np.clip(2 * special.ndtr(-_corrected(u, n_a, n_b, tie_term)), 0.0, 1.0)


def _beyond(b: np.ndarray, better: str) -> np.ndarray:
    """For each category, B's values that an A value there beats, plus half the ties."""
    if better == "lower":
        worse = b.sum(axis=-1, keepdims=True) - np.cumsum(b, axis=-1)
    else:
        worse = np.cumsum(b, axis=-1) - b
    return worse + 0.5 * b


def rank_sum_statistics(counts_a, counts_b, *, better: str = "lower", deaths_a: int = 0,
                        deaths_b: int = 0) -> dict:
    """Win count, win probability and two-sided p of the Mann-Whitney test from count vectors.

    Parameters
    ----------
    counts_a, counts_b : array_like
        Counts per grid value, in increasing order of value, shape ``(..., k)`` (broadcast).
    better : {"lower", "higher"}
        Which direction of the score is better.
    deaths_a, deaths_b : int
        Patients who died, for the composite: each is worse than any score, tied with the other
        deaths.

    Returns
    -------
    dict
        ``u`` (A's win count: pairs where A's value is better plus half the ties), ``win``
        (``u / (n_A n_B)``), ``p`` (``scipy.stats.mannwhitneyu(..., method="asymptotic",
        use_continuity=True)``'s two-sided p), and the same with a ``composite_`` prefix over
        all randomised patients.

    Examples
    --------
    A: 1, 2; B: 2, 3; lower is better. Pairs (1,2), (1,3), (2,3) are A's wins and (2,2) a tie:
    U = 3.5 of 4. With one death in B: A's two survivors beat it (+2), so 5.5 of 6.

    >>> stats = rank_sum_statistics([1, 1, 0], [0, 1, 1], deaths_b=1)
    >>> float(stats["u"]), float(stats["win"]), float(stats["composite_u"])
    (3.5, 0.875, 5.5)
    """
    better = _check_better(better)
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    n_a, n_b = a.sum(axis=-1), b.sum(axis=-1)
    u = (a * _beyond(b, better)).sum(axis=-1)
    ties = ((a + b) ** 3 - (a + b)).sum(axis=-1)
    out = dict(u=u, win=u / (n_a * n_b), p=_two_sided_p(u, n_a, n_b, ties))
    big_a, big_b = n_a + deaths_a, n_b + deaths_b
    u_composite = u + n_a * deaths_b + 0.5 * deaths_a * deaths_b
    out.update(composite_u=u_composite, composite_win=u_composite / (big_a * big_b),
               composite_p=_two_sided_p(u_composite, big_a, big_b,
                                        ties + _ties(deaths_a + deaths_b)))
    return out


# ---------------------------------------------------------------------------------------------
# Bounds: exact over every pair, or a search
# ---------------------------------------------------------------------------------------------

#: The extremes reported, with the statistic each one extremises (p's extremes are those of
#: the continuity-corrected ``|z|``, p falling as it grows).
_EXTREMES = ("u_min", "u_max", "p_min", "p_max", "composite_p_min", "composite_p_max")


def _standardised(u, n_a, n_b, ties):
    """The signed z of U (no continuity correction), for the search's objectives."""
    return (u - n_a * n_b / 2) / np.maximum(_rank_sd(n_a, n_b, ties), 1e-12)


def _away(a, b, deaths_a, deaths_b, better) -> dict:
    """What the extremes compare, for pairs of count vectors (rows): ``u``, and for ``p`` and
    ``composite_p`` minus the continuity-corrected ``|z|`` (the same order as p)."""
    af, bf = np.atleast_2d(a).astype(float), np.atleast_2d(b).astype(float)
    n_a, n_b = af.sum(axis=1), bf.sum(axis=1)
    u = (af * _beyond(bf, better)).sum(axis=1)
    ties = ((af + bf) ** 3 - (af + bf)).sum(axis=1)
    shift = n_a * deaths_b + 0.5 * deaths_a * deaths_b
    return dict(u=u, p=-_corrected(u, n_a, n_b, ties),
                composite_p=-_corrected(u + shift, n_a + deaths_a, n_b + deaths_b,
                                        ties + _ties(deaths_a + deaths_b)))


def _record(best: dict, a, b, away: dict) -> None:
    """Keep in ``best`` each extreme of :data:`_EXTREMES` over the pairs ``(a[r], b[r])``
    (their statistics ``away``, from :func:`_away`), as ``(value, counts_a, counts_b)``."""
    for name in _EXTREMES:
        statistic, side = name.rsplit("_", 1)
        values = away[statistic]
        row = int(np.argmin(values) if side == "min" else np.argmax(values))
        value = float(values[row])
        if name not in best or (value < best[name][0] if side == "min"
                                else value > best[name][0]):
            best[name] = (value, np.array(a[row]), np.array(b[row]))


def _all_pairs(counts_a, counts_b, n_a, n_b, deaths_a, deaths_b, better, chunk=2_000_000):
    """The extremes over every pair of rows of ``counts_a`` and ``counts_b``, by matrix
    products: ``U = A W`` with ``W`` what each of A's values is worth against each sample of B
    (B's values it beats, plus half the ties), and the tie term ``sum (a + b)^3 - (a + b)``
    expanded into products. Chunked over A's rows to bound memory."""
    a = counts_a.astype(float)
    b = counts_b.astype(float)
    worth = _beyond(b, better).T  # (k, found_b)
    ties_a = (a ** 3 - a).sum(axis=1)
    ties_b = (b ** 3 - b).sum(axis=1)
    shift = n_a * deaths_b + 0.5 * deaths_a * deaths_b
    death_ties = _ties(deaths_a + deaths_b)
    best: dict = {}
    rows = max(1, chunk // max(len(b), 1))
    for start in range(0, len(a), rows):
        part = a[start:start + rows]
        u = part @ worth
        ties = ties_a[start:start + rows, None] + ties_b[None, :] + \
            3 * ((part ** 2) @ b.T + part @ (b ** 2).T)
        away = dict(u=u.ravel(), p=-_corrected(u, n_a, n_b, ties).ravel(),
                    composite_p=-_corrected(u + shift, n_a + deaths_a, n_b + deaths_b,
                                            ties + death_ties).ravel())
        pair_a = np.repeat(np.arange(start, start + len(part)), len(b))
        pair_b = np.tile(np.arange(len(b)), len(part))
        _record(best, _Rows(counts_a, pair_a), _Rows(counts_b, pair_b), away)
    return best


class _Rows:
    """``counts[index[r]]`` on demand: the pairs of :func:`_all_pairs` without copying."""

    def __init__(self, counts, index):
        self.counts, self.index = counts, index

    def __getitem__(self, row):
        return self.counts[self.index[row]]


def _alternate(pool_a, pool_b, better, direction: float, starts: int, rng, rounds: int = 30):
    """Alternating best responses within two pools of samples, from ``starts`` random pairs at
    once: B's sample that moves U most the wanted way (``direction`` +1 up, -1 down) given A's,
    then A's given B's, until neither changes. U is linear in each arm's counts given the
    other's, so each response is a matrix product. Returns the final pairs' row indices."""
    a, b = pool_a.astype(float), pool_b.astype(float)
    n_a = float(a[0].sum())
    worth_of_b = n_a - _beyond(a, better)  # per A sample: what a B value at each index gives
    worth_of_a = _beyond(b, better)  # per B sample: what an A value at each index gives
    index_a = rng.integers(0, len(a), starts)
    index_b = rng.integers(0, len(b), starts)
    for _ in range(rounds):
        new_b = np.argmax(direction * (worth_of_b[index_a] @ b.T), axis=1)
        new_a = np.argmax(direction * (a @ worth_of_a[new_b].T), axis=0)
        if np.array_equal(new_a, index_a) and np.array_equal(new_b, index_b):
            break
        index_a, index_b = new_a, new_b
    return index_a, index_b


def _sparse_samples(arm: dict, limit: int = 300_000) -> np.ndarray:
    """Every sample of the arm with at most four distinct values (three where four would build
    more than ``limit`` partial vectors) that prints as its mean and SD, as count vectors: the
    shape of the extremes of U, most values piled on one point and a few far out."""
    low, high = _square_band(arm["sums"], arm["sd"], arm["n"], float(arm["step"]))
    for support in (4, 3):
        try:
            found = [_count_vectors(arm["n"], arm["top"], int(total), int(q_low), int(q_high),
                                    limit, max_support=support)
                     for total, q_low, q_high in zip(arm["sums"], low, high) if q_low <= q_high]
        except _TooLarge:
            continue
        return np.concatenate(found) if found else np.zeros((0, arm["top"] + 1), np.int64)
    return np.zeros((0, arm["top"] + 1), dtype=np.int64)


#: The annealing's objectives (each maximised by its own chains): U up and down, the
#: survivors' standardised statistic up and down and its size down (p up), the same for the
#: composite.
_OBJECTIVES = ("u", "-u", "z", "-z", "-|z|", "composite_z", "-composite_z", "-|composite_z|")
#: The extreme each objective's seeded chains start from.
_SEEDS = ("u_max", "u_min", "u_max", "u_min", "p_max", "u_max", "u_min", "composite_p_max")


def _pick(allowed, score, noise, rng):
    """For each row, the allowed column with the highest ``score`` plus uniform noise of scale
    ``noise`` (a large noise is a random pick), and whether any column was allowed."""
    perturbed = score + noise[:, None] * rng.random(allowed.shape)
    return np.where(allowed, perturbed, -np.inf).argmax(axis=1), allowed.any(axis=1)


def _shift(counts, rows, source, target, apply):
    """Move one value from ``source`` to ``target`` in the rows where ``apply``."""
    counts[rows, source] -= apply
    counts[rows, target] += apply


def _propose(x, squares, square_low, square_high, gain, noise, top, rng):
    """A move of each row's sample that keeps its sum and keeps its sum of squares (grid units)
    within ``[square_low, square_high]``, i.e. its mean and SD printing as the targets.

    First one value ``i`` goes ``d`` steps up and another ``j`` goes ``d`` steps down (``d`` is
    1 half of the time, else up to a fifth of the grid): the sum of squares changes by
    ``2 d (i - j + d)``. Then a value ``k`` goes one step up and a value ``l`` one step down,
    ``l`` among the values for which the sum of squares, ``+ 2 (k - l + 1)``, lands back in the
    band (with a band of one value, the second pair undoes the first one's change exactly).
    Each value is picked where ``gain`` (per grid index: what a value there is worth to the
    row's objective) rises most, up to a random perturbation of scale ``noise`` (per row).
    Rows with no such move keep their sample. Returns ``(counts, squares, valid)``."""
    rows, grid = np.arange(len(x)), np.arange(top + 1)[None, :]
    longest = max(1, top // 5)
    size = np.where(rng.random(len(x)) < 0.5, 1, rng.integers(1, longest + 1, len(x)))
    higher = np.take_along_axis(gain, np.minimum(grid + size[:, None], top), axis=1)
    lower = np.take_along_axis(gain, np.maximum(grid - size[:, None], 0), axis=1)
    up, ok_up = _pick((x > 0) & (grid + size[:, None] <= top), higher - gain, noise, rng)
    left = x.copy()
    left[rows, up] -= 1
    down, ok_down = _pick((left > 0) & (grid - size[:, None] >= 0), lower - gain, noise, rng)
    valid = ok_up & ok_down
    moved = x.copy()
    first_step = valid.astype(x.dtype)
    _shift(moved, rows, up, np.minimum(up + size, top), first_step)
    _shift(moved, rows, down, np.maximum(down - size, 0), first_step)
    first = squares + 2 * size * (up - down + size) * first_step
    one_up = np.concatenate([gain[:, 1:], gain[:, -1:]], axis=1) - gain
    one_down = np.concatenate([gain[:, :1], gain[:, :-1]], axis=1) - gain
    up2, ok_up2 = _pick((moved > 0) & (grid < top), one_up, noise, rng)
    left = moved.copy()
    left[rows, up2] -= 1
    # l (one step down) such that first + 2 (up2 - l + 1) lies in [square_low, square_high]
    lowest = np.maximum(up2 + 1 - ((square_high - first) // 2), 1)
    highest = up2 + 1 + ((first - square_low) // 2)
    inside = (left > 0) & (grid >= lowest[:, None]) & (grid <= highest[:, None])
    down2, ok_down2 = _pick(inside, one_down, noise, rng)
    valid &= ok_up2 & ok_down2
    second_step = valid.astype(x.dtype)
    _shift(moved, rows, up2, np.minimum(up2 + 1, top), second_step)
    _shift(moved, rows, down2, np.maximum(down2 - 1, 0), second_step)
    moved = np.where(valid[:, None], moved, x)
    new_squares = np.where(valid, first + 2 * (up2 - down2 + 1), squares)
    return moved, new_squares, valid


def _anneal(best: dict, start_a, start_b, bands_a, bands_b, top, deaths_a, deaths_b, better,
            rng, iterations) -> None:
    """Simulated annealing over pairs of samples, one chain per row of ``start_a``/``start_b``
    (count vectors; ``bands_*`` their bands of sums of squares), the rows split evenly among
    :data:`_OBJECTIVES`, all updated at once, the arms moved in turn (:func:`_propose`), a move
    kept when it improves the chain's objective or, with the probability of annealing, when it
    does not. A value of arm A at grid index ``c`` adds to U the number of B's values it beats
    plus half the ties (B's: the number of A's values beating it plus half the ties), whatever
    the rest of its own arm: the proposals favour the moves that raise (or lower) U this way,
    up to a noise that differs between chains (from nearly greedy to nearly random). Every
    state visited is feasible and goes to ``best`` (:func:`_record`)."""
    size = len(start_a)
    chains = size // len(_OBJECTIVES)
    objective = np.repeat(np.arange(len(_OBJECTIVES)), chains)
    noise = np.tile(np.geomspace(0.3, 30.0, chains), len(_OBJECTIVES))
    arms = [start_a.astype(np.int64), start_b.astype(np.int64)]
    grid = np.arange(top + 1, dtype=np.int64)
    squares = [arms[0] @ grid ** 2, arms[1] @ grid ** 2]
    bands = [bands_a, bands_b]
    n_a, n_b = float(start_a[0].sum()), float(start_b[0].sum())
    big_a, big_b = n_a + deaths_a, n_b + deaths_b
    shift = n_a * deaths_b + 0.5 * deaths_a * deaths_b
    death_ties = _ties(deaths_a + deaths_b)
    scale_u = np.sqrt(n_a * n_b * (n_a + n_b + 1) / 12)

    def evaluate(a, b):
        af, bf = a.astype(float), b.astype(float)
        u = (af * _beyond(bf, better)).sum(axis=1)
        ties = ((af + bf) ** 3 - (af + bf)).sum(axis=1)
        z = _standardised(u, n_a, n_b, ties)
        zc = _standardised(u + shift, big_a, big_b, ties + death_ties)
        centred = (u - n_a * n_b / 2) / scale_u
        score = np.choose(objective, [centred, -centred, z, -z, -np.abs(z), zc, -zc,
                                      -np.abs(zc)])
        # which way U should go for each chain's objective
        direction = np.choose(objective, [1.0, -1.0, 1.0, -1.0, -np.sign(z), 1.0, -1.0,
                                          -np.sign(zc)])
        away = dict(u=u, p=-_corrected(u, n_a, n_b, ties),
                    composite_p=-_corrected(u + shift, big_a, big_b, ties + death_ties))
        return score, direction, away

    score, direction, away = evaluate(*arms)
    _record(best, *arms, away)
    temperatures = 0.01 * (0.05 ** (np.arange(iterations) / max(iterations - 1, 1)))
    for t in range(iterations):
        side = t % 2
        if side == 0:  # what each of A's values is worth to U: B's values it beats
            worth = _beyond(arms[1].astype(float), better)
        else:  # each of B's values: A's values beating it
            worth = n_a - _beyond(arms[0].astype(float), better)
        moved, moved_squares, valid = _propose(arms[side], squares[side], *bands[side],
                                               direction[:, None] * worth, noise, top, rng)
        trial = [moved, arms[1]] if side == 0 else [arms[0], moved]
        new_score, new_direction, new_away = evaluate(*trial)
        gain = new_score - score
        accept = valid & ((gain >= 0) |
                          (rng.random(size) < np.exp(np.minimum(gain, 0) / temperatures[t])))
        arms[side] = np.where(accept[:, None], moved, arms[side])
        squares[side] = np.where(accept, moved_squares, squares[side])
        score = np.where(accept, new_score, score)
        direction = np.where(accept, new_direction, direction)
        away = {k: np.where(accept, new_away[k], v) for k, v in away.items()}
        _record(best, *arms, away)


def _best_response(worth, arm: dict, direction: float, pool=None):
    """The sample of one arm with the largest ``direction * sum(worth * counts)`` among all
    those printing as its mean and SD: the best row of ``pool`` when the pool holds every such
    sample, else an integer linear programme for each GRIM-consistent sum (counts >= 0 adding
    to n, the sum, the sum of squares within the SD's band; HiGHS through
    ``scipy.optimize.milp``), its solution checked in integers. None when none is found.

    The programmes' answers are remembered in ``arm`` (a search's climbs ask the same question
    again), so each is solved once per arm."""
    if pool is not None:
        return pool[int(np.argmax(direction * (pool @ worth)))]
    asked = arm.setdefault("responses", {})
    key = (np.asarray(worth, dtype=float).tobytes(), float(direction))
    if key not in asked:
        asked[key] = _solved_response(worth, arm, direction)
    return None if asked[key] is None else asked[key].copy()


def _solved_response(worth, arm: dict, direction: float):
    """:func:`_best_response` without a pool: one integer programme per GRIM-consistent sum."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    top, n = arm["top"], arm["n"]
    grid = np.arange(top + 1, dtype=np.int64)
    low, high = _square_band(arm["sums"], arm["sd"], n, float(arm["step"]))
    rows = np.vstack([np.ones(top + 1), grid, grid ** 2]).astype(float)
    best = None
    for total, q_low, q_high in zip(arm["sums"], low, high):
        if q_low > q_high:
            continue
        result = milp(-direction * worth, integrality=np.ones(top + 1), bounds=Bounds(0, n),
                      constraints=LinearConstraint(rows, [n, total, q_low], [n, total, q_high]))
        if result.x is None:
            continue
        counts = np.rint(result.x).astype(np.int64)
        if (counts < 0).any() or counts.sum() != n or counts @ grid != total or \
                not q_low <= counts @ grid ** 2 <= q_high:
            continue
        value = direction * float(worth @ counts)
        if best is None or value > best[0]:
            best = (value, counts)
    return None if best is None else best[1]


def _climb(a, b, arm_a: dict, arm_b: dict, pools, better: str, direction: float,
           rounds: int = 20):
    """Alternating best responses (:func:`_best_response`) from the pair ``(a, b)``: B's best
    sample given A's, then A's given B's, while U moves the wanted way (``direction`` +1: up,
    -1: down). ``pools``: each arm's every feasible sample, or None. Each response is exact;
    the pair is a local extreme (no single arm can do better), not known to be the global one."""
    current = direction * float(_away(a, b, 0, 0, better)["u"][0])
    for _ in range(rounds):
        response = _best_response(arm_a["n"] - _beyond(a.astype(float), better), arm_b,
                                  direction, pools[1])
        b_new = b if response is None else response
        response = _best_response(_beyond(b_new.astype(float), better), arm_a, direction,
                                  pools[0])
        a_new = a if response is None else response
        value = direction * float(_away(a_new, b_new, 0, 0, better)["u"][0])
        if value <= current + 1e-9:
            break
        a, b, current = a_new, b_new, value
    return a, b


def _polish(best: dict, arm_a, arm_b, pools, deaths_a, deaths_b, better) -> None:
    """Climb (:func:`_climb`) from the pairs of largest and smallest U in ``best``, keeping
    what it finds."""
    for name, direction in (("u_max", 1.0), ("u_min", -1.0)):
        a, b = _climb(best[name][1], best[name][2], arm_a, arm_b, pools, better, direction)
        _record(best, a[None], b[None], _away(a, b, deaths_a, deaths_b, better))


def _search(pool_a, pool_b, arm_a, arm_b, deaths_a, deaths_b, better, seed, *, complete,
            chains, iterations, restarts, climbs, pair_limit) -> dict:
    """The search of :func:`rank_sum_bounds` over two pools of feasible samples (count
    vectors; ``complete``: whether each pool holds every feasible sample of its arm):

    1. the extremes over every pair of the pools (:func:`_all_pairs`) or, with too many pairs,
       alternating best responses within them (:func:`_alternate`, ``restarts`` starts each
       way);
    2. alternating exact best responses over each arm's every feasible sample (:func:`_climb`)
       from the pairs of extreme U, and from ``climbs`` random pairs of the pools each way;
    3. annealing (:func:`_anneal`), half of the chains of each objective started from the
       extreme it pushes towards, the others from random pairs of the pools;
    4. step 2 again from the annealing's pairs of extreme U."""
    rng = np.random.default_rng(seed)
    n_a, n_b = arm_a["n"], arm_b["n"]
    pools = [pool if whole else None for pool, whole in zip((pool_a, pool_b), complete)]
    if len(pool_a) * len(pool_b) <= pair_limit:
        best = _all_pairs(pool_a, pool_b, n_a, n_b, deaths_a, deaths_b, better)
    else:
        best = {}
        for direction in (1.0, -1.0):
            index_a, index_b = _alternate(pool_a, pool_b, better, direction, restarts, rng)
            _record(best, pool_a[index_a], pool_b[index_b],
                    _away(pool_a[index_a], pool_b[index_b], deaths_a, deaths_b, better))
    _polish(best, arm_a, arm_b, pools, deaths_a, deaths_b, better)
    for direction in (1.0, -1.0):
        for _ in range(climbs):
            a, b = _climb(pool_a[rng.integers(len(pool_a))], pool_b[rng.integers(len(pool_b))],
                          arm_a, arm_b, pools, better, direction)
            _record(best, a[None], b[None], _away(a, b, deaths_a, deaths_b, better))
    size = len(_OBJECTIVES) * chains
    start_a = pool_a[rng.integers(0, len(pool_a), size)].copy()
    start_b = pool_b[rng.integers(0, len(pool_b), size)].copy()
    for index, seed_name in enumerate(_SEEDS):
        rows = index * chains + np.arange(chains // 2)
        start_a[rows], start_b[rows] = best[seed_name][1], best[seed_name][2]
    grid = np.arange(arm_a["top"] + 1)
    bands = []
    for arm, counts in ((arm_a, start_a), (arm_b, start_b)):
        low, high = _square_band(arm["sums"], arm["sd"], arm["n"], float(arm["step"]))
        position = np.searchsorted(arm["sums"], counts @ grid)
        bands.append((low[position], high[position]))
    _anneal(best, start_a, start_b, *bands, arm_a["top"], deaths_a, deaths_b, better, rng,
            iterations)
    _polish(best, arm_a, arm_b, pools, deaths_a, deaths_b, better)
    return best


def _arm(spec: dict, rounding: str) -> dict:
    """One arm's printed cell, checked, with its grid and GRIM-consistent sums."""
    missing = {"mean", "sd", "n", "step", "scale_min", "scale_max"} - set(spec)
    if missing:
        raise ValueError(f"an arm's cell needs {sorted(missing)}")
    step, low, top = _grid_of(spec["step"], spec["scale_min"], spec["scale_max"])
    n = int(spec["n"])
    if n < 2:
        raise ValueError("each arm needs n of at least 2")
    mean, sd = str(spec["mean"]), str(spec["sd"])
    sums = consistent_sums(mean, n, step, scale_min=low, scale_max=spec["scale_max"],
                           rounding=rounding)
    return dict(mean=mean, sd=sd, n=n, step=step, low=low, top=top, sums=sums,
                scale_max=spec["scale_max"], rounding=rounding)


def _values(counts, arm: dict) -> np.ndarray:
    grid = float(arm["low"]) + float(arm["step"]) * np.arange(arm["top"] + 1)
    return np.repeat(grid, np.asarray(counts, dtype=np.int64))


def _bound_names() -> list[str]:
    return [f"{prefix}{statistic}_{side}" for prefix in ("", "composite_")
            for statistic in ("u", "win", "p") for side in ("min", "max")]


def _empty_bounds(method, status, found_a=0, found_b=0) -> dict:
    out = {name: float("nan") for name in _bound_names()}
    out.update(method=method, status=status, samples_a=found_a, samples_b=found_b,
               extremes={})
    return out


def _enumerated(arm: dict, limit: int):
    """The arm's every feasible sample (:func:`enumerate_samples`), or None when its grid is
    too large to enumerate."""
    try:
        return enumerate_samples(arm["mean"], arm["sd"], arm["n"], arm["step"],
                                 scale_min=arm["low"], scale_max=arm["scale_max"],
                                 rounding=arm["rounding"], limit=limit)
    except _TooLarge:
        return None


def _sampled(arm: dict, starts: int, seed: int) -> np.ndarray:
    """SPRITE samples and the sparse samples of the arm (:func:`_sparse_samples`), as count
    vectors."""
    values = sprite(arm["mean"], arm["sd"], arm["n"], arm["step"], scale_min=arm["low"],
                    scale_max=arm["scale_max"], samples=starts, seed=seed,
                    rounding=arm["rounding"])
    index = np.rint((values - float(arm["low"])) / float(arm["step"])).astype(np.int64)
    counts = np.zeros((len(index), arm["top"] + 1), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(index)), arm["n"]), index.ravel()), 1)
    return np.unique(np.concatenate([counts, _sparse_samples(arm)]), axis=0)


def rank_sum_bounds(a: dict, b: dict, *, better: str = "lower", deaths_a: int = 0,
                    deaths_b: int = 0, seed: int = 2014, rounding: str = "either",
                    enumeration_limit: int = 2_000_000, pair_limit: int = 20_000_000,
                    chains: int = 16, iterations: int = 400, starts: int = 64,
                    restarts: int = 32, climbs: int = 2) -> dict:
    """Range of the Mann-Whitney statistic and p between two arms given their printed cells.

    Parameters
    ----------
    a, b : dict
        Each arm's printed cell: ``mean`` and ``sd`` (str, as printed), ``n`` (survivors),
        ``step``, ``scale_min``, ``scale_max`` (the grid: values ``scale_min + step * y``; step
        may be a Fraction). Both arms must share the grid.
    better : {"lower", "higher"}
        Which direction of the score is better (deaths are always worst).
    deaths_a, deaths_b : int
        Patients of each arm who died before follow-up, for the composite (worst-rank, Lachin
        1999): worse than any score and tied among themselves.
    seed : int
        Seed of SPRITE and of the search (the result is deterministic).
    rounding : {"either", "half_up", "half_even"}
        Rounding of the means (GRIM).
    enumeration_limit, pair_limit
        Each arm is enumerated (:func:`enumerate_samples` with ``limit=enumeration_limit``)
        where its grid allows; with both arms enumerated and at most ``pair_limit`` pairs,
        every pair is evaluated and the bounds are exact. Otherwise the search runs.
    chains, iterations, starts, restarts, climbs
        The search: annealing chains per objective (8 objectives) and steps; SPRITE samples per
        arm not enumerated; starts of the alternating best responses within the pools where
        they have more than ``pair_limit`` pairs; alternating exact best responses from random
        pairs, each way (an integer programme per response for an arm not enumerated).

    Returns
    -------
    dict
        ``u_min, u_max`` (A's win count: pairs where A is better plus half the ties),
        ``win_min, win_max`` (``u / (n_A n_B)``), ``p_min, p_max`` (two-sided asymptotic p of
        ``scipy.stats.mannwhitneyu``, tie and continuity corrected), the same with a
        ``composite_`` prefix over all randomised patients; ``method`` (:data:`EXACT`: every
        pair of feasible samples evaluated, the bounds are exact; :data:`SEARCH`: the true range
        contains the one given; None when GRIM rejects an arm), ``status``
        (:data:`IMPOSSIBLE` when an arm fails GRIM; :data:`NONE_FOUND` when an arm has no
        sample, which with method EXACT means none exists; else :data:`BOUNDED`),
        ``samples_a, samples_b`` (feasible samples enumerated, or in the search's pool) and
        ``extremes``: for each of ``u_min, u_max, p_min, p_max, composite_p_min,
        composite_p_max`` the pair of samples reaching it, ``{"a": values, "b": values}``
        (sorted, in scale units; the composite U extremes are the survivors' U extremes).

    Examples
    --------
    A single item at 6 months: one answer 1-4 per patient, 18 survivors and 12 deaths per
    arm. Every pair of feasible samples is evaluated.

    >>> item = dict(n=18, step=1, scale_min=1, scale_max=4)
    >>> bounds = rank_sum_bounds({**item, "mean": "2.1", "sd": "1.1"},
    ...                          {**item, "mean": "2.6", "sd": "1.1"}, deaths_a=12, deaths_b=12)
    >>> bounds["method"], bounds["samples_a"], bounds["samples_b"]
    ('exact (enumeration)', 12, 14)
    >>> round(bounds["p_min"], 3), round(bounds["p_max"], 3)
    (0.111, 0.258)
    """
    better = _check_better(better)
    deaths_a, deaths_b = int(deaths_a), int(deaths_b)
    if deaths_a < 0 or deaths_b < 0:
        raise ValueError("deaths cannot be negative")
    arm_a, arm_b = _arm(a, rounding), _arm(b, rounding)
    if (arm_a["step"], arm_a["low"], arm_a["top"]) != (arm_b["step"], arm_b["low"],
                                                       arm_b["top"]):
        raise ValueError("both arms must share the grid (step, scale_min, scale_max)")
    if len(arm_a["sums"]) == 0 or len(arm_b["sums"]) == 0:
        return _empty_bounds(None, IMPOSSIBLE)
    enumerated = [_enumerated(arm, enumeration_limit) for arm in (arm_a, arm_b)]
    if any(counts is not None and len(counts) == 0 for counts in enumerated):
        return _empty_bounds(EXACT, NONE_FOUND, *(len(c) if c is not None else 0
                                                  for c in enumerated))
    if all(counts is not None for counts in enumerated) and \
            len(enumerated[0]) * len(enumerated[1]) <= pair_limit:
        best = _all_pairs(enumerated[0], enumerated[1], arm_a["n"], arm_b["n"], deaths_a,
                          deaths_b, better)
        return _bounds_from(best, EXACT, arm_a, arm_b, deaths_a, deaths_b, better,
                            len(enumerated[0]), len(enumerated[1]))
    pools = [counts if counts is not None else _sampled(arm, starts, seed + offset)
             for offset, (arm, counts) in enumerate(zip((arm_a, arm_b), enumerated))]
    if len(pools[0]) == 0 or len(pools[1]) == 0:
        return _empty_bounds(SEARCH, NONE_FOUND, len(pools[0]), len(pools[1]))
    best = _search(pools[0], pools[1], arm_a, arm_b, deaths_a, deaths_b, better, seed,
                   complete=[counts is not None for counts in enumerated], chains=chains,
                   iterations=iterations, restarts=restarts, climbs=climbs,
                   pair_limit=pair_limit)
    return _bounds_from(best, SEARCH, arm_a, arm_b, deaths_a, deaths_b, better, len(pools[0]),
                        len(pools[1]))


def _bounds_from(best, method, arm_a, arm_b, deaths_a, deaths_b, better, found_a, found_b):
    n_a, n_b = arm_a["n"], arm_b["n"]
    extremes = {name: {"a": _values(ca, arm_a), "b": _values(cb, arm_b)}
                for name, (_, ca, cb) in best.items()}
    # every statistic recomputed from the samples themselves (the same formulas as reported)
    stats = {name: rank_sum_statistics(ca, cb, better=better, deaths_a=deaths_a,
                                       deaths_b=deaths_b) for name, (_, ca, cb) in best.items()}
    shift = n_a * deaths_b + 0.5 * deaths_a * deaths_b
    u_min, u_max = float(stats["u_min"]["u"]), float(stats["u_max"]["u"])
    out = dict(u_min=u_min, u_max=u_max, win_min=u_min / (n_a * n_b),
               win_max=u_max / (n_a * n_b),
               p_min=float(stats["p_min"]["p"]), p_max=float(stats["p_max"]["p"]),
               composite_u_min=u_min + shift, composite_u_max=u_max + shift,
               composite_win_min=(u_min + shift) / ((n_a + deaths_a) * (n_b + deaths_b)),
               composite_win_max=(u_max + shift) / ((n_a + deaths_a) * (n_b + deaths_b)),
               composite_p_min=float(stats["composite_p_min"]["composite_p"]),
               composite_p_max=float(stats["composite_p_max"]["composite_p"]),
               method=method, status=BOUNDED, samples_a=found_a, samples_b=found_b,
               extremes=extremes)
    return out


# ---------------------------------------------------------------------------------------------
# Tables of contrasts
# ---------------------------------------------------------------------------------------------

#: The columns :func:`rank_sum_table` reads from each row.
CELL_COLUMNS = ("label", "better", "deaths_a", "deaths_b", "published_p", "mean_a", "sd_a",
                "n_a", "mean_b", "sd_b", "n_b", "step", "scale_min", "scale_max")
#: Composite conclusions: with exact bounds, and with search bounds (the true range may be
#: wider, so a one-sided claim only holds for the samples found).
CONCLUSIONS = {
    "significant": ("significant whatever the survivors' data",
                    "significant in every sample found"),
    "not significant": ("not significant whatever the survivors' data",
                        "not significant in any sample found"),
    "depends": ("depends on the survivors' data", "depends on the survivors' data"),
}
_SIDE_FREE = ("p_min", "p_max", "composite_p_min", "composite_p_max")


def _conclusion(bounds: dict, alpha: float):
    """The composite's conclusion at ``alpha`` (:data:`CONCLUSIONS`); NA without bounds."""
    import pandas as pd

    if bounds["status"] != BOUNDED or np.isnan(bounds["composite_p_min"]):
        return pd.NA
    which = 0 if bounds["method"] == EXACT else 1
    if bounds["composite_p_max"] < alpha:
        return CONCLUSIONS["significant"][which]
    if bounds["composite_p_min"] >= alpha:
        return CONCLUSIONS["not significant"][which]
    return CONCLUSIONS["depends"][which]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value == ""


def _either_way(lower: dict, higher: dict) -> dict:
    """Bounds when the better direction is not known: the p ranges over both directions (the
    survivors' p does not depend on it, the composite's does: the dead rank below the lowest or
    above the highest score); U and the win probability are not defined without it."""
    if lower["status"] != BOUNDED:
        return lower
    out = dict(lower)
    for name in _bound_names():
        if name not in _SIDE_FREE:
            out[name] = float("nan")
    for name in _SIDE_FREE:
        out[name] = (min if name.endswith("_min") else max)(lower[name], higher[name])
    both_exact = lower["method"] == higher["method"] == EXACT
    out["method"] = EXACT if both_exact else SEARCH
    return out


def rank_sum_table(cells, *, seed: int = 2014, alpha: float = 0.05, **options):
    """:func:`rank_sum_bounds` for every contrast of ``cells``, one row each.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per contrast with :data:`CELL_COLUMNS`: ``label``, ``better`` ("lower",
        "higher", or "" where the direction is not known), ``deaths_a``, ``deaths_b``,
        ``published_p`` (float, may be NaN) and the two arms' cells ``mean_a, sd_a, n_a,
        mean_b, sd_b, n_b`` (means and SDs as printed strings) on the grid ``step, scale_min,
        scale_max`` (``step`` missing: the item count is unknown).
    seed : int
    alpha : float
        Significance level of ``composite_conclusion``.
    **options
        Passed to :func:`rank_sum_bounds` (``chains``, ``iterations``, ...).

    Returns
    -------
    pandas.DataFrame
        The input columns, then the bounds of :func:`rank_sum_bounds` (without the samples: call
        it for one row to inspect them), ``method``, ``status``, ``published_p_within`` (is the
        published p inside the survivors' ``[p_min, p_max]``; NA without bounds or a published
        p; with search bounds False only says it is outside the range found) and
        ``composite_conclusion`` (:data:`CONCLUSIONS`): with exact bounds
        ``"significant whatever the survivors' data"`` (composite p_max < alpha) or
        ``"not significant whatever the survivors' data"`` (composite p_min >= alpha); with
        search bounds, whose true range may be wider, ``"significant in every sample found"``
        and ``"not significant in any sample found"``; else ``"depends on the survivors'
        data"`` (samples on both sides were found). Where ``better`` is "", both directions are
        bounded and the p ranges joined; U and the win probability are then NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.DataFrame([dict(label="item", better="lower", deaths_a=12, deaths_b=12,
    ...     published_p=0.56, mean_a="1.3", sd_a="0.6", n_a=18, mean_b="1.4", sd_b="0.7",
    ...     n_b=18, step=1, scale_min=1, scale_max=4)])
    >>> row = rank_sum_table(cells).iloc[0]
    >>> row["method"], bool(row["published_p_within"]), row["composite_conclusion"]
    ('exact (enumeration)', True, "not significant whatever the survivors' data")
    """
    import pandas as pd

    missing = set(CELL_COLUMNS) - set(cells.columns)
    if missing:
        raise ValueError(f"cells lacks the columns {sorted(missing)}")
    rows = []
    for _, cell in cells.iterrows():
        if _missing(cell["step"]):
            bounds = _empty_bounds(None, UNKNOWN_ITEMS)
        else:
            grid = dict(step=cell["step"], scale_min=cell["scale_min"],
                        scale_max=cell["scale_max"])
            arms = [dict(mean=str(cell[f"mean_{arm}"]), sd=str(cell[f"sd_{arm}"]),
                         n=int(cell[f"n_{arm}"]), **grid) for arm in ("a", "b")]
            deaths = dict(deaths_a=int(cell["deaths_a"]), deaths_b=int(cell["deaths_b"]))
            if _missing(cell["better"]):
                bounds = _either_way(*(rank_sum_bounds(*arms, better=way, seed=seed, **deaths,
                                                       **options)
                                       for way in ("lower", "higher")))
            else:
                bounds = rank_sum_bounds(*arms, better=cell["better"], seed=seed, **deaths,
                                         **options)
        bounds.pop("extremes")
        published = cell["published_p"]
        within = pd.NA if bounds["status"] != BOUNDED or pd.isna(published) else \
            bool(bounds["p_min"] <= float(published) <= bounds["p_max"])
        rows.append({**cell.to_dict(), **bounds, "published_p_within": within,
                     "composite_conclusion": _conclusion(bounds, alpha)})
    return pd.DataFrame(rows)
