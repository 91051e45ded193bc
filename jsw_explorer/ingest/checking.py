"""The whole check of one return: read it, check every sheet, check across sheets, normalise."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from jsw_explorer.config import IMPORT_LIMITS, ImportLimits, database_path
from jsw_explorer.ingest.cross_checks import cross_check
from jsw_explorer.ingest.normalising import normalise, preview
from jsw_explorer.ingest.problems import CheckedReturn, Problem, escaped
from jsw_explorer.ingest.files import read_file
from jsw_explorer.ingest.sandbox import run_bounded
from jsw_explorer.ingest.sheet_checks import check_sheet
from jsw_explorer.reference import Reference, read_reference


def file_label(file_name: str) -> str:
    """The file's name as logged and shown: unsafe characters escaped, at most 200 characters."""
    return escaped(Path(file_name).name, 200)


def check_return(content: bytes, file_name: str, reference: Reference,
                 limits: ImportLimits = IMPORT_LIMITS) -> CheckedReturn:
    """Every problem with a return, at once; and its rows normalised when there are none.
    In this process: the server and the command line call `check_bounded` instead."""
    checked = CheckedReturn(file_label(file_name), hashlib.sha256(content).hexdigest(), len(content))
    sheets, checked.problems = read_file(content, file_name, limits)
    checked.rows = sum(len(s.rows) for s in sheets)
    checked.rows_read = {s.label: len(s.rows) for s in sheets}
    if not sheets:
        return checked
    if checked.rows == 0:
        checked.problems.append(Problem("The file is empty: it has headers but no rows of data."))
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



def check_bounded(content: bytes, file_name: str, reference: Reference,
                  limits: ImportLimits = IMPORT_LIMITS) -> CheckedReturn:
    """check_return in a child process under the time and memory budget of `limits`; past either
    the return is refused with a message, and nothing else is affected."""
    bounded = run_bounded(check_return, (content, file_name, reference, limits), limits.check_seconds,
                          limits.check_memory_bytes)
    if bounded.status == "ok":
        return bounded.result
    checked = CheckedReturn(file_label(file_name), hashlib.sha256(content).hexdigest(), len(content))
    if bounded.status == "time":
        reason = (f"Checking this file took longer than the limit of {limits.check_seconds:.0f} seconds, so it was "
                  "stopped and nothing was changed. A return from the template is checked in a few seconds: check "
                  "this is the right file, or upload its sheets as CSV files.")
    elif bounded.status == "memory":
        reason = (f"Checking this file needed more than the limit of {limits.check_memory_bytes / 2**20:,.0f} MB of "
                  "memory, so it was stopped and nothing was changed. Check this is the right file, or upload its "
                  "sheets as CSV files.")
    else:
        reason = (f"This file could not be checked ({bounded.detail}), so nothing was changed. Save it again from "
                  "Excel, or upload its sheets as CSV UTF-8.")
    checked.problems.append(Problem(reason))
    return checked


def check_file(content: bytes, file_name: str, db_path: Path | None = None) -> tuple[CheckedReturn, pd.DataFrame]:
    """Check a return against the database now in use (no writes). Returns it and its preview."""
    db_path = Path(db_path or database_path())
    reference = read_reference(db_path)
    checked = check_bounded(content, file_name, reference)
    return checked, preview(checked, reference) if checked.ok else pd.DataFrame()
