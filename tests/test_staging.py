"""A notebook run by plain papermill writes its results all or nothing (issue 23): one that fails
part-way leaves its results folder as it was (helpers.build.staging)."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.build import kernels, staging

from conftest import ROOT

SOURCES = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _code(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_notebook_begins_after_its_parameters_and_finishes_last(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    first = next(i for i, cell in enumerate(code) if "parameters" not in cell.metadata.get("tags", []))
    assert "staging.begin(globals())" in _code(code[first])
    assert "results.write" not in _code(code[first]) and "record(" not in _code(code[first])
    assert _code(code[-1]).startswith("staging.finish(globals())")
    assert "remove-cell" in code[-1].metadata.get("tags", [])


def _tiny(path, fail: bool) -> None:
    """A notebook that writes two result files, then (if ``fail``) fails before its last cell."""
    cells = [nbformat.v4.new_code_cell('results_dir = "results"', metadata={"tags": ["parameters"]}),
             nbformat.v4.new_code_cell("from helpers.build import staging\n"
                                       "staging.begin(globals())\n"
                                       "import pandas as pd\n"
                                       "from helpers.reanalysis import results"),
             nbformat.v4.new_code_cell('_ = results.write_csv(pd.DataFrame({"x": [2]}), "flow", '
                                       'results_dir)\n'
                                       '_ = results.write_csv(pd.DataFrame({"y": [3]}), "new", '
                                       'results_dir)'),
             nbformat.v4.new_code_cell("raise RuntimeError('part-way')" if fail else "pass"),
             nbformat.v4.new_code_cell("staging.finish(globals())")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, path)


def _run(source, output, results_dir) -> None:
    # a kernel that loses a TCP port at start (a busy machine) is started again
    kernels.retrying(papermill.execute_notebook)(
        str(source), str(output), parameters={"results_dir": str(results_dir)},
        kernel_name="python3", progress_bar=False, cwd=str(ROOT))


def test_plain_papermill_moves_results_in_only_when_the_notebook_ends(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "flow.csv").write_text("x\n1\n")
    _tiny(tmp_path / "fails.ipynb", fail=True)
    with pytest.raises(PapermillExecutionError, match="part-way"):
        _run(tmp_path / "fails.ipynb", tmp_path / "out.ipynb", results)
    assert staging.result_files(results) == {"flow.csv": staging.result_files(results)["flow.csv"]}
    assert (results / "flow.csv").read_text() == "x\n1\n"
    abandoned = list((results / staging.STAGING).iterdir())
    assert len(abandoned) == 1  # kept for a look, until the next run in this folder

    _tiny(tmp_path / "ends.ipynb", fail=False)
    _run(tmp_path / "ends.ipynb", tmp_path / "out.ipynb", results)
    assert (results / "flow.csv").read_text() == "x\n2\n"
    assert (results / "new.csv").read_text() == "y\n3\n"
    assert not (results / staging.STAGING).exists()  # the abandoned copy is gone, and its own
    injected = json.loads((tmp_path / "out.ipynb").read_text())["cells"][1]["source"]
    assert str(results) in "".join(injected)


def test_the_cohort_chapter_failing_part_way_leaves_the_participant_flow_alone(tmp_path):
    """The issue's case: the cohort chapter run by plain papermill fails after it wrote
    ``participant_flow.csv`` (a cell that raises is planted after that one)."""
    notebook = nbformat.read(ROOT / "notebooks" / "cohort.ipynb", as_version=4)
    writes = next(i for i, cell in enumerate(notebook.cells)
                  if '"participant_flow"' in _code(cell))
    notebook.cells.insert(writes + 1, nbformat.v4.new_code_cell("raise RuntimeError('planted')"))
    nbformat.write(notebook, tmp_path / "cohort.ipynb")
    results = tmp_path / "results"
    results.mkdir()
    (results / "participant_flow.csv").write_text("as it was\n")
    with pytest.raises(PapermillExecutionError, match="planted"):
        _run(tmp_path / "cohort.ipynb", tmp_path / "out.ipynb", results)
    assert (results / "participant_flow.csv").read_text() == "as it was\n"
    written = list((results / staging.STAGING).glob("*/participant_flow.csv"))
    assert written and written[0].read_text() != "as it was\n"  # it was written, to the copy


def test_a_running_notebooks_copy_is_left_alone(tmp_path):
    results = tmp_path / "results"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (results / staging.STAGING / f"{live.pid}-0000").mkdir(parents=True)
        (results / staging.STAGING / "999999999-0000").mkdir()  # no such process
        namespace = {"results_dir": str(results)}
        staging.begin(namespace)
        left = sorted(p.name for p in (results / staging.STAGING).iterdir())
        assert f"{live.pid}-0000" in left and "999999999-0000" not in left
        staging.finish(namespace)
        assert namespace["results_dir"] == str(results)
    finally:
        live.kill()
        live.wait()


def test_under_the_pipeline_the_notebook_leaves_staging_to_it(tmp_path):
    scratch = tmp_path / "results" / staging.SCRATCH / "step-1-ab"
    namespace = {"results_dir": str(scratch)}
    staging.begin(namespace)
    assert namespace == {"results_dir": str(scratch)}
    staging.finish(namespace)
    assert not (tmp_path / "results").exists()  # no copy made
