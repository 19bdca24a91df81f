"""The project's instrument library, the folder ``data/instruments/`` with one YAML file per
instrument (``bm22.yaml``, ``fa13.yaml``, ``qscr10.yaml``, ``qlq_c30.yaml``): items, scales,
response ranges, directions and scoring formula of each questionnaire, loaded with the instrument
model of :mod:`helpers.methods.instruments` (the facts are data; that module gives them types and
checks them). Adding an instrument is adding a file (``data/instruments/README.md``); an
instrument id given in two files is refused.

Each fact carries its source. Where the public record is silent, the fact is a parameter with its
candidate values (``Scale.candidates``), never a guess hidden in code.

Sources
-------
EORTC scoring manual
    Fayers PM, Aaronson NK, Bjordal K, et al. The EORTC QLQ-C30 Scoring Manual, 3rd edition.
    EORTC, Brussels 2001. Raw score RS = mean of the items; symptom scale S = (RS - 1)/range x 100;
    functional scale S = (1 - (RS - 1)/range) x 100; range = 3 for items scored 1-4; a scale is
    scored when at least half of its items are answered, the missing items taking the mean of the
    answered ones (which is the same as averaging the answered items). Read here in quotations of
    the manual (the manual itself was not accessible).
Chow 2009
    Chow E, Hoskin P, Mitera G, et al. Eur J Cancer 2009;45:1146-52: the QLQ-BM22 has 22 items,
    "symptom scales, with five painful sites and three pain characteristics, and also functional
    scales, with eight functional interference and six psychosocial aspects".
Chow 2012
    Chow E, Nguyen J, Zhang L, et al. Cancer 2012;118:1457-65 (international field test): four
    scales, Painful Sites, Painful Characteristics, Functional Interference, Psychosocial Aspects.
Rief 2014
    The paper: Table 3 numbers the psychosocial aspects items 17-22 and prints their wording;
    Methods: QLQ-BM22 and QLQ-FA13 reported on 0-100, QSC-R10 on 0-50.
Weis 2013
    Weis J, Arraras JI, Conroy T, et al. Psycho-Oncology 2013;22:1002-7: QLQ-FA13, 13 items; the
    physical, emotional and cognitive dimensions were confirmed. Its item-to-scale map is not
    public (Weis 2017, JNCI, doi:10.1093/jnci/djw273, made FA12 by removing one item and moving
    another, so the FA12 map does not carry over).
EORTC QLQ-C30
    qlq_c30.yaml's header and each scale's ``source`` name where each fact was read.
Book 2011
    Book K, Marten-Mittag B, Henrich G, et al. Psycho-Oncology 2011;20:287-93: QSC-R10, a 10-item
    screening questionnaire; cut-off > 14 for high distress (sensitivity 81.0%, specificity 73.2%).
    Items scored 0-5 follow from ten items and the range 0-50 the paper states.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..methods.instruments import (Instrument, LibraryError, Scale, merge_instruments,
                                   parse_instrument, parse_library)
from . import paths

__all__ = ["LIBRARY", "library_files", "library_digest", "load_library", "INSTRUMENTS", "get",
           "scale_of", "not_in_library", "instruments_with_scale", "better_direction", "positively_worded",
           "scale_table", "Instrument", "Scale", "LibraryError"]

#: The instrument library: a folder of YAML files, one instrument each.
LIBRARY = "data/instruments"


def library_files(path: str | None = None) -> list[Path]:
    """The YAML files of the library folder (``*.yaml``, sorted), or the one file ``path``."""
    source = paths.resolve(path or LIBRARY)
    if source.is_dir():
        return sorted(source.glob("*.yaml"))
    return [source]


def library_digest(path: str | None = None) -> bytes:
    """A digest of every library file's name and bytes (for caches that depend on the library).
    """
    digest = hashlib.sha256()
    for file in library_files(path):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.digest()


def _read_yaml(source: Path):
    from .yamlfile import YamlFileError, loads

    try:
        return loads(source.read_text(encoding="utf-8"), str(source))
    except YamlFileError as error:
        raise LibraryError(str(error)) from None


def load_library(path: str | None = None) -> dict[str, Instrument]:
    """The instruments of the library, by id: every ``*.yaml`` of the folder
    (``data/instruments``, one instrument per file), or one file ``path`` (one instrument, or a
    list under ``instruments:``).

    Raises :class:`helpers.methods.instruments.LibraryError` (a ``ValueError``) naming the file,
    the line for YAML errors, and the key for a missing or malformed one; and for an instrument
    id defined in two files.

    Examples
    --------
    >>> sorted(load_library())
    ['BM22', 'C30', 'FA13', 'QSCR10']
    """
    files = library_files(path)
    if not files:
        raise LibraryError(f"{paths.resolve(path or LIBRARY)}: no instrument file (*.yaml); "
                           "see data/instruments/README.md")
    found = []
    for file in files:
        if not file.is_file():
            raise LibraryError(f"{file}: missing; the library is the folder {LIBRARY}")
        for instrument in parse_library(_read_yaml(file), str(file)).values():
            found.append((str(file), instrument))
    return merge_instruments(found)


#: The library's instruments, by id.
INSTRUMENTS = load_library()

#: Names kept for code written before the library was a folder: the instruments by id
#: (``instruments.BM22``), and Rief et al.'s BM22 facts under their old names.
_LEGACY = {"POSITIVELY_WORDED": lambda: INSTRUMENTS["BM22"].positively_worded,
           "PSYCHOSOCIAL_WORDING": lambda: INSTRUMENTS["BM22"].item_wording,
           "QSCR10_CUTOFF": lambda: INSTRUMENTS["QSCR10"].cutoff}


def __getattr__(name: str):
    if name in INSTRUMENTS:
        return INSTRUMENTS[name]
    if name in _LEGACY:
        return _LEGACY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(name: str) -> Instrument:
    """An instrument by id (``BM22``, ``FA13``, ``QSCR10``, ``C30``).

    Examples
    --------
    >>> get("BM22").scale("psychosocial_aspects").items
    (17, 18, 19, 20, 21, 22)
    """
    try:
        return INSTRUMENTS[name]
    except KeyError:
        raise KeyError(f"no instrument {name!r} in the library ({LIBRARY}); known: "
                       f"{', '.join(INSTRUMENTS)}. Add it as a file there "
                       "(data/instruments/README.md)") from None


def scale_of(instrument: str, scale: str) -> Scale:
    """The library's scale ``scale`` of ``instrument``, with an error naming both.

    Examples
    --------
    >>> scale_of("C30", "fatigue").items, scale_of("FA13", "physical_fatigue").n_items
    ((10, 12, 18), None)
    """
    found = get(instrument)
    if not found.has_scale(scale):
        raise KeyError(f"the library's {instrument} ({LIBRARY}) has no scale {scale!r}; its "
                       f"scales: {', '.join(s.name for s in found.scales)}")
    return found.scale(scale)


def not_in_library(study) -> list[tuple[str, str]]:
    """What the trial's ``trial.yaml`` names that the library lacks: ``(key, message)`` pairs,
    the key as ``instruments.<id>`` or ``instruments.<id>.scales.<scale>``, the message saying
    what to fix.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> not_in_library(trial.load("data/published"))
    []
    """
    out = []
    for instrument in study.instruments:
        if instrument.id not in INSTRUMENTS:
            out.append((f"instruments.{instrument.id}",
                        f"the instrument library ({LIBRARY}) has no instrument "
                        f"{instrument.id!r}; known: {', '.join(INSTRUMENTS)}. Use one of their "
                        "ids, or add the instrument as a file there (data/instruments/README.md)"))
            continue
        known = INSTRUMENTS[instrument.id]
        for scale in instrument.scales:
            if not known.has_scale(scale):
                out.append((f"instruments.{instrument.id}.scales",
                            f"{instrument.id} has no scale {scale!r} in the library "
                            f"({LIBRARY}); its scales: "
                            f"{', '.join(s.name for s in known.scales)}"))
    return out


def instruments_with_scale(scale: str, among=None) -> list[str]:
    """The ids of the instruments (of the library, or of ``among``) that have a scale ``scale``.

    Examples
    --------
    >>> instruments_with_scale("distress"), instruments_with_scale("pain")
    (['QSCR10'], ['C30'])
    """
    names = INSTRUMENTS if among is None else [name for name in among if name in INSTRUMENTS]
    return [name for name in names if INSTRUMENTS[name].has_scale(scale)]


def positively_worded(instrument: str) -> tuple[int, ...]:
    """The instrument's positively worded items (agreeing, or a higher answer, is good news).

    Examples
    --------
    >>> positively_worded("BM22"), positively_worded("QSCR10")
    ((21, 22), ())
    """
    return get(instrument).positively_worded if instrument in INSTRUMENTS else ()


def better_direction(instrument: str, scale: str, recoded: bool = False,
                     printed: str | None = None) -> str:
    """Which way is better on a scale as the tables print it: ``lower``, ``higher`` or
    ``mixed`` (a scale whose items point both ways). ``scale`` may be ``item_<number>`` for a
    single item of the instrument.

    A scale: ``printed`` (the trial's declaration of how its tables print the scale,
    :meth:`helpers.reanalysis.trial.Trial.better_of`), else the library's ``higher_is_better``.
    Where the scale holds some, not all, of the instrument's own positively worded items and its
    scoring does not reverse them (``reversed_items``), the items point both ways: mixed as
    answered, the declared direction when the table prints them recoded.

    An item: a positively worded item of the instrument is better higher as answered, lower
    when recoded; any other item is better lower (it asks how much of a problem).

    Examples
    --------
    >>> better_direction("BM22", "item_22"), better_direction("BM22", "item_22", recoded=True)
    ('higher', 'lower')
    >>> better_direction("C30", "item_22"), better_direction("C30", "item_29")
    ('lower', 'higher')
    >>> better_direction("BM22", "psychosocial_aspects", printed="lower")
    'mixed'
    >>> better_direction("BM22", "psychosocial_aspects", recoded=True, printed="lower")
    'lower'
    >>> better_direction("QSCR10", "distress"), better_direction("C30", "global_health_status")
    ('lower', 'higher')
    >>> better_direction("C30", "physical_functioning"), better_direction("BM22", "pain")
    ('higher', 'lower')
    """
    positive = set(positively_worded(instrument))
    if scale.startswith("item_"):
        item = int(scale.removeprefix("item_"))
        if item in positive:
            return "lower" if recoded else "higher"
        return "lower"
    known = None
    if instrument in INSTRUMENTS and INSTRUMENTS[instrument].has_scale(scale):
        known = INSTRUMENTS[instrument].scale(scale)
    way = printed or ("higher" if known is not None and known.higher_is_better else "lower")
    if known is None:
        return way
    pointing = set(known.items or ()) & positive
    if pointing and pointing != set(known.items) and not set(known.reversed_items) >= pointing:
        return way if recoded else "mixed"
    return way


def scale_table(instruments=None) -> "pd.DataFrame":  # noqa: F821
    """Every scale of the instruments (ids; default: the whole library), one row each, with what
    is known and what is not."""
    import pandas as pd

    rows = []
    for name in instruments or INSTRUMENTS:
        instrument = get(name)
        for scale in instrument.scales:
            low, high = instrument.range_of(scale)
            rows.append(dict(
                instrument=instrument.name, scale=scale.name, kind=scale.kind,
                items=", ".join(map(str, scale.items)) if scale.items else "not public",
                n_items=scale.n_items if scale.n_items is not None else "not public",
                responses=f"{low}-{high}",
                reversed=", ".join(map(str, scale.reversed_items)) or "none",
                higher_is_better=scale.higher_is_better,
                unknown=", ".join(f"{k}: {v}" for k, v in scale.candidates.items()) or "",
                higher_means=scale.higher_means, source=scale.source))
    return pd.DataFrame(rows)
