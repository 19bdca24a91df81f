"""helpers.effects against R (tests/reference/effects.R: metafor 3.8-1 escalc("SMD"), t-tests
from summary statistics written out in R) and hand calculations."""

import numpy as np
import pandas as pd
import pytest

from helpers import data, effects

# metafor escalc("SMD") for three rows of Tables 2, 4, 5 (see tests/reference/effects.R)
METAFOR = [
    # m1, sd1, n1, m2, sd2, n2, yi, vi, ci_lb, ci_ub
    (41.05, 19.1, 18, 50.93, 20.55, 18, -0.4869467173, 0.1144044042, -1.1498794498, 0.1759860152),
    (15.44, 8.6, 18, 24.95, 12.8, 18, -0.8527416869, 0.1212106720, -1.5351094801, -0.1703738938),
    (49.0, 24.92, 25, 56.44, 30.53, 22, -0.2642784799, 0.0861975573, -0.8397125481, 0.3111555883),
]


def test_hedges_g_matches_metafor():
    m1, sd1, n1, m2, sd2, n2, yi, vi, lb, ub = map(np.array, zip(*METAFOR))
    table = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    np.testing.assert_allclose(table["g"], yi, atol=1e-9)
    np.testing.assert_allclose(table["variance"], vi, atol=1e-9)
    np.testing.assert_allclose(table["ci_low"], lb, atol=1e-6)
    np.testing.assert_allclose(table["ci_high"], ub, atol=1e-6)


def test_t_tests_match_r():
    welch = effects.mean_difference(15.44, 8.6, 18, 24.95, 12.8, 18, welch=True).iloc[0]
    student = effects.mean_difference(15.44, 8.6, 18, 24.95, 12.8, 18, welch=False).iloc[0]
    assert welch["t"] == pytest.approx(-2.6164403878, abs=1e-8)
    assert welch["df"] == pytest.approx(29.7499960017, abs=1e-6)
    assert welch["p_value"] == pytest.approx(0.0138243260, abs=1e-9)
    assert student["p_value"] == pytest.approx(0.0131604786, abs=1e-9)
    assert student["df"] == 34


def test_change_sd_by_hand():
    # sd0 = 10, sd1 = 20, r = 0.5: sqrt(100 + 400 - 200) = 17.3205
    assert float(effects.change_sd(10, 20, 0.5)) == pytest.approx(300 ** 0.5)
    assert float(effects.change_sd(10, 20, 1.0)) == pytest.approx(10)
    with pytest.raises(ValueError, match="correlation must lie in"):
        effects.change_sd(10, 20, 1.5)


def _row(**values):
    base = dict(instrument="X", scale="s", contrast="t0-t3", timepoint="t3",
                m0_a=50.0, sd0_a=20.0, n0_a=30, m1_a=40.0, sd1_a=20.0, n1_a=20,
                m0_b=50.0, sd0_b=20.0, n0_b=30, m1_b=50.0, sd1_b=20.0, n1_b=20)
    base.update(values)
    return pd.DataFrame([base])


def test_change_score_by_hand():
    # changes -10 and 0; r = 0.5 -> SD of change 20 in each arm; difference -10,
    # SE = 20 * sqrt(2/20) = 6.3246; t = -1.5811
    result = effects.change_score(_row(), 0.5).iloc[0]
    assert result["estimate"] == pytest.approx(-10)
    assert result["se"] == pytest.approx(20 * (2 / 20) ** 0.5)
    assert result["t"] == pytest.approx(-10 / (20 * (2 / 20) ** 0.5))


def test_ancova_with_r_zero_is_the_follow_up_difference():
    result = effects.ancova(_row(m0_a=60.0), 0.0).iloc[0]
    assert result["estimate"] == pytest.approx(-10)  # baseline gap ignored when r = 0
    # r = 0.5, equal SDs: slope 0.5; baseline gap 10 -> adjusted -10 - 0.5 * 10 = -15
    adjusted = effects.ancova(_row(m0_a=60.0), 0.5).iloc[0]
    assert adjusted["estimate"] == pytest.approx(-15)
    assert adjusted["se"] == pytest.approx(20 * np.sqrt(0.75) * np.sqrt(2 / 20))


def test_implied_r_reproduces_the_target():
    frame = _row()
    target = float(effects.change_score(frame, 0.3)["p_value"].iloc[0])
    implied = effects.implied_r(frame, [target]).iloc[0]
    assert implied == pytest.approx(0.3, abs=1e-4)
    assert np.isnan(effects.implied_r(frame, [0.9999]).iloc[0])  # out of reach


def test_effect_size_search_finds_the_definition():
    # Cohen's d at follow-up: -10 / 20 = -0.50
    search = effects.effect_size_search(_row(), [-0.50], [2])
    found = search[search["matches"]]["definition"].tolist()
    assert "Cohen's d at follow-up (pooled SD)" in found
    assert "Glass's delta at follow-up (control SD)" in found  # same SDs: same value


def test_statcheck_by_hand():
    # d = 0.50 with 20 per arm: t = 0.5 * sqrt(10) = 1.5811, df 38 -> p = 0.1222 (R: 2*pt(-1.5811, 38))
    checked = effects.statcheck([-0.50], [2], [0.122], [3], [20], [20]).iloc[0]
    assert bool(checked["consistent"])
    wrong = effects.statcheck([-0.50], [2], [0.012], [3], [20], [20]).iloc[0]
    assert not wrong["consistent"] and bool(wrong["decision_error"])


def test_published_distress_effect_size_is_cohens_d_at_follow_up():
    outcomes = data.load_outcomes()
    frame = effects.contrasts(outcomes[outcomes["instrument"] == "QSCR10"])
    published = frame[["instrument", "scale", "contrast"]].merge(data.load_effects())
    table = effects.reanalyse(frame, published)
    six = table.set_index("contrast").loc["t0-t3"]
    assert "Cohen's d at follow-up (pooled SD)" in six["es_definition"]


def test_estimand_rows_columns_and_assumptions():
    outcomes = data.load_outcomes()
    frame = effects.contrasts(outcomes[outcomes["instrument"] == "QSCR10"])
    rows = effects.estimand_rows(frame, [0.3, 0.7])
    assert list(rows.columns) == effects.ESTIMAND_COLUMNS
    assert set(rows["estimand"]) == {"hedges_g", "mean_difference", "change_difference",
                                     "change_smd", "ancova_difference"}
    assert set(rows.loc[rows["estimand"] == "mean_difference", "method"]) == {
        "Welch t-test", "Student t-test"}
    assert rows.loc[rows["estimand"] == "ancova_difference", "assumption"].str.contains(
        "r = 0.3").sum() == 2


def test_bad_input():
    with pytest.raises(ValueError, match="SD cannot be negative"):
        effects.hedges_g(1, -1, 10, 2, 1, 10)
    with pytest.raises(ValueError, match="n of at least 2"):
        effects.hedges_g(1, 1, 1, 2, 1, 10)
