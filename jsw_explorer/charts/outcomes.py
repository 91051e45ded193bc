"""Charts for the Outcomes page: ranking, trend, funnel plot and maps (choropleth and tile grid).

Conventions kept here: published and illustrative values differ by label AND by pattern/opacity
(never colour alone); selected authorities are dark blue and bold against grey; a missing value
is written "not available" and never drawn as zero; rates calculated by this tool say so.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText
from jsw_explorer.charts.common import titled as one_line_titled
from jsw_explorer.config import CONTEXT_COLOUR, FOCUS_COLOUR, PALETTE
from jsw_explorer.funnel import (ABOVE_95, ABOVE_998, BELOW_95, BELOW_998, MIN_SHARE_FOR_MEDIAN, WITHIN, Reference,
                                 funnel_curve, funnel_points)

NOT_AVAILABLE = "not available"
NOT_PUBLISHED = "not published"
SUPPRESSED = "not available (suppressed: small number)"
CALCULATED = "calculated by this tool (NRS mid-2022, aged 16-70)"
AS_PUBLISHED = "as published"
STATUS_WORDS = {"published": "published", "council_reported": "council-reported", "illustrative": "illustrative",
                "uploaded": "uploaded"}
STATUS_ORDER = ["published", "council-reported", "uploaded", "illustrative", NOT_AVAILABLE]
SELECTED, OTHER = "Selected authority", "Other authorities"
REFERENCE_COLOURS = {"Scotland": "#3D3D3D", "Peer group": PALETTE[2]}
TEXT_COLOUR = "#0B0C0C"
MISSING_FILL = "#FFFFFF"
MISSING_STROKE = "#6F777B"
COVID_FILL = "#F3F2F1"
SCOTLAND_AUTHORITIES = 32
# Shape legends: their symbols would otherwise take stroke and fill from the layer's colour
# encoding (a field the legend rows do not have) and come out invisible.
SHAPE_LEGEND = alt.Legend(symbolStrokeColor="#3D3D3D", symbolFillColor="#3D3D3D", symbolOpacity=1,
                          symbolStrokeWidth=1.5)


@dataclass(frozen=True)
class Indicator:
    """What the charts need to know about an indicator."""

    indicator_id: str
    label: str
    unit: str
    value_type: str  # count | rate | percent | average
    higher_is_better: bool | None = None

    @classmethod
    def from_row(cls, row) -> Indicator:
        direction = row["higher_is_better"]
        return cls(row["indicator_id"], row["label"], row["unit"], row["value_type"],
                   None if pd.isna(direction) else bool(direction))

    @property
    def is_rate(self) -> bool:
        return self.value_type in ("rate", "percent")

    @property
    def axis_title(self) -> str:
        return self.unit[:1].upper() + self.unit[1:]

    @property
    def vertical_axis_title(self) -> list[str]:
        """A vertical axis title in short lines: one longer than the plot is tall upsets the layout."""
        return textwrap.wrap(self.axis_title, 26)

    def fmt(self, value) -> str:
        """A value in words: '71.0%', '38.4', '1,234'; a missing value is 'not available'."""
        if value is None or pd.isna(value):
            return NOT_AVAILABLE
        if self.value_type == "percent":
            return f"{value:.1f}%"
        if self.value_type in ("rate", "average"):
            return f"{value:,.1f}"
        return f"{value:,.0f}"


def whole(value) -> str:
    return f"{value:,.0f}" if value is not None and not pd.isna(value) else NOT_AVAILABLE


def direction_text(indicator: Indicator) -> str:
    if indicator.higher_is_better is None:
        return "neither higher nor lower is better in itself (a volume, not a performance measure)"
    return "higher is better" if indicator.higher_is_better else "lower is better"


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


# --- The table behind every chart --------------------------------------------------------------

def prepare_values(values: pd.DataFrame, indicator: Indicator, selected: tuple[str, ...] = ()) -> pd.DataFrame:
    """Values with their words: value, numerator and denominator as text, status, method, rank.

    values: outcome_values rows (gss_code, authority, value, numerator, denominator, method,
    source_kind, ...). Missing values stay NaN in `value` and read "not available" in `value_text`.
    """
    frame = values.copy()
    present = frame["value"].notna()
    frame["value_text"] = frame["value"].map(indicator.fmt)
    if "suppressed" in frame:  # withheld by disclosure control: still not available, but say why
        frame.loc[frame["suppressed"].fillna(False).astype(bool) & ~present, "value_text"] = SUPPRESSED
    for column in ("numerator", "denominator"):
        frame[f"{column}_text"] = np.where(
            ~present, NOT_AVAILABLE,
            np.where(frame[column].notna(), frame[column].map(whole), NOT_PUBLISHED))
    frame["status"] = np.where(present, frame["source_kind"].map(STATUS_WORDS).fillna(frame["source_kind"]),
                               NOT_AVAILABLE)
    frame["method_text"] = np.where(~present, NOT_AVAILABLE,
                                    np.where(frame["method"].eq("calculated"), CALCULATED, AS_PUBLISHED))
    frame["selected"] = frame["gss_code"].isin(selected)
    frame["highlight"] = np.where(frame["selected"], SELECTED, OTHER)
    ranks = frame["value"].rank(ascending=False, method="min")
    frame["rank"] = ranks.map(lambda r: NOT_AVAILABLE if pd.isna(r) else f"{int(r)} of {int(present.sum())}")
    frame["source_kind"] = frame["source_kind"].fillna(NOT_AVAILABLE)
    order = frame.assign(_missing=~present).sort_values(["_missing", "value", "authority"],
                                                        ascending=[True, False, True])
    return order.reset_index(drop=True)


def table_columns(indicator: Indicator) -> list[str]:
    """The Data tab: words first, then numbers for re-use, then provenance."""
    columns = ["rank", "authority", "value_text", "value"]
    if indicator.is_rate:
        columns += ["numerator_text", "denominator_text", "numerator", "denominator"]
    return columns + ["status", "method_text", "source_kind", "source_title", "source_url", "note", "gss_code"]


def bar_label(row, indicator: Indicator) -> str:
    if pd.isna(row["value"]):
        return NOT_AVAILABLE
    text = row["value_text"]
    if indicator.is_rate:
        both_missing = row["numerator_text"] == row["denominator_text"] == NOT_PUBLISHED
        if both_missing:
            text += " (numbers not published)"
        elif row["numerator_text"] == NOT_PUBLISHED:  # e.g. a reconviction rate: only its cohort is published
            text += f" (of {row['denominator_text']})"
        else:
            text += f" ({row['numerator_text']} / {row['denominator_text']})"
    return f"{text}, {row['status']}"


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

def trend_series(trend: pd.DataFrame, indicator: Indicator, selected: tuple[str, ...], scope: tuple[str, ...],
                 names: dict[str, str]) -> pd.DataFrame:
    """The lines to draw: each selected authority (or, with none, the peer group median) and Scotland.

    For counts the Scotland line is the median authority (the Scotland total is not comparable).
    """
    authorities = trend.loc[trend["gss_code"] != "S92000003"]
    periods = trend[["period", "sort_key", "comparable", "period_note"]].drop_duplicates("period")
    pieces = []
    for code in selected:
        rows = authorities.loc[authorities["gss_code"] == code]
        pieces.append(rows.assign(series=names.get(code, code), role="selected"))
    whole_scotland = len(scope) >= SCOTLAND_AUTHORITIES
    if indicator.value_type == "count":
        median = medians(authorities, periods, SCOTLAND_AUTHORITIES)
        pieces.append(median.assign(series="Scotland (median authority)", role="scotland"))
    else:
        scotland = trend.loc[trend["gss_code"] == "S92000003"]
        pieces.append(scotland.assign(series="Scotland", role="scotland"))
    if not selected and not (whole_scotland and indicator.value_type == "count"):
        label = "Median authority in Scotland" if whole_scotland else f"Peer group median ({len(scope)} authorities)"
        pieces.append(medians(authorities.loc[authorities["gss_code"].isin(scope)], periods, len(scope)).assign(
            series=label, role="peer"))
    pieces = [piece for piece in pieces if not piece.empty]
    frame = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=["period", "sort_key", "comparable", "series", "role", "value", "value_text",
                                     "status", "method_text", "authorities", "source_kind"])
    frame["value_text"] = frame["value"].map(indicator.fmt)
    frame["status"] = frame["source_kind"].map(STATUS_WORDS).fillna(frame["source_kind"])
    frame["method_text"] = np.where(frame["method"].eq("calculated"), CALCULATED,
                                    np.where(frame["method"].eq("median"), "median of the authorities' values",
                                             AS_PUBLISHED))
    if "authorities" not in frame:
        frame["authorities"] = np.nan
    frame["role_order"] = frame["role"].map({"selected": 0, "peer": 1, "scotland": 2})
    return frame.sort_values(["role_order", "sort_key"], kind="stable")[
        ["period", "sort_key", "comparable", "series", "role", "value", "value_text", "status", "method_text",
         "authorities", "source_kind"]].reset_index(drop=True)


def medians(authorities: pd.DataFrame, periods: pd.DataFrame, group_size: int) -> pd.DataFrame:
    """Median of the authorities' values per period, where at least half of the group has a value.

    Its status is the least certain of theirs.
    """
    if authorities.empty:
        return pd.DataFrame()
    grouped = authorities.groupby("period").agg(
        value=("value", "median"), authorities=("gss_code", "nunique"),
        source_kind=("source_kind", lambda kinds: "illustrative" if (kinds == "illustrative").any() else kinds.iloc[0]))
    grouped = grouped.loc[grouped["authorities"] >= MIN_SHARE_FOR_MEDIAN * group_size]
    return grouped.reset_index().merge(periods, on="period").assign(method="median")


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


def place_on_funnel(table: pd.DataFrame, target: float, indicator: Indicator) -> tuple[pd.DataFrame, list[str]]:
    """The authorities placed on the funnel (with limits and position) and those that cannot be."""
    placed = funnel_points(table, target, indicator.value_type)
    present = table.loc[table["value"].notna(), "authority"]
    unplaced = sorted(set(present) - set(placed["authority"]))
    return placed, unplaced


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
    long = curve.melt("denominator", var_name="line", value_name="limit")
    long["limits"] = np.where(long["line"].str.endswith("998"), "99.8% limits", "95% limits")
    x = alt.X("funnel_denominator:Q", title=denominator_title(indicator), scale=alt.Scale(zero=False))
    y_values = pd.concat([placed["value"], placed["lower_998"], placed["upper_998"]])
    y_scale = alt.Scale(domain=[max(0.0, float(y_values.min()) * 0.95), float(y_values.max()) * 1.05], zero=False)
    y = alt.Y("value:Q", title=indicator.vertical_axis_title, scale=y_scale)
    limit_lines = alt.Chart(long.rename(columns={"denominator": "funnel_denominator", "limit": "value"})).mark_line(
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
    points = alt.Chart(data).mark_point(size=90, strokeWidth=2, opacity=1).encode(
        x=x, y=y, color=colour, shape=alt.Shape("side:N", title="Position", scale=shapes, legend=SHAPE_LEGEND),
        fill=alt.Fill("point_fill:N", scale=None), tooltip=tooltip)
    labelled = alt.Chart(data.loc[data["show_label"]]).encode(x=x, y=y, text="authority:N")
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


# --- Maps --------------------------------------------------------------------------------------

def map_table(areas: pd.DataFrame, table: pd.DataFrame, scope: tuple[str, ...]) -> pd.DataFrame:
    """One row per council area: place on the tile grid, boundary, value and status."""
    columns = ["gss_code", "value", "value_text", "numerator_text", "denominator_text", "status", "method_text",
               "selected", "source_kind", "source_title", "source_url"]
    frame = areas.merge(table[columns], on="gss_code", how="left")
    frame["value_text"] = frame["value_text"].fillna(NOT_AVAILABLE)
    frame["status"] = frame["status"].fillna(NOT_AVAILABLE)
    frame["selected"] = frame["selected"].fillna(False).astype(bool)
    frame["in_scope"] = frame["gss_code"].isin(scope)
    frame["peer_group"] = np.where(frame["in_scope"], "in the peer group", "outside the peer group")
    return frame


OUTSIDE_FILL = "#E1E1E1"
MUTED_TEXT = "#505A5F"


def map_shading(frame: pd.DataFrame, low: float, high: float) -> pd.DataFrame:
    """How each area is drawn: coloured by value, white when not available, grey outside the peer group.

    Text on a tile is white on the darker half of the colour scale and near-black elsewhere.
    """
    coloured = frame["in_scope"] & frame["value"].notna()
    share = ((frame["value"] - low) / (high - low)).fillna(0) if high > low else frame["value"].fillna(0) * 0
    return frame.assign(
        coloured=coloured,
        base_fill=np.where(frame["in_scope"], MISSING_FILL, OUTSIDE_FILL),
        label_colour=np.where(coloured & (share > 0.55), "#FFFFFF",
                              np.where(frame["in_scope"], TEXT_COLOUR, MUTED_TEXT)),
        value_line=frame["value_text"].replace({NOT_AVAILABLE: "n/a"}),
        status_line=np.where(frame["in_scope"], frame["status"].replace({
            NOT_AVAILABLE: "", "illustrative": "illus.", "published": "publ.", "council-reported": "council"}),
            "not in group"))


def describe_map(frame: pd.DataFrame, indicator: Indicator, period: str) -> str:
    shown = frame.loc[frame["in_scope"]]
    present = shown.loc[shown["value"].notna()].sort_values("value", ascending=False)
    if present.empty:
        return f"No council area in the peer group has a value of {indicator.label} for {period}."
    text = (f"Map of {indicator.label} ({indicator.unit}) for {len(present)} of {len(shown)} council areas, "
            f"{period}. Highest: " + "; ".join(f"{r.authority} {r.value_text}" for r in present.head(3).itertuples())
            + ". Lowest: " + "; ".join(f"{r.authority} {r.value_text}" for r in present.tail(3)[::-1].itertuples())
            + ".")
    missing = shown.loc[shown["value"].isna(), "authority"].tolist()
    if missing:
        text += f" Not available (white): {names_list(missing)}."
    if not frame["in_scope"].all():
        text += f" The {int((~frame['in_scope']).sum())} areas outside the peer group are grey."
    text += status_sentence(present["status"])
    if mixes_illustrative(present["status"]):
        text += " " + MIXED_NOTE
    return text


def map_chart(frame: pd.DataFrame, indicator: Indicator, period: str, scope_label: str) -> ChartWithText:
    """A choropleth of the 32 council areas beside a tile grid of equal squares, one colour scale."""
    description = describe_map(frame, indicator, period)
    in_scope_values = frame.loc[frame["in_scope"], "value"].dropna()
    low, high = (float(in_scope_values.min()), float(in_scope_values.max())) if len(in_scope_values) else (0.0, 1.0)
    if high <= low:
        high = low + 1
    colour_scale = alt.Scale(scheme="blues", domain=[low, high])
    legend = alt.Legend(title=indicator.axis_title, orient="bottom", gradientLength=260, titleLimit=400)
    data = map_shading(frame, low, high)
    layers = []
    features = geo_features(data)
    if features:
        # Inline GeoJSON features as ONE JSON string: Streamlit sends DataFrames as Arrow tables,
        # which cannot hold nested geometry, and Altair deep-copies nested lists on every layer and
        # property call (~0.4 s for the 32 areas) but copies a string for free.
        def prop(name: str, kind: str) -> str:
            return f"properties.{name}:{kind}"
        geo_tooltip = [alt.Tooltip(prop("authority", "N"), title="Council area"),
                       alt.Tooltip(prop("value_text", "N"), title=indicator.label),
                       alt.Tooltip(prop("status", "N"), title="Status"),
                       alt.Tooltip(prop("peer_group", "N"), title="Peer group")]
        geo_data = alt.Data(values=json.dumps(features, separators=(",", ":")), format=alt.DataFormat(type="json"))
        geo_base = alt.Chart(geo_data).encode(tooltip=geo_tooltip)
        blank = geo_base.mark_geoshape(stroke=MISSING_STROKE, strokeWidth=0.5).encode(
            fill=alt.Fill(prop("base_fill", "N"), scale=None))
        filled = geo_base.transform_filter("datum.properties.coloured").mark_geoshape(
            stroke="#FFFFFF", strokeWidth=0.4).encode(color=alt.Color(prop("value", "Q"), scale=colour_scale,
                                                                      legend=legend))
        chosen = geo_base.transform_filter("datum.properties.selected").mark_geoshape(
            filled=False, stroke=FOCUS_COLOUR, strokeWidth=2.5)
        choropleth = alt.layer(blank, filled, chosen).project(type="transverseMercator", rotate=[4, 0, 0]).properties(
            width=380, height=520, title=alt.TitleParams("Council areas", anchor="start", fontSize=13, font=FONT))
        layers.append(choropleth)
    tooltip = [alt.Tooltip("authority:N", title="Council area"), alt.Tooltip("value_text:N", title=indicator.label),
               alt.Tooltip("status:N", title="Status"), alt.Tooltip("peer_group:N", title="Peer group")]
    stroke = alt.condition("datum.selected", alt.value(FOCUS_COLOUR), alt.value(MISSING_STROKE))
    stroke_width = alt.condition("datum.selected", alt.value(3), alt.value(0.6))
    tile_columns = ["authority", "short_name", "tile_row", "tile_col", "value", "value_text", "status", "peer_group",
                    "selected", "coloured", "base_fill", "label_colour", "value_line", "status_line"]
    tiles_base = alt.Chart(data[tile_columns]).encode(
        x=alt.X("tile_col:O", axis=None, scale=alt.Scale(paddingInner=0.08)),
        y=alt.Y("tile_row:O", axis=None, scale=alt.Scale(paddingInner=0.08)), tooltip=tooltip)
    tile_blank = tiles_base.mark_rect().encode(fill=alt.Fill("base_fill:N", scale=None), stroke=stroke,
                                               strokeWidth=stroke_width)
    tile_fill = tiles_base.transform_filter("datum.coloured").mark_rect().encode(
        color=alt.Color("value:Q", scale=colour_scale, legend=None if layers else legend),
        stroke=stroke, strokeWidth=stroke_width,
        strokeDash=alt.condition("datum.status == 'illustrative'", alt.value([4, 2]), alt.value([1, 0])))
    text_fill = alt.Fill("label_colour:N", scale=None, legend=None)
    text_common = dict(font=FONT, baseline="middle")
    name_text = tiles_base.mark_text(dy=-13, fontSize=10, fontWeight="bold", **text_common).encode(
        text="short_name:N", fill=text_fill)
    value_text = tiles_base.mark_text(dy=1, fontSize=11, **text_common).encode(text="value_line:N", fill=text_fill)
    status_text = tiles_base.mark_text(dy=14, fontSize=9, fontStyle="italic", **text_common).encode(
        text="status_line:N", fill=text_fill)
    tile_grid = alt.layer(tile_blank, tile_fill, name_text, value_text, status_text).properties(
        width=7 * 76, height=8 * 58, title=alt.TitleParams("Tile grid: every area the same size", anchor="start",
                                                           fontSize=13, font=FONT))
    layers.append(tile_grid)
    chart = alt.hconcat(*layers, spacing=24).resolve_scale(color="shared")
    present = frame.loc[frame["in_scope"] & frame["value"].notna()].sort_values("value", ascending=False)
    headline = (f"{present.iloc[0]['authority']} has the highest value, {present.iloc[-1]['authority']} the lowest"
                if len(present) else f"No values of {indicator.label} for {period}")
    if mixes_illustrative(present["status"]):
        headline = mixed_headline(indicator, period)
    subtitle = (f"{indicator.label} ({indicator.unit}), {period}, {scope_label}. Darker = higher. White: not "
                "available." + ("" if frame["in_scope"].all() else " Grey: outside the peer group.")
                + " Dashed tile outline and 'illus.': ILLUSTRATIVE value. Blue outline: selected")
    numbers = ["numerator_text", "denominator_text"] if indicator.is_rate else []
    table_out = frame[["authority", "short_name", "value_text", "value", *numbers, "status", "method_text",
                       "peer_group", "tile_row", "tile_col", "source_kind", "source_title", "source_url", "gss_code",
                       "geo_code"]]
    return ChartWithText(titled(chart, headline, subtitle, description), description, table_out)


def geo_features(frame: pd.DataFrame) -> list[dict]:
    """GeoJSON features for the areas that have a boundary, with what the map shows as properties."""
    features = []
    for row in frame.loc[frame["geojson"].notna()].itertuples():
        features.append({"type": "Feature", "geometry": json.loads(row.geojson), "properties": {
            "gss_code": row.gss_code, "authority": row.authority,
            "value": None if pd.isna(row.value) else float(row.value), "value_text": row.value_text,
            "status": row.status, "peer_group": row.peer_group, "selected": bool(row.selected),
            "coloured": bool(getattr(row, "coloured", row.in_scope and not pd.isna(row.value))),
            "base_fill": getattr(row, "base_fill", MISSING_FILL)}})
    return features


def geometry_bytes(frame: pd.DataFrame) -> int:
    """Bytes of boundary data the map sends to the browser (the GeoJSON geometries)."""
    return int(frame["geojson"].dropna().str.len().sum())


# --- Court-based groups ------------------------------------------------------------------------

COURT_GROUP_NOT_PUBLISHED = "not published (fewer than 10 people)"
RECONVICTION_INDICATORS = ("reconviction_rate", "reconvictions_per_offender", "reconviction_cohort_offenders")


def court_group_table(groups: pd.DataFrame) -> pd.DataFrame:
    """court_group_reconviction rows in words: each is labelled as the GROUP's figure, for the authority
    it is shown against; a rate that was not published says so (never zero)."""
    frame = groups.copy()
    frame["figure_of"] = "the court-based group " + frame["court_group"] + " (covers " + frame["covers"] + ")"
    frame["group_reconviction_rate"] = [COURT_GROUP_NOT_PUBLISHED if pd.isna(rate) else f"{rate:.1f}%"
                                        for rate in frame["reconviction_rate"]]
    frame["scotland_reconviction_rate"] = frame["scotland_rate"].map(lambda r: NOT_AVAILABLE if pd.isna(r) else f"{r:.1f}%")
    frame["status"] = frame["source_kind"].map(STATUS_WORDS).fillna(frame["source_kind"])
    return frame[["authority", "cohort", "figure_of", "group_reconviction_rate", "offenders",
                  "reconvictions_per_offender", "scotland_reconviction_rate", "status", "source_title", "source_url",
                  "court_group", "reconviction_rate", "gss_code", "note"]].rename(
        columns={"offenders": "group_offenders", "reconvictions_per_offender": "group_reconvictions_per_offender"})
