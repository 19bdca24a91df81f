"""Baseline balance of Table 1 as standardised differences, and what a Carlisle-style check of
the baseline data can and cannot say.

CONSORT discourages significance tests of baseline differences in a randomised trial: any
difference is by chance. Balance is therefore shown as standardised mean differences (SMD):
``(mean_A - mean_B) / sqrt((sd_A**2 + sd_B**2) / 2)`` for continuous characteristics and
``(p_A - p_B) / sqrt((p_A (1 - p_A) + p_B (1 - p_B)) / 2)`` for each level of a categorical one
(Austin 2009, Stat Med 28:3083). |SMD| > 0.1 is the usual flag of imbalance; at the realised
n of a small trial chance exceeds it most of the time, so each difference is also judged
against what chance gives at that n (:func:`against_chance`).

Carlisle (2017, Anaesthesia 72:944) combines the p-values of baseline comparisons of continuous
variables across a trial: under randomisation they are uniform, and too many p-values near 0 or
near 1 signals non-random allocation or fabricated data; both tails are combined here. The
p-values are computed for that check only, never as a balance test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SMD_FLAG = 0.1

__all__ = ["SMD_FLAG", "standardised_differences", "chance_imbalance", "against_chance",
           "carlisle_check", "outcome_baseline_differences"]


def standardised_differences(baseline: pd.DataFrame, study=None) -> pd.DataFrame:
    """SMD of arm A against arm B for every characteristic of Table 1 with a mean and SD or a
    count (values in force, after corrections).

    Examples
    --------
    >>> from helpers import data
    >>> smd = standardised_differences(data.load_baseline())
    >>> round(smd.set_index(["characteristic", "level"]).loc[("age", ""), "smd"], 3)
    np.float64(-0.266)
    """
    wide = baseline.pivot(index=["characteristic", "level"], columns="arm",
                          values=["n", "percent", "mean", "sd"])
    order = list(dict.fromkeys(zip(baseline["characteristic"], baseline["level"])))
    wide = wide.reindex(order)
    from . import trial

    study = study or trial.load()
    A, B = study.treatment.id, study.control.id  # noqa: N806 (the arms, as the tables name them)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(float)
    rows = []
    for (characteristic, level), row in wide.iterrows():
        if characteristic == "group_size":
            continue
        if pd.notna(row[("sd", A)]) and pd.notna(row[("sd", B)]):
            a, b = float(row[("mean", A)]), float(row[("mean", B)])
            pooled = np.sqrt((float(row[("sd", A)]) ** 2 + float(row[("sd", B)]) ** 2) / 2)
            rows.append((characteristic, level, "continuous", f"{a:g}", f"{b:g}", (a - b) / pooled))
        elif pd.notna(row[("n", A)]) and pd.notna(row[("n", B)]) and level:
            pa, pb = float(row[("n", A)]) / size[A], float(row[("n", B)]) / size[B]
            spread = np.sqrt((pa * (1 - pa) + pb * (1 - pb)) / 2)
            smd = (pa - pb) / spread if spread > 0 else 0.0
            rows.append((characteristic, level, "proportion", f"{pa:.3f}", f"{pb:.3f}", smd))
    table = pd.DataFrame(rows, columns=["characteristic", "level", "kind", "arm_a", "arm_b", "smd"])
    table["imbalanced"] = table["smd"].abs() > SMD_FLAG
    return table


def chance_imbalance(n_a: int, n_b: int, flag: float = SMD_FLAG, level: float = 0.95) -> dict:
    """What chance alone gives a standardised difference between two randomised arms of
    ``n_a`` and ``n_b`` patients: its standard deviation under no true difference,
    ``sqrt(1/n_a + 1/n_b)`` (the large-sample variance of an SMD at zero; Hedges & Olkin 1985),
    the share of characteristics whose |SMD| exceeds ``flag`` by chance (normal approximation),
    and the |SMD| that chance exceeds only ``1 - level`` of the time (``beyond``). An |SMD| above
    the flag is then expected, not a sign of a faulty randomisation; RoB 2 judges the
    randomisation by its process, not by baseline differences of this size.

    Examples
    --------
    >>> chance = chance_imbalance(30, 30)
    >>> round(chance["sd"], 3), round(chance["share_above_flag"], 2), round(chance["beyond"], 3)
    (0.258, 0.7, 0.506)
    """
    sd = float(np.sqrt(1 / n_a + 1 / n_b))
    return dict(sd=sd, share_above_flag=float(2 * stats.norm.sf(flag / sd)), flag=flag,
                beyond=float(stats.norm.ppf(0.5 + level / 2) * sd), level=level)


def against_chance(differences: pd.DataFrame, n_a: int, n_b: int, level: float = 0.95
                   ) -> pd.DataFrame:
    """Each standardised difference judged against chance at the realised n: ``z`` (the SMD in
    units of its chance SD) and ``beyond_chance`` (|SMD| larger than chance gives in ``level`` of
    randomisations). Under a sound randomisation about ``1 - level`` of independent
    characteristics are beyond chance; the rows of Table 1 and the outcome scales are not
    independent, so the count is a description, not a test.

    Examples
    --------
    >>> table = against_chance(pd.DataFrame({"smd": [0.1, -0.6]}), 30, 30)
    >>> table["beyond_chance"].tolist()
    [False, True]
    """
    chance = chance_imbalance(n_a, n_b, level=level)
    table = differences.copy()
    table["z"] = table["smd"] / chance["sd"]
    table["beyond_chance"] = table["smd"].abs() > chance["beyond"]
    return table


def carlisle_check(baseline: pd.DataFrame, study=None) -> dict:
    """Carlisle-style check on the continuous baseline variables of Table 1.

    Returns the per-variable p-values (Student's t from summary data, as Carlisle used), and
    Stouffer's combination in both tails: ``p_too_different`` (small when the p-values crowd near
    0: arms more different than randomisation gives) and ``p_too_similar`` (small when they crowd
    near 1: arms more alike than randomisation gives, the pattern of fabricated or non-random
    data that Carlisle's method looks for; Stouffer on 1 - p). A one-tailed combination of
    two-sided p-values cannot see the second pattern. Also the number of variables and a plain
    statement of what the check can say with this many.

    Examples
    --------
    >>> from helpers import data
    >>> check = carlisle_check(data.load_baseline())
    >>> check["variables"], 0 < check["p_too_similar"] < 1
    (2, True)
    """
    from . import trial

    study = study or trial.load()
    arms = (study.treatment.id, study.control.id)
    continuous = baseline[baseline["sd"].notna() & (baseline["level"] == "")]
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = []
    for characteristic, group in continuous.groupby("characteristic", sort=False):
        a, b = (group[group["arm"] == arm].iloc[0] for arm in arms)
        result = stats.ttest_ind_from_stats(a["mean"], a["sd"], int(size[arms[0]]), b["mean"],
                                            b["sd"], int(size[arms[1]]), equal_var=True)
        rows.append((characteristic, float(result.statistic), float(result.pvalue)))
    table = pd.DataFrame(rows, columns=["characteristic", "t", "p"])
    too_different = stats.combine_pvalues(table["p"], method="stouffer")
    too_similar = stats.combine_pvalues(1 - table["p"], method="stouffer")
    count = len(table)
    statement = (f"Table 1 reports {count} continuous variable(s) with mean and SD "
                 f"({', '.join(table['characteristic'])}). A Carlisle-style check combines "
                 "many independent baseline comparisons, looking in both tails: arms too "
                 "different, and arms too similar. With "
                 f"{count} it has no power in either tail: it cannot tell a randomised trial "
                 "from a non-randomised one, or genuine data from invented data. The p-values "
                 "are reported for completeness, not as a verdict.")
    return dict(table=table, combined_p=float(too_different.pvalue),
                p_too_different=float(too_different.pvalue),
                p_too_similar=float(too_similar.pvalue), variables=count, statement=statement)


def outcome_baseline_differences(outcomes: pd.DataFrame, study=None) -> pd.DataFrame:
    """SMD of the treatment arm against the control arm of each outcome scale at baseline, as
    for Table 1.

    Baseline differences in the outcomes themselves matter most: a change score compared
    between arms inherits them (regression to the mean).
    """
    from . import trial

    study = study or trial.load()
    t0 = outcomes[outcomes["timepoint"] == study.baseline.id]
    rows = []
    for (instrument, scale), group in t0.groupby(["instrument", "scale"], sort=False):
        a, b = (group[group["arm"] == arm].iloc[0] for arm in (study.treatment.id,
                                                                 study.control.id))
        pooled = np.sqrt((a["sd"] ** 2 + b["sd"] ** 2) / 2)
        rows.append((f"{instrument} {scale}", "", "outcome at baseline", f"{a['mean']:g}",
                     f"{b['mean']:g}", (a["mean"] - b["mean"]) / pooled))
    table = pd.DataFrame(rows, columns=["characteristic", "level", "kind", "arm_a", "arm_b", "smd"])
    table["imbalanced"] = table["smd"].abs() > SMD_FLAG
    return table
