"""The demo's governance, counted row by row and read back through the services."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import partial

import pytest
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    BodyKind,
    Capacity,
    HowAppointed,
    MeetingKind,
    MinutesStatus,
    SchoolRole,
    WhyEnded,
    clear_days,
    in_office,
)
from thep_desktop.domain.school_calendar import default_terms
from thep_desktop.models import (
    AgendaItem,
    Appointment,
    Decision,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    Meeting,
    MeetingAttendance,
    Member,
    MembershipPeriod,
    MinutesErratum,
    School,
)
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.demo.demo_governance import add_governance
from thep_desktop.services.demo.demo_service import DEMO_STEPS, DemoService
from thep_desktop.services.demo.demo_steps import DemoStep
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


def _loaded_on(db: Database, actor: Actor, today: date | None = None) -> Services:
    steps = DEMO_STEPS
    if today is not None:
        steps = tuple(
            DemoStep(step.name, step.weight, partial(add_governance, today=today))
            if step.name == "governance"
            else step
            for step in DEMO_STEPS
        )
    DemoService(db, steps).load(actor)
    return Services(db, actor)


def _rows(session: Session, model: type) -> list[Row]:  # type: ignore[type-arg]
    """Every row of the model's table as plain rows, readable after the session closes."""
    return list(session.execute(select(model.__table__)).all())  # type: ignore[attr-defined]


def _entitled_on(db: Database, day: date) -> set[int]:
    """Full member schools on ``day``, worked out here from the periods (not the service)."""
    with db.read_session() as session:
        latest: dict[int, Row] = {}  # type: ignore[type-arg]
        periods = MembershipPeriod.__table__
        for period in session.execute(
            select(periods)
            .where(periods.c.applied_on <= day)
            .order_by(periods.c.applied_on, periods.c.id)
        ):
            latest[period.member_id] = period
        schools = set(session.scalars(select(Member.id).where(Member.school_id.is_not(None))))
    return {
        member_id
        for member_id, p in latest.items()
        if member_id in schools
        and p.category.value == "full"
        and p.admitted_on is not None
        and p.admitted_on <= day
        and (p.ends_on is None or p.ends_on > day)
    }


def test_the_demo_has_the_bodies_and_their_people(db: Database, actor: Actor) -> None:
    services = _loaded_on(db, actor)
    today = date.today()
    with db.read_session() as session:
        bodies = {b.kind: b for b in _rows(session, GoverningBody)}
        assert set(bodies) == {BodyKind.BOARD, BodyKind.ADVISORY_COUNCIL, BodyKind.GENERAL_MEETING}
        assert session.scalar(select(func.count(GovernancePerson.id))) == 24
        seats = _rows(session, Appointment)
        schools = {s.id: s for s in _rows(session, School)}
        people = {p.id: p for p in _rows(session, GovernancePerson)}
    board = [a for a in seats if a.body_id == bodies[BodyKind.BOARD].id]
    directors_now = [
        a for a in board if a.capacity.votes and in_office(a.starts_on, a.ends_on, today)
    ]
    assert len(directors_now) == 8
    capacities = Counter(a.capacity for a in directors_now)
    assert capacities[Capacity.CHAIR] == capacities[Capacity.VICE_CHAIR] == 1
    assert [a.how_appointed for a in directors_now].count(HowAppointed.EX_OFFICIO) == 1
    (resigned,) = [a for a in board if a.ends_on is not None]
    assert resigned.why_ended is WhyEnded.RESIGNED
    assert today - timedelta(days=365) < resigned.ends_on <= today
    ending = [
        a
        for a in directors_now
        if a.term_ends_on is not None and today < a.term_ends_on <= today + timedelta(days=90)
    ]
    assert len(ending) == 1
    non_voting = Counter(a.capacity for a in board if not a.capacity.votes)
    assert non_voting == {Capacity.OBSERVER: 1, Capacity.CLERK: 1, Capacity.STAFF: 1}

    council = [
        a for a in seats if a.body_id == bodies[BodyKind.ADVISORY_COUNCIL].id and a.capacity.votes
    ]
    assert len(council) == 12 and all(in_office(a.starts_on, a.ends_on, today) for a in council)
    members = [people[a.person_id] for a in council]
    roles = Counter(p.school_role for p in members)
    assert roles[SchoolRole.HEAD_TEACHER] >= 4 and roles[SchoolRole.GOVERNOR] >= 4
    assert sum(roles.values()) == 12
    phases = {schools[p.school_id].phase for p in members}
    assert len(phases) >= 3
    entitled = _entitled_on(db, today)
    with db.read_session() as session:
        member_of_school = dict(
            session.execute(
                select(Member.school_id, Member.id).where(Member.school_id.is_not(None))
            ).all()
        )
    assert all(member_of_school[p.school_id] in entitled for p in members)
    # The register of directors and the service agree with the rows.
    register = services.governance_people.register_of_directors(actor, today)
    assert len(register.current) == 8 and len(register.former) == 1


def test_the_demo_has_a_year_of_meetings_decisions_and_actions(db: Database, actor: Actor) -> None:
    services = _loaded_on(db, actor)
    today = date.today()
    with db.read_session() as session:
        bodies = {b.id: b for b in _rows(session, GoverningBody)}
        meetings = sorted(_rows(session, Meeting), key=lambda m: m.meets_on)
        decisions = _rows(session, Decision)
        actions = _rows(session, GovernanceAction)
        attendance = _rows(session, MeetingAttendance)
        errata = _rows(session, MinutesErratum)
        items_with_minutes = (
            session.scalar(select(func.count(AgendaItem.id)).where(AgendaItem.minutes != "")) or 0
        )
    by_kind: dict[BodyKind, list[Row]] = {}  # type: ignore[type-arg]
    for meeting in meetings:
        by_kind.setdefault(bodies[meeting.body_id].kind, []).append(meeting)

    board = by_kind[BodyKind.BOARD]
    held = [m for m in board if m.meets_on <= today]
    ahead = [m for m in board if m.meets_on > today]
    assert len(held) == 8 and len(ahead) >= 1
    assert held[0].meets_on >= today - timedelta(days=366)
    assert Counter(m.minutes_status for m in held) == {
        MinutesStatus.SIGNED: 7,
        MinutesStatus.CIRCULATED: 1,
    }
    assert held[-1].minutes_status is MinutesStatus.CIRCULATED
    assert all(m.minutes_status is MinutesStatus.DRAFT for m in ahead)
    # Signed minutes were approved by a decision at the body's next meeting.
    approvals = {d.approves_meeting_id: d for d in decisions if d.approves_meeting_id}
    for meeting in meetings:
        if meeting.minutes_status is MinutesStatus.SIGNED:
            decision = approvals[meeting.id]
            assert decision.meeting_id == meeting.approved_at_meeting_id
            later = next(m for m in meetings if m.id == decision.meeting_id)
            assert later.body_id == meeting.body_id and later.meets_on > meeting.meets_on
            assert meeting.approved_on == meeting.signed_on == later.meets_on
            assert meeting.signed_by
    council = by_kind[BodyKind.ADVISORY_COUNCIL]
    assert [m.minutes_status for m in council] == [
        MinutesStatus.SIGNED,
        MinutesStatus.SIGNED,
        MinutesStatus.CIRCULATED,
    ]
    general = by_kind[BodyKind.GENERAL_MEETING]
    agm = next(m for m in general if m.meets_on <= today)
    assert agm.kind is MeetingKind.ANNUAL and agm.minutes_status is MinutesStatus.CIRCULATED
    assert [m.kind for m in general if m.meets_on > today] == [MeetingKind.ANNUAL]

    # One meeting had short notice.
    short = [
        m
        for m in meetings
        if m.notice_sent_on is not None
        and clear_days(m.notice_sent_on, m.meets_on) < bodies[m.body_id].notice_clear_days
    ]
    assert len(short) == 1 and bodies[short[0].body_id].kind is BodyKind.BOARD

    # Decisions numbered 1, 2, … in each meeting; minutes written for the held meetings.
    numbers: dict[int, list[int]] = {}
    for decision in decisions:
        numbers.setdefault(decision.meeting_id, []).append(decision.number)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
    assert len(decisions) >= 25 and items_with_minutes >= 80

    # Actions: open, in progress, done and dropped; some overdue; closed at a later meeting.
    statuses = Counter(a.status for a in actions)
    assert all(statuses[s] >= 2 for s in ActionStatus), statuses
    overdue = [a for a in actions if a.status.is_open and a.due_on and a.due_on < today]
    assert len(overdue) >= 2
    dates = {m.id: (m.body_id, m.meets_on) for m in meetings}
    for action in actions:
        if not action.status.is_open:
            body_id, closed_at = dates[action.closed_at_meeting_id]
            assert body_id == action.body_id and closed_at == action.closed_on
            assert closed_at > dates[action.meeting_id][1]
    next_board = services.meetings.get_meeting(actor, ahead[0].id)
    assert len(next_board.matters_arising) >= len(
        [a for a in actions if a.status.is_open and a.body_id == ahead[0].body_id]
    )

    # The AGM: votes from entitled member schools there, in person or by proxy; an associate
    # in attendance without a vote.
    at_agm = [a for a in attendance if a.meeting_id == agm.id and a.member_id is not None]
    entitled = _entitled_on(db, agm.meets_on)
    voting = [a for a in at_agm if a.status is Attendance.PRESENT]
    assert all(a.member_id in entitled for a in voting)
    assert (
        sum(1 for a in voting if a.by_proxy) >= 1 and sum(1 for a in voting if not a.by_proxy) >= 10
    )
    others = [a for a in at_agm if a.status is not Attendance.PRESENT]
    assert len(others) == 1 and others[0].status is Attendance.IN_ATTENDANCE
    assert others[0].member_id not in entitled
    agm_votes = [d for d in decisions if d.meeting_id == agm.id and d.votes_for is not None]
    assert len(agm_votes) == 3
    for decision in agm_votes:
        total = decision.votes_for + decision.votes_against + decision.votes_abstaining
        assert 0 < total <= len(voting) <= len(entitled)

    # One erratum, on approved minutes, noted at a later meeting.
    (erratum,) = errata
    corrected = next(m for m in meetings if m.id == erratum.meeting_id)
    assert corrected.minutes_status is MinutesStatus.SIGNED
    assert erratum.noted_on > corrected.approved_on

    # Read back through the services: every decision quorate at its item, votes in range.
    for meeting in meetings:
        detail = services.meetings.get_meeting(actor, meeting.id)
        for taken in detail.decisions:
            assert taken.quorum.quorate, (detail.label, taken.reference)
            assert taken.votes.total <= taken.quorum.voting
    assert [r.problems for r in run_checks(services.db, actor) if not r.ok] == []


def _term_of(day: date) -> tuple[date, date]:
    year = AcademicYear.of(day)
    terms = [t for y in (year.previous(), year) for t in default_terms(y)]
    term = [t for t in terms if t.starts_on <= day][-1]
    return term.starts_on, term.ends_on


@pytest.mark.parametrize(
    "today",
    [
        date(AcademicYear.of(date.today()).start_year, 9, 8),  # the first week of term
        date(AcademicYear.of(date.today()).start_year + 1, 4, 14),  # the Easter holidays
        date(AcademicYear.of(date.today()).start_year + 1, 8, 20),  # the summer holidays
    ],
)
def test_the_council_has_missed_this_term_whatever_day_the_demo_is_loaded(
    sqlite_db: Database, actor: Actor, today: date
) -> None:
    services = _loaded_on(sqlite_db, actor, today)
    report = services.governance_compliance.compliance(actor, today)
    assert [gap.body_name for gap in report.behind] == ["Advisory Council"]
    assert len(report.short_notices) == 1 and report.overdue_actions
    assert {a.body_name for a in report.terms_ending} == {"Board of Directors", "Advisory Council"}
    first, last = _term_of(today)
    council = services.governing_bodies.find_body(actor, "AC")
    met = [m.meets_on for m in services.meetings.list_meetings(actor, body_id=council.id)]
    assert len(met) == 3 and not any(first <= day <= last for day in met)
    for summary in services.meetings.list_meetings(actor):
        detail = services.meetings.get_meeting(actor, summary.id, today=today)
        assert all(d.quorum.quorate for d in detail.decisions)
    assert [r.problems for r in run_checks(services.db, actor) if not r.ok] == []
