"""Outcomes: indicators across authorities and over time, compared fairly (funnel plot) and mapped."""

import streamlit as st

from jsw_explorer.charts import outcome_maps
from jsw_explorer.charts import outcomes as charts
from jsw_explorer.components import cached_chart, chart_with_data
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters, period_filter, url_selectbox
from jsw_explorer.funnel import peer_group_reference, scotland_reference, supports_funnel
from jsw_explorer.indicators import (CALCULATED, RECONVICTION_INDICATORS, Indicator, court_group_table, direction_text,
                                     map_table, prepare_values, trend_series)
from jsw_explorer.status import status_label

DEFAULT_INDICATOR = "reconviction_rate"  # published for all 32 authorities: the page leads with real figures


cached = cached_chart


ranking_chart, outcome_trend_chart = cached(charts.ranking_chart), cached(charts.outcome_trend_chart)
funnel_chart, map_chart = cached(charts.funnel_chart), cached(outcome_maps.map_chart)

filters = current_filters()
st.title("Outcome indicators")
st.markdown("How authorities compare, against Scotland and their peers, over time and on a map. The reconviction "
            "rate, recorded crime and population are **published** by the Scottish Government for every authority; "
            "most other per-authority values are **illustrative**. Each chart says which.")

indicators = run_query("outcome_indicators")
def show_court_groups(filters) -> None:
    """The definitive local reconviction figures: by court-based group, each labelled as the group's."""
    with st.expander("Court-based groups: the Scottish Government's definitive local reconviction rates",
                     expanded=bool(filters.authorities)):
        st.markdown("Reconviction by the **group of councils served by the courts** where offenders were convicted, "
                    "four cohorts. Each figure is the **group's**, not any one authority's own. Published "
                    "(Experimental Statistics).")
        if not filters.authorities:
            st.info("Highlight authorities in the sidebar to see the court-based groups that contain them.")
            return
        groups = court_group_table(run_query("court_group_reconviction", authorities=list(filters.authorities)))
        st.dataframe(groups.drop(columns=["court_group", "gss_code", "note"]), hide_index=True, width="stretch")


def show_outcomes(indicators) -> None:
    """Every section of the page, once some indicator has per-authority values."""
    by_id = indicators.set_index("indicator_id")
    indicator_id = url_selectbox(
        "Indicator (grouped by category)", list(by_id.index), "indicator",
        default=DEFAULT_INDICATOR if DEFAULT_INDICATOR in by_id.index else None,
        format_func=lambda i: f"{by_id.at[i, 'category']}: {by_id.at[i, 'label']}",
        help="Only indicators with a value for at least one authority are listed.")
    indicator = Indicator.from_row(by_id.loc[indicator_id].to_dict() | {"indicator_id": indicator_id})
    about = by_id.loc[indicator_id]

    periods = run_query("outcome_periods", indicator=indicator_id)
    period = period_filter(periods)
    period_row = periods.set_index("period").loc[period]
    scope_label = ("all 32 authorities" if filters.peer_group_is_scotland
                   else f"the {len(filters.scope)} authorities in the peer group")

    sources = run_query("outcome_indicator_sources", indicator=indicator_id)
    with st.container(border=True):
        st.markdown(f"**{indicator.label}** ({about['category']}). {about['definition']}")
        st.markdown(f"**Unit:** {indicator.unit}. **Direction:** {direction_text(indicator)}. "
                    f"**Values for:** {int(about['authorities_with_values'])} of 32 authorities in at least one year; "
                    f"latest year {about['latest_period']}.")
        source_lines = [
            f"- [{row.title}]({row.url})" if isinstance(row.url, str) and row.url.startswith("http") else f"- {row.title}"
            for row in sources.drop_duplicates("source_id").head(6).itertuples()]
        kinds = sorted({status_label(kind) for kind in sources["kind"]})
        retrieved = sources["retrieved"].dropna()
        retrieved_text = f"; last retrieved {retrieved.max():%d %B %Y}" if len(retrieved) else ""
        st.markdown(f"**Sources** ({'; '.join(kinds)}{retrieved_text}):\n"
                    + "\n".join(source_lines)
                    + (f"\n- and {sources['source_id'].nunique() - 6} more" if sources["source_id"].nunique() > 6 else ""))
        if sources["method"].eq("calculated").any():
            st.markdown(f"Rates marked *calculated* were **{CALCULATED}**: count ÷ population aged 16-70 × 10 000. "
                        "Published rates used the population estimates of their time, so the two can differ slightly.")
        if isinstance(about["caveats"], str) and about["caveats"]:
            st.markdown(f"**Caveats:** {about['caveats']}")
    if indicator_id in RECONVICTION_INDICATORS:
        show_court_groups(filters)
    if not period_row["comparable"]:
        st.warning(f"**{period}:** {period_row['note']}", icon="⚠️")

    all_values = run_query("outcome_values", indicator=indicator_id, period=period,
                           scope=[code for code, _ in filters.authority_names])
    scotland = run_query("outcome_scotland_value", indicator=indicator_id, period=period)
    scotland_value = scotland["value"].iloc[0] if len(scotland) else None
    all_table = prepare_values(all_values, indicator, filters.authorities)  # the maps show all 32
    table = prepare_values(all_values.loc[all_values["gss_code"].isin(filters.scope)], indicator,
                           filters.authorities)  # ranks within the peer group
    scotland_line = scotland_reference(scotland_value, all_values, indicator.value_type)
    peer_line = None if filters.peer_group_is_scotland else peer_group_reference(table, indicator.value_type)
    references = [line for line in (scotland_line, peer_line) if line is not None]

    st.header("Ranking")
    if table["value"].isna().all():
        st.info(f"No authority in {scope_label} has a value of {indicator.label} for {period}. "
                "Choose another year or peer group.")
    else:
        chart_with_data(ranking_chart(table, indicator, period, scope_label, references),
                        f"ranking-{indicator_id}-{period}")
        st.caption("Reference lines: Scotland is the Scotland value (for counts, the median authority, because the "
                   "Scotland total is not comparable with one authority). The peer group's value is pooled for rates "
                   "and percentages (sum of numerators ÷ sum of denominators) when every authority's numerator and "
                   "denominator are known, and otherwise the median of its authorities.")

    st.header("Trend")
    trend = run_query("outcome_trend", indicator=indicator_id)
    series = trend_series(trend, indicator, filters.authorities, filters.scope, dict(filters.authority_names))
    without_values = tuple(filters.name_of(code) for code in filters.authorities
                           if code not in set(trend["gss_code"]))
    if series.empty:
        st.info(f"No values of {indicator.label} over time for this selection.")
    elif series["period"].nunique() < 2:
        st.info(f"{indicator.label} is published for one period only ({series['period'].iloc[0]}), so there is no "
                "trend to draw." + (" The court-based groups above give four cohorts." if indicator_id in
                                    RECONVICTION_INDICATORS else ""))
    else:
        if not filters.authorities:
            st.caption("No authorities are highlighted, so the peer group median is shown; choose authorities to "
                       "highlight in the sidebar to see their own lines.")
        chart_with_data(outcome_trend_chart(series, indicator, scope_label, without_values), f"trend-{indicator_id}")

    st.header("Funnel plot: a fair comparison of authorities of different sizes")
    if not supports_funnel(indicator.value_type):
        st.info(f"A funnel plot compares rates and percentages with their denominators; {indicator.label} is a "
                f"{indicator.value_type}. Choose a rate (for example CPOs per 10 000 people aged 16-70) or a "
                "percentage (for example the CPO successful completion rate).")
    elif scotland_line is None:
        st.info(f"There is no Scotland value of {indicator.label} for {period} to compare with.")
    else:
        funnel = funnel_chart(table, scotland_line, indicator, period, scope_label)
        if funnel.data.empty:
            st.info(f"No authority in {scope_label} has both a value and a denominator for {period}.")
        else:
            chart_with_data(funnel, f"funnel-{indicator_id}-{period}")
        with st.expander("How to read this funnel plot", expanded=True):
            st.markdown(
                "Each point is an authority: its value (up) against the size of the group it is calculated from "
                "(across). Small authorities vary more by chance, so the control limits around the Scotland value "
                "widen to the left. A point outside the **95%** limits (dashed) would happen by chance about 1 time "
                "in 20; outside the **99.8%** limits (solid), about 1 in 500: worth a closer look, not a verdict. "
                "Points inside the limits are consistent with Scotland, whatever their rank.\n\n"
                "**Formulas** (normal approximations; z = 1.960 for 95%, 3.090 for 99.8%; target = Scotland value):\n"
                "- Percentages, n = denominator: limits = 100 × (p ± z × √(p(1 − p) / n)), with p = target ÷ 100 "
                "(binomial).\n"
                "- Rates per 10 000, n = population aged 16-70: limits = r ± z × √(r × 10 000 / n), with r = target "
                "(Poisson). A rate published without its population is placed at the authority's NRS mid-2022 "
                "population aged 16-70.\n\n"
                "Funnel plots of ILLUSTRATIVE values show how the method works, not how any authority performs.")

    st.header("Map")
    areas = run_query("map_areas")
    if areas["geojson"].isna().all():
        st.info("The council-area boundaries were not loaded into this database, so only the tile grid is shown.")
    chart_with_data(map_chart(map_table(areas, all_table, filters.scope), indicator, period, scope_label),
                    f"map-{indicator_id}-{period}")
    boundary = areas.dropna(subset=["boundary_source_title"]).head(1)
    if len(boundary):
        row = boundary.iloc[0]
        st.caption(f"Boundaries: [{row['boundary_source_title']}]({row['boundary_source_url']}). Licence: "
                   f"{row['boundary_licence']} Council areas as in 2013, joined to today's codes (Fife, Perth and "
                   "Kinross, Glasgow City and North Lanarkshire changed code in 2018-2019); simplified for display.")


if indicators.empty:
    st.info("No indicator has per-authority values in this database, so there is nothing to compare yet.")
else:
    show_outcomes(indicators)
