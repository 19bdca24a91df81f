"""Build benchmarks: fresh clone to book, cold build against its floor, no-op, reruns, make test.

The floor is papermill executing notebooks that only import the libraries the real notebooks
import (kernel start and imports), once for every notebook execution a cold build makes (the
numbered notebooks and the ledger, and the sweep's reruns only when a notebook lists ``sweep`` in
``after``, as the pipeline decides), on the same number of workers. Targets (issue 14, on 2
cores): a fresh clone to a built book (``make book`` with no ``.venv``: venv, install, notebooks,
book) under 60 s; no-op ``make book`` under 2 s; ``make test`` under 75 s; cold build (the
environment installed) at most 1.3x the floor. The cold build and the one-parameter reruns
(``-p r 0.7``, then ``-p alpha 0.01`` on top) run in ``runs/bench/`` (committed outputs are not
touched); the no-op is ``make book`` in the repository, run twice, the second timed, and
``make test`` runs in the repository too (so run ``make bench`` in a clone of your own, such as
the one ``scripts/fresh_machine_check.sh`` makes, while others work in the same folder). The
fresh clone is ``git clone`` of this repository's committed HEAD into a temporary folder
(``--worktree`` lays the uncommitted changes on it), with ``shared/`` copied beside it as CI has
it, and the machine's package caches (``--cold-cache``: empty uv and pip caches, as on a new
machine). Run with ``make bench``; ``--skip-test`` and ``--skip-fresh`` leave out those timings.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat
import yaml

from helpers.build.pipeline import SWEEP, load_steps

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "runs" / "bench"
IMPORTS = """import numpy, pandas, scipy.stats, matplotlib, seaborn, pingouin, statsmodels.api
import frictionless
from helpers.methods import balance, consistency, effects, scoring, sensitivity, sprite
from helpers.reanalysis import cohort, data, glue, ledger, plots, results, table_checks, tables"""


def _timed(command, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def _pipeline(command) -> tuple[float, str]:
    """Time a pipeline run; return the seconds and its summary ("N step(s) executed, ...")."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = re.search(r"\d+ step\(s\) executed, \d+ unchanged", done.stdout)
    return seconds, summary.group(0) if summary else "no summary"


def _floor_one(path: str) -> None:
    import papermill

    papermill.execute_notebook(path, path, kernel_name="python3", progress_bar=False,
                               log_output=False,
                               extra_arguments=["--IPKernelApp.log_level=CRITICAL"])


def floor(executions: int, jobs: int) -> float:
    folder = BENCH / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(IMPORTS)]
    paths = []
    for i in range(executions):
        path = folder / f"floor_{i:02d}.ipynb"
        nbformat.write(notebook, path)
        paths.append(str(path))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        list(pool.map(_floor_one, paths))
    return time.perf_counter() - start


def book_build(notebooks: Path, fresh: bool) -> float:
    book = BENCH / "book"
    if fresh:
        shutil.rmtree(book, ignore_errors=True)
        shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "notebooks"))
    shutil.copytree(notebooks, book / "notebooks", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("results", "sweep"))
    shutil.copytree(notebooks / "results", BENCH / "results", dirs_exist_ok=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return _timed([str(jupyter_book), "build", str(book), "--warningiserror", "--nitpick",
                   "--keep-going", "--quiet"], stderr=subprocess.DEVNULL)


def fresh_clone(worktree: bool, cold_cache: bool) -> tuple[float, float, str]:
    """Clone the repository into a temporary folder and time ``make book`` there, with no
    ``.venv`` (venv, install, every notebook, the book); return the seconds of the install and
    of the whole ``make book``, and which installer ran."""
    with tempfile.TemporaryDirectory(prefix="rief-fresh-") as scratch:
        clone = Path(scratch) / "main"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True,
                       capture_output=True)
        if worktree:  # the uncommitted changes to tracked files, and the new files
            diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, check=True,
                                  capture_output=True).stdout
            if diff:
                subprocess.run(["git", "apply"], cwd=clone, input=diff, check=True)
            new = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"],
                                 cwd=ROOT, check=True, capture_output=True, text=True).stdout
            for name in filter(None, new.split("\0")):
                (clone / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, clone / name)
        if (ROOT.parent / "shared").is_dir():  # CI has shared/ beside its clone
            shutil.copytree(ROOT.parent / "shared", Path(scratch) / "shared")
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV")}
        if cold_cache:
            env["UV_CACHE_DIR"] = str(Path(scratch) / "uv-cache")
            env["PIP_CACHE_DIR"] = str(Path(scratch) / "pip-cache")
        start = time.perf_counter()
        done = subprocess.run(["make", "install"], cwd=clone, env=env, capture_output=True,
                              text=True)
        install = time.perf_counter() - start
        installer = "pip" if "installing with pip" in done.stderr else "uv"
        if done.returncode == 0:
            done = subprocess.run(["make", "book"], cwd=clone, env=env, capture_output=True,
                                  text=True)
        total = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"fresh clone: make failed\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return install, total, installer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-test", action="store_true", help="do not time make test")
    parser.add_argument("--skip-fresh", action="store_true",
                        help="do not time a fresh clone to a built book")
    parser.add_argument("--worktree", action="store_true",
                        help="the fresh clone gets the uncommitted changes too")
    parser.add_argument("--cold-cache", action="store_true",
                        help="the fresh clone installs with empty uv and pip caches")
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    config = yaml.safe_load((ROOT / "notebooks" / "params.yaml").read_text())
    after = config.get("after") or {}
    with_sweep = bool(config.get("sweep")) and any(
        SWEEP in after.get(name, []) for name in config["notebooks"])
    # the steps the pipeline plans (a source notebook may be several steps: one per instrument)
    steps = load_steps()["notebooks"]
    executions = len(steps) + (len(config["sweep"]["notebooks"]) * len(
        config["sweep"].get("r", [])) if with_sweep else 0)
    verdicts: list[str] = []

    def target(name: str, value: float, limit: float, unit: str) -> str:
        met = "met" if value <= limit else "NOT met"
        verdicts.append(f"  {name}: {value:.2f} {unit} (target {limit:g} {unit}): {met}")
        return f"(target {limit:g} {unit}: {met})"
    shutil.rmtree(BENCH, ignore_errors=True)
    out = BENCH / "notebooks"
    pipeline = [sys.executable, "-m", "helpers.build.pipeline", "--output-dir", str(out),
                "--results-dir", str(out / "results")]
    print(f"workers: {jobs}; notebook executions in a cold build: {executions}", flush=True)
    floor_seconds = floor(executions, jobs)
    print(f"floor (import-only notebooks): {floor_seconds:.1f} s", flush=True)
    notebooks, steps = _pipeline(pipeline + ["--no-cache"])
    cold = notebooks + book_build(out, fresh=True)
    ratio = cold / floor_seconds
    print(f"cold build: {cold:.1f} s = {ratio:.2f} x floor "
          f"{target('cold build / floor', ratio, 1.3, 'x')}; "
          f"notebooks {notebooks:.1f} s ({steps}), book {cold - notebooks:.1f} s", flush=True)
    _timed(["make", "book"])  # the repository's own build, brought up to date
    noop = _timed(["make", "book"])
    print(f"no-op make book: {noop:.1f} s {target('no-op make book', noop, 2, 's')}", flush=True)
    changed: list[str] = []  # each rerun changes one parameter from the run before it
    for name, value in (("r", "0.7"), ("alpha", "0.01")):
        changed += ["-p", name, value]
        notebooks, steps = _pipeline(pipeline + changed)
        one = notebooks + book_build(out, fresh=False)
        print(f"one-parameter rerun (-p {name} {value}; {steps}): {one:.1f} s = "
              f"{one / cold:.2f} x cold build", flush=True)
    if not args.skip_test:
        test = _timed(["make", "test"], stderr=subprocess.DEVNULL)
        print(f"make test: {test:.1f} s {target('make test', test, 75, 's')}", flush=True)
    if not args.skip_fresh:
        install, fresh, installer = fresh_clone(args.worktree, args.cold_cache)
        caches = "empty caches" if args.cold_cache else "the machine's package caches"
        print(f"fresh clone to a built book (make book, no .venv; {caches}): {fresh:.1f} s "
              f"{target('fresh clone to built book', fresh, 60, 's')}; install {install:.1f} s "
              f"with {installer}, notebooks and book {fresh - install:.1f} s", flush=True)
    print("targets (issue 14):", *verdicts, sep="\n", flush=True)


if __name__ == "__main__":
    main()
