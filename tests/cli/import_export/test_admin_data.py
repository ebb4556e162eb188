"""``thep-admin import-gias``, ``import-pupils`` and ``export``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from openpyxl import load_workbook

from thep_desktop.cli.admin import main
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SchoolInput
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
    assert code == 0 and "Applied: 1 new school, 1 updated, 0 closed." in out
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


def test_export_schools_to_xlsx_and_csv(capsys, register: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.xlsx"))
    assert code == 0 and "Exported 1 school to" in out
    sheet = load_workbook(tmp_path / "s.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if row[0] == "URN")
    assert values[header_row + 1][0] == 100001 and values[header_row + 1][2] == "Old Name School"
    code, out, _err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.csv"))
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "URN" and rows[1][2] == "Old Name School"
    code, _out, err = run(capsys, "--db", register, "export", "schools", str(tmp_path / "s.txt"))
    assert code == 1 and ".xlsx or .csv" in err
    assert not (tmp_path / "s.txt").exists()
