"""Charts for the Barriers page: prevalence, authority x theme matrix, one authority's barriers and
co-occurrence (barriers beside evidence completeness and an outcome indicator: charts.barrier_comparisons).

The rows they draw are the barrier queries' results; jsw_explorer.barrier_data sorts and selects them."""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.barrier_data import MATRIX_SORTS, distinct_pairs, matrix_order
from jsw_explorer.charts.common import FONT, ChartWithText, states_status
from jsw_explorer.charts.groups import (
    HIGHLIGHT_MARK, ILLUSTRATIVE_NOTE, group_axis_label, impact_label, join_words, marked, share_text, titled_wrapped,
    wrapped,
)
from jsw_explorer.config import CONTEXT_COLOUR, FOCUS_COLOUR, IMPACT_LABELS, SMALL_GROUP_SIZE

# Impact 0-3 as a light-to-dark blue scale (Analysis Function blues), always with a text label too.
IMPACT_COLOURS = {0: "#F2F2F2", 1: "#8FC3EA", 2: "#2073BC", 3: "#12436D"}
TEXT_ON = {0: "#3D3D3D", 1: "#0B0C0C", 2: "#FFFFFF", 3: "#FFFFFF"}

SPLIT_LABEL = "split(datum.label, '|')"  # multi-line axis labels from wrapped()


def _theme_label(theme: str, level: str) -> str:
    return f"{theme} ({level})"


# --- Prevalence --------------------------------------------------------------------------------

def prevalence_headline(frame: pd.DataFrame) -> str:
    """'<theme> is the most widely reported barrier: 22 of 32 authorities' (ties named together)."""
    if frame.empty or frame["reporting"].max() == 0:
        return "No authority in scope reports any of these barriers"
    top = frame.loc[frame["reporting"] == frame["reporting"].max()]
    count, total = int(top["reporting"].iloc[0]), int(top["authorities"].iloc[0])
    if len(top) == 1:
        return f"{top['theme'].iloc[0]} is the most widely reported barrier: {count} of {total} authorities"
    names = join_words([top["theme"].iloc[0]] + [t.lower() for t in top["theme"].iloc[1:]])
    return f"{names} are the most widely reported barriers: {count} of {total} authorities each"


def describe_prevalence(frame: pd.DataFrame, scope_label: str, rule: str) -> str:
    if frame.empty:
        return "No barrier themes match this selection."
    parts = [f"{row.theme} ({row.level}) {share_text(int(row.reporting), int(row.authorities))}"
             for row in frame.itertuples()]
    text = (f"Authorities reporting each barrier theme ({rule}), across {scope_label}: {'; '.join(parts)}.")
    severe = frame.loc[frame["high_impact"] == frame["high_impact"].max()]
    if int(severe["high_impact"].iloc[0]) > 0:
        text += (f" High impact is most often given to {join_words(list(severe['theme']))} "
                 f"({int(severe['high_impact'].iloc[0])} authorities).")
    selected = frame.loc[frame["highlighted_reporting"] != ""]
    if not selected.empty:
        text += " Highlighted authorities reporting: " + "; ".join(
            f"{row.theme}: {row.highlighted_reporting}" for row in selected.itertuples()) + "."
    return text


@states_status
def prevalence_chart(frame: pd.DataFrame, scope_label: str, review: str, rule: str) -> ChartWithText:
    """Sorted bars: authorities reporting each theme, split by impact, labelled with count and share."""
    headline = prevalence_headline(frame)
    description = f"{headline}. {describe_prevalence(frame, scope_label, rule)}"
    data = frame.assign(theme_label=[_theme_label(t, l) for t, l in zip(frame["theme"], frame["level"])])
    order = list(data["theme_label"])
    long = data.melt(id_vars=["theme_label", "theme", "authorities"],
                     value_vars=["low_impact", "moderate_impact", "high_impact"],
                     var_name="impact_band", value_name="count")
    impact_of = {"low_impact": 1, "moderate_impact": 2, "high_impact": 3}
    long["impact"] = long["impact_band"].map(impact_of)
    long["impact_label"] = long["impact"].map(IMPACT_LABELS)
    long = long.loc[long["count"] > 0]
    labels = [IMPACT_LABELS[i] for i in (1, 2, 3)]
    bars = alt.Chart(long).mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("theme_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
        x=alt.X("count:Q", stack="zero", title="Authorities reporting the theme",
                scale=alt.Scale(domain=[0, int(frame["authorities"].max()) if not frame.empty else 1], nice=False)),
        color=alt.Color("impact_label:N", title="Impact", sort=labels,
                        scale=alt.Scale(domain=labels, range=[IMPACT_COLOURS[i] for i in (1, 2, 3)])),
        order=alt.Order("impact:Q"),
        tooltip=[alt.Tooltip("theme:N", title="Theme"), alt.Tooltip("impact_label:N", title="Impact"),
                 alt.Tooltip("count:Q", title="Authorities")],
    )
    segment_text = alt.Chart(long).mark_text(font=FONT, fontSize=11).encode(
        y=alt.Y("theme_label:N", sort=order),
        x=alt.X("count:Q", stack="zero", bandPosition=0.5),
        text=alt.Text("count:Q"),
        order=alt.Order("impact:Q"),
        color=alt.condition("datum.impact >= 2", alt.value(TEXT_ON[3]), alt.value(TEXT_ON[1])),
    )
    ends = data.assign(end_label=[
        f"{share_text(int(r.reporting), int(r.authorities))}" + (f" · incl. {r.highlighted_reporting}"
                                                               if r.highlighted_reporting and len(r.highlighted_reporting) < 40
                                                               else " · incl. highlighted" if r.highlighted_reporting else "")
        for r in data.itertuples()])
    end_text = alt.Chart(ends).mark_text(align="left", dx=5, font=FONT, fontSize=12, color="#0B0C0C").encode(
        y=alt.Y("theme_label:N", sort=order), x=alt.X("reporting:Q"), text="end_label:N",
        tooltip=[alt.Tooltip("theme:N", title="Theme"), alt.Tooltip("review_wording:N", title="Review's words"),
                 alt.Tooltip("reporting:Q", title="Authorities reporting"),
                 alt.Tooltip("share_pct:Q", title="Share (%)"), alt.Tooltip("mean_impact:Q", title="Mean impact (1-3)")],
    )
    chart = titled_wrapped(
        alt.layer(bars, segment_text, end_text, height=max(120, 40 * len(order))),
        headline,
        (f"Authorities reporting each barrier theme ({rule}), {scope_label}, review {review}; "
         f"bars split by impact. {ILLUSTRATIVE_NOTE}"),
        description,
    )
    # the table says it in words where none of the highlighted authorities reports a theme (never a blank cell)
    table = frame.assign(highlighted_reporting=frame["highlighted_reporting"].replace("", "none of them"))
    return ChartWithText(chart, description, table)


# --- Authority x theme matrix ------------------------------------------------------------------

def matrix_headline(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "No barrier ratings for this selection"
    totals = frame.drop_duplicates("gss_code")
    top = totals.loc[totals["impact_total"] == totals["impact_total"].max()]
    total = int(top["impact_total"].iloc[0])
    if total == 0:
        return "No authority in scope reports any of these barriers"
    names = join_words(sorted(top["authority"]))
    verb = "has" if len(top) == 1 else "have"
    return f"{names} {verb} the highest total barrier impact: {total} across the themes shown"


def describe_matrix(frame: pd.DataFrame, scope_label: str) -> str:
    if frame.empty:
        return "No barrier ratings are available for this selection."
    totals = frame.drop_duplicates("gss_code").sort_values(["impact_total", "authority"], ascending=[False, True])
    themes = frame["theme"].nunique()
    reported = frame.loc[frame["reported"]].groupby("authority")["theme"].count()
    none = sorted(set(totals["authority"]) - set(reported.index))
    highest = ", ".join(f"{r.authority} {int(r.impact_total)}" for r in totals.head(3).itertuples())
    lowest = ", ".join(f"{r.authority} {int(r.impact_total)}" for r in totals.tail(3).iloc[::-1].itertuples())
    text = (f"Impact (0 not reported, 1 low, 2 moderate, 3 high) of {themes} barrier themes for {scope_label}. "
            f"Highest total impact: {highest}. Lowest: {lowest}.")
    if none:
        text += f" {len(none)} authorit{'y reports' if len(none) == 1 else 'ies report'} none of these themes: {join_words(none)}."
    selected = totals.loc[totals["highlighted"]]
    for row in selected.itertuples():
        mine = frame.loc[(frame["gss_code"] == row.gss_code) & frame["reported"]]
        listed = ", ".join(f"{r.theme} ({impact_label(r.impact).lower()})" for r in mine.itertuples()) or "no themes"
        text += f" {row.authority} (highlighted) reports {listed}."
    return text


@states_status
def matrix_chart(frame: pd.DataFrame, sort: str, scope_label: str, review: str) -> ChartWithText:
    """Heatmap of impact, authorities as rows (highlighted marked with a star), themes as columns."""
    headline = matrix_headline(frame)
    description = f"{headline}. {describe_matrix(frame, scope_label)}"
    order = [marked(name, bool(flag)) for name, flag in
             frame.drop_duplicates("gss_code").set_index("authority").loc[matrix_order(frame, sort), "highlighted"].items()]
    theme_order = list(frame.sort_values("theme_order")["theme"].drop_duplicates())
    data = frame.assign(
        row_label=[marked(a, bool(h)) for a, h in zip(frame["authority"], frame["highlighted"])],
        impact_label=frame["impact"].map(IMPACT_LABELS),
        cell_text=frame["impact"].map(lambda i: "–" if i == 0 else str(int(i))),
    )
    levels = list(IMPACT_LABELS.values())
    base = alt.Chart(data).encode(
        x=alt.X("theme:N", sort=theme_order, title=None,
                axis=alt.Axis(orient="top", labelAngle=-30, labelAlign="left", labelLimit=280, labelOverlap=False)),
        y=alt.Y("row_label:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=220, labelFontWeight=alt.expr(
                    f"indexof(datum.label, '{HIGHLIGHT_MARK.strip()}') == 0 ? 'bold' : 'normal'"))),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("impact_label:N", title="Impact", sort=levels,
                        scale=alt.Scale(domain=levels, range=[IMPACT_COLOURS[i] for i in range(4)])),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("theme:N", title="Theme"),
                 alt.Tooltip("impact_label:N", title="Impact"), alt.Tooltip("impact_total:Q", title="Total impact"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    text = base.mark_text(font=FONT, fontSize=11).encode(
        text="cell_text:N",
        color=alt.condition("datum.impact >= 2", alt.value(TEXT_ON[3]), alt.value(TEXT_ON[1])),
    )
    chart = titled_wrapped(
        alt.layer(cells, text, height=max(160, 20 * len(order))),
        headline,
        (f"Barrier impact by authority and theme (– not reported, 1 low, 2 moderate, 3 high), {scope_label}, "
         f"review {review}; sorted by {MATRIX_SORTS[sort].lower()}; ★ highlighted authority. {ILLUSTRATIVE_NOTE}"),
        description,
    )
    return ChartWithText(chart, description, frame)


# --- One authority -----------------------------------------------------------------------------

def describe_authority(frame: pd.DataFrame) -> str:
    name = frame["authority"].iloc[0]
    reported = frame.loc[frame["reported"]]
    if reported.empty:
        return f"{name} reports none of the {len(frame)} barrier themes."
    listed = "; ".join(f"{r.theme} ({r.level}): {impact_label(r.impact).lower()} impact" for r in reported.itertuples())
    not_reported = frame.loc[~frame["reported"], "theme"].tolist()
    text = f"Themes {name} reports, with their impact: {listed}."
    if not_reported:
        text += f" Not reported: {join_words([t.lower() for t in not_reported])}."
    return text


def authority_headline(frame: pd.DataFrame) -> str:
    name = frame["authority"].iloc[0]
    reported = frame.loc[frame["reported"]]
    top = reported.loc[reported["impact"] == reported["impact"].max()]
    return (f"{name} reports {len(reported)} of {len(frame)} barrier themes; highest impact: "
            f"{join_words([top['theme'].iloc[0]] + [t.lower() for t in top['theme'].iloc[1:]])} "
            f"({impact_label(top['impact'].iloc[0]).lower()})")


@states_status
def authority_chart(frame: pd.DataFrame, review: str) -> ChartWithText:
    """One authority's reported themes as bars of impact, each labelled in words."""
    headline = authority_headline(frame)
    description = f"{headline}. {describe_authority(frame)}"
    reported = frame.loc[frame["reported"]].assign(
        theme_label=lambda f: [_theme_label(t, l) for t, l in zip(f["theme"], f["level"])],
        impact_label=lambda f: [f"{impact_label(i)} ({int(i)})" for i in f["impact"]],
    )
    order = list(reported["theme_label"])
    bars = alt.Chart(reported).mark_bar(color=FOCUS_COLOUR).encode(
        y=alt.Y("theme_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
        x=alt.X("impact:Q", title="Impact (1 low, 2 moderate, 3 high)", scale=alt.Scale(domain=[0, 3.6], nice=False),
                axis=alt.Axis(values=[0, 1, 2, 3], format="d")),
        tooltip=[alt.Tooltip("theme:N", title="Theme"), alt.Tooltip("impact_label:N", title="Impact"),
                 alt.Tooltip("review_wording:N", title="Review's words")],
    )
    text = bars.mark_text(align="left", dx=5, font=FONT, fontSize=12, color="#0B0C0C").encode(text="impact_label:N")
    chart = titled_wrapped(alt.layer(bars, text, height=max(80, 36 * len(order))), headline,
                   (f"Barrier themes reported by {frame['authority'].iloc[0]} and their impact, review {review}. "
                    f"{ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, frame)


# --- Co-occurrence -----------------------------------------------------------------------------

def cooccurrence_headline(frame: pd.DataFrame) -> str:
    pairs = distinct_pairs(frame)
    if pairs.empty:
        return "Only one theme is shown, so there are no pairs to compare"
    if pairs["reporting_both"].max() == 0:
        return "No authority in scope reports two of these themes together"
    top = pairs.loc[pairs["reporting_both"] == pairs["reporting_both"].max()]
    first = top.iloc[0]
    text = (f"{first['theme_a']} and {first['theme_b'].lower()} are most often reported together: "
            f"{int(first['reporting_both'])} of {int(first['authorities'])} authorities")
    if len(top) > 1:
        text += f" (tied with {len(top) - 1} other pair{'s' if len(top) > 2 else ''})"
    return text


def describe_cooccurrence(frame: pd.DataFrame, scope_label: str, rule: str) -> str:
    pairs = distinct_pairs(frame)
    if pairs.empty:
        return "Choose more than one theme level to see which themes are reported together."
    ranked = pairs.sort_values(["reporting_both", "theme_a_order", "theme_b_order"], ascending=[False, True, True])
    most = "; ".join(f"{r.theme_a} with {r.theme_b.lower()}: {share_text(int(r.reporting_both), int(r.authorities))}"
                     for r in ranked.head(3).itertuples())
    least = ranked.iloc[-1]
    return (f"Number of authorities, across {scope_label}, reporting both themes of each pair ({rule}); the diagonal "
            f"is the number reporting the theme. Most often together: {most}. Least often: {least['theme_a']} with "
            f"{least['theme_b'].lower()}: {share_text(int(least['reporting_both']), int(least['authorities']))}.")


@states_status
def cooccurrence_chart(frame: pd.DataFrame, scope_label: str, review: str, rule: str) -> ChartWithText:
    """Theme x theme heatmap of authorities reporting both, labelled with count and share."""
    headline = cooccurrence_headline(frame)
    description = f"{headline}. {describe_cooccurrence(frame, scope_label, rule)}"
    order = list(frame.sort_values("theme_a_order")["theme_a"].drop_duplicates())
    data = frame.assign(cell_text=[f"{int(n)}\n{p:.0f}%" for n, p in zip(frame["reporting_both"], frame["both_share_pct"])],
                        theme_b_label=frame["theme_b"].map(wrapped),
                        diagonal=frame["theme_a_id"] == frame["theme_b_id"])
    top = max(int(frame["authorities"].max()) if not frame.empty else 1, 1)
    base = alt.Chart(data).encode(
        x=alt.X("theme_b_label:N", sort=[wrapped(t) for t in order], title=None,
                axis=alt.Axis(orient="bottom", labelAngle=0, labelExpr=SPLIT_LABEL, labelLimit=200, labelOverlap=False)),
        y=alt.Y("theme_a:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("reporting_both:Q", title="Authorities reporting both",
                        scale=alt.Scale(domain=[0, top], range=["#F2F2F2", FOCUS_COLOUR])),
        strokeDash=alt.condition("datum.diagonal", alt.value([4, 2]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("theme_a:N", title="Theme"), alt.Tooltip("theme_b:N", title="With"),
                 alt.Tooltip("reporting_both:Q", title="Authorities reporting both"),
                 alt.Tooltip("both_share_pct:Q", title="Share of authorities (%)"),
                 alt.Tooltip("b_among_a_pct:Q", title="Share of those reporting the row theme (%)")],
    )
    text = base.mark_text(font=FONT, fontSize=11, lineHeight=13, lineBreak="\n").encode(
        text="cell_text:N",
        color=alt.condition(f"datum.reporting_both > {0.6 * top}", alt.value("#FFFFFF"), alt.value("#0B0C0C")),
    )
    chart = titled_wrapped(alt.layer(cells, text, height=max(120, 44 * len(order))), headline,
                   (f"Authorities reporting both themes ({rule}), number and share of {scope_label}, review {review}; "
                    f"the diagonal is the number reporting the theme. {ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, frame)


def describe_theme_pairs(frame: pd.DataFrame, theme: str, scope_label: str) -> str:
    if frame.empty:
        return f"There are no other themes to compare with {theme.lower()} in this selection."
    row = frame.iloc[0]
    with_a, without_a = int(row["reporting_a"]), int(row["authorities"]) - int(row["reporting_a"])
    parts = [f"{r.theme_b}: {share_text(int(r.reporting_both), with_a)} of those reporting it, "
             f"{share_text(int(r.reporting_b_not_a), without_a)} of those not" for r in frame.itertuples()]
    text = (f"Across {scope_label}, {with_a} authorities report {theme.lower()} and {without_a} do not. "
            + "; ".join(parts) + ".")
    small = [n for n in (with_a, without_a) if 0 < n < SMALL_GROUP_SIZE]
    if small:
        text += f" One group has fewer than {SMALL_GROUP_SIZE} authorities, so its shares move a lot with one authority."
    return text


def theme_pairs_headline(frame: pd.DataFrame, theme: str) -> str:
    if frame.empty:
        return f"No other themes to compare with {theme.lower()}"
    row = frame.iloc[0]
    if int(row["reporting_a"]) == 0:
        return f"No authority in scope reports {theme.lower()}"
    top = frame.sort_values(["reporting_both", "theme_b_order"], ascending=[False, True]).iloc[0]
    both, reporting = int(top["reporting_both"]), int(top["reporting_a"])
    return (f"Of the {reporting} authorities reporting {theme.lower()}, {both} ({100 * both / reporting:.0f}%) "
            f"also report {top['theme_b'].lower()}")


@states_status
def theme_pairs_chart(frame: pd.DataFrame, theme: str, scope_label: str, review: str, rule: str) -> ChartWithText:
    """For one theme: how common each other theme is among authorities that do and do not report it.

    frame: the co-occurrence rows whose theme_a is the chosen theme and theme_b another theme (pairs_for).
    """
    headline = theme_pairs_headline(frame, theme)
    description = f"{headline}. {describe_theme_pairs(frame, theme, scope_label)}"
    with_a = int(frame["reporting_a"].iloc[0]) if not frame.empty else 0
    without_a = int(frame["authorities"].iloc[0]) - with_a if not frame.empty else 0
    groups = [group_axis_label(True, with_a, 0 < with_a < SMALL_GROUP_SIZE),
              group_axis_label(False, without_a, 0 < without_a < SMALL_GROUP_SIZE)]
    order = list(frame["theme_b"])
    long = pd.concat([
        frame.assign(group=groups[0], share=frame["b_among_a_pct"], count=frame["reporting_both"], of=with_a),
        frame.assign(group=groups[1], share=frame["b_among_not_a_pct"], count=frame["reporting_b_not_a"], of=without_a),
    ])
    long = long.assign(label=[f"{100 * c / o:.0f}% ({int(c)} of {int(o)})" if o else "no authorities"
                              for c, o in zip(long["count"], long["of"])])
    base = alt.Chart(long).encode(
        y=alt.Y("theme_b:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("group:N", sort=groups),
        x=alt.X("share:Q", title="Share of the group also reporting the theme (%)", scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("group:N", title=None, sort=groups, scale=alt.Scale(domain=groups, range=[FOCUS_COLOUR, CONTEXT_COLOUR]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("theme_b:N", title="Theme"), alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("label:N", title="Share")],
    )
    text = base.mark_text(align="left", dx=4, font=FONT, fontSize=11, color="#0B0C0C").encode(text="label:N")
    chart = titled_wrapped(alt.layer(bars, text, height=max(100, 48 * len(order))), headline,
                   (f"Share of authorities also reporting each theme, among those that do and do not report "
                    f"{theme.lower()} ({rule}), {scope_label}, review {review}. {ILLUSTRATIVE_NOTE}"), description)
    return ChartWithText(chart, description, frame)
