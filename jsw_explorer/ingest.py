"""Import a return (CSV or XLSX): check everything, then load it all or nothing.

    python -m jsw_explorer.ingest FILE [--dry-run] [--by NAME] [--data-dir DIR] [--db PATH]

Checking reports every problem at once, in plain English, with the sheet, the row number as the
spreadsheet shows it, the column, the value and the reason. Loading never edits the database in
place: the accepted return is written, normalised, to data/uploads/.staging-<id>/, the build
(the only writer) makes a NEW database file from data/ including it, and that file is swapped in
atomically (the previous one kept as .bak). Only then is the staging folder renamed to
data/uploads/<id>/. The swap is the commit point: if the process dies before it, the old
database stands and the staging folder is removed by `recover`; if it dies after, `recover`
finishes the rename. Every attempt is recorded in data/uploads/import_log.csv.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import difflib
import getpass
import hashlib
import io
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

# On the command line there is no Streamlit server; its cache then says so once per process. Quiet.
logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(
    lambda record: "No runtime found" not in record.getMessage())

from jsw_explorer import build as builder  # noqa: E402 (after the logging filter)
from jsw_explorer import uploads
from jsw_explorer.config import (MAX_RETURN_BYTES, MAX_RETURN_ROWS, MAX_UNPACKED_BYTES, SCOTLAND_CODE,
                                 data_dir as default_data_dir, database_path)
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.returns import (AUTHORITY, BY_SHEET, CHOICE, COLUMN_ALIASES, ID, IGNORED_SHEETS, NUMBER, PERIOD,
                                  TABLES, TEXT, WHOLE, YES_NO, TableSpec)

if TYPE_CHECKING:
    import pandera.pandas as pa

# pandera is imported where a return is checked, not here: the app imports this module at start
# (ensure_database -> recover), and pandera costs about 0.2 s and 14 MB there (issue 10).

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None

MAX_TEXT_LENGTH = 500
ID_PATTERN = r"[a-z][a-z0-9_]{0,59}"
FINANCIAL_YEAR = re.compile(r"(\d{4})-(\d{2})")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}
NEW_THEME_WORDING = "Not named by the review: added by an imported return."
TEST_PAUSE_VARIABLE = "JSW_INGEST_PAUSE_AT"  # tests only: pause at a named step so a kill lands there


# --- Problems and results ---------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return, located as the person who made the file would look for it."""

    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f" (value '{shorten(self.value)}')"
        return f"{text[0].upper() + text[1:]}: {self.reason}" if text else self.reason

    def as_dict(self) -> dict:
        return {"sheet": self.sheet or "", "row": self.row, "column": self.column or "",
                "value": shorten(self.value) if self.value is not None else "", "problem": self.reason}


def shorten(text: str, limit: int = 60) -> str:
    text = str(text).replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class CheckedReturn:
    file_name: str
    sha256: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # sheet name -> normalised rows
    notes: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0

    def problem_table(self) -> pd.DataFrame:
        return pd.DataFrame([p.as_dict() for p in self.problems],
                            columns=["sheet", "row", "column", "value", "problem"])


@dataclass
class Outcome:
    checked: CheckedReturn
    outcome: str          # 'loaded', 'rejected' or 'checked' (a dry run that would load)
    import_id: int | None = None
    seconds: float = 0.0
    preview: pd.DataFrame | None = None


# --- Reference data: what a return may refer to -----------------------------------------------

def normalise_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    return re.sub(r"[\s\-_.,'’()]+", " ", text).strip()


@dataclass
class Reference:
    """The ids and names a return may use, read from the database (import_reference.sql)."""

    frame: pd.DataFrame
    facts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["table_name", "slice_id", "gss_code", "item_key", "value", "source_kind"]))

    def __post_init__(self) -> None:
        f = self.frame
        by_kind = {kind: group for kind, group in f.groupby("kind")}
        authorities = by_kind.get("authority", f.iloc[0:0])
        self.authority_names = dict(zip(authorities["id"], authorities["label"]))
        self.lookup: dict[str, str] = {}
        for code, name, body in authorities[["id", "label", "detail"]].itertuples(index=False):
            self.lookup[code.casefold()] = code
            self.lookup[normalise_name(name)] = code
            if isinstance(body, str):
                self.lookup[normalise_name(body)] = code
        for code, alias in by_kind.get("alias", f.iloc[0:0])[["id", "label"]].itertuples(index=False):
            self.lookup.setdefault(alias.casefold(), code)
            self.lookup.setdefault(normalise_name(alias), code)
        self.ids = {kind: list(group["id"]) for kind, group in by_kind.items() if kind not in ("authority", "alias")}
        indicators = by_kind.get("indicator", f.iloc[0:0])
        self.value_types = dict(zip(indicators["id"], indicators["detail"]))
        self.rate_of = {i: r for i, r in zip(indicators["id"], indicators["extra"]) if isinstance(r, str) and r}
        self.labels = {kind: set(group["label"]) for kind, group in by_kind.items()}
        self.max_sort = {kind: float(group["sort_order"].max()) for kind, group in by_kind.items()}
        periods = by_kind.get("period", f.iloc[0:0])
        self.period_kinds = dict(zip(periods["id"], periods["detail"]))

    def resolve_authority(self, text: str) -> tuple[str | None, str]:
        """(gss_code, '') or (None, why not, with a suggestion)."""
        raw = text.strip()
        code = self.lookup.get(raw.casefold()) or self.lookup.get(normalise_name(raw))
        if code:
            return code, ""
        if raw.upper() == SCOTLAND_CODE or normalise_name(raw) == "scotland":
            return None, ("Scotland is not an authority: Scotland figures come from the published statistics, "
                          "so a return holds the 32 authorities only.")
        names = {normalise_name(n): n for n in self.authority_names.values()}
        candidates = list(names) + [k for k in self.lookup if k not in names]
        close = difflib.get_close_matches(normalise_name(raw), candidates, n=1, cutoff=0.6)
        if close:
            suggestion = names.get(close[0]) or self.authority_names[self.lookup[close[0]]]
            return None, f"unknown authority. Did you mean '{suggestion}'?"
        return None, "unknown authority: use a council area name or its GSS code (see the allowed_values sheet)."

    def suggest(self, kind: str, value: str, extra: list[str] = ()) -> str:
        known = [*self.ids.get(kind, []), *extra]
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        return f" Did you mean '{close[0]}'?" if close else ""


def read_reference(db_path: Path) -> Reference:
    with open_read_only(db_path) as connection:
        frame = connection.execute(load_sql("import_reference")).df()
        facts = connection.execute(load_sql("import_fact_keys")).df()
    return Reference(frame, facts)


# --- Reading a file into sheets of text cells -------------------------------------------------

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


# --- Checking one sheet -----------------------------------------------------------------------

def parse_cell(kind: str, text: str) -> tuple[object, str]:
    """(value, '') or (None, reason) for one non-empty cell of a typed column."""
    if kind in (WHOLE, NUMBER):
        cleaned = text.replace(",", "").replace(" ", "")
        try:
            number = float(cleaned)
        except ValueError:
            hint = " Give the exact figure: the tool hides small counts itself." if text in ("[c]", "c", "*", "..") else ""
            return None, f"is not a number.{hint}"
        if math.isnan(number) or math.isinf(number):
            return None, "is not a number."
        if kind == WHOLE:
            if not number.is_integer():
                return None, "must be a whole number."
            return int(number), ""
        return number, ""
    if kind == YES_NO:
        word = text.casefold()
        if word in TRUE_WORDS:
            return True, ""
        if word in FALSE_WORDS:
            return False, ""
        return None, "must be yes or no."
    if kind == CHOICE:
        return text.casefold(), ""
    return text, ""


PANDERA_DTYPES = {WHOLE: "Int64", NUMBER: "Float64", YES_NO: "boolean"}


def pandera_schema(spec: TableSpec, present: list[str]) -> pa.DataFrameSchema:
    """Per-column rules (required, ranges, allowed values, id format) and the table's unique key."""
    import pandera.pandas as pa

    columns = {}
    for column in spec.columns:
        if column.name not in present:
            continue
        checks = []
        if column.low is not None:
            checks.append(pa.Check.in_range(column.low, column.high,
                                            error=f"is out of range: it must be from {column.low:g} to {column.high:g}."))
        if column.choices:
            checks.append(pa.Check.isin(column.choices, error=f"must be one of: {', '.join(column.choices)}."))
        if column.kind == ID and spec.optional and column.name == spec.key[0]:
            checks.append(pa.Check.str_matches(ID_PATTERN, error="must be lower-case letters, digits and "
                                               "underscores, starting with a letter (at most 60)."))
        if column.kind == TEXT:
            checks.append(pa.Check.str_length(max_value=MAX_TEXT_LENGTH,
                                              error=f"is too long: at most {MAX_TEXT_LENGTH} characters."))
        name = "gss_code" if column.kind == AUTHORITY else column.name
        columns[name] = pa.Column(PANDERA_DTYPES.get(column.kind, "string"), checks=checks,
                                  nullable=not column.required)
    unique = [c for c in spec.key if c in columns]
    return pa.DataFrameSchema(columns, unique=unique if len(unique) == len(spec.key) else None,
                              report_duplicates="all")


def check_sheet(sheet: RawSheet, reference: Reference) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Columns, types, ranges, allowed values, authorities and duplicated keys of one sheet."""
    spec, label, problems = sheet.spec, sheet.label, []
    header = [COLUMN_ALIASES.get(h, h) if COLUMN_ALIASES.get(h, h) not in sheet.header else h for h in sheet.header]
    seen = set()
    for position, name in enumerate(header):
        if not name:
            if any(cells[position] for _, cells in sheet.rows):
                problems.append(Problem(f"column {position + 1} has values but no header.", label, 1))
        elif name in seen:
            problems.append(Problem("this column header appears twice.", label, 1, name))
        elif name not in spec.column_names:
            close = difflib.get_close_matches(name, spec.column_names, n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(f"unexpected column: the {spec.sheet} sheet has columns "
                                    f"{', '.join(spec.column_names)}.{hint}", label, 1, name))
        seen.add(name)
    missing = [c for c in spec.required_columns if c not in header]
    if missing:
        problems.append(Problem(f"missing column(s): {', '.join(missing)}. The template's {spec.sheet} sheet has "
                                "every column this table needs.", label, 1))
    present = [c.name for c in spec.columns if c.name in header]
    index = [number for number, _ in sheet.rows]
    raw = pd.DataFrame([[cells[header.index(c)] for c in present] for _, cells in sheet.rows],
                       columns=present, index=index, dtype=object)
    typed = pd.DataFrame(index=index)
    bad_cells: set[tuple[int, str]] = set()
    for name in present:
        column = spec.column(name)
        values = []
        for row, text in raw[name].items():
            if not text:
                values.append(None)
                continue
            if column.kind == AUTHORITY:
                code, reason = reference.resolve_authority(text)
                if reason:
                    problems.append(Problem(reason, label, row, name, text))
                    bad_cells.add((row, "gss_code"))
                values.append(code)
                continue
            value, reason = parse_cell(column.kind, text)
            if reason:
                problems.append(Problem(reason, label, row, name, text))
                bad_cells.add((row, name))
            values.append(value)
        target = "gss_code" if column.kind == AUTHORITY else name
        typed[target] = pd.Series(values, index=index, dtype=PANDERA_DTYPES.get(column.kind, "string"))
    from pandera.errors import SchemaErrors

    try:
        pandera_schema(spec, present).validate(typed, lazy=True)
    except SchemaErrors as errors:
        problems += translate_pandera(errors.failure_cases, spec, label, raw, typed, bad_cells)
    return typed, problems


def translate_pandera(failures: pd.DataFrame, spec: TableSpec, label: str, raw: pd.DataFrame, typed: pd.DataFrame,
                      bad_cells: set[tuple[int, str]]) -> list[Problem]:
    problems, duplicate_rows = [], set()
    shown_name = {"gss_code": "authority"}
    failures = failures.rename(columns={"index": "row_index"})
    for failure in failures.itertuples(index=False):
        row = None if pd.isna(failure.row_index) else int(failure.row_index)
        column = failure.column
        if failure.check == "multiple_fields_uniqueness":
            if row is not None:
                duplicate_rows.add(row)
            continue
        if row is None or (row, column) in bad_cells:
            continue  # a cell already reported as unreadable
        name = shown_name.get(column, column)
        value = raw.at[row, name] if name in raw else None
        if failure.check == "not_nullable":
            problems.append(Problem("is empty: this column must be filled in.", label, row, name))
        elif str(failure.check).startswith(("dtype", "coerce")):
            continue
        else:
            problems.append(Problem(str(failure.check), label, row, name, value))
    if duplicate_rows:
        key_names = [shown_name.get(k, k) for k in spec.key]
        groups: dict[tuple, list[int]] = {}
        for row in sorted(duplicate_rows):  # grouped by meaning: "Fife" and "S12000047" are the same key
            groups.setdefault(tuple(str(typed.at[row, k]) for k in spec.key), []).append(row)
        for rows in groups.values():
            for row in rows[1:]:
                shown = " / ".join(str(raw.at[row, k]) for k in key_names if k in raw)
                problems.append(Problem(f"duplicated key: the same {', '.join(key_names)} as row {rows[0]}. "
                                        "Give each one once.", label, row, key_names[-1], shown))
    return problems


# --- Checking across sheets and against the database ------------------------------------------

def period_problem(period: str, reference: Reference) -> str:
    if period in reference.period_kinds:
        return ""
    match = FINANCIAL_YEAR.fullmatch(period)
    if not match:
        return ("is not a period in the right format: write a financial year like 2024-25 (typed as text), or a "
                "snapshot month listed on the allowed_values sheet.")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        if 1 <= end <= 12:
            return "is not a known snapshot month; snapshot periods are listed on the allowed_values sheet."
        return f"is not a financial year: after {start} comes {(start + 1) % 100:02d} (write {start}-{(start + 1) % 100:02d})."
    this_year = datetime.now(timezone.utc).year
    if not 2000 <= start <= this_year:
        return f"is out of range: financial years from 2000-01 to {this_year}-{(this_year + 1) % 100:02d}."
    return ""


def check_return(content: bytes, file_name: str, reference: Reference) -> CheckedReturn:
    """Every problem with a return, at once; and its rows normalised when there are none."""
    checked = CheckedReturn(Path(file_name).name, hashlib.sha256(content).hexdigest(), len(content))
    sheets, checked.problems = read_file(content, file_name)
    checked.rows = sum(len(s.rows) for s in sheets)
    if not sheets:
        return checked
    if checked.rows == 0:
        checked.problems.append(Problem("The file is empty: it has headers but no rows of data."))
        return checked
    if checked.rows > MAX_RETURN_ROWS:
        checked.problems.append(Problem(f"The file has too many rows (more than {MAX_RETURN_ROWS:,}): check it is "
                                        "a return, not an export of something else."))
        return checked
    seen_sheets = {}
    typed = {}
    for sheet in sheets:
        if sheet.spec.sheet in seen_sheets:
            checked.problems.append(Problem(f"a second {sheet.spec.sheet} sheet: put all its rows on one sheet.",
                                            sheet.label))
            continue
        seen_sheets[sheet.spec.sheet] = sheet
        frame, problems = check_sheet(sheet, reference)
        checked.problems += problems
        typed[sheet.spec.sheet] = (frame, sheet)
    cross_check(typed, reference, checked)
    if not checked.problems:
        checked.tables = normalise(typed, reference)
        if not checked.tables:
            checked.problems.append(Problem("Nothing to load: every row repeats a figure that is already published."))
    return checked


def _value(frame: pd.DataFrame, row: int, column: str) -> object:
    value = frame.at[row, column] if column in frame else None
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def cross_check(typed: dict, reference: Reference, checked: CheckedReturn) -> None:
    add = checked.problems.append
    new_indicators, new_themes = {}, set()
    if "indicators" in typed:
        frame, sheet = typed["indicators"]
        for row in frame.index:
            indicator, label = _value(frame, row, "indicator_id"), _value(frame, row, "label")
            if indicator in reference.value_types:
                add(Problem("this indicator already exists; the indicators sheet is only for new ones.",
                            sheet.label, row, "indicator_id", indicator))
            elif indicator:
                new_indicators[indicator] = _value(frame, row, "value_type")
            if label in reference.labels.get("indicator", set()):
                add(Problem("another indicator already has this label.", sheet.label, row, "label", label))
    if "barrier_themes" in typed:
        frame, sheet = typed["barrier_themes"]
        for row in frame.index:
            theme, label = _value(frame, row, "theme_id"), _value(frame, row, "label")
            if theme in reference.ids.get("theme", []):
                add(Problem("this barrier theme already exists; the barrier_themes sheet is only for new ones.",
                            sheet.label, row, "theme_id", theme))
            elif theme:
                new_themes.add(theme)
            if label in reference.labels.get("theme", set()):
                add(Problem("another barrier theme already has this label.", sheet.label, row, "label", label))

    reviews = reference.ids.get("review", [])
    for name in ("authority_barriers", "completeness"):
        if name not in typed:
            continue
        frame, sheet = typed[name]
        for row in frame.index:
            review = _value(frame, row, "review_id")
            if review and review not in reviews:
                add(Problem(f"unknown review edition; known: {', '.join(reviews)}.{reference.suggest('review', review)}",
                            sheet.label, row, "review_id", review))

    all_themes = [*reference.ids.get("theme", []), *sorted(new_themes)]
    if "authority_barriers" in typed:
        frame, sheet = typed["authority_barriers"]
        for row in frame.index:
            theme = _value(frame, row, "theme_id")
            if theme and theme not in all_themes:
                add(Problem(f"unknown barrier theme.{reference.suggest('theme', theme, sorted(new_themes))}",
                            sheet.label, row, "theme_id", theme))
            reported, impact = _value(frame, row, "reported"), _value(frame, row, "impact")
            if reported is not None and impact is not None and impact in range(0, 4):
                if reported and impact == 0:
                    add(Problem("does not add up: a reported barrier has an impact of 1, 2 or 3.", sheet.label, row,
                                "impact", str(impact)))
                elif not reported and impact > 0:
                    add(Problem("does not add up: a barrier that is not reported has impact 0.", sheet.label, row,
                                "impact", str(impact)))
        complete_slices(frame, sheet, "theme_id", all_themes, "barrier theme", add)
        if new_themes and {"review_id", "gss_code"} <= set(frame.columns):
            for review in sorted(set(frame["review_id"].dropna()) | set(
                    reference.facts.loc[reference.facts["table_name"] == "authority_barrier", "slice_id"])):
                given = set(frame.loc[frame["review_id"] == review, "gss_code"].dropna())
                absent = [reference.authority_names[c] for c in sorted(reference.authority_names) if c not in given]
                if absent:
                    add(Problem(f"new barrier theme(s) {', '.join(sorted(new_themes))} need a row for every authority "
                                f"in review {review}; missing {len(absent)}: {', '.join(absent[:6])}"
                                f"{'…' if len(absent) > 6 else ''}.", sheet.label))
    elif new_themes:
        add(Problem("new barrier themes need rows for every authority on an authority_barriers sheet.",
                    typed["barrier_themes"][1].label))

    if "completeness" in typed:
        frame, sheet = typed["completeness"]
        items = reference.ids.get("item", [])
        for row in frame.index:
            item = _value(frame, row, "item_id")
            if item and item not in items:
                add(Problem(f"unknown evidence item.{reference.suggest('item', item)}", sheet.label, row, "item_id", item))
        complete_slices(frame, sheet, "item_id", items, "evidence item", add)

    if "indicator_values" in typed:
        check_indicator_values(*typed["indicator_values"], reference, new_indicators, checked)


def complete_slices(frame, sheet, column, expected, noun, add) -> None:
    """Each review and authority given must give every theme/item: it replaces the whole slice."""
    if not {"review_id", "gss_code", column} <= set(frame.columns):
        return
    for (review, code), group in frame.dropna(subset=["review_id", "gss_code"]).groupby(["review_id", "gss_code"]):
        given = set(group[column].dropna())
        absent = [e for e in expected if e not in given]
        if absent:
            add(Problem(f"incomplete: this authority's rows replace all its {noun}s for review {review}, but "
                        f"{len(absent)} of {len(expected)} are missing: {', '.join(absent[:5])}"
                        f"{'…' if len(absent) > 5 else ''}.", sheet.label, int(group.index.min()), "authority", code))


def check_indicator_values(frame, sheet, reference: Reference, new_indicators: dict, checked: CheckedReturn) -> None:
    add = checked.problems.append
    types = {**reference.value_types, **new_indicators}
    published = reference.facts[(reference.facts["table_name"] == "indicator_value")
                                & reference.facts["source_kind"].isin(["published", "council_reported"])]
    published_values = {(i, g, p): v for i, g, p, v in
                        published[["slice_id", "gss_code", "item_key", "value"]].itertuples(index=False)}
    duplicates_of_published = []
    for row in frame.index:
        indicator = _value(frame, row, "indicator_id")
        code, period = _value(frame, row, "gss_code"), _value(frame, row, "period")
        value = _value(frame, row, "value")
        numerator, denominator = _value(frame, row, "numerator"), _value(frame, row, "denominator")
        if indicator and indicator not in types:
            add(Problem(f"unknown indicator.{reference.suggest('indicator', indicator, list(new_indicators))}",
                        sheet.label, row, "indicator_id", indicator))
        elif indicator in reference.rate_of:
            add(Problem(f"this rate is calculated by the tool from {reference.rate_of[indicator]}: give that count "
                        "instead.", sheet.label, row, "indicator_id", indicator))
        if period:
            reason = period_problem(period, reference)
            if reason:
                add(Problem(reason, sheet.label, row, "period", period))
        value_type = types.get(indicator)
        if value is not None and value_type == "count" and not float(value).is_integer():
            add(Problem("must be a whole number: this indicator is a count.", sheet.label, row, "value", f"{value:g}"))
        if value is not None and value_type == "percent" and value > 100:
            add(Problem("is a percentage over 100.", sheet.label, row, "value", f"{value:g}"))
        for name, number in (("numerator", numerator), ("denominator", denominator)):
            if number is not None and not float(number).is_integer():
                add(Problem("must be a whole number (a count).", sheet.label, row, name, f"{number:g}"))
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            add(Problem("give both numerator and denominator, or neither.", sheet.label, row, missing))
        elif numerator is not None and denominator:
            if numerator > denominator:
                add(Problem(f"does not add up: the numerator ({numerator:g}) is larger than the denominator "
                            f"({denominator:g}).", sheet.label, row, "numerator", f"{numerator:g}"))
            elif value is not None and value_type == "percent" and abs(100 * numerator / denominator - value) > 0.5:
                add(Problem(f"does not add up: {numerator:g} / {denominator:g} is {100 * numerator / denominator:.1f}%, "
                            f"not {value:g}%.", sheet.label, row, "value", f"{value:g}"))
        key = (indicator, code, period)
        if key in published_values and value is not None:
            if abs(published_values[key] - value) <= 0.5:
                duplicates_of_published.append(row)
            else:
                add(Problem(f"a published figure already exists for this indicator, authority and period "
                            f"({published_values[key]:g}); published figures are kept as published. Correct the "
                            "value or leave the row out.", sheet.label, row, "value", f"{value:g}"))
    if duplicates_of_published:
        checked.notes.append(f"{len(duplicates_of_published)} row(s) repeat a published figure exactly and are "
                             f"skipped (rows {', '.join(map(str, duplicates_of_published[:10]))}).")
        frame.drop(index=duplicates_of_published, inplace=True)
    check_totals(frame, sheet, reference, types, add)


def check_totals(frame, sheet, reference: Reference, types: dict, add) -> None:
    """Authorities' counts may not add up to more than the published Scotland total (allowing for its
    rounding), and a return covering all 32 must add up to it."""
    if not {"indicator_id", "gss_code", "period", "value"} <= set(frame.columns):
        return
    facts = reference.facts[reference.facts["table_name"] == "indicator_value"]
    totals = facts[facts["gss_code"] == SCOTLAND_CODE].set_index(["slice_id", "item_key"])["value"].to_dict()
    counts = frame[frame["indicator_id"].map(types).eq("count")].dropna(subset=["gss_code", "period", "value"])
    for (indicator, period), group in counts.groupby(["indicator_id", "period"]):
        total = totals.get((indicator, period))
        if total is None or pd.isna(total):
            continue
        unit = rounding_unit(total)
        given = float(group["value"].sum())
        complete = group["gss_code"].nunique() == len(reference.authority_names)
        if given > total + unit / 2 or (complete and abs(given - total) > unit / 2):
            rounding = f" (published rounded to the nearest {unit:,.0f})" if unit > 1 else ""
            add(Problem(f"counts do not add up: the authorities' {indicator} for {period} total {given:,.0f}, but the "
                        f"published Scotland figure is {total:,.0f}{rounding}.", sheet.label,
                        int(group.index.min()), "value"))


def rounding_unit(total: float) -> float:
    """A published total of 14,700 is rounded to the nearest 100; 18,688 is exact."""
    unit = 1.0
    while total and total % (unit * 10) == 0 and unit < 1e6:
        unit *= 10
    return unit


def format_number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(round(value, 6))


def normalise(typed: dict, reference: Reference) -> dict[str, pd.DataFrame]:
    """The accepted rows as the build reads them (uploads.FILES)."""
    out = {}

    def text(series):
        return series.astype(object).where(series.notna(), "").astype(str) if series is not None else ""

    def column(frame, name):
        return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype="string")

    if "authority_barriers" in typed:
        f = typed["authority_barriers"][0]
        out["authority_barriers.csv"] = pd.DataFrame({
            "review_id": text(f["review_id"]), "gss_code": text(f["gss_code"]), "theme_id": text(f["theme_id"]),
            "reported": f["reported"].map({True: "true", False: "false"}), "impact": f["impact"].map(format_number),
            "note": text(column(f, "note"))})
    if "completeness" in typed:
        f = typed["completeness"][0]
        out["completeness.csv"] = pd.DataFrame({
            "review_id": text(f["review_id"]), "gss_code": text(f["gss_code"]), "item_id": text(f["item_id"]),
            "level": f["level"].map(format_number)})
    if "indicator_values" in typed:
        f = typed["indicator_values"][0]
        out["indicator_values.csv"] = pd.DataFrame({
            "indicator_id": text(f["indicator_id"]), "gss_code": text(f["gss_code"]), "period": text(f["period"]),
            "value": f["value"].map(format_number), "numerator": column(f, "numerator").map(format_number),
            "denominator": column(f, "denominator").map(format_number), "note": text(column(f, "note"))})
        new_periods = sorted({p for p in f["period"].dropna() if p not in reference.period_kinds})
        if new_periods:
            out["periods.csv"] = pd.DataFrame({
                "period": new_periods, "label": new_periods, "kind": "financial_year",
                "sort_key": [p[:4] for p in new_periods], "comparable": "true",
                "note": "Added by an imported return."})
    if "indicators" in typed:
        f = typed["indicators"][0]
        start = reference.max_sort.get("indicator", 0) + 1
        out["indicators.csv"] = pd.DataFrame({
            "indicator_id": text(f["indicator_id"]), "label": text(f["label"]), "category": text(f["category"]),
            "unit": text(f["unit"]), "value_type": text(f["value_type"]),
            "higher_is_better": column(f, "higher_is_better").map({True: "true", False: "false"}).fillna(""),
            "rate_of": "", "definition": text(f["definition"]), "caveats": text(column(f, "caveats")),
            "sort_order": [str(int(start + i)) for i in range(len(f))]})
    if "barrier_themes" in typed:
        f = typed["barrier_themes"][0]
        start = reference.max_sort.get("theme", 0) + 1
        out["barrier_themes.csv"] = pd.DataFrame({
            "theme_id": text(f["theme_id"]), "label": text(f["label"]), "level": text(f["level"]),
            "review_wording": NEW_THEME_WORDING, "description": text(f["description"]),
            "sort_order": [str(int(start + i)) for i in range(len(f))]})
    return {name: frame.reset_index(drop=True) for name, frame in out.items() if len(frame)}


# --- What a load would change -----------------------------------------------------------------

PREVIEW_TABLES = {"authority_barriers.csv": ("authority_barrier", "Barriers"),
                  "completeness.csv": ("completeness", "Evidence completeness"),
                  "indicator_values.csv": ("indicator_value", "Indicator values")}


def preview(checked: CheckedReturn, reference: Reference) -> pd.DataFrame:
    """Per table and authority: rows in the return, existing rows they replace (and their status),
    and rows that are new."""
    records = []
    facts = reference.facts
    for file_name, (table, title) in PREVIEW_TABLES.items():
        if file_name not in checked.tables:
            continue
        rows = checked.tables[file_name]
        existing = facts[facts["table_name"] == table]
        for code, group in rows.groupby("gss_code"):
            mine = existing[existing["gss_code"] == code]
            if table == "indicator_value":
                keys = set(zip(group["indicator_id"], group["period"]))
                replaced = mine[[k in keys for k in zip(mine["slice_id"], mine["item_key"])]]
                new = len(group) - len(replaced)
            else:
                replaced = mine[mine["slice_id"].isin(set(group["review_id"]))]
                old_keys = set(zip(replaced["slice_id"], replaced["item_key"]))
                key_column = "theme_id" if table == "authority_barrier" else "item_id"
                new = sum(k not in old_keys for k in zip(group["review_id"], group[key_column]))
            records.append({
                "table": title, "authority": reference.authority_names.get(code, code), "gss_code": code,
                "rows_in_return": len(group), "rows_replaced": len(replaced), "rows_added": int(new),
                "replaced_status": ", ".join(sorted(set(replaced["source_kind"]))) or "(none)"})
    for file_name, title in (("indicators.csv", "New indicators"), ("barrier_themes.csv", "New barrier themes"),
                             ("periods.csv", "New periods")):
        if file_name in checked.tables:
            n = len(checked.tables[file_name])
            records.append({"table": title, "authority": "(all)", "gss_code": "", "rows_in_return": n,
                            "rows_replaced": 0, "rows_added": n, "replaced_status": "(none)"})
    return pd.DataFrame(records, columns=["table", "authority", "gss_code", "rows_in_return", "rows_replaced",
                                          "rows_added", "replaced_status"])


# --- Loading: stage, build, swap, commit ------------------------------------------------------

@contextlib.contextmanager
def import_lock(data_dir: Path, wait: bool = True):
    """One import at a time per data folder (two admins, or the app and the command line).
    Yields False when wait=False and another import holds the lock."""
    folder = uploads.uploads_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        if fcntl is None:
            yield True
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pause_point(step: str) -> None:
    """Tests only (JSW_INGEST_PAUSE_AT=<step>): stop here long enough to be killed."""
    if os.environ.get(TEST_PAUSE_VARIABLE) == step:
        print(f"paused at {step}", flush=True)
        time.sleep(60)


def next_import_id(data_dir: Path) -> int:
    root = uploads.uploads_dir(data_dir)
    ids = [int(uploads.final_name(p)) for p in root.iterdir()
           if p.is_dir() and uploads.IMPORT_NAME.fullmatch(uploads.final_name(p))] if root.is_dir() else []
    journal = uploads.read_journal(data_dir)
    ids += [int(i) for i in journal["import_id"] if str(i).isdigit()]
    return max(ids, default=0) + 1


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def append_journal(data_dir: Path, entry: dict) -> None:
    """Add one line to data/uploads/import_log.csv (rewritten whole and renamed: never half a line)."""
    journal = uploads.read_journal(data_dir)
    journal = pd.concat([journal, pd.DataFrame([entry])[uploads.JOURNAL_COLUMNS].astype(str)], ignore_index=True)
    write_atomically(uploads.uploads_dir(data_dir) / uploads.JOURNAL, journal.to_csv(index=False))


def journal_entry(import_id: int, checked: CheckedReturn, loaded_by: str, outcome: str, message: str) -> dict:
    return {"import_id": import_id, "file_name": checked.file_name, "sha256": checked.sha256, "rows": checked.rows,
            "loaded_by": loaded_by, "loaded_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "outcome": outcome, "message": message[:2000]}


def write_upload(folder: Path, checked: CheckedReturn, entry: dict) -> None:
    folder.mkdir(parents=True)
    manifest = {k: v for k, v in entry.items() if k != "outcome"}
    for name, frame in [(uploads.MANIFEST, pd.DataFrame([manifest])), *checked.tables.items()]:
        write_atomically(folder / name, frame.to_csv(index=False))


def is_committed(db_path: Path, import_id: int) -> bool:
    try:
        with open_read_only(db_path) as connection:
            row = connection.execute("select count(*) from import_log where import_id = ? and outcome = 'loaded'",
                                     [import_id]).fetchone()
    except duckdb.Error:
        return False
    return bool(row and row[0])


def recover(data_dir: Path, db_path: Path, wait: bool = True) -> list[str]:
    """Finish or undo an import that was interrupted. The database file decides: if it holds the
    import, the staging folder is moved into place; if not, it is removed. Also removes the
    temporary files a killed build leaves. Returns what was done."""
    done = []
    root = uploads.uploads_dir(data_dir)
    if not root.is_dir():  # nothing was ever imported here (and nothing is created by looking)
        return done
    with import_lock(data_dir, wait=wait) as locked:
        if not locked:
            return done
        for staging in sorted(root.glob(uploads.STAGING_PREFIX + "*")):
            name = uploads.final_name(staging)
            if uploads.IMPORT_NAME.fullmatch(name) and db_path.exists() and is_committed(db_path, int(name)):
                os.replace(staging, root / name)
                journal = uploads.read_journal(data_dir)
                if not ((journal["import_id"].astype(str) == str(int(name))) & (journal["outcome"] == "loaded")).any():
                    manifest = uploads.read_csv(root / name / uploads.MANIFEST).iloc[0].to_dict()
                    append_journal(data_dir, {**manifest, "outcome": "loaded"})
                done.append(f"import {name}: completed (the database already held it)")
            else:
                shutil.rmtree(staging, ignore_errors=True)
                done.append(f"import {name}: undone (the database did not hold it)")
        for temporary in root.glob(".*.tmp"):
            temporary.unlink(missing_ok=True)
    for leftover in db_path.parent.glob(db_path.name + ".building-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
    return done


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_file(content: bytes, file_name: str, db_path: Path | None = None) -> tuple[CheckedReturn, pd.DataFrame]:
    """Check a return against the database now in use (no writes). Returns it and its preview."""
    db_path = Path(db_path or database_path())
    reference = read_reference(db_path)
    checked = check_return(content, file_name, reference)
    return checked, preview(checked, reference) if checked.ok else pd.DataFrame()


def record_rejection(checked: CheckedReturn, loaded_by: str, data_dir: Path | None = None) -> int:
    data_dir = Path(data_dir or default_data_dir())
    with import_lock(data_dir):
        import_id = next_import_id(data_dir)
        append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected", rejection_message(checked)))
    return import_id


def rejection_message(checked: CheckedReturn) -> str:
    if not checked.problems:
        return "No rows of data."
    first = "; ".join(str(p) for p in checked.problems[:3])
    more = f" (and {len(checked.problems) - 3} more)" if len(checked.problems) > 3 else ""
    return f"{len(checked.problems)} problem(s): {first}{more}"


def load(content: bytes, file_name: str, *, loaded_by: str, data_dir: Path | None = None,
         db_path: Path | None = None, dry_run: bool = False) -> Outcome:
    """Check a return and, unless dry_run, load it: all or nothing."""
    started = time.perf_counter()
    data_dir = Path(data_dir or default_data_dir())
    db_path = Path(db_path or database_path())
    recover(data_dir, db_path)
    with import_lock(data_dir):
        if not db_path.exists():
            builder.build(data_dir, db_path)
        reference = read_reference(db_path)
        checked = check_return(content, file_name, reference)
        import_id = None if dry_run else next_import_id(data_dir)
        if not checked.ok:
            if not checked.problems:
                checked.problems.append(Problem("The file is empty: it has no rows of data."))
            if not dry_run:
                append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected",
                                                       rejection_message(checked)))
            return Outcome(checked, "rejected", import_id, time.perf_counter() - started)
        changes = preview(checked, reference)
        if dry_run:
            with tempfile.TemporaryDirectory(prefix="jsw-dry-run-") as scratch:
                staging = Path(scratch) / f"{uploads.STAGING_PREFIX}{next_import_id(data_dir):04d}"
                write_upload(staging, checked, journal_entry(0, checked, loaded_by, "loaded", "dry run"))
                try:
                    builder.build(data_dir, Path(scratch) / "trial.duckdb", pending=staging)
                except builder.BuildError as error:
                    checked.problems.append(Problem(f"The return passed every check but the database could not be "
                                                    f"built with it: {error}"))
                    return Outcome(checked, "rejected", None, time.perf_counter() - started, changes)
            return Outcome(checked, "checked", None, time.perf_counter() - started, changes)

        name = f"{import_id:04d}"
        staging = uploads.uploads_dir(data_dir) / f"{uploads.STAGING_PREFIX}{name}"
        entry = journal_entry(import_id, checked, loaded_by, "loaded", summary(changes))
        write_upload(staging, checked, entry)
        pause_point("staged")
        try:
            builder.build(data_dir, db_path, pending=staging)  # the swap inside is the commit point
        except builder.BuildError as error:
            shutil.rmtree(staging, ignore_errors=True)
            checked.problems.append(Problem(f"The return passed every check but the database could not be built "
                                            f"with it, so nothing was changed: {error}"))
            append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected",
                                                   rejection_message(checked)))
            return Outcome(checked, "rejected", import_id, time.perf_counter() - started, changes)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        pause_point("swapped")
        os.replace(staging, uploads.uploads_dir(data_dir) / name)
        pause_point("committed")
        append_journal(data_dir, entry)
    return Outcome(checked, "loaded", import_id, time.perf_counter() - started, changes)


def summary(changes: pd.DataFrame) -> str:
    if changes.empty:
        return "Loaded."
    parts = []
    for table, group in changes.groupby("table", sort=False):
        parts.append(f"{table}: {int(group['rows_in_return'].sum())} rows for {len(group)} "
                     f"authorit{'y' if len(group) == 1 else 'ies'} ({int(group['rows_replaced'].sum())} replaced)")
    return "; ".join(parts)


# --- Command line -----------------------------------------------------------------------------

def report(outcome: Outcome, stream=None) -> None:
    stream = stream or sys.stdout
    checked = outcome.checked
    print(f"Checked {checked.file_name} ({checked.size:,} bytes, sha256 {checked.sha256[:12]}…): "
          f"{checked.rows:,} rows.", file=stream)
    for note in checked.notes:
        print(f"Note: {note}", file=stream)
    if outcome.outcome == "rejected":
        print(f"REJECTED: {len(checked.problems)} problem(s). Nothing was changed.", file=stream)
        for problem in checked.problems:
            print(f"  - {problem}", file=stream)
        return
    if outcome.preview is not None and not outcome.preview.empty:
        print(summary(outcome.preview), file=stream)
    if outcome.outcome == "checked":
        print(f"OK: the return would load (dry run, nothing changed; {outcome.seconds:.1f} s).", file=stream)
    else:
        print(f"LOADED as import {outcome.import_id} in {outcome.seconds:.1f} s. The previous database is kept as "
              f"a .bak file.", file=stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a return (CSV or XLSX) and load it into the explorer's "
                                                 "database, all or nothing.")
    parser.add_argument("file", type=Path, help="the return: .xlsx (from the template) or .csv")
    parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    parser.add_argument("--by", default=None, help="who is loading it, for the import log (default: your user name)")
    parser.add_argument("--data-dir", type=Path, default=None, help="source folder (default: data/ or JSW_DATA_DIR)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: JSW_DB_PATH or data/jsw.duckdb)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as handle:
            content = handle.read(MAX_RETURN_BYTES + 1)  # one byte over the limit is enough to refuse it
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror}.", file=sys.stderr)
        return 2
    loaded_by = args.by or f"{getpass.getuser()} (command line)"
    try:
        outcome = load(content, args.file.name, loaded_by=loaded_by, data_dir=args.data_dir, db_path=args.db,
                       dry_run=args.dry_run)
    except builder.BuildError as error:
        print(f"The current data could not be built, so nothing was loaded: {error}", file=sys.stderr)
        return 1
    report(outcome)
    return 1 if outcome.outcome == "rejected" else 0


if __name__ == "__main__":
    sys.exit(main())
