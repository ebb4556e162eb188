"""A school's Ofsted history and dated notes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.ofsted import InspectionKind, Outcome, OverallGrade
from thep_desktop.models import AppUser, AuditEvent, OfstedInspection, SchoolNote
from thep_desktop.services.schools.ofsted_service import InspectionInput, OfstedService
from thep_desktop.services.schools.school_notes_service import NoteInput, SchoolNotesService
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)


@pytest.fixture
def school_id(db: Database, actor: Actor) -> int:
    return (
        SchoolsService(db)
        .create_school(actor, SchoolInput(urn=100229, name="St Mary & St John CE Primary"))
        .id
    )


def count(db: Database, model: type) -> int:
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def trail(db: Database, table: str) -> list[str]:
    """What the audit trail holds of the table (who is the server's login on PostgreSQL)."""
    with db.read_session() as session:
        return [
            e.action
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.seq)
            )
        ]


def test_inspections_are_kept_newest_first_with_their_outcome(
    db: Database, actor: Actor, school_id: int
) -> None:
    ofsted = OfstedService(db)
    ofsted.add_inspection(
        actor, school_id, InspectionInput("12/03/2019", "graded", "02/04/2019", "Good")
    )
    ofsted.add_inspection(actor, school_id, InspectionInput(date(2023, 5, 9), "ungraded"))
    card = ofsted.add_inspection(
        actor,
        school_id,
        InspectionInput(
            date(2025, 11, 20),
            InspectionKind.REPORT_CARD,
            safeguarding="met",
            areas={"inclusion": "strong", "achievement": "Needs attention"},
            report_url="https://reports.ofsted.gov.uk/provider/21/100229",
        ),
    )
    found = ofsted.list_inspections(actor, school_id)
    assert [i.inspected_on for i in found] == [
        date(2025, 11, 20),
        date(2023, 5, 9),
        date(2019, 3, 12),
    ]
    assert [i.source for i in found] == ["office"] * 3
    assert found[2].overall_grade is OverallGrade.GOOD
    assert found[2].published_on == date(2019, 4, 2)
    assert found[1].outcome_words == "Ungraded inspection (no new grade)"
    assert card.record.outcome is Outcome.NEEDS_ATTENTION
    assert card.outcome_words == (
        "Safeguarding met; Inclusion: Strong standard; Achievement: Needs attention"
    )
    assert card.to_dict()["areas"] == {"inclusion": "strong", "achievement": "needs_attention"}
    assert trail(db, "ofsted_inspection") == ["create"] * 3


def test_wrong_inspections_are_refused_field_by_field_and_nothing_is_saved(
    db: Database, actor: Actor, school_id: int
) -> None:
    ofsted = OfstedService(db)
    with pytest.raises(ValidationError) as refused:
        ofsted.add_inspection(
            actor,
            school_id,
            InspectionInput(date(2024, 10, 1), "graded", date(2024, 9, 1), "good", report_url="x"),
        )
    assert refused.value.field_errors == {
        "published_on": "The report is published on or after the inspection date",
        "overall_grade": "Ofsted stopped giving an overall grade from September 2024",
        "report_url": "The report's address must start with http:// or https://",
    }
    with pytest.raises(ValidationError) as refused:
        ofsted.add_inspection(
            actor, school_id, InspectionInput(date.today() + timedelta(days=1), "monitoring")
        )
    assert refused.value.field_errors == {
        "inspected_on": "The inspection date cannot be in the future"
    }
    with pytest.raises(ValidationError) as refused:
        ofsted.add_inspection(actor, school_id, InspectionInput("", "section 5"))
    assert set(refused.value.field_errors) == {"inspected_on", "kind"}
    with pytest.raises(ValidationError) as refused:
        ofsted.add_inspection(actor, school_id, InspectionInput(date(2025, 12, 1), "report_card"))
    assert set(refused.value.field_errors) == {"safeguarding", "areas"}
    assert count(db, OfstedInspection) == 0
    assert trail(db, "ofsted_inspection") == []


def test_one_inspection_a_day_and_changes_need_the_version_read(
    db: Database, actor: Actor, school_id: int
) -> None:
    ofsted = OfstedService(db)
    first = ofsted.add_inspection(
        actor, school_id, InspectionInput("12/03/2019", "graded", None, "good")
    )
    with pytest.raises(ValidationError) as refused:
        ofsted.add_inspection(actor, school_id, InspectionInput("2019-03-12", "monitoring"))
    assert refused.value.field_errors["inspected_on"].startswith(
        "This school already has an inspection on 12/03/2019"
    )
    second = ofsted.add_inspection(actor, school_id, InspectionInput("2021-06-01", "monitoring"))
    with pytest.raises(ValidationError):  # moved onto the first one's day
        ofsted.update_inspection(
            actor, second.id, second.version, InspectionInput("2019-03-12", "monitoring")
        )
    changed = ofsted.update_inspection(
        actor,
        first.id,
        first.version,
        InspectionInput("12/03/2019", "graded", None, "requires_improvement", notes="Corrected"),
    )
    assert changed.overall_grade is OverallGrade.REQUIRES_IMPROVEMENT
    assert changed.version == first.version + 1
    with pytest.raises(ConflictError):
        ofsted.update_inspection(actor, first.id, first.version, first.as_input())
    with pytest.raises(ConflictError):
        ofsted.delete_inspection(actor, first.id, first.version)
    assert ofsted.get_inspection(actor, first.id).notes == "Corrected"
    ofsted.delete_inspection(actor, first.id, changed.version)
    assert [i.id for i in ofsted.list_inspections(actor, school_id)] == [second.id]
    assert trail(db, "ofsted_inspection") == [
        "create",
        "create",
        "update",
        "delete",
    ]


def test_a_reader_cannot_record_inspections_or_notes(
    db: Database, actor: Actor, school_id: int
) -> None:
    reader = Actor("rita.reader", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        OfstedService(db).add_inspection(reader, school_id, InspectionInput("2019-03-12", "graded"))
    with pytest.raises(PermissionDeniedError):
        SchoolNotesService(db).add_note(reader, school_id, NoteInput("2026-01-15", "Visited"))
    assert count(db, OfstedInspection) == 0 and count(db, SchoolNote) == 0
    assert OfstedService(db).list_inspections(reader, school_id) == []


def test_notes_newest_first_with_their_author(db: Database, actor: Actor, school_id: int) -> None:
    staff = StaffService(db).create_staff(actor, StaffInput(full_name="Priya Shah"))
    notes = SchoolNotesService(db)
    older = notes.add_note(
        actor,
        school_id,
        NoteInput("15/01/2026", "Visited; <b>new</b> head settling in", "Link visit", staff.id),
    )
    newer = notes.add_note(
        actor,
        school_id,
        NoteInput(date(2026, 3, 2), "=SUM(A1) rang about fees", "", None, " Sam  Lee "),
    )
    found = notes.list_notes(actor, school_id)
    assert [(n.id, n.author, n.noted_on) for n in found] == [
        (newer.id, "Sam Lee", date(2026, 3, 2)),
        (older.id, "Priya Shah", date(2026, 1, 15)),
    ]
    assert found[1].text == "Visited; <b>new</b> head settling in"
    assert found[0].to_dict()["noted_on"] == "2026-03-02"
    changed = notes.update_note(
        actor, older.id, older.version, NoteInput("15/01/2026", "Visited again", "Link visit")
    )
    assert (changed.text, changed.author) == ("Visited again", "")
    with pytest.raises(ConflictError):
        notes.update_note(actor, older.id, older.version, older.as_input())
    notes.delete_note(actor, newer.id, newer.version)
    assert [n.id for n in notes.list_notes(actor, school_id)] == [older.id]
    assert trail(db, "school_note") == [
        "create",
        "create",
        "update",
        "delete",
    ]


def test_a_note_needs_a_date_not_to_come_and_its_text(
    db: Database, actor: Actor, school_id: int
) -> None:
    notes = SchoolNotesService(db)
    with pytest.raises(ValidationError) as refused:
        notes.add_note(actor, school_id, NoteInput("", "  "))
    assert refused.value.field_errors == {
        "noted_on": "Give the date of the note",
        "text": "Note is required",
    }
    with pytest.raises(ValidationError) as refused:
        notes.add_note(actor, school_id, NoteInput(date.today() + timedelta(days=1), "Later"))
    assert refused.value.field_errors == {"noted_on": "The note's date cannot be in the future"}
    with pytest.raises(ValidationError) as refused:
        notes.add_note(actor, school_id, NoteInput(date.today(), "Who?", author_id=987654))
    assert refused.value.field_errors == {"author_id": "That person is no longer on the staff list"}
    assert count(db, SchoolNote) == 0


def test_the_default_author_is_the_staff_member_named_as_the_user(
    db: Database, actor: Actor
) -> None:
    notes = SchoolNotesService(db)
    assert notes.default_author(actor) is None  # no such user: no link, a blank author
    staff = StaffService(db).create_staff(actor, StaffInput(full_name="Jo Bloggs"))
    with db.session() as session:
        session.add(
            AppUser(
                login="jo.bloggs",
                full_name="jo  bloggs",
                role=Role.ADMIN,
                created_by="t",
                updated_by="t",
            )
        )
    assert notes.default_author(actor) == staff.id
    assert notes.default_author(Actor("someone.else", Role.STAFF)) is None


def test_the_register_shows_each_school_s_latest_outcome_with_its_date(
    db: Database, actor: Actor, school_id: int
) -> None:
    schools = SchoolsService(db)
    other = schools.create_school(actor, SchoolInput(urn=100230, name="Bow Primary")).id
    assert schools.school_row(actor, school_id).ofsted_grade == "Not yet inspected"
    ofsted = OfstedService(db)
    ofsted.add_inspection(actor, school_id, InspectionInput("2017-01-10", "graded", None, "good"))
    ofsted.add_inspection(
        actor, school_id, InspectionInput("2019-03-12", "graded", None, "requires improvement")
    )
    # An ungraded inspection later gives no outcome of its own: the grade stands.
    ofsted.add_inspection(actor, school_id, InspectionInput("2022-06-07", "ungraded"))
    ofsted.add_inspection(
        actor,
        other,
        InspectionInput(
            "2025-11-20", "report_card", safeguarding="met", areas={"inclusion": "strong"}
        ),
    )
    rows = {r.id: r.ofsted_grade for r in schools.list_schools(actor)}
    assert rows == {
        school_id: "Requires improvement (12/03/2019)",
        other: "Report card: every area expected standard or better (20/11/2025)",
    }
    assert schools.school_row(actor, other).ofsted_grade == rows[other]
