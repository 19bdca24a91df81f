"""The book in a real browser: Debian's Chromium driven by Playwright, pages opened from disk.

Every page, at 1280 px and at 390 px (a phone), loads without console errors, every image loads,
no request leaves file:// (or data:), and neither the page nor its text scrolls sideways. Code
cells are collapsed and one parameters cell shows; the annotated tables have one title per
coloured cell, linking to the ledger; the ledger page shows one row per row of
results/ledger.csv and starts on the failed checks. Screenshots of the first page, an annotated
table, the ledger and the letter go to build/test-artifacts/.
"""

import csv

import pytest

from conftest import ARTIFACTS, BROWSER_MARKS, ROOT

pytestmark = BROWSER_MARKS


WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
FAILED = ("inconsistent", "not_reproducible")


def _tab(browser, width="desktop"):
    """A new tab at ``width``, with the lists its console errors and requests go to."""
    columns, rows = WIDTHS[width]
    page = browser.new_page(viewport={"width": columns, "height": rows})
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    return page, errors, requests


def _visit(browser, url, width="desktop"):
    page, errors, requests = _tab(browser, width)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)
    return page, errors, requests


#: Wider than the window: the page itself, or a paragraph or list of the article's text.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width + 1) { wide.push("page " +
      document.documentElement.scrollWidth); }
  document.querySelectorAll("article p, article li, article h1, article h2, article dl")
    .forEach(e => { const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
        wide.push(e.tagName + ": " + e.textContent.slice(0, 40)); } });
  return wide.slice(0, 5);
}"""


def _pages(built_book):
    return sorted(p for p in built_book.rglob("*.html") if "_static" not in p.parts)


#: What the survey measures on every page, in one call: images that did not load, text wider
#: than the window, and the code cells (shown, collapsed, parameters cells).
MEASURE = """() => ({
  broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
    .map(i => i.src),
  wide: (%s)(),
  shown: Array.from(document.querySelectorAll('div.cell div.cell_input'))
    .filter(e => !e.closest('details') || e.closest('details').open).length,
  collapsed: document.querySelectorAll('div.cell details.hide.above-input').length,
  parameters: document.querySelectorAll('div.cell.tag_parameters').length,
  injected: document.querySelectorAll('div.cell.tag_injected-parameters').length,
})""" % OVERFLOW

#: Screenshots taken during the survey: (page, width, full page).
SCREENSHOTS = {"index-desktop": ("index.html", "desktop", False),
               "index-phone": ("index.html", "phone", False),
               "ledger-phone": ("notebooks/ledger.html", "phone", False),
               "letter-phone": ("letter.html", "phone", False),
               "overview-phone-full": ("notebooks/overview.html", "phone", True)}


@pytest.fixture(scope="module")
def survey(browser, built_book):
    """Every page opened once at each width (one tab per width, reused): its console errors,
    the requests that left file://, and :data:`MEASURE`; the screenshots of
    :data:`SCREENSHOTS` on the way. Returns {width: {page: findings}}."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for width in WIDTHS:
        tab, errors, requests = _tab(browser, width)
        found[width] = {}
        for path in _pages(built_book):
            name = path.relative_to(built_book).as_posix()
            errors.clear()
            requests.clear()
            tab.goto(path.as_uri(), wait_until="load")
            tab.wait_for_timeout(100)
            findings = tab.evaluate(MEASURE)
            findings["errors"] = list(errors)
            findings["remote"] = [u for u in requests
                                  if not u.startswith(("file://", "data:", "about:"))]
            found[width][name] = findings
            for shot, (page_name, shot_width, full) in SCREENSHOTS.items():
                if (page_name, shot_width) == (name, width):
                    tab.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=full)
        tab.close()
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_loads_offline_without_errors_or_sideways_scrolling(survey, width):
    pages = survey[width]
    assert len(pages) >= 12
    problems = [(name, {k: v for k, v in found.items() if k in ("errors", "remote", "broken",
                                                               "wide") and v})
                for name, found in pages.items()
                if found["errors"] or found["remote"] or found["broken"] or found["wide"]]
    assert not problems, problems


def test_code_cells_are_collapsed_and_one_parameters_cell_shows(browser, built_book, survey):
    notebooks = {name: found for name, found in survey["desktop"].items()
                 if name.startswith("notebooks/")}
    assert len(notebooks) >= 9
    problems = [(name, found["shown"], found["collapsed"], found["parameters"],
                 found["injected"]) for name, found in notebooks.items()
                if found["shown"] or not found["collapsed"]
                or found["parameters"] + found["injected"] != 1]
    assert not problems, problems
    page, _, _ = _visit(browser, (built_book / sorted(notebooks)[0]).as_uri())
    page.locator("div.cell details.hide.above-input summary").first.click()
    assert page.evaluate("() => document.querySelector('div.cell details.hide.above-input')"
                         ".open")  # a reader can open it
    page.close()


def test_annotated_tables_have_one_title_per_coloured_cell(browser, built_book):
    sources = {row["source"] for name in ("baseline", "outcomes", "items")
               for row in csv.DictReader(open(ROOT / "data" / "published" / f"{name}.csv",
                                              encoding="utf-8"))}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors, _ = _visit(browser, (built_book / "notebooks" / "annotated.html").as_uri(),
                             "phone")
    assert page.locator("table.ann-table caption").count() == len(sources)
    cells = page.evaluate("""() => Array.from(document.querySelectorAll(
        'table.ann-table td.ann, table.ann-table th.ann')).map(c => [
          c.getAttribute('title') || '', c.querySelectorAll('[title]').length,
          c.querySelector('a') ? c.querySelector('a').getAttribute('href') : '',
          c.querySelector('.ann-symbol') ? c.querySelector('.ann-symbol').textContent : ''])""")
    assert len(cells) > 100
    assert all(title.strip() and inner == 0 for title, inner, _, _ in cells)
    assert all(href.startswith("ledger.html#row-") and symbol for _, _, href, symbol in cells)
    assert page.locator("ul.ann-legend li").count() == 6
    page.evaluate("() => document.querySelectorAll('table.ann-table')[1].scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "annotated-table-phone.png"))
    page.close()
    desktop, more, _ = _visit(browser, (built_book / "notebooks" / "annotated.html").as_uri())
    desktop.locator("table.ann-table").nth(1).screenshot(
        path=str(ARTIFACTS / "annotated-table-desktop.png"))
    desktop.close()
    assert not errors + more
    # a cell's link opens its row of the ledger, even when the filter hid it
    href = next(h for t, _, h, _ in cells if t.startswith(("○", "✓")))
    page_name, anchor = href.split("#")
    ledger_page, errors, _ = _visit(browser,
                                    (built_book / "notebooks" / page_name).as_uri() + "#" + anchor)
    assert ledger_page.locator(f"tr#{anchor}").is_visible()
    assert not errors


def test_ledger_page_starts_on_failures_and_screenshots(browser, built_book):
    with open(ROOT / "results" / "ledger.csv", encoding="utf-8", newline="") as handle:
        verdicts = [row["verdict"] for row in csv.DictReader(handle)]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors, _ = _visit(browser, (built_book / "notebooks" / "ledger.html").as_uri())
    shown = ("() => Array.from(document.querySelectorAll('#ledger-table tbody tr'))"
             ".filter(r => r.style.display !== 'none').length")
    assert page.locator("#ledger-table tbody tr").count() == len(verdicts)
    assert page.evaluate(shown) == sum(v in FAILED for v in verdicts) > 0
    fits = page.evaluate("() => { const t = document.getElementById('ledger-table');"
                         " return t.getBoundingClientRect().width <= t.parentElement.clientWidth"
                         " + 1; }")
    assert fits  # at 1280 px the table fits its column: long cells wrap
    page.get_by_role("button", name="all rows").click()
    assert page.evaluate(shown) == len(verdicts)
    page.fill("input.ledger-filter", "inconsistent")
    assert 0 < page.evaluate(shown) < len(verdicts)
    page.fill("input.ledger-filter", "")
    page.get_by_role("button", name="failed checks").click()
    page.screenshot(path=str(ARTIFACTS / "ledger.png"), full_page=False)
    page.close()
    assert not errors


def test_the_verdict_is_above_the_fold_on_a_phone(browser, built_book):
    """A clinician opening the first page on a phone (390 x 844) reads the three sentences of
    the verdict without scrolling: what the trial can support, what it cannot, and the problems
    by tier of proof."""
    page, errors, _ = _visit(browser, (built_book / "notebooks" / "overview.html").as_uri(),
                             "phone")
    found = page.evaluate("""() => {
      const paragraphs = Array.from(document.querySelectorAll("article p"));
      const verdict = paragraphs.filter(p => /^What the trial can support|^What it cannot support|^Its printed numbers/.test(p.textContent.trim()));
      return verdict.map(p => ({text: p.textContent.trim().slice(0, 40),
                                bottom: p.getBoundingClientRect().bottom + window.scrollY}));
    }""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-phone.png"))
    page.close()
    assert not errors
    assert len(found) == 3, found
    assert all(p["bottom"] <= WIDTHS["phone"][1] for p in found), found
