"""A hand-checkable barrier dataset: the real data/ with authority_barriers.csv replaced by a pattern.

Authorities are numbered i = 0..31 in gss_code order and themes j = 0..6 in sort order. Authority i
reports theme j when i is a multiple of (j + 2). So theme 0 is reported by the 16 even-numbered
authorities, theme 1 by the 11 multiples of 3 (0, 3, ..., 30), and a pair of themes by the
multiples of both: themes 0 and 1 together by the 6 multiples of 6 (0, 6, ..., 30).
Authority 1 reports nothing; authority 0 reports everything.

Impact: local themes (j = 0..3) 1 + (i mod 3); national themes (j = 4..6) 1 + (i mod 2), so no
national theme is ever rated high (3).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from helpers import APP_ROOT

REVIEW = "2024-25"


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def authority_codes(data_dir: Path) -> list[str]:
    return sorted(row["gss_code"] for row in read_rows(data_dir / "local_authorities.csv"))


def themes(data_dir: Path) -> list[dict[str, str]]:
    return sorted(read_rows(data_dir / "barrier_themes.csv"), key=lambda row: int(row["sort_order"]))


def pattern_impact(i: int, j: int, level: str) -> int:
    """0 when authority i does not report theme j; otherwise its impact (see the module docstring)."""
    if i % (j + 2):
        return 0
    return 1 + (i % 3) if level == "local" else 1 + (i % 2)


def write_pattern_barriers(data_dir: Path) -> None:
    codes, theme_rows = authority_codes(data_dir), themes(data_dir)
    path = data_dir / "illustrative" / "authority_barriers.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "gss_code", "theme_id", "reported", "impact", "note", "source_id"])
        for i, code in enumerate(codes):
            for j, theme in enumerate(theme_rows):
                impact = pattern_impact(i, j, theme["level"])
                writer.writerow([REVIEW, code, theme["theme_id"], "true" if impact else "false", impact,
                                 f"pattern note {i}-{j}" if impact else "", "illustrative-generator"])


def build_pattern_database(target_dir: Path) -> Path:
    """Copy data/, write the pattern, build it with the real build code; returns the database path."""
    from jsw_explorer.build import build

    data_dir = target_dir / "data"
    shutil.copytree(APP_ROOT / "data", data_dir, ignore=shutil.ignore_patterns("*.duckdb*", "geo"))
    write_pattern_barriers(data_dir)
    return build(data_dir, target_dir / "pattern.duckdb")
