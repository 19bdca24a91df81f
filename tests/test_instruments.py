"""The instrument library as a folder (one YAML file per instrument), its validation, and the
QLQ-C30 scored on every hand-computed worked example of
tests/reference/qlq_c30_worked_examples.csv (computed by hand with fractions, not with this
code; see data/instruments/README.md)."""

import csv
from fractions import Fraction

import numpy as np
import pytest
import yaml

from conftest import ROOT
from helpers.methods import scoring
from helpers.methods.instruments import LibraryError, parse_instrument
from helpers.reanalysis import instruments

EXAMPLES = ROOT / "tests" / "reference" / "qlq_c30_worked_examples.csv"


def _examples():
    with open(EXAMPLES, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_library_is_a_folder_of_one_instrument_per_file():
    files = {path.name for path in instruments.library_files()}
    assert files == {"bm22.yaml", "fa13.yaml", "qscr10.yaml", "qlq_c30.yaml"}
    assert sorted(instruments.load_library()) == ["BM22", "C30", "FA13", "QSCR10"]


def test_c30_structure_from_the_scoring_manual():
    c30 = instruments.get("C30")
    assert c30.n_items == 30 and len(c30.scales) == 15
    listed = sorted(i for scale in c30.scales for i in scale.items)
    assert listed == list(range(1, 31))  # every item in exactly one scale
    assert c30.range_of("global_health_status") == (1, 7)
    assert c30.range_of("fatigue") == (1, 4)
    kinds = {scale.kind for scale in c30.scales}
    assert kinds == {"global", "functional", "symptom"}
    assert [s.name for s in c30.scales if s.single_item] == [
        "dyspnoea", "insomnia", "appetite_loss", "constipation", "diarrhoea",
        "financial_difficulties"]
    assert all(s.higher_is_better == (s.kind in ("global", "functional")) for s in c30.scales)


@pytest.mark.parametrize("row", _examples(), ids=lambda r: f"{r['scale']}:{r['responses']}")
def test_c30_worked_example(row):
    c30 = instruments.get("C30")
    responses = [[np.nan if v == "NA" else float(v) for v in row["responses"].split(";")]]
    got = scoring.score_scale(responses, c30, row["scale"])[0]
    if row["expected_score"] == "NA":
        assert np.isnan(got), row["calculation"]
    else:
        assert got == pytest.approx(float(Fraction(row["expected_score"])), abs=1e-9), \
            row["calculation"]


def test_every_c30_kind_and_the_half_rule_are_covered():
    rows = _examples()
    assert len(rows) == 28
    kinds = {instruments.get("C30").scale(r["scale"]).kind for r in rows}
    assert kinds == {"global", "functional", "symptom"}
    assert any(r["expected_score"] == "NA" for r in rows)


def _write(folder, name, entry):
    (folder / name).write_text(yaml.safe_dump(entry), encoding="utf-8")


def _entry(**changes):
    entry = dict(id="Q", title="a questionnaire", n_items=3, response_min=1, response_max=4,
                 metric="EORTC 0-100",
                 scales=[dict(id="fatigue", kind="symptom", items=[1, 2],
                              higher_is_better=False),
                         dict(id="overall", kind="global", items=[3], response_min=1,
                              response_max=7, higher_is_better=True)])
    entry.update(changes)
    return entry


def test_a_folder_loads_each_file(tmp_path):
    _write(tmp_path, "q.yaml", _entry())
    _write(tmp_path, "r.yaml", _entry(id="R"))
    library = instruments.load_library(str(tmp_path))
    assert sorted(library) == ["Q", "R"]
    assert library["Q"].range_of("overall") == (1, 7)


def test_an_instrument_in_two_files_is_refused(tmp_path):
    _write(tmp_path, "q.yaml", _entry())
    _write(tmp_path, "q_copy.yaml", _entry())
    with pytest.raises(LibraryError, match=r"q_copy.yaml: instrument id 'Q' is already defined "
                       r"in .*q.yaml"):
        instruments.load_library(str(tmp_path))


def test_an_empty_folder_is_named(tmp_path):
    with pytest.raises(LibraryError, match="no instrument file"):
        instruments.load_library(str(tmp_path))


@pytest.mark.parametrize("entry, message", [
    ({k: v for k, v in _entry().items() if k != "title"}, r"q.yaml needs 'title'"),
    (_entry(n_items="three"), r"q.yaml: n_items: 'three' is not a whole number"),
    (_entry(response_min=4), r"q.yaml: response_min 4 is not below response_max 4"),
    (_entry(scales=[dict(id="a", kind="severe", items=[1], higher_is_better=False)]),
     r"scales\[0\] \(a\): scale a: kind 'severe' is not one of functional, symptom, global, "
     r"sum"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1, 4], higher_is_better=False)]),
     r"scales\[0\] \(a\): items: item 4 is not among the instrument's items 1-3"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1])]),
     r"scales\[0\] \(a\) needs 'higher_is_better'"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1], higher_is_better="no")]),
     r"scales\[0\] \(a\): higher_is_better: 'no' is not true or false"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1], higher_is_better=False),
                    dict(id="a", kind="symptom", items=[2], higher_is_better=False)]),
     r"scales\[1\] \(a\): id 'a' is used by another scale of Q"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1], response_min=1,
                         higher_is_better=False)]),
     r"give both response_min and response_max"),
    (_entry(scales=[dict(id="a", kind="symptom", items=[1], reversed_items=[2],
                         higher_is_better=False)]),
     r"reversed_items \[2\] are not all among its items \[1\]"),
    (_entry(positively_worded=[5]), r"positively_worded: item 5 is not among"),
    (_entry(missing_items="any"), r"missing_items: 'any' is not one of half rule"),
])
def test_a_malformed_file_is_named_with_its_key(tmp_path, entry, message):
    _write(tmp_path, "q.yaml", entry)
    with pytest.raises(LibraryError, match=message):
        instruments.load_library(str(tmp_path))


def test_yaml_is_read_safely(tmp_path):
    (tmp_path / "q.yaml").write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(LibraryError, match="q.yaml.*not valid YAML"):
        instruments.load_library(str(tmp_path))


def test_a_new_instrument_needs_only_yaml(tmp_path):
    """An instrument the code never saw scores each kind with its own response range."""
    q = parse_instrument(_entry(), "q.yaml")
    # symptom: items 2 and 3 on 1-4: RS 2.5, (2.5 - 1)/3 x 100 = 50
    assert scoring.score_scale([[2, 3]], q, "fatigue")[0] == pytest.approx(50)
    # global: item 3 answered 6 on 1-7: (6 - 1)/6 x 100 = 250/3
    assert scoring.score_scale([[6]], q, "overall")[0] == pytest.approx(250 / 3)


# ---------------------------------------------------------------------------------------------
# Directions per instrument
# ---------------------------------------------------------------------------------------------

def test_directions_are_the_instruments_own():
    way = instruments.better_direction
    # BM22's positively worded items 21 and 22 do not apply to the other instruments
    assert way("BM22", "item_21") == "higher"
    assert way("C30", "item_21") == "lower"  # C30 item 21: "Did you feel tense?"
    assert way("C30", "item_30") == "higher"  # "overall quality of life", 1 very poor - 7
    assert way("C30", "global_health_status") == "higher"  # all its items positive: not mixed
    assert way("C30", "emotional_functioning") == "higher"
    assert way("C30", "fatigue") == "lower"
    # the library: functional formula, higher is better; Rief et al.'s tables print symptom-type
    # scores for every BM22 scale, which their trial.yaml declares
    assert way("BM22", "functional_interference") == "higher"
    assert way("BM22", "functional_interference", printed="lower") == "lower"
    assert way("BM22", "psychosocial_aspects", printed="lower") == "mixed"
    assert way("BM22", "psychosocial_aspects", recoded=True, printed="lower") == "lower"


# ---------------------------------------------------------------------------------------------
# Keyed by (instrument, scale): two instruments sharing a scale id
# ---------------------------------------------------------------------------------------------

from fractions import Fraction as F  # noqa: E402

import pandas as pd  # noqa: E402

from conftest import PUBLISHED  # noqa: E402
from helpers.methods.instruments import Instrument, Scale  # noqa: E402
from helpers.reanalysis import data, scoring_plan, table_checks, trial  # noqa: E402


@pytest.fixture
def shared(monkeypatch):
    """A trial with the QLQ-C30 and a made-up fatigue module FAT whose 4-item scale is also
    called ``fatigue`` (added to the library for the test)."""
    fat = Instrument("FAT", "a fatigue module", 4, 1, 4,
                     (Scale("fatigue", "Fatigue", "symptom", (1, 2, 3, 4), 4,
                            higher_is_better=False),), "EORTC 0-100")
    monkeypatch.setitem(instruments.INSTRUMENTS, "FAT", fat)
    monkeypatch.setitem(table_checks.SCALE_INSTRUMENT, ("FAT", "fatigue"), fat)
    monkeypatch.setitem(table_checks.DEFAULT_ITEM_COUNTS, ("FAT", "fatigue"), 4)
    return trial.Trial(
        "shared", "two instruments share a scale id",
        (trial.Arm("A", "a", 10), trial.Arm("B", "b", 10, control=True)),
        (trial.Timepoint("t0", "baseline"), trial.Timepoint("t1", "1 month")),
        (trial.Instrument("C30", "EORTC QLQ-C30", ("global_health_status", "fatigue"), 0, 100,
                          metric="eortc_0_100"),
         trial.Instrument("FAT", "FAT", ("fatigue",), 0, 100, metric="eortc_0_100")), {})


def test_grid_of_c30_global_health_by_hand(shared):
    # 2 items answered 1-7 (range 6): one patient's score moves by 100/(6 x 2) = 100/12
    grid = table_checks.scale_grid("global_health_status", 2, shared, instrument="C30")
    assert grid["step"] == F(100, 12) and (grid["low"], grid["high"]) == (0, 100)
    # with the instrument's range 3 it would be 100/6: the scale's own range is used
    assert grid["step"] != F(100, 6)
    assert "items scored 1-7" in grid["assumption"]
    # C30 fatigue: 3 items answered 1-4 (range 3): 100/9
    assert table_checks.scale_grid("fatigue", 3, shared, instrument="C30")["step"] == F(100, 9)
    # missing items allowed (half rule), 2 items: 1 or 2 answered, lcm 2: 100/12 again
    missing = table_checks.scale_grid("global_health_status", 2, shared, allow_missing=True,
                                      instrument="C30")
    assert missing["step"] == F(100, 12)


def test_a_shared_scale_id_is_keyed_by_its_instrument(shared):
    assert table_checks.scale_grid("fatigue", 4, shared, instrument="FAT")["step"] == F(100, 12)
    with pytest.raises(KeyError, match="'fatigue' belongs to C30 and FAT; name the instrument"):
        table_checks.scale_grid("fatigue", 4, shared)
    counts = table_checks.item_counts_in_use({"FAT/fatigue": 2}, shared)
    assert counts[("FAT", "fatigue")] == 2 and counts[("C30", "fatigue")] == 3
    assert table_checks.item_counts_in_use({"global_health_status": 3}, shared)[
        ("C30", "global_health_status")] == 3  # a plain name that is unambiguous still works
    with pytest.raises(KeyError, match="'fatigue' belongs to C30 and FAT; write 'C30/fatigue' "
                       "or 'FAT/fatigue'"):
        table_checks.item_counts_in_use({"fatigue": 2}, shared)


def test_grim_uses_each_instruments_own_grid(shared):
    # n = 10. C30 fatigue (3 items, range 3): means on multiples of 100/90; 51.1 ~ 46 x 10/9.
    # FAT fatigue (4 items): multiples of 100/120 = 5/6: 61 x 5/6 = 50.83, 62 x 5/6 = 51.67,
    # so 51.1 is impossible there.
    rows = [dict(instrument=i, scale="fatigue", arm="A", timepoint="t0", n=10, mean=51.1,
                 sd=20.0, mean_printed="51.1", sd_printed="20.0", mean_decimals=1,
                 sd_decimals=1, corrected="") for i in ("C30", "FAT")]
    table = table_checks.outcome_consistency(pd.DataFrame(rows), shared)
    assert table["grim"].tolist() == ["consistent", "inconsistent"]
    assert table["step"].tolist() == ["100/9", "25/3"]  # one patient's step


def test_item_counts_plain_names_keep_working_for_the_published_trial():
    study = trial.load(PUBLISHED)
    counts = table_checks.item_counts_in_use({"physical_fatigue": 4}, study)
    assert counts[("FA13", "physical_fatigue")] == 4
    assert counts[("BM22", "psychosocial_aspects")] == 6
    assert ("C30", "fatigue") not in counts  # only the trial's scales
    assert table_checks.item_count_limit({}, study) == 13


def test_rief_prints_bm22_symptom_type_scores():
    """trial.yaml declares how Table 2 prints the BM22 (lower is better for every scale), where
    the library's functional formula says higher: the directions as printed are unchanged."""
    from helpers.reanalysis import robustness

    study = trial.load(PUBLISHED)
    frame = pd.DataFrame({"instrument": ["BM22"] * 4 + ["FA13", "QSCR10", "BM22", "BM22"],
                          "scale": [*study.scales["BM22"], "social_sequelae", "distress",
                                    "item_21", "item_18"]})
    assert robustness.directions(frame, study) == ["lower", "lower", "lower", "", "lower",
                                                   "lower", "", "lower"]
    assert study.better_of("BM22", "functional_interference") == "lower"
    assert study.better_of("FA13", "social_sequelae") is None


# ---------------------------------------------------------------------------------------------
# The sections of the scoring chapter
# ---------------------------------------------------------------------------------------------

def test_scoring_sections_of_the_published_trial():
    study = trial.load(PUBLISHED)
    fa13 = [("FA13", s) for s in study.scales["FA13"]]
    assert scoring_plan.scales_with_unknown_item_counts(study) == fa13
    assert scoring_plan.scales_with_unknown_item_counts(
        study, {s: 3 for _, s in fa13}) == []
    assert scoring_plan.scales_off_metric(study) == [
        ("FA13", "interference_daily_life", "item_mean_1_4"),
        ("FA13", "social_sequelae", "item_mean_1_4")]
    items = data.load_items(PUBLISHED)
    assert scoring_plan.scales_rebuildable_from_items(study, items) == [
        ("BM22", "psychosocial_aspects")]
    # an item table lacking one of the scale's items rebuilds nothing; none printed, nothing
    assert scoring_plan.scales_rebuildable_from_items(study, items[items["item"] != 22]) == []
    assert scoring_plan.scales_rebuildable_from_items(study, items.iloc[0:0]) == []
    assert scoring_plan.scales_rebuildable_from_items(study, None) == []


def test_scoring_sections_of_a_c30_trial(shared):
    assert scoring_plan.scales_with_unknown_item_counts(shared) == []
    assert scoring_plan.scales_off_metric(shared) == []
    assert scoring_plan.scales_rebuildable_from_items(shared, None) == []


@pytest.mark.parametrize("value, message", [
    ("better: upward", r"instruments\[0\] 'better' for '\*' must be lower or higher, got "
                       r"'upward'"),
    ("better: {pain: higher}", r"instruments\[0\] 'better' names 'pain', not a scale of the "
                               r"instrument"),
])
def test_a_bad_direction_in_trial_yaml_is_named(transcription, value, message):
    path = transcription / "trial.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    better: lower\n", f"    {value}\n"), encoding="utf-8")
    with pytest.raises(trial.TrialError, match=message):
        trial.load(transcription)


def test_a_scale_the_library_lacks_is_named_at_validation(transcription):
    path = transcription / "trial.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("scales: [distress]", "scales: [distres]"), encoding="utf-8")
    problems = [str(p) for p in data.validate("outcomes", transcription)]
    assert any("trial.yaml, column 'instruments.QSCR10.scales': QSCR10 has no scale 'distres' "
               "in the library" in p for p in problems), problems
