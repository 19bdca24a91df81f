"""A kernel that dies before its first reply is started again (issue 23): on a busy machine
another process can take one of the ports jupyter_client picked for it."""

import socket

import nbval.kernel
import pytest
from jupyter_client import KernelManager

from helpers.build import kernels

DIED = "Kernel died before replying to kernel_info"


def _flaky(failures: int, error=RuntimeError(DIED)):
    calls = []

    def start():
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return "started"
    return start, calls


def test_two_deaths_at_start_then_a_kernel():
    start, calls = _flaky(2)
    assert kernels.retrying(start, say=lambda line: None)() == "started"
    assert len(calls) == 3


def test_three_deaths_at_start_are_reported_with_the_count():
    start, calls = _flaky(3)
    said = []
    with pytest.raises(kernels.KernelStartError, match="3 times"):
        kernels.retrying(start, say=said.append)()
    assert len(calls) == 3 and len(said) == 2


def test_any_other_error_is_not_retried():
    start, calls = _flaky(1, ValueError("a cell failed"))
    with pytest.raises(ValueError, match="a cell failed"):
        kernels.retrying(start, say=lambda line: None)()
    assert len(calls) == 1


def test_a_port_taken_by_another_process_kills_the_kernel_and_the_retry_survives_it():
    """The collision itself: the first kernel is told to bind a port another socket holds, so
    it dies before replying; the retry picks its ports afresh."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    attempts = []

    def start():
        manager = KernelManager(kernel_name="python3")
        if not attempts:
            manager.cache_ports = False  # keep the port given, as a race would leave it
            manager.shell_port = taken.getsockname()[1]
        attempts.append(manager)
        manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
        except RuntimeError:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
            raise
        return manager, client

    try:
        manager, client = kernels.retrying(start, say=lambda line: None)()
        assert len(attempts) == 2
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    finally:
        taken.close()


def test_nbval_starts_its_kernels_through_the_retry():
    assert hasattr(nbval.kernel.start_new_kernel, "__wrapped__")


def test_nbval_on_the_notebooks_alone_loads_the_retry():
    """``pytest --nbval book/notebooks`` (without tests/ on the command line, as a user's CI may
    run it) loads the repository's root conftest.py, which wraps nbval's kernel start; the stress
    test failed that run when the wrapper lived in tests/conftest.py."""
    import subprocess
    import sys

    from conftest import ROOT

    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", "--trace-config", "--nbval",
                          "book/notebooks/ledger.ipynb"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert f"from '{ROOT / 'conftest.py'}'" in run.stdout
