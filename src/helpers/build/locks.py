"""One build at a time per output folder.

Two builds writing the same results folder would each copy, overwrite and clean up what the other
is writing (a notebook of one trial beside the ledger of another, and a cache that then calls the
mix "unchanged"). :func:`exclusive` holds an advisory lock on each folder a build writes; a
second build stops at once with a message naming the holder.

The lock is the operating system's (``fcntl.flock``, what the ``filelock`` package's Unix lock
uses): it is released when its process ends, however it ends, so a killed build leaves no stale
lock behind. The lock file (``.pipeline.lock``, hidden, ignored by git) records who holds it.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with exclusive([folder]):
...     try:
...         with exclusive([folder]):
...             pass
...     except BuildLocked as error:
...         print(type(error).__name__)
BuildLocked
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["LOCK_FILE", "BuildLocked", "exclusive"]

#: The lock file in each folder a build writes.
LOCK_FILE = ".pipeline.lock"


class BuildLocked(RuntimeError):
    """Another build holds a folder this one would write; the message names it."""


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "a build that has just started"
    except OSError:
        return "a build whose record cannot be read"


@contextlib.contextmanager
def exclusive(folders: Iterable[os.PathLike]) -> Iterator[None]:
    """Hold the lock of every folder of ``folders`` (created if missing) for the block, in a
    fixed order; raise :class:`BuildLocked` at once, naming the holder, when another process
    holds one of them."""
    handles = []
    try:
        for folder in sorted({Path(f).resolve() for f in folders}):
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOCK_FILE
            handle = open(path, "a+", encoding="utf-8")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise BuildLocked(
                    f"another build is writing {folder} ({_holder(path)}); wait for it to end, "
                    "or give this one another --output-dir") from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, since {time.strftime('%H:%M:%S')}: "
                         f"{' '.join(sys.argv) or 'python'}\n")
            handle.flush()
            handles.append(handle)
        yield
    finally:
        for handle in reversed(handles):
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
