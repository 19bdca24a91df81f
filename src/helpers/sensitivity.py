"""Does a finding survive reasonable doubt? Multiplicity, power and design errors, attrition,
and a Bayesian reading, from the published summaries.

Libraries: statsmodels (``multipletests``: Holm, Benjamini-Hochberg), pingouin (power of the
t-test, JZS Bayes factors), scipy. Written here: Gelman & Carlin's (2014) retrodesign (type S and
type M errors), which has no maintained Python implementation (the authors give R code; this is
the same calculation, with the exaggeration ratio by simulation from a fixed seed), the delta
adjustment of the tipping-point analysis, and the normal-normal posterior under a sceptical prior.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from . import effects

__all__ = ["multiplicity", "power_two_sample", "retrodesign", "tipping_point", "tipping_curve",
           "bayes_factor", "sceptical_posterior", "family", "bayes_and_posterior",
           "SURVIVAL_CHECKS", "ROBUSTNESS", "robustness", "describe_survival"]


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
# Attrition: tipping point
# ---------------------------------------------------------------------------------------------

def _with_missing(mean, sd, n_observed, n_missing, delta):
    """Mean and SD of an arm whose missing patients are imputed at the observed mean plus
    ``delta``, each with the observed SD (a mixture of two equal-spread groups)."""
    n = n_observed + n_missing
    combined = mean + delta * n_missing / n
    within = (n_observed - 1) * sd**2 + (n_missing - 1) * sd**2
    between = n_observed * n_missing / n * delta**2
    return combined, np.sqrt((within + between) / (n - 1)), n


def _p_all_randomised(row: pd.Series, delta_sd: float, worse: float) -> float:
    """Welch p at follow-up over all randomised patients, arm A's missing patients imputed at its
    survivors' mean shifted by ``delta_sd`` pooled SDs in the worse direction, arm B's at its
    survivors' mean."""
    s = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    ma, sa, na = _with_missing(row["m1_a"], row["sd1_a"], row["n1_a"],
                               int(row["n0_a"] - row["n1_a"]), worse * delta_sd * s)
    mb, sb, nb = _with_missing(row["m1_b"], row["sd1_b"], row["n1_b"],
                               int(row["n0_b"] - row["n1_b"]), 0.0)
    return float(stats.ttest_ind_from_stats(ma, sa, na, mb, sb, nb, equal_var=False).pvalue)


def tipping_point(row: pd.Series, alpha: float = 0.05, worse: float = 1.0,
                  max_sd: float = 3.0) -> dict:
    """The shift (in pooled SDs at follow-up) of arm A's missing patients, relative to its
    survivors, at which the between-arm comparison at follow-up over all randomised patients
    stops being significant. Missing patients of arm B are imputed at its survivors' mean
    (delta 0). ``worse`` is the sign of a worse score (+1 when higher is worse).

    Returns the follow-up p with survivors only, with every missing patient at their arm's
    survivors' mean (delta 0), and the tipping delta (NaN when the comparison is not significant
    at delta 0, or still significant at ``max_sd``).
    """
    s = float(effects.pooled_sd(row["sd1_a"], row["n1_a"], row["sd1_b"], row["n1_b"]))
    survivors = float(stats.ttest_ind_from_stats(row["m1_a"], row["sd1_a"], row["n1_a"],
                                                 row["m1_b"], row["sd1_b"], row["n1_b"],
                                                 equal_var=False).pvalue)
    at_zero = _p_all_randomised(row, 0.0, worse)
    tipping = np.nan
    if at_zero < alpha and _p_all_randomised(row, max_sd, worse) >= alpha:
        tipping = optimize.brentq(lambda d: _p_all_randomised(row, d, worse) - alpha, 0.0,
                                  max_sd, xtol=1e-6)
    return dict(p_survivors=survivors, p_delta_zero=at_zero, tipping_delta_sd=tipping,
                missing_a=int(row["n0_a"] - row["n1_a"]), missing_b=int(row["n0_b"] - row["n1_b"]),
                pooled_sd=s, tipping_delta_points=tipping * s if not np.isnan(tipping) else np.nan)


def tipping_curve(row: pd.Series, deltas, worse: float = 1.0) -> pd.DataFrame:
    """The follow-up p over all randomised patients at each delta (pooled SDs), for a figure."""
    return pd.DataFrame({"delta_sd": [float(d) for d in deltas],
                         "p": [_p_all_randomised(row, float(d), worse) for d in deltas]})


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


def sceptical_posterior(estimate, se, prior_sd: float) -> pd.DataFrame:
    """Normal-normal posterior of a standardised effect with prior N(0, prior_sd^2): mean,
    SD, 95% interval and the probability that the true effect favours arm A (is below 0).

    Examples
    --------
    >>> row = sceptical_posterior(-0.8, 0.35, 0.35).iloc[0]
    >>> round(float(row["mean"]), 2), round(float(row["sd"]), 3)
    (-0.4, 0.247)
    """
    estimate, se = np.broadcast_arrays(np.atleast_1d(np.asarray(estimate, dtype=float)),
                                       np.atleast_1d(np.asarray(se, dtype=float)))
    if prior_sd <= 0:
        raise ValueError("the prior SD must be positive")
    weight = prior_sd**2 / (prior_sd**2 + se**2)
    mean = weight * estimate
    sd = np.sqrt(weight) * se
    return pd.DataFrame({"mean": mean, "sd": sd, "ci_low": mean - 1.96 * sd,
                         "ci_high": mean + 1.96 * sd,
                         "p_favours_a": stats.norm.cdf(0, loc=mean, scale=sd)})


# ---------------------------------------------------------------------------------------------
# The family of published tests, and what survives
# ---------------------------------------------------------------------------------------------

def family(outcomes: pd.DataFrame, published_effects: pd.DataFrame, items: pd.DataFrame,
           item_tests: pd.DataFrame) -> pd.DataFrame:
    """Every between-group test the paper reports (scales of Tables 2, 4, 5 and items of Table 3)
    with its published p and the arms' summaries (:func:`helpers.effects.contrasts`)."""
    from .data import items_with_n

    scales = effects.contrasts(outcomes).merge(
        published_effects[["instrument", "scale", "contrast", "p", "p_printed", "source"]],
        on=["instrument", "scale", "contrast"])
    scales["claim_id"] = ("effects:" + scales["instrument"] + "/" + scales["scale"] + "/"
                          + scales["contrast"] + ":p")
    item_rows = items_with_n(items, outcomes).assign(
        instrument="BM22", scale="item_" + items["item"].astype(str))
    item_frame = effects.contrasts(item_rows)
    item_frame["item"] = item_frame["scale"].str.removeprefix("item_").astype(int)
    item_frame = item_frame.merge(item_tests[["item", "contrast", "p", "p_printed", "source"]],
                                  on=["item", "contrast"]).drop(columns="item")
    item_frame["claim_id"] = ("item_tests:" + item_frame["scale"].str.removeprefix("item_") + "/"
                              + item_frame["contrast"] + ":p")
    table = pd.concat([scales, item_frame], ignore_index=True)
    table["label"] = (table["instrument"] + " " + table["scale"].str.replace("_", " ") + ", "
                      + table["contrast"])
    return table


def bayes_and_posterior(frame: pd.DataFrame, r: float, prior_scale: float, prior_sd: float,
                        better=None) -> pd.DataFrame:
    """For each test: JZS Bayes factors of the follow-up (Welch t, survivors) and change-score
    (Welch t at r) comparisons, and the sceptical posterior of Hedges' g at follow-up and of the
    standardised difference in change.

    ``better`` gives, per row, which way is better (``"lower"``, ``"higher"``, or ``""`` where it
    depends on how the data are read); ``p_favours_a_change`` is the posterior probability that
    the change favours arm A that way, NaN where the direction is not known. Default: lower is
    better on every row.
    """
    follow_up = effects.mean_difference(*effects._arms(frame, "1"), welch=True)
    change = effects.change_score(frame, r)
    g = effects.hedges_g(*effects._arms(frame, "1"))
    change_g = effects.hedges_g(frame["m1_a"] - frame["m0_a"], change["sd_change_a"],
                                frame["n1_a"], frame["m1_b"] - frame["m0_b"],
                                change["sd_change_b"], frame["n1_b"])
    out = pd.DataFrame({"label": frame["label"].to_numpy()})
    out["bf10_follow_up"] = bayes_factor(follow_up["t"], frame["n1_a"], frame["n1_b"],
                                         prior_scale)
    out["bf10_change"] = bayes_factor(change["t"], frame["n1_a"], frame["n1_b"], prior_scale)
    post = sceptical_posterior(g["g"], g["se"], prior_sd)
    post_change = sceptical_posterior(change_g["g"], change_g["se"], prior_sd)
    out["g_follow_up"] = g["g"].to_numpy()
    out["posterior_follow_up"] = post["mean"].to_numpy()
    out["posterior_follow_up_low"] = post["ci_low"].to_numpy()
    out["posterior_follow_up_high"] = post["ci_high"].to_numpy()
    out["g_change"] = change_g["g"].to_numpy()
    out["posterior_change"] = post_change["mean"].to_numpy()
    out["posterior_change_low"] = post_change["ci_low"].to_numpy()
    out["posterior_change_high"] = post_change["ci_high"].to_numpy()
    ways = np.asarray(["lower"] * len(frame) if better is None else list(better), dtype=object)
    below = post_change["p_favours_a"].to_numpy()
    out["p_favours_a_change"] = np.where(ways == "lower", below,
                                         np.where(ways == "higher", 1 - below, np.nan))
    return out


SURVIVAL_CHECKS = {
    "survives_holm": "Holm",
    "survives_bh": "Benjamini-Hochberg",
    "significant_at_follow_up": "survivors at follow-up",
    "posterior_change_excludes_zero": "sceptical prior",
    "significant_at_every_r": "every r (baseline-adjusted)",
}
#: Robustness has its own words: a finding ``holds`` under a doubt or is ``fragile`` to it. These
#: are not verdicts about a printed number and stay out of the ledger.
ROBUSTNESS = ("holds", "fragile", "not assessed")


def robustness(summary: pd.DataFrame, doubts: dict[str, str]) -> pd.DataFrame:
    """Each significant finding against each doubt, in long form: ``finding, claim_id,
    p_printed, doubt, robustness`` (``holds``, ``fragile`` or ``not assessed``), ``fragile_to``
    (the doubt in words where it is fragile) and ``value``.

    ``summary`` has one row per finding with a boolean column per doubt (NA: not assessed);
    ``doubts`` maps those columns to the doubt in words.

    Examples
    --------
    >>> summary = pd.DataFrame({"label": ["x"], "claim_id": ["c"], "p_printed": ["0.01"],
    ...                         "survives_holm": [False]})
    >>> robustness(summary, {"survives_holm": "multiplicity (Holm)"})[
    ...     ["robustness", "fragile_to"]].values.tolist()
    [['fragile', 'multiplicity (Holm)']]
    """
    rows = []
    for _, finding in summary.iterrows():
        for column, words in doubts.items():
            value = finding[column]
            if pd.isna(value):
                state, fragile_to = "not assessed", ""
            else:
                state = "holds" if bool(value) else "fragile"
                fragile_to = "" if bool(value) else words
            rows.append(dict(finding=finding["label"], claim_id=finding["claim_id"],
                             p_printed=finding["p_printed"], doubt=words, robustness=state,
                             fragile_to=fragile_to, value="" if pd.isna(value) else str(value)))
    return pd.DataFrame(rows, columns=["finding", "claim_id", "p_printed", "doubt", "robustness",
                                       "fragile_to", "value"])


def describe_survival(summary: pd.DataFrame) -> str:
    """Markdown bullets: for each finding, the doubts it holds under and those it is fragile
    to."""
    lines = []
    for _, row in summary.iterrows():
        holds = [name for column, name in SURVIVAL_CHECKS.items()
                 if not pd.isna(row[column]) and bool(row[column])]
        fragile = [name for column, name in SURVIVAL_CHECKS.items()
                   if not pd.isna(row[column]) and not bool(row[column])]
        lines.append(f"- **{row['label']}** (published p = {row['p_printed']}): holds under "
                     f"{', '.join(holds) or 'none of the doubts'}; fragile to "
                     f"{', '.join(fragile) or 'none'}.")
    return "\n".join(lines)
