"""Reading an XLSX return in streaming mode: only the cells that hold values, within the limits.

Before any XML is parsed, the archive is unpacked as a stream (never more than the unpacked-bytes
limit) and every XML part is scanned: no XML comment, CDATA, DOCTYPE or processing instruction
(Excel writes none, and a huge one makes the parser crawl), and no stretch between two '<' longer
than the token limit. Then each data sheet is parsed row element by row element, keeping only the
cells that hold a value; the sheet's declared extent and empty formatted cells cost nothing (openpyxl's
own read-only iterator pads every row and fills every gap up to the extent, so it is not used).

A number shown with a percentage format is read as the person saw it: 0.708 shown as 70.8% is read
as the text "70.8%", and the percent rule of the checks applies (jsw_explorer.ingest.sheet_checks).
A number format that divides by 1000 (a trailing comma, as in #,##0,) is refused: the cell does not
show the value it holds. A cell that shows no value is refused where it stands, never read as empty: an
Excel error (#DIV/0!), a number formatted as a date Excel cannot show, or a formula with no saved result
(scripts write formulas without results). A date cell reads as YYYY-MM-DD, or YYYY-MM on the first of a
month (Excel turns a typed month such as 2024-05 into its first day).
"""

from __future__ import annotations

import difflib
import io
import re
import warnings
import zipfile

from jsw_explorer.config import IMPORT_LIMITS, ImportLimits
from jsw_explorer.ingest.problems import Problem
from jsw_explorer.ingest.reading import RawSheet, cell_text, clean_header, column_letter
from jsw_explorer.returns import BY_SHEET, IGNORED_SHEETS
from jsw_explorer.safe_text import shown

CHUNK = 1024 * 1024
DECLARATION = re.compile(rb"<[!?]")
CELL_ELEMENT = re.compile(rb"<c[ >/]")
ROW_ELEMENT = re.compile(rb"<row[ >/]")
QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')   # literal text, escaped characters, [colours] and [conditions]
SCALED = re.compile(r"[0#?],+(?![0#?,])")         # a comma after the digits divides by 1000
UNSAVED_FORMULA = "formula without a saved result"
DAMAGED = ("The file cannot be opened as an Excel workbook (.xlsx): it is damaged or not a workbook. Save it again "
           "from Excel, or upload CSV UTF-8.")


class LimitExceeded(Exception):
    """A limit was reached while reading: the file is refused with this problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.reason)
        self.problem = problem


def read_xlsx(content: bytes, limits: ImportLimits = IMPORT_LIMITS) -> tuple[list[RawSheet], list[Problem]]:
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl parses the workbook's XML through defusedxml when it is installed
        return [], [Problem("Workbooks cannot be read safely on this server (defusedxml is missing). "
                            "Upload CSV files instead.")]
    try:
        scan_archive(content, limits)
        return read_sheets(content, limits)
    except LimitExceeded as refused:
        return [], [refused.problem]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError):
        return [], [Problem(DAMAGED)]
    except MemoryError:
        raise
    except Exception as error:  # openpyxl and the XML parser raise many types for a damaged file; none may escape
        return [], [Problem(f"The file cannot be opened as an Excel workbook (.xlsx) ({type(error).__name__}). "
                            "Save it again from Excel, or upload CSV UTF-8.")]


def scan_archive(content: bytes, limits: ImportLimits) -> None:
    """Unpack every part as a stream, counting real bytes, and scan the XML parts' tokens."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
        if len(parts) > limits.zip_parts:
            raise LimitExceeded(Problem(f"The workbook holds {len(parts):,} parts; the limit is {limits.zip_parts:,}. "
                                        "Save it again from Excel as a plain workbook."))
        declared = sum(part.file_size for part in parts)
        if declared > limits.unpacked_bytes:
            raise LimitExceeded(too_big(declared, limits))
        unpacked, elements = 0, {"cells": 0, "rows": 0}
        for part in parts:
            is_xml = part.filename.lower().endswith((".xml", ".rels", ".vml"))
            counts = elements if part.filename.startswith("xl/worksheets/") else None
            scanner = TokenScanner(part.filename, limits, counts) if is_xml else None
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limits.unpacked_bytes:  # the sizes in the archive's index can lie
                        raise LimitExceeded(too_big(unpacked, limits, "more than "))
                    if scanner:
                        scanner.feed(chunk)


def too_big(size: int, limits: ImportLimits, more: str = "") -> Problem:
    return Problem(f"The workbook is too big: it unpacks to {more}{size / 1e6:.0f} MB (limit "
                   f"{limits.unpacked_bytes / 1e6:.0f} MB).")


class TokenScanner:
    """Refuses XML that Excel never writes and that would make the parser slow: comments, CDATA,
    DOCTYPE and processing instructions (other than the opening <?xml ...?>), and any stretch
    between two '<' (one tag, or one text) longer than the token limit."""

    def __init__(self, part: str, limits: ImportLimits, elements: dict | None = None):
        self.part, self.limit, self.limits, self.elements = part, limits.xml_token_bytes, limits, elements
        self.offset = 0       # bytes of the part seen before this chunk
        self.run = 0          # bytes since the last '<'
        self.last = b""       # the previous chunk's last byte (a '<' may end one chunk and '!' start the next)

    def feed(self, chunk: bytes) -> None:
        window = self.last + chunk
        for match in DECLARATION.finditer(window):
            at = self.offset - len(self.last) + match.start()
            if match.group() == b"<?" and at <= 3:  # the XML declaration, perhaps after a byte order mark
                continue
            kind = "an XML comment, CDATA or DOCTYPE" if match.group() == b"<!" else "a processing instruction"
            raise LimitExceeded(Problem(f"The workbook holds {kind} (in {shown(self.part)}), which Excel never "
                                        "writes. Save it again from Excel, or upload CSV UTF-8."))
        pieces = chunk.split(b"<")
        longest = max(self.run + len(pieces[0]), max(map(len, pieces[1:]), default=0))
        if longest > self.limit:
            raise LimitExceeded(Problem(f"The workbook holds a single piece of XML of more than "
                                        f"{self.limit / 1e6:.1f} MB (in {shown(self.part)}): no cell of a return "
                                        "is that long. Save it again from Excel, or upload CSV UTF-8."))
        if self.elements is not None:  # cell and row elements, empty ones too: each costs the parser
            self.elements["cells"] += sum(1 for _ in CELL_ELEMENT.finditer(window))
            self.elements["rows"] += sum(1 for _ in ROW_ELEMENT.finditer(window))
            if self.elements["cells"] > self.limits.cells or self.elements["rows"] > self.limits.rows + 1000:
                raise LimitExceeded(Problem(
                    f"The workbook's sheets hold more than {self.limits.cells:,} cells or {self.limits.rows:,} rows, "
                    "counting empty formatted ones: check it is a return. Clearing the formatting of unused "
                    "rows and columns also helps."))
        self.run = len(pieces[-1]) if len(pieces) > 1 else self.run + len(chunk)
        self.offset += len(chunk)
        self.last = chunk[-1:]

def number_format(workbook, style_id: int) -> str:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    try:
        format_id = workbook._cell_styles[style_id].numFmtId
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(format_id, "General")
        return workbook._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE]
    except (IndexError, KeyError, AttributeError, TypeError):
        return "General"


def shown_number(value: float | int, code: str) -> tuple[str, str]:
    """(text as read, '') for a number cell with format `code`, or ('', why it is refused)."""
    bare = QUOTED.sub("", code.split(";")[0])
    if SCALED.search(bare):
        return "", (f"the cell's number format ({shown(code)}) shows the value divided by 1000, so the cell does "
                    "not show what it holds. Clear the format and type the figure itself.")
    if "%" in bare:
        percent = round(float(value) * 100, 10)
        return f"{cell_text(float(percent))}%", ""
    return cell_text(value), ""


def read_sheets(content: bytes, limits: ImportLimits) -> tuple[list[RawSheet], list[Problem]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    sheets, problems = [], []
    totals = {"rows": 0, "cells": 0}
    try:
        for worksheet in workbook.worksheets:
            name = worksheet.title
            key = clean_header(name)
            if key in (clean_header(s) for s in IGNORED_SHEETS):
                continue  # never parsed: what they hold costs nothing
            spec = BY_SHEET.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(BY_SHEET), n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(f"unexpected sheet. Sheets must be named {', '.join(BY_SHEET)} (README and "
                                        f"allowed_values are skipped); rename or delete this one.{hint}", name))
                continue
            cells, merged, refused = sheet_cells(workbook, worksheet, limits, totals)
            problems += refused
            problems += [Problem(f"merged cells {shown(m)[1:-1]}: unmerge them so every row has its own values.", name)
                         for m in merged]
            sheet, sheet_problems = raw_sheet(spec, name, cells)
            problems += sheet_problems
            if sheet:
                sheets.append(sheet)
        if not sheets:
            found = ", ".join(shown(n) for n in workbook.sheetnames[:20])
            problems.append(Problem(f"The workbook is missing its sheets: it has none named {', '.join(BY_SHEET)} "
                                    f"(found: {found}). Start from the template."))
    finally:
        workbook.close()
    return sheets, problems


def sheet_cells(workbook, worksheet, limits: ImportLimits,
                totals: dict) -> tuple[dict[int, dict[int, str]], list[str], list[Problem]]:
    """{row: {column: text}} for the cells holding a value, the merged ranges, and any refusal."""
    name, rows, problems = worksheet.title, {}, []
    # openpyxl warns of a date serial out of range and reads it as #VALUE!: that becomes a located problem here
    with worksheet._get_source() as source, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Cell .* is marked as a date", category=UserWarning)
        parser = cell_parser(source, workbook, worksheet)
        for number, row_cells in parser.parse():
            texts = {}
            for cell in row_cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                column = cell["column"]
                if column > limits.columns:
                    raise LimitExceeded(Problem(f"a value in column {column_letter(column - 1)}: a return has at "
                                                f"most {limits.columns} columns. Clear the cells to the right of "
                                                "the table.", name, number, None, cell_text(value)))
                totals["cells"] += 1
                if totals["cells"] > limits.cells:
                    raise LimitExceeded(Problem(f"The workbook has too many values (more than {limits.cells:,}): "
                                                "check it is a return."))
                if cell["data_type"] == UNSAVED_FORMULA:
                    problems.append(Problem(f"column {column_letter(column - 1)} holds a formula with no saved "
                                            "result, so the value a person would see cannot be read. Open the file "
                                            "in Excel and save it (Excel saves the results), or type the value.",
                                            name, number, None, "(formula)"))
                    continue
                if cell["data_type"] == "e":  # an error the cell shows (#DIV/0!), or a date serial out of range
                    problems.append(Problem(f"column {column_letter(column - 1)} shows an Excel error instead of a "
                                            "value (a formula that failed, or a number formatted as a date outside "
                                            "Excel's dates). Type the value itself, or leave the cell empty.",
                                            name, number, None, str(value)))
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    text, reason = shown_number(value, number_format(workbook, cell["style_id"]))
                    if reason:
                        problems.append(Problem(reason, name, number, None, cell_text(value)))
                        text = cell_text(value)
                else:
                    text = cell_text(value)
                if len(text) > limits.cell_characters:
                    raise LimitExceeded(Problem(f"a value of {len(text):,} characters; the limit is "
                                                f"{limits.cell_characters:,} per value.", name, number, None, text))
                if text:
                    texts[column] = text
            if texts:
                if number not in rows and number > 1:
                    totals["rows"] += 1
                    if totals["rows"] > limits.rows:
                        raise LimitExceeded(Problem(f"The workbook has too many rows (more than {limits.rows:,}): "
                                                    "check it is a return, not an export of something else."))
                rows.setdefault(number, {}).update(texts)
        merged = sorted(str(r.ref) for r in parser.merged_cells.mergeCell) if parser.merged_cells else []
    return rows, merged, problems


def cell_parser(source, workbook, worksheet):
    """openpyxl's sheet parser, reading saved results (data_only), which also marks a formula cell that has no
    saved result: read as saved results only, that cell would pass for an empty one and a note would be lost."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class ReturnSheetParser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell.update(value=UNSAVED_FORMULA, data_type=UNSAVED_FORMULA)
            return cell

    return ReturnSheetParser(source, worksheet._shared_strings, data_only=True, epoch=workbook.epoch,
                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)


def raw_sheet(spec, name: str, cells: dict[int, dict[int, str]]) -> tuple[RawSheet | None, list[Problem]]:
    """The header (row 1) and the data rows, in the shape of a CSV read."""
    problems = []
    first = cells.get(1, {})
    width = max(first, default=0)
    header = [clean_header(first.get(c, "")) for c in range(1, width + 1)]
    data = sorted((n, row) for n, row in cells.items() if n > 1)
    if not header and data:
        return None, [Problem("the first row must hold the column headers, but it is empty.", name, 1)]
    rows = []
    for number, row in data:
        beyond = [c for c in sorted(row) if c > width]
        if beyond:
            problems.append(Problem("a value sits in a column with no header: give the column a header or clear it "
                                    f"(column {column_letter(beyond[0] - 1)}).", name, number, None, row[beyond[0]]))
        rows.append((number, [row.get(c, "") for c in range(1, width + 1)]))
    return RawSheet(spec, name, header, rows), problems
