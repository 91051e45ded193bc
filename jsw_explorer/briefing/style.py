"""The colours both briefing formats share, so the PDF and the deck look like one pack."""

from __future__ import annotations

# Colours (Analysis Function palette): navy for structure, orange edge and pale fill for illustrative, teal
# for published. Text on fills is near-black, so every tag keeps a contrast ratio above 7:1.
NAVY = (18, 67, 109)
TEXT = (11, 12, 12)
GREY = (80, 90, 95)
RULE = (191, 191, 191)
WHITE = (255, 255, 255)
TAG_COLOURS = {  # kind -> (edge, fill)
    "illustrative": ((244, 106, 37), (253, 227, 214)),
    "published": ((40, 161, 151), (216, 240, 238)),
    "council_reported": ((18, 67, 109), (220, 230, 240)),
    "uploaded": ((128, 22, 80), (240, 220, 232)),
}
OTHER_TAG_COLOURS = (NAVY, (230, 230, 230))  # a status with no colours of its own: navy on pale grey
# The native PowerPoint charts' series, in order: the palette's navy, teal, dark grey, orange and plum.
SERIES_COLOURS = [(18, 67, 109), (40, 161, 151), (61, 61, 61), (244, 106, 37), (128, 22, 80)]


def tag_colours(kind: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(edge, fill) of a status tag."""
    return TAG_COLOURS.get(kind, OTHER_TAG_COLOURS)


def status_colours(status: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(edge, fill) of the data-status box or footer: the illustrative colours whenever the pack has any."""
    return TAG_COLOURS["illustrative" if "ILLUSTRATIVE" in status else "published"]
