"""Review cycles and their reviews: teams, dates, focus, status and quality assurance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear, AcademicYearError
from thep_desktop.domain.peer_reviews import (
    QaOutcome,
    ReviewStatus,
    ScheduleRules,
    TermName,
)
from thep_desktop.models import (
    Cluster,
    ClusterSchool,
    Review,
    ReviewCycle,
    Reviewer,
    ReviewSchool,
    School,
)
from thep_desktop.models.base import utcnow
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    CycleDetail,
    CycleInput,
    ReviewDetail,
    ReviewerDetail,
    ReviewFilter,
    ReviewInput,
    SavedReview,
    SchoolReviews,
    TeamSchool,
)
from thep_desktop.services.schools.school_data import head_name
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

CYCLE_LABELS = {
    "academic_year": "Academic year",
    "name": "Name",
    "team_size": "Schools in each team",
    "reviews_per_school": "Reviews each school gives",
    "visit_days": "Days a visit lasts",
    "terms": "Terms",
    "seed": "Seed",
    "focus": "Focus areas",
    "notes": "Notes",
}
REVIEW_LABELS = {
    "host_school_id": "Host school",
    "cluster_id": "Cluster",
    "starts_on": "First day of the visit",
    "ends_on": "Last day of the visit",
    "team_school_ids": "Reviewing schools",
    "reviewers": "Reviewers",
    "focus": "Focus areas",
    "notes": "Notes",
    "qa_notes": "Quality assurance notes",
}
STATUS_DATE_COLUMNS = {
    ReviewStatus.PROPOSED: "proposed_on",
    ReviewStatus.CONFIRMED: "confirmed_on",
    ReviewStatus.COMPLETED: "completed_on",
    ReviewStatus.REPORT_RECEIVED: "report_received_on",
    ReviewStatus.QUALITY_ASSURED: "quality_assured_on",
}
_REVIEW_GONE = "This review is no longer there: someone else may have deleted it."
_CYCLE_GONE = "This review cycle is no longer there: someone else may have deleted it."


def parse_year(value: AcademicYear | str | int) -> AcademicYear:
    if isinstance(value, AcademicYear):
        return value
    if isinstance(value, int):
        return AcademicYear(value)
    return AcademicYear.parse(value)


def rules_of(row: ReviewCycle) -> ScheduleRules:
    terms = tuple(TermName(name) for name in row.terms.split(",") if name)
    return ScheduleRules(
        team_size=row.team_size,
        reviews_per_school=row.reviews_per_school,
        visit_days=row.visit_days,
        avoid_same_trust=row.avoid_same_trust,
        no_mutual_in_same_term=row.no_mutual_in_same_term,
        one_visit_per_week=row.one_visit_per_week,
        terms=terms,
    )


class ReviewsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # -- cycles ---------------------------------------------------------------------------

    def list_cycles(self, actor: Actor) -> list[CycleDetail]:
        """Every cycle, latest year first, with its reviews counted by status."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = list(
                session.scalars(select(ReviewCycle).order_by(ReviewCycle.academic_year.desc()))
            )
            return _cycles(session, rows)

    def get_cycle(self, actor: Actor, cycle_id: int) -> CycleDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(ReviewCycle, cycle_id)
            if row is None:
                raise NotFoundError(_CYCLE_GONE)
            return _cycles(session, [row])[0]

    def cycle_for_year(self, actor: Actor, year: AcademicYear | str | int) -> CycleDetail:
        """The cycle of an academic year (``2025/26``); NotFoundError in words when none."""
        actor.require(VIEW)
        try:
            wanted = parse_year(year)
        except AcademicYearError as exc:
            raise ValidationError({"academic_year": str(exc)}) from None
        with self.db.read_session() as session:
            row = session.scalar(
                select(ReviewCycle).where(ReviewCycle.academic_year == wanted.start_year)
            )
            if row is None:
                raise NotFoundError(f"There is no peer-review cycle for {wanted.label} yet.")
            return _cycles(session, [row])[0]

    @save
    def save_cycle(
        self,
        actor: Actor,
        data: CycleInput,
        cycle_id: int | None = None,
        expected_version: int | None = None,
    ) -> CycleDetail:
        """A new cycle for a year, or a change to its rules; refused in words, nothing saved."""
        actor.require(MANAGE_REVIEWS)
        checker = FieldChecker(ReviewCycle.__table__, CYCLE_LABELS)  # type: ignore[arg-type]
        year: AcademicYear | None = None
        try:
            year = parse_year(data.academic_year)
        except AcademicYearError as exc:
            checker.fail("academic_year", str(exc))
        values: dict[str, object] = {
            "name": checker.text("name", data.name),
            "team_size": checker.whole_number("team_size", data.team_size, minimum=1, maximum=6),
            "reviews_per_school": checker.whole_number(
                "reviews_per_school", data.reviews_per_school, minimum=1, maximum=6
            ),
            "visit_days": checker.whole_number("visit_days", data.visit_days, minimum=1, maximum=5),
            "seed": checker.whole_number("seed", data.seed, minimum=0, maximum=2_000_000_000),
            "avoid_same_trust": bool(data.avoid_same_trust),
            "no_mutual_in_same_term": bool(data.no_mutual_in_same_term),
            "one_visit_per_week": bool(data.one_visit_per_week),
            "focus": checker.text("focus", data.focus),
            "notes": checker.text("notes", data.notes),
        }
        for required in ("team_size", "reviews_per_school", "visit_days"):
            if values[required] is None and required not in checker.errors:
                checker.fail(required, f"{checker.label(required)} is required")
        if values["seed"] is None:
            values["seed"] = 0
        try:
            terms = [TermName(name) for name in data.terms]
        except ValueError:
            terms = []
        if not terms:
            checker.fail("terms", "Choose at least one term for the visits.")
        values["terms"] = ",".join(term.value for term in sorted(set(terms), key=lambda t: t.order))
        if checker.errors:
            raise ValidationError(checker.errors)
        assert year is not None
        values["academic_year"] = year.start_year
        try:
            with self.db.session() as session:
                other = session.scalar(
                    select(ReviewCycle.id).where(ReviewCycle.academic_year == year.start_year)
                )
                if other is not None and other != cycle_id:
                    raise ValidationError(
                        {"academic_year": f"There is already a cycle for {year.label}."}
                    )
                if cycle_id is None:
                    row = ReviewCycle(**values, created_by=actor.name, updated_by=actor.name)
                    session.add(row)
                else:
                    found = session.get(ReviewCycle, cycle_id)
                    if found is None:
                        raise NotFoundError(_CYCLE_GONE)
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("review cycle")
                    if row.academic_year != year.start_year and _count_reviews(session, row.id):
                        raise ValidationError(
                            {
                                "academic_year": "This cycle has reviews, so its year stays "
                                f"{AcademicYear(row.academic_year).label}."
                            }
                        )
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.updated_at = utcnow()
                    row.updated_by = actor.name
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("review cycle") from None
        except IntegrityError:
            raise ValidationError(
                {"academic_year": f"There is already a cycle for {year.label}."}
            ) from None
        return self.get_cycle(actor, new_id)

    # -- reviews --------------------------------------------------------------------------

    def list_reviews(
        self, actor: Actor, cycle_id: int, where: ReviewFilter | None = None
    ) -> list[ReviewDetail]:
        """The cycle's reviews by visit date (undated last), then host: four statements."""
        actor.require(VIEW)
        where = where or ReviewFilter()
        with self.db.read_session() as session:
            query = select(Review).where(Review.cycle_id == cycle_id)
            if where.cluster_id is not None:
                query = query.where(Review.cluster_id == where.cluster_id)
            if where.statuses:
                query = query.where(Review.status.in_(where.statuses))
            if where.school_id is not None:
                reviewing = select(ReviewSchool.review_id).where(
                    ReviewSchool.school_id == where.school_id
                )
                query = query.where(
                    or_(Review.host_school_id == where.school_id, Review.id.in_(reviewing))
                )
            rows = list(session.scalars(_with_team(query)))
            details = _reviews(session, rows)
        if where.search.strip():
            words = where.search.casefold().split()
            details = [d for d in details if all(word in _haystack(d) for word in words)]
        return sorted(
            details,
            key=lambda d: (d.starts_on is None, d.starts_on or date.max, d.host_name.casefold()),
        )

    def get_review(self, actor: Actor, review_id: int) -> ReviewDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(_with_team(select(Review).where(Review.id == review_id)))
            if row is None:
                raise NotFoundError(_REVIEW_GONE)
            return _reviews(session, [row])[0]

    def school_reviews(self, actor: Actor, cycle_id: int, school_id: int) -> SchoolReviews:
        """One school's year: the review it hosts and those it sends reviewers to."""
        reviews = self.list_reviews(actor, cycle_id, ReviewFilter(school_id=school_id))
        with self.db.read_session() as session:
            school = session.get(School, school_id)
            if school is None:
                raise NotFoundError("This school is no longer in the register.")
            name = school.name
        hosting = tuple(r for r in reviews if r.host_school_id == school_id)
        reviewing = tuple(r for r in reviews if r.host_school_id != school_id)
        return SchoolReviews(school_id, name, hosting, reviewing)

    @save
    def save_review(
        self,
        actor: Actor,
        data: ReviewInput,
        review_id: int | None = None,
        expected_version: int | None = None,
    ) -> SavedReview:
        """A new review or a change to one (date moved, reviewer swapped, focus written).

        What cannot be stored is refused in words and nothing saved: no host, the host on
        its own team, a last day before the first, two lead reviewers. What the schedule's
        rules say (a weekend, a school reviewing twice in a week...) is not refused: the
        saved review comes back with the cycle's breaches that concern it, as warnings.
        """
        actor.require(MANAGE_REVIEWS)
        values = _checked_review(data)
        try:
            with self.db.session() as session:
                cycle = session.get(ReviewCycle, data.cycle_id)
                if cycle is None:
                    raise NotFoundError(_CYCLE_GONE)
                _check_references(session, data)
                if review_id is None:
                    row = Review(
                        cycle_id=data.cycle_id,
                        status=ReviewStatus.PROPOSED,
                        proposed_on=date.today(),
                        created_by=actor.name,
                        updated_by=actor.name,
                        **values,
                    )
                    row.team = []
                    row.reviewers = []
                    session.add(row)
                else:
                    found = session.scalar(_with_team(select(Review).where(Review.id == review_id)))
                    if found is None:
                        raise NotFoundError(_REVIEW_GONE)
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("review")
                    if row.cycle_id != data.cycle_id:
                        raise ValidationError({"cycle_id": "A review stays in its cycle."})
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.updated_at = utcnow()
                    row.updated_by = actor.name
                set_team(row, data.team_school_ids, actor)
                set_reviewers(row, data, actor)
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("review") from None
        review = self.get_review(actor, new_id)
        return SavedReview(review, tuple(self._warnings(actor, review)))

    def _warnings(self, actor: Actor, review: ReviewDetail) -> list:
        from thep_desktop.services.peer_reviews.scheduling_service import breaches_of_review

        return breaches_of_review(self.db, actor, review)

    @save
    def move_review(
        self, actor: Actor, review_id: int, starts_on: date | None, expected_version: int
    ) -> SavedReview:
        """The visit moved to start on another day (dragged in the calendar), same length."""
        review = self.get_review(actor, review_id)
        if review.version != expected_version:
            raise changed_meanwhile("review")
        length = (
            (review.ends_on - review.starts_on).days if review.starts_on and review.ends_on else 0
        )
        data = review.as_input()
        ends_on = None if starts_on is None else date.fromordinal(starts_on.toordinal() + length)
        moved = ReviewInput(**{**data.__dict__, "starts_on": starts_on, "ends_on": ends_on})
        return self.save_review(actor, moved, review_id, expected_version)

    @save
    def set_status(
        self,
        actor: Actor,
        review_id: int,
        status: ReviewStatus,
        on: date | None,
        expected_version: int,
        qa_outcome: QaOutcome | None = None,
        qa_notes: str = "",
    ) -> ReviewDetail:
        """Move a review to ``status`` on a date; each step keeps the date it was reached.

        Going back a step clears the later steps' dates (a visit that did not happen after
        all). A review is confirmed only with a date and a full team; completed only once its
        visit has started; quality-assured only with an outcome.
        """
        actor.require(MANAGE_REVIEWS)
        on = on or date.today()
        checker = FieldChecker(Review.__table__, REVIEW_LABELS)  # type: ignore[arg-type]
        notes = checker.text("qa_notes", qa_notes)
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                row = session.scalar(_with_team(select(Review).where(Review.id == review_id)))
                if row is None:
                    raise NotFoundError(_REVIEW_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("review")
                _apply_status(session, row, status, on, qa_outcome, notes)
                row.updated_at = utcnow()
                row.updated_by = actor.name
        except StaleDataError:
            raise changed_meanwhile("review") from None
        return self.get_review(actor, review_id)

    @save
    def confirm_reviews(
        self, actor: Actor, review_ids: Sequence[int], on: date | None = None
    ) -> int:
        """Confirm the proposed reviews among these, together or not at all; returns how many."""
        actor.require(MANAGE_REVIEWS)
        on = on or date.today()
        with self.db.session() as session:
            rows = list(
                session.scalars(_with_team(select(Review).where(Review.id.in_(review_ids))))
            )
            proposed = [row for row in rows if row.status is ReviewStatus.PROPOSED]
            for row in proposed:
                _apply_status(session, row, ReviewStatus.CONFIRMED, on, None, row.qa_notes)
                row.updated_at = utcnow()
                row.updated_by = actor.name
            return len(proposed)

    @save
    def delete_review(self, actor: Actor, review_id: int, expected_version: int) -> None:
        """Remove a review that is still only proposed; one confirmed or later stays."""
        actor.require(MANAGE_REVIEWS)
        with self.db.session() as session:
            row = session.scalar(_with_team(select(Review).where(Review.id == review_id)))
            if row is None:
                raise NotFoundError(_REVIEW_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("review")
            if row.status is not ReviewStatus.PROPOSED:
                raise ServiceError(
                    f"This review is {row.status.label.lower()}, so it stays on record. Move it "
                    "back to proposed first if it is not to happen."
                )
            session.delete(row)


def _apply_status(
    session: Session,
    row: Review,
    status: ReviewStatus,
    on: date,
    qa_outcome: QaOutcome | None,
    qa_notes: str,
) -> None:
    if status.order >= ReviewStatus.CONFIRMED.order:
        problems = []
        if row.starts_on is None:
            problems.append("it has no visit date")
        if not row.team:
            problems.append("it has no reviewing schools")
        if problems:
            host = session.get(School, row.host_school_id)
            raise ValidationError(
                {
                    "status": f"The review at {host.name if host else 'this school'} cannot be "
                    f"{status.label.lower()}: {' and '.join(problems)}."
                }
            )
    if status.order >= ReviewStatus.COMPLETED.order and row.starts_on and on < row.starts_on:
        raise ValidationError(
            {
                "status": f"A visit starting on {row.starts_on:%d/%m/%Y} cannot be "
                f"{status.label.lower()} on {on:%d/%m/%Y}."
            }
        )
    for step in ReviewStatus:
        reached = getattr(row, STATUS_DATE_COLUMNS[step])
        # Steps run in order in time too (being proposed is when the record was made, so a
        # review entered after the event may be confirmed on an earlier day).
        if step is ReviewStatus.PROPOSED or step.order >= status.order or reached is None:
            continue
        if on < reached:
            raise ValidationError(
                {
                    "status": f"The review was {step.label.lower()} on {reached:%d/%m/%Y}, so "
                    f"“{status.label}” cannot be dated {on:%d/%m/%Y}, before that."
                }
            )
    if status is ReviewStatus.QUALITY_ASSURED and qa_outcome is None and row.qa_outcome is None:
        raise ValidationError({"qa_outcome": "Choose what quality assurance found."})
    for step in ReviewStatus:
        column = STATUS_DATE_COLUMNS[step]
        if step.order > status.order:
            setattr(row, column, None)
        elif getattr(row, column) is None or step is status:
            if step is not ReviewStatus.PROPOSED or getattr(row, column) is None:
                setattr(row, column, on if step is status else getattr(row, column) or on)
    row.status = status
    if status is ReviewStatus.QUALITY_ASSURED:
        row.qa_outcome = qa_outcome or row.qa_outcome
        row.qa_notes = qa_notes or row.qa_notes
    elif status.order < ReviewStatus.QUALITY_ASSURED.order:
        row.qa_outcome = None


def _checked_review(data: ReviewInput) -> dict[str, object]:
    checker = FieldChecker(Review.__table__, REVIEW_LABELS)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "host_school_id": data.host_school_id,
        "cluster_id": data.cluster_id,
        "focus": checker.text("focus", data.focus),
        "notes": checker.text("notes", data.notes),
    }
    starts_on, ends_on = data.starts_on, data.ends_on
    if starts_on is None and ends_on is not None:
        checker.fail("starts_on", "Give the first day of the visit as well as the last.")
    if starts_on is not None and ends_on is None:
        ends_on = starts_on
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            checker.fail(
                "ends_on",
                f"The visit ends on {ends_on:%d/%m/%Y}, before it starts on {starts_on:%d/%m/%Y}.",
            )
        elif (ends_on - starts_on).days > 4:
            checker.fail("ends_on", "A visit lasts five days at most.")
    values["starts_on"], values["ends_on"] = starts_on, ends_on
    if not data.host_school_id:
        checker.fail("host_school_id", "Choose the school the review is at.")
    team = tuple(data.team_school_ids)
    if len(set(team)) != len(team):
        checker.fail("team_school_ids", "A school is on the team twice.")
    if data.host_school_id in team:
        checker.fail("team_school_ids", "The host school cannot review itself.")
    leads = [r for r in data.reviewers if r.is_lead]
    if len(leads) > 1:
        checker.fail("reviewers", "Only one reviewer leads the review.")
    reviewer_checker = FieldChecker(Reviewer.__table__, {"name": "Reviewer's name"})  # type: ignore[arg-type]
    for number, reviewer in enumerate(data.reviewers, start=1):
        if not reviewer.name.strip():
            checker.fail("reviewers", f"Reviewer {number} has no name.")
        reviewer_checker.text("name", reviewer.name)
        reviewer_checker.text("job_title", reviewer.job_title)
        if reviewer.school_id is not None and reviewer.school_id not in team:
            checker.fail(
                "reviewers",
                f"Reviewer {number} ({reviewer.name}) is from a school not on the team.",
            )
    for message in reviewer_checker.errors.values():
        checker.fail("reviewers", message)
    if checker.errors:
        raise ValidationError(checker.errors)
    return values


def _check_references(session: Session, data: ReviewInput) -> None:
    wanted = {data.host_school_id, *data.team_school_ids}
    found = set(session.scalars(select(School.id).where(School.id.in_(wanted))))
    if data.host_school_id not in found:
        raise ValidationError({"host_school_id": "This school is no longer in the register."})
    if wanted - found:
        raise ValidationError(
            {"team_school_ids": "A reviewing school is no longer in the register."}
        )
    if data.cluster_id is not None:
        cluster = session.get(Cluster, data.cluster_id)
        if cluster is None:
            raise ValidationError({"cluster_id": "This cluster is no longer there."})
        members = set(
            session.scalars(
                select(ClusterSchool.school_id).where(ClusterSchool.cluster_id == cluster.id)
            )
        )
        if data.host_school_id not in members:
            raise ValidationError(
                {"host_school_id": f"The host school is not in the cluster {cluster.name}."}
            )


def set_team(row: Review, school_ids: Sequence[int], actor: Actor) -> None:
    """The review's reviewing schools become these, in this order."""
    keep = {school_id: position for position, school_id in enumerate(school_ids)}
    for member in list(row.team):
        if member.school_id not in keep:
            row.team.remove(member)
    present = {member.school_id: member for member in row.team}
    for school_id, position in keep.items():
        kept = present.get(school_id)
        if kept is None:
            row.team.append(
                ReviewSchool(
                    school_id=school_id,
                    position=position,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
            )
        elif kept.position != position:
            kept.position = position
            kept.updated_by = actor.name


def set_reviewers(row: Review, data: ReviewInput, actor: Actor) -> None:
    """The named reviewers become these; unchanged ones keep their rows (and history)."""

    def key(name: str, school_id: int | None) -> tuple[str, int | None]:
        return " ".join(name.split()).casefold(), school_id

    wanted = {key(r.name, r.school_id): (position, r) for position, r in enumerate(data.reviewers)}
    for reviewer in list(row.reviewers):
        if key(reviewer.name, reviewer.school_id) not in wanted:
            row.reviewers.remove(reviewer)
    present = {key(r.name, r.school_id): r for r in row.reviewers}
    for found_key, (position, given) in wanted.items():
        values = {
            "name": " ".join(given.name.split()),
            "school_id": given.school_id,
            "job_title": given.job_title.strip(),
            "email": given.email.strip(),
            "is_lead": bool(given.is_lead),
            "position": position,
        }
        existing = present.get(found_key)
        if existing is None:
            row.reviewers.append(Reviewer(**values, created_by=actor.name, updated_by=actor.name))
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            existing.updated_by = actor.name


def _with_team(query):  # type: ignore[no-untyped-def]
    return query.options(selectinload(Review.team), selectinload(Review.reviewers))


def _count_reviews(session: Session, cycle_id: int) -> int:
    return int(
        session.scalar(select(func.count(Review.id)).where(Review.cycle_id == cycle_id)) or 0
    )


def _cycles(session: Session, rows: list[ReviewCycle]) -> list[CycleDetail]:
    counts: dict[int, Counter[ReviewStatus]] = {row.id: Counter() for row in rows}
    for cycle_id, status, count in session.execute(
        select(Review.cycle_id, Review.status, func.count(Review.id))
        .where(Review.cycle_id.in_(list(counts)))
        .group_by(Review.cycle_id, Review.status)
    ):
        counts[cycle_id][status] += count
    return [
        CycleDetail(
            id=row.id,
            uuid=row.uuid,
            version=row.version,
            year=AcademicYear(row.academic_year),
            name=row.name,
            rules=rules_of(row),
            seed=row.seed,
            focus=row.focus,
            notes=row.notes,
            reviews=sum(counts[row.id].values()),
            by_status={status: counts[row.id][status] for status in ReviewStatus},
        )
        for row in rows
    ]


def _reviews(session: Session, rows: list[Review]) -> list[ReviewDetail]:
    ids: set[int] = set()
    for row in rows:
        ids.add(row.host_school_id)
        ids.update(member.school_id for member in row.team)
        ids.update(r.school_id for r in row.reviewers if r.school_id is not None)
    schools = (
        {s.id: s for s in session.scalars(select(School).where(School.id.in_(ids)))} if ids else {}
    )
    cluster_ids = {row.cluster_id for row in rows if row.cluster_id is not None}
    clusters = (
        dict(
            session.execute(
                select(Cluster.id, Cluster.name).where(Cluster.id.in_(cluster_ids))
            ).all()
        )
        if cluster_ids
        else {}
    )
    cycle_ids = {row.cycle_id for row in rows}
    years = (
        dict(
            session.execute(
                select(ReviewCycle.id, ReviewCycle.academic_year).where(
                    ReviewCycle.id.in_(cycle_ids)
                )
            ).all()
        )
        if cycle_ids
        else {}
    )

    def name(school_id: int | None) -> str:
        school = schools.get(school_id) if school_id is not None else None
        return school.name if school else ""

    details = []
    for row in rows:
        host = schools[row.host_school_id]
        address = tuple(
            part
            for part in (
                host.street,
                host.locality,
                host.address3,
                host.town,
                host.county,
                host.postcode,
            )
            if part
        )
        team = tuple(
            TeamSchool(
                member.school_id,
                schools[member.school_id].urn,
                schools[member.school_id].name,
                schools[member.school_id].email,
                head_name(
                    schools[member.school_id].head_title,
                    schools[member.school_id].head_first_name,
                    schools[member.school_id].head_last_name,
                ),
            )
            for member in row.team
        )
        reviewers = tuple(
            ReviewerDetail(
                r.id, r.name, r.school_id, name(r.school_id), r.job_title, r.email, r.is_lead
            )
            for r in row.reviewers
        )
        status_dates = {
            status: getattr(row, column)
            for status, column in STATUS_DATE_COLUMNS.items()
            if getattr(row, column) is not None
        }
        details.append(
            ReviewDetail(
                id=row.id,
                uuid=row.uuid,
                version=row.version,
                cycle_id=row.cycle_id,
                year=AcademicYear(years[row.cycle_id]),
                cluster_id=row.cluster_id,
                cluster_name=clusters.get(row.cluster_id, "") if row.cluster_id else "",
                host_school_id=row.host_school_id,
                host_urn=host.urn,
                host_name=host.name,
                host_email=host.email,
                host_head_name=head_name(
                    host.head_title, host.head_first_name, host.head_last_name
                ),
                host_address=address,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                status=row.status,
                status_dates=status_dates,
                focus=row.focus,
                notes=row.notes,
                qa_outcome=row.qa_outcome,
                qa_notes=row.qa_notes,
                team=team,
                reviewers=reviewers,
            )
        )
    return details


def _haystack(detail: ReviewDetail) -> str:
    parts = [
        detail.host_name,
        detail.cluster_name,
        detail.team_label,
        detail.focus,
        detail.notes,
        detail.status.label,
        *(r.name for r in detail.reviewers),
    ]
    return " ".join(parts).casefold()
