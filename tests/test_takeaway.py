"""Tables for people, files for machines, and no character in the data can break a download.

Screens and Excel show human labels and numbers formatted by unit; CSV keeps tidy machine names plus a
status on every row. Every writer (CSV, XLSX, PDF, PPTX, chart images) removes control, bidirectional and
zero-width characters (jsw_explorer.safe_text.printable).
"""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from briefing_support import authority_content, authority_inputs
from jsw_explorer.briefing import to_pdf, to_pptx
from jsw_explorer.components import column_config, with_not_available
from jsw_explorer.downloads import chart_to_png, chart_to_svg, to_csv_bytes, to_xlsx_bytes
from jsw_explorer.safe_text import has_unsafe
from jsw_explorer.tables import COLUMN_LABELS, label, unit_kind
from page_helpers import open_page

NASTY = "Fife\x07\x1b[31m\u202e\u200bCouncil"  # bell, escape sequence, right-to-left override, zero-width space
CLEANED = "Fife[31mCouncil"  # what is left: printable text only


def indicators(database) -> pd.DataFrame:
    return authority_inputs(database)["indicators"]


# --- screen ----------------------------------------------------------------------------------

def test_screen_tables_show_not_available_and_c_never_none():
    frame = pd.DataFrame({"indicator": ["A", "B", "C"], "unit": ["orders", "percent", "orders"],
                          "value": [16500.0, None, None], "suppressed": [False, False, True],
                          "numerator": [1200.0, None, 3.0]})
    shown = with_not_available(frame)
    assert list(shown.columns) == list(frame.columns), "machine names stay: column_config carries the labels"
    assert shown["value"].tolist() == ["16,500", "not available", "[c]"]
    assert shown["numerator"].tolist() == ["1,200", "not available", "3"]
    assert "None" not in shown.astype(str).to_numpy().ravel()


def test_screen_columns_get_human_labels_with_units():
    frame = pd.DataFrame({"gss_code": ["S1"], "rank_highest_first": [3], "score": [45.26], "source_kind": ["published"],
                          "family_group_people": [2]})
    config = column_config(frame)
    labels = {column: spec["label"] for column, spec in config.items()}
    assert labels == {"gss_code": "Area code", "rank_highest_first": "Rank (1 = highest)",
                      "score": "Completeness score (0-100)", "source_kind": "Data status",
                      "family_group_people": "Family group (people services)"}
    assert config["score"]["type_config"]["format"] == "%.1f"
    assert config["rank_highest_first"]["type_config"]["format"] == "localized"


def test_chart_data_tabs_show_human_labels_on_the_profile_page():
    at = open_page("pages/profile.py", profile="S12000045")
    assert not at.exception
    configs = [json.loads(df.proto.columns) for df in at.dataframe if df.proto.columns]
    labelled = {spec.get("label") for config in configs for spec in config.values()}
    assert {"Evidence domain", "Data status"} <= labelled
    assert not any(column in labelled for column in ("gss_code", "source_kind", "rank_highest_first"))


# --- files -----------------------------------------------------------------------------------

def test_csv_keeps_machine_names_and_a_status_on_every_row(database):
    frame = indicators(database)
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert list(back.columns[:-1]) == list(frame.columns) and back.columns[-1] == "status"
    assert back["status"].notna().all() and back["status"].tolist() == frame["source_kind"].tolist()
    no_status = pd.read_csv(io.BytesIO(to_csv_bytes(pd.DataFrame({"a": [1, 2]}))), encoding="utf-8-sig")
    assert no_status["status"].tolist() == ["unknown", "unknown"]


def test_xlsx_has_human_labels_frozen_header_number_formats_by_unit_and_a_notes_sheet(database):
    frame = indicators(database)[["indicator", "unit", "period", "value", "numerator", "rank_highest_first",
                                  "scotland_value", "source_kind", "source_title"]]
    sources = authority_inputs(database)["sources"]
    frame = frame.merge(sources[["title", "url"]].rename(columns={"title": "source_title", "url": "source_url"}),
                        on="source_title", how="left")
    book = load_workbook(io.BytesIO(to_xlsx_bytes({"indicators": frame}, ["Outcome indicators", "Status: mixed"])))
    sheet = book["indicators"]
    headers = [c.value for c in sheet[1]]
    assert headers == [label(c) for c in frame.columns]
    assert "Rank (1 = highest)" in headers and "rank_highest_first" not in headers
    assert sheet.freeze_panes == "A2"
    value_column = headers.index("Value") + 1
    for row_number, unit in enumerate(frame["unit"], start=2):
        cell = sheet.cell(row=row_number, column=value_column)
        expected = {"count": "#,##0", "percent": '0.0"%"', "rate": "#,##0.0"}[unit_kind(unit)]
        assert cell.number_format == expected, (unit, cell.number_format)
        assert isinstance(cell.value, (int, float))  # numbers stay numbers
    rank = sheet.cell(row=2, column=headers.index("Rank (1 = highest)") + 1)
    assert rank.number_format == "#,##0"
    notes = [" ".join(str(v) for v in row if v is not None) for row in book["Notes"].iter_rows(values_only=True)]
    text = "\n".join(notes)
    assert notes[0] == "Outcome indicators" and "Status: mixed" in text
    for url in frame["source_url"].dropna().unique():
        assert url in text, "sources are listed with their full web address"
    assert "Rank (1 = highest) rank_highest_first" in text, "definitions map each label to its CSV name"


def test_every_column_the_profile_shows_has_a_human_label(database):
    frame = indicators(database)
    unlabelled = [c for c in frame.columns if c not in COLUMN_LABELS]
    assert all(label(c)[0].isupper() and "_" not in label(c) for c in unlabelled)


# --- no character breaks a download ------------------------------------------------------------

def test_control_characters_never_reach_any_file(database):
    frame = pd.DataFrame({"authority\x07": [NASTY, "=SUM(A1)\x1b"], "value": [1.5, 2.0],
                          "source_kind": ["illustrative", "published"]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert not has_unsafe(csv_text.replace("\n", "").replace("\r", ""))
    assert CLEANED in csv_text

    book = load_workbook(io.BytesIO(to_xlsx_bytes({"data\x07": frame}, [f"Notes {NASTY}"])))  # would raise
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert cells and not any(has_unsafe(c) for c in cells)

    content = authority_content(database)
    content.title += NASTY
    content.key_messages = [NASTY, *content.key_messages]
    content.sources = [(NASTY, "https://example.org/\x07x"), *content.sources]
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(content))).pages)
    assert CLEANED in pdf_text and not has_unsafe(pdf_text.replace("\n", ""))
    deck = Presentation(io.BytesIO(to_pptx(content)))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    texts += [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert any(CLEANED in t for t in texts)
    assert not any(has_unsafe(t.replace("\n", "").replace("\x0b", "")) for t in texts)
    with zipfile.ZipFile(io.BytesIO(to_pptx(content))) as archive:
        assert not any(has_unsafe(archive.read(n).decode("utf-8", "ignore").replace("\n", "").replace("\r", "")
                                  .replace("\t", "")) for n in archive.namelist() if n.endswith(".xml"))

    spec = json.dumps({"data": {"values": [{"a": NASTY, "b": 1}]}, "mark": "bar", "title": f"Title {NASTY}",
                       "encoding": {"x": {"field": "b", "type": "quantitative"}, "y": {"field": "a", "type": "nominal"}}})
    svg = chart_to_svg(spec).decode()
    assert CLEANED in svg and not has_unsafe(svg.replace("\n", ""))
    assert chart_to_png(spec)[:4] == b"\x89PNG"


@pytest.mark.parametrize("unit, value, text", [("orders", 16500.0, "16,500"), ("orders", 1320000.0, "1,320,000"),
                                                ("percent of CPOs", 81.46, "81.5%"),
                                                ("CPOs per 10 000 population aged 16-70", 36.14,
                                                 "36.1 per 10 000 population aged 16-70")])
def test_numbers_are_formatted_by_unit(unit, value, text):
    from jsw_explorer.tables import format_by_unit

    assert format_by_unit(value, unit) == text
