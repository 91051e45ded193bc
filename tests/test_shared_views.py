"""The shared joins at the end of schema.sql: they lose and duplicate no rows, say the Scotland code
once, apply the minimum-impact rule, and stay out of the data dictionary."""

from __future__ import annotations

import re

import pytest

from jsw_explorer.config import QUERIES_DIR, SCOTLAND_CODE, SQL_DIR
from jsw_explorer.data_access import header_lines, load_sql, open_read_only

SHARED_BLOCK = (SQL_DIR / "schema.sql").read_text(encoding="utf-8").split("-- === Shared joins for queries/")[1]
SHARED_VIEWS = re.findall(r"^create view (\w+)", SHARED_BLOCK, re.M)


def scalar(database, sql: str, params: dict | None = None):
    with open_read_only(database) as connection:
        return connection.execute(sql, params or {}).fetchone()[0]


def test_the_scotland_view_says_the_same_code_as_the_python_config(database):
    with open_read_only(database) as connection:
        assert connection.execute("select gss_code, name from scotland").fetchall() == [(SCOTLAND_CODE, "Scotland")]


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.sql")), ids=lambda p: p.stem)
def test_no_query_writes_the_scotland_code_itself(path):
    sql = path.read_text(encoding="utf-8")
    body = sql.split("\n", len(header_lines(sql)))[-1]
    assert SCOTLAND_CODE not in body, "read it from the scotland view (or indicator_series.is_scotland)"


@pytest.mark.parametrize(("view", "table"), [("barrier_rating", "authority_barrier"),
                                             ("indicator_series", "indicator_value")])
def test_a_shared_join_has_exactly_one_row_per_fact(database, view, table):
    keys = {"barrier_rating": "review_id, gss_code, theme_id", "indicator_series": "indicator_id, gss_code, period"}[view]
    facts = scalar(database, f"select count(*) from {table}")
    assert facts > 0
    assert scalar(database, f"select count(*) from {view}") == facts
    assert scalar(database, f"select count(distinct ({keys})) from {view}") == facts


def test_indicator_series_names_scotland_and_every_authority(database):
    with open_read_only(database) as connection:
        rows = connection.execute("select distinct gss_code, area, is_scotland from indicator_series").fetchall()
    scotland = [row for row in rows if row[2]]
    assert scotland == [(SCOTLAND_CODE, "Scotland", True)]
    assert all(area and area != "Scotland" for _, area, is_scotland in rows if not is_scotland)


@pytest.mark.parametrize("min_impact", [1, 2, 3])
def test_barrier_report_counts_a_theme_only_when_reported_with_at_least_the_minimum_impact(database, min_impact):
    with open_read_only(database) as connection:
        flagged = connection.execute(
            "select reported, impact, reports from barrier_report($m)", {"m": min_impact}).fetchall()
    assert any(reports for *_, reports in flagged) and not all(reports for *_, reports in flagged)
    assert all(reports == (reported and impact >= min_impact) for reported, impact, reports in flagged)


def test_the_data_dictionary_describes_the_data_not_the_shared_joins(database):
    with open_read_only(database) as connection:
        tables = {row[0] for row in connection.execute(load_sql("data_dictionary")).fetchall()}
    assert {"authority_barrier", "indicator_value", "completeness_score"} <= tables
    assert "barrier_rating" in SHARED_VIEWS, "the shared block's views were not found in schema.sql"
    assert not tables & set(SHARED_VIEWS)
