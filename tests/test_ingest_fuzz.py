"""Fuzz test of the importer (Hypothesis): random mutations of a valid return (values, types,
number formats, encodings, quoting, damaged quotes and commas). Every outcome is one of two:

- refused: every problem is located (or about the whole file), no message holds an unsafe
  character, the database file is unchanged and no upload folder is left; or
- loaded: every number is stored as the cell showed it (never a factor of 10 or 100), every row of
  the file became a row, every note is stored exactly, a rebuild from data/ gives identical tables,
  and the whole-dataset download of the loaded tables still builds.

The run is bounded: at most MAX_EXAMPLES cases and BUDGET_SECONDS of wall time (cases after the
budget return at once), deterministic (derandomize) so a failure reproduces.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from fixtures_returns import REVIEW
from jsw_explorer import build as builder
from jsw_explorer import ingest
from jsw_explorer.config import APP_ROOT
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.downloads import to_xlsx_bytes
from jsw_explorer.safe_text import has_unsafe

MAX_EXAMPLES = 300
BUDGET_SECONDS = 90
MIN_CASES = 50  # under the time budget on a busy 2-core machine; a quiet one checks about 300
FULL_LOADS = 3  # accepted cases actually loaded and rebuilt (two builds each); the rest are checked exactly
PERIOD = "2025-26"  # a new period: no published totals to add up to
PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
FILE_LEVEL = ("The file", "The workbook", "This file", "Cannot tell", "Checking this file", "Workbooks cannot")
STATS = {"cases": 0, "refused": 0, "accepted": 0, "loaded": 0, "skipped_for_time": 0, "seconds": 0.0}


def template(data: Path) -> dict[str, list[list]]:
    """A small valid return: header row first, one sheet per table."""
    items = pd.read_csv(data / "evidence_items.csv", dtype=str)["item_id"].tolist()
    themes = pd.read_csv(data / "barrier_themes.csv", dtype=str)["theme_id"].tolist()
    return {
        "indicator_values": [["indicator_id", "authority", "period", "value", "numerator", "denominator", "note"],
                             ["cpo_commenced", "Fife", PERIOD, 412, "", "", "checked by the team"],
                             ["cpo_commenced", "Angus", PERIOD, 230, "", "", ""],
                             ["cpo_commenced", "S12000020", PERIOD, 118, "", "", "provisional"],
                             ["cpo_successful_completion_rate", "Fife", PERIOD, 70.8, "", "", "Fife's own figure"]],
        "completeness": [["review_id", "authority", "item_id", "level"],
                         *[[REVIEW, "Moray", item, i % 4] for i, item in enumerate(items)]],
        "authority_barriers": [["review_id", "authority", "theme_id", "reported", "impact", "note"],
                               *[[REVIEW, "Moray", theme, "yes" if i % 2 else "no", 2 if i % 2 else 0, ""]
                                 for i, theme in enumerate(themes)]],
    }


NUMBER_TEXTS = ["8,5", "1,234", "1 234", "70.8%", "50%", "1e3", " 12 ", "-1", "NaN", "inf", "0x10", "\u0661\u0662",
                "12.", ".5", "+3", "1_000", "3.0", "2", "0", "99.5", "1.234,5", "٣", "7 %", "100%", "0.5"]
FORMATS = [None, "0.0%", "0%", "#,##0", "#,##0,", "@", "0.00E+00", "yyyy-mm-dd", '0.0"%"', "0.0"]
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
cell_value = st.one_of(st.sampled_from(NUMBER_TEXTS), any_text, st.integers(-5, 10**7),
                       st.floats(-1e6, 1e9, allow_nan=False, allow_infinity=False), st.booleans(), st.just(""))
mutation = st.tuples(st.sampled_from(["indicator_values", "completeness", "authority_barriers"]),
                     st.integers(1, 30), st.integers(0, 6), cell_value, st.sampled_from(FORMATS))
csv_options = st.fixed_dictionaries({
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    "terminator": st.sampled_from(["\n", "\r\n"]),
    "damage": st.sampled_from([None, None, "drop-quote", "add-quote", "drop-comma", "add-comma"]),
    "where": st.floats(0, 1),
})


def mutate(sheets: dict[str, list[list]], changes) -> tuple[dict[str, list[list]], dict]:
    """The sheets with the changes applied; and cell -> number format for the XLSX."""
    sheets = {name: [list(row) for row in rows] for name, rows in sheets.items()}
    formats = {}
    for name, row, column, value, number_format in changes:
        rows = sheets[name]
        row = row % len(rows)  # row 0 is the header: mutated too, sometimes
        column = column % len(rows[0])
        rows[row][column] = value
        if number_format:
            formats[(name, row + 1, column + 1)] = number_format
    return sheets, formats


def as_xlsx(sheets, formats) -> bytes | None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    try:
        for name, rows in sheets.items():
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
        for (name, row, column), code in formats.items():
            workbook[name].cell(row, column).number_format = code
        buffer = io.BytesIO()
        workbook.save(buffer)
    except Exception:  # openpyxl refuses to write some characters: not a file anyone can make
        return None
    return buffer.getvalue()


def as_csv(rows: list[list], options: dict) -> bytes | None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=options["quoting"], lineterminator=options["terminator"])
    try:
        writer.writerows([[("" if v is None else v) for v in row] for row in rows])
    except (csv.Error, ValueError):
        return None
    text = buffer.getvalue()
    damage, at = options["damage"], int(options["where"] * max(len(text) - 1, 0))
    mark = {"drop-quote": '"', "drop-comma": ","}.get(damage)
    if mark and mark in text:
        position = text.find(mark, at) if text.find(mark, at) >= 0 else text.find(mark)
        text = text[:position] + text[position + 1:]
    elif damage in ("add-quote", "add-comma"):
        text = text[:at] + ('"' if damage == "add-quote" else ",") + text[at:]
    try:
        return text.encode(options["encoding"])
    except UnicodeEncodeError:
        return None


def shown_number(value, number_format) -> float | None:
    """The number a person sees in a value cell, by the documented rule; None when it must be refused."""
    if isinstance(value, bool) or value == "" or value is None:
        return None
    if isinstance(value, (int, float)):
        bare = re.sub(r'"[^"]*"', "", number_format or "")
        if number_format == "yyyy-mm-dd" or re.search(r"[0#],+(?![0#,])", bare):
            return None
        return value * 100 if "%" in bare else value
    text = str(value).strip()
    if PLAIN.fullmatch(text):
        return float(text)
    if text.endswith("%") and PLAIN.fullmatch(text[:-1].rstrip()):
        return float(text[:-1].rstrip())
    return None


REFUSED = object()


def shown_note(value, number_format, in_workbook: bool):
    """What a note cell holds as a person sees it, by the documented reading rules: text, a number (float; a
    percent-formatted number as the percentage, compared with its '%'), or REFUSED when the cell shows no value."""
    if value is None:
        return ""
    if not in_workbook:
        return str(value).strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return REFUSED if value.startswith("=") and len(value) > 1 else value.strip()  # openpyxl writes a formula
    bare = re.sub(r'"[^"]*"', "", number_format or "")
    if re.search(r"[0#],+(?![0#,])", bare):
        return REFUSED
    if number_format == "yyyy-mm-dd":
        try:
            day = from_excel(value)
        except (OverflowError, ValueError):
            return REFUSED  # a date Excel cannot show
        return day.strftime("%Y-%m") if day.day == 1 else day.strftime("%Y-%m-%d")  # a typed month reads back as one
    return ("%", value * 100) if "%" in bare else ("", value)


def assert_note(stored: str, expected) -> None:
    assert expected is not REFUSED, f"{stored!r} should have been refused"
    if isinstance(expected, tuple):
        sign, number = expected
        assert stored.endswith(sign) and float(stored.removesuffix("%")) == pytest.approx(number, rel=1e-9), stored
    else:
        assert stored == expected


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(db: Path) -> dict[str, pd.DataFrame]:
    """Every table's rows, in a stable order (build_info holds the build time, so it is left out)."""
    with open_read_only(db) as connection:
        names = [r[0] for r in connection.execute("select table_name from information_schema.tables "
                                                  "where table_type = 'BASE TABLE' order by 1").fetchall()]
        return {name: connection.execute(f'select * from "{name}" order by all').df()
                for name in names if name != "build_info"}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db = builder.build(data, root / "jsw.duckdb")
    yield root, data, db, template(data), ingest.read_reference(db)
    print(f"\nfuzz: {STATS}")
    # A run cut short by its time budget must still have checked both outcomes, and loaded for real
    assert STATS["cases"] >= MIN_CASES and STATS["refused"] and STATS["accepted"] and STATS["loaded"], \
        f"the fuzz run checked too little: {STATS}"


def check_refused(base, content: bytes, file_name: str) -> None:
    root, data, db, *_ = base
    before = sha(db)
    outcome = ingest.load(content, file_name, loaded_by="fuzz", data_dir=data, db_path=db)
    assert outcome.outcome == "rejected"
    problems = outcome.checked.problems
    assert problems
    for problem in problems:
        assert problem.sheet or problem.reason.startswith(FILE_LEVEL), f"not located: {problem}"
        assert not has_unsafe(str(problem)), repr(str(problem))
        assert not any(has_unsafe(str(v)) for v in problem.as_dict().values())
    assert sha(db) == before
    assert not [p for p in (data / "uploads").iterdir() if p.is_dir()]


def check_exact(stored_tables: dict[str, pd.DataFrame], sheets, formats, tables_in_file, in_workbook: bool) -> None:
    """The accepted rows as they will be stored: one per row of the file, numbers as shown, notes exact."""
    for name in tables_in_file:
        rows = sheets[name]
        data_rows = [(number, r) for number, r in enumerate(rows[1:], start=2)
                     if any(str(v).strip() for v in r if v is not None)]
        stored = stored_tables[f"{name}.csv"]
        assert len(stored) == len(data_rows), "every row of the file is a row of the return"
        header = [str(h).strip().casefold() for h in rows[0]]
        for position, (number, row) in enumerate(data_rows):
            for column in ("value", "level", "impact"):
                if column in header:
                    cell = row[header.index(column)]
                    number_format = formats.get((name, number, header.index(column) + 1))
                    expected = shown_number(cell, number_format)
                    assert expected is not None, f"{cell!r} ({number_format}) should have been refused"
                    assert float(stored.iloc[position][column]) == pytest.approx(expected, rel=1e-9), (cell, stored)
            if "note" in header and "note" in stored:
                column = header.index("note")
                assert_note(stored.iloc[position]["note"],
                            shown_note(row[column], formats.get((name, number, column + 1)), in_workbook))


def check_loaded(base, content: bytes, file_name: str, case: int) -> None:
    """Load it for real; a rebuild from data/ gives the same tables, and the downloads still build."""
    root, data, db, *_ = base
    work = root / f"case-{case}"
    shutil.copytree(data, work / "data", ignore=shutil.ignore_patterns("uploads"))
    shutil.copy2(db, work / "jsw.duckdb")
    outcome = ingest.load(content, file_name, loaded_by="fuzz", data_dir=work / "data", db_path=work / "jsw.duckdb")
    assert outcome.outcome == "loaded", [str(p) for p in outcome.checked.problems]
    stored = {p.name: pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in (work / "data" / "uploads" / "0001").glob("*.csv")}
    assert {k: v.to_dict() for k, v in stored.items() if k in outcome.checked.tables} == \
        {k: v.to_dict() for k, v in outcome.checked.tables.items()}, "written exactly as checked"
    rebuilt = builder.build(work / "data", work / "rebuilt.duckdb")
    loaded, again = tables(work / "jsw.duckdb"), tables(rebuilt)
    assert loaded.keys() == again.keys()
    for name in loaded:
        pd.testing.assert_frame_equal(loaded[name], again[name], obj=name)
    with open_read_only(work / "jsw.duckdb") as connection:
        exports = {sheet: connection.execute(load_sql(query)).df() for sheet, query in
                   [("indicator_values", "export_indicator_value"), ("completeness", "export_completeness"),
                    ("authority_barriers", "export_authority_barrier")]}
    assert to_xlsx_bytes(exports)[:2] == b"PK"
    shutil.rmtree(work, ignore_errors=True)


@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(changes=st.lists(mutation, max_size=3), as_workbook=st.booleans(), table=st.sampled_from(
    ["indicator_values", "completeness", "authority_barriers"]), options=csv_options)
def test_every_mutated_return_is_refused_with_located_messages_or_loaded_exactly(base, changes, as_workbook, table,
                                                                               options):
    started = time.perf_counter()
    if STATS["seconds"] > BUDGET_SECONDS:
        STATS["skipped_for_time"] += 1
        return
    sheets, formats = mutate(base[3], changes)
    if as_workbook:
        content, file_name, in_file = as_xlsx(sheets, formats), "return.xlsx", list(sheets)
    else:
        content, file_name, in_file = as_csv(sheets[table], options), f"{table}.csv", [table]
        formats = {}
    if content is None:
        return
    STATS["cases"] += 1
    checked = ingest.check_return(content, file_name, base[4])  # in this process: the load checks it again, bounded
    if checked.ok:
        STATS["accepted"] += 1
        check_exact(checked.tables, sheets, formats, in_file, as_workbook)
        if STATS["loaded"] < FULL_LOADS:
            STATS["loaded"] += 1
            check_loaded(base, content, file_name, STATS["cases"])
    else:
        STATS["refused"] += 1
        check_refused(base, content, file_name)
    STATS["seconds"] += time.perf_counter() - started
