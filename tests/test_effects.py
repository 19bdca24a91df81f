"""helpers.methods.effects against R (tests/reference/effects.R: metafor 3.8-1 escalc("SMD"),
t-tests from summary statistics written out in R) and hand calculations."""

import numpy as np
import pandas as pd
import pytest

from helpers.methods import effects
from helpers.reanalysis import data, trial, wide
from conftest import PUBLISHED

STUDY = trial.load(PUBLISHED)

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


def test_ancova_by_hand():
    result = effects.ancova(_row(m0_a=60.0), 0.0).iloc[0]
    assert result["estimate"] == pytest.approx(-10)  # baseline gap ignored when r = 0
    # r = 0.5, all SDs 20, n 20 per arm: SSx = SSy = 38 * 400 = 15200, SSxy = 0.5 * 15200,
    # slope 0.5; baseline gap 10 -> adjusted -10 - 0.5 * 10 = -15. Residual variance
    # (15200 - 7600^2 / 15200) / 37 = 11400 / 37; variance of the estimate
    # 11400 / 37 * (1/20 + 1/20 + 100 / 15200).
    adjusted = effects.ancova(_row(m0_a=60.0), 0.5).iloc[0]
    assert adjusted["estimate"] == pytest.approx(-15)
    assert adjusted["se"] == pytest.approx(np.sqrt(11400 / 37 * (0.1 + 100 / 15200)))
    assert adjusted["df"] == 37


# R: lm(y ~ arm + x) on data built with exactly the printed summaries and a within-arm
# correlation r (tests/reference/ancova.R).
ANCOVA_R = [
    # scale, r, estimate, se, p
    ("psychosocial_aspects", 0.5, -16.1349218914, 6.1134270618, 0.0125854945),
    ("psychosocial_aspects", 0.0, -9.8800000000, 7.0571891050, 0.1708477747),
    ("psychosocial_aspects", 0.7, -18.6368906479, 5.0439329813, 0.0007926580),
    ("distress", 0.5, -9.7784341380, 3.2060655077, 0.0044894226),
]


@pytest.mark.parametrize(("scale", "r", "estimate", "se", "p"), ANCOVA_R)
def test_ancova_matches_r_lm(scale, r, estimate, se, p):
    frame = wide.contrasts(data.load_outcomes(PUBLISHED), STUDY)
    row = frame[(frame["scale"] == scale) & (frame["contrast"] == "t0-t3")]
    result = effects.ancova(row, r).iloc[0]
    assert result["estimate"] == pytest.approx(estimate, abs=1e-8)
    assert result["se"] == pytest.approx(se, abs=1e-8)
    assert result["p_value"] == pytest.approx(p, abs=1e-9)


def test_morris_dppc2_by_hand():
    # Morris (2008) eq. 8 and 25. Arm A: baseline 50 (SD 10), follow-up 42; arm B: baseline
    # 52 (SD 12), follow-up 50; n 20 and 18 at follow-up, 30 per arm at baseline.
    # Pooled baseline SD: sqrt((29 * 100 + 29 * 144) / 58) = sqrt(122) = 11.0454
    # Change difference: (42 - 50) - (50 - 52) = -6; c_p = 1 - 3 / (4 * 36 - 1) = 0.979021
    # d = 0.979021 * -6 / 11.0454 = -0.531818
    # r = 0.6: 2 * c^2 * 0.4 * (38 / 360) * (36 / 34) * (1 + d^2 / (2 * 0.4 * 38 / 360)) - d^2
    frame = _row(m0_a=50.0, sd0_a=10.0, m1_a=42.0, n1_a=20, m0_b=52.0, sd0_b=12.0, m1_b=50.0,
                 n1_b=18)
    c = 1 - 3 / 143
    d = c * -6 / np.sqrt(122)
    assert d == pytest.approx(-0.531818, abs=1e-6)
    ratio = 38 / 360
    variance = 2 * c**2 * 0.4 * ratio * (36 / 34) * (1 + d**2 / (2 * 0.4 * ratio)) - d**2
    for r in (0.0, 0.6, 0.9):
        row = effects.morris_dppc2(frame, r).iloc[0]
        assert row["d_ppc2"] == pytest.approx(d, abs=1e-9)  # r does not enter the estimate
    row = effects.morris_dppc2(frame, 0.6).iloc[0]
    assert row["variance"] == pytest.approx(variance, rel=1e-12)
    assert effects.morris_dppc2(frame, 0.9)["variance"].iloc[0] < row["variance"]


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
    outcomes = data.load_outcomes(PUBLISHED)
    frame = wide.contrasts(outcomes[outcomes["instrument"] == "QSCR10"], STUDY)
    published = frame[["instrument", "scale", "contrast"]].merge(data.load_effects(PUBLISHED))
    table = effects.reanalyse(frame, published)
    six = table.set_index("contrast").loc["t0-t3"]
    assert "Cohen's d at follow-up (pooled SD)" in six["es_definition"]


def test_estimand_rows_columns_and_assumptions():
    outcomes = data.load_outcomes(PUBLISHED)
    frame = wide.contrasts(outcomes[outcomes["instrument"] == "QSCR10"], STUDY)
    rows = effects.estimand_rows(frame, [0.3, 0.7])
    assert list(rows.columns) == effects.ESTIMAND_COLUMNS + ["arm", "versus"]  # its comparison
    assert list(effects.estimand_rows(frame.drop(columns=["arm", "versus"]), [0.5]).columns) \
        == effects.ESTIMAND_COLUMNS
    assert set(rows["estimand"]) == {"hedges_g", "mean_difference", "change_difference",
                                     "d_ppc2", "ancova_difference"}
    assert "change_smd" not in set(rows["estimand"])  # r-dependent: unusable in a meta-analysis
    dppc2 = rows[rows["estimand"] == "d_ppc2"].groupby("timepoint")["estimate"].nunique()
    assert (dppc2 == 1).all()  # the estimate does not move with r; its SE does
    assert set(rows.loc[rows["estimand"] == "mean_difference", "method"]) == {
        "Welch t-test", "Student t-test"}
    assert rows.loc[rows["estimand"] == "ancova_difference", "assumption"].str.contains(
        "r = 0.3").sum() == 2


def test_bad_input():
    with pytest.raises(ValueError, match="SD cannot be negative"):
        effects.hedges_g(1, -1, 10, 2, 1, 10)
    with pytest.raises(ValueError, match="n of at least 2"):
        effects.hedges_g(1, 1, 1, 2, 1, 10)
