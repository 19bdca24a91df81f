"""Whole books for trials the engine was not built for (issue 21's "done when"): a folder holding
only what a paper prints plus a hand-written ``trial.yaml`` runs through ``make book DATA=...``
(:func:`helpers.build.book.assemble`) to the end, writes only under its build folder, and its
ledger proves the errors planted in it and nothing else.

The trial here is the simulated two-arm trial (``data/examples/simulated``: 40 against 38
patients, four timepoints) cut down to what the user of the issue had: QLQ-BM22 and QSC-R10
only, no fatigue module, and an item table printed as its header alone. The expected problems are
the planted errors of ``planted.csv`` that survive the cut, read from that file, never from the
engine. The three-arm trial and its clean twin are in ``test_three_arm_end_to_end.py``.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pandas as pd
import pytest
import yaml

from helpers.build import book, chapters
from helpers.reanalysis import trial

from conftest import ROOT

SIMULATED = ROOT / "data" / "examples" / "simulated"
#: What the cut removes: the fatigue module and the item table, wherever a row names them.
REMOVED = ("FA13", "fa13", "item_tests:", "items:", "Items 17", "table_3-")


def _tracked_state() -> str:
    """The repository's tracked files as git sees them (what a build must leave alone)."""
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout + \
        subprocess.run(["git", "diff"], cwd=ROOT, capture_output=True, text=True,
                       check=True).stdout


def _without_fatigue_or_items(target):
    """The simulated trial's folder without its fatigue module and with a header-only item
    table (``items.csv``, ``item_tests.csv``)."""
    shutil.copytree(SIMULATED, target, ignore=shutil.ignore_patterns("patients"))
    design = yaml.safe_load((target / "trial.yaml").read_text(encoding="utf-8"))
    design["instruments"] = [i for i in design["instruments"] if i["id"] != "FA13"]
    for instrument in design["instruments"]:
        instrument.pop("items", None)
    (target / "trial.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    for path in target.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        empty = path.stem in ("items", "item_tests")
        kept = [rows[0]] + ([] if empty else [r for r in rows[1:]
                                              if not any(word in ",".join(r) for word in REMOVED)])
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(kept)
    return target


@pytest.fixture(scope="module")
def cut_trial(tmp_path_factory):
    folder = _without_fatigue_or_items(tmp_path_factory.mktemp("trial") / "no_fatigue")
    before = _tracked_state()
    built = book.assemble(folder, root=tmp_path_factory.mktemp("trials"), html_build=False,
                          use_cache=False, overrides={"search_climbs": 0})
    assert _tracked_state() == before, "a trial's build changed tracked files"
    return folder, built


def test_the_cut_trial_plans_no_scoring_and_no_fatigue_chapter(cut_trial):
    folder, built = cut_trial
    steps = [c.step for c in chapters.plan(trial.load(folder))]
    assert steps[:4] == ["01_cohort", "02_bm22", "03_qscr10", "04_sensitivity"]
    assert sorted(p.stem for p in (built / "book" / "notebooks").glob("*.ipynb")) == sorted(steps)


def test_the_cut_trial_proves_its_planted_errors_and_nothing_else(cut_trial):
    folder, built = cut_trial
    ledger = pd.read_csv(built / "results" / "ledger.csv", dtype=str, keep_default_na=False)
    assert not ledger["claim_id"].str.contains("FA13|item_tests|^items:", regex=True).any()
    planted = pd.read_csv(folder / "planted.csv", dtype=str, keep_default_na=False)
    expected = {f"{row['file']}:{row['row_key']}" if row["file"] not in ("claims", "statements")
                else row["row_key"] for _, row in planted.iterrows()}
    problems = set(ledger.loc[ledger["verdict"] == "inconsistent", "problem"])
    assert expected <= problems, f"planted errors not found: {sorted(expected - problems)}"
    assert problems <= expected, f"false alarms: {sorted(problems - expected)}"


def test_the_cut_trial_has_its_own_letter_and_critique(cut_trial):
    folder, built = cut_trial
    pages = built / "book"
    letter = (pages / "letter.md").read_text(encoding="utf-8")
    assert "To the Editor," in letter  # the folder names no journal
    assert "Radiation Oncology" not in letter and "Rief" not in letter
    assert "needs a reviewer" in (pages / "critique.md").read_text(encoding="utf-8")
    toc = yaml.safe_load((pages / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert "notebooks/02_bm22" in files and "notebooks/02_scoring" not in files
