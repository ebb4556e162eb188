"""Approved minutes for tests: a Board meeting with everything minutes hold, approved at a
later meeting, with an erratum; and a snapshot of every row to show nothing changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import acting_as
from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    Capacity,
    DecisionKind,
    DecisionResult,
    HowAppointed,
    MeetingKind,
    MinutesStatus,
)
from thep_desktop.models import (
    AgendaItem,
    AgendaPaper,
    Base,
    Decision,
    GovernanceAction,
    InterestDeclaration,
    Meeting,
    MeetingAttendance,
    MinutesErratum,
)
from thep_desktop.services.governance.governance_data import AppointmentInput, PersonInput
from thep_desktop.services.registry import Services

Row = TypeVar("Row")
# The words of migration 0013's triggers.
REFUSAL = "Approved minutes cannot be changed or deleted; record a dated erratum instead"
HELD_ON = date(2025, 7, 9)
APPROVED_ON = date(2025, 10, 8)


@dataclass(frozen=True)
class Minutes:
    """The ids of one meeting's rows, table by table (``meeting`` is the meeting itself)."""

    meeting: int
    agenda_item: int
    agenda_paper: int
    meeting_attendance: int
    interest_declaration: int
    decision: int
    minutes_erratum: int | None = None  # noted after approval; draft minutes have none


@dataclass(frozen=True)
class Board:
    services: Services
    approved: Minutes  # the July meeting, approved at the October one
    later: Minutes  # the October meeting: draft minutes, holding the approving decision
    chair_id: int


CLERK = "clerk"


def _new(model: type[Row], **values: object) -> Row:
    """A row as a service makes one: created and last changed by the clerk."""
    return model(**values, created_by=CLERK, updated_by=CLERK)


def add_meeting(
    session, body_id: int, title: str, on: date, people: list[int], status=MinutesStatus.DRAFT
) -> Minutes:
    meeting = _new(
        Meeting,
        body_id=body_id,
        kind=MeetingKind.ORDINARY,
        title=title,
        meets_on=on,
        starts_at=time(17, 30),
        venue="229 Bethnal Green Road",
        notice_sent_on=date(on.year, on.month, 1),
        minutes_status=status,
        chair_person_id=people[0],
    )
    session.add(meeting)
    session.flush()
    items = [
        _new(AgendaItem, meeting_id=meeting.id, position=n, title=t, presenter=p, minutes=m)
        for n, (t, p, m) in enumerate(
            [
                ("Welcome and apologies", "Chair", "The chair welcomed everyone."),
                ("Declarations of interest", "Chair", "One interest was declared."),
                ("Budget 2025/26", "Treasurer", "The Board considered the budget."),
            ],
            start=1,
        )
    ]
    session.add_all(items)
    session.flush()
    budget = items[2]
    paper = _new(
        AgendaPaper, agenda_item_id=budget.id, file_name="budget.pdf", size=8, content=b"%PDF-1.7"
    )
    lines = [
        _new(MeetingAttendance, meeting_id=meeting.id, person_id=pid, status=Attendance.PRESENT)
        for pid in people
    ]
    lines.append(
        _new(
            MeetingAttendance,
            meeting_id=meeting.id,
            name="Sam Auditor",
            role="Auditor",
            status=Attendance.IN_ATTENDANCE,
            arrived_at_item=3,
        )
    )
    declaration = _new(
        InterestDeclaration,
        meeting_id=meeting.id,
        agenda_item_id=budget.id,
        name="Ada Director",
        interest="Governor at a school bidding for the contract",
    )
    decision = _new(
        Decision,
        meeting_id=meeting.id,
        agenda_item_id=budget.id,
        number=1,
        text="That the budget for 2025/26 be approved.",
        kind=DecisionKind.ORDINARY,
        result=DecisionResult.CARRIED,
        votes_for=3,
        votes_against=0,
        votes_abstaining=0,
    )
    action = _new(
        GovernanceAction,
        body_id=body_id,
        meeting_id=meeting.id,
        agenda_item_id=budget.id,
        text="Publish the budget to member schools",
        owner_name="Treasurer",
        due_on=date(on.year, on.month, 28),
        status=ActionStatus.OPEN,
    )
    session.add_all([paper, *lines, declaration, decision, action])
    session.flush()
    return Minutes(
        meeting=meeting.id,
        agenda_item=budget.id,
        agenda_paper=paper.id,
        meeting_attendance=lines[0].id,
        interest_declaration=declaration.id,
        decision=decision.id,
    )


def approve_minutes(session: Session, meeting_id: int, at_meeting_id: int) -> int:
    """As the clerk records it: a decision at the later meeting's first item approving the
    minutes, numbered after its others, and the minutes approved on that meeting's date.
    Returns the decision's id."""
    later = session.get(Meeting, at_meeting_id)
    earlier = session.get(Meeting, meeting_id)
    item = session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == at_meeting_id, AgendaItem.position == 1)
    ).one()
    number = session.scalar(
        select(func.coalesce(func.max(Decision.number), 0)).where(
            Decision.meeting_id == at_meeting_id
        )
    )
    decision = _new(
        Decision,
        meeting_id=at_meeting_id,
        agenda_item_id=item.id,
        number=number + 1,
        text=f"That the minutes of the meeting held on {format_date(earlier.meets_on)} be "
        "approved as a true record.",
        kind=DecisionKind.ORDINARY,
        result=DecisionResult.CARRIED,
        approves_meeting_id=meeting_id,
    )
    session.add(decision)
    earlier.minutes_status = MinutesStatus.APPROVED
    earlier.circulated_on = earlier.circulated_on or earlier.meets_on + timedelta(days=7)
    earlier.approved_on = later.meets_on
    earlier.approved_at_meeting_id = at_meeting_id
    session.flush()
    return decision.id


def sign_minutes(session: Session, meeting_id: int, by: str, on: date) -> None:
    meeting = session.get(Meeting, meeting_id)
    meeting.minutes_status = MinutesStatus.SIGNED
    meeting.signed_by, meeting.signed_on = by, on
    session.flush()


def build_board(services: Services) -> Board:
    """The Board with three directors; July's minutes approved at October's meeting (by a
    decision there), with an erratum noted after approval."""
    actor, db = services.actor, services.db
    services.governing_bodies.add_usual_bodies(actor)
    board = services.governing_bodies.find_body(actor, "B")
    people = []
    for name in ("Ada Director", "Ben Director", "Cal Director"):
        person = services.governance_people.save_person(actor, PersonInput(full_name=name))
        services.governance_people.save_appointment(
            actor,
            AppointmentInput(
                person_id=person.id,
                body_id=board.id,
                capacity=Capacity.CHAIR if not people else Capacity.DIRECTOR,
                how_appointed=HowAppointed.ELECTED_AT_AGM,
                starts_on=date(2024, 9, 1),
            ),
        )
        people.append(person.id)
    with acting_as(actor.name), db.session() as session:
        july = add_meeting(session, board.id, "Board meeting", HELD_ON, people)
        october = add_meeting(session, board.id, "Board meeting", APPROVED_ON, people)
        approve_minutes(session, july.meeting, october.meeting)
        erratum = _new(
            MinutesErratum,
            meeting_id=july.meeting,
            agenda_item_id=july.agenda_item,
            noted_on=date(2025, 11, 3),
            correction="Item 3: the budget was proposed by Ben Director, not Cal Director.",
            reason="Noticed by the treasurer",
        )
        session.add(erratum)
        session.flush()
        approved = replace(july, minutes_erratum=erratum.id)
    return Board(services, approved, october, people[0])


def sign_and_approve_at_a_third(services: Services, board: Board) -> int:
    """July's minutes signed by the chair; October's approved at a January meeting, whose
    minutes are a draft. Returns January's id."""
    db = services.db
    with acting_as(services.actor.name), db.session() as session:
        body_id = session.get(Meeting, board.later.meeting).body_id
        january = add_meeting(
            session, body_id, "Board meeting", date(2026, 1, 14), [board.chair_id]
        )
        approve_minutes(session, board.later.meeting, january.meeting)
        sign_minutes(session, board.approved.meeting, "Ada Director", date(2025, 10, 20))
    return january.meeting


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table: what "nothing changed" is compared with."""
    found = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = ", ".join(c.name for c in table.primary_key.columns)
            rows = conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {order}'))
            found[table.name] = [tuple(row) for row in rows]
    return found
