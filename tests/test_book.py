"""The book builds from the executed notebooks with warnings as errors (-W -n --keep-going)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_book_builds_without_warnings(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build"))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(book), "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = book / "_build" / "html"
    assert (html / "index.html").is_file()
    for name in ("01_cohort", "02_scoring", "03_primary_endpoint", "04_fatigue", "05_distress",
                 "06_sensitivity"):
        assert (html / "notebooks" / f"{name}.html").is_file()
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert "{glue" not in intro  # every glued number was found and rendered
