"""What the trial's other publications print about the same patients, against this paper.

``related.csv`` (in the data folder, entered twice from the source texts in
``double_entry/sources/``) holds one row per number or statement of the protocol, the other papers
of the trial and its registration, each with what of this paper it is checked against
(``compare_to``) and how (``comparison``):

``equal``
    the same number (durations converted between weeks and months, within a week), or the same
    word from an exclusive vocabulary (primary against secondary);
``at_least``
    a count over the whole follow-up cannot be smaller than the same count at baseline;
``percent_of``
    a percentage must be some whole count out of the n named;
``same_terms``
    a description shares a term with this paper's words; a description in other words is not a
    contradiction that arithmetic can prove, so it is ``unverifiable``, never ``inconsistent``;
``not_significant``
    a p of at least 0.05 agrees with "did not differ";
``not_comparable``
    recorded, not checked (an aim against an endpoint, a plan against what was done).

``compare_to`` may list alternatives (readings) separated by `` | ``; the row is ``consistent``
when every reading agrees, ``inconsistent`` when none does, else ``unverifiable``.
"""

from __future__ import annotations

import os
from fractions import Fraction

import pandas as pd

from ..methods import consistency as cc
from ..methods.ledger import builds, cell_id
from . import data

__all__ = ["COMPARISONS", "paper_value", "check", "ledger_rows"]

COMPARISONS = ("equal", "at_least", "percent_of", "same_terms", "not_significant",
               "not_comparable")
WEEKS_PER_MONTH = Fraction(52, 12)


def _unit(name: str) -> str:
    return "weeks" if "weeks" in name else "months" if "months" in name else ""


def paper_value(reference: str, claims: pd.DataFrame, tables: dict[str, pd.DataFrame],
                data_dir: str | os.PathLike) -> dict:
    """This paper's side of a comparison: ``text`` (as printed, or the words given after ``=``),
    ``number`` (a Fraction or None) and ``unit`` (``weeks``, ``months`` or ``""``).

    ``reference`` is ``<id>=<words>``, a sum of claim ids joined by `` + ``, a table cell
    ``file:key:column`` (of ``tables``, loaded from ``data_dir``), or a claim of the ledger that
    no table holds (its text is the id).

    Examples
    --------
    >>> claims = data.load_claims("data/published")
    >>> paper_value("results-02 + results-08", claims, {}, "data/published")["number"]
    Fraction(13, 1)
    """
    reference = reference.strip()
    if "=" in reference:
        source, _, words = reference.partition("=")
        return {"text": words.strip(), "number": None, "unit": "", "source": source.strip()}
    by_id = claims.set_index("claim_id")
    terms = [t.strip() for t in reference.split(" + ")]
    if all(t in by_id.index for t in terms):
        printed = [by_id.loc[t, "value_printed"] for t in terms]
        units = {_unit(by_id.loc[t, "refers_to"]) for t in terms}
        return {"text": " + ".join(printed), "number": sum(Fraction(p) for p in printed),
                "unit": units.pop() if len(units) == 1 else "", "source": reference}
    parts = reference.split(":")
    if len(parts) == 3 and parts[0] in tables:
        printed = data.printed_cell(tables, reference, data_dir, "related.csv")
        return {"text": printed, "number": Fraction(printed), "unit": "", "source": reference}
    return {"text": reference, "number": None, "unit": "", "source": reference}


def _number(text: str) -> Fraction | None:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        return None


def _compare(kind: str, row: pd.Series, paper: dict) -> tuple[bool | None, str]:
    value = row["value"].strip()
    number = _number(value)
    if kind == "not_comparable":
        return None, f"not compared: {row['note'] or 'not the same quantity'}"
    if kind == "same_terms":
        terms = [t.strip().lower() for t in paper["text"].split("|") if t.strip()]
        shared = [t for t in terms if t in value.lower()]
        if shared:
            return True, f"shares '{shared[0]}' with this paper's words"
        return None, (f"'{value}' shares no term with this paper's words ({', '.join(terms)}): "
                      "other words, not a proof")
    if kind == "not_significant":
        if number is None:
            raise ValueError(f"related.csv {row['quantity']}: {value!r} is not a p-value")
        return number >= Fraction(5, 100), f"p = {value} {'>=' if number >= Fraction(5, 100) else '<'} 0.05"
    if kind == "percent_of":
        n = int(paper["number"])
        counts = [k for k in range(n + 1)
                  if cc.percentage(k, n, value)["consistency"].item() == cc.CONSISTENT]
        return (bool(counts), f"{value}% is {counts[0]} of {n}" if counts
                else f"no count out of {n} gives {value}%")
    if paper["number"] is None:  # words from an exclusive vocabulary
        same = value.lower() == paper["text"].lower()
        return same, f"'{value}' against this paper's '{paper['text']}'"
    if number is None:
        raise ValueError(f"related.csv {row['quantity']}: {value!r} is not a number")
    mine, theirs = number, paper["number"]
    unit_mine, unit_theirs = _unit(row["quantity"]), paper["unit"]
    tolerance = Fraction(0)
    if unit_mine and unit_theirs and unit_mine != unit_theirs:
        mine = mine * WEEKS_PER_MONTH if unit_mine == "months" else mine
        theirs = theirs * WEEKS_PER_MONTH if unit_theirs == "months" else theirs
        tolerance = Fraction(1)
    shown = f"{value} against this paper's {paper['text']}"
    if kind == "at_least":
        return mine >= theirs - tolerance, shown
    return abs(mine - theirs) <= tolerance, shown


def check(related: pd.DataFrame, claims: pd.DataFrame, tables: dict[str, pd.DataFrame],
          data_dir: str | os.PathLike) -> pd.DataFrame:
    """Every row of ``related`` against this paper (its ``claims`` and ``tables``, loaded from
    ``data_dir``): ``verdict`` and ``outcome`` (each reading's result in words), with this
    paper's value(s)."""
    out = []
    for _, row in related.iterrows():
        alternatives = [a.strip() for a in row["compare_to"].split(" | ")]
        kinds = [k.strip() for k in row["comparison"].split(" | ")]
        if len(kinds) == 1:
            kinds = kinds * len(alternatives)
        if len(kinds) != len(alternatives):
            raise ValueError(f"related.csv {row['publication']} {row['quantity']}: "
                             f"{len(alternatives)} alternatives but {len(kinds)} comparisons")
        unknown = set(kinds) - set(COMPARISONS)
        if unknown:
            raise ValueError(f"related.csv: unknown comparison {sorted(unknown)}")
        results, paper_texts = [], []
        for alternative, kind in zip(alternatives, kinds):
            paper = paper_value(alternative, claims, tables, data_dir)
            results.append(_compare(kind, row, paper))
            paper_texts.append(paper["text"])
        outcomes = [r for r, _ in results]
        verdict = ("consistent" if all(o is True for o in outcomes) else
                   "inconsistent" if all(o is False for o in outcomes) else "unverifiable")
        words = "; ".join(f"{a} ({k}): {text}" for a, k, (_, text) in
                          zip(alternatives, kinds, results))
        out.append(dict(publication=row["publication"], quantity=row["quantity"], arm=row["arm"],
                        value=row["value"], quote=row["quote"], paper=" | ".join(paper_texts),
                        verdict=verdict, outcome=words, note=row["note"]))
    return pd.DataFrame(out, columns=["publication", "quantity", "arm", "value", "quote", "paper",
                                      "verdict", "outcome", "note"])


@builds
def ledger_rows(checked: pd.DataFrame, study) -> pd.DataFrame:
    """Ledger rows for :func:`check`. A contradiction with another publication is a proof only
    under the assumption that both describe the same trial (``study``, its registration); the
    row says so."""
    keys = data.key_columns("related", study.data_dir)
    registration = study.registration
    same = f"same registration, {registration}" if registration else "same trial"
    rows = []
    for _, row in checked.iterrows():
        publication = row["publication"]
        source = "trial registration" if publication == "registry" else publication
        assumption = f"{source} reports the patients of this paper ({same})"
        if publication == "registry":
            assumption += "; the registry record as an aggregator site copies it"
        rows.append(dict(
            claim_id=cell_id("related", data.row_key(row, keys), "value"),
            source=source,
            quantity=f"{row['quantity'].replace('_', ' ')}"
                     + (f", arm {row['arm']}" if row["arm"] else ""),
            published=row["value"], recomputed=f"this paper: {row['paper']}",
            check="text against another publication", verdict=row["verdict"],
            assumption=assumption,
            note=f"\u201c{row['quote']}\u201d; {row['outcome']}"
                 + (f"; {row['note']}" if row["note"] else "")))
    return pd.DataFrame(rows)
