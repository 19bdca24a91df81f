"""Robustness words (helpers.reanalysis.robustness): a finding's families are named, a finding
that survives a correction in some family is never said to fail it in every family, and counts
of one take the singular."""

import pandas as pd

from helpers.reanalysis import robustness

HOLM, BH = "multiplicity (Holm)", "multiplicity (Benjamini-Hochberg)"
DOUBTS = {"ancova": "baseline adjustment at every r", "holm_every_family": HOLM,
          "bh_every_family": BH, "prior": "the sceptical prior at every r"}


def _table():
    rows = []
    for finding, states in {"kept": ("holds", "fragile", "fragile", "holds"),
                            "lost": ("fragile", "fragile", "fragile", "holds")}.items():
        for doubt, state in zip(DOUBTS.values(), states):
            rows.append(dict(finding=finding, p_printed="0.01", doubt=doubt, robustness=state))
    return pd.DataFrame(rows)


KEPT = {("kept", HOLM): ([], ["all (32)", "last (10)"]),
        ("kept", BH): (["last (10)"], ["all (32)"]),
        ("lost", HOLM): ([], ["all (32)", "last (10)"]),
        ("lost", BH): ([], ["all (32)", "last (10)"])}


def test_lines_name_the_families_kept():
    lines = robustness.survival_lines(_table(), {HOLM: "Holm", BH: "Benjamini-Hochberg"},
                                      KEPT).splitlines()
    kept = next(line for line in lines if "**kept**" in line)
    assert "Benjamini-Hochberg: survives in last (10), fails in all (32)" in kept
    assert "Benjamini-Hochberg: fails in every family" not in kept
    assert kept.endswith("It fails on multiplicity only.")
    lost = next(line for line in lines if "**lost**" in line)
    assert "Benjamini-Hochberg: fails in every family" in lost
    assert "fragile to baseline adjustment at every r" in lost
    assert lost.endswith("It fails on more than multiplicity.")


def test_the_sentence_counts_and_names():
    verdicts = robustness.fragility(_table(), {HOLM, BH})
    assert verdicts.set_index("finding")["fails"].to_dict() == {
        "kept": "multiplicity only", "lost": "beyond multiplicity"}
    text = robustness.sentence(verdicts, KEPT, DOUBTS, 2)
    assert text.startswith("Of the 2 significant findings, 1 fails under at least one doubt "
                           "beyond multiplicity: baseline adjustment at every r;")
    assert ("1 (kept) holds under baseline adjustment at every r and the sceptical prior at "
            "every r and fails only on multiplicity: it survives Benjamini-Hochberg in last (10) "
            "but Holm's correction in no family.") in text
    assert " 1 are " not in text and " 1 survive " not in text


def test_plural_agrees_with_one():
    assert robustness.plural(1, "finding") == "1 finding"
    assert robustness.plural(1, "survives", "survive", number=False) == "survives"
    assert robustness.plural(2, "survives", "survive", number=False) == "survive"
    assert robustness.plural(1, "family", "families") == "1 family"
