"""The simulated trial (data/examples/simulated): reproducible, valid, its planted errors present
and caught, and no false alarm from the consistency checks on any other number.

The folder is written by scripts/simulate_trial.py from simulated patients (its patients/
folder); planted.csv lists the errors put in on purpose. Here the checks of
helpers.methods.consistency are run with the simulation's known design (item counts, complete items,
the flow of deaths): every planted error must fail its check, every other number must pass. That is
the engine's false-alarm test at the level of the methods; running the notebooks on the folder
(``-p data_dir data/examples/simulated``) is the end-to-end one.
"""

from __future__ import annotations

import importlib.util
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from helpers.methods import consistency as cc
from helpers.methods import scoring
from helpers.reanalysis import data

from conftest import PUBLISHED, ROOT

SIMULATED = ROOT / "data" / "examples" / "simulated"
SCRIPT = ROOT / "scripts" / "simulate_trial.py"
ALPHA = 0.05


def _script():
    spec = importlib.util.spec_from_file_location("simulate_trial", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sim():
    return _script()


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return pd.read_csv(SIMULATED / "planted.csv", dtype=str, keep_default_na=False)


def _planted_cells(planted: pd.DataFrame, file: str) -> set[tuple[str, str]]:
    rows = planted[planted["file"] == file]
    return set(zip(rows["row_key"], rows["column"]))


def _printed(file: str) -> pd.DataFrame:
    return data.load(file, SIMULATED)


def _key(row, file: str) -> str:
    return data.row_key(row, data.key_columns(file, SIMULATED))


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


# ---------------------------------------------------------------------------------------------
# Reproducible and valid
# ---------------------------------------------------------------------------------------------

def test_regenerates_byte_for_byte(tmp_path, sim):
    """Rerunning the script writes the committed folder exactly (rerun it after changing the
    script or data/published/datapackage.json, whose schema it copies)."""
    sim.generate(tmp_path)
    committed, fresh = _files(SIMULATED), _files(tmp_path)
    assert sorted(fresh) == sorted(committed), "the script writes other files than committed"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, (f"{changed} differ from a fresh run: python scripts/simulate_trial.py "
                         "--out data/examples/simulated")


def test_schema_is_the_published_one():
    import json

    mine = json.loads((SIMULATED / "datapackage.json").read_text(encoding="utf-8"))
    published = json.loads((ROOT / "data" / "published" / "datapackage.json")
                           .read_text(encoding="utf-8"))
    assert mine["resources"] == published["resources"]


@pytest.mark.parametrize("name", [*data.TABLES, *data.ANALYSIS_TABLES, "corrections"])
def test_every_table_validates(name):
    assert data.validate(name, SIMULATED) == []
    data.load(name, SIMULATED)


def test_trial_description():
    from helpers.reanalysis import trial

    study = trial.load(SIMULATED)
    assert [(a.id, a.randomised) for a in study.arms] == [("A", 40), ("B", 38)]
    assert study.control.id == "B"
    assert [t.id for t in study.timepoints] == ["t0", "t1", "t2", "t3"]
    assert list(study.contrasts) == ["t0-t1", "t0-t2", "t0-t3"]
    published = trial.load(PUBLISHED)
    assert study.scales == published.scales


def test_tables_are_complete():
    assert len(_printed("outcomes")) == 10 * 2 * 4
    assert len(_printed("effects")) == 10 * 3
    assert len(_printed("items")) == 6 * 2 * 4
    assert len(_printed("item_tests")) == 6 * 3
    assert len(_printed("related")) == len(_printed("corrections")) == 0


# ---------------------------------------------------------------------------------------------
# The patients behind the tables
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return pd.read_csv(SIMULATED / "patients" / "responses.csv")


@pytest.fixture(scope="module")
def characteristics() -> pd.DataFrame:
    return pd.read_csv(SIMULATED / "patients" / "characteristics.csv", dtype=str)


def _scores(responses: pd.DataFrame, sim) -> dict[tuple[str, str], pd.Series]:
    """Each scale's scores, recomputed here with helpers.methods.scoring from the item responses."""
    out = {}
    for instrument, scale in sim.scales():
        conventions = dict(sim.CONVENTIONS.get(scale.name, {}))
        kind = conventions.get("kind", scale.kind)
        reversed_items = conventions.get("reversed_items", scale.reversed_items)
        positions = tuple(scale.items.index(i) + 1 for i in reversed_items)
        columns = [f"{instrument.name}_{item}" for item in scale.items]
        out[(instrument.name, scale.name)] = pd.Series(scoring.score(
            responses[columns].to_numpy(), kind, instrument.response_min,
            instrument.response_max, reversed_items=positions), index=responses.index)
    return out


def test_dead_patients_answer_nothing_later_and_survivors_everything(responses,
                                                                     characteristics):
    order = ["t0", "t1", "t2", "t3"]
    last = characteristics.set_index("patient")["last_assessed"]
    seen = responses.groupby("patient")["timepoint"].apply(list)
    for patient, timepoints in seen.items():
        assert timepoints == order[:order.index(last[patient]) + 1], patient
    assert not responses.isna().any().any()


def test_outcomes_recomputed_from_the_patients(responses, sim, planted):
    """Every unplanted n, mean and SD of outcomes.csv is what the patients' scores give."""
    scores = _scores(responses, sim)
    skip = _planted_cells(planted, "outcomes")
    for _, row in _printed("outcomes").iterrows():
        values = scores[(row["instrument"], row["scale"])][
            (responses["arm"] == row["arm"]) & (responses["timepoint"] == row["timepoint"])]
        key = _key(row, "outcomes")
        decimals = sim.DECIMALS[row["instrument"]]
        exact = [Fraction(v).limit_denominator(1000) for v in values]
        n, mean, variance = sim.summary(exact)
        if (key, "n") not in skip:
            assert row["n_printed"] == str(n), key
        if (key, "mean") not in skip:
            assert row["mean_printed"] == sim.fmt(mean, decimals[0]), key
        if (key, "sd") not in skip:
            assert row["sd_printed"] == sim.fmt_sqrt(variance, decimals[1]), key


# ---------------------------------------------------------------------------------------------
# The planted errors are there, and their checks catch them
# ---------------------------------------------------------------------------------------------

def test_planted_list(planted):
    assert set(planted["kind"]) >= {"grim", "grimmer", "n_exceeds_alive", "percentage",
                                    "restated_claim", "statement"}
    assert list(planted.columns) == ["file", "row_key", "column", "printed", "true_value",
                                     "kind", "expected_check"]


@pytest.mark.parametrize("kind", ["grim", "grimmer", "n_exceeds_alive", "percentage",
                                  "restated_claim"])
def test_planted_value_is_printed(planted, kind):
    entry = planted[planted["kind"] == kind].iloc[0]
    table = _printed(entry["file"])
    keys = data.key_columns(entry["file"], SIMULATED)
    match = table[[data.row_key(r, keys) == entry["row_key"] for _, r in table.iterrows()]]
    assert len(match) == 1
    assert match[f"{entry['column']}_printed"].item() == entry["printed"]
    assert entry["printed"] != entry["true_value"]


def _grid(sim, scale_name: str):
    for instrument, scale in sim.scales():
        if scale.name == scale_name:
            if instrument.name == "QSCR10":
                return Fraction(1), 0, 50
            return cc.eortc_step(len(scale.items)), 0, 100
    raise KeyError(scale_name)


def _outcome(row_key: str) -> pd.Series:
    table = _printed("outcomes")
    return table[[_key(r, "outcomes") == row_key for _, r in table.iterrows()]].iloc[0]


def test_planted_mean_fails_grim(planted, sim):
    entry = planted[planted["kind"] == "grim"].iloc[0]
    row = _outcome(entry["row_key"])
    step, low, high = _grid(sim, row["scale"])
    check = cc.grim(row["mean_printed"], int(row["n"]), step, scale_min=low, scale_max=high)
    assert check["consistency"].item() == cc.INCONSISTENT
    true = cc.grim(entry["true_value"], int(row["n"]), step, scale_min=low, scale_max=high)
    assert true["consistency"].item() == cc.CONSISTENT


def test_planted_sd_fails_grimmer(planted, sim):
    entry = planted[planted["kind"] == "grimmer"].iloc[0]
    row = _outcome(entry["row_key"])
    step, low, high = _grid(sim, row["scale"])
    args = dict(scale_min=low, scale_max=high)
    assert cc.grim(row["mean_printed"], int(row["n"]), step, **args)["consistency"].item() \
        == cc.CONSISTENT
    check = cc.grimmer(row["mean_printed"], row["sd_printed"], int(row["n"]), step, **args)
    assert check["consistency"].item() == cc.INCONSISTENT
    assert check["method"].item() == "exact"
    true = cc.grimmer(row["mean_printed"], entry["true_value"], int(row["n"]), step, **args)
    assert true["consistency"].item() == cc.CONSISTENT


def _alive() -> dict[tuple[str, str], int]:
    """Patients alive at each arm and timepoint, from the arm sizes of Table 1 and the deaths
    the text reports (claims.csv), as a reader of the paper would count them."""
    claims = _printed("claims").set_index("refers_to")
    size = _printed("baseline").query("characteristic == 'group_size'").set_index("arm")["n"]
    order = ["t0", "t1", "t2", "t3"]
    alive = {}
    for arm in ("A", "B"):
        count = int(size[arm])
        alive[(arm, "t0")] = count
        for before, after in zip(order, order[1:]):
            count -= int(claims.loc[f"deaths_arm_{arm.lower()}_{before}_{after}", "value"])
            alive[(arm, after)] = count
    return alive


def test_planted_n_exceeds_the_patients_alive(planted):
    entry = planted[planted["kind"] == "n_exceeds_alive"].iloc[0]
    row = _outcome(entry["row_key"])
    expected = _alive()[(row["arm"], row["timepoint"])]
    assert int(row["n"]) > expected
    assert int(entry["true_value"]) == expected


def test_planted_n_also_makes_its_mean_impossible(planted, sim):
    """The mean of the planted-n cell was computed over the patients alive: at the printed n it
    fails GRIM for the scale's item count (the joint item-count inference sees the same
    error)."""
    entry = planted[planted["kind"] == "n_exceeds_alive"].iloc[0]
    row = _outcome(entry["row_key"])
    step, low, high = _grid(sim, row["scale"])
    args = dict(scale_min=low, scale_max=high)
    assert cc.grim(row["mean_printed"], int(row["n"]), step, **args)["consistency"].item() \
        == cc.INCONSISTENT
    assert cc.grim(row["mean_printed"], int(entry["true_value"]), step,
                   **args)["consistency"].item() == cc.CONSISTENT


def test_planted_percentage_fails(planted):
    entry = planted[planted["kind"] == "percentage"].iloc[0]
    baseline = _printed("baseline")
    row = baseline[[_key(r, "baseline") == entry["row_key"] for _, r in baseline.iterrows()]]
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"]
    arm = row["arm"].item()
    check = cc.percentage(int(row["n"].item()), int(size[arm]), row["percent_printed"].item())
    assert check["consistency"].item() == cc.INCONSISTENT
    assert check["recomputed"].item() == entry["true_value"]


def test_planted_restated_claim_differs_from_its_cell(planted):
    entry = planted[planted["kind"] == "restated_claim"].iloc[0]
    claims = _printed("claims").set_index("claim_id")
    claim = claims.loc[entry["row_key"]]
    tables = {name: _printed(name) for name in ("effects", "baseline", "item_tests")}
    cell = data.printed_cell(tables, claim["refers_to"], SIMULATED)
    assert claim["value_printed"] == entry["printed"] != cell == entry["true_value"]


def test_planted_statement_calls_a_trend_significant(planted):
    entry = planted[planted["kind"] == "statement"].iloc[0]
    statements = _printed("statements")
    rows = statements[statements["statement_id"] == entry["row_key"]]
    assert rows["assertion"].tolist() == ["significant"]
    _, _, key = rows["refers_to"].item().partition(":")
    instrument, scale, contrast = key.split("/")
    effects = _printed("effects").set_index(["instrument", "scale", "contrast"])
    assert float(effects.loc[(instrument, scale, contrast), "p"]) >= ALPHA


# ---------------------------------------------------------------------------------------------
# No false alarm: every unplanted number passes its check
# ---------------------------------------------------------------------------------------------

def test_no_false_alarm_grim_grimmer_outcomes(planted, sim):
    """GRIM and GRIMMER (exact, with the simulation's item counts and complete items) pass on
    every outcome cell that carries no planted error."""
    table = _printed("outcomes")
    skip = {key for key, _ in _planted_cells(planted, "outcomes")}
    cells = table[[_key(r, "outcomes") not in skip for _, r in table.iterrows()]]
    grids = [_grid(sim, scale) for scale in cells["scale"]]
    args = dict(step=[g[0] for g in grids], scale_min=[g[1] for g in grids],
                scale_max=[g[2] for g in grids])
    n = cells["n"].astype(int).tolist()
    grim = cc.grim(cells["mean_printed"].tolist(), n, **args)
    assert (grim["consistency"] != cc.INCONSISTENT).all(), grim[grim["consistency"]
                                                                 == cc.INCONSISTENT]
    grimmer = cc.grimmer(cells["mean_printed"].tolist(), cells["sd_printed"].tolist(), n,
                         **args)
    assert (grimmer["consistency"] != cc.INCONSISTENT).all(), grimmer[
        grimmer["consistency"] == cc.INCONSISTENT]
    # the test has power: the 2-decimal EORTC means are fine enough for GRIM to decide
    eortc = (cells["instrument"] != "QSCR10").to_numpy()
    assert (grim["consistency"][eortc] == cc.CONSISTENT).all()


def test_no_false_alarm_items():
    items = data.items_with_n(_printed("items"), _printed("outcomes"))
    args = dict(scale_min=1, scale_max=4)
    grim = cc.grim(items["mean_printed"].tolist(), items["n"].tolist(), 1, **args)
    grimmer = cc.grimmer(items["mean_printed"].tolist(), items["sd_printed"].tolist(),
                         items["n"].tolist(), 1, **args)
    assert (grim["consistency"] != cc.INCONSISTENT).all()
    assert (grimmer["consistency"] != cc.INCONSISTENT).all()


def test_no_false_alarm_baseline(planted):
    baseline = _printed("baseline")
    skip = _planted_cells(planted, "baseline")
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    for _, row in baseline[baseline["percent_printed"] != ""].iterrows():
        if (_key(row, "baseline"), "percent") in skip:
            continue
        check = cc.percentage(int(row["n"]), int(size[row["arm"]]), row["percent_printed"])
        assert check["consistency"].item() == cc.CONSISTENT, _key(row, "baseline")
    for _, row in baseline[baseline["characteristic"] == "age"].iterrows():
        n = int(size[row["arm"]])
        assert cc.grim(row["mean_printed"], n, 1)["consistency"].item() != cc.INCONSISTENT
        assert cc.grimmer(row["mean_printed"], row["sd_printed"], n, 1, scale_min=18,
                          scale_max=80)["consistency"].item() != cc.INCONSISTENT
    for arm, group in baseline[baseline["characteristic"] == "gender"].groupby("arm"):
        assert group["n"].astype(int).sum() == size[arm]


def test_no_false_alarm_flow(planted):
    """Every unplanted n is the number alive; the deaths' percentages reproduce; the flow adds
    up."""
    alive = _alive()
    skip = _planted_cells(planted, "outcomes")
    for _, row in _printed("outcomes").iterrows():
        if (_key(row, "outcomes"), "n") not in skip:
            assert int(row["n"]) == alive[(row["arm"], row["timepoint"])], _key(row, "outcomes")
    claims = _printed("claims").set_index("refers_to")
    for arm, size in (("a", 40), ("b", 38)):
        for period in ("t0_t1", "t1_t2", "t2_t3"):
            count = int(claims.loc[f"deaths_arm_{arm}_{period}", "value"])
            percent = claims.loc[f"deaths_arm_{arm}_{period}_percent", "value_printed"]
            assert cc.percentage(count, size, percent)["consistency"].item() == cc.CONSISTENT
    def value(name):  # the first claim of that name (the number may be stated twice)
        return int(claims.loc[[name], "value"].iloc[0])

    assert (value("patients_screened") - value("excluded_unstable_metastases")
            - value("declined_to_participate") == value("patients_randomized") == 78)


def test_no_false_alarm_restated_claims(planted):
    claims = _printed("claims")
    tables = {name: _printed(name) for name in ("effects", "baseline", "item_tests",
                                                "outcomes", "items")}
    skip = set(planted.loc[planted["file"] == "claims", "row_key"])
    restated = claims[claims["refers_to"].str.contains(":", regex=False)]
    assert len(restated) >= 10
    for _, claim in restated.iterrows():
        if claim["claim_id"] not in skip:
            assert data.printed_cell(tables, claim["refers_to"], SIMULATED) == \
                claim["value_printed"], \
                claim["claim_id"]


def test_no_false_alarm_statements(planted):
    """Each unplanted significance sentence agrees with the p it refers to."""
    statements = _printed("statements")
    effects = _printed("effects").set_index(["instrument", "scale", "contrast"])
    item_tests = _printed("item_tests").set_index(["item", "contrast"])
    skip = set(planted.loc[planted["file"] == "statements", "row_key"])

    def p(reference):
        kind, _, key = reference.partition(":")
        parts = key.split("/")
        if kind == "effects":
            return float(effects.loc[tuple(parts), "p"])
        return float(item_tests.loc[(int(parts[0]), parts[1]), "p"])

    checked = 0
    for _, row in statements.iterrows():
        if row["statement_id"] in skip or row["assertion"] not in ("significant",
                                                                   "not_significant"):
            continue
        values = [p(r) for r in row["refers_to"].split(";")]
        if row["assertion"] == "significant":
            assert all(v < ALPHA for v in values), row["statement_id"]
        else:
            assert all(v >= ALPHA for v in values), row["statement_id"]
        checked += 1
    assert checked >= 4


# ---------------------------------------------------------------------------------------------
# The engine's own pass over the tables (expected to fail until the blocker named is fixed)
# ---------------------------------------------------------------------------------------------

def test_engine_outcome_consistency_flags_only_planted(planted, sim):
    """helpers.reanalysis.table_checks.outcome_consistency, given the simulation's item counts,
    flags the planted cells and nothing else (the metric of each scale comes from its
    trial.yaml)."""
    from helpers.reanalysis import table_checks, trial

    counts = {scale.name: len(scale.items) for _, scale in sim.scales()}
    table = table_checks.outcome_consistency(_printed("outcomes"), trial.load(SIMULATED),
                                             item_counts=counts)
    flagged = {_key(row, "outcomes") for _, row in table.iterrows()
               if cc.INCONSISTENT in (row["grim"], row["grimmer"])}
    expected = {key for key, _ in _planted_cells(planted, "outcomes")}
    assert flagged == expected


# ---------------------------------------------------------------------------------------------
# End to end: every notebook on the simulated trial; the ledger proves exactly the planted errors
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_notebook_runs_and_the_ledger_proves_only_the_planted_errors(tmp_path, planted):
    """The engine's false-alarm test end to end: the notebooks run unchanged on another trial's
    folder, and the distinct problems the ledger proves (verdict ``inconsistent``) are the
    planted ones, each found, and nothing else. A planted error may be proven by more than one
    check (GRIMMER after an impossible mean; the joint item count of a scale whose planted n
    makes its mean impossible, README.md)."""
    import subprocess

    out = tmp_path / "simulated"
    # the rank-sum search of chapter 06 without its random climbs (about half its time): its
    # bounds are not ledger rows, so the ledger does not depend on them
    subprocess.run([sys.executable, "-m", "helpers.build.pipeline", "-p", "data_dir", str(SIMULATED),
                    "-p", "search_climbs", "0", "--output-dir", str(out), "--no-cache"],
                   cwd=ROOT, check=True, capture_output=True)
    ledger = pd.read_csv(out / "results" / "ledger.csv", dtype=str, keep_default_na=False)
    proven = ledger[ledger["verdict"] == "inconsistent"]
    expected = {f"{row['file']}:{row['row_key']}" if row["file"] not in ("claims", "statements")
                else row["row_key"] for _, row in planted.iterrows()}
    # the joint item-count problem of the scale whose planted n breaks its mean
    consequences = {f"outcomes:{row['row_key'].rsplit('/', 2)[0]}:item count"
                    for _, row in planted.iterrows() if row["kind"] == "n_exceeds_alive"}
    problems = set(proven["problem"])
    assert expected <= problems, f"planted errors not found: {sorted(expected - problems)}"
    assert problems <= expected | consequences, \
        f"false alarms: {sorted(problems - expected - consequences)}"
