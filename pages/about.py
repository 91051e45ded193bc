"""About the data: sources, licences, status, definitions and caveats."""

from functools import partial  # downloads written when pressed, not on every run (issue 10)

import streamlit as st

from jsw_explorer.bulk import EXPORT_QUERIES, csv_zip, workbook
from jsw_explorer.charts.coverage import coverage_chart, coverage_totals, default_period, period_labels
from jsw_explorer.components import chart_with_data, people_table, query_chart, source_caption, with_not_available
from jsw_explorer.data_access import derived_from_query, run_query
from jsw_explorer.disclosure import explanation as disclosure_explanation
from jsw_explorer.downloads import to_csv_bytes
from jsw_explorer.filters import current_filters
from jsw_explorer.status import ILLUSTRATIVE_WARNING
from jsw_explorer.template import template_download_buttons

current_filters()  # every page starts here: it guarantees the page runs inside the app frame
st.title("About the data")

st.header("What is real and what is illustrative")
st.markdown(
    "- **Published**: for every authority, the reconviction rate (2017-18 cohort), recorded crime (10 years) and "
    "NRS population (mid-2015 to mid-2023), read from the Scottish Government's own workbooks; Scotland-level "
    "justice social work statistics, the few per-authority values those publications name, NRS mid-2022 "
    "populations, LGBF family groups, and the review's own words.\n"
    "- **Council-reported**: figures councils published about themselves; their counting rules differ from the "
    "official statistics, so they are kept as separate indicators.\n"
    "- **Illustrative**: per-authority barrier themes, evidence completeness levels and most per-authority "
    "indicator values. The review does not attribute findings to authorities, so these do not exist publicly. "
    "They come from a seeded generator in this repository (`jsw_explorer/generate.py`), calibrated so that "
    "per-authority counts add up to the published Scotland totals and completion rates average to the published "
    "Scotland rate. Real returns replace them by import.\n"
    "- **Calculated**: rates per 10 000 people aged 16-70 worked out by this tool where none was published, "
    "using NRS mid-2022 populations. A rate calculated from a published count has the status *calculated from "
    "published figures*, never *published*; a rate calculated from an illustrative or uploaded count keeps that "
    "status (method: calculated).\n"
    "- **Reference**: this tool's own definitions and layout (indicator catalogue, periods, authority aliases, "
    "tile-grid map): not statistics.\n"
    "- **Uploaded**: figures from a real return loaded by an administrator (see the change log below). They "
    "replace the illustrative values for the same authority and review or period."
)
st.warning(ILLUSTRATIVE_WARNING, icon="⚠️")

st.header("Coverage: what is real, by authority and year")
st.markdown("Every indicator cell (indicator x authority x year, for the years an indicator has any value), "
            "counted by status. Totals for all years are in the last row.")
st.dataframe(derived_from_query(coverage_totals, "coverage_matrix", {}), hide_index=True, width="stretch")
labels = derived_from_query(period_labels, "coverage_matrix", {})
coverage_period = st.selectbox("Year to show cell by cell", list(labels), format_func=labels.get,
                               index=list(labels).index(derived_from_query(default_period, "coverage_matrix", {})),
                               key="coverage_period")
chart_with_data(query_chart(coverage_chart, "coverage_matrix", {}, coverage_period), f"coverage-{coverage_period}",
                kind_column="status")

st.header("Download the whole dataset")
st.markdown("Every table as an Excel workbook (one sheet per table) or a zip of CSV files, with a data dictionary "
            "and the sources and licences. Illustrative rows are marked in the `source_kind` column.")
if st.button("Prepare the whole dataset"):
    with st.spinner("Collecting every table…"):
        tables = {sheet: run_query(query) for sheet, query in EXPORT_QUERIES.items()}
        built_at = run_query("build_status")["built_at"].iloc[0]
        st.session_state["bulk_files"] = (workbook(tables, built_at), csv_zip(tables, built_at))
if "bulk_files" in st.session_state:
    xlsx_file, zip_file = st.session_state["bulk_files"]
    xlsx_column, zip_column = st.columns(2)
    xlsx_column.download_button("Download everything (Excel)", xlsx_file, file_name="jsw-review-explorer-data.xlsx",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                on_click="ignore")
    zip_column.download_button("Download everything (CSV zip)", zip_file, file_name="jsw-review-explorer-data.zip",
                               mime="application/zip", on_click="ignore")

st.header("Sources and licences")
sources = run_query("sources")
st.dataframe(with_not_available(sources), hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("url")})
st.download_button("Download the source list (CSV)", partial(to_csv_bytes, sources), file_name="sources.csv", mime="text/csv")
source_caption(sources, kind_column="kind")

st.header("Indicators")
indicators = run_query("indicator_catalogue")
people_table(indicators)
st.download_button("Download the indicator definitions (CSV)", partial(to_csv_bytes, indicators),
                   file_name="indicators.csv", mime="text/csv")

st.header("Evidence completeness levels")
st.dataframe(run_query("completeness_levels"), hide_index=True, width="stretch")
st.markdown("A completeness score is 100 × the average level ÷ 3, for an authority and an evidence domain.")

st.header("Small numbers: disclosure control")
st.markdown(disclosure_explanation())
st.caption("[c] = confidential: hidden by disclosure control. A value that is simply missing is shown as "
           "'not available' instead, with the reason where it is known.")

st.header("Caveats")
st.markdown(
    "- 2020-21 and 2021-22 were affected by COVID-19 court disruption and are not comparable with other years.\n"
    "- Later publications revise earlier years; the latest (preferred) figure is used.\n"
    "- Recent Scotland figures are rounded in their sources (for example 14,700 CPOs in 2022-23), and the "
    "illustrative per-authority counts add up to those rounded totals.\n"
    "- Published rates used the population estimates of their time; rates calculated here use NRS mid-2022 and "
    "can differ slightly.\n"
    "- Boundaries in maps are 2013 council areas (pre-2018/2019 boundary changes)."
)

st.header("Change log")
st.markdown("Every import of a return, loaded or rejected, and the build of the database now in use. Rejected "
            "attempts change nothing; they appear here after the next build.")
changes = run_query("change_log")
people_table(changes)
st.download_button("Download the change log (CSV)", partial(to_csv_bytes, changes), file_name="change-log.csv",
                   mime="text/csv", key="change-log-csv")

st.header("Data template for real returns")
st.markdown("The people who hold the real returns can replace the illustrative data. The template, generated from "
            "this tool's own schema, has a README sheet explaining every sheet and column, one sheet per table "
            "(barriers, evidence completeness, indicator values, and optionally new indicators and barrier themes) "
            "and the allowed values. Returns are checked in full and loaded by an administrator.")
template_download_buttons(run_query("import_reference"), key="about")

st.header("Accessibility statement")
st.markdown(
    "This statement applies to the Justice social work review explorer. We want as many people as possible to be "
    "able to use it. You should be able to:\n"
    "- choose every filter and setting with a labelled control, using a keyboard alone "
    "(the walkthrough is in `docs/keyboard-walkthrough.md` and is checked by automated tests);\n"
    "- read every chart as text: each has a written description (also given to screen readers) and a Data tab "
    "with the same numbers, downloadable as CSV or Excel;\n"
    "- tell series apart without colour: charts use labels, shapes and line or fill patterns as well.\n\n"
    "**How accessible it is.** We test every page, with default and filtered settings, against WCAG 2.2 A and AA "
    "using axe-core in Chromium on every change, and we check the main tasks with the keyboard alone. Automated "
    "testing finds only some problems. We know of these:\n"
    "- Charts are pictures: their marks cannot be explored one by one with a keyboard or screen reader. The text "
    "description and the Data tab give the same information.\n"
    "- Maps and the funnel plot are hard to read with low vision; use their Data tab.\n"
    "- Some of the framework's own controls (Streamlit) had ARIA faults that this app corrects after the page "
    "loads; assistive technology may briefly meet the uncorrected version.\n"
    "- Data tables are grids drawn on a canvas; screen reader support for them is limited. Download the CSV or "
    "Excel file for full access.\n"
    "- Text inside downloaded chart images (PNG, SVG) is not read by screen readers; the table downloads carry "
    "the same numbers.\n\n"
    "**Compliance status.** Partially compliant with the Web Content Accessibility Guidelines version 2.2 AA "
    "standard, because of the non-compliances listed above.\n\n"
    "**Feedback and reporting problems.** If you find a problem not listed here, or need information in another "
    "format, open an issue in this project's repository. If you are not happy with how we respond, contact the "
    "Equality Advisory and Support Service (EASS).\n\n"
    "- Zooming to 200% and narrow screens have not yet been tested systematically.\n\n"
    "**Preparation of this statement.** Prepared on 26 November 2026 from automated axe-core tests of every page "
    "and a keyboard-only walkthrough of the main tasks."
)
