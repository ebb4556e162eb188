"""The people who sit on the bodies, their appointments, and the register of directors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    BodyKind,
    Capacity,
    HowAppointed,
    SchoolRole,
    WhyEnded,
    periods_overlap,
)
from thep_desktop.domain.validation import check_email, check_phone
from thep_desktop.models import (
    Appointment,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    Meeting,
    MeetingAttendance,
    School,
    SchoolStatus,
)
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    AppointmentInput,
    DirectorEntry,
    DirectorsRegister,
    PersonDetail,
    PersonInput,
    born_label,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governance_records import (
    appointment_details,
    members_on,
    people_detail,
    person_name,
    write_row,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

PERSON_LABELS = {
    "title": "Title",
    "full_name": "Full name",
    "email": "Email",
    "phone": "Telephone",
    "service_address": "Service address",
    "school_id": "School",
    "school_role": "Role at the school",
    "former_names": "Former names",
    "occupation": "Occupation",
    "nationality": "Nationality",
    "country_of_residence": "Country of residence",
    "birth_month": "Month of birth",
    "birth_year": "Year of birth",
    "notes": "Notes",
}
APPOINTMENT_LABELS = {
    "person_id": "Person",
    "body_id": "Body",
    "capacity": "Capacity",
    "how_appointed": "How appointed",
    "starts_on": "Appointed on",
    "term_ends_on": "Term ends",
    "ends_on": "Date ceased",
    "why_ended": "Why it ended",
    "notes": "Notes",
}
_PERSON_GONE = "This person is no longer there: someone else may have deleted them."
_APPOINTMENT_GONE = "This appointment is no longer there: someone else may have deleted it."
# Who sits on the Board as a director (observers, staff and the clerk do not).
DIRECTORS = (Capacity.CHAIR, Capacity.VICE_CHAIR, Capacity.DIRECTOR, Capacity.MEMBER)


class GovernancePeopleService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # -- people ---------------------------------------------------------------------------

    def list_people(
        self,
        actor: Actor,
        search: str = "",
        body_id: int | None = None,
        on: date | None = None,
    ) -> list[PersonDetail]:
        """People by name with their appointments; with ``body_id``, those on that body on
        ``on`` (today when not given)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = select(GovernancePerson).order_by(
                func.lower(GovernancePerson.full_name), GovernancePerson.id
            )
            words = " ".join((search or "").split())
            if words:
                like = f"%{words.casefold()}%"
                query = query.outerjoin(School, School.id == GovernancePerson.school_id).where(
                    or_(
                        func.lower(GovernancePerson.full_name).like(like),
                        func.lower(GovernancePerson.email).like(like),
                        func.lower(func.coalesce(School.name, "")).like(like),
                    )
                )
            people = people_detail(session, list(session.scalars(query)))
        if body_id is not None:
            day = on or date.today()
            people = [
                p
                for p in people
                if any(a.body_id == body_id and a.in_office(day) for a in p.appointments)
            ]
        return people

    def get_person(self, actor: Actor, person_id: int) -> PersonDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(GovernancePerson, person_id)
            if row is None:
                raise NotFoundError(_PERSON_GONE)
            return people_detail(session, [row])[0]

    def school_choices(self, actor: Actor) -> list[tuple[int, str, str]]:
        """The open schools by name (id, name, phase), for a person's school."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return [
                (school_id, name, phase or "")
                for school_id, name, phase in session.execute(
                    select(School.id, School.name, School.phase)
                    .where(School.status != SchoolStatus.CLOSED)
                    .order_by(School.name, School.urn)
                )
            ]

    @save
    def save_person(
        self,
        actor: Actor,
        data: PersonInput,
        person_id: int | None = None,
        expected_version: int | None = None,
    ) -> PersonDetail:
        actor.require(MANAGE_GOVERNANCE)
        values = _person_values(data)
        try:
            with self.db.session() as session:
                if data.school_id is not None and session.get(School, data.school_id) is None:
                    raise ValidationError(
                        {"school_id": "This school is no longer in the register."}
                    )
                new_id = write_row(
                    session,
                    GovernancePerson,
                    person_id,
                    expected_version,
                    values,
                    actor.name,
                    "person",
                    _PERSON_GONE,
                )
        except StaleDataError:
            raise changed_meanwhile("person") from None
        return self.get_person(actor, new_id)

    @save
    def delete_person(self, actor: Actor, person_id: int, expected_version: int) -> None:
        """Remove someone entered in error; anyone with a record of service stays."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = session.get(GovernancePerson, person_id)
            if row is None:
                raise NotFoundError(_PERSON_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("person")
            uses = {
                "appointment": session.scalar(
                    select(func.count(Appointment.id)).where(Appointment.person_id == person_id)
                ),
                "meeting attended": session.scalar(
                    select(func.count(MeetingAttendance.id)).where(
                        MeetingAttendance.person_id == person_id
                    )
                ),
                "action": session.scalar(
                    select(func.count(GovernanceAction.id)).where(
                        GovernanceAction.owner_person_id == person_id
                    )
                ),
                "meeting chaired": session.scalar(
                    select(func.count(Meeting.id)).where(Meeting.chair_person_id == person_id)
                ),
            }
            held = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in uses.items() if n]
            if held:
                raise ServiceError(
                    f"{person_name(row)} has {', '.join(held)} on record, so they stay in the "
                    "records. End their appointments instead."
                )
            session.delete(row)

    # -- appointments ---------------------------------------------------------------------

    def members_of(self, actor: Actor, body_id: int, on: date) -> list[AppointmentDetail]:
        """Who sits on the body on ``on``: the chair first, then by capacity and name."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return members_on(session, body_id, on)

    def appointments(self, actor: Actor, body_id: int) -> list[AppointmentDetail]:
        """Every appointment to the body, current and past, newest first."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(Appointment.body_id == body_id)
                    .order_by(Appointment.starts_on.desc(), Appointment.id.desc())
                )
            )
            return appointment_details(session, rows)

    def get_appointment(self, actor: Actor, appointment_id: int) -> AppointmentDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(Appointment, appointment_id)
            if row is None:
                raise NotFoundError(_APPOINTMENT_GONE)
            return appointment_details(session, [row])[0]

    @save
    def save_appointment(
        self,
        actor: Actor,
        data: AppointmentInput,
        appointment_id: int | None = None,
        expected_version: int | None = None,
    ) -> AppointmentDetail:
        """Appoint someone to a body, or change an appointment loaded at ``expected_version``.

        A person holds one seat on a body at a time: an appointment overlapping another of
        theirs on the same body is refused, naming its dates.
        """
        actor.require(MANAGE_GOVERNANCE)
        values = _appointment_values(data)
        try:
            with self.db.session() as session:
                person = session.get(GovernancePerson, data.person_id)
                if person is None:
                    raise ValidationError({"person_id": _PERSON_GONE})
                body = session.get(GoverningBody, data.body_id)
                if body is None:
                    raise ValidationError({"body_id": "This body is no longer there."})
                _refuse_overlap(session, data, appointment_id, person, body)
                new_id = write_row(
                    session,
                    Appointment,
                    appointment_id,
                    expected_version,
                    values,
                    actor.name,
                    "appointment",
                    _APPOINTMENT_GONE,
                )
        except StaleDataError:
            raise changed_meanwhile("appointment") from None
        except IntegrityError:
            raise ValidationError({"ends_on": "These dates cannot be kept."}) from None
        return self.get_appointment(actor, new_id)

    @save
    def end_appointment(
        self,
        actor: Actor,
        appointment_id: int,
        ends_on: date,
        why_ended: WhyEnded,
        expected_version: int,
    ) -> AppointmentDetail:
        """End an appointment from ``ends_on`` (the date ceased): a resignation, a term ended."""
        current = self.get_appointment(actor, appointment_id)
        if current.version != expected_version:
            raise changed_meanwhile("appointment")
        data = AppointmentInput(
            current.person_id,
            current.body_id,
            current.capacity,
            current.how_appointed,
            current.starts_on,
            current.term_ends_on,
            ends_on,
            why_ended,
            current.notes,
        )
        if ends_on is None:
            raise ValidationError({"ends_on": "Give the date the appointment ended."})
        return self.save_appointment(actor, data, appointment_id, expected_version)

    @save
    def delete_appointment(self, actor: Actor, appointment_id: int, expected_version: int) -> None:
        """Remove an appointment entered in error (an appointment that ended is ended, not
        deleted: the register of directors keeps it)."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = session.get(Appointment, appointment_id)
            if row is None:
                raise NotFoundError(_APPOINTMENT_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("appointment")
            session.delete(row)

    # -- the register of directors ----------------------------------------------------------

    def register_of_directors(self, actor: Actor, as_at: date) -> DirectorsRegister:
        """The register of directors as it stood on ``as_at``.

        Everyone appointed to the Board by that day; a re-appointment that follows on (at
        the AGM) continues the same directorship, so each period of office is one line with
        the first appointment's date and the last one's date ceased (shown only when it had
        ceased by ``as_at``).
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            board = session.scalar(
                select(GoverningBody)
                .where(GoverningBody.kind == BodyKind.BOARD)
                .order_by(GoverningBody.active.desc(), GoverningBody.id)
            )
            if board is None:
                return DirectorsRegister(as_at, "Board of Directors", ())
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.body_id == board.id,
                        Appointment.capacity.in_(DIRECTORS),
                        Appointment.starts_on <= as_at,
                    )
                    .order_by(Appointment.person_id, Appointment.starts_on)
                )
            )
            people = {
                p.id: p
                for p in session.scalars(
                    select(GovernancePerson).where(
                        GovernancePerson.id.in_({r.person_id for r in rows} or {0})
                    )
                )
            }
            board_name = board.name
            entries = []
            for chain in _directorships(rows):
                first, last = chain[0], chain[-1]
                person = people[first.person_id]
                ceased = (
                    last.ends_on if last.ends_on is not None and last.ends_on <= as_at else None
                )
                entries.append(
                    DirectorEntry(
                        appointment_id=last.id,
                        person_id=person.id,
                        name=person_name(person),
                        former_names=person.former_names,
                        service_address=person.service_address,
                        country_of_residence=person.country_of_residence,
                        nationality=person.nationality,
                        occupation=person.occupation,
                        born=born_label(person.birth_month, person.birth_year),
                        capacity=last.capacity,
                        how_appointed=first.how_appointed,
                        appointed_on=first.starts_on,
                        ceased_on=ceased,
                        why_ended=last.why_ended if ceased else None,
                    )
                )
        entries.sort(key=lambda e: (e.ceased_on is not None, e.appointed_on, e.name.casefold()))
        return DirectorsRegister(as_at, board_name, tuple(entries))


def _directorships(rows: list[Appointment]) -> list[list[Appointment]]:
    """Each person's appointments joined where one follows on from the other."""
    chains: list[list[Appointment]] = []
    for row in rows:  # ordered by person, then start
        previous = chains[-1][-1] if chains else None
        if (
            previous is not None
            and previous.person_id == row.person_id
            and previous.ends_on is not None
            and previous.ends_on >= row.starts_on
        ):
            chains[-1].append(row)
        else:
            chains.append([row])
    return chains


def _person_values(data: PersonInput) -> dict[str, object]:
    checker = FieldChecker(GovernancePerson.__table__, PERSON_LABELS)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "title": checker.text("title", data.title),
        "full_name": " ".join(checker.text("full_name", data.full_name, required=True).split()),
        "email": checker.text("email", data.email, check=check_email),
        "phone": checker.text("phone", data.phone, check=check_phone),
        "service_address": checker.text("service_address", data.service_address),
        "school_id": data.school_id,
        "former_names": checker.text("former_names", data.former_names),
        "occupation": checker.text("occupation", data.occupation),
        "nationality": checker.text("nationality", data.nationality),
        "country_of_residence": checker.text("country_of_residence", data.country_of_residence),
        "notes": checker.text("notes", data.notes),
    }
    try:
        values["school_role"] = (
            data.school_role
            if isinstance(data.school_role, SchoolRole)
            else SchoolRole.parse(data.school_role)
        )
    except ValueError as exc:
        checker.fail("school_role", str(exc))
    if values.get("school_role") not in (None, SchoolRole.NONE) and data.school_id is None:
        checker.fail("school_id", "Choose the school where they are a head teacher or governor.")
    this_year = date.today().year
    if data.birth_year is not None and not 1900 <= data.birth_year <= this_year - 16:
        checker.fail("birth_year", f"Give a year of birth from 1900 to {this_year - 16}.")
    if data.birth_month is not None:
        if not 1 <= data.birth_month <= 12:
            checker.fail("birth_month", "Give the month of birth as 1 to 12.")
        elif data.birth_year is None:
            checker.fail("birth_year", "Give the year of birth with the month.")
    values["birth_month"] = data.birth_month
    values["birth_year"] = data.birth_year
    if checker.errors:
        raise ValidationError(checker.errors)
    return values


def _appointment_values(data: AppointmentInput) -> dict[str, object]:
    checker = FieldChecker(Appointment.__table__, APPOINTMENT_LABELS)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "person_id": data.person_id,
        "body_id": data.body_id,
        "notes": checker.text("notes", data.notes),
        "starts_on": data.starts_on,
        "term_ends_on": data.term_ends_on,
        "ends_on": data.ends_on,
        "why_ended": data.why_ended,
    }
    if data.person_id is None:
        checker.fail("person_id", "Choose who is appointed.")
    if data.body_id is None:
        checker.fail("body_id", "Choose the body they are appointed to.")
    for field, kind in (("capacity", Capacity), ("how_appointed", HowAppointed)):
        value = getattr(data, field)
        try:
            values[field] = value if isinstance(value, kind) else kind.parse(value)
        except ValueError as exc:
            checker.fail(field, str(exc))
    if data.starts_on is None:
        checker.fail("starts_on", "Give the date of appointment.")
    else:
        if data.term_ends_on is not None and data.term_ends_on <= data.starts_on:
            checker.fail("term_ends_on", "The term ends after the date of appointment.")
        if data.ends_on is not None and data.ends_on <= data.starts_on:
            checker.fail(
                "ends_on",
                f"The date ceased must be after the date of appointment "
                f"({format_date(data.starts_on)}).",
            )
    if data.ends_on is not None and data.why_ended is None:
        checker.fail("why_ended", "Say why the appointment ended (resigned, term ended…).")
    if data.ends_on is None and data.why_ended is not None:
        values["why_ended"] = None
    if checker.errors:
        raise ValidationError(checker.errors)
    return values


def _refuse_overlap(
    session: Session,
    data: AppointmentInput,
    appointment_id: int | None,
    person: GovernancePerson,
    body: GoverningBody,
) -> None:
    for other in session.scalars(
        select(Appointment).where(
            Appointment.person_id == data.person_id, Appointment.body_id == data.body_id
        )
    ):
        if other.id == appointment_id:
            continue
        if periods_overlap((data.starts_on, data.ends_on), (other.starts_on, other.ends_on)):
            until = f"until {format_date(other.ends_on)}" if other.ends_on else "with no end date"
            raise ValidationError(
                {
                    "starts_on": f"{person_name(person)} is already appointed to {body.name} "
                    f"from {format_date(other.starts_on)} {until}; one person holds one seat "
                    "on a body at a time. End or change that appointment first."
                }
            )
