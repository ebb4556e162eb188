"""Numbers as people type them or files bring them: other widths and styles of digits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.numbers import digits_of, parse_digits, parse_whole_number
from thep_desktop.domain.validation import check_digits, check_urn

FULL_WIDTH = "\uff11\uff10\uff10\uff19\uff18\uff11"  # １００９８１
SUPERSCRIPT = "\u00b9\u2070\u2070\u2079\u2078\u00b9"  # ¹⁰⁰⁹⁸¹
BENGALI = "\u09e7\u09e6\u09e6\u09ef\u09ee\u09e7"  # ১০০৯৮১
ARABIC_INDIC = "\u0661\u0660\u0660\u0669\u0668\u0661"  # ١٠٠٩٨١


@pytest.mark.parametrize("written", ["100981", " 100981 ", FULL_WIDTH, SUPERSCRIPT, 100981])
def test_a_urn_in_any_width_or_style_of_0_to_9_is_the_same_urn(written: object) -> None:
    assert check_urn(written) == 100981


@pytest.mark.parametrize("written", [BENGALI, ARABIC_INDIC])
def test_a_urn_in_another_scripts_digits_is_refused_in_words(written: str) -> None:
    with pytest.raises(ValueError, match="digits of another script: write the URN with the "):
        check_urn(written)


@pytest.mark.parametrize(
    "written", ["\uff10\uff11\uff12\uff13\uff14\uff15", "012345", "12345", "1234567", "1OO981"]
)
def test_a_urn_that_is_not_six_digits_from_1_is_refused_whatever_its_digits(written: str) -> None:
    with pytest.raises(ValueError, match="is not a URN: a URN is 6 digits"):
        check_urn(written)


def test_a_urn_with_symbols_that_are_not_digits_says_so() -> None:
    with pytest.raises(ValueError, match="written with the digits 0 to 9"):
        check_urn("\u2460\u2461\u00bd456")  # ①②½456: ½ is "1⁄2" once normalised


def test_a_urn_holding_a_control_character_shows_it_escaped() -> None:
    with pytest.raises(ValueError) as exc:
        check_urn("1009\x1b81")
    assert "\\x1b" in str(exc.value) and "\x1b" not in str(exc.value)


def test_codes_of_digits_come_back_as_0_to_9() -> None:
    assert check_digits("\uff12\uff11\uff11", 3, "LA code") == "211"
    assert check_digits("", 3, "LA code") == ""
    with pytest.raises(ValueError, match="The LA code is 3 digits"):
        check_digits("21", 3, "LA code")
    with pytest.raises(ValueError, match="another script"):
        check_digits("\u09e8\u09e7\u09e7", 3, "LA code")
    assert parse_digits("\u00b2\u00b3", "number") == "23"


@pytest.mark.parametrize(
    ("written", "number"),
    [("412", 412), ("1,204", 1204), ("\uff14\uff11\uff12", 412), ("\u2212" + "3", -3), ("+5", 5)],
)
def test_whole_numbers(written: str, number: int) -> None:
    assert parse_whole_number(written, "Pupils on roll") == number


@pytest.mark.parametrize("written", ["four", "4.5", "1_000", "\u09ea\u09e7\u09e8", "-", ""])
def test_what_is_not_a_whole_number_is_refused_in_words(written: str) -> None:
    with pytest.raises(ValueError, match="^Pupils on roll"):
        parse_whole_number(written, "Pupils on roll")


@given(st.text(max_size=12))
def test_any_text_is_a_urn_or_a_worded_refusal_never_a_crash(text: str) -> None:
    try:
        urn = check_urn(text)
    except ValueError as exc:
        assert "URN" in str(exc)
    else:
        assert 100_000 <= urn <= 999_999
        assert digits_of(text) == str(urn)
