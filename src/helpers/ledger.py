"""The claims ledger, ``results/ledger.csv``: one row per published number or claim checked.

Columns: ``claim_id, source, quantity, published, recomputed, check, verdict, assumption, note,
notebook``. ``claim_id`` names the published number: ``<file>:<key>:<column>`` for a table cell
of ``data/published`` (the key's fields joined by ``/``, as in ``claims.csv``'s ``refers_to``), or
the ``claim_id`` of ``claims.csv`` for a number in the text.

Each notebook records its rows with :func:`record`; a rerun of a notebook replaces that
notebook's rows and leaves the others, so the ledger never holds a row twice. Writing is
serialised with a file lock, so notebooks running in parallel cannot lose each other's rows.
"""

from __future__ import annotations

import os

import pandas as pd

from . import results

COLUMNS = ["claim_id", "source", "quantity", "published", "recomputed", "check", "verdict",
           "assumption", "note", "notebook"]
#: reproduced: recomputed and equal; consistent: possible under the stated assumption;
#: inconsistent: impossible under it (arithmetic shows it); not_reproducible: recomputation from
#: the published data gives another value; unverifiable: the published data cannot decide.
VERDICTS = ("reproduced", "consistent", "inconsistent", "not_reproducible", "unverifiable")
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


def rows(frame: pd.DataFrame, notebook: str) -> pd.DataFrame:
    """Validate ledger rows and put them in the ledger's column order.

    Raises ``ValueError`` naming the problem: a missing column, an unknown verdict, an empty
    claim id or check, or the same (claim_id, check, assumption) twice.
    """
    missing = [c for c in COLUMNS if c not in frame.columns and c != "notebook"]
    if missing:
        raise ValueError(f"ledger rows lack column(s): {', '.join(missing)}")
    table = frame.assign(notebook=notebook)[COLUMNS].copy()
    table = table.fillna("").astype(str)
    unknown = sorted(set(table["verdict"]) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict(s) {unknown}; use one of: {', '.join(VERDICTS)}")
    for column in ("claim_id", "check", "source", "published"):
        if (table[column].str.strip() == "").any():
            first = int((table[column].str.strip() == "").to_numpy().nonzero()[0][0])
            raise ValueError(f"ledger row {first} has an empty {column}")
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
                  ("", "numbers-of-the-text-that-restate-a-table-and-the-rest-of-the-text")],
    "02_scoring": [("scale mean from the item means",
                    "which-scoring-did-the-paper-use-the-psychosocial-aspects-scale-from-its-items"),
                   ("reported metric", "is-each-scale-reported-on-the-metric-the-methods-state"),
                   ("GRIM over item counts", "the-qlq-fa13-which-item-counts-make-each-mean-possible"),
                   ("", "are-the-means-and-sds-possible-under-the-instruments-scoring")],
    "03_primary_endpoint": [("claim against tables", "the-paper-s-claims-about-these-results"),
                            ("", "published-against-recomputed")],
    "04_fatigue": [("claim against tables", "the-paper-s-claims-about-these-results"),
                   ("", "published-against-recomputed")],
    "05_distress": [("claim against tables", "the-paper-s-claims-about-these-results"),
                    ("", "published-against-recomputed")],
    "06_sensitivity": [("", "does-each-finding-survive")],
}


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

    columns = ["claim_id", "source", "quantity", "published", "recomputed", "check", "verdict",
               "assumption", "note", "notebook"]
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
