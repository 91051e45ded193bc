"""The editable 16:9 deck (python-pptx): native PowerPoint charts with their data embedded (a user can
restyle or copy them), titles fitted by measuring the text, key messages as real bullets, the words and
sources in the speaker notes, alt text on every chart and picture, and the data status on every slide.
Every text goes through `safe_text.printable`.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from jsw_explorer.briefing.chart_text import headline, subtitle, tag_kinds
from jsw_explorer.briefing.content import NUMERIC_COLUMNS, TAG_WORDS, BriefingContent, long_date, tag_word
from jsw_explorer.briefing.deck_charts import add_native_chart, native_chart
from jsw_explorer.briefing.deck_shapes import (BODY_HEIGHT, BODY_TOP, BODY_WIDTH, MARGIN, SLIDE_HEIGHT, SLIDE_WIDTH,
                                               add_textbox, place_title, set_alt_text, style_text)
from jsw_explorer.briefing.style import GREY, NAVY, TEXT, WHITE, status_colours, tag_colours
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.downloads import chart_spec
from jsw_explorer.safe_text import printable
from jsw_explorer.tables import NOT_AVAILABLE, is_missing

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TABLE_ROWS_PER_SLIDE = 8  # rows of 12 pt text, some wrapping onto two lines, above the status footer
MAX_TABLE_SLIDES = 2  # a deck summarises; the PDF's table is complete
MAX_SOURCES_ON_SLIDE = 8  # the rest are in the speaker notes and the PDF

def to_pptx(content: BriefingContent) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    cover_slide(prs, content)
    if content.tiles:
        tiles_slide(prs, content)
    key_messages_slide(prs, content)
    for chart in content.charts:
        chart_slide(prs, content, chart)
    table_slides(prs, content)
    caveats_and_sources_slide(prs, content)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --- The slides, in order ---------------------------------------------------------------------

def cover_slide(prs, content: BriefingContent) -> None:
    cover = new_slide(prs, content, content.title)
    add_textbox(cover, f"{content.subject}\nPrepared {long_date(content.created)}", MARGIN, BODY_TOP + Inches(0.3),
                BODY_WIDTH, Inches(1.2), size=20, colour=GREY)
    add_textbox(cover, content.status, MARGIN, BODY_TOP + Inches(1.8), BODY_WIDTH, Inches(1.2), size=16,
                bold="ILLUSTRATIVE" in content.status)
    set_notes(cover, content.status, *content.caveats)


def tiles_slide(prs, content: BriefingContent) -> None:
    slide = new_slide(prs, content, "Headline figures")
    gap = Inches(0.25)
    tile_width = int((BODY_WIDTH - gap * (len(content.tiles) - 1)) / len(content.tiles))
    for number, tile in enumerate(content.tiles):
        left = MARGIN + number * (tile_width + gap)
        edge, _ = tag_colours(tile.kind)
        box = slide.shapes.add_shape(1, left, BODY_TOP + Inches(0.2), tile_width, Inches(3.3))  # rectangle
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(*WHITE)
        box.line.color.rgb = RGBColor(*edge)
        box.line.width = Pt(2)
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        parts = [(tile.label, 14, True, TEXT), (tile.value, 30 if len(tile.value) <= 8 else 22, True, NAVY),
                 (tile.period, 12, False, GREY), (tile.comparator, 12, False, GREY), (tile.direction, 13, True, TEXT),
                 (tile.tag, 12, True, edge)]
        for index, (text, size, bold, colour) in enumerate(parts):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = printable(text)
            paragraph.alignment = PP_ALIGN.LEFT
            paragraph.space_after = Pt(4)
            style_text(paragraph, size, bold, colour)
        set_alt_text(box, f"{tile.label}: {tile.value} in {tile.period}. {tile.comparator}. {tile.direction}. "
                          f"Status: {tile.tag}.")
    set_notes(slide, "Headline figures, published first. " + " ".join(
        f"{t.label}: {t.value} ({t.period}; {t.comparator}; {t.direction}; {t.tag})." for t in content.tiles),
        sources_note(content))


def key_messages_slide(prs, content: BriefingContent) -> None:
    slide = new_slide(prs, content, "Key messages", layout=1)
    body = slide.placeholders[1]
    body.left, body.top, body.width, body.height = MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT
    frame = body.text_frame
    frame.word_wrap = True
    for index, message in enumerate(content.key_messages):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = printable(message)
        paragraph.level = 0  # a real bullet from the layout's body style
        paragraph.space_after = Pt(8)
        style_text(paragraph, 18 if len(content.key_messages) <= 4 else 16)
    set_notes(slide, *content.key_messages)


def chart_slide(prs, content: BriefingContent, chart: ChartWithText) -> None:
    slide = new_slide(prs, content, headline(chart))
    native = native_chart(chart)
    for number, kind in enumerate(tag_kinds(chart)):
        add_tag(slide, kind, SLIDE_WIDTH - MARGIN - Inches(2.2) * (number + 1), BODY_TOP - Inches(0.05))
    top = BODY_TOP + Inches(0.45)
    if native is not None:
        # the slide title says the message; the chart's own title says what, where and when
        frame = add_native_chart(slide, native, subtitle(chart) or headline(chart), MARGIN, top, BODY_WIDTH,
                                 BODY_HEIGHT - Inches(0.45))
        frame.name = "Chart: " + printable(headline(chart))[:80]
    else:  # a chart PowerPoint cannot draw natively: a picture, with the same words as alt text
        from jsw_explorer.downloads import chart_to_png

        frame = slide.shapes.add_picture(io.BytesIO(chart_to_png(chart_spec(chart.chart))), MARGIN, top,
                                         height=BODY_HEIGHT - Inches(0.45))
        if frame.width > BODY_WIDTH:
            ratio = BODY_WIDTH / frame.width
            frame.width, frame.height = Emu(int(frame.width * ratio)), Emu(int(frame.height * ratio))
    set_alt_text(frame, chart.description)
    set_notes(slide, "What this shows: " + chart.description, sources_note(content))


def table_slides(prs, content: BriefingContent) -> None:
    shown = content.table.head(TABLE_ROWS_PER_SLIDE * MAX_TABLE_SLIDES)  # the PDF has every row
    slides_needed = max(1, math.ceil(len(shown) / TABLE_ROWS_PER_SLIDE))
    per_slide = max(1, math.ceil(len(shown) / slides_needed))  # balanced: no slide of one or two rows
    chunks = [shown.iloc[i:i + per_slide] for i in range(0, max(len(shown), 1), per_slide)]
    left_out = len(content.table) - len(shown)
    for number, rows in enumerate(chunks):
        title = content.table_title + (f" ({number + 1} of {len(chunks)})" if len(chunks) > 1 else "")
        slide = new_slide(prs, content, title)
        add_table(slide, rows, MARGIN, BODY_TOP, BODY_WIDTH)
        set_notes(slide, title + (f". The first {len(shown)} of {len(content.table)} rows: the PDF lists every row."
                                  if left_out else ""), sources_note(content))


def caveats_and_sources_slide(prs, content: BriefingContent) -> None:
    slide = new_slide(prs, content, "Caveats and sources")
    box = add_textbox(slide, "Caveats", MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT, size=16, bold=True)
    frame = box.text_frame
    listed = content.sources[:MAX_SOURCES_ON_SLIDE]
    lines = [*(f"\u2022 {c}" for c in content.caveats), "Sources",
             *(f"\u2022 {t}: {u}" if u else f"\u2022 {t}" for t, u in listed)]
    if len(content.sources) > len(listed):
        lines.append(f"\u2022 and {len(content.sources) - len(listed)} more: all are listed in the speaker notes "
                     "and the PDF")
    for line in lines:
        paragraph = frame.add_paragraph()
        paragraph.text = printable(line)
        style_text(paragraph, 16 if line == "Sources" else 13, line == "Sources")
    set_notes(slide, *content.caveats, sources_note(content))


# --- What every slide has ---------------------------------------------------------------------

def new_slide(prs, content: BriefingContent, title: str, layout: int = 5):
    """A slide (layout 5: title only; 1: title and body) with its fitted title and the data-status footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    place_title(slide, title)
    status_footer(slide, content, len(prs.slides))
    return slide


def status_footer(slide, content: BriefingContent, number: int) -> None:
    illustrative = "ILLUSTRATIVE" in content.status
    edge, fill = status_colours(content.status)
    box = add_textbox(slide, content.status, MARGIN, SLIDE_HEIGHT - Inches(0.75), SLIDE_WIDTH - 2 * MARGIN - Inches(0.8),
                      Inches(0.5), size=11, bold=illustrative)
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(*fill)
    box.line.color.rgb = RGBColor(*edge)
    box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    box.name = "Data status"
    add_textbox(slide, str(number), SLIDE_WIDTH - MARGIN - Inches(0.6), SLIDE_HEIGHT - Inches(0.7), Inches(0.6),
                Inches(0.4), size=11, colour=GREY).text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def set_notes(slide, *parts: str) -> None:
    slide.notes_slide.notes_text_frame.text = printable("\n\n".join(p for p in parts if p))


def sources_note(content: BriefingContent) -> str:
    return "Sources:\n" + "\n".join(f"- {t}: {u}" if u else f"- {t}" for t, u in content.sources)


def add_tag(slide, kind: str, left, top):
    """A status tag (ILLUSTRATIVE, PUBLISHED) over a chart, in the tag's colours."""
    edge, fill = tag_colours(kind)
    box = add_textbox(slide, tag_word(kind), left, top, Inches(2.2), Inches(0.4), size=12, bold=True)
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(*fill)
    box.line.color.rgb = RGBColor(*edge)
    box.line.width = Pt(1.5)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    box.name = f"Status tag: {TAG_WORDS.get(kind, kind)}"
    return box


def add_table(slide, rows: pd.DataFrame, left, top, width):
    shape = slide.shapes.add_table(len(rows) + 1, len(rows.columns), left, top, width, Inches(0.4) * (len(rows) + 1))
    weights = [3.2 if c == "Indicator" else 2.6 if c in ("Status", "Unit") else 1.3 for c in rows.columns]
    for number, weight in enumerate(weights):
        shape.table.columns[number].width = int(width * weight / sum(weights))
    for column_number, column in enumerate(rows.columns):
        shape.table.cell(0, column_number).text = printable(str(column))
    for row_number, record in enumerate(rows.itertuples(index=False), start=1):
        for column_number, value in enumerate(record):
            shape.table.cell(row_number, column_number).text = NOT_AVAILABLE if is_missing(value) else printable(str(value))
    for row_number, row in enumerate(shape.table.rows):
        for column_number, cell in enumerate(row.cells):
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            if row_number == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor(*NAVY)
            for paragraph in cell.text_frame.paragraphs:
                # the heading row, and an illustrative row's status, in bold
                style_text(paragraph, 12, row_number == 0 or str(paragraph.text).startswith(("ILLUSTRATIVE", "Calculated from ILL")),
                           WHITE if row_number == 0 else TEXT)
                if rows.columns[column_number] in NUMERIC_COLUMNS:
                    paragraph.alignment = PP_ALIGN.RIGHT
    set_alt_text(shape, "Table: " + "; ".join(" ".join(str(v) for v in record) for record in rows.itertuples(index=False)))
    return shape
