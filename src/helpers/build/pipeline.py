"""Execute the numbered notebooks with papermill: ``python -m helpers.build.pipeline``.

Parameters come from ``notebooks/params.yaml`` (values for all notebooks, then per notebook) and
can be overridden on the command line with ``-p NAME VALUE`` (the value is read as YAML, so
``-p r 0.7`` passes a number). Each notebook is executed from ``notebooks/`` into the output
folder (``book/notebooks/`` by default, where the book and nbval read it) with one progress line
and its time. Every parameter is checked against its declared type and range (``params.yaml``'s
``parameters``, :mod:`helpers.build.params`) before any kernel starts. A step writes its results
into a scratch copy of the results folder (``RESULTS/.scratch/``) and its notebook under a temporary
name; both are moved into place only when the whole notebook ran to the end: a failure leaves the
results and the executed notebooks exactly as they were. Volatile metadata (timings, temporary
paths) are removed, so a rerun with the same inputs writes the same file.

Steps run in one pool of worker processes (``--jobs``, every core by default), each once the
steps it needs (``params.yaml``'s ``after``) are done, longest chain first. The correlation
sweep's runs (the notebooks of ``params.yaml``'s ``sweep: notebooks:`` for every r of its
``sweep: r:``) are steps like the others, in ``build/sweep/`` (``OUTPUT_DIR/sweep`` with
``--output-dir``); the step ``sweep`` collects them, and they run only when a notebook lists
``sweep`` in ``after`` (none does by default: notebook 06 computes its sensitivity to r in-process).
A step whose content hash (the bytes of its notebook, its parameters, its whole ``data_dir``
wherever it is and every other file its parameters name, the modules of ``helpers`` it imports
(:func:`helpers_used`, through every sub-package), the pinned environment, upstream steps) is
unchanged, and whose outputs are intact, is not rerun; each step is recorded in the cache as soon as
it finishes. Ctrl-C ends the workers and their kernels at once (a worker also dies with its parent)
and prints one line naming the steps that finished and those that did not.

:func:`build` is the one entry point: the command line (:func:`main`) and the sweep's
(``helpers.build.sweep``) call it. The sweep's runs are defined here (``SWEEP_*``,
:func:`sweep_grid`, :func:`sweep_notebooks`, :func:`sweep_folder`), so ``helpers.build.sweep``
imports this module and never the other way round.

Examples
--------
Run everything with the defaults (what ``make book`` does)::

    python -m helpers.build.pipeline

Rerun one notebook with another parameter into a scratch folder, leaving ``results/`` alone::

    python -m helpers.build.pipeline 03 -p alpha 0.01 --output-dir runs/alpha01
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..reanalysis import paths, yamlfile
from . import chapters, kernels, locks, params, staging


def _without_rfc3987_syntax() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in the pipeline's processes.

    nbformat and papermill import jsonschema, which imports ``rfc3987_syntax`` when it is
    installed (JupyterLab's jupyter-events asks for it); that module compiles an Earley grammar
    at import, about 0.9 s in the pipeline and in each of its workers. It serves only
    jsonschema's ``iri`` formats, which the notebook schema does not use. Done only if jsonschema
    is not yet imported; the kernels are other processes and are not affected."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


_without_rfc3987_syntax()

__all__ = ["PipelineError", "Run", "build", "main", "load_config", "notebook_order", "select",
           "parse_overrides", "declared_parameters", "plan", "execute", "DEFAULT_CONFIG",
           "DEFAULT_OUTPUT", "DEFAULT_RESULTS", "SWEEP", "SWEEP_DIR", "SWEEP_TABLE",
           "check_sweep_values", "sweep_grid", "sweep_notebooks", "sweep_files", "sweep_folder",
           "sweep_runs", "sweep_table", "collect_sweep", "one_parameters_cell",
           "step_keys", "helpers_used", "Cache", "schedule", "Interrupted", "find_cycle",
           "check_runs", "check_writable", "load_steps", "data_dir_of", "markdown_from_outputs",
           "AS_MARKDOWN", "CHAPTER_TITLE", "TRACKED", "check_not_tracked",
           "OUTPUT_ENVIRONMENT", "environment_key"]

DEFAULT_CONFIG = "notebooks/params.yaml"
DEFAULT_OUTPUT = "book/notebooks"
DEFAULT_RESULTS = "results"
FAILED_DIR = "build/failed"
#: The hidden folder, in a results folder, where each running step writes (:func:`execute`).
SCRATCH = staging.SCRATCH
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
    #: the run's own results folder when it is not the pipeline's (a sweep run), so the cache can
    #: tell when it was touched
    results: Path | None = None


def load_config(path: str | os.PathLike = DEFAULT_CONFIG) -> dict:
    """Read ``params.yaml``: ``{"all": {...}, "notebooks": {name: {...}, ...}}``."""
    config_path = paths.resolve(path)
    if not config_path.is_file():
        raise PipelineError(f"no parameter file at {config_path}")
    try:
        config = yamlfile.loads(config_path.read_text(encoding="utf-8"), str(config_path)) or {}
    except yamlfile.YamlFileError as error:
        raise PipelineError(str(error)) from None
    if not isinstance(config, dict):
        raise PipelineError(f"{config_path}: must be a mapping (all, notebooks, after, ...)")
    if not isinstance(config.get("notebooks"), dict) or not config["notebooks"]:
        raise PipelineError(f"{config_path}: 'notebooks' must map each notebook to its parameters")
    config.setdefault("all", {})
    for name, values in config["notebooks"].items():
        config["notebooks"][name] = values or {}
    try:
        for name, spec in params.declarations(config).items():
            if not isinstance(spec, dict) or spec.get("type") not in params.TYPES:
                raise params.ParameterError(
                    f"'parameters' {name}: the type must be one of {', '.join(params.TYPES)}")
            for inner in (spec, spec.get("items") or {}, spec.get("values") or {}):
                if isinstance(inner, dict) and "range" in inner:
                    params.parse_range(inner["range"])
    except params.ParameterError as error:
        raise PipelineError(f"{config_path}: {error}") from None
    return config


def data_dir_of(config: dict, overrides: dict | None = None) -> str:
    """The data folder a build reads: ``-p data_dir`` if given, else ``params.yaml``'s."""
    value = (overrides or {}).get("data_dir", config.get("all", {}).get("data_dir"))
    if not value:
        raise PipelineError("no data folder: set all: data_dir in params.yaml or pass "
                            "-p data_dir FOLDER")
    return str(value)


def load_steps(config: str | os.PathLike | dict = DEFAULT_CONFIG,
               overrides: dict | None = None) -> dict:
    """``params.yaml`` with its steps: where it says ``plan: trial``, its ``notebooks`` are source
    notebooks and the steps follow from the trial's ``trial.yaml`` (:func:`chapters.expand`: one
    chapter per instrument, a scoring chapter only where there is something to score); otherwise
    each notebook is one step, as written.

    Raises :class:`PipelineError` when the trial cannot be read, with the trial's own message.
    """
    settings = load_config(config) if not isinstance(config, dict) else config
    if settings.get("plan") is None:
        return settings
    if settings["plan"] != "trial":
        raise PipelineError(f"params.yaml 'plan' must be 'trial' (the steps follow from "
                            f"trial.yaml) or absent, not {settings['plan']!r}")
    data_dir = data_dir_of(settings, overrides)
    spec = params.declarations(settings).get("data_dir")
    if spec:  # the plan reads the folder: check it is one before anything else
        try:
            params.check_value("data_dir", data_dir, spec, "every notebook")
        except params.ParameterError as error:
            raise PipelineError(str(error)) from None
    from ..reanalysis import trial as trials

    try:
        study = trials.load(data_dir)
        return chapters.expand(settings, study)
    except (trials.TrialError, ValueError) as error:
        raise PipelineError(f"the book's chapters cannot be planned: {error}") from None


def notebook_order(config: str | os.PathLike = DEFAULT_CONFIG,
                   overrides: dict | None = None) -> list[str]:
    """The steps in the pipeline's order (:func:`load_steps`): for the published trial, its
    chapters as ``trial.yaml`` plans them, then the reader pages.

    Examples
    --------
    >>> order = notebook_order()
    >>> order[0], order.index("ledger") > order.index("06_sensitivity")
    ('01_cohort', True)
    """
    return list(load_steps(config, overrides)["notebooks"])


def _yaml_where(error) -> str:
    """``, line L, column C`` of a YAML error (1-based), or nothing."""
    mark = getattr(error, "problem_mark", None)
    return f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def select(names: list[str], requested: list[str]) -> list[str]:
    """The notebooks matching ``requested`` (by number, ``03``, or by name with or without its
    number, ``03_results`` or ``results``), in pipeline order; all of them when nothing is
    requested.

    Examples
    --------
    >>> select(["01_methods", "03_results"], ["03"])
    ['03_results']
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

    A number in exponent notation is a number, with or without a decimal point (YAML 1.1, which
    PyYAML reads, takes ``1e-300`` for text):

    >>> parse_overrides([["alpha", "1e-300"], ["alpha2", "5E-2"]])
    {'alpha': 1e-300, 'alpha2': 0.05}
    """
    import re

    number = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
    values = {}
    for name, value in pairs:
        if number.fullmatch(value.strip()):
            values[name] = float(value)
            continue
        try:
            values[name] = yaml.safe_load(value)
        except yaml.YAMLError as error:
            raise PipelineError(f"-p {name} {value!r}: not a valid value (read as YAML"
                                f"{_yaml_where(error).replace(', line 1', '')}: "
                                f"{getattr(error, 'problem', None) or error})") from None
    return values


def declared_parameters(path: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (read with ``ast``, which is
    all papermill's inspection needs here and keeps a no-op rebuild from importing papermill).

    Examples
    --------
    >>> ledger = paths.resolve("notebooks/ledger.ipynb")
    >>> {"data_dir", "results_dir"} <= declared_parameters(ledger)
    True
    """
    import ast

    import nbformat

    notebook = nbformat.read(path, as_version=4)
    names: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        for leaf in ast.walk(target):
                            if isinstance(leaf, ast.Name):
                                names.add(leaf.id)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
    return names


def stated_defaults(config: dict, overrides: dict | None = None) -> dict:
    """The parameters the trial's stated methods set by default (``rounding``, ``alpha``), read
    from the ``trial.yaml`` of the build's data folder; none where it states none (or where
    there is no ``trial.yaml`` to read: the notebooks then report that themselves).

    Examples
    --------
    >>> stated_defaults({"all": {"data_dir": "data/published"}})
    {}
    """
    from ..reanalysis import trial

    try:
        return trial.load(data_dir_of(config, overrides)).methods.defaults()
    except (PipelineError, trial.TrialError):
        return {}


def plan(config: dict, names: list[str], overrides: dict, output_dir: str | os.PathLike,
         results_dir: str | os.PathLike, strict: bool = True) -> list[Run]:
    """The runs to make: sources, targets and each notebook's parameters.

    A command-line parameter goes to every selected notebook that declares it in its
    ``parameters`` cell; naming a parameter no selected notebook declares is an error unless
    ``strict`` is false. What the paper states of its methods (``trial.yaml``'s ``methods:``:
    its rounding, its alpha; :meth:`helpers.reanalysis.trial.Methods.defaults`) is the default
    of those parameters, below ``params.yaml`` and the command line.
    """
    stated = stated_defaults(config, overrides)
    source_dir = paths.resolve("notebooks")
    target_dir = paths.resolve(output_dir)
    runs, declared_anywhere = [], set()
    sources = config.get("sources") or {}
    planned = config.get("planned") or {}
    for name in names:
        source = source_dir / f"{sources.get(name, name)}.ipynb"
        if not source.is_file():
            raise PipelineError(f"{name}: {source} does not exist")
        declared = declared_parameters(source)
        if not declared:
            raise PipelineError(f"{name}: no cell tagged 'parameters'")
        declared_anywhere |= declared
        parameters = {**{k: v for k, v in stated.items() if k in declared}, **config["all"],
                      **config["notebooks"][name], "results_dir": str(results_dir)}
        parameters.update({k: v for k, v in overrides.items() if k in declared})
        # what the chapter plan adds (the chapter's name, the instrument) goes only where declared
        parameters = {k: v for k, v in parameters.items()
                      if k in declared or k not in planned.get(name, ())}
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise PipelineError(f"{name}: params.yaml sets {', '.join(unknown)}, which its "
                                f"parameters cell does not declare ({', '.join(sorted(declared))})")
        runs.append(Run(name, source, target_dir / f"{name}.ipynb", parameters))
    stray = sorted(set(overrides) - declared_anywhere)
    if stray and strict:
        raise PipelineError(f"unknown parameter {', '.join(stray)}: the selected notebooks declare "
                            f"{', '.join(sorted(declared_anywhere))}")
    return runs


def one_parameters_cell(cells) -> None:
    """The book shows one parameters cell: where papermill injected the values a run used
    (``injected-parameters``), the source's own ``parameters`` cell (its defaults) is tagged
    ``remove-cell`` and the injected one ``hide-input`` (collapsed, as every code cell), in place.

    Examples
    --------
    >>> cells = [dict(metadata={"tags": ["parameters"]}),
    ...          dict(metadata={"tags": ["injected-parameters"]})]
    >>> one_parameters_cell(cells)
    >>> [c["metadata"]["tags"] for c in cells]
    [['parameters', 'remove-cell'], ['injected-parameters', 'hide-input']]
    """
    def tags(cell) -> list:
        return list(cell["metadata"].get("tags", []))

    if not any("injected-parameters" in tags(c) for c in cells):
        return
    for cell in cells:
        wanted = ("remove-cell" if "parameters" in tags(cell) else
                  "hide-input" if "injected-parameters" in tags(cell) else None)
        if wanted and wanted not in tags(cell):
            cell["metadata"]["tags"] = tags(cell) + [wanted]


#: A code cell with this tag shows Markdown that the book should read as its own text (a heading,
#: a paragraph from the trial's data): after execution it becomes a Markdown cell holding its
#: output (:func:`markdown_from_outputs`), so headings enter the page's contents and glue roles
#: resolve. Such a cell only displays; nothing later may need what it computes.
AS_MARKDOWN = "as-markdown"
#: The cell (one of :data:`AS_MARKDOWN`) that holds the chapter's title: moved to the top.
CHAPTER_TITLE = "chapter-title"


def markdown_from_outputs(cells: list) -> list:
    """The notebook's cells with every :data:`AS_MARKDOWN` code cell replaced by a Markdown cell
    of its displayed Markdown (dropped when it displayed none), and the :data:`CHAPTER_TITLE`
    cell first.

    Examples
    --------
    >>> import nbformat
    >>> title = nbformat.v4.new_code_cell("Markdown('# T')")
    >>> title.metadata["tags"] = ["as-markdown", "chapter-title"]
    >>> title.outputs = [nbformat.v4.new_output("execute_result", {"text/markdown": "# T"})]
    >>> empty = nbformat.v4.new_code_cell("Markdown('')")
    >>> empty.metadata["tags"] = ["as-markdown"]
    >>> cells = markdown_from_outputs([nbformat.v4.new_code_cell("x = 1"), title, empty])
    >>> [(c.cell_type, c.source) for c in cells]
    [('markdown', '# T'), ('code', 'x = 1')]
    """
    import nbformat

    converted, title = [], None
    for cell in cells:
        tags = list(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") != "code" or AS_MARKDOWN not in tags:
            converted.append(cell)
            continue
        text = "\n\n".join(str(output.get("data", {}).get("text/markdown", "")).strip()
                            for output in cell.get("outputs", []))
        if not text.strip():
            continue
        markdown = nbformat.v4.new_markdown_cell(text)
        markdown.id = cell.get("id", markdown.id)
        if CHAPTER_TITLE in tags:
            title = markdown
        else:
            converted.append(markdown)
    return ([title] if title is not None else []) + converted


def tidy(notebook_path: Path, run: Run) -> None:
    """Remove volatile metadata and temporary paths from an executed notebook, in place: the
    injected parameters and papermill's record of them are the run's own (not the scratch results
    folder the notebook wrote to)."""
    import nbformat
    from papermill.translators import translate_parameters

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
    one_parameters_cell(notebook.cells)
    notebook.cells = markdown_from_outputs(notebook.cells)
    if "parameters" in meta:
        meta["parameters"] = dict(run.parameters)
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id on every run
            kernelspec = notebook.metadata.get("kernelspec", {})
            cell.source = translate_parameters(
                kernelspec.get("name", "python3"), kernelspec.get("language", "python"),
                run.parameters, "Parameters")
        cell.metadata.pop("execution", None)
        cell_meta = cell.metadata.get("papermill", {})
        for key in VOLATILE_KEYS:
            cell_meta.pop(key, None)
    nbformat.write(notebook, notebook_path)


def _scratch(run: Run) -> tuple[Path, Path, dict[str, str]]:
    """A scratch copy of the run's results folder (``RESULTS/.scratch/<step>``): the notebook
    writes there, and reads what the other steps wrote. Returns the results folder, the scratch
    folder and the hashes of what was copied."""
    results = paths.resolve(run.parameters["results_dir"])
    # unique to this run of this step: no other run, of this build or another, shares it
    scratch = results / SCRATCH / (f"{hashlib.sha256(run.name.encode()).hexdigest()[:12]}-"
                                   f"{os.getpid()}-{os.urandom(4).hex()}")
    return results, scratch, staging.copy_results(results, scratch)


def _commit(results: Path, scratch: Path, copied: dict[str, str], partial: Path,
            target: Path) -> None:
    """Move what the notebook wrote (new or changed files of ``scratch``) into ``results``, then
    the executed notebook into place, with termination signals held until both are done."""
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, held) if hasattr(
        signal, "pthread_sigmask") else None
    try:
        staging.move_changed(scratch, results, copied)
        os.replace(partial, target)
    finally:
        if blocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def execute(run: Run, kernel: str = "python3") -> float:
    """Execute one notebook; return the seconds it took.

    The notebook writes its results into a scratch copy of its results folder; they are moved
    into place, with the executed notebook, only when the whole notebook succeeded.

    Raises :class:`PipelineError` naming the notebook and the failing cell; the failed notebook
    is kept in ``build/failed/``, and the previous output and results stay exactly as they were.
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    run.target.parent.mkdir(parents=True, exist_ok=True)
    partial = run.target.with_name(f".{run.target.stem}.partial.ipynb")
    started = time.perf_counter()
    results, scratch, copied = _scratch(run)
    parameters = {**run.parameters, "results_dir": _relative(scratch)}
    running: list[int] = []  # the cells started, so that a dead kernel's cell can be named
    try:
        # the kernel talks over Unix sockets of its own, not TCP ports another process could
        # take; one that still dies before its first reply is started again: no cell has run
        # yet (helpers.build.kernels)
        kernels.retrying(papermill.execute_notebook)(
            str(run.source), str(partial), parameters=parameters, kernel_name=kernel,
            cwd=str(run.target.parent), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False,
            on_cell_start=lambda cell, cell_index: running.append(cell_index),
            kernel_manager_class=kernels.ipc_kernel_manager(),
            # The kernel's start-up warnings would drown the progress lines; errors still reach
            # the notebook's outputs.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        tidy(partial, run)
        _commit(results, scratch, copied, partial, run.target)
    except DeadKernelError:
        partial.unlink(missing_ok=True)
        cell = f"in cell {running[-1]}" if running else "before its first cell"
        raise PipelineError(
            f"{run.name}: the kernel died {cell} (killed, or out of memory); "
            f"{run.target.name} and the results were left as they were") from None
    except kernels.KernelStartError as error:
        partial.unlink(missing_ok=True)
        raise PipelineError(f"{run.name}: {error}; {run.target.name} and the results were left "
                            "as they were") from None
    except PapermillExecutionError as error:
        failed = paths.resolve(FAILED_DIR) / run.target.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, failed)
        raise PipelineError(
            f"{run.name} failed in cell {error.cell_index} (execution count {error.exec_count}): "
            f"{error.ename}: {error.evalue}\n  the executed notebook, with the traceback, is in "
            f"{_relative(failed)}; {run.target.name} and the results were left as they were"
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            scratch.parent.rmdir()  # the last step out removes .scratch
        except OSError:
            pass
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The correlation sweep as steps of the pipeline
# ---------------------------------------------------------------------------------------------

#: The step that collects the sweep's runs (a notebook lists it in ``after`` to need the sweep).
#: The notebooks it reruns for every r, and the results file each of them writes, are named in
#: ``params.yaml`` (``sweep: notebooks:``, ``sweep: files:``; :func:`sweep_notebooks`).
SWEEP = "sweep"
#: Where the sweep's runs go beside the book's build, and the name of the collected table.
SWEEP_DIR = "build/sweep"
SWEEP_TABLE = "correlation_sweep"


def check_sweep_values(values) -> list[float]:
    """The grid of r as floats; an empty grid or a value outside [-1, 1] is an error.

    Examples
    --------
    >>> check_sweep_values([0, "0.5"])
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


def _grid(config: dict) -> list[float]:
    try:
        return check_sweep_values((config.get("sweep") or {}).get("r") or [])
    except ValueError as error:
        raise PipelineError(f"params.yaml 'sweep': {error}") from None


def sweep_grid(config: str | os.PathLike = DEFAULT_CONFIG) -> list[float]:
    """The sweep's grid of r: ``params.yaml``'s ``sweep: r:``, the one place it is set.

    Examples
    --------
    >>> all(-1 <= r <= 1 for r in sweep_grid())
    True
    """
    return _grid(load_config(config))


def _sweep_names(config: dict, key: str) -> list[str]:
    names = (config.get("sweep") or {}).get(key)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise PipelineError(f"params.yaml 'sweep: {key}:' must list at least one name, got "
                            f"{names!r}")
    return names


def sweep_notebooks(config: dict) -> list[str]:
    """The notebooks the sweep reruns for every r: ``params.yaml``'s ``sweep: notebooks:``
    (each a notebook of ``notebooks``).

    Examples
    --------
    >>> config = {"notebooks": {"01_a": {}, "02_b": {}}, "sweep": {"notebooks": ["02_b"]}}
    >>> sweep_notebooks(config)
    ['02_b']
    >>> sweep_notebooks({"notebooks": {"01_a": {}}, "sweep": {"notebooks": ["09_z"]}})
    Traceback (most recent call last):
    ...
    helpers.build.pipeline.PipelineError: params.yaml 'sweep: notebooks:' names no notebook of 'notebooks': ['09_z']
    """
    names = _sweep_names(config, "notebooks")
    unknown = [name for name in names if name not in config["notebooks"]]
    if unknown:
        raise PipelineError(f"params.yaml 'sweep: notebooks:' names no notebook of 'notebooks': "
                            f"{unknown}")
    return names


def sweep_files(config: dict) -> list[str]:
    """The results files (names without ``.csv``) the sweep's notebooks write and the sweep
    collects: ``params.yaml``'s ``sweep: files:``.

    Examples
    --------
    >>> sweep_files({"sweep": {"files": ["reanalysis_x"]}})
    ['reanalysis_x']
    """
    return _sweep_names(config, "files")


def sweep_folder(sweep_dir: str | os.PathLike, r: float) -> Path:
    """The folder of the sweep's run for ``r``: ``SWEEP_DIR/r_VALUE``.

    Examples
    --------
    >>> sweep_folder("/tmp/sweep", 0.3).as_posix()
    '/tmp/sweep/r_0.30'
    """
    return paths.resolve(sweep_dir) / f"r_{r:.2f}"


def sweep_step(r: float, notebook: str) -> str:
    """The pipeline's name for one notebook of one run, e.g. ``sweep r=0.30 04_chapter``."""
    return f"sweep r={r:.2f} {notebook}"


def sweep_runs(config: dict, overrides: dict, sweep_dir: str | os.PathLike,
               values=None) -> list[Run]:
    """The correlation sweep as runs: the sweep's notebooks (:func:`sweep_notebooks`) once for
    every r of ``values``
    (``params.yaml``'s ``sweep`` by default), each into ``SWEEP_DIR/r_VALUE/`` with its own
    results folder.

    The runs are scheduled with the other notebooks in one pool of workers, so the sweep needs no
    process of its own. Other command-line parameters pass through (``-p alpha 0.01`` reaches the
    sweep too); the sweep sets ``r``.
    """
    if values is None:
        values = _grid(config)
    runs = []
    for r in values:
        folder = _relative(sweep_folder(sweep_dir, r))  # parameters stay portable
        for run in plan(config, sweep_notebooks(config), {**overrides, "r": r}, folder,
                        f"{folder}/results", strict=False):
            runs.append(replace(run, name=sweep_step(r, run.name),
                                results=run.target.parent / "results"))
    return runs


def sweep_table(values, files, sweep_dir: str | os.PathLike = SWEEP_DIR,
                alpha: float = 0.05) -> "pd.DataFrame":  # noqa: F821
    """One row per r, scale and contrast: the change-score and ANCOVA p of that run (read from
    its results ``files``, :func:`sweep_files`), and whether each is below ``alpha``."""
    import pandas as pd  # here: a no-op rebuild should not pay for pandas

    frames = []
    for r in values:
        folder = sweep_folder(sweep_dir, float(r)) / "results"
        for name in files:
            path = folder / f"{name}.csv"
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: run the sweep first "
                                        "(python -m helpers.build.sweep)")
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


def collect_sweep(runs: list[Run], results_dir: str | os.PathLike, files) -> None:
    """Collect the sweep runs (their results ``files``) into
    ``RESULTS_DIR/correlation_sweep.csv`` (:func:`sweep_table`)."""
    from ..reanalysis import results

    values = sorted({run.parameters["r"] for run in runs})
    alpha = next((run.parameters["alpha"] for run in runs if "alpha" in run.parameters), None)
    table = sweep_table(values, files, runs[0].target.parent.parent,
                        **({} if alpha is None else {"alpha": alpha}))
    results.write_csv(table, SWEEP_TABLE, results_dir)


# ---------------------------------------------------------------------------------------------
# Content-hash cache
# ---------------------------------------------------------------------------------------------

CACHE_DIR = "build/cache"
#: Files every step depends on: the data every helper may read besides the step's own data folder
#: (the instrument library, the external evidence) and the pinned environment. Each step adds its
#: ``data_dir`` (wherever it is), every other folder or file its parameters name, its notebook,
#: and the modules of ``helpers`` it imports (:func:`step_keys`). No helper reads a trial it is
#: not given, so no other trial's folder is an input.
SHARED_INPUTS = ("data/instruments", "data/claims", "data/external", "constraints.txt",
                 "pyproject.toml")
PACKAGE = "src/helpers"
PACKAGE_NAME = "helpers"


def _hash_files(paths_to_hash) -> str:
    """One hash of the names and bytes of every file of ``paths_to_hash`` (files or folders,
    read now)."""
    digest = hashlib.sha256()
    for path in paths_to_hash:
        path = paths.resolve(path)
        if not path.exists():
            digest.update(f"missing:{path}".encode())
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        digest.update(str(path).encode())
        for file in files:
            digest.update(file.relative_to(path.parent).as_posix().encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _imported_helpers(code: str, package: str = "") -> set[str | None]:
    """The dotted names of ``helpers`` that ``code`` imports: ``import helpers.a.b`` gives
    ``helpers.a.b``; ``from helpers.a import b, c`` gives ``helpers.a`` and ``helpers.a.b``,
    ``helpers.a.c`` (a name imported from a package may be a module: :func:`helpers_used` keeps
    the names that are files). Relative imports are resolved against ``package``, the package of
    the module whose code it is (``helpers.reanalysis`` for ``from ..methods import effects``
    there). ``None`` marks code that cannot be parsed.

    Examples
    --------
    >>> sorted(_imported_helpers("from ..methods.ledger import claim_id", "helpers.reanalysis"))
    ['helpers.methods.ledger', 'helpers.methods.ledger.claim_id']
    >>> sorted(_imported_helpers("import numpy, helpers.build.params"))
    ['helpers.build.params']
    """
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {None}
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = parts[:len(parts) - (node.level - 1)] if node.level - 1 else parts
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not (module == PACKAGE_NAME or module.startswith(PACKAGE_NAME + ".")):
                continue
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names
                         if a.name == PACKAGE_NAME or a.name.startswith(PACKAGE_NAME + "."))
    return found


def _module_file(package: Path, dotted: str) -> tuple[Path, str] | None:
    """The file of the module ``dotted`` (``helpers.reanalysis.data``) under ``package`` (the
    folder of ``helpers``) and the package its relative imports start from; ``None`` when it is
    not a module (a function or constant imported by name)."""
    parts = dotted.split(".")[1:]
    folder = package.joinpath(*parts)
    if (folder / "__init__.py").is_file():
        return folder / "__init__.py", dotted
    if parts and folder.with_suffix(".py").is_file():
        return folder.with_suffix(".py"), dotted.rsplit(".", 1)[0]
    return None


def helpers_used(source: Path) -> list[Path]:
    """The files of ``helpers`` a notebook can run: the modules its code cells import, the
    ``__init__`` of every package on their way (``helpers``, ``helpers.reanalysis``, ...), and
    the modules those import, absolute or relative, transitively (all of ``helpers`` when some
    code cannot be parsed).

    Examples
    --------
    >>> package = paths.resolve(PACKAGE)
    >>> used = [p.relative_to(package).as_posix()
    ...         for p in helpers_used(paths.resolve("notebooks/ledger.ipynb"))]
    >>> "reanalysis/ledger.py" in used and "methods/ledger.py" in used
    True
    >>> "reanalysis/__init__.py" in used and "methods/sprite.py" not in used
    True
    """
    import nbformat

    package = paths.resolve(PACKAGE)
    notebook = nbformat.read(source, as_version=4)
    code = "\n".join("\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
                     for cell in notebook.cells if cell.cell_type == "code")
    pending, seen, files = _imported_helpers(code), set(), set()
    while pending:
        name = pending.pop()
        if name is None:
            return sorted(p for p in package.rglob("*") if p.is_file()
                          and "__pycache__" not in p.parts)
        if name in seen:
            continue
        seen.add(name)
        found = _module_file(package, name)
        if found is None:
            continue
        path, home = found
        files.add(path)
        parts = name.split(".")
        pending |= {".".join(parts[:k]) for k in range(1, len(parts))}  # its packages' __init__
        pending |= _imports_of_file(path, home)
    return sorted(files)


def _imports_of_file(path: Path, package: str) -> set[str | None]:
    """:func:`_imported_helpers` of a module file, parsed once per process for each content of
    the file (the ten steps of a build share most modules; parsing was most of a no-op build)."""
    return set(_imports_of_source(path.read_text(encoding="utf-8"), package))


@functools.lru_cache(maxsize=1024)
def _imports_of_source(code: str, package: str) -> frozenset:
    return frozenset(_imported_helpers(code, package))


def _relative(path: Path) -> str:
    """``path`` relative to the project root when it lies inside it (as parameters are given)."""
    root = paths.project_root()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _named_paths(parameters: dict) -> list[str]:
    """The existing files and folders a step's parameters name (its data folder among them), its
    results folder aside (an output, checked by the cache itself)."""
    named = []
    for name, value in sorted(parameters.items()):
        if name == "results_dir" or not isinstance(value, str) or not value or "\n" in value:
            continue
        try:
            if paths.resolve(value).exists():
                named.append(value)
        except (OSError, ValueError):
            continue
    return named


#: Environment variables that can change what a notebook outputs (matplotlib's configuration
#: folder and backend, hashing, the locale, the thread counts of the numerical libraries): their
#: values enter every step's key, so a change reruns the steps instead of keeping old outputs.
OUTPUT_ENVIRONMENT = ("MPLCONFIGDIR", "MPLBACKEND", "PYTHONHASHSEED", "LANG", "LC_ALL",
                      "LC_NUMERIC", "LC_CTYPE", "TZ", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                      "MKL_NUM_THREADS")


def environment_key() -> str:
    """The values of :data:`OUTPUT_ENVIRONMENT` now, as text for a step's key; a matplotlibrc in
    ``MPLCONFIGDIR`` counts by its bytes.

    Examples
    --------
    >>> environment_key() == environment_key()
    True
    """
    values = {name: os.environ.get(name) for name in OUTPUT_ENVIRONMENT}
    config = os.environ.get("MPLCONFIGDIR")
    rc = Path(config) / "matplotlibrc" if config else None
    if rc is not None and rc.is_file():
        values["matplotlibrc"] = hashlib.sha256(rc.read_bytes()).hexdigest()
    return json.dumps(values, sort_keys=True)


def step_keys(runs: list[Run], dependencies: dict[str, set[str]], kernel: str,
              sweep_config: dict | None = None) -> dict[str, str]:
    """The content hash of each step, from the bytes read now: its notebook and parameters, the
    files and folders its parameters name (the whole ``data_dir``, wherever it is), the modules
    of ``helpers`` it imports, the shared inputs, the kernel, and the keys of the steps it
    depends on (so a change upstream reruns what follows), and the environment variables that
    can change outputs (:func:`environment_key`)."""
    shared = _hash_files(SHARED_INPUTS) + environment_key()
    keys: dict[str, str] = {}
    by_name = {run.name: run for run in runs}
    hashed: dict[tuple, str] = {}

    def hash_of(files) -> str:
        files = tuple(str(f) for f in files)
        if files not in hashed:
            hashed[files] = _hash_files(files)
        return hashed[files]

    def key(name: str) -> str:
        if name in keys:
            return keys[name]
        digest = hashlib.sha256(shared.encode() + kernel.encode())
        if name == SWEEP:
            digest.update(json.dumps(sweep_config or {}, sort_keys=True, default=str).encode())
            digest.update(hash_of([PACKAGE]).encode())  # the collection runs in this process
        else:
            run = by_name[name]
            digest.update(run.source.read_bytes())
            digest.update(json.dumps(run.parameters, sort_keys=True, default=str).encode())
            digest.update(hash_of(_named_paths(run.parameters)).encode())
            digest.update(hash_of(helpers_used(run.source)).encode())
            digest.update(_relative(run.target).encode())
        for upstream in sorted(dependencies.get(name, ())):
            digest.update(key(upstream).encode())
        keys[name] = digest.hexdigest()
        return keys[name]

    for name in dependencies:
        key(name)
    return keys


class Cache:
    """What the last run of this output folder produced: each step's key, the executed notebooks'
    hashes, and the hashes of every results file. A step is skipped when its key is unchanged,
    its notebook is as the last run left it, and the results folder is untouched. A sweep run
    also checks its own results folder, which the three notebooks of one r share: touching it
    reruns that r. Each step's entry is written as soon as the step finishes (:meth:`record`), so
    an interrupted or failed build keeps what it finished."""

    def __init__(self, output_dir: str | os.PathLike, results_dir: str | os.PathLike):
        self.results_dir = paths.resolve(results_dir)
        name = hashlib.sha256(f"{paths.resolve(output_dir)}|{self.results_dir}".encode())
        self.path = paths.resolve(CACHE_DIR) / f"{name.hexdigest()[:16]}.json"
        try:
            self.state = json.loads(self.path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            self.state = {}
        self.results_intact = self.state.get("results") == staging.result_files(self.results_dir)
        if not self.results_intact:  # nothing recorded before stands
            self.state["steps"] = {}
        self._own_results: dict[str, Path] = {}

    def fresh(self, name: str, key: str, run: Run | None) -> bool:
        entry = self.state.get("steps", {}).get(name)
        if not self.results_intact or not entry or entry.get("key") != key:
            return False
        if run is None:
            return True
        if run.results is not None and entry.get("results") != staging.result_files(run.results):
            return False
        return run.target.is_file() and hashlib.sha256(run.target.read_bytes()).hexdigest() == \
            entry.get("target")

    def record(self, name: str, key: str, run: Run | None) -> None:
        """Record a finished step and save the cache at once."""
        entry = {"key": key}
        if run is not None and run.target.is_file():
            entry["target"] = hashlib.sha256(run.target.read_bytes()).hexdigest()
        if run is not None and run.results is not None:
            self._own_results[name] = run.results
        self.state.setdefault("steps", {})[name] = entry
        self.save()

    def save(self) -> None:
        """Write the cache: the results folder and the sweep runs' folders as they are now."""
        self.state["results"] = staging.result_files(self.results_dir)
        for name, folder in self._own_results.items():
            if name in self.state.get("steps", {}):
                self.state["steps"][name]["results"] = staging.result_files(folder)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(self.state, indent=1, sort_keys=True))
        os.replace(partial, self.path)
        self.results_intact = True


# ---------------------------------------------------------------------------------------------
# Scheduling: independent steps in parallel, dependent steps after their inputs
# ---------------------------------------------------------------------------------------------

def dependencies(config: dict, runs: list[Run], sweep: list[Run] = ()) -> dict[str, set[str]]:
    """``params.yaml``'s ``after`` map restricted to the selected steps; with sweep runs, the
    ``sweep`` step (collecting them) needs every one of them."""
    selected = {run.name for run in runs} | ({SWEEP} if sweep else set())
    after = config.get("after") or {}
    unknown = sorted({u for n, ups in after.items() for u in [n, *ups]
                      if u not in config["notebooks"] and u != SWEEP})
    if unknown:
        raise PipelineError(f"params.yaml 'after' names unknown step(s): {', '.join(unknown)}")
    cycle = find_cycle({name: list(ups or []) for name, ups in after.items()})
    if cycle:
        raise PipelineError(f"params.yaml 'after' has a dependency cycle: {' -> '.join(cycle)}")
    needs = {name: {u for u in after.get(name, []) if u in selected} for name in selected}
    needs.update({run.name: set() for run in sweep})
    if sweep:
        needs[SWEEP] = {run.name for run in sweep}
    return needs


def find_cycle(after: dict[str, list[str]]) -> list[str]:
    """A cycle of ``after`` (each step to the steps it needs), as the steps around it with the
    first repeated at the end; empty when there is none.

    Examples
    --------
    >>> find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c', 'a']
    >>> find_cycle({"a": ["b"], "b": []})
    []
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for up in after.get(name, []):
            if state.get(up) == 1:
                return path[path.index(up):] + [up]
            if up not in state:
                found = visit(up)
                if found:
                    return found
        state[name] = 2
        path.pop()
        return []

    for name in after:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return []


def priorities(order: list[str], needs: dict[str, set[str]], first=()) -> list[str]:
    """``order`` sorted so that steps heading the longest chain of dependent steps start first
    (the sweep runs before the notebooks only the ledger waits for); among equals, the steps
    named in ``first`` (``params.yaml``'s ``first``: the long ones, so that the short ones fill
    the other workers meanwhile), then ``order``'s order.

    Examples
    --------
    >>> priorities(["a", "b", "c"], {"a": set(), "b": set(), "c": {"b"}})
    ['b', 'a', 'c']
    >>> priorities(["a", "b", "c"], {"a": set(), "b": set(), "c": set()}, first=["c"])
    ['c', 'a', 'b']
    """
    dependents: dict[str, set[str]] = {name: set() for name in order}
    for name, ups in needs.items():
        for up in ups:
            dependents.setdefault(up, set()).add(name)
    depth: dict[str, int] = {}

    def chain(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max((chain(d) for d in dependents.get(name, ())), default=0)
        return depth[name]

    return sorted(order, key=lambda name: (-chain(name), name not in first))


class Interrupted(PipelineError):
    """The build was interrupted (Ctrl-C); the message says which steps finished."""


def _worker_exit(*_) -> None:
    """End a worker at once, and the kernels it started (their own sessions, which no Ctrl-C of
    the terminal reaches)."""
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass
    finally:
        os._exit(1)


def _submit_shielded(pool, function, *arguments):
    """``pool.submit`` with SIGINT blocked in this thread meanwhile: a worker the pool spawns now
    inherits the blocked signal, so a Ctrl-C that reaches the whole process group while the new
    interpreter is still importing (before :func:`_worker_start` can ignore it) does not end it
    with a traceback. A Ctrl-C that arrives during the call reaches this process right after."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return pool.submit(function, *arguments)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(function, *arguments)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _worker_start(parent: int) -> None:
    """Set up a worker: the parent handles Ctrl-C; a SIGTERM, or the parent's death (even by
    SIGKILL, through Linux's parent-death signal), ends the worker and its kernels."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_exit)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        _worker_exit()


def _execute_child(run: Run, kernel: str) -> float:  # top level, so a process pool can run it
    return execute(run, kernel)


def _stop_workers(pool) -> None:
    """End the pool's workers now (each ends its kernels) and drop the queued steps. A worker
    that has not ended within a second is killed, and so are the kernels it started (known
    before any signal: a kernel runs in its own session and outlives a killed worker)."""
    import signal

    workers = list((getattr(pool, "_processes", None) or {}).values())
    kernels = _descendants(worker.pid for worker in workers)
    for worker in workers:
        try:
            os.kill(worker.pid, signal.SIGTERM)
        except (OSError, TypeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 1.0
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
    for kernel in kernels:
        try:
            kernel.kill()
        except Exception:  # noqa: BLE001 - already gone (psutil.NoSuchProcess)
            pass


def _descendants(pids) -> list:
    """The processes started by the processes ``pids`` (psutil objects; empty without psutil)."""
    try:
        import psutil
    except ImportError:
        return []
    found = []
    for pid in pids:
        try:
            found += psutil.Process(pid).children(recursive=True)
        except (psutil.Error, TypeError):
            pass
    return found


def schedule(runs: list[Run], needs: dict[str, set[str]], keys: dict[str, str], cache: Cache,
             kernel: str, jobs: int, actions: dict | None = None,
             use_cache: bool = True, first=()) -> tuple[int, int]:
    """Run every step once its dependencies are done, ``jobs`` notebooks at a time; return
    (executed, cached). ``actions`` maps the steps that are not notebooks (the sweep's collection)
    to a function run in this process. Each finished step is recorded in the cache at once.
    ``first``: steps to start before their equals (:func:`priorities`).

    A failing step does not stop the others: every step that does not need it (directly or
    through another step) still runs, and those that need it are skipped. Then
    :class:`PipelineError` names every failed step (its cell and the first line of its error)
    and every skipped one. :class:`Interrupted` on Ctrl-C: the workers and their kernels are
    ended at once, and the message says which steps finished and which did not.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
    from multiprocessing import get_context

    actions = actions or {}
    by_name = {run.name: run for run in runs}
    order = priorities([*by_name, *actions], needs, first)
    done, executed, cached, total = set(), 0, 0, len(order)
    running: dict = {}
    failures: dict[str, PipelineError] = {}
    skipped: set[str] = set()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    side = ThreadPoolExecutor(max_workers=1)

    def finish(future) -> None:
        nonlocal executed
        name = running.pop(future)
        try:
            seconds = future.result()
        except (PipelineError, FileNotFoundError, ValueError, OSError) as error:
            failures[name] = (error if isinstance(error, PipelineError)
                              else PipelineError(f"{name}: {error}"))
            print(f"[{len(done) + len(failures) + len(skipped)}/{total}] {name} FAILED: "
                  f"{_first_line(failures[name])}", flush=True)
            return
        done.add(name)
        executed += 1
        cache.record(name, keys[name], by_name.get(name))
        timing = f" in {seconds:.1f} s" if isinstance(seconds, float) else ""
        print(f"[{len(done)}/{total}] {name} done{timing}", flush=True)

    try:
        while len(done) + len(failures) + len(skipped) < total:
            for name in order:
                if name in done or name in failures or name in skipped \
                        or name in running.values():
                    continue
                if needs[name] & (set(failures) | skipped):
                    skipped.add(name)
                    continue
                if not needs[name] <= done:
                    continue
                run = by_name.get(name)
                if use_cache and cache.fresh(name, keys[name], run):
                    done.add(name)
                    cached += 1
                    print(f"[{len(done)}/{total}] {name}: unchanged, not rerun", flush=True)
                    continue
                if run is None:
                    future = side.submit(actions[name])
                else:
                    future = _submit_shielded(pool, _execute_child, run, kernel)
                running[future] = name
            if not running:
                continue
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                finish(future)
    except KeyboardInterrupt:
        for future in [f for f in running if f.done() and not f.cancelled()]:
            try:
                finish(future)
            except Exception:  # noqa: BLE001
                pass
        _stop_workers(pool)
        side.shutdown(wait=False, cancel_futures=True)
        cache.save()
        finished = [name for name in order if name in done]
        missing = [name for name in order if name not in done]
        raise Interrupted(f"interrupted: finished {', '.join(finished) or 'nothing'}; not "
                          f"finished {', '.join(missing) or 'nothing'}") from None
    finally:
        pool.shutdown(wait=True)
        side.shutdown(wait=True)
    cache.save()
    if failures:
        raise _summary(failures, [name for name in order if name in skipped])
    return executed, cached


def _first_line(error: BaseException) -> str:
    """The first line of an error's message."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _summary(failures: dict[str, PipelineError], skipped: list[str]) -> PipelineError:
    """One error naming every failed step (its whole message: the cell, the error, where the
    failed notebook is) and the steps skipped because they need one of them."""
    if len(failures) == 1 and not skipped:
        return next(iter(failures.values()))
    lines = [f"{len(failures)} step(s) failed:"]
    for error in failures.values():
        lines += [f"- {line}" if number == 0 else f"  {line}"
                  for number, line in enumerate(str(error).strip().splitlines())]
    if skipped:
        lines.append(f"not run, because they need a failed step: {', '.join(skipped)}")
    return PipelineError("\n".join(lines))


def check_runs(runs: list[Run], config: dict) -> None:
    """Check every run's parameters against ``params.yaml``'s declarations (type and range),
    before any kernel starts; :class:`PipelineError` names the step, parameter, value and range."""
    specs = params.declarations(config)
    for run in runs:
        try:
            params.check_parameters(run.parameters, specs, run.name)
        except params.ParameterError as error:
            raise PipelineError(str(error)) from None


def check_writable(folder: Path) -> None:
    """Create ``folder`` if need be and make sure a file can be written in it, or raise
    :class:`PipelineError` naming it (before any kernel starts)."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-test.")
        os.close(handle)
        os.unlink(probe)
    except FileExistsError:
        raise PipelineError(f"{folder} cannot be a folder: a file of that name is in the way") \
            from None
    except NotADirectoryError:
        raise PipelineError(f"{folder} cannot be created: a file is in the way on its path") \
            from None
    except PermissionError:
        raise PipelineError(f"{folder} is not writable (permission denied): choose another "
                            "folder (--output-dir, --results-dir) or fix its permissions") from None
    except OSError as error:
        raise PipelineError(f"{folder} cannot be written: {error.strerror}") from None


#: Folders of the repository that hold what it tracks: no folder a user names (``--output-dir``,
#: ``--results-dir``, ``--sweep-dir``) may be one of them, inside one, or the root itself. Only
#: the published build, with the default folders, writes ``book/notebooks`` and ``results``.
TRACKED = ("results", "notebooks", "book", "data", "src", "tests", "scripts", "benchmarks")


def check_not_tracked(folder: str | os.PathLike, option: str) -> None:
    """Refuse a folder given on the command line that would overwrite what the repository
    tracks: its root, or a folder of :data:`TRACKED` or inside one.

    Examples
    --------
    >>> check_not_tracked("runs/mine", "--output-dir")
    >>> check_not_tracked("notebooks", "--output-dir")
    Traceback (most recent call last):
    ...
    helpers.build.pipeline.PipelineError: --output-dir notebooks: inside notebooks/, which the repository tracks; a run's own output goes elsewhere (e.g. runs/mine)
    """
    root = paths.project_root().resolve()
    target = paths.resolve(folder).resolve()
    if target == root or root.is_relative_to(target):
        raise PipelineError(f"{option} {folder}: the repository itself; a run's own output goes "
                            "in a folder of its own (e.g. runs/mine)")
    for name in TRACKED:
        if target.is_relative_to(root / name):
            raise PipelineError(f"{option} {folder}: inside {name}/, which the repository "
                                "tracks; a run's own output goes elsewhere (e.g. runs/mine)")


def default_sweep_dir(output_dir: str | None) -> str:
    """Where the sweep runs go: ``build/sweep`` for the book's build, else ``OUTPUT_DIR/sweep``
    (so a scratch build never touches the book's sweep)."""
    return SWEEP_DIR if output_dir is None else f"{output_dir}/sweep"


def build(notebooks: Sequence[str] | None = None, overrides: dict | None = None,
          output_dir: str | os.PathLike = DEFAULT_OUTPUT,
          results_dir: str | os.PathLike = DEFAULT_RESULTS, jobs: int | None = None,
          use_cache: bool = True, with_sweep: bool | None = None, *, sweep_r=None,
          sweep_dir: str | os.PathLike | None = None, config: str | os.PathLike = DEFAULT_CONFIG,
          kernel: str = "python3") -> tuple[int, int]:
    """Execute notebooks, and the correlation sweep, as steps of one pool of workers; return
    (executed, cached). One progress line is printed as each step finishes.

    ``notebooks``: names as :func:`select` takes them; ``None`` runs every notebook of
    ``params.yaml``, an empty sequence none (the sweep alone). ``overrides`` go to every notebook
    that declares them, and to the sweep's runs. ``with_sweep``: ``None`` runs the sweep when a
    selected notebook lists ``sweep`` in ``params.yaml``'s ``after``, ``True`` always, ``False``
    never. The sweep's runs go to ``sweep_dir`` (``build/sweep`` for the default output folder,
    else ``OUTPUT_DIR/sweep``), one for each r of ``sweep_r`` (``params.yaml``'s ``sweep: r:`` by
    default), and are collected into ``RESULTS_DIR/correlation_sweep.csv``. ``jobs`` notebooks run
    at a time (every core by default); with ``use_cache`` a step whose inputs and outputs are
    unchanged is not rerun. The cache is kept per ``output_dir`` and ``results_dir``.

    Raises :class:`PipelineError` for a bad request or grid and on the first failing step.
    """
    if jobs is not None and jobs < 1:
        raise PipelineError(f"--jobs must be at least 1, not {jobs}")
    overrides = dict(overrides or {})
    settings = load_steps(config, overrides)
    names = [] if notebooks is not None and not notebooks else \
        select(list(settings["notebooks"]), list(notebooks or []))
    runs = plan(settings, names, overrides, output_dir, results_dir, strict=bool(names))
    if with_sweep is None:
        with_sweep = bool(settings.get("sweep")) and any(
            SWEEP in (settings.get("after") or {}).get(run.name, []) for run in runs)
    sweep, sweep_config = [], settings.get("sweep") or {}
    if with_sweep:
        if sweep_r is None:
            values = _grid(settings)
        else:
            try:
                values = check_sweep_values(sweep_r)
            except ValueError as error:
                raise PipelineError(f"the sweep's r: {error}") from None
        if sweep_dir is None:
            default = paths.resolve(output_dir) == paths.resolve(DEFAULT_OUTPUT)
            sweep_dir = default_sweep_dir(None if default else str(output_dir))
        sweep = sweep_runs(settings, overrides, sweep_dir, values)
        sweep_config = {**sweep_config, "r": values}
    needs = dependencies(settings, runs, sweep)
    check_runs(runs + sweep, settings)
    written = {paths.resolve(output_dir), paths.resolve(results_dir),
               *(run.target.parent for run in sweep),
               *(paths.resolve(run.parameters["results_dir"]) for run in runs + sweep
                 if "results_dir" in run.parameters)}
    for folder in written:
        check_writable(folder)
    first = settings.get("first") or []
    if not isinstance(first, list) or set(map(str, first)) - set(settings["notebooks"]):
        raise PipelineError(f"params.yaml 'first' must list notebooks of 'notebooks', got "
                            f"{first!r}")
    try:
        with locks.exclusive(written):  # one build at a time per folder (helpers.build.locks)
            for run in runs + sweep:  # what an interrupted or killed step left in scratch
                if "results_dir" in run.parameters:
                    shutil.rmtree(paths.resolve(run.parameters["results_dir"]) / SCRATCH,
                                  ignore_errors=True)
            keys = step_keys(runs + sweep, needs, kernel, sweep_config)
            actions = ({SWEEP: lambda: collect_sweep(sweep, results_dir, sweep_files(settings))}
                       if sweep else {})
            return schedule(runs + sweep, needs, keys, Cache(output_dir, results_dir), kernel,
                            jobs or os.cpu_count() or 1, actions, use_cache=use_cache,
                            first=first)
    except locks.BuildLocked as error:
        raise PipelineError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build.pipeline",
        description="Execute the numbered notebooks with papermill.",
        epilog="Example: python -m helpers.build.pipeline 03 -p alpha 0.01 --output-dir "
               "runs/alpha01")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to run, by number (03) or name, with or without its "
                             "number; all when omitted")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="override a parameter (value read as YAML)")
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="parameter file (%(default)s)")
    parser.add_argument("--output-dir", default=None,
                        help=f"where executed notebooks go ({DEFAULT_OUTPUT})")
    parser.add_argument("--results-dir", default=None,
                        help=f"where results go ({DEFAULT_RESULTS}; OUTPUT_DIR/results when "
                             "--output-dir is given)")
    parser.add_argument("--sweep-dir", default=None,
                        help="where the sweep runs go (build/sweep; OUTPUT_DIR/sweep when "
                             "--output-dir is given)")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel (%(default)s)")
    parser.add_argument("--no-sweep", action="store_true",
                        help="skip the correlation sweep (params.yaml 'sweep'); the notebook "
                             "that reads it uses the committed results")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks executed at a time (default: every core)")
    parser.add_argument("--no-cache", action="store_true",
                        help="execute every step even when its inputs are unchanged")
    args = parser.parse_args(argv)

    try:
        for option, folder in (("--output-dir", args.output_dir),
                               ("--results-dir", args.results_dir),
                               ("--sweep-dir", args.sweep_dir)):
            if folder is not None:
                check_not_tracked(folder, option)
    except PipelineError as error:
        print(f"ERROR: {error}", file=sys.stderr, flush=True)
        return 2
    output_dir = args.output_dir or DEFAULT_OUTPUT
    results_dir = args.results_dir or (f"{args.output_dir}/results" if args.output_dir
                                       else DEFAULT_RESULTS)
    sweep_dir = args.sweep_dir or default_sweep_dir(args.output_dir)
    try:
        total = time.perf_counter()
        executed, cached = build(args.notebooks or None, parse_overrides(args.parameter),
                                 output_dir, results_dir, args.jobs, not args.no_cache,
                                 False if args.no_sweep else None, sweep_dir=sweep_dir,
                                 config=args.config, kernel=args.kernel)
        jobs = args.jobs or os.cpu_count() or 1
        print(f"{executed} step(s) executed, {cached} unchanged, in "
              f"{time.perf_counter() - total:.1f} s on {jobs} worker(s); outputs in "
              f"{output_dir}/, results in {results_dir}/", flush=True)
    except Interrupted as error:
        print(f"\n{error}", file=sys.stderr, flush=True)
        return 130
    except KeyboardInterrupt:  # while planning, before any step started
        print("\ninterrupted: finished nothing; no step had started", file=sys.stderr, flush=True)
        return 130
    except PipelineError as error:
        print(f"\nERROR: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
