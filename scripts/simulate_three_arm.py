#!/usr/bin/env python
"""Simulate a three-arm trial and print it twice: with planted errors, and as its clean twin.

The engine's end-to-end test of a trial it was not built for (issue 21, item 10): three arms
(A, B and the control C), two comparisons (A versus C, B versus C), five timepoints, deaths and
withdrawals per arm and period, EORTC QLQ-C30 (five of its scales) and QSC-R10, no item table and
no fatigue module, and Methods that state Welch's t-test at each follow-up, Hedges' g at
follow-up and half-up rounding. Every printed number comes from patient-level item responses
simulated here and scored by the EORTC manual's formulas (data/instruments/qlq_c30.yaml), except,
in ``data/examples/three_arm``, one planted error of each proof family (``planted.csv``).
``data/examples/three_arm_clean`` is the same trial with no planted error.

Usage::

    python scripts/simulate_three_arm.py

The random stream, the exact rational means and SDs, half-up rounding and CSV writing are those
of ``scripts/simulate_trial.py`` (imported, not copied): rerunning writes the same bytes.
``datapackage.json`` is data/published's with ``arm`` and ``versus`` added to the keys of
``effects`` and ``item_tests`` (engine design, section 2).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"
LIBRARY = ROOT / "data" / "instruments"


def _simulate_trial():
    """scripts/simulate_trial.py as a module (its stream, exact arithmetic and printing)."""
    name = "simulate_trial"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


base = _simulate_trial()
Stream, fmt, fmt_sqrt, summary, csv_text = (base.Stream, base.fmt, base.fmt_sqrt, base.summary,
                                            base.csv_text)

SEED = 3  # seeds 1-29: no p below 0.0005, a significant result per comparison at t4, a planted n
OUT, OUT_CLEAN = "data/examples/three_arm", "data/examples/three_arm_clean"

# ---------------------------------------------------------------------------------------------
# The design
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArmSpec(base.ArmSpec):
    """scripts/simulate_trial.py's arm with withdrawals: deaths and withdrawals in t0-t1, t1-t2,
    t2-t3, t3-t4."""
    withdrawn: tuple[int, ...] = ()


ARMS = (
    ArmSpec("A", "supervised exercise", 36, False, (1, 2, 2, 3), (1, 1, 0, 1)),
    ArmSpec("B", "psycho-oncological counselling", 35, False, (1, 1, 3, 2), (0, 2, 1, 1)),
    ArmSpec("C", "usual care", 37, True, (2, 2, 3, 3), (1, 0, 1, 2)),
)
COMPARISONS = (("A", "C"), ("B", "C"))
#: (id, label, months, weeks, words); the first is the baseline.
TIMEPOINTS = (("t0", "baseline", 0, None, "baseline"), ("t1", "6 weeks", 1.5, 6, "six weeks"),
              ("t2", "3 months", 3, None, "three months"),
              ("t3", "6 months", 6, None, "six months"),
              ("t4", "12 months", 12, None, "twelve months"))
TIME_IDS = tuple(t[0] for t in TIMEPOINTS)
FOLLOW_UPS = TIME_IDS[1:]
WORDS = {t[0]: t[4] for t in TIMEPOINTS}
LAST = FOLLOW_UPS[-1]
SCREENED, NOT_ELIGIBLE, DECLINED = 140, 18, 14  # 140 - 18 - 14 = 108 randomised
#: The flow before randomisation: (stage, claim, count, the text's words, an exclusion?).
FLOW = (("assessed for eligibility", "patients_screened", SCREENED,
         "Of {n} patients assessed for eligibility", False),
        ("excluded: not eligible", "excluded_not_eligible", NOT_ELIGIBLE,
         "{n} did not meet the inclusion criteria", True),
        ("excluded: declined", "declined_to_participate", DECLINED,
         "and {n} declined to participate", True),
        ("randomised", "patients_randomized", SCREENED - NOT_ELIGIBLE - DECLINED,
         "The remaining {n} patients were randomised", False))
AGE_LIMITS, KARNOFSKY_MIN, ALPHA = (18, 80), 60, 0.05

#: The scales printed: (instrument, scale) from the library, in the tables' order.
PRINTED = (("C30", "global_health_status"), ("C30", "physical_functioning"),
           ("C30", "emotional_functioning"), ("C30", "fatigue"), ("C30", "pain"),
           ("QSCR10", "distress"))
SOURCE = {"C30": "Table 2", "QSCR10": "Table 3"}
LABELS = {"global_health_status": "global health status", "physical_functioning":
          "physical functioning", "emotional_functioning": "emotional functioning",
          "fatigue": "fatigue", "pain": "pain", "distress": "distress"}

#: Latent model (higher is worse on every domain): baseline level, the change common to all
#: arms at t1..t4, and the extra change of arms A and B at t1..t4.
DOMAINS = {
    "global_health_status": (0.0, (0.0, 0.0, 0.1, 0.1), {"A": (-0.3, -0.6, -0.8, -0.9),
                                                          "B": (-0.1, -0.2, -0.3, -0.3)}),
    "physical_functioning": (0.0, (0.1, 0.1, 0.2, 0.2), {"A": (-0.3, -0.6, -0.9, -1.0),
                                                          "B": (0.0, 0.0, -0.1, 0.0)}),
    "emotional_functioning": (0.1, (0.0, -0.1, -0.1, -0.1), {"A": (0.0, -0.1, -0.1, -0.1),
                                                             "B": (-0.3, -0.6, -0.8, -0.9)}),
    "fatigue": (0.3, (0.1, 0.1, 0.2, 0.2), {"A": (-0.3, -0.6, -0.8, -0.9),
                                             "B": (0.0, -0.1, -0.1, -0.1)}),
    "pain": (0.2, (-0.3, -0.4, -0.4, -0.4), {"A": (0.0, 0.0, -0.1, -0.1),
                                              "B": (0.0, 0.0, 0.0, 0.0)}),
    "distress": (0.0, (-0.1, -0.1, 0.0, 0.0), {"A": (0.0, -0.1, -0.1, -0.1),
                                                "B": (-0.3, -0.6, -0.8, -1.0)}),
}
STATE_NOISE = 0.75
CUTS = {(1, 4): (-0.8, 0.2, 1.2), (1, 7): (-1.5, -0.9, -0.3, 0.3, 0.9, 1.5),
        (0, 5): (-1.2, -0.4, 0.4, 1.2, 2.0)}


@dataclass(frozen=True)
class Scale:
    instrument: str
    id: str
    kind: str  # functional | symptom | global | sum
    items: tuple[int, ...]
    low: int
    high: int

    @property
    def columns(self) -> list[str]:
        return [f"{self.instrument}_{item}" for item in self.items]


def scales() -> list[Scale]:
    """The printed scales as the instrument library describes them (data/instruments)."""
    library = {}
    for file in sorted(LIBRARY.glob("*.yaml")):  # one instrument per file
        entry = yaml.safe_load(file.read_text(encoding="utf-8"))
        library[entry["id"]] = entry
    out = []
    for instrument, scale_id in PRINTED:
        entry = library[instrument]
        scale = next(s for s in entry["scales"] if s["id"] == scale_id)
        out.append(Scale(instrument, scale_id, scale["kind"], tuple(scale["items"]),
                         scale.get("response_min", entry["response_min"]),
                         scale.get("response_max", entry["response_max"])))
    return out


def exact_score(answers, scale: Scale) -> Fraction:
    """The EORTC manual's formulas (data/instruments/README.md), exactly."""
    if scale.kind == "sum":
        return Fraction(sum(answers))
    symptom = Fraction(100 * (sum(answers) - len(answers) * scale.low),
                       len(answers) * (scale.high - scale.low))
    return 100 - symptom if scale.kind == "functional" else symptom


# ---------------------------------------------------------------------------------------------
# Patients
# ---------------------------------------------------------------------------------------------

@dataclass
class Patient(base.Patient):
    """scripts/simulate_trial.py's patient with a primary site, opioid use, and how the patient
    left the trial (``status``, with ``last`` the last timepoint assessed)."""
    last: str = LAST
    primary_site: str = ""
    opioids: bool = False
    status: str = "completed"  # completed | died | withdrew


def _shift(domain: str, arm: str, index: int) -> float:
    """The latent change of ``domain`` in ``arm`` from baseline to timepoint ``index``."""
    if index == 0:
        return 0.0
    _, common, extra = DOMAINS[domain]
    return common[index - 1] + extra.get(arm, (0.0,) * len(common))[index - 1]


def simulate_patients(stream) -> list[Patient]:
    patients = []
    for arm in ARMS:
        for i in range(arm.randomised):
            age = min(max(int(math.floor(63 + 10 * stream.normal() + 0.5)), 31), AGE_LIMITS[1])
            patients.append(Patient(
                id=f"{arm.id}{i + 1:02d}", arm=arm.id, age=age,
                gender="female" if stream.bernoulli(0.5) else "male",
                karnofsky=stream.categorical({60: 0.15, 70: 0.3, 80: 0.3, 90: 0.2, 100: 0.05}),
                primary_site=stream.categorical({"breast": 0.3, "prostate": 0.25, "lung": 0.25,
                                                 "other": 0.2}),
                chemotherapy=stream.bernoulli(0.55), opioids=stream.bernoulli(0.45),
                severity=stream.normal()))
    for arm in ARMS:  # deaths (sicker patients likelier), then withdrawals, in each period
        active = [p for p in patients if p.arm == arm.id]
        for period, (died, withdrew) in enumerate(zip(arm.deaths, arm.withdrawn)):
            weights = [1.0 + max(0.0, p.severity) + (100 - p.karnofsky) / 100 for p in active]
            for p in stream.sample_weighted(active, weights, died):
                p.last, p.status = TIME_IDS[period], "died"
                active.remove(p)
            for p in stream.sample_weighted(active, [1.0] * len(active), withdrew):
                p.last, p.status = TIME_IDS[period], "withdrew"
                active.remove(p)
    printed = scales()
    offsets = {(s.instrument, item): 0.4 * stream.normal() for s in printed for item in s.items}
    for p in patients:
        traits = {d: 0.6 * p.severity + 0.8 * stream.normal() for d in DOMAINS}
        p.responses = {}
        for index, t in enumerate(TIME_IDS):
            state = {d: DOMAINS[d][0] + traits[d] + _shift(d, p.arm, index)
                     + STATE_NOISE * stream.normal() for d in DOMAINS}
            answers = {}
            for s in printed:
                cuts = CUTS[(s.low, s.high)]
                for item in s.items:
                    x = state[s.id] + offsets[(s.instrument, item)] + 0.7 * stream.normal()
                    above = sum(x > c for c in cuts)
                    # global health is answered high when well; every other item high when ill
                    answers[f"{s.instrument}_{item}"] = (s.high - above if s.kind == "global"
                                                         else s.low + above)
            if index <= TIME_IDS.index(p.last):
                p.responses[t] = answers
    return patients


def assessed(patients, arm: str, t: str) -> list[Patient]:
    return [p for p in patients if p.arm == arm and t in p.responses]


def score_patients(patients) -> dict:
    """{(scale id, patient id, timepoint): exact score}, checked against
    helpers.methods.scoring."""
    from helpers.methods import scoring

    scores = {}
    for s in scales():
        kind = "symptom" if s.kind == "global" else s.kind  # global: the symptom formula
        for p in patients:
            for t, answers in p.responses.items():
                row = [answers[c] for c in s.columns]
                exact = exact_score(row, s)
                by_helpers = scoring.score([row], kind, s.low, s.high)[0]
                if abs(float(exact) - float(by_helpers)) > 1e-9:
                    raise AssertionError(f"{s.id} {p.id} {t}: {by_helpers} against {exact}")
                scores[(s.id, p.id, t)] = exact
    return scores


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def hedges_j(df: int) -> float:
    """The exact small-sample correction J = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2))."""
    return math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)


def hedges_g(a: list[Fraction], b: list[Fraction]) -> float:
    return base.cohen_d(a, b) * hedges_j(len(a) + len(b) - 2)


def outcome_rows(patients, scores) -> list[dict]:
    rows = []
    for s in scales():
        for arm in ARMS:
            for t in TIME_IDS:
                n, mean, variance = summary([scores[(s.id, p.id, t)]
                                             for p in assessed(patients, arm.id, t)])
                rows.append(dict(instrument=s.instrument, scale=s.id, arm=arm.id, timepoint=t,
                                 n=str(n), mean=fmt(mean, 2), sd=fmt_sqrt(variance, 2),
                                 source=SOURCE[s.instrument]))
    return rows


def effect_rows(patients, scores) -> list[dict]:
    """Welch's t-test of the follow-up scores and Hedges' g at follow-up (arm minus versus)."""
    rows = []
    for s in scales():
        for arm, versus in COMPARISONS:
            for t in FOLLOW_UPS:
                a = [scores[(s.id, p.id, t)] for p in assessed(patients, arm, t)]
                b = [scores[(s.id, p.id, t)] for p in assessed(patients, versus, t)]
                p_value, g = base.welch_p(a, b), hedges_g(a, b)
                rows.append(dict(instrument=s.instrument, scale=s.id, arm=arm, versus=versus,
                                 contrast=f"t0-{t}", p=fmt(Fraction(p_value), 3),
                                 effect_size=fmt(Fraction(g), 2), source=SOURCE[s.instrument],
                                 p_exact=p_value))
    return rows


#: Table 1: (characteristic, levels, what is printed of each arm): ``size`` the arm's n,
#: ``summary`` mean, SD, min and max, ``median`` median and range, ``count`` the level's count,
#: ``percent`` its count and percentage of the arm.
TABLE_1 = (("group_size", ("",), "size"), ("age", ("",), "summary"),
           ("gender", ("female", "male"), "percent"), ("karnofsky_ps", ("",), "median"),
           ("primary_site", ("breast", "prostate", "lung", "other"), "count"),
           ("chemotherapy", ("yes",), "percent"), ("opioids", ("yes",), "count"))


def _characteristic(patient: Patient, name: str):
    value = getattr(patient, {"karnofsky_ps": "karnofsky", "group_size": "id"}.get(name, name))
    return ("yes" if value else "no") if isinstance(value, bool) else value


def baseline_rows(patients) -> list[dict]:
    """Table 1 as TABLE_1 says, one row per characteristic, level and arm."""
    rows = []
    for name, levels, printed in TABLE_1:
        for level in levels:
            for arm in ARMS:
                values = [_characteristic(p, name) for p in patients if p.arm == arm.id]
                row = dict.fromkeys(BASELINE_COLUMNS, "")
                row.update(characteristic=name, level=level, arm=arm.id, source="Table 1")
                if printed == "size":
                    row["n"] = str(len(values))
                elif printed in ("count", "percent"):
                    count = sum(v == level for v in values)
                    row["n"] = str(count)
                    if printed == "percent":
                        row["percent"] = base.percent_text(count, len(values))
                else:
                    row.update(min=str(min(values)), max=str(max(values)))
                if printed == "summary":
                    _, mean, variance = summary([Fraction(v) for v in values])
                    row.update(mean=fmt(mean, 1), sd=fmt_sqrt(variance, 1))
                elif printed == "median":
                    median = base._median(values)
                    row["median"] = fmt(median, 0 if median.denominator == 1 else 1)
                rows.append(row)
    return rows


BASELINE_COLUMNS = ["characteristic", "level", "arm", "n", "percent", "mean", "sd", "median",
                    "min", "max", "source"]


# ---------------------------------------------------------------------------------------------
# Reproducing a test from printed summaries (used to choose planted cells that break one check)
# ---------------------------------------------------------------------------------------------

def _corners(*pairs):
    """Every combination of the printed values' ends (value -/+ half a unit of its decimals)."""
    import itertools

    ends = []
    for text in pairs:
        half = Fraction(1, 2 * 10 ** len(text.partition(".")[2]))
        ends.append((float(Fraction(text) - half), float(Fraction(text) + half)))
    return itertools.product(*ends)


def _welch(diff, s1, n1, s2, n2) -> float:
    from scipy import stats

    v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    return float(2 * stats.t.sf(abs(diff) / math.sqrt(v1 + v2), df))


def _pooled(s1, n1, s2, n2) -> float:
    return math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))


def _overlaps(values, printed: str) -> bool:
    half = Fraction(1, 2 * 10 ** len(printed.partition(".")[2]))
    return min(values) <= float(Fraction(printed) + half) + 1e-12 and \
        max(values) >= float(Fraction(printed) - half) - 1e-12


def reproduces(a: dict, b: dict, effect: dict) -> bool:
    """Do the printed summaries of arm ``a`` and comparator ``b`` (n, mean, sd as printed) give
    the printed Welch p, Hedges' g, and the p implied by g, within the rounding of every input?"""
    n1, n2 = int(a["n"]), int(b["n"])
    j = hedges_j(n1 + n2 - 2)
    ps, gs, implied = [], [], []
    for m1, s1, m2, s2 in _corners(a["mean"], a["sd"], b["mean"], b["sd"]):
        ps.append(_welch(m1 - m2, s1, n1, s2, n2))
        gs.append(j * (m1 - m2) / _pooled(s1, n1, s2, n2))
    for g, s1, s2 in _corners(effect["effect_size"], a["sd"], b["sd"]):
        implied.append(_welch(g / j * _pooled(s1, n1, s2, n2), s1, n1, s2, n2))
    if abs(Fraction(a["mean"]) - Fraction(b["mean"])) <= Fraction(1, 100):
        ps.append(1.0)  # a difference of 0 is within the rounding
    if abs(Fraction(effect["effect_size"])) <= Fraction(1, 200):
        implied.append(1.0)
    return (_overlaps(ps, effect["p"]) and _overlaps(gs, effect["effect_size"])
            and _overlaps(implied, effect["p"]))


# ---------------------------------------------------------------------------------------------
# The text: claims and statements
# ---------------------------------------------------------------------------------------------

def _cell(instrument, scale, arm, versus, t) -> str:
    return f"effects:{instrument}/{scale}/{arm}/{versus}/t0-{t}"


def build_text(effects, planted_claim: dict | None) -> tuple[list, list]:
    """The rows of claims.csv and statements.csv; every sentence holds. ``planted_claim``
    (``cell``, ``printed``): the Abstract misquotes that p (its claim id is added to it)."""
    text = base.Text()
    eff = {(r["scale"], r["arm"], r["versus"], r["contrast"]): r for r in effects}
    randomised = sum(a.randomised for a in ARMS)
    significant = [r for r in effects if r["contrast"] == f"t0-{LAST}" and r["p_exact"] < ALPHA]

    # Abstract
    quote = f"In this three-arm trial, {randomised} patients were randomised"
    text.add("abstract", quote, str(randomised), "patients_randomized")
    text.add("abstract", quote, "3", "number_of_groups")
    quote = "assessed at baseline and after six weeks, three, six and twelve months"
    for value, name in (("6", "timepoint_t1_weeks"), ("3", "timepoint_t2_months"),
                        ("6", "timepoint_t3_months"), ("12", "timepoint_t4_months")):
        text.add("abstract", quote, value, name)
    for row in significant:
        cell = _cell(row["instrument"], row["scale"], row["arm"], row["versus"], LAST)
        printed = row["p"]
        mine = planted_claim is not None and planted_claim["cell"] == cell
        if mine:
            printed = planted_claim["printed"]
        quote = (f"After twelve months, {LABELS[row['scale']]} differed between arm "
                 f"{row['arm']} and arm {row['versus']} (p = {printed})")
        claim_id = text.add("abstract", quote, printed, f"{cell}:p")
        if mine:
            planted_claim.update(claim_id=claim_id, true=row["p"])

    # Methods
    for stage, claim, count, words, _ in FLOW:
        text.add("methods", words.format(n=count), str(count), claim)
    quote = ", ".join(f"{a.randomised} to arm {a.id}" for a in ARMS[:-1]) + \
        f" and {ARMS[-1].randomised} to arm {ARMS[-1].id}"
    for arm in ARMS:
        text.add("methods", quote, str(arm.randomised), f"baseline:group_size//{arm.id}:n")
    text.add("methods", "aged 18 to 80 years", "18", "inclusion_age_min_years")
    text.add("methods", "aged 18 to 80 years", "80", "inclusion_age_max_years")
    text.add("methods", f"a Karnofsky performance score of at least {KARNOFSKY_MIN}",
             str(KARNOFSKY_MIN), "inclusion_karnofsky_min")
    text.add("methods", "after 6 weeks (t1)", "6", "timepoint_t1_weeks")
    text.add("methods", "3 months (t2)", "3", "timepoint_t2_months")
    text.add("methods", "6 months (t3)", "6", "timepoint_t3_months")
    text.add("methods", "and 12 months (t4)", "12", "timepoint_t4_months")
    quote = "The EORTC QLQ-C30 (30 items; scales 0-100)"
    text.add("methods", quote, "30", "c30_items")
    text.add("methods", quote, "0", "c30_range_min")
    text.add("methods", quote, "100", "c30_range_max")
    quote = "the QSC-R10 (10 items scored 0 to 5; sum 0-50)"
    text.add("methods", quote, "10", "qscr10_items")
    text.add("methods", quote, "0", "qscr10_range_min")
    text.add("methods", quote, "50", "qscr10_range_max")

    # Results: deaths and withdrawals per arm and period; percentages (of the randomised arm)
    # for every death count and for the withdrawals of the last period
    for arm in ARMS:
        for k, (before, after) in enumerate(zip(TIME_IDS, FOLLOW_UPS)):
            died, withdrew = arm.deaths[k], arm.withdrawn[k]
            when = (f"before {WORDS[after]}" if before == "t0"
                    else f"between {WORDS[before]} and {WORDS[after]}")
            died_percent = base.percent_text(died, arm.randomised)
            withdrew_text = str(withdrew)
            if after == LAST:
                withdrew_text += f" ({base.percent_text(withdrew, arm.randomised)}%)"
            quote = (f"In arm {arm.id}, {died} patient{'s' * (died != 1)} ({died_percent}%) died"
                     f" and {withdrew_text} withdrew {when}")
            stem = f"arm_{arm.id.lower()}_{before}_{after}"
            text.add("results", quote, str(died), f"deaths_{stem}")
            text.add("results", quote, died_percent, f"deaths_{stem}_percent")
            text.add("results", quote, str(withdrew), f"withdrawn_{stem}")
            if after == LAST:
                text.add("results", quote, base.percent_text(withdrew, arm.randomised),
                         f"withdrawn_{stem}_percent")

    # Statements (statements.csv) and the numbers they quote
    statements, count = [], {}

    def sentence(section, quote, assertions):
        count[section] = count.get(section, 0) + 1
        statement_id = f"{section}-s{count[section]:02d}"
        for assertion, refers_to, arm, value in assertions:
            statements.append(dict(statement_id=statement_id, section=section, quote=quote,
                                   reading="", assertion=assertion, refers_to=refers_to,
                                   arm=arm, value=value))

    ghs = ";".join(_cell("C30", "global_health_status", arm, versus, t)
                   for arm, versus in COMPARISONS for t in FOLLOW_UPS)
    sentence("methods", "The primary endpoint was global health status (EORTC QLQ-C30).",
             [("primary_endpoint", ghs, "", "global health status")])
    sentence("methods", TEST_QUOTE, [("named_test", "", "", "Welch's t-test")])
    for arm in ARMS:
        sentence("methods", f"Patients in arm {arm.id} received {arm.label}.",
                 [("arm_treatment", "", arm.id, arm.label)])
    for row in significant:
        cell = _cell(row["instrument"], row["scale"], row["arm"], row["versus"], LAST)
        quote = (f"After twelve months, {LABELS[row['scale']]} differed significantly between "
                 f"arm {row['arm']} and arm {row['versus']} (p = {row['p']}; Hedges' g = "
                 f"{row['effect_size']}).")
        sentence("results", quote, [("significant", cell, "", "")])
        text.add("results", quote, row["p"], f"{cell}:p")
        text.add("results", quote, row["effect_size"], f"{cell}:effect_size")
    for arm, versus in COMPARISONS:
        never = [s for s in scales() if all(
            eff[(s.id, arm, versus, f"t0-{t}")]["p_exact"] >= ALPHA for t in FOLLOW_UPS)]
        if never:
            names = [LABELS[s.id] for s in never]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            refers = ";".join(_cell(s.instrument, s.id, arm, versus, t) for s in never
                              for t in FOLLOW_UPS)
            sentence("results", f"{listed[0].upper() + listed[1:]} did not differ between arm "
                     f"{arm} and arm {versus} at any follow-up.",
                     [("not_significant", refers, "", "")])
    for arm in ARMS:
        text.add("table_1", f"Arm {arm.id} (n = {arm.randomised})", str(arm.randomised),
                 f"baseline:group_size//{arm.id}:n")
    return text.rows, statements


# ---------------------------------------------------------------------------------------------
# Planted errors: one of each proof family, each touching one printed number
# ---------------------------------------------------------------------------------------------

def grid(scale: Scale) -> tuple[Fraction, int, int]:
    """GRIM grid of a scale score (complete items): step, minimum, maximum."""
    if scale.kind == "sum":
        return Fraction(1), scale.low * len(scale.items), scale.high * len(scale.items)
    return Fraction(100, (scale.high - scale.low) * len(scale.items)), 0, 100


def _find(rows, **key):
    return next(r for r in rows if all(r[k] == v for k, v in key.items()))


def _entry(file, row_key, column, printed, true, kind, family, expected):
    return dict(file=file, row_key=row_key, column=column, printed=str(printed),
                true_value=str(true), kind=kind, family=family, expected_check=expected)


def _arithmetic_ok(row, scale: Scale, n: int) -> bool:
    """GRIM and GRIMMER (either rounding) pass for the printed mean and SD at ``n``."""
    from helpers.methods import consistency as cc

    step, low, high = grid(scale)
    args = dict(scale_min=low, scale_max=high)
    return (cc.grim(row["mean"], n, step, **args)["consistency"].item() == cc.CONSISTENT
            and cc.grimmer(row["mean"], row["sd"], n, step, **args)["consistency"].item()
            != cc.INCONSISTENT)


def plant_outcomes(outcomes, effects, patients) -> list[dict]:
    from helpers.methods import consistency as cc

    by_id = {s.id: s for s in scales()}
    planted = []
    # GRIM: a baseline mean (no between-arm test uses a baseline)
    row = _find(outcomes, scale="fatigue", arm="B", timepoint="t0")
    step, low, high = grid(by_id["fatigue"])
    for offset in range(13, 60):
        candidate = fmt(Fraction(row["mean"]) + Fraction(offset, 100), 2)
        if cc.grim(candidate, int(row["n"]), step, scale_min=low,
                   scale_max=high)["consistency"].item() == cc.INCONSISTENT:
            break
    planted.append(_entry("outcomes", "C30/fatigue/B/t0", "mean", candidate, row["mean"],
                          "grim", "GRIM", f"GRIM inconsistent (3 items, range 3, complete; n = "
                          f"{row['n']}: a multiple of 100/9 over {row['n']})"))
    row["mean"] = candidate
    # GRIMMER: a baseline SD whose mean passes GRIM
    row = _find(outcomes, scale="physical_functioning", arm="A", timepoint="t0")
    step, low, high = grid(by_id["physical_functioning"])
    for offset in (3, -3, 4, -4, 5, -5, 6, -6, 2, -2, 7, -7, 8, -8, 9, -9):
        candidate = fmt(Fraction(row["sd"]) + Fraction(offset, 100), 2)
        check = cc.grimmer(row["mean"], candidate, int(row["n"]), step, scale_min=low,
                           scale_max=high)
        if check["consistency"].item() == cc.INCONSISTENT:
            break
    else:
        raise AssertionError("no GRIMMER-impossible SD near the true one")
    planted.append(_entry("outcomes", "C30/physical_functioning/A/t0", "sd", candidate,
                          row["sd"], "grimmer", "GRIMMER",
                          f"GRIMMER inconsistent (5 items, range 3, complete; n = {row['n']}; "
                          "the mean passes GRIM)"))
    row["sd"] = candidate
    # n above the patients still in the trial: the withdrawn counted as if they had answered.
    # The first follow-up cell where the mean and SD stay possible at that n and every test
    # of the cell's comparisons still reproduces from the printed summaries.
    for s in scales():
        for arm in ARMS:
            for t in FOLLOW_UPS:
                gone = sum(p.arm == arm.id and p.status == "withdrew"
                           and TIME_IDS.index(p.last) < TIME_IDS.index(t) for p in patients)
                row = _find(outcomes, scale=s.id, arm=arm.id, timepoint=t)
                extra = next((k for k in range(1, gone + 1)
                              if _arithmetic_ok(row, s, int(row["n"]) + k)), None)
                if extra is None:
                    continue
                trial = dict(row, n=str(int(row["n"]) + extra))
                tests = [(e, trial if e["arm"] == arm.id else _find(
                    outcomes, scale=s.id, arm=e["arm"], timepoint=t),
                    trial if e["versus"] == arm.id else _find(
                    outcomes, scale=s.id, arm=e["versus"], timepoint=t))
                    for e in effects if e["scale"] == s.id and e["contrast"] == f"t0-{t}"
                    and arm.id in (e["arm"], e["versus"])]
                if all(reproduces(a, b, e) for e, a, b in tests):
                    planted.append(_entry(
                        "outcomes", f"{s.instrument}/{s.id}/{arm.id}/{t}", "n", trial["n"],
                        row["n"], "n_exceeds_flow", "n against participant flow",
                        f"n against participant flow inconsistent ({row['n']} randomised less "
                        f"the deaths and withdrawals of claims.csv before {t} in arm {arm.id}; "
                        f"{trial['n']} counts {extra} of the {gone} withdrawn)"))
                    row["n"] = trial["n"]
                    return planted
    raise AssertionError("no cell takes a planted n without breaking another check")


def _baseline_cell(baseline, key: str) -> dict:
    characteristic, level, arm = key.split("/")
    return _find(baseline, characteristic=characteristic, level=level, arm=arm)


def plant_baseline(baseline) -> list[dict]:
    """Four errors of Table 1, each in one cell: (row key, column, printed value, kind, family,
    what the check finds)."""
    from helpers.methods import consistency as cc

    size = {a.id: a.randomised for a in ARMS}
    chemo = _baseline_cell(baseline, "chemotherapy/yes/A")
    site = _baseline_cell(baseline, "primary_site/other/B")
    age = _baseline_cell(baseline, "age//B")
    minimum = str(math.floor(Fraction(age["mean"])) + 2)
    wrong_base = base.percent_text(int(chemo["n"]), size["C"])
    plan = [
        # a count out of another arm's size
        ("chemotherapy/yes/A", "percent", wrong_base, "percentage", "percentage",
         f"percentage inconsistent ({chemo['n']}/{size['A']} = {chemo['percent']}%; "
         f"{wrong_base} is {chemo['n']}/{size['C']})"),
        # one level of an exclusive characteristic one too many
        ("primary_site/other/B", "n", str(int(site["n"]) + 1), "counts_add_up",
         "counts add up", f"counts add up inconsistent (the four primary sites of arm B add to "
         f"{size['B'] + 1}, not {size['B']})"),
        # arm A's count printed as arm C's group size, one more than arm A holds (the schema
        # caps every count at the largest arm, so a count above its arm is in a smaller arm)
        ("opioids/yes/A", "n", str(size["C"]), "count_within_arm", "count within arm",
         f"count within arm inconsistent ({size['C']} of the {size['A']} in arm A)"),
        # a minimum printed above its own mean
        ("age//B", "min", minimum, "min_above_mean", "range",
         f"range inconsistent (mean {age['mean']} below the minimum {minimum}; the SD bound "
         "of that range fails with it)"),
    ]
    if cc.percentage(int(chemo["n"]), size["A"], wrong_base)["consistency"].item() != \
            cc.INCONSISTENT or not size["A"] < size["C"] or int(minimum) > int(age["max"]):
        raise AssertionError("a planted baseline error would not be proven, or another check "
                             "would fail")
    planted = []
    for key, column, printed, kind, family, expected in plan:
        row = _baseline_cell(baseline, key)
        planted.append(_entry("baseline", key, column, printed, row[column], kind, family,
                              expected))
        row[column] = printed
    return planted


def plant_death_percent(claims, patients) -> dict:
    """A percentage of deaths that no rounding gives: out of the patients still in the trial at
    the period's start instead of the randomised arm."""
    from helpers.methods import consistency as cc

    arm = ARMS[2]
    k = 2
    before, after = TIME_IDS[k], TIME_IDS[k + 1]
    row = _find(claims, refers_to=f"deaths_arm_{arm.id.lower()}_{before}_{after}_percent")
    active = len(assessed(patients, arm.id, before))
    printed = base.percent_text(arm.deaths[k], active)
    check = cc.percentage(arm.deaths[k], arm.randomised, printed).iloc[0]
    if check["consistency"] != cc.INCONSISTENT or "no rounding" not in check["reason"]:
        raise AssertionError(f"the planted death percentage is a rounding: {check['reason']}")
    entry = _entry("claims", row["claim_id"], "value", printed, row["value"],
                   "death_percentage", "percentage",
                   f"percentage inconsistent ({arm.deaths[k]}/{arm.randomised} = "
                   f"{row['value']}%; no rounding gives {printed}, which is {arm.deaths[k]}/"
                   f"{active}, the patients still in the trial at {before})")
    row["quote"] = row["quote"].replace(f"({row['value']}%)", f"({printed}%)")
    row["value"] = printed
    for other in claims:  # the same sentence quotes the death count and the withdrawals
        if other["quote"] != row["quote"] and other["section"] == row["section"] and \
                other["refers_to"].startswith(("deaths_", "withdrawn_")) and \
                other["refers_to"].endswith(f"arm_{arm.id.lower()}_{before}_{after}"):
            other["quote"] = row["quote"]
    return entry


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

TITLES = {OUT: "Simulated three-arm trial with planted errors (not a real study)",
          OUT_CLEAN: "Simulated three-arm trial, clean twin (not a real study)"}
JOURNAL = "Journal of Simulated Supportive Care"
TEST_QUOTE = ("At each follow-up, the scores of each intervention arm were compared with usual "
              "care by Welch's t-test.")
EFFECT_SIZE_QUOTE = "Effect sizes are Hedges' g of the follow-up scores (arm minus usual care)."
ROUNDING_QUOTE = "Numbers were rounded half up."
FLOW_COMPLETE = ("Every patient alive and not withdrawn completed every questionnaire at every "
                 "follow-up.")
CHARACTERISTICS = """\
  group_size: group size
  age:
    label: age (years)
    check: {kind: whole_number, within: age_years, describes: age in whole years}
  gender: {label: gender, exclusive: true}
  karnofsky_ps:
    label: Karnofsky performance status
    check: {kind: scale, scale: [0, 100], step: 10, minimum: inclusion_karnofsky_min,
            describes: Karnofsky score, scale_name: Karnofsky scale}
  primary_site: {label: primary site, exclusive: true}
  chemotherapy: chemotherapy
  opioids: regular opioid use"""


def _indented(text: str) -> str:
    """``text`` as the lines of a folded YAML scalar, four spaces in."""
    import textwrap

    return textwrap.fill(text, 100, initial_indent="    ", subsequent_indent="    ")


def trial_yaml(folder: str) -> str:
    arms = "\n".join(f"  - {{id: {a.id}, label: {a.label}, randomised: {a.randomised}"
                     + (", control: true}" if a.control else "}") for a in ARMS)
    comparisons = "\n".join(f"  - {{arm: {a}, versus: {v}}}" for a, v in COMPARISONS)
    times = "\n".join(f"  - {{id: {t}, label: {label}, months: {months}"
                      + (f", weeks: {weeks}}}" if weeks else "}")
                      for t, label, months, weeks, _ in TIMEPOINTS)
    by_instrument = {}
    for s in scales():
        by_instrument.setdefault(s.instrument, []).append(s.id)
    labels = {"C30": ("EORTC QLQ-C30", "[0, 100]"), "QSCR10": ("QSC-R10", "[0, 50]")}
    instruments = "\n".join(
        f"  - id: {i}\n    label: {labels[i][0]}\n    table: {SOURCE[i]}\n    range: "
        f"{labels[i][1]}\n    scales: [{', '.join(ids)}]" for i, ids in by_instrument.items())
    flow = "\n".join(f"  - {{stage: {json.dumps(stage) if ':' in stage else stage}, claim: {claim}"
                     + (", excluded: true}" if excluded else "}")
                     for stage, claim, _, _, excluded in FLOW)
    name = Path(folder).name
    return f"""# A simulated trial (scripts/simulate_three_arm.py; see README.md): not a real study.
# Generated; do not edit by hand.
id: {name}
title: {TITLES[folder]}
# The journal the letter is addressed to; the paper has no entry in book/references.bib.
journal: {JOURNAL}
citation: ""
# Arms in the order the tables print them; the control arm is marked.
arms:
{arms}
# The between-arm comparisons the tables report (arm minus versus).
comparisons:
{comparisons}
# What the Methods state. The rounding rule is stated as "{ROUNDING_QUOTE}"
methods:
  test: welch_t
  test_quote: >-
{_indented(TEST_QUOTE)}
  effect_size: hedges_g
  effect_size_at: follow_up
  effect_size_quote: "{EFFECT_SIZE_QUOTE}"
  rounding: half_up
  alpha: {ALPHA}
# Timepoints in order; the first is the baseline. Each follow-up is compared between the arms.
timepoints:
{times}
# The participant flow before randomisation as the text prints it (each stage's count is the
# claim it names), and the text's word that every patient still in the trial answered.
flow:
{flow}
flow_complete:
  quote: >-
{_indented(FLOW_COMPLETE)}
  section: results
# Instruments and their scales (data/instruments), in the order of the results tables.
instruments:
{instruments}
# Eligibility the Methods state, used as the range of the baseline table's values.
eligibility:
  age_years: [{AGE_LIMITS[0]}, {AGE_LIMITS[1]}]
# The rows of the baseline table (Table 1), in order; "exclusive": the levels' counts add up to
# the arm.
baseline_characteristics:
{CHARACTERISTICS}
"""


FIELD_TEXT = {"arm": "arm id", "versus": "the comparator's arm id (the comparison is arm minus "
              "versus)", "timepoint": "timepoint id", "contrast": "t0-<follow-up>: the "
              "comparison at that follow-up", "n": "number of patients", "item": "item number"}


def datapackage(folder: str) -> str:
    """data/published's schema with ``arm`` and ``versus`` in the keys of the between-arm
    tables; the descriptions of that trial's ids made general."""
    package = json.loads((PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))
    allowed = "Allowed values come from trial.yaml."
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        for field in fields:
            if allowed in field.get("description", "") and field["name"] in FIELD_TEXT:
                field["description"] = f"{FIELD_TEXT[field['name']]}. {allowed}"
        if resource["name"] in ("effects", "item_tests"):
            after = "scale" if resource["name"] == "effects" else "item"
            at = [f["name"] for f in fields].index(after) + 1
            fields[at:at] = [{"name": name, "type": "string", "constraints": {"required": True},
                              "description": f"{FIELD_TEXT[name]}. {allowed}"}
                             for name in ("arm", "versus")]
            key = resource["schema"]["primaryKey"]
            at = key.index(after) + 1
            resource["schema"]["primaryKey"] = key[:at] + ["arm", "versus"] + key[at:]
        if resource["name"] == "effects":
            for field in fields:
                if field["name"] == "effect_size":
                    field["description"] = "Hedges' g at follow-up (arm minus versus) as printed"
    package.update({
        "name": Path(folder).name.replace("_", "-"),
        "title": TITLES[folder],
        "description": "A simulated three-arm trial printed in the format of data/published "
                       "(scripts/simulate_three_arm.py): every number comes from simulated "
                       "patients (patients/)" + (", except the errors listed in planted.csv"
                                                 if folder == OUT else "") + ".",
        "sources": [{"title": "scripts/simulate_three_arm.py (fixed seed)",
                     "path": "../../../scripts/simulate_three_arm.py"}],
    })
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def reflow(text: str, width: int = 100) -> str:
    """Markdown with every bullet item refilled to ``width`` columns."""
    import textwrap

    out, item = [], []

    def flush():
        if item:
            out.append(textwrap.fill(" ".join(item), width, subsequent_indent="  ",
                                     break_on_hyphens=False, break_long_words=False))
            item.clear()

    for line in text.split("\n"):
        if line.startswith("- ") or (item and line.startswith("  ") and line.strip()):
            if line.startswith("- "):
                flush()
            item.append(line.strip())
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def readme(folder: str, planted: list[dict], patients) -> str:
    arms = "; ".join(f"{a.id} ({a.label}, {a.randomised} randomised"
                     + (", the control)" if a.control else ")") for a in ARMS)
    flow = "; ".join(f"arm {a.id}: deaths {', '.join(map(str, a.deaths))}, withdrawals "
                     f"{', '.join(map(str, a.withdrawn))}" for a in ARMS)
    measured = "; ".join(f"arm {a.id}: " + ", ".join(
        str(len(assessed(patients, a.id, t))) for t in TIME_IDS) for a in ARMS)
    grids = "; ".join(f"{s.id} {len(s.items)} items {s.low}-{s.high} (step {grid(s)[0]})"
                      for s in scales())
    if planted:
        errors = "\n".join(f"- **{p['family']}**: `{p['file']}.csv` `{p['row_key']}` column "
                           f"`{p['column']}` printed `{p['printed']}`, true `{p['true_value']}`."
                           f" Expected: {p['expected_check']}." for p in planted)
        errors = f"""## Planted errors (`planted.csv`)

One of each proof family; each changes one printed number, chosen so that no other check fails
because of it (the planted means and SDs are at baseline, which no between-arm test uses; the
planted n keeps its mean and SD possible and every test of its comparisons reproducible from the
printed summaries). The clean twin, `three_arm_clean`, prints the true values.

{errors}
"""
    else:
        errors = """## No planted error

This is the clean twin of `three_arm`: the same patients and every number as computed
(`planted.csv` is empty). The engine must find 0 `inconsistent` and 0 `not_reproducible` rows.
"""
    return f"""# A simulated three-arm trial: {TITLES[folder]}

Generated by `scripts/simulate_three_arm.py` (seed {SEED}); do not edit by hand. Regenerate both
folders with

    .venv/bin/python scripts/simulate_three_arm.py

(the output is the same byte for byte; `tests/test_three_arm_trial.py` checks it). Not a real
study: a trial the engine was not built for (three arms, five timepoints, deaths and withdrawals,
EORTC QLQ-C30 and QSC-R10, no item table, no fatigue module), printed in the format of
`data/published` with the keys of the engine's design (issue 21).

## Design

- Arms: {arms}. Comparisons: {', '.join(f'{a} versus {v}' for a, v in COMPARISONS)}.
- Flow before randomisation: {SCREENED} assessed, {NOT_ELIGIBLE} not eligible, {DECLINED}
  declined, {SCREENED - NOT_ELIGIBLE - DECLINED} randomised.
- Timepoints: {', '.join(f'{t} {label}' for t, label, *_ in TIMEPOINTS)}.
- Deaths and withdrawals in t0-t1, t1-t2, t2-t3, t3-t4: {flow}. Patients measured at t0 to t4:
  {measured}. A patient who died or withdrew answers nothing later; every other patient answers
  every item (no missing items, so every score lies on its scale's complete-items grid).
- Instruments: EORTC QLQ-C30 (scales {', '.join(s.id for s in scales() if s.instrument == 'C30')};
  items and kinds from `data/instruments/qlq_c30.yaml`, scored by the EORTC manual's formulas;
  global health status answered 1-7) and QSC-R10 (10 items 0-5, sum 0-50). Grids: {grids}.
- Latent model: per patient a severity, per domain a trait and per timepoint a state; items are
  the state plus noise cut at fixed thresholds. Arm A improves more on global health, physical
  functioning and fatigue; arm B on emotional functioning and distress. Random numbers:
  `random.Random({SEED}).random()` only (scripts/simulate_trial.py's stream).

## Printing

- `outcomes.csv` (Tables 2, 3): n, mean and SD (n - 1) of the patients measured, 2 decimals,
  half up from the exact values.
- `effects.csv`: per comparison (`arm`, `versus`) and follow-up (`t0-t1` ... `t0-t4`): Welch's
  t-test of the follow-up scores (p, 3 decimals) and Hedges' g at follow-up (arm minus versus,
  pooled SD, exact J; 2 decimals), as the Methods state (trial.yaml `methods`).
- `baseline.csv` (Table 1): group sizes; age mean, SD (1 decimal), min and max; gender counts
  and percentages (1 decimal, of the arm); Karnofsky median and range; primary site (counts
  only); chemotherapy (count and percentage); opioids (count only).
- `claims.csv`: the numbers of the text: flow stages, group sizes, eligibility, timepoints,
  instruments, deaths and withdrawals per arm and period (`deaths_arm_<arm>_<from>_<to>`,
  `withdrawn_arm_...`; percentages of the randomised arm for every death count and for the
  withdrawals of the last period), and the p and g the sentences quote.
- `statements.csv`: the Methods (primary endpoint, named test, treatments) and the results'
  sentences (significant at twelve months, did not differ at any follow-up); every one holds.
- `items.csv`, `item_tests.csv` (no item table), `related.csv`, `corrections.csv`,
  `not_checkable.csv`: headers only. `patients/`: the patient-level data every number is
  computed from.

{errors}"""


def tables(patients, scores, plant: bool) -> tuple[dict, list]:
    outcomes = outcome_rows(patients, scores)
    effects = effect_rows(patients, scores)
    baseline = baseline_rows(patients)
    planted = []
    if plant:
        planted += plant_outcomes(outcomes, effects, patients)
        planted += plant_baseline(baseline)
    first = next(r for r in effects if r["contrast"] == f"t0-{LAST}" and r["p_exact"] < ALPHA)
    cell = _cell(first["instrument"], first["scale"], first["arm"], first["versus"], LAST)
    planted_claim = {"cell": cell, "printed": base.transposed(first["p"])} if plant else None
    claims, statements = build_text(effects, planted_claim)
    if plant:
        planted.append(_entry("claims", planted_claim["claim_id"], "value",
                              planted_claim["printed"], planted_claim["true"], "restated_claim",
                              "text against table", f"text against table inconsistent (refers_to"
                              f" {cell}:p, which prints {planted_claim['true']})"))
        planted.append(plant_death_percent(claims, patients))

    def table(rows, columns):
        return csv_text(columns, [[r[c] for c in columns] for r in rows])

    files = {
        "outcomes.csv": table(outcomes, ["instrument", "scale", "arm", "timepoint", "n", "mean",
                                         "sd", "source"]),
        "effects.csv": table(effects, ["instrument", "scale", "arm", "versus", "contrast", "p",
                                       "effect_size", "source"]),
        "items.csv": table([], ["item", "question", "arm", "timepoint", "mean", "sd",
                                "source"]),
        "item_tests.csv": table([], ["item", "arm", "versus", "contrast", "p", "source"]),
        "baseline.csv": table(baseline, BASELINE_COLUMNS),
        "claims.csv": table(claims, ["claim_id", "section", "quote", "value", "refers_to"]),
        "statements.csv": table(statements, ["statement_id", "section", "quote", "reading",
                                             "assertion", "refers_to", "arm", "value"]),
        "not_checkable.csv": table([], ["refers_to", "reason"]),
        "related.csv": table([], ["publication", "quantity", "arm", "value", "quote", "source",
                                  "compare_to", "comparison", "note"]),
        "corrections.csv": table([], ["file", "row_key", "column", "printed", "corrected",
                                      "reason"]),
        "planted.csv": table(planted, ["file", "row_key", "column", "printed", "true_value",
                                       "kind", "family", "expected_check"]),
    }
    return files, planted


def patient_files(patients) -> dict:
    columns = [c for s in scales() for c in s.columns]
    return {
        "patients/characteristics.csv": csv_text(
            ["patient", "arm", "age", "gender", "karnofsky_ps", "primary_site", "chemotherapy",
             "opioids", "last_assessed", "status"],
            [[p.id, p.arm, p.age, p.gender, p.karnofsky, p.primary_site,
              "yes" if p.chemotherapy else "no", "yes" if p.opioids else "no", p.last,
              p.status] for p in patients]),
        "patients/responses.csv": csv_text(
            ["patient", "arm", "timepoint"] + columns,
            [[p.id, p.arm, t] + [answers[c] for c in columns]
             for p in patients for t, answers in p.responses.items()]),
    }


def generate(root: Path = ROOT) -> dict[str, dict[str, bytes]]:
    """Write both folders under ``root``; return {folder: {file: bytes}}."""
    patients = simulate_patients(Stream(SEED))
    scores = score_patients(patients)
    written = {}
    for folder, plant in ((OUT, True), (OUT_CLEAN, False)):
        files, planted = tables(patients, scores, plant)
        files.update(patient_files(patients))
        files["trial.yaml"] = trial_yaml(folder)
        files["datapackage.json"] = datapackage(folder)
        files["README.md"] = reflow(readme(folder, planted, patients))
        out = root / folder
        (out / "patients").mkdir(parents=True, exist_ok=True)
        written[folder] = {}
        for name, content in files.items():
            (out / name).write_bytes(content.encode("utf-8"))
            written[folder][name] = content.encode("utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(ROOT),
                        help="write data/examples/three_arm{,_clean} under this folder "
                             "(%(default)s)")
    generate(Path(parser.parse_args(argv).root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
