"""Real browser: the Barriers and Data completeness pages load, draw their charts, and a page setting
changes the URL and the headline."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, running_app, wait_idle
from helpers import APP_ROOT

pytestmark = pytest.mark.browser

DATA = APP_ROOT / "data"
CHARTS = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'


@pytest.fixture(scope="module")
def server(database, browser):
    with running_app(database) as (url, _process):
        context = browser.new_context()
        warm = context.new_page()
        warm.goto(url)
        wait_idle(warm)
        context.close()
        yield url


# A fresh server's very first request opening /barriers must run through streamlit_app.py
# (Streamlit's legacy pages/ routing is switched off by jsw_explorer.filters).
def test_a_fresh_server_opened_directly_at_a_page_shows_it(database, browser):
    with running_app(database) as (url, _process):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/barriers")
        wait_idle(page)
        try:
            expect(page.locator("h1").first).to_have_text(re.compile("Barriers to evidencing impact"), timeout=5000)
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def full_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content before the screenshot."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 16000)})
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def most_reported_headline(level: str | None = None) -> str:
    """The prevalence headline for all 32 authorities, worked out from the CSV with pandas."""
    themes = pd.read_csv(DATA / "barrier_themes.csv")[["theme_id", "label", "level", "sort_order"]]
    barriers = pd.read_csv(DATA / "illustrative" / "authority_barriers.csv").merge(themes, on="theme_id")
    if level:
        barriers = barriers.loc[barriers["level"] == level]
    counts = barriers.loc[barriers["reported"]].groupby(["sort_order", "label"]).size().reset_index(name="n")
    top = counts.loc[counts["n"] == counts["n"].max()].sort_values("sort_order")
    labels = [top["label"].iloc[0]] + [label.lower() for label in top["label"].iloc[1:]]
    if len(labels) == 1:
        return f"{labels[0]} is the most widely reported barrier: {int(top['n'].iloc[0])} of 32 authorities"
    return f"{', '.join(labels[:-1])} and {labels[-1]} are the most widely reported barriers: {int(top['n'].iloc[0])} of 32"


def test_barriers_page_loads_and_draws_its_charts(server, page):
    page.goto(f"{server}/barriers")
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(re.compile("Barriers to evidencing impact"))
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.locator(CHARTS).first).to_be_visible(timeout=20000)
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(7)
    expect(page.get_by_text(most_reported_headline(), exact=False).first).to_be_attached()
    full_screenshot(page, "page-barriers.png")


def test_barrier_level_updates_the_url_and_the_headline(server, page):
    page.goto(f"{server}/barriers")
    wait_idle(page)
    national = most_reported_headline("national")
    assert page.get_by_text(national, exact=False).count() == 0
    page.get_by_text("National only", exact=True).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/barriers\?.*level=national"))
    expect(page.get_by_text(national, exact=False).first).to_be_attached()
    assert page.locator('[data-testid="stException"]').count() == 0
    full_screenshot(page, "barriers-national.png")


def test_a_shared_barriers_link_reopens_the_same_view(server, page):
    page.goto(f"{server}/barriers?level=national&impact=3&group=people-4")
    wait_idle(page)
    expect(page.get_by_role("radio", name="National only")).to_be_checked()
    expect(page.get_by_role("radio", name="High only")).to_be_checked()
    assert page.get_by_text("could not be used", exact=False).count() == 0
    assert page.get_by_text("does not recognise", exact=False).count() == 0
    expect(page.get_by_text("8 authorities in the peer group", exact=False).first).to_be_attached()


def most_complete_outcomes() -> str:
    items = pd.read_csv(DATA / "evidence_items.csv")[["item_id", "domain_id"]]
    levels = pd.read_csv(DATA / "illustrative" / "completeness.csv").merge(items, on="item_id")
    scores = levels.loc[levels["domain_id"] == "outcomes"].groupby("gss_code")["level"].mean().mul(100 / 3).round(1)
    names = pd.read_csv(DATA / "local_authorities.csv").set_index("gss_code")["name"]
    top = sorted(names[scores.index[scores == scores.max()]])
    verb = "has" if len(top) == 1 else "have"
    return f"{' and '.join(top)} {verb} the most complete outcomes evidence ({scores.max():.1f} out of 100)"


def test_completeness_page_loads_and_draws_its_charts(server, page):
    page.goto(f"{server}/completeness")
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(re.compile("How complete is the evidence"))
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.locator(CHARTS).first).to_be_visible(timeout=20000)
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(4)
    full_screenshot(page, "page-completeness.png")


def test_completeness_domain_updates_the_url_and_the_headline(server, page):
    page.goto(f"{server}/completeness")
    wait_idle(page)
    headline = most_complete_outcomes()
    assert page.get_by_text(headline, exact=False).count() == 0
    page.get_by_role("combobox", name=re.compile("Evidence domain")).click()
    page.get_by_role("option", name="Outcomes", exact=True).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/completeness\?.*cdomain=outcomes"))
    expect(page.get_by_text(headline, exact=False).first).to_be_attached()
    full_screenshot(page, "completeness-outcomes.png")
