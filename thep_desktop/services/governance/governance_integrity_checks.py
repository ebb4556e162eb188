"""Governance checks of ``thep-admin check``: minutes approved by a decision at a later
meeting, decisions numbered without gaps, arrivals and departures at real agenda items, actions
closed after they were raised, and appointments to a body that do not overlap.

These are rules the services keep across rows and tables, which no constraint of one row can
say, read back from the database (never written) so that a record changed around the program
is found. Where a constraint does say it (an arrival after leaving), the check reads it again:
a database restored from elsewhere, or a server whose constraint was dropped, may break it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, inspect, select

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    MinutesStatus,
    Presence,
    periods_overlap,
    presence_problems,
)
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
    School,
)
from thep_desktop.services.backups.database_checks import register_check
from thep_desktop.services.governance.governance_data import meeting_label

SHOWN = 20  # problems listed of one kind before "… and N more"

_body: Table = GoverningBody.__table__  # type: ignore[assignment]
_meeting: Table = Meeting.__table__  # type: ignore[assignment]
_item: Table = AgendaItem.__table__  # type: ignore[assignment]
_attendance: Table = MeetingAttendance.__table__  # type: ignore[assignment]
_decision: Table = Decision.__table__  # type: ignore[assignment]
_action: Table = GovernanceAction.__table__  # type: ignore[assignment]
_person: Table = GovernancePerson.__table__  # type: ignore[assignment]
_appointment: Table = Appointment.__table__  # type: ignore[assignment]
_member: Table = Member.__table__  # type: ignore[assignment]
_school: Table = School.__table__  # type: ignore[assignment]


def _has_governance(conn: Connection) -> bool:
    """A database from before governance (migration 0013) has nothing of it to check."""
    return "meeting" in set(inspect(conn).get_table_names())


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= SHOWN:
        return problems
    return [*problems[:SHOWN], f"… and {len(problems) - SHOWN} more"]


def _meetings(conn: Connection) -> dict[int, tuple[str, Any]]:
    """Each meeting's name in words and its row."""
    rows = conn.execute(
        select(_meeting, _body.c.name.label("body_name"))
        .join(_body, _body.c.id == _meeting.c.body_id)
        .order_by(_meeting.c.meets_on, _meeting.c.id)
    )
    return {row.id: (_meeting_name(row.title, row.meets_on, row.body_name), row) for row in rows}


def _meeting_name(title: str, meets_on: date, body: str) -> str:
    """ "Board of Directors, 09/07/2025", with the body added when the title does not name it:
    "Budget workshop, 03/03/2026 (Board of Directors)"."""
    label = meeting_label(title, meets_on)
    return label if body.casefold() in title.casefold() else f"{label} ({body})"


def _named(meetings: dict[int, tuple[str, Any]], meeting_id: int | None) -> str:
    if meeting_id is None:
        return "no meeting"
    found = meetings.get(meeting_id)
    return found[0] if found else f"meeting {meeting_id}, which is not there"


@register_check("Minutes approved by a decision at a later meeting")
def approved_minutes(db: Database) -> list[str]:
    """Approved (and signed) minutes have the decision that approved them, taken at a later
    meeting of the same body, the one the minutes name; and no decision approves minutes
    that are still a draft."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_governance(conn):
            return []
        meetings = _meetings(conn)
        approvals: dict[int, list[Any]] = defaultdict(list)
        for row in conn.execute(
            select(_decision).where(_decision.c.approves_meeting_id.is_not(None))
        ):
            approvals[row.approves_meeting_id].append(row)
    for meeting_id, (name, row) in meetings.items():
        status = MinutesStatus(row.minutes_status)
        decisions = approvals.get(meeting_id, [])
        if not status.locked:
            for decision in decisions:
                problems.append(
                    f"{name}: decision {decision.number} at "
                    f"{_named(meetings, decision.meeting_id)} approved its minutes, but they "
                    f"are still {status.label.lower()}"
                )
            continue
        if not decisions:
            problems.append(
                f"{name}: its minutes are {status.label.lower()} but no decision approved them"
            )
            continue
        for decision in decisions:
            approving = meetings.get(decision.meeting_id)
            if approving is None:
                continue  # the foreign key check says so
            where, later = approving
            if later.meets_on <= row.meets_on:
                problems.append(
                    f"{name}: its minutes were approved by decision {decision.number} at "
                    f"{where}, which is not a later meeting"
                )
            if later.body_id != row.body_id:
                problems.append(
                    f"{name}: its minutes were approved by decision {decision.number} at "
                    f"{where}, a meeting of another body"
                )
            if row.approved_at_meeting_id != decision.meeting_id:
                problems.append(
                    f"{name}: its minutes name {_named(meetings, row.approved_at_meeting_id)} "
                    f"as approving them, but the approving decision was taken at {where}"
                )
    return _capped(problems)


@register_check("Decisions numbered without gaps")
def decision_numbers(db: Database) -> list[str]:
    """Each meeting's decisions are numbered 1, 2, 3 … in turn, each at one of its own items."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_governance(conn):
            return []
        meetings = _meetings(conn)
        numbers: dict[int, list[int]] = defaultdict(list)
        for meeting_id, number in conn.execute(
            select(_decision.c.meeting_id, _decision.c.number).order_by(_decision.c.number)
        ):
            numbers[meeting_id].append(number)
        elsewhere = conn.execute(
            select(_decision.c.meeting_id, _decision.c.number, _item.c.meeting_id.label("other"))
            .join(_item, _item.c.id == _decision.c.agenda_item_id)
            .where(_item.c.meeting_id != _decision.c.meeting_id)
            .order_by(_decision.c.meeting_id, _decision.c.number)
        ).all()
    for meeting_id, (name, _row) in meetings.items():
        found = numbers.get(meeting_id, [])
        missing = sorted(set(range(1, max(found, default=0) + 1)) - set(found))
        if missing:
            shown = ", ".join(str(n) for n in found)
            gaps = ", ".join(str(n) for n in missing)
            problems.append(
                f"{name}: its decisions are numbered {shown}; "
                f"{'number' if len(missing) == 1 else 'numbers'} {gaps} "
                f"{'is' if len(missing) == 1 else 'are'} missing"
            )
    for meeting_id, number, other in elsewhere:
        problems.append(
            f"{_named(meetings, meeting_id)}: decision {number} is recorded at an agenda item of "
            f"{_named(meetings, other)}"
        )
    return _capped(problems)


@register_check("Attendance: arrivals and departures at real agenda items")
def attendance_times(db: Database) -> list[str]:
    """Someone who arrived late or left early was there, arrived before leaving, and did both
    at items on the meeting's agenda (the quorum at each decision is counted from these)."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_governance(conn):
            return []
        meetings = _meetings(conn)
        positions: dict[int, list[int]] = defaultdict(list)
        for meeting_id, position in conn.execute(select(_item.c.meeting_id, _item.c.position)):
            positions[meeting_id].append(position)
        lines = conn.execute(
            select(
                _attendance,
                _person.c.full_name,
                _school.c.name.label("school_name"),
            )
            .outerjoin(_person, _person.c.id == _attendance.c.person_id)
            .outerjoin(_member, _member.c.id == _attendance.c.member_id)
            .outerjoin(_school, _school.c.id == _member.c.school_id)
            .where(
                _attendance.c.arrived_at_item.is_not(None) | _attendance.c.left_at_item.is_not(None)
            )
            .order_by(_attendance.c.meeting_id, _attendance.c.id)
        ).all()
    for line in lines:
        presence = Presence(
            line.id,
            Attendance(line.status),
            votes=False,
            arrived_at=line.arrived_at_item,
            left_at=line.left_at_item,
        )
        why = presence_problems(presence, positions.get(line.meeting_id, []))
        if why is None:
            continue
        who = line.full_name or line.school_name or line.name or f"attendance line {line.id}"
        times = []
        if line.arrived_at_item is not None:
            times.append(f"arrived at item {line.arrived_at_item}")
        if line.left_at_item is not None:
            times.append(f"left at item {line.left_at_item}")
        status = Attendance(line.status).label.lower()
        problems.append(
            f"{_named(meetings, line.meeting_id)}: {who} ({status}) {' and '.join(times)}: "
            f"{why[0].lower()}{why[1:].rstrip('.')}"
        )
    return _capped(problems)


@register_check("Actions closed after they were raised")
def action_dates(db: Database) -> list[str]:
    """An action belongs to the body of the meeting that raised it (and to one of that
    meeting's items); a closed one is dated, no earlier than that meeting, and closed at a
    later meeting of the same body; an open one names no meeting it was closed at."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_governance(conn):
            return []
        meetings = _meetings(conn)
        bodies = dict(conn.execute(select(_body.c.id, _body.c.name)).all())
        item_meeting = dict(conn.execute(select(_item.c.id, _item.c.meeting_id)).all())
        actions = conn.execute(select(_action).order_by(_action.c.meeting_id, _action.c.id)).all()
    for action in actions:
        raised = meetings.get(action.meeting_id)
        if raised is None:
            continue  # the foreign key check says so
        name, meeting = raised
        what = f"{name}: the action “{_short(action.text)}”"
        if action.body_id != meeting.body_id:
            problems.append(
                f"{what} belongs to {bodies.get(action.body_id, 'another body')}, not to the "
                "body that met"
            )
        if action.agenda_item_id is not None:
            other = item_meeting.get(action.agenda_item_id)
            if other is not None and other != action.meeting_id:
                problems.append(f"{what} is at an agenda item of {_named(meetings, other)}")
        status = ActionStatus(action.status)
        if status.is_open and action.closed_at_meeting_id is not None:
            problems.append(
                f"{what} is {status.label.lower()} but names "
                f"{_named(meetings, action.closed_at_meeting_id)} as where it was closed"
            )
        if not status.is_open and action.closed_on is None:
            # A constraint refuses it; read again for a database that lost the constraint.
            problems.append(f"{what} is {status.label.lower()} but has no date it closed")
        if action.closed_on is not None and action.closed_on < meeting.meets_on:
            problems.append(
                f"{what} was closed on {format_date(action.closed_on)}, before the meeting that "
                "raised it"
            )
        closed_at = meetings.get(action.closed_at_meeting_id)
        if closed_at is not None:
            later = closed_at[1]
            if later.meets_on < meeting.meets_on:
                problems.append(f"{what} was closed at {closed_at[0]}, before it was raised")
            if later.body_id != meeting.body_id:
                problems.append(f"{what} was closed at {closed_at[0]}, a meeting of another body")
    return _capped(problems)


@register_check("Appointments to a body do not overlap")
def appointment_overlaps(db: Database) -> list[str]:
    """Nobody holds two appointments to the same body over the same dates (a director
    appointed twice over the same dates would count twice towards a quorum)."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_governance(conn):
            return []
        rows = conn.execute(
            select(
                _appointment,
                _person.c.full_name,
                _body.c.name.label("body_name"),
            )
            .join(_person, _person.c.id == _appointment.c.person_id)
            .join(_body, _body.c.id == _appointment.c.body_id)
            .order_by(_person.c.full_name, _body.c.name, _appointment.c.starts_on)
        ).all()
    seats: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        seats[(row.person_id, row.body_id)].append(row)
    for held in seats.values():
        for n, first in enumerate(held):
            for second in held[n + 1 :]:
                if periods_overlap(
                    (first.starts_on, first.ends_on), (second.starts_on, second.ends_on)
                ):
                    problems.append(
                        f"{first.full_name} holds two appointments to the {first.body_name} over "
                        f"the same dates: {_period(first.starts_on, first.ends_on)} and "
                        f"{_period(second.starts_on, second.ends_on)}"
                    )
    return _capped(problems)


def _period(starts_on: date, ends_on: date | None) -> str:
    if ends_on is None:
        return f"from {format_date(starts_on)} (still in office)"
    return f"from {format_date(starts_on)}, ceased {format_date(ends_on)}"


def _short(text: str, length: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= length else words[: length - 1].rstrip() + "…"
