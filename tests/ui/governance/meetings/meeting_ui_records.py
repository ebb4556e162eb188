"""A Board of Directors with eight directors and an observer, and its meetings, for the meeting
editor's tests (made through the services, as the office would)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from qt_driving import activate

from thep_desktop.domain.governance import Attendance, Capacity, HowAppointed
from thep_desktop.services.governance.governance_data import (
    AppointmentInput,
    AttendanceInput,
    MeetingInput,
    PersonInput,
)
from thep_desktop.services.registry import Services

DIRECTORS = (
    ("Christine Gilbert", Capacity.CHAIR),
    ("Rahul Mehta", Capacity.VICE_CHAIR),
    ("Amina Yusuf", Capacity.DIRECTOR),
    ("David Okafor", Capacity.DIRECTOR),
    ("Helen Price", Capacity.DIRECTOR),
    ("Marek Nowak", Capacity.DIRECTOR),
    ("Siobhan Kelly", Capacity.DIRECTOR),
    ("Tom Whitfield", Capacity.DIRECTOR),
)
OBSERVER = "Priya Shah"
JULY = date(2025, 7, 14)
SEPTEMBER = date(2025, 9, 15)


@dataclass(frozen=True)
class Board:
    body_id: int
    people: dict[str, int]  # name -> person id
    gm_id: int  # the general meeting of members (14 clear days' notice)


def make_board(services: Services) -> Board:
    """The usual bodies; the Board (quorum 3) with eight directors and an observer."""
    actor = services.actor
    services.governing_bodies.add_usual_bodies(actor)
    bodies = {b.code: b.id for b in services.governing_bodies.list_bodies(actor)}
    people: dict[str, int] = {}
    for name, capacity in (*DIRECTORS, (OBSERVER, Capacity.OBSERVER)):
        person = services.governance_people.save_person(actor, PersonInput(full_name=name))
        people[name] = person.id
        services.governance_people.save_appointment(
            actor,
            AppointmentInput(
                person.id, bodies["B"], capacity, HowAppointed.ELECTED_AT_AGM, date(2024, 9, 1)
            ),
        )
    return Board(bodies["B"], people, bodies["GM"])


def board_meeting(services: Services, board: Board, on: date = JULY, **fields: object) -> int:
    """A board meeting on ``on`` with the usual agenda; its id."""
    meeting = services.meetings.save_meeting(
        services.actor,
        MeetingInput(
            board.body_id,
            on,
            starts_at=None,
            venue="Bonner Primary School",
            chair_person_id=board.people["Christine Gilbert"],
            **fields,  # type: ignore[arg-type]
        ),
    )
    return meeting.id


def attend(services: Services, meeting_id: int, board: Board, *present: str) -> None:
    """Those named present (the rest of the board absent), saved."""
    detail = services.meetings.get_meeting(services.actor, meeting_id)
    services.meetings.save_attendance(
        services.actor,
        meeting_id,
        [
            AttendanceInput(Attendance.PRESENT, person_id=board.people[name], name=name)
            for name in present
        ],
        detail.version,
    )


def retype(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what a box holds and type over it, as a person does."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(widget, text)


def opened(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    """A dialog on screen and in front (its shortcuts then work), closed at the end as one
    who answers "discard" would."""
    qtbot.addWidget(dialog, before_close_func=lambda form: form.done(QDialog.DialogCode.Rejected))
    activate(qtbot, dialog)
    return dialog


def editable_widgets(dialog: QDialog) -> list[QWidget]:
    """Every box and button in ``dialog`` that would change something, as it now stands."""
    found: list[QWidget] = []
    for edit in dialog.findChildren(QLineEdit) + dialog.findChildren(QPlainTextEdit):
        if edit.isVisibleTo(dialog) and not edit.isReadOnly() and edit.isEnabled():
            found.append(edit)
    for widget in dialog.findChildren(QComboBox) + dialog.findChildren(QCheckBox):
        if widget.isVisibleTo(dialog) and widget.isEnabled():
            found.append(widget)
    return found
