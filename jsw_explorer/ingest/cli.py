"""The command line: python -m jsw_explorer.ingest FILE [--dry-run] [--by NAME] [--data-dir DIR] [--db PATH]."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from jsw_explorer import build as builder
from jsw_explorer.config import MAX_RETURN_BYTES
from jsw_explorer.ingest.normalising import summary
from jsw_explorer.ingest.problems import Outcome
from jsw_explorer.ingest.transaction import load
from jsw_explorer.safe_text import shown


def report(outcome: Outcome, stream=None) -> None:
    stream = stream or sys.stdout
    checked = outcome.checked
    print(f"Checked {shown(checked.file_name)} ({checked.size:,} bytes, sha256 {checked.sha256[:12]}…): "
          f"{checked.rows:,} rows.", file=stream)
    for label, rows in checked.rows_read.items():
        print(f"Read {rows:,} row{'' if rows == 1 else 's'} from {shown(label)}.", file=stream)
    for note in checked.notes:
        print(f"Note: {note}", file=stream)
    if outcome.outcome == "rejected":
        print(f"REJECTED: {len(checked.problems)} problem(s). Nothing was changed.", file=stream)
        for problem in checked.problems:
            print(f"  - {problem}", file=stream)
        return
    if outcome.preview is not None and not outcome.preview.empty:
        print(summary(outcome.preview), file=stream)
    if outcome.outcome == "checked":
        print(f"OK: the return would load (dry run, nothing changed; {outcome.seconds:.1f} s).", file=stream)
    else:
        print(f"LOADED as import {outcome.import_id} in {outcome.seconds:.1f} s. The previous database is kept as "
              f"a .bak file.", file=stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jsw_explorer.ingest", description="Check a return (CSV or XLSX) and load it into the explorer's "
                                                 "database, all or nothing.")
    parser.add_argument("file", type=Path, help="the return: .xlsx (from the template) or .csv")
    parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    parser.add_argument("--by", default=None, help="who is loading it, for the import log (default: your user name)")
    parser.add_argument("--data-dir", type=Path, default=None, help="source folder (default: data/ or JSW_DATA_DIR)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: JSW_DB_PATH or data/jsw.duckdb)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as handle:
            content = handle.read(MAX_RETURN_BYTES + 1)  # one byte over the limit is enough to refuse it
    except OSError as error:
        print(f"Cannot read {shown(str(args.file), 1000)}: {error.strerror}.", file=sys.stderr)
        return 2
    loaded_by = args.by or f"{getpass.getuser()} (command line)"
    try:
        outcome = load(content, args.file.name, loaded_by=loaded_by, data_dir=args.data_dir, db_path=args.db,
                       dry_run=args.dry_run)
    except builder.BuildError as error:
        print(f"The current data could not be built, so nothing was loaded: {shown(str(error), 5000)[1:-1]}",
              file=sys.stderr)
        return 1
    report(outcome)
    return 1 if outcome.outcome == "rejected" else 0
