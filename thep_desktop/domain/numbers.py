"""Reading numbers that people type or files bring (URN, LA code, pupils...), with worded errors.

The rule: the text is first NFKC-normalised, which turns digits written in another width or
style into ordinary ones (full-width １００９８１ from a Japanese or Chinese keyboard,
superscript ¹²³ or circled ① from a copied document); after that only the digits 0 to 9 are
a number. Digits of another script (Bengali ১২৩, Arabic-Indic ١٢٣) are refused in words
rather than read: they look like other numbers to someone who does not read that script, and
no file the office uses writes them. Phone numbers are left to the phonenumbers library.
"""

from __future__ import annotations

import unicodedata

from thep_desktop.domain.text_characters import visible

ASCII_DIGITS = "0123456789"


def digits_of(text: object) -> str:
    """The text with surrounding spaces removed and digits written in other styles made 0-9."""
    value = "" if text is None else str(text)
    if not value.isascii():
        # (A lone surrogate cannot be normalised; it stays, for the caller to refuse.)
        value = unicodedata.normalize("NFKC", value)
        # The minus sign a word processor writes, for the sign of a whole number.
        value = value.replace("\u2212", "-")
    return value.strip()


def is_plain_digits(text: str) -> bool:
    """True for a non-empty run of the digits 0 to 9 only (``str.isdigit`` also takes ² and ١)."""
    return text.isascii() and text.isdigit()


def digits_problem(text: str, what: str) -> str:
    """Why ``text`` (already through :func:`digits_of`) is not written with the digits 0 to 9."""
    text = visible(text)
    if _other_script(text):
        return f"“{text}” uses digits of another script: write the {what} with the digits 0 to 9"
    return f"The {what} must be written with the digits 0 to 9; “{text}” is not"


def parse_digits(text: object, what: str, *, length: int | None = None) -> str:
    """A code made of digits (LA code, establishment number, account number), as 0-9 text.

    ``""`` for blank. Raises ``ValueError`` in words naming ``what`` (and the length).
    """
    value = digits_of(text)
    if not value:
        return ""
    if is_plain_digits(value):
        if length is None or len(value) == length:
            return value
    elif length is None or _other_script(value):
        raise ValueError(digits_problem(value, what))
    raise ValueError(f"The {what} is {length} digits; “{visible(value)}” is not")


def _other_script(text: str) -> bool:
    return any(unicodedata.category(ch) == "Nd" and ch not in ASCII_DIGITS for ch in text)


def parse_whole_number(text: object, label: str) -> int:
    """A whole number as people write it: ``1,234``, ``+5``, ``-3``, ``１２``.

    Raises ``ValueError`` in words starting with ``label``; the caller checks the range.
    """
    if type(text) is str and text.isascii() and text.isdigit():
        return int(text)  # the usual case, as an import gives 50,000 of them
    value = digits_of(text)
    shown = value
    value = value.replace(",", "")
    sign = 1
    if value[:1] in ("+", "-"):
        sign = -1 if value[0] == "-" else 1
        value = value[1:].lstrip()
    if not is_plain_digits(value):
        if _other_script(value):
            raise ValueError(
                f"{label}: “{visible(shown)}” uses digits of another script; write it with "
                "the digits 0 to 9"
            )
        raise ValueError(f"{label} must be a whole number, not “{visible(shown)}”")
    return sign * int(value)


def shown_sort_code(text: str) -> str:
    """A bank sort code as printed: six digits in pairs (``30-94-57``); else as kept."""
    code = text.strip()
    if len(code) == 6 and all(c in ASCII_DIGITS for c in code):
        return f"{code[:2]}-{code[2:4]}-{code[4:]}"
    return code
