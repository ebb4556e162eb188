"""The Schools table's rows: the whole register in its order, or one school, as it counts today."""

from __future__ import annotations

from datetime import date, timedelta

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.schools.school_register_rows import register_rows
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor


def add(service: SchoolsService, actor: Actor, urn: int, name: str, **kw: object) -> int:
    data = SchoolInput(urn=urn, name=name, la_code="211", establishment_number=str(urn)[-4:])
    for key, value in kw.items():
        setattr(data, key, value)
    return service.create_school(actor, data).id


def test_the_register_comes_by_name_ignoring_case_then_urn(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    add(service, actor, 100003, "bow Primary")
    add(service, actor, 100002, "Ash School")
    add(service, actor, 100001, "Bow Primary")
    rows = register_rows(db)
    assert [(r.name, r.urn) for r in rows] == [
        ("Ash School", 100002),
        ("Bow Primary", 100001),
        ("bow Primary", 100003),
    ]


def test_one_school_as_a_line_of_the_table(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    officer = StaffService(db).create_staff(actor, StaffInput("Nadia Rahman", "Officer"))
    school_id = add(
        service,
        actor,
        100229,
        "Bethnal Green Primary School",
        head_title="Ms",
        head_last_name="Rahman",
        link_officer_id=officer.id,
        causing_concern=True,
    )
    add(service, actor, 100230, "Another School")
    [row] = register_rows(db, school_id)
    assert (row.id, row.urn, row.laestab) == (school_id, 100229, "211/0229")
    assert row.head_teacher == "Ms Rahman"
    assert row.link_officer == "Nadia Rahman"
    assert row.causing_concern is True
    assert register_rows(db, school_id + 1000) == []


def test_each_row_has_the_status_it_counts_as_today(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    later = date.today() + timedelta(days=10)
    closing = add(service, actor, 100001, "Closing Later", close_date=format_date(later))
    closed = add(
        service, actor, 100002, "Closed", status=SchoolStatus.CLOSED, close_date="31/08/2020"
    )
    by_id = {r.id: r for r in register_rows(db)}
    assert by_id[closing].status is SchoolStatus.OPEN and by_id[closing].close_date == later
    assert by_id[closed].status is SchoolStatus.CLOSED
    assert by_id[closed].close_date == date(2020, 8, 31)
