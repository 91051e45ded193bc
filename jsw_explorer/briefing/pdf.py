"""The A4 area profile (fpdf2). It reads like a statistical area profile (ScotPHO, the Improvement Service's
benchmarking reports): a title block, a data-status box, headline figure tiles led by the authority's
published figures, charts as vector graphics with their "What this shows" text, tables formatted by unit,
sources with titles and full web addresses, page numbers. Every text goes through `safe_text.printable`.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from jsw_explorer.briefing.chart_text import headline, subtitle, tag_kinds
from jsw_explorer.briefing.content import NUMERIC_COLUMNS, BriefingContent, Tile, long_date, tag_word
from jsw_explorer.briefing.style import GREY, NAVY, RULE, TEXT, WHITE, status_colours, tag_colours
from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.downloads import chart_spec, chart_to_svg, publication_spec
from jsw_explorer.fonts import FAMILY, FILES
from jsw_explorer.safe_text import printable
from jsw_explorer.tables import NOT_AVAILABLE, is_missing

# --- Vector charts ---------------------------------------------------------------------------

PDF_CHART_WIDTH = 400  # CSS px of the plot: the whole figure fits the A4 text width at a readable size
PDF_CHART_MAX_PLOT_HEIGHT = 230  # CSS px
CHART_HEIGHTS = (82, 72, 62)  # mm, tallest first: two charts and their words fit on one A4 page


def svg_for_fpdf(svg: bytes) -> bytes:
    """vl-convert's SVG, made acceptable to fpdf2's parser: empty paths dropped, a line's omitted x1/y1 given,
    and an explicit stroke="none" where SVG leaves it implicit."""
    text = svg.decode("utf-8")
    text = re.sub(r'<path\b[^>]*\sd=""[^>]*/>', "", text)

    def complete(match: re.Match) -> str:
        tag = match.group(0)
        for attribute in ("x1", "y1", "x2", "y2"):
            if f' {attribute}="' not in tag:
                tag = tag.replace("<line", f'<line {attribute}="0"', 1)
        return tag

    text = re.sub(r"<line\b[^>]*>", complete, text)
    # SVG's default stroke is none, but fpdf2 strokes a shape without one in the PDF's current draw colour
    return re.sub(r"<(path|rect|circle|line)\b(?![^>]*\sstroke=)", r'<\1 stroke="none"', text).encode("utf-8")


def chart_svg(chart: ChartWithText, width: int = PDF_CHART_WIDTH) -> bytes:
    """The chart as SVG for the PDF, without its two titles: the PDF sets them as real text above it."""
    spec = json.loads(chart_spec(chart.chart))
    spec.pop("width", None)
    spec.pop("title", None)
    if isinstance(spec.get("height"), (int, float)):  # landscape on the page: the charts share an A4 sheet
        spec["height"] = min(spec["height"], PDF_CHART_MAX_PLOT_HEIGHT)
    return chart_to_svg(json.dumps(publication_spec(spec, width)))


# --- The page and its blocks ------------------------------------------------------------------

class BriefingPDF(FPDF):
    def __init__(self, content: BriefingContent):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.chart_height = CHART_HEIGHTS[0]
        for style, path in FILES.items():
            if style in ("", "B", "I"):
                self.add_font(FAMILY, style, str(path))
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(printable(content.title))
        self.set_author("Justice social work review explorer")
        self.set_creator("Justice social work review explorer")
        self.set_lang("en-GB")

    def font(self, size: float, style: str = "", colour=TEXT):
        self.set_font(FAMILY, style, size)
        self.set_text_color(*colour)

    def header(self):
        if self.page_no() == 1:
            return
        self.font(8, "", GREY)
        self.cell(0, 4, printable(f"{self.content.title} | review {self.content.review}"), new_x="LMARGIN",
                  new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)

    def footer(self):
        self.set_y(-14)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        illustrative = "ILLUSTRATIVE" in self.content.status
        self.font(7.5, "B" if illustrative else "", TEXT)
        self.cell(self.epw - 25, 4, "Data status: contains ILLUSTRATIVE data (generated, not real); see the status "
                  "box on page 1 and the tag on each figure" if illustrative else printable(self.content.status)[:120],
                  align="L")
        self.font(8, "", GREY)
        self.cell(25, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: float = 13, space: float = 2):
        self.font(size, "B", NAVY)
        self.multi_cell(0, size * 0.45, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(space)

    def paragraph(self, text: str, size: float = 10, style: str = "", colour=TEXT, height: float | None = None):
        self.font(size, style, colour)
        self.multi_cell(0, height or size * 0.47, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def bullet(self, text: str, size: float = 10):
        self.font(size)
        x = self.get_x()
        self.cell(5, size * 0.47, "\u2022")
        self.multi_cell(self.epw - 5, size * 0.47, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_x(x)
        self.ln(1)

    def tag(self, kind: str, text: str, x: float, y: float, size: float = 7.5) -> float:
        """A status tag (ILLUSTRATIVE, PUBLISHED) with an edge colour and a pale fill; returns its width."""
        edge, fill = tag_colours(kind)
        self.font(size, "B")
        width = self.get_string_width(text) + 3
        self.set_draw_color(*edge)
        self.set_fill_color(*fill)
        self.set_line_width(0.4)
        self.rect(x, y, width, size * 0.55, style="DF")
        self.set_xy(x, y)
        self.cell(width, size * 0.55, text, align="C")
        self.set_line_width(0.2)
        return width

    def last_page_share(self) -> float:
        """How much of the current (last) page's text area is used, 0-1."""
        top = self.t_margin + (0 if self.page_no() == 1 else 10)
        return (self.get_y() - top) / (self.page_break_trigger - top)

    def room(self, height: float) -> None:
        """A new page unless the next block fits on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def title_block(pdf: BriefingPDF, content: BriefingContent) -> None:
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, pdf.w, 38, style="F")
    pdf.set_xy(pdf.l_margin, 9)
    pdf.font(10, "", WHITE)
    pdf.cell(0, 5, "Justice social work evidence briefing", new_x="LMARGIN", new_y="NEXT")
    pdf.font(22, "B", WHITE)
    pdf.cell(0, 11, printable(content.area or content.title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10, "", WHITE)
    pdf.cell(0, 5, printable(f"Care Inspectorate review of justice social work, edition {content.review} | "
                             f"prepared {long_date(content.created)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(44)


def status_box(pdf: BriefingPDF, content: BriefingContent) -> None:
    illustrative = "ILLUSTRATIVE" in content.status
    edge, fill = status_colours(content.status)
    first = content.status.removeprefix("DATA STATUS: ")
    lines = [first[:1].upper() + first[1:]]
    counts = pd.Series([t.kind for t in content.tiles]).value_counts() if content.tiles else pd.Series(dtype=int)
    if content.tiles:
        lines.append("Headline figures: " + ", ".join(f"{n} {tag_word(k).lower()}" for k, n in counts.items())
                     + ". Each figure, chart and table row carries its own status tag.")
    if illustrative:
        lines.append("Illustrative values were generated by this tool and calibrated to published Scotland "
                     "figures. They are not real and must not be quoted as any authority's results.")
    pdf.font(9)
    text_height = 5 + sum(len(pdf.multi_cell(pdf.epw - 8, 4.3, printable(line), dry_run=True, output="LINES")) * 4.3
                          for line in lines)
    top = pdf.get_y()
    bottom = top + text_height + 2
    pdf.set_fill_color(*fill)
    pdf.rect(pdf.l_margin, top - 2, pdf.epw, bottom - top + 2, style="F")
    pdf.set_fill_color(*edge)
    pdf.rect(pdf.l_margin, top - 2, 1.5, bottom - top + 2, style="F")
    pdf.set_xy(pdf.l_margin + 4, top)
    pdf.font(9.5, "B")
    pdf.cell(0, 5, "Data status", new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    for line in lines:
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 8, 4.3, printable(line), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(bottom + 4)


def tiles_row(pdf: BriefingPDF, tiles: list[Tile]) -> None:
    if not tiles:
        return
    pdf.heading("Headline figures", 12, 1)
    gap = 4
    width = (pdf.epw - gap * (len(tiles) - 1)) / len(tiles)
    height = 52
    top = pdf.get_y()
    for number, tile in enumerate(tiles):
        x = pdf.l_margin + number * (width + gap)
        edge, _ = tag_colours(tile.kind)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, top, width, height)
        pdf.set_fill_color(*edge)
        pdf.rect(x, top, width, 1.5, style="F")
        pdf.set_xy(x + 2.5, top + 3)
        pdf.font(8.5, "B")
        pdf.multi_cell(width - 5, 3.8, printable(tile.label), align="L", max_line_height=3.8)
        pdf.set_xy(x + 2.5, top + 15.5)
        pdf.font(18 if len(tile.value) < 12 else 13, "B", NAVY)
        pdf.cell(width - 5, 8, printable(tile.value))
        pdf.set_xy(x + 2.5, top + 24)
        pdf.font(8, "", GREY)
        pdf.multi_cell(width - 5, 3.5, printable(f"{tile.period}. {tile.comparator}"), align="L")
        pdf.set_xy(x + 2.5, top + 33.5)
        pdf.font(8, "B")
        pdf.multi_cell(width - 5, 3.5, printable(tile.direction), align="L")
        pdf.tag(tile.kind, tile.tag, x + 2.5, top + height - 6.5, size=7)
    pdf.set_y(top + height + 5)


def chart_block(pdf: BriefingPDF, chart: ChartWithText, svg: bytes) -> None:
    match = re.search(rb'width="([\d.]+)" height="([\d.]+)"', svg)
    ratio = float(match.group(2)) / float(match.group(1)) if match else 0.5
    width = min(pdf.epw, pdf.chart_height / ratio)
    height = width * ratio
    pdf.font(9)
    text_lines = len(pdf.multi_cell(pdf.epw, 4.2, printable(chart.description), dry_run=True, output="LINES"))
    pdf.room(height + 22 + text_lines * 4.2)
    pdf.heading(headline(chart), 12, 0.5)
    pdf.paragraph(subtitle(chart), 8.5, colour=GREY, height=3.8)
    pdf.ln(1.5)
    top = pdf.get_y()
    x = pdf.l_margin
    for kind in tag_kinds(chart):
        x += pdf.tag(kind, tag_word(kind), x, top) + 2
    pdf.set_y(top + 6)
    pdf.image(io.BytesIO(svg_for_fpdf(svg)), x=pdf.l_margin, w=width, alt_text=printable(chart.description))
    pdf.ln(1)
    pdf.font(9, "B")
    pdf.cell(0, 4.5, "What this shows", new_x="LMARGIN", new_y="NEXT")
    pdf.paragraph(chart.description, 9, height=4.2)
    pdf.ln(5)


def table_block(pdf: BriefingPDF, title: str, table: pd.DataFrame) -> None:
    pdf.room(40)
    pdf.heading(title, 12, 1)
    widths = {"Indicator": 3.2, "Year": 1.1, "Status": 2.2, "Unit": 2.4}
    col_widths = [widths.get(c, 1.6) for c in table.columns]
    aligns = ["RIGHT" if c in NUMERIC_COLUMNS else "LEFT" for c in table.columns]
    pdf.font(8)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(*WHITE)
    with pdf.table(col_widths=col_widths, text_align=aligns, first_row_as_headings=True, line_height=4,
                   borders_layout="HORIZONTAL_LINES", headings_style=_heading_style(),
                   cell_fill_color=(245, 247, 250), cell_fill_mode="ROWS", padding=1) as grid:
        grid.row([printable(str(c)) for c in table.columns])
        for record in table.itertuples(index=False):
            row = grid.row()
            for column, value in zip(table.columns, record):
                text = NOT_AVAILABLE if is_missing(value) else printable(str(value))
                if column == "Status" and text.startswith(("ILLUSTRATIVE", "Calculated from ILLUSTRATIVE")):
                    pdf.font(8, "B")
                    row.cell(text)
                    pdf.font(8)
                else:
                    row.cell(text)
    pdf.ln(4)


def _heading_style() -> FontFace:
    return FontFace(family=FAMILY, emphasis="BOLD", color=WHITE, fill_color=NAVY)


def caveats_block(pdf: BriefingPDF, content: BriefingContent) -> None:
    pdf.room(30)
    pdf.heading("Reading these figures", 12, 1)
    for caveat in content.caveats:
        pdf.bullet(caveat, 9)
    pdf.ln(2)


def sources_block(pdf: BriefingPDF, content: BriefingContent) -> None:
    pdf.room(25)
    pdf.heading("Sources", 12, 1)
    for title, url in content.sources:
        pdf.room(10)
        pdf.font(9, "B")
        pdf.multi_cell(0, 4.2, printable(title), align="L", new_x="LMARGIN", new_y="NEXT")
        if url:
            pdf.font(8.5, "", NAVY)
            pdf.multi_cell(0, 4, printable(url), align="L", new_x="LMARGIN", new_y="NEXT",
                           link=url if url.startswith("http") else "", wrapmode=WrapMode.CHAR)
        pdf.ln(1.5)


def to_pdf(content: BriefingContent) -> bytes:
    """The A4 profile. Charts are drawn as large as the flow allows without leaving a near-empty last page:
    if the last page would be less than a quarter used, the pack is laid out again with smaller charts."""
    svgs = [chart_svg(chart) for chart in content.charts]  # rendered once, placed at any size
    for chart_height in CHART_HEIGHTS:
        pdf = layout_pdf(content, svgs, chart_height)
        if pdf.last_page_share() >= 0.25:
            break
    return bytes(pdf.output())


def layout_pdf(content: BriefingContent, svgs: list[bytes], chart_height: float) -> BriefingPDF:
    pdf = BriefingPDF(content)
    pdf.chart_height = chart_height
    pdf.add_page()
    title_block(pdf, content)
    status_box(pdf, content)
    tiles_row(pdf, content.tiles)
    pdf.heading("Key messages", 12, 1)
    for message in content.key_messages:
        pdf.bullet(message, 10)
    pdf.ln(3)
    caveats_block(pdf, content)
    for chart, svg in zip(content.charts, svgs):
        chart_block(pdf, chart, svg)
    table_block(pdf, content.table_title, content.table)
    sources_block(pdf, content)
    return pdf
