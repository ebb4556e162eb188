"""UK conventions checked and normalised as a school business manager would write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.validation import check_phone, format_uk_phone


@pytest.mark.parametrize(
    ("given_text", "written"),
    [
        ("02077391234", "020 7739 1234"),  # London, as GIAS gives it
        ("02920123456", "029 2012 3456"),  # Cardiff
        ("01214960123", "0121 496 0123"),  # Birmingham
        ("01632960123", "01632 960123"),  # other areas
        ("07700900123", "07700 900123"),  # mobile
        ("03001234567", "0300 123 4567"),  # non-geographic
        ("020 7946 0000", "020 7946 0000"),  # already written out: left alone
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("0207739123", "0207739123"),  # ten digits: not ours to guess
        ("", ""),
    ],
)
def test_bare_uk_numbers_are_spaced_and_others_kept(given_text: str, written: str) -> None:
    assert format_uk_phone(given_text) == written
    assert check_phone(given_text) == written


@given(st.text(alphabet="0123456789", min_size=11, max_size=11).map(lambda t: "0" + t[1:]))
def test_spacing_keeps_every_digit_and_is_stable(digits: str) -> None:
    spaced = format_uk_phone(digits)
    assert spaced.replace(" ", "") == digits
    assert format_uk_phone(spaced) == spaced
    assert check_phone(spaced) == spaced


def test_a_phone_number_with_letters_is_refused() -> None:
    with pytest.raises(ValueError, match="not a phone number"):
        check_phone("call the office")
