"""Shared words and helpers for the barriers and completeness charts: scope, highlights, groups."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from jsw_explorer.charts.common import titled
from jsw_explorer.config import COMPLETENESS_BANDS, IMPACT_LABELS, SMALL_GROUP_SIZE

HIGHLIGHT_MARK = "★ "  # highlighted authorities are marked in labels, not only by colour
ILLUSTRATIVE_NOTE = "ILLUSTRATIVE DATA"
NO_CAUSATION = ("This is an association in the data shown, not evidence that one causes the other; in the "
                "illustrative dataset it reflects how the generator made the data.")


def scope_words(scope_size: int, peer_group_is_scotland: bool) -> str:
    """'all 32 authorities' or 'the 8 authorities in the peer group'."""
    return f"all {scope_size} authorities" if peer_group_is_scotland else f"the {scope_size} authorities in the peer group"


def marked(name: str, highlighted: bool) -> str:
    return f"{HIGHLIGHT_MARK}{name}" if highlighted else name


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def share_text(part: int, whole: int) -> str:
    return f"{part} of {whole} ({100 * part / whole:.0f}%)" if whole else f"{part} of {whole}"


def reporting_rule(min_impact: int) -> str:
    """How 'reports a theme' is counted, in words."""
    if min_impact <= 1:
        return "reported at any impact"
    names = [IMPACT_LABELS[i].lower() for i in range(min_impact, 4)]
    return f"reported with {' or '.join(names)} impact"


def impact_label(impact: int) -> str:
    return IMPACT_LABELS.get(int(impact), str(impact))


# --- Completeness bands ------------------------------------------------------------------------

def band_of(score: float) -> str:
    """The band label of a completeness score (thresholds in config.COMPLETENESS_BANDS)."""
    if pd.isna(score):
        return "not available"
    label = COMPLETENESS_BANDS[0][1]
    for lowest, name, _meaning in COMPLETENESS_BANDS:
        if score >= lowest:
            label = name
    return label


def band_table() -> pd.DataFrame:
    """The bands as a table: label, score range in words, meaning."""
    rows = []
    for position, (lowest, name, meaning) in enumerate(COMPLETENESS_BANDS):
        upper = COMPLETENESS_BANDS[position + 1][0] if position + 1 < len(COMPLETENESS_BANDS) else None
        scores = f"{lowest:g} to under {upper:g}" if upper is not None else f"{lowest:g} to 100"
        rows.append({"band": name, "scores": scores, "meaning": meaning})
    return pd.DataFrame(rows)


# --- Two groups of authorities: those that report a theme and those that do not --------------

def group_name(reports: bool) -> str:
    """Short group names; the theme itself is in the chart's titles."""
    return "Report it" if reports else "Do not report it"


def wrapped(text: str, width: int = 18) -> str:
    """Axis label split into lines at '|' (the charts' labelExpr splits on it)."""
    return "|".join(textwrap.wrap(text, width)) or text


def group_summary(frame: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """Per group (reports_theme True/False): authorities with a value, median, and a small-group flag."""
    rows = []
    for reports in (True, False):
        values = frame.loc[frame["reports_theme"] == reports, value_column].dropna()
        rows.append({"reports_theme": reports, "n": int(len(values)),
                     "median": float(values.median()) if len(values) else float("nan"),
                     "small": 0 < len(values) < SMALL_GROUP_SIZE})
    return pd.DataFrame(rows)


def group_axis_label(reports: bool, n: int, small: bool) -> str:
    label = f"{group_name(reports)} (n={n})"
    return label + ", small group" if small else label


def with_jitter(frame: pd.DataFrame, keys: list[str], value_column: str, step: float = 0.3) -> pd.DataFrame:
    """A deterministic 'jitter' column (-0.9 to 0.9) that spreads points sharing a value, so none hides another."""
    rank = frame.groupby([*keys, value_column], dropna=False).cumcount()
    size = frame.groupby([*keys, value_column], dropna=False)[value_column].transform("size")
    return frame.assign(jitter=((rank - (size - 1) / 2) * step).clip(-0.9, 0.9))


def titled_wrapped(chart, headline: str, subtitle: str, description: str):
    """charts.common.titled with the headline and subtitle wrapped onto lines, so long ones are never cut off.

    The chart's height is the height of its plot, not of the whole figure: Streamlit's theme fits the
    whole figure (titles and axis labels included) into the height, which squeezes charts with long
    titles or many rows. Width still fits the page; facets keep their own sizes.
    """
    framed = titled(chart, textwrap.wrap(headline, 95) or [headline], textwrap.wrap(subtitle, 150) or [subtitle],
                    description)
    fit = "pad" if isinstance(chart, alt.FacetChart) else "fit-x"
    return framed.properties(autosize=alt.AutoSizeParams(type=fit, contains="padding"))
