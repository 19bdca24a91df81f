"""The corpus run by Snakemake (``make corpus``, ``workflow/Snakefile``, :mod:`helpers.build.corpus`).

One Snakemake run per test session builds the corpus of three trials end to end that every
end-to-end test shares (``conftest.built_corpus``: the three-arm trial and its clean twin, and the
hostile cut of the simulated trial, copied into a scratch folder so that one can be edited), HTML
books included; under pytest-xdist the workers share it. The summary is
then checked against each trial's own ledger, counted here from ``ledger.csv`` without the
corpus code; the second run must have nothing to do, and an edit of one trial's file reruns that
trial only.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.build import corpus

from conftest import CORPUS_COPIES as COPIED
from conftest import EXAMPLES, ROOT, run_corpus

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
CHECKS = 21 + 4 + 1  # INSPECT-SR's checks, its domains and the overall judgement


def _ledger_counts(path: Path) -> tuple[Counter, Counter]:
    """Verdicts and tiers of a trial's ledger, counted from the CSV itself."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Counter(r["verdict"] for r in rows), Counter(r["tier"] for r in rows if r["tier"])


def test_the_corpus_builds_three_trials_end_to_end(built_corpus):
    summary = pd.read_csv(built_corpus / "corpus" / "summary.csv", dtype=str,
                          keep_default_na=False)
    assert list(summary["trial"]) == list(COPIED)
    for name in summary["trial"]:
        assert (built_corpus / "trials" / name / "book" / "_build" / "html" /
                "index.html").is_file(), f"{name}: no HTML book"
    assessment = pd.read_csv(built_corpus / "corpus" / "inspect_sr.csv", dtype=str,
                             keep_default_na=False)
    assert assessment.groupby("trial").size().to_dict() == {
        name: CHECKS for name in summary["trial"]}


def test_the_summary_agrees_with_each_trials_own_ledger(built_corpus):
    summary = pd.read_csv(built_corpus / "corpus" / "summary.csv", dtype=str,
                          keep_default_na=False).set_index("trial")
    for name, row in summary.iterrows():
        verdicts, tiers = _ledger_counts(built_corpus / "trials" / name / "results" /
                                         "ledger.csv")
        assert sum(verdicts.values()) == int(row["ledger_rows"])
        assert verdicts, f"{name}: empty ledger"
        for column in row.index:
            if column.startswith("verdict_"):
                assert int(row[column]) == verdicts[column.removeprefix("verdict_")], \
                    (name, column)
            if column.startswith("tier_"):
                assert int(row[column]) == tiers[column.removeprefix("tier_")], (name, column)
        assert {k for k in verdicts} <= {c.removeprefix("verdict_") for c in row.index}
        assert {k for k in tiers} <= {c.removeprefix("tier_") for c in row.index}
        own = pd.read_csv(built_corpus / "corpus" / "trials" / name / "inspect_sr.csv",
                          dtype=str, keep_default_na=False).set_index("check")["judgement"]
        answered = pd.read_csv(built_corpus / "corpus" / "trials" / name / "inspect_sr.csv",
                               dtype=str, keep_default_na=False).set_index("check")[
                                   "judgement_answered"]
        for domain in ("domain 1", "domain 2", "domain 3", "domain 4", "overall"):
            assert row[domain.replace(" ", "_")] == own[domain], (name, domain)
            assert row[domain.replace(" ", "_") + "_answered"] == answered[domain], (name, domain)
    # the planted errors of the three-arm trial and of the cut trial are proven, and concern
    # domain 4; the clean twin has none, and raises no concern
    for planted in ("three_arm", "no_fatigue"):
        assert int(summary.loc[planted, "verdict_inconsistent"]) > 0
        assert summary.loc[planted, "domain_4"] in ("some concerns", "serious concerns")
    assert int(summary.loc["three_arm_clean", "verdict_inconsistent"]) == 0
    assert summary.loc["three_arm_clean", "domain_4"] not in ("some concerns",
                                                              "serious concerns")
    assert summary.loc["three_arm_clean", "domain_4_answered"] == "no concerns"


def test_the_second_run_has_nothing_to_do_and_an_edit_reruns_its_trial_only(built_corpus):
    again = run_corpus(built_corpus, "--dry-run")
    assert again.returncode == 0, again.stderr
    assert "Nothing to be done" in again.stdout + again.stderr, again.stdout + again.stderr
    readme = built_corpus / "sources" / "no_fatigue" / "README.md"
    # an edit of the content (Snakemake ignores a newer file whose checksum it has seen)
    readme.write_text(readme.read_text(encoding="utf-8") + "\nEdited by a test.\n",
                      encoding="utf-8")
    dry = run_corpus(built_corpus, "--dry-run")
    jobs = dry.stdout + dry.stderr
    assert set(re.findall(r"wildcards: name=(\S+)", jobs)) == {"no_fatigue"}, jobs
    readme.write_text(readme.read_text(encoding="utf-8").removesuffix("\nEdited by a test.\n"),
                      encoding="utf-8")  # as it was: the other tests see the build's sources


def test_the_corpus_page_links_each_book_and_escapes_a_hostile_title(built_corpus, tmp_path):
    page = (built_corpus / "corpus" / "index.html").read_text(encoding="utf-8")
    for name in COPIED:
        assert f'href="../trials/{name}/book/_build/html/index.html"' in page
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    folder = tmp_path / "hostile"
    shutil.copytree(built_corpus / "sources" / "three_arm_clean", folder)
    design = yaml.safe_load((folder / "trial.yaml").read_text(encoding="utf-8"))
    design["title"] = hostile
    (folder / "trial.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    built = built_corpus / "trials" / "three_arm_clean"
    out = corpus.aggregate([("hostile", str(folder), str(built / "results" / "ledger.csv"),
                             str(built_corpus / "corpus" / "trials" / "three_arm_clean" /
                                 "inspect_sr.csv"), "")], tmp_path / "out")
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>bold" not in text
    assert html.escape(hostile) in text
    assert pd.read_csv(out / "summary.csv")["title"][0] == hostile


def test_a_corpus_entry_without_trial_yaml_is_named(tmp_path):
    bad = tmp_path / "corpus.txt"
    bad.write_text("data/published\n\n# the instruments are no trial\ndata/instruments\n",
                   encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=r"line 4: data/instruments has no trial.yaml"):
        corpus.trials(bad)
    run = subprocess.run([str(SNAKEMAKE), "--snakefile", "workflow/Snakefile", "--dry-run",
                          "--cores", "1", "--config", f"corpus={bad}"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "line 4: data/instruments has no trial.yaml" in run.stdout + run.stderr


def test_a_corpus_of_two_trials_of_one_name_or_none_is_refused(tmp_path):
    twice = tmp_path / "corpus.txt"
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "trial.yaml").write_text("title: x\n", encoding="utf-8")
    twice.write_text(f"data/published\n{tmp_path / 'published'}\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="same name"):
        corpus.trials(twice)
    twice.write_text("data/nothing/*\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="matches no folder"):
        corpus.trials(twice)


def test_the_default_corpus_is_the_published_trial_and_every_example():
    expected = ["published"] + sorted(p.name for p in EXAMPLES.iterdir()
                                      if (p / "trial.yaml").is_file())
    assert [name for name, _ in corpus.trials()] == expected
