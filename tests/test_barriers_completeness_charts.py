"""Chart and description functions for the barriers and completeness pages, on small hand-made frames
and on the pattern database (numbers worked out by hand)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import APP_ROOT
from fixtures_barriers import build_pattern_database, pattern_impact
from fixtures_barriers import themes as pattern_themes
from page_helpers import headline_of
from jsw_explorer import barrier_data
from jsw_explorer.charts import barrier_comparisons, barriers, completeness
from jsw_explorer.charts.groups import (
    NO_CAUSATION, band_of, band_table, group_summary, join_words, reporting_rule, with_jitter,
)
from jsw_explorer.config import COMPLETENESS_BANDS, SMALL_GROUP_SIZE
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.status import ILLUSTRATIVE_PREFIX

REVIEW = "2024-25"
CAUSAL_WORDS = re.compile(r"\b(cause[sd]?|because|leads? to|drives?|due to|results? in|impact of)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def pattern_db(tmp_path_factory):
    return build_pattern_database(tmp_path_factory.mktemp("pattern"))


def run(db, name, **params) -> pd.DataFrame:
    with open_read_only(db) as connection:
        return connection.execute(load_sql(name), params).df()


def all_codes(db) -> list[str]:
    with open_read_only(db) as connection:
        return [row[0] for row in connection.execute("select gss_code from authority order by gss_code").fetchall()]


def spec_of(result) -> dict:
    return result.chart.to_dict()


def prevalence_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["theme_id", "theme", "level", "reporting", "authorities", "high_impact",
                                        "highlighted_reporting"])
    return frame.assign(review_wording="'x'", share_pct=100 * frame["reporting"] / frame["authorities"],
                        low_impact=0, moderate_impact=frame["reporting"] - frame["high_impact"], mean_impact=2.0,
                        source_kind="illustrative")


# --- Words ---------------------------------------------------------------------------------------

def test_prevalence_headline_names_the_top_theme_and_its_count():
    frame = prevalence_frame([("a", "Staffing issues", "local", 24, 32, 3, ""), ("b", "Other", "local", 20, 32, 1, "")])
    assert barriers.prevalence_headline(frame) == "Staffing issues is the most widely reported barrier: 24 of 32 authorities"


def test_prevalence_headline_names_tied_themes_together():
    frame = prevalence_frame([("a", "Staffing issues", "local", 5, 8, 0, ""), ("b", "Resource constraints", "local", 5, 8, 0, ""),
                              ("c", "Other", "national", 1, 8, 0, "")])
    assert barriers.prevalence_headline(frame) == ("Staffing issues and resource constraints are the most widely reported "
                                                   "barriers: 5 of 8 authorities each")


def test_prevalence_headline_when_nothing_is_reported():
    frame = prevalence_frame([("a", "Staffing issues", "local", 0, 8, 0, "")])
    assert barriers.prevalence_headline(frame) == "No authority in scope reports any of these barriers"


def test_reporting_rule_in_words():
    assert reporting_rule(1) == "reported at any impact"
    assert reporting_rule(2) == "reported with moderate or high impact"
    assert reporting_rule(3) == "reported with high impact"


def test_join_words():
    assert join_words([]) == "" and join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b" and join_words(["a", "b", "c"]) == "a, b and c"


def test_band_thresholds_are_the_configured_ones():
    assert [lowest for lowest, _n, _m in COMPLETENESS_BANDS] == [0.0, 33.3, 66.7]
    assert band_of(0) == "Limited" and band_of(33.2) == "Limited"
    assert band_of(33.3) == "Partial" and band_of(66.6) == "Partial"
    assert band_of(66.7) == "Established" and band_of(100) == "Established"
    assert band_of(float("nan")) == "not available"
    table = band_table()
    assert list(table["band"]) == ["Limited", "Partial", "Established"]
    assert list(table["scores"]) == ["0 to under 33.3", "33.3 to under 66.7", "66.7 to 100"]


def test_group_summary_counts_medians_and_flags_small_groups():
    frame = pd.DataFrame({"reports_theme": [True] * 6 + [False] * 3, "value": [1, 2, 3, 4, 5, 6, 10, 20, None]})
    summary = group_summary(frame, "value").set_index("reports_theme")
    assert summary.loc[True, "n"] == 6 and summary.loc[True, "median"] == 3.5 and not summary.loc[True, "small"]
    assert summary.loc[False, "n"] == 2 and summary.loc[False, "median"] == 15 and summary.loc[False, "small"]
    assert SMALL_GROUP_SIZE == 5


def test_jitter_spreads_points_that_share_a_value_and_leaves_single_points_centred():
    frame = pd.DataFrame({"group": ["a"] * 4, "score": [10, 10, 10, 20]})
    jittered = with_jitter(frame, ["group"], "score")
    assert sorted(jittered["jitter"].iloc[:3]) == pytest.approx([-0.3, 0.0, 0.3])
    assert jittered["jitter"].iloc[3] == 0


def test_matrix_sort_is_an_allow_list():
    frame = pd.DataFrame({"gss_code": ["1", "2", "3"], "authority": ["B", "A", "C"], "impact_total": [3, 3, 9]})
    assert barrier_data.matrix_order(frame, "name") == ["A", "B", "C"]
    assert barrier_data.matrix_order(frame, "total") == ["C", "A", "B"]
    with pytest.raises(ValueError):
        barrier_data.matrix_order(frame, "impact_total; drop table authority")


# --- Whole charts on the pattern database ----------------------------------------------------

def test_prevalence_chart_on_the_pattern(pattern_db):
    frame = run(pattern_db, "barrier_prevalence", review=REVIEW, scope=all_codes(pattern_db),
                levels=["local", "national"], min_impact=1, highlight=[all_codes(pattern_db)[0]])
    result = barriers.prevalence_chart(frame, "all 32 authorities", REVIEW, reporting_rule(1))
    spec = spec_of(result)
    headline = "Restrictive information management systems is the most widely reported barrier: 16 of 32 authorities"
    assert headline_of(spec) == headline
    assert result.description.removeprefix(ILLUSTRATIVE_PREFIX).startswith(headline + ".")
    assert spec["description"] == result.description
    assert "ILLUSTRATIVE" in " ".join(spec["title"]["subtitle"])
    assert "Staffing issues (local) 8 of 32 (25%)" in result.description
    assert "Highlighted authorities reporting" in result.description


def test_cooccurrence_chart_on_the_pattern(pattern_db):
    frame = run(pattern_db, "barrier_cooccurrence", review=REVIEW, scope=all_codes(pattern_db),
                levels=["local", "national"], min_impact=1)
    result = barriers.cooccurrence_chart(frame, "all 32 authorities", REVIEW, reporting_rule(1))
    # the most common pair is themes 0 and 2: multiples of 4, 8 authorities
    assert headline_of(spec_of(result)) == ("Restrictive information management systems and staffing issues are "
                                                "most often reported together: 8 of 32 authorities")
    assert "Least often: Unclear shared leadership and roles with limits of national data infrastructure: 1 of 32 (3%)" \
        in result.description


def test_theme_pairs_chart_on_the_pattern(pattern_db):
    frame = run(pattern_db, "barrier_cooccurrence", review=REVIEW, scope=all_codes(pattern_db),
                levels=["local", "national"], min_impact=1)
    pairs = barrier_data.pairs_for(frame, "resource_constraints", ["local"])
    assert list(pairs["theme_b_id"]) == ["information_systems", "staffing_issues", "reporting_demands"]
    result = barriers.theme_pairs_chart(pairs, "Resource constraints", "all 32 authorities", REVIEW, reporting_rule(1))
    # of the 11 multiples of 3, the 6 multiples of 6 are even
    assert headline_of(spec_of(result)) == ("Of the 11 authorities reporting resource constraints, 6 (55%) also "
                                                "report restrictive information management systems")
    assert "11 authorities report resource constraints and 21 do not" in result.description
    # reporting demands (multiples of 5) among the 21 not reporting: 5, 10, 20, 25
    assert "Onerous reporting demands: 3 of 11 (27%) of those reporting it, 4 of 21 (19%) of those not" in result.description


def test_authority_chart_and_matrix_on_the_pattern(pattern_db):
    codes = all_codes(pattern_db)
    detail = run(pattern_db, "authority_barrier_detail", review=REVIEW, gss_code=codes[6], levels=["local", "national"])
    result = barriers.authority_chart(detail, REVIEW)
    # i = 6 reports themes 0 (2), 1 (3) and 4 (6); local impact 1 + 0, national 1 + 0: all low
    assert headline_of(spec_of(result)).endswith("reports 3 of 7 barrier themes; highest impact: Restrictive "
                                                     "information management systems, resource constraints and no "
                                                     "shared strategic approach (low)")
    matrix = run(pattern_db, "barrier_matrix", review=REVIEW, scope=codes, levels=["local", "national"], highlight=[codes[1]])
    result = barriers.matrix_chart(matrix, "total", "all 32 authorities", REVIEW)
    # totals from the pattern's definition: authority 20 (themes 0, 2, 3, all local at 1 + 2) has 9, the most
    levels = [theme["level"] for theme in pattern_themes(APP_ROOT / "data")]
    totals = {i: sum(pattern_impact(i, j, level) for j, level in enumerate(levels)) for i in range(32)}
    assert max(totals.values()) == 9 and [i for i, t in totals.items() if t == 9] == [20]
    assert headline_of(spec_of(result)) == (f"{matrix.set_index('gss_code').loc[codes[20], 'authority'].iloc[0]} "
                                                "has the highest total barrier impact: 9 across the themes shown")
    # no divisor between 2 and 8: 1, 11, 13, 17, 19, 23, 29 and 31
    assert [i for i, t in totals.items() if t == 0] == [1, 11, 13, 17, 19, 23, 29, 31]
    assert "8 authorities report none of these themes" in result.description
    assert "(highlighted) reports no themes" in result.description
    y_sort = spec_of(result)["layer"][0]["encoding"]["y"]["sort"]
    marked_rows = [position for position, label in enumerate(y_sort) if label.startswith("★ ")]
    assert marked_rows and marked_rows[0] >= 24, "the highlighted authority is marked, among the eight with total 0"
    assert y_sort[0].startswith(matrix.set_index("gss_code").loc[codes[20], "authority"].iloc[0])


def comparison_descriptions(database) -> list[str]:
    codes = all_codes(database)
    evidence = run(database, "barrier_evidence_comparison", review=REVIEW, scope=codes, theme="information_systems",
                   min_impact=1, highlight=[])
    outcome = run(database, "barrier_outcome_comparison", review=REVIEW, scope=codes, theme="information_systems",
                  min_impact=1, highlight=[], indicator="cpo_successful_completion_rate", period="2023-24")
    return [barrier_comparisons.evidence_comparison_chart(evidence, "Information systems", "all", REVIEW, "any").description,
            barrier_comparisons.outcome_comparison_chart(outcome, "Information systems", "all", REVIEW, "any").description]


def test_comparison_descriptions_use_no_causal_language(pattern_db):
    for description in comparison_descriptions(pattern_db):
        assert NO_CAUSATION in description
        assert not CAUSAL_WORDS.search(description.replace(NO_CAUSATION, "")), description


def test_evidence_comparison_on_the_pattern_groups_and_medians(pattern_db):
    codes = all_codes(pattern_db)
    frame = run(pattern_db, "barrier_evidence_comparison", review=REVIEW, scope=codes, theme="leadership_roles",
                min_impact=1, highlight=[])
    result = barrier_comparisons.evidence_comparison_chart(frame, "Unclear shared leadership and roles", "all 32 authorities",
                                                REVIEW, "reported at any impact")
    # theme 5 is reported by the 5 multiples of 7, so the other group has 27
    outcomes = frame.loc[frame["domain_id"] == "outcomes"]
    yes = outcomes.loc[outcomes["reports_theme"], "score"].median()
    no = outcomes.loc[~outcomes["reports_theme"], "score"].median()
    assert outcomes["reports_theme"].sum() == 5
    assert (f"Median outcomes completeness score: {yes:.1f} among the 5 authorities that report unclear shared "
            f"leadership and roles, {no:.1f} among the 27 that do not.") in result.description
    spec = spec_of(result)
    groups = {value["group"] for value in next(iter(spec["datasets"].values()))}
    assert groups == {"Report it (n=5)", "Do not report it (n=27)"}


def test_small_groups_are_flagged(pattern_db):
    codes = all_codes(pattern_db)
    frame = run(pattern_db, "barrier_evidence_comparison", review=REVIEW, scope=codes, theme="national_data_infrastructure",
                min_impact=1, highlight=[])
    result = barrier_comparisons.evidence_comparison_chart(frame, "Limits of national data infrastructure", "all", REVIEW, "any")
    groups = {value["group"] for value in next(iter(spec_of(result)["datasets"].values()))}
    assert "Report it (n=4), small group" in groups  # multiples of 8: 0, 8, 16, 24
    assert "fewer than 5 authorities is flagged" in result.description


def test_outcome_comparison_says_what_is_not_available(database):
    codes = all_codes(database)
    frame = run(database, "barrier_outcome_comparison", review=REVIEW, scope=codes, theme="information_systems",
                min_impact=1, highlight=[], indicator="cpo_successful_completion_rate", period="2023-24")
    frame.loc[frame.index[:2], "value"] = None
    result = barrier_comparisons.outcome_comparison_chart(frame, "Information systems", "all", REVIEW, "any")
    assert "Not available for 2 authorities" in result.description


# --- Completeness charts ----------------------------------------------------------------------

def test_ranked_chart_headline_bands_and_reference_lines(database):
    codes = all_codes(database)
    frame = run(database, "completeness_scores", review=REVIEW, scope=codes[:8], highlight=[codes[0]])
    outcomes = frame.loc[frame["domain_id"] == "outcomes"]
    result = completeness.ranked_chart(outcomes, "Outcomes", "the 8 authorities in the peer group", REVIEW, False)
    top = outcomes.loc[outcomes["score"] == outcomes["score"].max(), "authority"]
    assert headline_of(spec_of(result)).startswith(f"{join_words(sorted(top))} ")
    assert list(result.data["band"]) == [band_of(s) for s in outcomes["score"]]
    assert f"median of the peer group {outcomes['scope_median'].iloc[0]:.1f}" in result.description
    assert "(highlighted) scores" in result.description
    scotland_only = completeness.ranked_chart(outcomes, "Outcomes", "x", REVIEW, True)
    assert "median of the peer group" not in scotland_only.description


def test_items_chart_counts_levels(database):
    frame = run(database, "completeness_items", review=REVIEW, authorities=["S12000047"])
    gathered, reported, used = (frame["level"] >= 1).sum(), (frame["level"] >= 2).sum(), (frame["level"] == 3).sum()
    levels = run(database, "completeness_levels")
    result = completeness.items_chart(frame, levels, REVIEW)
    assert headline_of(spec_of(result)) == (f"Fife gathers {gathered} of 24 evidence items, reports {reported} and "
                                                f"uses {used} for improvement")


def test_gap_and_distribution_headlines(database):
    codes = all_codes(database)
    gap = run(database, "completeness_gap", review=REVIEW, scope=codes, highlight=[])
    result = completeness.gap_chart(gap, "all 32 authorities", REVIEW)
    top = gap.loc[gap["gap_points"] == gap["gap_points"].max()]
    assert headline_of(spec_of(result)) == (f"Outcomes evidence is furthest behind performance evidence in "
                                                f"{join_words(sorted(top['authority']))}: {top['gap_points'].iloc[0]:.0f} points")
    scores = run(database, "completeness_scores", review=REVIEW, scope=codes, highlight=[])
    medians = scores.loc[scores["domain_id"] != "overall"].groupby("domain")["score"].median()
    result = completeness.distribution_chart(scores, "all 32 authorities", REVIEW)
    assert headline_of(spec_of(result)).startswith(f"{medians.idxmin()} evidence is the least complete: "
                                                       f"median {medians.min():.0f}")
