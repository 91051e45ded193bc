"""At start the app makes sure a current database exists, under the importer's lock (jsw_explorer.startup)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from jsw_explorer import build as builder
from jsw_explorer import uploads
from jsw_explorer.data_access import open_read_only
from jsw_explorer.ingest import import_lock
from jsw_explorer.startup import database_is_current, ensure_database


def built_at(path: Path):
    with open_read_only(path) as connection:
        return connection.execute("select built_at from build_info").fetchone()[0]


def test_a_missing_database_is_built_and_an_interrupted_import_is_undone(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("JSW_DATA_DIR", str(data_copy))
    staging = uploads.uploads_dir(data_copy) / f"{uploads.STAGING_PREFIX}0001"
    staging.mkdir(parents=True)  # a load killed before its swap: the database does not hold it
    target = tmp_path / "shared" / "jsw.duckdb"

    assert ensure_database(str(target), str(tmp_path / "default.duckdb")) == str(target)

    assert database_is_current(target, data_copy)
    assert not staging.exists()


def test_an_out_of_date_database_is_rebuilt_only_at_the_default_path(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("JSW_DATA_DIR", str(data_copy))
    default, deployed = tmp_path / "default.duckdb", tmp_path / "deployed.duckdb"
    for path in (default, deployed):
        builder.build(data_copy, path)
    (data_copy / "illustrative" / "extra.csv").write_text("a\n1\n")  # any new source file makes them stale
    assert not database_is_current(default, data_copy)

    ensure_database(str(default), str(default))
    ensure_database(str(deployed), str(default))

    assert database_is_current(default, data_copy)
    assert not database_is_current(deployed, data_copy), "a deployment's JSW_DB_PATH is built on purpose"


def test_a_replica_starting_during_a_load_waits_for_it_and_does_not_build_over_it(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("JSW_DATA_DIR", str(data_copy))
    target = tmp_path / "shared.duckdb"
    holding = threading.Event()

    def another_replica_loading():
        with import_lock(data_copy):
            holding.set()
            time.sleep(1.0)
            builder.build(data_copy, target)

    loader = threading.Thread(target=another_replica_loading)
    loader.start()
    assert holding.wait(10)
    started = time.monotonic()
    ensure_database(str(target), str(tmp_path / "default.duckdb"))
    waited = time.monotonic() - started
    loader.join()

    assert waited >= 0.9, "the start waited for the lock instead of building beside the load"
    assert list(tmp_path.glob("shared.duckdb.bak")) == [], "one build only: no second swap over the loaded file"
    assert database_is_current(target, data_copy)


def test_the_command_line_makes_a_deployments_shared_database_current(data_copy, tmp_path):
    # What deploy/compose.yaml's prepare service runs before the replicas start.
    target = tmp_path / "volume" / "jsw.duckdb"
    env = {**os.environ, "JSW_DB_PATH": str(target), "JSW_DATA_DIR": str(data_copy)}
    app_root = Path(__file__).resolve().parent.parent

    def prepare() -> str:
        done = subprocess.run([sys.executable, "-m", "jsw_explorer.startup"], cwd=app_root, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert prepare().startswith("Built")
    assert prepare().startswith("Already current")
    (data_copy / "illustrative" / "extra.csv").write_text("a\n1\n")
    assert prepare().startswith("Built"), "a new image with new source files rebuilds the shared database"
    assert database_is_current(target, data_copy)
