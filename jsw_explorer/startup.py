"""At start: make sure a current database exists and finish or undo an import a crash interrupted.

The one place where the app (a reader) calls the writers, so jsw_explorer.data_access imports
neither build nor ingest. Replicas that share a database file (deploy/, JSW_DB_PATH on a shared
volume) build it under the importer's lock, so a replica starting while another loads a return
never swaps an older database over the new one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from jsw_explorer import build
from jsw_explorer.config import DATA_DIR, data_dir
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
    """A missing file always; an out-of-date one only for the default path (a deployment's or a
    test's JSW_DB_PATH is built on purpose and left alone)."""
    return not target.exists() or (rebuild_when_stale and not database_is_current(target, source))


@st.cache_resource(show_spinner=False)
def ensure_database(path: str, default_path: str) -> str:
    """Once per process: recover an interrupted import (skipped while an import is running
    elsewhere), then build a missing database (or an out-of-date default one), with a spinner."""
    target, source = Path(path), data_dir()
    recover(source, target, wait=False)
    rebuild_when_stale = path == default_path
    if needs_build(target, source, rebuild_when_stale):
        with st.spinner("Building the database from the files in data/ (first start only)…"):
            with import_lock(source):  # one writer at a time, in this process or any replica
                if needs_build(target, source, rebuild_when_stale):  # another replica may have built it meanwhile
                    build.build(source, target)
        clear_caches()
    return path
