"""Machine-readable results (``results/``), written so that a rebuild gives the same bytes.

CSV only, UTF-8, ``\\n`` line endings, no index, columns in the order given, floats in Python's
shortest round-trip form. Files are written to a temporary name and moved into place, so a failed
run never leaves half a file.

A table that several notebooks contribute to (the ledger, the effect sizes) is written in
fragments: each notebook writes its own part, ``<results_dir>/<name>/<notebook>.csv``
(:func:`write_fragment`; a rerun replaces that file and no other), and one step that runs after
them all concatenates the fragments in a fixed order into ``<results_dir>/<name>.csv``
(:func:`combine`). No file is written by two notebooks, so nothing needs a lock, and the combined
file does not depend on which notebook ran last.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from . import paths

__all__ = ["write_csv", "read_csv", "fragment_dir", "write_fragment", "combine"]


def write_csv(table: pd.DataFrame, name: str, results_dir: str | os.PathLike | None = None
              ) -> Path:
    """Write ``table`` to ``<results_dir>/<name>.csv`` and return the path.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_csv(pd.DataFrame({"x": [0.1, 2.0]}), "demo", folder).read_text()
    'x\\n0.1\\n2.0\\n'
    """
    if not name or any(c in name for c in "/\\") or name.endswith(".csv"):
        raise ValueError(f"name {name!r} must be a bare file name without '.csv'")
    folder = paths.results_dir(results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            table.to_csv(stream, index=False, lineterminator="\n")
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results are for everyone
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read_csv(name: str, results_dir: str | os.PathLike | None = None,
             columns: list[str] | None = None) -> pd.DataFrame:
    """A results table as text (every column a string), empty with ``columns`` if absent."""
    path = paths.results_dir(results_dir) / f"{name}.csv"
    if not path.is_file():
        return pd.DataFrame(columns=columns or [])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if columns is not None and list(table.columns) != list(columns):
        raise ValueError(f"{path} has columns {list(table.columns)}, expected {columns}")
    return table


def fragment_dir(name: str, results_dir: str | os.PathLike | None = None) -> Path:
    """The folder of ``<name>.csv``'s fragments: ``<results_dir>/<name>/``."""
    _check_name(name)
    return paths.results_dir(results_dir) / name


def write_fragment(table: pd.DataFrame, name: str, owner: str,
                   results_dir: str | os.PathLike | None = None) -> Path:
    """Write ``owner``'s part of ``<name>.csv`` to ``<results_dir>/<name>/<owner>.csv``, replacing
    what ``owner`` wrote before, and return the path. Cells are written as text (missing values
    empty), as :func:`combine` reads them back.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> frame = pd.DataFrame({"x": [0.5, None], "y": ["a", "b"]})
    >>> write_fragment(frame, "demo", "01_a", folder).read_text()
    'x,y\\n0.5,a\\n,b\\n'
    """
    _check_name(owner)
    text = table.astype(str).replace("nan", "")
    return write_csv(text, owner, fragment_dir(name, results_dir))


def combine(name: str, order, results_dir: str | os.PathLike | None = None,
            columns: list[str] | None = None) -> pd.DataFrame:
    """Concatenate the fragments of ``<name>.csv`` in ``order`` (owners without a fragment are
    skipped), write ``<results_dir>/<name>.csv`` and return it. Rows keep the order each fragment
    gives.

    Raises ``ValueError`` for a fragment of an owner not in ``order`` (a notebook renamed or
    removed: delete its fragment), or for fragments whose columns differ from ``columns`` (or
    from each other).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_fragment(pd.DataFrame({"x": [2]}), "demo", "02_b", folder)
    >>> _ = write_fragment(pd.DataFrame({"x": [1]}), "demo", "01_a", folder)
    >>> combine("demo", ["01_a", "02_b", "03_c"], folder)["x"].tolist()
    ['1', '2']
    """
    order = list(order)
    folder = fragment_dir(name, results_dir)
    present = {p.stem: p for p in folder.glob("*.csv")} if folder.is_dir() else {}
    stray = sorted(set(present) - set(order))
    if stray:
        raise ValueError(f"{folder}: fragment(s) of {', '.join(stray)}, which is not among "
                         f"{', '.join(order)}; delete what a renamed or removed notebook left")
    parts = []
    for owner in order:
        if owner not in present:
            continue
        part = pd.read_csv(present[owner], dtype=str, keep_default_na=False)
        expected = columns if columns is not None else (list(parts[0].columns) if parts else None)
        if expected is not None and list(part.columns) != list(expected):
            raise ValueError(f"{present[owner]} has columns {list(part.columns)}, expected "
                             f"{list(expected)}")
        parts.append(part)
    if parts:
        table = pd.concat(parts, ignore_index=True)
    else:
        table = pd.DataFrame(columns=columns or [])
    write_csv(table, name, results_dir)
    return table


def _check_name(name: str) -> None:
    if not name or any(c in name for c in "/\\") or name.endswith(".csv") or name[0] == ".":
        raise ValueError(f"name {name!r} must be a bare file name without '.csv'")
