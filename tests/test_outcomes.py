"""Outcomes page: queries, chart and description functions, and the page (AppTest), checked against the CSVs."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, ENTRYPOINT
from page_helpers import headline_of
from jsw_explorer import indicators
from jsw_explorer.charts import outcome_maps
from jsw_explorer.charts import outcomes as charts
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.funnel import Reference, peer_group_reference, scotland_reference
from jsw_explorer.indicators import CALCULATED, NOT_AVAILABLE, NOT_PUBLISHED, Indicator

DATA = APP_ROOT / "data"
COMPLETION = "cpo_successful_completion_rate"
CPO_RATE = "cpo_per_10000_pop_16_70"
FIFE, GLASGOW = "S12000047", "S12000049"


# --- Independent expectations from the source files ------------------------------------------

def authorities_csv() -> pd.DataFrame:
    return pd.read_csv(DATA / "local_authorities.csv", dtype=str)


def family_group(number: int) -> list[str]:
    frame = authorities_csv()
    return frame.loc[frame["lgbf_family_group_people_services"] == str(number), "gss_code"].tolist()


def illustrative_values(indicator: str, period: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / "illustrative" / "indicator_values.csv")
    return frame.loc[(frame["indicator_id"] == indicator) & (frame["period"] == period)]


def published_scotland(indicator: str, period: str) -> float:
    stats = pd.read_csv(DATA / "jsw_statistics.csv", dtype={"value": float})
    row = stats.loc[(stats["gss_code"] == "S92000003") & (stats["indicator"] == indicator) &
                    (stats["year"] == period) & (stats["preferred"].astype(str).str.upper() == "TRUE")]
    return float(row["value"].iloc[0])


def query(database, name: str, **params) -> pd.DataFrame:
    with open_read_only(database) as connection:
        return connection.execute(load_sql(name), params).df()


def indicator(database, indicator_id: str) -> Indicator:
    row = query(database, "outcome_indicators").set_index("indicator_id").loc[indicator_id]
    return Indicator.from_row(row.to_dict() | {"indicator_id": indicator_id})


# --- Queries ---------------------------------------------------------------------------------

def test_picker_lists_indicators_with_authority_values_and_leaves_scotland_only_ones_out(database):
    indicators = query(database, "outcome_indicators")
    ids = set(indicators["indicator_id"])
    assert {COMPLETION, CPO_RATE, "cpo_commenced", "dtto_commenced", "upw_hours_imposed"} <= ids
    assert "cpo_in_force_31_march" not in ids  # published for Scotland only
    assert list(indicators["category"].unique())[:2] == ["Orders and volumes", "Unpaid work"]


def test_periods_offered_are_those_with_authority_values_newest_first(database):
    assert list(query(database, "outcome_periods", indicator="upw_hours_imposed")["period"]) == ["2022-23"]
    completion = query(database, "outcome_periods", indicator=COMPLETION)
    expected = sorted(set(pd.read_csv(DATA / "illustrative" / "indicator_values.csv").query(
        "indicator_id == @COMPLETION")["period"]), reverse=True)
    assert list(completion["period"]) == expected
    assert "2020-21" not in expected


def test_values_for_a_family_group_are_its_eight_authorities_with_numerators(database):
    codes = family_group(4)
    frame = query(database, "outcome_values", indicator=COMPLETION, period="2023-24", scope=codes)
    expected = illustrative_values(COMPLETION, "2023-24").set_index("gss_code").loc[codes]
    assert sorted(frame["gss_code"]) == sorted(codes)
    merged = frame.set_index("gss_code").loc[codes]
    assert (merged["value"] == expected["value"]).all()
    assert (merged["numerator"] == expected["numerator"]).all()
    assert (merged["denominator"] == expected["denominator"]).all()
    assert merged["source_kind"].eq("illustrative").all()


# --- Ranking ---------------------------------------------------------------------------------

def ranking_for_group(database, number: int, period: str = "2023-24"):
    codes = family_group(number)
    ind = indicator(database, COMPLETION)
    values = query(database, "outcome_values", indicator=COMPLETION, period=period, scope=codes)
    scotland = query(database, "outcome_scotland_value", indicator=COMPLETION, period=period)
    table = indicators.prepare_values(values, ind, (FIFE,))
    references = [scotland_reference(scotland["value"].iloc[0], values, ind.value_type),
                  peer_group_reference(table, ind.value_type)]
    return charts.ranking_chart(table, ind, period, "the 8 authorities in the peer group", references), table


def rule_values(chart_dict: dict) -> list[float]:
    """x positions of the reference rules drawn in a layered chart."""
    values = []
    for layer in chart_dict["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if mark == "rule":
            name = layer["data"]["name"]
            values += [row["value"] for row in chart_dict["datasets"][name]]
    return values


def test_ranking_for_a_family_group_is_sorted_with_scotland_and_pooled_peer_lines(database):
    result, table = ranking_for_group(database, 3)
    expected = illustrative_values(COMPLETION, "2023-24").set_index("gss_code").loc[family_group(3)]
    names = authorities_csv().set_index("gss_code")["name"]
    expected_order = [names[c] for c in expected.sort_values("value", ascending=False).index]
    assert list(result.data["authority"]) == expected_order
    ranks = expected["value"].rank(ascending=False, method="min").astype(int)
    assert dict(zip(result.data["gss_code"], result.data["rank"])) == {c: f"{r} of 8" for c, r in ranks.items()}
    pooled = 100 * expected["numerator"].sum() / expected["denominator"].sum()
    scotland = published_scotland(COMPLETION, "2023-24")
    drawn = rule_values(result.chart.to_dict())
    assert drawn[0] == pytest.approx(scotland) and drawn[1] == pytest.approx(pooled)
    assert f"Scotland: {scotland:.1f}%" in result.description
    assert f"Peer group: {pooled:.1f}% (pooled: sum of numerators ÷ sum of denominators over 8 authorities)" in result.description


def test_ranking_shows_numerators_denominators_and_status_with_every_rate(database):
    result, table = ranking_for_group(database, 3)
    row = table.iloc[0]
    label = indicators.bar_label(row, indicator(database, COMPLETION))
    assert label == f"{row['value']:.1f}% ({row['numerator']:,.0f} / {row['denominator']:,.0f}), illustrative"
    assert {"numerator_text", "denominator_text", "status", "method_text", "source_kind"} <= set(result.data.columns)


def test_highlighted_authority_is_named_with_its_rank_in_the_headline(database):
    result, table = ranking_for_group(database, 3)  # Fife is in people-services family group 3
    fife = table.set_index("gss_code").loc[FIFE]
    assert headline_of(result.chart.to_dict()).startswith(f"Fife ranks {fife['rank']}")


def fixture_values() -> pd.DataFrame:
    return pd.DataFrame({
        "gss_code": ["A", "B", "C"], "authority": ["Alpha", "Beta", "Gamma"], "population_16_70": [1000, 2000, 3000],
        "period": "2023-24", "value": [40.0, None, 25.0], "numerator": [4.0, None, None],
        "denominator": [1000.0, None, None], "method": ["calculated", None, "as_published"], "suppressed": False,
        "source_kind": ["illustrative", None, "published"], "source_title": "t", "source_url": "u", "note": None,
    })


RATE = Indicator("x_per_10000", "X per 10 000", "per 10 000 population aged 16-70", "rate", None)


def test_missing_values_read_not_available_and_are_never_zero():
    table = indicators.prepare_values(fixture_values(), RATE)
    beta = table.set_index("authority").loc["Beta"]
    assert pd.isna(beta["value"]) and beta["value_text"] == NOT_AVAILABLE
    assert beta["numerator_text"] == NOT_AVAILABLE and beta["status"] == NOT_AVAILABLE and beta["rank"] == NOT_AVAILABLE
    assert list(table["authority"]) == ["Alpha", "Gamma", "Beta"], "missing values go last, not ranked as zero"
    result = charts.ranking_chart(table, RATE, "2023-24", "three authorities", [])
    assert "Not available: Beta." in result.description
    assert indicators.bar_label(beta, RATE) == NOT_AVAILABLE


def test_a_rate_published_without_its_numbers_says_so_and_calculated_rates_are_labelled():
    table = indicators.prepare_values(fixture_values(), RATE).set_index("authority")
    assert table.at["Gamma", "numerator_text"] == NOT_PUBLISHED and table.at["Gamma", "method_text"] == "as published"
    assert table.at["Alpha", "method_text"] == CALCULATED == "calculated by this tool (NRS mid-2022, aged 16-70)"
    assert table.at["Alpha", "denominator_text"] == "1,000"


def test_calculated_rates_use_the_nrs_mid_2022_population_as_denominator(database):
    ind = indicator(database, CPO_RATE)
    values = query(database, "outcome_values", indicator=CPO_RATE, period="2023-24", scope=[FIFE])
    table = indicators.prepare_values(values, ind)
    population = pd.read_csv(DATA / "population.csv").set_index("gss_code").at[FIFE, "population_16_70"]
    row = table.iloc[0]
    assert row["method_text"] == CALCULATED and row["denominator"] == population
    assert row["value"] == pytest.approx(round(10_000 * row["numerator"] / population, 1))


# --- Trend -----------------------------------------------------------------------------------

def test_trend_without_a_selection_shows_the_peer_group_median_and_scotland(database):
    codes = tuple(family_group(4))
    ind = indicator(database, CPO_RATE)
    trend = query(database, "outcome_trend", indicator=CPO_RATE)
    series = indicators.trend_series(trend, ind, (), codes, {})
    assert set(series["series"]) == {"Peer group median (8 authorities)", "Scotland"}
    medians = series.loc[series["role"] == "peer"].set_index("period")["value"]
    rates = trend.loc[trend["gss_code"].isin(codes)].groupby("period")["value"].median()
    assert medians.to_dict() == pytest.approx(rates.to_dict())
    result = charts.outcome_trend_chart(series, ind, "the 8 authorities in the peer group")
    assert "2020-21 and 2021-22 are shaded: COVID-19" in result.description
    assert set(series.loc[~series["comparable"].astype(bool), "period"]) == {"2020-21", "2021-22"}


def test_trend_with_selected_authorities_draws_each_against_scotland(database):
    ind = indicator(database, "cpo_commenced")
    trend = query(database, "outcome_trend", indicator="cpo_commenced")
    series = indicators.trend_series(trend, ind, (FIFE, GLASGOW), tuple(trend["gss_code"].unique()),
                                 {FIFE: "Fife", GLASGOW: "Glasgow City"})
    assert list(dict.fromkeys(series["series"])) == ["Fife", "Glasgow City", "Scotland (median authority)"]
    fife = series.loc[series["series"] == "Fife"].set_index("period")["value"]
    counts = pd.read_csv(DATA / "illustrative" / "indicator_values.csv").query(
        "indicator_id == 'cpo_commenced' and gss_code == @FIFE").set_index("period")["value"]
    assert fife.loc[counts.index].tolist() == counts.tolist()


# --- Funnel ----------------------------------------------------------------------------------

def funnel_fixture() -> pd.DataFrame:
    """Around a 70% target with n = 100 (limits by hand in test_funnel.py)."""
    values = [85.0, 80.0, 62.0, 60.0, 50.0]
    return pd.DataFrame({
        "gss_code": list("ABCDE"), "authority": ["Aird", "Bute", "Coll", "Duns", "Elgin"], "population_16_70": 9_999,
        "period": "2023-24", "value": values, "numerator": values, "denominator": [100.0] * 5,
        "method": "as_published", "suppressed": False, "source_kind": "illustrative", "source_title": "t",
        "source_url": "u", "note": None})


PERCENT = Indicator("p", "Completion", "percent of orders terminated", "percent", True)


def test_funnel_names_the_authorities_outside_the_limits():
    table = indicators.prepare_values(funnel_fixture(), PERCENT)
    result = charts.funnel_chart(table, Reference("Scotland", 70.0, "the Scotland value"), PERCENT, "2023-24", "x")
    headline = headline_of(result.chart.to_dict())
    assert headline == "Aird and Elgin are outside the 99.8% limits around Scotland"
    assert "Above the 99.8% limit: Aird 85.0%" in result.description
    assert "Below the 99.8% limit: Elgin 50.0%" in result.description
    assert "above: Bute 80.0%" in result.description and "below: Duns 60.0%" in result.description
    assert "Within the 95% limits: 1." in result.description
    limits = result.data.set_index("authority")
    assert limits.at["Coll", "lower_95"] == pytest.approx(61.02, abs=0.01)
    assert limits.at["Coll", "upper_998"] == pytest.approx(84.16, abs=0.01)


def test_funnel_headline_when_everyone_is_within_the_limits():
    table = indicators.prepare_values(funnel_fixture().assign(value=[71.0, 69.0, 70.0, 72.0, 68.0]), PERCENT)
    result = charts.funnel_chart(table, Reference("Scotland", 70.0, "x"), PERCENT, "2023-24", "x")
    assert headline_of(result.chart.to_dict()) == "All 5 authorities are within the 95% limits around Scotland"


# --- Map -------------------------------------------------------------------------------------

def test_map_data_has_all_32_areas_with_their_values(database):
    ind = indicator(database, CPO_RATE)
    codes = authorities_csv()["gss_code"].tolist()
    values = query(database, "outcome_values", indicator=CPO_RATE, period="2022-23", scope=codes)
    frame = indicators.map_table(query(database, "map_areas"), indicators.prepare_values(values, ind), tuple(family_group(4)))
    shading = outcome_maps.map_shading(frame, 0, 100).set_index("gss_code")
    assert len(shading) == 32 and shading.at[GLASGOW, "coloured"] and not shading.at[FIFE, "coloured"]  # Fife: not people-4
    result = outcome_maps.map_chart(frame, ind, "2022-23", "x")
    spec = result.chart.to_dict()
    choropleth = spec["hconcat"][0]
    assert choropleth["data"]["format"] == {"type": "topojson", "feature": "areas"}
    areas = json.loads(choropleth["data"]["values"])["objects"]["areas"]["geometries"]
    assert [area["properties"] for area in areas] == [{"gss_code": code} for code in sorted(codes)]  # geometry only
    lookup = choropleth["transform"][0]
    assert lookup["lookup"] == "properties.gss_code"
    rows = {row["gss_code"]: row for row in spec["datasets"][lookup["from"]["data"]["name"]]}
    assert set(rows) == set(codes) and rows[GLASGOW]["coloured"] and not rows[FIFE]["coloured"]
    assert set(lookup["from"]["fields"]) == set(outcome_maps.MAP_FIELDS)
    assert "The 24 areas outside the peer group are grey." in result.description
    assert len(result.data) == 32 and result.data["value_text"].ne(NOT_AVAILABLE).all()


# --- The page (AppTest) ----------------------------------------------------------------------

def outcomes_page(**query_params) -> AppTest:
    """The outcomes page opened straight from a link (its first run is on this page)."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.switch_page("pages/outcomes.py").run()


def link_notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "link" in w.value]


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def descriptions(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**What this shows:**")]


RECONVICTION = "reconviction_rate"
ORACLE = APP_ROOT / "tests" / "oracle_reconviction_2017_18_by_council_of_residence.csv"


def test_page_opens_on_the_published_reconviction_rate_for_all_32_authorities_with_all_four_views():
    at = outcomes_page()
    assert not at.exception and not link_notices(at)
    assert at.selectbox(key="indicator").value == RECONVICTION
    assert at.selectbox(key="period").value == "2017-18"
    assert len(descriptions(at)) == 3  # ranking, funnel, map: one cohort, so no trend chart
    assert any("published for one period only (2017-18)" in i.value for i in at.info)
    oracle = pd.read_csv(ORACLE, dtype=str).set_index("gss_code")
    ranking = next(t for t in tables(at) if "rank" in t.columns).set_index("gss_code")
    assert len(ranking) == 32 and ranking["status"].eq("published").all()
    assert (ranking["value"] == oracle.loc[ranking.index, "reconviction_rate_pct"].astype(float)).all()
    funnel = next(t for t in tables(at) if "funnel_denominator" in t.columns).set_index("gss_code")
    assert len(funnel) == 32  # the denominator is the offenders in the cohort: Orkney 63, Glasgow 4,362
    assert (funnel["funnel_denominator"] == oracle.loc[funnel.index, "offenders"].astype(float)).all()
    assert all("Status of the values drawn: 32 published." in d for d in descriptions(at) if "Map of" in d
               or "control limits" in d), "the ranking, funnel and map say what status they draw"
    assert any("Status of the values drawn: 32 published." in d for d in descriptions(at))
    caveats = " ".join(m.value for m in at.markdown)
    assert "Experimental Statistics" in caveats and "about 20%" in caveats and "court-based" in caveats
    assert any("How to read this funnel plot" in e.label for e in at.expander)
    assert any("UK-GeoJSON" in c.value and "CC BY 4.0" in c.value for c in at.caption)


def test_the_completion_rate_opens_in_its_latest_year_from_a_link():
    at = outcomes_page(indicator=COMPLETION)
    assert not at.exception and not link_notices(at)
    assert at.selectbox(key="period").value == "2024-25"
    assert len(descriptions(at)) == 4
    assert any("Share of CPOs terminated" in m.value for m in at.markdown)
    assert any("higher is better" in m.value for m in at.markdown)


def test_changing_the_indicator_moves_the_period_to_one_it_has_without_a_notice():
    at = outcomes_page(indicator=COMPLETION)
    at.selectbox(key="period").select("2016-17").run()
    assert at.query_params["period"] == "2016-17"
    at.selectbox(key="indicator").select("upw_hours_imposed").run()
    assert not at.exception and not link_notices(at)
    assert at.query_params["indicator"] == "upw_hours_imposed"
    assert at.selectbox(key="period").value == "2022-23"
    assert at.selectbox(key="period").options == ["2022-23"]
    assert any("a count" in i.value for i in at.info), "counts get no funnel plot, with a reason"


def test_indicator_and_period_from_a_link_are_used_and_covid_years_are_flagged():
    at = outcomes_page(indicator=CPO_RATE, period="2021-22", group="people-4", authority=GLASGOW)
    assert not at.exception and not link_notices(at)
    assert at.selectbox(key="indicator").value == CPO_RATE and at.selectbox(key="period").value == "2021-22"
    assert any("2021-22" in w.value and "COVID-19" in w.value for w in at.warning)
    ranking = next(t for t in tables(at) if "rank" in t.columns)
    assert len(ranking) == 8 and set(ranking["gss_code"]) == set(family_group(4))
    assert ranking["method_text"].eq(CALCULATED).all()
    assert any("Glasgow City: 37.3, ranked" in d for d in descriptions(at))


def test_a_bad_indicator_in_a_link_falls_back_with_a_notice():
    at = outcomes_page(indicator="<script>", period="1999-00")
    assert not at.exception
    assert at.selectbox(key="indicator").value == RECONVICTION
    assert len(link_notices(at)) == 2
    assert all("<script>" not in w for w in link_notices(at))


def test_missing_values_appear_as_not_available_on_the_page():
    # council-reported CPOs imposed: only Dundee City and East Dunbartonshire reported 2023-24
    at = outcomes_page(indicator="council_reported_cpo_imposed", period="2023-24")
    assert not at.exception
    ranking = next(t for t in tables(at) if "rank" in t.columns)
    shown = ranking.set_index("gss_code")
    assert shown.loc[["S12000042", "S12000045"], "value_text"].tolist() == ["553", "160"]
    others = shown.drop(index=["S12000042", "S12000045"])
    assert len(others) == 30 and others["value_text"].eq(NOT_AVAILABLE).all()
    assert "value" not in shown  # a number column with gaps is left to its words on screen (no "None" cells)
    map_data = next(t for t in tables(at) if "tile_row" in t.columns)
    assert map_data["value_text"].eq(NOT_AVAILABLE).sum() == 30
    assert any("Not available:" in d for d in descriptions(at))


def test_changing_the_peer_group_reranks_within_the_group():
    at = outcomes_page(indicator=COMPLETION, period="2023-24")
    at.selectbox(key="group").select("people-3").run()
    ranking = next(t for t in tables(at) if "rank" in t.columns)
    assert len(ranking) == 8 and ranking["rank"].iloc[0] == "1 of 8"
    assert any("Peer group:" in d for d in descriptions(at))


def test_a_link_to_the_page_works_as_the_first_request_to_a_fresh_server(monkeypatch):
    # A fresh Streamlit process treats an app with a pages/ folder as a legacy multipage app until
    # st.navigation has run once, and would run pages/outcomes.py without the entry point.
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    monkeypatch.setattr(app_test, "PagesManager", PagesManager)  # AppTest's own reset: legacy routing on
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    at = outcomes_page(indicator=CPO_RATE, period="2022-23")
    assert not at.exception and not link_notices(at)
    assert at.selectbox(key="indicator").value == CPO_RATE and at.selectbox(key="period").value == "2022-23"
    assert at.multiselect(key="authority").value == [], "the sidebar filter was drawn by streamlit_app.py"


def test_a_suppressed_value_is_not_available_and_says_why():
    values = fixture_values().assign(suppressed=[False, True, False])
    table = indicators.prepare_values(values, RATE).set_index("authority")
    assert table.at["Beta", "value_text"] == "[c] hidden: small number"
    assert pd.isna(table.at["Beta", "value"])


def test_a_selected_authority_with_no_values_is_named_in_the_trend_description(database):
    ind = indicator(database, "council_reported_cpo_imposed")
    trend = query(database, "outcome_trend", indicator="council_reported_cpo_imposed")
    series = indicators.trend_series(trend, ind, ("S12000042", FIFE), (), {"S12000042": "Dundee City", FIFE: "Fife"})
    assert set(series["series"]) == {"Dundee City"}
    result = charts.outcome_trend_chart(series, ind, "x", ("Fife",))
    assert "Fife: not available in any year." in result.description
    assert "Dundee City rose from 591 in 2017-18 to 553 in 2023-24" not in result.description
    assert "Dundee City fell from 591 in 2017-18 to 553 in 2023-24" in result.description


def test_trend_with_no_values_for_the_selection_is_empty_not_an_error(database):
    ind = indicator(database, "council_reported_cpo_imposed")
    trend = query(database, "outcome_trend", indicator="council_reported_cpo_imposed")
    series = indicators.trend_series(trend, ind, (FIFE,), tuple(family_group(3)), {FIFE: "Fife"})
    assert series.empty


def test_every_indicator_in_the_picker_renders_in_every_period_for_a_family_group(database):
    at = outcomes_page(group="other-1", authority=f"{FIFE},S12000027")
    indicator_ids = list(query(database, "outcome_indicators")["indicator_id"])
    assert len(at.selectbox(key="indicator").options) == len(indicator_ids)
    for indicator_id in indicator_ids:
        previous = at.selectbox(key="period").value
        at.selectbox(key="indicator").select(indicator_id).run()
        periods = list(query(database, "outcome_periods", indicator=indicator_id)["period"])
        expected = previous if previous in periods else periods[0]  # the year is kept if the indicator has it
        assert at.selectbox(key="period").value == expected
        for period in sorted({periods[0], periods[-1]}):
            at.selectbox(key="period").select(period).run()
            assert not at.exception, (indicator_id, period)
            assert not link_notices(at), (indicator_id, period)
            assert descriptions(at) or at.info, (indicator_id, period)


def test_no_table_on_any_page_shows_a_gap_as_none_or_a_blank():
    """Streamlit draws a missing number as a grey "None": every table for people says "not available" (or
    why a cell has nothing), never None or an empty cell."""
    from page_helpers import open_page

    for page, params in [("outcomes", {"indicator": "council_reported_cpo_imposed", "period": "2023-24"}),
                         ("outcomes", {"indicator": COMPLETION, "period": "2023-24", "authority": "S12000047"}),
                         ("profile", {"authority": "S12000047"}), ("about", {}), ("compare", {"authority": "S12000047"}),
                         ("overview", {"authority": "S12000047"}), ("barriers", {"authority": "S12000047"}), ("completeness", {})]:
        at = open_page(f"pages/{page}.py", **params)
        assert not at.exception
        for table in tables(at):
            gaps = [column for column in table.columns if table[column].isna().any()]
            assert not gaps, f"{page}: {gaps} show None"
            blank = [column for column in table.columns if table[column].astype(str).str.strip().eq("").any()]
            assert not blank, f"{page}: {blank} have blank cells"
