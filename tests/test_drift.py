"""The drift test itself (tests/conftest.py: a ``results`` item after each notebook nbval runs):
it fails, naming the file, when a re-executed notebook writes a result that differs from the one
at the start of the session. Run on a scratch copy of the project (RIEF_PROJECT_ROOT), with the
ledger chapter, the quickest notebook, whose committed ledger.csv is altered first."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_a_drifted_result_fails_and_is_named(tmp_path):
    project = tmp_path / "project"
    for name in ("data", "results", "notebooks"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns(".*"))
    (project / "book" / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "notebooks" / "ledger.ipynb", project / "book" / "notebooks")
    shutil.copytree(ROOT / "tests", project / "tests",
                    ignore=shutil.ignore_patterns("__pycache__", "test_*.py"))
    (project / "tests" / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copy(ROOT / "conftest.py", project)  # nbval's kernel start retried, as in the repository
    (project / "src" / "helpers").mkdir(parents=True)  # marks the root (helpers is installed)
    ledger = project / "results" / "ledger.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("reproduced", "reproduce", 1),
                      encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RIEF_", "PYTEST_"))}
    environment["RIEF_PROJECT_ROOT"] = str(project)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/test_nothing.py", "book/notebooks/ledger.ipynb", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"],
        cwd=project, env=environment, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "1 failed" in done.stdout
    assert "ledger.ipynb, re-executed, wrote results that differ from the ones at the start of " \
           "the session: results/ledger.csv" in done.stdout
