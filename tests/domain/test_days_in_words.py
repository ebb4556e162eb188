"""A visit's days in words, as a confirmation letter gives them."""

from __future__ import annotations

from datetime import date

import pytest

from thep_desktop.domain.dates import format_days_in_words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ([date(2025, 11, 4)], "Tuesday 4 November 2025"),
        ([date(2025, 11, 5), date(2025, 11, 4)], "Tuesday 4 and Wednesday 5 November 2025"),
        (
            [date(2025, 11, 4), date(2025, 11, 5), date(2025, 11, 6)],
            "Tuesday 4, Wednesday 5 and Thursday 6 November 2025",
        ),
        ([date(2025, 10, 31), date(2025, 11, 3)], "Friday 31 October and Monday 3 November 2025"),
        (
            [date(2025, 12, 31), date(2026, 1, 1)],
            "Wednesday 31 December 2025 and Thursday 1 January 2026",
        ),
        ([date(2025, 11, 4), date(2025, 11, 4)], "Tuesday 4 November 2025"),
        ([], ""),
    ],
)
def test_days_in_words(days: list[date], words: str) -> None:
    assert format_days_in_words(days) == words
