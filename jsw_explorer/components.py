"""Streamlit building blocks shared by pages: status banner, chart with data tab, captions."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.downloads import to_csv_bytes
from jsw_explorer.status import ILLUSTRATIVE_WARNING, has_illustrative, status_sentence


def status_banner(build_status: pd.DataFrame) -> None:
    """Every page: which data is published and which illustrative, and when the database was built."""
    if build_status.empty:
        st.error("The database holds no build record; rebuild it with `python -m jsw_explorer.build`.")
        return
    row = build_status.iloc[0]
    built = pd.Timestamp(row["built_at"]).strftime("%d %B %Y %H:%M UTC")
    parts = [f"{int(row['published_rows']):,} published", f"{int(row['council_reported_rows']):,} council-reported",
             f"{int(row['illustrative_rows']):,} illustrative"]
    if row["uploaded_rows"]:
        parts.append(f"{int(row['uploaded_rows']):,} uploaded")
    if not row["uploaded_rows"]:
        per_authority = ("Per-authority barriers and evidence completeness, and most per-authority indicator "
                         "values, are **illustrative: generated, not real**.")
    elif row["illustrative_rows"]:
        per_authority = ("Some per-authority values come from **uploaded returns**; the rest are "
                         "**illustrative: generated, not real**. Each chart and table says which.")
    else:
        per_authority = "Per-authority values come from **uploaded returns**; none are illustrative."
    st.caption(
        f"**Data status:** Scotland figures are published statistics. {per_authority} "
        f"Rows: {', '.join(parts)}. Database built {built}."
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def source_caption(frame: pd.DataFrame, kind_column: str = "source_kind") -> None:
    """Where the numbers come from and their status, under every chart and table."""
    kinds = frame[kind_column] if kind_column in frame else []
    sources = []
    if {"source_title", "source_url"} <= set(frame.columns):
        for title, url in frame[["source_title", "source_url"]].drop_duplicates().itertuples(index=False):
            sources.append(f"[{title}]({url})" if isinstance(url, str) and url.startswith("http") else str(title))
    text = status_sentence(kinds)
    if sources:
        text += ". Source: " + "; ".join(sources[:4]) + (f" and {len(sources) - 4} more" if len(sources) > 4 else "")
    st.caption(text)


def chart_with_data(result: ChartWithText, file_stem: str, table: pd.DataFrame | None = None,
                    kind_column: str = "source_kind") -> None:
    """A chart with its text description, a Data tab with the same numbers, a CSV and the status."""
    table = result.data if table is None else table
    if kind_column in table and has_illustrative(table[kind_column]):
        st.warning(ILLUSTRATIVE_WARNING, icon="⚠️")
    chart_tab, data_tab = st.tabs(["Chart", "Data"])
    with chart_tab:
        st.altair_chart(result.chart, use_container_width=True)
        st.markdown(f"**What this shows:** {result.description}")
    with data_tab:
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button("Download this table (CSV)", to_csv_bytes(table), file_name=f"{slug(file_stem)}.csv",
                           mime="text/csv", key=f"csv-{slug(file_stem)}")
    source_caption(table, kind_column)
