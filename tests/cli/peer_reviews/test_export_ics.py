"""``thep-admin reviews export-ics``: a year's calendar files, listed or as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from review_records import cycle, review_sums, schools
from review_schedules import ScheduledCycle, scheduled_cycle

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def planned(db: Database, actor: Actor) -> ScheduledCycle:
    return scheduled_cycle(Services(db, actor))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "calendars"
    folder.mkdir()
    return folder


def run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db.url.render_as_string(hide_password=False), *args])
    printed, errors = capsys.readouterr()
    return code, printed, errors


def test_the_years_calendar_files_are_written_and_listed(
    capsys: pytest.CaptureFixture[str], db: Database, planned: ScheduledCycle, out: Path
) -> None:
    code, printed, errors = run(
        capsys, db, "reviews", "export-ics", "--year", "2025/26", "--out", str(out)
    )
    assert code == 0, errors
    lines = printed.splitlines()
    assert lines[0] == f"Peer reviews 2025/26: 11 calendar files written to {out}"
    assert lines[1] == (
        "  peer-reviews-2025-26.ics  (the whole cycle: 10 reviews, 16/09/2025 to 02/12/2025)"
    )
    assert (
        "  peer-reviews-2025-26-100941-cayley-primary-school.ics  (Cayley Primary School: "
        "3 reviews, 23/09/2025 to 02/12/2025)" in lines
    )
    assert len(list(out.iterdir())) == 11
    cycle_file = Calendar.from_ical((out / "peer-reviews-2025-26.ics").read_bytes())
    assert len(cycle_file.walk("VEVENT")) == 10


def test_json_lists_the_files_with_iso_dates(
    capsys: pytest.CaptureFixture[str], db: Database, planned: ScheduledCycle, out: Path
) -> None:
    code, printed, errors = run(
        capsys, db, "reviews", "export-ics", "--year", "2025/26", "--out", str(out), "--json"
    )
    assert code == 0, errors
    data = json.loads(printed)
    assert data["academic_year"] == "2025/26" and data["cycle"] == "Peer reviews 2025/26"
    assert data["count"] == 11 and len(data["files"]) == 11
    assert data["files"][0] == {
        "file": str(out / "peer-reviews-2025-26.ics"),
        "calendar": "cycle",
        "school_urn": None,
        "school_name": None,
        "events": 10,
        "first_day": "2025-09-16",
        "last_day": "2025-12-02",
    }
    arnhem = data["files"][1]
    assert arnhem["calendar"] == "school" and arnhem["school_urn"] == 100929
    assert arnhem["school_name"] == "Arnhem Wharf Primary School" and arnhem["events"] == 3
    for entry in data["files"]:
        assert Path(entry["file"]).is_file()


def test_one_schools_file_by_urn(
    capsys: pytest.CaptureFixture[str], db: Database, planned: ScheduledCycle, out: Path
) -> None:
    code, printed, errors = run(
        capsys,
        db,
        "reviews",
        "export-ics",
        "--year",
        "2025/26",
        "--out",
        str(out),
        "--school",
        "100941",
    )
    assert code == 0, errors
    assert printed.startswith("Peer reviews 2025/26: 1 calendar file written to")
    assert [p.name for p in out.iterdir()] == [
        "peer-reviews-2025-26-100941-cayley-primary-school.ics"
    ]


def test_mistakes_are_said_on_stderr_with_a_non_zero_exit_and_nothing_written(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    actor: Actor,
    planned: ScheduledCycle,
    out: Path,
    tmp_path: Path,
) -> None:
    before = review_sums(db)
    for args, message in (
        (
            ("--year", "2026/27", "--out", str(out)),
            "There is no peer-review cycle for 2026/27 yet.",
        ),
        (("--year", "2025", "--out", str(out)), "is not an academic year. Write it as"),
        (
            ("--year", "2025/26", "--out", str(tmp_path / "gone")),
            f"--out: {tmp_path / 'gone'} does not exist. Give a folder that exists.",
        ),
        (
            ("--year", "2025/26", "--out", str(out), "--school", "999999"),
            "There is no school with URN 999999 in the register.",
        ),
    ):
        code, printed, errors = run(capsys, db, "reviews", "export-ics", *args)
        assert code != 0, args
        assert printed == ""
        assert message in errors, (args, errors)
    # Without --out or --year: a usage error from the parser.
    code, _printed, errors = run(capsys, db, "reviews", "export-ics", "--year", "2025/26")
    assert code == 2 and "--out" in errors
    assert list(out.iterdir()) == [] and not (tmp_path / "gone").exists()
    assert review_sums(db) == before


def test_a_year_with_no_reviews_is_refused(
    capsys: pytest.CaptureFixture[str], db: Database, actor: Actor, out: Path
) -> None:
    services = Services(db, actor)
    schools(services, 3)
    cycle(services)
    code, printed, errors = run(
        capsys, db, "reviews", "export-ics", "--year", "2025/26", "--out", str(out)
    )
    assert code == 1 and printed == ""
    assert "Peer reviews 2025/26 has no reviews yet" in errors
    assert list(out.iterdir()) == []
