"""Disclosure control: which indicator values the build hides, proved safe by an attacker audit.

The rule is declared once (config.DISCLOSURE_RULE) and applied by the build when it writes the
database, so screens, downloads and briefings all show the same hidden cells, with one symbol,
[c]. This module is pure: a table of indicator values in, the same table with some values hidden
out, and an audit of what an attacker could still work out.

- Small counts (rule.low to rule.high, 1 to 4), and values whose numerator or denominator is
  one, are hidden.
- Values that would show a hidden count are hidden with it: a rate calculated from it (its
  numerator is the count) and a percentage whose denominator is that count (rule.denominators).
- The attacker audit (`audit`, in disclosure_audit): an integer linear programme per period works
  out which values each hidden cell can still take, given everything shown; a small count must
  still be anywhere from 1 to 4, any other hidden cell at least rule.protection_width wide.
- Further hiding (`plan`): while the audit fails for a table (an indicator and period), the
  visible cell of that table that loses least (the smallest value) and makes it pass is hidden
  too; if no single cell does, the one that leaves fewest failures is, and the search goes on.

Only rows whose source kind is in rule.applies_to (illustrative and uploaded) change: figures
published by their producer are public already and are shown as published. The build audits the
database it has written (`audit_database`) and refuses it if any hidden cell fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsw_explorer.config import DISCLOSURE_RULE, SCOTLAND_CODE, DisclosureRule
# The audit lives in its own module; its names are importable from here too, as the build and tests use them.
from jsw_explorer.disclosure_audit import Finding, as_numbers, audit, audit_database, is_finite

__all__ = ["NOTE", "DisclosureRule", "Finding", "apply", "audit", "audit_database", "explanation", "plan"]

# One note for every hidden value: it never says why this particular cell was chosen.
NOTE = "Confidential [c]: withheld by disclosure control so that no small number of people can be seen or worked out."


# --- Choosing the cells to hide -----------------------------------------------------------------

def plan(values: pd.DataFrame, value_types: dict[str, str], source_kinds: dict[str, str],
         rule: DisclosureRule = DISCLOSURE_RULE, rate_of: dict[str, str] | None = None) -> pd.Series:
    """For each row of `values` (indicator_id, gss_code, period, value, numerator, denominator,
    source_id): '' when shown, else 'small', 'linked' or 'protective' (why the build hides it;
    used by tests and counts, never written into the database)."""
    reason = pd.Series("", index=values.index, dtype=object)
    if values.empty:
        return reason
    rate_of = rate_of or {}
    frame = as_numbers(values)
    frame.index = values.index
    changeable = values["source_id"].map(source_kinds).isin(rule.applies_to)
    is_count = values["indicator_id"].map(value_types).eq("count")

    def is_small(series: pd.Series) -> pd.Series:
        return series.between(rule.low, rule.high).fillna(False)

    reason[changeable & ((is_count & is_small(frame["value"])) | is_small(frame["numerator"])
                         | is_small(frame["denominator"]))] = "small"
    keys = _link_keys(frame, rate_of, rule)
    _hide_linked(frame, reason, changeable, is_count, keys)
    if not rule.secondary or not reason.ne("").any():
        return reason

    authorities = frozenset(frame.loc[frame["gss_code"] != SCOTLAND_CODE, "gss_code"])
    is_authority = frame["gss_code"].ne(SCOTLAND_CODE)
    owned = frame["value"].where(is_count, frame["numerator"])
    # The attacker's constraints never cross periods (nor does _hide_linked), so each period is made safe on
    # its own, in order: the same cells as auditing everything after each step, at a period's cost.
    for _period, positions in frame.groupby("period", sort=True).indices.items():
        in_period = frame.index[positions]
        for _ in range(len(in_period)):  # each pass hides one more cell, so this always ends
            findings = audit(frame.loc[in_period], reason[in_period].ne(""), value_types, rate_of, rule, authorities)
            if not findings:
                break
            first = findings[0]
            candidates = in_period[((frame.loc[in_period, "indicator_id"] == first.indicator_id) & is_authority[in_period]
                                    & changeable[in_period] & reason[in_period].eq("") & owned[in_period].notna()
                                    ).to_numpy()]
            if len(candidates) == 0:
                break  # nothing left to hide here: the build's audit will refuse the database, naming the cell
            order = sorted(candidates, key=lambda i: (owned[i], frame.at[i, "gss_code"]))
            best, best_left = None, None
            for i in order:
                trial = reason.copy()
                trial[i] = "protective"
                _hide_linked(frame, trial, changeable, is_count, keys, within=positions)
                left = len(audit(frame.loc[in_period], trial[in_period].ne(""), value_types, rate_of, rule,
                                 authorities))
                if best_left is None or left < best_left:
                    best, best_left = trial, left
                if left == 0:
                    break
            reason = best
    return reason


def _link_keys(frame: pd.DataFrame, rate_of: dict[str, str], rule: DisclosureRule) -> dict[str, list]:
    """Per row, the cells it would reveal if shown: its rate's count, its percentage's declared
    denominator, and the values its numerator and denominator repeat. Worked out once per plan
    (plain lists: row-by-row pandas access was the build's slowest step at 100x data)."""
    denominators = dict(rule.denominators)
    ind, gss, per = frame["indicator_id"].tolist(), frame["gss_code"].tolist(), frame["period"].tolist()
    keys = {
        "rate": [(rate_of.get(i), g, p) for i, g, p in zip(ind, gss, per)],
        "denominator_of": [(denominators.get(i), g, p) for i, g, p in zip(ind, gss, per)],
        "numerator": [(g, p, v) for g, p, v in zip(gss, per, frame["numerator"].tolist())],
        "denominator": [(g, p, v) for g, p, v in zip(gss, per, frame["denominator"].tolist())],
    }
    return keys


def _hide_linked(frame: pd.DataFrame, reason: pd.Series, changeable: pd.Series, is_count: pd.Series,
                 keys: dict[str, list], within: np.ndarray | None = None) -> None:
    """Hide (in place) every changeable visible row that would show a hidden count: a rate whose
    numerator it is, a percentage whose declared denominator it is, or any value whose numerator
    or denominator repeats it for the same authority and period. `within`: the positions of one
    period's rows, when only that period changed (links never cross periods)."""
    changeable_rows = changeable.to_numpy()
    rows = np.arange(len(frame)) if within is None else within
    while True:
        hidden = reason.ne("")
        counts = frame.iloc[rows][(hidden & is_count).to_numpy()[rows]]
        hidden_cells = set(zip(counts["indicator_id"], counts["gss_code"], counts["period"]))
        hidden_values = {(g, p, v) for g, p, v in zip(counts["gss_code"], counts["period"], counts["value"])
                         if is_finite(v)}
        hidden_rows = hidden.to_numpy()
        newly = [frame.index[n] for n in rows
                 if changeable_rows[n] and not hidden_rows[n]
                 and (keys["rate"][n] in hidden_cells or keys["denominator_of"][n] in hidden_cells
                      or keys["numerator"][n] in hidden_values or keys["denominator"][n] in hidden_values)]
        if not newly:
            return
        reason[newly] = "linked"


def apply(values: pd.DataFrame, reasons: pd.Series, rule: DisclosureRule = DISCLOSURE_RULE) -> pd.DataFrame:
    """The rows with hidden values blanked, `suppressed` set and one note (the same for every
    hidden value, so it never says which cells are the small ones)."""
    out = values.copy()
    hidden = reasons.ne("")
    if "suppressed" not in out:
        out["suppressed"] = "false"
    if "note" not in out:
        out["note"] = None
    for column in ("value", "numerator", "denominator"):
        out.loc[hidden, column] = ""
    out.loc[hidden, "suppressed"] = "true"
    out.loc[hidden, "note"] = NOTE
    return out


# --- Showing hidden values ------------------------------------------------------------------------

def explanation(rule: DisclosureRule = DISCLOSURE_RULE) -> str:
    """The rule in plain words, for the About the data page."""
    return (
        f"To protect the people behind small numbers, counts from {rule.low} to {rule.high} are not shown: "
        f"they appear as **{rule.symbol}** (confidential), in charts, tables, downloads and briefings alike. "
        f"Some larger counts are shown as **{rule.symbol}** too, so that no hidden count can be worked out from "
        "the figures that are shown and the published Scotland totals. Before the database is used, a check "
        "solves for every hidden value as an attacker would: each small count must still be anywhere from "
        f"{rule.low} to {rule.high}, and no other hidden value can be pinned to a range narrower than "
        f"{rule.protection_width}. Rates and percentages that would give a hidden count away are hidden with it. "
        "The rule is applied when the database is built, to illustrative and uploaded figures; figures already "
        "published by their producer (for example Scottish Government statistics) are shown exactly as they "
        "were published."
    )
