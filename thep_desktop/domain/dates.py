"""UK date conventions: dates show as dd/mm/yyyy; input takes that, d/m/yy or ISO 2026-01-15."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from babel.dates import format_date as babel_format_date

from thep_desktop.domain.numbers import digits_of
from thep_desktop.domain.text_characters import visible

# ASCII digits only: a date written with other digits is read through domain/numbers.py's
# rule (full-width and superscript digits become 0-9 first; other scripts' are refused).
_UK = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\s*$", re.ASCII)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", re.ASCII)

# A two-digit year below this is in the 2000s, from it up in the 1900s: schools opened in
# the 1970s are in the register, and nothing is dated beyond 2069.
TWO_DIGIT_PIVOT = 70
TWO_DIGIT_YEARS = "a two-digit year 00 to 69 means 2000 to 2069, and 70 to 99 means 1970 to 1999"


def format_date(value: date | None) -> str:
    """``15/01/2026``, or an empty string for no date."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_long_date(value: date) -> str:
    """``22 November 2026``, as a letter is dated: in English whatever the computer's language.

    Babel's en_GB month names, not ``strftime("%B")``, which follows the computer's locale
    (under Welsh it gives "22 Tachwedd 2026").
    """
    return babel_format_date(value, "d MMMM y", locale="en_GB")


def format_days_in_words(days: Sequence[date]) -> str:
    """A visit's days as a letter says them, in English whatever the computer's language.

    ``Tuesday 4 November 2025``; ``Tuesday 4 and Wednesday 5 November 2025``; across months
    ``Friday 31 October and Monday 3 November 2025``; across years each day in full.
    """
    ordered = sorted(set(days))
    if not ordered:
        return ""
    same_year = ordered[0].year == ordered[-1].year
    same_month = same_year and ordered[0].month == ordered[-1].month
    last = ordered[-1]
    words = []
    for day in ordered:
        if day == last or not same_year:
            pattern = "EEEE d MMMM y"
        elif same_month:
            pattern = "EEEE d"
        else:
            pattern = "EEEE d MMMM"
        words.append(babel_format_date(day, pattern, locale="en_GB"))
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def parse_date(text: str) -> date:
    """Parse ``15/01/2026``, ``15-01-2026`` (GIAS), ``2026-01-15`` or ``1/2/23``.

    A two-digit year is read with a fixed pivot: 00 to 69 are 2000 to 2069 and 70 to 99 are
    1970 to 1999, so ``1/2/23`` is 01/02/2023 and ``1/9/78`` is 01/09/1978.
    Raises ``ValueError`` with a message a person can act on.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if not text.isascii():
        text = digits_of(text)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            shown = visible(text.strip())
            raise ValueError(
                f"“{shown}” is not a date; write it as dd/mm/yyyy, or dd/mm/yy where "
                f"{TWO_DIGIT_YEARS}"
            )
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a real date") from None


def parse_optional_date(text: str | None) -> date | None:
    if text is None or not str(text).strip():
        return None
    return parse_date(text)
