"""The data template, generated from the return's own spec (jsw_explorer.returns) and the ids in
the database: an XLSX workbook (README, one sheet per table, allowed_values) and CSV equivalents.

Pure functions: a Reference (what the database knows) in, file bytes out.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import streamlit as st
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jsw_explorer.config import DISCLOSURE_RULE, MAX_RETURN_BYTES
from jsw_explorer.reference import Reference
from jsw_explorer.returns import (AUTHORITY, LISTS_SHEET, PERIOD, README_SHEET, TABLES, YES_NO, ID, WHOLE,
                                  TableSpec)

HEADER_FILL = PatternFill("solid", fgColor="12436D")
HEADER_FONT = Font(bold=True, color="FFFFFF")
VALIDATED_ROWS = 5000  # drop-down lists reach this far down each sheet

INTRODUCTION = [
    "Justice social work review explorer: data return template",
    "",
    "How to use it",
    "1. Fill in the sheets you have data for; leave the others with just their header row. Do not rename sheets or "
    "columns, and do not merge cells.",
    "2. Name authorities by council area name or GSS code (see allowed_values). Write financial years as text, "
    "like 2024-25.",
    "3. Give exact figures. The tool applies disclosure control itself: counts from "
    f"{DISCLOSURE_RULE.low} to {DISCLOSURE_RULE.high} are shown as {DISCLOSURE_RULE.symbol}, with other cells "
    "hidden where needed so they cannot be worked out from totals.",
    "4. Check the file: python -m jsw_explorer.ingest FILE --dry-run, or upload it on the Load data page, which "
    "shows every problem (sheet, row, column, value, reason) and a preview of what will change.",
    "5. Load it. A return is loaded all or nothing: one problem and nothing changes.",
    "",
    "What an uploaded row replaces",
]


def reference_lists(reference: Reference) -> dict[str, list]:
    f = reference.frame
    pick = lambda kind, column: list(f.loc[f["kind"] == kind, column])  # noqa: E731
    return {
        "authority": pick("authority", "label"), "gss_code": pick("authority", "id"),
        "review_id": pick("review", "id"),
        "theme_id": pick("theme", "id"), "theme_label": pick("theme", "label"), "theme_level": pick("theme", "detail"),
        "item_id": pick("item", "id"), "item_label": pick("item", "label"), "item_domain": pick("item", "detail"),
        "indicator_id": [i for i in pick("indicator", "id") if i not in reference.rate_of],
        "indicator_label": [l for i, l in zip(pick("indicator", "id"), pick("indicator", "label"))
                            if i not in reference.rate_of],
        "indicator_type": [t for i, t in zip(pick("indicator", "id"), pick("indicator", "detail"))
                           if i not in reference.rate_of],
        "period": pick("period", "id"),
        "other_names": [f"{a} = {reference.authority_names.get(c, c)}" for c, a in
                        f.loc[f["kind"] == "alias", ["id", "label"]].itertuples(index=False)],
    }


def lists_frame(reference: Reference) -> pd.DataFrame:
    lists = reference_lists(reference)
    length = max(len(v) for v in lists.values())
    return pd.DataFrame({k: v + [""] * (length - len(v)) for k, v in lists.items()})


def column_table(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame([{"column": c.name, "required": "yes" if c.required else "no", "meaning": c.meaning,
                          "allowed values": c.allowed, "example": c.example} for c in spec.columns])


def readme_lines() -> list[list[str]]:
    rows = [[line] for line in INTRODUCTION]
    for spec in TABLES:
        rows.append([f"- {spec.sheet}: {spec.replaces}."])
    rows.append([""])
    rows.append([f"Files up to {MAX_RETURN_BYTES // (1024 * 1024)} MB. CSV files must be UTF-8 and named after their "
                 "table (for example completeness.csv)."])
    return rows


def template_xlsx(reference: Reference) -> bytes:
    """The workbook people fill in."""
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    for line in readme_lines():
        readme.append(line)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 28
    for column, width in zip("BCDE", (10, 50, 60, 22)):
        readme.column_dimensions[column].width = width
    for spec in TABLES:
        readme.append([])
        readme.append([f"Sheet {spec.sheet}: {spec.title}"])
        readme.cell(readme.max_row, 1).font = Font(bold=True, size=12)
        readme.append([spec.description])
        table = column_table(spec)
        readme.append(list(table.columns))
        for cell in readme[readme.max_row]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
        for record in table.itertuples(index=False):
            readme.append(list(record))
            for cell in readme[readme.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        readme.append(["Example row:", *[c.example for c in spec.columns]])

    lists = lists_frame(reference)
    sheets = {}
    for spec in TABLES:
        sheet = workbook.create_sheet(spec.sheet)
        sheet.append(spec.column_names)
        for position, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(1, position)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
            if column.kind in (PERIOD, ID):  # text, so Excel does not turn 2024-05 into a date
                sheet.column_dimensions[letter].number_format = "@"
        sheet.freeze_panes = "A2"
        sheets[spec.sheet] = sheet

    allowed = workbook.create_sheet(LISTS_SHEET)
    allowed.append(list(lists.columns))
    for cell in allowed[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for record in lists.itertuples(index=False):
        allowed.append(list(record))
    for position, name in enumerate(lists.columns, start=1):
        allowed.column_dimensions[get_column_letter(position)].width = min(60, max(14, lists[name].str.len().max() + 2))

    def list_range(name: str) -> str:
        position = list(lists.columns).index(name) + 1
        count = int((lists[name] != "").sum())
        letter = get_column_letter(position)
        return f"{LISTS_SHEET}!${letter}$2:${letter}${count + 1}"

    drop_downs = {"review_id": "review_id", "theme_id": "theme_id", "item_id": "item_id",
                  "indicator_id": "indicator_id"}
    for spec in TABLES:
        sheet = sheets[spec.sheet]
        for position, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(position)
            cells = f"{letter}2:{letter}{VALIDATED_ROWS}"
            validation = None
            if column.kind == AUTHORITY:
                validation = DataValidation(type="list", formula1=list_range("authority"), allow_blank=True,
                                            showErrorMessage=False)  # codes and variants are allowed too
            elif column.kind == YES_NO:
                validation = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
            elif column.kind == WHOLE and column.low is not None:
                validation = DataValidation(type="whole", operator="between", formula1=str(int(column.low)),
                                            formula2=str(int(column.high)), allow_blank=True)
            elif column.choices:
                validation = DataValidation(type="list", formula1=f'"{",".join(column.choices)}"', allow_blank=True)
            elif column.name in drop_downs and not spec.optional:
                validation = DataValidation(type="list", formula1=list_range(drop_downs[column.name]),
                                            allow_blank=True, showErrorMessage=False)
            if validation is not None:
                validation.prompt = column.allowed[:250]
                validation.showInputMessage = True
                sheet.add_data_validation(validation)
                validation.add(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csvs(reference: Reference) -> dict[str, bytes]:
    """CSV equivalents: one empty CSV per table, the column guide, and the allowed values."""
    files = {f"{spec.sheet}.csv": (",".join(spec.column_names) + "\n").encode("utf-8") for spec in TABLES}
    guide = pd.concat([column_table(spec).assign(table=spec.sheet) for spec in TABLES], ignore_index=True)
    files["README_columns.csv"] = guide[["table", *column_table(TABLES[0]).columns]].to_csv(index=False).encode("utf-8")
    files["allowed_values.csv"] = lists_frame(reference).to_csv(index=False).encode("utf-8")
    files["README.txt"] = "\n".join(line[0] for line in readme_lines()).encode("utf-8")
    return files


def template_zip(reference: Reference) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in template_csvs(reference).items():
            archive.writestr(f"jsw_return_template/{name}", content)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=4)
def template_files(reference_frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """(XLSX, ZIP of CSVs), made once per set of reference data."""
    reference = Reference(reference_frame)
    return template_xlsx(reference), template_zip(reference)


def template_download_buttons(reference_frame: pd.DataFrame, key: str) -> None:
    """The two template downloads, side by side (About the data and Load data pages)."""
    xlsx, csv_zip = template_files(reference_frame)
    left, right = st.columns(2)
    left.download_button("Download the data template (XLSX)", xlsx, file_name="jsw-return-template.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"template-xlsx-{key}")
    right.download_button("Download the template as CSV files (ZIP)", csv_zip, file_name="jsw-return-template-csv.zip",
                          mime="application/zip", key=f"template-zip-{key}")
