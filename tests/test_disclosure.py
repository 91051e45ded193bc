"""Disclosure control: small counts hidden, secondary suppression, nothing recoverable from totals."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from jsw_explorer import disclosure
from jsw_explorer.config import DISCLOSURE_RULE, SCOTLAND_CODE
from jsw_explorer.data_access import open_read_only

KINDS = {"gen": "illustrative", "pub": "published", "up": "uploaded"}
TYPES = {"orders": "count", "completion": "percent", "orders_rate": "rate"}


def frame(rows) -> pd.DataFrame:
    """rows: (indicator, gss_code, period, value, numerator, denominator, source)"""
    return pd.DataFrame(rows, columns=["indicator_id", "gss_code", "period", "value", "numerator", "denominator",
                                       "source_id"]).astype(str).replace({"None": ""})


def group(values: dict[str, int], total: int | None, published: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = [("orders", code, "2024-25", v, None, None, "pub" if code in published else "gen")
            for code, v in values.items()]
    if total is not None:
        rows.append(("orders", SCOTLAND_CODE, "2024-25", total, None, None, "pub"))
    return frame(rows)


def hidden_codes(values: pd.DataFrame) -> set[str]:
    reasons = disclosure.plan(values, TYPES, KINDS)
    return set(values.loc[reasons.ne(""), "gss_code"])


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_not():
    values = group({"A": 0, "B": 1, "C": 4, "D": 5, "E": 40}, total=None)
    assert hidden_codes(values) == {"B", "C"}


def test_one_hidden_count_under_a_published_total_brings_the_next_smallest_with_it():
    values = group({"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}, total=81)
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert dict(zip(values["gss_code"], reasons)) == {
        "A": "primary", "B": "", "C": "secondary", "D": "", "E": "", SCOTLAND_CODE: ""}


def test_without_a_published_total_no_secondary_suppression_is_needed():
    assert hidden_codes(group({"A": 3, "B": 9, "C": 7}, total=None)) == {"A"}


def test_two_hidden_counts_already_protect_each_other():
    assert hidden_codes(group({"A": 3, "B": 2, "C": 7, "D": 12}, total=24)) == {"A", "B"}


def test_published_figures_are_never_hidden_nor_chosen_as_the_secondary_cell():
    values = group({"A": 3, "B": 2, "C": 6, "D": 12}, total=23, published=("B", "C"))
    assert hidden_codes(values) == {"A", "D"}


def test_a_percentage_whose_numerator_or_denominator_is_small_is_hidden():
    values = frame([("completion", "A", "2024-25", 75.0, 3, 4, "gen"),
                    ("completion", "B", "2024-25", 70.0, 7, 10, "gen"),
                    ("completion", "C", "2024-25", 75.0, 3, 4, "pub")])
    assert list(disclosure.plan(values, TYPES, KINDS)) == ["primary", "", ""]


def test_a_denominator_equal_to_a_hidden_count_is_hidden_with_it():
    values = pd.concat([group({"A": 3, "B": 9, "C": 7, "D": 12}, total=31),
                        frame([("completion", "C", "2024-25", 71.4, 5, 7, "gen"),
                               ("completion", "D", "2024-25", 75.0, 9, 12, "gen")])], ignore_index=True)
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert list(reasons[values["indicator_id"] == "completion"]) == ["linked", ""]


def test_apply_blanks_every_number_of_a_hidden_row_and_says_why():
    values = frame([("completion", "A", "2024-25", 75.0, 3, 4, "gen")])
    out = disclosure.apply(values, disclosure.plan(values, TYPES, KINDS))
    row = out.iloc[0]
    assert (row["value"], row["numerator"], row["denominator"], row["suppressed"]) == ("", "", "", "true")
    assert "1 to 4" in row["note"]


def test_with_symbol_shows_hidden_values_as_c():
    shown = disclosure.with_symbol(pd.DataFrame({"value": [None, 12.0], "suppressed": [True, False]}))
    assert list(shown["value"]) == [DISCLOSURE_RULE.symbol, 12.0]
    assert DISCLOSURE_RULE.symbol == "[c]"


# --- An attacker who knows the rule cannot recover any hidden cell --------------------------------

def consistent_values(values: pd.DataFrame) -> dict[str, set[int]]:
    """Every value each hidden cell could take, given what is shown: the visible counts, the
    published total, and the rule itself (an assignment counts only if the rule would hide
    exactly the same cells). One possible value means the cell is recovered."""
    reasons = disclosure.plan(values, TYPES, KINDS)
    authority = values["gss_code"] != SCOTLAND_CODE
    hidden = values.index[reasons.ne("") & authority]
    total = float(values.loc[~authority, "value"].iloc[0])
    remainder = int(total - values.loc[authority & reasons.eq(""), "value"].astype(float).sum())
    possible: dict[str, set[int]] = {values.at[i, "gss_code"]: set() for i in hidden}
    for guess in itertools.product(range(remainder + 1), repeat=len(hidden) - 1):
        last = remainder - sum(guess)
        if last < 0:
            continue
        trial = values.copy()
        for i, v in zip(hidden, (*guess, last)):
            trial.at[i, "value"] = str(v)
        if set(trial.loc[disclosure.plan(trial, TYPES, KINDS).ne(""), "gss_code"]) == set(possible):
            for i, v in zip(hidden, (*guess, last)):
                possible[values.at[i, "gss_code"]].add(v)
    return possible


@pytest.mark.parametrize("counts", [
    {"A": 3, "B": 9, "C": 7, "D": 12, "E": 50},
    {"A": 1, "B": 5, "C": 6, "D": 30},
    {"A": 4, "B": 2, "C": 5, "D": 8, "E": 13},
    {"A": 2, "B": 0, "C": 9, "D": 11},
], ids=["one-small", "smallest-is-one", "two-small", "with-a-zero"])
def test_no_hidden_cell_can_be_recovered_from_the_visible_cells_and_the_total(counts):
    values = group(counts, total=sum(counts.values()))
    possible = consistent_values(values)
    assert possible, "the fixture has hidden cells"
    for code, options in possible.items():
        assert counts[code] in options, "the true value must be among the possibilities"
        assert len(options) > 1, f"{code} could be recovered: only {options} fits"


def test_without_secondary_suppression_the_same_fixture_would_give_the_hidden_cell_away():
    # The test above can fail: with the rule's secondary step switched off the single hidden cell
    # is the total minus the visible cells.
    rule = disclosure.DisclosureRule(secondary=False)
    counts = {"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}
    values = group(counts, total=sum(counts.values()))
    reasons = disclosure.plan(values, TYPES, KINDS, rule)
    visible = values[(values["gss_code"] != SCOTLAND_CODE) & reasons.eq("")]["value"].astype(float).sum()
    assert list(values.loc[reasons.ne(""), "gss_code"]) == ["A"]
    assert sum(counts.values()) - visible == counts["A"]


# --- The built database ------------------------------------------------------------------------

def fetch(database, sql):
    with open_read_only(database) as connection:
        return connection.execute(sql).df()


def test_in_the_database_every_group_with_a_published_total_hides_none_or_at_least_two(database):
    groups = fetch(database, """
        select v.indicator_id, v.period, count(*) filter (where v.suppressed) as hidden,
               max(t.value) - sum(v.value) as hidden_sum
        from indicator_value as v
        join indicator as i using (indicator_id)
        join indicator_value as t on t.indicator_id = v.indicator_id and t.period = v.period
            and t.gss_code = 'S92000003' and t.value is not null
        where i.value_type = 'count' and v.gss_code <> 'S92000003'
        group by all""")
    assert (groups["hidden"] > 0).any(), "the illustrative data has small counts to hide"
    assert not (groups["hidden"] == 1).any()
    assert (groups.loc[groups["hidden"] > 0, "hidden_sum"] > 0).all()


def test_in_the_database_small_illustrative_counts_are_hidden_and_published_ones_shown(database):
    rows = fetch(database, """
        select s.kind, v.value, v.suppressed from indicator_value as v
        join indicator as i using (indicator_id) join source as s using (source_id)
        where i.value_type = 'count'""")
    assert not rows[(rows["kind"] == "illustrative") & rows["value"].between(1, 4)].shape[0]
    assert not rows[rows["kind"].isin(["published", "council_reported"]) & rows["suppressed"]].shape[0]


def test_a_rate_calculated_from_a_hidden_count_is_hidden_too(database):
    rows = fetch(database, """
        select c.gss_code, c.period, r.suppressed, r.value from indicator_value as c
        join indicator_value as r on r.indicator_id = 'dtto_per_10000_pop_16_70'
            and r.gss_code = c.gss_code and r.period = c.period
        where c.indicator_id = 'dtto_commenced' and c.suppressed""")
    assert len(rows) > 0
    assert rows["suppressed"].all() and rows["value"].isna().all()
