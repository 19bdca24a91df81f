"""The trial's published between-group tests as one family, and which way is better on each: what
the robustness analyses of :mod:`helpers.methods.sensitivity` (multiplicity, tipping points,
priors, rank bounds) take as their input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..methods.ledger import claim_id
from .instruments import better_direction
from .wide import contrasts, items_as_outcomes

__all__ = ["family", "directions", "plural", "listing", "families_kept", "fragility",
           "survival_lines", "sentence", "for_readers"]


def family(outcomes: pd.DataFrame, published_effects: pd.DataFrame, items: pd.DataFrame,
           item_tests: pd.DataFrame, study) -> pd.DataFrame:
    """Every between-group test the paper reports (the scales of its outcome tables and the items
    of its item table) with its published p and the arms' summaries
    (:func:`helpers.reanalysis.wide.contrasts`).

    Examples
    --------
    >>> from helpers.reanalysis import data, trial
    >>> folder = "data/published"
    >>> tests = family(data.load_outcomes(folder), data.load_effects(folder),
    ...                data.load_items(folder), data.load_item_tests(folder), trial.load(folder))
    >>> row = tests[tests["label"] == "QSCR10 distress, t0-t3"].iloc[0]
    >>> float(row["p"]), float(row["m1_a"]), int(row["n1_b"])
    (0.016, 15.44, 18)
    """
    on = ["instrument", "scale", "arm", "versus", "contrast"]
    scales = contrasts(outcomes, study).merge(
        published_effects[on + ["p", "p_printed", "source"]], on=on)
    scales["claim_id"] = [claim_id("effects", key, "p") for key in scales["key"]]
    if items.empty or item_tests.empty:  # a paper without an item table
        return _labelled(scales)
    item_frame = contrasts(items_as_outcomes(items, outcomes, study), study)
    item_frame = item_frame[(item_frame["arm"] == study.treatment.id)
                            & (item_frame["versus"] == study.control.id)]
    item_frame["item"] = item_frame["scale"].str.removeprefix("item_").astype(int)
    item_frame = item_frame.merge(item_tests[["item", "contrast", "p", "p_printed", "source"]],
                                  on=["item", "contrast"]).drop(columns="item")
    item_frame["claim_id"] = [claim_id("item_tests", (scale.removeprefix("item_"), contrast), "p")
                              for scale, contrast in zip(item_frame["scale"],
                                                         item_frame["contrast"])]
    return _labelled(pd.concat([scales, item_frame], ignore_index=True))


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    """The family with each test's label (``BM22 psychosocial aspects, t0-t2``)."""
    table = table.reset_index(drop=True)
    between = table["comparison"].where(table["comparison"] == "", table["comparison"] + ", ")
    table["label"] = (table["instrument"] + " " + table["scale"].str.replace("_", " ") + ", "
                      + between + table["contrast"])
    return table


def directions(frame: pd.DataFrame, study=None) -> list[str]:
    """Which way is better for each row (``instrument``, ``scale``), from the instruments' facts
    and what the trial ``study`` declares of its printed scales
    (:func:`helpers.reanalysis.instruments.better_direction`,
    :meth:`helpers.reanalysis.trial.Trial.better_of`): ``lower`` or ``higher`` where every
    reading of the printed tables agrees, ``""`` where it depends on how they are read.

    Examples
    --------
    >>> directions(pd.DataFrame({"instrument": ["QSCR10", "BM22", "BM22"],
    ...                          "scale": ["distress", "item_21", "item_18"]}))
    ['lower', '', 'lower']
    """
    out = []
    for instrument, scale in zip(frame["instrument"], frame["scale"]):
        printed = study.better_of(instrument, scale) if study is not None else None
        ways = {better_direction(instrument, scale, recoded, printed)
                for recoded in (False, True)}
        out.append(ways.pop() if len(ways) == 1 and ways <= {"lower", "higher"} else "")
    return out


def plural(n, singular: str, plural_form: str | None = None, *, number: bool = True) -> str:
    """``n`` with its noun (or verb) in the right number: ``1 finding``, ``2 findings``,
    ``0 findings``; ``number=False`` gives the word alone (a verb that agrees with ``n``).

    Examples
    --------
    >>> plural(1, "finding"), plural(3, "finding"), plural(1, "survives", "survive", number=False)
    ('1 finding', '3 findings', 'survives')
    >>> plural(2, "survives", "survive", number=False), plural(0, "family", "families")
    ('survive', '0 families')
    """
    count = int(n)
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}" if number else word


def listing(words, last: str = "and", sep: str = ", ") -> str:
    """Words joined as English lists them: ``a``, ``a and b``, ``a, b and c``; ``last`` is the
    final conjunction and ``sep`` the separator (``"; "`` for items that hold commas).

    Examples
    --------
    >>> listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"]), listing([])
    ('a', 'a and b', 'a, b and c', '')
    >>> listing(["x, 1", "y, 2", "z, 3"], sep="; ")
    'x, 1; y, 2 and z, 3'
    """
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else (
        f"{sep.join(words[:-1])} {last} {words[-1]}" if words else "")


def families_kept(by_family: pd.DataFrame, label: str, method: str) -> tuple[list, list]:
    """The families (of :func:`helpers.methods.sensitivity.family_table`) in which the test
    ``label`` survives ``method``'s correction, and those in which it does not.

    Examples
    --------
    >>> table = pd.DataFrame({"family": ["all", "last", "all", "last"], "label": ["x"] * 4,
    ...                       "method": ["Holm", "Holm", "BH", "BH"],
    ...                       "rejected": [False, False, False, True]})
    >>> families_kept(table, "x", "BH"), families_kept(table, "x", "Holm")
    ((['last'], ['all']), ([], ['all', 'last']))
    """
    rows = by_family[(by_family["label"] == label) & (by_family["method"] == method)]
    return (rows.loc[rows["rejected"], "family"].tolist(),
            rows.loc[~rows["rejected"], "family"].tolist())


def fragility(table: pd.DataFrame, multiplicity: set[str]) -> pd.DataFrame:
    """Per finding of a robustness table (:func:`helpers.methods.sensitivity.robustness`):
    the doubts it is fragile to, and whether it fails on multiplicity only (``fails``:
    ``none``, ``multiplicity only`` or ``beyond multiplicity``). ``multiplicity`` names the
    doubts (in words, as in the table's ``doubt`` column) that are multiplicity corrections.

    Examples
    --------
    >>> table = pd.DataFrame({"finding": ["x", "x", "y", "y"], "doubt": ["Holm", "prior"] * 2,
    ...                       "robustness": ["fragile", "holds", "fragile", "fragile"]})
    >>> fragility(table, {"Holm"})["fails"].tolist()
    ['multiplicity only', 'beyond multiplicity']
    """
    rows = []
    for finding, group in table.groupby("finding", sort=False):
        fragile = group.loc[group["robustness"] == "fragile", "doubt"].tolist()
        other = [d for d in fragile if d not in multiplicity]
        fails = "none" if not fragile else ("beyond multiplicity" if other
                                            else "multiplicity only")
        rows.append(dict(finding=finding, fragile_to=fragile, fragile_beyond=other,
                         holds_under=group.loc[group["robustness"] == "holds",
                                               "doubt"].tolist(), fails=fails))
    return pd.DataFrame(rows, columns=["finding", "fragile_to", "fragile_beyond", "holds_under",
                                       "fails"])


def survival_lines(table: pd.DataFrame, multiplicity: dict[str, str],
                   kept: dict[tuple[str, str], tuple[list, list]]) -> str:
    """Markdown bullets, one per finding: the doubts it holds under and, for a multiplicity
    correction, the families in which it survives and those in which it fails (``kept`` maps
    ``(finding, doubt)`` to :func:`families_kept`'s pair; ``multiplicity`` maps each such
    doubt's words to the method's name); then whether it fails on multiplicity only.

    Examples
    --------
    >>> table = pd.DataFrame({"finding": ["x", "x"], "p_printed": ["0.01", "0.01"],
    ...                       "doubt": ["BH", "prior"], "robustness": ["fragile", "holds"]})
    >>> print(survival_lines(table, {"BH": "Benjamini-Hochberg"},
    ...                      {("x", "BH"): (["last"], ["all"])}))
    - **x** (published p = 0.01): holds under prior; Benjamini-Hochberg: survives in last, fails in all. It fails on multiplicity only.
    """
    verdicts = fragility(table, set(multiplicity)).set_index("finding")
    lines = []
    for finding, rows in table.groupby("finding", sort=False):
        states = dict(zip(rows["doubt"], rows["robustness"]))
        holds = [d for d, s in states.items() if s == "holds" and d not in multiplicity]
        fragile = [d for d, s in states.items() if s == "fragile" and d not in multiplicity]
        open_ = [d for d, s in states.items() if s == "undetermined"]
        parts = [f"holds under {listing(holds)}" if holds
                 else "holds under none of the other doubts"]
        for doubt, method in multiplicity.items():
            if doubt not in states:
                continue
            survives, fails = kept.get((finding, doubt), ([], []))
            if not fails:
                parts.append(f"{method}: survives in every family")
            elif not survives:
                parts.append(f"{method}: fails in every family")
            else:
                parts.append(f"{method}: survives in {listing(survives)}, fails in "
                             f"{listing(fails)}")
        if fragile:
            parts.append(f"fragile to {listing(fragile)}")
        if open_:
            parts.append(f"undetermined under {listing(open_)}")
        fails = verdicts.loc[finding, "fails"]
        tail = {"none": " It holds under every doubt.",
                "multiplicity only": " It fails on multiplicity only.",
                "beyond multiplicity": " It fails on more than multiplicity."}[fails]
        lines.append(f"- **{finding}** (published p = {rows['p_printed'].iloc[0]}): "
                     + "; ".join(parts) + "." + tail)
    return "\n".join(lines)


def sentence(verdicts: pd.DataFrame, kept: dict[tuple[str, str], tuple[list, list]],
             doubts: dict[str, str], n_significant: int) -> str:
    """One sentence for a front page: how many significant findings fail beyond multiplicity
    (and on which doubts), and which fail on multiplicity only, naming the doubts they hold
    under and the families in which they survive each correction.

    ``verdicts`` is :func:`fragility`'s table, ``kept`` maps ``(finding, doubt)`` to
    :func:`families_kept`'s pair for the multiplicity doubts, ``doubts`` maps the summary's
    columns to the doubts' words (``holm_every_family`` and ``bh_every_family`` name the
    corrections).

    Examples
    --------
    >>> verdicts = pd.DataFrame({"finding": ["x", "y"], "fails": ["multiplicity only",
    ...     "beyond multiplicity"], "fragile_beyond": [[], ["the prior"]],
    ...     "holds_under": [["the prior"], []]})
    >>> doubts = {"holm_every_family": "Holm", "bh_every_family": "BH", "p": "the prior"}
    >>> kept = {("x", "Holm"): ([], ["all"]), ("x", "BH"): (["last"], ["all"])}
    >>> print(sentence(verdicts, kept, doubts, 2))
    Of the 2 significant findings, 1 fails under at least one doubt beyond multiplicity: the prior; 1 (x) holds under the prior and fails only on multiplicity: it survives Benjamini-Hochberg in last but Holm's correction in no family.
    """
    holm, bh = doubts["holm_every_family"], doubts["bh_every_family"]
    only = verdicts[verdicts["fails"] == "multiplicity only"]
    beyond = verdicts[verdicts["fails"] == "beyond multiplicity"]
    parts = []
    if len(beyond):
        reasons = [d for d in doubts.values()
                   if any(d in row for row in beyond["fragile_beyond"])]
        parts.append(f"{len(beyond)} {plural(len(beyond), 'fails', 'fail', number=False)} "
                     f"under at least one doubt beyond multiplicity: {listing(reasons, 'or')}")
    if len(only):
        common = [d for d in doubts.values() if d not in (holm, bh)
                  and all(d in row for row in only["holds_under"])]

        def where(doubt):
            lists = [kept.get((f, doubt), ([], []))[0] for f in only["finding"]]
            return [fam for fam in lists[0] if all(fam in rest for rest in lists[1:])]

        they = "it" if len(only) == 1 else "they"
        bh_in, holm_in = where(bh), where(holm)
        survive = "survives" if len(only) == 1 else "survive"
        bh_words = (f"Benjamini-Hochberg in {listing(bh_in)}" if bh_in
                    else "Benjamini-Hochberg in no family they share")
        holm_words = (f"Holm's correction in {listing(holm_in)}" if holm_in
                      else "Holm's correction in no family")
        parts.append(f"{len(only)} ({listing(only['finding'], sep='; ')}) "
                     f"{plural(len(only), 'holds', 'hold', number=False)} under "
                     f"{listing(common) or 'every other doubt'} and "
                     f"{plural(len(only), 'fails', 'fail', number=False)} only on multiplicity: "
                     f"{they} {survive} {bh_words} {'and' if holm_in else 'but'} "
                     f"{holm_words}")
    held = int((verdicts["fails"] == "none").sum())
    if held:
        parts.append(f"{held} {plural(held, 'holds', 'hold', number=False)} under every doubt")
    return f"Of the {plural(n_significant, 'significant finding')}, " + "; ".join(parts) + "."


def for_readers(frame: pd.DataFrame, columns: dict[str, str], decimals: int = 3) -> pd.DataFrame:
    """A table for a reader page: the ``columns`` kept and renamed (in their order; the first
    becomes the index), numbers rounded to ``decimals``, True/False as yes/no and missing values
    as a dash.

    Examples
    --------
    >>> table = pd.DataFrame({"label": ["x", "y"], "p_value": [0.01234, float("nan")],
    ...                       "holds": [True, False]})
    >>> print(for_readers(table, {"label": "finding", "p_value": "p", "holds": "holds"}))
                 p holds
    finding             
    x        0.012   yes
    y            –    no
    """
    out = frame[list(columns)].rename(columns=columns).copy()
    for name in out.columns[1:]:
        values = out[name]
        if values.dtype == bool or set(values.dropna().map(type)) <= {bool, np.bool_}:
            out[name] = values.map(lambda v: "–" if pd.isna(v) else ("yes" if v else "no"))
        elif pd.api.types.is_float_dtype(values):
            out[name] = values.map(lambda v: "–" if pd.isna(v) else f"{v:.{decimals}f}")
        else:
            out[name] = values.map(lambda v: "–" if v is None or (not isinstance(v, str)
                                                                 and pd.isna(v)) else v)
    return out.set_index(out.columns[0])
