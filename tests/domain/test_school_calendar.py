"""Bank holidays checked against GOV.UK, school days, and a year's terms proposed and checked."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import Term, TermName, overlapping_terms, term_problems
from thep_desktop.domain.school_calendar import (
    bank_holidays,
    default_terms,
    school_days,
    year_term_problems,
)

GOVUK_FEED = Path("/work/shared/data/govuk-bank-holidays.json")


def govuk_bank_holidays() -> dict[date, str]:
    """GOV.UK's England and Wales list, each title as GOV.UK shows it on its page."""
    events = json.loads(GOVUK_FEED.read_text(encoding="utf-8"))["england-and-wales"]["events"]
    return {
        date.fromisoformat(event["date"]): event["title"].replace("\u2019", "'")
        + (" (substitute day)" if event["notes"] == "Substitute day" else "")
        for event in events
    }


needs_feed = pytest.mark.skipif(not GOVUK_FEED.exists(), reason="GOV.UK's feed is not here")


@needs_feed
def test_bank_holidays_of_2025_26_are_govuks_by_date_and_name() -> None:
    year = AcademicYear(2025)
    expected = {day: name for day, name in govuk_bank_holidays().items() if day in year}
    assert len(expected) == 8
    assert bank_holidays(year.first_day, year.last_day) == expected


@needs_feed
def test_bank_holidays_match_govuk_on_every_date_it_lists() -> None:
    """2012 to 2028, with the substitute days and the one-off days (jubilees, a funeral, a
    coronation, VE day moved)."""
    expected = govuk_bank_holidays()
    found = bank_holidays(min(expected), max(expected))
    assert sorted(found) == sorted(expected)
    assert found[date(2026, 12, 28)] == "Boxing Day (substitute day)"
    assert expected[date(2026, 12, 28)] == "Boxing Day (substitute day)"


def test_a_holiday_at_a_weekend_gives_way_to_its_substitute_day() -> None:
    found = bank_holidays(date(2026, 12, 20), date(2027, 1, 10))
    assert found == {
        date(2026, 12, 25): "Christmas Day",
        date(2026, 12, 28): "Boxing Day (substitute day)",
        date(2027, 1, 1): "New Year's Day",
    }


def test_bank_holidays_of_an_empty_range_are_none() -> None:
    assert bank_holidays(date(2026, 1, 2), date(2026, 1, 1)) == {}
    assert bank_holidays(date(2026, 1, 2), date(2026, 4, 2)) == {}


AUTUMN_2025 = Term(
    TermName.AUTUMN, date(2025, 9, 3), date(2025, 12, 19), date(2025, 10, 27), date(2025, 10, 31)
)


def test_school_days_leave_out_weekends_half_term_bank_holidays_and_closures() -> None:
    term = Term(
        TermName.SPRING, date(2026, 3, 30), date(2026, 4, 17), date(2026, 4, 13), date(2026, 4, 14)
    )
    holidays = {date(2026, 4, 3): "Good Friday", date(2026, 4, 6): "Easter Monday"}
    days = school_days([term], holidays, closures={date(2026, 4, 8)})
    assert days == (
        date(2026, 3, 30),
        date(2026, 3, 31),
        date(2026, 4, 1),
        date(2026, 4, 2),
        date(2026, 4, 7),
        date(2026, 4, 9),
        date(2026, 4, 10),
        date(2026, 4, 15),
        date(2026, 4, 16),
        date(2026, 4, 17),
    )


def test_the_autumn_term_of_2025_has_its_school_days() -> None:
    """15 weeks and 3 days of term, less the half-term week: 73 days."""
    days = school_days([AUTUMN_2025], bank_holidays(date(2025, 9, 1), date(2025, 12, 31)))
    assert len(days) == 73
    assert days[0] == date(2025, 9, 3) and days[-1] == date(2025, 12, 19)
    assert not any(date(2025, 10, 27) <= day <= date(2025, 10, 31) for day in days)
    assert all(day.weekday() < 5 for day in days)


def test_default_terms_for_2025_26_follow_the_london_pattern() -> None:
    autumn, spring, summer = default_terms(AcademicYear(2025))
    assert autumn == AUTUMN_2025
    assert spring == Term(
        TermName.SPRING, date(2026, 1, 5), date(2026, 3, 27), date(2026, 2, 16), date(2026, 2, 20)
    )
    # Good Friday is 03/04/2026: two weeks off around Easter; half term with 25/05/2026.
    assert summer == Term(
        TermName.SUMMER, date(2026, 4, 13), date(2026, 7, 20), date(2026, 5, 25), date(2026, 5, 29)
    )


@pytest.mark.parametrize("start_year", range(2024, 2031))
def test_default_terms_are_a_sound_year(start_year: int) -> None:
    year = AcademicYear(start_year)
    terms = default_terms(year)
    assert [term.name for term in terms] == list(TermName)
    assert year_term_problems(year, terms) == {}
    holidays = bank_holidays(year.first_day, year.last_day)
    for term in terms:
        assert term.starts_on.weekday() < 5 and term.ends_on.weekday() < 5
        assert term.starts_on not in holidays and term.ends_on not in holidays
        assert term.half_term_starts_on is not None and term.half_term_ends_on is not None
        assert term.half_term_starts_on.weekday() == 0
        assert term.half_term_ends_on - term.half_term_starts_on == timedelta(days=4)
    # Easter falls in the holidays between spring and summer, and schools open about 190
    # days a year plus five INSET days.
    good_friday = next(day for day, name in holidays.items() if name == "Good Friday")
    assert terms[1].ends_on < good_friday < terms[2].starts_on
    assert 185 <= len(school_days(terms, holidays)) <= 200


def test_the_summer_half_term_follows_a_moved_spring_bank_holiday() -> None:
    """In 2022 the late-May bank holiday moved to Thursday 2 June for the jubilee."""
    summer = default_terms(AcademicYear(2021))[2]
    assert (summer.half_term_starts_on, summer.half_term_ends_on) == (
        date(2022, 5, 30),
        date(2022, 6, 3),
    )


def test_a_spring_term_does_not_start_on_a_substitute_new_years_day() -> None:
    """1 January 2028 is a Saturday: Monday 3 January is the bank holiday."""
    assert default_terms(AcademicYear(2027))[1].starts_on == date(2028, 1, 4)


def test_the_terms_problems_are_said_by_field() -> None:
    year = AcademicYear(2025)
    autumn, spring, summer = default_terms(year)
    bad_autumn = dataclasses.replace(autumn, ends_on=date(2025, 8, 20))
    bad_spring = dataclasses.replace(
        spring, half_term_starts_on=date(2026, 2, 20), half_term_ends_on=date(2026, 2, 16)
    )
    problems = year_term_problems(year, [bad_autumn, bad_spring])
    assert problems == {
        **{f"autumn.{field}": words for field, words in term_problems(bad_autumn).items()},
        "autumn": "The autumn term (03/09/2025 to 20/08/2025) falls outside the academic year "
        "2025/26, which runs from 01/09/2025 to 31/08/2026.",
        "spring.half_term": "Half term ends on 16/02/2026, before it starts on 20/02/2026.",
        "summer": "The summer term's dates are missing.",
    }
    assert problems["autumn.ends_on"] == (
        "The autumn term ends on 20/08/2025, before it starts on 03/09/2025."
    )


def test_overlapping_terms_and_a_term_given_twice_are_said() -> None:
    year = AcademicYear(2025)
    autumn, spring, summer = default_terms(year)
    late_autumn = dataclasses.replace(autumn, ends_on=date(2026, 1, 9))
    problems = year_term_problems(year, [late_autumn, spring, summer, summer])
    assert problems == {
        "overlap": overlapping_terms([late_autumn, spring])[0],
        "summer": "The summer term is given more than once.",
    }
    assert problems["overlap"] == (
        "The spring term starts on 05/01/2026, before the autumn term ends on 09/01/2026."
    )


def test_a_term_in_another_year_is_outside_the_academic_year() -> None:
    terms = default_terms(AcademicYear(2026))
    problems = year_term_problems(AcademicYear(2025), terms)
    assert set(problems) == {"autumn", "spring", "summer"}
    assert problems["summer"].startswith("The summer term (05/04/2027 to 20/07/2027) falls outside")
