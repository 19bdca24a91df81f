"""The paper's tables and quoted text, annotated with the ledger's verdicts, as HTML.

Each printed cell of Tables 1-5 (as ``data_dir`` transcribes them, grouped by their ``source``
column) is coloured by the verdict of the ledger rows about it, with a symbol beside the colour
so that it reads in black and white. A cell is a ``<details>`` element: a tap, a click or the
Enter key opens its note, which says each check, what it assumes beyond what the table states
once for all its cells (:func:`shared_assumptions`) and its result, each linked to its row of the
ledger page; a pointer resting on the cell shows the same note (its ``title``). A cell that
several rows check shows the most serious verdict (:data:`SEVERITY`). The legend lists every
mark a cell can show (:data:`MARKS`). The quoted sentences and numbers of the text are shown the
same way.

Text from the data (notes, assumptions, row labels) is HTML-escaped, and the identifiers it
carries (``eortc_0_100``, ``higher_at_follow_up``) are put in words (:func:`plain`).

Nothing here names the trial: sources, arms, timepoints, scales and quotes come from the data
folder and its ``trial.yaml``.

Examples
--------
>>> ledger = pd.DataFrame([dict(claim_id="outcomes:S/x/A/t0:mean", check="GRIM",
...     verdict="inconsistent", assumption="integers", note="no mean of 30 integers")])
>>> cell = Cell("5.19", rows_for(index_rows(ledger), "outcomes", ("S", "x", "A", "t0"), ["mean"]))
>>> cell.verdict, SYMBOLS[cell.verdict]
('inconsistent', '✗')
>>> 'title="✗ inconsistent: GRIM (assuming integers); no mean of 30 integers"' in cell.html()
True
>>> '<details class="ann-note"><summary>5.19 <span class="ann-symbol"' in cell.html()
True
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from . import data, ledger, tables

__all__ = ["SEVERITY", "SYMBOLS", "LABELS", "CORRECTED", "MARKS", "MIN_SHARED_CELLS", "Cell",
           "index_rows", "rows_for", "worst", "plain", "clauses", "shared_assumptions",
           "shared_html", "scale_label", "natural_key", "table_sources", "table_grid", "grid_html",
           "annotated_table", "table_anchor", "contents_html", "legend_html", "text_items",
           "text_html", "cell_counts"]

#: Verdicts from the most serious to the least; a cell shows the first of its rows' verdicts.
SEVERITY = ("inconsistent", "not_reproducible", "unverifiable", "consistent", "reproduced")
#: A symbol per verdict, so the annotation reads without colour (print, colour blindness).
SYMBOLS = {"inconsistent": "✗", "not_reproducible": "≠", "unverifiable": "?",
           "consistent": "○", "reproduced": "✓"}
#: What each verdict means, for the legend.
LABELS = {"inconsistent": "inconsistent: impossible under the stated assumption (proven)",
          "not_reproducible": "not reproducible: the named model of the analysis gives another "
                              "value",
          "unverifiable": "unverifiable: the published data cannot decide",
          "consistent": "consistent: possible under the stated assumption",
          "reproduced": "reproduced: recomputed and equal"}
#: The mark between a printed value and its correction (:func:`helpers.reanalysis.tables.shown`
#: writes ``printed → corrected``; a test holds the two together).
CORRECTED = "→"
#: Every mark a cell can show besides its text, with its meaning: the legend is made from this
#: mapping (the verdicts' symbols, then the correction mark), so the two cannot drift apart.
MARKS = {**{SYMBOLS[v]: LABELS[v] for v in SEVERITY},
         CORRECTED: "printed → corrected: the paper prints the first value, a correction listed "
                    "in the ledger puts the second in its place (a typo); the checks test the "
                    "second"}
LEDGER_PAGE = "ledger.html"


def worst(verdicts) -> str:
    """The most serious of ``verdicts`` (:data:`SEVERITY`), ``""`` when there is none.

    Examples
    --------
    >>> worst(["consistent", "unverifiable", "reproduced"]), worst([])
    ('unverifiable', '')
    """
    present = set(verdicts)
    return next((v for v in SEVERITY if v in present), "")


#: A printed metric's identifier (``trial.yaml``: ``metric``, ``scale_metrics``) and its words.
_METRIC = re.compile(r"\b(eortc|sum|item_mean)_(-?\d+(?:\.\d+)?)_(-?\d+(?:\.\d+)?)\b")
_METRIC_WORDS = {"eortc": "EORTC {0}-{1} score", "sum": "sum score {0}-{1}",
                 "item_mean": "mean of items scored {0}-{1}"}
#: An identifier of the data (``higher_at_follow_up``), unless it names a file (``x_y.csv``).
_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b(?!\.[a-z]{2,4}\b)")


def plain(text) -> str:
    """``text`` from the data with its identifiers in words: a metric (``eortc_0_100``,
    ``item_mean_1_4``, ``sum_0_50``) by what it is, any other identifier with spaces for its
    underscores; the names of files stay. Plain text: escape it for HTML after.

    Examples
    --------
    >>> plain("eortc_0_100; the scale has one item count; item_mean_1_4")
    'EORTC 0-100 score; the scale has one item count; mean of items scored 1-4'
    >>> plain("[as written] higher_at_follow_up: item 19 (refers_to; not_checkable.csv)")
    '[as written] higher at follow up: item 19 (refers to; not_checkable.csv)'
    """
    text = _METRIC.sub(lambda m: _METRIC_WORDS[m.group(1)].format(m.group(2), m.group(3)),
                       str(text))
    return _IDENTIFIER.sub(lambda m: m.group(0).replace("_", " "), text)


def clauses(assumption) -> list[str]:
    """An assumption split into its clauses: at each ``;`` or ``,`` outside brackets.

    Examples
    --------
    >>> clauses("sum of 10 items scored 0-5, complete items; n as printed (arms A, B)")
    ['sum of 10 items scored 0-5', 'complete items', 'n as printed (arms A, B)']
    >>> clauses("t-test (any r in [-1, 1]); a t-test stands in"), clauses("")
    (['t-test (any r in [-1, 1])', 'a t-test stands in'], [])
    """
    parts, depth, current = [], 0, ""
    text = str(assumption)
    for i, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if char in ";," and depth <= 0 and text[i + 1:i + 2] in (" ", ""):
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def _ordered_rows(rows: pd.DataFrame) -> list[dict]:
    """A cell's ledger rows, the most serious verdict first (stable otherwise)."""
    if rows.empty:
        return []
    order = {verdict: i for i, verdict in enumerate(SEVERITY)}
    ordered = rows.sort_values("verdict", key=lambda v: v.map(order), kind="stable")
    return ordered.to_dict("records")


@dataclass
class Cell:
    """One printed cell: its text and the ledger rows about it (a data frame, possibly empty).
    ``header`` cells are never coloured; ``span`` is the HTML colspan."""

    text: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    header: bool = False
    span: int = 1
    css: str = ""

    @property
    def verdict(self) -> str:
        return "" if self.header or self.rows.empty else worst(self.rows["verdict"])

    def lines(self, shared: dict | None = None) -> list[dict]:
        """One entry per ledger row, the most serious first: ``verdict``, ``check``, what it
        assumes beyond ``shared`` (``{check: [clause, ...]}``, what the table states once),
        ``note`` and the ``anchor`` of its ledger row; every text in words (:func:`plain`)."""
        shared = shared or {}
        out = []
        for row in _ordered_rows(self.rows):
            check, assumption = str(row["check"]), str(row.get("assumption", "")).strip()
            every = clauses(assumption)
            rest = [c for c in every if c not in shared.get(check, ())]
            tier = str(row.get("tier", "") or "").strip()
            reading = str(row.get("possible_if", "") or "").strip()
            note = plain(str(row.get("note", "")).strip())
            if reading:
                note = f"{note}; possible if {plain(reading)}" if note else \
                    f"possible if {plain(reading)}"
            out.append(dict(verdict=row["verdict"], check=plain(check),
                            tier=ledger.TIERS.get(tier, ""),
                            assumption=plain(assumption if rest == every else "; ".join(rest)),
                            note=note,
                            anchor=ledger.row_anchor(row["claim_id"], row["check"],
                                                     row.get("assumption", ""))))
        return out

    def title(self, shared: dict | None = None) -> str:
        """One line per ledger row: symbol, verdict, check, what it assumes beyond ``shared``
        and its note."""
        return "\n".join(_line(line) for line in self.lines(shared))

    def anchor(self) -> str:
        """The ledger row of the cell's most serious verdict."""
        first = self.rows[self.rows["verdict"] == self.verdict].iloc[0]
        return ledger.row_anchor(first["claim_id"], first["check"], first.get("assumption", ""))

    def html(self, shared: dict | None = None) -> str:
        """The cell as HTML: a ``<details>`` whose summary is the printed text and its verdict's
        symbol, and whose note lists each check linked to its ledger row."""
        tag = "th" if self.header else "td"
        span = f' colspan="{self.span}"' if self.span > 1 else ""
        text = escape(self.text)
        if not self.verdict:
            css = f' class="{self.css}"' if self.css else ""
            return f"<{tag}{span}{css}>{text}</{tag}>"
        classes = " ".join(filter(None, ("ann", f"ann-{self.verdict}", self.css)))
        lines = self.lines(shared)
        note = "".join(
            f'<li><span class="ann-symbol">{SYMBOLS.get(line["verdict"], "")}</span> '
            f'{escape(_words(line["verdict"]))}'
            + (f' ({escape(line["tier"])})' if line.get("tier") else "")
            + f': <a href="{LEDGER_PAGE}#{line["anchor"]}">'
            f'{escape(line["check"])}</a>'
            + (f' (assuming {escape(line["assumption"])})' if line["assumption"] else "")
            + (f'; {escape(line["note"])}' if line["note"] else "") + "</li>"
            for line in lines)
        return (f'<{tag}{span} class="{classes}" title="{escape(self.title(shared))}">'
                f'<details class="ann-note"><summary>{text} '
                f'<span class="ann-symbol" aria-hidden="true">{SYMBOLS[self.verdict]}</span>'
                f'<span class="ann-sr"> {escape(_words(self.verdict))}</span></summary>'
                f'<ul class="ann-detail">{note}</ul></details></{tag}>')


def _words(verdict: str) -> str:
    """A verdict in words: ``not_reproducible`` is ``not reproducible``."""
    return str(verdict).replace("_", " ")


def _line(line: dict) -> str:
    tier = f" ({line['tier']})" if line.get("tier") else ""
    text = f"{SYMBOLS.get(line['verdict'], '')} {_words(line['verdict'])}{tier}: {line['check']}"
    if line["assumption"]:
        text += f" (assuming {line['assumption']})"
    if line["note"]:
        text += f"; {line['note']}"
    return text


#: A check's shared assumption is stated under the table when at least this many cells show
#: the check; a check of one or two cells keeps its whole assumption in their notes.
MIN_SHARED_CELLS = 3


def shared_assumptions(grid: list[list[Cell]]) -> dict[str, list[str]]:
    """What a table assumes once for all its cells: for each check that at least
    :data:`MIN_SHARED_CELLS` cells of ``grid`` show, the clauses (:func:`clauses`) of its
    assumption that every one of its rows there shares, in the order of the first. A cell's note
    then names only what differs.

    Examples
    --------
    >>> rows = pd.DataFrame([dict(claim_id=f"c{i}", check="GRIM", verdict="consistent",
    ...     assumption=f"items scored 1-4; n = {n}", note="") for i, n in enumerate((30, 18, 25))])
    >>> grid = [[Cell("1.5", rows.iloc[[0]]), Cell("2.5", rows.iloc[[1]]),
    ...          Cell("3.5", rows.iloc[[2]])]]
    >>> shared_assumptions(grid)
    {'GRIM': ['items scored 1-4']}
    >>> grid[0][1].title(shared_assumptions(grid))
    '○ consistent: GRIM (assuming n = 18)'
    >>> shared_assumptions([grid[0][:2]])  # two cells: each keeps its whole assumption
    {}
    """
    seen: dict[str, list[list[str]]] = {}
    cells: dict[str, int] = {}
    for row in grid:
        for cell in row:
            if not cell.verdict:
                continue
            for check in set(cell.rows["check"].astype(str)):
                cells[check] = cells.get(check, 0) + 1
            for record in cell.rows.to_dict("records"):
                seen.setdefault(str(record["check"]), []).append(
                    clauses(record.get("assumption", "")))
    shared = {}
    for check, lists in seen.items():
        common = [c for c in dict.fromkeys(lists[0]) if all(c in other for other in lists[1:])]
        if cells[check] >= MIN_SHARED_CELLS and common:
            shared[check] = common
    return shared


def shared_html(shared: dict[str, list[str]], source: str = "") -> str:
    """The assumptions a table states once (:func:`shared_assumptions`), checks that assume the
    same grouped on one line; ``""`` when there are none."""
    if not shared:
        return ""
    groups: dict[tuple, list[str]] = {}
    for check, common in shared.items():
        groups.setdefault(tuple(common), []).append(check)
    items = "".join(f"<li><strong>{escape(', '.join(plain(c) for c in checks))}</strong>: "
                    f"{escape(plain('; '.join(common)))}</li>"
                    for common, checks in groups.items())
    where = escape(source) if source else "this table"
    return (f'<div class="ann-shared"><p>Assumed by each check below wherever it appears in '
            f"{where} (a cell's note adds only what else the check assumes there):</p>"
            f"<ul>{items}</ul></div>")


def index_rows(table: pd.DataFrame) -> dict[str, list[tuple[tuple[str, ...], str, int]]]:
    """The ledger's table claims by file: ``{file: [(key fields, quantity, row position)]}``."""
    index: dict[str, list] = {}
    for position, claim in enumerate(table["claim_id"]):
        parsed = ledger.parse_claim_id(claim)
        if parsed is not None:
            index.setdefault(parsed[0], []).append((parsed[1], parsed[2], position))
    index["__table__"] = table  # type: ignore[assignment]
    return index


def _matches(pattern: tuple[str, ...], key: tuple[str, ...]) -> bool:
    return len(pattern) == len(key) and all(p in ("*", k) for p, k in zip(pattern, key))


def rows_for(index: dict, file: str, key, quantities) -> pd.DataFrame:
    """The ledger rows about the cell ``file``/``key`` printing ``quantities`` (a claim about
    every value of a field, ``*``, counts for each of them).

    Examples
    --------
    >>> table = pd.DataFrame({"claim_id": ["items:17/A/t0:mean", "items:17/*/*:mean",
    ...                                    "items:18/A/t0:mean"], "verdict": ["consistent"] * 3})
    >>> len(rows_for(index_rows(table), "items", ("17", "A", "t0"), ["mean", "sd"]))
    2
    """
    key = tuple(str(k) for k in key)
    wanted = set(quantities)
    positions = [p for fields, quantity, p in index.get(file, [])
                 if quantity in wanted and _matches(fields, key)]
    return index["__table__"].iloc[positions]


#: A scale's name in words (:func:`helpers.reanalysis.tables.scale_label`).
scale_label = tables.scale_label


def natural_key(text: str):
    """Sort key that puts ``Table 2`` before ``Table 10``.

    Examples
    --------
    >>> sorted(["Table 10", "Table 2"], key=natural_key)
    ['Table 2', 'Table 10']
    """
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(text))]


def _tables(data_dir) -> dict[str, pd.DataFrame]:
    return {"baseline": data.load_baseline(data_dir), "outcomes": data.load_outcomes(data_dir),
            "effects": data.load_effects(data_dir), "items": data.load_items(data_dir),
            "item_tests": data.load_item_tests(data_dir)}


def table_sources(data_dir: str | os.PathLike) -> list[str]:
    """The tables the transcription holds (their ``source`` values), in the paper's order."""
    found = set()
    for frame in _tables(data_dir).values():
        if "source" in frame:
            found.update(frame["source"].dropna().astype(str))
    return sorted(found, key=natural_key)


def _header(cells) -> list[Cell]:
    return [Cell(text, header=True, span=span) for text, span in cells]


def _baseline_grid(frame, index, study) -> list[list[Cell]]:
    wide = tables.baseline_table(frame)
    columns = ["n", "percent", "mean", "sd", "median", "min", "max"]
    grid = [_header([("", 1)] + [(study.arm_label(a), 1) for a in study.arm_ids])]
    previous = None
    for (characteristic, level), values in wide.iterrows():
        label = plain(study.characteristic_label(characteristic))
        if level:
            if characteristic != previous:
                grid.append([Cell(label, header=True, span=1 + len(study.arm_ids),
                                  css="ann-group")])
            label = f"   {plain(level)}"
        previous = characteristic
        row = [Cell(label, header=True)]
        for arm in study.arm_ids:
            text = values.get(arm)
            text = "" if pd.isna(text) else str(text)
            row.append(Cell(text, rows_for(index, "baseline", (characteristic, level, arm),
                                           columns)))
        grid.append(row)
    return grid


def _between_header(study, width: int) -> list[tuple[str, int]]:
    """The heading over the between-arm columns: ``between the arms`` in a trial of one
    comparison, else one heading per comparison (``A vs C``), two columns each."""
    if not width:
        return []
    if len(study.comparisons) == 1:
        return [("between the arms", width)]
    return [(f"{c.arm} vs {c.versus}", width // len(study.comparisons))
            for c in study.comparisons]


def _outcome_grid(outcomes, effects, index, study) -> list[list[Cell]]:
    """Scales by timepoint, each arm's n, mean and SD; the between-group p and effect size of
    each contrast on the row of its follow-up, in two columns of their own (the paper prints
    them beneath the scale)."""
    arms, quantities = study.arm_ids, ("n", "mean", "sd")
    scales = list(dict.fromkeys(zip(outcomes["instrument"], outcomes["scale"])))
    order = {(i, s): k for k, (i, s) in enumerate((i, s) for i, values in study.scales.items()
                                                   for s in values)}
    scales.sort(key=lambda pair: order.get(pair, len(order)))
    tested = effects[effects[["instrument", "scale"]].apply(tuple, axis=1).isin(scales)] \
        if not effects.empty else effects
    between = ([(c, q, words) for c in study.comparisons
                for q, words in (("p", "p"), ("effect_size", "effect size"))]
               if len(tested) else [])
    width = len(arms) * len(quantities) + len(between)
    grid = [_header([("", 1)] + [(study.arm_label(a), len(quantities)) for a in arms]
                    + _between_header(study, len(between))),
            _header([("", 1)] + [(q if q != "sd" else "SD", 1) for _ in arms
                                  for q in ("n", "mean", "sd")]
                    + [(words, 1) for _, _, words in between])]
    follow_up = {timepoint: contrast for contrast, timepoint in study.contrasts.items()}
    for instrument, scale in scales:
        grid.append([Cell(scale_label(instrument, scale), header=True, span=1 + width,
                          css="ann-group")])
        mine = outcomes[(outcomes["instrument"] == instrument) & (outcomes["scale"] == scale)]
        printed = mine.assign(**{q: tables.shown(mine, q) for q in quantities})
        tests = tested[(tested["instrument"] == instrument) & (tested["scale"] == scale)]
        if len(tests):
            tests = tests.assign(p=tables.shown(tests, "p"),
                                 effect_size=tables.shown(tests, "effect_size"))
        for timepoint in study.timepoints:
            here = printed[printed["timepoint"] == timepoint.id]
            if here.empty:
                continue
            row = [Cell(timepoint.label, header=True)]
            for arm in arms:
                cell = here[here["arm"] == arm]
                for quantity in quantities:
                    text = "" if cell.empty else str(cell[quantity].iloc[0])
                    row.append(Cell(text, rows_for(index, "outcomes",
                                                   (instrument, scale, arm, timepoint.id),
                                                   [quantity])))
            contrast = follow_up.get(timepoint.id)
            for comparison, quantity, _ in between:
                test = (tests[(tests["contrast"] == contrast)
                              & (tests["arm"] == comparison.arm)
                              & (tests["versus"] == comparison.versus)]
                        if len(tests) and contrast else tests[:0])
                if test.empty:
                    row.append(Cell(""))
                    continue
                key = study.effect_key(instrument, scale, comparison.arm, comparison.versus,
                                       contrast).split("/")
                row.append(Cell(str(test[quantity].iloc[0]),
                                rows_for(index, "effects", key, [quantity]),
                                css="ann-between"))
            grid.append(row)
    return grid


def _item_grid(items, item_tests, index, study) -> list[list[Cell]]:
    timepoints = [t for t in study.timepoints if t.id in set(items["timepoint"])]
    contrasts = [c for c in study.contrasts if c in set(item_tests["contrast"])]
    grid = [_header([("", 1)] + [(study.arm_label(a), len(timepoints)) for a in study.arm_ids]
                    + [("between-group p", len(contrasts))] * bool(contrasts)),
            _header([("item", 1)] + [(t.label, 1) for _ in study.arm_ids for t in timepoints]
                    + [(study.contrast_label(c), 1) for c in contrasts])]
    printed = items.assign(value=tables.shown(items, "mean") + " (" + tables.shown(items, "sd")
                           + ")")
    tests = item_tests.assign(p=tables.shown(item_tests, "p"))
    for item, mine in printed.groupby("item", sort=False):
        row = [Cell(f"{item}. {mine['question'].iloc[0]}", header=True)]
        for arm in study.arm_ids:
            for timepoint in timepoints:
                cell = mine[(mine["arm"] == arm) & (mine["timepoint"] == timepoint.id)]
                text = "" if cell.empty else str(cell["value"].iloc[0])
                row.append(Cell(text, rows_for(index, "items", (item, arm, timepoint.id),
                                               ["mean", "sd"])))
        for contrast in contrasts:
            test = tests[(tests["item"] == item) & (tests["contrast"] == contrast)]
            row.append(Cell("" if test.empty else str(test["p"].iloc[0]),
                            rows_for(index, "item_tests", (item, contrast), ["p"])))
        grid.append(row)
    return grid


def table_grid(source: str, ledger_table: pd.DataFrame, data_dir: str | os.PathLike, study
               ) -> list[list[Cell]]:
    """The printed table ``source`` (``"Table 2"``) as rows of :class:`Cell`, each with its
    ledger rows: baseline characteristics, scale means by timepoint with their tests, or item
    means with their tests, whichever the transcription of ``data_dir`` (the trial ``study``)
    holds for that source."""
    index = index_rows(ledger_table.fillna("").astype(str))
    found = {name: frame[frame["source"].astype(str) == source]
             for name, frame in _tables(data_dir).items()}
    grid: list[list[Cell]] = []
    if not found["baseline"].empty:
        grid += _baseline_grid(found["baseline"], index, study)
    if not found["outcomes"].empty:
        grid += _outcome_grid(found["outcomes"], found["effects"], index, study)
    if not found["items"].empty:
        grid += _item_grid(found["items"], found["item_tests"], index, study)
    return grid


def grid_html(grid: list[list[Cell]], caption: str = "", anchor: str = "",
              shared: dict | None = None) -> str:
    """A grid of cells as an HTML table inside a scrolling container (the page never scrolls
    sideways on a phone, the table does); the cells' notes leave out ``shared``
    (:func:`shared_assumptions`)."""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    head = f"<caption>{escape(caption)}</caption>" if caption else ""
    body = "".join("<tr>" + "".join(cell.html(shared) for cell in row) + "</tr>"
                   for row in grid)
    return (f'<div class="ann-scroll"><table class="ann-table"{ident}>{head}<tbody>{body}'
            "</tbody></table></div>")


def _caption(source: str, study) -> str:
    named = [i.label for i in study.instruments if i.table == source]
    return f"{source}: {', '.join(named)}" if named else source


def table_anchor(source: str) -> str:
    """The HTML id of an annotated table.

    Examples
    --------
    >>> table_anchor("Table 2")
    'annotated-table-2'
    """
    return "annotated-" + re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")


def contents_html(sources) -> str:
    """Links to the annotated tables, one per source."""
    links = " · ".join(f'<a href="#{table_anchor(s)}">{escape(s)}</a>' for s in sources)
    return f'<p class="ann-contents">{links}</p>'


def annotated_table(source: str, ledger_table: pd.DataFrame, data_dir: str | os.PathLike, study
                    ) -> str:
    """HTML of the printed table ``source`` annotated with the ledger's verdicts, followed by
    what its checks assume in every cell (stated once; the cells' notes leave it out)."""
    grid = table_grid(source, ledger_table, data_dir, study)
    shared = shared_assumptions(grid)
    return (grid_html(grid, _caption(source, study), table_anchor(source), shared)
            + shared_html(shared, source))


def cell_counts(grid: list[list[Cell]]) -> dict[str, int]:
    """How many cells of a grid show each verdict (``"not checked"`` for the rest).

    Examples
    --------
    >>> cell_counts([[Cell("x", header=True), Cell("1")]])
    {'not checked': 1}
    """
    counts: dict[str, int] = {}
    for row in grid:
        for cell in row:
            if not cell.header and cell.text:
                key = cell.verdict or "not checked"
                counts[key] = counts.get(key, 0) + 1
    return counts


def legend_html() -> str:
    """The legend, made from :data:`MARKS`: one coloured swatch with its symbol per verdict and
    the uncoloured cell, then every other mark a cell can show."""
    verdict_of = {SYMBOLS[v]: v for v in SEVERITY}
    items = "".join(f'<li><span class="ann ann-{verdict_of[mark]}"><span class="ann-symbol">'
                    f"{escape(mark)}</span></span> {escape(meaning)}</li>"
                    for mark, meaning in MARKS.items() if mark in verdict_of)
    items += ('<li><span class="ann-none">&#8203;</span> no colour, no symbol: not checked</li>')
    others = "".join(f'<li><span class="ann-mark">{escape(mark)}</span> {escape(meaning)}</li>'
                     for mark, meaning in MARKS.items() if mark not in verdict_of)
    others = f'<ul class="ann-legend-marks">{others}</ul>' if others else ""
    return (f'<ul class="ann-legend">{items}</ul>{others}<p class="ann-hint">Tap or click a '
            "coloured cell (or reach it with the Tab key and press Enter) to open its note: "
            "each check, what it assumes besides what is stated under the table, and its "
            "result, each linked to its row of the ledger; tap it again to close it. A cell "
            "checked several ways shows its most serious verdict.</p>")


def text_items(ledger_table: pd.DataFrame, data_dir: str | os.PathLike) -> pd.DataFrame:
    """Every quoted sentence (``statements.csv``) and number of the text (``claims.csv``) with
    its section, quote, most serious verdict, the reason (the first such row's note and
    assumption, or why it cannot be checked from ``not_checkable.csv``) and its ledger anchor.

    Columns: ``id, section, quote, verdict, reason, anchor``; in the order of the files."""
    table = ledger_table.fillna("").astype(str)
    by_claim = {claim: group for claim, group in table.groupby("claim_id", sort=False)}
    statements = data.load_statements(data_dir)
    claims = data.load_claims(data_dir)
    why = dict(zip(*[data.load_not_checkable(data_dir)[c] for c in ("refers_to", "reason")]))
    out = []
    for frame, key in ((statements, "statement_id"), (claims, "claim_id")):
        for record in frame.drop_duplicates(key).to_dict("records"):
            ident = str(record[key])
            group = by_claim.get(ident)
            verdict, reason, anchor = "", "", ""
            if group is not None:
                verdict = worst(group["verdict"])
                first = group[group["verdict"] == verdict].iloc[0]
                reason = "; ".join(part for part in (f"{first['check']}", first["note"],
                                                     f"assuming {first['assumption']}"
                                                     if first["assumption"] else "") if part)
                anchor = ledger.row_anchor(first["claim_id"], first["check"],
                                           first["assumption"])
            else:
                reason = str(why.get(record.get("refers_to", ""), "")) or "not checked"
            out.append(dict(id=ident, section=str(record["section"]), quote=str(record["quote"]),
                            verdict=verdict, reason=reason, anchor=anchor))
    return pd.DataFrame(out, columns=["id", "section", "quote", "verdict", "reason", "anchor"])


def text_html(items: pd.DataFrame, only_checked: bool = False) -> str:
    """The quoted text as a table by section: quote, verdict (colour and symbol, with the reason
    as its ``title``, linked to the ledger row) and the reason in words."""
    rows = []
    for section, group in items.groupby("section", sort=False):
        shown = group[group["verdict"] != ""] if only_checked else group
        if shown.empty:
            continue
        rows.append(f'<tr><th colspan="3" class="ann-group">'
                    f'{escape(plain(section).capitalize())}</th></tr>')
        for record in shown.to_dict("records"):
            verdict = record["verdict"]
            if verdict:
                mark = (f'<td class="ann ann-{verdict}" title="{escape(plain(record["reason"]))}">'
                        f'<a href="{LEDGER_PAGE}#{record["anchor"]}"><span class="ann-symbol">'
                        f"{SYMBOLS[verdict]}</span> {_words(verdict)}</a></td>")
            else:
                mark = "<td>not checked</td>"
            rows.append(f"<tr><td>“{escape(record['quote'])}”</td>{mark}"
                        f"<td>{escape(plain(record['reason']))}</td></tr>")
    head = "<thead><tr><th>the text says</th><th>verdict</th><th>why</th></tr></thead>"
    return (f'<div class="ann-scroll"><table class="ann-table ann-text">{head}<tbody>'
            f"{''.join(rows)}</tbody></table></div>")
