"""The annotated page on a phone (issue 22, item 9), in Debian's Chromium driven by Playwright at
390 x 844 with touch: a tap on a coloured cell opens its note where the screen shows it, a second
tap closes it, the keyboard opens it too; every mark the cells show is in the legend; the page
shows no code names, NaN or booleans; and text from the data runs no script (a dialog listener
stays silent on the built page and on a page made from a hostile ledger). Pages are opened from
disk; the book is the session's build (tests/conftest.py, ``built_book``).
"""

import re

import pandas as pd
import pytest

from conftest import ARTIFACTS, BROWSER_MARKS, PUBLISHED, ROOT
from helpers.reanalysis import annotate, trial

pytestmark = BROWSER_MARKS
PHONE = {"width": 390, "height": 844}
IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b(?!\.[a-z]{2,4}\b)")
MACHINE = re.compile(r"\b(NaN|nan|NaT|None|True|False|dtype|Unnamed: \d+)\b")


def _phone(browser):
    """A phone-sized tab with touch, and the lists its dialogs and errors go to (a dialog is
    recorded and dismissed: an alert() would mean a script from the data ran)."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, dialogs, errors


#: Where a note is on the screen, and whether it is shown at all (the content of a closed
#: details element keeps a box, but is not rendered: checkVisibility).
NOTE_BOX = """(cell) => { const note = cell.querySelector('ul.ann-detail');
  const box = note.getBoundingClientRect();
  return {left: box.left, right: box.right, top: box.top, width: box.width, height: box.height,
          shown: note.checkVisibility({visibilityProperty: true}) && box.height > 0,
          open: cell.querySelector('details').open}; }"""


@pytest.fixture(scope="module")
def annotated(browser, built_book):
    context, page, dialogs, errors = _phone(browser)
    page.goto((built_book / "notebooks" / "annotated.html").as_uri(), wait_until="load")
    page.wait_for_timeout(150)
    yield page, dialogs, errors
    context.close()


def test_a_tap_opens_a_cells_note_on_the_screen_and_a_second_tap_closes_it(annotated):
    page, dialogs, errors = annotated
    # the last coloured cell of a wide table: its column is off the screen until scrolled to
    cell = page.locator("table.ann-table:not(.ann-text) td.ann-inconsistent").last
    before = cell.evaluate(NOTE_BOX)
    assert not before["open"] and not before["shown"]  # closed, not only hover-hidden
    summary = cell.locator("summary")
    summary.scroll_into_view_if_needed()
    summary.tap()
    page.wait_for_timeout(200)
    after = cell.evaluate(NOTE_BOX)
    assert after["open"] and after["shown"] and after["height"] > 20
    # on the screen: the note scrolled into view inside its table's scrolling box
    assert 0 <= after["left"] and after["right"] <= PHONE["width"] + 1, after
    note = cell.locator("ul.ann-detail")
    assert note.is_visible()
    assert note.locator("a[href^='ledger.html#row-']").count() == note.locator("li").count() > 0
    assert re.search(r"✗ inconsistent( \([^)]*\))?:", note.inner_text())  # tier in brackets
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotated-note-phone.png"))
    summary.tap()
    page.wait_for_timeout(100)
    assert not cell.evaluate(NOTE_BOX)["shown"]
    assert not dialogs and not errors


def test_the_keyboard_opens_a_note_too(annotated):
    page, dialogs, _ = annotated
    summary = page.locator("table.ann-table:not(.ann-text) td.ann summary").first
    summary.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert summary.evaluate("s => s.parentElement.open")
    assert page.locator("table.ann-table:not(.ann-text) td.ann").first.locator(
        "ul.ann-detail").is_visible()
    page.keyboard.press("Enter")
    assert not summary.evaluate("s => s.parentElement.open")
    assert not dialogs


def test_every_mark_the_cells_show_is_in_the_legend(annotated):
    page, _, _ = annotated
    faces = page.evaluate("""() => Array.from(document.querySelectorAll(
        'table.ann-table:not(.ann-text) td, table.ann-table:not(.ann-text) th')).map(c => {
          const s = c.querySelector('summary');
          return s ? (s.querySelector('.ann-symbol') ? s.textContent.replace(
              s.querySelector('.ann-sr').textContent, '') : s.textContent) : c.textContent; })""")
    legend = page.locator("ul.ann-legend").inner_text() + page.locator(
        "ul.ann-legend-marks").inner_text()
    marks = {char for face in faces for char in face
             if not re.match(r"[\w\s.,;:()\-–%/'\"]", char)}
    assert {"✗", "○", "✓", "?", "→"} <= marks
    assert all(mark in legend for mark in marks), marks - set(legend)
    # each table states its shared assumptions once, under it
    assert page.locator("div.ann-shared").count() == page.locator(
        "table.ann-table caption").count()


def test_the_page_shows_no_code_names_nan_or_booleans(annotated):
    page, _, _ = annotated
    text = page.evaluate("""() => { const main = document.querySelector('main') ||
        document.body; const copy = main.cloneNode(true);
      copy.querySelectorAll('div.cell_input, script, style').forEach(e => e.remove());
      const titles = Array.from(copy.querySelectorAll('[title]')).map(e => e.title);
      return copy.textContent + ' ' + titles.join(' '); }""")
    assert "Legend" in text and "The tables" in text
    assert not IDENTIFIER.findall(text), sorted(set(IDENTIFIER.findall(text)))
    assert not MACHINE.findall(text), sorted(set(MACHINE.findall(text)))


def _row(claim, payload):
    return dict(claim_id=claim, source="Table 5", quantity="q", published="1", recomputed="",
                check=f"GRIM {payload}", verdict="inconsistent", problem="",
                assumption=f"{payload}; n {claim[-8:]}", note=payload, notebook="n",
                made_by="m", when="", section="s")


def test_text_from_a_hostile_ledger_runs_no_script(browser):
    """A ledger whose checks, assumptions and notes carry scripts and event handlers, through
    the annotated table, its shared block, the legend and the text table, on a page with the
    book's stylesheet and script: a tap opens the note and no dialog appears."""
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>" onfocus="alert(3)'
    ledger_table = pd.DataFrame([_row(f"outcomes:QSCR10/distress/{a}/{t}:mean", payload)
                                 for a in "AB" for t in ("t0", "t2")])
    study = trial.load(PUBLISHED)
    items = pd.DataFrame([dict(id="x", section="results", quote=payload, verdict="inconsistent",
                               reason=payload, anchor="row-1")])
    body = (annotate.legend_html()
            + annotate.annotated_table("Table 5", ledger_table, PUBLISHED, study)
            + annotate.text_html(items))
    static = ROOT / "book" / "_static"
    html = ("<!doctype html><html><head><meta name='viewport' content='width=device-width'>"
            f"<style>{(static / 'reader.css').read_text('utf-8')}"
            f"{(static / 'annotate.css').read_text('utf-8')}</style></head><body>{body}"
            f"<script>{(static / 'annotate.js').read_text('utf-8')}</script></body></html>")
    context, page, dialogs, errors = _phone(browser)
    page.set_content(html, wait_until="load")
    cell = page.locator("td.ann-inconsistent").first
    cell.locator("summary").tap()
    page.wait_for_timeout(200)
    note = cell.locator("ul.ann-detail")
    assert note.is_visible() and payload in note.inner_text()
    page.keyboard.press("Tab")
    page.wait_for_timeout(100)
    assert page.locator("img").count() == 0 and page.locator("body script").count() == 1
    assert not dialogs, dialogs
    assert not errors, errors
    context.close()
