"""Published figures on the pages: the profile leads with them, About counts them in a coverage matrix."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, ENTRYPOINT
from jsw_explorer.charts.coverage import coverage_chart, coverage_totals
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.summary import published_figures, published_sentences

ORACLE = APP_ROOT / "tests" / "oracle_reconviction_2017_18_by_council_of_residence.csv"
FIFE, SHETLAND = "S12000047", "S12000027"


def query(database, name: str, **params) -> pd.DataFrame:
    with open_read_only(database) as connection:
        return connection.execute(load_sql(name), params).df()


def oracle() -> pd.DataFrame:
    frame = pd.read_csv(ORACLE, dtype={"gss_code": str}, keep_default_na=False)
    return frame.loc[frame["gss_code"].str.startswith("S12")]


def test_published_figures_give_rank_scotland_and_funnel_position_from_the_oracle(database):
    figures = published_figures(query(database, "profile_published", authority=SHETLAND)).set_index("indicator_id")
    rates = oracle().set_index("gss_code")["reconviction_rate_pct"]
    expected_rank = int((rates > rates[SHETLAND]).sum()) + 1
    row = figures.loc["reconviction_rate"]
    assert row["value"] == rates[SHETLAND] and row["status"] == "published"
    assert row["rank"] == f"{expected_rank} of 32 (1 = highest)"
    assert row["scotland_text"] == "26.3%"
    # 11.8% of 119 offenders against 26.3%: below 26.3 - 3.09 * sqrt(26.3 * 73.7 / 119) = 14.1
    assert row["funnel_position"].startswith("below the 99.8%")
    crimes = figures.loc["crimes_recorded"]
    assert crimes["trend"].endswith("in 2024-25") and crimes["trend"].split(" in ")[1].startswith("2015-16")


def test_published_ranks_are_never_among_illustrative_values(database):
    figures = published_figures(query(database, "profile_published", authority="S12000042"))  # Dundee City
    rate = figures.set_index("indicator_id").loc["cpo_per_10000_pop_16_70"]
    published_rates = query(database, "outcome_values", indicator="cpo_per_10000_pop_16_70", period="2022-23",
                            scope=list(oracle()["gss_code"]))
    expected = int((published_rates["source_kind"] == "published").sum())
    assert rate["rank"].endswith(f" of {expected} (1 = highest)") and expected < 32


def test_sentences_lead_with_the_reconviction_rate_and_say_published(database):
    figures = published_figures(query(database, "profile_published", authority=FIFE))
    sentences = published_sentences("Fife", figures)
    assert sentences[0].startswith("Reconviction rate (2017-18 cohort), 2017-18: 25.2% for Fife (published)")
    assert all("illustrative" not in s.lower() for s in sentences)


def test_profile_shows_published_figures_before_anything_illustrative():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.query_params["profile"] = FIFE
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers[0] == "Published figures"
    first_table = at.dataframe[0].value
    assert "funnel_position" in first_table.columns and set(first_table["status"]) == {"published"}
    nodes = list(at.main)  # every element, in page order
    first_illustrative = next(i for i, node in enumerate(nodes) if node.type == "warning"
                              and "illustrative" in node.value.lower())
    published_header = next(i for i, node in enumerate(nodes) if getattr(node, "value", "") == "Published figures")
    assert published_header < first_illustrative


def test_coverage_totals_add_up_and_count_the_published_workbook_cells(database):
    cells = query(database, "coverage_matrix")
    totals = coverage_totals(cells).set_index("period")
    everything = totals.loc["All years"]
    assert everything["total cells"] == len(cells)
    assert everything.drop("total cells").sum() == len(cells)
    # 32 authorities x (3 reconviction indicators + 10 years of crimes + 10 of rates + 9 of population)
    workbook_cells = cells.loc[cells["indicator_id"].isin(
        ["reconviction_rate", "reconvictions_per_offender", "reconviction_cohort_offenders", "crimes_recorded",
         "crimes_per_10000_population", "population_all_ages"])]
    assert len(workbook_cells) == 32 * 32 and workbook_cells["status"].eq("published").all()
    assert everything["published"] >= 32 * 32


def test_coverage_chart_writes_each_status_as_a_letter(database):
    cells = query(database, "coverage_matrix")
    result = coverage_chart(cells, "2017-18")
    assert set(result.data["authority"].unique()) == set(oracle()["area"])
    assert "published" in result.description and "Reconviction rate (2017-18 cohort)" in result.description
    layers = result.chart.to_dict()["layer"]
    assert layers[1]["mark"]["type"] == "text" and layers[1]["encoding"]["text"]["field"] == "letter"


def test_about_shows_the_coverage_matrix():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.switch_page("pages/about.py").run()
    assert not at.exception
    assert "Coverage: what is real, by authority and year" in [h.value for h in at.header]
    assert at.selectbox(key="coverage_period").value == "2017-18"
    totals = at.dataframe[0].value
    assert totals["period"].iloc[-1] == "All years"
    assert any(m.value.startswith("**What this shows:**") and "published" in m.value for m in at.markdown)


EAST_LOTHIAN = "S12000010"


def test_outcomes_shows_the_court_groups_of_highlighted_authorities_as_the_groups_figures():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.query_params["authority"] = EAST_LOTHIAN
    at.switch_page("pages/outcomes.py").run()
    assert not at.exception
    groups = next(df.value for df in at.dataframe if "figure_of" in df.value.columns)
    assert sorted(groups["cohort"].unique()) == ["2012-13", "2013-14", "2016-17", "2017-18"]
    assert groups["figure_of"].str.startswith("the court-based group ").all()
    starred = groups.loc[groups["figure_of"].str.contains("group East Lothian")
                         & groups["cohort"].eq("2016-17"), "group_reconviction_rate"]
    assert starred.tolist() == ["not published (fewer than 10 people)"]


def test_profile_labels_the_court_group_figures_as_the_groups_not_the_authoritys():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.query_params["profile"] = EAST_LOTHIAN
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    assert "Court-based group containing East Lothian: the group's figures, not East Lothian's own" in [
        s.value for s in at.subheader]


def test_a_ranking_of_published_beside_illustrative_values_says_so_and_draws_no_conclusion(database):
    from jsw_explorer.charts import outcomes as charts
    from jsw_explorer.indicators import Indicator, prepare_values

    row = query(database, "outcome_indicators").set_index("indicator_id").loc["cpo_per_10000_pop_16_70"]
    indicator = Indicator.from_row(row.to_dict() | {"indicator_id": "cpo_per_10000_pop_16_70"})
    values = query(database, "outcome_values", indicator=indicator.indicator_id, period="2022-23",
                   scope=list(oracle()["gss_code"]))
    assert {"published", "illustrative"} <= set(values["source_kind"])  # the premise: a mixed chart
    result = charts.ranking_chart(prepare_values(values, indicator), indicator, "2022-23", "all", [])
    title = " ".join(result.chart.to_dict()["title"]["text"])
    assert "ILLUSTRATIVE" in title and "no conclusion" in title and "highest" not in title
    assert charts.MIXED_NOTE in result.description

    published_only = values.loc[values["source_kind"] == "published"]
    alone = charts.ranking_chart(prepare_values(published_only, indicator), indicator, "2022-23", "all", [])
    assert "highest" in " ".join(alone.chart.to_dict()["title"]["text"]) and charts.MIXED_NOTE not in alone.description


def test_barriers_beside_the_published_reconviction_rate_say_so_and_draw_no_conclusion(database):
    from jsw_explorer.charts.barrier_comparisons import outcome_comparison_chart

    frame = query(database, "barrier_outcome_comparison", review="2024-25", scope=list(oracle()["gss_code"]),
                  theme="information_systems", min_impact=1, highlight=[], indicator="reconviction_rate",
                  period="2017-18")
    assert frame["source_kind"].eq("illustrative, published").all()  # barrier ratings, published rate
    result = outcome_comparison_chart(frame, "Restrictive information management systems", "all", "2024-25", "any")
    title = result.chart.to_dict()["title"]["text"]
    title = " ".join(title) if isinstance(title, list) else title
    assert "ILLUSTRATIVE" in title and "no conclusion" in title and "median" not in title
    assert "supports no conclusion" in result.description


def test_no_published_figure_cell_is_blank(database):
    """A figure that has no trend or cannot go on a funnel plot says why, in words."""
    from jsw_explorer.data_access import open_read_only
    from jsw_explorer.summary import published_figures

    with open_read_only(database) as connection:
        codes = [row[0] for row in connection.execute("select gss_code from authority").fetchall()]
        sql = (APP_ROOT / "queries" / "profile_published.sql").read_text()
        for code in codes[:8]:
            figures = published_figures(connection.execute(sql, {"authority": code}).df())
            text = figures.drop(columns=["denominator", "value", "scotland_value"]).astype(str)
            assert not text.apply(lambda column: column.str.strip().eq("")).any().any(), code
