"""The item counts of a module's scales, jointly (issue 22, item 3): when a module's scales do not
share items, their item counts add up to at most the module's size.

Expected values come from hand calculations written here (and from a GRIM written here with
fractions, independent of :mod:`helpers.methods.consistency`), never from the code under test;
a property test checks that genuine data (disjoint scales of a module, complete answers) never
raise a false alarm.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.methods import consistency as cc
from helpers.methods.ledger import PROOF_FAMILIES
from helpers.reanalysis import data, instruments, table_checks, trial

DATA = "data/published"


# --- the pure function, against hand calculations ------------------------------------------

def test_hand_worked_module_of_thirteen():
    # Scales a: {4, 8, 12}, b: {4, 8, 12}, c: {3, 6, 9, 12}, d: 6..13, e: 4..13; module of 13.
    # Least counts 4 + 4 + 3 + 6 + 4 = 21 > 13: no split fits. The others of d need
    # 4 + 4 + 3 + 4 = 15, of c 4 + 4 + 6 + 4 = 18.
    joint = cc.module_item_counts({"a": {4, 8, 12}, "b": {4, 8, 12}, "c": {3, 6, 9, 12},
                                   "d": range(6, 14), "e": range(4, 14)}, 13)
    assert joint["minimum"] == 21
    assert joint["feasible"] is False
    assert joint["others_need"] == {"a": 17, "b": 17, "c": 18, "d": 15, "e": 17}
    assert all(allowed == [] for allowed in joint["allowed"].values())


def test_hand_worked_narrowing():
    # a: {4, 8, 12}, b: {4, 8, 12}, c: {3, 6, 9, 12}, d: 1..13, e: 1..13; module of 13.
    # Least 4 + 4 + 3 + 1 + 1 = 13 = the module: exactly one split, each scale at its least.
    # a may have k only if k + (4 + 3 + 1 + 1) <= 13, i.e. k <= 4: {4}; c: k <= 13 - 10 = 3: {3};
    # d: k <= 13 - 12 = 1: {1}.
    joint = cc.module_item_counts({"a": {4, 8, 12}, "b": {4, 8, 12}, "c": {3, 6, 9, 12},
                                   "d": range(1, 14), "e": range(1, 14)}, 13)
    assert joint["feasible"] and joint["minimum"] == 13
    assert joint["allowed"] == {"a": [4], "b": [4], "c": [3], "d": [1], "e": [1]}
    # A module of 16 leaves 3 more items: a: k <= 16 - 9 = 7 -> {4}; d: k <= 16 - 12 = 4 -> 1-4.
    joint = cc.module_item_counts({"a": {4, 8, 12}, "b": {4, 8, 12}, "c": {3, 6, 9, 12},
                                   "d": range(1, 14), "e": range(1, 14)}, 16)
    assert joint["allowed"]["a"] == [4] and joint["allowed"]["c"] == [3, 6]
    assert joint["allowed"]["d"] == [1, 2, 3, 4]


def test_a_scale_without_any_count_makes_nothing_possible():
    joint = cc.module_item_counts({"a": set(), "b": {1}}, 13)
    assert joint["minimum"] is None and joint["feasible"] is False
    assert joint["allowed"] == {"a": [], "b": []}


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_module_size_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="module_size"):
        cc.module_item_counts({"a": {1}}, bad)


def test_the_joint_check_is_a_proof_family():
    assert "GRIM jointly over a module's scales" in PROOF_FAMILIES
    assert table_checks.MODULE_CHECK in PROOF_FAMILIES


# --- genuine data never raise a false alarm (property) --------------------------------------

def _printed(value: Fraction, decimals: int = 2) -> str:
    scaled = value * 10 ** decimals  # half up, by hand
    whole = math.floor(scaled + Fraction(1, 2))
    return f"{whole // 10 ** decimals}.{whole % 10 ** decimals:0{decimals}d}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(3, 13), scales=st.integers(1, 4), seed=st.integers(0, 2 ** 32 - 1),
       columns=st.integers(1, 4))
def test_no_false_alarm_on_disjoint_scales(size, scales, seed, columns):
    rng = random.Random(seed)
    scales = min(scales, size)
    # a true split of the module's items among disjoint scales (each at least one item)
    cuts = sorted(rng.sample(range(1, size), scales - 1)) if scales > 1 else []
    bounds = [0, *cuts, rng.randint(cuts[-1] + 1 if cuts else 1, size)]
    truth = {f"s{i}": bounds[i + 1] - bounds[i] for i in range(scales)}
    assert sum(truth.values()) <= size
    possible = {}
    for scale, k in truth.items():
        counts = set(range(1, size + 1))
        for _ in range(columns):
            n = rng.randint(5, 30)
            # EORTC symptom score of k complete answers 1-4: (mean - 1) / 3 * 100
            scores = [Fraction(sum(rng.randint(1, 4) for _ in range(k)) - k, 3 * k) * 100
                      for _ in range(n)]
            mean = _printed(sum(scores) / n)
            verdicts = [cc.grim(mean, n, cc.eortc_step(j), rounding="half_up", scale_min=0,
                                scale_max=100)["consistency"].iloc[0]
                        for j in range(1, size + 1)]
            counts &= {j for j, v in zip(range(1, size + 1), verdicts) if v != cc.INCONSISTENT}
        possible[scale] = counts
    joint = cc.module_item_counts(possible, size)
    assert joint["feasible"], (truth, possible)
    for scale, k in truth.items():
        assert k in joint["allowed"][scale], (scale, k, joint)


# --- the published trial, against a GRIM written here ---------------------------------------

def _grim_by_hand(printed: str, n: int, k: int, metric: str) -> bool:
    """Is the printed mean of n patients possible with k complete items scored 1-4? Each
    patient's item sum s lies in [k, 4k]; the sum over patients S in [nk, 4nk]. On 0-100 the
    mean is (S/(nk) - 1)/3 * 100; as an item mean it is S/(nk). Rounding either way: within
    half a unit of the last printed digit, ends included."""
    value = Fraction(printed)
    half = Fraction(1, 2 * 10 ** len(printed.split(".")[1]))
    for total in range(n * k, 4 * n * k + 1):
        mean = Fraction(total, n * k)
        if metric.startswith("eortc"):
            mean = (mean - 1) / 3 * 100
        if abs(mean - value) <= half:
            return True
    return False


@pytest.fixture(scope="module")
def published():
    study = trial.load(DATA)
    outcomes = data.load_outcomes(DATA)
    scales = [scale.name for scale in instruments.FA13.scales]
    sweep = table_checks.item_count_sweep(outcomes, scales, study, (1, 13))
    return study, outcomes, sweep


def test_published_least_counts_by_hand(published):
    study, outcomes, sweep = published
    fa13 = outcomes[outcomes["instrument"] == "FA13"]
    fa13 = fa13.assign(mean_printed=table_checks.value_in_force(fa13, "mean"))  # corrections
    alone = {}
    for scale, cells in fa13.groupby("scale", sort=False):
        metric = study.metric_of(scale, "FA13")
        counts = None
        for _, cell in cells.iterrows():
            ks = {k for k in range(1, 14)
                  if _grim_by_hand(cell["mean_printed"], int(cell["n"]), k, metric)}
            if ks:  # a mean impossible with every count is left out
                counts = ks if counts is None else counts & ks
        alone[scale] = counts
    # by hand: least counts 4 + 4 + 3 + 6 + 4 = 21 items of 13
    least = {scale: min(ks) for scale, ks in alone.items()}
    assert sum(least.values()) == 21
    joint = table_checks.module_item_counts(sweep, study).set_index("scale")
    for scale, ks in alone.items():
        assert joint.loc[scale, "alone"] == cc.compact_ranges(ks)
        assert joint.loc[scale, "jointly"] == ""  # 21 > 13: none fits beside the others
        assert joint.loc[scale, "others_need"] == 21 - least[scale]
    # interference: 6-13 alone, none beside the others (who need 4 + 4 + 3 + 4 = 15 of 13)
    assert joint.loc["interference_daily_life", "alone"] == "6-13"
    assert joint.loc["interference_daily_life", "others_need"] == 15
    # without arm B at 6 months every other mean fits with 4 + 4 + 3 + 1 + 1 = 13 items
    assert set(joint["without"]) == {"*/B/t3"}  # no single mean: the whole column
    assert joint["jointly_without"].tolist() == ["4", "4", "3", "1", "1"]


def test_published_ledger_rows(published):
    study, _, sweep = published
    rows = table_checks.module_ledger_rows(sweep, study, allow_missing=False)
    failing = rows[rows["verdict"] == "inconsistent"]
    assert set(failing["check"]) == {"GRIM jointly over a module's scales"}
    # the module's row and one row per scale; the column of arm B at 6 months has means that
    # are impossible on their own with complete items, so it has no joint row
    assert failing["claim_id"].tolist() == [
        "outcomes:FA13/*/*/*:mean", *(f"outcomes:FA13/{s.name}/*/*:mean"
                                      for s in instruments.FA13.scales)]
    assert "outcomes:FA13/*/B/t3:mean" not in set(rows["claim_id"])
    assert (failing["possible_if"].str.contains("share items")).all()
    assert (failing["assumption"].str.contains("do not share items")).all()
    assert set(failing["problem"]) == {"outcomes:FA13/*/B/t3"}
    module = failing.iloc[0]
    assert module["recomputed"].startswith("at least 21 items")


def test_published_arm_b_six_months_with_missing_items(published):
    study, outcomes, _ = published
    scales = [scale.name for scale in instruments.FA13.scales]
    sweep = table_checks.item_count_sweep(outcomes, scales, study, (1, 13), allow_missing=True)
    rows = table_checks.module_ledger_rows(sweep, study, allow_missing=True).set_index("claim_id")
    column = rows.loc["outcomes:FA13/*/B/t3:mean"]
    # the 5 + 5 + 7 for the three fatigue scales, and 3 + 3 for the item-metric ones
    assert column["verdict"] == "inconsistent"
    assert column["recomputed"].startswith("at least 23 items (physical fatigue 5, emotional "
                                           "fatigue 5, cognitive fatigue 7")
    assert rows.loc["outcomes:FA13/*/A/t0:mean", "verdict"] == "consistent"


def test_a_planted_n_is_the_one_problem_of_the_simulated_module():
    # data/examples/simulated draws the QLQ-FA13 with disjoint scales of 5 + 3 + 2 + 2 + 1 = 13
    # items and plants one error in it (planted.csv): cognitive fatigue, arm B at 6 months,
    # printed with n = 30 where 26 were alive. With complete items that scale's means need
    # different counts, so it takes part with at least one item and condemns nothing; with
    # missing items allowed its planted mean needs 7 or more items, and leaving that one mean
    # out lets the others fit: the joint rows are that cell's problem, and no other.
    folder = "data/examples/simulated"
    study, outcomes = trial.load(folder), data.load_outcomes(folder)
    scales = [scale.name for scale in instruments.FA13.scales]
    planted = pd.read_csv(f"{folder}/planted.csv")
    cell = planted.loc[planted["kind"] == "n_exceeds_alive", "row_key"].item()
    for allow_missing, expected in ((False, set()), (True, {f"outcomes:{cell}"})):
        sweep = table_checks.item_count_sweep(outcomes, scales, study, (1, 13),
                                              allow_missing=allow_missing)
        rows = table_checks.module_ledger_rows(sweep, study, allow_missing=allow_missing)
        failing = rows[rows["verdict"] == "inconsistent"]
        assert set(failing["problem"]) == expected
