"""The spring census date: the third Thursday of January, worked out for any year."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.census import spring_census, spring_census_on_or_before


def test_the_censuses_the_office_knows() -> None:
    assert spring_census(2018) == date(2018, 1, 18)  # GIAS's CensusDate 18-01-2018
    assert spring_census(2024) == date(2024, 1, 18)
    assert spring_census(2025) == date(2025, 1, 16)
    assert spring_census(2026) == date(2026, 1, 15)
    assert spring_census(2015) == date(2015, 1, 15)  # 1 January a Thursday: 1, 8, 15


@given(st.integers(min_value=1990, max_value=2100))
def test_always_the_third_thursday_of_january(year: int) -> None:
    day = spring_census(year)
    assert (day.year, day.month, day.weekday()) == (year, 1, 3)
    assert 15 <= day.day <= 21  # two Thursdays before it in January, and only two


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2100, 12, 31)))
def test_on_or_before_is_the_latest_census_not_after_the_day(day: date) -> None:
    census = spring_census_on_or_before(day)
    assert census <= day
    assert census in (spring_census(day.year), spring_census(day.year - 1))
    assert spring_census(census.year + 1) > day


def test_on_the_census_day_itself_and_the_day_before() -> None:
    assert spring_census_on_or_before(date(2026, 1, 15)) == date(2026, 1, 15)
    assert spring_census_on_or_before(date(2026, 1, 15) - timedelta(days=1)) == date(2025, 1, 16)
    assert spring_census_on_or_before(date(2026, 11, 30)) == date(2026, 1, 15)
