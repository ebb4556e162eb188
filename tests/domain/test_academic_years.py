"""Academic year labels, whole-month arithmetic and the January census day."""

from __future__ import annotations

from datetime import date

import pytest

from thep_desktop.domain.academic_years import (
    AcademicYear,
    AcademicYearError,
    add_months,
    months_touched,
)


@pytest.mark.parametrize("text", ["2025/26", "2025-26", "2025/2026", " 2025 / 26 "])
def test_a_year_is_read_however_it_is_written(text: str) -> None:
    year = AcademicYear.parse(text)
    assert year == AcademicYear(2025)
    assert year.label == "2025/26"
    assert (year.first_day, year.last_day) == (date(2025, 9, 1), date(2026, 8, 31))


def test_the_century_turns_in_the_label() -> None:
    assert AcademicYear.parse("2099/00") == AcademicYear(2099)
    assert AcademicYear(2099).label == "2099/00"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025/27", "September of one year to August of the next (2025/26)"),
        ("2025/25", "September of one year to August of the next (2025/26)"),
        ("2025", "Write it as the two years it spans"),
        ("twenty", "Write it as the two years it spans"),
        ("1850/51", "outside the years the program keeps"),
    ],
)
def test_a_label_that_is_not_an_academic_year_is_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(AcademicYearError) as refused:
        AcademicYear.parse(text)
    assert words in str(refused.value)


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 9, 1), 2025), (date(2026, 8, 31), 2025), (date(2026, 1, 15), 2025)],
)
def test_a_day_belongs_to_the_year_it_falls_in(day: date, year: int) -> None:
    assert AcademicYear.of(day) == AcademicYear(year)
    assert day in AcademicYear(year)
    assert day not in AcademicYear(year + 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_months_are_added_keeping_the_day_or_the_months_last_day(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_months_touched_counts_part_months_whole() -> None:
    assert months_touched(date(2017, 4, 1), date(2017, 8, 31)) == 5
    assert months_touched(date(2026, 1, 20), date(2026, 8, 31)) == 8
    assert months_touched(date(2026, 1, 20), date(2026, 1, 20)) == 1
    assert months_touched(date(2026, 2, 1), date(2026, 1, 31)) == 0
