"""Text that is safe to store, show and write: one home for the characters we never let through.

Control characters (below U+0020 except tab and newline, and U+007F-U+009F) break XLSX files
(openpyxl refuses them) and can rewrite a terminal; bidirectional overrides and zero-width
characters make text read differently from what it holds. The importer refuses them in identifiers
and removes them from free text; every writer passes text through `printable` as well, so a value
that got in by any route can never break a download. Messages that repeat user text use `shown`.
"""

from __future__ import annotations

import re

# C0 controls except tab (\x09) and newline (\x0a), DEL and C1 controls
CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# bidirectional embeddings, overrides and isolates; zero-width space, joiners, word joiner, BOM
INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
UNSAFE = re.compile(f"[{CONTROL}{INVISIBLE}]")


def has_unsafe(text: str) -> bool:
    """Whether the text holds a control, bidirectional or zero-width character."""
    return bool(UNSAFE.search(text))


def printable(value: object) -> object:
    """The value with unsafe characters removed (non-strings pass through unchanged)."""
    return UNSAFE.sub("", value) if isinstance(value, str) else value


def shown(value: object, limit: int = 80) -> str:
    """User text quoted for a message: unsafe characters escaped (\\x1b, \\u202e), long text cut."""
    text = str(value)
    cut = len(text) > limit
    text = text[:limit]
    escaped = UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    escaped = escaped.replace("\t", "\\t").replace("\n", "\\n")
    return f"'{escaped}{'...' if cut else ''}'"
