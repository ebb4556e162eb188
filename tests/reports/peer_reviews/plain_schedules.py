"""Schedules as plain data for the report tests (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.reports.peer_reviews.schedule_data import (
    ReviewSchedule,
    ScheduledReview,
    ScheduleReviewer,
    ScheduleSchool,
)

BOW = ScheduleSchool(1, 100929, "Bow School")
MARNER = ScheduleSchool(2, 100932, "Marner Primary School")
ST_MARYS = ScheduleSchool(3, 100933, "St Mary & St John's C of E Primary")
OLGA = ScheduleSchool(4, 100936, "Olga Primary School")
CHANGED = datetime(2025, 9, 12, 9, 30, tzinfo=UTC)


def review(
    host: ScheduleSchool,
    team: tuple[ScheduleSchool, ...],
    starts_on: date | None,
    ends_on: date | None = None,
    *,
    status: ReviewStatus = ReviewStatus.PROPOSED,
    cluster: str = "Bow and Poplar",
    focus: tuple[str, ...] = (),
    version: int = 1,
    key: int = 0,
) -> ScheduledReview:
    return ScheduledReview(
        uuid=uuid.UUID(int=key or host.school_id),
        version=version,
        updated_at=CHANGED,
        cluster=cluster,
        host=host,
        host_address=("1 School Lane", "London", "E3 2AA"),
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        team=team,
        reviewers=tuple(
            ScheduleReviewer(f"Head of {school.name}", "Headteacher", school.name, is_lead=n == 0)
            for n, school in enumerate(team)
        ),
        focus=focus,
        status=status,
        status_dates={ReviewStatus.PROPOSED: date(2025, 9, 1)}
        | ({status: date(2025, 9, 12)} if status is not ReviewStatus.PROPOSED else {}),
    )


def schedule() -> ReviewSchedule:
    """Four reviews in two clusters; Bow's lasts two days, Olga's has no date yet."""
    return ReviewSchedule(
        title="Peer reviews 2025/26",
        year_label="2025/26",
        reviews=(
            review(
                BOW,
                (MARNER, ST_MARYS),
                date(2025, 11, 4),
                date(2025, 11, 5),
                status=ReviewStatus.CONFIRMED,
                focus=("Reading in Key Stage 1", "Attendance & punctuality"),
                version=3,
            ),
            review(MARNER, (ST_MARYS, BOW), date(2025, 11, 18)),
            review(ST_MARYS, (BOW, MARNER), date(2026, 1, 13), cluster="Poplar & Limehouse"),
            review(OLGA, (BOW, MARNER), None, cluster="Poplar & Limehouse"),
        ),
        printed_at=datetime(2026, 11, 30, 14, 5),
    )
