"""The demo's peer reviews, read back through the services, on both databases."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import partial

import pytest

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ClosureKind, ClusterKind, ReviewStatus
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.demo.demo_reviews import add_peer_reviews
from thep_desktop.services.demo.demo_service import DEMO_STEPS, DemoService
from thep_desktop.services.demo.demo_steps import DemoStep
from thep_desktop.services.peer_reviews.reviews_service import STATUS_DATE_COLUMNS
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor

THIS_YEAR = AcademicYear.of(date.today())
# A day in the spring term, whatever day the tests run: autumn's visits are behind it.
IN_SPRING = date(THIS_YEAR.start_year + 1, 1, 29)


def _loaded_on(db: Database, actor: Actor, today: date) -> Services:
    steps = tuple(
        DemoStep(step.name, step.weight, partial(add_peer_reviews, today=today))
        if step.name == "peer reviews"
        else step
        for step in DEMO_STEPS
    )
    DemoService(db, steps).load(actor)
    return Services(db, actor)


def test_the_demo_has_clusters_term_dates_and_closures(db: Database, actor: Actor) -> None:
    services = _loaded_on(db, actor, IN_SPRING)
    clusters = services.clusters.list_clusters(actor)
    kinds = Counter(c.kind for c in clusters)
    assert 6 <= kinds[ClusterKind.GEOGRAPHICAL] <= 9
    assert kinds[ClusterKind.MAT] == kinds[ClusterKind.SPECIAL] == kinds[ClusterKind.NURSERY] == 1
    geographical = [c for c in clusters if c.kind is ClusterKind.GEOGRAPHICAL]
    assert all(5 <= len(c.schools) <= 10 for c in geographical)
    # Every open school is in a cluster; one (the trust's alternative provision) in two.
    open_ids = {s.id for s in services.schools.list_schools(actor) if s.status.value == "open"}
    memberships = Counter(s.school_id for c in clusters for s in c.schools)
    assert set(memberships) == open_ids
    twice = [school_id for school_id, n in memberships.items() if n == 2]
    assert len(twice) == 1
    assert {c.kind for c in clusters if twice[0] in c.school_ids} == {
        ClusterKind.MAT,
        ClusterKind.SPECIAL,
    }
    mat = next(c for c in clusters if c.kind is ClusterKind.MAT)
    assert len({s.trust for s in mat.schools}) == 1
    # Each cluster is led by the head of one of its schools, with a way to reach them.
    for cluster in clusters:
        assert cluster.lead_school_id in cluster.school_ids
        assert cluster.lead_contact_name and cluster.lead_contact_email.startswith("head@")


def test_this_year_is_part_way_through_and_last_year_is_done(db: Database, actor: Actor) -> None:
    services = _loaded_on(db, actor, IN_SPRING)
    cycles = {c.year: c for c in services.reviews.list_cycles(actor)}
    assert set(cycles) == {THIS_YEAR, THIS_YEAR.previous()}
    clusters = services.clusters.list_clusters(actor)
    hosts = sum(len(c.schools) for c in clusters)
    # The nursery schools' cluster began this year: last year's cycle is without it.
    nursery = next(c for c in clusters if c.kind is ClusterKind.NURSERY)
    last = cycles[THIS_YEAR.previous()]
    assert last.reviews == hosts - len(nursery.schools)
    assert last.by_status[ReviewStatus.QUALITY_ASSURED] == hosts - len(nursery.schools)
    last_hosts = {r.host_school_id for r in services.reviews.list_reviews(actor, last.id)}
    assert not last_hosts & set(nursery.school_ids)
    this = cycles[THIS_YEAR]
    assert this.reviews == hosts
    for status in ReviewStatus:
        assert this.by_status[status] > 0, status
    for cycle in (last, this):
        # The scheduler's schedule, moved on by hand as the office would: no rule broken.
        assert services.scheduling.check(actor, cycle.id) == []
        for review in services.reviews.list_reviews(actor, cycle.id):
            assert review.starts_on is not None and review.focus_areas
            assert review.lead is not None and review.lead.school_id == review.team[0].school_id
            _dated_in_order(review, IN_SPRING)
            past = review.ends_on is not None and review.ends_on < IN_SPRING
            assert past == (review.status.order >= ReviewStatus.COMPLETED.order)
            if review.status is ReviewStatus.QUALITY_ASSURED:
                assert review.qa_outcome is not None
    assert [r.problems for r in run_checks(services.db, actor) if not r.ok] == []

    for year in (THIS_YEAR, THIS_YEAR.previous()):
        terms = services.school_calendar.year_terms(actor, year)
        assert terms.saved and len(terms.terms) == 3
        closures = services.school_calendar.closures(actor, year)
        kinds = Counter(c.kind for c in closures)
        assert kinds[ClosureKind.INSET] >= 12 and kinds[ClosureKind.OCCASIONAL] == 2
        assert all(c.closed_on.weekday() < 5 for c in closures)
    reviews = services.reviews.list_reviews(
        actor, services.reviews.cycle_for_year(actor, THIS_YEAR).id
    )
    closed = {
        (c.school_id, c.closed_on) for c in services.school_calendar.closures(actor, THIS_YEAR)
    }
    for review in reviews:
        for school_id in (review.host_school_id, *(s.school_id for s in review.team)):
            assert (school_id, review.starts_on) not in closed


@pytest.mark.parametrize(
    "day", [date(THIS_YEAR.start_year, 9, 1), date(THIS_YEAR.start_year + 1, 8, 20)]
)
def test_at_either_end_of_the_year_nothing_is_dated_after_the_day(
    sqlite_db: Database, actor: Actor, day: date
) -> None:
    """Before the first visit all are planned; after the last all are completed at least."""
    services = _loaded_on(sqlite_db, actor, day)
    this = services.reviews.cycle_for_year(actor, THIS_YEAR)
    if day.month == 9:
        assert (
            this.by_status[ReviewStatus.PROPOSED] + this.by_status[ReviewStatus.CONFIRMED]
            == this.reviews
        )
        assert this.by_status[ReviewStatus.CONFIRMED] > 0
    else:
        assert this.by_status[ReviewStatus.PROPOSED] == this.by_status[ReviewStatus.CONFIRMED] == 0
        assert this.by_status[ReviewStatus.REPORT_RECEIVED] > 0
    for review in services.reviews.list_reviews(actor, this.id):
        _dated_in_order(review, day)


def test_the_demo_of_today_keeps_its_dates_in_order(sqlite_db: Database, actor: Actor) -> None:
    DemoService(sqlite_db).load(actor)
    services = Services(sqlite_db, actor)
    today = date.today()
    for cycle in services.reviews.list_cycles(actor):
        for review in services.reviews.list_reviews(actor, cycle.id):
            _dated_in_order(review, today)
            assert (review.ends_on is not None and review.ends_on < today) == (
                review.status.order >= ReviewStatus.COMPLETED.order
            )


def _dated_in_order(review, today: date) -> None:  # type: ignore[no-untyped-def]
    """Each step reached is dated, no later one is, and the dates never go back or ahead."""
    dates = [review.status_dates.get(status) for status in STATUS_DATE_COLUMNS]
    reached = [on for on in dates[: review.status.order + 1]]
    assert None not in reached, review
    assert all(on is None for on in dates[review.status.order + 1 :]), review
    assert reached == sorted(reached) and reached[-1] <= today, review
