"""Text from a data folder cannot inject HTML or MyST into the book (issue 23): quotes, questions
and labels are escaped by helpers.reanalysis.markup before they enter Markdown."""

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from helpers.build import book
from helpers.reanalysis import cohort, markup, overview, trial

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "{download}`../../etc/passwd`", "$\\sum$ [link](https://example.org/x)"]


def _inert(markdown: str) -> bool:
    """No raw HTML, no role, no link, no mathematics once CommonMark has parsed it."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = {child.type for token in tokens for child in (token.children or [])} | \
        {token.type for token in tokens}
    html = MarkdownIt("commonmark").render(markdown)
    return not ({"html_inline", "html_block", "link_open", "code_inline"} & kinds) and \
        "<script" not in html and "<img" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_is_inert(payload):
    assert not _inert(payload)  # the payload alone acts
    assert _inert(f"- “{markup.text(payload)}” (results)")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_overview_and_misquotes_escape_quotes(payload):
    failed = pd.DataFrame([dict(id="r-1", section="results", quote=payload, verdict="inconsistent",
                                reason=payload, anchor="row-1")])
    said = overview.failed_text_markdown(failed)
    assert _inert(said.replace("](ledger.html#row-1)", "]"))
    claims = pd.DataFrame([dict(claim_id="c-1", section="results", quote=payload,
                                refers_to="effects:X/y/t0-t1:p")])
    restated = pd.DataFrame([dict(claim_id="c-1", verdict="inconsistent", note=payload)])
    assert _inert(cohort.describe_misquotes(restated, claims))


def test_prose_keeps_roles_but_no_html():
    said = markup.prose("{glue:text}`n` <script>alert(1)</script>")
    assert said.startswith("{glue:text}`n`") and "<script" not in said


def test_a_hostile_trial_title_is_inert_in_the_generated_pages(tmp_path):
    study = trial.load("data/published")
    hostile = type(study)(**{**study.__dict__, "title": PAYLOADS[0] + PAYLOADS[2]})
    first_line = book.intro_markdown(hostile).splitlines()[0]
    assert _inert(first_line.removeprefix("# "))


def test_the_book_escapes_the_titles_its_themes_write_raw():
    """book/_ext/escape_titles.py: the titles sphinx-book-theme and pydata-sphinx-theme write
    unescaped (the book's, the page's, the root page's) reach the templates escaped, once."""
    import importlib.util

    from markupsafe import escape

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("escape_titles",
                                                  ROOT / "book" / "_ext" / "escape_titles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    context = {"docstitle": PAYLOADS[1], "pagetitle": PAYLOADS[0], "root_title": "A & B",
               "title": "<em>kept</em>"}
    module._escape_titles(None, "intro", "page.html", context, None)
    assert str(context["docstitle"]) == "&lt;img src=x onerror=alert(1)&gt;"
    assert str(context["pagetitle"]) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert str(escape(context["root_title"])) == "A &amp; B"  # escaped once, not twice
    assert context["title"] == "<em>kept</em>"  # Sphinx's own HTML title is left alone
