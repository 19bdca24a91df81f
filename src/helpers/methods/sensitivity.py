"""Does a finding survive reasonable doubt? Estimands for the deaths, multiplicity over named
families, power and design errors, a delta-adjusted tipping point, and a Bayesian reading, from
the published summaries.

Libraries: statsmodels (``multipletests``: Holm, Benjamini-Hochberg), pingouin (power of the
t-test, JZS Bayes factors), scipy. Written here, since no maintained Python package does them:
Gelman & Carlin's (2014) retrodesign (type S and type M errors; the authors give R code, this is
the same calculation with the exaggeration ratio by simulation from a fixed seed), the
large-imputation limit of delta-adjusted multiple imputation (a closed form), parallel
gatekeeping (Dmitrienko et al. 2003), and the normal-normal posterior under a sceptical or an
empirical prior.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from . import effects

__all__ = ["multiplicity", "power_two_sample", "retrodesign", "ESTIMANDS", "delta_adjusted",
           "tipping_point", "tipping_grid", "bayes_factor", "normal_posterior",
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
                 "shifted by delta (multiple imputation, Rubin's rules, in the large-M limit)"),
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
