"""Importing returns: every bad file rejected with a clear message and nothing changed; a good
return loaded all or nothing, replacing its slice, with small counts hidden."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from fixtures_returns import PERIOD, REVIEW, authorities, csv_bytes, good_return, xlsx_bytes
from jsw_explorer import build as builder
from jsw_explorer import ingest
from jsw_explorer.config import APP_ROOT, MAX_RETURN_BYTES
from jsw_explorer.data_access import open_read_only

FIFE, GLASGOW = "S12000047", "S12000049"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(db: Path, sql: str, params=None) -> pd.DataFrame:
    with open_read_only(db) as connection:
        return connection.execute(sql, params or []).df()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of data/ and a database built from it, made once; tests copy it again to change it."""
    root = tmp_path_factory.mktemp("ingest-base")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db = builder.build(data, root / "jsw.duckdb")
    return data, db


@pytest.fixture
def workspace(base, tmp_path) -> tuple[Path, Path]:
    data, db = tmp_path / "data", tmp_path / "jsw.duckdb"
    shutil.copytree(base[0], data, ignore=shutil.ignore_patterns("uploads"))  # the corpus tests log rejections there
    shutil.copy2(base[1], db)
    return data, db


@pytest.fixture(scope="module")
def good_sheets(base) -> dict[str, pd.DataFrame]:
    return good_return(base[0])


# --- The corpus of bad returns: one per problem class --------------------------------------------

def barriers_rows(**change) -> list[list]:
    """A valid authority_barriers sheet for Fife (all seven themes), with one cell changed."""
    themes = ["information_systems", "resource_constraints", "staffing_issues", "reporting_demands",
              "shared_strategy", "leadership_roles", "national_data_infrastructure"]
    rows = [["review_id", "authority", "theme_id", "reported", "impact", "note"]]
    rows += [[REVIEW, "Fife", theme, "no", 0, ""] for theme in themes]
    for (row, column), value in change.get("cells", {}).items():
        rows[row - 1][rows[0].index(column)] = value
    return rows


def completeness_csv(level_for_first: object = 2, authority: str = "Fife") -> bytes:
    items = pd.read_csv(APP_ROOT / "data" / "evidence_items.csv")["item_id"]
    frame = pd.DataFrame({"review_id": REVIEW, "authority": authority, "item_id": items, "level": 2})
    frame["level"] = frame["level"].astype(object)
    frame.loc[0, "level"] = level_for_first
    return csv_bytes(frame)


def values_csv(rows: list[tuple]) -> bytes:
    frame = pd.DataFrame(rows, columns=["indicator_id", "authority", "period", "value", "numerator", "denominator"])
    return csv_bytes(frame)


BAD_RETURNS = {
    # name: (file name, content, expected words in a problem, expected (sheet, row, column) or None)
    "empty file": ("return.csv", b"", "The file is empty", None),
    "blank lines only": ("return.csv", b"\n\n  \n", "The file is empty", None),
    "headers but no rows": ("completeness.csv", b"review_id,authority,item_id,level\n", "no rows of data", None),
    "too big": ("completeness.csv", b"x" * (MAX_RETURN_BYTES + 1), "too big", None),
    "unreadable encoding": ("completeness.csv", "review_id,authority,item_id,level\n2024-25,Fife,perf_orders_volume,"
                            "2\n2024-25,Fife,café,2\n".encode("cp1252"), "not UTF-8 text", None),
    "binary data": ("completeness.csv", b"review_id,authority\x00\x01\x02,item_id\n", "binary data", None),
    "old xls workbook": ("return.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-style Excel", None),
    "damaged xlsx": ("return.xlsx", b"PK\x03\x04 this is not really a zip file", "damaged", None),
    "missing sheets": ("return.xlsx", xlsx_bytes({"Sheet1": [["a", "b"], [1, 2]]}), "missing its sheets", None),
    "unexpected sheet": ("return.xlsx", xlsx_bytes({"completness": [["review_id"]], "README": [["x"]]}),
                         "Did you mean 'completeness'?", ("completness", None, None)),
    "merged cells": ("return.xlsx", xlsx_bytes({"authority_barriers": barriers_rows()},
                                               merge={"authority_barriers": "E3:F3"}), "merged cells E3:F3",
                     ("authority_barriers", None, None)),
    "missing column": ("completeness.csv", b"review_id,authority,item_id\n2024-25,Fife,perf_orders_volume\n",
                       "missing column(s): level", ("completeness.csv", 1, None)),
    "unexpected column": ("return.xlsx", xlsx_bytes({"authority_barriers": [
        [*barriers_rows()[0][:4], "impakt", "note"], *barriers_rows()[1:]]}), "Did you mean 'impact'?",
        ("authority_barriers", 1, "impakt")),
    "wrong type": ("completeness.csv", completeness_csv("high"), "is not a number", ("completeness.csv", 2, "level")),
    "not a whole number": ("return.xlsx", xlsx_bytes({"authority_barriers": barriers_rows(
        cells={(2, "impact"): 1.5, (2, "reported"): "yes"})}), "must be a whole number",
        ("authority_barriers", 2, "impact")),
    "out of range": ("completeness.csv", completeness_csv(7), "out of range", ("completeness.csv", 2, "level")),
    "duplicated key": ("completeness.csv", completeness_csv(2) + b"2024-25,S12000047,perf_orders_volume,1\n",
                       "duplicated key", ("completeness.csv", 26, "item_id")),
    "percentage over 100": ("indicator_values.csv", values_csv([("cpo_successful_completion_rate", "Fife", "2024-25",
                                                                 120, "", "")]), "percentage over 100",
                            ("indicator_values.csv", 2, "value")),
    "numerator larger than denominator": ("indicator_values.csv", values_csv([
        ("cpo_successful_completion_rate", "Fife", "2024-25", 80, 90, 60)]), "does not add up",
        ("indicator_values.csv", 2, "numerator")),
    "percentage not matching its counts": ("indicator_values.csv", values_csv([
        ("cpo_successful_completion_rate", "Fife", "2024-25", 80, 30, 60)]), "is 50.0%, not 80%",
        ("indicator_values.csv", 2, "value")),
    "counts above the scotland total": ("indicator_values.csv", values_csv([
        ("cpo_commenced", "Fife", "2013-14", 9000, "", ""), ("cpo_commenced", "Glasgow City", "2013-14", 9900, "", "")]),
        "counts do not add up", ("indicator_values.csv", 2, "value")),
    "reported barrier without impact": ("return.xlsx", xlsx_bytes({"authority_barriers": barriers_rows(
        cells={(3, "reported"): "yes"})}), "a reported barrier has an impact", ("authority_barriers", 3, "impact")),
    "period with a slash": ("indicator_values.csv", values_csv([("cpo_commenced", "Fife", "2024/25", 500, "", "")]),
                            "not a period in the right format", ("indicator_values.csv", 2, "period")),
    "period not a financial year": ("indicator_values.csv", values_csv([("cpo_commenced", "Fife", "2024-26", 500, "",
                                                                         "")]), "is not a financial year",
                                    ("indicator_values.csv", 2, "period")),
    "unknown authority": ("completeness.csv", completeness_csv(2, authority="Fyfe"), "Did you mean 'Fife'?",
                          ("completeness.csv", 2, "authority")),
    "scotland as an authority": ("indicator_values.csv", values_csv([("cpo_commenced", "Scotland", "2024-25", 500,
                                                                      "", "")]), "Scotland is not an authority",
                                 ("indicator_values.csv", 2, "authority")),
    "unknown barrier theme": ("return.xlsx", xlsx_bytes({"authority_barriers": barriers_rows(
        cells={(2, "theme_id"): "informaton_systems"})}), "Did you mean 'information_systems'?",
        ("authority_barriers", 2, "theme_id")),
    "unknown indicator": ("indicator_values.csv", values_csv([("cpo_comenced", "Fife", "2024-25", 500, "", "")]),
                          "Did you mean 'cpo_commenced'?", ("indicator_values.csv", 2, "indicator_id")),
    "calculated rate given": ("indicator_values.csv", values_csv([("cpo_per_10000_pop_16_70", "Fife", "2024-25", 40,
                                                                   "", "")]), "calculated by the tool",
                              ("indicator_values.csv", 2, "indicator_id")),
    "suppressed value given as [c]": ("indicator_values.csv", values_csv([("dtto_commenced", "Fife", "2024-25",
                                                                           "[c]", "", "")]), "exact figure",
                                      ("indicator_values.csv", 2, "value")),
    "empty required value": ("completeness.csv", completeness_csv(""), "is empty", ("completeness.csv", 2, "level")),
    "incomplete slice": ("completeness.csv", b"review_id,authority,item_id,level\n2024-25,Fife,perf_orders_volume,2\n",
                         "23 of 24 are missing", ("completeness.csv", 2, "authority")),
    "differs from a published figure": ("indicator_values.csv", values_csv([("cpo_commenced", "Glasgow City",
                                                                             "2019-20", 2600, "", "")]),
                                        "a published figure already exists", ("indicator_values.csv", 2, "value")),
    "csv of an unknown table": ("return.csv", b"colour,size\nred,2\n", "Cannot tell which table", None),
    "stray comma": ("completeness.csv", completeness_csv(2) + b"2024-25,Fife,perf_first_contact,2,extra\n",
                    "a stray comma", ("completeness.csv", 26, None)),
    "unknown review": ("completeness.csv", completeness_csv(2).replace(b"2024-25", b"2023-24"),
                       "unknown review edition", ("completeness.csv", 2, "review_id")),
    "existing indicator redefined": ("return.xlsx", xlsx_bytes({"indicators": [
        ["indicator_id", "label", "category", "unit", "value_type", "definition"],
        ["cpo_commenced", "x", "y", "orders", "count", "z"]]}), "already exists", ("indicators", 2, "indicator_id")),
}


@pytest.mark.parametrize("case", BAD_RETURNS, ids=list(BAD_RETURNS))
def test_a_bad_return_is_rejected_with_a_clear_message_and_nothing_changes(case, base, tmp_path):
    file_name, content, expected, location = BAD_RETURNS[case]
    data, db = base  # shared: nothing may change it
    before = sha(db)
    outcome = ingest.load(content, file_name, loaded_by="test", data_dir=data, db_path=db)

    assert outcome.outcome == "rejected"
    messages = [str(p) for p in outcome.checked.problems]
    matching = [p for p in outcome.checked.problems if expected in str(p)]
    assert matching, f"expected {expected!r} among {messages}"
    if location:
        sheet, row, column = location
        assert any((p.sheet, p.column) == (sheet, column) and (row is None or p.row == row) for p in matching), messages
    assert sha(db) == before
    assert not [p for p in (data / "uploads").iterdir() if p.is_dir()], "no upload folder is left behind"
    journal = pd.read_csv(data / "uploads" / "import_log.csv", dtype=str)
    assert journal.iloc[-1]["outcome"] == "rejected" and journal.iloc[-1]["file_name"] == Path(file_name).name


def test_every_problem_in_a_return_is_reported_at_once(base):
    content = xlsx_bytes({
        "authority_barriers": barriers_rows(cells={(2, "authority"): "Fyfe", (4, "impact"): 9}),
        "indicator_values": [["indicator_id", "authority", "period", "value"],
                             ["cpo_commenced", "Fife", "2024/25", 10],
                             ["cpo_successful_completion_rate", "Fife", "2024-25", 140]],
        "Notes": [["anything"]],
    })
    checked = ingest.check_return(content, "return.xlsx", ingest.read_reference(base[1]))
    located = {(p.sheet, p.row, p.column) for p in checked.problems}
    assert {("authority_barriers", 2, "authority"), ("authority_barriers", 4, "impact"),
            ("indicator_values", 2, "period"), ("indicator_values", 3, "value"), ("Notes", None, None)} <= located


def test_a_problem_reads_as_plain_english_with_its_location():
    problem = ingest.Problem("unknown authority. Did you mean 'Fife'?", "completeness", 7, "authority", "Fyfe")
    assert str(problem) == "Sheet 'completeness', row 7, column 'authority' (value 'Fyfe'): unknown authority. " \
                           "Did you mean 'Fife'?"


@pytest.mark.parametrize("written, code", [
    ("Fife", FIFE), ("S12000047", FIFE), ("S12000015", FIFE), ("fife council", FIFE),
    ("Perth and Kinross", "S12000048"), ("S12000024", "S12000048"), ("PERTH & KINROSS", "S12000048"),
    ("S12000046", GLASGOW), ("Glasgow", GLASGOW), ("S12000044", "S12000050"),
    ("Edinburgh", "S12000036"), ("City of Edinburgh", "S12000036"),
    ("Eilean Siar", "S12000013"), ("Comhairle nan Eilean Siar", "S12000013"), ("Na h-Eileanan Siar", "S12000013"),
])
def test_authority_names_codes_old_codes_and_variants_are_understood(written, code, base):
    assert ingest.read_reference(base[1]).resolve_authority(written) == (code, "")


def test_the_aliases_file_names_real_authorities_only():
    aliases = pd.read_csv(APP_ROOT / "data" / "authority_aliases.csv", dtype=str)
    codes = set(pd.read_csv(APP_ROOT / "data" / "local_authorities.csv", dtype=str)["gss_code"])
    assert set(aliases["gss_code"]) <= codes
    assert not set(aliases["alias"]) & codes, "an alias is never a current code"


# --- A good return ------------------------------------------------------------------------------

def test_a_dry_run_checks_and_changes_nothing(workspace, good_sheets):
    data, db = workspace
    before = sha(db)
    outcome = ingest.load(xlsx_bytes(good_sheets), "return.xlsx", loaded_by="test", data_dir=data, db_path=db,
                          dry_run=True)
    assert outcome.outcome == "checked", [str(p) for p in outcome.checked.problems]
    assert sha(db) == before
    assert not (data / "uploads" / "import_log.csv").exists()
    assert not [p for p in (data / "uploads").iterdir() if p.is_dir()]


def test_a_full_return_loads_replaces_its_slice_and_keeps_a_backup(workspace, good_sheets):
    data, db = workspace
    before = sha(db)
    outcome = ingest.load(xlsx_bytes(good_sheets), "full-return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert sha(db.with_name("jsw.duckdb.bak")) == before
    assert (data / "uploads" / "0001" / "completeness.csv").exists()

    # completeness: every level is the one in the return, and comes from the upload
    expected = good_sheets["completeness"].assign(
        gss_code=lambda f: f["authority"].map({n: c for c, n in authorities(data).itertuples(index=False)}))
    stored = fetch(db, """select c.gss_code, c.item_id, c.level, s.kind from completeness as c
                          join source as s using (source_id) where c.review_id = ?""", [REVIEW])
    merged = expected.merge(stored, on=["gss_code", "item_id"], suffixes=("_return", "_db"))
    assert len(merged) == len(expected) == 32 * 24
    assert (merged["level_return"] == merged["level_db"]).all()
    assert set(merged["kind"]) == {"uploaded"}

    # barriers: reported exactly where the return says yes
    barriers = fetch(db, "select count(*) filter (where reported) as reported, count(*) as n from authority_barrier")
    assert barriers.iloc[0].tolist() == [(good_sheets["authority_barriers"]["reported"] == "yes").sum(), 224]

    # preview: every existing row of those slices was illustrative and is replaced
    changes = outcome.preview.groupby("table")[["rows_in_return", "rows_replaced", "rows_added"]].sum()
    assert changes.loc["Evidence completeness"].tolist() == [768, 768, 0]
    assert changes.loc["Barriers"].tolist() == [224, 224, 0]


def test_loaded_counts_are_shown_unless_small_and_small_ones_are_hidden(workspace, good_sheets):
    data, db = workspace
    ingest.load(xlsx_bytes(good_sheets), "full-return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    given = good_sheets["indicator_values"]
    given = given[given["indicator_id"] == "dtto_commenced"].set_index("authority")["value"]
    stored = fetch(db, """select v.gss_code, v.value, v.suppressed, s.kind from indicator_value as v
                          join source as s using (source_id)
                          where v.indicator_id = 'dtto_commenced' and v.period = ? and v.gss_code <> 'S92000003'""",
                   [PERIOD]).set_index("gss_code")
    assert set(stored["kind"]) == {"uploaded"}
    small = given[given.between(1, 4)].index
    assert len(small) >= 2, "the fixture has small counts to hide"
    assert stored.loc[small, "suppressed"].all() and stored.loc[small, "value"].isna().all()
    shown = stored[~stored["suppressed"]]
    assert (shown["value"] == given[shown.index]).all()
    assert stored["suppressed"].sum() >= len(small)  # secondary suppression may add more, never fewer


def test_a_second_return_for_one_authority_replaces_only_that_slice(workspace, good_sheets):
    data, db = workspace
    ingest.load(xlsx_bytes(good_sheets), "full-return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    items = good_sheets["completeness"]["item_id"].unique()
    fife = pd.DataFrame({"review_id": REVIEW, "authority": "S12000015", "item_id": items, "level": 3})  # old code
    outcome = ingest.load(csv_bytes(fife), "fife-completeness.csv", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    levels = fetch(db, """select c.gss_code = ? as is_fife, min(c.level), max(c.level), min(s.source_id)
                          from completeness as c join source as s using (source_id) group by 1 order by 1""", [FIFE])
    assert levels.values.tolist() == [[False, 0, 3, "upload-0001"], [True, 3, 3, "upload-0002"]]
    assert fetch(db, "select count(*) from import_log where outcome = 'loaded'").iloc[0, 0] == 2


def test_a_row_repeating_a_published_figure_is_skipped_with_a_note(workspace):
    data, db = workspace
    rows = values_csv([("cpo_commenced", "Glasgow City", "2019-20", 2537, "", ""),
                       ("cpo_commenced", "Glasgow City", "2024-25", 2400, "", "")])
    outcome = ingest.load(rows, "indicator_values.csv", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert any("repeat a published figure" in n for n in outcome.checked.notes)
    kinds = fetch(db, """select v.period, s.kind from indicator_value as v join source as s using (source_id)
                         where indicator_id = 'cpo_commenced' and gss_code = ? order by 1""", [GLASGOW])
    assert dict(kinds.values.tolist())["2019-20"] == "published"
    assert dict(kinds.values.tolist())["2024-25"] == "uploaded"


def test_new_indicators_and_periods_can_be_added(workspace):
    data, db = workspace
    codes = authorities(data)["gss_code"]
    content = xlsx_bytes({
        "indicators": [["indicator_id", "label", "category", "unit", "value_type", "higher_is_better", "definition"],
                       ["upw_hours_completed", "Unpaid work hours completed", "Unpaid work", "hours", "count", "yes",
                        "Hours completed in the year."]],
        "indicator_values": [["indicator_id", "authority", "period", "value"],
                             *[["upw_hours_completed", code, "2025-26", 1000 + i] for i, code in enumerate(codes)]],
    })
    outcome = ingest.load(content, "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert fetch(db, "select count(*) from indicator_value where indicator_id = 'upw_hours_completed'").iloc[0, 0] == 32
    assert fetch(db, "select kind from period where period = '2025-26'").iloc[0, 0] == "financial_year"


def test_a_new_barrier_theme_needs_a_row_for_every_authority(workspace):
    data, db = workspace
    content = xlsx_bytes({
        "barrier_themes": [["theme_id", "label", "level", "description"],
                           ["digital_exclusion", "Digital exclusion", "local", "No devices or data."]],
        "authority_barriers": barriers_rows() + [[REVIEW, "Fife", "digital_exclusion", "yes", 2, ""]],
    })
    outcome = ingest.load(content, "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "rejected"
    assert any("need a row for every authority" in str(p) and "missing 31" in str(p) for p in outcome.checked.problems)


def test_a_build_failure_after_the_checks_changes_nothing(workspace, good_sheets, monkeypatch):
    data, db = workspace
    before = sha(db)

    def failing_build(*args, **kwargs):
        raise builder.BuildError("integrity rule failed: simulated")

    monkeypatch.setattr(builder, "build", failing_build)
    outcome = ingest.load(xlsx_bytes(good_sheets), "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "rejected"
    assert "simulated" in str(outcome.checked.problems[-1])
    assert sha(db) == before
    assert not [p for p in (data / "uploads").iterdir() if p.is_dir()]


# --- Command line -------------------------------------------------------------------------------

def test_the_command_line_rejects_a_bad_file_with_a_report_and_exit_code_1(workspace, tmp_path, capsys):
    data, db = workspace
    bad = tmp_path / "completeness.csv"
    bad.write_bytes(completeness_csv(7, authority="Fyfe"))
    assert ingest.main([str(bad), "--data-dir", str(data), "--db", str(db), "--by", "tester"]) == 1
    out = capsys.readouterr().out
    assert "REJECTED: 25 problem(s). Nothing was changed." in out  # 24 rows name Fyfe, and one level of 7
    assert "row 2, column 'authority' (value 'Fyfe'): unknown authority. Did you mean 'Fife'?" in out
    assert "Traceback" not in out


def test_the_command_line_dry_run_and_load(workspace, good_sheets, tmp_path, capsys):
    data, db = workspace
    good = tmp_path / "return.xlsx"
    good.write_bytes(xlsx_bytes(good_sheets))
    before = sha(db)
    assert ingest.main([str(good), "--dry-run", "--data-dir", str(data), "--db", str(db)]) == 0
    assert "OK: the return would load (dry run, nothing changed" in capsys.readouterr().out
    assert sha(db) == before
    assert ingest.main([str(good), "--data-dir", str(data), "--db", str(db)]) == 0
    assert "LOADED as import 1" in capsys.readouterr().out
    assert sha(db) != before


def test_the_command_line_reports_a_missing_file(tmp_path, capsys):
    assert ingest.main([str(tmp_path / "nope.xlsx")]) == 2
    assert "Cannot read" in capsys.readouterr().err


# --- The template -------------------------------------------------------------------------------

def test_the_template_has_a_readme_a_sheet_per_table_and_the_allowed_values(base):
    from openpyxl import load_workbook

    from jsw_explorer.returns import TABLES
    from jsw_explorer.template import template_csvs, template_xlsx

    reference = ingest.read_reference(base[1])
    workbook = load_workbook(io.BytesIO(template_xlsx(reference)))
    assert workbook.sheetnames == ["README", *[t.sheet for t in TABLES], "allowed_values"]
    for spec in TABLES:
        assert [c.value for c in workbook[spec.sheet][1]] == spec.column_names
    readme = "\n".join(str(c.value) for row in workbook["README"].iter_rows() for c in row if c.value)
    assert "Example row:" in readme and "What an uploaded row replaces" in readme
    allowed = pd.read_csv(io.BytesIO(template_csvs(reference)["allowed_values.csv"]))
    assert set(allowed["gss_code"].dropna()) == set(authorities(base[0])["gss_code"])
    assert "cpo_per_10000_pop_16_70" not in set(allowed["indicator_id"].dropna()), "calculated rates are not asked for"


def test_an_unfilled_template_is_rejected_as_empty_and_a_filled_one_loads(workspace, good_sheets):
    from openpyxl import load_workbook

    from jsw_explorer.template import template_xlsx

    data, db = workspace
    blank = template_xlsx(ingest.read_reference(db))
    outcome = ingest.load(blank, "template.xlsx", loaded_by="test", data_dir=data, db_path=db, dry_run=True)
    assert [str(p) for p in outcome.checked.problems] == ["The file is empty: it has headers but no rows of data."]

    workbook = load_workbook(io.BytesIO(blank))
    for name in ("completeness", "authority_barriers"):
        for record in good_sheets[name].itertuples(index=False):
            workbook[name].append(list(record))
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = ingest.load(buffer.getvalue(), "filled.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]


def test_looking_for_an_interrupted_import_creates_nothing_in_a_data_folder(data_copy, tmp_path):
    # The app calls recover() at start on the real data/: it must not write there when nothing was imported.
    assert ingest.recover(data_copy, tmp_path / "jsw.duckdb") == []
    assert not (data_copy / "uploads").exists()
