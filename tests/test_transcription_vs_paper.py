"""A third reading of the transcription: each table row, rebuilt from data/published in the
paper's own layout, must appear verbatim in the paper's text (shared/paper, beside the repository).

The paper's tables are flattened into lines such as ``Baseline (t0) 30 69.26 17.0 30 57.59 19.87``;
rebuilding those lines from the CSV files and finding them in the text checks every digit, sign
and trailing zero of Tables 1-5 against the source.
"""

import re

import pandas as pd
import pytest

from conftest import PUBLISHED, ROOT

PAPER = ROOT.parent / "shared" / "paper" / "rief2014_radiat_oncol_9_151.txt"
pytestmark = pytest.mark.skipif(not PAPER.is_file(), reason="the paper is not beside the repository")


@pytest.fixture(scope="module")
def paper():
    return PAPER.read_text(encoding="utf-8")


def _read(name):
    return pd.read_csv(PUBLISHED / f"{name}.csv", dtype=str, keep_default_na=False)


def test_tables_2_4_5_rows(paper):
    lines = {line.strip() for line in paper.splitlines()}
    labels = {"t0": ["Baseline (t0)"], "t2": ["3 month (t2)", "After 3 month (t2)"],
              "t3": ["6 month (t3)", "After 6 month (t3)"]}
    outcomes = _read("outcomes")
    missing = []
    for (scale, timepoint), rows in outcomes.groupby(["scale", "timepoint"]):
        a, b = (rows[rows["arm"] == arm].iloc[0] for arm in "AB")
        numbers = f"{a['n']} {a['mean']} {a['sd']} {b['n']} {b['mean']} {b['sd']}"
        if not any(f"{label} {numbers}" in lines for label in labels[timepoint]):
            missing.append((scale, timepoint, numbers))
    assert missing == []


def test_tables_2_4_5_tests(paper):
    effects = _read("effects")
    for scale, rows in effects.groupby("scale"):
        p = rows.set_index("contrast")["p"]
        es = rows.set_index("contrast")["effect_size"]
        assert re.search(rf"p ?= {re.escape(p['t0-t2'])}, \(t0-t3\) after 6 month "
                         rf"p ?= {re.escape(p['t0-t3'])}", paper), scale
        assert (f"after 3 month {es['t0-t2']}, (t0-t3) after 6 month {es['t0-t3']}"
                in paper), scale


def test_table_3_rows(paper):
    lines = {line.strip() for line in paper.splitlines()}
    items, tests = _read("items"), _read("item_tests")
    for item, rows in items.groupby("item"):
        rows = rows.sort_values(["arm", "timepoint"])
        cells = " ".join(f"{r['mean']} {r['sd']}" for _, r in rows.iterrows())
        p = " ".join(tests[tests["item"] == item].sort_values("contrast")["p"])
        assert f"{item} {cells} {p}" in lines, item
        assert f"{item} {rows['question'].iloc[0]}" in lines, item


def test_table_1_rows(paper):
    baseline = _read("baseline")
    for (characteristic, level), rows in baseline.groupby(["characteristic", "level"], sort=False):
        a, b = (rows[rows["arm"] == arm].iloc[0] for arm in "AB")
        if a["percent"]:
            text = f"{a['n']} {a['percent']} {b['n']} {b['percent']}"
        elif a["sd"]:
            text = f"{a['mean']} ({a['sd']}) {b['mean']} ({b['sd']})"
        elif a["median"]:
            text = f"{a['median']} ({a['min']}-{a['max']}) {b['median']} ({b['min']}-{b['max']})"
        elif a["mean"]:
            text = f"{a['mean']} ({a['min']}-{a['max']}) {b['mean']} ({b['min']}-{b['max']})"
        else:  # the group sizes in the column headings
            assert re.search(rf"Intervention\s+group \(n = {a['n']}\)", paper)
            assert re.search(rf"Control group\s+\(n = {b['n']}\)", paper)
            continue
        assert text in paper, (characteristic, level, text)


def _joined(paper, keep_hyphen):
    """The text with line breaks joined: a hyphen at a line end dropped (a broken word) or kept
    (a compound), whitespace collapsed."""
    text = re.sub(r"-\s*\n\s*(?=[a-z])", "-" if keep_hyphen else "", paper)
    return re.sub(r"\s+", " ", text)


def test_statement_quotes_are_verbatim(paper):
    joined = (_joined(paper, False), _joined(paper, True))
    statements = _read("statements")
    for quote in statements["quote"].unique():
        parts = quote.split(" ... ")  # a table interrupts the sentence
        assert all(any(part in text for text in joined) for part in parts), quote
