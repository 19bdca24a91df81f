"""helpers.build.chapters and helpers.build.book: the chapters, the table of contents and the
steps follow from trial.yaml; a failing step does not hide the others' failures."""

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers.build import book, chapters, pipeline
from helpers.reanalysis import trial

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"


def _trial_folder(tmp_path, instruments, items_rows=""):
    """A copy of the published trial.yaml with other instruments, and an items.csv."""
    raw = yaml.safe_load((PUBLISHED / "trial.yaml").read_text(encoding="utf-8"))
    raw["instruments"] = instruments
    folder = tmp_path / "mytrial"
    folder.mkdir()
    (folder / "trial.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    (folder / "items.csv").write_text("instrument,item,timepoint,mean_a\n" + items_rows,
                                      encoding="utf-8")
    return folder


def test_published_toc_is_generated_from_trial_yaml():
    """book/_toc.yml is what the plan gives for data/published (rewrite it with
    python -m helpers.build.book --write-toc)."""
    assert (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8") == \
        book.toc_yaml(trial.load(PUBLISHED))


def test_published_plan_names_one_chapter_per_instrument():
    plan = chapters.plan(trial.load(PUBLISHED))
    assert [(c.step, c.source) for c in plan] == [
        ("01_cohort", "cohort"), ("02_scoring", "scoring"), ("03_bm22", "instrument"),
        ("04_fa13", "instrument"), ("05_qscr10", "instrument"),
        ("06_sensitivity", "sensitivity"), ("ledger", "ledger"), ("overview", "overview"),
        ("annotated", "annotated"), ("trustworthiness", "trustworthiness")]
    assert plan[3].parameters == {"instrument": "FA13"}
    assert plan[3].title == "Fatigue (EORTC QLQ-FA13)"  # the title narrative.yaml gives


def test_a_trial_without_item_table_has_no_scoring_chapter_and_its_own_instruments(tmp_path):
    folder = _trial_folder(tmp_path, [
        {"id": "C30", "label": "EORTC QLQ-C30", "range": [0, 100], "scales": ["fatigue"]},
        {"id": "QSCR10", "label": "QSC-R10", "range": [0, 50], "scales": ["distress"]}])
    study = trial.load(folder)
    assert not chapters.has_scoring(study)
    assert [c.step for c in chapters.plan(study)][:4] == [
        "01_cohort", "02_c30", "03_qscr10", "04_sensitivity"]
    contents = book.toc(study)
    files = [c["file"] for part in contents["parts"] for c in part["chapters"]]
    assert "notebooks/02_scoring" not in files and "notebooks/02_c30" in files
    assert contents["root"] == "notebooks/overview"


def test_an_item_table_with_rows_gives_the_scoring_chapter(tmp_path):
    folder = _trial_folder(tmp_path, [
        {"id": "C30", "label": "EORTC QLQ-C30", "range": [0, 100], "scales": ["fatigue"]}],
        items_rows="C30,10,t0,2.1\n")
    assert chapters.has_scoring(trial.load(folder))


def test_expand_turns_sources_into_steps():
    config = pipeline.load_config()
    steps = chapters.expand(config, trial.load(PUBLISHED))
    assert steps["notebooks"]["05_qscr10"]["instrument"] == "QSCR10"
    assert steps["notebooks"]["05_qscr10"]["chapter"] == "05_qscr10"
    assert steps["after"]["ledger"] == [
        "01_cohort", "02_scoring", "03_bm22", "04_fa13", "05_qscr10", "06_sensitivity"]
    assert steps["after"]["annotated"] == ["ledger"]
    # the INSPECT-SR chapter reads the combined ledger; the first page cites its judgement
    assert steps["after"]["trustworthiness"] == ["ledger"]
    assert steps["after"]["overview"] == ["ledger", "trustworthiness"]
    assert steps["first"] == ["06_sensitivity"]
    assert steps["sweep"]["notebooks"] == ["03_bm22", "04_fa13", "05_qscr10"]
    assert steps["sweep"]["files"] == ["reanalysis_bm22", "reanalysis_fa13", "reanalysis_qscr10"]


def test_intro_escapes_text_from_the_data(tmp_path):
    raw = yaml.safe_load((PUBLISHED / "trial.yaml").read_text(encoding="utf-8"))
    raw["title"] = "A <script>alert(1)</script> trial"
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "trial.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    text = book.intro_markdown(trial.load(folder))
    assert "<script>" not in text and "\\<script\\>" in text  # shown as text, inert


def test_book_of_a_folder_without_trial_yaml_is_refused(tmp_path, capsys):
    assert book.main(["--data-dir", str(tmp_path)]) == 1
    assert "no trial.yaml" in capsys.readouterr().err


def _notebook(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    parameters = nbformat.v4.new_code_cell('data_dir = "x"\nresults_dir = "y"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, path)


def test_every_failing_step_is_named_and_its_dependents_skipped(tmp_path, monkeypatch, capsys):
    """Two independent steps fail, one step succeeds, and a step that needs a failed one is not
    run: the summary names both failures with their cell and error, and the skipped step."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "params.yaml").write_text(
        "all:\n  data_dir: data\nnotebooks:\n  01_a: {}\n  02_b: {}\n  03_c: {}\n  04_d: {}\n"
        "after:\n  04_d: [01_a]\n")
    (tmp_path / "data").mkdir()
    _notebook(tmp_path / "notebooks" / "01_a.ipynb", ["1 / 0"])
    _notebook(tmp_path / "notebooks" / "02_b.ipynb", ["x = 1", "{}['kind']"])
    _notebook(tmp_path / "notebooks" / "03_c.ipynb", ["1"])
    _notebook(tmp_path / "notebooks" / "04_d.ipynb", ["1"])
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(tmp_path))
    assert pipeline.main(["--output-dir", "out", "--jobs", "2"]) == 1
    error = capsys.readouterr().err
    assert "2 step(s) failed" in error
    assert "01_a failed in cell 2" in error and "ZeroDivisionError" in error
    assert "02_b failed in cell 3" in error and "KeyError: 'kind'" in error
    assert "not run, because they need a failed step: 04_d" in error
    assert (tmp_path / "out" / "03_c.ipynb").is_file()
    assert not (tmp_path / "out" / "04_d.ipynb").exists()
    shutil.rmtree(tmp_path / "build", ignore_errors=True)
