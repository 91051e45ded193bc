"""Shared chart pieces: the chart-with-words bundle, number formatting and the two-title frame."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from jsw_explorer.fonts import FONT_STACK

# The shipped family (jsw_explorer/fonts, Source Sans 3, also Streamlit's own), quoted as CSS needs for a
# name with a digit; image rendering registers the files, so PNG and SVG show text on any server.
FONT = FONT_STACK
# Axis labels are cut at this width (px; Vega's default 180 cut barrier theme names to "Limits of national ...").
AXIS_LABEL_LIMIT = 280


@dataclass(frozen=True)
class ChartWithText:
    """A chart, the words that say what it shows, and the table behind it."""

    chart: alt.Chart
    description: str
    data: pd.DataFrame


def format_number(value: float, unit: str = "") -> str:
    if pd.isna(value):
        return "not available"
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:,.1f}"
    return f"{text}%" if unit.startswith("percent") else text


def titled(chart: alt.Chart, headline: str, subtitle: str, description: str) -> alt.Chart:
    """Two titles (message in words, then what/where/when) and a screen-reader description."""
    return chart.properties(
        title=alt.TitleParams(text=headline, subtitle=subtitle, anchor="start", font=FONT, fontSize=16,
                              subtitleFont=FONT, subtitleFontSize=12, subtitleColor="#3D3D3D"),
        description=description,
    ).configure(  # one call, not one per part: each configure_* copies the whole chart (issue 10)
        font=FONT,
        axis=alt.AxisConfig(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12,
                            labelLimit=AXIS_LABEL_LIMIT),
        legend=alt.LegendConfig(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12),
        header=alt.HeaderConfig(labelFont=FONT, titleFont=FONT),
        view=alt.ViewConfig(strokeWidth=0),
    )
