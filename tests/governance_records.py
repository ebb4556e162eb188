"""Bodies, people, appointments and meetings for the governance tests, made through the
services (import as ``from governance_records import ...``)."""

from __future__ import annotations

from datetime import date, time

from invoice_records import table_sums

from thep_desktop.database import Database
from thep_desktop.domain.governance import (
    Attendance,
    Capacity,
    HowAppointed,
    WhyEnded,
)
from thep_desktop.models import (
    AgendaItem,
    AgendaPaper,
    Appointment,
    Decision,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    InterestDeclaration,
    Meeting,
    MeetingAttendance,
    MinutesErratum,
)
from thep_desktop.services.governance.governance_data import (
    AppointmentInput,
    AttendanceInput,
    MeetingDetail,
    MeetingInput,
    PersonInput,
)
from thep_desktop.services.registry import Services

GOVERNANCE_TABLES = (
    GoverningBody,
    GovernancePerson,
    Appointment,
    Meeting,
    AgendaItem,
    AgendaPaper,
    MeetingAttendance,
    InterestDeclaration,
    Decision,
    GovernanceAction,
    MinutesErratum,
)

# The interim board the 2016 prospectus names, and more directors with made-up names.
DIRECTORS = (
    ("Christine Gilbert", Capacity.CHAIR),
    ("Aziz Ahmed", Capacity.VICE_CHAIR),
    ("Kevan Collins", Capacity.DIRECTOR),
    ("Rob Hopkins", Capacity.DIRECTOR),
    ("Michael Keith", Capacity.DIRECTOR),
    ("Alasdair Macdonald", Capacity.DIRECTOR),
)
APPOINTED = date(2024, 9, 1)


def governance_sums(db: Database) -> dict[str, tuple[int, str]]:
    """Every governance table's row count and checksum (refusals change none)."""
    return table_sums(db, GOVERNANCE_TABLES)


def bodies(services: Services) -> dict[str, int]:
    """The usual three bodies, by code: B, AC, GM."""
    services.governing_bodies.add_usual_bodies(services.actor)
    return {b.code: b.id for b in services.governing_bodies.list_bodies(services.actor)}


def person(services: Services, name: str, **fields: object) -> int:
    return services.governance_people.save_person(
        services.actor,
        PersonInput(name, **fields),  # type: ignore[arg-type]
    ).id


def appoint(
    services: Services,
    person_id: int,
    body_id: int,
    capacity: Capacity = Capacity.DIRECTOR,
    starts_on: date = APPOINTED,
    ends_on: date | None = None,
    term_ends_on: date | None = None,
    how: HowAppointed = HowAppointed.ELECTED_AT_AGM,
) -> int:
    return services.governance_people.save_appointment(
        services.actor,
        AppointmentInput(
            person_id,
            body_id,
            capacity,
            how,
            starts_on,
            term_ends_on,
            ends_on,
            WhyEnded.RESIGNED if ends_on else None,
        ),
    ).id


def board(services: Services, directors: int = 6, observers: int = 1) -> tuple[int, list[int]]:
    """The board with ``directors`` voting directors and ``observers`` observers: the
    board's id and its people's ids (directors first)."""
    ids = bodies(services)
    people = []
    for name, capacity in DIRECTORS[:directors]:
        made = person(services, name, service_address="229 Bethnal Green Road, London E2 6AB")
        appoint(services, made, ids["B"], capacity)
        people.append(made)
    for number in range(observers):
        made = person(services, f"Observer {number + 1}")
        appoint(services, made, ids["B"], Capacity.OBSERVER, how=HowAppointed.NOMINATED)
        people.append(made)
    return ids["B"], people


def meeting(
    services: Services,
    body_id: int,
    meets_on: date,
    notice_sent_on: date | None = None,
    **fields: object,
) -> MeetingDetail:
    return services.meetings.save_meeting(
        services.actor,
        MeetingInput(
            body_id,
            meets_on,
            starts_at=time(18, 0),
            venue="Professional Development Centre, 229 Bethnal Green Road",
            notice_sent_on=notice_sent_on,
            **fields,  # type: ignore[arg-type]
        ),
    )


def attend(
    services: Services,
    detail: MeetingDetail,
    present: list[int],
    apologies: list[int] = (),  # type: ignore[assignment]
    late: dict[int, int] | None = None,
    left: dict[int, int] | None = None,
    in_attendance: list[int] = (),  # type: ignore[assignment]
) -> MeetingDetail:
    """Attendance by person id: who was present (arriving / leaving at item numbers)."""
    late = late or {}
    left = left or {}
    lines = [
        AttendanceInput(
            Attendance.PRESENT,
            person_id=p,
            arrived_at_item=late.get(p),
            left_at_item=left.get(p),
        )
        for p in present
    ]
    lines += [AttendanceInput(Attendance.APOLOGIES, person_id=p) for p in apologies]
    lines += [AttendanceInput(Attendance.IN_ATTENDANCE, person_id=p) for p in in_attendance]
    return services.meetings.save_attendance(services.actor, detail.id, lines, detail.version)
