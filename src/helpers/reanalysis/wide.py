"""The trial's arm summaries in wide form: one row per scale (or item) and contrast, both arms'
baseline and follow-up summaries side by side, as the tests and effect sizes of
:mod:`helpers.methods.effects` take them.

The trial says which arm is the treatment and which the control, which timepoint is the baseline
and which contrasts it reports (``trial.yaml``); :func:`helpers.methods.effects.contrasts` does
the reshaping with those values.
"""

from __future__ import annotations

import pandas as pd

from ..methods import effects
from .data import items_with_n

__all__ = ["contrasts", "items_as_outcomes"]


def contrasts(outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """:func:`helpers.methods.effects.contrasts` of the trial ``study``: its treatment arm
    (``_a``) against its control arm (``_b``), baseline to each follow-up.

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> frame = contrasts(data.load_outcomes("data/published"), trial.load("data/published"))
    >>> first = frame.iloc[0]
    >>> first[["instrument", "scale", "contrast"]].tolist()
    ['BM22', 'painful_sites', 't0-t2']
    >>> float(first["m0_a"]), int(first["n1_b"])
    (39.78, 22)
    """
    return effects.contrasts(outcomes, study.treatment.id, study.control.id, study.baseline.id,
                             study.contrasts)


def items_as_outcomes(items: pd.DataFrame, outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """The item table's summaries in the shape of ``outcomes`` (instrument: the trial's item
    instrument, scale ``item_17`` ...), each with the n of the scale its items belong to (an item
    table prints none: :func:`helpers.reanalysis.data.items_with_n`)."""
    table = items_with_n(items, outcomes).assign(
        instrument=study.item_instrument, scale="item_" + items["item"].astype(str))
    columns = ["instrument", "scale", "arm", "timepoint", "n", "mean", "sd"]
    return table[columns + [c for c in ("mean_decimals", "sd_decimals") if c in table.columns]]
