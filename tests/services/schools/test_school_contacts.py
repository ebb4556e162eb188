"""A school's contacts: checked as typed, then saved onto the school keeping each one's record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from thep_desktop.database import Database
from thep_desktop.models import Contact, School
from thep_desktop.services.schools.school_contacts import (
    CONTACT_LABELS,
    apply_contacts,
    check_contacts,
)
from thep_desktop.services.schools.school_data import ContactInput, SchoolInput
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.forms import FieldChecker


def checker() -> FieldChecker:
    return FieldChecker(Contact.__table__, CONTACT_LABELS)  # type: ignore[arg-type]


def test_problems_are_named_by_row_and_field() -> None:
    c = checker()
    values = check_contacts(
        [ContactInput("Amina Rahman", email="head@bgps.sch.uk"), ContactInput(" ", phone="12")],
        c,
    )
    assert values[0] == (
        {"full_name": "Amina Rahman", "role": "", "email": "head@bgps.sch.uk", "phone": ""},
        None,
    )
    assert set(c.errors) == {"contacts[1].full_name", "contacts[1].phone"}
    assert all(message.startswith("Contact 2: ") for message in c.errors.values())


def test_saving_keeps_unchanged_contacts_and_records_who_changed_the_rest(
    db: Database, actor: Actor
) -> None:
    school = SchoolsService(db).create_school(
        actor,
        SchoolInput(
            urn=100229,
            name="Bethnal Green Primary School",
            contacts=[
                ContactInput("Amina Rahman", "Head teacher"),
                ContactInput("Tom Okafor", "School business manager"),
                ContactInput("Left Already", "Office manager"),
            ],
        ),
    )
    amina, tom, _left = school.contacts
    editor = Actor("sam.editor", Role.ADMIN)
    checked = check_contacts(
        [
            amina.as_input(),
            ContactInput("Tom Okafor", "School business manager", "sbm@bgps.sch.uk", "", tom.id),
            ContactInput("Grace Adeyemi", "SENCO"),
        ],
        checker(),
    )
    with db.session() as session:
        row = session.scalar(
            select(School).where(School.id == school.id).options(selectinload(School.contacts))
        )
        assert row is not None
        apply_contacts(row, checked, editor)
    with db.read_session() as session:
        saved = session.scalars(
            select(Contact).where(Contact.school_id == school.id).order_by(Contact.id)
        ).all()
        found = [(c.id, c.full_name, c.email, c.created_by, c.updated_by) for c in saved]
    assert found == [
        (amina.id, "Amina Rahman", "", "jo.bloggs", "jo.bloggs"),  # unchanged: untouched
        (tom.id, "Tom Okafor", "sbm@bgps.sch.uk", "jo.bloggs", "sam.editor"),
        (found[2][0], "Grace Adeyemi", "", "sam.editor", "sam.editor"),
    ]
    assert found[2][0] not in (amina.id, tom.id)
