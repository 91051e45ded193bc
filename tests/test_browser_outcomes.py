"""Real browser: the outcomes page, opened from a shared link on a fresh server, draws its funnel plot and maps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, wait_idle

pytestmark = pytest.mark.browser

LINK = "/outcomes?indicator=cpo_per_10000_pop_16_70&period=2022-23&authority=S12000047"


@pytest.fixture(scope="module")
def page(server, browser):
    """The page opened from a link as the server's very first request (no visit to the home page first)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    page.served = []  # responses for data fetched by address (jsw_explorer.served_files)
    page.on("response", lambda response: page.served.append(response) if "/component/" in response.url else None)
    page.goto(f"{server}{LINK}")
    wait_idle(page, 60000)
    yield page
    context.close()


def chart(page, description_start: str):
    """A Vega-Lite chart found by its screen-reader description (the aria-label Vega sets)."""
    return page.locator(f'[data-testid="stVegaLiteChart"][role="graphics-document"][aria-label^="{description_start}"]')


def test_a_shared_link_opens_the_page_with_its_settings_and_no_error(page):
    expect(page.locator("h1").first).to_have_text("Outcome indicators")
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.get_by_role("combobox", name="Indicator (grouped by category)")).to_have_value(
        "Orders and volumes: CPOs per 10 000 people aged 16-70")
    expect(page).to_have_url(re.compile(r"indicator=cpo_per_10000_pop_16_70"))


def test_the_funnel_plot_draws_its_points_limit_lines_and_named_outliers(page):
    funnel = chart(page, "32 authorities plotted against Scotland")
    funnel.scroll_into_view_if_needed()
    expect(funnel).to_be_visible(timeout=20000)
    assert "Above the 99.8% limit: West Dunbartonshire" in funnel.get_attribute("aria-label")
    points = funnel.locator("g.mark-symbol.role-mark path")
    assert points.count() == 32
    assert funnel.locator("g.mark-line.role-mark path").count() >= 4  # 95% and 99.8%, upper and lower
    labels = [t for t in funnel.locator("g.mark-text.role-mark text").all_text_contents() if t]
    assert "West Dunbartonshire" in labels and "Fife" in labels
    funnel.screenshot(path=str(ARTIFACTS / "outcomes-funnel.png"))


def test_the_choropleth_and_tile_grid_draw_all_32_council_areas(page):
    maps = chart(page, "Map of CPOs per 10 000")
    maps.scroll_into_view_if_needed()
    expect(maps).to_be_visible(timeout=20000)
    shapes = maps.locator("g.mark-shape.role-mark path")
    assert shapes.count() >= 2 * 32  # a base shape and a coloured shape per area (+ the selected outline)
    sizes = [box["width"] * box["height"] for box in (shapes.nth(i).bounding_box() for i in range(32)) if box]
    assert len(sizes) == 32 and max(sizes) > 100 * min(sizes), "real boundaries: Highland dwarfs Dundee"
    tiles = maps.locator("g.mark-rect.role-mark path")
    assert tiles.count() >= 2 * 32
    texts = maps.locator("g.mark-text.role-mark text").all_text_contents()
    assert {"Shetland", "Fife", "Glasgow", "Eilean Siar"} <= set(texts)
    maps.screenshot(path=str(ARTIFACTS / "outcomes-map.png"))
    boundaries = [response for response in page.served if response.url.endswith(".json")]
    assert boundaries and all(response.status == 200 for response in boundaries), "boundaries come by address"
    topology = boundaries[0].json()
    assert topology["type"] == "Topology" and len(topology["objects"]["areas"]["geometries"]) == 32
    expect(page.get_by_text("CC BY 4.0", exact=False).first).to_be_attached()


def test_choosing_another_indicator_updates_the_url_and_the_charts(page):
    page.get_by_role("combobox", name="Indicator (grouped by category)").click()
    page.keyboard.type("Drug treatment and testing orders commenced")  # the list is long: narrow it first
    page.get_by_role("option", name="Orders and volumes: Drug treatment and testing orders commenced").click()
    wait_idle(page, 60000)
    expect(page).to_have_url(re.compile(r"indicator=dtto_commenced"))
    expect(page).to_have_url(re.compile(r"period=2022-23"))  # the year is kept: the new indicator has it
    expect(page.get_by_text("A funnel plot compares rates and percentages", exact=False)).to_be_visible()
    expect(chart(page, "Map of Drug treatment and testing orders commenced").first).to_be_attached(timeout=20000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_served_folder_gives_nothing_outside_itself(page, server):
    """Paths sent as written (no client normalising them): a way out of the folder is refused."""
    import http.client
    from urllib.parse import urlsplit

    from jsw_explorer.served_files import COMPONENT_NAME

    address = urlsplit(server)
    for path, statuses in [("../../../../../../etc/passwd", (400, 404)), ("..%2F..%2F..%2F..%2Fetc%2Fpasswd", (400, 404)),
                           ("missing.json", (404,))]:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        connection.request("GET", f"/component/{COMPONENT_NAME}/{path}")
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status in statuses and b"root:" not in body, path
