"""Starting a Jupyter kernel on a busy machine: retried when it dies before its first reply.

jupyter_client picks each kernel's five TCP ports by binding to port 0 and releasing them before
the kernel binds them itself, so another process can take one in between. The kernel then exits
(``ZMQError: Address already in use``) and the client reports ``Kernel died before replying to
kernel_info``; or it hangs with a thread still running, and the client gives up after its start
timeout (60 s). No cell has run at that point, so starting again, on ports picked afresh, is safe.
:func:`retrying` wraps any start function that way; the pipeline (:mod:`helpers.build.pipeline`)
and nbval's kernels (the repository's root ``conftest.py``) use it. No library offers this retry
(nbval and nbclient raise at the first failed start), hence this module.

The pipeline's kernels avoid the race altogether: :func:`ipc_kernel_manager` gives them Unix
domain sockets in a folder of their own instead of TCP ports (jupyter_client's ``ipc``
transport), so no other process can take one; the retry stays as a safety net.

Examples
--------
>>> calls = []
>>> def start():
...     calls.append(1)
...     if len(calls) < 3:
...         raise RuntimeError("Kernel died before replying to kernel_info")
...     return "kernel"
>>> retrying(start, attempts=3, say=lambda line: None)()
'kernel'
>>> len(calls)
3
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from typing import Callable, TypeVar

__all__ = ["ATTEMPTS", "KernelStartError", "died_at_start", "retrying", "ipc_kernel_manager"]

#: How many times a kernel is started before the failure is reported.
ATTEMPTS = 3
#: What the clients say when a kernel exits before its first reply.
_AT_START = ("Kernel died before replying to kernel_info", "Kernel didn't respond in",
             "Address already in use")

T = TypeVar("T")


class KernelStartError(RuntimeError):
    """A kernel died before its first reply on every attempt; the message says how often."""


def died_at_start(error: BaseException) -> bool:
    """Whether ``error`` is a kernel dying (or never answering) before its first reply.

    Examples
    --------
    >>> died_at_start(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> died_at_start(ValueError("a cell failed"))
    False
    """
    starting = isinstance(error, RuntimeError) or type(error).__name__ == "ZMQError"
    return starting and any(mark in str(error) for mark in _AT_START)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def retrying(start: Callable[..., T], attempts: int = ATTEMPTS,
             say: Callable[[str], None] = _stderr) -> Callable[..., T]:
    """``start`` (a function that starts a kernel, or runs a notebook in a new one), started
    again up to ``attempts`` times in all when the kernel dies before its first reply
    (:func:`died_at_start`); each retry is reported in one line through ``say``. Any other
    error passes through at once. After the last attempt, :class:`KernelStartError` says so.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")

    @functools.wraps(start)
    def started(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return start(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - only start-up deaths are retried
                if not died_at_start(error):
                    raise
                if attempt == attempts:
                    raise KernelStartError(
                        f"the kernel died before its first reply {attempts} times (last: "
                        f"{error}); a busy machine may be taking its ports: try again, or "
                        "with fewer jobs") from error
                say(f"kernel died before its first reply ({error}); starting it again on "
                    f"fresh ports ({attempt + 1} of {attempts})")
        raise AssertionError("unreachable")

    return started


@functools.cache
def ipc_kernel_manager() -> type:
    """A kernel manager class (jupyter_client's ``AsyncKernelManager``, as nbclient wants) whose
    kernel talks over Unix domain sockets (``ipc``) in a new private folder of its own
    (``$TMPDIR/kernel-XXXX/``, removed at shutdown), never over TCP ports: concurrent kernels
    cannot collide, on this machine's ports or on each other's socket files. Pass it as nbclient's
    ``kernel_manager_class`` (papermill forwards it).

    Examples
    --------
    >>> manager = ipc_kernel_manager()(kernel_name="python3")
    >>> manager.transport, os.path.basename(manager.ip)
    ('ipc', 'kernel')
    >>> import asyncio; asyncio.run(manager.cleanup_resources())
    >>> os.path.exists(os.path.dirname(manager.ip))
    False
    """
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            folder = tempfile.mkdtemp(prefix="kernel-")  # short: a socket path has ~107 bytes
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)
            self._ipc_folder = folder

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._ipc_folder, ignore_errors=True)

        cleanup_resources = _async_cleanup_resources

    return IpcKernelManager
