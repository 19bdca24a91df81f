"""Issue 22, item 5: a ``not_reproducible`` p or effect size names the models tried and the r at
which any of them reaches the printed value; an effect size's "nearest" is the nearest over the
whole range of r, with that r.

Expected values are hand calculations written here (closed forms solved in the test), never the
code under test; a property test checks that an effect size computed by the SD-of-change
definition at some r is never reported out of reach at that r.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from helpers.methods import effects
from helpers.reanalysis import chapter, trial

DATA = "data/published"
PLAUSIBLE = (0.16, 0.74)


@pytest.fixture(scope="module")
def chapters():
    study = trial.load(DATA)
    return {name: chapter.analyse(name, study, DATA, plausible_r=PLAUSIBLE)
            for name in ("BM22", "FA13")}


def _row(found, scale, contrast):
    table = found.comparison
    return table[(table["scale"] == scale) & (table["contrast"] == contrast)].iloc[0]


def _ledger(found, scale, contrast, quantity):
    rows = found.p_rows
    claim = f"effects:{found.instrument}/{scale}/{contrast}:{quantity}"
    return rows[(rows["claim_id"] == claim) & (rows["check"] != "p implied by effect size "
                                                                "(statcheck)")].iloc[0]


def test_psychosocial_three_months_nearest_is_over_the_whole_range_of_r(chapters):
    # Table 2, psychosocial aspects, baseline to 3 months. Arm A 69.26 (17.0) -> 45.56 (19.71),
    # n 25 at 3 months; arm B 57.59 (19.87) -> 54.55 (20.9), n 23. Printed effect size -0.79.
    # Change difference (-23.70) - (-3.04) = -20.66. The SD of change that gives -0.79 is
    # 20.66 / 0.79 = 26.152, its square 683.92. The pooled variance of change is linear in r:
    # [24 (17.0^2 + 19.71^2 - 2 r 17.0 19.71) + 22 (19.87^2 + 20.9^2 - 2 r 19.87 20.9)] / 46,
    # so r = [24 * 677.4841 + 22 * 831.6269 - 46 * 683.92] / [2 (24 * 335.07 + 22 * 415.283)]
    #      = 3095.1 / 34355.8 = 0.090 (issue 22: "-0.79 is reached at r ~ 0.09").
    change = (45.56 - 69.26) - (54.55 - 57.59)
    target = (change / -0.79) ** 2
    numerator = 24 * (17.0**2 + 19.71**2) + 22 * (19.87**2 + 20.9**2) - 46 * target
    r_hand = numerator / (2 * (24 * 17.0 * 19.71 + 22 * 19.87 * 20.9))
    assert r_hand == pytest.approx(0.090, abs=0.001)
    row = _row(chapters["BM22"], "psychosocial_aspects", "t0-t2")
    assert row["es_verdict"] == "not_reproducible"  # 0.09 is below the plausible 0.16
    assert row["es_nearest_r"] == pytest.approx(r_hand, abs=0.006)  # a 0.01 grid
    assert row["es_nearest"] == "change difference / SD of change: -0.79 at r = 0.09"
    assert row["es_r_low"] <= r_hand <= row["es_r_high"] < PLAUSIBLE[0]
    ledger = _ledger(chapters["BM22"], "psychosocial_aspects", "t0-t2", "effect_size")
    assert ledger["assumption"].startswith("definitions tried: ")
    for definition in ("Hedges' g at follow-up", "Morris's d_ppc2",
                       "SD of change (any r in [-1, 1])", "Glass's delta"):
        assert definition in ledger["assumption"]
    assert ledger["assumption"].endswith("only an implausible r reaches it (plausible 0.16 to "
                                         "0.74)")
    assert "at r = 0.09" in ledger["note"] and "-1.02" not in ledger["note"]


def _welch_change_p(r):
    # Table 4, physical fatigue, baseline to 3 months: arm A 57.22 (29.0) -> 49.0 (24.92), n 25;
    # arm B 58.06 (29.1) -> 56.44 (30.53), n 22. Welch's t-test of the change scores, the SD
    # of change sqrt(sd0^2 + sd1^2 - 2 r sd0 sd1).
    var_a = 29.0**2 + 24.92**2 - 2 * r * 29.0 * 24.92
    var_b = 29.1**2 + 30.53**2 - 2 * r * 29.1 * 30.53
    a, b = var_a / 25, var_b / 22
    t = ((49.0 - 57.22) - (56.44 - 58.06)) / math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / 24 + b**2 / 21)
    return 2 * stats.t.sf(abs(t), df)


def test_physical_fatigue_three_months_p_names_its_models_and_r(chapters):
    # The p falls as r rises; bisect for the r at which it is 0.637 at the printed values.
    low, high = -1.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _welch_change_p(middle) > 0.637 else (low, middle)
    r_hand = (low + high) / 2
    assert r_hand < 0 < PLAUSIBLE[0]  # an implausible, negative correlation
    row = _ledger(chapters["FA13"], "physical_fatigue", "t0-t2", "p")
    assert row["verdict"] == "not_reproducible"
    for model in ("Welch's and Student's t-tests at follow-up", "Welch's t-test of change at any "
                  "r in [-1, 1]", "ANCOVA from summary data at r from -0.99 to 0.99"):
        assert model in row["assumption"]
    assert "only an implausible r reaches it (plausible 0.16 to 0.74)" in row["assumption"]
    assert row["note"].startswith("reached only at an implausible r: Welch's t-test of change at "
                                  "r from ")
    words = row["note"].split("r from ")[1].split(" (")[0]
    r_low, r_high = (float(v) for v in words.split(" to "))
    assert r_low - 0.005 <= r_hand <= r_high + 0.005  # the interval over the rounding holds it


def test_four_of_nine_unreached_p_values_are_reached_at_an_implausible_r(chapters):
    # Issue 22: "4 of the 9 [p-values reached by no model] are reached at an r the book calls
    # implausible": FA13 physical fatigue at 3 months, emotional fatigue, cognitive fatigue and
    # interference at 6 months; the 3 of BM22 and 2 other of FA13 by no r.
    rows = pd.concat([found.p_rows for found in chapters.values()])
    unreached = rows[(rows["check"] == "p from summary data")
                     & (rows["verdict"] == "not_reproducible")]
    assert len(unreached) == 9
    implausible = unreached[unreached["assumption"].str.contains("only an implausible r")]
    assert sorted(implausible["claim_id"]) == sorted([
        "effects:FA13/physical_fatigue/t0-t2:p", "effects:FA13/emotional_fatigue/t0-t3:p",
        "effects:FA13/cognitive_fatigue/t0-t3:p", "effects:FA13/interference_daily_life/t0-t3:p"])
    others = unreached.drop(implausible.index)
    assert others["assumption"].str.contains("none reaches it at any r").all()
    assert others["note"].str.startswith("no model reaches it").all()
    assert chapters["FA13"].glue_values()["n_implausible_r"] == 4


# --- no false alarm: an effect size made by the SD-of-change definition at r is reached there ---

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sds=st.lists(st.floats(5, 30), min_size=4, max_size=4),
       means=st.lists(st.floats(20, 80), min_size=4, max_size=4),
       n=st.tuples(st.integers(10, 40), st.integers(10, 40)),
       r_step=st.integers(-90, 90))
def test_an_effect_size_of_change_is_reached_at_its_own_r(sds, means, n, r_step):
    r0 = r_step / 100
    sd0_a, sd1_a, sd0_b, sd1_b = sds
    m0_a, m1_a, m0_b, m1_b = means
    frame = pd.DataFrame([dict(instrument="Q", scale="s", contrast="t0-t1", timepoint="t1",
                               m0_a=m0_a, sd0_a=sd0_a, n0_a=n[0], m1_a=m1_a, sd1_a=sd1_a,
                               n1_a=n[0], m0_b=m0_b, sd0_b=sd0_b, n0_b=n[1], m1_b=m1_b,
                               sd1_b=sd1_b, n1_b=n[1])])
    # by hand: the change difference over the pooled SD of change at r0 (follow-up n)
    var = ((n[0] - 1) * (sd0_a**2 + sd1_a**2 - 2 * r0 * sd0_a * sd1_a)
           + (n[1] - 1) * (sd0_b**2 + sd1_b**2 - 2 * r0 * sd0_b * sd1_b)) / (n[0] + n[1] - 2)
    value = ((m1_a - m0_a) - (m1_b - m0_b)) / math.sqrt(var)
    printed = f"{value:.2f}"
    published = pd.DataFrame({"p": [0.5], "p_printed": ["0.500"], "p_decimals": [3],
                              "effect_size": [float(printed)], "effect_size_printed": [printed],
                              "effect_size_decimals": [2]})
    out = effects.reanalyse(frame, published, plausible_r=PLAUSIBLE).iloc[0]
    if PLAUSIBLE[0] <= r0 <= PLAUSIBLE[1]:
        assert out["es_verdict"] != "not_reproducible"
    if out["es_verdict"] == "not_reproducible":
        assert out["es_r_low"] - 1e-9 <= r0 <= out["es_r_high"] + 1e-9
        assert "only an implausible r reaches it" in out["es_models"]
    assert abs(float(out["es_nearest"].split(": ")[1].split(" ")[0]) - float(printed)) <= 0.01
