"""Every query file: documented, has example parameters, runs, and returns its documented columns."""

from __future__ import annotations


import re
import threading

import duckdb
import pytest

from jsw_explorer.config import QUERIES_DIR
from jsw_explorer.data_access import UnknownQueryError, header_lines, load_sql, open_read_only, query_parameters
from jsw_explorer.data_access import example_params as parse_example

QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))


def documented_columns(sql: str) -> list[str]:
    """Column names listed after 'Returns ...:' in the header comment (may continue on lines)."""
    text = " ".join(header_lines(sql))
    match = re.search(r"Returns [^:]*:\s*(.*)$", text)
    assert match, "header has no 'Returns ...:' line"
    return [c.strip() for c in match.group(1).split(",") if c.strip()]


def example_params(sql: str, database) -> dict:
    """The header's example parameters, with the 32 gss codes from the database."""
    with open_read_only(database) as connection:
        all_codes = [row[0] for row in connection.execute("select gss_code from authority").fetchall()]
    return parse_example(sql, all_codes)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_file_documents_example_parameters_for_each_named_parameter(path, database):
    sql = path.read_text(encoding="utf-8")
    used = query_parameters(sql)
    assert set(example_params(sql, database)) == used


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_runs_and_returns_its_documented_columns(path, database):
    sql = path.read_text(encoding="utf-8")
    body = sql.split("\n", len(header_lines(sql)))[-1]
    assert "{" not in body and "%s" not in body, "values are bound as $parameters, never formatted in"
    with open_read_only(database) as connection:
        frame = connection.execute(sql, example_params(sql, database)).df()
    documented = documented_columns(sql)
    if documented == ["*"]:  # a whole-table export: every column of the table
        assert len(frame.columns) > 1
    else:
        assert list(frame.columns) == documented
    assert len(frame) > 0, "the example parameters should return rows from the real data"


def test_a_missing_parameter_is_an_error_not_a_silent_default(database):
    with open_read_only(database) as connection, pytest.raises(duckdb.Error):
        connection.execute(load_sql("scotland_trend"), {}).df()


@pytest.mark.parametrize("name", ["../schema", "sources; drop table source", "Sources", "nope"])
def test_only_files_in_queries_can_be_loaded(name):
    with pytest.raises(UnknownQueryError):
        load_sql(name)


def test_the_read_connection_cannot_write_or_read_other_files(database, tmp_path):
    with open_read_only(database) as connection:
        with pytest.raises(duckdb.Error):
            connection.execute("delete from source")
        with pytest.raises(duckdb.Error):
            connection.execute(f"select * from read_csv('{tmp_path}/x.csv')")
        with pytest.raises(duckdb.Error):
            connection.execute("set enable_external_access = true")


def test_scotland_trend_marks_the_covid_years_not_comparable(database):
    with open_read_only(database) as connection:
        frame = connection.execute(load_sql("scotland_trend"), {"indicator": "cpo_commenced"}).df()
    flagged = set(frame.loc[~frame["comparable"], "period"])
    assert flagged == {"2020-21", "2021-22"}
    assert frame["source_kind"].eq("published").all()


def test_domain_summary_for_a_family_group_counts_its_eight_authorities(database):
    with open_read_only(database) as connection:
        codes = [r[0] for r in connection.execute("select gss_code from authority where family_group_people = 4").fetchall()]
        frame = connection.execute(load_sql("domain_completeness_summary"), {"review": "2024-25", "scope": codes}).df()
    assert len(codes) == 8
    assert frame["authorities"].eq(8).all()
    assert list(frame["domain_id"]) == ["performance", "quality", "outcomes"]


def test_many_threads_querying_at_once_get_correct_results(database):
    connection = open_read_only(database)
    expected = connection.execute("select count(*) from indicator_value").fetchone()[0]
    results, errors = [], []

    def worker():
        try:
            for _ in range(20):
                with connection.cursor() as cursor:
                    results.append(cursor.execute("select count(*) from indicator_value").fetchone()[0])
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [expected] * 160
