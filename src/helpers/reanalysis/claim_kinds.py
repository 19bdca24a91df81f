"""The claim kinds: the forms a ``refers_to`` of ``claims.csv`` and ``statements.csv`` may take.

The vocabulary is data, ``data/claims/kinds.yaml``: each kind is a pattern with placeholders
(``deaths_arm_{arm}_{from}_{to}``, ``{instrument}_range_min``), what the engine checks it against
and whether it is checkable. This module reads it (:func:`kinds`), matches a name against it
(:func:`match`, where the placeholders take the arms, timepoints and instruments of the folder's
``trial.yaml``), validates the references of a data folder (:func:`problems`, called by
``helpers.reanalysis.data.validate``, so that a bad reference fails at load with the file, the
line, the claim and the allowed forms) and writes the table of the book
(:func:`markdown_table`).

The participant flow before randomisation is read here too (:func:`flow_stages`, the ``flow:``
list of ``trial.yaml``): its stages name the claims that print their counts.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass
from functools import cache

from . import paths

__all__ = ["KINDS_FILE", "Kind", "FlowStage", "KindsError", "kinds", "kinds_digest",
           "flow_stages", "context", "match", "kind_of", "problems", "markdown_table"]

#: The file of claim kinds, relative to the project root.
KINDS_FILE = "data/claims/kinds.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class KindsError(ValueError):
    """``kinds.yaml`` or a ``flow:`` list of ``trial.yaml`` is malformed."""


@dataclass(frozen=True)
class Kind:
    """One form of ``refers_to``: its ``pattern``, ``group``, ``checked_against``,
    ``checkable``, the ``reason`` of an uncheckable kind and what else it ``needs``."""

    pattern: str
    group: str
    checked_against: str
    checkable: bool
    reason: str = ""
    needs: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The placeholders of the pattern, in order."""
        return tuple(_PLACEHOLDER.findall(self.pattern))

    @property
    def is_cell(self) -> bool:
        """Whether the kind is a table cell (``{file}:{key}:{column}``)."""
        return ":" in self.pattern


@dataclass(frozen=True)
class FlowStage:
    """A stage of the participant flow before randomisation (``trial.yaml``, ``flow:``)."""

    stage: str
    claim: str
    excluded: bool = False


@cache
def _parsed(path: str, content: bytes) -> tuple[dict, tuple[Kind, ...], tuple[dict, ...]]:
    from .yamlfile import YamlFileError, loads

    try:
        raw = loads(content.decode("utf-8"), path)  # no aliases (helpers.reanalysis.yamlfile)
    except UnicodeDecodeError as error:
        raise KindsError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") \
            from None
    except YamlFileError as error:
        raise KindsError(str(error)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("kinds"), list):
        raise KindsError(f"{path}: expected the keys 'placeholders' and 'kinds' (a list)")
    holders = raw.get("placeholders") or {}
    found = []
    for i, entry in enumerate(raw["kinds"]):
        where = f"{path}: kinds[{i}]"
        if not isinstance(entry, dict) or not entry.get("pattern"):
            raise KindsError(f"{where}: each kind needs a 'pattern'")
        unknown = [f for f in _PLACEHOLDER.findall(str(entry["pattern"])) if f not in holders]
        if unknown:
            raise KindsError(f"{where} ({entry['pattern']}): placeholder(s) {', '.join(unknown)} "
                             "not defined under 'placeholders'")
        if not isinstance(entry.get("checkable"), bool):
            raise KindsError(f"{where} ({entry['pattern']}): 'checkable' must be true or false")
        if not entry["checkable"] and not entry.get("reason"):
            raise KindsError(f"{where} ({entry['pattern']}): an uncheckable kind needs a "
                             "'reason'")
        found.append(Kind(str(entry["pattern"]), str(entry.get("group", "")),
                          str(entry.get("checked_against", "")), entry["checkable"],
                          str(entry.get("reason", "")),
                          tuple(str(n) for n in entry.get("needs") or ())))
    return holders, tuple(found), tuple(raw.get("statement_references") or ())


def _load() -> tuple[dict, tuple[Kind, ...], tuple[dict, ...]]:
    path = paths.resolve(KINDS_FILE)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise KindsError(f"{path}: missing (the claim kinds the engine understands)") from None
    return _parsed(str(path), content)


def kinds() -> tuple[Kind, ...]:
    """Every claim kind of ``data/claims/kinds.yaml``, in its order.

    Examples
    --------
    >>> [k.pattern for k in kinds() if k.pattern.startswith("deaths_")]
    ['deaths_arm_{arm}_{from}_{to}', 'deaths_arm_{arm}_{from}_{to}_percent']
    """
    return _load()[1]


def kinds_digest() -> bytes:
    """The SHA-256 of ``kinds.yaml`` (validation caches are keyed on it)."""
    return hashlib.sha256(paths.resolve(KINDS_FILE).read_bytes()).digest()


def flow_stages(data_dir: str | os.PathLike) -> tuple[FlowStage, ...]:
    """The participant flow before randomisation that ``trial.yaml`` lists under ``flow:``
    (``{stage, claim, excluded}``, in order); empty where it lists none.

    Examples
    --------
    >>> [s.claim for s in flow_stages("data/published") if s.excluded]
    ['excluded_unstable_metastases', 'declined_to_participate']
    """
    from . import trial  # the trial's own parse of trial.yaml (read once, without aliases)

    path = paths.data_dir(data_dir) / trial.FILE
    entries = trial.load(data_dir).flow
    stages = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("stage") or not entry.get("claim"):
            raise KindsError(f"{path}: flow[{i}] needs a 'stage' (its words) and a 'claim' (the "
                             "refers_to of claims.csv that prints its count)")
        if not re.fullmatch(r"[a-z0-9_]+", str(entry["claim"])):
            raise KindsError(f"{path}: flow[{i}] claim {entry['claim']!r} must be lower case "
                             "letters, digits and '_'")
        stages.append(FlowStage(str(entry["stage"]), str(entry["claim"]),
                                bool(entry.get("excluded", False))))
    if stages and stages[0].excluded:
        raise KindsError(f"{path}: flow[0] is the stage the others are taken from; it cannot be "
                         "excluded")
    return tuple(stages)


def context(data_dir: str | os.PathLike) -> dict[str, set[str]]:
    """The values the placeholders that come from ``trial.yaml`` take: ``arms``,
    ``timepoints``, ``instruments`` (lower case), ``flow`` and ``minimums`` (claim names)."""
    from . import trial

    study = trial.load(data_dir)
    minimums = {check["minimum"] for name in study.characteristics
                if isinstance(check := study.check_of(name), dict) and check.get("minimum")}
    return {"arms": {a.lower() for a in study.arm_ids},
            "timepoints": {t.id.lower() for t in study.timepoints},
            "instruments": {i.id.lower() for i in study.instruments},
            "flow": {s.claim for s in flow_stages(data_dir)},
            "minimums": set(minimums)}


@cache
def _regex(pattern: str, holders_key: tuple) -> re.Pattern:
    holders = dict(holders_key)
    out, position = "", 0
    for found in _PLACEHOLDER.finditer(pattern):
        out += re.escape(pattern[position:found.start()])
        out += f"(?P<{found.group(1)}>{holders[found.group(1)]})"
        position = found.end()
    return re.compile(out + re.escape(pattern[position:]))


def match(name: str, where: dict[str, set[str]] | None = None) -> tuple[Kind, dict] | None:
    """The kind a ``refers_to`` has, with the values of its placeholders; ``None`` when it has
    none. Patterns without placeholders are tried first, then the others in the file's order;
    a placeholder that comes from ``trial.yaml`` must take one of the values of ``where``
    (:func:`context`; not checked where ``where`` is ``None``).

    Examples
    --------
    >>> kind, fields = match("deaths_arm_b_t2_t3_percent")
    >>> kind.pattern, fields
    ('deaths_arm_{arm}_{from}_{to}_percent', {'arm': 'b', 'from': 't2', 'to': 't3'})
    >>> match("patients_screened") is None  # a flow stage only where trial.yaml names it
    True
    """
    holders, all_kinds, _ = _load()
    key = tuple(sorted((k, str(v["regex"])) for k, v in holders.items()))
    ordered = sorted(all_kinds, key=lambda k: bool(k.fields))
    for kind in ordered:
        found = _regex(kind.pattern, key).fullmatch(name)
        if not found:
            continue
        fields = found.groupdict()
        ok = True
        for field, value in fields.items():
            source = holders[field].get("from")
            if source and (where is None and source in ("flow", "minimums")
                           or where is not None and value not in where.get(source, set())):
                ok = False
        if ok:
            return kind, fields
    return None


def kind_of(name: str, data_dir: str | os.PathLike) -> Kind | None:
    """The kind of a named quantity in the trial of ``data_dir`` (``None``: unknown).

    Examples
    --------
    >>> kind_of("patients_screened", "data/published").group
    'participant flow'
    """
    found = match(name, context(data_dir))
    return found[0] if found else None


def _forms(kinds_list) -> str:
    return ", ".join(k.pattern for k in kinds_list)


def problems(name: str, rows: list[dict[str, str]], data_dir: str | os.PathLike) -> list:
    """Every ``refers_to`` of ``claims.csv`` or ``statements.csv`` (``name``) that has no kind,
    as ``helpers.reanalysis.data.Problem`` (file, line, column and the fix).

    A name of ``not_checkable.csv`` is always allowed (it is recorded as unverifiable with its
    reason); a table cell must name a table of the folder, as many key fields as the table's
    primary key and a numeric column.
    """
    from . import data

    label = f"{name}.csv"
    found = []
    if name == "statements":
        for line, row in enumerate(rows, start=2):
            for text in filter(None, (row.get("refers_to") or "").split(";")):
                message = _reference_problem(text, ("effects", "item_tests"), data_dir,
                                             with_column=False)
                if message:
                    found.append(data.Problem(
                        label, line, "refers_to",
                        f"statement {row.get('statement_id', '')}: {message}"))
        return found
    folder = paths.data_dir(data_dir)
    reasons = set()
    if (folder / "not_checkable.csv").is_file():
        import csv

        with open(folder / "not_checkable.csv", newline="", encoding="utf-8-sig") as handle:
            reasons = {r.get("refers_to", "") for r in csv.DictReader(handle)}
    where = context(data_dir)
    named = [k for k in kinds() if not k.is_cell]
    for line, row in enumerate(rows, start=2):
        text = row.get("refers_to") or ""
        claim = row.get("claim_id", "")
        if ":" in text:
            message = _reference_problem(text, data.TABLES, data_dir, with_column=True)
        elif text in reasons or match(text, where):
            message = ""
        else:
            message = (f"{text!r} is not a claim kind the engine knows. Add it to "
                       "not_checkable.csv with a reason, or use a known kind: a table cell "
                       f"file:key:column, or one of {_forms(named)} ({KINDS_FILE}; the "
                       "placeholders take the arms, timepoints and instruments of trial.yaml, "
                       "and {stage} the claims of its flow: list)")
        if message:
            found.append(data.Problem(label, line, "refers_to", f"claim {claim}: {message}"))
    return found


def _reference_problem(text: str, tables, data_dir, with_column: bool) -> str:
    """Why a table reference is malformed, or ``""``."""
    from . import data

    form = "file:key:column" if with_column else "file:key"
    parts = text.split(":")
    if len(parts) != (3 if with_column else 2):
        return (f"{text!r} is not {form} (e.g. {'effects:BM22/pain/t0-t2:p' if with_column else 'effects:BM22/pain/t0-t2'}): "
                f"it has {len(parts)} part(s) separated by ':'")
    file, key = parts[0], parts[1]
    if file not in tables:
        return f"{text!r}: {file!r} is not one of the tables {', '.join(tables)}"
    try:
        keys = data.key_columns(file, data_dir)
    except (KeyError, FileNotFoundError, ValueError):
        return ""  # the table's schema is reported where it is read
    if len(key.split(data.KEY_SEPARATOR)) != len(keys):
        return (f"{text!r}: the key of {file} has {len(keys)} field(s) "
                f"({data.KEY_SEPARATOR.join(keys)}), joined by '{data.KEY_SEPARATOR}'")
    if with_column and parts[2] not in data.numeric_columns(file, data_dir):
        return (f"{text!r}: {parts[2]!r} is not a numeric column of {file} "
                f"({', '.join(data.numeric_columns(file, data_dir))})")
    return ""


def markdown_table() -> str:
    """The claim kinds as a Markdown table (for ``book/own_trial.md``): pattern, group, what it
    is checked against, and whether it is checkable; data text escaped.

    Examples
    --------
    >>> markdown_table().splitlines()[0]
    '| `refers_to` | Part | Checked against | Checkable |'
    """
    holders = _load()[0]
    lines = ["| `refers_to` | Part | Checked against | Checkable |", "|---|---|---|---|"]
    for kind in kinds():
        checkable = "yes" if kind.checkable else f"no: {kind.reason}"
        against = kind.checked_against + (f" (needs {', '.join(kind.needs)})" if kind.needs
                                          else "")
        lines.append(f"| `{kind.pattern}` | {_cell(kind.group)} | {_cell(against)} | "
                     f"{_cell(checkable)} |")
    lines += ["", "| Placeholder | Takes |", "|---|---|"]
    for field, entry in holders.items():
        lines.append(f"| `{{{field}}}` | {_cell(str(entry.get('describes', '')))} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("{", "&#123;") \
        .replace("}", "&#125;")
