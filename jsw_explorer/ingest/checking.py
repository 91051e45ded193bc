"""The whole check of one return: read it, check every sheet, check across sheets, normalise."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from jsw_explorer.config import MAX_RETURN_ROWS, database_path
from jsw_explorer.ingest.cross_checks import cross_check
from jsw_explorer.ingest.normalising import normalise, preview
from jsw_explorer.ingest.problems import CheckedReturn, Problem
from jsw_explorer.ingest.reading import read_file
from jsw_explorer.ingest.sheet_checks import check_sheet
from jsw_explorer.reference import Reference, read_reference


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



def check_file(content: bytes, file_name: str, db_path: Path | None = None) -> tuple[CheckedReturn, pd.DataFrame]:
    """Check a return against the database now in use (no writes). Returns it and its preview."""
    db_path = Path(db_path or database_path())
    reference = read_reference(db_path)
    checked = check_return(content, file_name, reference)
    return checked, preview(checked, reference) if checked.ok else pd.DataFrame()
