"""Entry point: page config, the shared sidebar filter, status banner and st.navigation over pages/."""

from pathlib import Path

import streamlit as st

from jsw_explorer.admin import admin_sidebar, is_admin
from jsw_explorer.config import DATA_DIR, database_path
from jsw_explorer.accessibility import apply_accessibility_fixes
from jsw_explorer.components import status_banner
from jsw_explorer.data_access import run_query
from jsw_explorer.startup import ensure_database
from jsw_explorer.filters import (disable_legacy_pages_routing, end_run, render_sidebar, report_unknown_keys, start_run,
                                  take_notices)

PAGES_DIR = Path(__file__).resolve().parent / "pages"

disable_legacy_pages_routing()
st.set_page_config(page_title="Justice social work review explorer", page_icon="⚖️", layout="wide")
ensure_database(str(database_path()), str((DATA_DIR / "jsw.duckdb").resolve()))

pages = [
    st.Page(PAGES_DIR / "overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page(PAGES_DIR / "barriers.py", title="Barriers", icon=":material/block:", url_path="barriers"),
    st.Page(PAGES_DIR / "completeness.py", title="Data completeness", icon=":material/checklist:", url_path="completeness"),
    st.Page(PAGES_DIR / "outcomes.py", title="Outcomes", icon=":material/monitoring:", url_path="outcomes"),
    st.Page(PAGES_DIR / "profile.py", title="Authority profile", icon=":material/location_city:", url_path="profile"),
    st.Page(PAGES_DIR / "compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(PAGES_DIR / "about.py", title="About the data", icon=":material/info:", url_path="about"),
]
if is_admin():  # an administrator configured in .streamlit/secrets.toml, signed in (see jsw_explorer/admin.py)
    pages.append(st.Page(PAGES_DIR / "load_data.py", title="Load data", icon=":material/upload:", url_path="load_data"))
navigation = st.navigation(pages)

apply_accessibility_fixes()
st.sidebar.markdown("### Justice social work review explorer")
start_run()
render_sidebar(run_query("authorities"), run_query("reviews"))
admin_sidebar()
notice_area = st.container()
status_banner(run_query("build_status"))

try:
    navigation.run()
finally:  # also after a page's st.stop(): link problems found by page widgets are still reported
    report_unknown_keys()
    end_run()
    with notice_area:
        for notice in take_notices():
            st.warning(notice, icon="🔗")
