"""Does a finding survive reasonable doubt? Estimands for the deaths, multiplicity over named
families, power and design errors, a delta-adjusted tipping point, and a Bayesian reading, from
the published summaries.

Libraries: statsmodels (``multipletests``: Holm, Benjamini-Hochberg), pingouin (power of the
t-test, JZS Bayes factors), scipy. Written here, since no maintained Python package does them:
Gelman & Carlin's (2014) retrodesign (type S and type M errors; the authors give R code, this is
the same calculation with the exaggeration ratio by simulation from a fixed seed), the
large-imputation limit of delta-adjusted multiple imputation (a closed form), delta-adjusted
multiple imputation from summaries with the model's parameters drawn (pooled by Rubin's rules
with Barnard & Rubin's df: statsmodels' MICE pools its own fits only), the ANCOVA's threshold in
the survivors' baseline gap, parallel gatekeeping (Dmitrienko et al. 2003), and the normal-normal
posterior under a sceptical or an empirical prior.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from . import effects

__all__ = ["multiplicity", "power_two_sample", "retrodesign", "ESTIMANDS", "delta_adjusted",
           "tipping_point", "tipping_grid", "rubin_pool", "delta_adjusted_mi",
           "tipping_point_mi", "ancova_gap_threshold", "prior_sd_over_variance", "bayes_factor",
           "normal_posterior",
           "sceptical_posterior", "prior_from_meta_analysis", "bayes_and_posterior",
           "excludes_zero", "family_table", "parallel_gatekeeping", "robust_to_family",
           "ROBUSTNESS", "robustness", "describe_survival"]


# ---------------------------------------------------------------------------------------------
# Multiplicity
# ---------------------------------------------------------------------------------------------

def multiplicity(tests: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Holm and Benjamini-Hochberg adjustment of a family of p-values (column ``p``).

    Returns the table with ``p_holm``, ``p_bh``, and whether each test is below ``alpha`` before
    and after each adjustment.

    Examples
    --------
    >>> table = multiplicity(pd.DataFrame({"p": [0.01, 0.02, 0.04]}))
    >>> table["p_holm"].round(3).tolist(), table["p_bh"].round(3).tolist()
    ([0.03, 0.04, 0.04], [0.03, 0.03, 0.04])
    """
    from statsmodels.stats.multitest import multipletests

    p = tests["p"].astype(float).to_numpy()
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    table = tests.copy()
    table["p_holm"] = multipletests(p, alpha=alpha, method="holm")[1]
    table["p_bh"] = multipletests(p, alpha=alpha, method="fdr_bh")[1]
    table["significant"] = p < alpha
    table["survives_holm"] = table["p_holm"] < alpha
    table["survives_bh"] = table["p_bh"] < alpha
    return table


# ---------------------------------------------------------------------------------------------
# Power, type S and type M errors
# ---------------------------------------------------------------------------------------------

def power_two_sample(d, n1, n2, alpha: float = 0.05) -> np.ndarray:
    """Power of a two-sided two-sample t-test for standardised effect ``d`` (pingouin).

    Examples
    --------
    >>> round(float(power_two_sample(0.8, 30, 30)[0]), 4)  # R pwr: 0.8614
    0.8614
    """
    import pingouin

    d, n1, n2 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                      for v in (d, n1, n2)))
    return np.array([pingouin.power_ttest2n(nx=a, ny=b, d=abs(c), alpha=alpha)
                     for c, a, b in zip(d, n1, n2)])


def retrodesign(true_effect, se, alpha: float = 0.05, draws: int = 100_000,
                seed: int = 2014) -> pd.DataFrame:
    """Gelman & Carlin (2014): power, type S error rate and exaggeration ratio (type M) of an
    estimate with standard error ``se`` when the true effect is ``true_effect``.

    Power and type S are exact (normal approximation, as in the paper); the exaggeration ratio
    E(|estimate| / |true effect| given significance) is estimated from ``draws`` normal draws
    with a fixed seed (vectorised).

    Examples
    --------
    Gelman & Carlin's beauty-and-sex-ratio example (true effect 0.1, SE 3.3): power about
    0.05, type S about 0.46, exaggeration about 77.

    >>> row = retrodesign(0.1, 3.3).iloc[0]
    >>> round(float(row["power"]), 3), round(float(row["type_s"]), 2)
    (0.05, 0.46)
    """
    true_effect, se = np.broadcast_arrays(np.atleast_1d(np.asarray(true_effect, dtype=float)),
                                          np.atleast_1d(np.asarray(se, dtype=float)))
    if (se <= 0).any():
        raise ValueError("standard errors must be positive")
    z = stats.norm.ppf(1 - alpha / 2)
    lam = true_effect / se
    upper = stats.norm.sf(z - lam)
    lower = stats.norm.cdf(-z - lam)
    power = upper + lower
    type_s = np.where(true_effect >= 0, lower, upper) / power
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(draws)
    estimates = true_effect[:, None] + se[:, None] * noise[None, :]
    significant = np.abs(estimates) > z * se[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        exaggeration = (np.where(significant, np.abs(estimates), 0).sum(axis=1)
                        / significant.sum(axis=1)) / np.abs(true_effect)
    return pd.DataFrame({"true_effect": true_effect, "se": se, "power": power,
                         "type_s": type_s, "exaggeration": exaggeration})


# ---------------------------------------------------------------------------------------------
# Deaths as intercurrent events: the estimands (ICH E9(R1))
# ---------------------------------------------------------------------------------------------

#: What each analysis of the chapter estimates when patients die before a follow-up, in the terms
#: of the ICH E9(R1) addendum (2019). Death ends the variable: no strategy can observe quality of
#: life after it, so each answers a different question.
ESTIMANDS = pd.DataFrame([
    dict(analysis="baseline-adjusted (ANCOVA) difference, survivors",
         strategy="while alive (survivors)", role="primary",
         population="patients alive at the follow-up; not a randomised comparison if the arms "
                    "changed who survived",
         summary="difference in means adjusted for the baseline (and its SMD), at an assumed "
                 "pre-post correlation r"),
    dict(analysis="difference at follow-up, survivors (r = 0)",
         strategy="while alive (survivors)", role="sensitivity",
         population="patients alive at the follow-up",
         summary="difference in means at follow-up, no baseline adjustment"),
    dict(analysis="tipping point (delta adjustment)",
         strategy="hypothetical", role="sensitivity",
         population="all randomised patients",
         summary="difference in means had the dead lived and scored their arm's survivors' mean "
                 "shifted by delta (multiple imputation with the model's parameters drawn, "
                 "Rubin's rules, Barnard-Rubin df; and its closed-form large-M limit)"),
    dict(analysis="worst-rank composite",
         strategy="composite", role="sensitivity",
         population="all randomised patients",
         summary="win probability (Mann-Whitney) with death ranked worse than any score "
                 "(Lachin 1999), bounded over the survivors' samples that fit the tables"),
    dict(analysis="treatment policy",
         strategy="treatment policy", role="not estimable",
         population="all randomised patients",
         summary="the score whatever happened: it does not exist after death"),
])


# ---------------------------------------------------------------------------------------------
# Hypothetical strategy: delta-adjusted tipping point
# ---------------------------------------------------------------------------------------------
#
# Multiple imputation of the dead patients' scores from their arm's survivors (a normal model),
# shifted by delta, combined by Rubin's rules. As the number of imputations grows, the combined
# estimate of an arm's mean over all n randomised is m + (n_missing / n) delta and its variance
# the survivors' s^2 / n_observed: imputation adds no information. So the delta-adjusted
# difference is the survivors' difference moved by (share missing in A) delta_A - (share missing
# in B) delta_B, with the survivors' standard error and degrees of freedom; at delta = 0 it is the
# survivors' comparison. The shift is linear, so the tipping delta has a closed form.

def _survivors_comparison(row: pd.Series, r: float | None):
    """Estimate, SE and df of the survivors' comparison: Welch at follow-up (``r`` None) or the
    ANCOVA at ``r``."""
    frame = row.to_frame().T
    if r is None:
        result = effects.mean_difference(*(np.asarray(v, dtype=float)
                                           for v in effects.arms_at(frame, "1")), welch=True)
    else:
        result = effects.ancova(frame, r)
    return (float(result["estimate"].iloc[0]), float(result["se"].iloc[0]),
            float(result["df"].iloc[0]))


def delta_adjusted(row: pd.Series, delta_a, delta_b=0.0, worse: float = 1.0,
                   r: float | None = None) -> pd.DataFrame:
    """The comparison over all randomised patients when each arm's missing (dead) patients are
    imputed at its survivors' mean made worse by ``delta_a`` (arm A) and ``delta_b`` (arm B)
    pooled follow-up SDs, in the large-M limit of multiple imputation under Rubin's rules (see
    the comment above). ``worse`` is the sign of a worse score (+1 when higher is worse); ``r``
    None compares the follow-up scores (Welch), a number the baseline-adjusted difference.

    Returns ``delta_a, delta_b, estimate, se, df, p`` (vectorised over the deltas).

    Examples
    --------
    At delta 0 the p is the survivors' own (survivors 15.44 (8.6) against 24.95 (12.8), 18 of
    30 in each arm; Welch p 0.0138):

    >>> row = pd.Series(dict(m0_a=24.7, sd0_a=10.8, n0_a=30, m1_a=15.44, sd1_a=8.6, n1_a=18,
    ...                      m0_b=24.13, sd0_b=12.1, n0_b=30, m1_b=24.95, sd1_b=12.8, n1_b=18))
    >>> round(float(delta_adjusted(row, 0.0)["p"].iloc[0]), 4)
    0.0138
    """
    estimate, se, df = _survivors_comparison(row, r)
    sd = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    share_a = (float(row["n0_a"]) - float(row["n1_a"])) / float(row["n0_a"])
    share_b = (float(row["n0_b"]) - float(row["n1_b"])) / float(row["n0_b"])
    delta_a, delta_b = np.broadcast_arrays(np.atleast_1d(np.asarray(delta_a, dtype=float)),
                                           np.atleast_1d(np.asarray(delta_b, dtype=float)))
    shifted = estimate + worse * sd * (share_a * delta_a - share_b * delta_b)
    t = shifted / se
    return pd.DataFrame({"delta_a": delta_a, "delta_b": delta_b, "estimate": shifted,
                         "se": np.full_like(shifted, se), "df": np.full_like(shifted, df),
                         "p": 2 * stats.t.sf(np.abs(t), df)})


def tipping_point(row: pd.Series, alpha: float = 0.05, worse: float = 1.0,
                  r: float | None = None) -> dict:
    """How much worse than its survivors arm A's dead patients would have had to score (in pooled
    follow-up SDs; arm B's dead at its survivors' mean) for the comparison over all randomised
    patients to stop being significant: a hypothetical estimand (:func:`delta_adjusted`).

    Returns the survivors' p (which is also the p at delta 0), the tipping delta in SDs and in
    score points (NaN when the survivors' comparison is not significant, or when it favours arm
    B, so that a worse arm A only strengthens it), the missing counts and the pooled SD.

    Examples
    --------
    Survivors 15.44 (8.6) against 24.95 (12.8), 18 of 30 in each arm, Welch at follow-up: the
    difference -9.51 must shrink to t(29.75; 0.975) * SE = 2.0425 * 3.635 = 7.425 points; arm A
    lost 12 of 30, so its dead must be (9.51 - 7.425) / (0.4 * 10.904) = 0.478 pooled SDs worse.

    >>> row = pd.Series(dict(m0_a=24.7, sd0_a=10.8, n0_a=30, m1_a=15.44, sd1_a=8.6, n1_a=18,
    ...                      m0_b=24.13, sd0_b=12.1, n0_b=30, m1_b=24.95, sd1_b=12.8, n1_b=18))
    >>> round(tipping_point(row)["tipping_delta_sd"], 3)
    0.478
    """
    estimate, se, df = _survivors_comparison(row, r)
    sd = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    missing_a = int(row["n0_a"] - row["n1_a"])
    share_a = missing_a / float(row["n0_a"])
    p_survivors = float(2 * stats.t.sf(abs(estimate / se), df))
    critical = float(stats.t.ppf(1 - alpha / 2, df))
    favours_a = worse * estimate < 0  # arm A's scores are the better ones
    tipping = np.nan
    if p_survivors < alpha and favours_a and share_a > 0:
        tipping = (abs(estimate) - critical * se) / (share_a * sd)
    return dict(p_survivors=p_survivors,
                p_delta_zero=float(delta_adjusted(row, 0.0, 0.0, worse, r)["p"].iloc[0]),
                tipping_delta_sd=float(tipping), tipping_delta_points=float(tipping * sd),
                missing_a=missing_a, missing_b=int(row["n0_b"] - row["n1_b"]), pooled_sd=sd)


def tipping_grid(row: pd.Series, deltas, worse: float = 1.0, r: float | None = None
                 ) -> pd.DataFrame:
    """p over a square grid of deltas (arm A by arm B, pooled SDs) for a contour figure: long
    form ``delta_a, delta_b, estimate, se, df, p``."""
    deltas = np.asarray(deltas, dtype=float)
    grid_a, grid_b = np.meshgrid(deltas, deltas, indexing="ij")
    return delta_adjusted(row, grid_a.ravel(), grid_b.ravel(), worse, r)


# ---------------------------------------------------------------------------------------------
# Hypothetical strategy with parameter uncertainty: delta-adjusted multiple imputation
# ---------------------------------------------------------------------------------------------
#
# The closed form above holds each arm's SD at its survivors' value. Proper multiple imputation
# draws the imputation model's parameters from their posterior first (Rubin 1987, normal model
# with the reference prior): per arm sigma^2 ~ (n_obs - 1) s^2 / chi^2(n_obs - 1) and
# mu | sigma^2 ~ N(m, sigma^2 / n_obs). The dead of an arm are then imputed, not one by one but
# as their exact summary, which is all a summary-data analysis uses: their mean
# ~ N(mu + shift, sigma^2 / n_mis) and their sum of squares about it ~ sigma^2 chi^2(n_mis - 1),
# the shift being delta pooled follow-up SDs of the survivors (the closed form's unit) in arm A.
# For the ANCOVA the means are drawn with the residual variance sigma^2 (1 - r^2) (the imputation
# model conditions on the baseline, whose mean among the dead is the randomised one, as the
# summary ANCOVA assumes), and the sum of squares with the marginal sigma^2.
# Each completed data set (all randomised patients) is analysed as the survivors are (Welch at
# follow-up, or the ANCOVA from summaries at r), and the M analyses are pooled by Rubin's rules
# with Barnard & Rubin's (1999) small-sample degrees of freedom. The standard draws are made once
# per seed, so every delta sees the same random numbers (common random numbers) and the pooled p
# is a smooth function of delta whose crossing of alpha a root-finder finds.

def rubin_pool(estimates, variances, df_complete) -> dict:
    """Rubin's rules with Barnard & Rubin's (1999) small-sample degrees of freedom.

    ``estimates`` and ``variances`` hold the M complete-data estimates and their squared standard
    errors along the last axis; ``df_complete`` is the complete-data degrees of freedom (a number
    or one per imputation, averaged). With ``Qbar`` and ``Ubar`` their means and ``B`` the
    between-imputation variance, the total variance is ``T = Ubar + (1 + 1/M) B``; with
    ``lambda = (1 + 1/M) B / T``, ``nu_old = (M - 1) / lambda^2``,
    ``nu_obs = (nu_com + 1) / (nu_com + 3) nu_com (1 - lambda)`` and
    ``nu = 1 / (1 / nu_old + 1 / nu_obs)``. Written here: statsmodels' MICE pools its own fits
    but offers no pooling of given estimates with the Barnard-Rubin df.

    Returns ``estimate, within, between, total, se, fmi`` (lambda), ``df``, ``t``, ``p``.

    Examples
    --------
    Three imputations, estimates 1, 2, 3 with variances 1, 1, 1 and 10 complete-data df:
    B = 1, T = 1 + 4/3 = 7/3, lambda = 4/7, nu_old = 2 / (4/7)^2 = 6.125,
    nu_obs = 11/13 * 10 * 3/7 = 3.626, nu = 2.278:

    >>> pooled = rubin_pool([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], 10)
    >>> round(float(pooled["total"]), 4), round(float(pooled["df"]), 3)
    (2.3333, 2.278)
    """
    q = np.asarray(estimates, dtype=float)
    u = np.asarray(variances, dtype=float)
    m = q.shape[-1]
    if m < 2:
        raise ValueError("Rubin's rules need at least two imputations")
    nu_com = np.asarray(df_complete, dtype=float)
    if nu_com.ndim and nu_com.shape[-1] == m:
        nu_com = nu_com.mean(axis=-1)
    q_bar = q.mean(axis=-1)
    u_bar = u.mean(axis=-1)
    between = q.var(axis=-1, ddof=1)
    return _pooled(q_bar, u_bar, between, m, nu_com)


def _pooled(q_bar, u_bar, between, m, nu_com) -> dict:
    """Rubin's total variance, Barnard-Rubin df and p from the pooled moments."""
    total = u_bar + (1 + 1 / m) * between
    lam = np.clip((1 + 1 / m) * between / total, 1e-12, 1.0)
    nu_old = (m - 1) / lam**2
    nu_obs = (nu_com + 1) / (nu_com + 3) * nu_com * (1 - lam)
    with np.errstate(divide="ignore"):
        nu = 1 / (1 / nu_old + 1 / nu_obs)
    t = q_bar / np.sqrt(total)
    return dict(estimate=q_bar, within=u_bar, between=between, total=total,
                se=np.sqrt(total), fmi=lam, df=nu, t=t, p=2 * stats.t.sf(np.abs(t), nu))


def _mi_draws(row: pd.Series, imputations: int, seed: int, draw_sigma: bool,
              r: float | None = None) -> dict:
    """The draws of :func:`delta_adjusted_mi`, per arm: ``sigma2`` (M), ``mu`` (M), the standard
    normal of the missing mean and the chi-square of their sum of squares. With ``r`` (the
    ANCOVA), the means are drawn with the residual variance ``sigma2 (1 - r^2)``: the dead's
    baselines are known to the imputation model (their mean is the randomised one, as the
    summary ANCOVA assumes of the survivors), so only the residual is uncertain."""
    rng = np.random.default_rng(seed)
    draws = {}
    for arm in "ab":
        n_obs, n_all = int(row[f"n1_{arm}"]), int(row[f"n0_{arm}"])
        n_mis = n_all - n_obs
        s2 = float(row[f"sd1_{arm}"]) ** 2
        chi_obs = rng.chisquare(n_obs - 1, imputations)
        sigma2 = (n_obs - 1) * s2 / chi_obs if draw_sigma else np.full(imputations, s2)
        residual = 1.0 if r is None else 1.0 - float(r) ** 2
        mu = (float(row[f"m1_{arm}"])
              + np.sqrt(sigma2 * residual / n_obs) * rng.standard_normal(imputations))
        z_mis = rng.standard_normal(imputations) * np.sqrt(residual)
        chi_mis = rng.chisquare(n_mis - 1, imputations) if n_mis > 1 else np.zeros(imputations)
        draws[arm] = dict(n_obs=n_obs, n_mis=n_mis, m=float(row[f"m1_{arm}"]), s2=s2,
                          sigma2=sigma2, mu=mu, z_mis=z_mis, chi_mis=chi_mis)
    return draws


def _completed(arm: dict, shift) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean and SD over all randomised patients of one arm, its dead imputed with ``shift``
    (score points; broadcast against the imputations along the last axis)."""
    n_obs, n_mis = arm["n_obs"], arm["n_mis"]
    n = n_obs + n_mis
    if n_mis == 0:
        shape = np.broadcast(np.asarray(shift), arm["mu"]).shape
        return np.full(shape, arm["m"]), np.full(shape, np.sqrt(arm["s2"])), n
    mis_mean = arm["mu"] + np.asarray(shift) + np.sqrt(arm["sigma2"] / n_mis) * arm["z_mis"]
    mis_ss = arm["sigma2"] * arm["chi_mis"]
    mean = (n_obs * arm["m"] + n_mis * mis_mean) / n
    ss = (n_obs - 1) * arm["s2"] + mis_ss + n_obs * n_mis / n * (arm["m"] - mis_mean) ** 2
    return mean, np.sqrt(ss / (n - 1)), n


def _complete_analyses(row: pd.Series, draws: dict, shift_a, shift_b, r: float | None):
    """Estimates, variances and complete-data df of each completed data set (Welch at follow-up
    when ``r`` is None, else the ANCOVA from summaries at ``r``)."""
    mean_a, sd_a, n_a = _completed(draws["a"], shift_a)
    mean_b, sd_b, n_b = _completed(draws["b"], shift_b)
    mean_a, sd_a, mean_b, sd_b = np.broadcast_arrays(mean_a, sd_a, mean_b, sd_b)
    if r is None:
        va, vb = sd_a**2 / n_a, sd_b**2 / n_b
        df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
        return mean_a - mean_b, va + vb, df
    return _ancova_moments(float(row["m0_a"]), float(row["sd0_a"]), float(row["m0_b"]),
                           float(row["sd0_b"]), mean_a, sd_a, n_a, mean_b, sd_b, n_b, float(r))


def _ancova_moments(m0_a, sd0_a, m0_b, sd0_b, m1_a, sd1_a, n_a, m1_b, sd1_b, n_b, r):
    """Estimate, variance and df of :func:`helpers.methods.effects.ancova` (the same formula,
    without its p-values and intervals, which cost a t quantile per imputation and are not
    needed before pooling; ``tests/test_sensitivity_mi.py`` checks that the two agree)."""
    ss_x = (n_a - 1) * sd0_a**2 + (n_b - 1) * sd0_b**2
    ss_y = (n_a - 1) * sd1_a**2 + (n_b - 1) * sd1_b**2
    ss_xy = r * ((n_a - 1) * sd0_a * sd1_a + (n_b - 1) * sd0_b * sd1_b)
    gap = m0_a - m0_b
    estimate = m1_a - m1_b - ss_xy / ss_x * gap
    df = n_a + n_b - 3
    residual = (ss_y - ss_xy**2 / ss_x) / df
    return (estimate, residual * (1 / n_a + 1 / n_b + gap**2 / ss_x),
            np.full(np.shape(estimate), float(df)))


def delta_adjusted_mi(row: pd.Series, delta_a, delta_b=0.0, worse: float = 1.0,
                      r: float | None = None, imputations: int = 1000, seed: int = 2014,
                      draw_sigma: bool = True) -> pd.DataFrame:
    """Delta-adjusted multiple imputation of the dead from the summaries, with the imputation
    model's mean and (``draw_sigma``) variance drawn from their posterior, pooled by Rubin's rules
    with the Barnard-Rubin df (see the comment above; :func:`rubin_pool`). The deltas are in
    pooled follow-up SDs of the survivors, as in :func:`delta_adjusted`; ``worse`` is the sign of
    a worse score. The same ``seed`` gives the same draws for every delta.

    Returns ``delta_a, delta_b, estimate, se, df, fmi, p`` (one row per pair of deltas).

    Examples
    --------
    A six-month follow-up with 18 of 30 alive in each arm, the dead imputed at their
    survivors' means: the pooled difference is near the survivors' -9.51 and still significant:

    >>> row = pd.Series(dict(m0_a=24.7, sd0_a=10.8, n0_a=30, m1_a=15.44, sd1_a=8.6, n1_a=18,
    ...                      m0_b=24.13, sd0_b=12.1, n0_b=30, m1_b=24.95, sd1_b=12.8, n1_b=18))
    >>> out = delta_adjusted_mi(row, 0.0, imputations=2000).iloc[0]
    >>> bool(abs(out["estimate"] + 9.51) < 0.3), bool(out["p"] < 0.05)
    (True, True)
    """
    draws = _mi_draws(row, int(imputations), seed, draw_sigma, r)
    sd = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    delta_a, delta_b = np.broadcast_arrays(np.atleast_1d(np.asarray(delta_a, dtype=float)),
                                           np.atleast_1d(np.asarray(delta_b, dtype=float)))
    q, u, df = _complete_analyses(row, draws, worse * sd * delta_a[:, None],
                                  worse * sd * delta_b[:, None], r)
    pooled = rubin_pool(q, u, df)
    return pd.DataFrame({"delta_a": delta_a, "delta_b": delta_b, "estimate": pooled["estimate"],
                         "se": pooled["se"], "df": pooled["df"], "fmi": pooled["fmi"],
                         "p": pooled["p"]})


def _mi_tipping(row, draws, sd, worse, r, alpha, upper):
    """The tipping delta of one set of draws (brentq on the pooled p; NaN if not bracketed)."""
    def gap(delta):
        q, u, df = _complete_analyses(row, draws, worse * sd * delta, 0.0, r)
        return float(rubin_pool(q, u, df)["p"]) - alpha

    if gap(0.0) >= 0:
        return np.nan
    high = upper
    while gap(high) < 0:
        high *= 2
        if high > 64:
            return np.nan
    return optimize.brentq(gap, 0.0, high, xtol=1e-6)


def _bootstrap_tipping(row, draws, sd, worse, r, alpha, tip, replicates, rng, width=0.15,
                       step=0.005):
    """Tipping deltas of bootstrap resamples of the imputations (common grid around ``tip``,
    counts by multinomial resampling, linear interpolation of the pooled p). The grid widens
    until it holds the crossing of nearly every resample."""
    m = draws["a"]["mu"].size
    counts = np.bincount((rng.integers(0, m, (replicates, m))
                          + np.arange(replicates)[:, None] * m).ravel(),
                         minlength=replicates * m).reshape(replicates, m).astype(float)
    while True:
        tips = _grid_tipping(row, draws, sd, worse, r, alpha, tip, counts, width, step)
        if np.isnan(tips).mean() <= 0.01 or width > 4:
            return tips
        width *= 2


def _grid_tipping(row, draws, sd, worse, r, alpha, tip, counts, width, step):
    """:func:`_bootstrap_tipping` on one grid."""
    m = counts.shape[1]
    replicates = counts.shape[0]
    grid = tip + np.arange(-width, width + step / 2, step)
    q, u, df = _complete_analyses(row, draws, worse * sd * grid[:, None], 0.0, r)
    q_bar = counts @ q.T / m
    u_bar = counts @ u.T / m
    between = (counts @ (q**2).T - m * q_bar**2) / (m - 1)
    nu_com = (counts @ df.T / m) if df.ndim == 2 else np.full_like(q_bar, float(np.mean(df)))
    p = _pooled(q_bar, u_bar, between, m, nu_com)["p"]
    tips = np.full(replicates, np.nan)
    for b in range(replicates):
        above = np.nonzero(p[b] >= alpha)[0]
        if len(above) == 0 or above[0] == 0:
            continue  # the crossing lies outside the grid: no value from this replicate
        i = above[0]
        x0, x1, y0, y1 = grid[i - 1], grid[i], p[b, i - 1], p[b, i]
        tips[b] = x0 + (alpha - y0) * (x1 - x0) / (y1 - y0)
    return tips


def tipping_point_mi(row: pd.Series, alpha: float = 0.05, worse: float = 1.0,
                     r: float | None = None, *, seed: int = 2014, target_mcse: float = 0.01,
                     pilot: int = 2000, replicates: int = 200, max_imputations: int = 200_000,
                     draw_sigma: bool = True) -> dict:
    """The tipping delta of :func:`tipping_point` by delta-adjusted multiple imputation with
    parameter uncertainty (:func:`delta_adjusted_mi`): the smallest delta (pooled follow-up SDs,
    arm A's dead only) at which the pooled p reaches ``alpha``, found by root-finding on common
    random numbers.

    The number of imputations M is chosen so that the tipping delta's Monte Carlo standard error
    is below ``target_mcse``: a pilot with ``pilot`` imputations estimates the MCSE (the SD of
    the tipping delta over ``replicates`` bootstrap resamples of the imputations), M grows as
    the square of the ratio, and the MCSE is estimated again at the final M (and M grown again
    if needed). NaN where the survivors' comparison is not significant or favours arm B.

    Returns ``tipping_delta_sd``, ``mcse``, ``imputations``, ``p_delta_zero`` (the pooled p at
    delta 0) and ``closed_form`` (:func:`tipping_point`'s delta, sigma fixed, M infinite).

    Examples
    --------
    The same follow-up, Welch at follow-up: the closed form's 0.478 shrinks once sigma is
    drawn:

    >>> row = pd.Series(dict(m0_a=24.7, sd0_a=10.8, n0_a=30, m1_a=15.44, sd1_a=8.6, n1_a=18,
    ...                      m0_b=24.13, sd0_b=12.1, n0_b=30, m1_b=24.95, sd1_b=12.8, n1_b=18))
    >>> out = tipping_point_mi(row, target_mcse=0.02, replicates=50)
    >>> bool(0.35 < out["tipping_delta_sd"] < out["closed_form"]), bool(out["mcse"] < 0.02)
    (True, True)
    """
    closed = tipping_point(row, alpha, worse, r)
    out = dict(tipping_delta_sd=np.nan, mcse=np.nan, imputations=0, p_delta_zero=np.nan,
               closed_form=closed["tipping_delta_sd"])
    if np.isnan(closed["tipping_delta_sd"]):
        return out
    sd = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    rng = np.random.default_rng([seed, 1])  # the bootstrap's own stream
    imputations = int(pilot)
    upper = max(2 * closed["tipping_delta_sd"], 0.5)
    while True:
        draws = _mi_draws(row, imputations, seed, draw_sigma, r)
        tip = _mi_tipping(row, draws, sd, worse, r, alpha, upper)
        if np.isnan(tip):
            return out
        mcse = float(np.nanstd(_bootstrap_tipping(row, draws, sd, worse, r, alpha, tip,
                                                  replicates, rng), ddof=1))
        if mcse < target_mcse or imputations >= max_imputations:
            break
        imputations = min(int(np.ceil(imputations * (mcse / (0.9 * target_mcse)) ** 2
                                      / 1000) * 1000), int(max_imputations))
    q, u, df = _complete_analyses(row, draws, 0.0, 0.0, r)
    out.update(tipping_delta_sd=float(tip), mcse=mcse, imputations=imputations,
               p_delta_zero=float(rubin_pool(q, u, df)["p"]))
    return out


# ---------------------------------------------------------------------------------------------
# The ANCOVA's unprinted input: the survivors' baseline gap
# ---------------------------------------------------------------------------------------------
#
# The ANCOVA from summaries (helpers.methods.effects.ancova) adjusts by the baseline gap of all
# randomised patients, since the tables print no survivors' baseline. The survivors' gap g enters
# the estimate d - b g and its variance s2 (1/nA + 1/nB + g^2 / SSx); p = alpha where
# (d - b g)^2 = c^2 s2 (1/nA + 1/nB + g^2 / SSx), c the t quantile: a quadratic in g.

def ancova_gap_threshold(frame: pd.DataFrame, r: float, alpha: float = 0.05,
                         level: float = 0.95) -> pd.DataFrame:
    """For each row, the survivors' baseline gap (arm A minus arm B) at which the ANCOVA's p
    (:func:`helpers.methods.effects.ancova` at ``r``) crosses ``alpha``, and the gaps a subgroup
    of the survivors' size can have.

    ``gap_threshold`` is the root of the quadratic (see the comment above) nearest the printed
    (randomised) gap; NaN where the ANCOVA at the printed gap is not significant. ``p_gap_zero``
    is the p had the survivors not differed at baseline. Under random attrition the survivors'
    mean of an arm (n_s of N) differs from its randomised mean by a draw without replacement,
    SD ``sd0 sqrt(1/n_s - 1/N)`` (finite population); ``gap_low``/``gap_high`` are the central
    ``level`` of the survivors' gap (normal), ``p_beyond_threshold`` the chance it lies on the
    other side of the threshold. ``extreme_sd_a`` (and ``_b``) is the farthest a subgroup of n_s
    of N can sit from the whole group's mean, in SDs: ``sqrt((N - 1)(N - n_s) / (n_s N))``
    (the subgroup at one end, the rest at the other).

    Examples
    --------
    A scale at six months (baselines 69.26 and 57.59 of 30 each, survivors 41.05
    and 50.93 of 18 each, r = 0.5): significant at the printed gap 11.67; a gap of 3.76 or less
    would not be, and 18 of 30 can sit 0.80 SD from their arm's mean:

    >>> row = pd.DataFrame([dict(m0_a=69.26, sd0_a=17.0, n0_a=30, m1_a=41.05, sd1_a=19.1, n1_a=18,
    ...                          m0_b=57.59, sd0_b=19.87, n0_b=30, m1_b=50.93, sd1_b=20.55,
    ...                          n1_b=18)])
    >>> out = ancova_gap_threshold(row, 0.5).iloc[0]
    >>> round(float(out["gap_threshold"]), 2), round(float(out["p_gap_zero"]), 3)
    (3.76, 0.099)
    >>> round(float(out["extreme_sd_a"]), 2)
    0.8
    """
    fit = effects.ancova(frame, r)
    n_a, n_b = (np.asarray(frame[f"n1_{arm}"], dtype=float) for arm in "ab")
    big_a, big_b = (np.asarray(frame[f"n0_{arm}"], dtype=float) for arm in "ab")
    sd0_a, sd0_b = (np.asarray(frame[f"sd0_{arm}"], dtype=float) for arm in "ab")
    ss_x = (n_a - 1) * sd0_a**2 + (n_b - 1) * sd0_b**2
    slope = fit["slope"].to_numpy()
    s2 = fit["residual_sd"].to_numpy() ** 2
    df = fit["df"].to_numpy()
    gap = np.asarray(frame["m0_a"] - frame["m0_b"], dtype=float)
    difference = np.asarray(frame["m1_a"] - frame["m1_b"], dtype=float)
    c2 = stats.t.ppf(1 - alpha / 2, df) ** 2
    k = 1 / n_a + 1 / n_b
    qa = slope**2 - c2 * s2 / ss_x
    qb = -2 * difference * slope
    qc = difference**2 - c2 * s2 * k
    threshold = np.full(len(gap), np.nan)
    for i in range(len(gap)):
        if not fit["p_value"].iloc[i] < alpha:
            continue
        roots = np.roots([qa[i], qb[i], qc[i]]) if qa[i] != 0 else np.array([-qc[i] / qb[i]])
        roots = roots[np.isreal(roots)].real
        if len(roots):
            threshold[i] = roots[np.argmin(np.abs(roots - gap[i]))]
    se_zero = np.sqrt(s2 * k)
    p_zero = 2 * stats.t.sf(np.abs(difference) / se_zero, df)
    spread = np.sqrt(sd0_a**2 * (1 / n_a - 1 / big_a) + sd0_b**2 * (1 / n_b - 1 / big_b))
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        beyond = np.where(threshold < gap, stats.norm.cdf((threshold - gap) / spread),
                          stats.norm.sf((threshold - gap) / spread))
    beyond = np.where(np.isnan(threshold), np.nan, beyond)
    return pd.DataFrame({"gap_printed": gap, "gap_threshold": threshold, "p_printed_gap":
                         fit["p_value"].to_numpy(), "p_gap_zero": p_zero, "gap_sd": spread,
                         "gap_low": gap - z * spread, "gap_high": gap + z * spread,
                         "p_beyond_threshold": beyond,
                         "extreme_sd_a": np.sqrt((big_a - 1) * (big_a - n_a) / (n_a * big_a)),
                         "extreme_sd_b": np.sqrt((big_b - 1) * (big_b - n_b) / (n_b * big_b))})


def prior_sd_over_variance(pooled, ci_low, ci_high, i2: float, variances,
                           level: float = 0.95) -> np.ndarray:
    """The empirical prior's SD (:func:`prior_from_meta_analysis`) when tau^2 is read from I^2
    through a typical within-study variance v instead of the number of studies:
    I^2 = tau^2 / (tau^2 + v), so tau^2 = v I^2 / (1 - I^2), and SD = sqrt(tau^2 + SE^2).

    Examples
    --------
    I^2 = 61%, pooled 0.35 (0.15 to 0.54): SE = 0.0995; v = 0.04 gives tau^2 = 0.0626 and SD
    0.27, v = 0.10 gives SD 0.41:

    >>> prior_sd_over_variance(0.35, 0.15, 0.54, 0.61, [0.04, 0.10]).round(2).tolist()
    [0.27, 0.41]
    """
    if not 0 <= i2 < 1:
        raise ValueError(f"I^2 is a share in [0, 1), got {i2}")
    if not ci_low < pooled < ci_high:
        raise ValueError("the pooled effect must lie inside its confidence interval")
    se = (ci_high - ci_low) / (2 * stats.norm.ppf(0.5 + level / 2))
    v = np.asarray(variances, dtype=float)
    return np.sqrt(v * i2 / (1 - i2) + se**2)


# ---------------------------------------------------------------------------------------------
# Bayesian reading
# ---------------------------------------------------------------------------------------------

def bayes_factor(t, n1, n2, prior_scale: float = 0.707) -> np.ndarray:
    """JZS Bayes factor BF10 of a two-sample t statistic (pingouin.bayesfactor_ttest; Rouder et
    al. 2009), Cauchy prior scale ``prior_scale`` on the standardised effect."""
    import pingouin

    t, n1, n2 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                      for v in (t, n1, n2)))
    return np.array([float(pingouin.bayesfactor_ttest(a, int(b), int(c), r=prior_scale))
                     for a, b, c in zip(t, n1, n2)])


def normal_posterior(estimate, se, prior_mean=0.0, prior_sd: float = 0.35,
                     better=None) -> pd.DataFrame:
    """Normal-normal posterior of a standardised effect with prior N(prior_mean, prior_sd^2):
    mean, SD, 95% interval and ``p_benefit_a``, the probability that the true effect favours
    arm A in the direction ``better`` (``"lower"``: below 0; ``"higher"``: above 0; anything
    else: NaN, the direction is not known). ``prior_mean`` may differ per row.

    Examples
    --------
    A sceptical prior N(0, 0.35^2) and an estimate -0.8 with SE 0.35 meet halfway:

    >>> row = normal_posterior(-0.8, 0.35, 0.0, 0.35, better="lower").iloc[0]
    >>> round(float(row["mean"]), 2), round(float(row["sd"]), 3), round(float(row["p_benefit_a"]), 3)
    (-0.4, 0.247, 0.947)
    """
    estimate, se, prior_mean = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (estimate, se, prior_mean)))
    if prior_sd <= 0:
        raise ValueError("the prior SD must be positive")
    if (se <= 0).any():
        raise ValueError("standard errors must be positive")
    weight = prior_sd**2 / (prior_sd**2 + se**2)
    mean = weight * estimate + (1 - weight) * prior_mean
    sd = np.sqrt(weight) * se
    below = stats.norm.cdf(0, loc=mean, scale=sd)
    ways = np.broadcast_to(np.asarray(["lower"] if better is None else better, dtype=object),
                           mean.shape)
    benefit = np.where(ways == "lower", below, np.where(ways == "higher", 1 - below, np.nan))
    return pd.DataFrame({"mean": mean, "sd": sd, "ci_low": mean - 1.96 * sd,
                         "ci_high": mean + 1.96 * sd, "p_benefit_a": benefit})


def sceptical_posterior(estimate, se, prior_sd: float, better=None) -> pd.DataFrame:
    """:func:`normal_posterior` with a sceptical prior N(0, prior_sd^2).

    Examples
    --------
    >>> row = sceptical_posterior(-0.8, 0.35, 0.35).iloc[0]
    >>> round(float(row["mean"]), 2), round(float(row["sd"]), 3)
    (-0.4, 0.247)
    """
    return normal_posterior(estimate, se, 0.0, prior_sd, better)


def prior_from_meta_analysis(pooled, ci_low, ci_high, *, tau2: float | None = None,
                             i2: float | None = None, k: int | None = None,
                             level: float = 0.95) -> dict:
    """An empirical prior for a new trial's true standardised effect from a random-effects
    meta-analysis: N(pooled, tau^2 + SE^2), the predictive distribution of a new study's true
    effect, with the SE of the pooled effect read from its CI (normal, ``level``).

    When the meta-analysis prints no tau^2, it is approximated from I^2 and the number of
    studies k, assuming studies of similar precision v: then SE^2 = (v + tau^2) / k and
    I^2 = tau^2 / (v + tau^2) (Higgins & Thompson 2002), so tau^2 = I^2 k SE^2. ``method`` says
    which was used.

    Examples
    --------
    A pooled SMD of 0.35 (95% CI 0.15 to 0.54), I^2 = 61% over 18 trials: SE = 0.39 / 3.92 =
    0.0995, tau^2 = 0.61 * 18 * 0.0995^2 = 0.1087, SD = sqrt(0.1087 + 0.0099) = 0.344:

    >>> prior = prior_from_meta_analysis(0.35, 0.15, 0.54, i2=0.61, k=18)
    >>> round(prior["tau2"], 4), round(prior["sd"], 3)
    (0.1087, 0.344)
    """
    if not ci_low < pooled < ci_high:
        raise ValueError("the pooled effect must lie inside its confidence interval")
    se = (ci_high - ci_low) / (2 * stats.norm.ppf(0.5 + level / 2))
    if tau2 is not None and not pd.isna(tau2):
        method = "tau^2 as printed"
    elif i2 is not None and k is not None and not pd.isna(i2) and not pd.isna(k):
        if not 0 <= i2 < 1:
            raise ValueError(f"I^2 is a share in [0, 1), got {i2}")
        tau2 = float(i2) * int(k) * se**2
        method = "tau^2 = I^2 k SE^2 (studies of similar precision)"
    else:
        raise ValueError("give tau^2, or I^2 with the number of studies k")
    if tau2 < 0:
        raise ValueError("tau^2 cannot be negative")
    return dict(mean=float(pooled), sd=float(np.sqrt(tau2 + se**2)), se=float(se),
                tau2=float(tau2), method=method)


# ---------------------------------------------------------------------------------------------
# The family of published tests, and what survives
# ---------------------------------------------------------------------------------------------

def bayes_and_posterior(frame: pd.DataFrame, r: float, prior_scale: float, prior_sd: float,
                        better=None, empirical_prior: dict | None = None) -> pd.DataFrame:
    """For each test, on the primary estimand (the baseline-adjusted difference at ``r``, as an
    SMD: :func:`helpers.methods.effects.ancova_smd`): the JZS Bayes factor of its t statistic (an
    approximation: the two-sample JZS factor with the follow-up n), and the posterior under a
    sceptical prior N(0, ``prior_sd``^2) and, when given, under an empirical prior
    (``empirical_prior``: ``mean``, the benefit of exercise as a positive number of SDs, and
    ``sd``), whose mean points to benefit for arm A in each row's ``better`` direction. Also the
    follow-up comparison's Bayes factor (Welch t, survivors, r = 0) for reference.

    ``better`` gives, per row, which way is better (``"lower"``, ``"higher"``, or ``""`` where it
    depends on how the data are read); ``p_benefit_*`` is the posterior probability that the
    effect favours arm A that way, NaN where the direction is not known, and the empirical
    posterior is NaN there too. Default: lower is better on every row.
    """
    follow_up = effects.mean_difference(*effects.arms_at(frame, "1"), welch=True)
    adjusted = effects.ancova(frame, r)
    smd = effects.ancova_smd(frame, r)
    ways = np.asarray(["lower"] * len(frame) if better is None else list(better), dtype=object)
    out = pd.DataFrame({"label": frame["label"].to_numpy(), "better": ways})
    out["bf10_follow_up"] = bayes_factor(follow_up["t"], frame["n1_a"], frame["n1_b"],
                                         prior_scale)
    out["bf10_ancova"] = bayes_factor(adjusted["t"], frame["n1_a"], frame["n1_b"], prior_scale)
    out["ancova_smd"] = smd["smd"].to_numpy()
    out["ancova_smd_se"] = smd["se"].to_numpy()
    sceptic = normal_posterior(smd["smd"], smd["se"], 0.0, prior_sd, ways)
    for column in ("mean", "ci_low", "ci_high", "p_benefit_a"):
        out[f"sceptical_{column}"] = sceptic[column].to_numpy()
    if empirical_prior is not None:
        sign = np.where(ways == "lower", -1.0, np.where(ways == "higher", 1.0, np.nan))
        mean = sign * abs(float(empirical_prior["mean"]))
        known = ~np.isnan(mean)
        empirical = normal_posterior(smd["smd"], smd["se"], np.where(known, mean, 0.0),
                                     float(empirical_prior["sd"]), ways)
        for column in ("mean", "ci_low", "ci_high", "p_benefit_a"):
            out[f"empirical_{column}"] = np.where(known, empirical[column].to_numpy(), np.nan)
        out["empirical_prior_mean"] = mean
    return out


def excludes_zero(low, high) -> np.ndarray:
    """Whether each interval [low, high] lies wholly on one side of zero."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return (low > 0) | (high < 0)


# ---------------------------------------------------------------------------------------------
# Multiplicity as a sensitivity analysis: families and a gatekeeping scheme
# ---------------------------------------------------------------------------------------------

def family_table(tests: pd.DataFrame, families: dict[str, np.ndarray], alpha: float = 0.05
                 ) -> pd.DataFrame:
    """Holm and Benjamini-Hochberg within each family of tests (statsmodels), in long form:
    ``family, size, method, claim_id, label, p, p_adjusted, rejected``. ``families`` maps a
    family's name to a boolean mask over the rows of ``tests`` (columns ``claim_id, label, p``).

    Examples
    --------
    Holm over three tests rejects one (0.01 * 3, then 0.03 * 2 = 0.06); BH all three; over the
    first two both reject both (0.02, 0.03):

    >>> tests = pd.DataFrame({"claim_id": ["a", "b", "c"], "label": ["a", "b", "c"],
    ...                       "p": [0.01, 0.03, 0.04]})
    >>> table = family_table(tests, {"all": np.array([True, True, True]),
    ...                              "first two": np.array([True, True, False])})
    >>> table.groupby(["family", "method"])["rejected"].sum().to_dict()
    {('all', 'BH'): 3, ('all', 'Holm'): 1, ('first two', 'BH'): 2, ('first two', 'Holm'): 2}
    """
    from statsmodels.stats.multitest import multipletests

    rows = []
    for name, mask in families.items():
        members = tests[np.asarray(mask, dtype=bool)]
        if members.empty:
            continue
        p = members["p"].astype(float).to_numpy()
        for method, code in (("Holm", "holm"), ("BH", "fdr_bh")):
            rejected, adjusted = multipletests(p, alpha=alpha, method=code)[:2]
            rows.append(pd.DataFrame({"family": name, "size": len(members), "method": method,
                                      "claim_id": members["claim_id"].to_numpy(),
                                      "label": members["label"].to_numpy(), "p": p,
                                      "p_adjusted": adjusted, "rejected": rejected}))
    return pd.concat(rows, ignore_index=True)


def parallel_gatekeeping(tests: pd.DataFrame, families: list[np.ndarray], alpha: float = 0.05
                         ) -> pd.DataFrame:
    """Parallel gatekeeping with Bonferroni tests within each family (Dmitrienko, Offen &
    Westfall 2003, Stat Med 22:2387): the first family is tested at ``alpha``, each test at
    ``alpha / m``; the next family receives ``alpha`` times the share of the previous family's
    hypotheses rejected, and so on. Tests in no family are exploratory (not tested). Strong
    control of the familywise error rate over all families. Written here: no maintained Python
    package implements gatekeeping procedures.

    Returns ``tests`` with ``gate`` (1, 2, ... or 0 for exploratory), ``alpha_family``,
    ``alpha_test`` and ``rejected``.

    Examples
    --------
    Two of four primary tests pass (0.01, 0.012 < 0.05 / 4), so the secondary family gets
    0.05 * 2/4 = 0.025 to share between its two tests:

    >>> tests = pd.DataFrame({"p": [0.01, 0.012, 0.2, 0.5, 0.011, 0.03]})
    >>> first = np.array([True, True, True, True, False, False])
    >>> table = parallel_gatekeeping(tests, [first, ~first])
    >>> table["alpha_test"].round(4).tolist(), table["rejected"].tolist()
    ([0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125], [True, True, False, False, True, False])
    """
    table = tests.copy()
    table["gate"] = 0
    table["alpha_family"] = np.nan
    table["alpha_test"] = np.nan
    table["rejected"] = False
    available = float(alpha)
    for number, mask in enumerate(families, start=1):
        mask = np.asarray(mask, dtype=bool) & (table["gate"].to_numpy() == 0)
        size = int(mask.sum())
        if size == 0:
            continue
        per_test = available / size
        rejected = mask & (table["p"].astype(float).to_numpy() <= per_test)
        table.loc[mask, "gate"] = number
        table.loc[mask, "alpha_family"] = available
        table.loc[mask, "alpha_test"] = per_test
        table.loc[rejected, "rejected"] = True
        available = available * rejected.sum() / size
    return table


def robust_to_family(table: pd.DataFrame) -> pd.DataFrame:
    """For each test of :func:`family_table` and each method: in how many of the families that
    contain it it is rejected, and whether in all of them (``robust``)."""
    grouped = table.groupby(["claim_id", "label", "method"], sort=False)["rejected"]
    out = grouped.agg(families="size", rejected_in="sum").reset_index()
    out["robust"] = out["rejected_in"] == out["families"]
    return out


#: Robustness has its own words: a finding ``holds`` under a doubt, is ``fragile`` to it, or is
#: ``undetermined`` where the published summaries allow both (the worst-rank composite over the
#: survivors' possible samples). These are not verdicts about a printed number and stay out of the
#: ledger.
ROBUSTNESS = ("holds", "fragile", "undetermined", "not assessed")


def _state(value) -> str:
    if isinstance(value, str):
        if value not in ROBUSTNESS:
            raise ValueError(f"unknown robustness state {value!r}: one of {ROBUSTNESS}")
        return value
    if value is None or pd.isna(value):
        return "not assessed"
    return "holds" if bool(value) else "fragile"


def robustness(summary: pd.DataFrame, doubts: dict[str, str]) -> pd.DataFrame:
    """Each significant finding against each doubt, in long form: ``finding, claim_id,
    p_printed, doubt, robustness`` (one of :data:`ROBUSTNESS`), ``fragile_to`` (the doubt in
    words where it is fragile) and ``value``.

    ``summary`` has one row per finding with a column per doubt holding True (holds), False
    (fragile), NA (not assessed) or a state of :data:`ROBUSTNESS` by name; ``doubts`` maps those
    columns to the doubt in words.

    Examples
    --------
    >>> summary = pd.DataFrame({"label": ["x"], "claim_id": ["c"], "p_printed": ["0.01"],
    ...                         "survives_holm": [False], "composite": ["undetermined"]})
    >>> robustness(summary, {"survives_holm": "multiplicity (Holm)",
    ...                      "composite": "death as the worst outcome"})[
    ...     ["robustness", "fragile_to"]].values.tolist()
    [['fragile', 'multiplicity (Holm)'], ['undetermined', '']]
    """
    rows = []
    for _, finding in summary.iterrows():
        for column, words in doubts.items():
            value = finding[column]
            state = _state(value)
            rows.append(dict(finding=finding["label"], claim_id=finding["claim_id"],
                             p_printed=finding["p_printed"], doubt=words, robustness=state,
                             fragile_to=words if state == "fragile" else "",
                             value="" if value is None or (not isinstance(value, str)
                                                           and pd.isna(value)) else str(value)))
    return pd.DataFrame(rows, columns=["finding", "claim_id", "p_printed", "doubt", "robustness",
                                       "fragile_to", "value"])


def describe_survival(table: pd.DataFrame) -> str:
    """Markdown bullets from :func:`robustness`: for each finding, the doubts it holds under,
    those it is fragile to, and those left undetermined."""
    lines = []
    for finding, rows in table.groupby("finding", sort=False):
        words = {state: ", ".join(rows.loc[rows["robustness"] == state, "doubt"]) or "none"
                 for state in ROBUSTNESS}
        line = (f"- **{finding}** (published p = {rows['p_printed'].iloc[0]}): holds under "
                f"{words['holds']}; fragile to {words['fragile']}")
        if words["undetermined"] != "none":
            line += f"; undetermined under {words['undetermined']}"
        lines.append(line + ".")
    return "\n".join(lines)
