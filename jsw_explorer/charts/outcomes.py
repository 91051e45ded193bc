"""Charts for the Outcomes page: ranking, trend and funnel plot (the maps are in charts.outcome_maps).

Conventions kept here: published and illustrative values differ by label AND by pattern/opacity
(never colour alone); selected authorities are dark blue and bold against grey; a missing value
is written "not available" and never drawn as zero; rates calculated by this tool say so.
The tables these draw are prepared by jsw_explorer.indicators.
"""

from __future__ import annotations

import json
import textwrap

import altair as alt
import numpy as np
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, states_status
from jsw_explorer.charts.common import titled as one_line_titled
from jsw_explorer.config import CONTEXT_COLOUR, FOCUS_COLOUR, PALETTE
from jsw_explorer.funnel import ABOVE_95, ABOVE_998, BELOW_95, BELOW_998, WITHIN, Reference, funnel_curve
from jsw_explorer.indicators import (CALCULATED, NOT_AVAILABLE, OTHER, SELECTED, STATUS_ORDER, Indicator, bar_label,
                                     place_on_funnel, table_columns)

REFERENCE_COLOURS = {"Scotland": "#3D3D3D", "Peer group": PALETTE[2]}
TEXT_COLOUR = "#0B0C0C"
COVID_FILL = "#F3F2F1"
# Shape legends: their symbols would otherwise take stroke and fill from the layer's colour
# encoding (a field the legend rows do not have) and come out invisible.
SHAPE_LEGEND = alt.Legend(symbolStrokeColor="#3D3D3D", symbolFillColor="#3D3D3D", symbolOpacity=1,
                          symbolStrokeWidth=1.5)


def names_list(names: list[str], limit: int = 8) -> str:
    names = list(names)
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


REAL_STATUSES = ("published", "council-reported", "uploaded")
MIXED_NOTE = ("This chart puts ILLUSTRATIVE values beside published ones: it shows how the view works and supports "
              "no conclusion about any authority.")


def status_sentence(statuses: pd.Series) -> str:
    """' Status of the values drawn: 32 published.' (every description names what it draws)."""
    counts = statuses.loc[statuses.ne(NOT_AVAILABLE)].value_counts()
    if counts.empty:
        return ""
    return " Status of the values drawn: " + ", ".join(
        f"{counts[s]} {s.upper() if s == 'illustrative' else s}" for s in STATUS_ORDER if s in counts) + "."


def mixes_illustrative(statuses: pd.Series) -> bool:
    """True when illustrative values are drawn beside real ones: then the chart draws no conclusion."""
    return bool(statuses.isin(REAL_STATUSES).any() and statuses.eq("illustrative").any())


def mixed_headline(indicator: Indicator, period: str) -> str:
    return f"Published and ILLUSTRATIVE values of {indicator.label} side by side ({period}): no conclusion to draw"


def titled(chart, headline: str, subtitle: str, description: str):
    """The shared two-title frame, with long titles wrapped onto lines (Vega cuts them off otherwise)."""
    return one_line_titled(chart, textwrap.wrap(headline, 85) or [""], textwrap.wrap(subtitle, 125) or [""],
                           description)


def spread_labels(values: pd.Series, min_gap: float) -> pd.Series:
    """Label positions near the values but at least min_gap apart (for labels at line ends)."""
    order = values.sort_values()
    placed, previous = {}, None
    for index, value in order.items():
        position = value if previous is None else max(value, previous + min_gap)
        placed[index], previous = position, position
    return pd.Series(placed).reindex(values.index)


# --- Ranking -----------------------------------------------------------------------------------

def describe_ranking(table: pd.DataFrame, indicator: Indicator, period: str, scope_label: str,
                     references: list[Reference]) -> str:
    present = table.loc[table["value"].notna()]
    missing = table.loc[table["value"].isna(), "authority"].tolist()
    if present.empty:
        return (f"No authority in {scope_label} has a value of {indicator.label} for {period}: "
                f"all {len(table)} are not available.")
    top, bottom = present.iloc[:3], present.iloc[::-1].iloc[:3]
    text = (f"{len(present)} of {len(table)} authorities ({scope_label}) have a value of "
            f"{indicator.label} ({indicator.unit}) for {period}. Highest: "
            + "; ".join(f"{r.authority} {r.value_text}" for r in top.itertuples())
            + ". Lowest: " + "; ".join(f"{r.authority} {r.value_text}" for r in bottom.itertuples()) + ".")
    if missing:
        text += f" Not available: {names_list(missing)}."
    for reference in references:
        text += f" {reference.name}: {indicator.fmt(reference.value)} ({reference.basis})."
    for row in table.loc[table["selected"]].itertuples():
        text += (f" {row.authority}: {row.value_text}" +
                 (f", ranked {row.rank} (1 = highest)." if row.value_text != NOT_AVAILABLE else "."))
    text += status_sentence(present["status"])
    if mixes_illustrative(present["status"]):
        text += " " + MIXED_NOTE
    if present["method_text"].eq(CALCULATED).any():
        text += f" Rates marked calculated were {CALCULATED}."
    return text


def ranking_headline(table: pd.DataFrame, indicator: Indicator, period: str) -> str:
    present = table.loc[table["value"].notna()]
    if present.empty:
        return f"No values of {indicator.label} for {period} in this peer group"
    if mixes_illustrative(present["status"]):
        return mixed_headline(indicator, period)
    top, bottom = present.iloc[0], present.iloc[-1]
    selected = table.loc[table["selected"] & table["value"].notna()]
    if len(selected) == 1:
        row = selected.iloc[0]
        return f"{row['authority']} ranks {row['rank']} on {indicator.label} in {period} ({row['value_text']})"
    return (f"{top['authority']} has the highest {indicator.label} in {period} ({top['value_text']}), "
            f"{bottom['authority']} the lowest ({bottom['value_text']})")


def status_scales(kinds: list[str]):
    """Published solid and opaque; illustrative paler with a dashed outline (not colour alone)."""
    opacity = alt.Scale(domain=kinds, range=[0.4 if k == "illustrative" else 1.0 for k in kinds])
    dash = alt.Scale(domain=kinds, range=[[4, 2] if k == "illustrative" else [1, 0] for k in kinds])
    return opacity, dash


@states_status
def ranking_chart(table: pd.DataFrame, indicator: Indicator, period: str, scope_label: str,
                  references: list[Reference]) -> ChartWithText:
    """Horizontal bars, highest first, with Scotland and peer-group lines; missing rows say so."""
    description = describe_ranking(table, indicator, period, scope_label, references)
    data = table.assign(label=[bar_label(row, indicator) for _, row in table.iterrows()])
    order = data["authority"].tolist()
    selected_names = data.loc[data["selected"], "authority"].tolist()
    kinds = [k for k in STATUS_ORDER[:-1] if k in set(data["status"])] or ["illustrative"]
    opacity, dash = status_scales(kinds)
    status_legend = alt.Legend(title="Status", symbolType="square", symbolFillColor=CONTEXT_COLOUR,
                               symbolStrokeColor=TEXT_COLOUR, symbolStrokeWidth=1, symbolSize=160)
    y = alt.Y("authority:N", sort=order, title=None, axis=alt.Axis(
        labelLimit=220, labelFontWeight=alt.ExprRef(
            f"indexof({json.dumps(selected_names)}, datum.value) >= 0 ? 'bold' : 'normal'")))
    x_max = max([data["value"].max() if data["value"].notna().any() else 1] + [r.value for r in references])
    upper = 100.0 if indicator.value_type == "percent" else x_max * 1.45
    x_scale = alt.Scale(domain=[0, upper], nice=False)
    x = alt.X("value:Q", title=indicator.axis_title, scale=x_scale)
    tooltip = [alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("value_text:N", title=indicator.label),
               alt.Tooltip("rank:N", title="Rank")]
    if indicator.is_rate:
        tooltip += [alt.Tooltip("numerator_text:N", title="Numerator"),
                    alt.Tooltip("denominator_text:N", title="Denominator")]
    tooltip += [alt.Tooltip("status:N", title="Status"), alt.Tooltip("method_text:N", title="Method")]
    base = alt.Chart(data).encode(y=y)
    bars = base.transform_filter("isValid(datum.value)").mark_bar(stroke=TEXT_COLOUR, strokeWidth=1).encode(
        x=x,
        color=alt.Color("highlight:N", title=None, scale=alt.Scale(domain=[SELECTED, OTHER],
                                                                   range=[FOCUS_COLOUR, CONTEXT_COLOUR])),
        fillOpacity=alt.FillOpacity("status:N", scale=opacity, legend=status_legend),
        strokeDash=alt.StrokeDash("status:N", scale=dash, legend=status_legend),
        tooltip=tooltip,
    )
    labels = base.transform_filter("isValid(datum.value)").mark_text(
        align="left", dx=4, font=FONT, fontSize=11, color=TEXT_COLOUR).encode(x=x, text="label:N")
    missing = base.transform_filter("!isValid(datum.value)").transform_calculate(plot_at="0").mark_text(
        align="left", dx=4, font=FONT, fontSize=11, fontStyle="italic", color="#505A5F").encode(
        x=alt.X("plot_at:Q", scale=x_scale), text="label:N")
    layers = [bars, labels, missing]
    for i, reference in enumerate(references):  # fixed styles, named by their own label (no legend needed)
        colour = REFERENCE_COLOURS["Scotland"] if reference.name.startswith("Scotland") else REFERENCE_COLOURS["Peer group"]
        line = alt.Chart(pd.DataFrame({"value": [reference.value],
                                       "text": [f"{reference.name}: {indicator.fmt(reference.value)}"]}))
        layers.append(line.mark_rule(strokeWidth=2, color=colour, strokeDash=[1, 0] if i == 0 else [6, 3]).encode(
            x=alt.X("value:Q", scale=x_scale)))
        layers.append(line.mark_text(align="left", dx=3, font=FONT, fontSize=11, fontWeight="bold", color=colour).encode(
            x=alt.X("value:Q", scale=x_scale), y=alt.value(-6 - 14 * i), text="text:N"))
    chart = alt.layer(*layers).properties(height=alt.Step(22), padding={"top": 8 + 14 * len(references), "left": 5,
                                                                        "right": 5, "bottom": 5})
    subtitle = (f"{indicator.label} ({indicator.unit}), {period}, {scope_label}. Solid bars: published; pale "
                f"dashed bars: ILLUSTRATIVE. Lines: " + "; ".join(f"{r.name} ({r.basis})" for r in references)
                + (f". Calculated rates: {CALCULATED}" if data["method_text"].eq(CALCULATED).any() else ""))
    chart = titled(chart, ranking_headline(table, indicator, period), subtitle, description)
    return ChartWithText(chart, description, table[table_columns(indicator)])


# --- Trend -------------------------------------------------------------------------------------

def describe_outcome_trend(series: pd.DataFrame, indicator: Indicator, without_values: tuple[str, ...] = ()) -> str:
    missing = f" {names_list(list(without_values))}: not available in any year." if without_values else ""
    if series.empty:
        return f"No values of {indicator.label} are available over time.{missing}"
    parts = []
    for name, rows in series.groupby("series", sort=False):
        rows = rows.sort_values("sort_key")
        first, last = rows.iloc[0], rows.iloc[-1]
        change = ("rose" if last["value"] > first["value"] else "fell" if last["value"] < first["value"]
                  else "was unchanged")
        parts.append(f"{name} {change} from {first['value_text']} in {first['period']} to {last['value_text']} "
                     f"in {last['period']}")
    text = f"{indicator.label} ({indicator.unit}): " + "; ".join(parts) + "."
    covid = sorted(series.loc[~series["comparable"].astype(bool), "period"].unique())
    if covid:
        text += f" {' and '.join(covid)} are shaded: COVID-19 court disruption makes them not comparable."
    if series["status"].eq("illustrative").any():
        text += " Hollow points are ILLUSTRATIVE values."
    text += status_sentence(series["status"])
    if mixes_illustrative(series["status"]):
        text += " " + MIXED_NOTE
    return text + missing


@states_status
def outcome_trend_chart(series: pd.DataFrame, indicator: Indicator, scope_label: str,
                        without_values: tuple[str, ...] = ()) -> ChartWithText:
    """Lines over every financial year, COVID-19 years shaded; hollow points for illustrative values.

    without_values: selected authorities with no value in any year, named in the description.
    """
    description = describe_outcome_trend(series, indicator, without_values)
    order = list(dict.fromkeys(series["series"]))
    colours, dashes = [], []
    palette = iter([PALETTE[0], PALETTE[1], PALETTE[3], PALETTE[5], PALETTE[2]])
    for name in order:
        is_scotland = name.startswith("Scotland")
        colours.append("#3D3D3D" if is_scotland else next(palette, PALETTE[4]))
        dashes.append([6, 3] if is_scotland else [1, 0])
    periods = sorted(series["period"].unique())
    x = alt.X("period:O", title="Financial year", sort=periods, axis=alt.Axis(labelAngle=-45))
    covid = series.loc[~series["comparable"].astype(bool), ["period"]].drop_duplicates()
    band = alt.Chart(covid).mark_rect(color=COVID_FILL).encode(x=x)
    band_text = alt.Chart(covid.head(1)).mark_text(align="left", baseline="top", dx=-18, dy=2, font=FONT,
                                                   fontSize=10, color="#3D3D3D").encode(
        x=x, y=alt.value(0), text=alt.value("COVID-19: not comparable"))
    series_colour = alt.Color("series:N", sort=order, scale=alt.Scale(domain=order, range=colours), legend=None)
    y_scale = alt.Scale(zero=True)
    base = alt.Chart(series).encode(x=x, y=alt.Y("value:Q", title=indicator.vertical_axis_title, scale=y_scale),
                                    color=series_colour)
    lines = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash("series:N", sort=order, scale=alt.Scale(domain=order, range=dashes), legend=None))
    points = base.mark_point(size=60, strokeWidth=2).encode(
        shape=alt.Shape("comparable_text:N", title="Year", scale=alt.Scale(
            domain=["Comparable", "Not comparable (COVID-19)"], range=["circle", "triangle-down"]),
            legend=SHAPE_LEGEND),
        fill=alt.Fill("point_fill:N", scale=None),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:O", title="Year"),
                 alt.Tooltip("value_text:N", title=indicator.label), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("method_text:N", title="Method"), alt.Tooltip("comparable_text:N", title="Comparability")],
    ).transform_calculate(comparable_text="datum.comparable ? 'Comparable' : 'Not comparable (COVID-19)'",
                          point_fill=f"datum.status == 'illustrative' ? 'white' : {json.dumps(dict(zip(order, colours)))}"
                                     "[datum.series]")
    ends = series.sort_values("sort_key").groupby("series", sort=False).tail(1).copy()
    top = float(series["value"].max()) if len(series) else 1.0
    ends["label_at"] = spread_labels(ends["value"], top * 0.07)  # lines ending close together: labels apart
    end_labels = alt.Chart(ends).mark_text(align="left", dx=8, font=FONT, fontSize=11, fontWeight="bold").encode(
        x=x, y=alt.Y("label_at:Q", scale=y_scale), text="series:N", color=series_colour)
    chart = alt.layer(band, band_text, lines, points, end_labels).properties(height=380)
    if series.empty:
        headline = f"No values of {indicator.label} over time"
    elif mixes_illustrative(series["status"]):
        headline = mixed_headline(indicator, "over time")
    else:
        headline = description.split(";")[0].split(": ", 1)[-1]
    subtitle = (f"{indicator.label} ({indicator.unit}), every financial year available; {scope_label}. "
                "Shaded: 2020-21 and 2021-22, not comparable (COVID-19). Hollow points: ILLUSTRATIVE values")
    return ChartWithText(titled(chart, headline, subtitle, description), description, series)


# --- Funnel plot -------------------------------------------------------------------------------

def denominator_title(indicator: Indicator) -> str:
    if indicator.value_type == "rate":
        return ("Population aged 16-70 (NRS mid-2022)" if "16-70" in indicator.unit
                else "Population (NRS mid-year estimate the rate was published with)")
    unit = indicator.unit.removeprefix("percent").removeprefix(" of ").strip()
    return f"Denominator: number of {unit}" if unit else "Denominator (number of cases)"


def outside(placed: pd.DataFrame, *positions: str) -> list[str]:
    return placed.loc[placed["position"].isin(positions)].sort_values("value", ascending=False)["authority"].tolist()


def funnel_headline(placed: pd.DataFrame, target_name: str) -> str:
    far = outside(placed, ABOVE_998, BELOW_998)
    near = outside(placed, ABOVE_95, BELOW_95)
    if far:
        verb = "is" if len(far) == 1 else "are"
        return f"{names_list(far, 4)} {verb} outside the 99.8% limits around {target_name}"
    if near:
        verb = "is" if len(near) == 1 else "are"
        return f"{names_list(near, 4)} {verb} outside the 95% limits, none outside 99.8%"
    return f"All {len(placed)} authorities are within the 95% limits around {target_name}"


def describe_funnel(placed: pd.DataFrame, unplaced: list[str], target: Reference, indicator: Indicator,
                    period: str) -> str:
    if placed.empty:
        return f"No authority has a value and a denominator for {indicator.label} in {period}."
    def listing(names_and_rows: pd.DataFrame) -> str:
        return "; ".join(f"{r.authority} {indicator.fmt(r.value)} (denominator {r.funnel_denominator:,.0f})"
                         for r in names_and_rows.itertuples())
    text = (f"{len(placed)} authorities plotted against {target.name}'s {indicator.label} in {period}, "
            f"{indicator.fmt(target.value)}, with 95% and 99.8% control limits.")
    for label, positions in (("Above the 99.8% limit", [ABOVE_998]), ("Below the 99.8% limit", [BELOW_998]),
                             ("Between the 95% and 99.8% limits, above", [ABOVE_95]),
                             ("Between the 95% and 99.8% limits, below", [BELOW_95])):
        rows = placed.loc[placed["position"].isin(positions)].sort_values("value", ascending=False)
        if not rows.empty:
            text += f" {label}: {listing(rows)}."
    text += f" Within the 95% limits: {int(placed['position'].eq(WITHIN).sum())}."
    if unplaced:
        text += f" Not plotted (no denominator published): {names_list(unplaced)}."
    if placed["status"].eq("illustrative").any():
        text += " Hollow points are ILLUSTRATIVE values."
    text += status_sentence(placed["status"])
    if mixes_illustrative(placed["status"]):
        text += " " + MIXED_NOTE
    return text


LIMIT_LINES = ["lower_95", "upper_95", "lower_998", "upper_998"]  # funnel_curve's columns, one line each


@states_status
def funnel_chart(table: pd.DataFrame, target: Reference, indicator: Indicator, period: str,
                 scope_label: str) -> ChartWithText:
    """Value against denominator with 95% and 99.8% limits around the Scotland value."""
    placed, unplaced = place_on_funnel(table, target.value, indicator)
    description = describe_funnel(placed, unplaced, target, indicator, period)
    if placed.empty:
        chart = titled(alt.Chart(pd.DataFrame({"x": []})).mark_point(), "Nothing to plot", "", description)
        return ChartWithText(chart, description, placed)
    curve = funnel_curve(target.value, placed["funnel_denominator"].min(), placed["funnel_denominator"].max(),
                         indicator.value_type)
    x = alt.X("funnel_denominator:Q", title=denominator_title(indicator), scale=alt.Scale(zero=False))
    y_values = pd.concat([placed["value"], placed["lower_998"], placed["upper_998"]])
    y_scale = alt.Scale(domain=[max(0.0, float(y_values.min()) * 0.95), float(y_values.max()) * 1.05], zero=False)
    y = alt.Y("value:Q", title=indicator.vertical_axis_title, scale=y_scale)
    # The four lines are sent as 60 rows of four limits and unfolded in the browser: a quarter of the bytes
    limit_lines = alt.Chart(curve.rename(columns={"denominator": "funnel_denominator"})).transform_fold(
        LIMIT_LINES, as_=["line", "value"]).transform_calculate(
        limits="indexof(datum.line, '998') >= 0 ? '99.8% limits' : '95% limits'").mark_line(
        color="#6F777B", strokeWidth=1.5, clip=True).encode(
        x=x, y=y, detail="line:N",
        strokeDash=alt.StrokeDash("limits:N", title="Control limits", scale=alt.Scale(
            domain=["95% limits", "99.8% limits"], range=[[5, 3], [1, 0]])))
    target_rule = alt.Chart(pd.DataFrame({"value": [target.value], "text": [
        f"{target.name}: {indicator.fmt(target.value)}"]})).encode(y=alt.Y("value:Q", scale=y_scale))
    rule = target_rule.mark_rule(color="#3D3D3D", strokeWidth=2)
    rule_text = target_rule.mark_text(align="right", dy=-6, font=FONT, fontSize=11, fontWeight="bold",
                                      color="#3D3D3D").encode(x=alt.value(560), text="text:N")
    data = placed.assign(side=np.select([placed["position"].isin([ABOVE_95, ABOVE_998]),
                                         placed["position"].isin([BELOW_95, BELOW_998])],
                                        ["Above the limits", "Below the limits"], "Within the 95% limits"),
                         show_label=placed["position"].ne(WITHIN) | placed["selected"],
                         point_fill=np.where(placed["status"].eq("illustrative"), "white",
                                             np.where(placed["selected"], FOCUS_COLOUR, "#6F777B")))
    shapes = alt.Scale(domain=["Above the limits", "Within the 95% limits", "Below the limits"],
                       range=["triangle-up", "circle", "triangle-down"])
    tooltip = [alt.Tooltip("authority:N", title="Authority"), alt.Tooltip("value_text:N", title=indicator.label),
               alt.Tooltip("numerator_text:N", title="Numerator"),
               alt.Tooltip("funnel_denominator:Q", title="Denominator used", format=",.0f"),
               alt.Tooltip("position:N", title="Position"), alt.Tooltip("status:N", title="Status"),
               alt.Tooltip("method_text:N", title="Method")]
    colour = alt.Color("highlight:N", title=None, scale=alt.Scale(domain=[SELECTED, OTHER],
                                                                  range=[FOCUS_COLOUR, "#6F777B"]))
    # Each layer gets the columns it draws: the points' rows would otherwise carry every point's four limits
    drawn = ["authority", "value", "funnel_denominator", "value_text", "numerator_text", "position", "status",
             "method_text", "highlight", "side", "point_fill"]
    points = alt.Chart(data[drawn]).mark_point(size=90, strokeWidth=2, opacity=1).encode(
        x=x, y=y, color=colour, shape=alt.Shape("side:N", title="Position", scale=shapes, legend=SHAPE_LEGEND),
        fill=alt.Fill("point_fill:N", scale=None), tooltip=tooltip)
    labelled = alt.Chart(data.loc[data["show_label"], ["authority", "value", "funnel_denominator", "selected"]]).encode(
        x=x, y=y, text="authority:N")
    labels = labelled.transform_filter("!datum.selected").mark_text(align="left", dx=7, dy=-6, font=FONT,
                                                                    fontSize=11, color=TEXT_COLOUR)
    selected_labels = labelled.transform_filter("datum.selected").mark_text(
        align="left", dx=7, dy=-6, font=FONT, fontSize=11, fontWeight="bold", color=FOCUS_COLOUR)
    chart = alt.layer(limit_lines, rule, rule_text, points, labels, selected_labels).properties(height=420, width=600)
    subtitle = (f"{indicator.label} ({indicator.unit}) against its denominator, {period}, {scope_label}; "
                f"limits around {target.name} ({indicator.fmt(target.value)}): dashed 95%, solid 99.8%. "
                "Hollow points: ILLUSTRATIVE values")
    table_out = data[["authority", "value_text", "value", "numerator_text", "funnel_denominator", "lower_95",
                      "upper_95", "lower_998", "upper_998", "position", "status", "method_text", "source_kind",
                      "source_title", "source_url", "gss_code"]].round(
        {"lower_95": 2, "upper_95": 2, "lower_998": 2, "upper_998": 2})
    headline = (mixed_headline(indicator, period) if mixes_illustrative(placed["status"])
                else funnel_headline(placed, target.name))
    return ChartWithText(titled(chart, headline, subtitle, description), description, table_out)
