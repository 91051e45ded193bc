"""The slide's geometry and the small pieces every slide of the deck is made of: text styled in the pack's
font, text boxes, titles fitted by measuring the text (never by counting characters), and alt text."""

from __future__ import annotations

from functools import cache

from PIL import ImageFont
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from jsw_explorer.briefing.style import NAVY, TEXT
from jsw_explorer.fonts import FAMILY, FILES
from jsw_explorer.safe_text import printable

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_BOX = (MARGIN, Inches(0.3), SLIDE_WIDTH - 2 * MARGIN, Inches(1.0))
TITLE_SIZES = (28, 24, 20)
LINE_SPACING = 1.2
# Fallback fonts (where Source Sans 3 is not installed) run up to ~15% wider: measure with that allowance.
FALLBACK_ALLOWANCE = 1.15
INSET = Inches(0.1)
# The area between the title box and the status footer, where each slide's content goes.
BODY_WIDTH = SLIDE_WIDTH - 2 * MARGIN
BODY_TOP = TITLE_BOX[1] + TITLE_BOX[3] + Inches(0.15)
BODY_HEIGHT = SLIDE_HEIGHT - BODY_TOP - Inches(0.95)


# --- Titles, measured -------------------------------------------------------------------------

@cache
def _measure_font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FILES["SB" if bold else ""]), size * 10)  # 10x for sub-point precision


def text_width_pt(text: str, size: int, bold: bool = True) -> float:
    return _measure_font(size, bold).getlength(text) / 10 * FALLBACK_ALLOWANCE


def wrap_measured(text: str, size: int, width_pt: float, bold: bool = True) -> list[str]:
    """Greedy word wrap by measured width (the real font's advance widths, with the fallback allowance)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if not line or text_width_pt(candidate, size, bold) <= width_pt:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def fit_title(text: str, width_emu: int, height_emu: int) -> tuple[list[str], int]:
    """The largest size (28, 24, 20 pt) at which the title wraps into lines that fit the box; at the smallest
    size, the text is shortened with an ellipsis. The rule is measured, never a character count."""
    width_pt = (width_emu - 2 * INSET) / 12700
    height_pt = (height_emu - 2 * INSET) / 12700
    for size in TITLE_SIZES:
        lines = wrap_measured(text, size, width_pt)
        if len(lines) * size * LINE_SPACING <= height_pt and all(text_width_pt(l, size) <= width_pt for l in lines):
            return lines, size
    size = TITLE_SIZES[-1]
    most = max(1, int(height_pt // (size * LINE_SPACING)))
    lines = wrap_measured(text, size, width_pt)[:most]
    last = lines[-1]
    while last and text_width_pt(last + "\u2026", size) > width_pt:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + "\u2026"
    return lines, size


# --- Text and shapes --------------------------------------------------------------------------

def style_text(run_or_paragraph, size: float, bold: bool = False, colour=TEXT):
    font = run_or_paragraph.font
    font.name = FAMILY
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(*colour)


def set_alt_text(shape, text: str) -> None:
    """Alt text (the descr attribute PowerPoint's "Alt Text" pane edits) on any shape, chart or picture."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", printable(text)[:2000])


def add_textbox(slide, text: str, left, top, width, height, size: float = 14, bold: bool = False, colour=TEXT):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    paragraph = frame.paragraphs[0]
    paragraph.text = printable(text)
    style_text(paragraph, size, bold, colour)
    return box


def place_title(slide, text: str) -> None:
    """The slide's title in the title box, at the largest size that fits, one paragraph per measured line."""
    title = slide.shapes.title
    left, top, width, height = TITLE_BOX
    title.left, title.top, title.width, title.height = left, top, width, height
    lines, size = fit_title(printable(text), width, height)
    frame = title.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = INSET
    frame.text = "\n".join(lines)  # one paragraph per measured line: no renderer re-wraps them
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.line_spacing = LINE_SPACING * 0.83  # PowerPoint's single spacing is ~1.2 em
        style_text(paragraph, size, True, NAVY)
