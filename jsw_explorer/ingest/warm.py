"""Imported once by the sandbox's fork server: runs a tiny check of each file type, so that every
checking child starts with pandas, pandera and openpyxl already initialised (not just imported)."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from jsw_explorer.ingest.checking import check_return
from jsw_explorer.reference import Reference


def warm_up() -> None:
    frame = pd.DataFrame({"kind": ["authority"], "id": ["S12000047"], "label": ["Fife"], "detail": [None],
                          "extra": [None], "sort_order": [1]})
    reference = Reference(frame)
    check_return(b"review_id,authority,item_id,level\n2024-25,Fife,x,2\n", "completeness.csv", reference)
    workbook = Workbook()
    workbook.active.title = "indicator_values"
    workbook.active.append(["indicator_id", "authority", "period", "value"])
    workbook.active.append(["x", "Fife", "2024-25", 0.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check_return(buffer.getvalue(), "return.xlsx", reference)


try:
    warm_up()
except Exception:  # warming is an optimisation only; the children work without it
    pass
