"""The demo's annual reports to the Advisory Council: last academic year's, final (approved by
the Advisory Council's chair in the autumn), and this year's draft, part-written."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.annual_report import ReportStatus
from thep_desktop.domain.governance import BodyKind, Capacity
from thep_desktop.models import Appointment, GovernancePerson, GoverningBody
from thep_desktop.models.annual_report import AnnualReport
from thep_desktop.reports.annual_report.report_snapshot import sections_to_json
from thep_desktop.services.annual_report.annual_report_service import report_sections
from thep_desktop.services.dashboard.dashboard_service import DashboardService
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.governance.governance_records import person_name
from thep_desktop.services.shared.actor import Actor

FALLBACK_CHAIR = "The chair of the Advisory Council"

LAST_YEAR_TEXTS = {
    "introduction": (
        "This is the office's report to the Advisory Council on {year}, the last year of our "
        "strategic plan 2022-25 and the first of the plan that follows it. It sets out who our "
        "members are, how the partnership's money was raised and spent, how far the peer "
        "review cycle reached, what Ofsted found in our schools, and how the partnership was "
        "governed.\n\n"
        "Our first priority remains Knowing our schools: understanding the strengths and needs "
        "of each school, finding early those that need support, and reporting on it honestly. "
        "The figures in each section are taken from the office's records as at the last day of "
        "the year, and the tables behind them are in the appendix."
    ),
    "membership": (
        "Membership held steady through the year. Almost every maintained school and academy in "
        "the borough chose to remain a member, and the schools that joined did so after taking "
        "part in our leadership programmes and peer reviews as guests.\n\n"
        "Where a school gave notice, we met its head teacher and chair of governors to "
        "understand why. In each case the reason was a change of trust rather than the "
        "partnership's offer, and we have kept the door open: two former members still buy "
        "traded services."
    ),
    "finances": (
        "Membership fees remain the partnership's main income, invoiced in September at the "
        "rate per pupil the members agreed, with traded services (training, moderation and "
        "governor support) making up the rest.\n\n"
        "Most schools paid within terms. The office chased the few late payments with the "
        "usual reminders, and the Board reviewed the aged debt at each meeting; no debt was "
        "written off this year."
    ),
    "peer_review": (
        "Every member school was offered a peer review this year, with head teachers from its "
        "cluster as reviewers. All reviews of the cycle were completed, their reports received "
        "and quality-assured by the office before being shared with the school.\n\n"
        "Head teachers told us that reviewing other schools is among the most useful "
        "professional learning they do. Next year we will pair first-time reviewers with "
        "experienced ones in every cluster."
    ),
    "inspection": (
        "Ofsted's move from a single overall grade to report cards changes how we read "
        "inspection outcomes: this report shows each school's latest outcome as Ofsted "
        "published it. Schools inspected since November 2025 have a report card; others keep "
        "their last graded judgement.\n\n"
        "Link officers visited each school causing concern at least once a term and agreed a "
        "plan of support with its leaders. We will report on the impact of that support to the "
        "Council in the spring."
    ),
    "governance": (
        "The Board met each term with a quorum, and the Advisory Council met in the autumn, "
        "spring and summer terms. The members' annual general meeting received the accounts "
        "and elected directors.\n\n"
        "Actions agreed at meetings are tracked by the clerk; those overdue at the year's end "
        "are listed in the appendix and carried into the new year's first meetings."
    ),
}

THIS_YEAR_TEXTS = {
    "introduction": (
        "Draft for discussion. This report covers {year}, which is still under way: the "
        "figures are as at today and will change before the year ends."
    ),
    "membership": (
        "Membership so far this year is in line with last year. The office is speaking with "
        "the schools that have not yet renewed.\n\n"
        "To do: add the schools that joined in the spring term once the Board has admitted them."
    ),
    "finances": (
        "This year's fee run went out in September. Payments are coming in at about the same "
        "pace as last year; the office will bring the aged debt to the Board in the spring."
    ),
}


def annual_report_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    today = date.today()
    this_year = AcademicYear.of(today)
    last_year = this_year.previous()
    chair = _advisory_council_chair(session) or FALLBACK_CHAIR
    # Approved at the Advisory Council's autumn meeting: a day in the autumn term before today
    # (on 1 or 2 September, the year has only just ended: approved today).
    approved = min(today, date(this_year.start_year, 10, 14 + rng.randint(0, 10)))
    reports = (
        (last_year, LAST_YEAR_TEXTS, ReportStatus.FINAL, approved, chair),
        (this_year, THIS_YEAR_TEXTS, ReportStatus.DRAFT, None, ""),
    )
    session.flush()  # the records the final report's figures count
    figures = DashboardService.in_session(session)
    for done, (year, texts, status, on, by) in enumerate(reports, start=1):
        kept = None
        if status is ReportStatus.FINAL:
            # Kept when it was marked final, as the service keeps them.
            kept = sections_to_json(report_sections(figures, actor, year, year.last_day, {}))
        session.add(
            AnnualReport(
                academic_year=year.start_year,
                status=status,
                title=f"Annual report to the Advisory Council {year.label}",
                introduction=texts.get("introduction", "").format(year=year.label),
                membership_text=texts.get("membership", ""),
                finances_text=texts.get("finances", ""),
                peer_review_text=texts.get("peer_review", ""),
                inspection_text=texts.get("inspection", ""),
                governance_text=texts.get("governance", ""),
                finalised_on=on,
                finalised_by=by,
                figures=kept,
                created_by=actor.name,
                updated_by=actor.name,
            )
        )
        progress.report(done, len(reports))
    session.flush()


def _advisory_council_chair(session: Session) -> str:
    person = session.scalar(
        select(GovernancePerson)
        .join(Appointment, Appointment.person_id == GovernancePerson.id)
        .join(GoverningBody, GoverningBody.id == Appointment.body_id)
        .where(
            GoverningBody.kind == BodyKind.ADVISORY_COUNCIL,
            Appointment.capacity == Capacity.CHAIR,
            Appointment.ends_on.is_(None),
        )
        .limit(1)
    )
    return person_name(person) if person is not None else ""
