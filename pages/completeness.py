"""Data completeness: how fully each authority gathers and reports performance, quality and outcomes
evidence, item by item, and where outcomes evidence is furthest behind."""

import streamlit as st

from jsw_explorer.charts.completeness import distribution_chart, gap_chart, items_chart, ranked_chart
from jsw_explorer.charts.groups import band_table, scope_words
from jsw_explorer.components import chart_with_data, query_chart, query_result
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters, url_selectbox

MAX_ITEM_COLUMNS = 6  # the chosen authority and up to five other highlighted ones stay readable side by side

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

scores_params = dict(review=filters.review, scope=scope, highlight=highlight)
scores = run_query("completeness_scores", **scores_params)


def domain_rows(scores, domain: str):
    return scores.loc[scores["domain_id"] == domain]


# The domain and the authority for the item detail change one section each, so each sits in a fragment
# that reruns alone (issue 10); a fragment gets what it needs as arguments (the shell's filter is per run).
@st.fragment
def ranked_section(scores, scores_params: dict, scope_label: str, review: str, peer_group_is_scotland: bool) -> None:
    domains = dict(zip(scores["domain_id"], scores["domain"]))
    domain = url_selectbox("Evidence domain", list(domains), "cdomain", default="overall", format_func=domains.get,
                           help="Performance, quality or outcomes evidence, or all 24 items together.")
    chart_with_data(query_chart(ranked_chart, "completeness_scores", scores_params, domains[domain], scope_label,
                                review, peer_group_is_scotland, select=domain_rows, select_args=(domain,)),
                    f"completeness-{domain}")


@st.fragment
def items_section(names: dict, detail_default: str, highlight: list[str], review: str) -> None:
    chosen = url_selectbox("Authority for the item detail", list(names), "ca", default=detail_default,
                           format_func=names.get, help="Other highlighted authorities are shown alongside it.")
    shown = [chosen, *[code for code in highlight if code != chosen]][:MAX_ITEM_COLUMNS]
    items_params = dict(review=review, authorities=shown)
    items = run_query("completeness_items", **items_params)
    if items.empty:
        st.info(f"There are no item-level ratings for {names[chosen]} in this review edition.")
    else:
        if len({chosen, *highlight}) > MAX_ITEM_COLUMNS:
            st.caption(f"Showing the first {MAX_ITEM_COLUMNS} authorities of the selection.")
        chart_with_data(query_chart(items_chart, "completeness_items", items_params, query_result("completeness_levels"),
                                    review),
                        "completeness-items")


def show_completeness(scores) -> None:
    """Every section of the page, once there are scores to show."""
    st.header("Ranked scores")
    ranked_section(scores, scores_params, scope_label, filters.review, filters.peer_group_is_scotland)

    st.header("How the domains compare")
    chart_with_data(query_chart(distribution_chart, "completeness_scores", scores_params, scope_label, filters.review),
                    "completeness-by-domain-distribution")

    st.header("Item by item")
    items_section(names, highlight[0] if highlight else scope[0], highlight, filters.review)

    st.header("Where is outcomes evidence furthest behind?")
    gap_params = dict(review=filters.review, scope=scope, highlight=highlight)
    gap = run_query("completeness_gap", **gap_params)
    chart_with_data(query_chart(gap_chart, "completeness_gap", gap_params, scope_label, filters.review),
                    "completeness-gap")


if scores.empty:
    st.info("There are no completeness ratings for this review edition and peer group.")
else:
    show_completeness(scores)
