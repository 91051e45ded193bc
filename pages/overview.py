"""Overview: what the review is, its findings in its own words, headline figures, where to go next."""

import streamlit as st

from jsw_explorer.charts.overview import domain_bars, trend_chart
from jsw_explorer.components import chart_with_data, query_chart
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters

filters = current_filters()
review = run_query("review_headlines", review=filters.review).iloc[0]  # the review filter only offers loaded reviews

st.title("Justice social work: evidencing performance, quality and outcomes")
st.markdown(
    f"In {review['published']:%B %Y} the {review['publisher']} published a national review, "
    f"*[{review['title']}]({review['source_url']})*. Every local authority justice social work service "
    "looked at how well it gathers and reports evidence about community sentences. This explorer lets you "
    "slice the review's themes across Scotland's 32 authorities."
)

headline_columns = st.columns(4)
headline_columns[0].metric("Services that self-evaluated", int(review["services_self_evaluated"]))
headline_columns[1].metric("Validated on site", int(review["services_validated_on_site"]))
headline_columns[2].metric(
    "Barrier themes", int(review["themes_total"]),
    help=f"{review['themes_local']} local and {review['themes_national']} national, as named by the review.",
)
headline_columns[3].metric(
    "Fieldwork", f"{review['fieldwork_from']:%b %y} – {review['fieldwork_to']:%b %y}",
    help=f"Self-evaluations and validation from {review['fieldwork_from']:%B %Y} to {review['fieldwork_to']:%B %Y}.",
)
st.caption(f"{review['themes_local']} local and {review['themes_national']} national barrier themes. "
           f"Source: [{review['source_title']}]({review['source_url']}). Status: Published.")


def quotes(section: str) -> None:
    for quote in run_query("review_quotes", section=section).itertuples():
        st.markdown(f"> “{quote.text}”")
    if quote := next(run_query("review_quotes", section=section).itertuples(), None):
        st.caption(f"Quoted from {quote.publisher}: [{quote.source_title}]({quote.source_url})")


findings_column, barriers_column = st.columns(2)
with findings_column:
    st.subheader("What the review found, in its own words")
    quotes("finding")
with barriers_column:
    st.subheader("Barriers it named")
    quotes("barrier")
    st.subheader("What it set out to do")
    quotes("aim")

st.header("Community sentences in Scotland")
cpo_trend = run_query("scotland_trend", indicator="cpo_commenced")
if cpo_trend.empty:
    st.info("No published Scotland series of community payback orders is loaded.")
else:
    chart_with_data(query_chart(trend_chart, "scotland_trend", {"indicator": "cpo_commenced"},
                                "Community payback orders commenced", "orders"), "scotland-cpo-commenced")

completion_trend = run_query("scotland_trend", indicator="cpo_successful_completion_rate")
if not completion_trend.empty:
    chart_with_data(query_chart(trend_chart, "scotland_trend", {"indicator": "cpo_successful_completion_rate"},
                                "CPO successful completion rate", "percent of CPOs terminated"),
                    "scotland-cpo-completion-rate")

st.header("How complete is the evidence?")
st.markdown("The review found that “services are not systematically gathering and reporting quality or outcomes "
            "data, limiting capacity to demonstrate the effectiveness of community sentences” (Care Inspectorate "
            "news release, 10 June 2025). *Our summary:* the comparison with performance evidence is this tool's "
            "reading, not the review's words; the chart below shows it in the **illustrative** per-authority "
            "dataset, which was generated to agree with that reading.")
domains_params = dict(review=filters.review, scope=filters.scope)
domains = run_query("domain_completeness_summary", **domains_params)
if domains.empty:
    st.info("No completeness scores for this selection.")
else:
    scope_label = "all 32 authorities" if filters.peer_group_is_scotland else f"the {len(filters.scope)} authorities in the peer group"
    chart_with_data(query_chart(domain_bars, "domain_completeness_summary", domains_params, scope_label, filters.review),
                    "completeness-by-domain")

st.header("Where to go next")
st.page_link("pages/barriers.py", label="Barriers: which themes, how widespread, where, and which occur together",
             icon=":material/block:")
st.page_link("pages/completeness.py", label="Data completeness: scores by domain, item detail and the outcomes gap",
             icon=":material/checklist:")
st.page_link("pages/outcomes.py", label="Outcomes: indicators ranked, over time, in a funnel plot and on a map",
             icon=":material/monitoring:")
st.page_link("pages/profile.py", label="Authority profile: one authority on every dimension, and its briefing pack",
             icon=":material/location_city:")
st.page_link("pages/compare.py", label="Compare two to ten authorities side by side", icon=":material/compare_arrows:")
st.page_link("pages/about.py", label="About the data: sources, status, definitions and caveats", icon=":material/info:")
