"""The schools register: list, read, add, edit, close and (only without history) delete schools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date, parse_optional_date
from thep_desktop.domain.schools import SchoolRow, closes_later, effective_status
from thep_desktop.domain.validation import check_urn
from thep_desktop.models import Base, Contact, School, SchoolCensus, SchoolStatus, StaffMember
from thep_desktop.models.base import utcnow
from thep_desktop.services.schools.school_census import (
    FROM_FORM,
    CensusFigure,
    history_of,
    record_figure,
)
from thep_desktop.services.schools.school_checks import SCHOOL_LABELS, check_school
from thep_desktop.services.schools.school_contacts import apply_contacts
from thep_desktop.services.schools.school_data import (
    SCHOOL_FIELDS,
    ContactDetail,
    ContactInput,
    SchoolDetail,
    SchoolInput,
)
from thep_desktop.services.schools.school_register_rows import register_rows
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError, NotFoundError, ValidationError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

# The school's plain data and labels are used across the program; they stay importable here.
__all__ = [
    "SCHOOL_FIELDS",
    "SCHOOL_LABELS",
    "ContactInput",
    "SchoolDetail",
    "SchoolInput",
    "SchoolsService",
]

_IN_LIMIT = 900  # more schools than this are read whole and picked in Python (no huge IN list)


# -- the service ----------------------------------------------------------------------------
class SchoolsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # reading ---------------------------------------------------------------------------
    def list_schools(self, actor: Actor) -> list[SchoolRow]:
        """Every school in the register, in one query whatever the number of schools."""
        actor.require(VIEW)
        return register_rows(self.db)

    def school_row(self, actor: Actor, school_id: int) -> SchoolRow:
        """One school as a line of the register (to refresh the table after an edit)."""
        actor.require(VIEW)
        rows = register_rows(self.db, school_id)
        if not rows:
            raise NotFoundError("This school is no longer in the register (someone removed it).")
        return rows[0]

    def get_school(self, actor: Actor, school_id: int) -> SchoolDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _detail(self._load(session, school_id))

    def get_school_by_urn(self, actor: Actor, urn: int | str) -> SchoolDetail:
        actor.require(VIEW)
        try:
            number = check_urn(urn)
        except ValueError as exc:
            raise ValidationError({"urn": str(exc)}) from None
        with self.db.read_session() as session:
            school_id = session.scalar(select(School.id).where(School.urn == number))
            if school_id is None:
                raise NotFoundError(f"There is no school with URN {number} in the register.")
            return _detail(self._load(session, school_id))

    def list_school_details(
        self, actor: Actor, school_ids: Sequence[int] | None = None
    ) -> list[SchoolDetail]:
        """Schools with all their fields and contacts, in three queries (for exports).

        Every school in the register's order; or, given ``school_ids``, those schools in that
        order (the table's, as the user sorted it), leaving out any removed meanwhile.
        """
        actor.require(VIEW)
        stmt = select(School).options(
            selectinload(School.contacts), selectinload(School.link_officer)
        )
        if school_ids is not None and len(school_ids) <= _IN_LIMIT:
            stmt = stmt.where(School.id.in_(school_ids))
        with self.db.read_session() as session:
            details = [_detail(school) for school in session.scalars(stmt)]
        if school_ids is not None:
            by_id = {d.id: d for d in details}
            return [by_id[i] for i in school_ids if i in by_id]
        # The register's own order (see register_rows), whatever the database's collation.
        details.sort(key=lambda d: (d.name.casefold(), d.urn))
        return details

    def census_history(self, actor: Actor, school_id: int) -> list[CensusFigure]:
        """Every pupil figure kept for a school, one per census date, the newest first."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            if session.get(School, school_id) is None:
                raise NotFoundError(
                    "This school is no longer in the register (someone removed it)."
                )
            return history_of(session, school_id)

    def count(self, actor: Actor) -> int:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return session.scalar(select(func.count(School.id))) or 0

    # writing ---------------------------------------------------------------------------
    @save
    def create_school(self, actor: Actor, data: SchoolInput) -> SchoolDetail:
        actor.require(EDIT_SCHOOLS)
        values, contacts = check_school(data)
        try:
            with self.db.session() as session:
                self._check_urn_free(session, values["urn"], None)
                self._check_link_officer(session, values.get("link_officer_id"))
                school = School(**values, created_by=actor.name, updated_by=actor.name)
                school.contacts = [
                    Contact(**c, created_by=actor.name, updated_by=actor.name) for c, _ in contacts
                ]
                session.add(school)
                session.flush()
                school_id = school.id
                record_figure(
                    session,
                    school_id,
                    school.pupils_on_roll,
                    school.pupils_census_date,
                    FROM_FORM,
                    actor.name,
                )
        except IntegrityError as exc:
            raise self._integrity_message(exc, values) from None
        return self.get_school(actor, school_id)

    @save
    def update_school(
        self, actor: Actor, school_id: int, expected_version: int, data: SchoolInput
    ) -> SchoolDetail:
        """Save changes to a school loaded at ``expected_version``.

        If anyone saved it since, :class:`ConflictError` is raised and nothing is written.
        """
        actor.require(EDIT_SCHOOLS)
        values, contacts = check_school(data)
        try:
            with self.db.session() as session:
                school = self._load(session, school_id)
                self._check_version(school, expected_version)
                self._check_urn_free(session, values["urn"], school_id)
                self._check_link_officer(session, values.get("link_officer_id"))
                for name, value in values.items():
                    setattr(school, name, value)
                apply_contacts(school, contacts, actor)
                # Always bump the version, even for a change to contacts only, so that a
                # concurrent edit of the same school is always detected.
                school.updated_at = utcnow()
                school.updated_by = actor.name
                session.flush()
                record_figure(
                    session,
                    school_id,
                    school.pupils_on_roll,
                    school.pupils_census_date,
                    FROM_FORM,
                    actor.name,
                )
        except StaleDataError:
            raise self._conflict(school_id) from None
        except IntegrityError as exc:
            raise self._integrity_message(exc, values) from None
        return self.get_school(actor, school_id)

    @save
    def close_school(
        self, actor: Actor, school_id: int, expected_version: int, close_date: date | str
    ) -> SchoolDetail:
        """Record that a school closes (or closed) on ``close_date``; its history stays.

        A date still to come is a future closure: the school keeps its status (open or
        proposed) and counts as closed from that date on, everywhere.
        """
        actor.require(EDIT_SCHOOLS)
        if not str(close_date).strip():
            raise ValidationError({"close_date": "Give the date the school closes or closed"})
        detail = self.get_school(actor, school_id)
        status = SchoolStatus.CLOSED
        try:
            when = close_date if isinstance(close_date, date) else parse_optional_date(close_date)
        except ValueError:
            when = None  # the form check below says what is wrong with it
        if detail.status == SchoolStatus.PROPOSED and closes_later(when, date.today()):
            status = SchoolStatus.PROPOSED  # proposed until the closure, like an open school
        data = replace(detail.as_input(), status=status, close_date=close_date)
        return self.update_school(actor, school_id, expected_version, data)

    @save
    def delete_school(self, actor: Actor, school_id: int, expected_version: int) -> None:
        """Remove a school entered by mistake. A school with any history is closed instead."""
        actor.require(EDIT_SCHOOLS)
        with self.db.session() as session:
            school = self._load(session, school_id)
            self._check_version(school, expected_version)
            history = _history_count(session, school_id)
            if history:
                raise ValidationError(
                    {
                        "status": "This school has history in the records, so it cannot be "
                        "deleted. Close it instead (set its status to Closed)."
                    },
                )
            # Its census figures are part of the school itself (like its contacts): they go
            # with it, through the session so the audit trail records each one.
            session.execute(delete(SchoolCensus).where(SchoolCensus.school_id == school_id))
            session.delete(school)

    # helpers -----------------------------------------------------------------------------
    @staticmethod
    def _load(session: Session, school_id: int) -> School:
        school = session.scalar(
            select(School)
            .where(School.id == school_id)
            .options(selectinload(School.contacts), selectinload(School.link_officer))
        )
        if school is None:
            raise NotFoundError("This school is no longer in the register (someone removed it).")
        return school

    def _check_version(self, school: School, expected_version: int) -> None:
        if school.version != expected_version:
            raise self._conflict_from(school)

    def _conflict(self, school_id: int) -> ConflictError:
        with self.db.read_session() as session:
            school = session.get(School, school_id)
            if school is None:
                return ConflictError("Someone else removed this school while you were editing it.")
            return self._conflict_from(school)

    @staticmethod
    def _conflict_from(school: School) -> ConflictError:
        when = school.updated_at.astimezone()
        return ConflictError(
            f"{school.updated_by} changed this school at {when:%H:%M} on "
            f"{format_date(when.date())} since you opened it. Your changes have not been saved.",
            changed_by=school.updated_by,
            changed_at=school.updated_at,
        )

    @staticmethod
    def _check_urn_free(session: Session, urn: int, school_id: int | None) -> None:
        other = session.execute(select(School.id, School.name).where(School.urn == urn)).first()
        if other is not None and other[0] != school_id:
            raise ValidationError({"urn": f"URN {urn} is already used by {other[1]}"})

    @staticmethod
    def _check_link_officer(session: Session, staff_id: int | None) -> None:
        if staff_id is not None and session.get(StaffMember, staff_id) is None:
            raise ValidationError(
                {"link_officer_id": "That link officer is no longer on the staff list"}
            )

    @staticmethod
    def _integrity_message(exc: IntegrityError, values: dict[str, Any]) -> ValidationError:
        text = str(exc.orig).lower()
        # Only a broken uniqueness rule means another school has the URN (a check that the
        # URN is six digits breaking would be a different fault, not a duplicate).
        if "urn" in text and ("unique" in text or "duplicate" in text):
            return ValidationError(
                {"urn": f"URN {values.get('urn')} is already used by another school"}
            )
        return ValidationError({"name": f"The database refused this school: {exc.orig}"})


def _history_count(session: Session, school_id: int) -> int:
    """Rows in other tables that refer to this school (contacts and census figures are part of
    the school itself).

    Found from the schema, so every later area (memberships, invoices, reviews,
    correspondence) counts as history as soon as its table refers to a school.
    """
    total = 0
    school_table = School.__table__
    for table in Base.metadata.sorted_tables:
        if table.name in ("school", "contact", "school_census"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table is school_table:
                total += (
                    session.scalar(
                        select(func.count()).select_from(table).where(fk.parent == school_id)
                    )
                    or 0
                )
    return total


def _detail(school: School) -> SchoolDetail:
    contacts = tuple(
        ContactDetail(c.id, c.uuid, c.full_name, c.role, c.email, c.phone) for c in school.contacts
    )
    values = {name: getattr(school, name) for name in SCHOOL_FIELDS}
    # The status the school counts as today; saving it back records the same thing.
    values["status"] = effective_status(school.status, school.close_date, date.today())
    return SchoolDetail(
        id=school.id,
        uuid=school.uuid,
        version=school.version,
        link_officer_name=school.link_officer.full_name if school.link_officer else "",
        contacts=contacts,
        created_at=school.created_at,
        created_by=school.created_by,
        updated_at=school.updated_at,
        updated_by=school.updated_by,
        **values,
    )
