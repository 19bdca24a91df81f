"""The claims ledger, ``results/ledger.csv``: one row per published number or claim checked.

Columns: ``claim_id, source, quantity, published, recomputed, check, verdict, problem, assumption,
note, notebook, made_by, when, section``. ``claim_id`` names the published number:
``<file>:<key>:<column>`` for a table cell of ``data/published`` (the key's fields joined by
``/``, as in ``claims.csv``'s ``refers_to``; made by :func:`claim_id`, the one place that spells
it), the ``claim_id`` of ``claims.csv`` for a number in the text, or the ``statement_id`` of
``statements.csv`` for a sentence.

Each row says where it comes from: ``made_by`` names the function that made it
(``helpers.cohort.flow_checks``; stamped by the :func:`builds` decorator on every function that
returns ledger rows), ``when`` is the timepoint or contrast its claim id names, in the words of
the trial description (``"baseline to 6 months"``, ``"3 months"``; empty when it names none;
:func:`when_of`), and ``section`` the heading anchor of the chapter section that computed it
(``participant-flow``), which the notebook gives with :func:`in_section` when it collects its
rows, so the ledger page links each row to it (:func:`section_link`).

The verdict model has a proof standard:

- ``inconsistent`` means that arithmetic proves the printed number impossible under the row's
  stated ``assumption`` about the data (integer responses, an item count, the n of the flow, a
  rounding rule). Only the checks of :data:`PROOF_FAMILIES` may give it, and only with an
  assumption; :func:`rows` refuses anything else.
- What depends on a model of the analysis (which test, which effect-size definition, which r) is
  ``reproduced``, ``consistent`` or ``not_reproducible`` with the model named in ``assumption``,
  or ``unverifiable`` when no model is identified.
- Robustness (multiplicity, attrition, priors) says nothing about whether a printed number is
  possible: it is not in the ledger (``results/sensitivity.csv`` has it, in its own words).

``problem`` groups the ``inconsistent`` rows that are one error of the paper (:func:`problem_of`):
the rows of one table cell (its n, mean and SD; a GRIMMER row adds nothing to an impossible mean),
of one row of Table 1 (a mean below its own minimum and the impossible minimum), or of one quoted
stretch of text (both ends of an impossible range). It is empty on every other row.

Each notebook records its rows with :func:`record`, which writes the notebook's own fragment,
``results/ledger/<notebook>.csv``; a rerun of a notebook replaces that fragment and no other, so
the ledger never holds a row twice and notebooks running in parallel never write the same file.
The ledger chapter, which runs after them, concatenates the fragments in the order of the
pipeline (``notebooks/params.yaml``) into ``results/ledger.csv`` (:func:`combine`).
"""

from __future__ import annotations

import functools
import os
import re

import pandas as pd

from . import results

__all__ = ["COLUMNS", "VERDICTS", "PROOF_FAMILIES", "FROM_CONSISTENCY", "claim_id", "cell_id",
           "parse_claim_id", "problem_of", "when_of", "builds", "in_section", "rows", "read",
           "record", "notebook_order", "combine", "summary", "problems", "describe_problems",
           "section_link", "row_anchor", "by_table", "FAILED", "html_table"]

COLUMNS = ["claim_id", "source", "quantity", "published", "recomputed", "check", "verdict",
           "problem", "assumption", "note", "notebook", "made_by", "when", "section"]
#: The columns :func:`rows` fills itself when a builder leaves them out.
FILLED = ("notebook", "problem", "made_by", "when", "section")
#: The columns of the ledger page's table (:func:`html_table`), the linked ``notebook`` last;
#: ``problem`` and ``made_by`` are in the claim id's ``title`` (and in the CSV).
PAGE_COLUMNS = ["claim_id", "source", "quantity", "when", "published", "recomputed", "check",
                "verdict", "assumption", "note", "notebook"]
#: reproduced: recomputed and equal; consistent: possible under the stated assumption;
#: inconsistent: impossible under it (arithmetic proves it; proof families only);
#: not_reproducible: recomputation under the named model gives another value; unverifiable: the
#: published data cannot decide, or no model is identified.
VERDICTS = ("reproduced", "consistent", "inconsistent", "not_reproducible", "unverifiable")
#: The proof families: the only checks whose rows may be ``inconsistent``, each with what it
#: proves impossible (under the assumption its rows state).
PROOF_FAMILIES = {
    "GRIM": "a mean that no n values on the scale's grid give",
    "GRIMMER": "an SD that no n values on the scale's grid with that mean give",
    "DEBIT": "an SD of binary data that no count out of n gives",
    "GRIM over item counts": "a mean that no item count of the scale makes possible",
    "GRIM jointly over a scale's means": "means of one scale that no single item count makes "
                                         "possible together",
    "percentage": "a percentage that no rounding of its count over its total gives",
    "counts add up": "counts of exclusive levels that do not add to their total",
    "count within arm": "a count larger than its arm",
    "range and scale": "a value off its scale, outside its range or below an inclusion criterion",
    "mean within range": "a mean outside its own printed range",
    "mean within bounds from counts": "a mean that the counts of its levels cannot give",
    "minimum from counts": "a minimum that the counts of its levels contradict",
    "n against participant flow": "an n that differs from the patients alive",
    "flow arithmetic": "stages of the flow that do not add up",
    "deaths against the tables' n": "deaths that differ from the fall in the tables' n",
    "dose arithmetic": "a dose that the radiotherapy schedules cannot give",
    "text against table": "a number of the text that differs from the table cell it restates",
    "text against Table 1": "a number of the text that differs from Table 1",
    "design restated": "a design number of the text that the tables contradict",
    "means within stated range": "means outside the range the Methods state",
    "count of tables' scales": "a number of scales that the tables contradict",
    "reported metric": "means that cannot be scores on the metric the Methods state",
    "statement against tables": "a sentence that the tables contradict under every reading",
    "statement against Methods": "a sentence that describes an arm otherwise than the Methods",
    "text against another publication": "a fact of the trial that another of its publications "
                                        "states otherwise",
}
#: The verdicts of helpers.consistency, as ledger verdicts.
FROM_CONSISTENCY = {"consistent": "consistent", "inconsistent": "inconsistent",
                    "unverifiable": "unverifiable"}
NAME = "ledger"


def claim_id(file: str, key, quantity: str) -> str:
    """The claim id of a published number of a table: ``<file>:<key>:<quantity>``, e.g.
    ``outcomes:BM22/painful_sites/A/t0:mean``. ``key`` is the row's key, its fields joined by
    ``/`` (a string as ``data.row_key`` gives it, or the fields; ``*`` for every value of a field,
    as in a claim about all the means of a scale); ``quantity`` the column or what is claimed of
    the row (``p``, ``effect_size``).

    Examples
    --------
    >>> claim_id("baseline", "age//A", "mean")
    'baseline:age//A:mean'
    >>> claim_id("effects", ("BM22", "psychosocial_aspects", "t0-t3"), "p")
    'effects:BM22/psychosocial_aspects/t0-t3:p'
    >>> claim_id("outcomes", ["FA13", "physical_fatigue", "*", "*"], "mean")
    'outcomes:FA13/physical_fatigue/*/*:mean'
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
    builder, which knows the quotes (``helpers.cohort``).

    Examples
    --------
    >>> problem_of("outcomes:BM22/psychosocial_aspects/B/t2:sd")
    'outcomes:BM22/psychosocial_aspects/B/t2'
    >>> problem_of("results-22")
    'results-22'
    """
    parsed = parse_claim_id(claim_id)
    return str(claim_id) if parsed is None else f"{parsed[0]}:{'/'.join(parsed[1])}"


def when_of(claim: str, study=None) -> str:
    """The timepoint or contrast a claim id names, in the words of the trial description
    (``trial.yaml``): a contrast's label (``"baseline to 6 months"``) when a field of its key is a
    contrast, else a timepoint's (``"3 months"``); empty when it names neither (a claim of the
    text, a sentence, a claim about every timepoint).

    Examples
    --------
    >>> when_of("effects:BM22/psychosocial_aspects/t0-t3:p")
    'baseline to 6 months'
    >>> when_of("items:17/A/t0:mean"), when_of("outcomes:FA13/mental_fatigue/*/*:mean")
    ('baseline', '')
    """
    parsed = parse_claim_id(claim)
    if parsed is None:
        return ""
    if study is None:
        from . import trial

        study = trial.load()
    fields = parsed[1]
    for field in fields:
        if field in study.contrasts:
            return study.contrast_label(field)
    timepoints = {t.id for t in study.timepoints}
    for field in fields:
        if field in timepoints:
            return study.timepoint_label(field)
    return ""


def builds(function):
    """Decorator for a function that returns ledger rows (a data frame, a list of row dicts or one
    row dict): it stamps ``made_by`` with the function's full name
    (``helpers.cohort.flow_checks``) on every row that has none yet, so a row made by an inner
    builder keeps that builder's name.

    Examples
    --------
    >>> @builds
    ... def demo_rows():
    ...     return pd.DataFrame({"claim_id": ["x:1:mean"]})
    >>> demo_rows()["made_by"].item()
    'helpers.ledger.demo_rows'
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


def rows(frame: pd.DataFrame, notebook: str, study=None) -> pd.DataFrame:
    """Validate ledger rows and put them in the ledger's column order.

    ``problem``, ``made_by`` and ``section`` may be absent (empty); an ``inconsistent`` row
    without a problem gets :func:`problem_of` its claim, and every other row an empty one.
    ``when`` is always derived from the claim id (:func:`when_of`, with the trial ``study``, by
    default the transcription's).

    Raises ``ValueError`` naming the problem: a missing column, an unknown verdict, an empty
    claim id or check, the same (claim_id, check, assumption) twice, or an ``inconsistent`` row
    outside the :data:`PROOF_FAMILIES` or without its assumption.
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
    outside = proven & ~table["check"].isin(PROOF_FAMILIES)
    if outside.any():
        row = table[outside].iloc[0]
        raise ValueError(f"ledger row for {row['claim_id']!r} is inconsistent by check "
                         f"{row['check']!r}, which is not a proof family (ledger.PROOF_FAMILIES): "
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
    if study is None:
        from . import trial

        study = trial.load()
    table["when"] = [when_of(claim, study) for claim in table["claim_id"]]
    return table.reset_index(drop=True)


def read(results_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The whole ledger, ``results/ledger.csv`` (empty, with its columns, when nothing was
    combined yet). A ledger written before the last columns were added (its columns a beginning
    of :data:`COLUMNS`) is read with those columns empty."""
    table = results.read_csv(NAME, results_dir)
    if table.empty and not len(table.columns):
        return pd.DataFrame(columns=COLUMNS)
    if list(table.columns) != COLUMNS[:len(table.columns)] or \
            len(table.columns) <= COLUMNS.index("notebook"):
        raise ValueError(f"{NAME}.csv has columns {list(table.columns)}, expected {COLUMNS}")
    return table.assign(**{c: "" for c in COLUMNS if c not in table.columns})


def record(frame: pd.DataFrame, notebook: str, results_dir: str | os.PathLike | None = None,
           data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Validate ``frame`` as ``notebook``'s rows (:func:`rows`, ``when`` from the trial of
    ``data_dir``), write them to the notebook's fragment ``results/ledger/<notebook>.csv``
    (replacing what the notebook wrote before, and nothing else) and return them.

    Every row needs ``made_by`` (its builder decorated with :func:`builds`) and ``section``
    (:func:`in_section`). Rows are kept in the order given; :func:`combine` puts the notebooks
    in the pipeline's order.
    """
    from . import trial

    new = rows(frame, notebook, trial.load(data_dir))
    for column, remedy in (("made_by", "decorate the function that makes it with ledger.builds"),
                           ("section", "tag it with ledger.in_section(rows, anchor)")):
        blank = new[column].str.strip() == ""
        if blank.any():
            raise ValueError(f"ledger row for {new.loc[blank, 'claim_id'].iloc[0]!r} has no "
                             f"{column}: {remedy}")
    results.write_fragment(new, NAME, notebook, results_dir)
    return new


def notebook_order(config: str | os.PathLike | None = None) -> list[str]:
    """The notebooks in the pipeline's order: ``notebooks/params.yaml``'s ``notebooks`` key."""
    from . import pipeline

    return list(pipeline.load_config(config or pipeline.DEFAULT_CONFIG)["notebooks"])


def combine(results_dir: str | os.PathLike | None = None, order=None) -> pd.DataFrame:
    """Concatenate the notebooks' ledger fragments in ``order`` (by default the pipeline's,
    :func:`notebook_order`) into ``results/ledger.csv`` and return the ledger."""
    return results.combine(NAME, notebook_order() if order is None else order, results_dir,
                           COLUMNS)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and verdict, verdicts as columns."""
    counts = table.groupby(["check", "verdict"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])


def problems(table: pd.DataFrame) -> pd.DataFrame:
    """The distinct proven problems of a ledger: one row per ``problem``, in ledger order, with
    ``source`` (where it is printed), ``what`` (the first row's quantity), ``printed`` (the
    printed values), ``checks`` (the proofs), ``rows`` (how many ledger rows prove it),
    ``assumption`` and ``note`` of its first row, and ``link`` (its section, from the ledger page).

    Examples
    --------
    >>> ledger = pd.DataFrame([dict(claim_id="t:k:mean", source="Table 2", quantity="mean",
    ...     published="5.19", recomputed="", check="GRIM", verdict="inconsistent", problem="t:k",
    ...     assumption="integers", note="", notebook="01_cohort", section="sample-size")])
    >>> problems(ledger)[["problem", "checks", "rows", "link"]].values.tolist()
    [['t:k', 'GRIM', 1, '01_cohort.html#sample-size']]
    """
    proven = table[table["verdict"] == "inconsistent"]
    out = []
    for problem, group in proven.groupby("problem", sort=False):
        first = group.iloc[0]
        out.append(dict(
            problem=problem, source=first["source"], what=first["quantity"],
            printed=", ".join(dict.fromkeys(group["published"])),
            checks=", ".join(dict.fromkeys(group["check"])), rows=len(group),
            assumption=first["assumption"], note=first["note"],
            link=section_link(first["notebook"], first.get("section", ""))))
    return pd.DataFrame(out, columns=["problem", "source", "what", "printed", "checks", "rows",
                                      "assumption", "note", "link"])


def describe_problems(table: pd.DataFrame) -> str:
    """Markdown: the distinct proven problems of a ledger, one line each, linked to the section
    that proves it (links relative to the ledger page)."""
    found = problems(table)
    if found.empty:
        return "No printed number is proven impossible."
    lines = []
    for _, row in found.iterrows():
        what = row["what"]
        shown = what.removesuffix(" ...")
        printed = "" if row["printed"].startswith(shown) else \
            f"printed {row['printed'] if len(row['printed']) <= 60 else row['printed'][:57] + '...'} "
        lines.append(f"- [{row['source']}, {what}]({row['link']}): {printed}"
                     f"({row['checks']}; assuming {row['assumption']})")
    return "\n".join(lines)


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


#: The verdicts of a check that failed: the ledger page opens on them.
FAILED = ("inconsistent", "not_reproducible")


def by_table(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by source (a table, a section of the text, another publication) and verdict,
    verdicts as columns in :data:`VERDICTS` order, sources as the paper orders them (tables by
    number first) and a total row.

    Examples
    --------
    >>> demo = pd.DataFrame({"source": ["Table 10", "Table 2", "Table 2", "Methods"],
    ...                      "verdict": ["reproduced", "inconsistent", "reproduced", "consistent"]})
    >>> by_table(demo).to_dict("index")["Table 2"]
    {'reproduced': 1, 'consistent': 0, 'inconsistent': 1, 'total': 2}
    """
    counts = table.groupby(["source", "verdict"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])

    def order(source: str):
        match = re.fullmatch(r"Table (\d+)", str(source))
        return (0, int(match.group(1)), "") if match else (1, 0, str(source))

    counts = counts.loc[sorted(counts.index, key=order)]
    counts["total"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum(axis=0)
    return counts.rename_axis(index=None, columns=None)


def section_link(notebook: str, section: str = "") -> str:
    """Relative link from the ledger page to ``section`` (a heading anchor) of ``notebook``'s
    page, or to the page when no section is known.

    Examples
    --------
    >>> section_link("01_cohort", "radiotherapy"), section_link("01_cohort")
    ('01_cohort.html#radiotherapy', '01_cohort.html')
    """
    return f"{notebook}.html#{section}" if section else f"{notebook}.html"


def html_table(table: pd.DataFrame) -> str:
    """The ledger as one HTML table for the book's ledger page (filtered and sorted by
    ``_static/ledger.js``), in :data:`PAGE_COLUMNS`; each row's notebook links to the section
    that checked it."""
    from html import escape

    columns = PAGE_COLUMNS
    head = "".join(f'<th class="col-{escape(c)}">{escape(c.replace("_", " "))}</th>'
                   for c in columns)
    body = []
    for _, row in table.iterrows():
        cells = []
        for column in columns:
            text = escape(str(row[column]))
            if column == "verdict":
                text = f'<span class="verdict-{text}">{text}</span>'
            if column == "notebook":
                text = f'<a href="{section_link(row["notebook"], row["section"])}">{text}</a>'
            title = ""
            if column == "claim_id":
                made = f"made by {row['made_by']}" if str(row.get("made_by", "")).strip() else ""
                problem = f"problem {row['problem']}" if str(row.get("problem", "")).strip() \
                    else ""
                title = "; ".join(part for part in (made, problem) if part)
                title = f' title="{escape(title)}"' if title else ""
            cells.append(f'<td class="col-{column}"{title}>{text}</td>')
        anchor = row_anchor(row["claim_id"], row["check"], row["assumption"])
        body.append(f'<tr id="{anchor}" data-verdict="{escape(str(row["verdict"]))}">'
                    + "".join(cells) + "</tr>")
    return (f'<div class="ledger-scroll"><table class="ledger-table" id="ledger-table"><thead>'
            f"<tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
