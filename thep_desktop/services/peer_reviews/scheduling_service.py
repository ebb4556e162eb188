"""A cycle's schedule: proposed by the scheduler, applied on request, checked at any time.

The scheduler (``domain/review_scheduler``) and the checker (``domain/review_checks``) are
separate on purpose: whatever the scheduler proposes, and whatever the office changes by hand
afterwards, the checker judges against every rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import (
    Breach,
    ClusterInfo,
    NoScheduleError,
    PlannedReview,
    ReviewStatus,
    Rule,
    ScheduleProblem,
)
from thep_desktop.models import Cluster, Review, ReviewCycle, Reviewer, School
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    ReviewDetail,
    ReviewInput,
    ScheduleProposal,
)
from thep_desktop.services.peer_reviews.review_records import school_infos, stored_terms
from thep_desktop.services.peer_reviews.reviews_service import rules_of, set_team
from thep_desktop.services.schools.school_data import head_name
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save


class ScheduleImpossible(ServiceError):
    """No schedule keeps every rule; ``reasons`` say which rule, for which schools."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("No schedule keeps every rule. " + " ".join(reasons))
        self.reasons = reasons


class SchedulingService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def propose(
        self,
        actor: Actor,
        cycle_id: int,
        cluster_ids: Sequence[int],
        seed: int | None = None,
    ) -> ScheduleProposal:
        """A schedule for these clusters of the cycle, to look at before applying it.

        The cycle's rules and term dates apply; the other clusters' reviews already in the
        cycle count towards each school's one visit a week. ``seed`` (the cycle's when None)
        gives another, equally fair, schedule for another number.
        """
        actor.require(MANAGE_REVIEWS)
        from thep_desktop.domain.review_checks import check_schedule
        from thep_desktop.domain.review_scheduler import make_schedule

        with self.db.read_session() as session:
            cycle = _cycle(session, cycle_id)
            problem = _problem(session, cycle, tuple(dict.fromkeys(cluster_ids)))
            _refuse_settled(session, cycle, problem)
            replaces = len(_proposed(session, cycle.id, problem))
            year = AcademicYear(cycle.academic_year)
            seed = cycle.seed if seed is None else seed
        try:
            reviews = make_schedule(problem, seed)
        except NoScheduleError as exc:
            raise ScheduleImpossible(exc.reasons) from None
        return ScheduleProposal(
            cycle_id=cycle_id,
            year=year,
            cluster_ids=tuple(c.cluster_id for c in problem.clusters),
            seed=seed,
            reviews=tuple(reviews),
            school_names={school_id: info.name for school_id, info in problem.schools.items()},
            cluster_names={c.cluster_id: c.name for c in problem.clusters},
            breaches=tuple(check_schedule(problem, reviews)),
            replaces=replaces,
        )

    @save
    def apply(self, actor: Actor, proposal: ScheduleProposal) -> int:
        """The proposal becomes the cycle's reviews of its clusters, as proposed reviews.

        Reviews of these clusters still only proposed are replaced; if one was confirmed
        meanwhile, nothing changes and the refusal says which. Each team school's head
        teacher is named as its reviewer, the first school's as lead. Returns how many.
        """
        actor.require(MANAGE_REVIEWS)
        with self.db.session() as session:
            cycle = _cycle(session, proposal.cycle_id)
            clusters = _clusters(session, proposal.cluster_ids)
            problem = ScheduleProblem(clusters, {}, (), frozenset(), rules_of(cycle))
            _refuse_settled(session, cycle, problem)
            for row in _proposed(session, cycle.id, problem):
                session.delete(row)
            session.flush()
            add_planned_reviews(session, cycle, proposal.reviews, actor, date.today())
            if cycle.seed != proposal.seed:
                cycle.seed = proposal.seed
                cycle.updated_by = actor.name
            return len(proposal.reviews)

    def check(self, actor: Actor, cycle_id: int, cluster_id: int | None = None) -> list[Breach]:
        """Every breach of the cycle's rules by its reviews as they stand, in words.

        The clusters checked are those with reviews in the cycle (or the one named); a
        review outside any cluster counts only towards its schools' visits each week.
        """
        actor.require(VIEW)
        from thep_desktop.domain.review_checks import check_schedule

        with self.db.read_session() as session:
            cycle = _cycle(session, cycle_id)
            problem, reviews = _cycle_problem(session, cycle, cluster_id)
        return list(check_schedule(problem, reviews))

    def preview_breaches(
        self, actor: Actor, data: ReviewInput, review_id: int | None = None
    ) -> list[Breach]:
        """The breaches a review would bring if saved like this (the editor's live warnings).

        Nothing is saved; the review is judged with the rest of its cluster's reviews.
        """
        actor.require(VIEW)
        from thep_desktop.domain.review_checks import check_schedule

        key = str(review_id) if review_id is not None else "new"
        days: tuple[date, ...] = ()
        if data.starts_on is not None:
            last = data.ends_on or data.starts_on
            count = max((last - data.starts_on).days + 1, 1)
            days = tuple(date.fromordinal(data.starts_on.toordinal() + n) for n in range(count))
        lead = next((r for r in data.reviewers if r.is_lead), None)
        draft = PlannedReview(
            key=key,
            cluster_id=data.cluster_id or 0,
            host_id=data.host_school_id,
            days=days,
            reviewer_ids=tuple(data.team_school_ids),
            lead_school_id=lead.school_id if lead is not None else None,
        )
        with self.db.read_session() as session:
            cycle = _cycle(session, data.cycle_id)
            try:
                problem, reviews = _cycle_problem(session, cycle, data.cluster_id, draft)
            except ValidationError as exc:
                message = " ".join(exc.field_errors.values())
                return [Breach(Rule.SCHOOL_DAY, message, (key,), (data.host_school_id,))]
        return [b for b in check_schedule(problem, reviews) if key in b.review_keys]

    def problem(self, actor: Actor, cycle_id: int, cluster_ids: Sequence[int]) -> ScheduleProblem:
        """What a schedule of these clusters must respect (for the tab's calendar shading)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _problem(session, _cycle(session, cycle_id), tuple(cluster_ids))


def add_planned_reviews(
    session: Session,
    cycle: ReviewCycle,
    planned_reviews: Sequence[PlannedReview],
    actor: Actor,
    proposed_on: date,
) -> list[Review]:
    """The planned reviews added to the cycle as proposed reviews, in the caller's session.

    Each team school's head teacher is named as its reviewer, the lead school's as lead.
    (Scheduling's apply and the demo's cycles both make their reviews here.)
    """
    ids = {r.host_id for r in planned_reviews}
    ids |= {s for r in planned_reviews for s in r.reviewer_ids}
    schools = {s.id: s for s in session.scalars(select(School).where(School.id.in_(ids)))}
    if ids - set(schools):
        raise ValidationError(
            {"schedule": "A school of this schedule has left the register meanwhile."}
        )
    rows = []
    for planned in planned_reviews:
        row = Review(
            cycle_id=cycle.id,
            cluster_id=planned.cluster_id,
            host_school_id=planned.host_id,
            starts_on=planned.days[0] if planned.days else None,
            ends_on=planned.days[-1] if planned.days else None,
            status=ReviewStatus.PROPOSED,
            proposed_on=proposed_on,
            focus=cycle.focus,
            created_by=actor.name,
            updated_by=actor.name,
        )
        row.team = []
        row.reviewers = []
        set_team(row, planned.reviewer_ids, actor)
        for position, school_id in enumerate(planned.reviewer_ids):
            school = schools[school_id]
            name = head_name(school.head_title, school.head_first_name, school.head_last_name)
            if name:
                row.reviewers.append(
                    Reviewer(
                        school_id=school_id,
                        name=name,
                        job_title=school.head_job_title or "Head teacher",
                        email=school.email,
                        is_lead=school_id == planned.lead_school_id,
                        position=position,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                )
        session.add(row)
        rows.append(row)
    return rows


def breaches_of_review(db: Database, actor: Actor, review: ReviewDetail) -> list[Breach]:
    """The breaches of the cycle's rules that concern one review (after an edit)."""
    from thep_desktop.domain.review_checks import check_schedule

    key = str(review.id)
    with db.read_session() as session:
        cycle = _cycle(session, review.cycle_id)
        try:
            problem, reviews = _cycle_problem(session, cycle, review.cluster_id)
        except ValidationError as exc:  # no term dates yet: the days cannot be judged
            message = " ".join(exc.field_errors.values())
            return [Breach(Rule.SCHOOL_DAY, message, (key,), (review.host_school_id,))]
    return [b for b in check_schedule(problem, reviews) if key in b.review_keys]


def _cycle(session: Session, cycle_id: int) -> ReviewCycle:
    cycle = session.get(ReviewCycle, cycle_id)
    if cycle is None:
        raise NotFoundError("This review cycle is no longer there.")
    return cycle


def _clusters(session: Session, cluster_ids: Sequence[int]) -> tuple[ClusterInfo, ...]:
    if not cluster_ids:
        raise ValidationError({"clusters": "Choose at least one cluster to schedule."})
    rows = {
        row.id: row
        for row in session.scalars(
            select(Cluster)
            .options(selectinload(Cluster.members))
            .where(Cluster.id.in_(cluster_ids))
        )
    }
    if set(cluster_ids) - set(rows):
        raise NotFoundError("A cluster chosen is no longer there.")
    return tuple(
        ClusterInfo(
            row.id,
            row.name,
            tuple(sorted(member.school_id for member in row.members)),
        )
        for row in (rows[cluster_id] for cluster_id in cluster_ids)
    )


def _problem(
    session: Session,
    cycle: ReviewCycle,
    cluster_ids: Sequence[int],
    busy: tuple[PlannedReview, ...] | None = None,
) -> ScheduleProblem:
    year = AcademicYear(cycle.academic_year)
    clusters = _clusters(session, cluster_ids)
    _, terms = stored_terms(session, year)
    if not terms:
        raise ValidationError(
            {
                "terms": f"There are no term dates for {year.label} yet. Enter them (Peer "
                "reviews > Term dates) before scheduling: visits are only in term time."
            }
        )
    from thep_desktop.domain.school_calendar import bank_holidays

    if busy is None:
        scheduled = {c.cluster_id for c in clusters}
        members = {school for c in clusters for school in c.school_ids}
        busy = tuple(
            planned
            for planned in _planned(session, cycle.id)
            if planned.cluster_id not in scheduled
            and planned.days
            and ({planned.host_id, *planned.reviewer_ids} & members)
        )
    ids = {school for c in clusters for school in c.school_ids}
    ids |= {school for planned in busy for school in (planned.host_id, *planned.reviewer_ids)}
    return ScheduleProblem(
        clusters=clusters,
        schools=school_infos(session, ids, year),
        terms=terms,
        bank_holidays=frozenset(bank_holidays(year.first_day, year.last_day)),
        rules=rules_of(cycle),
        busy=busy,
    )


def _planned(session: Session, cycle_id: int) -> list[PlannedReview]:
    rows = session.scalars(
        select(Review)
        .options(selectinload(Review.team), selectinload(Review.reviewers))
        .where(Review.cycle_id == cycle_id)
        .order_by(Review.id)
    )
    planned = []
    for row in rows:
        days: tuple[date, ...] = ()
        if row.starts_on is not None and row.ends_on is not None:
            count = (row.ends_on - row.starts_on).days + 1
            days = tuple(date.fromordinal(row.starts_on.toordinal() + n) for n in range(count))
        lead = next((r for r in row.reviewers if r.is_lead), None)
        planned.append(
            PlannedReview(
                key=str(row.id),
                cluster_id=row.cluster_id or 0,
                host_id=row.host_school_id,
                days=days,
                reviewer_ids=tuple(member.school_id for member in row.team),
                lead_school_id=lead.school_id if lead is not None else None,
            )
        )
    return planned


def _cycle_problem(
    session: Session,
    cycle: ReviewCycle,
    cluster_id: int | None,
    draft: PlannedReview | None = None,
) -> tuple[ScheduleProblem, list[PlannedReview]]:
    """The problem and the reviews to judge; ``draft`` stands in for its saved review."""
    everything = _planned(session, cycle.id)
    if draft is not None:
        everything = [p for p in everything if p.key != draft.key] + [draft]
    if cluster_id is not None:
        cluster_ids: list[int] = [cluster_id]
    else:
        cluster_ids = sorted({p.cluster_id for p in everything if p.cluster_id})
    checked = [p for p in everything if p.cluster_id in cluster_ids]
    busy = tuple(p for p in everything if p.cluster_id not in cluster_ids and p.days)
    if not cluster_ids:
        problem = ScheduleProblem((), {}, (), frozenset(), rules_of(cycle), busy)
        return problem, []
    return _problem(session, cycle, cluster_ids, busy), checked


def _proposed(session: Session, cycle_id: int, problem: ScheduleProblem) -> list[Review]:
    ids = [c.cluster_id for c in problem.clusters]
    return list(
        session.scalars(
            select(Review).where(
                Review.cycle_id == cycle_id,
                Review.cluster_id.in_(ids),
                Review.status == ReviewStatus.PROPOSED,
            )
        )
    )


def _refuse_settled(session: Session, cycle: ReviewCycle, problem: ScheduleProblem) -> None:
    """Scheduling again replaces proposals only: confirmed visits are the schools' diaries."""
    names = {c.cluster_id: c.name for c in problem.clusters}
    settled = session.execute(
        select(Review.cluster_id, School.name, Review.status)
        .join(School, School.id == Review.host_school_id)
        .where(
            Review.cycle_id == cycle.id,
            Review.cluster_id.in_(list(names)),
            Review.status != ReviewStatus.PROPOSED,
        )
        .order_by(School.name)
    ).all()
    if settled:
        by_cluster: dict[int | None, list[str]] = {}
        for cluster_id, host, status in settled:
            by_cluster.setdefault(cluster_id, []).append(f"{host} ({status.label.lower()})")
        parts = [f"{names.get(c or 0, '')}: {', '.join(hosts)}" for c, hosts in by_cluster.items()]
        raise ServiceError(
            "These clusters already have reviews beyond proposed in "
            f"{AcademicYear(cycle.academic_year).label}, and a new schedule would move them. "
            + "; ".join(parts)
            + ". Schedule the other clusters, or change these reviews by hand."
        )
