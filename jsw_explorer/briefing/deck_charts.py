"""Native PowerPoint charts: the chart's numbers, read from the columns of its data table, drawn by PowerPoint
itself with the data embedded, so a user can restyle the chart or copy its figures."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Pt

from jsw_explorer.briefing.deck_shapes import style_text
from jsw_explorer.briefing.style import GREY, RULE, SERIES_COLOURS
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.fonts import FAMILY
from jsw_explorer.safe_text import printable
from jsw_explorer.tables import is_missing

@dataclass
class NativeChart:
    """What a native PowerPoint chart needs: its type, categories and series (data embedded in the deck)."""

    kind: str  # "bar" | "line" | "scatter"
    categories: list[str]
    series: dict[str, list]
    value_title: str
    category_title: str = ""
    number_format: str = "0"
    maximum: float | None = None


def axis_title(chart: ChartWithText, channel: str) -> str:
    """The title a chart gives an axis (from its Vega-Lite spec), for the native PowerPoint chart."""
    def find(node):
        if isinstance(node, dict):
            encoding = node.get("encoding", {})
            title = encoding.get(channel, {}).get("title") if isinstance(encoding.get(channel), dict) else None
            if isinstance(title, str) and title:
                return title
            for value in node.values():
                found = find(value)
                if found:
                    return found
        elif isinstance(node, list):
            for value in node:
                found = find(value)
                if found:
                    return found
        return ""

    return find(chart.chart.to_dict(validate=False))


def colour_domain(chart: ChartWithText) -> list[str]:
    """The series names of the chart's colour legend, from its Vega-Lite spec."""
    def find(node):
        if isinstance(node, dict):
            colour = node.get("encoding", {}).get("color") if isinstance(node.get("encoding"), dict) else None
            domain = colour.get("scale", {}).get("domain") if isinstance(colour, dict) else None
            if isinstance(domain, list):
                return [str(v) for v in domain]
            for value in node.values():
                if found := find(value):
                    return found
        elif isinstance(node, list):
            for value in node:
                if found := find(value):
                    return found
        return []

    return find(chart.chart.to_dict(validate=False))


def native_chart(chart: ChartWithText) -> NativeChart | None:
    """The chart's numbers in a form PowerPoint draws itself, by the columns of the chart's data table."""
    data = chart.data
    columns = set(data.columns)

    def clean(values):
        return [None if is_missing(v) else float(v) for v in values]

    if {"domain", "score", "family_group_median", "scotland_median"} <= columns:
        names = colour_domain(chart)  # the chart's own legend: [authority, family group median, Scotland median]
        return NativeChart("bar", list(data["domain"]), {
            names[0] if len(names) == 3 else "This authority": clean(data["score"]), "Family group median": clean(data["family_group_median"]),
            "Scotland median": clean(data["scotland_median"])}, "Completeness score (0-100)", "Evidence domain",
            maximum=100)
    if {"domain", "median_score"} <= columns:
        return NativeChart("bar", list(data["domain"]), {"Median score": clean(data["median_score"]),
                                                         "Lowest": clean(data.get("lowest_score", [])),
                                                         "Highest": clean(data.get("highest_score", []))},
                           "Completeness score (0-100)", "Evidence domain", maximum=100)
    if {"theme", "impact"} <= columns:
        ordered = data.sort_values(["impact", "theme"], ascending=[False, True])
        return NativeChart("bar", list(ordered["theme"]), {"Impact (0 = not reported, 3 = high)":
                                                            clean(ordered["impact"])},
                           "Impact (0 = not reported, 3 = high)", "Barrier theme", maximum=3)
    if {"area", "period", "value"} <= columns:
        wide = data.pivot_table(index="period", columns="area", values="value", aggfunc="first", sort=True)
        return NativeChart("line", list(wide.index), {a: clean(wide[a]) for a in dict.fromkeys(data["area"])},
                           axis_title(chart, "y") or "Value", axis_title(chart, "x") or "Financial year", "#,##0.0")
    if {"period", "value"} <= columns:
        name = str(data["indicator"].iloc[0]) if "indicator" in columns else "Value"
        whole = all(float(v).is_integer() for v in data["value"].dropna())
        return NativeChart("line", list(data["period"]), {name: clean(data["value"])},
                           axis_title(chart, "y") or "Value", axis_title(chart, "x") or "Financial year",
                           "#,##0" if whole else "#,##0.0")
    if {"x", "y"} <= columns:
        return NativeChart("scatter", [], {"Authorities": list(zip(clean(data["x"]), clean(data["y"])))}, "y", "x")
    return None


def add_native_chart(slide, native: NativeChart, title: str, left, top, width, height):
    if native.kind == "scatter":
        chart_data = XyChartData()
        for name, points in native.series.items():
            series = chart_data.add_series(name)
            for x, y in points:
                if x is not None and y is not None:
                    series.add_data_point(x, y)
        chart_type = XL_CHART_TYPE.XY_SCATTER
    else:
        chart_data = CategoryChartData(number_format=native.number_format)
        # PowerPoint draws a bar chart's first category at the bottom: give them bottom-up so the slide reads
        # top-down in the chart's order (reversing the axis instead moves the value axis to the top)
        order = slice(None, None, -1) if native.kind == "bar" else slice(None)
        chart_data.categories = [printable(str(c)) for c in native.categories][order]
        for name, values in native.series.items():
            chart_data.add_series(printable(name), list(values)[order])
        chart_type = XL_CHART_TYPE.BAR_CLUSTERED if native.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
    frame = slide.shapes.add_chart(chart_type, left, top, width, height, chart_data)
    chart = frame.chart
    chart.font.name = FAMILY
    chart.font.size = Pt(12)
    chart.has_title = True
    chart.chart_title.text_frame.text = printable(title)
    style_text(chart.chart_title.text_frame.paragraphs[0], 13, False, GREY)
    chart.has_legend = len(native.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    value_axis = chart.value_axis
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = printable(native.value_title)
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = native.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(*RULE)
    if native.maximum is not None:
        value_axis.minimum_scale, value_axis.maximum_scale = 0, native.maximum
        value_axis.major_unit = 1 if native.maximum <= 5 else native.maximum / 10
    if native.kind != "scatter":
        category_axis = chart.category_axis
        if native.category_title:
            category_axis.has_title = True
            category_axis.axis_title.text_frame.text = printable(native.category_title)
    plot = chart.plots[0]
    plot.has_data_labels = native.kind != "scatter"
    if plot.has_data_labels:
        plot.data_labels.number_format = native.number_format
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(11)
    for number, series in enumerate(plot.series):
        colour = RGBColor(*SERIES_COLOURS[number % len(SERIES_COLOURS)])
        if native.kind == "bar":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        else:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.25)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
    return frame
