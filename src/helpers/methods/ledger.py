"""A claims ledger's row schema and proof standard: one row per published number or claim checked.

Columns: ``claim_id, source, quantity, published, recomputed, check, verdict, problem, assumption,
note, notebook, made_by, when, section, possible_if, tier``. ``claim_id`` names the published number:
``<file>:<key>:<column>`` for a table cell (the key's fields joined by ``/``; made by
:func:`claim_id`, the one place that spells it), or any other identifier for a number in the text
or a sentence.

Each row says where it comes from: ``made_by`` names the function that made it (stamped by the
:func:`builds` decorator on every function that returns ledger rows), ``when`` the timepoint or
contrast its claim id names, in words (filled by whoever knows the trial), and ``section`` the
heading anchor of the chapter section that computed it (:func:`in_section`), so a page can link
each row to it (:func:`section_link`).

The verdict model has a proof standard:

- ``inconsistent`` means that arithmetic proves the printed number impossible under the row's
  stated ``assumption`` about the data (integer responses, an item count, an n, a rounding
  rule). Only the checks of the proof families may give it (:data:`PROOF_FAMILIES`, which an
  application may extend with its own), and only with an assumption; :func:`validate` refuses
  anything else.
- What depends on a model of the analysis (which test, which effect-size definition, which r) is
  ``reproduced``, ``consistent`` or ``not_reproducible`` with the model named in ``assumption``,
  or ``unverifiable`` when no model is identified.
- Robustness (multiplicity, attrition, priors) says nothing about whether a printed number is
  possible: it does not belong in a ledger.

Every ``inconsistent`` row has a ``tier`` of proof (:data:`TIERS`, :func:`assign_tiers`): the
weakest reading under which the printed value still fails decides how far the proof reaches.
``possible_if`` names an ordinary reading under which the printed value would be possible (a
builder that tries the other readings fills it; :func:`other_readings` fills it from the rows of
the same claim and check under another assumption); such a row is proven only under its
contestable assumption. Checks that compare two documents, or a sentence with the Methods, give a
discrepancy; checks of a sentence's words against the numbers it cites, an over- or
understatement (an application names them, :func:`validate`'s ``tiers``).

``problem`` groups the ``inconsistent`` rows that are one error (:func:`problem_of`): the rows of
one table cell (its n, mean and SD; a GRIMMER row adds nothing to an impossible mean), or what a
builder knows to be one error (both ends of one impossible printed range). It is empty on every
other row.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

__all__ = ["COLUMNS", "FILLED", "VERDICTS", "FAILED", "PROOF_FAMILIES", "FROM_CONSISTENCY",
           "TIERS", "TIER_ORDER", "assign_tiers", "other_readings",
           "claim_id", "cell_id", "parse_claim_id", "problem_of", "builds", "anchor_of", "in_section",
           "validate", "summary", "problems", "section_link", "row_anchor"]

COLUMNS = ["claim_id", "source", "quantity", "published", "recomputed", "check", "verdict",
           "problem", "assumption", "note", "notebook", "made_by", "when", "section", "possible_if",
           "tier"]
#: The columns :func:`validate` fills itself (or leaves empty) when a builder leaves them out.
FILLED = ("notebook", "problem", "made_by", "when", "section", "possible_if", "tier")
#: The tiers of proof of an ``inconsistent`` row, strongest first, each as a reader reads it.
TIERS = {
    "proven": "proven under every ordinary reading",
    "assumption": "proven only under an assumption a reader can contest",
    "discrepancy": "a discrepancy between documents or readings",
    "misstatement": "an overstatement or understatement",
}
TIER_ORDER = tuple(TIERS)
#: reproduced: recomputed and equal; consistent: possible under the stated assumption;
#: inconsistent: impossible under it (arithmetic proves it; proof families only);
#: not_reproducible: recomputation under the named model gives another value; unverifiable: the
#: published data cannot decide, or no model is identified.
VERDICTS = ("reproduced", "consistent", "inconsistent", "not_reproducible", "unverifiable")
#: The proof families of arithmetic: the only checks whose rows may be ``inconsistent`` (with those
#: an application adds, :func:`validate`'s ``families``), each with what it proves impossible
#: (under the assumption its rows state).
PROOF_FAMILIES = {
    "GRIM": "a mean that no n values on the scale's grid give",
    "GRIMMER": "an SD that no n values on the scale's grid with that mean give",
    "DEBIT": "an SD of binary data that no count out of n gives",
    "GRIM over item counts": "a mean that no item count of the scale makes possible",
    "GRIM jointly over a scale's means": "means of one scale that no single item count makes "
                                         "possible together",
    "GRIM jointly over a module's scales": "means of a module's scales that together need more "
                                           "items than the module has",
    "percentage": "a percentage that no rounding of its count over its total gives",
    "counts add up": "counts of exclusive levels that do not add to their total",
    "count within arm": "a count larger than its arm",
    "range and scale": "a value off its scale, outside its range or below an inclusion criterion",
    "mean within range": "a mean outside its own printed range",
    "mean within bounds from counts": "a mean that the counts of its levels cannot give",
    "minimum from counts": "a minimum that the counts of its levels contradict",
}
#: The verdicts of helpers.methods.consistency, as ledger verdicts.
FROM_CONSISTENCY = {"consistent": "consistent", "inconsistent": "inconsistent",
                    "unverifiable": "unverifiable"}
#: The verdicts of a check that failed.
FAILED = ("inconsistent", "not_reproducible")


def claim_id(file: str, key, quantity: str) -> str:
    """The claim id of a published number of a table: ``<file>:<key>:<quantity>``, e.g.
    ``outcomes:Q1/pain/A/t0:mean``. ``key`` is the row's key, its fields joined by
    ``/`` (a string as ``data.row_key`` gives it, or the fields; ``*`` for every value of a field,
    as in a claim about all the means of a scale); ``quantity`` the column or what is claimed of
    the row (``p``, ``effect_size``).

    Examples
    --------
    >>> claim_id("baseline", "age//A", "mean")
    'baseline:age//A:mean'
    >>> claim_id("effects", ("Q1", "pain", "t0-t3"), "p")
    'effects:Q1/pain/t0-t3:p'
    >>> claim_id("outcomes", ["Q2", "fatigue", "*", "*"], "mean")
    'outcomes:Q2/fatigue/*/*:mean'
    """
    if not isinstance(key, str):
        key = "/".join(str(field) for field in key)
    for part, what in ((file, "file"), (key, "key"), (quantity, "quantity")):
        if ":" in str(part):
            raise ValueError(f"a claim id's {what} may not contain ':': {part!r}")
    if not file or not quantity:
        raise ValueError(f"a claim id needs a file and a quantity: {file!r}, {quantity!r}")
    return f"{file}:{key}:{quantity}"


#: The former name of :func:`claim_id` (a table cell's id), the same function.
cell_id = claim_id


def parse_claim_id(claim: str) -> tuple[str, tuple[str, ...], str] | None:
    """``(file, key fields, quantity)`` of a table claim id (:func:`claim_id`), ``None`` for any
    other claim (a number of the text, a sentence).

    Examples
    --------
    >>> parse_claim_id("items:17/A/t0:mean")
    ('items', ('17', 'A', 't0'), 'mean')
    >>> parse_claim_id("results-22") is None
    True
    """
    parts = str(claim).split(":")
    if len(parts) != 3:
        return None
    return parts[0], tuple(parts[1].split("/")), parts[2]


def problem_of(claim_id: str) -> str:
    """The problem a row about ``claim_id`` belongs to when it is ``inconsistent``: the table cell
    without its column (so an n, its mean and its SD are one problem), otherwise the claim itself.

    Text claims that quote one stretch of text (both ends of a range) are grouped by their
    builder, which knows the quotes.

    Examples
    --------
    >>> problem_of("outcomes:Q1/pain/B/t2:sd")
    'outcomes:Q1/pain/B/t2'
    >>> problem_of("results-22")
    'results-22'
    """
    parsed = parse_claim_id(claim_id)
    return str(claim_id) if parsed is None else f"{parsed[0]}:{'/'.join(parsed[1])}"


def builds(function):
    """Decorator for a function that returns ledger rows (a data frame, a list of row dicts or one
    row dict): it stamps ``made_by`` with the function's full name
    (``package.module.function``) on every row that has none yet, so a row made by an inner
    builder keeps that builder's name.

    Examples
    --------
    >>> @builds
    ... def demo_rows():
    ...     return pd.DataFrame({"claim_id": ["x:1:mean"]})
    >>> demo_rows()["made_by"].item()
    'helpers.methods.ledger.demo_rows'
    """
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def builder(*args, **kwargs):
        return _stamp(function(*args, **kwargs), name)

    builder.made_by = name
    return builder


def _stamp(made, name: str):
    if isinstance(made, pd.DataFrame):
        made = made.copy()
        if "made_by" not in made.columns:
            made["made_by"] = name
        else:
            blank = made["made_by"].isna() | (made["made_by"].astype(str).str.strip() == "")
            made.loc[blank, "made_by"] = name
        return made
    if isinstance(made, dict):
        return made if made.get("made_by") else {**made, "made_by": name}
    if isinstance(made, list) and all(isinstance(row, dict) for row in made):
        return [_stamp(row, name) for row in made]
    raise TypeError(f"{name} is a ledger.builds builder but returned "
                    f"{type(made).__name__}, not ledger rows")


_ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def anchor_of(heading: str) -> str:
    """The id the book gives a section heading: lower case, every run of other characters than
    letters and digits a hyphen, none at either end.

    Examples
    --------
    >>> anchor_of("Table 7: the items")
    'table-7-the-items'
    >>> anchor_of("The paper's claims about these results")
    'the-paper-s-claims-about-these-results'
    """
    anchor = re.sub(r"[^a-z0-9]+", "-", str(heading).lower()).strip("-")
    if not anchor:
        raise ValueError(f"{heading!r}: no letter or digit to make a heading anchor of")
    return anchor


def in_section(frame: pd.DataFrame, anchor: str) -> pd.DataFrame:
    """``frame``'s rows tagged with the anchor of the chapter section that computed them: the id
    the book gives that section's heading (lower case, every run of other characters a hyphen:
    ``## The trial's other publications`` is ``the-trial-s-other-publications``).

    Examples
    --------
    >>> in_section(pd.DataFrame({"claim_id": ["x:1:mean"]}), "participant-flow")["section"].item()
    'participant-flow'
    """
    if not isinstance(anchor, str) or not _ANCHOR.fullmatch(anchor):
        raise ValueError(f"{anchor!r} is not a heading anchor (lower-case words joined by "
                         "hyphens, as the book writes a heading's id)")
    return frame.assign(section=anchor)


def validate(frame: pd.DataFrame, notebook: str, families=PROOF_FAMILIES, tiers=None
             ) -> pd.DataFrame:
    """Validate ledger rows and put them in the ledger's column order.

    ``problem``, ``made_by``, ``when``, ``section`` and ``possible_if`` may be absent (empty); an
    ``inconsistent`` row without a problem gets :func:`problem_of` its claim, and every other row
    an empty one. ``tier`` is assigned by :func:`assign_tiers` (with ``tiers``, the checks that are
    not proofs of impossibility).

    Raises ``ValueError`` naming the problem: a missing column, an unknown verdict, an empty
    claim id or check, the same (claim_id, check, assumption) twice, or an ``inconsistent`` row
    outside the proof ``families`` or without its assumption.

    Examples
    --------
    >>> row = dict(claim_id="t:k:mean", source="a table", quantity="mean", published="5.19",
    ...            recomputed="", check="GRIM", verdict="inconsistent", assumption="integers",
    ...            note="")
    >>> validate(pd.DataFrame([row]), "chapter")[["problem", "notebook"]].values.tolist()
    [['t:k', 'chapter']]
    >>> validate(pd.DataFrame([{**row, "check": "my model"}]), "chapter")
    Traceback (most recent call last):
    ...
    ValueError: ledger row for 't:k:mean' is inconsistent by check 'my model', which is not a proof family: a model-dependent check is consistent, not_reproducible or unverifiable
    """
    missing = [c for c in COLUMNS if c not in frame.columns and c not in FILLED]
    if missing:
        raise ValueError(f"ledger rows lack column(s): {', '.join(missing)}")
    frame = frame.assign(**{c: "" for c in FILLED if c not in frame.columns})
    table = frame.assign(notebook=notebook)[COLUMNS].copy()
    table = table.fillna("").astype(str)
    unknown = sorted(set(table["verdict"]) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict(s) {unknown}; use one of: {', '.join(VERDICTS)}")
    for column in ("claim_id", "check", "source", "published"):
        if (table[column].str.strip() == "").any():
            first = int((table[column].str.strip() == "").to_numpy().nonzero()[0][0])
            raise ValueError(f"ledger row {first} has an empty {column}")
    proven = table["verdict"] == "inconsistent"
    outside = proven & ~table["check"].isin(families)
    if outside.any():
        row = table[outside].iloc[0]
        raise ValueError(f"ledger row for {row['claim_id']!r} is inconsistent by check "
                         f"{row['check']!r}, which is not a proof family: "
                         "a model-dependent check is consistent, not_reproducible or "
                         "unverifiable")
    bare = proven & (table["assumption"].str.strip() == "")
    if bare.any():
        row = table[bare].iloc[0]
        raise ValueError(f"ledger row for {row['claim_id']!r} is inconsistent without an "
                         "assumption: a proof needs the assumption it rests on")
    table["problem"] = table["problem"].where(proven, "")
    table.loc[proven & (table["problem"] == ""), "problem"] = \
        table.loc[proven & (table["problem"] == ""), "claim_id"].map(problem_of)
    duplicated = table.duplicated(["claim_id", "check", "assumption"], keep=False)
    if duplicated.any():
        twice = table.loc[duplicated, ["claim_id", "check", "assumption"]].iloc[0].tolist()
        raise ValueError(f"ledger row recorded twice: claim {twice[0]!r}, check {twice[1]!r}, "
                         f"assumption {twice[2]!r}")
    return assign_tiers(table, tiers).reset_index(drop=True)


def assign_tiers(table: pd.DataFrame, tiers=None) -> pd.DataFrame:
    """``table`` with the ``tier`` of proof of every ``inconsistent`` row (:data:`TIERS`), empty
    on every other row.

    ``tiers`` maps a check to its tier when it is not a proof of impossibility
    (``"discrepancy"``, ``"misstatement"``), or to a pair ``(tier, tier when possible_if)`` when
    a second reading turns it into another tier. Any other check is ``proven``, or
    ``assumption`` when its row names a reading that would make the value possible
    (``possible_if``).

    Examples
    --------
    >>> rows = pd.DataFrame(dict(check=["GRIM", "GRIM", "percentage", "text against table"],
    ...     verdict=["inconsistent", "inconsistent", "consistent", "inconsistent"],
    ...     possible_if=["", "with one item missing", "", "the parenthesis closes the next clause"]))
    >>> assign_tiers(rows, {"text against table": ("proven", "discrepancy")})["tier"].tolist()
    ['proven', 'assumption', '', 'discrepancy']
    """
    tiers = dict(tiers or {})
    table = table.copy()
    if "possible_if" not in table.columns:
        table["possible_if"] = ""
    table["possible_if"] = table["possible_if"].fillna("").astype(str)

    def tier(row) -> str:
        if row["verdict"] != "inconsistent":
            return ""
        stated = tiers.get(row["check"], ("proven", "assumption"))
        plain, with_reading = (stated, stated) if isinstance(stated, str) else stated
        return with_reading if row["possible_if"].strip() else plain

    table["tier"] = [tier(row) for _, row in table.iterrows()] if len(table) else []
    unknown = set(table["tier"]) - set(TIERS) - {""}
    if unknown:
        raise ValueError(f"unknown tier(s) {sorted(unknown)}; use one of: {', '.join(TIERS)}")
    return table


def other_readings(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``possible_if`` filled on every ``inconsistent`` row whose claim another
    row of the same check finds possible under another assumption (``consistent``,
    ``reproduced``, or ``unverifiable``: the data cannot exclude it): that row's assumption.
    A row that already names its reading keeps it.

    Examples
    --------
    >>> rows = pd.DataFrame(dict(claim_id=["t:k:mean"] * 2, check=["GRIM"] * 2,
    ...     verdict=["inconsistent", "unverifiable"], possible_if=["", ""],
    ...     assumption=["complete items", "missing items allowed"]))
    >>> other_readings(rows)["possible_if"].tolist()
    ['missing items allowed', '']

    Only what differs from the row's own assumption is named (its parts split at ``;`` or ``,``):

    >>> rows["assumption"] = ["6 items, complete items", "6 items, missing items allowed"]
    >>> other_readings(rows)["possible_if"].tolist()
    ['missing items allowed', '']
    """
    table = table.copy()
    if "possible_if" not in table.columns:
        table["possible_if"] = ""
    table["possible_if"] = table["possible_if"].fillna("").astype(str)
    passing = table[table["verdict"].isin(("consistent", "reproduced", "unverifiable"))]
    readings = passing.groupby(["claim_id", "check"], sort=False)["assumption"].agg(list)
    for index, row in table[table["verdict"] == "inconsistent"].iterrows():
        others = readings.get((row["claim_id"], row["check"]))
        if others and not row["possible_if"].strip():
            own = set(_parts(row["assumption"]))
            differing = ["; ".join(p for p in _parts(other) if p not in own) or other
                         for other in others]
            table.at[index, "possible_if"] = "; or ".join(dict.fromkeys(differing))
    return table


def _parts(assumption: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]\s+", str(assumption)) if part.strip()]


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and verdict, verdicts as columns."""
    counts = table.groupby(["check", "verdict"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])


def problems(table: pd.DataFrame) -> pd.DataFrame:
    """The distinct proven problems of a ledger: one row per ``problem``, in ledger order, with
    ``source`` (where it is printed), ``what`` (the first row's quantity), ``printed`` (the
    printed values), ``checks`` (the proofs), ``rows`` (how many ledger rows prove it), ``tier``
    (the strongest tier of proof among its rows, :data:`TIERS`), ``assumption``, ``possible_if``
    and ``note`` of its first row of that tier, and ``link`` (its section, from the ledger page).

    Examples
    --------
    >>> ledger = pd.DataFrame([dict(claim_id="t:k:mean", source="a table", quantity="mean",
    ...     published="5.19", recomputed="", check="GRIM", verdict="inconsistent", problem="t:k",
    ...     assumption="integers", note="", notebook="chapter_1", section="sample-size")])
    >>> problems(ledger)[["problem", "checks", "rows", "tier", "link"]].values.tolist()
    [['t:k', 'GRIM', 1, 'proven', 'chapter_1.html#sample-size']]
    """
    proven = table[table["verdict"] == "inconsistent"]
    if "tier" not in proven.columns or (proven["tier"].fillna("") == "").any():
        proven = assign_tiers(proven)
    out = []
    for problem, group in proven.groupby("problem", sort=False):
        rank = group["tier"].map(TIER_ORDER.index)
        first = group.loc[rank.idxmin()]
        out.append(dict(
            problem=problem, source=first["source"], what=first["quantity"],
            printed=", ".join(dict.fromkeys(group["published"])),
            checks=", ".join(dict.fromkeys(group["check"])), rows=len(group),
            tier=first["tier"], assumption=first["assumption"],
            possible_if=first["possible_if"], note=first["note"],
            link=section_link(first["notebook"], first.get("section", ""))))
    return pd.DataFrame(out, columns=["problem", "source", "what", "printed", "checks", "rows",
                                      "tier", "assumption", "possible_if", "note", "link"])


def row_anchor(claim: str, check: str, assumption: str = "") -> str:
    """The HTML id of a ledger row on the ledger page (the annotated tables link to it): ``row-``
    and a short digest of the row's key (claim id, check, assumption), stable from build to build.

    Examples
    --------
    >>> row_anchor("items:17/A/t0:mean", "GRIM", "integer answers")
    'row-3d40317d7e81'
    """
    import hashlib

    digest = hashlib.sha1(f"{claim}|{check}|{assumption}".encode("utf-8")).hexdigest()
    return f"row-{digest[:12]}"


def section_link(notebook: str, section: str = "") -> str:
    """Relative link from the ledger page to ``section`` (a heading anchor) of ``notebook``'s
    page, or to the page when no section is known.

    Examples
    --------
    >>> section_link("chapter_1", "sample-size"), section_link("chapter_1")
    ('chapter_1.html#sample-size', 'chapter_1.html')
    """
    return f"{notebook}.html#{section}" if section else f"{notebook}.html"
