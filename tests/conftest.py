"""Shared fixtures. Tests run from any folder: paths come from the project root."""

import shutil
from pathlib import Path

import nbval.kernel
import pytest

from helpers.build import kernels

ROOT = Path(__file__).resolve().parents[1]

# nbval's kernels, like the pipeline's, are started again when one dies before its first reply
# (a busy machine took one of its ports; no cell has run yet): helpers.build.kernels.
if not hasattr(nbval.kernel.start_new_kernel, "__wrapped__"):
    nbval.kernel.start_new_kernel = kernels.retrying(nbval.kernel.start_new_kernel)
PUBLISHED = ROOT / "data" / "published"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The browser tests' Chromium (Debian's), its headless flags, where their screenshots go, and
#: their marks: slow, and skipped where Chromium is not installed (.ci/run installs it).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "build" / "test-artifacts"
BROWSER_MARKS = [pytest.mark.slow,
                 pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian's chromium is not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, one per test module (the browser tests)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as engine:
        instance = engine.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def transcription(tmp_path):
    """A scratch copy of data/published that a test may break."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED, folder, ignore=shutil.ignore_patterns("double_entry"))
    return folder


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The book built once per test session from the committed executed notebooks, in a scratch
    folder, with warnings as errors (-W -n --keep-going). Returns the html folder.

    Under pytest-xdist the workers share one build: the first to ask builds it in the session's
    common temporary folder while holding a lock; the others wait and reuse it."""
    import fcntl
    import os

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    html = shared / "shared-book" / "book" / "_build" / "html"
    with open(shared / "shared-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failed = shared / "shared-book.failed"
        if failed.exists():
            pytest.fail(failed.read_text())
        if not (html / "index.html").is_file():
            try:
                _build_book(shared / "shared-book" / "book")
            except _BookError as error:
                failed.write_text(str(error))
                pytest.fail(str(error))
    return html


class _BookError(Exception):
    pass


def _build_book(folder):
    """Copy book/ and results/ beside it into ``folder``'s parent and build the HTML there."""
    import subprocess
    import sys

    shutil.copytree(ROOT / "book", folder, ignore=shutil.ignore_patterns("_build"))
    # the ledger page links the results; nbval reruns the notebooks meanwhile, and their atomic
    # writes leave short-lived hidden temporary files (.<name>.*.partial) that must not be copied
    shutil.copytree(ROOT / "results", folder.parent / "results",
                    ignore=shutil.ignore_patterns(".*"))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(folder), "--warningiserror", "--nitpick",
         "--keep-going"], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise _BookError("the book does not build:\n" + result.stdout[-3000:]
                         + result.stderr[-3000:])


# ---------------------------------------------------------------------------------------------
# Drift: nbval re-executes every committed notebook from book/notebooks; what each writes to
# results/ must be byte for byte what was there when the session started.
# ---------------------------------------------------------------------------------------------

RESULTS = ROOT / "results"
_SNAPSHOT = "RIEF_RESULTS_SNAPSHOT"  # the digests of results/ at session start, for every worker


def _digests(folder):
    """sha256 of every file under ``folder`` (hidden temporary files aside), by relative path."""
    import hashlib

    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in
                                          path.relative_to(folder).parts)}


def pytest_configure(config):
    """The first process of the session (the xdist controller, or the only one) records the
    digests of results/ before any notebook runs; the workers it starts inherit the record."""
    import json
    import os
    import tempfile

    config.pluginmanager.register(_StampNotebooks(), "rief-stamp-notebooks")
    if os.environ.get(_SNAPSHOT) or not RESULTS.is_dir():
        return
    handle, name = tempfile.mkstemp(prefix="results-digests-", suffix=".json")
    with os.fdopen(handle, "w") as stream:
        json.dump(_digests(RESULTS), stream)
    os.environ[_SNAPSHOT] = name
    config.stash[_snapshot_key] = name


_snapshot_key = pytest.StashKey[str]()


def pytest_unconfigure(config):
    import os

    name = config.stash.get(_snapshot_key, None)
    if name:
        Path(name).unlink(missing_ok=True)
        os.environ.pop(_SNAPSHOT, None)


class ResultsDrift(pytest.Item):
    """After nbval has run a notebook's last cell: every file the notebook wrote under results/
    (modified since its kernel started) is identical to the one at session start. This is the
    drift test: the committed results are what the committed notebooks make, re-executed from
    scratch (nbval runs without the pipeline's cache)."""

    def runtest(self):
        import json
        import os

        started = self.parent.stash.get(_started_key, None)
        if started is None:
            pytest.skip("the notebook's cells did not run")
        before = json.loads(Path(os.environ[_SNAPSHOT]).read_text())
        now = _digests(RESULTS)
        written = {name for name in now if (RESULTS / name).stat().st_mtime >= started}
        drifted = sorted(f"results/{name}" + ("" if name in before else " (not committed)")
                         for name in written if before.get(name) != now[name])
        if drifted:
            raise AssertionError(
                f"{self.parent.name}, re-executed, wrote results that differ from the ones at "
                f"the start of the session: {', '.join(drifted)} (rewritten in place: git diff "
                "shows the drift); rerun make book and commit what it changes")

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::results are unchanged"


_started_key = pytest.StashKey[float]()


def _is_notebook(node):
    return node.__class__.__name__ == "IPyNbFile"


class _StampNotebooks:
    """A plugin, not conftest hooks: conftest hooks see only the items under their folder, and
    the notebooks are under book/."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        """Stamp a notebook file with the time just before its kernel starts (its first item)."""
        import time

        parent = item.parent
        if parent is not None and _is_notebook(parent) and _started_key not in parent.stash:
            parent.stash[_started_key] = time.time()


def pytest_collection_modifyitems(session, config, items):
    """A :class:`ResultsDrift` item after the last cell of each executed notebook under results'
    reach (book/notebooks); same file, so ``--dist loadfile`` keeps it on the notebook's worker."""
    import os

    if not os.environ.get(_SNAPSHOT):
        return
    last = {}
    for index, item in enumerate(items):
        if item.parent is not None and _is_notebook(item.parent):
            last[item.parent] = index
    for parent, index in sorted(last.items(), key=lambda pair: -pair[1]):
        items.insert(index + 1, ResultsDrift.from_parent(parent, name="results"))
