"""Maps for the Outcomes page: a choropleth of the 32 council areas beside a tile grid, one colour scale.

The same conventions as charts.outcomes: white is "not available" (never zero), grey is outside the
peer group, a dashed outline and "illus." mark an ILLUSTRATIVE value, selected areas are outlined blue.
The rows these draw are prepared by jsw_explorer.indicators.map_table.
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, states_status
from jsw_explorer.charts.outcomes import (MIXED_NOTE, TEXT_COLOUR, mixed_headline, mixes_illustrative, names_list,
                                          status_sentence, titled)
from jsw_explorer.config import FOCUS_COLOUR
from jsw_explorer.indicators import NOT_AVAILABLE, Indicator
from jsw_explorer.map_topology import as_topology

MISSING_FILL = "#FFFFFF"
MISSING_STROKE = "#6F777B"
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


@states_status
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
    tooltip = [alt.Tooltip("authority:N", title="Council area"), alt.Tooltip("value_text:N", title=indicator.label),
               alt.Tooltip("status:N", title="Status"), alt.Tooltip("peer_group:N", title="Peer group")]
    layers = []
    topology = boundary_topology(data)
    if topology:
        # The boundaries are one JSON string (a TopoJSON topology: half the bytes of GeoJSON) holding
        # geometry and area code only, the same for every indicator, year and filter, so the browser can
        # fetch it once (jsw_explorer.components.by_address); what each area shows is looked up by code
        # from the rows below. A string, too, because Altair deep-copies nested lists on every call.
        geo_data = alt.Data(values=topology, format=alt.DataFormat(type="topojson", feature="areas"))
        area_rows = alt.LookupData(data=data[["gss_code", *MAP_FIELDS]], key="gss_code", fields=list(MAP_FIELDS))
        blank = alt.Chart().mark_geoshape(stroke=MISSING_STROKE, strokeWidth=0.5).encode(
            fill=alt.Fill("base_fill:N", scale=None), tooltip=tooltip)
        filled = alt.Chart().transform_filter("datum.coloured").mark_geoshape(
            stroke="#FFFFFF", strokeWidth=0.4).encode(color=alt.Color("value:Q", scale=colour_scale, legend=legend),
                                                      tooltip=tooltip)
        chosen = alt.Chart().transform_filter("datum.selected").mark_geoshape(
            filled=False, stroke=FOCUS_COLOUR, strokeWidth=2.5).encode(tooltip=tooltip)
        choropleth = alt.layer(blank, filled, chosen, data=geo_data).transform_lookup(
            lookup="properties.gss_code", from_=area_rows).project(type="transverseMercator", rotate=[4, 0, 0]).properties(
            width=380, height=520, title=alt.TitleParams("Council areas", anchor="start", fontSize=13, font=FONT))
        layers.append(choropleth)
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


MAP_FIELDS = ("authority", "value", "value_text", "status", "peer_group", "selected", "coloured", "base_fill")


def boundary_topology(frame: pd.DataFrame) -> str:
    """The areas that have a boundary as one TopoJSON text, each area with its code only ("" if none has one).

    The same boundaries give the same text, byte for byte, whatever the rows' values."""
    bounded = frame.loc[frame["geojson"].notna()].sort_values("gss_code")
    if bounded.empty:
        return ""
    features = [{"type": "Feature", "geometry": json.loads(row.geojson), "properties": {"gss_code": row.gss_code}}
                for row in bounded.itertuples()]
    return json.dumps(as_topology(features), separators=(",", ":"))
