"""The correlation sweep: notebooks 03-05 rerun through papermill over a grid of the pre-post
correlation r, in parallel, and their results collected into one table.

Each run is ``python -m helpers.pipeline 03 04 05 -p r VALUE --output-dir DIR/r_VALUE`` (so any
single run can be repeated by hand), with one progress line per finished run. The collected table,
``results/correlation_sweep.csv``, holds for every scale, contrast and r the p-values of the
change-score and baseline-adjusted comparisons and whether each is below alpha, so a figure can
show where each verdict flips.

Examples
--------
Rerun the sweep on every core, with a finer grid than the book's::

    python -m helpers.sweep --r 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
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


def command(r: float, output_dir: str | os.PathLike, notebooks=DEFAULT_NOTEBOOKS) -> list[str]:
    """The command line of one run (also what a reader types to repeat it)."""
    folder = run_folder(output_dir, r)
    # one worker per run: the sweep itself runs several at a time
    return [sys.executable, "-m", "helpers.pipeline", *notebooks, "-p", "r", repr(float(r)),
            "--output-dir", str(folder), "--jobs", "1"]


def run(values, output_dir: str | os.PathLike = DEFAULT_OUTPUT, jobs: int | None = None,
        notebooks=DEFAULT_NOTEBOOKS) -> list[Path]:
    """Run the sweep, ``jobs`` runs at a time (every core by default); return the run folders.

    Raises ``RuntimeError`` naming the r whose run failed, with the end of its output.
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError("the sweep needs at least one value of r")
    bad = [v for v in values if not -1 <= v <= 1]
    if bad:
        raise ValueError(f"correlations must lie in [-1, 1]: {bad}")
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    print(f"correlation sweep: {len(values)} value(s) of r x {len(notebooks)} notebook(s), "
          f"{jobs} at a time", flush=True)

    def one(r):
        begin = time.perf_counter()
        done = subprocess.run(command(r, output_dir, notebooks), cwd=paths.project_root(),
                              capture_output=True, text=True)
        return r, done, time.perf_counter() - begin

    finished = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in as_completed([pool.submit(one, r) for r in values]):
            r, done, seconds = future.result()
            finished += 1
            if done.returncode != 0:
                raise RuntimeError(f"sweep run r = {r:g} failed:\n{(done.stdout + done.stderr)[-2000:]}")
            print(f"[{finished}/{len(values)}] r = {r:g} done in {seconds:.1f} s", flush=True)
    print(f"sweep finished in {time.perf_counter() - started:.1f} s", flush=True)
    return [run_folder(output_dir, r) for r in values]


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
                                 "p_ancova", "change_smd"]].assign(r=float(r)))
    table = pd.concat(frames, ignore_index=True)
    table["change_significant"] = table["p_change"] < alpha
    table["ancova_significant"] = table["p_ancova"] < alpha
    columns = ["r", "instrument", "scale", "contrast", "p_published", "p_change", "p_ancova",
               "change_smd", "change_significant", "ancova_significant"]
    table = table[columns].sort_values(["instrument", "scale", "contrast", "r"], kind="stable")
    for column in ("p_change", "p_ancova", "change_smd"):
        table[column] = table[column].round(6)
    return table.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.sweep",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--r", nargs="+", type=float, default=[0.0, 0.3, 0.5, 0.7, 0.9],
                        help="values of the pre-post correlation (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=None, help="runs at a time (all cores)")
    parser.add_argument("--output-dir", default=DEFAULT_OUTPUT, help="run folders (%(default)s)")
    parser.add_argument("--results-dir", default="results",
                        help=f"where {NAME}.csv goes (%(default)s)")
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args(argv)
    from . import results

    try:
        run(args.r, args.output_dir, args.jobs)
    except (RuntimeError, ValueError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    path = results.write_csv(collect(args.r, args.output_dir, args.alpha), NAME,
                             args.results_dir)
    print(f"collected into {path.relative_to(paths.project_root())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
