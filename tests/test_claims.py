"""The claim vocabulary as data (data/claims/kinds.yaml, helpers.reanalysis.claim_kinds), nothing
absent invented (helpers.reanalysis.cohort), and the range checks of every baseline
characteristic (helpers.methods.consistency.range_checks).

Expected values are hand calculations written here, never the code under test.
"""

import csv
import math
import re
import statistics
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.methods import consistency as cc
from helpers.reanalysis import claim_kinds, cohort, data, table_checks, trial
from conftest import PUBLISHED

ROOT = Path(__file__).resolve().parents[1]


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------------
# The kinds file and the validation at load
# ---------------------------------------------------------------------------------------------

def test_every_example_folder_has_only_known_references():
    for folder in ("data/published", "data/examples/simulated"):
        assert data.validate("claims", folder) == []
        assert data.validate("statements", folder) == []


@pytest.mark.parametrize("reference, says", [
    ("effects:BM22/psychosocial_aspects", "is not file:key:column"),  # the crash of the issue
    ("effects:BM22/psychosocial_aspects/t0-t2:nonsense", "not a numeric column of effects"),
    ("effects:BM22/t0-t2:p", "the key of effects has 3 field(s)"),
    ("tables:x/y:p", "is not one of the tables"),
    ("patients_counted_twice", "Add it to not_checkable.csv with a reason"),
    ("deaths_arm_c_t0_t2", "is not a claim kind"),  # the published trial has no arm C
])
def test_a_bad_reference_fails_at_load_naming_file_claim_and_fix(transcription, reference, says):
    def change(rows):
        rows[0]["refers_to"] = reference
        return rows

    _rewrite(transcription / "claims.csv", change)
    with pytest.raises(data.TranscriptionError) as error:
        data.load_claims(transcription)
    message = str(error.value)
    assert "claims.csv, line 2, column 'refers_to': claim abstract-01" in message
    assert says in message
    assert reference in message


def test_an_unknown_name_passes_once_not_checkable_gives_its_reason(transcription):
    def change(rows):
        rows[1]["refers_to"] = "recruitment_weekday"
        return rows

    _rewrite(transcription / "claims.csv", change)
    with pytest.raises(data.TranscriptionError):
        data.load_claims(transcription)
    with open(transcription / "not_checkable.csv", "a", encoding="utf-8") as handle:
        handle.write("recruitment_weekday,not in the published data\n")
    with open(transcription / "claims.csv", newline="", encoding="utf-8") as handle:
        assert len(data.load_claims(transcription)) == len(list(csv.DictReader(handle)))


def test_a_bad_statement_reference_fails_at_load(transcription):
    def change(rows):
        rows[2]["refers_to"] = "effects:BM22/painful_sites/t0-t2:p"
        return rows

    _rewrite(transcription / "statements.csv", change)
    with pytest.raises(data.TranscriptionError, match=r"statements.csv, line 4, column "
                       r"'refers_to': statement methods-s03: .* is not file:key"):
        data.load_statements(transcription)


def test_patterns_match_by_hand():
    where = {"arms": {"a", "b", "c"}, "timepoints": {"t0", "t1", "t4"}, "instruments": {"c30"},
             "flow": {"excluded_not_eligible"}, "minimums": set()}
    kind, fields = claim_kinds.match("deaths_arm_c_t1_t4_percent", where)
    assert (kind.pattern, fields) == ("deaths_arm_{arm}_{from}_{to}_percent",
                                      {"arm": "c", "from": "t1", "to": "t4"})
    assert claim_kinds.match("c30_range_max", where)[0].pattern == "{instrument}_range_max"
    assert claim_kinds.match("excluded_not_eligible", where)[0].pattern == "{stage}"
    assert claim_kinds.match("rt_schedule_14x2_5gy_arm_a_percent", where)[1]["schedule"] == \
        "14x2_5"
    assert claim_kinds.match("bm22_range_max", where) is None  # no BM22 in this trial
    assert claim_kinds.match("withdrawn_arm_a_t0_t1", where)[0].checkable is False


def test_kinds_file_has_no_uncheckable_kind_without_reason():
    for kind in claim_kinds.kinds():
        assert kind.checkable or kind.reason, kind.pattern


def test_book_page_lists_every_kind_from_the_kinds_file():
    """book/own_trial.md carries the table generated from kinds.yaml, verbatim."""
    page = (ROOT / "book" / "own_trial.md").read_text(encoding="utf-8")
    begin, end = "<!-- kinds table: begin -->", "<!-- kinds table: end -->"
    inside = page.split(begin)[1].split(end)[0].strip()
    assert inside == claim_kinds.markdown_table(), (
        "book/own_trial.md is out of date: paste claim_kinds.markdown_table() between its "
        "kinds-table markers")
    for kind in claim_kinds.kinds():
        assert f"`{kind.pattern}`" in page


def test_published_flow_is_read_from_trial_yaml():
    stages = claim_kinds.flow_stages(PUBLISHED)
    assert [(s.stage, s.excluded) for s in stages] == [
        ("assessed for eligibility", False), ("excluded: unstable metastases", True),
        ("excluded: declined", True), ("randomised", False)]
    source = (ROOT / "src" / "helpers" / "reanalysis" / "cohort.py").read_text(encoding="utf-8")
    assert "unstable metastases" not in source


# ---------------------------------------------------------------------------------------------
# Nothing absent is invented
# ---------------------------------------------------------------------------------------------

def _without(folder: Path, names: set[str]) -> None:
    _rewrite(folder / "claims.csv", lambda rows: [r for r in rows if r["refers_to"] not in names])


def _cohort_rows(folder):
    study = trial.load(folder)
    claims, baseline = data.load_claims(folder), data.load_baseline(folder)
    outcomes = data.load_outcomes(folder)
    flow = cohort.participant_flow(claims, baseline, outcomes, study)
    rows = pd.concat([cohort.flow_checks(claims, baseline, outcomes, study),
                      cohort.sample_size_checks(claims),
                      cohort.radiotherapy_checks(claims, baseline, study)])
    text = cohort.text_claim_rows(claims, outcomes, baseline, set(rows["claim_id"]), study,
                                  data.load_not_checkable(folder), data.load_items(folder))
    return flow, pd.concat([rows, text], ignore_index=True), claims


def test_absent_screening_makes_no_flow_row_and_nothing_holds_on_it(transcription):
    _without(transcription, {"patients_screened"})
    flow, rows, claims = _cohort_rows(transcription)
    assert "assessed for eligibility" not in set(flow["stage"])
    # 60 randomised still checked, against Table 1's arms (30 + 30 = 60 by hand)
    randomised = rows[rows["claim_id"].isin(["abstract-01", "methods-11"])]
    assert set(randomised["check"]) == {"text against Table 1"}
    assert set(randomised["recomputed"]) == {"60"}
    # the exclusions are printed but their sum cannot be made: unverifiable, never consistent
    excluded = rows[rows["claim_id"].isin(["methods-09", "methods-10"])]
    assert set(excluded["verdict"]) == {"unverifiable"}
    assert every_claim_has_one_row(rows, claims)


def test_absent_death_counts_and_percentages_make_no_rows(transcription):
    _without(transcription, {"deaths_arm_a_t2_t3", "deaths_arm_a_t2_t3_percent",
                             "lost_to_followup_percent"})
    flow, rows, claims = _cohort_rows(transcription)
    assert not ((flow["stage"] == "alive at 6 months") & (flow["arm"] == "A")).any()
    assert ((flow["stage"] == "alive at 6 months") & (flow["arm"] == "B")).sum() == 1
    n_rows = rows[rows["check"] == "n against participant flow"]
    assert not n_rows["claim_id"].str.contains("/A/t3:n").any()
    assert n_rows["claim_id"].str.contains("/B/t3:n").any()
    assert every_claim_has_one_row(rows, claims)


def test_absent_sample_size_and_convention_make_no_rows(transcription):
    names = {"detectable_effect_size_cohens_d", "effect_size_low_upper_bound",
             "effect_size_moderate_lower_bound", "effect_size_moderate_upper_bound",
             "effect_size_strong_lower_bound"}
    _without(transcription, names)
    _rewrite(transcription / "not_checkable.csv",
             lambda rows: [r for r in rows if r["refers_to"] not in names])
    _, rows, claims = _cohort_rows(transcription)
    planned = rows[rows["claim_id"].isin(["methods-68", "methods-70", "methods-71"])]
    assert set(planned["verdict"]) == {"unverifiable"}
    assert "power calculation" not in set(rows["check"])
    assert every_claim_has_one_row(rows, claims)


def every_claim_has_one_row(rows, claims) -> bool:
    return set(claims["claim_id"]) <= set(rows["claim_id"])


# ---------------------------------------------------------------------------------------------
# Range checks
# ---------------------------------------------------------------------------------------------

def test_range_checks_by_hand():
    # 64 > 62.6 + 0.05: the mean lies below the minimum even with rounding
    table = cc.range_checks(low="64", high="77", mean="62.6", sd="8.0", n=35).set_index("check")
    assert table.loc["mean within range", "consistency"] == "inconsistent"
    # 5 values in [0, 10] (rounding [-0.5, 10.5]), mean 5.0: SD at most sqrt(5/4 * 5.5 * 5.5)
    bound = math.sqrt(5 / 4 * 5.5 * 5.5)  # 6.149
    ok = cc.range_checks(low="0", high="10", mean="5.0", sd="6.0", n=5).set_index("check")
    bad = cc.range_checks(low="0", high="10", mean="5.0", sd="6.3", n=5).set_index("check")
    assert 6.0 + 0.05 < bound < 6.3 - 0.05
    assert ok.loc["SD within range bound", "consistency"] == "consistent"
    assert bad.loc["SD within range bound", "consistency"] == "inconsistent"
    swapped = cc.range_checks(low="9", high="3", median="5").set_index("check")
    assert swapped.loc["min at most max", "consistency"] == "inconsistent"
    assert cc.range_checks(low="9", high="3.0").loc[0, "consistency"] == "inconsistent"
    assert cc.range_checks(low="3.4", high="3").loc[0, "consistency"] == "consistent"  # 3.35 < 3.5
    assert cc.range_checks(mean="5").empty  # nothing to compare with


def test_three_arm_planted_minimum_above_its_mean():
    baseline = pd.read_csv(ROOT / "data/examples/three_arm/baseline.csv", dtype=str,
                           keep_default_na=False).set_index(["characteristic", "level", "arm"])
    row = baseline.loc[("age", "", "B")]
    assert (row["min"], row["mean"]) == ("64", "62.6")
    table = cc.range_checks(low=row["min"], high=row["max"], mean=row["mean"], sd=row["sd"],
                            n=35).set_index("check")
    assert table.loc["mean within range", "consistency"] == "inconsistent"


def test_published_range_rows_are_the_four_min_at_most_max():
    rows = table_checks.baseline_ledger_rows(data.load_baseline(PUBLISHED),
                                             data.load_claims(PUBLISHED), trial.load(PUBLISHED))
    new = rows[rows["check"] == "min at most max"]
    assert sorted(new["claim_id"]) == sorted(
        f"baseline:{c}//{a}:min" for c in ("karnofsky_ps", "number_of_metastases")
        for a in "AB")
    assert set(new["verdict"]) == {"consistent"}


def _printed(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=-50, max_value=150), min_size=2, max_size=40),
       st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=2),
       st.integers(min_value=0, max_value=2))
def test_range_checks_never_false_alarm_on_genuine_samples(values, d_mean, d_sd, d_range):
    """Any genuine sample, its summaries rounded half up or half even to any decimals: no
    check is inconsistent."""
    values = [v / 4 for v in values]  # quarter steps: the range's rounding matters too
    table = cc.range_checks(low=_printed(min(values), d_range),
                            high=_printed(max(values), d_range),
                            mean=_printed(statistics.fmean(values), d_mean),
                            median=_printed(statistics.median(values), d_mean),
                            sd=_printed(statistics.stdev(values), d_sd), n=len(values))
    assert "inconsistent" not in set(table["consistency"]), table.to_string()


def test_sd_bound_is_reached_by_values_at_the_ends():
    """Half the values at 0, half at 10 (n = 4): SD = sqrt(4/3 * 25) = 5.7735, the bound."""
    values = [0, 0, 10, 10]
    assert statistics.stdev(values) == pytest.approx(math.sqrt(4 / 3 * 5 * 5))
    exact = cc.range_checks(low="0", high="10", mean="5", sd="5.77", n=4)
    assert exact.set_index("check").loc["SD within range bound", "consistency"] == "consistent"
    assert re.search(r"at most", exact.set_index("check").loc["SD within range bound",
                                                               "recomputed"])
