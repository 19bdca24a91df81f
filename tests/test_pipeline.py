"""helpers.build.pipeline: selection, parameters, failures that name the notebook and cell and leave
the previous output in place."""

import json

import nbformat
import pytest

from helpers.build import pipeline

NAMES = ["01_cohort", "02_scoring", "03_bm22"]


@pytest.mark.parametrize(("requested", "expected"), [
    ([], NAMES),
    (["03"], ["03_bm22"]),
    (["scoring", "01"], ["01_cohort", "02_scoring"]),
    (["notebooks/02_scoring.ipynb"], ["02_scoring"]),
])
def test_select(requested, expected):
    assert pipeline.select(NAMES, requested) == expected


def test_select_unknown():
    with pytest.raises(pipeline.PipelineError, match="no notebook '07'"):
        pipeline.select(NAMES, ["07"])


def test_overrides_are_yaml():
    assert pipeline.parse_overrides([["r", "0.5"], ["seed", "42"], ["label", "t0"],
                                     ["rs", "[0.3, 0.7]"]]) == {
        "r": 0.5, "seed": 42, "label": "t0", "rs": [0.3, 0.7]}


def _project(tmp_path, cells):
    """A scratch project: notebooks/params.yaml and one notebook made of ``cells``."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "params.yaml").write_text(
        "all:\n  data_dir: data/published\nnotebooks:\n  01_demo: {}\n")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    parameters = nbformat.v4.new_code_cell('data_dir = "x"\nresults_dir = "y"\nalpha = 0.05')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, tmp_path / "notebooks" / "01_demo.ipynb")
    return tmp_path


def test_unknown_parameter_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_project(tmp_path, ["1"])))
    config = pipeline.load_config()
    with pytest.raises(pipeline.PipelineError, match="unknown parameter beta: the selected "
                       "notebooks declare alpha, data_dir, results_dir"):
        pipeline.plan(config, ["01_demo"], {"beta": 1}, "out", "out/results")


def test_parameters_layered(tmp_path, monkeypatch):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_project(tmp_path, ["1"])))
    config = pipeline.load_config()
    [run] = pipeline.plan(config, ["01_demo"], {"alpha": 0.01}, "out", "out/results")
    assert run.parameters == {"data_dir": "data/published", "results_dir": "out/results",
                              "alpha": 0.01}
    assert run.target == tmp_path / "out" / "01_demo.ipynb"


def test_run_writes_tidy_notebook(tmp_path, monkeypatch):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_project(tmp_path, ["print(alpha)"])))
    assert pipeline.main(["-p", "alpha", "0.01", "--output-dir", "out"]) == 0
    executed = json.loads((tmp_path / "out" / "01_demo.ipynb").read_text())
    assert executed["cells"][-1]["outputs"][0]["text"] == ["0.01\n"]
    papermill_meta = executed["metadata"]["papermill"]
    assert "start_time" not in papermill_meta and "duration" not in papermill_meta
    assert papermill_meta["output_path"] == "out/01_demo.ipynb"
    assert not list((tmp_path / "out").glob("*.partial*"))


def test_failure_names_notebook_and_cell_and_keeps_previous_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_project(tmp_path, ["x = 1", "1 / 0"])))
    (tmp_path / "out").mkdir()
    previous = tmp_path / "out" / "01_demo.ipynb"
    previous.write_text("a good notebook from an earlier run")
    assert pipeline.main(["--output-dir", "out"]) == 1
    error = capsys.readouterr().err
    assert "01_demo failed in cell 3" in error
    assert "ZeroDivisionError: division by zero" in error
    assert "build/failed/01_demo.ipynb" in error
    assert previous.read_text() == "a good notebook from an earlier run"
    assert (tmp_path / "build" / "failed" / "01_demo.ipynb").is_file()
    assert not list((tmp_path / "out").glob("*.partial*"))


def _two_step_project(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "params.yaml").write_text(
        "all:\n  data_dir: data/published\nnotebooks:\n  01_demo: {}\n  02_demo: {}\n"
        "after:\n  02_demo: [01_demo]\n")
    for name, body in (("01_demo", "print(alpha)"), ("02_demo", "print(alpha * 2)")):
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        parameters = nbformat.v4.new_code_cell('data_dir = "x"\nresults_dir = "y"\nalpha = 0.05')
        parameters.metadata["tags"] = ["parameters"]
        notebook.cells = [parameters, nbformat.v4.new_code_cell(body)]
        nbformat.write(notebook, tmp_path / "notebooks" / f"{name}.ipynb")
    return tmp_path


def test_cache_skips_unchanged_and_reruns_what_depends(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_two_step_project(tmp_path)))
    assert pipeline.main(["--output-dir", "out"]) == 0
    assert "2 step(s) executed, 0 unchanged" in capsys.readouterr().out
    assert pipeline.main(["--output-dir", "out"]) == 0
    assert "0 step(s) executed, 2 unchanged" in capsys.readouterr().out
    # a changed parameter reruns only the steps that declare it... and what depends on them
    assert pipeline.main(["--output-dir", "out", "-p", "alpha", "0.01"]) == 0
    assert "2 step(s) executed, 0 unchanged" in capsys.readouterr().out
    # a new source for the second step reruns it alone
    source = tmp_path / "notebooks" / "02_demo.ipynb"
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[1].source = "print(alpha + 1)"
    nbformat.write(notebook, source)
    assert pipeline.main(["--output-dir", "out", "-p", "alpha", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "1 step(s) executed, 1 unchanged" in out and "01_demo: unchanged" in out
    # a deleted output is rebuilt
    (tmp_path / "out" / "02_demo.ipynb").unlink()
    assert pipeline.main(["--output-dir", "out", "-p", "alpha", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "02_demo done" in out and "01_demo: unchanged" in out
    # --no-cache reruns everything
    assert pipeline.main(["--output-dir", "out", "-p", "alpha", "0.01", "--no-cache"]) == 0
    assert "2 step(s) executed, 0 unchanged" in capsys.readouterr().out


def test_unknown_step_in_after(tmp_path, monkeypatch, capsys):
    project = _two_step_project(tmp_path)
    config = project / "notebooks" / "params.yaml"
    config.write_text(config.read_text().replace("[01_demo]", "[00_missing]"))
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    assert "unknown step(s): 00_missing" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The correlation sweep as steps of the pipeline
# ---------------------------------------------------------------------------------------------

SWEEP_BODY = """\
from pathlib import Path
from helpers.reanalysis import paths
folder = paths.resolve(results_dir)
folder.mkdir(parents=True, exist_ok=True)
p = round(0.01 + r / 10, 6)
(folder / "reanalysis_{slug}.csv").write_text(
    "instrument,scale,contrast,p_published,p_change,p_ancova,change_smd\\n"
    f"{instrument},total,t3,0.04,{{p}},{{p}},0.5\\n")
print(r, alpha)
"""


def _sweep_project(tmp_path):
    """Three tiny sweep notebooks (the names the sweep reruns) and a step that needs the sweep."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "params.yaml").write_text(
        "all:\n  data_dir: data/published\nnotebooks:\n  03_bm22: {}\n"
        "  04_fa13: {}\n  05_qscr10: {}\n  06_sensitivity: {}\n"
        "sweep:\n  r: [0.0, 0.5]\n  notebooks: [03_bm22, 04_fa13, 05_qscr10]\n"
        "  files: [reanalysis_bm22, reanalysis_fa13, reanalysis_qscr10]\n"
        "after:\n  06_sensitivity: [sweep]\n")
    bodies = {
        "03_bm22": SWEEP_BODY.format(slug="bm22", instrument="BM22"),
        "04_fa13": SWEEP_BODY.format(slug="fa13", instrument="FA13"),
        "05_qscr10": SWEEP_BODY.format(slug="qscr10", instrument="QSCR10"),
        "06_sensitivity": "import pandas as pd\nfrom helpers.reanalysis import paths\n"
                          "print(len(pd.read_csv(paths.resolve(results_dir) / "
                          "'correlation_sweep.csv')))",
    }
    for name, body in bodies.items():
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        parameters = nbformat.v4.new_code_cell(
            'data_dir = "x"\nresults_dir = "y"\nalpha = 0.05' + ("\nr = 0.5" if name < "06" else ""))
        parameters.metadata["tags"] = ["parameters"]
        notebook.cells = [parameters, nbformat.v4.new_code_cell(body)]
        nbformat.write(notebook, tmp_path / "notebooks" / f"{name}.ipynb")
    return tmp_path


def test_sweep_runs_repeat_the_documented_command(tmp_path, monkeypatch):
    """Each sweep run has the parameters and target that helpers.build.sweep.command's line gives."""
    from helpers.build import sweep

    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_sweep_project(tmp_path)))
    config = pipeline.load_config()
    runs = pipeline.sweep_runs(config, {"alpha": 0.01}, "build/sweep")
    assert [run.name for run in runs][:3] == [
        "sweep r=0.00 03_bm22", "sweep r=0.00 04_fa13", "sweep r=0.00 05_qscr10"]
    for r in (0.0, 0.5):
        line = sweep.command(r, "build/sweep")[3:]  # after "python -m helpers.build.pipeline"
        notebooks = line[:line.index("-p")]
        by_hand = pipeline.plan(config, pipeline.select(list(config["notebooks"]), notebooks),
                                {"r": float(line[line.index("-p") + 2]), "alpha": 0.01},
                                line[-1], f"{pipeline._relative(pipeline.Path(line[-1]))}/results")
        mine = [run for run in runs if run.parameters["r"] == r]
        assert [(m.source, m.target, m.parameters) for m in mine] == \
            [(b.source, b.target, b.parameters) for b in by_hand]
        assert mine[0].parameters["results_dir"] == f"build/sweep/r_{r:.2f}/results"


@pytest.mark.parametrize(("grid", "message"), [
    ([], "at least one value"), ([0.3, 1.5], r"lie in \[-1, 1\]: \[1.5\]"),
    ([0.3, 0.301], "share a run folder")])
def test_bad_sweep_grid_is_refused(tmp_path, monkeypatch, capsys, grid, message):
    project = _sweep_project(tmp_path)
    config = project / "notebooks" / "params.yaml"
    config.write_text(config.read_text().replace("[0.0, 0.5]", str(grid)))
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    assert "params.yaml 'sweep'" in capsys.readouterr().err


def test_sweep_is_scheduled_cached_and_collected(tmp_path, monkeypatch, capsys):
    import pandas as pd

    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_sweep_project(tmp_path)))
    assert pipeline.main(["06", "--output-dir", "out", "-p", "alpha", "0.01", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    # six sweep runs, their collection, then the step that reads it
    assert "8 step(s) executed, 0 unchanged" in out
    assert out.index("sweep done") < out.index("06_sensitivity done")
    sweep_dir = tmp_path / "out" / "sweep"
    assert sorted(p.name for p in sweep_dir.iterdir()) == ["r_0.00", "r_0.50"]
    table = pd.read_csv(tmp_path / "out" / "results" / "correlation_sweep.csv")
    assert len(table) == 6 and sorted(set(table["r"])) == [0.0, 0.5]
    # -p alpha reached the sweep runs and the collection: p = 0.01 + r / 10 is not below 0.01
    assert not table["change_significant"].any()
    executed = json.loads((sweep_dir / "r_0.50" / "04_fa13.ipynb").read_text())
    assert executed["cells"][-1]["outputs"][0]["text"] == ["0.5 0.01\n"]
    # unchanged: nothing reruns
    assert pipeline.main(["06", "--output-dir", "out", "-p", "alpha", "0.01"]) == 0
    assert "0 step(s) executed, 8 unchanged" in capsys.readouterr().out
    # a sweep run's results touched: the three notebooks of that r rerun (the folder they share);
    # what they write is what the collection read, so the collection stays
    (sweep_dir / "r_0.00" / "results" / "reanalysis_fa13.csv").unlink()
    assert pipeline.main(["06", "--output-dir", "out", "-p", "alpha", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "3 step(s) executed, 5 unchanged" in out
    assert "sweep r=0.00 04_fa13 done" in out and "sweep r=0.50 04_fa13: unchanged" in out
    assert (sweep_dir / "r_0.00" / "results" / "reanalysis_fa13.csv").is_file()


def test_sweep_alone_runs_params_grid_through_build(tmp_path, monkeypatch, capsys):
    """python -m helpers.build.sweep without --r: params.yaml's grid, only the sweep's runs (no
    notebook of the book), collected; a rerun is cached."""
    import pandas as pd

    from helpers.build import sweep

    project = _sweep_project(tmp_path)
    config = project / "notebooks" / "params.yaml"
    config.write_text(config.read_text().replace("[0.0, 0.5]", "[0.2]"))
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert sweep.main(["--output-dir", "sw", "--results-dir", "sw", "--jobs", "3"]) == 0
    out = capsys.readouterr().out
    assert "correlation sweep: 1 value(s) of r x 3 notebook(s), 3 at a time" in out
    assert "[4/4] sweep done" in out and "06_sensitivity" not in out
    assert sorted(p.name for p in (tmp_path / "sw").iterdir() if p.is_dir()) == ["r_0.20"]
    assert not (tmp_path / "book").exists()  # no notebook of the book was run
    table = pd.read_csv(tmp_path / "sw" / "correlation_sweep.csv")
    assert len(table) == 3 and set(table["r"]) == {0.2}
    assert sweep.main(["--output-dir", "sw", "--results-dir", "sw", "--jobs", "3"]) == 0
    assert "[4/4] sweep: unchanged, not rerun" in capsys.readouterr().out


def test_sweep_r_overrides_params_grid(tmp_path, monkeypatch, capsys):
    """--r replaces params.yaml's grid; without it the grid is params.yaml's; a bad --r is refused
    before anything runs."""
    from helpers.build import sweep

    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_sweep_project(tmp_path)))
    calls = []
    monkeypatch.setattr(sweep, "build", lambda *args, **kwargs: calls.append(kwargs) or (0, 0))
    assert sweep.main(["--r", "0.1", "0.9", "--output-dir", "sw"]) == 0
    assert sweep.main(["--output-dir", "sw"]) == 0
    assert [call["sweep_r"] for call in calls] == [[0.1, 0.9], [0.0, 0.5]]
    assert all(call["with_sweep"] and call["sweep_dir"] == "sw" for call in calls)
    assert sweep.main(["--r", "1.5"]) == 1
    assert "correlations must lie in [-1, 1]" in capsys.readouterr().err
    assert len(calls) == 2


def test_sweep_notebooks_and_files_come_from_params_yaml(tmp_path, monkeypatch, capsys):
    """The sweep reruns the notebooks params.yaml names (no trial's chapter is named in the
    build's code) and collects the files it names; a name that is no notebook is refused."""
    project = _sweep_project(tmp_path)
    config = project / "notebooks" / "params.yaml"
    config.write_text(config.read_text()
                      .replace("[03_bm22, 04_fa13, 05_qscr10]", "[04_fa13]")
                      .replace("[reanalysis_bm22, reanalysis_fa13, reanalysis_qscr10]",
                               "[reanalysis_fa13]"))
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    runs = pipeline.sweep_runs(pipeline.load_config(), {}, "sw")
    assert [run.name for run in runs] == ["sweep r=0.00 04_fa13", "sweep r=0.50 04_fa13"]
    assert pipeline.main(["06", "--output-dir", "out", "--jobs", "2"]) == 0
    table = (project / "out" / "results" / "correlation_sweep.csv").read_text().splitlines()
    assert len(table) == 3 and all(",FA13," in line for line in table[1:])
    config.write_text(config.read_text().replace("[04_fa13]", "[09_none]"))
    with pytest.raises(pipeline.PipelineError, match=r"names no notebook of 'notebooks': \['09_none'\]"):
        pipeline.sweep_runs(pipeline.load_config(), {}, "sw")


def test_build_refuses_a_bad_grid_given_to_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(_sweep_project(tmp_path)))
    with pytest.raises(pipeline.PipelineError, match="the sweep's r: .*at least one value"):
        pipeline.build((), output_dir="sw", results_dir="sw", with_sweep=True, sweep_r=[])


def test_first_starts_a_long_step_before_its_equals(tmp_path, monkeypatch, capsys):
    """params.yaml's ``first`` is checked before any kernel starts; a named step must exist."""
    project = _two_step_project(tmp_path)
    config = project / "notebooks" / "params.yaml"
    config.write_text(config.read_text() + "first: [03_demo]\n")
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    assert "params.yaml 'first' must list notebooks of 'notebooks', got ['03_demo']" in \
        capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.ipynb"))
