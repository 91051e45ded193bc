"""Downloads open and are safe: CSV parses, XLSX keeps formula-like text as text, PNG/SVG are images."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from helpers import ENTRYPOINT
from jsw_explorer.charts.common import titled
from jsw_explorer.components import export_spec
from jsw_explorer.downloads import chart_spec, chart_to_png, chart_to_svg, to_csv_bytes, to_xlsx_bytes

HOSTILE = pd.DataFrame({
    "authority": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "Fife"],
    "value": [1, 2.5, -3, 4, 5, 6],
    "source_kind": ["illustrative"] * 6,
})


def test_csv_neutralises_formula_like_text_and_keeps_numbers():
    frame = pd.read_csv(io.BytesIO(to_csv_bytes(HOSTILE)), encoding="utf-8-sig")
    assert all(v.startswith("'") for v in frame["authority"][:5])
    assert frame["authority"].iloc[5] == "Fife"
    assert frame["value"].tolist() == [1, 2.5, -3, 4, 5, 6]


def test_xlsx_stores_formula_like_text_as_text_and_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes({"data": HOSTILE}, ["ILLUSTRATIVE"])))
    assert workbook.sheetnames == ["Notes", "data"]
    sheet = workbook["data"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert [c.value for c in cells] == HOSTILE["authority"].tolist()
    assert all(c.data_type == "s" for c in cells), "formula-like text must not be stored as a formula"
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == [1, 2.5, -3, 4, 5, 6]
    assert workbook["Notes"]["A1"].value == "ILLUSTRATIVE"


def sample_chart():
    data = pd.DataFrame({"period": ["2022-23", "2023-24"], "value": [10, 12]})
    return titled(alt.Chart(data).mark_bar().encode(x="period", y="value"), "Headline", "Subtitle", "Description")


def test_png_and_svg_are_valid_images_of_plausible_size():
    spec = chart_spec(sample_chart())
    png = chart_to_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 2_000 < len(png) < 2_000_000
    svg = chart_to_svg(spec)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg") and 1_000 < len(svg) < 2_000_000


def test_exported_images_carry_the_illustrative_status():
    spec = export_spec(sample_chart(), HOSTILE)
    assert "Generated, not real data" in spec
    assert "Generated, not real data" in chart_to_svg(spec).decode()


def test_overview_offers_csv_and_excel_for_each_chart_and_images_on_request():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download table (CSV)") >= 3 and labels.count("Download table (Excel)") >= 3
    assert "Download chart (PNG)" not in labels
    at.toggle(key="images-scotland-cpo-commenced").set_value(True).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download chart (PNG)" in labels and "Download chart (SVG)" in labels


def test_the_whole_dataset_downloads_as_a_workbook_and_a_csv_zip(database):
    import zipfile

    from jsw_explorer.bulk import EXPORT_QUERIES, csv_zip, workbook
    from jsw_explorer.data_access import load_sql, open_read_only

    with open_read_only(database) as connection:
        tables = {sheet: connection.execute(load_sql(q), {}).df() for sheet, q in EXPORT_QUERIES.items()}
        expected_values = connection.execute("select count(*) from indicator_value").fetchone()[0]
    book = load_workbook(io.BytesIO(workbook(tables, "today")), read_only=True)
    assert book.sheetnames == ["Notes", *EXPORT_QUERIES]
    assert book["indicator_values"].max_row == expected_values + 1
    dictionary = pd.DataFrame(book["data_dictionary"].values)
    assert ("indicator_value", "method") in set(zip(dictionary[0], dictionary[1]))
    assert dictionary[4].astype(str).str.contains("calculated by this tool").any()
    archive = zipfile.ZipFile(io.BytesIO(csv_zip(tables, "today")))
    assert "README.txt" in archive.namelist() and "sources.csv" in archive.namelist()
    values = pd.read_csv(archive.open("indicator_values.csv"), encoding="utf-8-sig")
    assert len(values) == expected_values and set(values["source_kind"]) >= {"published", "illustrative"}


def test_about_page_prepares_the_bulk_download():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60).switch_page("pages/about.py").run()
    at.button[0].click().run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download everything (Excel)" in labels and "Download everything (CSV zip)" in labels
