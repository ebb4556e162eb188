"""The dashboard's peer-review figures, worked out in SQL (contract: dashboard_service.py).

- This cycle: the reviews of the cycle of the academic year the day falls in, counted by the
  step each has reached (``Review.status``: proposed, confirmed, completed, report received,
  quality-assured; each review counted once, at its furthest step). The chart's bars add up
  to the tile.
- Not reviewed for two years: member schools (members on the day) that have not hosted a
  review completed (status completed or beyond, ``completed_on``) in the two years up to
  and including the day.

Two statements, whatever the number of reviews.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import add_months
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.models import Cluster, Review, ReviewCycle, School, StaffMember
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow, Tile
from thep_desktop.services.dashboard.member_schools import link_officer_name, member_school_ids
from thep_desktop.services.shared.errors import ValidationError

if TYPE_CHECKING:
    from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DrillFunction

AREA = "peer_review"
# The chart's categories: each is the review status of the same name.
COVERAGE = (
    ("Proposed", ReviewStatus.PROPOSED),
    ("Confirmed", ReviewStatus.CONFIRMED),
    ("Completed", ReviewStatus.COMPLETED),
    ("Report received", ReviewStatus.REPORT_RECEIVED),
    ("Quality-assured", ReviewStatus.QUALITY_ASSURED),
)
DONE = (ReviewStatus.COMPLETED, ReviewStatus.REPORT_RECEIVED, ReviewStatus.QUALITY_ASSURED)
UNREVIEWED_YEARS = 2


def reviewed_since(day: date) -> date:
    """A member school not reviewed since this day (inclusive) counts as not reviewed."""
    return add_months(day, -12 * UNREVIEWED_YEARS)


def _completed_hosts(day: date):  # type: ignore[no-untyped-def]
    """The ids of schools that hosted a review completed in the two years to ``day``."""
    return select(Review.host_school_id).where(
        Review.status.in_(DONE),
        Review.completed_on.is_not(None),
        Review.completed_on >= reviewed_since(day),
        Review.completed_on <= day,
    )


def figures(session: Session, at: DashboardAsAt) -> tuple[list[Tile], list[Chart]]:
    day = at.as_at
    by_status = {
        ReviewStatus(status): n
        for status, n in session.execute(
            select(Review.status, func.count())
            .join(ReviewCycle, ReviewCycle.id == Review.cycle_id)
            .where(ReviewCycle.academic_year == at.year.start_year)
            .group_by(Review.status)
        )
    }
    unreviewed = (
        session.scalar(
            select(func.count())
            .select_from(School)
            .where(School.id.in_(member_school_ids(day)), School.id.not_in(_completed_hosts(day)))
        )
        or 0
    )
    year = at.year.label
    total = sum(by_status.values())
    done = sum(by_status.get(s, 0) for s in DONE)
    tiles = [
        Tile(
            "peer_review.this_cycle",
            AREA,
            f"Reviews in the {year} cycle",
            total,
            detail=f"{done} completed or further",
            drill=Drill("reviews", {"year": str(at.year.start_year)}, f"Reviews in {year}"),
        ),
        Tile(
            "peer_review.not_reviewed_two_years",
            AREA,
            "Member schools not reviewed for two years or more",
            unreviewed,
            detail=f"No review completed since {format_date(reviewed_since(day))}",
            drill=Drill(
                "unreviewed_schools", {}, "Member schools not reviewed for two years or more"
            ),
            warn=unreviewed > 0,
        ),
    ]
    chart = Chart(
        "peer_review.coverage",
        f"This cycle's coverage ({year})",
        ChartKind.BAR,
        tuple(words for words, _status in COVERAGE),
        (
            Series(
                "Reviews",
                tuple(by_status.get(status, 0) for _words, status in COVERAGE),
                tuple(
                    Drill(
                        "reviews",
                        {"year": str(at.year.start_year), "status": status.value},
                        f"Reviews in {year}: {words.lower()}",
                    )
                    for words, status in COVERAGE
                ),
            ),
        ),
        note=f"As at {format_date(day)}; each review at the step it has reached",
    )
    return tiles, [chart]


# -- the lists behind the figures ----------------------------------------------------------------
def _reviews(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    try:
        year = int(drill.filters.get("year", at.year.start_year))
        status = ReviewStatus(drill.filters["status"]) if "status" in drill.filters else None
    except ValueError:
        raise ValidationError({"drill": "Choose a cycle's year and a review status."}) from None
    query = (
        select(
            Review.id,
            School.urn,
            School.name,
            Cluster.name,
            Review.starts_on,
            Review.ends_on,
            Review.status,
        )
        .join(ReviewCycle, ReviewCycle.id == Review.cycle_id)
        .join(School, School.id == Review.host_school_id)
        .outerjoin(Cluster, Cluster.id == Review.cluster_id)
        .where(ReviewCycle.academic_year == year)
        .order_by(Review.starts_on, School.name, Review.id)
    )
    if status is not None:
        query = query.where(Review.status == status)
    rows = []
    for review_id, urn, name, cluster, first, last, state in session.execute(query):
        visit = f"{format_date(first)} to {format_date(last)}" if first else "Not yet dated"
        state = ReviewStatus(state)
        rows.append(
            DrillRow(
                review_id,
                urn,
                (name, str(urn), cluster or "", visit, state.label),
                (name.casefold(), urn, (cluster or "").casefold(), first or date.max, state.order),
            )
        )
    return DrillList(
        drill.title or "Reviews",
        drill.kind,
        ("Host school", "URN", "Cluster", "Visit", "Status"),
        tuple(rows),
    )


def _unreviewed_schools(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    day = at.as_at
    last = (
        select(Review.host_school_id.label("school_id"), func.max(Review.completed_on).label("on"))
        .where(Review.status.in_(DONE), Review.completed_on <= day)
        .group_by(Review.host_school_id)
        .subquery("last_review")
    )
    query = (
        select(School.id, School.urn, School.name, School.phase, last.c.on, StaffMember.full_name)
        .outerjoin(last, last.c.school_id == School.id)
        .outerjoin(StaffMember, StaffMember.id == School.link_officer_id)
        .where(School.id.in_(member_school_ids(day)), School.id.not_in(_completed_hosts(day)))
        .order_by(School.name, School.urn)
    )
    rows = tuple(
        DrillRow(
            sid,
            urn,
            (name, str(urn), phase, format_date(on) or "Never", link_officer_name(officer)),
            (name.casefold(), urn, phase, on or date.min, officer or ""),
        )
        for sid, urn, name, phase, on, officer in session.execute(query)
    )
    return DrillList(
        drill.title or "Member schools not reviewed for two years or more",
        drill.kind,
        ("School", "URN", "Phase", "Last reviewed", "Link officer"),
        rows,
    )


DRILLS: dict[str, DrillFunction] = {
    "reviews": _reviews,
    "unreviewed_schools": _unreviewed_schools,
}
