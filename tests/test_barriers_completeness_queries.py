"""Barrier and completeness queries: numbers checked against a hand-checkable pattern and the source CSVs."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import APP_ROOT
from fixtures_barriers import build_pattern_database
from jsw_explorer.data_access import load_sql, open_read_only

DATA = APP_ROOT / "data"
REVIEW = "2024-25"
BOTH = ["local", "national"]
FIFE = "S12000047"


@pytest.fixture(scope="module")
def pattern_db(tmp_path_factory):
    return build_pattern_database(tmp_path_factory.mktemp("pattern"))


def run(db, name: str, **params) -> pd.DataFrame:
    with open_read_only(db) as connection:
        return connection.execute(load_sql(name), params).df()


def codes() -> list[str]:
    return sorted(pd.read_csv(DATA / "local_authorities.csv")["gss_code"])


def family_group(number: int = 4) -> list[str]:
    authorities = pd.read_csv(DATA / "local_authorities.csv")
    return list(authorities.loc[authorities["lgbf_family_group_people_services"] == number, "gss_code"])


THEMES = ["information_systems", "resource_constraints", "staffing_issues", "reporting_demands",
          "shared_strategy", "leadership_roles", "national_data_infrastructure"]  # sort order in barrier_themes.csv


# --- The pattern: every number below is worked out by hand from tests/fixtures_barriers.py ---------

def test_pattern_prevalence_counts_multiples(pattern_db):
    frame = run(pattern_db, "barrier_prevalence", review=REVIEW, scope=codes(), levels=BOTH, min_impact=1, highlight=[])
    # theme j is reported by the multiples of j + 2 among 0..31: 16, 11, 8, 7, 6, 5, 4
    assert dict(zip(frame["theme_id"], frame["reporting"])) == dict(zip(THEMES, [16, 11, 8, 7, 6, 5, 4]))
    assert list(frame["theme_id"]) == THEMES, "most reported first"
    assert frame["authorities"].eq(32).all()
    assert frame.loc[frame["theme_id"] == "information_systems", "share_pct"].iloc[0] == 50.0


def test_pattern_minimum_impact_changes_the_counts(pattern_db):
    at_least_2 = run(pattern_db, "barrier_prevalence", review=REVIEW, scope=codes(), levels=BOTH, min_impact=2, highlight=[])
    counts = dict(zip(at_least_2["theme_id"], at_least_2["reporting"]))
    # local impact 1 + (i mod 3) >= 2 unless i is a multiple of 3: evens not multiples of 6 = 16 - 6
    assert counts["information_systems"] == 10
    # every multiple of 3 has impact 1, so nothing is left of theme 1
    assert counts["resource_constraints"] == 0
    # national impact 1 + (i mod 2) >= 2 for odd i only: odd multiples of 7 are 7 and 21
    assert counts["leadership_roles"] == 2
    high = run(pattern_db, "barrier_prevalence", review=REVIEW, scope=codes(), levels=BOTH, min_impact=3, highlight=[])
    high_counts = dict(zip(high["theme_id"], high["reporting"]))
    assert high_counts["information_systems"] == 5  # even i with i mod 3 = 2: 2, 8, 14, 20, 26
    assert all(high_counts[t] == 0 for t in THEMES[4:]), "no national theme is ever rated high"


def test_pattern_cooccurrence_counts_pairs_and_shares(pattern_db):
    frame = run(pattern_db, "barrier_cooccurrence", review=REVIEW, scope=codes(), levels=BOTH, min_impact=1)
    assert len(frame) == 49
    pair = frame.set_index(["theme_a_id", "theme_b_id"])
    both = pair.loc[("information_systems", "resource_constraints")]
    assert both["reporting_both"] == 6  # multiples of 6: 0, 6, 12, 18, 24, 30
    assert both["both_share_pct"] == 18.8  # 6 / 32
    assert both["b_among_a_pct"] == 37.5  # 6 of the 16 reporting theme 0
    assert both["reporting_b_not_a"] == 5  # odd multiples of 3: 3, 9, 15, 21, 27
    assert both["b_among_not_a_pct"] == 31.3  # 5 of the 16 not reporting theme 0
    assert pair.loc[("information_systems", "staffing_issues"), "reporting_both"] == 8  # multiples of 4
    assert pair.loc[("resource_constraints", "reporting_demands"), "reporting_both"] == 3  # 0, 15, 30
    assert pair.loc[("leadership_roles", "national_data_infrastructure"), "reporting_both"] == 1  # only 0
    diagonal = frame.loc[frame["theme_a_id"] == frame["theme_b_id"]]
    assert list(diagonal["reporting_both"]) == [16, 11, 8, 7, 6, 5, 4]
    symmetric = frame.merge(frame, left_on=["theme_a_id", "theme_b_id"], right_on=["theme_b_id", "theme_a_id"])
    assert (symmetric["reporting_both_x"] == symmetric["reporting_both_y"]).all()


def test_pattern_cooccurrence_in_a_subset_of_authorities(pattern_db):
    first_eight = codes()[:8]  # i = 0..7
    frame = run(pattern_db, "barrier_cooccurrence", review=REVIEW, scope=first_eight, levels=["local"], min_impact=1)
    assert len(frame) == 16, "four local themes only"
    pair = frame.set_index(["theme_a_id", "theme_b_id"])
    assert pair.loc[("information_systems", "information_systems"), "reporting_both"] == 4  # 0, 2, 4, 6
    assert pair.loc[("information_systems", "resource_constraints"), "reporting_both"] == 2  # 0, 6
    assert pair.loc[("information_systems", "resource_constraints"), "authorities"] == 8


def test_pattern_authority_with_no_barriers_has_no_reported_rows(pattern_db):
    nothing = run(pattern_db, "authority_barrier_detail", review=REVIEW, gss_code=codes()[1], levels=BOTH)
    assert len(nothing) == 7 and not nothing["reported"].any() and nothing["impact"].eq(0).all()
    everything = run(pattern_db, "authority_barrier_detail", review=REVIEW, gss_code=codes()[0], levels=["national"])
    assert len(everything) == 3 and everything["reported"].all()
    assert set(everything["note"]) == {"pattern note 0-4", "pattern note 0-5", "pattern note 0-6"}


def test_pattern_matrix_totals(pattern_db):
    frame = run(pattern_db, "barrier_matrix", review=REVIEW, scope=codes(), levels=BOTH, highlight=[codes()[2]])
    totals = frame.drop_duplicates("gss_code").set_index("gss_code")
    assert totals.loc[codes()[0], "impact_total"] == 7  # every theme at impact 1
    assert totals.loc[codes()[0], "themes_reported"] == 7
    assert totals.loc[codes()[1], "impact_total"] == 0
    assert totals.loc[codes()[2], "impact_total"] == 3  # theme 0 only, impact 1 + 2
    assert totals.loc[codes()[12], "impact_total"] == 1 + 1 + 1 + 1  # themes 0, 1, 2 (local, 12 mod 3 = 0) and 4 (national, even)
    assert frame.loc[frame["highlighted"], "gss_code"].unique().tolist() == [codes()[2]]


# --- The real data, checked against the source CSVs ------------------------------------------

def barrier_csv() -> pd.DataFrame:
    barriers = pd.read_csv(DATA / "illustrative" / "authority_barriers.csv")
    return barriers.merge(pd.read_csv(DATA / "barrier_themes.csv")[["theme_id", "label", "level"]], on="theme_id")


def completeness_csv() -> pd.DataFrame:
    levels = pd.read_csv(DATA / "illustrative" / "completeness.csv")
    return levels.merge(pd.read_csv(DATA / "evidence_items.csv")[["item_id", "domain_id"]], on="item_id")


@pytest.mark.parametrize("min_impact", [1, 2, 3])
def test_prevalence_matches_the_csv_for_a_family_group(database, min_impact):
    group = family_group(4)
    frame = run(database, "barrier_prevalence", review=REVIEW, scope=group, levels=BOTH, min_impact=min_impact,
                highlight=[FIFE])
    source = barrier_csv()
    source = source.loc[source["gss_code"].isin(group)]
    expected = source.assign(counts=(source["reported"]) & (source["impact"] >= min_impact)).groupby("theme_id")["counts"].sum()
    assert dict(zip(frame["theme_id"], frame["reporting"])) == expected.astype(int).to_dict()
    assert frame["authorities"].eq(8).all()
    assert frame["highlighted_reporting"].eq("").all(), "Fife is not in family group 4"
    assert frame["source_kind"].eq("illustrative").all()


def test_prevalence_names_highlighted_authorities_that_report_a_theme(database):
    frame = run(database, "barrier_prevalence", review=REVIEW, scope=codes(), levels=BOTH, min_impact=1, highlight=[FIFE])
    source = barrier_csv()
    fife_themes = set(source.loc[(source["gss_code"] == FIFE) & source["reported"], "theme_id"])
    assert set(frame.loc[frame["highlighted_reporting"] == "Fife", "theme_id"]) == fife_themes


def test_national_level_returns_the_three_national_themes(database):
    national = set(pd.read_csv(DATA / "barrier_themes.csv").query("level == 'national'")["theme_id"])
    assert len(national) == 3
    for name, params in [("barrier_prevalence", {"min_impact": 1, "highlight": []}), ("barrier_matrix", {"highlight": []}),
                         ("barrier_cooccurrence", {"min_impact": 1})]:
        frame = run(database, name, review=REVIEW, scope=codes(), levels=["national"], **params)
        column = "theme_a_id" if name == "barrier_cooccurrence" else "theme_id"
        assert set(frame[column]) == national, name


def test_completeness_scores_match_the_csv(database):
    group = family_group(2)
    frame = run(database, "completeness_scores", review=REVIEW, scope=group, highlight=[group[0]])
    source = completeness_csv()
    by_domain = source.groupby(["gss_code", "domain_id"])["level"].mean().mul(100 / 3).round(1)
    overall = source.groupby("gss_code")["level"].mean().mul(100 / 3).round(1)
    assert len(frame) == 8 * 4
    for row in frame.itertuples():
        expected = overall[row.gss_code] if row.domain_id == "overall" else by_domain[(row.gss_code, row.domain_id)]
        assert row.score == pytest.approx(expected, abs=0.05), (row.gss_code, row.domain_id)
    outcomes = frame.loc[frame["domain_id"] == "outcomes"]
    all_outcomes = by_domain.xs("outcomes", level="domain_id")
    assert outcomes["scotland_median"].iloc[0] == pytest.approx(all_outcomes.median(), abs=0.05)
    assert outcomes["scope_median"].iloc[0] == pytest.approx(all_outcomes[group].median(), abs=0.05)
    assert list(outcomes["score"]) == sorted(outcomes["score"], reverse=True)
    assert frame.loc[frame["highlighted"], "gss_code"].unique().tolist() == [group[0]]


def test_completeness_items_match_the_csv_in_the_order_asked(database):
    frame = run(database, "completeness_items", review=REVIEW, authorities=[FIFE, "S12000045"])
    assert len(frame) == 48
    assert list(frame["gss_code"].iloc[:2]) == [FIFE, "S12000045"], "the chosen authority comes first"
    source = completeness_csv().set_index(["gss_code", "item_id"])["level"]
    assert all(row.level == source[(row.gss_code, row.item_id)] for row in frame.itertuples())
    labels = pd.read_csv(DATA / "completeness_levels.csv").set_index("level")["label"]
    assert all(row.level_label == labels[row.level] for row in frame.itertuples())


def test_completeness_gap_is_performance_minus_outcomes_largest_first(database):
    frame = run(database, "completeness_gap", review=REVIEW, scope=codes(), highlight=[])
    source = completeness_csv()
    score = source.groupby(["gss_code", "domain_id"])["level"].mean().mul(100 / 3).round(1).unstack()
    gap = (score["performance"] - score["outcomes"]).round(1)
    assert len(frame) == 32
    assert frame.iloc[0]["gap_points"] == pytest.approx(gap.max(), abs=0.05)
    assert frame.iloc[0]["gss_code"] in set(gap[gap >= gap.max() - 0.05].index)
    assert list(frame["gap_points"]) == sorted(frame["gap_points"], reverse=True)


def test_evidence_comparison_flags_authorities_by_theme_and_impact(database):
    frame = run(database, "barrier_evidence_comparison", review=REVIEW, scope=codes(), theme="reporting_demands",
                min_impact=2, highlight=[FIFE])
    source = barrier_csv().query("theme_id == 'reporting_demands'").set_index("gss_code")
    expected = (source["reported"] & (source["impact"] >= 2))
    assert len(frame) == 32 * 3
    assert all(row.reports_theme == expected[row.gss_code] for row in frame.itertuples())
    assert set(frame.loc[frame["highlighted"], "gss_code"]) == {FIFE}


def test_outcome_comparison_values_match_the_csv_and_missing_stays_missing(database):
    frame = run(database, "barrier_outcome_comparison", review=REVIEW, scope=codes(), theme="staffing_issues",
                min_impact=1, highlight=[], indicator="cpo_successful_completion_rate", period="2023-24")
    values = pd.read_csv(DATA / "illustrative" / "indicator_values.csv").query(
        "indicator_id == 'cpo_successful_completion_rate' and period == '2023-24'").set_index("gss_code")["value"]
    assert len(frame) == 32
    assert all(row.value == pytest.approx(values[row.gss_code]) for row in frame.itertuples())
    covid = run(database, "barrier_outcome_comparison", review=REVIEW, scope=codes(), theme="staffing_issues",
                min_impact=1, highlight=[], indicator="cpo_successful_completion_rate", period="2020-21")
    assert len(covid) == 32 and covid["value"].isna().all(), "no completion rates for 2020-21: null, never zero"


def test_outcome_indicators_are_comparable_rates_not_counts(database):
    frame = run(database, "barrier_outcome_indicators")
    indicators = pd.read_csv(DATA / "indicators.csv").set_index("indicator_id")["value_type"]
    assert "cpo_successful_completion_rate" in set(frame["indicator_id"])
    assert set(indicators[frame["indicator_id"]]) <= {"rate", "percent", "average"}
