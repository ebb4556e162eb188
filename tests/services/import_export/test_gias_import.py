"""Importing the GIAS establishment extract, on SQLite and PostgreSQL.

Files are built from the real GIAS headers kept in tests/fixtures (copied from the DfE files):
the 133-column 2018 extract with Ofsted, and the 2023-2025 columns without Ofsted (as GIAS
publishes since April 2025).
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from gias_files import (  # noqa: E402 - tests/gias_files.py
    FIXTURES,
    HEADER_2018,
    HEADER_2025,
    gias_row,
    gias_text,
    write_gias,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import School, SchoolStatus
from thep_desktop.services.import_export import gias_import
from thep_desktop.services.import_export.gias_import import (
    GiasImportService,
    ImportFileError,
    ImportPreview,
    ImportResult,
)
from thep_desktop.services.schools.schools_service import ContactInput, SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ConflictError, PermissionDeniedError


def school_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(School.id))) or 0


def snapshot(db: Database) -> list[tuple]:
    with db.read_session() as s:
        return [tuple(r) for r in s.execute(select(School.__table__).order_by(School.id))]


@pytest.fixture
def service(db: Database) -> GiasImportService:
    return GiasImportService(db)


def import_file(service: GiasImportService, actor: Actor, path: Path, la_code=None):
    preview = service.preview(actor, path, la_code=la_code)
    return preview, service.apply(actor, preview)


# -- the real file and the formats GIAS uses ------------------------------------------------------
def test_real_2018_rows_import_with_every_detail(service, db, actor):
    """The 4 real DfE rows: quoted headers, bare numbers, dd-mm-yyyy, placeholders as blank."""
    preview = service.preview(actor, FIXTURES / "gias-sample-rows-2018.csv", la_code=None)
    assert preview.kind == "gias"
    assert preview.rows_read == 4
    assert preview.counts() == {"new": 4, "changed": 0, "closed": 0, "rejected": 0, "unchanged": 0}
    assert preview.warnings == []
    assert school_count(db) == 0  # a preview changes nothing
    result = service.apply(actor, preview)
    assert str(result) == "4 new schools, 0 updated, 0 closed"
    school = SchoolsService(db).get_school_by_urn(actor, 100492)
    assert school.name == "St Thomas' CofE Primary School"
    assert (school.la_code, school.establishment_number) == ("207", "3402")
    assert school.establishment_type == "Voluntary aided school"
    assert school.phase == "Primary"
    assert school.status == SchoolStatus.OPEN
    assert (school.statutory_low_age, school.statutory_high_age) == (3, 11)
    assert (school.pupils_on_roll, school.pupils_census_date) == (237, date(2018, 1, 18))
    assert school.religious_character == "Church of England"
    assert school.diocese == "Diocese of London"
    assert school.county == ""  # blank in the file
    assert school.trust == ""
    assert (school.street, school.locality, school.town) == (
        "Appleford Road",
        "North Kensington",
        "London",
    )
    assert school.postcode == "W10 5EF"
    assert school.website == "http://www.st.rbkc.sch.uk"
    assert school.phone == "020 8969 2810"
    assert school.head_teacher == "Ms Sarah Bouette"
    assert school.head_job_title == "Headteacher"
    assert (school.ofsted_grade, school.ofsted_date) == ("Outstanding", date(2014, 11, 5))
    assert school.created_by == actor.name and school.updated_by == actor.name
    assert school.version == 1


def test_windows_1252_curly_apostrophe_commas_two_first_names_closed_blank_pupils(
    service, db, actor, tmp_path
):
    rows = [
        gias_row(
            100001,
            EstablishmentName="Ecole élémentaire Jules Ferry",
            Street="1, Bow Road",
            Locality="Bow, East London",
            HeadFirstName="Mary Anne",
            HeadLastName="O’Brien",
        ),
        gias_row(100002, EstablishmentName="St Mary’s Primary School", NumberOfPupils=""),
        gias_row(
            100003,
            **{"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2020"},
            OpenDate="01-09-1990",
        ),
    ]
    path = write_gias(tmp_path / "edubasealldata.csv", rows)
    raw = path.read_bytes()
    assert b"\xe9l\xe9mentaire" in raw and b"Mary\x92s" in raw and b"\r\n" in raw
    preview, result = import_file(service, actor, path)
    assert preview.rejected == [] and result.created == 3
    schools = SchoolsService(db)
    first = schools.get_school_by_urn(actor, 100001)
    assert first.name == "Ecole élémentaire Jules Ferry"
    assert (first.street, first.locality) == ("1, Bow Road", "Bow, East London")
    assert (first.head_first_name, first.head_last_name) == ("Mary Anne", "O’Brien")
    second = schools.get_school_by_urn(actor, 100002)
    assert second.name == "St Mary’s Primary School"
    assert (second.pupils_on_roll, second.pupils_census_date) == (None, None)
    closed = schools.get_school_by_urn(actor, 100003)
    assert closed.status == SchoolStatus.CLOSED
    assert (closed.open_date, closed.close_date) == (date(1990, 9, 1), date(2020, 8, 31))


def test_open_but_proposed_to_close_stays_open_without_a_closing_date(service, db, actor, tmp_path):
    rows = [
        gias_row(100001, **{"EstablishmentStatus (name)": "Open, but proposed to close"}),
        gias_row(100002, **{"EstablishmentStatus (name)": "Proposed to open"}),
    ]
    rows[0]["CloseDate"] = "31-08-2030"
    import_file(service, actor, write_gias(tmp_path / "g.csv", rows))
    schools = SchoolsService(db)
    first = schools.get_school_by_urn(actor, 100001)
    assert (first.status, first.close_date) == (SchoolStatus.OPEN, None)
    assert schools.get_school_by_urn(actor, 100002).status == SchoolStatus.PROPOSED


def test_utf8_with_and_without_bom_read_the_same(service, db, actor, tmp_path):
    rows = [gias_row(100001, EstablishmentName="St Mary’s École")]
    for encoding in ("utf-8-sig", "utf-8"):
        path = write_gias(tmp_path / f"{encoding}.csv", rows, encoding=encoding)
        preview = service.preview(actor, path, la_code=None)
        assert [n.name for n in preview.new] == ["St Mary’s École"], encoding
        assert preview.new[0].data.urn == 100001


def test_xlsx_with_numbers_and_dates_as_cells(service, db, actor, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    header = HEADER_2018
    sheet.append(header)
    row = gias_row(100492, EstablishmentName="St Mary’s School", HeadFirstName="Mary Anne")
    cells: list[object] = []
    for h in header:
        value = row.get(h, "")
        if h in ("URN", "StatutoryLowAge", "StatutoryHighAge", "NumberOfPupils"):
            cells.append(int(value))
        elif h == "TelephoneNum":
            cells.append(2077391234)  # Excel keeps a phone number typed as a number
        elif h in ("CensusDate", "OfstedLastInsp"):
            cells.append(datetime.strptime(value, "%d-%m-%Y"))
        elif h == "LA (code)":
            cells.append(211)
        else:
            cells.append(value or None)
    sheet.append(cells)
    path = tmp_path / "edubase.xlsx"
    workbook.save(path)
    preview, result = import_file(service, actor, path)
    assert preview.rejected == [] and result.created == 1
    school = SchoolsService(db).get_school_by_urn(actor, 100492)
    assert school.name == "St Mary’s School"
    assert school.la_code == "211"
    assert (school.pupils_on_roll, school.pupils_census_date) == (420, date(2024, 1, 18))
    assert school.ofsted_date == date(2019, 11, 5)
    assert school.phone == "020 7739 1234"  # GIAS gives bare digits; the register spaces them
    assert school.head_first_name == "Mary Anne"
    # The same school from a CSV is the same: nothing to change.
    again = service.preview(actor, write_gias(tmp_path / "g.csv", [row]), la_code=None)
    assert again.counts()["unchanged"] == 1 and not again.has_changes


def test_xlsx_renamed_csv_is_read_as_excel(service, db, actor, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["URN", "EstablishmentName"])
    workbook.active.append([100001, "Globe Primary School"])
    path = tmp_path / "schools.csv"
    workbook.save(path)
    preview = service.preview(actor, path, la_code=None)
    assert [n.name for n in preview.new] == ["Globe Primary School"]


def test_2025_columns_without_ofsted_warn_and_keep_grades(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "2018.csv", [gias_row(100001)]))
    newer = gias_row(100001, HeadLastName="Begum")
    preview = service.preview(
        actor, write_gias(tmp_path / "2025.csv", [newer], header=HEADER_2025), la_code=None
    )
    assert any("no Ofsted columns" in w and "April 2025" in w for w in preview.warnings)
    assert [c.field for c in preview.changed[0].changes] == ["head_last_name"]
    service.apply(actor, preview)
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert (school.ofsted_grade, school.ofsted_date) == ("Good", date(2019, 11, 5))
    assert school.head_last_name == "Begum"


def test_missing_optional_columns_are_named_and_left_alone(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "full.csv", [gias_row(100001)]))
    header = [h for h in HEADER_2018 if h not in ("Postcode", "TelephoneNum")]
    preview = service.preview(
        actor, write_gias(tmp_path / "part.csv", [gias_row(100001)], header=header), la_code=None
    )
    assert any("“Postcode”" in w and "“TelephoneNum”" in w for w in preview.warnings)
    assert preview.unchanged == 1
    only_required = write_gias(
        tmp_path / "min.csv",
        [{"URN": "100002", "EstablishmentName": "Wapping High School"}],
        header=["URN", "EstablishmentName"],
    )
    preview = service.preview(actor, only_required, la_code=None)
    assert preview.new[0].data.status == SchoolStatus.OPEN


def test_closed_without_a_close_date_column_is_rejected(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    header = [h for h in HEADER_2018 if h != "CloseDate"]
    closing = gias_row(100001, **{"EstablishmentStatus (name)": "Closed"})
    path = write_gias(tmp_path / "b.csv", [closing], header)
    preview = service.preview(actor, path, la_code=None)
    assert [(r.row_number, r.column) for r in preview.rejected] == [(2, "CloseDate")]
    assert "needs the date it closed" in preview.rejected[0].reason


# -- comparing with the register ------------------------------------------------------------------
def test_changes_listed_field_by_field_and_normalised_values_are_not_changes(
    service, db, actor, tmp_path
):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    changed = gias_row(
        100001,
        EstablishmentName="Globe Primary Academy",
        Postcode="e2  6ab",  # the same postcode once normalised
        OfstedLastInsp="12-03-2024",
        NumberOfPupils="431",
        CensusDate="16-01-2025",
    )
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [changed]), la_code=None)
    assert preview.counts()["changed"] == 1
    item = preview.changed[0]
    shown = {c.field: (c.label, c.old, c.new) for c in item.changes}
    assert shown == {
        "name": ("School name", "School 100001", "Globe Primary Academy"),
        "pupils_on_roll": ("Pupils on roll", "420", "431"),
        "pupils_census_date": ("Census date", "18/01/2024", "16/01/2025"),
        "ofsted_date": ("Ofsted inspection date", "05/11/2019", "12/03/2024"),
    }
    assert item.values["ofsted_date"] == date(2024, 3, 12)
    result = service.apply(actor, preview)
    assert (result.created, result.updated, result.closed) == (0, 1, 0)
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert school.name == "Globe Primary Academy" and school.version == 2
    assert school.pupils_on_roll == 431


def test_older_census_in_gias_does_not_replace_a_newer_pupil_figure(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    older = gias_row(100001, NumberOfPupils="390", CensusDate="19-01-2023")
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [older]), la_code=None)
    assert preview.unchanged == 1 and not preview.has_changes


def test_reimport_after_apply_is_idempotent(service, db, actor, tmp_path):
    rows = [gias_row(100000 + i) for i in range(1, 6)]
    rows[1]["EstablishmentStatus (name)"] = "Closed"
    rows[1]["CloseDate"] = "31-08-2021"
    rows[2]["NumberOfPupils"] = ""
    rows[3]["SchoolWebsite"] = "WWW.Example.SCH.uk"
    path = write_gias(tmp_path / "g.csv", rows)
    import_file(service, actor, path)
    before = snapshot(db)
    preview = service.preview(actor, path, la_code=None)
    assert preview.counts() == {"new": 0, "changed": 0, "closed": 0, "rejected": 0, "unchanged": 5}
    assert not preview.has_changes
    assert str(service.apply(actor, preview)) == "0 new schools, 0 updated, 0 closed"
    assert snapshot(db) == before


def test_school_closed_in_gias_goes_to_closed_not_changed(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    closing = gias_row(
        100001,
        **{"EstablishmentStatus (name)": "Closed"},
        CloseDate="31-08-2025",
        EstablishmentName="Renamed on closing",
    )
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [closing]), la_code=None)
    assert preview.changed == []
    assert [(c.urn, c.name, c.close_date) for c in preview.closed] == [
        (100001, "School 100001", date(2025, 8, 31))
    ]
    assert [(c.field, c.new) for c in preview.closed[0].changes] == [("name", "Renamed on closing")]
    assert str(service.apply(actor, preview)) == "0 new schools, 0 updated, 1 closed"
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert (school.status, school.close_date) == (SchoolStatus.CLOSED, date(2025, 8, 31))
    assert school.name == "Renamed on closing"
    assert school.version == 2 and school.updated_by == actor.name
    again = service.preview(actor, write_gias(tmp_path / "b.csv", [closing]), la_code=None)
    assert again.unchanged == 1 and not again.has_changes


def test_office_fields_are_never_overwritten(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    officer = StaffService(db).create_staff(actor, StaffInput("Dana Link", "Link officer"))
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    data = replace(
        school.as_input(),
        link_officer_id=officer.id,
        notes="Visit in spring term",
        chair_of_governors="Rev. Alan Holt",
        email="office@example.sch.uk",
        causing_concern=True,
        contacts=[ContactInput("Tom Okafor", "School business manager", "sbm@example.sch.uk")],
    )
    schools.update_school(actor, school.id, school.version, data)
    path = write_gias(tmp_path / "b.csv", [gias_row(100001, EstablishmentName="New name")])
    preview = service.preview(actor, path, la_code=None)
    assert [c.field for c in preview.changed[0].changes] == ["name"]
    service.apply(actor, preview)
    after = schools.get_school_by_urn(actor, 100001)
    assert after.name == "New name"
    assert after.link_officer_id == officer.id
    assert after.notes == "Visit in spring term"
    assert after.chair_of_governors == "Rev. Alan Holt"
    assert after.email == "office@example.sch.uk"
    assert after.causing_concern is True
    assert [c.full_name for c in after.contacts] == ["Tom Okafor"]
    again = service.preview(actor, path, la_code=None)
    assert again.unchanged == 1 and not again.has_changes


def test_la_filter_or_all_england(service, db, actor, tmp_path):
    rows = [
        gias_row(100001),
        gias_row(100002, **{"LA (code)": "202"}),
        gias_row(100003, **{"LA (code)": "211"}),
        gias_row(100004, **{"LA (code)": "999"}),
    ]
    path = write_gias(tmp_path / "g.csv", rows)
    mine = service.preview(actor, path, la_code="211")
    assert (mine.la_code, mine.rows_read, mine.rows_other_la) == ("211", 4, 2)
    assert sorted(n.urn for n in mine.new) == [100001, 100003]
    everyone = service.preview(actor, path, la_code=None)
    assert everyone.rows_other_la == 0 and len(everyone.new) == 4
    none = service.preview(actor, path, la_code="330")
    assert none.rows_other_la == 4 and any("No school" in w for w in none.warnings)


# -- rows refused ---------------------------------------------------------------------------------
def test_bad_values_are_rejected_with_row_column_value_reason_and_the_rest_imported(
    service, db, actor, tmp_path
):
    rows = [
        gias_row(100001),
        gias_row(100002, Postcode="NOT A POSTCODE"),
        gias_row(100003, URN="12345"),
        gias_row(100004, EstablishmentName="x" * 201),
        gias_row(100005, OpenDate="31-02-2020"),
        gias_row(100006, **{"EstablishmentStatus (name)": "Dormant"}),
        gias_row(100007, StatutoryLowAge="11", StatutoryHighAge="4"),
        gias_row(100008, NumberOfPupils="-3"),
        gias_row(100009),
        gias_row(100010, URN="9" * 5000),
    ]
    rows[2]["URN"] = "12345"
    rows[9]["URN"] = "9" * 5000
    preview = service.preview(actor, write_gias(tmp_path / "g.csv", rows), la_code=None)
    got = {(r.row_number, r.column, r.value): r.reason for r in preview.rejected}
    assert set(got) == {
        (3, "Postcode", "NOT A POSTCODE"),
        (4, "URN", "12345"),
        (5, "EstablishmentName", "x" * 201),
        (6, "OpenDate", "31-02-2020"),
        (7, "EstablishmentStatus (name)", "Dormant"),
        (8, "StatutoryHighAge", "4"),
        (9, "NumberOfPupils", "-3"),
        (11, "URN", "9" * 5000),
    }
    assert "not a UK postcode" in got[(3, "Postcode", "NOT A POSTCODE")]
    assert "6 digits" in got[(4, "URN", "12345")]
    assert "at most 200 characters" in got[(5, "EstablishmentName", "x" * 201)]
    assert "not a real date" in got[(6, "OpenDate", "31-02-2020")]
    assert all(reason for reason in got.values())
    assert sorted(n.urn for n in preview.new) == [100001, 100009]
    assert preview.rows_read == 10 and preview.rejected_rows == 8
    service.apply(actor, preview)
    assert school_count(db) == 2


def test_ragged_row_in_the_middle_is_rejected(service, db, actor, tmp_path):
    text = gias_text([gias_row(100001), gias_row(100002), gias_row(100003)])
    lines = text.split("\r\n")
    lines[2] = lines[2] + ',"extra"'
    path = tmp_path / "g.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    preview = service.preview(actor, path, la_code=None)
    assert [(r.row_number, r.column) for r in preview.rejected] == [(3, "")]
    assert "134 values" in preview.rejected[0].reason
    assert len(preview.new) == 2


def check_accounting(preview: ImportPreview) -> None:
    assert preview.rows_read == (
        len(preview.new)
        + len(preview.changed)
        + len(preview.closed)
        + preview.unchanged
        + preview.rejected_rows
        + preview.rows_other_la
    )
    assert all(r.reason for r in preview.rejected)


def test_every_row_is_counted_exactly_once(service, db, actor, tmp_path):
    import_file(
        service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001 + i) for i in range(3)])
    )
    rows = [
        gias_row(100001),  # unchanged
        gias_row(100002, EstablishmentName="Changed"),  # changed
        gias_row(100003, **{"EstablishmentStatus (name)": "Closed"}, CloseDate="01-09-2025"),
        gias_row(100004),  # new
        gias_row(100005, Postcode="??", TelephoneNum="call us"),  # rejected, two problems
        gias_row(100006, **{"LA (code)": "202"}),  # other LA
    ]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", rows), la_code="211")
    assert preview.counts() == {"new": 1, "changed": 1, "closed": 1, "rejected": 1, "unchanged": 1}
    assert len(preview.rejected) == 2 and preview.rows_other_la == 1
    check_accounting(preview)
    data = json.loads(json.dumps(preview.to_dict()))
    assert data["counts"] == preview.counts()
    assert data["rows_read"] == 6 and data["la_code"] == "211"
    assert data["closed"][0]["close_date"] == "2025-09-01"
    assert data["closed"][0]["values"] == {"status": "closed", "close_date": "2025-09-01"}
    assert data["changed"][0]["changes"] == [
        {"field": "name", "label": "School name", "old": "School 100002", "new": "Changed"}
    ]
    assert data["new"][0]["data"]["status"] == "open"
    assert {r["column"] for r in data["rejected"]} == {"Postcode", "TelephoneNum"}


# -- files refused as a whole --------------------------------------------------------------------
def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = gias_text([gias_row(100001), gias_row(100002)])
    files: dict[str, tuple[bytes, str]] = {
        "empty.csv": (b"", "is empty"),
        "blank.csv": (b"\r\n\r\n", "is empty"),
        "report.csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        "binary.csv": (bytes(range(256)) * 4, "not a CSV or Excel file"),
        "old.csv": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        "unclosed.csv": (
            good.encode("cp1252") + b'100003,"211","Tower Ham',
            "cut short",
        ),
        "ragged.csv": (good.encode("cp1252") + b'100003,"211","Tower Hamlets"\r\n', "cut short"),
        "links.csv": ((FIXTURES / "gias-links-tower-hamlets.csv").read_bytes(), "links file"),
        "ks4.csv": (
            (FIXTURES / "dfe-ks4-school-info-tower-hamlets-2023-24.csv").read_bytes(),
            "key stage 4",
        ),
        "other.csv": (b"Name,Amount\r\nFoo,1\r\n", "“URN” and “EstablishmentName” columns"),
        "dupes.csv": (
            gias_text([gias_row(100001), gias_row(100002), gias_row(100001)]).encode("cp1252"),
            "URN 100001 twice, in rows 2 and 4",
        ),
        "damaged.xlsx": (b"PK\x03\x04" + b"\x00" * 50, "Excel"),
        "notexcel.xlsx": (b"URN,EstablishmentName\r\n", "not one"),
        "undefined-bytes.csv": (b"URN,EstablishmentName\r\n100001,\x81\x8d\r\n", "cannot be read"),
    }
    result = {}
    for name, (data, message) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        result[name] = (path, message)
    return result


def test_bad_files_refused_with_a_message_and_nothing_changed(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "start.csv", [gias_row(100001)]))
    before = snapshot(db)
    for name, (path, message) in _bad_files(tmp_path).items():
        with pytest.raises(ImportFileError) as caught:
            service.preview(actor, path, la_code=None)
        assert message in caught.value.message, (name, caught.value.message)
    with pytest.raises(ImportFileError, match="does not exist"):
        service.preview(actor, tmp_path / "nowhere.csv", la_code=None)
    links_message = str(
        pytest.raises(
            ImportFileError,
            service.preview,
            actor,
            FIXTURES / "gias-links-tower-hamlets.csv",
            la_code=None,
        ).value
    )
    assert "“EstablishmentName”" in links_message and "“URN”" not in links_message.split(":")[0]
    assert snapshot(db) == before


def test_same_urn_in_other_digits_is_a_duplicate(service, db, actor, tmp_path):
    rows = [gias_row(100001), gias_row(100002)]
    rows[1]["URN"] = "\u0661\u0660\u0660\u0660\u0660\u0661"  # 100001 in Arabic-Indic digits
    path = write_gias(tmp_path / "g.csv", rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match="twice, in rows 2 and 3"):
        service.preview(actor, path, la_code=None)
    assert school_count(db) == 0


def test_la_filter_needs_the_la_column(service, db, actor, tmp_path):
    path = write_gias(
        tmp_path / "g.csv",
        [{"URN": "100002", "EstablishmentName": "Wapping"}],
        header=["URN", "EstablishmentName"],
    )
    with pytest.raises(ImportFileError, match="LA \\(code\\)"):
        service.preview(actor, path, la_code="211")
    assert school_count(db) == 0


def test_viewer_may_not_import(service, db, tmp_path):
    viewer = Actor("val", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        service.preview(viewer, FIXTURES / "gias-sample-rows-2018.csv", la_code=None)
    with pytest.raises(PermissionDeniedError):
        service.apply(viewer, ImportPreview("gias", "x.csv", None))
    assert school_count(db) == 0


# -- applying -------------------------------------------------------------------------------------
def test_apply_refuses_when_someone_edited_a_school_meanwhile(service, db, actor, tmp_path):
    rows = [gias_row(100001), gias_row(100002)]
    import_file(service, actor, write_gias(tmp_path / "a.csv", rows))
    later = [
        gias_row(100001, EstablishmentName="Changed by GIAS"),
        gias_row(100002, **{"EstablishmentStatus (name)": "Closed"}, CloseDate="31-08-2025"),
        gias_row(100003),
    ]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", later), la_code=None)
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    other = Actor("sam.other")
    schools.update_school(other, school.id, school.version, replace(school.as_input(), notes="x"))
    before = snapshot(db)
    with pytest.raises(ConflictError) as caught:
        service.apply(actor, preview)
    assert "School 100001 (URN 100001)" in caught.value.message
    assert "School 100002" not in caught.value.message
    assert snapshot(db) == before  # the new school was not added either
    fresh = service.preview(actor, write_gias(tmp_path / "b.csv", later), la_code=None)
    assert str(service.apply(actor, fresh)) == "1 new school, 1 updated, 1 closed"


def test_apply_refuses_a_new_school_someone_added_meanwhile(service, db, actor, tmp_path):
    path = write_gias(tmp_path / "a.csv", [gias_row(100001), gias_row(100002)])
    preview = service.preview(actor, path, la_code=None)
    import_file(service, actor, write_gias(tmp_path / "b.csv", [gias_row(100002)]))
    with pytest.raises(ConflictError, match="School 100002 \\(URN 100002\\)"):
        service.apply(actor, preview)
    assert school_count(db) == 1


def test_cancel_during_apply_rolls_everything_back(service, db, actor, tmp_path, monkeypatch):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    before = snapshot(db)
    monkeypatch.setattr(gias_import, "_CHUNK", 2)
    rows = [gias_row(100001, EstablishmentName="Renamed")]
    rows += [gias_row(100100 + i) for i in range(7)]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", rows), la_code=None)
    reports: list[tuple[int, int]] = []

    def on_report(done: int, total: int, message: str) -> None:
        reports.append((done, total))
        if done >= 4:
            progress.cancel()

    progress = Progress(on_report)
    with pytest.raises(Cancelled):
        service.apply(actor, preview, progress)
    assert reports[-1] == (4, 8)
    assert snapshot(db) == before
    # Without a cancel the same preview applies, reporting as it goes.
    seen: list[int] = []
    result = service.apply(actor, preview, Progress(lambda d, t, m: seen.append(d)))
    assert (result.created, result.updated) == (7, 1)
    assert seen[-1] == 8 and seen == sorted(seen)


def test_cancel_during_preview(service, db, actor, tmp_path, monkeypatch):
    monkeypatch.setattr(gias_import, "_REPORT_EVERY", 2)
    path = write_gias(tmp_path / "a.csv", [gias_row(100001 + i) for i in range(6)])
    progress = Progress(lambda d, t, m: progress.cancel())
    with pytest.raises(Cancelled):
        service.preview(actor, path, la_code=None, progress=progress)
    assert school_count(db) == 0


def test_import_result_wording():
    assert str(ImportResult(1, 0, 0)) == "1 new school, 0 updated, 0 closed"
    assert str(ImportResult(3, 5, 1)) == "3 new schools, 5 updated, 1 closed"


# -- fuzzing --------------------------------------------------------------------------------------
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.binary(max_size=400), prefix=st.sampled_from([b"", b'"URN","EstablishmentName"\r\n'])
)
def test_fuzz_random_bytes_never_crash(db, actor, tmp_path, data, prefix):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(prefix + data)
    service = GiasImportService(db)
    try:
        preview = service.preview(actor, path, la_code=None)
    except ImportFileError as exc:
        assert exc.message
        return
    check_accounting(preview)


_cells = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from(
        ["", "Not applicable", "None", "Closed", "Open", "31-02-2020", "01-09-2020", "-1", "3"]
    ),
    st.integers(-5, 2_000_000).map(str),
    st.text(alphabet='A-Z0-9 ’é",\r\n', max_size=10),
)
_FUZZ_COLUMNS = [
    "LA (code)",
    "EstablishmentNumber",
    "EstablishmentName",
    "EstablishmentStatus (name)",
    "OpenDate",
    "CloseDate",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "CensusDate",
    "Postcode",
    "TelephoneNum",
    "SchoolWebsite",
    "HeadTitle (name)",
    "OfstedLastInsp",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.integers(99_990, 1_000_010), st.sampled_from(["", "x", "0100001"])),
            st.fixed_dictionaries({}, optional={c: _cells for c in _FUZZ_COLUMNS}),
        ),
        max_size=8,
        unique_by=lambda r: int(r[0]) if str(r[0]).isdigit() else r[0],
    ),
    la=st.sampled_from([None, "211"]),
    encoding=st.sampled_from(["cp1252", "utf-8-sig"]),
)
def test_fuzz_cell_values_every_row_imported_or_rejected(db, actor, tmp_path, rows, la, encoding):
    service = GiasImportService(db)
    table = [gias_row(urn, **cells) for urn, cells in rows]
    for row in table:
        row["URN"] = str(row["URN"])
    text = gias_text(table)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    preview = service.preview(actor, path, la_code=la)
    assert preview.rows_read == len(rows)
    check_accounting(preview)
    rejected = {r.row_number for r in preview.rejected}
    for item in preview.new:
        assert item.row_number not in rejected
    if not rejected and la is None:
        service.apply(actor, preview)
        again = service.preview(actor, path, la_code=la)
        assert not again.has_changes, again.to_dict()


def test_random_register_round_trip(service, db, actor, tmp_path):
    """A few hundred varied rows: import, re-import unchanged, count kept."""
    rng = random.Random(5)
    rows = []
    for i in range(300):
        rows.append(
            gias_row(
                100000 + i,
                EstablishmentName=rng.choice(["St Mary’s", "École", "Bow, East"]) + f" {i}",
                NumberOfPupils=rng.choice(["", "12", "1500"]),
                **{"LA (code)": rng.choice(["211", "202"])},
            )
        )
    path = write_gias(tmp_path / "g.csv", rows)
    first = service.preview(actor, path, la_code=None)
    service.apply(actor, first)
    assert school_count(db) == 300
    second = service.preview(actor, path, la_code=None)
    assert second.unchanged == 300
