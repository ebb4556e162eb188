"""Refreshing pupil numbers from a CSV or Excel file, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import School
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.import_preview import ImportPreview
from thep_desktop.services.import_export.pupil_import import PupilNumbersService
from thep_desktop.services.import_export.tabular import ImportFileError
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"


@pytest.fixture
def service(db: Database, actor: Actor) -> PupilNumbersService:
    """The four real GIAS schools in the register (100492 has 237 pupils, census 18/01/2018)."""
    gias = GiasImportService(db)
    gias.apply(actor, gias.preview(actor, FIXTURES / "gias-sample-rows-2018.csv", la_code=None))
    return PupilNumbersService(db)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def pupils(db: Database) -> dict[int, tuple[int | None, date | None]]:
    with db.read_session() as s:
        rows = s.execute(select(School.urn, School.pupils_on_roll, School.pupils_census_date))
        return {r[0]: (r[1], r[2]) for r in rows}


def test_preview_apply_and_reimport(service, db, actor, tmp_path):
    path = write_csv(
        tmp_path / "census.csv",
        "URN,Number of pupils,Census date\n100492,241,16/01/2025\n100459,1104,18/01/2018\n",
    )
    preview = service.preview(actor, path)
    assert preview.kind == "pupils" and preview.la_code is None
    assert preview.counts() == {"new": 0, "changed": 1, "closed": 0, "rejected": 0, "unchanged": 1}
    item = preview.changed[0]
    assert (item.urn, item.name) == (100492, "St Thomas' CofE Primary School")
    assert [(c.field, c.old, c.new) for c in item.changes] == [
        ("pupils_on_roll", "237", "241"),
        ("pupils_census_date", "18/01/2018", "16/01/2025"),
    ]
    assert pupils(db)[100492] == (237, date(2018, 1, 18))  # a preview changes nothing
    result = service.apply(actor, preview)
    assert str(result) == "0 new schools, 1 updated, 0 closed"
    assert pupils(db)[100492] == (241, date(2025, 1, 16))
    school = SchoolsService(db).get_school_by_urn(actor, 100492)
    assert school.version == 2 and school.updated_by == actor.name
    assert school.diocese == "Diocese of London"  # nothing else touched
    again = service.preview(actor, path)
    assert again.unchanged == 2 and not again.has_changes
    json.dumps(again.to_dict())


def test_loose_column_names_and_gias_style_dates(service, db, actor, tmp_path):
    path = write_csv(
        tmp_path / "p.csv", '"NumberOfPupils","CensusDate","URN"\n"250","16-01-2025","100494"\n'
    )
    preview = service.preview(actor, path)
    assert preview.changed[0].values == {
        "pupils_on_roll": 250,
        "pupils_census_date": date(2025, 1, 16),
    }


def test_xlsx_with_numbers_and_dates(service, db, actor, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["URN", "Pupils", "Census date"])
    workbook.active.append([100492, 300, datetime(2025, 1, 16)])
    workbook.active.append([100459, 1200.0, datetime(2025, 1, 16)])
    path = tmp_path / "census.xlsx"
    workbook.save(path)
    service.apply(actor, service.preview(actor, path))
    got = pupils(db)
    assert got[100492] == (300, date(2025, 1, 16))
    assert got[100459] == (1200, date(2025, 1, 16))


def test_bad_rows_rejected_with_reasons(service, db, actor, tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        "URN,Pupils,Census date\n"
        "999999,10,16/01/2025\n"  # not in the register
        "100492,-4,16/01/2025\n"  # negative
        "100459,lots,16/01/2025\n"  # not a number
        "12345,10,16/01/2025\n"  # not a URN
        "100494,,16/01/2025\n"  # no number
        "100171,10,31/02/2025\n"  # not a date
        ",,\n"  # a blank line is skipped, not counted
        "100100,900,\n",  # no census date, and no such school: the URN is reported
    )
    preview = service.preview(actor, path)
    got = [(r.row_number, r.column, r.value) for r in preview.rejected]
    assert got == [
        (2, "URN", "999999"),
        (3, "Pupils", "-4"),
        (4, "Pupils", "lots"),
        (5, "URN", "12345"),
        (6, "Pupils", ""),
        (7, "Census date", "31/02/2025"),
        (9, "URN", "100100"),
    ]
    reasons = [r.reason for r in preview.rejected]
    assert "no school with URN 999999" in reasons[0]
    assert "cannot be less than 0" in reasons[1]
    assert "whole number" in reasons[2]
    assert "not a real date" in reasons[5]
    assert preview.rows_read == 7 == preview.rejected_rows
    assert not preview.has_changes
    before = pupils(db)
    service.apply(actor, preview)
    assert pupils(db) == before


def test_blank_census_dates_take_the_date_given_for_the_file(service, db, actor, tmp_path):
    path = write_csv(tmp_path / "p.csv", "URN,Pupils,Census date\n100492,240,\n100459,1000,\n")
    without = service.preview(actor, path)
    assert [(r.row_number, r.column, r.value) for r in without.rejected] == [
        (2, "Census date", ""),
        (3, "Census date", ""),
    ]
    assert "census date" in without.rejected[0].reason and not without.has_changes
    preview = service.preview(actor, path, census_date="16/01/2025")
    assert preview.rejected == []
    assert {c.values["pupils_census_date"] for c in preview.changed} == {date(2025, 1, 16)}
    start = pupils(db)
    with pytest.raises(ValidationError):
        service.preview(actor, path, census_date="not a date")
    assert pupils(db) == start


def test_file_without_census_column_needs_a_census_date(service, db, actor, tmp_path):
    path = write_csv(tmp_path / "p.csv", "URN,Number of pupils\n100492,240\n")
    start = pupils(db)
    with pytest.raises(ImportFileError, match="Census date"):
        service.preview(actor, path)
    assert pupils(db) == start
    preview = service.preview(actor, path, census_date=date(2025, 1, 16))
    assert preview.changed[0].values["pupils_census_date"] == date(2025, 1, 16)


def test_wrong_files_refused(service, db, actor, tmp_path):
    start = pupils(db)
    with pytest.raises(ImportFileError, match="Number of pupils"):
        service.preview(actor, FIXTURES / "dfe-ks4-school-info-tower-hamlets-2023-24.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        service.preview(actor, empty)
    dupes = write_csv(
        tmp_path / "d.csv", "URN,Pupils,Census date\n100492,1,1/1/2025\n100492,2,1/1/2025\n"
    )
    with pytest.raises(ImportFileError, match="URN 100492 twice, in rows 2 and 3"):
        service.preview(actor, dupes)
    assert pupils(db) == start


def test_conflict_and_cancel(service, db, actor, tmp_path):
    path = write_csv(tmp_path / "p.csv", "URN,Pupils,Census date\n100492,241,16/01/2025\n")
    preview = service.preview(actor, path)
    progress = Progress(lambda d, t, m: progress.cancel())
    with pytest.raises(Cancelled):
        service.apply(actor, preview, progress)
    assert pupils(db)[100492] == (237, date(2018, 1, 18))
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100492)
    data = school.as_input()
    data.notes = "edited meanwhile"
    schools.update_school(Actor("sam"), school.id, school.version, data)
    with pytest.raises(ConflictError, match="St Thomas' CofE Primary School"):
        service.apply(actor, preview)
    assert pupils(db)[100492] == (237, date(2018, 1, 18))


def test_permissions_and_kinds(service, db, actor, tmp_path):
    start = pupils(db)
    viewer = Actor("val", Role.VIEWER)
    path = write_csv(tmp_path / "p.csv", "URN,Pupils,Census date\n100492,241,16/01/2025\n")
    with pytest.raises(PermissionDeniedError):
        service.preview(viewer, path)
    with pytest.raises(ValueError):
        service.apply(actor, ImportPreview("gias", "x.csv", None))
    assert pupils(db) == start
