"""Security and robustness sweep: hostile links on every page, a random filter sweep, static checks."""

from __future__ import annotations

import random
import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, ENTRYPOINT, PAGES, url_choices
from jsw_explorer.filters import REGISTERED_KEYS

HOSTILE_VALUES = {
    "sql": "x' ; drop table source; --",
    "script": "<script>alert(document.cookie)</script>",
    "markdown_image": "![x](http://example.invalid/x.png)",
    "long": "A" * 10_000,
    "unicode": "\u202eS12000047\u0000",
    "number": "12345",
}
# Keys every page understands plus a few that pages use; unknown keys are fine to send too.
KEYS = ["authority", "group", "review", "period", "indicator", "level", "domain", "unknown_key"]


def run_page(page, params: dict) -> AppTest:
    """Open a link straight to a page: the first run of the session is on that page."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(str(page.relative_to(APP_ROOT))).run()


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "error", "title", "header", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("value_name", HOSTILE_VALUES)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_hostile_link_values_on_every_page_give_a_notice_and_are_never_echoed(page, value_name):
    value = HOSTILE_VALUES[value_name]
    at = run_page(page, {key: value for key in KEYS})
    assert not at.exception
    assert any("link" in w.value for w in at.warning), "a notice says the link could not be used"
    text = shown_text(at)
    assert "<script>" not in text and "drop table" not in text and "example.invalid" not in text


def test_repeated_keys_on_every_page_give_a_notice(subtests=None):
    for page in PAGES:
        at = run_page(page, {"group": ["people-1", "people-2"], "authority": ["S12000047", "S12000045"]})
        assert not at.exception, page.stem
        assert any("link" in w.value for w in at.warning), page.stem


def another_value(rng: random.Random, current, options: list):
    """A random allowed value other than the current one (a multiselect: a small subset)."""
    for _ in range(20):
        if isinstance(current, list):
            value = rng.sample(options, k=rng.randint(0, min(5, len(options))))
        else:
            value = rng.choice(options)
        if value != current:
            return value
    return None  # a control with a single option cannot change


@pytest.mark.usefixtures("record_url_choices")
def test_a_random_sweep_of_filter_changes_runs_every_page_and_the_link_reopens_the_view():
    """About 200 random changes across pages, each to a URL-backed control and to another allowed
    value: the page runs without error and the control keeps the value. After each page's sweep,
    its link opened in a new session shows every control as it was left."""
    rng = random.Random(20250610)
    per_page = 200 // len(PAGES) + 1
    for page in PAGES:
        at = run_page(page, {})
        changed = set()
        for _ in range(per_page):
            choices = url_choices(at)
            assert at.session_state[REGISTERED_KEYS] <= set(choices), f"{page.stem}: a URL control the sweep cannot see"
            key = rng.choice(sorted(choices))
            value = another_value(rng, at.session_state[key], choices[key])
            if value is None:
                continue
            at.session_state[key] = value
            at.run()
            where = f"{page.stem} after setting {key}={value!r}"
            assert not at.exception, where
            assert at.session_state[key] == value, f"{where}: the control did not keep the value"
            changed.add(key)
        assert len(changed) >= 2, f"{page.stem}: the sweep changed fewer than two controls"
        reopened = run_page(page, dict(at.query_params))
        assert not reopened.exception, page.stem
        assert not any("link" in w.value for w in reopened.warning), f"{page.stem}: its own link was refused"
        assert reopened.session_state[REGISTERED_KEYS] <= set(url_choices(reopened)), page.stem
        for key in url_choices(reopened):
            assert reopened.session_state[key] == at.session_state[key], f"{page.stem}: the link lost {key}"


SOURCE_FILES = [*APP_ROOT.glob("pages/*.py"), *APP_ROOT.glob("jsw_explorer/**/*.py"), APP_ROOT / "streamlit_app.py"]


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: str(p.relative_to(APP_ROOT)))
def test_no_sql_is_built_from_formatted_strings(path):
    text = path.read_text(encoding="utf-8")
    formatted_sql = re.findall(r"""\.execute\(\s*(f["']|["'][^"']*["']\s*(%|\.format))""", text)
    if path.name == "build.py":
        # the build formats table and column names taken from its own code (never user input)
        assert "TABLES_LOADED_BY_BUILD" in text
        return
    assert not formatted_sql, f"{path.name} formats SQL; bind $parameters instead"


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: str(p.relative_to(APP_ROOT)))
def test_no_unsafe_html(path):
    assert "unsafe_allow_html" not in path.read_text(encoding="utf-8")


def test_pages_never_touch_the_database_or_files_directly():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "import duckdb" not in text and "open(" not in text and "read_csv" not in text, page.stem


def test_server_config_protects_users():
    config = tomllib.loads((APP_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 10
    assert config["client"]["showErrorDetails"] == "none"


def test_pages_do_not_call_st_stop():
    # st.stop() would also stop the app frame that reports link problems after the page ran
    for page in PAGES:
        assert "st.stop()" not in page.read_text(encoding="utf-8"), page.stem
