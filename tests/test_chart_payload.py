"""What a chart sends to the browser: rows drawn by several layers once, and only the fields the spec uses.

Both cuts must leave the drawing unchanged: the trimmed spec renders to the same SVG as Altair's own.
"""

from __future__ import annotations

import copy
import json
import re

import altair as alt
import pandas as pd
import vl_convert as vlc

from jsw_explorer.charts.common import ChartWithText
from jsw_explorer.components import built, inline_spec, share_layer_rows

ROWS = pd.DataFrame({
    "authority": ["Fife", "Angus", "Moray"],
    "value": [41.0, 12.5, None],
    "value_text": ["41.0", "12.5", "not available"],
    "Share of items": [0.5, 0.25, 0.0],
    "source_url": ["https://example.org/a-very-long-address"] * 3,
    "note": ["a long note nobody draws"] * 3,
})


def layered_chart() -> alt.LayerChart:
    base = alt.Chart(ROWS)
    bars = base.mark_bar().encode(y="authority:N", x="value:Q",
                                  tooltip=[alt.Tooltip("value_text:N"), alt.Tooltip("Share of items:Q")])
    missing = base.transform_filter("!isValid(datum['value'])").mark_text(text="n/a").encode(y="authority:N")
    line = alt.Chart(pd.DataFrame({"value": [20.0]})).mark_rule().encode(x="value:Q")
    return alt.layer(bars, missing, line)


def svg(spec: dict) -> str:
    """The drawing, with the renderer's running gradient numbers taken out (they differ call to call)."""
    return re.sub(r"(gradient_|clip)\d+", "id", vlc.vegalite_to_svg(json.dumps(spec)))


def test_rows_shared_by_layers_are_sent_once_at_the_top_and_a_layer_with_its_own_rows_keeps_them():
    spec = inline_spec(layered_chart())
    assert len(spec["data"]["values"]) == 3
    assert [("data" in layer) for layer in spec["layer"]] == [False, False, True]
    assert spec["layer"][2]["data"]["values"] == [{"value": 20.0}]


def test_rows_already_at_the_top_move_down_to_their_layers_when_most_layers_draw_other_rows():
    datasets = {"few": [{"value": 20.0}, {"value": 30.0}], "many": ROWS[["authority", "value"]].dropna().to_dict("records")}
    rule = {"mark": "rule", "encoding": {"x": {"field": "value", "type": "quantitative"}}}
    point = {"data": {"name": "many"}, "mark": "point",
             "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": {"field": "authority", "type": "nominal"}}}
    before = {"data": {"name": "few"}, "layer": [rule, {**rule, "mark": "tick"}, point, point, point]}
    after = copy.deepcopy(before)
    share_layer_rows(after, datasets)
    assert after["data"] == {"name": "many"}
    assert [layer.get("data") for layer in after["layer"]] == [{"name": "few"}] * 2 + [None] * 3
    assert svg({**after, "datasets": datasets}) == svg({**before, "datasets": datasets})


def test_a_layer_without_rows_is_never_given_rows():
    spec = {"layer": [{"data": {"name": "many"}, "mark": "point"}] * 2 + [{"mark": "rule"}]}
    share_layer_rows(spec, {"many": [{"value": 1}]})
    assert "data" not in spec and "data" not in spec["layer"][2]


def test_only_fields_the_spec_names_are_sent_including_tooltips_expressions_and_names_with_spaces():
    spec = inline_spec(layered_chart())
    assert set(spec["data"]["values"][0]) == {"authority", "value", "value_text", "Share of items"}


def test_the_trimmed_spec_draws_exactly_what_altair_draws():
    chart = layered_chart()
    result = built(ChartWithText(chart, "three authorities", ROWS))
    assert result.values is not None  # the shared rows travel as Arrow beside the spec
    assert svg(result.full_spec()) == svg(chart.to_dict())
    assert "source_url" in result.data and "source_url" in result.screen.rows.column_names  # the Data tab keeps every column


def test_a_map_keeps_only_the_feature_properties_it_names():
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.2, 56.2]},
                 "properties": {"authority": "Fife", "value": 41.0, "note": "not drawn"}}]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape().encode(
        color="properties.value:Q", tooltip=[alt.Tooltip("properties.authority:N")])
    spec = inline_spec(chart)
    assert spec["data"]["values"][0]["properties"] == {"authority": "Fife", "value": 41.0}
    assert svg(spec) == svg(chart.to_dict())


# --- Data served by address (the map's boundaries) ------------------------------------------------------

def boundary_chart(topology_text: str) -> alt.LayerChart:
    """A choropleth as charts.outcome_maps draws one: a TopoJSON text with codes, values looked up by code."""
    geo = alt.Data(values=topology_text, format=alt.DataFormat(type="topojson", feature="areas"))
    rows = pd.DataFrame({"gss_code": ["A", "B"], "value": [1.0, 2.0]})
    shapes = alt.Chart().mark_geoshape().encode(color="value:Q")
    return alt.layer(shapes, data=geo).transform_lookup(
        lookup="properties.gss_code", from_=alt.LookupData(data=rows, key="gss_code", fields=["value"]))


def square_topology(padding_areas: int) -> str:
    from jsw_explorer.map_topology import as_topology

    features = [{"type": "Feature", "properties": {"gss_code": code},
                 "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]}}
                for x, code in enumerate(["A", "B"] + [f"P{i}" for i in range(padding_areas)])]
    return json.dumps(as_topology(features), separators=(",", ":"))


def test_large_text_data_goes_by_address_and_comes_back_inline_for_image_files():
    from jsw_explorer import served_files
    from jsw_explorer.components import SERVED_MIN_CHARS

    text = square_topology(400)
    assert len(text) >= SERVED_MIN_CHARS
    chart = boundary_chart(text)
    result = built(ChartWithText(chart, "two areas", pd.DataFrame({"gss_code": ["A", "B"]})))
    name = served_files.file_name(text)
    assert result.files == {name: text}
    assert result.spec["data"] == {"url": f"/component/{served_files.COMPONENT_NAME}/{name}",
                                   "format": {"type": "topojson", "feature": "areas"}}
    assert text not in json.dumps(result.spec)  # the browser's spec no longer carries the boundaries
    assert result.full_spec()["data"]["values"] == text
    assert svg(result.full_spec()) == svg(chart.to_dict())


def test_small_text_data_stays_inline():
    result = built(ChartWithText(boundary_chart(square_topology(0)), "two areas", pd.DataFrame()))
    assert result.files is None and isinstance(result.spec["data"]["values"], str)


def test_a_served_file_is_written_whole_under_its_content_name_and_the_address_follows_the_base_path(monkeypatch):
    from streamlit import config

    from jsw_explorer import served_files

    text = square_topology(3)
    name = served_files.file_name(text)
    served_files.serve({name: text})
    served_files.serve({name: text})  # a second run finds it there
    assert (served_files.folder() / name).read_text(encoding="utf-8") == text
    assert not list(served_files.folder().glob("*.partial"))
    assert served_files.address(name).startswith("/component/")
    monkeypatch.setattr(config, "get_option", lambda key: "/explorer/" if key == "server.baseUrlPath" else None)
    assert served_files.address(name) == f"/explorer/component/{served_files.COMPONENT_NAME}/{name}"
