"""The notebooks: clean sources, executed copies in step with them, and results that a rebuild
would not change (drift)."""

import filecmp
import subprocess
import sys

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
    assert NUMBERED == ["01_cohort", "02_scoring", "03_primary_endpoint", "04_fatigue",
                        "05_distress", "06_sensitivity"]
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
    """book/notebooks holds what `python -m helpers.pipeline` made of the current sources."""
    source = nbformat.read(SOURCES / f"{name}.ipynb", as_version=4)
    executed = nbformat.read(EXECUTED / f"{name}.ipynb", as_version=4)
    kept = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert [c.source for c in kept] == [c.source for c in source.cells], (
        f"{name}: rerun `python -m helpers.pipeline {name}` after editing notebooks/{name}.ipynb")
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


def _without_paths(path):
    """The executed notebook less what names its output folder: the papermill paths and
    parameters, and the injected-parameters cell."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("papermill", None)
    notebook.cells = [c for c in notebook.cells
                      if "injected-parameters" not in c.metadata.get("tags", [])]
    return nbformat.writes(notebook)


@pytest.mark.slow
def test_rebuild_is_identical(tmp_path):
    """Determinism and drift: re-executing every notebook from scratch, in parallel and without
    the cache, gives results/ byte for byte and the same executed notebooks (their output path
    aside) as the committed build."""
    out = tmp_path / "rebuild"
    subprocess.run([sys.executable, "-m", "helpers.pipeline", "--no-cache", "--output-dir",
                    str(out), "--results-dir", str(out / "results")], cwd=ROOT, check=True)
    for name in PIPELINE:
        assert _without_paths(out / f"{name}.ipynb") == _without_paths(EXECUTED / f"{name}.ipynb"), (
            f"{name}: the executed notebook differs from a fresh build; rerun make book")
    def listing(folder):  # lock and partial files start with a dot and are not results
        return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name[0] != ".")

    committed, rebuilt = listing(ROOT / "results"), listing(out / "results")
    assert rebuilt == committed
    match, mismatch, errors = filecmp.cmpfiles(ROOT / "results", out / "results", committed,
                                               shallow=False)
    assert mismatch == [] and errors == [], f"results drift: {mismatch or errors}"
