"""GIAS's Ofsted rating and date become an inspection only on a day the school has none:
never overwriting the office's or an earlier import's, and a file without Ofsted removes
nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from gias_files import HEADER_2025, gias_row, write_gias
from sqlalchemy import select, update

from thep_desktop.database import Database
from thep_desktop.models import AuditEvent, OfstedInspection, School
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.schools.ofsted_service import InspectionInput, OfstedService
from thep_desktop.services.shared.actor import Actor


def history(db: Database) -> list[tuple[int, date, str, str, str, str]]:
    with db.read_session() as session:
        rows = session.execute(
            select(
                School.urn,
                OfstedInspection.inspected_on,
                OfstedInspection.kind,
                OfstedInspection.overall_grade,
                OfstedInspection.source,
                OfstedInspection.notes,
            )
            .join(School, School.id == OfstedInspection.school_id)
            .order_by(School.urn, OfstedInspection.inspected_on)
        )
        return [(u, d, str(k), str(g), s, n) for u, d, k, g, s, n in rows]


def test_new_schools_get_their_gias_inspection(
    service: GiasImportService, db: Database, actor: Actor, tmp_path
) -> None:
    path = write_gias(
        tmp_path / "edubase.csv",
        [
            gias_row(100001, **{"OfstedRating (name)": "Requires improvement"}),
            gias_row(100002, **{"OfstedRating (name)": "Serious Weaknesses"}),
            gias_row(100003, **{"OfstedRating (name)": "", "OfstedLastInsp": ""}),
            gias_row(100004, **{"OfstedRating (name)": "Good", "OfstedLastInsp": "02-10-2024"}),
        ],
    )
    preview = service.preview(actor, path, la_code="211")
    assert len(preview.inspections) == 3
    assert preview.inspections_words == (
        "3 Ofsted inspections from GIAS will be added (only on dates the schools have none, "
        "and not one the office deleted)"
    )
    assert preview.to_dict()["inspections_to_add"] == 3
    assert history(db) == []  # a preview changes nothing
    result = service.apply(actor, preview)
    assert result.inspections == 3
    assert history(db) == [
        (100001, date(2019, 11, 5), "graded", "requires_improvement", "gias",
         "From GIAS: Requires improvement"),
        (100002, date(2019, 11, 5), "graded", "inadequate", "gias",
         "From GIAS: Serious Weaknesses"),
        # From September 2024 Ofsted gave no overall grade: GIAS's words stay in the notes.
        (100004, date(2024, 10, 2), "graded", "", "gias", "From GIAS: Good"),
    ]  # fmt: skip
    with db.read_session() as session:
        school = session.scalar(select(School).where(School.urn == 100001))
        assert school is not None
        assert (school.ofsted_grade, school.ofsted_date) == (
            "Requires improvement",
            date(2019, 11, 5),
        )
        created = session.scalars(
            select(AuditEvent.action).where(AuditEvent.table_name == "ofsted_inspection")
        ).all()
    assert created == ["create"] * 3


def test_an_inspection_the_office_deleted_is_not_brought_back_by_a_later_import(
    service: GiasImportService, db: Database, actor: Actor, tmp_path
) -> None:
    rows = [gias_row(100001), gias_row(100002)]
    first = service.preview(actor, write_gias(tmp_path / "a.csv", rows), la_code=None)
    service.apply(actor, first)
    ofsted = OfstedService(db)
    with db.read_session() as session:
        ids = dict(session.execute(select(School.urn, School.id)).all())
    for school in (100001, 100002):
        (wrong,) = ofsted.list_inspections(actor, ids[school])
        ofsted.delete_inspection(actor, wrong.id, wrong.version)
    assert history(db) == []
    # The same file again next month: GIAS still carries both; neither comes back.
    again = service.preview(actor, write_gias(tmp_path / "c.csv", rows), la_code=None)
    assert again.inspections == [] and again.inspections_words == ""
    assert service.apply(actor, again).inspections == 0
    assert history(db) == []
    # The office may enter it again itself, and then it is kept as any other.
    ofsted.add_inspection(actor, ids[100002], InspectionInput(date(2019, 11, 5), "ungraded"))
    assert history(db) == [(100002, date(2019, 11, 5), "ungraded", "", "office", "")]
    # A newer inspection in GIAS is added as usual.
    later = write_gias(
        tmp_path / "d.csv",
        [gias_row(100001, **{"OfstedRating (name)": "Good", "OfstedLastInsp": "14-03-2023"})],
    )
    preview = service.preview(actor, later, la_code=None)
    assert [(i.urn, i.inspected_on) for i in preview.inspections] == [(100001, date(2023, 3, 14))]
    service.apply(actor, preview)
    assert history(db) == [
        (100001, date(2023, 3, 14), "graded", "good", "gias", "From GIAS: Good"),
        (100002, date(2019, 11, 5), "ungraded", "", "office", ""),
    ]


def test_an_inspection_already_kept_is_never_overwritten_and_a_later_one_is_added(
    service: GiasImportService, db: Database, actor: Actor, tmp_path
) -> None:
    service.apply(
        actor,
        service.preview(actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]), la_code=None),
    )
    ofsted = OfstedService(db)
    with db.read_session() as session:
        school_id = session.scalar(select(School.id).where(School.urn == 100001))
    assert school_id is not None
    # The office corrects GIAS's inspection and records one of its own.
    (gias,) = ofsted.list_inspections(actor, school_id)
    ofsted.update_inspection(
        actor,
        gias.id,
        gias.version,
        InspectionInput(date(2019, 11, 5), "graded", None, "outstanding", notes="Checked"),
    )
    ofsted.add_inspection(actor, school_id, InspectionInput(date(2022, 6, 7), "ungraded"))
    before = history(db)
    # GIAS says something else for the same date: nothing changes.
    same_day = write_gias(
        tmp_path / "b.csv", [gias_row(100001, **{"OfstedRating (name)": "Inadequate"})]
    )
    preview = service.preview(actor, same_day, la_code=None)
    assert preview.inspections == []
    assert service.apply(actor, preview).inspections == 0
    assert history(db) == before
    # A later inspection in GIAS is added beside them.
    later = write_gias(
        tmp_path / "c.csv",
        [gias_row(100001, **{"OfstedRating (name)": "Good", "OfstedLastInsp": "14-03-2023"})],
    )
    preview = service.preview(actor, later, la_code=None)
    assert [(i.urn, i.inspected_on) for i in preview.inspections] == [(100001, date(2023, 3, 14))]
    service.apply(actor, preview)
    assert history(db) == [
        (100001, date(2019, 11, 5), "graded", "outstanding", "gias", "Checked"),
        (100001, date(2022, 6, 7), "ungraded", "", "office", ""),
        (100001, date(2023, 3, 14), "graded", "good", "gias", "From GIAS: Good"),
    ]
    assert history(db)[:2] == before


def test_a_file_without_ofsted_columns_removes_nothing(
    service: GiasImportService, db: Database, actor: Actor, tmp_path
) -> None:
    service.apply(
        actor,
        service.preview(actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]), la_code=None),
    )
    before = history(db)
    assert len(before) == 1
    renamed = gias_row(100001, EstablishmentName="Renamed Primary School")
    path = write_gias(tmp_path / "2025.csv", [renamed], header=HEADER_2025)
    preview = service.preview(actor, path, la_code=None)
    assert preview.inspections == [] and len(preview.changed) == 1
    service.apply(actor, preview)
    assert history(db) == before
    with db.read_session() as session:
        school = session.scalar(select(School).where(School.urn == 100001))
        assert school is not None
        assert (school.name, school.ofsted_grade) == ("Renamed Primary School", "Good")


def test_a_spoilt_audit_row_does_not_stop_an_import(
    service: GiasImportService, db: Database, actor: Actor, tmp_path
) -> None:
    rows = [gias_row(100001)]
    service.apply(actor, service.preview(actor, write_gias(tmp_path / "a.csv", rows), la_code=None))
    ofsted = OfstedService(db)
    with db.read_session() as session:
        school_id = session.scalar(select(School.id).where(School.urn == 100001))
    assert school_id is not None
    (wrong,) = ofsted.list_inspections(actor, school_id)
    ofsted.delete_inspection(actor, wrong.id, wrong.version)
    # Someone with the database's owner login spoils the deletion's record (the trail's
    # check finds it): the import still works, and, the deletion unreadable, adds it again.
    with db.engine.begin() as conn:
        if db.is_sqlite:  # the file's owner can take the program's guard off first
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
        conn.execute(
            update(AuditEvent)
            .where(AuditEvent.table_name == "ofsted_inspection", AuditEvent.action == "delete")
            .values(before="{not json")
        )
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", rows), la_code=None)
    assert [(i.urn, i.inspected_on) for i in preview.inspections] == [(100001, date(2019, 11, 5))]
