"""Text from a data folder runs no script in any page of its book (issue 23), in a real browser.

The hostile trial (``conftest.hostile_cut_trial``) carries ``<script>`` and ``<img onerror>``
payloads in every free-text cell of its tables (quotes, reasons, notes) and in its title. Its
whole book, built by the session's corpus (``conftest.built_corpus``), is opened page by page in
headless Chromium with a dialog listener: no page may raise a dialog (what the payloads would do
if they ran), and no page may hold a planted element. The text itself must still reach the reader,
shown as text."""

from __future__ import annotations

import pytest

from conftest import BROWSER_MARKS, PAYLOAD

pytestmark = BROWSER_MARKS

@pytest.fixture(scope="module")
def pages(built_corpus):
    html = built_corpus / "trials" / "no_fatigue" / "book" / "_build" / "html"
    found = sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)
    assert len(found) >= 8, f"the hostile trial's book has too few pages: {found}"
    return html, found


def test_no_page_of_the_hostile_trial_holds_a_payload_unescaped(pages):
    """The HTML source itself, every page (the search page's ``<title>`` too, where a browser
    would not run it, but a ``</title>`` in the data would break out)."""
    html, found = pages
    for path in found:
        source = path.read_text(encoding="utf-8")
        assert "<script>alert" not in source and "<img src=x" not in source, \
            f"{path.relative_to(html)} holds a payload unescaped"


def test_no_page_of_the_hostile_trial_runs_a_planted_script(browser, pages):
    html, found = pages
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shown = {}
    try:
        for path in found:
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(50)  # an onerror handler fires once the image fails to load
            planted = page.evaluate(
                """() => [...document.querySelectorAll('script, img[onerror], [onerror]')]
                       .filter(e => (e.textContent + (e.getAttribute('onerror') || ''))
                                    .includes("alert('planted')")).length""")
            assert planted == 0, f"{path.relative_to(html)}: a planted element is in the page"
            shown[path.relative_to(html).as_posix()] = page.inner_text("body").count(
                "alert('planted')")
    finally:
        context.close()
    assert not dialogs, f"a planted script ran: {dialogs}"
    # the payloads are shown as text where the pages quote the data (the title on every page)
    assert sum(shown.values()) > len(found), shown
    assert PAYLOAD.strip().startswith("<script>")
