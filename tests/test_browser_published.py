"""Real browser: the Outcomes page opens on the published reconviction rate, funnel on offenders in the cohort."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, wait_idle

pytestmark = pytest.mark.browser


def test_outcomes_opens_on_the_published_reconviction_rate_with_its_funnel_on_offenders(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    try:
        page.goto(f"{server}/outcomes")
        wait_idle(page, 90000)
        assert page.locator('[data-testid="stException"]').count() == 0
        expect(page.get_by_text("Reconviction (published): Reconviction rate (2017-18 cohort)").first).to_be_visible()
        expect(page.get_by_text("Experimental Statistics", exact=False).first).to_be_visible()
        funnel = page.locator('[data-testid="stVegaLiteChart"] [role="graphics-document"]'
                              '[aria-label^="32 authorities plotted against Scotland"]')
        funnel.scroll_into_view_if_needed()
        expect(funnel).to_be_visible(timeout=30000)
        label = funnel.get_attribute("aria-label")
        assert "Shetland Islands 11.8% (denominator 119)" in label and "32 published" in label
        assert funnel.locator("g.mark-symbol.role-mark path").count() == 32
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        funnel.screenshot(path=str(ARTIFACTS / "outcomes-reconviction-funnel.png"))
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "outcomes-reconviction.png"), full_page=True)
    finally:
        context.close()
