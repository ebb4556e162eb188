"""Reading schools, terms and closures for the peer-review services (session functions)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import SchoolInfo, Term
from thep_desktop.models import School, SchoolClosure, TermDates
from thep_desktop.services.peer_reviews.review_data import ClusterMember
from thep_desktop.services.schools.school_data import head_name


def member_of(school: School) -> ClusterMember:
    return ClusterMember(
        school_id=school.id,
        urn=school.urn,
        name=school.name,
        phase=school.phase,
        trust=school.trust,
        diocese=school.diocese,
        postcode=school.postcode,
        head_name=head_name(school.head_title, school.head_first_name, school.head_last_name),
    )


def school_members(session: Session, school_ids: Iterable[int]) -> dict[int, ClusterMember]:
    """The schools named, by id, in one statement (unknown ids are left out)."""
    wanted = sorted(set(school_ids))
    if not wanted:
        return {}
    rows = session.scalars(select(School).where(School.id.in_(wanted)))
    return {row.id: member_of(row) for row in rows}


def stored_terms(session: Session, year: AcademicYear) -> tuple[list[TermDates], tuple[Term, ...]]:
    """The year's saved term rows and the same as domain terms, in term order."""
    rows = list(
        session.scalars(select(TermDates).where(TermDates.academic_year == year.start_year))
    )
    rows.sort(key=lambda row: row.term.order)
    terms = tuple(
        Term(
            row.term,
            row.starts_on,
            row.ends_on,
            row.half_term_starts_on,
            row.half_term_ends_on,
        )
        for row in rows
    )
    return rows, terms


def term_row(year: AcademicYear, term: Term, by: str) -> TermDates:
    """A new row of one term's dates, made by ``by``."""
    return TermDates(
        academic_year=year.start_year,
        term=term.name,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        half_term_starts_on=term.half_term_starts_on,
        half_term_ends_on=term.half_term_ends_on,
        created_by=by,
        updated_by=by,
    )


def closures_between(
    session: Session, school_ids: Iterable[int], first: date, last: date
) -> dict[int, frozenset[date]]:
    """Each school's closure days between two dates, in one statement."""
    wanted = sorted(set(school_ids))
    found: dict[int, set[date]] = defaultdict(set)
    if wanted:
        rows = session.execute(
            select(SchoolClosure.school_id, SchoolClosure.closed_on).where(
                SchoolClosure.school_id.in_(wanted),
                SchoolClosure.closed_on.between(first, last),
            )
        )
        for school_id, closed_on in rows:
            found[school_id].add(closed_on)
    return {school_id: frozenset(found[school_id]) for school_id in wanted}


def school_infos(
    session: Session, school_ids: Iterable[int], year: AcademicYear
) -> dict[int, SchoolInfo]:
    """The schools as the scheduler and the checker see them, with the year's closures."""
    members = school_members(session, school_ids)
    closures = closures_between(session, members, year.first_day, year.last_day)
    return {
        school_id: SchoolInfo(school_id, member.name, member.trust, closures[school_id])
        for school_id, member in members.items()
    }
