"""Prose that fits one trial only, read from its data folder (``narrative.yaml``).

The instrument chapter (``notebooks/instrument.ipynb``) is one notebook for every instrument of
every trial; what it says about a particular table (the question, the verdict, the scale a
paper leads with, the reading of a misquoted sentence) belongs to that trial and lives beside
its tables. A trial without ``narrative.yaml``, or without an entry for an instrument, gets the
generic sentences of :func:`instrument_text`, built from ``trial.yaml`` alone.

The file is the trial authors' Markdown (MyST): it may use glue roles (``{glue:text}`name```)
for numbers the chapter computes, never typed results. ``<``, ``>`` and ``&`` are escaped
before the text reaches the book (:func:`helpers.reanalysis.markup.prose`), so a file cannot
inject HTML.

Format::

    instruments:
      BM22:                         # an instrument id of trial.yaml
        title: ...                  # the chapter's title (default: the instrument's label)
        question: ...               # the chapter's question (Markdown)
        test_note: ...              # on the test the paper names (section left out without it)
        focus_scale: psychosocial_aspects   # a scale to follow across r (optional)
        focus_before: ...           # before that scale's table
        focus_after: ...            # after it (glue names focus_*)
        items_heading: ...          # the item table's section heading ("Table 3: the items")
        items_intro: ...            # before its analysis
        items_after: ...            # after it (glue names items_*)
        misquote_note: ...          # after the misquotes of the item table
        verdict: ...                # the chapter's verdict
    conclusion: ...                 # the overview's advice to a reader, after the counts
    chapters:                       # other chapters' trial-specific paragraphs (section())
      cohort:
        outcomes_heading: ...       # a section heading that names the trial's tables
        verdict: ...

Examples
--------
>>> from helpers.reanalysis import trial
>>> study = trial.load("data/published")
>>> instrument_text(study, "FA13")["question"][:40]
'Do the published between-group p-values '
"""

from __future__ import annotations

import os

from . import markup, paths
from .yamlfile import YamlFileError, loads

__all__ = ["FILE", "KEYS", "NarrativeError", "load", "load_file", "instrument_text", "conclusion",
           "section"]

#: The trial's prose, in its data folder.
FILE = "narrative.yaml"
#: The keys an instrument's entry may have.
KEYS = ("title", "question", "test_note", "focus_scale", "focus_before", "focus_after",
        "items_heading", "items_intro", "items_after", "misquote_note", "verdict")
#: Larger files are refused before YAML reads them (an alias bomb expands far beyond its bytes).
MAX_BYTES = 1_000_000


class NarrativeError(ValueError):
    """``narrative.yaml`` is malformed: the message names the file, the key and the fix."""


def load(data_dir: str | os.PathLike) -> dict:
    """The instruments' entries of the trial's ``narrative.yaml`` as ``{instrument: {key:
    text}}`` (empty when there is none), checked: known instruments are not required, but every
    key must be one of :data:`KEYS` and every value text."""
    return load_file(data_dir)["instruments"]


def conclusion(data_dir: str | os.PathLike) -> str:
    """The trial's ``conclusion`` (``narrative.yaml``), escaped; empty when it has none."""
    return markup.prose(load_file(data_dir)["conclusion"])


def section(data_dir: str | os.PathLike, chapter: str, key: str, default: str = "") -> str:
    """One trial-specific paragraph of a chapter other than the instrument chapter
    (``chapters: {chapter: {key: text}}`` of ``narrative.yaml``), escaped; ``default`` (the
    chapter's generic sentence, not escaped: the engine's own text) where the trial has none.

    Examples
    --------
    >>> section("data/examples/simulated", "cohort", "verdict", "Generic.")
    'Generic.'
    """
    text = load_file(data_dir)["chapters"].get(chapter, {}).get(key, "")
    return markup.prose(text) if text else default


def load_file(data_dir: str | os.PathLike) -> dict:
    """The whole ``narrative.yaml``: ``{"instruments": {...}, "conclusion": text, "chapters":
    {chapter: {key: text}}}``."""
    path = paths.data_dir(data_dir) / FILE
    if not path.is_file():
        return {"instruments": {}, "conclusion": "", "chapters": {}}
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise NarrativeError(f"{path}: {len(raw)} bytes; a narrative file is prose, at most "
                             f"{MAX_BYTES} bytes")
    try:
        content = loads(raw.decode("utf-8"), str(path)) or {}
    except UnicodeDecodeError as error:
        raise NarrativeError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") \
            from None
    except YamlFileError as error:
        raise NarrativeError(str(error)) from None
    unknown_top = sorted(set(map(str, content)) - {"instruments", "conclusion", "chapters"}) \
        if isinstance(content, dict) else []
    if unknown_top:
        raise NarrativeError(f"{path}: unknown key(s) {', '.join(unknown_top)}; allowed: "
                             "instruments, conclusion, chapters")
    entries = content.get("instruments", {}) if isinstance(content, dict) else None
    if not isinstance(entries, dict):
        raise NarrativeError(f"{path}: expected a mapping 'instruments: {{ID: {{question: ...}}}}'")
    checked: dict[str, dict[str, str]] = {}
    for instrument, entry in entries.items():
        if not isinstance(entry, dict):
            raise NarrativeError(f"{path}: instruments.{instrument} must be a mapping of "
                                 f"{', '.join(KEYS)}")
        unknown = sorted(set(map(str, entry)) - set(KEYS))
        if unknown:
            raise NarrativeError(f"{path}: instruments.{instrument}: unknown key(s) "
                                 f"{', '.join(unknown)}; allowed: {', '.join(KEYS)}")
        for key, value in entry.items():
            if not isinstance(value, str):
                raise NarrativeError(f"{path}: instruments.{instrument}.{key} must be text")
        checked[str(instrument)] = {str(k): v.strip() for k, v in entry.items()}
    said = content.get("conclusion", "") or ""
    if not isinstance(said, str):
        raise NarrativeError(f"{path}: conclusion must be text")
    chapters = content.get("chapters", {}) or {}
    if not isinstance(chapters, dict) or not all(
            isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())
            for entry in chapters.values()):
        raise NarrativeError(f"{path}: chapters must map each chapter (cohort, ...) to a mapping "
                             "of its paragraphs, each text")
    return {"instruments": checked, "conclusion": said.strip(),
            "chapters": {str(name): {str(k): v.strip() for k, v in entry.items()}
                         for name, entry in chapters.items()}}


def instrument_text(study, instrument: str, data_dir: str | os.PathLike | None = None) -> dict:
    """The prose of one instrument's chapter: the trial's own (``narrative.yaml``) where it has
    it, else generic sentences from ``trial.yaml``. Every key of :data:`KEYS` is present
    (empty where there is nothing to say); text is escaped
    (:func:`helpers.reanalysis.markup.prose`)."""
    declared = study.instrument(instrument)
    label = markup.text(declared.label or declared.id)
    where = f" ({markup.text(declared.table)})" if declared.table else ""
    count = len(declared.scales)
    scales = f"{count} {label} scale{'s' if count != 1 else ''}"
    generic = {
        "title": label,
        "question": (f"Do the published between-group p-values and effect sizes of the {scales}"
                     f"{where} follow from the published means, SDs and n, and do the paper's "
                     "claims about them follow from them?"),
        "verdict": ("The rows above and the ledger give each published number's verdict and the "
                    "assumption it rests on; a verdict of the trial as a whole is the overview's."),
    }
    own = load(study.data_dir if data_dir is None else data_dir).get(instrument, {})
    text = {key: "" for key in KEYS}
    text.update(generic)
    text.update({key: value for key, value in own.items() if key != "focus_scale"})
    text = {key: markup.prose(value) for key, value in text.items()}
    text["focus_scale"] = own.get("focus_scale", "")
    if text["focus_scale"] and text["focus_scale"] not in declared.scales:
        raise NarrativeError(f"{FILE}: instruments.{instrument}.focus_scale "
                             f"{text['focus_scale']!r} is not a scale of {instrument} in "
                             f"trial.yaml ({', '.join(declared.scales)})")
    return text
