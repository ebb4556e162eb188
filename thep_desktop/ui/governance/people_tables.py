"""The columns and rows of the governance lists of bodies, members, people and appointments.

Each row carries its record after the shown columns, to get it back from a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import SchoolRole
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    BodyDetail,
    PersonDetail,
)
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

BODY_COLUMNS = (
    PlainColumn("Body"),
    PlainColumn("Code", "text", "Starts the number of each of its decisions (B/2025/07/3)"),
    PlainColumn("Kind"),
    PlainColumn("Voting now", "count", "Voting members in office today"),
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
            b.kind.label,
            b.voting_members,
            b.quorum.label,
            notice_words(b.notice_clear_days),
            b.frequency_label,
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


def record_at(model: PlainTableModel, row: int) -> Any:
    """The record a row of one of these tables carries."""
    return model.row_values(row)[len(model.columns)]
