"""Charts for the Barriers page that set barriers beside other measures: evidence completeness scores and
an outcome indicator, for authorities that do and do not report a theme (strip charts, group medians).

Associations only, never causes: every description says so.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsw_explorer.barrier_data import beside_published
from jsw_explorer.charts.common import FONT, ChartWithText, format_number, states_status
from jsw_explorer.charts.groups import (
    HIGHLIGHT_MARK, ILLUSTRATIVE_NOTE, NO_CAUSATION, group_axis_label, group_summary, join_words, titled_wrapped,
    with_jitter,
)
from jsw_explorer.config import FOCUS_COLOUR, PALETTE, SMALL_GROUP_SIZE


# --- Barriers and evidence ---------------------------------------------------------------------

def _group_labels(frame: pd.DataFrame, value_column: str, theme: str) -> tuple[dict[bool, str], pd.DataFrame]:
    summary = group_summary(frame, value_column)
    labels = {bool(r.reports_theme): group_axis_label(bool(r.reports_theme), int(r.n), bool(r.small))
              for r in summary.itertuples()}
    return labels, summary


def _strip_layers(value_column: str, value_title: str, labels: dict[bool, str],
                  x_domain: list[float] | None) -> list[alt.Chart]:
    """Points per group (circle vs diamond), highlighted authorities named, a median tick per group."""
    order = [labels[True], labels[False]]
    x = alt.X(f"{value_column}:Q", title=value_title,
              scale=alt.Scale(domain=x_domain) if x_domain else alt.Scale(zero=False))
    y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    points = alt.Chart().mark_point(filled=True, size=70, opacity=0.85).encode(
        x=x, y=y, yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1]), title=None),
        shape=alt.Shape("group:N", sort=order, scale=alt.Scale(domain=order, range=["circle", "diamond"]), legend=None),
        color=alt.Color("group:N", sort=order, scale=alt.Scale(domain=order, range=[FOCUS_COLOUR, PALETTE[1]]), legend=None),
        tooltip=[alt.Tooltip("authority:N", title="Authority"), alt.Tooltip(f"{value_column}:Q", title=value_title),
                 alt.Tooltip("group:N", title="Group"), alt.Tooltip("source_kind:N", title="Status")],
    )
    medians = alt.Chart().transform_filter(f"isValid(datum.{value_column})").transform_aggregate(
        median=f"median({value_column})", groupby=["group"],
    ).mark_tick(color="#0B0C0C", thickness=3, size=30).encode(
        x=alt.X("median:Q"), y=y, tooltip=[alt.Tooltip("median:Q", title="Group median", format=".1f")])
    median_text = alt.Chart().transform_filter(f"isValid(datum.{value_column})").transform_aggregate(
        median=f"median({value_column})", groupby=["group"],
    ).transform_calculate(label="'median ' + format(datum.median, '.1f')").mark_text(
        dy=-20, font=FONT, fontSize=11, color="#0B0C0C").encode(x="median:Q", y=y, text="label:N")
    names = alt.Chart().transform_filter("datum.highlighted").mark_text(
        dy=14, font=FONT, fontSize=11, fontWeight="bold", color="#0B0C0C").encode(
        x=x, y=y, yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])), text="highlight_label:N")
    return [points, medians, median_text, names]


def describe_group_comparison(summary: pd.DataFrame, theme: str, what: str, unit: str = "") -> str:
    """Medians of two groups in words, with sizes and small-group flags; no causal words."""
    by = {bool(r.reports_theme): r for r in summary.itertuples()}
    yes, no = by[True], by[False]
    if yes.n == 0 or no.n == 0:
        whole = yes.n or no.n
        who = "report" if yes.n else "do not report"
        return f"All {whole} authorities with a value {who} {theme.lower()}, so there is no second group to compare {what} with."
    text = (f"Median {what}: {format_number(yes.median, unit)} among the {yes.n} authorities that report "
            f"{theme.lower()}, {format_number(no.median, unit)} among the {no.n} that do not.")
    small = [r for r in (yes, no) if r.small]
    if small:
        text += f" A group with fewer than {SMALL_GROUP_SIZE} authorities is flagged: its median moves a lot with one authority."
    return text


def describe_evidence_comparison(frame: pd.DataFrame, theme: str, scope_label: str, rule: str) -> str:
    if frame.empty:
        return "No completeness scores are available for this selection."
    parts = []
    for domain, rows in frame.groupby("domain_order"):
        summary = group_summary(rows, "score")
        parts.append(describe_group_comparison(summary, theme, f"{rows['domain'].iloc[0].lower()} completeness score"))
    return (f"Completeness scores (0-100) across {scope_label}, comparing authorities that report {theme.lower()} "
            f"({rule}) with those that do not. " + " ".join(parts) + " " + NO_CAUSATION)


def evidence_comparison_headline(frame: pd.DataFrame, theme: str) -> str:
    differences = []
    for _order, rows in frame.groupby("domain_order"):
        summary = group_summary(rows, "score").set_index("reports_theme")
        if summary.loc[True, "n"] and summary.loc[False, "n"]:
            differences.append((abs(summary.loc[True, "median"] - summary.loc[False, "median"]), rows["domain"].iloc[0],
                                summary.loc[True, "median"], summary.loc[False, "median"]))
    if not differences:
        return f"Every authority in scope is in one group for {theme.lower()}: there is nothing to compare"
    _gap, domain, yes, no = max(differences, key=lambda d: d[0])
    return (f"Largest difference in {domain.lower()} evidence: median score {yes:.0f} where {theme.lower()} is "
            f"reported, {no:.0f} where it is not")


@states_status
def evidence_comparison_chart(frame: pd.DataFrame, theme: str, scope_label: str, review: str, rule: str) -> ChartWithText:
    """Strip chart per evidence domain: completeness scores of authorities that do and do not report a theme."""
    headline = evidence_comparison_headline(frame, theme)
    description = f"{headline}. {describe_evidence_comparison(frame, theme, scope_label, rule)}"
    labels, _summary = _group_labels(frame.drop_duplicates("gss_code"), "score", theme)
    data = with_jitter(frame.assign(group=frame["reports_theme"].map(labels),
                                    highlight_label=[f"{HIGHLIGHT_MARK}{a}" for a in frame["authority"]]),
                       ["domain", "group"], "score")
    domains = list(data.sort_values("domain_order")["domain"].drop_duplicates())
    layers = _strip_layers("score", "Completeness score (0-100)", labels, [0, 100])
    chart = alt.layer(*layers, data=data).properties(height=90, width=560).facet(
        row=alt.Row("domain:N", sort=domains, title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                            labelFont=FONT, labelFontSize=13,
                                                                            labelFontWeight="bold", labelOrient="top")),
    )
    chart = titled_wrapped(chart, headline,
                   (f"Completeness score by evidence domain, authorities that report {theme.lower()} ({rule}) and those "
                    f"that do not, {scope_label}, review {review}; tick: group median. {ILLUSTRATIVE_NOTE}"),
                   description)
    return ChartWithText(chart, description, frame)


def describe_outcome_comparison(frame: pd.DataFrame, theme: str, scope_label: str, rule: str) -> str:
    indicator, unit, period = frame["indicator"].iloc[0], frame["unit"].iloc[0], frame["period"].iloc[0]
    missing = frame.loc[frame["value"].isna(), "authority"].tolist()
    text = (f"{indicator} ({unit}) in {period} across {scope_label}, comparing authorities that report {theme.lower()} "
            f"({rule}) with those that do not. "
            + describe_group_comparison(group_summary(frame, "value"), theme, indicator, unit))
    if missing:
        text += (f" Not available for {len(missing)} authorit{'y' if len(missing) == 1 else 'ies'} "
                 f"({join_words(missing[:5])}{' and others' if len(missing) > 5 else ''}): no value was published or generated.")
    if beside_published(frame):
        text = (f"This chart puts ILLUSTRATIVE barrier ratings beside published values of {indicator}: it shows how "
                "the comparison works and supports no conclusion about any authority. " + text)
    return text + " " + NO_CAUSATION


def outcome_comparison_headline(frame: pd.DataFrame, theme: str) -> str:
    summary = group_summary(frame, "value").set_index("reports_theme")
    indicator, unit = frame["indicator"].iloc[0], frame["unit"].iloc[0]
    if beside_published(frame):  # a real outcome against made-up barriers: no conclusion may be drawn
        return f"ILLUSTRATIVE barrier ratings beside published {indicator}: no conclusion to draw"
    if not (summary.loc[True, "n"] and summary.loc[False, "n"]):
        return f"Every authority with a value is in one group for {theme.lower()}: there is nothing to compare"
    return (f"{indicator}: median {format_number(summary.loc[True, 'median'], unit)} where {theme.lower()} is reported, "
            f"{format_number(summary.loc[False, 'median'], unit)} where it is not")


@states_status
def outcome_comparison_chart(frame: pd.DataFrame, theme: str, scope_label: str, review: str, rule: str) -> ChartWithText:
    """Strip chart: one indicator's values for authorities that do and do not report a theme."""
    headline = outcome_comparison_headline(frame, theme)
    description = f"{headline}. {describe_outcome_comparison(frame, theme, scope_label, rule)}"
    labels, _summary = _group_labels(frame, "value", theme)
    data = frame.dropna(subset=["value"]).assign(
        group=lambda f: f["reports_theme"].map(labels),
        highlight_label=lambda f: [f"{HIGHLIGHT_MARK}{a}" for a in f["authority"]]).pipe(with_jitter, ["group"], "value")
    indicator, unit, period = frame["indicator"].iloc[0], frame["unit"].iloc[0], frame["period"].iloc[0]
    layers = _strip_layers("value", unit[:1].upper() + unit[1:], labels, None)
    chart = titled_wrapped(alt.layer(*layers, data=data).properties(height=160),
                   headline,
                   (f"{indicator} ({unit}), {period}, authorities that report {theme.lower()} ({rule}) and those that do "
                    f"not, {scope_label}; tick: group median. Barrier data review {review}. {ILLUSTRATIVE_NOTE}"),
                   description)
    return ChartWithText(chart, description, frame)
