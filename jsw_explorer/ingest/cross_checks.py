"""Checking across sheets and against the database: known ids, whole slices, sums and published figures."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

import pandas as pd

from jsw_explorer.config import SCOTLAND_CODE
from jsw_explorer.ingest.problems import CheckedReturn, Problem
from jsw_explorer.ingest.sheet_checks import rows_as_dicts
from jsw_explorer.reference import Reference
from jsw_explorer.safe_text import shown

FINANCIAL_YEAR = re.compile(r"(\d{4})-(\d{2})")


def period_problem(period: str, reference: Reference) -> str:
    if period in reference.period_kinds:
        return ""
    match = FINANCIAL_YEAR.fullmatch(period)
    if not match:
        return ("is not a period in the right format: write a financial year like 2024-25 (typed as text), or a "
                "snapshot month listed on the allowed_values sheet.")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        if 1 <= end <= 12:
            return "is not a known snapshot month; snapshot periods are listed on the allowed_values sheet."
        return f"is not a financial year: after {start} comes {(start + 1) % 100:02d} (write {start}-{(start + 1) % 100:02d})."
    this_year = datetime.now(timezone.utc).year
    if not 2000 <= start <= this_year:
        return f"is out of range: financial years from 2000-01 to {this_year}-{(this_year + 1) % 100:02d}."
    return ""


_ROWS: dict[int, tuple[pd.DataFrame, dict]] = {}  # id(frame) -> (frame, its rows as dicts), during cross_check


def _value(frame: pd.DataFrame, row: int, column: str) -> object:
    """One cell, None when empty, from the frame's rows converted once (see rows_as_dicts)."""
    cached = _ROWS.get(id(frame))
    if cached is None or cached[0] is not frame:
        cached = (frame, rows_as_dicts(frame))
        _ROWS[id(frame)] = cached
    value = cached[1][row].get(column)
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def cross_check(typed: dict, reference: Reference, checked: CheckedReturn) -> None:
    try:
        _cross_check(typed, reference, checked)
    finally:
        _ROWS.clear()


def _cross_check(typed: dict, reference: Reference, checked: CheckedReturn) -> None:
    add = checked.problems.append
    new_indicators, new_themes = {}, set()
    if "indicators" in typed:
        frame, sheet = typed["indicators"]
        for row in frame.index:
            indicator, label = _value(frame, row, "indicator_id"), _value(frame, row, "label")
            if indicator in reference.value_types:
                add(Problem("this indicator already exists; the indicators sheet is only for new ones.",
                            sheet.label, row, "indicator_id", indicator))
            elif indicator:
                new_indicators[indicator] = _value(frame, row, "value_type")
            if label in reference.labels.get("indicator", set()):
                add(Problem("another indicator already has this label.", sheet.label, row, "label", label))
    if "barrier_themes" in typed:
        frame, sheet = typed["barrier_themes"]
        for row in frame.index:
            theme, label = _value(frame, row, "theme_id"), _value(frame, row, "label")
            if theme in reference.ids.get("theme", []):
                add(Problem("this barrier theme already exists; the barrier_themes sheet is only for new ones.",
                            sheet.label, row, "theme_id", theme))
            elif theme:
                new_themes.add(theme)
            if label in reference.labels.get("theme", set()):
                add(Problem("another barrier theme already has this label.", sheet.label, row, "label", label))

    reviews = reference.ids.get("review", [])
    for name in ("authority_barriers", "completeness"):
        if name not in typed:
            continue
        frame, sheet = typed[name]
        for row in frame.index:
            review = _value(frame, row, "review_id")
            if review and review not in reviews:
                add(Problem(f"unknown review edition; known: {', '.join(reviews)}.{reference.suggest('review', review)}",
                            sheet.label, row, "review_id", review))

    all_themes = [*reference.ids.get("theme", []), *sorted(new_themes)]
    if "authority_barriers" in typed:
        frame, sheet = typed["authority_barriers"]
        for row in frame.index:
            theme = _value(frame, row, "theme_id")
            if theme and theme not in all_themes:
                add(Problem(f"unknown barrier theme.{reference.suggest('theme', theme, sorted(new_themes))}",
                            sheet.label, row, "theme_id", theme))
            reported, impact = _value(frame, row, "reported"), _value(frame, row, "impact")
            if reported is not None and impact is not None and impact in range(0, 4):
                if reported and impact == 0:
                    add(Problem("does not add up: a reported barrier has an impact of 1, 2 or 3.", sheet.label, row,
                                "impact", str(impact)))
                elif not reported and impact > 0:
                    add(Problem("does not add up: a barrier that is not reported has impact 0.", sheet.label, row,
                                "impact", str(impact)))
        complete_slices(frame, sheet, "theme_id", all_themes, "barrier theme", add)
        if new_themes and {"review_id", "gss_code"} <= set(frame.columns):
            for review in sorted(set(frame["review_id"].dropna()) | set(
                    reference.facts.loc[reference.facts["table_name"] == "authority_barrier", "slice_id"])):
                given = set(frame.loc[frame["review_id"] == review, "gss_code"].dropna())
                absent = [reference.authority_names[c] for c in sorted(reference.authority_names) if c not in given]
                if absent:
                    add(Problem(f"new barrier theme(s) {', '.join(shown(t) for t in sorted(new_themes))} need a row for "
                                f"every authority in review {shown(review)}; missing {len(absent)}: {', '.join(absent[:6])}"
                                f"{'…' if len(absent) > 6 else ''}.", sheet.label))
    elif new_themes:
        add(Problem("new barrier themes need rows for every authority on an authority_barriers sheet.",
                    typed["barrier_themes"][1].label))

    if "completeness" in typed:
        frame, sheet = typed["completeness"]
        items = reference.ids.get("item", [])
        for row in frame.index:
            item = _value(frame, row, "item_id")
            if item and item not in items:
                add(Problem(f"unknown evidence item.{reference.suggest('item', item)}", sheet.label, row, "item_id", item))
        complete_slices(frame, sheet, "item_id", items, "evidence item", add)

    if "indicator_values" in typed:
        frame, sheet = typed["indicator_values"]
        typed["indicator_values"] = (check_indicator_values(frame, sheet, reference, new_indicators, checked), sheet)


def complete_slices(frame, sheet, column, expected, noun, add) -> None:
    """Each review and authority given must give every theme/item: it replaces the whole slice."""
    if not {"review_id", "gss_code", column} <= set(frame.columns):
        return
    for (review, code), group in frame.dropna(subset=["review_id", "gss_code"]).groupby(["review_id", "gss_code"]):
        given = set(group[column].dropna())
        absent = [e for e in expected if e not in given]
        if absent:
            add(Problem(f"incomplete: this authority's rows replace all its {noun}s for review {shown(review)}, but "
                        f"{len(absent)} of {len(expected)} are missing: {', '.join(absent[:5])}"
                        f"{'…' if len(absent) > 5 else ''}.", sheet.label, int(group.index.min()), "authority", code))


def check_indicator_values(frame, sheet, reference: Reference, new_indicators: dict,
                           checked: CheckedReturn) -> pd.DataFrame:
    """Indicator values against their type, their counts, the periods and published figures. Returns
    the rows to load: those repeating a published figure exactly are left out (with a note)."""
    add = checked.problems.append
    types = {**reference.value_types, **new_indicators}
    published = reference.facts[(reference.facts["table_name"] == "indicator_value")
                                & reference.facts["source_kind"].isin(["published", "council_reported"])]
    published_values = {(i, g, p): v for i, g, p, v in
                        published[["slice_id", "gss_code", "item_key", "value"]].itertuples(index=False)}
    duplicates_of_published = []
    for row in frame.index:
        indicator = _value(frame, row, "indicator_id")
        code, period = _value(frame, row, "gss_code"), _value(frame, row, "period")
        value = _value(frame, row, "value")
        numerator, denominator = _value(frame, row, "numerator"), _value(frame, row, "denominator")
        if indicator and indicator not in types:
            add(Problem(f"unknown indicator.{reference.suggest('indicator', indicator, list(new_indicators))}",
                        sheet.label, row, "indicator_id", indicator))
        elif indicator in reference.rate_of:
            add(Problem(f"this rate is calculated by the tool from {reference.rate_of[indicator]}: give that count "
                        "instead.", sheet.label, row, "indicator_id", indicator))
        if period:
            reason = period_problem(period, reference)
            if reason:
                add(Problem(reason, sheet.label, row, "period", period))
        value_type = types.get(indicator)
        if value is not None and value_type == "count" and not float(value).is_integer():
            add(Problem("must be a whole number: this indicator is a count.", sheet.label, row, "value", f"{value:g}"))
        if value is not None and value_type == "percent" and value > 100:
            add(Problem("is a percentage over 100.", sheet.label, row, "value", f"{value:g}"))
        if (row, "value") in sheet.percent_cells and value_type and value_type != "percent":
            add(Problem(f"has a percent sign, but this indicator is a {value_type}, not a percentage: give the figure "
                        "itself, without %.", sheet.label, row, "value", f"{value:g}%"))
        for name, number in (("numerator", numerator), ("denominator", denominator)):
            if (row, name) in sheet.percent_cells:
                add(Problem("has a percent sign: the numerator and denominator are counts.", sheet.label, row, name,
                            f"{number:g}%"))
            elif number is not None and not float(number).is_integer():
                add(Problem("must be a whole number (a count).", sheet.label, row, name, f"{number:g}"))
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            add(Problem("give both numerator and denominator, or neither.", sheet.label, row, missing))
        elif numerator is not None and denominator:
            if numerator > denominator:
                add(Problem(f"does not add up: the numerator ({numerator:g}) is larger than the denominator "
                            f"({denominator:g}).", sheet.label, row, "numerator", f"{numerator:g}"))
            elif value is not None and value_type == "percent" and abs(100 * numerator / denominator - value) > 0.5:
                add(Problem(f"does not add up: {numerator:g} / {denominator:g} is {100 * numerator / denominator:.1f}%, "
                            f"not {value:g}%.", sheet.label, row, "value", f"{value:g}"))
        key = (indicator, code, period)
        if key in published_values and value is not None:
            if abs(published_values[key] - value) <= 0.5:
                duplicates_of_published.append(row)
            else:
                add(Problem(f"a published figure already exists for this indicator, authority and period "
                            f"({published_values[key]:g}); published figures are kept as published. Correct the "
                            "value or leave the row out.", sheet.label, row, "value", f"{value:g}"))
    if duplicates_of_published:
        checked.notes.append(f"{len(duplicates_of_published)} row(s) repeat a published figure exactly and are "
                             f"skipped (rows {', '.join(map(str, duplicates_of_published[:10]))}).")
        frame = frame.drop(index=duplicates_of_published)
    check_totals(frame, sheet, reference, types, add)
    return frame


def check_totals(frame, sheet, reference: Reference, types: dict, add) -> None:
    """Authorities' counts may not add up to more than the published Scotland total (allowing for its
    rounding), and a return covering all 32 must add up to it."""
    if not {"indicator_id", "gss_code", "period", "value"} <= set(frame.columns):
        return
    facts = reference.facts[reference.facts["table_name"] == "indicator_value"]
    totals = facts[facts["gss_code"] == SCOTLAND_CODE].set_index(["slice_id", "item_key"])["value"].to_dict()
    counts = frame[frame["indicator_id"].map(types).eq("count")].dropna(subset=["gss_code", "period", "value"])
    for (indicator, period), group in counts.groupby(["indicator_id", "period"]):
        total = totals.get((indicator, period))
        if total is None or pd.isna(total):
            continue
        unit = rounding_unit(total)
        given = float(group["value"].sum())
        complete = group["gss_code"].nunique() == len(reference.authority_names)
        if given > total + unit / 2 or (complete and abs(given - total) > unit / 2):
            rounding = f" (published rounded to the nearest {unit:,.0f})" if unit > 1 else ""
            add(Problem(f"counts do not add up: the authorities' {indicator} for {shown(period)} total {given:,.0f}, but the "
                        f"published Scotland figure is {total:,.0f}{rounding}.", sheet.label,
                        int(group.index.min()), "value"))


def rounding_unit(total: float) -> float:
    """A published total of 14,700 is rounded to the nearest 100; 18,688 is exact."""
    unit = 1.0
    while total and total % (unit * 10) == 0 and unit < 1e6:
        unit *= 10
    return unit
