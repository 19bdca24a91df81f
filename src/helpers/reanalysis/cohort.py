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
from . import claim_kinds, data, markup
from .claim_kinds import KINDS_FILE

__all__ = ["alive_stage", "death_stage", "withdrawal_stage", "periods", "claim", "quote_groups",
           "participant_flow", "stage_count", "describe_flow", "flow_checks", "mortality_row",
           "schedules_of",
           "radiotherapy_schedules", "radiotherapy_checks", "sample_size_inputs",
           "sample_size_checks", "SAMPLE_SIZE", "restated_checks", "schedule", "text_claim_rows",
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

def _printed(claims: pd.DataFrame) -> dict[str, pd.Series]:
    """The claim of each named quantity the text prints (a Methods claim where there is one,
    else the first)."""
    out = {}
    for _, entry in claims.iterrows():
        name = entry["refers_to"]
        if name not in out or (entry["section"] == "methods"
                                and out[name]["section"] != "methods"):
            out[name] = entry
    return out


def participant_flow(claims: pd.DataFrame, baseline: pd.DataFrame,
                     outcomes: pd.DataFrame, study) -> pd.DataFrame:
    """The flow of participants as the text reports it, with the n the tables print.

    One row per stage and arm (``arm`` empty before randomisation): ``stage, arm, n, source,
    excluded``, and for the follow-up stages ``printed_n`` (the n of the outcome tables, joined
    with ``/`` where scales differ). The stages before randomisation are those of
    ``trial.yaml``'s ``flow:`` list whose claim the text prints; the deaths of a period are a
    stage where the text prints them, and the patients alive after it only while every earlier
    period's deaths are printed too. Nothing the text does not print is made up.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> folder = "data/published"
    >>> flow = participant_flow(data.load_claims(folder), data.load_baseline(folder),
    ...                         data.load_outcomes(folder), trial.load(folder))
    >>> flow.query("stage == 'alive at 6 months'")["n"].tolist()
    [18, 18]
    """
    from .claim_kinds import flow_stages

    printed = _printed(claims)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = []
    for stage in flow_stages(study.data_dir):
        if stage.claim in printed:
            entry = printed[stage.claim]
            rows.append((stage.stage, "", int(entry["value"]),
                         entry["section"].capitalize().replace("_", " "), stage.excluded))
    for arm in study.arm_ids:
        if arm not in size.index:
            continue
        alive = int(size[arm])
        rows.append(("allocated", arm, alive, "Table 1", False))
        for before, after in periods(study):
            name = f"deaths_arm_{arm.lower()}_{before}_{after}"
            if name not in printed:
                alive = None  # the patients alive after an unprinted period are unknown
                continue
            died = int(printed[name]["value"])
            left = _withdrawn(claims, arm, before, after)
            rows.append((death_stage(study, before, after), arm, died, "Results", False))
            if left is not None:
                rows.append((withdrawal_stage(study, before, after), arm, left, "Results", False))
            if alive is not None:
                alive -= died + (left or 0)
                rows.append((alive_stage(study, after), arm, alive, "computed", False))
    flow = pd.DataFrame(rows, columns=["stage", "arm", "n", "source", "excluded"])
    printed_n = outcomes.groupby(["arm", "timepoint"])["n"].agg(
        lambda s: "/".join(str(v) for v in sorted(set(int(x) for x in s))))
    stage_time = {alive_stage(study, t.id): t.id for t in study.timepoints}
    flow["printed_n"] = [printed_n.get((arm, stage_time[stage]), "") if stage in stage_time
                         else "" for stage, arm in zip(flow["stage"], flow["arm"])]
    return flow


def stage_count(flow: pd.DataFrame, stage: str, arm: str = "") -> int:
    """The number of patients at one stage of :func:`participant_flow` (arm "" before
    randomisation); ``KeyError`` where the flow has no such stage (the text does not print it).

    Examples
    --------
    >>> flow = pd.DataFrame({"stage": ["randomised", "alive at 3 months", "alive at 3 months"],
    ...                      "arm": ["", "A", "B"], "n": [60, 25, 22]})
    >>> stage_count(flow, "alive at 3 months", "B"), stage_count(flow, "randomised")
    (22, 60)
    """
    found = flow[(flow["stage"] == stage) & (flow["arm"] == arm)]["n"]
    if found.empty:
        raise KeyError(f"the participant flow has no stage {stage!r}"
                       f"{f' in arm {arm}' if arm else ''} (the text does not print it)")
    return int(found.item())


def describe_flow(flow: pd.DataFrame, study) -> str:
    """The flow in words, from the stages the text prints only (for the prose; a stage it does
    not print is left out, never filled in).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> flow = pd.DataFrame({"stage": ["assessed for eligibility", "randomised", "allocated",
    ...                                "allocated"], "arm": ["", "", "A", "B"],
    ...                      "n": [80, 60, 30, 30], "excluded": [False, False, False, False]})
    >>> describe_flow(flow, trial.load("data/published"))
    '80 assessed for eligibility, 60 randomised'
    """
    pre = flow[(flow["arm"] == "") & ~flow["excluded"].astype(bool)]
    parts = [f"{n} {stage}" for stage, n in zip(pre["stage"], pre["n"])]
    last = alive_stage(study, study.timepoints[-1].id)
    alive = [str(stage_count(flow, last, arm)) for arm in study.arm_ids if _has(flow, last, arm)]
    if alive and len(alive) == len(study.arm_ids):
        parts.append(f"{' and '.join(alive)} {last}")
    return ", ".join(parts)


def _has(flow: pd.DataFrame, stage: str, arm: str = "") -> bool:
    return bool(((flow["stage"] == stage) & (flow["arm"] == arm)).any())


def _flow_arithmetic(claims: pd.DataFrame, flow: pd.DataFrame, study) -> list[dict]:
    """The stages before randomisation (``trial.yaml``'s ``flow:``): from the first stage each
    excluded stage is taken away, and every later stage that is not an exclusion must equal what
    is left. Only where every stage up to it is printed; the stages themselves are recorded as
    the parts of that sum."""
    from .claim_kinds import flow_stages

    stages = flow_stages(study.data_dir)
    pre = flow[flow["arm"] == ""].set_index("stage")["n"]
    rows, left, parts, members, checked_stages = [], None, [], [], []
    parts_of = set()  # the claims of the stages a checked sum is made of
    for i, stage in enumerate(stages):
        count = int(pre[stage.stage]) if stage.stage in pre.index else None
        if count is None:
            left = None  # what is left after an unprinted stage is unknown
        elif stage.excluded:
            if left is not None:
                left -= count
                parts.append(f"{count} {stage.stage}")
                members.append(stage.claim)
        else:
            if i and left is not None:
                checked_stages.append((stage, left, " - ".join(parts) + f" = {left}"))
                parts_of.update(members)
            left, parts, members = count, [f"{count} {stage.stage}"], [stage.claim]
    used = set()
    for stage, expected, sum_text in checked_stages:
        for entry in claims[claims["refers_to"] == stage.claim].itertuples():
            entry = pd.Series(entry._asdict())
            rows.append(_claim_row(entry, stage.claim.replace("_", " "), expected,
                                   "flow arithmetic",
                                   "reproduced" if expected == int(entry["value"])
                                   else "inconsistent",
                                   "the first stage minus the exclusions gives the next "
                                   "(Methods; trial.yaml flow)", note=sum_text))
        used.add(stage.claim)
    if checked_stages:
        note = "; ".join(text for _, _, text in checked_stages)
        for stage in stages:
            if stage.claim in used or stage.claim not in parts_of:
                continue
            for entry in claims[claims["refers_to"] == stage.claim].itertuples():
                entry = pd.Series(entry._asdict())
                rows.append(_claim_row(entry, stage.claim.replace("_", " "),
                                       entry["value_printed"], "flow arithmetic", "consistent",
                                       note=f"part of {note}"))
    return rows


@builds
def flow_checks(claims: pd.DataFrame, baseline: pd.DataFrame, outcomes: pd.DataFrame, study,
                rounding: str = "either", statements: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """Ledger rows: the flow's arithmetic (``trial.yaml``'s ``flow:``), the deaths and their
    percentages, the loss to follow-up (where the text gives it), mortality by arm (where a
    sentence of ``statements`` says it did not differ: assertion ``deaths_not_different``), and
    every n of the outcome tables against who was alive. Each check runs only where the text
    prints its inputs: a count it does not print makes no row."""
    arms = study.arm_ids
    last = study.timepoints[-1].id
    flow = participant_flow(claims, baseline, outcomes, study)

    def n(stage, arm=""):
        return stage_count(flow, stage, arm)

    rows = _flow_arithmetic(claims, flow, study)
    covered = {r["claim_id"] for r in rows}
    allocated = [n("allocated", arm) for arm in arms if _has(flow, "allocated", arm)]
    for entry in claims[claims["refers_to"] == "patients_randomized"].itertuples():
        entry = pd.Series(entry._asdict())
        if entry["claim_id"] in covered or len(allocated) != len(arms):
            continue
        total = sum(allocated)
        rows.append(_claim_row(entry, "patients randomised", total, "text against Table 1",
                               "reproduced" if total == int(entry["value"]) else "inconsistent",
                               "the arms of Table 1 are the patients randomised",
                               note=" + ".join(map(str, allocated)) + f" = {total}"))
    for entry in claims[claims["refers_to"] == "patients_per_group"].itertuples():
        entry = pd.Series(entry._asdict())
        sizes = " and ".join(str(n("allocated", arm)) for arm in arms)
        same = all(n("allocated", arm) == int(entry["value"]) for arm in arms)
        rows.append(_claim_row(entry, "patients per group", sizes, "text against Table 1",
                               "reproduced" if same else "inconsistent",
                               "the arm sizes of Table 1's headings"))
    # deaths and withdrawals, and their percentages (of the randomised arm), where the text
    # prints them
    for arm in arms:
        for before, after in periods(study):
            rows += _leaving_rows(claims, outcomes, flow, study, arm, before, after, rounding)
    at_last = alive_stage(study, last)
    known = all(_has(flow, at_last, arm) for arm in arms)
    if (claims["refers_to"] == "lost_to_followup_percent").any() and known:
        lost = claim(claims, "lost_to_followup_percent")
        shares = [cc.percentage(n("allocated", arm) - n(at_last, arm),
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
    if said and known:
        rows.append(mortality_row(flow, study))
    rows += _table_n_rows(outcomes, flow, study)
    return pd.DataFrame(rows)


def _leaving_rows(claims: pd.DataFrame, outcomes: pd.DataFrame, flow: pd.DataFrame, study,
                  arm: str, before: str, after: str, rounding: str) -> list[dict]:
    """Ledger rows of one arm and period, each only where the text prints its count: the deaths
    (and the withdrawals, where it gives them) against the fall of the tables' n, and each
    count's percentage of the randomised arm (``<claim>_percent``). A percentage printed without
    its count is checked against the fall of the tables' n, and says so."""
    printed = set(claims["refers_to"])
    period, a = f"{before}_{after}", arm.lower()
    stage = death_stage(study, before, after)
    left = _withdrawn(claims, arm, before, after)
    drop = _modal_n(outcomes, arm, before) - _modal_n(outcomes, arm, after)
    rows, counts = [], {}
    if f"deaths_arm_{a}_{period}" in printed:
        deaths = claim(claims, f"deaths_arm_{a}_{period}")
        counts["deaths"] = int(deaths["value"])
        expected = counts["deaths"] + (left or 0)
        verdict = "reproduced" if drop == expected else "inconsistent"
        rows.append(_claim_row(
            deaths, f"deaths, arm {arm}, {stage}", drop, "deaths against the tables' n", verdict,
            "all survivors completed all surveys (Results): the n most scales print falls by the "
            "deaths" + ("" if left is None else " and withdrawals"),
            note=f"the n most scales print falls by {drop} from {before} to {after}"
                 + ("" if left is None else f"; {left} withdrew")))
        if left is not None:  # the same sum: one problem with the deaths' row
            withdrawn = claim(claims, f"withdrawn_arm_{a}_{period}")
            counts["withdrawn"] = left
            rows.append(_claim_row(
                withdrawn, f"withdrawals, arm {arm}, {withdrawal_stage(study, before, after)}",
                drop, "deaths against the tables' n", verdict,
                "all patients alive and not withdrawn completed all surveys (Results): the n "
                "most scales print falls by the deaths and withdrawals",
                note=f"the n most scales print falls by {drop} from {before} to {after}; "
                     f"{deaths['value_printed']} died",
                problem=deaths["claim_id"] if verdict == "inconsistent" else ""))
    elif left is not None:
        counts["withdrawn"] = left
    kinds = [("deaths", stage)] + ([] if left is None else
                                   [("withdrawn", withdrawal_stage(study, before, after))])
    for kind, label in kinds:
        name = f"{kind}_arm_{a}_{period}_percent"
        if name not in printed or not _has(flow, "allocated", arm):
            continue
        entry = claim(claims, name)
        of = counts.get(kind, drop - (left or 0) if kind == "deaths" else None)
        if of is None:
            continue
        check = cc.percentage(of, stage_count(flow, "allocated", arm), entry["value_printed"],
                              rounding=rounding).iloc[0]
        source = "" if kind in counts else (
            f"; the text prints no count, so the fall of the tables' n ({of}) is used")
        what = "deaths" if kind == "deaths" else "withdrawals"
        rows.append(_claim_row(entry, f"{what}, arm {arm}, {label} (% of randomised)",
                               check["recomputed"], "percentage",
                               "reproduced" if check["consistency"] == "consistent"
                               else "inconsistent", _percent_assumption(rounding),
                               note=check["reason"] + source))
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
        if not _has(flow, stage, cell["arm"]):
            continue  # the deaths before this timepoint are not printed
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
    total_gy, n, percent`` (as printed); empty where the text names none, or does not print the
    fractions, dose, count and percentage of every schedule in every arm (the dose checks need
    every patient's schedule; the claims are then recorded as unverifiable)."""
    rows = []
    named = set(claims["refers_to"])
    parts = ("fractions", "gy_per_fraction", "n", "percent")
    complete = all(f"rt_schedule_{schedule}gy_arm_{arm.lower()}_{part}" in named
                   for arm in study.arm_ids for schedule in schedules_of(claims)
                   for part in parts)
    for arm in study.arm_ids if complete else ():  # the doses need every patient's schedule
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
        if name not in set(claims["refers_to"]):
            continue  # the text does not print it
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

#: The claims of the sample-size statement; its check runs only where the text prints all four.
SAMPLE_SIZE = ("planned_patients_per_group", "detectable_effect_size_cohens_d", "power_percent",
               "alpha_percent")


def sample_size_inputs(claims: pd.DataFrame) -> dict | None:
    """The planned sample size, effect, power and alpha of the Methods, with the power the
    planned n achieves and the n the stated power needs (pingouin, two-sided two-sample t-test);
    None unless the text states all of it (every claim of :data:`SAMPLE_SIZE`).

    Examples
    --------
    >>> inputs = sample_size_inputs(data.load_claims("data/published"))
    >>> inputs["n"], inputs["d"], round(inputs["achieved_power"], 3)
    (30, 0.8, 0.861)
    """
    import pingouin

    if not set(SAMPLE_SIZE) <= set(claims["refers_to"]):  # not all printed: nothing to compute
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
    """The statement that the planned patients per group detect an effect d with a power at a
    significance level, recomputed with pingouin (two-sample t-test, two-sided); no rows unless
    the text prints all four (:data:`SAMPLE_SIZE`)."""
    if not set(SAMPLE_SIZE) <= set(claims["refers_to"]):  # not all printed: nothing to compute
        return pd.DataFrame(columns=[c for c in COLUMNS if c != "notebook"])
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
        note, elsewhere = ("", "") if same else \
            _misquote_note(entry, file, column, printed, tables, data_dir)
        row = _claim_row(entry, f"{file} {key} {column}", printed,
                         "text against table", "reproduced" if same else "inconsistent",
                         "the text restates the table cell its words name (claims.csv, "
                         "refers_to)", note=note)
        if elsewhere:
            row["possible_if"] = (f"the number belongs to another cell of the same table, "
                                  f"which prints it ({elsewhere}): a second reading of the "
                                  f"sentence")
        rows.append(row)
    return pd.DataFrame(rows)


def _misquote_note(entry, file, column, printed, tables, data_dir) -> tuple[str, str]:
    """The note of a misquoted cell, and the cells of the same table that print the quoted
    number (empty when none does)."""
    table = tables[file]
    same_value = table[table[f"{column}_printed"] == entry["value_printed"]]
    keys = data.key_columns(file, data_dir)
    where = ", ".join(data.row_key(r, keys) for _, r in same_value[keys].iterrows())
    note = f"the table prints {printed} for this cell"
    if where:
        note += f"; {entry['value_printed']} is printed for {where}"
    return note, where


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
    where = claim_kinds.context(study.data_dir)
    for _, entry in claims[~claims["claim_id"].isin(covered)].iterrows():
        name, value = entry["refers_to"], entry["value"]
        found = claim_kinds.match(name, where)
        kind = found[0] if found else None
        pattern = kind.pattern if kind else ""
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
        elif pattern in ("allocation_ratio_arm_{arm}", "number_of_groups"):
            size = baseline.query("characteristic == 'group_size'")["n"].astype(int).tolist()
            same = pattern != "number_of_groups" or value == len(size)
            rows.append(_claim_row(entry, name.replace("_", " "), " : ".join(map(str, size)),
                                   "design restated", "consistent" if same else "inconsistent",
                                   note=f"{len(size)} arms in Table 1, of "
                                        f"{' and '.join(map(str, size))} patients"))
        elif name in ("inclusion_age_min_years", "inclusion_age_max_years") and \
                (baseline["characteristic"] == "age").any():
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
        elif kind is not None and not kind.checkable:
            rows.append(_claim_row(entry, name.replace("_", " "), "", "not checkable here",
                                   "unverifiable", note=kind.reason))
        elif kind is not None:  # a known check whose other inputs the text does not print
            needs = f"; it needs {', '.join(kind.needs)}" if kind.needs else ""
            rows.append(_claim_row(entry, name.replace("_", " "), "", "inputs not printed",
                                   "unverifiable",
                                   note=f"checked against {kind.checked_against}, which the "
                                        f"text does not print in full{needs}"))
        else:
            raise KeyError(f"claim {entry['claim_id']} ({name}) has no kind; add its reason "
                           f"to not_checkable.csv, or use a kind of {KINDS_FILE}")
    return pd.DataFrame(rows)


def describe_misquotes(restated: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Markdown bullets: each number of the text that differs from the table cell it restates."""
    quotes = claims.set_index("claim_id")
    lines = []
    for _, row in restated[restated["verdict"] != "reproduced"].iterrows():
        entry = quotes.loc[row["claim_id"]]
        lines.append(f"- {markup.text(entry['section'].capitalize())}: "
                     f"\u201c{markup.text(entry['quote'])}\u201d "
                     f"({markup.text(entry['refers_to'])}): {markup.text(row['note'])}.")
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
