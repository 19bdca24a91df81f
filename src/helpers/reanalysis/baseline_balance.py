"""The balance of the trial's baseline table (Table 1 of a paper) and of its outcomes at baseline:
the standardised differences and the Carlisle-style check of :mod:`helpers.methods.balance`,
applied to the baseline table's rows (values in force, after corrections) and to the outcome
tables' baseline cells, for each comparison of ``trial.yaml`` (``arm`` against ``versus``; in a
two-arm trial, the treatment arm against the control arm).
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from ..methods.balance import SMD_FLAG, against_chance, carlisle, smd_means, smd_proportions

__all__ = ["standardised_differences", "carlisle_check", "outcome_baseline_differences",
           "differences_against_chance"]

_COLUMNS = ["characteristic", "level", "kind", "arm_a", "arm_b", "smd"]


def _flagged(rows) -> pd.DataFrame:
    """The rows (``_COLUMNS`` then ``arm``, ``versus``) with ``imbalanced`` (|SMD| above the
    flag), ``arm`` and ``versus`` last."""
    table = pd.DataFrame(rows, columns=_COLUMNS + ["arm", "versus"])
    table["imbalanced"] = table["smd"].abs() > SMD_FLAG
    return table[_COLUMNS + ["imbalanced", "arm", "versus"]]


def differences_against_chance(differences: pd.DataFrame, sizes: dict[str, int],
                               level: float = 0.95) -> pd.DataFrame:
    """:func:`helpers.methods.balance.against_chance` of each comparison's rows, at the sizes
    of its two arms (``sizes``: arm id to patients allocated)."""
    parts = [against_chance(group, sizes[arm], sizes[versus], level=level)
             for (arm, versus), group in differences.groupby(["arm", "versus"], sort=False)]
    return pd.concat(parts).loc[differences.index]


def standardised_differences(baseline: pd.DataFrame, study) -> pd.DataFrame:
    """SMD of the treatment arm against the control arm for every characteristic of the baseline
    table with a mean and SD or a count (values in force, after corrections).

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> smd = standardised_differences(data.load_baseline("data/published"),
    ...                                trial.load("data/published"))
    >>> round(smd.set_index(["characteristic", "level"]).loc[("age", ""), "smd"], 3)
    np.float64(-0.266)
    """
    wide = baseline.pivot(index=["characteristic", "level"], columns="arm",
                          values=["n", "percent", "mean", "sd"])
    order = list(dict.fromkeys(zip(baseline["characteristic"], baseline["level"])))
    wide = wide.reindex(order)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(float)
    rows = []
    for comparison in study.comparisons:
        rows += _characteristic_rows(wide, size, comparison.arm, comparison.versus)
    return _flagged(rows)


def _characteristic_rows(wide: pd.DataFrame, size: pd.Series, A: str, B: str  # noqa: N803
                         ) -> list[tuple]:
    """The SMD rows of one comparison (arm ``A`` against ``B``) of the baseline table in wide
    form."""
    rows = []
    for (characteristic, level), row in wide.iterrows():
        if characteristic == "group_size":
            continue
        if pd.notna(row[("sd", A)]) and pd.notna(row[("sd", B)]):
            a, b = float(row[("mean", A)]), float(row[("mean", B)])
            rows.append((characteristic, level, "continuous", f"{a:g}", f"{b:g}",
                         smd_means(a, float(row[("sd", A)]), b, float(row[("sd", B)])), A, B))
        elif pd.notna(row[("n", A)]) and pd.notna(row[("n", B)]) and level:
            pa, pb = float(row[("n", A)]) / size[A], float(row[("n", B)]) / size[B]
            rows.append((characteristic, level, "proportion", f"{pa:.3f}", f"{pb:.3f}",
                         smd_proportions(pa, pb), A, B))
    return rows


def carlisle_check(baseline: pd.DataFrame, study) -> dict:
    """Carlisle-style check (:func:`helpers.methods.balance.carlisle`) on the continuous baseline
    variables of the baseline table: the per-variable p-values (Student's t from summary data, as
    Carlisle used), their combination in both tails, the number of variables and a plain
    statement of what the check can say with this many.

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> check = carlisle_check(data.load_baseline("data/published"), trial.load("data/published"))
    >>> check["variables"], 0 < check["p_too_similar"] < 1
    (2, True)
    """
    continuous = baseline[baseline["sd"].notna() & (baseline["level"] == "")]
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = []
    for comparison in study.comparisons:
        arms = (comparison.arm, comparison.versus)
        suffix = f" ({comparison.arm} vs {comparison.versus})" if study.k_arms else ""
        for characteristic, group in continuous.groupby("characteristic", sort=False):
            a, b = (group[group["arm"] == arm].iloc[0] for arm in arms)
            result = stats.ttest_ind_from_stats(a["mean"], a["sd"], int(size[arms[0]]),
                                                b["mean"], b["sd"], int(size[arms[1]]),
                                                equal_var=True)
            rows.append((characteristic + suffix, float(result.statistic),
                         float(result.pvalue)))
    check = carlisle(pd.DataFrame(rows, columns=["characteristic", "t", "p"]))
    count = check["variables"]
    check["statement"] = (
        f"Table 1 reports {count} continuous variable(s) with mean and SD "
        f"({', '.join(check['table']['characteristic'])}). A Carlisle-style check combines "
        "many independent baseline comparisons, looking in both tails: arms too "
        "different, and arms too similar. With "
        f"{count} it has no power in either tail: it cannot tell a randomised trial "
        "from a non-randomised one, or genuine data from invented data. The p-values "
        "are reported for completeness, not as a verdict.")
    return check


def outcome_baseline_differences(outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """SMD of the treatment arm against the control arm of each outcome scale at baseline, as
    for the baseline table.

    Baseline differences in the outcomes themselves matter most: a change score compared
    between arms inherits them (regression to the mean).
    """
    t0 = outcomes[outcomes["timepoint"] == study.baseline.id]
    rows = []
    for comparison in study.comparisons:
        for (instrument, scale), group in t0.groupby(["instrument", "scale"], sort=False):
            a, b = (group[group["arm"] == arm].iloc[0] for arm in (comparison.arm,
                                                                     comparison.versus))
            rows.append((f"{instrument} {scale}", "", "outcome at baseline", f"{a['mean']:g}",
                         f"{b['mean']:g}", smd_means(a["mean"], a["sd"], b["mean"], b["sd"]),
                         comparison.arm, comparison.versus))
    return _flagged(rows)
