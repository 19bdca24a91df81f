"""The claims ledger, ``results/ledger.csv``: one row per published number or claim checked.

Columns: ``claim_id, source, quantity, published, recomputed, check, verdict, problem, assumption,
note, notebook``. ``claim_id`` names the published number: ``<file>:<key>:<column>`` for a table
cell of ``data/published`` (the key's fields joined by ``/``, as in ``claims.csv``'s
``refers_to``), the ``claim_id`` of ``claims.csv`` for a number in the text, or the
``statement_id`` of ``statements.csv`` for a sentence.

The verdict model has a proof standard:

- ``inconsistent`` means that arithmetic proves the printed number impossible under the row's
  stated ``assumption`` about the data (integer responses, an item count, the n of the flow, a
  rounding rule). Only the checks of :data:`PROOF_FAMILIES` may give it, and only with an
  assumption; :func:`rows` refuses anything else.
- What depends on a model of the analysis (which test, which effect-size definition, which r) is
  ``reproduced``, ``consistent`` or ``not_reproducible`` with the model named in ``assumption``,
  or ``unverifiable`` when no model is identified.
- Robustness (multiplicity, attrition, priors) says nothing about whether a printed number is
  possible: it is not in the ledger (``results/sensitivity.csv`` has it, in its own words).

``problem`` groups the ``inconsistent`` rows that are one error of the paper (:func:`problem_of`):
the rows of one table cell (its n, mean and SD; a GRIMMER row adds nothing to an impossible mean),
of one row of Table 1 (a mean below its own minimum and the impossible minimum), or of one quoted
stretch of text (both ends of an impossible range). It is empty on every other row.

Each notebook records its rows with :func:`record`; a rerun of a notebook replaces that
notebook's rows and leaves the others, so the ledger never holds a row twice. Writing is
serialised with a file lock, so notebooks running in parallel cannot lose each other's rows.
"""

from __future__ import annotations

import os

import pandas as pd

from . import results

__all__ = ["COLUMNS", "VERDICTS", "PROOF_FAMILIES", "FROM_CONSISTENCY", "cell_id", "problem_of",
           "rows", "read", "record", "summary", "problems", "describe_problems", "section_link",
           "html_table"]

COLUMNS = ["claim_id", "source", "quantity", "published", "recomputed", "check", "verdict",
           "problem", "assumption", "note", "notebook"]
#: reproduced: recomputed and equal; consistent: possible under the stated assumption;
#: inconsistent: impossible under it (arithmetic proves it; proof families only);
#: not_reproducible: recomputation under the named model gives another value; unverifiable: the
#: published data cannot decide, or no model is identified.
VERDICTS = ("reproduced", "consistent", "inconsistent", "not_reproducible", "unverifiable")
#: The proof families: the only checks whose rows may be ``inconsistent``, each with what it
#: proves impossible (under the assumption its rows state).
PROOF_FAMILIES = {
    "GRIM": "a mean that no n values on the scale's grid give",
    "GRIMMER": "an SD that no n values on the scale's grid with that mean give",
    "DEBIT": "an SD of binary data that no count out of n gives",
    "GRIM over item counts": "a mean that no item count of the scale makes possible",
    "GRIM jointly over a scale's means": "means of one scale that no single item count makes "
                                         "possible together",
    "percentage": "a percentage that no rounding of its count over its total gives",
    "counts add up": "counts of exclusive levels that do not add to their total",
    "count within arm": "a count larger than its arm",
    "range and scale": "a value off its scale, outside its range or below an inclusion criterion",
    "mean within range": "a mean outside its own printed range",
    "mean within bounds from counts": "a mean that the counts of its levels cannot give",
    "minimum from counts": "a minimum that the counts of its levels contradict",
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
#: The verdicts of helpers.consistency, as ledger verdicts.
FROM_CONSISTENCY = {"consistent": "consistent", "inconsistent": "inconsistent",
                    "unverifiable": "unverifiable"}
NAME = "ledger"


def cell_id(file: str, key: str, column: str) -> str:
    """The claim id of a table cell, e.g. ``outcomes:BM22/painful_sites/A/t0:mean``.

    Examples
    --------
    >>> cell_id("baseline", "age//A", "mean")
    'baseline:age//A:mean'
    """
    return f"{file}:{key}:{column}"


def problem_of(claim_id: str) -> str:
    """The problem a row about ``claim_id`` belongs to when it is ``inconsistent``: the table cell
    without its column (so an n, its mean and its SD are one problem), otherwise the claim itself.

    Text claims that quote one stretch of text (both ends of a range) are grouped by their
    builder, which knows the quotes (``helpers.cohort``).

    Examples
    --------
    >>> problem_of("outcomes:BM22/psychosocial_aspects/B/t2:sd")
    'outcomes:BM22/psychosocial_aspects/B/t2'
    >>> problem_of("results-22")
    'results-22'
    """
    parts = str(claim_id).split(":")
    return ":".join(parts[:2]) if len(parts) == 3 else str(claim_id)


def rows(frame: pd.DataFrame, notebook: str) -> pd.DataFrame:
    """Validate ledger rows and put them in the ledger's column order.

    ``problem`` may be absent; an ``inconsistent`` row without one gets :func:`problem_of` its
    claim, and every other row an empty one.

    Raises ``ValueError`` naming the problem: a missing column, an unknown verdict, an empty
    claim id or check, the same (claim_id, check, assumption) twice, or an ``inconsistent`` row
    outside the :data:`PROOF_FAMILIES` or without its assumption.
    """
    missing = [c for c in COLUMNS if c not in frame.columns and c not in ("notebook", "problem")]
    if missing:
        raise ValueError(f"ledger rows lack column(s): {', '.join(missing)}")
    frame = frame if "problem" in frame.columns else frame.assign(problem="")
    table = frame.assign(notebook=notebook)[COLUMNS].copy()
    table = table.fillna("").astype(str)
    unknown = sorted(set(table["verdict"]) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict(s) {unknown}; use one of: {', '.join(VERDICTS)}")
    for column in ("claim_id", "check", "source", "published"):
        if (table[column].str.strip() == "").any():
            first = int((table[column].str.strip() == "").to_numpy().nonzero()[0][0])
            raise ValueError(f"ledger row {first} has an empty {column}")
    proven = table["verdict"] == "inconsistent"
    outside = proven & ~table["check"].isin(PROOF_FAMILIES)
    if outside.any():
        row = table[outside].iloc[0]
        raise ValueError(f"ledger row for {row['claim_id']!r} is inconsistent by check "
                         f"{row['check']!r}, which is not a proof family (ledger.PROOF_FAMILIES): "
                         "a model-dependent check is consistent, not_reproducible or "
                         "unverifiable")
    bare = proven & (table["assumption"].str.strip() == "")
    if bare.any():
        row = table[bare].iloc[0]
        raise ValueError(f"ledger row for {row['claim_id']!r} is inconsistent without an "
                         "assumption: a proof needs the assumption it rests on")
    table["problem"] = table["problem"].where(proven, "")
    table.loc[proven & (table["problem"] == ""), "problem"] = \
        table.loc[proven & (table["problem"] == ""), "claim_id"].map(problem_of)
    duplicated = table.duplicated(["claim_id", "check", "assumption"], keep=False)
    if duplicated.any():
        twice = table.loc[duplicated, ["claim_id", "check", "assumption"]].iloc[0].tolist()
        raise ValueError(f"ledger row recorded twice: claim {twice[0]!r}, check {twice[1]!r}, "
                         f"assumption {twice[2]!r}")
    return table.reset_index(drop=True)


def read(results_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The whole ledger (empty, with its columns, when nothing was recorded yet)."""
    return results.read_csv(NAME, results_dir, COLUMNS)


def record(frame: pd.DataFrame, notebook: str,
           results_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Replace ``notebook``'s rows of the ledger with ``frame`` and return the notebook's rows.

    Rows are kept in the order given; notebooks appear in name order, so the file does not depend
    on which notebook ran last.
    """
    new = rows(frame, notebook)
    results.replace_rows(new, NAME, "notebook", notebook, results_dir)
    return new


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and verdict, verdicts as columns."""
    counts = table.groupby(["check", "verdict"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])


def problems(table: pd.DataFrame) -> pd.DataFrame:
    """The distinct proven problems of a ledger: one row per ``problem``, in ledger order, with
    ``source`` (where it is printed), ``what`` (the first row's quantity), ``printed`` (the
    printed values), ``checks`` (the proofs), ``rows`` (how many ledger rows prove it),
    ``assumption`` and ``note`` of its first row, and ``link`` (its section, from the ledger page).

    Examples
    --------
    >>> ledger = pd.DataFrame([dict(claim_id="t:k:mean", source="Table 2", quantity="mean",
    ...     published="5.19", recomputed="", check="GRIM", verdict="inconsistent", problem="t:k",
    ...     assumption="integers", note="", notebook="01_cohort")])
    >>> problems(ledger)[["problem", "checks", "rows"]].values.tolist()
    [['t:k', 'GRIM', 1]]
    """
    proven = table[table["verdict"] == "inconsistent"]
    out = []
    for problem, group in proven.groupby("problem", sort=False):
        first = group.iloc[0]
        out.append(dict(
            problem=problem, source=first["source"], what=first["quantity"],
            printed=", ".join(dict.fromkeys(group["published"])),
            checks=", ".join(dict.fromkeys(group["check"])), rows=len(group),
            assumption=first["assumption"], note=first["note"],
            link=section_link(first["notebook"], first["check"])))
    return pd.DataFrame(out, columns=["problem", "source", "what", "printed", "checks", "rows",
                                      "assumption", "note", "link"])


#: Where each notebook checks what: (notebook, check prefix) -> section anchor of its page.
SECTIONS = {
    "01_cohort": [("n against participant flow", "participant-flow"),
                  ("flow arithmetic", "participant-flow"),
                  ("deaths", "participant-flow"), ("test from counts", "participant-flow"),
                  ("text against Table 1", "table-1-counts-percentages-means-and-ranges"),
                  ("percentage", "table-1-counts-percentages-means-and-ranges"),
                  ("counts add up", "table-1-counts-percentages-means-and-ranges"),
                  ("count within arm", "table-1-counts-percentages-means-and-ranges"),
                  ("range and scale", "table-1-counts-percentages-means-and-ranges"),
                  ("mean within", "table-1-counts-percentages-means-and-ranges"),
                  ("minimum from counts", "table-1-counts-percentages-means-and-ranges"),
                  ("schedule definition", "radiotherapy"), ("dose arithmetic", "radiotherapy"),
                  ("power calculation", "sample-size"),
                  ("GRIM", "tables-2-5-are-the-means-and-sds-possible"),
                  ("text against table",
                   "numbers-of-the-text-that-restate-a-table-and-the-rest-of-the-text"),
                  ("text against another publication", "the-trial-s-other-publications"),
                  ("statement against", "sentences-about-several-instruments-or-the-arms"),
                  ("", "numbers-of-the-text-that-restate-a-table-and-the-rest-of-the-text")],
    "02_scoring": [("GRIM jointly", "the-qlq-fa13-which-item-counts-make-each-mean-possible"),
                   ("scale mean from the item means",
                    "which-scoring-did-the-paper-use-the-psychosocial-aspects-scale-from-its-items"),
                   ("reported metric", "is-each-scale-reported-on-the-metric-the-methods-state"),
                   ("GRIM over item counts", "the-qlq-fa13-which-item-counts-make-each-mean-possible"),
                   ("", "are-the-means-and-sds-possible-under-the-instruments-scoring")],
    "03_primary_endpoint": [("statement against", "the-paper-s-claims-about-these-results"),
                            ("", "published-against-recomputed")],
    "04_fatigue": [("statement against", "the-paper-s-claims-about-these-results"),
                   ("", "published-against-recomputed")],
    "05_distress": [("statement against", "the-paper-s-claims-about-these-results"),
                    ("", "published-against-recomputed")],
}


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
        lines.append(f"- [{row['source']}, {what}]({row['link']}): {printed}"
                     f"({row['checks']}; assuming {row['assumption']})")
    return "\n".join(lines)


def section_link(notebook: str, check: str) -> str:
    """Relative link from the ledger page to the section of ``notebook`` that made ``check``.

    Examples
    --------
    >>> section_link("01_cohort", "dose arithmetic")
    '01_cohort.html#radiotherapy'
    """
    for prefix, anchor in SECTIONS.get(notebook, []):
        if check.startswith(prefix):
            return f"{notebook}.html#{anchor}"
    return f"{notebook}.html"


def html_table(table: pd.DataFrame) -> str:
    """The ledger as one HTML table for the book's ledger page (filtered and sorted by
    ``_static/ledger.js``); each row links to the section that checked it."""
    from html import escape

    columns = COLUMNS
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for _, row in table.iterrows():
        cells = []
        for column in columns:
            text = escape(str(row[column]))
            if column == "verdict":
                text = f'<span class="verdict-{text}">{text}</span>'
            if column == "notebook":
                text = f'<a href="{section_link(row["notebook"], row["check"])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="ledger-table" id="ledger-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
