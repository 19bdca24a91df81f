"""The correlation sweep: the instrument chapters rerun through papermill over a grid of the
pre-post correlation r, in parallel, and their results collected into one table.

The notebooks it reruns, and the results file each writes, are ``notebooks/params.yaml``'s
``sweep: notebooks:`` and ``sweep: files:``. Each run of the sweep is what ``python -m
helpers.build.pipeline NOTEBOOK ... -p r VALUE --output-dir DIR/r_VALUE`` would make (``command``
gives the line, to repeat any run by hand). The runs are steps of the pipeline, scheduled in one
pool of workers (every core), cached one by one, with a progress line as each finishes. The
collected table, ``build/sweep/correlation_sweep.csv`` (``--results-dir``), holds for every scale,
contrast and r the p-values of the change-score and baseline-adjusted comparisons and whether each
is below alpha, so a figure can show where each verdict flips. The book's build does not run it:
notebook 06 computes the sensitivity of its primary estimand to r in-process, over the plausible
range of r.

The grid of r is ``notebooks/params.yaml``'s ``sweep: r:`` unless ``--r`` gives another. This
module is a thin caller of :func:`helpers.build.pipeline.build`, which defines the sweep's runs;
the pipeline never imports it.

Examples
--------
Run the sweep on every core, on params.yaml's grid, then on a fine one::

    python -m helpers.build.sweep
    python -m helpers.build.sweep --r 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..reanalysis import paths
from .pipeline import (SWEEP_DIR, SWEEP_TABLE, PipelineError, build, check_not_tracked,
                       check_sweep_values, load_steps, sweep_folder, sweep_grid, sweep_notebooks)

__all__ = ["DEFAULT_OUTPUT", "NAME", "command", "run", "main"]

DEFAULT_OUTPUT = SWEEP_DIR
NAME = SWEEP_TABLE


def command(r: float, output_dir: str | os.PathLike, notebooks=None) -> list[str]:
    """The command line that repeats one run of the sweep by hand (``notebooks``: the sweep's,
    ``params.yaml``'s ``sweep: notebooks:``, by default)."""
    notebooks = sweep_notebooks(load_steps()) if notebooks is None else notebooks
    return [sys.executable, "-m", "helpers.build.pipeline", *notebooks, "-p", "r",
            repr(float(r)), "--output-dir", str(sweep_folder(output_dir, r))]


def run(values=None, output_dir: str | os.PathLike = DEFAULT_OUTPUT, jobs: int | None = None,
        results_dir: str | os.PathLike = DEFAULT_OUTPUT, alpha: float | None = None,
        use_cache: bool = True) -> Path:
    """Run the sweep over ``values`` (``params.yaml``'s ``sweep: r:`` when ``None``), ``jobs``
    notebooks at a time (every core by default), collect it into
    ``RESULTS_DIR/correlation_sweep.csv`` and return that path.

    Raises ``ValueError`` for a bad grid and ``helpers.build.pipeline.PipelineError`` for a bad
    params.yaml or naming the run and cell that failed.
    """
    values = sweep_grid() if values is None else check_sweep_values(values)
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    print(f"correlation sweep: {len(values)} value(s) of r x "
          f"{len(sweep_notebooks(load_steps()))} notebook(s), {jobs} at a time", flush=True)
    # no notebook of the book, only the sweep; its cache is kept per run folder and results folder
    build((), {} if alpha is None else {"alpha": float(alpha)}, output_dir, results_dir, jobs,
          use_cache, with_sweep=True, sweep_r=values, sweep_dir=output_dir)
    print(f"sweep finished in {time.perf_counter() - started:.1f} s", flush=True)
    return paths.resolve(results_dir) / f"{NAME}.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build.sweep",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--r", nargs="+", type=float, default=None,
                        help="values of the pre-post correlation (default: notebooks/params.yaml's "
                             "sweep: r:)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at a time (all cores)")
    parser.add_argument("--output-dir", default=DEFAULT_OUTPUT, help="run folders (%(default)s)")
    parser.add_argument("--results-dir", default=DEFAULT_OUTPUT,
                        help=f"where {NAME}.csv goes (%(default)s)")
    parser.add_argument("--alpha", type=float, default=None,
                        help="significance level passed to the notebooks (their default: 0.05)")
    parser.add_argument("--no-cache", action="store_true", help="rerun every run")
    args = parser.parse_args(argv)
    try:
        check_not_tracked(args.output_dir, "--output-dir")
        check_not_tracked(args.results_dir, "--results-dir")
        path = run(args.r, args.output_dir, args.jobs, args.results_dir, args.alpha,
                   use_cache=not args.no_cache)
    except (PipelineError, ValueError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    print(f"collected into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
