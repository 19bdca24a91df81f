"""helpers.build.sweep: a papermill rerun of a sweep notebook gives what helpers.methods.effects
computes in-process for the same r, and the sweep is a thin caller of the pipeline's public API. The
same rerun (slow: one chapter and the ledger chapter into a scratch copy of the committed results)
shows that rerunning one notebook replaces its ledger fragment and no other.

The ledger files are compared as text, not with helpers.reanalysis.ledger: the combined files are
the fragments concatenated in the order of notebooks/params.yaml."""

import ast
import csv
import inspect
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from conftest import PUBLISHED, ROOT
from helpers.methods import effects
from helpers.build import pipeline, sweep
from helpers.reanalysis import data, trial, wide

R = 0.7  # not the notebooks' default (0.5), so the injected parameter must have taken effect
KEYS = ["instrument", "scale", "contrast"]


@pytest.fixture(scope="module")
def rerun(tmp_path_factory):
    """Notebook 03 rerun with ``-p r 0.7`` by the documented sweep command
    (:func:`helpers.build.sweep.command`: the pipeline, its own output folder) into a scratch copy
    of the committed results, then the ledger chapter over them. Returns the results folder."""
    folder = tmp_path_factory.mktemp("rerun")
    results = folder / "results"
    shutil.copytree(ROOT / "results", results, ignore=shutil.ignore_patterns(".*"))
    line = sweep.command(R, folder / "sweep")
    assert line[3:] == ["03_bm22", "04_fa13", "05_qscr10", "-p", "r", str(R),
                        "--output-dir", str(folder / "sweep" / "r_0.70")]
    for notebooks in (["03_bm22", "-p", "r", str(R)], ["ledger"]):
        subprocess.run([sys.executable, "-m", "helpers.build.pipeline", "--no-cache", *notebooks,
                        "--output-dir", str(folder / "out"), "--results-dir", str(results)],
                       cwd=ROOT, check=True, capture_output=True)
    return results


def test_papermill_rerun_equals_in_process(rerun):
    """Notebook 03, run as the sweep runs it for r = 0.7 (papermill through the pipeline,
    ``-p r 0.7``), writes the change-score and ANCOVA p-values that ``effects.change_score`` and
    ``effects.ancova`` give in-process. The notebook writes its table rounded to 6 decimals
    (``comparison.round(6)``), so the in-process values are rounded the same way; beyond that
    they agree to 1e-9."""
    rerun = pd.read_csv(rerun / "reanalysis_bm22.csv")

    frame = wide.contrasts(data.load_outcomes(PUBLISHED), trial.load(PUBLISHED))
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
    """The modules ``module`` imports, by dotted name (relative imports resolved against its
    package; ``from helpers.build import x`` gives ``helpers.build.x``)."""
    package = module.__name__.rsplit(".", 1)[0].split(".")
    packages = {"helpers", "helpers.methods", "helpers.reanalysis", "helpers.build"}
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            if base in packages:
                found |= {f"{base}.{alias.name}" for alias in node.names}
            else:
                found.add(base)
    return found


def test_sweep_imports_pipeline_one_way_and_only_its_public_names():
    assert "helpers.build.sweep" not in _imports(pipeline)
    assert "helpers.build.pipeline" in _imports(sweep)
    tree = ast.parse(inspect.getsource(sweep))
    used = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "pipeline" for alias in node.names}
    used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             and isinstance(node.value, ast.Name) and node.value.id == "pipeline"}
    assert used and used <= set(pipeline.__all__)
    for module in (pipeline, sweep):
        assert all(hasattr(module, name) for name in module.__all__)


# ---------------------------------------------------------------------------------------------
# The ledger after a rerun of one notebook
# ---------------------------------------------------------------------------------------------

ORDER = pipeline.notebook_order()  # the published trial's steps, as trial.yaml plans them


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _without_derived(text):
    import io

    import pandas as pd

    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return table.drop(columns=[c for c in ("possible_if", "tier") if c in table.columns]
                      ).to_csv(index=False)


def _concatenated(paths):
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return texts[0].split("\n", 1)[0] + "\n" + "".join(t.split("\n", 1)[1] for t in texts)


@pytest.mark.slow
def test_a_rerun_of_one_notebook_replaces_only_its_fragment(rerun):
    built = ROOT / "results"
    before = {p.relative_to(built): p.read_bytes() for p in built.rglob("*.csv")}
    after = {p.relative_to(rerun): p.read_bytes() for p in rerun.rglob("*.csv")}
    assert after.keys() == before.keys()
    changed = sorted(path.as_posix() for path in before if after[path] != before[path])
    fragments = [path for path in changed if path.startswith(("ledger/", "effect_sizes/"))]
    assert "ledger/03_bm22.csv" in fragments
    assert set(fragments) <= {"ledger/03_bm22.csv",
                              "effect_sizes/03_bm22.csv"}
    ledger = [p for p in sorted(rerun.joinpath("ledger").glob("*.csv"),
                                key=lambda p: ORDER.index(p.stem))]
    assert set(row["notebook"] for row in _rows(ledger[ORDER.index("03_bm22")])) == \
        {"03_bm22"}
    assert any("r = 0.7" in row["recomputed"]
               for row in _rows(rerun / "ledger" / "03_bm22.csv"))
    # possible_if and tier are derived across fragments (tests/test_ledger.py): not compared
    assert _without_derived((rerun / "ledger.csv").read_text(encoding="utf-8")) == \
        _without_derived(_concatenated(ledger))
    rows = {"built": _rows(built / "ledger.csv"), "rerun": _rows(rerun / "ledger.csv")}
    others = {k: [r for r in v if r["notebook"] != "03_bm22"]
              for k, v in rows.items()}
    assert others["rerun"] == others["built"]
    assert len(rows["rerun"]) == len(rows["built"])
