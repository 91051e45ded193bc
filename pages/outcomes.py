"""Outcomes: indicators across authorities and over time, compared fairly (funnel plot) and mapped."""

import pandas as pd
import streamlit as st

from jsw_explorer.charts.outcome_maps import map_chart
from jsw_explorer.charts.outcomes import funnel_chart, outcome_trend_chart, ranking_chart
from jsw_explorer.components import chart_with_data, query_chart, query_result
from jsw_explorer.data_access import derived_from_query, run_query
from jsw_explorer.filters import current_filters, period_filter, url_selectbox
from jsw_explorer.funnel import Reference, supports_funnel
from jsw_explorer.indicators import (CALCULATED, RECONVICTION_INDICATORS, Indicator, OutcomeChoice, References,
                                     authorities_without_values, boundary_caption, court_group_table, indicator_facts,
                                     map_values, peer_group_values, reference_lines, single_value, sources_text,
                                     trend_series)

DEFAULT_INDICATOR = "reconviction_rate"  # published for all 32 authorities: the page leads with real figures
REFERENCE_NOTE = ("Reference lines: Scotland is the Scotland value (for counts, the median authority, because the "
                  "Scotland total is not comparable with one authority). The peer group's value is pooled for rates "
                  "and percentages (sum of numerators ÷ sum of denominators) when every authority's numerator and "
                  "denominator are known, and otherwise the median of its authorities.")
FUNNEL_GUIDE = (
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

filters = current_filters()
st.title("Outcome indicators")
st.markdown("How authorities compare, against Scotland and their peers, over time and on a map. The reconviction "
            "rate, recorded crime and population are **published** by the Scottish Government for every authority; "
            "most other per-authority values are **illustrative**. Each chart says which.")

indicators = run_query("outcome_indicators")


def pick_indicator(indicators: pd.DataFrame) -> tuple[Indicator, pd.Series]:
    """The indicator to show, from those with per-authority values, grouped by category."""
    by_id = indicators.set_index("indicator_id")
    indicator_id = url_selectbox(
        "Indicator (grouped by category)", list(by_id.index), "indicator",
        default=DEFAULT_INDICATOR if DEFAULT_INDICATOR in by_id.index else None,
        format_func=lambda i: f"{by_id.at[i, 'category']}: {by_id.at[i, 'label']}",
        help="Only indicators with a value for at least one authority are listed.")
    about = by_id.loc[indicator_id]
    return Indicator.from_row(about.to_dict() | {"indicator_id": indicator_id}), about


def show_about(indicator: Indicator, about: pd.Series) -> None:
    """What the indicator is, its unit and direction, where its values come from and their caveats."""
    sources = run_query("outcome_indicator_sources", indicator=indicator.indicator_id)
    with st.container(border=True):
        st.markdown(f"**{indicator.label}** ({about['category']}). {about['definition']}")
        st.markdown(indicator_facts(indicator, about))
        st.markdown(derived_from_query(sources_text, "outcome_indicator_sources", {"indicator": indicator.indicator_id}))
        if sources["method"].eq("calculated").any():
            st.markdown(f"Rates marked *calculated* were **{CALCULATED}**: count ÷ population aged 16-70 × 10 000. "
                        "Published rates used the population estimates of their time, so the two can differ slightly.")
        if isinstance(about["caveats"], str) and about["caveats"]:
            st.markdown(f"**Caveats:** {about['caveats']}")


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


def warn_if_not_comparable(periods: pd.DataFrame, period: str) -> None:
    """A year the COVID-19 court disruption makes not comparable says so before any chart."""
    period_row = periods.set_index("period").loc[period]
    if not period_row["comparable"]:
        st.warning(f"**{period}:** {period_row['note']}", icon="⚠️")


def references_for(choice: OutcomeChoice) -> References:
    """The Scotland line (also the funnel plot's target) and, for a peer group, the group's line."""
    indicator = choice.indicator
    scotland = run_query("outcome_scotland_value", indicator=indicator.indicator_id, period=choice.period)
    return derived_from_query(reference_lines, "outcome_values", choice.values_params, single_value(scotland),
                              *choice.peer_args, choice.whole_scotland)


def show_ranking(choice: OutcomeChoice, references: list[Reference]) -> None:
    """The peer group's authorities, highest first, against Scotland and the peer group."""
    indicator, period = choice.indicator, choice.period
    st.header("Ranking")
    table = derived_from_query(peer_group_values, "outcome_values", choice.values_params, *choice.peer_args)
    if table["value"].isna().all():
        st.info(f"No authority in {choice.scope_label} has a value of {indicator.label} for {period}. "
                "Choose another year or peer group.")
        return
    chart_with_data(query_chart(ranking_chart, "outcome_values", choice.values_params, indicator, period,
                                choice.scope_label, references, select=peer_group_values, select_args=choice.peer_args),
                    f"ranking-{indicator.indicator_id}-{period}")
    st.caption(REFERENCE_NOTE)


def show_trend(choice: OutcomeChoice) -> None:
    """Each highlighted authority (or, with none, the peer group median) and Scotland over every year."""
    indicator = choice.indicator
    st.header("Trend")
    series = derived_from_query(trend_series, "outcome_trend", choice.trend_params, *choice.trend_args)
    if series.empty:
        st.info(f"No values of {indicator.label} over time for this selection.")
    elif series["period"].nunique() < 2:
        st.info(f"{indicator.label} is published for one period only ({series['period'].iloc[0]}), so there is no "
                "trend to draw." + (" The court-based groups above give four cohorts." if indicator.indicator_id in
                                    RECONVICTION_INDICATORS else ""))
    else:
        if not choice.selected:
            st.caption("No authorities are highlighted, so the peer group median is shown; choose authorities to "
                       "highlight in the sidebar to see their own lines.")
        without_values = derived_from_query(authorities_without_values, "outcome_trend", choice.trend_params,
                                            choice.selected, choice.names)
        chart_with_data(query_chart(outcome_trend_chart, "outcome_trend", choice.trend_params, indicator,
                                    choice.scope_label, without_values, select=trend_series,
                                    select_args=choice.trend_args), f"trend-{indicator.indicator_id}")


def show_funnel(choice: OutcomeChoice, target: Reference | None) -> None:
    """The peer group's rates against their denominators, with control limits around the Scotland value."""
    indicator, period = choice.indicator, choice.period
    st.header("Funnel plot: a fair comparison of authorities of different sizes")
    if not supports_funnel(indicator.value_type):
        st.info(f"A funnel plot compares rates and percentages with their denominators; {indicator.label} is a "
                f"{indicator.value_type}. Choose a rate (for example CPOs per 10 000 people aged 16-70) or a "
                "percentage (for example the CPO successful completion rate).")
        return
    if target is None:
        st.info(f"There is no Scotland value of {indicator.label} for {period} to compare with.")
        return
    funnel = query_chart(funnel_chart, "outcome_values", choice.values_params, target, indicator, period,
                         choice.scope_label, select=peer_group_values, select_args=choice.peer_args)
    if funnel.data.empty:
        st.info(f"No authority in {choice.scope_label} has both a value and a denominator for {period}.")
    else:
        chart_with_data(funnel, f"funnel-{indicator.indicator_id}-{period}")
    with st.expander("How to read this funnel plot", expanded=True):
        st.markdown(FUNNEL_GUIDE)


def show_map(choice: OutcomeChoice) -> None:
    """Every council area on a choropleth and a tile grid; outside the peer group in grey."""
    indicator, period = choice.indicator, choice.period
    st.header("Map")
    areas = run_query("map_areas")
    if areas["geojson"].isna().all():
        st.info("The council-area boundaries were not loaded into this database, so only the tile grid is shown.")
    values = query_result("outcome_values", **choice.values_params)
    chart_with_data(query_chart(map_chart, "map_areas", {}, indicator, period, choice.scope_label, select=map_values,
                                select_args=(values, indicator, choice.selected, choice.scope)),
                    f"map-{indicator.indicator_id}-{period}")
    if caption := boundary_caption(areas):
        st.caption(caption)


def show_outcomes(indicators: pd.DataFrame) -> None:
    """Every section of the page, once some indicator has per-authority values."""
    indicator, about = pick_indicator(indicators)
    periods = run_query("outcome_periods", indicator=indicator.indicator_id)
    period = period_filter(periods)
    choice = OutcomeChoice(indicator, period, filters.scope, filters.authorities, filters.authority_names,
                           filters.peer_group_is_scotland)
    show_about(indicator, about)
    if indicator.indicator_id in RECONVICTION_INDICATORS:
        show_court_groups(filters)
    warn_if_not_comparable(periods, period)
    references = references_for(choice)
    show_ranking(choice, references.lines)
    show_trend(choice)
    show_funnel(choice, references.scotland)
    show_map(choice)


if indicators.empty:
    st.info("No indicator has per-authority values in this database, so there is nothing to compare yet.")
else:
    show_outcomes(indicators)
