"""Barriers: which themes stop services evidencing impact, how widespread and severe, where, which
occur together, and how they sit alongside evidence completeness and outcomes."""

import streamlit as st

from jsw_explorer.barrier_data import MATRIX_SORTS, pairs_for
from jsw_explorer.charts.barrier_comparisons import evidence_comparison_chart, outcome_comparison_chart
from jsw_explorer.charts.barriers import (authority_chart, cooccurrence_chart, matrix_chart, prevalence_chart,
                                         theme_pairs_chart)
from jsw_explorer.charts.groups import impact_label, reporting_rule, scope_words
from jsw_explorer.components import chart_with_data, query_chart, source_caption
from jsw_explorer.config import SMALL_GROUP_SIZE
from jsw_explorer.data_access import run_query
from jsw_explorer.filters import current_filters, period_filter, url_radio, url_selectbox

LEVELS = {"both": ["local", "national"], "local": ["local"], "national": ["national"]}
LEVEL_LABELS = {"both": "Local and national", "local": "Local only", "national": "National only"}
LEVEL_WORDS = {"both": "", "local": "local ", "national": "national "}  # "a local barrier", "the 3 national barrier themes"
MIN_IMPACTS = {"1": "Any impact", "2": "Moderate or high", "3": "High only"}
PREFERRED_OUTCOME = "cpo_successful_completion_rate"

filters = current_filters()
names = dict(filters.authority_names)
scope = list(filters.scope)
scope_label = scope_words(len(scope), filters.peer_group_is_scotland)

st.title("Barriers to evidencing impact")
st.markdown(
    "In the review, every service “considered their current approaches to gathering and reporting on performance, "
    "quality and outcomes and the factors that were enabling or hindering this work” (Care Inspectorate publication "
    "page). Its news release names four **local** barriers (“Local barriers include …”) and three **national** ones "
    "(“National barriers include …”). This page shows how widespread each is, where, which are reported together, "
    "and how they sit alongside evidence completeness and outcomes. The per-authority ratings and the impact scale "
    "(low, moderate, high) are **illustrative**: this tool's own scale, generated, not real; the review does not "
    "say which authority reported what, nor rate impact."
)

themes = run_query("barrier_themes")
with st.expander("The seven barrier themes, in the review's own words"):
    for theme in themes.itertuples():
        st.markdown(f"**{theme.theme}** ({theme.level}). The review's words: {theme.review_wording} "
                    f"(Care Inspectorate news release). *Our summary:* {theme.description}")
    source_caption(themes)

controls = st.columns(2)
level = url_radio("Barrier level", list(LEVELS), "level", default="both", format_func=LEVEL_LABELS.get,
                  container=controls[0], help="Local and national as the review groups them (“Local barriers include …”, “National barriers "
                       "include …”, Care Inspectorate news release).")
min_impact = int(url_radio("Count a barrier when its impact is", list(MIN_IMPACTS), "impact", default="1",
                           format_func=MIN_IMPACTS.get, container=controls[1],
                           help="Impact is this tool's illustrative scale (low, moderate, high), generated for each barrier "
                                "an authority is shown reporting; the review publishes no impact ratings."))
levels = LEVELS[level]
rule = reporting_rule(min_impact)
highlight = list(filters.authorities)
common = {"review": filters.review, "scope": scope}

st.header("How widespread is each barrier?")
prevalence_params = dict(**common, levels=levels, min_impact=min_impact, highlight=highlight)
prevalence = run_query("barrier_prevalence", **prevalence_params)
if prevalence.empty:
    st.info("There are no barrier ratings for this review edition and peer group.")
elif prevalence["reporting"].sum() == 0:
    st.info(f"Among {scope_label}, no authority has a {LEVEL_WORDS[level]}barrier {rule}. "
            "Lower the minimum impact or choose another level or peer group.")
else:
    chart_with_data(query_chart(prevalence_chart, "barrier_prevalence", prevalence_params, scope_label, filters.review,
                                rule), "barrier-prevalence")

# Controls whose effect is local (the matrix's sort, the authority in detail, the theme and indicator to
# compare) sit in fragments: changing one reruns its section only, not the page (issue 10). A fragment
# gets what it needs as arguments: the app shell's filter is gone after the full run.
@st.fragment
def matrix_section(params: dict, scope_label: str, review: str) -> None:
    sort = url_radio("Sort authorities by", list(MATRIX_SORTS), "msort", default="total",
                     format_func=MATRIX_SORTS.get)
    matrix = run_query("barrier_matrix", **params)
    if matrix.empty:
        st.info("There are no barrier ratings for this review edition and peer group.")
    else:
        st.caption("The matrix shows every rating, whatever the minimum impact chosen above.")
        chart_with_data(query_chart(matrix_chart, "barrier_matrix", params, sort, scope_label, review), "barrier-matrix")


@st.fragment
def detail_section(names: dict, detail_default: str, review: str, levels: list[str], level: str) -> None:
    chosen = url_selectbox("Authority to show in detail", list(names), "ba", default=detail_default,
                           format_func=names.get, help="Defaults to the first highlighted authority.")
    params = dict(review=review, gss_code=chosen, levels=levels)
    detail = run_query("authority_barrier_detail", **params)
    if detail.empty:
        st.info(f"There are no barrier ratings for {names[chosen]} in this review edition.")
    elif not detail["reported"].any():
        st.info(f"{names[chosen]} reported none of the {len(detail)} {LEVEL_WORDS[level]}barrier themes "
                "(illustrative data), so there is nothing to chart. Choose another authority or level.")
    else:
        chart_with_data(query_chart(authority_chart, "authority_barrier_detail", params, review),
                        f"barriers-{names[chosen]}")
        for row in detail.loc[detail["reported"]].itertuples():
            note = row.note if isinstance(row.note, str) and row.note.strip() else "no note recorded"
            st.markdown(f"- **{row.theme}** ({row.level}, {impact_label(row.impact).lower()} impact). "
                        f"The review's words: {row.review_wording}. Note: {note}.")


@st.fragment
def theme_sections(common: dict, theme_labels: dict, default_theme: str, levels: list[str], min_impact: int,
                   highlight: list[str], period: str, scope_label: str, review: str, rule: str) -> None:
    theme = url_selectbox("Theme to compare", list(theme_labels), "theme", default=default_theme,
                          format_func=theme_labels.get,
                          help="Used for the comparison below and for barriers and evidence; any of the seven themes.")
    pairs_params = dict(**common, levels=LEVELS["both"], min_impact=min_impact)
    chart_with_data(query_chart(theme_pairs_chart, "barrier_cooccurrence", pairs_params, theme_labels[theme],
                                scope_label, review, rule, select=pairs_for, select_args=(theme, levels)),
                    "barrier-pairs")

    st.header("Barriers and evidence")
    st.markdown(
        f"Do authorities that report **{theme_labels[theme].lower()}** gather and report evidence differently from "
        "those that do not? Each point is an authority; the tick is each group's median. Groups of fewer than "
        f"{SMALL_GROUP_SIZE} authorities are flagged. These are **associations, not causes**, and in the illustrative "
        "dataset they reflect how the generator made the data (it made barriers more likely where evidence is weaker)."
    )
    evidence_params = dict(**common, theme=theme, min_impact=min_impact, highlight=highlight)
    evidence = run_query("barrier_evidence_comparison", **evidence_params)
    if evidence.empty:
        st.info("There are no completeness scores for this selection.")
    else:
        chart_with_data(query_chart(evidence_comparison_chart, "barrier_evidence_comparison", evidence_params,
                                    theme_labels[theme], scope_label, review, rule), "barriers-and-evidence")

    st.subheader("Barriers and an outcome indicator")
    indicators = run_query("barrier_outcome_indicators")
    indicator_labels = dict(zip(indicators["indicator_id"], indicators["label"]))
    indicator = url_selectbox("Outcome indicator", list(indicator_labels), "outcome",
                              default=PREFERRED_OUTCOME if PREFERRED_OUTCOME in indicator_labels else None,
                              format_func=indicator_labels.get,
                              help="Rates and percentages with values for most authorities. The year is the Period in the sidebar.")
    outcome_params = dict(**common, theme=theme, min_impact=min_impact, highlight=highlight, indicator=indicator,
                          period=period)
    outcome = run_query("barrier_outcome_comparison", **outcome_params)
    if outcome.empty or outcome["value"].notna().sum() == 0:
        st.info(f"No per-authority values of “{indicator_labels[indicator]}” are available for {period}. "
                "Choose another period in the sidebar or another indicator.")
    else:
        chart_with_data(query_chart(outcome_comparison_chart, "barrier_outcome_comparison", outcome_params,
                                    theme_labels[theme], scope_label, review, rule), "barriers-and-outcome")


st.header("Where: every authority's barriers")
matrix_section(dict(**common, levels=levels, highlight=highlight), scope_label, filters.review)

st.subheader("One authority's barriers")
detail_section(names, highlight[0] if highlight else scope[0], filters.review, levels, level)

st.header("Which barriers are reported together?")
cooccurrence_params = dict(**common, levels=levels, min_impact=min_impact)
cooccurrence = run_query("barrier_cooccurrence", **cooccurrence_params)
if cooccurrence.empty:
    st.info("There are no barrier ratings for this selection.")
else:
    chart_with_data(query_chart(cooccurrence_chart, "barrier_cooccurrence", cooccurrence_params, scope_label,
                                filters.review, rule), "barrier-cooccurrence")

period = period_filter(run_query("periods"))  # in the sidebar, which a fragment cannot draw in
theme_sections(common, dict(zip(themes["theme_id"], themes["theme"])), themes["theme_id"].iloc[0], levels,
               min_impact, highlight, period, scope_label, filters.review, rule)
