"""Verbal claims graded by declared rules (issue 22, item 4): each word of
``data/claims/verbal.yaml`` against a worked sentence written here.

Every expected number is computed by hand in the comment beside it, from the means and SDs the
test sets or quotes from the paper's tables; none comes from the code under test.
"""

import math

import pandas as pd
import pytest

from helpers.methods import verbal
from helpers.reanalysis import data, ledger, statements, trial

from conftest import PUBLISHED

STUDY = trial.load(PUBLISHED)
NAMES = ("effects", "item_tests", "outcomes", "items", "claims")


@pytest.fixture(scope="module")
def paper():
    return {name: data.load(name, PUBLISHED) for name in NAMES}


def sentence(quote, *assertions, section="results", statement_id="results-s99"):
    """A worked sentence: one row per ``(assertion, refers_to, arm, value)``."""
    return pd.DataFrame([dict(statement_id=statement_id, section=section, quote=quote,
                              reading="", assertion=a, refers_to=r, arm=arm, value=v)
                         for a, r, arm, v in assertions])


def evaluate(rows, tables):
    return statements.evaluate(rows, tables["effects"], tables["item_tests"], tables["outcomes"],
                               tables["items"], tables["claims"], STUDY).iloc[0]


def with_item(tables, item, arm, timepoint, mean, sd, decimals=1):
    """The tables with one cell of the item table set to a worked value."""
    items = tables["items"].copy()
    at = (items["item"] == item) & (items["arm"] == arm) & (items["timepoint"] == timepoint)
    assert at.sum() == 1
    items.loc[at, ["mean", "sd", "mean_decimals"]] = [mean, sd, decimals]
    return {**tables, "items": items}


def with_outcome(tables, instrument, scale, arm, timepoint, mean, sd, decimals=2):
    outcomes = tables["outcomes"].copy()
    at = ((outcomes["instrument"] == instrument) & (outcomes["scale"] == scale)
          & (outcomes["arm"] == arm) & (outcomes["timepoint"] == timepoint))
    assert at.sum() == 1
    outcomes.loc[at, ["mean", "sd", "mean_decimals"]] = [mean, sd, decimals]
    return {**tables, "outcomes": outcomes}


# ---------------------------------------------------------------------------------------------
# The pure rules
# ---------------------------------------------------------------------------------------------

def test_thresholds_by_hand():
    # a tenth of a 1-4 item's range: 0.1 x 3 = 0.3; of 0-100: 10
    assert verbal.threshold({"share_of_range": 0.1}, 1, 4, sd=1.0) == pytest.approx(0.3)
    assert verbal.threshold({"share_of_range": 0.1}, 0, 100, sd=1.0) == pytest.approx(10.0)
    # half of sqrt((1.3^2 + 1.2^2) / 2) = half of sqrt(1.565) = half of 1.25100 = 0.62550
    sd = verbal.root_mean_square(1.3, 1.2)
    assert sd == pytest.approx(1.25100, abs=1e-5)
    assert verbal.threshold({"standardised": 0.5}, 1, 4, sd) == pytest.approx(0.62550, abs=1e-5)
    with pytest.raises(ValueError, match="share_of_range"):
        verbal.threshold({}, 1, 4, 1.0)


def test_rounding_decides_only_beyond_its_reach():
    # two means printed to 1 decimal: each may be off by 0.05, the difference by 0.1
    assert verbal.rounding_slack([1, 1]) == pytest.approx(0.1)
    # 0.1 printed, at most 0.2 true: short of 0.3
    assert verbal.meets(0.1, 0.3, 0.1) is False
    # 0.2 printed, below 0.3 + 0 at most (open interval): still short
    assert verbal.meets(0.2, 0.3, 0.1) is False
    # 0.29 from two means of 2 decimals: below 0.29 + 0.01 = 0.30 (open interval): short
    assert verbal.meets(0.29, 0.3, 0.01) is False
    # 0.29 from a mean of 1 decimal and one of 2: up to 0.29 + 0.055 = 0.345, so rounding may
    # reach 0.3, and the printed 0.29 does not: undecided
    assert verbal.meets(0.29, 0.3, 0.055) is None
    # a difference in either direction counts by its size: the direction is another assertion
    assert verbal.meets(-0.3, 0.3, 0.1) is True


def test_grade_misstatement_and_readings():
    assert verbal.grade_misstatement({"low", "moderate"}, "strong") == "understatement"
    assert verbal.grade_misstatement({"strong"}, "low") == "overstatement"
    assert verbal.grade_misstatement({"low", "strong"}, "moderate") == ""
    assert verbal.combine_readings([False, False]) is False
    assert verbal.combine_readings([True, None]) is None


# ---------------------------------------------------------------------------------------------
# The vocabulary
# ---------------------------------------------------------------------------------------------

def test_every_word_without_a_rule_of_the_paper_has_two_referenced_readings():
    known = statements.vocabulary()
    for word in ("significant", "small", "low", "moderate", "strong", "considerable",
                 "considerably", "substantial", "improved", "all"):
        assert word in known["words"], word
    for name, rule in known["rules"].items():
        if rule["source"] != "paper":
            assert len(rule["readings"]) >= 2 and rule["decides"], name
            assert all(r["reference"] and r["cite"] for r in rule["readings"]), name
    readings = {r["id"]: r for r in known["rules"]["important_difference"]["readings"]}
    assert readings["minimal_important_difference"]["share_of_range"] == 0.1
    assert "Osoba" in readings["minimal_important_difference"]["reference"]
    assert readings["half_sd"]["standardised"] == 0.5
    assert "Norman" in readings["half_sd"]["reference"]


def test_a_word_not_in_the_vocabulary_or_not_in_the_quote_is_refused(paper):
    rows = sentence("B reported hugely more worries.",
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "hugely"))
    with pytest.raises(ValueError, match="not in data/claims/verbal.yaml"):
        evaluate(rows, paper)
    rows = sentence("B reported more worries.",
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "considerably"))
    with pytest.raises(ValueError, match="not in its quote"):
        evaluate(rows, paper)
    # a word whose rule another assertion checks: "significant" is a `significant` row
    rows = sentence("B was significantly worse.",
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "significant"))
    with pytest.raises(ValueError, match="checked by an assertion significant"):
        evaluate(rows, paper)
    # "improved" is about changes from baseline
    rows = sentence("B improved.", ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "improved"))
    with pytest.raises(ValueError, match="verbal_change, not verbal_at_follow_up"):
        evaluate(rows, paper)


# ---------------------------------------------------------------------------------------------
# "considerably": a difference of the follow-up means
# ---------------------------------------------------------------------------------------------

CONSIDERABLY = "The control group reported considerably more worries of becoming dependent."


def test_considerably_fails_both_readings_on_a_tenth_of_a_point(paper):
    # Table 3, item 19 at 3 months: arm B 2.5 (SD 1.3), arm A 2.4 (SD 1.2). Difference 0.1,
    # at most 0.2 with rounding: short of 0.3 (a tenth of 1-4) and of 0.5 x 1.251 = 0.626
    rows = sentence(CONSIDERABLY, ("higher_at_follow_up", "item_tests:19/t0-t2", "B", ""),
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "considerably"))
    found = evaluate(rows, paper)
    assert found["verdict"] == "inconsistent"
    assert found["misstatement"] == "overstatement"
    assert found["outcome"] == "as written: fails (overstatement)"
    for said in ("'considerably'", "item 19 at 3 months", "difference 0.10", "at least 0.30",
                 "at least 0.63", "standardised 0.08", "Osoba", "Norman",
                 "fails under every reading"):
        assert said in found["detail"], said


def test_considerably_holds_on_a_large_difference(paper):
    # worked: arm B 3.2 (SD 1.0) against arm A 2.4 (SD 1.2): difference 0.8 >= 0.3, and
    # 0.8 >= 0.5 x sqrt((1.0^2 + 1.2^2) / 2) = 0.5 x 1.1045 = 0.552: no false alarm
    tables = with_item(paper, 19, "B", "t2", 3.2, 1.0)
    rows = sentence(CONSIDERABLY, ("higher_at_follow_up", "item_tests:19/t0-t2", "B", ""),
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "considerably"))
    found = evaluate(rows, tables)
    assert found["verdict"] == "consistent" and found["misstatement"] == ""
    assert "holds under every reading" in found["detail"]


def test_considerably_with_readings_that_disagree_says_what_would_decide(paper):
    # worked: arm B 2.8 (SD 1.3) against arm A 2.4 (SD 1.2): difference 0.4 >= 0.3 (a tenth
    # of the range), but at most 0.5 with rounding < 0.5 x 1.251 = 0.626 (half an SD)
    tables = with_item(paper, 19, "B", "t2", 2.8, 1.3)
    rows = sentence(CONSIDERABLY,
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "considerably"))
    found = evaluate(rows, tables)
    assert found["verdict"] == "unverifiable" and found["misstatement"] == ""
    assert "the readings disagree; what would decide" in found["detail"]


def test_a_difference_within_rounding_of_the_threshold_is_undecided(paper):
    # worked, on a 1-4 item mean (interference with daily life, Table 4): arm B 2.3 (printed
    # to 1 decimal) against arm A 2.01 (2 decimals) at 6 months: 0.29 printed, up to
    # 0.29 + 0.05 + 0.005 = 0.345 true; SDs 0.1 each: half an SD is 0.05, met
    tables = with_outcome(paper, "FA13", "interference_daily_life", "B", "t3", 2.3, 0.1, 1)
    tables = with_outcome(tables, "FA13", "interference_daily_life", "A", "t3", 2.01, 0.1)
    rows = sentence("Arm B had considerably more interference.",
                    ("verbal_at_follow_up", "effects:FA13/interference_daily_life/t0-t3", "B",
                     "considerably"))
    found = evaluate(rows, tables)
    assert found["verdict"] == "unverifiable"
    assert "is within rounding of at least 0.30 (0.1 of the range 1-4)" in found["detail"]


# ---------------------------------------------------------------------------------------------
# "substantial" and "all": differences of changes from baseline, every cell
# ---------------------------------------------------------------------------------------------

def test_substantial_in_all_cells_fails_when_one_falls_short(paper):
    # Table 2, painful sites at 3 months: arm A 39.78 -> 29.6 (-10.18), arm B 39.56 -> 35.76
    # (-3.80): 6.38 apart, at most 6.38 + 0.065 with rounding, short of 10 (a tenth of 0-100)
    # and of 0.5 x sqrt((23.91^2 + 24.51^2) / 2) = 0.5 x 24.21 = 12.11. Physical fatigue at 6
    # months (Table 4): -21.57 against +6.85, 28.42 apart: meets both. "all": every cell.
    cells = "effects:BM22/painful_sites/t0-t2;effects:FA13/physical_fatigue/t0-t3"
    rows = sentence("Substantial improvement could be observed in all dimensions.",
                    ("verbal_change", cells, "A", "substantial|all"))
    found = evaluate(rows, paper)
    assert found["verdict"] == "inconsistent" and found["misstatement"] == "overstatement"
    for said in ("every cell cited ('all')", "difference 6.38", "falls short of at least 10.00",
                 "falls short of at least 12.11", "difference 28.42", "meets at least 10.00"):
        assert said in found["detail"], said


def test_substantial_holds_where_every_cell_meets_both_readings(paper):
    # physical fatigue at 6 months: 28.42 >= 10 and >= 0.5 x sqrt((29.0^2 + 29.1^2) / 2) =
    # 14.52; interference with daily life (1-4): A 2.53 -> 1.89 (-0.64), B 2.30 -> 3.05
    # (+0.75): 1.39 >= 0.3 and >= 0.5 x sqrt((0.94^2 + 1.09^2) / 2) = 0.509
    cells = "effects:FA13/physical_fatigue/t0-t3;effects:FA13/interference_daily_life/t0-t3"
    rows = sentence("resistance training resulted in substantial reduction of fatigue",
                    ("verbal_change", cells, "A", "substantial"))
    found = evaluate(rows, paper)
    assert found["verdict"] == "consistent"
    # standardised: 28.42 / 29.05 = 0.98 and 1.39 / 1.018 = 1.37
    assert "standardised 0.98" in found["detail"] and "standardised 1.37" in found["detail"]
    assert "at least 0.51" in found["detail"]


# ---------------------------------------------------------------------------------------------
# "improved": against the control arm, or within the arm
# ---------------------------------------------------------------------------------------------

def test_improved_readings(paper):
    rows = sentence("Physical fatigue improved in Arm A.",
                    ("verbal_change", "effects:FA13/physical_fatigue/t0-t3", "A", "improved"))
    # as printed: A 57.22 -> 35.65 (-21.57), B 58.06 -> 64.91 (+6.85): both readings hold
    assert evaluate(rows, paper)["verdict"] == "consistent"
    # worked: A 57.22 -> 60.00 (+2.78), still less than B's +6.85: better than the control
    # arm, but not better than its own baseline (lower is better): the readings disagree
    worse = with_outcome(paper, "FA13", "physical_fatigue", "A", "t3", 60.00, 25.37)
    found = evaluate(rows, worse)
    assert found["verdict"] == "unverifiable"
    assert "improved against the control arm (the Methods' comparison of changes): holds" \
        in found["detail"]
    assert "improved within the arm (its own baseline): fails" in found["detail"]
    # worked: A 57.22 -> 70.00 (+12.78), worse than B's +6.85 and than its baseline
    worst = with_outcome(paper, "FA13", "physical_fatigue", "A", "t3", 70.00, 25.37)
    found = evaluate(rows, worst)
    assert found["verdict"] == "inconsistent" and found["misstatement"] == "overstatement"


# ---------------------------------------------------------------------------------------------
# "significant" and the effect-size grades: the paper's own rules
# ---------------------------------------------------------------------------------------------

def test_significant_and_not_significant_against_alpha(paper):
    # functional interference at 6 months: p = 0.081, not below 0.05: "significant" overstates
    rows = sentence("Functional interference improved significantly.",
                    ("significant", "effects:BM22/functional_interference/t0-t3", "", ""))
    found = evaluate(rows, paper)
    assert (found["verdict"], found["misstatement"]) == ("inconsistent", "overstatement")
    assert "p below alpha 0.05" in found["detail"] and "p = 0.081" in found["detail"]
    # psychosocial aspects at 6 months: p = 0.010: "did not differ" understates
    rows = sentence("Psychosocial aspects did not differ.",
                    ("not_significant", "effects:BM22/psychosocial_aspects/t0-t3", "", ""))
    assert evaluate(rows, paper)["misstatement"] == "understatement"


@pytest.mark.parametrize(("value", "cell", "verdict", "how"), [
    # psychosocial aspects at 3 months, ES -0.79: above 0.7, strong; "small to moderate" says less
    ("small|moderate", "effects:BM22/psychosocial_aspects/t0-t2", "inconsistent",
     "understatement"),
    # functional interference at 6 months, ES -0.56: 0.3 to 0.7, moderate; "strong" says more
    ("strong", "effects:BM22/functional_interference/t0-t3", "inconsistent", "overstatement"),
    # painful sites at 6 months, ES -0.43: moderate, as "small to moderate" says
    ("small|moderate", "effects:BM22/painful_sites/t0-t3", "consistent", ""),
])
def test_effect_size_words_by_the_methods_convention(paper, value, cell, verdict, how):
    words = " to ".join(value.split("|"))
    rows = sentence(f"The scale showed {words} effect sizes.", ("magnitude", cell, "", value))
    found = evaluate(rows, paper)
    assert (found["verdict"], found["misstatement"]) == (verdict, how)
    assert "below 0.3 low, 0.3 to 0.7 moderate, above 0.7 strong" in found["detail"]


# ---------------------------------------------------------------------------------------------
# The ledger row says which, in its tier of misstatement
# ---------------------------------------------------------------------------------------------

def test_ledger_row_of_a_misstatement(paper):
    rows = sentence(CONSIDERABLY,
                    ("verbal_at_follow_up", "item_tests:19/t0-t2", "B", "considerably"))
    evaluated = statements.evaluate(rows, paper["effects"], paper["item_tests"],
                                    paper["outcomes"], paper["items"], paper["claims"], STUDY)
    made = ledger.in_section(statements.ledger_rows(evaluated), "sentences")
    row = ledger.rows(made, "bm22", STUDY).iloc[0]
    assert row["verdict"] == "inconsistent" and row["tier"] == "misstatement"
    assert row["recomputed"] == "as written: fails (overstatement)"
    assert row["note"].startswith("Overstatement: the words claim more than the numbers")
    assert "data/claims/verbal.yaml" in row["assumption"]


# ---------------------------------------------------------------------------------------------
# The paper's sentences that use these words
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published(paper):
    return statements.evaluate(data.load_statements(PUBLISHED), paper["effects"],
                               paper["item_tests"], paper["outcomes"], paper["items"],
                               paper["claims"], STUDY).set_index("statement_id")


@pytest.mark.parametrize(("statement", "verdict", "how"), [
    # "considerably more worries of becoming dependent" (item 19, 3 months): 2.5 against 2.4
    ("results-s05", "inconsistent", "overstatement"),
    # "worried to a considerably greater extent": 2.5 against 2.4, 2.4 against 2.2
    ("discussion-s10", "inconsistent", "overstatement"),
    # "Substantial improvement with small to moderate effect sizes ... in all dimensions":
    # 6.38, 9.48 and 9.23 points fall short of 10; psychosocial ES -0.79 and -0.77 are strong
    ("discussion-s04", "inconsistent", "overstatement and understatement"),
    # "substantial reduction of physical fatigue and interference": 28.42 and 1.39 apart
    ("discussion-s14", "consistent", ""),
    # "improved in Arm A significantly": both fatigue scales better than B and than baseline
    ("abstract-s05", "consistent", ""),
    # "significant benefit ... in all fatigue items": 2 of 10 p below 0.05
    ("discussion-s16", "inconsistent", "overstatement"),
])
def test_the_papers_grading_words(published, statement, verdict, how):
    assert (published.loc[statement, "verdict"], published.loc[statement, "misstatement"]) \
        == (verdict, how)


def test_every_verbal_row_of_the_paper_names_words_of_its_quote():
    rows = data.load_statements(PUBLISHED)
    mine = rows[rows["assertion"].isin(("verbal_at_follow_up", "verbal_change"))]
    assert len(mine) >= 8
    for _, row in mine.iterrows():
        for word in row["value"].split("|"):
            assert word.lower() in row["quote"].lower(), (row["statement_id"], word)


def test_root_mean_square_is_the_pooled_sd_of_equal_arms():
    # pooled SD of two arms of n = 10 each, sd 3 and 4: sqrt((9 x 9 + 9 x 16) / 18) = 3.5355
    assert verbal.root_mean_square(3.0, 4.0) == pytest.approx(math.sqrt((9 * 9 + 9 * 16) / 18))


def test_a_rule_without_a_convention_of_the_paper_needs_two_readings():
    one = (b"words: {big: {rule: important_difference}}\n"
           b"rules: {important_difference: {source: none, readings: "
           b"[{id: a, label: a, cite: a, reference: a, share_of_range: 0.1}]}}\n")
    with pytest.raises(ValueError, match="needs two readings or more"):
        statements._vocabulary("x.yaml", one)
    unknown = b"words: {big: {rule: nope}}\nrules: {}\n"
    with pytest.raises(ValueError, match="names the rule 'nope'"):
        statements._vocabulary("y.yaml", unknown)
