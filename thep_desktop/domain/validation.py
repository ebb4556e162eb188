"""Checks on UK identifiers and contact details, returning messages a school office understands."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import re_util

from thep_desktop.domain.numbers import digits_of, digits_problem, is_plain_digits, parse_digits
from thep_desktop.domain.text_characters import visible

# phonenumbers' own cache of its compiled patterns (libphonenumber's RegexCache): without it
# every check goes through re.compile's lookup, a third of the time an import spends on
# 50,000 schools' numbers.
re_util.enable_pattern_cache()

# The Royal Mail / ONS postcode format (outward code, space, inward code), including the
# special cases that the simple patterns miss (e.g. GIR 0AA, EC1A 1BB, W1A 0AX).
_POSTCODE = re.compile(
    r"^(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_WEBSITE = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")

# The highest statutory age GIAS records: further-education colleges are listed as taking
# students up to 99 (New City College, URN 130418: 14 to 99).
OLDEST_STATUTORY_AGE = 99


def normalise_postcode(text: str) -> str:
    """Upper case with one space before the inward code: ``e2 6ab`` -> ``E2 6AB``.

    Raises ``ValueError`` if it is not a UK postcode.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        return ""
    if len(compact) < 5 or len(compact) > 7 or not _POSTCODE.match(compact):
        raise ValueError(f"“{text.strip()}” is not a UK postcode (for example E2 6AB)")
    return f"{compact[:-3]} {compact[-3:]}"


def check_urn(value: object) -> int:
    """A DfE Unique Reference Number: six digits, the first not 0 (100000 to 999999).

    Read by :func:`thep_desktop.domain.numbers.digits_of`, so a full-width or superscript
    URN is the same number as one typed with ordinary digits.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = digits_of(value)
    if not text:
        raise ValueError("The URN is required (the school's 6-digit DfE number)")
    if not text.isascii():
        raise ValueError(digits_problem(text, "URN") + " (a URN is 6 digits, for example 100492)")
    if not text.isdigit() or len(text) != 6 or text.startswith("0"):
        shown = visible(text)
        raise ValueError(f"“{shown}” is not a URN: a URN is 6 digits, for example 100492")
    return int(text)


def check_email(text: str) -> str:
    """An email address as the email-validator library reads it (without looking the domain up).

    Refuses what a mail server would refuse, such as ``jo..bloggs@school.uk`` or
    ``jo@-school.uk``; the domain comes back in lower case.
    """
    text = (text or "").strip()
    if not text:
        return ""
    # Imported when first needed: with dnspython it adds 30 ms to the program's start.
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        # The library's reasons are plain; "full stop" is what people here call a period.
        reason = str(exc).replace("periods", "full stops").replace("period", "full stop")
        if reason.startswith("An email address "):
            reason = "it " + reason.removeprefix("An email address ")
        reason = reason.removesuffix(".")
        raise ValueError(
            f"“{text}” is not an email address: {reason[:1].lower()}{reason[1:]}"
        ) from None
    return checked.normalized


def check_phone(text: str) -> str:
    """A phone number in use, written as people write it: ``020 7739 1234``, ``013873 12345``.

    UK numbers are written in the national form (a ``+44`` is dropped), others in the
    international form. Raises ``ValueError`` saying what is wrong.
    """
    text = (text or "").strip()
    if not text:
        return ""
    written = _written_phone(text)
    if isinstance(written, ValueError):
        raise written
    return written


def format_uk_phone(text: str) -> str:
    """A phone number spaced as people write it (``02077391234`` from GIAS -> ``020 7739 1234``).

    What is not a phone number in use is returned exactly as given, for :func:`check_phone`
    to refuse with the reason.
    """
    written = _written_phone(text) if text else text
    return text if isinstance(written, ValueError) else written


# Ofcom keeps these ranges for use in drama, so they never ring anyone; libphonenumber counts
# them as unallocated. The demo borough's phone numbers come from them.
_DRAMA_RANGES = ("1632960", "7700900")
# The same numbers come back to be checked after they were written out (an import formats a
# number and then checks the school); remembering both spellings halves the work.
_WRITTEN: dict[str, str | ValueError] = {}


def _written_phone(text: str) -> str | ValueError:
    found = _WRITTEN.get(text)
    if found is not None:
        return found
    try:
        if (
            10 <= len(text) <= 11
            and text.isascii()
            and text.isdigit()
            and text[:2] != "00"
            and text[0] == "0"
        ):
            # Bare UK digits, as GIAS gives every school's number: the number the parser
            # would make, without its text handling (an import reads 50,000 of them).
            number = phonenumbers.PhoneNumber(country_code=44, national_number=int(text[1:]))
        else:
            number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        result: str | ValueError = ValueError(f"“{text}” is not a phone number")
    else:
        national = phonenumbers.national_significant_number(number)
        drama = number.country_code == 44 and national.startswith(_DRAMA_RANGES)
        # Most numbers are Great Britain's: asking about that region first skips the search
        # for the region among those sharing +44 (Guernsey, Jersey, the Isle of Man).
        valid = phonenumbers.is_valid_number_for_region(number, "GB")
        if valid or phonenumbers.is_valid_number(number) or (drama and len(national) == 10):
            style = (
                phonenumbers.PhoneNumberFormat.NATIONAL
                if number.country_code == 44
                else phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            result = phonenumbers.format_number(number, style)
        else:
            result = ValueError(_phone_problem(text, number))
    if len(_WRITTEN) > 100_000:
        _WRITTEN.clear()
    _WRITTEN[text] = result
    if isinstance(result, str):
        _WRITTEN[result] = result
    return result


def _phone_problem(text: str, number: phonenumbers.PhoneNumber) -> str:
    reason = phonenumbers.is_possible_number_with_reason(number)
    example = "for example 020 7739 1234 or 013873 12345"
    result = phonenumbers.ValidationResult
    if reason in (result.TOO_SHORT, result.IS_POSSIBLE_LOCAL_ONLY):
        return (
            f"“{text}” is too short for a phone number: a UK number has 10 or 11 digits with "
            f"its area code ({example})"
        )
    if reason == result.TOO_LONG:
        return f"“{text}” has too many digits for a phone number ({example})"
    if number.country_code != 44:
        return f"“{text}” is not a phone number in use: check the country code and the digits"
    return (
        f"“{text}” is not a UK phone number in use: check the area code and the number of "
        f"digits ({example})"
    )


def check_website(text: str) -> str:
    text = (text or "").strip()
    if text and not _WEBSITE.match(text):
        raise ValueError(f"“{text}” is not a web address (for example www.school.sch.uk)")
    return text


def check_digits(text: str, length: int, what: str) -> str:
    """A code of ``length`` digits (LA code, establishment number), as 0-9 text; "" for blank."""
    return parse_digits(text, what, length=length)


def check_vat_number(text: str) -> str:
    """A UK VAT registration number, check digits and all (python-stdnum's ``gb.vat``).

    Nine digits (twelve with a branch), or GD and HA numbers of government departments and
    health authorities; written ``GB 980 7806 84``.
    """
    text = (text or "").strip()
    if not text:
        return ""
    # Imported when first needed: stdnum's package import adds 30 ms to the program's start.
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.gb import vat

    try:
        number = vat.validate(text)
    except InvalidChecksum:
        raise ValueError(
            f"“{text}” is not a UK VAT number: its check digits do not add up, so a digit is "
            "wrong; copy it again from the VAT certificate"
        ) from None
    except ValidationError:
        raise ValueError(
            f"“{text}” is not a UK VAT number (GB and 9 digits, for example GB 980 7806 84)"
        ) from None
    return f"GB {vat.format(number)}"


def check_company_number(text: str) -> str:
    """A Companies House number: 8 digits, or 2 letters (SC, NI, OC...) and 6 digits.

    Our own check: python-stdnum has no module for UK company numbers, and they carry no
    check digit.
    """
    compact = digits_of(text).replace(" ", "").upper()
    if not compact:
        return ""
    if len(compact) != 8 or not (
        is_plain_digits(compact) or (compact[:2].isalpha() and is_plain_digits(compact[2:]))
    ):
        shown = visible(text.strip())
        raise ValueError(f"“{shown}” is not a company number (8 characters, e.g. 09876543)")
    return compact
