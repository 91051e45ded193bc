"""Performance benchmark: one table of figures, each a ratio against a baseline measured in the same run.

Run `make benchmark` (or `python scripts/benchmark.py [--quick]`). It is run on demand, not in the
test gate: timings depend on the machine and on what else it is doing. Pages and queries are
discovered from pages/*.py and queries/*.sql, so new ones are measured without edits here.

Figures (README, "Benchmark and load test", says what each means), each against a same-run baseline:
- database build vs reading the same CSVs with pandas;
- p50/p95 of every query on a read-only DuckDB connection with its header's example parameters, at
  1x and on a synthetic ~100x dataset, vs `select 1`; target p95 < 20 ms;
- every page's FLOOR: a minimal app that draws the page's own final output (chart specs, tables, text,
  captured with AppTest for every peer group), with no query or chart code;
- warm server-side rerun of every page (AppTest) vs its floor's; target p50 <= 2x;
- in Chromium, timed inside the page from the click to its last change before it goes quiet (no
  fixed settle wait): navigation, and a sidebar "Peer group" change, vs the page's floor; target
  p95 < 0.5 s and <= 1.5x the floor's p95;
- the bytes of each page's first visit (websocket, plus data fetched by address as sent); target for
  Outcomes < 150 KiB;
- cold start (process start to the first settled page) and memory after start vs a minimal app;
  targets <= 1.2x and <= 2x.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
for _path in (APP_ROOT, APP_ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import pandas as pd  # noqa: E402

from jsw_explorer.config import QUERIES_DIR  # noqa: E402
from jsw_explorer.data_access import ALL_AUTHORITIES, example_params, query_parameters  # noqa: E402, F401 (the query header: one home)

ENTRYPOINT = APP_ROOT / "streamlit_app.py"
PAGES_DIR = APP_ROOT / "pages"
RESULTS_DIR = APP_ROOT / "benchmark-results"
SYNTHETIC_SOURCE = "illustrative-generator"

QUERY_P95_TARGET_MS = 20.0          # every interactive query, at 100x data too
RERUN_FLOOR_RATIO_TARGET = 2.0      # a page's warm rerun against its floor's
CHANGE_FLOOR_RATIO_TARGET = 1.5     # a page's filter change to idle (p95) against its floor's
FILTER_P95_TARGET_S = 0.5           # every filter change, absolute
COLD_START_RATIO_TARGET = 1.2       # server start to first idle page, against the minimal page's
MEMORY_RATIO_TARGET = 2.0           # server memory after start, against the minimal page's
FIRST_VISIT_PAYLOAD_TARGET_KIB = {"outcomes": 150}

# The baseline pages. EMPTY_PAGE is the server-side baseline for AppTest reruns. MINIMAL_PAGE is the
# browser baseline: it is served by `streamlit run` exactly like the app, applies the app's
# accessibility script (which is also what tests/browser_support.wait_idle waits for) and has a
# sidebar "Peer group" selectbox with as many options as the app's, so a filter change can be timed
# the same way.
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Empty page")\n'
MINIMAL_PAGE = '''import streamlit as st

from jsw_explorer.accessibility import apply_accessibility_fixes

st.set_page_config(page_title="Minimal page", layout="wide")
apply_accessibility_fixes()
group = st.sidebar.selectbox("Peer group", [f"Group {n}" for n in range(9)])
st.title("Minimal page")
st.write(f"Peer group: {group}")
'''

# The floor of a page: a minimal app that draws the page's own final output (chart specs, tables,
# text), captured beforehand for every peer group, with no query or chart code. It has the same
# sidebar "Peer group" box, so a change redraws exactly what the page redraws. FLOOR_PAGE reads the
# captured output from the pickle named by JSW_FLOOR_FILE: {"groups": {label: output}, "served": files},
# where `served` are the files the page's specs fetch by address (the map's boundaries), served alike.
FLOOR_PAGE = '''import os
import pickle

import streamlit as st

from jsw_explorer.accessibility import apply_accessibility_fixes
from jsw_explorer.served_files import serve


@st.cache_resource
def captured():
    with open(os.environ["JSW_FLOOR_FILE"], "rb") as file:
        return pickle.load(file)


st.set_page_config(page_title="Floor", layout="wide")
apply_accessibility_fixes()
output = captured()
serve(output["served"])
group = st.sidebar.selectbox("Peer group", list(output["groups"]))
for kind, payload in output["groups"][group]:
    if kind == "chart":
        st.vega_lite_chart(payload, width="stretch")
    elif kind == "table":
        st.dataframe(payload, hide_index=True, width="stretch")
    else:
        st.markdown(payload)
'''


# --- Pure helpers (tests/test_benchmark_scripts.py checks them) -----------------------------

def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# Pages only an administrator sees (not in the navigation otherwise): measured by the import tests, not here.
ADMIN_ONLY_PAGES = {"load_data"}


def page_files() -> list[Path]:
    return sorted(p for p in PAGES_DIR.glob("*.py") if p.stem not in ADMIN_ONLY_PAGES)


def page_url_path(page: Path) -> str:
    """The URL path of a page: "/" for the overview (the default page), "/<stem>" for the others."""
    return "/" if page.stem == "overview" else f"/{page.stem}"


def query_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.sql"))


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / name, dtype=str, keep_default_na=False, encoding="utf-8")


def _write(frame: pd.DataFrame, data_dir: Path, name: str) -> None:
    frame.to_csv(data_dir / name, index=False, lineterminator="\n")


def synthetic_year_period(year: int) -> str:
    return f"{year:04d}-{(year + 1) % 100:02d}"


def scale_dataset(source_dir: Path, target_dir: Path, indicator_copies: int = 10, period_copies: int = 10,
                  item_copies: int = 100) -> dict[str, int]:
    """Write a scaled copy of data/ into target_dir: ~100x the indicator values and completeness rows.

    Indicators are copied `indicator_copies` times in all (ids "<id>_syn<k>", rate_of mapped to the
    copy of its count), periods `period_copies` times (synthetic financial years before the first
    real one, YYYY-YY), evidence items `item_copies` times. Every indicator value (the illustrative
    per-authority rows and the published Scotland rows of jsw_statistics.csv) is repeated for every
    indicator copy x period copy, so the values file grows ~indicator_copies x period_copies; each
    completeness row is repeated for every item copy. Values are copied, not invented, so every
    build rule (percentages <= 100, numerator <= denominator, keys) still holds. Returns row counts.
    """
    if target_dir.exists():
        shutil.rmtree(target_dir)
    shutil.copytree(source_dir, target_dir, ignore=shutil.ignore_patterns("*.duckdb*", "geo"))

    # Periods: synthetic years end just before the first real one, so none collides with a real period.
    periods = _read(source_dir, "periods.csv")
    ordered = periods.assign(_key=periods["sort_key"].astype(float)).sort_values("_key", kind="stable")
    ordered = ordered.drop(columns="_key").reset_index(drop=True)
    first_year = min(int(p[:4]) for p in periods["period"])
    start = first_year - (period_copies - 1) * len(ordered)
    period_map: dict[tuple[str, int], str] = {}
    new_periods = [periods]
    for copy in range(1, period_copies):
        block = ordered.copy()
        years = [start + (copy - 1) * len(ordered) + i for i in range(len(ordered))]
        for real, year in zip(ordered["period"], years):
            period_map[(real, copy)] = synthetic_year_period(year)
        block["period"] = [synthetic_year_period(y) for y in years]
        block["label"] = [f"{synthetic_year_period(y)} (synthetic)" for y in years]
        block["sort_key"] = [str(y) for y in years]
        block["comparable"] = "true"
        block["note"] = "Synthetic period for the benchmark"
        new_periods.append(block)
    _write(pd.concat(new_periods, ignore_index=True), target_dir, "periods.csv")

    indicators = _read(source_dir, "indicators.csv")
    new_indicators = [indicators]
    for copy in range(1, indicator_copies):
        block = indicators.copy()
        block["indicator_id"] = block["indicator_id"] + f"_syn{copy}"
        block["label"] = block["label"] + f" (synthetic {copy})"
        block["rate_of"] = block["rate_of"].map(lambda r, c=copy: f"{r}_syn{c}" if r else "")
        block["sort_order"] = (block["sort_order"].astype(int) + 1000 * copy).astype(str)
        new_indicators.append(block)
    _write(pd.concat(new_indicators, ignore_index=True), target_dir, "indicators.csv")

    values = _read(source_dir, "illustrative/indicator_values.csv")
    statistics_file = _read(source_dir, "jsw_statistics.csv")
    scotland = statistics_file[(statistics_file["gss_code"] == "S92000003")
                               & (statistics_file["preferred"].str.upper() == "TRUE")]
    scotland_values = pd.DataFrame({column: "" for column in values.columns}, index=scotland.index)
    scotland_values["indicator_id"] = scotland["indicator"]
    scotland_values["gss_code"] = scotland["gss_code"]
    scotland_values["period"] = scotland["year"]
    scotland_values["value"] = scotland["value"]
    scotland_values["source_id"] = SYNTHETIC_SOURCE
    new_values = [values]
    for indicator_copy in range(indicator_copies):
        for period_copy in range(period_copies):
            if indicator_copy == 0 and period_copy == 0:
                continue  # the real rows: illustrative ones are already in, Scotland's are published
            block = pd.concat([values, scotland_values], ignore_index=True)
            if indicator_copy:
                block["indicator_id"] = block["indicator_id"] + f"_syn{indicator_copy}"
            if period_copy:
                block["period"] = [period_map[(p, period_copy)] for p in block["period"]]
            new_values.append(block)
    _write(pd.concat(new_values, ignore_index=True), target_dir, "illustrative/indicator_values.csv")

    items = _read(source_dir, "evidence_items.csv")
    completeness = _read(source_dir, "illustrative/completeness.csv")
    new_items, new_completeness = [items], [completeness]
    for copy in range(1, item_copies):
        block = items.copy()
        block["item_id"] = block["item_id"] + f"_syn{copy}"
        block["label"] = block["label"] + f" (synthetic {copy})"
        block["sort_order"] = (block["sort_order"].astype(int) + 1000 * copy).astype(str)
        new_items.append(block)
        rows = completeness.copy()
        rows["item_id"] = rows["item_id"] + f"_syn{copy}"
        new_completeness.append(rows)
    _write(pd.concat(new_items, ignore_index=True), target_dir, "evidence_items.csv")
    _write(pd.concat(new_completeness, ignore_index=True), target_dir, "illustrative/completeness.csv")

    return {name: len(frame) for name, frame in (
        ("periods.csv", pd.concat(new_periods)), ("indicators.csv", pd.concat(new_indicators)),
        ("illustrative/indicator_values.csv", pd.concat(new_values)), ("evidence_items.csv", pd.concat(new_items)),
        ("illustrative/completeness.csv", pd.concat(new_completeness)))}


def write_empty_pages(work: Path) -> tuple[Path, Path]:
    """The server-side baselines: a bare empty script, and the app's own shell (streamlit_app.py,
    copied) whose pages are all replaced by that empty page, so a page's figure is its own cost
    on top of what every page pays (sidebar filter, status banner, accessibility fixes)."""
    bare = work / "empty" / "empty_page.py"
    bare.parent.mkdir(parents=True, exist_ok=True)
    bare.write_text(EMPTY_PAGE, encoding="utf-8")
    shell = work / "shell" / "streamlit_app.py"
    (shell.parent / "pages").mkdir(parents=True, exist_ok=True)
    shutil.copy(ENTRYPOINT, shell)
    for page in PAGES_DIR.glob("*.py"):  # every file streamlit_app.py may name, admin-only ones too
        (shell.parent / "pages" / page.name).write_text(EMPTY_PAGE, encoding="utf-8")
    return bare, shell


def spec_with_rows(proto) -> dict:
    """A chart element's spec with the rows Streamlit sent beside it (top-level data and named
    datasets, as Arrow) put back inline, so the floor draws the same marks."""
    import json as _json

    import pyarrow.ipc

    def rows(arrow_bytes: bytes) -> list[dict]:
        frame = pyarrow.ipc.open_stream(arrow_bytes).read_pandas()
        return _json.loads(frame.to_json(orient="records", date_format="iso"))

    spec = _json.loads(proto.spec)
    if proto.data.data:
        spec["data"] = {"values": rows(proto.data.data)}
    for dataset in proto.datasets:
        spec.setdefault("datasets", {})[dataset.name] = rows(dataset.data.data)
    return spec


def page_output(at) -> list[tuple[str, object]]:
    """What a page drew on its last AppTest run, in order: chart specs (dicts), tables, text."""
    import json as _json

    output = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind == "vega_lite_chart":
            output.append(("chart", spec_with_rows(node.proto)))
        elif kind == "dataframe":
            output.append(("table", node.value))
        elif kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info"):
            value = getattr(node, "value", "")
            if isinstance(value, str) and value:
                output.append(("text", value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return output


def peer_group_labels() -> dict[str, str]:
    """Peer group id -> the label the sidebar shows, from the database the app reads (JSW_DB_PATH)."""
    from jsw_explorer.config import database_path
    from jsw_explorer.data_access import open_read_only
    from jsw_explorer.filters import peer_groups

    connection = open_read_only(database_path())
    try:
        return peer_groups(connection.execute("select * from authority").df())
    finally:
        connection.close()


def capture_floor(page: Path, target: Path) -> list[str]:
    """Run the page once per peer group with AppTest and pickle its output, keyed by the group's label
    (the floor app offers the same labels in the same order, so the browser run clicks the same options)."""
    import pickle

    from streamlit.testing.v1 import AppTest

    from jsw_explorer import served_files

    captured, errors = {}, []
    try:
        at = AppTest.from_file(str(ENTRYPOINT), default_timeout=180).run()
        if page.stem != "overview":
            at.switch_page(str(page.relative_to(APP_ROOT))).run()
        for group, label in peer_group_labels().items():
            at.selectbox(key="group").set_value(group).run()
            errors += [f"exception while capturing the floor: {str(e.value)[:160]}" for e in at.exception]
            captured[label] = page_output(at)
    except Exception as error:
        errors.append(f"could not capture the floor: {type(error).__name__}: {str(error).strip()[:160]}")
    served = {path.name: path.read_text(encoding="utf-8") for path in served_files.folder().glob("*.json")}
    target.write_bytes(pickle.dumps({"groups": captured, "served": served}))
    return errors


# --- The table -----------------------------------------------------------------------------

@dataclass
class Figure:
    section: str
    name: str
    measured: str
    baseline: str
    ratio: str
    target: str = "none (information)"
    met: bool | None = None  # None: no target
    note: str = ""
    errors: list[str] = field(default_factory=list)  # exceptions shown, browser errors: listed under the table


    @property
    def verdict(self) -> str:
        verdict = {True: "yes", False: "**NO**", None: "-"}[self.met]
        return f"{verdict}, **ERRORS**" if self.errors else verdict


def format_table(figures: list[Figure]) -> str:
    """A Markdown table, one row per figure; errors are numbered footnotes under it."""
    lines = ["| section | figure | measured | baseline | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    footnotes = []
    for f in figures:
        name = f"{f.name} ({f.note})" if f.note else f.name
        for error in f.errors:
            footnotes.append(error)
            name += f" [{len(footnotes)}]"
        lines.append(f"| {f.section} | {name} | {f.measured} | {f.baseline} | {f.ratio} | {f.target} | {f.verdict} |")
    if footnotes:
        lines += ["", "Errors seen:"] + [f"[{n}] {text}" for n, text in enumerate(footnotes, 1)]
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def times(samples: list[float]) -> str:
    if not samples:
        return "not measured"
    return f"p50 {ms(percentile(samples, 50))}, p95 {ms(percentile(samples, 95))}"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 else "n/a"


def ratios(samples: list[float], base: list[float]) -> str:
    if not samples or not base:
        return "n/a"
    return f"{ratio(percentile(samples, 50), percentile(base, 50))} / {ratio(percentile(samples, 95), percentile(base, 95))}"


# --- Measuring -----------------------------------------------------------------------------

def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def measure_build(work: Path, data_dir: Path, repeat: int) -> tuple[list[float], list[float], Path]:
    """Build times into a temporary file, and the baseline: reading every source CSV with pandas."""
    from jsw_explorer.build import build

    csv_files = sorted({*data_dir.glob("*.csv"), *data_dir.glob("illustrative/*.csv")})
    target = work / f"build-{data_dir.name}.duckdb"
    build_samples = timed(lambda: build(data_dir, target), repeat)
    read_samples = timed(lambda: [pd.read_csv(p, dtype=str, keep_default_na=False) for p in csv_files], repeat)
    return build_samples, read_samples, target


def measure_queries(database: Path, repeat: int) -> tuple[dict[str, list[float]], list[float]]:
    """Per query: wall times of cursor.execute(sql, example).df() on a read-only connection; and select 1."""
    from jsw_explorer.data_access import open_read_only

    connection = open_read_only(database)
    try:
        all_codes = [r[0] for r in connection.execute("select gss_code from authority order by gss_code").fetchall()]

        def run(sql: str, params: dict):
            with connection.cursor() as cursor:
                return cursor.execute(sql, params).df()

        timed(lambda: run("select 1", {}), 3)
        baseline = timed(lambda: run("select 1", {}), repeat)
        results = {}
        for path in query_files():
            sql = path.read_text(encoding="utf-8")
            params = example_params(sql, all_codes)
            timed(lambda: run(sql, params), 3)  # warm-up: first-use costs are not the steady state
            results[path.stem] = timed(lambda: run(sql, params), repeat)
        return results, baseline
    finally:
        connection.close()


def measure_rerun(script: Path, page: Path | None, repeat: int) -> tuple[list[float], list[str]]:
    """Warm reruns of one page with AppTest: open it, rerun twice untimed, then time `repeat` reruns.

    Returns the times and the errors seen (exceptions shown by the page, or a failure to run at all).
    """
    from unittest import mock

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    samples: list[float] = []
    errors: list[str] = []
    # A server compiles each script once and keeps it; AppTest compiles the app's scripts again on every
    # run (a sixth of a chart page's rerun, and next to nothing for a one-file floor). One cache for all
    # runs times what a server does, for the pages and their floors alike.
    compiled = ScriptCache()
    try:
        with mock.patch.object(app_test, "ScriptCache", lambda: compiled), \
                mock.patch.object(local_script_runner, "ScriptCache", lambda: compiled):
            timed_reruns(AppTest, script, page, repeat, samples, errors)
    except Exception as error:  # a page that cannot be measured is reported, not fatal
        errors.append(f"could not run: {type(error).__name__}: {str(error).strip()[:160]}")
    return samples, errors


def timed_reruns(AppTest, script: Path, page: Path | None, repeat: int, samples: list[float], errors: list[str]) -> None:
    """Open the page, rerun twice untimed, then time `repeat` reruns (appended to samples and errors)."""
    at = AppTest.from_file(str(script), default_timeout=180).run()
    if page is not None:
        at.switch_page(str(page.relative_to(APP_ROOT))).run()
    for _ in range(2):
        at.run()
    errors += [f"exception on the page: {str(e.value)[:160]}" for e in at.exception]
    for _ in range(repeat):
        started = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - started)
        errors += [f"exception on the page: {str(e.value)[:160]}" for e in at.exception]


class PeakRss:
    """Samples a process's resident memory (with its children) on a thread; .peak and .now in bytes."""

    def __init__(self, pid: int, interval: float = 0.05):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def now(self) -> int:
        import psutil

        try:
            processes = [self.process, *self.process.children(recursive=True)]
            return sum(p.memory_info().rss for p in processes)
        except psutil.Error:
            return 0

    def cpu_seconds(self) -> float:
        """User + system CPU time the process (and its children) has used so far."""
        import psutil

        try:
            return sum(sum(p.cpu_times()[:2]) for p in [self.process, *self.process.children(recursive=True)])
        except psutil.Error:
            return 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())


def mb(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.0f} MB"


# Console errors that are not the app's: when a page is opened by its own URL (/about), Streamlit's
# frontend first probes /about/_stcore/health and /about/_stcore/host-config to find its base path,
# gets 404, and falls back to /_stcore/... (normal Streamlit behaviour with url_path pages).
IGNORED_CONSOLE_ERRORS = (re.compile(r"/_stcore/(health|host-config)$"),)


class ErrorWatch:
    """Collects a browser page's uncaught errors and console errors (minus IGNORED_CONSOLE_ERRORS)."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {self._plain(str(error))}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if any(pattern.search(url) for pattern in IGNORED_CONSOLE_ERRORS):
            return
        self.errors.append(f"console error: {self._plain(message.text)}")

    @staticmethod
    def _plain(text: str) -> str:
        """First line, hashes (Vega dataset names) blanked so repeats of one error count as one."""
        return re.sub(r"[0-9a-f]{32}", "<hash>", text.strip().splitlines()[0] if text.strip() else "")[:160]

    def check(self, step: str) -> list[str]:
        """Errors since the last check, plus an exception box on the page, labelled with the step."""
        found, self.errors = self.errors, []
        if self.page.locator('[data-testid="stException"]').count():
            found.append("exception shown on the page")
        return [f"{step}: {error}" for error in found]


def peer_group_box(page):
    """The sidebar's "Peer group" selectbox (its accessible name ends with the label)."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name=re.compile(r"Peer group$"))


def change_peer_group(page, index: int) -> None:
    """Open the peer group selectbox, then click option number `index` (modulo the options)."""
    peer_group_box(page).click()
    options = page.get_by_role("option")
    options.first.wait_for()
    options.nth(index % options.count()).click()


# Installed in every benchmark page before its scripts run: the time of the last change to the page
# (any DOM mutation, charts drawing included) and of the last pointer press, on the page's own clock.
# A step is timed from the press (or the navigation start) to the last change before the page went
# quiet, so no fixed settle wait is counted.
INSTRUMENT = """(() => {
  if (window !== window.top) return;  // the top page only, not the accessibility script's iframe
  const timing = window.__jswTiming = {last: performance.now(), press: null};
  document.addEventListener('pointerdown', () => { timing.press = performance.now(); timing.last = timing.press; }, true);
  new MutationObserver(() => { timing.last = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
QUIET_MS = 500


def settled_at(page, timeout_ms: int = 120_000) -> dict:
    """Wait until the script is idle and the page has not changed for QUIET_MS; its timing marks (ms)."""
    page.wait_for_function(
        """quiet => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
                    && window.__jswTiming && performance.now() - window.__jswTiming.last > quiet""",
        arg=QUIET_MS, timeout=timeout_ms, polling=50)
    return page.evaluate("() => ({...window.__jswTiming})")


@dataclass
class BrowserResult:
    navigation: list[float]
    change: list[float]
    navigation_errors: list[str]
    change_errors: list[str]
    first_visit_bytes: int = 0  # websocket
    first_visit_served_bytes: int = 0  # data fetched by address (the map's boundaries), as sent (compressed)


def browser_runs(browser, base_url: str, paths: dict[str, str], navigations: int, changes: int) -> dict:
    """Per page, in a fresh browser context: its times and errors (a page that fails is reported, not fatal)."""
    result = {}
    for name, path in paths.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(INSTRUMENT)
        page = context.new_page()
        outcome = BrowserResult([], [], [], [])
        try:
            measure_page_in_browser(page, ErrorWatch(page), outcome, base_url + path, navigations, changes)
        except Exception as error:
            outcome.navigation_errors.append(f"could not measure: {type(error).__name__}: "
                                             f"{str(error).strip().splitlines()[0][:160]}")
        finally:
            context.close()
        result[name] = outcome
    return result


def measure_page_in_browser(page, watch: ErrorWatch, outcome: BrowserResult, url: str, navigations: int,
                            changes: int) -> None:
    """A first visit (its websocket bytes counted; it also fills the server's caches), `navigations`
    timed visits, then `changes` peer group changes, each timed inside the page."""
    received = [0]
    page.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))))
    served = []
    page.on("requestfinished", lambda request: served.append(request) if "/component/" in request.url else None)
    page.goto(url)
    settled_at(page)
    outcome.first_visit_bytes = received[0]
    outcome.first_visit_served_bytes = sum(request.sizes()["responseBodySize"] for request in served)
    outcome.navigation_errors += watch.check("first visit")
    for _ in range(navigations):
        page.goto(url)
        outcome.navigation.append(settled_at(page)["last"] / 1000)
        outcome.navigation_errors += watch.check("navigation")
    for i in range(changes):
        peer_group_box(page).click()
        options = page.get_by_role("option")
        options.first.wait_for()
        options.nth((i + 1) % options.count()).click()
        marks = settled_at(page)
        outcome.change.append((marks["last"] - marks["press"]) / 1000)
        outcome.change_errors += watch.check("peer group change")


@dataclass
class ServerRun:
    pages: dict
    cold_start: float  # process start to the first page settled, seconds
    memory_after_start: int
    peak_memory: int


def serve_and_measure(browser, database: Path, script: Path | None, paths: dict[str, str], navigations: int,
                      changes: int, extra_env: dict | None = None) -> ServerRun:
    """Start a server (the app, or another script), time its cold start to a settled first page, then
    measure the pages."""
    from browser_support import running_app

    started = time.perf_counter()
    with running_app(database, script=script, extra_env=extra_env) as (url, process):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(INSTRUMENT)
        page = context.new_page()
        page.goto(url + next(iter(paths.values())))
        settled_at(page)
        cold_start = time.perf_counter() - started
        context.close()
        with PeakRss(process.pid) as rss:
            after_start = rss.now()
            pages = browser_runs(browser, url, paths, navigations, changes)
    return ServerRun(pages, cold_start, after_start, rss.peak)


def measure_browser(database: Path, work: Path, navigations: int, changes: int, floors: dict[str, Path]):
    """The minimal page, every app page, and every page's floor app, each served by its own server."""
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM_ARGS, require_chromium

    minimal_script = work / "minimal" / "minimal_page.py"
    minimal_script.parent.mkdir(parents=True, exist_ok=True)
    minimal_script.write_text(MINIMAL_PAGE, encoding="utf-8")
    floor_script = work / "floor" / "floor_page.py"
    floor_script.parent.mkdir(parents=True, exist_ok=True)
    floor_script.write_text(FLOOR_PAGE, encoding="utf-8")
    paths = {page.stem: page_url_path(page) for page in page_files()}
    paths = {"overview": "/", **paths}  # the cold start opens the home page, as a first visitor does
    env = {"PYTHONPATH": str(APP_ROOT)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            minimal = serve_and_measure(browser, database, minimal_script, {"minimal": "/"}, navigations, changes, env)
            app = serve_and_measure(browser, database, None, paths, navigations, changes)
            floor_runs = {}
            for name, capture in floors.items():
                floor_runs[name] = serve_and_measure(browser, database, floor_script, {name: "/"}, navigations,
                                                     changes, {**env, "JSW_FLOOR_FILE": str(capture)}).pages[name]
        finally:
            browser.close()
    return minimal, app, floor_runs


# --- The run -------------------------------------------------------------------------------

def run_benchmark(quick: bool = False, include_browser: bool = True, log=print) -> list[Figure]:
    query_repeat = 10 if quick else 40
    rerun_repeat = 3 if quick else 10
    build_repeat = 1 if quick else 3
    navigations, changes = (2, 3) if quick else (5, 10)
    figures: list[Figure] = []
    pages = page_files()
    saved_db_path = os.environ.get("JSW_DB_PATH")
    with tempfile.TemporaryDirectory(prefix="jsw-benchmark-") as temp:
        work = Path(temp)

        log("Building the database (real data)…")
        build_samples, read_samples, real_db = measure_build(work, APP_ROOT / "data", build_repeat)
        figures.append(Figure("build", "database build, real data", ms(statistics.median(build_samples)),
                              f"{ms(statistics.median(read_samples))} (pandas reads the CSVs)",
                              ratio(statistics.median(build_samples), statistics.median(read_samples))))

        log("Writing and building the synthetic 100x dataset…")
        counts = scale_dataset(APP_ROOT / "data", work / "data-100x")
        big_build, big_read, big_db = measure_build(work, work / "data-100x", 1)
        figures.append(Figure("build", "database build, 100x data", ms(big_build[0]),
                              f"{ms(big_read[0])} (pandas reads the CSVs)", ratio(big_build[0], big_read[0]),
                              note=f"{counts['illustrative/indicator_values.csv']:,} value rows, "
                                   f"{counts['illustrative/completeness.csv']:,} completeness rows"))

        query_results = {}
        for label, database in (("1x", real_db), ("100x", big_db)):
            log(f"Timing every query ({label})…")
            results, baseline = measure_queries(database, query_repeat)
            query_results[label] = results
            for name, samples in results.items():
                p95 = percentile(samples, 95)
                growth = ""
                if label == "100x" and name in query_results["1x"]:
                    growth = f"; {ratio(p95, percentile(query_results['1x'][name], 95))} the 1x p95"
                figures.append(Figure(f"query {label}", name, times(samples) + growth,
                                      f"select 1: {times(baseline)}", ratios(samples, baseline),
                                      f"p95 < {QUERY_P95_TARGET_MS:.0f} ms", p95 * 1000 < QUERY_P95_TARGET_MS))

        log("Capturing every page's floor (its final output, per peer group)…")
        empty_script, shell_script = write_empty_pages(work)
        floor_script = work / "floor" / "floor_page.py"
        floor_script.parent.mkdir(parents=True, exist_ok=True)
        floor_script.write_text(FLOOR_PAGE, encoding="utf-8")
        floors, floor_errors = {}, {}
        try:
            os.environ["JSW_DB_PATH"] = str(real_db)
            for page in pages:
                floors[page.stem] = work / "floor" / f"{page.stem}.pickle"
                floor_errors[page.stem] = capture_floor(page, floors[page.stem])

            log("Timing warm page reruns with AppTest…")
            bare, _ = measure_rerun(empty_script, None, rerun_repeat)
            shell, shell_errors = measure_rerun(shell_script, None, rerun_repeat)
            figures.append(Figure("page rerun 1x", "empty page inside the app shell", times(shell),
                                  f"bare empty script: {times(bare)}", ratios(shell, bare),
                                  errors=sorted(set(shell_errors))))
            rerun_results = {}
            for label, database in (("1x", real_db), ("100x", big_db)):
                os.environ["JSW_DB_PATH"] = str(database)
                for page in pages:
                    samples, errors = measure_rerun(ENTRYPOINT, page, rerun_repeat)
                    rerun_results[(label, page.stem)] = samples
                    if label == "1x":
                        os.environ["JSW_FLOOR_FILE"] = str(floors[page.stem])
                        floor, _ = measure_rerun(floor_script, None, rerun_repeat)
                        p50 = percentile(samples, 50) if samples else math.inf
                        figures.append(Figure(
                            "page rerun 1x", page.stem, times(samples), f"its floor: {times(floor)}",
                            ratios(samples, floor), f"p50 <= {RERUN_FLOOR_RATIO_TARGET:.0f}x floor",
                            bool(floor) and p50 <= RERUN_FLOOR_RATIO_TARGET * percentile(floor, 50),
                            errors=sorted(set(errors + floor_errors[page.stem]))))
                    else:
                        base = rerun_results[("1x", page.stem)]
                        figures.append(Figure("page rerun 100x", page.stem, times(samples),
                                              f"the same page at 1x: {times(base)}", ratios(samples, base),
                                              errors=sorted(set(errors))))
        finally:
            os.environ.pop("JSW_FLOOR_FILE", None)
            if saved_db_path is None:
                os.environ.pop("JSW_DB_PATH", None)
            else:
                os.environ["JSW_DB_PATH"] = saved_db_path

        if include_browser:
            log("Timing pages in Chromium (minimal page, the app, then every page's floor)…")
            minimal_run, app_run, floor_runs = measure_browser(real_db, work, navigations, changes, floors)
            minimal = minimal_run.pages["minimal"]
            for name, outcome in app_run.pages.items():
                floor = floor_runs.get(name)
                nav_errors, change_errors = sorted(set(outcome.navigation_errors)), sorted(set(outcome.change_errors))
                figures.append(Figure("browser", f"{name}: navigation to settled", times(outcome.navigation),
                                      f"minimal page: {times(minimal.navigation)}",
                                      ratios(outcome.navigation, minimal.navigation), errors=nav_errors))
                change_p95 = percentile(outcome.change, 95) if outcome.change else math.inf
                floor_p95 = percentile(floor.change, 95) if floor and floor.change else 0
                figures.append(Figure(
                    "browser", f"{name}: peer group change to settled", times(outcome.change),
                    f"its floor: {times(floor.change) if floor else 'not measured'}",
                    ratios(outcome.change, floor.change if floor else []),
                    f"p95 < {FILTER_P95_TARGET_S} s and <= {CHANGE_FLOOR_RATIO_TARGET}x floor",
                    change_p95 < FILTER_P95_TARGET_S and floor_p95 > 0 and change_p95 <= CHANGE_FLOOR_RATIO_TARGET * floor_p95,
                    errors=change_errors + (sorted(set(floor.navigation_errors + floor.change_errors)) if floor else [])))
                payload_target = FIRST_VISIT_PAYLOAD_TARGET_KIB.get(name)
                payload = outcome.first_visit_bytes + outcome.first_visit_served_bytes
                served_note = (f" ({outcome.first_visit_bytes / 1024:.0f} websocket + "
                               f"{outcome.first_visit_served_bytes / 1024:.0f} by address)"
                               if outcome.first_visit_served_bytes else "")
                figures.append(Figure(
                    "browser", f"{name}: first visit payload", f"{payload / 1024:.0f} KiB{served_note}",
                    f"minimal page: {minimal.first_visit_bytes / 1024:.0f} KiB",
                    ratio(payload, minimal.first_visit_bytes),
                    f"< {payload_target} KiB" if payload_target else "none (information)",
                    (payload / 1024 < payload_target) if payload_target else None))
            figures.append(Figure("server", "cold start to the first settled page", ms(app_run.cold_start),
                                  f"minimal page: {ms(minimal_run.cold_start)}",
                                  ratio(app_run.cold_start, minimal_run.cold_start),
                                  f"<= {COLD_START_RATIO_TARGET}x minimal",
                                  app_run.cold_start <= COLD_START_RATIO_TARGET * minimal_run.cold_start))
            figures.append(Figure("server", "memory (RSS) after start", mb(app_run.memory_after_start),
                                  f"minimal page: {mb(minimal_run.memory_after_start)}",
                                  ratio(app_run.memory_after_start, minimal_run.memory_after_start),
                                  f"<= {MEMORY_RATIO_TARGET}x minimal",
                                  app_run.memory_after_start <= MEMORY_RATIO_TARGET * minimal_run.memory_after_start))
            minimal_errors = minimal.navigation_errors + minimal.change_errors
            figures.append(Figure("server", "peak memory (RSS) during the browser runs", mb(app_run.peak_memory),
                                  f"minimal page: {mb(minimal_run.peak_memory)}",
                                  ratio(app_run.peak_memory, minimal_run.peak_memory),
                                  errors=[f"minimal page: {e}" for e in sorted(set(minimal_errors))]))
    return figures


def report(figures: list[Figure], quick: bool, started: float, load_before: tuple, load_after: tuple) -> str:
    missed = [f for f in figures if f.met is False]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC{' (--quick)' if quick else ''}, "
        f"{os.cpu_count()} CPU(s), load average {load_before[0]:.1f} at start and {load_after[0]:.1f} at end, "
        f"{time.perf_counter() - started:.0f} s in all.",
        "Times are wall-clock p50/p95; ratio = measured / baseline (p50 / p95). Browser steps are timed "
        "inside the page, from the click (or navigation start) to its last change before it went quiet; "
        "a page's floor is a minimal app drawing that page's own captured output.",
        "",
        format_table(figures),
        "",
        (f"Targets missed: {len(missed)}: " + "; ".join(f"{f.section} {f.name}" for f in missed)) if missed
        else "Every target was met.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run, noisier figures)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures and memory")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "benchmark.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_before = os.getloadavg()
    figures = run_benchmark(args.quick, not args.no_browser, log=lambda m: print(m, file=sys.stderr, flush=True))
    text = report(figures, args.quick, started, load_before, os.getloadavg())
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {args.output}", file=sys.stderr)
    return 1 if any(f.errors for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
