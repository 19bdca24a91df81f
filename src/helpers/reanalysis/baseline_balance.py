"""The balance of the trial's baseline table (Table 1 of a paper) and of its outcomes at baseline:
the standardised differences and the Carlisle-style check of :mod:`helpers.methods.balance`,
applied to the baseline table's rows (values in force, after corrections) and to the outcome
tables' baseline cells, the treatment arm against the control arm of ``trial.yaml``.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from ..methods.balance import SMD_FLAG, carlisle, smd_means, smd_proportions

__all__ = ["standardised_differences", "carlisle_check", "outcome_baseline_differences"]

_COLUMNS = ["characteristic", "level", "kind", "arm_a", "arm_b", "smd"]


def _flagged(rows) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["imbalanced"] = table["smd"].abs() > SMD_FLAG
    return table


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
    A, B = study.treatment.id, study.control.id  # noqa: N806 (the arms, as the tables name them)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(float)
    rows = []
    for (characteristic, level), row in wide.iterrows():
        if characteristic == "group_size":
            continue
        if pd.notna(row[("sd", A)]) and pd.notna(row[("sd", B)]):
            a, b = float(row[("mean", A)]), float(row[("mean", B)])
            rows.append((characteristic, level, "continuous", f"{a:g}", f"{b:g}",
                         smd_means(a, float(row[("sd", A)]), b, float(row[("sd", B)]))))
        elif pd.notna(row[("n", A)]) and pd.notna(row[("n", B)]) and level:
            pa, pb = float(row[("n", A)]) / size[A], float(row[("n", B)]) / size[B]
            rows.append((characteristic, level, "proportion", f"{pa:.3f}", f"{pb:.3f}",
                         smd_proportions(pa, pb)))
    return _flagged(rows)


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
    arms = (study.treatment.id, study.control.id)
    continuous = baseline[baseline["sd"].notna() & (baseline["level"] == "")]
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = []
    for characteristic, group in continuous.groupby("characteristic", sort=False):
        a, b = (group[group["arm"] == arm].iloc[0] for arm in arms)
        result = stats.ttest_ind_from_stats(a["mean"], a["sd"], int(size[arms[0]]), b["mean"],
                                            b["sd"], int(size[arms[1]]), equal_var=True)
        rows.append((characteristic, float(result.statistic), float(result.pvalue)))
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
    for (instrument, scale), group in t0.groupby(["instrument", "scale"], sort=False):
        a, b = (group[group["arm"] == arm].iloc[0] for arm in (study.treatment.id,
                                                                 study.control.id))
        rows.append((f"{instrument} {scale}", "", "outcome at baseline", f"{a['mean']:g}",
                     f"{b['mean']:g}", smd_means(a["mean"], a["sd"], b["mean"], b["sd"])))
    return _flagged(rows)
