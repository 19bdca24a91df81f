"""The project's instrument library, ``data/instruments/instruments.yaml``: items, scales,
response ranges and scoring formula of each questionnaire, loaded with the instrument model of
:mod:`helpers.methods.instruments` (the facts are data; that module gives them types and checks
them).

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
Book 2011
    Book K, Marten-Mittag B, Henrich G, et al. Psycho-Oncology 2011;20:287-93: QSC-R10, a 10-item
    screening questionnaire; cut-off > 14 for high distress (sensitivity 81.0%, specificity 73.2%).
    Items scored 0-5 follow from ten items and the range 0-50 the paper states.
"""

from __future__ import annotations

from ..methods.instruments import Instrument, Scale, parse_library
from . import paths

__all__ = ["LIBRARY", "load_library", "INSTRUMENTS", "BM22", "FA13", "QSCR10",
           "PSYCHOSOCIAL_WORDING", "POSITIVELY_WORDED", "QSCR10_CUTOFF", "get", "better_direction",
           "scale_table", "Instrument", "Scale"]

#: The instrument library: every fact of this module's instruments, as data.
LIBRARY = "data/instruments/instruments.yaml"


def load_library(path: str | None = None) -> dict[str, Instrument]:
    """The instruments of the library file (``data/instruments/instruments.yaml``), by id
    (:func:`helpers.methods.instruments.parse_library`).

    Raises ``ValueError`` naming the file and the entry for a missing key.
    """
    import yaml

    source = paths.resolve(path or LIBRARY)
    with open(source, encoding="utf-8") as handle:
        try:
            raw = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ValueError(f"{source}{where}: not valid YAML "
                             f"({getattr(error, 'problem', None) or error})") from None
    return parse_library(raw, str(source))


INSTRUMENTS = load_library()
BM22, FA13, QSCR10 = (INSTRUMENTS[name] for name in ("BM22", "FA13", "QSCR10"))
#: Psychosocial items worded positively (agreement is good news): "felt hopeful your pain will get
#: better", "felt positive about your health" (wording in the paper's Table 3). The other four ask
#: about worry or isolation (agreement is bad news).
POSITIVELY_WORDED = BM22.positively_worded
#: Item wording of the psychosocial aspects scale as Table 3 prints it.
PSYCHOSOCIAL_WORDING = BM22.item_wording
#: QSC-R10 cut-off for high distress (Book 2011): a sum above this value.
QSCR10_CUTOFF = QSCR10.cutoff


def get(name: str) -> Instrument:
    """An instrument by name (``BM22``, ``FA13``, ``QSCR10``).

    Examples
    --------
    >>> get("BM22").scale("psychosocial_aspects").items
    (17, 18, 19, 20, 21, 22)
    """
    try:
        return INSTRUMENTS[name]
    except KeyError:
        raise KeyError(f"no instrument {name!r}; known: {', '.join(INSTRUMENTS)}") from None


def better_direction(instrument: str, scale: str, recoded: bool = False) -> str:
    """Which way is better on a scale as the paper's tables print it: ``lower``, ``higher`` or
    ``mixed`` (an item scale whose items point both ways). ``scale`` may be ``item_<number>``
    for a single item of the instrument.

    Every scale of the paper's Tables 2, 4 and 5 is read as the paper labels and scores it
    (Table 2's heading "Symptom scales"; fatigue; distress): lower is better. A positively
    worded item (:data:`POSITIVELY_WORDED`) is better higher when printed as answered, lower
    when recoded. A scale that holds positively worded items its scoring does not reverse
    (``reversed_items``) is mixed when the items are as answered, lower-is-better when recoded.

    Examples
    --------
    >>> better_direction("BM22", "item_22"), better_direction("BM22", "item_22", recoded=True)
    ('higher', 'lower')
    >>> better_direction("BM22", "psychosocial_aspects"), better_direction("QSCR10", "distress")
    ('mixed', 'lower')
    """
    if scale.startswith("item_"):
        item = int(scale.removeprefix("item_"))
        if item in POSITIVELY_WORDED:
            return "lower" if recoded else "higher"
        return "lower"
    found = INSTRUMENTS.get(instrument)
    known = None
    if found is not None:
        known = next((s for s in found.scales if s.name == scale), None)
    positive = set(known.items or ()) & set(POSITIVELY_WORDED) if known is not None else set()
    if positive and not set(known.reversed_items) >= positive:
        return "lower" if recoded else "mixed"
    return "lower"


def scale_table() -> "pd.DataFrame":  # noqa: F821
    """Every scale of every instrument, one row each, with what is known and what is not."""
    import pandas as pd

    rows = []
    for instrument in INSTRUMENTS.values():
        for scale in instrument.scales:
            rows.append(dict(
                instrument=instrument.name, scale=scale.name, kind=scale.kind,
                items=", ".join(map(str, scale.items)) if scale.items else "not public",
                n_items=scale.n_items if scale.n_items is not None else "not public",
                responses=f"{instrument.response_min}-{instrument.response_max}",
                reversed=", ".join(map(str, scale.reversed_items)) or "none",
                unknown=", ".join(f"{k}: {v}" for k, v in scale.candidates.items()) or "",
                higher_means=scale.higher_means, source=scale.source))
    return pd.DataFrame(rows)
