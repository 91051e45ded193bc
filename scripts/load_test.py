"""Load test: simultaneous browser sessions touring every page against one local server.

Run `make load-test` (or `python scripts/load_test.py [--sessions 10] [--timeout 600]`). It builds
the real data into a temporary database, serves the app on 127.0.0.1 only, and starts N separate
processes, each driving its own headless Chromium through a fixed tour: for every page (each
session starts at a different one) open it, change the peer group, add an authority to highlight.
Every step waits until the app is idle, then checks for an exception on the page and for uncaught
or console errors. Bounded: a fixed number of steps per session and an overall deadline; it stops
by itself. Exit status 1 if any session did not complete every step without an error.

`--replicas N` runs the same tours through Debian's haproxy in front of N replicas (scripts/cluster.py,
deploy/haproxy.cfg) and reports each replica's memory and CPU. There, `--browser-sessions K` of the
sessions are Chromium and the rest protocol-level clients (tests/streamlit_protocol.py: the page load,
the websocket and the same reruns, with the filter changes sent as the URL's query string), because 25
browsers would starve 2 cores and measure Chromium rather than the servers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import (RESULTS_DIR, ErrorWatch, PeakRss, change_peer_group, mb, page_files,  # noqa: E402
                       page_url_path, percentile)

STEP_TIMEOUT_MS = 120_000
STEP_KINDS = ("first visit", "open page", "peer group", "authority")


def tour(pages: list[tuple[str, str]], session: int) -> list[tuple[str, str, str, int]]:
    """One session's steps: (kind, page name, url path, option number). Every page, three steps each:
    open it (the first by its URL, a fresh browser: "first visit"), change the peer group, add an authority.

    Sessions start at different pages and pick different options, so the server sees a mix.
    """
    steps = []
    for j in range(len(pages)):
        name, path = pages[(session + j) % len(pages)]
        steps.append(("first visit" if j == 0 else "open page", name, path, 0))
        steps.append(("peer group", name, path, session + j + 1))
        steps.append(("authority", name, path, 3 * session + j))
    return steps


def open_page(page, base_url: str, path: str, kind: str) -> None:
    """The first page by its URL; later ones through the sidebar navigation, as a person would."""
    if kind == "first visit":
        page.goto(base_url + path)
    else:
        page.get_by_test_id("stSidebarNav").locator(f'a[href="{base_url}{path}"]').first.click()


def add_authority(page, index: int) -> None:
    """Pick one more authority in the sidebar's "Authorities to highlight" multiselect."""
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=re.compile(r"Authorities to highlight$"))
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    options.nth(index % options.count()).click()
    page.keyboard.press("Escape")


def run_session(session: int, base_url: str, steps: list, deadline: float, results, start_together) -> None:
    """One browser session (runs in its own process). Puts a result dict on the results queue.

    Sessions wait for each other (start_together, a barrier) once their browsers are up, so the
    tours really run at the same time.
    """
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM_ARGS, require_chromium, wait_idle

    record = {"session": session, "steps": [], "errors": [], "completed": False}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                watch = ErrorWatch(page)
                try:
                    start_together.wait(timeout=max(1.0, min(180.0, deadline - time.time())))
                except threading.BrokenBarrierError:
                    pass  # a session failed to start: the others go ahead; its failure is reported
                for number, (kind, name, path, option) in enumerate(steps):
                    remaining_ms = (deadline - time.time()) * 1000
                    if remaining_ms <= 0:
                        record["errors"].append(f"overall deadline reached before step {number + 1} of {len(steps)}")
                        break
                    page.set_default_timeout(min(STEP_TIMEOUT_MS, remaining_ms))
                    started = time.perf_counter()
                    if kind in ("first visit", "open page"):
                        open_page(page, base_url, path, kind)
                    elif kind == "peer group":
                        change_peer_group(page, option)
                    else:
                        add_authority(page, option)
                    wait_idle(page, min(STEP_TIMEOUT_MS, remaining_ms))
                    record["steps"].append((kind, name, time.perf_counter() - started))
                    record["errors"] += watch.check(f"{kind} on {name}")
                else:
                    record["completed"] = True
            finally:
                browser.close()
    except Exception as error:  # reported, and the session counts as failed
        start_together.abort()  # do not keep the other sessions waiting for this one
        record["errors"].append(f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200]}")
    results.put(record)


def protocol_query(query: dict, kind: str, option: int, groups: list[str], codes: list[str]) -> dict:
    """The URL query after a step: a peer group change sets group=, an authority step adds one code."""
    query = dict(query)
    if kind == "peer group":
        query["group"] = groups[option % len(groups)]
    elif kind == "authority":
        chosen = [c for c in query.get("authority", "").split(",") if c]
        query["authority"] = ",".join(sorted({*chosen, codes[option % len(codes)]}))
    return query


def run_protocol_session(session: int, base_url: str, steps: list, deadline: float, results: list,
                         start_together: threading.Barrier, groups: list[str], codes: list[str]) -> None:
    """One protocol-level session (a thread): the same tour as run_session, as reruns over the websocket."""
    from urllib.parse import urlencode

    from streamlit_protocol import ProtocolSession

    record = {"session": session, "steps": [], "errors": [], "completed": False, "kind": "protocol"}
    client = ProtocolSession(base_url, timeout=STEP_TIMEOUT_MS / 1000)
    try:
        client.connect()
        try:
            start_together.wait(timeout=max(1.0, min(180.0, deadline - time.time())))
        except threading.BrokenBarrierError:
            pass
        query: dict = {}
        for number, (kind, name, path, option) in enumerate(steps):
            if time.time() > deadline:
                record["errors"].append(f"overall deadline reached before step {number + 1} of {len(steps)}")
                break
            query = protocol_query(query, kind, option, groups, codes)
            run = client.rerun(path.strip("/"), urlencode(query, safe=","))
            record["steps"].append((kind, name, run.seconds))
            record["errors"] += [f"{kind} on {name}: exception on the page: {e[:200]}" for e in run.exceptions]
            if run.page_not_found:
                record["errors"].append(f"{kind} on {name}: page not found")
        else:
            record["completed"] = True
    except Exception as error:  # reported, and the session counts as failed
        record["errors"].append(f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200] if str(error) else ''}")
    finally:
        client.close()
        record["replica"] = client.served_by[0] if client.served_by else "?"
    results.append(record)


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def p50_p95(samples: list[float]) -> str:
    if not samples:
        return "no steps"
    return f"p50 {seconds(percentile(samples, 50))}, p95 {seconds(percentile(samples, 95))} ({len(samples)} steps)"


def summarise(records: list[dict], sessions: int, steps_per_session: int, rss: tuple[int, int, int],
              elapsed: float, pages: list[str], server_cpu: tuple[float, float] | None = None,
              setting: str | None = None, replicas: list[tuple] | None = None) -> tuple[str, bool]:
    """The printed summary, and whether every session completed without an error. `replicas` (cluster
    mode): (name, sessions it served, (RSS before, peak, after), CPU seconds) per replica."""
    passed = [r for r in records if r["completed"] and not r["errors"]]
    missing = sessions - len(records)
    all_steps = [s for r in records for s in r["steps"]]
    lines = [
        "# Load test results",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU(s), "
        f"load average {os.getloadavg()[0]:.1f} at end. {sessions} simultaneous sessions "
        + (setting or "(separate processes, each its own headless Chromium) against one server on 127.0.0.1")
        + f" x {steps_per_session} steps; pages: {', '.join(pages)}. Browser times include wait_idle's 0.3 s "
        f"settle check.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| sessions that completed every step without an error | {len(passed)} / {sessions} |",
        f"| steps completed | {len(all_steps)} / {sessions * steps_per_session} |",
        f"| time to idle, every step | {p50_p95([s[2] for s in all_steps])} |",
    ]
    for kind in STEP_KINDS:
        lines.append(f"| time to idle, {kind} | {p50_p95([s[2] for s in all_steps if s[0] == kind])} |")
    before, peak, after = rss
    if replicas:
        for name, served, (r_before, r_peak, r_after), cpu in replicas:
            lines.append(f"| {name}: sessions served, RSS before / peak / after, CPU | {served}, "
                         f"{mb(r_before)} / {mb(r_peak)} / {mb(r_after)}, {cpu:.0f} s |")
    else:
        lines.append(f"| server RSS before / peak / after the sessions | {mb(before)} / {mb(peak)} / {mb(after)} |")
    lines.append(f"| wall time | {elapsed:.0f} s |")
    if server_cpu:
        cpu, wall = server_cpu
        lines.append(f"| server CPU time while the sessions ran | {cpu:.1f} s in {wall:.0f} s "
                     f"({100 * cpu / wall:.0f}% of one core) |")
    errors = Counter(re.sub(r"[0-9a-f]{32}", "<hash>", e) for r in records for e in r["errors"])
    if missing:
        errors["session process ended without a result (killed at the deadline?)"] += missing
    if errors:
        lines += ["", "Errors (count: what):"] + [f"- {count}x {text}" for text, count in errors.most_common()]
    ok = len(passed) == sessions
    lines += ["", "Result: PASS" if ok else "Result: FAIL"]
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=600, help="overall deadline in seconds (default 600)")
    parser.add_argument("--output", type=Path, default=None,
                        help="default benchmark-results/load-test.md (load-test-<N>-replicas.md with --replicas)")
    parser.add_argument("--replicas", type=int, default=0,
                        help="N replicas behind haproxy (scripts/cluster.py) instead of one server")
    parser.add_argument("--browser-sessions", type=int, default=0,
                        help="with --replicas: how many of the sessions are Chromium; the rest are protocol-level")
    args = parser.parse_args(argv)
    if args.replicas:
        return main_cluster(args)
    args.output = args.output or RESULTS_DIR / "load-test.md"

    from browser_support import require_chromium, running_app

    from jsw_explorer.build import build

    require_chromium()
    pages = [(page.stem, page_url_path(page)) for page in page_files()]
    plans = [tour(pages, session) for session in range(args.sessions)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jsw-load-") as temp:
        database = build(db_path=Path(temp) / "jsw.duckdb")
        with running_app(database) as (url, server):
            with PeakRss(server.pid) as rss:
                before, cpu_before = rss.now(), rss.cpu_seconds()
                sessions_started = time.perf_counter()
                deadline = time.time() + args.timeout
                context = multiprocessing.get_context("spawn")
                results = context.Queue()
                start_together = context.Barrier(args.sessions)
                processes = [context.Process(target=run_session,
                                             args=(i, url, plans[i], deadline, results, start_together),
                                             name=f"load-session-{i}") for i in range(args.sessions)]
                print(f"Starting {args.sessions} sessions of {len(plans[0])} steps against {url}…", file=sys.stderr)
                for process in processes:
                    process.start()
                records = []
                while len(records) < args.sessions and time.time() < deadline + 60:
                    try:
                        records.append(results.get(timeout=1))
                    except queue.Empty:
                        if not any(p.is_alive() for p in processes) and results.empty():
                            break
                for process in processes:
                    process.join(timeout=max(1.0, deadline + 60 - time.time()))
                    if process.is_alive():  # past the deadline: stop it (our own child process)
                        process.terminate()
                        process.join(timeout=10)
                server_cpu = (rss.cpu_seconds() - cpu_before, time.perf_counter() - sessions_started)
                time.sleep(3)  # let the server drop the closed sessions' connections
                after = rss.now()
    elapsed = time.perf_counter() - started
    text, ok = summarise(records, args.sessions, len(plans[0]), (before, rss.peak, after), elapsed,
                         [name for name, _ in pages], server_cpu)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {args.output}", file=sys.stderr)
    return 0 if ok else 1


def main_cluster(args) -> int:
    """The tours through the balancer in front of args.replicas replicas sharing one database."""
    from cluster import running_cluster

    from jsw_explorer.build import build
    from jsw_explorer.config import data_dir
    from jsw_explorer.data_access import open_read_only
    from jsw_explorer.filters import peer_groups

    output = args.output or RESULTS_DIR / f"load-test-{args.replicas}-replicas.md"
    browsers = min(args.browser_sessions, args.sessions)
    if browsers:
        from browser_support import require_chromium
        require_chromium()
    pages = [(page.stem, page_url_path(page)) for page in page_files()]
    plans = [tour(pages, session) for session in range(args.sessions)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jsw-load-") as temp:
        database = build(db_path=Path(temp) / "jsw.duckdb")
        with open_read_only(database) as connection:
            authorities = connection.execute("select * from authority order by gss_code").df()
        groups, codes = list(peer_groups(authorities)), list(authorities["gss_code"])
        with running_cluster(database, data_dir(), replicas=args.replicas) as cluster:
            samplers = {r.name: PeakRss(r.process.pid) for r in cluster.replicas}
            for sampler in samplers.values():
                sampler.__enter__()
            try:
                before = {name: s.now() for name, s in samplers.items()}
                cpu_before = {name: s.cpu_seconds() for name, s in samplers.items()}
                deadline = time.time() + args.timeout
                records: list[dict] = []
                context = multiprocessing.get_context("spawn")
                browser_results = context.Queue()
                browser_barrier = context.Barrier(browsers) if browsers else None
                processes = [context.Process(target=run_session, args=(i, cluster.url, plans[i], deadline,
                                                                       browser_results, browser_barrier),
                                             name=f"load-session-{i}") for i in range(browsers)]
                for process in processes:
                    process.start()
                barrier = threading.Barrier(args.sessions - browsers)
                threads = [threading.Thread(target=run_protocol_session,
                                            args=(i, cluster.url, plans[i], deadline, records, barrier, groups, codes))
                           for i in range(browsers, args.sessions)]
                print(f"Starting {args.sessions} sessions ({browsers} Chromium, {len(threads)} protocol-level) "
                      f"through {cluster.url} to {args.replicas} replica(s)…", file=sys.stderr)
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=max(1.0, deadline + 60 - time.time()))
                while len(records) < args.sessions and time.time() < deadline + 60:
                    try:
                        record = browser_results.get(timeout=1)
                        records.append({**record, "kind": "chromium", "replica": "(browser)"})
                    except queue.Empty:
                        if not any(p.is_alive() for p in processes) and browser_results.empty():
                            break
                for process in processes:
                    process.join(timeout=max(1.0, deadline + 60 - time.time()))
                    if process.is_alive():
                        process.terminate()
                        process.join(timeout=10)
                time.sleep(3)
                served = Counter(r.get("replica") for r in records)
                replicas = [(name, served.get(name, 0), (before[name], s.peak, s.now()),
                             s.cpu_seconds() - cpu_before[name]) for name, s in samplers.items()]
            finally:
                for sampler in samplers.values():
                    sampler.__exit__(None, None, None)
    elapsed = time.perf_counter() - started
    setting = (f"({browsers} headless Chromium, {args.sessions - browsers} protocol-level websocket clients) "
               f"through haproxy to {args.replicas} replica(s) on 127.0.0.1 sharing one database")
    text, ok = summarise(records, args.sessions, len(plans[0]), (0, 0, 0), elapsed, [name for name, _ in pages],
                         setting=setting, replicas=replicas)
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {output}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
