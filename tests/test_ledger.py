"""helpers.reanalysis.ledger: rows are validated, each notebook writes its own fragment and a rerun
replaces only that one, the fragments combine in the pipeline's order, claim ids have one spelling,
every row names the function that made it, its timepoint and its section, and the committed ledger
covers every number it must.

Expected values are typed here by hand (claim ids, the trial's timepoints in words, the order of
notebooks/params.yaml read with yaml) or read with other tools than the code under test (files
compared as text, functions found with importlib, heading anchors made by docutils)."""

import importlib
import io
import json

import pandas as pd
import pytest
import yaml
from docutils.nodes import make_id

from helpers.build import pipeline
from helpers.methods import ledger as proof
from helpers.reanalysis import data, ledger, results, trial

from conftest import PUBLISHED, ROOT

PARAMS = ROOT / "notebooks" / "params.yaml"


def _rows(*verdicts, made_by="tests.builder", section="a-section"):
    return pd.DataFrame([dict(claim_id=f"x:{i}", source="Table 1", quantity="q", published="1",
                              recomputed="1", check="GRIM", verdict=v, assumption="integers",
                              note="", made_by=made_by, section=section)
                         for i, v in enumerate(verdicts)])


def _text(path):
    return path.read_text(encoding="utf-8")


def _concatenated(paths):
    """CSV files with one header, as text: the header once, then every file's body in order."""
    texts = [_text(p) for p in paths]
    header = texts[0].split("\n", 1)[0]
    assert all(t.split("\n", 1)[0] == header for t in texts)
    return header + "\n" + "".join(t.split("\n", 1)[1] for t in texts)


#: The columns the combined ledger derives across fragments (a reading another chapter finds
#: possible, and the tier of proof that follows): every other column is the fragments' text.
DERIVED = ["possible_if", "tier"]


def _without_derived(text: str) -> str:
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return table.drop(columns=[c for c in DERIVED if c in table.columns]).to_csv(index=False)


def test_record_writes_the_notebooks_own_fragment(tmp_path):
    recorded = ledger.record(_rows("reproduced", "consistent"), "02_b", tmp_path, PUBLISHED)
    fragment = tmp_path / "ledger" / "02_b.csv"
    assert [p.name for p in (tmp_path / "ledger").iterdir()] == ["02_b.csv"]
    assert not (tmp_path / "ledger.csv").exists()  # only the ledger chapter combines
    assert pd.read_csv(fragment, dtype=str, keep_default_na=False).equals(recorded)
    assert list(recorded.columns) == ledger.COLUMNS
    assert ledger.COLUMNS[:11] == ["claim_id", "source", "quantity", "published", "recomputed",
                                   "check", "verdict", "problem", "assumption", "note", "notebook"]
    assert ledger.COLUMNS[11:] == ["made_by", "when", "section", "possible_if", "tier"]  # new at the end


def test_fragments_concatenate_in_the_fixed_order(tmp_path):
    ledger.record(_rows("consistent"), "03_c", tmp_path, PUBLISHED)
    ledger.record(_rows("reproduced", "unverifiable"), "01_a", tmp_path, PUBLISHED)
    ledger.record(_rows("inconsistent"), "02_b", tmp_path, PUBLISHED)
    table = ledger.combine(tmp_path, ["01_a", "02_b", "03_c", "04_without_rows"])
    assert table["notebook"].tolist() == ["01_a", "01_a", "02_b", "03_c"]
    assert table["verdict"].tolist() == ["reproduced", "unverifiable", "inconsistent",
                                         "consistent"]
    fragments = [tmp_path / "ledger" / f"{name}.csv" for name in ("01_a", "02_b", "03_c")]
    assert _without_derived(_text(tmp_path / "ledger.csv")) == \
        _without_derived(_concatenated(fragments))
    assert ledger.read(tmp_path).equals(table)


def test_a_reading_that_another_chapter_finds_possible_makes_a_proof_conditional(tmp_path):
    """One chapter proves a mean impossible with complete items; another finds it possible with
    missing items allowed: the combined ledger names that reading and the row is proven only
    under its assumption. A percentage that truncation gives is the same tier from its own row."""
    base = dict(claim_id="outcomes:Q1/pain/B/t3:mean", source="Table 2", quantity="mean",
                published="24.95", recomputed="", check="GRIM", note="", section="s")
    complete = pd.DataFrame([dict(base, verdict="inconsistent", assumption="complete items")])
    missing = pd.DataFrame([dict(base, verdict="unverifiable",
                                 assumption="missing items allowed")])
    truncated = pd.DataFrame([dict(base, claim_id="baseline:site/lung/B:percent",
                                   check="percentage", published="9.2", verdict="inconsistent",
                                   assumption="rounded half up",
                                   possible_if="the percentage is truncated (rounded down)")])
    made = ledger.builds(lambda frame: frame)
    ledger.record(made(pd.concat([complete, truncated])), "01_a", tmp_path, PUBLISHED)
    ledger.record(made(missing), "02_b", tmp_path, PUBLISHED)
    fragment = pd.read_csv(tmp_path / "ledger" / "01_a.csv", dtype=str, keep_default_na=False)
    assert fragment["tier"].tolist() == ["proven", "assumption"]  # 01_a alone cannot know
    table = ledger.combine(tmp_path, ["01_a", "02_b"])
    assert table["possible_if"].tolist() == ["missing items allowed",
                                             "the percentage is truncated (rounded down)", ""]
    assert table["tier"].tolist() == ["assumption", "assumption", ""]


def test_a_check_between_documents_is_a_discrepancy_and_a_sentence_a_misstatement(tmp_path):
    row = dict(claim_id="related:protocol/objective/:value", source="protocol",
               quantity="objective", published="secondary", recomputed="primary",
               check="text against another publication", verdict="inconsistent",
               assumption="same trial", note="", section="s")
    words = dict(row, claim_id="discussion-s16", check="statement against tables")
    table = ledger.record(ledger.builds(lambda f: f)(pd.DataFrame([row, words])), "01_a",
                          tmp_path, PUBLISHED)
    assert table["tier"].tolist() == ["discrepancy", "misstatement"]


def test_the_order_is_the_pipelines_plan():
    """The steps follow from trial.yaml: each source notebook of params.yaml gives its steps."""
    order = pipeline.notebook_order()
    sources = pipeline.load_steps()["sources"]
    assert [sources[step] for step in order if sources[step] != "instrument"] == \
        [name for name in yaml.safe_load(PARAMS.read_text())["notebooks"] if name != "instrument"]


def test_a_rerun_replaces_only_its_own_fragment(tmp_path):
    ledger.record(_rows("reproduced", "consistent"), "01_a", tmp_path, PUBLISHED)
    ledger.record(_rows("consistent"), "02_b", tmp_path, PUBLISHED)
    other = (tmp_path / "ledger" / "02_b.csv").read_bytes()
    ledger.record(_rows("unverifiable"), "01_a", tmp_path, PUBLISHED)  # rerun of 01_a
    assert (tmp_path / "ledger" / "02_b.csv").read_bytes() == other
    rerun = pd.read_csv(tmp_path / "ledger" / "01_a.csv", dtype=str, keep_default_na=False)
    assert rerun["verdict"].tolist() == ["unverifiable"]
    table = ledger.combine(tmp_path, ["01_a", "02_b"])
    assert table["verdict"].tolist() == ["unverifiable", "consistent"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "01_a.csv", "02_b.csv", "ledger.csv"]  # no lock or partial file left behind


def test_combined_ledger_is_independent_of_run_order(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    ledger.record(_rows("reproduced"), "01_a", first, PUBLISHED)
    ledger.record(_rows("consistent"), "03_c", first, PUBLISHED)
    ledger.record(_rows("consistent"), "03_c", second, PUBLISHED)
    ledger.record(_rows("reproduced"), "01_a", second, PUBLISHED)
    for folder in (first, second):
        ledger.combine(folder, ["01_a", "03_c"])
    assert (first / "ledger.csv").read_bytes() == (second / "ledger.csv").read_bytes()


def test_combine_refuses_a_fragment_of_no_notebook(tmp_path):
    ledger.record(_rows("reproduced"), "01_a", tmp_path, PUBLISHED)
    ledger.record(_rows("reproduced"), "07_renamed", tmp_path, PUBLISHED)
    with pytest.raises(ValueError, match="07_renamed"):
        ledger.combine(tmp_path, ["01_a", "02_b"])


def test_effect_size_fragments_combine_as_the_file_was_written(tmp_path):
    """Fragments give the bytes that one write of all the rows as text gives (missing values
    empty), the form of results/effect_sizes.csv."""
    parts = {"03_c": pd.DataFrame({"instrument": ["BM22", "BM22"], "estimate": [0.1, float("nan")],
                                   "p_value": [1e-05, 0.5]}),
             "04_d": pd.DataFrame({"instrument": ["FA13"], "estimate": [-2.25],
                                   "p_value": [float("nan")]})}
    for owner in ("04_d", "03_c"):
        results.write_fragment(parts[owner], "effect_sizes", owner, tmp_path)
    results.combine("effect_sizes", ["03_c", "04_d"], tmp_path)
    assert _text(tmp_path / "effect_sizes.csv") == (
        "instrument,estimate,p_value\nBM22,0.1,1e-05\nBM22,,0.5\nFA13,-2.25,\n")


def test_record_needs_made_by_and_section(tmp_path):
    with pytest.raises(ValueError, match="ledger.builds"):
        ledger.record(_rows("reproduced").drop(columns="made_by"), "01_a", tmp_path, PUBLISHED)
    with pytest.raises(ValueError, match="in_section"):
        ledger.record(_rows("reproduced", section=""), "01_a", tmp_path, PUBLISHED)
    with pytest.raises(ValueError, match="heading anchor"):
        ledger.in_section(_rows("reproduced"), "Participant flow")
    assert not (tmp_path / "ledger").exists()


def test_builds_stamps_the_builders_name_unless_an_inner_builder_did():
    @ledger.builds
    def inner():
        return [dict(claim_id="a:b:c")]

    @ledger.builds
    def outer():
        return pd.DataFrame(inner() + [dict(claim_id="a:b:d")])

    made = outer()
    assert made["made_by"].tolist() == ["test_ledger.test_builds_stamps_the_builders_name_"
                                        "unless_an_inner_builder_did.<locals>.inner",
                                        "test_ledger.test_builds_stamps_the_builders_name_"
                                        "unless_an_inner_builder_did.<locals>.outer"]
    assert ledger.builds(lambda: pd.DataFrame(columns=["claim_id"]))().columns.tolist() == [
        "claim_id", "made_by"]
    with pytest.raises(TypeError, match="not ledger rows"):
        ledger.builds(lambda: "text")()


def test_claim_ids_have_one_spelling():
    assert ledger.claim_id("effects", ("BM22", "psychosocial_aspects", "t0-t3"), "p") == \
        "effects:BM22/psychosocial_aspects/t0-t3:p"
    assert ledger.claim_id("item_tests", "18/t0-t2", "effect_size") == "item_tests:18/t0-t2:effect_size"
    assert ledger.claim_id("outcomes", ["FA13", "mental_fatigue", "*", "*"], "mean") == \
        "outcomes:FA13/mental_fatigue/*/*:mean"
    assert proof.cell_id is proof.claim_id is ledger.claim_id
    with pytest.raises(ValueError, match="':'"):
        ledger.claim_id("outcomes", "BM22:x", "mean")


def test_when_in_the_words_of_the_trial_by_hand():
    cases = {"effects:BM22/psychosocial_aspects/t0-t3:p": "baseline to 6 months",
             "item_tests:18/t0-t2:p": "baseline to 3 months",
             "outcomes:BM22/painful_sites/B/t2:n": "3 months",
             "items:17/A/t0:mean": "baseline",
             "outcomes:FA13/mental_fatigue/*/*:mean": "",
             "baseline:age//A:mean": "", "results-22": "", "discussion-s08": ""}
    study = trial.load(PUBLISHED)
    assert {claim: ledger.when_of(claim, study) for claim in cases} == cases


@pytest.mark.parametrize(("frame", "message"), [
    (_rows("maybe"), "unknown verdict"),
    (_rows("reproduced").drop(columns="note"), "lack column"),
    (pd.concat([_rows("reproduced"), _rows("reproduced")]), "recorded twice"),
    (_rows("reproduced").assign(claim_id=""), "empty claim_id"),
])
def test_bad_rows_are_refused(frame, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        ledger.record(frame, "01_a", tmp_path, PUBLISHED)


# ---------------------------------------------------------------------------------------------
# Coverage of the committed ledger
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def committed():
    return ledger.read(ROOT / "results")


def _cells(name, columns):
    table = data.load(name, PUBLISHED)
    keys = data.key_columns(name, PUBLISHED)
    return {ledger.claim_id(name, data.row_key(row, keys), column)
            for _, row in table.iterrows() for column in columns
            if row[f"{column}_printed"] != ""}


def test_every_number_of_table_1_has_a_verdict(committed):
    numeric = data.numeric_columns("baseline", PUBLISHED)
    missing = _cells("baseline", numeric) - set(committed["claim_id"])
    assert not missing, sorted(missing)[:10]


def test_every_n_mean_sd_of_tables_2_to_5_has_a_verdict(committed):
    missing = (_cells("outcomes", ["n", "mean", "sd"]) | _cells("items", ["mean", "sd"])) \
        - set(committed["claim_id"])
    assert not missing, sorted(missing)[:10]


def test_every_claim_of_the_text_has_a_verdict(committed):
    missing = set(data.load_claims(PUBLISHED)["claim_id"]) - set(committed["claim_id"])
    assert not missing, sorted(missing)


def test_committed_ledger_is_valid(committed):
    study = trial.load(PUBLISHED)
    for notebook, rows in committed.groupby("notebook"):
        ledger.rows(rows.drop(columns="notebook"), notebook, study)  # raises on any problem


def test_committed_made_by_names_a_real_builder(committed):
    assert (committed["made_by"] != "").all()
    for name in sorted(set(committed["made_by"])):
        module, _, function = name.rpartition(".")
        found = getattr(importlib.import_module(module), function)
        assert callable(found) and getattr(found, "made_by", None) == name, name


def test_committed_when_by_hand(committed):
    by_claim = committed.groupby("claim_id")["when"].agg(set)
    expected = {"effects:BM22/psychosocial_aspects/t0-t3:p": "baseline to 6 months",
                "effects:QSCR10/distress/t0-t2:effect_size": "baseline to 3 months",
                "item_tests:18/t0-t2:p": "baseline to 3 months",
                "outcomes:BM22/painful_sites/B/t2:n": "3 months",
                "outcomes:FA13/physical_fatigue/A/t3:sd": "6 months",
                "items:17/A/t0:mean": "baseline",
                "baseline:age//A:mean": "",
                "outcomes:FA13/social_sequelae/*/*:mean": "",
                "results-22": ""}
    assert {claim: by_claim[claim] for claim in expected} == \
        {claim: {when} for claim, when in expected.items()}


def _heading_anchors(notebook):
    # the executed copy: a chapter's headings may be generated from the trial's data
    cells = json.loads((ROOT / "book" / "notebooks" / f"{notebook}.ipynb").read_text(
        encoding="utf-8"))
    return {make_id(line.lstrip("#").strip()) for cell in cells["cells"]
            if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines() if line.startswith("#")}


def test_committed_sections_are_headings_of_their_notebooks(committed):
    assert (committed["section"] != "").all()
    for (notebook, section), _ in committed.groupby(["notebook", "section"]):
        assert section in _heading_anchors(notebook), (notebook, section)


@pytest.mark.parametrize("name", ["ledger", "effect_sizes"])
def test_committed_fragments_make_the_committed_file(name):
    """The drift test (nbval, tests/conftest.py) compares the combined files of a rerun with the
    committed ones; this ties the committed fragments to them, so the fragments are checked too."""
    order = pipeline.notebook_order()
    folder = ROOT / "results" / name
    fragments = sorted(folder.glob("*.csv"))
    assert fragments, f"results/{name}/ holds no fragment: rebuild (make book)"
    assert {p.stem for p in fragments} <= set(order)
    in_order = sorted(fragments, key=lambda p: order.index(p.stem))
    assert _without_derived(_text(ROOT / "results" / f"{name}.csv")) == \
        _without_derived(_concatenated(in_order))


def test_every_sentence_and_every_other_publication_has_a_verdict(committed):
    sentences = data.load_statements(PUBLISHED)
    mortality = sentences["assertion"] == "deaths_not_different"  # checked as a test from counts
    checked = set(sentences.loc[(sentences["section"] != "methods") & ~mortality, "statement_id"])
    if mortality.any():
        assert "results:mortality_did_not_differ" in set(committed["claim_id"])
    related = data.load_related(PUBLISHED)
    keys = data.key_columns("related", PUBLISHED)
    cells = {ledger.claim_id("related", data.row_key(row, keys), "value")
             for _, row in related.iterrows()}
    missing = (checked | cells) - set(committed["claim_id"])
    assert not missing, sorted(missing)
