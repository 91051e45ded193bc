"""Builds briefing packs from the test database, as the profile page does, for the briefing and office tests."""

from __future__ import annotations

import pandas as pd

from jsw_explorer.briefing import (BriefingContent, authority_briefing, lead_trend, scotland_briefing, scotland_tiles)
from jsw_explorer.charts.overview import domain_bars, trend_chart
from jsw_explorer.charts.profile import area_trend, barrier_impact, completeness_comparison
from jsw_explorer.data_access import load_sql, open_read_only
from jsw_explorer.summary import authority_summary

EAST_DUNBARTONSHIRE = "S12000045"
REVIEW = "2024-25"


def query(database, name, **params) -> pd.DataFrame:
    with open_read_only(database) as connection:
        return connection.execute(load_sql(name), params).df()


def authority_inputs(database, gss_code: str = EAST_DUNBARTONSHIRE) -> dict:
    names = dict(query(database, "authorities")[["gss_code", "authority"]].itertuples(index=False))
    return {
        "name": names[gss_code],
        "completeness": query(database, "profile_completeness", review=REVIEW, authority=gss_code),
        "barriers": query(database, "profile_barriers", review=REVIEW, authority=gss_code),
        "indicators": query(database, "profile_indicators", authority=gss_code),
        "trend": lambda indicator: query(database, "authority_trend", authority=gss_code, indicator=indicator),
        "sources": query(database, "sources"),
    }


def authority_content(database, gss_code: str = EAST_DUNBARTONSHIRE, indicators: pd.DataFrame | None = None
                      ) -> BriefingContent:
    """The authority briefing, built the way pages/profile.py builds it (indicators may be replaced)."""
    inputs = authority_inputs(database, gss_code)
    name = inputs["name"]
    indicators = inputs["indicators"] if indicators is None else indicators
    completeness, barriers = inputs["completeness"], inputs["barriers"]
    charts = [completeness_comparison(completeness, name, REVIEW), barrier_impact(barriers, name, REVIEW)]
    lead = lead_trend(indicators, inputs["trend"])
    if lead is not None:
        charts.append(area_trend(lead[1], lead[0]["indicator"], lead[0]["unit"]))
    summary = authority_summary(name, completeness, barriers, indicators)
    kinds = pd.concat([indicators["source_kind"], completeness["source_kind"]])
    titles = sorted({*indicators["source_title"].dropna(), *barriers["source_title"].dropna()})
    return authority_briefing(name, REVIEW, summary, charts, indicators, kinds, titles, inputs["sources"])


def scotland_content(database) -> BriefingContent:
    names = list(query(database, "authorities")["gss_code"])
    domains = query(database, "domain_completeness_summary", review=REVIEW, scope=names)
    latest = query(database, "scotland_latest_indicators")
    cpo = query(database, "scotland_trend", indicator="cpo_commenced")
    trend = trend_chart(cpo, "Community payback orders commenced", "orders")
    messages = [trend.description, "Per-authority barrier and completeness figures are illustrative."]
    return scotland_briefing(REVIEW, messages, [domain_bars(domains, "all 32 authorities", REVIEW), trend],
                             latest[["indicator", "period", "value", "unit", "method", "source_kind"]],
                             pd.concat([domains["source_kind"], latest["source_kind"]]),
                             sorted(latest["source_title"].dropna().unique())[:12], query(database, "sources"),
                             scotland_tiles(latest, {"cpo_commenced": cpo}))
