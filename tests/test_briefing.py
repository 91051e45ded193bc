"""The briefing pack reads like a publication: A4 profile PDF and editable 16:9 deck, built from the test database.

Content and structure are checked here (pypdf, python-pptx); how an office suite draws them is checked in
tests/test_office.py.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches
from pypdf import PdfReader

from briefing_support import authority_content, authority_inputs, scotland_content
from jsw_explorer.briefing import (TITLE_BOX, TITLE_SIZES, authority_tiles, fit_title, indicator_table,
                                   text_width_pt, to_pdf, to_pptx)
from jsw_explorer.tables import unit_kind


@pytest.fixture(scope="module")
def content(database):
    return authority_content(database)


@pytest.fixture(scope="module")
def pdf_pages(content) -> list[str]:
    reader = PdfReader(io.BytesIO(to_pdf(content)))
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


@pytest.fixture(scope="module")
def deck(content):
    return Presentation(io.BytesIO(to_pptx(content)))


def number_in(text: str) -> float:
    return float(re.match(r"-?[\d,]+(\.\d+)?", text).group().replace(",", ""))


# --- content ----------------------------------------------------------------------------------

def test_headline_tiles_lead_with_published_figures_chosen_by_status_not_by_name(database):
    indicators = authority_inputs(database)["indicators"].copy()
    illustrative = indicators.index[indicators["source_kind"].eq("illustrative") & indicators["value"].notna()]
    promoted = illustrative[-1]  # the last illustrative indicator becomes published in this copy
    indicators.loc[promoted, "source_kind"] = "published"
    tiles = authority_tiles(indicators)
    assert 3 <= len(tiles) <= 5
    assert tiles[0].label == indicators.loc[promoted, "indicator"] and tiles[0].tag.startswith("PUBLISHED")
    order = {"published": 0, "council_reported": 1, "uploaded": 2, "illustrative": 3}
    assert [order[t.kind] for t in tiles] == sorted(order[t.kind] for t in tiles)
    assert all(t.tag.startswith("ILLUSTRATIVE") for t in tiles if t.kind == "illustrative")


def test_briefing_table_formats_every_number_by_its_unit(database):
    indicators = authority_inputs(database)["indicators"]
    table = indicator_table(indicators)
    shown = indicators[indicators["value"].notna()].set_index("indicator")
    assert len(table) == len(shown)
    for row in table.itertuples(index=False):
        source = shown.loc[row.Indicator]
        kind = unit_kind(source["unit"])
        for text, value in [(row.Value, source["value"]), (row.Scotland, source["scotland_value"])]:
            if pd.isna(value):
                assert text == "not available"
            elif kind == "count":
                assert re.fullmatch(r"\d{1,3}(,\d{3})*", text), text  # thousands separators, no decimals
                assert number_in(text) == round(value)
            elif kind == "percent":
                assert re.fullmatch(r"\d+\.\d%", text), text
                assert number_in(text) == round(value, 1)
            else:
                assert re.fullmatch(r"\d[\d,]*\.\d per .+", text), text
                assert number_in(text) == round(value, 1)


def test_status_words_say_calculated_and_illustrative(database):
    from jsw_explorer.status import STATUS_LABELS

    table = indicator_table(authority_inputs(database)["indicators"])
    # each row in the words used everywhere (status.status_label), a rate this tool calculated saying so
    suffix = " (rate calculated by this tool)"
    assert {status.removesuffix(suffix) for status in table["Status"]} <= set(STATUS_LABELS.values())
    assert any(status.startswith("ILLUSTRATIVE") for status in table["Status"])


# --- PDF --------------------------------------------------------------------------------------

def test_pdf_is_an_a4_profile_of_two_to_four_pages_with_numbers_and_status(pdf_pages, content):
    pages, reader = pdf_pages
    assert 2 <= len(pages) <= 4
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "ILLUSTRATIVE" in text, "the data status is on every page"
    first = pages[0]
    assert content.area in first and f"edition {content.review}" in first and "Data status" in first
    assert "Headline figures" in first
    for tile in content.tiles:
        assert tile.value in first and tile.tag in first


def test_pdf_charts_are_vector_graphics_with_their_words(pdf_pages, content):
    pages, reader = pdf_pages
    assert not any(page.images for page in reader.pages), "charts are drawn as vectors, not pictures"
    text = " ".join(pages)
    assert text.count("What this shows") == len(content.charts)
    assert "Completeness score (0-100)" in text  # an axis title drawn inside the chart
    assert "Financial year" in text
    assert text.count("ILLUSTRATIVE") >= len(content.charts) + 1  # a tag on each illustrative chart


def test_pdf_lists_sources_with_titles_and_full_web_addresses(pdf_pages, content):
    text = " ".join(pdf_pages[0])
    for title, url in content.sources:
        assert " ".join(title.split())[:30] in text
        if url.startswith("http"):
            assert url.replace(" ", "") in text.replace(" ", ""), url


def test_scotland_briefing_pdf_and_deck(database):
    content = scotland_content(database)
    reader = PdfReader(io.BytesIO(to_pdf(content)))
    assert 2 <= len(reader.pages) <= 4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Scotland" in text and "16,500" in text  # the published count, with a thousands separator
    deck = Presentation(io.BytesIO(to_pptx(content)))
    assert sum(1 for s in deck.slides for shape in s.shapes if shape.has_chart) == len(content.charts)


# --- PowerPoint -------------------------------------------------------------------------------

def test_deck_is_16_9_with_native_charts_holding_their_data(deck, content):
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == len(content.charts)
    for shape in charts:
        chart = shape.chart
        assert chart.part.chart_workbook.xlsx_part is not None, "the data is embedded for editing"
        assert chart.has_title and chart.value_axis.has_title
        assert all(len(list(s.values)) for s in chart.plots[0].series)
    first = charts[0].chart
    scores = content.charts[0].data["score"].tolist()
    values = {round(v) for s in first.plots[0].series for v in s.values if v is not None}
    assert {round(v) for v in scores} <= values
    assert content.area in [s.name for s in first.plots[0].series], "series named as in the chart's legend"


def test_every_chart_table_and_picture_has_alt_text_and_every_slide_the_status(deck):
    for slide in deck.slides:
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert "ILLUSTRATIVE" in text, "the data status is on every slide"
        for shape in slide.shapes:
            if shape.has_chart or shape.has_table or shape.shape_type == 13:
                description = shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
                assert description and len(description) > 20


def test_key_messages_are_real_bullets_and_notes_carry_words_and_sources(deck, content):
    slide = next(s for s in deck.slides if s.shapes.title.text_frame.text == "Key messages")
    # the layout's content placeholder: its paragraphs are bulleted by the slide master
    body = next(p for p in slide.placeholders if p.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
    paragraphs = [p.text for p in body.text_frame.paragraphs]
    assert paragraphs == content.key_messages
    chart_slides = [s for s in deck.slides if any(shape.has_chart for shape in s.shapes)]
    for slide, chart in zip(chart_slides, content.charts):
        notes = slide.notes_slide.notes_text_frame.text
        assert "What this shows: " + chart.description in notes and "Sources:" in notes


def test_slide_titles_fit_their_box_by_measurement(deck):
    width_pt = (TITLE_BOX[2] - 2 * Inches(0.1)) / 12700
    height_pt = (TITLE_BOX[3] - 2 * Inches(0.1)) / 12700
    for slide in deck.slides:
        title = slide.shapes.title
        lines = [p.text for p in title.text_frame.paragraphs]
        size = title.text_frame.paragraphs[0].font.size.pt
        assert size in TITLE_SIZES
        assert all(text_width_pt(line, int(size)) <= width_pt for line in lines)
        assert len(lines) * size * 1.2 <= height_pt


def test_a_title_too_long_for_any_size_is_shortened_with_an_ellipsis():
    long = "Community payback orders commenced per ten thousand people aged sixteen to seventy " * 4
    lines, size = fit_title(long, TITLE_BOX[2], TITLE_BOX[3])
    assert size == TITLE_SIZES[-1] and lines[-1].endswith("\u2026")
    short_lines, short_size = fit_title("Key messages", TITLE_BOX[2], TITLE_BOX[3])
    assert short_lines == ["Key messages"] and short_size == TITLE_SIZES[0]
