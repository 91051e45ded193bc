"""Load data (administrators only): the template, a checked upload with a preview, the import log."""

import streamlit as st

from jsw_explorer.admin import is_admin, return_panel
from jsw_explorer.config import MAX_RETURN_BYTES
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters
from jsw_explorer.template import template_download_buttons

current_filters()  # every page starts here: it guarantees the page runs inside the app frame


def load_data_page() -> None:
    st.title("Load data")
    st.markdown(
        "Replace the illustrative data with real returns, safely. A return is checked in full before anything "
        "changes: every problem is listed with its sheet, row, column and value. A return that passes is loaded "
        "**all or nothing** into a new database file, which replaces the current one in a single step (the previous "
        "file is kept as a backup). Imported rows are labelled **uploaded** everywhere they are shown, and small "
        "counts are hidden by disclosure control (see About the data)."
    )

    st.header("1. Download the template")
    template_download_buttons(run_query("import_reference"), key="load-data")
    st.caption("The README sheet explains every sheet and column, the allowed values and what each row replaces. "
               "From the command line: `python -m jsw_explorer.ingest FILE --dry-run` checks a return without loading it.")

    st.header("2. Upload a return to check it")
    uploaded = st.file_uploader(f"Return to check (XLSX or CSV, up to {MAX_RETURN_BYTES // (1024 * 1024)} MB)",
                                type=["xlsx", "csv"], key="return_upload")
    if uploaded is None:
        st.info("Choose a filled-in template (or one of its CSV files). Checking it changes nothing.")
    else:
        return_panel(uploaded.name, uploaded.getvalue())

    st.header("What the database holds now")
    holdings = run_query("data_by_status")
    st.dataframe(holdings, hide_index=True, width="stretch")

    st.header("Import log")
    st.dataframe(run_query("change_log"), hide_index=True, width="stretch")


if is_admin():  # the page is not in the navigation otherwise; this guards a direct link too
    load_data_page()
else:
    st.error("This page is for administrators only.")
