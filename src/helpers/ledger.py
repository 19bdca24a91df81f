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
