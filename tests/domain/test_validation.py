"""UK conventions checked and normalised as a school business manager would write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.validation import (
    check_company_number,
    check_email,
    check_phone,
    check_vat_number,
    format_uk_phone,
)


# -- phone numbers (phonenumbers) -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("given_text", "written"),
    [
        ("02077391234", "020 7739 1234"),  # London, as GIAS gives it
        ("01387312345", "013873 12345"),  # Langholm: the 6-digit area code 013873
        ("01387 312345", "013873 12345"),  # spaced after 01387 by someone: spaced right
        ("02920123456", "029 2012 3456"),  # Cardiff
        ("01214960123", "0121 496 0123"),  # Birmingham
        ("016977 12345", "016977 12345"),  # Brampton, another 6-digit area code
        ("01632960123", "01632 960123"),  # Ofcom's drama range, used by the demo
        ("07700900123", "07700 900123"),  # mobile, the drama range too
        ("07911123456", "07911 123456"),  # mobile
        ("03001234567", "0300 123 4567"),  # non-geographic
        ("0800 123 4567", "0800 123 4567"),
        ("020 7946 0000", "020 7946 0000"),  # already written out
        ("(020) 7739-1234", "020 7739 1234"),
        ("+44 20 7946 0000", "020 7946 0000"),  # a UK number is written the UK way
        ("+44 (0)20 7739 1234", "020 7739 1234"),
        ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),  # abroad: international form
        ("", ""),
    ],
)
def test_numbers_are_written_as_people_in_the_uk_write_them(given_text: str, written: str) -> None:
    assert check_phone(given_text) == written
    assert format_uk_phone(given_text) == written
    assert check_phone(written) == written  # stable


@pytest.mark.parametrize(
    ("given_text", "reason"),
    [
        ("call the office", "is not a phone number"),
        ("020 1", "is too short for a phone number"),
        ("0207739123", "is not a UK phone number in use"),  # ten digits for an 020 number
        ("02077391234567", "has too many digits"),
        ("01000 123456", "is not a UK phone number in use"),  # no area code 01000
        ("+1 555 0100", "is too short"),
    ],
)
def test_numbers_not_in_use_are_refused_with_the_reason(given_text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_phone(given_text)
    assert f"“{given_text}” {reason}" in str(caught.value)
    # Formatting leaves what it cannot read as it was, for the check to refuse.
    assert format_uk_phone(given_text) == given_text


@given(st.text(alphabet="0123456789", min_size=10, max_size=11).map(lambda t: "0" + t[1:]))
def test_formatting_keeps_every_digit_and_is_stable(digits: str) -> None:
    spaced = format_uk_phone(digits)
    assert spaced.replace(" ", "") == digits
    assert format_uk_phone(spaced) == spaced
    try:
        checked = check_phone(digits)
    except ValueError as exc:
        assert f"“{digits}”" in str(exc)
        assert spaced == digits
    else:
        assert checked == spaced
        assert check_phone(spaced) == spaced


# -- email addresses (email-validator) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("given_text", "reason"),
    [
        ("jo..bloggs@school.uk", "cannot have two full stops in a row"),
        ("jo@-school.uk", "cannot have a hyphen immediately after the @-sign"),
        ("info at partnership", "must have an @-sign"),
        ("jo@school", "should have a full stop"),
        ("jo bloggs@school.uk", "invalid characters"),
        (".jo@school.uk", "cannot start with a full stop"),
    ],
)
def test_addresses_a_mail_server_would_refuse_are_refused(given_text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_email(given_text)
    message = str(caught.value)
    assert message.startswith(f"“{given_text}” is not an email address: ")
    assert reason in message


def test_good_addresses_pass_with_the_domain_in_lower_case() -> None:
    assert check_email("  Jo.Bloggs@Globe.SCH.UK ") == "Jo.Bloggs@globe.sch.uk"
    assert check_email("head@globe-primary.sch.example") == "head@globe-primary.sch.example"
    assert check_email("o'brien+letters@school.org.uk") == "o'brien+letters@school.org.uk"
    assert check_email("") == ""


# -- VAT numbers (python-stdnum) and company numbers ----------------------------------------------
@pytest.mark.parametrize(
    ("given_text", "written"),
    [
        ("GB980780684", "GB 980 7806 84"),  # HMRC's own example
        ("gb 980 7806 84", "GB 980 7806 84"),
        ("980780684", "GB 980 7806 84"),
        ("GB980780684001", "GB 980 7806 84 001"),  # a branch
        ("GBGD001", "GB GD001"),  # a government department
        ("GD001", "GB GD001"),
        ("GBHA500", "GB HA500"),  # a health authority
    ],
)
def test_vat_numbers_with_right_check_digits_pass(given_text: str, written: str) -> None:
    assert check_vat_number(given_text) == written
    assert check_vat_number(written) == written


@pytest.mark.parametrize(
    ("given_text", "reason"),
    [
        ("GB123456789", "its check digits do not add up"),
        ("GB 980 7806 85", "its check digits do not add up"),
        ("GB12", "GB and 9 digits"),
        ("GD500", "GB and 9 digits"),  # GD numbers run to 499
        ("HA499", "GB and 9 digits"),  # HA numbers start at 500
        ("VAT pending", "GB and 9 digits"),
    ],
)
def test_vat_numbers_that_fail_are_refused(given_text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_vat_number(given_text)
    assert str(caught.value).startswith(f"“{given_text}” is not a UK VAT number")
    assert reason in str(caught.value)


def test_company_numbers() -> None:
    assert check_company_number("0987 6543") == "09876543"
    assert check_company_number("sc123456") == "SC123456"
    assert check_company_number("") == ""
    for wrong in ("123", "S1234567", "123456789", "SC12345X"):
        with pytest.raises(ValueError, match="is not a company number"):
            check_company_number(wrong)
