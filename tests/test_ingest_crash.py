"""A loader killed at any moment leaves the old or the new database, never a mix; recovery then
makes data/ agree with it, and a swapped file is seen at once by the app's connection."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures_returns import good_return, xlsx_bytes
from jsw_explorer import build as builder
from jsw_explorer import ingest
from jsw_explorer.config import APP_ROOT
from jsw_explorer.data_access import _connections, clear_caches, open_read_only, run_query
from jsw_explorer.startup import database_is_current

CRASH_LOADER = Path(__file__).with_name("crash_loader.py")

CONTENT_SQL = """
    select 'barrier' as t, count(*), sum(hash(review_id, gss_code, theme_id, reported, impact, source_id))
    from authority_barrier
    union all
    select 'completeness', count(*), sum(hash(review_id, gss_code, item_id, level, source_id)) from completeness
    union all
    select 'value', count(*), sum(hash(indicator_id, gss_code, period, value, numerator, suppressed, source_id))
    from indicator_value
    order by 1
"""


def content(db: Path) -> tuple:
    """What the database says (not when it was built): its fact tables, hashed."""
    with open_read_only(db) as connection:
        return tuple(connection.execute(CONTENT_SQL).fetchall())


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """Base data and database, the return, and the content of the database before and after loading it."""
    root = tmp_path_factory.mktemp("crash")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db = builder.build(data, root / "jsw.duckdb")
    return_file = root / "return.xlsx"
    return_file.write_bytes(xlsx_bytes(good_return(data)))

    done = root / "done"
    shutil.copytree(data, done / "data")
    shutil.copy2(db, done / "jsw.duckdb")
    started = time.perf_counter()
    result = run_loader(return_file, done / "data", done / "jsw.duckdb").wait(timeout=120)
    duration = time.perf_counter() - started
    assert result == 0
    old, new = content(db), content(done / "jsw.duckdb")
    assert old != new
    return {"root": root, "data": data, "db": db, "file": return_file, "old": old, "new": new, "duration": duration}


def run_loader(return_file: Path, data: Path, db: Path, pause_at: str | None = None, log: Path | None = None):
    """The command-line loader in its own process (tests/crash_loader.py), optionally stopping at a step."""
    pause = ["--pause-at", pause_at] if pause_at else []
    out = open(log, "w") if log else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, str(CRASH_LOADER), *pause, str(return_file), "--data-dir", str(data),
                             "--db", str(db), "--by", "crash test"], cwd=APP_ROOT,
                            env={**os.environ, "PYTHONPATH": str(APP_ROOT)}, stdout=out, stderr=subprocess.STDOUT)


def fresh_copy(prepared, name: str) -> tuple[Path, Path]:
    target = prepared["root"] / name
    shutil.copytree(prepared["data"], target / "data")
    shutil.copy2(prepared["db"], target / "jsw.duckdb")
    return target / "data", target / "jsw.duckdb"


def kill(process) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def assert_consistent_after_kill(prepared, data: Path, db: Path) -> str:
    state = content(db)  # the database opens, and is exactly the old or the new one
    assert state in (prepared["old"], prepared["new"])
    ingest.recover(data, db)
    assert content(db) == state, "recovery never changes the database"
    uploads = data / "uploads"
    assert not list(uploads.glob(".staging-*")) and not list(db.parent.glob("*.building-*"))
    committed = [p.name for p in uploads.iterdir() if p.is_dir()] if uploads.exists() else []
    assert committed == (["0001"] if state == prepared["new"] else [])
    assert database_is_current(db, data), "the app's fingerprint check agrees: no rebuild needed"
    # and the loader works again afterwards (an interrupted load leaves no lock behind)
    again = ingest.load(prepared["file"].read_bytes(), "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert again.outcome == "loaded"
    assert content(db) != prepared["old"]
    return "new" if state == prepared["new"] else "old"


@pytest.mark.parametrize("step, expected", [("staged", "old"), ("swapped", "new"), ("committed", "new")])
def test_a_kill_at_each_step_of_a_load_leaves_the_old_or_the_new_database(prepared, step, expected):
    data, db = fresh_copy(prepared, f"step-{step}")
    log = db.parent / "loader.log"
    process = run_loader(prepared["file"], data, db, pause_at=step, log=log)
    deadline = time.monotonic() + 120
    while f"paused at {step}" not in log.read_text() and time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    kill(process)
    assert assert_consistent_after_kill(prepared, data, db) == expected


def test_kills_at_random_moments_leave_a_consistent_database(prepared):
    # A kill before the loader has started its work must leave the old data, a kill after it has
    # finished the new; the random moments in between must leave one of the two (checked inside).
    chooser = random.Random(20250610)
    moments = [0.0, *sorted(chooser.uniform(0.2, prepared["duration"] * 1.1) for _ in range(4)), None]
    outcomes = []
    for run, moment in enumerate(moments):
        data, db = fresh_copy(prepared, f"random-{run}")
        process = run_loader(prepared["file"], data, db)
        if moment is None:
            assert process.wait(timeout=120) == 0
        else:
            time.sleep(moment)
        kill(process)
        outcomes.append(assert_consistent_after_kill(prepared, data, db))
    assert outcomes[0] == "old" and outcomes[-1] == "new", outcomes
    print("kills at", moments, "left:", outcomes)


# --- The app sees a swapped file at once ----------------------------------------------------------

def test_a_swapped_database_is_read_at_once_and_clear_caches_closes_connections(prepared, monkeypatch):
    data, db = fresh_copy(prepared, "swap")
    monkeypatch.setenv("JSW_DB_PATH", str(db))
    first = run_query("build_status").iloc[0]
    assert first["uploaded_rows"] == 0
    assert str(db) in _connections._open

    outcome = ingest.load(prepared["file"].read_bytes(), "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded"
    second = run_query("build_status").iloc[0]  # no restart, no explicit cache clearing
    assert second["uploaded_rows"] > 0 and second["built_at"] > first["built_at"]

    connection = _connections._open[str(db)][1]
    clear_caches()
    assert str(db) not in _connections._open
    with pytest.raises(Exception, match="(?i)closed"):
        connection.execute("select 1")


def test_without_closing_duckdb_keeps_serving_the_old_file_for_the_same_path(prepared):
    # Why clear_caches closes connections: DuckDB keeps one instance per path in a process.
    data, db = fresh_copy(prepared, "instance-cache")
    old = open_read_only(db)
    try:
        before = old.execute("select count(*) from import_log").fetchone()[0]
        ingest.load(prepared["file"].read_bytes(), "return.xlsx", loaded_by="test", data_dir=data, db_path=db)
        with open_read_only(db) as reopened:  # same path, old instance still open
            assert reopened.execute("select count(*) from import_log").fetchone()[0] == before
    finally:
        old.close()
    with open_read_only(db) as fresh:
        assert fresh.execute("select count(*) from import_log").fetchone()[0] == before + 1


def test_the_content_signature_compares_data_not_file_bytes(prepared):
    # the content() signature above depends on data, not on file bytes: two builds of the same data agree
    again = prepared["root"] / "rebuilt.duckdb"
    builder.build(prepared["data"], again)
    assert content(again) == prepared["old"]
    assert hashlib.sha256(again.read_bytes()).hexdigest() != hashlib.sha256(prepared["db"].read_bytes()).hexdigest()
