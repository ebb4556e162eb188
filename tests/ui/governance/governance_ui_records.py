"""A year of governance for the Governance tab's tests and screenshots, made through the
services: the usual bodies, directors and council members with real-looking names, meetings
across the year (one with short notice), and actions (one overdue, one done)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.governance import (
    ActionStatus,
    BodyKind,
    Capacity,
    HowAppointed,
    WhyEnded,
)
from thep_desktop.models import Base
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    AppointmentInput,
    MeetingInput,
    PersonInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.record_list_view import RecordListView


@dataclass
class Governance:
    """What was made, by name."""

    today: date
    bodies: dict[str, int] = field(default_factory=dict)  # by code: B, AC, GM
    people: dict[str, int] = field(default_factory=dict)  # by full name
    meetings: dict[str, int] = field(default_factory=dict)  # "board-past", "board-short"...
    actions: dict[str, int] = field(default_factory=dict)  # "overdue", "due-soon", "done"


DIRECTORS = (
    # full name, capacity, appointed (days before today), term ends (days after), service address
    ("Margaret Okonkwo", Capacity.CHAIR, 900, 400, "1 Mile End Road\nLondon E1 4NS"),
    ("David Ashworth", Capacity.VICE_CHAIR, 700, 60, "1 Mile End Road\nLondon E1 4NS"),
    ("Priya Raman", Capacity.DIRECTOR, 500, 600, "1 Mile End Road\nLondon E1 4NS"),
    ("Tomasz Nowak", Capacity.DIRECTOR, 300, 800, "1 Mile End Road\nLondon E1 4NS"),
)
COUNCIL = ("Sarah Bennett", "Ade Olawale", "Fiona MacLeod")


def governance_year(services: Services, today: date | None = None) -> Governance:
    """The usual bodies with their people, meetings and actions, around ``today``."""
    today = today or date.today()
    actor = services.actor
    made = Governance(today)
    services.governing_bodies.add_usual_bodies(actor)
    made.bodies = {b.code: b.id for b in services.governing_bodies.list_bodies(actor)}
    people = services.governance_people

    def person(name: str, address: str = "") -> int:
        saved = people.save_person(actor, PersonInput(name, service_address=address))
        made.people[name] = saved.id
        return saved.id

    for name, capacity, since, term, address in DIRECTORS:
        people.save_appointment(
            actor,
            AppointmentInput(
                person(name, address),
                made.bodies["B"],
                capacity,
                HowAppointed.ELECTED_AT_AGM,
                today - timedelta(days=since),
                term_ends_on=today + timedelta(days=term),
            ),
        )
    # A director who resigned some months ago: on the register before, former after.
    people.save_appointment(
        actor,
        AppointmentInput(
            person("Helen Carter", "1 Mile End Road\nLondon E1 4NS"),
            made.bodies["B"],
            Capacity.DIRECTOR,
            HowAppointed.CO_OPTED,
            today - timedelta(days=800),
            ends_on=today - timedelta(days=120),
            why_ended=WhyEnded.RESIGNED,
        ),
    )
    for name in COUNCIL:
        people.save_appointment(
            actor,
            AppointmentInput(
                person(name),
                made.bodies["AC"],
                Capacity.MEMBER,
                HowAppointed.NOMINATED,
                today - timedelta(days=400),
                term_ends_on=today + timedelta(days=700),
            ),
        )
    meetings = services.meetings
    board = made.bodies["B"]

    def meeting(key: str, body_id: int, days: int, sent: int | None, venue: str) -> int:
        on = today + timedelta(days=days)
        saved = meetings.save_meeting(
            actor,
            MeetingInput(
                body_id,
                on,
                starts_at=time(17, 30),
                ends_at=time(19, 0),
                venue=venue,
                notice_sent_on=on - timedelta(days=sent) if sent is not None else None,
            ),
        )
        made.meetings[key] = saved.id
        return saved.id

    past = meeting("board-past", board, -90, 21, "Partnership office, Mile End")
    meeting("board-short", board, -30, 3, "Bonner Primary School")  # 2 clear days: short
    meeting("board-next", board, 40, None, "Partnership office, Mile End")
    actions = services.governance_actions

    def action(key: str, text: str, owner: str, due: int | None) -> int:
        saved = actions.save_action(
            actor,
            ActionInput(
                past,
                text,
                owner_person_id=made.people.get(owner),
                owner_name="" if owner in made.people else owner,
                due_on=today + timedelta(days=due) if due is not None else None,
            ),
        )
        made.actions[key] = saved.id
        return saved.id

    action("overdue", "Circulate the draft budget to the schools", "Priya Raman", -12)
    action("due-soon", "Book the venue for the AGM", "Executive Director", 20)
    done = action("done", "Renew the insurance", "David Ashworth", -40)
    detail = actions.get_action(actor, done)
    actions.set_action_status(
        actor, done, ActionStatus.DONE, today - timedelta(days=45), "Renewed with Zurich",
        detail.version,
    )  # fmt: skip
    return made


def board_kind_id(services: Services) -> int:
    bodies = services.governing_bodies.list_bodies(services.actor)
    return next(b.id for b in bodies if b.kind is BodyKind.BOARD)


# -- driving the tab as a person does -----------------------------------------------------------
def shown_ids(view: RecordListView) -> list[int]:
    """The records of the view's rows, top to bottom."""
    return [view.proxy.record_at(r).id for r in range(view.proxy.rowCount())]


def click_record(qtbot, view: RecordListView, record_id: int, column: int = 1) -> None:  # type: ignore[no-untyped-def]
    rect = view.table.visualRect(view.proxy.index(shown_ids(view).index(record_id), column))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected_ids() == [record_id]


def click_at(qtbot, widget: QWidget, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)


GOVERNANCE_TABLES = (
    "governing_body",
    "governance_person",
    "appointment",
    "meeting",
    "agenda_item",
    "agenda_paper",
    "meeting_attendance",
    "interest_declaration",
    "decision",
    "governance_action",
    "minutes_erratum",
)


def governance_sums(database: Database) -> dict[str, str]:
    """Each governance table's rows, hashed: equal before and after means nothing changed."""
    sums = {}
    with database.read_session() as session:
        for name in GOVERNANCE_TABLES:
            table = Base.metadata.tables[name]
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            sums[name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return sums
