"""Accepted returns as the build sees them: data/uploads/<import id>/*.csv, applied in import order.

jsw_explorer.ingest writes each accepted return here, normalised (gss codes, canonical values),
as one folder per import, and the build reads them like every other source file. An uploaded
row replaces the matching slice of what came before:

- authority_barrier and completeness: every row for the same review and authority;
- indicator_value: the value for the same indicator, authority and period, unless that value was
  published by its producer (published figures are kept as published).

A folder whose name starts with ".staging-" is an import in progress: the build includes it only
when asked to (the importer's own build) and never counts it in the fingerprint under that name.
The journal data/uploads/import_log.csv records every attempt, accepted or rejected; it is a log,
not a source, so it is not part of the fingerprint.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

UPLOADS = "uploads"
STAGING_PREFIX = ".staging-"
JOURNAL = "import_log.csv"
MANIFEST = "import.csv"
IMPORT_NAME = re.compile(r"[0-9]{4,}")

JOURNAL_COLUMNS = ["import_id", "file_name", "sha256", "rows", "loaded_by", "loaded_at", "outcome", "message"]

# file in an upload folder -> (table, columns written by the importer)
FILES = {
    "periods.csv": ("period", ["period", "label", "kind", "sort_key", "comparable", "note"]),
    "indicators.csv": ("indicator", ["indicator_id", "label", "category", "unit", "value_type", "higher_is_better",
                                     "rate_of", "definition", "caveats", "sort_order"]),
    "barrier_themes.csv": ("barrier_theme", ["theme_id", "label", "level", "review_wording", "description",
                                             "sort_order"]),
    "authority_barriers.csv": ("authority_barrier", ["review_id", "gss_code", "theme_id", "reported", "impact",
                                                     "note"]),
    "completeness.csv": ("completeness", ["review_id", "gss_code", "item_id", "level"]),
    "indicator_values.csv": ("indicator_value", ["indicator_id", "gss_code", "period", "value", "numerator",
                                                 "denominator", "note"]),
}
DEFINITION_TABLES = ("period", "indicator", "barrier_theme")
FACT_TABLES = ("authority_barrier", "completeness", "indicator_value")

# Which existing rows one uploaded row replaces: the columns that must match.
SLICE = {
    "authority_barrier": ("review_id", "gss_code"),
    "completeness": ("review_id", "gss_code"),
    "indicator_value": ("indicator_id", "gss_code", "period"),
}


@dataclass
class Upload:
    import_id: int
    name: str             # final folder name under data/uploads
    folder: Path          # where it is now (its final place, or a staging folder)
    manifest: dict
    frames: dict[str, tuple[pd.DataFrame, list[tuple[str, int]]]]  # table -> (rows, origins)

    @property
    def source_id(self) -> str:
        return f"upload-{self.name}"


def uploads_dir(data_dir: Path) -> Path:
    return data_dir / UPLOADS


def final_name(folder: Path) -> str:
    return folder.name.removeprefix(STAGING_PREFIX)


def upload_folders(data_dir: Path, pending: Path | None = None) -> list[Path]:
    """Accepted imports in order (plus the pending one, if given)."""
    root = uploads_dir(data_dir)
    folders = [p for p in root.iterdir() if p.is_dir() and IMPORT_NAME.fullmatch(p.name)] if root.is_dir() else []
    if pending is not None:
        folders.append(pending)
    return sorted(folders, key=lambda p: int(final_name(p)))


def fingerprint_files(data_dir: Path, pending: Path | None = None) -> list[tuple[str, Path]]:
    """(name as it will be once committed, path now) for every upload file, in a stable order."""
    files = []
    for folder in upload_folders(data_dir, pending):
        for path in sorted(folder.glob("*.csv")):
            files.append((f"{UPLOADS}/{final_name(folder)}/{path.name}", path))
    return files


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def read_upload(folder: Path) -> Upload:
    name = final_name(folder)
    manifest = read_csv(folder / MANIFEST).iloc[0].to_dict()
    frames = {}
    for file_name, (table, columns) in FILES.items():
        path = folder / file_name
        if path.exists():
            frame = read_csv(path)[columns]
            origin_name = f"{UPLOADS}/{name}/{file_name}"
            frames[table] = (frame, [(origin_name, i + 2) for i in range(len(frame))])
    return Upload(int(manifest["import_id"]), name, folder, manifest, frames)


def read_journal(data_dir: Path) -> pd.DataFrame:
    path = uploads_dir(data_dir) / JOURNAL
    if not path.exists():
        return pd.DataFrame(columns=JOURNAL_COLUMNS)
    return read_csv(path)[JOURNAL_COLUMNS]


def source_row(upload: Upload) -> dict:
    m = upload.manifest
    return {
        "source_id": upload.source_id,
        "title": f"Uploaded return: {m['file_name']} (import {upload.name})",
        "publisher": f"Imported by {m['loaded_by']}",
        "url": None,
        "licence": "As supplied by the data holder",
        "kind": "uploaded",
        "retrieved": str(m["loaded_at"])[:10],
        "notes": f"File {m['file_name']}, sha256 {m['sha256']}, {m['rows']} rows, loaded {m['loaded_at']} "
                 f"by {m['loaded_by']}.",
    }


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    return pd.Series(list(zip(*(frame[c] for c in columns))), index=frame.index, dtype=object)


def _drop(rows, replaced: set, columns: tuple[str, ...]):
    """rows without those whose slice is in `replaced` (origins kept in step)."""
    if not replaced or rows.frame.empty:
        return rows
    keep = ~_keys(rows.frame, columns).isin(replaced)
    origins = [o for o, k in zip(rows.origins, keep) if k]
    return dataclasses.replace(rows, frame=rows.frame[keep].reset_index(drop=True), origins=origins)


def merge(base: list, data_dir: Path, pending: Path | None = None) -> list:
    """The build's rows (a list of build.Rows) with every accepted upload applied in order."""
    uploads = [read_upload(folder) for folder in upload_folders(data_dir, pending)]
    journal = read_journal(data_dir)
    Rows = type(base[0])
    make = lambda table, frame, origins: Rows(table, frame.reset_index(drop=True), origins)  # noqa: E731

    added = {table: [] for table in ("source", *DEFINITION_TABLES)}
    for upload in uploads:
        added["source"].append(make("source", pd.DataFrame([source_row(upload)]),
                                    [(f"{UPLOADS}/{upload.name}/{MANIFEST}", 2)]))
        for table in DEFINITION_TABLES:
            if table in upload.frames:
                frame, origins = upload.frames[table]
                frame = frame.assign(source_id=upload.source_id)  # every row has a source: the return that added it
                added[table].append(make(table, frame, origins))

    # Protected rows (published figures) are never replaced; an upload row that collides is dropped.
    protected_keys = {
        key for rows in base if rows.table == "indicator_value" and getattr(rows, "protected", False)
        for key in _keys(rows.frame, SLICE["indicator_value"])
    }
    result, placed = [], set()
    for rows in base:
        if rows.table in FACT_TABLES and not getattr(rows, "protected", False):
            slices = set()
            for upload in uploads:
                if rows.table in upload.frames:
                    slices |= set(_keys(upload.frames[rows.table][0], SLICE[rows.table]))
            rows = _drop(rows, slices, SLICE[rows.table])
        result.append(rows)
        if rows.table in added and rows.table not in placed:  # definitions right after their own table
            result.extend(added[rows.table])
            placed.add(rows.table)

    for position, upload in enumerate(uploads):
        for table in FACT_TABLES:
            if table not in upload.frames:
                continue
            frame, origins = upload.frames[table]
            later = set()
            for other in uploads[position + 1:]:
                if table in other.frames:
                    later |= set(_keys(other.frames[table][0], SLICE[table]))
            rows = make(table, frame.assign(source_id=upload.source_id), origins)
            rows = _drop(rows, later, SLICE[table])
            if table == "indicator_value":
                rows = _drop(rows, protected_keys, SLICE[table])
                rows.frame["method"] = "as_returned"
                rows.frame["suppressed"] = "false"
            result.append(rows)

    log = [dict(u.manifest, outcome="loaded") for u in uploads]
    loaded_ids = {int(u.import_id) for u in uploads}
    rejected = journal[(journal["outcome"] == "rejected") & ~journal["import_id"].astype(int).isin(loaded_ids)]
    log += rejected.to_dict("records")
    if log:
        frame = pd.DataFrame(log)[JOURNAL_COLUMNS]
        result.append(make("import_log", frame, [(f"{UPLOADS}/{JOURNAL}", 0)] * len(frame)))
    return result
