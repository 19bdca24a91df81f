"""The paper's verbal claims about its results, checked against its own tables.

Each claim is quoted from the paper (Results, Discussion, Abstract) and turned into a condition on
the published p-values and effect sizes; the paper's own effect-size convention (Methods:
<0.3 low, 0.3-0.7 moderate, >0.7 strong) is read from the transcription, not typed here.
"""

from __future__ import annotations

import pandas as pd

from .cohort import claim


def convention(claims: pd.DataFrame) -> tuple[float, float]:
    """The paper's cut-offs between low, moderate and strong effect sizes (Methods)."""
    return (float(claim(claims, "effect_size_low_upper_bound")["value"]),
            float(claim(claims, "effect_size_strong_lower_bound")["value"]))


def magnitude(effect_size: float, cutoffs: tuple[float, float]) -> str:
    """'low', 'moderate' or 'strong' by the paper's convention.

    Examples
    --------
    >>> magnitude(-0.79, (0.3, 0.7)), magnitude(0.3, (0.3, 0.7))
    ('strong', 'moderate')
    """
    size = abs(effect_size)
    return "low" if size < cutoffs[0] else "strong" if size > cutoffs[1] else "moderate"


def _row(slug, section, quote, published, recomputed, verdict, note):
    return dict(claim_id=f"{section.lower()}:{slug}", source=section, quantity=quote,
                published=published, recomputed=recomputed, check="claim against tables",
                verdict=verdict, assumption="the paper's effect-size convention and alpha",
                note=note)


def _describe(table: pd.DataFrame, cutoffs) -> str:
    return "; ".join(f"{r['scale']} {r['contrast']}: p {r['p_printed']}, ES "
                     f"{r['effect_size_printed']} ({magnitude(r['effect_size'], cutoffs)})"
                     for _, r in table.iterrows())


def discussion_checks(instrument: str, effects: pd.DataFrame, claims: pd.DataFrame,
                      alpha: float = 0.05) -> pd.DataFrame:
    """Ledger rows for the verbal claims about one instrument's results."""
    cutoffs = convention(claims)
    mine = effects[effects["instrument"] == instrument]
    significant = mine[mine["p"] < alpha]
    rows = []
    if instrument == "BM22":
        sizes = [magnitude(v, cutoffs) for v in mine["effect_size"]]
        all_lower = bool((mine["effect_size"] < 0).all())
        small_to_moderate = all(s in ("low", "moderate") for s in sizes)
        rows.append(_row(
            "bm22_small_to_moderate_in_all_dimensions", "Discussion",
            "Substantial improvement with small to moderate effect sizes could be observed in "
            "all dimensions of the EORTC QLQ-BM 22 ... both after three and six months",
            "small to moderate, all dimensions, both times",
            ", ".join(f"{s}" for s in sizes),
            "consistent" if all_lower and small_to_moderate else "inconsistent",
            _describe(mine, cutoffs)))
        only = set(significant["scale"]) == {"psychosocial_aspects"}
        rows.append(_row(
            "bm22_only_psychosocial_significant", "Discussion",
            "with the exception of psychosocial aspects ... the difference between groups did "
            "not reach statistical significance", "only psychosocial aspects below alpha",
            ", ".join(f"{r['scale']} {r['contrast']}" for _, r in significant.iterrows()),
            "consistent" if only else "inconsistent", _describe(significant, cutoffs)))
        pain = mine[mine["scale"].isin(["painful_sites", "pain_characteristics"])]
        fine = all(magnitude(v, cutoffs) in ("low", "moderate") for v in pain["effect_size"]) \
            and bool((pain["p"] >= alpha).all())
        rows.append(_row(
            "bm22_pain_small_to_moderate_not_significant", "Results",
            "painful site, and pain characteristics showed small to moderate ES without however "
            "becoming significant", "small to moderate, not significant",
            _describe(pain, cutoffs), "consistent" if fine else "inconsistent", ""))
        rows.append(_row(
            "effect_size_confirms_clinical_significance", "Abstract",
            "The Cohen's effect size confirmed the clinically significant improvement of these "
            "findings", "clinically significant", "",
            "unverifiable", "a standardised mean difference is not a clinically important "
                            "difference; the paper gives no minimal important difference for "
                            "any scale"))
    elif instrument == "FA13":
        t3 = mine[mine["contrast"] == "t0-t3"].set_index("scale")
        physical_and_interference = bool((t3.loc[["physical_fatigue", "interference_daily_life"],
                                                  "p"] < alpha).all())
        emotional_cognitive = bool((mine[mine["scale"].isin(["emotional_fatigue",
                                                              "cognitive_fatigue"])]["p"]
                                    >= alpha).all())
        rows.append(_row(
            "fa13_physical_interference_not_emotional_cognitive", "Discussion",
            "substantial reduction of physical fatigue and interference with daily after 6 "
            "months whereas no changes in emotional and cognitive fatigue were observed",
            "physical and interference below alpha at 6 months; emotional, cognitive not",
            _describe(mine, cutoffs),
            "consistent" if physical_and_interference and emotional_cognitive else "inconsistent",
            ""))
        rows.append(_row(
            "fa13_significant_in_all_fatigue_items", "Discussion",
            "Our results showed a statistically significant benefit for the intervention group "
            "in all fatigue items", "all fatigue scales below alpha",
            f"{len(significant)} of {len(mine)} p-values below {alpha:g}",
            "consistent" if len(significant) == len(mine) else "inconsistent",
            _describe(significant, cutoffs)))
    elif instrument == "QSCR10":
        t3 = mine[mine["contrast"] == "t0-t3"].iloc[0]
        ok = t3["p"] < alpha and magnitude(t3["effect_size"], cutoffs) == "strong"
        rows.append(_row(
            "distress_significant_strong_at_6_months", "Discussion",
            "Our results showed a significant improvement in emotional distress and anxiety at "
            "6-months follow-up ... the effect size suggested a strong clinical effect",
            "p below alpha, strong effect",
            f"p {t3['p_printed']}, ES {t3['effect_size_printed']} "
            f"({magnitude(t3['effect_size'], cutoffs)})",
            "consistent" if ok else "inconsistent",
            "as published; the QSC-R10 measures distress, not anxiety separately"))
    else:
        raise KeyError(f"no verbal claims recorded for {instrument!r}")
    return pd.DataFrame(rows)
