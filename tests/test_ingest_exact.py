"""Every return is read exactly or refused (issue 15): numbers as shown, every line a row, no
hidden characters, user text escaped in every message, and bounded work for any file."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from fixtures_returns import REVIEW
from jsw_explorer import build as builder
from jsw_explorer import ingest
from jsw_explorer.config import APP_ROOT, IMPORT_LIMITS
from jsw_explorer.data_access import open_read_only
from jsw_explorer.ingest.sandbox import run_bounded

FIFE = "S12000047"
RATE = "cpo_successful_completion_rate"  # a percentage indicator
COUNT = "cpo_commenced"                  # a count indicator
HEADER = "indicator_id,authority,period,value,numerator,denominator,note"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_value(db: Path, indicator: str, period: str = "2024-25") -> float:
    with open_read_only(db) as connection:
        return connection.execute("select value from indicator_value where indicator_id = ? and gss_code = ? "
                                  "and period = ?", [indicator, FIFE, period]).fetchone()[0]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("exact-base")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    return data, builder.build(data, root / "jsw.duckdb")


@pytest.fixture
def workspace(base, tmp_path) -> tuple[Path, Path]:
    data, db = tmp_path / "data", tmp_path / "jsw.duckdb"
    shutil.copytree(base[0], data, ignore=shutil.ignore_patterns("uploads"))
    shutil.copy2(base[1], db)
    return data, db


@pytest.fixture(scope="module")
def reference(base):
    return ingest.read_reference(base[1])


def rejected(base, content: bytes, file_name: str) -> list[ingest.Problem]:
    """Load a return that must be refused; nothing may change. Returns its problems."""
    data, db = base
    before = sha(db)
    outcome = ingest.load(content, file_name, loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "rejected", "loaded although it should be refused"
    assert sha(db) == before
    assert not [p for p in (data / "uploads").iterdir() if p.is_dir()]
    return outcome.checked.problems


def located(problems, sheet, row, column, words) -> bool:
    return any((p.sheet, p.row, p.column) == (sheet, row, column) and words in str(p) for p in problems)


def workbook_bytes(rows: list[list], formats: dict[str, str] | None = None, sheet: str = "indicator_values",
                   extra=None) -> bytes:
    """One sheet; `formats` maps a cell (B2) to its number format; `extra(sheet)` may change it more."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for cell, code in (formats or {}).items():
        worksheet[cell].number_format = code
    if extra:
        extra(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALUE_HEADER = ["indicator_id", "authority", "period", "value"]


# --- 1. Numbers: one decimal mark; nothing guessed ---------------------------------------------------

@pytest.mark.parametrize("indicator, written", [
    (RATE, "8,5"), (RATE, "70,8"), (COUNT, "1,234"), (COUNT, "1.234,5"), (COUNT, "1 234"), (COUNT, "1\u00a0234"),
    (COUNT, "1_000"), (COUNT, "\u0663\u0664"), (RATE, "8,5%"), (COUNT, "0x10"),
], ids=["decimal-comma", "decimal-comma-2", "thousands-comma", "european", "thousands-space", "thousands-nbsp",
        "underscore", "arabic-indic-digits", "comma-and-percent", "hex"])
def test_a_number_written_any_other_way_than_the_rule_is_refused_where_it_stands(base, indicator, written):
    content = f'{HEADER}\n{indicator},Fife,2024-25,"{written}",,,\n'.encode()
    problems = rejected(base, content, "indicator_values.csv")
    assert located(problems, "indicator_values.csv", 2, "value", "full stop as the decimal mark"), problems
    assert any(f"(value '{written}')" in str(p) for p in problems)


def test_a_decimal_comma_in_an_xlsx_text_cell_is_refused_too(base):
    content = workbook_bytes([VALUE_HEADER, [RATE, "Fife", "2024-25", "8,5"]])
    assert located(rejected(base, content, "return.xlsx"), "indicator_values", 2, "value", "has a comma")


# --- 2. Percent signs and percentage formats: stored as seen, or refused --------------------------------

def test_a_percent_sign_on_a_percentage_indicator_is_stored_as_shown(workspace):
    data, db = workspace
    content = f"{HEADER}\n{RATE},Fife,2024-25,70.8%,,,\n".encode()
    outcome = ingest.load(content, "indicator_values.csv", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert stored_value(db, RATE) == pytest.approx(70.8)


def test_a_percentage_formatted_excel_cell_is_stored_as_the_person_saw_it(workspace):
    data, db = workspace
    content = workbook_bytes([VALUE_HEADER, [RATE, "Fife", "2024-25", 0.708]], formats={"D2": "0.0%"})
    outcome = ingest.load(content, "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert stored_value(db, RATE) == pytest.approx(70.8)  # shown as 70.8%: not 0.708


@pytest.mark.parametrize("content, file_name, sheet, column, words", [
    (f"{HEADER}\n{COUNT},Fife,2024-25,50%,,,\n".encode(), "indicator_values.csv", "indicator_values.csv", "value",
     "has a percent sign, but this indicator is a count"),
    (workbook_bytes([VALUE_HEADER, [COUNT, "Fife", "2024-25", 0.5]], formats={"D2": "0%"}), "return.xlsx",
     "indicator_values", "value", "has a percent sign, but this indicator is a count"),
    (f"{HEADER}\n{RATE},Fife,2024-25,50,10%,20,\n".encode(), "indicator_values.csv", "indicator_values.csv",
     "numerator", "the numerator and denominator are counts"),
    (workbook_bytes([VALUE_HEADER, [COUNT, "Fife", "2024-25", 1234]], formats={"D2": "#,##0,"}), "return.xlsx",
     "indicator_values", None, "divided by 1000"),
], ids=["percent-sign-on-a-count", "percent-format-on-a-count", "percent-numerator", "thousands-scaling-format"])
def test_a_percentage_where_none_belongs_is_refused_never_scaled(base, content, file_name, sheet, column, words):
    assert located(rejected(base, content, file_name), sheet, 2, column, words)


def test_a_percent_format_on_a_level_is_refused(base):
    rows = [["review_id", "authority", "item_id", "level"], [REVIEW, "Fife", "perf_orders_volume", 0.02]]
    content = workbook_bytes(rows, formats={"D2": "0%"}, sheet="completeness")
    assert located(rejected(base, content, "return.xlsx"), "completeness", 2, "level", "not a percentage")


@pytest.mark.parametrize("column, cell, number_format", [
    ("D", "=1/0", None), ("G", "=NA()", None), ("D", 248804662.9, "yyyy-mm-dd"), ("G", 248804662.9, "yyyy-mm-dd"),
], ids=["value-formula", "note-formula", "value-date-out-of-range", "note-date-out-of-range"])
def test_a_cell_that_shows_no_value_is_refused_never_read_as_empty(base, column, cell, number_format):
    """A formula with no saved result (as written by scripts) and a date Excel cannot show hold no readable
    value: read as saved results only, they would pass for empty cells (a note silently lost)."""
    row = [COUNT, "Fife", "2024-25", 500, None, None, "checked"]
    row["DEFG".index(column) + 3] = cell
    content = workbook_bytes([[*VALUE_HEADER, "numerator", "denominator", "note"], row],
                             formats={f"{column}2": number_format} if number_format else None)
    problems = rejected(base, content, "return.xlsx")
    assert any(p.sheet == "indicator_values" and p.row == 2 and f"column {column}" in p.reason for p in problems), \
        [str(p) for p in problems]


@pytest.mark.parametrize("cell, number_format, expected", [
    (0, "0%", "0%"), (0.125, "0.0%", "12.5%"), (0, None, "0"), (True, None, "yes"), (45413, "yyyy-mm-dd", "2024-05"),
    (45414, "yyyy-mm-dd", "2024-05-02"),
], ids=["zero-percent", "percent", "zero", "boolean", "first-of-month", "date"])
def test_a_note_typed_as_a_number_or_date_is_stored_as_the_cell_shows_it(workspace, cell, number_format, expected):
    data, db = workspace
    content = workbook_bytes([[*VALUE_HEADER, "numerator", "denominator", "note"],
                              [COUNT, "Fife", "2024-25", 500, None, None, cell]],
                             formats={"G2": number_format} if number_format else None)
    outcome = ingest.load(content, "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    assert outcome.checked.tables["indicator_values.csv"]["note"].tolist() == [expected]


def test_an_excel_error_saved_in_a_note_is_refused(base):
    def error_note(worksheet):
        worksheet["G2"].value, worksheet["G2"].data_type = "#DIV/0!", "e"
    content = workbook_bytes([[*VALUE_HEADER, "numerator", "denominator", "note"],
                              [COUNT, "Fife", "2024-25", 500, None, None, "x"]], extra=error_note)
    problems = rejected(base, content, "return.xlsx")
    assert any(p.row == 2 and "Excel error" in p.reason and p.value == "#DIV/0!" for p in problems), problems


# --- 3. Every line of a CSV is one row: nothing swallowed --------------------------------------------

def test_an_unterminated_quote_is_refused_at_the_line_where_it_opens(base):
    content = (f'{HEADER}\n{COUNT},Fife,2024-25,500,,,"Checked by the team\n'
               f"{COUNT},Angus,2024-25,300,,,\n{COUNT},Moray,2024-25,200,,,\n{COUNT},Falkirk,2024-25,100,,,\n").encode()
    problems = rejected(base, content, "indicator_values.csv")
    assert located(problems, "indicator_values.csv", 2, None, "never closed"), problems


def test_a_quoted_value_closed_on_a_later_line_is_refused_with_both_lines(base):
    content = (f'{HEADER}\n{COUNT},Fife,2024-25,500,,,"Checked\n{COUNT},Angus,2024-25,300,,,"\n'
               f"{COUNT},Moray,2024-25,200,,,\n").encode()
    problems = rejected(base, content, "indicator_values.csv")
    assert located(problems, "indicator_values.csv", 2, None, "lines 2 to 3"), problems


def test_a_stray_quote_after_a_quoted_value_is_refused_at_its_line(base):
    content = f'{HEADER}\n{COUNT},Fife,2024-25,500,,,\n{COUNT},Angus,2024-25,300,,,"a"b\n'.encode()
    assert located(rejected(base, content, "indicator_values.csv"), "indicator_values.csv", 3, None, "from line 3")


def test_the_rows_read_from_each_file_are_stated_before_anything_loads(base, tmp_path, capsys):
    data, db = base
    lines = [f"{COUNT},{name},2024-25,{100 + i},,," for i, name in enumerate(["Fife", "Angus", "Moray", "Falkirk"])]
    path = tmp_path / "indicator_values.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    checked, preview = ingest.check_file(path.read_bytes(), path.name, db)
    assert checked.ok and checked.rows_read == {"indicator_values.csv": 4}
    assert ingest.main([str(path), "--dry-run", "--data-dir", str(data), "--db", str(db)]) == 0
    assert "Read 4 rows from 'indicator_values.csv'." in capsys.readouterr().out


# --- 4 and 5. No hidden characters in; user text escaped in every message ---------------------------

# CSV carries the characters openpyxl refuses to write; a CR in a CSV is a line break (refused as such)
UNSAFE = [("csv", c) for c in ["\x0b", "\x1b[31m", "\x07", "\x7f", "\u202e", "\u200b", "\u2066"]] + \
         [("xlsx", c) for c in ["\u202e", "\u200b", "\ufeff", "\x85", "\r"]]


def return_with(cells: dict[str, str], kind: str) -> tuple[bytes, str, str]:
    """(content, file name, sheet label) of a one-row indicator_values return in CSV or XLSX."""
    values = [cells["indicator_id"], cells["authority"], cells["period"], "500", cells["note"]]
    if kind == "csv":
        line = ",".join(f'"{v}"' for v in values)
        return f"{','.join(VALUE_HEADER)},note\n{line}\n".encode(), "indicator_values.csv", "indicator_values.csv"
    return workbook_bytes([[*VALUE_HEADER, "note"], values]), "return.xlsx", "indicator_values"


@pytest.mark.parametrize("kind, character", UNSAFE, ids=[f"{k}-{c!r}" for k, c in UNSAFE])
@pytest.mark.parametrize("column", ["note", "authority", "indicator_id", "period"])
def test_control_bidi_and_zero_width_characters_are_refused_in_every_column(base, character, column, kind):
    cells = {"indicator_id": COUNT, "authority": "Fife", "period": "2024-25", "note": "checked"}
    cells[column] = cells[column][:2] + character + cells[column][2:]
    content, file_name, label = return_with(cells, kind)
    problems = rejected(base, content, file_name)
    assert located(problems, label, 2, column, "control, bidirectional or zero-width"), problems
    escaped = character.encode("unicode_escape").decode("ascii")
    text = "\n".join(map(str, problems))
    assert escaped in text and character not in text
    assert all(character not in str(v) for p in problems for v in p.as_dict().values())


def test_the_command_line_never_prints_a_terminal_escape_from_a_return(base, tmp_path, capsys):
    data, db = base
    path = tmp_path / "indicator_values\x1b[2J.csv"
    path.write_bytes(f"{HEADER}\n{COUNT},\x1b[2J\x1b[32mLOADED\x07,2024-25,500,,,\n".encode())
    assert ingest.main([str(path), "--dry-run", "--data-dir", str(data), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b[2J\\x1b[32mLOADED\\x07" in output and "REJECTED" in output


def test_a_problem_escapes_every_piece_of_user_text():
    problem = ingest.Problem("unknown.", "sheet\u202e", 3, "col\x1b", "va\x00lue")
    assert str(problem) == "Sheet 'sheet\\u202e', row 3, column 'col\\x1b' (value 'va\\x00lue'): unknown."
    assert problem.as_dict() == {"sheet": "sheet\\u202e", "row": 3, "column": "col\\x1b", "value": "va\\x00lue",
                                 "problem": "unknown."}


# --- 6 and 7. Bounded work for any file ------------------------------------------------------------

def good_rows() -> list[list]:
    return [VALUE_HEADER, [COUNT, "Fife", "2024-25", 500]]


def test_an_empty_formatted_cell_at_the_end_of_the_sheet_costs_nothing(base):
    def far_cell(sheet):
        sheet["Z1048576"].number_format = "0.0"
        sheet["Z1048576"].font = Font(bold=True)
    content = workbook_bytes(good_rows(), extra=far_cell)
    assert b"Z1048576" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    checked, _ = ingest.check_file(content, "return.xlsx", base[1])
    assert time.perf_counter() - started < 20  # was 118 s and 6.3 GB: every cell of the declared extent
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.rows_read == {"indicator_values": 1}


def test_a_value_far_to_the_right_is_refused_by_the_column_limit(base):
    content = workbook_bytes(good_rows(), extra=lambda sheet: sheet.cell(5000, 16384, "x"))
    problems = rejected(base, content, "return.xlsx")
    assert located(problems, "indicator_values", 5000, None, "a value in column XFD"), problems


def with_part(content: bytes, name: str, change) -> bytes:
    """The workbook with one part rewritten by change(bytes) -> bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == name else data)
    return buffer.getvalue()


def test_a_huge_xml_comment_is_refused_at_once(base):
    comment = b"<!--" + b"x" * (90 * 1024 * 1024) + b"-->"
    content = with_part(workbook_bytes(good_rows()), "xl/worksheets/sheet1.xml",
                        lambda xml: xml.replace(b"<sheetData>", comment + b"<sheetData>"))
    assert len(content) < 1024 * 1024
    started = time.perf_counter()
    problems = rejected(base, content, "return.xlsx")
    assert time.perf_counter() - started < 20  # was 243 s
    assert any("XML comment" in str(p) for p in problems), problems


def test_a_huge_piece_of_text_in_the_xml_is_refused_by_the_token_limit(base):
    text = b"<t>" + b"y" * (IMPORT_LIMITS.xml_token_bytes + 10) + b"</t>"
    content = with_part(workbook_bytes([VALUE_HEADER, [COUNT, "Fife", "2024-25", "z"]]), "xl/worksheets/sheet1.xml",
                        lambda xml: re.sub(rb"<t>z</t>", text, xml))
    assert any("single piece of XML" in str(p) for p in rejected(base, content, "return.xlsx"))


def limited(**change):
    return dataclasses.replace(IMPORT_LIMITS, **change)


@pytest.mark.parametrize("change, content, file_name, words", [
    ({"rows": 3}, "\n".join([HEADER, *[f"{COUNT},Fife,2024-25,{i},,," for i in range(4)]]).encode(),
     "indicator_values.csv", "too many rows (more than 3)"),
    ({"rows": 3}, workbook_bytes([VALUE_HEADER, *[[COUNT, "Fife", "2024-25", i] for i in range(4)]]), "r.xlsx",
     "too many rows (more than 3)"),
    ({"columns": 5}, workbook_bytes([[*VALUE_HEADER, "note", "x"], [COUNT, "Fife", "2024-25", 1, "", "y"]]),
     "r.xlsx", "at most 5 columns"),
    ({"columns": 5}, f"{HEADER}\n{COUNT},Fife,2024-25,1,,,x\n".encode(), "indicator_values.csv", "at most 5 columns"),
    ({"cells": 7}, workbook_bytes([VALUE_HEADER, [COUNT, "Fife", "2024-25", 1]]), "r.xlsx", "more than 7"),
    ({"cells": 7}, f"{HEADER}\n{COUNT},Fife,2024-25,1,,,\n".encode(), "indicator_values.csv", "more than 7"),
    ({"cell_characters": 10}, workbook_bytes([[*VALUE_HEADER, "note"], [COUNT, "Fife", "2024-25", 1, "x" * 11]]),
     "r.xlsx", "the limit is 10 per value"),
    ({"cell_characters": 10}, f"{HEADER}\n{COUNT},Fife,2024-25,1,,,{'x' * 11}\n".encode(), "indicator_values.csv",
     "the limit is 10 per value"),
    ({"unpacked_bytes": 2000}, workbook_bytes(good_rows()), "r.xlsx", "unpacks to"),
    ({"zip_parts": 3}, workbook_bytes(good_rows()), "r.xlsx", "the limit is 3"),
    ({"xml_token_bytes": 100}, workbook_bytes([[*VALUE_HEADER, "note"], [COUNT, "Fife", "2024-25", 1, "n" * 150]]),
     "r.xlsx", "single piece of XML"),
    ({"file_bytes": 100}, workbook_bytes(good_rows()), "r.xlsx", "The file is too big"),
], ids=["csv-rows", "xlsx-rows", "xlsx-columns", "csv-columns", "xlsx-cells", "csv-cells", "xlsx-characters",
        "csv-characters", "unpacked", "parts", "token", "file"])
def test_each_limit_has_its_own_refusal(reference, change, content, file_name, words):
    unlimited = ingest.check_return(content, file_name, reference)
    assert not any(words in str(p) for p in unlimited.problems)
    checked = ingest.check_return(content, file_name, reference, limited(**change))
    assert any(words in str(p) for p in checked.problems), [str(p) for p in checked.problems]
    assert not checked.tables


def test_a_zip_that_lies_about_its_size_is_stopped_at_the_real_limit(reference):
    content = workbook_bytes(good_rows())
    source = zipfile.ZipFile(io.BytesIO(content))
    assert sum(i.file_size for i in source.infolist()) < 100_000
    checked = ingest.check_return(content, "r.xlsx", reference, limited(unpacked_bytes=5_000))
    assert any("unpacks to" in str(p) for p in checked.problems)


def test_work_past_its_time_or_memory_budget_is_stopped():
    import sandbox_targets

    assert run_bounded(sandbox_targets.add, (2, 3), 30, 2**30).result == 5
    slow = run_bounded(sandbox_targets.sleep_for, (60,), 1.0, 2**30)
    assert slow.status == "time" and slow.seconds < 10
    big = run_bounded(sandbox_targets.hold_memory, (1500,), 30, 400 * 2**20)
    assert big.status == "memory" and big.seconds < 20


def test_a_check_past_its_budget_is_refused_with_a_message(reference):
    content = workbook_bytes(good_rows())
    checked = ingest.check_bounded(content, "r.xlsx", reference, limited(check_memory_bytes=10 * 2**20))
    assert [p.reason for p in checked.problems] == [
        "Checking this file needed more than the limit of 10 MB of memory, so it was stopped and nothing was "
        "changed. Check this is the right file, or upload its sheets as CSV files."]
    assert ingest.check_bounded(content, "r.xlsx", reference).ok


def test_binary_data_in_a_csv_is_refused_at_its_line(base):
    content = f"{HEADER}\n{COUNT},Fife,2024-25,500,,,\n{COUNT},An\x00gus,2024-25,300,,,\n".encode()
    assert any("binary data, first on line 3" in str(p) for p in rejected(base, content, "indicator_values.csv"))
