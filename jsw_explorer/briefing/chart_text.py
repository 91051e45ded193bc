"""What the pack reads from a chart (its Vega-Lite spec and data) to set as real text beside it: the headline
and subtitle, and the statuses its tags show. Both formats use these, so a chart is labelled alike in each."""

from __future__ import annotations

import json

from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.status import kinds_in


def chart_kinds(chart: ChartWithText) -> list[str]:
    data = chart.data
    return kinds_in(data["source_kind"]) if "source_kind" in data else []


def is_illustrative(chart: ChartWithText) -> bool:
    return "illustrative" in chart_kinds(chart) or "ILLUSTRATIVE" in json.dumps(
        chart.chart.to_dict(validate=False).get("title", ""))


def tag_kinds(chart: ChartWithText) -> list[str]:
    """The status tags over a chart: ILLUSTRATIVE alone if any of it is, since that is what a reader must see."""
    return ["illustrative"] if is_illustrative(chart) else chart_kinds(chart)


def headline(chart: ChartWithText) -> str:
    title = chart.chart.to_dict(validate=False).get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else title
    text = " ".join(text) if isinstance(text, list) else str(text)
    return text or chart.description.split(".")[0]


def subtitle(chart: ChartWithText) -> str:
    title = chart.chart.to_dict(validate=False).get("title", {})
    text = title.get("subtitle", "") if isinstance(title, dict) else ""
    return " ".join(text) if isinstance(text, list) else str(text)
