"""helpers.sweep: a papermill rerun of a sweep notebook gives what helpers.effects computes
in-process for the same r, and the sweep is a thin caller of the pipeline's public API."""

import ast
import inspect

import pandas as pd

from helpers import data, effects, pipeline, sweep

R = 0.7  # not the notebooks' default (0.5), so the injected parameter must have taken effect
KEYS = ["instrument", "scale", "contrast"]


def test_papermill_rerun_equals_in_process(tmp_path):
    """Notebook 03, run as the sweep runs it for r = 0.7 (papermill, ``-p r 0.7``, its own output
    and results folders, here temporary), writes the change-score and ANCOVA p-values that
    ``effects.change_score`` and ``effects.ancova`` give in-process. The notebook writes its
    table rounded to 6 decimals (``comparison.round(6)``), so the in-process values are rounded
    the same way; beyond that they agree to 1e-9."""
    config = pipeline.load_config()
    [run] = [run for run in pipeline.sweep_runs(config, {}, tmp_path / "sweep", [R])
             if run.name == pipeline.sweep_step(R, "03_primary_endpoint")]
    assert run.parameters["r"] == R and str(tmp_path) in run.parameters["results_dir"]
    pipeline.execute(run)
    rerun = pd.read_csv(tmp_path / "sweep" / "r_0.70" / "results" / "reanalysis_bm22.csv")

    frame = effects.contrasts(data.load_outcomes())
    frame = frame[frame["instrument"] == "BM22"].reset_index(drop=True)

    def in_process(r):
        return frame[KEYS].assign(
            p_change=effects.change_score(frame, r)["p_value"].to_numpy(),
            p_ancova=effects.ancova(frame, r)["p_value"].to_numpy()).round(6)

    compared = rerun[KEYS + ["p_change", "p_ancova"]].merge(
        in_process(R), on=KEYS, how="outer", suffixes=("_papermill", "_in_process"),
        validate="one_to_one", indicator=True)
    assert len(compared) == len(frame) > 0 and (compared["_merge"] == "both").all()
    for column in ("p_change", "p_ancova"):
        gap = (compared[f"{column}_papermill"] - compared[f"{column}_in_process"]).abs()
        assert gap.max() <= 1e-9, compared.loc[gap > 1e-9]
    # the comparison has teeth: at the default r the values differ
    default = rerun[KEYS].merge(in_process(0.5), on=KEYS)
    assert (default["p_ancova"] - rerun["p_ancova"]).abs().max() > 1e-4


def _imports(module):
    """The modules ``module`` imports, as ``helpers.NAME`` for the package's own."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "helpers" if node.level else node.module
            if node.level and node.module:
                found.add(f"helpers.{node.module}")
            elif node.level or base == "helpers":
                found |= {f"helpers.{alias.name}" for alias in node.names}
            else:
                found.add(base)
    return found


def test_sweep_imports_pipeline_one_way_and_only_its_public_names():
    assert "helpers.sweep" not in _imports(pipeline)
    assert "helpers.pipeline" in _imports(sweep)
    tree = ast.parse(inspect.getsource(sweep))
    used = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "pipeline" for alias in node.names}
    used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             and isinstance(node.value, ast.Name) and node.value.id == "pipeline"}
    assert used and used <= set(pipeline.__all__)
    for module in (pipeline, sweep):
        assert all(hasattr(module, name) for name in module.__all__)
