"""Effect sizes and tests from summary data (mean, SD, n per arm and timepoint).

Uses scipy.stats (``ttest_ind_from_stats``, the t and normal distributions, ``brentq``) for the
tests; the standardised mean difference, its variance and CI follow metafor's ``escalc("SMD")``
(Hedges' g with the exact small-sample correction, large-sample variance), which no Python
library computes from summary statistics with that exact definition. The change-score and
baseline-adjusted (ANCOVA-type) estimates need the pre-post correlation ``r``, which a paper
that prints summaries rarely reports: every such estimate is a function of an assumed ``r``.

Conventions: differences are the treatment arm minus the control arm (the caller names both),
so a negative value means a lower score in the treatment arm; columns ending ``_a`` hold the
treatment arm, ``_b`` the control. Baseline summaries are those of all randomised patients;
follow-up summaries are those of the survivors. A change-score analysis from these assumes that
the survivors' baseline resembled that of all patients.

Where a paper states its test or its effect size, the caller passes them (:func:`reanalyse`'s
``test``, ``effect_size``, ``effect_size_at``; vocabularies :data:`TESTS`, :data:`EFFECT_SIZES`,
:data:`EFFECT_SIZE_AT`) and only the stated method is checked; this module never reads a trial.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .ledger import builds, claim_id

__all__ = ["ESTIMAND_COLUMNS", "pooled_sd", "hedges_correction", "hedges_g", "mean_difference",
           "change_sd", "contrasts", "arms_at", "change_score", "ancova", "ancova_smd",
           "morris_dppc2", "implied_r", "p_range", "implied_r_interval", "effect_size_ranges",
           "effect_size_search", "p_from_d", "statcheck", "PLAUSIBLE_R", "T_TEST_FAMILIES",
           "reanalyse", "definition_summary", "estimand_rows", "ledger_rows",
           "normal_share_above", "TESTS", "EFFECT_SIZES", "EFFECT_SIZE_AT", "declared_definition",
           "p_from_effect_size"]

ESTIMAND_COLUMNS = ["instrument", "scale", "timepoint", "estimand", "estimate", "se", "ci_low",
                    "ci_high", "p_value", "method", "assumption"]


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------

def pooled_sd(sd1, n1, sd2, n2):
    """Pooled SD of two groups: sqrt(((n1-1) sd1^2 + (n2-1) sd2^2) / (n1 + n2 - 2))."""
    sd1, sd2, n1, n2 = map(np.asarray, (sd1, sd2, n1, n2))
    return np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def hedges_correction(df):
    """Exact small-sample correction of Hedges (1981), as metafor's ``escalc`` uses:
    ``J = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2))``.

    Examples
    --------
    >>> round(float(hedges_correction(34)), 7)  # R: exp(lgamma(17) - log(sqrt(17)) - lgamma(16.5))
    0.9777502
    """
    df = np.asarray(df, dtype=float)
    return np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))


def hedges_g(m1, sd1, n1, m2, sd2, n2, level: float = 0.95) -> pd.DataFrame:
    """Standardised mean difference (group 1 minus group 2) as metafor's ``escalc("SMD")``:
    ``g = J d`` with ``d = (m1 - m2) / pooled SD``, variance ``1/n1 + 1/n2 + g^2 / (2 (n1 + n2))``,
    Wald CI ``g +/- z sqrt(v)``.

    Returns a table with ``g, variance, se, ci_low, ci_high, d``.

    Examples
    --------
    Means 41.05 and 50.93, SDs 19.1 and 20.55, 18 patients each (metafor: yi -0.4869467,
    vi 0.1144044):

    >>> row = hedges_g(41.05, 19.1, 18, 50.93, 20.55, 18).iloc[0]
    >>> round(float(row["g"]), 7), round(float(row["variance"]), 7)
    (-0.4869467, 0.1144044)
    """
    m1, sd1, n1, m2, sd2, n2 = (np.atleast_1d(np.asarray(v, dtype=float))
                                for v in (m1, sd1, n1, m2, sd2, n2))
    if (sd1 < 0).any() or (sd2 < 0).any():
        raise ValueError("an SD cannot be negative")
    if (n1 < 2).any() or (n2 < 2).any():
        raise ValueError("each group needs n of at least 2")
    d = (m1 - m2) / pooled_sd(sd1, n1, sd2, n2)
    g = hedges_correction(n1 + n2 - 2) * d
    variance = 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))
    z = stats.norm.ppf(0.5 + level / 2)
    se = np.sqrt(variance)
    return pd.DataFrame({"g": g, "variance": variance, "se": se, "ci_low": g - z * se,
                         "ci_high": g + z * se, "d": d})


def mean_difference(m1, sd1, n1, m2, sd2, n2, *, welch: bool = True,
                    level: float = 0.95) -> pd.DataFrame:
    """Difference of means (group 1 minus group 2) with its t-test from summary statistics
    (``scipy.stats.ttest_ind_from_stats``), SE and t-based CI; Welch or Student.

    Examples
    --------
    Means 15.44 and 24.95, SDs 8.6 and 12.8, 18 each (R: Student p 0.0131605, Welch p
    0.0138243):

    >>> round(mean_difference(15.44, 8.6, 18, 24.95, 12.8, 18, welch=False)["p_value"].item(), 7)
    0.0131605
    """
    m1, sd1, n1, m2, sd2, n2 = (np.atleast_1d(np.asarray(v, dtype=float))
                                for v in (m1, sd1, n1, m2, sd2, n2))
    test = stats.ttest_ind_from_stats(m1, sd1, n1, m2, sd2, n2, equal_var=not welch)
    if welch:
        a, b = sd1**2 / n1, sd2**2 / n2
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    else:
        se = pooled_sd(sd1, n1, sd2, n2) * np.sqrt(1 / n1 + 1 / n2)
        df = n1 + n2 - 2
    critical = stats.t.ppf(0.5 + level / 2, df)
    estimate = m1 - m2
    return pd.DataFrame({"estimate": estimate, "se": se, "ci_low": estimate - critical * se,
                         "ci_high": estimate + critical * se, "t": np.asarray(test.statistic),
                         "df": df, "p_value": np.asarray(test.pvalue)})


def change_sd(sd_before, sd_after, r):
    """SD of the change from baseline: sqrt(sd0^2 + sd1^2 - 2 r sd0 sd1).

    Examples
    --------
    >>> float(change_sd(10, 10, 0.5))
    10.0
    """
    r = np.asarray(r, dtype=float)
    if ((r < -1) | (r > 1)).any():
        raise ValueError(f"a correlation must lie in [-1, 1], got {r}")
    return np.sqrt(np.maximum(np.asarray(sd_before) ** 2 + np.asarray(sd_after) ** 2
                              - 2 * r * np.asarray(sd_before) * np.asarray(sd_after), 0))


# ---------------------------------------------------------------------------------------------
# Arm summaries in wide form
# ---------------------------------------------------------------------------------------------

def contrasts(outcomes: pd.DataFrame, treatment: str, control: str, baseline: str,
              follow_ups: dict[str, str]) -> pd.DataFrame:
    """One row per scale and contrast with both arms' baseline and follow-up summaries:
    ``m0_a, sd0_a, n0_a, m1_a, sd1_a, n1_a`` for the ``treatment`` arm and the same with ``_b``
    for the ``control`` arm. ``outcomes`` is long (``instrument, scale, arm, timepoint, mean,
    sd, n``); ``follow_ups`` maps each contrast's name to its follow-up timepoint, compared with
    the ``baseline`` timepoint.

    Where ``outcomes`` carries the printed decimals (``mean_decimals``, ``sd_decimals``, as the
    loaders give them), ``hm0_a, hsd0_a, ...`` hold half a unit of each value's last printed
    digit: the rounding box in which the unrounded value lies. Without them the box is empty
    (half units of 0).

    Examples
    --------
    >>> long = pd.DataFrame({"instrument": "Q", "scale": "s", "arm": ["T", "T", "C", "C"],
    ...                      "timepoint": ["0", "1", "0", "1"], "mean": [10.0, 8.0, 11.0, 10.5],
    ...                      "sd": [2.0, 2.5, 2.2, 2.4], "n": [20, 18, 20, 17]})
    >>> wide = contrasts(long, "T", "C", "0", {"0-1": "1"})
    >>> wide[["contrast", "m0_a", "m1_a", "n1_b", "hm1_a"]].values.tolist()
    [['0-1', 10.0, 8.0, 17, 0.0]]
    """
    columns = ["mean", "sd", "n"] + [c for c in ("mean_decimals", "sd_decimals")
                                      if c in outcomes.columns]
    values = outcomes.set_index(["instrument", "scale", "arm", "timepoint"])[columns]
    rows = []
    positions = ((treatment, "a"), (control, "b"))
    for (instrument, scale), _ in outcomes.groupby(["instrument", "scale"], sort=False):
        for contrast, follow_up in follow_ups.items():
            row = dict(instrument=instrument, scale=scale, contrast=contrast, timepoint=follow_up)
            for arm, position in positions:
                for label, timepoint in (("0", baseline), ("1", follow_up)):
                    cell = values.loc[(instrument, scale, arm, timepoint)]
                    suffix = f"{label}_{position}"
                    row[f"m{suffix}"] = float(cell["mean"])
                    row[f"sd{suffix}"] = float(cell["sd"])
                    row[f"n{suffix}"] = int(cell["n"])
                    for column, name in (("mean", "hm"), ("sd", "hsd")):
                        places = cell.get(f"{column}_decimals")
                        row[f"{name}{suffix}"] = (0.0 if places is None or pd.isna(places)
                                                  else 0.5 * 10.0 ** -int(places))
            rows.append(row)
    return pd.DataFrame(rows)


def arms_at(frame: pd.DataFrame, when: str):
    """The six summaries of both arms at baseline (``when="0"``) or follow-up (``"1"``):
    ``m_a, sd_a, n_a, m_b, sd_b, n_b``, as the tests and effect sizes take them."""
    return (frame[f"m{when}_a"], frame[f"sd{when}_a"], frame[f"n{when}_a"],
            frame[f"m{when}_b"], frame[f"sd{when}_b"], frame[f"n{when}_b"])


# ---------------------------------------------------------------------------------------------
# Estimands
# ---------------------------------------------------------------------------------------------

def change_score(frame: pd.DataFrame, r: float, *, welch: bool = True) -> pd.DataFrame:
    """Difference in change from baseline (A minus B) and its t-test, with the SD of change from
    the assumed pre-post correlation ``r``; n of each arm = its follow-up n."""
    sd_change_a = change_sd(frame["sd0_a"], frame["sd1_a"], r)
    sd_change_b = change_sd(frame["sd0_b"], frame["sd1_b"], r)
    change_a = frame["m1_a"] - frame["m0_a"]
    change_b = frame["m1_b"] - frame["m0_b"]
    tested = mean_difference(change_a, sd_change_a, frame["n1_a"], change_b, sd_change_b,
                             frame["n1_b"], welch=welch)
    tested["sd_change_a"], tested["sd_change_b"] = np.asarray(sd_change_a), np.asarray(sd_change_b)
    return tested


def ancova(frame: pd.DataFrame, r: float, level: float = 0.95) -> pd.DataFrame:
    """Baseline-adjusted difference at follow-up (ANCOVA from summary data) under assumed ``r``.

    Exactly what ``lm(y ~ arm + baseline)`` gives on data with these summaries: each arm's
    baseline mean and SD (``m0, sd0``), follow-up mean and SD (``m1, sd1``), follow-up n, and a
    within-arm baseline to follow-up correlation ``r``. With ``SSx = sum (n - 1) sd0^2``,
    ``SSy = sum (n - 1) sd1^2`` and ``SSxy = sum (n - 1) r sd0 sd1`` over the arms, the common
    slope is ``b = SSxy / SSx``, the adjusted difference ``(m1A - m1B) - b (m0A - m0B)``, the
    residual variance ``s2 = (SSy - SSxy^2 / SSx) / (nA + nB - 3)`` and its variance
    ``s2 (1/nA + 1/nB + (m0A - m0B)^2 / SSx)``: the last term is the baseline imbalance, which
    a comparison that treats the baseline difference as fixed leaves out.

    The baselines are those of all randomised patients, standing in for the survivors' (an
    assumption: the tables print no survivors' baseline). With ``r = 0`` the adjusted difference
    is the follow-up difference, tested with one degree of freedom fewer.

    Examples
    --------
    Baseline 69.26 (17.0) and 57.59 (19.87) of 30 patients each, follow-up 41.05 (19.1) and
    50.93 (20.55) of 18 each, r = 0.5 (R ``lm`` on data built with exactly these summaries,
    ``tests/reference/ancova.R``: p 0.0125855):

    >>> row = pd.DataFrame([dict(m0_a=69.26, sd0_a=17.0, n0_a=30, m1_a=41.05, sd1_a=19.1, n1_a=18,
    ...                          m0_b=57.59, sd0_b=19.87, n0_b=30, m1_b=50.93, sd1_b=20.55,
    ...                          n1_b=18)])
    >>> round(float(ancova(row, 0.5)["p_value"].iloc[0]), 4)
    0.0126
    """
    r = float(r)
    if not -1 < r < 1:
        raise ValueError(f"the pre-post correlation must lie strictly between -1 and 1, got {r}")
    n_a, n_b = (np.asarray(frame[f"n1_{arm}"], dtype=float) for arm in "ab")
    sd0_a, sd0_b, sd1_a, sd1_b = (np.asarray(frame[c], dtype=float)
                                  for c in ("sd0_a", "sd0_b", "sd1_a", "sd1_b"))
    ss_x = (n_a - 1) * sd0_a**2 + (n_b - 1) * sd0_b**2
    ss_y = (n_a - 1) * sd1_a**2 + (n_b - 1) * sd1_b**2
    ss_xy = r * ((n_a - 1) * sd0_a * sd1_a + (n_b - 1) * sd0_b * sd1_b)
    slope = ss_xy / ss_x
    baseline_gap = np.asarray(frame["m0_a"] - frame["m0_b"], dtype=float)
    estimate = np.asarray(frame["m1_a"] - frame["m1_b"], dtype=float) - slope * baseline_gap
    df = n_a + n_b - 3
    residual = (ss_y - ss_xy**2 / ss_x) / df
    se = np.sqrt(residual * (1 / n_a + 1 / n_b + baseline_gap**2 / ss_x))
    t = estimate / se
    critical = stats.t.ppf(0.5 + level / 2, df)
    return pd.DataFrame({"estimate": estimate, "se": se,
                         "ci_low": estimate - critical * se, "ci_high": estimate + critical * se,
                         "t": t, "df": df, "p_value": 2 * stats.t.sf(np.abs(t), df),
                         "slope": slope, "residual_sd": np.sqrt(residual)})


def ancova_smd(frame: pd.DataFrame, r: float, level: float = 0.95) -> pd.DataFrame:
    """The baseline-adjusted difference of :func:`ancova` standardised by the pooled SD at
    follow-up (the Cochrane Handbook's choice for an ANCOVA mean difference), with Hedges'
    small-sample correction ``J`` on ``nA + nB - 2`` degrees of freedom: ``smd = J adjusted /
    s1`` and ``se = J se(adjusted) / s1`` (the SD taken as known), Wald CI.

    Examples
    --------
    With r = 0 and no baseline gap the SMD is Hedges' g of the follow-up scores, with an SE
    from one degree of freedom fewer:

    >>> row = pd.DataFrame(dict(m0_a=[50.0], sd0_a=[10.0], n0_a=[20], m1_a=[40.0], sd1_a=[10.0],
    ...                         n1_a=[20], m0_b=[50.0], sd0_b=[10.0], n0_b=[20], m1_b=[45.0],
    ...                         sd1_b=[10.0], n1_b=[20]))
    >>> round(float(ancova_smd(row, 0.0)["smd"].iloc[0]), 4) == round(
    ...     float(hedges_g(40, 10, 20, 45, 10, 20)["g"].iloc[0]), 4)
    True
    """
    adjusted = ancova(frame, r)
    s1 = pooled_sd(frame["sd1_a"], frame["n1_a"], frame["sd1_b"], frame["n1_b"])
    correction = hedges_correction(np.asarray(frame["n1_a"] + frame["n1_b"] - 2, dtype=float))
    smd = correction * adjusted["estimate"].to_numpy() / np.asarray(s1)
    se = correction * adjusted["se"].to_numpy() / np.asarray(s1)
    z = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame({"smd": smd, "se": se, "ci_low": smd - z * se, "ci_high": smd + z * se,
                         "p_value": adjusted["p_value"].to_numpy()})


def morris_dppc2(frame: pd.DataFrame, r: float, level: float = 0.95) -> pd.DataFrame:
    """Morris (2008) d_ppc2: the difference in change from baseline (A minus B) over the pooled
    baseline SD, with the small-sample correction ``c_p = 1 - 3 / (4 (nA + nB - 2) - 1)``. The
    point estimate does not depend on ``r``; the pre-post correlation enters only its variance
    (Morris 2008, equation 25, with d_ppc2 for the population effect)::

        var = 2 c_p^2 (1 - r) (nA + nB) / (nA nB) (nA + nB - 2) / (nA + nB - 4)
              * (1 + d^2 / (2 (1 - r) (nA + nB) / (nA nB))) - d^2

    n are the analysed (follow-up) n; the baseline SD is pooled over all randomised patients as
    the tables print it. Returns ``d_ppc2, variance, se, ci_low, ci_high`` (Wald).

    Examples
    --------
    A difference in change of 5 points with baseline SDs of 10, 20 per arm:

    >>> row = pd.DataFrame(dict(m0_a=[50.0], sd0_a=[10.0], n0_a=[20], m1_a=[45.0], sd1_a=[10.0],
    ...                         n1_a=[20], m0_b=[50.0], sd0_b=[10.0], n0_b=[20], m1_b=[50.0],
    ...                         sd1_b=[10.0], n1_b=[20]))
    >>> round(float(morris_dppc2(row, 0.5)["d_ppc2"].iloc[0]), 4)  # (1 - 3/151) * -0.5
    -0.4901
    """
    r = float(r)
    if not -1 <= r < 1:
        raise ValueError(f"the pre-post correlation must lie in [-1, 1), got {r}")
    n_a, n_b = (np.asarray(frame[f"n1_{arm}"], dtype=float) for arm in "ab")
    sd_pre = np.asarray(pooled_sd(frame["sd0_a"], frame["n0_a"], frame["sd0_b"], frame["n0_b"]))
    c_p = 1 - 3 / (4 * (n_a + n_b - 2) - 1)
    change = np.asarray((frame["m1_a"] - frame["m0_a"]) - (frame["m1_b"] - frame["m0_b"]),
                        dtype=float)
    d = c_p * change / sd_pre
    scale = (n_a + n_b) / (n_a * n_b)
    variance = (2 * c_p**2 * (1 - r) * scale * (n_a + n_b - 2) / (n_a + n_b - 4)
                * (1 + d**2 / (2 * (1 - r) * scale)) - d**2)
    se = np.sqrt(variance)
    z = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame({"d_ppc2": d, "variance": variance, "se": se, "ci_low": d - z * se,
                         "ci_high": d + z * se})


#: The columns of :func:`contrasts`' frame (and its callers' additions) that name a row rather
#: than hold a number.
LABEL_COLUMNS = ("instrument", "scale", "arm", "versus", "key", "comparison", "contrast",
                 "timepoint")


def implied_r(frame: pd.DataFrame, published_p, *, welch: bool = True) -> pd.Series:
    """The pre-post correlation that makes the change-score t-test give each published p, or
    NaN where no r in [-1, 1] does (the p is then out of reach of this test).

    The change-score p falls monotonically as r rises (the SD of change shrinks), so the root is
    unique when it exists (``scipy.optimize.brentq``).
    """
    out = []
    for (_, row), target in zip(frame.iterrows(), np.asarray(published_p, dtype=float)):
        single = row.to_frame().T.astype({c: float for c in frame.columns
                                          if c not in LABEL_COLUMNS})

        def gap(r):
            return float(change_score(single, r, welch=welch)["p_value"].iloc[0]) - target

        low, high = -0.999, 0.999
        try:
            if gap(low) * gap(high) > 0:
                out.append(np.nan)
            else:
                out.append(optimize.brentq(gap, low, high, xtol=1e-6))
        except (ValueError, ZeroDivisionError):
            out.append(np.nan)
    return pd.Series(out, index=frame.index, name="implied_r")


# ---------------------------------------------------------------------------------------------
# The rounding box: every value the printed inputs may stand for
# ---------------------------------------------------------------------------------------------
#
# A printed mean or SD stands for any value within half a unit of its last printed digit. A
# verdict that a p-value or an effect size cannot be reproduced must hold over that whole box.
# Method: interval bounds, exact where the quantity is monotone in independent inputs. A
# difference of means (or of changes) is linear in the means, so its range is the interval sum.
# A variance of change, sd0^2 + sd1^2 - 2 r sd0 sd1, is a convex quadratic in the two SDs: its
# maximum over the box is at a corner, its minimum at a corner or where an edge meets
# sd0 = r sd1 or sd1 = r sd0. The arms' SDs and the means are distinct inputs, so the difference
# and the two arms' variances range independently. Student's p is monotone in |difference| and in
# the pooled SD (fixed df): its range is exact. Welch's degrees of freedom also move with the two
# variances; they are searched on a grid over the (small) rectangle of the two variances.

def _interval_difference(frame: pd.DataFrame, when: str) -> tuple[np.ndarray, np.ndarray]:
    """Range of the A minus B difference at follow-up (``when="1"``) or of the difference in
    change (``when="change"``) over the rounding box."""
    if when == "1":
        centre = frame["m1_a"] - frame["m1_b"]
        half = frame.get("hm1_a", 0) + frame.get("hm1_b", 0)
    else:
        centre = (frame["m1_a"] - frame["m0_a"]) - (frame["m1_b"] - frame["m0_b"])
        half = sum(frame.get(f"hm{t}_{a}", 0) for t in "01" for a in "ab")
    centre = np.asarray(centre, dtype=float)
    half = np.broadcast_to(np.asarray(half, dtype=float), centre.shape)
    return centre - half, centre + half


def _quadratic_range(sd0, h0, sd1, h1, r) -> tuple[np.ndarray, np.ndarray]:
    """Range of sd0^2 + sd1^2 - 2 r sd0 sd1 over sd0 +/- h0, sd1 +/- h1 (SDs kept >= 0)."""
    sd0, h0, sd1, h1 = (np.asarray(v, dtype=float) for v in (sd0, h0, sd1, h1))
    a_ends = (np.maximum(sd0 - h0, 0), sd0 + h0)
    b_ends = (np.maximum(sd1 - h1, 0), sd1 + h1)

    def q(a, b):
        return a * a + b * b - 2 * r * a * b

    corners = [q(a, b) for a in a_ends for b in b_ends]
    candidates = list(corners)
    for b in b_ends:  # on an edge b fixed, the minimum over a is at a = r b
        candidates.append(q(np.clip(r * b, *a_ends), b))
    for a in a_ends:
        candidates.append(q(a, np.clip(r * a, *b_ends)))
    return np.maximum(np.min(candidates, axis=0), 0), np.max(corners, axis=0)


def _variance_ranges(frame: pd.DataFrame, when: str, r=None):
    """Per arm, the range of the variance of its values at follow-up or of its change."""
    out = []
    for arm in "ab":
        if when == "1":
            sd = np.asarray(frame[f"sd1_{arm}"], dtype=float)
            h = np.asarray(frame.get(f"hsd1_{arm}", 0), dtype=float)
            low, high = np.maximum(sd - h, 0) ** 2, (sd + h) ** 2
        else:
            low, high = _quadratic_range(frame[f"sd0_{arm}"], frame.get(f"hsd0_{arm}", 0),
                                         frame[f"sd1_{arm}"], frame.get(f"hsd1_{arm}", 0), r)
        out.append((np.broadcast_to(low, (len(frame),)), np.broadcast_to(high, (len(frame),))))
    return out


def _p_of(difference, var_a, var_b, n_a, n_b, welch: bool):
    with np.errstate(divide="ignore", invalid="ignore"):
        if welch:
            se2 = var_a / n_a + var_b / n_b
            df = se2**2 / ((var_a / n_a) ** 2 / (n_a - 1) + (var_b / n_b) ** 2 / (n_b - 1))
        else:
            pooled = ((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2)
            se2 = pooled * (1 / n_a + 1 / n_b)
            df = n_a + n_b - 2
        t = np.abs(difference) / np.sqrt(se2)
        p = 2 * stats.t.sf(t, df)
    return np.where(np.abs(difference) == 0, 1.0, np.where(se2 <= 0, 0.0, p))


def p_range(frame: pd.DataFrame, *, change: bool = False, r: float = 0.5, welch: bool = True,
            grid: int = 9) -> pd.DataFrame:
    """The smallest and largest p of the between-arm t-test over the rounding box of the printed
    means and SDs (``contrasts`` with half units): at follow-up, or of the change from baseline
    at an assumed ``r``.

    Returns ``p_min`` and ``p_max`` per row. Exact for Student's test; for Welch's, the two arms'
    variances are searched on a ``grid`` x ``grid`` lattice of their (small) rectangle, with its
    corners.

    Examples
    --------
    Without a box (no printed decimals) the range is the single p of the t-test:

    >>> row = pd.DataFrame([dict(m1_a=15.44, sd1_a=8.6, n1_a=18, m1_b=24.95, sd1_b=12.8, n1_b=18)])
    >>> round(float(p_range(row, welch=False)["p_min"].item()), 7)  # R: 0.0131605
    0.0131605
    """
    if len(frame) == 0:
        return pd.DataFrame({"p_min": pd.Series(dtype=float), "p_max": pd.Series(dtype=float)})
    when = "change" if change else "1"
    low, high = _interval_difference(frame, when)
    (va_lo, va_hi), (vb_lo, vb_hi) = _variance_ranges(frame, when, r)
    n_a = np.asarray(frame["n1_a"], dtype=float)
    n_b = np.asarray(frame["n1_b"], dtype=float)
    largest = np.maximum(np.abs(low), np.abs(high))
    smallest = np.where((low <= 0) & (high >= 0), 0.0, np.minimum(np.abs(low), np.abs(high)))
    steps = np.linspace(0.0, 1.0, grid if welch else 2)
    va = va_lo[:, None] + (va_hi - va_lo)[:, None] * steps[None, :]
    vb = vb_lo[:, None] + (vb_hi - vb_lo)[:, None] * steps[None, :]
    va, vb = va[:, :, None], vb[:, None, :]
    shape = (len(frame), len(steps), len(steps))

    def lattice(difference):
        return _p_of(np.broadcast_to(difference[:, None, None], shape), va, vb,
                     n_a[:, None, None], n_b[:, None, None], welch).reshape(len(frame), -1)

    return pd.DataFrame({"p_min": lattice(largest).min(axis=1),
                         "p_max": lattice(smallest).max(axis=1)}, index=frame.index)


def implied_r_interval(frame: pd.DataFrame, published_p, p_decimals, *, welch: bool = True
                       ) -> pd.DataFrame:
    """The pre-post correlations r in [-1, 1] with which the t-test of change gives the printed p
    for some values within the rounding box of the printed inputs, the p itself anywhere within
    its own rounding (half a unit of its last printed digit).

    The change-score p falls as r rises (the SD of change shrinks) for every point of the box, so
    its smallest and largest value over the box fall too, and the r that reach the printed p form
    one interval: from where the box's smallest p meets the top of the p's rounding interval to
    where its largest p meets the bottom. Returns ``r_low``, ``r_high`` (NaN where no r reaches
    it), and ``p_low``, ``p_high`` (the rounding interval of the printed p).
    """
    rows = []
    published = np.asarray(published_p, dtype=float)
    half = 0.5 * 10.0 ** -np.asarray(p_decimals, dtype=float)
    ends = (-1.0, 1.0)
    for i, (index, row) in enumerate(frame.iterrows()):
        single = frame.loc[[index]]
        top, bottom = published[i] + half[i], max(published[i] - half[i], 0.0)

        def smallest(r):
            return float(p_range(single, change=True, r=r, welch=welch)["p_min"].iloc[0])

        def largest(r):
            return float(p_range(single, change=True, r=r, welch=welch)["p_max"].iloc[0])

        reachable = smallest(ends[1]) <= top and largest(ends[0]) >= bottom
        low = high = np.nan
        if reachable:
            low = ends[0] if smallest(ends[0]) <= top else \
                optimize.brentq(lambda r: smallest(r) - top, *ends, xtol=1e-6)
            high = ends[1] if largest(ends[1]) >= bottom else \
                optimize.brentq(lambda r: largest(r) - bottom, *ends, xtol=1e-6)
        rows.append(dict(r_low=low, r_high=high, p_low=bottom, p_high=top))
    return pd.DataFrame(rows, index=frame.index)


# ---------------------------------------------------------------------------------------------
# Which definition gives the published effect sizes?
# ---------------------------------------------------------------------------------------------

def _definitions(frame: pd.DataFrame, r: float) -> dict[str, np.ndarray]:
    s0 = pooled_sd(frame["sd0_a"], frame["n0_a"], frame["sd0_b"], frame["n0_b"])
    s1 = pooled_sd(frame["sd1_a"], frame["n1_a"], frame["sd1_b"], frame["n1_b"])
    follow_up = frame["m1_a"] - frame["m1_b"]
    change = (frame["m1_a"] - frame["m0_a"]) - (frame["m1_b"] - frame["m0_b"])
    sd_change = pooled_sd(change_sd(frame["sd0_a"], frame["sd1_a"], r), frame["n1_a"],
                          change_sd(frame["sd0_b"], frame["sd1_b"], r), frame["n1_b"])
    j = hedges_correction(frame["n1_a"] + frame["n1_b"] - 2)
    return {
        "Cohen's d at follow-up (pooled SD)": np.asarray(follow_up / s1),
        "Hedges' g at follow-up": np.asarray(j * follow_up / s1),
        "Glass's delta at follow-up (control SD)": np.asarray(follow_up / frame["sd1_b"]),
        "change difference / pooled baseline SD": np.asarray(change / s0),
        "change difference / pooled follow-up SD": np.asarray(change / s1),
        "change difference / control baseline SD": np.asarray(change / frame["sd0_b"]),
        f"change difference / SD of change (r = {r:g})": np.asarray(change / sd_change),
        "difference of within-arm changes / own baseline SD": np.asarray(
            (frame["m1_a"] - frame["m0_a"]) / frame["sd0_a"]
            - (frame["m1_b"] - frame["m0_b"]) / frame["sd0_b"]),
        "arm A change / arm A baseline SD": np.asarray(
            (frame["m1_a"] - frame["m0_a"]) / frame["sd0_a"]),
    }


def _ratio(numerator, denominator):
    """Range of a ratio of two independent intervals, the denominator positive."""
    (a, b), (c, d) = numerator, denominator
    with np.errstate(divide="ignore", invalid="ignore"):
        candidates = np.array([a / c, a / d, b / c, b / d])
    return candidates.min(axis=0), candidates.max(axis=0)


def _sd_interval(frame, name):
    sd = np.asarray(frame[name], dtype=float)
    half = np.asarray(frame.get(f"h{name}", 0), dtype=float)
    return np.maximum(sd - half, 0), sd + half


def _pooled_interval(frame, when):
    low_a, high_a = _sd_interval(frame, f"sd{when}_a")
    low_b, high_b = _sd_interval(frame, f"sd{when}_b")
    n_a, n_b = frame[f"n{when}_a"], frame[f"n{when}_b"]
    return (np.asarray(pooled_sd(low_a, n_a, low_b, n_b)),
            np.asarray(pooled_sd(high_a, n_a, high_b, n_b)))


def effect_size_ranges(frame: pd.DataFrame, r_range=(0.5, 0.5)) -> pd.DataFrame:
    """The range of each candidate effect-size definition (as :func:`effect_size_search` names
    them) over the rounding box of the printed means and SDs, the SD-of-change definition also
    over the correlations of ``r_range``. Interval bounds: each definition is a difference of means
    (or of changes) over an SD, or a difference of two such ratios, with numerator and
    denominator from distinct printed values, so the bounds are exact.

    Returns one row per input row and definition: ``row, definition, low, high``.
    """
    frame = frame.reset_index(drop=True)
    follow_up = _interval_difference(frame, "1")
    change = _interval_difference(frame, "change")
    s0, s1 = _pooled_interval(frame, "0"), _pooled_interval(frame, "1")
    j = np.asarray(hedges_correction(frame["n1_a"] + frame["n1_b"] - 2))
    variances = [_variance_ranges(frame, "change", r) for r in r_range]
    change_sd_range = []
    for bound, pick in ((0, np.minimum), (1, np.maximum)):
        per_arm = [pick.reduce([v[arm][bound] for v in variances]) for arm in (0, 1)]
        change_sd_range.append(np.sqrt(((frame["n1_a"] - 1) * per_arm[0]
                                        + (frame["n1_b"] - 1) * per_arm[1])
                                       / (frame["n1_a"] + frame["n1_b"] - 2)).to_numpy())
    arm_change = {}
    for arm in "ab":
        centre = np.asarray(frame[f"m1_{arm}"] - frame[f"m0_{arm}"], dtype=float)
        half = np.asarray(frame.get(f"hm1_{arm}", 0) + frame.get(f"hm0_{arm}", 0), dtype=float)
        arm_change[arm] = _ratio((centre - half, centre + half),
                                 _sd_interval(frame, f"sd0_{arm}"))
    own = (arm_change["a"][0] - arm_change["b"][1], arm_change["a"][1] - arm_change["b"][0])
    hedges = _ratio(follow_up, s1)
    r_text = (f"{r_range[0]:g}" if r_range[0] == r_range[1]
              else f"{r_range[0]:g} to {r_range[1]:g}")
    ranges = {
        "Cohen's d at follow-up (pooled SD)": _ratio(follow_up, s1),
        "Hedges' g at follow-up": (np.minimum(j * hedges[0], j * hedges[1]),
                                   np.maximum(j * hedges[0], j * hedges[1])),
        "Glass's delta at follow-up (control SD)": _ratio(follow_up, _sd_interval(frame, "sd1_b")),
        "change difference / pooled baseline SD": _ratio(change, s0),
        "change difference / pooled follow-up SD": _ratio(change, s1),
        "change difference / control baseline SD": _ratio(change, _sd_interval(frame, "sd0_b")),
        f"change difference / SD of change (r = {r_text})": _ratio(change, tuple(change_sd_range)),
        "difference of within-arm changes / own baseline SD": own,
        "arm A change / arm A baseline SD": arm_change["a"],
    }
    rows = []
    for name, (low, high) in ranges.items():
        for i in range(len(frame)):
            rows.append(dict(row=i, definition=name, low=float(low[i]), high=float(high[i])))
    return pd.DataFrame(rows)


def effect_size_search(frame: pd.DataFrame, published, decimals, r: float = 0.5
                       ) -> pd.DataFrame:
    """Each candidate definition of the effect size, computed for every row, against the
    published value: ``matches`` where it rounds to the printed value (either sign convention is
    reported separately: ``sign_flipped`` when only the negated value matches)."""
    published = np.asarray(published, dtype=float)
    half_unit = 0.5 * 10.0 ** -np.asarray(decimals, dtype=float)
    rows = []
    for name, values in _definitions(frame, r).items():
        for i, value in enumerate(values):
            match = abs(value - published[i]) <= half_unit[i] + 1e-9
            flipped = abs(-value - published[i]) <= half_unit[i] + 1e-9
            rows.append(dict(row=i, definition=name, value=float(value),
                             published=float(published[i]), matches=bool(match),
                             sign_flipped=bool(flipped and not match),
                             error=float(value - published[i])))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# statcheck-style: does the effect size imply the p?
# ---------------------------------------------------------------------------------------------

def p_from_d(d, n1, n2):
    """Two-sided p of a two-sample t-test implied by Cohen's d with group sizes n1, n2:
    t = d sqrt(n1 n2 / (n1 + n2)), df = n1 + n2 - 2.

    Examples
    --------
    d = 0.5 with 30 per group (R: 2 * pt(-0.5 * sqrt(15), 58) = 0.057685):

    >>> round(float(p_from_d(0.5, 30, 30)), 6)
    0.057685
    """
    d, n1, n2 = (np.asarray(v, dtype=float) for v in (d, n1, n2))
    t = np.abs(d) * np.sqrt(n1 * n2 / (n1 + n2))
    return 2 * stats.t.sf(t, n1 + n2 - 2)


def statcheck(effect_size, effect_decimals, p, p_decimals, n1, n2, alpha: float = 0.05
              ) -> pd.DataFrame:
    """Does a printed effect size (read as Cohen's d), with its n, imply the printed p?

    The effect size's rounding gives a range of p; the printed p (rounded too) must overlap it.
    A decision error is an inconsistency that moves p across ``alpha``.
    """
    es = np.asarray(effect_size, dtype=float)
    half = 0.5 * 10.0 ** -np.asarray(effect_decimals, dtype=float)
    p = np.asarray(p, dtype=float)
    p_half = 0.5 * 10.0 ** -np.asarray(p_decimals, dtype=float)
    p_at_low = p_from_d(np.abs(es) - half, n1, n2)  # smaller |d| -> larger p
    p_at_high = p_from_d(np.abs(es) + half, n1, n2)
    p_implied = p_from_d(es, n1, n2)
    overlap = (p - p_half <= p_at_low) & (p + p_half >= p_at_high)
    decision = ~overlap & ((p < alpha) != (p_implied < alpha))
    return pd.DataFrame({"p_implied": p_implied, "p_range_low": p_at_high,
                         "p_range_high": p_at_low, "consistent": overlap,
                         "decision_error": decision})


# ---------------------------------------------------------------------------------------------
# The reanalysis of one table: published against recomputed
# ---------------------------------------------------------------------------------------------

def _rounds_to(value, printed_value, decimals) -> bool:
    return abs(float(value) - float(printed_value)) <= 0.5 * 10 ** -int(decimals) + 1e-12


#: Plausible pre-post correlations of quality-of-life scales: Walters et al. (2019, Trials 20:566)
#: found baseline to follow-up correlations of every EORTC QLQ-C30 scale between 0.16 and 0.74
#: in 20 randomised trials. An r outside this range "needs an implausible r".
PLAUSIBLE_R = (0.16, 0.74)
#: A named test a t-test can stand in for (test families of ``statements.csv``).
T_TEST_FAMILIES = ("t-test",)


#: The tests a paper may state (``test``, as ``trial.yaml``'s ``methods:`` names them), in words.
#: ``change_t`` is Welch's t-test of the change from baseline (the engine's test of change);
#: ``wilcoxon_signed_rank`` is how a paper may misname a between-arm rank test.
TESTS = {
    "welch_t": "Welch's t-test at follow-up",
    "student_t": "Student's t-test at follow-up",
    "change_t": "Welch's t-test of the change from baseline",
    "ancova": "ANCOVA (follow-up adjusted for baseline)",
    "mann_whitney": "Mann-Whitney U test",
    "wilcoxon_signed_rank": "Wilcoxon signed-rank test",
}
#: The effect sizes a paper may state (``effect_size``): the difference of means over the
#: pooled SD (``cohens_d``), the same with Hedges' exact small-sample correction
#: (``hedges_g``), over the control arm's SD (``glass_delta``).
EFFECT_SIZES = {"cohens_d": "Cohen's d", "hedges_g": "Hedges' g", "glass_delta": "Glass's delta"}
#: Of which scores (``effect_size_at``): at follow-up, or their change from baseline.
EFFECT_SIZE_AT = {"follow_up": "of the follow-up scores", "change": "of the change from baseline"}
#: The candidate definition (:func:`effect_size_search`'s names, up to the r in brackets) each
#: stated effect size is; a pair not listed is not implemented.
_DEFINITION_OF = {
    ("cohens_d", "follow_up"): "Cohen's d at follow-up (pooled SD)",
    ("hedges_g", "follow_up"): "Hedges' g at follow-up",
    ("glass_delta", "follow_up"): "Glass's delta at follow-up (control SD)",
    ("cohens_d", "change"): "change difference / SD of change",
}


def _check_declared(test, effect_size, effect_size_at) -> None:
    for name, value, allowed in (("test", test, TESTS), ("effect_size", effect_size, EFFECT_SIZES),
                                 ("effect_size_at", effect_size_at, EFFECT_SIZE_AT)):
        if value is not None and value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; use one of: {', '.join(allowed)} (or "
                             "None where the paper states none)")


def declared_definition(effect_size: str, effect_size_at: str | None = None) -> tuple[str, ...]:
    """The candidate definitions (:func:`effect_size_search`'s names, without the r of the
    SD-of-change definition) a stated effect size may be: one where ``effect_size_at`` is stated,
    those at follow-up and of change where it is not, none where the pair is not implemented
    (Hedges' g or Glass's delta of change).

    Examples
    --------
    >>> declared_definition("hedges_g", "follow_up")
    ("Hedges' g at follow-up",)
    >>> declared_definition("cohens_d")
    ("Cohen's d at follow-up (pooled SD)", 'change difference / SD of change')
    >>> declared_definition("glass_delta", "change")
    ()
    """
    _check_declared(None, effect_size, effect_size_at)
    ats = (effect_size_at,) if effect_size_at else tuple(EFFECT_SIZE_AT)
    return tuple(_DEFINITION_OF[(effect_size, at)] for at in ats
                 if (effect_size, at) in _DEFINITION_OF)


def _kind_of(definition: str) -> tuple[str, str] | None:
    """The (effect size, scores) pair a candidate definition's name stands for, if any."""
    for pair, name in _DEFINITION_OF.items():
        if definition.startswith(name):
            return pair
    return None


def _t_factor(x, n1, n2, effect_size: str, welch: bool):
    """t = (effect size as d or Glass's delta) x factor, for a variance ratio x = var1 / var2."""
    x, n1, n2 = (np.asarray(v, dtype=float) for v in (x, n1, n2))
    if effect_size == "glass_delta":
        if welch:
            return 1 / np.sqrt(x / n1 + 1 / n2)
        return np.sqrt((n1 + n2 - 2) / ((n1 - 1) * x + n2 - 1)) / np.sqrt(1 / n1 + 1 / n2)
    if welch:
        return np.sqrt(((n1 - 1) * x + n2 - 1) / (n1 + n2 - 2) / (x / n1 + 1 / n2))
    return np.broadcast_to(np.sqrt(n1 * n2 / (n1 + n2)), np.broadcast(x, n1, n2).shape)


def _welch_df(x, n1, n2):
    x, n1, n2 = (np.asarray(v, dtype=float) for v in (x, n1, n2))
    a, b = x / n1, 1 / n2
    return (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))


def _as_d(value, n1, n2, effect_size: str):
    """A Hedges' g back to Cohen's d (``d = g / J``); other effect sizes as they are."""
    value = np.asarray(value, dtype=float)
    if effect_size == "hedges_g":
        return value / hedges_correction(np.asarray(n1, dtype=float) + n2 - 2)
    return value


def p_from_effect_size(value, n1, n2, effect_size: str = "cohens_d", test: str = "student_t",
                       variance_ratio=1.0):
    """Two-sided p of the two-sample t-test ``test`` implied by an effect size of the same
    scores, with group sizes n1, n2 (group 1 minus group 2).

    ``effect_size``: ``cohens_d`` (difference over the pooled SD), ``hedges_g`` (``J d``, J of
    :func:`hedges_correction` on n1 + n2 - 2 df) or ``glass_delta`` (over group 2's SD).
    ``test``: ``student_t`` or ``welch_t`` (``change_t``, Welch's test of change scores, is the
    same arithmetic on the change scores). With ``variance_ratio`` x = sd1^2 / sd2^2:

    - Student, d or g: ``t = d sqrt(n1 n2 / (n1 + n2))``, df n1 + n2 - 2 (x plays no part);
    - Student, Glass's delta: ``t = delta sqrt((n1 + n2 - 2) / ((n1 - 1) x + n2 - 1)) /
      sqrt(1/n1 + 1/n2)``;
    - Welch, d or g: ``t = d s_pooled / SE_Welch = d sqrt(((n1 - 1) x + n2 - 1) / (n1 + n2 - 2)
      / (x / n1 + 1 / n2))``;
    - Welch, Glass's delta: ``t = delta / sqrt(x / n1 + 1 / n2)``;

    Welch's df ``(x/n1 + 1/n2)^2 / ((x/n1)^2 / (n1 - 1) + (1/n2)^2 / (n2 - 1))``. Each is an
    identity (the effect size and the statistic computed from the same means, SDs and n), so
    the p is exact given x; with equal n, Welch's t equals Student's and only the df differ.

    Examples
    --------
    Hedges' g = 0.5 with 30 per group is d = 0.5 / J(58) (R: ``d <- 0.5 / exp(lgamma(29) -
    log(sqrt(29)) - lgamma(28.5)); 2 * pt(-d * sqrt(15), 58)`` = 0.0545682):

    >>> round(float(p_from_effect_size(0.5, 30, 30, "hedges_g")), 7)
    0.0545682
    """
    _check_declared(test, effect_size, None)
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    welch = test in ("welch_t", "change_t")
    if test not in ("student_t", "welch_t", "change_t"):
        raise ValueError(f"an effect size implies the p of a t-test only (student_t, welch_t, "
                         f"change_t), not of {test!r}")
    d = np.abs(_as_d(value, n1, n2, effect_size))
    t = d * _t_factor(variance_ratio, n1, n2, effect_size, welch)
    df = _welch_df(variance_ratio, n1, n2) if welch else n1 + n2 - 2
    return 2 * stats.t.sf(t, df)


def _p_interval_from_effect_size(low, high, n1, n2, effect_size, welch, x_low, x_high):
    """Smallest and largest p of :func:`p_from_effect_size` for |effect size| in [low, high] and
    a variance ratio in [x_low, x_high]. The factor of t is monotone in x (a ratio of linear
    functions of x, or one over a square root of one), so its range is that of the two ends;
    Welch's df is largest (n1 + n2 - 2, by Cauchy-Schwarz) at x = n1 (n1 - 1) / (n2 (n2 - 1))
    and falls on either side, so its range is the ends' and, where inside, that peak. p falls as
    t rises and as df rises (for any t > 0), so the smallest p is at the largest t and df, the
    largest at the smallest: bounds that contain every p the inputs allow (outer bounds: t and
    df are bounded separately, so a p near an end may not be reached)."""
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    d_low = _as_d(low, n1, n2, effect_size)
    d_high = _as_d(high, n1, n2, effect_size)
    ends = [_t_factor(x, n1, n2, effect_size, welch) for x in (x_low, x_high)]
    f_low, f_high = np.minimum(*ends), np.maximum(*ends)
    if welch:
        df_ends = [_welch_df(x, n1, n2) for x in (x_low, x_high)]
        peak = n1 * (n1 - 1) / (n2 * (n2 - 1))
        inside = (np.asarray(x_low) <= peak) & (peak <= np.asarray(x_high))
        df_low = np.minimum(*df_ends)
        df_high = np.where(inside, n1 + n2 - 2, np.maximum(*df_ends))
    else:
        df_low = df_high = n1 + n2 - 2
    return (2 * stats.t.sf(d_high * f_high, df_high), 2 * stats.t.sf(d_low * f_low, df_low))


def _declared_p_verdict(test, i, frame, published, welch, student, follow_range, r_interval,
                        plausible_r, ancova_grid):
    """Verdict, model and note for one published p under the test the paper states only."""
    p_printed, decimals = published.loc[i, "p"], published.loc[i, "p_decimals"]
    p_low, p_high = r_interval.loc[i, "p_low"], r_interval.loc[i, "p_high"]
    stated = f"{TESTS[test]}, the test the paper states"
    if test in ("welch_t", "student_t"):
        name, tested = ("Welch", welch) if test == "welch_t" else ("Student", student)
        low, high = follow_range[name]
        at = f"{name} gives p = {tested.loc[i, 'p_value']:.3f} at the printed values"
        if _rounds_to(tested.loc[i, "p_value"], p_printed, decimals):
            return "reproduced", stated, ""
        if _overlaps(low[i], high[i], p_low, p_high):
            return ("consistent", f"{stated}, within the rounding of the printed means and SDs",
                    f"{at}; over the inputs' rounding {low[i]:.4f} to {high[i]:.4f}")
        return ("not_reproducible", f"{stated}, over the rounding of the printed inputs and of "
                "the p", f"{at}; over the inputs' rounding {low[i]:.4f} to {high[i]:.4f}")
    if test == "change_t":
        follow_up = (f"the t-tests at follow-up, which the paper does not state, give p = "
                     f"{welch.loc[i, 'p_value']:.3f} (Welch), {student.loc[i, 'p_value']:.3f} "
                     "(Student)")
        verdict, model, note = _change_verdict(i, r_interval, plausible_r, follow_up,
                                               "Welch t-test of change")
        lost = any(frame.loc[i, f"n0_{a}"] != frame.loc[i, f"n1_{a}"] for a in "ab")
        return verdict, (f"{model}; the test the paper states" + (
            "; the baseline summaries of all randomised stand in for the baseline of those "
            "followed up" if lost else "")), note
    if test == "ancova":
        r_values, p_values = ancova_grid
        hits = r_values[np.abs(p_values[:, i] - float(p_printed))
                        <= 0.5 * 10.0 ** -int(decimals) + 1e-12]
        plausible = hits[(hits >= plausible_r[0]) & (hits <= plausible_r[1])]
        if len(plausible):
            return ("consistent", f"{stated}, from summary data with r from {plausible.min():.2f} "
                    f"to {plausible.max():.2f} (at the printed values)",
                    f"r from {hits.min():.2f} to {hits.max():.2f} of a 0.01 grid gives it")
        reach = (f"at the printed values only r from {hits.min():.2f} to {hits.max():.2f} gives "
                 f"it (plausible {plausible_r[0]:g} to {plausible_r[1]:g})" if len(hits) else
                 "no r of a 0.01 grid in [-0.99, 0.99] gives it at the printed values")
        return ("unverifiable", f"{stated}, from summary data (lm equivalent) over r",
                f"{reach}; the rounding of the printed inputs, which may move an ANCOVA's p, is "
                "not searched, so this does not show the p unreachable")
    return ("unverifiable", stated, "a rank test's p needs the patients' scores: means, SDs and "
            "n do not give it (not reproducible from summary data)")


#: The grid of r on which the ANCOVA from summary data is searched for a printed p (at the
#: printed values; the ANCOVA needs |r| < 1).
ANCOVA_R_GRID = np.round(np.arange(-0.99, 0.995, 0.01), 2)
#: The models of a p tried where the paper states no test, in words (the ledger's assumption of
#: a p no model reaches at a plausible r names them all).
P_MODELS = ("Welch's and Student's t-tests at follow-up and Welch's t-test of change at any r in "
            "[-1, 1], each over the rounding of the printed means, SDs and p; ANCOVA from summary "
            "data at r from -0.99 to 0.99 (0.01 grid), at the printed values")
#: The grid of r on which the SD-of-change effect size is searched for a printed value.
ES_R_GRID = np.round(np.linspace(-1.0, 1.0, 201), 2)


def _span(values) -> str:
    low, high = (f"{v:.2f}" for v in (np.min(values), np.max(values)))
    return f"r = {low}" if low == high else f"r from {low} to {high}"


def _ancova_hits(frame: pd.DataFrame, published: pd.DataFrame, rows) -> dict:
    """For each row of ``rows``, the r of :data:`ANCOVA_R_GRID` at which the ANCOVA from summary
    data gives the printed p (at the printed values)."""
    rows = list(rows)
    if not rows:
        return {}
    grid = np.array([ancova(frame.loc[rows], value)["p_value"].to_numpy()
                     for value in ANCOVA_R_GRID])
    hits = {}
    for j, i in enumerate(rows):
        half = 0.5 * 10.0 ** -int(published.loc[i, "p_decimals"]) + 1e-12
        hits[i] = ANCOVA_R_GRID[np.abs(grid[:, j] - float(published.loc[i, "p"])) <= half]
    return hits


def _unreached_p(i, r_interval, plausible_r, follow_up: str, ancova_r) -> tuple[str, str, str]:
    """Verdict, model and note of a printed p that no follow-up t-test reaches (the paper stating
    no test): every model of :data:`P_MODELS`, with the r at which each reaches it, if any."""
    low, high = plausible_r
    r_low, r_high = r_interval.loc[i, "r_low"], r_interval.loc[i, "r_high"]
    change_r = [] if np.isnan(r_low) else [r_low, r_high]
    plausible = ancova_r[(ancova_r >= low) & (ancova_r <= high)]
    if len(plausible):
        return ("consistent", f"ANCOVA from summary data with {_span(plausible)} (at the printed "
                "values)", f"ANCOVA gives it at {_span(ancova_r)} of a 0.01 grid; {follow_up}")
    change_words = (f"Welch's t-test of change at {_span(change_r)} (inputs and p within their "
                    "rounding)" if change_r else "Welch's t-test of change at no r in [-1, 1]")
    ancova_words = (f"ANCOVA at {_span(ancova_r)}" if len(ancova_r)
                    else "ANCOVA at no r of the grid")
    implausible = bool(change_r) or bool(len(ancova_r))
    model = (f"models tried: {P_MODELS}; "
             + (f"only an implausible r reaches it (plausible {low:g} to {high:g})"
                if implausible else "none reaches it at any r"))
    note = (("reached only at an implausible r: " if implausible else "no model reaches it: ")
            + f"{change_words}; {ancova_words}; {follow_up} at the printed values")
    return "not_reproducible", model, note


def _overlaps(low, high, target_low, target_high) -> bool:
    return bool(low <= target_high + 1e-12 and high >= target_low - 1e-12)


def _p_verdict(i, frame, published, welch, student, follow_range, r_interval, plausible_r):
    """Verdict, model and note for one published p."""
    p_printed, decimals = published.loc[i, "p"], published.loc[i, "p_decimals"]
    p_low, p_high = r_interval.loc[i, "p_low"], r_interval.loc[i, "p_high"]
    follow_up = (f"follow-up t-tests give p = {welch.loc[i, 'p_value']:.3f} (Welch), "
                 f"{student.loc[i, 'p_value']:.3f} (Student)")
    for name, test in (("Welch", welch), ("Student", student)):
        if _rounds_to(test.loc[i, "p_value"], p_printed, decimals):
            return "reproduced", f"{name} t-test at follow-up", ""
    for name, (low, high) in follow_range.items():
        if _overlaps(low[i], high[i], p_low, p_high):
            return ("consistent", f"{name} t-test at follow-up, within the rounding of the printed "
                    "means and SDs", f"{follow_up} at the printed values; over the inputs' "
                    f"rounding {low[i]:.4f} to {high[i]:.4f}")
    return _change_verdict(i, r_interval, plausible_r, follow_up,
                           "t-test at follow-up or of change")


def _change_verdict(i, r_interval, plausible_r, follow_up: str, tests: str):
    """Verdict, model and note of Welch's t-test of change for one published p (over r)."""
    r_low, r_high = r_interval.loc[i, "r_low"], r_interval.loc[i, "r_high"]
    if np.isnan(r_low):
        return ("not_reproducible", f"{tests} (any r in [-1, 1]), over "
                "the rounding of the printed inputs and of the p",
                f"no r in [-1, 1] gives it; {follow_up}")
    reach = f"r from {r_low:.2f} to {r_high:.2f} gives it (inputs and p within their rounding)"
    low, high = max(r_low, plausible_r[0]), min(r_high, plausible_r[1])
    if low <= high:
        return ("consistent", f"Welch t-test of change with r from {low:.2f} to {high:.2f}",
                f"{reach}; {follow_up}")
    return ("not_reproducible", f"Welch t-test of change needs an implausible r ({r_low:.2f} to "
            f"{r_high:.2f}; plausible {plausible_r[0]:g} to {plausible_r[1]:g})",
            f"needs an implausible r: {reach}; {follow_up}")


def reanalyse(frame: pd.DataFrame, published: pd.DataFrame, r: float = 0.5,
              alpha: float = 0.05, plausible_r=PLAUSIBLE_R, named_test: dict | None = None,
              *, test: str | None = None, effect_size: str | None = None,
              effect_size_at: str | None = None) -> pd.DataFrame:
    """Published p and effect size of each row of :func:`contrasts` against what the summary
    data give, each verdict under a named model of the analysis.

    p-values: ``reproduced`` by a t-test at follow-up (Welch or Student) at the printed values;
    ``consistent`` when a follow-up t-test reaches the printed p somewhere in the rounding box of
    the printed inputs, or a t-test of change does with a plausible r (``plausible_r``;
    :data:`PLAUSIBLE_R`); ``not_reproducible`` when only an implausible r, or no r in [-1, 1],
    reaches it over the whole box. ``implied_r`` is the r at the printed values;
    ``implied_r_low``/``implied_r_high`` the interval over the box and the p's own rounding.

    Effect sizes: ``reproduced`` when one of nine candidate definitions gives the printed value,
    ``consistent`` when one does within the rounding box (the SD-of-change definition over
    ``plausible_r``), else ``not_reproducible``.

    Effect size against p (statcheck): checked only where one definition gives every effect size
    of the table and the test the paper names (``named_test``: ``name``, ``family``) is one a
    t-test can stand in for (:data:`T_TEST_FAMILIES`); otherwise ``unverifiable`` with the
    reason. A failed check is ``not_reproducible``, never an error: it rests on a model.

    ``published`` has one row per row of ``frame`` with ``p``, ``p_printed``, ``p_decimals``,
    ``effect_size``, ``effect_size_printed``, ``effect_size_decimals`` (the effect-size columns
    may be absent, e.g. for a table that prints no effect sizes).

    What the paper states (each None where it states nothing; then the above holds):

    - ``test`` (:data:`TESTS`): the p verdict uses that test only. ``welch_t``/``student_t``:
      ``reproduced`` at the printed values, ``consistent`` within their rounding, else
      ``not_reproducible``. ``change_t``: Welch's test of change over r, as above. ``ancova``:
      ``consistent`` where a plausible r reaches the p at the printed values, else
      ``unverifiable`` (the rounding box is not searched for it). A rank test:
      ``unverifiable``, its p needing the patients' scores.
    - ``effect_size`` (:data:`EFFECT_SIZES`) of the scores ``effect_size_at``
      (:data:`EFFECT_SIZE_AT`): the effect-size verdict uses that definition only
      (:func:`declared_definition`; ``unverifiable`` where it is not implemented).
    - Either one stated: the effect size against p converts the stated (else the identified)
      effect size with the stated (else the named) test's own statistic and df
      (:func:`p_from_effect_size`): exact for Student's test of d or g; for Welch's, t and its
      df depend on the ratio of the arms' variances, bounded over the rounding of the printed
      SDs (of change scores, whose SDs need r: over every ratio), which gives outer bounds of
      the p, so a p outside them is ``not_reproducible`` under that model and one inside is
      ``consistent``. A test of other scores than the effect size's, ANCOVA (whose t needs the
      residual SD) and a rank test: ``unverifiable`` with the reason. New columns:
      ``p_test`` (the stated test in words) and ``es_p_model``.
    """
    _check_declared(test, effect_size, effect_size_at)
    keep = ["instrument", "scale"] + [c for c in ("arm", "versus", "key", "comparison")
                                      if c in frame.columns] + ["contrast", "timepoint"]
    out = frame[keep].copy().reset_index(drop=True)
    frame = frame.reset_index(drop=True)
    published = published.reset_index(drop=True)
    welch = mean_difference(*arms_at(frame, "1"), welch=True)
    student = mean_difference(*arms_at(frame, "1"), welch=False)
    change = change_score(frame, r)
    adjusted = ancova(frame, r)
    g = hedges_g(*arms_at(frame, "1"))
    follow_range = {name: tuple(p_range(frame, welch=flag)[c].to_numpy()
                                for c in ("p_min", "p_max"))
                    for name, flag in (("Welch", True), ("Student", False))}
    r_interval = implied_r_interval(frame, published["p"], published["p_decimals"])
    out["p_published"] = published["p_printed"]
    out["p_welch_follow_up"] = welch["p_value"]
    out["p_student_follow_up"] = student["p_value"]
    out["p_change"] = change["p_value"]
    out["p_ancova"] = adjusted["p_value"]
    out["implied_r"] = implied_r(frame, published["p"]).to_numpy()
    out["implied_r_low"] = r_interval["r_low"].to_numpy()
    out["implied_r_high"] = r_interval["r_high"].to_numpy()
    out["g_follow_up"] = g["g"]
    out["g_ci_low"], out["g_ci_high"] = g["ci_low"], g["ci_high"]
    dppc2 = morris_dppc2(frame, r)
    out["d_ppc2"] = dppc2["d_ppc2"]
    out["d_ppc2_ci_low"], out["d_ppc2_ci_high"] = dppc2["ci_low"], dppc2["ci_high"]
    standardised = ancova_smd(frame, r)
    out["ancova_smd"] = standardised["smd"]
    out["ancova_smd_ci_low"] = standardised["ci_low"]
    out["ancova_smd_ci_high"] = standardised["ci_high"]
    if test is None:
        verdicts = [_p_verdict(i, frame, published, welch, student, follow_range, r_interval,
                               plausible_r) for i in range(len(frame))]
        unreached = [i for i, (verdict, _, _) in enumerate(verdicts)
                     if verdict == "not_reproducible"]
        hits = _ancova_hits(frame, published, unreached)
        for i in unreached:
            follow_up = (f"follow-up t-tests give p = {welch.loc[i, 'p_value']:.3f} (Welch), "
                         f"{student.loc[i, 'p_value']:.3f} (Student)")
            verdicts[i] = _unreached_p(i, r_interval, plausible_r, follow_up, hits[i])
    else:
        r_values = np.round(np.arange(-0.99, 0.995, 0.01), 2)
        ancova_grid = (r_values, np.array([ancova(frame, value)["p_value"].to_numpy()
                                           for value in r_values]) if test == "ancova"
                       else None)
        verdicts = [_declared_p_verdict(test, i, frame, published, welch, student, follow_range,
                                        r_interval, plausible_r, ancova_grid)
                    for i in range(len(frame))]
        out["p_test"] = TESTS[test]
    out["p_verdict"], out["p_method"], out["p_note"] = map(list, zip(*verdicts)) if verdicts \
        else ([], [], [])
    if "effect_size" in published:
        _effect_size_verdicts(out, frame, published, r, alpha, plausible_r, named_test,
                              test, effect_size, effect_size_at)
    return out


#: The start of the name of the one candidate definition that moves with r.
SD_OF_CHANGE = "change difference / SD of change"


def _nearest_over_r(out, frame, search, ranges, value, half, plausible_r) -> None:
    """``es_nearest`` (the definition nearest the printed value at the printed values, the
    SD-of-change one at the r of the whole range [-1, 1] that brings it nearest, that r named),
    ``es_nearest_r``, the r interval at which the SD-of-change definition reaches the printed
    value within the rounding (``es_r_low``, ``es_r_high``, for the effect sizes no definition
    reaches at a plausible r), and the model set and note of those rows (``es_models``,
    ``es_note``)."""
    moving = search["definition"].str.startswith(SD_OF_CHANGE)
    fixed = search[~moving]
    tried = list(dict.fromkeys(search["definition"]))
    with_r = any(name.startswith(SD_OF_CHANGE) for name in tried)
    curves = _sd_of_change_values(frame, ES_R_GRID) if with_r else None
    failing = [i for i in range(len(frame)) if out.loc[i, "es_verdict"] == "not_reproducible"]
    reach = _es_reach_over_r(frame, value, half, failing) if with_r else {}
    low, high = plausible_r
    nearest, nearest_r, r_low, r_high, models, notes = [], [], [], [], [], []
    for i in range(len(frame)):
        candidates = fixed[fixed["row"] == i]
        best = candidates.loc[candidates["error"].abs().idxmin()] if len(candidates) else None
        text, at = (f"{best['definition']}: {best['value']:.2f}", np.nan) if best is not None \
            else ("", np.nan)
        if with_r:
            errors = np.abs(curves[:, i] - value[i])
            if np.isfinite(errors).any():
                j = int(np.nanargmin(errors))
                if best is None or errors[j] < abs(best["error"]):
                    at = float(ES_R_GRID[j])
                    text = f"{SD_OF_CHANGE}: {curves[j, i]:.2f} at r = {at:.2f}"
        nearest.append(text)
        nearest_r.append(at)
        hits = reach.get(i, np.array([]))
        r_low.append(float(hits.min()) if len(hits) else np.nan)
        r_high.append(float(hits.max()) if len(hits) else np.nan)
        if i not in failing:
            models.append("")
            notes.append("")
            continue
        implausible = bool(len(hits))
        models.append(f"{_es_models(tried)}; " + (
            f"only an implausible r reaches it (plausible {low:g} to {high:g})" if implausible
            else "none reaches it at any r" if with_r else "none reaches it"))
        notes.append(("reached only at an implausible r: "
                      f"{SD_OF_CHANGE} at {_span(hits)} (inputs within their rounding); "
                      if implausible else "no definition reaches it; ")
                     + f"nearest at the printed values: {text}")
    out["es_nearest"] = nearest
    out["es_nearest_r"] = nearest_r
    out["es_r_low"], out["es_r_high"] = r_low, r_high
    out["es_models"], out["es_note"] = models, notes


def _sd_of_change_values(frame: pd.DataFrame, r_values) -> np.ndarray:
    """The SD-of-change effect size at the printed values for each r of ``r_values``: one row
    per r, one column per row of ``frame``."""
    change = np.asarray((frame["m1_a"] - frame["m0_a"]) - (frame["m1_b"] - frame["m0_b"]),
                        dtype=float)
    n_a, n_b = (np.asarray(frame[f"n1_{arm}"], dtype=float) for arm in "ab")
    out = []
    for value in r_values:
        sd = np.asarray(pooled_sd(change_sd(frame["sd0_a"], frame["sd1_a"], value), n_a,
                                  change_sd(frame["sd0_b"], frame["sd1_b"], value), n_b),
                        dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(change / sd)
    return np.array(out)


def _es_reach_over_r(frame: pd.DataFrame, value, half, rows) -> dict:
    """For each row of ``rows``, the r of :data:`ES_R_GRID` at which the SD-of-change definition
    reaches the printed value (``value`` +/- ``half``) within the rounding of the printed
    means and SDs (:func:`effect_size_ranges` at that r)."""
    rows = list(rows)
    if not rows:
        return {}
    sub = frame.loc[rows].reset_index(drop=True)
    change = _interval_difference(sub, "change")
    n_a, n_b = (np.asarray(sub[f"n1_{arm}"], dtype=float) for arm in "ab")
    target_low = np.asarray(value, dtype=float)[rows] - np.asarray(half, dtype=float)[rows]
    target_high = np.asarray(value, dtype=float)[rows] + np.asarray(half, dtype=float)[rows]
    reached = np.zeros((len(ES_R_GRID), len(rows)), dtype=bool)
    for k, r_value in enumerate(ES_R_GRID):  # as effect_size_ranges does at r = r_value
        (a_low, a_high), (b_low, b_high) = _variance_ranges(sub, "change", r_value)
        sd = tuple(np.sqrt(((n_a - 1) * a + (n_b - 1) * b) / (n_a + n_b - 2))
                   for a, b in ((a_low, b_low), (a_high, b_high)))
        low, high = _ratio(change, sd)
        reached[k] = (low <= target_high + 1e-12) & (high >= target_low - 1e-12)
    return {i: ES_R_GRID[reached[:, j]] for j, i in enumerate(rows)}


def _es_models(names) -> str:
    """The candidate definitions tried, in words, the SD-of-change one over every r."""
    words = [f"{SD_OF_CHANGE} (any r in [-1, 1])" if name.startswith(SD_OF_CHANGE) else
             "change difference / pooled baseline SD (Morris's d_ppc2)"
             if name == "change difference / pooled baseline SD" else name for name in names]
    return (f"definitions tried: {'; '.join(dict.fromkeys(words))}; each over the rounding of "
            "the printed means and SDs")


def _effect_size_verdicts(out, frame, published, r, alpha, plausible_r, named_test,
                          test=None, effect_size=None, effect_size_at=None) -> None:
    search = effect_size_search(frame, published["effect_size"],
                                published["effect_size_decimals"], r)
    ranges = effect_size_ranges(frame, plausible_r)
    stated = declared_definition(effect_size, effect_size_at) if effect_size else None
    if stated is not None:
        search = search[search["definition"].str.startswith(stated)] if stated else \
            search.iloc[:0]
        ranges = ranges[ranges["definition"].str.startswith(stated)] if stated else \
            ranges.iloc[:0]
    half = 0.5 * 10.0 ** -published["effect_size_decimals"].astype(float).to_numpy()
    value = published["effect_size"].astype(float).to_numpy()
    ranges["reached"] = np.array([(row.low <= value[row.row] + half[row.row] + 1e-12)
                                  and (row.high >= value[row.row] - half[row.row] - 1e-12)
                                  for row in ranges.itertuples()], dtype=bool)
    out["es_published"] = published["effect_size_printed"]
    matches = search[search["matches"]].groupby("row")["definition"].agg("; ".join)
    reached = ranges[ranges["reached"]].groupby("row")["definition"].agg("; ".join)
    out["es_definition"] = [matches.get(i, "") for i in range(len(frame))]
    out["es_definition_within_rounding"] = [reached.get(i, "") for i in range(len(frame))]
    out["es_verdict"] = np.where(out["es_definition"] != "", "reproduced",
                                 np.where(out["es_definition_within_rounding"] != "",
                                          "consistent", "not_reproducible"))
    if stated == ():
        out["es_verdict"] = "unverifiable"
        out["es_nearest"] = (f"{EFFECT_SIZES[effect_size]} "
                             f"{EFFECT_SIZE_AT.get(effect_size_at, '')}, the effect size the "
                             "paper states, is not implemented").replace("  ", " ")
    else:
        _nearest_over_r(out, frame, search, ranges, value, half, plausible_r)
    checked = statcheck(published["effect_size"], published["effect_size_decimals"],
                        published["p"], published["p_decimals"], frame["n1_a"], frame["n1_b"],
                        alpha)
    out["p_implied_by_es"] = checked["p_implied"]
    every_row = ranges.groupby("definition")["reached"].all()
    identified = [name for name, ok in every_row.items() if ok]
    if test is not None or effect_size is not None:
        _declared_es_p(out, frame, published, alpha, named_test, test, effect_size,
                       effect_size_at, identified, checked)
        return
    test = named_test or {}
    if not identified:
        reason = ("no effect-size definition gives every effect size of the table, so the effect "
                  "sizes cannot be turned into a test statistic")
    elif test.get("family") not in T_TEST_FAMILIES:
        reason = (f"the effect sizes of the table follow {identified[0]}, but the paper names "
                  f"{test.get('name') or 'no test'}, which a t-test does not stand in for")
    elif test.get("compares") == "change" and all("at follow-up" in name for name in identified):
        reason = (f"the effect sizes of the table follow {identified[0]}, a comparison at "
                  f"follow-up, but the paper's {test.get('name')} compares changes from "
                  "baseline: one does not imply the other")
    else:
        reason = ""
    if reason:
        out["es_p_verdict"] = "unverifiable"
        out["es_p_note"] = reason
    else:
        out["es_p_verdict"] = np.where(checked["consistent"], "consistent", "not_reproducible")
        out["es_p_note"] = np.where(checked["decision_error"],
                                    "the implied p falls on the other side of alpha", "")
    out["es_p_consistent"] = checked["consistent"]
    out["es_p_decision_error"] = checked["decision_error"]


def _test_of_named(named_test: dict | None) -> str | None:
    """The stated test a sentence naming a t-test stands for (``statements.csv``'s
    ``named_test``: Welch's where it says Welch, of change where it compares changes), None for
    any other test."""
    test = named_test or {}
    if test.get("family") not in T_TEST_FAMILIES:
        return None
    if test.get("compares") == "change":
        return "change_t"
    return "welch_t" if "welch" in str(test.get("name", "")).lower() else "student_t"


def _declared_es_p(out, frame, published, alpha, named_test, test, effect_size, effect_size_at,
                   identified, checked) -> None:
    """The effect size against p where the paper states its test or its effect size: the
    stated (else identified) effect size turned into the stated (else named) test's statistic
    (:func:`p_from_effect_size`)."""
    if effect_size is not None:
        pairs = [pair for pair in ((effect_size, at) for at in (
            (effect_size_at,) if effect_size_at else tuple(EFFECT_SIZE_AT)))
            if pair in _DEFINITION_OF]
        pair = pairs[0] if len(pairs) == 1 else None
        es_words = (f"{EFFECT_SIZES[effect_size]} "
                    f"{EFFECT_SIZE_AT[effect_size_at] if effect_size_at else ''}").strip()
        es_source = "the effect size the paper states"
    else:
        kinds = [_kind_of(name) for name in identified]
        pair = next((kind for kind in kinds if kind is not None), None)
        es_words = identified[0] if identified else ""
        es_source = "the definition that gives every effect size of the table"
    chosen = test or _test_of_named(named_test)
    test_words = (TESTS[chosen] if chosen else (named_test or {}).get("name") or "")
    test_source = ("the test the paper states" if test else "the test the paper names")
    reason = ""
    if effect_size is None and not identified:
        reason = ("no effect-size definition gives every effect size of the table, so the effect "
                  "sizes cannot be turned into a test statistic")
    elif pair is None:
        reason = (f"{es_words or 'the effect size'} ({es_source}) has no implemented conversion "
                  "to a test statistic" + ("" if effect_size_at or effect_size is None else
                                          "; the paper does not state of which scores"))
    elif not test_words:
        reason = "the test is not stated, so the effect size cannot be turned into a p"
    elif chosen is None:
        reason = (f"the paper names {test_words}, which a t-test does not stand in for")
    elif chosen in ("mann_whitney", "wilcoxon_signed_rank"):
        reason = (f"{test_words} ({test_source}) is a rank test: an effect size of means does "
                  "not give its p")
    elif chosen == "ancova":
        reason = (f"{test_words} ({test_source}): its t needs the residual SD after adjusting "
                  "for baseline (and r), which the effect size does not give")
    elif (chosen == "change_t") != (pair[1] == "change"):
        compared = "changes from baseline" if chosen == "change_t" else "follow-up scores"
        reason = (f"the effect size is {es_words} ({es_source}), but {test_words} "
                  f"({test_source}) compares {compared}: one does not imply the other")
    kind, at = pair if pair else (None, None)
    welch = chosen in ("welch_t", "change_t")
    model = (f"{EFFECT_SIZES.get(kind, es_words)} {EFFECT_SIZE_AT.get(at, '')} ({es_source}) "
             f"turned into {test_words} ({test_source})").replace("  ", " ")
    out["es_p_model"] = model if not reason else f"{es_words or 'effect size'} against " \
        f"{test_words or 'a test not stated'}"
    if reason:
        out["p_implied_by_es"] = np.nan
        out["es_p_verdict"] = "unverifiable"
        out["es_p_note"] = reason
        out["es_p_consistent"] = False
        out["es_p_decision_error"] = False
        return
    es = published["effect_size"].astype(float).to_numpy()
    half = 0.5 * 10.0 ** -published["effect_size_decimals"].astype(float).to_numpy()
    p = published["p"].astype(float).to_numpy()
    p_half = 0.5 * 10.0 ** -published["p_decimals"].astype(float).to_numpy()
    n1, n2 = frame["n1_a"].to_numpy(dtype=float), frame["n1_b"].to_numpy(dtype=float)
    if at == "change":  # the SDs of change are not printed: every variance ratio
        x = np.ones_like(es)
        x_low, x_high = np.full_like(es, 1e-9), np.full_like(es, 1e9)
        how = ("the variance ratio of the change scores unknown (their SDs need r): over every "
               "ratio; the p shown at equal variances")
    else:
        sd_a, sd_b = (np.asarray(frame[f"sd1_{a}"], dtype=float) for a in "ab")
        h_a, h_b = (np.broadcast_to(np.asarray(frame.get(f"hsd1_{a}", 0), dtype=float),
                                    es.shape) for a in "ab")
        x = sd_a**2 / sd_b**2
        with np.errstate(divide="ignore"):
            x_low = np.maximum(sd_a - h_a, 0) ** 2 / (sd_b + h_b) ** 2
            x_high = (sd_a + h_a) ** 2 / np.maximum(sd_b - h_b, 0) ** 2
        x_low, x_high = np.clip(x_low, 1e-9, 1e9), np.clip(x_high, 1e-9, 1e9)
        how = "the variance ratio over the rounding of the printed SDs"
    implied = p_from_effect_size(es, n1, n2, kind, chosen, x)
    p_min, p_max = _p_interval_from_effect_size(np.maximum(np.abs(es) - half, 0),
                                                np.abs(es) + half, n1, n2, kind, welch,
                                                x_low, x_high)
    consistent = (p - p_half <= p_max + 1e-12) & (p + p_half >= p_min - 1e-12)
    decision = ~consistent & ((p < alpha) != (implied < alpha))
    exact = "exact" if not welch and kind != "glass_delta" else f"outer bounds, {how}"
    out["p_implied_by_es"] = implied
    out["es_p_model"] = f"{model}; follow-up n; over the rounding of the effect size ({exact})"
    out["es_p_verdict"] = np.where(consistent, "consistent", "not_reproducible")
    out["es_p_note"] = [(f"implied p from {lo:.4f} to {hi:.4f}"
                         + ("; the implied p falls on the other side of alpha" if error else ""))
                        for lo, hi, error in zip(p_min, p_max, decision)]
    out["es_p_consistent"] = consistent
    out["es_p_decision_error"] = decision


def definition_summary(frame: pd.DataFrame, published: pd.DataFrame, r: float = 0.5
                       ) -> pd.DataFrame:
    """How many published effect sizes each candidate definition reproduces."""
    search = effect_size_search(frame.reset_index(drop=True),
                                published["effect_size"].to_numpy(),
                                published["effect_size_decimals"].to_numpy(), r)
    summary = search.groupby("definition", sort=False).agg(
        reproduced=("matches", "sum"), sign_flipped=("sign_flipped", "sum"),
        mean_abs_error=("error", lambda e: float(np.mean(np.abs(e)))))
    summary["of"] = len(frame)
    return summary.sort_values("reproduced", ascending=False)


def estimand_rows(frame: pd.DataFrame, r_values, assumption_r: str = "pre-post correlation"
                  ) -> pd.DataFrame:
    """Rows of ``results/effect_sizes.csv`` for each scale and follow-up: Hedges' g and mean
    differences (Welch, Student) between arms at follow-up, then, for each assumed r, the
    difference in change, Morris's d_ppc2 (whose estimate does not move with r, only its
    variance: the standardised effect to pool in a meta-analysis), and the baseline-adjusted
    (ANCOVA) difference in score points. No standardised effect here moves with r: none is
    divided by an SD of change, and the ANCOVA difference, whose value depends on r, is given
    unstandardised. Where ``frame`` names each row's comparison (``arm``, ``versus``), so do the
    rows, in two last columns."""
    frame = frame.reset_index(drop=True)
    rows = []
    sides = [c for c in ("arm", "versus") if c in frame.columns]

    def add(kind, table, estimate, method, assumption):
        for i in range(len(frame)):
            rows.append(dict(**{c: frame.loc[i, c] for c in sides},
                             instrument=frame.loc[i, "instrument"], scale=frame.loc[i, "scale"],
                             timepoint=frame.loc[i, "timepoint"], estimand=kind,
                             estimate=float(table.loc[i, estimate]),
                             se=float(table.loc[i, "se"]),
                             ci_low=float(table.loc[i, "ci_low"]),
                             ci_high=float(table.loc[i, "ci_high"]),
                             p_value=float(table.loc[i, "p_value"])
                             if "p_value" in table else np.nan,
                             method=method, assumption=assumption))

    g = hedges_g(*arms_at(frame, "1"))
    g["p_value"] = mean_difference(*arms_at(frame, "1"), welch=False)["p_value"]
    add("hedges_g", g, "g", "Hedges' g (metafor SMD), Student t p", "survivors at follow-up")
    add("mean_difference", mean_difference(*arms_at(frame, "1"), welch=True), "estimate",
        "Welch t-test", "survivors at follow-up")
    add("mean_difference", mean_difference(*arms_at(frame, "1"), welch=False), "estimate",
        "Student t-test", "survivors at follow-up")
    for r in r_values:
        add("change_difference", change_score(frame, r), "estimate", "Welch t-test of change",
            f"{assumption_r} r = {r:g}; baseline of all randomised")
        add("d_ppc2", morris_dppc2(frame, r), "d_ppc2",
            "Morris (2008) d_ppc2: difference in change over the pooled baseline SD",
            f"{assumption_r} r = {r:g} (variance only); baseline of all randomised")
        add("ancova_difference", ancova(frame, r), "estimate",
            "ANCOVA from summary data (lm equivalent)",
            f"{assumption_r} r = {r:g}; baseline of all randomised")
    table = pd.DataFrame(rows, columns=ESTIMAND_COLUMNS + sides)
    for column in ("estimate", "se", "ci_low", "ci_high", "p_value"):
        table[column] = table[column].round(6)
    return table


@builds
def ledger_rows(table: pd.DataFrame, file: str, source: str, r: float,
                named_test: dict | None = None) -> pd.DataFrame:
    """Ledger rows for the p-values (and effect sizes) of :func:`reanalyse`. Every verdict rests
    on a model of the analysis, named in ``assumption``, never on a proof: none is
    ``inconsistent``. Where the paper states its test (``p_test`` in ``table``), no other test
    stands in for it; where it states its test or effect size (``es_p_model``), the effect size
    against p names the conversion used.

    Where ``table`` has a ``key`` column (the row key the caller's transcription uses, e.g.
    ``Q/s/A/C/t0-t1`` for a trial of several comparisons) it names an ``effects`` claim; a
    ``comparison`` column (``A vs C``) enters the quantity's label."""
    test = (named_test or {}).get("name", "")
    stand_in = (f"; a t-test stands in for the {test} the paper names"
                if test and "p_test" not in table else "")
    rows = []
    for _, row in table.iterrows():
        key = (row["key"] if file == "effects" and "key" in table and row["key"] else
               f"{row['instrument']}/{row['scale']}/{row['contrast']}" if file == "effects"
               else f"{row['scale'].removeprefix('item_')}/{row['contrast']}")
        between = (f"{row['comparison']}, " if "comparison" in table and row["comparison"]
                   else "")
        label = f"{row['instrument']} {row['scale']}, {between}{row['contrast']}"
        interval = ("" if np.isnan(row["implied_r_low"]) else
                    f"; r {row['implied_r_low']:.2f} to {row['implied_r_high']:.2f}")
        rows.append(dict(
            claim_id=claim_id(file, key, "p"), source=source, quantity=f"{label}: p",
            published=row["p_published"],
            recomputed=(f"{row['p_welch_follow_up']:.3f} (Welch, follow-up); "
                        f"{row['p_change']:.3f} (change, r = {r:g}){interval}"),
            check="p from summary data", verdict=row["p_verdict"],
            assumption=row["p_method"] + stand_in, note=row["p_note"]))
        if "es_published" in table:
            definition = row["es_definition"] or row["es_definition_within_rounding"]
            rows.append(dict(
                claim_id=claim_id(file, key, "effect_size"), source=source,
                quantity=f"{label}: effect size", published=row["es_published"],
                recomputed=f"g at follow-up {row['g_follow_up']:.2f}",
                check="effect-size definition", verdict=row["es_verdict"],
                assumption=(definition + (" (within the rounding of the printed inputs)"
                                          if not row["es_definition"] and definition else ""))
                or row.get("es_models", "")
                or "nine candidate definitions, over the rounding of the printed inputs",
                note="" if definition else (row.get("es_note", "")
                                            or f"nearest: {row['es_nearest']}")))
            declared = "es_p_model" in table
            implied = row["p_implied_by_es"]
            reading = ("the stated model" if declared else "the effect size read as Cohen's d")
            note = ("" if pd.isna(implied) else f"p implied by {reading}: {implied:.3f}")
            if row["es_p_note"]:
                note += f"; {row['es_p_note']}" if note else row["es_p_note"]
            rows.append(dict(
                claim_id=claim_id(file, key, "effect_size"), source=source,
                quantity=f"{label}: effect size against p",
                published=f"{row['es_published']} with p = {row['p_published']}",
                recomputed="not computed" if pd.isna(implied) else f"{implied:.3f}",
                check="p implied by effect size (statcheck)", verdict=row["es_p_verdict"],
                assumption=row["es_p_model"] if declared else
                "effect size read as Cohen's d between arms, follow-up n, two-sample t-test",
                note=note))
    return pd.DataFrame(rows)


def normal_share_above(mean, sd, cutoff: float, integer_scores: bool = True) -> np.ndarray:
    """Share of patients above ``cutoff`` if scores were normal with this mean and SD (a sum
    score above 14 is at least 15: with ``integer_scores`` the threshold is cutoff + 0.5).

    A rough guide only: bounded, skewed sum scores are not normal, and without patient data the
    true share is unknown.

    Examples
    --------
    >>> float(normal_share_above(14.5, 5.0, 14).round(3))
    0.5
    """
    threshold = cutoff + 0.5 if integer_scores else cutoff
    return stats.norm.sf((threshold - np.asarray(mean, dtype=float)) / np.asarray(sd, dtype=float))
