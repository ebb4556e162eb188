"""The dashboard's governance figures, worked out in SQL (contract: dashboard_service.py).

The same rules as the governance compliance panel
(services/governance/governance_compliance_service.py), in SQL:

- Overdue actions: not closed (no ``closed_on``) and due before the day.
- Bodies behind: active bodies with a required frequency whose meetings (not cancelled)
  held or booked in the period the day falls in (its term, holidays counted with the term
  before them, or its academic year) are fewer than the number they must hold.
- Terms ending: appointments in office on the day whose term ends within the next 90 days.

The chart counts the actions by where they stand on the day: open, in progress and overdue
(the three never overlap: an overdue action counts only as overdue), and those done or
dropped this academic year (closed between its first day and the day).

Four statements, whatever the number of actions: the actions' counts, the year's term dates,
the bodies behind, the terms ending.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import ActionStatus, Capacity, Frequency
from thep_desktop.domain.school_calendar import default_terms
from thep_desktop.models import (
    Appointment,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    Meeting,
)
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow, Tile
from thep_desktop.services.governance.governance_compliance_service import (
    TERMS_ENDING_DAYS,
    term_period,
)
from thep_desktop.services.peer_reviews.review_records import stored_terms
from thep_desktop.services.shared.errors import ValidationError

if TYPE_CHECKING:
    from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DrillFunction

AREA = "governance"
# The chart's categories: (words, the bucket's key in the drill's filter).
BUCKETS = (
    ("Open", "open"),
    ("In progress", "in_progress"),
    ("Overdue", "overdue"),
    ("Done this year", "done"),
    ("Dropped this year", "dropped"),
)


def action_bucket(at: DashboardAsAt) -> ColumnElement[str | None]:
    """Where an action stands on the day, as one of BUCKETS' keys (NULL: none of them)."""
    day = at.as_at
    closed_this_year = and_(
        GovernanceAction.closed_on >= at.year.first_day, GovernanceAction.closed_on <= day
    )
    return case(
        (
            GovernanceAction.closed_on.is_(None),
            case(
                (GovernanceAction.due_on < day, "overdue"),
                (GovernanceAction.status == ActionStatus.IN_PROGRESS, "in_progress"),
                else_="open",
            ),
        ),
        (and_(GovernanceAction.status == ActionStatus.DONE, closed_this_year), "done"),
        (and_(GovernanceAction.status == ActionStatus.DROPPED, closed_this_year), "dropped"),
        else_=literal(None),
    )


def _period(session: Session, at: DashboardAsAt) -> tuple[date, date, str]:
    """The term the day falls in, as the compliance panel finds it (one statement)."""
    _rows, terms = stored_terms(session, at.year)
    return term_period(terms or default_terms(at.year), at.year, at.as_at)


def _behind_query(session: Session, at: DashboardAsAt) -> Any:
    """Each body behind: (id, name, frequency, must hold, held, booked, first, last, words)."""
    day = at.as_at
    term_first, term_last, term_words = _period(session, at)
    is_term = GoverningBody.frequency == Frequency.TERM
    first = case((is_term, term_first), else_=at.year.first_day)
    last = case((is_term, term_last), else_=at.year.last_day)
    in_period = and_(
        Meeting.body_id == GoverningBody.id,
        Meeting.cancelled.is_(False),
        Meeting.meets_on >= first,
        Meeting.meets_on <= last,
    )
    held = (
        select(func.count())
        .where(in_period, Meeting.meets_on <= day)
        .correlate(GoverningBody)
        .scalar_subquery()
    )
    booked = (
        select(func.count())
        .where(in_period, Meeting.meets_on > day)
        .correlate(GoverningBody)
        .scalar_subquery()
    )
    words = case((is_term, term_words), else_=f"the year {at.year.label}")
    return (
        select(
            GoverningBody.id,
            GoverningBody.name,
            GoverningBody.frequency,
            GoverningBody.min_meetings,
            held,
            booked,
            words,
        )
        .where(
            GoverningBody.active.is_(True),
            GoverningBody.frequency != Frequency.NONE,
            GoverningBody.min_meetings >= 1,
            held + booked < GoverningBody.min_meetings,
        )
        .order_by(GoverningBody.name)
    )


def _ending_filter(day: date) -> ColumnElement[bool]:
    return and_(
        Appointment.starts_on <= day,
        or_(Appointment.ends_on.is_(None), Appointment.ends_on > day),
        Appointment.term_ends_on >= day,
        Appointment.term_ends_on <= day + timedelta(days=TERMS_ENDING_DAYS),
    )


def figures(session: Session, at: DashboardAsAt) -> tuple[list[Tile], list[Chart]]:
    day = at.as_at
    bucket = action_bucket(at)
    counts = {
        key: n
        for key, n in session.execute(select(bucket, func.count()).group_by(bucket))
        if key is not None
    }
    behind_rows = _behind_query(session, at).subquery("behind")
    behind = session.scalar(select(func.count()).select_from(behind_rows)) or 0
    ending = (
        session.scalar(select(func.count()).select_from(Appointment).where(_ending_filter(day)))
        or 0
    )
    overdue = counts.get("overdue", 0)
    tiles = [
        Tile(
            "governance.overdue_actions",
            AREA,
            "Overdue actions",
            overdue,
            detail=f"Not done and due before {format_date(day)}",
            drill=_actions_drill("overdue", "Overdue actions"),
            warn=overdue > 0,
        ),
        Tile(
            "governance.bodies_behind",
            AREA,
            "Bodies behind their required meetings",
            behind,
            detail="Fewer meetings held and booked than they must hold",
            drill=Drill("bodies_behind", {}, "Bodies behind their required meetings"),
            warn=behind > 0,
        ),
        Tile(
            "governance.terms_ending",
            AREA,
            f"Terms of office ending in the next {TERMS_ENDING_DAYS} days",
            ending,
            detail=f"By {format_date(day + timedelta(days=TERMS_ENDING_DAYS))}",
            drill=Drill(
                "terms_ending", {}, f"Terms of office ending in the next {TERMS_ENDING_DAYS} days"
            ),
            warn=ending > 0,
        ),
    ]
    chart = Chart(
        "governance.actions_by_status",
        "Actions from meetings",
        ChartKind.BAR,
        tuple(words for words, _key in BUCKETS),
        (
            Series(
                "Actions",
                tuple(counts.get(key, 0) for _words, key in BUCKETS),
                tuple(_actions_drill(key, f"Actions: {words.lower()}") for words, key in BUCKETS),
            ),
        ),
        note=f"As at {format_date(day)}; done and dropped since {format_date(at.year.first_day)}",
    )
    return tiles, [chart]


def _actions_drill(key: str, title: str) -> Drill:
    return Drill("actions", {"status": key}, title)


# -- the lists behind the figures ----------------------------------------------------------------
def _actions(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    key = drill.filters.get("status", "")
    if key not in {k for _w, k in BUCKETS}:
        raise ValidationError({"status": "Choose open, in progress, overdue, done or dropped."})
    owner = func.coalesce(GovernancePerson.full_name, GovernanceAction.owner_name)
    query = (
        select(
            GovernanceAction.id,
            GovernanceAction.text,
            GoverningBody.name,
            owner,
            GovernanceAction.due_on,
            GovernanceAction.status,
            GovernanceAction.closed_on,
        )
        .join(GoverningBody, GoverningBody.id == GovernanceAction.body_id)
        .outerjoin(GovernancePerson, GovernancePerson.id == GovernanceAction.owner_person_id)
        .where(action_bucket(at) == key)
        .order_by(GovernanceAction.due_on, GovernanceAction.id)
    )
    rows = []
    for action_id, text, body, who, due, status, closed in session.execute(query):
        status = ActionStatus(status)
        rows.append(
            DrillRow(
                action_id,
                None,
                (text, body, who or "", format_date(due), status.label, format_date(closed)),
                (
                    text.casefold(),
                    body,
                    (who or "").casefold(),
                    due or date.max,
                    status.value,
                    closed or date.min,
                ),
            )
        )
    return DrillList(
        drill.title or "Actions",
        drill.kind,
        ("Action", "Body", "Owner", "Due", "Status", "Closed"),
        tuple(rows),
    )


def _bodies_behind(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    rows = []
    for body_id, name, frequency, must, held, booked, words in session.execute(
        _behind_query(session, at)
    ):
        per = "each term" if Frequency(frequency) is Frequency.TERM else "each academic year"
        times = "once" if must == 1 else f"{must} times"
        rows.append(
            DrillRow(
                body_id,
                None,
                (name, f"At least {times} {per}", words, str(held), str(booked)),
                (name.casefold(), must, words, held, booked),
            )
        )
    return DrillList(
        drill.title or "Bodies behind their required meetings",
        drill.kind,
        ("Body", "Must meet", "Period", "Held", "Booked"),
        tuple(rows),
    )


def _terms_ending(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    query = (
        select(
            Appointment.id,
            GovernancePerson.full_name,
            GoverningBody.name,
            Appointment.capacity,
            Appointment.term_ends_on,
        )
        .join(GovernancePerson, GovernancePerson.id == Appointment.person_id)
        .join(GoverningBody, GoverningBody.id == Appointment.body_id)
        .where(_ending_filter(at.as_at))
        .order_by(Appointment.term_ends_on, Appointment.id)
    )
    rows = tuple(
        DrillRow(
            appointment_id,
            None,
            (person, body, Capacity(capacity).label, format_date(ends)),
            (person.casefold(), body, str(capacity), ends),
        )
        for appointment_id, person, body, capacity, ends in session.execute(query)
    )
    return DrillList(
        drill.title or "Terms of office ending",
        drill.kind,
        ("Name", "Body", "Capacity", "Term ends"),
        rows,
    )


DRILLS: dict[str, DrillFunction] = {
    "actions": _actions,
    "bodies_behind": _bodies_behind,
    "terms_ending": _terms_ending,
}
