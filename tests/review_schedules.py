"""A review cycle with a schedule in it, made through the services, for the export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from review_records import SCHOOLS, cluster, cycle, schools, year_with_terms

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.review_data import (
    ReviewDetail,
    ReviewerInput,
    ReviewInput,
)
from thep_desktop.services.registry import Services

# Each school's visit in 2025/26: Tuesdays of the autumn term, one cluster a week apart.
VISITS = (
    date(2025, 9, 16),
    date(2025, 9, 30),
    date(2025, 10, 14),
    date(2025, 11, 11),
    date(2025, 11, 25),
    date(2025, 9, 23),
    date(2025, 10, 7),
    date(2025, 10, 21),
    date(2025, 11, 18),
    date(2025, 12, 2),
)
CLUSTERS = ("Isle of Dogs", "Whitechapel")


@dataclass(frozen=True)
class ScheduledCycle:
    cycle_id: int
    clusters: dict[str, int]  # name -> id
    school_ids: list[int]
    review_ids: list[int]  # in the order of the schools hosting them

    def reviews(self, services: Services) -> list[ReviewDetail]:
        return services.reviews.list_reviews(services.actor, self.cycle_id)

    def review(self, services: Services, host_position: int) -> ReviewDetail:
        return services.reviews.get_review(services.actor, self.review_ids[host_position])


def head(position: int) -> str:
    return SCHOOLS[position][2]


def scheduled_cycle(services: Services) -> ScheduledCycle:
    """2025/26 with two clusters of five schools; each school hosts one review on its day of
    :data:`VISITS`, reviewed by the next two schools of its cluster (their heads, the first
    the lead).

    The first school's review lasts two days, has two focus areas and is confirmed on
    12/09/2025; the second's is confirmed then and completed on its day; the rest are
    proposed.
    """
    ids = schools(services, 10)
    year_with_terms(services)
    cycle_id = cycle(services)
    clusters = {
        CLUSTERS[0]: cluster(services, CLUSTERS[0], ids[:5]),
        CLUSTERS[1]: cluster(services, CLUSTERS[1], ids[5:]),
    }
    review_ids = []
    for position, host_id in enumerate(ids):
        start = (position // 5) * 5
        team = [start + (position - start + step) % 5 for step in (1, 2)]
        days = 2 if position == 0 else 1
        review = services.reviews.save_review(
            services.actor,
            ReviewInput(
                cycle_id=cycle_id,
                host_school_id=host_id,
                cluster_id=clusters[CLUSTERS[position // 5]],
                starts_on=VISITS[position],
                ends_on=date.fromordinal(VISITS[position].toordinal() + days - 1),
                team_school_ids=tuple(ids[t] for t in team),
                reviewers=tuple(
                    ReviewerInput(head(t), ids[t], "Headteacher", is_lead=n == 0)
                    for n, t in enumerate(team)
                ),
                focus="Reading in Key Stage 1\nAttendance & punctuality" if position == 0 else "",
            ),
        ).review
        review_ids.append(review.id)
    first = services.reviews.get_review(services.actor, review_ids[0])
    services.reviews.set_status(
        services.actor, first.id, ReviewStatus.CONFIRMED, date(2025, 9, 12), first.version
    )
    second = services.reviews.get_review(services.actor, review_ids[1])
    confirmed = services.reviews.set_status(
        services.actor, second.id, ReviewStatus.CONFIRMED, date(2025, 9, 12), second.version
    )
    services.reviews.set_status(
        services.actor, second.id, ReviewStatus.COMPLETED, VISITS[1], confirmed.version
    )
    return ScheduledCycle(cycle_id, clusters, ids, review_ids)
