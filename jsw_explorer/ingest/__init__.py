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

The package, one module per concern:
    reading         a file -> sheets of text cells; CSV parsed strictly, one row per line
    xlsx            workbooks in streaming mode, within the limits of config.ImportLimits
    sheet_checks    one sheet: columns, types, ranges, allowed values (pandera)
    cross_checks    across sheets and against the database
    normalising     accepted rows as the build reads them; the preview
    checking        the whole check of one return (check_bounded: in the sandbox)
    sandbox, warm   a child process with a time and memory budget, from a warmed-up fork server
    transaction     stage, build, swap, commit; the journal and recovery
    cli             the command line
"""

from __future__ import annotations

import logging

# On the command line there is no Streamlit server; its cache then says so once per process. Quiet.
logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(
    lambda record: "No runtime found" not in record.getMessage())

# What the page, the command line and startup use, imported when first asked for (PEP 562): startup
# needs only the lock and recovery, and the checks' libraries (pandera, openpyxl) stay out of the
# app's start-up (tests/test_startup_imports.py).
_EXPORTS = {
    "check_bounded": "checking", "check_file": "checking", "check_return": "checking",
    "main": "cli", "report": "cli", "preview": "normalising", "summary": "normalising",
    "CheckedReturn": "problems", "Outcome": "problems", "Problem": "problems",
    "import_lock": "transaction", "load": "transaction", "record_rejection": "transaction", "recover": "transaction",
}
_REFERENCE = {"Reference", "read_reference"}
__all__ = [*_EXPORTS, *_REFERENCE]


def __getattr__(name: str):
    import importlib

    if name in _EXPORTS:
        return getattr(importlib.import_module(f"jsw_explorer.ingest.{_EXPORTS[name]}"), name)
    if name in _REFERENCE:
        return getattr(importlib.import_module("jsw_explorer.reference"), name)
    raise AttributeError(f"module 'jsw_explorer.ingest' has no attribute {name!r}")
