"""Locations inside the project.

Paths given to notebooks as papermill parameters are relative to the project root, so an executed
notebook runs the same wherever the repository is cloned and whatever the kernel's working
directory is (``notebooks/`` under papermill, ``book/notebooks/`` under nbval).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT_MARKER", "DEFAULT_DATA_DIR", "project_root", "resolve", "data_dir", "results_dir",
           "use_data_dir"]

#: The transcription of the paper: the data folder when no other is given or in use.
DEFAULT_DATA_DIR = "data/published"
_in_use: list[str] = []

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
    package_root = Path(__file__).resolve().parents[2]
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


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: ``path``, else the one in use (:func:`use_data_dir`), else the
    transcription of the paper (``data/published``)."""
    if path is None:
        path = _in_use[-1] if _in_use else DEFAULT_DATA_DIR
    return resolve(path)


def use_data_dir(path: str | os.PathLike | None) -> Path:
    """Make ``path`` the data folder of this process for every call that names none (a notebook
    does this once with its ``data_dir`` parameter, so helpers called without a folder read the
    same trial). ``None`` goes back to the default. Returns the folder.

    Examples
    --------
    >>> use_data_dir("data/published").name
    'published'
    >>> _ = use_data_dir(None)
    """
    _in_use.clear()
    if path is not None:
        _in_use.append(str(path))
    return data_dir()


def results_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder of machine-readable results (``results`` by default)."""
    return resolve(path if path is not None else "results")
