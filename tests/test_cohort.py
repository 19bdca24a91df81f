"""helpers.reanalysis.cohort, helpers.reanalysis.table_checks and helpers.methods.balance on the
paper's numbers.

Expected values are hand calculations written here, or R (tests/reference/power.R: pwr 1.3-0,
stats::fisher.test, Student's t from summary statistics)."""

import statistics
from fractions import Fraction

import pandas as pd
import pytest

from helpers.methods import balance
from helpers.reanalysis import baseline_balance, cohort, data, table_checks, trial
from conftest import PUBLISHED

STUDY = trial.load(PUBLISHED)


@pytest.fixture(scope="module")
def paper():
    return dict(claims=data.load_claims(PUBLISHED), baseline=data.load_baseline(PUBLISHED),
                outcomes=data.load_outcomes(PUBLISHED), items=data.load_items(PUBLISHED))


def test_flow_by_hand(paper):
    flow = cohort.participant_flow(paper["claims"], paper["baseline"], paper["outcomes"], STUDY)
    n = flow.set_index(["stage", "arm"])["n"]
    assert n[("randomised", "")] == 80 - 15 - 5
    assert (n[("alive at 3 months", "A")], n[("alive at 6 months", "A")]) == (30 - 5, 30 - 5 - 7)
    assert (n[("alive at 3 months", "B")], n[("alive at 6 months", "B")]) == (30 - 8, 30 - 8 - 4)


def test_only_the_psychosocial_n_of_arm_b_at_3_months_disagrees_with_the_flow(paper):
    rows = cohort.flow_checks(paper["claims"], paper["baseline"], paper["outcomes"], STUDY)
    bad = rows[(rows["check"] == "n against participant flow") & (rows["verdict"] != "reproduced")]
    assert bad["claim_id"].tolist() == ["outcomes:BM22/psychosocial_aspects/B/t2:n"]
    assert bad["recomputed"].item() == "22"


def test_mortality_fisher_matches_r(paper):
    rows = cohort.flow_checks(paper["claims"], paper["baseline"], paper["outcomes"], STUDY,
                              statements=data.load_statements(PUBLISHED))
    row = rows.set_index("claim_id").loc["results:mortality_did_not_differ"]
    assert "Fisher p = 1.000" in row["recomputed"]  # R: fisher.test -> 1


def test_total_dose_range_is_impossible(paper):
    """10 x 3 = 30, 14 x 2.5 = 35, 20 x 2 = 40 Gy: the range is 30-40, not 20-35."""
    rows = cohort.radiotherapy_checks(paper["claims"], paper["baseline"], STUDY).set_index(
        "claim_id")
    by_name = {name: cohort.claim(paper["claims"], name)["claim_id"] for name in
               ("total_dose_gy_min", "total_dose_gy_max", "median_total_dose_gy",
                "median_fraction_dose_gy")}
    assert rows.loc[by_name["total_dose_gy_min"], ["recomputed", "verdict"]].tolist() == \
        ["30", "inconsistent"]
    assert rows.loc[by_name["total_dose_gy_max"], ["recomputed", "verdict"]].tolist() == \
        ["40", "inconsistent"]
    assert rows.loc[by_name["median_total_dose_gy"], "verdict"] == "reproduced"
    assert rows.loc[by_name["median_fraction_dose_gy"], "verdict"] == "reproduced"


def test_sample_size_matches_r_pwr(paper):
    """R pwr.t.test: power 0.8614225160 at n = 30, d = 0.8; n = 25.5245816156 for power 0.8."""
    inputs = cohort.sample_size_inputs(paper["claims"])
    assert inputs["achieved_power"] == pytest.approx(0.8614225160, abs=1e-6)
    assert inputs["needed_n"] == pytest.approx(25.5245816156, abs=1e-4)


def test_misquoted_p_value(paper):
    tables = {"outcomes": paper["outcomes"], "effects": data.load_effects(PUBLISHED),
              "items": paper["items"], "item_tests": data.load_item_tests(PUBLISHED),
              "baseline": paper["baseline"]}
    rows = cohort.restated_checks(paper["claims"], tables, PUBLISHED)
    bad = rows[rows["verdict"] != "reproduced"]
    assert bad[["published", "recomputed"]].values.tolist() == [["0.048", "0.015"]]


def test_psychosocial_mean_possible_with_22_not_23(paper):
    """54.55 on a 6-item EORTC scale (step 100/18 = 50/9). n = 23: 54.55*23*9/50 = 225.86; sums
    225 and 226 give 54.348 and 54.589, neither 54.55. n = 22: 216 * 50 / (9 * 22) = 54.5454..."""
    table = table_checks.outcome_consistency(paper["outcomes"], STUDY)
    cell = table.query("scale == 'psychosocial_aspects' and arm == 'B' and timepoint == 't2'")
    assert cell["grim"].item() == "inconsistent"
    assert "22" in cell["consistent_n_mean"].item().split(", ")
    assert Fraction(216 * 50, 9 * 22) == Fraction(6000, 110)


def test_distress_mean_b_6_months_impossible_with_18(paper):
    """24.95 * 18 = 449.1: sums 449 and 450 give 24.944 and 25.000."""
    table = table_checks.outcome_consistency(paper["outcomes"], STUDY)
    cell = table.query("scale == 'distress' and arm == 'B' and timepoint == 't3'")
    assert cell["grim"].item() == "inconsistent"
    assert round(449 / 18, 2) == 24.94 and 450 / 18 == 25.0


def test_fa13_scales_unverifiable_without_item_counts(paper):
    table = table_checks.outcome_consistency(paper["outcomes"], STUDY)
    fa13 = table[table["instrument"] == "FA13"]
    assert (fa13["grim"] == "unverifiable").all()
    with_counts = table_checks.outcome_consistency(paper["outcomes"], STUDY,
                                                   {"physical_fatigue": 4})
    assert (with_counts.query("scale == 'physical_fatigue'")["grim"] != "unverifiable").all()


def test_table_1_percentages(paper):
    rows = table_checks.baseline_ledger_rows(paper["baseline"], paper["claims"], STUDY)
    bad = rows[(rows["check"] == "percentage") & (rows["verdict"] == "inconsistent")]
    # by hand: 12/30 = 40.0 (9.2), 8/30 = 26.7 (26.6), 6/30 = 20.0 (20.1), 9/30 = 30.0 (30.1),
    # 6/30 = 20.0 (20.1), 4/30 = 13.3 (13.4)
    assert sorted(bad["published"]) == sorted(["9.2", "26.6", "20.1", "30.1", "20.1", "13.4"])


def test_metastases_minimum_and_mean(paper):
    rows = table_checks.baseline_ledger_rows(paper["baseline"], paper["claims"], STUDY).set_index(
        ["claim_id", "check"])
    assert rows.loc[("baseline:number_of_metastases//A:min", "minimum from counts"),
                    "verdict"] == "inconsistent"
    assert rows.loc[("baseline:number_of_metastases//A:mean", "mean within range"),
                    "verdict"] == "inconsistent"
    assert rows.loc[("baseline:number_of_metastases//B:min", "minimum from counts"),
                    "verdict"] == "reproduced"


def test_smd_and_carlisle_by_hand(paper):
    """Age: (61.3 - 64.1) / sqrt((10.1^2 + 10.9^2) / 2) = -0.26647; R t-test p = 0.3063345234."""
    smd = baseline_balance.standardised_differences(paper["baseline"], STUDY).set_index(
        ["characteristic", "level"])
    assert smd.loc[("age", ""), "smd"] == pytest.approx(-2.8 / ((10.1**2 + 10.9**2) / 2) ** 0.5)
    # male: 14/30 vs 19/30
    pa, pb = 14 / 30, 19 / 30
    assert smd.loc[("gender", "male"), "smd"] == pytest.approx(
        (pa - pb) / ((pa * (1 - pa) + pb * (1 - pb)) / 2) ** 0.5)
    check = baseline_balance.carlisle_check(paper["baseline"], STUDY)
    age = check["table"].set_index("characteristic").loc["age"]
    assert age["p"] == pytest.approx(0.3063345234, abs=1e-9)
    assert age["t"] == pytest.approx(-1.0320469529, abs=1e-9)
    # Both tails of Stouffer's combination, by hand: z_i = Phi^-1(1 - p_i) for "too different",
    # Phi^-1(p_i) for "too similar"; combined p = 1 - Phi(sum z_i / sqrt(k)).
    p = check["table"]["p"].to_numpy()
    norm = statistics.NormalDist()
    different = 1 - norm.cdf(sum(norm.inv_cdf(1 - v) for v in p) / len(p) ** 0.5)
    similar = 1 - norm.cdf(sum(norm.inv_cdf(v) for v in p) / len(p) ** 0.5)
    assert check["p_too_different"] == pytest.approx(different, abs=1e-9)
    assert check["p_too_similar"] == pytest.approx(similar, abs=1e-9)


def test_smd_against_chance_by_hand():
    # 30 per arm: chance SD sqrt(2/30) = 0.2582; 95% of chance SMDs within 1.96 * 0.2582 = 0.506
    table = balance.against_chance(pd.DataFrame({"smd": [0.5, -0.51]}), 30, 30)
    assert table["z"].tolist() == pytest.approx([0.5 / (2 / 30) ** 0.5, -0.51 / (2 / 30) ** 0.5])
    assert table["beyond_chance"].tolist() == [False, True]
