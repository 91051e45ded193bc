"""Compare: two to ten authorities side by side on barriers, completeness and outcomes, with Scotland."""

import streamlit as st

from jsw_explorer.charts.profile import IMPACT_LABELS, compare_completeness
from jsw_explorer.components import chart_with_data, people_table, source_caption, table_downloads
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters, period_filter
from jsw_explorer.status import ILLUSTRATIVE_WARNING, row_statuses

MIN_AUTHORITIES, MAX_AUTHORITIES = 2, 10

filters = current_filters()
period = period_filter(run_query("periods"))
st.title("Compare authorities")
chosen = list(filters.authorities)
if not MIN_AUTHORITIES <= len(chosen) <= MAX_AUTHORITIES:  # if/else, not a stop: the app frame runs after the page
    st.info(f"Choose between {MIN_AUTHORITIES} and {MAX_AUTHORITIES} authorities under **Authorities to highlight** "
            f"in the sidebar to compare them side by side (you have chosen {len(chosen)}). The choice is kept in the "
            "link, so you can share the comparison.")
else:
    names = [filters.name_of(code) for code in chosen]
    st.markdown(f"Comparing **{', '.join(names)}**, with Scotland as a reference. Review {filters.review}; "
                f"outcome indicators for {period}.")
    st.warning(ILLUSTRATIVE_WARNING, icon="⚠️")

    st.header("Evidence completeness")
    completeness = run_query("compare_completeness", review=filters.review, authorities=chosen)
    chart_with_data(compare_completeness(completeness, filters.review), "compare-completeness")

    st.header("Barriers")
    barriers = run_query("compare_barriers", review=filters.review, authorities=chosen)
    barrier_table = barriers.assign(impact_words=barriers["impact"].map(IMPACT_LABELS)).pivot_table(
        index=["theme", "level", "scotland_reporting"], columns="area", values="impact_words", aggfunc="first",
        sort=False)[names].reset_index().rename(columns={"scotland_reporting": "Scotland: authorities reporting"})
    barrier_table["source_kind"] = barrier_table["theme"].map(row_statuses(barriers, "theme"))
    people_table(barrier_table)
    table_downloads(barrier_table, "compare-barriers", "Barrier themes side by side")
    source_caption(barriers)

    st.header(f"Outcome indicators, {period}")
    indicators = run_query("compare_indicators", authorities=chosen, period=period)
    if indicators.empty:
        st.info(f"None of the chosen authorities has indicator values for {period}. Choose another period in the sidebar.")
    else:
        values = indicators.pivot_table(index="indicator", columns="area", values="value", aggfunc="first",
                                        sort=False, dropna=False).reindex(columns=[*names, "Scotland"])
        units = indicators.drop_duplicates("indicator").set_index("indicator")["unit"]
        values = values.reset_index().merge(units, on="indicator")
        values["source_kind"] = values["indicator"].map(row_statuses(indicators, "indicator"))
        people_table(values)
        table_downloads(values, f"compare-indicators-{period}", f"Outcome indicators side by side, {period}")
        st.caption("'not available' means no value is held for that authority and year (never zero). Each row's "
                   "source_kind names the status of the values in that row; the long table below gives each value's own.")
        with st.expander("Every value with its numerator, denominator and status"):
            people_table(indicators)
        source_caption(indicators)
