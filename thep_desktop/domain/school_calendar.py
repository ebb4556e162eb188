"""Bank holidays in England, school days, a year's terms proposed and checked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import holidays

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import (
    ScheduleProblem,
    ScheduleRules,
    SchoolInfo,
    Term,
    TermName,
    overlapping_terms,
    term_problems,
)

# The `holidays` package names a few days differently from GOV.UK's list, which is what an
# office in England reads; other names (and one-off days such as a coronation) pass unchanged.
_GOVUK_NAMES = {
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
}


def bank_holidays(first: date, last: date) -> dict[date, str]:
    """England and Wales's bank holidays from ``first`` to ``last`` (inclusive), by date.

    From the ``holidays`` package (GB, subdivision ENG), so nothing is typed by hand. A
    holiday falling at a weekend is left out: the weekday it moves to is the bank holiday
    (named "... (substitute day)", as GOV.UK does).
    """
    if last < first:
        return {}
    found = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(first.year, last.year + 1), language="en_GB"
    )
    days = {}
    for day, names in sorted(found.items()):
        if first <= day <= last and day.weekday() < 5:
            days[day] = "; ".join(_govuk_name(name) for name in names.split("; "))
    return days


def _govuk_name(name: str) -> str:
    base, observed = name, False
    if name.endswith(" (observed)"):
        base, observed = name.removesuffix(" (observed)"), True
    base = _GOVUK_NAMES.get(base, base)
    return f"{base} (substitute day)" if observed else base


def school_days(
    terms: Iterable[Term], bank_holidays: Iterable[date], closures: Iterable[date] = frozenset()
) -> tuple[date, ...]:
    """Every day a school is open: weekdays in term, outside half term, not a bank holiday
    and not one of the school's own closures (INSET and occasional days)."""
    terms = tuple(terms)
    # The same definition of a school day as the scheduler and the checker use.
    problem = ScheduleProblem(
        clusters=(),
        schools={0: SchoolInfo(0, "", closures=frozenset(closures))},
        terms=terms,
        bank_holidays=frozenset(bank_holidays),
        rules=ScheduleRules(terms=tuple(dict.fromkeys(term.name for term in terms))),
    )
    return tuple(dict.fromkeys(problem.visit_days((0,))))


def default_terms(year: AcademicYear) -> tuple[Term, ...]:
    """A proposal for a year's term dates when the office has not typed them, to edit.

    It follows the usual pattern of London boroughs: the autumn term from the first
    Wednesday of September (the Monday of that week when the Wednesday falls after the 5th)
    to the last Friday on or before 22 December, half term the week of the last Monday of
    October; the spring term from the first Monday from 2 January (the next day if that is
    a bank holiday) to the Friday a week before Good Friday, half term the week of the
    Monday on or after 12 February; the two weeks around Easter off; the summer term from
    the Monday after them to 20 July (the Friday before when that is a weekend), half term
    the week of the late-May bank holiday.
    """
    start, end = year.start_year, year.start_year + 1
    names = bank_holidays(date(end, 1, 1), date(end, 12, 31))

    wednesday = _on_or_after(date(start, 9, 1), 2)
    autumn_starts = wednesday if wednesday.day <= 5 else _monday_of(wednesday)
    last_monday_of_october = _on_or_before(date(start, 10, 31), 0)
    autumn = Term(
        TermName.AUTUMN,
        autumn_starts,
        _on_or_before(date(start, 12, 22), 4),
        last_monday_of_october,
        last_monday_of_october + timedelta(days=4),
    )

    spring_starts = _on_or_after(date(end, 1, 2), 0)
    while spring_starts in names:
        spring_starts += timedelta(days=1)
    good_friday = next(day for day, name in names.items() if name == "Good Friday")
    february_break = _on_or_after(date(end, 2, 12), 0)
    spring = Term(
        TermName.SPRING,
        spring_starts,
        good_friday - timedelta(days=7),
        february_break,
        february_break + timedelta(days=4),
    )

    # Late May's bank holiday; in a jubilee year it moves (2 June 2022), and half term with it.
    spring_bank_holiday = next(
        (day for day, name in names.items() if name.startswith("Spring bank holiday")),
        _on_or_before(date(end, 5, 31), 0),
    )
    may_break = _monday_of(spring_bank_holiday)
    july_20 = date(end, 7, 20)
    summer = Term(
        TermName.SUMMER,
        good_friday + timedelta(days=10),
        july_20 if july_20.weekday() < 5 else _on_or_before(july_20, 4),
        may_break,
        may_break + timedelta(days=4),
    )
    return autumn, spring, summer


def year_term_problems(year: AcademicYear, terms: Sequence[Term]) -> dict[str, str]:
    """What is wrong with a year's terms, in words, by field (``autumn.ends_on``,
    ``spring.half_term``, ``summer`` for the term as a whole, ``overlap``); empty when the
    three terms are all there, in order, inside the year and each sound."""
    problems: dict[str, str] = {}
    seen: set[TermName] = set()
    for term in terms:
        name = term.name.value
        if term.name in seen:
            problems[name] = f"The {term.name.label.lower()} is given more than once."
            continue
        seen.add(term.name)
        for field, words in term_problems(term).items():
            problems[f"{name}.{field}"] = words
        if term.starts_on not in year or term.ends_on not in year:
            problems[name] = (
                f"The {term.name.label.lower()} ({format_date(term.starts_on)} to "
                f"{format_date(term.ends_on)}) falls outside the academic year {year.label}, "
                f"which runs from {format_date(year.first_day)} to {format_date(year.last_day)}."
            )
    for missing in TermName:
        if missing not in seen:
            problems[missing.value] = f"The {missing.label.lower()}'s dates are missing."
    first_of_each: dict[TermName, Term] = {}
    for term in terms:
        first_of_each.setdefault(term.name, term)
    overlaps = overlapping_terms(list(first_of_each.values()))
    if overlaps:
        problems["overlap"] = " ".join(dict.fromkeys(overlaps))
    return problems


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
