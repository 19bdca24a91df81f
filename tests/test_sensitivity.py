"""helpers.methods.sensitivity against R (tests/reference/sensitivity.R: Gelman & Carlin's
retrodesign, BayesFactor 0.9.12 ttest.tstat, stats::p.adjust) and hand calculations."""

import numpy as np
import pandas as pd
import pytest

from scipy import stats

from helpers.methods import effects, sensitivity
from helpers.reanalysis import data, trial, wide
from conftest import PUBLISHED


def test_multiplicity_matches_r_p_adjust():
    p = [0.001, 0.010, 0.013, 0.006, 0.016, 0.081, 0.2]
    table = sensitivity.multiplicity(pd.DataFrame({"p": p}))
    np.testing.assert_allclose(table["p_holm"], [0.007, 0.05, 0.052, 0.036, 0.052, 0.162, 0.2])
    np.testing.assert_allclose(table["p_bh"], [0.007, 0.0224, 0.0224, 0.021, 0.0224, 0.0945, 0.2])
    assert table["survives_holm"].tolist() == [True, False, False, True, False, False, False]


def test_retrodesign_matches_gelman_carlin():
    result = sensitivity.retrodesign([0.1, 0.5], [3.3, 0.33])
    np.testing.assert_allclose(result["power"], [0.0501051952, 0.3284829579], atol=1e-9)
    np.testing.assert_allclose(result["type_s"], [0.4646377420, 0.0007772602], atol=1e-9)
    # simulated in both: R 77.03 and 1.726 with 1e6 draws
    assert result["exaggeration"].iloc[0] == pytest.approx(77.03, rel=0.05)
    assert result["exaggeration"].iloc[1] == pytest.approx(1.7263, rel=0.01)


def test_retrodesign_is_reproducible():
    first = sensitivity.retrodesign(0.3, 0.33)
    assert first.equals(sensitivity.retrodesign(0.3, 0.33))


def test_bayes_factor_matches_bayesfactor():
    bf = sensitivity.bayes_factor([-2.6164403878, 1.5], [18, 25], [18, 22])
    np.testing.assert_allclose(bf, [4.0720325323, 0.7178759238], rtol=1e-4)


def test_sceptical_posterior_by_hand():
    # prior N(0, 0.5^2), estimate -1 with SE 0.5: weight 0.5 -> mean -0.5, SD 0.5*sqrt(0.5)
    row = sensitivity.sceptical_posterior(-1.0, 0.5, 0.5).iloc[0]
    assert row["mean"] == pytest.approx(-0.5)
    assert row["sd"] == pytest.approx(0.5 * 0.5**0.5)
    with pytest.raises(ValueError, match="prior SD must be positive"):
        sensitivity.sceptical_posterior(-1.0, 0.5, 0)


def _distress_six_months():
    frame = wide.contrasts(data.load_outcomes(PUBLISHED), trial.load(PUBLISHED))
    return frame[(frame["scale"] == "distress") & (frame["contrast"] == "t0-t3")].iloc[0]


def test_delta_zero_is_the_survivors_comparison():
    """The invariant of a tipping point: at delta 0 in both arms, the p is the survivors' own."""
    row = _distress_six_months()
    survivors = stats.ttest_ind_from_stats(15.44, 8.6, 18, 24.95, 12.8, 18, equal_var=False)
    result = sensitivity.tipping_point(row, worse=1.0)
    assert result["missing_a"] == 12 and result["missing_b"] == 12
    assert result["p_survivors"] == pytest.approx(survivors.pvalue, abs=1e-12)
    assert result["p_delta_zero"] == pytest.approx(survivors.pvalue, abs=1e-12)
    grid = sensitivity.tipping_grid(row, [0.0, 0.5, 1.0])
    at_zero = grid[(grid["delta_a"] == 0) & (grid["delta_b"] == 0)]
    assert at_zero["p"].iloc[0] == pytest.approx(survivors.pvalue, abs=1e-12)
    # the same for the baseline-adjusted comparison at r = 0.5 (R lm: p 0.0044894226)
    adjusted = sensitivity.tipping_point(row, worse=1.0, r=0.5)
    assert adjusted["p_delta_zero"] == pytest.approx(0.0044894226, abs=1e-9)


def test_distress_tipping_delta_by_hand():
    # Welch at six months: difference -9.51, SE sqrt(8.6^2/18 + 12.8^2/18) = 3.6345, df 29.75;
    # significance ends at |difference| = t(0.975; 29.75) * SE. Arm A lost 12 of 30 (share 0.4);
    # the pooled follow-up SD is sqrt((8.6^2 + 12.8^2) / 2) = 10.904.
    se = np.sqrt(8.6**2 / 18 + 12.8**2 / 18)
    df = (8.6**2 / 18 + 12.8**2 / 18) ** 2 / ((8.6**2 / 18) ** 2 / 17 + (12.8**2 / 18) ** 2 / 17)
    expected = (9.51 - stats.t.ppf(0.975, df) * se) / (0.4 * np.sqrt((8.6**2 + 12.8**2) / 2))
    result = sensitivity.tipping_point(_distress_six_months(), worse=1.0)
    assert result["tipping_delta_sd"] == pytest.approx(expected, abs=1e-9)
    assert result["tipping_delta_sd"] == pytest.approx(0.48, abs=0.005)
    at_tip = sensitivity.delta_adjusted(_distress_six_months(), result["tipping_delta_sd"])
    assert at_tip["p"].iloc[0] == pytest.approx(0.05, abs=1e-9)


def test_delta_adjustment_is_the_limit_of_multiple_imputation():
    """Delta-adjusted multiple imputation from the summaries, combined by Rubin's rules (written
    here, independently): a normal imputation model per arm with the survivors' SD, its mean
    drawn from its posterior, the dead imputed at the drawn mean plus delta. With many
    imputations the pooled estimate and Rubin's total variance approach the closed form's (which
    carries the uncertainty of the SD in its t reference instead, with the survivors' df)."""
    rng = np.random.default_rng(11)
    imputations, delta_sd = 4000, 0.478
    pooled_sd = np.sqrt((8.6**2 + 12.8**2) / 2)
    estimates, variances = [], []
    arms = {"A": (15.44, 8.6, 18, delta_sd * pooled_sd), "B": (24.95, 12.8, 18, 0.0)}
    for _ in range(imputations):
        means, within = {}, {}
        for arm, (mean, sd, observed, shift) in arms.items():
            missing = 30 - observed
            sigma2 = sd**2
            mu = rng.normal(mean, np.sqrt(sigma2 / observed))
            imputed = rng.normal(mu + shift, np.sqrt(sigma2), missing)
            total = observed * mean + imputed.sum()
            squares = (observed - 1) * sd**2 + observed * mean**2 + (imputed**2).sum()
            complete_mean = total / 30
            complete_var = (squares - 30 * complete_mean**2) / 29
            means[arm], within[arm] = complete_mean, complete_var / 30
        estimates.append(means["A"] - means["B"])
        variances.append(within["A"] + within["B"])
    estimates = np.array(estimates)
    total_variance = np.mean(variances) + (1 + 1 / imputations) * estimates.var(ddof=1)
    closed = sensitivity.delta_adjusted(_distress_six_months(), delta_sd).iloc[0]
    assert estimates.mean() == pytest.approx(closed["estimate"], abs=0.1)
    assert total_variance == pytest.approx(closed["se"] ** 2, rel=0.03)


def test_grid_is_linear_in_the_deltas():
    row = _distress_six_months()
    grid = sensitivity.tipping_grid(row, [0.0, 1.0])
    moved = grid.set_index(["delta_a", "delta_b"])["estimate"]
    # 0.4 of each arm is imputed, shifted by 1 pooled SD (10.904) towards worse (higher)
    assert moved[(1.0, 0.0)] - moved[(0.0, 0.0)] == pytest.approx(0.4 * np.sqrt(118.9))
    assert moved[(1.0, 1.0)] == pytest.approx(moved[(0.0, 0.0)])


def test_normal_posterior_with_a_prior_mean_by_hand():
    # prior N(0.3, 0.2^2), estimate 0.8 with SE 0.4: precision-weighted mean
    # (0.3 / 0.04 + 0.8 / 0.16) / (1 / 0.04 + 1 / 0.16) = 12.5 / 31.25 = 0.4, SD sqrt(1 / 31.25)
    row = sensitivity.normal_posterior(0.8, 0.4, 0.3, 0.2, better="higher").iloc[0]
    assert row["mean"] == pytest.approx(0.4)
    assert row["sd"] == pytest.approx(31.25 ** -0.5)
    assert row["p_benefit_a"] == pytest.approx(stats.norm.sf(0, 0.4, 31.25 ** -0.5))
    unknown = sensitivity.normal_posterior(0.8, 0.4, 0.3, 0.2, better="").iloc[0]
    assert np.isnan(unknown["p_benefit_a"])


def test_prior_from_meta_analysis_by_hand():
    prior = sensitivity.prior_from_meta_analysis(-0.27, -0.37, -0.17, tau2=0.02)
    se = 0.2 / (2 * 1.959963985)
    assert prior["sd"] == pytest.approx(np.sqrt(0.02 + se**2))
    with pytest.raises(ValueError, match="I\\^2 with the number of studies"):
        sensitivity.prior_from_meta_analysis(0.35, 0.15, 0.54)


def test_the_transcribed_prior_is_in_its_quote():
    for _, row in data.load_priors(PUBLISHED.parent / "external").iterrows():
        for column in ("pooled", "ci_low", "ci_high"):
            assert f"{row[column]:g}" in row["quote"].replace("0.15–0.54", "0.15 0.54")
        assert f"{row['i2_percent']:g}%" in row["quote"]


def test_family_table_matches_r_p_adjust():
    # R: p.adjust(c(0.001, 0.013, 0.016), "holm") = 0.003 0.026 0.026 (the first, third and fifth
    # p of the multiplicity test above); BH: 0.003 0.016 0.016
    p = [0.001, 0.010, 0.013, 0.006, 0.016, 0.081, 0.2]
    tests = pd.DataFrame({"claim_id": list("abcdefg"), "label": list("abcdefg"), "p": p})
    mask = np.array([True, False, True, False, True, False, False])
    table = sensitivity.family_table(tests, {"all": np.ones(7, bool), "three": mask})
    three = table[table["family"] == "three"].set_index("method")
    np.testing.assert_allclose(three.loc["Holm", "p_adjusted"], [0.003, 0.026, 0.026])
    np.testing.assert_allclose(three.loc["BH", "p_adjusted"], [0.003, 0.016, 0.016])
    robust = sensitivity.robust_to_family(table).set_index(["claim_id", "method"])
    assert bool(robust.loc[("c", "Holm"), "robust"]) is False  # rejected in three, not in all
    assert bool(robust.loc[("a", "Holm"), "robust"]) is True


def test_parallel_gatekeeping_by_hand():
    # family 1: four tests at 0.05 / 4 = 0.0125: 0.001 and 0.012 pass, 0.3 and 0.4 do not;
    # family 2 gets 0.05 * 2 / 4 = 0.025 over two tests: 0.0125 each: 0.01 passes, 0.02 not;
    # family 3 gets 0.025 * 1 / 2 = 0.0125 for its one test: 0.012 passes. The last row is in no
    # family: exploratory.
    tests = pd.DataFrame({"p": [0.001, 0.012, 0.3, 0.4, 0.01, 0.02, 0.012, 0.001]})
    gates = [np.array([1, 1, 1, 1, 0, 0, 0, 0], bool), np.array([0, 0, 0, 0, 1, 1, 0, 0], bool),
             np.array([0, 0, 0, 0, 0, 0, 1, 0], bool)]
    table = sensitivity.parallel_gatekeeping(tests, gates)
    assert table["rejected"].tolist() == [True, True, False, False, True, False, True, False]
    assert table["gate"].tolist() == [1, 1, 1, 1, 2, 2, 3, 0]
    np.testing.assert_allclose(table["alpha_test"].iloc[:7],
                               [0.0125] * 4 + [0.0125] * 2 + [0.0125])


def test_power_matches_pwr():
    assert sensitivity.power_two_sample(0.8, 30, 30)[0] == pytest.approx(0.8614225160, abs=1e-6)
