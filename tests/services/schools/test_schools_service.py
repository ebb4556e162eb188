"""The schools register service, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.schools import effective_status
from thep_desktop.models import Contact, School, SchoolStatus
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.schools.school_closures import closed_on, not_closed_on
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


def test_list_is_two_queries_whatever_the_number_of_schools(db: Database, actor: Actor) -> None:
    """The schools, and each one's latest Ofsted outcome from its history."""
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
    assert len(statements) == 2
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
    assert errors["contacts[1].email"] == (
        "Contact 2: “bad” is not an email address: it must have an @-sign"
    )
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
    assert "closing date has passed" in caught.value.field_errors["close_date"]
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


# -- closures still to come -----------------------------------------------------------------
def test_a_closure_still_to_come_keeps_the_school_open_until_then(
    db: Database, actor: Actor
) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    later = date.today() + timedelta(days=30)
    closing = service.close_school(actor, created.id, created.version, format_date(later))
    assert closing.status is SchoolStatus.OPEN
    assert closing.close_date == later and closing.closes_later
    with db.read_session() as session:
        stored = session.execute(select(School.status, School.close_date)).one()
    assert (stored.status, stored.close_date) == (SchoolStatus.OPEN, later)
    (row,) = service.list_schools(actor)
    assert row.status is SchoolStatus.OPEN and row.close_date == later
    # Mailings to "open schools" still include it.
    assert LettersService(db).open_school_ids(actor) == [created.id]


def test_a_school_counts_as_closed_once_its_closing_date_has_come(
    db: Database, actor: Actor
) -> None:
    """A closure recorded earlier for a date that has now come: closed everywhere."""
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    today = date.today()
    # Recorded as a future closure some time ago; the date is today now.
    with db.session() as session:
        school = session.get(School, created.id)
        assert school is not None
        school.close_date = today
    assert service.get_school(actor, created.id).status is SchoolStatus.CLOSED
    (row,) = service.list_schools(actor)
    assert row.status is SchoolStatus.CLOSED
    assert LettersService(db).open_school_ids(actor) == []
    # Saving it again records what it is: closed since that date.
    loaded = service.get_school(actor, created.id)
    saved = service.update_school(actor, loaded.id, loaded.version, loaded.as_input())
    assert (saved.status, saved.close_date) == (SchoolStatus.CLOSED, today)


def test_a_proposed_school_closing_later_stays_proposed(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school(status="proposed_to_open"))
    later = date.today() + timedelta(days=200)
    closing = service.close_school(actor, created.id, created.version, later)
    assert (closing.status, closing.close_date) == (SchoolStatus.PROPOSED, later)


def test_closed_with_a_date_to_come_is_recorded_as_a_future_closure(
    db: Database, actor: Actor
) -> None:
    """The school form's "Closed" with a date still to come: open until that date."""
    service = SchoolsService(db)
    later = date.today() + timedelta(days=1)
    created = service.create_school(actor, a_school(status="closed", close_date=later))
    assert (created.status, created.close_date) == (SchoolStatus.OPEN, later)


def test_a_school_recorded_closed_with_a_date_to_come_counts_as_open(
    db: Database, actor: Actor
) -> None:
    """Records made before future closures were understood ("Closed since 01/01/2030")."""
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    later = date.today() + timedelta(days=400)
    with db.session() as session:
        school = session.get(School, created.id)
        assert school is not None
        school.status, school.close_date = SchoolStatus.CLOSED, later
    assert service.get_school(actor, created.id).status is SchoolStatus.OPEN
    assert service.list_schools(actor)[0].status is SchoolStatus.OPEN
    assert LettersService(db).open_school_ids(actor) == [created.id]


def test_closing_on_a_date_that_is_not_a_date_changes_nothing(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    created = service.create_school(actor, a_school())
    with pytest.raises(ValidationError) as caught:
        service.close_school(actor, created.id, created.version, "31/02/2031")
    assert "close_date" in caught.value.field_errors
    after = service.get_school(actor, created.id)
    assert (after.status, after.close_date, after.version) == (
        SchoolStatus.OPEN,
        None,
        created.version,
    )


STATUSES = st.sampled_from(list(SchoolStatus))
DAYS = st.none() | st.integers(min_value=-3, max_value=3)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(recorded=STATUSES, offset=DAYS)
def test_the_sql_condition_agrees_with_the_status_function(
    sqlite_db: Database, recorded: SchoolStatus, offset: int | None
) -> None:
    """The query other services use counts a school closed exactly when the function does."""
    today = date(2026, 3, 15)
    close_date = None if offset is None else today + timedelta(days=offset)
    with sqlite_db.session() as session:
        session.query(School).delete()
        session.add(
            School(
                urn=100001,
                name="Test",
                status=recorded,
                close_date=close_date,
                created_by="t",
                updated_by="t",
            )
        )
    with sqlite_db.read_session() as session:
        closed = session.scalar(select(func.count(School.id)).where(closed_on(today)))
        not_closed = session.scalar(select(func.count(School.id)).where(not_closed_on(today)))
    expected_closed = effective_status(recorded, close_date, today) is SchoolStatus.CLOSED
    assert (closed, not_closed) == ((1, 0) if expected_closed else (0, 1))


@pytest.mark.parametrize("in_limit", [900, 1])
def test_details_of_chosen_schools_come_in_the_order_asked(
    db: Database, actor: Actor, in_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export "all fields" reads the schools shown, in the table's order, few or many."""
    from thep_desktop.services.schools import schools_service

    monkeypatch.setattr(schools_service, "_IN_LIMIT", in_limit)
    service = SchoolsService(db)
    ids = [
        service.create_school(actor, a_school(urn=str(urn), name=name)).id
        for urn, name in ((100001, "Ash"), (100002, "Bow"), (100003, "Cedar"))
    ]
    chosen = [ids[2], ids[0]]
    details = service.list_school_details(actor, chosen)
    assert [d.name for d in details] == ["Cedar", "Ash"]
    assert [c.full_name for c in details[0].contacts] == ["Amina Rahman", "Tom Okafor"]
    assert [d.name for d in service.list_school_details(actor)] == ["Ash", "Bow", "Cedar"]
    assert service.list_school_details(actor, []) == []
