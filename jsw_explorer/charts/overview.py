"""Charts for the Overview page: Scotland trends and completeness by domain."""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, format_number, states_status, titled
from jsw_explorer.config import CONTEXT_COLOUR, FOCUS_COLOUR, PALETTE


def describe_trend(frame: pd.DataFrame, indicator: str, area: str, unit: str) -> str:
    """A sentence or two saying how a series moved, with the non-comparable years named."""
    series = frame.dropna(subset=["value"])
    if series.empty:
        return f"No values of {indicator.lower()} are available for {area}."
    first, last = series.iloc[0], series.iloc[-1]
    peak = series.loc[series["value"].idxmax()]
    direction = "rose" if last["value"] > first["value"] else "fell" if last["value"] < first["value"] else "was unchanged"
    text = (f"{indicator} in {area} {direction} from {format_number(first['value'], unit)} in {first['period']} "
            f"to {format_number(last['value'], unit)} in {last['period']}; the highest value was "
            f"{format_number(peak['value'], unit)} in {peak['period']}.")
    not_comparable = series.loc[~series["comparable"].astype(bool), "period"].tolist()
    if not_comparable:
        text += f" {' and '.join(not_comparable)} are marked: COVID-19 court disruption makes them not comparable."
    return text


@states_status
def trend_chart(frame: pd.DataFrame, indicator: str, unit: str, area: str = "Scotland",
                headline: str | None = None) -> ChartWithText:
    """One area's series over time; non-comparable (COVID-19) years drawn hollow with a label."""
    data = frame.assign(
        comparability=frame["comparable"].map({True: "Comparable", False: "Not comparable (COVID-19)"}),
    )
    description = describe_trend(frame, indicator, area, unit)
    headline = headline or description.split(";")[0]
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title="Financial year", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=unit[:1].upper() + unit[1:], scale=alt.Scale(zero=True)),
    )
    line = base.mark_line(color=FOCUS_COLOUR, strokeWidth=2)
    points = base.mark_point(size=70, filled=True, color=FOCUS_COLOUR).encode(
        shape=alt.Shape("comparability:N", title="Year", scale=alt.Scale(
            domain=["Comparable", "Not comparable (COVID-19)"], range=["circle", "triangle-down"])),
        fill=alt.Fill("comparability:N", legend=None, scale=alt.Scale(
            domain=["Comparable", "Not comparable (COVID-19)"], range=[FOCUS_COLOUR, "white"])),
        tooltip=[alt.Tooltip("period:O", title="Year"), alt.Tooltip("value:Q", title=indicator, format=",.1f"),
                 alt.Tooltip("comparability:N", title="Comparability"),
                 alt.Tooltip("source_kind:N", title="Status")],
    )
    labels = base.mark_text(dy=-12, fontSize=11, font=FONT, color="#3D3D3D").encode(
        text=alt.Text("value:Q", format=",.0f" if not unit.startswith("percent") else ".1f"))
    chart = titled(alt.layer(line, points, labels, height=320),
                   headline, f"{indicator}, {area}, {frame['period'].iloc[0]} to {frame['period'].iloc[-1]} ({unit})",
                   description)
    return ChartWithText(chart, description, frame)


def describe_domains(frame: pd.DataFrame, scope_label: str) -> str:
    if frame.empty:
        return "No completeness scores are available for this selection."
    ordered = frame.sort_values("median_score", ascending=False)
    parts = [f"{row.domain} {row.median_score:.0f}" for row in ordered.itertuples()]
    weakest = ordered.iloc[-1]
    return (f"Median completeness score (0-100) across {scope_label}: {', '.join(parts)}. "
            f"{weakest['domain']} evidence is the least complete.")


@states_status
def domain_bars(frame: pd.DataFrame, scope_label: str, review: str) -> ChartWithText:
    """Median completeness per evidence domain, with the range across authorities as a line."""
    description = describe_domains(frame, scope_label)
    weakest = frame.sort_values("median_score").iloc[0]["domain"] if not frame.empty else ""
    headline = f"{weakest} evidence is the least complete" if weakest else "No completeness scores"
    order = list(frame["domain"])
    bars = alt.Chart(frame).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("domain:N", sort=order, title=None),
        x=alt.X("median_score:Q", title="Median completeness score (0-100)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("domain:N", title="Domain"), alt.Tooltip("median_score:Q", title="Median score"),
                 alt.Tooltip("lowest_score:Q", title="Lowest"), alt.Tooltip("highest_score:Q", title="Highest"),
                 alt.Tooltip("authorities:Q", title="Authorities")],
    )
    spread = alt.Chart(frame).mark_rule(color=CONTEXT_COLOUR, strokeWidth=2).encode(
        y=alt.Y("domain:N", sort=order), x="lowest_score:Q", x2="highest_score:Q")
    labels = bars.mark_text(align="left", dx=4, font=FONT, fontSize=12, color="#0B0C0C").encode(
        text=alt.Text("median_score:Q", format=".0f"))
    chart = titled(alt.layer(spread, bars, labels, height=160), headline,
                   f"Median completeness score by evidence domain, {scope_label}, review {review}; "
                   "grey line: lowest to highest authority. ILLUSTRATIVE DATA", description)
    return ChartWithText(chart, description, frame)
