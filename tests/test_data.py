"""helpers.reanalysis.data: the transcription is complete, kept as printed, and bad input is refused
clearly.

Expected values are read off the paper (Rief et al. 2014) by hand and typed here, independently
of the transcription files.
"""

import re
import shutil

import pandas as pd
import pytest

from helpers.reanalysis import data

from conftest import FIXTURES, PUBLISHED


# ---------------------------------------------------------------------------------------------
# The real transcription
# ---------------------------------------------------------------------------------------------

def test_every_table_is_valid():
    assert data.validate_all(PUBLISHED) == []


@pytest.mark.parametrize(("name", "rows", "values"), [
    # Tables 2, 4, 5: 10 scales x 2 arms x 3 timepoints, each with n, mean, SD.
    ("outcomes", 60, ["n", "mean", "sd"]),
    # 10 scales x 2 contrasts, each with p and effect size.
    ("effects", 20, ["p", "effect_size"]),
    # Table 3: 6 items x 2 arms x 3 timepoints, mean and SD; 6 items x 2 p-values.
    ("items", 36, ["mean", "sd"]),
    ("item_tests", 12, ["p"]),
])
def test_tables_2_to_5_complete(name, rows, values):
    table = data.load(name, PUBLISHED)
    assert len(table) == rows
    for column in values:
        assert (table[f"{column}_printed"] != "").all(), f"{name}.{column} has empty cells"


def test_table_1_complete():
    """Table 1 prints 61 numbers per arm (counted by hand from the paper) plus the group size."""
    baseline = data.load_baseline(PUBLISHED)
    printed = baseline.filter(like="_printed")
    per_arm = (printed != "").groupby(baseline["arm"]).sum().sum(axis=1)
    # group size 1, age 2, gender 4, BMI 2, Karnofsky 3, primary site 12, spinal site 8,
    # number of metastases 3 + 4, type 6, concomitant 8, five yes/no rows 10 -> 63
    assert per_arm.to_dict() == {"A": 63, "B": 63}


@pytest.mark.parametrize(("name", "query", "column", "printed", "decimals"), [
    ("outcomes", "scale == 'psychosocial_aspects' and arm == 'A' and timepoint == 't0'", "sd", "17.0", 1),
    ("outcomes", "scale == 'functional_interference' and arm == 'B' and timepoint == 't2'", "mean", "44.7", 1),
    ("outcomes", "scale == 'cognitive_fatigue' and arm == 'B' and timepoint == 't3'", "mean", "19.30", 2),
    ("outcomes", "scale == 'distress' and arm == 'A' and timepoint == 't0'", "mean", "24.7", 1),
    ("effects", "scale == 'psychosocial_aspects' and contrast == 't0-t3'", "p", "0.010", 3),
    ("effects", "scale == 'social_sequelae' and contrast == 't0-t2'", "effect_size", "-0.40", 2),
    ("items", "item == 18 and arm == 'A' and timepoint == 't0'", "sd", "0.9", 1),
    ("item_tests", "item == 22 and contrast == 't0-t3'", "p", "0.048", 3),
    ("baseline", "characteristic == 'neurological_deficit' and arm == 'A'", "percent", "0.0", 1),
    ("baseline", "characteristic == 'spinal_metastases_site' and level == 'lumbar' and arm == 'A'",
     "percent", "30.0", 1),
])
def test_values_kept_as_printed(name, query, column, printed, decimals):
    row = data.load(name, PUBLISHED).query(query)
    assert len(row) == 1
    assert row[f"{column}_printed"].item() == printed
    assert row[f"{column}_decimals"].item() == decimals
    assert row[column].item() == pytest.approx(float(printed))


def test_typo_corrected_and_printed_value_kept():
    outcomes = data.load_outcomes(PUBLISHED)
    cell = outcomes.query("scale == 'social_sequelae' and arm == 'A' and timepoint == 't0'")
    assert cell["mean_printed"].item() == "1150"  # as printed in Table 4
    assert cell["mean"].item() == 1.50
    assert cell["mean_decimals"].item() == 2
    assert cell["corrected"].item() == "mean"
    applied = data.applied_corrections(outcomes)
    assert applied[["row_key", "column", "printed", "corrected"]].values.tolist() == [
        ["FA13/social_sequelae/A/t0", "mean", "1150", "1.50"]]
    uncorrected = data.load("outcomes", PUBLISHED, corrections=False)
    assert data.applied_corrections(uncorrected).empty
    assert not (uncorrected["corrected"] != "").any()


def test_corrections_are_logged(caplog):
    with caplog.at_level("INFO", logger="helpers.reanalysis.data"):
        data.load_baseline(PUBLISHED)
    text = caplog.text
    assert "primary_site/lung/A percent: printed 9.2, corrected to 40.0" in text
    assert "number_of_metastases//A min: printed 2, corrected to 1" in text


def test_every_correction_has_a_reason():
    corrections = data.load_corrections(PUBLISHED)
    assert (corrections["reason"].str.len() > 40).all()


def test_claims_quote_the_paper_verbatim():
    """Each claim's quote is in the paper, and the quote shows the claimed value."""
    paper = (data.paths.project_root().parent / "shared" / "paper"
             / "rief2014_radiat_oncol_9_151.txt")
    if not paper.is_file():
        pytest.skip("the paper's text is not beside the repository")
    text = paper.read_text(encoding="utf-8")
    flat = re.sub(r"-\n", "", text)  # hyphenated line breaks joined, as the guidelines say
    flat = re.sub(r"\s+", " ", flat)
    flat_keep_hyphen = re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))
    words = {"one": "1", "two": "2", "three": "3", "five": "5", "six": "6", "twelve": "12",
             "thirty": "30", "four": "4"}
    claims = data.load_claims(PUBLISHED)
    for claim in claims.itertuples():
        assert claim.quote in flat or claim.quote in flat_keep_hyphen, claim.claim_id
        numbers = set(re.findall(r"-?\d+(?:\.\d+)?", claim.quote))
        numbers |= {n.lstrip("-") for n in numbers}
        numbers |= {v for w, v in words.items() if re.search(rf"\b{w}\b", claim.quote, re.I)}
        assert claim.value_printed in numbers, claim.claim_id


# ---------------------------------------------------------------------------------------------
# Broken input: one fixture file per case, each with its own clear message
# ---------------------------------------------------------------------------------------------

BROKEN = [
    ("outcomes_missing_column.csv", 1, "sd", "column is missing"),
    ("outcomes_unknown_arm.csv", 4, "arm", "'C' is not one of: A, B"),
    ("outcomes_unknown_scale.csv", 5, "scale", "'painful_site' is not one of"),
    ("outcomes_unknown_timepoint.csv", 3, "timepoint", "'t1' is not one of: t0, t2, t3"),
    ("outcomes_scale_of_other_instrument.csv", 2, "scale",
     "'physical_fatigue' is not a scale of BM22"),
    ("outcomes_non_numeric.csv", 6, "mean", "'35,76' is not a number"),
    ("outcomes_negative_sd.csv", 7, "sd", "-13.14 is below the minimum 0 (an SD cannot be negative)"),
    ("outcomes_n_above_randomised.csv", 2, "n",
     "31 is above the maximum 30 (no arm had more than the 30 patients randomised, trial.yaml)"),
    ("outcomes_duplicate_key.csv", 9, None, "duplicate key"),
    ("outcomes_empty_cell.csv", 4, "sd", "is empty, but a value is required"),
    # issue 15: values that passed, and messages that did not name the culprit
    ("outcomes_nan.csv", 3, "mean", "'NaN' is not a finite number"),
    ("outcomes_inf.csv", 4, "sd", "'inf' is not a finite number"),
    ("outcomes_n_zero.csv", 5, "n", "0 is below 1: a mean needs at least one patient"),
    ("outcomes_trailing_space.csv", 6, "mean", "'35.76 ' has spaces around the number"),
    ("outcomes_bom.csv", 1, "instrument", "starts with a UTF-8 byte-order mark (BOM)"),
    ("outcomes_header_only.csv", 2, None, "has a header but no rows"),
]


@pytest.mark.parametrize(("fixture", "line", "column", "message"), BROKEN)
def test_broken_file_rejected_with_file_line_column(transcription, fixture, line, column, message):
    shutil.copy(FIXTURES / "broken" / fixture, transcription / "outcomes.csv")
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(transcription)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.file, problem.line, problem.column) == ("outcomes.csv", line, column)
    assert message in problem.message
    where = f"outcomes.csv, line {line}" + (f", column '{column}'" if column else "")
    assert where in str(caught.value)


def test_valid_fixture_loads(transcription):
    shutil.copy(FIXTURES / "broken" / "outcomes_valid.csv", transcription / "outcomes.csv")
    assert len(data.load("outcomes", transcription, corrections=False)) == 7


def test_correction_of_a_row_the_file_lacks(transcription):
    """The valid fixture lacks the row that corrections.csv corrects: a stale correction."""
    shutil.copy(FIXTURES / "broken" / "outcomes_valid.csv", transcription / "outcomes.csv")
    with pytest.raises(data.TranscriptionError, match="corrections.csv, line 2, column 'row_key': "
                       "no row 'FA13/social_sequelae/A/t0' in outcomes.csv"):
        data.load_outcomes(transcription)


def test_all_problems_reported_at_once(transcription):
    table = pd.read_csv(transcription / "outcomes.csv", dtype=str, keep_default_na=False)
    table.loc[0, "arm"] = "X"
    table.loc[5, "sd"] = "-1"
    table.to_csv(transcription / "outcomes.csv", index=False, lineterminator="\n")
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(transcription)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "arm"), (7, "sd")]


def test_rows_never_dropped_silently(transcription):
    """A short row is an error, not a row pandas quietly pads or drops."""
    with open(transcription / "effects.csv", "a", encoding="utf-8") as handle:
        handle.write("BM22,painful_sites\n")
    with pytest.raises(data.TranscriptionError, match=r"effects.csv, line 22: has 2 cells"):
        data.load_effects(transcription)


def test_missing_file(transcription):
    (transcription / "items.csv").unlink()
    with pytest.raises(data.TranscriptionError, match="items.csv: file is missing"):
        data.load_items(transcription)


def test_correction_that_does_not_match_the_printed_value(transcription):
    corrections = pd.read_csv(transcription / "corrections.csv", dtype=str, keep_default_na=False)
    corrections.loc[corrections["file"] == "outcomes", "printed"] = "1.150"
    corrections.to_csv(transcription / "corrections.csv", index=False, lineterminator="\n")
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(transcription)
    assert "corrections.csv, line 2, column 'printed'" in str(caught.value)
    assert "does not match '1150'" in str(caught.value)


def test_correction_of_unknown_row(transcription):
    with open(transcription / "corrections.csv", "a", encoding="utf-8") as handle:
        handle.write("effects,BM22/painful_sites/t0-t9,p,0.399,0.39,made up\n")
    with pytest.raises(data.TranscriptionError, match="no row 'BM22/painful_sites/t0-t9'"):
        data.load_effects(transcription)


@pytest.mark.parametrize("text, expected", [("17.0", 1), ("1150", 0), ("-0.24", 2), ("0.010", 3)])
def test_decimals(text, expected):
    assert data.decimals(text) == expected


def test_schema_enums_come_from_the_trial():
    from helpers.reanalysis import trial

    study = trial.load(PUBLISHED)
    fields = {f["name"]: f for f in data.schema("outcomes", PUBLISHED)["fields"]}
    listed = [s for scales in study.scales.values() for s in scales]
    assert fields["scale"]["constraints"]["enum"] == listed
    assert fields["arm"]["constraints"]["enum"] == list(study.arm_ids)
    assert fields["n"]["constraints"]["maximum"] == study.max_randomised
    package = (PUBLISHED / "datapackage.json").read_text(encoding="utf-8")
    for typed in ('"painful_sites"', '"t0-t2"', '"QSCR10"', '"maximum": 30'):
        assert typed not in package, f"{typed} is typed in datapackage.json, not derived"
