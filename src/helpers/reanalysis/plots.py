"""Figures of the reanalysis (matplotlib and seaborn). Each function takes a tidy table made by
another helpers module and returns a matplotlib Figure. Figures are made without pyplot, so a
notebook shows each one once (as the cell's result) and no figure stays open."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from . import tables

__all__ = ["ARM_COLOURS", "ARM_PALETTE", "arm_colours", "VERDICT_COLOURS", "flow_diagram", "balance_plot", "verdict_grid",
           "conventions_plot", "trajectories", "forest", "multiplicity_plot", "tipping_contours",
           "posterior_plot", "r_sensitivity_plot", "family_plot", "effects_forest"]

ARM_COLOURS = {"A": "#1b6ca8", "B": "#d1495b"}
#: One colour per arm, in the order of ``trial.yaml``'s arms (the first two are
#: :data:`ARM_COLOURS`').
ARM_PALETTE = ("#1b6ca8", "#d1495b", "#2a9d8f", "#e9c46a", "#6a4c93", "#f4a261", "#264653")


def arm_colours(study) -> dict[str, str]:
    """Each arm's colour (:data:`ARM_PALETTE`, in the order of the trial's arms; repeated past
    its length).

    Examples
    --------
    >>> from helpers.reanalysis import trial
    >>> arm_colours(trial.load("data/examples/three_arm_clean"))
    {'A': '#1b6ca8', 'B': '#d1495b', 'C': '#2a9d8f'}
    """
    return {arm: ARM_PALETTE[i % len(ARM_PALETTE)] for i, arm in enumerate(study.arm_ids)}


def _difference_axis_label(study) -> str:
    """The x label of a between-arm standardised difference, in the arms' words."""
    if len(study.comparisons) == 1:
        arm, versus = (study.arm(study.comparisons[0].arm),
                       study.arm(study.comparisons[0].versus))
        return (f"standardised difference, {arm.label} minus {versus.label}\n"
                f"(negative: lower scores with {arm.label})")
    return ("standardised difference, arm minus comparator (each row's comparison)\n"
            "(negative: lower scores with the row's arm)")
VERDICT_COLOURS = {"reproduced": "#2a9d8f", "consistent": "#8ab17d",
                   "unverifiable": "#bdbdbd", "inconsistent": "#e76f51",
                   "not_reproducible": "#9b2226"}


def _box(ax, x, y, text, *, width=0.28, colour="#333333", face="#f7f7f7"):
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5, color=colour, wrap=True,
            bbox=dict(boxstyle="round,pad=0.45", facecolor=face, edgecolor="#666666"))


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="#666666", lw=1))


def flow_diagram(flow: pd.DataFrame, study) -> Figure:
    """A CONSORT-style flow diagram from :func:`helpers.reanalysis.cohort.participant_flow` of
    the trial ``study``, one column
    per arm and a pair of boxes (deaths, then alive) per follow-up of the trial.

    Follow-up boxes show the patients alive (from the deaths in the text) beside the n the
    tables print; a printed n that differs from the patients alive is shown in red.
    """
    from .cohort import periods

    def n(stage, arm=""):
        found = flow[(flow["stage"] == stage) & (flow["arm"] == arm)]["n"]
        return int(found.item()) if len(found) else "not printed"

    steps = periods(study)
    rows = 2 * len(steps)
    fig = Figure(figsize=(4 + 2 * len(study.arms), 4.2 + 1.5 * rows))
    ax = fig.subplots()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    # the stages before randomisation that the text prints (trial.yaml's flow:)
    pre = flow[flow["arm"] == ""]
    excluded = pre[pre["excluded"].astype(bool)] if "excluded" in pre else pre.iloc[0:0]
    kept = pre.drop(excluded.index)
    if len(kept) > 1:
        first = kept.iloc[0]
        _box(ax, 0.5, 0.96, f"{first['stage'].capitalize()}\nn = {first['n']}")
        _arrow(ax, (0.5, 0.93), (0.5, 0.83))
    if len(excluded):
        lines = "\n".join(f"{stage.removeprefix('excluded: ')}: {count}"
                          for stage, count in zip(excluded["stage"], excluded["n"]))
        _box(ax, 0.83, 0.87, f"Excluded, n = {int(excluded['n'].sum())}\n{lines}")
        _arrow(ax, (0.5, 0.88), (0.695, 0.88))
    if len(kept):
        last = kept.iloc[-1]
        _box(ax, 0.5, 0.80, f"{last['stage'].capitalize()}\nn = {last['n']}")
    top = 0.67
    gap = (top - 0.04) / rows
    for i, arm in enumerate(study.arms):
        x = (i + 0.5) / len(study.arms)
        _arrow(ax, (0.5, 0.77), (x, top + 0.04))
        _box(ax, x, top, f"Arm {arm.id}: {arm.label}\nallocated n = {n('allocated', arm.id)}")
        _flow_column(ax, flow, study, arm.id, x, top, gap)
    ax.set_title("Flow of participants, from the paper's text and tables", fontsize=10)
    fig.tight_layout()
    return fig


def _flow_column(ax, flow: pd.DataFrame, study, arm: str, x: float, y: float, gap: float):
    """One arm's boxes of :func:`flow_diagram` below its allocation: per period the deaths (and
    withdrawals, where the flow has them), then the patients left with the n the tables print
    (red where they differ)."""
    from .cohort import alive_stage, death_stage, periods, withdrawal_stage

    mine = flow[flow["arm"] == arm].set_index("stage")

    def count(stage):  # a stage the text does not print is said to be so, never made up
        return int(mine.loc[stage, "n"]) if stage in mine.index else "not printed"

    for before, after in periods(study):
        died, left = death_stage(study, before, after), withdrawal_stage(study, before, after)
        text = f"{died}: {count(died)}"
        if left in mine.index:
            text += f"\n{left}: {count(left)}"
        _arrow(ax, (x, y - 0.03), (x, y - gap + 0.03))
        y -= gap
        _box(ax, x, y, text)
        alive_at = alive_stage(study, after)
        alive = count(alive_at)
        shown = str(mine.loc[alive_at, "printed_n"]) if alive_at in mine.index else ""
        mismatch = (isinstance(alive, int) and any(int(v) != alive for v in shown.split("/"))
                    if shown else False)
        _arrow(ax, (x, y - 0.03), (x, y - gap + 0.03))
        y -= gap
        _box(ax, x, y, f"{alive_at}: {alive}\nn printed in the tables: {shown}",
             colour="#b00020" if mismatch else "#333333",
             face="#fde8e8" if mismatch else "#f7f7f7")


def balance_plot(differences: pd.DataFrame, flag: float = 0.1) -> Figure:
    """Standardised differences (arm A minus arm B) of the baseline characteristics: a dot per
    characteristic or level, with the |SMD| = ``flag`` lines."""
    pairs = (list(zip(differences["arm"], differences["versus"])) if "arm" in differences
             else [("A", "B")] * len(differences))
    several = len(set(pairs)) > 1
    table = differences.assign(
        label=[f"{c} {l}".replace("_", " ").strip() + (f" ({a} vs {v})" if several else "")
               for c, l, (a, v) in zip(differences["characteristic"], differences["level"],
                                       pairs)])
    fig = Figure(figsize=(7, 0.26 * len(table) + 1.2))
    ax = fig.subplots()
    sns.scatterplot(data=table, x="smd", y="label", hue="kind", style="kind", s=45, ax=ax)
    for x in (-flag, flag):
        ax.axvline(x, color="#999999", lw=0.8, ls="--")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel("standardised difference, arm minus comparator (in brackets)" if several
                  else f"standardised difference, arm {pairs[0][0]} minus arm {pairs[0][1]}"
                  if pairs else "standardised difference")
    ax.set_ylabel("")
    ax.legend(title="", loc="lower right", fontsize=8)
    ax.set_title(f"Baseline balance (dashed: |SMD| = {flag})", fontsize=10)
    fig.tight_layout()
    return fig


def verdict_grid(table: pd.DataFrame, row: str, column: str, verdict: str, label: str,
                 title: str) -> Figure:
    """A grid of published numbers (``label``), one cell each, coloured by ``verdict``."""
    verdicts = table.pivot_table(index=row, columns=column, values=verdict, aggfunc="first",
                                 sort=False)
    labels = table.pivot_table(index=row, columns=column, values=label, aggfunc="first",
                               sort=False).reindex_like(verdicts)
    codes = {v: i for i, v in enumerate(VERDICT_COLOURS)}
    numeric = verdicts.apply(lambda s: s.map(codes)).to_numpy(dtype=float)
    fig = Figure(figsize=(0.78 * verdicts.shape[1] + 4.2, 0.34 * verdicts.shape[0] + 1.6))
    ax = fig.subplots()
    cmap = matplotlib.colors.ListedColormap(list(VERDICT_COLOURS.values()))
    ax.imshow(numeric, cmap=cmap, vmin=-0.5, vmax=len(VERDICT_COLOURS) - 0.5, aspect="auto")
    ax.set_xticks(range(verdicts.shape[1]), [str(c) for c in verdicts.columns], rotation=45,
                  ha="right", fontsize=8)
    ax.set_yticks(range(verdicts.shape[0]), [str(i) for i in verdicts.index], fontsize=8)
    for i in range(labels.shape[0]):
        for j in range(labels.shape[1]):
            text = labels.iat[i, j]
            if isinstance(text, str) and text:
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="black")
    present = [v for v in VERDICT_COLOURS if v in set(verdicts.stack())]
    handles = [matplotlib.patches.Patch(color=VERDICT_COLOURS[v], label=v) for v in present]
    ax.legend(handles=handles, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def conventions_plot(table: pd.DataFrame) -> Figure:
    """The psychosocial aspects scale mean from Table 3's item means under each scoring
    convention, beside the published mean with the tolerance that item rounding allows."""
    tolerance = table.attrs.get("tolerance", 0)
    data = table.assign(convention=table["kind"] + ", reversed: " + table["reversed"],
                        cell=table["arm"] + " " + table["timepoint"])
    published = data.drop_duplicates("cell").assign(value=lambda d: d["published"].astype(float))
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.subplots()
    sns.stripplot(data=data, x="cell", y="from_items", hue="convention", dodge=True, size=7,
                  jitter=False, ax=ax)
    for i, (_, row) in enumerate(published.iterrows()):
        ax.errorbar(i, row["value"], yerr=tolerance, fmt="_", color="black", capsize=8,
                    markersize=22, lw=1.2, zorder=5)
    ax.set_xlabel("arm and timepoint")
    ax.set_ylabel("scale mean (0-100)")
    ax.legend(title="", fontsize=7.5, loc="upper right", ncols=2)
    ax.set_title("Psychosocial aspects from the item means of Table 3 (black: published mean "
                 "and rounding tolerance)", fontsize=9)
    fig.tight_layout()
    return fig


def trajectories(outcomes: pd.DataFrame, instrument: str, study, level: float = 0.95
                 ) -> Figure:
    """Mean and t-based confidence interval of each scale of ``instrument`` by arm over time
    (the trial's timepoints, in months), one panel per scale, from the published summaries."""
    from scipy import stats

    mine = outcomes[outcomes["instrument"] == instrument].copy()
    months = {t.id: t.months for t in study.timepoints}
    mine["month"] = mine["timepoint"].map(months)
    n = mine["n"].astype(float)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * mine["sd"] / np.sqrt(n)
    mine["low"], mine["high"] = mine["mean"] - half, mine["mean"] + half
    scales = list(dict.fromkeys(mine["scale"]))
    columns = min(len(scales), 3)
    rows = -(-len(scales) // columns)
    fig = Figure(figsize=(3.6 * columns, 2.9 * rows))
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, scale in zip(axes, scales):
        colours, k = arm_colours(study), len(study.arms)
        for i, arm in enumerate(study.arms):
            offset, colour = (i - (k - 1) / 2) * 0.24 / (k - 1), colours[arm.id]
            cells = mine[(mine["scale"] == scale) & (mine["arm"] == arm.id)].sort_values("month")
            ax.errorbar(cells["month"] + offset, cells["mean"],
                        yerr=[cells["mean"] - cells["low"], cells["high"] - cells["mean"]],
                        marker="o", capsize=3, color=colour, label=f"{arm.id}: {arm.label}")
        ax.set_title(tables.scale_label(instrument, scale), fontsize=9)
        ax.set_xticks(sorted(set(months.values())))
        ax.set_xlabel("months since baseline", fontsize=8)
        ax.set_ylabel("mean score", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in axes[len(scales):]:
        ax.axis("off")
    axes[0].legend(fontsize=7, loc="best")
    label = next((i.label for i in study.instruments if i.id == instrument), instrument)
    fig.suptitle(f"{label}: mean and {level:.0%} CI by arm (published summaries)",
                 fontsize=10)
    fig.tight_layout()
    return fig


def forest(table: pd.DataFrame, r: float, study) -> Figure:
    """Published effect sizes beside recomputed ones, per scale and contrast, each with its
    estimand: the baseline-adjusted (ANCOVA) standardised difference at the assumed r with its
    95% CI (the primary estimand), Morris's d_ppc2 (difference in change over the baseline SD),
    Hedges' g at follow-up (survivors), and the published value; the arms and contrasts in the
    words of the trial ``study``."""
    table = table.reset_index(drop=True)
    between = (table["comparison"] if "comparison" in table
               else pd.Series("", index=table.index))
    labels = [f"{str(scale).replace('_', ' ')}, " + (f"{b}, " if b else "")
              + f"{study.contrast_label(c) if c in study.contrasts else c}"
              for scale, b, c in zip(table["scale"], between, table["contrast"])]
    y = np.arange(len(table))[::-1]
    fig = Figure(figsize=(7.5, 0.5 * len(table) + 1.6))
    ax = fig.subplots()
    for column, offset, marker, colour, label in (
            ("ancova_smd", 0.24, "o", "#1b6ca8",
             f"baseline-adjusted (ANCOVA) SMD, r = {r:g} (95% CI)"),
            ("d_ppc2", 0.08, "s", "#8ab17d", "Morris d_ppc2, change over baseline SD (95% CI)"),
            ("g_follow_up", -0.08, "^", "#666666", "Hedges' g at follow-up, survivors (95% CI)")):
        low, high = (f"{column}_ci_low", f"{column}_ci_high") if column != "g_follow_up" \
            else ("g_ci_low", "g_ci_high")
        ax.errorbar(table[column], y + offset,
                    xerr=[table[column] - table[low], table[high] - table[column]],
                    fmt=marker, color=colour, capsize=2, ms=4, lw=1, label=label)
    if "es_published" in table:
        ax.plot(table["es_published"].astype(float), y - 0.24, "D", color="#d1495b",
                label="published effect size")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(_difference_axis_label(study))
    ax.legend(fontsize=7.5, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1, frameon=False)
    fig.tight_layout()
    return fig


def multiplicity_plot(table: pd.DataFrame, alpha: float = 0.05) -> Figure:
    """Published p-values and their Holm and Benjamini-Hochberg adjustments, smallest first."""
    ordered = table.sort_values("p").reset_index(drop=True)
    y = np.arange(len(ordered))[::-1]
    fig = Figure(figsize=(7.5, 0.26 * len(ordered) + 1.4))
    ax = fig.subplots()
    for column, marker, colour, label in (("p", "o", "#333333", "published"),
                                          ("p_bh", "s", "#1b6ca8", "Benjamini-Hochberg"),
                                          ("p_holm", "D", "#d1495b", "Holm")):
        ax.plot(ordered[column], y, marker, color=colour, label=label, ms=5)
    ax.axvline(alpha, color="#999999", ls="--", lw=0.9)
    ax.set_xscale("log")
    ax.set_yticks(y, ordered["label"], fontsize=7.5)
    ax.set_xlabel(f"p (log scale); dashed: alpha = {alpha:g}")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def tipping_contours(grids: pd.DataFrame, alpha: float = 0.05, estimand: str = "") -> Figure:
    """One panel per finding: p over all randomised patients when arm A's dead (x) and arm B's
    dead (y) would have scored worse than their arm's survivors by delta pooled SDs (a
    hypothetical estimand, :func:`helpers.methods.sensitivity.tipping_grid`). Shaded: still
    significant; the bold line is p = alpha, the tipping boundary; the cross marks delta 0, the
    survivors' comparison. ``grids`` has ``label, delta_a, delta_b, p``."""
    labels = list(dict.fromkeys(grids["label"]))
    columns = min(3, len(labels)) or 1
    rows = int(np.ceil(len(labels) / columns)) or 1
    fig = Figure(figsize=(3.3 * columns, 3.0 * rows + 0.6))
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, label in zip(axes, labels):
        part = grids[grids["label"] == label]
        table = part.pivot(index="delta_b", columns="delta_a", values="p")
        x, y = table.columns.to_numpy(float), table.index.to_numpy(float)
        values = table.to_numpy(float)
        ax.contourf(x, y, values, levels=[0, alpha], colors=["#a8c5da"])
        ax.contour(x, y, values, levels=[alpha], colors=["#1b3a57"], linewidths=1.6)
        ax.contour(x, y, values, levels=[0.001, 0.01, 0.2, 0.5], colors=["#999999"],
                   linewidths=0.6, linestyles="dotted")
        ax.plot(0, 0, "x", color="#d1495b", ms=7)
        ax.set_title(label, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("arm A's dead worse by (SDs)", fontsize=7.5)
        ax.set_ylabel("arm B's dead worse by (SDs)", fontsize=7.5)
    for ax in axes[len(labels):]:
        ax.axis("off")
    fig.suptitle("Tipping point: shaded where the difference stays significant "
                 f"(p < {alpha:g}); bold line p = {alpha:g}"
                 + (f"\n{estimand}" if estimand else ""), fontsize=9)
    fig.tight_layout()
    return fig


def posterior_plot(table: pd.DataFrame) -> Figure:
    """The primary estimate (baseline-adjusted SMD, 95% CI) beside its posterior mean and 95%
    interval under the sceptical prior and, where present, the empirical prior, per finding."""
    y = np.arange(len(table))[::-1]
    fig = Figure(figsize=(7.5, 0.55 * len(table) + 1.5))
    ax = fig.subplots()
    estimate, se = table["ancova_smd"], table["ancova_smd_se"]
    ax.errorbar(estimate, y + 0.2, xerr=1.96 * se, fmt="o", color="#666666", capsize=2, ms=4,
                label="estimate, baseline-adjusted SMD (95% CI)")
    for prefix, offset, marker, colour, words in (
            ("sceptical", 0.0, "s", "#1b6ca8", "posterior, sceptical prior (95%)"),
            ("empirical", -0.2, "D", "#8ab17d", "posterior, empirical prior (95%)")):
        if f"{prefix}_mean" not in table:
            continue
        mean = table[f"{prefix}_mean"]
        ax.errorbar(mean, y + offset, xerr=[mean - table[f"{prefix}_ci_low"],
                                            table[f"{prefix}_ci_high"] - mean],
                    fmt=marker, color=colour, capsize=2, ms=4, label=words)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, table["label"], fontsize=8)
    ax.set_xlabel("standardised difference, arm A minus arm B, adjusted for the baseline")
    ax.legend(fontsize=7.5, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def r_sensitivity_plot(table: pd.DataFrame, plausible: tuple[float, float],
                       alpha: float = 0.05) -> Figure:
    """p of the baseline-adjusted comparison against the assumed pre-post correlation r over its
    plausible range, one line per finding, with the follow-up comparison (r = 0, no
    adjustment) as a separate marker at the left. ``table`` has ``label, r, p_ancova`` and
    ``p_follow_up``."""
    fig = Figure(figsize=(8.5, 4.2))
    ax_zero, ax = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 5]})
    first = table.drop_duplicates("label")
    palette = dict(zip(first["label"], sns.color_palette("tab10", len(first))))
    for label, part in table.groupby("label", sort=False):
        ax.plot(part["r"], part["p_ancova"], "-o", ms=3, color=palette[label], label=label)
        ax_zero.plot([0], [part["p_follow_up"].iloc[0]], "o", color=palette[label])
    for axis in (ax, ax_zero):
        axis.axhline(alpha, color="#999999", ls="--", lw=0.9)
        axis.set_yscale("log")
    ax.set_xlim(*plausible)
    ax.set_xlabel("assumed pre-post correlation r (plausible range)")
    ax.set_title("baseline-adjusted (ANCOVA), survivors", fontsize=9)
    ax_zero.set_xticks([0], ["r = 0"])
    ax_zero.set_title("follow-up only", fontsize=9)
    ax_zero.set_ylabel(f"p (log scale); dashed: alpha = {alpha:g}")
    ax.legend(fontsize=6.5, bbox_to_anchor=(1.02, 1), loc="upper left")
    fig.tight_layout()
    return fig


def family_plot(table: pd.DataFrame, alpha: float = 0.05) -> Figure:
    """Which findings each family and method of multiplicity control keeps: one row per finding,
    one column per family and method (:func:`helpers.methods.sensitivity.family_table`), a filled
    mark where the adjusted p is below alpha, an open one where it is not, blank where the finding
    is not in the family."""
    import textwrap

    columns = list(dict.fromkeys(table["family"] + " | " + table["method"]))
    labels = list(dict.fromkeys(table["label"]))
    fig = Figure(figsize=(1.15 * len(columns) + 3.2, 0.32 * len(labels) + 2.4))
    ax = fig.subplots()
    position = {label: i for i, label in enumerate(labels[::-1])}
    for j, name in enumerate(columns):
        part = table[(table["family"] + " | " + table["method"]) == name]
        ys = part["label"].map(position)
        kept = part["rejected"].to_numpy(bool)
        ax.scatter(np.full(kept.sum(), j), ys[kept], marker="o", color="#1b6ca8", s=36)
        ax.scatter(np.full((~kept).sum(), j), ys[~kept], marker="o", facecolors="none",
                   edgecolors="#999999", s=36)
    ax.set_xticks(range(len(columns)),
                  ["\n".join(textwrap.wrap(family, 14) + [method])
                   for family, method in (c.split(" | ") for c in columns)], fontsize=7)
    ax.set_yticks(range(len(labels)), labels[::-1], fontsize=7.5)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_title(f"Filled: adjusted p < {alpha:g} in that family; open: not; blank: not in it",
                 fontsize=8.5)
    fig.tight_layout()
    return fig


def effects_forest(table: pd.DataFrame, labels: dict[str, str], titles: dict[str, str],
                   treatment: str = "A", control: str = "B") -> Figure:
    """Published effect sizes beside recomputed estimates with their 95% CIs, one panel per
    instrument and one line per scale and timepoint
    (:func:`helpers.reanalysis.overview.forest_data`).

    ``labels`` names each estimand in words (the legend), ``titles`` each instrument (the panel
    titles); arms are named in the axis label.
    """
    instruments = list(dict.fromkeys(table["instrument"]))
    heights = [table.loc[table["instrument"] == i, "label"].nunique() + 1 for i in instruments]
    fig = Figure(figsize=(8, 0.32 * sum(heights) + 1.8))
    axes = fig.subplots(len(instruments), 1, sharex=True, squeeze=False,
                        gridspec_kw={"height_ratios": heights})[:, 0]
    styles = {"published": ("D", "#d1495b", 0.22), "hedges_g": ("^", "#444444", 0.0),
              "d_ppc2": ("s", "#1b6ca8", -0.22)}
    for ax, instrument in zip(axes, instruments):
        mine = table[table["instrument"] == instrument]
        rows = list(dict.fromkeys(mine["label"]))
        y = {label: len(rows) - k for k, label in enumerate(rows)}
        for estimand, (marker, colour, offset) in styles.items():
            part = mine[mine["estimand"] == estimand]
            if part.empty:
                continue
            ys = part["label"].map(y) + offset
            has_ci = part["ci_low"].notna()
            if has_ci.any():
                ax.errorbar(part.loc[has_ci, "estimate"], ys[has_ci],
                            xerr=[part.loc[has_ci, "estimate"] - part.loc[has_ci, "ci_low"],
                                  part.loc[has_ci, "ci_high"] - part.loc[has_ci, "estimate"]],
                            fmt=marker, color=colour, capsize=2, ms=4, lw=1,
                            label=labels.get(estimand, estimand))
            if (~has_ci).any():
                ax.plot(part.loc[~has_ci, "estimate"], ys[~has_ci], marker, color=colour, ms=5,
                        ls="none", label=labels.get(estimand, estimand))
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(list(y.values()), list(y), fontsize=8)
        ax.set_ylim(0.4, len(rows) + 0.6)
        ax.set_title(titles.get(instrument, instrument), fontsize=9.5, loc="left")
        ax.grid(axis="x", color="#dddddd", lw=0.6)
    axes[-1].set_xlabel(f"standardised difference, {treatment} minus {control}\n"
                        f"(negative: lower scores with {treatment})", fontsize=8.5)
    handles, names = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:
        more, more_names = ax.get_legend_handles_labels()
        for handle, name in zip(more, more_names):
            if name not in names:
                handles.append(handle)
                names.append(name)
    height = fig.get_figheight()
    fig.suptitle("Published effect sizes beside the recomputed estimates", fontsize=10.5,
                 x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.75 / height, 1, 1))
    fig.legend(handles, names, loc="lower left", fontsize=7.5, frameon=False, ncols=1,
               bbox_to_anchor=(0.01, 0.0))
    return fig
