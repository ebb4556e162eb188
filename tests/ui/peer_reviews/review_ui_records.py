"""A 2025/26 review cycle part-way through, for the Peer reviews tab's tests and screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from review_records import cluster, cycle, schools, year_with_terms

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ReviewDetail
from thep_desktop.services.registry import Services

# Spring bank holidays of 2026 in England: Good Friday and Easter Monday fall in the Easter
# holidays; the early May bank holiday is a school day's Monday in the summer term.
EARLY_MAY_2026 = date(2026, 5, 4)


@dataclass(frozen=True)
class Cycle:
    cycle_id: int
    clusters: dict[str, int]
    school_ids: list[int]

    def reviews(self, services: Services) -> list[ReviewDetail]:
        return services.reviews.list_reviews(services.actor, self.cycle_id)


def part_way_cycle(services: Services, *, settle: bool = True) -> Cycle:
    """Twelve Tower Hamlets schools in two clusters of six, 2025/26's terms, a generated
    schedule applied; with ``settle`` the first autumn visits completed (one with its report
    received) and the next few confirmed, the rest proposed."""
    ids = schools(services, 12)
    year_with_terms(services)
    clusters = {
        "Stepney and Wapping": cluster(services, "Stepney and Wapping", ids[:6]),
        "Isle of Dogs": cluster(services, "Isle of Dogs", ids[6:]),
    }
    cycle_id = cycle(services)
    proposal = services.scheduling.propose(services.actor, cycle_id, list(clusters.values()), 1)
    services.scheduling.apply(services.actor, proposal)
    made = Cycle(cycle_id, clusters, ids)
    if settle:
        reviews = made.reviews(services)
        actor = services.actor
        services.reviews.confirm_reviews(actor, [r.id for r in reviews[:7]], date(2025, 9, 1))
        for review in reviews[:3]:
            fresh = services.reviews.get_review(actor, review.id)
            assert fresh.starts_on is not None
            services.reviews.set_status(
                actor, fresh.id, ReviewStatus.COMPLETED, fresh.starts_on, fresh.version
            )
        first = services.reviews.get_review(actor, reviews[0].id)
        assert first.starts_on is not None
        services.reviews.set_status(
            actor, first.id, ReviewStatus.REPORT_RECEIVED, first.starts_on, first.version
        )
    return made
