"""Term dates, the schools' closure days, and England's bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ClosureKind, Term
from thep_desktop.models import School, SchoolClosure, TermDates
from thep_desktop.models.base import utcnow
from thep_desktop.services.peer_reviews.peer_reviews_permissions import EDIT_TERM_DATES
from thep_desktop.services.peer_reviews.review_data import ClosureDetail, ClosureInput, YearTerms
from thep_desktop.services.peer_reviews.review_records import stored_terms, term_row
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

# A closure is a day or a few; more than a term's worth at once is a typing mistake.
MOST_CLOSURE_DAYS = 20


class SchoolCalendarService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def year_terms(self, actor: Actor, year: AcademicYear) -> YearTerms:
        """The year's saved terms; when none are saved, the usual dates proposed to edit."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows, terms = stored_terms(session, year)
            versions = {row.term: row.version for row in rows}
        if terms:
            return YearTerms(year, terms, saved=True, versions=versions)
        from thep_desktop.domain.school_calendar import default_terms

        return YearTerms(year, tuple(default_terms(year)), saved=False)

    def saved_years(self, actor: Actor) -> list[AcademicYear]:
        """The academic years with term dates saved, latest first."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            years = session.scalars(select(TermDates.academic_year).distinct())
            return sorted((AcademicYear(year) for year in years), reverse=True)

    @save
    def save_terms(
        self,
        actor: Actor,
        year: AcademicYear,
        terms: tuple[Term, ...] | list[Term],
        expected_versions: dict | None = None,
    ) -> YearTerms:
        """The year's three terms, saved together or not at all.

        A term ending before it starts, half term outside its term, terms overlapping or
        outside the academic year, or a term missing are refused in words, nothing saved.
        ``expected_versions`` (from :meth:`year_terms`) refuses a save over someone else's.
        """
        actor.require(EDIT_TERM_DATES)
        from thep_desktop.domain.school_calendar import year_term_problems

        problems = year_term_problems(year, list(terms))
        if problems:
            raise ValidationError(problems)
        try:
            with self.db.session() as session:
                rows, _ = stored_terms(session, year)
                by_name = {row.term: row for row in rows}
                for term in terms:
                    row = by_name.get(term.name)
                    expected = (expected_versions or {}).get(term.name)
                    if row is None:
                        if expected is not None:
                            raise changed_meanwhile("year's term dates")
                        session.add(term_row(year, term, actor.name))
                        continue
                    if expected is not None and row.version != expected:
                        raise changed_meanwhile("year's term dates")
                    values = {
                        "starts_on": term.starts_on,
                        "ends_on": term.ends_on,
                        "half_term_starts_on": term.half_term_starts_on,
                        "half_term_ends_on": term.half_term_ends_on,
                    }
                    if any(getattr(row, name) != value for name, value in values.items()):
                        for name, value in values.items():
                            setattr(row, name, value)
                        row.updated_at = utcnow()
                        row.updated_by = actor.name
        except (StaleDataError, IntegrityError):
            raise changed_meanwhile("year's term dates") from None
        return self.year_terms(actor, year)

    def bank_holidays(self, actor: Actor, year: AcademicYear) -> dict[date, str]:
        """England's bank holidays in the academic year, from the ``holidays`` package."""
        actor.require(VIEW)
        from thep_desktop.domain.school_calendar import bank_holidays

        return bank_holidays(year.first_day, year.last_day)

    def closures(
        self, actor: Actor, year: AcademicYear, school_id: int | None = None
    ) -> list[ClosureDetail]:
        """The closure days in the year, by date then school (one school's when named)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = (
                select(SchoolClosure, School.name)
                .join(School, School.id == SchoolClosure.school_id)
                .where(SchoolClosure.closed_on.between(year.first_day, year.last_day))
                .order_by(SchoolClosure.closed_on, School.name)
            )
            if school_id is not None:
                query = query.where(SchoolClosure.school_id == school_id)
            return [_closure(row, name) for row, name in session.execute(query)]

    @save
    def add_closures(self, actor: Actor, data: ClosureInput) -> list[ClosureDetail]:
        """A school's closure on a day, or on every weekday from the first to the last day.

        Days already recorded are left as they are; a last day before the first, or more than
        twenty days at once, is refused and nothing is saved.
        """
        actor.require(EDIT_TERM_DATES)
        checker = FieldChecker(SchoolClosure.__table__, {"reason": "Reason"})  # type: ignore[arg-type]
        reason = checker.text("reason", data.reason)
        last = data.last_day or data.first_day
        if last < data.first_day:
            checker.fail(
                "last_day",
                f"The last day ({last:%d/%m/%Y}) is before the first ({data.first_day:%d/%m/%Y}).",
            )
        try:
            kind = data.kind if isinstance(data.kind, ClosureKind) else ClosureKind(data.kind)
        except ValueError:
            checker.fail("kind", "Choose INSET day, occasional day or other closure.")
        days = []
        day = data.first_day
        while day <= last and not checker.errors:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        if not checker.errors and not days:
            checker.fail("first_day", "These days are a weekend: schools are closed anyway.")
        if len(days) > MOST_CLOSURE_DAYS:
            checker.fail(
                "last_day",
                f"That is {len(days)} school days; closures are entered "
                f"{MOST_CLOSURE_DAYS} days at most at a time.",
            )
        if checker.errors:
            raise ValidationError(checker.errors)
        with self.db.session() as session:
            school = session.get(School, data.school_id)
            if school is None:
                raise NotFoundError("This school is no longer in the register.")
            taken = set(
                session.scalars(
                    select(SchoolClosure.closed_on).where(
                        SchoolClosure.school_id == data.school_id,
                        SchoolClosure.closed_on.in_(days),
                    )
                )
            )
            added = [
                SchoolClosure(
                    school_id=data.school_id,
                    closed_on=day,
                    kind=kind,
                    reason=reason,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
                for day in days
                if day not in taken
            ]
            session.add_all(added)
            session.flush()
            return [_closure(row, school.name) for row in added]

    @save
    def delete_closure(self, actor: Actor, closure_id: int, expected_version: int) -> None:
        actor.require(EDIT_TERM_DATES)
        with self.db.session() as session:
            row = session.get(SchoolClosure, closure_id)
            if row is None:
                raise NotFoundError("This closure day is no longer recorded.")
            if row.version != expected_version:
                raise changed_meanwhile("closure day")
            session.delete(row)


def _closure(row: SchoolClosure, school_name: str) -> ClosureDetail:
    return ClosureDetail(
        row.id, row.version, row.school_id, school_name, row.closed_on, row.kind, row.reason
    )
