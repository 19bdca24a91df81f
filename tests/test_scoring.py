"""helpers.reanalysis.instruments and helpers.methods.scoring: scores computed by hand, the
half-items rule, reversed items, invalid responses, granularity, and the convention the paper
used."""

from fractions import Fraction

import numpy as np
import pytest

from helpers.methods import scoring
from helpers.reanalysis import data, instruments, table_checks, trial
from conftest import PUBLISHED

BM22, FA13, QSCR10 = instruments.BM22, instruments.FA13, instruments.QSCR10


def test_bm22_structure_matches_chow_2009():
    sizes = {s.name: s.n_items for s in BM22.scales}
    assert sizes == {"painful_sites": 5, "pain_characteristics": 3,
                     "functional_interference": 8, "psychosocial_aspects": 6}
    assert sum(sizes.values()) == BM22.n_items == 22
    kinds = {s.name: s.kind for s in BM22.scales}
    assert kinds["painful_sites"] == kinds["pain_characteristics"] == "symptom"
    assert kinds["functional_interference"] == kinds["psychosocial_aspects"] == "functional"


def test_unknown_facts_are_candidates_not_values():
    for scale in FA13.scales:
        assert scale.items is None and scale.n_items is None
        assert scale.candidates["n_items"] == list(range(1, 9))
    assert BM22.scale("psychosocial_aspects").candidates["reversed_items"] == [(), (21, 22)]


def test_symptom_score_by_hand():
    # painful sites, 5 items answered 1, 2, 2, 3, 4: RS = 12/5 = 2.4; (2.4 - 1)/3 * 100 = 46.667
    value = scoring.score_scale([[1, 2, 2, 3, 4]], BM22, "painful_sites")[0]
    assert value == pytest.approx(140 / 3)


def test_functional_score_by_hand():
    # functional interference, 8 items all 2: RS = 2; 100 - (2 - 1)/3 * 100 = 66.667
    value = scoring.score_scale([[2] * 8], BM22, "functional_interference")[0]
    assert value == pytest.approx(200 / 3)


def test_reversed_items_by_hand():
    # psychosocial 3, 4, 3, 4, 1, 1; reversing items 21 and 22 makes them 4, 4:
    # RS = 22/6; symptom (22/6 - 1)/3 * 100 = 88.889; without reversal RS = 16/6 -> 55.556
    responses = [[3, 4, 3, 4, 1, 1]]
    reversed_ = scoring.score_scale(responses, BM22, "psychosocial_aspects", kind="symptom",
                                    reversed_items=(21, 22))[0]
    plain = scoring.score_scale(responses, BM22, "psychosocial_aspects", kind="symptom",
                                reversed_items=())[0]
    assert reversed_ == pytest.approx(800 / 9)
    assert plain == pytest.approx(500 / 9)


def test_fa13_symptom_score_by_hand():
    # a 3-item fatigue scale answered 4, 4, 3: RS = 11/3; (11/3 - 1)/3 * 100 = 88.889
    value = scoring.score([[4, 4, 3]], "symptom", FA13.response_min, FA13.response_max)[0]
    assert value == pytest.approx(800 / 9)


def test_qscr10_sum_by_hand():
    assert scoring.score_scale([[1, 2, 0, 3, 1, 2, 2, 1, 0, 3]], QSCR10, "distress")[0] == 15
    assert scoring.score_scale([[5] * 10], QSCR10, "distress")[0] == 50


@pytest.mark.parametrize(("responses", "expected"), [
    ([1, 2, None, None, None, None], np.nan),  # 2 of 6 answered: fewer than half, no score
    ([1, 2, 3, None, None, None], 100 / 3),  # 3 of 6: exactly half, scored on the 3 answered
    ([4, None, None, None, None, None], np.nan),
    ([None] * 6, np.nan),
])
def test_half_items_rule(responses, expected):
    value = scoring.score_scale([responses], BM22, "psychosocial_aspects", kind="symptom")[0]
    if np.isnan(expected):
        assert np.isnan(value)
    else:
        assert value == pytest.approx(expected)  # RS = 2 -> (2 - 1)/3 * 100


def test_half_rule_odd_item_count():
    # 5 items: half is 2.5, so 3 must be answered
    assert np.isnan(scoring.score_scale([[1, 2, None, None, None]], BM22, "painful_sites")[0])
    assert not np.isnan(scoring.score_scale([[1, 2, 3, None, None]], BM22, "painful_sites")[0])


def test_sum_needs_every_item_unless_prorated():
    responses = [[1, 2, 0, 3, 1, 2, 2, 1, 0, None]]
    assert np.isnan(scoring.score_scale(responses, QSCR10, "distress")[0])
    # prorated: mean of the 9 answered (12/9) times 10
    assert scoring.score_scale(responses, QSCR10, "distress", prorate_sum=True)[0] == \
        pytest.approx(120 / 9)


@pytest.mark.parametrize(("responses", "message"), [
    ([[1, 2, 5, 1, 1, 1]], "patient 1, item 3: response 5 is not an integer from 1 to 4"),
    ([[1, 2, 2.5, 1, 1, 1]], "patient 1, item 3: response 2.5 is not an integer"),
    ([[1, 2, 3, 1, 1, 1], [0, 1, 1, 1, 1, 1]], "patient 2, item 1: response 0"),
    ([["a", 1, 1, 1, 1, 1]], "every response must be a number"),
])
def test_invalid_responses(responses, message):
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.score_scale(responses, BM22, "psychosocial_aspects")


def test_wrong_number_of_items():
    with pytest.raises(scoring.ScoringError, match="expected 6 item"):
        scoring.validate_responses([[1, 2, 3]], 6, 1, 4)


def test_unknown_kind_and_reversed_item():
    with pytest.raises(scoring.ScoringError, match="unknown scale kind"):
        scoring.score([[1, 2]], "both", 1, 4)
    with pytest.raises(scoring.ScoringError, match=r"item\(s\) \[9\] are not in scale"):
        scoring.score_scale([[1] * 6], BM22, "psychosocial_aspects", reversed_items=(9,))


def test_granularity_by_hand():
    assert scoring.granularity("symptom", 3, 1, 4)["step"] == Fraction(100, 9)
    # 6 items, at least 3 answered: lcm(3, 4, 5, 6) = 60 -> 100/(3 * 60) = 5/9
    assert scoring.granularity("functional", 6, 1, 4, allow_missing=True)["step"] == Fraction(5, 9)
    assert scoring.granularity("sum", 10, 0, 5)["step"] == 1
    assert scoring.raw_mean_granularity(2, 1, 4, allow_missing=True)["step"] == Fraction(1, 2)


def test_scale_from_item_means_by_hand():
    # Table 3, arm A baseline: 1.5 3.4 3.2 3.5 3.6 3.2 -> mean 18.4/6 = 3.0667 -> 68.89 (symptom)
    value = scoring.scale_from_item_means([1.5, 3.4, 3.2, 3.5, 3.6, 3.2], "symptom", 1, 4)
    assert value == pytest.approx((18.4 / 6 - 1) / 3 * 100)


def test_paper_used_symptom_formula_without_reversal():
    table = scoring.conventions_table(data.load_items(PUBLISHED), data.load_outcomes(PUBLISHED),
                                      BM22, "psychosocial_aspects")
    reproduced = table.groupby(["kind", "reversed"])["reproduced"].all()
    assert reproduced[("symptom", "none")]
    assert not reproduced.drop(("symptom", "none")).any()
    assert table.attrs["tolerance"] == pytest.approx(0.05 / 3 * 100)


def test_two_fa13_scales_on_the_item_metric():
    rows = table_checks.metric_rows(data.load_outcomes(PUBLISHED), data.load_claims(PUBLISHED),
                                    trial.load(PUBLISHED))
    off = rows[rows["verdict"] == "inconsistent"]["quantity"].str.split().str[1].str.rstrip(":").tolist()
    assert off == ["interference_daily_life", "social_sequelae"]
