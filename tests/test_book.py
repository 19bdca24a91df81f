"""The book builds from the executed notebooks with warnings as errors, every chapter is there,
every glued number was found, and nothing in it points outside the machine."""

import re

import pytest

CHAPTERS = ["notebooks/01_cohort", "notebooks/02_scoring", "notebooks/03_bm22",
            "notebooks/04_fa13", "notebooks/05_qscr10", "notebooks/06_sensitivity",
            "notebooks/ledger", "notebooks/overview", "notebooks/annotated", "notebooks/trustworthiness",
            "critique", "letter",
            "references", "intro"]


@pytest.mark.slow
def test_book_builds_with_every_chapter(built_book):
    assert (built_book / "index.html").is_file()
    for chapter in CHAPTERS:
        page = built_book / f"{chapter}.html"
        assert page.is_file(), chapter
        assert "{glue" not in page.read_text(encoding="utf-8"), chapter


@pytest.mark.slow
def test_no_page_loads_anything_from_the_network(built_book):
    """Scripts, styles, images and fonts are local (no CDN): src/href attributes of script, link
    and img elements never start with http(s) or //."""
    remote = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    offenders = {page.relative_to(built_book).as_posix()
                 for page in built_book.rglob("*.html") if remote.search(page.read_text("utf-8"))}
    assert not offenders, sorted(offenders)


@pytest.mark.slow
def test_ledger_links_point_to_existing_sections(built_book):
    ledger_page = (built_book / "notebooks" / "ledger.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'href="(\d\d_\w+)\.html#([\w-]+)"', ledger_page))
    assert targets
    for page, anchor in targets:
        html = (built_book / "notebooks" / f"{page}.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, (page, anchor)


@pytest.mark.slow
def test_first_page_is_the_verdict_and_the_letter_is_short(built_book):
    index = (built_book / "index.html").read_text(encoding="utf-8")
    assert "notebooks/overview.html" in index  # the book opens on the verdict at a glance
    letter = (built_book / "letter.html").read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*)</article>", letter, re.S).group(1)
    article = re.sub(r"<script.*?</script>", " ", article, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", article)
    assert 200 < len(text.split()) <= 600
    for request in ("test", "formula", "analysed", "change data", "data"):
        assert request in text, request


@pytest.mark.slow
def test_inspect_sr_evidence_links_open_existing_ledger_rows(built_book):
    """The INSPECT-SR chapter's evidence is one click away: every link to the ledger page names
    a row that the ledger page has, and the assessment can be downloaded."""
    page = (built_book / "notebooks" / "trustworthiness.html").read_text(encoding="utf-8")
    ledger_page = (built_book / "notebooks" / "ledger.html").read_text(encoding="utf-8")
    rows = set(re.findall(r'href="ledger\.html#(row-[0-9a-f]{12})"', page))
    assert rows
    assert not [row for row in rows if f'id="{row}"' not in ledger_page]
    assert re.search(r'href="[^"]*_downloads/[0-9a-f]+/inspect_sr\.csv"', page)
