"""The cohort: participant flow, deaths, radiotherapy schedules, the sample-size statement, and
the numbers of the text that restate a table.

Each function reads the transcription (``helpers.data``) and returns ledger rows
(``helpers.ledger.COLUMNS`` less ``notebook``) or a tidy table behind a figure. The arithmetic is
the paper's own: counts out of the randomised, sums of schedules, a power calculation with
pingouin.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from . import consistency as cc
from . import data
from .ledger import cell_id

ARMS = ("A", "B")


def claim(claims: pd.DataFrame, refers_to: str) -> pd.Series:
    """The first claim of the text naming ``refers_to`` (a quantity name or a table cell).

    Examples
    --------
    >>> claim(data.load_claims(), "patients_screened")["value_printed"]
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
    >>> groups = quote_groups(data.load_claims())
    >>> groups["methods-65"]
    'methods-64'
    """
    first = claims.groupby(["section", "quote"], sort=False)["claim_id"].transform("first")
    return dict(zip(claims["claim_id"], first))


# ---------------------------------------------------------------------------------------------
# Participant flow
# ---------------------------------------------------------------------------------------------

def participant_flow(claims: pd.DataFrame, baseline: pd.DataFrame,
                     outcomes: pd.DataFrame) -> pd.DataFrame:
    """The flow of participants as the text reports it, with the n the tables print.

    One row per stage and arm (``arm`` empty before randomisation): ``stage, arm, n, source``,
    and for the follow-up stages ``printed_n`` (the n of Tables 2, 4 and 5, joined with ``/``
    where scales differ).

    Examples
    --------
    >>> flow = participant_flow(data.load_claims(), data.load_baseline(), data.load_outcomes())
    >>> flow.query("stage == 'alive at 6 months'")["n"].tolist()
    [18, 18]
    """
    value = lambda name: int(claim(claims, name)["value"])  # noqa: E731
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    rows = [
        ("assessed for eligibility", "", value("patients_screened"), "Methods"),
        ("excluded: unstable metastases", "", value("excluded_unstable_metastases"), "Methods"),
        ("excluded: declined", "", value("declined_to_participate"), "Methods"),
        ("randomised", "", value("patients_randomized"), "Methods"),
    ]
    for arm in ARMS:
        a = arm.lower()
        died_3 = value(f"deaths_arm_{a}_t0_t2")
        died_6 = value(f"deaths_arm_{a}_t2_t3")
        rows += [
            ("allocated", arm, int(size[arm]), "Table 1"),
            ("died by 3 months", arm, died_3, "Results"),
            ("alive at 3 months", arm, int(size[arm]) - died_3, "computed"),
            ("died between 3 and 6 months", arm, died_6, "Results"),
            ("alive at 6 months", arm, int(size[arm]) - died_3 - died_6, "computed"),
        ]
    flow = pd.DataFrame(rows, columns=["stage", "arm", "n", "source"])
    printed = outcomes.groupby(["arm", "timepoint"])["n"].agg(
        lambda s: "/".join(str(v) for v in sorted(set(int(x) for x in s))))
    stage_time = {"allocated": "t0", "alive at 3 months": "t2", "alive at 6 months": "t3"}
    flow["printed_n"] = [printed.get((arm, stage_time[stage]), "") if stage in stage_time else ""
                         for stage, arm in zip(flow["stage"], flow["arm"])]
    return flow


def stage_count(flow: pd.DataFrame, stage: str, arm: str = "") -> int:
    """The number of patients at one stage of :func:`participant_flow` (arm "" before
    randomisation).

    Examples
    --------
    >>> flow = participant_flow(data.load_claims(), data.load_baseline(), data.load_outcomes())
    >>> stage_count(flow, "alive at 3 months", "B")
    22
    """
    return int(flow[(flow["stage"] == stage) & (flow["arm"] == arm)]["n"].item())


def flow_checks(claims: pd.DataFrame, baseline: pd.DataFrame, outcomes: pd.DataFrame,
                rounding: str = "either") -> pd.DataFrame:
    """Ledger rows: the flow's arithmetic, the deaths and their percentages, the loss to
    follow-up, mortality by arm, and every n of Tables 2, 4 and 5 against who was alive."""
    flow = participant_flow(claims, baseline, outcomes)

    def n(stage, arm=""):
        return stage_count(flow, stage, arm)

    rows = []
    screened, unstable, declined = (n("assessed for eligibility"),
                                    n("excluded: unstable metastases"), n("excluded: declined"))
    for entry in claims[claims["refers_to"] == "patients_randomized"].itertuples():
        entry = pd.Series(entry._asdict())
        left = screened - unstable - declined
        rows.append(_claim_row(entry, "patients randomised", left, "flow arithmetic",
                               "reproduced" if left == int(entry["value"]) else "inconsistent",
                               "screened minus both exclusions gives the randomised (Methods)",
                               note=f"{screened} screened - {unstable} unstable - {declined} "
                                    f"declined = {left}"))
    allocated = n("allocated", "A") + n("allocated", "B")
    for name in ("patients_screened", "excluded_unstable_metastases", "declined_to_participate"):
        for entry in claims[claims["refers_to"] == name].itertuples():
            entry = pd.Series(entry._asdict())
            rows.append(_claim_row(entry, name.replace("_", " "), entry["value_printed"],
                                   "flow arithmetic", "consistent",
                                   note=f"part of {screened} - {unstable} - {declined} = "
                                        f"{screened - unstable - declined} randomised, the "
                                        f"{allocated} allocated in Table 1"))
    for entry in claims[claims["refers_to"] == "patients_per_group"].itertuples():
        entry = pd.Series(entry._asdict())
        sizes = f"{n('allocated', 'A')} and {n('allocated', 'B')}"
        same = n("allocated", "A") == n("allocated", "B") == int(entry["value"])
        rows.append(_claim_row(entry, "patients per group", sizes, "text against Table 1",
                               "reproduced" if same else "inconsistent",
                               "the arm sizes of Table 1's headings"))
    # deaths and their percentages (of the randomised arm)
    for arm in ARMS:
        a = arm.lower()
        for period, stage in (("t0_t2", "died by 3 months"), ("t2_t3", "died between 3 and 6 months")):
            count_claim = claim(claims, f"deaths_arm_{a}_{period}")
            pct_claim = claim(claims, f"deaths_arm_{a}_{period}_percent")
            before, after = {"t0_t2": ("t0", "t2"), "t2_t3": ("t2", "t3")}[period]
            drop = _modal_n(outcomes, arm, before) - _modal_n(outcomes, arm, after)
            rows.append(_claim_row(count_claim, f"deaths, arm {arm}, {stage}", drop,
                                   "deaths against the tables' n",
                                   "reproduced" if drop == int(count_claim["value"]) else
                                   "inconsistent",
                                   "all survivors completed all surveys (Results): the n most "
                                   "scales print falls by the deaths",
                                   note=f"the n most scales print falls by {drop} from {before} "
                                        f"to {after}"))
            check = cc.percentage(int(count_claim["value"]), n("allocated", arm),
                                  pct_claim["value_printed"], rounding=rounding).iloc[0]
            rows.append(_claim_row(pct_claim, f"deaths, arm {arm}, {stage} (% of randomised)",
                                   check["recomputed"], "percentage",
                                   "reproduced" if check["consistency"] == "consistent"
                                   else "inconsistent", _percent_assumption(rounding),
                                   note=check["reason"]))
    lost = claim(claims, "lost_to_followup_percent")
    shares = [cc.percentage(n("allocated", arm) - n("alive at 6 months", arm),
                            n("allocated", arm), lost["value_printed"], rounding=rounding).iloc[0]
              for arm in ARMS]
    rows.append(_claim_row(lost, "lost to follow-up by death, each arm (%)",
                           " and ".join(s["recomputed"] for s in shares), "percentage",
                           "reproduced" if all(s["consistency"] == "consistent" for s in shares)
                           else "inconsistent", _percent_assumption(rounding),
                           note="; ".join(f"arm {a}: {s['reason']}" for a, s in zip(ARMS, shares))))
    rows.append(mortality_row(flow))
    rows += _table_n_rows(outcomes, flow)
    return pd.DataFrame(rows)


def _percent_assumption(rounding: str) -> str:
    return (f"a count out of the arm's randomised n (Table 1's heading), rounded "
            f"{'half up or half even' if rounding == 'either' else rounding.replace('_', ' ')}")


def _modal_n(outcomes: pd.DataFrame, arm: str, timepoint: str) -> int:
    """The n that most scales print for an arm and timepoint."""
    cells = outcomes[(outcomes["arm"] == arm) & (outcomes["timepoint"] == timepoint)]["n"]
    return int(cells.astype(int).mode().iloc[0])


def mortality_row(flow: pd.DataFrame) -> dict:
    """'Mortality did not differ between groups': Fisher's exact test of deaths by 6 months."""
    from scipy.stats import fisher_exact

    size = [stage_count(flow, "allocated", a) for a in ARMS]
    dead = [s - stage_count(flow, "alive at 6 months", a) for s, a in zip(size, ARMS)]
    p = fisher_exact([[dead[0], size[0] - dead[0]], [dead[1], size[1] - dead[1]]]).pvalue
    return _row("results:mortality_did_not_differ", "Results", "mortality by arm at 6 months",
                "did not differ", f"{dead[0]}/{size[0]} vs {dead[1]}/{size[1]}; Fisher p = {p:.3f}",
                "test from counts", "reproduced" if p > 0.05 else "not_reproducible",
                "two-sided Fisher's exact test at alpha 0.05",
                note="deaths by 6 months from the text")


def _table_n_rows(outcomes: pd.DataFrame, flow: pd.DataFrame) -> list[dict]:
    """Every n of Tables 2, 4 and 5 against the patients alive ('All surviving patients
    completed all surveys')."""
    alive = {("A", "t0"): "allocated", ("B", "t0"): "allocated", ("A", "t2"): "alive at 3 months",
             ("B", "t2"): "alive at 3 months", ("A", "t3"): "alive at 6 months",
             ("B", "t3"): "alive at 6 months"}
    rows = []
    keys = data.key_columns("outcomes")
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

SCHEDULES = ("10x3", "14x2_5", "20x2")


def radiotherapy_schedules(claims: pd.DataFrame) -> pd.DataFrame:
    """The fractionation schedules of the Methods: ``arm, schedule, fractions, gy_per_fraction,
    total_gy, n, percent`` (as printed)."""
    rows = []
    for arm in ARMS:
        for schedule in SCHEDULES:
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
    return pd.DataFrame(rows)


def _median(values: list[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def radiotherapy_checks(claims: pd.DataFrame, baseline: pd.DataFrame,
                        rounding: str = "either") -> pd.DataFrame:
    """Ledger rows: each schedule's count and percentage, the counts per arm, and the median and
    range of the fraction dose and the total dose over all patients."""
    schedules = radiotherapy_schedules(claims)
    size = baseline.query("characteristic == 'group_size'").set_index("arm")["n"].astype(int)
    by_id = claims.set_index("claim_id", drop=False)
    rows = []
    for arm in ARMS:
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

def sample_size_inputs(claims: pd.DataFrame) -> dict:
    """The planned sample size, effect, power and alpha of the Methods, with the power the
    planned n achieves and the n the stated power needs (pingouin, two-sided two-sample t-test).

    Examples
    --------
    >>> inputs = sample_size_inputs(data.load_claims())
    >>> inputs["n"], inputs["d"], round(inputs["achieved_power"], 3)
    (30, 0.8, 0.861)
    """
    import pingouin

    d = float(claim(claims, "detectable_effect_size_cohens_d")["value"])
    power = float(claim(claims, "power_percent")["value"]) / 100
    alpha = float(claim(claims, "alpha_percent")["value"]) / 100
    n = int(claim(claims, "planned_patients_per_group")["value"])
    achieved = float(pingouin.power_ttest(d=d, n=n, alpha=alpha, contrast="two-samples",
                                          alternative="two-sided"))
    needed = float(pingouin.power_ttest(d=d, power=power, alpha=alpha, contrast="two-samples",
                                        alternative="two-sided"))
    return dict(n=n, d=d, power=power, alpha=alpha, achieved_power=achieved, needed_n=needed)


def sample_size_checks(claims: pd.DataFrame) -> pd.DataFrame:
    """The statement that 30 patients per group detect d = 0.8 with 80% power at alpha 5%,
    recomputed with pingouin (two-sample t-test, two-sided)."""
    inputs = sample_size_inputs(claims)
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

def restated_checks(claims: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Ledger rows: each number of the text that restates a table cell (``refers_to`` of the form
    ``file:key:column``) against that cell as printed."""
    rows = []
    for _, entry in claims[claims["refers_to"].str.contains(":", regex=False)].iterrows():
        file, key, column = entry["refers_to"].split(":")
        printed = data.printed_cell(tables, entry["refers_to"], f"claim {entry['claim_id']}")
        same = printed == entry["value_printed"]
        note = "" if same else _misquote_note(entry, file, column, printed, tables)
        rows.append(_claim_row(entry, f"{file} {key} {column}", printed,
                               "text against table", "reproduced" if same else "inconsistent",
                               "the text restates the table cell its words name (claims.csv, "
                               "refers_to)", note=note))
    return pd.DataFrame(rows)


def _misquote_note(entry, file, column, printed, tables) -> str:
    table = tables[file]
    same_value = table[table[f"{column}_printed"] == entry["value_printed"]]
    where = ", ".join(data.row_key(r, data.key_columns(file))
                      for _, r in same_value[data.key_columns(file)].iterrows())
    note = f"the table prints {printed} for this cell"
    if where:
        note += f"; {entry['value_printed']} is printed for {where}"
    return note


# ---------------------------------------------------------------------------------------------
# The other numbers of the text
# ---------------------------------------------------------------------------------------------

#: Assessment schedule of the Methods: t2 three months (twelve weeks) after the start of
#: radiotherapy, t3 six months.
SCHEDULE = {"timepoint_t2_months": 3, "assessment_t2_months": 3, "timepoint_t2_weeks": 12,
            "timepoint_t3_months": 6, "assessment_t3_months": 6}
#: Numbers that describe the design or cite other studies: no data of this trial can check them.
NOT_CHECKABLE = {
    "cancer_patients_with_fatigue_percent": "cites other studies (Background)",
    "moderate_fatigue_advanced_cancer_percent": "cites another study",
    "depression_anxiety_prevalence_min_percent": "cites another study",
    "depression_anxiety_prevalence_max_percent": "cites another study",
    "recruitment_start_year": "recruitment dates: not in the published data",
    "recruitment_end_year": "recruitment dates: not in the published data",
    "unstable_tumor_occupancy_percent": "definition of an unstable vertebra (eligibility)",
    "supervised_training_weeks": "intervention schedule",
    "control_therapy_weeks": "intervention schedule",
    "home_training_sessions_per_week": "intervention schedule",
    "session_duration_min_arm_a": "intervention schedule",
    "session_duration_min_arm_b": "intervention schedule",
    "number_of_exercises": "intervention schedule",
    "photon_energy_mv": "radiotherapy technique",
    "patients_rt_spinal_metastases_in_period": "planning estimate of the Methods",
    "patients_expected_eligible": "planning estimate of the Methods",
    "effect_size_low_upper_bound": "the paper's own effect-size convention (Cohen's conventions "
                                   "are 0.2, 0.5 and 0.8)",
    "effect_size_moderate_lower_bound": "the paper's own effect-size convention",
    "effect_size_moderate_upper_bound": "the paper's own effect-size convention",
    "effect_size_strong_lower_bound": "the paper's own effect-size convention",
    "survival_benefit_threshold_months": "interpretation in the Discussion",
    "recommended_exclusion_karnofsky_below": "recommendation for future trials (Discussion)",
    "mean_followup_months": "follow-up times are not published; with every death before 6 "
                            "months and the last assessment at 6 months, a mean of 6.3 months "
                            "needs follow-up beyond the last assessment",
}


def text_claim_rows(claims: pd.DataFrame, outcomes: pd.DataFrame, baseline: pd.DataFrame,
                    covered: set[str]) -> pd.DataFrame:
    """Ledger rows for the numbers of the text that no other check of this notebook covers: the
    assessment schedule, the instruments' ranges and sizes, the design, and citations."""
    rows = []
    ranges = {"bm22": ("BM22", 0, 100), "fa13": ("FA13", 0, 100), "qscr10": ("QSCR10", 0, 50)}
    scales = outcomes.groupby("instrument")["scale"].nunique()
    for _, entry in claims[~claims["claim_id"].isin(covered)].iterrows():
        name, value = entry["refers_to"], entry["value"]
        if name in SCHEDULE:
            same = value == SCHEDULE[name]
            rows.append(_claim_row(entry, name.replace("_", " "), SCHEDULE[name],
                                   "design restated", "consistent" if same else "inconsistent",
                                   "the assessment schedule of the Methods",
                                   note="assessments at t0, t2 (3 months, twelve weeks) and t3 "
                                        "(6 months) in the Methods"))
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
        elif name in ("bm22_scales", "fa13_scales"):
            instrument = name.split("_")[0].upper()
            count = int(scales[instrument])
            rows.append(_claim_row(entry, f"{instrument} scales", count, "count of tables' scales",
                                   "reproduced" if count == value else "inconsistent",
                                   "every scale of the instrument is in the results tables",
                                   note=f"scales of {instrument} in the results tables"))
        elif name in ("bm22_items", "fa13_items"):
            rows.append(_claim_row(entry, name.replace("_", " "), "", "instrument size",
                                   "unverifiable", note="the tables report scales, not items"))
        elif name in ("psychosocial_subscale_first_question", "psychosocial_subscale_last_question"):
            rows.append(_claim_row(entry, name.replace("_", " "), entry["value_printed"],
                                   "text against table", "reproduced",
                                   note="Table 3 lists items 17 to 22"))
        elif name in ("allocation_ratio_arm_a", "allocation_ratio_arm_b", "number_of_groups"):
            size = baseline.query("characteristic == 'group_size'")["n"].astype(int).tolist()
            rows.append(_claim_row(entry, name.replace("_", " "), " : ".join(map(str, size)),
                                   "design restated", "consistent",
                                   note="two arms of equal size in Table 1"))
        elif name in ("inclusion_age_min_years", "inclusion_age_max_years"):
            ages = baseline.query("characteristic == 'age'")["mean"]
            inside = ages.between(18, 80).all()
            rows.append(_claim_row(entry, name.replace("_", " "), f"mean ages {ages.min():g} and "
                                   f"{ages.max():g}", "design restated",
                                   "consistent" if inside else "inconsistent",
                                   "a mean of ages within the inclusion range lies in it",
                                   note="ages are not published individually; means lie inside"))
        elif name == "inclusion_karnofsky_min":
            low = baseline.query("characteristic == 'karnofsky_ps'")["min"].min()
            rows.append(_claim_row(entry, "inclusion Karnofsky minimum", f"{low:g}",
                                   "design restated", "consistent" if low >= value
                                   else "inconsistent", "every patient met the inclusion "
                                   "criterion", note="Table 1 Karnofsky minimum"))
        elif name in NOT_CHECKABLE:
            rows.append(_claim_row(entry, name.replace("_", " "), "", "not checkable here",
                                   "unverifiable", note=NOT_CHECKABLE[name]))
        else:
            raise KeyError(f"claim {entry['claim_id']} ({name}) has no check; add one to "
                           "helpers.cohort.text_claim_rows")
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


def describe_dose_range(claims: pd.DataFrame) -> dict:
    """The printed range of total doses and the totals the schedules give, for the prose."""
    schedules = radiotherapy_schedules(claims)
    totals = sorted({_gy(t) for t in schedules["total_gy"]}, key=float)
    low, high = (claim(claims, name)["value_printed"] for name in ("total_dose_gy_min",
                                                                   "total_dose_gy_max"))
    return {"printed_range": f"{low}-{high} Gy", "schedule_totals": ", ".join(totals) + " Gy"}
