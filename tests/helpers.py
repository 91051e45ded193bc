"""Plain helpers shared by the tests: where the app lives and its pages.

Tests import these from here, never from conftest.py (which holds only fixtures and pytest hooks).
"""

from __future__ import annotations

from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = str(APP_ROOT / "streamlit_app.py")
PAGES = sorted((APP_ROOT / "pages").glob("*.py"))
