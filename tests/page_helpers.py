"""AppTest helpers for pages with their own URL settings: open a page, read its charts and tables."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow
import pyarrow.ipc
from streamlit.testing.v1 import AppTest

from helpers import ENTRYPOINT
from jsw_explorer.status import ILLUSTRATIVE_PREFIX

GLOBAL_KEYS = {"authority", "group", "review", "period"}


def open_page(page: str, **params) -> AppTest:
    """Open the app with the global filter, then the page with its own settings in the URL.

    Page settings are added after the first run: on the first run of a session the Overview page
    reports URL keys it does not know, as it would for a link to the home page.
    """
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    for key, value in params.items():
        if key in GLOBAL_KEYS:
            at.query_params[key] = value
    at.run()
    for key, value in params.items():
        if key not in GLOBAL_KEYS:
            at.query_params[key] = value
    return at.switch_page(page).run()


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def inline_values(node) -> list[list[dict]]:
    """Every inline dataset ({"data": {"values": [...]}}) in a Vega-Lite spec, top level and layers."""
    found = []
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            found.append(data["values"])
        for value in node.values():
            found += inline_values(value)
    elif isinstance(node, list):
        for value in node:
            found += inline_values(value)
    return found


def chart_data(at: AppTest) -> list[pd.DataFrame]:
    """Per chart, the rows of all its datasets: inline in the spec (components.inline_spec), or sent
    beside it as Arrow."""
    frames = []
    for chart in at.get("vega_lite_chart"):
        parts = [pyarrow.ipc.open_stream(dataset.data.data).read_pandas() for dataset in chart.proto.datasets]
        if chart.proto.data.data:  # the top-level data, which Streamlit sends as Arrow beside the spec
            parts.append(pyarrow.ipc.open_stream(chart.proto.data.data).read_pandas())
        parts += [pd.DataFrame(values) for values in inline_values(json.loads(chart.proto.spec)) if values]
        distinct = {}  # layers that share one dataset each carry a copy of it inline: count it once
        for part in parts:
            distinct.setdefault(part.reset_index(drop=True).astype(str).to_json(), part)
        parts = list(distinct.values())
        frames.append(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame())
    return frames


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all these columns."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def descriptions(at: AppTest) -> list[str]:
    """Each chart's "What this shows" text, without the status prefix (checked by test_status_labels)."""
    return [m.value.removeprefix("**What this shows:** ").removeprefix(ILLUSTRATIVE_PREFIX)
            for m in at.markdown if m.value.startswith("**What this shows:**")]


def link_notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "link" in w.value]


def headline_of(spec: dict) -> str:
    """A chart's headline message (drawn on wrapped lines) as one string, without the status prefix
    ("Illustrative data: ") that tests/test_status_labels.py checks on its own."""
    text = spec["title"]["text"]
    return (" ".join(text) if isinstance(text, list) else text).removeprefix(ILLUSTRATIVE_PREFIX)
