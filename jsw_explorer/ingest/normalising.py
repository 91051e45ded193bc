"""The accepted rows as the build reads them, and what loading them would change (the preview)."""

from __future__ import annotations

import math

import pandas as pd

from jsw_explorer.ingest.problems import CheckedReturn
from jsw_explorer.reference import Reference

NEW_THEME_WORDING = "Not named by the review: added by an imported return."


def format_number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(round(value, 6))


def normalise(typed: dict, reference: Reference) -> dict[str, pd.DataFrame]:
    """The accepted rows as the build reads them (uploads.FILES)."""
    out = {}

    def text(series):
        return series.astype(object).where(series.notna(), "").astype(str) if series is not None else ""

    def column(frame, name):
        return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype="string")

    if "authority_barriers" in typed:
        f = typed["authority_barriers"][0]
        out["authority_barriers.csv"] = pd.DataFrame({
            "review_id": text(f["review_id"]), "gss_code": text(f["gss_code"]), "theme_id": text(f["theme_id"]),
            "reported": f["reported"].map({True: "true", False: "false"}), "impact": f["impact"].map(format_number),
            "note": text(column(f, "note"))})
    if "completeness" in typed:
        f = typed["completeness"][0]
        out["completeness.csv"] = pd.DataFrame({
            "review_id": text(f["review_id"]), "gss_code": text(f["gss_code"]), "item_id": text(f["item_id"]),
            "level": f["level"].map(format_number)})
    if "indicator_values" in typed:
        f = typed["indicator_values"][0]
        out["indicator_values.csv"] = pd.DataFrame({
            "indicator_id": text(f["indicator_id"]), "gss_code": text(f["gss_code"]), "period": text(f["period"]),
            "value": f["value"].map(format_number), "numerator": column(f, "numerator").map(format_number),
            "denominator": column(f, "denominator").map(format_number), "note": text(column(f, "note"))})
        new_periods = sorted({p for p in f["period"].dropna() if p not in reference.period_kinds})
        if new_periods:
            out["periods.csv"] = pd.DataFrame({
                "period": new_periods, "label": new_periods, "kind": "financial_year",
                "sort_key": [p[:4] for p in new_periods], "comparable": "true",
                "note": "Added by an imported return."})
    if "indicators" in typed:
        f = typed["indicators"][0]
        start = reference.max_sort.get("indicator", 0) + 1
        out["indicators.csv"] = pd.DataFrame({
            "indicator_id": text(f["indicator_id"]), "label": text(f["label"]), "category": text(f["category"]),
            "unit": text(f["unit"]), "value_type": text(f["value_type"]),
            "higher_is_better": column(f, "higher_is_better").map({True: "true", False: "false"}).fillna(""),
            "rate_of": "", "definition": text(f["definition"]), "caveats": text(column(f, "caveats")),
            "sort_order": [str(int(start + i)) for i in range(len(f))]})
    if "barrier_themes" in typed:
        f = typed["barrier_themes"][0]
        start = reference.max_sort.get("theme", 0) + 1
        out["barrier_themes.csv"] = pd.DataFrame({
            "theme_id": text(f["theme_id"]), "label": text(f["label"]), "level": text(f["level"]),
            "review_wording": NEW_THEME_WORDING, "description": text(f["description"]),
            "sort_order": [str(int(start + i)) for i in range(len(f))]})
    return {name: frame.reset_index(drop=True) for name, frame in out.items() if len(frame)}


# --- What a load would change -----------------------------------------------------------------

PREVIEW_TABLES = {"authority_barriers.csv": ("authority_barrier", "Barriers"),
                  "completeness.csv": ("completeness", "Evidence completeness"),
                  "indicator_values.csv": ("indicator_value", "Indicator values")}


def preview(checked: CheckedReturn, reference: Reference) -> pd.DataFrame:
    """Per table and authority: rows in the return, existing rows they replace (and their status),
    and rows that are new."""
    records = []
    facts = reference.facts
    for file_name, (table, title) in PREVIEW_TABLES.items():
        if file_name not in checked.tables:
            continue
        rows = checked.tables[file_name]
        existing = facts[facts["table_name"] == table]
        for code, group in rows.groupby("gss_code"):
            mine = existing[existing["gss_code"] == code]
            if table == "indicator_value":
                keys = set(zip(group["indicator_id"], group["period"]))
                replaced = mine[[k in keys for k in zip(mine["slice_id"], mine["item_key"])]]
                new = len(group) - len(replaced)
            else:
                replaced = mine[mine["slice_id"].isin(set(group["review_id"]))]
                old_keys = set(zip(replaced["slice_id"], replaced["item_key"]))
                key_column = "theme_id" if table == "authority_barrier" else "item_id"
                new = sum(k not in old_keys for k in zip(group["review_id"], group[key_column]))
            records.append({
                "table": title, "authority": reference.authority_names.get(code, code), "gss_code": code,
                "rows_in_return": len(group), "rows_replaced": len(replaced), "rows_added": int(new),
                "replaced_status": ", ".join(sorted(set(replaced["source_kind"]))) or "(none)"})
    for file_name, title in (("indicators.csv", "New indicators"), ("barrier_themes.csv", "New barrier themes"),
                             ("periods.csv", "New periods")):
        if file_name in checked.tables:
            n = len(checked.tables[file_name])
            records.append({"table": title, "authority": "(all)", "gss_code": "", "rows_in_return": n,
                            "rows_replaced": 0, "rows_added": n, "replaced_status": "(none)"})
    return pd.DataFrame(records, columns=["table", "authority", "gss_code", "rows_in_return", "rows_replaced",
                                          "rows_added", "replaced_status"])


def summary(changes: pd.DataFrame) -> str:
    if changes.empty:
        return "Loaded."
    parts = []
    for table, group in changes.groupby("table", sort=False):
        parts.append(f"{table}: {int(group['rows_in_return'].sum())} rows for {len(group)} "
                     f"authorit{'y' if len(group) == 1 else 'ies'} ({int(group['rows_replaced'].sum())} replaced)")
    return "; ".join(parts)
