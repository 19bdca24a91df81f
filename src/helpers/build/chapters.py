"""Which chapters a trial's book has, planned from its ``trial.yaml``.

The book is not a fixed list of notebooks: a trial gets the cohort chapter, a scoring chapter only
where there is something to score, one chapter per instrument it declares (the one source
notebook ``instrument.ipynb`` executed once per instrument, with the instrument as a parameter),
the sensitivity chapter, and the reader pages (ledger, overview, annotated paper, the INSPECT-SR assessment). The critique
and the letter are Markdown pages, not notebooks (:mod:`helpers.build.book`). :func:`plan`
lists them; :func:`expand` turns ``notebooks/params.yaml``, whose
``notebooks`` are keyed by *source* notebook, into the pipeline's steps, keyed by *executed* name
(``03_bm22``), with the dependencies (``after``), the steps to start first and the sweep's
notebooks and files expanded the same way.

Nothing here knows a trial: the names come from the trial's instruments, in the order
``trial.yaml`` gives them.

Examples
--------
>>> from helpers.reanalysis import trial
>>> [c.step for c in plan(trial.load("data/published"))][:6]
['01_cohort', '02_scoring', '03_bm22', '04_fa13', '05_qscr10', '06_sensitivity']
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field

from ..reanalysis import narrative, paths
from ..reanalysis import trial as trials

__all__ = ["Chapter", "plan", "expand", "has_scoring", "step_name", "NUMBERED", "READER_PAGES",
           "CHAPTER_PARAMETER", "INSTRUMENT_PARAMETER", "PARTS"]

#: Source notebooks of the numbered chapters, in the book's order (``instrument`` stands for one
#: chapter per instrument of the trial).
NUMBERED = ("cohort", "scoring", "instrument", "sensitivity")
#: Source notebooks of the reader pages, unnumbered, in the book's order.
READER_PAGES = ("ledger", "overview", "annotated", "trustworthiness")
#: The parameter that tells a chapter its executed name (its ledger fragment is filed under it).
CHAPTER_PARAMETER = "chapter"
#: The parameter that tells the instrument chapter which instrument it is about.
INSTRUMENT_PARAMETER = "instrument"
#: The parts of the table of contents, by source notebook.
PARTS = {"cohort": "Reanalysis", "scoring": "Reanalysis", "instrument": "Reanalysis",
         "sensitivity": "Reanalysis", "overview": "Verdicts", "ledger": "Verdicts",
         "annotated": "Verdicts", "trustworthiness": "Verdicts"}
_TITLES = {"cohort": "Participants and their flow", "scoring": "Scoring the questionnaires",
           "sensitivity": "Sensitivity of the conclusions", "ledger": "Claims ledger",
           "overview": "Overview", "annotated": "The paper's tables, annotated",
           "trustworthiness": "Can this trial be trusted? (INSPECT-SR)"}


@dataclass(frozen=True)
class Chapter:
    """One executed notebook of the book.

    ``step`` is its executed name (``03_bm22``: the notebook ``book/notebooks/03_bm22.ipynb``
    and the step of the pipeline), ``source`` the notebook of ``notebooks/`` it is executed from,
    ``parameters`` what the plan passes it beyond ``params.yaml`` (the instrument), ``title``
    its title in the table of contents.
    """

    step: str
    source: str
    title: str
    parameters: dict = field(default_factory=dict)

    @property
    def part(self) -> str:
        return PARTS.get(self.source, "Reanalysis")

    @property
    def numbered(self) -> bool:
        return self.source in NUMBERED


def step_name(number: int, name: str) -> str:
    """``03_bm22``: the number, two digits, and a lower-case, file-safe form of the name.

    Examples
    --------
    >>> step_name(3, "BM22"), step_name(12, "QLQ C30")
    ('03_bm22', '12_qlq_c30')
    """
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not slug:
        raise ValueError(f"{name!r}: no letter or digit to name a chapter by")
    return f"{number:02d}_{slug}"


def _data_rows(path: os.PathLike) -> list[dict]:
    """The rows of a CSV file (none when it is missing or has only its header)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        return []


def has_scoring(study: trials.Trial) -> bool:
    """Whether the trial's book has a scoring chapter: only where there is something to score,
    that is, an item table with at least one row (``items.csv``), a scale printed on another
    metric than its instrument's (``scale_metrics`` in ``trial.yaml``), or a scale whose item
    count the instrument library does not know
    (:func:`helpers.reanalysis.scoring_plan.scales_with_unknown_item_counts`).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> has_scoring(trial.load("data/published"))
    True
    """
    if any(instrument.scale_metrics for instrument in study.instruments):
        return True
    if _data_rows(paths.data_dir(study.data_dir) / "items.csv"):
        return True
    from ..reanalysis import scoring_plan  # pandas: only when the cheap tests do not decide

    return bool(scoring_plan.scales_with_unknown_item_counts(study))


def plan(study: trials.Trial) -> list[Chapter]:
    """The chapters of the trial's book, in order: numbered chapters (cohort, scoring where
    :func:`has_scoring`, one per instrument, sensitivity), then the reader pages.

    An instrument chapter is named after the instrument's id (``03_bm22``) and titled as the
    trial's ``narrative.yaml`` says, else with its label from ``trial.yaml``; the numbers keep
    two chapters apart even where two ids differ only in punctuation.
    """
    numbered: list[tuple[str, str, str, dict]] = [("cohort", "cohort", _TITLES["cohort"], {})]
    if has_scoring(study):
        numbered.append(("scoring", "scoring", _TITLES["scoring"], {}))
    for instrument in study.instruments:
        title = narrative.instrument_text(study, instrument.id)["title"]
        numbered.append((instrument.id, "instrument", title, {INSTRUMENT_PARAMETER: instrument.id}))
    numbered.append(("sensitivity", "sensitivity", _TITLES["sensitivity"], {}))
    chapters = [Chapter(step_name(number, name), source, title, parameters)
                for number, (name, source, title, parameters) in enumerate(numbered, start=1)]
    chapters += [Chapter(page, page, _TITLES[page]) for page in READER_PAGES]
    return chapters


def _sources(items, by_source: dict[str, list[str]], sources=()) -> list[str]:
    """Source names (and names that are already steps) expanded to their steps; a source
    notebook the trial's plan leaves out (no scoring chapter) expands to none."""
    steps: list[str] = []
    for item in items or []:
        for step in by_source.get(str(item), [] if str(item) in sources else [str(item)]):
            if step not in steps:
                steps.append(step)
    return steps


def expand(config: dict, study: trials.Trial) -> dict:
    """``params.yaml`` with its source notebooks turned into the trial's steps.

    ``config["notebooks"]`` maps each *source* notebook to its parameters; the result maps each
    *step* of :func:`plan` to them, plus what the plan adds: the instrument and the chapter's
    own name (``chapter``).
    ``sources`` maps each step to its source notebook, ``titles`` to its title, ``planned`` to
    the names of the parameters the plan added (the pipeline passes them only to a notebook that
    declares them). In ``after``,
    ``first`` and the sweep's ``notebooks``, a source name stands for all of its steps; the sweep's
    ``files`` may use ``{instrument}`` (the lower-case instrument id of each instrument chapter).
    A source notebook missing from ``config["notebooks"]`` gives no step.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> config = {"all": {}, "notebooks": {"cohort": {}, "instrument": {"r": 0.5}, "ledger": {}},
    ...           "after": {"ledger": ["cohort", "instrument"]}}
    >>> steps = expand(config, trial.load("data/published"))
    >>> steps["notebooks"]["04_fa13"]
    {'r': 0.5, 'instrument': 'FA13', 'chapter': '04_fa13'}
    >>> steps["after"]["ledger"]
    ['01_cohort', '03_bm22', '04_fa13', '05_qscr10']
    """
    sources = config["notebooks"]
    chapters = [chapter for chapter in plan(study) if chapter.source in sources]
    by_source: dict[str, list[str]] = {}
    for chapter in chapters:
        by_source.setdefault(chapter.source, []).append(chapter.step)
    notebooks, planned = {}, {}
    for chapter in chapters:
        added = dict(chapter.parameters)
        if chapter.numbered:
            added[CHAPTER_PARAMETER] = chapter.step
        notebooks[chapter.step] = {**(sources[chapter.source] or {}), **added}
        planned[chapter.step] = sorted(added)
    expanded = {**config, "notebooks": notebooks, "planned": planned,
                "sources": {chapter.step: chapter.source for chapter in chapters},
                "titles": {chapter.step: chapter.title for chapter in chapters}}
    after = {}
    for name, needs in (config.get("after") or {}).items():
        for step in by_source.get(name, [name] if name not in sources else []):
            after[step] = [need for need in _sources(needs, by_source, sources)
                           if need != step]
    expanded["after"] = after
    expanded["first"] = _sources(config.get("first"), by_source, sources)
    sweep = config.get("sweep")
    if isinstance(sweep, dict):
        sweep_steps = _sources(sweep.get("notebooks"), by_source, sources)
        files = []
        for template in sweep.get("files") or []:
            if "{instrument}" in str(template):
                files += [str(template).replace("{instrument}", notebooks[step][
                    INSTRUMENT_PARAMETER].lower()) for step in sweep_steps
                    if INSTRUMENT_PARAMETER in notebooks[step]]
            else:
                files.append(str(template))
        expanded["sweep"] = {**sweep, "notebooks": sweep_steps, "files": files}
    return expanded
