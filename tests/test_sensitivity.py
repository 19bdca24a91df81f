"""helpers.sensitivity against R (tests/reference/sensitivity.R: Gelman & Carlin's retrodesign,
BayesFactor 0.9.12 ttest.tstat, stats::p.adjust) and hand calculations."""

import numpy as np
import pandas as pd
import pytest

from helpers import data, effects, sensitivity


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


def test_tipping_point_by_construction():
    frame = effects.contrasts(data.load_outcomes())
    row = frame[(frame["scale"] == "distress") & (frame["contrast"] == "t0-t3")].iloc[0]
    result = sensitivity.tipping_point(row, worse=1.0)
    assert result["missing_a"] == 12 and result["missing_b"] == 12
    assert result["p_delta_zero"] < result["p_survivors"]  # more patients, same means
    curve = sensitivity.tipping_curve(row, [result["tipping_delta_sd"]])
    assert curve["p"].iloc[0] == pytest.approx(0.05, abs=1e-5)


def test_power_matches_pwr():
    assert sensitivity.power_two_sample(0.8, 30, 30)[0] == pytest.approx(0.8614225160, abs=1e-6)
