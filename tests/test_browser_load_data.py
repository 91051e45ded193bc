"""Real browser: an administrator signs in, uploads a bad return (every problem listed, nothing
changed), then a good one (preview, confirm, loaded), and the status changes at once."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, running_app, wait_idle
from helpers import APP_ROOT
from fixtures_returns import good_return, xlsx_bytes
from jsw_explorer import build as builder

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-load")
    data = root / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db = builder.build(data, root / "jsw.duckdb")
    secrets = root / "secrets.toml"
    secrets.write_text(f'[admin]\npassword = "{PASSWORD}"\n')
    (root / "good-return.xlsx").write_bytes(xlsx_bytes(good_return(data)))
    (root / "completeness.csv").write_text("review_id,authority,item_id,level\n2024-25,Fyfe,perf_orders_volume,9\n")
    return root, data, db, secrets


@pytest.fixture(scope="module")
def server(workspace):
    root, data, db, secrets = workspace
    with running_app(db, extra_env={"JSW_DATA_DIR": str(data), "STREAMLIT_SECRETS_FILES": str(secrets)}) as (url, _):
        yield url


def test_an_administrator_uploads_a_bad_then_a_good_return(server, browser, workspace):
    root, data, db, _ = workspace
    before = db.read_bytes()
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(server)
    wait_idle(page)
    assert page.get_by_role("link", name="Load data").count() == 0, "no Load data page before signing in"

    page.get_by_text("Administrator sign-in").click()
    page.get_by_label("Administrator password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out of administration")).to_be_visible(timeout=60000)
    wait_idle(page)
    page.get_by_role("link", name="Load data").first.click()
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(re.compile("Load data"))

    page.locator('input[type="file"]').set_input_files(str(root / "completeness.csv"))
    wait_idle(page)
    expect(page.get_by_text("cannot be loaded", exact=False).first).to_be_visible(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "load-data-rejected.png"), full_page=True)
    assert db.read_bytes() == before

    page.locator('input[type="file"]').set_input_files(str(root / "good-return.xlsx"))
    wait_idle(page)
    expect(page.get_by_text("passed every check", exact=False).first).to_be_visible(timeout=30000)
    expect(page.get_by_text("Read 224 rows from 'authority_barriers'", exact=False).first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "load-data-preview.png"), full_page=True)
    page.get_by_role("button", name="Load this return").click()
    wait_idle(page, timeout_ms=60000)
    expect(page.get_by_text("as import 2", exact=False).first).to_be_visible(timeout=60000)
    expect(page.get_by_text(re.compile(r"[\d,]+ uploaded")).first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "load-data-loaded.png"), full_page=True)
    assert db.read_bytes() != before
    assert (data / "uploads" / "0002").is_dir()  # import 1 was the rejected file, logged
