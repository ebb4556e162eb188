"""Saves wait for a database someone else is writing to, then succeed or say it is busy."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from lock_holders import write_lock_held
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import Contact, School
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.errors import DatabaseBusyError
from thep_desktop.services.shared.retry import waiting_message


def _school(urn: int = 100001, name: str = "Bethnal Green Primary") -> SchoolInput:
    return SchoolInput(
        urn=urn,
        name=name,
        contacts=(
            ContactInput(full_name="Ann Bell", role="Business manager"),
            ContactInput(full_name="Raj Patel", role="Headteacher"),
        ),
    )


def snapshot(db: Database) -> list[tuple]:
    """Every school and contact row, as stored."""
    with db.read_session() as s:
        schools = [tuple(r) for r in s.execute(select(School.__table__).order_by(School.id))]
        contacts = [tuple(r) for r in s.execute(select(Contact.__table__).order_by(Contact.id))]
    return schools + contacts


def _rows(db: Database) -> tuple[int, int]:
    with db.read_session() as s:
        schools = s.scalar(select(func.count(School.id))) or 0
        contacts = s.scalar(select(func.count(Contact.id))) or 0
    return schools, contacts


def test_a_save_waits_for_a_short_lock_and_saves_once_whole(db, actor):
    """The lock meets the save part-way (PostgreSQL: the contacts after the school); the
    whole save runs again, so there is one school with its two contacts, not two schools."""
    db.lock_wait.attempt_seconds = 0.2
    db.lock_wait.total_seconds = 10
    heard: list[float | None] = []
    db.lock_wait.notify = heard.append
    schools = SchoolsService(db)
    started = time.monotonic()
    with write_lock_held(db, release_after=1.0):
        detail = schools.create_school(actor, _school())
    assert time.monotonic() - started >= 0.9
    assert _rows(db) == (1, 2)
    assert [c.full_name for c in detail.contacts] == ["Ann Bell", "Raj Patel"]
    waits = [h for h in heard if h is not None]
    assert waits and waits == sorted(waits) and heard[-1] is None
    assert waiting_message(12.4) == "Waiting for the database: someone else is saving (12 s)…"


def test_a_save_gives_up_after_the_bound_and_changes_nothing(db, actor):
    schools = SchoolsService(db)
    first = schools.create_school(actor, _school())
    before = snapshot(db)
    db.lock_wait.attempt_seconds = 0.2
    db.lock_wait.total_seconds = 1.0
    heard: list[float | None] = []
    db.lock_wait.notify = heard.append
    edited = replace(first.as_input(), name="Renamed while locked")
    started = time.monotonic()
    with write_lock_held(db), pytest.raises(DatabaseBusyError) as caught:
        schools.update_school(actor, first.id, first.version, edited)
    assert 1.0 <= time.monotonic() - started < 5
    assert caught.value.message == (
        "The database is busy: someone else is saving a large change. Nothing was saved; "
        "try again in a minute."
    )
    assert snapshot(db) == before
    assert heard[-1] is None
    # Once the lock is gone the same save goes through.
    assert schools.update_school(actor, first.id, first.version, edited).name == edited.name


@pytest.mark.parametrize("save", ["staff", "close", "delete"])
def test_every_kind_of_save_waits_and_then_says_busy(db, actor, save):
    schools = SchoolsService(db)
    staff = StaffService(db)
    school = schools.create_school(actor, _school())
    member = staff.create_staff(actor, StaffInput(full_name="Jo Bloggs"))
    before = snapshot(db), staff.list_staff(actor)
    db.lock_wait.attempt_seconds = 0.1
    db.lock_wait.total_seconds = 0.5
    calls = {
        "staff": lambda: staff.update_staff(
            actor, member.id, member.version, StaffInput(full_name="Jo Changed")
        ),
        "close": lambda: schools.close_school(actor, school.id, school.version, "31/08/2026"),
        "delete": lambda: schools.delete_school(actor, school.id, school.version),
    }
    with write_lock_held(db), pytest.raises(DatabaseBusyError):
        calls[save]()
    assert (snapshot(db), staff.list_staff(actor)) == before


def test_reading_never_waits_for_someone_else_s_save(db, actor):
    """Looking at the register, the profile or the staff list while a colleague saves."""
    from thep_desktop.services.settings.organisation_service import OrganisationService

    organisation = OrganisationService(db)
    profile = organisation.get_profile(actor)  # made with the defaults on first asking
    SchoolsService(db).create_school(actor, _school())
    db.lock_wait.total_seconds = 20
    heard: list[float | None] = []
    db.lock_wait.notify = heard.append
    with write_lock_held(db):
        started = time.monotonic()
        assert organisation.get_profile(actor) == profile
        assert [s.name for s in SchoolsService(db).list_schools(actor)] == [_school().name]
        assert StaffService(db).list_staff(actor) == []
        assert time.monotonic() - started < 2
    assert heard == []
