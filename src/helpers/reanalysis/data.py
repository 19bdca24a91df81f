"""Load and validate the transcribed publication (``data/published``).

The paper's numbers are stored as text, exactly as printed, so that trailing zeros and the number
of decimals survive: the consistency checks (GRIM, GRIMMER, ...) depend on them. The schema is a
Frictionless Data Package (``data/published/datapackage.json``); types, allowed values, ranges and
primary keys are checked by the ``frictionless`` library. This module adds what a Table Schema
cannot say (a scale belongs to its instrument; a correction must match the value it corrects) and
turns every problem into one message naming the file, the line and the column.

Loaders return, for every numeric column ``x``:

``x``
    the numeric value in force (after corrections of evident typos);
``x_printed``
    the text as printed in the paper (never overwritten);
``x_decimals``
    the number of decimals of the value in force (``"17.0"`` has 1).

and a ``corrected`` column listing the columns of the row that a correction changed. The
corrections applied are logged (logger ``helpers.reanalysis.data``) and listed by
:func:`applied_corrections`.
"""

from __future__ import annotations

import csv
import io
import hashlib
import json
import math
import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths

__all__ = ["TABLES", "ANALYSIS_TABLES", "KEY_SEPARATOR", "Problem", "TranscriptionError",
           "schema", "numeric_columns", "key_columns", "row_key", "decimals", "validate",
           "applied_corrections", "VALIDATED_DIR", "load", "load_outcomes", "load_effects",
           "load_items", "load_item_tests", "load_baseline", "load_claims", "load_statements",
           "load_not_checkable", "load_related", "load_corrections", "validate_all",
           "printed_cell", "items_with_n", "item_owner", "scale_range", "NEEDS_ROWS", "EXTERNAL_DIR", "PRIOR_COLUMNS", "load_priors"]

logger = logging.getLogger(__name__)

#: The tables of the transcription (each entered twice, ``double_entry/``): the paper's, in the
#: order it prints them, then what the trial's other publications print (``related``).
TABLES = ("baseline", "outcomes", "items", "item_tests", "effects", "claims", "related")
#: Analysis data kept beside the transcription: the paper's interpreting sentences and what each
#: asserts (``statements``), and the numbers of the text no data can check, with the reason
#: (``not_checkable``). Validated like the tables, but written once, not entered twice.
ANALYSIS_TABLES = ("statements", "not_checkable")
KEY_SEPARATOR = "/"
#: Tables that cannot be empty: a trial reports its outcomes and between-group tests.
NEEDS_ROWS = ("outcomes", "effects")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where it is and what it is."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class TranscriptionError(ValueError):
    """A transcription file breaks its schema. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the transcription:\n{lines}")


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

def _descriptor(content: bytes, package_path: str) -> dict:
    """The parsed ``datapackage.json`` from the bytes just read (parsed again whenever they
    change: no cache outlives a change of the file)."""
    return _parse_descriptor(hashlib.sha256(content).hexdigest(), content, package_path)


@cache
def _parse_descriptor(digest: str, content: bytes, package_path: str) -> dict:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TranscriptionError([Problem(package_path, None, None,
                                          f"not UTF-8 text ({error.reason})")]) from None
    except json.JSONDecodeError as error:
        raise TranscriptionError([Problem(
            package_path, error.lineno, None,
            f"not valid JSON ({error.msg}, column {error.colno})")]) from None


def _folder(data_dir) -> Path:
    """The data folder, or a :class:`TranscriptionError` naming it when it is not a folder."""
    folder = paths.data_dir(data_dir)
    if folder.exists() and not folder.is_dir():
        raise TranscriptionError([Problem(str(folder), None, None,
                                          "is a file, not a data folder (data_dir)")])
    return folder


def schema(name: str, data_dir: str | os.PathLike) -> dict:
    """The Table Schema of one resource of ``datapackage.json``, with the constraints that come
    from the trial (``trial.yaml``: arms, timepoints, contrasts, instruments, scales, baseline
    characteristics, item numbers, the largest n; :func:`helpers.reanalysis.trial.constraints`)
    merged into the fields of those names. A field that may be empty also allows ``""``.

    Examples
    --------
    >>> schema("outcomes", "data/published")["primaryKey"]
    ['instrument', 'scale', 'arm', 'timepoint']
    >>> [f["constraints"]["enum"] for f in schema("outcomes", "data/published")["fields"]
    ...  if f["name"] == "arm"]
    [['A', 'B']]
    """
    import copy

    from . import trial

    package = _folder(data_dir) / "datapackage.json"
    if not package.is_file():
        raise FileNotFoundError(f"no schema: {package} is missing")
    resources = _descriptor(package.read_bytes(), str(package))["resources"]
    for resource in resources:
        if resource["name"] == name:
            found = copy.deepcopy(resource["schema"])
            derived = trial.constraints(trial.load(data_dir))
            for field in found["fields"]:
                extra = derived.get(field["name"])
                if extra is None:
                    continue
                merged = {**field.get("constraints", {}), **copy.deepcopy(extra)}
                if "enum" in merged and not merged.get("required"):
                    merged["enum"] = merged["enum"] + [""]
                field["constraints"] = merged
            return found
    known = [r["name"] for r in resources]
    raise KeyError(f"no resource {name!r} in {package}; known: {', '.join(known)}")


def numeric_columns(name: str, data_dir: str | os.PathLike) -> list[str]:
    """Columns of a resource typed ``number`` or ``integer`` (stored as text, read as numbers)."""
    descriptor = schema(name, data_dir)  # once: it merges the trial's constraints each call
    return [f["name"] for f in descriptor["fields"]
            if f["type"] in ("number", "integer") and f["name"] not in descriptor["primaryKey"]]


def key_columns(name: str, data_dir: str | os.PathLike) -> list[str]:
    """The primary key of a resource."""
    return list(schema(name, data_dir)["primaryKey"])


def row_key(row: pd.Series | dict, columns: list[str]) -> str:
    """A row's key as text: its key fields joined by ``/`` (``corrections.csv`` uses it).

    Examples
    --------
    >>> row_key({"characteristic": "age", "level": "", "arm": "A"}, ["characteristic", "level", "arm"])
    'age//A'
    """
    return KEY_SEPARATOR.join(str(row[c]) for c in columns)


def decimals(text: str) -> int:
    """Number of decimals of a number printed as ``text`` (``"17.0"`` -> 1, ``"1150"`` -> 0).

    Examples
    --------
    >>> decimals("17.0"), decimals("-0.24"), decimals("30")
    (1, 2, 0)
    """
    text = text.strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

#: The longest cell a transcription file may hold (the paper's longest quoted sentence is a few
#: hundred characters); a longer one is an unclosed quote or not a transcription.
MAX_CELL = 20_000


def _read_text(path: Path, label: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file, every cell as text."""
    if not path.is_file():
        raise TranscriptionError([Problem(label, None, None, "file is missing")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise TranscriptionError([Problem(
            label, line, None, f"not UTF-8 text: byte {error.start} of the file "
            f"(0x{raw[error.start]:02x}, line {line}) is {error.reason}; save the file as "
            "UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TranscriptionError([Problem(label, None, None, "file is empty (no header)")]) from None
    except csv.Error as error:
        raise TranscriptionError([Problem(label, 1, None, f"not readable as CSV ({error})")]) \
            from None
    if header and header[0].startswith("\ufeff"):
        raise TranscriptionError([Problem(
            label, 1, header[0].lstrip("\ufeff"),
            "the file starts with a UTF-8 byte-order mark (BOM), which hides the first "
            "column's name: save it as UTF-8 without BOM")])
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            longest = max((len(cell) for cell in cells), default=0)
            if longest > MAX_CELL:
                raise TranscriptionError([Problem(
                    label, line, None,
                    f"a cell of {longest} characters: a transcribed value or quote is far "
                    f"shorter (at most {MAX_CELL}); a quote may not be closed")])
            if len(cells) != len(header):
                raise TranscriptionError([Problem(
                    label, line, None,
                    f"has {len(cells)} cells where the header has {len(header)}")])
            rows.append(dict(zip(header, cells)))
    except csv.Error as error:
        raise TranscriptionError([Problem(
            label, reader.line_num, None,
            f"not readable as CSV ({error}): a cell this long is not a transcribed value, or "
            "a quote is not closed")]) from None
    if not rows and label.removesuffix(".csv") in NEEDS_ROWS:
        raise TranscriptionError([Problem(label, 2, None,
                                          "has a header but no rows: the table is empty")])
    return header, rows


def _describe(error, field: dict | None) -> str:
    """A plain-words message for one frictionless error."""
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    kind = error.type
    if kind == "type-error":
        expected = "an integer" if field and field["type"] == "integer" else "a number"
        return f"{cell!r} is not {expected}"
    if kind == "constraint-error" and field is not None:
        constraints = field.get("constraints", {})
        if note.startswith('constraint "required"'):
            return "is empty, but a value is required"
        if note.startswith('constraint "enum"'):
            return f"{cell!r} is not one of: {', '.join(map(str, constraints['enum']))}"
        if note.startswith('constraint "minimum"'):
            hint = " (an SD cannot be negative)" if field["name"] in ("sd",) else ""
            return f"{cell} is below the minimum {constraints['minimum']}{hint}"
        if note.startswith('constraint "maximum"'):
            hint = (f" (no arm had more than the {constraints['maximum']} patients randomised, "
                    "trial.yaml)" if field["name"] == "n" else "")
            return f"{cell} is above the maximum {constraints['maximum']}{hint}"
        if note.startswith('constraint "pattern"'):
            return f"{cell!r} does not match the pattern {constraints['pattern']!r}"
    if kind == "primary-key":
        return f"duplicate key: {note}"
    return f"{error.title}: {note or error.message}"


def validate(name: str, data_dir: str | os.PathLike) -> list[Problem]:
    """Every problem of one transcription file, as a list (empty when the file is valid).

    Checks the header (missing and unexpected columns), then types, allowed values, ranges and
    duplicate keys with ``frictionless``, then the rules a Table Schema cannot express.

    Examples
    --------
    >>> validate("outcomes", "data/published")
    []
    """
    from frictionless import Resource, Schema  # imported here: it is slow to import

    folder = paths.data_dir(data_dir)
    descriptor = schema(name, data_dir)
    path = folder / f"{name}.csv"
    label = f"{name}.csv"
    header, rows = _read_text(path, label)

    expected = [f["name"] for f in descriptor["fields"]]
    problems = [Problem(label, 1, c, "column is missing") for c in expected if c not in header]
    problems += [Problem(label, 1, c, f"unexpected column (expected: {', '.join(expected)})")
                 for c in header if c not in expected]
    problems += [Problem(label, 1, c, "column appears more than once")
                 for c in sorted({c for c in header if header.count(c) > 1})]
    if problems:
        return problems

    fields = {f["name"]: f for f in descriptor["fields"]}
    problems = _cell_problems(label, rows, fields)
    if name == "outcomes":
        problems += _outcome_problems(label, rows) + _library_problems(data_dir)
    if name in ("claims", "statements"):  # every refers_to has a kind (data/claims/kinds.yaml)
        from . import claim_kinds

        problems += claim_kinds.problems(name, rows, data_dir)
    flagged = {(p.line, p.column) for p in problems}

    # Columns are matched by name: the header was checked above, its order is free.
    resource = Resource(path=path.name, basepath=str(folder),
                        schema=Schema.from_descriptor({**descriptor, "fieldsMatch": "equal"}))
    report = resource.validate()
    for task in report.tasks:
        for error in task.errors:
            column = getattr(error, "field_name", None)
            if (getattr(error, "row_number", None), column) in flagged:
                continue  # said above, in plainer words
            line = getattr(error, "row_number", None)
            said = _describe(error, fields.get(column))
            if error.type == "primary-key" and line and 2 <= line < len(rows) + 2:
                keys = descriptor.get("primaryKey") or []
                keys = [keys] if isinstance(keys, str) else keys
                values = ", ".join(f"{key} = {rows[line - 2].get(key, '')!r}" for key in keys)
                said = (f"duplicate key ({values}): {getattr(error, 'note', '')}; each key may "
                        "appear once, so keep one of the two rows")
            problems.append(Problem(label, line, column, said))
    for error in report.errors:  # package-level errors (unreadable file, ...)
        problems.append(Problem(label, None, None, error.message))

    if name in ("outcomes", "effects"):
        from . import trial

        scales = trial.load(data_dir).scales
        for line, row in enumerate(rows, start=2):
            instrument, scale = row.get("instrument", ""), row.get("scale", "")
            known = scale in fields["scale"]["constraints"]["enum"]  # else reported above
            if instrument in scales and known and scale not in scales[instrument]:
                problems.append(Problem(
                    label, line, "scale",
                    f"{scale!r} is not a scale of {instrument} "
                    f"(its scales: {', '.join(scales[instrument])}; trial.yaml)"))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))


def _cell_problems(label: str, rows: list[dict[str, str]], fields: dict) -> list[Problem]:
    """Numeric cells that are not plain finite numbers: spaces around them, ``NaN``, ``inf``."""
    problems = []
    numeric = [name for name, f in fields.items() if f["type"] in ("number", "integer")]
    for line, row in enumerate(rows, start=2):
        for column in numeric:
            cell = row.get(column, "")
            if cell != cell.strip():
                problems.append(Problem(label, line, column,
                                        f"{cell!r} has spaces around the number"))
                continue
            try:
                value = float(cell) if cell else 0.0
            except ValueError:
                continue  # frictionless names it
            if not math.isfinite(value):
                problems.append(Problem(label, line, column,
                                        f"{cell!r} is not a finite number"))
    return problems


def scale_range(study, instrument: str, scale: str) -> tuple[float, float] | None:
    """The range of the scores an outcome table prints for ``scale`` of ``instrument``: the
    instrument's range in ``trial.yaml`` (0-100, 0-50), or, for a scale printed as a raw item
    mean (``item_mean_...``), the items' response range in the instrument library. ``None`` when
    neither says.

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> scale_range(trial.load("data/published"), "BM22", "painful_sites")
    (0.0, 100.0)
    >>> scale_range(trial.load("data/published"), "FA13", "social_sequelae")
    (1.0, 4.0)
    """
    from . import instruments

    found = next((i for i in study.instruments if i.id == instrument), None)
    if found is None:
        return None
    if found.metric_of(scale).startswith("item_mean"):
        library = instruments.INSTRUMENTS
        if instrument not in library or not library[instrument].has_scale(scale):
            return None
        low, high = library[instrument].range_of(scale)  # the scale's own, else the instrument's
        return float(low), float(high)
    if found.low is None or found.high is None:
        return None
    return float(found.low), float(found.high)


def _library_problems(data_dir) -> list[Problem]:
    """Instruments and scales of ``trial.yaml`` that the instrument library lacks (the outcome
    tables' scales are scored and checked with the library's facts)."""
    from . import instruments, trial

    return [Problem(trial.FILE, None, key, message)
            for key, message in instruments.not_in_library(trial.load(data_dir))]


def _outcome_problems(label: str, rows: list[dict[str, str]]) -> list[Problem]:
    """An n below 1 (a mean of no patient)."""
    problems = []
    for line, row in enumerate(rows, start=2):
        n = row.get("n", "").strip()
        try:
            if n and float(n) < 1:
                problems.append(Problem(label, line, "n",
                                        f"{n} is below 1: a mean needs at least one patient"))
        except ValueError:
            pass
    return problems


def _range_problems(name: str, table: pd.DataFrame, data_dir) -> list[Problem]:
    """Means in force (after corrections) outside their scale's range (:func:`scale_range`)."""
    from . import trial

    study = trial.load(data_dir)
    problems = []
    for position, (_, row) in enumerate(table.iterrows()):
        bounds = scale_range(study, row["instrument"], row["scale"])
        value = row["mean"]
        if bounds and pd.notna(value) and not bounds[0] <= value <= bounds[1]:
            fixed = " (as corrected, corrections.csv)" if "mean" in row["corrected"].split(",") \
                else ""
            problems.append(Problem(
                f"{name}.csv", position + 2, "mean",
                f"{row['mean_printed']}{fixed} lies outside {row['instrument']} {row['scale']}'s "
                f"range [{bounds[0]:g}, {bounds[1]:g}] (trial.yaml, data/instruments)"))
    return problems


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def _apply_corrections(name: str, table: pd.DataFrame,
                       data_dir: str | os.PathLike) -> pd.DataFrame:
    """Check each correction of ``name`` against the printed value and apply it."""
    corrections = _read_valid("corrections", data_dir)
    corrections["line"] = range(2, len(corrections) + 2)
    mine = corrections[corrections["file"] == name]
    keys = key_columns(name, data_dir)
    numeric = set(numeric_columns(name, data_dir))
    index = {row_key(row, keys): i for i, row in table.iterrows()}
    problems, applied = [], []
    for _, fix in mine.iterrows():
        if fix["row_key"] not in index:
            problems.append(Problem("corrections.csv", int(fix["line"]), "row_key",
                                  f"no row {fix['row_key']!r} in {name}.csv"))
            continue
        if fix["column"] not in numeric:
            problems.append(Problem("corrections.csv", int(fix["line"]), "column",
                                  f"{fix['column']!r} is not a numeric column of {name}.csv"))
            continue
        i = index[fix["row_key"]]
        printed = table.at[i, f"{fix['column']}_printed"]
        if printed != fix["printed"]:
            problems.append(Problem(
                "corrections.csv", int(fix["line"]), "printed",
                f"{fix['printed']!r} does not match {printed!r}, the value of "
                f"{name}.csv row {fix['row_key']!r} column {fix['column']!r}"))
            continue
        try:
            value = float(fix["corrected"])
        except ValueError:
            problems.append(Problem("corrections.csv", int(fix["line"]), "corrected",
                                  f"{fix['corrected']!r} is not a number"))
            continue
        column = fix["column"]
        table.at[i, column] = value
        table.at[i, f"{column}_decimals"] = decimals(fix["corrected"])
        table.at[i, "corrected"] = ",".join(filter(None, [table.at[i, "corrected"], column]))
        applied.append({"file": name, "row_key": fix["row_key"], "column": column,
                        "printed": fix["printed"], "corrected": fix["corrected"],
                        "reason": fix["reason"]})
        logger.info("%s.csv %s %s: printed %s, corrected to %s (%s)", name, fix["row_key"],
                    column, fix["printed"], fix["corrected"], fix["reason"])
    if problems:
        raise TranscriptionError(problems)
    table.attrs["corrections"] = applied  # plain records: pandas compares attrs on concat
    return table


def applied_corrections(table: pd.DataFrame) -> pd.DataFrame:
    """The corrections a loader applied to ``table``, one row each, with their reasons.

    Examples
    --------
    >>> outcomes = load_outcomes("data/published")
    >>> applied_corrections(outcomes)[["row_key", "printed", "corrected"]].to_numpy().tolist()
    [['FA13/social_sequelae/A/t0', '1150', '1.50']]
    """
    return pd.DataFrame(table.attrs.get("corrections", []),
                        columns=["file", "row_key", "column", "printed", "corrected", "reason"])


#: Files known valid, by content hash of the file, its schema and the validator's version, so
#: that unchanged files are not validated again in every notebook (validation is deterministic).
VALIDATED_DIR = "build/cache/validated"


def _validation_key(name: str, data_dir) -> str | None:
    from importlib.metadata import version

    folder = _folder(data_dir)
    try:
        digest = hashlib.sha256((folder / f"{name}.csv").read_bytes())
        digest.update((folder / "datapackage.json").read_bytes())
        digest.update((folder / "trial.yaml").read_bytes())
        from .instruments import library_digest  # the ranges of scales printed as item means

        digest.update(library_digest())
        if name in ("claims", "statements"):  # the claim kinds, and what is not checkable
            from . import claim_kinds

            digest.update(claim_kinds.kinds_digest())
            digest.update(Path(claim_kinds.__file__).read_bytes())
            extra = folder / "not_checkable.csv"
            digest.update(extra.read_bytes() if extra.is_file() else b"")
    except FileNotFoundError:
        return None
    digest.update(f"{name}|frictionless {version('frictionless')}|{__file__}".encode())
    # every module that derives the schema: this one, the trial's (its limits and enums) and the
    # instrument library's
    from . import instruments, trial

    for module in (__file__, trial.__file__, instruments.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _read_valid(name: str, data_dir: str | os.PathLike) -> pd.DataFrame:
    key = _validation_key(name, data_dir)
    marker = paths.resolve(VALIDATED_DIR) / key if key else None
    if marker is None or not marker.is_file():
        problems = validate(name, data_dir)
        if problems:
            raise TranscriptionError(problems)
        if marker is not None and _validation_key(name, data_dir) == key:  # unchanged meanwhile
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
            except OSError:  # a read-only checkout validates every time
                pass
    return pd.read_csv(paths.data_dir(data_dir) / f"{name}.csv", dtype=str,
                       keep_default_na=False, na_filter=False)


def load(name: str, data_dir: str | os.PathLike, *,
         corrections: bool = True) -> pd.DataFrame:
    """Validate and load one transcription table.

    Parameters
    ----------
    name : str
        One of :data:`TABLES`, :data:`ANALYSIS_TABLES` (or ``"corrections"``).
    data_dir : path-like
        Folder of the transcription; relative paths are taken from the project root.
    corrections : bool
        Apply ``corrections.csv`` (default). The printed values are kept either way.

    Returns
    -------
    pandas.DataFrame
        Key and text columns as strings; for each numeric column ``x``: ``x`` (float, or
        nullable ``Int64`` for integers), ``x_printed`` and ``x_decimals``; ``corrected``.

    Raises
    ------
    TranscriptionError
        Listing every problem, each with its file, line and column.

    Examples
    --------
    >>> outcomes = load("outcomes", "data/published")
    >>> row = outcomes.query("scale == 'psychosocial_aspects' and arm == 'A' and timepoint == 't0'")
    >>> row[["sd", "sd_printed", "sd_decimals"]].to_numpy().tolist()
    [[17.0, '17.0', 1]]
    """
    table = _read_valid(name, data_dir)
    if name == "corrections":
        return table
    descriptor = schema(name, data_dir)
    types = {f["name"]: f["type"] for f in descriptor["fields"]}
    for column in numeric_columns(name, data_dir):
        printed = table[column]
        table[f"{column}_printed"] = printed
        table[f"{column}_decimals"] = printed.map(lambda s: decimals(s) if s else pd.NA).astype("Int64")
        values = pd.to_numeric(printed.replace("", None), errors="raise")
        table[column] = values.astype("Int64") if types[column] == "integer" else values.astype(float)
    for column in descriptor["primaryKey"]:
        if types[column] == "integer":
            table[column] = table[column].astype(int)
    table["corrected"] = ""
    if corrections:
        table = _apply_corrections(name, table, data_dir)
    if name == "effects":
        table = _with_comparison(table, data_dir)
    if name == "outcomes" and corrections:  # the printed values, typos and all, otherwise
        problems = _range_problems(name, table, data_dir)
        if problems:
            raise TranscriptionError(problems)
    return table


def load_outcomes(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Tables 2, 4, 5: n, mean, SD by instrument, scale, arm and timepoint. See :func:`load`."""
    return load("outcomes", data_dir)


def load_effects(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Tables 2, 4, 5: between-group p-values and effect sizes, always with the columns ``arm``
    and ``versus`` (:func:`_with_comparison`). See :func:`load`."""
    return load("effects", data_dir)


def _with_comparison(table: pd.DataFrame, data_dir) -> pd.DataFrame:
    """effects.csv with the columns ``arm`` and ``versus`` (the comparison, arm minus versus):
    a trial of one comparison may leave them out, and they are then that comparison's
    (``trial.yaml``); a trial of several comparisons must give them."""
    from . import trial

    if {"arm", "versus"} <= set(table.columns):
        return table
    study = trial.load(data_dir)
    if len(study.comparisons) != 1:
        raise TranscriptionError([Problem(
            f"{paths.data_dir(data_dir) / 'effects.csv'}", None, "arm",
            f"trial.yaml declares {len(study.comparisons)} comparisons; effects.csv needs the "
            "columns 'arm' and 'versus' (and datapackage.json their fields and primary key) to "
            "say which comparison each row reports")])
    comparison = study.comparisons[0]
    front = list(table.columns[:2])
    table = table.assign(arm=comparison.arm, versus=comparison.versus)
    return table[front + ["arm", "versus"] + [c for c in table.columns
                                              if c not in front + ["arm", "versus"]]]


def load_items(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Table 3: item means and SDs of the psychosocial aspects scale. See :func:`load`."""
    return load("items", data_dir)


def load_item_tests(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Table 3: between-group p-values by item. See :func:`load`."""
    return load("item_tests", data_dir)


def load_baseline(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Table 1: patient characteristics at baseline. See :func:`load`."""
    return load("baseline", data_dir)


def load_claims(data_dir: str | os.PathLike) -> pd.DataFrame:
    """Every other number of the text, one row per number. See :func:`load`."""
    return load("claims", data_dir)


def load_statements(data_dir: str | os.PathLike) -> pd.DataFrame:
    """The paper's interpreting sentences, one row per assertion. See :func:`load`."""
    return load("statements", data_dir)


def load_not_checkable(data_dir: str | os.PathLike) -> pd.DataFrame:
    """The numbers of the text that no data of the trial can check, with the reason
    (``not_checkable.csv``; an empty table where the folder has none). See :func:`load`."""
    if not (paths.data_dir(data_dir) / "not_checkable.csv").is_file():
        return pd.DataFrame(columns=["refers_to", "reason"])
    return load("not_checkable", data_dir)


def load_related(data_dir: str | os.PathLike) -> pd.DataFrame:
    """What the trial's other publications print about the same patients. See :func:`load`."""
    return load("related", data_dir)


def load_corrections(data_dir: str | os.PathLike) -> pd.DataFrame:
    """The corrections of evident typos, with their reasons (all text)."""
    return load("corrections", data_dir)


def validate_all(data_dir: str | os.PathLike) -> list[Problem]:
    """Problems of every table of the transcription, corrections included."""
    problems = []
    for name in (*TABLES, *ANALYSIS_TABLES, "corrections"):
        try:
            load(name, data_dir)
        except TranscriptionError as error:
            problems += error.problems
    return problems


def printed_cell(tables: dict[str, pd.DataFrame], reference: str, data_dir: str | os.PathLike,
                 who: str = "") -> str:
    """The printed text of the table cell ``reference`` (``file:key:column``, the key's fields
    joined by ``/``) among ``tables`` loaded from ``data_dir``; ``KeyError`` naming ``who``
    refers to it when the transcription has no such cell.

    Examples
    --------
    >>> folder = "data/published"
    >>> printed_cell({"outcomes": load_outcomes(folder)}, "outcomes:QSCR10/distress/B/t3:mean",
    ...              folder)
    '24.95'
    """
    file, key, column = reference.split(":")
    table = tables[file]
    keys = key_columns(file, data_dir)
    match = table[[row_key(r, keys) == key for _, r in table[keys].iterrows()]]
    if match.empty:
        raise KeyError(f"{who or 'a check'} refers to {reference}, which is not in the "
                       "transcription")
    return str(match[f"{column}_printed"].item())


def item_owner(items: pd.DataFrame, outcomes: pd.DataFrame,
               instrument: str | None = None) -> tuple[str, str]:
    """The (instrument, scale) the item table's items belong to: the scale of the instrument
    library whose items include them all, among the instruments of the outcome table (or
    ``instrument``). Raises ``ValueError`` naming the items when no scale, or more than one,
    holds them."""
    from .instruments import INSTRUMENTS

    numbers = set(items["item"].astype(int))
    names = [instrument] if instrument else list(dict.fromkeys(outcomes["instrument"]))
    owners = [(name, scale.name) for name in names if name in INSTRUMENTS
              for scale in INSTRUMENTS[name].scales
              if scale.items and numbers <= set(scale.items)]
    if len(owners) != 1:
        raise ValueError(f"items.csv: items {sorted(numbers)}: "
                         + ("no scale of the instrument library (data/instruments) holds them "
                            "all, so their n is unknown" if not owners else
                            f"held by {len(owners)} scales ({owners}); name the instrument")
                         + f" (instruments searched: {', '.join(map(str, names))})")
    return owners[0]


def items_with_n(items: pd.DataFrame, outcomes: pd.DataFrame,
                 instrument: str | None = None) -> pd.DataFrame:
    """The item table's rows with an ``n`` column: an item table prints no n, so each item
    takes the n printed for the scale the items belong to (:func:`item_owner`: psychosocial
    aspects in the paper) at the same arm and timepoint. A paper without an item table (a
    header-only ``items.csv``) gives an empty table with the column."""
    if items.empty:
        return items.assign(n=pd.Series(dtype=int))
    owner, scale = item_owner(items, outcomes, instrument)
    scale_n = outcomes[(outcomes["instrument"] == owner) & (outcomes["scale"] == scale)].set_index(
        ["arm", "timepoint"])["n"].astype(int)
    table = items.copy()
    table["n"] = [int(scale_n[(arm, timepoint)])
                  for arm, timepoint in zip(table["arm"], table["timepoint"])]
    return table


#: Numbers from other publications used as inputs to a method (``data/external``).
EXTERNAL_DIR = "data/external"
PRIOR_COLUMNS = ["prior_id", "outcome", "measure", "direction", "pooled", "ci_low", "ci_high",
                 "k", "i2_percent", "tau2", "population", "source", "doi", "where_read", "quote"]


def load_priors(folder: str | os.PathLike) -> pd.DataFrame:
    """The meta-analyses of ``data/external/priors.csv``, one row per prior, numbers as floats
    (``k`` an integer, ``tau2`` NaN where the publication prints none).

    Raises ``ValueError`` naming the file for a missing column, a duplicate id, or a value that
    is not a number.

    Examples
    --------
    >>> int(load_priors("data/external").set_index("prior_id").loc["hong2019_qol", "k"])
    18
    """
    path = paths.resolve(folder) / "priors.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in PRIOR_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    if table["prior_id"].duplicated().any():
        raise ValueError(f"{path}: duplicate prior_id {table['prior_id'][table['prior_id'].duplicated()].tolist()}")
    for column in ("pooled", "ci_low", "ci_high", "k", "i2_percent", "tau2"):
        values = pd.to_numeric(table[column].str.strip().replace("", np.nan), errors="coerce")
        bad = values.isna() & (table[column].str.strip() != "")
        if bad.any():
            raise ValueError(f"{path}, column {column}: not a number: "
                             f"{table.loc[bad, column].tolist()}")
        table[column] = values
    table["k"] = table["k"].astype("Int64")
    return table
