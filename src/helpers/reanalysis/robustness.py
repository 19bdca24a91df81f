"""The trial's published between-group tests as one family, and which way is better on each: what
the robustness analyses of :mod:`helpers.methods.sensitivity` (multiplicity, tipping points,
priors, rank bounds) take as their input.
"""

from __future__ import annotations

import pandas as pd

from ..methods.ledger import claim_id
from .instruments import better_direction
from .wide import contrasts, items_as_outcomes

__all__ = ["family", "directions"]


def family(outcomes: pd.DataFrame, published_effects: pd.DataFrame, items: pd.DataFrame,
           item_tests: pd.DataFrame, study) -> pd.DataFrame:
    """Every between-group test the paper reports (the scales of its outcome tables and the items
    of its item table) with its published p and the arms' summaries
    (:func:`helpers.reanalysis.wide.contrasts`).

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> folder = "data/published"
    >>> tests = family(data.load_outcomes(folder), data.load_effects(folder),
    ...                data.load_items(folder), data.load_item_tests(folder), trial.load(folder))
    >>> row = tests[tests["label"] == "QSCR10 distress, t0-t3"].iloc[0]
    >>> float(row["p"]), float(row["m1_a"]), int(row["n1_b"])
    (0.016, 15.44, 18)
    """
    on = ["instrument", "scale", "arm", "versus", "contrast"]
    scales = contrasts(outcomes, study).merge(
        published_effects[on + ["p", "p_printed", "source"]], on=on)
    scales["claim_id"] = [claim_id("effects", key, "p") for key in scales["key"]]
    if items.empty or item_tests.empty:  # a paper without an item table
        return _labelled(scales)
    item_frame = contrasts(items_as_outcomes(items, outcomes, study), study)
    item_frame = item_frame[(item_frame["arm"] == study.treatment.id)
                            & (item_frame["versus"] == study.control.id)]
    item_frame["item"] = item_frame["scale"].str.removeprefix("item_").astype(int)
    item_frame = item_frame.merge(item_tests[["item", "contrast", "p", "p_printed", "source"]],
                                  on=["item", "contrast"]).drop(columns="item")
    item_frame["claim_id"] = [claim_id("item_tests", (scale.removeprefix("item_"), contrast), "p")
                              for scale, contrast in zip(item_frame["scale"],
                                                         item_frame["contrast"])]
    return _labelled(pd.concat([scales, item_frame], ignore_index=True))


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    """The family with each test's label (``BM22 psychosocial aspects, t0-t2``)."""
    table = table.reset_index(drop=True)
    between = table["comparison"].where(table["comparison"] == "", table["comparison"] + ", ")
    table["label"] = (table["instrument"] + " " + table["scale"].str.replace("_", " ") + ", "
                      + between + table["contrast"])
    return table


def directions(frame: pd.DataFrame, study=None) -> list[str]:
    """Which way is better for each row (``instrument``, ``scale``), from the instruments' facts
    and what the trial ``study`` declares of its printed scales
    (:func:`helpers.reanalysis.instruments.better_direction`,
    :meth:`helpers.reanalysis.trial.Trial.better_of`): ``lower`` or ``higher`` where every
    reading of the printed tables agrees, ``""`` where it depends on how they are read.

    Examples
    --------
    >>> directions(pd.DataFrame({"instrument": ["QSCR10", "BM22", "BM22"],
    ...                          "scale": ["distress", "item_21", "item_18"]}))
    ['lower', '', 'lower']
    """
    out = []
    for instrument, scale in zip(frame["instrument"], frame["scale"]):
        printed = study.better_of(instrument, scale) if study is not None else None
        ways = {better_direction(instrument, scale, recoded, printed)
                for recoded in (False, True)}
        out.append(ways.pop() if len(ways) == 1 and ways <= {"lower", "higher"} else "")
    return out
