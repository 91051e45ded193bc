"""At start: make sure a current database exists and finish or undo an import a crash interrupted.

The one place where the app (a reader) calls the writers, so jsw_explorer.data_access imports
neither build nor ingest. Replicas that share a database file (deploy/, JSW_DB_PATH on a shared
volume) build it under the importer's lock, so a replica starting while another loads a return
never swaps an older database over the new one. `python -m jsw_explorer.startup` does the same
from the command line (deploy/compose.yaml runs it once before the replicas start).
"""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path

import duckdb
import streamlit as st

from jsw_explorer import build
from jsw_explorer.config import DATA_DIR, data_dir, database_path
from jsw_explorer.data_access import clear_caches, open_read_only
from jsw_explorer.ingest import import_lock, recover


def database_is_current(path: Path, data_dir: Path = DATA_DIR) -> bool:
    """True when the file exists and was built from the current source files."""
    if not path.exists():
        return False
    try:
        with open_read_only(path) as connection:
            row = connection.execute("select fingerprint from build_info").fetchone()
    except duckdb.Error:
        return False
    return row is not None and row[0] == build.fingerprint(data_dir)


def needs_build(target: Path, source: Path, rebuild_when_stale: bool) -> bool:
    """A missing file always; an out-of-date one only when asked (the app asks for the default path
    only: a test's JSW_DB_PATH is built on purpose and left alone)."""
    return not target.exists() or (rebuild_when_stale and not database_is_current(target, source))


def prepare_database(target: Path, source: Path, rebuild_when_stale: bool, building=nullcontext) -> bool:
    """Recover an interrupted import, then build the database if needed, holding the import lock
    (one writer at a time, in this process or any replica sharing `source`), inside `building()`
    (the app's spinner). True if it built."""
    recover(source, target, wait=False)  # skipped while an import is running elsewhere: that import finishes it
    if not needs_build(target, source, rebuild_when_stale):
        return False
    with building(), import_lock(source):
        if not needs_build(target, source, rebuild_when_stale):  # built by another replica while we waited
            return False
        build.build(source, target)
    return True


@st.cache_resource(show_spinner=False)
def ensure_database(path: str, default_path: str) -> str:
    """Once per process, with a spinner while building: see prepare_database."""
    def building():
        return st.spinner("Building the database from the files in data/ (first start only)…")

    if prepare_database(Path(path), data_dir(), rebuild_when_stale=path == default_path, building=building):
        clear_caches()
    return path


def main() -> int:
    """Make the database at JSW_DB_PATH current for JSW_DATA_DIR (rebuilding a stale one)."""
    started = time.perf_counter()
    target, source = database_path(), data_dir()
    try:
        built = prepare_database(target, source, rebuild_when_stale=True)
    except build.BuildError as error:
        print(f"Build failed: {error}", file=sys.stderr)
        return 1
    print(f"{'Built' if built else 'Already current:'} {target} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
