"""Streamlit building blocks shared by pages: status banner, chart with data tab, captions."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from jsw_explorer import served_files
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.data_access import result_key, run_query
from jsw_explorer.downloads import (XLSX_MIME, chart_spec, chart_to_png, chart_to_svg, publication_spec, to_csv_bytes,
                                    to_xlsx_bytes)
from jsw_explorer.status import ILLUSTRATIVE_WARNING, has_illustrative, status_sentence
from jsw_explorer.tables import COUNT_COLUMNS, DECIMAL_COLUMNS, formatted, label


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


def with_not_available(frame: pd.DataFrame) -> pd.DataFrame:
    """For showing a table: missing values read "not available" or [c] (never blank, None or zero), and
    numbers in a column with gaps are formatted by their unit (jsw_explorer.tables).

    A number column with gaps that has its words beside it (numerator and numerator_text) is left to the
    words on screen: Streamlit would show its gaps as "None". The downloads keep both."""
    shown = formatted(frame)
    worded = [column for column in shown.columns if f"{column}_text" in shown.columns
              and pd.api.types.is_numeric_dtype(shown[column]) and shown[column].isna().any()]
    return repeated_text_once(shown.drop(columns=worded))


def repeated_text_once(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that repeat (a source's title and address, a status, a note on every row) as categories,
    which Streamlit sends as Arrow dictionaries: each text once, not once per row. The table reads the same."""
    repeated = [column for column in frame.columns
                if (pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]))
                and len(frame) >= 8 and frame[column].nunique(dropna=False) <= len(frame) / 2]
    return frame.astype({column: "category" for column in repeated}) if repeated else frame


def column_config(frame: pd.DataFrame) -> dict:
    """Human labels (with units) and number formats for a table on screen; the data keeps machine names."""
    config = {}
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        if numeric and column in COUNT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label(column), format="localized")
        elif numeric and column in DECIMAL_COLUMNS:
            config[column] = st.column_config.NumberColumn(label(column), format="%.1f")
        elif numeric:
            config[column] = st.column_config.NumberColumn(label(column), format="localized")
        else:
            config[column] = st.column_config.Column(label(column))
    return config


@dataclass(frozen=True)
class ScreenTable:
    """A table as people see it, prepared once (a chart's is cached with it): the rows as shown, as Arrow;
    their labels and formats; the caption under it and whether any value is illustrative.

    Converting the table and writing its caption on every run was a fifth of a chart page's warm rerun."""

    rows: object  # pyarrow.Table of with_not_available(frame), as Streamlit itself converts a DataFrame
    config: dict
    caption: str
    illustrative: bool


@st.cache_resource(max_entries=500, show_spinner=False)
def screen_table(frame: pd.DataFrame, kind_column: str = "source_kind") -> ScreenTable:
    """The table prepared for people, once per content (hashing a small table costs far less than
    formatting it): tables that pages build on every run (Profile's, Compare's) are not prepared again."""
    shown = with_not_available(frame)
    kinds = frame[kind_column] if kind_column in frame else []
    return ScreenTable(as_arrow(shown), column_config(shown), source_caption_text(frame, kind_column),
                       has_illustrative(kinds))


def as_arrow(data) -> object:
    """Rows (a DataFrame or a list of records) as the Arrow table Streamlit itself would send: converted once
    and passed to Streamlit as Arrow, it is not converted again on every run."""
    import pyarrow as pa
    from streamlit import dataframe_util

    return pa.ipc.open_stream(dataframe_util.convert_anything_to_arrow_bytes(data)).read_all()


def people_table(frame: pd.DataFrame, prepared: ScreenTable | None = None) -> None:
    """A table for people: human column labels, consistent number formats, "not available" for gaps.
    `prepared` is screen_table(frame) when the caller has it already (BuiltChart keeps it)."""
    table = screen_table(frame) if prepared is None else prepared
    st.dataframe(table.rows, hide_index=True, width="stretch", column_config=table.config)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def source_caption(frame: pd.DataFrame, kind_column: str = "source_kind") -> None:
    """Where the numbers come from and their status, under every chart and table."""
    st.caption(source_caption_text(frame, kind_column))


def source_caption_text(frame: pd.DataFrame, kind_column: str = "source_kind") -> str:
    kinds = frame[kind_column] if kind_column in frame else []
    sources = []
    if {"source_title", "source_url"} <= set(frame.columns):
        for title, url in frame[["source_title", "source_url"]].drop_duplicates().itertuples(index=False):
            sources.append(f"[{title}]({url})" if isinstance(url, str) and url.startswith("http") else str(title))
    text = status_sentence(kinds)
    if sources:
        text += ". Source: " + "; ".join(sources[:4]) + (f" and {len(sources) - 4} more" if len(sources) > 4 else "")
    return text


@st.cache_data(max_entries=500, show_spinner=False)
def cached_png(spec: str) -> bytes:
    return chart_to_png(spec)


@st.cache_data(max_entries=500, show_spinner=False)
def cached_svg(spec: str) -> bytes:
    return chart_to_svg(spec)


def table_notes(table: pd.DataFrame, title: str, kind_column: str = "source_kind") -> tuple[str, ...]:
    """The words that travel with a downloaded table: what it is, its status, the warning."""
    kinds = table[kind_column] if kind_column in table else []
    notes = [title, status_sentence(kinds)]
    if has_illustrative(kinds):
        notes.append(ILLUSTRATIVE_WARNING.replace("**", ""))
    notes.append("Source details: see the source_* columns and the About the data page.")
    return tuple(notes)


def table_downloads(table: pd.DataFrame, file_stem: str, title: str, kind_column: str = "source_kind") -> None:
    """CSV and XLSX of a table; formula-like text is neutralised in both.

    The files are written when a button is pressed (Streamlit's deferred download), not on every run:
    writing them for every table on every rerun was over a third of a chart page's rerun (issue 10).
    """
    stem = slug(file_stem)
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button("Download table (CSV)", partial(to_csv_bytes, table), file_name=f"{stem}.csv",
                               mime="text/csv", key=f"csv-{stem}", on_click="ignore")
    xlsx_column.download_button("Download table (Excel)", partial(xlsx_file, table, stem[:31], title, kind_column),
                                file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"xlsx-{stem}", on_click="ignore")


def xlsx_file(table: pd.DataFrame, sheet: str, title: str, kind_column: str = "source_kind") -> bytes:
    """The Excel download of a table: the table under human labels and a Notes sheet."""
    return to_xlsx_bytes({sheet: table}, list(table_notes(table, title, kind_column)))


WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BuiltChart:
    """A chart as a page draws it: the final Vega-Lite spec (data inline), its description and its table.

    Built once and cached: building and serialising the Altair chart is most of a page's rerun time,
    and the spec dict is what the browser gets anyway. Treat `spec` and `data` as read-only.
    """

    spec: dict
    description: str
    data: pd.DataFrame
    screen: ScreenTable  # the table as the Data tab shows it, with its caption
    values: object = None  # the spec's top-level rows as an Arrow table, taken out of `spec` (see arrow_values)
    files: dict | None = None  # data the browser fetches by address (file name -> text; see by_address)

    def __deepcopy__(self, memo) -> BuiltChart:
        # Read-only and shared: st.fragment deep-copies its arguments on every run to rerun the fragment
        # later (image_downloads), which copied every chart's spec, rows and table (a sixteenth of a rerun).
        return self

    def full_spec(self) -> dict:
        """The spec with all its data back inline (for image files, drawn without the server)."""
        spec = with_data_inline(self.spec, self.files) if self.files else self.spec
        if self.values is None:
            return spec
        return {**spec, "data": {"values": self.values.to_pylist()}}


def arrow_values(spec: dict) -> tuple[dict, object]:
    """The spec without its top-level rows, and the rows as an Arrow table (or the spec as it is, and None).

    Streamlit moves a spec's top-level rows to Arrow on every call (records -> DataFrame -> Arrow, a fifth
    of a warm rerun on the Barriers page); done here once, the cached Arrow table is passed through as it
    is. What reaches the browser is the same. Layer data and GeoJSON stay inline in the spec.
    """
    data = spec.get("data")
    if not (isinstance(data, dict) and set(data) == {"values"} and isinstance(data["values"], list) and data["values"]):
        return spec, None
    first = data["values"][0]
    if not isinstance(first, dict) or first.get("type") == "Feature":
        return spec, None
    return {key: value for key, value in spec.items() if key != "data"}, as_arrow(data["values"])


def built(result: ChartWithText | BuiltChart) -> BuiltChart:
    """The final spec, words and table of a chart (the Altair object is not kept)."""
    if isinstance(result, BuiltChart):
        return result
    spec, values = arrow_values(inline_spec(result.chart))
    spec, files = by_address(spec)
    return BuiltChart(spec, result.description, result.data, screen_table(result.data), values, files or None)


SERVED_MIN_CHARS = 10_000  # data given as text (the map's boundaries) at least this long is fetched by address


def by_address(spec: dict) -> tuple[dict, dict[str, str]]:
    """The spec with each large inline text data (the map's TopoJSON) replaced by the address it is served
    at, and those texts by file name. The boundaries are the same for every indicator, year and filter, so
    the browser fetches them once instead of inside every map spec (107 KB of Outcomes' first visit)."""
    files: dict[str, str] = {}

    def swap(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), str) and len(data["values"]) >= SERVED_MIN_CHARS:
                name = served_files.file_name(data["values"])
                files[name] = data["values"]
                node = {**node, "data": {**{k: v for k, v in data.items() if k != "values"},
                                         "url": served_files.address(name)}}
            changed = {key: swap(value) for key, value in node.items() if isinstance(value, (dict, list))}
            return {**node, **changed} if any(changed[key] is not node[key] for key in changed) else node
        if isinstance(node, list):
            swapped = [swap(value) for value in node]
            return swapped if any(new is not old for new, old in zip(swapped, node)) else node
        return node

    return swap(spec), files


def with_data_inline(spec: dict, files: dict[str, str]) -> dict:
    """by_address undone: each served file's text back in the spec."""
    addresses = {served_files.address(name): text for name, text in files.items()}

    def restore(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("url") in addresses:
                node = {**node, "data": {**{k: v for k, v in data.items() if k != "url"}, "values": addresses[data["url"]]}}
            return {key: restore(value) if isinstance(value, (dict, list)) else value for key, value in node.items()}
        if isinstance(node, list):
            return [restore(value) for value in node]
        return node

    return restore(spec)


def function_name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _frozen(kwargs: dict) -> tuple:
    return tuple(sorted(kwargs.items()))


@dataclass(frozen=True)
class QueryResult:
    """A query's result named by what it depends on (data_access.result_key), to pass to query_chart as a
    further argument of the chart function: hashed by name and parameters, read only when the chart is built."""

    key: tuple

    def frame(self) -> pd.DataFrame:
        _path, _identity, name, params = self.key
        return run_query(name, **dict(params))


def query_result(name: str, **params: object) -> QueryResult:
    return QueryResult(result_key(name, **params))


def _resolved(value):
    return value.frame() if isinstance(value, QueryResult) else value


@st.cache_resource(max_entries=500, show_spinner=False)
def _built_from_query(chart: str, key: tuple, select: str, select_args: tuple, args: tuple, kwargs: tuple,
                      _chart_function, _select_function) -> BuiltChart:
    # The key is the query's identity (database file, query name, parameters), never its rows: hashing
    # DataFrames on every rerun cost as much as a third of what was left once specs were cached.
    # Shared, not copied (st.cache_resource): unpickling a copy on every read was a sixth of a warm
    # rerun. A BuiltChart is read-only: Streamlit and export_spec copy a spec before changing it.
    _path, _identity, name, params = key
    frame = run_query(name, **dict(params))
    if _select_function is not None:
        frame = _select_function(frame, *map(_resolved, select_args))
    return built(_chart_function(frame, *map(_resolved, args), **{k: _resolved(v) for k, v in kwargs}))


def query_chart(chart_function, query: str, params: dict, *args, select=None, select_args: tuple = (),
                **kwargs) -> BuiltChart:
    """chart_function(run_query(query, **params), *args, **kwargs), built once per query result and arguments.

    `select(frame, *select_args)` picks rows first (for a chart of part of a query's result, or of
    several joined). An argument given as query_result(name, **params) reaches the functions as that
    query's DataFrame but is keyed by its name and parameters. Other arguments are hashed by Streamlit
    (keep them small: strings, numbers, tuples, small dataclasses; a DataFrame is hashed row by row);
    the chart and select functions are keyed by their names, so they must depend only on their arguments.
    """
    return _built_from_query(function_name(chart_function), result_key(query, **params),
                             function_name(select) if select is not None else "", tuple(select_args), args,
                             _frozen(kwargs), chart_function, select)


def inline_spec(chart) -> dict:
    """The chart as a Vega-Lite dict with its data written inline.

    st.altair_chart ships named datasets separately, and the browser can draw a rerun's new spec
    before its new dataset arrives ("Unrecognized data set", seen under load in the load test);
    inline data travels with the spec. Skipping Altair's schema validation also saves ~15 ms per
    chart: the chart functions are tested, and Vega-Lite still checks the spec in the browser.
    """
    spec = chart.to_dict(validate=False)
    datasets = spec.pop("datasets", {})
    share_layer_rows(spec, datasets)

    def inline(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") in datasets:
                node["data"] = {"values": datasets[data["name"]]}
            for value in node.values():
                inline(value)
        elif isinstance(node, list):
            for value in node:
                inline(value)

    inline(spec)
    return without_unused_fields(spec)


def share_layer_rows(spec: dict, datasets: dict) -> None:
    """Put at the top of a layer chart the rows drawn by most of its layers, so they are sent once (Streamlit
    sends a spec's top rows as Arrow, each layer's inline). A layer drawing other rows names them itself."""
    layers = spec.get("layer")
    if not layers or "transform" in spec:
        return
    top = spec.get("data")
    used = [layer.get("data", top) for layer in layers]
    if any(data is None for data in used):  # a layer without rows draws once; given rows, it would draw per row
        return
    names = Counter(data["name"] for data in used if isinstance(data, dict) and data.get("name") in datasets)
    if not names:
        return
    name, count = max(names.items(), key=lambda item: (item[1], len(datasets[item[0]])))
    if count < 2 or top == {"name": name}:
        return
    spec["data"] = {"name": name}
    for layer, data in zip(layers, used):
        if data == spec["data"]:
            layer.pop("data", None)
        elif data is not None:
            layer["data"] = data


def without_unused_fields(spec: dict) -> dict:
    """The spec with each inline row (and GeoJSON feature's properties) cut to the fields the spec names.

    Chart functions pass whole query rows (source URLs, notes) although the marks and tooltips use a
    few fields: on Outcomes that was three quarters of the page's first-visit bytes. A field is kept if
    any word of the spec outside its rows names it (encodings, tooltips, transforms and expressions
    such as datum.value or datum['value']), so nothing the chart uses is lost. The Data tab and the
    downloads use the chart's own table, which keeps every column.
    """
    rows = []

    def collect(node, words):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "values" and isinstance(value, list) and value and isinstance(value[0], dict):
                    rows.append(value)
                    continue
                words.update([key, *WORD.findall(key)])
                collect(value, words)
        elif isinstance(node, list):
            for value in node:
                collect(value, words)
        elif isinstance(node, str):
            words.update([node, *WORD.findall(node)])  # a field named with spaces is a whole string

    words: set[str] = set()
    collect(spec, words)
    for values in rows:
        for position, row in enumerate(values):
            if row.get("type") == "Feature" and isinstance(row.get("properties"), dict):
                values[position] = {**row, "properties": {k: v for k, v in row["properties"].items() if k in words}}
            elif row.get("type") != "Feature":
                values[position] = {k: v for k, v in row.items() if k in words}
    return spec


def export_spec(chart, table: pd.DataFrame, kind_column: str = "source_kind") -> str:
    """The chart's spec (an Altair chart, or a spec dict as BuiltChart keeps it) with its status (and
    source) added under the subtitle, laid out for image files."""
    spec = json.loads(chart_spec(chart)) if hasattr(chart, "to_dict") else dict(chart)
    title = spec.get("title", {})
    title = {"text": title} if isinstance(title, str) else dict(title)
    subtitle = title.get("subtitle", [])
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    kinds = table[kind_column] if kind_column in table else []
    subtitle.append(status_sentence(kinds) + (". Generated, not real data." if has_illustrative(kinds) else ""))
    if {"source_title"} <= set(table.columns):
        sources = [str(t) for t in table["source_title"].dropna().unique()[:2]]
        if sources:
            subtitle.append("Source: " + "; ".join(sources))
    title["subtitle"] = subtitle
    spec["title"] = title
    return json.dumps(publication_spec(spec))


@st.fragment
def image_downloads(chart: BuiltChart, table: pd.DataFrame | None, kind_column: str, file_stem: str) -> None:
    """PNG and SVG made on the server when asked for (rendering every chart on every run is slow).

    The export spec itself is built only then, too: building it on every rerun was about half of a
    chart page's rerun time (issue 10). `table` is None for the chart's own table (chart.data), which
    the fragment then need not copy.
    """
    stem = slug(file_stem)
    if not st.toggle("Prepare image downloads (PNG, SVG)", key=f"images-{stem}"):
        return
    exported = export_spec(chart.full_spec(), chart.data if table is None else table, kind_column)
    png_column, svg_column = st.columns(2)
    png_column.download_button("Download chart (PNG)", cached_png(exported), file_name=f"{stem}.png",
                               mime="image/png", key=f"png-{stem}", on_click="ignore")
    svg_column.download_button("Download chart (SVG)", cached_svg(exported), file_name=f"{stem}.svg",
                               mime="image/svg+xml", key=f"svg-{stem}", on_click="ignore")


def chart_with_data(result: ChartWithText | BuiltChart, file_stem: str, table: pd.DataFrame | None = None,
                    kind_column: str = "source_kind") -> None:
    """A chart with its text description, a Data tab with the same numbers, downloads and the status.

    `result` is a chart function's ChartWithText, or a BuiltChart from query_chart (faster)."""
    chart = built(result)
    own_table = table is None and kind_column == "source_kind"
    table = chart.data if table is None else table
    screen = chart.screen if own_table else screen_table(table, kind_column)
    if screen.illustrative:
        st.warning(ILLUSTRATIVE_WARNING, icon="⚠️")
    chart_tab, data_tab = st.tabs(["Chart", "Data"])
    with chart_tab:
        if chart.files:
            served_files.serve(chart.files)
        st.vega_lite_chart(chart.values, chart.spec, width="stretch")
        st.markdown(f"**What this shows:** {chart.description}")
        image_downloads(chart, None if table is chart.data else table, kind_column, file_stem)
    with data_tab:
        people_table(table, screen)
        table_downloads(table, file_stem, chart.description.split(".")[0], kind_column)
    st.caption(screen.caption)
