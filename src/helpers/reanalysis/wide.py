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
    """:func:`helpers.methods.effects.contrasts` of each comparison of the trial ``study``
    (``Trial.comparisons``): its ``arm`` (columns ``_a``) against its ``versus`` arm (``_b``),
    baseline to each follow-up; one row per instrument, scale, comparison and contrast, with the
    columns ``arm`` and ``versus``, the row's ``key`` (:meth:`Trial.effect_key`) and its
    ``comparison`` label (:meth:`Trial.comparison_label`).

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> frame = contrasts(data.load_outcomes("data/published"), trial.load("data/published"))
    >>> first = frame.iloc[0]
    >>> first[["instrument", "scale", "arm", "versus", "contrast"]].tolist()
    ['BM22', 'painful_sites', 'A', 'B', 't0-t2']
    >>> float(first["m0_a"]), int(first["n1_b"])
    (39.78, 22)
    """
    frames = []
    for comparison in study.comparisons:
        frame = effects.contrasts(outcomes, comparison.arm, comparison.versus,
                                  study.baseline.id, study.contrasts)
        frames.append(frame.assign(arm=comparison.arm, versus=comparison.versus))
    out = pd.concat(frames, ignore_index=True)
    front = ["instrument", "scale", "arm", "versus", "contrast"]
    out = out[front + [c for c in out.columns if c not in front]]
    order = {c: i for i, c in enumerate(study.comparisons)}
    rank = [order[type(study.comparisons[0])(a, v)] for a, v in zip(out["arm"], out["versus"])]
    scales = {key: i for i, key in enumerate(dict.fromkeys(zip(out["instrument"], out["scale"])))}
    out["_scale"] = [scales[key] for key in zip(out["instrument"], out["scale"])]
    out["key"] = [study.effect_key(*row) for row in
                  zip(out["instrument"], out["scale"], out["arm"], out["versus"], out["contrast"])]
    out["comparison"] = [study.comparison_label(a, v) for a, v in zip(out["arm"], out["versus"])]
    out["_comparison"] = rank
    return (out.sort_values(["_scale", "_comparison"], kind="stable")
            .drop(columns=["_scale", "_comparison"]).reset_index(drop=True))


def items_as_outcomes(items: pd.DataFrame, outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """The item table's summaries in the shape of ``outcomes`` (instrument: the trial's item
    instrument, scale ``item_17`` ...), each with the n of the scale its items belong to (an item
    table prints none: :func:`helpers.reanalysis.data.items_with_n`)."""
    table = items_with_n(items, outcomes).assign(
        instrument=study.item_instrument, scale="item_" + items["item"].astype(str))
    columns = ["instrument", "scale", "arm", "timepoint", "n", "mean", "sd"]
    return table[columns + [c for c in ("mean_decimals", "sd_decimals") if c in table.columns]]
