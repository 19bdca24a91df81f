"""The model of a questionnaire: its items' response range, its scales and how each is scored.

A library of instruments is data (a mapping read from YAML or written by hand); this module
gives it types and checks it (:func:`parse_library`). Where a fact is not public, a scale keeps
it as a parameter with its candidate values (``Scale.candidates``), never a guess hidden in code.
Nothing here knows where a library is kept or which instruments a trial used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SYMPTOM", "FUNCTIONAL", "SUM", "KINDS", "Scale", "Instrument", "parse_scale",
           "parse_library"]

#: The kinds of scale: EORTC symptom and functional scales (0-100) and sum scores.
SYMPTOM, FUNCTIONAL, SUM = "symptom", "functional", "sum"
KINDS = (SYMPTOM, FUNCTIONAL, SUM)


@dataclass(frozen=True)
class Scale:
    """One scale of an instrument.

    ``items`` are the instrument's item numbers (standalone numbering) or None where the map is
    not public; ``n_items`` is then still known or itself a candidate. ``reversed_items`` are
    scored ``max + min - response`` before the formula. ``candidates`` lists the values an unknown
    fact may take, by name (``"n_items"``, ``"reversed_items"``, ``"kind"``).

    Examples
    --------
    >>> Scale("pain", "pain", "symptom", (1, 2, 3), 3).n_items
    3
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
        if self.kind not in KINDS:
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


def parse_scale(entry: dict, where: str) -> Scale:
    """One scale of a library entry (``id``, ``kind``, ``items`` or ``n_items``, ...).

    Raises ``ValueError`` naming ``where`` for a missing key.

    Examples
    --------
    >>> parse_scale({"id": "total", "kind": "sum", "items": [1, 2]}, "x").n_items
    2
    >>> parse_scale({"id": "total"}, "library.yaml: instruments[0] scale 0")
    Traceback (most recent call last):
    ...
    ValueError: library.yaml: instruments[0] scale 0 needs 'kind'
    """
    candidates = {key: [tuple(v) if isinstance(v, list) else v for v in values]
                  for key, values in (entry.get("candidates") or {}).items()}
    try:
        return Scale(str(entry["id"]), str(entry.get("label", entry["id"])), str(entry["kind"]),
                     tuple(entry["items"]) if entry.get("items") is not None else None,
                     entry.get("n_items", len(entry["items"]) if entry.get("items") else None),
                     tuple(entry.get("reversed_items") or ()), candidates,
                     str(entry.get("source", "")), str(entry.get("higher_means", "")))
    except KeyError as missing:
        raise ValueError(f"{where} needs {missing}") from None


def parse_library(raw: dict, source: str = "the library") -> dict[str, Instrument]:
    """The instruments of a library mapping (``{"instruments": [{id, title, n_items,
    response_min, response_max, metric, scales: [...]}, ...]}``), by id.

    Raises ``ValueError`` naming ``source`` and the entry for a missing key.

    Examples
    --------
    >>> library = parse_library({"instruments": [dict(
    ...     id="Q", title="a questionnaire", n_items=2, response_min=0, response_max=5,
    ...     metric="sum_0_10", scales=[{"id": "total", "kind": "sum", "items": [1, 2]}])]})
    >>> library["Q"].scale("total").n_items, library["Q"].item_range
    (2, 5)
    """
    out = {}
    for i, entry in enumerate((raw or {}).get("instruments") or []):
        where = f"instruments[{i}]"
        try:
            out[str(entry["id"])] = Instrument(
                name=str(entry["id"]), title=str(entry["title"]), n_items=int(entry["n_items"]),
                response_min=int(entry["response_min"]), response_max=int(entry["response_max"]),
                scales=tuple(parse_scale(s, f"{source}: {where} scale {j}")
                             for j, s in enumerate(entry.get("scales") or [])),
                metric=str(entry["metric"]),
                item_wording={int(k): str(v) for k, v in (entry.get("item_wording") or {}).items()},
                source=str(entry.get("source", "")),
                positively_worded=tuple(int(v) for v in entry.get("positively_worded") or ()),
                cutoff=entry.get("cutoff"))
        except KeyError as missing:
            raise ValueError(f"{source}: {where} needs {missing}") from None
    return out
