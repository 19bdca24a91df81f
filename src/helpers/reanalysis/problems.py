"""The problems of the ledger for a reader: each with its tier of proof, the single innocent slip
that would explain it, whether it bears on a finding of the paper, and a rank.

A problem is what :func:`helpers.methods.ledger.problems` groups: the ``inconsistent`` rows of
one table cell or one claim. This module adds what a clinician, an editor or the authors need
to weigh it:

- ``explanation``: the innocent explanation, the one slip that would make the printed value what
  it is. It is read off the evidence where the evidence names one (a reading under which the value
  is possible, ``possible_if``; an n that makes a mean possible; a correction with its reason,
  ``corrections.csv``), else it is the slip the check's family suggests (:data:`SLIPS`).
- ``severity``: does it change a conclusion of the paper? A problem of an outcome cell bears on a
  finding when the paper reports that comparison as significant (its printed p below ``alpha``);
  a sentence that over- or understates a result bears on how a finding is worded; a number of
  the text that differs from its table cell but falls on the same side of ``alpha`` changes no
  finding; a baseline, design or flow number is descriptive (:data:`SEVERITIES`).
- ``group``: problems with one plausible shared cause are one group, ranked and told once: the
  cells of one instrument, arm and timepoint (the patients who answered then: another n, missing
  items), and scale-wide problems of one instrument that one reading would make possible.
- ``rank``: by severity, then tier of proof (:data:`helpers.methods.ledger.TIER_ORDER`), then
  the order of the ledger.

All of it is rule-based and engine vocabulary: nothing here names this trial.
"""

from __future__ import annotations

import re

import pandas as pd

from ..methods.ledger import TIER_ORDER, TIERS, parse_claim_id, problems

__all__ = ["SEVERITIES", "SLIPS", "ranked", "tier_counts", "plural"]

#: Does a problem change a conclusion of the paper? Levels, most serious first.
SEVERITIES = {
    "finding": "bears on a finding the paper reports",
    "wording": "changes how a finding is worded",
    "documents": "a question of which document is right",
    "none": "changes no finding",
}

#: The innocent slip each check family suggests where the evidence names none.
SLIPS = {
    "percentage": "a slip in typing the percentage or its count",
    "dose arithmetic": "a schedule the Methods do not list, or a slip in typing the dose",
    "mean within range": "a slip in typing the mean or its range",
    "minimum from counts": "a slip in typing the minimum",
    "n against participant flow": "one patient more or fewer counted at that timepoint",
    "text against another publication": "the plan changed between the documents, or one of them "
                                        "words it loosely",
    "statement against Methods": "loose wording: the sentence may mean less than it says",
    "statement against tables": "a summary worded more strongly (or weakly) than the table it "
                                "summarises",
    "text against table": "a number copied from the wrong cell",
}
_N_POSSIBLE = re.compile(r"possible with n = ([0-9, -]+)")


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` with the noun that agrees with it.

    Examples
    --------
    >>> plural(1, "problem"), plural(3, "problem"), plural(1, "is", "are"), plural(0, "analysis", "analyses")
    ('1 problem', '3 problems', '1 is', '0 analyses')
    """
    many = many if many is not None else one + "s"
    return f"{count} {one if count == 1 else many}"


def _nearest_n(text: str, printed_n: int | None) -> int | None:
    match = _N_POSSIBLE.search(str(text))
    if not match or printed_n is None:
        return None
    values = []
    for part in match.group(1).split(","):
        part = part.strip()
        if "-" in part:
            low, high = part.split("-")
            values += range(int(low), int(high) + 1)
        elif part:
            values.append(int(part))
    return min(values, key=lambda n: (abs(n - printed_n), n)) if values else None


def _explanation(rows: pd.DataFrame, first: pd.Series, corrections: pd.DataFrame,
                 outcomes: pd.DataFrame | None) -> str:
    if str(first.get("possible_if", "")).strip():
        return f"it is possible if read so: {first['possible_if']}"
    parsed = parse_claim_id(first["claim_id"])
    for claim in rows["claim_id"] if corrections is not None and len(corrections) else ():
        cell = parse_claim_id(claim)
        if cell is None:
            continue
        file, key, column = cell
        fix = corrections[(corrections["file"] == file)
                          & (corrections["row_key"] == "/".join(key))
                          & (corrections["column"] == column)]
        if len(fix):
            return (f"a slip in typing: {fix['corrected'].iloc[0]} printed as "
                    f"{fix['printed'].iloc[0]} (the corrections give the reason)")
    if parsed is not None and parsed[0] == "outcomes" and outcomes is not None:
        printed_n = _printed_n(outcomes, parsed[1])
        for _, row in rows.iterrows():
            nearest = _nearest_n(row["recomputed"], printed_n)
            if nearest is not None and nearest != printed_n:
                return (f"the mean and SD computed over {nearest} patients, not the "
                        f"{printed_n} printed")
    return SLIPS.get(first["check"], "a slip in transcription")


def _printed_n(outcomes: pd.DataFrame, key) -> int | None:
    instrument, scale, arm, timepoint = (list(key) + [None] * 4)[:4]
    cell = outcomes[(outcomes["instrument"] == instrument) & (outcomes["scale"] == scale)
                    & (outcomes["arm"] == arm) & (outcomes["timepoint"] == timepoint)]
    return int(cell["n"].iloc[0]) if len(cell) else None


def _published_p(effects: pd.DataFrame, instrument: str, scale: str, timepoint: str | None):
    rows = effects[(effects["instrument"] == instrument)
                   & ((effects["scale"] == scale) | (scale == "*"))]
    if timepoint not in (None, "*"):
        rows = rows[rows["contrast"].str.endswith(f"-{timepoint}")]
    return pd.to_numeric(rows["p"], errors="coerce").dropna()


def _severity(rows: pd.DataFrame, first: pd.Series, tier: str, effects: pd.DataFrame,
              alpha: float, study) -> tuple[str, str]:
    parsed = parse_claim_id(first["claim_id"])
    by_problem = parse_claim_id(f"{first['problem']}:x")
    if by_problem is not None and by_problem[0] == "outcomes":
        parsed = by_problem
    if parsed is not None and parsed[0] == "outcomes":
        instrument, scale = parsed[1][0], parsed[1][1]
        timepoint = parsed[1][3] if len(parsed[1]) > 3 else None
        if timepoint == study.baseline.id:
            return "none", "a baseline value"
        p = _published_p(effects, instrument, scale, timepoint)
        if (p < alpha).any():
            return "finding", f"reported as significant (p = {p[p < alpha].min():g})"
        return "none", "reported as not significant"
    if tier == "misstatement":
        return "wording", ""
    if tier == "discrepancy" and first["check"] != "text against table":
        return "documents", "the authors can say which holds"
    if first["check"] == "text against table":
        try:
            published, recomputed = float(first["published"]), float(first["recomputed"])
        except ValueError:
            return "documents", "the text and its table disagree"
        if first["quantity"].endswith(" p") and (published < alpha) == (recomputed < alpha):
            return "none", f"both values fall on the same side of alpha = {alpha:g}"
        return "finding", "the text and its table disagree about a test"
    return "none", "a descriptive number"


def ranked(table: pd.DataFrame, study, effects: pd.DataFrame, alpha: float = 0.05,
           corrections: pd.DataFrame | None = None,
           outcomes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ledger's problems (:func:`helpers.methods.ledger.problems`) ranked for a reader, with
    ``tier_words``, ``explanation``, ``severity`` (a key of :data:`SEVERITIES`),
    ``severity_words``, ``severity_reason``, ``group`` (problems with one shared cause have one)
    and ``rank`` (1 = most serious; a group shares its rank).

    ``effects`` is the published effects table (for the p of each comparison), ``corrections``
    the corrections of the transcription, ``outcomes`` the outcome table (for the printed n).
    """
    found = problems(table)
    if found.empty:
        return found.assign(tier_words="", explanation="", severity="", severity_words="",
                            severity_reason="", group="", rank=0)
    failed = table[table["verdict"] == "inconsistent"]
    out = []
    for _, problem in found.iterrows():
        rows = failed[failed["problem"] == problem["problem"]]
        strongest = rows[rows["tier"] == problem["tier"]] if "tier" in rows else rows
        first = strongest.iloc[0]
        severity, reason = _severity(rows, first, problem["tier"], effects, alpha, study)
        explanation = _explanation(rows, first, corrections, outcomes)
        parsed = parse_claim_id(f"{problem['problem']}:x") or parse_claim_id(first["claim_id"])
        if parsed is not None and parsed[0] == "outcomes" and len(parsed[1]) > 3 \
                and "*" not in (parsed[1][2], parsed[1][3]):
            # the cells of one instrument, arm and timepoint: one plausible shared cause (the
            # patients who answered then), whichever check proves each
            group = "|".join([parsed[1][0], parsed[1][2], parsed[1][3]])
        elif parsed is not None and parsed[0] == "outcomes" and len(parsed[1]) > 3:
            group = "|".join([parsed[1][0], parsed[1][2], parsed[1][3], explanation])
        else:
            group = problem["problem"]
        out.append(dict(problem, tier_words=TIERS[problem["tier"]], explanation=explanation,
                        severity=severity, severity_words=SEVERITIES[severity],
                        severity_reason=reason, group=group))
    frame = pd.DataFrame(out)
    frame["_order"] = range(len(frame))
    frame["_severity"] = frame["severity"].map(list(SEVERITIES).index)
    frame["_tier"] = frame["tier"].map(TIER_ORDER.index)
    first_of_group = frame.groupby("group", sort=False)[["_severity", "_tier", "_order"]].transform(
        "min")
    frame = frame.assign(_g_severity=first_of_group["_severity"], _g_tier=first_of_group["_tier"],
                         _g_order=first_of_group["_order"])
    frame = frame.sort_values(["_g_severity", "_g_tier", "_g_order", "_order"], kind="stable")
    ranks = {group: rank for rank, group in enumerate(dict.fromkeys(frame["group"]), start=1)}
    frame["rank"] = frame["group"].map(ranks)
    return frame.drop(columns=[c for c in frame.columns if c.startswith("_")]).reset_index(
        drop=True)


def tier_counts(table: pd.DataFrame) -> dict[str, int]:
    """The number of problems of each tier of proof (:data:`helpers.methods.ledger.TIERS`),
    every tier present (zero where none), adding up to the ledger's problems.

    Examples
    --------
    >>> rows = pd.DataFrame(dict(claim_id=["a:1:mean", "a:1:sd", "b"], source="t",
    ...     quantity="q", published="1", recomputed="", check="GRIM", assumption="x", note="",
    ...     notebook="n", verdict="inconsistent", problem=["a:1", "a:1", "b"],
    ...     possible_if=["", "", "with missing items"], tier=["proven", "proven", "assumption"]))
    >>> tier_counts(rows)
    {'proven': 1, 'assumption': 1, 'discrepancy': 0, 'misstatement': 0}
    """
    found = problems(table)
    counts = found["tier"].value_counts() if len(found) else pd.Series(dtype=int)
    return {tier: int(counts.get(tier, 0)) for tier in TIER_ORDER}
