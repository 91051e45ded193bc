"""Real browser: the profile page produces a briefing pack that downloads; compare renders."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from browser_support import ARTIFACTS, CHROMIUM_ARGS, require_chromium, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(database, server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def test_clicking_the_briefing_download_gives_a_pdf_and_a_pptx(server, page):
    page.goto(f"{server}/profile?profile=S12000045")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Authority profile: East Dunbartonshire")).to_be_visible()
    page.get_by_role("button", name="Create briefing pack (PDF and PowerPoint)").click()
    wait_idle(page)
    with page.expect_download(timeout=30000) as pdf_download:
        page.get_by_role("button", name="Download briefing (PDF)").click()
    pdf_path = ARTIFACTS / "briefing-east-dunbartonshire.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes()[:5] == b"%PDF-" and pdf_path.stat().st_size > 10_000
    with page.expect_download(timeout=30000) as pptx_download:
        page.get_by_role("button", name="Download briefing (PowerPoint)").click()
    pptx_path = ARTIFACTS / "briefing-east-dunbartonshire.pptx"
    pptx_download.value.save_as(pptx_path)
    assert pptx_path.read_bytes()[:2] == b"PK" and pptx_path.stat().st_size > 10_000
    page.screenshot(path=str(ARTIFACTS / "profile-east-dunbartonshire.png"), full_page=True)


def test_compare_draws_its_chart_for_the_highlighted_authorities(server, page):
    page.goto(f"{server}/compare?authority=S12000045,S12000047,S12000013")
    wait_idle(page)
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=20000)
    expect(page.get_by_text("Comparing East Dunbartonshire, Fife, Na h-Eileanan Siar").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
