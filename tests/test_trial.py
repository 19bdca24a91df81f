"""helpers.reanalysis.trial: the trial description, and clear errors for a bad one."""

import pytest

from helpers.reanalysis import data, trial
from conftest import PUBLISHED

GOOD = """\
id: example
arms:
  - {id: A, label: training, randomised: 40}
  - {id: B, label: usual care, randomised: 38, control: true}
timepoints:
  - {id: t0, label: baseline, months: 0}
  - {id: t1, label: 1 month, months: 1}
  - {id: t2, label: 3 months, months: 3}
instruments:
  - {id: QSCR10, range: [0, 50], scales: [distress]}
"""


def _folder(tmp_path, text):
    (tmp_path / "trial.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_published_trial():
    study = trial.load(PUBLISHED)
    assert study.arm_ids == ("A", "B") and study.control.id == "B"
    assert study.contrasts == {"t0-t2": "t2", "t0-t3": "t3"}
    assert study.metric_of("social_sequelae") == "item_mean_1_4"
    assert study.instrument("QSCR10").table == "Table 5"


def test_another_trial_by_hand(tmp_path):
    study = trial.load(_folder(tmp_path, GOOD))
    assert study.treatment.id == "A" and study.control.id == "B"
    assert study.contrasts == {"t0-t1": "t1", "t0-t2": "t2"}
    assert study.contrast_label("t0-t2") == "baseline to 3 months"
    assert study.max_randomised == 40
    assert study.metric_of("distress") == "sum_0_50"  # from the range
    derived = trial.constraints(study)
    assert derived["contrast"]["enum"] == ["t0-t1", "t0-t2"]
    assert derived["n"] == {"minimum": 0, "maximum": 40}


@pytest.mark.parametrize(("text", "message"), [
    ("arms: [}\n", "line 1, column 8: not valid YAML"),
    (GOOD.replace("randomised: 40", "randomised: 0"), "'randomised' must be a positive whole"),
    (GOOD.replace("  - {id: A, label: training, randomised: 40}\n", ""),
     "must list at least two arms"),
    (GOOD.replace("{id: t1,", "{id: t0,"), "'timepoints' repeats an id"),
    (GOOD.replace("{id: t1,", "{id: t-1,"), "may not be empty or contain '-'"),
    (GOOD.replace("instruments:", "instrumentz:"), "the trial needs 'instruments'"),
    (GOOD.replace("control: true", "control: true}\n  - {id: C, randomised: 3, control: true"),
     "only one arm can be the control"),
    (GOOD + "comparisons:\n  - {arm: A, versus: Z}\n",
     "comparisons[0] 'versus' names 'Z', not an arm of 'arms' (A, B)"),
    (GOOD + "comparisons:\n  - {arm: B, versus: B}\n",
     "comparisons[0] compares arm 'B' with itself"),
    (GOOD + "comparisons:\n  - {arm: A}\n", "comparisons[0] needs 'versus'"),
    (GOOD + "comparisons:\n  - {arm: A, versus: B}\n  - {arm: A, versus: B}\n",
     "comparisons[1] repeats the comparison A versus B"),
    (GOOD + "comparisons: A\n", "'comparisons' must be a list of {arm, versus}"),
    (GOOD + "methods: welch\n", "'methods' must map keys"),
    (GOOD + "flow:\n  - {stage: randomised}\n", "flow[0] needs 'claim'"),
    (GOOD + "baseline_characteristics:\n  age: {label: age, check: {kind: grim}}\n",
     "baseline_characteristics.age.check: 'kind' must be one of whole_number"),
    (GOOD + "baseline_characteristics:\n  age: {label: age, check: {kind: whole_number}}\n",
     "baseline_characteristics.age.check (whole_number) lacks within, describes"),
])
def test_bad_trial_is_named(tmp_path, text, message):
    with pytest.raises(trial.TrialError, match="trial.yaml") as caught:
        trial.load(_folder(tmp_path, text))
    assert message in str(caught.value)


def test_checks_of_table_1_are_declared_not_named():
    """Which check a row of Table 1 gets comes from its ``check`` in trial.yaml, not from its
    name: the published trial declares one for each summarised characteristic."""
    study = trial.load(PUBLISHED)
    assert study.check_of("karnofsky_ps")["kind"] == "scale"
    assert study.check_of("age") == {"kind": "whole_number", "within": "age_years",
                                     "describes": "age in whole years"}
    assert study.check_of("gender") == {}


def test_a_renamed_characteristic_keeps_its_check(tmp_path, transcription):
    """Another trial may call its performance score anything: renamed in the data and in
    trial.yaml, it gets the same checks (the verdicts of Table 1 do not depend on the name)."""
    from helpers.reanalysis import table_checks

    for name in ("trial.yaml", "baseline.csv"):
        path = transcription / name
        path.write_text(path.read_text(encoding="utf-8").replace("karnofsky_ps", "performance"),
                        encoding="utf-8")
    rows = table_checks.baseline_ledger_rows(data.load_baseline(transcription),
                                             data.load_claims(transcription),
                                             trial.load(transcription))
    checked = rows[rows["claim_id"].str.startswith("baseline:performance//")]
    assert len(checked) == 8  # median, min, max of two arms; min at most max of two arms
    assert set(checked["check"]) == {"range and scale", "min at most max"}
    assert set(checked["verdict"]) == {"consistent"}


def test_trial_not_in_utf8_is_named(tmp_path):
    (tmp_path / "trial.yaml").write_bytes(GOOD.replace("training", "Tr\u00e4ning").encode("latin-1"))
    with pytest.raises(trial.TrialError, match=r"trial.yaml: not UTF-8 text"):
        trial.load(tmp_path)


def test_missing_trial_is_named(tmp_path):
    with pytest.raises(trial.TrialError, match="trial.yaml: missing"):
        trial.load(tmp_path)


def test_schema_follows_the_trial(tmp_path):
    """The schema of a folder takes its enums from that folder's trial.yaml."""
    folder = _folder(tmp_path, GOOD)
    (folder / "datapackage.json").write_bytes(
        (PUBLISHED / "datapackage.json").read_bytes())
    fields = {f["name"]: f for f in data.schema("outcomes", folder)["fields"]}
    assert fields["timepoint"]["constraints"]["enum"] == ["t0", "t1", "t2"]
    assert fields["n"]["constraints"]["maximum"] == 40
