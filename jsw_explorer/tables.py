"""Tables for people, files for machines: one home for column labels, number formats by unit and "not available".

Screens, Excel files and the briefing show human labels ("Rank (1 = highest)") and numbers formatted by
their unit: counts with thousands separators and no decimals, rates and percentages to one decimal with
their unit. CSV files keep the tidy machine names (`gss_code`, `source_kind`) for people who compute.
"""

from __future__ import annotations

import math

import pandas as pd

from jsw_explorer.config import DISCLOSURE_RULE
from jsw_explorer.safe_text import printable
from jsw_explorer.status import status_label

NOT_AVAILABLE = "not available"
SUPPRESSED = DISCLOSURE_RULE.symbol  # disclosure control: a hidden count (see jsw_explorer/disclosure.py)

# Machine name -> label on screen and in Excel. Units go in the label where the column has one unit.
COLUMN_LABELS = {
    "gss_code": "Area code", "authority": "Authority", "area": "Area", "name": "Name",
    "indicator": "Indicator", "indicator_id": "Indicator id", "category": "Category", "unit": "Unit",
    "period": "Year", "latest_period": "Latest year", "value": "Value", "numerator": "Numerator",
    "denominator": "Denominator", "method": "Method", "rank_highest_first": "Rank (1 = highest)",
    "authorities_with_value": "Authorities with a value", "family_group_median": "Family group median",
    "scotland_value": "Scotland", "scotland_median": "Scotland median", "source_kind": "Data status",
    "rates_source_kind": "Data status (rates)", "source_title": "Source", "source_url": "Source web address",
    "source_id": "Source id", "family_group_people": "Family group (people services)",
    "family_group_other": "Family group (other services)", "population_all_ages": "Population (all ages)",
    "population_16_70": "Population aged 16-70", "domain": "Evidence domain", "score": "Completeness score (0-100)",
    "performance_score": "Performance score (0-100)", "quality_score": "Quality score (0-100)",
    "outcomes_score": "Outcomes score (0-100)", "overall": "Overall score (0-100)",
    "median_score": "Median score (0-100)", "gap_points": "Gap (points)", "theme": "Barrier theme",
    "level": "Level", "impact": "Impact (0-3)", "reported": "Reported", "share_pct": "Share (%)",
    "authorities_reporting": "Authorities reporting", "higher_is_better": "Higher is better",
    "comparable": "Comparable with other years", "distance": "Distance (lower = more similar)",
    "cpo_rate": "CPOs per 10 000 aged 16-70", "dtto_rate": "DTTOs per 10 000 aged 16-70",
    "definition": "Definition", "caveats": "Caveats", "publisher": "Publisher", "licence": "Licence",
    "retrieved": "Retrieved", "title": "Title", "url": "Web address", "note": "Note", "suppressed": "Hidden ([c])",
}

# Columns that always hold counts (whole numbers) or one-decimal measures, whatever the table.
COUNT_COLUMNS = {"numerator", "denominator", "population_all_ages", "population_16_70", "authorities_with_value",
                 "authorities_reporting", "rank_highest_first", "items", "rows"}
DECIMAL_COLUMNS = {"score", "performance_score", "quality_score", "outcomes_score", "overall", "median_score",
                   "family_group_median_score", "scotland_median", "gap_points", "share_pct", "cpo_rate",
                   "dtto_rate", "distance"}
# Columns whose numbers are in the unit given by the row's `unit` column.
UNIT_VALUE_COLUMNS = {"value", "family_group_median", "scotland_value"}


def label(column: str) -> str:
    """The human label of a machine column name."""
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def unit_kind(unit: object) -> str:
    """'count', 'percent' or 'rate' for an indicator unit ('orders', 'percent of CPOs', 'CPOs per 10 000 ...')."""
    text = str(unit or "").lower()
    if text.startswith("percent"):
        return "percent"
    if " per " in text or text.startswith("hours per"):
        return "rate"
    return "count"


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def format_count(value: object) -> str:
    return NOT_AVAILABLE if is_missing(value) else f"{float(value):,.0f}"


def format_decimal(value: object) -> str:
    return NOT_AVAILABLE if is_missing(value) else f"{float(value):,.1f}"


def format_by_unit(value: object, unit: object, with_unit: bool = True) -> str:
    """16,500 (counts); 45.6% (percentages); 12.3 per 10 000 aged 16-70 (rates)."""
    if is_missing(value):
        return NOT_AVAILABLE
    kind = unit_kind(unit)
    if kind == "count":
        return format_count(value)
    if kind == "percent":
        return f"{float(value):,.1f}%"
    text = format_decimal(value)
    per = str(unit).split(" per ", 1)
    return f"{text} per {per[1]}" if with_unit and len(per) == 2 else text


def format_cell(column: str, value: object, unit: object = None, suppressed: bool = False) -> str:
    """One cell as text for people: by its column's rule or its row's unit; [c] when hidden."""
    if suppressed and is_missing(value):
        return SUPPRESSED
    if is_missing(value):
        return NOT_AVAILABLE
    if column in ("source_kind", "rates_source_kind") and isinstance(value, str):
        return ", ".join(status_label(kind) for kind in value.split(", "))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in UNIT_VALUE_COLUMNS and unit is not None:
        return format_by_unit(value, unit)
    if column in COUNT_COLUMNS:
        return format_count(value)
    if isinstance(value, float) or column in DECIMAL_COLUMNS:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(printable(value))
        return format_count(number) if column not in DECIMAL_COLUMNS and number.is_integer() else format_decimal(number)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(printable(value))


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for reading, machine names kept: numbers formatted by unit, "not available" and [c] for missing.

    Numeric columns without missing values stay numbers (they sort as numbers on
    screen, where `column_config` formats them); the rest become formatted text.
    """
    units = frame["unit"] if "unit" in frame else None
    hidden = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else None
    shown = {}
    for column in frame.columns:
        series = frame[column]
        per_row_unit = units is not None and column in UNIT_VALUE_COLUMNS
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        if numeric and (not series.isna().any() or f"{column}_text" in frame.columns):
            shown[column] = series  # no gaps, or the table already carries the words for people (value_text)
            continue
        if numeric or series.isna().any():
            shown[column] = [
                format_cell(column, value, units.iloc[i] if per_row_unit else None,
                            bool(hidden.iloc[i]) if hidden is not None and column in UNIT_VALUE_COLUMNS | COUNT_COLUMNS
                            else False)
                for i, value in enumerate(series)]
        else:
            shown[column] = [printable(v) for v in series]
    return pd.DataFrame(shown, index=frame.index)


def number_format(column: str) -> str:
    """The printf-style format Streamlit (and our Excel mapping) uses for a numeric column."""
    if column in COUNT_COLUMNS:
        return "count"
    if column in DECIMAL_COLUMNS:
        return "decimal"
    return "auto"


def excel_format(column: str, values: pd.Series, units: pd.Series | None = None) -> list[str]:
    """The Excel number format of each cell of a column: by its unit per row, or by the column's rule."""
    count, decimal, percent = "#,##0", "#,##0.0", '0.0"%"'
    if units is not None and column in UNIT_VALUE_COLUMNS:
        return [{"count": count, "percent": percent, "rate": decimal}[unit_kind(u)] for u in units]
    rule = number_format(column)
    if rule == "count":
        return [count] * len(values)
    if rule == "decimal":
        return [decimal] * len(values)
    return [count if isinstance(v, (int, float)) and not is_missing(v) and float(v).is_integer() else decimal
            for v in values]
