"""Machine-readable results (``results/``), written so that a rebuild gives the same bytes.

CSV only, UTF-8, ``\\n`` line endings, no index, columns in the order given, floats in Python's
shortest round-trip form. Files are written to a temporary name and moved into place, so a failed
run never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
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
