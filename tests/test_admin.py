"""AppTest: the Load data page exists only for an administrator; the upload panel checks, previews
and loads; a loaded return shows in the pages and the status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT, ENTRYPOINT
from fixtures_returns import REVIEW, authorities, csv_bytes, good_return, xlsx_bytes
from jsw_explorer import admin, ingest
from jsw_explorer import build as builder
from jsw_explorer.data_access import clear_caches, open_read_only

PASSWORD = "correct horse battery staple"
LOAD_PAGE = "pages/load_data.py"


def app(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def page_title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="admin_password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def load_page_is_offered(at: AppTest) -> bool:
    """Whether st.navigation registered the Load data page on the last run (AppTest refuses to open
    a page the navigation does not list, as a browser asking for /load_data gets the home page)."""
    try:
        at.switch_page(LOAD_PAGE)
    except ValueError as refused:
        assert "Could not find a navigation page" in str(refused)
        return False
    return True


def labels(at: AppTest, element: str) -> list[str]:
    return [e.proto.label for e in at.get(element)]


def test_without_an_administrator_configured_there_is_no_load_data_page_or_sign_in():
    at = app()
    assert not at.exception
    assert "Administrator sign-in" not in [e.label for e in at.expander]
    assert not load_page_is_offered(at), "the page is not in the navigation"


def test_a_visitor_who_is_not_signed_in_does_not_get_the_page_and_a_wrong_password_is_refused():
    at = app({"admin": {"password": PASSWORD}})
    assert "Administrator sign-in" in [e.label for e in at.expander]
    assert not load_page_is_offered(at)
    sign_in(at, "correct horse")
    assert any("not right" in e.value for e in at.error)
    assert not load_page_is_offered(at)


def test_five_wrong_passwords_lock_the_session_out():
    at = app({"admin": {"password": PASSWORD}})
    for _ in range(admin.MAX_TRIES):
        sign_in(at, "guess")
    at.run()
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert not at.text_input, "no more tries in this session"


def test_an_administrator_who_signs_in_gets_the_page_with_template_upload_and_log():
    at = sign_in(app({"admin": {"password": PASSWORD}}), PASSWORD)
    assert not at.exception
    assert "Sign out of administration" in [b.label for b in at.button]
    at.switch_page(LOAD_PAGE).run()
    assert not at.exception
    assert page_title(at) == "Load data"
    assert {"Download the data template (XLSX)", "Download the template as CSV files (ZIP)"} <= set(
        labels(at, "download_button"))
    assert len(at.get("file_uploader")) == 1
    assert [h.value for h in at.header][:2] == ["1. Download the template", "2. Upload a return to check it"]
    assert any("event" in df.value.columns for df in at.dataframe), "the import log is shown"


def test_the_page_refuses_to_run_for_a_non_administrator_even_when_opened_directly():
    at = AppTest.from_file(str(APP_ROOT / LOAD_PAGE), default_timeout=60).run()
    assert at.error, "a page run outside the app frame refuses with a message"
    assert not at.title
    assert not at.get("file_uploader")


@pytest.mark.parametrize("email, allowed", [("analyst@example.gov.scot", True), ("ANALYST@example.gov.scot", True),
                                            ("someone@example.com", False), ("", False)])
def test_with_oidc_only_allow_listed_signed_in_emails_get_the_page(email, allowed, monkeypatch):
    monkeypatch.setattr(admin, "current_email", lambda: email)
    at = app({"admin": {"emails": ["analyst@example.gov.scot"]},
              "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                       "client_id": "x", "client_secret": "x",
                       "server_metadata_url": "https://login.example/.well-known/openid-configuration"}})
    assert load_page_is_offered(at) is allowed
    if allowed:
        assert page_title(at.run()) == "Load data"


def test_the_password_is_compared_in_constant_time_and_an_empty_one_never_matches():
    assert admin.password_matches(PASSWORD, PASSWORD)
    assert not admin.password_matches(PASSWORD + " ", PASSWORD)
    assert not admin.password_matches("", "")


# --- The upload panel and what a load changes in the pages --------------------------------------

@pytest.fixture
def workspace(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A copy of data/ and its database; the app (JSW_DB_PATH, JSW_DATA_DIR) points at them."""
    data = tmp_path / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "geo", "uploads"))
    db = builder.build(data, tmp_path / "jsw.duckdb")
    monkeypatch.setenv("JSW_DB_PATH", str(db))
    monkeypatch.setenv("JSW_DATA_DIR", str(data))
    yield data, db
    clear_caches()


def panel(file_name: str, content: bytes) -> None:
    from jsw_explorer.admin import return_panel

    return_panel(file_name, content)


def test_the_panel_lists_every_problem_of_a_bad_return_and_changes_nothing(workspace):
    data, db = workspace
    before = db.read_bytes()
    bad = csv_bytes(pd.DataFrame({"review_id": [REVIEW, REVIEW], "authority": ["Fyfe", "Fife"],
                                  "item_id": ["perf_orders_volume", "perf_first_contact"], "level": [2, 9]}))
    at = AppTest.from_function(panel, args=("completeness.csv", bad), default_timeout=60).run()
    assert not at.exception
    assert "cannot be loaded" in at.error[0].value and "Nothing has been changed" in at.error[0].value
    problems = at.dataframe[0].value
    assert {"sheet", "row", "column", "value", "problem"} <= set(problems.columns)
    assert ((problems["row"] == 2) & (problems["column"] == "authority")
            & problems["problem"].str.contains("Did you mean 'Fife'")).any()
    assert ((problems["row"] == 3) & (problems["column"] == "level")).any()
    assert not [b for b in at.button if b.label == "Load this return"]
    assert db.read_bytes() == before
    journal = pd.read_csv(data / "uploads" / "import_log.csv")
    assert journal["outcome"].tolist() == ["rejected"]


def test_the_panel_previews_a_good_return_and_loads_it_on_confirmation(workspace):
    data, db = workspace
    content = xlsx_bytes(good_return(data))
    at = AppTest.from_function(panel, args=("full-return.xlsx", content), default_timeout=120).run()
    assert not at.exception
    assert "passed every check" in at.success[0].value
    assert any("Read 224 rows from 'authority\\_barriers'; 768 rows from 'completeness'; 96 rows from "
               "'indicator\\_values'." == m.value for m in at.markdown), [m.value for m in at.markdown]
    preview = at.dataframe[0].value
    assert set(preview["table"]) == {"Barriers", "Evidence completeness", "Indicator values"}
    assert preview.groupby("table")["rows replaced"].sum()["Barriers"] == 224
    with open_read_only(db) as connection:
        assert connection.execute("select count(*) from import_log").fetchone()[0] == 0, "not loaded before confirming"

    next(b for b in at.button if b.label == "Load this return").click().run()
    assert not at.exception
    assert any("Loaded 'full-return.xlsx' as import 1" in s.value for s in at.success)
    with open_read_only(db) as connection:
        assert connection.execute("select file_name, outcome from import_log").fetchall() == [
            ("full-return.xlsx", "loaded")]


def expected_domain_medians(data: Path, sheets: dict[str, pd.DataFrame]) -> dict[str, float]:
    items = pd.read_csv(data / "evidence_items.csv")[["item_id", "domain_id"]]
    scores = sheets["completeness"].merge(items, on="item_id").groupby(["authority", "domain_id"])["level"].mean()
    return (100 * scores / 3).groupby("domain_id").median().round(1).to_dict()


def test_a_loaded_return_shows_in_the_status_the_pages_and_the_change_log(workspace):
    data, db = workspace
    sheets = good_return(data)
    at = app()  # before: no uploaded rows
    assert not any("uploaded" in c.value for c in at.caption if "Data status" in c.value)

    outcome = ingest.load(xlsx_bytes(sheets), "full-return.xlsx", loaded_by="tester", data_dir=data, db_path=db)
    assert outcome.outcome == "loaded"
    at = app()
    status = next(c.value for c in at.caption if "Data status" in c.value)
    # every row in the return, plus the rates the build calculates from its two count indicators
    counts_with_rates = sheets["indicator_values"]["indicator_id"].isin(["cpo_commenced", "dtto_commenced"]).sum()
    uploaded = sum(len(f) for f in sheets.values()) + counts_with_rates
    assert f"{uploaded:,} uploaded" in status
    assert "uploaded returns" in status

    medians = next(df.value for df in at.dataframe if "median_score" in df.value.columns)
    for domain, median in expected_domain_medians(data, sheets).items():
        assert medians.set_index("domain_id").loc[domain, "median_score"] == pytest.approx(median)
    assert set(medians["source_kind"]) == {"uploaded"}

    at.switch_page("pages/about.py").run()
    log = next(df.value for df in at.dataframe if "event" in df.value.columns)
    row = log[log["event"] == "Import 1"].iloc[0]
    assert (row["file_name"], row["loaded_by"], row["outcome"]) == ("full-return.xlsx", "tester", "loaded")
    assert any("[c]" in m.value for m in at.markdown), "the disclosure rule is explained"


def test_the_panel_shows_a_file_name_and_values_from_a_return_escaped(workspace):
    name = "completeness\x1b[31m:red[x][y](z).csv"
    bad = b"review_id,authority,item_id,level\n2024-25,Fife\x1b[2J,perf_orders_volume,2\n"
    at = AppTest.from_function(panel, args=(name, bad), default_timeout=60).run()
    assert not at.exception
    message = at.error[0].value
    assert "\x1b" not in message and "\\\\x1b" in message and "\\:red\\[x\\]\\[y\\]" in message
    problems = at.dataframe[0].value
    assert not problems.map(lambda v: "\x1b" in str(v)).any().any()
    assert (problems["value"] == "Fife\\x1b[2J").any()
