"""Words that grade a result, checked against numbers: the arithmetic of a verbal claim's rule.

A sentence that calls a difference "considerable" or an effect "small to moderate" makes a claim
about magnitude. Where the paper states the rule (its alpha, its grading of effect sizes) that
rule decides; where it states none, a rule has readings (a minimal important difference, half a
standard deviation), each a threshold on the difference the sentence cites. Which words imply
which rule is data (``data/claims/verbal.yaml``, read by :mod:`helpers.reanalysis.statements`);
this module only computes.

A rule that fails is a misstatement, never an impossibility: the words claim more than the
numbers (an *overstatement*) or less (an *understatement*).
"""

from __future__ import annotations

import math

__all__ = ["GRADES", "OVER", "UNDER", "threshold", "root_mean_square", "meets", "rounding_slack",
           "grade_misstatement", "combine_readings"]

#: The effect-size grades of a paper's convention, weakest first.
GRADES = ("low", "moderate", "strong")
OVER, UNDER = "overstatement", "understatement"


def threshold(reading: dict, low: float, high: float, sd: float) -> float:
    """The smallest difference a reading of an important difference accepts: ``share_of_range``
    of the range ``high - low`` (a tenth of 0-100 is 10 points), or ``standardised`` times the
    standardiser ``sd``.

    Examples
    --------
    >>> threshold({"share_of_range": 0.1}, 1, 4, sd=1.0)
    0.30000000000000004
    >>> threshold({"standardised": 0.5}, 0, 100, sd=24.0)
    12.0
    """
    if "share_of_range" in reading:
        if not high > low:
            raise ValueError(f"a scale's range needs high > low, got {low}, {high}")
        return float(reading["share_of_range"]) * (high - low)
    if "standardised" in reading:
        if not sd > 0:
            raise ValueError(f"a standardised threshold needs a positive SD, got {sd}")
        return float(reading["standardised"]) * sd
    raise ValueError(f"a reading needs 'share_of_range' or 'standardised': {reading!r}")


def root_mean_square(*sds: float) -> float:
    """The standardiser of two arms' SDs with equal weights, ``sqrt((sd1² + sd2²) / 2)`` (Cohen's
    pooled SD when the arms are of equal size; used where a table prints no n).

    Examples
    --------
    >>> round(root_mean_square(3.0, 4.0), 4)
    3.5355
    """
    if not sds:
        raise ValueError("root_mean_square needs at least one SD")
    return math.sqrt(sum(s * s for s in sds) / len(sds))


def meets(difference: float, minimum: float, slack: float = 0.0) -> bool | None:
    """Is a difference at least ``minimum`` in size? ``slack`` is how far rounding of the
    printed numbers may have moved it (half a unit of the last printed decimal of each mean it
    is made of): it holds when the printed difference reaches ``minimum``, fails when no
    difference the rounding allows reaches it, and is undecided (``None``) in between.

    Examples
    --------
    >>> meets(-12.0, 10.0), meets(-6.38, 10.0, 0.02), meets(0.2, 0.3, 0.1), meets(0.25, 0.3, 0.1)
    (True, False, False, None)
    """
    size, tolerance = abs(difference), 1e-9
    if size >= minimum - tolerance:
        return True
    if size + slack <= minimum + tolerance:
        return False
    return None


def rounding_slack(decimals) -> float:
    """How far the rounding of printed numbers may move a sum or difference of them: half a
    unit of each one's last decimal, added up.

    Examples
    --------
    >>> rounding_slack([1, 1]), rounding_slack([2, 2, 2, 2])
    (0.1, 0.02)
    """
    return sum(0.5 * 10.0 ** -int(d) for d in decimals)


def grade_misstatement(claimed, found: str) -> str:
    """Whether an effect size graded ``found`` makes words claiming one of the grades
    ``claimed`` an overstatement (every claimed grade above it), an understatement (every one
    below it), or neither (``""``: one of them is the grade found).

    Examples
    --------
    >>> grade_misstatement({"low", "moderate"}, "strong")
    'understatement'
    >>> grade_misstatement({"strong"}, "moderate")
    'overstatement'
    >>> grade_misstatement({"moderate", "strong"}, "strong")
    ''
    """
    order = {g: i for i, g in enumerate(GRADES)}
    unknown = (set(claimed) | {found}) - set(order)
    if unknown:
        raise ValueError(f"unknown grade(s) {sorted(unknown)}; use {', '.join(GRADES)}")
    if found in claimed:
        return ""
    return OVER if all(order[g] > order[found] for g in claimed) else \
        UNDER if all(order[g] < order[found] for g in claimed) else ""


def combine_readings(outcomes) -> bool | None:
    """One rule's outcome from its readings': holds when every reading holds, fails when every
    reading fails, undecided (``None``) when they disagree or one cannot be checked.

    Examples
    --------
    >>> [combine_readings(o) for o in ([True, True], [False, False], [True, False])]
    [True, False, None]
    """
    outcomes = list(outcomes)
    if outcomes and all(o is True for o in outcomes):
        return True
    if outcomes and all(o is False for o in outcomes):
        return False
    return None
