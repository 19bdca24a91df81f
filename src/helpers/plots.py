"""Figures of the reanalysis (matplotlib and seaborn). Each function takes a tidy table made by
another helpers module and returns a matplotlib Figure. Figures are made without pyplot, so a
notebook shows each one once (as the cell's result) and no figure stays open."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

ARM_COLOURS = {"A": "#1b6ca8", "B": "#d1495b"}
VERDICT_COLOURS = {"reproduced": "#2a9d8f", "consistent": "#8ab17d",
                   "unverifiable": "#bdbdbd", "inconsistent": "#e76f51",
                   "not_reproducible": "#9b2226"}


def _box(ax, x, y, text, *, width=0.28, colour="#333333", face="#f7f7f7"):
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5, color=colour, wrap=True,
            bbox=dict(boxstyle="round,pad=0.45", facecolor=face, edgecolor="#666666"))


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="#666666", lw=1))


def flow_diagram(flow: pd.DataFrame) -> Figure:
    """A CONSORT-style flow diagram from :func:`helpers.cohort.participant_flow`.

    Follow-up boxes show the patients alive (from the deaths in the text) beside the n the
    tables print; a printed n that differs from the patients alive is shown in red.
    """
    from .cohort import stage_count

    def n(stage, arm=""):
        return stage_count(flow, stage, arm)

    def printed(stage, arm):
        return flow[(flow["stage"] == stage) & (flow["arm"] == arm)]["printed_n"].item()
    fig = Figure(figsize=(8, 7.2))
    ax = fig.subplots()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    _box(ax, 0.5, 0.95, f"Assessed for eligibility\nn = {n('assessed for eligibility')}")
    excluded = n("excluded: unstable metastases") + n("excluded: declined")
    _box(ax, 0.83, 0.83, f"Excluded, n = {excluded}\nunstable metastases: "
         f"{n('excluded: unstable metastases')}\ndeclined: {n('excluded: declined')}")
    _box(ax, 0.5, 0.75, f"Randomised\nn = {n('randomised')}")
    _arrow(ax, (0.5, 0.92), (0.5, 0.78))
    _arrow(ax, (0.5, 0.85), (0.695, 0.85))
    labels = {"A": "Arm A: resistance training", "B": "Arm B: physiotherapy"}
    for arm, x in (("A", 0.25), ("B", 0.75)):
        _arrow(ax, (0.5, 0.72), (x, 0.65))
        _box(ax, x, 0.61, f"{labels[arm]}\nallocated n = {n('allocated', arm)}")
        _box(ax, x, 0.47, f"died by 3 months: {n('died by 3 months', arm)}")
        for y, stage, died in ((0.33, "alive at 3 months", None),
                               (0.19, "died between 3 and 6 months", "died"),
                               (0.05, "alive at 6 months", None)):
            if died:
                _box(ax, x, y, f"died between 3 and 6 months: {n(stage, arm)}")
                continue
            alive, shown = n(stage, arm), printed(stage, arm)
            mismatch = any(int(v) != alive for v in shown.split("/")) if shown else False
            _box(ax, x, y, f"{stage}: {alive}\nn printed in Tables 2, 4, 5: {shown}",
                 colour="#b00020" if mismatch else "#333333",
                 face="#fde8e8" if mismatch else "#f7f7f7")
        for top, bottom in ((0.58, 0.50), (0.44, 0.37), (0.29, 0.22), (0.16, 0.09)):
            _arrow(ax, (x, top), (x, bottom))
    ax.set_title("Flow of participants, from the paper's text and tables", fontsize=10)
    fig.tight_layout()
    return fig


def balance_plot(differences: pd.DataFrame, flag: float = 0.1) -> Figure:
    """Standardised differences (arm A minus arm B) of the baseline characteristics: a dot per
    characteristic or level, with the |SMD| = ``flag`` lines."""
    table = differences.assign(
        label=[f"{c} {l}".replace("_", " ").strip() for c, l in
               zip(differences["characteristic"], differences["level"])])
    fig = Figure(figsize=(7, 0.26 * len(table) + 1.2))
    ax = fig.subplots()
    sns.scatterplot(data=table, x="smd", y="label", hue="kind", style="kind", s=45, ax=ax)
    for x in (-flag, flag):
        ax.axvline(x, color="#999999", lw=0.8, ls="--")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel("standardised difference, arm A minus arm B")
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


def trajectories(outcomes: pd.DataFrame, instrument: str, level: float = 0.95) -> Figure:
    """Mean and t-based confidence interval of each scale of ``instrument`` by arm over time
    (t0, t2, t3), one panel per scale, from the published summaries."""
    from scipy import stats

    mine = outcomes[outcomes["instrument"] == instrument].copy()
    months = {"t0": 0, "t2": 3, "t3": 6}
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
        for arm, offset in (("A", -0.12), ("B", 0.12)):
            cells = mine[(mine["scale"] == scale) & (mine["arm"] == arm)].sort_values("month")
            ax.errorbar(cells["month"] + offset, cells["mean"],
                        yerr=[cells["mean"] - cells["low"], cells["high"] - cells["mean"]],
                        marker="o", capsize=3, color=ARM_COLOURS[arm],
                        label="A: resistance training" if arm == "A" else "B: physiotherapy")
        ax.set_title(scale.replace("_", " "), fontsize=9)
        ax.set_xticks([0, 3, 6])
        ax.set_xlabel("months", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in axes[len(scales):]:
        ax.axis("off")
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"{instrument}: mean and {level:.0%} CI by arm (published summaries)",
                 fontsize=10)
    fig.tight_layout()
    return fig


def forest(table: pd.DataFrame, r: float) -> Figure:
    """Published effect sizes beside recomputed ones, per scale and contrast: Hedges' g at
    follow-up with its 95% CI, the standardised difference in change at the assumed r, and the
    published value."""
    table = table.reset_index(drop=True)
    labels = (table["scale"].str.replace("_", " ") + ", " + table["contrast"]).tolist()
    y = np.arange(len(table))[::-1]
    fig = Figure(figsize=(7.5, 0.42 * len(table) + 1.4))
    ax = fig.subplots()
    ax.errorbar(table["g_follow_up"], y + 0.15,
                xerr=[table["g_follow_up"] - table["g_ci_low"],
                      table["g_ci_high"] - table["g_follow_up"]],
                fmt="o", color="#1b6ca8", capsize=2, label="Hedges' g at follow-up (95% CI)")
    ax.plot(table["change_smd"], y, "s", color="#8ab17d",
            label=f"standardised difference in change (r = {r:g})")
    if "es_published" in table:
        ax.plot(table["es_published"].astype(float), y - 0.15, "D", color="#d1495b",
                label="published effect size")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("standardised difference, arm A minus arm B (negative: lower in arm A)")
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


def tipping_plot(curves: pd.DataFrame, alpha: float = 0.05) -> Figure:
    """p of the follow-up comparison over all randomised patients against the shift (pooled SDs)
    of arm A's missing patients, one line per finding."""
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    sns.lineplot(data=curves, x="delta_sd", y="p", hue="label", ax=ax)
    ax.axhline(alpha, color="#999999", ls="--", lw=0.9)
    ax.set_yscale("log")
    ax.set_xlabel("arm A's missing patients worse than its survivors by (pooled SDs)")
    ax.set_ylabel("p, all randomised (log scale)")
    ax.legend(fontsize=7, title="")
    fig.tight_layout()
    return fig


def posterior_plot(table: pd.DataFrame) -> Figure:
    """Hedges' g of change (unadjusted) beside its posterior mean and 95% interval under the
    sceptical prior, per finding."""
    y = np.arange(len(table))[::-1]
    fig = Figure(figsize=(7, 0.45 * len(table) + 1.3))
    ax = fig.subplots()
    ax.plot(table["g_change"], y + 0.15, "o", color="#999999", label="estimate (g of change)")
    ax.errorbar(table["posterior_change"], y - 0.1,
                xerr=[table["posterior_change"] - table["posterior_change_low"],
                      table["posterior_change_high"] - table["posterior_change"]],
                fmt="s", color="#1b6ca8", capsize=2, label="posterior, sceptical prior (95%)")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, table["label"], fontsize=8)
    ax.set_xlabel("standardised difference in change, arm A minus arm B")
    ax.legend(fontsize=7.5, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def sweep_plot(table: pd.DataFrame, alpha: float = 0.05) -> Figure:
    """p of the change-score and baseline-adjusted comparisons against the pre-post correlation
    r, one line per finding: where a line crosses alpha, the verdict flips."""
    long = pd.concat([table.assign(analysis="change score", p=table["p_change"]),
                      table.assign(analysis="ANCOVA", p=table["p_ancova"])])
    fig = Figure(figsize=(9, 4))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, analysis in zip(axes, ("change score", "ANCOVA")):
        part = long[long["analysis"] == analysis]
        sns.lineplot(data=part, x="r", y="p", hue="label", marker="o", ax=ax,
                     legend=analysis == "ANCOVA")
        ax.axhline(alpha, color="#999999", ls="--", lw=0.9)
        ax.set_yscale("log")
        ax.set_title(analysis, fontsize=9)
        ax.set_xlabel("assumed pre-post correlation r")
    axes[0].set_ylabel("p (log scale)")
    axes[1].legend(fontsize=6.5, title="", bbox_to_anchor=(1.02, 1), loc="upper left")
    fig.tight_layout()
    return fig
