"""Streamlit's private legacy-routing flag, which jsw_explorer.serve and tests/conftest.py rely on.

These tests fail the day Streamlit renames or removes the flag, or stops consulting it, so the
workaround is revisited then rather than silently doing nothing. Upstream behaviour: a folder named
pages/ beside the entry point turns on multipage-v1 routing until st.navigation runs once
(streamlit/runtime/pages_manager.py, PagesManager.__init__; reported in docs/streamlit-routing.md).
"""

from __future__ import annotations

import inspect
import subprocess
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import app_test

from helpers import APP_ROOT


def test_streamlit_still_has_the_private_legacy_routing_flag():
    assert "uses_pages_directory" in vars(PagesManager)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner.ScriptRunner), \
        "the script runner no longer reads the flag: check whether pages/ still triggers legacy routing"


def test_a_fresh_pages_manager_still_turns_legacy_routing_on_for_a_pages_folder(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(APP_ROOT / "streamlit_app.py"), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True, "Streamlit fixed it: remove jsw_explorer.serve's workaround"


def test_apptest_still_resets_the_flag_before_every_run():
    # tests/conftest.py's _NavigationOnlyPagesManager exists only because of this reset
    assert "PagesManager.uses_pages_directory = None" in inspect.getsource(app_test.AppTest._run)


def test_the_launcher_clears_the_flag_before_the_server_starts(monkeypatch):
    from jsw_explorer import serve

    started = {}

    def fake_cli_main():
        started["flag"] = PagesManager.uses_pages_directory
        started["argv"] = list(sys.argv)
        return 0

    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    monkeypatch.setattr("streamlit.web.cli.main", fake_cli_main)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert serve.main(["--server.port", "9999"]) == 0
    assert started["flag"] is False
    assert started["argv"][1:3] == ["run", str(APP_ROOT / "streamlit_app.py")]
    assert started["argv"][-2:] == ["--server.port", "9999"]


def test_the_launcher_help_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "jsw_explorer.serve", "--help"], cwd=APP_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Usage" in done.stdout
