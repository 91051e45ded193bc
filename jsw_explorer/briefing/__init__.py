"""The leadership briefing pack: an A4 area profile (PDF, fpdf2) and an editable 16:9 deck (PowerPoint,
python-pptx), both drawn from one BriefingContent.

  content       what the pack says: status line, headline tiles, key messages, tables, sources, caveats
  chart_text    what the pack reads from a chart: headline, subtitle, status tags
  style         the colours both formats share
  pdf           the A4 profile, with vector charts
  deck          the deck's slides, in order
  deck_shapes   slide geometry, fitted titles, text boxes, alt text
  deck_charts   native PowerPoint charts with their data embedded

Importing this package loads fpdf2 and python-pptx: pages import it only when a pack is made.
"""

from jsw_explorer.briefing.chart_text import headline, subtitle
from jsw_explorer.briefing.content import (BriefingContent, authority_briefing, authority_tiles, by_status,
                                           indicator_table, lead_trend, scotland_briefing, scotland_key_messages,
                                           scotland_tiles)
from jsw_explorer.briefing.deck import PPTX_MIME, to_pptx
from jsw_explorer.briefing.deck_shapes import TITLE_BOX, TITLE_SIZES, fit_title, text_width_pt
from jsw_explorer.briefing.pdf import chart_svg, svg_for_fpdf, to_pdf

__all__ = ["PPTX_MIME", "TITLE_BOX", "TITLE_SIZES", "BriefingContent", "authority_briefing", "authority_tiles",
           "by_status", "chart_svg", "fit_title", "headline", "indicator_table", "lead_trend", "scotland_briefing",
           "scotland_key_messages", "scotland_tiles", "subtitle", "svg_for_fpdf", "text_width_pt", "to_pdf",
           "to_pptx"]
