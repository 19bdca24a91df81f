"""A corpus of trials, run by Snakemake (``make corpus``; ``workflow/Snakefile``).

A corpus file (``data/corpus.txt`` by default) lists trial folders, one a line: a path (a folder
with a ``trial.yaml``) or a glob pattern (``data/examples/*``: every matching folder that has a
``trial.yaml``); ``#`` starts a comment. Each trial is built by the per-trial build
(:func:`helpers.build.book.assemble`, ``make book DATA=...``) into ``build/trials/<folder name>/``,
then assessed with INSPECT-SR (:mod:`helpers.build.inspect_sr`); this module then gathers
the corpus tables into ``build/corpus/``:

- ``inspect_sr.csv``: one row per trial and check (domains and overall too), the trial first;
- ``summary.csv``: one row per trial: its ledger's rows by verdict and by tier, the judgement of
  each INSPECT-SR domain and the overall judgement, the same on the checks answered so far
  (``domain_4_answered``: what a screen can sort on before a reviewer has looked), and where its
  book is;
- ``index.html``: the same summary as a page linking each trial's book (every text from the
  data is escaped).

``python -m helpers.build.corpus trials [--corpus FILE]`` prints the corpus's trials (name and
folder); ``python -m helpers.build.corpus aggregate ...`` writes the three files (the
Snakefile's last rule).

Examples
--------
>>> [name for name, _ in trials("data/corpus.txt")][:1]
['published']
"""

from __future__ import annotations

import argparse
import csv
import glob
import html
import os
import sys
from pathlib import Path

import pandas as pd

from ..methods.ledger import TIER_ORDER, VERDICTS
from ..reanalysis import paths
from ..reanalysis import trial as trial_yaml
from .pipeline import PipelineError, check_not_tracked

__all__ = ["CORPUS_FILE", "CorpusError", "trials", "trial_files", "summary_row", "aggregate",
           "index_html", "main"]

#: The default corpus file: the published trial and every example trial.
CORPUS_FILE = "data/corpus.txt"
#: The domains of INSPECT-SR, as the rows of a trial's ``inspect_sr.csv`` name them.
DOMAINS = ("domain 1", "domain 2", "domain 3", "domain 4")


class CorpusError(ValueError):
    """A corpus file that cannot be run: the message names the file, the line and what is wrong."""


def trials(corpus: str | os.PathLike = CORPUS_FILE) -> list[tuple[str, Path]]:
    """The corpus file's trials as ``(name, folder)``, in its order: ``name`` is the folder's
    name (its build goes to ``build/trials/<name>/``), ``folder`` relative to the project root
    where it lies inside it. A listed folder without ``trial.yaml``, a pattern that matches no
    trial, or two trials of the same name raise :class:`CorpusError`.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "corpus.txt"
    >>> _ = bad.write_text("data/published\\ndata/instruments\\n")
    >>> trials(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.build.corpus.CorpusError: ...corpus.txt, line 2: data/instruments has no trial.yaml...
    """
    source = paths.resolve(corpus)
    if not source.is_file():
        raise CorpusError(f"{corpus}: no such corpus file (one trial folder or pattern a line; "
                          f"the default is {CORPUS_FILE})")
    found: dict[str, tuple[Path, int]] = {}
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        where = f"{corpus}, line {number}"
        if glob.has_magic(entry):
            matches = [Path(m) for m in sorted(glob.glob(str(paths.resolve(entry))))]
            folders = [m for m in matches if (m / trial_yaml.FILE).is_file()]
            if not folders:
                raise CorpusError(f"{where}: {entry} matches no folder with a {trial_yaml.FILE}")
        else:
            folder = paths.resolve(entry)
            if not folder.is_dir():
                raise CorpusError(f"{where}: {entry} is not a folder")
            if not (folder / trial_yaml.FILE).is_file():
                raise CorpusError(f"{where}: {entry} has no {trial_yaml.FILE}; a trial's folder "
                                  "describes the trial in it (see book/own_trial.md)")
            folders = [folder]
        for folder in folders:
            name = folder.name
            if name in found and found[name][0].resolve() != folder.resolve():
                raise CorpusError(f"{where}: {_relative(folder)} has the same name as "
                                  f"{_relative(found[name][0])} (line {found[name][1]}); both "
                                  f"would be built into build/trials/{name}/: rename one")
            found.setdefault(name, (folder, number))
    if not found:
        raise CorpusError(f"{corpus}: lists no trial folder")
    return [(name, Path(_relative(folder))) for name, (folder, _) in found.items()]


def trial_files(folder: str | os.PathLike) -> list[str]:
    """Every file of a trial folder (recursively, hidden files and caches aside): the inputs of
    its build, so that an edit of any of them rebuilds the trial."""
    root = paths.resolve(folder)
    files = [p for p in root.rglob("*") if p.is_file()
             and not any(part.startswith(".") or part == "__pycache__"
                         for part in p.relative_to(root).parts)]
    return sorted(_relative(p) for p in files)


def _relative(path: str | os.PathLike) -> str:
    try:
        return Path(path).resolve().relative_to(paths.project_root()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def summary_row(name: str, folder: str, ledger: pd.DataFrame, assessment: pd.DataFrame,
                book: str) -> dict:
    """One trial's row of ``summary.csv``: its title, its ledger's rows by verdict
    (``verdict_<v>``, every verdict of :data:`helpers.methods.ledger.VERDICTS`) and by tier
    (``tier_<t>``), each INSPECT-SR domain's judgement and the overall one, then the same judged
    on the checks answered so far (``domain_<i>_answered``, ``overall_answered``:
    :mod:`helpers.reanalysis.inspect_sr`'s ``judgement_answered``), and its book."""
    title = trial_yaml.load(paths.resolve(folder)).title
    row = {"trial": name, "folder": folder, "title": title, "ledger_rows": len(ledger)}
    verdicts = ledger["verdict"].value_counts()
    unknown = sorted(set(verdicts.index) - set(VERDICTS))
    if unknown:
        raise CorpusError(f"{name}: the ledger has verdicts outside the vocabulary: {unknown}")
    row.update({f"verdict_{v}": int(verdicts.get(v, 0)) for v in VERDICTS})
    tiers = ledger["tier"].value_counts()
    row.update({f"tier_{t}": int(tiers.get(t, 0)) for t in TIER_ORDER})
    judged = dict(zip(assessment["check"], assessment["judgement"]))
    answered = dict(zip(assessment["check"], assessment["judgement_answered"])) \
        if "judgement_answered" in assessment else {}
    row.update({d.replace(" ", "_"): judged.get(d, "") for d in DOMAINS})
    row["overall"] = judged.get("overall", "")
    row.update({f"{d.replace(' ', '_')}_answered": answered.get(d, "") for d in DOMAINS})
    row["overall_answered"] = answered.get("overall", "")
    row["book"] = book
    return row


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def index_html(summary: pd.DataFrame, out_dir: Path) -> str:
    """The corpus page: one row per trial, its title linking to its book (a relative link from
    ``out_dir``), its counts and judgements. Every value from the data is escaped."""
    e = html.escape
    columns = [c for c in summary.columns if c not in ("trial", "folder", "title", "book")]
    head = "".join(f"<th>{e(c.replace('_', ' '))}</th>" for c in columns)
    rows = []
    for _, row in summary.iterrows():
        link = os.path.relpath(paths.resolve(row["book"]), out_dir) if row["book"] else ""
        title = (f'<a href="{e(Path(link).as_posix())}">{e(row["title"])}</a>' if link
                 else e(row["title"]))
        cells = "".join(f"<td>{e(str(row[c]))}</td>" for c in columns)
        rows.append(f"<tr><td>{e(row['trial'])}</td><td>{title}</td>"
                    f"<td>{e(row['folder'])}</td>{cells}</tr>")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        "<title>Corpus: INSPECT-SR and the claims ledgers</title>",
        "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .4em;font-size:90%}"
        "div.wide{overflow-x:auto}</style>", "</head>", "<body>",
        "<h1>Corpus: INSPECT-SR and the claims ledgers</h1>",
        f"<p>{len(summary)} trials. Each title links to the trial's book; the counts are its "
        "ledger's rows by verdict and by proof tier, then INSPECT-SR's judgement per domain and "
        'overall (<a href="inspect_sr.csv">inspect_sr.csv</a>, '
        '<a href="summary.csv">summary.csv</a>).</p>',
        '<div class="wide"><table>',
        f"<thead><tr><th>trial</th><th>title</th><th>folder</th>{head}</tr></thead>",
        "<tbody>", *rows, "</tbody>", "</table></div>", "</body>", "</html>", ""])


def aggregate(entries: list[tuple[str, str, str, str, str]], out_dir: str | os.PathLike) -> Path:
    """Write ``inspect_sr.csv``, ``summary.csv`` and ``index.html`` into ``out_dir`` from
    ``(name, folder, ledger.csv, inspect_sr.csv, book index.html)`` per trial."""
    out = paths.resolve(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    assessments, rows = [], []
    for name, folder, ledger, assessment, book in entries:
        table = _read(Path(assessment))
        assessments.append(table.assign(trial=name)[["trial", *table.columns]])
        rows.append(summary_row(name, folder, _read(Path(ledger)), table,
                                _relative(book) if book and Path(book).is_file() else ""))
    summary = pd.DataFrame(rows)
    pd.concat(assessments).to_csv(out / "inspect_sr.csv", index=False, quoting=csv.QUOTE_MINIMAL,
                                  lineterminator="\n")
    summary.to_csv(out / "summary.csv", index=False, lineterminator="\n")
    (out / "index.html").write_text(index_html(summary, out), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build.corpus",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("trials", help="print the corpus's trials (name, folder)")
    listing.add_argument("--corpus", default=CORPUS_FILE)
    gather = sub.add_parser("aggregate", help="write the corpus tables and page")
    gather.add_argument("--out", required=True)
    gather.add_argument("--trial", nargs=5, action="append", default=[],
                        metavar=("NAME", "FOLDER", "LEDGER", "INSPECT_SR", "BOOK"))
    args = parser.parse_args(argv)
    try:
        if args.command == "trials":
            for name, folder in trials(args.corpus):
                print(f"{name}\t{folder}")
        else:
            check_not_tracked(args.out, "--out")
            out = aggregate([tuple(t) for t in args.trial], args.out)
            print(f"corpus of {len(args.trial)} trials: {_relative(out)}/index.html", flush=True)
    except (CorpusError, PipelineError, trial_yaml.TrialError, OSError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
