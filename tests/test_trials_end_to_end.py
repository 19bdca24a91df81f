"""Whole books for trials the engine was not built for (issue 21's "done when"): a folder holding
only what a paper prints plus a hand-written ``trial.yaml`` runs through ``make book DATA=...``
(:func:`helpers.build.book.assemble`) to the end, writes only under its build folder, and its
ledger proves the errors planted in it and nothing else.

The trial here is the simulated two-arm trial (``data/examples/simulated``: 40 against 38
patients, four timepoints) cut down to what the user of the issue had: QLQ-BM22 and QSC-R10
only, no fatigue module, and an item table printed as its header alone; every free-text cell also
carries a script payload (``conftest.hostile_cut_trial``), which must change no verdict. The
session's corpus builds it (``conftest.built_corpus``), and checks that the build changed nothing
tracked. The expected problems are the planted errors of ``planted.csv`` that survive the cut,
read from that file, never from the engine. The three-arm trial and its clean twin are in
``test_three_arm_end_to_end.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from helpers.build import chapters
from helpers.reanalysis import trial


@pytest.fixture(scope="module")
def cut_trial(built_corpus):
    """The cut trial's source folder and build folder (the session's corpus builds it)."""
    return built_corpus / "sources" / "no_fatigue", built_corpus / "trials" / "no_fatigue"


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
