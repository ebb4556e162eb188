"""``thep-admin import-gias``, ``import-pupils`` and ``export``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from openpyxl import load_workbook

from thep_desktop import config
from thep_desktop.cli.admin import main
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def register(migrated_db: str) -> str:
    """A register with one school, 100001, and the profile's LA code 211 (file and server)."""
    path = migrated_db
    services, _note = open_services(path, Actor("office"))
    services.schools.create_school(
        services.actor,
        SchoolInput(urn="100001", name="Old Name School", la_code="211", postcode="E2 6AB"),
    )
    profile = services.organisation.get_profile(services.actor)
    profile.la_code = "211"
    services.organisation.update_profile(services.actor, profile)
    services.close()
    return str(path)


@pytest.fixture
def gias_file(tmp_path: Path) -> Path:
    return write_gias(
        tmp_path / "edubasealldata.csv",
        [
            gias_row(100001, EstablishmentName="Bow Common Primary School"),
            gias_row(100002, EstablishmentName="Stepney Green School"),
            gias_row(100003, **{"LA (code)": "202", "LA (name)": "Camden"}),
            gias_row(100004, Postcode="not a postcode"),
        ],
    )


def names(db: str) -> dict[int, str]:
    services, _note = open_services(db, Actor("office"))
    try:
        return {r.urn: r.name for r in services.schools.list_schools(services.actor)}
    finally:
        services.close()


def test_dry_run_shows_the_preview_and_changes_nothing(
    capsys, register: str, gias_file: Path
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", register, "import-gias", str(gias_file), "--dry-run")
    assert code == 0, err
    assert "(local authority 211)" in out and "1 row for other local authorities left out" in out
    assert "Old Name School" in out and "Bow Common Primary School" in out  # the change
    assert "Stepney Green School" in out  # new
    assert "not a postcode" in out and "Rejected rows" in out
    assert "Dry run: nothing was changed." in out
    assert names(register) == {100001: "Old Name School"}


def test_import_applies_and_a_second_run_changes_nothing(
    capsys, register: str, gias_file: Path
) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, "--db", register, "import-gias", str(gias_file))
    assert (
        code == 0
        and "Applied: 1 new school, 1 updated, 0 closed; 2 Ofsted inspections added." in out
    )
    assert names(register) == {100001: "Bow Common Primary School", 100002: "Stepney Green School"}
    code, out, _err = run(capsys, "--db", register, "import-gias", str(gias_file), "--json")
    data = json.loads(out)
    assert data["counts"] == {"new": 0, "changed": 0, "closed": 0, "rejected": 1, "unchanged": 2}
    assert data["applied"] is None and data["dry_run"] is False
    assert data["rejected"][0]["column"] == "Postcode" and data["rejected"][0]["row_number"] == 5


def test_all_of_england_takes_every_la(capsys, register: str, gias_file: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(
        capsys, "--db", register, "import-gias", str(gias_file), "--all", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["la_code"] is None and data["applied"]["created"] == 2


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "There is no file at"),
        (lambda d: _write(d / "empty.csv", b""), "empty"),
        (lambda d: _write(d / "report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "not"),
        (lambda d: _write(d / "other.csv", b"Name,Value\r\nA,1\r\n"), "URN"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    capsys, register: str, tmp_path: Path, make, message
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", register, "import-gias", str(make(tmp_path)))
    assert code == 1 and message in err and out == ""
    assert names(register) == {100001: "Old Name School"}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_pupil_numbers_refresh(capsys, register: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "pupils.csv"
    sheet.write_text("URN,Number of pupils,Census date\n100001,433,15/01/2026\n999999,12,\n")
    code, out, _err = run(capsys, "--db", register, "import-pupils", str(sheet))
    assert code == 0 and "Applied:" in out and "999999" in out
    services, _note = open_services(register, Actor("office"))
    detail = services.schools.get_school_by_urn(services.actor, 100001)
    services.close()
    assert detail.pupils_on_roll == 433 and detail.pupils_census_date.isoformat() == "2026-01-15"


def test_census_date_with_a_two_digit_year(capsys, register: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``--census-date 15/1/26`` is 15/01/2026 (two-digit years: 00 to 69 are the 2000s)."""
    sheet = tmp_path / "pupils.csv"
    sheet.write_text("URN,Number of pupils\n100001,433\n")
    code, out, _err = run(
        capsys, "--db", register, "import-pupils", str(sheet), "--census-date", "15/1/26"
    )
    assert code == 0
    assert out.startswith("Census date for rows that give none: 15/01/2026.\n")
    services, _note = open_services(register, Actor("office"))
    detail = services.schools.get_school_by_urn(services.actor, 100001)
    services.close()
    assert detail.pupils_census_date.isoformat() == "2026-01-15"
    code, out, err = run(
        capsys, "--db", register, "import-pupils", str(sheet), "--census-date", "15/1/2"
    )
    assert code == 2 and out == ""
    assert "“15/1/2” is not a date" in err and "00 to 69 means 2000 to 2069" in err


def test_export_schools_to_xlsx_and_csv(
    capsys, register: str, tmp_path: Path, user_settings: Path
) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.xlsx"))
    assert code == 0 and "Exported 1 school to" in out
    sheet = load_workbook(tmp_path / "s.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if row[0] == "URN")
    assert values[header_row][:3] == ["URN", "School", "Phase"]  # the Schools tab's columns
    assert values[header_row + 1][0] == 100001 and values[header_row + 1][1] == "Old Name School"
    code, out, _err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.csv"))
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "URN" and rows[1][1] == "Old Name School"
    code, _out, err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.txt"))
    assert code == 1 and ".xlsx or .csv" in err
    assert not (tmp_path / "s.txt").exists()


@pytest.fixture
def user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-config"
    monkeypatch.setenv("THEP_CONFIG_DIR", str(folder))
    return folder


def a_full_register(path: Path) -> str:
    services, _note = open_services(str(path), Actor("office"), create=True)
    services.schools.create_school(
        services.actor,
        SchoolInput(
            urn="100001",
            name="Bow School",
            la_code="211",
            establishment_number="2001",
            street="1 Bow Road",
            town="London",
            postcode="E3 4PX",
            email="admin@bow.sch.uk",
            pupils_on_roll="1250",
            pupils_census_date="15/01/2026",
            open_date="01/09/1998",
            contacts=[
                ContactInput("Amina Begum", "Head teacher", "head@bow.sch.uk"),
                ContactInput("Tom Okafor", "School business manager", "sbm@bow.sch.uk"),
            ],
        ),
    )
    services.schools.create_school(
        services.actor, SchoolInput(urn="100002", name="Ash School", postcode="E1 6AB")
    )
    services.close()
    return str(path)


def test_export_all_fields_writes_every_field_and_contact_with_real_dates(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, user_settings: Path
) -> None:
    db = a_full_register(tmp_path / "office.sqlite3")
    target = tmp_path / "all.xlsx"
    code, out, _err = run(capsys, "--db", db, "export", "schools", str(target), "--fields", "all")
    assert code == 0 and "Exported 2 schools to" in out
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[2]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(3)}
    assert list(rows) == [100002, 100001]  # name order
    bow = rows[100001]
    assert bow["Street"].value == "1 Bow Road" and bow["Email"].value == "admin@bow.sch.uk"
    assert bow["Contact 2 email"].value == "sbm@bow.sch.uk"
    assert bow["Contact 2 role"].value == "School business manager"
    assert bow["Opening date"].is_date and bow["Opening date"].number_format == "dd/mm/yyyy"
    assert bow["Census date"].value.date().isoformat() == "2026-01-15"
    assert bow["Pupils on roll"].value == 1250 and bow["Pupils on roll"].number_format == "#,##0"
    assert rows[100002]["Contact 1 name"].value is None
    contacts = load_workbook(target)["Contacts"]
    assert [c.value for c in contacts[2]] == ["URN", "School", "Name", "Role", "Email", "Phone"]
    assert [(r[0].value, r[3].value, r[4].value) for r in contacts.iter_rows(3)] == [
        (100001, "Head teacher", "head@bow.sch.uk"),
        (100001, "School business manager", "sbm@bow.sch.uk"),
    ]

    csv_target = tmp_path / "all.csv"
    code, _out, _err = run(capsys, "--db", db, "export", "schools", str(csv_target), "--fields=all")
    with open(csv_target, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert lines[1]["Opening date"] == "01/09/1998" and lines[1]["Contact 1 name"] == "Amina Begum"


def test_export_shown_follows_the_columns_of_the_users_schools_tab(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, user_settings: Path
) -> None:
    db = a_full_register(tmp_path / "office.sqlite3")
    config.save_ui_state(
        "schools_tab",
        {
            "columns": [
                {"key": "name", "width": 200, "hidden": False},
                {"key": "postcode", "width": 80, "hidden": False},
                {"key": "urn", "width": 60, "hidden": True},
            ]
        },
    )
    target = tmp_path / "shown.csv"
    code, _out, _err = run(
        capsys, "--db", db, "export", "schools", str(target), "--fields", "shown"
    )
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["School", "Postcode"] and "URN" not in rows[0]
    assert rows[1][:2] == ["Ash School", "E1 6AB"]


def test_export_refuses_another_file_type_before_reading(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, user_settings: Path
) -> None:
    db = a_full_register(tmp_path / "office.sqlite3")
    code, _out, err = run(capsys, "--db", db, "export", "schools", str(tmp_path / "s.ods"))
    assert code == 1 and ".xlsx or .csv" in err
    assert not (tmp_path / "s.ods").exists()
