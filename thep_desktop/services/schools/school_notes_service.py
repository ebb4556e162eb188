"""Dated notes on a school: the link officer's visit, a call, a concern raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.models import AppUser, School, SchoolNote, StaffMember
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ValidationError, changed_meanwhile
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

NOTE_LABELS = {
    "noted_on": "Date",
    "subject": "Subject",
    "text": "Note",
    "author_name": "Written by",
    "author_id": "Written by",
}
_GONE = "This note is no longer there: someone else may have deleted it."
_NO_SCHOOL = "This school is no longer in the register (someone removed it)."


@dataclass(frozen=True)
class NoteInput:
    noted_on: date | str | None
    text: str
    subject: str = ""
    author_id: int | None = None  # a member of staff; else author_name, typed
    author_name: str = ""


@dataclass(frozen=True)
class NoteDetail:
    id: int
    version: int
    school_id: int
    noted_on: date
    subject: str
    text: str
    author_id: int | None
    author_name: str  # as typed, when the author is not on the staff list
    author: str  # who wrote it, in words (the staff member's name or the typed name)
    updated_by: str

    def as_input(self) -> NoteInput:
        return NoteInput(self.noted_on, self.text, self.subject, self.author_id, self.author_name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "noted_on": self.noted_on.isoformat(),
            "subject": self.subject,
            "text": self.text,
            "author": self.author,
            "author_staff_id": self.author_id,
        }


class SchoolNotesService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_notes(self, actor: Actor, school_id: int) -> list[NoteDetail]:
        """A school's notes, the newest first (the latest written first on the same day)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            if session.get(School, school_id) is None:
                raise NotFoundError(_NO_SCHOOL)
            rows = session.scalars(
                select(SchoolNote)
                .where(SchoolNote.school_id == school_id)
                .options(selectinload(SchoolNote.author))
                .order_by(SchoolNote.noted_on.desc(), SchoolNote.id.desc())
            )
            return [_detail(row) for row in rows]

    def get_note(self, actor: Actor, note_id: int) -> NoteDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(
                select(SchoolNote)
                .where(SchoolNote.id == note_id)
                .options(selectinload(SchoolNote.author))
            )
            if row is None:
                raise NotFoundError(_GONE)
            return _detail(row)

    def default_author(self, actor: Actor) -> int | None:
        """The staff member linked to the acting user, or None when there is no such link.

        A user is linked to the active member of staff with the same full name (the staff
        list has no login of its own); only one such person counts as a link.
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            name = session.scalar(select(AppUser.full_name).where(AppUser.login == actor.name))
            key = " ".join((name or "").split()).casefold()
            if not key:
                return None
            found = [
                staff_id
                for staff_id, full_name in session.execute(
                    select(StaffMember.id, StaffMember.full_name).where(
                        StaffMember.active.is_(True),
                        func.lower(StaffMember.full_name) == key,
                    )
                )
                if " ".join(full_name.split()).casefold() == key
            ]
            return found[0] if len(found) == 1 else None

    @save
    def add_note(self, actor: Actor, school_id: int, data: NoteInput) -> NoteDetail:
        actor.require(EDIT_SCHOOLS)
        values = _check(data)
        with self.db.session() as session:
            if session.get(School, school_id) is None:
                raise NotFoundError(_NO_SCHOOL)
            _check_author(session, values["author_id"])
            row = SchoolNote(
                school_id=school_id, **values, created_by=actor.name, updated_by=actor.name
            )
            session.add(row)
            session.flush()
            new_id = row.id
        return self.get_note(actor, new_id)

    @save
    def update_note(
        self, actor: Actor, note_id: int, expected_version: int, data: NoteInput
    ) -> NoteDetail:
        actor.require(EDIT_SCHOOLS)
        values = _check(data)
        try:
            with self.db.session() as session:
                row = session.get(SchoolNote, note_id)
                if row is None:
                    raise NotFoundError(_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("note")
                _check_author(session, values["author_id"])
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise changed_meanwhile("note") from None
        return self.get_note(actor, note_id)

    @save
    def delete_note(self, actor: Actor, note_id: int, expected_version: int) -> None:
        actor.require(EDIT_SCHOOLS)
        try:
            with self.db.session() as session:
                row = session.get(SchoolNote, note_id)
                if row is None:
                    raise NotFoundError(_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("note")
                session.delete(row)
        except StaleDataError:
            raise changed_meanwhile("note") from None


def _check(data: NoteInput) -> dict[str, Any]:
    c = FieldChecker(SchoolNote.__table__, NOTE_LABELS)  # type: ignore[arg-type]
    noted_on = c.required_date("noted_on", data.noted_on, "Give the date of the note")
    if noted_on is not None and noted_on > date.today():
        c.fail("noted_on", "The note's date cannot be in the future")
    subject = c.text("subject", data.subject, column="subject")
    text = c.text("text", data.text, required=True, column="text")
    author_name = " ".join(c.text("author_name", data.author_name, column="author_name").split())
    author_id = data.author_id
    if author_id is not None:
        author_name = ""  # the staff list names them
    if c.errors:
        raise ValidationError(c.errors)
    return {
        "noted_on": noted_on,
        "subject": subject,
        "text": text,
        "author_id": author_id,
        "author_name": author_name,
    }


def _check_author(session: Session, staff_id: int | None) -> None:
    if staff_id is not None and session.get(StaffMember, staff_id) is None:
        raise ValidationError({"author_id": "That person is no longer on the staff list"})


def _detail(row: SchoolNote) -> NoteDetail:
    return NoteDetail(
        id=row.id,
        version=row.version,
        school_id=row.school_id,
        noted_on=row.noted_on,
        subject=row.subject,
        text=row.text,
        author_id=row.author_id,
        author_name=row.author_name,
        author=row.author.full_name if row.author is not None else row.author_name,
        updated_by=row.updated_by,
    )
