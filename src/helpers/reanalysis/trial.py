"""The trial as data: arms, timepoints, instruments and baseline characteristics, read from
``trial.yaml`` in the data folder.

Nothing about a trial is typed in Python: the analysis asks this module which arms were
randomised (and how many patients each), which arm is the control, which timepoints were
assessed (the first is the baseline) and what each is called, which instruments and scales the
tables report, and which baseline characteristics Table 1 lists. The transcription's schema
(``datapackage.json``) takes its enums and limits from here (:func:`constraints`), so pointing
the notebooks at another trial's folder (``-p data_dir``) brings that trial's own. What the
paper's Methods state of its analysis (``methods:``: the test, the effect size, the rounding, the
significance level) is :class:`Methods`, every key optional.

Examples
--------
>>> study = load("data/published")
>>> [arm.id for arm in study.arms], study.control.id, study.contrasts
(['A', 'B'], 'B', {'t0-t2': 't2', 't0-t3': 't3'})
>>> study.timepoint_label("t3"), study.contrast_label("t0-t3")
('6 months', 'baseline to 6 months')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

from . import paths

__all__ = ["FILE", "Arm", "Comparison", "Timepoint", "Instrument", "Methods", "Trial",
           "TrialError", "CHECK_KINDS", "METHOD_VALUES", "load", "constraints"]

#: The checks of Table 1's summaries a characteristic may declare (``check: {kind: ...}`` in
#: ``trial.yaml``), each with the keys it needs: a mean (SD) of whole numbers within an
#: eligibility range (GRIM, GRIMMER); a continuous measure (nothing to test); a median (range)
#: of a score on a grid, with the claim of its inclusion minimum; a mean (range) of a count
#: whose levels' counts bound the mean.
CHECK_KINDS = {
    "whole_number": ("within", "describes"),
    "continuous": ("describes", "unit"),
    "scale": ("scale", "step", "minimum", "describes", "scale_name"),
    "level_mean": ("level_values", "assumption", "minimum_assumption", "minimum_note"),
}

#: The trial description's file name in a data folder.
FILE = "trial.yaml"


#: The closed vocabulary of ``methods:`` in ``trial.yaml`` (what the paper's Methods state; every
#: key optional, each a value of its list). ``test``: the between-arm test of the outcome tables,
#: ``welch_t``/``student_t`` (of the follow-up scores), ``change_t`` (Welch's t-test of the
#: change from baseline), ``ancova`` (follow-up adjusted for baseline), ``mann_whitney``, or
#: ``wilcoxon_signed_rank`` (as a paper may misname a between-arm rank test). ``effect_size``:
#: ``cohens_d`` (difference over the pooled SD), ``hedges_g`` (the same with Hedges' exact
#: small-sample correction), ``glass_delta`` (over the control arm's SD), of the scores at
#: ``effect_size_at``: ``follow_up`` or ``change`` (from baseline). ``rounding``: how the paper
#: rounds (``half_up``, ``half_even``, ``truncate``), only where it states one.
METHOD_VALUES = {
    "test": ("welch_t", "student_t", "mann_whitney", "change_t", "ancova",
             "wilcoxon_signed_rank"),
    "effect_size": ("cohens_d", "hedges_g", "glass_delta"),
    "effect_size_at": ("follow_up", "change"),
    "rounding": ("half_up", "half_even", "truncate"),
}
#: The free-text keys of ``methods:``: the paper's own words for what it states.
METHOD_QUOTES = ("test_quote", "effect_size_quote", "rounding_quote")


class TrialError(ValueError):
    """``trial.yaml`` is missing, malformed or incomplete; the message names the file and key."""


@dataclass(frozen=True)
class Arm:
    id: str
    label: str
    randomised: int
    control: bool = False


@dataclass(frozen=True)
class Comparison:
    """A between-arm comparison the tables report: ``arm`` minus ``versus`` (arm ids)."""
    arm: str
    versus: str

    @property
    def key(self) -> str:
        """``"A/C"``: the comparison as the 5-part effect keys name it."""
        return f"{self.arm}/{self.versus}"


@dataclass(frozen=True)
class Timepoint:
    id: str
    label: str
    months: float | None = None
    weeks: float | None = None


@dataclass(frozen=True)
class Instrument:
    id: str
    label: str
    scales: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    items: tuple[int, int] | None = None
    table: str = ""
    metric: str = ""
    scale_metrics: tuple[tuple[str, str], ...] = ()
    better: tuple[tuple[str, str], ...] = ()

    def metric_of(self, scale: str) -> str:
        """How the tables print a scale: ``eortc_0_100``, ``sum_0_50`` or ``item_mean_1_4``
        (the instrument's ``metric``, or the scale's entry in ``scale_metrics``)."""
        return dict(self.scale_metrics).get(scale, self.metric)

    def better_of(self, scale: str) -> str | None:
        """Which way is better on a scale as the tables print it, where ``trial.yaml`` declares
        it (``better: lower`` for every scale of the instrument, or ``better: {scale: higher}``):
        ``lower``, ``higher``, or None (then the instrument library's ``higher_is_better``)."""
        ways = dict(self.better)
        return ways.get(scale, ways.get("*"))


@dataclass(frozen=True)
class Methods:
    """The analysis methods the paper states (``methods:`` in ``trial.yaml``): None (or "")
    where it states none. Values: :data:`METHOD_VALUES`."""

    test: str | None = None
    test_quote: str = ""
    effect_size: str | None = None
    effect_size_at: str | None = None
    effect_size_quote: str = ""
    rounding: str | None = None
    rounding_quote: str = ""
    alpha: float | None = None

    @property
    def declared(self) -> dict:
        """What the paper states, as the methods layer takes it (``test``, ``effect_size``,
        ``effect_size_at``; ``helpers.methods.effects.reanalyse``): None where not stated."""
        return {"test": self.test, "effect_size": self.effect_size,
                "effect_size_at": self.effect_size_at}

    @property
    def check_rounding(self) -> str | None:
        """The ``rounding`` the consistency checks (GRIM, GRIMMER, percentages) take by default
        for this trial: the stated ``half_up`` or ``half_even``; None where the paper states
        none, or states truncation, which those checks do not model (then ``either``, the
        notebooks' own default, stays)."""
        return self.rounding if self.rounding in ("half_up", "half_even") else None

    def defaults(self) -> dict:
        """The notebook parameters the stated methods set by default (``rounding``, ``alpha``);
        only what the paper states. A parameter given on the command line or in
        ``notebooks/params.yaml`` still wins (``helpers.build.pipeline.plan``)."""
        out: dict = {}
        if self.check_rounding:
            out["rounding"] = self.check_rounding
        if self.alpha is not None:
            out["alpha"] = self.alpha
        return out


@dataclass(frozen=True)
class Trial:
    id: str
    title: str
    arms: tuple[Arm, ...]
    timepoints: tuple[Timepoint, ...]
    instruments: tuple[Instrument, ...]
    characteristics: dict
    path: str = ""
    eligibility: tuple[tuple[str, tuple], ...] = ()
    registration: str = ""
    #: The journal that published the paper (``journal:``; the letter is addressed to it).
    journal: str = ""
    #: The analysis methods the paper states (``methods:``; nothing stated by default).
    methods: Methods = Methods()
    #: The between-arm comparisons (``comparisons:``; by default each arm against the control).
    comparisons: tuple[Comparison, ...] = ()
    #: How the paper cites itself (``citation:``), as written.
    citation: str = ""
    #: The flow before randomisation (``flow:``), each stage a dict ``{stage, claim,
    #: excluded}`` as written.
    flow: tuple[dict, ...] = ()
    #: The text's word that every patient still in the trial answered (``flow_complete:``), as
    #: written (empty when not declared).
    flow_complete: dict = field(default_factory=dict)

    @property
    def data_dir(self) -> str:
        """The data folder this trial was read from (the folder of its ``trial.yaml``): where its
        tables and their schema are."""
        if not self.path:
            raise ValueError(f"trial {self.id!r} was not read from a data folder (no path)")
        return os.path.dirname(self.path)

    def eligible(self, name: str, default=None):
        """An eligibility range of ``trial.yaml`` (``age_years``: (18, 80)), or ``default``."""
        return dict(self.eligibility).get(name, default)

    @property
    def arm_ids(self) -> tuple[str, ...]:
        return tuple(arm.id for arm in self.arms)

    @property
    def control(self) -> Arm:
        """The control arm (the one marked ``control``, else the last)."""
        return next((arm for arm in self.arms if arm.control), self.arms[-1])

    @property
    def treatment(self) -> Arm:
        """The arm compared with the control in a two-arm trial (the arm of the first
        comparison)."""
        first = self.comparisons[0].arm if self.comparisons else None
        return next(arm for arm in self.arms
                    if arm.id == first or (first is None and arm.id != self.control.id))

    @property
    def k_arms(self) -> bool:
        """True when the trial has more than two arms or more than one comparison (then
        results are keyed by arm and versus)."""
        return len(self.arms) > 2 or len(self.comparisons) > 1

    def effect_key(self, instrument: str, scale: str, arm: str, versus: str,
                   contrast: str) -> str:
        """The row key of a between-arm result as effects.csv and the claim ids name it:
        ``instrument/scale/contrast`` in a trial of one comparison,
        ``instrument/scale/arm/versus/contrast`` in a trial of several."""
        parts = ((instrument, scale, arm, versus, contrast) if self.k_arms
                 else (instrument, scale, contrast))
        return "/".join(str(part) for part in parts)

    def comparison_label(self, arm: str, versus: str) -> str:
        """``"A vs C"`` in a trial of several comparisons, ``""`` in a trial of one."""
        return f"{arm} vs {versus}" if self.k_arms else ""

    def arm(self, name: str) -> Arm:
        """The arm with the id ``name``."""
        for arm in self.arms:
            if arm.id == name:
                return arm
        raise KeyError(f"{self.path}: no arm {name!r}; known: {', '.join(self.arm_ids)}")

    @property
    def baseline(self) -> Timepoint:
        return self.timepoints[0]

    @property
    def follow_ups(self) -> tuple[Timepoint, ...]:
        return self.timepoints[1:]

    @property
    def contrasts(self) -> dict[str, str]:
        """Each contrast (baseline to a follow-up, ``"t0-t2"``) and its follow-up timepoint."""
        return {f"{self.baseline.id}-{t.id}": t.id for t in self.follow_ups}

    @property
    def max_randomised(self) -> int:
        return max(arm.randomised for arm in self.arms)

    def instrument(self, name: str) -> Instrument:
        for instrument in self.instruments:
            if instrument.id == name:
                return instrument
        raise KeyError(f"{self.path}: no instrument {name!r}; known: "
                       f"{', '.join(i.id for i in self.instruments)}")

    @property
    def scales(self) -> dict[str, tuple[str, ...]]:
        """Each instrument's scales, in table order."""
        return {instrument.id: instrument.scales for instrument in self.instruments}

    @property
    def exclusive(self) -> tuple[str, ...]:
        """Baseline characteristics whose levels exclude each other (counts add up to the arm)."""
        return tuple(name for name, entry in self.characteristics.items()
                     if isinstance(entry, dict) and entry.get("exclusive"))

    @property
    def item_instrument(self) -> str:
        """The instrument whose items the item table prints: the one whose ``items`` range
        ``trial.yaml`` gives ("" when none does)."""
        return next((i.id for i in self.instruments if i.items), "")

    def check_of(self, name: str) -> dict:
        """How Table 1's summary of a characteristic is checked (its ``check`` in
        ``trial.yaml``; empty when none is declared): ``kind`` is one of :data:`CHECK_KINDS`,
        with the facts that kind needs."""
        entry = self.characteristics.get(name, name)
        return dict(entry.get("check") or {}) if isinstance(entry, dict) else {}

    def characteristic_label(self, name: str) -> str:
        entry = self.characteristics.get(name, name)
        return str(entry.get("label", name)) if isinstance(entry, dict) else str(entry)

    def instrument_of(self, scale: str) -> Instrument:
        """The one instrument of the trial with the scale ``scale``; an error naming them where
        two instruments share the scale id (then name the instrument)."""
        found = [instrument for instrument in self.instruments if scale in instrument.scales]
        if not found:
            raise KeyError(f"{self.path}: no instrument has the scale {scale!r}")
        if len(found) > 1:
            raise KeyError(f"{self.path}: the scale {scale!r} belongs to "
                           f"{' and '.join(i.id for i in found)}; name the instrument too "
                           f"(e.g. '{found[0].id}/{scale}')")
        return found[0]

    def metric_of(self, scale: str, instrument: str | None = None) -> str:
        """How the tables print a scale (:meth:`Instrument.metric_of`) of ``instrument`` (by
        default the one instrument with that scale)."""
        owner = self.instrument(instrument) if instrument else self.instrument_of(scale)
        return owner.metric_of(scale)

    def better_of(self, instrument: str, scale: str) -> str | None:
        """The direction ``trial.yaml`` declares for a scale as printed
        (:meth:`Instrument.better_of`), None where it declares none (or has no such instrument).
        """
        found = next((i for i in self.instruments if i.id == instrument), None)
        return found.better_of(scale) if found is not None else None

    def timepoint(self, name: str) -> Timepoint:
        for timepoint in self.timepoints:
            if timepoint.id == name:
                return timepoint
        raise KeyError(f"{self.path}: no timepoint {name!r}; known: "
                       f"{', '.join(t.id for t in self.timepoints)}")

    def timepoint_label(self, name: str) -> str:
        return self.timepoint(name).label

    def contrast_label(self, contrast: str) -> str:
        """``"t0-t3"`` in words: ``"baseline to 6 months"``."""
        start, _, end = contrast.partition("-")
        return f"{self.timepoint_label(start)} to {self.timepoint_label(end)}"

    def arm_label(self, name: str) -> str:
        return self.arm(name).label


def _require(mapping, key, where, path, kind=None):
    if not isinstance(mapping, dict) or key not in mapping:
        raise TrialError(f"{path}: {where} needs '{key}'")
    value = mapping[key]
    if kind is not None and not isinstance(value, kind):
        raise TrialError(f"{path}: {where} '{key}' must be a {kind.__name__}, got {value!r}")
    return value


#: The directions a trial may declare for the scales its tables print (``better:``).
WAYS = ("lower", "higher")


def _better(value, scales, where: str, path: str) -> tuple[tuple[str, str], ...]:
    """An instrument's ``better:`` (``lower`` or ``higher`` for all its scales, or a mapping of
    its scales to one of them) as ``(scale or "*", way)`` pairs."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = {"*": value}
    if not isinstance(value, dict):
        raise TrialError(f"{path}: {where} 'better' must be lower, higher, or a mapping of the "
                         f"instrument's scales to lower or higher, got {value!r}")
    out = []
    for scale, way in value.items():
        if scale != "*" and scale not in scales:
            raise TrialError(f"{path}: {where} 'better' names {scale!r}, not a scale of the "
                             f"instrument ({', '.join(map(str, scales))})")
        if way not in WAYS:
            raise TrialError(f"{path}: {where} 'better' for {scale!r} must be lower or higher, "
                             f"got {way!r}")
        out.append((str(scale), str(way)))
    return tuple(out)


def _methods(raw, path: str) -> Methods:
    """``methods:`` of ``trial.yaml`` (every key optional; :data:`METHOD_VALUES`)."""
    if raw is None:
        return Methods()
    if not isinstance(raw, dict):
        raise TrialError(f"{path}: 'methods' must map keys ({', '.join(METHOD_VALUES)}, alpha, "
                         f"...) to what the paper states, got {raw!r}")
    known = (*METHOD_VALUES, *METHOD_QUOTES, "alpha")
    unknown = [str(key) for key in raw if key not in known]
    if unknown:
        raise TrialError(f"{path}: methods: unknown key {', '.join(unknown)}; allowed: "
                         f"{', '.join(known)}")
    values: dict = {}
    for key, allowed in METHOD_VALUES.items():
        value = raw.get(key)
        if value is not None and value not in allowed:
            raise TrialError(f"{path}: methods.{key} must be one of {', '.join(allowed)}, got "
                             f"{value!r}")
        values[key] = value
    for key in METHOD_QUOTES:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise TrialError(f"{path}: methods.{key} must be the paper's words (text), got "
                             f"{value!r}")
        values[key] = value or ""
    alpha = raw.get("alpha")
    if alpha is not None and (isinstance(alpha, bool) or not isinstance(alpha, (int, float))
                              or not 0 < alpha < 1):
        raise TrialError(f"{path}: methods.alpha must be a number between 0 and 1 (exclusive), "
                         f"got {alpha!r}")
    if values["effect_size_at"] is not None and values["effect_size"] is None:
        raise TrialError(f"{path}: methods.effect_size_at needs methods.effect_size (which "
                         f"effect size: {', '.join(METHOD_VALUES['effect_size'])})")
    return Methods(alpha=None if alpha is None else float(alpha), **values)


def _parse(text: str, path: str) -> Trial:
    from .yamlfile import YamlFileError, loads

    try:
        raw = loads(text, path)  # no aliases (an alias bomb would expand before any check)
    except YamlFileError as error:
        raise TrialError(str(error)) from None
    if not isinstance(raw, dict):
        raise TrialError(f"{path}: expected a mapping of keys (id, arms, timepoints, ...)")
    arms = []
    for i, entry in enumerate(_require(raw, "arms", "the trial", path, list)):
        where = f"arms[{i}]"
        randomised = _require(entry, "randomised", where, path)
        if not isinstance(randomised, int) or isinstance(randomised, bool) or randomised < 1:
            raise TrialError(f"{path}: {where} 'randomised' must be a positive whole number, "
                             f"got {randomised!r}")
        arms.append(Arm(str(_require(entry, "id", where, path)),
                        str(entry.get("label", entry["id"])), randomised,
                        bool(entry.get("control", False))))
    if len(arms) < 2:
        raise TrialError(f"{path}: 'arms' must list at least two arms (the analysis compares "
                         f"them), got {len(arms)}")
    if sum(arm.control for arm in arms) > 1:
        raise TrialError(f"{path}: only one arm can be the control")
    timepoints = []
    for i, entry in enumerate(_require(raw, "timepoints", "the trial", path, list)):
        where = f"timepoints[{i}]"
        timepoints.append(Timepoint(str(_require(entry, "id", where, path)),
                                    str(entry.get("label", entry["id"])), entry.get("months"),
                                    entry.get("weeks")))
    if len(timepoints) < 2:
        raise TrialError(f"{path}: 'timepoints' needs a baseline and at least one follow-up")
    for label, values in (("arms", [a.id for a in arms]),
                          ("timepoints", [t.id for t in timepoints])):
        if len(set(values)) < len(values):
            raise TrialError(f"{path}: '{label}' repeats an id: {values}")
        bad = [v for v in values if "-" in v or "/" in v or not v]
        if bad:
            raise TrialError(f"{path}: '{label}' ids may not be empty or contain '-' or '/': "
                             f"{bad}")
    instruments = []
    for i, entry in enumerate(_require(raw, "instruments", "the trial", path, list)):
        where = f"instruments[{i}]"
        scales = _require(entry, "scales", where, path, list)
        bounds = entry.get("range") or [None, None]
        items = entry.get("items")
        default_metric = (f"eortc_{bounds[0]:g}_{bounds[1]:g}" if bounds == [0, 100]
                          else f"sum_{bounds[0]:g}_{bounds[1]:g}" if bounds[0] is not None
                          else "")
        per_scale = entry.get("scale_metrics") or {}
        if not isinstance(per_scale, dict) or set(per_scale) - set(map(str, scales)):
            raise TrialError(f"{path}: {where} 'scale_metrics' must map scales of the "
                             f"instrument to a metric, got {per_scale!r}")
        instruments.append(Instrument(str(_require(entry, "id", where, path)),
                                      str(entry.get("label", entry["id"])),
                                      tuple(str(s) for s in scales), bounds[0], bounds[1],
                                      tuple(items) if items else None,
                                      str(entry.get("table", entry.get("label", entry["id"]))),
                                      str(entry.get("metric", default_metric)),
                                      tuple((str(k), str(v)) for k, v in per_scale.items()),
                                      _better(entry.get("better"), scales, where, path)))
    characteristics = raw.get("baseline_characteristics") or {}
    if not isinstance(characteristics, dict):
        raise TrialError(f"{path}: 'baseline_characteristics' must map each row name to its "
                         "label")
    for name, entry in characteristics.items():
        check = entry.get("check") if isinstance(entry, dict) else None
        if check is None:
            continue
        kind = check.get("kind") if isinstance(check, dict) else None
        if kind not in CHECK_KINDS:
            raise TrialError(f"{path}: baseline_characteristics.{name}.check: 'kind' must be one "
                             f"of {', '.join(CHECK_KINDS)}, got {kind!r}")
        missing = [key for key in CHECK_KINDS[kind] if key not in check]
        if missing:
            raise TrialError(f"{path}: baseline_characteristics.{name}.check ({kind}) lacks "
                             f"{', '.join(missing)}")
    eligibility = raw.get("eligibility") or {}
    if not isinstance(eligibility, dict):
        raise TrialError(f"{path}: 'eligibility' must map each criterion to its [low, high]")
    return Trial(str(_require(raw, "id", "the trial", path)), str(raw.get("title", raw["id"])),
                 tuple(arms), tuple(timepoints), tuple(instruments), dict(characteristics), path,
                 tuple((str(k), tuple(v)) for k, v in eligibility.items()),
                 str(raw.get("registration", "")), str(raw.get("journal", "") or ""),
                 _methods(raw.get("methods"), path),
                 _comparisons(raw.get("comparisons"), arms, path),
                 str(raw.get("citation", "") or ""), _flow(raw.get("flow"), path),
                 _mapping(raw, "flow_complete", path))


def _control_of(arms: list[Arm]) -> Arm:
    """The arm marked ``control``, else the last."""
    return next((arm for arm in arms if arm.control), arms[-1])


def _comparisons(value, arms: list[Arm], path: str) -> tuple[Comparison, ...]:
    """``comparisons:`` as :class:`Comparison` (each ``{arm, versus}`` naming two different arms
    of ``arms:``, none repeated); when absent, each arm that is not the control against the
    control, in the order of ``arms:``."""
    ids = [arm.id for arm in arms]
    if value is None:
        control = _control_of(arms).id
        return tuple(Comparison(a, control) for a in ids if a != control)
    if not isinstance(value, list) or not value:
        raise TrialError(f"{path}: 'comparisons' must be a list of {{arm, versus}} (e.g. "
                         f"'- {{arm: {ids[0]}, versus: {ids[-1]}}}'), got {value!r}")
    out = []
    for i, entry in enumerate(value):
        where = f"comparisons[{i}]"
        arm, versus = (str(_require(entry, key, where, path)) for key in ("arm", "versus"))
        for key, name in (("arm", arm), ("versus", versus)):
            if name not in ids:
                raise TrialError(f"{path}: {where} '{key}' names {name!r}, not an arm of "
                                 f"'arms' ({', '.join(ids)}); use one of those ids")
        if arm == versus:
            raise TrialError(f"{path}: {where} compares arm {arm!r} with itself; 'versus' must "
                             f"name another arm")
        if Comparison(arm, versus) in out:
            raise TrialError(f"{path}: {where} repeats the comparison {arm} versus {versus}")
        out.append(Comparison(arm, versus))
    return tuple(out)


def _mapping(raw: dict, key: str, path: str) -> dict:
    """A top-level key that must be a mapping when present (as written; {} when absent)."""
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TrialError(f"{path}: '{key}' must be a mapping of keys, got {value!r}")
    return dict(value)


def _flow(value, path: str) -> tuple[dict, ...]:
    """``flow:`` (the stages before randomisation, each ``{stage, claim, excluded}``)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TrialError(f"{path}: 'flow' must be a list of {{stage, claim}} entries, got "
                         f"{value!r}")
    for i, entry in enumerate(value):
        for key in ("stage", "claim"):
            _require(entry, key, f"flow[{i}]", path)
    return tuple(dict(entry) for entry in value)


@cache
def _load_cached(path: str, content: bytes) -> Trial:
    """The trial parsed from the bytes just read (keyed on them, so an edit is always seen)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TrialError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") \
            from None
    return _parse(text, path)


def load(data_dir: str | os.PathLike) -> Trial:
    """The trial described by ``DATA_DIR/trial.yaml``. Re-read whenever the file's bytes change.

    Raises :class:`TrialError` naming the file (and line, or key) when it is missing, not YAML,
    or lacks what the analysis needs.
    """
    path = paths.data_dir(data_dir) / FILE
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise TrialError(f"{path}: missing. A data folder describes its trial in {FILE} "
                         "(arms, timepoints, instruments, baseline characteristics); see "
                         "data/published/trial.yaml") from None
    except IsADirectoryError:
        raise TrialError(f"{path}: is a folder, not a file") from None
    return _load_cached(str(path), content)


def constraints(study: Trial) -> dict[str, dict]:
    """Schema constraints that come from the trial, by field name: allowed arms, timepoints,
    contrasts, instruments, scales, baseline characteristics, item numbers, and the largest n.

    Examples
    --------
    >>> constraints(load("data/published"))["n"]
    {'minimum': 0, 'maximum': 30}
    """
    items = [i.items for i in study.instruments if i.items]
    out = {
        "arm": {"enum": list(study.arm_ids)},
        "versus": {"enum": list(study.arm_ids)},
        "timepoint": {"enum": [t.id for t in study.timepoints]},
        "contrast": {"enum": list(study.contrasts)},
        "instrument": {"enum": [i.id for i in study.instruments]},
        "scale": {"enum": [s for i in study.instruments for s in i.scales]},
        "characteristic": {"enum": list(study.characteristics)},
        "n": {"minimum": 0, "maximum": study.max_randomised},
    }
    if items:
        out["item"] = {"minimum": min(low for low, _ in items),
                       "maximum": max(high for _, high in items)}
    return out
