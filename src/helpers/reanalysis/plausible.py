"""Samples and rank-test bounds behind the trial's printed cells: the SPRITE search and the
Mann-Whitney bounds of :mod:`helpers.methods.sprite`, applied to every cell of the outcome tables
(and the items of the item table) on each scale's grid.

The grid of a scale comes from the trial and the instrument library
(:func:`helpers.reanalysis.table_checks.scale_grid`); the printed values are those in force
(corrections applied, :func:`helpers.reanalysis.table_checks.value_in_force`); the deaths of an
arm are its baseline n minus its follow-up n (the trial's missing follow-up patients died).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..methods.sprite import UNKNOWN_ITEMS, consistent_sums, sprite, status_of
from .data import items_with_n
from .instruments import INSTRUMENTS
from .table_checks import item_counts_in_use, scale_grid, value_in_force

__all__ = ["reconstruct_outcomes", "rank_sum_cells"]


def reconstruct_outcomes(outcomes: pd.DataFrame, study, item_counts: dict | None = None,
                         samples: int = 200, seed: int = 2014, rounding: str = "either"):
    """SPRITE for every cell of the outcome tables whose granularity is known (complete items).

    Returns ``(summary, found)``: a table with one row per cell (``samples_found``, ``status``)
    and a dict from ``(instrument, scale, arm, timepoint)`` to the samples found. ``status`` is
    ``"impossible (GRIM)"`` (no sum prints as the mean: no sample exists), ``"none found"``
    (sums exist but SPRITE found no sample: nothing is proven), ``"samples found"`` or
    ``"item count unknown"`` (no grid to search).
    """
    counts = item_counts_in_use(item_counts, study)
    means, sds = value_in_force(outcomes, "mean"), value_in_force(outcomes, "sd")
    rows, found = [], {}
    keys = ("instrument", "scale", "arm", "timepoint")
    for (_, cell), mean, sd in zip(outcomes.iterrows(), means, sds):
        key = tuple(cell[k] for k in keys)
        grid = scale_grid(cell["scale"], counts[(cell["instrument"], cell["scale"])], study,
                          instrument=cell["instrument"])
        record = dict(zip(keys, key), n=int(cell["n"]), mean=mean, sd=sd)
        if grid["step"] is None:
            rows.append({**record, "samples_found": 0, "status": UNKNOWN_ITEMS})
            continue
        result = sprite(mean, sd, int(cell["n"]), grid["step"], scale_min=grid["low"],
                        scale_max=grid["high"], samples=samples, seed=seed, rounding=rounding)
        sums = consistent_sums(mean, int(cell["n"]), grid["step"], scale_min=grid["low"],
                               scale_max=grid["high"], rounding=rounding)
        found[key] = result
        rows.append({**record, "samples_found": len(result),
                     "status": status_of(sums, len(result))})
    return pd.DataFrame(rows), found


def _cell_rows(table, keys, instrument, scale, grid, published, better, study):
    """Every contrast of one scale (or item): each arm's follow-up cell, as printed, and its
    deaths (baseline n minus follow-up n)."""
    cell = table.set_index(keys)
    prefix = tuple(table[keys[:-2]].iloc[0]) if len(keys) > 2 else ()
    rows = []
    for comparison in study.comparisons:
        between = study.comparison_label(comparison.arm, comparison.versus)
        for contrast, follow_up in study.contrasts.items():
            row = dict(label=f"{instrument} {scale.replace('_', ' ')}, "
                             + (f"{between}, " if between else "") + contrast,
                       instrument=instrument, scale=scale, arm=comparison.arm,
                       versus=comparison.versus, contrast=contrast, timepoint=follow_up,
                       better=better,
                       published_p=published.get((comparison.arm, comparison.versus, contrast),
                                                 published.get(contrast, float("nan"))))
            for arm, suffix in ((comparison.arm, "a"), (comparison.versus, "b")):
                now = cell.loc[(*prefix, arm, follow_up)]
                baseline = cell.loc[(*prefix, arm, study.baseline.id)]
                row.update({f"mean_{suffix}": now["mean_text"], f"sd_{suffix}": now["sd_text"],
                            f"n_{suffix}": int(now["n"]),
                            f"deaths_{suffix}": int(baseline["n"]) - int(now["n"])})
            row.update(step=grid["step"], scale_min=grid["low"], scale_max=grid["high"])
            rows.append(row)
    return rows


def _published_p(effects: pd.DataFrame, instrument: str, scale: str, study) -> dict:
    """The printed p of each comparison and contrast of one scale, by ``(arm, versus,
    contrast)`` (an effects table without ``arm`` and ``versus`` is the trial's one
    comparison's)."""
    mine = effects[(effects["instrument"] == instrument) & (effects["scale"] == scale)]
    if "arm" not in mine:
        first = study.comparisons[0]
        mine = mine.assign(arm=first.arm, versus=first.versus)
    return {(a, v, c): float(p) for a, v, c, p in zip(mine["arm"], mine["versus"],
                                                       mine["contrast"], mine["p"])}


def rank_sum_cells(outcomes: pd.DataFrame, study, effects: pd.DataFrame | None = None, *,
                   items: pd.DataFrame | None = None, item_tests: pd.DataFrame | None = None,
                   item_counts: dict | None = None, better: dict | None = None) -> pd.DataFrame:
    """The contrasts of the outcome tables (and of the item table's items, with ``items``) as
    :func:`helpers.methods.sprite.rank_sum_table` reads them.

    One row per scale (or item) and contrast of the trial ``study`` with both arms' follow-up
    cells as printed (corrections applied), deaths as the baseline n minus the follow-up n of each
    arm, and the grid: for scales :func:`helpers.reanalysis.table_checks.scale_grid` with
    ``item_counts`` (:func:`helpers.reanalysis.table_checks.item_counts_in_use`; an unknown count
    leaves ``step`` None), for items a step of 1 over the item's response range and the n of the
    scale the items
    belong to (:func:`helpers.reanalysis.data.items_with_n`). Items get the trial's item
    instrument and ``scale`` "item_<number>"; ``label`` reads as in
    :func:`helpers.reanalysis.robustness.family`. ``published_p`` comes from ``effects`` and
    ``item_tests`` (NaN without them); ``better`` from the mapping ``better`` by scale name
    or ``"instrument/scale"`` (items also by number), default "lower": which items are worded so
    that a higher answer is
    better news as printed, the caller decides.

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> folder = "data/published"
    >>> outcomes = data.load_outcomes(folder)
    >>> cells = rank_sum_cells(outcomes, trial.load(folder), data.load_effects(folder),
    ...                        items=data.load_items(folder), better={21: "higher", 22: "higher"})
    >>> cells.loc[cells["label"] == "QSCR10 distress, t0-t2",
    ...           ["mean_a", "n_a", "deaths_a", "mean_b", "n_b", "deaths_b"]].values.tolist()
    [['18.84', 25, 5, '22.41', 22, 8]]
    >>> cells.loc[cells["scale"] == "item_21", ["label", "better", "n_a"]].values.tolist()
    [['BM22 item 21, t0-t2', 'higher', 25], ['BM22 item 21, t0-t3', 'higher', 18]]
    """
    counts = item_counts_in_use(item_counts, study)
    ways = {str(key) if not isinstance(key, (int, np.integer)) else f"item_{key}": value
            for key, value in (better or {}).items()}
    keys = ["instrument", "scale", "arm", "timepoint"]
    table = outcomes.assign(mean_text=value_in_force(outcomes, "mean"),
                            sd_text=value_in_force(outcomes, "sd"))
    rows = []
    for (instrument, scale), group in table.groupby(["instrument", "scale"], sort=False):
        published = {} if effects is None else _published_p(effects, instrument, scale, study)
        rows += _cell_rows(group, keys, instrument, scale,
                           scale_grid(scale, counts[(instrument, scale)], study,
                                      instrument=instrument), published,
                           ways.get(f"{instrument}/{scale}", ways.get(scale, "lower")), study)
    if items is not None and not items.empty:  # a paper without an item table prints none
        owner = study.item_instrument  # the instrument of items.csv
        answered = items_with_n(items, outcomes, instrument=owner)
        answered = answered.assign(mean_text=value_in_force(answered, "mean"),
                                   sd_text=value_in_force(answered, "sd"))
        for item, group in answered.groupby("item", sort=True):
            published = {} if item_tests is None else item_tests[
                item_tests["item"] == item].set_index("contrast")["p"].astype(float).to_dict()
            scale = f"item_{int(item)}"
            low, high = INSTRUMENTS[owner].item_response_range(int(item))
            grid = dict(step=1, low=low, high=high)
            rows += _cell_rows(group, ["item", "arm", "timepoint"], owner, scale, grid,
                               published, ways.get(scale, "lower"), study)
    return pd.DataFrame(rows)
