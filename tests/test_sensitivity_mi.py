"""Delta-adjusted multiple imputation with parameter uncertainty, the ANCOVA's survivors' gap and
the empirical prior's SD range (helpers.methods.sensitivity), against independent calculations
written here: a plain-loop multiple imputation of individual patients, Barnard and Rubin's df by
hand, an ordinary least squares fit (statsmodels) on patient data built to the summaries, and
the values the recomputation of issue 22 reports."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

from helpers.methods import sensitivity

# Distress (QSC-R10) at six months as printed: survivors 15.44 (8.6) and 24.95 (12.8), 18 of 30
# alive in each arm; the baselines 24.7 (10.8) and 24.13 (12.1).
DISTRESS = pd.Series(dict(m0_a=24.7, sd0_a=10.8, n0_a=30, m1_a=15.44, sd1_a=8.6, n1_a=18,
                          m0_b=24.13, sd0_b=12.1, n0_b=30, m1_b=24.95, sd1_b=12.8, n1_b=18))
# Psychosocial aspects (QLQ-BM22) at six months.
PSYCHOSOCIAL = pd.Series(dict(m0_a=69.26, sd0_a=17.0, n0_a=30, m1_a=41.05, sd1_a=19.1, n1_a=18,
                              m0_b=57.59, sd0_b=19.87, n0_b=30, m1_b=50.93, sd1_b=20.55,
                              n1_b=18))


# ---------------------------------------------------------------------------------------------
# An independent multiple imputation: individual patients, one imputation at a time
# ---------------------------------------------------------------------------------------------

def _draws(row, imputations, seed, draw_sigma=True):
    """For each imputation and arm: sigma^2, mu and the dead's standard normal deviates."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(imputations):
        one = {}
        for arm in "ab":
            n_obs, n_all = int(row[f"n1_{arm}"]), int(row[f"n0_{arm}"])
            s2 = row[f"sd1_{arm}"] ** 2
            sigma2 = (n_obs - 1) * s2 / rng.chisquare(n_obs - 1) if draw_sigma else s2
            mu = rng.normal(row[f"m1_{arm}"], np.sqrt(sigma2 / n_obs))
            one[arm] = (sigma2, mu, rng.standard_normal(n_all - n_obs))
        out.append(one)
    return out


def _pooled_p(row, draws, delta):
    """Welch's test on each completed data set, Rubin's rules, Barnard-Rubin df (by hand)."""
    pooled_sd = np.sqrt(((row["n1_a"] - 1) * row["sd1_a"] ** 2
                         + (row["n1_b"] - 1) * row["sd1_b"] ** 2)
                        / (row["n1_a"] + row["n1_b"] - 2))
    estimates, variances, dfs = [], [], []
    for one in draws:
        completed = {}
        for arm, shift in (("a", delta * pooled_sd), ("b", 0.0)):
            sigma2, mu, z = one[arm]
            dead = mu + shift + np.sqrt(sigma2) * z  # one imputed score per dead patient
            n_obs, m, s = row[f"n1_{arm}"], row[f"m1_{arm}"], row[f"sd1_{arm}"]
            n = n_obs + len(dead)
            total = n_obs * m + dead.sum()
            squares = (n_obs - 1) * s**2 + n_obs * m**2 + (dead**2).sum()
            mean = total / n
            completed[arm] = (mean, (squares - n * mean**2) / (n - 1), n)
        (ma, va, na), (mb, vb, nb) = completed["a"], completed["b"]
        u = va / na + vb / nb
        estimates.append(ma - mb)
        variances.append(u)
        dfs.append(u**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1)))
    m = len(estimates)
    q_bar = np.mean(estimates)
    within = np.mean(variances)
    between = np.var(estimates, ddof=1)
    total = within + (1 + 1 / m) * between
    lam = (1 + 1 / m) * between / total
    nu_com = np.mean(dfs)
    nu = 1 / ((lam**2) / (m - 1) + 1 / ((nu_com + 1) / (nu_com + 3) * nu_com * (1 - lam)))
    return 2 * stats.t.sf(abs(q_bar) / np.sqrt(total), nu), q_bar, total


@pytest.fixture(scope="module")
def independent():
    draws = _draws(DISTRESS, 3000, seed=99)
    tip = optimize.brentq(lambda d: _pooled_p(DISTRESS, draws, d)[0] - 0.05, 0.0, 1.5,
                          xtol=1e-4)
    return draws, tip


def test_mi_tipping_delta_matches_an_independent_imputation(independent):
    draws, tip = independent
    result = sensitivity.tipping_point_mi(DISTRESS, 0.05, 1.0, None, seed=2014)
    assert result["mcse"] < 0.01
    # Monte Carlo SDs: about 0.015 (3000 imputations here) and < 0.01 (the code's)
    assert result["tipping_delta_sd"] == pytest.approx(tip, abs=0.05)
    # the recomputation of issue 22 (another implementation): MI 0.403, closed form 0.478
    assert result["tipping_delta_sd"] == pytest.approx(0.403, abs=0.03)
    assert tip == pytest.approx(0.403, abs=0.05)
    assert result["closed_form"] == pytest.approx(0.478, abs=0.001)


def test_mi_pooled_p_matches_an_independent_imputation(independent):
    draws, _ = independent
    for delta in (0.0, 0.4):
        p_here, estimate_here, _ = _pooled_p(DISTRESS, draws, delta)
        code = sensitivity.delta_adjusted_mi(DISTRESS, delta, imputations=20000, seed=5).iloc[0]
        assert code["estimate"] == pytest.approx(estimate_here, abs=0.25)
        assert code["p"] == pytest.approx(p_here, rel=0.15)


def test_mi_is_not_significant_without_a_difference():
    row = pd.Series(dict(m0_a=0, sd0_a=1, n0_a=30, m1_a=0, sd1_a=1, n1_a=18, m0_b=0, sd0_b=1,
                         n0_b=30, m1_b=0, sd1_b=1, n1_b=18))
    assert np.isnan(sensitivity.tipping_point_mi(row)["tipping_delta_sd"])


def test_barnard_rubin_df_by_hand():
    # M = 4 estimates 2.0, 2.5, 1.5, 3.0 with variances 0.5, 0.6, 0.4, 0.5; 40 complete-data df
    # Qbar = 2.25, Ubar = 0.5, B = (0.0625 + 0.0625 + 0.5625 + 0.5625) / 3 = 0.416667
    # T = 0.5 + 1.25 * 0.416667 = 1.020833; lambda = 0.520833 / 1.020833 = 0.510204
    # nu_old = 3 / 0.510204^2 = 11.5248; nu_obs = 41/43 * 40 * 0.489796 = 18.6806
    # nu = 1 / (0.086769 + 0.053532) = 7.12753
    pooled = sensitivity.rubin_pool([2.0, 2.5, 1.5, 3.0], [0.5, 0.6, 0.4, 0.5], 40)
    assert float(pooled["total"]) == pytest.approx(1.020833, abs=1e-6)
    assert float(pooled["fmi"]) == pytest.approx(0.510204, abs=1e-6)
    assert float(pooled["df"]) == pytest.approx(7.12753, abs=2e-5)
    assert float(pooled["p"]) == pytest.approx(2 * stats.t.sf(2.25 / np.sqrt(1.020833), 7.12753),
                                               rel=1e-4)


def test_sigma_fixed_reproduces_the_closed_form_expectations():
    """SD held at the survivors' (mu still drawn), many imputations: the pooled estimate and
    Rubin's total variance approach their expectations, computed here by hand. At delta 0 that
    is the closed form's SE; at delta != 0 the shifted dead add shift^2 n_obs n_mis / n to the
    arm's sum of squares, which the closed form leaves out."""
    imputations = 100_000
    for delta in (0.0, 0.478):
        code = sensitivity.delta_adjusted_mi(DISTRESS, delta, imputations=imputations, seed=3,
                                             draw_sigma=False).iloc[0]
        pooled_sd = np.sqrt((8.6**2 + 12.8**2) / 2)
        total = 0.0
        for m, s, shift in ((15.44, 8.6, delta * pooled_sd), (24.95, 12.8, 0.0)):
            n_obs, n_mis, n = 18, 12, 30
            between = n_mis * s**2 / (n * n_obs)
            expected_gap = shift**2 + s**2 / n_obs + s**2 / n_mis
            within = ((n - 2) * s**2 + n_obs * n_mis / n * expected_gap) / ((n - 1) * n)
            total += within + between
        closed = sensitivity.delta_adjusted(DISTRESS, delta).iloc[0]
        assert code["estimate"] == pytest.approx(closed["estimate"], abs=0.05)
        assert code["se"] ** 2 == pytest.approx(total, rel=0.01)
        if delta == 0.0:
            assert code["se"] == pytest.approx(closed["se"], rel=0.01)


# ---------------------------------------------------------------------------------------------
# The survivors' baseline gap
# ---------------------------------------------------------------------------------------------

def _patients(n, m0, sd0, m1, sd1, r, rng):
    """n (baseline, follow-up) pairs with exactly these means, SDs and correlation."""
    z = rng.standard_normal((n, 2))
    z -= z.mean(axis=0)
    q, _ = np.linalg.qr(z)  # orthonormal columns, still centred
    z1, z2 = q[:, 0] * np.sqrt(n - 1), q[:, 1] * np.sqrt(n - 1)
    return m0 + sd0 * z1, m1 + sd1 * (r * z1 + np.sqrt(1 - r**2) * z2)


def _ols_p(row, gap, r=0.5):
    """lm(follow-up ~ arm + baseline) on patients built to the survivors' summaries, with the
    survivors' baselines gap apart (arm B at its printed baseline mean)."""
    rng = np.random.default_rng(1)
    xa, ya = _patients(int(row["n1_a"]), row["m0_b"] + gap, row["sd0_a"], row["m1_a"],
                       row["sd1_a"], r, rng)
    xb, yb = _patients(int(row["n1_b"]), row["m0_b"], row["sd0_b"], row["m1_b"], row["sd1_b"],
                       r, rng)
    arm = np.r_[np.ones(len(xa)), np.zeros(len(xb))]
    design = sm.add_constant(np.column_stack([arm, np.r_[xa, xb]]))
    return sm.OLS(np.r_[ya, yb], design).fit().pvalues[1]


def test_gap_threshold_against_least_squares():
    out = sensitivity.ancova_gap_threshold(PSYCHOSOCIAL.to_frame().T, 0.5).iloc[0]
    # the recomputation: threshold 3.76 (printed gap 11.67), p 0.099 at a gap of 0
    assert out["gap_threshold"] == pytest.approx(3.76, abs=0.005)
    assert out["p_gap_zero"] == pytest.approx(0.099, abs=0.0005)
    assert _ols_p(PSYCHOSOCIAL, out["gap_threshold"]) == pytest.approx(0.05, abs=1e-6)
    assert _ols_p(PSYCHOSOCIAL, 0.0) == pytest.approx(out["p_gap_zero"], abs=1e-6)
    assert _ols_p(PSYCHOSOCIAL, 11.67) == pytest.approx(0.0125855, abs=1e-6)  # R lm


def test_gap_threshold_by_the_quadratic_by_hand():
    # item 18 at six months, as printed (issue 22: threshold 0.28, printed gap 0.70)
    row = pd.Series(dict(m0_a=3.4, sd0_a=0.9, n0_a=30, m1_a=2.1, sd1_a=1.1, n1_a=18,
                         m0_b=2.7, sd0_b=1.0, n0_b=30, m1_b=2.6, sd1_b=1.1, n1_b=18))
    ss_x = 17 * 0.9**2 + 17 * 1.0**2
    ss_y = 17 * 1.1**2 + 17 * 1.1**2
    ss_xy = 0.5 * (17 * 0.9 * 1.1 + 17 * 1.0 * 1.1)
    b, s2, d = ss_xy / ss_x, (ss_y - ss_xy**2 / ss_x) / 33, -0.5
    c2 = stats.t.ppf(0.975, 33) ** 2
    # (d - b g)^2 = c2 s2 (2/18 + g^2 / ss_x)
    qa, qb, qc = b**2 - c2 * s2 / ss_x, -2 * d * b, d**2 - c2 * s2 * 2 / 18
    roots = [(-qb + sign * np.sqrt(qb**2 - 4 * qa * qc)) / (2 * qa) for sign in (1, -1)]
    expected = min(roots, key=lambda g: abs(g - 0.7))
    out = sensitivity.ancova_gap_threshold(row.to_frame().T, 0.5).iloc[0]
    assert out["gap_threshold"] == pytest.approx(expected, abs=1e-9)
    assert out["gap_threshold"] == pytest.approx(0.28, abs=0.005)


def test_random_attrition_spread_and_the_extreme_subgroup():
    rng = np.random.default_rng(7)
    population = rng.normal(50, 10, 30)
    sd = population.std(ddof=1)
    means = np.array([rng.choice(population, 18, replace=False).mean()
                      for _ in range(20000)])
    out = sensitivity.ancova_gap_threshold(PSYCHOSOCIAL.to_frame().T, 0.5).iloc[0]
    assert (means - population.mean()).std() == pytest.approx(sd * np.sqrt(1 / 18 - 1 / 30),
                                                              rel=0.03)
    assert out["gap_sd"] == pytest.approx(np.sqrt(17.0**2 * (1 / 18 - 1 / 30)
                                                  + 19.87**2 * (1 / 18 - 1 / 30)))
    # 18 patients at +a, 12 at -1.5a, SD 1: their mean sits a from the whole group's (0)
    a = np.sqrt(29 / (18 + 12 * 1.5**2))
    group = np.r_[np.full(18, a), np.full(12, -1.5 * a)]
    assert group.std(ddof=1) == pytest.approx(1.0)
    assert out["extreme_sd_a"] == pytest.approx(group[:18].mean() - group.mean())
    assert out["extreme_sd_a"] == pytest.approx(0.80, abs=0.005)  # issue 22


# ---------------------------------------------------------------------------------------------
# Priors
# ---------------------------------------------------------------------------------------------

def test_prior_sd_range_by_hand():
    se = (0.54 - 0.15) / (2 * 1.959963985)
    sds = sensitivity.prior_sd_over_variance(0.35, 0.15, 0.54, 0.61, [0.04, 0.10])
    np.testing.assert_allclose(sds, [np.sqrt(0.04 * 0.61 / 0.39 + se**2),
                                     np.sqrt(0.10 * 0.61 / 0.39 + se**2)])
    np.testing.assert_allclose(sds, [0.27, 0.41], atol=0.005)  # issue 22


def test_sceptical_posterior_holds_only_from_r_one_half():
    """Issue 22: psychosocial aspects at six months, upper limit -0.009 at r = 0.5; at r = 0.3
    the interval includes zero."""
    frame = PSYCHOSOCIAL.to_frame().T.assign(label="x")
    at = {r: sensitivity.bayes_and_posterior(frame, r, 0.707, 0.35).iloc[0]
          for r in (0.3, 0.5)}
    assert at[0.5]["sceptical_ci_high"] == pytest.approx(-0.009, abs=0.0005)
    assert at[0.3]["sceptical_ci_high"] > 0


def test_the_imputations_ancova_is_effects_ancova():
    from helpers.methods import effects
    from helpers.methods.sensitivity import _ancova_moments

    frame = pd.DataFrame({"m0_a": 69.26, "sd0_a": 17.0, "m0_b": 57.59, "sd0_b": 19.87,
                          "m1_a": [41.05, 45.0], "sd1_a": [19.1, 22.0], "n1_a": 30,
                          "m1_b": [50.93, 52.0], "sd1_b": [20.55, 18.0], "n1_b": 30})
    fit = effects.ancova(frame, 0.4)
    estimate, variance, df = _ancova_moments(69.26, 17.0, 57.59, 19.87, frame["m1_a"].to_numpy(),
                                             frame["sd1_a"].to_numpy(), 30,
                                             frame["m1_b"].to_numpy(), frame["sd1_b"].to_numpy(),
                                             30, 0.4)
    np.testing.assert_allclose(estimate, fit["estimate"])
    np.testing.assert_allclose(variance, fit["se"] ** 2)
    np.testing.assert_allclose(df, fit["df"])
