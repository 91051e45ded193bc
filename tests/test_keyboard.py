"""The keyboard-only walkthrough in docs/keyboard-walkthrough.md, done with the keyboard alone in Chromium.

Every step moves focus with Tab (never a mouse click) and acts with Enter, Space, arrows or typing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from browser_support import ARTIFACTS, CHROMIUM_ARGS, require_chromium, wait_idle

pytestmark = pytest.mark.browser
MAX_TABS = 250


@pytest.fixture
def page(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def tab_to(page, description: str, test_js: str) -> None:
    """Press Tab until the focused element passes test_js (a JS function of the element)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({test_js})(el); }}"):
            return
    raise AssertionError(f"could not reach {description} with the Tab key")


def label_is(text: str) -> str:
    return (f"el => (el.getAttribute('aria-label') || '').includes({text!r}) || "
            f"(el.innerText || '').trim().startsWith({text!r})")


def test_pick_an_authority_and_change_a_filter_with_the_keyboard(server, page):
    page.goto(server)
    wait_idle(page)
    tab_to(page, "the authorities box", "el => el.getAttribute('role') === 'combobox' && "
           "(el.closest('[data-testid=stMultiSelect]') !== null)")
    page.keyboard.type("Fife")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"authority=S12000047"))
    tab_to(page, "the peer group box", "el => el.getAttribute('role') === 'combobox' && "
           "el.closest('[data-testid=stSelectbox]') !== null && "
           "el.closest('[data-testid=stSelectbox]').innerText.includes('Peer group')")
    page.keyboard.press("ArrowDown")  # opens the list
    page.keyboard.type("Family group 1, people")  # narrows it (Streamlit 1.67's combobox filters as you type)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"group=people-1"))


def test_read_a_charts_data_and_download_the_table_with_the_keyboard(server, page):
    page.goto(server)
    wait_idle(page)
    # tab lists follow the ARIA pattern: Tab reaches the selected tab, arrows move between tabs
    tab_to(page, "the first chart's tabs", "el => el.getAttribute('role') === 'tab' && el.innerText.trim() === 'Chart'")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    tab_to(page, "the CSV download", label_is("Download table (CSV)"))
    with page.expect_download(timeout=20000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")


def test_get_a_briefing_with_the_keyboard(server, page):
    page.goto(server)
    wait_idle(page)
    tab_to(page, "the Authority profile link", "el => el.tagName === 'A' && el.innerText.trim().endsWith('Authority profile')")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_role("heading", name=re.compile("Authority profile:"))).to_be_visible()
    tab_to(page, "the briefing button", label_is("Create briefing pack"))
    page.keyboard.press("Enter")
    wait_idle(page)
    tab_to(page, "the PDF download", label_is("Download briefing (PDF)"))
    with page.expect_download(timeout=30000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=str(ARTIFACTS / "keyboard-briefing.png"))
