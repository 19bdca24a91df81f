"""The correlation sweep: notebooks 03-05 rerun through papermill over a grid of the pre-post
correlation r, in parallel, and their results collected into one table.

Each run of the sweep is what ``python -m helpers.pipeline 03 04 05 -p r VALUE --output-dir
DIR/r_VALUE`` would make (``command`` gives the line, to repeat any run by hand). The runs are
steps of the pipeline, scheduled in one pool of workers (every core), cached one by one, with a
progress line as each finishes. The collected table, ``build/sweep/correlation_sweep.csv``
(``--results-dir``), holds for every scale, contrast and r the p-values of the change-score and
baseline-adjusted comparisons and whether each is below alpha, so a figure can show where each
verdict flips. The book's build does not run it: notebook 06 computes the sensitivity of its
primary estimand to r in-process, over the plausible range of r.

Examples
--------
Run the sweep on every core, on a fine grid::

    python -m helpers.sweep --r 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import paths

# pandas and helpers.results are imported where used: the pipeline imports this module on
# every run, and a no-op rebuild should not pay for them.

DEFAULT_NOTEBOOKS = ("03_primary_endpoint", "04_fatigue", "05_distress")
DEFAULT_OUTPUT = "build/sweep"
REANALYSIS_FILES = ("reanalysis_bm22", "reanalysis_fa13", "reanalysis_qscr10")
NAME = "correlation_sweep"


def run_folder(output_dir: str | os.PathLike, r: float) -> Path:
    return paths.resolve(output_dir) / f"r_{r:.2f}"


def step_name(r: float, notebook: str) -> str:
    """The pipeline's name for one notebook of one run, e.g. ``sweep r=0.30 04_fatigue``."""
    return f"sweep r={r:.2f} {notebook}"


def check_values(values) -> list[float]:
    """The grid of r as floats; an empty grid or a value outside [-1, 1] is an error.

    Examples
    --------
    >>> check_values([0, "0.5"])
    [0.0, 0.5]
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError("the sweep needs at least one value of r")
    bad = [v for v in values if not -1 <= v <= 1]
    if bad:
        raise ValueError(f"correlations must lie in [-1, 1]: {bad}")
    if len({f"{v:.2f}" for v in values}) < len(values):
        raise ValueError(f"two values of r share a run folder (r_X.XX): {values}")
    return values


def command(r: float, output_dir: str | os.PathLike, notebooks=DEFAULT_NOTEBOOKS) -> list[str]:
    """The command line that repeats one run of the sweep by hand."""
    return [sys.executable, "-m", "helpers.pipeline", *notebooks, "-p", "r", repr(float(r)),
            "--output-dir", str(run_folder(output_dir, r))]


def run(values, output_dir: str | os.PathLike = DEFAULT_OUTPUT, jobs: int | None = None,
        results_dir: str | os.PathLike = DEFAULT_OUTPUT, alpha: float | None = None,
        use_cache: bool = True) -> Path:
    """Run the sweep, ``jobs`` notebooks at a time (every core by default), collect it into
    ``RESULTS_DIR/correlation_sweep.csv`` and return that path.

    Raises ``ValueError`` for a bad grid and ``helpers.pipeline.PipelineError`` naming the run
    and cell that failed.
    """
    from . import pipeline

    config = pipeline.load_config()
    config["sweep"] = {"r": check_values(values)}
    overrides = {} if alpha is None else {"alpha": float(alpha)}
    runs = pipeline.sweep_runs(config, overrides, output_dir)
    needs = pipeline.dependencies(config, [], runs)
    keys = pipeline.step_keys(runs, needs, "python3", config["sweep"])
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    print(f"correlation sweep: {len(values)} value(s) of r x "
          f"{len(DEFAULT_NOTEBOOKS)} notebook(s), {jobs} at a time", flush=True)
    pipeline.schedule(runs, needs, keys, pipeline.Cache(output_dir, results_dir), "python3", jobs,
                      {pipeline.SWEEP: lambda: pipeline.collect_sweep(runs, results_dir)},
                      use_cache=use_cache)
    print(f"sweep finished in {time.perf_counter() - started:.1f} s", flush=True)
    return paths.resolve(results_dir) / f"{NAME}.csv"


def collect(values, output_dir: str | os.PathLike = DEFAULT_OUTPUT,
            alpha: float = 0.05) -> "pd.DataFrame":  # noqa: F821
    """One row per r, scale and contrast: the change-score and ANCOVA p of that run."""
    import pandas as pd

    frames = []
    for r in values:
        folder = run_folder(output_dir, float(r)) / "results"
        for name in REANALYSIS_FILES:
            path = folder / f"{name}.csv"
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: run the sweep first "
                                        "(python -m helpers.sweep)")
            table = pd.read_csv(path)
            frames.append(table[["instrument", "scale", "contrast", "p_published", "p_change",
                                 "p_ancova"]].assign(r=float(r)))
    table = pd.concat(frames, ignore_index=True)
    table["change_significant"] = table["p_change"] < alpha
    table["ancova_significant"] = table["p_ancova"] < alpha
    columns = ["r", "instrument", "scale", "contrast", "p_published", "p_change", "p_ancova",
               "change_significant", "ancova_significant"]
    table = table[columns].sort_values(["instrument", "scale", "contrast", "r"], kind="stable")
    for column in ("p_change", "p_ancova"):
        table[column] = table[column].round(6)
    return table.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.sweep",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--r", nargs="+", type=float, default=[0.0, 0.3, 0.5, 0.7, 0.9],
                        help="values of the pre-post correlation (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at a time (all cores)")
    parser.add_argument("--output-dir", default=DEFAULT_OUTPUT, help="run folders (%(default)s)")
    parser.add_argument("--results-dir", default=DEFAULT_OUTPUT,
                        help=f"where {NAME}.csv goes (%(default)s)")
    parser.add_argument("--alpha", type=float, default=None,
                        help="significance level passed to the notebooks (their default: 0.05)")
    parser.add_argument("--no-cache", action="store_true", help="rerun every run")
    args = parser.parse_args(argv)
    from .pipeline import PipelineError

    try:
        path = run(args.r, args.output_dir, args.jobs, args.results_dir, args.alpha,
                   use_cache=not args.no_cache)
    except (PipelineError, ValueError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    print(f"collected into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
