"""The audit trail read for people: a record's history, the admins' search, export, check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import AuditEvent
from thep_desktop.services.audit.audit_service import AuditFilters, FieldChange
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import PermissionDeniedError, ValidationError


def a_school(urn: str = "100229", name: str = "Bethnal Green Primary School") -> SchoolInput:
    return SchoolInput(
        urn=urn,
        name=name,
        la_code="211",
        establishment_number="2345",
        phase="Primary",
        phone="020 7739 1234",
        open_date="01/09/1990",
        contacts=[ContactInput("Tom Okafor", "School business manager", "sbm@bgps.sch.uk")],
    )


def audit_rows(db: Database) -> list[tuple[int, str]]:
    with db.read_session() as s:
        return list(s.execute(select(AuditEvent.seq, AuditEvent.action).order_by(AuditEvent.seq)))


def trail_name(db: Database, name: str) -> str:
    """Who the trail names: the server's session user on PostgreSQL, else the actor."""
    if db.is_sqlite:
        return name
    with db.engine.connect() as conn:
        return str(conn.exec_driver_sql("SELECT session_user").scalar_one())


@pytest.fixture
def office(db: Database, actor: Actor) -> Services:
    return Services(db, actor)


def test_history_of_a_school_in_words_newest_first(office: Services) -> None:
    actor = office.actor
    officer = office.staff.create_staff(actor, StaffInput("Priya Shah", "Link officer"))
    school = office.schools.create_school(actor, a_school())
    other = office.schools.create_school(actor, a_school("100230", "Other School"))
    changed = replace(
        school.as_input(),
        phone="020 7739 9999",
        open_date="02/09/1991",
        causing_concern=True,
        link_officer_id=officer.id,
    )
    school = office.schools.update_school(actor, school.id, school.version, changed)
    school = office.schools.close_school(actor, school.id, school.version, "31/08/2026")
    viewer = Services(office.db, Actor("vi.ewer", Role.VIEWER)).actor

    history = office.audit.history(viewer, school.uuid)

    assert [e.action_words for e in history] == ["Closed", "Changed", "Created", "Created"]
    assert [e.kind for e in history] == ["School", "School", "Contact", "School"]
    assert all(e.who == trail_name(office.db, "jo.bloggs") for e in history)
    assert all(e.when.tzinfo is not None for e in history)
    assert history[0].seq > history[1].seq > history[2].seq
    closed = {c.label: c for c in history[0].changes}
    assert closed["Status"] == FieldChange("Status", "Open", "Closed")
    assert closed["Closing date"] == FieldChange("Closing date", "", "31/08/2026")
    edited = {c.label: c for c in history[1].changes}
    assert edited["Phone"] == FieldChange("Phone", "020 7739 1234", "020 7739 9999")
    assert edited["Opening date"] == FieldChange("Opening date", "01/09/1990", "02/09/1991")
    assert edited["School causing concern"] == FieldChange("School causing concern", "No", "Yes")
    assert edited["Link officer"] == FieldChange("Link officer", "", "Priya Shah")
    contact = {c.label: c.after for c in history[2].changes}
    assert contact["Name"] == "Tom Okafor"
    assert contact["School"] == "Bethnal Green Primary School"
    assert history[3].record_label == "Bethnal Green Primary School"
    assert "Other School" not in {e.record_label for e in history}
    # The other school's history is its own.
    assert [e.record_label for e in office.audit.history(actor, other.uuid)] == [
        "Tom Okafor",
        "Other School",
    ]


def test_search_filters_in_sql_and_counts_everything(office: Services) -> None:
    actor = office.actor
    for number in range(5):
        office.schools.create_school(actor, a_school(str(100300 + number), f"Alder {number}"))
    office.staff.create_staff(Actor("sam.clerk", Role.ADMIN), StaffInput("Sam 100% Sure", "x"))

    page = office.audit.search(actor, limit=3)
    assert page.total == 11  # 5 schools, 5 contacts, 1 staff member
    assert len(page.entries) == 3
    assert page.count_line == "11 events; showing the newest 3"
    assert [e.seq for e in page.entries] == [11, 10, 9]
    assert [e.seq for e in office.audit.search(actor, limit=3, offset=3).entries] == [8, 7, 6]

    assert office.audit.search(actor, text="alder 3").total == 1
    assert office.audit.search(actor, text="100%").total == 1  # % is a character, not a wildcard
    assert office.audit.search(actor, text="sbm@bgps").total == 5  # in the values
    if office.db.is_sqlite:
        assert office.audit.search(actor, who="SAM.CLERK").total == 1
        assert office.audit.people(actor) == ["jo.bloggs", "sam.clerk"]
    else:  # the server names its session user, whoever the program says acts
        login = trail_name(office.db, "")
        assert office.audit.search(actor, who=login.upper()).total == 11
        assert office.audit.people(actor) == [login]
    assert office.audit.search(actor, who="nobody").total == 0
    assert office.audit.search(actor, table="contact").total == 5
    assert office.audit.search(actor, actions=("create",)).total == 11
    assert office.audit.search(actor, actions=("delete", "close")).total == 0
    today = date.today()
    assert office.audit.search(actor, date_from=today, date_to=today).total == 11
    assert office.audit.search(actor, date_to=today - timedelta(days=1)).total == 0
    assert office.audit.search(actor, date_from=today + timedelta(days=1)).total == 0
    assert ("contact", "Contact") in office.audit.kinds(actor)

    with pytest.raises(ValidationError, match="after the “to” date"):
        office.audit.search(actor, date_from=today, date_to=today - timedelta(days=1))


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEWER, Role.TREASURER, Role.CLERK])
def test_only_admins_search_export_and_check_the_trail(
    office: Services, role: Role, tmp_path: Path
) -> None:
    office.schools.create_school(office.actor, a_school())
    before = audit_rows(office.db)
    them = Services(office.db, Actor("someone", role)).actor
    target = tmp_path / "trail.xlsx"
    for attempt in (
        lambda: office.audit.search(them),
        lambda: office.audit.people(them),
        lambda: office.audit.check(them),
        lambda: office.audit.export(them, AuditFilters(), target),
    ):
        with pytest.raises(PermissionDeniedError, match="search the whole audit trail"):
            attempt()
    assert not target.exists()
    after = audit_rows(office.db)
    # Nothing changed but the refusals, each written to the trail.
    assert after[: len(before)] == before
    assert [action for _seq, action in after[len(before) :]] == ["refused"] * 4


def test_export_writes_typed_cells(office: Services, tmp_path: Path) -> None:
    school = office.schools.create_school(office.actor, a_school())
    target = tmp_path / "trail.xlsx"

    written = office.audit.export(office.actor, AuditFilters(table="school"), target)

    assert written == 1
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Number"))
    assert "kind school" in str(rows[1][0]).lower()  # the filters, in words
    record = dict(zip(rows[header], rows[header + 1], strict=False))
    created = [e for e in office.audit.history(office.actor, school.uuid) if e.kind == "School"]
    assert record["Number"] == created[0].seq
    assert isinstance(record["When"], datetime)
    assert record["What was done"] == "Created"
    assert record["Record"] == "Bethnal Green Primary School"
    assert "School name: Bethnal Green Primary School" in record["Changes"]
    assert record["Record's id"] == str(school.uuid)

    history = office.audit.history(office.actor, school.uuid)
    mine = tmp_path / "history.xlsx"
    assert office.audit.export(office.actor, history, mine, title="History") == 2

    wrong = tmp_path / "trail.pdf"
    with pytest.raises(ValidationError, match=".xlsx"):
        office.audit.export(office.actor, AuditFilters(), wrong)
    assert not wrong.exists()


def test_check_says_the_trail_is_unbroken(office: Services) -> None:
    office.schools.create_school(office.actor, a_school())
    result = office.audit.check(office.actor)
    assert result.ok and result.rows == 2
    assert "unbroken: all 2 events" in result.words
    with office.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_a_contact_removed_from_its_school_is_in_the_schools_history(office: Services) -> None:
    """Taking a contact off the school's list deletes it (delete-orphan): the trail says so."""
    actor = office.actor
    school = office.schools.create_school(actor, a_school())
    data = replace(school.as_input(), contacts=[])
    office.schools.update_school(actor, school.id, school.version, data)

    history = office.audit.history(actor, school.uuid)

    deleted = [e for e in history if e.action == "delete"]
    assert [(e.kind, e.record_label) for e in deleted] == [("Contact", "Tom Okafor")]
    removed = {c.label: c for c in deleted[0].changes}
    assert removed["Name"] == FieldChange("Name", "Tom Okafor", "")
    assert removed["School"] == FieldChange("School", "Bethnal Green Primary School", "")


def test_check_reports_progress_and_stops_on_cancel(office: Services) -> None:
    from thep_desktop.domain.progress import Cancelled, Progress

    office.schools.create_school(office.actor, a_school())
    heard: list[tuple[int, int]] = []
    result = office.audit.check(office.actor, Progress(lambda d, t, _m: heard.append((d, t))))
    assert result.ok and heard == [(0, 2)]

    stopped = Progress()
    stopped.cancel()
    with pytest.raises(Cancelled):
        office.audit.check(office.actor, stopped)
