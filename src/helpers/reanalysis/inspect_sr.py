"""INSPECT-SR, the trustworthiness tool of systematic reviews, answered from a trial's evidence.

The tool's 21 checks in 4 domains, and how this engine answers each, are data
(``data/claims/inspect_sr.yaml``, :func:`load`): a check is

``automated``
    answered from the ledger's rows of named check families (or a results table, such as the
    baseline balance); ``partial: true`` when the engine sees only part of what the check asks;
``from_data``
    answered by a fact the user records in the trial's folder (``inspect_sr_facts.csv``: check,
    answer, source, date, note; :func:`read_facts`), never by the engine itself;
``needs_reviewer``
    left to a person, with what to look for.

:func:`assess` gives one row per check (:data:`COLUMNS`): the tool's answer (yes, no, unclear),
the judgement it contributes, the evidence (ledger claim ids with the anchor of their row on the
ledger page, ``claim#row-...``, or facts) and who must still look. The rules:

- a failed ledger row gives the answer and judgement its tier of proof maps to (the YAML's
  ``tiers``: proven and discrepancy "yes", assumption "unclear", all some concerns; misstatement
  "no", no concerns); serious concerns come only from a fact (a retraction) or a reviewer, since
  the tool asks that one "yes" not trigger them by itself;
- a check with nothing failed is "no concerns" only when the engine sees all the check asks
  (not ``partial``) and decided at least one row; otherwise it needs a reviewer;
- nothing is answered without evidence: no row, no fact, no answer.

:func:`domains` and :func:`overall` judge by the tool's rule (the most severe judgement), with one
rule of this engine for what is missing: a check or domain that needs a reviewer never lets its
domain (or the study) read "no concerns"; some or serious concerns found stand, since what is
missing can only add to them. Beside it, ``judgement_answered`` judges only what has been answered
(by the engine or a recorded fact; empty where nothing is): a clean trial's domain 4 reads "needs
a reviewer" (4.1, 4.2, 4.5 and 4.7 need a person) and, in this column, "no concerns" from the
checks the engine answered. A reviewer reads the first; a screen of many trials can sort on the
second, which never stands for the checks nobody has done.

Examples
--------
>>> tool = load()
>>> [len(d["checks"]) for d in tool["domains"]]
[3, 5, 2, 11]
>>> ledger = pd.DataFrame([dict(claim_id="outcomes:Q/s/B/t2:mean", check="GRIM",
...     verdict="inconsistent", tier="proven", problem="outcomes:Q/s/B/t2", assumption="a")])
>>> row = assess(ledger, data_dir=None, results_dir=None).set_index("check").loc["4.8"]
>>> row["answer"], row["judgement"]
('yes (proven under every ordinary reading: 1 problem)', 'some concerns')
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pandas as pd

from ..methods.ledger import TIERS, assign_tiers, parse_claim_id, row_anchor
from . import ledger as ledger_table
from . import paths, results
from .yamlfile import loads

__all__ = ["TOOL_FILE", "COLUMNS", "FACT_COLUMNS", "ANSWERED_BY", "InspectSrError", "load",
           "read_facts", "assess", "domains", "overall", "table", "write"]

#: The tool as data, relative to the project root.
TOOL_FILE = "data/claims/inspect_sr.yaml"
#: The columns of ``results/inspect_sr.csv``: one row per check, then per domain, then overall.
COLUMNS = ["check", "domain", "question", "answered_by", "answer", "judgement",
           "judgement_answered", "evidence", "who_must_look"]
#: The columns of a trial's ``inspect_sr_facts.csv``.
FACT_COLUMNS = ["check", "answer", "source", "date", "note"]
#: How the engine may answer a check.
ANSWERED_BY = ("automated", "from_data", "needs_reviewer")
_DECIDED = ("reproduced", "consistent", "inconsistent", "not_reproducible")


class InspectSrError(ValueError):
    """The tool's YAML or a trial's facts file is malformed: the message names file and key."""


def _fail(source, where: str, message: str):
    raise InspectSrError(f"{source}: {where}: {message}")


def _text(value, source, where) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(source, where, f"must be non-empty text, not {value!r}")
    return value


def load(path: str | os.PathLike | None = None) -> dict:
    """The tool as data (``data/claims/inspect_sr.yaml`` by default), validated.

    Every error names the file and the key (``domains[3].checks[7] (4.8).ledger.families``).

    Examples
    --------
    >>> tool = load()
    >>> tool["tool"], sum(len(d["checks"]) for d in tool["domains"])
    ('INSPECT-SR', 21)
    >>> [c["id"] for c in tool["domains"][3]["checks"] if c["answered_by"] == "automated"]
    ['4.3', '4.4', '4.6', '4.8', '4.9', '4.10', '4.11']
    """
    path = paths.resolve(path if path is not None else TOOL_FILE)
    source = str(path)
    tool = loads(Path(path).read_text(encoding="utf-8"), source)
    if not isinstance(tool, dict):
        _fail(source, "top level", "must be a mapping")
    for key in ("tool", "version", "reference", "needs_reviewer"):
        _text(tool.get(key), source, key)
    rules = tool.get("rules")
    if not isinstance(rules, dict):
        _fail(source, "rules", "must state the domain and overall rules")
    for key in ("domain", "overall"):
        _text(rules.get(key), source, f"rules.{key}")
    scale = tool.get("judgements")
    if not isinstance(scale, list) or len(scale) != 3 or not all(isinstance(j, str) for j in scale):
        _fail(source, "judgements", "must list the 3 judgements, least severe first")
    facts = tool.get("facts")
    if not isinstance(facts, dict) or facts.get("columns") != FACT_COLUMNS:
        _fail(source, "facts.columns", f"must be {FACT_COLUMNS}")
    _text(facts.get("file"), source, "facts.file")
    answers = facts.get("answers")
    if not isinstance(answers, list) or not answers:
        _fail(source, "facts.answers", "must list the tool's answers to a check")

    def outcome(value, where):
        if not isinstance(value, dict) or value.get("answer") not in answers \
                or value.get("judgement") not in scale:
            _fail(source, where, f"must give an answer of {answers} and a judgement of {scale}")
        return value

    tiers = tool.get("tiers")
    if not isinstance(tiers, dict) or set(tiers) != set(TIERS):
        _fail(source, "tiers", f"must map every tier of proof: {', '.join(TIERS)}")
    for name, value in tiers.items():
        outcome(value, f"tiers.{name}")
    reasons = tool.get("tier_reasons")
    if reasons is not None and (not isinstance(reasons, dict)
                                or not set(reasons) <= set(TIERS) | {"not_reproducible"}
                                or not all(isinstance(v, str) and v.strip()
                                           for v in reasons.values())):
        _fail(source, "tier_reasons", "must map tiers of proof (or not_reproducible) to the "
              "reason, in words, for their judgement")
    outcome(tool.get("not_reproducible"), "not_reproducible")
    registration = tool.get("registration_documents")
    if not isinstance(registration, dict) or not all(
            isinstance(registration.get(k), list) for k in ("names", "prefixes")):
        _fail(source, "registration_documents", "must list names and prefixes")
    unmapped = tool.get("unmapped_families")
    if not isinstance(unmapped, dict):
        _fail(source, "unmapped_families", "must map each family no check uses to why")
    domains_ = tool.get("domains")
    if not isinstance(domains_, list) or not domains_:
        _fail(source, "domains", "must list the tool's domains")
    seen = set()
    for d, domain in enumerate(domains_):
        where = f"domains[{d}]"
        if not isinstance(domain, dict) or domain.get("id") != d + 1:
            _fail(source, f"{where}.id", f"must be {d + 1} (domains in order)")
        _text(domain.get("name"), source, f"{where}.name")
        if not isinstance(domain.get("checks"), list) or not domain["checks"]:
            _fail(source, f"{where}.checks", "must list the domain's checks")
        for c, check in enumerate(domain["checks"]):
            at = f"{where}.checks[{c}]"
            if not isinstance(check, dict):
                _fail(source, at, "must be a mapping")
            cid = check.get("id")
            if cid != f"{d + 1}.{c + 1}":
                _fail(source, f"{at}.id", f"must be '{d + 1}.{c + 1}' (checks in order), "
                                          f"not {cid!r}")
            at = f"{at} ({cid})"
            seen.add(cid)
            for key in ("question", "guidance"):
                _text(check.get(key), source, f"{at}.{key}")
            how = check.get("answered_by")
            if how not in ANSWERED_BY:
                _fail(source, f"{at}.answered_by", f"must be one of {ANSWERED_BY}, not {how!r}")
            if not isinstance(check.get("look_for"), str):
                _fail(source, f"{at}.look_for", "must be text (empty when nothing is left)")
            if how != "automated" or check.get("partial"):
                _text(check.get("look_for"), source, f"{at}.look_for")
            if check.get("if_yes", scale[1]) not in scale:
                _fail(source, f"{at}.if_yes", f"must be one of {scale}")
            if how == "automated":
                ledger, table = check.get("ledger"), check.get("results")
                if (ledger is None) == (table is None):
                    _fail(source, at, "an automated check names either ledger families or a "
                                      "results table")
                if ledger is not None:
                    families = ledger.get("families") if isinstance(ledger, dict) else None
                    if not isinstance(families, list) or not families or not all(
                            isinstance(f, str) for f in families):
                        _fail(source, f"{at}.ledger.families", "must list ledger check families")
                    if ledger.get("publications", "all") not in ("all", "registration",
                                                                 "other"):
                        _fail(source, f"{at}.ledger.publications",
                              "must be all, registration or other")
                else:
                    for key in ("file", "flag"):
                        _text(table.get(key), source, f"{at}.results.{key}")
                    outcome(table.get("flagged"), f"{at}.results.flagged")
    return tool


def _checks(tool: dict):
    for domain in tool["domains"]:
        for check in domain["checks"]:
            yield domain, check


def read_facts(data_dir: str | os.PathLike | None, tool: dict | None = None) -> pd.DataFrame:
    """The user's answers to the ``from_data`` checks (``<data_dir>/inspect_sr_facts.csv``,
    columns :data:`FACT_COLUMNS`), validated: a known ``from_data`` check, one of the tool's
    answers, a source and an ISO date (when the fact was looked up). Empty when absent.

    Examples
    --------
    >>> read_facts(None).columns.tolist()
    ['check', 'answer', 'source', 'date', 'note']
    """
    tool = tool or load()
    empty = pd.DataFrame(columns=FACT_COLUMNS)
    if data_dir is None:
        return empty
    path = paths.resolve(data_dir) / tool["facts"]["file"]
    if not path.is_file():
        return empty
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(facts.columns) != FACT_COLUMNS:
        _fail(path, "columns", f"are {list(facts.columns)}, expected {FACT_COLUMNS}")
    from_data = {c["id"] for _, c in _checks(tool) if c["answered_by"] == "from_data"}
    for i, fact in facts.iterrows():
        where = f"row {i + 2} (check {fact['check']})"
        if fact["check"] not in from_data:
            _fail(path, where, f"not a check answered from data: {', '.join(sorted(from_data))}")
        if fact["answer"] not in tool["facts"]["answers"]:
            _fail(path, where, f"answer must be one of {tool['facts']['answers']}")
        if not fact["source"].strip():
            _fail(path, where, "a fact needs its source (where it was looked up)")
        try:
            datetime.date.fromisoformat(fact["date"])
        except ValueError:
            _fail(path, where, f"date {fact['date']!r} must be YYYY-MM-DD (when it was looked up)")
    if facts["check"].duplicated().any():
        _fail(path, "check", "one fact per check")
    return facts


def _publication_kind(claim: str, registration: dict) -> str:
    parsed = parse_claim_id(claim)
    name = parsed[1][0] if parsed and parsed[0] == "related" and parsed[1] else ""
    is_registration = name in registration["names"] or any(
        name.startswith(p) for p in registration["prefixes"])
    return "registration" if is_registration else "other"


def _evidence(rows: pd.DataFrame) -> str:
    return "; ".join(f"{r.claim_id}#{row_anchor(r.claim_id, r.check, r.assumption)}"
                     for r in rows.itertuples())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _reviewer(text: str) -> str:
    return f"a reviewer: {text}"


def _row(domain, check, answer, judgement, evidence="", who=""):
    return dict(check=check["id"], domain=str(domain["id"]), question=check["question"],
                answered_by=check["answered_by"], answer=answer, judgement=judgement,
                evidence=evidence, who_must_look=who)


def _answered(judgements: list[str], tool: dict) -> str:
    """The judgement of what has been answered (empty judgements are checks or domains that
    need a reviewer): the most severe, "no concerns" when all are; empty when none is answered."""
    found = [j for j in judgements if j]
    return _worst(found, tool["judgements"]) if found else ""


def _worst(judgements, scale) -> str:
    return max(judgements, key=scale.index)


def _from_ledger(domain, check, ledger: pd.DataFrame, tool: dict) -> dict:
    scale, spec = tool["judgements"], check["ledger"]
    rows = ledger[ledger["check"].isin(spec["families"])]
    kind = spec.get("publications", "all")
    if kind != "all":
        kinds = rows["claim_id"].map(lambda c: _publication_kind(c, tool["registration_documents"]))
        rows = rows[kinds == kind]
    decided = rows[rows["verdict"].isin(_DECIDED)]
    look = check["look_for"] if check.get("partial") else ""
    if decided.empty:
        return _row(domain, check, "not answered (no ledger row the published data decide)",
                    tool["needs_reviewer"], "", _reviewer(check["guidance"] if not look else look))
    failed = decided[decided["verdict"] == "inconsistent"]
    unreproduced = decided[decided["verdict"] == "not_reproducible"]
    outcomes, parts, who = [], [], []
    # A problem (the rows of one error) counts once, under the strongest tier among its rows.
    problem = failed["problem"].where(failed["problem"] != "", failed["claim_id"])
    rank = failed["tier"].map(lambda tier: list(TIERS).index(tier) if tier in TIERS else None)
    if rank.isna().any():
        raise InspectSrError(f"ledger: inconsistent rows with an unknown tier of proof: "
                             f"{sorted(failed.loc[rank.isna(), 'claim_id'])}")
    strongest = rank.groupby(problem).min()
    for index, tier in enumerate(TIERS):
        n = int((strongest == index).sum())
        if not n:
            continue
        outcomes.append(tool["tiers"][tier])
        parts.append(f"{TIERS[tier]}: {_plural(n, 'problem')}")
        if tool["tiers"][tier].get("reviewer_decides_serious"):
            who.append(_reviewer(f"whether the problems {TIERS[tier]} ({n}) are grave enough "
                                 "for serious concerns, or slips of reporting"))
    if not unreproduced.empty:
        outcomes.append(tool["not_reproducible"])
        parts.append(f"{_plural(len(unreproduced), 'row')} not reproduced under the named model")
        who.append(_reviewer("whether a variant of the test or definition explains the rows "
                             "not reproduced"))
    if failed.empty and unreproduced.empty:
        judgement = tool["needs_reviewer"] if look else scale[0]
        return _row(domain, check, f"no (none of {_plural(len(decided), 'row')} failed)",
                    judgement, _evidence(decided), _reviewer(look) if look else "")
    order = tool["facts"]["answers"]
    answer = min((o["answer"] for o in outcomes), key=order.index)
    judgement = _worst([o["judgement"] for o in outcomes], scale)
    if judgement == scale[0] and look:
        judgement = tool["needs_reviewer"]
    if look:
        who.append(_reviewer(look))
    return _row(domain, check, f"{answer} ({'; '.join(parts)})", judgement,
                _evidence(pd.concat([failed, unreproduced])), "; ".join(who))


def _from_results(domain, check, results_dir, tool: dict) -> dict:
    spec = check["results"]
    frame = pd.DataFrame() if results_dir is None else \
        results.read_csv(spec["file"].removesuffix(".csv"), results_dir)
    if frame.empty or spec["flag"] not in frame.columns:
        return _row(domain, check, f"not answered (no {spec['file']})", tool["needs_reviewer"],
                    "", _reviewer(check["look_for"]))
    keys = spec.get("key") or []
    name = lambda r: f"{spec['file']}:{'/'.join(str(r[k]) for k in keys)}"  # noqa: E731
    flagged = frame[frame[spec["flag"]].str.lower() == "true"]
    look = _reviewer(check["look_for"])
    if flagged.empty:
        judgement = tool["needs_reviewer"] if check.get("partial") else tool["judgements"][0]
        return _row(domain, check, f"no (none of {_plural(len(frame), 'row')} flagged)",
                    judgement, "; ".join(name(r) for _, r in frame.iterrows()), look)
    out = spec["flagged"]
    return _row(domain, check, f"{out['answer']} ({_plural(len(flagged), 'row')} flagged "
                               f"{spec['flag']})", out["judgement"],
                "; ".join(name(r) for _, r in flagged.iterrows()), look)


def assess(ledger: pd.DataFrame, data_dir: str | os.PathLike | None,
           results_dir: str | os.PathLike | None, tool: dict | None = None) -> pd.DataFrame:
    """One row per check of the tool (:data:`COLUMNS`), answered from ``ledger`` (the ledger's
    rows, every column text), the facts of ``data_dir`` and the results tables of
    ``results_dir`` (either may be None: nothing of it is used).

    Raises :class:`InspectSrError` for a ledger family that no check answers and that the YAML
    does not list as unmapped (a new family must be placed before it is judged).

    Examples
    --------
    >>> clean = pd.DataFrame([dict(claim_id="outcomes:Q/s/B/t2:mean", check="GRIM",
    ...     verdict="consistent", tier="", problem="", assumption="a")])
    >>> out = assess(clean, None, None).set_index("check")
    >>> out.loc["4.8", "judgement"], out.loc["1.1", "judgement"], out.loc["1.1", "answer"]
    ('no concerns', 'needs a reviewer', 'not answered (no fact recorded)')
    """
    tool = tool or load()
    ledger = ledger.fillna("").astype(str)
    for column in ("claim_id", "check", "verdict", "tier", "problem", "assumption", "possible_if"):
        if column not in ledger.columns:
            ledger[column] = ""
    untiered = (ledger["verdict"] == "inconsistent") & (ledger["tier"] == "")
    if untiered.any():  # a ledger combined before tiers existed: the ledger's own rule fills them
        ledger.loc[untiered, "tier"] = assign_tiers(ledger[untiered],
                                                    ledger_table.CHECK_TIERS)["tier"]
    known = {f for _, c in _checks(tool) for f in (c.get("ledger") or {}).get("families", [])}
    unknown = set(ledger["check"]) - known - set(tool["unmapped_families"])
    if unknown:
        raise InspectSrError(f"{TOOL_FILE}: no check answers the ledger families "
                             f"{sorted(unknown)}; map them or list them in unmapped_families")
    facts = read_facts(data_dir, tool).set_index("check")
    out = []
    for domain, check in _checks(tool):
        how = check["answered_by"]
        if how == "needs_reviewer":
            out.append(_row(domain, check, "not answered (needs a person)", tool["needs_reviewer"],
                            "", _reviewer(check["look_for"])))
        elif how == "from_data":
            if check["id"] not in facts.index:
                out.append(_row(domain, check, "not answered (no fact recorded)",
                                tool["needs_reviewer"], "", _reviewer(check["look_for"])))
                continue
            fact = facts.loc[check["id"]]
            answer = fact["answer"]
            judgement = {"yes": check.get("if_yes", tool["judgements"][1]),
                         "unclear": tool["judgements"][1]}.get(answer, tool["judgements"][0])
            text = f"{answer} (recorded {fact['date']} from {fact['source']}" + \
                (f": {fact['note']})" if fact["note"] else ")")
            out.append(_row(domain, check, text, judgement,
                            f"{tool['facts']['file']}:{check['id']}", ""))
        elif "ledger" in check:
            out.append(_from_ledger(domain, check, ledger, tool))
        else:
            out.append(_from_results(domain, check, results_dir, tool))
    frame = pd.DataFrame(out, columns=COLUMNS)
    frame["judgement_answered"] = frame["judgement"].where(
        frame["judgement"] != tool["needs_reviewer"], "")
    return frame


def _judge(judgements: list[str], tool: dict) -> tuple[str, bool]:
    """The judgement of a group of judgements and whether it is complete."""
    scale, missing = tool["judgements"], tool["needs_reviewer"]
    found = [j for j in judgements if j != missing]
    complete = len(found) == len(judgements)
    worst = _worst(found, scale) if found else scale[0]
    if worst != scale[0]:
        return worst, complete
    return (scale[0] if complete else missing), complete


def domains(assessment: pd.DataFrame, tool: dict | None = None) -> pd.DataFrame:
    """One row per domain: the most severe judgement of its checks; "needs a reviewer" instead
    of "no concerns" while any of its checks needs one (some or serious concerns stand).

    Examples
    --------
    >>> tool = load()
    >>> rows = [dict(check=c["id"], domain=str(d["id"]), judgement="no concerns")
    ...         for d in tool["domains"] for c in d["checks"]]
    >>> rows[0]["judgement"] = "needs a reviewer"; rows[20]["judgement"] = "some concerns"
    >>> domains(pd.DataFrame(rows), tool)["judgement"].tolist()
    ['needs a reviewer', 'no concerns', 'no concerns', 'some concerns']
    """
    tool = tool or load()
    out = []
    for domain in tool["domains"]:
        rows = assessment[assessment["domain"] == str(domain["id"])]
        judgement, complete = _judge(rows["judgement"].tolist(), tool)
        missing = rows[rows["judgement"] == tool["needs_reviewer"]]["check"].tolist()
        concerns = rows[~rows["judgement"].isin([tool["judgements"][0],
                                                 tool["needs_reviewer"]])]["check"].tolist()
        answer = "complete" if complete else \
            f"incomplete: {len(missing)} of {len(rows)} checks need a reviewer"
        answered = rows["judgement"].where(rows["judgement"] != tool["needs_reviewer"], "")
        out.append(dict(check=f"domain {domain['id']}", domain=str(domain["id"]),
                        question=domain["name"], answered_by="", answer=answer,
                        judgement=judgement,
                        judgement_answered=_answered(answered.tolist(), tool),
                        evidence="; ".join(concerns),
                        who_must_look=_reviewer(f"checks {', '.join(missing)}") if missing else ""))
    return pd.DataFrame(out, columns=COLUMNS)


def overall(domain_rows: pd.DataFrame, tool: dict | None = None) -> pd.DataFrame:
    """The study's judgement: the most severe domain, by the same rule for what is missing; where
    two or more domains have some concerns a reviewer is asked whether together they are serious
    (the tool allows it; the engine does not decide it).

    Examples
    --------
    >>> rows = pd.DataFrame(dict(domain=list("1234"), check=[f"domain {i}" for i in "1234"],
    ...     judgement=["no concerns", "some concerns", "no concerns", "some concerns"]))
    >>> row = overall(rows).iloc[0]
    >>> row["judgement"], row["who_must_look"]
    ('some concerns', 'a reviewer: whether the some concerns of domains 2, 4 are together serious')
    """
    tool = tool or load()
    judgement, complete = _judge(domain_rows["judgement"].tolist(), tool)
    some = domain_rows[domain_rows["judgement"] == tool["judgements"][1]]["domain"].tolist()
    missing = domain_rows[domain_rows["judgement"] == tool["needs_reviewer"]]["domain"].tolist()
    who = []
    if missing:
        who.append(_reviewer(f"domains {', '.join(missing)}"))
    if len(some) >= 2 and judgement != tool["judgements"][2]:
        who.append(_reviewer(f"whether the some concerns of domains {', '.join(some)} are "
                             "together serious"))
    concerns = domain_rows[~domain_rows["judgement"].isin(
        [tool["judgements"][0], tool["needs_reviewer"]])]["check"].tolist()
    answered = domain_rows["judgement_answered"] if "judgement_answered" in domain_rows else \
        domain_rows["judgement"].where(domain_rows["judgement"] != tool["needs_reviewer"], "")
    return pd.DataFrame([dict(check="overall", domain="", question=f"{tool['tool']}: overall",
                              answered_by="", answer="complete" if complete else
                              f"incomplete: {len(missing)} of {len(domain_rows)} domains need a "
                              "reviewer", judgement=judgement,
                              judgement_answered=_answered(answered.tolist(), tool),
                              evidence="; ".join(concerns),
                              who_must_look="; ".join(who))], columns=COLUMNS)


def table(ledger: pd.DataFrame, data_dir, results_dir, tool: dict | None = None) -> pd.DataFrame:
    """The whole assessment: the checks, then the domains, then the overall row.

    Examples
    --------
    >>> full = table(pd.DataFrame(columns=["claim_id", "check", "verdict"]), None, None)
    >>> len(full), full["judgement"].iloc[-1]
    (26, 'needs a reviewer')
    """
    tool = tool or load()
    checks = assess(ledger, data_dir, results_dir, tool)
    by_domain = domains(checks, tool)
    return pd.concat([checks, by_domain, overall(by_domain, tool)], ignore_index=True)


def write(data_dir: str | os.PathLike, results_dir: str | os.PathLike = "results",
          out_dir: str | os.PathLike | None = None) -> Path:
    """Assess the trial of ``data_dir`` from the ledger and results of ``results_dir`` and write
    ``<out_dir>/inspect_sr.csv`` (``out_dir`` defaults to ``results_dir``); returns the path.

    Examples
    --------
    >>> import tempfile
    >>> out = write("data/published", "results", tempfile.mkdtemp())
    >>> pd.read_csv(out)["check"].iloc[-1]
    'overall'
    """
    frame = table(ledger_table.read(results_dir), data_dir, results_dir)
    return results.write_csv(frame, "inspect_sr", out_dir if out_dir is not None else results_dir)

