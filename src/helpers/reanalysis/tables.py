"""The published tables laid out as the paper prints them, from the transcription.

Cells show the value as printed; where a correction applies, the cell shows both, as
``printed → corrected``, so a reader sees the typo and its fix side by side.
"""

from __future__ import annotations

import functools
import math
import re

import pandas as pd

from . import data

__all__ = ["shown", "baseline_table", "outcome_table", "effects_table", "item_table",
           "printed_n", "reported_precision", "published_tests", "scale_label", "words_for",
           "in_words", "text_in_words", "WORDS_FILE", "reader_words", "for_reader",
           "show_for_readers"]

#: The engine's code names in words (columns, metrics, verdicts), relative to the project root.
WORDS_FILE = "data/claims/words.yaml"


def shown(table: pd.DataFrame, column: str) -> pd.Series:
    """A column as printed, with ``printed → corrected`` where a correction applies.

    Examples
    --------
    >>> outcomes = data.load_outcomes("data/published")
    >>> cell = outcomes.query("scale == 'social_sequelae' and arm == 'A' and timepoint == 't0'")
    >>> shown(cell, "mean").item()
    '1150 → 1.50'
    """
    printed = table[f"{column}_printed"]
    corrected = table["corrected"].str.split(",").map(lambda columns: column in columns)
    values = table[column].astype(object)
    decimals = table[f"{column}_decimals"]
    fixed = [f"{p} → {v:.{int(d)}f}" for p, v, d in zip(printed[corrected], values[corrected],
                                                         decimals[corrected])]
    return printed.mask(corrected, pd.Series(fixed, index=printed[corrected].index, dtype=object))


def _ordered(values: pd.Series, order) -> pd.Categorical:
    return pd.Categorical(values, categories=list(order), ordered=True)


def baseline_table(baseline: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as the paper prints it: one row per characteristic and level, one column per arm,
    cells such as ``14 (46.7)``, ``61.3 (10.1)`` (mean, SD) or ``80 (70-100)`` (median, range).

    Examples
    --------
    >>> table = baseline_table(data.load_baseline("data/published"))
    >>> table.loc[("gender", "male"), "A"], table.loc[("age", ""), "B"]
    ('14 (46.7)', '64.1 (10.9)')
    """
    columns = ["n", "percent", "mean", "sd", "median", "min", "max"]
    cells = baseline.assign(**{c: shown(baseline, c) for c in columns})

    def printed(row) -> str:
        if row["percent"]:
            return f"{row['n']} ({row['percent']})"
        if row["sd"]:
            return f"{row['mean']} ({row['sd']})"
        centre = row["median"] or row["mean"]
        if centre and row["min"]:
            return f"{centre} ({row['min']}-{row['max']})"
        return row["n"] or centre

    cells["value"] = cells.apply(printed, axis=1)
    order = list(dict.fromkeys(zip(baseline["characteristic"], baseline["level"])))
    wide = cells.pivot(index=["characteristic", "level"], columns="arm", values="value")
    wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=["characteristic", "level"]))
    return wide.rename_axis(columns=None)


def outcome_table(outcomes: pd.DataFrame, instrument: str, study) -> pd.DataFrame:
    """Table 2, 4 or 5: n, mean and SD by scale and timepoint, the arms side by side.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> table = outcome_table(data.load_outcomes("data/published"), "QSCR10",
    ...                       trial.load("data/published"))
    >>> table.loc[("distress", "t3"), ("B", "mean")]
    '24.95'
    """
    mine = outcomes[outcomes["instrument"] == instrument]
    mine = mine.assign(**{c: shown(mine, c) for c in ("n", "mean", "sd")},
                       scale=_ordered(mine["scale"], study.scales[instrument]))
    wide = mine.pivot(index=["scale", "timepoint"], columns="arm", values=["n", "mean", "sd"])
    wide = wide.swaplevel(axis=1).reindex(columns=[(a, c) for a in study.arm_ids
                                                   for c in ("n", "mean", "sd")])
    return wide.rename_axis(columns=["arm", None])


def effects_table(effects: pd.DataFrame, instrument: str | None, study) -> pd.DataFrame:
    """The between-group p-values and effect sizes, one row per scale (and, in a trial of several
    comparisons, per ``arm`` and ``versus``), contrasts side by side (of one ``instrument``, or
    of all with None)."""
    mine = effects if instrument is None else effects[effects["instrument"] == instrument]
    scales = [s for i in study.scales.values() for s in i]
    mine = mine.assign(p=shown(mine, "p"), effect_size=shown(mine, "effect_size"),
                       scale=_ordered(mine["scale"], scales))
    index = ["instrument", "scale"] + (["arm", "versus"] if study.k_arms else [])
    wide = mine.pivot(index=index, columns="contrast", values=["p", "effect_size"])
    wide = wide.swaplevel(axis=1).sort_index(axis=1, level=0, sort_remaining=False)
    wide = wide.reindex(columns=[(c, v) for c in study.contrasts for v in ("p", "effect_size")])
    return wide.dropna(how="all").rename_axis(columns=["contrast", None])


def item_table(items: pd.DataFrame, item_tests: pd.DataFrame, study) -> pd.DataFrame:
    """Table 3: item means (SD) by arm and timepoint, with the between-group p-values.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> folder = "data/published"
    >>> table = item_table(data.load_items(folder), data.load_item_tests(folder),
    ...                    trial.load(folder))
    >>> table.loc[18, ("A", "t0")], table.loc[18, ("p", "t0-t2")]
    ('3.4 (0.9)', '0.007')
    """
    cells = items.assign(value=shown(items, "mean") + " (" + shown(items, "sd") + ")")
    wide = cells.pivot(index="item", columns=["arm", "timepoint"], values="value")
    wide = wide.reindex(columns=[(a, t.id) for a in study.arm_ids for t in study.timepoints])
    tests = item_tests.assign(p=shown(item_tests, "p")).pivot(index="item", columns="contrast",
                                                              values="p")
    tests.columns = pd.MultiIndex.from_product([["p"], tests.columns])
    questions = items.drop_duplicates("item").set_index("item")["question"]
    joined = wide.join(tests)
    joined.insert(0, ("", "question"), questions)
    return joined


def printed_n(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Every n printed in Tables 2, 4 and 5, by arm and timepoint, with the scales printing it.

    One row per distinct (arm, timepoint, n): where the scales of one arm and timepoint print
    different n, each gets its row.

    Examples
    --------
    >>> table = printed_n(data.load_outcomes("data/published"))
    >>> table.query("arm == 'B' and timepoint == 't2'")[["n", "scales"]].to_numpy().tolist()
    [[22, 9], [23, 1]]
    """
    grouped = outcomes.groupby(["arm", "timepoint", "n"], observed=True)
    table = grouped.agg(scales=("scale", "size"),
                        which=("scale", lambda s: ", ".join(s))).reset_index()
    table["n"] = table["n"].astype(int)
    return table.sort_values(["arm", "timepoint", "n"], ignore_index=True)


def reported_precision(outcomes: pd.DataFrame) -> pd.DataFrame:
    """How each scale is printed: the range of its means and the decimals of means and SDs.

    The metric a scale is reported on shows in the range of its means (0-100 for EORTC scales,
    0-50 for the QSC-R10 sum, 1-4 for a raw item mean).

    Examples
    --------
    >>> precision = reported_precision(data.load_outcomes("data/published"))
    >>> float(precision.loc[("FA13", "interference_daily_life"), "largest_mean"])
    3.05
    """
    grouped = outcomes.groupby(["instrument", "scale"], sort=False)
    return grouped.agg(
        smallest_mean=("mean", "min"), largest_mean=("mean", "max"),
        mean_decimals=("mean_decimals", lambda d: "/".join(map(str, sorted(set(d))))),
        sd_decimals=("sd_decimals", lambda d: "/".join(map(str, sorted(set(d))))),
    )


def published_tests(effects: pd.DataFrame, item_tests: pd.DataFrame, study=None
                    ) -> pd.DataFrame:
    """Every between-group p-value of the paper (scales and items), smallest first; items are
    named by the trial's item instrument (``study``; without it, "item")."""
    scales = effects.assign(test=effects["instrument"] + " " + effects["scale"],
                            table=effects["source"])
    owner = f"{study.item_instrument} " if study is not None and study.item_instrument else ""
    items = item_tests.assign(test=owner + "item " + item_tests["item"].astype(str),
                              table=item_tests["source"])
    columns = ["test", "contrast", "p_printed", "p", "table"]
    both = pd.concat([scales[columns], items[columns]], ignore_index=True)
    return both.sort_values(["p", "test", "contrast"], ignore_index=True)


def scale_label(instrument: str, scale: str) -> str:
    """A scale's name in words, from the instrument library (the id with spaces otherwise).

    Examples
    --------
    >>> scale_label("BM22", "painful_sites"), scale_label("XX", "some_scale")
    ('Painful sites', 'some scale')
    """
    from . import instruments  # here: loading the library costs time every notebook would pay

    try:
        return instruments.get(instrument).scale(scale).label
    except (KeyError, ValueError):
        return scale.replace("_", " ")


#: Column names that are abbreviations rather than words with underscores.
_COLUMN_WORDS = {"sd": "SD", "n": "n", "p": "p"}


def words_for(study) -> dict[str, str]:
    """The trial's code names and their words: baseline characteristics, timepoints, contrasts,
    arms and scales (from ``trial.yaml`` and the instrument library).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> words = words_for(trial.load("data/published"))
    >>> words["karnofsky_ps"], words["t2"], words["t0-t3"], words["not_reproducible"]
    ('Karnofsky performance status', '3 months', 'baseline to 6 months', 'not reproducible')
    """
    words = dict(reader_words())
    words.update({name: study.characteristic_label(name) for name in study.characteristics})
    words.update({t.id: t.label for t in study.timepoints})
    words.update({c: study.contrast_label(c) for c in study.contrasts})
    words.update({a.id: a.label for a in study.arms})
    for instrument in study.instruments:
        words[instrument.id] = instrument.label
        words.update({s: scale_label(instrument.id, s) for s in instrument.scales})
    return words


def in_words(table: pd.DataFrame, study) -> pd.DataFrame:
    """A table for the reader: its index and column labels in words (characteristics,
    timepoints, contrasts, arms, scales and instruments as ``trial.yaml`` names them; other
    labels with spaces for underscores). The values are left as they are; the CSVs keep the code
    names.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> frame = pd.DataFrame({"effect_size": [1]}, index=pd.Index(["karnofsky_ps"], name="characteristic"))
    >>> in_words(frame, trial.load("data/published")).to_dict("index")
    {'Karnofsky performance status': {'effect size': 1}}
    """
    words = words_for(study)

    def word(label):
        if not isinstance(label, str):
            return label
        if label in words:
            return words[label]
        return _COLUMN_WORDS.get(label, label.replace("_", " "))

    def name(label):
        return label.replace("_", " ") if isinstance(label, str) else label

    out = table.copy()
    for axis in ("index", "columns"):
        labels = getattr(out, axis)
        if isinstance(labels, pd.MultiIndex):
            renamed = pd.MultiIndex.from_tuples([tuple(word(v) for v in key) for key in labels],
                                                names=[name(n) for n in labels.names])
        else:
            renamed = pd.Index([word(v) for v in labels], name=name(labels.name))
        setattr(out, axis, renamed)
    return out


def text_in_words(text: str, study, code_names_only: bool = False) -> str:
    """``text`` with the trial's code names in words (:func:`words_for`): names with an
    underscore, timepoints, contrasts and instruments; one-letter arm ids stay as they are. A name
    escaped for Markdown (``primary\\_site``) is found too; code in backticks is left alone.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> text_in_words("Table 2, BM22 psychosocial_aspects, arm B, t2: n", study)
    'Table 2, EORTC QLQ-BM22 Psychosocial aspects, arm B, 3 months: n'
    >>> text_in_words(r"primary\\_site lung; the parameter `item_counts`", study)
    'primary site lung; the parameter `item_counts`'

    With ``code_names_only`` (for prose), only names with an underscore or a digit are replaced:
    a scale called ``distress`` stays the word distress.

    >>> text_in_words("QSCR10 distress and body_mass_index at t3", study, code_names_only=True)
    'QSC-R10 distress and body mass index at 6 months'
    """

    words = {k: v for k, v in words_for(study).items() if len(k) > 1
             and (not code_names_only or "_" in k or any(c.isdigit() for c in k))}
    escaped = {k.replace("_", "\\_"): v for k, v in words.items() if "_" in k}
    every = {**words, **escaped}
    pattern = re.compile(r"(?<![\w\\-])(" + "|".join(
        re.escape(k) for k in sorted(every, key=len, reverse=True)) + r")(?![\w-])")
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else
                   pattern.sub(lambda m: every[m.group(1)], part) for part in parts)


def reader_words() -> dict[str, str]:
    """The engine's code names and their words (:data:`WORDS_FILE`): column names, metrics,
    verdicts and claim forms. Read once per process (:func:`_load_words`).

    Examples
    --------
    >>> reader_words()["eortc_0_100"]
    'EORTC 0-100 score'
    """
    from . import paths

    return dict(_load_words(str(paths.resolve(WORDS_FILE))))


@functools.lru_cache(maxsize=4)
def _load_words(path: str) -> dict[str, str]:
    from . import yamlfile

    with open(path, encoding="utf-8") as handle:
        parsed = yamlfile.loads(handle.read(), path)
    words = parsed.get("words") if isinstance(parsed, dict) else None
    if not isinstance(words, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in words.items()):
        raise ValueError(f"{path}: expected a mapping 'words:' of code names to words")
    return words


#: A code name left in a cell (lower-case words joined by underscores), not part of a path.
_IDENTIFIER = re.compile(r"(?<![\w./-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/-])")


def _in_words_value(value, words, pattern):
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
            or value is pd.NaT:
        return "\u2014"
    if isinstance(value, str):
        text = pattern.sub(lambda m: words[m.group(1)], value) if pattern else value
        return _IDENTIFIER.sub(lambda m: m.group(1).replace("_", " "), text)
    return value


def for_reader(table: pd.DataFrame, study) -> pd.DataFrame:
    """A table as a reader should see it: labels in words (:func:`in_words`), code names in its
    text cells in words (:func:`text_in_words`, other identifiers with spaces for underscores),
    ``True``/``False`` as yes/no, a missing value as a dash, and a plain row number index
    dropped. The CSVs keep the code names.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> frame = pd.DataFrame({"p_verdict": ["not_reproducible"], "significant": [True],
    ...                       "p_ancova": [float("nan")]})
    >>> for_reader(frame, trial.load("data/published")).to_dict("records")
    [{'verdict on p': 'not reproducible', 'significant': 'yes', 'p: ANCOVA': '—'}]
    """

    out = in_words(table, study)
    words = {k: v for k, v in words_for(study).items() if len(k) > 1}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(k) for k in sorted(words, key=len, reverse=True)) + r")(?![\w-])")
    out = out.astype(object).map(lambda v: _in_words_value(v, words, pattern))
    if isinstance(table.index, pd.RangeIndex):
        out = out.reset_index(drop=True)
        out.index = [""] * len(out)
    return out


def show_for_readers(study) -> None:
    """Show every data frame a notebook displays as :func:`for_reader` makes it (an IPython
    display formatter, for HTML and plain text), so no chapter table shows a code name, an
    index of row numbers, NaN or True/False; and every Markdown output with the trial's and the
    engine's code names in words (:func:`text_in_words`). Outside IPython it does nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is in the environment
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(
        pd.DataFrame, lambda frame: for_reader(frame, study).to_html(
            index=not isinstance(frame.index, pd.RangeIndex), na_rep="\u2014", escape=True))
    from IPython.display import Markdown

    formatters["text/markdown"].for_type(
        Markdown, lambda shown: text_in_words(shown.data or "", study, code_names_only=True))
    formatters["text/plain"].for_type(
        pd.DataFrame, lambda frame, printer, cycle: printer.text(
            for_reader(frame, study).to_string(
                index=not isinstance(frame.index, pd.RangeIndex))))
