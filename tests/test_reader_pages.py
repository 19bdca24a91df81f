"""What a reader sees: the pages speak in words, the first page's tiers of proof add up to the
ledger, "proven wrong" is said only of the first tier, and the letter calls no sentence
impossible. Problems are ranked by rules that worked examples written here check.

The text of a page is its article's HTML without scripts, styles and code (``<pre>``, ``<code>``:
a parameter name shown as code is meant to be typed).
"""

import json
import re

import pandas as pd
import pytest

from helpers.reanalysis import ledger, overview, problems, trial

from conftest import PUBLISHED, ROOT

READER_PAGES = ["notebooks/overview", "notebooks/annotated", "letter", "critique",
                "notebooks/01_cohort", "notebooks/02_scoring", "notebooks/03_bm22",
                "notebooks/04_fa13", "notebooks/05_qscr10", "notebooks/06_sensitivity",
                "notebooks/trustworthiness"]
#: Names with an underscore that are a method's own name, not a code name.
ALLOWED = {"d_ppc2"}


def _text(built_book, page: str) -> str:
    html = (built_book / f"{page}.html").read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*)</article>", html, re.S).group(1)
    article = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", article, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", article)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " "))


@pytest.mark.parametrize("page", READER_PAGES)
def test_no_code_name_nan_or_boolean_on_a_reader_page(built_book, page):
    text = _text(built_book, page)
    names = set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text)) - ALLOWED
    assert not names, f"{page}: code names {sorted(names)[:10]}"
    shown = set(re.findall(r"\b(?:NaN|True|False)\b", text))
    assert not shown, f"{page}: {sorted(shown)}"


def _glued(notebook: str) -> dict:
    """The values an executed notebook glued (their plain-text form), by name."""
    cells = json.loads((ROOT / "book" / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    values = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = next(v for k, v in output["data"].items()
                                    if k.endswith("text/plain"))
    return values


def test_the_first_pages_tiers_add_up_to_the_ledgers_problems():
    table = ledger.read(ROOT / "results")
    glued = _glued("overview")
    tiers = {tier: int(glued[f"n_tier_{tier}"]) for tier in ledger.TIERS}
    found = ledger.problems(table)
    assert sum(tiers.values()) == len(found) == int(glued["n_problems"])
    assert tiers == found["tier"].value_counts().reindex(list(ledger.TIERS), fill_value=0) \
        .to_dict()
    # every inconsistent row has a tier, and no other row has one
    failed = table["verdict"] == "inconsistent"
    assert (table.loc[failed, "tier"] != "").all() and (table.loc[~failed, "tier"] == "").all()


@pytest.mark.parametrize("page", ["notebooks/overview", "letter", "critique"])
def test_proven_wrong_is_said_only_of_the_first_tier(built_book, page):
    text = _text(built_book, page)
    for sentence in re.split(r"(?<=[.;])\s", text):
        if "proven wrong" in sentence.lower():
            assert "every ordinary reading" in sentence or "first tier" in sentence, sentence


def test_the_letter_calls_nothing_impossible_and_leaves_places_to_sign(built_book):
    text = _text(built_book, "letter")
    assert "impossib" not in text.lower()
    assert "[Signatories" in text and "Competing interests" in text


# Worked examples: a ledger of three problems written by hand.

def _row(claim, check, published, recomputed="", tier="proven", possible_if="", quantity="q"):
    return dict(claim_id=claim, source="Table 2", quantity=quantity, published=published,
                recomputed=recomputed, check=check, verdict="inconsistent",
                problem=ledger.problem_of(claim), assumption="complete items", note="",
                notebook="01_cohort", section="s", possible_if=possible_if, tier=tier)


@pytest.fixture(scope="module")
def study():
    return trial.load(PUBLISHED)


def test_problems_are_ranked_by_severity_with_their_innocent_explanation(study):
    effects = pd.DataFrame(dict(instrument=["BM22", "BM22"], scale=["painful_sites"] * 2,
                                contrast=["t0-t2", "t0-t3"], p=[0.40, 0.01]))
    table = pd.DataFrame([
        # a Table 1 percentage: descriptive, no finding rests on it
        _row("baseline:primary_site/lung/A:percent", "percentage", "9.3", "10.0"),
        # a 6-month mean of a scale whose 6-month comparison the paper calls significant (0.01):
        # GRIM finds it possible with n = 19 to 22, the nearest to the printed 18 is 19
        _row("outcomes:BM22/painful_sites/B/t3:mean", "GRIM", "24.95",
             "possible with n = 19-22, 37-44"),
        # the 3-month mean of the same scale (p = 0.40), possible with missing items
        _row("outcomes:BM22/painful_sites/B/t2:mean", "GRIM", "30.01", tier="assumption",
             possible_if="missing items allowed"),
    ])
    outcomes = pd.DataFrame(dict(instrument=["BM22"] * 2, scale=["painful_sites"] * 2,
                                 arm=["B"] * 2, timepoint=["t3", "t2"], n=[18, 20]))
    ranked = problems.ranked(table, study, effects, 0.05, outcomes=outcomes)
    # severity first, then the tier of proof: among problems that change no finding, the
    # percentage proven under every reading ranks above the mean proven only under an assumption
    assert ranked["problem"].tolist() == ["outcomes:BM22/painful_sites/B/t3",
                                          "baseline:primary_site/lung/A",
                                          "outcomes:BM22/painful_sites/B/t2"]
    assert ranked["severity"].tolist() == ["finding", "none", "none"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert "19 patients, not the 18 printed" in ranked.loc[0, "explanation"]
    assert ranked.loc[1, "explanation"] == problems.SLIPS["percentage"]
    assert ranked.loc[2, "explanation"].endswith("missing items allowed")


def test_problems_with_one_shared_cause_share_a_rank(study):
    effects = pd.DataFrame(dict(instrument=["FA13"] * 2, scale=["physical", "emotional"],
                                contrast=["t0-t3"] * 2, p=[0.01, 0.2]))
    table = pd.DataFrame([
        _row("outcomes:FA13/physical/B/t3:mean", "GRIM", "64.91", tier="assumption",
             possible_if="missing items allowed"),
        _row("outcomes:FA13/emotional/B/t3:mean", "GRIM", "46.05", tier="assumption",
             possible_if="missing items allowed"),
        _row("outcomes:FA13/emotional/A/t3:mean", "GRIM", "40.05", tier="assumption",
             possible_if="missing items allowed"),
    ])
    ranked = problems.ranked(table, study, effects, 0.05)
    assert ranked.set_index("problem")["rank"].to_dict() == {
        "outcomes:FA13/physical/B/t3": 1, "outcomes:FA13/emotional/B/t3": 1,
        "outcomes:FA13/emotional/A/t3": 2}
    letter = overview.letter_problems(ranked, study)
    assert letter.count("<li>") == 1  # arm B's two means in one item; arm A's counted after
    assert "1 further problem concerns" in letter


def test_a_restated_p_on_the_same_side_of_alpha_changes_no_finding(study):
    table = pd.DataFrame([_row("results-22", "text against table", "0.048", "0.015",
                               tier="discrepancy", quantity="item 18 p")])
    ranked = problems.ranked(table, study, pd.DataFrame(columns=["instrument", "scale",
                                                                 "contrast", "p"]), 0.05)
    assert ranked.loc[0, "severity"] == "none"
    moved = pd.DataFrame([_row("results-22", "text against table", "0.048", "0.065",
                               tier="discrepancy", quantity="item 18 p")])
    assert problems.ranked(moved, study, pd.DataFrame(columns=["instrument", "scale",
                                                               "contrast", "p"]),
                           0.05).loc[0, "severity"] == "finding"


def test_the_pages_counts_agree_with_each_other_and_the_ledger():
    """The first page, the ledger page and the letter read one ledger: their counts agree."""
    table = ledger.read(ROOT / "results")
    first, page = _glued("overview"), _glued("ledger")
    assert int(first["n_problems"]) == int(page["ledger_problems"]) == len(ledger.problems(table))
    for verdict in ("inconsistent", "not_reproducible", "unverifiable"):
        rows = int((table["verdict"] == verdict).sum())
        assert int(first[f"n_rows_{verdict}"]) == int(page[f"ledger_total_{verdict}"]) == rows
    assert int(first["n_rows"]) == int(page["ledger_rows"]) == len(table)
