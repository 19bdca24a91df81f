"""Effect sizes and tests from summary data (mean, SD, n per arm and timepoint).

Uses scipy.stats (``ttest_ind_from_stats``, the t and normal distributions, ``brentq``) for the
tests; the standardised mean difference, its variance and CI follow metafor's ``escalc("SMD")``
(Hedges' g with the exact small-sample correction, large-sample variance), which no Python
library computes from summary statistics with that exact definition. The change-score and
baseline-adjusted (ANCOVA-type) estimates need the pre-post correlation ``r``, which the paper
does not report: every such estimate is a function of an assumed ``r``.

Conventions: differences are arm A minus arm B (resistance training minus physiotherapy), so a
negative value means a lower score in arm A. Baseline summaries are those of all randomised
patients (n = 30 per arm); follow-up summaries are those of the survivors. A change-score analysis
from these assumes that the survivors' baseline resembled that of all patients.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

ESTIMAND_COLUMNS = ["instrument", "scale", "timepoint", "estimand", "estimate", "se", "ci_low",
                    "ci_high", "p_value", "method", "assumption"]
TIMEPOINT_OF = {"t0-t2": "t2", "t0-t3": "t3"}


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
    Table 2, psychosocial aspects at six months (metafor: yi -0.4869467, vi 0.1144044):

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
    Table 5, distress at six months (R: Student p 0.0131605, Welch p 0.0138243):

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

def contrasts(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per scale and contrast (t0-t2, t0-t3) with both arms' baseline and follow-up
    summaries: ``m0_a, sd0_a, n0_a, m1_a, sd1_a, n1_a`` and the same for ``_b``."""
    values = outcomes.set_index(["instrument", "scale", "arm", "timepoint"])[["mean", "sd", "n"]]
    rows = []
    for (instrument, scale), _ in outcomes.groupby(["instrument", "scale"], sort=False):
        for contrast, follow_up in TIMEPOINT_OF.items():
            row = dict(instrument=instrument, scale=scale, contrast=contrast, timepoint=follow_up)
            for arm in ("A", "B"):
                for label, timepoint in (("0", "t0"), ("1", follow_up)):
                    cell = values.loc[(instrument, scale, arm, timepoint)]
                    row[f"m{label}_{arm.lower()}"] = float(cell["mean"])
                    row[f"sd{label}_{arm.lower()}"] = float(cell["sd"])
                    row[f"n{label}_{arm.lower()}"] = int(cell["n"])
            rows.append(row)
    return pd.DataFrame(rows)


def _arms(frame: pd.DataFrame, when: str):
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
    tested["smd"] = hedges_g(change_a, sd_change_a, frame["n1_a"], change_b, sd_change_b,
                             frame["n1_b"])["g"].to_numpy()
    return tested


def ancova(frame: pd.DataFrame, r: float, level: float = 0.95) -> pd.DataFrame:
    """Baseline-adjusted difference at follow-up (ANCOVA from summary data) under assumed ``r``.

    With pooled SDs at baseline (s0) and follow-up (s1), the adjusted difference is
    ``(m1A - m1B) - b (m0A - m0B)`` with slope ``b = r s1 / s0``, and its SE
    ``s1 sqrt(1 - r^2) sqrt(1/nA + 1/nB)`` with ``nA + nB - 3`` degrees of freedom (the baseline
    difference treated as fixed; an approximation, since only summaries are available).
    """
    s0 = pooled_sd(frame["sd0_a"], frame["n0_a"], frame["sd0_b"], frame["n0_b"])
    s1 = pooled_sd(frame["sd1_a"], frame["n1_a"], frame["sd1_b"], frame["n1_b"])
    slope = r * s1 / s0
    estimate = (frame["m1_a"] - frame["m1_b"]) - slope * (frame["m0_a"] - frame["m0_b"])
    n_a, n_b = frame["n1_a"], frame["n1_b"]
    se = s1 * np.sqrt(1 - r**2) * np.sqrt(1 / n_a + 1 / n_b)
    df = n_a + n_b - 3
    t = estimate / se
    critical = stats.t.ppf(0.5 + level / 2, df)
    return pd.DataFrame({"estimate": np.asarray(estimate), "se": np.asarray(se),
                         "ci_low": np.asarray(estimate - critical * se),
                         "ci_high": np.asarray(estimate + critical * se),
                         "t": np.asarray(t), "df": np.asarray(df),
                         "p_value": np.asarray(2 * stats.t.sf(np.abs(t), df))})


def implied_r(frame: pd.DataFrame, published_p, *, welch: bool = True) -> pd.Series:
    """The pre-post correlation that makes the change-score t-test give each published p, or
    NaN where no r in [-1, 1] does (the p is then out of reach of this test).

    The change-score p falls monotonically as r rises (the SD of change shrinks), so the root is
    unique when it exists (``scipy.optimize.brentq``).
    """
    out = []
    for (_, row), target in zip(frame.iterrows(), np.asarray(published_p, dtype=float)):
        single = row.to_frame().T.astype({c: float for c in frame.columns
                                          if c not in ("instrument", "scale", "contrast",
                                                       "timepoint")})

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


def _change_p_range(row: pd.DataFrame) -> tuple[float, float]:
    ends = [float(change_score(row, r)["p_value"].iloc[0]) for r in (-0.999, 0.999)]
    return min(ends), max(ends)


def reanalyse(frame: pd.DataFrame, published: pd.DataFrame, r: float = 0.5,
              alpha: float = 0.05) -> pd.DataFrame:
    """Published p and effect size of each row of :func:`contrasts` against what the summary
    data give: follow-up t-tests (Welch, Student), the change-score t-test and ANCOVA at the
    assumed ``r``, the r that would reproduce the p, Hedges' g at follow-up, the effect-size
    definition that reproduces the printed value, and the p that the effect size implies.

    ``published`` has one row per row of ``frame`` with ``p``, ``p_printed``, ``p_decimals``,
    ``effect_size``, ``effect_size_printed``, ``effect_size_decimals`` (``p``/``effect_size``
    columns may be absent, e.g. for Table 3, which prints no effect sizes).
    """
    out = frame[["instrument", "scale", "contrast", "timepoint"]].copy().reset_index(drop=True)
    frame = frame.reset_index(drop=True)
    published = published.reset_index(drop=True)
    welch = mean_difference(*_arms(frame, "1"), welch=True)
    student = mean_difference(*_arms(frame, "1"), welch=False)
    change = change_score(frame, r)
    adjusted = ancova(frame, r)
    g = hedges_g(*_arms(frame, "1"))
    out["p_published"] = published["p_printed"]
    out["p_welch_follow_up"] = welch["p_value"]
    out["p_student_follow_up"] = student["p_value"]
    out["p_change"] = change["p_value"]
    out["p_ancova"] = adjusted["p_value"]
    out["implied_r"] = implied_r(frame, published["p"]).to_numpy()
    out["g_follow_up"] = g["g"]
    out["g_ci_low"], out["g_ci_high"] = g["ci_low"], g["ci_high"]
    out["change_smd"] = change["smd"]
    verdicts, methods, notes = [], [], []
    for i in range(len(frame)):
        p_printed, decimals = published.loc[i, "p"], published.loc[i, "p_decimals"]
        if _rounds_to(welch.loc[i, "p_value"], p_printed, decimals):
            verdicts.append("reproduced")
            methods.append("Welch t-test at follow-up")
            notes.append("")
        elif _rounds_to(student.loc[i, "p_value"], p_printed, decimals):
            verdicts.append("reproduced")
            methods.append("Student t-test at follow-up")
            notes.append("")
        elif not np.isnan(out.loc[i, "implied_r"]):
            verdicts.append("consistent")
            methods.append(f"Welch t-test of change with r = {out.loc[i, 'implied_r']:.2f}")
            notes.append(f"follow-up t-tests give p = {welch.loc[i, 'p_value']:.3f} (Welch), "
                         f"{student.loc[i, 'p_value']:.3f} (Student)")
        else:
            low, high = _change_p_range(frame.loc[[i]])
            verdicts.append("not_reproducible")
            methods.append("")
            notes.append(f"no r in [-1, 1] gives it: change-score p ranges from {low:.3f} to "
                         f"{high:.3f}; follow-up t-tests give {welch.loc[i, 'p_value']:.3f} "
                         f"(Welch), {student.loc[i, 'p_value']:.3f} (Student)")
    out["p_verdict"], out["p_method"], out["p_note"] = verdicts, methods, notes
    if "effect_size" in published:
        search = effect_size_search(frame, published["effect_size"],
                                    published["effect_size_decimals"], r)
        checked = statcheck(published["effect_size"], published["effect_size_decimals"],
                            published["p"], published["p_decimals"], frame["n1_a"],
                            frame["n1_b"], alpha)
        out["es_published"] = published["effect_size_printed"]
        matches = search[search["matches"]].groupby("row")["definition"].agg("; ".join)
        out["es_definition"] = [matches.get(i, "") for i in range(len(frame))]
        out["es_verdict"] = np.where(out["es_definition"] != "", "reproduced", "not_reproducible")
        nearest = search.loc[search.groupby("row")["error"].apply(lambda e: e.abs().idxmin())]
        out["es_nearest"] = [f"{d}: {v:.2f}" for d, v in zip(nearest["definition"],
                                                             nearest["value"])]
        out["p_implied_by_es"] = checked["p_implied"]
        out["es_p_consistent"] = checked["consistent"]
        out["es_p_decision_error"] = checked["decision_error"]
    return out


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
    difference in change, its standardised version and the baseline-adjusted difference."""
    frame = frame.reset_index(drop=True)
    rows = []

    def add(kind, table, estimate, method, assumption):
        for i in range(len(frame)):
            rows.append(dict(instrument=frame.loc[i, "instrument"], scale=frame.loc[i, "scale"],
                             timepoint=frame.loc[i, "timepoint"], estimand=kind,
                             estimate=float(table.loc[i, estimate]),
                             se=float(table.loc[i, "se"]),
                             ci_low=float(table.loc[i, "ci_low"]),
                             ci_high=float(table.loc[i, "ci_high"]),
                             p_value=float(table.loc[i, "p_value"])
                             if "p_value" in table else np.nan,
                             method=method, assumption=assumption))

    g = hedges_g(*_arms(frame, "1"))
    g["p_value"] = mean_difference(*_arms(frame, "1"), welch=False)["p_value"]
    add("hedges_g", g, "g", "Hedges' g (metafor SMD), Student t p", "survivors at follow-up")
    add("mean_difference", mean_difference(*_arms(frame, "1"), welch=True), "estimate",
        "Welch t-test", "survivors at follow-up")
    add("mean_difference", mean_difference(*_arms(frame, "1"), welch=False), "estimate",
        "Student t-test", "survivors at follow-up")
    for r in r_values:
        change = change_score(frame, r)
        add("change_difference", change, "estimate", "Welch t-test of change",
            f"{assumption_r} r = {r:g}; baseline of all randomised")
        smd = hedges_g((frame["m1_a"] - frame["m0_a"]), change["sd_change_a"], frame["n1_a"],
                       (frame["m1_b"] - frame["m0_b"]), change["sd_change_b"], frame["n1_b"])
        smd = smd.rename(columns={"g": "estimate"})
        add("change_smd", smd, "estimate", "Hedges' g of change",
            f"{assumption_r} r = {r:g}; baseline of all randomised")
        add("ancova_difference", ancova(frame, r), "estimate",
            "ANCOVA from summary data", f"{assumption_r} r = {r:g}; baseline of all randomised")
    table = pd.DataFrame(rows, columns=ESTIMAND_COLUMNS)
    for column in ("estimate", "se", "ci_low", "ci_high", "p_value"):
        table[column] = table[column].round(6)
    return table


def ledger_rows(table: pd.DataFrame, file: str, source: str, r: float) -> pd.DataFrame:
    """Ledger rows for the p-values (and effect sizes) of :func:`reanalyse`."""
    rows = []
    for _, row in table.iterrows():
        key = (f"{row['instrument']}/{row['scale']}/{row['contrast']}" if file == "effects"
               else f"{row['scale'].removeprefix('item_')}/{row['contrast']}")
        label = f"{row['instrument']} {row['scale']}, {row['contrast']}"
        rows.append(dict(
            claim_id=f"{file}:{key}:p", source=source, quantity=f"{label}: p",
            published=row["p_published"],
            recomputed=(f"{row['p_welch_follow_up']:.3f} (Welch, follow-up); "
                        f"{row['p_change']:.3f} (change, r = {r:g})"),
            check="p from summary data", verdict=row["p_verdict"],
            assumption=row["p_method"], note=row["p_note"]))
        if "es_published" in table:
            rows.append(dict(
                claim_id=f"{file}:{key}:effect_size", source=source,
                quantity=f"{label}: effect size", published=row["es_published"],
                recomputed=f"g at follow-up {row['g_follow_up']:.2f}",
                check="effect-size definition", verdict=row["es_verdict"],
                assumption=row["es_definition"] or "nine candidate definitions",
                note="" if row["es_definition"] else f"nearest: {row['es_nearest']}"))
            consistent = bool(row["es_p_consistent"])
            note = f"p implied by the effect size as Cohen's d: {row['p_implied_by_es']:.3f}"
            if row["es_p_decision_error"]:
                note += "; decision error: the implied p falls on the other side of alpha"
            rows.append(dict(
                claim_id=f"{file}:{key}:effect_size", source=source,
                quantity=f"{label}: effect size against p",
                published=f"{row['es_published']} with p = {row['p_published']}",
                recomputed=f"{row['p_implied_by_es']:.3f}",
                check="p implied by effect size (statcheck)",
                verdict="consistent" if consistent else "inconsistent",
                assumption="effect size read as Cohen's d between arms, follow-up n",
                note=note))
    return pd.DataFrame(rows)


def items_as_outcomes(items: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Table 3's item summaries in the shape of ``outcomes`` (scale ``item_17`` ...), with the n
    of the psychosocial aspects scale (Table 3 prints none)."""
    from .data import items_with_n

    table = items_with_n(items, outcomes).assign(
        instrument="BM22", scale="item_" + items["item"].astype(str))
    return table[["instrument", "scale", "arm", "timepoint", "n", "mean", "sd"]]


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
