"""Charts for the Data completeness page: ranked scores, distribution by domain, item detail, gap."""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, states_status
from jsw_explorer.charts.groups import (
    HIGHLIGHT_MARK, ILLUSTRATIVE_NOTE, band_of, join_words, marked, titled_wrapped, with_jitter,
)
from jsw_explorer.config import COMPLETENESS_BANDS, CONTEXT_COLOUR, FOCUS_COLOUR, PALETTE

# Completeness levels 0-3, light to dark, always printed in words in the cell as well.
LEVEL_COLOURS = ["#F2F2F2", "#8FC3EA", "#2073BC", "#12436D"]
BOLD_IF_MARKED = alt.expr(f"indexof(datum.label, '{HIGHLIGHT_MARK.strip()}') == 0 ? 'bold' : 'normal'")


def with_bands(frame: pd.DataFrame, score_column: str = "score") -> pd.DataFrame:
    """Add the band label (text) of every score."""
    return frame.assign(band=frame[score_column].map(band_of))


def _emphasis(highlighted: pd.Series) -> tuple[list[str], list[str], list[str]]:
    """Labels for highlighted vs other authorities (or one label when none is highlighted), colours, shapes."""
    if highlighted.any():
        return ["Highlighted" if h else "Other authorities" for h in highlighted], \
            ["Highlighted", "Other authorities"], [FOCUS_COLOUR, CONTEXT_COLOUR]
    return ["Authority"] * len(highlighted), ["Authority"], [PALETTE[0]]


# --- Ranked scores -----------------------------------------------------------------------------

def ranked_headline(frame: pd.DataFrame, domain: str) -> str:
    top = frame.loc[frame["score"] == frame["score"].max()]
    bottom = frame.loc[frame["score"] == frame["score"].min()]
    what = "overall" if domain.lower() == "overall" else f"{domain.lower()}"
    return (f"{join_words(sorted(top['authority']))} {'has' if len(top) == 1 else 'have'} the most complete {what} evidence "
            f"({top['score'].iloc[0]:.1f} out of 100); {join_words(sorted(bottom['authority']))} the least "
            f"({bottom['score'].iloc[0]:.1f})")


def describe_ranked(frame: pd.DataFrame, domain: str, scope_label: str, peer_group_is_scotland: bool) -> str:
    if frame.empty:
        return "No completeness scores are available for this selection."
    banded = with_bands(frame)
    counts = banded["band"].value_counts()
    bands = ", ".join(f"{name} {int(counts.get(name, 0))}" for _l, name, _m in COMPLETENESS_BANDS)
    text = (f"{domain} evidence completeness score (0-100) for {scope_label}, from {frame['score'].max():.1f} "
            f"({frame.iloc[0]['authority']}) to {frame['score'].min():.1f} ({frame.iloc[-1]['authority']}). "
            f"Median of all 32 authorities {frame['scotland_median'].iloc[0]:.1f}")
    if not peer_group_is_scotland:
        text += f"; median of the peer group {frame['scope_median'].iloc[0]:.1f}"
    text += f". Authorities per band: {bands}."
    for row in banded.loc[banded["highlighted"]].itertuples():
        rank = int((banded["score"] > row.score).sum()) + 1
        text += f" {row.authority} (highlighted) scores {row.score:.1f}, band {row.band}, rank {rank} of {len(banded)}."
    return text


@states_status
def ranked_chart(frame: pd.DataFrame, domain: str, scope_label: str, review: str,
                 peer_group_is_scotland: bool) -> ChartWithText:
    """Authorities ranked by score, labelled with score and band, with median reference lines."""
    headline = ranked_headline(frame, domain)
    description = f"{headline}. {describe_ranked(frame, domain, scope_label, peer_group_is_scotland)}"
    any_highlight = bool(frame["highlighted"].any())
    emphasis, emphasis_domain, emphasis_colours = _emphasis(frame["highlighted"])
    data = with_bands(frame).assign(
        row_label=[marked(a, bool(h)) for a, h in zip(frame["authority"], frame["highlighted"])],
        bar_label=lambda f: [f"{s:.1f} · {b}" for s, b in zip(f["score"], f["band"])],
        emphasis=emphasis,
    )
    order = list(data["row_label"])
    y = alt.Y("row_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontWeight=BOLD_IF_MARKED))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("score:Q", title="Completeness score (0-100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("emphasis:N", title=None, legend=alt.Legend(orient="bottom") if any_highlight else None,
                        scale=alt.Scale(domain=emphasis_domain, range=emphasis_colours)),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("score:Q", title="Score"),
                 alt.Tooltip("band:N", title="Band"), alt.Tooltip("items:Q", title="Items assessed"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=4, font=FONT, fontSize=11, color="#0B0C0C").encode(
        y=y, x="score:Q", text="bar_label:N")
    references = [{"value": frame["scotland_median"].iloc[0], "reference": "Median of all 32 authorities"}]
    if not peer_group_is_scotland:
        references.append({"value": frame["scope_median"].iloc[0], "reference": "Median of the peer group"})
    reference_frame = pd.DataFrame(references)
    reference_frame["reference"] = [f"{r}: {v:.1f}" for r, v in zip(reference_frame["reference"], reference_frame["value"])]
    rules = alt.Chart(reference_frame).mark_rule(strokeWidth=2, color="#0B0C0C").encode(
        x="value:Q",
        strokeDash=alt.StrokeDash("reference:N", title="Reference lines", legend=alt.Legend(orient="bottom", labelLimit=400),
                                  scale=alt.Scale(domain=list(reference_frame["reference"]),
                                                  range=[[6, 3], [2, 2]][:len(references)])),
        tooltip=[alt.Tooltip("reference:N", title="Reference")],
    )
    chart = titled_wrapped(alt.layer(bars, labels, rules, height=max(160, 20 * len(order))),
                   headline,
                   (f"{domain} evidence completeness score (0-100, band in words), {scope_label}, review {review}; "
                    f"lines: medians. ★ highlighted authority. {ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, with_bands(frame))


# --- Distribution by domain --------------------------------------------------------------------

def distribution_headline(frame: pd.DataFrame) -> str:
    medians = frame.loc[frame["domain_id"] != "overall"].groupby("domain")["score"].median().sort_values()
    if medians.empty:
        return "No completeness scores for this selection"
    weakest, strongest = medians.index[0], medians.index[-1]
    return (f"{weakest} evidence is the least complete: median {medians.iloc[0]:.0f} against "
            f"{medians.iloc[-1]:.0f} for {strongest.lower()}")


def describe_distribution(frame: pd.DataFrame, scope_label: str) -> str:
    if frame.empty:
        return "No completeness scores are available for this selection."
    parts = []
    for _order, rows in frame.groupby("domain_order"):
        banded = with_bands(rows)
        counts = banded["band"].value_counts()
        parts.append(f"{rows['domain'].iloc[0]}: median {rows['score'].median():.1f}, from {rows['score'].min():.1f} "
                     f"to {rows['score'].max():.1f}; " + ", ".join(
                         f"{int(counts.get(name, 0))} {name.lower()}" for _l, name, _m in COMPLETENESS_BANDS))
    text = f"Completeness scores (0-100) of {scope_label} by evidence domain. " + ". ".join(parts) + "."
    highlighted = frame.loc[frame["highlighted"]]
    for authority, rows in highlighted.groupby("authority"):
        text += (f" {authority} (highlighted): " +
                 ", ".join(f"{r.domain.lower()} {r.score:.1f}" for r in rows.sort_values("domain_order").itertuples()) + ".")
    return text


@states_status
def distribution_chart(frame: pd.DataFrame, scope_label: str, review: str) -> ChartWithText:
    """One row of points per domain (and overall); highlighted authorities marked and named; band lines."""
    headline = distribution_headline(frame)
    description = f"{headline}. {describe_distribution(frame, scope_label)}"
    domains = list(frame.sort_values("domain_order")["domain"].drop_duplicates())
    any_highlight = bool(frame["highlighted"].any())
    emphasis, emphasis_domain, emphasis_colours = _emphasis(frame["highlighted"])
    data = with_jitter(with_bands(frame).assign(emphasis=emphasis), ["domain"], "score", step=0.25).assign(
        name_label=lambda f: [f"{HIGHLIGHT_MARK}{a}" if h else "" for a, h in zip(f["authority"], f["highlighted"])],
    )
    y = alt.Y("domain:N", sort=domains, title=None, axis=alt.Axis(labelFontWeight="bold"))
    x = alt.X("score:Q", title="Completeness score (0-100)", scale=alt.Scale(domain=[0, 100]))
    y_offset = alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1]))
    points = alt.Chart(data).mark_point(filled=True, size=60, opacity=0.85).encode(
        x=x, y=y, yOffset=y_offset,
        color=alt.Color("emphasis:N", title=None, legend=alt.Legend(orient="bottom") if any_highlight else None,
                        scale=alt.Scale(domain=emphasis_domain, range=emphasis_colours)),
        shape=alt.Shape("emphasis:N", legend=None, scale=alt.Scale(
            domain=emphasis_domain, range=["diamond", "circle"] if any_highlight else ["circle"])),
        size=alt.condition("datum.highlighted", alt.value(160), alt.value(60)),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("domain:N", title="Domain"),
                 alt.Tooltip("score:Q", title="Score"), alt.Tooltip("band:N", title="Band"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    names = alt.Chart(data).transform_filter("datum.highlighted").mark_text(
        dy=-12, font=FONT, fontSize=11, fontWeight="bold", color="#0B0C0C").encode(
        x=x, y=y, yOffset=y_offset, text="name_label:N")
    medians = alt.Chart(data).mark_tick(color="#0B0C0C", thickness=3, size=36).encode(
        x=alt.X("median(score):Q"), y=y, tooltip=[alt.Tooltip("median(score):Q", title="Median", format=".1f")])
    bands = pd.DataFrame([{"lowest": lowest, "label": f"{name} from {lowest:g}"}
                          for lowest, name, _m in COMPLETENESS_BANDS if lowest > 0])
    band_rules = alt.Chart(bands).mark_rule(color="#3D3D3D", strokeDash=[2, 3]).encode(x="lowest:Q")
    band_text = alt.Chart(bands).mark_text(align="left", dx=3, baseline="top", font=FONT, fontSize=11,
                                           color="#3D3D3D").encode(x="lowest:Q", y=alt.value(2), text="label:N")
    chart = titled_wrapped(alt.layer(band_rules, band_text, points, medians, names, height=80 * len(domains)),
                   headline,
                   (f"Completeness score (0-100) by evidence domain, each point an authority, {scope_label}, review "
                    f"{review}; tick: median; dashed lines: band thresholds. {ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, with_bands(frame))


# --- Items -------------------------------------------------------------------------------------

def item_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Items gathered (level 1+), reported (2+) and used for improvement (3), and not gathered (0)."""
    return {"items": len(rows), "gathered": int((rows["level"] >= 1).sum()), "reported": int((rows["level"] >= 2).sum()),
            "used": int((rows["level"] == 3).sum()), "not_gathered": int((rows["level"] == 0).sum())}


def items_headline(frame: pd.DataFrame) -> str:
    first = frame.loc[frame["authority_order"] == frame["authority_order"].min()]
    counts = item_counts(first)
    return (f"{first['authority'].iloc[0]} gathers {counts['gathered']} of {counts['items']} evidence items, "
            f"reports {counts['reported']} and uses {counts['used']} for improvement")


def describe_items(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "No item-level completeness data for this selection."
    texts = []
    for _order, rows in frame.groupby("authority_order"):
        counts = item_counts(rows)
        text = (f"{rows['authority'].iloc[0]}: {counts['gathered']} of {counts['items']} items gathered, "
                f"{counts['reported']} reported, {counts['used']} used for improvement.")
        for _d, domain_rows in rows.groupby("domain_order"):
            missing = list(domain_rows.loc[domain_rows["level"] == 0, "item"])
            domain_counts = item_counts(domain_rows)
            text += (f" {domain_rows['domain'].iloc[0]}: {domain_counts['reported']} of {domain_counts['items']} reported"
                     + (f"; not gathered: {join_words([m.lower() for m in missing])}" if missing else "") + ".")
        texts.append(text)
    return " ".join(texts)


@states_status
def items_chart(frame: pd.DataFrame, levels: pd.DataFrame, review: str) -> ChartWithText:
    """Items (rows, grouped by domain) x authorities (columns); each cell the level in words."""
    headline = items_headline(frame)
    description = f"{headline}. {describe_items(frame)}"
    level_names = list(levels.sort_values("level")["short_label"])
    authority_order = list(frame.sort_values("authority_order")["authority"].drop_duplicates())
    data = frame.assign(item_label=[f"{d} · {i}" for d, i in zip(frame["domain"], frame["item"])])
    item_order = list(data.sort_values(["domain_order", "item_order"])["item_label"].drop_duplicates())
    base = alt.Chart(data).encode(
        x=alt.X("authority:N", sort=authority_order, title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=180)),
        y=alt.Y("item_label:N", sort=item_order, title=None, axis=alt.Axis(labelLimit=360)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("short_label:N", title="Level", sort=level_names,
                        scale=alt.Scale(domain=level_names, range=LEVEL_COLOURS[:len(level_names)]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("item:N", title="Item"),
                 alt.Tooltip("item_description:N", title="What it is"), alt.Tooltip("level_label:N", title="Level"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    text = base.mark_text(font=FONT, fontSize=11).encode(
        text="short_label:N",
        color=alt.condition("datum.level >= 2", alt.value("#FFFFFF"), alt.value("#0B0C0C")),
    )
    chart = titled_wrapped(alt.layer(cells, text, height=24 * len(item_order)), headline,
                   (f"Level reached for each evidence item, {join_words(authority_order)}, review {review}. "
                    f"{ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, frame)


# --- Gap between performance and outcomes evidence ---------------------------------------------

def gap_headline(frame: pd.DataFrame) -> str:
    top = frame.loc[frame["gap_points"] == frame["gap_points"].max()]
    gap = float(top["gap_points"].iloc[0])
    if gap <= 0:
        return "Outcomes evidence is not behind performance evidence in any authority shown"
    return (f"Outcomes evidence is furthest behind performance evidence in {join_words(sorted(top['authority']))}: "
            f"{gap:.0f} points")


def describe_gap(frame: pd.DataFrame, scope_label: str) -> str:
    if frame.empty:
        return "No completeness scores are available for this selection."
    behind = int((frame["gap_points"] > 0).sum())
    text = (f"Performance minus outcomes completeness score, in points, for {scope_label}: outcomes evidence is behind "
            f"performance evidence in {behind} of {len(frame)} authorities. Largest gaps: " +
            ", ".join(f"{r.authority} {r.gap_points:.1f}" for r in frame.head(3).itertuples()) +
            ". Smallest: " + ", ".join(f"{r.authority} {r.gap_points:.1f}" for r in frame.tail(3).iloc[::-1].itertuples())
            + f". Median gap {frame['gap_points'].median():.1f} points.")
    for row in frame.loc[frame["highlighted"]].itertuples():
        text += (f" {row.authority} (highlighted): performance {row.performance_score:.1f}, outcomes "
                 f"{row.outcomes_score:.1f}, gap {row.gap_points:.1f}.")
    return text


@states_status
def gap_chart(frame: pd.DataFrame, scope_label: str, review: str) -> ChartWithText:
    """Dumbbells: performance and outcomes score per authority, sorted by the gap, gap labelled."""
    headline = gap_headline(frame)
    description = f"{headline}. {describe_gap(frame, scope_label)}"
    data = frame.assign(row_label=[marked(a, bool(h)) for a, h in zip(frame["authority"], frame["highlighted"])],
                        gap_label=[f"{g:+.0f} pts" for g in frame["gap_points"]])
    order = list(data["row_label"])
    long = data.melt(id_vars=["row_label", "authority", "gap_points", "source_kind"],
                     value_vars=["performance_score", "outcomes_score"], var_name="domain", value_name="score")
    long["domain"] = long["domain"].map({"performance_score": "Performance", "outcomes_score": "Outcomes"})
    y = alt.Y("row_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontWeight=BOLD_IF_MARKED))
    x_scale = alt.Scale(domain=[0, 100])
    lines = alt.Chart(data).mark_rule(color=CONTEXT_COLOUR, strokeWidth=3).encode(
        y=y, x=alt.X("outcomes_score:Q", scale=x_scale, title="Completeness score (0-100)"), x2="performance_score:Q")
    points = alt.Chart(long).mark_point(filled=True, size=90, opacity=1).encode(
        y=y, x=alt.X("score:Q", scale=x_scale),
        color=alt.Color("domain:N", title="Evidence domain", legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=["Performance", "Outcomes"], range=[FOCUS_COLOUR, PALETTE[2]])),
        shape=alt.Shape("domain:N", scale=alt.Scale(domain=["Performance", "Outcomes"], range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("domain:N", title="Domain"),
                 alt.Tooltip("score:Q", title="Score"), alt.Tooltip("gap_points:Q", title="Gap (points)"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=8, font=FONT, fontSize=11, color="#0B0C0C").encode(
        y=y, x=alt.X("max_score:Q", scale=x_scale), text="gap_label:N",
    ).transform_calculate(max_score="max(datum.performance_score, datum.outcomes_score)")
    chart = titled_wrapped(alt.layer(lines, points, labels, height=max(160, 20 * len(order))), headline,
                   (f"Performance and outcomes evidence completeness (0-100) and the gap between them (points), "
                    f"{scope_label}, review {review}; largest gap first. ★ highlighted authority. {ILLUSTRATIVE_NOTE}"),
                   description)
    return ChartWithText(chart, description, frame)
