"""Scoring item responses into scale scores, and the granularity of the scores.

Implements the EORTC scoring manual's conventions (the instrument library of the project cites
its sources) and plain sum scores. No maintained Python library scores the EORTC modules beyond
the QLQ-C30 and a few others (R's PROscorer and QoLR), or a sum score with the half rule, hence
this module.

- raw score ``RS`` = mean of the answered items of a scale (a reversed item counts as
  ``min + max - response``);
- symptom scale ``(RS - min) / range * 100``; functional scale ``(1 - (RS - min) / range) * 100``;
  global scale (EORTC QLQ-C30 global health status) the symptom formula, higher being better;
  sum scale: the sum of the items;
- ``min`` and ``range`` are those of the scale's items: a scale may override its instrument's
  response range (``Instrument.range_of``; the QLQ-C30's global health status is answered 1-7,
  range 6, its other items 1-4, range 3);
- a scale is scored when at least half of its items are answered (``min_answered``); for a sum,
  missing items are either not allowed (default) or prorated (sum of answered x items/answered).
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, lcm

import numpy as np
import pandas as pd

from .instruments import GLOBAL, KINDS, SUM, SYMPTOM, Instrument, Scale
from .ledger import builds, claim_id

__all__ = ["ScoringError", "validate_responses", "score", "score_scale", "granularity",
           "raw_mean_granularity", "scale_from_item_means", "conventions_table",
           "conventions_ledger_rows"]


class ScoringError(ValueError):
    """Item responses that cannot be scored: the message names the patient and the item."""


def validate_responses(responses, n_items: int, response_min: int, response_max: int,
                       label: str = "responses") -> np.ndarray:
    """Item responses as a float array (patients x items, NaN = missing), or a ScoringError.

    Examples
    --------
    >>> validate_responses([[1, 2, None]], 3, 1, 4).shape
    (1, 3)
    """
    try:
        array = np.array(responses, dtype=float)
    except (TypeError, ValueError):
        raise ScoringError(f"{label}: every response must be a number or missing") from None
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != n_items:
        raise ScoringError(f"{label}: expected {n_items} item(s) per patient, got "
                           f"{array.shape[-1] if array.ndim else 0}")
    answered = ~np.isnan(array)
    bad = answered & ((array != np.round(array)) | (array < response_min) | (array > response_max))
    if bad.any():
        patient, item = map(int, np.argwhere(bad)[0])
        raise ScoringError(f"{label}: patient {patient + 1}, item {item + 1}: response "
                           f"{array[patient, item]:g} is not an integer from {response_min} to "
                           f"{response_max}")
    return array


def score(responses, kind: str, response_min: int, response_max: int, *,
          reversed_items: tuple[int, ...] = (), min_answered: float = 0.5,
          prorate_sum: bool = False) -> np.ndarray:
    """Scale scores of each patient from item responses (patients x items; NaN = missing).

    Parameters
    ----------
    responses : array-like
        One row per patient, one column per item of the scale.
    kind : {"symptom", "functional", "global", "sum"}
        ``global`` scores with the symptom formula (higher is better on such a scale).
    response_min, response_max : int
        Response range of each item (1-4 for EORTC items, 0-5 for some sum scores).
    reversed_items : tuple of int
        Positions (1-based, within the scale) of items scored in reverse.
    min_answered : float
        Least share of items answered for a score (EORTC: half). Sum scales need every item
        unless ``prorate_sum``.
    prorate_sum : bool
        Score a sum scale with missing items as the mean of the answered items times the item
        count (the EORTC rule applied to a sum).

    Returns
    -------
    numpy.ndarray
        One score per patient; NaN where too few items were answered.

    Examples
    --------
    Three items answered 2, 3, 4 (RS = 3): symptom score (3 - 1)/3 x 100 = 66.67.

    >>> float(score([[2, 3, 4]], "symptom", 1, 4)[0].round(2))
    66.67

    Global health status answered 5 and 6 on 1-7 (RS = 5.5): (5.5 - 1)/6 x 100 = 75.

    >>> float(score([[5, 6]], "global", 1, 7)[0])
    75.0
    """
    if kind not in KINDS:
        raise ScoringError(f"unknown scale kind {kind!r}: use {', '.join(KINDS)}")
    array = validate_responses(responses, np.asarray(responses, dtype=object).shape[-1],
                               response_min, response_max)
    n_items = array.shape[1]
    for position in reversed_items:
        if not 1 <= position <= n_items:
            raise ScoringError(f"reversed item {position} is not among the scale's {n_items} "
                               "items")
        array[:, position - 1] = response_min + response_max - array[:, position - 1]
    answered = (~np.isnan(array)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        raw = np.nanmean(np.where(answered[:, None] > 0, array, 0.0), axis=1)
    raw[answered == 0] = np.nan
    span = response_max - response_min
    if kind == SUM:
        complete = answered == n_items
        enough = answered >= ceil(min_answered * n_items) if prorate_sum else complete
        return np.where(enough, raw * n_items, np.nan)
    enough = answered >= ceil(min_answered * n_items)
    symptom = (raw - response_min) / span * 100
    scores = symptom if kind in (SYMPTOM, GLOBAL) else 100 - symptom
    return np.where(enough, scores, np.nan)


def score_scale(responses, instrument: Instrument, scale: Scale | str, **conventions
                ) -> np.ndarray:
    """:func:`score` with the scale's response range (its own, else the instrument's), kind and
    reversed items; ``conventions`` (``kind``, ``reversed_items``, ``min_answered``,
    ``prorate_sum``) override them, e.g. to try a candidate convention.

    Examples
    --------
    >>> from helpers.methods.instruments import Instrument, Scale
    >>> q = Instrument("Q", "q", 3, 1, 4, (Scale("a", "a", "functional", (1, 2), 2),
    ...                Scale("g", "g", "global", (3,), 1, response_min=1, response_max=7)),
    ...                "EORTC 0-100")
    >>> float(score_scale([[3, 2]], q, "a")[0]), float(score_scale([[4]], q, "g")[0])
    (50.0, 50.0)
    """
    if isinstance(scale, str):
        scale = instrument.scale(scale)
    options = dict(kind=scale.kind, reversed_items=_positions(scale, scale.reversed_items))
    options.update(conventions)
    if "reversed_items" in conventions and scale.items:
        options["reversed_items"] = _positions(scale, conventions["reversed_items"])
    kind = options.pop("kind")
    low, high = instrument.range_of(scale)
    return score(responses, kind, low, high, **options)


def _positions(scale: Scale, items: tuple[int, ...]) -> tuple[int, ...]:
    """Item numbers of the instrument as positions within the scale."""
    if not items:
        return ()
    if scale.items is None:
        return tuple(items)
    missing = [i for i in items if i not in scale.items]
    if missing:
        raise ScoringError(f"item(s) {missing} are not in scale {scale.name} "
                           f"(items {scale.items})")
    return tuple(scale.items.index(i) + 1 for i in items)


# ---------------------------------------------------------------------------------------------
# Granularity
# ---------------------------------------------------------------------------------------------

def granularity(kind: str, n_items: int, response_min: int, response_max: int, *,
                allow_missing: bool = False, min_answered: float = 0.5) -> dict:
    """The grid of the values one patient's score can take: ``step``, ``low``, ``high``.

    With complete items the step of an EORTC 0-100 scale of k items scored over a range r is
    100/(r k). With missing items allowed, a patient answering j items (at least half) has step
    100/(r j), and a mean over patients lies on the grid of the least common multiple of the
    possible j: the step becomes 100/(r lcm(j...)), far finer, and GRIM loses its power.

    Examples
    --------
    >>> granularity("symptom", 3, 1, 4)["step"]
    Fraction(100, 9)
    >>> granularity("symptom", 6, 1, 4, allow_missing=True)["step"]
    Fraction(5, 9)
    >>> granularity("sum", 10, 0, 5)["step"]
    Fraction(1, 1)
    """
    span = response_max - response_min
    counts = (range(ceil(min_answered * n_items), n_items + 1) if allow_missing
              else [n_items])
    common = lcm(*counts)
    if kind == SUM:
        if allow_missing:  # prorated: k/j x integer sums
            return dict(step=Fraction(n_items, common), low=response_min * n_items,
                        high=response_max * n_items)
        return dict(step=Fraction(1), low=response_min * n_items, high=response_max * n_items)
    return dict(step=Fraction(100, span * common), low=0, high=100)


def raw_mean_granularity(n_items: int, response_min: int, response_max: int, *,
                         allow_missing: bool = False, min_answered: float = 0.5) -> dict:
    """Grid of a raw item mean (RS, the 1-4 metric) of ``n_items`` items.

    Examples
    --------
    >>> raw_mean_granularity(2, 1, 4)["step"]
    Fraction(1, 2)
    """
    counts = (range(ceil(min_answered * n_items), n_items + 1) if allow_missing else [n_items])
    return dict(step=Fraction(1, lcm(*counts)), low=response_min, high=response_max)


def scale_from_item_means(item_means, kind: str, response_min: int, response_max: int,
                          reversed_positions: tuple[int, ...] = ()) -> float:
    """A scale's mean score from its items' mean responses (exact when every patient answered
    every item: the scale score is linear in the responses).

    Examples
    --------
    >>> round(scale_from_item_means([1.5, 3.4, 3.2, 3.5, 3.6, 3.2], "symptom", 1, 4), 2)
    68.89
    """
    means = np.array(item_means, dtype=float)
    for position in reversed_positions:
        means[position - 1] = response_min + response_max - means[position - 1]
    symptom = (means.mean() - response_min) / (response_max - response_min) * 100
    return float(symptom if kind in (SYMPTOM, GLOBAL) else 100 - symptom)


def conventions_table(items: pd.DataFrame, outcomes: pd.DataFrame, instrument: Instrument,
                      scale_name: str, decimals: int = 1) -> pd.DataFrame:
    """The scale mean from the item means of each arm and timepoint under every candidate
    convention (kind x reversed items), against the published scale mean.

    Item means printed with ``decimals`` decimals are each within half a unit of the truth, so
    the scale mean from them is within ``(half a unit) / range x 100`` (symptom or functional
    alike): a convention reproduces a published mean when it lies within that tolerance.
    """
    scale = instrument.scale(scale_name)
    kinds = scale.candidates.get("kind", [scale.kind])
    reversals = scale.candidates.get("reversed_items", [scale.reversed_items])
    low, high = instrument.range_of(scale)
    tolerance = 0.5 * 10 ** -decimals / (high - low) * 100
    mine = outcomes["scale"] == scale_name
    if "instrument" in outcomes.columns:
        mine &= outcomes["instrument"] == instrument.name
    published = outcomes[mine].set_index(["arm", "timepoint"])
    rows = []
    for (arm, timepoint), cells in items.groupby(["arm", "timepoint"], sort=False):
        means = cells.set_index("item").loc[list(scale.items), "mean"].to_numpy(dtype=float)
        target = published.loc[(arm, timepoint)]
        for kind in kinds:
            for reversed_items in reversals:
                value = scale_from_item_means(means, kind, low, high,
                                              _positions(scale, reversed_items))
                gap = value - float(target["mean"])
                rows.append(dict(arm=arm, timepoint=timepoint, kind=kind,
                                 reversed=", ".join(map(str, reversed_items)) or "none",
                                 from_items=round(value, 2), published=target["mean_printed"],
                                 difference=round(gap, 2),
                                 reproduced=abs(gap) <= tolerance + 1e-9))
    table = pd.DataFrame(rows)
    table.attrs["tolerance"] = tolerance
    return table


@builds
def conventions_ledger_rows(table: pd.DataFrame, scale_name: str, instrument: str, source: str,
                            items_source: str) -> pd.DataFrame:
    """Ledger rows: each published scale mean (of ``instrument``, printed in ``source``)
    against the candidate scoring conventions (:func:`conventions_table`), from the item means
    printed in ``items_source``."""
    rows = []
    for (arm, timepoint), cells in table.groupby(["arm", "timepoint"], sort=False):
        good = cells[cells["reproduced"]]
        conventions = "; ".join(f"{r['kind']} formula, reversed items: {r['reversed']}"
                                for _, r in good.iterrows())
        rows.append(dict(
            claim_id=claim_id("outcomes", (instrument, scale_name, arm, timepoint), "mean"),
            source=source, quantity=f"{instrument} {scale_name}, arm {arm}, {timepoint}: mean",
            published=cells["published"].iloc[0],
            recomputed=", ".join(f"{r['from_items']:.2f}" for _, r in good.iterrows())
            or "none", check=f"scale mean from the item means of {items_source}",
            verdict="reproduced" if len(good) else "not_reproducible",
            assumption="every patient answered every item; item means rounded to 1 decimal "
                       f"(tolerance {table.attrs.get('tolerance', 0):.2f} points)",
            note=f"reproduced by: {conventions}" if conventions else
                 "no candidate convention reproduces it"))
    return pd.DataFrame(rows)
