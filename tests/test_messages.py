"""Messages a user can act on (issue 23): each names the file, the line or key, and the fix."""

import shutil

import pytest

from helpers.build import pipeline
from helpers.reanalysis import data

from conftest import PUBLISHED


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "trial"
    shutil.copytree(PUBLISHED, copy, ignore=shutil.ignore_patterns("double_entry"))
    return copy


def test_a_bad_byte_late_in_a_file_is_named_with_its_file_line_and_offset(folder):
    path = folder / "statements.csv"
    raw = path.read_bytes()
    at = len(raw) - 200
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    line = raw[:at].count(b"\n") + 1
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_statements(folder)
    said = str(caught.value)
    assert f"statements.csv, line {line}" in said and f"byte {at} " in said and "UTF-8" in said


def test_an_oversized_cell_is_named_with_its_file_and_line(folder):
    path = folder / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, 'methods-99,methods,"' + "x" * 200_000 + '",1,patients_randomized')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(data.TranscriptionError, match=r"claims.csv, line 4: (a cell of 200000 characters|not readable as CSV)"):
        data.load_claims(folder)


def test_a_number_in_exponent_notation_is_a_number():
    assert pipeline.parse_overrides([["alpha", "1e-300"]]) == {"alpha": 1e-300}


def test_a_duplicate_key_names_its_columns_and_values(folder):
    path = folder / "outcomes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    instrument, scale, arm, timepoint = lines[1].split(",")[:4]
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(folder)
    said = str(caught.value)
    assert f"outcomes.csv, line {len(lines) + 1}: duplicate key" in said
    assert f"instrument = '{instrument}', scale = '{scale}', arm = '{arm}'" in said
