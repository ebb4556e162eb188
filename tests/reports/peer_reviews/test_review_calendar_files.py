"""The calendar files: RFC 5545 all-day events that parse back and match the schedule."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from plain_schedules import BOW, MARNER, OLGA, ST_MARYS, schedule

from thep_desktop.reports.peer_reviews.review_calendar import (
    PRODID,
    calendar_files,
    cycle_calendar,
    cycle_file_name,
    school_calendar,
    school_file_name,
    slug,
    write_calendar_files,
)
from thep_desktop.reports.shared.spreadsheet import ExportError

STAMP = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)


def parsed(calendar: Calendar) -> Calendar:
    """The calendar as another program reads it: written out and parsed back."""
    return Calendar.from_ical(calendar.to_ical())


def test_the_cycle_calendar_has_an_all_day_event_for_each_review_with_a_date() -> None:
    plan = schedule()
    calendar = parsed(cycle_calendar(plan, STAMP))
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Peer reviews 2025/26"
    events = calendar.walk("VEVENT")
    # Olga's review has no date yet: no event for it.
    assert [str(e["SUMMARY"]) for e in events] == [
        "Peer review: Bow School",
        "Peer review: Marner Primary School",
        "Peer review: St Mary & St John's C of E Primary",
    ]
    bow = events[0]
    # All-day: VALUE=DATE, the end the day after the last (exclusive).
    assert bow.decoded("DTSTART") == date(2025, 11, 4)
    assert bow.decoded("DTEND") == date(2025, 11, 6)
    assert "VALUE=DATE" in bow.to_ical().decode()
    assert events[1].decoded("DTSTART") == date(2025, 11, 18)
    assert events[1].decoded("DTEND") == date(2025, 11, 19)
    assert str(bow["UID"]) == f"{plan.reviews[0].uuid}@thep-office"
    assert bow.decoded("SEQUENCE") == 2  # version 3: changed twice since first made
    assert bow.decoded("DTSTAMP") == STAMP
    assert bow.decoded("LAST-MODIFIED") == datetime(2025, 9, 12, 9, 30, tzinfo=UTC)
    assert str(bow["STATUS"]) == "CONFIRMED"
    assert str(events[1]["STATUS"]) == "TENTATIVE"  # only proposed
    assert str(bow["LOCATION"]) == "Bow School, 1 School Lane, London, E3 2AA"
    description = str(bow["DESCRIPTION"])
    for line in (
        "Host: Bow School (URN 100929)",
        "Cluster: Bow and Poplar",
        "Dates: Tuesday 04/11/2025 to Wednesday 05/11/2025",
        "Reviewing schools: Marner Primary School, St Mary & St John's C of E Primary",
        "Lead reviewer: Head of Marner Primary School (Marner Primary School)",
        "- Head of Marner Primary School, Headteacher, Marner Primary School (lead)",
        "- Head of St Mary & St John's C of E Primary, Headteacher, "
        "St Mary & St John's C of E Primary",
        "- Reading in Key Stage 1",
        "- Attendance & punctuality",
        "Status: Confirmed 12/09/2025",
    ):
        assert line in description.splitlines()


def test_a_school_calendar_holds_exactly_its_hosting_and_reviewing_events() -> None:
    plan = schedule()
    for school in (BOW, MARNER, ST_MARYS):
        events = parsed(school_calendar(plan, school, STAMP)).walk("VEVENT")
        wanted = {
            f"{r.uuid}@thep-office" for r in plan.reviews if r.involves(school.school_id) and r.days
        }
        assert {str(e["UID"]) for e in events} == wanted
    marner = parsed(school_calendar(plan, MARNER, STAMP))
    assert str(marner["X-WR-CALNAME"]) == "Peer reviews 2025/26: Marner Primary School"
    summaries = {str(e["SUMMARY"]) for e in marner.walk("VEVENT")}
    assert summaries == {
        "Peer review at Bow School",  # Marner reviews there
        "Peer review: Marner Primary School",  # Marner hosts
        "Peer review at St Mary & St John's C of E Primary",
    }
    at_bow = next(e for e in marner.walk("VEVENT") if str(e["SUMMARY"]).endswith("Bow School"))
    assert str(at_bow["DESCRIPTION"]).startswith(
        "Marner Primary School is on the review team at Bow School."
    )
    # The same review has the same UID in the school's file as in the cycle's.
    cycle = parsed(cycle_calendar(plan, STAMP)).walk("VEVENT")
    assert str(at_bow["UID"]) == str(cycle[0]["UID"])


def test_file_names_are_the_years_and_each_schools_urn_and_name_as_windows_accepts() -> None:
    plan = schedule()
    assert cycle_file_name(plan) == "peer-reviews-2025-26.ics"
    assert school_file_name(plan, ST_MARYS) == (
        "peer-reviews-2025-26-100933-st-mary-st-johns-c-of-e-primary.ics"
    )
    assert slug("École Saint-Étienne: <Année> 1/2") == "ecole-saint-etienne-annee-1-2"
    assert slug("???") == "school"
    assert len(slug("A very long school name " * 10)) <= 60
    files = calendar_files(plan, schools=(BOW, MARNER, ST_MARYS, OLGA), stamp=STAMP)
    # Olga takes part only in its own review, which has no date yet: no empty file for it.
    assert [f.name for f in files] == [
        "peer-reviews-2025-26.ics",
        "peer-reviews-2025-26-100929-bow-school.ics",
        "peer-reviews-2025-26-100932-marner-primary-school.ics",
        "peer-reviews-2025-26-100933-st-mary-st-johns-c-of-e-primary.ics",
    ]
    assert [(f.events, f.first_day, f.last_day) for f in files] == [
        (3, date(2025, 11, 4), date(2026, 1, 13)),
        (3, date(2025, 11, 4), date(2026, 1, 13)),
        (3, date(2025, 11, 4), date(2026, 1, 13)),
        (3, date(2025, 11, 4), date(2026, 1, 13)),
    ]
    assert files[0].school is None and files[1].school == BOW


def test_the_files_are_written_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = calendar_files(schedule(), schools=(BOW, MARNER, ST_MARYS), stamp=STAMP)
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / files[1].name).write_bytes(b"last year's")
    real_write = Path.write_bytes
    written: list[Path] = []

    def disk_full_on_the_third(path: Path, data: bytes) -> int:
        written.append(path)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_on_the_third)
    with pytest.raises(ExportError, match="no room left on the disk"):
        write_calendar_files(folder, files)
    monkeypatch.undo()
    # Nothing new, nothing half-written, and the file that was there is as it was.
    assert sorted(p.name for p in folder.iterdir()) == [files[1].name]
    assert (folder / files[1].name).read_bytes() == b"last year's"

    paths = write_calendar_files(folder, files)
    assert paths == [folder / f.name for f in files]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files)
    for path, file in zip(paths, files, strict=True):
        assert path.read_bytes() == file.data
        assert len(Calendar.from_ical(path.read_bytes()).walk("VEVENT")) == file.events
    with pytest.raises(ExportError, match="does not exist"):
        write_calendar_files(tmp_path / "gone", files)


def test_the_files_keep_rfc_5545s_lines_crlf_and_at_most_75_octets() -> None:
    long_focus = ("Reading " * 30).strip()
    plan = schedule()
    plan = type(plan)(
        plan.title,
        plan.year_label,
        (replace(plan.reviews[0], focus=(long_focus, "Écoute & café")),),
        printed_at=plan.printed_at,
    )
    for file in calendar_files(plan, schools=(BOW, MARNER), stamp=STAMP):
        assert file.data.endswith(b"\r\n")
        lines = file.data.split(b"\r\n")[:-1]
        assert all(len(line) <= 75 for line in lines), max(lines, key=len)
        assert b"\n" not in b"".join(lines)
        assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
        # Unfolded and parsed back, the long focus and the accents are whole.
        event = Calendar.from_ical(file.data).walk("VEVENT")[0]
        assert f"- {long_focus}" in str(event["DESCRIPTION"])
        assert "- Écoute & café" in str(event["DESCRIPTION"])
