"""Machine-readable results (``results/``), written so that a rebuild gives the same bytes.

CSV only, UTF-8, ``\\n`` line endings, no index, columns in the order given, floats in Python's
shortest round-trip form. Files are written to a temporary name and moved into place, so a failed
run never leaves half a file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import paths


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


@contextmanager
def locked(folder: Path, name: str):
    """An exclusive lock on ``<folder>/.<name>.lock`` (notebooks may run in parallel)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def replace_rows(frame: pd.DataFrame, name: str, owner_column: str, owners,
                 results_dir: str | os.PathLike | None = None,
                 order: list[str] | None = None) -> pd.DataFrame:
    """Replace the rows of ``<name>.csv`` whose ``owner_column`` is in ``owners`` with ``frame``
    and write the file; rows of other owners stay. Owners are kept in ``order`` (or sorted), rows
    within an owner in the order given, so the file does not depend on which notebook ran last.
    """
    owners = {owners} if isinstance(owners, str) else set(owners)
    stray = set(frame[owner_column].astype(str)) - owners
    if stray:
        raise ValueError(f"rows for {sorted(stray)} given, but only {sorted(owners)} replaced")
    folder = paths.results_dir(results_dir)
    with locked(folder, name):
        kept = read_csv(name, results_dir, list(frame.columns))
        kept = kept[~kept[owner_column].isin(owners)]
        new = frame.astype(str).replace("nan", "")
        combined = pd.concat([kept, new], ignore_index=True)
        ranking = order or sorted(combined[owner_column].unique())
        extra = sorted(set(combined[owner_column]) - set(ranking))
        position = {owner: i for i, owner in enumerate(list(ranking) + extra)}
        combined = combined.sort_values(owner_column, key=lambda s: s.map(position),
                                        kind="stable")
        write_csv(combined, name, results_dir)
    return combined
