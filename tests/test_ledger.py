"""helpers.ledger: rows are validated, a rerun replaces a notebook's rows, and the committed ledger
covers every number it must."""

import pandas as pd
import pytest

from helpers import data, ledger

from conftest import ROOT


def _rows(*verdicts):
    return pd.DataFrame([dict(claim_id=f"x:{i}", source="Table 1", quantity="q", published="1",
                              recomputed="1", check="GRIM", verdict=v, assumption="integers",
                              note="") for i, v in enumerate(verdicts)])


def test_record_replaces_a_notebooks_rows(tmp_path):
    ledger.record(_rows("reproduced", "consistent"), "02_b", tmp_path)
    ledger.record(_rows("inconsistent"), "01_a", tmp_path)
    ledger.record(_rows("unverifiable"), "02_b", tmp_path)  # rerun of 02_b
    table = ledger.read(tmp_path)
    assert table["notebook"].tolist() == ["01_a", "02_b"]
    assert table["verdict"].tolist() == ["inconsistent", "unverifiable"]
    assert list(table.columns) == ledger.COLUMNS


def test_record_is_independent_of_run_order(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    ledger.record(_rows("reproduced"), "01_a", first)
    ledger.record(_rows("consistent"), "03_c", first)
    ledger.record(_rows("consistent"), "03_c", second)
    ledger.record(_rows("reproduced"), "01_a", second)
    assert (first / "ledger.csv").read_bytes() == (second / "ledger.csv").read_bytes()


@pytest.mark.parametrize(("frame", "message"), [
    (_rows("maybe"), "unknown verdict"),
    (_rows("reproduced").drop(columns="note"), "lack column"),
    (pd.concat([_rows("reproduced"), _rows("reproduced")]), "recorded twice"),
    (_rows("reproduced").assign(claim_id=""), "empty claim_id"),
])
def test_bad_rows_are_refused(frame, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        ledger.record(frame, "01_a", tmp_path)


# ---------------------------------------------------------------------------------------------
# Coverage of the committed ledger
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def committed():
    return ledger.read(ROOT / "results")


def _cells(name, columns):
    table = data.load(name)
    keys = data.key_columns(name)
    return {ledger.cell_id(name, data.row_key(row, keys), column)
            for _, row in table.iterrows() for column in columns
            if row[f"{column}_printed"] != ""}


def test_every_number_of_table_1_has_a_verdict(committed):
    numeric = data.numeric_columns("baseline")
    missing = _cells("baseline", numeric) - set(committed["claim_id"])
    assert not missing, sorted(missing)[:10]


def test_every_n_mean_sd_of_tables_2_to_5_has_a_verdict(committed):
    missing = (_cells("outcomes", ["n", "mean", "sd"]) | _cells("items", ["mean", "sd"])) \
        - set(committed["claim_id"])
    assert not missing, sorted(missing)[:10]


def test_every_claim_of_the_text_has_a_verdict(committed):
    missing = set(data.load_claims()["claim_id"]) - set(committed["claim_id"])
    assert not missing, sorted(missing)


def test_committed_ledger_is_valid(committed):
    for notebook, rows in committed.groupby("notebook"):
        ledger.rows(rows.drop(columns="notebook"), notebook)  # raises on any problem


def test_every_sentence_and_every_other_publication_has_a_verdict(committed):
    sentences = data.load_statements()
    checked = set(sentences.loc[sentences["section"] != "methods", "statement_id"])
    related = data.load_related()
    cells = {ledger.cell_id("related", data.row_key(row, data.key_columns("related")), "value")
             for _, row in related.iterrows()}
    missing = (checked | cells) - set(committed["claim_id"])
    assert not missing, sorted(missing)
