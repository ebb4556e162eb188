"""The schools register: list, read, add, edit, close and (only without history) delete schools."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date, parse_optional_date
from thep_desktop.domain.schools import SchoolRow, closes_later, effective_status
from thep_desktop.domain.validation import (
    OLDEST_STATUTORY_AGE,
    check_digits,
    check_email,
    check_phone,
    check_urn,
    check_website,
    normalise_postcode,
)
from thep_desktop.models import Base, Contact, School, SchoolStatus, StaffMember
from thep_desktop.models.base import utcnow
from thep_desktop.services.shared.actor import Actor, Permission
from thep_desktop.services.shared.errors import ConflictError, NotFoundError, ValidationError
from thep_desktop.services.shared.forms import FieldChecker

# Suggestions offered in the forms and the quick filters; other values are allowed because
# GIAS adds types from time to time.
PHASES = (
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "All-through",
    "16 plus",
    "Not applicable",
)
ESTABLISHMENT_TYPES = (
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "Local authority nursery school",
    "Community special school",
    "Foundation special school",
    "Pupil referral unit",
    "Academy converter",
    "Academy sponsor led",
    "Free schools",
    "Academy special converter",
    "Academy special sponsor led",
    "Free schools special",
    "Academy alternative provision converter",
    "Academy alternative provision sponsor led",
    "Free schools alternative provision",
    "Free schools 16 to 19",
    "Academy 16-19 converter",
    "Further education",
    "Other independent school",
)
OFSTED_GRADES = (
    "Outstanding",
    "Good",
    "Requires improvement",
    "Inadequate",
    "Serious weaknesses",
    "Special measures",
    "Not yet inspected",
)
CONTACT_ROLES = (
    "Head teacher",
    "School business manager",
    "Chair of governors",
    "Deputy head teacher",
    "Office manager",
    "SENCO",
    "Clerk to governors",
)

SCHOOL_LABELS = {
    "urn": "URN",
    "la_code": "LA code",
    "establishment_number": "Establishment number",
    "name": "School name",
    "establishment_type": "Type",
    "phase": "Phase",
    "status": "Status",
    "open_date": "Opening date",
    "close_date": "Closing date",
    "statutory_low_age": "Lowest age",
    "statutory_high_age": "Highest age",
    "pupils_on_roll": "Pupils on roll",
    "pupils_census_date": "Census date",
    "trust": "Trust / MAT",
    "diocese": "Diocese",
    "religious_character": "Religious character",
    "street": "Street",
    "locality": "Locality",
    "address3": "Address line 3",
    "town": "Town",
    "county": "County",
    "postcode": "Postcode",
    "phone": "Phone",
    "website": "Website",
    "email": "Email",
    "head_title": "Head teacher's title",
    "head_first_name": "Head teacher's first name",
    "head_last_name": "Head teacher's last name",
    "head_job_title": "Head teacher's job title",
    "chair_of_governors": "Chair of governors",
    "ofsted_grade": "Ofsted grade",
    "ofsted_date": "Ofsted inspection date",
    "causing_concern": "School causing concern",
    "link_officer_id": "Link officer",
    "notes": "Notes",
}
_IN_LIMIT = 900  # more schools than this are read whole and picked in Python (no huge IN list)
CONTACT_LABELS = {"full_name": "Contact name", "role": "Role", "email": "Email", "phone": "Phone"}


# -- plain data going in and out ------------------------------------------------------------
@dataclass
class ContactInput:
    full_name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    id: int | None = None  # None for a new contact


@dataclass
class SchoolInput:
    """What a person (or an import) gives for a school. Values may be text as typed."""

    urn: Any = ""
    name: str = ""
    la_code: str = ""
    establishment_number: str = ""
    establishment_type: str = ""
    phase: str = ""
    status: SchoolStatus | str = SchoolStatus.OPEN
    open_date: Any = None
    close_date: Any = None
    statutory_low_age: Any = None
    statutory_high_age: Any = None
    pupils_on_roll: Any = None
    pupils_census_date: Any = None
    trust: str = ""
    diocese: str = ""
    religious_character: str = ""
    street: str = ""
    locality: str = ""
    address3: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""
    phone: str = ""
    website: str = ""
    email: str = ""
    head_title: str = ""
    head_first_name: str = ""
    head_last_name: str = ""
    head_job_title: str = ""
    chair_of_governors: str = ""
    ofsted_grade: str = ""
    ofsted_date: Any = None
    causing_concern: bool = False
    link_officer_id: int | None = None
    notes: str = ""
    contacts: list[ContactInput] = field(default_factory=list)


SCHOOL_FIELDS = tuple(f.name for f in fields(SchoolInput) if f.name != "contacts")
# Fields whose only rule is the length of their column.
_PLAIN_TEXT_FIELDS = (
    "establishment_type",
    "phase",
    "trust",
    "diocese",
    "religious_character",
    "street",
    "locality",
    "address3",
    "town",
    "county",
    "head_title",
    "head_first_name",
    "head_last_name",
    "head_job_title",
    "chair_of_governors",
    "ofsted_grade",
    "notes",
)


@dataclass(frozen=True)
class ContactDetail:
    id: int
    uuid: uuid.UUID
    full_name: str
    role: str
    email: str
    phone: str

    def as_input(self) -> ContactInput:
        return ContactInput(self.full_name, self.role, self.email, self.phone, self.id)


@dataclass(frozen=True)
class SchoolDetail:
    id: int
    uuid: uuid.UUID
    version: int
    urn: int
    name: str
    la_code: str
    establishment_number: str
    establishment_type: str
    phase: str
    status: SchoolStatus
    open_date: date | None
    close_date: date | None
    statutory_low_age: int | None
    statutory_high_age: int | None
    pupils_on_roll: int | None
    pupils_census_date: date | None
    trust: str
    diocese: str
    religious_character: str
    street: str
    locality: str
    address3: str
    town: str
    county: str
    postcode: str
    phone: str
    website: str
    email: str
    head_title: str
    head_first_name: str
    head_last_name: str
    head_job_title: str
    chair_of_governors: str
    ofsted_grade: str
    ofsted_date: date | None
    causing_concern: bool
    link_officer_id: int | None
    link_officer_name: str
    notes: str
    contacts: tuple[ContactDetail, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def laestab(self) -> str:
        return laestab(self.la_code, self.establishment_number)

    @property
    def closes_later(self) -> bool:
        """True when a closure is recorded for a date still to come."""
        return closes_later(self.close_date, date.today())

    @property
    def head_teacher(self) -> str:
        return head_name(self.head_title, self.head_first_name, self.head_last_name)

    @property
    def address_lines(self) -> list[str]:
        parts = [self.street, self.locality, self.address3, self.town, self.county, self.postcode]
        return [p for p in parts if p]

    @property
    def age_range(self) -> str:
        if self.statutory_low_age is None and self.statutory_high_age is None:
            return ""
        low = "" if self.statutory_low_age is None else str(self.statutory_low_age)
        high = "" if self.statutory_high_age is None else str(self.statutory_high_age)
        return f"{low} to {high}"

    def as_input(self) -> SchoolInput:
        values = {name: getattr(self, name) for name in SCHOOL_FIELDS}
        return SchoolInput(**values, contacts=[c.as_input() for c in self.contacts])


def closed_on(today: date) -> ColumnElement[bool]:
    """SQL: the school counts as closed on ``today`` (see :func:`effective_status`).

    Other services select "open schools" with ``not_(closed_on(date.today()))``, so a school
    with a closing date still to come stays in mailings until that date.
    """
    return or_(
        and_(School.close_date.is_not(None), School.close_date <= today),
        and_(School.close_date.is_(None), School.status == SchoolStatus.CLOSED),
    )


def not_closed_on(today: date) -> ColumnElement[bool]:
    """SQL: the school is open or proposed on ``today`` (the opposite of :func:`closed_on`)."""
    return not_(closed_on(today))


def laestab(la_code: str, establishment_number: str) -> str:
    """The DfE number, written ``211/2345``."""
    if la_code and establishment_number:
        return f"{la_code}/{establishment_number}"
    return la_code or establishment_number


def _register_order(row: SchoolRow) -> tuple[str, int]:
    """The register's order: by name, ignoring case, then URN."""
    return (row.name.casefold(), row.urn)


def _as_date(value: date | str) -> date:
    # The register's rows come from the driver's cursor: SQLite gives dates as ISO text.
    return value if isinstance(value, date) else date.fromisoformat(value)


def head_name(title: str, first: str, last: str) -> str:
    return " ".join(p for p in (title, first, last) if p)


# -- the service ----------------------------------------------------------------------------
class SchoolsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # reading ---------------------------------------------------------------------------
    def list_schools(self, actor: Actor) -> list[SchoolRow]:
        """Every school in the register, in one query whatever the number of schools."""
        actor.require(Permission.VIEW)
        return self._rows(None)

    def school_row(self, actor: Actor, school_id: int) -> SchoolRow:
        """One school as a line of the register (to refresh the table after an edit)."""
        actor.require(Permission.VIEW)
        rows = self._rows(school_id)
        if not rows:
            raise NotFoundError("This school is no longer in the register (someone removed it).")
        return rows[0]

    def _rows(self, school_id: int | None) -> list[SchoolRow]:
        stmt = select(
            School.id,
            School.urn,
            School.name,
            School.la_code,
            School.establishment_number,
            School.establishment_type,
            School.phase,
            School.status,
            School.town,
            School.postcode,
            School.pupils_on_roll,
            School.trust,
            School.head_title,
            School.head_first_name,
            School.head_last_name,
            StaffMember.full_name,
            School.causing_concern,
            School.ofsted_grade,
            School.version,
            School.close_date,
        ).outerjoin(StaffMember, School.link_officer_id == StaffMember.id)
        # The whole register's rows come straight from the database driver: at 25,000
        # schools SQLAlchemy's row handling (ORM or Core) costs more than the query. No ORDER BY:
        # SQLite would sort every column through a temporary table; Python sorts the
        # finished rows by name in a fraction of the time.
        with self.db.read_session() as session:
            connection = session.connection()
            if school_id is None:
                # Issued through SQLAlchemy (so it is logged and counted like any other
                # statement), then read from the driver's cursor as plain tuples.
                cursor_result = connection.exec_driver_sql(
                    str(stmt.compile(dialect=connection.dialect))
                )
                try:
                    result = cursor_result.cursor.fetchall()
                finally:
                    cursor_result.close()
            else:
                result = connection.execute(stmt.where(School.id == school_id)).all()
        statuses = {s.value: s for s in SchoolStatus}
        statuses.update({s: s for s in SchoolStatus})
        today = date.today()
        # laestab() and head_name() written out: at 25,000 rows the calls cost more than the work.
        rows = [
            SchoolRow(
                r[0],
                r[1],
                r[2],
                f"{r[3]}/{r[4]}" if r[3] and r[4] else r[3] or r[4],
                r[5],
                r[6],
                # What the school counts as today: a closure still to come leaves it open.
                statuses[r[7]]
                if r[19] is None
                else effective_status(statuses[r[7]], _as_date(r[19]), today),
                r[8],
                r[9],
                r[10],
                r[11],
                " ".join([p for p in (r[12], r[13], r[14]) if p]),
                r[15] or "",
                bool(r[16]),
                r[17],
                r[18],
                None if r[19] is None else _as_date(r[19]),
            )
            for r in result
        ]
        rows.sort(key=_register_order)
        return rows

    def get_school(self, actor: Actor, school_id: int) -> SchoolDetail:
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            return _detail(self._load(session, school_id))

    def get_school_by_urn(self, actor: Actor, urn: int | str) -> SchoolDetail:
        actor.require(Permission.VIEW)
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
        actor.require(Permission.VIEW)
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
        # The register's own order (see _rows), whatever the database's collation.
        details.sort(key=lambda d: (d.name.casefold(), d.urn))
        return details

    def count(self, actor: Actor) -> int:
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            return session.scalar(select(func.count(School.id))) or 0

    # writing ---------------------------------------------------------------------------
    def create_school(self, actor: Actor, data: SchoolInput) -> SchoolDetail:
        actor.require(Permission.EDIT_SCHOOLS)
        values, contacts = self._check(data)
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
        except IntegrityError as exc:
            raise self._integrity_message(exc, values) from None
        return self.get_school(actor, school_id)

    def update_school(
        self, actor: Actor, school_id: int, expected_version: int, data: SchoolInput
    ) -> SchoolDetail:
        """Save changes to a school loaded at ``expected_version``.

        If anyone saved it since, :class:`ConflictError` is raised and nothing is written.
        """
        actor.require(Permission.EDIT_SCHOOLS)
        values, contacts = self._check(data)
        try:
            with self.db.session() as session:
                school = self._load(session, school_id)
                self._check_version(school, expected_version)
                self._check_urn_free(session, values["urn"], school_id)
                self._check_link_officer(session, values.get("link_officer_id"))
                for name, value in values.items():
                    setattr(school, name, value)
                self._apply_contacts(school, contacts, actor)
                # Always bump the version, even for a change to contacts only, so that a
                # concurrent edit of the same school is always detected.
                school.updated_at = utcnow()
                school.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise self._conflict(school_id) from None
        except IntegrityError as exc:
            raise self._integrity_message(exc, values) from None
        return self.get_school(actor, school_id)

    def close_school(
        self, actor: Actor, school_id: int, expected_version: int, close_date: date | str
    ) -> SchoolDetail:
        """Record that a school closes (or closed) on ``close_date``; its history stays.

        A date still to come is a future closure: the school keeps its status (open or
        proposed) and counts as closed from that date on, everywhere.
        """
        actor.require(Permission.EDIT_SCHOOLS)
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

    def delete_school(self, actor: Actor, school_id: int, expected_version: int) -> None:
        """Remove a school entered by mistake. A school with any history is closed instead."""
        actor.require(Permission.EDIT_SCHOOLS)
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
        if "urn" in text:
            return ValidationError(
                {"urn": f"URN {values.get('urn')} is already used by another school"}
            )
        return ValidationError({"name": f"The database refused this school: {exc.orig}"})

    @staticmethod
    def _apply_contacts(
        school: School, contacts: list[tuple[dict[str, Any], int | None]], actor: Actor
    ) -> None:
        existing = {c.id: c for c in school.contacts}
        kept: list[Contact] = []
        for values, contact_id in contacts:
            current = existing.get(contact_id) if contact_id is not None else None
            if current is None:
                kept.append(Contact(**values, created_by=actor.name, updated_by=actor.name))
                continue
            if any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.updated_by = actor.name
            kept.append(current)
        school.contacts = kept

    def _check(
        self, data: SchoolInput
    ) -> tuple[dict[str, Any], list[tuple[dict[str, Any], int | None]]]:
        """Validate everything, collecting every problem, and return column values."""
        c = FieldChecker(School.__table__, SCHOOL_LABELS)  # type: ignore[arg-type]
        v: dict[str, Any] = {}
        try:
            v["urn"] = check_urn(data.urn)
        except ValueError as exc:
            c.fail("urn", str(exc))
        v["name"] = c.text("name", data.name, required=True)
        v["la_code"] = c.text(
            "la_code", data.la_code, check=lambda t: check_digits(t, 3, "LA code")
        )
        v["establishment_number"] = c.text(
            "establishment_number",
            data.establishment_number,
            check=lambda t: check_digits(t, 4, "establishment number"),
        )
        v.update(c.plain_texts(data, _PLAIN_TEXT_FIELDS))
        v["postcode"] = c.text("postcode", data.postcode, check=normalise_postcode)
        v["phone"] = c.text("phone", data.phone, check=check_phone)
        v["website"] = c.text("website", data.website, check=check_website)
        v["email"] = c.text("email", data.email, check=check_email)
        try:
            v["status"] = SchoolStatus(data.status)
        except ValueError:
            c.fail("status", f"“{data.status}” is not a school status")
        for name in ("open_date", "close_date", "pupils_census_date", "ofsted_date"):
            v[name] = c.date(name, getattr(data, name))
        v["statutory_low_age"] = c.whole_number(
            "statutory_low_age", data.statutory_low_age, maximum=OLDEST_STATUTORY_AGE
        )
        v["statutory_high_age"] = c.whole_number(
            "statutory_high_age", data.statutory_high_age, maximum=OLDEST_STATUTORY_AGE
        )
        v["pupils_on_roll"] = c.whole_number("pupils_on_roll", data.pupils_on_roll, maximum=100_000)
        v["causing_concern"] = bool(data.causing_concern)
        v["link_officer_id"] = data.link_officer_id

        low, high = v["statutory_low_age"], v["statutory_high_age"]
        if low is not None and high is not None and low > high:
            c.fail("statutory_high_age", "The highest age cannot be below the lowest age")
        today = date.today()
        if v.get("status") == SchoolStatus.CLOSED and v["close_date"] is None:
            c.fail("close_date", "A closed school needs the date it closed")
        if v.get("status") == SchoolStatus.CLOSED and closes_later(v["close_date"], today):
            # A closure still to come: the school stays open (or proposed, if it was) until
            # that date, when it counts as closed everywhere.
            v["status"] = SchoolStatus.OPEN
        elif v.get("status") not in (None, SchoolStatus.CLOSED) and v["close_date"] is not None:
            if v["close_date"] <= today:
                c.fail(
                    "close_date",
                    "This closing date has passed, so the school is closed: set the status to "
                    "Closed, or clear the date",
                )
        if v["open_date"] and v["close_date"] and v["close_date"] < v["open_date"]:
            c.fail("close_date", "The closing date is before the opening date")
        if v["pupils_on_roll"] is not None and v["pupils_census_date"] is None:
            c.fail("pupils_census_date", "Give the census date the pupil number refers to")

        contacts: list[tuple[dict[str, Any], int | None]] = []
        cc = FieldChecker(Contact.__table__, CONTACT_LABELS)  # type: ignore[arg-type]
        for index, contact in enumerate(data.contacts):
            prefix = f"contacts[{index}]."
            values = {
                "full_name": cc.text(
                    prefix + "full_name", contact.full_name, required=True, column="full_name"
                ),
                "role": cc.text(prefix + "role", contact.role, column="role"),
                "email": cc.text(
                    prefix + "email", contact.email, column="email", check=check_email
                ),
                "phone": cc.text(
                    prefix + "phone", contact.phone, column="phone", check=check_phone
                ),
            }
            contacts.append((values, contact.id))
        for key, message in cc.errors.items():
            row = int(key.split("]")[0].split("[")[1]) + 1
            c.fail(key, f"Contact {row}: {message}")
        if c.errors:
            raise ValidationError(c.errors)
        return v, contacts


def _history_count(session: Session, school_id: int) -> int:
    """Rows in other tables that refer to this school (contacts are part of the school itself).

    Found from the schema, so every later area (memberships, invoices, reviews,
    correspondence) counts as history as soon as its table refers to a school.
    """
    total = 0
    school_table = School.__table__
    for table in Base.metadata.sorted_tables:
        if table.name in ("school", "contact"):
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
