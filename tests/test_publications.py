"""Publication workbooks: the reader reproduces the published tables, and a changed workbook stops the build."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from jsw_explorer import publications
from jsw_explorer.build import BuildError, build
from jsw_explorer.data_access import open_read_only

APP_ROOT = Path(__file__).resolve().parent.parent
DATA = APP_ROOT / "data"
ORACLE = Path(__file__).resolve().parent / "oracle_reconviction_2017_18_by_council_of_residence.csv"
RECONVICTION = "reconviction-rates-2017-18-cohort-main-tables.xlsx"
CRIME = "recorded-crime-2024-25-bulletin-tables.xlsx"
TABLE_13 = next(t for t in publications.TABLES if t.sheet == "Table 13")


def query(path, sql, params=None):
    with open_read_only(path) as connection:
        return connection.execute(sql, params or {}).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_sha256(data_dir: Path, workbook: str) -> None:
    """What a maintainer does after checking a new edition: record its sha256 in provenance.csv."""
    path = data_dir / "published" / "provenance.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["file"] == workbook, "sha256"] = digest(data_dir / "published" / workbook)
    frame.to_csv(path, index=False)


def edit_workbook(data_dir: Path, workbook: str, change) -> None:
    path = data_dir / "published" / workbook
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    record_sha256(data_dir, workbook)


# --- The reader -------------------------------------------------------------------------------

def test_table_13_reproduces_the_oracle_exactly():
    lookup, names = publications.authority_lookup(DATA)
    reading = publications.read_table(TABLE_13, DATA, lookup, names)
    wide = reading.values.pivot_table(index=["row", "area"], columns="indicator_id", values="value",
                                      aggfunc="first").reset_index().sort_values("row")
    codes = reading.values.drop_duplicates("row").set_index("row")["gss_code"]
    got = pd.DataFrame({
        "gss_code": wide["row"].map(codes).fillna(""), "area": wide["area"], "cohort": "2017-18",
        "offenders": wide["reconviction_cohort_offenders"].astype(int),
        "reconviction_rate_pct": wide["reconviction_rate"],
        "avg_reconvictions_per_offender": wide["reconvictions_per_offender"]}).reset_index(drop=True)
    oracle = pd.read_csv(ORACLE, dtype={"gss_code": str}, keep_default_na=False)
    pd.testing.assert_frame_equal(got, oracle, check_dtype=False)


def test_the_stated_totals_hold_in_the_shipped_workbooks():
    loaded = publications.load_all(DATA)
    values = loaded.values
    offenders = values.loc[values["indicator_id"] == "reconviction_cohort_offenders"]
    scotland = offenders.loc[offenders["gss_code"] == "S92000003", "value"].item()
    councils = offenders.loc[offenders["gss_code"] != "S92000003", "value"].sum()
    assert scotland == 36700 and scotland - councils == 649 + 7292  # Other + Unknown
    crimes = values.loc[values["indicator_id"] == "crimes_recorded"]
    by_year = crimes.assign(scotland=crimes["gss_code"].eq("S92000003")).pivot_table(
        index="period", columns="scotland", values="value", aggfunc="sum")
    assert len(by_year) == 10 and (by_year[True] == by_year[False]).all()


def test_each_council_has_every_published_value_once():
    values = publications.load_all(DATA).values
    counts = values.groupby("indicator_id")["gss_code"].nunique()
    assert counts.to_dict() == {i: 33 for i in counts.index}
    assert not values.duplicated(["indicator_id", "gss_code", "period"]).any()


def test_each_crime_rate_keeps_the_population_it_was_published_with():
    values = publications.load_all(DATA).values.set_index(["indicator_id", "gss_code", "period"])
    for year, mid_year in (("2015-16", "2015-06"), ("2024-25", "2023-06")):
        rate = values.loc[("crimes_per_10000_population", "S12000049", year)]
        crimes = values.loc[("crimes_recorded", "S12000049", year), "value"]
        population = values.loc[("population_all_ages", "S12000049", mid_year), "value"]
        assert rate["denominator"] == population
        assert rate["value"] == pytest.approx(10000 * crimes / population, abs=1e-6)


@pytest.mark.parametrize("text, expected", [("Unknown3", "Unknown"), ("Other2", "Other"),
                                            ("2017-18 [note 7]", "2017-18"), ("Local authority group1", "Local authority group"),
                                            ("Aberdeen City and Aberdeenshire2,13", "Aberdeen City and Aberdeenshire"),
                                            ("2015-16", "2015-16")])
def test_footnote_marks_are_removed_from_labels(text, expected):
    assert publications.clean_label(text) == expected


# --- The build --------------------------------------------------------------------------------

def test_the_database_holds_the_published_reconviction_rate_for_all_32_councils(database):
    rows = query(database, """
        select count(*), count(distinct v.gss_code), min(s.kind), min(v.method), min(v.denominator)
        from indicator_value as v join source as s using (source_id)
        where v.indicator_id = 'reconviction_rate' and v.gss_code <> 'S92000003'""")
    assert rows == [(32, 32, "published", "as_published", 63.0)]  # Orkney: 63 offenders
    source = query(database, "select url, licence, notes from source where source_id = 'sg-reconviction-2017-18'")
    url, licence, notes = source[0]
    assert url.startswith("https://www.gov.scot/") and "Open Government Licence v3.0" in licence
    assert "Experimental Statistics" in notes and "24a77827945d1989" in notes


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """One good build of a copy of data/, reused by the failure tests (each copies it first)."""
    root = tmp_path_factory.mktemp("published")
    data_dir = root / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db_path = build(data_dir, root / "jsw.duckdb")
    return data_dir, db_path


@pytest.fixture
def broken_copy(built_once, tmp_path):
    data_dir, db_path = built_once
    target_data, target_db = tmp_path / "data", tmp_path / "jsw.duckdb"
    shutil.copytree(data_dir, target_data)
    shutil.copy(db_path, target_db)
    return target_data, target_db


def rename_sheet(book):
    book["Table 13"].title = "Table 13 (residence)"


def move_header(book):
    book["Table 13"].insert_rows(3)


def rename_header(book):
    book["Table 13"]["B4"] = "Offenders"


def new_spelling(book):
    book["Table 13"]["A9"] = "Argyle & Bute"


def text_in_number_cell(book):
    book["Table 13"]["C7"] = "n/a"


def council_twice(book):
    book["Table 13"]["A8"] = "Aberdeenshire"


def total_broken(book):
    book["Table 13"]["B6"] = 1809


@pytest.mark.parametrize("change, located", [
    (rename_sheet, r"sheet 'Table 13'.*the declared sheet exists"),
    (move_header, r"sheet 'Table 13', cell A4: rule 'the header row is where it was declared'"),
    (rename_header, r"sheet 'Table 13', cell row 4: rule 'the header row is where it was declared'.*'Number of offenders'"),
    (new_spelling, r"sheet 'Table 13', cell A9: rule 'every area name is a known council.*'Argyle & Bute'"),
    (text_in_number_cell, r"sheet 'Table 13', cell C7: rule 'a number cell holds a number'.*'n/a'"),
    (council_twice, r"sheet 'Table 13', cell A8: rule 'every council appears exactly once'.*Aberdeenshire"),
    (total_broken, r"sheet 'Table 13', cell B5: rule '32 councils \+ Other \+ Unknown = All'.*36,701.*36,700"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_changed_workbook_stops_the_build_naming_the_cell_and_rule(broken_copy, change, located):
    data_dir, db_path = broken_copy
    before = digest(db_path)
    edit_workbook(data_dir, RECONVICTION, change)
    with pytest.raises(BuildError, match=rf"published/{RECONVICTION}.*{located}"):
        build(data_dir, db_path)
    assert digest(db_path) == before
    assert not list(db_path.parent.glob("*.building-*"))


def test_councils_that_do_not_add_up_to_scotland_stop_the_build(broken_copy):
    data_dir, db_path = broken_copy
    before = digest(db_path)

    def change(book):
        sheet = book["Table_1"]
        for row in sheet.iter_rows(min_row=4):
            if row[0].value == "Fife" and row[1].value == "Total Crimes" and row[2].value == "Total":
                row[7].value += 1  # 2019-20
                return
        raise AssertionError("Fife's total row not found")

    edit_workbook(data_dir, CRIME, change)
    with pytest.raises(BuildError, match=r"sheet 'Table_1', cell H4: rule '32 councils = Scotland' failed: 2019-20"):
        build(data_dir, db_path)
    assert digest(db_path) == before


def test_a_workbook_that_is_not_the_recorded_file_stops_the_build(broken_copy):
    data_dir, db_path = broken_copy
    before = digest(db_path)
    path = data_dir / "published" / RECONVICTION
    book = openpyxl.load_workbook(path)
    book.save(path)  # same numbers, different bytes, sha256 not recorded
    with pytest.raises(BuildError, match=rf"published/{RECONVICTION}: rule 'the file is the one recorded"):
        build(data_dir, db_path)
    assert digest(db_path) == before


def test_the_build_command_names_the_cell_without_a_traceback(broken_copy, capsys):
    from jsw_explorer.build import main
    data_dir, db_path = broken_copy
    edit_workbook(data_dir, RECONVICTION, text_in_number_cell)
    assert main(["--data-dir", str(data_dir), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "cell C7" in err and "Traceback" not in err and "left unchanged" in err


# --- The next workbook drops in ---------------------------------------------------------------

def write_cpo_workbook(path: Path, scotland_total: int) -> dict[str, int]:
    """A small workbook shaped like SG's local-authority community payback order tables: one sheet,
    a title row, a header row, council rows (SG spellings), a Scotland row and a note row."""
    councils = pd.read_csv(DATA / "local_authorities.csv", dtype=str)["name"].tolist()
    spelled = {"City of Edinburgh": "Edinburgh, City of", "Argyll and Bute": "Argyll & Bute",
               "Na h-Eileanan Siar": "Eilean Siar", "Perth and Kinross": "Perth & Kinross"}
    base, extra = divmod(scotland_total, len(councils))
    values = {name: base + (1 if i < extra else 0) for i, name in enumerate(councils)}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 5"
    sheet.append(["Table 5: Community payback orders commenced, by local authority, 2023-24"])
    sheet.append(["Local authority", "CPOs commenced"])
    for name, value in values.items():
        sheet.append([spelled.get(name, name) + ("1" if name == "Glasgow City" else ""), value])
    sheet.append(["Scotland", scotland_total])
    sheet.append(["1. Glasgow City includes orders made at the Stipendiary Magistrates court."])
    book.save(path)
    return values


def test_declaring_a_mapping_is_all_it_takes_to_load_a_new_workbook(data_copy, tmp_path, monkeypatch):
    statistics = pd.read_csv(data_copy / "jsw_statistics.csv", dtype=str)
    scotland = statistics.loc[(statistics["indicator"] == "cpo_commenced") & (statistics["year"] == "2023-24")
                              & (statistics["preferred"] == "TRUE"), "value"].astype(int).item()
    values = write_cpo_workbook(data_copy / "published" / "cpo-tables.xlsx", scotland)
    provenance = pd.read_csv(data_copy / "published" / "provenance.csv", dtype=str, keep_default_na=False)
    row = {column: "" for column in provenance.columns} | {
        "file": "cpo-tables.xlsx", "source_id": "sg-cpo-test", "title": "CPO tables (test)",
        "publisher": "Scottish Government", "official_url": "https://www.gov.scot/test",
        "licence": "Open Government Licence v3.0", "statistics_label": "Official Statistics", "retrieved": "2026-12-01"}
    pd.concat([provenance, pd.DataFrame([row])]).to_csv(data_copy / "published" / "provenance.csv", index=False)
    record_sha256(data_copy, "cpo-tables.xlsx")

    mapping = publications.Table(workbook="cpo-tables.xlsx", sheet="Table 5", header_row=2,
                                 area_header="Local authority",
                                 columns=(publications.Column("CPOs commenced", "cpo_commenced", "2023-24"),),
                                 additive=("CPOs commenced",), notes="CPO tables (test)")
    monkeypatch.setattr(publications, "TABLES", (*publications.TABLES, mapping))
    db_path = build(data_copy, tmp_path / "jsw.duckdb")

    rows = query(db_path, """select a.name, v.value, s.kind, v.method from indicator_value as v
                             join authority as a on a.gss_code = v.gss_code join source as s on s.source_id = v.source_id
                             where v.indicator_id = 'cpo_commenced' and v.period = '2023-24'""")
    assert {name: value for name, value, _, _ in rows} == values
    assert {(kind, method) for _, _, kind, method in rows} == {("published", "as_published")}
    assert query(db_path, """select count(*) from indicator_value join source using (source_id)
                             where indicator_id = 'cpo_commenced' and period = '2023-24'
                             and kind = 'illustrative'""") == [(0,)]


def test_a_mapped_workbook_that_disagrees_with_a_transcribed_figure_stops_the_build(data_copy, tmp_path, monkeypatch):
    test_path = data_copy / "published" / "cpo-tables.xlsx"
    write_cpo_workbook(test_path, 12345)
    provenance = pd.read_csv(data_copy / "published" / "provenance.csv", dtype=str, keep_default_na=False)
    row = {column: "" for column in provenance.columns} | {"file": "cpo-tables.xlsx", "source_id": "sg-cpo-test",
                                                          "title": "t", "publisher": "p", "licence": "l"}
    pd.concat([provenance, pd.DataFrame([row])]).to_csv(data_copy / "published" / "provenance.csv", index=False)
    record_sha256(data_copy, "cpo-tables.xlsx")
    mapping = dataclasses.replace(
        publications.Table("cpo-tables.xlsx", "Table 5", 2, "Local authority",
                           (publications.Column("CPOs commenced", "cpo_commenced", "2023-24"),)))
    monkeypatch.setattr(publications, "TABLES", (mapping,))
    with pytest.raises(BuildError, match=r"jsw_statistics.csv row \d+: rule 'a figure also read from a workbook agrees"):
        build(data_copy, tmp_path / "jsw.duckdb")


# --- Court-based groups -----------------------------------------------------------------------

def test_every_authority_has_its_court_group_in_each_of_the_four_cohorts(database):
    codes = list(pd.read_csv(DATA / "local_authorities.csv", dtype=str)["gss_code"])
    with open_read_only(database) as connection:
        rows = connection.execute("select gss_code, count(distinct cohort) from (" +
                                  (APP_ROOT / "queries" / "court_group_reconviction.sql").read_text() +
                                  ") group by gss_code", {"authorities": codes}).fetchall()
    assert len(rows) == 32 and {cohorts for _, cohorts in rows} == {4}


def test_a_starred_group_rate_stays_not_published_never_zero(database):
    rows = query(database, """select offenders, reconviction_rate, suppressed, note from court_group_value
                              where period = '2016-17' and court_group = 'East Lothian'""")
    offenders, rate, suppressed, note = rows[0]
    assert (offenders, rate, suppressed) == (9, None, True) and note.startswith("Not published: ** in the publication")


def test_court_group_figures_match_the_publication(database):
    rows = dict(((period, group), rate) for period, group, rate in query(
        database, "select period, court_group, reconviction_rate from court_group_value"))
    assert rows[("2017-18", "Glasgow City")] == 26.9 and rows[("2017-18", "Scotland")] == 26.3
    assert rows[("2016-17", "Aberdeen City and Aberdeenshire")] == 30.8 and rows[("2016-17", "Scotland")] == 27.2
    assert rows[("2017-18", "Edinburgh, East Lothian, and Midlothian")] == 26.0


def test_an_undeclared_court_group_name_stops_the_build(broken_copy):
    data_dir, db_path = broken_copy
    before = digest(db_path)
    edit_workbook(data_dir, RECONVICTION, lambda book: book["Table 12"].__setitem__("A9", "Ayrshire"))
    with pytest.raises(BuildError, match=r"sheet 'Table 12', cell A9: rule 'every area name is a court group declared"):
        build(data_dir, db_path)
    assert digest(db_path) == before


def test_a_council_left_out_of_every_court_group_stops_the_build(broken_copy):
    data_dir, db_path = broken_copy
    members = data_dir / "published" / "court_group_members.csv"
    lines = members.read_text().splitlines()
    members.write_text("\n".join(line for line in lines if not (line.startswith("2013-14") and "Moray" in line)) + "\n")
    with pytest.raises(BuildError, match=r"court_group_members.csv, cohort 2013-14: rule 'every council is in a court "
                                         r"group, by its GSS code' failed: no group for Moray"):
        build(data_dir, db_path)
