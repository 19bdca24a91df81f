"""The three-arm trial (``data/examples/three_arm``) and its clean twin, as whole books
(issue 21): three arms compared with a control, QLQ-C30 and QSC-R10, five timepoints, deaths and
withdrawals, no item table. The planted twin proves exactly the errors of its ``planted.csv`` (one
distinct problem each); the clean twin proves none and reaches every p-value and effect size
with the methods its ``trial.yaml`` states. Expected problems are read from ``planted.csv``,
never from the engine. (A file of its own, so that pytest-xdist runs it beside the other
end-to-end file.)"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.build import book

from conftest import ROOT
from test_trials_end_to_end import _tracked_state

THREE_ARM = {"planted": ROOT / "data" / "examples" / "three_arm",
             "clean": ROOT / "data" / "examples" / "three_arm_clean"}


@pytest.fixture(scope="module", params=sorted(THREE_ARM))
def three_arm(request, tmp_path_factory):
    before = _tracked_state()
    built = book.assemble(THREE_ARM[request.param], root=tmp_path_factory.mktemp("trials"),
                          html_build=False, use_cache=False, overrides={"search_climbs": 0})
    assert _tracked_state() == before, "a trial's build changed tracked files"
    ledger = pd.read_csv(built / "results" / "ledger.csv", dtype=str, keep_default_na=False)
    return request.param, ledger


def _planted_problems(folder) -> dict[str, str]:
    """Each planted error of ``planted.csv`` as the ledger names its problem (``file:row key``
    for a table cell, the claim id for a sentence of the text), with its family."""
    planted = pd.read_csv(folder / "planted.csv", dtype=str, keep_default_na=False)
    return {(f"{row['file']}:{row['row_key']}" if row["file"] not in ("claims", "statements")
             else row["row_key"]): row["family"] for _, row in planted.iterrows()}


def test_three_arm_ledgers_prove_exactly_the_planted_errors(three_arm):
    """The planted twin: every planted error proven, each one distinct problem, nothing else.
    The clean twin: nothing proven, and no p-value or effect size out of reach of the methods
    its trial.yaml declares."""
    name, ledger = three_arm
    proven = ledger[ledger["verdict"] == "inconsistent"]
    problems = set(proven["problem"])
    if name == "clean":
        assert problems == set()
        unreached = ledger[ledger["verdict"] == "not_reproducible"]
        assert unreached.empty, unreached[["claim_id", "check", "note"]].to_string()
        return
    expected = _planted_problems(THREE_ARM["planted"])
    assert problems == set(expected), (f"not found: {sorted(set(expected) - problems)}; "
                                       f"false alarms: {sorted(problems - set(expected))}")


def test_three_arm_ledgers_hold_only_their_own_arms(three_arm):
    name, ledger = three_arm
    assert not ledger["claim_id"].str.contains("BM22|FA13|item_tests", regex=True).any()
    outcomes = ledger[ledger["claim_id"].str.startswith("outcomes:")]
    arms = set(outcomes["claim_id"].str.extract(r"^outcomes:[^/]+/[^/]+/([^/]+)/")[0])
    assert arms == {"A", "B", "C"}
