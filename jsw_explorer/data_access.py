"""The one module that reads the database. Pages call run_query("<name>", **params)."""

from __future__ import annotations

import os
import json
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from jsw_explorer.config import QUERIES_DIR, database_path

QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")


class UnknownQueryError(ValueError):
    """A query name that has no file in queries/."""


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; names are checked so no path can escape queries/."""
    if not QUERY_NAME.fullmatch(name) or not (QUERIES_DIR / f"{name}.sql").is_file():
        raise UnknownQueryError(f"no query named {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


# --- The query header (purpose, Parameters, Example, Returns), read by tests and the benchmark ---

ALL_AUTHORITIES = "@all_authorities"  # in an Example line: the list of every authority's gss code


def header_lines(sql: str) -> list[str]:
    """The leading comment lines of a query file, without their '--'."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return lines


def query_parameters(sql: str) -> set[str]:
    """The $named parameters used in the query body (after the header comment)."""
    body = sql.split("\n", len(header_lines(sql)))[-1]
    return set(re.findall(r"\$([a-z_][a-z0-9_]*)", body))


def example_params(sql: str, all_codes: list[str]) -> dict:
    """The JSON on the header's 'Example:' line; "@all_authorities" stands for every gss code."""
    line = next((l for l in header_lines(sql) if l.startswith("Example:")), None)
    if line is None:
        raise ValueError("the query header has no 'Example: {...}' line")
    params = json.loads(line.removeprefix("Example:"))
    return {k: list(all_codes) if v == ALL_AUTHORITIES else v for k, v in params.items()}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot reach other files or change its own settings."""
    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


def file_identity(path: str) -> tuple[int, int, int]:
    """Which file is at `path` now: a swap (os.replace) gives the name a new inode."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class _Connections:
    """One read-only connection per database path, shared by all sessions, reopened when the file
    at that path is replaced (by an import in this process, in another replica sharing the file, or
    the build or importer run from the command line): every query stats the path (microseconds).
    DuckDB keeps one database instance per path in a process, so the old connection must be closed
    before the new file can be opened: a query in flight holds a read lease, and the close waits for it."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._open: dict[str, tuple[tuple[int, int, int], duckdb.DuckDBPyConnection]] = {}
        self._readers: dict[str, int] = {}

    @contextmanager
    def lease(self, path: str):
        identity = file_identity(path)
        with self._lock:
            current = self._open.get(path)
            if current is None or current[0] != identity:
                self._close(path)
                current = (identity, open_read_only(Path(path)))
                self._open[path] = current
            self._readers[path] = self._readers.get(path, 0) + 1
        try:
            yield current[1]
        finally:
            with self._lock:
                self._readers[path] -= 1
                self._lock.notify_all()

    def _close(self, path: str) -> None:  # caller holds the lock
        while self._readers.get(path, 0):
            self._lock.wait(timeout=5)
        if path in self._open:
            _, connection = self._open.pop(path)
            connection.close()

    def close_all(self) -> None:
        with self._lock:
            for path in list(self._open):
                self._close(path)


_connections = _Connections()


def get_connection(path: str) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the file now at `path` (use a cursor per query)."""
    with _connections.lease(path) as connection:
        return connection


def _bindable(value: object) -> object:
    return list(value) if isinstance(value, (tuple, frozenset, set)) else value


@lru_cache(maxsize=2000)
def _cached_query(path: str, identity: tuple[int, int, int], name: str,
                  params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    # `identity` is part of the cache key: results from a file that has since been replaced are not reused.
    # Shared, not copied on every read (run_query hands out a copy-on-write view of it), and keyed by
    # Python's own tuple hash: Streamlit's cache hashed these few values at a tenth of a warm rerun.
    with _connections.lease(path) as connection, connection.cursor() as cursor:  # sessions run on threads
        return cursor.execute(load_sql(name), {k: _bindable(v) for k, v in params}).df()


def result_key(name: str, **params: object) -> tuple:
    """What a query's result depends on: the database file now at the path, the query and its parameters
    (hashable, so that results and what is built from them can be cached without hashing their rows)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    path = str(database_path())
    return (path, file_identity(path), name, frozen)


def run_query(name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with its named parameters bound by DuckDB (never formatted in).

    The result is a shallow copy of the cached one: under pandas' copy-on-write, whatever a caller
    changes (columns, cells, index names) is copied first, so the cache is never changed; unpickling a
    deep copy on every read (st.cache_data) was a tenth of a chart page's warm rerun."""
    return _cached_query(*result_key(name, **params)).copy(deep=False)


@st.cache_data(max_entries=500, show_spinner=False)
def _derived(function_name: str, key: tuple, args: tuple, _function) -> object:
    return _function(_cached_query(*key).copy(deep=False), *args)


def derived_from_query(function, name: str, params: dict, *args: object) -> object:
    """function(run_query(name, **params), *args), worked out once per query result and arguments.

    For what a page computes from a query on every run (most similar authorities, for one): keyed by the
    query's name and parameters and the function's name, never by hashing rows. The function must
    depend only on its arguments.
    """
    return _derived(f"{function.__module__}.{function.__qualname__}", result_key(name, **params), args, function)


def clear_caches() -> None:
    """After a new database file is swapped in: close the connections (DuckDB would otherwise keep
    serving the old file's instance for the same path) and drop cached results."""
    _connections.close_all()
    _cached_query.cache_clear()
