"""Turning tables and charts into files people take away, safely.

CSV is for machines: tidy machine column names and a status column on every row. Excel is for people:
human labels, number formats by unit, a frozen header row and a Notes sheet (status, sources,
definitions). Images are drawn at publication size with the shipped font. Every writer passes text
through `safe_text.printable`, so a control character in the data can never break a file.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pandas as pd

from jsw_explorer.fonts import FAMILY, register_for_vl_convert
from jsw_explorer.safe_text import printable
from jsw_explorer.status import status_label
from jsw_explorer.tables import excel_format, label

if TYPE_CHECKING:
    import altair as alt
    from openpyxl import Workbook

# openpyxl (Excel) and vl-convert (images) are imported inside the functions that write files: most runs
# write none, and importing them at start cost about 0.1 s and 25 MB (issue 10).

# Text starting with these is run as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Images: charts without a width of their own are laid out this wide (CSS px) for export: wider than the
# 300 px Vega-Lite default that cut bars off, about a wide Streamlit column; PNG doubles it (scale 2).
EXPORT_WIDTH = 640
PNG_SCALE = 2
HEADER_FILL_COLOUR = "DCE6F0"
STATUS_COLUMNS = {"source_kind", "rates_source_kind", "kind", "status"}


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Unsafe characters removed and formula-like text cells prefixed with an apostrophe (for CSV);
    numbers stay numbers."""
    safe = frame.rename(columns=lambda c: printable(str(c)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: "'" + printable(v) if is_formula_like(printable(v))
                                            else printable(v))
    return safe


def with_status_column(frame: pd.DataFrame) -> pd.DataFrame:
    """The machine table with a `status` column on every row (the row's source kind, or 'unknown')."""
    if "status" in frame.columns:
        return frame
    for column in ("source_kind", "rates_source_kind", "kind"):
        if column in frame.columns:
            return frame.assign(status=frame[column].fillna("unknown"))
    return frame.assign(status="unknown")


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Tidy machine names, a status on every row; UTF-8 with BOM so Excel reads it."""
    return neutralise_formulas(with_status_column(frame)).to_csv(index=False).encode("utf-8-sig")


def _excel_value(value: object) -> object:
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item"):  # numpy scalars -> Python numbers
        return value.item()
    return value


def write_sheet(workbook: Workbook, title: str, frame: pd.DataFrame) -> None:
    """One table per sheet under human labels, numbers formatted by unit, header frozen;
    formula-like text is stored as text, never as a formula."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=printable(title)[:31])
    sheet.append([printable(label(str(c))) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(name=FAMILY, bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    units = frame["unit"] if "unit" in frame.columns else None
    formats = {column: excel_format(column, frame[column], units) for column in frame.columns
               if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])}
    for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        for column_number, (column, value) in enumerate(zip(frame.columns, row), start=1):
            if column in STATUS_COLUMNS and isinstance(value, str):
                value = status_words(value)  # people read "ILLUSTRATIVE (generated, not real data)"
            cell = sheet.cell(row=row_number, column=column_number, value=printable(_excel_value(value)))
            if is_formula_like(cell.value):
                cell.data_type = "s"  # text, not a formula
            elif column in formats and isinstance(cell.value, (int, float)):
                cell.number_format = formats[column][row_number - 2]
    for column_number, column in enumerate(frame.columns, start=1):
        width = max([len(label(str(column)))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(column_number)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    fit_to_page_width(sheet)


def fit_to_page_width(sheet) -> None:
    """Printed (or converted to PDF) landscape, one page wide: no column split onto a page of its own."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def status_words(value: str) -> str:
    return ", ".join(status_label(kind) for kind in value.split(", "))


def definitions(sheets: dict[str, pd.DataFrame]) -> list[list[str]]:
    """Label, CSV name and number format of every column, for the Notes sheet."""
    rows, seen = [], set()
    for frame in sheets.values():
        units = frame["unit"] if "unit" in frame.columns else None
        for column in frame.columns:
            if column in seen:
                continue
            seen.add(column)
            numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
            if not numeric:
                kind = "text"
            elif units is not None and column in ("value", "family_group_median", "scotland_value"):
                kind = "by the row's unit (see Unit)"
            else:
                kind = {"#,##0": "count (whole number)", "#,##0.0": "one decimal", '0.0"%"': "percentage"}.get(
                    (excel_format(column, frame[column]) or ["#,##0.0"])[0], "number")
            rows.append([label(str(column)), str(column), kind])
    return rows


def sources_of(sheets: dict[str, pd.DataFrame]) -> list[list[str]]:
    """Title and full web address of every source named in the tables."""
    found: dict[str, str] = {}
    for frame in sheets.values():
        if "source_title" in frame.columns:
            urls = frame["source_url"] if "source_url" in frame.columns else [None] * len(frame)
            for title, url in zip(frame["source_title"], urls):
                if isinstance(title, str):
                    found.setdefault(title, url if isinstance(url, str) else "")
    return [[title, url] for title, url in found.items()]


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], notes: list[str] | None = None) -> bytes:
    """A workbook with a 'Notes' sheet (status and notes, sources, column definitions) and one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    about = workbook.active
    about.title = "Notes"
    for line in notes or []:
        about.append([printable(line)])
    about["A1"].font = Font(name=FAMILY, bold=True, size=13)
    found = sources_of(sheets)
    if found:
        about.append([])
        about.append(["Sources", "Web address"])
        about.cell(row=about.max_row, column=1).font = Font(name=FAMILY, bold=True)
        for title, url in found:
            about.append([printable(title), printable(url)])
    about.append([])
    about.append(["Column", "Name in the CSV download", "Format"])
    for cell in about[about.max_row]:
        cell.font = Font(name=FAMILY, bold=True)
    for row in definitions(sheets):
        about.append([printable(v) for v in row])
    about.column_dimensions["A"].width = 70
    about.column_dimensions["B"].width = 32
    about.column_dimensions["C"].width = 48
    fit_to_page_width(about)
    for row in about.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for title, frame in sheets.items():
        write_sheet(workbook, title, frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chart_spec(chart: alt.TopLevelMixin) -> str:
    return json.dumps(chart.to_dict())


def publication_spec(spec: dict, width: int = EXPORT_WIDTH) -> dict:
    """The spec laid out for a file: views without a width of their own get EXPORT_WIDTH (per facet cell or
    concatenated chart), never the 300 px default; white background; text in the shipped font."""
    spec = dict(spec)

    def widen(view: dict, width: float) -> None:
        if "width" not in view or view["width"] == "container":
            view["width"] = width

    if "facet" in spec and isinstance(spec.get("spec"), dict):
        spec["spec"] = dict(spec["spec"])
        columns = spec.get("columns") or 1
        widen(spec["spec"], max(width // columns, 200))
    elif "hconcat" in spec or "concat" in spec:
        key = "hconcat" if "hconcat" in spec else "concat"
        spec[key] = [dict(view) for view in spec[key]]
        for view in spec[key]:
            widen(view, max(width // len(spec[key]), 200))
    elif "vconcat" in spec:
        spec["vconcat"] = [dict(view) for view in spec["vconcat"]]
        for view in spec["vconcat"]:
            widen(view, width)
    elif "repeat" not in spec:
        widen(spec, width)
    spec.setdefault("background", "white")
    config = dict(spec.get("config", {}))
    config.setdefault("font", f'"{FAMILY}", sans-serif')
    spec["config"] = config
    return spec


def printable_spec(spec: str) -> str:
    """The spec with unsafe characters removed from every text in it (titles, labels, data)."""
    def clean(node):
        if isinstance(node, dict):
            return {printable(k): clean(v) for k, v in node.items()}
        if isinstance(node, list):
            return [clean(v) for v in node]
        return printable(node)

    return json.dumps(clean(json.loads(spec)))


def chart_to_png(spec: str, scale: float = PNG_SCALE) -> bytes:
    """Render a Vega-Lite spec to PNG on the server (no browser needed), with the shipped font."""
    import vl_convert as vlc

    register_for_vl_convert()
    return vlc.vegalite_to_png(printable_spec(spec), scale=scale)


def chart_to_svg(spec: str) -> bytes:
    import vl_convert as vlc

    register_for_vl_convert()
    return vlc.vegalite_to_svg(printable_spec(spec)).encode("utf-8")
