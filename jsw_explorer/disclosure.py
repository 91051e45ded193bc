"""Disclosure control: which indicator values the build hides, and how hidden values are shown.

The rule is declared once (config.DISCLOSURE_RULE) and applied by the build when it writes the
database, so screens, downloads and briefings all show the same hidden cells. This module is pure:
a table of indicator values in, the same table with some values hidden out.

- Primary suppression: a count from rule.low to rule.high (default 1 to 4), or a value whose
  numerator or denominator is such a count, is hidden.
- Secondary suppression: where a total is published for an indicator and period (the Scotland
  row), one hidden authority value could be worked out as "total minus the visible authorities".
  So whenever exactly one authority value is hidden in such a group, the smallest other count
  that the rule may change is hidden too; two unknowns with one known sum cannot be solved.
- Linked values: a numerator or denominator equal to a hidden count of the same authority and
  period (for example CPOs terminated, the denominator of the completion rate) is hidden with it.
- Rates calculated from a hidden count are hidden by the build (sql/calculated_rates.sql).

Only rows whose source kind is in rule.applies_to (illustrative and uploaded) change: figures
published by their producer are public already and are shown as published.
"""

from __future__ import annotations

import math

import pandas as pd

from jsw_explorer.config import DISCLOSURE_RULE, SCOTLAND_CODE, DisclosureRule

PRIMARY_NOTE = "Hidden by disclosure control: a count from {low} to {high}, or a value calculated from one."
SECONDARY_NOTE = ("Hidden by disclosure control so that another hidden count cannot be worked out "
                  "from the published Scotland total.")
LINKED_NOTE = "Hidden by disclosure control: its numerator or denominator is a hidden count."


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace({"": None}), errors="coerce")


def plan(values: pd.DataFrame, value_types: dict[str, str], source_kinds: dict[str, str],
         rule: DisclosureRule = DISCLOSURE_RULE) -> pd.Series:
    """For each row of `values` (indicator_id, gss_code, period, value, numerator, denominator,
    source_id): '' when shown, else why it is hidden ('primary', 'secondary' or 'linked')."""
    reason = pd.Series("", index=values.index, dtype=object)
    if values.empty:
        return reason
    value, numerator, denominator = (_number(values[c]) for c in ("value", "numerator", "denominator"))
    changeable = values["source_id"].map(source_kinds).isin(rule.applies_to)
    is_count = values["indicator_id"].map(value_types).eq("count")

    def small(series: pd.Series) -> pd.Series:
        return series.between(rule.low, rule.high).fillna(False)

    primary = changeable & ((is_count & small(value)) | small(numerator) | small(denominator))
    reason[primary] = "primary"
    if not rule.secondary:
        return reason

    is_authority = values["gss_code"].ne(SCOTLAND_CODE)
    has_total = set(values.loc[~is_authority & value.notna(), ["indicator_id", "period"]].itertuples(index=False, name=None))
    changed = True
    while changed:  # each pass can hide a value that makes another group or link need one
        changed = False
        hidden = reason.ne("")
        # Secondary: a group with a published total and exactly one hidden authority count.
        counts = values[is_count & is_authority]
        for (indicator, period), group in counts.groupby(["indicator_id", "period"], sort=True):
            if (indicator, period) not in has_total or hidden[group.index].sum() != 1:
                continue
            candidates = group.index[changeable[group.index] & ~hidden[group.index] & value[group.index].notna()]
            if len(candidates) == 0:
                continue
            order = sorted(candidates, key=lambda i: (value[i] == 0, value[i], values.at[i, "gss_code"]))
            reason[order[0]] = "secondary"
            changed = True
        hidden = reason.ne("")
        # Linked: a numerator or denominator that repeats a hidden count of the same authority and period.
        hidden_counts = {(values.at[i, "gss_code"], values.at[i, "period"], value[i])
                         for i in values.index[hidden & is_count] if not math.isnan(value[i])}
        if hidden_counts:
            for i in values.index[changeable & ~hidden]:
                key = (values.at[i, "gss_code"], values.at[i, "period"])
                if (*key, numerator[i]) in hidden_counts or (*key, denominator[i]) in hidden_counts:
                    reason[i] = "linked"
                    changed = True
    return reason


def apply(values: pd.DataFrame, reasons: pd.Series, rule: DisclosureRule = DISCLOSURE_RULE) -> pd.DataFrame:
    """The rows with hidden values blanked, `suppressed` set and a note saying why."""
    out = values.copy()
    hidden = reasons.ne("")
    if "suppressed" not in out:
        out["suppressed"] = "false"
    if "note" not in out:
        out["note"] = None
    for column in ("value", "numerator", "denominator"):
        out.loc[hidden, column] = ""
    out.loc[hidden, "suppressed"] = "true"
    notes = {"primary": PRIMARY_NOTE.format(low=rule.low, high=rule.high), "secondary": SECONDARY_NOTE,
             "linked": LINKED_NOTE}
    out.loc[hidden, "note"] = reasons[hidden].map(notes)
    return out


def shown(value: object, suppressed: object, rule: DisclosureRule = DISCLOSURE_RULE) -> object:
    """What a table shows for one value: the symbol when hidden, else the value (None stays None)."""
    return rule.symbol if bool(suppressed) else value


def with_symbol(frame: pd.DataFrame, column: str = "value", flag: str = "suppressed",
                rule: DisclosureRule = DISCLOSURE_RULE) -> pd.DataFrame:
    """A copy for display: hidden values in `column` replaced by the symbol ([c])."""
    out = frame.copy()
    if flag in out and column in out:
        hidden = out[flag].fillna(False).astype(bool)
        out[column] = out[column].astype(object)
        out.loc[hidden, column] = rule.symbol
    return out


def explanation(rule: DisclosureRule = DISCLOSURE_RULE) -> str:
    """The rule in plain words, for the About the data page."""
    return (
        f"To protect the people behind small numbers, counts from {rule.low} to {rule.high} are not shown: "
        f"they appear as **{rule.symbol}** (confidential), in charts, tables, downloads and briefings alike. "
        "Where a published Scotland total would let one hidden authority count be worked out by subtraction, "
        "the next-smallest count for the same indicator and year is hidden too, so that no hidden count can be "
        "recovered from the figures that are shown. Rates and percentages calculated from a hidden count are "
        "hidden with it. The rule is applied when the database is built, to illustrative and uploaded "
        "figures; figures already published by their producer (for example Scottish Government statistics) "
        "are shown exactly as they were published."
    )
