"""The paper's interpreting sentences, checked against its own tables and Methods.

``statements.csv`` (in the data folder) holds every sentence of the Abstract, Results, Discussion
and Conclusion that states a comparison, a direction, a significance or an improvement, or
describes an arm, with what it asserts: one row per assertion, of one kind among
:data:`ASSERTIONS`, about the comparisons it names (``effects:<instrument>/<scale>/<contrast>`` or
``item_tests:<item>/<contrast>``). Methods sentences are the references (what each arm received,
the primary endpoint, the named test); they are not checked themselves.

A sentence may be read more than one way (which scales "functional capacity" means): each reading
is a set of assertions, and the sentence holds under a reading when all of them hold. Whether a
lower score is better can also depend on the data: on a scale with positively worded items that
the paper's scoring does not reverse, it depends on whether Table 3 prints the answers as given
or the items already recoded (:func:`data_readings`). The verdict:

- ``consistent`` when the sentence holds under every reading;
- ``inconsistent`` when the tables contradict it under every reading (a p on the wrong side of
  alpha, a mean on the wrong side of the other arm's, an effect size outside the grade the paper's
  own convention gives it, an arm described otherwise than the Methods): the check is then a
  proof, under the assumptions the row states;
- ``unverifiable`` when the readings disagree, or a part cannot be checked from the tables (a
  cause, a clinical judgement, an outcome not reported); the note gives each reading's outcome
  and what would decide.

Words that grade a result are checked by the rule ``data/claims/verbal.yaml`` declares for each
(:func:`vocabulary`): "significant" is a p below the Methods' alpha; "small", "low", "moderate"
and "strong" are grades of the paper's own effect-size convention (its Methods, read from
``claims.csv``); where the paper states no rule ("considerably", "substantial", "improved") the
rule has two readings, each with its reference (a minimal important difference or half a
standard deviation; improved against the control arm or within the arm), and a
``verbal_at_follow_up`` or ``verbal_change`` row names the words and the cells they grade. A
sentence that fails its rules under every reading is a misstatement: an *overstatement* when its
words claim more than the numbers, an *understatement* when they claim less
(:mod:`helpers.methods.verbal`); its ledger row says which, and its tier is a misstatement, not a
proof of impossibility.

Written here because no library checks verbal claims against tables.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import product

import pandas as pd

from ..methods import verbal
from ..methods.ledger import builds
from . import instruments, paths
from .instruments import better_direction, positively_worded

__all__ = ["ASSERTIONS", "REFERENCES", "VERBAL_FILE", "vocabulary", "convention", "magnitude",
           "named_test", "primary_tests", "test_family",
           "data_readings", "direction", "evaluate", "ledger_rows", "chapter_of", "for_chapter"]

#: Assertion kinds that the tables can check, and the references of the Methods.
ASSERTIONS = ("significant", "not_significant", "became_significant", "significant_count",
              "favours", "better_at_follow_up", "lower_at_follow_up", "higher_at_follow_up",
              "magnitude", "verbal_at_follow_up", "verbal_change", "arm_treatment",
              "not_checkable")
#: Assertions whose ``value`` lists the sentence's grading words (``data/claims/verbal.yaml``).
VERBAL = ("verbal_at_follow_up", "verbal_change")
#: How a note names an assertion where its code name does not read as words (the others: the
#: code name with spaces for underscores).
_ASSERTION_WORDS = {"verbal_at_follow_up": "grading words, means at the follow-up",
                    "verbal_change": "grading words, changes from baseline",
                    "favours": "favours the arm"}
#: The vocabulary of grading words and their rules, relative to the project root.
VERBAL_FILE = "data/claims/verbal.yaml"
REFERENCES = ("arm_treatment", "primary_endpoint", "named_test", "deaths_not_different")
#: Words that name a family of tests (for whether a t-test can stand in for the named test).
TEST_FAMILIES = {"wilcoxon": "rank", "mann-whitney": "rank", "rank": "rank", "t-test": "t-test",
                 "t test": "t-test", "student": "t-test", "welch": "t-test"}
#: An arm description that denies any co-intervention.
NONE = ("none", "radiotherapy only")


# ---------------------------------------------------------------------------------------------
# The words and their rules
# ---------------------------------------------------------------------------------------------

#: The rules the engine applies, each with the assertions whose rows may name its words.
RULES = {"p_below_alpha": ("significant",), "effect_size_grade": ("magnitude",),
         "every": VERBAL, "important_difference": VERBAL, "improvement": ("verbal_change",)}


@cache
def _vocabulary(path: str, content: bytes) -> dict:
    from .yamlfile import YamlFileError, loads

    try:
        raw = loads(content.decode("utf-8"), path)
    except YamlFileError as error:
        raise ValueError(str(error)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("words"), dict) \
            or not isinstance(raw.get("rules"), dict):
        raise ValueError(f"{path}: expected the keys 'words' and 'rules' (mappings)")
    for name, rule in raw["rules"].items():
        if name not in RULES:
            raise ValueError(f"{path}: rule {name!r} is not one the engine applies "
                             f"({', '.join(RULES)})")
        if rule.get("source") != "paper" and len(rule.get("readings") or ()) < 2:
            raise ValueError(f"{path}: rule {name!r} follows no convention of the paper, so it "
                             "needs two readings or more, each with its reference")
        for reading in rule.get("readings") or ():
            missing = {"id", "label", "cite", "reference"} - set(reading)
            if missing:
                raise ValueError(f"{path}: a reading of {name!r} lacks {sorted(missing)}")
    for word, entry in raw["words"].items():
        if entry.get("rule") not in raw["rules"]:
            raise ValueError(f"{path}: word {word!r} names the rule {entry.get('rule')!r}, "
                             f"not one of {', '.join(raw['rules'])}")
        if entry["rule"] == "effect_size_grade" and entry.get("grade") not in verbal.GRADES:
            raise ValueError(f"{path}: word {word!r} needs a grade among "
                             f"{', '.join(verbal.GRADES)}")
    return raw


def vocabulary() -> dict:
    """The grading words and their rules, ``data/claims/verbal.yaml`` (``words``, ``rules``).

    Examples
    --------
    >>> words = vocabulary()["words"]
    >>> words["considerably"]["rule"], words["small"]["grade"]
    ('important_difference', 'low')
    """
    path = paths.resolve(VERBAL_FILE)
    return _vocabulary(str(path), path.read_bytes())


def _word(word: str, kind: str) -> dict:
    """A word's entry with its rule (``rule``, ``readings`` ...), refused when the vocabulary
    lacks it or its rule does not belong to assertions of ``kind``."""
    known = vocabulary()
    entry = known["words"].get(word.strip().lower())
    if entry is None:
        raise ValueError(f"statements.csv: the word {word!r} is not in {VERBAL_FILE} (known: "
                         f"{', '.join(known['words'])})")
    if kind not in RULES[entry["rule"]]:
        raise ValueError(f"statements.csv: {word!r} ({entry['rule']}) is checked by an "
                         f"assertion {' or '.join(RULES[entry['rule']])}, not {kind}")
    return {**entry, "word": word.strip(), **known["rules"][entry["rule"]],
            "rule": entry["rule"]}


def grades_of(value: str) -> set:
    """The effect-size grades a ``magnitude`` row's words name (``small`` is ``low``).

    Examples
    --------
    >>> sorted(grades_of("small|moderate"))
    ['low', 'moderate']
    """
    return {_word(word, "magnitude")["grade"] for word in value.split("|") if word.strip()}


# ---------------------------------------------------------------------------------------------
# The paper's conventions
# ---------------------------------------------------------------------------------------------

def convention(claims: pd.DataFrame) -> tuple[float, float] | None:
    """The paper's cut-offs between low, moderate and strong effect sizes (Methods); ``None``
    where it prints none (a sentence grading an effect size is then unverifiable)."""
    value = claims.set_index("refers_to")["value"]
    if not {"effect_size_low_upper_bound", "effect_size_strong_lower_bound"} <= set(value.index):
        return None
    return (float(value["effect_size_low_upper_bound"]),
            float(value["effect_size_strong_lower_bound"]))


def magnitude(effect_size: float, cutoffs: tuple[float, float]) -> str:
    """'low', 'moderate' or 'strong' by the paper's convention.

    Examples
    --------
    >>> magnitude(-0.79, (0.3, 0.7)), magnitude(0.3, (0.3, 0.7))
    ('strong', 'moderate')
    """
    size = abs(effect_size)
    return "low" if size < cutoffs[0] else "strong" if size > cutoffs[1] else "moderate"


def test_family(name: str) -> str:
    """The family of a named test: ``rank``, ``t-test`` or ``unknown``.

    Examples
    --------
    >>> test_family("Wilcoxon signed rank test"), test_family("Welch's t-test")
    ('rank', 't-test')
    """
    lowered = name.lower()
    for word, family in TEST_FAMILIES.items():
        if word in lowered:
            return family
    return "unknown"


def named_test(statements: pd.DataFrame) -> dict:
    """The test the Methods name for the between-group comparisons: ``name``, ``family``,
    ``compares`` (``change`` when the sentence says the test compares changes from baseline,
    else ``""``) and ``statement_id`` (empty when no Methods sentence names one).

    Examples
    --------
    >>> from helpers.reanalysis import data
    >>> test = named_test(data.load_statements("data/published"))
    >>> test["family"], test["compares"]
    ('rank', 'change')
    """
    rows = statements[statements["assertion"] == "named_test"]
    if rows.empty:
        return {"name": "", "family": "unknown", "compares": "", "statement_id": ""}
    row = rows.iloc[0]
    compares = "change" if "change" in row["quote"].lower() else ""
    return {"name": row["value"], "family": test_family(row["value"]), "compares": compares,
            "statement_id": row["statement_id"]}


def primary_tests(statements: pd.DataFrame) -> list[str]:
    """The between-group tests of the endpoint the Methods call primary, as the ``refers_to``
    of the ``primary_endpoint`` sentence lists them (``effects:<instrument>/<scale>/<contrast>``);
    empty when no sentence names a primary endpoint.

    Examples
    --------
    >>> from helpers.reanalysis import data
    >>> primary_tests(data.load_statements("data/published"))[:2]
    ['effects:BM22/painful_sites/t0-t2', 'effects:BM22/painful_sites/t0-t3']
    """
    rows = statements[statements["assertion"] == "primary_endpoint"]
    found = [text for refs in rows["refers_to"] for text in filter(None, refs.split(";"))]
    for text in found:
        _parse(text)  # a clear error for a malformed reference
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Which way is better
# ---------------------------------------------------------------------------------------------

def data_readings(study=None) -> list[dict]:
    """The readings of the item tables that change which way is better: the item table prints
    the answers as given, or the positively worded items (of the trial's item instrument)
    already recoded (highest answer + lowest answer minus the answer). Each is
    ``{"label": ..., "recoded": bool}``."""
    instrument = study.item_instrument if study is not None else ""
    if not instrument:
        return [{"label": "the item table prints the answers as given", "recoded": False},
                {"label": "the item table prints its positively worded items recoded",
                 "recoded": True}]
    where = "Table 3"  # trial.yaml does not name the item table yet
    items = ", ".join(map(str, positively_worded(instrument)))
    return [{"label": f"{where} prints the answers as given", "recoded": False},
            {"label": f"{where} prints items {items} recoded", "recoded": True}]


def direction(reference: dict, recoded: bool, study=None) -> str:
    """Which way is better for a referenced comparison: ``lower``, ``higher`` or ``mixed``, from
    the instrument's facts and what the trial ``study`` declares of its printed scales
    (:func:`helpers.reanalysis.instruments.better_direction`); an item of the item table is
    the trial's item instrument's (``study`` is then needed).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> direction({"kind": "item_tests", "item": 22}, recoded=False, study=study)
    'higher'
    >>> direction({"kind": "effects", "instrument": "BM22", "scale": "psychosocial_aspects"},
    ...           False, study)
    'mixed'
    >>> direction({"kind": "effects", "instrument": "BM22", "scale": "functional_interference"},
    ...           False, study)
    'lower'
    """
    if reference["kind"] == "item_tests":
        if study is None:
            raise ValueError(f"{reference.get('text', 'an item reference')}: which instrument "
                             "the item table prints comes from the trial; pass study")
        owner = study.item_instrument
        return better_direction(owner, f"item_{reference['item']}", recoded)
    printed = (study.better_of(reference["instrument"], reference["scale"])
               if study is not None else None)
    return better_direction(reference["instrument"], reference["scale"], recoded, printed)


# ---------------------------------------------------------------------------------------------
# The tables, by reference
# ---------------------------------------------------------------------------------------------

def _parse(reference: str) -> dict:
    kind, _, rest = reference.partition(":")
    parts = rest.split("/")
    if kind == "effects" and len(parts) == 3:
        return {"kind": kind, "instrument": parts[0], "scale": parts[1], "contrast": parts[2],
                "arm": None, "versus": None, "text": reference}
    if kind == "effects" and len(parts) == 5:
        return {"kind": kind, "instrument": parts[0], "scale": parts[1], "arm": parts[2],
                "versus": parts[3], "contrast": parts[4], "text": reference}
    if kind == "item_tests" and len(parts) == 2:
        return {"kind": kind, "item": int(parts[0]), "contrast": parts[1], "text": reference}
    raise ValueError(f"statements.csv: {reference!r} is not effects:<instrument>/<scale>/"
                     "<contrast>, effects:<instrument>/<scale>/<arm>/<versus>/<contrast> or "
                     "item_tests:<item>/<contrast>")


class _Tables:
    """Lookups of p, effect size and arm means for a referenced comparison."""

    def __init__(self, effects, item_tests, outcomes, items, study):
        self.study = study
        if not {"arm", "versus"} <= set(effects.columns):  # a trial of one comparison
            first = study.comparisons[0]
            effects = effects.assign(arm=first.arm, versus=first.versus)
        self.effects = effects.set_index(["instrument", "scale", "arm", "versus", "contrast"])
        self.item_tests = item_tests.set_index(["item", "contrast"])
        self.outcomes = outcomes.set_index(["instrument", "scale", "arm", "timepoint"])
        self.items = items.set_index(["item", "arm", "timepoint"])

    def sides(self, reference: dict) -> tuple[str, str]:
        """The comparison a reference is about (arm, versus): its own, or, for a 3-part
        reference, the trial's one comparison."""
        if reference.get("arm"):
            return reference["arm"], reference["versus"]
        if len(self.study.comparisons) != 1:
            raise ValueError(f"statements.csv: {reference['text']} does not say which of the "
                             f"{len(self.study.comparisons)} comparisons of trial.yaml it is "
                             "about; write effects:<instrument>/<scale>/<arm>/<versus>/"
                             "<contrast>")
        comparison = self.study.comparisons[0]
        return comparison.arm, comparison.versus

    def row(self, reference: dict):
        key = ((reference["instrument"], reference["scale"], *self.sides(reference),
                reference["contrast"])
               if reference["kind"] == "effects" else (reference["item"], reference["contrast"]))
        table = self.effects if reference["kind"] == "effects" else self.item_tests
        if key not in table.index:
            raise KeyError(f"statements.csv refers to {reference['text']}, which is not in the "
                           "transcription")
        return table.loc[key]

    def p(self, reference: dict) -> tuple[float, str]:
        row = self.row(reference)
        return float(row["p"]), row["p_printed"]

    def p_of(self, reference: dict, contrast: str) -> tuple[float, str]:
        return self.p({**reference, "contrast": contrast})

    def effect_size(self, reference: dict) -> tuple[float, str]:
        if reference["kind"] != "effects":
            raise ValueError(f"{reference['text']}: Table 3 prints no effect size")
        row = self.row(reference)
        return float(row["effect_size"]), row["effect_size_printed"]

    def mean(self, reference: dict, arm: str, timepoint: str) -> float:
        if reference["kind"] == "effects":
            key = (reference["instrument"], reference["scale"], arm, timepoint)
            return float(self.outcomes.loc[key, "mean"])
        return float(self.items.loc[(reference["item"], arm, timepoint), "mean"])

    def cell(self, reference: dict, arm: str, timepoint: str) -> tuple[float, float, int]:
        """The mean, SD and the mean's printed decimals of one arm at one timepoint."""
        if reference["kind"] == "effects":
            row = self.outcomes.loc[(reference["instrument"], reference["scale"], arm, timepoint)]
        else:
            row = self.items.loc[(reference["item"], arm, timepoint)]
        return float(row["mean"]), float(row["sd"]), int(row["mean_decimals"])

    def bounds(self, reference: dict) -> tuple[float, float]:
        """The range a referenced scale or item is printed on: the metric of ``trial.yaml``
        (``eortc_0_100``, ``item_mean_1_4``, ``sum_0_50``), or an item's response range."""
        if reference["kind"] == "item_tests":
            owner = instruments.get(self.study.item_instrument)
            return float(owner.response_min), float(owner.response_max)
        metric = self.study.metric_of(reference["scale"], reference["instrument"])
        found = re.search(r"_(\d+(?:\.\d+)?)_(\d+(?:\.\d+)?)$", metric)
        if found is None:
            raise ValueError(f"{reference['text']}: the metric {metric!r} names no range")
        return float(found.group(1)), float(found.group(2))

    def label(self, reference: dict) -> str:
        follow_up = self.study.timepoint_label(self.study.contrasts[reference["contrast"]])
        what = (reference["scale"].replace("_", " ") if reference["kind"] == "effects"
                else f"item {reference['item']}")
        return f"{what} at {follow_up}"


def _follow_up(reference: dict) -> str:
    return reference["contrast"].split("-")[1]


# ---------------------------------------------------------------------------------------------
# One assertion
# ---------------------------------------------------------------------------------------------

def _assert(row: pd.Series, tables: _Tables, references: dict, alpha: float, cutoffs,
            recoded: bool) -> tuple[bool | None, str, str]:
    """Does one assertion hold? ``True``, ``False`` or ``None`` (cannot be checked), with the
    numbers behind the answer and, when it fails, whether its words claim more than the numbers
    (``overstatement``) or less (``understatement``)."""
    kind = row["assertion"]
    refs = [_parse(text) for text in filter(None, row["refers_to"].split(";"))]
    if kind == "not_checkable":
        return None, row["value"], ""
    if kind == "arm_treatment":
        said = {term.strip().lower() for term in row["value"].split("|") if term.strip()}
        methods = references.get(row["arm"], set())
        if not methods:
            return None, f"the Methods describe no treatment of arm {row['arm']}", ""
        if said & set(NONE):
            return False, (f"says arm {row['arm']} had no co-intervention; the Methods: "
                           f"{', '.join(sorted(methods))}"), ""
        if said <= methods:
            return True, f"as the Methods: {', '.join(sorted(said))}", ""
        return None, (f"says {', '.join(sorted(said - methods))}; the Methods: "
                      f"{', '.join(sorted(methods))}"), ""
    if kind in ("significant", "not_significant"):
        values = [(tables.label(r), *tables.p(r)) for r in refs]
        below = [p < alpha for _, p, _ in values]
        ok = all(below) if kind == "significant" else not any(below)
        rule = (f"p below alpha {alpha:g}" if kind == "significant"
                else f"no p below alpha {alpha:g}")
        return ok, f"({rule}) " + "; ".join(f"{label} p = {text}" for label, _, text in values), \
            "" if ok else verbal.OVER if kind == "significant" else verbal.UNDER
    if kind == "became_significant":
        parts, ok, late = [], True, False
        first, last = list(tables.study.contrasts)[0], list(tables.study.contrasts)[-1]
        when = [tables.study.timepoint_label(tables.study.contrasts[c]) for c in (first, last)]
        for r in refs:
            before, before_text = tables.p_of(r, first)
            after, after_text = tables.p_of(r, last)
            ok &= before >= alpha and after < alpha
            late |= after >= alpha
            what = tables.label(r).rsplit(" at ", 1)[0]
            parts.append(f"{what}: p = {before_text} at {when[0]}, {after_text} at {when[1]}")
        # not significant at the end: claims more; significant earlier already: claims less
        return ok, "; ".join(parts), "" if ok else verbal.OVER if late else verbal.UNDER
    if kind == "significant_count":
        significant = {}
        for r in refs:
            what = tables.label(r).rsplit(" at ", 1)[0]
            significant[what] = significant.get(what, False) or tables.p(r)[0] < alpha
        count = sum(significant.values())
        ok = count >= int(row["value"])
        return ok, (f"{count} of {len(significant)} scales significant at a follow-up (at "
                    f"least {int(row['value'])} said)"), "" if ok else verbal.OVER
    if kind == "magnitude":
        if cutoffs is None:
            return None, "the paper states no convention for low, moderate and strong effects", ""
        allowed = grades_of(row["value"])
        graded = [(tables.label(r), *tables.effect_size(r)) for r in refs]
        grades = [magnitude(v, cutoffs) for _, v, _ in graded]
        misses = {verbal.grade_misstatement(allowed, g) for g in grades if g not in allowed}
        ok = all(g in allowed for g in grades)
        said = [w.strip() for w in row["value"].split("|") if w.strip()]
        named = " or ".join(g for g in verbal.GRADES if g in allowed)
        # the words as printed, or the grades a sentence implies without naming them
        words = (f"'{' to '.join(said)}' is {named}"
                 if all(w.lower() in row["quote"].lower() for w in said)
                 else f"the sentence implies {named}")
        rule = (f"{words} by the Methods' convention (below {cutoffs[0]:g} low, "
                f"{cutoffs[0]:g} to {cutoffs[1]:g} moderate, above {cutoffs[1]:g} strong)")
        return ok, f"({rule}) " + "; ".join(
            f"{label} ES {text} ({grade})" for (label, _, text), grade in zip(graded, grades)), \
            _joined_misstatements(misses)
    if kind in VERBAL:
        return _verbal(row, refs, tables, recoded)
    if kind in ("favours", "better_at_follow_up", "lower_at_follow_up", "higher_at_follow_up"):
        arm = row["arm"]
        start = tables.study.baseline.id
        results, parts = [], []
        for r in refs:
            end = _follow_up(r)
            other = _other_arm(tables, r, arm)
            if kind == "favours":
                mine = tables.mean(r, arm, end) - tables.mean(r, arm, start)
                theirs = tables.mean(r, other, end) - tables.mean(r, other, start)
                what = "change"
            else:
                mine, theirs = tables.mean(r, arm, end), tables.mean(r, other, end)
                what = "mean"
            way = ("lower" if kind == "lower_at_follow_up" else "higher"
                   if kind == "higher_at_follow_up" else direction(r, recoded, tables.study))
            if way == "mixed":
                results.append(None)
                parts.append(f"{tables.label(r)}: mixed scale (worry and hope items in one "
                             "direction)")
                continue
            results.append(bool(mine < theirs) if way == "lower" else bool(mine > theirs))
            sign = "+" if kind == "favours" else ""
            claim = (f"{way} is better" if kind in ("favours", "better_at_follow_up")
                     else f"arm {arm} said {way}")
            parts.append(f"{tables.label(r)}: {what} {mine:{sign}.2f} in arm {arm}, "
                         f"{theirs:{sign}.2f} in arm {other} ({claim})")
        # a difference the numbers reverse: the words claim more than the numbers show
        if any(r is False for r in results):
            return False, "; ".join(parts), verbal.OVER
        if any(r is None for r in results):
            return None, "; ".join(parts), ""
        return True, "; ".join(parts), ""
    raise ValueError(f"statements.csv: unknown assertion {kind!r}; use one of "
                     f"{', '.join(ASSERTIONS + REFERENCES)}")


def _other_arm(tables: _Tables, reference: dict, arm: str) -> str:
    pair = (tables.sides(reference) if reference["kind"] == "effects"
            else (tables.study.treatment.id, tables.study.control.id))
    return next((a for a in pair if a != arm), pair[-1])


def _assertion_words(kind: str) -> str:
    """An assertion as a note names it.

    Examples
    --------
    >>> _assertion_words("higher_at_follow_up"), _assertion_words("verbal_change")
    ('higher at follow up', 'grading words, changes from baseline')
    """
    return _ASSERTION_WORDS.get(kind, kind.replace("_", " "))


def _joined_misstatements(found) -> str:
    """One word for the misstatements of a sentence's failing parts: ``overstatement``,
    ``understatement``, or both.

    Examples
    --------
    >>> _joined_misstatements({"understatement", "overstatement", ""})
    'overstatement and understatement'
    """
    found = set(found)
    return " and ".join(w for w in (verbal.OVER, verbal.UNDER) if w in found)


def _verbal(row: pd.Series, refs: list, tables: _Tables, recoded: bool
            ) -> tuple[bool | None, str, str]:
    """A row of grading words (``data/claims/verbal.yaml``) against the cells it cites: each
    word's rule under each of its readings, every cell of the row."""
    kind, arm = row["assertion"], row["arm"]
    if not arm:
        raise ValueError(f"statements.csv: {row['statement_id']} ({kind}) needs the arm its "
                         "words are about")
    words = [_word(w, kind) for w in row["value"].split("|") if w.strip()]
    missing = [w["word"] for w in words if w["word"].lower() not in row["quote"].lower()]
    if missing:
        raise ValueError(f"statements.csv: {row['statement_id']}: the word(s) {missing} are not "
                         "in its quote; value lists the grading words the sentence prints")
    start = tables.study.baseline.id
    rules = [w for w in words if w["rule"] != "every"]
    if not rules:
        raise ValueError(f"statements.csv: {row['statement_id']}: {row['value']!r} names no "
                         "rule beside 'all'")
    quantifier = ("every cell cited" + (" ('all')" if len(rules) < len(words) else ""))
    outcomes, parts, fails = [], [], []
    for word in rules:
        by_reading, texts = [], []
        for reading in word["readings"]:
            cells, cell_texts = [], []
            for r in refs:
                end = _follow_up(r)
                other = _other_arm(tables, r, arm)
                mine = tables.cell(r, arm, end)
                theirs = tables.cell(r, other, end)
                if word["rule"] == "improvement":
                    ok, text = _improvement(reading["id"], r, tables, arm, other, start, end,
                                            recoded)
                else:
                    ok, text = _important(reading, r, tables, kind, arm, other, start, mine,
                                          theirs)
                cells.append(ok)
                cell_texts.append(f"{tables.label(r)}: {text}")
            outcome = _combine(cells)
            by_reading.append(outcome)
            said = "holds" if outcome else "fails" if outcome is False else "undecided"
            texts.append(f"{reading['label']} ({reading['cite']}): {said} [" +
                         "; ".join(cell_texts) + "]")
        outcome = verbal.combine_readings(by_reading)
        outcomes.append(outcome)
        if outcome is False:
            fails.append(word.get("fails_as", verbal.OVER))
        disagree = True in by_reading and False in by_reading
        verdict = ("holds under every reading" if outcome else "fails under every reading"
                   if outcome is False else f"the readings disagree; what would decide: "
                   f"{word['decides']}" if disagree else "cannot be checked here")
        parts.append(f"'{word['word']}' ({word['rule'].replace('_', ' ')}, {quantifier}): "
                     + "; ".join(texts) + f": {verdict}")
    return _combine(outcomes), " | ".join(parts), _joined_misstatements(fails)


def _important(reading: dict, r: dict, tables: _Tables, kind: str, arm: str, other: str,
               start: str, mine, theirs) -> tuple[bool | None, str]:
    """One cell against one reading of an important difference: the difference of the
    follow-up means (``verbal_at_follow_up``) or of the changes from baseline
    (``verbal_change``), against a share of the range or a number of SDs."""
    low, high = tables.bounds(r)
    end = _follow_up(r)
    if kind == "verbal_at_follow_up":
        difference = mine[0] - theirs[0]
        decimals = (mine[2], theirs[2])
        sd = verbal.root_mean_square(mine[1], theirs[1])
        what = (f"arm {arm} {mine[0]:g} against arm {other} {theirs[0]:g} at "
                f"{tables.study.timepoint_label(end)}")
        sd_what = f"SD {mine[1]:g} and {theirs[1]:g} there"
    else:
        base_mine, base_theirs = tables.cell(r, arm, start), tables.cell(r, other, start)
        difference = (mine[0] - base_mine[0]) - (theirs[0] - base_theirs[0])
        decimals = (mine[2], base_mine[2], theirs[2], base_theirs[2])
        sd = verbal.root_mean_square(base_mine[1], base_theirs[1])
        what = (f"change {mine[0] - base_mine[0]:+.2f} in arm {arm} against "
                f"{theirs[0] - base_theirs[0]:+.2f} in arm {other}")
        sd_what = f"baseline SD {base_mine[1]:g} and {base_theirs[1]:g}"
    slack = verbal.rounding_slack(decimals)
    minimum = verbal.threshold(reading, low, high, sd)
    ok = verbal.meets(difference, minimum, slack)
    if "share_of_range" in reading:
        rule = (f"at least {minimum:.2f} ({reading['share_of_range']:g} of the range "
                f"{low:g}-{high:g})")
    else:
        rule = (f"at least {minimum:.2f} ({reading['standardised']:g} x {sd:.2f}, the root mean "
                f"square of {sd_what}; standardised {abs(difference) / sd:.2f})")
    said = "meets" if ok else "falls short of" if ok is False else "is within rounding of"
    return ok, (f"{what}: difference {abs(difference):.2f} (rounding +/- {slack:g}), {said} "
                f"{rule}")


def _improvement(reading: str, r: dict, tables: _Tables, arm: str, other: str, start: str,
                 end: str, recoded: bool) -> tuple[bool | None, str]:
    """One cell against one reading of 'improved': the arm's change better than the other
    arm's (``against_control``), or its follow-up mean better than its baseline
    (``within_arm``)."""
    way = direction(r, recoded, tables.study)
    if way == "mixed":
        return None, "mixed scale (worry and hope items in one direction)"
    mine = tables.mean(r, arm, end) - tables.mean(r, arm, start)
    if reading == "against_control":
        theirs = tables.mean(r, other, end) - tables.mean(r, other, start)
        ok = bool(mine < theirs) if way == "lower" else bool(mine > theirs)
        return ok, (f"change {mine:+.2f} in arm {arm} against {theirs:+.2f} in arm {other} "
                    f"({way} is better)")
    if reading == "within_arm":
        ok = bool(mine < 0) if way == "lower" else bool(mine > 0)
        return ok, f"change {mine:+.2f} in arm {arm} ({way} is better)"
    raise ValueError(f"{VERBAL_FILE}: the engine knows no reading {reading!r} of 'improvement' "
                     "(against_control, within_arm)")


def _combine(outcomes):
    if any(o is False for o in outcomes):
        return False
    if any(o is None for o in outcomes):
        return None
    return True


# ---------------------------------------------------------------------------------------------
# Every sentence
# ---------------------------------------------------------------------------------------------

def _arm_references(statements: pd.DataFrame) -> dict:
    methods = statements[(statements["section"] == "methods")
                         & (statements["assertion"] == "arm_treatment")]
    out: dict[str, set] = {}
    for _, row in methods.iterrows():
        out.setdefault(row["arm"], set()).update(
            term.strip().lower() for term in row["value"].split("|") if term.strip())
    return out


def _depends_on_data_reading(rows: pd.DataFrame, study=None) -> bool:
    for _, row in rows.iterrows():
        if row["assertion"] in ("favours", "better_at_follow_up"):
            for text in filter(None, row["refers_to"].split(";")):
                reference = _parse(text)
                if direction(reference, False, study) != direction(reference, True, study):
                    return True
    return False


def evaluate(statements: pd.DataFrame, effects: pd.DataFrame, item_tests: pd.DataFrame,
             outcomes: pd.DataFrame, items: pd.DataFrame, claims: pd.DataFrame, study,
             alpha: float = 0.05) -> pd.DataFrame:
    """Every checked sentence (the Methods references left out): one row each with ``verdict``,
    ``check``, ``readings`` (each reading's outcome in words) and ``detail`` (the numbers).

    Returns ``statement_id, section, quote, verdict, check, outcome, readings, detail,
    data_reading`` (whether the verdict depends on how Table 3 is read), ``misstatement``
    (for a sentence the tables contradict under every reading: ``overstatement`` where its
    words claim more than the numbers, ``understatement`` where they claim less, or both).
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha}")
    tables = _Tables(effects, item_tests, outcomes, items, study)
    cutoffs = convention(claims)
    references = _arm_references(statements)
    checked = statements[(statements["section"] != "methods")
                         & ~statements["assertion"].isin(("primary_endpoint", "named_test",
                                                          "deaths_not_different"))]
    out = []
    for statement_id, rows in checked.groupby("statement_id", sort=False):
        by_data = _depends_on_data_reading(rows, study)
        worlds = data_readings(study) if by_data else [{"label": "", "recoded": False}]
        readings = list(dict.fromkeys(rows["reading"]))
        outcomes, words, details, missed = [], [], [], []
        for reading, world in product(readings, worlds):
            mine = rows[rows["reading"] == reading]
            results = [_assert(row, tables, references, alpha, cutoffs, world["recoded"])
                       for _, row in mine.iterrows()]
            outcome = _combine([r for r, _, _ in results])
            outcomes.append(outcome)
            label = "; ".join(filter(None, [reading, world["label"]])) or "as written"
            how = _joined_misstatements(m for r, _, m in results if r is False)
            missed.append(how if outcome is False else "")
            said = ("holds" if outcome else f"fails ({how})" if outcome is False and how
                    else "fails" if outcome is False else "cannot be checked")
            words.append(f"{label}: {said}")
            detail = " | ".join(f"{_assertion_words(row['assertion'])}: {text}"
                                for (_, row), (_, text, _) in zip(mine.iterrows(), results))
            details.append(f"[{label}] {detail}")
        verdict = ("consistent" if all(o is True for o in outcomes) else
                   "inconsistent" if all(o is False for o in outcomes) else "unverifiable")
        first = rows.iloc[0]
        arm_check = (rows["assertion"] == "arm_treatment").any()
        out.append(dict(
            statement_id=statement_id, section=first["section"], quote=first["quote"],
            verdict=verdict,
            check="statement against Methods" if arm_check else "statement against tables",
            outcome=", ".join(dict.fromkeys(words)), readings=len(readings) * len(worlds),
            detail=" ".join(details), data_reading=by_data,
            misstatement="" if arm_check or verdict != "inconsistent"
            else _joined_misstatements(" and ".join(missed).split(" and "))))
    return pd.DataFrame(out, columns=["statement_id", "section", "quote", "verdict", "check",
                                      "outcome", "readings", "detail", "data_reading",
                                      "misstatement"])


def chapter_of(statements: pd.DataFrame, study) -> pd.Series:
    """The instrument each checked sentence is about (``BM22``, ``FA13``, ``QSCR10``), or ``""``
    when it refers to none or to several: its ledger rows belong to that instrument's chapter.
    A sentence about the item table belongs to the instrument whose items it prints
    (:attr:`helpers.reanalysis.trial.Trial.item_instrument`)."""
    item_instrument = study.item_instrument

    def instrument(text):
        reference = _parse(text)
        return reference["instrument"] if reference["kind"] == "effects" else item_instrument

    out = {}
    for statement_id, rows in statements.groupby("statement_id", sort=False):
        found = {instrument(t) for refs in rows["refers_to"] for t in filter(None, refs.split(";"))}
        out[statement_id] = found.pop() if len(found) == 1 else ""
    return pd.Series(out, name="chapter")


def for_chapter(evaluated: pd.DataFrame, statements: pd.DataFrame, instrument: str,
                study) -> pd.DataFrame:
    """The evaluated sentences of one chapter (``instrument``, or ``""`` for the others)."""
    chapters = chapter_of(statements, study)
    return evaluated[evaluated["statement_id"].map(chapters).fillna("") == instrument]


def _short(quote: str, words: int = 10) -> str:
    """The first words of a quote, for a label.

    Examples
    --------
    >>> _short("one two three", 2)
    'one two ...'
    """
    parts = quote.split()
    return quote if len(parts) <= words else " ".join(parts[:words]) + " ..."


@builds
def ledger_rows(evaluated: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Ledger rows for :func:`evaluate`: one per sentence, with the assumptions its check rests
    on."""
    assumption = (f"alpha {alpha:g} (Methods: 5%); effect sizes graded by the Methods' "
                  "convention; lower is better on the scales of Tables 2, 4 and 5 as the paper "
                  "scores them; grading words by the rules of data/claims/verbal.yaml; the "
                  "readings named in the note")
    rows = []
    for _, row in evaluated.iterrows():
        arm_check = row["check"] == "statement against Methods"
        how = row.get("misstatement", "") or ""
        lead = (f"{how[0].upper()}{how[1:]}: " + _MISSTATED[how] + ". ") if how else ""
        rows.append(dict(
            claim_id=row["statement_id"], source=row["section"].capitalize(),
            quantity=_short(row["quote"]), published=row["quote"], recomputed=row["outcome"],
            check=row["check"], verdict=row["verdict"],
            assumption="the arms as the Methods describe them" if arm_check else assumption,
            note=lead + row["detail"] + (" What would decide: whether Table 3 prints items "
                                         "recoded (the item-level data or the authors)"
                                         if row["data_reading"]
                                         and row["verdict"] == "unverifiable" else "")))
    return pd.DataFrame(rows)


#: What each kind of misstatement means, for a ledger row's note.
_MISSTATED = {
    verbal.OVER: "the words claim more than the numbers they cite show",
    verbal.UNDER: "the words claim less than the numbers they cite show",
    f"{verbal.OVER} and {verbal.UNDER}": "some words claim more than the numbers they cite "
                                         "show, others less",
}
