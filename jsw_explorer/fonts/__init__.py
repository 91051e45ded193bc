"""The project's type family (Source Sans 3, SIL OFL 1.1), shipped as files so every writer can use it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
FAMILY = "Source Sans 3"
# CSS font-family list for Vega: the name is quoted (CSS needs it: a word starts with a digit, and
# vl-convert draws no text at all for the unquoted name); a sans serif follows for browsers without it.
FONT_STACK = f'"{FAMILY}", sans-serif'
FILES = {
    "": FONT_DIR / "SourceSans3-Regular.ttf",
    "B": FONT_DIR / "SourceSans3-Bold.ttf",
    "I": FONT_DIR / "SourceSans3-It.ttf",
    "SB": FONT_DIR / "SourceSans3-Semibold.ttf",
}


@cache
def register_for_vl_convert() -> None:
    """Let vl-convert (PNG, SVG, PDF rendering on the server) find the shipped family; once per process."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))
