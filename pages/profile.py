"""Authority profile: one authority on every dimension, a written summary, its peers and the briefing pack."""

import time

import pandas as pd
import streamlit as st

from jsw_explorer.charts.overview import domain_bars, trend_chart
from jsw_explorer.charts.profile import area_trend, barrier_impact, completeness_comparison
from jsw_explorer.components import chart_with_data, people_table, query_chart, source_caption, table_downloads
from jsw_explorer.data_access import derived_from_query, run_query
from jsw_explorer.filters import current_filters, url_radio, url_selectbox
from jsw_explorer.indicators import court_group_table
from jsw_explorer.similarity import SIMILARITY_WEIGHTS, most_similar
from jsw_explorer.status import ILLUSTRATIVE_WARNING
from jsw_explorer.summary import authority_summary, published_figures, published_sentences

filters = current_filters()
names = dict(filters.authority_names)
authorities = run_query("authorities")
default = filters.authorities[0] if filters.authorities else sorted(names, key=names.get)[0]
gss_code = url_selectbox("Authority", sorted(names, key=names.get), "profile", default=default, format_func=names.get,
                         help="Defaults to the first authority highlighted in the sidebar.")
name = names[gss_code]
st.title(f"Authority profile: {name}")

subject_params = dict(review=filters.review, authority=gss_code)
completeness = run_query("profile_completeness", **subject_params)
barriers = run_query("profile_barriers", **subject_params)
indicators = run_query("profile_indicators", authority=gss_code)
summary = authority_summary(name, completeness, barriers, indicators)
published = derived_from_query(published_figures, "profile_published", {"authority": gss_code})

st.header("Published figures")
st.caption(f"Figures for {name} published by the Scottish Government (or calculated by this tool from published "
           "figures), before anything illustrative. Ranks are among authorities with a published value.")
if published.empty:
    st.info(f"No published figures for {name} are in this database.")
else:
    st.markdown("\n".join(f"- {sentence}" for sentence in published_sentences(name, published)))
    people_table(published.drop(columns=["indicator_id"]))
    table_downloads(published, f"published-{name}", f"Published figures for {name}")
    st.caption("The reconviction rate is Experimental Statistics, by council of residence (about 20% of offenders "
               "have no known council); the Scottish Government's court-based group figures are the definitive "
               "local rates.")
    groups = derived_from_query(court_group_table, "court_group_reconviction", {"authorities": [gss_code]})
    if len(groups):
        st.subheader(f"Court-based group containing {name}: the group's figures, not {name}'s own")
        st.dataframe(groups.drop(columns=["authority", "court_group", "gss_code", "note"]), hide_index=True,
                     width="stretch")

st.header("Summary")
st.markdown("\n".join(f"- {sentence}" for sentence in summary))
st.warning(ILLUSTRATIVE_WARNING, icon="⚠️")

st.header("Evidence completeness")
if completeness.empty:
    st.info(f"No completeness levels are recorded for {name} in review {filters.review}.")
else:
    chart_with_data(query_chart(completeness_comparison, "profile_completeness", subject_params, name, filters.review),
                    f"completeness-{name}")

st.header("Barriers")
if barriers.empty:
    st.info(f"No barrier themes are recorded for {name} in review {filters.review}.")
else:
    chart_with_data(query_chart(barrier_impact, "profile_barriers", subject_params, name, filters.review),
                    f"barriers-{name}")

st.header("Outcome indicators")
if indicators.empty:
    st.info(f"No indicator values are recorded for {name}.")
else:
    table = indicators[["indicator", "period", "value", "numerator", "denominator", "rank_highest_first",
                        "authorities_with_value", "family_group_median", "scotland_value", "method", "source_kind",
                        "source_title"]]
    people_table(table)
    table_downloads(table, f"indicators-{name}", f"Outcome indicators for {name}")
    source_caption(indicators)
    trend_options = dict(zip(indicators["indicator_id"], indicators["indicator"]))
    trend_indicator = url_selectbox("Indicator to show over time", list(trend_options), "trend",
                                    default="cpo_per_10000_pop_16_70" if "cpo_per_10000_pop_16_70" in trend_options
                                    else None, format_func=trend_options.get)
    unit = indicators.loc[indicators["indicator_id"] == trend_indicator, "unit"].iloc[0]
    chart_with_data(query_chart(area_trend, "authority_trend", dict(authority=gss_code, indicator=trend_indicator),
                                trend_options[trend_indicator], unit), f"trend-{trend_indicator}-{name}")

st.header("Peers")
row = authorities.set_index("gss_code").loc[gss_code]
family = authorities[authorities["family_group_people"] == row["family_group_people"]]
st.markdown(f"**LGBF people-services family group {row['family_group_people']}** (grouped by deprivation): "
            + ", ".join(family["authority"]) + ".")
periods = run_query("periods")
latest_comparable = periods[periods["comparable"]]["period"].iloc[0]
similar = derived_from_query(most_similar, "similarity_features", {"period": latest_comparable}, gss_code)
st.subheader("Most similar authorities")
people_table(similar)
table_downloads(similar, f"similar-to-{name}", f"Authorities most similar to {name}", kind_column="rates_source_kind")
with st.expander("How similarity is measured"):
    st.markdown(
        f"Each authority is described by: population aged 16-70 (log scale), CPOs and DTTOs per 10 000 aged 16-70 "
        f"in {latest_comparable}, and its two LGBF family groups (deprivation and rurality). Each measure is turned "
        "into a z-score across the 32 authorities and weighted "
        + ", ".join(f"{measure.replace('_', ' ')} {weight}" for measure, weight in SIMILARITY_WEIGHTS.items())
        + ". The distance is the weighted Euclidean distance; a missing measure is left out of that comparison. "
        "The volume rates are illustrative for most authorities, so the neighbours are too."
    )

st.header("Briefing pack")
subject = url_radio("Briefing for", ["authority", "scotland"], "briefing", format_func=lambda s: name if s == "authority" else "Scotland")
if st.button("Create briefing pack (PDF and PowerPoint)", type="primary"):
    # fpdf2 and python-pptx are imported only when a pack is made (about half a second at start otherwise).
    from jsw_explorer.briefing import (authority_briefing, lead_trend, scotland_briefing, scotland_key_messages,
                                       scotland_tiles, to_pdf, to_pptx)

    progress = st.progress(0, text="Collecting figures…")
    started = time.perf_counter()
    sources = sorted({*indicators["source_title"].dropna(), *barriers["source_title"].dropna()})
    all_sources = run_query("sources")
    if subject == "authority":
        charts = [completeness_comparison(completeness, name, filters.review), barrier_impact(barriers, name, filters.review)]
        lead = lead_trend(indicators, lambda i: run_query("authority_trend", authority=gss_code, indicator=i))
        if lead is not None:  # the trend of the lead indicator: published first, as in the headline figures
            charts.append(area_trend(lead[1], lead[0]["indicator"], lead[0]["unit"]))
        kinds = pd.concat([indicators["source_kind"], completeness["source_kind"]])
        content = authority_briefing(name, filters.review, summary, charts, indicators, kinds, sources, all_sources)
    else:
        domains = run_query("domain_completeness_summary", review=filters.review, scope=list(names))
        counts = run_query("barrier_counts", review=filters.review, scope=list(names))
        latest = run_query("scotland_latest_indicators")
        cpo = run_query("scotland_trend", indicator="cpo_commenced")
        messages = scotland_key_messages(domains, counts, trend_chart(cpo, "Community payback orders commenced", "orders"))
        charts = [domain_bars(domains, "all 32 authorities", filters.review),
                  trend_chart(cpo, "Community payback orders commenced", "orders")]
        table = latest[["indicator", "period", "value", "unit", "method", "source_kind"]]
        content = scotland_briefing(filters.review, messages, charts, table,
                                    pd.concat([domains["source_kind"], latest["source_kind"]]),
                                    sorted(latest["source_title"].dropna().unique())[:12], all_sources,
                                    scotland_tiles(latest, {"cpo_commenced": cpo}))
    progress.progress(30, text="Drawing the PDF…")
    pdf = to_pdf(content)
    progress.progress(65, text="Drawing the slides…")
    pptx = to_pptx(content)
    progress.progress(100, text=f"Ready in {time.perf_counter() - started:.1f} s")
    st.session_state["briefing_files"] = (subject, gss_code, filters.review, pdf, pptx)

ready = st.session_state.get("briefing_files")
if ready and ready[:3] == (subject, gss_code, filters.review):
    from jsw_explorer.briefing import PPTX_MIME  # loaded already: the pack was made

    stem = f"briefing-{'scotland' if subject == 'scotland' else name.lower().replace(' ', '-')}"
    pdf_column, pptx_column = st.columns(2)
    pdf_column.download_button("Download briefing (PDF)", ready[3], file_name=f"{stem}.pdf", mime="application/pdf",
                               on_click="ignore")
    pptx_column.download_button("Download briefing (PowerPoint)", ready[4], file_name=f"{stem}.pptx", mime=PPTX_MIME,
                                on_click="ignore")
    st.caption(f"PDF {len(ready[3]) / 1024:.0f} KB, PowerPoint {len(ready[4]) / 1024:.0f} KB. Every page and slide states "
               "the data status.")
