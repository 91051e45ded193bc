"""The benchmark and load-test scripts' own logic, on small inputs. Nothing here is timed or asserts a speed."""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, PAGES
from jsw_explorer.build import build
from jsw_explorer.config import QUERIES_DIR
from jsw_explorer.data_access import load_sql, open_read_only

sys.path.insert(0, str(APP_ROOT / "scripts"))
import benchmark  # noqa: E402
import load_test  # noqa: E402

TABLES = ("indicator", "period", "indicator_value", "evidence_item", "completeness")


def row_counts(database) -> dict[str, int]:
    with open_read_only(database) as connection:
        return {table: connection.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}


def workbook_value_count(database) -> int:
    sources = pd.read_csv(APP_ROOT / "data" / "published" / "provenance.csv", dtype=str)["source_id"].tolist()
    with open_read_only(database) as connection:
        return connection.execute("select count(*) from indicator_value where list_contains($sources, source_id)",
                                  {"sources": sources}).fetchone()[0]


def all_codes(database) -> list[str]:
    with open_read_only(database) as connection:
        return [row[0] for row in connection.execute("select gss_code from authority").fetchall()]


# The scaler's own logic at a smaller scale (3 indicator copies x 3 period copies, 100 item copies):
# the build's disclosure audit solves integer programs per hidden cell, so a full 100x build takes
# many minutes; `make benchmark` builds the full 100x dataset.
COPIES = SimpleNamespace(indicators=3, periods=3, items=100)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """The synthetic dataset written by the benchmark's generator and built by the real build."""
    work = tmp_path_factory.mktemp("scaled")
    counts = benchmark.scale_dataset(APP_ROOT / "data", work / "data", indicator_copies=COPIES.indicators,
                                     period_copies=COPIES.periods, item_copies=COPIES.items)
    return SimpleNamespace(data_dir=work / "data", counts=counts, database=build(work / "data", work / "jsw.duckdb"))


# --- percentile -----------------------------------------------------------------------------

def test_percentile_by_hand():
    assert benchmark.percentile([1, 2, 3, 4], 50) == 2.5
    assert benchmark.percentile([4, 1, 3, 2], 0) == 1
    assert benchmark.percentile([4, 1, 3, 2], 100) == 4
    assert benchmark.percentile([10, 20], 95) == pytest.approx(19.5)  # 10 + 0.95 * (20 - 10)
    assert benchmark.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        benchmark.percentile([], 50)


@pytest.mark.parametrize("size", [2, 5, 31, 200])
def test_percentile_agrees_with_numpy_linear_interpolation(size):
    values = list(np.random.default_rng(size).exponential(size=size))
    for q in (0, 25, 50, 90, 95, 99, 100):
        assert benchmark.percentile(values, q) == pytest.approx(np.percentile(values, q))


# --- discovery of queries and pages ---------------------------------------------------------

def test_the_benchmark_finds_every_query_and_parses_its_example(database):
    assert benchmark.query_files() == sorted(QUERIES_DIR.glob("*.sql")) and benchmark.query_files()
    codes = all_codes(database)
    for path in benchmark.query_files():
        sql = path.read_text(encoding="utf-8")
        params = benchmark.example_params(sql, codes)
        assert set(params) == benchmark.query_parameters(sql), path.stem
        for value in params.values():
            assert value != benchmark.ALL_AUTHORITIES, "the placeholder is expanded"
            if isinstance(value, list) and len(value) == 32:
                assert sorted(value) == sorted(codes)


def test_example_parser_refuses_a_query_without_an_example():
    with pytest.raises(ValueError):
        benchmark.example_params("-- Purpose\n--\n-- Returns: x\nselect 1 as x", [])


def test_query_timing_runs_every_query_once_on_the_real_data(database):
    results, baseline = benchmark.measure_queries(database, repeat=1)
    assert sorted(results) == sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))
    assert all(len(samples) == 1 for samples in results.values()) and len(baseline) == 1


def test_the_benchmark_opens_every_page_at_the_url_the_app_gives_it():
    assert benchmark.page_files() == [p for p in PAGES if p.stem not in benchmark.ADMIN_ONLY_PAGES]
    app = (APP_ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    for page in PAGES:
        path = benchmark.page_url_path(page)
        if page.stem == "overview":
            assert path == "/"
            assert re.search(r'"overview\.py".*default=True', app), "the overview is the default page"
        else:
            assert path == f"/{page.stem}"
            assert f'url_path="{page.stem}"' in app, f"streamlit_app.py gives {page.name} the url_path {page.stem!r}"


# --- the synthetic scaled dataset ------------------------------------------------------------

def test_scaled_dataset_builds_with_the_declared_multiples_of_the_rows(scaled, database):
    real, big = row_counts(database), row_counts(scaled.database)
    assert big["completeness"] == COPIES.items * real["completeness"]
    assert big["evidence_item"] == COPIES.items * real["evidence_item"]
    assert big["indicator"] == COPIES.indicators * real["indicator"]
    assert big["period"] == COPIES.periods * real["period"]
    # values read from the workbooks in data/published/ are not scaled (the scaler copies CSV rows)
    workbook_rows = workbook_value_count(database)
    assert workbook_value_count(scaled.database) == workbook_rows > 0
    copies = COPIES.indicators * COPIES.periods
    assert 0.8 * copies <= (big["indicator_value"] - workbook_rows) / (real["indicator_value"] - workbook_rows) <= 1.2 * copies


def test_scaled_files_match_the_reported_counts_and_keep_real_rows(scaled):
    for name, rows in scaled.counts.items():
        assert len(pd.read_csv(scaled.data_dir / name, dtype=str, keep_default_na=False)) == rows, name
        original = pd.read_csv(APP_ROOT / "data" / name, dtype=str, keep_default_na=False)
        copied = pd.read_csv(scaled.data_dir / name, dtype=str, keep_default_na=False).head(len(original))
        pd.testing.assert_frame_equal(copied, original)  # the real rows come first, unchanged


def test_synthetic_periods_are_financial_years_before_the_real_ones(scaled):
    real = pd.read_csv(APP_ROOT / "data" / "periods.csv", dtype=str)
    scaled_periods = pd.read_csv(scaled.data_dir / "periods.csv", dtype=str)
    synthetic = scaled_periods[~scaled_periods["period"].isin(real["period"])]
    assert len(synthetic) == (COPIES.periods - 1) * len(real)
    first_real_year = min(int(p[:4]) for p in real["period"])
    for period in synthetic["period"]:
        assert re.fullmatch(r"\d{4}-\d{2}", period)
        assert int(period[5:]) == (int(period[:4]) + 1) % 100
        assert int(period[:4]) < first_real_year


def test_every_query_example_still_returns_rows_at_scale(scaled):
    codes = all_codes(scaled.database)
    with open_read_only(scaled.database) as connection:
        for path in benchmark.query_files():
            sql = load_sql(path.stem)
            assert len(connection.execute(sql, benchmark.example_params(sql, codes)).df()) > 0, path.stem


# --- baselines, table, memory sampler -------------------------------------------------------

def test_empty_page_baselines_run_without_error(tmp_path):
    bare, shell = benchmark.write_empty_pages(tmp_path)
    assert sorted(p.name for p in (shell.parent / "pages").glob("*.py")) == sorted(p.name for p in PAGES)
    for script in (bare, shell):
        at = AppTest.from_file(str(script), default_timeout=60).run()
        assert not at.exception
        assert [t.value for t in at.title] == ["Empty page"]
    at = AppTest.from_file(str(shell), default_timeout=60).run()
    assert at.selectbox(key="group").label == "Peer group", "the shell keeps the app's sidebar filter"


def test_minimal_browser_page_has_a_peer_group_selectbox_like_the_app(tmp_path, database):
    script = tmp_path / "minimal.py"
    script.write_text(benchmark.MINIMAL_PAGE, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception
    app = AppTest.from_file(str(APP_ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert at.sidebar.selectbox[0].label == "Peer group"
    assert len(at.sidebar.selectbox[0].options) == len(app.selectbox(key="group").options)


def test_table_has_one_row_per_figure_and_lists_errors_under_it():
    figures = [
        benchmark.Figure("query 1x", "a", "p50 1 ms", "select 1", "2x / 3x", "p95 < 50 ms", True),
        benchmark.Figure("query 1x", "b", "p50 90 ms", "select 1", "90x / 90x", "p95 < 50 ms", False),
        benchmark.Figure("browser", "c", "p50 1 s", "minimal", "1x / 1x", errors=["page error: boom"]),
    ]
    lines = benchmark.format_table(figures).splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| section")]
    assert len(rows) == 3
    assert rows[0].endswith("| yes |") and rows[1].endswith("| **NO** |")
    assert "c [1]" in rows[2] and rows[2].endswith("| -, **ERRORS** |")
    assert "[1] page error: boom" in lines


def test_peak_rss_sampler_reads_this_process():
    import os

    with benchmark.PeakRss(os.getpid(), interval=0.01) as sampler:
        now = sampler.now()
    assert now > 0 and sampler.peak >= now


class FakePage:
    def __init__(self):
        self.handlers = {}

    def on(self, event, handler):
        self.handlers[event] = handler


def console_message(text, url, kind="error"):
    return SimpleNamespace(type=kind, text=text, location={"url": url})


def test_error_watch_ignores_only_streamlits_base_path_probes():
    page = FakePage()
    watch = benchmark.ErrorWatch(page)
    page.handlers["console"](console_message("404", "http://127.0.0.1:1/about/_stcore/health"))
    page.handlers["console"](console_message("404", "http://127.0.0.1:1/about/_stcore/host-config"))
    page.handlers["console"](console_message("just a warning", "http://127.0.0.1:1/", kind="warning"))
    assert watch.errors == []
    page.handlers["console"](console_message("TypeError: x is undefined", "http://127.0.0.1:1/static/js/main.js"))
    page.handlers["pageerror"](RuntimeError("Unrecognized data set: " + "ab" * 16))
    assert watch.errors == ["console error: TypeError: x is undefined", "page error: Unrecognized data set: <hash>"]


# --- load test ------------------------------------------------------------------------------

def test_every_session_tours_every_page_with_both_filter_changes():
    pages = [(p.stem, benchmark.page_url_path(p)) for p in PAGES]
    plans = [load_test.tour(pages, session) for session in range(10)]
    for plan in plans:
        assert len(plan) == 3 * len(pages)
        assert sorted({step[1] for step in plan}) == sorted(p.stem for p in PAGES)
        assert plan[0][0] == "first visit"
        for kind in ("peer group", "authority"):
            assert sorted(step[1] for step in plan if step[0] == kind) == sorted(p.stem for p in PAGES)
    assert len({plan[0][1] for plan in plans}) == min(len(pages), 10), "sessions start on different pages"


def record(session, errors=(), completed=True):
    steps = [("first visit", "overview", 2.0), ("peer group", "overview", 1.0), ("authority", "overview", 1.5)]
    return {"session": session, "steps": steps, "errors": list(errors), "completed": completed}


def test_load_summary_passes_only_when_every_session_completed_cleanly():
    rss = (100 * 2**20, 300 * 2**20, 250 * 2**20)
    text, ok = load_test.summarise([record(0), record(1)], 2, 3, rss, 12.0, ["overview"], server_cpu=(3.0, 12.0))
    assert ok and "Result: PASS" in text and "| 2 / 2 |" in text and "100 MB / 300 MB / 250 MB" in text
    assert "3.0 s in 12 s (25% of one core)" in text
    assert "| time to idle, peer group | p50 1.00 s, p95 1.00 s (2 steps) |" in text
    text, ok = load_test.summarise([record(0), record(1, errors=["peer group on overview: page error: x"])],
                                   2, 3, rss, 12.0, ["overview"])
    assert not ok and "Result: FAIL" in text and "1x peer group on overview: page error: x" in text
    _, ok = load_test.summarise([record(0)], 2, 3, rss, 12.0, ["overview"])
    assert not ok, "a session that gave no result is a failure"
    _, ok = load_test.summarise([record(0), record(1, completed=False)], 2, 3, rss, 12.0, ["overview"])
    assert not ok


def test_a_page_that_raises_is_reported_as_an_error_not_a_crash(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text('import streamlit as st\n\nraise ValueError("broken page")\n', encoding="utf-8")
    samples, errors = benchmark.measure_rerun(script, None, 2)
    assert len(samples) == 2
    assert len(errors) == 3 and all(e.startswith("exception on the page") for e in errors)  # warm-up + 2 timed
    assert benchmark.times([]) == "not measured" and benchmark.ratios([], [1.0]) == "n/a"


# --- the floor: a page's own output, redrawn with no query or chart code ---------------------

def test_page_output_lists_charts_tables_and_text_in_the_order_drawn():
    from streamlit.testing.v1 import AppTest

    def script():
        import altair as alt
        import pandas as pd
        import streamlit as st

        st.title("A page")
        frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
        st.vega_lite_chart(alt.Chart(frame).mark_bar().encode(x="x", y="y").to_dict(), width="stretch")
        st.markdown("**What this shows:** two bars.")
        st.dataframe(frame)
        st.vega_lite_chart(frame, {"mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}})

    at = AppTest.from_function(script).run()
    output = benchmark.page_output(at)
    assert [kind for kind, _ in output] == ["text", "chart", "text", "table", "chart"]
    assert output[1][1]["mark"]["type"] == "bar" and list(output[3][1]["y"]) == [3, 4]
    # rows Streamlit sends beside the spec (as Arrow) are put back inline, so the floor draws the same marks
    assert output[4][1]["data"]["values"] == [{"x": 1, "y": 3}, {"x": 2, "y": 4}]


def test_the_floor_app_redraws_a_captured_output_for_the_chosen_group(tmp_path, monkeypatch):
    import pickle

    from streamlit.testing.v1 import AppTest

    from jsw_explorer import served_files

    spec = {"mark": "bar", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    captured = {"Group A": [("text", "A page"), ("chart", spec)], "Group B": [("text", "B page")]}
    served = {"boundaries.json": '{"type": "Topology"}'}
    (tmp_path / "floor.pickle").write_bytes(pickle.dumps({"groups": captured, "served": served}))
    (tmp_path / "floor_page.py").write_text(benchmark.FLOOR_PAGE)
    monkeypatch.setenv("JSW_FLOOR_FILE", str(tmp_path / "floor.pickle"))
    monkeypatch.syspath_prepend(str(APP_ROOT))
    at = AppTest.from_file(str(tmp_path / "floor_page.py")).run()
    assert [m.value for m in at.markdown] == ["A page"] and len(at.get("vega_lite_chart")) == 1
    at.selectbox[0].select("Group B").run()
    assert [m.value for m in at.markdown] == ["B page"] and not at.get("vega_lite_chart")
    assert (served_files.folder() / "boundaries.json").read_text() == served["boundaries.json"]  # served alike
