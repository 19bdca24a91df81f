"""One instrument's chapter: the analysis notebooks 03-05 share, as one function.

Each of those chapters asks the same questions of one instrument's table: do the published
p-values and effect sizes follow from the published means, SDs and n (under which model of the
analysis), which effect-size definition did the paper use, does each effect size imply its p,
how large were the baseline differences, and do the paper's sentences about the table hold.
:func:`analyse` answers them and returns one object; a notebook keeps only its prose, its
instrument's own sections, and the anchors of its headings (where the ledger rows link).

Nothing here is about one trial: the instrument, the trial (arms, timepoints, where the table is
printed) and the data come in as arguments.

Examples
--------
>>> from helpers.reanalysis import trial
>>> study = trial.load("data/published")
>>> chapter = analyse("QSCR10", study, "data/published")
>>> sorted(chapter.glue_values("qscr10"))[:3]
['qscr10_best_definition', 'qscr10_best_definition_hits', 'qscr10_es_consistent']
>>> len(chapter.comparison), chapter.table
(2, 'Table 5')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from ..methods import effects
from . import data, markup, statements
from .baseline_balance import outcome_baseline_differences
from .wide import contrasts

__all__ = ["InstrumentChapter", "ItemAnalysis", "analyse", "focus_by_r", "analyse_items"]

VERDICTS_P = ("reproduced", "consistent", "not_reproducible", "unverifiable")
VERDICTS_ES_P = ("consistent", "not_reproducible", "unverifiable")
VERDICTS_STATEMENTS = ("consistent", "inconsistent", "unverifiable")


@dataclass
class InstrumentChapter:
    """What :func:`analyse` found for one instrument.

    ``frame``: both arms' summaries per scale and contrast
    (:func:`helpers.reanalysis.wide.contrasts`); ``comparison``: published against recomputed
    (:func:`helpers.methods.effects.reanalyse`);
    ``unreachable``: the p-values no plausible model reaches, in words (``unreachable_es``: the
    effect sizes no definition reaches at a plausible r); ``definitions``: how
    many published effect sizes each candidate definition gives; ``baseline``: each scale's
    baseline imbalance beside the change and ANCOVA p; ``sentences``: the paper's sentences
    about this table, evaluated; ``estimands``: the rows of ``results/effect_sizes.csv``;
    ``p_rows`` and ``statement_rows``: ledger rows.
    """

    instrument: str
    table: str
    frame: pd.DataFrame
    comparison: pd.DataFrame
    unreachable: str
    definitions: pd.DataFrame
    baseline: pd.DataFrame
    sentences: pd.DataFrame
    estimands: pd.DataFrame
    p_rows: pd.DataFrame
    statement_rows: pd.DataFrame
    plausible_r: tuple[float, float] = (0.0, 0.0)
    unreachable_es: str = "None."
    extra: dict = field(default_factory=dict)

    def glue_values(self, prefix: str = "") -> dict:
        """The numbers the chapter's prose quotes, by glue name (``<prefix>_...``, or bare
        names without a prefix: the instrument chapter is one notebook per instrument, so its
        names need no instrument in them)."""
        comparison = self.comparison
        p_counts = comparison["p_verdict"].value_counts()
        es_counts = comparison["es_verdict"].value_counts()
        es_p_counts = comparison["es_p_verdict"].value_counts()
        said = self.sentences["verdict"].value_counts()
        best = self.definitions.iloc[0]
        values = {
            "n_tests": len(comparison),
            "implied_r_min": float(comparison["implied_r_low"].min()),
            "implied_r_max": float(comparison["implied_r_high"].max()),
            "n_implausible_r": int(comparison["p_method"].str.contains("implausible").sum()),
            "es_n_implausible_r": int(comparison["es_models"].str.contains("implausible").sum())
            if "es_models" in comparison else 0,
            "plausible_r": f"{self.plausible_r[0]:g} to {self.plausible_r[1]:g}",
            "best_definition": self.definitions.index[0],
            "best_definition_hits": int(best["reproduced"]),
            "es_p_reason": (comparison["es_p_note"].iloc[0]
                            if (comparison["es_p_verdict"] == "unverifiable").all()
                            else "see the table"),
            "statements": len(self.sentences),
        }
        for verdict in VERDICTS_P:
            values[f"p_{verdict}"] = int(p_counts.get(verdict, 0))
            values[f"es_{verdict}"] = int(es_counts.get(verdict, 0))
        for verdict in VERDICTS_ES_P:
            values[f"es_p_{verdict}"] = int(es_p_counts.get(verdict, 0))
        for verdict in VERDICTS_STATEMENTS:
            values[f"statements_{verdict}"] = int(said.get(verdict, 0))
        return {f"{prefix}_{name}" if prefix else name: value for name, value in values.items()}


def _unreachable(comparison: pd.DataFrame) -> str:
    rows = comparison[comparison["p_verdict"] == "not_reproducible"]
    return "\n".join(f"- {markup.text(row['scale'].replace('_', ' '))}, "
                     f"{markup.text(row['contrast'])}: published p = "
                     f"{markup.text(row['p_published'])}; {markup.text(row['p_note'])}."
                     for _, row in rows.iterrows()) or "None."


def _unreachable_effect_sizes(comparison: pd.DataFrame) -> str:
    """The effect sizes no candidate definition reaches at a plausible r, each with the r at
    which the SD-of-change definition reaches it, if any, and the nearest definition over the
    whole range of r (:func:`helpers.methods.effects.reanalyse`'s ``es_note``)."""
    if "es_note" not in comparison:
        return "None."
    rows = comparison[comparison["es_verdict"] == "not_reproducible"]
    return "\n".join(f"- {markup.text(row['scale'].replace('_', ' '))}, "
                     f"{markup.text(row['contrast'])}: published "
                     f"{markup.text(row['es_published'])}; {markup.text(row['es_note'])}."
                     for _, row in rows.iterrows()) or "None."


def _stated(study) -> dict:
    """What the paper states of its analysis (``trial.yaml``'s ``methods:``), as
    :func:`helpers.methods.effects.reanalyse` takes it; nothing where it states nothing."""
    methods = getattr(study, "methods", None)
    return dict(methods.declared) if methods is not None else {}


def analyse(instrument: str, study, data_dir: str | os.PathLike, *, r: float = 0.5,
            alpha: float = 0.05, plausible_r=effects.PLAUSIBLE_R, r_grid=(0.5,)
            ) -> InstrumentChapter:
    """Every shared analysis of one instrument's table (see the module docstring).

    Parameters
    ----------
    instrument : str
        An instrument of the trial (``trial.yaml``).
    study : helpers.reanalysis.trial.Trial
        The trial: arms, timepoints, where the paper prints the instrument's table.
    data_dir : path-like
        The data folder.
    r, alpha, plausible_r, r_grid
        The working pre-post correlation, the paper's significance level, the plausible range
        of r, and the values of r written to ``results/effect_sizes.csv``.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha}")
    low, high = (float(v) for v in plausible_r)
    outcomes = data.load_outcomes(data_dir)
    published_effects = data.load_effects(data_dir)
    sentences = data.load_statements(data_dir)
    named = statements.named_test(sentences)
    mine = outcomes[outcomes["instrument"] == instrument]
    if mine.empty:
        raise ValueError(f"{data_dir}/outcomes.csv: no rows of {instrument!r}, which trial.yaml "
                         "declares; add its rows (instrument, scale, arm, timepoint, n, mean, sd, "
                         "source), or remove it from trial.yaml's instruments if the paper "
                         "prints no table of it")
    frame = contrasts(mine, study)
    on = ["instrument", "scale", "arm", "versus", "contrast"]
    published = frame[on].merge(published_effects, on=on, how="left")
    stated = _stated(study)
    comparison = effects.reanalyse(frame, published, r, alpha, (low, high), named, **stated)
    definitions = effects.definition_summary(frame, published, r)
    gap = outcome_baseline_differences(mine, study)
    baseline = comparison[["scale", "arm", "versus", "contrast", "p_published", "p_change",
                           "p_ancova"]].merge(
        gap.assign(scale=gap["characteristic"].str.split().str[1])[
            ["scale", "arm", "versus", "smd"]].rename(columns={"smd": "baseline_smd"}),
        on=["scale", "arm", "versus"])
    evaluated = statements.evaluate(sentences, published_effects, data.load_item_tests(data_dir),
                                    outcomes, data.load_items(data_dir),
                                    data.load_claims(data_dir), study, alpha)
    chapter_sentences = statements.for_chapter(evaluated, sentences, instrument, study)
    table = study.instrument(instrument).table
    return InstrumentChapter(
        instrument=instrument, table=table, frame=frame, comparison=comparison,
        unreachable=_unreachable(comparison), definitions=definitions, baseline=baseline,
        sentences=chapter_sentences, estimands=effects.estimand_rows(
            frame if study.k_arms else frame.drop(columns=["arm", "versus"]), r_grid),
        p_rows=effects.ledger_rows(comparison, "effects", table, r, named),
        statement_rows=statements.ledger_rows(chapter_sentences, alpha),
        plausible_r=(low, high), unreachable_es=_unreachable_effect_sizes(comparison))


def _first_comparison(frame: pd.DataFrame):
    """A mask maker for the rows of the first comparison of ``frame`` (its first ``arm`` and
    ``versus``): a trial of several comparisons follows its focus scale in the first one."""
    arm, versus = frame["arm"].iloc[0], frame["versus"].iloc[0]

    def mask(table: pd.DataFrame) -> pd.Series:
        return (table["arm"] == arm) & (table["versus"] == versus)
    return mask


def focus_by_r(found: InstrumentChapter, scale: str, r_grid, alpha: float
               ) -> tuple[pd.DataFrame, dict]:
    """One scale followed across the pre-post correlation: its baseline-adjusted (ANCOVA-type)
    p at each follow-up for every r of ``r_grid``, and the numbers prose quotes about it.

    The glue values: ``focus_baseline_smd``; per follow-up ``<t>`` (the contrast's second
    timepoint) ``focus_p_ancova_<t>`` and ``focus_p_follow_up_<t>`` at the working r;
    ``focus_ancova_significant_from_r``, the smallest r of the grid from which every larger r
    keeps every follow-up's p below ``alpha`` (NaN if none), and ``focus_ancova_p_max_there``,
    the largest p over those r.
    """
    first = _first_comparison(found.frame)
    rows = found.comparison[(found.comparison["scale"] == scale)
                            & first(found.comparison)].set_index("contrast")
    if rows.empty:
        raise ValueError(f"{found.instrument}: no scale {scale!r} in its table")
    values: dict = {}
    for contrast, row in rows.iterrows():
        follow_up = str(contrast).split("-", 1)[-1]
        values[f"focus_p_ancova_{follow_up}"] = float(row["p_ancova"])
        values[f"focus_p_follow_up_{follow_up}"] = float(row["p_welch_follow_up"])
    gaps = found.baseline[first(found.baseline)].set_index("scale")
    values["focus_baseline_smd"] = float(gaps.loc[[scale], "baseline_smd"].iloc[0])
    frame = found.frame[(found.frame["scale"] == scale)
                        & first(found.frame)].reset_index(drop=True)
    contrasts_ = list(frame["contrast"])
    by_r = pd.DataFrame([{"r": float(value), **{contrast: float(p) for contrast, p in zip(
        contrasts_, effects.ancova(frame, value)["p_value"])}} for value in r_grid])
    below = (by_r[contrasts_] < alpha).all(axis=1)
    from_r = [value for value in by_r["r"] if below[by_r["r"] >= value].all()]
    values["focus_ancova_significant_from_r"] = min(from_r) if from_r else float("nan")
    values["focus_ancova_p_max_there"] = (
        float(by_r.loc[by_r["r"] >= min(from_r), contrasts_].to_numpy().max()) if from_r
        else float("nan"))
    return by_r, values


@dataclass
class ItemAnalysis:
    """The item table's p-values reanalysed as :func:`analyse` does a scale's (each item with
    the n of the scale it belongs to): ``comparison``, the ``glue`` values (``items_*``), the
    ledger ``rows``, the ``estimands`` for ``results/effect_sizes.csv``, and the ``table``
    where the paper prints it."""

    table: str
    frame: pd.DataFrame
    comparison: pd.DataFrame
    glue: dict
    rows: pd.DataFrame
    estimands: pd.DataFrame


def analyse_items(study, data_dir: str | os.PathLike, *, r: float = 0.5, alpha: float = 0.05,
                  plausible_r=effects.PLAUSIBLE_R, r_grid=(0.5,)) -> ItemAnalysis | None:
    """The item table's analysis, or None where the paper prints no item table (no rows in
    ``items.csv`` or no item p-values in ``item_tests.csv``)."""
    items = data.load_items(data_dir)
    item_tests = data.load_item_tests(data_dir)
    if items.empty or item_tests.empty or not study.item_instrument:
        return None
    from .wide import items_as_outcomes

    outcomes = data.load_outcomes(data_dir)
    named = statements.named_test(data.load_statements(data_dir))
    frame = contrasts(items_as_outcomes(items, outcomes, study), study)
    frame = frame[_first_comparison(frame)(frame)].reset_index(drop=True)  # items: one test each
    published = frame.assign(item=frame["scale"].str.removeprefix("item_").astype(int))[
        ["item", "contrast"]].merge(item_tests, on=["item", "contrast"], how="left")
    low, high = (float(v) for v in plausible_r)
    comparison = effects.reanalyse(frame, published, r, alpha, (low, high), named,
                                   **_stated(study))
    counts = comparison["p_verdict"].value_counts()
    values: dict = {f"items_p_{verdict}": int(counts.get(verdict, 0)) for verdict in VERDICTS_P}
    values["items_n_tests"] = len(comparison)
    small = comparison[comparison["p_published"].astype(float) < alpha]
    values["items_n_small"] = len(small)
    values["items_small_follow_up_min"] = (
        float(effects.p_range(frame.loc[small.index])["p_min"].min()) if len(small)
        else float("nan"))
    values["items_n_small_by_change"] = int(small["p_method"].str.contains("of change").sum())
    sources = (items["source"].dropna().astype(str) if "source" in items
               else pd.Series([], dtype=str))
    table = sources.iloc[0] if len(sources) else "the item table"
    return ItemAnalysis(table=table, frame=frame, comparison=comparison, glue=values,
                        rows=effects.ledger_rows(comparison, "item_tests", table, r, named),
                        estimands=effects.estimand_rows(
                            frame if study.k_arms else frame.drop(columns=["arm", "versus"]),
                            r_grid))
