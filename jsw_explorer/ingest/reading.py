"""Reading a return (CSV or XLSX) into sheets of text cells, refusing what cannot be read exactly.

Every reader works within the limits of config.ImportLimits and refuses a file that exceeds one,
saying which. A CSV is parsed strictly: a quoted value may not run over several lines, so the rows
read always match the lines of the file, and a quote that is never closed is refused at the line
where it opens. Workbooks are read by jsw_explorer.ingest.xlsx.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jsw_explorer.config import IMPORT_LIMITS, ImportLimits
from jsw_explorer.ingest.problems import Problem
from jsw_explorer.returns import BY_SHEET, COLUMN_ALIASES, TABLES, TableSpec

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class RawSheet:
    spec: TableSpec
    label: str                       # as named in the file (sheet name or file name)
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    # (row, column) of numbers shown with a percent sign, typed or by a percentage number format
    percent_cells: set[tuple[int, str]] = field(default_factory=set)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):  # Excel turned '2024-05' into a date: read it back as a month
        return value.strftime("%Y-%m") if value.day == 1 else value.strftime("%Y-%m-%d")
    return str(value).strip()


def clean_header(name: str) -> str:
    name = re.sub(r"[\s\-]+", "_", str(name).strip().lstrip("\ufeff").casefold())
    return name


def is_xlsx(content: bytes, file_name: str) -> bool:
    return content[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))


def decode_text(content: bytes) -> tuple[str | None, Problem | None]:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[:error.start].count(b"\n") + 1
        return None, Problem(
            f"The file cannot be read: it is not UTF-8 text (the first unreadable character is on line {line}, "
            f"byte 0x{content[error.start]:02X}). In Excel choose Save As > 'CSV UTF-8 (Comma delimited)', "
            "or upload the workbook (.xlsx) instead.")
    if "\x00" in text:
        line = len(LINE_BREAK.findall(text[:text.index("\x00")])) + 1
        return None, Problem(f"The file cannot be read: it is not a text CSV file (it contains binary data, first on "
                             f"line {line}). Upload the return as .xlsx or as CSV UTF-8.")
    return text, None


def read_csv(content: bytes, file_name: str,
             limits: ImportLimits = IMPORT_LIMITS) -> tuple[list[RawSheet], list[Problem]]:
    text, problem = decode_text(content)
    if problem:
        return [], [problem]
    label = Path(file_name).name or "the file"
    records, problem = csv_records(text, label, limits)
    if problem:
        return [], [problem]
    if not any(any(c.strip() for c in r) for _, r in records):
        return [], [Problem("The file is empty.")]
    if not any(c.strip() for c in records[0][1]):
        return [], [Problem("The first row must hold the column headers, but it is empty.", label, 1)]
    header = [clean_header(c) for c in records[0][1]]
    spec, problem = table_for_csv(file_name, header)
    if problem:
        return [], [problem]
    rows, problems = [], []
    for number, record in records[1:]:
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(f"this row has {len(record)} values but the header has {len(header)} columns "
                                    "(a stray comma, or a value that needs quotes?).", label, number))
        rows.append((number, [c.strip() for c in record[:len(header)]] + [""] * (len(header) - len(record))))
    return [RawSheet(spec, label, header, rows)], problems


def csv_records(text: str, label: str, limits: ImportLimits) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """(line number, values) for every line, parsed strictly and within the limits; or the first
    problem, at the line where reading went wrong. One record is always one line of the file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, cells, data_rows, line = [], 0, 0, 0
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            return [], Problem(f"the file cannot be read as CSV from line {start} on ({error}): a quote that is "
                               "opened and never closed, or a stray quote inside a value? Put quotes only around "
                               "a whole value, and double a quote inside one (\"\").", label, start)
        line = reader.line_num
        if line != start:
            return [], Problem(f"a quoted value runs over {line - start + 1} lines (lines {start} to {line}): a quote that "
                               "is never closed, or a line break inside a value? Every row of a return must be "
                               "one line, so nothing was read.", label, start)
        filled = [c for c in record if c.strip()]
        if len(record) > limits.columns and any(c.strip() for c in record[limits.columns:]):
            return [], Problem(f"too many columns: this line has {len(record)} values; a return has at most "
                               f"{limits.columns} columns.", label, start)
        longest = max(map(len, record), default=0)
        if longest > limits.cell_characters:
            return [], Problem(f"a value of {longest:,} characters; the limit is {limits.cell_characters:,} per "
                               "value.", label, start)
        cells += len(filled)
        data_rows += bool(filled) and bool(records)
        if data_rows > limits.rows:
            return [], Problem(f"The file has too many rows (more than {limits.rows:,}): check it is a return, not "
                               "an export of something else.")
        if cells > limits.cells:
            return [], Problem(f"The file has too many values (more than {limits.cells:,}): check it is a return.")
        records.append((start, record))
    lines = len(LINE_BREAK.findall(text)) + bool(text and not text.endswith(("\n", "\r")))
    if line != lines:  # belt and braces: every line of the file must have been read as one row
        return [], Problem(f"the file has {lines:,} lines but {line:,} were read as rows; nothing was read.", label,
                           line + 1)
    return records, None


def table_for_csv(file_name: str, header: list[str]) -> tuple[TableSpec | None, Problem | None]:
    """Which table a CSV holds: named in the file name, else recognised from its columns."""
    stem = clean_header(Path(file_name).stem)
    named = [t for t in TABLES if t.sheet in stem]
    if len(named) > 1:  # "indicator_values" also contains "indicator"... prefer the longest name
        named = [max(named, key=lambda t: len(t.sheet))]
    if named:
        return named[0], None
    columns = {COLUMN_ALIASES.get(h, h) for h in header}
    scores = sorted(((len(columns & set(t.required_columns)) / len(t.required_columns), t.sheet) for t in TABLES),
                    reverse=True)
    if scores[0][0] == 1 and scores[1][0] < 1:
        return BY_SHEET[scores[0][1]], None
    return None, Problem("Cannot tell which table this CSV holds. Name the file after its table (for example "
                         f"completeness.csv) or use the template's column headers. Tables: "
                         f"{', '.join(t.sheet for t in TABLES)}.")


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)
