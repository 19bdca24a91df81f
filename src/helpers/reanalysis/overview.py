"""The verdict at a glance: the ledger summarised for a reader (the book's first page and the
letter to the editor), and the published effect sizes beside the recomputed estimates.

Every function takes the ledger (``results/ledger.csv``), the quoted text
(:func:`helpers.reanalysis.annotate.text_items`) or the effect-size table
(``results/effect_sizes.csv``) and returns a small table or Markdown; nothing here names the trial.
"""

from __future__ import annotations

import re

import pandas as pd

from . import annotate, ledger, markup, problems, tables

__all__ = ["TEXT_SOURCES", "failed_text", "failed_text_markdown", "unverifiable_by_check",
           "holding", "counts", "forest_data", "estimand_labels",
           "tiers_sentence", "tiers_table", "problems_table", "glossary", "letter_problems"]

#: How the letter puts each tier of proof, courteously and without calling a sentence impossible.
LETTER_TIERS = {
    "proven": "cannot all be right as printed",
    "assumption": "possible only under another reading",
    "discrepancy": "two documents or readings disagree",
    "misstatement": "the sentence says more or less than its table",
}

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


def tiers_sentence(ranked: pd.DataFrame) -> str:
    """One sentence: the problems of the ledger by tier of proof (they add up to all of them),
    and how many bear on a finding the paper reports. ``ranked`` is
    :func:`helpers.reanalysis.problems.ranked`.

    Examples
    --------
    >>> demo = pd.DataFrame(dict(tier=["proven", "assumption", "misstatement"],
    ...                          severity=["none", "finding", "wording"]))
    >>> print(tiers_sentence(demo))
    **Its printed numbers.** 1 is proven wrong under every ordinary reading; 1 more is impossible only under an assumption a reader can contest; 0 are discrepancies between documents or readings; 1 over- or understates a result. 1 of these 3 problems bears on a reported finding.
    """
    count = {tier: int((ranked["tier"] == tier).sum()) for tier in ledger.TIERS}
    findings = int((ranked["severity"] == "finding").sum())
    plural = problems.plural
    return (f"**Its printed numbers.** "
            f"{plural(count['proven'], 'is', 'are')} proven wrong under every ordinary reading; "
            f"{plural(count['assumption'], 'more is', 'more are')} impossible only under an "
            f"assumption a reader can contest; "
            f"{plural(count['discrepancy'], 'is a discrepancy', 'are discrepancies')} between "
            f"documents or readings; "
            f"{plural(count['misstatement'], 'over- or understates', 'over- or understate')} a "
            f"result. {findings} of these {plural(len(ranked), 'problem')} "
            f"{'bears' if findings == 1 else 'bear'} on a reported finding.")


def tiers_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The tiers of proof, what each means, and the number of problems in each, with the total:
    the counts of the first page, which add up to the ledger's problems."""
    rows = [{"tier of proof": words, "problems": int((ranked["tier"] == tier).sum())}
            for tier, words in ledger.TIERS.items()]
    rows.append({"tier of proof": "all problems", "problems": len(ranked)})
    return pd.DataFrame(rows)


def problems_table(ranked: pd.DataFrame, study) -> str:
    """HTML: the problems ranked by severity (:func:`helpers.reanalysis.problems.ranked`), one
    row per problem or group of problems with one shared cause: rank, what is printed where (in
    words, linked to the section that proves it), how far it is proven, the innocent explanation
    and whether it changes a conclusion. Every text is escaped."""
    import html

    if ranked.empty:
        return "<p>No printed number or sentence is proven impossible.</p>"
    head = ("<thead><tr><th>#</th><th>What is printed, and where</th><th>How far it is "
            "proven</th><th>The innocent explanation</th><th>Does it change a conclusion?</th>"
            "</tr></thead>")
    body = []
    for _, group in ranked.groupby("group", sort=False):
        first = group.iloc[0]
        strongest = group.loc[group["tier"].map(list(ledger.TIERS).index).idxmin()]
        serious = group.loc[group["severity"].map(list(problems.SEVERITIES).index).idxmin()]
        link = html.escape(first["link"], quote=True)
        explanation = tables.text_in_words(strongest["explanation"], study)
        body.append(
            f"<tr><td>{first['rank']}</td><td><a href=\"{link}\">"
            f"{html.escape(_where(group, study))}</a></td>"
            f"<td>{html.escape(strongest['tier_words'])}</td><td>{html.escape(explanation)}</td>"
            f"<td>{html.escape(serious['severity_words'])}"
            + (f": {html.escape(tables.text_in_words(serious['severity_reason'], study))}"
               if serious["severity_reason"] else "") + "</td></tr>")
    return (f"<div class=\"table-scroll\"><table class=\"problems\">{head}<tbody>"
            f"{''.join(body)}</tbody></table></div>")


def glossary(path: str = "data/claims/glossary.yaml") -> str:
    """Markdown list of the methods' terms a page uses, each in bold with its definition
    (``glossary.yaml``: the engine's vocabulary, not the trial's), in the file's order."""
    from . import paths, yamlfile

    resolved = paths.resolve(path)
    parsed = yamlfile.loads(resolved.read_text(encoding="utf-8"), str(resolved))
    terms = parsed.get("terms") if isinstance(parsed, dict) else None
    if not isinstance(terms, dict) or not all(isinstance(v, str) for v in terms.values()):
        raise ValueError(f"{resolved}: expected 'terms:', a mapping of terms to definitions")
    return "\n".join(f"- **{markup.text(term)}**: {markup.prose(words)}"
                     for term, words in terms.items())


def letter_problems(ranked: pd.DataFrame, study,
                    matter=("finding", "wording", "documents")) -> str:
    """HTML for the letter (pasted by a ``{glue}`` directive, which can paste across pages): one
    item per problem (or group of problems with one shared cause) whose severity is in
    ``matter``, with its table and cell, how far it is proven (:data:`LETTER_TIERS`) and the
    innocent explanation; then one sentence counting the others. Every text is escaped.

    Examples
    --------
    >>> letter_problems(pd.DataFrame(), None)
    '<p>We found no printed number or sentence that the paper&#x27;s own numbers contradict.</p>'
    """
    import html

    if ranked.empty:
        return ("<p>" + html.escape("We found no printed number or sentence that the paper's own "
                                    "numbers contradict.") + "</p>")
    items, others = [], 0
    worded = ranked[ranked["tier"] == "misstatement"]
    for _, group in ranked.groupby("group", sort=False):
        first = group.iloc[0]
        if not group["severity"].isin(matter).any():
            others += len(group)
            continue
        if first["tier"] == "misstatement":
            if first["problem"] != worded["problem"].iloc[0]:
                continue  # the sentences that over- or understate are one item
            quotes = "; ".join(f"{row['source']}: \u201c{row['what']}\u201d"
                               for _, row in worded.iterrows())
            items.append(f"<li>{problems.plural(len(worded), 'sentence')} "
                         f"{'says' if len(worded) == 1 else 'say'} more or less than "
                         f"{'its table' if len(worded) == 1 else 'their tables'} "
                         f"({html.escape(tables.text_in_words(quotes, study))}). Possible "
                         f"explanation: {html.escape(problems.SLIPS['statement against tables'])}"
                         f".</li>")
            continue
        reading = str(first.get("possible_if", "")).strip()
        explanation = tables.text_in_words(reading or first["explanation"], study)
        items.append(f"<li>{html.escape(_where(group, study))}: "
                     f"{html.escape(LETTER_TIERS[first['tier']])}. "
                     f"{'It is possible if' if reading else 'Possible explanation'}: "
                     f"{html.escape(explanation)}.</li>")
    out = f"<ul class=\"letter-problems\">{''.join(items)}</ul>" if items else ""
    if others:
        out += (f"<p>{problems.plural(others, 'further problem')} "
                f"{'concerns' if others == 1 else 'concern'} descriptive numbers, or a result "
                f"that stays on the same side of significance; they change no finding, and the "
                f"overview lists them.</p>")
    return out


def _where(group: pd.DataFrame, study) -> str:
    """Where a problem (or a group of problems with one cause) is printed, briefly: the table,
    then each cell's scale and printed values; a sentence by its first words."""
    cells = [ledger.parse_claim_id(f"{problem}:x") for problem in group["problem"]]
    first = group.iloc[0]
    if all(cell is not None and cell[0] == "outcomes" and len(cell[1]) == 4 for cell in cells):
        instrument, _, arm, timepoint = cells[0][1]
        labels = [tables.scale_label(c[1][0], c[1][1]) for c in cells]
        if arm == "*":
            text = f"{first['source']}, {instrument}: the means of " + " and ".join(
                label.lower() for label in labels)
        elif len(group) == 1:
            text = (f"{first['source']}, {instrument} {labels[0].lower()}, arm {arm}, "
                    f"{timepoint} (printed {first['printed']})")
        else:
            listed = [(label, printed) for label, printed, cell
                      in zip(labels, group["printed"], cells) if cell[1][1] != "*"]
            jointly = len(listed) < len(group)
            text = (f"{first['source']}, {instrument}, arm {arm}, {timepoint}: " + ", ".join(
                f"{label.lower()} {printed}" for label, printed in listed)
                + ("; and the module's scales taken together" if jointly else ""))
        return tables.text_in_words(text, study)
    if cells[0] is None and len(str(first["printed"])) > 60:
        return f"{first['source']}: \u201c{first['what']}\u201d"
    printed = "" if first["printed"] == first["what"] else f" (printed {first['printed']})"
    return tables.text_in_words(f"{first['source']}, {first['what']}{printed}", study)
