"""Checks on UK identifiers and contact details, returning messages a school office understands."""

from __future__ import annotations

import re

# The Royal Mail / ONS postcode format (outward code, space, inward code), including the
# special cases that the simple patterns miss (e.g. GIR 0AA, EC1A 1BB, W1A 0AX).
_POSTCODE = re.compile(
    r"^(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_WEBSITE = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")


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
    """A DfE Unique Reference Number: six digits."""
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError("The URN is required (the school's 6-digit DfE number)")
    if not text.isdigit() or len(text) != 6 or text.startswith("0"):
        raise ValueError(f"“{text}” is not a URN: a URN is 6 digits, for example 100492")
    return int(text)


def check_email(text: str) -> str:
    text = (text or "").strip()
    if text and not _EMAIL.match(text):
        raise ValueError(f"“{text}” is not an email address")
    return text


def check_phone(text: str) -> str:
    text = (text or "").strip()
    if text and not _PHONE.match(text):
        raise ValueError(f"“{text}” is not a phone number")
    return text


def check_website(text: str) -> str:
    text = (text or "").strip()
    if text and not _WEBSITE.match(text):
        raise ValueError(f"“{text}” is not a web address (for example www.school.sch.uk)")
    return text


def check_digits(text: str, length: int, what: str) -> str:
    text = (text or "").strip()
    if text and (not text.isdigit() or len(text) != length):
        raise ValueError(f"The {what} is {length} digits; “{text}” is not")
    return text
