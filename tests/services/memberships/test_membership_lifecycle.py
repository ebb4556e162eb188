"""Applying, admission, notice, leaving, re-joining, votes and eligibility, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from membership_records import join, make_school, table_sums

from thep_desktop.database import Database
from thep_desktop.domain.memberships import Category, MemberKind, MembershipStatus
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)

WINDOW = (date(2016, 6, 1), date(2016, 12, 31), "Members could leave at any time until 2017")


def _with_window(services: Services) -> None:
    services.fees.save_rules(services.actor, 0, 12, "25.00", [WINDOW])


def _notice(services: Services, member_id: int, received: date) -> date | None:
    member = services.members.get_member(services.actor, member_id)
    period = member.latest
    assert period is not None
    done = services.members.record_notice(services.actor, period.id, period.version, received)
    assert done.latest is not None
    return done.latest.ends_on


# -- notice ------------------------------------------------------------------------------------
def test_notice_in_the_exception_window_takes_effect_at_once(services: Services) -> None:
    _with_window(services)
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    assert _notice(services, member.id, date(2016, 11, 15)) == date(2016, 11, 15)
    detail = services.members.get_member(services.actor, member.id)
    assert detail.status_on(date(2016, 11, 14)) is MembershipStatus.MEMBER
    assert detail.status_on(date(2016, 11, 15)) is MembershipStatus.CEASED
    assert detail.latest is not None
    assert "takes effect immediately" in detail.latest.end_reason


@pytest.mark.parametrize(
    ("received", "leaves"),
    [
        (date(2017, 1, 2), date(2018, 1, 2)),  # the day after the window: a year's notice
        (date(2016, 12, 31), date(2016, 12, 31)),  # the window's last day: at once
        (date(2028, 2, 29), date(2029, 2, 28)),  # 29 February: the month's last day
        (date(2026, 8, 31), date(2027, 8, 31)),
        (date(2026, 11, 30), date(2027, 11, 30)),
    ],
)
def test_notice_gives_the_leaving_date_the_rules_say(
    services: Services, received: date, leaves: date
) -> None:
    _with_window(services)
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    assert _notice(services, member.id, received) == leaves


@pytest.mark.parametrize(
    ("months", "received", "leaves"),
    [
        (6, date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February
        (6, date(2027, 8, 31), date(2028, 2, 29)),  # a leap year's
        (3, date(2027, 11, 30), date(2028, 2, 29)),
        (3, date(2026, 11, 30), date(2027, 2, 28)),
        (1, date(2026, 1, 31), date(2026, 2, 28)),
    ],
)
def test_notice_at_month_ends_with_other_notice_periods(
    services: Services, months: int, received: date, leaves: date
) -> None:
    services.fees.save_rules(services.actor, 0, months, "25.00", [])
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    assert _notice(services, member.id, received) == leaves


# -- votes ---------------------------------------------------------------------------------------
def test_the_voting_list_around_admission_and_leaving(services: Services) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    other = make_school(services, "100230", "Columbia Primary School")
    member = join(services, school, date(2020, 1, 6), date(2020, 3, 10))
    join(services, other, date(2016, 6, 1), date(2016, 9, 1))
    join(
        services,
        None,
        date(2016, 6, 1),
        date(2016, 9, 1),
        Category.ASSOCIATE,
        kind=MemberKind.INDIVIDUAL,
        name="Mrs Patricia Hale",
        address="22 Linnet Road\nLondon",
    )
    period = services.members.get_member(services.actor, member.id).latest
    assert period is not None
    services.members.cease(
        services.actor, period.id, period.version, date(2024, 9, 1), "The school closed."
    )

    def voters(day: date) -> list[str]:
        return [v.name for v in services.members.voters_on(services.actor, day)]

    assert voters(date(2020, 3, 9)) == ["Columbia Primary School"]  # the day before admission
    both = ["Bethnal Green Primary School", "Columbia Primary School"]
    assert voters(date(2020, 3, 10)) == both  # the day of admission
    assert voters(date(2024, 8, 31)) == both  # the day before ends_on
    assert voters(date(2024, 9, 1)) == ["Columbia Primary School"]  # ends_on: gone
    # The associate member never votes, on any of those days.
    for day in (date(2016, 9, 1), date(2020, 3, 10), date(2026, 1, 1)):
        assert "Mrs Patricia Hale" not in voters(day)
    assert voters(date(2016, 8, 31)) == []


def test_a_member_under_notice_still_votes(services: Services) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2020, 1, 6), date(2020, 3, 10))
    ends = _notice(services, member.id, date(2025, 5, 1))
    assert ends == date(2026, 5, 1)
    on = services.members.voters_on(services.actor, date(2026, 4, 30))
    assert [v.member_id for v in on] == [member.id]
    assert services.members.voters_on(services.actor, date(2026, 5, 1)) == []


# -- eligibility ---------------------------------------------------------------------------------
def test_an_eligibility_override_is_recorded_and_audited(services: Services, db: Database) -> None:
    school = make_school(
        services, "100229", "Hopewell Independent School", kind="Other independent school"
    )
    data = MemberInput(kind=MemberKind.SCHOOL, school_id=school)
    problems = services.members.eligibility_problems(services.actor, data)
    assert problems == [
        "Hopewell Independent School is not a publicly funded school "
        "(type: Other independent school)."
    ]
    before = table_sums(db)
    with pytest.raises(ValidationError) as caught:  # no reason given
        services.members.apply(services.actor, data, ApplicationInput("full", date(2025, 1, 6)))
    assert "Not eligible for full membership" in caught.value.field_errors["category"]
    assert table_sums(db) == before

    staff = Services(db, Actor("priya.shah", Role.STAFF))
    reason = "Board decision 12/03/2025: admitted as a full member for its outreach work"
    with pytest.raises(PermissionDeniedError):
        staff.members.apply(
            staff.actor,
            data,
            ApplicationInput("full", date(2025, 1, 6), eligibility_override=reason),
        )
    assert table_sums(db) == before

    member = services.members.apply(
        services.actor,
        data,
        ApplicationInput("full", date(2025, 1, 6), eligibility_override=reason),
    )
    period = member.latest
    assert period is not None and period.eligibility_override == reason
    assert period.category is Category.FULL
    history = services.audit.history(services.actor, period.uuid)
    assert any(
        change.after == reason
        for entry in history
        if entry.record_uuid == period.uuid
        for change in entry.changes
    ), history


def test_changing_to_full_needs_the_override_too(services: Services, db: Database) -> None:
    school = make_school(
        services, "100229", "Hopewell Independent School", kind="Other independent school"
    )
    member = join(services, school, date(2025, 1, 6), date(2025, 2, 1), Category.ASSOCIATE)
    period = member.latest
    assert period is not None
    staff = Services(db, Actor("priya.shah", Role.STAFF))
    before = table_sums(db)
    with pytest.raises(PermissionDeniedError):
        staff.members.change_category(staff.actor, period.id, period.version, "full", "Outreach")
    with pytest.raises(ValidationError):
        services.members.change_category(services.actor, period.id, period.version, "full")
    assert table_sums(db) == before
    changed = services.members.change_category(
        services.actor, period.id, period.version, "full", "Outreach"
    )
    assert changed.latest is not None
    assert (changed.latest.category, changed.latest.eligibility_override) == (
        Category.FULL,
        "Outreach",
    )
    history = services.audit.history(services.actor, period.uuid)
    assert any(c.after == "Outreach" for e in history for c in e.changes)


# -- bad input -----------------------------------------------------------------------------------
def test_admission_before_application_is_refused(services: Services, db: Database) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2025, 3, 1), None)
    period = member.latest
    assert period is not None
    before = table_sums(db)
    with pytest.raises(ValidationError) as caught:
        services.members.admit(services.actor, period.id, period.version, date(2025, 2, 28))
    assert caught.value.field_errors["admitted_on"] == (
        "The date admitted (28/02/2025) is before the application (01/03/2025); a member is "
        "admitted on or after applying."
    )
    assert table_sums(db) == before


def test_notice_before_admission_or_from_an_applicant_is_refused(
    services: Services, db: Database
) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    applicant = make_school(services, "100230", "Columbia Primary School")
    member = join(services, school, date(2025, 3, 1), date(2025, 4, 1))
    waiting = join(services, applicant, date(2025, 3, 1), None)
    before = table_sums(db)
    period = member.latest
    assert period is not None
    with pytest.raises(ValidationError) as caught:
        services.members.record_notice(services.actor, period.id, period.version, date(2025, 3, 31))
    assert caught.value.field_errors["notice_received_on"] == (
        "The notice (31/03/2025) is dated before the member was admitted (01/04/2025)."
    )
    assert waiting.latest is not None
    with pytest.raises(ValidationError) as caught:
        services.members.record_notice(
            services.actor, waiting.latest.id, waiting.latest.version, date(2025, 5, 1)
        )
    assert "an applicant does not give notice" in str(caught.value)
    assert table_sums(db) == before


def test_an_application_needs_a_name_and_address_for_a_body_that_is_not_a_school(
    services: Services, db: Database
) -> None:
    before = table_sums(db)
    with pytest.raises(ValidationError) as caught:
        services.members.apply(
            services.actor,
            MemberInput(kind="organisation", name="", address=""),
            ApplicationInput("associate", date(2025, 1, 6)),
        )
    assert set(caught.value.field_errors) == {"name", "address"}
    assert table_sums(db) == before


# -- re-joining and two people at once ------------------------------------------------------------
def test_rejoining_keeps_the_old_period(services: Services, db: Database) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    period = member.latest
    assert period is not None
    early = ApplicationInput("full", date(2018, 1, 10))
    before = table_sums(db)
    with pytest.raises(ValidationError) as caught:  # still a member: no second application
        services.members.apply_again(services.actor, member.id, early)
    assert "still a member" in caught.value.field_errors["applied_on"]
    assert table_sums(db) == before

    left = services.members.cease(
        services.actor, period.id, period.version, date(2018, 9, 1), "Left by agreement."
    )
    old = left.latest
    with pytest.raises(ValidationError) as caught:  # dated before the old one ended
        services.members.apply_again(services.actor, member.id, early)
    assert "runs until 01/09/2018" in caught.value.field_errors["applied_on"]

    again = services.members.apply_again(
        services.actor, member.id, ApplicationInput("full", date(2019, 5, 13))
    )
    assert len(again.periods) == 2
    assert again.periods[0] == old  # the old period exactly as it was
    new = again.periods[1]
    admitted = services.members.admit(services.actor, new.id, new.version, date(2019, 9, 3))
    assert admitted.status_on(date(2018, 12, 1)) is MembershipStatus.CEASED
    assert admitted.status_on(date(2019, 9, 3)) is MembershipStatus.MEMBER
    assert admitted.periods[0] == old


def test_a_change_made_meanwhile_by_someone_else_is_a_conflict(
    services: Services, db: Database
) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2025, 3, 1), None)
    seen = member.latest  # both people opened the application at this version
    assert seen is not None
    other = Services(db, Actor("priya.shah", Role.STAFF))
    other.members.admit(other.actor, seen.id, seen.version, date(2025, 4, 1), "Board, 01/04/2025")
    before = table_sums(db)
    with pytest.raises(ConflictError):
        services.members.admit(services.actor, seen.id, seen.version, date(2025, 5, 1))
    with pytest.raises(ConflictError):
        services.members.cease(services.actor, seen.id, seen.version, date(2025, 5, 1), "Declined")
    assert table_sums(db) == before
    now = services.members.get_member(services.actor, member.id).latest
    assert now is not None
    assert (now.admitted_on, now.admission_decision) == (date(2025, 4, 1), "Board, 01/04/2025")
