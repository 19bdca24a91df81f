"""helpers.methods.sprite: every returned sample reproduces its target; impossible targets return
none; the move rule, the enumeration and the bounds of the Mann-Whitney test against independent
brute-force computations written here."""

from fractions import Fraction
from itertools import combinations, combinations_with_replacement, product

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu

from helpers.methods import sprite
from helpers.reanalysis import data, plausible, robustness, trial
from conftest import PUBLISHED

STUDY = trial.load(PUBLISHED)


@pytest.mark.parametrize(("mean", "sd", "n", "step", "low", "high"), [
    ("24.7", "10.8", 30, 1, 0, 50),  # Table 5, arm A baseline
    ("69.26", "17.0", 30, Fraction(50, 9), 0, 100),  # Table 2, psychosocial aspects
    ("2.53", "0.94", 30, Fraction(1, 2), 1, 4),  # a raw item mean of two items
])
def test_every_sample_reproduces_the_target(mean, sd, n, step, low, high):
    found = sprite.sprite(mean, sd, n, step, scale_min=low, scale_max=high, samples=100)
    assert len(found) > 0
    assert all(sprite.reproduces(row, mean, sd) for row in found)
    assert ((found >= low) & (found <= high)).all()
    grid = (found - low) / float(step)
    assert np.allclose(grid, np.round(grid))  # on the scale's grid


def test_impossible_targets_return_none():
    assert len(sprite.sprite("24.95", "12.8", 18, 1, scale_min=0, scale_max=50)) == 0  # GRIM
    assert len(sprite.sprite("3.00", "2.10", 5, 1, scale_min=1, scale_max=5)) == 0  # SD too big


def test_only_solution_found_by_enumeration():
    """Enumerate all samples of 5 answers in 1..5; those printing as 3.00 and 1.58."""
    truth = {combo for combo in combinations_with_replacement(range(1, 6), 5)
             if sprite.reproduces(np.array(combo), "3.00", "1.58")}
    found = {tuple(int(v) for v in row)
             for row in sprite.sprite("3.00", "1.58", 5, scale_min=1, scale_max=5)}
    assert found and found <= truth


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=3, max_size=25))
def test_genuine_samples_are_reachable(values):
    """A mean and SD printed from real integer data: SPRITE finds samples that reproduce them."""
    data = np.array(values, dtype=float)
    if data.std(ddof=1) == 0:
        return
    mean, sd = f"{data.mean():.2f}", f"{data.std(ddof=1):.2f}"
    found = sprite.sprite(mean, sd, len(values), 1, scale_min=0, scale_max=10, samples=20,
                          max_iterations=20000)
    assert len(found) > 0
    assert all(sprite.reproduces(row, mean, sd) for row in found)


def test_seeded_and_reproducible():
    first = sprite.sprite("24.7", "10.8", 30, 1, scale_min=0, scale_max=50, seed=7)
    assert np.array_equal(first, sprite.sprite("24.7", "10.8", 30, 1, scale_min=0,
                                               scale_max=50, seed=7))


# ---------------------------------------------------------------------------------------------
# The move rule of SPRITE
# ---------------------------------------------------------------------------------------------

def _violations(rule, low=0, high=6):
    """Every (yi, yj, spread) of small grid values where ``rule`` marks a move as helping though
    it does not change the pair's variance the wanted way, changes the pair's sum, or leaves a
    helpful narrowing move unmarked. The pair's variance is (yi - yj)^2 / 2."""
    bad = []
    for yi, yj, spread in product(range(low, high + 1), range(low, high + 1), (True, False)):
        new_i, new_j, helps = (np.asarray(v).item() for v in rule(np.array([yi]),
                                                                   np.array([yj]),
                                                                   np.array([spread])))
        before, after = (yi - yj) ** 2 / 2, (new_i - new_j) ** 2 / 2
        if helps and (new_i + new_j != yi + yj or
                      (spread and not after > before) or (not spread and not after < before)):
            bad.append((yi, yj, spread))
        if not spread and abs(yi - yj) >= 2 and not helps:
            bad.append((yi, yj, spread))
    return bad


def _old_rule(yi, yj, spread):
    """The move rule before the fix (narrowing accepted widening moves)."""
    up_i = np.where(spread, yi >= yj, yi < yj - 1)
    new_i = np.where(up_i, yi + 1, yi - 1)
    new_j = np.where(up_i, yj - 1, yj + 1)
    helps = np.where(spread, up_i, ~up_i | (yi < yj - 1))
    return new_i, new_j, helps


def test_pair_move_changes_the_variance_the_wanted_way():
    assert _violations(sprite._pair_move) == []
    assert _violations(_old_rule)  # e.g. (3, 3) while narrowing: moved to (2, 4) and "helping"
    assert (3, 3, False) in _violations(_old_rule)


@pytest.mark.parametrize(("yi", "yj", "spread", "expected"), [
    (3, 3, True, (4, 2, True)),  # equal values: widening moves them apart
    (2, 5, True, (1, 6, True)),  # the larger goes up, the smaller down
    (5, 2, True, (6, 1, True)),
    (5, 3, False, (4, 4, True)),  # two steps apart: one step towards each other
    (2, 5, False, (3, 4, True)),
    (3, 4, False, (3, 4, False)),  # one step apart: nothing narrows them
    (3, 3, False, (3, 3, False)),
])
def test_pair_move_by_hand(yi, yj, spread, expected):
    new_i, new_j, helps = sprite._pair_move(yi, yj, spread)
    assert (int(new_i), int(new_j), bool(helps)) == expected


# ---------------------------------------------------------------------------------------------
# Status words
# ---------------------------------------------------------------------------------------------

def test_reconstruct_outcomes_status_words():
    outcomes = data.load_outcomes(PUBLISHED)
    distress = outcomes[outcomes["scale"] == "distress"]
    impossible = distress[(distress["arm"] == "B") & (distress["timepoint"] == "t3")]  # 24.95
    found = distress[(distress["arm"] == "A") & (distress["timepoint"] == "t2")]
    too_wide = found.assign(sd=30.0, sd_printed="30.0")  # no 25 values in 0-50 reach SD 30
    unknown = outcomes[(outcomes["scale"] == "physical_fatigue") & (outcomes["timepoint"] == "t0")
                       & (outcomes["arm"] == "A")]
    table, samples = plausible.reconstruct_outcomes(pd.concat([impossible, too_wide, found,
                                                               unknown]), STUDY, samples=20)
    assert table["status"].tolist() == ["impossible (GRIM)", "none found", "samples found",
                                        "item count unknown"]
    assert table["samples_found"].tolist()[:2] == [0, 0]


def test_rank_sum_bounds_status_words():
    item = dict(n=18, step=1, scale_min=1, scale_max=4)
    fine = {**item, "mean": "2.6", "sd": "1.1"}
    grim = sprite.rank_sum_bounds({**item, "mean": "2.13", "sd": "1.1"}, fine)
    assert (grim["status"], grim["method"]) == ("impossible (GRIM)", None)
    assert np.isnan(grim["p_min"])
    # a consistent mean (sum 20 of 18 answers 1-4 prints 2.1) but an SD no sample reaches
    none = sprite.rank_sum_bounds({**item, "mean": "2.1", "sd": "1.9"}, fine)
    assert (none["status"], none["method"]) == ("none found", "exact (enumeration)")
    # beyond the largest SD of 22 values in 0-50 with mean 22.41 (25.45): enumeration proves
    # that none exists; refused enumeration, the search finds none
    wide = {**DISTRESS, "mean": "22.41", "sd": "25.9", "n": 22}
    proved = sprite.rank_sum_bounds(DISTRESS_A, wide)
    assert (proved["status"], proved["method"]) == ("none found", "exact (enumeration)")
    searched = sprite.rank_sum_bounds(DISTRESS_A, wide, enumeration_limit=10)
    assert (searched["status"], searched["method"]) == ("none found",
                                                        "search (at least this wide)")


# ---------------------------------------------------------------------------------------------
# Exact enumeration
# ---------------------------------------------------------------------------------------------

def _count_vectors_by_brute_force(n, k):
    """Every way of putting n values in k categories (itertools, no numpy)."""
    for bars in combinations(range(n + k - 1), k - 1):
        edges = (-1, *bars, n + k - 1)
        yield tuple(edges[i + 1] - edges[i] - 1 for i in range(k))


def _feasible_by_brute_force(mean, sd, n, low=1, high=4):
    values = np.arange(low, high + 1)
    return sorted(counts for counts in _count_vectors_by_brute_force(n, high - low + 1)
                  if sprite.reproduces(np.repeat(values, counts), mean, sd))


@pytest.mark.parametrize(("mean", "sd", "n"), [
    ("2.1", "1.1", 18), ("2.6", "1.1", 18), ("1.3", "0.6", 18), ("2.4", "1.2", 25),
    ("3.6", "0.6", 30), ("2.13", "1.1", 18), ("2.1", "1.9", 18),
])
def test_enumeration_matches_brute_force(mean, sd, n):
    found = sprite.enumerate_samples(mean, sd, n, 1, scale_min=1, scale_max=4)
    assert [tuple(int(c) for c in row) for row in found] == _feasible_by_brute_force(mean, sd, n)


def test_enumeration_holds_every_sprite_sample():
    """Pain characteristics (3 items, grid of 100/9) at 6 months, arm A: complete."""
    step = Fraction(100, 9)
    found = sprite.enumerate_samples("25.31", "19.73", 18, step, scale_min=0, scale_max=100)
    samples = sprite.sprite("25.31", "19.73", 18, step, scale_min=0, scale_max=100)
    counts = {tuple(np.bincount(np.rint(row / float(step)).astype(int), minlength=10))
              for row in samples}
    assert counts and counts <= {tuple(row) for row in found}
    grid = np.arange(10) * float(step)
    assert all(sprite.reproduces(np.repeat(grid, row), "25.31", "19.73") for row in found)


def test_enumeration_refuses_large_grids():
    with pytest.raises(ValueError, match="too large to enumerate"):
        sprite.enumerate_samples("15.44", "8.6", 18, 1, scale_min=0, scale_max=50)
    with pytest.raises(ValueError, match="too large to enumerate"):
        sprite.enumerate_samples("2.4", "1.2", 25, 1, scale_min=1, scale_max=4, limit=10)


# ---------------------------------------------------------------------------------------------
# The Mann-Whitney statistic
# ---------------------------------------------------------------------------------------------

def _win_count(a, b, better):
    """A's wins plus half the ties, pair by pair."""
    difference = np.subtract.outer(np.asarray(a, float), np.asarray(b, float))
    wins = (difference < 0) if better == "lower" else (difference > 0)
    return float(wins.sum() + 0.5 * (difference == 0).sum())


def _with_deaths(values, deaths, better, worst_low=-100.0, worst_high=100.0):
    worst = worst_high if better == "lower" else worst_low
    return np.concatenate([np.asarray(values, float), np.full(deaths, worst)])


def _scipy_p(a, b):
    return float(mannwhitneyu(a, b, method="asymptotic", use_continuity=True,
                              alternative="two-sided").pvalue)


def test_composite_win_probability_by_hand():
    # A survivors 1, 2 and one death; B survivors 2, 3 and two deaths; lower is better.
    # Survivors: (1,2) win, (1,3) win, (2,2) tie, (2,3) win: U = 3.5 of 2 x 2 = 4.
    # Composite adds: A's 2 survivors beat B's 2 deaths (+4); A's death loses to B's survivors
    # (+0); A's death ties B's 2 deaths (+0.5 x 2 = 1): U = 3.5 + 4 + 1 = 8.5 of 3 x 4 = 12.
    stats = sprite.rank_sum_statistics([1, 1, 0], [0, 1, 1], deaths_a=1, deaths_b=2)
    assert float(stats["u"]) == 3.5 and float(stats["win"]) == 3.5 / 4
    assert float(stats["composite_u"]) == 8.5
    assert float(stats["composite_win"]) == pytest.approx(8.5 / 12)
    # higher is better: survivors U = (2,2) tie only, 0.5; the deaths count the same way
    higher = sprite.rank_sum_statistics([1, 1, 0], [0, 1, 1], better="higher", deaths_a=1,
                                        deaths_b=2)
    assert float(higher["u"]) == 0.5 and float(higher["composite_u"]) == 0.5 + 4 + 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=30),
       st.lists(st.integers(0, 5), min_size=1, max_size=30),
       st.integers(0, 6), st.integers(0, 6), st.sampled_from(["lower", "higher"]))
def test_statistics_equal_scipy(a, b, deaths_a, deaths_b, better):
    if len(a) + len(b) < 3:
        return
    stats = sprite.rank_sum_statistics(np.bincount(a, minlength=6), np.bincount(b, minlength=6),
                                       better=better, deaths_a=deaths_a, deaths_b=deaths_b)
    assert float(stats["u"]) == _win_count(a, b, better)
    assert float(stats["p"]) == pytest.approx(_scipy_p(a, b), rel=1e-12, abs=1e-15)
    big_a, big_b = _with_deaths(a, deaths_a, better), _with_deaths(b, deaths_b, better)
    assert float(stats["composite_u"]) == _win_count(big_a, big_b, better)
    assert float(stats["composite_p"]) == pytest.approx(_scipy_p(big_a, big_b), rel=1e-12,
                                                        abs=1e-15)


# ---------------------------------------------------------------------------------------------
# Bounds between arms
# ---------------------------------------------------------------------------------------------

def _oracle(cell_a, cell_b, deaths_a, deaths_b, better):
    """Min and max of U and p (survivors and composite) over every pair of feasible samples,
    all by brute force: itertools for the samples, pair counting and scipy for each pair."""
    values = np.arange(1, 5)
    arms = [[np.repeat(values, c) for c in _feasible_by_brute_force(m, s, n)]
            for m, s, n in (cell_a, cell_b)]
    u, p, composite_p = [], [], []
    for a, b in product(*arms):
        u.append(_win_count(a, b, better))
        p.append(_scipy_p(a, b))
        composite_p.append(_scipy_p(_with_deaths(a, deaths_a, better),
                                    _with_deaths(b, deaths_b, better)))
    return dict(u_min=min(u), u_max=max(u), p_min=min(p), p_max=max(p),
                composite_p_min=min(composite_p), composite_p_max=max(composite_p))


@pytest.mark.parametrize(("cell_a", "cell_b", "deaths", "better"), [
    (("2.1", "1.1", 18), ("2.6", "1.1", 18), (12, 12), "lower"),  # item 18 at 6 months
    (("1.3", "0.6", 18), ("1.4", "0.7", 18), (12, 12), "lower"),  # item 17 at 6 months
    (("2.6", "1.1", 18), ("2.9", "1.2", 18), (12, 12), "higher"),  # item 21 at 6 months
])
def test_exact_bounds_equal_brute_force(cell_a, cell_b, deaths, better):
    item = dict(step=1, scale_min=1, scale_max=4)
    bounds = sprite.rank_sum_bounds(
        {**item, "mean": cell_a[0], "sd": cell_a[1], "n": cell_a[2]},
        {**item, "mean": cell_b[0], "sd": cell_b[1], "n": cell_b[2]},
        better=better, deaths_a=deaths[0], deaths_b=deaths[1])
    assert bounds["method"] == "exact (enumeration)" and bounds["status"] == "bounded"
    truth = _oracle(cell_a, cell_b, *deaths, better)
    for name, value in truth.items():
        assert bounds[name] == pytest.approx(value, rel=1e-12), name
    pairs = cell_a[2] * cell_b[2]
    assert bounds["win_min"] == pytest.approx(truth["u_min"] / pairs)
    shift = cell_a[2] * deaths[1] + 0.5 * deaths[0] * deaths[1]
    assert bounds["composite_u_max"] == truth["u_max"] + shift
    assert bounds["composite_win_max"] == pytest.approx(
        (truth["u_max"] + shift) / ((cell_a[2] + deaths[0]) * (cell_b[2] + deaths[1])))


DISTRESS = dict(step=1, scale_min=0, scale_max=50)
DISTRESS_A = {**DISTRESS, "mean": "18.84", "sd": "9.2", "n": 25}  # Table 5, 3 months
DISTRESS_B = {**DISTRESS, "mean": "22.41", "sd": "11.8", "n": 22}
FUNCTIONAL = dict(step=Fraction(25, 6), scale_min=0, scale_max=100)
FUNCTIONAL_A = {**FUNCTIONAL, "mean": "29.86", "sd": "20.77", "n": 18}  # Table 2, 6 months
FUNCTIONAL_B = {**FUNCTIONAL, "mean": "48.38", "sd": "30.12", "n": 18}


@pytest.fixture(scope="module")
def distress_bounds():
    return sprite.rank_sum_bounds(DISTRESS_A, DISTRESS_B, deaths_a=5, deaths_b=8)


@pytest.fixture(scope="module")
def functional_bounds():
    return sprite.rank_sum_bounds(FUNCTIONAL_A, FUNCTIONAL_B, deaths_a=12, deaths_b=12)


def test_distress_cells_come_from_the_transcription():
    cells = plausible.rank_sum_cells(data.load_outcomes(PUBLISHED), STUDY,
                                     data.load_effects(PUBLISHED))
    row = cells[cells["label"] == "QSCR10 distress, t0-t2"].iloc[0]
    assert (row["mean_a"], row["sd_a"], row["n_a"], row["deaths_a"]) == ("18.84", "9.2", 25, 5)
    assert (row["mean_b"], row["sd_b"], row["n_b"], row["deaths_b"]) == ("22.41", "11.8", 22, 8)
    assert (row["step"], row["scale_min"], row["scale_max"]) == (1, 0, 50)


def test_distress_at_three_months_reaches_the_review_range(distress_bounds):
    """An independent review found samples with survivors' p from 0.019 to 1.000."""
    assert distress_bounds["method"] == "search (at least this wide)"
    assert distress_bounds["p_min"] <= 0.02
    assert distress_bounds["p_max"] >= 0.99


@pytest.mark.parametrize("which", ["distress_bounds", "functional_bounds"])
def test_search_extremes_are_feasible_and_reach_their_values(which, request):
    bounds = request.getfixturevalue(which)
    cell_a, cell_b = (DISTRESS_A, DISTRESS_B) if which == "distress_bounds" else \
        (FUNCTIONAL_A, FUNCTIONAL_B)
    deaths = (5, 8) if which == "distress_bounds" else (12, 12)
    assert bounds["status"] == "bounded"
    assert set(bounds["extremes"]) == {"u_min", "u_max", "p_min", "p_max", "composite_p_min",
                                       "composite_p_max"}
    for name, pair in bounds["extremes"].items():
        for values, cell in ((pair["a"], cell_a), (pair["b"], cell_b)):
            assert len(values) == cell["n"]
            assert sprite.reproduces(values, cell["mean"], cell["sd"]), name
            grid = (values - cell["scale_min"]) / float(cell["step"])
            assert np.allclose(grid, np.round(grid)) and (values >= cell["scale_min"]).all() \
                and (values <= cell["scale_max"]).all()
    extremes = bounds["extremes"]
    assert _win_count(extremes["u_min"]["a"], extremes["u_min"]["b"], "lower") == \
        bounds["u_min"]
    assert _win_count(extremes["u_max"]["a"], extremes["u_max"]["b"], "lower") == \
        bounds["u_max"]
    for side in ("min", "max"):
        pair = extremes[f"p_{side}"]
        assert bounds[f"p_{side}"] == pytest.approx(_scipy_p(pair["a"], pair["b"]), rel=1e-12)
        pair = extremes[f"composite_p_{side}"]
        assert bounds[f"composite_p_{side}"] == pytest.approx(_scipy_p(
            _with_deaths(pair["a"], deaths[0], "lower"),
            _with_deaths(pair["b"], deaths[1], "lower")), rel=1e-12)


def test_search_range_contains_random_pairs_of_sprite_samples(distress_bounds):
    """What the removed rank_sum_p_range reported: min and max over random pairs."""
    low, high = DISTRESS["scale_min"], DISTRESS["scale_max"]
    samples_a = sprite.sprite("18.84", "9.2", 25, 1, scale_min=low, scale_max=high)
    samples_b = sprite.sprite("22.41", "11.8", 22, 1, scale_min=low, scale_max=high, seed=7)
    rng = np.random.default_rng(2014)
    a = samples_a[rng.integers(0, len(samples_a), 500)]
    b = samples_b[rng.integers(0, len(samples_b), 500)]
    p = mannwhitneyu(a, b, axis=1, method="asymptotic").pvalue
    u = [_win_count(x, y, "lower") for x, y in zip(a, b)]
    assert distress_bounds["p_min"] <= p.min() and p.max() <= distress_bounds["p_max"]
    assert distress_bounds["u_min"] <= min(u) and max(u) <= distress_bounds["u_max"]


def test_search_is_deterministic(functional_bounds):
    again = sprite.rank_sum_bounds(FUNCTIONAL_A, FUNCTIONAL_B, deaths_a=12, deaths_b=12)
    for name in ("u_min", "u_max", "p_min", "p_max", "composite_p_min", "composite_p_max"):
        assert again[name] == functional_bounds[name]
        assert np.array_equal(again["extremes"][name]["a"],
                              functional_bounds["extremes"][name]["a"])


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def test_rank_sum_table_words():
    outcomes = data.load_outcomes(PUBLISHED)
    cells = plausible.rank_sum_cells(outcomes, STUDY, data.load_effects(PUBLISHED),
                                     items=data.load_items(PUBLISHED),
                                     item_tests=data.load_item_tests(PUBLISHED))
    chosen = cells[cells["label"].isin([
        "BM22 item 17, t0-t3", "BM22 item 18, t0-t2", "QSCR10 distress, t0-t3",
        "FA13 physical fatigue, t0-t2"])]
    table = sprite.rank_sum_table(chosen).set_index("label")
    item_17 = table.loc["BM22 item 17, t0-t3"]
    assert item_17["method"] == "exact (enumeration)"
    assert item_17["composite_p_min"] >= 0.05
    assert item_17["composite_conclusion"] == "not significant whatever the survivors' data"
    assert item_17["published_p_within"] is True  # published 0.560
    item_18 = table.loc["BM22 item 18, t0-t2"]  # published 0.007; survivors' p from 0.157
    assert item_18["published_p_within"] is False
    assert table.loc["QSCR10 distress, t0-t3", "status"] == "impossible (GRIM)"
    assert pd.isna(table.loc["QSCR10 distress, t0-t3", "composite_conclusion"])
    assert table.loc["FA13 physical fatigue, t0-t2", "status"] == "item count unknown"
    assert "extremes" not in table.columns


def test_unknown_direction_joins_both():
    """Item 21 at 6 months, direction not given: p ranges over both directions, no U."""
    cells = plausible.rank_sum_cells(data.load_outcomes(PUBLISHED), STUDY,
                                     items=data.load_items(PUBLISHED))
    row = cells[cells["label"] == "BM22 item 21, t0-t3"]
    ways = {way: sprite.rank_sum_table(row.assign(better=way)).iloc[0]
            for way in ("lower", "higher", "")}
    either = ways[""]
    assert np.isnan(either["u_min"]) and np.isnan(either["composite_win_max"])
    assert either["p_min"] == ways["lower"]["p_min"] == ways["higher"]["p_min"]
    assert either["composite_p_min"] == min(ways["lower"]["composite_p_min"],
                                            ways["higher"]["composite_p_min"])
    assert either["composite_p_max"] == max(ways["lower"]["composite_p_max"],
                                            ways["higher"]["composite_p_max"])
    assert either["method"] == "exact (enumeration)"


def test_conclusion_wording_depends_on_the_method():
    search = dict(status="bounded", method="search (at least this wide)")
    exact = dict(status="bounded", method="exact (enumeration)")
    assert sprite._conclusion({**exact, "composite_p_min": 0.001, "composite_p_max": 0.01},
                              0.05) == "significant whatever the survivors' data"
    assert sprite._conclusion({**search, "composite_p_min": 0.001, "composite_p_max": 0.01},
                              0.05) == "significant in every sample found"
    assert sprite._conclusion({**search, "composite_p_min": 0.2, "composite_p_max": 0.9},
                              0.05) == "not significant in any sample found"
    assert sprite._conclusion({**search, "composite_p_min": 0.01, "composite_p_max": 0.9},
                              0.05) == "depends on the survivors' data"


def test_cells_take_better_from_the_caller():
    cells = plausible.rank_sum_cells(data.load_outcomes(PUBLISHED), STUDY,
                                     items=data.load_items(PUBLISHED),
                                     better={21: "higher", "item_22": "higher"})
    items = cells[cells["scale"].str.startswith("item_")]
    assert len(items) == 12 and set(items["instrument"]) == {"BM22"}
    assert set(items.loc[items["scale"].isin(["item_21", "item_22"]), "better"]) == {"higher"}
    assert set(cells.loc[~cells["scale"].isin(["item_21", "item_22"]), "better"]) == {"lower"}
    assert set(items["deaths_a"]) == {5, 12} and set(items["step"]) == {1}
    labels = robustness.family(data.load_outcomes(PUBLISHED), data.load_effects(PUBLISHED),
                               data.load_items(PUBLISHED), data.load_item_tests(PUBLISHED),
                               STUDY)["label"]
    assert set(cells["label"]) == set(labels)  # the same labels as the published tests
