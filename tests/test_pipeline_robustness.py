"""The build never serves a stale result (issue 15): one test per reproduction of the issue, on
tiny projects in tmp_path (fixture notebooks, not the book's), so each takes a few seconds."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers.build import kernels, pipeline
try:
    from helpers.build import params
except ImportError:  # the code before issue 15
    params = None

ROOT = Path(__file__).resolve().parents[1]
REAL_CONFIG = ROOT / "notebooks" / "params.yaml"


def _notebook(path, body, parameters='data_dir = "x"\nresults_dir = "y"\nalpha = 0.05'):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell] + [nbformat.v4.new_code_cell(c) for c in body]
    nbformat.write(notebook, path)


def _project(tmp_path, notebooks, after=None, data_dir="data/published", declarations=True):
    """A scratch project: params.yaml (with the real 'parameters' block) and ``notebooks``
    ({name: [cell, ...]}); ``data_dir`` holds one file."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / data_dir).mkdir(parents=True, exist_ok=True)
    (tmp_path / data_dir / "outcomes.csv").write_text("mean\n39.78\n")
    config = {"all": {"data_dir": data_dir}, "notebooks": {name: {} for name in notebooks}}
    if after:
        config["after"] = after
    if declarations:
        config["parameters"] = yaml.safe_load(REAL_CONFIG.read_text())["parameters"]
    (tmp_path / "notebooks" / "params.yaml").write_text(yaml.safe_dump(config))
    for name, body in notebooks.items():
        _notebook(tmp_path / "notebooks" / f"{name}.ipynb", body)
    return tmp_path


WRITE = ("from helpers.reanalysis import paths\n"
         "paths.resolve(results_dir).mkdir(parents=True, exist_ok=True)\n"
         "(paths.resolve(results_dir) / 'table.csv').write_text(open(paths.resolve(data_dir) / "
         "'outcomes.csv').read() + str(alpha))")


# ---------------------------------------------------------------------------------------------
# 1. The cache is keyed on contents
# ---------------------------------------------------------------------------------------------

def test_cache_sees_an_edit_in_a_data_dir_outside_data(tmp_path, monkeypatch, capsys):
    """Reproduction 1: a copy of the data in runs/ct-data, edited between two runs."""
    project = _project(tmp_path, {"01_demo": [WRITE]}, data_dir="runs/ct-data")
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    argv = ["01", "-p", "data_dir", "runs/ct-data", "--output-dir", "runs/ct"]
    assert pipeline.main(argv) == 0
    assert "1 step(s) executed" in capsys.readouterr().out
    outcomes = project / "runs" / "ct-data" / "outcomes.csv"
    outcomes.write_text(outcomes.read_text().replace("39.78", "140"))
    assert pipeline.main(argv) == 0
    assert "1 step(s) executed, 0 unchanged" in capsys.readouterr().out
    assert "140" in (project / "runs" / "ct" / "results" / "table.csv").read_text()


def _keyed_project(tmp_path, monkeypatch, code):
    """A scratch project with a copy of src/helpers and one notebook, 01_demo, running ``code``;
    returns the project and a function giving 01_demo's cache key as the files are now."""
    project = _project(tmp_path, {"01_demo": [code]})
    shutil.copytree(ROOT / "src" / "helpers", project / "src" / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (project / "pyproject.toml").write_text("")
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    config = pipeline.load_config()

    def key():
        runs = pipeline.plan(config, ["01_demo"], {}, "out", "out/results")
        return pipeline.step_keys(runs, {"01_demo": set()}, "python3")["01_demo"]

    return project, key


def test_cache_keys_cover_data_dir_and_only_imported_helpers(tmp_path, monkeypatch):
    """The key changes with any byte of data_dir, and not with a module the step does not
    import (its inputs are narrow)."""
    project, key = _keyed_project(tmp_path, monkeypatch, "from helpers.reanalysis.glue import glue")
    package = project / "src" / "helpers"
    first = key()
    with open(package / "methods" / "sprite.py", "a") as handle:
        handle.write("\n# a comment in a module 01_demo does not import\n")
    assert key() == first
    with open(package / "reanalysis" / "glue.py", "a") as handle:
        handle.write("\n# a comment in a module it imports\n")
    second = key()
    assert second != first
    (project / "data" / "published" / "outcomes.csv").write_text("mean\n39.79\n")
    assert key() != second


def test_cache_keys_follow_imports_through_the_layers(tmp_path, monkeypatch):
    """A notebook that imports one module of the application depends on the modules that module
    imports, relative or absolute, in its own layer and below (``from ..methods.ledger import``
    in helpers/reanalysis/ledger.py), and on the ``__init__`` of every package on the way; not on
    a module of another layer it never reaches."""
    project, key = _keyed_project(tmp_path, monkeypatch, "from helpers.reanalysis import ledger")
    package = project / "src" / "helpers"
    keys = [key()]
    for module in ("reanalysis/ledger.py", "methods/ledger.py", "reanalysis/results.py",
                   "reanalysis/trial.py", "reanalysis/__init__.py", "methods/__init__.py",
                   "__init__.py"):
        with open(package / module, "a") as handle:
            handle.write("\n# a comment in a module the notebook reaches\n")
        keys.append(key())
    assert len(set(keys)) == len(keys)  # every edit above changed the key
    for module in ("methods/sprite.py", "methods/effects.py", "build/sweep.py",
                   "reanalysis/plots.py"):
        with open(package / module, "a") as handle:
            handle.write("\n# a comment in a module the notebook never imports\n")
    assert key() == keys[-1]


def _fresh(project, monkeypatch, names, output_dir="out"):
    """Which of ``names`` the next build would take from the cache (asked without a kernel)."""
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    config = pipeline.load_config()
    runs = pipeline.plan(config, names, {}, output_dir, f"{output_dir}/results")
    keys = pipeline.step_keys(runs, pipeline.dependencies(config, runs), "python3")
    cache = pipeline.Cache(output_dir, f"{output_dir}/results")
    return {run.name: cache.fresh(run.name, keys[run.name], run) for run in runs}


def test_finished_step_is_recorded_before_a_later_one_fails(tmp_path, monkeypatch):
    project = _project(tmp_path, {"01_ok": ["print(1)"], "02_bad": ["1 / 0"]},
                       after={"02_bad": ["01_ok"]})
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out", "--jobs", "1"]) == 1
    assert _fresh(project, monkeypatch, ["01_ok", "02_bad"]) == {"01_ok": True, "02_bad": False}


# ---------------------------------------------------------------------------------------------
# 2. Atomic results per step
# ---------------------------------------------------------------------------------------------

def _snapshot(*folders):
    return {p: p.read_bytes() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_failed_notebook_leaves_results_and_notebooks_as_they_were(tmp_path, monkeypatch, capsys):
    """Reproduction 2: a notebook that writes its results, then fails in a late cell. results/
    and book/notebooks/ stay byte for byte as they were, and the next build (from the cache, as
    nothing changed) keeps the good file."""
    late = "if alpha > 0.2:\n    raise ValueError('a late cell fails')"
    project = _project(tmp_path, {"03_demo": [WRITE, late]})
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main([]) == 0
    capsys.readouterr()
    before = _snapshot(project / "results", project / "book" / "notebooks")
    assert pipeline.main(["03", "-p", "alpha", "0.3"]) == 1
    assert _snapshot(project / "results", project / "book" / "notebooks") == before
    assert "03_demo.ipynb and the results were left as they were" in capsys.readouterr().err
    assert not (project / "results" / ".scratch").exists()
    assert pipeline.main([]) == 0  # no kernel: everything is cached
    assert "0 step(s) executed, 1 unchanged" in capsys.readouterr().out
    assert (project / "results" / "table.csv").read_text().endswith("0.05")


def test_real_reproduction_is_refused_before_any_kernel(capsys, monkeypatch):
    """Reproduction 2 on the real notebooks: r_grid [2] is refused before notebook 03 starts, so
    results/ and book/notebooks/ cannot change (nothing runs: this takes no kernel)."""
    monkeypatch.setattr(pipeline, "schedule", lambda *a, **k: pytest.fail("a kernel was started"))
    before = _snapshot(ROOT / "results", ROOT / "book" / "notebooks")
    assert pipeline.main(["03", "-p", "r", "0.3", "-p", "r_grid", "[2]"]) == 1
    err = capsys.readouterr().err
    assert "parameter r_grid = [2] (03_bm22) has element 0 = 2, which lies outside " \
        "[-1, 1]; allowed: a non-empty list, each a number in [-1, 1]" in err
    assert _snapshot(ROOT / "results", ROOT / "book" / "notebooks") == before


# ---------------------------------------------------------------------------------------------
# 4. Parameters validated before any kernel starts
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    (["03", "-p", "alpha", "0"], "parameter alpha = 0 (03_bm22) lies outside (0, 1); "
                                 "allowed: a number in (0, 1)"),
    (["03", "-p", "alpha", "2"], "parameter alpha = 2 (03_bm22) lies outside (0, 1)"),
    (["03", "-p", "r", "abc"], "parameter r = 'abc' (03_bm22) is not a number; "
                               "allowed: a number in [-1, 1]"),
    (["03", "-p", "r", ".inf"], "parameter r = inf (03_bm22) is not a finite number"),
    (["03", "-p", "r_grid", "[]"], "parameter r_grid = [] (03_bm22) is empty"),
    (["06", "-p", "seed", "1.5"], "parameter seed = 1.5 (06_sensitivity) is not an integer"),
    (["06", "-p", "plausible_r", "[0.1]"], "parameter plausible_r = [0.1] (06_sensitivity) has 1 "
                                           "element(s), not 2"),
    (["01", "-p", "data_dir", "pyproject.toml"], "parameter data_dir = 'pyproject.toml' "
                                                 "(every notebook) is a file, not a folder"),
    (["01", "-p", "data_dir", "no/such/folder"], "parameter data_dir = 'no/such/folder' "
                                                 "(every notebook) does not exist"),
    (["03", "-p", "r_grid", "[2"], "-p r_grid '[2': not a valid value (read as YAML, column 3"),
])
def test_bad_parameter_is_refused_before_any_kernel(argv, message, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "schedule", lambda *a, **k: pytest.fail("a kernel was started"))
    assert pipeline.main([*argv, "--output-dir", "build/never"]) == 1
    assert message in capsys.readouterr().err


def test_every_notebook_default_passes_its_declaration():
    import json

    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(source.read_text())
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        [index] = [i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", [])]
        namespace = {}
        exec("".join(cells[index]["source"]), namespace)  # noqa: S102 - our own notebook
        params.check({k: v for k, v in namespace.items() if k != "__builtins__"})
        # the first code cell after the parameters checks them under plain papermill
        assert "params.check(globals())" in "".join(cells[index + 1]["source"]), source.name


def test_plain_papermill_gets_the_first_cell_check(tmp_path):
    """papermill -p r notanumber: the notebook's own check names the parameter and the range."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = tmp_path / "demo.ipynb"
    _notebook(source, ["from helpers.build import params; params.check(globals())", "print('ran')"],
              parameters="r = 0.5\nalpha = 0.05")
    with pytest.raises(PapermillExecutionError) as caught:
        # a kernel that loses a TCP port at start (a busy machine) is started again
        kernels.retrying(papermill.execute_notebook)(str(source), str(tmp_path / "out.ipynb"),
            parameters={"r": "notanumber"}, cwd=str(ROOT), progress_bar=False,
            kernel_name="python3")
    assert caught.value.ename == "ParameterError"
    assert caught.value.evalue == ("parameter r = 'notanumber' (notebook parameters) is not a "
                                   "number; allowed: a number in [-1, 1]")


# ---------------------------------------------------------------------------------------------
# 5. Bad params.yaml: file, line and column; cycles named as a cycle
# ---------------------------------------------------------------------------------------------

def test_malformed_params_yaml_names_file_line_and_column(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path, {"01_demo": ["1"]}, declarations=False)
    config = project / "notebooks" / "params.yaml"
    config.write_text("all:\n  data_dir: [data\nnotebooks:\n  01_demo: {}\n")
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    err = capsys.readouterr().err
    assert f"{config}, line 3, column 10: not valid YAML" in err and "Traceback" not in err


def test_dependency_cycle_is_named(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path, {"01_a": ["1"], "02_b": ["1"], "03_c": ["1"]},
                       after={"01_a": ["03_c"], "02_b": ["01_a"], "03_c": ["02_b"]})
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    assert "params.yaml 'after' has a dependency cycle: 01_a -> 03_c -> 02_b -> 01_a" in \
        capsys.readouterr().err


def test_results_dir_in_the_way_is_named(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path, {"01_demo": ["1"]})
    (project / "blocked").write_text("a file, not a folder")
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out", "--results-dir", "blocked/results"]) == 1
    assert f"{project}/blocked/results cannot be created: a file is in the way" in \
        capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_unwritable_results_is_named(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path, {"01_demo": ["1"]})
    (project / "locked").mkdir(mode=0o555)
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out", "--results-dir", "locked"]) == 1
    assert "locked is not writable (permission denied)" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# 6. Interrupts: Ctrl-C stops the build at once, workers die with their parent, finished steps stay cached
# ---------------------------------------------------------------------------------------------

def _hear_ctrl_c() -> None:
    """In the child before it runs: SIGINT back to its default. A test run started in the
    background of a non-interactive shell (scripts/stress_test.sh) inherits SIGINT ignored, and
    a Python started so ignores Ctrl-C for good, as it should for a user's ``nohup``."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(project, *argv):
    env = {**os.environ, "RIEF_PROJECT_ROOT": str(project), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "helpers.build.pipeline", *argv],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=_hear_ctrl_c)


def _wait_for(process, text, timeout=60):
    seen = ""
    deadline = time.monotonic() + timeout
    while text not in seen:
        line = process.stdout.readline()
        if not line or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never saw {text!r}: {seen}{process.stderr.read()}")
        seen += line
    return seen


SLOW = "import time\ntime.sleep(60)"


def _survivors(family, timeout=2):
    """The processes of ``family`` still running after ``timeout`` s (a zombie is dead: it only
    waits for an init that reaps slowly)."""
    import psutil

    _, alive = psutil.wait_procs(family, timeout=timeout)
    survivors = []
    for process in alive:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                survivors.append(process)
        except psutil.NoSuchProcess:
            pass
    return survivors


def test_ctrl_c_stops_at_once_and_keeps_finished_steps(tmp_path, monkeypatch):
    import psutil

    project = _project(tmp_path, {"01_fast": ["print(1)"], "02_slow": [SLOW]})
    process = _start(project, "--output-dir", "out", "--jobs", "2")
    _wait_for(process, "01_fast done")
    family = psutil.Process(process.pid).children(recursive=True)
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what the terminal's Ctrl-C does
    out, err = process.communicate(timeout=50)
    elapsed = time.monotonic() - started
    # The slow step sleeps 60 s: stopping long before it proves the interrupt ended it. About
    # 1 s on an idle machine; a busy one (make test beside other jobs) took up to 6 s, so this
    # is no timing benchmark (those are in benchmarks/), only "it did not wait for the step".
    assert elapsed < 30, f"took {elapsed:.1f} s to stop"
    assert process.returncode == 130
    assert err.strip().splitlines() == ["interrupted: finished 01_fast; not finished 02_slow"]
    assert not _survivors(family), "a worker or kernel outlived the interrupt"
    # the finished step stays cached (checked here without a kernel: what the next build asks)
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    runs = pipeline.plan(pipeline.load_config(), ["01_fast", "02_slow"], {}, "out",
                         "out/results")
    keys = pipeline.step_keys(runs, {"01_fast": set(), "02_slow": set()}, "python3")
    cache = pipeline.Cache("out", "out/results")
    assert cache.fresh("01_fast", keys["01_fast"], runs[0])
    assert not cache.fresh("02_slow", keys["02_slow"], runs[1])
    assert not (project / "out" / "02_slow.ipynb").exists()


def test_the_pipelines_kernels_talk_over_unix_sockets_not_tcp_ports(tmp_path, monkeypatch,
                                                                    capsys):
    """Issue 23's flake at its root: a kernel on TCP ports can lose one to another process (the
    stress test saw a kernel hang 60 s that way); the pipeline's kernels use the ipc transport,
    in a folder of their own that is gone after the run."""
    import tempfile

    record = ("import json\nfrom ipykernel.connect import get_connection_file\n"
              "from helpers.reanalysis import paths\n"
              "info = json.load(open(get_connection_file()))\n"
              "paths.resolve(results_dir).mkdir(parents=True, exist_ok=True)\n"
              "(paths.resolve(results_dir) / 'transport.csv').write_text("
              "info['transport'] + ',' + info['ip'])")
    project = _project(tmp_path, {"01_transport": [record]})
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 0
    transport, ip = (project / "out" / "results" / "transport.csv").read_text().split(",")
    assert transport == "ipc"
    assert Path(ip).parent.parent == Path(tempfile.gettempdir())
    assert not Path(ip).parent.exists()  # its folder, removed at shutdown


def _blocked_signals(pid: int) -> int:
    """The signal mask of process ``pid`` (Linux: /proc/PID/status, SigBlk)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    raise AssertionError("no SigBlk line")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_a_worker_is_born_deaf_to_ctrl_c():
    """A Ctrl-C in the first second or two (a worker still importing, before it can ignore the
    signal) printed the worker's traceback: a worker must start with SIGINT blocked."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        worker = pipeline._submit_shielded(pool, os.getpid).result(timeout=60)
        assert _blocked_signals(worker) & (1 << (signal.SIGINT - 1))
    assert not _blocked_signals(os.getpid()) & (1 << (signal.SIGINT - 1))  # the parent hears it


def test_workers_and_kernels_die_with_a_killed_parent(tmp_path):
    import psutil

    marker = tmp_path / "out" / "late.txt"
    body = [f"import time\ntime.sleep(2)\nopen({str(marker)!r}, 'w').write('late')"]
    project = _project(tmp_path, {"01_slow": body})
    process = _start(project, "--output-dir", "out", "--jobs", "1")
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    while not any("ipykernel" in " ".join(c.cmdline()) for c in parent.children(recursive=True)
                  if c.is_running()):
        assert time.monotonic() < deadline, "no kernel started"
        time.sleep(0.1)
    family = parent.children(recursive=True)
    process.kill()  # SIGKILL: the parent cannot clean up
    process.wait()
    alive = _survivors(family)
    assert not alive, f"outlived their parent: {[p.cmdline() for p in alive]}"
    time.sleep(2.5)
    assert not marker.exists()
    assert not (project / "out" / "01_slow.ipynb").exists()


# ---------------------------------------------------------------------------------------------
# 3. No process-lifetime cache of file contents; 5. values validated at load
# ---------------------------------------------------------------------------------------------

def test_schema_edited_during_a_session_is_enforced(transcription):
    """Reproduction 3: datapackage.json edited in the same process (its modification time put
    back, as a checkout or `cp -p` can leave it): the new schema is enforced, and no marker
    records the file as valid under it."""
    import json

    from helpers.reanalysis import data

    assert len(data.load_outcomes(transcription)) == 60
    package = transcription / "datapackage.json"
    stat = package.stat()
    descriptor = json.loads(package.read_text())
    outcomes = next(r for r in descriptor["resources"] if r["name"] == "outcomes")
    sd = next(f for f in outcomes["schema"]["fields"] if f["name"] == "sd")
    sd["constraints"]["maximum"] = 5  # every SD of the paper is above 5
    package.write_text(json.dumps(descriptor, indent=2))
    os.utime(package, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(data.TranscriptionError, match="outcomes.csv, line 2, column 'sd': 23.91 "
                       "is above the maximum 5"):
        data.load_outcomes(transcription)
    with pytest.raises(data.TranscriptionError):  # and again: nothing marked it valid
        data.load_outcomes(transcription)


def test_mean_outside_its_scale_is_refused(transcription):
    """Reproduction 4: a mean of 140 on a 0-100 scale (the issue's sed on line 2)."""
    from helpers.reanalysis import data

    outcomes = transcription / "outcomes.csv"
    lines = outcomes.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(",39.78,", ",140,")
    outcomes.write_text("".join(lines))
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(transcription)
    assert str(caught.value.problems[0]) == (
        "outcomes.csv, line 2, column 'mean': 140 lies outside BM22 painful_sites's range "
        "[0, 100] (trial.yaml, data/instruments)")


def test_invalid_json_schema_names_the_file_line_and_column(transcription):
    from helpers.reanalysis import data

    package = transcription / "datapackage.json"
    package.write_text(package.read_text().replace('"resources"', '"resources',  1))
    with pytest.raises(data.TranscriptionError) as caught:
        data.load_outcomes(transcription)
    [problem] = caught.value.problems
    assert problem.file == str(package) and problem.line is not None
    assert "not valid JSON" in problem.message and ", column " in problem.message


def test_data_dir_that_is_a_file_is_named(tmp_path):
    from helpers.reanalysis import data

    not_a_folder = tmp_path / "outcomes.csv"
    not_a_folder.write_text("a file")
    with pytest.raises(data.TranscriptionError, match=f"{not_a_folder}: is a file, not a data "
                       "folder"):
        data.load_outcomes(not_a_folder)


def test_yaml_errors_name_the_file(transcription, tmp_path):
    from helpers.reanalysis import instruments, trial

    (transcription / "trial.yaml").write_text("id: x\narms: [A\n")
    with pytest.raises(trial.TrialError, match=r"trial.yaml, line 3, column 1: not valid YAML"):
        trial.load(transcription)
    library = tmp_path / "instruments.yaml"
    library.write_text("instruments:\n  - id: [BM22\n")
    with pytest.raises(ValueError, match=rf"{library}, line 3, column 1: not valid YAML"):
        instruments.load_library(str(library))


def test_a_killed_kernel_names_its_step_and_cell(tmp_path, monkeypatch, capsys):
    """Issue 23: a kernel killed mid-run gave a raw DeadKernelError traceback naming no step."""
    project = _project(tmp_path, {"01_demo": ["x = 1", "import os; os._exit(1)"]})
    monkeypatch.setenv("RIEF_PROJECT_ROOT", str(project))
    assert pipeline.main(["--output-dir", "out"]) == 1
    said = capsys.readouterr().err
    # cells: the parameters, papermill's injected parameters, x = 1, then the exit
    assert "01_demo: the kernel died in cell 3 (killed, or out of memory)" in said
    assert "Traceback" not in said
    assert not (project / "out" / "01_demo.ipynb").exists()
