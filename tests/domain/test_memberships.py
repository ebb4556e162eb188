"""Membership rules as plain functions: status on a day, notice and eligibility."""

from __future__ import annotations

from datetime import date

import pytest

from thep_desktop.domain.memberships import (
    ExceptionWindow,
    MemberKind,
    MembershipStatus,
    NoticeRule,
    PeriodDates,
    SchoolFacts,
    full_membership_problems,
    status_on,
)
from thep_desktop.domain.schools import SchoolStatus

PROSPECTUS = NoticeRule(12, (ExceptionWindow(date(2016, 6, 1), date(2016, 12, 31)),))


def test_a_period_moves_from_application_to_ceased() -> None:
    dates = PeriodDates(date(2016, 6, 1), date(2016, 7, 1), date(2020, 3, 2), date(2021, 3, 2))
    assert status_on(dates, date(2016, 6, 30)) is MembershipStatus.APPLIED
    assert status_on(dates, date(2016, 7, 1)) is MembershipStatus.MEMBER
    assert status_on(dates, date(2020, 3, 1)) is MembershipStatus.MEMBER
    assert status_on(dates, date(2020, 3, 2)) is MembershipStatus.UNDER_NOTICE
    assert status_on(dates, date(2021, 3, 1)) is MembershipStatus.UNDER_NOTICE
    assert status_on(dates, date(2021, 3, 2)) is MembershipStatus.CEASED
    assert status_on(dates, date(2021, 3, 1)).is_member
    assert not status_on(dates, date(2021, 3, 2)).is_member


def test_an_application_that_ends_before_admission_was_declined() -> None:
    dates = PeriodDates(date(2026, 1, 5), None, None, date(2026, 2, 1))
    assert status_on(dates, date(2026, 1, 31)) is MembershipStatus.APPLIED
    assert status_on(dates, date(2026, 2, 1)) is MembershipStatus.DECLINED


@pytest.mark.parametrize(
    ("received", "leaves"),
    [
        (date(2016, 6, 1), date(2016, 6, 1)),  # first day of the window: at once
        (date(2016, 12, 31), date(2016, 12, 31)),  # last day of the window: at once
        (date(2017, 1, 1), date(2018, 1, 1)),  # the day after: one year
        (date(2028, 2, 29), date(2029, 2, 28)),  # 29 February: the month's last day
        (date(2026, 8, 31), date(2027, 8, 31)),
        (date(2026, 11, 30), date(2027, 11, 30)),
    ],
)
def test_notice_takes_effect_a_year_later_unless_in_the_window(
    received: date, leaves: date
) -> None:
    assert PROSPECTUS.leaving_date(received) == leaves


def test_the_rule_says_why_in_words() -> None:
    assert "immediately" in PROSPECTUS.describe(date(2016, 9, 1))
    assert PROSPECTUS.describe(date(2017, 9, 1)) == "one year's notice from the day it was received"
    assert (
        NoticeRule(6).describe(date(2017, 9, 1)) == "6 months' notice from the day it was received"
    )
    assert NoticeRule(6).leaving_date(date(2026, 8, 31)) == date(2027, 2, 28)


def _school(**changes: object) -> SchoolFacts:
    values: dict[str, object] = {
        "name": "Bow School",
        "la_code": "211",
        "establishment_type": "Academy converter",
        "status": SchoolStatus.OPEN,
    }
    values.update(changes)
    return SchoolFacts(**values)  # type: ignore[arg-type]


def test_a_publicly_funded_school_of_the_borough_is_eligible() -> None:
    assert full_membership_problems(MemberKind.SCHOOL, _school(), "211") == []
    for kind in ("Pupil referral unit", "Local authority nursery school", "Free schools special"):
        assert (
            full_membership_problems(MemberKind.SCHOOL, _school(establishment_type=kind), "211")
            == []
        )


def test_ineligible_members_are_told_why() -> None:
    other_la = full_membership_problems(MemberKind.SCHOOL, _school(la_code="210"), "211")
    assert other_la == ["Bow School is in local authority 210, not the partnership's (211)."]
    independent = full_membership_problems(
        MemberKind.SCHOOL, _school(establishment_type="Other independent school"), "211"
    )
    assert independent == [
        "Bow School is not a publicly funded school (type: Other independent school)."
    ]
    closed = full_membership_problems(MemberKind.SCHOOL, _school(status=SchoolStatus.CLOSED), "211")
    assert closed == ["Bow School is closed."]
    assert full_membership_problems(MemberKind.ORGANISATION, None, "211") == [
        "Full membership is for schools; this member is an organisation."
    ]
    assert full_membership_problems(MemberKind.INDIVIDUAL, None, "211") == [
        "Full membership is for schools; this member is an individual."
    ]
