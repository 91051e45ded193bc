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

# --- Barriers and evidence completeness (pages/barriers.py, pages/completeness.py) -------------

# Completeness score bands, as (lowest score in the band, label, meaning). A score is 100 x the
# average level / 3 (rounded to one decimal), so 33.3 and 66.7 are where the average item reaches
# level 1 ("gathered") and level 2 ("gathered and reported"): each band says in words what the
# typical item is, instead of an arbitrary cut. Declared once; pages explain them and show the
# label as text next to every banded score.
COMPLETENESS_BANDS = (
    (0.0, "Limited", "the typical item is not gathered"),
    (33.3, "Partial", "the typical item is gathered but not routinely reported"),
    (66.7, "Established", "the typical item is gathered and reported"),
)

# Barrier impact as rated in the self-evaluation (0 = theme not reported).
IMPACT_LABELS = {0: "Not reported", 1: "Low", 2: "Moderate", 3: "High"}

# Comparisons of groups of authorities flag a group smaller than this: with fewer than five
# authorities a median moves a lot with one authority, so the difference should not be read into.
SMALL_GROUP_SIZE = 5
