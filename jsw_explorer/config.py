"""Paths and settings declared once, each with its reason."""

from __future__ import annotations

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = APP_ROOT / "data"
QUERIES_DIR = APP_ROOT / "queries"
SQL_DIR = Path(__file__).resolve().parent / "sql"  # the build's own SQL (it writes); queries/ holds the reads

SCOTLAND_CODE = "S92000003"
DEFAULT_REVIEW = "2024-25"

# Analysis Function accessible categorical palette, and the focus pair for
# "selected authorities against the rest" (dark blue vs grey).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
FOCUS_COLOUR = "#12436D"
CONTEXT_COLOUR = "#BFBFBF"

# A URL value longer than this is refused outright: no legitimate filter value is this long.
MAX_QUERY_PARAM_LENGTH = 2000


def database_path() -> Path:
    """The database file the app reads; JSW_DB_PATH overrides it (tests, deployments)."""
    return Path(os.environ.get("JSW_DB_PATH", DATA_DIR / "jsw.duckdb")).resolve()
