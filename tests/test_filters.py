"""URL parsing for the global filter: pure functions, no Streamlit session needed."""

import pandas as pd
import pytest

from jsw_explorer.filters import parse_choice, parse_choices, peer_groups, scope_of

OPTIONS = ["S12000033", "S12000034", "S12000041"]


def test_a_valid_list_round_trips_without_duplicates():
    assert parse_choices("S12000033,S12000034,S12000033", OPTIONS) == ["S12000033", "S12000034"]


@pytest.mark.parametrize("raw", ["S12000099", "S12000033,<script>alert(1)</script>", "' or 1=1 --", "x" * 10000])
def test_any_unknown_item_rejects_the_whole_list(raw):
    assert parse_choices(raw, OPTIONS) is None


def test_too_many_items_are_rejected():
    assert parse_choices("S12000033,S12000034", OPTIONS, max_items=1) is None


def test_a_choice_must_be_an_option():
    assert parse_choice("S12000033", OPTIONS) == "S12000033"
    assert parse_choice("s12000033", OPTIONS) is None


def test_peer_groups_cover_both_lgbf_schemes_and_scopes_have_the_members():
    authorities = pd.DataFrame({
        "gss_code": ["A", "B", "C"], "authority": ["a", "b", "c"],
        "family_group_people": [1, 1, 2], "family_group_other": [3, 4, 4],
    })
    groups = peer_groups(authorities)
    assert list(groups) == ["scotland", "people-1", "people-2", "other-3", "other-4"]
    assert scope_of("people-1", authorities) == ("A", "B")
    assert scope_of("other-4", authorities) == ("B", "C")
    assert scope_of("scotland", authorities) == ("A", "B", "C")
