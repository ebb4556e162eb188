"""Approved minutes for tests, made through the services as the clerk makes them: a Board
meeting with everything minutes hold, approved at a later meeting, with an erratum; and a
snapshot of every row to show nothing changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from governance_records import board as board_of_directors
from governance_records import meeting as new_meeting
from sqlalchemy import text

from thep_desktop.database import Database
from thep_desktop.domain.governance import Attendance, Votes
from thep_desktop.models import Base
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    DeclarationInput,
    MeetingDetail,
)
from thep_desktop.services.registry import Services

# The words of migration 0013's triggers.
REFUSAL = "Approved minutes cannot be changed or deleted; record a dated erratum instead"
HELD_ON = date(2025, 7, 9)
APPROVED_ON = date(2025, 10, 8)
NEXT_ON = date(2026, 1, 14)
CHAIR = "Christine Gilbert"  # the first of governance_records.DIRECTORS
MINUTES_ITEM = "Minutes of the last meeting and matters arising"
FINANCE_ITEM = "Finance report"
ACTION = "Publish the budget to member schools"


@dataclass(frozen=True)
class Minutes:
    """The ids of one meeting's rows, table by table (``meeting`` is the meeting itself):
    the finance report's item, its paper, the chair's attendance line, the declaration and
    the budget decision (number 1)."""

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
    body_id: int
    people: list[int]  # the chair first, then two directors
    approved: Minutes  # July's meeting, approved at October's
    later: Minutes  # October's meeting: draft minutes, holding the approving decision

    @property
    def chair_id(self) -> int:
        return self.people[0]


def item_id(detail: MeetingDetail, title: str) -> int:
    return next(item.id for item in detail.items if item.title == title)


def hold_meeting(services: Services, body_id: int, on: date, people: list[int]) -> Minutes:
    """A Board meeting that has happened: minutes on every item, a paper, everyone present
    with the auditor in attendance from the finance report, a declaration, the budget
    decision and an action."""
    actor, meetings = services.actor, services.meetings
    detail = new_meeting(services, body_id, on, on - timedelta(days=14), chair_person_id=people[0])
    detail = meetings.save_agenda(
        actor,
        detail.id,
        [
            AgendaItemInput(item.title, "Chair", f"Minutes of “{item.title}”.", item.id)
            for item in detail.items
        ],
        detail.version,
    )
    finance = item_id(detail, FINANCE_ITEM)
    position = next(i.position for i in detail.items if i.id == finance)
    paper = meetings.add_paper(actor, finance, "budget 2025-26.pdf", b"%PDF-1.7 budget")
    lines = [AttendanceInput(Attendance.PRESENT, person_id=p) for p in people]
    lines.append(
        AttendanceInput(
            Attendance.IN_ATTENDANCE, name="Sam Auditor", role="Auditor", arrived_at_item=position
        )
    )
    detail = meetings.save_attendance(actor, detail.id, lines, detail.version)
    detail = meetings.save_declarations(
        actor,
        detail.id,
        [DeclarationInput("Aziz Ahmed", "Governor at a school bidding for the contract", finance)],
        detail.version,
    )
    decision = meetings.save_decision(
        actor,
        detail.id,
        DecisionInput(finance, "That the budget for 2025/26 be approved.", votes=Votes(3, 0, 0)),
    )
    services.governance_actions.save_action(
        actor,
        ActionInput(
            detail.id, ACTION, owner_name="Executive Director", due_on=on + timedelta(days=21)
        ),
    )
    detail = meetings.get_meeting(actor, detail.id)
    return Minutes(
        meeting=detail.id,
        agenda_item=finance,
        agenda_paper=paper.id,
        meeting_attendance=next(a.id for a in detail.attendance if a.person_id == people[0]),
        interest_declaration=detail.declarations[0].id,
        decision=decision.id,
    )


def approve(services: Services, meeting_id: int, at: int) -> int:
    """The minutes approved at the later meeting's "Minutes of the last meeting" item."""
    later = services.meetings.get_meeting(services.actor, at)
    return services.meetings.approve_minutes(
        services.actor, meeting_id, at, item_id(later, MINUTES_ITEM), Votes(3, 0, 0)
    ).id


def build_board(services: Services) -> Board:
    """The Board with three directors; July's minutes circulated, approved at October's
    meeting (by a decision there, number 2), with an erratum noted after approval."""
    actor, meetings = services.actor, services.meetings
    body_id, people = board_of_directors(services, directors=3, observers=0)
    july = hold_meeting(services, body_id, HELD_ON, people)
    october = hold_meeting(services, body_id, APPROVED_ON, people)
    detail = meetings.get_meeting(actor, july.meeting)
    meetings.circulate_minutes(actor, july.meeting, date(2025, 7, 20), detail.version)
    approve(services, july.meeting, october.meeting)
    erratum = meetings.add_erratum(
        actor,
        july.meeting,
        july.agenda_item,
        date(2025, 11, 3),
        "The budget was proposed by Aziz Ahmed, not Kevan Collins.",
        "Noticed by the treasurer",
    )
    approved = replace(july, minutes_erratum=erratum.id)
    return Board(services, body_id, people, approved, october)


def sign_and_approve_at_a_third(services: Services, board: Board) -> int:
    """July's minutes signed by the chair; October's approved at a January meeting, whose
    minutes are a draft. Returns January's id."""
    january = hold_meeting(services, board.body_id, NEXT_ON, board.people)
    approve(services, board.later.meeting, january.meeting)
    detail = services.meetings.get_meeting(services.actor, board.approved.meeting)
    services.meetings.sign_minutes(
        services.actor, board.approved.meeting, CHAIR, date(2025, 10, 20), detail.version
    )
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
