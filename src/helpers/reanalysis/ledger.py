"""The trial's claims ledger, ``results/ledger.csv``: one row per published number or claim checked.

The row schema and the proof standard are :mod:`helpers.methods.ledger`'s (re-exported here:
``COLUMNS``, ``VERDICTS``, ``claim_id``, ``builds``, ``in_section``, ``summary``, ``problems``,
...). This module adds what needs the trial and the project's folders: the proof families of a
reanalysis of a paper (its parts checked against each other: the participant flow, the text
against the tables, another publication; :data:`PROOF_FAMILIES`), ``when`` in the words of
``trial.yaml`` (:func:`when_of`), and the ledger's files and page.

``claim_id`` names the published number: ``<file>:<key>:<column>`` for a table cell of the data
folder (the key's fields joined by ``/``, as in ``claims.csv``'s ``refers_to``), the
``claim_id`` of ``claims.csv`` for a number in the text, or the ``statement_id`` of
``statements.csv`` for a sentence. ``made_by`` names the function that made the row
(``helpers.reanalysis.cohort.flow_checks``), ``section`` the heading anchor of the chapter
section that computed it (``participant-flow``), which the notebook gives with
:func:`in_section` when it collects its rows, so the ledger page links each row to it
(:func:`section_link`).

Each notebook records its rows with :func:`record`, which writes the notebook's own fragment,
``results/ledger/<notebook>.csv``; a rerun of a notebook replaces that fragment and no other, so
the ledger never holds a row twice and notebooks running in parallel never write the same file.
The ledger chapter, which runs after them, concatenates the fragments in the order of the
pipeline (``notebooks/params.yaml``) into ``results/ledger.csv`` (:func:`combine`).
"""

from __future__ import annotations

import os
import re

import pandas as pd

from ..methods.ledger import (COLUMNS, FAILED, FILLED, FROM_CONSISTENCY, TIERS, VERDICTS,
                              assign_tiers, builds, other_readings,
                              anchor_of, claim_id, in_section, parse_claim_id, problem_of, problems,
                              row_anchor, section_link, summary, validate)
from ..methods.ledger import PROOF_FAMILIES as ARITHMETIC
from . import markup, results, trial

__all__ = ["COLUMNS", "FILLED", "VERDICTS", "FAILED", "FROM_CONSISTENCY", "ARITHMETIC",
           "REPORT_FAMILIES", "PROOF_FAMILIES", "CHECK_TIERS", "TIERS", "TIER_SHORT", "PAGE_COLUMNS",
           "claim_id",
           "parse_claim_id",
           "problem_of", "builds", "anchor_of", "in_section", "summary", "problems", "row_anchor",
           "section_link", "when_of", "rows", "read", "record", "combine", "describe_problems",
           "by_table", "html_table"]

#: The proof families of a reanalysis of a paper: its parts checked against each other (the
#: participant flow, the doses, the text against the tables, the Methods, another publication),
#: each with what it proves impossible under the assumption its rows state.
REPORT_FAMILIES = {
    "n against participant flow": "an n that differs from the patients alive",
    "flow arithmetic": "stages of the flow that do not add up",
    "deaths against the tables' n": "deaths that differ from the fall in the tables' n",
    "dose arithmetic": "a dose that the radiotherapy schedules cannot give",
    "text against table": "a number of the text that differs from the table cell it restates",
    "text against Table 1": "a number of the text that differs from Table 1",
    "design restated": "a design number of the text that the tables contradict",
    "means within stated range": "means outside the range the Methods state",
    "count of tables' scales": "a number of scales that the tables contradict",
    "reported metric": "means that cannot be scores on the metric the Methods state",
    "statement against tables": "a sentence that the tables contradict under every reading",
    "statement against Methods": "a sentence that describes an arm otherwise than the Methods",
    "text against another publication": "a fact of the trial that another of its publications "
                                        "states otherwise",
}
#: The report families that are not proofs of impossibility, with their tier of proof
#: (:data:`helpers.methods.ledger.TIERS`): two documents, or a sentence and the Methods, that
#: disagree are a discrepancy; a sentence's words against the numbers it cites, an over- or
#: understatement; a number of the text that another cell prints is a discrepancy of readings.
CHECK_TIERS = {
    "text against another publication": "discrepancy",
    "statement against Methods": "discrepancy",
    "statement against tables": "misstatement",
    "text against table": ("proven", "discrepancy"),
}
#: Every check whose rows may be ``inconsistent``: the arithmetic of
#: :data:`helpers.methods.ledger.PROOF_FAMILIES` and :data:`REPORT_FAMILIES`.
PROOF_FAMILIES = {**ARITHMETIC, **REPORT_FAMILIES}
#: The columns of the ledger page's table (:func:`html_table`), the linked ``notebook`` last
#: (``tier`` in words, :data:`TIER_SHORT`; a row's ``possible_if`` follows its assumption);
#: ``problem`` and ``made_by`` are in the claim id's ``title`` (and in the CSV).
PAGE_COLUMNS = ["claim_id", "source", "quantity", "when", "published", "recomputed", "check",
                "verdict", "tier", "assumption", "note", "notebook"]
#: The tiers of proof as the ledger page's narrow column shows them (the glossary defines them).
TIER_SHORT = {"proven": "proven", "assumption": "under an assumption",
              "discrepancy": "discrepancy", "misstatement": "over- or understatement"}
NAME = "ledger"


def when_of(claim: str, study) -> str:
    """The timepoint or contrast a claim id names, in the words of the trial description
    (``trial.yaml``): a contrast's label (``"baseline to 6 months"``) when a field of its key is a
    contrast, else a timepoint's (``"3 months"``); empty when it names neither (a claim of the
    text, a sentence, a claim about every timepoint).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> when_of("effects:BM22/psychosocial_aspects/t0-t3:p", study)
    'baseline to 6 months'
    >>> when_of("items:17/A/t0:mean", study)
    'baseline'
    >>> when_of("outcomes:FA13/mental_fatigue/*/*:mean", study)
    ''
    """
    parsed = parse_claim_id(claim)
    if parsed is None:
        return ""
    fields = parsed[1]
    for field in fields:
        if field in study.contrasts:
            return study.contrast_label(field)
    timepoints = {t.id for t in study.timepoints}
    for field in fields:
        if field in timepoints:
            return study.timepoint_label(field)
    return ""


def rows(frame: pd.DataFrame, notebook: str, study) -> pd.DataFrame:
    """Validate ledger rows against the proof standard (:func:`helpers.methods.ledger.validate`,
    with every family of :data:`PROOF_FAMILIES`) and put them in the ledger's column order;
    ``when`` is derived from each claim id (:func:`when_of`, with the trial ``study``).
    """
    table = validate(frame, notebook, PROOF_FAMILIES, CHECK_TIERS)
    table["when"] = [when_of(claim, study) for claim in table["claim_id"]]
    return table


def read(results_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The whole ledger, ``results/ledger.csv`` (empty, with its columns, when nothing was
    combined yet). A ledger written before the last columns were added (its columns a beginning
    of :data:`COLUMNS`) is read with those columns empty."""
    table = results.read_csv(NAME, results_dir)
    if table.empty and not len(table.columns):
        return pd.DataFrame(columns=COLUMNS)
    if list(table.columns) != COLUMNS[:len(table.columns)] or \
            len(table.columns) <= COLUMNS.index("notebook"):
        raise ValueError(f"{NAME}.csv has columns {list(table.columns)}, expected {COLUMNS}")
    return table.assign(**{c: "" for c in COLUMNS if c not in table.columns})


def record(frame: pd.DataFrame, notebook: str, results_dir: str | os.PathLike,
           data_dir: str | os.PathLike) -> pd.DataFrame:
    """Validate ``frame`` as ``notebook``'s rows (:func:`rows`, ``when`` from the trial of
    ``data_dir``), write them to the notebook's fragment ``results/ledger/<notebook>.csv``
    (replacing what the notebook wrote before, and nothing else) and return them.

    Every row needs ``made_by`` (its builder decorated with :func:`builds`) and ``section``
    (:func:`in_section`). Rows are kept in the order given; :func:`combine` puts the notebooks
    in the pipeline's order.
    """
    new = rows(frame, notebook, trial.load(data_dir))
    for column, remedy in (("made_by", "decorate the function that makes it with ledger.builds"),
                           ("section", "tag it with ledger.in_section(rows, anchor)")):
        blank = new[column].str.strip() == ""
        if blank.any():
            raise ValueError(f"ledger row for {new.loc[blank, 'claim_id'].iloc[0]!r} has no "
                             f"{column}: {remedy}")
    results.write_fragment(new, NAME, notebook, results_dir)
    return new


def combine(results_dir: str | os.PathLike | None, order) -> pd.DataFrame:
    """Concatenate the notebooks' ledger fragments in ``order`` (the pipeline's:
    ``helpers.build.pipeline.notebook_order``) into ``results/ledger.csv`` and return the
    ledger. Rows that one chapter finds impossible under one reading and another chapter finds
    possible under another (same claim, same check) are proven only under their assumption:
    :func:`helpers.methods.ledger.other_readings` names that reading and the tiers are assigned
    again over the whole ledger."""
    table = results.combine(NAME, order, results_dir, COLUMNS)
    table = assign_tiers(other_readings(table), CHECK_TIERS)
    results.write_csv(table, NAME, results_dir)
    return table


def describe_problems(table: pd.DataFrame) -> str:
    """Markdown: the distinct proven problems of a ledger, one line each, linked to the section
    that proves it (links relative to the ledger page)."""
    found = problems(table)
    if found.empty:
        return "No printed number is proven impossible."
    lines = []
    for _, row in found.iterrows():
        what = row["what"]
        shown = what.removesuffix(" ...")
        printed = "" if row["printed"].startswith(shown) else \
            f"printed {row['printed'] if len(row['printed']) <= 60 else row['printed'][:57] + '...'} "
        lines.append(f"- [{markup.text(row['source'])}, {markup.text(what)}]({row['link']}): "
                     f"{markup.text(printed)}({markup.text(row['checks'])}; assuming "
                     f"{markup.text(row['assumption'])})")
    return "\n".join(lines)


def by_table(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by source (a table, a section of the text, another publication) and verdict,
    verdicts as columns in :data:`VERDICTS` order, sources as the paper orders them (tables by
    number first) and a total row.

    Examples
    --------
    >>> demo = pd.DataFrame({"source": ["Table 10", "Table 2", "Table 2", "Methods"],
    ...                      "verdict": ["reproduced", "inconsistent", "reproduced", "consistent"]})
    >>> by_table(demo).to_dict("index")["Table 2"]
    {'reproduced': 1, 'consistent': 0, 'inconsistent': 1, 'total': 2}
    """
    counts = table.groupby(["source", "verdict"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])

    def order(source: str):
        match = re.fullmatch(r"Table (\d+)", str(source))
        return (0, int(match.group(1)), "") if match else (1, 0, str(source))

    counts = counts.loc[sorted(counts.index, key=order)]
    counts["total"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum(axis=0)
    return counts.rename_axis(index=None, columns=None)


def html_table(table: pd.DataFrame) -> str:
    """The ledger as one HTML table for the book's ledger page (filtered and sorted by
    ``_static/ledger.js``), in :data:`PAGE_COLUMNS`; each row's notebook links to the section
    that checked it."""
    from html import escape

    columns = PAGE_COLUMNS
    head = "".join(f'<th class="col-{escape(c)}">{escape(c.replace("_", " "))}</th>'
                   for c in columns)
    body = []
    for _, row in table.iterrows():
        cells = []
        for column in columns:
            text = escape(str(row[column]))
            if column == "verdict":
                text = f'<span class="verdict-{text}">{text}</span>'
            if column == "tier" and str(row[column]) in TIER_SHORT:
                text = f'<span title="{escape(TIERS[str(row[column])])}">' \
                       f'{escape(TIER_SHORT[str(row[column])])}</span>'
            if column == "assumption" and str(row.get("possible_if", "")).strip():
                text += escape(f"; possible if {row['possible_if']}")
            if column == "notebook":
                text = f'<a href="{section_link(row["notebook"], row["section"])}">{text}</a>'
            title = ""
            if column == "claim_id":
                made = f"made by {row['made_by']}" if str(row.get("made_by", "")).strip() else ""
                problem = f"problem {row['problem']}" if str(row.get("problem", "")).strip() \
                    else ""
                title = "; ".join(part for part in (made, problem) if part)
                title = f' title="{escape(title)}"' if title else ""
            cells.append(f'<td class="col-{column}"{title}>{text}</td>')
        anchor = row_anchor(row["claim_id"], row["check"], row["assumption"])
        body.append(f'<tr id="{anchor}" data-verdict="{escape(str(row["verdict"]))}">'
                    + "".join(cells) + "</tr>")
    return (f'<div class="ledger-scroll"><table class="ledger-table" id="ledger-table"><thead>'
            f"<tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
