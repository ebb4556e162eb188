"""Dates as the office writes them: dd/mm/yyyy, d/m/yy with a stated pivot, English long dates."""

from __future__ import annotations

import locale
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.dates import (
    TWO_DIGIT_YEARS,
    format_date,
    format_long_date,
    parse_date,
    parse_optional_date,
)

WELSH = "cy_GB.UTF-8"


@pytest.fixture(scope="module")
def welsh_locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A directory holding a compiled Welsh locale, or None when the system already has it.

    Built with ``localedef`` (from glibc and the ``locales`` sources) so that the test does not
    depend on which locales the machine happens to have generated.
    """
    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, WELSH)
        return None
    except locale.Error:
        pass
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    localedef = shutil.which("localedef")
    assert localedef, "localedef (glibc) is needed to build the Welsh locale for this test"
    where = tmp_path_factory.mktemp("locales")
    subprocess.run(
        [localedef, "-i", "cy_GB", "-f", "UTF-8", str(where / WELSH)],
        check=True,
        capture_output=True,
    )
    return where


@pytest.fixture
def welsh_lc_time(welsh_locale_dir: Path | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LC_TIME set to Welsh for the test, as on an office PC set up in Welsh."""
    if welsh_locale_dir is not None:
        monkeypatch.setenv("LOCPATH", str(welsh_locale_dir))
    saved = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, WELSH)
    try:
        yield
    finally:
        locale.setlocale(locale.LC_TIME, saved)


# -- long dates (Babel, en_GB) --------------------------------------------------------------------
def test_long_dates_are_english_under_a_welsh_locale(welsh_lc_time: None) -> None:
    day = date(2026, 11, 22)
    assert day.strftime("%B") == "Tachwedd"  # the locale really is Welsh
    assert format_long_date(day) == "22 November 2026"
    assert format_long_date(date(2027, 1, 5)) == "5 January 2027"
    assert format_date(day) == "22/11/2026"


def test_long_dates_have_every_month_in_english() -> None:
    months = [format_long_date(date(2026, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]  # fmt: skip


# -- two-digit years ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1/2/23", date(2023, 2, 1)),
        ("01/02/23", date(2023, 2, 1)),
        ("15-1-26", date(2026, 1, 15)),
        ("31.12.69", date(2069, 12, 31)),  # the last year of the 2000s side of the pivot
        ("1/1/70", date(1970, 1, 1)),  # the first year of the 1900s side
        ("1/9/78", date(1978, 9, 1)),
        ("29/2/00", date(2000, 2, 29)),
        ("15/01/2026", date(2026, 1, 15)),
        ("2026-01-15", date(2026, 1, 15)),
    ],
)
def test_two_digit_years_follow_the_stated_pivot(text: str, day: date) -> None:
    assert parse_date(text) == day
    assert parse_date(format_date(day)) == day


@pytest.mark.parametrize("text", ["1/2/023", "1/2/3", "tomorrow", "1/2", "12345"])
def test_what_is_not_a_date_is_refused_naming_the_pivot(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert message.startswith(f"“{text}” is not a date; write it as dd/mm/yyyy, or dd/mm/yy")
    assert TWO_DIGIT_YEARS in message
    assert "00 to 69 means 2000 to 2069" in message


def test_a_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="“29/2/23” is not a real date"):
        parse_date("29/2/23")


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_every_date_shown_reads_back(day: date) -> None:
    shown = format_date(day)
    assert len(shown) == 10
    assert parse_date(shown) == day
    assert parse_date(day.isoformat()) == day


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)), st.booleans())
def test_every_two_digit_year_reads_as_the_date_within_the_pivot(day: date, padded: bool) -> None:
    if padded:
        text = f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}"
    else:
        text = f"{day.day}/{day.month}/{day.year % 100:02d}"
    assert parse_date(text) == day


@given(st.text(max_size=20))
def test_any_text_is_a_date_or_a_plain_refusal(text: str) -> None:
    try:
        parsed = parse_optional_date(text)
    except ValueError as exc:
        assert str(exc).startswith("“")
    else:
        assert parsed is None or isinstance(parsed, date)
