"""The simulated three-arm trial (data/examples/three_arm) and its clean twin (three_arm_clean):
reproducible, the twins differing only in the planted cells, and, at the level of the methods,
every planted error failing its check while every other number of both folders passes.

Both folders are written by scripts/simulate_three_arm.py from the same simulated patients (their
``patients/`` folder). The expected values here come from those patients, recomputed with the
EORTC manual's formulas written out below and scipy, never from the engine's own recomputation;
the consistency checks are those of :mod:`helpers.methods.consistency`, run with the simulation's
known design (the scales' grids with complete items, half-up rounding, the flow of deaths and
withdrawals the text prints). The tables are read as plain text (the loaders of
``helpers.reanalysis`` learn three arms in other branches of issue 21; the end-to-end run is wired
once they are merged).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from scipy import special, stats

from helpers.methods import consistency as cc

from conftest import ROOT

PLANTED_DIR = ROOT / "data" / "examples" / "three_arm"
CLEAN_DIR = ROOT / "data" / "examples" / "three_arm_clean"
FOLDERS = {"planted": PLANTED_DIR, "clean": CLEAN_DIR}
ALPHA = 0.05
ARM_SIZES = {"A": 36, "B": 35, "C": 37}
COMPARISONS = [("A", "C"), ("B", "C")]
TIMES = ["t0", "t1", "t2", "t3", "t4"]
#: The design, written out from the EORTC QLQ-C30 scoring manual (3rd edition) and the QSC-R10:
#: items (as numbered on the questionnaire), kind, item range.
SCALES = {
    "global_health_status": ("C30", (29, 30), "global", 1, 7),
    "physical_functioning": ("C30", (1, 2, 3, 4, 5), "functional", 1, 4),
    "emotional_functioning": ("C30", (21, 22, 23, 24), "functional", 1, 4),
    "fatigue": ("C30", (10, 12, 18), "symptom", 1, 4),
    "pain": ("C30", (9, 19), "symptom", 1, 4),
    "distress": ("QSCR10", tuple(range(1, 11)), "sum", 0, 5),
}
#: GRIM grids (step, minimum, maximum): global health 2 items range 6 on 0-100 (100/12), physical
#: functioning 5 items range 3 (100/15), emotional functioning 4 items range 3 (100/12), fatigue
#: 3 items range 3 (100/9), pain 2 items range 3 (100/6), distress a sum of integers on 0-50.
GRIDS = {"global_health_status": (Fraction(100, 12), 0, 100),
         "physical_functioning": (Fraction(100, 15), 0, 100),
         "emotional_functioning": (Fraction(100, 12), 0, 100),
         "fatigue": (Fraction(100, 9), 0, 100), "pain": (Fraction(100, 6), 0, 100),
         "distress": (Fraction(1), 0, 50)}


# ---------------------------------------------------------------------------------------------
# Reading the folders as printed
# ---------------------------------------------------------------------------------------------

def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _primary_key(folder: Path, name: str) -> list[str]:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["name"] == name)["schema"]["primaryKey"]


def _keyed(folder: Path, name: str) -> pd.DataFrame:
    table = _read(folder, name)
    keys = _primary_key(folder, name)
    table.index = ["/".join(row[k] for k in keys) for _, row in table.iterrows()]
    return table


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return _read(PLANTED_DIR, "planted")


def _skip(planted: pd.DataFrame, folder: Path, file: str) -> set[tuple[str, str]]:
    """The planted cells of ``file`` (none in the clean twin)."""
    if folder == CLEAN_DIR:
        return set()
    rows = planted[planted["file"] == file]
    return set(zip(rows["row_key"], rows["column"]))


def _half_up(value, decimals: int) -> str:
    """``value`` (a Fraction, or a float taken exactly) rounded half away from zero."""
    scaled = Fraction(value) * 10 ** decimals
    units = math.floor(abs(scaled) + Fraction(1, 2))
    digits = f"{units:0{decimals + 1}d}"
    text = f"{digits[:-decimals]}.{digits[-decimals:]}" if decimals else digits
    return ("-" if scaled < 0 and units else "") + text


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


# ---------------------------------------------------------------------------------------------
# Reproducible; twins
# ---------------------------------------------------------------------------------------------

def _script():
    spec = importlib.util.spec_from_file_location("simulate_three_arm",
                                                  ROOT / "scripts" / "simulate_three_arm.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_regenerates_both_folders_byte_for_byte(tmp_path):
    """Rerunning the script writes the committed folders exactly (rerun it after changing the
    script or data/published/datapackage.json, whose schema it copies)."""
    _script().generate(tmp_path)
    for folder in FOLDERS.values():
        fresh = _files(tmp_path / folder.relative_to(ROOT))
        committed = _files(folder)
        assert sorted(fresh) == sorted(committed), folder.name
        changed = [name for name in fresh if fresh[name] != committed[name]]
        assert not changed, f"{folder.name}: {changed} differ: python scripts/simulate_three_arm.py"


def test_planted_list_has_one_error_per_family(planted):
    assert list(planted["family"]) == [
        "GRIM", "GRIMMER", "n against participant flow", "percentage", "counts add up",
        "count within arm", "range", "text against table", "percentage"]
    assert set(planted["kind"]) == {"grim", "grimmer", "n_exceeds_flow", "percentage",
                                    "counts_add_up", "count_within_arm", "min_above_mean",
                                    "restated_claim", "death_percentage"}
    assert (planted["printed"] != planted["true_value"]).all()
    assert len(_read(CLEAN_DIR, "planted")) == 0


TABLES = ["outcomes", "effects", "baseline", "claims", "statements", "items", "item_tests",
          "related", "corrections", "not_checkable"]


def test_twins_differ_exactly_in_the_planted_cells(planted):
    """Every table of the two folders is the same cell for cell, except the planted cells (the
    planted one prints ``printed``, the twin ``true_value``) and the quotes of the text that
    print a planted number of claims.csv."""
    differing = set()
    for name in TABLES:
        mine, twin = _keyed(PLANTED_DIR, name), _keyed(CLEAN_DIR, name)
        assert list(mine.index) == list(twin.index) and list(mine.columns) == list(twin.columns)
        for key, column in itertools.product(mine.index, mine.columns):
            if mine.at[key, column] != twin.at[key, column]:
                differing.add((name, key, column))
    expected = {(row["file"], row["row_key"], row["column"]) for _, row in planted.iterrows()}
    assert expected <= differing
    claims = _keyed(PLANTED_DIR, "claims")
    for file, key, column in differing - expected:
        assert (file, column) == ("claims", "quote"), (file, key, column)
        sentence = claims.at[key, "quote"]
        assert any(claims.at[k, "quote"] == sentence for f, k, _ in expected if f == "claims")
    for _, row in planted.iterrows():
        assert _keyed(PLANTED_DIR, row["file"]).at[row["row_key"], row["column"]] == \
            row["printed"]
        assert _keyed(CLEAN_DIR, row["file"]).at[row["row_key"], row["column"]] == \
            row["true_value"]


def test_no_item_table_and_two_comparisons():
    for folder in FOLDERS.values():
        assert len(_read(folder, "items")) == len(_read(folder, "item_tests")) == 0
        assert list(_read(folder, "item_tests").columns) == ["item", "arm", "versus",
                                                             "contrast", "p", "source"]
        assert _primary_key(folder, "effects") == ["instrument", "scale", "arm", "versus",
                                                   "contrast"]
        effects = _read(folder, "effects")
        assert sorted(set(zip(effects["arm"], effects["versus"]))) == COMPARISONS
        assert len(effects) == len(SCALES) * 2 * 4
        assert len(_read(folder, "outcomes")) == len(SCALES) * 3 * 5


@pytest.mark.parametrize("name", FOLDERS)
def test_trial_yaml_declares_the_design(name):
    """trial.yaml in the engine's format (engine design, sections 1 and 5)."""
    import yaml

    raw = yaml.safe_load((FOLDERS[name] / "trial.yaml").read_text(encoding="utf-8"))
    assert raw["id"] == FOLDERS[name].name and raw["citation"] == "" and raw["journal"]
    assert {a["id"]: a["randomised"] for a in raw["arms"]} == ARM_SIZES
    assert [a["id"] for a in raw["arms"] if a.get("control")] == ["C"]
    assert [(c["arm"], c["versus"]) for c in raw["comparisons"]] == COMPARISONS
    assert [t["id"] for t in raw["timepoints"]] == TIMES
    methods = raw["methods"]
    assert (methods["test"], methods["effect_size"], methods["effect_size_at"],
            methods["rounding"], methods["alpha"]) == ("welch_t", "hedges_g", "follow_up",
                                                       "half_up", ALPHA)
    assert methods["test_quote"] and methods["effect_size_quote"]
    assert [s["claim"] for s in raw["flow"]] == ["patients_screened", "excluded_not_eligible",
                                                 "declined_to_participate",
                                                 "patients_randomized"]
    assert raw["flow_complete"]["quote"] and raw["flow_complete"]["section"] == "results"
    assert [(i["id"], i["scales"]) for i in raw["instruments"]] == [
        ("C30", [s for s, v in SCALES.items() if v[0] == "C30"]), ("QSCR10", ["distress"])]
    claims = _read(FOLDERS[name], "claims")["refers_to"]
    for what in ("deaths", "withdrawn"):
        printed = claims[claims.str.fullmatch(rf"{what}_arm_[abc]_t\d_t\d")]
        assert len(set(printed)) == 3 * 4, what


# ---------------------------------------------------------------------------------------------
# The patients behind the tables
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return pd.read_csv(PLANTED_DIR / "patients" / "characteristics.csv", dtype=str)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    """One row per patient and timepoint answered, one column per scale: the EORTC manual's
    formulas (raw score RS = mean of the items; symptom and global (RS - min)/range x 100,
    functional 100 minus that), exact."""
    responses = pd.read_csv(PLANTED_DIR / "patients" / "responses.csv", dtype={"patient": str})
    out = responses[["patient", "arm", "timepoint"]].copy()
    for scale, (instrument, items, kind, low, high) in SCALES.items():
        values = []
        for _, row in responses.iterrows():
            answers = [int(row[f"{instrument}_{item}"]) for item in items]
            if kind == "sum":
                values.append(Fraction(sum(answers)))
                continue
            symptom = (Fraction(sum(answers), len(answers)) - low) / (high - low) * 100
            values.append(100 - symptom if kind == "functional" else symptom)
        out[scale] = values
    return out


def _summary(values) -> tuple[int, Fraction, Fraction]:
    n = len(values)
    mean = sum(values, Fraction(0)) / n
    return n, mean, sum(((v - mean) ** 2 for v in values), Fraction(0)) / (n - 1)


def _sqrt_half_up(value: Fraction, decimals: int) -> str:
    root = (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()
    return str(root.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def test_flow_of_the_patients(patients, scores):
    """Who answered when: every patient until the last timepoint assessed, nobody after."""
    seen = scores.groupby("patient")["timepoint"].apply(list)
    for _, p in patients.iterrows():
        assert seen[p["patient"]] == TIMES[:TIMES.index(p["last_assessed"]) + 1]
        assert (p["status"] == "completed") == (p["last_assessed"] == "t4")


@pytest.mark.parametrize("name", FOLDERS)
def test_outcomes_and_effects_recomputed_from_the_patients(name, scores, planted):
    """Every unplanted n, mean and SD, every p (Welch's t-test of the follow-up scores) and
    Hedges' g (exact J) is what the patients give."""
    folder = FOLDERS[name]
    skip = _skip(planted, folder, "outcomes")
    for key, row in _keyed(folder, "outcomes").iterrows():
        values = scores.loc[(scores["arm"] == row["arm"])
                            & (scores["timepoint"] == row["timepoint"]), row["scale"]].tolist()
        n, mean, variance = _summary(values)
        for column, value in (("n", str(n)), ("mean", _half_up(mean, 2)),
                              ("sd", _sqrt_half_up(variance, 2))):
            if (key, column) not in skip:
                assert row[column] == value, (key, column)
    for key, row in _keyed(folder, "effects").iterrows():
        at = row["contrast"].split("-")[1]
        a, b = (scores.loc[(scores["arm"] == arm) & (scores["timepoint"] == at),
                           row["scale"]].astype(float).to_numpy()
                for arm in (row["arm"], row["versus"]))
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        df = len(a) + len(b) - 2
        pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df)
        j = math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
        assert row["p"] == _half_up(p, 3), key
        assert row["effect_size"] == _half_up(j * (a.mean() - b.mean()) / pooled, 2), key


@pytest.mark.parametrize("name", FOLDERS)
def test_baseline_and_flow_recomputed_from_the_patients(name, patients, planted):
    folder = FOLDERS[name]
    skip = _skip(planted, folder, "baseline")
    for key, row in _keyed(folder, "baseline").iterrows():
        mine = patients[patients["arm"] == row["arm"]]
        column = {"gender": "gender", "primary_site": "primary_site",
                  "chemotherapy": "chemotherapy", "opioids": "opioids"}.get(
            row["characteristic"])
        expected = {}
        if row["characteristic"] == "group_size":
            expected["n"] = str(len(mine))
        elif column:
            count = int((mine[column] == row["level"]).sum())
            expected["n"] = str(count)
            if row["percent"]:
                expected["percent"] = _half_up(Fraction(100 * count, len(mine)), 1)
        else:
            values = mine["age" if row["characteristic"] == "age" else "karnofsky_ps"] \
                .astype(int).tolist()
            expected.update(min=str(min(values)), max=str(max(values)))
            if row["mean"]:
                n, mean, variance = _summary([Fraction(v) for v in values])
                expected.update(mean=_half_up(mean, 1), sd=_sqrt_half_up(variance, 1))
            else:
                assert Fraction(row["median"]) == Fraction(
                    sorted(values)[(len(values) - 1) // 2] + sorted(values)[len(values) // 2], 2)
        for column_name, value in expected.items():
            if (key, column_name) not in skip:
                assert row[column_name] == value, (key, column_name)
    claims = _read(folder, "claims").drop_duplicates("refers_to").set_index("refers_to")
    claim_skip = {k for k, _ in _skip(planted, folder, "claims")}
    for arm in ARM_SIZES:
        mine = patients[patients["arm"] == arm]
        for k, (before, after) in enumerate(zip(TIMES, TIMES[1:])):
            for what, status in (("deaths", "died"), ("withdrawn", "withdrew")):
                count = int(((mine["status"] == status) & (mine["last_assessed"] == before)).sum())
                stem = f"{what}_arm_{arm.lower()}_{before}_{after}"
                assert claims.at[stem, "value"] == str(count)
                if f"{stem}_percent" in claims.index and \
                        claims.at[f"{stem}_percent", "claim_id"] not in claim_skip:
                    assert claims.at[f"{stem}_percent", "value"] == \
                        _half_up(Fraction(100 * count, ARM_SIZES[arm]), 1)


# ---------------------------------------------------------------------------------------------
# Every planted error fails its check
# ---------------------------------------------------------------------------------------------

def _entry(planted, kind) -> pd.Series:
    return planted[planted["kind"] == kind].iloc[0]


def _measured(folder: Path) -> dict[tuple[str, str], int]:
    """The patients who can be measured at each arm and timepoint, as a reader counts them:
    the randomised of Table 1 less the deaths and withdrawals the text prints so far."""
    claims = _read(folder, "claims").drop_duplicates("refers_to").set_index("refers_to")
    size = _keyed(folder, "baseline")
    out = {}
    for arm in ARM_SIZES:
        count = int(size.at[f"group_size//{arm}", "n"])
        out[(arm, "t0")] = count
        for before, after in zip(TIMES, TIMES[1:]):
            for what in ("deaths", "withdrawn"):
                count -= int(claims.at[f"{what}_arm_{arm.lower()}_{before}_{after}", "value"])
            out[(arm, after)] = count
    return out


def test_planted_mean_fails_grim(planted):
    entry = _entry(planted, "grim")
    row = _keyed(PLANTED_DIR, "outcomes").loc[entry["row_key"]]
    step, low, high = GRIDS[row["scale"]]
    for mean, verdict in ((entry["printed"], cc.INCONSISTENT),
                          (entry["true_value"], cc.CONSISTENT)):
        check = cc.grim(mean, int(row["n"]), step, rounding="half_up", scale_min=low,
                        scale_max=high)
        assert check["consistency"].item() == verdict


def test_planted_sd_fails_grimmer(planted):
    entry = _entry(planted, "grimmer")
    row = _keyed(PLANTED_DIR, "outcomes").loc[entry["row_key"]]
    step, low, high = GRIDS[row["scale"]]
    args = dict(rounding="half_up", scale_min=low, scale_max=high)
    assert cc.grim(row["mean"], int(row["n"]), step, **args)["consistency"].item() == \
        cc.CONSISTENT
    check = cc.grimmer(row["mean"], entry["printed"], int(row["n"]), step, **args)
    assert check["consistency"].item() == cc.INCONSISTENT
    assert cc.grimmer(row["mean"], entry["true_value"], int(row["n"]), step,
                      **args)["consistency"].item() == cc.CONSISTENT


def test_planted_n_exceeds_the_patients_in_the_trial(planted):
    entry = _entry(planted, "n_exceeds_flow")
    row = _keyed(PLANTED_DIR, "outcomes").loc[entry["row_key"]]
    expected = _measured(PLANTED_DIR)[(row["arm"], row["timepoint"])]
    assert int(entry["printed"]) > expected == int(entry["true_value"])


def test_planted_percentage_fails(planted):
    entry = _entry(planted, "percentage")
    row = _keyed(PLANTED_DIR, "baseline").loc[entry["row_key"]]
    for rounding in ("half_up", "either"):
        check = cc.percentage(int(row["n"]), ARM_SIZES[row["arm"]], entry["printed"],
                              rounding=rounding)
        assert check["consistency"].item() == cc.INCONSISTENT
        assert check["recomputed"].item() == entry["true_value"]


def _levels(folder: Path, characteristic: str, arm: str) -> list[int]:
    table = _read(folder, "baseline")
    rows = table[(table["characteristic"] == characteristic) & (table["arm"] == arm)]
    return rows["n"].astype(int).tolist()


def test_planted_counts_do_not_add_up(planted):
    entry = _entry(planted, "counts_add_up")
    characteristic, _, arm = entry["row_key"].split("/")
    result = cc.adds_up(_levels(PLANTED_DIR, characteristic, arm), ARM_SIZES[arm])
    assert result["consistency"] == cc.INCONSISTENT
    assert cc.adds_up(_levels(CLEAN_DIR, characteristic, arm),
                      ARM_SIZES[arm])["consistency"] == cc.CONSISTENT


def test_planted_count_exceeds_its_arm(planted):
    entry = _entry(planted, "count_within_arm")
    arm = entry["row_key"].split("/")[2]
    check = cc.within(entry["printed"], 0, ARM_SIZES[arm], what="count")
    assert check["consistency"].item() == cc.INCONSISTENT
    assert cc.within(entry["true_value"], 0, ARM_SIZES[arm])["consistency"].item() == \
        cc.CONSISTENT


def test_planted_minimum_lies_above_its_mean(planted):
    entry = _entry(planted, "min_above_mean")
    row = _keyed(PLANTED_DIR, "baseline").loc[entry["row_key"]]
    assert entry["column"] == "min" and row["min"] == entry["printed"]
    assert int(row["min"]) <= int(row["max"])  # only the mean is outside the range
    check = cc.within(row["mean"], row["min"], row["max"], what="mean")
    assert check["consistency"].item() == cc.INCONSISTENT
    assert cc.within(row["mean"], entry["true_value"], row["max"])["consistency"].item() == \
        cc.CONSISTENT


def test_planted_claim_contradicts_its_table(planted):
    entry = _entry(planted, "restated_claim")
    claim = _keyed(PLANTED_DIR, "claims").loc[entry["row_key"]]
    file, key, column = claim["refers_to"].split(":")
    cell = _keyed(PLANTED_DIR, file).at[key, column]
    assert claim["value"] == entry["printed"] != cell == entry["true_value"]


def test_planted_death_percentage_is_no_rounding(planted):
    entry = _entry(planted, "death_percentage")
    claims = _keyed(PLANTED_DIR, "claims")
    name = claims.at[entry["row_key"], "refers_to"].removesuffix("_percent")
    count = int(claims.loc[claims["refers_to"] == name, "value"].iloc[0])
    arm = name.split("_")[2].upper()
    check = cc.percentage(count, ARM_SIZES[arm], entry["printed"], rounding="either").iloc[0]
    assert check["consistency"] == cc.INCONSISTENT
    assert "no rounding" in check["reason"]


# ---------------------------------------------------------------------------------------------
# Every other number of both folders passes
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FOLDERS)
def test_no_false_alarm_grim_grimmer(name, planted):
    folder = FOLDERS[name]
    skip = {key for key, _ in _skip(planted, folder, "outcomes")}
    table = _keyed(folder, "outcomes")
    cells = table[[key not in skip for key in table.index]]
    grids = [GRIDS[scale] for scale in cells["scale"]]
    args = dict(step=[g[0] for g in grids], scale_min=[g[1] for g in grids],
                scale_max=[g[2] for g in grids], rounding="half_up")
    n = cells["n"].astype(int).tolist()
    grim = cc.grim(cells["mean"].tolist(), n, **args)
    assert (grim["consistency"] == cc.CONSISTENT).all(), grim[grim["consistency"]
                                                              != cc.CONSISTENT]
    grimmer = cc.grimmer(cells["mean"].tolist(), cells["sd"].tolist(), n, **args)
    assert (grimmer["consistency"] != cc.INCONSISTENT).all(), grimmer[
        grimmer["consistency"] == cc.INCONSISTENT]


@pytest.mark.parametrize("name", FOLDERS)
def test_no_false_alarm_baseline(name, planted):
    folder = FOLDERS[name]
    skip = _skip(planted, folder, "baseline")
    table = _keyed(folder, "baseline")
    sizes = {arm: int(table.at[f"group_size//{arm}", "n"]) for arm in ARM_SIZES}
    assert sizes == ARM_SIZES
    for key, row in table.iterrows():
        size = sizes[row["arm"]]
        if row["n"] and (key, "n") not in skip:
            assert cc.within(row["n"], 0, size)["consistency"].item() == cc.CONSISTENT, key
        if row["percent"] and (key, "percent") not in skip:
            assert cc.percentage(int(row["n"]), size, row["percent"], rounding="half_up")[
                "consistency"].item() == cc.CONSISTENT, key
        if row["min"] and (key, "min") not in skip:
            assert Fraction(row["min"]) <= Fraction(row["max"]), key
            for value in (row["mean"], row["median"]):
                if value:
                    assert cc.within(value, row["min"], row["max"])["consistency"].item() == \
                        cc.CONSISTENT, key
            if row["sd"]:  # at most what values in [min, max] with that mean allow
                assert Fraction(row["sd"]) - Fraction(1, 20) <= cc.max_sd(
                    row["mean"], size, row["min"], row["max"]), key
        if row["characteristic"] == "age":
            assert cc.grim(row["mean"], size, 1, rounding="half_up")["consistency"].item() \
                != cc.INCONSISTENT
            assert cc.grimmer(row["mean"], row["sd"], size, 1, rounding="half_up",
                              scale_min=18, scale_max=80)["consistency"].item() != \
                cc.INCONSISTENT
    counted = {k for k, c in skip if c == "n"}
    for characteristic in ("gender", "primary_site"):
        for arm, size in sizes.items():
            if any(k.startswith(f"{characteristic}/") and k.endswith(f"/{arm}")
                   for k in counted):
                continue
            assert cc.adds_up(_levels(folder, characteristic, arm), size)["consistency"] == \
                cc.CONSISTENT, (characteristic, arm)


@pytest.mark.parametrize("name", FOLDERS)
def test_no_false_alarm_flow(name, planted):
    """Every unplanted n is the patients who can be measured (the text says each of them
    answered); the printed percentages of deaths and withdrawals reproduce; the flow before
    randomisation adds up."""
    folder = FOLDERS[name]
    measured = _measured(folder)
    skip = _skip(planted, folder, "outcomes")
    for key, row in _keyed(folder, "outcomes").iterrows():
        if (key, "n") not in skip:
            assert int(row["n"]) == measured[(row["arm"], row["timepoint"])], key
    claims = _read(folder, "claims")
    claim_skip = {k for k, _ in _skip(planted, folder, "claims")}
    by_name = claims.drop_duplicates("refers_to").set_index("refers_to")["value"]
    percents = claims[claims["refers_to"].str.endswith("_percent")]
    assert len(percents) >= 12
    for _, row in percents.iterrows():
        if row["claim_id"] in claim_skip:
            continue
        count = int(by_name[row["refers_to"].removesuffix("_percent")])
        arm = row["refers_to"].split("_")[2].upper()
        assert cc.percentage(count, ARM_SIZES[arm], row["value"], rounding="half_up")[
            "consistency"].item() == cc.CONSISTENT, row["claim_id"]
    assert (int(by_name["patients_screened"]) - int(by_name["excluded_not_eligible"])
            - int(by_name["declined_to_participate"]) == int(by_name["patients_randomized"])
            == sum(ARM_SIZES.values()))


def _interval(text: str) -> tuple[float, float]:
    half = Fraction(1, 2 * 10 ** len(text.partition(".")[2]))
    return float(Fraction(text) - half), float(Fraction(text) + half)


def _hits(values: list[float], printed: str) -> bool:
    low, high = _interval(printed)
    return min(values) <= high + 1e-12 and max(values) >= low - 1e-12


@pytest.mark.parametrize("name", FOLDERS)
def test_no_false_alarm_tests_from_the_printed_summaries(name, planted):
    """The declared methods reproduce from the printed summaries within the rounding of every
    input: Welch's p (scipy's ttest_ind_from_stats), Hedges' g with the exact J, and the p that
    the printed g implies (g / J times the pooled SD as the difference, Welch's test)."""
    folder = FOLDERS[name]
    outcomes = _keyed(folder, "outcomes")
    for key, row in _keyed(folder, "effects").iterrows():
        at = row["contrast"].split("-")[1]
        a = outcomes.loc[f"{row['instrument']}/{row['scale']}/{row['arm']}/{at}"]
        b = outcomes.loc[f"{row['instrument']}/{row['scale']}/{row['versus']}/{at}"]
        n1, n2 = int(a["n"]), int(b["n"])
        df = n1 + n2 - 2
        j = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
        ps, gs, implied = [], [], []
        for m1, s1, m2, s2 in itertools.product(*(_interval(v) for v in (
                a["mean"], a["sd"], b["mean"], b["sd"]))):
            ps.append(stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2,
                                                 equal_var=False).pvalue)
            pooled = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / df)
            gs.append(j * (m1 - m2) / pooled)
            for g in _interval(row["effect_size"]):
                implied.append(stats.ttest_ind_from_stats(g / j * pooled, s1, n1, 0, s2, n2,
                                                          equal_var=False).pvalue)
        assert _hits(ps, row["p"]), (key, "p", min(ps), max(ps))
        assert _hits(gs, row["effect_size"]), (key, "g", min(gs), max(gs))
        assert _hits(implied, row["p"]), (key, "p implied by g", min(implied), max(implied))


@pytest.mark.parametrize("name", FOLDERS)
def test_no_false_alarm_text(name, planted):
    """Every unplanted number of the text that restates a cell equals it; every statement
    holds."""
    folder = FOLDERS[name]
    claims = _read(folder, "claims")
    claim_skip = {k for k, _ in _skip(planted, folder, "claims")}
    restated = claims[claims["refers_to"].str.contains(":", regex=False)]
    assert len(restated) >= 10
    for _, claim in restated.iterrows():
        file, key, column = claim["refers_to"].split(":")
        cell = _keyed(folder, file).at[key, column]
        assert (cell == claim["value"]) != (claim["claim_id"] in claim_skip), claim["claim_id"]
    effects = _keyed(folder, "effects")
    checked = 0
    for _, row in _read(folder, "statements").iterrows():
        if row["assertion"] not in ("significant", "not_significant", "primary_endpoint"):
            continue
        values = [float(effects.at[r.partition(":")[2], "p"])
                  for r in row["refers_to"].split(";")]
        if row["assertion"] == "significant":
            assert all(v < ALPHA for v in values), row["statement_id"]
        elif row["assertion"] == "not_significant":
            assert all(v >= ALPHA for v in values), row["statement_id"]
        checked += 1
    assert checked >= 4
