"""Charts for the authority profile, the compare page and the briefing pack."""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, format_number, titled, states_status
from jsw_explorer.config import CONTEXT_COLOUR, FOCUS_COLOUR, IMPACT_LABELS as IMPACT_NAMES, PALETTE

# The impact scale's words (declared once in config) as phrases: "high impact", "not reported".
IMPACT_LABELS = {level: (f"{word.lower()} impact" if level else word.lower()) for level, word in IMPACT_NAMES.items()}
SERIES_SHAPES = ["circle", "diamond", "square", "triangle-up", "cross", "triangle-down"]


@states_status
def completeness_comparison(frame: pd.DataFrame, name: str, review: str) -> ChartWithText:
    """Authority score per domain against its family group's and Scotland's medians (dot plot)."""
    long = frame.melt(id_vars=["domain"], value_vars=["score", "family_group_median", "scotland_median"],
                      var_name="series", value_name="value")
    series_names = {"score": name, "family_group_median": "Family group median", "scotland_median": "Scotland median"}
    long["series"] = long["series"].map(series_names)
    weakest = frame.sort_values("score").iloc[0]
    description = (f"Completeness scores (0-100) for {name}: "
                   + "; ".join(f"{r.domain} {r.score:.0f} (family group median {r.family_group_median:.0f}, "
                               f"Scotland median {r.scotland_median:.0f})" for r in frame.itertuples())
                   + f". {weakest['domain']} evidence is {name}'s weakest domain.")
    order = list(series_names.values())
    points = alt.Chart(long).mark_point(size=140, filled=True, opacity=0.9).encode(
        y=alt.Y("domain:N", sort=list(frame["domain"]), title=None),
        yOffset=alt.YOffset("series:N", sort=order),
        x=alt.X("value:Q", title="Completeness score (0-100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("series:N", sort=order, title=None,
                        scale=alt.Scale(domain=order, range=[FOCUS_COLOUR, PALETTE[1], "#3D3D3D"])),
        shape=alt.Shape("series:N", sort=order, title=None, scale=alt.Scale(domain=order, range=SERIES_SHAPES[:3])),
        tooltip=[alt.Tooltip("domain:N"), alt.Tooltip("series:N"), alt.Tooltip("value:Q", format=".0f")],
    )
    labels = points.mark_text(align="left", dx=9, font=FONT, fontSize=11, color="#0B0C0C").encode(
        text=alt.Text("value:Q", format=".0f"))
    chart = titled(alt.layer(points, labels, height=260),
                   f"{weakest['domain']} evidence is {name}'s weakest domain",
                   f"Completeness score by evidence domain, {name} against family group and Scotland medians, "
                   f"review {review}. ILLUSTRATIVE DATA", description)
    return ChartWithText(chart, description, frame)


@states_status
def barrier_impact(frame: pd.DataFrame, name: str, review: str) -> ChartWithText:
    """Impact (0-3) of each barrier theme for one authority, with the impact in words."""
    data = frame.assign(impact_label=frame["impact"].map(IMPACT_LABELS),
                        level_label=frame["level"].str.capitalize())
    reported = data[data["reported"]]
    description = (f"{name} reports {len(reported)} of {len(data)} barrier themes"
                   + (": " + "; ".join(f"{r.theme} ({r.impact_label})" for r in reported.itertuples())
                      if len(reported) else "") + ".")
    headline = (f"{name} reports {len(reported)} of {len(data)} barrier themes" if len(reported)
                else f"{name} reports none of the {len(data)} barrier themes")
    order = list(data.sort_values(["impact", "theme"], ascending=[False, True])["theme"])
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("theme:N", sort=order, title=None),
        x=alt.X("impact:Q", title="Impact (0 = not reported, 3 = high)", scale=alt.Scale(domain=[0, 3]),
                axis=alt.Axis(tickCount=4, format="d")),
        color=alt.Color("level_label:N", title="Level", scale=alt.Scale(domain=["Local", "National"],
                                                                          range=[PALETTE[0], PALETTE[3]])),
        tooltip=[alt.Tooltip("theme:N"), alt.Tooltip("level_label:N", title="Level"),
                 alt.Tooltip("impact_label:N", title="Impact")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=4, font=FONT, fontSize=11, color="#0B0C0C").encode(
        y=alt.Y("theme:N", sort=order), x="impact:Q",
        text=alt.Text("label:N"),
    ).transform_calculate(label="datum.impact_label + ' (' + datum.level_label + ')'")
    chart = titled(alt.layer(bars, labels, height=240), headline,
                   f"Barrier themes reported by {name} and their impact, review {review}. ILLUSTRATIVE DATA",
                   description)
    return ChartWithText(chart, description, frame)


@states_status
def area_trend(frame: pd.DataFrame, indicator: str, unit: str) -> ChartWithText:
    """One authority against Scotland over time; each series has its own shape and an end label."""
    areas = list(dict.fromkeys(frame["area"]))
    if not len(frame.dropna(subset=["value"])):
        description = f"No values of {indicator.lower()} are available."
    else:
        parts = []
        for area in areas:
            series = frame[(frame["area"] == area)].dropna(subset=["value"])
            if len(series):
                parts.append(f"{area}: {format_number(series.iloc[0]['value'], unit)} in {series.iloc[0]['period']}, "
                             f"{format_number(series.iloc[-1]['value'], unit)} in {series.iloc[-1]['period']}")
        description = f"{indicator} over time. " + "; ".join(parts) + "."
        if (~frame["comparable"].astype(bool)).any():
            description += " 2020-21 and 2021-22 are not comparable (COVID-19 court disruption)."
    colours = [FOCUS_COLOUR if a != "Scotland" else "#3D3D3D" for a in areas]
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", title="Financial year", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=unit[:1].upper() + unit[1:]),
        color=alt.Color("area:N", title=None, scale=alt.Scale(domain=areas, range=colours)),
    )
    lines = base.mark_line(strokeWidth=2).encode(strokeDash=alt.StrokeDash(
        "area:N", title=None, scale=alt.Scale(domain=areas, range=[[1, 0] if a != "Scotland" else [5, 3] for a in areas])))
    points = base.mark_point(size=60, filled=True).encode(
        shape=alt.Shape("area:N", title=None, scale=alt.Scale(domain=areas, range=SERIES_SHAPES[:len(areas)])),
        tooltip=["period:O", "area:N", alt.Tooltip("value:Q", format=",.1f"), "source_kind:N"])
    chart = titled(alt.layer(lines, points, height=280), f"{indicator}: {' against '.join(areas)}",
                   f"{indicator} ({unit}), by financial year; illustrative where marked in the Data tab", description)
    return ChartWithText(chart, description, frame)


@states_status
def compare_completeness(frame: pd.DataFrame, review: str) -> ChartWithText:
    """Completeness score by domain for two to ten authorities and the Scotland median."""
    areas = list(dict.fromkeys(frame["area"]))
    best = frame.sort_values("score", ascending=False).iloc[0]
    description = "Completeness scores (0-100): " + "; ".join(
        f"{area}: " + ", ".join(f"{r.domain} {r.score:.0f}" for r in frame[frame["area"] == area].itertuples())
        for area in areas) + "."
    palette = [*PALETTE, "#7F7F7F", "#1F77B4", "#8C564B", "#2CA02C", "#D62728"]
    colours = ["#3D3D3D" if a == "Scotland median" else palette[i % len(palette)] for i, a in enumerate(areas)]
    shapes = [SERIES_SHAPES[i % len(SERIES_SHAPES)] for i in range(len(areas))]
    points = alt.Chart(frame).mark_point(size=120, filled=True).encode(
        y=alt.Y("domain:N", sort=["Performance", "Quality", "Outcomes"], title=None),
        yOffset=alt.YOffset("area:N", sort=areas),
        x=alt.X("score:Q", title="Completeness score (0-100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("area:N", sort=areas, title=None, scale=alt.Scale(domain=areas, range=colours)),
        shape=alt.Shape("area:N", sort=areas, title=None, scale=alt.Scale(domain=areas, range=shapes)),
        tooltip=["area:N", "domain:N", alt.Tooltip("score:Q", format=".0f")],
    )
    labels = points.mark_text(align="left", dx=8, fontSize=10, font=FONT, color="#0B0C0C").encode(
        text=alt.Text("score:Q", format=".0f"))
    chart = titled(alt.layer(points, labels, height=max(240, 26 * len(areas) * 3)),
                   f"Highest single score: {best['area']}, {best['domain'].lower()} ({best['score']:.0f})",
                   f"Completeness score by evidence domain, review {review}. ILLUSTRATIVE DATA", description)
    return ChartWithText(chart, description, frame)
