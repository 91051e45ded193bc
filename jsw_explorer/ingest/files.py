"""Any return file, CSV or XLSX: the size and type checks, then the reader for its kind.

Its own module so that the CSV reader (reading.py) and the workbook reader (xlsx.py, which uses the
CSV reader's cell helpers) never import each other."""

from __future__ import annotations

from jsw_explorer.config import IMPORT_LIMITS, ImportLimits
from jsw_explorer.ingest.problems import Problem
from jsw_explorer.ingest.reading import RawSheet, is_xlsx, read_csv
from jsw_explorer.ingest.xlsx import read_xlsx


def read_file(content: bytes, file_name: str,
              limits: ImportLimits = IMPORT_LIMITS) -> tuple[list[RawSheet], list[Problem]]:
    if len(content) > limits.file_bytes:
        return [], [Problem(f"The file is too big: {len(content) / 1e6:.1f} MB. The limit is "
                            f"{limits.file_bytes / 1e6:.0f} MB; a full return for all 32 authorities is far smaller, "
                            "so check this is the right file.")]
    if not content.strip():
        return [], [Problem("The file is empty.")]
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return [], [Problem("This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel "
                            "Workbook (.xlsx), or as CSV UTF-8.")]
    if is_xlsx(content, file_name):
        return read_xlsx(content, limits)
    return read_csv(content, file_name, limits)
