"""Academic years (1 September to 31 August, written 2025/26) and whole-month date arithmetic."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_LABEL = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$", re.ASCII)

FIRST_YEAR = 1990
LAST_YEAR = 2200


class AcademicYearError(ValueError):
    """A year label that is not an academic year, in words for the user."""


@dataclass(frozen=True, order=True)
class AcademicYear:
    """The academic year starting on 1 September of ``start_year``."""

    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def next(self) -> AcademicYear:
        return AcademicYear(self.start_year + 1)

    def previous(self) -> AcademicYear:
        return AcademicYear(self.start_year - 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.label

    @classmethod
    def of(cls, day: date) -> AcademicYear:
        """The academic year ``day`` falls in."""
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        """``2025/26`` (or 2025-26, 2025/2026) as an academic year; anything else refused."""
        found = _LABEL.match(text or "")
        if not found:
            raise AcademicYearError(
                f"“{text.strip()}” is not an academic year. Write it as the two years it "
                "spans, e.g. 2025/26."
            )
        start, end = int(found.group(1)), found.group(2)
        end_year = int(end) if len(end) == 4 else (start + 1) // 100 * 100 + int(end)
        if end_year != start + 1:
            right = cls(start).label if FIRST_YEAR <= start <= LAST_YEAR else "e.g. 2025/26"
            raise AcademicYearError(
                f"“{text.strip()}” is not an academic year: an academic year runs from "
                f"September of one year to August of the next ({right})."
            )
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise AcademicYearError(
                f"{text.strip()} is outside the years the program keeps "
                f"({FIRST_YEAR}/{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}/"
                f"{(LAST_YEAR + 1) % 100:02d})."
            )
        return cls(start)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; a day the month lacks becomes its last day.

    29/02/2024 + 12 months is 28/02/2025; 31/08/2026 + 6 months is 28/02/2027.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_touched(first: date, last: date) -> int:
    """How many calendar months have at least one day in ``first``..``last`` (inclusive)."""
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


def days_between(first: date, last: date) -> int:
    """Days in ``first``..``last`` inclusive (0 when the range is empty)."""
    return max((last - first).days + 1, 0)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
