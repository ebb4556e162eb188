"""Calendar files (.ics, RFC 5545) of a review cycle: the whole cycle, and each school's own.

Each review with a date is an all-day event from its first day to the day after its last
(DTEND is exclusive), with the host, the team, the focus and the status in its description
and the host's address as its location. Its UID comes from the review's uuid, the same in
every file and every export, and its SEQUENCE rises with each change to the review: a
calendar that imports the file again updates the event rather than adding a second one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from thep_desktop.domain.files import cut_to_size
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.peer_reviews.schedule_data import (
    ReviewSchedule,
    ScheduledReview,
    ScheduleSchool,
)
from thep_desktop.reports.shared.spreadsheet import replacing

PRODID = "-//THE Partnership Office//Peer reviews//EN"
UID_DOMAIN = "thep-office"
SLUG_SIZE = 60  # a school's name in a file name: readable, and far inside Windows' limits


def event_uid(review: ScheduledReview) -> str:
    """The event's identity in every calendar: the review's own, so a re-import updates it."""
    return f"{review.uuid}@{UID_DOMAIN}"


def slug(text: str) -> str:
    """``St Mary's & St John's C of E`` -> ``st-marys-st-johns-c-of-e``: a file name's part.

    Accents are dropped and everything but letters and digits becomes a hyphen, so the
    name is the same on every disk and in every email program.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = plain.casefold().replace("'", "")
    hyphened = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return cut_to_size(hyphened, SLUG_SIZE).strip("-") or "school"


def cycle_file_name(schedule: ReviewSchedule) -> str:
    """``peer-reviews-2025-26.ics``."""
    return f"peer-reviews-{slug(schedule.year_label)}.ics"


def school_file_name(schedule: ReviewSchedule, school: ScheduleSchool) -> str:
    """``peer-reviews-2025-26-100929-arnhem-wharf-primary-school.ics``."""
    return f"peer-reviews-{slug(schedule.year_label)}-{school.urn}-{slug(school.name)}.ics"


def _description(review: ScheduledReview, school: ScheduleSchool | None) -> str:
    lines = []
    if school is not None and school.school_id != review.host.school_id:
        lines += [f"{school.name} is on the review team at {review.host.name}.", ""]
    lines += [
        f"Host: {review.host.name} (URN {review.host.urn})",
        f"Cluster: {review.cluster_label}",
        f"Dates: {review.dates_label}",
        f"Reviewing schools: {', '.join(review.team_names) or 'none yet'}",
    ]
    lead = review.lead
    lines.append(f"Lead reviewer: {lead.short_label if lead else 'not named yet'}")
    if review.reviewers:
        lines.append("Reviewers:")
        lines += [f"- {reviewer.label}" for reviewer in review.reviewers]
    if review.focus:
        lines.append("Focus:")
        lines += [f"- {area}" for area in review.focus]
    lines.append(f"Status: {review.status_label}")
    return "\n".join(lines)


def review_event(
    review: ScheduledReview, stamp: datetime, school: ScheduleSchool | None = None
) -> Event:
    """The review as an all-day event; ``school`` is whose calendar it is in (None: the cycle's)."""
    days = review.days
    if not days:
        raise ValueError("a review without a date has no place in a calendar")
    reviewing = school is not None and school.school_id != review.host.school_id
    event = Event()
    event.add("uid", event_uid(review))
    event.add("dtstamp", stamp)
    event.add("dtstart", days[0])
    event.add("dtend", days[-1] + timedelta(days=1))
    event.add("last-modified", review.updated_at.astimezone(UTC))
    event.add("sequence", max(0, review.version - 1))
    event.add(
        "summary",
        f"Peer review at {review.host.name}" if reviewing else f"Peer review: {review.host.name}",
    )
    event.add("description", _description(review, school))
    event.add("location", ", ".join((review.host.name, *review.host_address)))
    event.add("status", "TENTATIVE" if review.status is ReviewStatus.PROPOSED else "CONFIRMED")
    event.add("categories", ["Peer review"])
    return event


def _calendar(
    name: str, reviews: Sequence[ScheduledReview], stamp: datetime, school: ScheduleSchool | None
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for review in reviews:
        if review.days:
            calendar.add_component(review_event(review, stamp, school))
    return calendar


def cycle_calendar(schedule: ReviewSchedule, stamp: datetime | None = None) -> Calendar:
    """Every review of the cycle that has a date."""
    return _calendar(schedule.title, schedule.reviews, stamp or datetime.now(UTC), None)


def school_calendar(
    schedule: ReviewSchedule, school: ScheduleSchool, stamp: datetime | None = None
) -> Calendar:
    """The review ``school`` hosts and those it sends reviewers to, each that has a date."""
    reviews = [review for review in schedule.reviews if review.involves(school.school_id)]
    return _calendar(
        f"{schedule.title}: {school.name}", reviews, stamp or datetime.now(UTC), school
    )


@dataclass(frozen=True)
class CalendarFile:
    """One calendar file to write: its name and contents, whose it is, and what it holds."""

    name: str
    data: bytes
    school: ScheduleSchool | None  # None: the whole cycle's
    events: int
    first_day: date | None
    last_day: date | None


def _file(name: str, calendar: Calendar, school: ScheduleSchool | None) -> CalendarFile:
    events = calendar.walk("VEVENT")
    firsts = [event.decoded("dtstart") for event in events]
    lasts = [event.decoded("dtend") - timedelta(days=1) for event in events]
    return CalendarFile(
        name,
        calendar.to_ical(),
        school,
        len(events),
        min(firsts, default=None),
        max(lasts, default=None),
    )


def calendar_files(
    schedule: ReviewSchedule,
    *,
    whole_cycle: bool = True,
    schools: Sequence[ScheduleSchool] = (),
    stamp: datetime | None = None,
) -> list[CalendarFile]:
    """The files to write: the cycle's (when asked), then each school's named.

    A school none of whose reviews has a date yet gets no file (it would be empty).
    """
    stamp = stamp or datetime.now(UTC)
    files = []
    if whole_cycle:
        files.append(_file(cycle_file_name(schedule), cycle_calendar(schedule, stamp), None))
    for school in schools:
        if any(r.days for r in schedule.reviews if r.involves(school.school_id)):
            calendar = school_calendar(schedule, school, stamp)
            files.append(_file(school_file_name(schedule, school), calendar, school))
    return files


def write_calendar_files(
    folder: str | Path, files: Sequence[CalendarFile], progress: Progress | None = None
) -> list[Path]:
    """Write the files into ``folder``, all of them or none; returns their paths.

    Each is written beside its name first; only when every one is complete do they take
    their names, so a disk filling up half-way leaves no calendar half-written or missing.
    Raises :class:`~thep_desktop.reports.shared.spreadsheet.ExportError` in words; Cancel
    (through ``progress``) before the last is written leaves none.
    """
    target = Path(folder)
    paths = [target / file.name for file in files]
    with ExitStack() as stack:
        for number, (path, file) in enumerate(zip(paths, files, strict=True)):
            if progress is not None:
                progress.report(number, len(files), f"Writing {file.name}…")
            temporary = stack.enter_context(replacing(path))
            temporary.write_bytes(file.data)
    return paths
