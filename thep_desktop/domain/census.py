"""School census dates: the spring census, which counts pupils for fees, is in January."""

from __future__ import annotations

from datetime import date, timedelta

_THURSDAY = 3


def spring_census(year: int) -> date:
    """The spring school census of ``year``: the third Thursday of January."""
    first = date(year, 1, 1)
    first_thursday = first + timedelta(days=(_THURSDAY - first.weekday()) % 7)
    return first_thursday + timedelta(days=14)


def spring_census_on_or_before(day: date) -> date:
    """The latest spring census held on or before ``day``."""
    census = spring_census(day.year)
    return census if census <= day else spring_census(day.year - 1)
