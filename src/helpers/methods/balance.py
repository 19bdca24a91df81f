"""Baseline balance as standardised differences, and what a Carlisle-style check of the baseline
data can and cannot say.

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

__all__ = ["SMD_FLAG", "smd_means", "smd_proportions", "chance_imbalance", "against_chance",
           "carlisle"]


def smd_means(mean_a, sd_a, mean_b, sd_b):
    """The standardised difference of two means: ``(mean_a - mean_b) / sqrt((sd_a**2 +
    sd_b**2) / 2)`` (Austin 2009).

    Examples
    --------
    >>> round(float(smd_means(61.3, 10.1, 64.1, 10.9)), 3)
    -0.266
    """
    pooled = np.sqrt((sd_a ** 2 + sd_b ** 2) / 2)
    return (mean_a - mean_b) / pooled


def smd_proportions(p_a: float, p_b: float) -> float:
    """The standardised difference of two proportions: ``(p_a - p_b) / sqrt((p_a (1 - p_a) +
    p_b (1 - p_b)) / 2)``, 0 where neither varies (Austin 2009).

    Examples
    --------
    >>> round(float(smd_proportions(0.5, 0.3)), 3), smd_proportions(1.0, 1.0)
    (0.417, 0.0)
    """
    spread = np.sqrt((p_a * (1 - p_a) + p_b * (1 - p_b)) / 2)
    return (p_a - p_b) / spread if spread > 0 else 0.0


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
    characteristics are beyond chance; the rows of a baseline table and the outcome scales are not
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


def carlisle(tests: pd.DataFrame) -> dict:
    """Carlisle-style combination of the p-values of baseline comparisons (``tests``: one row per
    variable, columns ``p`` and any others), in both tails by Stouffer's method:
    ``p_too_different`` (small when the p-values crowd near 0: arms more different than
    randomisation gives) and ``p_too_similar`` (small when they crowd near 1: arms more alike
    than randomisation gives, the pattern of fabricated or non-random data that Carlisle's method
    looks for; Stouffer on 1 - p). A one-tailed combination of two-sided p-values cannot see the
    second pattern.

    Examples
    --------
    Three p-values near 1: Stouffer's z = (0 + 1.2816 + 1.6449) / sqrt(3) = 1.6896 on 1 - p.

    >>> check = carlisle(pd.DataFrame({"p": [0.5, 0.9, 0.95]}))
    >>> check["variables"], round(check["p_too_different"], 3), round(check["p_too_similar"], 3)
    (3, 0.954, 0.046)
    """
    too_different = stats.combine_pvalues(tests["p"], method="stouffer")
    too_similar = stats.combine_pvalues(1 - tests["p"], method="stouffer")
    return dict(table=tests, combined_p=float(too_different.pvalue),
                p_too_different=float(too_different.pvalue),
                p_too_similar=float(too_similar.pvalue), variables=len(tests))
