"""Start the app on a free port and drive the system Chromium with Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from helpers import APP_ROOT

CHROMIUM = os.environ.get("JSW_CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network and a root user (see the machine notes): no sandbox, no background calls.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PATCHED = "body[data-a11y-patched]"  # set by jsw_explorer.accessibility once its fixes ran
ARTIFACTS = APP_ROOT / "tests" / "artifacts"


def require_chromium() -> str:
    """Fail (never skip) when the browser is missing: CI must install it."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}; install the Debian 'chromium' package")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(database: Path, script: Path | None = None, extra_env: dict | None = None):
    """Serve the app (or another script) headless on a free loopback port until the block ends."""
    port = free_port()
    env = {**os.environ, "JSW_DB_PATH": str(database), **(extra_env or {})}
    # The app is served as `make run` serves it (jsw_explorer.serve); other scripts by `streamlit run`.
    launcher = ["-m", "streamlit", "run", str(script)] if script else ["-m", "jsw_explorer.serve"]
    command = [sys.executable, *launcher,
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    log = open(ARTIFACTS.mkdir(parents=True, exist_ok=True) or ARTIFACTS / f"server-{port}.log", "w")
    process = subprocess.Popen(command, cwd=APP_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"the app did not start on {url}; see {log.name}")
        yield url, process
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server we started, and kill it if it has not gone within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_idle(page, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has finished running the script and the page has settled."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(300)  # the frontend may start a rerun just after the state flips
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_selector(PATCHED, state="attached", timeout=timeout_ms)
