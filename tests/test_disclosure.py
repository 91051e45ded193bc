"""Disclosure control: small counts hidden, secondary suppression, nothing recoverable from totals."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pandas as pd
import pytest

from jsw_explorer import disclosure
from jsw_explorer.config import DISCLOSURE_RULE, SCOTLAND_CODE
from jsw_explorer.data_access import open_read_only

DATA = Path(__file__).resolve().parent.parent / "data"
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


def test_one_hidden_count_under_a_published_total_brings_the_least_loss_protective_cell_with_it():
    values = group({"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}, total=81)
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert dict(zip(values["gss_code"], reasons)) == {
        "A": "small", "B": "", "C": "protective", "D": "", "E": "", SCOTLAND_CODE: ""}


def test_without_a_published_total_no_further_cell_is_hidden():
    assert hidden_codes(group({"A": 3, "B": 9, "C": 7}, total=None)) == {"A"}


def test_two_hidden_ones_do_not_protect_each_other():
    # Each is at least 1 and together they are 2 (total minus the visible cells): both are pinned at 1.
    values = group({"A": 1, "B": 1, "C": 7, "D": 12}, total=21)
    only_small = pd.Series(values["gss_code"].isin(["A", "B"]), index=values.index)
    findings = disclosure.audit(values, only_small, TYPES)
    assert {(f.gss_code, f.low, f.high) for f in findings} == {("A", 1, 1), ("B", 1, 1)}
    # C (7) is the least loss but not enough: A + B + C = 9 with C 0 or at least 5 rules out A = 4.
    assert hidden_codes(values) == {"A", "B", "D"}
    assert disclosure.audit(values, disclosure.plan(values, TYPES, KINDS).ne(""), TYPES) == []


def test_an_imported_return_with_two_dtto_counts_of_one_is_protected():
    rows = [("orders", code, "2024-25", v, None, None, "up")
            for code, v in {"A": 1, "B": 1, "C": 0, "D": 6, "E": 9, "F": 14}.items()]
    values = frame([*rows, ("orders", SCOTLAND_CODE, "2024-25", 31, None, None, "pub")])
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert {"A", "B"} < set(values.loc[reasons.ne(""), "gss_code"])
    assert disclosure.audit(values, reasons.ne(""), TYPES) == []
    assert brute_force_ranges(values, reasons)  # and an exhaustive search agrees (below)


def test_the_dtto_2014_15_case_is_protected():
    """DTTOs commenced 2014-15: Scotland 551 (published), the illustrative authorities' two 1s hidden
    by the old rule left 549 visible, so both hidden cells were 1."""
    generated = pd.read_csv(DATA / "illustrative" / "indicator_values.csv", dtype=str, keep_default_na=False)
    statistics = pd.read_csv(DATA / "jsw_statistics.csv", dtype=str, keep_default_na=False)
    scotland = statistics[(statistics["indicator"] == "dtto_commenced") & (statistics["year"] == "2014-15")
                          & (statistics["gss_code"] == SCOTLAND_CODE) & (statistics["preferred"] == "TRUE")]
    cells = generated[(generated["indicator_id"] == "dtto_commenced") & (generated["period"] == "2014-15")]
    rows = [("orders", c, "2014-15", v, None, None, "gen") for c, v in zip(cells["gss_code"], cells["value"])]
    values = frame([*rows, ("orders", SCOTLAND_CODE, "2014-15", scotland["value"].iloc[0], None, None, "pub")])
    counts = values["value"].astype(float)
    small = values["gss_code"].ne(SCOTLAND_CODE) & counts.between(1, 4)
    assert float(scotland["value"].iloc[0]) == 551 and small.sum() == 2
    assert counts[values["gss_code"].ne(SCOTLAND_CODE) & ~small].sum() == 549
    old_findings = disclosure.audit(values, small, TYPES)
    assert {(f.low, f.high) for f in old_findings} == {(1, 1)}, "hiding only the two small cells gives both away"
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert reasons.ne("").sum() > 2
    assert disclosure.audit(values, reasons.ne(""), TYPES) == []
    assert brute_force_ranges(values, reasons)


def test_published_figures_are_never_hidden_nor_chosen_as_protective_cells():
    values = group({"A": 3, "B": 2, "C": 6, "D": 12}, total=23, published=("B", "C"))
    assert hidden_codes(values) == {"A", "D"}


def test_a_percentage_whose_numerator_or_denominator_is_small_is_hidden():
    values = frame([("completion", "A", "2024-25", 75.0, 3, 4, "gen"),
                    ("completion", "B", "2024-25", 70.0, 7, 10, "gen"),
                    ("completion", "C", "2024-25", 75.0, 3, 4, "pub")])
    assert list(disclosure.plan(values, TYPES, KINDS)) == ["small", "", ""]


def test_a_denominator_equal_to_a_hidden_count_is_hidden_with_it():
    values = pd.concat([group({"A": 3, "B": 9, "C": 7, "D": 12}, total=31),
                        frame([("completion", "C", "2024-25", 71.4, 5, 7, "gen"),
                               ("completion", "D", "2024-25", 75.0, 9, 12, "gen")])], ignore_index=True)
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert list(reasons[values["indicator_id"] == "completion"]) == ["linked", ""]


def test_a_visible_rate_that_shows_a_hidden_count_fails_the_audit_and_is_hidden_with_it():
    rates = {"orders_rate": "orders"}
    values = pd.concat([group({"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}, total=81),
                        frame([("orders_rate", "C", "2024-25", 0.9, 7, 75000, "gen")])], ignore_index=True)
    hidden = values["gss_code"].isin(["A", "C"]) & values["indicator_id"].eq("orders")
    findings = disclosure.audit(values, hidden, TYPES, rates)
    # C is shown by its rate, and then A is the total minus the visible cells.
    assert {f.gss_code: str(f) for f in findings}.keys() == {"A", "C"}
    assert "orders_rate" in {f.gss_code: str(f) for f in findings}["C"]
    reasons = disclosure.plan(values, TYPES, KINDS, rate_of=rates)
    assert list(reasons[values["indicator_id"] == "orders_rate"]) == ["linked"]
    assert disclosure.audit(values, reasons.ne(""), TYPES, rates) == []


def test_a_published_scotland_percentage_is_used_by_the_attacker():
    # Numerators 2 (hidden) and 50 over 10 and 100: Scotland 47.3% pins the sum of numerators to 52.
    values = frame([("completion", "A", "2024-25", 20.0, 2, 10, "gen"),
                    ("completion", "B", "2024-25", 50.0, 50, 100, "gen"),
                    ("completion", SCOTLAND_CODE, "2024-25", 47.3, None, None, "pub")])
    hidden = pd.Series([True, False, False], index=values.index)
    findings = disclosure.audit(values, hidden, TYPES)
    assert findings and findings[0].gss_code == "A"
    reasons = disclosure.plan(values, TYPES, KINDS)
    assert list(reasons[:2]) == ["small", "protective"]
    assert disclosure.audit(values, reasons.ne(""), TYPES) == []


def test_apply_blanks_every_number_of_a_hidden_row_with_one_note_for_all():
    values = pd.concat([group({"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}, total=81)], ignore_index=True)
    out = disclosure.apply(values, disclosure.plan(values, TYPES, KINDS))
    hidden = out[out["suppressed"] == "true"]
    assert len(hidden) == 2
    assert (hidden[["value", "numerator", "denominator"]] == "").all().all()
    assert hidden["note"].nunique() == 1
    note = hidden["note"].iloc[0].lower()
    assert "[c]" in note and not any(word in note for word in ("primary", "secondary", "small count", "protective"))


# --- An attacker who knows the rule cannot recover any hidden cell --------------------------------

def brute_force_ranges(values: pd.DataFrame, reasons: pd.Series, rule=DISCLOSURE_RULE) -> dict[str, set[int]]:
    """An exhaustive attacker, independent of the solver: every assignment of whole numbers to the
    hidden cells that adds up to the published total, with each hidden small count from 1 to 4 and
    every other hidden cell 0 or at least 5 (the attacker is even told which are which). Asserts
    that each small count can still be each of 1 to 4 and that every other hidden cell keeps a
    range at least the protection width wide; returns the possible values per cell."""
    authority = values["gss_code"] != SCOTLAND_CODE
    counts = values["value"].astype(float)
    hidden = list(values.index[reasons.ne("") & authority])
    total = float(values.loc[~authority, "value"].iloc[0])
    remainder = int(total - counts[authority & reasons.eq("")].sum())
    small = {i for i in hidden if 1 <= counts[i] <= 4}
    options = [range(1, 5) if i in small else [0, *range(5, remainder + 1)] for i in hidden]
    possible: dict[str, set[int]] = {values.at[i, "gss_code"]: set() for i in hidden}

    def walk(position: int, left: int, chosen: tuple[int, ...]) -> None:
        if position == len(hidden) - 1:
            if left in options[position]:
                for i, v in zip(hidden, (*chosen, left)):
                    possible[values.at[i, "gss_code"]].add(v)
            return
        for v in options[position]:
            if v <= left:
                walk(position + 1, left - v, (*chosen, v))

    walk(0, remainder, ())
    for i in hidden:
        code, seen = values.at[i, "gss_code"], possible[values.at[i, "gss_code"]]
        assert int(counts[i]) in seen, f"{code}: the true value must be possible"
        if i in small:
            assert seen == {1, 2, 3, 4}, f"{code}: an attacker learns more than 1 to 4: {sorted(seen)}"
        else:
            assert max(seen) - min(seen) >= rule.protection_width, f"{code}: narrowed to {sorted(seen)}"
    return possible


@pytest.mark.parametrize("counts", [
    {"A": 3, "B": 9, "C": 7, "D": 12, "E": 50},
    {"A": 1, "B": 5, "C": 6, "D": 30},
    {"A": 4, "B": 2, "C": 5, "D": 8, "E": 13},
    {"A": 2, "B": 0, "C": 9, "D": 11},
    {"A": 1, "B": 1, "C": 1, "D": 20},
], ids=["one-small", "smallest-is-one", "two-small", "with-a-zero", "three-ones"])
def test_no_hidden_cell_can_be_recovered_from_the_visible_cells_and_the_total(counts):
    values = group(counts, total=sum(counts.values()))
    possible = brute_force_ranges(values, disclosure.plan(values, TYPES, KINDS))
    assert possible, "the fixture has hidden cells"


def test_without_further_cells_the_same_fixture_would_give_the_hidden_cell_away():
    # The test above can fail: with the rule's protective step switched off the single hidden cell
    # is the total minus the visible cells, and both the solver and the exhaustive attacker see it.
    rule = disclosure.DisclosureRule(secondary=False)
    counts = {"A": 3, "B": 9, "C": 7, "D": 12, "E": 50}
    values = group(counts, total=sum(counts.values()))
    reasons = disclosure.plan(values, TYPES, KINDS, rule)
    assert list(values.loc[reasons.ne(""), "gss_code"]) == ["A"]
    assert [(f.low, f.high) for f in disclosure.audit(values, reasons.ne(""), TYPES)] == [(3, 3)]
    with pytest.raises(AssertionError, match="learns more than 1 to 4"):
        brute_force_ranges(values, reasons)


def test_random_small_tables_never_let_the_attacker_pin_a_hidden_cell():
    """Many random tables of small counts (seeded), each planned, then audited twice: by the solver
    and, independently, by exhaustive search. Bounded: 150 tables of 3 to 7 authorities."""
    generator = random.Random(20251)
    started = time.perf_counter()
    hidden_total = 0
    for _ in range(150):
        size = generator.randint(3, 7)
        counts = {chr(65 + k): generator.choice([0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20])
                  for k in range(size)}
        published = tuple(c for c in counts if generator.random() < 0.15)
        values = group(counts, total=sum(counts.values()), published=published)
        reasons = disclosure.plan(values, TYPES, KINDS)
        findings = disclosure.audit(values, reasons.ne(""), TYPES)
        small_changeable = [c for c, v in counts.items() if 1 <= v <= 4 and c not in published]
        assert set(small_changeable) <= set(values.loc[reasons.ne(""), "gss_code"])
        if findings:  # only when there is nothing left to hide (every other cell published or hidden)
            visible = values[reasons.eq("") & (values["gss_code"] != SCOTLAND_CODE)]
            assert set(visible["gss_code"]) <= set(published), (counts, published, findings)
            continue
        if reasons.ne("").any():
            brute_force_ranges(values, reasons)
            hidden_total += int(reasons.ne("").sum())
    assert hidden_total > 100, "the random tables exercise the rule"
    assert time.perf_counter() - started < 600


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
        join indicator as i using (indicator_id) join source as s on s.source_id = v.source_id
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


def test_every_hidden_value_in_the_database_carries_the_same_note(database):
    notes = fetch(database, "select distinct note from indicator_value where suppressed")
    assert list(notes["note"]) == [disclosure.NOTE]


def test_the_build_refuses_a_database_the_attacker_audit_fails_naming_table_and_cell(tmp_path, monkeypatch):
    # Weaken the plan to the old mistake (hide only the small counts and what shows them): the
    # build's own audit must refuse the result, naming the table and the cell.
    from jsw_explorer import build as build_module

    full_plan = disclosure.plan
    weak = lambda values, types, kinds, rule=DISCLOSURE_RULE, rate_of=None: full_plan(  # noqa: E731
        values, types, kinds, disclosure.DisclosureRule(secondary=False), rate_of)
    monkeypatch.setattr(build_module.disclosure, "plan", weak)
    target = tmp_path / "refused.duckdb"
    with pytest.raises(build_module.BuildError) as refused:
        build_module.build(DATA, target)
    message = str(refused.value)
    assert "disclosure audit failed: table indicator_value, dtto_commenced" in message
    assert "cell S12" in message
    assert not target.exists()


def test_the_database_hides_more_cells_than_the_old_rule_and_passes_its_own_audit(database):
    hidden = fetch(database, """
        select count(*) filter (where v.suppressed) as hidden,
               count(*) filter (where v.suppressed and i.value_type = 'count') as hidden_counts
        from indicator_value as v join indicator as i using (indicator_id)""")
    generated = pd.read_csv(DATA / "illustrative" / "indicator_values.csv")
    small = generated["value"].between(1, 4) & generated["indicator_id"].isin(["dtto_commenced", "cpo_commenced",
                                                                                 "cpo_terminated"])
    assert hidden["hidden_counts"].iloc[0] > small.sum(), "some larger counts are hidden to protect the small ones"


def test_the_audit_solved_block_by_block_finds_the_bounds_of_the_whole_problem():
    """Cells that share no constraint are solved apart (disclosure_audit.Blocks); each cell's least and
    greatest values must be those of the problem solved whole."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    from jsw_explorer.disclosure_audit import Blocks

    rng = np.random.default_rng(7)
    sizes = [3, 1, 4, 2]  # four independent groups of cells, each with its own sum constraints
    n = sum(sizes)
    rows, lower, upper, start = [], [], [], 0
    truth = rng.integers(0, 20, n).astype(float)
    for size in sizes:
        for _ in range(2):
            row = np.zeros(n)
            row[start:start + size] = rng.integers(1, 3, size)
            rows.append(row)
            total = float(row @ truth)
            lower.append(total - rng.integers(0, 3))
            upper.append(total + rng.integers(0, 3))
        start += size
    matrix, low, high = np.vstack(rows), np.zeros(n), np.full(n, 40.0)
    whole = [LinearConstraint(matrix, lower, upper)]
    blocks = Blocks(matrix, np.asarray(lower, float), np.asarray(upper, float), low, high)
    assert len(set(blocks.var_block)) == len(sizes)
    for j in range(n):
        block, at = blocks.of(j)
        for sign in (1.0, -1.0):
            objective = np.zeros(n)
            objective[j] = sign
            expected = milp(objective, constraints=whole, integrality=np.ones(n), bounds=Bounds(low, high)).x[j]
            objective = np.zeros(len(block.low))
            objective[at] = sign
            found = milp(objective, constraints=block.constraints, integrality=np.ones(len(block.low)),
                         bounds=Bounds(block.low, block.high)).x[at]
            assert round(found) == round(expected), (j, sign)
