"""The one home for unsafe characters: removed for writing, escaped for messages."""

from jsw_explorer.safe_text import has_unsafe, printable, shown


def test_control_bidi_and_zero_width_characters_are_removed_and_tab_newline_kept():
    assert printable("a\x0bb\x1b[31mc\x07d\u202ee\u200bf\tg\nh\x85i") == "ab[31mcdef\tg\nhi"
    assert printable(3.5) == 3.5 and printable(None) is None


def test_unsafe_text_is_detected():
    assert has_unsafe("Fife\u202e") and has_unsafe("\x1b[2J") and not has_unsafe("Na h-Eileanan Siar\tx\n")


def test_messages_show_user_text_escaped_never_raw():
    message = shown("\x1b[2J\x1b[32mLOADED\u202e")
    assert "\x1b" not in message and "\u202e" not in message
    assert message == "'\\x1b[2J\\x1b[32mLOADED\\u202e'"
    assert shown("x" * 200).endswith("...'") and len(shown("x" * 200)) < 90
