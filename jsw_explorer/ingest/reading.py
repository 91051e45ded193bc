"""Reading a return (CSV or XLSX) into sheets of text cells, refusing what cannot be read."""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jsw_explorer.config import MAX_RETURN_BYTES, MAX_RETURN_ROWS, MAX_UNPACKED_BYTES
from jsw_explorer.ingest.problems import Problem
from jsw_explorer.returns import BY_SHEET, COLUMN_ALIASES, IGNORED_SHEETS, TABLES, TableSpec


@dataclass
class RawSheet:
    spec: TableSpec
    label: str                       # as named in the file (sheet name or file name)
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


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


def read_file(content: bytes, file_name: str) -> tuple[list[RawSheet], list[Problem]]:
    if len(content) > MAX_RETURN_BYTES:
        return [], [Problem(f"The file is too big: {len(content) / 1e6:.1f} MB. The limit is "
                            f"{MAX_RETURN_BYTES / 1e6:.0f} MB; a full return for all 32 authorities is far smaller, "
                            "so check this is the right file.")]
    if not content.strip():
        return [], [Problem("The file is empty.")]
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return [], [Problem("This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel "
                            "Workbook (.xlsx), or as CSV UTF-8.")]
    if is_xlsx(content, file_name):
        return read_xlsx(content, file_name)
    return read_csv(content, file_name)


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
        return None, Problem("The file cannot be read: it is not a text CSV file (it contains binary data). "
                             "Upload the return as .xlsx or as CSV UTF-8.")
    return text, None


def read_csv(content: bytes, file_name: str) -> tuple[list[RawSheet], list[Problem]]:
    text, problem = decode_text(content)
    if problem:
        return [], [problem]
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return [], [Problem(f"The file cannot be read as CSV: {error}.")]
    if not any(any(c.strip() for c in r) for r in records):
        return [], [Problem("The file is empty.")]
    if not any(c.strip() for c in records[0]):
        return [], [Problem("The first row must hold the column headers, but it is empty.", Path(file_name).name, 1)]
    header = [clean_header(c) for c in records[0]]
    label = Path(file_name).name or "the file"
    spec, problem = table_for_csv(file_name, header)
    if problem:
        return [], [problem]
    rows, problems = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(f"this row has {len(record)} values but the header has {len(header)} columns "
                                    "(a stray comma, or a value that needs quotes?).", label, number))
        rows.append((number, [c.strip() for c in record[:len(header)]] + [""] * (len(header) - len(record))))
        if len(rows) > MAX_RETURN_ROWS:
            break
    return [RawSheet(spec, label, header, rows)], problems


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


def read_xlsx(content: bytes, file_name: str) -> tuple[list[RawSheet], list[Problem]]:
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl parses the workbook's XML through defusedxml when it is installed
        return [], [Problem("Workbooks cannot be read safely on this server (defusedxml is missing). "
                            "Upload CSV files instead.")]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return [], [Problem("The file cannot be opened as an Excel workbook (.xlsx): it is damaged or not a "
                            "workbook. Save it again from Excel, or upload CSV UTF-8.")]
    if unpacked > MAX_UNPACKED_BYTES:
        return [], [Problem(f"The workbook is too big: it unpacks to {unpacked / 1e6:.0f} MB (limit "
                            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB).")]
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file; none may escape
        return [], [Problem(f"The file cannot be opened as an Excel workbook (.xlsx) ({type(error).__name__}). "
                            "Save it again from Excel, or upload CSV UTF-8.")]
    sheets, problems = [], []
    for worksheet in workbook.worksheets:
        name = worksheet.title
        key = clean_header(name)
        if key in (clean_header(s) for s in IGNORED_SHEETS):
            continue
        spec = BY_SHEET.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(BY_SHEET), n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(f"unexpected sheet. Sheets must be named {', '.join(BY_SHEET)} (README and "
                                    f"allowed_values are skipped); rename or delete this one.{hint}", name))
            continue
        for merged in sorted(str(r) for r in worksheet.merged_cells.ranges):
            problems.append(Problem(f"merged cells {merged}: unmerge them so every row has its own values.", name))
        rows_iter = worksheet.iter_rows(values_only=True)
        header_cells = next(rows_iter, None) or ()
        header = [clean_header(cell_text(c)) for c in header_cells]
        while header and not header[-1]:
            header.pop()
        rows = []
        for number, values in enumerate(rows_iter, start=2):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if len(cells) > len(header) and any(cells[len(header):]):
                extra = next(i for i in range(len(header), len(cells)) if cells[i])
                problems.append(Problem("a value sits in a column with no header: give the column a header or "
                                        f"clear it (column {column_letter(extra)}).", name, number, None,
                                        cells[extra]))
            rows.append((number, cells[:len(header)] + [""] * (len(header) - len(cells))))
            if len(rows) > MAX_RETURN_ROWS:
                break
        if not header and rows:
            problems.append(Problem("the first row must hold the column headers, but it is empty.", name, 1))
            continue
        sheets.append(RawSheet(spec, name, header, rows))
    if not sheets:
        problems.append(Problem(f"The workbook is missing its sheets: it has none named "
                                f"{', '.join(BY_SHEET)} (found: {', '.join(workbook.sheetnames)}). Start from the "
                                "template."))
    return sheets, problems


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)
