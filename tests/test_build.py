"""The build: all 32 authorities, provenance on every row, loud failures that change nothing."""

from __future__ import annotations

import hashlib



from jsw_explorer.data_access import open_read_only
import pytest

from jsw_explorer.build import BuildError, build


def query(path, sql):
    with open_read_only(path) as connection:
        return connection.execute(sql).fetchall()


def test_database_has_all_32_authorities_with_population_and_family_groups(database):
    rows = query(database, "select count(*), count(population_16_70), count(family_group_people) from authority")
    assert rows == [(32, 32, 32)]


def test_authority_populations_add_up_to_the_nrs_scotland_total(database):
    # NRS mid-2022: Scotland aged 16-70 is 3,832,469 (population.csv, Scotland row)
    assert query(database, "select sum(population_16_70) from authority") == [(3832469,)]


@pytest.mark.parametrize("table", ["indicator_value", "completeness", "authority_barrier", "barrier_theme",
                                   "evidence_item", "review", "review_quote"])
def test_every_fact_row_points_at_a_known_source(database, table):
    orphans = query(database, f"""
        select count(*) from {table} as t left join source as s on s.source_id = t.source_id
        where s.source_id is null or s.kind is null""")
    assert orphans == [(0,)]


def test_published_statistics_keep_their_source_url(database):
    rows = query(database, """
        select count(*) from indicator_value as v join source as s using (source_id)
        where s.kind = 'published' and v.method = 'as_published' and s.url not like 'http%'""")
    assert rows == [(0,)]


def test_only_preferred_statistics_are_loaded(database):
    # 2019-20 CPOs: 16,710 (2019-20 publication, superseded) and 16,800 (revised, preferred)
    rows = query(database, """select value from indicator_value
                              where indicator_id = 'cpo_commenced' and gss_code = 'S92000003' and period = '2019-20'""")
    assert rows == [(16800.0,)]


def test_rates_are_calculated_only_where_none_was_published(database):
    rows = query(database, """select value, method from indicator_value where indicator_id = 'cpo_per_10000_pop_16_70'
                              and gss_code = 'S12000039' and period = '2022-23'""")
    assert rows == [(61.0, "as_published")]  # West Dunbartonshire, published
    calculated = query(database, """select v.value, v.numerator, v.denominator, s.kind from indicator_value as v
                                    join source as s using (source_id)
                                    where indicator_id = 'cpo_per_10000_pop_16_70' and gss_code = 'S12000005'
                                    and period = '2022-23'""")
    value, numerator, denominator, kind = calculated[0]
    assert kind == "illustrative"
    assert value == round(10000 * numerator / denominator, 1)


def file_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_check_violation_fails_with_file_row_and_rule_and_keeps_the_old_database(data_copy, tmp_path):
    db_path = tmp_path / "jsw.duckdb"
    build(data_copy, db_path)
    before = file_digest(db_path)
    completeness = data_copy / "illustrative" / "completeness.csv"
    lines = completeness.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 2)[0] + ",7," + lines[5].rsplit(",", 1)[1]  # level 7 is out of range
    completeness.write_text("\n".join(lines) + "\n")

    with pytest.raises(BuildError) as failure:
        build(data_copy, db_path)

    message = str(failure.value)
    assert "illustrative/completeness.csv row 6" in message
    assert "completeness" in message and ("constraint" in message.lower() or "foreign key" in message.lower())
    assert file_digest(db_path) == before
    assert not list(tmp_path.glob("*.building-*"))


def test_an_unknown_authority_code_fails_the_build(data_copy, tmp_path):
    barriers = data_copy / "illustrative" / "authority_barriers.csv"
    text = barriers.read_text().replace("S12000005", "S12999999", 1)
    barriers.write_text(text)
    with pytest.raises(BuildError, match=r"authority_barriers.csv row 2: .*foreign key"):
        build(data_copy, tmp_path / "jsw.duckdb")
    assert not (tmp_path / "jsw.duckdb").exists()


def test_a_missing_column_is_named(data_copy, tmp_path):
    themes = data_copy / "barrier_themes.csv"
    themes.write_text(themes.read_text().replace("review_wording", "wording", 1))
    with pytest.raises(BuildError, match="barrier_themes.csv: missing column"):
        build(data_copy, tmp_path / "jsw.duckdb")


def test_a_rebuild_keeps_the_previous_file_as_backup(data_copy, tmp_path):
    db_path = tmp_path / "jsw.duckdb"
    build(data_copy, db_path)
    first = file_digest(db_path)
    build(data_copy, db_path)
    assert file_digest(db_path.with_name("jsw.duckdb.bak")) == first


def test_the_build_command_reports_failure_without_a_traceback(data_copy, tmp_path, capsys):
    from jsw_explorer.build import main

    (data_copy / "periods.csv").write_text("period,label\n")
    assert main(["--data-dir", str(data_copy), "--db", str(tmp_path / "x.duckdb")]) == 1
    assert "Build failed: periods.csv: missing column" in capsys.readouterr().err
