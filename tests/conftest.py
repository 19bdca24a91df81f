"""Shared fixtures. Tests run from any folder: paths come from the project root."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def transcription(tmp_path):
    """A scratch copy of data/published that a test may break."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED, folder, ignore=shutil.ignore_patterns("double_entry"))
    return folder


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The book built once per test session from the committed executed notebooks, in a scratch
    folder, with warnings as errors (-W -n --keep-going). Returns the html folder."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("book") / "book"
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
        pytest.fail("the book does not build:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    return folder / "_build" / "html"
