"""Rows of the governance tables turned into plain data, and the lookups services share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from thep_desktop.domain.governance import (
    Capacity,
    QuorumRule,
    Voters,
    in_office,
)
from thep_desktop.models import (
    AgendaItem,
    Appointment,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    Meeting,
    Member,
    School,
)
from thep_desktop.models.base import utcnow
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    AppointmentDetail,
    BodyDetail,
    PersonDetail,
    meeting_label,
)
from thep_desktop.services.shared.errors import NotFoundError, changed_meanwhile


def quorum_of(row: GoverningBody) -> QuorumRule:
    return QuorumRule(
        number=row.quorum_number,
        numerator=row.quorum_numerator,
        denominator=row.quorum_denominator,
        minimum=row.quorum_minimum or 0,
        observers_count=bool(row.observers_count),
    )


def body_detail(row: GoverningBody, voting_members: int, meetings: int) -> BodyDetail:
    return BodyDetail(
        id=row.id,
        version=row.version,
        name=row.name,
        code=row.code,
        kind=row.kind,
        voters=row.voters,
        quorum=quorum_of(row),
        notice_clear_days=row.notice_clear_days,
        frequency=row.frequency,
        min_meetings=row.min_meetings,
        active=row.active,
        notes=row.notes,
        voting_members=voting_members,
        meetings=meetings,
        uuid=row.uuid,
    )


def appointed_voters(session: Session, body_ids: Iterable[int], day: date) -> dict[int, int]:
    """How many voting members each body has in office on ``day``."""
    ids = list(body_ids)
    counts: dict[int, int] = defaultdict(int)
    if not ids:
        return counts
    rows = session.execute(
        select(
            Appointment.body_id,
            Appointment.person_id,
            Appointment.capacity,
            Appointment.starts_on,
            Appointment.ends_on,
        ).where(Appointment.body_id.in_(ids))
    )
    seen: set[tuple[int, int]] = set()
    for body_id, person_id, capacity, starts_on, ends_on in rows:
        if capacity.votes and in_office(starts_on, ends_on, day):
            if (body_id, person_id) not in seen:
                seen.add((body_id, person_id))
                counts[body_id] += 1
    return counts


def meeting_counts(session: Session, body_ids: Iterable[int]) -> dict[int, int]:
    ids = list(body_ids)
    if not ids:
        return {}
    return dict(
        session.execute(  # type: ignore[arg-type]
            select(Meeting.body_id, func.count(Meeting.id))
            .where(Meeting.body_id.in_(ids))
            .group_by(Meeting.body_id)
        ).all()
    )


def bodies_detail(
    session: Session, rows: list[GoverningBody], day: date, entitled_schools: int
) -> list[BodyDetail]:
    """Bodies with their voting members on ``day`` (a general meeting: entitled schools)."""
    voters = appointed_voters(session, [r.id for r in rows], day)
    meetings = meeting_counts(session, [r.id for r in rows])
    return [
        body_detail(
            row,
            entitled_schools if row.voters == Voters.MEMBER_SCHOOLS else voters.get(row.id, 0),
            meetings.get(row.id, 0),
        )
        for row in rows
    ]


def school_names(session: Session, ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        school_id: (name, phase or "")
        for school_id, name, phase in session.execute(
            select(School.id, School.name, School.phase).where(School.id.in_(wanted))
        )
    }


def person_name(row: GovernancePerson) -> str:
    return f"{row.title} {row.full_name}".strip()


def appointment_details(session: Session, rows: list[Appointment]) -> list[AppointmentDetail]:
    """Appointments with their person's and body's names: three statements in all."""
    people = {
        p.id: p
        for p in session.scalars(
            select(GovernancePerson).where(
                GovernancePerson.id.in_({r.person_id for r in rows} or {0})
            )
        )
    }
    bodies = dict(
        session.execute(  # type: ignore[arg-type]
            select(GoverningBody.id, GoverningBody.name).where(
                GoverningBody.id.in_({r.body_id for r in rows} or {0})
            )
        ).all()
    )
    schools = school_names(session, (p.school_id for p in people.values()))
    out = []
    for row in rows:
        person = people[row.person_id]
        school, phase = schools.get(person.school_id or 0, ("", ""))
        out.append(
            AppointmentDetail(
                id=row.id,
                version=row.version,
                person_id=row.person_id,
                person_name=person_name(person),
                body_id=row.body_id,
                body_name=bodies[row.body_id],
                capacity=row.capacity,
                how_appointed=row.how_appointed,
                starts_on=row.starts_on,
                term_ends_on=row.term_ends_on,
                ends_on=row.ends_on,
                why_ended=row.why_ended,
                notes=row.notes,
                school_name=school,
                school_phase=phase,
                school_role=person.school_role,
                uuid=row.uuid,
            )
        )
    return out


def members_on(session: Session, body_id: int, day: date) -> list[AppointmentDetail]:
    """Who sits on the body on ``day``: the chair first, then by capacity and name."""
    rows = list(
        session.scalars(
            select(Appointment).where(
                Appointment.body_id == body_id,
                Appointment.starts_on <= day,
                or_(Appointment.ends_on.is_(None), Appointment.ends_on > day),
            )
        )
    )
    order = list(Capacity)
    return sorted(
        appointment_details(session, rows),
        key=lambda a: (order.index(a.capacity), a.person_name.casefold()),
    )


def people_detail(session: Session, rows: list[GovernancePerson]) -> list[PersonDetail]:
    ids = [r.id for r in rows]
    appointments = list(
        session.scalars(
            select(Appointment)
            .where(Appointment.person_id.in_(ids or [0]))
            .order_by(Appointment.starts_on, Appointment.id)
        )
    )
    by_person: dict[int, list[AppointmentDetail]] = defaultdict(list)
    for detail in appointment_details(session, appointments):
        by_person[detail.person_id].append(detail)
    schools = school_names(session, (r.school_id for r in rows))
    out = []
    for row in rows:
        school, phase = schools.get(row.school_id or 0, ("", ""))
        out.append(
            PersonDetail(
                id=row.id,
                version=row.version,
                title=row.title,
                full_name=row.full_name,
                email=row.email,
                phone=row.phone,
                service_address=row.service_address,
                school_id=row.school_id,
                school_name=school,
                school_phase=phase,
                school_role=row.school_role,
                former_names=row.former_names,
                occupation=row.occupation,
                nationality=row.nationality,
                country_of_residence=row.country_of_residence,
                birth_month=row.birth_month,
                birth_year=row.birth_year,
                notes=row.notes,
                appointments=tuple(by_person.get(row.id, ())),
                uuid=row.uuid,
            )
        )
    return out


def action_details(session: Session, rows: list[GovernanceAction]) -> list[ActionDetail]:
    """Actions with their body, meeting and owner named: four statements in all."""
    bodies = dict(
        session.execute(  # type: ignore[arg-type]
            select(GoverningBody.id, GoverningBody.name).where(
                GoverningBody.id.in_({r.body_id for r in rows} or {0})
            )
        ).all()
    )
    meetings = {
        meeting_id: (title, meets_on)
        for meeting_id, title, meets_on in session.execute(
            select(Meeting.id, Meeting.title, Meeting.meets_on).where(
                Meeting.id.in_({r.meeting_id for r in rows} or {0})
            )
        )
    }
    owners = {
        p.id: person_name(p)
        for p in session.scalars(
            select(GovernancePerson).where(
                GovernancePerson.id.in_(
                    {r.owner_person_id for r in rows if r.owner_person_id} or {0}
                )
            )
        )
    }
    positions = dict(
        session.execute(  # type: ignore[arg-type]
            select(AgendaItem.id, AgendaItem.position).where(
                AgendaItem.id.in_({r.agenda_item_id for r in rows if r.agenda_item_id} or {0})
            )
        ).all()
    )
    out = []
    for row in rows:
        title, meets_on = meetings[row.meeting_id]
        owner = owners.get(row.owner_person_id or 0, "")
        if row.owner_name:
            owner = f"{owner} ({row.owner_name})" if owner else row.owner_name
        out.append(
            ActionDetail(
                id=row.id,
                version=row.version,
                body_id=row.body_id,
                body_name=bodies[row.body_id],
                meeting_id=row.meeting_id,
                meeting_label=meeting_label(title, meets_on),
                raised_on=meets_on,
                agenda_item_id=row.agenda_item_id,
                item_position=positions.get(row.agenda_item_id or 0),
                text=row.text,
                owner_person_id=row.owner_person_id,
                owner_name=row.owner_name,
                owner_label=owner or "No owner",
                due_on=row.due_on,
                status=row.status,
                progress=row.progress,
                closed_on=row.closed_on,
                closed_at_meeting_id=row.closed_at_meeting_id,
                uuid=row.uuid,
            )
        )
    return out


def member_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Members' names: a school member is named as the register names its school."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        member_id: school_name or name
        for member_id, name, school_name in session.execute(
            select(Member.id, Member.name, School.name)
            .outerjoin(School, School.id == Member.school_id)
            .where(Member.id.in_(wanted))
        )
    }


def arising_actions(session: Session, meeting: Meeting) -> list[GovernanceAction]:
    """The matters arising at ``meeting``: the body's actions from earlier meetings still
    open on its day (those closed at or after it included, so the minutes show them)."""
    earlier = (
        select(Meeting.id)
        .where(
            Meeting.body_id == meeting.body_id,
            or_(
                Meeting.meets_on < meeting.meets_on,
                and_(Meeting.meets_on == meeting.meets_on, Meeting.id < meeting.id),
            ),
        )
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(GovernanceAction)
            .where(
                GovernanceAction.body_id == meeting.body_id,
                GovernanceAction.meeting_id.in_(earlier),
                or_(
                    GovernanceAction.closed_on.is_(None),
                    GovernanceAction.closed_on >= meeting.meets_on,
                    GovernanceAction.closed_at_meeting_id == meeting.id,
                ),
            )
            .order_by(
                GovernanceAction.due_on.is_(None), GovernanceAction.due_on, GovernanceAction.id
            )
        )
    )


def write_row(
    session: Session,
    model: type[Any],
    row_id: int | None,
    expected_version: int | None,
    values: dict[str, object],
    actor_name: str,
    what: str,
    gone: str,
) -> int:
    """Add a row of ``model`` with ``values`` (``row_id`` None), or change the one loaded at
    ``expected_version``: NotFoundError with ``gone`` when it has been deleted, the
    changed-meanwhile conflict naming ``what`` when someone saved it since. Its id."""
    if row_id is None:
        row = model(**values, created_by=actor_name, updated_by=actor_name)
        session.add(row)
    else:
        row = session.get(model, row_id)
        if row is None:
            raise NotFoundError(gone)
        if expected_version is not None and row.version != expected_version:
            raise changed_meanwhile(what)
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_at = utcnow()
        row.updated_by = actor_name
    session.flush()
    return int(row.id)
