"""INSPECT-SR as data and the assessment per trial (helpers.reanalysis.inspect_sr).

Expected values are written out by hand from the worked examples below and from the tool's
sources (21 checks: 3, 5, 2 and 11 per domain; bayesma automates 4.3, 4.6, 4.8 and 4.9), never
taken from the code under test.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from helpers.build.inspect_sr import allowed_out
from helpers.build.pipeline import PipelineError
from helpers.reanalysis import inspect_sr
from helpers.reanalysis.paths import project_root
from helpers.reanalysis.yamlfile import YamlFileError

TOOL = project_root() / "data" / "claims" / "inspect_sr.yaml"
NEEDS = "needs a reviewer"
NEEDS_PERSON = ["2.4", "2.5", "3.2", "4.1", "4.2", "4.5", "4.7"]
FROM_DATA = ["1.1", "1.2", "1.3", "2.1", "2.2"]


def row(claim, check, verdict, tier="", problem="", assumption="integer answers"):
    return dict(claim_id=claim, check=check, verdict=verdict, tier=tier, problem=problem,
                assumption=assumption)


def by_check(ledger, data_dir=None, results_dir=None):
    return inspect_sr.assess(pd.DataFrame(ledger), data_dir, results_dir).set_index("check")


def anchor(claim, check, assumption):
    """The ledger page's row id, as the ledger module documents it: ``row-`` and the first 12
    hex digits of the SHA-1 of ``claim|check|assumption``."""
    return "row-" + hashlib.sha1(f"{claim}|{check}|{assumption}".encode()).hexdigest()[:12]


# A clean ledger: one decided row in every family of the fully automated checks.
CLEAN = [row("outcomes:Q/s/B/t2:n", "n against participant flow", "reproduced"),
         row("outcomes:Q/s/B/t2:mean", "GRIM", "consistent"),
         row("outcomes:Q/s/B/t2:sd", "GRIMMER", "consistent"),
         row("outcomes:Q/s/B/t2:p", "p from summary data", "consistent"),
         row("baseline:sex/male/A:percent", "percentage", "reproduced"),
         row("results-3", "text against table", "reproduced"),
         row("related:registry/enrollment/:value", "text against another publication",
             "consistent"),
         row("related:paper2015/deaths/:value", "text against another publication",
             "consistent")]


def test_the_tool_has_21_checks_in_4_domains_of_3_5_2_and_11():
    tool = inspect_sr.load()
    assert [len(d["checks"]) for d in tool["domains"]] == [3, 5, 2, 11]
    ids = [c["id"] for d in tool["domains"] for c in d["checks"]]
    assert ids == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2",
                   "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10", "4.11"]
    automated = {c["id"] for d in tool["domains"] for c in d["checks"]
                 if c["answered_by"] == "automated"}
    assert {"4.3", "4.6", "4.8", "4.9"} <= automated  # the four bayesma computes
    assert tool["reference"].count("10.1101/2025.09.03.25334905") == 1


def test_a_proven_grim_problem_is_yes_with_some_concerns_and_a_reviewer_decides_if_serious():
    # One impossible mean: its GRIM row and its GRIMMER row are one problem.
    ledger = [row("outcomes:Q/s/B/t2:mean", "GRIM", "inconsistent", "proven", "outcomes:Q/s/B/t2"),
              row("outcomes:Q/s/B/t2:sd", "GRIMMER", "inconsistent", "proven",
                  "outcomes:Q/s/B/t2"),
              row("outcomes:Q/s/A/t2:mean", "GRIM", "consistent")]
    check = by_check(ledger).loc["4.8"]
    assert check["answer"] == "yes (proven under every ordinary reading: 1 problem)"
    assert check["judgement"] == "some concerns"
    assert "grave enough for serious concerns" in check["who_must_look"]
    assert check["evidence"] == (
        f"outcomes:Q/s/B/t2:mean#{anchor('outcomes:Q/s/B/t2:mean', 'GRIM', 'integer answers')}; "
        f"outcomes:Q/s/B/t2:sd#{anchor('outcomes:Q/s/B/t2:sd', 'GRIMMER', 'integer answers')}")


def test_a_problem_counts_once_under_its_strongest_tier():
    ledger = [row("outcomes:Q/s/B/t2:mean", "GRIM", "inconsistent", "proven", "outcomes:Q/s/B/t2"),
              row("outcomes:Q/s/B/t2:mean", "GRIM", "inconsistent", "assumption",
                  "outcomes:Q/s/B/t2", assumption="7 items")]
    assert by_check(ledger).loc["4.8", "answer"] == \
        "yes (proven under every ordinary reading: 1 problem)"


def test_a_problem_proven_only_under_an_assumption_is_unclear_and_at_most_some_concerns():
    ledger = [row("outcomes:F/s/B/t3:mean", "GRIM over item counts", "inconsistent",
                  "assumption", "outcomes:F/s/B/t3")]
    check = by_check(ledger).loc["4.8"]
    assert check["answer"] == \
        "unclear (proven only under an assumption a reader can contest: 1 problem)"
    assert check["judgement"] == "some concerns"
    assert "serious" not in check["who_must_look"]


def test_a_clean_ledger_gives_no_concerns_for_the_fully_automated_checks():
    checks = by_check(CLEAN)
    for check in ("4.6", "4.8", "4.9", "4.10"):
        assert checks.loc[check, "judgement"] == "no concerns", check
        assert checks.loc[check, "answer"].startswith("no ("), check
        assert checks.loc[check, "who_must_look"] == "", check
    # 4.8 decided two rows (GRIM and GRIMMER); both are its evidence.
    assert checks.loc["4.8", "answer"] == "no (none of 2 rows failed)"
    # What the engine sees only in part is never "no concerns": a person must finish it.
    for check in ("2.3", "4.4", "4.11"):
        assert checks.loc[check, "judgement"] == NEEDS, check
        assert checks.loc[check, "who_must_look"].startswith("a reviewer: "), check


def test_a_check_without_any_decided_row_is_not_answered():
    checks = by_check([row("outcomes:Q/s/B/t2:mean", "GRIM", "unverifiable")])
    assert checks.loc["4.8", "judgement"] == NEEDS
    assert checks.loc["4.8", "answer"].startswith("not answered")
    assert checks.loc["4.8", "evidence"] == ""


def test_checks_that_need_a_person_are_never_answered(tmp_path):
    # Every family failed, and every from-data check has a fact: still no answer for these.
    ledger = CLEAN + [row("outcomes:Q/s/B/t2:n", "n against participant flow", "inconsistent",
                          "proven", "outcomes:Q/s/B/t2")]
    facts = pd.DataFrame([dict(check=c, answer="no", source="journal page", date="2026-12-01",
                               note="") for c in FROM_DATA])
    facts.to_csv(tmp_path / "inspect_sr_facts.csv", index=False)
    checks = by_check(ledger, tmp_path)
    for check in NEEDS_PERSON:
        assert checks.loc[check, "judgement"] == NEEDS, check
        assert checks.loc[check, "answer"] == "not answered (needs a person)", check
        assert checks.loc[check, "evidence"] == "", check
        assert checks.loc[check, "who_must_look"].startswith("a reviewer: "), check
    for check in FROM_DATA:
        assert checks.loc[check, "judgement"] == "no concerns", check


def test_an_offline_build_claims_no_search_without_a_fact():
    checks = by_check(CLEAN)
    for check in FROM_DATA:
        assert checks.loc[check, "judgement"] == NEEDS
        assert checks.loc[check, "answer"] == "not answered (no fact recorded)"


def test_facts_answer_the_from_data_checks_with_source_and_date(tmp_path):
    pd.DataFrame([
        dict(check="1.1", answer="yes", source="journal page", date="2026-12-01",
             note="retracted 2024"),
        dict(check="2.2", answer="unclear", source="registry record", date="2026-12-02", note=""),
    ]).to_csv(tmp_path / "inspect_sr_facts.csv", index=False)
    checks = by_check(CLEAN, tmp_path)
    # A retraction is the one answer the tool's guidance says usually means serious concerns.
    assert checks.loc["1.1", "judgement"] == "serious concerns"
    assert checks.loc["1.1", "answer"] == \
        "yes (recorded 2026-12-01 from journal page: retracted 2024)"
    assert checks.loc["1.1", "evidence"] == "inspect_sr_facts.csv:1.1"
    assert checks.loc["2.2", "judgement"] == "some concerns"


@pytest.mark.parametrize("fact, message", [
    (dict(check="1.1", answer="yes", source="journal page", date="1 Dec 2026"), "YYYY-MM-DD"),
    (dict(check="1.1", answer="yes", source="", date="2026-12-01"), "source"),
    (dict(check="4.8", answer="no", source="x", date="2026-12-01"), "not a check answered"),
    (dict(check="1.1", answer="maybe", source="x", date="2026-12-01"), "answer must be"),
])
def test_a_bad_fact_is_refused_with_file_and_row(tmp_path, fact, message):
    pd.DataFrame([dict(fact, note="")]).to_csv(tmp_path / "inspect_sr_facts.csv", index=False)
    with pytest.raises(inspect_sr.InspectSrError) as error:
        by_check(CLEAN, tmp_path)
    assert "inspect_sr_facts.csv: row 2" in str(error.value)
    assert message in str(error.value)


def test_registration_documents_answer_2_3_and_other_publications_4_11():
    ledger = [row("related:registry/enrollment/:value", "text against another publication",
                  "inconsistent", "discrepancy", "related:registry/enrollment/"),
              row("related:protocol2010/arms/:value", "text against another publication",
                  "consistent"),
              row("related:paper2015/deaths/:value", "text against another publication",
                  "consistent")]
    checks = by_check(ledger)
    assert checks.loc["2.3", "answer"] == \
        "yes (a discrepancy between documents or readings: 1 problem)"
    assert checks.loc["2.3", "judgement"] == "some concerns"
    assert checks.loc["4.11", "answer"] == "no (none of 1 row failed)"
    assert checks.loc["4.11", "evidence"].startswith("related:paper2015/deaths/:value#row-")


def test_a_misstatement_is_recorded_but_is_no_concern():
    ledger = [row("discussion-s4", "statement against tables", "inconsistent", "misstatement",
                  "discussion-s4", assumption="")]
    check = by_check(ledger).loc["4.4"]
    assert check["answer"] == "no (an overstatement or understatement: 1 problem)"
    assert check["judgement"] == NEEDS  # 4.4 is partial: figures still need a person
    assert check["evidence"] == \
        f"discussion-s4#{anchor('discussion-s4', 'statement against tables', '')}"


def test_rows_not_reproduced_are_unclear_with_some_concerns():
    ledger = [row("effects:Q/s/t2:d", "effect-size definition", "not_reproducible",
                  assumption="Cohen's d at follow-up")]
    check = by_check(ledger).loc["4.9"]
    assert check["answer"] == "unclear (1 row not reproduced under the named model)"
    assert check["judgement"] == "some concerns"


def test_baseline_balance_answers_4_3_from_the_results(tmp_path):
    (tmp_path / "baseline_balance.csv").write_text(
        "characteristic,level,beyond_chance\nage,,False\nsex,male,True\n")
    check = by_check(CLEAN, None, tmp_path).loc["4.3"]
    assert check["answer"] == "unclear (1 row flagged beyond_chance)"
    assert check["judgement"] == "some concerns"
    assert check["evidence"] == "baseline_balance.csv:sex/male"
    (tmp_path / "baseline_balance.csv").write_text(
        "characteristic,level,beyond_chance\nage,,False\n")
    assert by_check(CLEAN, None, tmp_path).loc["4.3", "judgement"] == NEEDS


def test_a_ledger_family_that_no_check_answers_is_refused():
    with pytest.raises(inspect_sr.InspectSrError, match="invented family"):
        by_check([row("x:y/z:w", "invented family", "consistent")])


def frame(judgements):
    """An assessment of 21 checks, all "no concerns" except those given as {check: judgement}."""
    tool = inspect_sr.load()
    return pd.DataFrame([dict(check=c["id"], domain=str(d["id"]),
                              judgement=judgements.get(c["id"], "no concerns"))
                         for d in tool["domains"] for c in d["checks"]])


def test_domains_take_the_most_severe_check_and_never_read_no_concerns_when_incomplete():
    rows = inspect_sr.domains(frame({
        "1.1": "serious concerns", "1.2": NEEDS, "1.3": NEEDS,   # serious stands, incomplete
        # domain 2: all no concerns
        "3.2": NEEDS,                                            # nothing found, incomplete
        "4.8": "some concerns", "4.1": NEEDS}))                  # some stands, incomplete
    assert rows["judgement"].tolist() == \
        ["serious concerns", "no concerns", NEEDS, "some concerns"]
    assert rows["answer"].tolist() == [
        "incomplete: 2 of 3 checks need a reviewer", "complete",
        "incomplete: 1 of 2 checks need a reviewer", "incomplete: 1 of 11 checks need a reviewer"]
    assert inspect_sr.overall(rows)["judgement"].iloc[0] == "serious concerns"


@pytest.mark.parametrize("domain_judgements, expected", [
    (["no concerns"] * 4, "no concerns"),
    (["no concerns", NEEDS, "no concerns", "no concerns"], NEEDS),
    (["some concerns", NEEDS, "no concerns", "no concerns"], "some concerns"),
    (["some concerns", "no concerns", "serious concerns", NEEDS], "serious concerns"),
])
def test_overall_is_the_most_severe_domain(domain_judgements, expected):
    rows = pd.DataFrame(dict(check=[f"domain {i}" for i in "1234"], domain=list("1234"),
                             judgement=domain_judgements))
    assert inspect_sr.overall(rows)["judgement"].iloc[0] == expected


def test_two_domains_with_some_concerns_ask_a_reviewer_whether_together_serious():
    rows = pd.DataFrame(dict(check=[f"domain {i}" for i in "1234"], domain=list("1234"),
                             judgement=["some concerns", "no concerns", "some concerns",
                                        "no concerns"]))
    out = inspect_sr.overall(rows).iloc[0]
    assert out["judgement"] == "some concerns"
    assert out["who_must_look"] == \
        "a reviewer: whether the some concerns of domains 1, 3 are together serious"


def bad_tool(tmp_path, old, new):
    text = TOOL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "inspect_sr.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ('      - id: "4.8"', '      - id: "4.12"', "domains[3].checks[7].id: must be '4.8'"),
    ("answered_by: needs_reviewer", "answered_by: maybe",
     "domains[1].checks[3] (2.4).answered_by"),
    ("  misstatement: {answer: \"no\", judgement: no concerns}\n", "",
     "tiers: must map every tier of proof"),
    ("          families: [GRIM,", "          families: 7\n          other: [GRIM,",
     "(4.8).ledger.families"),
    ("tool: INSPECT-SR", "tool: ''", ": tool: must be non-empty text"),
    ("tier_reasons:\n  proven: >-", "tier_reasons:\n  certain: why\n  proven: >-",
     "tier_reasons: must map tiers of proof"),
])
def test_bad_yaml_is_refused_naming_the_file_and_key(tmp_path, old, new, message):
    path = bad_tool(tmp_path, old, new)
    with pytest.raises(inspect_sr.InspectSrError) as error:
        inspect_sr.load(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_yaml_with_an_alias_is_refused_by_the_safe_loader(tmp_path):
    path = bad_tool(tmp_path, "tool: INSPECT-SR", "tool: &t INSPECT-SR\nalias: *t")
    with pytest.raises(YamlFileError, match="alias"):
        inspect_sr.load(path)


def test_the_published_trial_is_assessed_in_full(tmp_path):
    out = inspect_sr.write("data/published", "results", tmp_path)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table.columns.tolist() == ["check", "domain", "question", "answered_by", "answer",
                                      "judgement", "judgement_answered", "evidence",
                                      "who_must_look"]
    assert len(table) == 21 + 4 + 1
    assert table["check"].iloc[-1] == "overall"
    assert set(table["judgement"]) <= {"no concerns", "some concerns", "serious concerns", NEEDS}
    assert set(table["judgement_answered"]) <= {"no concerns", "some concerns",
                                                "serious concerns", ""}


def test_judgement_answered_judges_only_what_was_answered():
    """A domain whose answered checks are all clean reads "no concerns" in judgement_answered,
    while its judgement still needs a reviewer; a concern found shows in both; a domain with
    nothing answered leaves it empty; the overall row follows the domains."""
    tool = inspect_sr.load()
    rows = [dict(check=c["id"], domain=str(d["id"]), judgement=NEEDS, judgement_answered="")
            for d in tool["domains"] for c in d["checks"]]
    for row in rows:
        if row["check"] in ("4.8", "4.9", "3.1"):
            row["judgement"] = row["judgement_answered"] = "no concerns"
        if row["check"] == "2.5":
            row["judgement"] = row["judgement_answered"] = "some concerns"
    by_domain = inspect_sr.domains(pd.DataFrame(rows), tool).set_index("check")
    assert by_domain["judgement"].tolist() == [NEEDS, "some concerns", NEEDS, NEEDS]
    assert by_domain["judgement_answered"].tolist() == ["", "some concerns", "no concerns",
                                                        "no concerns"]
    whole = inspect_sr.overall(by_domain.reset_index(), tool).iloc[0]
    assert (whole["judgement"], whole["judgement_answered"]) == ("some concerns", "some concerns")
    clean = by_domain.reset_index()
    clean.loc[clean["domain"] == "2", ["judgement", "judgement_answered"]] = [NEEDS, "no concerns"]
    whole = inspect_sr.overall(clean, tool).iloc[0]
    assert (whole["judgement"], whole["judgement_answered"]) == (NEEDS, "no concerns")


def test_the_command_writes_only_to_results_or_untracked_folders(tmp_path):
    allowed_out("results")
    allowed_out(str(tmp_path))
    for tracked in ("data", "book", "notebooks", "src"):
        with pytest.raises(PipelineError, match="tracks"):
            allowed_out(tracked)


def test_a_ledger_without_tiers_gets_the_ledgers_own_rule():
    # Combined before tiers existed: a failed GRIM row with another reading is an assumption.
    ledger = pd.DataFrame([dict(row("outcomes:Q/s/B/t2:mean", "GRIM", "inconsistent", "",
                                    "outcomes:Q/s/B/t2"), possible_if="with one item missing")])
    check = inspect_sr.assess(ledger, None, None).set_index("check").loc["4.8"]
    assert check["answer"] == \
        "unclear (proven only under an assumption a reader can contest: 1 problem)"


def test_yaml_without_its_rules_is_refused(tmp_path):
    path = bad_tool(tmp_path, "rules:\n  domain:", "rulez:\n  domain:")
    with pytest.raises(inspect_sr.InspectSrError, match="rules: must state"):
        inspect_sr.load(path)


def test_the_chapter_table_links_evidence_to_ledger_rows_and_escapes_text():
    """The chapter's table (helpers.reanalysis.inspect_sr_page): one row per check under its
    domain, each judgement with its symbol, a failed row's evidence a link to its ledger row,
    and text from the data escaped."""
    from helpers.reanalysis import inspect_sr_page

    tool = inspect_sr.load()
    ledger = pd.DataFrame([dict(row("outcomes:Q/s/B/t2:mean", "GRIM", "inconsistent", "proven",
                                    "outcomes:Q/s/B/t2"), source="Table <script>",
                                quantity="a mean", when="")])
    full = inspect_sr.table(ledger, None, None, tool)
    page = inspect_sr_page.checks_html(full, ledger, tool)
    assert page.count('<tr class="isr-check"') == 21
    link = f'href="ledger.html#{anchor("outcomes:Q/s/B/t2:mean", "GRIM", "integer answers")}"'
    assert link in page
    assert "<script>" not in page and "Table &lt;script&gt;" in page
    legend = inspect_sr_page.legend_html(tool)
    symbols = [inspect_sr_page.symbol(j, tool) for j in tool["judgements"] + [NEEDS]]
    assert len(set(symbols)) == 4 and all(s in legend for s in symbols)
    # every tier of proof is explained, with the judgement the tool's file maps it to
    tiers = inspect_sr_page.tiers_markdown(tool)
    for tier in tool["tiers"]:
        assert tool["tier_reasons"][tier][:30] in tiers.replace("\\", ""), tier
