"""Build benchmarks: cold build, no-op rebuild, one-parameter rerun, make test, and the floor.

The floor is papermill executing notebooks that only import the libraries the real notebooks
import, once for every notebook execution a cold build makes (the numbered notebooks, the ledger
and the sweep's reruns), on the same number of workers. Targets (issue 8): cold build within 2x
the floor (aim 1.3x), no-op rebuild under 5 s, make test under 3 min. The cold build and the
one-parameter reruns (``-p r 0.7``, which the sweep does not read, then ``-p alpha 0.01`` on
top, which it does) run in ``runs/bench/`` (committed outputs are not touched); the no-op is
``make book`` in the repository, run twice, the second timed. Run with ``make bench``;
``--skip-test`` leaves out the make test timing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat
import yaml

from helpers import sweep

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "runs" / "bench"
IMPORTS = """import numpy, pandas, scipy.stats, matplotlib, seaborn, pingouin, statsmodels.api
import frictionless
from helpers import (balance, cohort, consistency, data, effects, glue, ledger, plots, results,
                     scoring, sensitivity, sprite, table_checks, tables)"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-test", action="store_true", help="do not time make test")
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    config = yaml.safe_load((ROOT / "notebooks" / "params.yaml").read_text())
    executions = len(config["notebooks"]) + len(sweep.DEFAULT_NOTEBOOKS) * len(
        config.get("sweep", {}).get("r", []))
    shutil.rmtree(BENCH, ignore_errors=True)
    out = BENCH / "notebooks"
    pipeline = [sys.executable, "-m", "helpers.pipeline", "--output-dir", str(out),
                "--results-dir", str(out / "results")]
    print(f"workers: {jobs}; notebook executions in a cold build: {executions}", flush=True)
    floor_seconds = floor(executions, jobs)
    print(f"floor (import-only notebooks): {floor_seconds:.1f} s", flush=True)
    notebooks, steps = _pipeline(pipeline + ["--no-cache"])
    cold = notebooks + book_build(out, fresh=True)
    print(f"cold build: {cold:.1f} s = {cold / floor_seconds:.2f} x floor (target 2x, aim 1.3x); "
          f"notebooks {notebooks:.1f} s ({steps}), book {cold - notebooks:.1f} s", flush=True)
    _timed(["make", "book"])  # the repository's own build, brought up to date
    noop = _timed(["make", "book"])
    print(f"no-op make book: {noop:.1f} s (target < 5 s)", flush=True)
    changed: list[str] = []  # each rerun changes one parameter from the run before it
    for name, value in (("r", "0.7"), ("alpha", "0.01")):
        changed += ["-p", name, value]
        notebooks, steps = _pipeline(pipeline + changed)
        one = notebooks + book_build(out, fresh=False)
        print(f"one-parameter rerun (-p {name} {value}; {steps}): {one:.1f} s = "
              f"{one / cold:.2f} x cold build", flush=True)
    if not args.skip_test:
        test = _timed(["make", "test"], stderr=subprocess.DEVNULL)
        print(f"make test: {test:.1f} s (target < 180 s)", flush=True)


if __name__ == "__main__":
    main()
