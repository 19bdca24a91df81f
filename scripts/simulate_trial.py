#!/usr/bin/env python
"""Simulate a two-arm trial and print it the way data/published transcribes the paper.

The engine's end-to-end false-alarm test (issue 14, item 6): a trial of another size (40 and 38
randomised, four timepoints) whose every printed number comes from patient-level item responses
generated here, scored with the project's rules (``helpers.methods.scoring``) and rounded as the
paper prints, except for a few errors planted on purpose and listed in ``planted.csv``. Every check
that flags an unplanted number is a false alarm; every planted error a check misses is a miss.

Usage::

    python scripts/simulate_trial.py --out data/examples/simulated

The seed is fixed and the random numbers come from ``random.Random.random()`` alone (the one
stream Python guarantees across versions), turned into normal deviates by pure arithmetic, and
every mean and SD is computed in exact rational arithmetic and rounded half up: rerunning writes
the same bytes. ``datapackage.json`` is copied from ``data/published`` (the project's schema), so
a change of the published schema changes the output: rerun the script then.

What is simulated (details in the folder's README.md, written by this script):

- arms A (intervention, 40 randomised) and B (control, 38); timepoints t0 (baseline), t1 (1
  month), t2 (3 months), t3 (6 months); deaths between timepoints (fixed counts per arm and
  period, the patients drawn with a weight that grows with a latent severity); a dead patient
  has no later responses, every survivor answers every item (no missing items);
- EORTC QLQ-BM22 (22 items 1-4; scales as helpers.reanalysis.instruments numbers them), EORTC
  QLQ-FA13 (13 items 1-4; an item-to-scale map chosen here, ``FA13_MAP``), QSC-R10 (10 items 0-5,
  sum 0-50);
- tables: baseline (Table 1), outcomes (Tables 2, 4, 5), items and item_tests (Table 3),
  effects, claims (numbers of the text), statements (interpreting sentences), not_checkable,
  empty related and corrections; trial.yaml; the patient-level data in ``patients/``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.methods import scoring  # noqa: E402
from helpers.reanalysis import instruments  # noqa: E402

SEED = 90  # chosen among seeds 1-119: no p below 0.0005, a significant scale in each instrument
PUBLISHED = ROOT / "data" / "published"

# ---------------------------------------------------------------------------------------------
# The design
# ---------------------------------------------------------------------------------------------

TRIAL_ID = "simulated"
TITLE = "Simulated two-arm trial (the engine's false-alarm test; not a real study)"


@dataclass(frozen=True)
class ArmSpec:
    id: str
    label: str
    randomised: int
    control: bool
    deaths: tuple[int, int, int]  # deaths in t0-t1, t1-t2, t2-t3


ARMS = (
    ArmSpec("A", "supervised resistance training", 40, False, (2, 4, 5)),
    ArmSpec("B", "usual care", 38, True, (3, 5, 4)),
)
#: (id, label, months, weeks); the first is the baseline.
TIMEPOINTS = (("t0", "baseline", 0, None), ("t1", "1 month", 1, 4),
              ("t2", "3 months", 3, 12), ("t3", "6 months", 6, None))
TIME_IDS = tuple(t[0] for t in TIMEPOINTS)
FOLLOW_UPS = TIME_IDS[1:]
CONTRASTS = tuple(f"t0-{t}" for t in FOLLOW_UPS)
WORDS = {"t1": "one month", "t2": "three months", "t3": "six months"}

SCREENED, EXCLUDED_UNSTABLE, DECLINED = 92, 9, 5  # 92 - 9 - 5 = 78 randomised
AGE_LIMITS = (18, 80)
KARNOFSKY_MIN = 70
PLANNED_PER_GROUP, PLANNED_D, POWER_PERCENT, ALPHA_PERCENT = 40, 0.65, 80, 5
ES_CUTOFFS = (0.3, 0.7)  # low < 0.3 <= moderate <= 0.7 < strong (the text's convention)
ALPHA = ALPHA_PERCENT / 100

# The QLQ-FA13's item-to-scale map is not public (helpers.reanalysis.instruments); this one is
# chosen here: 13 items, five symptom scales, consecutive blocks.
FA13_MAP = {
    "physical_fatigue": (1, 2, 3, 4, 5),
    "emotional_fatigue": (6, 7, 8),
    "cognitive_fatigue": (9, 10),
    "interference_daily_life": (11, 12),
    "social_sequelae": (13,),
}

#: How each scale is scored: the instrument's kind and reversed items
#: (helpers.reanalysis.instruments), overridden where helpers.reanalysis.instruments leaves a
#: candidate open. Every scale is scored so that a higher score is worse (the reading the engine
#: takes of the paper's tables): functional interference with the symptom formula (a candidate),
#: psychosocial aspects with the symptom formula and its positively worded items 21 and 22 reversed
#: (both candidates).
CONVENTIONS = {
    "functional_interference": {"kind": "symptom"},
    "psychosocial_aspects": {"kind": "symptom", "reversed_items": (21, 22)},
}


def scales() -> list[tuple[instruments.Instrument, instruments.Scale]]:
    """Every scale of the three instruments with its item numbers filled in."""
    out = []
    for scale in instruments.BM22.scales:
        items = scale.items or scale.candidates["items"][0]
        out.append((instruments.BM22, replace(scale, items=tuple(items), n_items=len(items))))
    for scale in instruments.FA13.scales:
        items = FA13_MAP[scale.name]
        out.append((instruments.FA13, replace(scale, items=items, n_items=len(items))))
    out += [(instruments.QSCR10, scale) for scale in instruments.QSCR10.scales]
    return out


# Latent model: one latent severity per patient, domain (scale) and timepoint, higher worse;
# item responses are the latent plus item noise cut at fixed thresholds.
#: baseline level, common change at t1/t2/t3 (both arms), extra change in arm A at t1/t2/t3
DOMAINS = {
    "painful_sites": (-0.2, (-0.5, -0.7, -0.7), (0.0, -0.1, -0.1)),
    "pain_characteristics": (0.2, (-0.6, -0.8, -0.8), (0.0, -0.1, -0.1)),
    "functional_interference": (0.4, (-0.3, -0.4, -0.3), (-0.1, -0.3, -0.5)),
    "psychosocial_aspects": (0.6, (-0.1, -0.1, -0.1), (-0.15, -0.35, -0.55)),
    "physical_fatigue": (0.5, (0.0, 0.1, 0.2), (-0.1, -0.4, -0.7)),
    "emotional_fatigue": (0.0, (0.0, 0.0, 0.1), (0.0, -0.1, -0.2)),
    "cognitive_fatigue": (-0.9, (0.0, 0.1, 0.1), (0.0, 0.0, 0.0)),
    "interference_daily_life": (0.2, (0.0, 0.1, 0.2), (-0.1, -0.35, -0.6)),
    "social_sequelae": (-0.8, (0.0, 0.1, 0.1), (0.0, -0.1, -0.1)),
    "distress": (0.0, (-0.1, -0.1, 0.0), (-0.15, -0.4, -0.65)),
}
STATE_NOISE = 0.75  # SD of the occasion-to-occasion noise of the latent state
EORTC_CUTS = (-0.8, 0.2, 1.2)  # 1-4
QSCR10_CUTS = (-1.2, -0.4, 0.4, 1.2, 2.0)  # 0-5


# ---------------------------------------------------------------------------------------------
# Random numbers: random.Random.random() only
# ---------------------------------------------------------------------------------------------

class Stream:
    def __init__(self, seed: int):
        self._random = random.Random(seed)

    def uniform(self) -> float:
        return self._random.random()

    def normal(self) -> float:
        """Approximately standard normal: the sum of twelve uniforms minus six (Irwin-Hall),
        plain additions, the same on every platform."""
        return sum(self._random.random() for _ in range(12)) - 6.0

    def bernoulli(self, p: float) -> bool:
        return self._random.random() < p

    def categorical(self, weights: dict) -> object:
        total = sum(weights.values())
        u, acc = self._random.random() * total, 0.0
        for value, weight in weights.items():
            acc += weight
            if u < acc:
                return value
        return value

    def sample_weighted(self, ids: list, weights: list[float], k: int) -> list:
        """k distinct ids, each draw with probability proportional to its weight."""
        ids, weights, chosen = list(ids), list(weights), []
        for _ in range(k):
            total = sum(weights)
            u, acc = self._random.random() * total, 0.0
            for i, weight in enumerate(weights):
                acc += weight
                if u < acc:
                    break
            chosen.append(ids.pop(i))
            weights.pop(i)
        return chosen


# ---------------------------------------------------------------------------------------------
# Exact arithmetic and printing
# ---------------------------------------------------------------------------------------------

def fmt(value: Fraction, decimals: int) -> str:
    """A rational number rounded half up to ``decimals`` places, as text."""
    with localcontext() as context:
        context.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        text = str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return "0" + text[2:] if text.startswith("-0") and set(text[1:]) <= {"0", "."} else text


def fmt_sqrt(value: Fraction, decimals: int) -> str:
    """The square root of a non-negative rational, rounded half up."""
    with localcontext() as context:
        context.prec = 80
        root = (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()
        return str(root.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def summary(values: list[Fraction]) -> tuple[int, Fraction, Fraction]:
    """n, mean and sample variance, exactly."""
    n = len(values)
    mean = sum(values, Fraction(0)) / n
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (n - 1)
    return n, mean, variance


def welch_p(a: list[Fraction], b: list[Fraction]) -> float:
    from scipy import stats

    return float(stats.ttest_ind([float(x) for x in a], [float(x) for x in b],
                                 equal_var=False).pvalue)


def cohen_d(a: list[Fraction], b: list[Fraction]) -> float:
    """(mean A - mean B) / pooled SD (n - 1 weights)."""
    na, ma, va = summary(a)
    nb, mb, vb = summary(b)
    pooled = ((na - 1) * va + (nb - 1) * vb) / (na + nb - 2)
    return float(ma - mb) / math.sqrt(float(pooled))


def csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Patients
# ---------------------------------------------------------------------------------------------

@dataclass
class Patient:
    id: str
    arm: str
    age: int
    gender: str
    karnofsky: int
    chemotherapy: bool
    severity: float
    last: str = "t3"  # last timepoint alive (assessed)
    responses: dict | None = None  # timepoint -> {(instrument, item): response}


def simulate_patients(stream: Stream) -> list[Patient]:
    patients = []
    for arm in ARMS:
        for i in range(arm.randomised):
            age = int(math.floor(64 + 9 * stream.normal() + 0.5))
            age = min(max(age, 38), AGE_LIMITS[1])
            patients.append(Patient(
                id=f"{arm.id}{i + 1:02d}", arm=arm.id, age=age,
                gender="male" if stream.bernoulli(0.55) else "female",
                karnofsky=stream.categorical({70: 0.25, 80: 0.4, 90: 0.25, 100: 0.1}),
                chemotherapy=stream.bernoulli(0.6), severity=stream.normal()))
    # deaths: fixed counts per arm and period, sicker patients more likely
    for arm in ARMS:
        alive = [p for p in patients if p.arm == arm.id]
        for period, count in enumerate(arm.deaths):
            weights = [1.0 + max(0.0, p.severity) + 0.1 * (100 - p.karnofsky) / 10
                       for p in alive]
            dead = stream.sample_weighted(alive, weights, count)
            for p in dead:
                p.last = TIME_IDS[period]  # assessed at this timepoint, dead before the next
                alive.remove(p)
    # item responses
    item_offsets = {(inst.name, item): 0.4 * stream.normal()
                    for inst, scale in scales() for item in scale.items}
    for p in patients:
        traits = {d: 0.6 * p.severity + 0.8 * stream.normal() for d in DOMAINS}
        p.responses = {}
        for t_index, t in enumerate(TIME_IDS):
            state = {}
            for d, (level, common, extra) in DOMAINS.items():
                shift = 0.0 if t_index == 0 else common[t_index - 1] + (
                    extra[t_index - 1] if p.arm == "A" else 0.0)
                state[d] = level + traits[d] + shift + STATE_NOISE * stream.normal()
            answers = {}
            for inst, scale in scales():
                for item in scale.items:
                    x = state[scale.name] + item_offsets[(inst.name, item)] + 0.7 * stream.normal()
                    if inst.name == "QSCR10":
                        answers[(inst.name, item)] = sum(x > c for c in QSCR10_CUTS)
                    else:
                        response = 1 + sum(x > c for c in EORTC_CUTS)
                        if inst.name == "BM22" and item in instruments.POSITIVELY_WORDED:
                            response = 5 - response  # worded positively: answered high when well
                        answers[(inst.name, item)] = response
            if TIME_IDS.index(t) <= TIME_IDS.index(p.last):
                p.responses[t] = answers
    return patients


def alive_at(patients, arm: str, t: str) -> list[Patient]:
    return [p for p in patients if p.arm == arm and t in p.responses]


# ---------------------------------------------------------------------------------------------
# Scoring: helpers.methods.scoring, checked against the exact rational score
# ---------------------------------------------------------------------------------------------

def exact_score(answers: list[int], instrument, kind: str, reversed_positions) -> Fraction:
    low, high = instrument.response_min, instrument.response_max
    values = [low + high - a if i + 1 in reversed_positions else a for i, a in enumerate(answers)]
    k = len(values)
    if kind == "sum":
        return Fraction(sum(values))
    symptom = Fraction(100 * (sum(values) - k * low), k * (high - low))
    return symptom if kind == "symptom" else 100 - symptom


def score_patients(patients) -> dict:
    """Scale scores: {(instrument, scale, patient id, timepoint): Fraction}."""
    scores = {}
    for inst, scale in scales():
        conventions = dict(CONVENTIONS.get(scale.name, {}))
        kind = conventions.get("kind", scale.kind)
        reversed_items = conventions.get("reversed_items", scale.reversed_items)
        positions = tuple(scale.items.index(i) + 1 for i in reversed_items)
        for p in patients:
            for t, answers in p.responses.items():
                row = [answers[(inst.name, item)] for item in scale.items]
                by_helpers = scoring.score(
                    [row], kind, inst.response_min, inst.response_max,
                    reversed_items=positions)[0]
                exact = exact_score(row, inst, kind, positions)
                if abs(float(exact) - float(by_helpers)) > 1e-9:
                    raise AssertionError(f"{scale.name} {p.id} {t}: helpers.methods.scoring gives "
                                         f"{by_helpers}, exact {exact}")
                scores[(inst.name, scale.name, p.id, t)] = exact
    return scores


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

SOURCE = {"BM22": "Table 2", "FA13": "Table 4", "QSCR10": "Table 5"}
#: decimals of mean and SD as printed, per instrument (Table 5 prints the SD to one decimal)
DECIMALS = {"BM22": (2, 2), "FA13": (2, 2), "QSCR10": (2, 1)}
PSYCHOSOCIAL = (17, 18, 19, 20, 21, 22)


def outcome_rows(patients, scores) -> list[dict]:
    rows = []
    for inst, scale in scales():
        for arm in ARMS:
            for t in TIME_IDS:
                values = [scores[(inst.name, scale.name, p.id, t)]
                          for p in alive_at(patients, arm.id, t)]
                n, mean, variance = summary(values)
                dm, ds = DECIMALS[inst.name]
                rows.append(dict(instrument=inst.name, scale=scale.name, arm=arm.id,
                                 timepoint=t, n=str(n), mean=fmt(mean, dm),
                                 sd=fmt_sqrt(variance, ds), source=SOURCE[inst.name]))
    return rows


def changes(values_by_patient: dict, patients, arm: str, t: str) -> list[Fraction]:
    return [values_by_patient[(p.id, t)] - values_by_patient[(p.id, "t0")]
            for p in alive_at(patients, arm, t)]


def effect_rows(patients, scores) -> list[dict]:
    """Welch's t-test of the change from baseline, arm A against arm B, at each follow-up; the
    effect size is Cohen's d of the follow-up scores (A minus B, pooled SD)."""
    rows = []
    for inst, scale in scales():
        by_patient = {(pid, t): v for (i, s, pid, t), v in scores.items()
                      if i == inst.name and s == scale.name}
        for t, contrast in zip(FOLLOW_UPS, CONTRASTS):
            change_a = changes(by_patient, patients, "A", t)
            change_b = changes(by_patient, patients, "B", t)
            at_a = [by_patient[(p.id, t)] for p in alive_at(patients, "A", t)]
            at_b = [by_patient[(p.id, t)] for p in alive_at(patients, "B", t)]
            p_value, d = welch_p(change_a, change_b), cohen_d(at_a, at_b)
            if f"{p_value:.3f}" == "0.000":
                raise AssertionError(f"{scale.name} {contrast}: p < 0.0005 would print as "
                                     "0.000; choose another seed")
            rows.append(dict(instrument=inst.name, scale=scale.name, contrast=contrast,
                             p=f"{p_value:.3f}", effect_size=f"{d:.2f}".replace("-0.00", "0.00"),
                             source=SOURCE[inst.name], p_exact=p_value, d_exact=d))
    return rows


def item_rows(patients) -> tuple[list[dict], list[dict]]:
    items, tests = [], []
    for item in PSYCHOSOCIAL:
        question = instruments.PSYCHOSOCIAL_WORDING[item]
        for arm in ARMS:
            for t in TIME_IDS:
                values = [Fraction(p.responses[t][("BM22", item)])
                          for p in alive_at(patients, arm.id, t)]
                n, mean, variance = summary(values)
                items.append(dict(item=str(item), question=question, arm=arm.id, timepoint=t,
                                  mean=fmt(mean, 1), sd=fmt_sqrt(variance, 1), source="Table 3"))
        by_patient = {(p.id, t): Fraction(answers[("BM22", item)])
                      for p in patients for t, answers in p.responses.items()}
        for t, contrast in zip(FOLLOW_UPS, CONTRASTS):
            p_value = welch_p(changes(by_patient, patients, "A", t),
                              changes(by_patient, patients, "B", t))
            tests.append(dict(item=str(item), contrast=contrast, p=f"{p_value:.3f}",
                              source="Table 3", p_exact=p_value))
    return items, tests


def _median(values: list[int]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def baseline_rows(patients) -> list[dict]:
    empty = dict(level="", n="", percent="", mean="", sd="", median="", min="", max="")
    rows = []

    def add(characteristic, arm, **values):
        rows.append({"characteristic": characteristic, **empty, "arm": arm, **values,
                     "source": "Table 1"})

    mine = {arm.id: [p for p in patients if p.arm == arm.id] for arm in ARMS}
    for arm in ARMS:
        add("group_size", arm.id, n=str(len(mine[arm.id])))
    for arm in ARMS:
        ages = [p.age for p in mine[arm.id]]
        n, mean, variance = summary([Fraction(a) for a in ages])
        add("age", arm.id, mean=fmt(mean, 1), sd=fmt_sqrt(variance, 1), min=str(min(ages)),
            max=str(max(ages)))
    for level in ("male", "female"):
        for arm in ARMS:
            count = sum(p.gender == level for p in mine[arm.id])
            add("gender", arm.id, level=level, n=str(count),
                percent=fmt(Fraction(100 * count, len(mine[arm.id])), 1))
    for arm in ARMS:
        scores = [p.karnofsky for p in mine[arm.id]]
        median = _median(scores)
        add("karnofsky_ps", arm.id, median=fmt(median, 0 if median.denominator == 1 else 1),
            min=str(min(scores)), max=str(max(scores)))
    for arm in ARMS:
        count = sum(p.chemotherapy for p in mine[arm.id])
        add("chemotherapy", arm.id, level="yes", n=str(count),
            percent=fmt(Fraction(100 * count, len(mine[arm.id])), 1))
    return rows


BASELINE_COLUMNS = ["characteristic", "level", "arm", "n", "percent", "mean", "sd", "median",
                    "min", "max", "source"]
CHARACTERISTICS = {
    "group_size": "group size",
    "age": "\n    label: age (years)\n"
           "    check: {kind: whole_number, within: age_years, describes: age in whole years}",
    "gender": "{label: gender, exclusive: true}",
    "karnofsky_ps": "\n    label: Karnofsky performance status\n"
                    "    check: {kind: scale, scale: [0, 100], step: 10, minimum: "
                    "inclusion_karnofsky_min,\n            describes: Karnofsky score, "
                    "scale_name: Karnofsky scale}",
    "chemotherapy": "chemotherapy"}


# ---------------------------------------------------------------------------------------------
# The text: claims and statements
# ---------------------------------------------------------------------------------------------

LABELS = {"painful_sites": "Painful sites", "pain_characteristics": "Pain characteristics",
          "functional_interference": "Functional interference",
          "psychosocial_aspects": "Psychosocial aspects", "physical_fatigue": "Physical fatigue",
          "emotional_fatigue": "Emotional fatigue", "cognitive_fatigue": "Cognitive fatigue",
          "interference_daily_life": "Interference with daily life",
          "social_sequelae": "Social sequelae", "distress": "Distress"}


class Text:
    """claims.csv rows, numbered per section; each number must be in its quote (in digits or
    in words)."""

    WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
             "10": "ten", "12": "twelve"}

    def __init__(self):
        self.rows, self._count = [], {}

    def add(self, section: str, quote: str, value: str, refers_to: str) -> str:
        self._count[section] = self._count.get(section, 0) + 1
        claim_id = f"{section}-{self._count[section]:02d}"
        if value not in quote and self.WORDS.get(value, value) not in quote:
            raise ValueError(f"{claim_id}: {value!r} is not in the quote {quote!r}")
        self.rows.append(dict(claim_id=claim_id, section=section, quote=quote, value=value,
                              refers_to=refers_to))
        return claim_id


def percent_text(count: int, total: int) -> str:
    return fmt(Fraction(100 * count, total), 1)


def grade(printed: str) -> str:
    """The text's grade of an effect size as printed (its Methods' convention)."""
    size = abs(float(printed))
    return "low" if size < ES_CUTOFFS[0] else "strong" if size > ES_CUTOFFS[1] else "moderate"


def build_text(patients, outcomes, effects, items, item_tests, planted_claim
               ) -> tuple[list, list, dict]:
    """The rows of claims.csv and statements.csv, and the planted statement.

    ``planted_claim`` names the cell whose p the Abstract misquotes (``cell``, ``printed``); its
    claim id and the table's value are added to it. The sentences are generated from the
    results, so that each holds, except the one planted in the Discussion (a trend called
    significant), which is returned."""
    text = Text()
    eff = {(r["instrument"], r["scale"], r["contrast"]): r for r in effects}
    tests = {(int(r["item"]), r["contrast"]): r for r in item_tests}
    randomised = sum(a.randomised for a in ARMS)
    last = CONTRASTS[-1]

    # Abstract
    text.add("abstract", f"In this randomised trial, {randomised} patients were allocated",
             str(randomised), "patients_randomized")
    text.add("abstract", "to one of two arms", "2", "number_of_groups")
    text.add("abstract", "assessed at baseline and after one, three and six months", "1",
             "timepoint_t1_months")
    text.add("abstract", "assessed at baseline and after one, three and six months", "3",
             "timepoint_t2_months")
    text.add("abstract", "assessed at baseline and after one, three and six months", "6",
             "timepoint_t3_months")
    headline = [(i, s) for (i, s, c), r in eff.items() if c == last and r["p_exact"] < ALPHA]
    for instrument, scale in headline:
        row = eff[(instrument, scale, last)]
        printed = row["p"]
        if (instrument, scale) == planted_claim["cell"]:
            printed = planted_claim["printed"]
        quote = (f"After six months, {LABELS[scale].lower()} had improved significantly more "
                 f"in arm A (p = {printed})")
        text.add("abstract", quote, "6", "timepoint_t3_months")
        claim_id = text.add("abstract", quote, printed,
                            f"effects:{instrument}/{scale}/{last}:p")
        if (instrument, scale) == planted_claim["cell"]:
            planted_claim["claim_id"] = claim_id
            planted_claim["true"] = row["p"]

    # Methods
    text.add("methods", f"Of {SCREENED} patients assessed for eligibility", str(SCREENED),
             "patients_screened")
    text.add("methods", f"{EXCLUDED_UNSTABLE} were excluded because of unstable metastases",
             str(EXCLUDED_UNSTABLE), "excluded_unstable_metastases")
    text.add("methods", f"and {DECLINED} declined to participate", str(DECLINED),
             "declined_to_participate")
    text.add("methods", f"The remaining {randomised} patients were randomised", str(randomised),
             "patients_randomized")
    a, b = ARMS
    text.add("methods", f"{a.randomised} to arm A and {b.randomised} to arm B",
             str(a.randomised), "baseline:group_size//A:n")
    text.add("methods", f"{a.randomised} to arm A and {b.randomised} to arm B",
             str(b.randomised), "baseline:group_size//B:n")
    text.add("methods", "aged 18 to 80 years", "18", "inclusion_age_min_years")
    text.add("methods", "aged 18 to 80 years", "80", "inclusion_age_max_years")
    text.add("methods", "a Karnofsky performance score ≥ 70", "70", "inclusion_karnofsky_min")
    text.add("methods", "after four weeks (t1)", "4", "timepoint_t1_weeks")
    text.add("methods", "after twelve weeks (t2)", "12", "timepoint_t2_weeks")
    text.add("methods", "and after six months (t3)", "6", "timepoint_t3_months")
    text.add("methods", "The EORTC QLQ-BM22 (range 0-100)", "0", "bm22_range_min")
    text.add("methods", "The EORTC QLQ-BM22 (range 0-100)", "100", "bm22_range_max")
    text.add("methods", "comprises 22 items", "22", "bm22_items")
    text.add("methods", "in four scales", "4", "bm22_scales")
    text.add("methods", "the EORTC QLQ-FA13 (range 0-100)", "0", "fa13_range_min")
    text.add("methods", "the EORTC QLQ-FA13 (range 0-100)", "100", "fa13_range_max")
    text.add("methods", "13 items", "13", "fa13_items")
    text.add("methods", "five scales of cancer-related fatigue", "5", "fa13_scales")
    text.add("methods", "the QSC-R10 (range 0-50)", "0", "qscr10_range_min")
    text.add("methods", "the QSC-R10 (range 0-50)", "50", "qscr10_range_max")
    text.add("methods", "ten items scored 0 to 5", "10", "qscr10_items")
    text.add("methods", f"a planned {PLANNED_PER_GROUP} patients per group",
             str(PLANNED_PER_GROUP), "planned_patients_per_group")
    text.add("methods", f"an effect size (Cohen's d) of {PLANNED_D}", str(PLANNED_D),
             "detectable_effect_size_cohens_d")
    text.add("methods", f"with a power of {POWER_PERCENT}%", str(POWER_PERCENT), "power_percent")
    text.add("methods", f"at a significance level of {ALPHA_PERCENT}%", str(ALPHA_PERCENT),
             "alpha_percent")
    low, high = ES_CUTOFFS
    text.add("methods", f"(<{low} low", str(low), "effect_size_low_upper_bound")
    text.add("methods", f"{low}-{high} moderate", str(low), "effect_size_moderate_lower_bound")
    text.add("methods", f"{low}-{high} moderate", str(high), "effect_size_moderate_upper_bound")
    text.add("methods", f">{high} strong)", str(high), "effect_size_strong_lower_bound")

    # Results: deaths per arm and period, as percentages of the randomised arm
    for arm in ARMS:
        for (before, after), count in zip(zip(TIME_IDS, FOLLOW_UPS), arm.deaths):
            when = ("before the first follow-up" if before == "t0"
                    else f"between {WORDS[before]} and {WORDS[after]}")
            quote = (f"In arm {arm.id}, {count} patients ({percent_text(count, arm.randomised)}%)"
                     f" died {when}")
            name = f"deaths_arm_{arm.id.lower()}_{before}_{after}"
            text.add("results", quote, str(count), name)
            text.add("results", quote, percent_text(count, arm.randomised), f"{name}_percent")

    # Results: interpreting sentences (statements.csv) and the numbers they quote
    statements = []
    count = {}

    def sentence(section, quote, assertions):
        count[section] = count.get(section, 0) + 1
        statement_id = f"{section}-s{count[section]:02d}"
        for assertion, refers_to, arm, value in assertions:
            statements.append(dict(statement_id=statement_id, section=section, quote=quote,
                                   reading="", assertion=assertion, refers_to=refers_to, arm=arm,
                                   value=value))
        return statement_id

    all_bm22 = ";".join(f"effects:BM22/{s.name}/{c}" for s in instruments.BM22.scales
                        for c in CONTRASTS)
    sentence("methods", "The primary endpoint was quality of life, assessed with the EORTC "
             "QLQ-BM22.", [("primary_endpoint", all_bm22, "", "quality of life")])
    sentence("methods", "Changes from baseline were compared between the arms with Welch's "
             "t-test at each follow-up.", [("named_test", "", "", "Welch's t-test")])
    sentence("methods", "Patients in arm A received supervised resistance training.",
             [("arm_treatment", "", "A", "resistance training")])
    sentence("methods", "Patients in the control arm (arm B) received usual care.",
             [("arm_treatment", "", "B", "usual care")])
    sentence("abstract", "This trial compared supervised resistance training with usual care.",
             [("arm_treatment", "", "B", "usual care")])

    def means(instrument, scale, arm, t):
        return next(Fraction(r["mean"]) for r in outcomes
                    if (r["instrument"], r["scale"], r["arm"], r["timepoint"])
                    == (instrument, scale, arm, t))

    def item_mean(item, arm, t):
        return next(Fraction(r["mean"]) for r in items
                    if (r["item"], r["arm"], r["timepoint"]) == (str(item), arm, t))

    for (instrument, scale, contrast), row in eff.items():
        if contrast != last or row["p_exact"] >= ALPHA:
            continue
        refers = f"effects:{instrument}/{scale}/{contrast}"
        quote = (f"From baseline to six months, {LABELS[scale].lower()} improved significantly "
                 f"more in arm A than in arm B (p = {row['p']}).")
        assertions = [("significant", refers, "", "")]
        change_a = means(instrument, scale, "A", "t3") - means(instrument, scale, "A", "t0")
        change_b = means(instrument, scale, "B", "t3") - means(instrument, scale, "B", "t0")
        if change_a < change_b:  # lower is better on every scale as scored here
            assertions.append(("favours", refers, "A", ""))
        if means(instrument, scale, "A", "t3") < means(instrument, scale, "B", "t3"):
            assertions.append(("lower_at_follow_up", refers, "A", ""))
            quote = quote[:-1] + f", and was lower in arm A at six months."
        sentence("results", quote, assertions)
        text.add("results", quote, "6", "timepoint_t3_months")
        text.add("results", quote, row["p"], f"{refers}:p")
        quote = (f"The effect on {LABELS[scale].lower()} after six months was "
                 f"{grade(row['effect_size'])} (ES {row['effect_size']}).")
        sentence("results", quote, [("magnitude", refers, "", grade(row["effect_size"]))])
        text.add("results", quote, row["effect_size"], f"{refers}:effect_size")
    never = [s for (i, s, c), r in eff.items() if i == "BM22" and c == CONTRASTS[0]
             and all(eff[(i, s, c2)]["p_exact"] >= ALPHA for c2 in CONTRASTS)]
    if never:
        names = [LABELS[s].lower() for s in never]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        refers = ";".join(f"effects:BM22/{s}/{c}" for s in never for c in CONTRASTS)
        sentence("results", f"{listed[0].upper() + listed[1:]} did not differ between the arms "
                 "at any follow-up.", [("not_significant", refers, "", "")])
    significant_items = [item for item in PSYCHOSOCIAL
                         if float(tests[(item, last)]["p"]) < ALPHA and item not in
                         instruments.POSITIVELY_WORDED]
    quiet = [item for item in PSYCHOSOCIAL if float(tests[(item, last)]["p"]) >= ALPHA]
    if quiet:
        listed = ", ".join(map(str, quiet[:-1])) + (" and " if len(quiet) > 1 else "") + \
            str(quiet[-1])
        refers = ";".join(f"item_tests:{item}/{last}" for item in quiet)
        sentence("results", f"Items {listed} of the psychosocial scale did not differ between "
                 "the arms after six months.", [("not_significant", refers, "", "")])
    for item in significant_items:
        refers = f"item_tests:{item}/{last}"
        quote = (f"Item {item} (\u201c{instruments.PSYCHOSOCIAL_WORDING[item]}\u201d) was "
                 f"answered lower in arm A after six months (p = {tests[(item, last)]['p']}).")
        assertions = [("significant", refers, "", "")]
        if item_mean(item, "A", "t3") < item_mean(item, "B", "t3"):
            assertions.append(("better_at_follow_up", refers, "A", ""))
        sentence("results", quote, assertions)
        text.add("results", quote, tests[(item, last)]["p"], f"{refers}:p")

    # Planted: a trend reported as significant (the non-significant scale closest to alpha)
    trend = min(((k, r) for k, r in eff.items() if k[2] == last and r["p_exact"] >= ALPHA),
                key=lambda kr: kr[1]["p_exact"])
    (instrument, scale, contrast), row = trend
    refers = f"effects:{instrument}/{scale}/{contrast}"
    quote = f"{LABELS[scale]} was also significantly reduced after six months (p = {row['p']})."
    statement_id = sentence("discussion", quote, [("significant", refers, "", "")])
    text.add("discussion", quote, row["p"], f"{refers}:p")
    planted_statement = dict(statement_id=statement_id, refers_to=refers, p=row["p"])

    # Tables' headings
    text.add("table_1", f"Arm A (n = {a.randomised})", str(a.randomised),
             "baseline:group_size//A:n")
    text.add("table_1", f"Arm B (n = {b.randomised})", str(b.randomised),
             "baseline:group_size//B:n")
    text.add("table_3", "Results of the subscale (questions 17-22)", "17",
             "psychosocial_subscale_first_question")
    text.add("table_3", "Results of the subscale (questions 17-22)", "22",
             "psychosocial_subscale_last_question")
    return text.rows, statements, planted_statement


NOT_CHECKABLE = [
    ("effect_size_low_upper_bound", "the text's own effect-size convention (Cohen's "
                                    "conventions are 0.2, 0.5 and 0.8)"),
    ("effect_size_moderate_lower_bound", "the text's own effect-size convention"),
    ("effect_size_moderate_upper_bound", "the text's own effect-size convention"),
    ("effect_size_strong_lower_bound", "the text's own effect-size convention"),
]


# ---------------------------------------------------------------------------------------------
# Planted errors
# ---------------------------------------------------------------------------------------------

def _find(rows, **key):
    for row in rows:
        if all(row[k] == v for k, v in key.items()):
            return row
    raise KeyError(key)


def plant(outcomes, baseline) -> list[dict]:
    """Change a few printed numbers; return planted.csv rows. Each change is chosen so that the
    check named in expected_check can prove it (verified here with helpers.methods.consistency)."""
    from helpers.methods import consistency as cc

    planted = []
    step = {s.name: (inst, s) for inst, s in scales()}

    def grid(scale_name):
        inst, s = step[scale_name]
        if inst.name == "QSCR10":
            return Fraction(1), 0, 50
        return cc.eortc_step(len(s.items)), 0, 100

    # 1. GRIM: a mean no integer sum gives (BM22 pain characteristics, arm A, 3 months)
    row = _find(outcomes, instrument="BM22", scale="pain_characteristics", arm="A",
                timepoint="t2")
    true = row["mean"]
    g, low, high = grid("pain_characteristics")
    for offset in range(13, 40):
        candidate = fmt(Fraction(true) + Fraction(offset, 100), 2)
        if cc.grim(candidate, int(row["n"]), g, scale_min=low,
                   scale_max=high)["consistency"].item() == cc.INCONSISTENT:
            break
    row["mean"] = candidate
    planted.append(dict(file="outcomes", row_key="BM22/pain_characteristics/A/t2", column="mean",
                        printed=candidate, true_value=true, kind="grim",
                        expected_check="GRIM inconsistent (3 items scored 1-4, complete; "
                                       f"n = {row['n']})"))

    # 2. GRIMMER: an SD no data with that mean give (BM22 painful sites, arm B, 1 month)
    row = _find(outcomes, instrument="BM22", scale="painful_sites", arm="B", timepoint="t1")
    true = row["sd"]
    g, low, high = grid("painful_sites")
    for offset in (3, -3, 4, -4, 5, -5, 6, -6, 2, -2, 7, -7):
        candidate = fmt(Fraction(true) + Fraction(offset, 100), 2)
        if cc.grimmer(row["mean"], candidate, int(row["n"]), g, scale_min=low,
                      scale_max=high)["consistency"].item() == cc.INCONSISTENT:
            break
    else:
        raise AssertionError("no GRIMMER-impossible SD near the true one")
    row["sd"] = candidate
    planted.append(dict(file="outcomes", row_key="BM22/painful_sites/B/t1", column="sd",
                        printed=candidate, true_value=true, kind="grimmer",
                        expected_check="GRIMMER inconsistent (5 items scored 1-4, complete; "
                                       f"n = {row['n']}; mean passes GRIM)"))

    # 3. n larger than the patients alive: the n of 3 months carried to 6 months
    row = _find(outcomes, instrument="FA13", scale="cognitive_fatigue", arm="B", timepoint="t3")
    earlier = _find(outcomes, instrument="FA13", scale="cognitive_fatigue", arm="B",
                    timepoint="t2")
    true = row["n"]
    row["n"] = earlier["n"]
    planted.append(dict(file="outcomes", row_key="FA13/cognitive_fatigue/B/t3", column="n",
                        printed=row["n"], true_value=true, kind="n_exceeds_alive",
                        expected_check=f"n against participant flow inconsistent ({true} alive "
                                       "at 6 months in arm B by the deaths of claims.csv)"))

    # 4. a percentage computed out of the other arm's size (gender male, arm B)
    row = _find(baseline, characteristic="gender", level="male", arm="B")
    true = row["percent"]
    count = int(row["n"])
    row["percent"] = percent_text(count, ARMS[0].randomised)
    if row["percent"] == true:
        raise AssertionError("the planted percentage equals the true one")
    planted.append(dict(file="baseline", row_key="gender/male/B", column="percent",
                        printed=row["percent"], true_value=true, kind="percentage",
                        expected_check=f"percentage inconsistent ({count}/{ARMS[1].randomised} "
                                       f"= {true}%; {row['percent']} is {count}/"
                                       f"{ARMS[0].randomised})"))
    return planted


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

def trial_yaml() -> str:
    arms = "\n".join(
        f"  - id: {a.id}\n    label: {a.label}\n    randomised: {a.randomised}"
        + ("\n    control: true" if a.control else "") for a in ARMS)
    times = "\n".join(
        f"  - id: {t}\n    label: {label}\n    months: {months}"
        + (f"\n    weeks: {weeks}" if weeks else "") for t, label, months, weeks in TIMEPOINTS)
    characteristics = "\n".join(f"  {k}:{v}" if v.startswith("\n") else f"  {k}: {v}"
                                for k, v in CHARACTERISTICS.items())
    return f"""# A simulated trial (scripts/simulate_trial.py; see README.md): not a real study. The
# engine's end-to-end false-alarm test: every number comes from simulated patients, except the
# errors planted on purpose and listed in planted.csv.
id: {TRIAL_ID}
title: {TITLE}
# Arms in the order the tables print them; the control arm is marked. Differences are reported
# as the other arm minus the control arm.
arms:
{arms}
# What the Methods state (helpers.reanalysis.trial.METHOD_VALUES): the test of effects.csv's p,
# the effect size it prints, the rounding of the tables' means and SDs, the significance level.
methods:
  test: change_t
  test_quote: >-
    Changes from baseline were compared between the arms with Welch's t-test at each follow-up.
  effect_size: cohens_d
  effect_size_at: follow_up
  effect_size_quote: "Effect sizes are Cohen's d of the follow-up scores (A minus B, pooled SD)."
  rounding: half_up
  rounding_quote: Means and SDs were rounded half up.
  alpha: {ALPHA:g}
# Timepoints in order; the first is the baseline. Each follow-up is compared with the baseline
# (contrasts "t0-t1", "t0-t2", "t0-t3").
timepoints:
{times}
# The participant flow before randomisation as the Methods print it: each stage's count is the
# claim it names (claims.csv, refers_to); "excluded" stages are taken from the stage before.
flow:
  - {{stage: assessed for eligibility, claim: patients_screened}}
  - {{stage: "excluded: unstable metastases", claim: excluded_unstable_metastases, excluded: true}}
  - {{stage: "excluded: declined", claim: declined_to_participate, excluded: true}}
  - {{stage: randomised, claim: patients_randomized}}
# Instruments and their scales, in the order of the results tables. items: the item numbers of
# the instrument that an item table (items.csv) may report.
instruments:
  - id: BM22
    label: EORTC QLQ-BM22
    range: [0, 100]
    better: lower  # every scale scored with the symptom formula: a higher score is worse
    scales: [painful_sites, pain_characteristics, functional_interference, psychosocial_aspects]
    items: [1, 22]
  - id: FA13
    label: EORTC QLQ-FA13
    range: [0, 100]
    scales: [physical_fatigue, emotional_fatigue, cognitive_fatigue, interference_daily_life,
             social_sequelae]
  - id: QSCR10
    label: QSC-R10
    range: [0, 50]
    scales: [distress]
# The rows of the baseline table (Table 1), in order; group_size holds the arms' sizes;
# "exclusive": each patient is in exactly one level, so the counts add up to the arm.
baseline_characteristics:
{characteristics}
"""


def datapackage() -> str:
    package = json.loads((PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))
    package.update({
        "name": "simulated-trial",
        "title": TITLE,
        "description": "A simulated two-arm trial printed in the format of data/published "
                       "(scripts/simulate_trial.py): every number comes from simulated patients "
                       "(patients/), except the errors listed in planted.csv. The schema "
                       "(resources) is copied from data/published/datapackage.json; its enums "
                       "and limits come from trial.yaml.",
        "sources": [{"title": "scripts/simulate_trial.py (fixed seed)",
                     "path": "../../../scripts/simulate_trial.py"}],
    })
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def readme(planted: list[dict], planted_claim: dict, planted_statement: dict,
           patients, baseline) -> str:
    fa13 = "; ".join(f"{name} items {', '.join(map(str, items))}"
                     for name, items in FA13_MAP.items())
    deaths = "; ".join(f"arm {a.id}: {', '.join(map(str, a.deaths))}" for a in ARMS)
    alive = "; ".join(f"arm {a.id}: " + ", ".join(
        str(len(alive_at(patients, a.id, t))) for t in TIME_IDS) for a in ARMS)
    karnofsky_b = next(r["median"] for r in baseline if r["characteristic"] == "karnofsky_ps"
                       and r["arm"] == "B")
    lines = [f"- **{p['kind']}**: `{p['file']}.csv` `{p['row_key']}` column `{p['column']}` "
             f"printed `{p['printed']}`, true `{p['true_value']}`. Expected: "
             f"{p['expected_check']}." for p in planted]
    return f"""# A simulated trial: the engine's false-alarm test

Generated by `scripts/simulate_trial.py` (seed {SEED}); do not edit by hand. Regenerate with

    .venv/bin/python scripts/simulate_trial.py --out data/examples/simulated

(the output is the same byte for byte; `tests/test_simulated_trial.py` checks it). Not a real
study: a two-arm trial of another size and schedule than the paper's, printed in the format of
`data/published`, so that the notebooks can run on it (`-p data_dir data/examples/simulated`).
Every printed number comes from the simulated patients, except the errors planted on purpose
(below, and `planted.csv`). A check that flags any other number is a false alarm; a planted error
no check flags is a miss.

## Design

- Arms: A (supervised resistance training, 40 randomised) and B (usual care, the control, 38).
  Flow: {SCREENED} screened, {EXCLUDED_UNSTABLE} excluded (unstable metastases), {DECLINED}
  declined, {SCREENED - EXCLUDED_UNSTABLE - DECLINED} randomised.
- Timepoints: t0 baseline, t1 1 month (4 weeks), t2 3 months (12 weeks), t3 6 months.
- Deaths in t0-t1, t1-t2, t2-t3: {deaths}. Patients alive and assessed at t0, t1, t2, t3:
  {alive}. A dead patient has no later responses; every survivor answers every item of every
  questionnaire (no missing items, so every scale score lies on the complete-items grid).
- Instruments: EORTC QLQ-BM22 (22 items scored 1-4; painful sites 1-5, pain characteristics
  6-8, functional interference 9-16, psychosocial aspects 17-22, as `helpers.reanalysis.instruments`
  numbers them); EORTC QLQ-FA13 (13 items scored 1-4; the item-to-scale map is not public, the
  one chosen here: {fa13}); QSC-R10 (10 items scored 0-5, sum 0-50).
- Scoring: `helpers.methods.scoring.score` (checked against exact rational arithmetic). EORTC
  symptom formula, 0-100, for every BM22 and FA13 scale, so that a higher score is worse on every
  scale (the reading the engine takes): functional interference with the symptom formula and
  psychosocial aspects with the symptom formula and items 21 and 22 (worded positively)
  reversed; both are candidates `helpers.reanalysis.instruments` lists. `items.csv` prints items
  17-22 as answered (21 and 22 not reversed). QSC-R10: the sum.
- Latent model: per patient a severity, per scale a trait (0.6 x severity + noise), per
  timepoint a state (trait + common change + an extra change in arm A + noise); each item is the
  state plus item noise cut at fixed thresholds. Arm A improves more on psychosocial aspects,
  functional interference, physical fatigue, interference with daily life and distress.
  Random numbers: `random.Random({SEED}).random()` only; normal deviates as the sum of twelve
  uniforms minus six.

## Printing

- `outcomes.csv` (Tables 2, 4, 5): n, mean and SD (sample SD, n - 1) of the scale scores of
  the patients alive, per instrument, scale, arm and timepoint; means and SDs to 2 decimals, the
  QSC-R10 SD to 1 decimal (as the paper's Table 5); rounded half up from the exact values.
- `items.csv` (Table 3): items 17-22, mean and SD to 1 decimal.
- `effects.csv`: Welch's t-test of the change from baseline (follow-up minus baseline, patients
  alive at the follow-up), arm A against arm B, at each follow-up (contrasts t0-t1, t0-t2,
  t0-t3), p to 3 decimals; effect size Cohen's d of the follow-up scores (A minus B over the
  pooled SD), 2 decimals; negative favours A on every scale. `item_tests.csv`: the same test on
  each item's change.
- `baseline.csv` (Table 1): group size; age mean and SD (1 decimal), min and max (whole years);
  gender counts and percentages of the arm (1 decimal); Karnofsky median, min and max;
  chemotherapy count and percentage. Only what is simulated.
- `claims.csv`: the numbers of a text about the trial (flow, schedule, instruments, sample size,
  the effect-size convention, deaths per arm and period with their percentages of the
  randomised, the p-values and effect sizes the sentences quote), with the `refers_to` names
  `helpers.reanalysis.cohort` reads (`deaths_arm_<arm>_<before>_<after>[_percent]`,
  `timepoint_<id>_months|weeks`, ...). No `lost_to_followup_percent` and no
  `patients_per_group`: the arms differ in size.
- `statements.csv`: the Methods references (primary endpoint, named test, arms' treatments) and
  sentences generated from the results (significant at six months, lower in arm A, the grade of
  the effect, scales that never differed, items).
- `not_checkable.csv`: the effect-size convention. `related.csv`, `corrections.csv`: headers
  only. `datapackage.json`: copied from `data/published` (name, title, description and sources
  replaced). `trial.yaml`: this trial.
- `patients/characteristics.csv` (one row per patient: arm, age, gender, Karnofsky,
  chemotherapy, last timepoint alive) and `patients/responses.csv` (one row per patient and
  timepoint assessed, one column per item): the data every number is computed from.

## Planted errors (`planted.csv`)

{chr(10).join(lines)}
- **restated_claim**: `claims.csv` `{planted_claim['claim_id']}` (Abstract) quotes p =
  `{planted_claim['printed']}` for `effects.csv` `{'/'.join(planted_claim['cell'])}/t0-t3`, which
  prints `{planted_claim['true']}` (digits transposed). Expected: text against table
  inconsistent (`helpers.reanalysis.cohort.restated_checks`).
- **statement**: `statements.csv` `{planted_statement['statement_id']}` (Discussion) calls
  significant the comparison `{planted_statement['refers_to']}`, whose p is
  `{planted_statement['p']}`. Expected: `helpers.reanalysis.statements.evaluate` verdict
  inconsistent.

A planted error may trip more than one check: the n planted in `FA13/cognitive_fatigue/B/t3`
also makes that mean impossible for the scale's item count (2), so a joint GRIM over the scale's
means finds no single item count; that is the same error, not a false alarm.

Every other number is as computed: GRIM and GRIMMER (with the item counts above, complete items)
pass on every other cell of `outcomes.csv` and `items.csv`, the other percentages reproduce
their counts, every other n equals the patients alive, every other restated number equals its
cell, and every other sentence holds.

## Correct numbers a check may wrongly flag (what this folder tests)

- Karnofsky median of arm B: {karnofsky_b}. With an even number of patients the median is the
  mean of the two middle values, so it need not be a multiple of 10.
- The p-values test the change from baseline of the patients alive at the follow-up, whose
  baseline mean is not the printed t0 mean (that one includes the patients who died later): a
  reconstruction of the change test from the printed summaries (one r for both arms, the t0
  summaries of all randomised) need not reproduce them, whatever r.
- The effect size is Cohen's d of the follow-up scores while the p is of the change: the p that d
  implies (statcheck) is not the printed p, by design of the documented analysis.
- The arms differ in size (40 and 38): no claim of patients per group or of one percentage lost
  to follow-up for both arms.
"""


def transposed(p: str) -> str:
    """A p-value with its last two digits swapped, or moved by 0.010 if they are equal."""
    head, a, b = p[:-2], p[-2], p[-1]
    if a != b:
        return head + b + a
    return f"{float(p) + 0.01:.3f}"


def generate(out: Path) -> None:
    stream = Stream(SEED)
    patients = simulate_patients(stream)
    scores = score_patients(patients)
    outcomes = outcome_rows(patients, scores)
    effects = effect_rows(patients, scores)
    items, item_tests = item_rows(patients)
    baseline = baseline_rows(patients)

    planted = plant(outcomes, baseline)
    # the abstract misquotes the first significant p at six months
    first = next(r for r in effects if r["contrast"] == CONTRASTS[-1] and r["p_exact"] < ALPHA)
    planted_claim = {"cell": (first["instrument"], first["scale"]),
                     "printed": transposed(first["p"])}
    claims, statements, planted_statement = build_text(patients, outcomes, effects, items,
                                                       item_tests, planted_claim)
    planted.append(dict(file="claims", row_key=planted_claim["claim_id"], column="value",
                        printed=planted_claim["printed"], true_value=planted_claim["true"],
                        kind="restated_claim",
                        expected_check="text against table inconsistent (refers_to "
                                       f"effects:{'/'.join(planted_claim['cell'])}/t0-t3:p)"))
    planted.append(dict(file="statements", row_key=planted_statement["statement_id"],
                        column="assertion", printed="significant",
                        true_value=f"not_significant (p = {planted_statement['p']})",
                        kind="statement",
                        expected_check="statement against tables inconsistent "
                                       f"({planted_statement['refers_to']} p = "
                                       f"{planted_statement['p']} >= 0.05)"))

    files = {
        "outcomes.csv": csv_text(["instrument", "scale", "arm", "timepoint", "n", "mean", "sd",
                                  "source"],
                                 [[r[k] for k in ("instrument", "scale", "arm", "timepoint",
                                                  "n", "mean", "sd", "source")]
                                  for r in outcomes]),
        "effects.csv": csv_text(["instrument", "scale", "contrast", "p", "effect_size", "source"],
                                [[r[k] for k in ("instrument", "scale", "contrast", "p",
                                                 "effect_size", "source")] for r in effects]),
        "items.csv": csv_text(["item", "question", "arm", "timepoint", "mean", "sd", "source"],
                              [[r[k] for k in ("item", "question", "arm", "timepoint", "mean",
                                               "sd", "source")] for r in items]),
        "item_tests.csv": csv_text(["item", "contrast", "p", "source"],
                                   [[r[k] for k in ("item", "contrast", "p", "source")]
                                    for r in item_tests]),
        "baseline.csv": csv_text(BASELINE_COLUMNS,
                                 [[r[k] for k in BASELINE_COLUMNS] for r in baseline]),
        "claims.csv": csv_text(["claim_id", "section", "quote", "value", "refers_to"],
                               [[r[k] for k in ("claim_id", "section", "quote", "value",
                                                "refers_to")] for r in claims]),
        "statements.csv": csv_text(
            ["statement_id", "section", "quote", "reading", "assertion", "refers_to", "arm",
             "value"],
            [[r[k] for k in ("statement_id", "section", "quote", "reading", "assertion",
                             "refers_to", "arm", "value")] for r in statements]),
        "not_checkable.csv": csv_text(["refers_to", "reason"], [list(r) for r in NOT_CHECKABLE]),
        "related.csv": csv_text(["publication", "quantity", "arm", "value", "quote", "source",
                                 "compare_to", "comparison", "note"], []),
        "corrections.csv": csv_text(["file", "row_key", "column", "printed", "corrected",
                                     "reason"], []),
        "planted.csv": csv_text(["file", "row_key", "column", "printed", "true_value", "kind",
                                 "expected_check"],
                                [[p[k] for k in ("file", "row_key", "column", "printed",
                                                 "true_value", "kind", "expected_check")]
                                 for p in planted]),
        "datapackage.json": datapackage(),
        "trial.yaml": trial_yaml(),
        "README.md": readme(planted[:4], planted_claim, planted_statement, patients,
                            baseline),
    }
    item_columns = [(inst.name, item) for inst in (instruments.BM22, instruments.FA13,
                                                   instruments.QSCR10)
                    for item in range(1, inst.n_items + 1)]
    files["patients/characteristics.csv"] = csv_text(
        ["patient", "arm", "age", "gender", "karnofsky_ps", "chemotherapy", "last_assessed"],
        [[p.id, p.arm, p.age, p.gender, p.karnofsky, "yes" if p.chemotherapy else "no", p.last]
         for p in patients])
    files["patients/responses.csv"] = csv_text(
        ["patient", "arm", "timepoint"] + [f"{i}_{n}" for i, n in item_columns],
        [[p.id, p.arm, t] + [answers[c] for c in item_columns]
         for p in patients for t, answers in p.responses.items()])
    out.mkdir(parents=True, exist_ok=True)
    (out / "patients").mkdir(exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="data/examples/simulated",
                        help="output folder (%(default)s); relative to the project root")
    args = parser.parse_args(argv)
    out = Path(args.out)
    generate(out if out.is_absolute() else ROOT / out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
