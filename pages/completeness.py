"""Data completeness: how fully each authority gathers and reports performance, quality and outcomes
evidence, item by item, and where outcomes evidence is furthest behind."""

import streamlit as st

from jsw_explorer.charts.completeness import distribution_chart, gap_chart, items_chart, ranked_chart
from jsw_explorer.charts.groups import band_table, scope_words
from jsw_explorer.components import cached_chart, chart_with_data
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters, url_selectbox

MAX_ITEM_COLUMNS = 6  # the chosen authority and up to five other highlighted ones stay readable side by side

# A chart depends only on its arguments, and building one (Altair validates it) costs far more than its
# query, so a rerun with the same data reuses it.
cached = cached_chart

filters = current_filters()
names = dict(filters.authority_names)
scope = list(filters.scope)
scope_label = scope_words(len(scope), filters.peer_group_is_scotland)
highlight = list(filters.authorities)

st.title("How complete is the evidence?")
st.markdown(
    "The review found that “services are not systematically gathering and reporting quality or outcomes data, "
    "limiting capacity to demonstrate the effectiveness of community sentences” (Care Inspectorate news release, "
    "10 June 2025). *Our summary:* that **performance** evidence is gathered and reported more systematically than "
    "**quality** and **outcomes** evidence is this tool's reading; the review's public pages do not compare the "
    "domains. Here each authority's evidence is scored item by item against this tool's own breakdown of the "
    "three domains. The per-authority levels are **illustrative**: generated to agree with that reading, not real "
    "returns."
)

levels = run_query("completeness_levels")
with st.expander("How scores and bands work", expanded=False):
    st.markdown(
        "Each evidence item is rated at one of four levels. An authority's **completeness score** for a domain is "
        "100 × its average level ÷ 3, from 0 (nothing gathered) to 100 (everything gathered systematically, "
        "reported and used for improvement); **overall** averages all 24 items."
    )
    st.dataframe(levels, hide_index=True, width="stretch")
    st.markdown(
        "Scores are grouped into **bands**, shown as words next to every score. The thresholds are where the "
        "average item reaches level 1 (gathered) and level 2 (gathered and reported), so each band says what the "
        "typical item is:"
    )
    st.dataframe(band_table(), hide_index=True, width="stretch")

scores = run_query("completeness_scores", review=filters.review, scope=scope, highlight=highlight)
def show_completeness(scores) -> None:
    """Every section of the page, once there are scores to show."""
    st.header("Ranked scores")
    domains = dict(zip(scores["domain_id"], scores["domain"]))
    domain = url_selectbox("Evidence domain", list(domains), "cdomain", default="overall", format_func=domains.get,
                           help="Performance, quality or outcomes evidence, or all 24 items together.")
    chart_with_data(cached(ranked_chart)(scores.loc[scores["domain_id"] == domain], domains[domain], scope_label, filters.review,
                                 filters.peer_group_is_scotland), f"completeness-{domain}")

    st.header("How the domains compare")
    chart_with_data(cached(distribution_chart)(scores, scope_label, filters.review), "completeness-by-domain-distribution")

    st.header("Item by item")
    detail_default = highlight[0] if highlight else scope[0]
    chosen = url_selectbox("Authority for the item detail", list(names), "ca", default=detail_default, format_func=names.get,
                           help="Other highlighted authorities are shown alongside it.")
    shown = [chosen, *[code for code in highlight if code != chosen]][:MAX_ITEM_COLUMNS]
    items = run_query("completeness_items", review=filters.review, authorities=shown)
    if items.empty:
        st.info(f"There are no item-level ratings for {names[chosen]} in this review edition.")
    else:
        if len({chosen, *highlight}) > MAX_ITEM_COLUMNS:
            st.caption(f"Showing the first {MAX_ITEM_COLUMNS} authorities of the selection.")
        chart_with_data(cached(items_chart)(items, levels, filters.review), "completeness-items")

    st.header("Where is outcomes evidence furthest behind?")
    gap = run_query("completeness_gap", review=filters.review, scope=scope, highlight=highlight)
    chart_with_data(cached(gap_chart)(gap, scope_label, filters.review), "completeness-gap")


if scores.empty:
    st.info("There are no completeness ratings for this review edition and peer group.")
else:
    show_completeness(scores)
