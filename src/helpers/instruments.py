"""The three questionnaires of the trial: items, scales, response ranges, scoring formula, read
from the instrument library ``data/instruments/instruments.yaml`` (the facts are data; this
module gives them types and checks them).

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

from dataclasses import dataclass, field

__all__ = ["Scale", "Instrument", "LIBRARY", "load_library", "PSYCHOSOCIAL_WORDING",
           "POSITIVELY_WORDED", "BM22", "FA13",
           "QSCR10", "INSTRUMENTS", "QSCR10_CUTOFF", "get", "better_direction", "scale_table"]

SYMPTOM, FUNCTIONAL, SUM = "symptom", "functional", "sum"


@dataclass(frozen=True)
class Scale:
    """One scale of an instrument.

    ``items`` are the instrument's item numbers (standalone numbering) or None where the map is
    not public; ``n_items`` is then still known or itself a candidate. ``reversed_items`` are
    scored ``max + min - response`` before the formula. ``candidates`` lists the values an unknown
    fact may take, by name (``"n_items"``, ``"reversed_items"``, ``"kind"``).
    """

    name: str
    label: str
    kind: str
    items: tuple[int, ...] | None
    n_items: int | None
    reversed_items: tuple[int, ...] = ()
    candidates: dict = field(default_factory=dict)
    source: str = ""
    higher_means: str = ""

    def __post_init__(self):
        if self.kind not in (SYMPTOM, FUNCTIONAL, SUM):
            raise ValueError(f"scale {self.name}: kind must be symptom, functional or sum")
        if self.items is not None and self.n_items is not None and len(self.items) != self.n_items:
            raise ValueError(f"scale {self.name}: {len(self.items)} items listed, n_items "
                             f"{self.n_items}")


@dataclass(frozen=True)
class Instrument:
    """A questionnaire: its items' response range, scales and reported metric."""

    name: str
    title: str
    n_items: int
    response_min: int
    response_max: int
    scales: tuple[Scale, ...]
    metric: str
    item_wording: dict[int, str] = field(default_factory=dict)
    source: str = ""
    positively_worded: tuple[int, ...] = ()
    cutoff: float | None = None

    def scale(self, name: str) -> Scale:
        for scale in self.scales:
            if scale.name == name:
                return scale
        raise KeyError(f"{self.name} has no scale {name!r}; its scales: "
                       f"{', '.join(s.name for s in self.scales)}")

    @property
    def item_range(self) -> int:
        return self.response_max - self.response_min


#: The instrument library: every fact of this module's instruments, as data.
LIBRARY = "data/instruments/instruments.yaml"


def _scale(entry: dict, where: str) -> Scale:
    candidates = {key: [tuple(v) if isinstance(v, list) else v for v in values]
                  for key, values in (entry.get("candidates") or {}).items()}
    try:
        return Scale(str(entry["id"]), str(entry.get("label", entry["id"])), str(entry["kind"]),
                     tuple(entry["items"]) if entry.get("items") is not None else None,
                     entry.get("n_items", len(entry["items"]) if entry.get("items") else None),
                     tuple(entry.get("reversed_items") or ()), candidates,
                     str(entry.get("source", "")), str(entry.get("higher_means", "")))
    except KeyError as missing:
        raise ValueError(f"{LIBRARY}: {where} needs {missing}") from None


def load_library(path: str | None = None) -> dict[str, "Instrument"]:
    """The instruments of the library file (``data/instruments/instruments.yaml``), by id.

    Raises ``ValueError`` naming the file and the entry for a missing key.
    """
    import yaml

    from . import paths

    source = paths.resolve(path or LIBRARY)
    with open(source, encoding="utf-8") as handle:
        try:
            raw = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ValueError(f"{source}{where}: not valid YAML "
                             f"({getattr(error, 'problem', None) or error})") from None
    out = {}
    for i, entry in enumerate(raw.get("instruments") or []):
        where = f"instruments[{i}]"
        try:
            out[str(entry["id"])] = Instrument(
                name=str(entry["id"]), title=str(entry["title"]), n_items=int(entry["n_items"]),
                response_min=int(entry["response_min"]), response_max=int(entry["response_max"]),
                scales=tuple(_scale(s, f"{where} scale {j}")
                             for j, s in enumerate(entry.get("scales") or [])),
                metric=str(entry["metric"]),
                item_wording={int(k): str(v) for k, v in (entry.get("item_wording") or {}).items()},
                source=str(entry.get("source", "")),
                positively_worded=tuple(int(v) for v in entry.get("positively_worded") or ()),
                cutoff=entry.get("cutoff"))
        except KeyError as missing:
            raise ValueError(f"{source}: {where} needs {missing}") from None
    return out


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
