"""Importing the GIAS establishment extract, on SQLite and PostgreSQL.

Files are built from the real GIAS headers kept in tests/fixtures (copied from the DfE files):
the 133-column 2018 extract with Ofsted, and the 2023-2025 columns without Ofsted (as GIAS
publishes since April 2025).
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from gias_files import (  # noqa: E402 - tests/gias_files.py
    FIXTURES,
    HEADER_2018,
    gias_row,
    gias_text,
    write_gias,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_checks import check_accounting, import_file, school_count

from thep_desktop.models import SchoolStatus
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.import_preview import ImportPreview
from thep_desktop.services.import_export.tabular import ImportFileError
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import PermissionDeniedError


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
    assert str(result) == (
        "4 new schools, 0 updated, 0 closed; 4 Ofsted inspections added"  # GIAS 2018 had Ofsted
    )
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


def test_viewer_may_not_import(service, db, tmp_path):
    viewer = Actor("val", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        service.preview(viewer, FIXTURES / "gias-sample-rows-2018.csv", la_code=None)
    with pytest.raises(PermissionDeniedError):
        service.apply(viewer, ImportPreview("gias", "x.csv", None))
    assert school_count(db) == 0


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
