"""The book of a trial: its table of contents from ``trial.yaml``, and a whole book per trial.

``python -m helpers.build.book --data-dir FOLDER`` (``make book DATA=FOLDER``) reanalyses the
trial of any data folder into ``build/trials/<folder name>/``: the executed notebooks, the
results (CSV) and the HTML book, touching nothing the repository tracks. The chapters follow
from the trial (:mod:`helpers.build.chapters`); the table of contents is generated
(:func:`toc`); the engine's pages (how to reanalyse your own trial, the references) are copied
from ``book/``; the introduction, the critique and the letter are the trial folder's own
(``pages/intro.md``, ``pages/critique.md``, ``pages/letter.md``) where it has them, else
generated from ``trial.yaml`` and its own results (:func:`intro_markdown`,
:func:`critique_markdown`, :func:`letter_markdown`); a ``references.bib`` in the trial folder is
added to the engine's.

The published trial keeps its pages in ``data/published/pages/``; ``book/intro.md``,
``book/critique.md`` and ``book/letter.md`` are links to them, so the published book and a
build of ``data/published`` read the same text.

The published book (``make book``) is the same plan built in place: ``book/_toc.yml`` is
:func:`toc_yaml` of ``data/published`` (a test keeps them equal; ``python -m helpers.build.book
--write-toc`` rewrites it).

Examples
--------
>>> from helpers.reanalysis import trial
>>> toc(trial.load("data/published"))["root"]
'notebooks/overview'
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from ..reanalysis import markup, paths
from ..reanalysis import trial as trials
from . import chapters, pipeline

__all__ = ["toc", "toc_yaml", "intro_markdown", "letter_markdown", "critique_markdown",
           "trial_folder", "assemble", "main", "ENGINE_PAGES", "ABOUT_PAGES", "TRIAL_PAGES",
           "PAGES_DIR", "CLOSING_PAGES", "TRIALS_DIR", "BookError"]

#: Where the per-trial builds go (``build/trials/<data folder name>/``).
TRIALS_DIR = "build/trials"
#: Pages of ``book/`` that belong to the engine, not to one trial: copied into every trial's book.
ENGINE_PAGES = ("own_trial.md", "references.md")
#: Pages of the "About" part, before the chapters (those present in the book's folder).
ABOUT_PAGES = ("intro", "own_trial")
#: The trial's own Markdown pages after the reader notebooks: its folder's ``pages/<name>.md``
#: where it has one, else generated (:func:`critique_markdown`, :func:`letter_markdown`).
TRIAL_PAGES = ("critique", "letter")
#: Where a trial folder keeps its own pages (``intro.md`` and :data:`TRIAL_PAGES`).
PAGES_DIR = "pages"
#: Pages after the reader pages.
CLOSING_PAGES = ("references",)
#: What the table of contents' generated file says first.
_TOC_HEADER = ("# Generated from trial.yaml by helpers.build.book (python -m helpers.build.book "
               "--write-toc); do not edit.\n")


class BookError(RuntimeError):
    """A trial's book cannot be built: the message says why and what to do."""


def toc(study: trials.Trial, pages: tuple[str, ...] | None = None) -> dict:
    """The table of contents of the trial's book (Jupyter Book 1's ``_toc.yml`` as a mapping).

    The overview is the root; the "About" part holds ``pages`` among :data:`ABOUT_PAGES` (all of
    them by default); the chapters of :func:`chapters.plan` follow in their parts, each with its
    title, then :data:`CLOSING_PAGES`.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> contents = toc(trial.load("data/published"))
    >>> [c["file"] for c in contents["parts"][1]["chapters"]][:3]
    ['notebooks/01_cohort', 'notebooks/02_scoring', 'notebooks/03_bm22']
    """
    pages = ABOUT_PAGES if pages is None else pages
    parts: dict[str, list[dict]] = {"About": [{"file": page} for page in ABOUT_PAGES
                                              if page in pages]}
    root = None
    for chapter in chapters.plan(study):
        if chapter.source == "overview":
            root = f"notebooks/{chapter.step}"
            continue
        parts.setdefault(chapter.part, []).append({"file": f"notebooks/{chapter.step}"})
    parts.setdefault("Verdicts", []).extend({"file": page} for page in TRIAL_PAGES + CLOSING_PAGES)
    return {"format": "jb-book", "root": root,
            "parts": [{"caption": caption, "chapters": entries}
                      for caption, entries in parts.items() if entries]}


def toc_yaml(study: trials.Trial, pages: tuple[str, ...] | None = None) -> str:
    """:func:`toc` as the text of ``_toc.yml``, with a header saying it is generated."""
    return _TOC_HEADER + yaml.safe_dump(toc(study, pages), sort_keys=False, width=100)


def intro_markdown(study: trials.Trial) -> str:
    """An introduction for a trial whose folder has none: what the trial is (from
    ``trial.yaml``), what the book does, and its chapters, linked. Text from the data is escaped.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> print(intro_markdown(trial.load("data/published")).splitlines()[0])
    # Rief et al. 2014, Radiation Oncology 9\\:151, reanalysed
    """
    arms = "; ".join(f"{markup.text(arm.label)} ({arm.randomised} randomised)"
                     for arm in study.arms)
    times = ", ".join(markup.text(timepoint.label) for timepoint in study.timepoints)
    instruments = ", ".join(markup.text(instrument.label or instrument.id)
                            for instrument in study.instruments)
    registration = (f" (registration {markup.text(study.registration)})"
                    if study.registration else "")
    lines = [f"# {markup.text(study.title)}, reanalysed", "",
             f"This book reanalyses one randomised trial{registration} from the numbers its paper "
             f"prints. Arms: {arms}. Timepoints: {times}. Instruments: {instruments}.", "",
             "No patient-level data are used. Each chapter asks whether the printed numbers are "
             "possible, whether they follow from one another, and how much the paper's "
             "conclusions depend on what it did not report. Only arithmetic earns the verdict "
             "*inconsistent*; a check that rests on a model of the analysis names the model.", "",
             "## Chapters", ""]
    for chapter in chapters.plan(study):
        lines.append(f"- {{doc}}`{markup.text(chapter.title)} <notebooks/{chapter.step}>`")
    lines += ["", "The data folder's format, and how to point this engine at another trial, "
              "are in {doc}`own_trial`.", ""]
    return "\n".join(lines)


def letter_markdown(study: trials.Trial) -> str:
    """A draft letter to the editor for a trial whose folder has none (``pages/letter.md``):
    addressed to its journal (``journal:`` of ``trial.yaml``), naming the test its Methods name
    (``statements.csv``), with every count glued from its own overview and chapters.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> print(letter_markdown(trial.load("data/published")).splitlines()[4])
    To the Editor of *Radiation Oncology*,
    """
    from ..reanalysis import data, statements

    test = statements.named_test(data.load_statements(study.data_dir))
    journal = f" of *{markup.text(study.journal)}*" if study.journal else ""
    test_name = markup.text(test["name"])
    named = (f"The Methods name the {test_name} for the comparisons between the arms; a rank "
             "test cannot be rerun from means and SDs, so a t-test stands in for it. "
             if test["name"] and test["family"] == "rank" else
             f"The Methods name the {test_name} for the comparisons between the arms. "
             if test["name"] else
             "The Methods name no test for the comparisons between the arms. ")
    plan = chapters.plan(study)
    instrument_pages = ", ".join(f"{{doc}}`notebooks/{c.step}`" for c in plan
                                 if c.source == "instrument")
    sensitivity = next((c.step for c in plan if c.source == "sensitivity"), "")
    trust = next((c.step for c in plan if c.source == "trustworthiness"), "")
    overview = "notebooks/overview.ipynb"
    return "\n".join([
        "# Letter to the editor (draft)", "",
        "*A draft generated from the trial's data folder. Every number below is computed by "
        "the reanalysis.*", "",
        f"To the Editor{journal},", "",
        f"We reanalysed every number that {markup.text(study.title)} prints, from its tables and "
        "text alone, in an open, executable reanalysis: "
        f"{{glue:text}}`{overview}::n_rows:.0f` checks of "
        f"{{glue:text}}`{overview}::n_claims:.0f` published numbers and sentences, each with "
        "the assumption it rests on ({doc}`notebooks/ledger`). "
        f"{{glue:text}}`{overview}::n_claims_hold:.0f` of them are reproduced or possible.", "",
        f"Of the {{glue:text}}`{overview}::n_problems:.0f` problems, "
        f"{{glue:text}}`{overview}::n_tier_proven:.0f` are proven under every ordinary "
        f"reading, {{glue:text}}`{overview}::n_tier_assumption:.0f` only under an assumption, "
        f"{{glue:text}}`{overview}::n_tier_discrepancy:.0f` are discrepancies between documents "
        f"or readings and {{glue:text}}`{overview}::n_tier_misstatement:.0f` over- or "
        "understatements ({doc}`notebooks/overview` ranks them)."
        + (f" INSPECT-SR, the trustworthiness tool of systematic reviews, judges the numbers "
           f"alone: {{glue:text}}`notebooks/{trust}.ipynb::inspect_sr_overall:s` "
           f"({{doc}}`assessment <notebooks/{trust}>`)." if trust else "")
        + " Those bearing on the findings, each with the simplest innocent explanation we "
        "found:", "",
        "```{glue} letter_problems", f":doc: {overview}", "```", "",
        f"**What cannot be reproduced.** {named}Modelled by the usual tests on the published "
        f"means and SDs, {{glue:text}}`{overview}::n_not_reproducible_p:.0f` p-values are not "
        "reproduced by any of them at a plausible pre-post correlation, and "
        f"{{glue:text}}`{overview}::n_not_reproducible_es:.0f` effect sizes by no definition "
        f"tried ({instrument_pages}). These are questions about the analysis, not errors."
        + (f" How far the conclusions depend on what the paper does not report is in "
           f"{{doc}}`notebooks/{sensitivity}`." if sensitivity else ""), "",
        "**What we ask the authors to provide.**", "",
        "1. The test actually used for each between-group comparison, and how it handled the "
        "patients who died or withdrew.",
        "2. The formula of the effect size: which difference, over which standard deviation.",
        "3. The number of patients analysed per scale and timepoint, reconciled with the "
        "participant flow.",
        "4. The mean and SD of the change from baseline in each arm, or the pre-post "
        "correlations.",
        "5. The de-identified item-level data, or an analysis by a third party on request.", "",
        "With these, each question above can be answered, and we would correct our reanalysis "
        "where it is wrong.", "",
        "*[Signatories, affiliations and addresses]*", "",
        "*Competing interests: [to be declared by each signatory].*", ""])


def critique_markdown(study: trials.Trial) -> str:
    """The critique page of a trial whose folder has none (``pages/critique.md``): a risk-of-bias
    judgement needs a reviewer, so the page says so and points to the chapters that hold the
    evidence for each domain of RoB 2, without judging.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> critique_markdown(trial.load("data/published")).splitlines()[0]
    '# Critique'
    """
    plan = chapters.plan(study)
    cohort = next((c.step for c in plan if c.source == "cohort"), "")
    sensitivity = next((c.step for c in plan if c.source == "sensitivity"), "")
    instrument_pages = ", ".join(f"{{doc}}`notebooks/{c.step}`" for c in plan
                                 if c.source == "instrument")
    link = lambda step: f" ({{doc}}`notebooks/{step}`)" if step else ""  # noqa: E731
    return "\n".join([
        "# Critique", "",
        f"A judgement of {markup.text(study.title)} by the Cochrane risk-of-bias tool, RoB 2 "
        "{cite:p}`sterne2019`, and by the CONSORT reporting guideline {cite:p}`consort2025` "
        "needs a reviewer: it weighs the design and conduct, which no arithmetic decides. This "
        "trial's data folder holds no critique (`pages/critique.md`), so none is given here. "
        "Where the reanalysis holds evidence for a domain, it is:", "",
        f"- Randomisation process: baseline balance against chance{link(cohort)}.",
        "- Deviations from the intended interventions: not assessed from the numbers.",
        f"- Missing outcome data: the participant flow and the n per timepoint{link(cohort)}; "
        f"what the missing would have to score to change a finding{link(sensitivity)}.",
        "- Measurement of the outcome: not assessed from the numbers.",
        f"- Selection of the reported result: the published tests against the recomputed "
        f"({instrument_pages}) and the claims ledger ({{doc}}`notebooks/ledger`).", ""])


def trial_folder(data_dir: str | os.PathLike, root: str | os.PathLike = TRIALS_DIR) -> Path:
    """Where a data folder's book is built: ``build/trials/<folder name>``.

    Examples
    --------
    >>> trial_folder("data/examples/simulated").relative_to(paths.project_root()).as_posix()
    'build/trials/simulated'
    """
    name = paths.resolve(data_dir).name
    return paths.resolve(root) / name


def _copy_engine_pages(book: Path, target: Path, study: trials.Trial, data_dir: Path) -> None:
    """The book's folder for one trial: configuration, static files, the engine's pages, the
    trial's own introduction (or a generated one) and bibliography."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in ("_static", "_ext"):
        if (book / folder).is_dir():
            shutil.copytree(book / folder, target / folder, dirs_exist_ok=True)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{study.title}, reanalysed"
    (target / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                        encoding="utf-8")
    pages = ["intro"]
    for page in ENGINE_PAGES:
        if (book / page).is_file():
            shutil.copy2(book / page, target / page)
            pages.append(Path(page).stem)
    generated = {"intro": intro_markdown, "critique": critique_markdown,
                 "letter": letter_markdown}
    for page in ("intro",) + TRIAL_PAGES:
        own = data_dir / PAGES_DIR / f"{page}.md"
        text = own.read_text(encoding="utf-8") if own.is_file() else generated[page](study)
        (target / f"{page}.md").write_text(text, encoding="utf-8")
    bib = (book / "references.bib").read_text(encoding="utf-8")
    if (data_dir / "references.bib").is_file():
        bib += "\n" + (data_dir / "references.bib").read_text(encoding="utf-8")
    (target / "references.bib").write_text(bib, encoding="utf-8")
    (target / "_toc.yml").write_text(toc_yaml(study, tuple(pages)), encoding="utf-8")


def assemble(data_dir: str | os.PathLike, root: str | os.PathLike = TRIALS_DIR,
             jobs: int | None = None, use_cache: bool = True, html_build: bool = True,
             overrides: dict | None = None) -> Path:
    """Reanalyse the trial of ``data_dir`` into ``build/trials/<folder name>/``: execute its
    chapters (``notebooks/``, ``results/`` there), assemble its book and build the HTML
    (``book/_build/html/``). Returns the trial's build folder. Nothing tracked is written.

    ``overrides`` are parameters for every notebook declaring them, as ``-p NAME VALUE`` of the
    pipeline (``{"search_climbs": 0}``).

    Raises :class:`BookError` (or :class:`pipeline.PipelineError` for a failing notebook).
    """
    source = paths.resolve(data_dir)
    if not (source / trials.FILE).is_file():
        raise BookError(f"{source}: no {trials.FILE}; a trial's data folder describes the trial "
                        "in it (see book/own_trial.md and data/examples/simulated)")
    study = trials.load(source)
    target = trial_folder(source, root)
    book = target / "book"
    started = time.perf_counter()
    print(f"{study.title}: {len(chapters.plan(study))} chapters into "
          f"{_relative(target)}/", flush=True)
    pipeline.build(None, {**(overrides or {}), "data_dir": _relative(source)}, book / "notebooks",
                   target / "results",
                   jobs, use_cache, sweep_dir=target / "sweep")
    _copy_engine_pages(paths.resolve("book"), book, study, source)
    if html_build:
        command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(book),
                   "--warningiserror", "--nitpick", "--keep-going", "--quiet"]
        finished = subprocess.run(command, capture_output=True, text=True)
        if finished.returncode:
            tail = "\n".join((finished.stdout + finished.stderr).strip().splitlines()[-15:])
            raise BookError(f"the HTML book of {_relative(source)} did not build:\n{tail}")
        print(f"book: {_relative(book)}/_build/html/index.html "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
    return target


def _relative(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.project_root()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build.book",
        description="Reanalyse a trial's data folder into build/trials/<folder name>/ "
                    "(notebooks, results, HTML book), or rewrite book/_toc.yml.",
        epilog="Example: python -m helpers.build.book --data-dir data/examples/simulated")
    parser.add_argument("--data-dir", help="the trial's data folder (with trial.yaml)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at a time (all cores)")
    parser.add_argument("--no-cache", action="store_true", help="execute every step again")
    parser.add_argument("--no-html", action="store_true", help="notebooks and results only")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="a parameter for every notebook declaring it (value read as YAML)")
    parser.add_argument("--root", default=TRIALS_DIR,
                        help=f"where the trial's build folder goes (default {TRIALS_DIR})")
    parser.add_argument("--write-toc", action="store_true",
                        help="rewrite book/_toc.yml from data/published/trial.yaml")
    args = parser.parse_args(argv)
    try:
        if args.write_toc:
            study = trials.load(pipeline.data_dir_of(pipeline.load_config()))
            paths.resolve("book/_toc.yml").write_text(toc_yaml(study), encoding="utf-8")
            print("book/_toc.yml written", flush=True)
        if args.data_dir:
            assemble(args.data_dir, root=args.root, jobs=args.jobs, use_cache=not args.no_cache,
                     html_build=not args.no_html,
                     overrides=pipeline.parse_overrides(args.parameter))
        elif not args.write_toc:
            parser.error("give --data-dir FOLDER (or --write-toc)")
    except (BookError, pipeline.PipelineError, trials.TrialError) as error:
        print(f"\nERROR: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
