"""Shared chart pieces: the chart-with-words bundle, number formatting and the two-title frame."""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd

from jsw_explorer.fonts import FONT_STACK
from jsw_explorer.status import drawn_status, qualified

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
    """Two titles (message in words, then what/where/when) and a screen-reader description.

    The chart is the one a chart function is finishing: it is given its titles and configuration in
    place and returned. .properties() and .configure() copy the whole layered chart each time (an
    eighth of building a page's charts after a filter change, issue 10)."""
    chart.title = alt.TitleParams(text=headline, subtitle=subtitle, anchor="start", font=FONT, fontSize=16,
                                  subtitleFont=FONT, subtitleFontSize=12, subtitleColor="#3D3D3D")
    chart.description = description
    chart.config = alt.Config(
        font=FONT,
        axis=alt.AxisConfig(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12,
                            labelLimit=AXIS_LABEL_LIMIT),
        legend=alt.LegendConfig(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12),
        header=alt.HeaderConfig(labelFont=FONT, titleFont=FONT),
        view=alt.ViewConfig(strokeWidth=0),
    )
    return chart


STATUS_COLUMNS = ("source_kind", "status")  # where a chart's table says what each value is


def kinds_of(data: pd.DataFrame) -> list[str]:
    """Every status written in the chart's table (source kinds, or the words of a status column)."""
    return [v for column in STATUS_COLUMNS if column in data for v in data[column].dropna().astype(str)]


def with_status(result: ChartWithText) -> ChartWithText:
    """The chart with words that say exactly what it draws: the headline (title and first sentence
    of the description) prefixed "Illustrative data:" when any value is illustrative, and the
    description (also the screen-reader description) ending with the status of every value."""
    kinds = kinds_of(result.data)
    chart, description = result.chart, result.description
    title = getattr(chart, "title", alt.Undefined)
    lines = getattr(title, "text", None) if isinstance(title, alt.TitleParams) else None
    lines = [lines] if isinstance(lines, str) else list(lines) if isinstance(lines, list) and lines else None
    if lines:  # a one-line title, or a long one wrapped into lines
        headline = " ".join(lines)
        if qualified(headline, kinds) != headline:
            if description.startswith(headline):
                description = qualified(headline, kinds) + description[len(headline):]
            new_title = title.copy()
            # a wrapped title is wrapped again, as wide as before: the prefix would push its first line past
            # the chart's width, where Vega cuts it off mid-sentence
            new_title.text = (textwrap.wrap(qualified(headline, kinds), max(map(len, lines)))
                              if isinstance(title.text, list) else qualified(lines[0], kinds))
            chart.title = new_title
    description = f"{description.rstrip()} {drawn_status(kinds)}"
    chart.description = description  # in place, as in titled(): the chart function has just built it
    return replace(result, description=description)


def states_status(chart_function):
    """Decorator for every chart function: its ChartWithText names the status of what it draws."""

    @functools.wraps(chart_function)
    def wrapper(*args, **kwargs) -> ChartWithText:
        return with_status(chart_function(*args, **kwargs))

    wrapper.states_status = True
    return wrapper
