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
    assert "source_url" in result.data and "source_url" in result.shown  # the Data tab keeps every column


def test_a_map_keeps_only_the_feature_properties_it_names():
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.2, 56.2]},
                 "properties": {"authority": "Fife", "value": 41.0, "note": "not drawn"}}]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape().encode(
        color="properties.value:Q", tooltip=[alt.Tooltip("properties.authority:N")])
    spec = inline_spec(chart)
    assert spec["data"]["values"][0]["properties"] == {"authority": "Fife", "value": 41.0}
    assert svg(spec) == svg(chart.to_dict())
