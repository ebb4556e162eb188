"""The GIAS and pupil numbers imports keep every figure they write for its census date."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from import_checks import import_file, snapshot
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.models import AuditEvent, School, SchoolCensus
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.pupil_import import PupilNumbersService
from thep_desktop.services.schools.school_census import CensusFigure, pupils_at
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError

JAN_2024, JAN_2025, JAN_2026 = date(2024, 1, 18), date(2025, 1, 16), date(2026, 1, 15)


def figures(db: Database) -> list[tuple[int, date, int, str]]:
    with db.read_session() as s:
        rows = s.execute(
            select(School.urn, SchoolCensus.census_date, SchoolCensus.pupils, SchoolCensus.source)
            .join(School, School.id == SchoolCensus.school_id)
            .order_by(School.urn, SchoolCensus.census_date)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def census_events(db: Database) -> list[tuple[str, str, dict, dict]]:
    """The audit trail's rows for census figures: action, label, before, after."""
    with db.read_session() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.record_label, AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.table_name == "school_census")
            .order_by(AuditEvent.seq)
        )
        return [(a, label, json.loads(b or "{}"), json.loads(c or "{}")) for a, label, b, c in rows]


def kept_uuids(db: Database) -> set:
    with db.read_session() as s:
        return set(s.scalars(select(SchoolCensus.uuid)))


def test_a_gias_import_keeps_each_new_schools_figure(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    rows = [
        gias_row(100001, NumberOfPupils="420", CensusDate="18-01-2024"),
        gias_row(100002, NumberOfPupils="", CensusDate=""),  # no figure
        gias_row(100003, NumberOfPupils="35", CensusDate=""),  # a number with no census date
    ]
    import_file(service, actor, write_gias(tmp_path / "a.csv", rows))
    assert figures(db) == [(100001, JAN_2024, 420, "gias")]
    events = census_events(db)
    assert len(events) == 1
    action, label, before, after = events[0]
    assert (action, label, before) == ("create", "School 100001", {})
    assert (after["pupils"], after["census_date"], after["source"]) == (420, "2024-01-18", "gias")
    with db.read_session() as s:
        school_id = s.scalar(select(School.id).where(School.urn == 100001))
        made = s.scalar(select(SchoolCensus.uuid))
    assert after["school_id"] == school_id and after["uuid"] == str(made)


def test_a_later_gias_extract_adds_the_new_census_and_keeps_the_old(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    first = [gias_row(100001), gias_row(100002, NumberOfPupils="210")]
    import_file(service, actor, write_gias(tmp_path / "a.csv", first))
    later = [
        gias_row(100001, NumberOfPupils="431", CensusDate="16-01-2025"),
        gias_row(100002, NumberOfPupils="214"),  # the same census, its number corrected
    ]
    preview, result = import_file(service, actor, write_gias(tmp_path / "b.csv", later))
    assert len(preview.changed) == 2
    assert figures(db) == [
        (100001, JAN_2024, 420, "gias"),
        (100001, JAN_2025, 431, "gias"),
        (100002, JAN_2024, 214, "gias"),  # updated, not kept twice
    ]
    events = census_events(db)
    assert [e[0] for e in events] == ["create", "create", "create", "update"]
    assert events[-1][1:] == (
        "School 100002",
        {"pupils": 210, "source": "gias"},
        {"pupils": 214, "source": "gias"},
    )
    # The school's own figure is its latest.
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert (school.pupils_on_roll, school.pupils_census_date) == (431, JAN_2025)
    with db.read_session() as s:
        assert pupils_at(s, [school.id], date(2024, 12, 31)) == {
            school.id: CensusFigure(420, JAN_2024)
        }
    # The same extract again changes nothing and records nothing.
    again, _ = import_file(service, actor, write_gias(tmp_path / "b.csv", later))
    assert not again.has_changes and len(census_events(db)) == 4


def test_a_gias_figure_updates_one_the_form_kept_for_the_same_census(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    typed = replace(school.as_input(), pupils_on_roll="425", pupils_census_date="16/01/2025")
    schools.update_school(actor, school.id, school.version, typed)
    row = gias_row(100001, NumberOfPupils="427", CensusDate="16-01-2025")
    import_file(service, actor, write_gias(tmp_path / "b.csv", [row]))
    assert figures(db) == [(100001, JAN_2024, 420, "gias"), (100001, JAN_2025, 427, "gias")]


def test_an_older_gias_census_leaves_the_figures_as_they_are(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    row = gias_row(100001, NumberOfPupils="431", CensusDate="16-01-2025")
    import_file(service, actor, write_gias(tmp_path / "a.csv", [row]))
    old = gias_row(100001, NumberOfPupils="999", CensusDate="18-01-2024", EstablishmentName="New")
    import_file(service, actor, write_gias(tmp_path / "b.csv", [old]))
    assert SchoolsService(db).get_school_by_urn(actor, 100001).name == "New"
    assert figures(db) == [(100001, JAN_2025, 431, "gias")]


def test_a_refused_gias_import_keeps_no_figure(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    later = [
        gias_row(100001, NumberOfPupils="431", CensusDate="16-01-2025"),
        gias_row(100004, NumberOfPupils="99", CensusDate="16-01-2025"),
    ]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", later), la_code=None)
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    other = Actor("sam.other")
    schools.update_school(other, school.id, school.version, replace(school.as_input(), notes="x"))
    before = (snapshot(db), figures(db), census_events(db), kept_uuids(db))
    with pytest.raises(ConflictError):
        service.apply(actor, preview)
    assert (snapshot(db), figures(db), census_events(db), kept_uuids(db)) == before


# -- the pupil numbers import -------------------------------------------------------------------
def write_csv(path: Path, text: str) -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_the_pupil_numbers_import_keeps_each_figure(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    rows = [gias_row(100001), gias_row(100002), gias_row(100003, NumberOfPupils="", CensusDate="")]
    import_file(service, actor, write_gias(tmp_path / "a.csv", rows))
    pupils = PupilNumbersService(db)
    path = write_csv(
        tmp_path / "census.csv",
        "URN,Number of pupils,Census date\n"
        "100001,433,16/01/2025\n"  # a new census
        "100002,402,18/01/2024\n"  # the same census, corrected
        "100003,61,16/01/2025\n",  # a school that had no figure
    )
    pupils.apply(actor, pupils.preview(actor, path))
    assert figures(db) == [
        (100001, JAN_2024, 420, "gias"),
        (100001, JAN_2025, 433, "pupil import"),
        (100002, JAN_2024, 402, "pupil import"),
        (100003, JAN_2025, 61, "pupil import"),
    ]
    assert [e[0] for e in census_events(db)] == ["create"] * 2 + ["create", "update", "create"]
    # A census date given for the whole file.
    path = write_csv(tmp_path / "jan26.csv", "URN,Number of pupils\n100001,440\n")
    pupils.apply(actor, pupils.preview(actor, path, census_date="15/01/2026"))
    assert figures(db)[:3] == [
        (100001, JAN_2024, 420, "gias"),
        (100001, JAN_2025, 433, "pupil import"),
        (100001, JAN_2026, 440, "pupil import"),
    ]


def test_rejected_pupil_rows_keep_no_figure(
    service: GiasImportService, db: Database, actor: Actor, tmp_path: Path
):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    pupils = PupilNumbersService(db)
    path = write_csv(
        tmp_path / "bad.csv",
        "URN,Number of pupils,Census date\n100001,-4,16/01/2025\n100009,50,16/01/2025\n",
    )
    before = (figures(db), census_events(db))
    preview = pupils.preview(actor, path)
    assert preview.rejected_rows == 2
    pupils.apply(actor, preview)
    assert (figures(db), census_events(db)) == before
