"""The only writer: source files in data/ -> a new DuckDB file, validated, swapped in atomically.

Run `python -m jsw_explorer.build`. A failed build names the file, row and rule that failed and
leaves the previous database untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from jsw_explorer import (build_rows, disclosure, disclosure_audit, geo, map_topology, publications, published_tables,
                          uploads)
# What the build loads is read in build_rows; BuildError and Rows are importable from here too (callers, tests).
from jsw_explorer.build_rows import BuildError, Rows, all_rows, map_rows
from jsw_explorer.config import DATA_DIR, SCOTLAND_CODE, SQL_DIR, database_path
from jsw_explorer.generate import SEED

# Files whose content defines the database: a change to any of them makes the database out of date.
# Accepted imports (data/uploads/<id>/*.csv) count too: see uploads.fingerprint_files.
FINGERPRINT_GLOBS = ("*.csv", "illustrative/*.csv", "geo/*.json", "published/*")
BUILD_CODE_FILES = (Path(__file__), SQL_DIR / "schema.sql", SQL_DIR / "integrity_checks.sql",
                    SQL_DIR / "calculated_rates.sql", SQL_DIR / "column_comments.sql", Path(build_rows.__file__),
                    Path(disclosure.__file__), Path(disclosure_audit.__file__), Path(uploads.__file__),
                    Path(geo.__file__), Path(map_topology.__file__), Path(publications.__file__),
                    Path(published_tables.__file__), SQL_DIR.parent / "config.py")  # config.py declares the disclosure rule


def check_disclosure(connection: duckdb.DuckDBPyConnection, tables: list[Rows]) -> None:
    """The attacker audit (jsw_explorer.disclosure) over the indicator values as written: refuse
    the database if any hidden cell can be worked out, naming the table and cell."""
    withheld = [r.withheld for r in tables if r.withheld is not None and len(r.withheld)]
    findings = disclosure.audit_database(connection, pd.concat(withheld) if withheld else None)
    if findings:
        raise BuildError(f"disclosure audit failed: {findings[0]}"
                         + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""))


# Table names the build may format into its INSERT statements: exactly those schema.sql creates.
TABLES_LOADED_BY_BUILD = frozenset(re.findall(r"^create table (\w+)", (SQL_DIR / "schema.sql").read_text(), re.M))


def insert_rows(connection: duckdb.DuckDBPyConnection, rows: Rows) -> None:
    """Insert all rows at once; on failure, find the first offending row and name it."""
    if rows.table not in TABLES_LOADED_BY_BUILD or not all(c.isidentifier() for c in rows.frame.columns):
        raise BuildError(f"refusing to load unknown table or column names for {rows.table!r}")
    frame = rows.frame.replace({"": None}).astype(object).where(rows.frame.notna(), None)
    frame = frame.replace({"": None})
    columns = ", ".join(frame.columns)
    connection.register("incoming", frame)
    try:
        connection.execute("begin")
        connection.execute(f"insert into {rows.table} ({columns}) select * from incoming")  # names from code, not users
        connection.execute("commit")
        return
    except duckdb.Error as bulk_error:
        connection.execute("rollback")
        raise locate_failing_row(connection, rows, frame, columns) from bulk_error
    finally:
        connection.unregister("incoming")


def locate_failing_row(connection, rows: Rows, frame: pd.DataFrame, columns: str) -> BuildError:
    """Replay the rows one by one in a transaction that is rolled back, to name the first bad one."""
    placeholders = ", ".join("?" for _ in frame.columns)
    connection.execute("begin")
    try:
        for position, record in enumerate(frame.itertuples(index=False, name=None)):
            try:
                connection.execute(f"insert into {rows.table} ({columns}) values ({placeholders})", list(record))
            except duckdb.Error as row_error:
                file_name, line = rows.origins[position]
                where = f"{file_name} row {line}" if line else f"{file_name} (derived source rows)"
                return BuildError(f"{where}: table '{rows.table}': {first_line(row_error)}")
        return BuildError(f"table '{rows.table}': the rows break a rule together (for example a duplicated key)")
    finally:
        connection.execute("rollback")


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def run_integrity_checks(connection: duckdb.DuckDBPyConnection) -> None:
    text = (SQL_DIR / "integrity_checks.sql").read_text(encoding="utf-8")
    for block in text.split("\n-- rule:")[1:]:
        rule, _, sql = block.partition("\n")
        broken = connection.execute(sql).fetchall()
        if broken:
            raise BuildError(f"integrity rule failed: {rule.strip()} (first offending row: {broken[0]})")


def fingerprint(data_dir: Path = DATA_DIR, pending: Path | None = None) -> str:
    """A digest of every source file (by its path under data_dir) and of the build code. A pending
    upload counts under the name it will have once committed, so the database built with it is
    current exactly when the upload is in place."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in FINGERPRINT_GLOBS for p in data_dir.glob(pattern)})
    named = [(p.relative_to(data_dir).as_posix(), p) for p in files]
    named += uploads.fingerprint_files(data_dir, pending)
    named += [(f"code/{p.name}", p) for p in BUILD_CODE_FILES]
    for name, path in named:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(data_dir: Path = DATA_DIR, db_path: Path | None = None, pending: Path | None = None) -> Path:
    """Build the database from data_dir into db_path (atomic swap; previous file kept as .bak).

    `pending` is an import being committed (data/uploads/.staging-<id>): it is included as if it
    were already in place; the importer moves it there once the new file is swapped in."""
    db_path = Path(db_path or database_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = db_path.with_name(f"{db_path.name}.building-{os.getpid()}")
    remove_database_file(temporary)
    try:
        connection = duckdb.connect(str(temporary))
        try:
            connection.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
            tables = all_rows(data_dir, pending)
            for rows in tables:
                if len(rows.frame):
                    insert_rows(connection, rows)
            for rows in map_rows(data_dir):
                insert_rows(connection, rows)
            connection.execute((SQL_DIR / "calculated_rates.sql").read_text(encoding="utf-8"),
                               {"scotland": SCOTLAND_CODE, "hidden_note": disclosure.NOTE})
            connection.execute((SQL_DIR / "column_comments.sql").read_text(encoding="utf-8"))
            run_integrity_checks(connection)
            check_disclosure(connection, tables)
            connection.execute("insert into build_info values ($built_at, $fingerprint, $seed)",
                               {"built_at": datetime.now(timezone.utc).replace(tzinfo=None),
                                "fingerprint": fingerprint(data_dir, pending), "seed": SEED})
            connection.execute("checkpoint")
        finally:
            connection.close()
        swap_in(temporary, db_path)
    except BaseException:
        remove_database_file(temporary)
        raise
    return db_path


def swap_in(new_file: Path, db_path: Path) -> None:
    """Keep the current file as .bak (hard link, so it never disappears), then rename atomically."""
    if db_path.exists():
        backup = db_path.with_name(db_path.name + ".bak")
        staging = db_path.with_name(db_path.name + ".bak-staging")
        staging.unlink(missing_ok=True)
        try:
            os.link(db_path, staging)
        except OSError:
            staging.write_bytes(db_path.read_bytes())
        os.replace(staging, backup)
    os.replace(new_file, db_path)


def remove_database_file(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the explorer's DuckDB database from data/.")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--db", type=Path, default=None, help="output file (default: JSW_DB_PATH or data/jsw.duckdb)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        path = build(args.data_dir, args.db)
    except BuildError as error:
        print(f"Build failed: {error}", file=sys.stderr)
        print("The previous database (if any) was left unchanged.", file=sys.stderr)
        return 1
    print(f"Built {path} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
