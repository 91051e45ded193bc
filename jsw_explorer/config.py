"""Paths and settings declared once, each with its reason."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def data_dir() -> Path:
    """The source folder the build reads and imports write to; JSW_DATA_DIR overrides it (tests)."""
    return Path(os.environ.get("JSW_DATA_DIR", DATA_DIR)).resolve()


# --- Imports of real returns (jsw_explorer.ingest) -------------------------------------------
@dataclass(frozen=True)
class ImportLimits:
    """How much work one return may cause. Each limit has its own refusal message, and the README
    lists them. A full return for all 32 authorities is about 20 000 rows, 0.2 MB as CSV and about
    1 MB unpacked as XLSX, so every limit leaves a wide margin for real returns while keeping the
    check of any file well inside the time and memory budget."""

    # The file as uploaded. Matches server.maxUploadSize (10 MB) in .streamlit/config.toml, and is
    # checked again in code so the command line has the same limit.
    file_bytes: int = 10 * 1024 * 1024
    # An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb"), or that holds
    # more parts than any workbook saved by Excel or LibreOffice.
    unpacked_bytes: int = 100 * 1024 * 1024
    zip_parts: int = 500
    # The longest stretch of workbook XML between two '<' (one tag or one text). Excel's longest is a
    # cell of 32 767 characters (about 200 KB escaped); huge single tokens make the XML parser slow.
    xml_token_bytes: int = 1024 * 1024
    # Data rows, columns and cells holding a value, over all sheets; characters in one cell. Rows
    # and cells are set so that the slowest file within them (every row a duplicated key) is
    # checked well inside the time budget on two shared cores.
    rows: int = 50_000
    columns: int = 30           # the widest sheet of the template has 8
    cells: int = 500_000
    cell_characters: int = 2_000  # the longest free text allowed is 500 characters
    # The whole check of one return runs in a child process with this budget, so a file that gets
    # past the limits above can still never stall the server for other users.
    check_seconds: float = 60.0
    check_memory_bytes: int = 1024 * 1024 * 1024


IMPORT_LIMITS = ImportLimits()
MAX_RETURN_BYTES = IMPORT_LIMITS.file_bytes


# --- Disclosure control ----------------------------------------------------------------------
@dataclass(frozen=True)
class DisclosureRule:
    """Small counts of people are hidden so no one can be identified from them.

    Applied once, by the build, when the database is written, so every screen, download and
    briefing shows the same hidden cells, all with the one symbol `symbol`. Counts from `low` to
    `high` are hidden. Further cells are hidden (least information lost first) until an attacker
    who knows this rule, every visible cell and every published total, solving for the hidden
    cells by integer linear programming, learns no more about a hidden small count than that it
    is somewhere from `low` to `high`, and can narrow no other hidden cell to an interval
    narrower than `protection_width` (jsw_explorer/disclosure.py; README "Disclosure control").
    Values that show a hidden count (a rate calculated from it, a percentage with it as the
    denominator) are hidden with it. Figures published by their producer are never changed.
    """

    low: int = 1
    high: int = 4
    symbol: str = "[c]"
    secondary: bool = True
    applies_to: tuple[str, ...] = ("illustrative", "uploaded")  # source.kind values the rule changes
    # The smallest interval (largest minus smallest possible value) an attacker may narrow any
    # hidden cell to. 3 = high - low: no hidden cell is known more closely than a small count
    # itself is ("somewhere from 1 to 4"). README "Disclosure control" gives the reasoning.
    protection_width: int = 3
    # Percentages whose denominator is another indicator's count for the same authority and year:
    # showing the percentage's denominator shows that count.
    denominators: tuple[tuple[str, str], ...] = (("cpo_successful_completion_rate", "cpo_terminated"),)
    # A published percentage is taken to be rounded to one decimal place (+/- 0.05 points).
    percent_half_unit: float = 0.05


# Government Statistical Service practice: counts of 1 to 4 are confidential ("[c]").
DISCLOSURE_RULE = DisclosureRule()


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
