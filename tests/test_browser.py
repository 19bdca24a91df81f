"""The book in a real browser: Debian's Chromium driven by Playwright, pages opened from disk.

Every page, at 1280 px and at 390 px (a phone), loads without console errors, every image loads,
no request leaves file:// (or data:), and neither the page nor its text scrolls sideways. Code
cells are collapsed and one parameters cell shows; the annotated tables have one title per
coloured cell, linking to the ledger; the ledger page shows one row per row of
results/ledger.csv and starts on the failed checks. Screenshots of the first page, an annotated
table, the ledger and the letter go to build/test-artifacts/.
"""

import csv
import shutil

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "build" / "test-artifacts"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.os.path.exists(CHROMIUM),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as engine:
        instance = engine.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
FAILED = ("inconsistent", "not_reproducible")


def _visit(browser, url, width="desktop"):
    columns, rows = WIDTHS[width]
    page = browser.new_page(viewport={"width": columns, "height": rows})
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
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


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_loads_offline_without_errors_or_sideways_scrolling(browser, built_book,
                                                                       width):
    pages = _pages(built_book)
    assert len(pages) >= 12
    problems = []
    for path in pages:
        page, errors, requests = _visit(browser, path.as_uri(), width)
        remote = [u for u in requests if not u.startswith(("file://", "data:", "about:"))]
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)")
        wide = page.evaluate(OVERFLOW)
        if errors or remote or broken or wide:
            problems.append((path.relative_to(built_book).as_posix(), errors, remote, broken,
                             wide))
        page.close()
    assert not problems, problems


def test_code_cells_are_collapsed_and_one_parameters_cell_shows(browser, built_book):
    notebooks = sorted((built_book / "notebooks").glob("*.html"))
    assert len(notebooks) >= 9
    problems = []
    for path in notebooks:
        page, _, _ = _visit(browser, path.as_uri())
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('div.cell div.cell_input'))"
            ".filter(e => !e.closest('details') || e.closest('details').open).length")
        collapsed = page.locator("div.cell details.hide.above-input").count()
        parameters = page.locator("div.cell.tag_parameters").count()
        injected = page.locator("div.cell.tag_injected-parameters").count()
        if shown or not collapsed or parameters + injected != 1:
            problems.append((path.name, shown, collapsed, parameters, injected))
        page.close()
    assert not problems, problems
    page, _, _ = _visit(browser, notebooks[0].as_uri())
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
    for width in WIDTHS:
        index, _, _ = _visit(browser, (built_book / "index.html").as_uri(), width)
        index.screenshot(path=str(ARTIFACTS / f"index-{width}.png"), full_page=False)
        index.close()
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
    for name, path in (("ledger-phone", "notebooks/ledger.html"), ("letter-phone", "letter.html"),
                       ("overview-phone-full", "notebooks/overview.html")):
        phone, more, _ = _visit(browser, (built_book / path).as_uri(), "phone")
        phone.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=name.endswith("full"))
        errors += more
        phone.close()
    assert not errors
