"""Execute the numbered notebooks with papermill: ``python -m helpers.pipeline``.

Parameters come from ``notebooks/params.yaml`` (values for all notebooks, then per notebook) and
can be overridden on the command line with ``-p NAME VALUE`` (the value is read as YAML, so
``-p r 0.7`` passes a number). Each notebook is executed from ``notebooks/`` into the output
folder (``book/notebooks/`` by default, where the book and nbval read it) with one progress line
and its time. The executed notebook is written under a temporary name and moved into place only
when it ran to the end: a failure never replaces a good notebook. Volatile metadata (timings,
temporary paths) are removed, so a rerun with the same inputs writes the same file.

Examples
--------
Run everything with the defaults (what ``make book`` does)::

    python -m helpers.pipeline

Rerun one notebook with another parameter into a scratch folder, leaving ``results/`` alone::

    python -m helpers.pipeline 03 -p alpha 0.01 --output-dir runs/alpha01
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import paths

DEFAULT_CONFIG = "notebooks/params.yaml"
DEFAULT_OUTPUT = "book/notebooks"
DEFAULT_RESULTS = "results"
FAILED_DIR = "build/failed"
#: Papermill metadata that change from run to run and carry no result.
VOLATILE_KEYS = ("start_time", "end_time", "duration", "exception")


class PipelineError(RuntimeError):
    """A notebook failed, or the pipeline was asked for something that does not exist."""


@dataclass(frozen=True)
class Run:
    """One notebook to execute: its name, source, target and parameters."""

    name: str
    source: Path
    target: Path
    parameters: dict


def load_config(path: str | os.PathLike = DEFAULT_CONFIG) -> dict:
    """Read ``params.yaml``: ``{"all": {...}, "notebooks": {name: {...}, ...}}``."""
    config_path = paths.resolve(path)
    if not config_path.is_file():
        raise PipelineError(f"no parameter file at {config_path}")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    if not isinstance(config.get("notebooks"), dict) or not config["notebooks"]:
        raise PipelineError(f"{config_path}: 'notebooks' must map each notebook to its parameters")
    config.setdefault("all", {})
    for name, values in config["notebooks"].items():
        config["notebooks"][name] = values or {}
    return config


def select(names: list[str], requested: list[str]) -> list[str]:
    """The notebooks matching ``requested`` (``03``, ``03_primary_endpoint`` or
    ``primary_endpoint``), in pipeline order; all of them when nothing is requested.

    Examples
    --------
    >>> select(["01_cohort", "03_primary_endpoint"], ["03"])
    ['03_primary_endpoint']
    """
    if not requested:
        return list(names)
    chosen = set()
    for wanted in requested:
        wanted = Path(wanted).stem
        matches = [n for n in names if wanted in (n, n.split("_", 1)[0], n.split("_", 1)[-1])]
        if not matches:
            raise PipelineError(f"no notebook {wanted!r}; the pipeline has: {', '.join(names)}")
        chosen.update(matches)
    return [n for n in names if n in chosen]


def parse_overrides(pairs: list[list[str]]) -> dict:
    """``[["r", "0.7"]]`` -> ``{"r": 0.7}``: values are read as YAML.

    Examples
    --------
    >>> parse_overrides([["r", "0.7"], ["data_dir", "data/published"]])
    {'r': 0.7, 'data_dir': 'data/published'}
    """
    return {name: yaml.safe_load(value) for name, value in pairs}


def plan(config: dict, names: list[str], overrides: dict, output_dir: str | os.PathLike,
         results_dir: str | os.PathLike) -> list[Run]:
    """The runs to make: sources, targets and each notebook's parameters.

    A command-line parameter goes to every selected notebook that declares it in its
    ``parameters`` cell; naming a parameter no selected notebook declares is an error.
    """
    import papermill

    source_dir = paths.resolve("notebooks")
    target_dir = paths.resolve(output_dir)
    runs, declared_anywhere = [], set()
    for name in names:
        source = source_dir / f"{name}.ipynb"
        if not source.is_file():
            raise PipelineError(f"{name}: {source} does not exist")
        declared = set(papermill.inspect_notebook(str(source)))
        if not declared:
            raise PipelineError(f"{name}: no cell tagged 'parameters'")
        declared_anywhere |= declared
        parameters = {**config["all"], **config["notebooks"][name], "results_dir": str(results_dir)}
        parameters.update({k: v for k, v in overrides.items() if k in declared})
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise PipelineError(f"{name}: params.yaml sets {', '.join(unknown)}, which its "
                                f"parameters cell does not declare ({', '.join(sorted(declared))})")
        runs.append(Run(name, source, target_dir / f"{name}.ipynb", parameters))
    stray = sorted(set(overrides) - declared_anywhere)
    if stray:
        raise PipelineError(f"unknown parameter {', '.join(stray)}: the selected notebooks declare "
                            f"{', '.join(sorted(declared_anywhere))}")
    return runs


def tidy(notebook_path: Path, run: Run) -> None:
    """Remove volatile metadata and temporary paths from an executed notebook, in place."""
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    root = paths.project_root()
    meta = notebook.metadata.get("papermill", {})
    for key in VOLATILE_KEYS:
        meta.pop(key, None)
    meta["input_path"] = run.source.relative_to(root).as_posix()
    try:
        meta["output_path"] = run.target.relative_to(root).as_posix()
    except ValueError:
        meta["output_path"] = run.target.name
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id on every run
        cell.metadata.pop("execution", None)
        cell_meta = cell.metadata.get("papermill", {})
        for key in VOLATILE_KEYS:
            cell_meta.pop(key, None)
    nbformat.write(notebook, notebook_path)


def execute(run: Run, kernel: str = "python3") -> float:
    """Execute one notebook; return the seconds it took.

    Raises :class:`PipelineError` naming the notebook and the failing cell; the failed notebook
    is kept in ``build/failed/`` and the previous output stays in place.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    run.target.parent.mkdir(parents=True, exist_ok=True)
    partial = run.target.with_name(f".{run.target.stem}.partial.ipynb")
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(run.source), str(partial), parameters=run.parameters, kernel_name=kernel,
            cwd=str(run.target.parent), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False,
            # The kernel's start-up warning about unencrypted local TCP would drown the progress
            # lines; errors still reach the notebook's outputs.
            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except PapermillExecutionError as error:
        failed = paths.resolve(FAILED_DIR) / run.target.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, failed)
        raise PipelineError(
            f"{run.name} failed in cell {error.cell_index} (execution count {error.exec_count}): "
            f"{error.ename}: {error.evalue}\n  the executed notebook, with the traceback, is in "
            f"{failed.relative_to(paths.project_root())}; {run.target.name} was left as it was"
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    tidy(partial, run)
    os.replace(partial, run.target)
    return time.perf_counter() - started


def run_sweep(config: dict, results_dir: str | os.PathLike) -> None:
    """Run the correlation sweep of ``params.yaml`` (``sweep: {before, r}``) and collect it."""
    from . import results, sweep

    values = config.get("r") or []
    folders_root = config.get("output_dir", sweep.DEFAULT_OUTPUT)
    try:
        sweep.run(values, folders_root)
    except (RuntimeError, ValueError) as error:
        raise PipelineError(f"correlation sweep: {error}") from None
    results.write_csv(sweep.collect(values, folders_root), sweep.NAME, results_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.pipeline",
        description="Execute the numbered notebooks with papermill.",
        epilog="Example: python -m helpers.pipeline 03 -p alpha 0.01 --output-dir runs/alpha01")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to run (03, 03_primary_endpoint or primary_endpoint); "
                             "all when omitted")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="override a parameter (value read as YAML)")
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="parameter file (%(default)s)")
    parser.add_argument("--output-dir", default=None,
                        help=f"where executed notebooks go ({DEFAULT_OUTPUT})")
    parser.add_argument("--results-dir", default=None,
                        help=f"where results go ({DEFAULT_RESULTS}; OUTPUT_DIR/results when "
                             "--output-dir is given)")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel (%(default)s)")
    parser.add_argument("--no-sweep", action="store_true",
                        help="skip the correlation sweep (params.yaml 'sweep') before the "
                             "notebook that reads it; its committed results are used")
    args = parser.parse_args(argv)

    output_dir = args.output_dir or DEFAULT_OUTPUT
    results_dir = args.results_dir or (f"{args.output_dir}/results" if args.output_dir
                                       else DEFAULT_RESULTS)
    try:
        config = load_config(args.config)
        names = select(list(config["notebooks"]), args.notebooks)
        runs = plan(config, names, parse_overrides(args.parameter), output_dir, results_dir)
        total = time.perf_counter()
        sweep_config = config.get("sweep") or {}
        for number, run in enumerate(runs, start=1):
            if sweep_config and run.name == sweep_config.get("before") and not args.no_sweep:
                run_sweep(sweep_config, results_dir)
            print(f"[{number}/{len(runs)}] {run.name} ...", end=" ", flush=True)
            seconds = execute(run, args.kernel)
            print(f"done in {seconds:.1f} s", flush=True)
        print(f"{len(runs)} notebook(s) executed in {time.perf_counter() - total:.1f} s; "
              f"outputs in {output_dir}/, results in {results_dir}/", flush=True)
    except PipelineError as error:
        print(f"\nERROR: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
