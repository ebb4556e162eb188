"""Which characters a stored text may hold, and showing text safely on a terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.text_characters import check_characters, unsafe_position, visible

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
C1 = [chr(c) for c in range(0x7F, 0xA0)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("char", C0 + C1 + ["\ud800", "\udc80", "\udfff"])
def test_controls_and_lone_surrogates_are_refused_in_every_field(char: str) -> None:
    for several in (False, True):
        with pytest.raises(ValueError) as exc:
            check_characters(f"St Mary{char}s", "School name", several_lines=several)
        message = str(exc.value)
        assert message.startswith("School name")
        assert f"U+{ord(char):04X}" in message and "after “St Mary”" in message
        assert char not in message  # the message itself is safe to show anywhere


@pytest.mark.parametrize("char", ["\t", "\n", "\u2028", "\u2029", *BIDI])
def test_one_line_fields_refuse_line_breaks_tabs_and_bidi_controls(char: str) -> None:
    with pytest.raises(ValueError, match="^Street"):
        check_characters(f"1 High{char}Street", "Street")


@pytest.mark.parametrize("char", ["\t", "\n", *BIDI])
def test_several_line_fields_keep_line_breaks_tabs_and_bidi_controls(char: str) -> None:
    text = f"Visit booked.{char}Bring the report"
    assert check_characters(text, "Notes", several_lines=True) == text


def test_windows_line_endings_become_line_breaks_and_a_lone_cr_is_refused() -> None:
    assert check_characters("one\r\ntwo", "Notes", several_lines=True) == "one\ntwo"
    with pytest.raises(ValueError, match=r"carriage return \(U\+000D\)"):
        check_characters("one\rtwo", "Notes", several_lines=True)


@pytest.mark.parametrize(
    "text",
    [
        "Sir John Cass\u2019s Foundation",
        "Ecole fran\u00e7aise Jacques Pr\u00e9vert",
        "\u09b8\u09cd\u200c\u09ac\u09be\u0997\u09a4",  # Bengali with a zero-width non-joiner
        "\u05d1\u05d9\u05ea \u05e1\u05e4\u05e8",  # Hebrew, laid out by the bidi algorithm alone
        "\U0001f3eb School",
        "x" * 10_000,
    ],
)
def test_printable_text_of_any_script_is_kept(text: str) -> None:
    assert check_characters(text, "School name") == text
    assert unsafe_position(text) == -1


def test_the_start_is_named_when_the_character_comes_first() -> None:
    with pytest.raises(ValueError, match="at the start"):
        check_characters("\x00Bow", "School name")


def test_visible_escapes_what_a_terminal_acts_on() -> None:
    assert visible("Bow\x1b]0;pwned\x07 School") == "Bow\\x1b]0;pwned\\x07 School"
    assert visible("a\x1b[2Jb\u202ec\udc80") == "a\\x1b[2Jb\\u202ec\\udc80"
    assert visible("one\ntwo\tthree") == "one\\x0atwo\\x09three"
    assert visible("one\ntwo", keep="\n") == "one\ntwo"
    assert visible("plain £ é \u09ac") == "plain £ é \u09ac"


@given(st.text())
def test_visible_leaves_no_control_character(text: str) -> None:
    shown = visible(text)
    assert unsafe_position(shown) == -1
    assert all(not (0xD800 <= ord(ch) <= 0xDFFF) for ch in shown)


@given(st.text())
def test_text_is_either_accepted_as_given_or_refused_in_words(text: str) -> None:
    try:
        checked = check_characters(text, "Notes", several_lines=True)
    except ValueError as exc:
        assert str(exc).startswith("Notes ") and unsafe_position(str(exc)) == -1
    else:
        assert checked == text.replace("\r\n", "\n")
