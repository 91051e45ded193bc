"""Coverage matrix (About the data): which indicator cells, by authority and year, are real, and which are not.

Each cell is published, council-reported, calculated, uploaded, illustrative, hidden or missing; the
status is written in the cell as a letter as well as coloured (never colour alone).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.charts.common import FONT, ChartWithText, states_status, titled

STATUSES = ["published", "council-reported", "calculated", "uploaded", "illustrative", "hidden", "missing"]
LETTERS = {"published": "P", "council-reported": "R", "calculated": "C", "uploaded": "U", "illustrative": "I",
           "hidden": "H", "missing": "–"}
COLOURS = {"published": "#12436D", "council-reported": "#28A197", "calculated": "#A285D1", "uploaded": "#F46A25",
           "illustrative": "#E1E1E1", "hidden": "#BFBFBF", "missing": "#FFFFFF"}
DARK = {"published", "council-reported"}  # white letters on these fills


def coverage_totals(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells per status: every year together, then each year; a Total row and column."""
    table = pd.crosstab(cells["period_label"], cells["status"]).reindex(columns=STATUSES, fill_value=0)
    order = cells.drop_duplicates("period_label").sort_values("period_key")["period_label"]
    table = table.loc[order]
    table.loc["All years"] = table.sum()
    table["total cells"] = table.sum(axis=1)
    return table.reset_index().rename(columns={"period_label": "period"})


def period_labels(cells: pd.DataFrame) -> dict[str, str]:
    """Each year with a cell, newest first: period -> its label."""
    periods = cells.drop_duplicates("period").sort_values("period_key", ascending=False)
    return dict(zip(periods["period"], periods["period_label"]))


def default_period(cells: pd.DataFrame) -> str:
    """The year with the most published cells (the real data first)."""
    published = cells.loc[cells["status"] == "published"]
    source = published if len(published) else cells
    return source.groupby("period")["gss_code"].count().sort_values(ascending=False).index[0]


def describe_coverage(frame: pd.DataFrame, period_label: str) -> str:
    counts = frame["status"].value_counts()
    indicators = frame["indicator"].nunique()
    text = (f"{indicators} indicators with any value in {period_label}, by the 32 authorities: {len(frame)} cells. "
            + ", ".join(f"{counts[s]} {s.upper() if s == 'illustrative' else s}" for s in STATUSES if s in counts)
            + ".")
    fully = (frame.assign(real=frame["status"].isin(["published", "calculated"]))
             .groupby("indicator")["real"].all())
    if fully.any():
        text += " Published for all 32 authorities: " + "; ".join(fully[fully].index) + "."
    return text


@states_status
def coverage_chart(cells: pd.DataFrame, period: str) -> ChartWithText:
    """Indicators (rows) by authority (columns) for one year, each cell's status as colour and letter."""
    frame = cells.loc[cells["period"] == period].copy()
    period_label = frame["period_label"].iloc[0] if len(frame) else period
    frame["letter"] = frame["status"].map(LETTERS)
    frame["letter_colour"] = frame["status"].map(lambda s: "white" if s in DARK else "#0B0C0C")
    rows = frame.drop_duplicates("indicator").sort_values("sort_order")["indicator"].tolist()
    columns = sorted(frame["authority"].unique())
    present = [s for s in STATUSES if s in set(frame["status"])]
    x = alt.X("authority:N", sort=columns, title=None, axis=alt.Axis(orient="top", labelAngle=-60, labelLimit=160,
                                                                  labelOverlap=False, labelFontSize=11))
    y = alt.Y("indicator:N", sort=rows, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False, labelFontSize=11))
    base = alt.Chart(frame).encode(x=x, y=y)
    cells_layer = base.mark_rect(stroke="#6F777B", strokeWidth=0.5).encode(
        color=alt.Color("status:N", title="Status (letter in the cell)", sort=present,  # square legend symbols
                        scale=alt.Scale(domain=present, range=[COLOURS[s] for s in present]),
                        legend=alt.Legend(symbolType="square", symbolStrokeColor="#6F777B", labelExpr=" + ".join(
                            [f"(datum.label == '{s}' ? '{LETTERS[s]} {s}' : '')" for s in present]))),
        tooltip=[alt.Tooltip("indicator:N", title="Indicator"), alt.Tooltip("authority:N", title="Authority"),
                 alt.Tooltip("period_label:N", title="Period"), alt.Tooltip("status:N", title="Status")])
    letters = base.mark_text(font=FONT, fontSize=10).encode(text="letter:N", color=alt.Color("letter_colour:N",
                                                                                           scale=None))
    chart = alt.layer(cells_layer, letters).properties(width=alt.Step(20), height=alt.Step(20))
    description = describe_coverage(frame, period_label)
    published = int((frame["status"] == "published").sum())
    headline = f"{published} of {len(frame)} indicator cells for {period_label} are published"
    subtitle = (f"Indicators by authority, {period_label}. P published, R council-reported, C calculated from "
                "published figures, U uploaded, I ILLUSTRATIVE, H hidden (disclosure control), – missing")
    table = frame[["indicator", "period_label", "authority", "status", "indicator_id", "gss_code"]]
    return ChartWithText(titled(chart, headline, subtitle, description), description, table)
