"""Labels that say exactly what a value is: every chart names the status of what it draws, calculated
rates are labelled calculated (never published), illustrative rows are generated, and headlines
never state illustrative values as plain fact."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import pandas as pd
import pytest
import streamlit as st

import jsw_explorer.charts as charts_package
from jsw_explorer import briefing, components, status
from jsw_explorer.charts import common
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.data_access import open_read_only

from page_helpers import chart_specs, open_page

CHART_PAGES = [("pages/overview.py", {}), ("pages/barriers.py", {}), ("pages/completeness.py", {}),
               ("pages/outcomes.py", {}), ("pages/profile.py", {}), ("pages/compare.py", {}), ("pages/about.py", {}),
               # the reconviction rate (the default) has one cohort, so no trend: a ten-year indicator draws one
               ("pages/outcomes.py", {"indicator": "cpo_per_10000_pop_16_70"})]


def chart_functions() -> dict[str, object]:
    """Every public function in jsw_explorer.charts.* that returns a ChartWithText."""
    found = {}
    for module_info in pkgutil.iter_modules(charts_package.__path__):
        if module_info.name == "common":  # the helpers that add the status words
            continue
        module = importlib.import_module(f"jsw_explorer.charts.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            target = inspect.unwrap(function)
            if target.__module__ == module.__name__ and not name.startswith("_") \
                    and "ChartWithText" in str(inspect.signature(target).return_annotation):
                found[f"{module_info.name}.{name}"] = function
    return found


def test_every_chart_function_states_the_status_of_what_it_draws():
    functions = chart_functions()
    assert len(functions) >= 20
    undecorated = [name for name, function in functions.items() if not getattr(function, "states_status", False)]
    assert undecorated == []


@pytest.fixture(scope="module")
def chart_calls(database):
    """Run every page with charts over the real build output and record each chart function's
    table (with its statuses) and the words it ended up with."""
    calls: list[tuple[str, ChartWithText, ChartWithText]] = []
    original = common.with_status

    def recording(result: ChartWithText) -> ChartWithText:
        out = original(result)
        calls.append((sys._getframe(1).f_locals["chart_function"].__name__, result, out))
        return out

    common.with_status = recording
    specs = []
    try:
        st.cache_data.clear()  # chart functions are cached: make every page call them afresh
        components._built_from_query.clear()
        for page, settings in CHART_PAGES:
            at = open_page(page, authority="S12000047,S12000045", **settings)
            assert not at.exception, (page, at.exception)
            specs += chart_specs(at)
    finally:
        common.with_status = original
        st.cache_data.clear()
        components._built_from_query.clear()
    return calls, specs


def test_every_chart_function_runs_over_the_real_database(chart_calls):
    calls, _ = chart_calls
    called = {name for name, _, _ in calls}
    expected = {name.split(".")[1] for name in chart_functions()}
    assert expected <= called, f"not drawn by any page: {sorted(expected - called)}"


def test_each_chart_description_names_every_status_it_draws(chart_calls):
    calls, _ = chart_calls
    for name, before, after in calls:
        kinds = status.kinds_in(common.kinds_of(before.data))
        assert kinds, f"{name}: its table says nothing about status"
        for kind in kinds:
            assert status.STATUS_MEANINGS[kind] in after.description, (name, kind, after.description)
        assert after.chart.to_dict()["description"] == after.description  # the screen-reader description too
        if "illustrative" in kinds:
            title = after.chart.to_dict()["title"]["text"]
            first_line = title if isinstance(title, str) else title[0]
            assert first_line.startswith(status.ILLUSTRATIVE_PREFIX), (name, title)


def test_every_chart_on_every_page_says_what_its_values_are(chart_calls):
    _, specs = chart_calls
    assert len(specs) >= 20
    for spec in specs:
        assert "Values drawn:" in spec["description"] and "status not recorded" not in spec["description"], spec["description"]


def test_a_chart_of_published_figures_is_not_called_illustrative():
    frame = pd.DataFrame({"period": ["2022-23", "2023-24"], "value": [10.0, 12.0], "comparable": [True, True],
                          "source_kind": ["published", "published"]})
    from jsw_explorer.charts.overview import trend_chart

    result = trend_chart(frame, "Orders", "orders")
    assert "illustrative" not in result.description.lower()
    assert result.description.endswith(f"Values drawn: {status.STATUS_MEANINGS['published']}.")


# --- The database: calculated is calculated, illustrative is generated -----------------------

def fetch(database, sql):
    with open_read_only(database) as connection:
        return connection.execute(sql).df()


def test_rates_calculated_by_the_tool_are_never_labelled_published(database):
    rows = fetch(database, """
        select s.kind, count(*) as n from indicator_value as v join source as s using (source_id)
        where v.method = 'calculated' group by all""")
    kinds = dict(zip(rows["kind"], rows["n"]))
    assert "published" not in kinds
    assert kinds.get("calculated", 0) > 0


def test_illustrative_rows_are_generated_and_nothing_else_is(database):
    rows = fetch(database, """
        select s.kind, v.method, count(*) as n from indicator_value as v join source as s using (source_id)
        group by all""")
    illustrative = rows[rows["kind"] == "illustrative"]
    assert set(illustrative["method"]) <= {"generated", "calculated"} and "generated" in set(illustrative["method"])
    assert not rows[(rows["method"] == "generated") & (rows["kind"] != "illustrative")].shape[0]


def test_the_scotland_briefing_table_gives_each_value_its_own_status(database):
    from jsw_explorer.data_access import run_query

    latest = run_query("scotland_latest_indicators")
    assert "calculated" in set(latest["source_kind"]), "the Scotland rates the tool calculates say so"


def test_scotland_key_messages_name_ties_and_mark_illustrative_counts():
    domains = pd.DataFrame({"domain": ["Performance", "Quality", "Outcomes"], "median_score": [69.0, 38.0, 33.0],
                            "source_kind": "illustrative"})
    counts = pd.DataFrame({"theme": ["Restrictive information management systems", "Staffing issues", "Other"],
                           "authorities_reporting": [22, 22, 9], "authorities": 32, "source_kind": "illustrative"})
    trend = ChartWithText(None, "Trend sentence.", pd.DataFrame())
    messages = briefing.scotland_key_messages(domains, counts, trend)
    barrier = next(m for m in messages if "barrier" in m and "22" in m)
    assert barrier.startswith(status.ILLUSTRATIVE_PREFIX)
    assert "Restrictive information management systems" in barrier and "staffing issues" in barrier
    assert "22 of 32 authorities each" in barrier


def test_compare_tables_give_each_row_its_own_status():
    long = pd.DataFrame({"indicator": ["A", "A", "B", "B"], "source_kind": ["illustrative", "published",
                                                                           "published", "published"]})
    assert status.row_statuses(long, "indicator") == {"A": "published, illustrative", "B": "published"}


def test_briefing_table_rows_each_name_their_own_status(database):
    from jsw_explorer.data_access import run_query

    indicators = run_query("profile_indicators", authority="S12000047")
    table = briefing.indicator_table(indicators)
    shown = briefing.by_status(indicators)  # the table's own order: published first
    assert len(table) == len(shown) > 0
    for label, kind, method in zip(table["Status"], shown["source_kind"], shown["method"]):
        assert label.startswith(status.status_label(kind)), (label, kind)
        assert ("calculated" in label.lower()) == (method == "calculated" or kind == "calculated"), (label, method)
    assert any(label.startswith("ILLUSTRATIVE") for label in table["Status"])


def test_a_wrapped_headline_stays_as_wide_as_it_was_wrapped_once_marked_illustrative():
    import altair as alt

    from jsw_explorer.charts.outcomes import titled

    headline = "Published and ILLUSTRATIVE values of CPOs per 10 000 people aged 16-70 side by side (2022-23): no conclusion"
    chart = titled(alt.Chart(pd.DataFrame({"x": [1]})).mark_point(), headline, "subtitle", headline + ".")
    result = common.with_status(ChartWithText(chart, headline + ".", pd.DataFrame({"source_kind": ["illustrative"]})))
    lines = result.chart.to_dict()["title"]["text"]
    assert " ".join(lines) == status.ILLUSTRATIVE_PREFIX + headline
    assert max(map(len, lines)) <= 85  # as wide as outcomes.titled wraps: Vega would cut a longer line off


def test_no_chart_title_line_is_wider_than_its_chart_wraps_to(chart_calls):
    _, specs = chart_calls
    for spec in specs:
        text = spec.get("title", {}).get("text") if isinstance(spec.get("title"), dict) else None
        if isinstance(text, list):
            assert max(map(len, text)) <= 95, text  # the widest wrapping any chart uses (charts.groups)
