"""The corpus run by Snakemake (``make corpus``, ``workflow/Snakefile``, :mod:`helpers.build.corpus`).

One Snakemake run per test session builds a corpus of three trials end to end (the published
trial and two examples: the three-arm clean twin and the simulated two-arm trial, copied into a
scratch folder so that one can be edited) into a scratch folder, HTML books included, with the
plausible-data search's hill climbs off (``search_climbs: 0``, as the other end-to-end tests); under
pytest-xdist the workers share it (the lock pattern of ``conftest.built_book``). The summary is
then checked against each trial's own ledger, counted here from ``ledger.csv`` without the
corpus code; the second run must have nothing to do, and an edit of one trial's file reruns that
trial only.
"""

from __future__ import annotations

import csv
import fcntl
import html
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.build import corpus

from conftest import ROOT

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
EXAMPLES = ROOT / "data" / "examples"
#: the trials of the test corpus: the published one in place, two examples copied
COPIED = ("three_arm_clean", "simulated")
CHECKS = 21 + 4 + 1  # INSPECT-SR's checks, its domains and the overall judgement


def _snakemake(work: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [str(SNAKEMAKE), "--snakefile", "workflow/Snakefile", "--cores", "all",
               "--config", f"corpus={work / 'corpus.txt'}", f"trials={work / 'trials'}",
               f"out={work / 'corpus'}", "parameters=search_climbs:0", *extra]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def _tracked_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory):
    """The test corpus built once per session (shared by the xdist workers): its folder."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    work = shared / "shared-corpus"
    with open(shared / "shared-corpus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failed = shared / "shared-corpus.failed"
        if failed.exists():
            pytest.fail(failed.read_text())
        if not (work / "corpus" / "summary.csv").is_file():
            (work / "sources").mkdir(parents=True, exist_ok=True)
            for name in COPIED:
                shutil.copytree(EXAMPLES / name, work / "sources" / name, dirs_exist_ok=True)
            (work / "corpus.txt").write_text(
                "# the test corpus\ndata/published\n"
                + "".join(f"{work / 'sources' / name}\n" for name in COPIED), encoding="utf-8")
            before = _tracked_state()
            run = _snakemake(work)
            if run.returncode or _tracked_state() != before:
                message = ("the corpus did not build (or changed tracked files):\n"
                           + run.stdout[-3000:] + run.stderr[-3000:])
                failed.write_text(message)
                pytest.fail(message)
    return work


def _ledger_counts(path: Path) -> tuple[Counter, Counter]:
    """Verdicts and tiers of a trial's ledger, counted from the CSV itself."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Counter(r["verdict"] for r in rows), Counter(r["tier"] for r in rows if r["tier"])


def test_the_corpus_builds_three_trials_end_to_end(built_corpus):
    summary = pd.read_csv(built_corpus / "corpus" / "summary.csv", dtype=str,
                          keep_default_na=False)
    assert list(summary["trial"]) == ["published", *COPIED]
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
        for domain in ("domain 1", "domain 2", "domain 3", "domain 4", "overall"):
            assert row[domain.replace(" ", "_")] == own[domain], (name, domain)
    # the planted errors of the simulated trial are proven, and concern domain 4; its clean
    # twin's are not there, and raise no concern
    assert int(summary.loc["simulated", "verdict_inconsistent"]) > 0
    assert summary.loc["simulated", "domain_4"] in ("some concerns", "serious concerns")
    assert int(summary.loc["three_arm_clean", "verdict_inconsistent"]) == 0
    assert summary.loc["three_arm_clean", "domain_4"] not in ("some concerns",
                                                              "serious concerns")


def test_the_second_run_has_nothing_to_do_and_an_edit_reruns_its_trial_only(built_corpus):
    again = _snakemake(built_corpus, "--dry-run")
    assert again.returncode == 0, again.stderr
    assert "Nothing to be done" in again.stdout + again.stderr, again.stdout + again.stderr
    readme = built_corpus / "sources" / "simulated" / "README.md"
    # an edit of the content (Snakemake ignores a newer file whose checksum it has seen)
    readme.write_text(readme.read_text(encoding="utf-8") + "\nEdited by a test.\n",
                      encoding="utf-8")
    dry = _snakemake(built_corpus, "--dry-run")
    jobs = dry.stdout + dry.stderr
    assert "wildcards: name=simulated" in jobs and "name=three_arm_clean" not in jobs \
        and "name=published" not in jobs, jobs


def test_the_corpus_page_links_each_book_and_escapes_a_hostile_title(built_corpus, tmp_path):
    page = (built_corpus / "corpus" / "index.html").read_text(encoding="utf-8")
    for name in ("published", *COPIED):
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
