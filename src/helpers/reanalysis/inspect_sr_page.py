"""The INSPECT-SR chapter's pieces (``notebooks/trustworthiness.ipynb``): the tool's name, version and
reference, the tiers of proof with the judgement each maps to and why, the domain-by-check table
with its symbols, the domain and overall judgements, and what a reviewer must still look at.

Everything comes from the tool's YAML (:func:`helpers.reanalysis.inspect_sr.load`) and a trial's
assessment (:func:`helpers.reanalysis.inspect_sr.table`); nothing here knows a trial. Text from
the data is escaped: :func:`html.escape` in HTML, :func:`helpers.reanalysis.markup.text` in
Markdown. The evidence of a check links to its rows on the ledger page (``ledger.html#row-...``,
the anchors of :func:`helpers.methods.ledger.row_anchor`).

Examples
--------
>>> from helpers.reanalysis import inspect_sr
>>> tool = inspect_sr.load()
>>> symbol("some concerns", tool)
'!'
>>> "INSPECT-SR" in about_markdown(tool)
True
"""

from __future__ import annotations

import html
import re

import pandas as pd

from ..methods.ledger import TIERS
from . import markup, tables

__all__ = ["SYMBOLS", "symbol", "legend_html", "about_markdown", "tiers_markdown",
           "checks_html", "domains_html", "reviewer_markdown", "judgement_counts"]

#: Each judgement's symbol and CSS class (``reader.css``), by its place on the tool's scale
#: (least severe first), then the engine's "needs a reviewer". The one mapping the page's symbols
#: and legend come from; a symbol is never the only sign (the words follow it).
SYMBOLS = (("\u2713", "isr-none"), ("!", "isr-some"), ("\u2715", "isr-serious"))
#: The symbol and class of a check or domain that still needs a reviewer.
NEEDS_SYMBOL = ("?", "isr-needs")
#: A file name in text (shown as code: a name to type, not a word).
_FILE = re.compile(r"([\w./-]+\.(?:csv|yaml|md)(?::[\w./-]+)?)")
#: An identifier with underscores that the trial's words did not translate.
_IDENTIFIER = re.compile(r"(?<![\w./-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/-])")
#: How many evidence links show before the rest fold into a "more" box.
SHOWN_LINKS = 3


def _marks(tool: dict) -> dict[str, tuple[str, str]]:
    marks = dict(zip(tool["judgements"], SYMBOLS))
    marks[tool["needs_reviewer"]] = NEEDS_SYMBOL
    return marks


def symbol(judgement: str, tool: dict) -> str:
    """The symbol of ``judgement`` (one of the tool's, or "needs a reviewer")."""
    return _marks(tool)[judgement][0]


def _judgement_html(judgement: str, tool: dict) -> str:
    mark, css = _marks(tool)[judgement]
    return (f'<span class="isr-mark {css}" aria-hidden="true">{html.escape(mark)}</span> '
            f"{html.escape(judgement)}")


def legend_html(tool: dict) -> str:
    """HTML: each judgement with its symbol, in the order of the scale, then "needs a reviewer".

    Examples
    --------
    >>> from helpers.reanalysis import inspect_sr
    >>> legend_html(inspect_sr.load()).count("<li>")
    4
    """
    items = "".join(f"<li>{_judgement_html(j, tool)}</li>" for j in _marks(tool))
    return f'<ul class="isr-legend">{items}</ul>'


def about_markdown(tool: dict) -> str:
    """Markdown: the tool's name, version, reference and address, from its YAML (escaped)."""
    return (f"**{markup.text(tool['tool'])}**, {markup.text(tool['version'])}. "
            f"Reference: {markup.text(tool['reference'])}. Guidance: <{tool['url']}>."
            if re.fullmatch(r"https://[\w./-]+", str(tool.get("url", ""))) else
            f"**{markup.text(tool['tool'])}**, {markup.text(tool['version'])}. "
            f"Reference: {markup.text(tool['reference'])}.")


def tiers_markdown(tool: dict) -> str:
    """Markdown definition list: each tier of proof of the ledger (and a row the named model does
    not reproduce), the answer and judgement it gives a check, and why (the YAML's
    ``tier_reasons``).

    Examples
    --------
    >>> from helpers.reanalysis import inspect_sr
    >>> print(tiers_markdown(inspect_sr.load()).splitlines()[0])
    Proven under every ordinary reading
    """
    reasons = tool.get("tier_reasons") or {}
    words = {**TIERS, "not_reproducible": "not reproduced under the named model"}
    outcomes = {**tool["tiers"], "not_reproducible": tool["not_reproducible"]}
    lines = []
    for tier, outcome in outcomes.items():
        name = words[tier]
        serious = (" (a reviewer decides whether it is grave enough for serious concerns)"
                   if outcome.get("reviewer_decides_serious") else "")
        reason = reasons.get(tier, "")
        lines.append(f"{markup.text(name[0].upper() + name[1:])}\n: answer "
                     f"\u201c{markup.text(outcome['answer'])}\u201d, "
                     f"{markup.text(outcome['judgement'])}{markup.text(serious)}"
                     + (f": {markup.text(reason)}" if reason else "") + "\n")
    return "\n".join(lines)


def _words(text: str, study) -> str:
    """``text`` for a reader: the trial's code names in words, other identifiers with spaces."""
    text = (tables.text_in_words(str(text), study, code_names_only=True) if study is not None
            else str(text))
    parts = _FILE.split(text)
    return "".join(part if i % 2 else _IDENTIFIER.sub(lambda m: m.group(1).replace("_", " "),
                                                     part) for i, part in enumerate(parts))


def _text_html(text: str, study) -> str:
    """Escaped HTML of ``text`` in words, with file names as code."""
    parts = _FILE.split(_words(text, study))
    return "".join(f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part)
                   for i, part in enumerate(parts))


def _text_md(text: str, study) -> str:
    """Escaped Markdown of ``text`` in words, with file names as code."""
    parts = _FILE.split(_words(text, study))
    return "".join(f"`{part}`" if i % 2 else markup.text(part) for i, part in enumerate(parts))


def _evidence_html(evidence: str, ledger: pd.DataFrame, study, ledger_page: str) -> str:
    """The evidence of a check as links to its ledger rows (``claim#row-...``); a fact or a
    results row as code. The first :data:`SHOWN_LINKS` show; the rest fold into a box."""
    if not str(evidence).strip():
        return "\u2014"
    by_claim = {}
    if not ledger.empty:
        for row in ledger.itertuples():
            by_claim.setdefault(row.claim_id, row)
    items = []
    for item in str(evidence).split("; "):
        claim, _, anchor = item.partition("#")
        if anchor.startswith("row-"):
            row = by_claim.get(claim)
            label = (f"{row.source}, {row.quantity} ({row.check})" if row is not None
                     else claim)
            items.append(f'<a href="{html.escape(ledger_page, quote=True)}#'
                         f'{html.escape(anchor, quote=True)}">{_text_html(label, study)}</a>')
        else:
            items.append(f"<code>{html.escape(item)}</code>")
    shown = "<br>".join(items[:SHOWN_LINKS])
    if len(items) > SHOWN_LINKS:
        rest = "<br>".join(items[SHOWN_LINKS:])
        shown += (f"<details><summary>{len(items) - SHOWN_LINKS} more</summary>{rest}"
                  "</details>")
    return shown


def checks_html(assessment: pd.DataFrame, ledger: pd.DataFrame, tool: dict, study=None,
                ledger_page: str = "ledger.html") -> str:
    """HTML: the domain-by-check table. One heading row per domain (its name and judgement), then
    its checks: the check, its question, the answer, the judgement (symbol and words), the
    evidence one click away (links to the ledger page's rows) and who must still look.

    Examples
    --------
    >>> from helpers.reanalysis import inspect_sr
    >>> tool = inspect_sr.load()
    >>> full = inspect_sr.table(pd.DataFrame(columns=["claim_id", "check", "verdict"]), None,
    ...                         None, tool)
    >>> page = checks_html(full, pd.DataFrame(), tool)
    >>> page.count('<tr class="isr-check"'), page.count('<tr class="isr-domain">')
    (21, 4)
    """
    by_domain = assessment.set_index("check")
    head = ("<thead><tr><th>Check</th><th>Question</th><th>Answer</th><th>Judgement</th>"
            "<th>Evidence</th><th>Who must still look</th></tr></thead>")
    body = []
    for domain in tool["domains"]:
        key = f"domain {domain['id']}"
        judgement = by_domain.loc[key, "judgement"] if key in by_domain.index else \
            tool["needs_reviewer"]
        answered = by_domain.loc[key].get("judgement_answered", "") \
            if key in by_domain.index else ""
        so_far = (f"; the checks answered so far: {_judgement_html(answered, tool)}"
                  if answered and answered != judgement else "")
        body.append(f'<tr class="isr-domain"><th colspan="6">Domain {domain["id"]}: '
                    f"{html.escape(domain['name'])} \u2014 {_judgement_html(judgement, tool)}"
                    f"{so_far}</th></tr>")
        for check in domain["checks"]:
            row = by_domain.loc[check["id"]]
            body.append(
                f'<tr class="isr-check" id="check-{html.escape(check["id"].replace(".", "-"))}">'
                f"<td>{html.escape(check['id'])}</td>"
                f"<td>{_text_html(row['question'], study)}</td>"
                f"<td>{_text_html(row['answer'], study)}</td>"
                f'<td class="isr-judgement">{_judgement_html(row["judgement"], tool)}</td>'
                f"<td>{_evidence_html(row['evidence'], ledger, study, ledger_page)}</td>"
                f"<td>{_text_html(row['who_must_look'], study) or chr(0x2014)}</td></tr>")
    return (f'<div class="table-scroll"><table class="isr-table">{head}<tbody>'
            f"{''.join(body)}</tbody></table></div>")


def domains_html(assessment: pd.DataFrame, tool: dict, study=None) -> str:
    """HTML: the judgement of each domain and the overall judgement, the same judged on the checks
    answered so far (a dash where none is), how complete each is and who must still look.

    Examples
    --------
    >>> from helpers.reanalysis import inspect_sr
    >>> tool = inspect_sr.load()
    >>> full = inspect_sr.table(pd.DataFrame(columns=["claim_id", "check", "verdict"]), None,
    ...                         None, tool)
    >>> domains_html(full, tool).count("<tr>")
    6
    """
    names = {f"domain {d['id']}": f"Domain {d['id']}: {d['name']}" for d in tool["domains"]}
    rows = assessment[assessment["check"].isin(list(names) + ["overall"])]
    body = []
    for _, row in rows.iterrows():
        name = names.get(row["check"], "Overall")
        cell = "th" if row["check"] == "overall" else "td"
        answered = row.get("judgement_answered", "")
        body.append(f"<tr><{cell}>{html.escape(name)}</{cell}>"
                    f'<td class="isr-judgement">{_judgement_html(row["judgement"], tool)}</td>'
                    f'<td class="isr-judgement">'
                    f"{_judgement_html(answered, tool) if answered else chr(0x2014)}</td>"
                    f"<td>{_text_html(row['answer'], study)}</td>"
                    f"<td>{_text_html(row['who_must_look'], study) or chr(0x2014)}</td></tr>")
    return ('<div class="table-scroll"><table class="isr-table isr-domains"><thead><tr>'
            "<th>Domain</th><th>Judgement</th><th>Judged on the checks answered so far</th>"
            "<th>How complete</th><th>Who must still look</th>"
            f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def reviewer_markdown(assessment: pd.DataFrame, tool: dict, study=None) -> str:
    """Markdown list: every check a person must still answer or finish, with what to look for
    (the checks whose ``who_must_look`` names a reviewer), escaped."""
    checks = assessment[~assessment["check"].str.startswith(("domain", "overall"))]
    lines = []
    for _, row in checks.iterrows():
        who = str(row["who_must_look"])
        if not who.strip():
            continue
        who = who[0].upper() + who[1:]
        lines.append(f"- **{markup.text(row['check'])}** "
                     f"{_text_md(row['question'], study)} "
                     f"({markup.text(symbol(row['judgement'], tool))} "
                     f"{markup.text(row['judgement'])}). {_text_md(who, study)}.")
    return "\n".join(lines) if lines else "Nothing: every check is answered."


def judgement_counts(assessment: pd.DataFrame, tool: dict) -> dict[str, int]:
    """How many of the tool's checks have each judgement (the scale, then "needs a reviewer"),
    and how many the engine answers by each way (automated, from data, needs a reviewer).

    Examples
    --------
    >>> from helpers.reanalysis import inspect_sr
    >>> tool = inspect_sr.load()
    >>> full = inspect_sr.table(pd.DataFrame(columns=["claim_id", "check", "verdict"]), None,
    ...                         None, tool)
    >>> judgement_counts(full, tool)["needs a reviewer"]
    21
    """
    checks = assessment[~assessment["check"].str.startswith(("domain", "overall"))]
    counts = {j: int((checks["judgement"] == j).sum()) for j in _marks(tool)}
    for how in ("automated", "from_data", "needs_reviewer"):
        counts[how] = int((checks["answered_by"] == how).sum())
    return counts
