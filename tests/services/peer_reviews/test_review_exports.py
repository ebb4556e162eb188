"""Exporting a cycle's schedule: the PDF, the workbook and the calendar files, on both databases."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar
from review_records import cycle, review_sums, schools
from review_schedules import CLUSTERS, VISITS, ScheduledCycle, scheduled_cycle

from thep_desktop.database import Database
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
)


@pytest.fixture
def planned(services: Services) -> ScheduledCycle:
    return scheduled_cycle(services)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the files (the SQLite database is in tmp_path itself)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def events_of(path: Path) -> dict[str, object]:
    """The file's events by UID, as another calendar program reads them."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def test_the_calendar_files_match_the_schedule(
    services: Services, planned: ScheduledCycle, out: Path
) -> None:
    paths = services.review_exports.calendars(services.actor, planned.cycle_id, out)
    reviews = planned.reviews(services)
    assert len(paths) == 11  # the cycle's, and one for each of the ten schools
    assert paths[0] == out / "peer-reviews-2025-26.ics"
    assert paths[1] == out / "peer-reviews-2025-26-100929-arnhem-wharf-primary-school.ics"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)

    cycle_events = events_of(paths[0])
    assert set(cycle_events) == {f"{r.uuid}@thep-office" for r in reviews}
    for review in reviews:
        event = cycle_events[f"{review.uuid}@thep-office"]
        assert event.decoded("DTSTART") == review.starts_on
        assert review.ends_on is not None
        assert event.decoded("DTEND") == date.fromordinal(review.ends_on.toordinal() + 1)
        assert str(event["SUMMARY"]) == f"Peer review: {review.host_name}"
        assert str(event["LOCATION"]) == f"{review.host_name}, 1 School Lane, London, E1 2AA"
        description = str(event["DESCRIPTION"])
        assert f"Reviewing schools: {review.team_label}" in description
        assert review.lead is not None and review.lead.name in description
        assert event.decoded("SEQUENCE") == review.version - 1
        status = "TENTATIVE" if review.status.value == "proposed" else "CONFIRMED"
        assert str(event["STATUS"]) == status
    first = cycle_events[f"{planned.review(services, 0).uuid}@thep-office"]
    assert first.decoded("DTSTART") == VISITS[0] and first.decoded("DTEND") == date(2025, 9, 18)
    assert "- Attendance & punctuality" in str(first["DESCRIPTION"])

    # Each school's file: exactly the review it hosts and the two it reviews at.
    for path in paths[1:]:
        urn = int(path.name.split("-")[4])
        school = services.schools.get_school_by_urn(services.actor, urn)
        mine = services.reviews.school_reviews(services.actor, planned.cycle_id, school.id)
        assert len(mine.hosting) == 1 and len(mine.reviewing) == 2
        events = events_of(path)
        assert set(events) == {f"{r.uuid}@thep-office" for r in (*mine.hosting, *mine.reviewing)}
        summaries = sorted(str(e["SUMMARY"]) for e in events.values())
        assert summaries == sorted(
            [f"Peer review: {school.name}"]
            + [f"Peer review at {r.host_name}" for r in mine.reviewing]
        )


def test_a_re_export_keeps_the_uids_and_raises_the_sequence_of_a_changed_review(
    services: Services, planned: ScheduledCycle, out: Path
) -> None:
    first = services.review_exports.calendars(
        services.actor, planned.cycle_id, out, per_school=False
    )
    before = events_of(first[0])
    moved = planned.review(services, 3)
    services.reviews.move_review(services.actor, moved.id, date(2025, 11, 12), moved.version)
    again = services.review_exports.calendars(
        services.actor, planned.cycle_id, out, per_school=False
    )
    assert again == first  # the same file, replaced
    after = events_of(again[0])
    assert set(after) == set(before)  # the same events: a re-import updates, not duplicates
    uid = f"{moved.uuid}@thep-office"
    assert after[uid].decoded("SEQUENCE") > before[uid].decoded("SEQUENCE")
    assert after[uid].decoded("DTSTART") == date(2025, 11, 12)
    assert after[uid].decoded("LAST-MODIFIED") >= before[uid].decoded("LAST-MODIFIED")
    unchanged = f"{planned.review(services, 4).uuid}@thep-office"
    assert after[unchanged].decoded("SEQUENCE") == before[unchanged].decoded("SEQUENCE")


def test_one_schools_calendar_only(services: Services, planned: ScheduledCycle, out: Path) -> None:
    written = services.review_exports.write_calendars(
        services.actor,
        planned.cycle_id,
        out,
        whole_cycle=False,
        school_id=planned.school_ids[5],
    )
    assert [w.path.name for w in written] == [
        "peer-reviews-2025-26-100941-cayley-primary-school.ics"
    ]
    assert list(out.iterdir()) == [written[0].path]
    assert written[0].events == 3 and written[0].school is not None
    assert written[0].school.name == "Cayley Primary School"


def test_the_schedule_pdf_holds_the_schools_and_dates(
    services: Services, planned: ScheduledCycle, out: Path
) -> None:
    target = out / "schedule.pdf"
    schedule = services.review_exports.schedule_pdf(services.actor, planned.cycle_id, target)
    assert len(schedule.reviews) == 10
    text = pdf_text(target)
    assert "Peer reviews 2025/26" in text
    assert "10 reviews: 8 proposed, 1 confirmed, 1 completed." in text
    for review in planned.reviews(services):
        assert review.host_name in text
        assert review.starts_on is not None and f"{review.starts_on:%d/%m/%Y}" in text
    assert "16/09/2025 to 17/09/2025" in text and "Tuesday to Wednesday" in text
    assert f"{CLUSTERS[0]} (5 reviews)" in text and f"{CLUSTERS[1]} (5 reviews)" in text
    assert "Printed " in text and "Page 1 of" in text

    # One cluster's: its five hosts only.
    mine = out / "whitechapel.pdf"
    services.review_exports.schedule_pdf(
        services.actor, planned.cycle_id, mine, planned.clusters["Whitechapel"]
    )
    text = pdf_text(mine)
    assert "Peer reviews 2025/26: Whitechapel" in text
    assert "23/09/2025" in text and "16/09/2025" not in text
    assert "Arnhem Wharf" not in text and "Harry Gosling Primary School" in text


def test_the_schedule_workbook_reads_back(
    services: Services, planned: ScheduledCycle, out: Path
) -> None:
    target = out / "schedule.xlsx"
    services.review_exports.schedule_xlsx(services.actor, planned.cycle_id, target)
    book = openpyxl.load_workbook(target)
    reviews = book["Reviews"]
    rows = list(reviews.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 10
    assert [row[1] for row in rows] == [
        datetime.combine(d, datetime.min.time()) for d in sorted(VISITS)
    ]
    first = rows[0]
    assert first[0] == CLUSTERS[0] and first[4] == 100929
    assert first[5] == "Arnhem Wharf Primary School" and first[10] == "Confirmed"
    assert first[6] == "Bangabandhu Primary School, Bigland Green Primary School"
    assert "Tom Okafor, Headteacher, Bangabandhu Primary School (lead)" in first[8]
    assert reviews.freeze_panes == "A4" and reviews.auto_filter.ref == "A3:Q13"
    by_school = book["By school"]
    schools_listed = [row[0] for row in by_school.iter_rows(min_row=4, values_only=True)]
    assert len(schools_listed) == 10 and schools_listed == sorted(schools_listed)

    # One cluster's: five reviews.
    services.review_exports.schedule_xlsx(
        services.actor, planned.cycle_id, target, planned.clusters[CLUSTERS[0]]
    )
    assert openpyxl.load_workbook(target)["Reviews"].max_row == 3 + 5


def test_a_cycle_with_no_reviews_is_refused_in_words_and_nothing_is_written(
    services: Services, db: Database, out: Path
) -> None:
    schools(services, 3)
    empty = cycle(services)
    before = review_sums(db)
    for export in (
        lambda: services.review_exports.schedule_pdf(services.actor, empty, out / "s.pdf"),
        lambda: services.review_exports.schedule_xlsx(services.actor, empty, out / "s.xlsx"),
        lambda: services.review_exports.calendars(services.actor, empty, out),
    ):
        with pytest.raises(ServiceError, match="Peer reviews 2025/26 has no reviews yet"):
            export()
    assert list(out.iterdir()) == []
    assert review_sums(db) == before


def test_bad_requests_are_refused_in_words_and_nothing_is_written(
    services: Services, db: Database, planned: ScheduledCycle, out: Path
) -> None:
    exports = services.review_exports
    before = review_sums(db)
    with pytest.raises(ValidationError, match=r"ending \.pdf"):
        exports.schedule_pdf(services.actor, planned.cycle_id, out / "schedule.docx")
    with pytest.raises(ValidationError, match=r"ending \.xlsx"):
        exports.schedule_xlsx(services.actor, planned.cycle_id, out / "schedule.csv")
    with pytest.raises(ValidationError, match="does not exist"):
        exports.calendars(services.actor, planned.cycle_id, out / "gone")
    with pytest.raises(ValidationError, match="one per school, or both"):
        exports.calendars(
            services.actor, planned.cycle_id, out, per_school=False, whole_cycle=False
        )
    with pytest.raises(NotFoundError, match="no longer there"):
        exports.schedule_pdf(services.actor, planned.cycle_id + 99, out / "schedule.pdf")
    with pytest.raises(NotFoundError, match="cluster is no longer there"):
        exports.schedule_pdf(services.actor, planned.cycle_id, out / "s.pdf", 9999)
    outsider = services.schools.create_school(
        services.actor,
        SchoolInput(urn="100958", name="John Scurr Primary School", phase="Primary", la_code="211"),
    ).id
    with pytest.raises(ServiceError, match="neither hosts nor reviews"):
        exports.calendars(services.actor, planned.cycle_id, out, school_id=outsider)
    assert list(out.iterdir()) == []
    assert review_sums(db) == before


def test_exporting_is_reading_so_a_viewer_may(
    db: Database, services: Services, planned: ScheduledCycle, out: Path
) -> None:
    viewer = Services(db, Actor("vic.viewer", Role.VIEWER))
    paths = viewer.review_exports.calendars(viewer.actor, planned.cycle_id, out)
    assert len(paths) == 11
    viewer.review_exports.schedule_pdf(viewer.actor, planned.cycle_id, out / "s.pdf")
    viewer.review_exports.schedule_xlsx(viewer.actor, planned.cycle_id, out / "s.xlsx")
    assert (out / "s.pdf").stat().st_size and (out / "s.xlsx").stat().st_size


def test_undated_reviews_are_left_out_of_the_calendars(
    services: Services, planned: ScheduledCycle, out: Path
) -> None:
    undated = planned.review(services, 9)
    services.reviews.move_review(services.actor, undated.id, None, undated.version)
    paths = services.review_exports.calendars(
        services.actor, planned.cycle_id, out, per_school=False
    )
    events = events_of(paths[0])
    assert len(events) == 9 and f"{undated.uuid}@thep-office" not in events
    # Its host's own file still holds the two reviews the school goes to.
    (host_file,) = services.review_exports.write_calendars(
        services.actor,
        planned.cycle_id,
        out,
        whole_cycle=False,
        school_id=planned.school_ids[9],
    )
    assert host_file.events == 2
    assert all(
        str(event["SUMMARY"]).startswith("Peer review at ")
        for event in events_of(host_file.path).values()
    )


class CancelAt(Progress):
    """Progress that records what it was told and cancels the job on a given message."""

    def __init__(self, word: str) -> None:
        super().__init__(self._heard)
        self.word = word
        self.messages: list[str] = []

    def _heard(self, done: int, total: int, message: str) -> None:
        self.messages.append(message)
        if self.word in message:
            self.cancel()


def test_cancel_leaves_no_file(services: Services, planned: ScheduledCycle, out: Path) -> None:
    exports = services.review_exports
    saving = CancelAt("Saving the PDF")
    with pytest.raises(Cancelled):
        exports.schedule_pdf(services.actor, planned.cycle_id, out / "s.pdf", progress=saving)
    assert saving.messages == [
        "Reading the schedule…",
        "Laying out 10 reviews…",
        "Saving the PDF…",
    ]
    third = CancelAt("peer-reviews-2025-26-100932")
    with pytest.raises(Cancelled):
        exports.calendars(services.actor, planned.cycle_id, out, progress=third)
    assert third.messages[:2] == [
        "Reading the schedule…",
        "Writing peer-reviews-2025-26.ics…",
    ]
    with pytest.raises(Cancelled):
        exports.schedule_xlsx(
            services.actor, planned.cycle_id, out / "s.xlsx", progress=CancelAt("Reading")
        )
    assert list(out.iterdir()) == []
    # Not cancelled: the same with progress told.
    told = CancelAt("nothing cancels this")
    paths = exports.calendars(services.actor, planned.cycle_id, out, progress=told)
    assert len(paths) == 11 and len(told.messages) == 12
