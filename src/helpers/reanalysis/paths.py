"""Locations inside the project.

No data folder is the default here: every function that reads a trial is given its folder (the
build names the trial it runs on, ``notebooks/params.yaml``'s ``data_dir``).

Paths given to notebooks as papermill parameters are relative to the project root, so an executed
notebook runs the same wherever the repository is cloned and whatever the kernel's working
directory is (``notebooks/`` under papermill, ``book/notebooks/`` under nbval).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT_MARKER", "project_root", "resolve", "data_dir", "results_dir"]

#: A file that marks the project root.
ROOT_MARKER = "pyproject.toml"


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the repository root: the nearest folder at or above ``start`` with ``pyproject.toml``.

    The environment variable ``RIEF_PROJECT_ROOT`` overrides the search.

    Parameters
    ----------
    start : path-like, optional
        Where to start looking; the current working directory by default.

    Examples
    --------
    >>> (project_root() / "pyproject.toml").is_file()
    True
    """
    override = os.environ.get("RIEF_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOT_MARKER).is_file() and (folder / "src" / "helpers").is_dir():
            return folder
    # Installed without a checkout next to the working directory: fall back on the source tree.
    package_root = Path(__file__).resolve().parents[3]
    if (package_root / ROOT_MARKER).is_file():
        return package_root
    raise FileNotFoundError(
        f"no project root ({ROOT_MARKER} beside src/helpers) at or above {here}; "
        "run from inside the repository or set RIEF_PROJECT_ROOT"
    )


def resolve(path: str | os.PathLike) -> Path:
    """Resolve ``path`` against the project root unless it is absolute.

    Examples
    --------
    >>> resolve("data/published").name
    'published'
    """
    path = Path(path)
    return path if path.is_absolute() else project_root() / path


def data_dir(path: str | os.PathLike) -> Path:
    """The data folder ``path`` (a trial's folder), resolved against the project root.

    Examples
    --------
    >>> data_dir("data/published").name
    'published'
    >>> data_dir(None)
    Traceback (most recent call last):
    ...
    TypeError: a data folder is needed (data_dir): the folder of the trial to read
    """
    if path is None:
        raise TypeError("a data folder is needed (data_dir): the folder of the trial to read")
    return resolve(path)


def results_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder of machine-readable results (``results`` by default)."""
    return resolve(path if path is not None else "results")
