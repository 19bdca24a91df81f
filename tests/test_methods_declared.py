"""The analysis methods a paper states (``trial.yaml``'s ``methods:``): parsed and validated by
:mod:`helpers.reanalysis.trial`, and used by :func:`helpers.methods.effects.reanalyse` so that a
cross-check runs only where the stated method makes it a fair reproduction.

Expected values are independent of the code under test: hand calculations written out here
(Hedges' J from ``math.lgamma``, the t statistics from their textbook formulas), scipy's t-tests
on the same summaries or on simulated patients' scores, and R (values pasted with the R code in
a comment; the tests do not need R).
"""

from __future__ import annotations

import dataclasses
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from helpers.build import pipeline
from helpers.methods import effects
from helpers.reanalysis import chapter, trial

from conftest import PUBLISHED, ROOT

SIMULATED = ROOT / "data" / "examples" / "simulated"
THREE_ARM_CLEAN = ROOT / "data" / "examples" / "three_arm_clean"


def _j(df: float) -> float:
    """Hedges' exact correction, written out: Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2))."""
    return math.exp(math.lgamma(df / 2) - 0.5 * math.log(df / 2) - math.lgamma((df - 1) / 2))


def _half_up(value: float, places: int) -> str:
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places),
                                                    rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------------
# trial.yaml: methods
# ---------------------------------------------------------------------------------------------

def test_three_arm_methods_block_parses():
    raw = yaml.safe_load((THREE_ARM_CLEAN / "trial.yaml").read_text())["methods"]
    methods = trial._methods(raw, "three_arm_clean/trial.yaml")
    assert (methods.test, methods.effect_size, methods.effect_size_at, methods.rounding,
            methods.alpha) == ("welch_t", "hedges_g", "follow_up", "half_up", 0.05)
    assert methods.test_quote.startswith("At each follow-up")
    assert methods.declared == {"test": "welch_t", "effect_size": "hedges_g",
                                "effect_size_at": "follow_up"}
    assert methods.defaults() == {"rounding": "half_up", "alpha": 0.05}


def test_published_trial_states_nothing():
    methods = trial.load(PUBLISHED).methods
    assert methods == trial.Methods()
    assert methods.declared == {"test": None, "effect_size": None, "effect_size_at": None}
    assert methods.defaults() == {}


def test_simulated_trial_states_its_readme():
    methods = trial.load(SIMULATED).methods
    assert methods.declared == {"test": "change_t", "effect_size": "cohens_d",
                                "effect_size_at": "follow_up"}
    assert methods.defaults() == {"rounding": "half_up", "alpha": 0.05}


def test_truncation_is_no_default_of_the_consistency_checks():
    methods = trial._methods({"rounding": "truncate", "alpha": 0.01}, "t.yaml")
    assert methods.rounding == "truncate" and methods.check_rounding is None
    assert methods.defaults() == {"alpha": 0.01}


@pytest.mark.parametrize("raw, message", [
    ({"test": "t_test"}, "methods.test must be one of welch_t, student_t, mann_whitney, change_t, "
                         "ancova, wilcoxon_signed_rank, got 't_test'"),
    ({"effect_size": "g"}, "methods.effect_size must be one of cohens_d, hedges_g, glass_delta"),
    ({"effect_size": "hedges_g", "effect_size_at": "end"},
     "methods.effect_size_at must be one of follow_up, change, got 'end'"),
    ({"rounding": "up"}, "methods.rounding must be one of half_up, half_even, truncate"),
    ({"alpha": 5}, "methods.alpha must be a number between 0 and 1"),
    ({"alpha": True}, "methods.alpha must be a number between 0 and 1"),
    ({"tests": "welch_t"}, "methods: unknown key tests; allowed: test, effect_size"),
    ({"effect_size_at": "change"}, "methods.effect_size_at needs methods.effect_size"),
    ({"test_quote": 3}, "methods.test_quote must be the paper's words"),
    (["welch_t"], "'methods' must map keys"),
])
def test_methods_errors_name_key_and_allowed_values(raw, message):
    with pytest.raises(trial.TrialError, match="^t.yaml: " + message.replace("(", r"\(")
                       .replace(")", r"\)")):
        trial._methods(raw, "t.yaml")


def test_methods_error_through_load(tmp_path):
    text = (SIMULATED / "trial.yaml").read_text().replace("test: change_t", "test: welch")
    (tmp_path / "trial.yaml").write_text(text)
    with pytest.raises(trial.TrialError, match="trial.yaml: methods.test must be one of"):
        trial.load(tmp_path)


def test_stated_defaults_of_a_build():
    assert pipeline.stated_defaults({"all": {"data_dir": "data/published"}}) == {}
    assert pipeline.stated_defaults({"all": {"data_dir": "data/published"}},
                                    {"data_dir": str(SIMULATED)}) == {"rounding": "half_up",
                                                                      "alpha": 0.05}


# ---------------------------------------------------------------------------------------------
# p implied by an effect size, under the stated test
# ---------------------------------------------------------------------------------------------

# Arm B against usual care at 12 months, in the format of the three-arm trial (n 27 and 30,
# unequal SDs): hand values of the statistics from the summaries.
M1, SD1, N1, M2, SD2, N2 = 61.40, 18.20, 27, 52.10, 26.90, 30


def test_effect_size_identities_against_scipy_t_tests():
    pooled = math.sqrt(((N1 - 1) * SD1**2 + (N2 - 1) * SD2**2) / (N1 + N2 - 2))
    d = (M1 - M2) / pooled
    g = _j(N1 + N2 - 2) * d
    glass = (M1 - M2) / SD2
    ratio = SD1**2 / SD2**2
    welch = stats.ttest_ind_from_stats(M1, SD1, N1, M2, SD2, N2, equal_var=False).pvalue
    student = stats.ttest_ind_from_stats(M1, SD1, N1, M2, SD2, N2, equal_var=True).pvalue
    for value, kind in ((d, "cohens_d"), (g, "hedges_g"), (glass, "glass_delta")):
        assert float(effects.p_from_effect_size(value, N1, N2, kind, "welch_t", ratio)) == \
            pytest.approx(welch, rel=1e-10)
        assert float(effects.p_from_effect_size(value, N1, N2, kind, "student_t", ratio)) == \
            pytest.approx(student, rel=1e-10)


def test_student_hedges_g_by_hand():
    # g = 0.5, 30 per arm: d = 0.5 / J(58), t = d sqrt(15), df 58.
    # R: d <- 0.5 / exp(lgamma(29) - log(sqrt(29)) - lgamma(28.5)); 2 * pt(-d * sqrt(15), 58)
    d = 0.5 / _j(58)
    t = d * math.sqrt(30 * 30 / 60)
    expected = 2 * stats.t.sf(t, 58)
    assert float(effects.p_from_effect_size(0.5, 30, 30, "hedges_g")) == pytest.approx(expected,
                                                                                      rel=1e-12)
    # with equal n Welch's t is Student's; Welch's df at equal SDs is also n1 + n2 - 2
    assert float(effects.p_from_effect_size(0.5, 30, 30, "hedges_g", "welch_t", 1.0)) == \
        pytest.approx(expected, rel=1e-12)


# R 4.2, metafor 3.8-1 (tests/reference/declared.R):
#   m1 <- 61.40; s1 <- 18.20; n1 <- 27; m2 <- 52.10; s2 <- 26.90; n2 <- 30
#   a <- s1^2 / n1; b <- s2^2 / n2
#   tw <- (m1 - m2) / sqrt(a + b); dfw <- (a + b)^2 / (a^2 / (n1 - 1) + b^2 / (n2 - 1))
#   c(tw, dfw, 2 * pt(-abs(tw), dfw))        # 1.541703939975 51.222302935438 0.129301392277
#   sp <- sqrt(((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2))
#   2 * pt(-abs((m1 - m2) / (sp * sqrt(1 / n1 + 1 / n2))), n1 + n2 - 2)   # 0.136440839622
#   escalc("SMD", m1i = m1, sd1i = s1, n1i = n1, m2i = m2, sd2i = s2, n2i = n2)$yi  # 0.395408488222
#   d <- 0.5 / exp(lgamma(29) - log(sqrt(29)) - lgamma(28.5)); 2 * pt(-d * sqrt(15), 58)
#                                            # 0.0545681670634
R_G, R_WELCH_P, R_WELCH_DF, R_STUDENT_P = 0.395408488222, 0.129301392277, 51.222302935438, \
    0.136440839622


def test_metafor_g_implies_r_t_tests():
    ratio = SD1**2 / SD2**2
    assert float(effects.p_from_effect_size(R_G, N1, N2, "hedges_g", "welch_t", ratio)) == \
        pytest.approx(R_WELCH_P, abs=1e-11)
    assert float(effects._welch_df(ratio, N1, N2)) == pytest.approx(R_WELCH_DF, abs=1e-9)
    assert float(effects.p_from_effect_size(R_G, N1, N2, "hedges_g", "student_t")) == \
        pytest.approx(R_STUDENT_P, abs=1e-11)
    assert float(effects.p_from_effect_size(0.5, 30, 30, "hedges_g")) == \
        pytest.approx(0.0545681670634, abs=1e-12)


def test_welch_df_peak_by_hand():
    # Welch's df reaches n1 + n2 - 2 where (sd1^2/n1)/(n1-1) = (sd2^2/n2)/(n2-1)
    x = N1 * (N1 - 1) / (N2 * (N2 - 1))
    assert float(effects._welch_df(x, N1, N2)) == pytest.approx(N1 + N2 - 2, rel=1e-12)
    assert float(effects._welch_df(x * 1.5, N1, N2)) < N1 + N2 - 2


def test_p_interval_contains_every_p_of_the_box():
    """Every (mean, SD) within the rounding of printed values: its Welch p lies within the
    interval the printed g and SDs give (scipy on each sampled point)."""
    rng = np.random.default_rng(21)
    printed_g = round(_j(N1 + N2 - 2) * (M1 - M2) / math.sqrt(
        ((N1 - 1) * SD1**2 + (N2 - 1) * SD2**2) / (N1 + N2 - 2)), 2)
    low, high = effects._p_interval_from_effect_size(
        abs(printed_g) - 0.005, abs(printed_g) + 0.005, N1, N2, "hedges_g", True,
        (SD1 - 0.005) ** 2 / (SD2 + 0.005) ** 2, (SD1 + 0.005) ** 2 / (SD2 - 0.005) ** 2)
    for _ in range(500):
        m1, m2 = M1 + rng.uniform(-0.005, 0.005), M2 + rng.uniform(-0.005, 0.005)
        s1, s2 = SD1 + rng.uniform(-0.005, 0.005), SD2 + rng.uniform(-0.005, 0.005)
        g = _j(N1 + N2 - 2) * (m1 - m2) / math.sqrt(
            ((N1 - 1) * s1**2 + (N2 - 1) * s2**2) / (N1 + N2 - 2))
        if abs(g - printed_g) > 0.005:
            continue
        p = stats.ttest_ind_from_stats(m1, s1, N1, m2, s2, N2, equal_var=False).pvalue
        assert low - 1e-12 <= p <= high + 1e-12


def test_p_from_effect_size_refuses_other_tests():
    with pytest.raises(ValueError, match="a t-test only"):
        effects.p_from_effect_size(0.5, 20, 20, "cohens_d", "mann_whitney")
    with pytest.raises(ValueError, match="unknown effect_size 'r'"):
        effects.p_from_effect_size(0.5, 20, 20, "r")


def test_declared_definition():
    assert effects.declared_definition("glass_delta", "follow_up") == (
        "Glass's delta at follow-up (control SD)",)
    with pytest.raises(ValueError, match="unknown effect_size_at 'later'"):
        effects.declared_definition("cohens_d", "later")


# ---------------------------------------------------------------------------------------------
# reanalyse with what the paper states
# ---------------------------------------------------------------------------------------------

def _frame_and_published(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wide frame (two decimals: half units 0.005) and the published values of rows with
    printed text values."""
    frame, published = [], []
    for row in rows:
        wide = {"instrument": "Q", "scale": row["scale"], "contrast": "t0-t1", "timepoint": "t1"}
        for key in ("m0_a", "sd0_a", "m1_a", "sd1_a", "m0_b", "sd0_b", "m1_b", "sd1_b"):
            wide[key] = float(row[key])
            wide[f"h{key}"] = 0.005
        for key in ("n0_a", "n1_a", "n0_b", "n1_b"):
            wide[key] = int(row[key])
        frame.append(wide)
        published.append(dict(p=float(row["p"]), p_printed=row["p"],
                              p_decimals=len(row["p"].split(".")[1]),
                              effect_size=float(row["es"]), effect_size_printed=row["es"],
                              effect_size_decimals=len(row["es"].split(".")[1])))
    return pd.DataFrame(frame), pd.DataFrame(published)


def _simulated_welch_hedges(seed: int, rows: int = 12) -> list[dict]:
    """Rows of a clean trial analysed exactly as stated: Welch's t-test of the follow-up
    scores (scipy on the patients' scores), Hedges' g of the follow-up scores (J by hand), all
    printed half up: means and SDs 2 decimals, p 3, g 2."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(rows):
        n_a, n_b = int(rng.integers(12, 40)), int(rng.integers(12, 40))
        a = rng.normal(50, rng.uniform(8, 30), n_a)
        b = rng.normal(50 + rng.uniform(-15, 15), rng.uniform(8, 30), n_b)
        base_a, base_b = rng.normal(50, 20, n_a + 3), rng.normal(50, 20, n_b + 3)
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        pooled = math.sqrt(((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1))
                           / (n_a + n_b - 2))
        g = _j(n_a + n_b - 2) * (a.mean() - b.mean()) / pooled
        if round(p, 3) == 0:
            continue
        out.append(dict(scale=f"s{i}", m0_a=_half_up(base_a.mean(), 2),
                        sd0_a=_half_up(base_a.std(ddof=1), 2), n0_a=n_a + 3,
                        m0_b=_half_up(base_b.mean(), 2), sd0_b=_half_up(base_b.std(ddof=1), 2),
                        n0_b=n_b + 3, m1_a=_half_up(a.mean(), 2), sd1_a=_half_up(a.std(ddof=1), 2),
                        n1_a=n_a, m1_b=_half_up(b.mean(), 2), sd1_b=_half_up(b.std(ddof=1), 2),
                        n1_b=n_b, p=_half_up(p, 3), es=_half_up(g, 2)))
    return out


WELCH_HEDGES = dict(test="welch_t", effect_size="hedges_g", effect_size_at="follow_up")
NAMED_WELCH = {"name": "Welch's t-test", "family": "t-test", "compares": "", "statement_id": "m1"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_clean_welch_hedges_trials_are_never_flagged(seed):
    frame, published = _frame_and_published(_simulated_welch_hedges(seed))
    stated = effects.reanalyse(frame, published, named_test=NAMED_WELCH, **WELCH_HEDGES)
    assert set(stated["p_verdict"]) <= {"reproduced", "consistent"}
    assert set(stated["es_verdict"]) <= {"reproduced", "consistent"}
    definitions = stated["es_definition"].where(stated["es_definition"] != "",
                                                stated["es_definition_within_rounding"])
    assert set(definitions) == {"Hedges' g at follow-up"}
    assert (stated["es_p_verdict"] == "consistent").all()
    assert stated["p_test"].eq("Welch's t-test at follow-up").all()
    rows = effects.ledger_rows(stated, "effects", "Table 2", 0.5, NAMED_WELCH)
    checked = rows[rows["check"] == "p implied by effect size (statcheck)"]
    assert checked["assumption"].str.startswith(
        "Hedges' g of the follow-up scores (the effect size the paper states) turned into "
        "Welch's t-test at follow-up (the test the paper states)").all()
    assert not rows["assumption"].str.contains("stands in").any()


def test_reading_hedges_g_as_cohens_d_flags_clean_rows():
    """The failure the stated methods fix: without them, the same clean rows checked with the
    effect size read as Cohen's d and Student's t give false not_reproducible verdicts."""
    flagged = 0
    for seed in (1, 2, 3, 4):
        frame, published = _frame_and_published(_simulated_welch_hedges(seed))
        legacy = effects.reanalyse(frame, published, named_test=NAMED_WELCH)
        flagged += int((legacy["es_p_verdict"] == "not_reproducible").sum())
    assert flagged > 0


def test_stated_test_only_and_rank_tests_unverifiable():
    # Student's p printed where the paper states Welch's: the rows of unequal SDs and n show it.
    row = dict(scale="s", m0_a="50.00", sd0_a="10.00", n0_a=20, m0_b="50.00", sd0_b="10.00",
               n0_b=20, m1_a="15.44", sd1_a="8.60", n1_a=18, m1_b="24.95", sd1_b="12.80",
               n1_b=18, es="-0.85")
    # R: t.test from summaries; Student p 0.0131605, Welch p 0.0138243 (tests/test_effects.py)
    frame, published = _frame_and_published([{**row, "p": "0.013"}])
    legacy = effects.reanalyse(frame, published)
    assert legacy.loc[0, "p_verdict"] == "reproduced"
    assert legacy.loc[0, "p_method"] == "Student t-test at follow-up"
    welch = effects.reanalyse(frame, published, test="welch_t")
    assert welch.loc[0, "p_verdict"] == "not_reproducible"  # Welch: 0.0138, not 0.013
    assert welch.loc[0, "p_note"].startswith("Welch gives p = 0.014 at the printed values")
    frame, published = _frame_and_published([{**row, "p": "0.014"}])
    assert effects.reanalyse(frame, published, test="welch_t").loc[0, "p_verdict"] == \
        "reproduced"
    student = effects.reanalyse(frame, published, test="student_t")
    assert student.loc[0, "p_verdict"] == "not_reproducible"
    assert student.loc[0, "p_method"].startswith("Student's t-test at follow-up, the test the "
                                                 "paper states")
    for test in ("mann_whitney", "wilcoxon_signed_rank"):
        found = effects.reanalyse(frame, published, test=test, effect_size="cohens_d",
                                  effect_size_at="follow_up")
        assert found.loc[0, "p_verdict"] == "unverifiable"
        assert "not reproducible from summary data" in found.loc[0, "p_note"]
        assert found.loc[0, "es_p_verdict"] == "unverifiable"
        assert "rank test" in found.loc[0, "es_p_note"]


def test_change_test_against_follow_up_effect_size_is_unverifiable():
    frame, published = _frame_and_published(_simulated_welch_hedges(1, rows=3))
    found = effects.reanalyse(frame, published, test="change_t", effect_size="hedges_g",
                              effect_size_at="follow_up")
    assert (found["es_p_verdict"] == "unverifiable").all()
    assert found["es_p_note"].str.contains("compares changes from baseline: one does not imply "
                                           "the other").all()
    assert found["p_implied_by_es"].isna().all()
    assert found["p_method"].str.contains("the test the paper states").all()


def test_effect_size_not_implemented_is_unverifiable():
    frame, published = _frame_and_published(_simulated_welch_hedges(2, rows=3))
    found = effects.reanalyse(frame, published, effect_size="glass_delta",
                              effect_size_at="change")
    assert (found["es_verdict"] == "unverifiable").all()
    assert (found["es_p_verdict"] == "unverifiable").all()
    rows = effects.ledger_rows(found, "effects", "Table 2", 0.5)
    assert rows.loc[rows["check"] == "effect-size definition", "note"].str.contains(
        "not implemented").all()


def test_ancova_stated():
    # the doctest row of effects.ancova: R lm on data with these summaries, r = 0.5: p 0.0125855
    wide = dict(scale="s", m0_a="69.26", sd0_a="17.00", n0_a=30, m1_a="41.05", sd1_a="19.10",
                n1_a=18, m0_b="57.59", sd0_b="19.87", n0_b=30, m1_b="50.93", sd1_b="20.55",
                n1_b=18, es="-0.49")
    frame, published = _frame_and_published([{**wide, "p": "0.013"}])
    found = effects.reanalyse(frame, published, test="ancova")
    assert found.loc[0, "p_verdict"] == "consistent"
    assert "ANCOVA" in found.loc[0, "p_method"]
    frame, published = _frame_and_published([{**wide, "p": "0.999"}])
    found = effects.reanalyse(frame, published, test="ancova")
    assert found.loc[0, "p_verdict"] == "unverifiable"
    assert "not searched" in found.loc[0, "p_note"]


def test_nothing_stated_keeps_todays_columns():
    frame, published = _frame_and_published(_simulated_welch_hedges(3, rows=4))
    found = effects.reanalyse(frame, published)
    assert "p_test" not in found and "es_p_model" not in found


# ---------------------------------------------------------------------------------------------
# The three-arm clean trial (Welch, Hedges' g): each comparison with the control, by hand
# ---------------------------------------------------------------------------------------------

def _three_arm(arm: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    outcomes = pd.read_csv(THREE_ARM_CLEAN / "outcomes.csv", dtype=str)
    printed = pd.read_csv(THREE_ARM_CLEAN / "effects.csv", dtype=str)
    long = outcomes.assign(mean=outcomes["mean"].astype(float), sd=outcomes["sd"].astype(float),
                           n=outcomes["n"].astype(int),
                           mean_decimals=outcomes["mean"].str.split(".").str[1].str.len(),
                           sd_decimals=outcomes["sd"].str.split(".").str[1].str.len())
    follow_ups = {f"t0-{t}": t for t in ("t1", "t2", "t3", "t4")}
    frame = effects.contrasts(long, arm, "C", "t0", follow_ups)
    mine = printed[(printed["arm"] == arm) & (printed["versus"] == "C")]
    published = frame[["instrument", "scale", "contrast"]].merge(mine, how="left")
    published = published.assign(
        p_printed=published["p"], p_decimals=published["p"].str.split(".").str[1].str.len(),
        effect_size_printed=published["effect_size"],
        effect_size_decimals=published["effect_size"].str.split(".").str[1].str.len(),
        p=published["p"].astype(float), effect_size=published["effect_size"].astype(float))
    return frame, published


@pytest.mark.parametrize("arm", ["A", "B"])
def test_three_arm_clean_with_its_stated_methods(arm):
    frame, published = _three_arm(arm)
    assert len(frame) == 24 and published["p"].notna().all()
    found = effects.reanalyse(frame, published, **WELCH_HEDGES)
    assert set(found["p_verdict"]) <= {"reproduced", "consistent"}
    assert set(found["es_verdict"]) <= {"reproduced", "consistent"}
    assert (found["es_p_verdict"] == "consistent").all()
    # one row by hand: Hedges' g of the printed follow-up summaries, and Welch's t from them
    row = frame.iloc[0]
    pooled = math.sqrt(((row["n1_a"] - 1) * row["sd1_a"] ** 2 + (row["n1_b"] - 1)
                        * row["sd1_b"] ** 2) / (row["n1_a"] + row["n1_b"] - 2))
    g = _j(row["n1_a"] + row["n1_b"] - 2) * (row["m1_a"] - row["m1_b"]) / pooled
    assert found.loc[0, "g_follow_up"] == pytest.approx(g, rel=1e-12)
    se = math.sqrt(row["sd1_a"] ** 2 / row["n1_a"] + row["sd1_b"] ** 2 / row["n1_b"])
    a, b = row["sd1_a"] ** 2 / row["n1_a"], row["sd1_b"] ** 2 / row["n1_b"]
    df = (a + b) ** 2 / (a**2 / (row["n1_a"] - 1) + b**2 / (row["n1_b"] - 1))
    p = 2 * stats.t.sf(abs(row["m1_a"] - row["m1_b"]) / se, df)
    assert found.loc[0, "p_welch_follow_up"] == pytest.approx(p, rel=1e-10)


# ---------------------------------------------------------------------------------------------
# The chapter passes the stated methods through
# ---------------------------------------------------------------------------------------------

def test_chapter_passes_stated_methods():
    study = trial.load(SIMULATED)
    found = chapter.analyse("QSCR10", study, SIMULATED)
    assert found.comparison["p_test"].eq(effects.TESTS["change_t"]).all()
    assert (found.comparison["es_p_verdict"] == "unverifiable").all()
    bare = dataclasses.replace(study, methods=trial.Methods())
    assert "p_test" not in chapter.analyse("QSCR10", bare, SIMULATED).comparison


def test_plan_takes_the_stated_rounding_and_alpha_as_defaults():
    overrides = {"data_dir": str(SIMULATED)}
    config = pipeline.load_steps(pipeline.DEFAULT_CONFIG, overrides)
    names = list(config["notebooks"])
    runs = {run.name: run for run in pipeline.plan(config, names, overrides, "out", "out/res")}
    cohort = next(run for name, run in runs.items() if name.endswith("cohort"))
    instrument = next(run for name, run in runs.items() if name.endswith("bm22"))
    assert cohort.parameters["rounding"] == "half_up"
    assert instrument.parameters["alpha"] == 0.05
    # the command line still wins
    runs = pipeline.plan(config, [cohort.name], {**overrides, "rounding": "either"}, "out",
                         "out/res")
    assert runs[0].parameters["rounding"] == "either"
    # a trial that states nothing leaves the notebooks' own defaults
    published = pipeline.load_steps(pipeline.DEFAULT_CONFIG, {})
    runs = pipeline.plan(published, [cohort.name], {}, "out", "out/res")
    assert "rounding" not in runs[0].parameters


def test_change_test_with_effect_size_of_change():
    """Welch's test of change scores and Cohen's d of the change scores, both from simulated
    patients (scipy on the changes): the check over every variance ratio finds each p."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(8):
        n_a, n_b = int(rng.integers(15, 35)), int(rng.integers(15, 35))
        base_a, base_b = rng.normal(50, 15, n_a), rng.normal(50, 15, n_b)
        end_a = 0.6 * base_a + rng.normal(20 + rng.uniform(-10, 10), rng.uniform(5, 20), n_a)
        end_b = 0.6 * base_b + rng.normal(20, rng.uniform(5, 20), n_b)
        ca, cb = end_a - base_a, end_b - base_b
        p = stats.ttest_ind(ca, cb, equal_var=False).pvalue
        pooled = math.sqrt(((n_a - 1) * ca.var(ddof=1) + (n_b - 1) * cb.var(ddof=1))
                           / (n_a + n_b - 2))
        if round(p, 3) == 0:
            continue
        rows.append(dict(scale=f"s{i}", m0_a=_half_up(base_a.mean(), 2),
                         sd0_a=_half_up(base_a.std(ddof=1), 2), n0_a=n_a,
                         m0_b=_half_up(base_b.mean(), 2), sd0_b=_half_up(base_b.std(ddof=1), 2),
                         n0_b=n_b, m1_a=_half_up(end_a.mean(), 2),
                         sd1_a=_half_up(end_a.std(ddof=1), 2), n1_a=n_a,
                         m1_b=_half_up(end_b.mean(), 2), sd1_b=_half_up(end_b.std(ddof=1), 2),
                         n1_b=n_b, p=_half_up(p, 3),
                         es=_half_up((ca.mean() - cb.mean()) / pooled, 2)))
    frame, published = _frame_and_published(rows)
    found = effects.reanalyse(frame, published, test="change_t", effect_size="cohens_d",
                              effect_size_at="change")
    assert len(found) >= 6
    assert (found["es_p_verdict"] == "consistent").all()
    assert found["es_p_model"].str.contains("over every ratio").all()
