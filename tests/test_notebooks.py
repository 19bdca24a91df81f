"""The notebooks: clean sources and executed copies in step with them. The drift test (results
that a rebuild would not change) runs with nbval: tests/conftest.py adds a ``results`` item after
each executed notebook's cells."""

import nbformat
import pytest
import yaml

from helpers.build import chapters, pipeline
from helpers.reanalysis import trial

from conftest import ROOT

SOURCES = ROOT / "notebooks"
EXECUTED = ROOT / "book" / "notebooks"
PIPELINE = list(yaml.safe_load((SOURCES / "params.yaml").read_text())["notebooks"])
#: The published trial's book: each executed notebook and the source it is executed from.
PLAN = [(c.step, c.source) for c in chapters.plan(trial.load(ROOT / "data" / "published"))]
NUMBERED_SOURCES = [name for name in PIPELINE if name in chapters.NUMBERED]


def _tags(cell) -> list:
    return list(cell.metadata.get("tags", []))


def test_pipeline_lists_every_notebook():
    assert sorted(PIPELINE) == sorted(p.stem for p in SOURCES.glob("*.ipynb"))
    assert [step for step, _ in PLAN] == ["01_cohort", "02_scoring", "03_bm22", "04_fa13",
                                          "05_qscr10", "06_sensitivity", "ledger", "overview",
                                          "annotated", "trustworthiness"]
    assert sorted(p.stem for p in EXECUTED.glob("*.ipynb")) == sorted(step for step, _ in PLAN)


@pytest.mark.parametrize("name", PIPELINE)
def test_source_is_clean_with_parameters_cell(name):
    notebook = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "source has outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "data_dir" in tagged[0].source


@pytest.mark.parametrize("step", [step for step, source in PLAN if source in NUMBERED_SOURCES])
def test_each_chapter_starts_with_its_question(step):
    """Each numbered chapter reads as a paper: its executed copy starts with its question."""
    executed = nbformat.read(EXECUTED / f"{step}.ipynb", as_version=4)
    assert executed.cells[0].cell_type == "markdown"
    assert "**Question.**" in executed.cells[0].source


@pytest.mark.parametrize("step,name", PLAN)
def test_code_is_collapsed_and_one_parameters_cell_shows(step, name):
    """Every code cell of the source is collapsed in the book (hide-input), or its code left out
    (remove-input: the first page's set-up, so its verdict opens the page); in the executed
    copy, papermill's injected cell shows and the source's own parameters cell is removed."""
    source = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    tags = [_tags(c) for c in source.cells if c.cell_type == "code"]
    assert all("hide-input" in t or "remove-cell" in t or "remove-input" in t
               or pipeline.AS_MARKDOWN in t for t in tags)
    executed = nbformat.read(EXECUTED / f"{step}.ipynb", as_version=4)
    shown = [c for c in executed.cells if c.cell_type == "code"
             and {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
             and "remove-cell" not in c.metadata.get("tags", [])]
    assert len(shown) == 1 and "injected-parameters" in shown[0].metadata["tags"]
    assert "hide-input" in shown[0].metadata["tags"]


@pytest.mark.parametrize("step,name", PLAN)
def test_executed_copy_matches_source(step, name):
    """book/notebooks holds what `python -m helpers.build.pipeline` made of the current sources:
    every cell of the source, in order, the same, except that a cell showing Markdown
    (``as-markdown``) became a Markdown cell with the same id (or was dropped when it showed
    none) and the chapter's title moved to the top."""
    source = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    executed = nbformat.read(EXECUTED / f"{step}.ipynb", as_version=4)
    kept = [c for c in executed.cells if "injected-parameters" not in _tags(c)]
    by_id = {c.id: c for c in source.cells}
    rerun = f"{step}: rerun `python -m helpers.build.pipeline {step}` after editing {name}.ipynb"
    assert all(c.id in by_id for c in kept), rerun
    for cell in kept:
        original = by_id[cell.id]
        if pipeline.AS_MARKDOWN in _tags(original):
            assert cell.cell_type == "markdown", rerun
        else:
            assert cell.source == original.source, rerun
    plain = [c.id for c in source.cells if pipeline.AS_MARKDOWN not in _tags(c)]
    assert [c.id for c in kept if c.id in plain] == plain, rerun
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
