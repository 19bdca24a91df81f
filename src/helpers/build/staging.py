"""Results written all or nothing: a notebook's results go to a copy of its results folder, and
reach the folder itself only when the whole notebook ran to the end.

The pipeline (:mod:`helpers.build.pipeline`) does this around each step: it copies the results
folder into ``RESULTS/.scratch/<step>-<pid>-<random>/``, runs the notebook on the copy, and moves
the new or changed files back when the notebook succeeded. A notebook run by plain papermill (or
re-executed by nbval) has no pipeline around it, so it does the same for itself:

- its first code cell calls :func:`begin` (after ``params.check``), which copies
  ``results_dir`` into ``RESULTS/.staging/<pid>-<random>/`` and points ``results_dir`` there;
- its last cell calls :func:`finish`, which moves what the notebook wrote back into the results
  folder and removes the copy.

A notebook that fails part-way never reaches its last cell: the results folder is left exactly as
it was, and the copy stays until the next :func:`begin` in that folder removes it (its kernel,
named in the folder's name, is gone by then). Under the pipeline (``results_dir`` already a
scratch copy) both calls do nothing. Each run has its own copy, so two runs never share one;
cleanup removes only copies whose process is no longer running.

Written by hand: papermill executes a notebook in place and has no transaction of its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..reanalysis import paths

__all__ = ["SCRATCH", "STAGING", "result_files", "copy_results", "move_changed", "begin",
           "finish"]

#: The pipeline's scratch copies, one per step run (``RESULTS/.scratch/``).
SCRATCH = ".scratch"
#: A notebook's own copy when no pipeline runs it (``RESULTS/.staging/``).
STAGING = ".staging"

#: The copy the running notebook writes to: (results folder, copy, hashes of what was copied).
_active: dict[str, tuple[Path, Path, dict[str, str]]] = {}


def result_files(folder: str | os.PathLike) -> dict[str, str]:
    """Every results file under ``folder`` (hidden files and folders aside: temporary files,
    scratch copies, locks), by path relative to it (``/``-separated), with its SHA-256.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> _ = (folder / ".a.csv.partial").write_text("half")
    >>> list(result_files(folder))
    ['a.csv']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    found = {}
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if file.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


def copy_results(results: str | os.PathLike, copy: str | os.PathLike) -> dict[str, str]:
    """Copy the results files of ``results`` into the new folder ``copy``; return their hashes
    (what :func:`move_changed` compares against)."""
    results, copy = Path(results), Path(copy)
    copy.mkdir(parents=True)
    copied = result_files(results)
    for relative in copied:
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(results / relative, copy / relative)
    return copied


def move_changed(copy: str | os.PathLike, results: str | os.PathLike,
                 copied: dict[str, str]) -> list[str]:
    """Move the files of ``copy`` that are new or changed since :func:`copy_results` into
    ``results`` (each by an atomic rename); return them, by relative path.

    Examples
    --------
    >>> import tempfile
    >>> results, copy = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()) / "copy"
    >>> _ = (results / "kept.csv").write_text("1\\n")
    >>> copied = copy_results(results, copy)
    >>> _ = (copy / "new.csv").write_text("2\\n")
    >>> move_changed(copy, results, copied), sorted(p.name for p in results.iterdir())
    (['new.csv'], ['kept.csv', 'new.csv'])
    """
    copy, results = Path(copy), Path(results)
    moved = []
    for relative, digest in result_files(copy).items():
        if copied.get(relative) != digest:
            (results / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(copy / relative, results / relative)
            moved.append(relative)
    return moved


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_abandoned(folder: Path) -> None:
    """Remove the copies under ``folder`` whose process (named first in the copy's name) has
    ended: notebooks that failed part-way. A running notebook's copy is left alone."""
    if not folder.is_dir():
        return
    for copy in folder.iterdir():
        pid = copy.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(copy, ignore_errors=True)


def _shown(path: Path) -> str:
    """``path`` relative to the project root when it lies inside it (as parameters are given)."""
    try:
        return path.relative_to(paths.resolve(".")).as_posix()
    except ValueError:
        return str(path)


def begin(namespace: dict) -> None:
    """Point the notebook's ``results_dir`` (in ``namespace``, the notebook's ``globals()``) at a
    copy of its results folder of its own, unless the pipeline already did (a ``.scratch``
    folder). Nothing happens for a notebook without ``results_dir``.

    Examples
    --------
    >>> import tempfile
    >>> namespace = {"results_dir": tempfile.mkdtemp()}
    >>> begin(namespace)
    >>> Path(namespace["results_dir"]).parent.name
    '.staging'
    >>> finish(namespace)
    """
    given = namespace.get("results_dir")
    if not isinstance(given, (str, os.PathLike)) or given == "":
        return
    results = paths.resolve(given)
    if SCRATCH in results.parts or STAGING in results.parts:
        return  # the pipeline's copy (or a copy already): the caller commits it
    _remove_abandoned(results / STAGING)
    copy = results / STAGING / f"{os.getpid()}-{os.urandom(4).hex()}"
    copied = copy_results(results, copy)
    _active[_shown(copy)] = (results, copy, copied)
    namespace["_results_dir_given"] = given
    namespace["results_dir"] = _shown(copy)


def finish(namespace: dict) -> None:
    """Move what the notebook wrote into its results folder, remove its copy and give
    ``results_dir`` back its value (the notebook's last cell). Nothing happens when
    :func:`begin` made no copy."""
    staged = _active.pop(str(namespace.get("results_dir")), None)
    if staged is None:
        return
    results, copy, copied = staged
    move_changed(copy, results, copied)
    shutil.rmtree(copy, ignore_errors=True)
    try:
        copy.parent.rmdir()  # the last copy out removes .staging
    except OSError:
        pass
    namespace["results_dir"] = namespace.pop("_results_dir_given")
