"""AppTest: the Barriers page, with every number checked against the source CSVs (or the hand-made pattern)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_ROOT
from fixtures_barriers import build_pattern_database
from page_helpers import chart_data, chart_specs, descriptions, headline_of, link_notices, open_page, table

DATA = APP_ROOT / "data"
PAGE = "pages/barriers.py"


def open_barriers(**params) -> AppTest:
    return open_page(PAGE, **params)


def authorities() -> pd.DataFrame:
    return pd.read_csv(DATA / "local_authorities.csv")


def group_codes(scheme: str, number: int) -> set[str]:
    frame = authorities()
    return set(frame.loc[frame[f"lgbf_family_group_{scheme}_services"] == number, "gss_code"])


def group_names(scheme: str, number: int) -> set[str]:
    frame = authorities()
    return set(frame.loc[frame[f"lgbf_family_group_{scheme}_services"] == number, "name"])


def barriers_csv() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "illustrative" / "authority_barriers.csv")
    return frame.merge(pd.read_csv(DATA / "barrier_themes.csv")[["theme_id", "label", "level", "sort_order"]])


def expected_counts(scope: set[str], min_impact: int = 1) -> dict[str, int]:
    """Authorities reporting each theme with at least min_impact, counted with pandas from the CSV."""
    frame = barriers_csv()
    frame = frame.loc[frame["gss_code"].isin(scope)]
    return (frame["reported"] & (frame["impact"] >= min_impact)).groupby(frame["theme_id"]).sum().astype(int).to_dict()


def reporting_counts(at: AppTest) -> dict[str, int]:
    prevalence = table(at, "theme_id", "reporting")
    return dict(zip(prevalence["theme_id"], prevalence["reporting"].astype(int)))


def test_family_group_restricts_every_chart_to_its_eight_authorities():
    group = group_codes("people", 4)
    at = open_barriers(group="people-4")
    assert not at.exception
    assert table(at, "theme_id", "reporting")["authorities"].eq(8).all()
    assert set(table(at, "gss_code", "impact_total")["gss_code"]) == group
    assert table(at, "theme_a_id", "reporting_both")["authorities"].eq(8).all()
    assert set(table(at, "gss_code", "domain_id", "score")["gss_code"]) == group
    assert set(table(at, "gss_code", "indicator", "value")["gss_code"]) == group
    assert set(table(at, "gss_code", "review_wording", "reported")["gss_code"]) <= group, "the detail defaults into the group"
    specs = chart_specs(at)
    assert len(specs) == 7
    names = group_names("people", 4)  # charts send only what they draw: authorities by name
    for spec, data in zip(specs, chart_data(at)):
        if "authority" in data:
            assert set(data["authority"].dropna()) <= names, headline_of(spec)
    data = chart_data(at)
    for index in (1, 5, 6):  # the matrix and the two comparisons show every authority in scope
        assert set(data[index]["authority"].dropna()) == names, headline_of(specs[index])
    assert any("8 authorities in the peer group" in " ".join(spec["title"]["subtitle"]) for spec in specs)


def test_level_national_shows_only_the_three_national_themes():
    themes = pd.read_csv(DATA / "barrier_themes.csv")
    national = set(themes.loc[themes["level"] == "national", "theme_id"])
    national_labels = set(themes.loc[themes["level"] == "national", "label"])
    at = open_barriers(level="national")
    assert not at.exception
    assert len(national) == 3
    assert set(table(at, "theme_id", "reporting")["theme_id"]) == national
    assert set(table(at, "gss_code", "impact_total")["theme_id"]) == national
    cooccurrence = table(at, "theme_a_id", "reporting_both")
    assert set(cooccurrence["theme_a_id"]) == national and len(cooccurrence) == 9
    assert set(table(at, "gss_code", "review_wording", "reported")["theme_id"]) <= national
    assert set(chart_data(at)[0]["theme"]) == national_labels
    assert set(chart_data(at)[1]["theme"]) == national_labels
    assert at.query_params["level"] == "national"


def test_minimum_impact_filter_changes_the_counts_and_the_url():
    at = open_barriers()
    everything = expected_counts(set(authorities()["gss_code"]), 1)
    assert reporting_counts(at) == everything
    at.radio(key="impact").set_value("3").run()
    high = expected_counts(set(authorities()["gss_code"]), 3)
    assert reporting_counts(at) == high
    assert high != everything and sum(high.values()) < sum(everything.values())
    assert at.query_params["impact"] == "3"
    assert any("reported with high impact" in d for d in descriptions(at))


def expected_headline(scope: set[str]) -> str:
    """Worked out from the CSV with pandas, not with the page's code."""
    frame = barriers_csv()
    frame = frame.loc[frame["gss_code"].isin(scope)]
    counts = frame.loc[frame["reported"]].groupby(["sort_order", "label"]).size().reset_index(name="n")
    top = counts.loc[counts["n"] == counts["n"].max()].sort_values("sort_order")
    n, total = int(top["n"].iloc[0]), len(scope)
    if len(top) == 1:
        return f"{top['label'].iloc[0]} is the most widely reported barrier: {n} of {total} authorities"
    labels = [top["label"].iloc[0]] + [label.lower() for label in top["label"].iloc[1:]]
    names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"{names} are the most widely reported barriers: {n} of {total} authorities each"


@pytest.mark.parametrize("group", ["scotland", "people-1", "other-2", "other-4"])
def test_headline_names_the_most_reported_theme_and_its_count(group):
    if group == "scotland":
        scope = set(authorities()["gss_code"])
    else:
        scheme, number = group.split("-")
        scope = group_codes(scheme, int(number))
    headline = expected_headline(scope)
    at = open_barriers(group=group)
    assert headline_of(chart_specs(at)[0]) == headline
    assert descriptions(at)[0].startswith(headline)


def test_an_authority_with_no_reported_barriers_gives_a_message_not_an_error():
    frame = barriers_csv()
    reported = frame.groupby("gss_code")["reported"].sum()
    none = list(reported[reported == 0].index)
    assert none, "the illustrative data has an authority that reports no barrier (Inverclyde)"
    name = authorities().set_index("gss_code").loc[none[0], "name"]
    at = open_barriers(ba=none[0])
    assert not at.exception
    assert any(name in i.value and "reported none" in i.value for i in at.info)
    assert len(chart_specs(at)) == 6, "no chart for the authority with nothing to show"


def test_the_detail_defaults_to_the_first_highlighted_authority_and_lists_its_barriers():
    fife = "S12000047"
    at = open_barriers(authority=f"{fife},S12000045")
    assert at.selectbox(key="ba").value == fife
    frame = barriers_csv()
    fife_themes = set(frame.loc[(frame["gss_code"] == fife) & frame["reported"], "label"])
    listed = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert {line.split("**")[1] for line in listed} == fife_themes
    assert all("The review's words:" in line and "Note:" in line for line in listed)


def test_matrix_sort_by_name_or_total():
    at = open_barriers()
    matrix_spec = chart_specs(at)[1]
    frame = barriers_csv()
    totals = frame.groupby("gss_code")["impact"].sum().rename("total").to_frame().join(
        authorities().set_index("gss_code")["name"]).sort_values(["total", "name"], ascending=[False, True])
    assert matrix_spec["layer"][0]["encoding"]["y"]["sort"] == list(totals["name"])
    at.radio(key="msort").set_value("name").run()
    assert chart_specs(at)[1]["layer"][0]["encoding"]["y"]["sort"] == sorted(totals["name"])
    assert at.query_params["msort"] == "name"


def test_theme_choice_drives_the_comparisons():
    at = open_barriers(theme="reporting_demands", impact="2")
    evidence = table(at, "gss_code", "domain_id", "score")
    assert evidence["theme"].eq("Onerous reporting demands").all()
    frame = barriers_csv().query("theme_id == 'reporting_demands'").set_index("gss_code")
    expected = frame["reported"] & (frame["impact"] >= 2)
    assert all(row.reports_theme == expected[row.gss_code] for row in evidence.itertuples())
    pairs_title = headline_of(chart_specs(at)[4])
    assert pairs_title.startswith(f"Of the {int(expected.sum())} authorities reporting onerous reporting demands")


def test_small_groups_are_flagged_in_a_family_group():
    group = group_codes("people", 4)
    frame = barriers_csv().query("theme_id == 'information_systems'")
    reporting = int(frame.loc[frame["gss_code"].isin(group), "reported"].sum())
    at = open_barriers(group="people-4")
    labels = set(chart_data(at)[5]["group"])
    small = lambda n: ", small group" if 0 < n < 5 else ""  # noqa: E731
    assert labels == {f"Report it (n={reporting}){small(reporting)}",
                      f"Do not report it (n={8 - reporting}){small(8 - reporting)}"}
    assert any("small group" in label for label in labels), "a split of 8 always has a group under 5"


def test_outcome_indicator_and_period_come_from_the_url():
    at = open_barriers(outcome="cpo_successful_completion_rate", period="2023-24")
    outcome = table(at, "gss_code", "indicator", "value")
    values = pd.read_csv(DATA / "illustrative" / "indicator_values.csv").query(
        "indicator_id == 'cpo_successful_completion_rate' and period == '2023-24'").set_index("gss_code")["value"]
    assert all(row.value == pytest.approx(values[row.gss_code]) for row in outcome.itertuples())
    assert outcome["period"].eq("2023-24").all()


def test_a_period_with_no_values_gives_a_message():
    at = open_barriers(outcome="cpo_successful_completion_rate", period="2020-21")
    assert not at.exception
    assert any("No per-authority values of “CPO successful completion rate” are available for 2020-21" in i.value
               for i in at.info)


def test_bad_page_values_in_the_link_fall_back_with_a_notice():
    at = open_barriers(level="everything", msort="impact_total desc; drop table authority")
    assert not at.exception
    assert at.radio(key="level").value == "both" and at.radio(key="msort").value == "total"
    assert len(link_notices(at)) == 2
    assert all("drop table" not in notice for notice in link_notices(at))


def test_each_theme_is_shown_with_the_reviews_own_words():
    at = open_barriers()
    text = " ".join(m.value for m in at.markdown)
    for row in pd.read_csv(DATA / "barrier_themes.csv").itertuples():
        assert (f"**{row.label}** ({row.level}). The review's words: {row.review_wording} (Care Inspectorate "
                f"news release). *Our summary:* {row.description}") in text


def test_illustrative_status_is_shown_with_every_chart():
    at = open_barriers()
    assert sum("Illustrative data" in w.value for w in at.warning) == len(chart_specs(at))
    assert all("ILLUSTRATIVE" in " ".join(spec["title"]["subtitle"]) for spec in chart_specs(at))


@pytest.fixture(scope="module")
def pattern_db(tmp_path_factory):
    return build_pattern_database(tmp_path_factory.mktemp("pattern-page"))


def test_a_minimum_impact_that_removes_everything_gives_a_message(pattern_db, monkeypatch):
    monkeypatch.setenv("JSW_DB_PATH", str(pattern_db))
    at = open_barriers(level="national", impact="3")  # the pattern never rates a national theme high
    assert not at.exception
    assert any("Among all 32 authorities, no authority has a national barrier reported with high impact" in i.value
               for i in at.info)
    with_nothing = sorted(authorities()["gss_code"])[1]  # the pattern's authority 1 reports nothing
    at = open_barriers(ba=with_nothing)
    assert any("reported none of the 7" in i.value for i in at.info)
