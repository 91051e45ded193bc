"""Filter state <-> st.query_params, so every view can be shared and reopened exactly.

Each filter widget keeps its value in st.session_state under its URL key. A value is read from
the URL when the widget first appears in a session (a shared link), validated against the
allowed options, and written back to the URL after every run. A bad value never raises: the
default is used and a notice says so, without echoing what was in the link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import streamlit as st

from jsw_explorer.config import MAX_QUERY_PARAM_LENGTH

AUTHORITY_KEY = "authority"
GROUP_KEY = "group"
REVIEW_KEY = "review"
PERIOD_KEY = "period"
SCOTLAND_GROUP = "scotland"

# URL keys always understood. Page widgets (url_selectbox and friends) register their own keys as
# they are drawn, so a link with a key no widget on that page understands is reported, not
# silently half-used.
GLOBAL_KEYS = (AUTHORITY_KEY, GROUP_KEY, REVIEW_KEY, PERIOD_KEY)
STREAMLIT_KEYS = ("embed", "embed_options")  # Streamlit's own link options
REGISTERED_KEYS = "_url_keys_this_run"

NOTICES_KEY = "_link_notices"
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Filters:
    """The global filter: authorities to highlight, the peer group in scope, the review."""

    authorities: tuple[str, ...]
    peer_group: str
    review: str
    scope: tuple[str, ...]
    authority_names: tuple[tuple[str, str], ...]

    def name_of(self, gss_code: str) -> str:
        return dict(self.authority_names).get(gss_code, gss_code)

    @property
    def peer_group_is_scotland(self) -> bool:
        return self.peer_group == SCOTLAND_GROUP


def membership(authorities: pd.DataFrame) -> tuple[tuple[str, int, int], ...]:
    """Each authority's gss code and its two LGBF family groups: what peer groups are made of."""
    return tuple(authorities[["gss_code", "family_group_people", "family_group_other"]]
                 .itertuples(index=False, name=None))


FAMILY_SCHEMES = (("people", 1, "people services (by deprivation)"), ("other", 2, "other services (by rurality)"))


@lru_cache(maxsize=32)
def _peer_groups(members: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, str], ...]:
    groups = [(SCOTLAND_GROUP, f"All Scotland ({len(members)} authorities)")]
    for scheme, position, label in FAMILY_SCHEMES:
        for number in sorted({member[position] for member in members}):
            size = sum(1 for member in members if member[position] == number)
            groups.append((f"{scheme}-{number}", f"Family group {number}, {label}: {size} authorities"))
    return tuple(groups)


@lru_cache(maxsize=256)
def _scope_of(peer_group: str, members: tuple[tuple[str, int, int], ...]) -> tuple[str, ...]:
    if peer_group == SCOTLAND_GROUP:
        return tuple(member[0] for member in members)
    scheme, number = peer_group.split("-")
    position = dict((name, position) for name, position, _ in FAMILY_SCHEMES)[scheme]
    return tuple(member[0] for member in members if member[position] == int(number))


# Peer groups and their members are worked out once per set of authorities, not on every run (the app
# shell draws the filter on every rerun of every page).
def peer_groups(authorities: pd.DataFrame) -> dict[str, str]:
    """Peer group id -> label: all Scotland, then the LGBF family groups in both schemes."""
    return dict(_peer_groups(membership(authorities)))


def scope_of(peer_group: str, authorities: pd.DataFrame) -> tuple[str, ...]:
    """The gss codes of the authorities in a peer group."""
    return _scope_of(peer_group, membership(authorities))


# --- Parsing (pure functions: a raw URL value in, a valid value or None out) ----------------

def parse_choice(raw: str, options: Sequence[str]) -> str | None:
    return raw if raw in options else None


def parse_choices(raw: str, options: Sequence[str], max_items: int | None = None) -> list[str] | None:
    """A comma-separated list in which every item is an allowed option (duplicates dropped)."""
    if raw == "":
        return []
    items = list(dict.fromkeys(item.strip() for item in raw.split(LIST_SEPARATOR)))
    if any(item not in options for item in items):
        return None
    if max_items is not None and len(items) > max_items:
        return None
    return items


def read_url_value(url_key: str, label: str, parse: Callable[[str], object]) -> tuple[object | None, str | None]:
    """The parsed URL value for a key (None if absent or bad) and a notice if it was bad."""
    values = st.query_params.get_all(url_key)
    if not values:
        return None, None
    notice = f"The link's **{label}** setting could not be used, so the default is shown."
    if len(values) > 1 or len(values[0]) > MAX_QUERY_PARAM_LENGTH:
        return None, notice
    parsed = parse(values[0])
    return (parsed, None) if parsed is not None else (None, notice)


def add_notice(text: str) -> None:
    st.session_state.setdefault(NOTICES_KEY, [])
    if text not in st.session_state[NOTICES_KEY]:
        st.session_state[NOTICES_KEY].append(text)


def take_notices() -> list[str]:
    return st.session_state.pop(NOTICES_KEY, [])


def start_run() -> None:
    """Forget the URL keys registered by the previous run's widgets."""
    st.session_state[REGISTERED_KEYS] = set()


def register_url_key(url_key: str) -> None:
    """Note a URL key used on this run."""
    st.session_state.setdefault(REGISTERED_KEYS, set()).add(url_key)


def report_unknown_keys() -> None:
    """After the page ran: drop URL keys no widget understood, with a notice (keys not echoed).

    Checked on the first run of a session only, which is when a shared link is opened.
    """
    if st.session_state.get("_unknown_keys_checked"):
        return
    st.session_state["_unknown_keys_checked"] = True
    known = set(GLOBAL_KEYS) | set(STREAMLIT_KEYS) | st.session_state.get(REGISTERED_KEYS, set())
    unknown = [key for key in st.query_params.keys() if key not in known]
    for key in unknown:
        del st.query_params[key]
    if unknown:
        add_notice(f"The link had {len(unknown)} setting(s) this app does not recognise; they were ignored.")


def prepare_state(url_key: str, label: str, default: object, parse: Callable[[str], object],
                  is_valid: Callable[[object], bool]) -> None:
    """Put a valid value in session state before the widget is drawn: URL first, then default."""
    register_url_key(url_key)
    if url_key in st.session_state:
        # Already drawn in this session. When another control changes this widget's options (a
        # period picker after a new indicator), Streamlit sees a new widget that would start from
        # its first option: setting the value again keeps it, and a value the new options lack
        # gives way to the default quietly (not a bad link, so no notice).
        value = st.session_state[url_key]
        st.session_state[url_key] = value if is_valid(value) else default
        return
    value, notice = read_url_value(url_key, label, parse)
    if notice:
        add_notice(notice)
    st.session_state[url_key] = default if value is None else value


def write_url(url_key: str, value: object, default: object) -> None:
    """Mirror a widget's value into the URL; defaults are left out to keep links short."""
    encoded = LIST_SEPARATOR.join(value) if isinstance(value, (list, tuple)) else str(value)
    if value == default or (isinstance(value, (list, tuple)) and list(value) == list(default or [])):
        if url_key in st.query_params:
            del st.query_params[url_key]
    elif st.query_params.get(url_key) != encoded:
        st.query_params[url_key] = encoded


# --- Widgets backed by the URL -----------------------------------------------------------------

def url_selectbox(label: str, options: Sequence[str], url_key: str, default: str | None = None,
                  format_func: Callable[[str], str] = str, container=None, help: str | None = None) -> str:
    """A selectbox whose value lives in the URL under url_key."""
    options = list(options)
    default = options[0] if default is None else default
    prepare_state(url_key, label, default, lambda raw: parse_choice(raw, options), lambda v: v in options)
    value = (container or st).selectbox(label, options, key=url_key, format_func=format_func, help=help)
    write_url(url_key, value, default)
    return value


def url_radio(label: str, options: Sequence[str], url_key: str, default: str | None = None,
              format_func: Callable[[str], str] = str, container=None, help: str | None = None) -> str:
    """A horizontal radio group whose value lives in the URL under url_key."""
    options = list(options)
    default = options[0] if default is None else default
    prepare_state(url_key, label, default, lambda raw: parse_choice(raw, options), lambda v: v in options)
    value = (container or st).radio(label, options, key=url_key, format_func=format_func, horizontal=True, help=help)
    write_url(url_key, value, default)
    return value


def url_multiselect(label: str, options: Sequence[str], url_key: str, default: Sequence[str] = (),
                    format_func: Callable[[str], str] = str, container=None, help: str | None = None,
                    max_selections: int | None = None, placeholder: str = "Choose") -> list[str]:
    """A multiselect whose values live in the URL under url_key, comma-separated."""
    options = list(options)
    default = list(default)
    prepare_state(url_key, label, default, lambda raw: parse_choices(raw, options, max_selections),
                  lambda v: isinstance(v, list) and all(item in options for item in v))
    value = (container or st).multiselect(label, options, key=url_key, format_func=format_func, help=help,
                                          max_selections=max_selections, placeholder=placeholder)
    write_url(url_key, value, default)
    return list(value)


# --- The shared sidebar ------------------------------------------------------------------------

def render_sidebar(authorities: pd.DataFrame, reviews: pd.DataFrame) -> Filters:
    """Draw the global filter in the sidebar and return it; state lives in the URL."""
    names = dict(zip(authorities["gss_code"], authorities["authority"]))
    groups = peer_groups(authorities)
    review_ids = list(reviews["review_id"])
    review_titles = dict(zip(reviews["review_id"], reviews["title"]))
    sidebar = st.sidebar
    sidebar.header("Filter")
    selected = url_multiselect(
        "Authorities to highlight", list(names), AUTHORITY_KEY, format_func=names.get, container=sidebar,
        help="Highlighted in every chart; the first one is the subject of the authority profile.",
        placeholder="Choose one or more authorities",
    )
    group = url_selectbox("Peer group", list(groups), GROUP_KEY, default=SCOTLAND_GROUP, format_func=groups.get,
                          container=sidebar, help="Which authorities the charts compare: all 32 or an LGBF family group.")
    review = url_selectbox("Review edition", review_ids, REVIEW_KEY, format_func=lambda r: f"{r}: {review_titles[r]}",
                           container=sidebar)
    filters = Filters(
        authorities=tuple(selected), peer_group=group, review=review,
        scope=scope_of(group, authorities), authority_names=tuple(names.items()),
    )
    st.session_state["_filters"] = filters
    st.session_state["_reroutes"] = 0
    return filters


def end_run() -> None:
    """Forget this run's filter, so that a page run without the app shell on a later run finds none."""
    st.session_state.pop("_filters", None)


def current_filters() -> Filters:
    """The global filter drawn by streamlit_app.py for this run."""
    if "_filters" not in st.session_state:
        # Opened straight at /<page> on a fresh server: Streamlit's legacy pages/ routing ran this
        # file without streamlit_app.py. Switch that routing off and run again through the app.
        reroutes = st.session_state.get("_reroutes", 0)
        if reroutes < 2:  # bounded: never a rerun loop if Streamlit changes its routing
            st.session_state["_reroutes"] = reroutes + 1
            disable_legacy_pages_routing()
            st.rerun()
        st.error("This page opens through the app. Go to the home page and choose it in the page list.")
        st.stop()
    return st.session_state["_filters"]


def disable_legacy_pages_routing() -> None:
    """Make st.navigation in streamlit_app.py the only router.

    Streamlit 1.50 still treats a folder named pages/ as "multipage v1": a first request for
    /about runs pages/about.py on its own, without the sidebar filter, status banner or
    navigation. The layout we are asked for keeps pages in pages/, so the flag is cleared here.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def period_filter(periods: pd.DataFrame, default: str | None = None) -> str:
    """A period picker in the sidebar, for pages that use one (periods: period, label)."""
    labels = dict(zip(periods["period"], periods["label"]))
    return url_selectbox("Period", list(labels), PERIOD_KEY, default=default, format_func=labels.get,
                         container=st.sidebar, help="Financial year (April to March).")
