"""The whole dataset in one download: an Excel workbook (a sheet per table) and a zip of CSVs,
each with the data dictionary and the sources and licences."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import pandas as pd

from jsw_explorer.downloads import to_csv_bytes, to_xlsx_bytes
from jsw_explorer.status import ILLUSTRATIVE_WARNING

# Sheet name -> the query in queries/ that exports it.
EXPORT_QUERIES = {
    "indicator_values": "export_indicator_value",
    "completeness": "export_completeness",
    "authority_barriers": "export_authority_barrier",
    "authorities": "export_authority",
    "indicators": "export_indicator",
    "barrier_themes": "export_barrier_theme",
    "evidence_domains": "export_evidence_domain",
    "evidence_items": "export_evidence_item",
    "completeness_levels": "export_completeness_level",
    "periods": "export_period",
    "reviews": "export_review",
    "review_quotes": "export_review_quote",
    "validation_sites": "export_validation_site",
    "evaluation_scale": "export_evaluation_scale",
    "sources": "sources",
    "data_dictionary": "data_dictionary",
}

README = [
    "Justice social work review explorer: the whole dataset.",
    "Each table has a source_id or source_kind; the sources sheet gives every source's status, URL and licence.",
    ILLUSTRATIVE_WARNING.replace("**", ""),
    "Published figures are as published by their producers; 'calculated' rates were worked out by this tool.",
    "The data_dictionary sheet says what every column means.",
]


def readme_lines(built_at: object) -> list[str]:
    return [*README, f"Database built {built_at}; exported {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC."]


def workbook(tables: dict[str, pd.DataFrame], built_at: object) -> bytes:
    return to_xlsx_bytes(tables, readme_lines(built_at))


def csv_zip(tables: dict[str, pd.DataFrame], built_at: object) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", "\n".join(readme_lines(built_at)) + "\n")
        for name, frame in tables.items():
            archive.writestr(f"{name}.csv", to_csv_bytes(frame))
    return buffer.getvalue()
