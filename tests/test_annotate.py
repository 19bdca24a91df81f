"""The annotated tables and text (helpers.reanalysis.annotate) and the verdict at a glance
(helpers.reanalysis.overview), on ledgers made by hand: each cell gets the most serious verdict of
the rows about it, a symbol, a title with every check and a link to its row."""

import re

import pandas as pd
import pytest

from conftest import PUBLISHED
from helpers.reanalysis import annotate, ledger, overview, trial


def _row(claim, verdict, check="GRIM", assumption="integer answers", note="", source="Table 5"):
    return dict(claim_id=claim, source=source, quantity="q", published="1", recomputed="",
                check=check, verdict=verdict, problem=claim if verdict == "inconsistent" else "",
                assumption=assumption, note=note, notebook="01_cohort", made_by="m", when="",
                section="s")


def test_worst_orders_verdicts_by_seriousness():
    assert annotate.worst(["reproduced", "consistent"]) == "consistent"
    assert annotate.worst(["consistent", "not_reproducible", "unverifiable"]) == "not_reproducible"
    assert annotate.worst(["unverifiable", "inconsistent"]) == "inconsistent"
    assert annotate.worst([]) == ""


def test_every_verdict_has_its_own_symbol_and_a_legend_line():
    assert set(annotate.SYMBOLS) == set(ledger.VERDICTS) == set(annotate.SEVERITY)
    assert len(set(annotate.SYMBOLS.values())) == len(annotate.SYMBOLS)
    legend = annotate.legend_html()
    for verdict, symbol in annotate.SYMBOLS.items():
        assert f"ann-{verdict}" in legend and symbol in legend


#: A coloured cell: its verdict, title, printed text, symbol, then its note.
CELL = re.compile(r'<td class="ann ann-(\w+)" title="([^"]*)"><details class="ann-note"><summary>'
                  r'([^<]*) <span class="ann-symbol" aria-hidden="true">(.)</span>'
                  r'<span class="ann-sr"> [^<]*</span></summary><ul class="ann-detail">(.*?)</ul>'
                  r"</details></td>")


def test_a_table_cell_shows_its_worst_verdict_with_every_check_in_its_note():
    # Table 5 of the paper prints 24.95 (12.8) for distress, arm B, 6 months (t3).
    table = pd.DataFrame([
        _row("outcomes:QSCR10/distress/B/t3:mean", "consistent", "reported metric", "0-50"),
        _row("outcomes:QSCR10/distress/B/t3:mean", "inconsistent", "GRIM", "sum of 10 items",
             "no sum over 18 gives it"),
        _row("outcomes:QSCR10/distress/*/*:mean", "consistent", "range", "0-50"),
        _row("outcomes:QSCR10/distress/A/t3:mean", "reproduced", "other")])
    html = annotate.annotated_table("Table 5", table, PUBLISHED, trial.load(PUBLISHED))
    by_text = {text: (verdict, title, symbol, note) for verdict, title, text, symbol, note
               in CELL.findall(html)}
    verdict, title, symbol, note = by_text["24.95"]
    assert verdict == "inconsistent" and symbol == "✗"
    # three rows: its own two and the one about every mean; the range check is in all six
    # means of the scale, so its assumption (0-50) is said once under the table, not here
    assert title.count("\n") == 2 and "range\n" in title + "\n"
    assert title.startswith("✗ inconsistent: GRIM (assuming sum of 10 items); no sum over 18")
    # the note says the same, one line per row, each check linked to its own ledger row
    lines = re.findall(r'<li><span class="ann-symbol">(.)</span> ([^:]*): <a href="ledger.html#'
                       r'(row-\w+)">([^<]*)</a>', note)
    assert [(s, v, c) for s, v, _, c in lines] == [
        ("✗", "inconsistent", "GRIM"), ("○", "consistent", "reported metric"),
        ("○", "consistent", "range")]
    assert [a for _, _, a, _ in lines] == [
        ledger.row_anchor("outcomes:QSCR10/distress/B/t3:mean", "GRIM", "sum of 10 items"),
        ledger.row_anchor("outcomes:QSCR10/distress/B/t3:mean", "reported metric", "0-50"),
        ledger.row_anchor("outcomes:QSCR10/distress/*/*:mean", "range", "0-50")]
    assert "(assuming 0-50)" in note  # the reported metric is one cell's: said in its note
    assert '<div class="ann-shared">' in html and "<strong>range</strong>: 0-50</li>" in html
    # the other means of the scale carry the claim about all of them: consistent
    assert by_text["24.13"][0] == "consistent" and by_text["24.13"][2] == "○"
    # arm A at 6 months: its own row (reproduced) and the claim about every mean (consistent)
    assert by_text["15.44"][0] == "consistent" and "✓ reproduced: other" in by_text["15.44"][1]
    # a cell no row is about is not coloured and has no title
    assert re.search(r"<td>18</td>", html)  # the n of arm B at 6 months
    assert 'id="annotated-table-5"' in html and "<caption>Table 5: QSC-R10</caption>" in html
    # the between-group p and effect size of baseline to 6 months (Table 5: p 0.016, ES -0.87)
    # sit on the 6-month row, after the arms' cells; the baseline row has none
    rows = {re.search(r"<th>([^<]*)</th>", r).group(1): r
            for r in re.findall(r"<tr>.*?</tr>", html, re.S) if re.search(r"<th>([^<]*)</th>", r)}
    last_two = r"<td[^>]*>0\.016</td>\s*<td[^>]*>-0\.87</td>\s*</tr>$"
    assert re.search(last_two, rows["6 months"])
    assert rows["baseline"].count("<td></td>") == 2


def test_every_coloured_cell_of_every_table_has_one_title():
    table = ledger.read(PUBLISHED.parents[1] / "results")
    for source in annotate.table_sources(PUBLISHED):
        html = annotate.annotated_table(source, table, PUBLISHED, trial.load(PUBLISHED))
        coloured = re.findall(r'<t[dh][^>]*class="ann ann-[^"]*"[^>]*>', html)
        assert coloured, source
        assert all(tag.count(" title=") == 1 for tag in coloured), source


def test_table_sources_are_the_transcriptions_tables_in_order():
    assert annotate.table_sources(PUBLISHED) == [f"Table {k}" for k in range(1, 6)]


def test_text_items_give_the_verdict_and_reason_of_each_sentence():
    statements = pd.read_csv(PUBLISHED / "statements.csv", dtype=str)
    first = statements["statement_id"].iloc[0]
    table = pd.DataFrame([_row(first, "consistent", "statement against Methods", "the Methods",
                               "same words", source="Methods")])
    items = annotate.text_items(table, PUBLISHED)
    mine = items[items["id"] == first].iloc[0]
    assert mine["verdict"] == "consistent" and mine["quote"] == statements["quote"].iloc[0]
    assert mine["reason"] == "statement against Methods; same words; assuming the Methods"
    unchecked = items[items["verdict"] == ""]
    assert len(unchecked) == len(items) - 1
    # a number of the text that not_checkable.csv lists gives its reason
    reasons = set(pd.read_csv(PUBLISHED / "not_checkable.csv", dtype=str)["reason"])
    assert reasons & set(unchecked["reason"])
    html = annotate.text_html(items)
    assert html.count('class="ann ann-consistent"') == 1


def test_counts_of_the_first_page_by_hand():
    table = pd.DataFrame([_row("a:k:mean", "consistent"), _row("a:k:mean", "inconsistent"),
                          _row("b:k:p", "not_reproducible", "p from summary data", "t-test"),
                          _row("c:k:effect_size", "reproduced"), _row("d", "unverifiable")])
    counts = overview.counts(table)
    assert (counts["rows"], counts["claims"], counts["problems"]) == (5, 4, 1)
    assert counts["claims_inconsistent"] == 1 and counts["claims_hold"] == 1
    assert counts["not_reproducible_p"] == 1 and counts["not_reproducible_es"] == 0
    assert overview.holding(table).values.tolist() == [["Table 5", 1, 4]]


def test_forest_data_pairs_published_and_recomputed_effects():
    study = trial.load(PUBLISHED)
    effect_sizes = pd.DataFrame([
        dict(instrument="QSCR10", scale="distress", timepoint="t3", estimand="hedges_g",
             estimate="-0.5", ci_low="-1", ci_high="0", assumption="survivors at follow-up"),
        dict(instrument="QSCR10", scale="distress", timepoint="t3", estimand="d_ppc2",
             estimate="-0.6", ci_low="-1.2", ci_high="0",
             assumption="pre-post correlation r = 0.5 (variance only)"),
        dict(instrument="QSCR10", scale="distress", timepoint="t3", estimand="d_ppc2",
             estimate="-0.9", ci_low="-1.5", ci_high="0",
             assumption="pre-post correlation r = 0.3 (variance only)")])
    published = pd.DataFrame([dict(instrument="QSCR10", scale="distress", contrast="t0-t3",
                                   effect_size=-0.7)])
    frame = overview.forest_data(effect_sizes, published, study, 0.5)
    assert sorted(frame["estimand"]) == ["d_ppc2", "hedges_g", "published"]
    assert frame.set_index("estimand")["estimate"].to_dict() == pytest.approx(
        {"hedges_g": -0.5, "d_ppc2": -0.6, "published": -0.7})
    assert set(frame["label"]) == {"Distress, 6 months"}
