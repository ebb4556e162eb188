"""The columns and rows of the governance lists of bodies, members, people and appointments.

Each row carries its record after the shown columns, to get it back from a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import BodyKind, Frequency, SchoolRole
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    BodyDetail,
    PersonDetail,
)
from thep_desktop.ui.shared.plain_table_model import ModelIndex, PlainColumn, PlainTableModel

BODY_COLUMNS = (
    PlainColumn("Body"),
    PlainColumn("Code", "text", "Starts the number of each of its decisions (B/2025/07/3)"),
    PlainColumn("Kind"),
    PlainColumn(
        "Voting",
        "count",
        "Voting members in office today (for a general meeting: member schools entitled to vote)",
    ),
    PlainColumn("Quorum"),
    PlainColumn("Notice", "text", "Clear days of notice its meetings need"),
    PlainColumn("Must meet"),
    PlainColumn("Active", "bool", "A retired body keeps its meetings and appointments"),
)
MEMBER_COLUMNS = (
    PlainColumn("Name"),
    PlainColumn("Capacity"),
    PlainColumn("School"),
    PlainColumn("Phase"),
    PlainColumn("At the school", "text", "Head teacher or governor of their school"),
    PlainColumn("How appointed"),
    PlainColumn("From", "date"),
    PlainColumn("Term ends", "date"),
    PlainColumn("Until", "text", "The date they ceased to hold office, and why"),
)
PEOPLE_COLUMNS = (
    PlainColumn("Name"),
    PlainColumn("School"),
    PlainColumn("Roles today"),
    PlainColumn("Email"),
)
APPOINTMENT_COLUMNS = (
    PlainColumn("Body"),
    PlainColumn("Capacity"),
    PlainColumn("How appointed"),
    PlainColumn("From", "date"),
    PlainColumn("Term ends", "date"),
    PlainColumn("Until", "text", "The date they ceased to hold office, and why"),
)


# A body's kind and how often it must meet, short enough for the list of bodies beside the
# compliance panel (the form has them in full).
KIND_WORDS = {
    BodyKind.BOARD: "Board",
    BodyKind.ADVISORY_COUNCIL: "Council",
    BodyKind.GENERAL_MEETING: "General meeting",
    BodyKind.COMMITTEE: "Committee",
}


def frequency_words(body: BodyDetail) -> str:
    """``At least once a term``, ``At least 4 times a year``, or nothing required."""
    if body.frequency == Frequency.NONE or body.min_meetings == 0:
        return "No required frequency"
    times = "once" if body.min_meetings == 1 else f"{body.min_meetings} times"
    return f"At least {times} a {'term' if body.frequency == Frequency.TERM else 'year'}"


def notice_words(days: int) -> str:
    return f"{days} clear day{'s' if days != 1 else ''}"


def until_words(appointment: AppointmentDetail) -> str:
    """``31/03/2026 (Resigned)``: the date ceased and why; blank while in office."""
    if appointment.ends_on is None:
        return ""
    why = f" ({appointment.why_ended.label})" if appointment.why_ended is not None else ""
    return f"{format_date(appointment.ends_on)}{why}"


def school_role_words(role: SchoolRole) -> str:
    return "" if role == SchoolRole.NONE else role.label


def roles_words(person: PersonDetail, day: date) -> str:
    """``Chair, Board of Directors; Member, Advisory Council``: what they hold on ``day``."""
    return "; ".join(f"{a.capacity.label}, {a.body_name}" for a in person.roles_on(day))


def body_rows(bodies: Sequence[BodyDetail]) -> list[tuple[Any, ...]]:
    return [
        (
            b.name,
            b.code,
            KIND_WORDS[b.kind],
            b.voting_members,
            b.quorum.label,
            notice_words(b.notice_clear_days),
            frequency_words(b),
            b.active,
            b,
        )
        for b in bodies
    ]


def member_rows(appointments: Sequence[AppointmentDetail]) -> list[tuple[Any, ...]]:
    return [
        (
            a.person_name,
            a.capacity.label,
            a.school_name,
            a.school_phase,
            school_role_words(a.school_role),
            a.how_appointed.label,
            a.starts_on,
            a.term_ends_on,
            until_words(a),
            a,
        )
        for a in appointments
    ]


def people_rows(people: Sequence[PersonDetail], day: date) -> list[tuple[Any, ...]]:
    return [(p.full_name, p.school_name, roles_words(p, day), p.email, p) for p in people]


def appointment_rows(appointments: Sequence[AppointmentDetail]) -> list[tuple[Any, ...]]:
    return [
        (
            a.body_name,
            a.capacity.label,
            a.how_appointed.label,
            a.starts_on,
            a.term_ends_on,
            until_words(a),
            a,
        )
        for a in appointments
    ]


class MembersTableModel(PlainTableModel):
    """The members of a body: those who had ceased to hold office by the day shown are in
    grey (the Until column says so in words too)."""

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            member: AppointmentDetail = record_at(self, index.row())
            return QColor("#777777") if member.ends_on is not None else None
        return super().data(index, role)


def record_at(model: PlainTableModel, row: int) -> Any:
    """The record a row of one of these tables carries."""
    return model.row_values(row)[len(model.columns)]
