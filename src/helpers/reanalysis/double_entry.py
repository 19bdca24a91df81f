"""Double data entry: compare two independent transcriptions and check the resolved one.

Clinical data managers enter a case report form twice, by two people working separately, compare
the entries by program and resolve every difference against the source document. This module is
that program for the transcription of a paper (``DATA_DIR/double_entry``):

- :func:`compare` lists every cell on which ``entry_1`` and ``entry_2`` differ (tables are matched
  on their primary keys; claims, whose identifiers each entry numbers itself, on the k-th
  occurrence of a value in a section);
- :func:`check_resolved` checks that every difference has a resolution in ``resolutions.csv``
  and that the data folder holds the resolved value, and every agreed value unchanged.

No library does this for CSV files keyed by a schema, hence the code. Run
``python -m helpers.reanalysis.double_entry --data-dir data/published`` for the report.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from . import data, paths

__all__ = ["DIFFERENCE_COLUMNS", "MISSING", "PRESENT", "QUANTITY_NAME", "claim_keys", "cells",
           "compare", "check_resolved", "main"]

DIFFERENCE_COLUMNS = ["file", "key", "column", "entry_1", "entry_2"]
MISSING = "<missing row>"
PRESENT = "present"
QUANTITY_NAME = "<quantity name>"


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing")
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)


def claim_keys(claims: pd.DataFrame) -> pd.Series:
    """Align claims across entries: ``section/value#k`` for the k-th such number of a section.

    Each entry numbers its claims itself, so identifiers cannot be matched; the k-th printed
    ``0.081`` of the results section can.

    Examples
    --------
    >>> claims = pd.DataFrame({"section": ["results", "results"], "value": ["0.081", "0.081"]})
    >>> claim_keys(claims).tolist()
    ['results/0.081#0', 'results/0.081#1']
    """
    occurrence = claims.groupby(["section", "value"]).cumcount().astype(str)
    return claims["section"] + data.KEY_SEPARATOR + claims["value"] + "#" + occurrence


def cells(folder: str | os.PathLike, name: str, data_dir: str | os.PathLike) -> pd.DataFrame:
    """The compared cells of one transcription file, long form: ``key, column, value``.

    Tables give every cell (``related`` without its ``quote``, each entrant's own stretch of the
    source, which a test finds verbatim there). A claim gives a ``row`` cell (it was found) and its
    ``refers_to`` where that names a table cell; a free quantity name counts as
    :data:`QUANTITY_NAME`, since quotes and names are each entrant's own wording.
    """
    table = _read(paths.resolve(folder), name)
    if name == "related":  # the quote is each entrant's own stretch of the source (a test finds
        table = table.drop(columns="quote")  # it verbatim there); the value is compared
    if name == "claims":
        refers_to = table["refers_to"].where(_is_table_reference(table["refers_to"]),
                                             QUANTITY_NAME)
        table = pd.DataFrame({"key": claim_keys(table), "row": PRESENT, "refers_to": refers_to})
    else:
        keys = data.key_columns(name, data_dir)
        table = table.assign(key=[data.row_key(r, keys) for _, r in table.iterrows()])
        table = table.drop(columns=keys)
    long = table.melt(id_vars="key", var_name="column", value_name="cell")
    return long.rename(columns={"cell": "value"})[["key", "column", "value"]]


def _is_table_reference(text: pd.Series) -> pd.Series:
    return text.str.contains(":", regex=False)


def compare(entry_1: str | os.PathLike, entry_2: str | os.PathLike,
            data_dir: str | os.PathLike) -> pd.DataFrame:
    """Every difference between two entries, one row per cell.

    Parameters
    ----------
    entry_1, entry_2 : path-like
        Folders holding the same CSV files as ``data/published`` (the case report forms filled in).
    data_dir : path-like
        Folder whose ``datapackage.json`` gives the primary keys.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, key, column, entry_1, entry_2``. Table cells are matched on the primary
        key; a row present in one entry only shows ``<missing row>`` on the other side. Claims
        are matched with :func:`claim_keys` and compared as :func:`cells` says.
    """
    rows = []
    for name in data.TABLES:
        merged = cells(entry_1, name, data_dir).merge(
            cells(entry_2, name, data_dir), on=["key", "column"], how="outer",
            suffixes=("_1", "_2"), sort=False).fillna(MISSING)
        differs = merged["value_1"] != merged["value_2"]
        if name == "claims":  # a claim found by one entry only is one difference: its row
            missing = (merged["value_1"] == MISSING) | (merged["value_2"] == MISSING)
            differs &= ~missing | (merged["column"] == "row")
        for _, row in merged[differs].iterrows():
            rows.append([name, row["key"], row["column"], row["value_1"], row["value_2"]])
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


def check_resolved(entry_1: str | os.PathLike, entry_2: str | os.PathLike,
                   resolutions: str | os.PathLike, data_dir: str | os.PathLike
                   ) -> list[str]:
    """Problems of the resolved transcription; an empty list when it is sound.

    Every difference must have one row in ``resolutions`` (same ``file, key, column, entry_1,
    entry_2``), and ``resolutions`` must resolve no difference that does not exist. The
    transcription in ``data_dir`` must then equal ``entry_1`` cell for cell, except where a
    resolution says otherwise (its ``resolved`` value; for a claim's ``row``, the value
    ``<missing row>`` drops the claim and ``present`` keeps it).
    """
    differences = compare(entry_1, entry_2, data_dir)
    resolved = pd.read_csv(paths.resolve(resolutions), dtype=str, keep_default_na=False)
    index = ["file", "key", "column"]
    problems = []
    joined = differences.merge(resolved, on=index, how="outer", suffixes=("", "_res"),
                               indicator=True)
    for _, row in joined.iterrows():
        where = f"{row['file']} {row['key']} {row['column']}"
        if row["_merge"] == "left_only":
            problems.append(f"unresolved difference: {where}: "
                            f"entry_1 {row['entry_1']!r}, entry_2 {row['entry_2']!r}")
        elif row["_merge"] == "right_only":
            problems.append(f"resolution of a difference the entries do not have: {where}")
        elif (row["entry_1"], row["entry_2"]) != (row["entry_1_res"], row["entry_2_res"]):
            problems.append(f"resolution out of date: {where}: entries now read "
                            f"{row['entry_1']!r} and {row['entry_2']!r}")

    final_dir = paths.data_dir(data_dir)
    for name in data.TABLES:
        expected = cells(entry_1, name, data_dir)
        fixes = resolved[resolved["file"] == name]
        expected = expected.merge(fixes[["key", "column", "resolved"]], on=["key", "column"],
                                  how="left")
        expected["value"] = expected["resolved"].fillna(expected["value"])
        expected = expected[expected["value"] != MISSING].drop(columns="resolved")
        if name == "claims":  # a claim dropped by a resolution takes its refers_to with it
            expected = expected[expected["key"].isin(expected.query("column == 'row'")["key"])]
        both = expected.merge(cells(final_dir, name, data_dir), on=["key", "column"],
                              how="outer", suffixes=("_expected", "_actual")).fillna(MISSING)
        for _, row in both[both["value_expected"] != both["value_actual"]].iterrows():
            problems.append(f"{name}.csv {row['key']} {row['column']}: the published "
                            f"transcription has {row['value_actual']!r}, the entries as "
                            f"resolved give {row['value_expected']!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.reanalysis.double_entry",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True,
                        help="the data folder (the resolved transcription), e.g. data/published")
    parser.add_argument("--entry-1", help="default: DATA_DIR/double_entry/entry_1")
    parser.add_argument("--entry-2", help="default: DATA_DIR/double_entry/entry_2")
    parser.add_argument("--resolutions", help="default: DATA_DIR/double_entry/resolutions.csv")
    args = parser.parse_args(argv)
    folder = f"{args.data_dir}/double_entry"
    args.entry_1 = args.entry_1 or f"{folder}/entry_1"
    args.entry_2 = args.entry_2 or f"{folder}/entry_2"
    args.resolutions = args.resolutions or f"{folder}/resolutions.csv"
    differences = compare(args.entry_1, args.entry_2, args.data_dir)
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(differences.to_string(index=False) if len(differences) else "(no differences)")
    by_file = differences.groupby("file").size().to_dict()
    print(f"\n{len(differences)} difference(s) between the two entries: {by_file}")
    if not paths.resolve(args.resolutions).is_file():
        print(f"{args.resolutions} does not exist yet: nothing resolved")
        return 1
    problems = check_resolved(args.entry_1, args.entry_2, args.resolutions, args.data_dir)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("resolved transcription: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
