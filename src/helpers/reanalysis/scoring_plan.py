"""Which sections a trial's scoring chapter has: what there is to score, read from the trial
(``trial.yaml``), its item table and the instrument library.

A scoring section exists only where there is something to score: scales whose item count the
library does not know (their granularity is a parameter), scales the tables print on another
metric than their instrument's, and scales whose every item the item table prints (the scale
mean can be rebuilt from the item means). Each function returns the (instrument, scale) pairs
in the trial's table order; an empty list means the section is left out.
"""

from __future__ import annotations

import pandas as pd

from .instruments import INSTRUMENTS
from .table_checks import item_counts_in_use

__all__ = ["scales_with_unknown_item_counts", "scales_off_metric",
           "scales_rebuildable_from_items"]


def scales_with_unknown_item_counts(study, item_counts: dict | None = None
                                    ) -> list[tuple[str, str]]:
    """The trial's scales whose item count is not known: not public in the library (QLQ-FA13)
    and not given in ``item_counts`` (keys as
    :func:`helpers.reanalysis.table_checks.item_counts_in_use` reads them).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> [scale for _, scale in scales_with_unknown_item_counts(study)]
    ['physical_fatigue', 'emotional_fatigue', 'cognitive_fatigue', 'interference_daily_life', 'social_sequelae']
    >>> len(scales_with_unknown_item_counts(study, {"FA13/physical_fatigue": 4}))
    4
    """
    return [key for key, count in item_counts_in_use(item_counts, study).items()
            if count is None]


def scales_off_metric(study) -> list[tuple[str, str, str]]:
    """The trial's scales its tables print on another metric than their instrument's (a
    ``scale_metrics`` entry of ``trial.yaml``: two QLQ-FA13 scales printed as raw item means),
    as (instrument, scale, metric).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> scales_off_metric(trial.load("data/published"))
    [('FA13', 'interference_daily_life', 'item_mean_1_4'), ('FA13', 'social_sequelae', 'item_mean_1_4')]
    """
    return [(instrument.id, scale, instrument.metric_of(scale))
            for instrument in study.instruments for scale in instrument.scales
            if instrument.metric_of(scale) != instrument.metric]


def scales_rebuildable_from_items(study, items: pd.DataFrame | None) -> list[tuple[str, str]]:
    """The scales of the trial's item instrument whose items (as the library lists them) the
    item table ``items`` prints, every one: their means can be rebuilt from the item means.
    None when the paper prints no item table (``items`` None or empty).

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> scales_rebuildable_from_items(trial.load("data/published"),
    ...                               data.load_items("data/published"))
    [('BM22', 'psychosocial_aspects')]
    """
    if items is None or items.empty or not study.item_instrument:
        return []
    owner = study.item_instrument
    printed = set(pd.to_numeric(items["item"]).astype(int))
    library = INSTRUMENTS.get(owner)
    if library is None:
        return []
    return [(owner, scale) for scale in study.instrument(owner).scales
            if library.has_scale(scale) and library.scale(scale).items
            and set(library.scale(scale).items) <= printed]
