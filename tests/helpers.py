"""Plain helpers shared by the tests: where the app lives and its pages.

Tests import these from here, never from conftest.py (which holds only fixtures and pytest hooks).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # helpers stays light: the browser harness and scripts/ import it too
    from streamlit.testing.v1 import AppTest

APP_ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = str(APP_ROOT / "streamlit_app.py")
PAGES = sorted((APP_ROOT / "pages").glob("*.py"))

# Session-state key under which the record_url_choices fixture (conftest.py) records, as the app draws each
# URL-backed control, its url key -> allowed values.
URL_CHOICES = "_test_url_choices"


def url_choices(at: AppTest) -> dict[str, list]:
    """The allowed values of every URL-backed control drawn in this AppTest session (needs the
    record_url_choices fixture)."""
    if URL_CHOICES not in at.session_state:
        raise LookupError("no control recorded its choices: the test needs the record_url_choices fixture")
    return at.session_state[URL_CHOICES]
