"""Trials of any number of arms: ``Trial.comparisons`` and the k-arm wide frame of
:func:`helpers.reanalysis.wide.contrasts`, with expected values worked out by hand."""

import pandas as pd
import pytest

from helpers.reanalysis import data, trial, wide
from conftest import PUBLISHED

THREE = """\
id: example3
arms:
  - {id: X, label: exercise, randomised: 20}
  - {id: Y, label: counselling, randomised: 21}
  - {id: Z, label: usual care, randomised: 22, control: true}
timepoints:
  - {id: t0, label: baseline, months: 0}
  - {id: t1, label: 1 month, months: 1}
instruments:
  - {id: Q, range: [0, 50], scales: [s]}
"""


def _study(tmp_path, text):
    (tmp_path / "trial.yaml").write_text(text, encoding="utf-8")
    return trial.load(tmp_path)


def test_default_comparisons_are_each_arm_against_the_control(tmp_path):
    study = _study(tmp_path, THREE)
    assert [(c.arm, c.versus) for c in study.comparisons] == [("X", "Z"), ("Y", "Z")]
    assert study.k_arms and study.control.id == "Z" and study.treatment.id == "X"
    assert study.effect_key("Q", "s", "Y", "Z", "t0-t1") == "Q/s/Y/Z/t0-t1"
    assert study.comparison_label("Y", "Z") == "Y vs Z"


def test_declared_comparisons_keep_their_order(tmp_path):
    study = _study(tmp_path, THREE + "comparisons:\n  - {arm: Y, versus: X}\n"
                                     "  - {arm: X, versus: Z}\n")
    assert [c.key for c in study.comparisons] == ["Y/X", "X/Z"]
    assert study.treatment.id == "Y"  # the arm of the first comparison


def test_two_arm_trial_keeps_three_part_keys():
    study = trial.load(PUBLISHED)
    assert [(c.arm, c.versus) for c in study.comparisons] == [("A", "B")]
    assert not study.k_arms
    assert study.effect_key("BM22", "pain", "A", "B", "t0-t2") == "BM22/pain/t0-t2"
    assert study.comparison_label("A", "B") == ""


def test_other_keys_are_loaded_as_written():
    study = trial.load("data/examples/three_arm_clean")
    assert study.methods.test == "welch_t" and study.methods.alpha == 0.05
    assert [s["claim"] for s in study.flow][0] == "patients_screened"
    assert study.flow[1]["excluded"] is True
    assert "quote" in study.flow_complete and study.citation == ""


def _long():
    """Three arms, two timepoints, one scale: means 10 + arm offset + 5 * follow-up."""
    rows = []
    for arm, offset, n in (("X", 1.0, 20), ("Y", 2.0, 21), ("Z", 0.0, 22)):
        for timepoint, shift, lost in (("t0", 0.0, 0), ("t1", 5.0, 2)):
            rows.append(dict(instrument="Q", scale="s", arm=arm, timepoint=timepoint,
                             mean=10.0 + offset + shift, sd=2.0 + offset, n=n - lost))
    return pd.DataFrame(rows)


def test_k_arm_wide_frame_by_hand(tmp_path):
    study = _study(tmp_path, THREE)
    frame = wide.contrasts(_long(), study)
    assert frame[["instrument", "scale", "arm", "versus", "contrast"]].values.tolist() == [
        ["Q", "s", "X", "Z", "t0-t1"], ["Q", "s", "Y", "Z", "t0-t1"]]
    x, y = frame.iloc[0], frame.iloc[1]
    # arm X: baseline 11 (SD 3, n 20), follow-up 16 (SD 3, n 18); Z: 10 (2, 22), 15 (2, 20)
    assert (x["m0_a"], x["sd0_a"], x["n0_a"], x["m1_a"], x["n1_a"]) == (11.0, 3.0, 20, 16.0, 18)
    assert (x["m0_b"], x["sd0_b"], x["n0_b"], x["m1_b"], x["n1_b"]) == (10.0, 2.0, 22, 15.0, 20)
    # arm Y: baseline 12 (SD 4, n 21), follow-up 17 (n 19); versus the same Z
    assert (y["m0_a"], y["sd0_a"], y["n0_a"], y["m1_a"], y["n1_a"]) == (12.0, 4.0, 21, 17.0, 19)
    assert (y["m1_b"], y["n1_b"]) == (15.0, 20)
    assert list(frame["key"]) == ["Q/s/X/Z/t0-t1", "Q/s/Y/Z/t0-t1"]


def test_two_arm_wide_frame_has_the_arms_of_its_one_comparison():
    study = trial.load(PUBLISHED)
    frame = wide.contrasts(data.load_outcomes(PUBLISHED), study)
    assert set(zip(frame["arm"], frame["versus"])) == {("A", "B")}
    assert frame["key"].iloc[0] == "BM22/painful_sites/t0-t2"


def test_effects_without_arm_columns_get_the_one_comparison():
    effects = data.load_effects(PUBLISHED)
    assert set(zip(effects["arm"], effects["versus"])) == {("A", "B")}
    three = data.load_effects("data/examples/three_arm_clean")
    assert set(zip(three["arm"], three["versus"])) == {("A", "C"), ("B", "C")}


@pytest.mark.parametrize("folder", ["data/examples/three_arm_clean", "data/examples/three_arm"])
def test_three_arm_flow_counts_deaths_and_withdrawals(folder):
    from helpers.reanalysis import cohort
    study = trial.load(folder)
    claims = data.load_claims(folder)
    flow = cohort.participant_flow(claims, data.load_baseline(folder),
                                   data.load_outcomes(folder), study)
    for arm in study.arm_ids:
        left = cohort.stage_count(flow, "allocated", arm)
        for before, after in cohort.periods(study):
            for kind in ("deaths", "withdrawn"):
                name = f"{kind}_arm_{arm.lower()}_{before}_{after}"
                left -= int(claims.loc[claims["refers_to"] == name, "value"].iloc[0])
            assert cohort.stage_count(flow, cohort.alive_stage(study, after), arm) == left
