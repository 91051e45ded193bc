"""Turning tables and charts into files people take away, safely."""

from __future__ import annotations

import io
import json

import altair as alt
import pandas as pd
import vl_convert as vlc
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Text starting with these is run as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe (for CSV); numbers stay numbers."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: "'" + v if is_formula_like(v) else v)
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")  # BOM: Excel reads UTF-8


def _excel_value(value: object) -> object:
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item"):  # numpy scalars -> Python numbers
        return value.item()
    return value


def write_sheet(workbook: Workbook, title: str, frame: pd.DataFrame) -> None:
    """One table per sheet; formula-like text is stored as text, never as a formula."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=_excel_value(value))
            if is_formula_like(cell.value):
                cell.data_type = "s"  # text, not a formula
    for column_number, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(column_number)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], notes: list[str] | None = None) -> bytes:
    """A workbook with an 'About' sheet (status, sources, notes) and one sheet per table."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    for line in notes or []:
        about.append([line])
    about.column_dimensions["A"].width = 120
    for title, frame in sheets.items():
        write_sheet(workbook, title, frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chart_spec(chart: alt.TopLevelMixin) -> str:
    return json.dumps(chart.to_dict())


def chart_to_png(spec: str, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec to PNG on the server (no browser needed)."""
    return vlc.vegalite_to_png(spec, scale=scale)


def chart_to_svg(spec: str) -> bytes:
    return vlc.vegalite_to_svg(spec).encode("utf-8")
