"""helpers.reanalysis.double_entry: differences between entries are found, and the published files
are the entries as resolved."""

import shutil

import pandas as pd
import pytest

from helpers.reanalysis import double_entry

from conftest import PUBLISHED

ENTRIES = PUBLISHED / "double_entry"


def test_published_transcription_is_the_resolved_double_entry():
    problems = double_entry.check_resolved(ENTRIES / "entry_1", ENTRIES / "entry_2",
                                           ENTRIES / "resolutions.csv", PUBLISHED)
    assert problems == []


def test_both_entries_fill_the_same_forms():
    """The case report forms fix the keys; each entry keeps every key row."""
    for name in ("baseline", "outcomes", "effects", "items", "item_tests"):
        form = pd.read_csv(ENTRIES / "crf" / f"{name}.csv", dtype=str, keep_default_na=False)
        for entry in ("entry_1", "entry_2"):
            filled = pd.read_csv(ENTRIES / entry / f"{name}.csv", dtype=str, keep_default_na=False)
            keys = [c for c in form.columns if (form[c] != "").any()]
            assert filled[keys].equals(form[keys]), (entry, name)


@pytest.fixture
def entries(tmp_path):
    for entry in ("entry_1", "entry_2"):
        shutil.copytree(ENTRIES / entry, tmp_path / entry)
    return tmp_path / "entry_1", tmp_path / "entry_2"


def _edit(folder, name, row, column, value):
    table = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    table.loc[row, column] = value
    table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def test_a_changed_cell_is_one_difference(entries):
    first, second = entries
    before = double_entry.compare(first, second, PUBLISHED)
    _edit(second, "outcomes", 0, "sd", "23.19")  # a transposition, as typists make
    after = double_entry.compare(first, second, PUBLISHED)
    new = after.merge(before, how="left", indicator=True).query("_merge == 'left_only'")
    assert new[["file", "key", "column", "entry_1", "entry_2"]].values.tolist() == [
        ["outcomes", "BM22/painful_sites/A/t0", "sd", "23.91", "23.19"]]


def test_a_claim_found_by_one_entry_only(entries):
    first, second = entries
    claims = pd.read_csv(second / "claims.csv", dtype=str, keep_default_na=False)
    dropped = claims.iloc[0]
    claims.iloc[1:].to_csv(second / "claims.csv", index=False, lineterminator="\n")
    differences = double_entry.compare(first, second, PUBLISHED).query("column == 'row'")
    assert differences[["key", "entry_1", "entry_2"]].values.tolist() == [
        [f"{dropped['section']}/{dropped['value']}#0", "present", "<missing row>"]]


def test_claim_alignment_by_occurrence():
    claims = pd.DataFrame({"section": ["results", "results", "methods"],
                           "value": ["6", "6", "6"]})
    assert double_entry.claim_keys(claims).tolist() == [
        "results/6#0", "results/6#1", "methods/6#0"]


def test_unresolved_difference_is_reported(entries, tmp_path):
    first, second = entries
    _edit(second, "effects", 3, "p", "0.100")
    problems = double_entry.check_resolved(first, second, ENTRIES / "resolutions.csv", PUBLISHED)
    assert any(p.startswith("unresolved difference: effects BM22/pain_characteristics/t0-t3 p")
               for p in problems)
