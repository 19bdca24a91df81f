"""Shared fixtures. Tests run from any folder: paths come from the project root."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# nbval's kernel start is retried by the repository's root conftest.py (helpers.build.kernels).
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


# ---------------------------------------------------------------------------------------------
# The end-to-end trials, built once per session by the corpus workflow (make corpus's Snakefile)
# and shared by every test file that needs a whole trial: test_corpus, test_three_arm_end_to_end,
# test_trials_end_to_end and test_browser_injection. Three trials: the three-arm trial with
# planted errors, its clean twin, and the simulated two-arm trial cut down (no fatigue module, an
# item table printed as its header alone) with script payloads planted in every free-text cell.
# Built into a scratch folder, HTML books included, the plausible-data search's hill climbs off
# (search_climbs: 0). The published trial is not among them: the committed book, nbval and the
# browser tests cover it, and it was a quarter of this build's time.
# ---------------------------------------------------------------------------------------------

EXAMPLES = ROOT / "data" / "examples"
#: The corpus's trials, each copied into ``sources/`` (so one can be edited): the examples as
#: they are, and the hostile cut trial (:func:`hostile_cut_trial`).
CORPUS_COPIES = ("three_arm", "three_arm_clean", "no_fatigue")
#: What the cut removes from the simulated trial: the fatigue module and the item table,
#: wherever a row names them.
CUT = ("FA13", "fa13", "item_tests:", "items:", "Items 17", "table_3-")
#: Planted in every free-text cell of the hostile trial: each runs a script if it reaches the
#: page unescaped (the dialog listener of test_browser_injection hears it). No digits, so no
#: number a check reads is changed.
PAYLOAD = " <script>alert('planted')</script><img src=x onerror=\"alert('planted')\">"
#: The free-text columns of a trial's tables (quotes, reasons, notes, questions).
FREE_TEXT = ("quote", "reason", "note", "question")


def hostile_cut_trial(target):
    """The simulated trial (``data/examples/simulated``) copied to ``target`` without its fatigue
    module and with a header-only item table (``items.csv``, ``item_tests.csv``), and with
    :data:`PAYLOAD` appended to every non-empty free-text cell and to the title."""
    import csv

    import yaml

    shutil.copytree(EXAMPLES / "simulated", target, ignore=shutil.ignore_patterns("patients"))
    design = yaml.safe_load((target / "trial.yaml").read_text(encoding="utf-8"))
    design["instruments"] = [i for i in design["instruments"] if i["id"] != "FA13"]
    for instrument in design["instruments"]:
        instrument.pop("items", None)
    design["title"] = design["title"] + PAYLOAD
    (target / "trial.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    for path in target.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        if path.stem in ("items", "item_tests"):
            body = []
        body = [row for row in body if not any(word in ",".join(row) for word in CUT)]
        if path.stem != "planted":
            free = [i for i, name in enumerate(header) if name in FREE_TEXT]
            body = [[cell + PAYLOAD if i in free and cell else cell for i, cell in enumerate(row)]
                    for row in body]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header] + body)
    return target


def tracked_state() -> str:
    """The repository's tracked files as git sees them (what a build must leave alone)."""
    import subprocess

    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout + \
        subprocess.run(["git", "diff"], cwd=ROOT, capture_output=True, text=True,
                       check=True).stdout


def run_corpus(work, *extra):
    """Snakemake on the corpus of ``work`` (``corpus.txt``, ``trials/``, ``corpus/``)."""
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("snakemake")), "--snakefile",
               "workflow/Snakefile", "--cores", "all", "--config",
               f"corpus={work / 'corpus.txt'}", f"trials={work / 'trials'}",
               f"out={work / 'corpus'}", "parameters=search_climbs:0", *extra]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory):
    """The end-to-end trials built once per session (shared by the xdist workers, the lock
    pattern of :func:`built_book`): the corpus folder, with ``sources/<name>`` (the copies),
    ``trials/<name>`` (each trial's build) and ``corpus/`` (the corpus tables and page)."""
    import fcntl
    import os

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    work = shared / "shared-corpus"
    with open(shared / "shared-corpus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failed = shared / "shared-corpus.failed"
        if failed.exists():
            pytest.fail(failed.read_text())
        if not (work / "corpus" / "summary.csv").is_file():
            (work / "sources").mkdir(parents=True, exist_ok=True)
            for name in CORPUS_COPIES:
                if name == "no_fatigue":
                    hostile_cut_trial(work / "sources" / name)
                else:
                    shutil.copytree(EXAMPLES / name, work / "sources" / name)
            (work / "corpus.txt").write_text(
                "# the test corpus\n"
                + "".join(f"{work / 'sources' / name}\n" for name in CORPUS_COPIES),
                encoding="utf-8")
            before = tracked_state()
            run = run_corpus(work)
            if run.returncode or tracked_state() != before:
                message = ("the corpus did not build (or changed tracked files):\n"
                           + run.stdout[-3000:] + run.stderr[-3000:])
                failed.write_text(message)
                pytest.fail(message)
    return work




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
