"""The demo's members and fee schedules, read back through the services."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.memberships import Category, MemberKind, MembershipStatus
from thep_desktop.models import SchoolStatus
from thep_desktop.services.demo.demo_members import LEAVE_AT_ONCE
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def demo(db: Database, actor: Actor) -> tuple[Services, list[MemberDetail]]:
    DemoService(db).load(actor)
    services = Services(db, actor)
    return services, services.members.list_member_details(actor)


def test_most_schools_are_full_members_and_some_are_not(demo) -> None:  # type: ignore[no-untyped-def]
    services, members = demo
    today = date.today()
    schools = services.schools.list_schools(services.actor)
    open_ids = {s.id for s in schools if s.status is SchoolStatus.OPEN}
    statuses = {m.school_id: m.status_on(today) for m in members if m.school_id is not None}
    full_now = {
        school_id
        for school_id, status in statuses.items()
        if status is not None and status.is_member
    }
    assert full_now <= open_ids
    assert 0.75 * len(open_ids) <= len(full_now) < len(open_ids)  # most, not all
    assert len(open_ids - set(statuses)) >= 5  # schools that never joined
    summary = services.members.summary(services.actor)
    assert summary.full_members == len(full_now)
    assert summary.associate_members == 3 and summary.under_notice == 1
    assert summary.applications == 1
    # Every full member passes the eligibility check: no override needed in the demo.
    assert all(not p.eligibility_override for m in members for p in m.periods)
    for member in members:
        status = member.status_on(today)
        # (A school that closed is no longer eligible: it left when it closed.)
        if member.kind is MemberKind.SCHOOL and status is not MembershipStatus.CEASED:
            problems = services.members.eligibility_problems(services.actor, member.as_input())
            assert problems == [], member.name


def test_the_demo_has_every_kind_of_story(demo) -> None:  # type: ignore[no-untyped-def]
    services, members = demo
    today = date.today()
    by_kind = Counter(m.kind for m in members)
    assert by_kind[MemberKind.ORGANISATION] == 2 and by_kind[MemberKind.INDIVIDUAL] == 1
    network = next(m for m in members if m.name == "Tower Hamlets Governors' Network")
    assert network.latest is not None and network.latest.category is Category.ASSOCIATE
    assert network.address_lines == ("The Old Vestry", "14 Ropemaker Place", "London", "E3 5QD")
    statuses = Counter(m.status_on(today) for m in members)
    assert statuses[MembershipStatus.UNDER_NOTICE] == 1
    assert statuses[MembershipStatus.APPLIED] == 1
    assert statuses[MembershipStatus.CEASED] >= 2  # closed schools, and one that left on notice
    admitted = [p.admitted_on for m in members for p in m.periods if p.admitted_on]
    assert min(admitted) == date(2016, 9, 1)
    assert len({d.year for d in admitted}) >= 6  # admitted over the years, not all at once
    assert any(LEAVE_AT_ONCE.starts_on <= d <= LEAVE_AT_ONCE.ends_on for d in admitted)
    [rejoined] = [m for m in members if len(m.periods) == 2]
    first, second = rejoined.periods
    assert first.ends_on == first.notice_received_on  # left at once, in the 2016 window
    assert first.notice_received_on in LEAVE_AT_ONCE
    assert second.admitted_on is not None and second.status_on(today) is MembershipStatus.MEMBER
    # The voting list is the full members of the day: the associates are not on it.
    voters = services.members.voters_on(services.actor, today)
    assert len(voters) == services.members.summary(services.actor).full_members
    assert not {v.member_id for v in voters} & {m.id for m in members if m.school_id is None}


def test_fee_schedules(demo) -> None:  # type: ignore[no-untyped-def]
    services, members = demo
    actor = services.actor
    today = date.today()
    this_year = AcademicYear.of(today)
    years = [s.year for s in services.fees.list_schedules(actor)]
    assert years == [this_year, this_year.previous(), AcademicYear(2016)]
    founding = services.fees.require_schedule(actor, "2016/17")
    assert [(p.starts_on, p.ends_on, p.charged) for p in founding.periods] == [
        (date(2016, 9, 1), date(2017, 3, 31), False)
    ]
    # The founding members' January 2017 figures: 2016/17 as the prospectus worked it.
    founding_quote = services.fees.quote_year(actor, "2016/17")
    assert founding_quote.without_figures == ()
    assert sum(" x 5/12 = " in q.working for q in founding_quote.quotes) >= 20
    assert all(
        q.working.startswith("01/09/2016 to 31/03/2017: no fee (the founding months)")
        for q in founding_quote.quotes
    )
    rules = services.fees.rules(actor)
    assert rules.notice_rule.leaving_date(date(2016, 11, 1)) == date(2016, 11, 1)
    assert rules.notice_rule.leaving_date(date(2017, 1, 2)) == date(2018, 1, 2)
    for year in (this_year, this_year.previous()):
        schedule = services.fees.require_schedule(actor, year)
        assert (schedule.rate_per_pupil, schedule.associate_fee) == (
            Decimal("5.00"),
            Decimal("250.00"),
        )
        quote = services.fees.quote_year(actor, year)
        assert quote.without_figures == ()  # the census figures are there
        assert quote.total > 0
    last = services.fees.require_schedule(actor, this_year.previous())
    assert last.census_date.month == 1 and last.census_date in last.year
