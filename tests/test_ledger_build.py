"""The ledger as the pipeline builds it from fragments (slow: reruns one chapter and the ledger
chapter into a scratch copy of the committed results; the drift test (nbval, tests/conftest.py)
already proves that the committed results are what a fresh build makes).

Compared with files read as text, not with helpers.ledger: the combined files are the fragments
concatenated in the order of notebooks/params.yaml, and rerunning one notebook replaces its
fragment and no other."""

import csv
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow

ORDER = list(yaml.safe_load((ROOT / "notebooks" / "params.yaml").read_text())["notebooks"])
CHAPTERS = ["01_cohort", "02_scoring", "03_primary_endpoint", "04_fatigue", "05_distress"]


def _pipeline(*arguments):
    subprocess.run([sys.executable, "-m", "helpers.pipeline", "--no-cache", *arguments], cwd=ROOT,
                   check=True, capture_output=True)


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _column(path, name):
    return [row[name] for row in _rows(path)]


def _concatenated(paths):
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return texts[0].split("\n", 1)[0] + "\n" + "".join(t.split("\n", 1)[1] for t in texts)


def _fragments(folder):
    return sorted(folder.glob("*.csv"), key=lambda p: ORDER.index(p.stem))


@pytest.fixture(scope="module")
def built():
    return ROOT / "results"


@pytest.mark.parametrize(("name", "writers"), [("ledger", CHAPTERS),
                                               ("effect_sizes", CHAPTERS[2:])])
def test_combined_file_is_the_fragments_in_pipeline_order(built, name, writers):
    fragments = _fragments(built / name)
    assert [p.stem for p in fragments] == writers
    assert (built / f"{name}.csv").read_text(encoding="utf-8") == _concatenated(fragments)


def test_a_rerun_of_one_notebook_replaces_only_its_fragment(built, tmp_path):
    results = tmp_path / "results"
    shutil.copytree(built, results)
    before = {p.relative_to(results): p.read_bytes() for p in results.rglob("*.csv")}
    _pipeline("05_distress", "-p", "r", "0.3", "--output-dir", str(tmp_path / "rerun"),
              "--results-dir", str(results))
    after = {p.relative_to(results): p.read_bytes() for p in results.rglob("*.csv")}
    assert after.keys() == before.keys()
    changed = sorted(path.as_posix() for path in before if after[path] != before[path])
    fragments = [path for path in changed if path.startswith(("ledger/", "effect_sizes/"))]
    assert fragments == ["ledger/05_distress.csv"]  # r moves its p rows, not its effect sizes
    assert not {"ledger.csv", "effect_sizes.csv"} & set(changed)  # the ledger chapter combines
    assert set(_column(results / "ledger" / "05_distress.csv", "notebook")) == {"05_distress"}
    assert any("r = 0.3" in text for text in _column(results / "ledger" / "05_distress.csv",
                                                     "recomputed"))
    _pipeline("ledger", "--output-dir", str(tmp_path / "rerun"), "--results-dir", str(results))
    assert (results / "ledger.csv").read_text(encoding="utf-8") == \
        _concatenated(_fragments(results / "ledger"))
    rows = {"built": _rows(built / "ledger.csv"), "rerun": _rows(results / "ledger.csv")}
    others = {k: [r for r in v if r["notebook"] != "05_distress"] for k, v in rows.items()}
    assert others["rerun"] == others["built"]
    assert len(rows["rerun"]) == len(rows["built"])
