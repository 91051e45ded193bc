"""The briefing pack and the Excel download opened by a real office suite (LibreOffice, headless).

Each file is converted to PDF once per module; the tests read the converted text (native charts and
tables render as text), measure how empty each page is from its image, and check every slide title
lies inside its box. Page images go to tests/artifacts/ for a person to look at. LibreOffice is given
the project's fonts through a private fontconfig file and runs with its own profile directory, so it
neither depends on nor disturbs the machine's fonts or another LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation

from briefing_support import authority_content, authority_inputs
from helpers import APP_ROOT
from jsw_explorer.briefing import TITLE_BOX, headline, subtitle, to_pdf, to_pptx
from jsw_explorer.downloads import to_xlsx_bytes
from jsw_explorer.fonts import FONT_DIR
from jsw_explorer.tables import format_count

pytestmark = pytest.mark.office

ARTIFACTS = APP_ROOT / "tests" / "artifacts"
MAX_EMPTY_SHARE = 0.85
EMU_PER_POINT = 12700


def require(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is needed for the office tests (Debian: libreoffice-impress, libreoffice-calc, poppler-utils)"
    return path


def convert_to_pdf(source: Path, workdir: Path) -> Path:
    """source -> PDF with LibreOffice headless, the project's fonts available."""
    workdir.mkdir(parents=True, exist_ok=True)
    fonts_conf = workdir / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONT_DIR}</dir>\n  <cachedir>{workdir / 'fontcache'}</cachedir>\n</fontconfig>\n")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf), "HOME": str(workdir)}
    subprocess.run([require("soffice"), "--headless", "--norestore", f"-env:UserInstallation=file://{workdir}/profile",
                    "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
                   check=True, capture_output=True, timeout=300, env=env)
    converted = workdir / (source.stem + ".pdf")
    assert converted.exists(), f"LibreOffice did not convert {source.name}"
    return converted


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext), whitespace collapsed."""
    out = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def page_images(pdf: Path, stem: str, dpi: int = 50) -> list[Path]:
    """Page images (pdftoppm) saved to tests/artifacts/, for the tests and for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run([require("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(ARTIFACTS / stem)], check=True)
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


def empty_share(image: Path) -> float:
    """Share of the page's pixel rows with no ink at all: a page whose content fills a strip is mostly empty."""
    grey = np.asarray(Image.open(image).convert("L"))
    return float((grey.min(axis=1) > 235).mean())


def words_with_boxes(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in points, from pdftotext -bbox."""
    import html
    import re

    out = subprocess.run([require("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(html.unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


@pytest.fixture(scope="module")
def office(database, tmp_path_factory):
    """The briefing (PDF, PPTX) and an indicator workbook, each converted once."""
    workdir = tmp_path_factory.mktemp("office")
    content = authority_content(database)
    timings = {}
    started = time.perf_counter()
    pdf_bytes = to_pdf(content)
    timings["pdf"] = time.perf_counter() - started
    started = time.perf_counter()
    pptx_bytes = to_pptx(content)
    timings["pptx"] = time.perf_counter() - started
    briefing_pdf = workdir / "briefing.pdf"
    briefing_pdf.write_bytes(pdf_bytes)
    deck = workdir / "briefing.pptx"
    deck.write_bytes(pptx_bytes)
    indicators = authority_inputs(database)["indicators"]
    workbook = workdir / "indicators.xlsx"
    workbook.write_bytes(to_xlsx_bytes({"indicators": indicators[["indicator", "unit", "period", "value",
                                                                  "rank_highest_first", "source_kind"]]},
                                       ["Outcome indicators, East Dunbartonshire", "Status: see each row"]))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(briefing_pdf, ARTIFACTS / "briefing.pdf")
    shutil.copy(deck, ARTIFACTS / "briefing.pptx")
    (ARTIFACTS / "briefing-timings.txt").write_text(
        f"PDF {len(pdf_bytes) / 1024:.0f} KB in {timings['pdf']:.2f} s; "
        f"PPTX {len(pptx_bytes) / 1024:.0f} KB in {timings['pptx']:.2f} s\n")
    converted = {"deck": convert_to_pdf(deck, workdir / "deck"), "workbook": convert_to_pdf(workbook, workdir / "xlsx")}
    return {"content": content, "pdf": briefing_pdf, "pptx": deck, "indicators": indicators, **converted}


def test_slides_show_chart_titles_axis_labels_and_values_as_text(office):
    content = office["content"]
    pages = pdf_text(office["deck"])
    assert len(pages) == len(Presentation(office["pptx"]).slides)
    text = " ".join(pages)
    for chart in content.charts:
        assert " ".join(headline(chart).split()) in text  # the slide title
        assert " ".join(subtitle(chart).split()[:5]) in text  # the native chart's own title
    assert "Completeness score (0-100)" in text and "Evidence domain" in text  # axis titles of a native chart
    assert "Financial year" in text
    completeness = content.charts[0].data
    for score in completeness["score"]:
        assert f"{score:.0f}" in text.split()  # data labels drawn by the office suite from the embedded data
    for tile in content.tiles:
        assert tile.value in text


def test_no_slide_title_overflows_its_box(office):
    deck = Presentation(office["pptx"])
    left, top, width, height = (v / EMU_PER_POINT for v in TITLE_BOX)
    for number, slide in enumerate(deck.slides, start=1):
        title_words = slide.shapes.title.text_frame.text.split()
        words = words_with_boxes(office["deck"], number)
        placed = [w for w in words if w[2] < top + height + 20][:len(title_words)]
        assert [w[0] for w in placed] == title_words, f"slide {number}: title not found where it belongs"
        for word, x_min, y_min, x_max, y_max in placed:
            assert x_min >= left - 1 and x_max <= left + width + 1, f"slide {number}: {word!r} runs off the side"
            assert y_min >= top - 1 and y_max <= top + height + 1, f"slide {number}: {word!r} runs below the box"


def test_no_page_of_the_pdf_or_slide_is_more_than_85_percent_empty(office):
    for stem, pdf in (("briefing-page", office["pdf"]), ("briefing-slide", office["deck"])):
        images = page_images(pdf, stem)
        assert images
        shares = {image.name: round(empty_share(image), 2) for image in images}
        assert all(share <= MAX_EMPTY_SHARE for share in shares.values()), shares


def test_the_workbook_opens_with_human_labels_and_formatted_numbers(office):
    text = " ".join(pdf_text(office["workbook"]))
    page_images(office["workbook"], "workbook-page")
    assert "Rank (1 = highest)" in text and "Indicator" in text and "Data status" in text
    assert "rank_highest_first" in text, "the Notes sheet maps labels to CSV names"
    indicators = office["indicators"]
    counts = indicators[indicators["unit"].isin(["orders", "hours"]) & indicators["value"].ge(1000)]
    for value in counts["value"]:
        assert format_count(value) in text  # thousands separators from the cell's number format
