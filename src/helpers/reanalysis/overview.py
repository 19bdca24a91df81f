"""The verdict at a glance: the ledger summarised for a reader (the book's first page and the
letter to the editor), and the published effect sizes beside the recomputed estimates.

Every function takes the ledger (``results/ledger.csv``), the quoted text
(:func:`helpers.reanalysis.annotate.text_items`) or the effect-size table
(``results/effect_sizes.csv``) and returns a small table or Markdown; nothing here names the trial.
"""

from __future__ import annotations

import re

import pandas as pd

from . import annotate, ledger, markup

__all__ = ["TEXT_SOURCES", "failed_text", "failed_text_markdown", "unverifiable_by_check",
           "holding", "counts", "problem_kinds", "forest_data", "estimand_labels"]

#: Ledger sources that are not the paper's own text (other publications of the trial): their
#: rows are about the paper only through what they contradict.
TEXT_SOURCES = ("Abstract", "Background", "Methods", "Results", "Discussion", "Conclusion")


def counts(table: pd.DataFrame) -> dict[str, int]:
    """Numbers of the first page: rows, claims, rows by verdict, distinct proven problems,
    claims (not rows) whose most serious verdict is each verdict.

    Examples
    --------
    >>> demo = pd.DataFrame(dict(claim_id=["a", "a", "b"], verdict=["consistent", "inconsistent",
    ...     "reproduced"], problem=["", "a", ""], source=["T"] * 3, quantity=["q"] * 3,
    ...     published=["1"] * 3, check=["GRIM"] * 3, assumption=["x"] * 3, note=[""] * 3,
    ...     notebook=["n"] * 3, section=["s"] * 3))
    >>> c = counts(demo)
    >>> c["rows"], c["claims"], c["problems"], c["claims_inconsistent"], c["claims_reproduced"]
    (3, 2, 1, 1, 1)
    >>> c["not_reproducible_p"], c["not_reproducible_es"]
    (0, 0)
    """
    out = {"rows": len(table), "claims": int(table["claim_id"].nunique()),
           "problems": len(ledger.problems(table))}
    verdicts = table.groupby("claim_id", sort=False)["verdict"].agg(annotate.worst)
    for verdict in ledger.VERDICTS:
        out[f"rows_{verdict}"] = int((table["verdict"] == verdict).sum())
        out[f"claims_{verdict}"] = int((verdicts == verdict).sum())
    out["claims_failed"] = sum(out[f"claims_{v}"] for v in ledger.FAILED)
    quantity = verdicts.index.to_series().str.rsplit(":", n=1).str[-1]
    for name, column in (("p", "p"), ("es", "effect_size")):
        out[f"not_reproducible_{name}"] = int(((verdicts == "not_reproducible")
                                               & (quantity == column)).sum())
    out["claims_hold"] = out["claims_reproduced"] + out["claims_consistent"]
    return out


def problem_kinds(table: pd.DataFrame) -> str:
    """The kinds of the distinct proven problems of a ledger, in words, for a sentence: each
    proof family (the first check of a problem, :data:`helpers.reanalysis.ledger.PROOF_FAMILIES`)
    with the number of problems it proves and where they are printed, most frequent first ("" when
    nothing is proven).

    Examples
    --------
    >>> demo = pd.DataFrame(dict(claim_id=["a:1:m", "b:1:m", "c:1:p"], source=["Table 2"] * 2
    ...     + ["Table 1"], quantity=["m"] * 3, published=["1"] * 3,
    ...     check=["GRIM", "GRIM", "percentage"], verdict=["inconsistent"] * 3,
    ...     problem=["a:1", "b:1", "c:1"], assumption=["x"] * 3, note=[""] * 3,
    ...     notebook=["n"] * 3, section=["s"] * 3))
    >>> print(problem_kinds(demo))
    2 × a mean that no n values on the scale's grid give (Table 2); 1 × a percentage that no rounding of its count over its total gives (Table 1)
    """
    found = ledger.problems(table)
    if found.empty:
        return ""
    found = found.assign(kind=found["checks"].str.split(", ").str[0])
    parts = []
    for kind, group in sorted(found.groupby("kind", sort=False), key=lambda pair: -len(pair[1])):
        where = ", ".join(sorted(dict.fromkeys(group["source"])))
        parts.append(f"{len(group)} × {ledger.PROOF_FAMILIES.get(kind, kind)} ({where})")
    return "; ".join(parts)


def failed_text(items: pd.DataFrame) -> pd.DataFrame:
    """The quoted sentences and numbers of the text whose most serious verdict failed
    (:data:`helpers.reanalysis.ledger.FAILED`), from
    :func:`helpers.reanalysis.annotate.text_items`."""
    found = items[items["verdict"].isin(ledger.FAILED)]
    return found.drop_duplicates("quote").reset_index(drop=True)


def failed_text_markdown(items: pd.DataFrame, limit: int = 120) -> str:
    """Markdown, one line per failed claim of the text: the quote (shortened to ``limit``
    characters), its verdict and the reason, linked to its ledger row.

    Examples
    --------
    >>> demo = pd.DataFrame([dict(id="r-1", section="results", quote="p was 0.01",
    ...     verdict="inconsistent", reason="text against table", anchor="row-1")])
    >>> failed_text_markdown(demo)
    '- “p was 0.01” (results): **inconsistent** ([text against table](ledger.html#row-1))'
    """
    found = failed_text(items)
    if found.empty:
        return "Every claim of the text that could be checked holds."
    lines = []
    for row in found.to_dict("records"):
        quote = row["quote"] if len(row["quote"]) <= limit else row["quote"][:limit - 1] + "…"
        reason = row["reason"] if len(row["reason"]) <= limit else row["reason"][:limit - 1] + "…"
        section = markup.text(row["section"].replace("_", " "))
        lines.append(f"- “{markup.text(quote)}” ({section}): "
                     f"**{row['verdict'].replace('_', ' ')}** "
                     f"([{markup.text(reason)}]({annotate.LEDGER_PAGE}#{row['anchor']}))")
    return "\n".join(lines)


def unverifiable_by_check(table: pd.DataFrame, width: int = 110) -> pd.DataFrame:
    """What could not be checked: the unverifiable rows by check, most first, with an example
    of why (the first row's note, shortened to ``width`` characters).

    Examples
    --------
    >>> demo = pd.DataFrame(dict(check=["GRIM", "GRIM", "SD"], verdict=["unverifiable"] * 3,
    ...                          note=["too fine a grid", "", "continuous"]))
    >>> unverifiable_by_check(demo).values.tolist()
    [['GRIM', 2, 'too fine a grid'], ['SD', 1, 'continuous']]
    """
    rows = table[table["verdict"] == "unverifiable"]
    out = []
    for check, group in rows.groupby("check", sort=False):
        note = next((n for n in group["note"].astype(str) if n.strip()), "")
        out.append(dict(check=check, rows=len(group),
                        why=note if len(note) <= width else note[:width - 1] + "…"))
    frame = pd.DataFrame(out, columns=["check", "rows", "why"])
    return frame.sort_values("rows", ascending=False, kind="stable", ignore_index=True)


def holding(table: pd.DataFrame) -> pd.DataFrame:
    """What holds: by source (tables, then text, then other publications), the claims whose
    every check passed (all rows reproduced or consistent) and the claims checked.

    Examples
    --------
    >>> demo = pd.DataFrame(dict(source=["Table 1"] * 3, claim_id=["a", "a", "b"],
    ...                          verdict=["consistent", "unverifiable", "reproduced"]))
    >>> holding(demo).values.tolist()
    [['Table 1', 1, 2]]
    """
    verdicts = table.groupby(["source", "claim_id"], sort=False)["verdict"].agg(annotate.worst)
    holds = verdicts.isin(["reproduced", "consistent"]).groupby(level=0, sort=False)
    frame = pd.DataFrame({"holds": holds.sum().astype(int), "checked": holds.size()})
    frame = frame.loc[sorted(frame.index, key=_source_order)]
    return frame.rename_axis("source").reset_index()


def _source_order(source: str):
    match = re.fullmatch(r"Table (\d+)", str(source))
    if match:
        return (0, int(match.group(1)), "")
    if source in TEXT_SOURCES:
        return (1, TEXT_SOURCES.index(source), "")
    return (2, 0, str(source))


def estimand_labels(r: float) -> dict[str, str]:
    """The estimands of the overview's forest plot, in words."""
    return {"published": "published effect size (definition not reported)",
            "hedges_g": "Hedges' g at follow-up, survivors (95% CI)",
            "d_ppc2": f"Morris d_ppc2: difference in change over baseline SD, r = {r:g} (95% CI)"}


def _keyed(frame: pd.DataFrame, keys) -> pd.Series:
    """Rows whose (instrument, scale) is among ``keys``."""
    wanted = set(keys)
    return pd.Series([key in wanted for key in zip(frame["instrument"], frame["scale"])],
                     index=frame.index, dtype=bool)


def forest_data(effect_sizes: pd.DataFrame, published: pd.DataFrame, study, r: float
                ) -> pd.DataFrame:
    """Published and recomputed standardised effects per instrument, scale, comparison and
    follow-up, tidy: ``instrument, scale, arm, versus, timepoint, label, estimand, estimate,
    ci_low, ci_high``.

    Recomputed: Hedges' g at follow-up among survivors, and Morris's d_ppc2 at the pre-post
    correlation ``r`` (rows of ``effect_sizes.csv`` whose assumption names it); published: the
    printed effect size of the contrast from baseline to that follow-up, without an interval.
    ``label`` is the scale and timepoint in words. Item rows (no instrument of the trial's) are
    left out.
    """
    keys = [(i, s) for i, values in study.scales.items() for s in values]  # table order
    mine = effect_sizes[_keyed(effect_sizes, keys)].copy()
    for column in ("estimate", "ci_low", "ci_high"):
        mine[column] = pd.to_numeric(mine[column], errors="coerce")
    pattern = re.compile(rf"pre-post correlation r = {r:g}\b")
    g = mine[mine["estimand"] == "hedges_g"]
    d = mine[(mine["estimand"] == "d_ppc2") & mine["assumption"].astype(str).str.contains(pattern)]
    first = study.comparisons[0]
    # an effect_sizes.csv of a two-arm trial may name no comparison
    g, d = (part if "arm" in part else part.assign(arm=first.arm, versus=first.versus)
            for part in (g, d))
    columns = ["instrument", "scale", "arm", "versus", "timepoint", "estimand", "estimate",
               "ci_low", "ci_high"]
    parts = [g[columns], d[columns]]
    follow_up = study.contrasts
    printed = published[_keyed(published, keys) & published["contrast"].isin(follow_up)]
    if "arm" not in printed:
        printed = printed.assign(arm=first.arm, versus=first.versus)
    parts.append(pd.DataFrame(dict(
        instrument=printed["instrument"], scale=printed["scale"], arm=printed["arm"],
        versus=printed["versus"],
        timepoint=printed["contrast"].map(follow_up), estimand="published",
        estimate=pd.to_numeric(printed["effect_size"], errors="coerce"),
        ci_low=float("nan"), ci_high=float("nan"))))
    frame = pd.concat(parts, ignore_index=True)
    between = [study.comparison_label(a, v) for a, v in zip(frame["arm"], frame["versus"])]
    frame["label"] = [f"{annotate.scale_label(i, s)}, " + (f"{b}, " if b else "")
                      + study.timepoint_label(t)
                      for i, s, b, t in zip(frame["instrument"], frame["scale"], between,
                                            frame["timepoint"])]
    order = {key: k for k, key in enumerate(keys)}
    times = {t.id: k for k, t in enumerate(study.timepoints)}
    pairs = {(c.arm, c.versus): k for k, c in enumerate(study.comparisons)}
    frame = frame.assign(_s=[order[key] for key in zip(frame["instrument"], frame["scale"])],
                         _c=[pairs.get(key, len(pairs)) for key in zip(frame["arm"],
                                                                        frame["versus"])],
                         _t=frame["timepoint"].map(times))
    frame = frame.sort_values(["_s", "_c", "_t"], kind="stable").drop(columns=["_s", "_c", "_t"])
    return frame[["instrument", "scale", "arm", "versus", "timepoint", "label", "estimand",
                  "estimate", "ci_low", "ci_high"]].reset_index(drop=True)
