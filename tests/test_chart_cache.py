"""Chart specs are built once per query result and arguments, and image-export specs only on request
(issue 10: both were most of a chart page's rerun time)."""

from __future__ import annotations

import pandas as pd

import altair as alt
from streamlit.testing.v1 import AppTest

from helpers import ENTRYPOINT
from jsw_explorer import components
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.components import BuiltChart, query_chart, query_result
from jsw_explorer.data_access import run_query

BUILT: list[str] = []


def counted_trend(frame, label: str) -> ChartWithText:
    """A chart function that records each time it is really called."""
    BUILT.append(label)
    chart = alt.Chart(frame).mark_line().encode(x="period:N", y="value:Q")
    return ChartWithText(chart, f"{label}: {len(frame)} years", frame)


def first_rows(frame, count: int):
    return frame.head(count)


def test_a_chart_is_built_once_per_query_parameters_and_arguments():
    components._built_from_query.clear()
    BUILT.clear()
    first = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "orders")
    again = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "orders")
    assert BUILT == ["orders"]
    assert isinstance(first, BuiltChart) and first.spec == again.spec
    expected = run_query("scotland_trend", indicator="cpo_commenced")
    assert len(first.data) == len(expected) > 2
    assert [row["value"] for row in first.full_spec()["data"]["values"]] == list(expected["value"])

    query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_successful_completion_rate"}, "orders")
    query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "another label")
    assert BUILT == ["orders", "orders", "another label"]


def test_a_chart_of_part_of_a_query_result_is_keyed_by_what_selects_it():
    components._built_from_query.clear()
    two = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "part",
                      select=first_rows, select_args=(2,))
    three = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "part",
                        select=first_rows, select_args=(3,))
    assert (len(two.data), len(three.data)) == (2, 3)
    assert two.description == "part: 2 years"


def rows_also_in(frame, other):
    return frame.loc[frame["period"].isin(other["period"])]


def test_a_further_query_reaches_the_functions_as_its_rows_and_keys_the_cache_by_its_parameters():
    components._built_from_query.clear()
    BUILT.clear()
    few_years = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "joined",
                            select=rows_also_in, select_args=(query_result("authority_trend", authority="S12000047",
                                                                           indicator="cpo_commenced"),))
    other = run_query("authority_trend", authority="S12000047", indicator="cpo_commenced")
    assert 0 < len(few_years.data) and set(few_years.data["period"]) <= set(other["period"])
    query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "joined",
                select=rows_also_in, select_args=(query_result("authority_trend", authority="S12000047",
                                                               indicator="cpo_commenced"),))
    assert BUILT == ["joined"]


def test_the_image_export_spec_is_built_only_when_image_downloads_are_asked_for(monkeypatch):
    exported = []
    real = components.export_spec
    monkeypatch.setattr(components, "export_spec", lambda *args, **kwargs: exported.append(1) or real(*args, **kwargs))
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60).run()
    at.run()
    assert not at.exception and exported == []
    at.toggle(key="images-scotland-cpo-commenced").set_value(True).run()
    assert len(exported) == 1
    assert "Download chart (PNG)" in [b.proto.label for b in at.get("download_button")]


COUNTED: list[str] = []


def counted_rows(frame, label: str) -> int:
    COUNTED.append(label)
    return len(frame)


def test_a_value_derived_from_a_query_is_worked_out_once_per_query_and_arguments():
    from jsw_explorer.data_access import _derived, derived_from_query

    _derived.clear()
    COUNTED.clear()
    first = derived_from_query(counted_rows, "scotland_trend", {"indicator": "cpo_commenced"}, "rows")
    again = derived_from_query(counted_rows, "scotland_trend", {"indicator": "cpo_commenced"}, "rows")
    assert first == again == len(run_query("scotland_trend", indicator="cpo_commenced"))
    derived_from_query(counted_rows, "scotland_trend", {"indicator": "cpo_successful_completion_rate"}, "rows")
    assert COUNTED == ["rows", "rows"]


def test_the_outcomes_page_builds_each_chart_once_and_a_rerun_reuses_them(monkeypatch):
    """Its four charts are keyed by their queries' names and parameters (query_chart), never by hashing the
    DataFrames they are drawn from; a rerun with the same choices builds none of them again."""
    import streamlit as st

    from jsw_explorer.charts import common
    from page_helpers import chart_specs, open_page

    built, keyed_by = [], []
    real, cached = common.with_status, components._built_from_query
    monkeypatch.setattr(common, "with_status", lambda result: built.append(result.description) or real(result))
    monkeypatch.setattr(components, "_built_from_query", lambda *args: keyed_by.append(args[1][2]) or cached(*args))
    st.cache_data.clear()
    cached.clear()
    at = open_page("pages/outcomes.py", indicator="cpo_per_10000_pop_16_70", authority="S12000047")
    assert not at.exception and len(chart_specs(at)) == 4  # ranking, trend, funnel plot, map
    before = len(built)  # the Outcomes page's four and the home page's, which open_page runs first
    keyed_by.clear()
    at.run()
    assert not at.exception and len(chart_specs(at)) == 4
    assert keyed_by == ["outcome_values", "outcome_trend", "outcome_values", "map_areas"]
    assert len(built) == before


def test_a_caller_changing_a_query_result_never_changes_what_the_next_caller_gets():
    """Query results are cached shared (not copied per read): each caller gets a copy-on-write view."""
    first = run_query("authorities")
    name_column = first.columns[1]
    original = first.copy(deep=True)
    first.loc[first.index[0], name_column] = "Changed"
    first["extra"] = 1
    first.index.name = "changed"
    first.sort_values(name_column, ascending=False, inplace=False)
    again = run_query("authorities")
    pd.testing.assert_frame_equal(again, original)


def test_a_built_chart_is_shared_and_drawing_or_exporting_it_changes_nothing():
    import copy

    from jsw_explorer.components import export_spec

    components._built_from_query.clear()
    chart = query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "shared")
    before = copy.deepcopy(chart.spec)
    export_spec(chart.full_spec(), chart.data)
    assert query_chart(counted_trend, "scotland_trend", {"indicator": "cpo_commenced"}, "shared") is chart
    assert chart.spec == before
    assert copy.deepcopy(chart) is chart  # st.fragment deep-copies its arguments on every run: not this one
