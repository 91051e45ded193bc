"""axe-core in Chromium on every page, default and filtered: zero WCAG 2.2 A/AA violations."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import ARTIFACTS, wait_idle
from helpers import PAGES

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FILTERED_STATE = "group=people-4&authority=S12000047,S12000045"


def page_url(base: str, page_file) -> str:
    return base + "/" + ("" if page_file.stem == "overview" else page_file.stem)


@pytest.mark.parametrize("state", ["default", "filtered"])
@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.stem)
def test_page_has_no_wcag_violations(server, browser, page_file, state):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        url = page_url(server, page_file) + (f"?{FILTERED_STATE}" if state == "filtered" else "")
        page.goto(url)
        wait_idle(page)
        page.wait_for_timeout(1000)  # charts render after the script finishes
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        for index in range(charts.count()):  # every chart carries its text description for screen readers
            label = charts.nth(index).get_attribute("aria-label")  # Streamlit 1.67 labels the chart container itself
            assert label and len(label) > 20, f"chart {index} on {page_file.stem} has no screen-reader description"
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        if violations:
            (ARTIFACTS / f"axe-{page_file.stem}-{state}.json").write_text(json.dumps(violations, indent=2))
        summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
        assert not violations, f"axe violations on {page_file.stem} ({state}): {summary}"
    finally:
        context.close()
