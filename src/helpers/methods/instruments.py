"""The model of a questionnaire: its items' response range, its scales and how each is scored.

A library of instruments is data (mappings read from YAML or written by hand, one per
instrument); this module gives it types and checks it (:func:`parse_instrument`,
:func:`parse_library`, :func:`merge_instruments`). Where a fact is not public, a scale keeps it as
a parameter with its candidate values (``Scale.candidates``), never a guess hidden in code.
Nothing here knows where a library is kept or which instruments a trial used.

Each scale has a ``kind`` (the formula): ``functional`` ``(1 - (RS - min)/range) x 100``,
``symptom`` ``(RS - min)/range x 100``, ``global`` (the symptom formula, higher is better, as the
EORTC QLQ-C30's global health status) or ``sum``; ``higher_is_better``; and may override the
instrument's response range (``response_min``, ``response_max``). Positively worded items belong
to the instrument.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SYMPTOM", "FUNCTIONAL", "GLOBAL", "SUM", "KINDS", "MISSING_RULES", "Scale",
           "Instrument", "LibraryError", "parse_scale", "parse_instrument", "parse_library",
           "merge_instruments"]

#: The kinds of scale: EORTC symptom, functional and global scales (0-100) and sum scores.
SYMPTOM, FUNCTIONAL, GLOBAL, SUM = "symptom", "functional", "global", "sum"
KINDS = (FUNCTIONAL, SYMPTOM, GLOBAL, SUM)
#: The rules for missing items an instrument may declare (``missing_items``).
MISSING_RULES = ("half rule",)


class LibraryError(ValueError):
    """An instrument library entry that is malformed; the message names the source and key."""


@dataclass(frozen=True)
class Scale:
    """One scale of an instrument.

    ``items`` are the instrument's item numbers (standalone numbering) or None where the map is
    not public; ``n_items`` is then still known or itself a candidate. ``reversed_items`` are
    scored ``max + min - response`` before the formula. ``candidates`` lists the values an unknown
    fact may take, by name (``"n_items"``, ``"reversed_items"``, ``"kind"``). ``response_min``
    and ``response_max`` override the instrument's response range where the scale's items are
    answered on another (None: the instrument's). ``higher_is_better`` is None where not stated.

    Examples
    --------
    >>> Scale("pain", "pain", "symptom", (1, 2, 3), 3).n_items
    3
    >>> Scale("pain", "pain", "severe", (1,), 1)
    Traceback (most recent call last):
    ...
    helpers.methods.instruments.LibraryError: scale pain: kind 'severe' is not one of functional, symptom, global, sum
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
    higher_is_better: bool | None = None
    response_min: int | None = None
    response_max: int | None = None
    abbreviation: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise LibraryError(f"scale {self.name}: kind {self.kind!r} is not one of "
                               f"{', '.join(KINDS)}")
        if self.items is not None and self.n_items is not None and len(self.items) != self.n_items:
            raise LibraryError(f"scale {self.name}: {len(self.items)} items listed, n_items "
                               f"{self.n_items}")
        if (self.response_min is None) != (self.response_max is None):
            raise LibraryError(f"scale {self.name}: give both response_min and response_max, "
                               "or neither")
        if self.response_min is not None and self.response_min >= self.response_max:
            raise LibraryError(f"scale {self.name}: response_min {self.response_min} is not "
                               f"below response_max {self.response_max}")

    @property
    def single_item(self) -> bool:
        """A scale of one item."""
        return self.n_items == 1


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
    missing_items: str = "half rule"
    reference: str = ""

    def scale(self, name: str) -> Scale:
        for scale in self.scales:
            if scale.name == name:
                return scale
        raise KeyError(f"{self.name} has no scale {name!r}; its scales: "
                       f"{', '.join(s.name for s in self.scales)}")

    def has_scale(self, name: str) -> bool:
        return any(scale.name == name for scale in self.scales)

    @property
    def item_range(self) -> int:
        return self.response_max - self.response_min

    def range_of(self, scale: Scale | str) -> tuple[int, int]:
        """The response range of a scale's items: the scale's own, else the instrument's.

        Examples
        --------
        >>> q = Instrument("Q", "q", 3, 1, 4, (Scale("a", "a", "symptom", (1, 2), 2),
        ...                Scale("g", "g", "global", (3,), 1, response_min=1, response_max=7)),
        ...                "EORTC 0-100")
        >>> q.range_of("a"), q.range_of("g")
        ((1, 4), (1, 7))
        """
        if isinstance(scale, str):
            scale = self.scale(scale)
        if scale.response_min is not None:
            return scale.response_min, scale.response_max
        return self.response_min, self.response_max

    def item_scale(self, item: int) -> Scale | None:
        """The scale whose listed items include ``item`` (None when no public map lists it)."""
        return next((s for s in self.scales if s.items and item in s.items), None)

    def item_response_range(self, item: int) -> tuple[int, int]:
        """The response range of one item: that of the scale listing it, else the
        instrument's."""
        owner = self.item_scale(item)
        return self.range_of(owner) if owner is not None else (self.response_min,
                                                               self.response_max)


def _where(where: str, key: str) -> str:
    return f"{where}: {key}" if where else key


def _int(entry: dict, key: str, where: str):
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LibraryError(f"{_where(where, key)}: {value!r} is not a whole number")
    return value


def _int_list(entry: dict, key: str, where: str) -> tuple[int, ...] | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value):
        raise LibraryError(f"{_where(where, key)}: {value!r} is not a list of item numbers")
    return tuple(value)


def _within(numbers, n_items: int, where: str) -> None:
    outside = [i for i in numbers if not 1 <= i <= n_items]
    if outside:
        raise LibraryError(f"{where}: item {outside[0]} is not among the instrument's items "
                           f"1-{n_items}")


def parse_scale(entry: dict, where: str) -> Scale:
    """One scale of a library entry (``id``, ``kind``, ``items`` or ``n_items``, ...).

    Raises :class:`LibraryError` (a ``ValueError``) naming ``where`` and the key for a missing
    or malformed key.

    Examples
    --------
    >>> parse_scale({"id": "total", "kind": "sum", "items": [1, 2],
    ...              "higher_is_better": False}, "x").n_items
    2
    >>> parse_scale({"id": "total"}, "library.yaml: instruments[0] scale 0")
    Traceback (most recent call last):
    ...
    helpers.methods.instruments.LibraryError: library.yaml: instruments[0] scale 0 needs 'kind'
    """
    if not isinstance(entry, dict):
        raise LibraryError(f"{where}: a scale is a mapping (id, kind, items, ...), got "
                           f"{entry!r}")
    for key in ("id", "kind"):
        if key not in entry:
            raise LibraryError(f"{where} needs {key!r}")
    where = f"{where} ({entry['id']})"
    higher = entry.get("higher_is_better")
    if higher is not None and not isinstance(higher, bool):
        raise LibraryError(f"{where}: higher_is_better: {higher!r} is not true or false")
    items = _int_list(entry, "items", where)
    n_items = _int(entry, "n_items", where)
    candidates = entry.get("candidates") or {}
    if not isinstance(candidates, dict):
        raise LibraryError(f"{where}: candidates: a mapping of fact to its possible values")
    candidates = {key: [tuple(v) if isinstance(v, list) else v for v in values]
                  for key, values in candidates.items()}
    try:
        return Scale(str(entry["id"]), str(entry.get("label", entry["id"])), str(entry["kind"]),
                     items, n_items if n_items is not None else (len(items) if items else None),
                     _int_list(entry, "reversed_items", where) or (), candidates,
                     str(entry.get("source", "")), str(entry.get("higher_means", "")), higher,
                     _int(entry, "response_min", where), _int(entry, "response_max", where),
                     str(entry.get("abbreviation", "")))
    except LibraryError as error:
        raise LibraryError(f"{where}: {error}") from None


def parse_instrument(entry: dict, source: str = "the library") -> Instrument:
    """One instrument from its mapping (``id``, ``title``, ``n_items``, ``response_min``,
    ``response_max``, ``metric``, ``scales``; optional ``positively_worded``, ``item_wording``,
    ``cutoff``, ``missing_items``, ``reference``, ``source``).

    Checks what a file could get wrong: a missing key, a number that is not one, a duplicate
    scale id, an item number outside 1..n_items, a reversed item not among its scale's items,
    ``higher_is_better`` missing on a scale. Raises :class:`LibraryError` naming ``source``, the
    scale and the key.

    Examples
    --------
    >>> q = parse_instrument(dict(id="Q", title="q", n_items=2, response_min=0, response_max=5,
    ...     metric="sum 0-10", scales=[{"id": "total", "kind": "sum", "items": [1, 2],
    ...                                 "higher_is_better": False}]), "q.yaml")
    >>> q.scale("total").n_items, q.item_range
    (2, 5)
    >>> parse_instrument(dict(id="Q", title="q", n_items=2, response_min=0, response_max=5,
    ...     metric="sum 0-10", scales=[{"id": "total", "kind": "sum", "items": [1, 3],
    ...                                 "higher_is_better": False}]), "q.yaml")
    Traceback (most recent call last):
    ...
    helpers.methods.instruments.LibraryError: q.yaml: scales[0] (total): items: item 3 is not among the instrument's items 1-2
    """
    if not isinstance(entry, dict):
        raise LibraryError(f"{source}: an instrument is a mapping (id, title, n_items, ...), "
                           f"got {type(entry).__name__}")
    for key in ("id", "title", "n_items", "response_min", "response_max", "metric", "scales"):
        if key not in entry:
            raise LibraryError(f"{source} needs {key!r}")
    n_items = _int(entry, "n_items", source)
    low, high = _int(entry, "response_min", source), _int(entry, "response_max", source)
    if n_items < 1:
        raise LibraryError(f"{source}: n_items: {n_items} is not at least 1")
    if low >= high:
        raise LibraryError(f"{source}: response_min {low} is not below response_max {high}")
    rule = str(entry.get("missing_items", "half rule"))
    if rule not in MISSING_RULES:
        raise LibraryError(f"{source}: missing_items: {rule!r} is not one of "
                           f"{', '.join(MISSING_RULES)}")
    raw_scales = entry["scales"]
    if not isinstance(raw_scales, list) or not raw_scales:
        raise LibraryError(f"{source}: scales: a list of at least one scale")
    scales, seen = [], set()
    for j, raw in enumerate(raw_scales):
        where = f"{source}: scales[{j}]"
        scale = parse_scale(raw, where)
        where = f"{where} ({scale.name})"
        if scale.name in seen:
            raise LibraryError(f"{where}: id {scale.name!r} is used by another scale of "
                               f"{entry['id']}; scale ids are unique within an instrument")
        seen.add(scale.name)
        if scale.higher_is_better is None:
            raise LibraryError(f"{where} needs 'higher_is_better' (true where a higher score "
                               "is the better state)")
        for key, numbers in (("items", scale.items or ()),
                             *(("candidates: items", c) for c in
                               scale.candidates.get("items", []) if isinstance(c, tuple))):
            _within(numbers, n_items, f"{where}: {key}")
        if scale.items and not set(scale.reversed_items) <= set(scale.items):
            raise LibraryError(f"{where}: reversed_items {list(scale.reversed_items)} are not "
                               f"all among its items {list(scale.items)}")
        scales.append(scale)
    positive = _int_list(entry, "positively_worded", source) or ()
    _within(positive, n_items, f"{source}: positively_worded")
    wording = entry.get("item_wording") or {}
    if not isinstance(wording, dict):
        raise LibraryError(f"{source}: item_wording: a mapping of item number to wording")
    return Instrument(
        name=str(entry["id"]), title=str(entry["title"]), n_items=n_items, response_min=low,
        response_max=high, scales=tuple(scales), metric=str(entry["metric"]),
        item_wording={int(k): str(v) for k, v in wording.items()},
        source=str(entry.get("source", "")), positively_worded=positive,
        cutoff=entry.get("cutoff"), missing_items=rule, reference=str(entry.get("reference", "")))


def merge_instruments(instruments) -> dict[str, Instrument]:
    """Instruments by id from ``(source, instrument)`` pairs, refusing an id given twice.

    Examples
    --------
    >>> q = Instrument("Q", "q", 1, 1, 4, (Scale("a", "a", "symptom", (1,), 1),), "EORTC 0-100")
    >>> merge_instruments([("q.yaml", q), ("copy.yaml", q)])
    Traceback (most recent call last):
    ...
    helpers.methods.instruments.LibraryError: copy.yaml: instrument id 'Q' is already defined in q.yaml; an id is defined in one file only
    """
    out, where = {}, {}
    for source, instrument in instruments:
        if instrument.name in out:
            raise LibraryError(f"{source}: instrument id {instrument.name!r} is already defined "
                               f"in {where[instrument.name]}; an id is defined in one file only")
        out[instrument.name], where[instrument.name] = instrument, source
    return out


def parse_library(raw: dict, source: str = "the library") -> dict[str, Instrument]:
    """The instruments of one library mapping, by id: either one instrument (a mapping with
    ``id``, as in a file of the library folder) or a list of them under ``instruments:``.

    Raises :class:`LibraryError` naming ``source`` and the entry for a missing key, and for an
    id given twice.

    Examples
    --------
    >>> library = parse_library({"instruments": [dict(
    ...     id="Q", title="a questionnaire", n_items=2, response_min=0, response_max=5,
    ...     metric="sum_0_10", scales=[{"id": "total", "kind": "sum", "items": [1, 2],
    ...                                 "higher_is_better": False}])]})
    >>> library["Q"].scale("total").n_items, library["Q"].item_range
    (2, 5)
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LibraryError(f"{source}: an instrument mapping (id, title, scales, ...), got "
                           f"{type(raw).__name__}")
    if "instruments" not in raw:
        return merge_instruments([(source, parse_instrument(raw, source))])
    entries = raw.get("instruments") or []
    if not isinstance(entries, list):
        raise LibraryError(f"{source}: instruments: a list of instruments")
    return merge_instruments((f"{source}: instruments[{i}]",
                              parse_instrument(entry, f"{source}: instruments[{i}]"))
                             for i, entry in enumerate(entries))
