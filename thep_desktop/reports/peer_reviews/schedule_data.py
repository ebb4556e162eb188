"""A review cycle's schedule as plain data, for its PDF, its workbook and its calendar files."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import QaOutcome, ReviewStatus

NO_CLUSTER = "No cluster"


@dataclass(frozen=True)
class ScheduleSchool:
    school_id: int
    urn: int
    name: str


@dataclass(frozen=True)
class ScheduleReviewer:
    name: str
    job_title: str = ""
    school_name: str = ""
    email: str = ""
    is_lead: bool = False

    @property
    def label(self) -> str:
        """``Jo Smith, Headteacher, Bow School (lead)``."""
        text = ", ".join(part for part in (self.name, self.job_title, self.school_name) if part)
        return f"{text} (lead)" if self.is_lead else text

    @property
    def short_label(self) -> str:
        """``Jo Smith (Bow School)``: the lead as a column shows it."""
        return f"{self.name} ({self.school_name})" if self.school_name else self.name


@dataclass(frozen=True)
class ScheduledReview:
    """One review as the schedule shows it; ``updated_at`` is when it was last changed (UTC)."""

    uuid: uuid.UUID
    version: int
    updated_at: datetime
    cluster: str
    host: ScheduleSchool
    host_address: tuple[str, ...]
    starts_on: date | None
    ends_on: date | None
    team: tuple[ScheduleSchool, ...]  # the reviewing schools, lead's first
    reviewers: tuple[ScheduleReviewer, ...]
    focus: tuple[str, ...]  # one focus area each
    status: ReviewStatus
    status_dates: dict[ReviewStatus, date] = field(default_factory=dict)
    qa_outcome: QaOutcome | None = None

    @property
    def cluster_label(self) -> str:
        return self.cluster or NO_CLUSTER

    @property
    def lead(self) -> ScheduleReviewer | None:
        return next((reviewer for reviewer in self.reviewers if reviewer.is_lead), None)

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the visit, first to last (none while it has no date)."""
        if self.starts_on is None:
            return ()
        last = self.ends_on or self.starts_on
        return tuple(
            self.starts_on + timedelta(days=n) for n in range((last - self.starts_on).days + 1)
        )

    @property
    def day_names(self) -> str:
        """``Tuesday`` or ``Tuesday to Wednesday``; empty while the review has no date."""
        days = self.days
        if not days:
            return ""
        if len(days) == 1:
            return f"{days[0]:%A}"
        return f"{days[0]:%A} to {days[-1]:%A}"

    @property
    def dates_label(self) -> str:
        """``Tuesday 04/11/2025`` (``… to Wednesday 05/11/2025``), or "No date yet"."""
        days = self.days
        if not days:
            return "No date yet"
        first = f"{days[0]:%A} {format_date(days[0])}"
        if len(days) == 1:
            return first
        return f"{first} to {days[-1]:%A} {format_date(days[-1])}"

    @property
    def team_names(self) -> tuple[str, ...]:
        return tuple(school.name for school in self.team)

    def involves(self, school_id: int) -> bool:
        """The school hosts this review or sends reviewers to it."""
        return self.host.school_id == school_id or any(
            school.school_id == school_id for school in self.team
        )

    @property
    def status_label(self) -> str:
        """``Confirmed 12/09/2025``: the status and the day it was reached, when known."""
        on = self.status_dates.get(self.status)
        return f"{self.status.label} {format_date(on)}" if on else self.status.label


@dataclass(frozen=True)
class ReviewSchedule:
    """A cycle's reviews (all, or one cluster's), by date; ``printed_at`` is local time."""

    title: str  # "Peer reviews 2025/26"
    year_label: str  # "2025/26"
    reviews: tuple[ScheduledReview, ...]
    cluster: str = ""  # the one cluster shown, or "" for every cluster
    printed_at: datetime = field(default_factory=datetime.now)

    @property
    def heading(self) -> str:
        return f"{self.title}: {self.cluster}" if self.cluster else self.title

    @property
    def clusters(self) -> tuple[str, ...]:
        """The clusters in the order they are listed: by name, reviews without one last."""
        names = {review.cluster_label for review in self.reviews}
        return tuple(sorted(names, key=lambda name: (name == NO_CLUSTER, name.casefold(), name)))

    def of_cluster(self, name: str) -> tuple[ScheduledReview, ...]:
        return tuple(review for review in self.reviews if review.cluster_label == name)

    @property
    def schools(self) -> tuple[ScheduleSchool, ...]:
        """Every school hosting or reviewing, by name."""
        found: dict[int, ScheduleSchool] = {}
        for review in self.reviews:
            for school in (review.host, *review.team):
                found.setdefault(school.school_id, school)
        return tuple(sorted(found.values(), key=lambda s: (s.name.casefold(), s.urn)))

    def hosting(self, school_id: int) -> tuple[ScheduledReview, ...]:
        return tuple(review for review in self.reviews if review.host.school_id == school_id)

    def reviewing(self, school_id: int) -> tuple[ScheduledReview, ...]:
        return tuple(
            review
            for review in self.reviews
            if any(school.school_id == school_id for school in review.team)
        )

    def summary(self) -> str:
        """``24 reviews: 10 proposed, 8 confirmed, 6 completed.``"""
        count = len(self.reviews)
        text = f"{count:,} review{'s' if count != 1 else ''}"
        by_status = Counter(review.status for review in self.reviews)
        parts = [
            f"{by_status[status]:,} {status.label.casefold()}"
            for status in ReviewStatus
            if by_status[status]
        ]
        undated = sum(1 for review in self.reviews if review.starts_on is None)
        if undated:
            parts.append(f"{undated:,} without a date yet")
        return f"{text}: {', '.join(parts)}." if parts else f"{text}."
