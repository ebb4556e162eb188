"""Peer-review checks of ``thep-admin check``: teams, reviewers, status dates and term dates.

These are the rules the services keep whenever a review or a year's terms are saved, read
back from the database (never written) so that a record changed around the program is
found. Breaches of a cycle's scheduling rules (a visit on an INSET day, a school reviewing
twice in a week) are not here: they are warnings the office may accept, and
``thep-admin reviews check`` lists them.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, Table, inspect, select

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ReviewStatus, Term, TermName
from thep_desktop.domain.school_calendar import year_term_problems
from thep_desktop.models import Review, ReviewCycle, Reviewer, ReviewSchool, School, TermDates
from thep_desktop.services.backups.database_checks import register_check
from thep_desktop.services.peer_reviews.review_data import visit_label
from thep_desktop.services.peer_reviews.reviews_service import STATUS_DATE_COLUMNS

SHOWN = 20  # problems listed of one kind before "… and N more"
LONGEST_VISIT_DAYS = 5

_review: Table = Review.__table__  # type: ignore[assignment]
_team: Table = ReviewSchool.__table__  # type: ignore[assignment]
_reviewer: Table = Reviewer.__table__  # type: ignore[assignment]
_cycle: Table = ReviewCycle.__table__  # type: ignore[assignment]
_school: Table = School.__table__  # type: ignore[assignment]
_terms: Table = TermDates.__table__  # type: ignore[assignment]


def _has_reviews(conn: Connection) -> bool:
    """A database from before peer reviews (migration 0012) has nothing of them to check."""
    return "review" in set(inspect(conn).get_table_names())


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= SHOWN:
        return problems
    return [*problems[:SHOWN], f"… and {len(problems) - SHOWN} more"]


def _reviews(conn: Connection) -> dict[int, tuple[str, object]]:
    """Each review's name in words ("the review at Bow School, 04/11/2025, 2025/26") and row."""
    rows = conn.execute(
        select(_review, _school.c.name.label("host_name"), _cycle.c.academic_year)
        .join(_school, _school.c.id == _review.c.host_school_id)
        .join(_cycle, _cycle.c.id == _review.c.cycle_id)
        .order_by(_cycle.c.academic_year, _review.c.starts_on, _school.c.name)
    )
    return {
        row.id: (
            f"The review at {row.host_name} ({visit_label(row.starts_on, row.ends_on)}, "
            f"{AcademicYear(row.academic_year).label})",
            row,
        )
        for row in rows
    }


@register_check("Peer-review teams and reviewers")
def review_teams(db: Database) -> list[str]:
    """No team holds its host; each named reviewer's school is on the team; one lead at most;
    a visit lasts five days at most."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_reviews(conn):
            return []
        reviews = _reviews(conn)
        names = dict(conn.execute(select(_school.c.id, _school.c.name)).all())
        team: dict[int, set[int]] = defaultdict(set)
        for review_id, school_id in conn.execute(select(_team.c.review_id, _team.c.school_id)):
            team[review_id].add(school_id)
        leads: dict[int, int] = defaultdict(int)
        outsiders: list[tuple[int, str, int]] = []
        for reviewer in conn.execute(
            select(
                _reviewer.c.review_id, _reviewer.c.school_id, _reviewer.c.name, _reviewer.c.is_lead
            )
        ):
            leads[reviewer.review_id] += bool(reviewer.is_lead)
            if (
                reviewer.school_id is not None
                and reviewer.school_id not in team[reviewer.review_id]
            ):
                outsiders.append((reviewer.review_id, reviewer.name, reviewer.school_id))
    for review_id, (name, row) in reviews.items():
        if row.host_school_id in team[review_id]:  # type: ignore[attr-defined]
            problems.append(f"{name}: the host school is on its own review team")
        if leads[review_id] > 1:
            problems.append(f"{name}: {leads[review_id]} reviewers are marked as the lead")
        starts, ends = row.starts_on, row.ends_on  # type: ignore[attr-defined]
        if starts is not None and ends is not None and (ends - starts).days >= LONGEST_VISIT_DAYS:
            problems.append(f"{name}: the visit lasts {(ends - starts).days + 1} days")
    for review_id, person, school_id in outsiders:
        name = reviews[review_id][0] if review_id in reviews else f"Review {review_id}"
        problems.append(
            f"{name}: the reviewer {person} is from {names.get(school_id, 'a school')}, which "
            "is not on the team"
        )
    return _capped(problems)


@register_check("Peer-review statuses dated")
def review_statuses(db: Database) -> list[str]:
    """Each step a review has reached is dated and no later one is; a quality-assured review
    has its outcome and no other has one."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_reviews(conn):
            return []
        reviews = _reviews(conn)
    for name, row in reviews.values():
        status = ReviewStatus(row.status)  # type: ignore[attr-defined]
        for step, column in STATUS_DATE_COLUMNS.items():
            dated = getattr(row, column) is not None
            if step.order <= status.order and not dated:
                problems.append(
                    f"{name}: it is {status.label.lower()} but has no date for {step.label.lower()}"
                )
            elif step.order > status.order and dated:
                problems.append(
                    f"{name}: it is {status.label.lower()} but has a date for "
                    f"{step.label.lower()}, a later step"
                )
        has_outcome = row.qa_outcome is not None  # type: ignore[attr-defined]
        if status is ReviewStatus.QUALITY_ASSURED and not has_outcome:
            problems.append(f"{name}: it is quality-assured but has no outcome")
        elif status is not ReviewStatus.QUALITY_ASSURED and has_outcome:
            problems.append(
                f"{name}: it has a quality-assurance outcome but is {status.label.lower()}"
            )
    return _capped(problems)


@register_check("Term dates whole and in order")
def term_dates(db: Database) -> list[str]:
    """Each year with term dates has its three terms, inside the year, in order, each sound."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if "term_dates" not in set(inspect(conn).get_table_names()):
            return []
        by_year: dict[int, list[Term]] = defaultdict(list)
        for row in conn.execute(select(_terms).order_by(_terms.c.academic_year)):
            by_year[row.academic_year].append(
                Term(
                    TermName(row.term),
                    row.starts_on,
                    row.ends_on,
                    row.half_term_starts_on,
                    row.half_term_ends_on,
                )
            )
    for start_year, terms in by_year.items():
        year = AcademicYear(start_year)
        for words in year_term_problems(year, terms).values():
            problems.append(f"{year.label}: {words}")
    return _capped(problems)
