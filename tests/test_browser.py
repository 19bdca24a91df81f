"""The book in a real browser: Debian's Chromium driven by Playwright, pages opened from disk.

Every page loads without console errors, every image loads, no request leaves file:// (or
data:), and the ledger page shows one row per row of results/ledger.csv. Screenshots of the
index and the ledger page go to build/test-artifacts/.
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


def _visit(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    return page, errors, requests


def test_every_page_loads_offline_without_errors(browser, built_book):
    pages = sorted(p for p in built_book.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) >= 10
    problems = []
    for path in pages:
        page, errors, requests = _visit(browser, path.as_uri())
        remote = [u for u in requests if not u.startswith(("file://", "data:", "about:"))]
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)")
        if errors or remote or broken:
            problems.append((path.relative_to(built_book).as_posix(), errors, remote, broken))
        page.close()
    assert not problems, problems


def test_ledger_page_shows_every_row_and_screenshots(browser, built_book):
    with open(ROOT / "results" / "ledger.csv", encoding="utf-8", newline="") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    index, _, _ = _visit(browser, (built_book / "index.html").as_uri())
    index.screenshot(path=str(ARTIFACTS / "index.png"), full_page=False)
    page, errors, _ = _visit(browser, (built_book / "notebooks" / "ledger.html").as_uri())
    rows = page.locator("#ledger-table tbody tr").count()
    assert rows == expected
    page.fill("input.ledger-filter", "inconsistent")
    shown = page.evaluate("() => Array.from(document.querySelectorAll('#ledger-table tbody tr'))"
                          ".filter(r => r.style.display !== 'none').length")
    assert 0 < shown < rows
    page.fill("input.ledger-filter", "")
    page.screenshot(path=str(ARTIFACTS / "ledger.png"), full_page=False)
    assert not errors
