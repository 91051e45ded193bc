"""The one module that reads the database. Pages call run_query("<name>", **params)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from jsw_explorer import build
from jsw_explorer.config import DATA_DIR, QUERIES_DIR, database_path

QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")


class UnknownQueryError(ValueError):
    """A query name that has no file in queries/."""


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; names are checked so no path can escape queries/."""
    if not QUERY_NAME.fullmatch(name) or not (QUERIES_DIR / f"{name}.sql").is_file():
        raise UnknownQueryError(f"no query named {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot reach other files or change its own settings."""
    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


@st.cache_resource(show_spinner=False)
def get_connection(path: str) -> duckdb.DuckDBPyConnection:
    """Open the database once per file, read-only, shared by all sessions."""
    return open_read_only(Path(path))


def _bindable(value: object) -> object:
    return list(value) if isinstance(value, (tuple, frozenset, set)) else value


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached_query(path: str, name: str, params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    with get_connection(path).cursor() as cursor:  # one cursor per call: sessions run on threads
        return cursor.execute(load_sql(name), {k: _bindable(v) for k, v in params}).df()


def run_query(name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with its named parameters bound by DuckDB (never formatted in)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached_query(str(database_path()), name, frozen)


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


@st.cache_resource(show_spinner=False)
def ensure_database(path: str, default_path: str) -> str:
    """Build a missing database (or an out-of-date default one) once per process, with a spinner."""
    target = Path(path)
    stale_default = path == default_path and not database_is_current(target)
    if not target.exists() or stale_default:
        with st.spinner("Building the database from the files in data/ (first start only)…"):
            build.build(DATA_DIR, target)
        clear_caches()
    return path


def clear_caches() -> None:
    """After a new database file is swapped in, drop connections and cached results."""
    _cached_query.clear()
    get_connection.clear()
