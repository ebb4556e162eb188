"""What governance needs attention: bodies behind their required meetings, short notices,
overdue actions, and appointments whose term is ending."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import or_, select

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.governance import Frequency, check_notice
from thep_desktop.domain.school_calendar import Term
from thep_desktop.models import Appointment, GoverningBody, Meeting
from thep_desktop.services.governance.governance_data import (
    ActionFilter,
    ComplianceReport,
    FrequencyGap,
    MeetingSummary,
)
from thep_desktop.services.governance.governance_records import appointment_details
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.permissions import VIEW

TERMS_ENDING_DAYS = 90
SHORT_NOTICE_LOOKBACK_DAYS = 365


class GovernanceComplianceService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def compliance(self, actor: Actor, as_at: date | None = None) -> ComplianceReport:
        actor.require(VIEW)
        day = as_at or date.today()
        behind = self._behind(actor, day)
        from thep_desktop.services.governance.governance_actions_service import (
            GovernanceActionsService,
        )
        from thep_desktop.services.governance.meetings_service import MeetingsService

        short = [
            m
            for m in MeetingsService(self.db).list_meetings(
                actor, since=day - timedelta(days=SHORT_NOTICE_LOOKBACK_DAYS)
            )
            if not m.cancelled
            and (
                m.notice.short
                # a meeting ahead whose notice can no longer be given in time
                or (m.notice.given is None and m.meets_on >= day and _too_late(m, day))
            )
        ]
        short.sort(key=lambda m: m.meets_on)
        overdue = GovernanceActionsService(self.db).list_actions(
            actor, ActionFilter(overdue_on=day)
        )
        with self.db.read_session() as session:
            ending = list(
                session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.starts_on <= day,
                        or_(Appointment.ends_on.is_(None), Appointment.ends_on > day),
                        Appointment.term_ends_on >= day,
                        Appointment.term_ends_on <= day + timedelta(days=TERMS_ENDING_DAYS),
                    )
                    .order_by(Appointment.term_ends_on, Appointment.id)
                )
            )
            terms = appointment_details(session, ending)
        return ComplianceReport(day, tuple(behind), tuple(short), tuple(overdue), tuple(terms))

    def _behind(self, actor: Actor, day: date) -> list[FrequencyGap]:
        year = AcademicYear.of(day)
        period_of_term = self._term_period(actor, year, day)
        gaps = []
        with self.db.read_session() as session:
            bodies = list(
                session.scalars(
                    select(GoverningBody)
                    .where(GoverningBody.active, GoverningBody.frequency != Frequency.NONE)
                    .order_by(GoverningBody.name)
                )
            )
            # One statement for every body: the year's meetings (a term lies within it).
            in_year: dict[int, list[date]] = {}
            for body_id, meets_on in session.execute(
                select(Meeting.body_id, Meeting.meets_on).where(
                    Meeting.cancelled.is_(False),
                    Meeting.meets_on >= year.first_day,
                    Meeting.meets_on <= year.last_day,
                )
            ):
                in_year.setdefault(body_id, []).append(meets_on)
            for body in bodies:
                if body.min_meetings < 1:
                    continue
                if body.frequency == Frequency.TERM:
                    first, last, label = period_of_term
                    period = "each term"
                else:
                    first, last, label = year.first_day, year.last_day, f"the year {year.label}"
                    period = "each academic year"
                days = [d for d in in_year.get(body.id, []) if first <= d <= last]
                held = sum(1 for d in days if d <= day)
                planned = len(days) - held
                if held + planned >= body.min_meetings:
                    continue
                times = "once" if body.min_meetings == 1 else f"{body.min_meetings} times"
                met = {0: "has not met", 1: "has met once"}.get(held, f"has met {held} times")
                booked = (
                    "nothing more is booked"
                    if not planned
                    else f"{planned} more meeting{'s are' if planned != 1 else ' is'} booked"
                )
                gaps.append(
                    FrequencyGap(
                        body.id,
                        body.name,
                        label,
                        body.min_meetings,
                        held,
                        planned,
                        f"{body.name} {met} in {label} and {booked}; it must meet at least "
                        f"{times} {period}.",
                    )
                )
        return gaps

    def _term_period(self, actor: Actor, year: AcademicYear, day: date) -> tuple[date, date, str]:
        """The term ``day`` falls in, holidays counted with the term before them."""
        from thep_desktop.services.peer_reviews.calendar_service import SchoolCalendarService

        return term_period(SchoolCalendarService(self.db).year_terms(actor, year).terms, year, day)


def term_period(terms: Sequence[Term], year: AcademicYear, day: date) -> tuple[date, date, str]:
    """The period of ``year``'s ``terms`` that ``day`` falls in (holidays counted with the
    term before them): its first and last days and its words; the whole year without terms."""
    terms = sorted(terms, key=lambda t: t.starts_on)
    starts = [year.first_day] + [t.starts_on for t in terms[1:]]
    ends = [s - timedelta(days=1) for s in starts[1:]] + [year.last_day]
    for term, first, last in zip(terms, starts, ends, strict=True):
        if first <= day <= last:
            return first, last, f"the {term.name.label.lower()} {term.starts_on.year}"
    return year.first_day, year.last_day, f"the year {year.label}"


def _too_late(meeting: MeetingSummary, day: date) -> bool:
    """Notice sent today would already be short."""
    return check_notice(day, meeting.meets_on, meeting.notice.required).short
