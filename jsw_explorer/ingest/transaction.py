"""Loading a checked return all or nothing (stage, build, swap, commit), and recovering an
interrupted load. One import at a time per data folder; every attempt goes in the journal."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from jsw_explorer import build as builder
from jsw_explorer import uploads
from jsw_explorer.config import data_dir as default_data_dir, database_path
from jsw_explorer.data_access import open_read_only
from jsw_explorer.ingest.normalising import preview, summary
from jsw_explorer.ingest.problems import CheckedReturn, Outcome, Problem
from jsw_explorer.reference import read_reference

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None


@contextlib.contextmanager
def import_lock(data_dir: Path, wait: bool = True):
    """One import at a time per data folder (two admins, or the app and the command line).
    Yields False when wait=False and another import holds the lock."""
    folder = uploads.uploads_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        if fcntl is None:
            yield True
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def checkpoint(step: str) -> None:
    """A named step of a load ('staged', 'swapped', 'committed'): nothing happens here. The crash
    tests replace it (tests/crash_loader.py) to stop the loader at a step and kill it there."""


def next_import_id(data_dir: Path) -> int:
    root = uploads.uploads_dir(data_dir)
    ids = [int(uploads.final_name(p)) for p in root.iterdir()
           if p.is_dir() and uploads.IMPORT_NAME.fullmatch(uploads.final_name(p))] if root.is_dir() else []
    journal = uploads.read_journal(data_dir)
    ids += [int(i) for i in journal["import_id"] if str(i).isdigit()]
    return max(ids, default=0) + 1


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def append_journal(data_dir: Path, entry: dict) -> None:
    """Add one line to data/uploads/import_log.csv (rewritten whole and renamed: never half a line)."""
    journal = uploads.read_journal(data_dir)
    journal = pd.concat([journal, pd.DataFrame([entry])[uploads.JOURNAL_COLUMNS].astype(str)], ignore_index=True)
    write_atomically(uploads.uploads_dir(data_dir) / uploads.JOURNAL, journal.to_csv(index=False))


def journal_entry(import_id: int, checked: CheckedReturn, loaded_by: str, outcome: str, message: str) -> dict:
    return {"import_id": import_id, "file_name": checked.file_name, "sha256": checked.sha256, "rows": checked.rows,
            "loaded_by": loaded_by, "loaded_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "outcome": outcome, "message": message[:2000]}


def write_upload(folder: Path, checked: CheckedReturn, entry: dict) -> None:
    folder.mkdir(parents=True)
    manifest = {k: v for k, v in entry.items() if k != "outcome"}
    for name, frame in [(uploads.MANIFEST, pd.DataFrame([manifest])), *checked.tables.items()]:
        write_atomically(folder / name, frame.to_csv(index=False))


def is_committed(db_path: Path, import_id: int) -> bool:
    try:
        with open_read_only(db_path) as connection:
            row = connection.execute("select count(*) from import_log where import_id = ? and outcome = 'loaded'",
                                     [import_id]).fetchone()
    except duckdb.Error:
        return False
    return bool(row and row[0])


def recover(data_dir: Path, db_path: Path, wait: bool = True) -> list[str]:
    """Finish or undo an import that was interrupted. The database file decides: if it holds the
    import, the staging folder is moved into place; if not, it is removed. Also removes the
    temporary files a killed build leaves. Returns what was done."""
    done = []
    root = uploads.uploads_dir(data_dir)
    if not root.is_dir():  # nothing was ever imported here (and nothing is created by looking)
        return done
    with import_lock(data_dir, wait=wait) as locked:
        if not locked:
            return done
        for staging in sorted(root.glob(uploads.STAGING_PREFIX + "*")):
            name = uploads.final_name(staging)
            if uploads.IMPORT_NAME.fullmatch(name) and db_path.exists() and is_committed(db_path, int(name)):
                os.replace(staging, root / name)
                journal = uploads.read_journal(data_dir)
                if not ((journal["import_id"].astype(str) == str(int(name))) & (journal["outcome"] == "loaded")).any():
                    manifest = uploads.read_csv(root / name / uploads.MANIFEST).iloc[0].to_dict()
                    append_journal(data_dir, {**manifest, "outcome": "loaded"})
                done.append(f"import {name}: completed (the database already held it)")
            else:
                shutil.rmtree(staging, ignore_errors=True)
                done.append(f"import {name}: undone (the database did not hold it)")
        for temporary in root.glob(".*.tmp"):
            temporary.unlink(missing_ok=True)
    for leftover in db_path.parent.glob(db_path.name + ".building-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
    return done


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def record_rejection(checked: CheckedReturn, loaded_by: str, data_dir: Path | None = None) -> int:
    data_dir = Path(data_dir or default_data_dir())
    with import_lock(data_dir):
        import_id = next_import_id(data_dir)
        append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected", rejection_message(checked)))
    return import_id


def rejection_message(checked: CheckedReturn) -> str:
    if not checked.problems:
        return "No rows of data."
    first = "; ".join(str(p) for p in checked.problems[:3])
    more = f" (and {len(checked.problems) - 3} more)" if len(checked.problems) > 3 else ""
    return f"{len(checked.problems)} problem(s): {first}{more}"


def load(content: bytes, file_name: str, *, loaded_by: str, data_dir: Path | None = None,
         db_path: Path | None = None, dry_run: bool = False) -> Outcome:
    """Check a return and, unless dry_run, load it: all or nothing."""
    started = time.perf_counter()
    data_dir = Path(data_dir or default_data_dir())
    db_path = Path(db_path or database_path())
    recover(data_dir, db_path)
    with import_lock(data_dir):
        if not db_path.exists():
            builder.build(data_dir, db_path)
        reference = read_reference(db_path)
        from jsw_explorer.ingest.checking import check_bounded  # pandera: only when a return is loaded

        checked = check_bounded(content, file_name, reference)
        import_id = None if dry_run else next_import_id(data_dir)
        if not checked.ok:
            if not checked.problems:
                checked.problems.append(Problem("The file is empty: it has no rows of data."))
            if not dry_run:
                append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected",
                                                       rejection_message(checked)))
            return Outcome(checked, "rejected", import_id, time.perf_counter() - started)
        changes = preview(checked, reference)
        if dry_run:
            with tempfile.TemporaryDirectory(prefix="jsw-dry-run-") as scratch:
                staging = Path(scratch) / f"{uploads.STAGING_PREFIX}{next_import_id(data_dir):04d}"
                write_upload(staging, checked, journal_entry(0, checked, loaded_by, "loaded", "dry run"))
                try:
                    builder.build(data_dir, Path(scratch) / "trial.duckdb", pending=staging)
                except builder.BuildError as error:
                    checked.problems.append(Problem(f"The return passed every check but the database could not be "
                                                    f"built with it: {error}"))
                    return Outcome(checked, "rejected", None, time.perf_counter() - started, changes)
            return Outcome(checked, "checked", None, time.perf_counter() - started, changes)

        name = f"{import_id:04d}"
        staging = uploads.uploads_dir(data_dir) / f"{uploads.STAGING_PREFIX}{name}"
        entry = journal_entry(import_id, checked, loaded_by, "loaded", summary(changes))
        write_upload(staging, checked, entry)
        checkpoint("staged")
        try:
            builder.build(data_dir, db_path, pending=staging)  # the swap inside is the commit point
        except builder.BuildError as error:
            shutil.rmtree(staging, ignore_errors=True)
            checked.problems.append(Problem(f"The return passed every check but the database could not be built "
                                            f"with it, so nothing was changed: {error}"))
            append_journal(data_dir, journal_entry(import_id, checked, loaded_by, "rejected",
                                                   rejection_message(checked)))
            return Outcome(checked, "rejected", import_id, time.perf_counter() - started, changes)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        checkpoint("swapped")
        os.replace(staging, uploads.uploads_dir(data_dir) / name)
        checkpoint("committed")
        append_journal(data_dir, entry)
    return Outcome(checked, "loaded", import_id, time.perf_counter() - started, changes)
