"""The annotated page (issue 22, item 9): every mark a cell shows is in the legend, each table
states its shared assumptions once and the cells' notes leave them out, a note opens without
hovering (details/summary), text from the data is escaped, and the page shows no code names,
NaN or booleans. On the transcription of the paper and the committed ledger, and on ledgers made
by hand."""

import json
import re
from html import unescape
from html.parser import HTMLParser

import pandas as pd
import pytest

from conftest import PUBLISHED, ROOT
from helpers.reanalysis import annotate, data, ledger, tables, trial

STUDY = trial.load(PUBLISHED)
#: Characters a cell may show without explanation: letters, digits, spaces and the ordinary
#: punctuation of printed numbers (``61.3 (10.1)``, ``80 (70-100)``, ``-0.87``, ``46.7%``).
ORDINARY = re.compile(r"[\w\s.,;:()\-–%/'\"]")
#: A code name: an identifier with an underscore, unless it names a file (``not_checkable.csv``).
IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b(?!\.[a-z]{2,4}\b)")
#: What pandas or Python print where a value is missing or a boolean.
MACHINE = re.compile(r"\b(NaN|nan|NaT|None|True|False|dtype|Unnamed: \d+)\b")


def _row(claim, verdict, check="GRIM", assumption="", note="", source="Table 5"):
    return dict(claim_id=claim, source=source, quantity="q", published="1", recomputed="",
                check=check, verdict=verdict, problem="", assumption=assumption, note=note,
                notebook="05_qscr10", made_by="m", when="", section="s")


class _Faces(HTMLParser):
    """The text a reader sees in the cells of annotated tables before opening any note (the
    summary of a coloured cell, the whole of any other), and every other text and title."""

    def __init__(self):
        super().__init__()
        self.faces, self.texts, self.titles = [], [], []
        self._stack, self._face, self._in_detail = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("title"):
            self.titles.append(attrs["title"])
        if tag in ("td", "th"):
            self._face = []
        if tag == "ul" and "ann-detail" in (attrs.get("class") or ""):
            self._in_detail += 1
        if tag == "span" and "ann-sr" in (attrs.get("class") or ""):
            self._stack.append("sr")
        elif tag not in ("br", "img", "input", "meta", "link"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()
        if tag == "ul" and self._in_detail:
            self._in_detail -= 1
        if tag in ("td", "th") and self._face is not None:
            self.faces.append("".join(self._face).strip())
            self._face = None

    def handle_data(self, text):
        self.texts.append(text)
        if self._face is not None and not self._in_detail and "sr" not in self._stack:
            self._face.append(text)


def _parse(html):
    parser = _Faces()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def published_ledger():
    return ledger.read(ROOT / "results")


@pytest.fixture(scope="module")
def page(published_ledger):
    """The annotated page's HTML as the notebook makes it, from the committed ledger."""
    sources = annotate.table_sources(PUBLISHED)
    return (annotate.legend_html() + annotate.contents_html(sources)
            + "".join(annotate.annotated_table(s, published_ledger, PUBLISHED, STUDY)
                      for s in sources)
            + annotate.text_html(annotate.text_items(published_ledger, PUBLISHED)))


# The legend

def test_every_mark_a_cell_shows_is_in_the_legend(page):
    legend = _parse(annotate.legend_html())
    in_legend = {m for m in annotate.MARKS if any(m in t for t in legend.texts)}
    assert in_legend == set(annotate.MARKS)
    assert sorted([*annotate.SYMBOLS.values(), annotate.CORRECTED]) == sorted(annotate.MARKS)
    # the cells of the tables (the paper's quotes of the text table are its words, not marks;
    # there only the verdict cells count)
    tables_html = page.split('<table class="ann-table ann-text">')[0]
    verdicts = re.findall(r'<td class="ann ann-\w+" title="[^"]*">(.*?)</td>',
                          page.split('<table class="ann-table ann-text">')[1])
    assert verdicts
    faces = _parse(tables_html).faces + [_readable(v) for v in verdicts]
    marks = {char for face in faces for char in face if not ORDINARY.match(char)}
    assert {"✗", "?", "○", "✓", annotate.CORRECTED} <= marks  # the test sees the marks
    assert marks <= set(annotate.MARKS), marks - set(annotate.MARKS)


def test_the_correction_mark_is_the_one_the_tables_write():
    outcomes = data.load_outcomes(PUBLISHED)
    corrected = outcomes[outcomes["corrected"].str.contains("mean")]
    assert len(corrected)
    assert all(annotate.CORRECTED in text for text in tables.shown(corrected, "mean"))
    legend = annotate.legend_html()
    assert legend.count(f'<span class="ann-mark">{annotate.CORRECTED}</span>') == 1
    # the verdicts keep their one line each (coloured swatch), the uncoloured cell its own
    assert legend.split('<ul class="ann-legend-marks">')[0].count("<li>") == len(
        annotate.SEVERITY) + 1


# Shared assumptions

def _distress_ledger(extra=()):
    """GRIM twice (complete items, missing items) on four means of Table 5's distress scale; the
    reported metric on one."""
    rows = []
    for arm, timepoint in (("A", "t0"), ("B", "t0"), ("A", "t2"), ("B", "t3")):
        for items in ("complete items", "missing items allowed (half rule)"):
            rows.append(_row(f"outcomes:QSCR10/distress/{arm}/{timepoint}:mean", "consistent",
                             "GRIM", f"sum of 10 items scored 0-5, {items}", f"grid {arm}"))
    rows.append(_row("outcomes:QSCR10/distress/B/t3:mean", "inconsistent", "reported metric",
                     "Methods: range 0-50, sum score", "above the range"))
    return pd.DataFrame(rows + list(extra))


def test_a_table_states_a_shared_assumption_once_and_the_notes_drop_it():
    html = annotate.annotated_table("Table 5", _distress_ledger(), PUBLISHED, STUDY)
    shared_block = html.split('<div class="ann-shared">')[1]
    # said once, under the table
    assert html.count("sum of 10 items scored 0-5") == 1
    assert "<li><strong>GRIM</strong>: sum of 10 items scored 0-5</li>" in shared_block
    # each note keeps only what differs between the two GRIM rows of a cell
    notes = re.findall(r'<ul class="ann-detail">(.*?)</ul>', html)
    assert len(notes) == 4
    for note in notes:
        assert "GRIM</a> (assuming complete items); grid" in note
        assert "GRIM</a> (assuming missing items allowed (half rule)); grid" in note
    # a check of one cell keeps its whole assumption in that cell
    assert html.count("Methods: range 0-50, sum score") == 2  # the note and the title
    assert "reported metric" not in shared_block


def test_a_check_of_two_cells_keeps_its_assumption_in_each():
    table = _distress_ledger()
    two = table[table["claim_id"].str.contains("/t0:")]
    html = annotate.annotated_table("Table 5", two, PUBLISHED, STUDY)
    assert 'class="ann-shared"' not in html
    assert html.count("sum of 10 items scored 0-5") == 8  # 2 cells x 2 rows x (note, title)


def test_no_assumption_repeats_in_every_note_of_a_check(published_ledger):
    """On the committed ledger: after the shared block, no clause of a check's assumption is in
    every one of its lines in a table (where at least MIN_SHARED_CELLS cells show it); the
    clauses of the shared block are in none of them; the notes are shorter than before."""
    for source in annotate.table_sources(PUBLISHED):
        grid = annotate.table_grid(source, published_ledger, PUBLISHED, STUDY)
        shared = annotate.shared_assumptions(grid)
        cells = [c for row in grid for c in row if c.verdict]
        by_check: dict[str, list[list[str]]] = {}
        count: dict[str, int] = {}
        for cell in cells:
            for check in set(cell.rows["check"]):
                count[check] = count.get(check, 0) + 1
            for line, record in zip(cell.lines(shared), cell.rows.sort_values(
                    "verdict", key=lambda v: v.map(annotate.SEVERITY.index),
                    kind="stable").to_dict("records")):
                kept = annotate.clauses(line["assumption"])
                by_check.setdefault(record["check"], []).append(kept)
                for clause in shared.get(record["check"], ()):
                    assert annotate.plain(clause) not in kept, (source, record["check"], clause)
        for check, lists in by_check.items():
            if count[check] >= annotate.MIN_SHARED_CELLS:
                common = set(lists[0]).intersection(*map(set, lists[1:]))
                assert not common, (source, check, common)
        words = sum(len(c.title(shared).split()) for c in cells)
        before = sum(len(c.title().split()) for c in cells)
        assert words < before, source
        html = annotate.annotated_table(source, published_ledger, PUBLISHED, STUDY)
        assert html.count('<div class="ann-shared">') == (1 if shared else 0)
    # Table 3: the item scale's assumption, once in each of its 36 GRIM and GRIMMER lines
    # before, now once under the table
    html = annotate.annotated_table("Table 3", published_ledger, PUBLISHED, STUDY)
    assert html.count("item scored 1-4") == 1


# A note opens on tap, click or Enter, and data is escaped

def test_every_coloured_cell_is_a_details_with_one_line_per_ledger_row(published_ledger):
    for source in annotate.table_sources(PUBLISHED):
        grid = annotate.table_grid(source, published_ledger, PUBLISHED, STUDY)
        html = annotate.annotated_table(source, published_ledger, PUBLISHED, STUDY)
        cells = [c for row in grid for c in row if c.verdict]
        assert html.count('<details class="ann-note"><summary>') == len(cells) > 0
        assert html.count("<li><span class=\"ann-symbol\">") == sum(len(c.rows) for c in cells)


PAYLOADS = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '" onmouseover="x']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_from_the_ledger_is_escaped_in_notes_titles_and_the_shared_block(payload):
    table = pd.DataFrame([
        _row(f"outcomes:QSCR10/distress/{a}/{t}:mean", "inconsistent", f"GRIM {payload}",
             f"{payload}; n {a}{t}", payload) for a in "AB" for t in ("t0", "t2")])
    html = annotate.annotated_table("Table 5", table, PUBLISHED, STUDY)
    parser = _parse(html)
    assert "<script" not in html and "<img" not in html
    assert all(payload in title for title in parser.titles)  # one attribute, whole
    assert html.count('<div class="ann-shared">') == 1
    items = pd.DataFrame([dict(id="x", section="results", quote=payload, verdict="inconsistent",
                               reason=payload, anchor="row-1")])
    text = annotate.text_html(items)
    assert "<script" not in text and "<img" not in text


def test_plain_puts_identifiers_in_words():
    assert annotate.plain("eortc_0_100; sum_0_50; item_mean_1_4") == \
        "EORTC 0-100 score; sum score 0-50; mean of items scored 1-4"
    assert annotate.plain("thoracic_and_lumbar, primary_site levels") == \
        "thoracic and lumbar, primary site levels"
    assert annotate.plain("see not_checkable.csv and trial.yaml") == \
        "see not_checkable.csv and trial.yaml"


# The page a reader sees

def _readable(html):
    parser = _parse(html)
    return unescape(" ".join(parser.texts + parser.titles))


def test_the_page_shows_no_code_names_nan_or_booleans(page):
    text = _readable(page)
    assert not IDENTIFIER.findall(text), sorted(set(IDENTIFIER.findall(text)))
    assert not MACHINE.findall(text), sorted(set(MACHINE.findall(text)))


def test_the_committed_page_shows_no_code_names_nan_or_booleans():
    """The executed notebook the book is built from: its Markdown (roles left out) and every
    output a reader sees; no plain-text output (a data frame's repr) at all."""
    notebook = json.loads((ROOT / "book" / "notebooks" / "annotated.ipynb").read_text("utf-8"))
    shown = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            shown.append(re.sub(r"\{[\w:]+\}`[^`]*`", "", "".join(cell["source"])))
        for output in cell.get("outputs", []):
            bundle = output.get("data", {})
            assert output.get("output_type") != "stream", output
            if "text/html" in bundle:
                shown.append(_readable("".join(bundle["text/html"])))
            else:
                assert "text/plain" not in bundle or not bundle["text/plain"], bundle
    text = " ".join(shown)
    assert "ann-legend-marks" not in text and 'class="ann-note"' not in text  # parsed
    assert not IDENTIFIER.findall(text), sorted(set(IDENTIFIER.findall(text)))
    assert not MACHINE.findall(text), sorted(set(MACHINE.findall(text)))
    html = "".join("".join(o.get("data", {}).get("text/html", ""))
                   for c in notebook["cells"] for o in c.get("outputs", []))
    assert html.count('<div class="ann-shared">') >= 1
    assert html.count(f'<span class="ann-mark">{annotate.CORRECTED}</span>') == 1
