"""Real browser: every page loads in the system Chromium, and a filter change reaches the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, wait_idle

pytestmark = pytest.mark.browser

from helpers import PAGES

PAGE_PATHS = {page.stem: "" if page.stem == "overview" else page.stem for page in PAGES}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGE_PATHS)
def test_page_loads_with_a_heading_and_no_exception(server, page, name):
    page.goto(f"{server}/{PAGE_PATHS[name]}")
    wait_idle(page)
    expect(page.locator("h1").first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.get_by_text("Data status:", exact=False).first).to_be_visible()
    expect(page.get_by_text("Peer group").first).to_be_visible()  # opened directly, still inside the app frame
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)


def test_overview_draws_its_charts(server, page):
    page.goto(server)
    wait_idle(page)
    charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    expect(charts.first).to_be_visible(timeout=20000)
    assert charts.count() >= 3


def test_changing_the_peer_group_updates_the_url_and_the_content(server, page):
    page.goto(server)
    wait_idle(page)
    expect(page.get_by_text("across all 32 authorities", exact=False).first).to_be_attached()
    page.get_by_role("combobox", name="Peer group").click()
    page.get_by_role("option", name=re.compile(r"Family group 4, people services")).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"group=people-4"))
    expect(page.get_by_text("across the 8 authorities in the peer group", exact=False).first).to_be_attached()
    page.screenshot(path=str(ARTIFACTS / "overview-family-group-4.png"), full_page=True)


def test_a_shared_link_reopens_the_same_view(server, page):
    page.goto(f"{server}/?group=other-1&authority=S12000045")
    wait_idle(page)
    expect(page.get_by_text("across the 8 authorities in the peer group", exact=False).first).to_be_attached()
    expect(page.get_by_text("East Dunbartonshire").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"group=other-1"))


def test_a_bad_link_shows_a_notice_not_an_error(server, page):
    page.goto(f"{server}/?group=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_idle(page)
    expect(page.get_by_text("could not be used", exact=False).first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_navigating_to_another_page_keeps_the_filter_in_the_url(server, page):
    page.goto(f"{server}/?group=people-2")
    wait_idle(page)
    page.get_by_role("link", name="About the data").first.click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/about\?.*group=people-2"))
