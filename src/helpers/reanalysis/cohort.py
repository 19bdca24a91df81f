"""The cohort: participant flow, deaths, radiotherapy schedules, the sample-size statement, and
the numbers of the text that restate a table.

Each function reads the transcription (``helpers.reanalysis.data``) and returns ledger rows
(``helpers.reanalysis.ledger.COLUMNS`` less ``notebook``) or a tidy table behind a figure. The
arithmetic is the paper's own: counts out of the randomised, sums of schedules, a power calculation
with pingouin.
"""

from __future__ import annotations

import os
from fractions import Fraction

import pandas as pd

from ..methods import consistency as cc
from ..methods.ledger import COLUMNS, builds, cell_id
from . import data

__all__ = ["alive_stage", "death_stage", "periods", "claim", "quote_groups", "participant_flow",
           "stage_count", "flow_checks", "mortality_row", "schedules_of",
           "radiotherapy_schedules", "radiotherapy_checks", "sample_size_inputs",
           "sample_size_checks", "restated_checks", "schedule", "text_claim_rows",
           "describe_misquotes", "describe_dose_range"]


def alive_stage(study, timepoint: str) -> str:
    """The flow's stage of the patients alive at a timepoint: ``allocated`` at baseline, else
    ``alive at <label>`` (labels from ``trial.yaml``).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> alive_stage(study, "t0"), alive_stage(study, "t3")
    ('allocated', 'alive at 6 months')
    """
    if timepoint == study.baseline.id:
        return "allocated"
    return f"alive at {study.timepoint_label(timepoint)}"


def death_stage(study, before: str, after: str) -> str:
    """The flow's stage of the deaths between two consecutive timepoints: ``died by <label>``
    after the baseline, else ``died between <label> and <label>`` (a unit both labels share is
    said once).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> study = trial.load("data/published")
    >>> death_stage(study, "t0", "t2"), death_stage(study, "t2", "t3")
    ('died by 3 months', 'died between 3 and 6 months')
    """
    end = study.timepoint_label(after)
    if before == study.baseline.id:
        return f"died by {end}"
    start = study.timepoint_label(before)
    unit = end.rsplit(" ", 1)[-1]
    if " " in start and start.rsplit(" ", 1)[-1] == unit:
        start = start.rsplit(" ", 1)[0]
    return f"died between {start} and {end}"


def withdrawal_stage(study, before: str, after: str) -> str:
    """The flow's stage of the withdrawals between two consecutive timepoints, worded as
    :func:`death_stage`: ``withdrew by <label>`` or ``withdrew between <label> and <label>``.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> withdrawal_stage(trial.load("data/published"), "t2", "t3")
    'withdrew between 3 and 6 months'
    """
    return "withdrew" + death_stage(study, before, after).removeprefix("died")


#: The flow before randomisation when ``trial.yaml`` declares none (``flow:``): the published
#: trial's stages, each with the claim that gives its count and the word the notes use.
DEFAULT_SCREENING = (
    {"stage": "assessed for eligibility", "claim": "patients_screened", "word": "screened"},
    {"stage": "excluded: unstable metastases", "claim": "excluded_unstable_metastases",
     "excluded": True, "word": "unstable"},
    {"stage": "excluded: declined", "claim": "declined_to_participate", "excluded": True,
     "word": "declined"},
    {"stage": "randomised", "claim": "patients_randomized", "word": "randomised"},
)


def screening_stages(study) -> tuple[dict, ...]:
    """The stages before randomisation (``trial.yaml`` ``flow:``, else
    :data:`DEFAULT_SCREENING`): dicts ``stage, claim, excluded, word``; the first is the
    assessed, the last the randomised, those marked ``excluded`` are subtracted.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> [s["word"] for s in screening_stages(trial.load("data/examples/three_arm_clean"))]
    ['assessed', 'not eligible', 'declined', 'randomised']
    """
    stages = study.flow or DEFAULT_SCREENING
    out = []
    for entry in stages:
        label = str(entry["stage"])
        word = entry.get("word") or (label.split(": ", 1)[1] if ": " in label
                                     else label.split()[0])
        out.append({"stage": label, "claim": str(entry["claim"]),
                    "excluded": bool(entry.get("excluded", False)), "word": str(word)})
    return tuple(out)


def _withdrawn(claims: pd.DataFrame, arm: str, before: str, after: str) -> int | None:
    """The withdrawals the text gives for an arm and period (``withdrawn_arm_<arm>_<from>_<to>``),
    None where it gives none."""
    name = f"withdrawn_arm_{arm.lower()}_{before}_{after}"
    found = claims[claims["refers_to"] == name]
    return None if found.empty else int(found.iloc[0]["value"])


def periods(study) -> list[tuple[str, str]]:
    """Consecutive pairs of the trial's timepoints: the periods in which deaths are counted."""
    ids = [t.id for t in study.timepoints]
    return list(zip(ids, ids[1:]))


def claim(claims: pd.DataFrame, refers_to: str) -> pd.Series:
    """The first claim of the text naming ``refers_to`` (a quantity name or a table cell).

    Examples
    --------
    >>> claim(data.load_claims("data/published"), "patients_screened")["value_printed"]
    '80'
    """
    found = claims[claims["refers_to"] == refers_to]
    if found.empty:
        raise KeyError(f"no claim refers to {refers_to!r} in claims.csv")
    return found.iloc[0]


def _row(claim_id, source, quantity, published, recomputed, check, verdict, assumption="",
         note="", problem=""):
    return dict(claim_id=claim_id, source=source, quantity=quantity, published=str(published),
                recomputed=str(recomputed), check=check, verdict=verdict, assumption=assumption,
                note=note, problem=problem)


def _claim_row(entry: pd.Series, quantity, recomputed, check, verdict, assumption="", note="",
               problem=""):
    return _row(entry["claim_id"], entry["section"].capitalize().replace("_", " "), quantity,
                entry["value_printed"], recomputed, check, verdict, assumption, note, problem)


def quote_groups(claims: pd.DataFrame) -> dict[str, str]:
    """Each claim's problem identifier: the first claim quoting the same stretch of text, so that
    both ends of one printed range are one problem.

    Examples
    --------
    >>> groups = quote_groups(data.load_claims("data/published"))
    >>> groups["methods-65"]
    'methods-64'
    """
    first = claims.groupby(["section", "quote"], sort=False)["claim_id"].transform("first")
    return dict(zip(claims["claim_id"], first))


# ---------------------------------------------------------------------------------------------
# Participant flow
# ---------------------------------------------------------------------------------------------

def participant_flow(claims: pd.DataFrame, baseline: pd.DataFrame,
                     outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """The flow of participants as the text reports it, with the n the tables print.

    One row per stage and arm (``arm`` empty before randomisation): ``stage, arm, n, source``,
    and for the follow-up stages ``printed_n`` (the n of Tables 2, 4 and 5, joined with ``/``
    where scales differ).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> folder = "data/published"
    >>> flow = participant_flow(data.load_claims(folder), data.load_baseline(folder),
    ...                         data.load_outcomes(folder), trial.load(folder))
    >>> flow.query("stage == 'alive at 6 months'")["n"].tolist()
    [18, 18]
    """
    value = lambda name: int(claim(claims, name)["value"])  # noqa: E731
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = [(entry["stage"], "", value(entry["claim"]), "Methods")
            for entry in screening_stages(study)]
    for arm in study.arm_ids:
        alive = int(size[arm])
        rows.append(("allocated", arm, alive, "Table 1"))
        for before, after in periods(study):
            died = value(f"deaths_arm_{arm.lower()}_{before}_{after}")
            left = _withdrawn(claims, arm, before, after)
            alive -= died + (left or 0)
            rows.append((death_stage(study, before, after), arm, died, "Results"))
            if left is not None:
                rows.append((withdrawal_stage(study, before, after), arm, left, "Results"))
            rows.append((alive_stage(study, after), arm, alive, "computed"))
    flow = pd.DataFrame(rows, columns=["stage", "arm", "n", "source"])
    printed = outcomes.groupby(["arm", "timepoint"])["n"].agg(
        lambda s: "/".join(str(v) for v in sorted(set(int(x) for x in s))))
    stage_time = {alive_stage(study, t.id): t.id for t in study.timepoints}
    flow["printed_n"] = [printed.get((arm, stage_time[stage]), "") if stage in stage_time else ""
                         for stage, arm in zip(flow["stage"], flow["arm"])]
    return flow


def stage_count(flow: pd.DataFrame, stage: str, arm: str = "") -> int:
    """The number of patients at one stage of :func:`participant_flow` (arm "" before
    randomisation).

    Examples
    --------
    >>> flow = pd.DataFrame({"stage": ["randomised", "alive at 3 months", "alive at 3 months"],
    ...                      "arm": ["", "A", "B"], "n": [60, 25, 22]})
    >>> stage_count(flow, "alive at 3 months", "B"), stage_count(flow, "randomised")
    (22, 60)
    """
    return int(flow[(flow["stage"] == stage) & (flow["arm"] == arm)]["n"].item())


@builds
def flow_checks(claims: pd.DataFrame, baseline: pd.DataFrame, outcomes: pd.DataFrame, study,
                rounding: str = "either", statements: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """Ledger rows: the flow's arithmetic, the deaths and their percentages, the loss to
    follow-up (where the text gives it), mortality by arm (where a sentence of
    ``statements`` says it did not differ: assertion ``deaths_not_different``), and every n of
    the outcome tables against who was alive."""
    arms = study.arm_ids
    last = study.timepoints[-1].id
    flow = participant_flow(claims, baseline, outcomes, study)

    def n(stage, arm=""):
        return stage_count(flow, stage, arm)

    rows = _screening_rows(claims, flow, study)
    for entry in claims[claims["refers_to"] == "patients_per_group"].itertuples():
        entry = pd.Series(entry._asdict())
        sizes = " and ".join(str(n("allocated", arm)) for arm in arms)
        same = all(n("allocated", arm) == int(entry["value"]) for arm in arms)
        rows.append(_claim_row(entry, "patients per group", sizes, "text against Table 1",
                               "reproduced" if same else "inconsistent",
                               "the arm sizes of Table 1's headings"))
    # deaths and withdrawals, and their percentages (of the randomised arm)
    for arm in arms:
        for before, after in periods(study):
            rows += _leaving_rows(claims, outcomes, flow, study, arm, before, after, rounding)
    if (claims["refers_to"] == "lost_to_followup_percent").any():
        lost = claim(claims, "lost_to_followup_percent")
        shares = [cc.percentage(n("allocated", arm) - n(alive_stage(study, last), arm),
                                n("allocated", arm), lost["value_printed"],
                                rounding=rounding).iloc[0] for arm in arms]
        rows.append(_claim_row(lost, "lost to follow-up by death, each arm (%)",
                               " and ".join(s["recomputed"] for s in shares), "percentage",
                               "reproduced" if all(s["consistency"] == "consistent"
                                                   for s in shares)
                               else "inconsistent", _percent_assumption(rounding),
                               note="; ".join(f"arm {a}: {s['reason']}"
                                              for a, s in zip(arms, shares))))
    said = statements is not None and (statements["assertion"] == "deaths_not_different").any()
    if said:
        rows.append(mortality_row(flow, study))
    rows += _table_n_rows(outcomes, flow, study)
    return pd.DataFrame(rows)


def _leaving_rows(claims: pd.DataFrame, outcomes: pd.DataFrame, flow: pd.DataFrame, study,
                  arm: str, before: str, after: str, rounding: str) -> list[dict]:
    """Ledger rows of one arm and period: the deaths (and withdrawals, where the text gives
    them) against the fall of the tables' n, and each count's percentage of the randomised arm
    where the text gives one (``<claim>_percent``)."""
    period, a = f"{before}_{after}", arm.lower()
    stage = death_stage(study, before, after)
    deaths = claim(claims, f"deaths_arm_{a}_{period}")
    left = _withdrawn(claims, arm, before, after)
    drop = _modal_n(outcomes, arm, before) - _modal_n(outcomes, arm, after)
    expected = int(deaths["value"]) + (left or 0)
    verdict = "reproduced" if drop == expected else "inconsistent"
    rows = [_claim_row(deaths, f"deaths, arm {arm}, {stage}", drop,
                       "deaths against the tables' n", verdict,
                       "all survivors completed all surveys (Results): the n most scales print "
                       "falls by the deaths" + ("" if left is None else " and withdrawals"),
                       note=f"the n most scales print falls by {drop} from {before} to {after}"
                            + ("" if left is None else f"; {left} withdrew"))]
    if left is not None:  # the same sum: one problem with the deaths' row
        withdrawn = claim(claims, f"withdrawn_arm_{a}_{period}")
        rows.append(_claim_row(withdrawn, f"withdrawals, arm {arm}, "
                               f"{withdrawal_stage(study, before, after)}", drop,
                               "deaths against the tables' n", verdict,
                               "all patients alive and not withdrawn completed all surveys "
                               "(Results): the n most scales print falls by the deaths and "
                               "withdrawals",
                               note=f"the n most scales print falls by {drop} from {before} to "
                                    f"{after}; {deaths['value_printed']} died",
                               problem=deaths["claim_id"] if verdict == "inconsistent" else ""))
    kinds = [("deaths", stage)] + ([] if left is None else
                                   [("withdrawn", withdrawal_stage(study, before, after))])
    for kind, label in kinds:
        count = claim(claims, f"{kind}_arm_{a}_{period}")
        name = f"{kind}_arm_{a}_{period}_percent"
        for entry in claims[claims["refers_to"] == name].itertuples():
            entry = pd.Series(entry._asdict())
            size = stage_count(flow, "allocated", arm)
            check = cc.percentage(int(count["value"]), size, entry["value_printed"],
                                  rounding=rounding).iloc[0]
            what = "deaths" if kind == "deaths" else "withdrawals"
            rows.append(_claim_row(entry, f"{what}, arm {arm}, {label} (% of randomised)",
                                   check["recomputed"], "percentage",
                                   "reproduced" if check["consistency"] == "consistent"
                                   else "inconsistent", _percent_assumption(rounding),
                                   note=check["reason"]))
            break  # one row per claim name, as before
    return rows


def _screening_rows(claims: pd.DataFrame, flow: pd.DataFrame, study) -> list[dict]:
    """Ledger rows of the flow before randomisation: the assessed less the exclusions against
    the randomised, and each other stage's count as a part of that sum."""
    stages, arms = screening_stages(study), study.arm_ids
    counts = [stage_count(flow, s["stage"]) for s in stages]
    first, last = stages[0], stages[-1]
    excluded = [(s, c) for s, c in zip(stages, counts) if s["excluded"]]
    left = counts[0] - sum(c for _, c in excluded)
    sum_text = " - ".join([f"{counts[0]} {first['word']}"]
                          + [f"{c} {s['word']}" for s, c in excluded])
    how = ("both exclusions" if len(excluded) == 2 else "the exclusion" if len(excluded) == 1
           else "the exclusions")
    rows = []
    for entry in claims[claims["refers_to"] == last["claim"]].itertuples():
        entry = pd.Series(entry._asdict())
        rows.append(_claim_row(entry, "patients randomised", left, "flow arithmetic",
                               "reproduced" if left == int(entry["value"]) else "inconsistent",
                               f"{first['word']} minus {how} gives the randomised (Methods)",
                               note=f"{sum_text} = {left}"))
    allocated = sum(stage_count(flow, "allocated", arm) for arm in arms)
    parts = " - ".join(str(c) for c in [counts[0]] + [c for _, c in excluded])
    for stage in stages[:-1]:
        for entry in claims[claims["refers_to"] == stage["claim"]].itertuples():
            entry = pd.Series(entry._asdict())
            rows.append(_claim_row(entry, stage["claim"].replace("_", " "),
                                   entry["value_printed"], "flow arithmetic", "consistent",
                                   note=f"part of {parts} = {left} randomised, the "
                                        f"{allocated} allocated in Table 1"))
    return rows


def _percent_assumption(rounding: str) -> str:
    return (f"a count out of the arm's randomised n (Table 1's heading), rounded "
            f"{'half up or half even' if rounding == 'either' else rounding.replace('_', ' ')}")


def _modal_n(outcomes: pd.DataFrame, arm: str, timepoint: str) -> int:
    """The n that most scales print for an arm and timepoint."""
    cells = outcomes[(outcomes["arm"] == arm) & (outcomes["timepoint"] == timepoint)]["n"]
    return int(cells.astype(int).mode().iloc[0])


@builds
def mortality_row(flow: pd.DataFrame, study) -> dict:
    """'Mortality did not differ between groups': Fisher's exact test of deaths by the last
    follow-up."""
    from scipy.stats import fisher_exact

    last = study.timepoints[-1]
    size = {a: stage_count(flow, "allocated", a) for a in study.arm_ids}
    died = {death_stage(study, before, after) for before, after in periods(study)}
    dead = {a: int(flow[(flow["arm"] == a) & flow["stage"].isin(died)]["n"].sum()) for a in size}
    tests = [(c, fisher_exact([[dead[c.arm], size[c.arm] - dead[c.arm]],
                               [dead[c.versus], size[c.versus] - dead[c.versus]]]).pvalue)
             for c in study.comparisons]
    recomputed = "; ".join(f"{dead[c.arm]}/{size[c.arm]} vs {dead[c.versus]}/{size[c.versus]}; "
                           f"Fisher p = {p:.3f}" for c, p in tests)
    return _row("results:mortality_did_not_differ", "Results", f"mortality by arm at {last.label}",
                "did not differ", recomputed, "test from counts",
                "reproduced" if all(p > 0.05 for _, p in tests) else "not_reproducible",
                "two-sided Fisher's exact test at alpha 0.05"
                + ("" if len(tests) == 1 else ", each comparison of trial.yaml"),
                note=f"deaths by {last.label} from the text")


def _table_n_rows(outcomes: pd.DataFrame, flow: pd.DataFrame, study) -> list[dict]:
    """Every n of Tables 2, 4 and 5 against the patients alive ('All surviving patients
    completed all surveys')."""
    alive = {(arm, t.id): alive_stage(study, t.id) for arm in study.arm_ids
             for t in study.timepoints}
    rows = []
    keys = data.key_columns("outcomes", study.data_dir)
    for _, cell in outcomes.iterrows():
        stage = alive[(cell["arm"], cell["timepoint"])]
        expected = stage_count(flow, stage, cell["arm"])
        printed = int(cell["n"])
        verdict = "reproduced" if printed == expected else "inconsistent"
        note = (f"{expected} {stage.replace('allocated', 'randomised')} in arm {cell['arm']}"
                + ("" if printed == expected else
                   f"; the text says all survivors completed every survey, so n = {expected}"))
        rows.append(_row(cell_id("outcomes", data.row_key(cell, keys), "n"), cell["source"],
                         f"{cell['instrument']} {cell['scale']}, arm {cell['arm']}, "
                         f"{cell['timepoint']}: n", cell["n_printed"], expected,
                         "n against participant flow", verdict,
                         "all survivors completed all surveys (Results)", note))
    return rows


# ---------------------------------------------------------------------------------------------
# Radiotherapy
# ---------------------------------------------------------------------------------------------

def schedules_of(claims: pd.DataFrame) -> list[str]:
    """The fractionation schedules the claims name (``rt_schedule_<schedule>gy_arm_<arm>_...``),
    in the order the text gives them; empty for a trial without radiotherapy claims.

    Examples
    --------
    >>> schedules_of(data.load_claims("data/published"))
    ['10x3', '14x2_5', '20x2']
    """
    found = claims["refers_to"].str.extract(r"^rt_schedule_(.+)gy_arm_[a-z0-9]+_fractions$")[0]
    return list(dict.fromkeys(found.dropna()))


def radiotherapy_schedules(claims: pd.DataFrame, study) -> pd.DataFrame:
    """The fractionation schedules of the Methods: ``arm, schedule, fractions, gy_per_fraction,
    total_gy, n, percent`` (as printed); empty where the text names none."""
    rows = []
    for arm in study.arm_ids:
        for schedule in schedules_of(claims):
            stem = f"rt_schedule_{schedule}gy_arm_{arm.lower()}"
            fractions = claim(claims, f"{stem}_fractions")
            per = claim(claims, f"{stem}_gy_per_fraction")
            count = claim(claims, f"{stem}_n")
            percent = claim(claims, f"{stem}_percent")
            rows.append(dict(arm=arm, schedule=f"{fractions['value_printed']} x "
                                                f"{per['value_printed']} Gy",
                             fractions=int(fractions["value"]),
                             gy_per_fraction=Fraction(per["value_printed"]),
                             total_gy=int(fractions["value"]) * Fraction(per["value_printed"]),
                             n=int(count["value"]), percent=percent["value_printed"],
                             n_claim=count["claim_id"], percent_claim=percent["claim_id"]))
    return pd.DataFrame(rows, columns=["arm", "schedule", "fractions", "gy_per_fraction",
                                       "total_gy", "n", "percent", "n_claim", "percent_claim"])


def _median(values: list[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@builds
def radiotherapy_checks(claims: pd.DataFrame, baseline: pd.DataFrame, study,
                        rounding: str = "either") -> pd.DataFrame:
    """Ledger rows: each schedule's count and percentage, the counts per arm, and the median and
    range of the fraction dose and the total dose over all patients (none for a trial whose
    text names no schedule)."""
    schedules = radiotherapy_schedules(claims, study)
    if schedules.empty:
        return pd.DataFrame(columns=[c for c in COLUMNS if c != "notebook"])
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    by_id = claims.set_index("claim_id", drop=False)
    rows = []
    for arm in study.arm_ids:
        mine = schedules[schedules["arm"] == arm]
        total = cc.adds_up(mine["n"].tolist(), int(size[arm]))
        for _, s in mine.iterrows():
            entry = by_id.loc[s["n_claim"]]
            rows.append(_claim_row(entry, f"arm {arm}: patients treated with {s['schedule']}",
                                   f"arm total {total['sum']}", "counts add up",
                                   total["consistency"],
                                   "every patient received exactly one schedule of the Methods",
                                   note=total["reason"] +
                                   f" (arm size {size[arm]})"))
            check = cc.percentage(s["n"], int(size[arm]), s["percent"], rounding=rounding).iloc[0]
            entry = by_id.loc[s["percent_claim"]]
            rows.append(_claim_row(entry, f"arm {arm}: % treated with {s['schedule']}",
                                   check["recomputed"], "percentage",
                                   "reproduced" if check["consistency"] == "consistent"
                                   else "inconsistent", _percent_assumption(rounding),
                                   note=check["reason"]))
    # schedule definitions: fractions and dose per fraction restate the schedule
    for column in ("fractions", "gy_per_fraction"):
        for name in claims["refers_to"][claims["refers_to"].str.endswith(f"_{column}")]:
            entry = claim(claims, name)
            rows.append(_claim_row(entry, name.replace("_", " "), entry["value_printed"],
                                   "schedule definition", "consistent",
                                   note="defines a schedule; its total dose is used below"))
    per_patient = [(s["gy_per_fraction"], s["total_gy"]) for _, s in schedules.iterrows()
                   for _ in range(s["n"])]
    fraction_doses = [f for f, _ in per_patient]
    totals = [t for _, t in per_patient]
    computed = {
        "median_fraction_dose_gy": _median(fraction_doses),
        "fraction_dose_gy_min": min(fraction_doses), "fraction_dose_gy_max": max(fraction_doses),
        "median_total_dose_gy": _median(totals),
        "total_dose_gy_min": min(totals), "total_dose_gy_max": max(totals),
    }
    totals_text = ", ".join(f"{s} = {_gy(t)} Gy" for s, t in
                            dict(zip(schedules["schedule"], schedules["total_gy"])).items())
    groups = quote_groups(claims)
    for name, value in computed.items():
        entry = claim(claims, name)
        same = Fraction(entry["value_printed"]) == value
        note = f"over the {len(per_patient)} patients of the schedules; {totals_text}"
        if not same and name.startswith("total_dose"):
            possible = sorted({_gy(t) for t in totals}, key=float)
            note = (f"the schedules give total doses of {', '.join(possible)} Gy only, so the "
                    f"{'minimum' if name.endswith('min') else 'maximum'} is {_gy(value)} Gy, not "
                    f"{entry['value_printed']}; {note}")
        rows.append(_claim_row(entry, name.replace("_", " "), _gy(value), "dose arithmetic",
                               "reproduced" if same else "inconsistent",
                               "every patient received one of the schedules the Methods list, "
                               "with the counts it gives", note=note,
                               problem=groups[entry["claim_id"]]))
    return pd.DataFrame(rows)


def _gy(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# ---------------------------------------------------------------------------------------------
# Sample size
# ---------------------------------------------------------------------------------------------

#: The claims of a sample-size statement (all or none of them).
SAMPLE_SIZE_CLAIMS = ("detectable_effect_size_cohens_d", "power_percent", "alpha_percent",
                      "planned_patients_per_group")


def sample_size_inputs(claims: pd.DataFrame) -> dict | None:
    """The planned sample size, effect, power and alpha of the Methods, with the power the
    planned n achieves and the n the stated power needs (pingouin, two-sided two-sample t-test);
    None where the text states no sample size (no claim of :data:`SAMPLE_SIZE_CLAIMS`).

    Examples
    --------
    >>> inputs = sample_size_inputs(data.load_claims("data/published"))
    >>> inputs["n"], inputs["d"], round(inputs["achieved_power"], 3)
    (30, 0.8, 0.861)
    """
    import pingouin

    if not claims["refers_to"].isin(SAMPLE_SIZE_CLAIMS).any():
        return None
    d = float(claim(claims, "detectable_effect_size_cohens_d")["value"])
    power = float(claim(claims, "power_percent")["value"]) / 100
    alpha = float(claim(claims, "alpha_percent")["value"]) / 100
    n = int(claim(claims, "planned_patients_per_group")["value"])
    achieved = float(pingouin.power_ttest(d=d, n=n, alpha=alpha, contrast="two-samples",
                                          alternative="two-sided"))
    needed = float(pingouin.power_ttest(d=d, power=power, alpha=alpha, contrast="two-samples",
                                        alternative="two-sided"))
    return dict(n=n, d=d, power=power, alpha=alpha, achieved_power=achieved, needed_n=needed)


@builds
def sample_size_checks(claims: pd.DataFrame) -> pd.DataFrame:
    """The statement that 30 patients per group detect d = 0.8 with 80% power at alpha 5%,
    recomputed with pingouin (two-sample t-test, two-sided); no rows where the text states no
    sample size."""
    inputs = sample_size_inputs(claims)
    if inputs is None:
        return pd.DataFrame(columns=[c for c in COLUMNS if c != "notebook"])
    d, power, alpha, n = inputs["d"], inputs["power"], inputs["alpha"], inputs["n"]
    achieved, needed = inputs["achieved_power"], inputs["needed_n"]
    needed_whole = int(-(-needed // 1))
    verdict = "consistent" if achieved >= power else "not_reproducible"
    assumption = "two-sided two-sample t-test, equal groups"
    note = (f"{n} per group give {achieved:.1%} power for d = {d:g} at alpha {alpha:g}; "
            f"{power:.0%} power needs {needed:.1f}, i.e. {needed_whole} per group")
    rows = []
    for name, recomputed in (("planned_patients_per_group", f"{needed_whole} needed"),
                             ("detectable_effect_size_cohens_d", f"power {achieved:.3f} at n = {n}"),
                             ("power_percent", f"{achieved:.1%}"),
                             ("alpha_percent", f"{alpha:.0%} (as used)")):
        rows.append(_claim_row(claim(claims, name), name.replace("_", " "), recomputed,
                               "power calculation", verdict, assumption, note))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Numbers of the text that restate a table
# ---------------------------------------------------------------------------------------------

@builds
def restated_checks(claims: pd.DataFrame, tables: dict[str, pd.DataFrame],
                    data_dir: str | os.PathLike) -> pd.DataFrame:
    """Ledger rows: each number of the text that restates a table cell (``refers_to`` of the form
    ``file:key:column``) against that cell as printed (``tables``, loaded from ``data_dir``)."""
    rows = []
    for _, entry in claims[claims["refers_to"].str.contains(":", regex=False)].iterrows():
        file, key, column = entry["refers_to"].split(":")
        printed = data.printed_cell(tables, entry["refers_to"], data_dir,
                                    f"claim {entry['claim_id']}")
        same = printed == entry["value_printed"]
        note = "" if same else _misquote_note(entry, file, column, printed, tables, data_dir)
        rows.append(_claim_row(entry, f"{file} {key} {column}", printed,
                               "text against table", "reproduced" if same else "inconsistent",
                               "the text restates the table cell its words name (claims.csv, "
                               "refers_to)", note=note))
    return pd.DataFrame(rows)


def _misquote_note(entry, file, column, printed, tables, data_dir) -> str:
    table = tables[file]
    same_value = table[table[f"{column}_printed"] == entry["value_printed"]]
    keys = data.key_columns(file, data_dir)
    where = ", ".join(data.row_key(r, keys) for _, r in same_value[keys].iterrows())
    note = f"the table prints {printed} for this cell"
    if where:
        note += f"; {entry['value_printed']} is printed for {where}"
    return note


# ---------------------------------------------------------------------------------------------
# The other numbers of the text
# ---------------------------------------------------------------------------------------------

def schedule(study) -> dict[str, float]:
    """The assessment schedule as the text's claims name it, from ``trial.yaml``: for each
    follow-up ``timepoint_<id>_months`` and ``assessment_<id>_months`` (its months) and
    ``timepoint_<id>_weeks`` (its weeks, where given).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> schedule(trial.load("data/published"))["timepoint_t2_weeks"]
    12
    """
    out = {}
    for timepoint in study.follow_ups:
        if timepoint.months is not None:
            out[f"timepoint_{timepoint.id}_months"] = timepoint.months
            out[f"assessment_{timepoint.id}_months"] = timepoint.months
        if timepoint.weeks is not None:
            out[f"timepoint_{timepoint.id}_weeks"] = timepoint.weeks
    return out


@builds
def text_claim_rows(claims: pd.DataFrame, outcomes: pd.DataFrame, baseline: pd.DataFrame,
                    covered: set[str], study, not_checkable: pd.DataFrame | None = None,
                    items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Ledger rows for the numbers of the text that no other check of this notebook covers: the
    assessment schedule (``trial.yaml``), the instruments' ranges and sizes, the design, the
    first and last question of the item table (``items``), an inclusion minimum against the
    baseline table, and the numbers no data of the trial can check (``not_checkable``:
    ``refers_to, reason``, from the data folder's ``not_checkable.csv``)."""
    reasons = ({} if not_checkable is None
               else dict(zip(not_checkable["refers_to"], not_checkable["reason"])))
    planned = schedule(study)
    when = ", ".join(f"{t.id} ({t.label})" for t in study.timepoints)
    rows = []
    minimum_of = {check["minimum"]: (name, check) for name in study.characteristics
                  if (check := study.check_of(name)).get("kind") == "scale"}
    ranges = {i.id.lower(): (i.id, i.low, i.high) for i in study.instruments
              if i.low is not None}
    scales = outcomes.groupby("instrument")["scale"].nunique()
    for _, entry in claims[~claims["claim_id"].isin(covered)].iterrows():
        name, value = entry["refers_to"], entry["value"]
        if name in planned:
            same = value == planned[name]
            rows.append(_claim_row(entry, name.replace("_", " "), f"{planned[name]:g}",
                                   "design restated", "consistent" if same else "inconsistent",
                                   "the assessment schedule of the Methods",
                                   note=f"assessments at {when} (trial.yaml)"))
        elif name.endswith(("_range_min", "_range_max")):
            instrument, low, high = ranges[name.split("_")[0]]
            printed = outcomes[outcomes["instrument"] == instrument]["mean"]
            bound = low if name.endswith("min") else high
            inside = printed.between(low, high).all() and value == bound
            rows.append(_claim_row(entry, f"{instrument} range", f"means {printed.min():g} to "
                                   f"{printed.max():g}", "means within stated range",
                                   "consistent" if inside else "inconsistent",
                                   "a mean of scores in a range lies in that range",
                                   note=f"every published {instrument} mean lies in {low}-{high}"))
        elif name.endswith("_scales") and name.removesuffix("_scales") in ranges:
            instrument = ranges[name.removesuffix("_scales")][0]
            count = int(scales[instrument])
            rows.append(_claim_row(entry, f"{instrument} scales", count, "count of tables' scales",
                                   "reproduced" if count == value else "inconsistent",
                                   "every scale of the instrument is in the results tables",
                                   note=f"scales of {instrument} in the results tables"))
        elif name.endswith("_items") and name.removesuffix("_items") in ranges:
            rows.append(_claim_row(entry, name.replace("_", " "), "", "instrument size",
                                   "unverifiable", note="the tables report scales, not items"))
        elif name.endswith(("_first_question", "_last_question")) and items is not None \
                and len(items):
            listed = sorted({int(item) for item in items["item"]})
            bound = listed[0] if name.endswith("_first_question") else listed[-1]
            table = ", ".join(sorted(set(items["source"])))
            rows.append(_claim_row(entry, name.replace("_", " "), str(bound),
                                   "text against table",
                                   "reproduced" if bound == value else "inconsistent",
                                   note=f"{table} lists items {listed[0]} to {listed[-1]}"))
        elif name in ("allocation_ratio_arm_a", "allocation_ratio_arm_b", "number_of_groups"):
            size = baseline.query("characteristic == 'group_size'")["n"].astype(int).tolist()
            rows.append(_claim_row(entry, name.replace("_", " "), " : ".join(map(str, size)),
                                   "design restated", "consistent",
                                   note="two arms of equal size in Table 1"))
        elif name in ("inclusion_age_min_years", "inclusion_age_max_years"):
            ages = baseline.query("characteristic == 'age'")["mean"]
            limits = claims.set_index("refers_to")["value"]
            inside = ages.between(limits.get("inclusion_age_min_years", -float("inf")),
                                  limits.get("inclusion_age_max_years", float("inf"))).all()
            rows.append(_claim_row(entry, name.replace("_", " "), f"mean ages {ages.min():g} and "
                                   f"{ages.max():g}", "design restated",
                                   "consistent" if inside else "inconsistent",
                                   "a mean of ages within the inclusion range lies in it",
                                   note="ages are not published individually; means lie inside"))
        elif name in minimum_of:  # a score's inclusion minimum (trial.yaml: check.minimum)
            characteristic, check = minimum_of[name]
            rows_of = baseline[baseline["characteristic"] == characteristic]
            low = rows_of["min"].min()
            score = check["scale_name"].removesuffix(" scale")
            rows.append(_claim_row(entry, f"inclusion {score} minimum", f"{low:g}",
                                   "design restated", "consistent" if low >= value
                                   else "inconsistent", "every patient met the inclusion "
                                   "criterion", note=f"{rows_of['source'].iloc[0]} {score} "
                                   "minimum"))
        elif name in reasons:
            rows.append(_claim_row(entry, name.replace("_", " "), "", "not checkable here",
                                   "unverifiable", note=reasons[name]))
        else:
            raise KeyError(f"claim {entry['claim_id']} ({name}) has no check; add one to "
                           "helpers.reanalysis.cohort.text_claim_rows, or its reason to not_checkable.csv")
    return pd.DataFrame(rows)


def describe_misquotes(restated: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Markdown bullets: each number of the text that differs from the table cell it restates."""
    quotes = claims.set_index("claim_id")
    lines = []
    for _, row in restated[restated["verdict"] != "reproduced"].iterrows():
        entry = quotes.loc[row["claim_id"]]
        lines.append(f"- {entry['section'].capitalize()}: \u201c{entry['quote']}\u201d "
                     f"({entry['refers_to']}): {row['note']}.")
    return "\n".join(lines) if lines else "Every number the text quotes from a table matches it."


def describe_dose_range(claims: pd.DataFrame, study) -> dict:
    """The printed range of total doses and the totals the schedules give (the arms of the trial
    ``study``), for the prose (empty strings where the text gives none)."""
    schedules = radiotherapy_schedules(claims, study)
    totals = sorted({_gy(t) for t in schedules["total_gy"]}, key=float)
    if schedules.empty or not {"total_dose_gy_min", "total_dose_gy_max"} <= set(claims["refers_to"]):
        return {"printed_range": "", "schedule_totals": ""}
    low, high = (claim(claims, name)["value_printed"] for name in ("total_dose_gy_min",
                                                                   "total_dose_gy_max"))
    return {"printed_range": f"{low}-{high} Gy", "schedule_totals": ", ".join(totals) + " Gy"}
