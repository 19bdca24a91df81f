"""The notebooks: clean sources and executed copies in step with them. The drift test (results
that a rebuild would not change) runs with nbval: tests/conftest.py adds a ``results`` item after
each executed notebook's cells."""

import nbformat
import pytest
import yaml

from conftest import ROOT

SOURCES = ROOT / "notebooks"
EXECUTED = ROOT / "book" / "notebooks"
PIPELINE = list(yaml.safe_load((SOURCES / "params.yaml").read_text())["notebooks"])


NUMBERED = [name for name in PIPELINE if name[:2].isdigit()]


def test_pipeline_lists_every_notebook():
    assert NUMBERED == sorted(p.stem for p in SOURCES.glob("[0-9][0-9]_*.ipynb"))
    assert NUMBERED == ["01_cohort", "02_scoring", "03_bm22", "04_fa13",
                        "05_qscr10", "06_sensitivity"]
    # the ledger chapter reads what the others wrote; the reader's pages read the ledger
    assert PIPELINE == NUMBERED + ["ledger", "overview", "annotated"]


@pytest.mark.parametrize("name", PIPELINE)
def test_source_is_clean_with_parameters_cell(name):
    notebook = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "source has outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "data_dir" in tagged[0].source
    if name in NUMBERED:  # each numbered chapter reads as a paper: it starts with its question
        assert notebook.cells[0].cell_type == "markdown"
        assert "**Question.**" in notebook.cells[0].source


@pytest.mark.parametrize("name", PIPELINE)
def test_code_is_collapsed_and_one_parameters_cell_shows(name):
    """Every code cell of the source is collapsed in the book (hide-input); in the executed
    copy, papermill's injected cell shows and the source's own parameters cell is removed."""
    source = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in source.cells if c.cell_type == "code"]
    assert all("hide-input" in t or "remove-cell" in t for t in tags)
    executed = nbformat.read(EXECUTED / f"{name}.ipynb", as_version=4)
    shown = [c for c in executed.cells if c.cell_type == "code"
             and {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
             and "remove-cell" not in c.metadata.get("tags", [])]
    assert len(shown) == 1 and "injected-parameters" in shown[0].metadata["tags"]
    assert "hide-input" in shown[0].metadata["tags"]


@pytest.mark.parametrize("name", PIPELINE)
def test_executed_copy_matches_source(name):
    """book/notebooks holds what `python -m helpers.build.pipeline` made of the current sources."""
    source = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    executed = nbformat.read(EXECUTED / f"{name}.ipynb", as_version=4)
    kept = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert [c.source for c in kept] == [c.source for c in source.cells], (
        f"{name}: rerun `python -m helpers.build.pipeline {name}` after editing notebooks/{name}.ipynb")
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
