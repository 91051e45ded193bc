"""Shared fixtures: a real database built by the real build code, used by every test.

Only fixtures, hooks and pytest configuration live here; plain helpers are in tests/helpers.py.
"""

from __future__ import annotations

import functools
import inspect
import os
import shutil
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager

from helpers import APP_ROOT, URL_CHOICES


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> Path:
    """The full dataset in data/, built into a temporary file; JSW_DB_PATH points the app at it."""
    from jsw_explorer.build import build

    path = build(db_path=tmp_path_factory.mktemp("db") / "jsw.duckdb")
    os.environ["JSW_DB_PATH"] = str(path)
    return path


@pytest.fixture(autouse=True)
def _use_test_database(database, monkeypatch):
    monkeypatch.setenv("JSW_DB_PATH", str(database))


class _NavigationOnlyPagesManager(PagesManager):
    """AppTest (Streamlit 1.67) sets PagesManager.uses_pages_directory back to None before every run,
    so with a pages/ folder every run would use legacy routing and run the page without the app shell
    (losing button clicks to the reroute in filters.current_filters). A real server clears the flag once
    and for good (jsw_explorer/serve.py); this makes AppTest behave like that server."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def _navigation_only_routing(monkeypatch):
    from streamlit.testing.v1 import app_test

    monkeypatch.setattr(app_test, "PagesManager", _NavigationOnlyPagesManager)


def _recording_choices(widget):
    """A URL-backed widget function that first notes its url key's allowed values in the session."""
    signature = inspect.signature(widget)

    @functools.wraps(widget)
    def recording(*args, **kwargs):
        import streamlit as st

        bound = signature.bind(*args, **kwargs)
        bound.arguments["options"] = options = list(bound.arguments["options"])
        st.session_state.setdefault(URL_CHOICES, {})[bound.arguments["url_key"]] = options
        return widget(*bound.args, **bound.kwargs)

    return recording


@pytest.fixture
def record_url_choices(monkeypatch):
    """For the sweeps that try every control: each URL-backed control records its allowed values as
    the app draws it (the fixture wraps jsw_explorer.filters' url_selectbox, url_radio and
    url_multiselect; AppTest runs the app in this process, and pages import them on every run).
    The values are kept in the drawing session's state under helpers.URL_CHOICES, so each AppTest
    has its own; read them with helpers.url_choices(at)."""
    from jsw_explorer import filters

    for name in ("url_selectbox", "url_radio", "url_multiselect"):
        monkeypatch.setattr(filters, name, _recording_choices(getattr(filters, name)))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (without built files or local imports) for tests that break a source file."""
    target = tmp_path / "data"
    shutil.copytree(APP_ROOT / "data", target, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    return target


# --- Real-browser fixtures (tests marked browser): one server and one Chromium per test module ---

@pytest.fixture(scope="module")
def server(database):
    """The app on a free loopback port, reading the test database."""
    from browser_support import running_app

    with running_app(database) as (url, _process):
        yield url


@pytest.fixture(scope="module")
def browser():
    """The system Chromium through Playwright; fails (never skips) when it is missing."""
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM_ARGS, require_chromium

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
