"""AppTest: the Data completeness page, with every number checked against the source CSVs."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT
from page_helpers import chart_data, chart_specs, descriptions, headline_of, link_notices, open_page, table

DATA = APP_ROOT / "data"
PAGE = "pages/completeness.py"
FIFE, EAST_DUNBARTONSHIRE = "S12000047", "S12000045"


def open_completeness(**params) -> AppTest:
    return open_page(PAGE, **params)


def authorities() -> pd.DataFrame:
    return pd.read_csv(DATA / "local_authorities.csv").set_index("gss_code")


def group_codes(scheme: str, number: int) -> set[str]:
    frame = authorities()
    return set(frame.index[frame[f"lgbf_family_group_{scheme}_services"] == number])


def scores_csv() -> pd.DataFrame:
    """Scores per authority (rows) and domain (columns, plus overall), worked out with pandas."""
    levels = pd.read_csv(DATA / "illustrative" / "completeness.csv").merge(
        pd.read_csv(DATA / "evidence_items.csv")[["item_id", "domain_id"]])
    by_domain = levels.groupby(["gss_code", "domain_id"])["level"].mean().unstack()
    by_domain["overall"] = levels.groupby("gss_code")["level"].mean()
    return (by_domain * 100 / 3).round(1)


def expected_band(score: float) -> str:
    """The bands as the page explains them: the average item below level 1, below level 2, or at 2 or above."""
    return "Limited" if score < 33.3 else "Partial" if score < 66.7 else "Established"


def test_family_group_restricts_every_chart_to_its_eight_authorities():
    group = group_codes("other", 1)
    at = open_completeness(group="other-1")
    assert not at.exception
    assert set(table(at, "gss_code", "score", "band")["gss_code"]) == group
    assert len(table(at, "gss_code", "score", "band")) == 8
    assert set(table(at, "gss_code", "gap_points")["gss_code"]) == group
    specs, data = chart_specs(at), chart_data(at)
    assert len(specs) == 4
    names = set(authorities().loc[list(group), "name"])  # charts send only what they draw: authorities by name
    for index in (0, 1, 3):  # ranked, distribution and gap compare the authorities in scope
        assert set(data[index]["authority"].dropna()) == names, headline_of(specs[index])
    assert data[1]["authority"].notna().sum() == 8 * 4, "four rows of points: performance, quality, outcomes, overall"


@pytest.mark.parametrize("domain", ["overall", "performance", "quality", "outcomes"])
def test_ranked_scores_headline_and_bands_match_the_csv(domain):
    expected = scores_csv()[domain]
    at = open_completeness(cdomain=domain)
    ranked = table(at, "gss_code", "score", "band")
    assert ranked["domain_id"].eq(domain).all()
    assert all(row.score == pytest.approx(expected[row.gss_code], abs=0.05) for row in ranked.itertuples())
    assert all(row.band == expected_band(expected[row.gss_code]) for row in ranked.itertuples())
    top = sorted(authorities().loc[expected.index[expected == expected.max()], "name"])
    headline = headline_of(chart_specs(at)[0])
    assert headline.startswith(f"{' and '.join(top)} ") and f"({expected.max():.1f} out of 100)" in headline
    assert ranked["scotland_median"].iloc[0] == pytest.approx(expected.median(), abs=0.05)


def test_peer_group_median_is_a_reference_line_in_a_family_group():
    group = group_codes("people", 3)
    expected = scores_csv().loc[sorted(group), "outcomes"]
    at = open_completeness(group="people-3", cdomain="outcomes")
    ranked = table(at, "gss_code", "score", "band")
    assert ranked["scope_median"].iloc[0] == pytest.approx(expected.median(), abs=0.05)
    assert any(f"median of the peer group {expected.median():.1f}" in d for d in descriptions(at))
    references = set(chart_data(at)[0].get("reference", pd.Series(dtype=str)).dropna())
    assert {r.split(":")[0] for r in references} == {"Median of all 32 authorities", "Median of the peer group"}


def test_the_bands_are_explained_on_the_page():
    at = open_completeness()
    bands = table(at, "band", "scores", "meaning")
    assert list(bands["band"]) == ["Limited", "Partial", "Established"]
    assert list(bands["scores"]) == ["0 to under 33.3", "33.3 to under 66.7", "66.7 to 100"]
    levels = table(at, "level", "label", "short_label")
    assert list(levels["label"]) == list(pd.read_csv(DATA / "completeness_levels.csv")["label"])


def test_item_detail_for_the_chosen_authority_and_the_selection():
    levels = pd.read_csv(DATA / "illustrative" / "completeness.csv").set_index(["gss_code", "item_id"])["level"]
    at = open_completeness(authority=f"{FIFE},{EAST_DUNBARTONSHIRE}")
    assert at.selectbox(key="ca").value == FIFE, "defaults to the first highlighted authority"
    items = table(at, "item_id", "level_label")
    assert len(items) == 48 and items["gss_code"].iloc[0] == FIFE
    assert all(row.level == levels[(row.gss_code, row.item_id)] for row in items.itertuples())
    fife = levels.xs(FIFE)
    headline = headline_of(chart_specs(at)[2])
    assert headline == (f"Fife gathers {(fife >= 1).sum()} of 24 evidence items, reports {(fife >= 2).sum()} and uses "
                        f"{(fife == 3).sum()} for improvement")
    at.selectbox(key="ca").select(EAST_DUNBARTONSHIRE).run()
    assert at.query_params["ca"] == EAST_DUNBARTONSHIRE
    assert table(at, "item_id", "level_label")["gss_code"].iloc[0] == EAST_DUNBARTONSHIRE


def test_gap_headline_names_where_outcomes_evidence_is_furthest_behind():
    scores = scores_csv()
    gap = (scores["performance"] - scores["outcomes"]).round(1)
    top = sorted(authorities().loc[gap.index[gap == gap.max()], "name"])
    at = open_completeness()
    assert headline_of(chart_specs(at)[3]) == (f"Outcomes evidence is furthest behind performance evidence in "
                                                   f"{' and '.join(top)}: {gap.max():.0f} points")


def test_changing_the_domain_writes_the_url_and_changes_the_headline():
    at = open_completeness()
    before = headline_of(chart_specs(at)[0])
    at.selectbox(key="cdomain").select("quality").run()
    assert at.query_params["cdomain"] == "quality"
    assert "most complete quality evidence" in headline_of(chart_specs(at)[0])
    assert headline_of(chart_specs(at)[0]) != before


def test_a_bad_domain_in_the_link_falls_back_with_a_notice():
    at = open_completeness(cdomain="<script>")
    assert not at.exception
    assert at.selectbox(key="cdomain").value == "overall"
    assert len(link_notices(at)) == 1 and "<script>" not in link_notices(at)[0]


def test_illustrative_status_is_shown_with_every_chart():
    at = open_completeness()
    assert sum("Illustrative data" in w.value for w in at.warning) == len(chart_specs(at)) == 4
    assert all("ILLUSTRATIVE" in " ".join(spec["title"]["subtitle"]) for spec in chart_specs(at))
