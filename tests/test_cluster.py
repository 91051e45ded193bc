"""Three replicas behind Debian's haproxy (deploy/haproxy.cfg, started by scripts/cluster.py), sharing one
database file: sessions spread and stick, a data load reaches every replica with no error in open sessions,
two loads at once leave one complete database, a killed replica's users reconnect to a working page.

Real processes; run with `pytest -m cluster` (a few minutes). The tests share one cluster and run in
file order: the replica kill comes last.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, IDLE
from fixtures_returns import good_return, xlsx_bytes
from jsw_explorer import build as builder
from jsw_explorer.data_access import open_read_only
from jsw_explorer.startup import database_is_current
from streamlit_protocol import ProtocolSession

APP_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(APP_ROOT / "scripts"))
from cluster import running_cluster  # noqa: E402

pytestmark = pytest.mark.cluster

PASSWORD = "cluster-test-password"
REPLICAS = ("app1", "app2", "app3")
BUSY_MS = 90_000  # a browser step while three other sessions keep all replicas busy on 2 cores
UPLOADED = re.compile(r"([\d,]+) uploaded")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """The shared volume: a data folder and a database built from it, and two returns to load."""
    root = tmp_path_factory.mktemp("cluster")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "uploads"))
    database = builder.build(data, root / "volume" / "jsw.duckdb")
    (root / "secrets.toml").write_text(f'[admin]\npassword = "{PASSWORD}"\n')
    sheets = good_return(data)
    (root / "good-return.xlsx").write_bytes(xlsx_bytes(sheets))
    completeness = sheets["completeness"].assign(level=lambda f: (f["level"] + 1) % 4)
    (root / "completeness-return.xlsx").write_bytes(xlsx_bytes({"completeness": completeness}))
    return root, data, database


@pytest.fixture(scope="module")
def cluster(shared):
    root, data, database = shared
    with running_cluster(database, data, replicas=3, extra_env={"STREAMLIT_SECRETS_FILES": str(root / "secrets.toml")}
                         ) as running:
        yield running


def wait_idle(page, timeout_ms: int = BUSY_MS) -> None:
    """Streamlit has finished the run and stays idle (browser_support.wait_idle also waits for the
    accessibility patch, which is not what these tests are about)."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def on(cluster, replica: str) -> ProtocolSession:
    """A new session that the balancer's cookie sends to `replica`."""
    return ProtocolSession(cluster.url, cookies={"JSWSERVER": replica}).connect()


def uploaded_rows(text: str) -> int:
    found = UPLOADED.search(text)
    return int(found.group(1).replace(",", "")) if found else 0


def imports_in(database: Path) -> list[tuple[int, str]]:
    with open_read_only(database) as connection:
        return connection.execute("select import_id, outcome from import_log order by import_id").fetchall()


def test_sessions_spread_over_the_replicas_and_each_stays_on_its_own(cluster):
    sessions = [ProtocolSession(cluster.url).connect() for _ in range(6)]
    try:
        for session in sessions:
            assert not session.rerun().exceptions
            assert not session.rerun("barriers", "group=people-4").exceptions
            assert session.upload(b"review_id,authority\n2024-25,Fife\n") == 204
            assert session.request("GET", "/_stcore/health") == 200
        assert {s.served_by[0] for s in sessions} == set(REPLICAS)
        for session in sessions:  # page, health, websocket, upload, health: all on one replica
            assert len(session.served_by) == 5 and len(set(session.served_by)) == 1, session.served_by

        # Why the cookie matters: the same upload sent to another replica is refused there.
        home = sessions[0].served_by[0]
        stray = ProtocolSession(cluster.url, cookies={**sessions[0].cookies,
                                                      "JSWSERVER": next(r for r in REPLICAS if r != home)})
        stray.session_id = sessions[0].session_id
        assert stray.upload(b"a\n1\n") == 400 and stray.served_by[0] != home
    finally:
        for session in sessions:
            session.close()


@pytest.mark.browser
def test_a_load_through_one_replica_is_served_by_all_three_with_no_error_in_open_sessions(cluster, shared, browser):
    root, data, database = shared
    sessions = {name: on(cluster, name) for name in REPLICAS}
    before = {name: uploaded_rows(session.rerun().text()) for name, session in sessions.items()}
    assert before == dict.fromkeys(REPLICAS, 0)
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in REPLICAS}  # (started, finished, uploaded)
    errors: list[str] = []
    stop = threading.Event()

    def keep_reading(name: str, session: ProtocolSession) -> None:  # a user clicking through pages meanwhile
        pages = ["", "barriers", "completeness", "outcomes", "about"]
        while not stop.is_set():
            started = time.monotonic()
            try:
                run = session.rerun(pages[len(runs[name]) % len(pages)])
            except Exception as error:  # noqa: BLE001 (reported by the assertion below)
                errors.append(f"{name}: {type(error).__name__}: {error}")
                return
            runs[name].append((started, time.monotonic(), uploaded_rows(run.text())))
            errors.extend(f"{name}: {e}" for e in run.exceptions)
            stop.wait(0.5)  # a person reads the page for a moment (and 2 cores stay usable for the browser)

    readers = [threading.Thread(target=keep_reading, args=item) for item in sessions.items()]
    for reader in readers:
        reader.start()
    try:
        # An administrator loads a return on the Load data page; the balancer's cookie sends them to app2.
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=cluster.url)
        context.add_cookies([{"name": "JSWSERVER", "value": "app2", "url": cluster.url}])
        page = context.new_page()
        try:
            page.set_default_timeout(90000)
            page.goto(cluster.url)
            expect(page.get_by_text("Data status", exact=False).first).to_be_visible()  # the first run has drawn
            wait_idle(page)
            load_data = page.get_by_role("link", name="Load data").first
            for _ in range(3):  # on a busy machine a click during a rerun can be lost: try again
                if not page.get_by_label("Administrator password").is_visible():
                    page.get_by_text("Administrator sign-in").click()
                page.get_by_label("Administrator password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                wait_idle(page)
                try:
                    expect(load_data).to_be_visible(timeout=20000)
                    break
                except AssertionError:
                    continue
            else:
                raise AssertionError("signed in three times, and the Load data page never appeared in the menu")
            for _ in range(3):
                load_data.click()
                wait_idle(page)
                try:
                    expect(page.locator('input[type="file"]')).to_have_count(1, timeout=20000)
                    break
                except AssertionError:
                    continue
            else:
                raise AssertionError("opened Load data three times, and its upload box never appeared")
            page.locator('input[type="file"]').set_input_files(str(root / "good-return.xlsx"))
            wait_idle(page)
            expect(page.get_by_text("passed every check", exact=False).first).to_be_visible(timeout=60000)
            page.get_by_role("button", name="Load this return").click()
            wait_idle(page, timeout_ms=120000)
            expect(page.get_by_text("as import", exact=False).first).to_be_visible(timeout=120000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "cluster-load-data-failed.png"), full_page=True)
            raise
        loaded_at = time.monotonic()
        assert {c["value"] for c in context.cookies() if c["name"] == "JSWSERVER"} == {"app2"}
        page.screenshot(path=str(ARTIFACTS / "cluster-load-data-loaded.png"), full_page=True)
        context.close()

        def runs_after_the_load():
            return {name: [r for r in done if r[0] > loaded_at] for name, done in runs.items()}

        deadline = loaded_at + 120
        while not all(runs_after_the_load().values()) and time.monotonic() < deadline and not errors:
            time.sleep(0.2)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=120)
        for session in sessions.values():
            session.close()
    assert errors == []
    assert cluster.times_marked_down() == dict.fromkeys(REPLICAS, 0), "the loading replica answered its health checks"
    after = runs_after_the_load()
    assert all(after.values()), f"every replica ran a page after the load: {after}"
    # Every run that started once the load had finished read the new file, on every replica.
    assert {name: [uploaded for _, _, uploaded in done] for name, done in after.items()} == {
        name: [after["app2"][0][2]] * len(done) for name, done in after.items()}
    assert after["app2"][0][2] > 0
    print("first run after the load finished, seconds after it:",
          {name: round(done[0][1] - loaded_at, 2) for name, done in after.items()},
          "runs during the test:", {name: len(done) for name, done in runs.items()})
    assert [outcome for _, outcome in imports_in(database)] == ["loaded"]


def test_two_loads_at_once_on_two_replicas_leave_one_complete_database(cluster, shared):
    root, data, database = shared
    before = imports_in(database)
    loads = [subprocess.Popen([sys.executable, "-m", "jsw_explorer.ingest", str(root / name), "--data-dir", str(data),
                               "--db", str(database), "--by", f"admin on {replica}"],
                              cwd=APP_ROOT, env={**cluster.env, "JSW_DB_PATH": str(database)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for name, replica in (("completeness-return.xlsx", "app1"), ("good-return.xlsx", "app3"))]
    outputs = [load.communicate(timeout=300)[0] for load in loads]
    assert [load.returncode for load in loads] == [0, 0], outputs
    assert all("LOADED as import" in output for output in outputs)

    after = imports_in(database)
    assert after[:len(before)] == before and [o for _, o in after[len(before):]] == ["loaded", "loaded"]
    assert database_is_current(database, data), "the file holds exactly the accepted imports on disk, both of them"
    assert not list(database.parent.glob("*.building-*")) and not list((data / "uploads").glob(".staging-*"))
    texts = {name: on(cluster, name).rerun().text() for name in REPLICAS}
    assert len({uploaded_rows(text) for text in texts.values()}) == 1, "every replica serves the same file"


@pytest.mark.browser
def test_a_killed_replica_gets_no_new_sessions_and_its_users_reconnect_to_a_working_page(cluster, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(cluster.url + "/barriers")
    wait_idle(page)
    victim = next(c["value"] for c in context.cookies() if c["name"] == "JSWSERVER")
    survivors = [name for name in REPLICAS if name != victim]
    victim_user = on(cluster, victim)
    assert not victim_user.rerun("completeness").exceptions

    cluster.replica(victim).process.kill()  # mid-session: no goodbye to the browser or the balancer
    cluster.replica(victim).process.wait(timeout=10)

    # New sessions go to the others, before and after the health check marks the replica down.
    for _ in range(4):
        newcomer = ProtocolSession(cluster.url).connect()
        assert newcomer.served_by[0] in survivors and not newcomer.rerun().exceptions
        newcomer.close()
    cluster.wait_for_states({victim: "DOWN", **dict.fromkeys(survivors, "UP")}, timeout=30)

    # The browser's Streamlit reconnects by itself; the balancer sends it to a live replica.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        moved = next((c["value"] for c in context.cookies() if c["name"] == "JSWSERVER"), victim)
        if moved != victim:
            break
        page.wait_for_timeout(500)
    assert moved in survivors, "the browser did not reconnect through the balancer"
    wait_idle(page, timeout_ms=60000)
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_text("Data status", exact=False).first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "cluster-after-kill.png"), full_page=True)
    context.close()

    # A protocol-level user of the killed replica does what the frontend does: connect again.
    victim_user.close()
    again = ProtocolSession(cluster.url, cookies=victim_user.cookies).connect()
    assert again.served_by[0] in survivors and not again.rerun("completeness").exceptions
    again.close()
