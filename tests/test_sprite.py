"""helpers.sprite: every returned sample reproduces its target; impossible targets return none."""

from fractions import Fraction
from itertools import combinations_with_replacement

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import sprite


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
