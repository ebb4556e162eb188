"""A review cycle's schedule to files: a PDF on the letterhead, a workbook, calendar files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Cluster, Review
from thep_desktop.reports.peer_reviews.review_calendar import calendar_files, write_calendar_files
from thep_desktop.reports.peer_reviews.schedule_data import (
    ReviewSchedule,
    ScheduledReview,
    ScheduleReviewer,
    ScheduleSchool,
)
from thep_desktop.reports.peer_reviews.schedule_pdf import write_schedule_pdf
from thep_desktop.reports.peer_reviews.schedule_xlsx import write_schedule_xlsx
from thep_desktop.services.letters.mail_merge import letterhead_from
from thep_desktop.services.peer_reviews.review_data import CycleDetail, ReviewDetail, ReviewFilter
from thep_desktop.services.peer_reviews.reviews_service import ReviewsService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW


def scheduled(review: ReviewDetail, updated_at: datetime) -> ScheduledReview:
    """A review as the exports show it (plain data: the reports know no services)."""
    return ScheduledReview(
        uuid=review.uuid,
        version=review.version,
        updated_at=updated_at,
        cluster=review.cluster_name,
        host=ScheduleSchool(review.host_school_id, review.host_urn, review.host_name),
        host_address=review.host_address,
        starts_on=review.starts_on,
        ends_on=review.ends_on,
        team=tuple(ScheduleSchool(s.school_id, s.urn, s.name) for s in review.team),
        reviewers=tuple(
            ScheduleReviewer(r.name, r.job_title, r.school_name, r.email, r.is_lead)
            for r in review.reviewers
        ),
        focus=review.focus_areas,
        status=review.status,
        status_dates=dict(review.status_dates),
        qa_outcome=review.qa_outcome,
    )


@dataclass(frozen=True)
class WrittenCalendar:
    """A calendar file written: where, whose (None: the whole cycle's), and its events."""

    path: Path
    school: ScheduleSchool | None
    events: int
    first_day: date | None
    last_day: date | None


class ReviewExportsService:
    """The schedule of a cycle (or of one of its clusters) as the office hands it out."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._reviews = ReviewsService(database)
        self._organisation = OrganisationService(database)

    def schedule(
        self, actor: Actor, cycle_id: int, cluster_id: int | None = None
    ) -> ReviewSchedule:
        """The cycle's reviews by date; refused in words when there are none to show."""
        actor.require(VIEW)
        cycle = self._reviews.get_cycle(actor, cycle_id)
        cluster_name = self._cluster_name(cluster_id) if cluster_id is not None else ""
        details = self._reviews.list_reviews(actor, cycle_id, ReviewFilter(cluster_id=cluster_id))
        if not details:
            if cluster_id is not None:
                raise ServiceError(
                    f"The cluster {cluster_name} has no reviews in {cycle.title} yet: generate "
                    "its schedule or add its reviews first."
                )
            raise ServiceError(
                f"{cycle.title} has no reviews yet: generate the schedule or add reviews first, "
                "then export it."
            )
        changed = self._changed_at(cycle_id)
        return ReviewSchedule(
            title=cycle.title,
            year_label=cycle.year.label,
            reviews=tuple(scheduled(d, changed.get(d.id, datetime.now(UTC))) for d in details),
            cluster=cluster_name,
        )

    def schedule_pdf(
        self,
        actor: Actor,
        cycle_id: int,
        out: str | Path,
        cluster_id: int | None = None,
        progress: Progress | None = None,
    ) -> ReviewSchedule:
        """The schedule on the letterhead at ``out`` (.pdf), written whole or not at all."""
        target = _checked_path(out, ".pdf", "Choose a file ending .pdf for the schedule.")
        _reading(progress)
        schedule = self.schedule(actor, cycle_id, cluster_id)
        letterhead = letterhead_from(self._organisation.get_profile(actor))
        write_schedule_pdf(target, schedule, letterhead, progress)
        return schedule

    def schedule_xlsx(
        self,
        actor: Actor,
        cycle_id: int,
        out: str | Path,
        cluster_id: int | None = None,
        progress: Progress | None = None,
    ) -> ReviewSchedule:
        """The schedule as a workbook at ``out`` (.xlsx): every review, and by school."""
        target = _checked_path(out, ".xlsx", "Choose a file ending .xlsx for the schedule.")
        _reading(progress)
        schedule = self.schedule(actor, cycle_id, cluster_id)
        write_schedule_xlsx(target, schedule, source=str(self.db.describe()), progress=progress)
        return schedule

    def calendars(
        self,
        actor: Actor,
        cycle_id: int,
        folder: str | Path,
        per_school: bool = True,
        whole_cycle: bool = True,
        school_id: int | None = None,
        progress: Progress | None = None,
    ) -> list[Path]:
        """Calendar files in ``folder``: the whole cycle's, and one per school taking part
        (only ``school_id``'s when given); all written or none. Returns the files written."""
        written = self.write_calendars(
            actor, cycle_id, folder, per_school, whole_cycle, school_id, progress
        )
        return [file.path for file in written]

    def write_calendars(
        self,
        actor: Actor,
        cycle_id: int,
        folder: str | Path,
        per_school: bool = True,
        whole_cycle: bool = True,
        school_id: int | None = None,
        progress: Progress | None = None,
    ) -> list[WrittenCalendar]:
        """As :meth:`calendars`, saying of each file whose it is and what it holds."""
        actor.require(VIEW)
        if not per_school and not whole_cycle:
            raise ValidationError(
                {"calendars": "Choose one file for the whole cycle, one per school, or both."}
            )
        target = Path(folder)
        if not target.is_dir():
            raise ValidationError(
                {"folder": f"The folder {target} does not exist. Choose another folder."}
            )
        _reading(progress)
        schedule = self.schedule(actor, cycle_id)
        cycle = self._reviews.get_cycle(actor, cycle_id)
        if not any(review.days for review in schedule.reviews):
            raise ServiceError(
                f"None of the {len(schedule.reviews)} reviews of {cycle.title} has a date yet, so "
                "there is nothing to put in a calendar."
            )
        schools = schedule.schools if per_school else ()
        if school_id is not None:
            schools = tuple(s for s in schedule.schools if s.school_id == school_id)
            _check_school_has_dates(schedule, cycle, school_id, schools)
        files = calendar_files(schedule, whole_cycle=whole_cycle, schools=schools)
        paths = write_calendar_files(target, files, progress)
        return [
            WrittenCalendar(path, file.school, file.events, file.first_day, file.last_day)
            for path, file in zip(paths, files, strict=True)
        ]

    def _cluster_name(self, cluster_id: int) -> str:
        with self.db.read_session() as session:
            name = session.scalar(select(Cluster.name).where(Cluster.id == cluster_id))
        if name is None:
            raise NotFoundError("This cluster is no longer there: someone may have deleted it.")
        return name

    def _changed_at(self, cycle_id: int) -> dict[int, datetime]:
        """When each review of the cycle was last changed (a calendar's LAST-MODIFIED)."""
        with self.db.read_session() as session:
            rows = session.execute(
                select(Review.id, Review.updated_at).where(Review.cycle_id == cycle_id)
            )
            return {review_id: updated_at for review_id, updated_at in rows}


def _check_school_has_dates(
    schedule: ReviewSchedule,
    cycle: CycleDetail,
    school_id: int,
    schools: tuple[ScheduleSchool, ...],
) -> None:
    if not schools:
        raise ServiceError(
            f"That school neither hosts nor reviews in {cycle.title}, so it has no calendar."
        )
    school = schools[0]
    if not any(r.days for r in schedule.reviews if r.involves(school_id)):
        raise ServiceError(
            f"None of {school.name}'s reviews in {cycle.title} has a date yet, so there is "
            "nothing to put in its calendar."
        )


def _reading(progress: Progress | None) -> None:
    if progress is not None:
        progress.report(0, 0, "Reading the schedule…")


def _checked_path(out: str | Path, suffix: str, message: str) -> Path:
    target = Path(out)
    if target.suffix.casefold() != suffix:
        raise ValidationError({"path": message})
    return target
