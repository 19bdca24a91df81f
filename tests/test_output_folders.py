"""A folder named on the command line never overwrites what the repository tracks (issue 23):
``--output-dir .`` rewrote committed results and ``--output-dir notebooks`` replaced a source
notebook, both exiting 0. Now each is refused before anything runs."""

import subprocess

import pytest

from helpers.build import pipeline, sweep

from conftest import ROOT


def _tracked_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                          capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("option,folder", [
    ("--output-dir", "."), ("--output-dir", str(ROOT)), ("--output-dir", "notebooks"),
    ("--output-dir", "book/notebooks"), ("--results-dir", "results"),
    ("--output-dir", "data/published/x"), ("--sweep-dir", "src")])
def test_a_tracked_folder_is_refused_before_anything_runs(option, folder, capsys):
    before = _tracked_state()
    assert pipeline.main(["01", option, folder]) == 2
    said = capsys.readouterr().err
    assert "which the repository tracks" in said or "the repository itself" in said
    assert _tracked_state() == before


def test_the_sweep_refuses_them_too(capsys):
    assert sweep.main(["--output-dir", "results"]) == 1
    assert "which the repository tracks" in capsys.readouterr().err


def test_a_folder_of_its_own_is_accepted():
    pipeline.check_not_tracked("runs/mine", "--output-dir")
    pipeline.check_not_tracked("build/trials/x", "--output-dir")
