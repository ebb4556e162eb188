"""The schools register service, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from thep_desktop.database import Database
from thep_desktop.models import Contact, School, SchoolStatus
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


def a_school(**overrides: object) -> SchoolInput:
    values: dict[str, object] = dict(
        urn="100229",
        name="Bethnal Green Primary School",
        la_code="211",
        establishment_number="2345",
        establishment_type="Community school",
        phase="Primary",
        statutory_low_age="3",
        statutory_high_age="11",
        pupils_on_roll="412",
        pupils_census_date="16/01/2025",
        street="229 Bethnal Green Road",
        town="London",
        postcode="e2 6ab",
        phone="020 7739 1234",
        website="www.bgps.sch.uk",
        email="admin@bgps.sch.uk",
        head_title="Ms",
        head_first_name="Amina",
        head_last_name="Rahman",
        contacts=[
            ContactInput("Amina Rahman", "Head teacher", "head@bgps.sch.uk", "020 7739 1234"),
            ContactInput("Tom Okafor", "School business manager", "sbm@bgps.sch.uk"),
        ],
    )
    values.update(overrides)
    return SchoolInput(**values)  # type: ignore[arg-type]


def school_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(School.id))) or 0


def contact_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(Contact.id))) or 0


def test_create_and_read_back_a_school(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    detail = service.create_school(actor, a_school())
    assert detail.urn == 100229
    assert detail.postcode == "E2 6AB"  # normalised
    assert detail.laestab == "211/2345"
    assert detail.pupils_on_roll == 412
    assert detail.pupils_census_date == date(2025, 1, 16)
    assert detail.status is SchoolStatus.OPEN
    assert detail.head_teacher == "Ms Amina Rahman"
    assert [c.full_name for c in detail.contacts] == ["Amina Rahman", "Tom Okafor"]
    assert detail.created_by == actor.name == detail.updated_by
    assert detail.version == 1
    assert detail.uuid is not None
    again = service.get_school_by_urn(actor, "100229")
    assert again == detail


def test_list_is_one_query_whatever_the_number_of_schools(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    officer = StaffService(db).create_staff(actor, StaffInput("Grace Adeyemi", "Link officer"))
    for i in range(12):
        service.create_school(
            actor, a_school(urn=str(100300 + i), name=f"School {i:02d}", link_officer_id=officer.id)
        )
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        rows = service.list_schools(actor)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(rows) == 12
    assert len(statements) == 1
    assert {r.link_officer for r in rows} == {"Grace Adeyemi"}
    assert [r.name for r in rows] == sorted(r.name for r in rows)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("urn", "12345", "is not a URN"),
        ("urn", "12345a", "is not a URN"),
        ("urn", "", "URN is required"),
        ("postcode", "E2 6A", "is not a UK postcode"),
        ("postcode", "ZZ99 9ZZZ", "is not a UK postcode"),
        ("pupils_on_roll", "-5", "cannot be less than 0"),
        ("pupils_on_roll", "lots", "must be a whole number"),
        ("name", "x" * 201, "too long: at most 200 characters"),
        ("name", "   ", "School name is required"),
        ("email", "office at school", "is not an email address"),
        ("open_date", "31/02/2020", "is not a real date"),
        ("la_code", "21", "LA code is 3 digits"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    db: Database, actor: Actor, field: str, value: str, message: str
) -> None:
    service = SchoolsService(db)
    with pytest.raises(ValidationError) as caught:
        service.create_school(actor, a_school(**{field: value}))
    assert field in caught.value.field_errors
    assert message in caught.value.field_errors[field]
    assert school_count(db) == 0
    assert contact_count(db) == 0


def test_every_problem_is_reported_at_once(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        SchoolsService(db).create_school(
            actor, a_school(urn="1", postcode="nope", pupils_on_roll="-1", name="")
        )
    assert set(caught.value.field_errors) == {"urn", "postcode", "pupils_on_roll", "name"}
    assert "4 entries need correcting" in caught.value.message
    assert school_count(db) == 0 and contact_count(db) == 0


def test_duplicate_urn_is_refused_naming_the_other_school(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    service.create_school(actor, a_school())
    with pytest.raises(ValidationError) as caught:
        service.create_school(actor, a_school(name="Another School", contacts=[]))
    assert caught.value.field_errors["urn"] == (
        "URN 100229 is already used by Bethnal Green Primary School"
    )
    assert school_count(db) == 1
    assert contact_count(db) == 2


def test_bad_contact_is_refused_with_its_row_and_nothing_saved(db: Database, actor: Actor) -> None:
    data = a_school(
        contacts=[ContactInput("Ann", "Head teacher", "ann@x.uk"), ContactInput("", "SBM", "bad")]
    )
    with pytest.raises(ValidationError) as caught:
        SchoolsService(db).create_school(actor, data)
    errors = caught.value.field_errors
    assert errors["contacts[1].full_name"] == "Contact 2: Contact name is required"
    assert errors["contacts[1].email"] == "Contact 2: “bad” is not an email address"
    assert school_count(db) == 0


def test_update_edits_fields_and_contacts(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    data = created.as_input()
    data.name = "Bethnal Green Primary Academy"
    data.contacts[0].phone = "020 7000 0000"
    data.contacts.pop(1)
    data.contacts.append(ContactInput("Ruth Levy", "Chair of governors", "chair@bgps.sch.uk"))
    editor = Actor("sam.clerk", Role.STAFF)
    updated = service.update_school(editor, created.id, created.version, data)
    assert updated.name == "Bethnal Green Primary Academy"
    assert updated.version == created.version + 1
    assert updated.updated_by == "sam.clerk"
    assert updated.created_by == actor.name
    assert [(c.full_name, c.phone) for c in updated.contacts] == [
        ("Amina Rahman", "020 7000 0000"),
        ("Ruth Levy", ""),
    ]
    # The first contact kept its identity (same uuid), the removed one is gone.
    assert updated.contacts[0].uuid == created.contacts[0].uuid
    assert contact_count(db) == 2


def test_a_change_by_someone_else_is_never_overwritten(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    loaded = service.create_school(actor, a_school())
    # Another user, on another computer, saves first.
    other = Actor("pat.office", Role.STAFF)
    theirs = replace(loaded.as_input(), phone="020 7111 1111")
    service.update_school(other, loaded.id, loaded.version, theirs)
    # Then this user saves what they loaded earlier.
    mine = replace(loaded.as_input(), phone="020 7999 9999")
    with pytest.raises(ConflictError) as caught:
        service.update_school(actor, loaded.id, loaded.version, mine)
    assert caught.value.changed_by == "pat.office"
    assert "pat.office changed this school" in caught.value.message
    stored = service.get_school(actor, loaded.id)
    assert stored.phone == "020 7111 1111"
    assert (stored.version, stored.updated_by) == (loaded.version + 1, "pat.office")


def test_contacts_only_change_still_detects_a_conflict(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    loaded = service.create_school(actor, a_school())
    first = loaded.as_input()
    first.contacts[0].phone = "020 1"
    service.update_school(
        actor,
        loaded.id,
        loaded.version,
        replace(
            first,
            contacts=[
                ContactInput(
                    "Amina Rahman",
                    "Head teacher",
                    "head@bgps.sch.uk",
                    "020 7111 2222",
                    loaded.contacts[0].id,
                )
            ],
        ),
    )
    theirs = service.get_school(actor, loaded.id)
    with pytest.raises(ConflictError):
        service.update_school(actor, loaded.id, loaded.version, loaded.as_input())
    assert service.get_school(actor, loaded.id) == theirs  # contacts included


def test_close_school_keeps_it_in_the_register(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    closed = service.close_school(actor, created.id, created.version, "31/08/2026")
    assert closed.status is SchoolStatus.CLOSED
    assert closed.close_date == date(2026, 8, 31)
    assert service.count(actor) == 1


def test_closed_status_needs_a_date_and_open_school_has_none(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    with pytest.raises(ValidationError) as caught:
        service.create_school(actor, a_school(status="closed"))
    assert "needs the date it closed" in caught.value.field_errors["close_date"]
    with pytest.raises(ValidationError) as caught:
        service.create_school(actor, a_school(close_date="01/09/2025"))
    assert "Only a closed school" in caught.value.field_errors["close_date"]
    assert school_count(db) == 0


def test_delete_school_without_history(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    service.delete_school(actor, created.id, created.version)
    assert school_count(db) == 0
    assert contact_count(db) == 0
    with pytest.raises(NotFoundError):
        service.get_school(actor, created.id)


def test_viewer_cannot_edit(db: Database, actor: Actor) -> None:
    viewer = Actor("visitor", Role.VIEWER)
    with pytest.raises(PermissionDeniedError, match="not allowed to change the schools register"):
        SchoolsService(db).create_school(viewer, a_school())
    assert school_count(db) == 0


def test_unknown_link_officer_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        SchoolsService(db).create_school(actor, a_school(link_officer_id=999))
    assert "link_officer_id" in caught.value.field_errors
    assert school_count(db) == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    urn=st.one_of(st.integers(-10, 2_000_000).map(str), st.text(max_size=8)),
    pupils=st.one_of(st.none(), st.integers(-1000, 200_000).map(str), st.text(max_size=6)),
    postcode=st.text(max_size=10),
    name=st.text(max_size=250),
)
def test_any_input_is_either_saved_whole_or_refused_with_messages(
    db: Database, urn: str, pupils: str | None, postcode: str, name: str
) -> None:
    """Property: the service never crashes on odd input and never half-saves."""
    actor = Actor("fuzz")
    service = SchoolsService(db)
    before = school_count(db)
    data = a_school(urn=urn, pupils_on_roll=pupils, postcode=postcode, name=name)
    try:
        detail = service.create_school(actor, data)
    except ValidationError as exc:
        assert exc.field_errors and all(isinstance(m, str) and m for m in exc.field_errors.values())
        assert school_count(db) == before
    else:
        assert 100000 <= detail.urn <= 999999
        assert detail.pupils_on_roll is None or detail.pupils_on_roll >= 0
        assert school_count(db) == before + 1
        service.delete_school(actor, detail.id, detail.version)
