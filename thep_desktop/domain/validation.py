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
    text = format_uk_phone((text or "").strip())
    if text and not _PHONE.match(text):
        raise ValueError(f"“{text}” is not a phone number")
    return text


# Area codes written 0XX XXXX XXXX, and 0XXX XXX XXXX (Ofcom's national numbering plan).
_TWO_DIGIT_AREAS = ("020", "023", "024", "028", "029")
_THREE_DIGIT_AREAS = (
    *("0113", "0114", "0115", "0116", "0117", "0118"),
    *("0121", "0131", "0141", "0151", "0161", "0191"),
)


def format_uk_phone(text: str) -> str:
    """An 11-digit UK number given as bare digits, spaced as people write it.

    ``02077391234`` (as GIAS gives it) -> ``020 7739 1234``; ``01632960123`` ->
    ``01632 960123``; ``07700900123`` -> ``07700 900123``. Anything else, including a
    number already spaced some other way, is left exactly as given.
    """
    if len(text) != 11 or not text.isdigit() or text[0] != "0":
        return text
    if text.startswith(_TWO_DIGIT_AREAS):
        return f"{text[:3]} {text[3:7]} {text[7:]}"
    if text.startswith(_THREE_DIGIT_AREAS) or text.startswith(("03", "08", "09")):
        return f"{text[:4]} {text[4:7]} {text[7:]}"
    return f"{text[:5]} {text[5:]}"  # other 01 and 07 numbers


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
