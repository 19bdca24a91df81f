"""The consistency checks of :mod:`helpers.methods.consistency` applied to every number of
Tables 1-5.

The granularity of each published scale comes from what the paper states (EORTC 0-100 scales,
QSC-R10 sum 0-50) and from what its tables show (two QLQ-FA13 scales printed on the 1-4 item
metric), with the number of items of each scale a parameter (``item_counts``). Where the item
count is not public (the QLQ-FA13 scales), the mean is ``unverifiable`` at the stated n and the
note lists the item counts with which it would be consistent.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from ..methods import consistency as cc
from ..methods import scoring
from ..methods.ledger import builds, cell_id, claim_id
from . import data, markup
from .instruments import INSTRUMENTS, instruments_with_scale, positively_worded

__all__ = ["value_in_force", "DEFAULT_ITEM_COUNTS", "metric_of", "table_of", "SCALE_INSTRUMENT",
           "item_counts_in_use", "scale_key",
           "item_count_limit", "scale_grid", "outcome_consistency", "consistent_item_counts", "item_count_summary",
           "outcome_ledger_rows", "item_consistency", "item_ledger_rows",
           "baseline_ledger_rows", "describe_inconsistent",
           "describe_item_counts", "item_count_sweep", "joint_item_counts",
           "MODULE_CHECK", "module_item_counts", "module_ledger_rows", "describe_module",
           "item_count_ledger_rows", "metric_rows", "describe_direction"]

#: Items per scale, by (instrument, scale), from the instrument library
#: (helpers.reanalysis.instruments). A scale whose item-to-scale map is not public (the
#: QLQ-FA13's) has None, i.e. unknown.
DEFAULT_ITEM_COUNTS: dict[tuple[str, str], int | None] = {
    (instrument.name, scale.name): scale.n_items
    for instrument in INSTRUMENTS.values() for scale in instrument.scales}


def scale_key(key, among=None) -> tuple[str, str]:
    """An (instrument, scale) key from ``(instrument, scale)``, ``"instrument/scale"`` or a plain
    scale name, which must then belong to exactly one instrument (of ``among``, ids, else of the
    library). Raises ``KeyError`` naming the key and the fix.

    Examples
    --------
    >>> scale_key("FA13/physical_fatigue"), scale_key("distress"), scale_key(("C30", "pain"))
    (('FA13', 'physical_fatigue'), ('QSCR10', 'distress'), ('C30', 'pain'))
    """
    if isinstance(key, tuple) and len(key) == 2:
        return str(key[0]), str(key[1])
    text = str(key)
    if "/" in text:
        instrument, _, scale = text.partition("/")
        return instrument, scale
    owners = instruments_with_scale(text, among)
    if len(owners) == 1:
        return owners[0], text
    if not owners:
        raise KeyError(f"item_counts: no instrument{' of the trial' if among else ''} has a "
                       f"scale {text!r}; write 'INSTRUMENT/scale'")
    raise KeyError(f"item_counts: the scale {text!r} belongs to {' and '.join(owners)}; write "
                   f"{' or '.join(repr(f'{o}/{text}') for o in owners)}")


def item_counts_in_use(item_counts: dict | None = None, study=None) -> dict:
    """The item count of every scale, by (instrument, scale): :data:`DEFAULT_ITEM_COUNTS`
    updated with ``item_counts``, whose keys may be ``"FA13/physical_fatigue"``, a tuple, or a
    plain scale name where only one instrument (of the trial ``study``, else of the library) has
    that scale (:func:`scale_key`). With ``study``, the trial's scales only, in table order.

    Examples
    --------
    >>> item_counts_in_use({"physical_fatigue": 4})[("FA13", "physical_fatigue")]
    4
    >>> item_counts_in_use({"C30/fatigue": 3})[("C30", "fatigue")]
    3
    """
    among = [i.id for i in study.instruments] if study is not None else None
    counts = dict(DEFAULT_ITEM_COUNTS)
    if study is not None:  # the trial's scales, in table order
        counts = {(i.id, s): DEFAULT_ITEM_COUNTS.get((i.id, s)) for i in study.instruments
                  for s in i.scales}
    for key, value in (item_counts or {}).items():
        counts[scale_key(key, among)] = value
    return counts


def metric_of(scale: str, study, instrument: str | None = None) -> str:
    """How the tables print a scale (``trial.yaml``: the instrument's ``metric`` or its
    ``scale_metrics``): EORTC 0-100 score, raw item mean (1-4), or sum score. In the paper two
    QLQ-FA13 scales print means between 1 and 4: the raw item metric, not 0-100.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> metric_of("social_sequelae", study), metric_of("distress", study)
    ('item_mean_1_4', 'sum_0_50')
    """
    return study.metric_of(scale, instrument) if instrument else study.metric_of(scale)


def table_of(instrument: str, study) -> str:
    """Where the paper prints an instrument's results (``trial.yaml``: ``table``)."""
    return study.instrument(instrument).table


#: The library's instrument of each (instrument, scale).
SCALE_INSTRUMENT = {(instrument.name, scale.name): instrument
                    for instrument in INSTRUMENTS.values() for scale in instrument.scales}


def item_count_limit(item_counts: dict | None = None, study=None) -> int:
    """The most items a scale of unknown item count can have: the size of the largest instrument
    with such a scale (a scale has no more items than its module; the QLQ-FA13 has 13).

    Examples
    --------
    >>> item_count_limit()
    13
    """
    counts = item_counts_in_use(item_counts, study)
    sizes = [SCALE_INSTRUMENT[key].n_items for key, k in counts.items()
             if k is None and key in SCALE_INSTRUMENT]
    return max(sizes) if sizes else 1


def _library_scale(instrument: str, scale: str):
    try:
        owner = SCALE_INSTRUMENT[(instrument, scale)]
    except KeyError:
        raise KeyError(f"the instrument library (data/instruments) has no scale {scale!r} of "
                       f"{instrument!r}; add it to the instrument's file there") from None
    return owner, owner.scale(scale)


def scale_grid(scale: str, items: int | None, study, allow_missing: bool = False,
               instrument: str | None = None) -> dict:
    """Step, bounds and the assumption in words for one scale with ``items`` items, on the
    metric the paper prints it (:func:`metric_of`), with complete items or with missing items
    allowed (EORTC half rule; QSC-R10 prorated).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> scale_grid("pain_characteristics", 3, trial.load("data/published"))["step"]
    Fraction(100, 9)

    ``instrument`` names the scale's instrument (needed where two instruments of the trial share
    the scale id). A scale with its own response range has its own grid: the QLQ-C30's global
    health status, two items answered 1-7, steps by 100/12 on 0-100.
    """
    instrument = instrument or study.instrument_of(scale).id
    metric = metric_of(scale, study, instrument)
    owner, known = _library_scale(instrument, scale)
    answered = "missing items allowed (half rule)" if allow_missing else "complete items"
    if items is None:
        return dict(step=None, low=None, high=None, metric=metric,
                    assumption="item count not public")
    low, high = owner.range_of(known)
    if metric.startswith("sum_"):
        grid = scoring.granularity("sum", items, low, high, allow_missing=allow_missing)
        what = f"{study.instrument(instrument).label} sum of {items} items scored {low}-{high}"
    elif metric.startswith("eortc_"):
        grid = scoring.granularity("symptom", items, low, high, allow_missing=allow_missing)
        what = f"EORTC 0-100 score of {items} items scored {low}-{high}"
    else:
        grid = scoring.raw_mean_granularity(items, low, high, allow_missing=allow_missing)
        what = f"mean of {items} items scored {low}-{high} (as printed)"
    return dict(**grid, metric=metric, assumption=f"{what}, {answered}")


def outcome_consistency(outcomes: pd.DataFrame, study, item_counts: dict | None = None,
                        rounding: str = "either", n_range=(5, 100), k_range=(1, 8),
                        allow_missing: bool = False) -> pd.DataFrame:
    """GRIM and GRIMMER for every mean and SD of Tables 2, 4 and 5, with n-inference.

    Returns one row per table cell: keys, ``n``, ``mean``, ``sd`` (as printed, after
    corrections), ``step``, ``assumption``, ``grim``/``grim_reason``, ``grimmer``/
    ``grimmer_reason``, ``consistent_n_mean``/``consistent_n_sd`` (n in ``n_range`` with which the
    mean, and mean with SD, are consistent) and, where the item count is unknown,
    ``consistent_items`` (item counts in ``k_range`` consistent with every mean of the scale).
    """
    counts = item_counts_in_use(item_counts, study)
    table = outcomes.copy()
    table["mean_text"] = value_in_force(table, "mean")
    table["sd_text"] = value_in_force(table, "sd")
    grids = [scale_grid(s, counts[(i, s)], study, allow_missing, instrument=i)
             for i, s in zip(table["instrument"], table["scale"])]
    table["step"] = [str(g["step"]) if g["step"] is not None else "" for g in grids]
    table["assumption"] = [g["assumption"] for g in grids]
    known = np.array([g["step"] is not None for g in grids])
    table["grim"], table["grim_reason"] = "unverifiable", "item count not public"
    table["grimmer"], table["grimmer_reason"] = "unverifiable", "item count not public"
    table["consistent_n_mean"] = table["consistent_n_sd"] = ""
    table["consistent_items"] = ""
    if known.any():
        rows = table[known]
        steps = [g["step"] for g, k in zip(grids, known) if k]
        lows = [g["low"] for g, k in zip(grids, known) if k]
        highs = [g["high"] for g, k in zip(grids, known) if k]
        args = dict(rounding=rounding, scale_min=lows, scale_max=highs)
        n = rows["n"].astype(int).tolist()
        grim = cc.grim(rows["mean_text"].tolist(), n, steps, **args)
        grimmer = cc.grimmer(rows["mean_text"].tolist(), rows["sd_text"].tolist(), n, steps,
                             **args)
        table.loc[known, "grim"] = grim["consistency"].to_numpy()
        table.loc[known, "grim_reason"] = _with_nearest(grim)
        table.loc[known, "grimmer"] = grimmer["consistency"].to_numpy()
        table.loc[known, "grimmer_reason"] = grimmer["reason"].to_numpy()
        inferred_mean = cc.infer_n(rows["mean_text"].tolist(), n_range=n_range, step=steps, **args)
        inferred_sd = cc.infer_n(rows["mean_text"].tolist(), rows["sd_text"].tolist(),
                                 n_range=n_range, step=steps, **args)
        table.loc[known, "consistent_n_mean"] = np.where(inferred_mean["informative"],
                                                         inferred_mean["consistent_n"], "any")
        table.loc[known, "consistent_n_sd"] = np.where(inferred_sd["informative"],
                                                       inferred_sd["consistent_n"], "any")
    if (~known).any():
        table.loc[~known, "consistent_items"] = consistent_item_counts(
            table[~known], study, k_range, rounding, allow_missing)
    return table


def consistent_item_counts(cells: pd.DataFrame, study, k_range=(1, 8), rounding: str = "either",
                           allow_missing: bool = False) -> list[str]:
    """For each cell, the item counts in ``k_range`` with which its mean passes GRIM (as text,
    ``"none"`` when no count does)."""
    passing = {i: [] for i in range(len(cells))}
    for k in range(k_range[0], k_range[1] + 1):
        grids = [scale_grid(scale, k, study, allow_missing, instrument=instrument)
                 for instrument, scale in zip(cells["instrument"], cells["scale"])]
        result = cc.grim(value_in_force(cells, "mean").tolist(), cells["n"].astype(int).tolist(),
                         [g["step"] for g in grids], rounding=rounding,
                         scale_min=[g["low"] for g in grids], scale_max=[g["high"] for g in grids])
        for i, verdict in enumerate(result["consistency"]):
            if verdict != cc.INCONSISTENT:
                passing[i].append(k)
    return [cc.compact_ranges(ks) if ks else "none" for ks in passing.values()]


def item_count_summary(table: pd.DataFrame, study, k_range=(1, 8)) -> pd.DataFrame:
    """For each scale with an unknown item count, inferred jointly (a scale has one item count):
    the counts in ``k_range`` with which all of its published means pass GRIM
    (``items_consistent_with_every_mean``), the cells that no count makes possible, and the counts
    with which every *other* mean passes (``items_of_the_other_means``)."""
    rows = []
    for (instrument, scale), cells in table[table["consistent_items"] != ""].groupby(
            ["instrument", "scale"], sort=False):
        sets = [_expand_ranges(text) for text in cells["consistent_items"]]
        every = set(range(k_range[0], k_range[1] + 1))
        common = every.intersection(*sets)
        possible = [s for s in sets if s]
        others = every.intersection(*possible) if possible else set()
        rows.append(dict(instrument=instrument, scale=scale,
                         metric=metric_of(scale, study, instrument),
                         items_consistent_with_every_mean=cc.compact_ranges(common) or "none",
                         items_of_the_other_means=cc.compact_ranges(others) or "none",
                         impossible_cells=int(sum(1 for s in sets if not s)),
                         means=len(cells)))
    return pd.DataFrame(rows)


def _expand_ranges(text: str) -> set[int]:
    out: set[int] = set()
    for part in filter(None, text.replace("none", "").split(", ")):
        first, _, last = part.partition("-")
        out |= set(range(int(first), int(last or first) + 1))
    return out


def value_in_force(table: pd.DataFrame, column: str) -> pd.Series:
    """A column's value in force as text: the printed text, or its correction."""
    corrected = table["corrected"].str.split(",").map(lambda c: column in c)
    formatted = [f"{v:.{int(d)}f}" for v, d in zip(table[column], table[f"{column}_decimals"])]
    return table[f"{column}_printed"].where(~corrected, pd.Series(formatted, index=table.index))


def _with_nearest(grim: pd.DataFrame) -> np.ndarray:
    return np.where(grim["nearest"] != "", grim["reason"] + "; nearest possible: " +
                    grim["nearest"], grim["reason"]).astype(object)


def _verdict_note(row: pd.Series, test: str) -> str:
    note = row[f"{test}_reason"]
    consistent_n = row["consistent_n_mean" if test == "grim" else "consistent_n_sd"]
    if row[test] == "inconsistent" and consistent_n not in ("", "any"):
        note += f"; consistent with n = {consistent_n} (n 5-100)"
    if row["consistent_items"] and test == "grim":
        note += (f"; with complete items this mean is possible for {row['consistent_items']} "
                 "item(s) per scale (1-8 tried)")
    if row["corrected"]:
        note += f"; checked with the correction of {row['corrected']} (corrections.csv)"
    return note


def _cell_rows(file: str, keys: list[str], row: pd.Series, what: str, recomputed: dict,
               assumption: str, notes: dict) -> list[dict]:
    """The GRIM (mean) and GRIMMER (SD) ledger rows of one table cell (``keys``: the table's key
    columns)."""
    key = data.row_key(row, keys)
    return [dict(claim_id=cell_id(file, key, column), source=row["source"],
                 quantity=f"{what}: {label}", published=row[f"{column}_printed"],
                 recomputed=recomputed[column], check=check, verdict=row[test],
                 assumption=assumption, note=notes[column])
            for column, label, check, test in (("mean", "mean", "GRIM", "grim"),
                                               ("sd", "SD", "GRIMMER", "grimmer"))]


@builds
def outcome_ledger_rows(table: pd.DataFrame, study) -> pd.DataFrame:
    """Ledger rows for the means (GRIM) and SDs (GRIMMER) of :func:`outcome_consistency`."""
    keys = data.key_columns("outcomes", study.data_dir)
    rows = []
    for _, row in table.iterrows():
        what = f"{row['instrument']} {row['scale']}, arm {row['arm']}, {row['timepoint']}"
        recomputed = {column: row[f"consistent_n_{column}"] and
                      f"possible with n = {row[f'consistent_n_{column}']}"
                      for column in ("mean", "sd")}
        rows += _cell_rows("outcomes", keys, row, what, recomputed, row["assumption"],
                           {"mean": _verdict_note(row, "grim"),
                            "sd": _verdict_note(row, "grimmer")})
    return pd.DataFrame(rows)


def item_consistency(items: pd.DataFrame, outcomes: pd.DataFrame, rounding: str = "either",
                     n_range=(5, 100), instrument: str | None = None) -> pd.DataFrame:
    """GRIM and GRIMMER for the item means and SDs of the item table (each item on its response
    range in the library), with the n of the scale the items belong to (the item table prints
    none; :func:`helpers.reanalysis.data.items_with_n`). ``instrument``: the items' instrument
    (default: the one of the outcome table whose scale holds them). A paper without an item
    table (a header-only ``items.csv``) gives an empty table with every column."""
    table = data.items_with_n(items, outcomes, instrument=instrument)
    if table.empty:
        return table.assign(grim="", grim_reason="", grimmer="", grimmer_reason="",
                            consistent_n_sd="", max_sd=pd.Series(dtype=float))
    owner = INSTRUMENTS[data.item_owner(items, outcomes, instrument)[0]]
    ranges = [owner.item_response_range(int(item)) for item in table["item"]]
    low, high = [r[0] for r in ranges], [r[1] for r in ranges]
    args = dict(rounding=rounding, scale_min=low, scale_max=high)
    grim = cc.grim(table["mean_printed"].tolist(), table["n"].tolist(), 1, **args)
    grimmer = cc.grimmer(table["mean_printed"].tolist(), table["sd_printed"].tolist(),
                         table["n"].tolist(), 1, **args)
    inferred = cc.infer_n(table["mean_printed"].tolist(), table["sd_printed"].tolist(),
                          n_range=n_range, step=1, **args)
    table["grim"], table["grim_reason"] = grim["consistency"].to_numpy(), _with_nearest(grim)
    table["grimmer"], table["grimmer_reason"] = grimmer["consistency"].to_numpy(), \
        grimmer["reason"].to_numpy()
    table["consistent_n_sd"] = np.where(inferred["informative"], inferred["consistent_n"], "any")
    table["max_sd"] = [cc.max_sd(m, n, lo, hi)
                       for m, n, lo, hi in zip(table["mean"], table["n"], low, high)]
    return table


@builds
def item_ledger_rows(table: pd.DataFrame, study) -> pd.DataFrame:
    """Ledger rows for the item means (GRIM) and SDs (GRIMMER) of :func:`item_consistency`."""
    keys = data.key_columns("items", study.data_dir)
    owner = INSTRUMENTS[study.item_instrument]
    rows = []
    for _, row in table.iterrows():
        low, high = owner.item_response_range(int(row["item"]))
        holder = owner.item_scale(int(row["item"]))
        assumption = (f"item scored {low}-{high}; n of the "
                      f"{holder.name.replace('_', ' ') if holder else 'its'} scale "
                      f"({table_of(owner.name, study)})")
        note = row["grimmer_reason"] + f"; largest SD possible {row['max_sd']:.2f}"
        if row["grimmer"] == "inconsistent" and row["consistent_n_sd"] not in ("", "any"):
            note += f"; consistent with n = {row['consistent_n_sd']}"
        rows += _cell_rows("items", keys, row, f"item {row['item']}, arm {row['arm']}, "
                           f"{row['timepoint']}", {"mean": "", "sd": f"at most {row['max_sd']:.2f}"},
                           assumption, {"mean": row["grim_reason"], "sd": note})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Table 1
# ---------------------------------------------------------------------------------------------

@builds
def baseline_ledger_rows(baseline: pd.DataFrame, claims: pd.DataFrame, study,
                         rounding: str = "either") -> pd.DataFrame:
    """Ledger rows for every number of Table 1 (the characteristics whose levels exclude each
    other come from ``trial.yaml``, the trial ``study``)."""
    exclusive = study.exclusive
    keys = data.key_columns("baseline", study.data_dir)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    randomised = int(claims.loc[claims["refers_to"] == "patients_randomized", "value"].iloc[0])
    rows = []

    def add(row, column, check, verdict, recomputed="", assumption="", note="",  # noqa: PLR0913
            problem="", possible_if=""):
        key = data.row_key(row, keys)
        label = f"{row['characteristic']}{' ' + row['level'] if row['level'] else ''}, arm {row['arm']}"
        if row["corrected"] and column in row["corrected"].split(","):
            note += (f"{'; ' if note else ''}printed {row[column + '_printed']}, corrected in "
                     f"corrections.csv")
        rows.append(dict(claim_id=cell_id("baseline", key, column), source=row["source"],
                         quantity=f"{label}: {column}", published=row[f"{column}_printed"],
                         recomputed=str(recomputed), check=check, verdict=verdict,
                         assumption=assumption, note=note, possible_if=possible_if,
                         **({"problem": problem} if problem else {})))

    for _, row in baseline.iterrows():
        arm, characteristic = row["arm"], row["characteristic"]
        if characteristic == "group_size":
            add(row, "n", "text against Table 1", "reproduced" if
                int(size.sum()) == randomised else "inconsistent", f"{randomised} randomised 1:1",
                assumption="the arms of Table 1 are the patients randomised (Methods)",
                note=f"arms {' + '.join(str(int(v)) for v in size)} = {int(size.sum())}; "
                     f"Methods: {randomised} randomised")
            continue
        if row["percent_printed"] or (row["level"] and row["n_printed"]):
            _count_rows(row, baseline, exclusive, size, keys, add)
            if row["percent_printed"]:
                check = cc.percentage(int(row["n"]), int(size[arm]), row["percent_printed"],
                                      rounding=rounding).iloc[0]
                add(row, "percent", "percentage", "reproduced" if check["consistency"] ==
                    "consistent" else "inconsistent", check["recomputed"],
                    assumption=f"the count out of the arm's n of Table 1's heading "
                               f"({size[arm]}), rounded {_rounding_words(rounding)}",
                    note=check["reason"], possible_if=check["possible_if"])
            continue
        check = study.check_of(characteristic)
        kind = check.get("kind")
        if kind == "whole_number":
            low, high = study.eligible(check["within"], (0, 120))
            grim = cc.grim(row["mean_printed"], int(size[arm]), 1, rounding=rounding,
                           scale_min=low, scale_max=high).iloc[0]
            grimmer = cc.grimmer(row["mean_printed"], row["sd_printed"], int(size[arm]), 1,
                                 rounding=rounding, scale_min=low, scale_max=high).iloc[0]
            assumption = f"{check['describes']} within the inclusion range {low}-{high}"
            add(row, "mean", "GRIM", grim["consistency"], assumption=assumption,
                note=grim["reason"])
            add(row, "sd", "GRIMMER", grimmer["consistency"],
                f"at most {cc.max_sd(row['mean'], int(size[arm]), low, high):.1f}",
                assumption=assumption, note=grimmer["reason"])
        elif kind == "continuous":
            for column in ("mean", "sd"):
                add(row, column, "GRIM" if column == "mean" else "GRIMMER", "unverifiable",
                    note=f"{check['describes']} is a continuous measure ({check['unit']}): no "
                         "granularity to test")
        elif kind == "scale":
            _scale_rows(row, check, claims, int(size[arm]), add)
        elif kind == "level_mean":
            _level_mean_rows(row, check, baseline, int(size[arm]), add)
        _range_rows(row, kind, int(size[arm]), add)
    return pd.DataFrame(rows)


def _count_rows(row, baseline: pd.DataFrame, exclusive, size: pd.Series, keys, add) -> None:
    """The count of a level of Table 1: the levels of a characteristic whose levels exclude each
    other add up to the arm (one problem per arm and characteristic: the key of its last level,
    where the sum closes), any other count lies within the arm."""
    arm, characteristic = row["arm"], row["characteristic"]
    if characteristic in exclusive:
        group = baseline[(baseline["characteristic"] == characteristic)
                         & (baseline["arm"] == arm)]
        levels = group[group["level"] != ""]
        total = cc.adds_up(levels["n"].astype(int).tolist(), int(size[arm]))
        last = data.row_key(levels.iloc[-1], keys)
        add(row, "n", "counts add up", total["consistency"], total["sum"],
            assumption="each patient in exactly one level",
            note=f"{characteristic} levels of arm {arm}: {total['reason']} "
                 f"(arm size {size[arm]})",
            problem=f"baseline:{last}" if total["consistency"] == "inconsistent" else "")
        return
    inside = 0 <= int(row["n"]) <= int(size[arm])
    add(row, "n", "count within arm", "consistent" if inside else "inconsistent",
        assumption="a count of the arm's patients",
        note=f"0 to {size[arm]}; levels may overlap, so no total applies")


def _range_rows(row, kind, size: int, add) -> None:
    """The range checks of any characteristic that prints a minimum or a maximum, whatever its
    kind (``helpers.methods.consistency.range_checks``): min at most max, the mean and the
    median within the range, the SD within the largest the range allows. Checks a kind already
    makes (the mean within range of ``level_mean``, the median within range of ``scale``) are
    not repeated."""
    if not (row["min_printed"] or row["max_printed"]):
        return
    n = int(row["n"]) if row["n_printed"] else size
    table = cc.range_checks(low=row["min_printed"], high=row["max_printed"],
                            mean=row["mean_printed"], median=row["median_printed"],
                            sd=row["sd_printed"], n=n)
    done = {"level_mean": {"mean within range"}, "scale": {"median within range"}}.get(kind, ())
    counted = (f"n = {n} as printed" if row["n_printed"] else
               f"every patient of the arm counted (n = {n}, Table 1's heading)")
    for _, check in table.iterrows():
        if check["check"] in done:
            continue
        assumption = "each printed number is the true one rounded to its printed decimals"
        if check["check"] == "SD within range bound":
            assumption += f"; {counted}"
        add(row, check["column"], check["check"], check["consistency"], check["recomputed"],
            assumption=assumption, note=check["reason"])


def _scale_rows(row, check: dict, claims, size: int, add) -> None:
    """Median (range) of a score on a grid (``check``: ``scale`` [low, high], ``step``,
    ``minimum``: the claim of the inclusion minimum, ``describes``): each on the grid (a median
    of an even count may lie halfway), the minimum at least the inclusion's, the median within
    the range."""
    low, high = check["scale"]
    step = check["step"]
    name = check["describes"]
    inclusion = int(claims.loc[claims["refers_to"] == check["minimum"], "value"].iloc[0])
    for column in ("median", "min", "max"):
        value = Fraction(row[f"{column}_printed"])
        # the median of an even number of scores can lie halfway between two of them
        grid = Fraction(step, 2) if column == "median" and size % 2 == 0 else Fraction(step)
        on_grid = value % grid == 0 and low <= value <= high
        problems = []
        if not on_grid:
            problems.append(f"not a {name} ({low}-{high} in steps of {step})")
        if column == "min" and value < inclusion:
            problems.append(f"below the inclusion minimum {inclusion}")
        if column == "median" and not (Fraction(row["min_printed"]) <= value
                                       <= Fraction(row["max_printed"])):
            problems.append("outside its printed range")
        add(row, column, "range and scale", "inconsistent" if problems else "consistent",
            assumption=f"{name} {low}-{high} in steps of {step}; inclusion >= {inclusion}",
            note="; ".join(problems) or f"on the {check['scale_name']}, within the range and "
                                        "the inclusion criterion")


def _level_mean_rows(row, check: dict, baseline, size: int, add) -> None:
    """Mean (range) of a count against its range and its levels' counts (``check``:
    ``level_values`` maps each level to its smallest value, the last level reaching the printed
    maximum; ``assumption``, ``minimum_assumption`` and ``minimum_note``, a template filled
    with the levels' counts and the minimum, in words): the mean lies within the printed range
    and between the levels' smallest and largest possible means; the minimum is the smallest
    value of a level that has patients."""
    arm = row["arm"]
    level_n = baseline[(baseline["characteristic"] == row["characteristic"])
                       & (baseline["arm"] == arm)].set_index("level")["n"]
    values = {level: int(value) for level, value in check["level_values"].items()}
    counts = {level: int(level_n[level]) for level in values}
    top = Fraction(row["max_printed"])
    last = list(values)[-1]
    low_mean = Fraction(sum(counts[level] * values[level] for level in values), size)
    high_mean = Fraction(sum(counts[level] * values[level] for level in values if level != last),
                         size) + counts[last] * top / size
    mean_printed = Fraction(row["mean_printed"])
    within = cc.within(row["mean_printed"], row["min_printed"], row["max_printed"],
                       what="mean").iloc[0]
    note = within["reason"]
    if row["corrected"] and "min" in row["corrected"].split(","):
        in_force = cc.within(row["mean_printed"], f"{row['min']:g}", row["max_printed"],
                             what="mean").iloc[0]
        note += f"; with the corrected minimum {row['min']:g}: {in_force['consistency']}"
    add(row, "mean", "mean within range", within["consistency"],
        assumption="a mean lies within the range of its values", note=note)
    bounds_ok = low_mean - Fraction(1, 20) <= mean_printed <= high_mean + Fraction(1, 20)
    parts = [f"{counts[level]} {level} ({values[level]} each)" if level != last else
             f"{counts[level]} {level} ({values[level]} to {top})" for level in values]
    counts_note = (f"{' and '.join(parts)} give a mean between {float(low_mean):.2f} and "
                   f"{float(high_mean):.2f}")
    add(row, "max", "mean within bounds from counts", "consistent" if bounds_ok
        else "inconsistent", f"{float(low_mean):.2f} to {float(high_mean):.2f}",
        assumption=check["assumption"],
        note=counts_note + f"; printed mean {row['mean_printed']}")
    minimum = Fraction(row["min_printed"])
    expected_min = min(values[level] for level in values if counts[level] > 0) \
        if any(counts.values()) else min(values.values())
    add(row, "min", "minimum from counts", "reproduced" if minimum == expected_min
        else "inconsistent", expected_min, assumption=check["minimum_assumption"],
        note=check["minimum_note"].format(**counts, minimum=expected_min))


# ---------------------------------------------------------------------------------------------
# Findings in words (computed, so that the prose follows the parameters)
# ---------------------------------------------------------------------------------------------

def describe_inconsistent(table: pd.DataFrame, flow_rows: pd.DataFrame, study) -> str:
    """Markdown bullets: each mean that GRIM rejects, with the n that would make it possible and
    the patients alive according to the flow."""
    alive = flow_rows[flow_rows["check"] == "n against participant flow"].set_index("claim_id")
    keys = data.key_columns("outcomes", study.data_dir)
    lines = []
    for _, row in table[table["grim"] == "inconsistent"].iterrows():
        flow = alive.loc[cell_id("outcomes", data.row_key(row, keys), "n")]
        text = (f"- **{row['instrument']} {row['scale'].replace('_', ' ')}, arm {row['arm']}, "
                f"{row['timepoint']}**: a mean of {row['mean_text']} is impossible with the "
                f"printed n = {row['n_printed']} ({row['assumption']}); it is possible with n = "
                f"{row['consistent_n_mean']}. Patients alive according to the flow: "
                f"{flow['recomputed']}.")
        lines.append(text)
    return "\n".join(lines) if lines else "No mean is impossible at its printed n."


def describe_item_counts(table: pd.DataFrame, study, k_range=(1, 8)) -> str:
    """Markdown bullets: for each scale of unknown item count, the one item count (jointly over
    its means) that makes every mean possible, or the means that no count makes possible and the
    counts the other means allow together."""
    summary = item_count_summary(table, study, k_range)
    lines = []
    for _, row in summary.iterrows():
        cells = table[(table["instrument"] == row["instrument"]) & (table["scale"] == row["scale"])
                      & (table["consistent_items"] == "none")]
        label = f"**{row['instrument']} {row['scale'].replace('_', ' ')}** ({row['metric']})"
        if row["items_consistent_with_every_mean"] != "none":
            lines.append(f"- {label}: every mean is possible with "
                         f"{row['items_consistent_with_every_mean']} item(s).")
            continue
        failing = ", ".join(f"arm {c['arm']} {c['timepoint']} ({c['mean_text']}, n = "
                            f"{c['n_printed']})" for _, c in cells.iterrows())
        text = f"- {label}: no item count from {k_range[0]} to {k_range[1]} makes every mean possible"
        if failing:
            text += f"; impossible for every count: {failing}"
        if row["items_of_the_other_means"] != "none":
            text += (f"; the other means are possible together with "
                     f"{row['items_of_the_other_means']} item(s)")
        elif row["impossible_cells"] < row["means"]:
            text += "; nor does one count make the other means possible together"
        lines.append(text + ".")
    return "\n".join(lines)


def item_count_sweep(outcomes: pd.DataFrame, scales, study, k_range=(1, 8),
                     rounding: str = "either", allow_missing: bool = False) -> pd.DataFrame:
    """GRIM (mean) and GRIMMER (mean and SD) of every cell of ``scales`` under each item count in
    ``k_range``: one row per cell and count (``items``, ``grim``, ``grimmer``)."""
    keys = [scale_key(scale, [i.id for i in study.instruments]) for scale in scales]
    cells = outcomes[[(i, s) in keys for i, s in zip(outcomes["instrument"], outcomes["scale"])]]
    means, sds = value_in_force(cells, "mean").tolist(), value_in_force(cells, "sd").tolist()
    n = cells["n"].astype(int).tolist()
    rows = []
    for k in range(k_range[0], k_range[1] + 1):
        grids = [scale_grid(scale, k, study, allow_missing, instrument=instrument)
                 for instrument, scale in zip(cells["instrument"], cells["scale"])]
        args = dict(rounding=rounding, scale_min=[g["low"] for g in grids],
                    scale_max=[g["high"] for g in grids])
        steps = [g["step"] for g in grids]
        grim = cc.grim(means, n, steps, **args)["consistency"]
        grimmer = cc.grimmer(means, sds, n, steps, **args)["consistency"]
        for (_, cell), mean, sd, g1, g2 in zip(cells.iterrows(), means, sds, grim, grimmer):
            rows.append(dict(instrument=cell["instrument"], scale=cell["scale"], arm=cell["arm"],
                             timepoint=cell["timepoint"], n=int(cell["n"]), mean=mean, sd=sd,
                             items=k, grim=g1, grimmer=g2))
    return pd.DataFrame(rows)


def joint_item_counts(sweep: pd.DataFrame, test: str = "grim") -> pd.DataFrame:
    """One item count per scale: for each scale of an :func:`item_count_sweep`, the counts with
    which each cell passes ``test`` (``possible``, per cell) and the counts with which every cell
    that some count makes possible passes together (``joint``, per scale).

    A cell that no count makes possible is impossible under every count; the joint inference
    then asks whether one count serves all the others.
    """
    rows = []
    for (instrument, scale), cells in sweep.groupby(["instrument", "scale"], sort=False):
        per_cell = {key: set(group.loc[group[test] != cc.INCONSISTENT, "items"])
                    for key, group in cells.groupby(["arm", "timepoint"], sort=False)}
        possible = [ks for ks in per_cell.values() if ks]
        joint = set.intersection(*possible) if possible else set()
        for (arm, timepoint), ks in per_cell.items():
            rows.append(dict(instrument=instrument, scale=scale, arm=arm, timepoint=timepoint,
                             possible=cc.compact_ranges(ks), joint=cc.compact_ranges(joint)))
    return pd.DataFrame(rows)


#: The check that the item counts of one module's scales fit into the module together.
MODULE_CHECK = "GRIM jointly over a module's scales"
#: The ordinary reading under which a module's scales need not fit into it side by side.
SHARED_ITEMS = "the scales share items (an item counted in more than one scale)"


def _scale_label(scale: str) -> str:
    return scale.replace("_", " ")


def _column_label(study, arm: str, timepoint: str) -> str:
    try:
        return f"arm {arm} at {study.timepoint_label(timepoint)}"
    except Exception:  # a sweep of a table whose timepoints the trial does not name
        return f"arm {arm}, {timepoint}"


#: The columns of :func:`module_item_counts`.
MODULE_COLUMNS = ["instrument", "scale", "module_size", "scales", "alone", "broken", "left_out",
                  "jointly", "others_need", "minimum", "feasible", "least", "without",
                  "jointly_without"]


def module_item_counts(sweep: pd.DataFrame, study, item_counts: dict | None = None
                       ) -> pd.DataFrame:
    """The item counts that the size of each module allows its scales jointly, from an
    :func:`item_count_sweep`: one row per (instrument, scale).

    Each scale has one item count: ``alone`` is the counts that make every mean of the scale
    possible together (a mean that no count makes possible is left out, as
    :func:`joint_item_counts` does; ``left_out`` counts them). When the module's scales do not
    share items (each item belongs to one scale, as the EORTC modules are designed), their counts
    add up to at most the module's size (the instrument library's ``n_items``), which narrows each
    scale's counts to ``jointly`` (:func:`helpers.methods.consistency.module_item_counts`);
    ``others_need`` is the fewest items the module's other scales need. A scale of the module whose
    count is known (the library, or ``item_counts``) takes part with that count.

    A scale whose own means no single count makes possible together (``broken``; its rows of
    ``GRIM jointly over a scale's means`` prove that already) takes part with at least one item,
    so that it condemns no other scale.

    ``without`` names the means (``scale/arm/timepoint``) each of which, left out, makes the other
    means fit into the module together, or where no single mean does, the arm-and-timepoint
    columns of the table (``*/arm/timepoint``) that do; ``jointly_without`` the counts each scale
    then has (for the first).
    """
    known = item_counts_in_use(item_counts, study)
    rows = []
    if sweep.empty or "instrument" not in sweep:  # no scale of unknown item count
        return pd.DataFrame(rows, columns=MODULE_COLUMNS)
    for instrument, cells in sweep.groupby("instrument", sort=False):
        module = SCALE_INSTRUMENT[(instrument, cells["scale"].iloc[0])]
        fixed = {scale: {k} for (owner, scale), k in known.items()
                 if owner == instrument and k is not None and scale not in set(cells["scale"])}
        possible = {key: set(group.loc[group["grim"] != cc.INCONSISTENT, "items"])
                    for key, group in cells.groupby(["scale", "arm", "timepoint"], sort=False)}

        def per_scale(leave_out=None):
            sets, left = dict(fixed), {}
            for (scale, arm, timepoint), ks in possible.items():
                if leave_out is not None and leave_out[0] in ("*", scale) \
                        and leave_out[1:] == (arm, timepoint):
                    continue
                left.setdefault(scale, 0)
                if not ks:
                    left[scale] += 1
                    continue
                sets[scale] = sets.get(scale, set(ks)) & ks
            for scale in left:
                sets.setdefault(scale, set())
            return sets, left

        def usable(sets):  # a scale whose own means need different counts: at least 1 item
            return {scale: ks or set(range(1, module.n_items + 1)) for scale, ks in sets.items()}

        alone, left = per_scale()
        broken = {scale for scale, ks in alone.items() if not ks}
        joint = cc.module_item_counts(usable(alone), module.n_items)
        columns = list(dict.fromkeys((arm, tp) for _, arm, tp in possible))
        rescued = {}
        # what, left out, lets the other means fit: one mean, else one arm-and-timepoint column
        for leave_outs in ([key for key, ks in possible.items() if ks],
                           [("*", arm, tp) for arm, tp in columns]):
            for leave_out in leave_outs if not joint["feasible"] and not rescued else []:
                sets, _ = per_scale(leave_out)
                without = cc.module_item_counts(usable(sets), module.n_items)
                if without["feasible"]:
                    rescued[leave_out] = without["allowed"]
        first = next(iter(rescued.values()), {})
        for scale in dict.fromkeys(s for s, _, _ in possible):
            rows.append(dict(
                instrument=instrument, scale=scale, module_size=module.n_items,
                scales=len(alone), alone=cc.compact_ranges(alone[scale]),
                broken=scale in broken,
                left_out=left.get(scale, 0), jointly=cc.compact_ranges(joint["allowed"][scale]),
                others_need=joint["others_need"][scale], minimum=joint["minimum"],
                feasible=joint["feasible"],
                least={s: min(ks) for s, ks in usable(alone).items()},
                without=", ".join("/".join(key) for key in rescued),
                jointly_without=cc.compact_ranges(first.get(scale, []))))
    return pd.DataFrame(rows, columns=MODULE_COLUMNS)


def _needs(least: dict) -> str:
    return ", ".join(f"{_scale_label(s)} {k}" for s, k in least.items())


def _split_words(joint: pd.DataFrame, study) -> str:
    """Which column left out makes the other means fit, and the split of items it leaves."""
    first = joint.iloc[0]
    if not first["without"]:
        return ""
    names = " or ".join(_left_out_label(study, key) for key in first["without"].split(", "))
    split = ", ".join(f"{_scale_label(r['scale'])} {r['jointly_without']}"
                      for _, r in joint.iterrows())
    return (f"leaving out {names}, the other means fit into the "
            f"{first['module_size']} items together, with {split} item(s)")


def _left_out_label(study, key: str) -> str:
    """``*/B/t3`` -> "the means of arm B at 6 months"; ``scale/B/t3`` -> "the mean of scale,
    arm B at 6 months"."""
    scale, arm, timepoint = key.split("/")
    where = _column_label(study, arm, timepoint)
    return f"the means of {where}" if scale == "*" else \
        f"the mean of {_scale_label(scale)}, {where}"


@builds
def module_ledger_rows(sweep: pd.DataFrame, study, allow_missing: bool,
                       item_counts: dict | None = None) -> pd.DataFrame:
    """Ledger rows of the check ``GRIM jointly over a module's scales`` (:data:`MODULE_CHECK`):
    do the item counts that make the means of a module's scales possible fit into the module,
    when its scales do not share items? That is the assumption every row states; its
    ``possible_if`` is the reading that the scales share items.

    - one row per arm and timepoint (claim ``outcomes:<instrument>/*/<arm>/<timepoint>:mean``),
      where every mean of that column is possible on its own: ``inconsistent`` when their
      smallest item counts add up to more than the module's size;
    - one row per module (``outcomes:<instrument>/*/*/*:mean``), each scale with one item count
      over all its means (:func:`module_item_counts`): ``inconsistent`` when the scales' smallest
      counts add up to more than the module's size;
    - one row per scale (``outcomes:<instrument>/<scale>/*/*:mean``): the counts the scale has
      alone and those the module's size leaves it next to the other scales; ``inconsistent``
      (one problem with the module's row) when none.
    """
    answered = "missing items allowed (half rule)" if allow_missing else "complete items"
    joint = module_item_counts(sweep, study, item_counts)
    rows = []
    for instrument, scales in joint.groupby("instrument", sort=False):
        size = int(scales["module_size"].iloc[0])
        cells = sweep[sweep["instrument"] == instrument]
        source = table_of(instrument, study)
        disjoint = (f"the {instrument} scales do not share items (each item belongs to one "
                    f"scale, as the EORTC modules are designed), so their item counts add up to "
                    f"at most the module's {size}")
        metrics = "; ".join(dict.fromkeys(metric_of(s, study, instrument)
                                          for s in scales["scale"]))
        for (arm, timepoint), column in cells.groupby(["arm", "timepoint"], sort=False):
            broken = set(scales.loc[scales["broken"], "scale"])
            possible = {scale: set(range(1, size + 1)) if scale in broken else
                        set(group.loc[group["grim"] != cc.INCONSISTENT, "items"])
                        for scale, group in column.groupby("scale", sort=False)}
            if not all(possible.values()):
                continue  # a mean impossible on its own is the row of its own cell
            together = cc.module_item_counts(possible, size)
            least = {s: min(ks) for s, ks in possible.items()}
            first = column.drop_duplicates("scale")
            rows.append(dict(
                claim_id=claim_id("outcomes", (instrument, "*", arm, timepoint), "mean"),
                source=source,
                quantity=f"{instrument}, {_column_label(study, arm, timepoint)}: the means of "
                         f"its {len(possible)} scales together",
                published=", ".join(first["mean"]),
                recomputed=f"at least {together['minimum']} items ({_needs(least)}) of "
                           f"{size}",
                check=MODULE_CHECK,
                verdict="consistent" if together["feasible"] else "inconsistent",
                assumption=f"{metrics}; {disjoint}; {answered}; n as printed",
                problem=f"outcomes:{instrument}/*/{arm}/{timepoint}",
                note=(f"each mean is possible on its own, but their smallest item counts add up "
                      f"to {together['minimum']}, more than the module's {size} items"
                      if not together["feasible"] else
                      f"the means are possible together with {together['minimum']} or more of "
                      f"the {size} items"),
                possible_if="" if together["feasible"] else SHARED_ITEMS))
        first = scales.iloc[0]
        # one problem: the module's, or the one column whose means, left out, let the others fit
        rescuing = first["without"].split(", ") if first["without"] else []
        problem = (f"outcomes:{instrument}/{rescuing[0]}" if len(rescuing) == 1
                   else f"outcomes:{instrument}/*/*/*")
        left = int(scales["left_out"].sum())
        split = _split_words(scales, study)
        if first["minimum"] is not None and not pd.isna(first["minimum"]):
            rows.append(dict(
                claim_id=claim_id("outcomes", (instrument, "*", "*", "*"), "mean"),
                source=source,
                quantity=f"{instrument}: item counts of its {first['scales']} scales together",
                published="; ".join(f"{_scale_label(s)}: " + ", ".join(
                    cells.loc[(cells["scale"] == s) & (cells["items"] == cells["items"].min()),
                              "mean"]) for s in scales["scale"]),
                recomputed=f"at least {int(first['minimum'])} items ({_needs(first['least'])}) "
                           f"of {size}",
                check=MODULE_CHECK,
                verdict="consistent" if first["feasible"] else "inconsistent",
                problem=problem,
                assumption=f"{metrics}; {disjoint}; one item count per scale; {answered}; "
                           f"n as printed",
                note="; ".join(filter(None, [
                    f"each scale's smallest count that makes its means possible together"
                    + (f" ({left} mean(s) impossible with every count left out)" if left else ""),
                    ", ".join(_scale_label(x) for x in scales.loc[scales["broken"], "scale"])
                    + " (whose means no single count makes possible together) counted with at "
                      "least 1 item" if scales["broken"].any() else "",
                    f"together more than the module's {size} items" if not first["feasible"]
                    else f"together within the module's {size} items", split])),
                possible_if="" if first["feasible"] else SHARED_ITEMS))
        for _, row in scales.iterrows():
            if not row["alone"]:
                continue
            narrowed = row["jointly"]
            rows.append(dict(
                claim_id=claim_id("outcomes", (instrument, row["scale"], "*", "*"), "mean"),
                source=source,
                quantity=f"{instrument} {_scale_label(row['scale'])}: item count of the scale "
                         f"beside the module's other scales",
                published=", ".join(cells.loc[(cells["scale"] == row["scale"])
                                              & (cells["items"] == cells["items"].min()),
                                              "mean"]),
                recomputed=f"{row['alone']} item(s) alone; "
                           + (f"{narrowed} item(s) beside the other scales" if narrowed else
                              "none beside the other scales"),
                check=MODULE_CHECK,
                verdict="consistent" if narrowed else "inconsistent",
                problem=problem,
                assumption=f"{metric_of(row['scale'], study, instrument)}; {disjoint}; one item "
                           f"count per scale; {answered}; n as printed",
                note="; ".join(filter(None, [
                    f"the module's other scales need at least {int(row['others_need'])} of its "
                    f"{size} items" if not pd.isna(row["others_need"]) else
                    "another scale of the module has no possible count",
                    (f"leaving out {_left_out_label(study, row['without'].split(', ')[0])}: "
                     f"{row['jointly_without']} item(s)") if row["without"] else ""])),
                possible_if="" if narrowed else SHARED_ITEMS))
    return pd.DataFrame(rows)


def describe_module(sweep: pd.DataFrame, study, item_counts: dict | None = None) -> str:
    """Markdown bullets: each scale's item counts alone and beside the module's other scales
    (:func:`module_item_counts`), and the split of items left when one column is left out."""
    joint = module_item_counts(sweep, study, item_counts)
    lines = []
    for instrument, scales in joint.groupby("instrument", sort=False):
        first = scales.iloc[0]
        size = int(first["module_size"])
        for _, row in scales.iterrows():
            lines.append(f"- {instrument} {_scale_label(row['scale'])}: "
                         f"{row['alone'] or 'no'} item(s) alone; "
                         f"{row['jointly'] or 'none'} beside the other scales"
                         + (f" (they need at least {int(row['others_need'])} of {size})"
                            if not pd.isna(row["others_need"]) else "") + ".")
        split = _split_words(scales, study)
        if split:
            lines.append(f"- {split[0].upper()}{split[1:]}.")
    return "\n".join(lines)


@builds
def item_count_ledger_rows(sweep: pd.DataFrame, study, allow_missing: bool) -> pd.DataFrame:
    """Ledger rows for means of unknown item count, the count inferred jointly per scale.

    Per cell (check ``GRIM over item counts``): ``inconsistent`` when no count in the sweep makes
    the mean possible, ``consistent`` when one does, ``unverifiable`` when none can test it. Per
    scale (check ``GRIM jointly over a scale's means``): ``inconsistent`` when no single count makes
    the scale's other means possible together, else ``consistent`` with the counts that do.
    """
    keys = ["instrument", "scale", "arm", "timepoint"]
    answered = "missing items allowed (half rule)" if allow_missing else "complete items"
    k_low, k_high = int(sweep["items"].min()), int(sweep["items"].max())
    joint = joint_item_counts(sweep).set_index(keys)
    module = module_item_counts(sweep, study).set_index(["instrument", "scale"])

    def beside(instrument, scale) -> str:  # what the module's size leaves the scale
        row = module.loc[(instrument, scale)]
        if not row["alone"]:
            return ""
        return (f"; beside the module's other scales (if no item is shared, "
                f"{row['module_size']} items in all): "
                + (f"{row['jointly']} item(s)" if row["jointly"] else
                   f"none (they need at least {int(row['others_need'])})"))
    rows = []
    for key, cells in sweep.groupby(keys, sort=False):
        good = cells.loc[cells["grim"] != cc.INCONSISTENT, "items"].tolist()
        testable = (cells["grim"] != cc.UNVERIFIABLE).any()
        verdict = ("inconsistent" if not good else "consistent" if testable else "unverifiable")
        first = cells.iloc[0]
        together = joint.loc[key, "joint"]
        rows.append(dict(
            claim_id=cell_id("outcomes", "/".join(map(str, key)), "mean"),
            source=table_of(key[0], study),
            quantity=f"{key[0]} {key[1]}, arm {key[2]}, {key[3]}: mean",
            published=first["mean"], recomputed=f"possible with {cc.compact_ranges(good)} item(s)"
            if good else f"impossible with {k_low}-{k_high} items",
            check="GRIM over item counts", verdict=verdict,
            assumption=f"{metric_of(key[1], study, key[0])}; one item count from {k_low} to "
                       f"{k_high} "
                       f"(the module's size; map not public); {answered}; n as printed "
                       f"({first['n']})",
            note=(f"the scale's other means are possible together with {together} item(s)"
                  if together else "no single item count makes the scale's means possible "
                  "together") + beside(key[0], key[1])))
    for (instrument, scale), cells in joint.reset_index().groupby(["instrument", "scale"],
                                                                   sort=False):
        together = cells["joint"].iloc[0]
        impossible = cells[cells["possible"] == ""]
        rows.append(dict(
            claim_id=claim_id("outcomes", (instrument, scale, "*", "*"), "mean"),
            source=table_of(instrument, study),
            quantity=f"{instrument} {scale}: item count of the scale",
            published=", ".join(sweep.loc[(sweep["instrument"] == instrument)
                                          & (sweep["scale"] == scale)
                                          & (sweep["items"] == k_low), "mean"]),
            recomputed=f"{together} item(s)" if together else "no single count",
            check="GRIM jointly over a scale's means",
            verdict="consistent" if together else "inconsistent",
            problem=f"outcomes:{instrument}/{scale}:item count",
            assumption=f"{metric_of(scale, study, instrument)}; the scale has one item count "
                       f"from {k_low} to "
                       f"{k_high}; "
                       f"{answered}; n as printed",
            note=(f"{len(impossible)} mean(s) impossible with every count, left out; " if
                  len(impossible) else "") + (f"the other means are possible together with "
                                              f"{together} item(s)" if together else
                                              "the other means need different counts")
            + beside(instrument, scale)))
    return pd.DataFrame(rows)


def _rounding_words(rounding: str) -> str:
    return "half up or half even" if rounding == "either" else rounding.replace("_", " ")




@builds
def metric_rows(outcomes: pd.DataFrame, claims: pd.DataFrame, study, rounding: str = "either"
                ) -> pd.DataFrame:
    """Ledger rows: is each scale reported on the metric the Methods state (0-100 for the EORTC
    modules, 0-50 for the QSC-R10)?

    A scale whose means all lie within one item's response range (1-4) reads like the raw item
    metric. That is a proof only where the stated metric cannot give the means: GRIM on the stated
    0-100 score, with complete items, rejects some mean of the scale at every item count from 1 to
    the module's size (the scale has one item count). With missing items allowed the grid is finer
    and nothing is proven; the note says so.
    """
    rows = []
    for (instrument, scale), cells in outcomes.groupby(["instrument", "scale"], sort=False):
        top = study.instrument(instrument).high
        top = int(top) if top is not None and float(top).is_integer() else top
        largest, smallest = cells["mean"].max(), cells["mean"].min()
        module, known = _library_scale(instrument, scale)
        low, high = module.range_of(known)
        on_item_metric = bool(cells["mean"].between(low, high).all() and top == 100)
        metric = metric_of(scale, study, instrument)
        if on_item_metric != metric.startswith("item_mean"):
            raise ValueError(f"{scale}: trial.yaml says {metric}, the means say otherwise")
        if not on_item_metric:
            rows.append(dict(
                claim_id=claim_id("outcomes", (instrument, scale, "*", "*"), "mean"),
                source=table_of(instrument, study),
                quantity=f"{instrument} {scale}: metric of the published means",
                published=", ".join(cells["mean_printed"]), recomputed=metric,
                check="reported metric", verdict="consistent",
                assumption=f"Methods: {instrument} range 0-{top}",
                note=f"means from {smallest:g} to {largest:g}, on 0-{top}"))
            continue
        means, n = value_in_force(cells, "mean").tolist(), cells["n"].astype(int).tolist()
        failing = _failing_by_item_count(means, n, module.n_items, low, high, rounding, False)
        proven = all(count > 0 for count in failing.values())
        failing_missing = _failing_by_item_count(means, n, module.n_items, low, high, rounding,
                                                 True)
        possible_missing = [k for k, count in failing_missing.items() if count == 0]
        rows.append(dict(
            claim_id=claim_id("outcomes", (instrument, scale, "*", "*"), "mean"),
            source=table_of(instrument, study),
            quantity=f"{instrument} {scale}: metric of the published means",
            published=", ".join(cells["mean_printed"]),
            recomputed=f"{metric} (means {smallest:g} to {largest:g}, SDs up to "
                       f"{cells['sd'].max():g})",
            check="reported metric", verdict="inconsistent" if proven else "consistent",
            assumption=f"Methods: {instrument} range 0-{top}; one item count from 1 to "
                       f"{module.n_items} (the module's size); complete items; n as printed",
            note=(f"every mean lies in {low}-{high}; as 0-{top} scores GRIM rejects "
                  f"{min(failing.values())} to {max(failing.values())} of the {len(means)} means "
                  f"at every item count from 1 to {module.n_items}, so they are not 0-{top} "
                  "scores of complete answers; with missing items allowed (half rule) GRIM "
                  "cannot exclude them" if proven else
                  f"every mean lies in {low}-{high}, which reads like the item metric, but some "
                  f"item count makes every mean possible as a 0-{top} score"),
            possible_if=(f"missing items are allowed (half rule; then "
                         f"{cc.compact_ranges(possible_missing)} items make every mean possible)"
                         if proven and possible_missing else "")))
    return pd.DataFrame(rows)


def _failing_by_item_count(means, n, n_items: int, low, high, rounding: str,
                           allow_missing: bool) -> dict[int, int]:
    """For each item count from 1 to ``n_items``: how many of ``means`` GRIM rejects as 0-100
    symptom scores of items scored ``low``-``high`` (with missing items allowed or not)."""
    failing = {}
    for k in range(1, n_items + 1):
        grid = scoring.granularity("symptom", k, low, high, allow_missing=allow_missing)
        verdicts = cc.grim(means, n, grid["step"], rounding=rounding,
                           scale_min=grid["low"], scale_max=grid["high"])["consistency"]
        failing[k] = int((verdicts == cc.INCONSISTENT).sum())
    return failing


def describe_direction(items: pd.DataFrame, scale, study) -> str:
    """Markdown bullets: each item of a scale, how its mean moved from baseline to the last
    follow-up in each arm, and what a fall means given its wording, under both readings of the
    table where they differ (the answers as given, or a positively worded item already
    recoded)."""
    first, last = study.baseline.id, study.timepoints[-1].id
    positive = positively_worded(study.item_instrument)
    lines = []
    for item in scale.items:
        cells = items[items["item"] == item].set_index(["arm", "timepoint"])
        moves = []
        for arm in study.arm_ids:
            start, end = cells.loc[(arm, first), "mean_printed"], cells.loc[(arm, last), "mean_printed"]
            moves.append(f"arm {arm} {start} to {end}")
        meaning = ("as answered, a fall means *less* hope or positive feeling (worse); printed "
                   "recoded, it means more (better)" if item in positive
                   else "a fall means less worry or isolation (better) either way")
        question = cells["question"].iloc[0]
        lines.append(f"- Item {item}, \u201c{markup.text(question)}\u201d: {', '.join(moves)}; "
                     f"{meaning}.")
    return "\n".join(lines)
