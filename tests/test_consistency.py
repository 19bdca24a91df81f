"""helpers.methods.consistency against worked examples with stated verdicts, hand calculations,
genuine data (property-based, hypothesis) and bad input.

Sources of expected verdicts (each stated in the source, not computed here):
- Brown & Heathers (2017), the GRIM paper's example (mean 5.19, n = 28), as restated in the
  documentation of R's scrutiny (man/grim.Rd) and rsprite2 (man/GRIM_test.Rd).
- R package scrutiny (Jung), vignettes and tests: grim.md, test-grim.R, test-grim-map.R (pigs1),
  grimmer.Rd, test-grimmer.R, test-grimmer-map.R (pigs5), debit.md, test-debit.R (pigs3).
  scrutiny's default rounding "up_or_down" is this module's "either".
- rsprite2 (tests/testthat/test-core-and-plot-functions.R): GRIM and GRIMMER examples.
- A brute-force oracle here: every sample of n values on small grids, its mean and SD computed
  exactly (fractions, decimal) and printed with decimal's rounding modes; and a direct programme
  over (count, sum) for the sums of squares at larger n. Neither uses the code under test.
"""

import itertools
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.methods import consistency as cc

T, F = "consistent", "inconsistent"


def verdicts(table):
    return table["consistency"].tolist()


def flagged(table):
    """As scrutiny reports: TRUE (consistent) unless inconsistent; scrutiny has no
    'unverifiable', which is not a flag."""
    return [F if v == F else T for v in table["consistency"]]


# ---------------------------------------------------------------------------------------------
# GRIM
# ---------------------------------------------------------------------------------------------

def test_grim_paper_example():
    assert verdicts(cc.grim("5.19", 28)) == [F]
    assert verdicts(cc.grim("5.19", 32)) == [T]
    assert cc.grim("5.19", 28)["nearest"].item() == "5.18 or 5.21"  # 145/28, 146/28


@pytest.mark.parametrize(("means", "n", "items", "expected"), [
    # scrutiny vignette grim.md
    (["5.27"], 43, 1, [F]),
    (["8.97", "2.61", "7.26", "3.64", "9.26", "10.46", "7.39"], 28, 1, [F, T, F, T, F, T, T]),
    (["5.90", "5.71", "3.50", "3.82", "4.61", "5.24"], 40, 1, [T, F, T, T, F, F]),
    (["5.90", "5.71", "3.50", "3.82", "4.61", "5.24"], 40, 3, [T] * 6),
    # scrutiny tests/testthat/test-grim.R
    ([f"{5.19 + i / 100:.2f}" for i in range(12)], 28, 1, [F, F, T, F, F, F, T, F, F, F, T, F]),
    ([f"{0.150 + i / 1000:.3f}" for i in range(10)], 120, 3, [T, F, F, T, F, F, T, F, T, F]),
    ([f"{0.80 + i / 100:.2f}" for i in range(10)], 28, 2, [T, F, T, F, T, F, T, T, T, T]),
    # Bauer & Francis example in the vignette
    (["4.71"], 20, 1, [F]), (["4.71"], 17, 1, [T]), (["5.3"], 20, 1, [T]),
    # rsprite2
    (["5.18"], 14, 2, [T]),
])
def test_grim_scrutiny_examples(means, n, items, expected):
    assert flagged(cc.grim(means, n, cc.item_mean_step(items))) == expected


def test_grim_items_differ_per_row():
    """grim.md: n = 30, (mean, items) pairs."""
    means = ["6.92", "3.48", "1.59", "2.61", "4.04", "4.50"]
    items = [1, 1, 2, 2, 3, 3]
    steps = [cc.item_mean_step(k) for k in items]
    assert flagged(cc.grim(means, 30, steps)) == [F, F, F, F, T, T]


def test_grim_pigs1():
    """scrutiny's pigs1 data: README and test-grim-map.R."""
    means = ["7.22", "4.74", "5.23", "2.57", "6.77", "2.68", "7.01", "7.38", "3.14", "6.89",
             "5.00", "0.24"]
    n = [32, 25, 29, 24, 27, 28, 29, 26, 27, 31, 25, 28]
    assert flagged(cc.grim(means, n)) == [T, F, F, F, F, T, F, T, F, F, T, F]
    assert flagged(cc.grim(means, 40)) == [T, F, T, T, T, T, F, T, F, F, T, F]
    assert flagged(cc.grim(means, 40, rounding="half_up")) == \
        [F, F, T, F, F, T, F, T, F, F, T, F]
    at_80 = cc.grim(means, 80)
    assert (at_80["consistency"] != F).all()


def test_grim_percentages_as_proportions():
    """test-grim.R: percentages 6..16 of n = 50; grim.md: percentages with large n. A whole
    percentage is a proportion printed with two decimals."""
    proportions = [f"0.{p:02d}" for p in range(6, 17)]
    assert flagged(cc.grim(proportions, 50)) == [T, F, T, F, T, F, T, F, T, F, T]
    assert flagged(cc.grim(["0.325", "0.356", "0.217", "0.393"], [438, 455, 501, 516])) == \
        [F, T, F, T]


def test_grim_by_hand_eortc_scale():
    """A 3-item EORTC symptom scale: one patient's score is a multiple of 100/9 = 11.11...
    With n = 2 the mean is a multiple of 100/18 = 5.555...: 5.56 is possible (sum 100/9),
    5.55 is not when rounding to nearest (5.5555 -> 5.56)."""
    step = cc.eortc_step(3)
    assert verdicts(cc.grim(["5.56", "5.55", "11.11", "11.12"], 2, step)) == [T, F, T, F]


def test_grim_unverifiable_when_grid_finer_than_print():
    table = cc.grim("61.3", 30)  # age in whole years, one decimal, n = 30
    assert verdicts(table) == ["unverifiable"]
    assert "every value can occur" in table["reason"].item()


def test_grim_outside_scale():
    table = cc.grim(["101.00", "-0.50"], 30, cc.eortc_step(3), scale_min=0, scale_max=100)
    assert verdicts(table) == [F, F]


def test_rounding_conventions_at_an_exact_tie():
    """1/8 = 0.125 exactly: half-up prints 0.13, half-even 0.12; 'either' accepts both."""
    assert verdicts(cc.grim(["0.13", "0.12"], 8, rounding="half_up")) == [T, F]
    assert verdicts(cc.grim(["0.13", "0.12"], 8, rounding="half_even")) == [F, T]
    assert verdicts(cc.grim(["0.13", "0.12"], 8, rounding="either")) == [T, T]


# ---------------------------------------------------------------------------------------------
# GRIMMER and DEBIT
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("mean", "sd", "n", "kwargs", "expected"), [
    ("3.44", "2.47", 18, {}, F),  # rsprite2 GRIMMER_test.Rd
    ("5.21", "1.6", 28, {}, T),  # rsprite2
    ("5.23", "2.55", 35, {}, F),  # scrutiny grimmer.Rd
    ("5.23", "2.55", 31, {}, T),
    ("3.00", "2.08", 20, {}, T),
    ("3.00", "2.08", 20, {"scale_min": 1, "scale_max": 5}, F),
    ("7.22", "1.10", 30, {"scale_min": 1, "scale_max": 5}, F),  # test-grimmer.R
    ("1.00", "0.32", 20, {"scale_min": 1, "scale_max": 5}, F),
    ("1.00", "0.00", 20, {"scale_min": 1, "scale_max": 5}, T),
    ("3.00", "1.45", 20, {"scale_min": 1, "scale_max": 5}, T),
    ("0.03", "0.18", 200, {}, T),  # 7 ones and 193 zeros (scrutiny issue #86)
    ("0.04", "0.18", 200, {}, T),
    ("0.11", "0.87", 64, {"rounding": "half_up"}, F),  # scrutiny issue #85
    ("0.11", "0.87", 64, {}, T),
    ("7.67", "0.00", 2, {"step": Fraction(1, 3)}, T),
    # test-grimmer.R notes that this one is impossible (least possible SD 0.48); the sum of
    # squares bound here catches it
    ("1.30", "0.11", 10, {}, F),
])
def test_grimmer_examples(mean, sd, n, kwargs, expected):
    step = kwargs.pop("step", 1)
    assert flagged(cc.grimmer(mean, sd, n, step, **kwargs)) == [expected]


def test_grimmer_pigs5():
    """scrutiny test-grimmer-map.R (current version) for pigs5."""
    rows = [("7.22", "5.30", 38, F), ("4.74", "6.55", 31, T), ("5.23", "2.55", 35, F),
            ("2.57", "2.57", 30, T), ("6.77", "2.18", 33, F), ("2.68", "2.59", 34, T),
            ("7.01", "6.68", 35, F), ("7.38", "3.65", 32, T), ("3.14", "5.32", 33, F),
            ("6.89", "4.18", 37, T), ("5.00", "2.18", 31, T), ("0.24", "6.43", 34, T)]
    mean, sd, n, expected = zip(*rows)
    assert flagged(cc.grimmer(list(mean), list(sd), list(n))) == list(expected)


def test_grimmer_by_hand():
    """1, 2, 3, 4, 5: sum 15, sum of squares 55, SD sqrt((5*55 - 225)/20) = sqrt(2.5) = 1.5811.
    1.59 needs a sum of squares of 55.2..., not an integer; a sum of squares of 56 has the wrong
    parity (15 is odd); 57 gives sqrt(3) = 1.73."""
    assert verdicts(cc.grimmer(["3.00", "3.00", "3.00"], ["1.58", "1.59", "1.73"], 5)) == [T, F, T]


def test_grimmer_sd_above_range_maximum():
    """Five values in 1..5 with mean 3.00: the largest SD puts them at 1 and 5: sum 15 needs
    e.g. 1,1,4... The greatest sum of squares for sum 15 (shifted 0..4, sum 10) is 4+4+... =
    16+16+4 = 36 shifted, SD = sqrt((5*36 - 100)/20) = 2.0."""
    table = cc.grimmer(["3.00", "3.00"], ["2.00", "2.10"], 5, scale_min=1, scale_max=5)
    assert verdicts(table) == [T, F]
    assert "larger than any data" in table["reason"].iloc[1]


@pytest.mark.parametrize(("mean", "sd", "n", "expected"), [
    ("0.35", "0.18", 20, F),  # scrutiny debit.md
    ("0.53", "0.50", 1683, T), ("0.44", "0.50", 1683, T), ("0.77", "0.42", 1683, T),
    ("0.19", "0.35", 1683, F), ("0.34", "0.47", 1683, T), ("0.93", "0.25", 1683, T),
    ("0.12", "0.33", 1683, T),  # pigs3, scrutiny README and test-debit.R
    ("0.05", "0.22", 20, T),  # test-debit.R
    ("0.00", "0.00", 50, T), ("1.00", "0.00", 50, T),
    ("0.00", "0.50", 50, F), ("1.00", "0.50", 50, F),
])
def test_debit_examples(mean, sd, n, expected):
    assert flagged(cc.debit(mean, sd, n)) == [expected]


# ---------------------------------------------------------------------------------------------
# Percentages, totals, ranges, n-inference
# ---------------------------------------------------------------------------------------------

def test_percentages_by_hand():
    """12/30 = 40%, 6/30 = 20%, 9/30 = 30%, 8/30 = 26.67%, 4/30 = 13.33%."""
    table = cc.percentage([12, 6, 9, 8, 4, 14], 30, ["9.2", "20.1", "30.1", "26.6", "13.4", "46.7"])
    assert verdicts(table) == [F, F, F, F, F, T]
    assert table["recomputed"].tolist() == ["40.0", "20.0", "30.0", "26.7", "13.3", "46.7"]
    assert "rounded down (truncated)" in table["reason"].iloc[3]
    assert "rounded up (ceiling)" in table["reason"].iloc[4]
    assert "no rounding of it gives 9.2" in table["reason"].iloc[0]


def test_adds_up():
    assert cc.adds_up([17, 9, 2, 2], 30)["consistency"] == T
    assert cc.adds_up([17, 9, 2, 1], 30)["consistency"] == F
    assert cc.adds_up(["56.7", "30.0", "6.7", "6.7"], 100, printed_decimals=1)["consistency"] == T
    assert cc.adds_up(["50.0", "30.0", "6.7", "6.7"], 100, printed_decimals=1)["consistency"] == F


def test_within():
    assert verdicts(cc.within(["80", "1.4", "1.7"], ["70", "2", "1"], ["100", "4", "5"])) == \
        [T, F, T]


def test_max_sd_by_hand():
    # half the values at 1, half at 4: population SD 1.5, sample SD 1.5*sqrt(10/9)
    assert cc.max_sd(2.5, 10, 1, 4) == pytest.approx(1.5 * np.sqrt(10 / 9))


def test_infer_n():
    """Among n = 25..30, 5.19 is only 135/26 = 5.1923 or 140/27 = 5.1852; 5.18 only
    145/28 = 5.1786 (by hand: the sums either side of mean*n, divided by n)."""
    table = cc.infer_n(["5.19", "5.18"], n_range=(25, 30))
    assert table["consistent_n"].tolist() == ["26, 27", "28"]
    with_sd = cc.infer_n("3.00", "1.58", n_range=(4, 6))
    assert with_sd["consistent_n"].item() == "5"  # mean 3.00 needs n of 4, 5 or 6; SD only 5
    assert cc.infer_n("61.3", n_range=(30, 40))["informative"].item() is False


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: cc.grim("abc", 10), "mean 'abc' (position 0) is not a number as printed"),
    (lambda: cc.grim("1.5", 0), "n must be an integer of at least 1"),
    (lambda: cc.grim("1.5", 2.5), "n must be an integer of at least 1"),
    (lambda: cc.grim("1.5", "ten"), "n 'ten' (position 0) is not a number"),
    (lambda: cc.grim("1.5", 10, rounding="up"), "unknown rounding convention 'up'"),
    (lambda: cc.grimmer("1.5", "-0.3", 10), "sd '-0.3' is negative"),
    (lambda: cc.grimmer("1.5", "0.3", 1), "an SD needs n of at least 2"),
    (lambda: cc.grim("1.5", 10, 0), "step must be positive"),
    (lambda: cc.grim(["1.5", "2.5"], [10, 11, 12]), "mean has 2 values where others have 3"),
    (lambda: cc.percentage(31, 30, "103.3"), "count 31 is larger than its total 30"),
    (lambda: cc.eortc_step(0), "items must be a positive integer"),
    (lambda: cc.infer_n("1.5", n_range=(10, 5)), "n_range must be (low, high)"),
])
def test_bad_input_is_refused_clearly(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


# ---------------------------------------------------------------------------------------------
# Property-based: genuine data are never flagged
# ---------------------------------------------------------------------------------------------

def _print(value: Fraction | Decimal, decimals: int, mode) -> str:
    with localcontext() as context:
        context.prec = 60
        number = Decimal(value.numerator) / Decimal(value.denominator) \
            if isinstance(value, Fraction) else value
        return str(number.quantize(Decimal(1).scaleb(-decimals), rounding=mode))


def _sample_sd(values: list[Fraction]) -> Decimal:
    n = len(values)
    total, squares = sum(values), sum(v * v for v in values)
    variance = (n * squares - total * total) / (n * (n - 1))  # exact
    with localcontext() as context:
        context.prec = 60
        return (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()


@st.composite
def genuine_scales(draw, seeded=False):
    """A sample of patients' scale scores as an EORTC-scored or raw-mean or sum scale would give
    them, with its mean and SD printed as a paper prints them.

    With ``seeded``, the patients' item sums come from a numpy generator seeded by hypothesis
    (fast, for thousands of cases); otherwise hypothesis draws each one (shrinkable)."""
    n = draw(st.integers(2, 100))
    items = draw(st.integers(1, 8))
    levels = draw(st.integers(2, 7))
    kind = draw(st.sampled_from(["eortc", "raw_mean", "sum"]))
    # each patient's item sum: any integer from items (all 1) to items * levels (all top)
    if seeded:
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
        spread = draw(st.sampled_from(["uniform", "skewed", "constant"]))
        if spread == "uniform":
            sums = rng.integers(items, items * levels + 1, size=n).tolist()
        elif spread == "skewed":  # most patients at the floor, as symptom scales often are
            sums = np.minimum(items + rng.geometric(0.6, size=n) - 1, items * levels).tolist()
        else:
            sums = [int(rng.integers(items, items * levels + 1))] * n
    else:
        sums = draw(st.lists(st.integers(items, items * levels), min_size=n, max_size=n))
    if kind == "eortc":  # (RS - 1) / (levels - 1) * 100, RS = mean of the items
        scores = [Fraction(100 * (s - items), (levels - 1) * items) for s in sums]
        step, low, high = cc.eortc_step(items, levels), 0, 100
    elif kind == "raw_mean":
        scores = [Fraction(s, items) for s in sums]
        step, low, high = cc.item_mean_step(items), 1, levels
    else:
        scores = [Fraction(s) for s in sums]
        step, low, high = 1, items, items * levels
    decimals = draw(st.integers(1, 3))
    mode = draw(st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]))
    mean = _print(sum(scores) / n, decimals, mode)
    sd = _print(_sample_sd(scores), decimals, mode)
    return mean, sd, n, step, low, high


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genuine_scales(seeded=True))
def test_genuine_scales_never_flagged(case):
    mean, sd, n, step, low, high = case
    grim = cc.grim(mean, n, step, scale_min=low, scale_max=high)
    assert grim["consistency"].item() != F, grim.to_dict("records")
    grimmer = cc.grimmer(mean, sd, n, step, scale_min=low, scale_max=high)
    assert grimmer["consistency"].item() != F, (case, grimmer.to_dict("records"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genuine_scales())
def test_true_n_always_among_inferred_n(case):
    mean, sd, n, step, low, high = case
    low_n = max(2, n - 5)
    inferred = cc.infer_n(mean, sd, n_range=(low_n, n + 5), step=step, scale_min=low,
                          scale_max=high)
    ranges = inferred["consistent_n"].item().split(", ")
    covered = set()
    for part in filter(None, ranges):
        first, _, last = part.partition("-")
        covered |= set(range(int(first), int(last or first) + 1))
    assert n in covered


@settings(max_examples=600, deadline=None)
@given(st.integers(1, 500).flatmap(lambda total: st.tuples(st.integers(0, total),
                                                           st.just(total))),
       st.integers(0, 2), st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]))
def test_genuine_percentages_never_flagged(count_total, decimals, mode):
    count, total = count_total
    printed = _print(Fraction(100 * count, total), decimals, mode)
    assert cc.percentage(count, total, printed)["consistency"].item() == T


@settings(max_examples=500, deadline=None)
@given(st.integers(2, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.integers(2, 3), st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]))
def test_genuine_binary_never_flagged_by_debit(ones_n, decimals, mode):
    ones, n = ones_n
    values = [Fraction(1)] * ones + [Fraction(0)] * (n - ones)
    mean = _print(Fraction(ones, n), decimals, mode)
    sd = _print(_sample_sd(values), decimals, mode)
    assert cc.debit(mean, sd, n)["consistency"].item() == T


# ---------------------------------------------------------------------------------------------
# Reviewer's cases, by hand
# ---------------------------------------------------------------------------------------------

def test_half_even_on_an_odd_scale_min():
    """Data (1, 2) on a 1-5 scale: mean 3/2 = 1.5, an exact tie; half-even prints the even
    digit, '2' (half-up too). Sample SD sqrt(((1 - 1.5)**2 + (2 - 1.5)**2) / 1) = sqrt(0.5)
    = 0.7071, printed '0.71'. Shifted by the origin 1 the mean is 0.5, which half-even would print
    '0' (even), i.e. 1: the old false alarm."""
    table = cc.grimmer("2", "0.71", 2, 1, rounding="half_even", scale_min=1, scale_max=5)
    assert verdicts(table) == [T]
    assert table["method"].item() == "exact"
    # GRIM with an odd origin and a coarse grid: values 1, 4, 7, 10 (step 3); (1, 4) has mean
    # 2.5, which half-even prints '2' and half-up '3'; (1, 1) mean 1, (1, 7) and (4, 4) mean 4:
    # so '2' and '3' are each possible under one convention only.
    assert verdicts(cc.grim(["2", "3"], 2, 3, rounding="half_even", scale_min=1,
                            scale_max=10)) == [T, F]
    assert verdicts(cc.grim(["2", "3"], 2, 3, rounding="half_up", scale_min=1,
                            scale_max=10)) == [F, T]
    assert verdicts(cc.grim(["2", "3"], 2, 3, scale_min=1, scale_max=10)) == [T, T]


def test_half_up_rounds_away_from_zero_on_negative_scales():
    """A -3..3 scale. (-3, -2): mean -2.5, an exact tie: half-up (away from zero) prints '-3',
    half-even '-2'. Sample SD sqrt(0.5) = 0.71. (-3, -3): mean -3, SD 0; (-2, -2): mean -2."""
    args = dict(scale_min=-3, scale_max=3)
    # with step 3 on -3..3 (values -3, 0, 3) and n = 2, means are multiples of 1.5: -3, -1.5, 0,
    # 1.5, 3. -1.5 prints '-2' half-up and '-2' half-even (even digit 2), '-1' under neither.
    assert verdicts(cc.grim(["-2", "-1"], 2, 3, rounding="half_up", **args)) == [T, F]
    assert verdicts(cc.grim(["-2", "-1"], 2, 3, rounding="half_even", **args)) == [T, F]
    # 1 decimal, step 1, n = 4: means are multiples of 0.25 from -3; -2.75 (-3, -3, -3, -2) is
    # a tie: half-up '-2.8', half-even '-2.8' (8 even); -2.25 (-3, -2, -2, -2): half-up '-2.3',
    # half-even '-2.2'. Sample SD of (-3, -2, -2, -2): sqrt(0.75 / 3) = 0.5.
    assert verdicts(cc.grim(["-2.3", "-2.2"], 4, 1, rounding="half_up", **args)) == [T, F]
    assert verdicts(cc.grim(["-2.3", "-2.2"], 4, 1, rounding="half_even", **args)) == [F, T]
    assert verdicts(cc.grimmer(["-2.3", "-2.2"], "0.50", 4, 1, rounding="half_up", **args)) == \
        [T, F]
    assert verdicts(cc.grimmer(["-2.3", "-2.2"], "0.50", 4, 1, rounding="half_even",
                               **args)) == [F, T]
    # data (-3, -2) with 0 decimals: mean '-3' half-up, '-2' half-even; SD '1' (0.71)
    assert verdicts(cc.grimmer("-3", "1", 2, 1, rounding="half_up", **args)) == [T]
    assert verdicts(cc.grimmer("-2", "1", 2, 1, rounding="half_even", **args)) == [T]
    # mean -2 from two values is -2 itself ((-2, -2), (-3, -1)): SDs 0 and 1.41, never 0.71
    assert verdicts(cc.grimmer("-2.0", "0.7", 2, 1, **args)) == [F]


def test_bounds_pass_but_no_data_exist():
    """Two answers on 1-5 with mean 3.0 (sum 6): (1, 5), (2, 4), (3, 3) only; sample SDs
    sqrt(8) = 2.83, sqrt(2) = 1.41 and 0. SD '2' needs (n Q - K**2) / (n (n - 1)) = 4 in grid
    units (0-4, sum K = 4): Q = (4 * 2 + 16) / 2 = 12, and rounding allows up to Q = 14
    (SD < 2.5: Q < 14.25). 12 and 14 have the parity of K and lie between the least (8, for 2, 2)
    and the greatest (16, for 0, 4) sums of squares, so the bounds pass; but the achievable sums
    of squares are only 8, 10 and 16."""
    table = cc.grimmer("3.0", "2", 2, 1, scale_min=1, scale_max=5)
    assert verdicts(table) == [F]
    assert table["method"].item() == "exact"
    assert "no achievable data give this SD" in table["reason"].item()
    for sd in ("2.83", "1.41", "0"):  # the three real ones
        assert verdicts(cc.grimmer("3.0", sd, 2, 1, scale_min=1, scale_max=5)) == [T]
    unbounded = cc.grimmer("3.0", "2", 2, 1, scale_min=1)  # no maximum: only the bounds
    assert verdicts(unbounded) == [T]
    assert unbounded["method"].item() == "bounds"
    assert "necessary condition only" in unbounded["reason"].item()
    # DEBIT and n-inference go through the same verdict
    assert cc.infer_n("3.0", "2", n_range=(2, 2), scale_min=1, scale_max=5)[
        "consistent_n"].item() == ""
    assert cc.infer_n("3.0", "2.83", n_range=(2, 2), scale_min=1, scale_max=5)[
        "method"].item() == "exact"


# ---------------------------------------------------------------------------------------------
# Brute-force oracle: every sample of n values on small grids
# ---------------------------------------------------------------------------------------------

def _printings(value: Fraction | Decimal, decimals: int, rounding: str) -> set[str]:
    """How an exact value may print with ``decimals`` under a convention (negative zero as
    zero). 'either' allows both roundings of an exact tie."""
    modes = {"half_up": [ROUND_HALF_UP], "half_even": [ROUND_HALF_EVEN],
             "either": [ROUND_HALF_UP, ROUND_HALF_DOWN]}[rounding]
    out = set()
    for mode in modes:
        text = _print(value, decimals, mode)
        out.add(text[1:] if text.startswith("-") and set(text[1:]) <= set("0.") else text)
    return out


def _oracle(scale_min, step, top, n, mean_decimals, sd_decimals, rounding):
    """Every (mean, SD) pair as printed by some sample of n values scale_min + k * step,
    k = 0..top, and every printed mean. Samples with the same sum and sum of squares of k have
    the same mean and SD, so each such pair is printed once."""
    sums = {(sum(sample), sum(k * k for k in sample))
            for sample in itertools.combinations_with_replacement(range(top + 1), n)}
    pairs, means = set(), set()
    for total, squares in sums:
        mean = scale_min + step * Fraction(total, n)  # the mean of the values, exactly
        variance = step * step * Fraction(n * squares - total * total, n * (n - 1))
        with localcontext() as context:
            context.prec = 60
            sd = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        printed_means = _printings(mean, mean_decimals, rounding)
        means |= printed_means
        pairs |= {(m, s) for m in printed_means for s in _printings(sd, sd_decimals, rounding)}
    return pairs, means


def _shift(text: str, units: int) -> str:
    value = Decimal(text) + Decimal(units).scaleb(-_decimals(text))
    shifted = str(value.quantize(Decimal(1).scaleb(-_decimals(text))))
    return "0" + shifted[2:] if shifted.startswith("-0") and set(shifted[1:]) <= set("0.") \
        else shifted


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


ORACLE_SCALES = [  # (scale_min, step, top): 1-5, 0-3, -3..3, means of 2 items 1-4, EORTC
    (1, Fraction(1), 4), (0, Fraction(1), 3), (-3, Fraction(1), 6), (1, Fraction(1, 2), 6),
    (0, Fraction(100, 9), 9), (-2, Fraction(1, 2), 5), (1, Fraction(3), 3),
    (Fraction(1, 2), Fraction(1), 4),
]


@pytest.mark.parametrize("rounding", ["half_up", "half_even", "either"])
@pytest.mark.parametrize(("scale_min", "step", "top"), ORACLE_SCALES)
def test_grimmer_and_grim_match_brute_force(scale_min, step, top, rounding):
    """For n = 2..6 (fewer on the finest grids), GRIMMER says consistent exactly for the printed
    (mean, SD) pairs some sample gives, and inconsistent for the rest (near misses: each real pair
    with the SD or the mean moved by one or two printed units, and real means paired with other
    means' SDs). All these grids are bounded and small, so the exact check decides every row.
    GRIM likewise, for every printed mean across the scale."""
    rng = np.random.default_rng(top * 1000 + n_cases(top))
    for n in range(2, n_cases(top) + 1):
        for mean_decimals, sd_decimals in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2)]:
            pairs, means = _oracle(scale_min, step, top, n, mean_decimals, sd_decimals, rounding)
            real_sds = sorted({s for _, s in pairs})
            tested = set(pairs)
            for m, s in pairs:
                tested |= {(m, _shift(s, d)) for d in (-2, -1, 1, 2)}
                tested |= {(_shift(m, d), s) for d in (-1, 1)}
            for m in sorted(means):
                tested |= {(m, s) for s in rng.choice(real_sds, min(6, len(real_sds)))}
            tested = sorted((m, s) for m, s in tested if not s.startswith("-"))
            mean_list, sd_list = [m for m, _ in tested], [s for _, s in tested]
            table = cc.grimmer(mean_list, sd_list, n, step, rounding=rounding,
                               scale_min=scale_min, scale_max=scale_min + top * step)
            assert (table["method"] == "exact").all()
            expected = [T if pair in pairs else F for pair in tested]
            wrong = [(pair, got, want) for pair, got, want in
                     zip(tested, table["consistency"], expected) if got != want]
            assert not wrong, (n, mean_decimals, sd_decimals, wrong[:5])
            # GRIM on every printed mean from below the minimum to above the maximum
            low = Fraction(scale_min) - 1
            unit = Fraction(1, 10 ** mean_decimals)
            count = int((top * step + 2) / unit) + 1
            grid_means = sorted({_print(low + i * unit, mean_decimals, ROUND_HALF_UP)
                                 for i in range(count)})
            grid_means = [m[1:] if m.startswith("-") and set(m[1:]) <= set("0.") else m
                          for m in grid_means]
            if len(grid_means) > 600:  # all printable means, the scale's ends, and a sample
                rest = [m for m in grid_means[100:-100] if m not in means]
                grid_means = sorted(set(grid_means[:100] + grid_means[-100:]) | means |
                                    set(rng.choice(rest, 300, replace=False)))
            grim = cc.grim(grid_means, n, step, rounding=rounding, scale_min=scale_min,
                           scale_max=scale_min + top * step)
            for m, got, reason in zip(grid_means, grim["consistency"], grim["reason"]):
                if got == "unverifiable":  # a grid finer than the print: no claim either way
                    assert "every value can occur" in reason
                else:
                    assert got == (T if m in means else F), (n, m, got)


def n_cases(top: int) -> int:
    """Largest n tested on a grid of ``top`` steps (the enumeration grows as C(top + n, n))."""
    return 6 if top <= 4 else 5 if top <= 6 else 4


# ---------------------------------------------------------------------------------------------
# Property-based: genuine data on arbitrary grids (negative and odd origins) are never flagged
# ---------------------------------------------------------------------------------------------

@st.composite
def genuine_grid_samples(draw):
    """n integers k in 0..top, values scale_min + k * step, with scale_min negative, odd, zero or
    fractional, printed with either rounding rule."""
    top = draw(st.integers(1, 30))
    step = draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(100, 9),
                                 Fraction(3, 2), Fraction(2), Fraction(5)]))
    scale_min = draw(st.sampled_from([Fraction(v) for v in (-7, -3, -1, 0, 1, 3)] +
                                     [Fraction(-5, 2), Fraction(1, 2)]))
    n = draw(st.integers(2, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    shape = draw(st.sampled_from(["uniform", "floor", "extremes", "constant"]))
    if shape == "uniform":
        ks = rng.integers(0, top + 1, size=n)
    elif shape == "floor":
        ks = np.minimum(rng.geometric(0.5, size=n) - 1, top)
    elif shape == "extremes":  # large SDs: values at the bounds and a few inside
        ks = np.where(rng.random(n) < 0.8, rng.choice([0, top], size=n),
                      rng.integers(0, top + 1, size=n))
    else:
        ks = np.full(n, rng.integers(0, top + 1))
    values = [scale_min + int(k) * step for k in ks]
    mode = draw(st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]))
    mean_decimals, sd_decimals = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    mean = _print(sum(values, Fraction(0)) / n, mean_decimals, mode)
    sd = _print(_sample_sd(values), sd_decimals, mode)
    binary = [Fraction(int(k % 2)) for k in ks]
    binary_mean = _print(sum(binary, Fraction(0)) / n, max(mean_decimals, 2), mode)
    binary_sd = _print(_sample_sd(binary), max(sd_decimals, 2), mode)
    rounding = {ROUND_HALF_UP: "half_up", ROUND_HALF_EVEN: "half_even"}[mode]
    return dict(mean=mean, sd=sd, n=n, step=step, scale_min=scale_min,
                scale_max=scale_min + top * step, rounding=rounding,
                binary=(binary_mean, binary_sd))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genuine_grid_samples())
def test_genuine_data_on_any_grid_never_flagged(case):
    kwargs = dict(rounding=case["rounding"], scale_min=case["scale_min"],
                  scale_max=case["scale_max"])
    for rounding in (case["rounding"], "either"):
        kwargs["rounding"] = rounding
        grim = cc.grim(case["mean"], case["n"], case["step"], **kwargs)
        assert grim["consistency"].item() != F, (case, grim.to_dict("records"))
        grimmer = cc.grimmer(case["mean"], case["sd"], case["n"], case["step"], **kwargs)
        assert grimmer["consistency"].item() != F, (case, grimmer.to_dict("records"))
        unbounded = cc.grimmer(case["mean"], case["sd"], case["n"], case["step"],
                               rounding=rounding, scale_min=case["scale_min"])
        assert unbounded["consistency"].item() != F, (case, unbounded.to_dict("records"))
        debit = cc.debit(*case["binary"], case["n"], rounding=rounding)
        assert debit["consistency"].item() != F, (case, debit.to_dict("records"))


def _sums_of_squares(n: int, top: int, total: int) -> set[int]:
    """Every sum of squares of n integers in [0, top] adding to total: bitsets (bit Q set) per
    (count, sum), values added in increasing order."""
    reach = {(0, 0): 1}
    for y in range(top + 1):
        for count in range(1, n + 1):  # ascending: any number of copies of y
            for s in range(y, total + 1):
                bits = reach.get((count - 1, s - y))
                if bits:
                    reach[(count, s)] = reach.get((count, s), 0) | (bits << (y * y))
    bits = reach.get((n, total), 0)
    return {q for q in range(bits.bit_length()) if bits >> q & 1}


@pytest.mark.parametrize(("n", "top", "total"), [
    (30, 24, 23), (30, 24, 50), (30, 24, 30 * 24 - 41),  # few units: gaps far from both ends
    (12, 9, 55), (20, 12, 37), (9, 50, 120), (40, 5, 150), (7, 16, 60),
])
def test_exact_check_matches_a_direct_programme(n, top, total):
    """Every single sum of squares between the least and the greatest, at n beyond the brute
    force: the exact check (on grid units) agrees with a direct programme over (count, sum)."""
    achievable = _sums_of_squares(n, top, min(total, n * top - total))
    if total > n * top - total:  # the programme ran on the reflection y -> top - y
        achievable = {q + 2 * top * total - n * top * top for q in achievable}
    least, greatest = min(achievable), max(achievable)
    window = np.arange(least, greatest + 1, 2)
    found = cc._exact_window(np.full(window.size, n), np.full(window.size, top),
                             np.full(window.size, total), window, window)
    assert (found >= 0).all()
    assert [q for q, f in zip(window, found) if bool(f) != (q in achievable)] == []
    assert len(achievable) < window.size  # there are gaps to find


def test_method_says_which_check_decided():
    # 100 grid steps (a 0-100 integer scale) is beyond the exact check: bounds, and said so
    table = cc.grimmer("50.0", "10.0", 30, 1, scale_min=0, scale_max=100)
    assert table["method"].item() == "bounds"
    assert f"more than {cc.EXACT_MAX_TOP} steps" in table["reason"].item()
    # DEBIT: 0/1 data, where the bounds are exact
    assert cc.debit("0.40", "0.49", 50)["method"].item() == "exact"
    assert cc.infer_n("3.00", "1.58", n_range=(4, 6), scale_min=1, scale_max=5)[
        "method"].item() == "exact"
    assert cc.infer_n("3.00", "1.58", n_range=(4, 6))["method"].item() == "bounds"
