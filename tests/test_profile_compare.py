"""Authority profile, compare page, similarity, summary text and the briefing pack."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import ENTRYPOINT
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.similarity import distances_from, most_similar
from jsw_explorer.summary import authority_summary

EAST_DUNBARTONSHIRE, FIFE = "S12000045", "S12000047"


def query(database, name, **params):
    with open_read_only(database) as connection:
        return connection.execute(load_sql(name), params).df()


def fetch(database, sql):
    with open_read_only(database) as connection:
        return connection.execute(sql).fetchall()


def open_page(page: str, **query_params) -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=90)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


# --- summary and similarity (data code) -------------------------------------------------------

def test_summary_names_the_weakest_domain_with_its_score_and_the_scotland_median(database):
    completeness = query(database, "profile_completeness", review="2024-25", authority=EAST_DUNBARTONSHIRE)
    barriers = query(database, "profile_barriers", review="2024-25", authority=EAST_DUNBARTONSHIRE)
    indicators = query(database, "profile_indicators", authority=EAST_DUNBARTONSHIRE)
    # expected values straight from the tables, independently of the query
    scores = dict(fetch(database, """select i.domain_id, 100 * avg(c.level) / 3 from completeness as c
        join evidence_item as i using (item_id) where c.gss_code = 'S12000045' group by 1"""))
    weakest = min(scores, key=scores.get)
    medians = dict(fetch(database, f"""select domain_id, median(score) from (
        select c.gss_code, i.domain_id, 100 * avg(c.level) / 3 as score from completeness as c
        join evidence_item as i using (item_id) group by all) group by 1"""))
    reported = fetch(database, "select count(*) from authority_barrier where gss_code = 'S12000045' and reported")[0][0]

    sentences = authority_summary("East Dunbartonshire", completeness, barriers, indicators)

    # The status comes first, so that no sentence after it reads as plain fact.
    assert "illustrative" in sentences[0] and "must not be quoted" in sentences[0]
    assert sentences[1].startswith(f"{weakest.capitalize()} evidence is the weakest of the three domains: "
                                   f"score {scores[weakest]:.0f} against a Scotland median of {medians[weakest]:.0f}")
    assert f"{reported} of 7 barrier themes" in sentences[2]


def test_summary_names_high_impact_barriers_and_handles_none_reported():
    completeness = pd.DataFrame({"domain_id": ["performance", "outcomes"], "domain": ["Performance", "Outcomes"],
                                 "score": [70.0, 28.0], "scotland_median": [65.0, 35.0], "source_kind": "illustrative"})
    barriers = pd.DataFrame({"theme": ["Staffing issues", "Resource constraints", "Other"], "reported": [True, True, False],
                             "impact": [3, 3, 0], "source_kind": "illustrative"})
    sentences = authority_summary("Testshire", completeness, barriers, pd.DataFrame(columns=["indicator_id"]))
    assert sentences[0].startswith("The figures below for Testshire are illustrative")
    assert sentences[1].startswith("Outcomes evidence is the weakest of the three domains: score 28 against a "
                                   "Scotland median of 35 (below it)")
    assert sentences[2] == ("2 of 3 barrier themes are reported; Staffing issues and Resource constraints are "
                            "reported with high impact.")
    none = authority_summary("Testshire", completeness, barriers.assign(reported=False, impact=0),
                             pd.DataFrame(columns=["indicator_id"]))
    assert none[2] == "No barrier themes are recorded for this authority."


def similarity_fixture():
    # A and B are near twins; C is like A but far bigger; D differs on everything; E and F give spread.
    return pd.DataFrame({
        "gss_code": ["A", "B", "C", "D", "E", "F"], "authority": ["a", "b", "c", "d", "e", "f"],
        "population_16_70": [50_000, 52_000, 400_000, 15_000, 120_000, 30_000],
        "cpo_rate": [40.0, 41.0, 40.0, 12.0, 55.0, 25.0], "dtto_rate": [1.0, 1.1, 1.0, 3.0, 0.5, 2.0],
        "family_group_people": [2, 2, 2, 4, 1, 3], "family_group_other": [3, 3, 3, 1, 4, 2],
    })


def test_similarity_finds_the_near_twin_first_and_the_outlier_last():
    distances = distances_from(similarity_fixture(), "A")
    assert distances.index[0] == "B" and distances.index[-1] == "D"
    assert distances["B"] < distances["C"] < distances["D"]


def test_a_missing_measure_is_left_out_not_counted_as_similar():
    features = similarity_fixture()
    features.loc[features["gss_code"] == "D", "cpo_rate"] = None
    table = most_similar(features, "A", count=5)
    assert table["gss_code"].iloc[0] == "B"
    assert table["distance"].notna().all()
    assert table.set_index("gss_code").loc["D", "distance"] > table.set_index("gss_code").loc["B", "distance"]


# --- pages (AppTest) --------------------------------------------------------------------------

def test_profile_shows_the_chosen_authority_with_summary_and_sections():
    at = open_page("pages/profile.py", authority=EAST_DUNBARTONSHIRE)
    assert not at.exception
    assert at.title[0].value == "Authority profile: East Dunbartonshire"
    assert at.selectbox(key="profile").value == EAST_DUNBARTONSHIRE
    headers = [h.value for h in at.header]
    assert headers[:6] == ["Published figures", "Summary", "Evidence completeness", "Barriers", "Outcome indicators",
                           "Peers"]
    table = next(df.value for df in at.dataframe if "rank_highest_first" in df.value.columns)
    assert (table.astype(str) != "nan").all().all(), "missing values read 'not available'"


def test_profile_picker_is_in_the_url():
    at = open_page("pages/profile.py")
    at.selectbox(key="profile").select(FIFE).run()
    assert at.query_params["profile"] == FIFE
    assert at.title[0].value == "Authority profile: Fife"


def test_profile_peers_list_the_family_group(database):
    members = [r[0] for r in fetch(database, """select name from authority where family_group_people =
        (select family_group_people from authority where gss_code = 'S12000045') order by name""")]
    at = open_page("pages/profile.py", profile=EAST_DUNBARTONSHIRE)
    family = next(m.value for m in at.markdown if "LGBF people-services family group" in m.value)
    assert all(name in family for name in members) and len(members) == 8


@pytest.mark.parametrize("count", [1, 11])
def test_compare_asks_for_two_to_ten_authorities(count, database):
    codes = [r[0] for r in fetch(database, "select gss_code from authority order by gss_code")][:count]
    at = open_page("pages/compare.py", authority=",".join(codes))
    assert not at.exception
    assert any("Choose between 2 and 10 authorities" in i.value and f"chosen {count}" in i.value for i in at.info)
    assert not at.dataframe


def test_compare_shows_each_authority_and_scotland_side_by_side(database):
    at = open_page("pages/compare.py", authority=f"{EAST_DUNBARTONSHIRE},{FIFE}", period="2022-23")
    assert not at.exception
    indicators = next(df.value for df in at.dataframe if "Scotland" in df.value.columns)
    assert list(indicators.columns[1:4]) == ["East Dunbartonshire", "Fife", "Scotland"]
    expected = fetch(database, """select value from indicator_value where indicator_id = 'cpo_commenced'
                                  and gss_code = 'S12000047' and period = '2022-23'""")[0][0]
    row = indicators[indicators["indicator"] == "Community payback orders commenced"].iloc[0]
    assert float(str(row["Fife"]).replace(",", "")) == expected


# --- briefing pack ----------------------------------------------------------------------------

def make_briefing(subject: str):
    at = open_page("pages/profile.py", profile=EAST_DUNBARTONSHIRE, briefing=subject)
    next(b for b in at.button if b.label.startswith("Create briefing pack")).click().run()
    assert not at.exception
    files = {b.proto.label: b for b in at.get("download_button")}
    return at, files


# The pack's content, layout and office rendering: tests/test_briefing.py and tests/test_office.py.


@pytest.mark.parametrize("subject", ["authority", "scotland"])
def test_the_briefing_button_offers_pdf_and_powerpoint(subject):
    at, files = make_briefing(subject)
    assert {"Download briefing (PDF)", "Download briefing (PowerPoint)"} <= set(files)
    assert any("PDF" in c.value and "KB" in c.value for c in at.caption)
