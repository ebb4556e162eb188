"""UK date conventions: dates show as dd/mm/yyyy; input accepts that or ISO 2026-01-15."""

from __future__ import annotations

import re
from datetime import date, datetime

_UK = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def format_date(value: date | None) -> str:
    """``15/01/2026``, or an empty string for no date."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_long_date(value: date) -> str:
    """``22 November 2026``, as a letter is dated."""
    return f"{value.day} {value.strftime('%B %Y')}"


def parse_date(text: str) -> date:
    """Parse ``15/01/2026``, ``15-01-2026`` (GIAS) or ``2026-01-15``.

    Raises ``ValueError`` with a message a person can act on.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            raise ValueError(f"“{text.strip()}” is not a date; write it as dd/mm/yyyy")
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a real date") from None


def parse_optional_date(text: str | None) -> date | None:
    if text is None or not str(text).strip():
        return None
    return parse_date(text)
