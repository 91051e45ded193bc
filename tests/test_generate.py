"""The illustrative generator: deterministic, and calibrated to everything published."""

from __future__ import annotations

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


@pytest.mark.parametrize("indicator", ["cpo_commenced", "dtto_commenced", "cpo_terminated", "upw_hours_imposed"])
def test_authority_counts_add_up_to_the_published_scotland_total_every_year(database, indicator):
    rows = fetch(database, f"""
        select s.period, s.value, sum(a.value), count(a.value)
        from indicator_value as s
        join indicator_value as a on a.indicator_id = s.indicator_id and a.period = s.period
            and a.gss_code <> 'S92000003'
        where s.indicator_id = '{indicator}' and s.gss_code = 'S92000003'
        group by all""")
    assert rows, "no Scotland totals found"
    for period, scotland, authorities_sum, authorities in rows:
        assert authorities == 32, period
        assert authorities_sum == scotland, period


def test_completion_rates_order_weighted_mean_matches_the_published_scotland_rate(database):
    rows = fetch(database, """
        select s.period, s.value, 100 * sum(a.numerator) / sum(a.denominator)
        from indicator_value as s
        join indicator_value as a on a.indicator_id = s.indicator_id and a.period = s.period
            and a.gss_code <> 'S92000003'
        where s.indicator_id = 'cpo_successful_completion_rate' and s.gss_code = 'S92000003'
        group by all""")
    assert len(rows) >= 8
    for period, published, weighted in rows:
        assert abs(weighted - published) < 0.05, period


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


def test_small_authorities_counts_are_relatively_more_volatile(database):
    # coefficient of variation across comparable years: islands above the big cities
    rows = dict(fetch(database, """
        select gss_code, stddev_samp(value) / avg(value) from indicator_value
        where indicator_id = 'dtto_commenced' and period in ('2013-14','2014-15','2015-16','2016-17','2017-18','2018-19')
          and gss_code in ('S12000013', 'S12000023', 'S12000027', 'S12000049', 'S12000036')
        group by 1"""))
    islands = [rows["S12000013"], rows["S12000023"], rows["S12000027"]]
    cities = [rows["S12000049"], rows["S12000036"]]
    assert min(islands) > max(cities)


def test_every_generated_row_is_marked_illustrative(database):
    for table in ("completeness", "authority_barrier"):
        kinds = fetch(database, f"select distinct s.kind from {table} join source as s using (source_id)")
        assert kinds == [("illustrative",)]
