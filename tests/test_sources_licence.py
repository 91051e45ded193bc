"""Every row of every table names its source, and the code and data licences are stated."""

from __future__ import annotations

from pathlib import Path

from jsw_explorer.data_access import open_read_only

ROOT = Path(__file__).resolve().parent.parent
NOT_DATA = {"source", "import_log", "build_info"}  # the sources themselves, and the build's own records


def test_every_row_of_every_table_has_a_source(database):
    with open_read_only(database) as connection:
        tables = [t for (t,) in connection.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'").fetchall()]
        assert {"indicator", "period", "area_tile", "authority_alias", "evidence_domain", "completeness_level"} <= set(tables)
        for table in sorted(set(tables) - NOT_DATA):
            columns = [c for (c,) in connection.execute(
                "select column_name from information_schema.columns where table_name = $t and column_name like '%source_id'",
                {"t": table}).fetchall()]
            assert columns, f"table {table} has no source column"
            for column in columns:
                missing = connection.execute(  # names from the catalogue, not from users
                    f"select count(*) from {table} as t anti join source as s on s.source_id = t.{column}").fetchone()[0]
                assert missing == 0, f"{table}.{column}: {missing} rows without a known source"
        family = connection.execute("select distinct s.publisher from authority as a "
                                    "join source as s on s.source_id = a.family_group_source_id").fetchall()
        assert family == [("Improvement Service",)]


def test_the_code_has_a_licence_and_the_readme_states_the_data_licences():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences and sources", 1)[1]
    assert "Open Government Licence v3.0" in section and "CC BY 4.0" in section and "MIT" in section


def test_sources_that_point_to_this_repository_name_a_licence_that_exists(database):
    with open_read_only(database) as connection:
        licences = {l for (l,) in connection.execute(
            "select distinct licence from source where publisher = 'This project'").fetchall()}
    assert licences and all("LICENSE" in l for l in licences), licences
