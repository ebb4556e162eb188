"""The dashboard's inspection figures, worked out in SQL (contract: dashboard_service.py).

Member schools (members on the day) by the outcome of their latest Ofsted inspection that
gives one (``domain.ofsted.latest_outcome``: a graded inspection by its overall grade, none
from September 2024; a report card by its safeguarding and lowest area grade; ungraded
inspections and monitoring visits leave the outcome as it was); member schools whose latest
inspection of any kind is more than the chosen number of years old; and the member schools
causing concern, with their link officers. Only inspections on or before the day count.

Three statements, whatever the number of schools: the outcomes' counts, the old
inspections' count and the schools causing concern.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import add_months
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    AreaGrade,
    InspectionKind,
    Outcome,
    OverallGrade,
    Safeguarding,
)
from thep_desktop.models import OfstedInspection, School, StaffMember
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow, Tile
from thep_desktop.services.dashboard.member_schools import link_officer_name, member_school_ids
from thep_desktop.services.shared.errors import ValidationError

if TYPE_CHECKING:
    from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DrillFunction

AREA = "inspection"
SERIES = "Member schools"


def outcome_case() -> ColumnElement[str]:
    """The SQL form of ``InspectionRecord.outcome``: an Outcome's value, NULL for none."""
    areas = [getattr(OfstedInspection, column) for column, _words in EVALUATION_AREAS]
    return case(
        (
            OfstedInspection.kind == InspectionKind.REPORT_CARD,
            case(
                (
                    OfstedInspection.safeguarding == Safeguarding.NOT_MET,
                    Outcome.SAFEGUARDING_NOT_MET.value,
                ),
                (
                    or_(*(a == AreaGrade.URGENT_IMPROVEMENT for a in areas)),
                    Outcome.URGENT_IMPROVEMENT.value,
                ),
                (
                    or_(*(a == AreaGrade.NEEDS_ATTENTION for a in areas)),
                    Outcome.NEEDS_ATTENTION.value,
                ),
                else_=Outcome.EXPECTED_OR_BETTER.value,
            ),
        ),
        (
            OfstedInspection.kind == InspectionKind.GRADED,
            case(
                (
                    OfstedInspection.overall_grade == OverallGrade.NONE,
                    Outcome.NO_OVERALL_GRADE.value,
                ),
                (
                    OfstedInspection.overall_grade == OverallGrade.OUTSTANDING,
                    Outcome.OUTSTANDING.value,
                ),
                (OfstedInspection.overall_grade == OverallGrade.GOOD, Outcome.GOOD.value),
                (
                    OfstedInspection.overall_grade == OverallGrade.REQUIRES_IMPROVEMENT,
                    Outcome.REQUIRES_IMPROVEMENT.value,
                ),
                else_=Outcome.INADEQUATE.value,
            ),
        ),
        else_=literal(None),
    )


def latest_outcomes(day: date) -> Subquery:
    """(school_id, outcome, inspected_on) of each school's latest inspection giving an
    outcome on or before ``day`` (the SQL form of ``domain.ofsted.latest_outcome``).

    A window (numbering each school's inspections, latest first) rather than a join to the
    latest day: SQLite plans the join badly when the subquery is outer-joined in its turn.
    """
    ranked = (
        select(
            OfstedInspection.school_id.label("school_id"),
            outcome_case().label("outcome"),
            OfstedInspection.inspected_on.label("inspected_on"),
            func.row_number()
            .over(
                partition_by=OfstedInspection.school_id,
                order_by=OfstedInspection.inspected_on.desc(),
            )
            .label("n"),
        )
        .where(
            OfstedInspection.inspected_on <= day,
            OfstedInspection.kind.in_([InspectionKind.GRADED, InspectionKind.REPORT_CARD]),
        )
        .subquery("ranked")
    )
    return (
        select(ranked.c.school_id, ranked.c.outcome, ranked.c.inspected_on)
        .where(ranked.c.n == 1)
        .subquery("latest_outcome")
    )


def latest_inspections(day: date) -> Subquery:
    """(school_id, inspected_on, kind) of each school's latest inspection of any kind on or
    before ``day`` (a school has one inspection a day)."""
    last = (
        select(
            OfstedInspection.school_id.label("school_id"),
            func.max(OfstedInspection.inspected_on).label("inspected_on"),
        )
        .where(OfstedInspection.inspected_on <= day)
        .group_by(OfstedInspection.school_id)
        .subquery("last_any")
    )
    return (
        select(
            OfstedInspection.school_id.label("school_id"),
            OfstedInspection.inspected_on.label("inspected_on"),
            OfstedInspection.kind.label("kind"),
        )
        .join(
            last,
            and_(
                last.c.school_id == OfstedInspection.school_id,
                last.c.inspected_on == OfstedInspection.inspected_on,
            ),
        )
        .subquery("latest_any")
    )


def old_before(at: DashboardAsAt, years: int | None = None) -> date:
    """The day before which a latest inspection counts as old."""
    return add_months(at.as_at, -12 * (years if years is not None else at.inspection_years))


def figures(session: Session, at: DashboardAsAt) -> tuple[list[Tile], list[Chart]]:
    day = at.as_at
    members = member_school_ids(day).subquery("members")
    latest = latest_outcomes(day)
    outcome = func.coalesce(latest.c.outcome, Outcome.NOT_YET_INSPECTED.value)
    counts = {
        Outcome(value): n
        for value, n in session.execute(
            select(outcome, func.count())
            .select_from(members)
            .outerjoin(latest, latest.c.school_id == members.c.school_id)
            .group_by(outcome)
        )
    }
    any_latest = latest_inspections(day)
    cutoff = old_before(at)
    old = (
        session.scalar(
            select(func.count())
            .select_from(members)
            .join(any_latest, any_latest.c.school_id == members.c.school_id)
            .where(any_latest.c.inspected_on < cutoff)
        )
        or 0
    )
    concern = (
        session.scalar(
            select(func.count())
            .select_from(School)
            .where(School.causing_concern.is_(True), School.id.in_(member_school_ids(day)))
        )
        or 0
    )
    years = at.inspection_years
    not_yet = counts.get(Outcome.NOT_YET_INSPECTED, 0)
    tiles = [
        Tile(
            "inspection.not_yet_inspected",
            AREA,
            "Member schools not yet inspected",
            not_yet,
            detail="No graded inspection or report card on record",
            drill=_outcome_drill(Outcome.NOT_YET_INSPECTED),
        ),
        Tile(
            "inspection.older_than_years",
            AREA,
            f"Member schools last inspected more than {_years(years)} ago",
            old,
            detail=f"Latest inspection before {format_date(cutoff)}",
            drill=Drill(
                "old_inspections",
                {"years": str(years)},
                f"Member schools last inspected more than {_years(years)} ago",
            ),
            warn=old > 0,
        ),
        Tile(
            "inspection.causing_concern",
            AREA,
            "Member schools causing concern",
            concern,
            detail="Each with its link officer",
            drill=Drill("causing_concern", {}, "Member schools causing concern"),
            warn=concern > 0,
        ),
    ]
    categories = tuple(o.words for o in Outcome)
    chart = Chart(
        "inspection.by_outcome",
        "Member schools by latest Ofsted outcome",
        ChartKind.BAR,
        categories,
        (
            Series(
                SERIES,
                tuple(counts.get(o, 0) for o in Outcome),
                tuple(_outcome_drill(o) for o in Outcome),
            ),
        ),
        note=f"As at {format_date(day)}; the latest graded inspection or report card",
    )
    return tiles, [chart]


def _years(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


def _outcome_drill(outcome: Outcome) -> Drill:
    return Drill(
        "schools_by_outcome",
        {"outcome": outcome.value},
        f"Member schools: {outcome.words}",
    )


# -- the lists behind the figures ----------------------------------------------------------------
SCHOOL_COLUMNS = ("School", "URN", "Phase")


def _school_row(
    school_id: int, urn: int, name: str, phase: str, extra: list[tuple[str, Any]]
) -> DrillRow:
    cells = (name, str(urn), phase, *(text for text, _key in extra))
    keys = (name.casefold(), urn, phase, *(key for _text, key in extra))
    return DrillRow(school_id, urn, cells, keys)


def _schools_by_outcome(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    try:
        wanted = Outcome(drill.filters.get("outcome", ""))
    except ValueError:
        raise ValidationError({"outcome": "Choose one of the Ofsted outcomes."}) from None
    day = at.as_at
    latest = latest_outcomes(day)
    outcome = func.coalesce(latest.c.outcome, Outcome.NOT_YET_INSPECTED.value)
    rows = session.execute(
        select(
            School.id,
            School.urn,
            School.name,
            School.phase,
            latest.c.inspected_on,
            StaffMember.full_name,
        )
        .outerjoin(latest, latest.c.school_id == School.id)
        .outerjoin(StaffMember, StaffMember.id == School.link_officer_id)
        .where(School.id.in_(member_school_ids(day)), outcome == wanted.value)
        .order_by(School.name, School.urn)
    )
    return DrillList(
        drill.title or f"Member schools: {wanted.words}",
        drill.kind,
        (*SCHOOL_COLUMNS, "Inspected", "Outcome", "Link officer"),
        tuple(
            _school_row(
                sid,
                urn,
                name,
                phase,
                [
                    (format_date(on), on or date.min),
                    (wanted.words, wanted.value),
                    (link_officer_name(officer), officer or ""),
                ],
            )
            for sid, urn, name, phase, on, officer in rows
        ),
    )


def _old_inspections(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    try:
        years = int(drill.filters.get("years", at.inspection_years))
    except ValueError:
        raise ValidationError({"years": "Give the number of years as a whole number."}) from None
    day = at.as_at
    cutoff = old_before(at, years)
    latest = latest_inspections(day)
    rows = session.execute(
        select(
            School.id,
            School.urn,
            School.name,
            School.phase,
            latest.c.inspected_on,
            latest.c.kind,
            StaffMember.full_name,
        )
        .join(latest, latest.c.school_id == School.id)
        .outerjoin(StaffMember, StaffMember.id == School.link_officer_id)
        .where(School.id.in_(member_school_ids(day)), latest.c.inspected_on < cutoff)
        .order_by(latest.c.inspected_on, School.name)
    )
    return DrillList(
        drill.title or f"Member schools last inspected more than {_years(years)} ago",
        drill.kind,
        (*SCHOOL_COLUMNS, "Last inspected", "Inspection", "Link officer"),
        tuple(
            _school_row(
                sid,
                urn,
                name,
                phase,
                [
                    (format_date(on), on),
                    (InspectionKind(kind).words, str(kind)),
                    (link_officer_name(officer), officer or ""),
                ],
            )
            for sid, urn, name, phase, on, kind, officer in rows
        ),
    )


def _causing_concern(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    day = at.as_at
    latest = latest_outcomes(day)
    rows = session.execute(
        select(
            School.id,
            School.urn,
            School.name,
            School.phase,
            StaffMember.full_name,
            latest.c.outcome,
            latest.c.inspected_on,
        )
        .outerjoin(latest, latest.c.school_id == School.id)
        .outerjoin(StaffMember, StaffMember.id == School.link_officer_id)
        .where(School.causing_concern.is_(True), School.id.in_(member_school_ids(day)))
        .order_by(School.name, School.urn)
    )
    out = []
    for sid, urn, name, phase, officer, value, on in rows:
        outcome = Outcome(value) if value else Outcome.NOT_YET_INSPECTED
        out.append(
            _school_row(
                sid,
                urn,
                name,
                phase,
                [
                    (link_officer_name(officer), officer or ""),
                    (outcome.words, outcome.value),
                    (format_date(on), on or date.min),
                ],
            )
        )
    return DrillList(
        drill.title or "Member schools causing concern",
        drill.kind,
        (*SCHOOL_COLUMNS, "Link officer", "Latest outcome", "Inspected"),
        tuple(out),
    )


DRILLS: dict[str, DrillFunction] = {
    "schools_by_outcome": _schools_by_outcome,
    "old_inspections": _old_inspections,
    "causing_concern": _causing_concern,
}
