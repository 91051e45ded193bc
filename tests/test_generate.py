"""The illustrative generator: deterministic, and calibrated to everything published."""

from __future__ import annotations

import io

import pandas as pd
from jsw_explorer.data_access import open_read_only
import pytest

from jsw_explorer.config import DATA_DIR
from jsw_explorer.generate import generate


def test_same_seed_gives_byte_identical_csvs_matching_the_committed_files():
    first, second = generate(), generate()
    assert first == second
    for name, text in first.items():
        assert (DATA_DIR / "illustrative" / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from the generator's output: run `make generate` and commit")


def test_a_different_seed_gives_different_data():
    assert generate(seed=1)["completeness.csv"] != generate()["completeness.csv"]


def fetch(database, sql):
    with open_read_only(database) as connection:
        return connection.execute(sql).fetchall()


def generated_values() -> pd.DataFrame:
    """The generator's indicator values BEFORE disclosure control (the database hides small counts)."""
    return pd.read_csv(io.StringIO(generate()["indicator_values.csv"]), dtype={"gss_code": str, "period": str})


def published_values() -> pd.DataFrame:
    stats = pd.read_csv(DATA_DIR / "jsw_statistics.csv", dtype=str)
    stats = stats[(stats["preferred"].str.upper() == "TRUE") & ~stats["indicator"].str.startswith("council_reported_")]
    return stats.rename(columns={"indicator": "indicator_id", "year": "period"}).assign(
        value=lambda f: f["value"].astype(float))


@pytest.mark.parametrize("indicator", ["cpo_commenced", "dtto_commenced", "cpo_terminated", "upw_hours_imposed"])
def test_authority_counts_add_up_to_the_published_scotland_total_every_year(indicator):
    # Checked on the generator's output: in the database small counts are hidden ([c]), by design.
    published = published_values()
    published = published[published["indicator_id"] == indicator]
    scotland = published[published["gss_code"] == "S92000003"].set_index("period")["value"]
    authorities = pd.concat([generated_values().query("indicator_id == @indicator"),
                             published[published["gss_code"] != "S92000003"]])
    assert not scotland.empty, "no Scotland totals found"
    for period, total in scotland.items():
        rows = authorities[authorities["period"] == period]
        assert rows["gss_code"].nunique() == len(rows) == 32, period
        assert rows["value"].astype(float).sum() == total, period


def test_completion_rates_order_weighted_mean_matches_the_published_scotland_rate():
    published = published_values()
    rates = generated_values().query("indicator_id == 'cpo_successful_completion_rate'")
    scotland = published[(published["indicator_id"] == "cpo_successful_completion_rate")
                         & (published["gss_code"] == "S92000003")].set_index("period")["value"]
    assert len(scotland) >= 8
    for period, rate in scotland.items():
        rows = rates[rates["period"] == period]
        assert len(rows) == 32, period
        assert abs(100 * rows["numerator"].sum() / rows["denominator"].sum() - rate) < 0.05, period


def test_published_authority_values_are_kept_as_published(database):
    # Glasgow City 2019-20: 2,537 CPOs commenced (Scottish Government, named in the text)
    rows = fetch(database, """select v.value, s.kind from indicator_value as v join source as s using (source_id)
                              where indicator_id = 'cpo_commenced' and gss_code = 'S12000049' and period = '2019-20'""")
    assert rows == [(2537.0, "published")]


def test_quality_and_outcomes_evidence_are_weaker_than_performance_on_average(database):
    means = dict(fetch(database, """select i.domain_id, avg(c.level) from completeness as c
                                    join evidence_item as i using (item_id) group by 1"""))
    assert means["quality"] < means["performance"]
    assert means["outcomes"] < means["performance"]


def test_all_seven_barriers_are_reported_by_a_plausible_share_of_authorities(database):
    shares = fetch(database, """select theme_id, avg(reported::int) from authority_barrier group by 1""")
    assert len(shares) == 7
    for theme, share in shares:
        assert 0.2 <= share <= 0.95, theme


def test_small_authorities_counts_are_relatively_more_volatile():
    # coefficient of variation across comparable years: islands above the big cities (generator output:
    # the islands' DTTO counts are small enough to be hidden in the database)
    values = generated_values()
    values = values[(values["indicator_id"] == "dtto_commenced")
                    & values["period"].isin(["2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19"])]
    spread = values.groupby("gss_code")["value"].agg(lambda v: v.std() / v.mean())
    islands = [spread["S12000013"], spread["S12000023"], spread["S12000027"]]
    cities = [spread["S12000049"], spread["S12000036"]]
    assert min(islands) > max(cities)


def test_every_generated_row_is_marked_illustrative(database):
    for table in ("completeness", "authority_barrier"):
        kinds = fetch(database, f"select distinct s.kind from {table} join source as s using (source_id)")
        assert kinds == [("illustrative",)]


def test_rates_agree_with_published_statements_of_how_many_authorities_rose(database):
    """E.g. the 2022-23 publication: 28 of 32 authorities saw their CPO rate rise. Checked on the
    rates as the app shows them (published where published, else calculated from the count)."""
    from jsw_explorer.generate import PUBLISHED_RISES

    statistics = pd.read_csv(DATA_DIR / "jsw_statistics.csv", dtype=str, keep_default_na=False)
    for _, rate, year, previous, risers, url in PUBLISHED_RISES:
        said = statistics[(statistics["indicator"] == rate) & (statistics["year"] == year)
                          & (statistics["gss_code"] == "S92000003") & (statistics["source_url"] == url)]
        assert said["notes"].str.contains(f"{risers} of 32").any(), "the statement is in the reference data"
        with open_read_only(database) as connection:
            rose, compared = connection.execute("""
                select count(*) filter (where b.value > a.value), count(*)
                from indicator_value as a join indicator_value as b using (indicator_id, gss_code)
                where a.indicator_id = $rate and a.period = $previous and b.period = $year
                  and a.gss_code <> 'S92000003'""", {"rate": rate, "previous": previous, "year": year}).fetchone()
        assert (rose, compared) == (risers, 32)
