"""Returns for import tests: a full, valid 32-authority return, and helpers to write files.

The good return is made from the source CSVs, not from the importer's code: completeness levels
and barriers are changed in a simple known way, and 2024-25 indicator counts are the generator's
values moved between authorities (so they still add up to the published Scotland totals).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from jsw_explorer.generate import generate

REVIEW = "2024-25"
PERIOD = "2024-25"


def authorities(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "local_authorities.csv", dtype=str)[["gss_code", "name"]].sort_values("gss_code")


def good_return(data_dir: Path) -> dict[str, pd.DataFrame]:
    """sheet name -> rows, as a person would fill in the template (authority names, yes/no)."""
    names = dict(authorities(data_dir).itertuples(index=False))
    items = pd.read_csv(data_dir / "evidence_items.csv", dtype=str)["item_id"].tolist()
    themes = pd.read_csv(data_dir / "barrier_themes.csv", dtype=str)["theme_id"].tolist()
    codes = sorted(names)

    completeness = [{"review_id": REVIEW, "authority": names[code], "item_id": item,
                     "level": (a + i) % 4} for a, code in enumerate(codes) for i, item in enumerate(items)]
    barriers = [{"review_id": REVIEW, "authority": names[code], "theme_id": theme,
                 "reported": "yes" if (a + t) % 3 == 0 else "no", "impact": 1 + (a % 3) if (a + t) % 3 == 0 else 0,
                 "note": ""} for a, code in enumerate(codes) for t, theme in enumerate(themes)]
    generated = pd.read_csv(io.StringIO(generate(data_dir)["indicator_values.csv"]), dtype={"period": str})
    values = []
    for indicator in ("cpo_commenced", "dtto_commenced"):
        rows = generated[(generated["indicator_id"] == indicator) & (generated["period"] == PERIOD)]
        rows = rows.sort_values("gss_code")
        assert len(rows) == 32, indicator
        shifted = list(rows["value"].iloc[1:]) + [rows["value"].iloc[0]]  # each authority gets its neighbour's
        for code, value in zip(rows["gss_code"], shifted):
            values.append({"indicator_id": indicator, "authority": code, "period": PERIOD, "value": int(value),
                           "numerator": "", "denominator": "", "note": ""})
    for a, code in enumerate(codes):
        denominator = 40 + 7 * a
        numerator = denominator - 5 - (a % 9)
        values.append({"indicator_id": "cpo_successful_completion_rate", "authority": names[code], "period": PERIOD,
                       "value": round(100 * numerator / denominator, 1), "numerator": numerator,
                       "denominator": denominator, "note": ""})
    return {"authority_barriers": pd.DataFrame(barriers), "completeness": pd.DataFrame(completeness),
            "indicator_values": pd.DataFrame(values)}


def xlsx_bytes(sheets: dict[str, pd.DataFrame | list[list]], merge: dict[str, str] | None = None) -> bytes:
    """A workbook with one sheet per entry (a DataFrame, or rows given as lists with the header first)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, content in sheets.items():
        sheet = workbook.create_sheet(name)
        rows = [list(content.columns), *content.astype(object).values.tolist()] if isinstance(content, pd.DataFrame) \
            else content
        for row in rows:
            sheet.append(row)
        if merge and name in merge:
            sheet.merge_cells(merge[name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False).encode(encoding)
