"""The peer-review checks of thep-admin check: a scheduled cycle passes; each break made by SQL
is named."""

from __future__ import annotations

from datetime import date

import pytest
from review_records import cluster, cycle, schools, year_with_terms
from sqlalchemy import text

from thep_desktop.domain.peer_reviews import QaOutcome, ReviewStatus
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.registry import Services

TEAMS = "Peer-review teams and reviewers"
STATUSES = "Peer-review statuses dated"
TERMS = "Term dates whole and in order"


def problems(services: Services) -> dict[str, list[str]]:
    return {r.name: r.problems for r in run_checks(services.db, services.actor)}


@pytest.fixture
def scheduled(services: Services) -> list:
    """A cluster of five schools with 2025/26's cycle scheduled; the first review confirmed,
    then completed, reported and quality-assured."""
    ids = schools(services, 5)
    cluster_id = cluster(services, "Bow cluster", ids)
    year_with_terms(services)
    cycle_id = cycle(services)
    proposal = services.scheduling.propose(services.actor, cycle_id, [cluster_id], seed=3)
    services.scheduling.apply(services.actor, proposal)
    reviews = services.reviews.list_reviews(services.actor, cycle_id)
    first = reviews[0]
    assert first.starts_on is not None
    services.reviews.set_status(
        services.actor,
        first.id,
        ReviewStatus.QUALITY_ASSURED,
        first.starts_on,
        first.version,
        QaOutcome.CONSISTENT,
    )
    return services.reviews.list_reviews(services.actor, cycle_id)


def _sql(services: Services, statement: str, **values: object) -> None:
    with services.db.engine.begin() as conn:
        conn.execute(text(statement), values)


def test_a_scheduled_and_moved_on_cycle_passes(services: Services, scheduled: list) -> None:
    found = problems(services)
    assert found[TEAMS] == [] and found[STATUSES] == [] and found[TERMS] == []
    assert scheduled[0].status is ReviewStatus.QUALITY_ASSURED


def test_a_host_on_its_own_team_and_a_reviewer_from_outside_are_named(
    services: Services, scheduled: list
) -> None:
    review = scheduled[1]
    name = f"The review at {review.host_name} ({review.visit_label}, 2025/26)"
    _sql(
        services,
        "UPDATE review_school SET school_id = :host WHERE review_id = :r AND position = 1",
        host=review.host_school_id,
        r=review.id,
    )
    _sql(services, "UPDATE reviewer SET is_lead = :yes WHERE review_id = :r", yes=True, r=review.id)
    second = review.team[1]
    assert sorted(problems(services)[TEAMS]) == sorted(
        [
            f"{name}: the host school is on its own review team",
            f"{name}: 2 reviewers are marked as the lead",
            f"{name}: the reviewer {review.reviewers[1].name} is from {second.name}, which is "
            "not on the team",
        ]
    )


def test_status_dates_and_outcomes_out_of_step_are_named(
    services: Services, scheduled: list
) -> None:
    done, proposed = scheduled[0], scheduled[2]
    _sql(services, "UPDATE review SET completed_on = NULL WHERE id = :r", r=done.id)
    _sql(
        services,
        "UPDATE review SET confirmed_on = :on, qa_outcome = 'consistent' WHERE id = :r",
        on=date(2025, 7, 1),
        r=proposed.id,
    )
    found = problems(services)[STATUSES]
    name = f"The review at {done.host_name} ({done.visit_label}, 2025/26)"
    other = f"The review at {proposed.host_name} ({proposed.visit_label}, 2025/26)"
    assert found == [
        f"{name}: it is quality assured but has no date for completed",
        f"{other}: it is proposed but has a date for confirmed, a later step",
        f"{other}: it has a quality-assurance outcome but is proposed",
    ]


def test_overlapping_terms_are_named(services: Services, scheduled: list) -> None:
    _sql(
        services,
        "UPDATE term_dates SET starts_on = :on WHERE term = 'spring'",
        on=date(2025, 12, 1),
    )
    assert problems(services)[TERMS] == [
        "2025/26: The spring term starts on 01/12/2025, before the autumn term ends on 19/12/2025."
    ]
