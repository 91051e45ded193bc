"""AppTest: every page renders, URL filters round-trip, bad links fall back with a notice."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, ENTRYPOINT, PAGES

FIFE = "S12000047"
EAST_DUNBARTONSHIRE = "S12000045"
# Load data is registered only for a signed-in administrator: tests/test_admin.py opens it as one.
PUBLIC_PAGES = [page for page in PAGES if page.stem != "load_data"]


def app(**query_params) -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()


def open_page(at: AppTest, page) -> AppTest:
    return at.switch_page(str(page.relative_to(APP_ROOT))).run()


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def link_notices(at: AppTest) -> list[str]:
    return [w for w in warnings(at) if "link" in w]


@pytest.mark.parametrize("page", PUBLIC_PAGES, ids=lambda p: p.stem)
def test_page_renders_without_error_with_default_filters(page):
    at = open_page(app(), page)
    assert not at.exception
    assert at.title, "every page has a heading"
    assert any("Data status" in c.value for c in at.caption), "every page shows the data status"
    assert not link_notices(at)


@pytest.mark.parametrize("page", PUBLIC_PAGES, ids=lambda p: p.stem)
def test_page_renders_with_filters_given_in_the_url(page):
    at = open_page(app(authority=f"{FIFE},{EAST_DUNBARTONSHIRE}", group="other-3", review="2024-25"), page)
    assert not at.exception
    assert not link_notices(at)


def test_url_filters_set_the_sidebar_widgets():
    at = app(authority=f"{FIFE},{EAST_DUNBARTONSHIRE}", group="people-4")
    assert at.multiselect(key="authority").value == [FIFE, EAST_DUNBARTONSHIRE]
    assert at.selectbox(key="group").value == "people-4"


def test_changing_a_filter_writes_it_to_the_url_and_defaults_are_left_out():
    at = app()
    assert "group" not in at.query_params
    at.selectbox(key="group").select("other-2").run()
    assert at.query_params["group"] == "other-2"
    at.multiselect(key="authority").select(FIFE).run()
    assert at.query_params["authority"] == FIFE
    at.selectbox(key="group").select("scotland").run()
    assert "group" not in at.query_params


def test_family_group_filter_limits_the_overview_completeness_chart_to_eight_authorities():
    at = app(group="people-4")
    data = [df.value for df in at.dataframe if "authorities" in df.value.columns]
    assert data and data[0]["authorities"].eq(8).all()


BAD_VALUES = {
    "unknown code": {"authority": "S12999999"},
    "script tag": {"group": "<script>alert(1)</script>"},
    "sql fragment": {"review": "2024-25' or '1'='1"},
    "very long value": {"authority": "S12000047," * 1000},
    "repeated key": {"group": ["people-1", "people-2"]},
    "wrong type": {"group": "42"},
}


@pytest.mark.parametrize("params", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_url_value_gives_the_default_view_and_a_notice(params):
    at = app(**params)
    assert not at.exception
    assert len(link_notices(at)) == 1
    assert at.multiselect(key="authority").value == []
    assert at.selectbox(key="group").value == "scotland"
    assert all("<script>" not in w and "or '1'='1" not in w for w in warnings(at)), "bad values are never echoed"


def test_an_unknown_url_key_is_dropped_with_a_notice():
    at = app(colour="red")
    assert not at.exception
    assert any("does not recognise" in w for w in link_notices(at))
    assert "colour" not in at.query_params


def test_overview_quotes_the_review_and_shows_the_headline_figures():
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Services that self-evaluated"] == "32"
    assert metrics["Validated on site"] == "6"
    assert metrics["Barrier themes"] == "7"
    assert any("4 local and 3 national" in c.value for c in at.caption)
    quotes = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert any("not systematically gathering and reporting quality or outcomes data" in q for q in quotes)


def test_overview_trend_chart_has_a_description_and_data_from_the_database():
    at = app()
    descriptions = [m.value for m in at.markdown if m.value.startswith("**What this shows:**")]
    assert any("Community payback orders commenced in Scotland" in d and "2020-21 and 2021-22" in d
               for d in descriptions)
    trend = next(df.value for df in at.dataframe if "comparable" in df.value.columns)
    assert trend.loc[trend["period"] == "2013-14", "value"].iloc[0] == 18688


def test_illustrative_data_is_flagged_where_it_is_shown():
    at = app()
    assert any("Illustrative data" in w for w in warnings(at))
    assert any("ILLUSTRATIVE" in c.value for c in at.caption)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_page_starts_inside_the_app_frame(page):
    # current_filters() reroutes a page opened directly by Streamlit's legacy pages/ routing
    assert "current_filters()" in page.read_text(encoding="utf-8")


def test_about_page_has_an_accessibility_statement_that_names_known_limits():
    at = app().switch_page("pages/about.py").run()
    assert "Accessibility statement" in [h.value for h in at.header]
    statement = next(m.value for m in at.markdown if "Compliance status" in m.value)
    assert "Partially compliant" in statement and "WCAG 2.2" in statement.replace("Guidelines version 2.2", "WCAG 2.2")
    assert "keyboard-walkthrough.md" in statement
