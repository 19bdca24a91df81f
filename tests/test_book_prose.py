"""Numbers in the book's prose are computed (glued), never typed.

Scans the book's markdown pages and the markdown cells of every notebook for numbers that look
like results: decimals, percentages, and "n =", "p =", "d =" followed by a number. Glue roles,
cross-references, citations, inline code and identifiers are removed first. Method constants that
are not results (the usual 0.1 flag for a standardised difference) are listed explicitly.
"""

import re

import nbformat
import pytest

from conftest import ROOT

#: Constants of method, not results, that prose may state.
ALLOWED = {"0.1"}
ROLE = re.compile(r"\{[a-z:]+\}`[^`]*`")  # {glue:text}`...`, {doc}`...`, {cite:p}`...`
CODE = re.compile(r"`[^`]*`")
IDENTIFIERS = re.compile(r"\b(?:QLQ-\w+|FBK-R10|QSC-R10|NCT\d+|C30|t[0-3]|9:151)\b")
RESULT = re.compile(r"(?<![\w.])(?:\d+\.\d+|\d+(?:\.\d+)?\s?%|[npdr]\s?=\s?\d+(?:\.\d+)?)")


def _prose():
    pages = sorted((ROOT / "book").glob("*.md"))
    for page in pages:
        yield page.name, page.read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
            if cell.cell_type == "markdown":
                yield f"{notebook.name} cell {index}", cell.source


def typed_numbers(text: str) -> list[str]:
    text = ROLE.sub(" ", text)
    text = CODE.sub(" ", text)
    text = IDENTIFIERS.sub(" ", text)
    return [m.group(0) for m in RESULT.finditer(text) if m.group(0) not in ALLOWED]


def test_detector_catches_typed_results():
    assert typed_numbers("the mean was 24.95 (p = 0.016), 40% died, n = 18") == [
        "24.95", "p = 0.016", "40%", "n = 18"]
    assert typed_numbers("{glue:text}`notebooks/01_cohort.ipynb::n_randomised:.0f` patients") == []
    assert typed_numbers("scored 1-4 on QLQ-BM22 at t2, Table 3") == []


@pytest.mark.parametrize(("where", "text"), list(_prose()))
def test_no_result_is_typed_into_prose(where, text):
    assert typed_numbers(text) == [], f"{where}: glue these numbers from a notebook"
