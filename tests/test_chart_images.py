"""Every chart the app draws exports as an image with its text, at publication size.

The charts are collected from the pages as they render (so a new chart function is covered as soon as a
page uses it), plus the briefing's charts. Text is checked by drawing each chart twice with the same
layout, once with all text made transparent: the two PNGs must differ clearly. Without a font the
renderer can use, the two are identical (the fault this guards against: no text in any PNG).
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from briefing_support import authority_content, scotland_content
from jsw_explorer.briefing import chart_svg, svg_for_fpdf
from jsw_explorer.charts.common import FONT
from jsw_explorer.downloads import EXPORT_WIDTH, PNG_SCALE, chart_spec, chart_to_png, chart_to_svg, publication_spec
from jsw_explorer.fonts import FAMILY
from page_helpers import chart_specs, open_page

PAGES = ["pages/overview.py", "pages/barriers.py", "pages/completeness.py", "pages/outcomes.py", "pages/profile.py",
         "pages/compare.py"]
# The narrowest main column the wide layout gives a chart on screen (a 1024 px window with the sidebar
# open); an exported image is never narrower than this, nor than any width the chart sets itself.
SCREEN_MIN_WIDTH = 600
MIN_TEXT_PIXELS = 0.002  # share of the image that text covers, at least (titles alone are more)


def hide_text(node):
    """The same spec with every text transparent, layout unchanged (sizes and fonts kept)."""
    if isinstance(node, dict):
        node = {k: hide_text(v) for k, v in node.items()}
        mark = node.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
            mark = {"type": "text"} if mark == "text" else dict(mark)
            mark.update(opacity=0, fillOpacity=0)
            node["mark"] = mark
        if isinstance(node.get("title"), dict):
            node["title"] = {**node["title"], "color": "transparent", "subtitleColor": "transparent"}
        return node
    if isinstance(node, list):
        return [hide_text(v) for v in node]
    return node


def without_text(spec: dict) -> dict:
    spec = hide_text(spec)
    config = dict(spec.get("config", {}))
    transparent = {"labelColor": "transparent", "titleColor": "transparent"}
    for part in ("axis", "axisX", "axisY", "legend", "header"):
        config[part] = {**config.get(part, {}), **transparent}
    config["title"] = {**config.get("title", {}), "color": "transparent", "subtitleColor": "transparent"}
    config["text"] = {**config.get("text", {}), "opacity": 0}
    spec["config"] = config
    return spec


def widths(node) -> list[float]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("width"), (int, float)):
            found.append(node["width"])
        for value in node.values():
            found += widths(value)
    elif isinstance(node, list):
        for value in node:
            found += widths(value)
    return found


@pytest.fixture(scope="module")
def specs(database) -> list[tuple[str, dict]]:
    collected = []
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, page
        collected += [(f"{page}#{n}", spec) for n, spec in enumerate(chart_specs(at))]
    for content in (authority_content(database), scotland_content(database)):
        collected += [(f"briefing#{n}", json.loads(chart_spec(c.chart))) for n, c in enumerate(content.charts)]
    assert len(collected) >= 15, "the pages draw their charts"
    return collected


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def test_charts_ask_for_the_shipped_font():
    assert FAMILY in FONT


def test_every_chart_png_shows_its_text(specs):
    blank = []
    for name, spec in specs:
        exported = publication_spec(spec)
        with_text = pixels(chart_to_png(json.dumps(exported), scale=1))
        no_text = pixels(chart_to_png(json.dumps(without_text(exported)), scale=1))
        assert with_text.shape == no_text.shape, f"{name}: hiding text must not change the layout"
        share = (np.abs(with_text - no_text) > 40).mean()
        if share < MIN_TEXT_PIXELS:
            blank.append(f"{name}: {share:.4f}")
    assert not blank, f"charts whose PNG shows (almost) no text: {blank}"


def test_every_chart_svg_is_at_least_as_wide_as_on_screen_and_png_is_twice_that(specs):
    narrow = []
    for name, spec in specs:
        exported = json.dumps(publication_spec(spec))
        svg = chart_to_svg(exported).decode()
        svg_width = float(svg.split('width="', 1)[1].split('"', 1)[0])
        needed = max([SCREEN_MIN_WIDTH, *widths(spec)])
        if svg_width < needed:
            narrow.append(f"{name}: {svg_width:.0f} < {needed:.0f}")
    assert not narrow, f"charts exported narrower than on screen: {narrow}"
    name, spec = specs[0]
    exported = json.dumps(publication_spec(spec))
    svg_width = float(chart_to_svg(exported).decode().split('width="', 1)[1].split('"', 1)[0])
    png = Image.open(io.BytesIO(chart_to_png(exported)))
    assert png.width == pytest.approx(svg_width * PNG_SCALE, abs=2)
    assert png.width >= 1200 and EXPORT_WIDTH * PNG_SCALE <= png.width


def test_briefing_svgs_draw_their_text_in_the_shipped_font(database):
    for chart in authority_content(database).charts:
        svg = svg_for_fpdf(chart_svg(chart)).decode()
        assert FAMILY in svg and "<text" in svg
        assert 'd=""' not in svg  # fpdf2 refuses an empty path
        assert all(' x1="' in tag and ' y1="' in tag for tag in re.findall(r"<line\b[^>]*>", svg))
        # fpdf2 would outline a shape without a stroke in the page's draw colour
        assert all(" stroke=" in tag for tag in re.findall(r"<(?:path|rect|circle|line)\b[^>]*>", svg))
