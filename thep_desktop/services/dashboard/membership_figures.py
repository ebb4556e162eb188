"""The dashboard's membership figures, worked out in SQL (contract: dashboard_service.py).

Three statements whatever the number of schools and members:

1. where each member stood on a handful of days (``as_at``, the same day a year earlier,
   and the last day of each of the five academic years before this one), counted by
   category, phase and whether it was under notice;
2. the borough's open schools and pupils, with how many of them belong to members;
3. the members who joined and who left in this academic year (to ``as_at``), in the same
   span of last year, and in each of the five years before.

The membership rules are the members service's (``domain.memberships.status_on`` and
``MemberDetail.period_on``), in SQL next to them (``services.memberships.member_standing``);
a school is open on a day as ``domain.schools.effective_status`` says
(``services.schools.open_schools``). The tests check both versions agree on the demo.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    and_,
    case,
    func,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.memberships import Category, MemberKind
from thep_desktop.models import Member, MembershipPeriod, School
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series, Unit
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow, Tile
from thep_desktop.services.memberships.member_standing import standing_on
from thep_desktop.services.schools.open_schools import in_borough, school_open_on
from thep_desktop.services.shared.errors import ValidationError

if TYPE_CHECKING:
    from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DrillFunction

AREA = "membership"
YEARS_BACK = 5  # the movement chart: this academic year and the five before it

NOT_A_SCHOOL = "Not a school"
NO_PHASE = "Phase not recorded"
# The phases as GIAS names them, in the order of a child's schooling; others follow by name.
PHASE_ORDER = (
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Middle deemed secondary",
    "Secondary",
    "All-through",
    "16 plus",
    "Not applicable",
)
CATEGORY_WORDS = {Category.FULL: "Full", Category.ASSOCIATE: "Associate"}

_period = MembershipPeriod.__table__
_member = Member.__table__
_school = School.__table__


# -- the rules in SQL -------------------------------------------------------------------------
def year_ago(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _phase_key() -> ColumnElement[str]:
    return case(
        (_member.c.kind != MemberKind.SCHOOL, NOT_A_SCHOOL),
        (func.coalesce(_school.c.phase, "") == "", NO_PHASE),
        else_=_school.c.phase,
    )


def phase_words(kind: MemberKind, phase: str | None) -> str:
    """The phase a member is counted under (as ``_phase_key`` says in SQL)."""
    if kind is not MemberKind.SCHOOL:
        return NOT_A_SCHOOL
    return phase or NO_PHASE


def phase_order(phase: str) -> tuple[int, str]:
    if phase in PHASE_ORDER:
        return PHASE_ORDER.index(phase), ""
    if phase == NO_PHASE:
        return len(PHASE_ORDER) + 1, ""
    if phase == NOT_A_SCHOOL:
        return len(PHASE_ORDER) + 2, ""
    return len(PHASE_ORDER), phase.casefold()


def percent(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole``, to one decimal place (0 of nothing is 0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _spans(at: DashboardAsAt) -> list[tuple[str, AcademicYear, date, date]]:
    """This year to ``as_at`` and the five before it whole, oldest first: (key, year, first,
    last)."""
    spans = []
    for back in range(YEARS_BACK, 0, -1):
        year = AcademicYear(at.year.start_year - back)
        spans.append((year.label, year, year.first_day, year.last_day))
    spans.append((at.year.label, at.year, at.year.first_day, at.as_at))
    return spans


# -- the figures ------------------------------------------------------------------------------
def figures(session: Session, at: DashboardAsAt) -> tuple[list[Tile], list[Chart]]:
    day = at.as_at
    before = year_ago(day)
    spans = _spans(at)
    last_span = (at.year.previous().first_day, before)

    # 1. where members stood: today, a year ago, and at the end of each earlier year.
    days = [("now", day), ("year_ago", before)]
    days += [(key, last) for key, _y, _f, last in spans[:-1]]
    standing = standing_on(days, notice_only=[key for key, _y, _f, _l in spans[:-1]])
    grouped = session.execute(
        select(
            standing.c.key,
            standing.c.category,
            _member.c.kind,
            _school.c.phase,
            func.count().label("members"),
            func.sum(standing.c.under_notice).label("under_notice"),
        )
        .join_from(standing, _member, _member.c.id == standing.c.member_id)
        .outerjoin(_school, _school.c.id == _member.c.school_id)
        .group_by(standing.c.key, standing.c.category, _member.c.kind, _school.c.phase)
    ).all()
    members: dict[tuple[str, Category], int] = {}
    notice: dict[str, int] = {}
    by_phase: dict[tuple[str, Category], int] = {}
    for row in grouped:
        members[row.key, row.category] = members.get((row.key, row.category), 0) + row.members
        notice[row.key] = notice.get(row.key, 0) + int(row.under_notice or 0)
        if row.key == "now":
            phase = phase_words(row.kind, row.phase)
            by_phase[phase, row.category] = by_phase.get((phase, row.category), 0) + row.members

    # 2. the borough's open schools and their pupils, and how many belong to members.
    now = standing_on([("now", day)])
    pupils = func.coalesce(_school.c.pupils_on_roll, 0)
    is_member = and_(_member.c.id.is_not(None), now.c.member_id.is_not(None))
    share = session.execute(
        select(
            func.count(_school.c.id).label("schools"),
            func.coalesce(func.sum(pupils), 0).label("pupils"),
            func.coalesce(func.sum(case((is_member, 1), else_=0)), 0).label("member_schools"),
            func.coalesce(func.sum(case((is_member, pupils), else_=0)), 0).label("member_pupils"),
        )
        .select_from(_school)
        .outerjoin(_member, _member.c.school_id == _school.c.id)
        .outerjoin(now, now.c.member_id == _member.c.id)
        .where(school_open_on(day), in_borough())
    ).one()

    # 3. who joined and who left in each span (and in this span of last year).
    counted = [*spans, ("last_span", at.year.previous(), *last_span)]
    movement = session.execute(
        select(
            *(
                func.coalesce(func.sum(case((_joined(first, last), 1), else_=0)), 0).label(
                    f"joined_{n}"
                )
                for n, (_k, _y, first, last) in enumerate(counted)
            ),
            *(
                func.coalesce(func.sum(case((_left(first, last), 1), else_=0)), 0).label(
                    f"left_{n}"
                )
                for n, (_k, _y, first, last) in enumerate(counted)
            ),
        ).select_from(_period)
    ).one()
    sums = movement._mapping
    joined = [int(sums[f"joined_{n}"]) for n in range(len(counted))]
    left = [int(sums[f"left_{n}"]) for n in range(len(counted))]

    tiles = _tiles(at, members, notice, share, joined, left, last_span)
    charts = [
        _phase_chart(at, by_phase),
        _movement_chart(at, spans, joined, left, notice),
    ]
    return tiles, charts


def _joined(first: date, last: date) -> ColumnElement[bool]:
    """Admitted in ``first``..``last``: a membership that began then."""
    return and_(_period.c.admitted_on >= first, _period.c.admitted_on <= last)


def _left(first: date, last: date) -> ColumnElement[bool]:
    """Ceased in ``first``..``last``: an admitted membership whose first day as a non-member
    (``ends_on``) fell then (an application that ended before admission was declined)."""
    return and_(
        _period.c.admitted_on.is_not(None),
        _period.c.admitted_on < _period.c.ends_on,
        _period.c.ends_on >= first,
        _period.c.ends_on <= last,
    )


def _span_words(first: date, last: date) -> str:
    return f"{format_date(first)} to {format_date(last)}"


def _tiles(
    at: DashboardAsAt,
    members: dict[tuple[str, Category], int],
    notice: dict[str, int],
    share: Any,
    joined: list[int],
    left: list[int],
    last_span: tuple[date, date],
) -> list[Tile]:
    day = at.as_at
    iso = day.isoformat()
    before = year_ago(day)
    this_first = at.year.first_day
    this_words = _span_words(this_first, day)
    last_words = _span_words(*last_span)
    tiles = []
    for category, key in (
        (Category.FULL, "full_members"),
        (Category.ASSOCIATE, "associate_members"),
    ):
        words = CATEGORY_WORDS[category]
        tiles.append(
            Tile(
                key=f"{AREA}.{key}",
                area=AREA,
                label=f"{words} members",
                value=members.get(("now", category), 0),
                detail=f"a year ago {members.get(('year_ago', category), 0)} "
                f"({format_date(before)})",
                drill=Drill(
                    "members",
                    {"day": iso, "category": category.value},
                    f"{words} members on {format_date(day)}",
                ),
            )
        )
    tiles.append(
        Tile(
            key=f"{AREA}.joined_this_year",
            area=AREA,
            label=f"Joined in {at.year.label}",
            value=joined[YEARS_BACK],
            detail=f"{this_words}; last year {joined[-1]} ({last_words})",
            drill=Drill(
                "member_movement",
                {"movement": "joined", "first": this_first.isoformat(), "last": iso},
                f"Joined {this_words}",
            ),
        )
    )
    tiles.append(
        Tile(
            key=f"{AREA}.left_this_year",
            area=AREA,
            label=f"Left in {at.year.label}",
            value=left[YEARS_BACK],
            detail=f"{this_words}; last year {left[-1]} ({last_words})",
            drill=Drill(
                "member_movement",
                {"movement": "left", "first": this_first.isoformat(), "last": iso},
                f"Left {this_words}",
            ),
        )
    )
    under = notice.get("now", 0)
    tiles.append(
        Tile(
            key=f"{AREA}.under_notice",
            area=AREA,
            label="Under notice",
            value=under,
            detail=(
                f"members who have given notice to leave; a year ago {notice.get('year_ago', 0)}"
            ),
            drill=Drill(
                "members",
                {"day": iso, "status": "under_notice"},
                f"Members under notice on {format_date(day)}",
            ),
            warn=under > 0,
        )
    )
    schools, member_schools = int(share.schools), int(share.member_schools)
    pupils, member_pupils = int(share.pupils), int(share.member_pupils)
    borough = Drill(
        "members",
        {"day": iso, "scope": "borough"},
        f"Member schools among the borough's open schools on {format_date(day)}",
    )
    tiles.append(
        Tile(
            key=f"{AREA}.share_of_schools",
            area=AREA,
            label="Share of the borough's open schools",
            value=percent(member_schools, schools),
            unit=Unit.PERCENT,
            detail=f"{member_schools:,} of {schools:,} open schools are members",
            drill=borough,
        )
    )
    tiles.append(
        Tile(
            key=f"{AREA}.share_of_pupils",
            area=AREA,
            label="Share of the borough's pupils",
            value=percent(member_pupils, pupils),
            unit=Unit.PERCENT,
            detail=f"{member_pupils:,} of {pupils:,} pupils (each school's latest number on roll)",
            drill=borough,
        )
    )
    return tiles


def _phase_chart(at: DashboardAsAt, by_phase: dict[tuple[str, Category], int]) -> Chart:
    iso = at.as_at.isoformat()
    phases = sorted({phase for phase, _c in by_phase}, key=phase_order)
    series = []
    for category in (Category.FULL, Category.ASSOCIATE):
        words = CATEGORY_WORDS[category]
        series.append(
            Series(
                name=words,
                values=tuple(by_phase.get((phase, category), 0) for phase in phases),
                drills=tuple(
                    Drill(
                        "members",
                        {"day": iso, "category": category.value, "phase": phase},
                        f"{words} members: {phase}",
                    )
                    for phase in phases
                ),
            )
        )
    return Chart(
        key=f"{AREA}.by_category_and_phase",
        title="Members by category and phase",
        kind=ChartKind.STACKED,
        categories=tuple(phases),
        series=tuple(series),
        note=f"As at {format_date(at.as_at)}",
    )


def _movement_chart(
    at: DashboardAsAt,
    spans: list[tuple[str, AcademicYear, date, date]],
    joined: list[int],
    left: list[int],
    notice: dict[str, int],
) -> Chart:
    def movement(kind: str, first: date, last: date) -> Drill:
        return Drill(
            "member_movement",
            {"movement": kind, "first": first.isoformat(), "last": last.isoformat()},
            f"{kind.capitalize()} {_span_words(first, last)}",
        )

    def under_notice(key: str, last: date) -> Drill:
        return Drill(
            "members",
            {"day": last.isoformat(), "status": "under_notice"},
            f"Members under notice on {format_date(last)}",
        )

    notice_keys = [key for key, _y, _f, _l in spans[:-1]] + ["now"]
    return Chart(
        key=f"{AREA}.movement",
        title="Members joining and leaving",
        kind=ChartKind.BAR,
        categories=tuple(key for key, _y, _f, _l in spans),
        series=(
            Series(
                "Joined",
                tuple(joined[: len(spans)]),
                tuple(movement("joined", f, la) for _k, _y, f, la in spans),
            ),
            Series(
                "Left",
                tuple(left[: len(spans)]),
                tuple(movement("left", f, la) for _k, _y, f, la in spans),
            ),
            Series(
                "Under notice",
                tuple(notice.get(k, 0) for k in notice_keys),
                tuple(
                    under_notice(k, la)
                    for k, (_k, _y, _f, la) in zip(notice_keys, spans, strict=True)
                ),
            ),
        ),
        note=f"{spans[0][0]} to {at.year.label}, this year to {format_date(at.as_at)}; "
        f"under notice on 31 August of each year, this year on {format_date(at.as_at)}",
    )


# -- the lists behind the figures ------------------------------------------------------------
def _filter_day(drill: Drill, name: str) -> date:
    try:
        return date.fromisoformat(drill.filters[name])
    except (KeyError, ValueError):
        raise ValidationError({"drill": f"The list needs a {name} (a date)."}) from None


def _name() -> ColumnElement[str]:
    return case((_school.c.id.is_not(None), _school.c.name), else_=_member.c.name)


def list_members(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """Members on the drill's day, of its category, phase, under notice, or schools of the
    borough open that day: exactly those each figure counts."""
    day = _filter_day(drill, "day")
    standing = standing_on([("now", day)])
    query = (
        select(
            standing.c.member_id,
            standing.c.category,
            standing.c.admitted_on,
            standing.c.notice_received_on,
            standing.c.ends_on,
            standing.c.under_notice,
            _name().label("name"),
            _school.c.urn,
            _phase_key().label("phase"),
            _school.c.pupils_on_roll,
        )
        .join_from(standing, _member, _member.c.id == standing.c.member_id)
        .outerjoin(_school, _school.c.id == _member.c.school_id)
    )
    filters = drill.filters
    if "category" in filters:
        query = query.where(standing.c.category == Category(filters["category"]))
    if "phase" in filters:
        query = query.where(_phase_key() == filters["phase"])
    if filters.get("status") == "under_notice":
        query = query.where(standing.c.under_notice == 1)
    if filters.get("scope") == "borough":
        query = query.where(_school.c.id.is_not(None), school_open_on(day), in_borough())
    rows = []
    for r in session.execute(query):
        rows.append(
            DrillRow(
                record_id=r.member_id,
                urn=r.urn,
                cells=(
                    r.name,
                    str(r.urn) if r.urn is not None else "",
                    CATEGORY_WORDS[r.category],
                    r.phase,
                    f"{r.pupils_on_roll:,}" if r.pupils_on_roll is not None else "",
                    format_date(r.admitted_on),
                    format_date(r.notice_received_on),
                    format_date(r.ends_on),
                ),
                sort_keys=(
                    r.name.casefold(),
                    r.urn or 0,
                    r.category.value,
                    phase_order(r.phase),
                    r.pupils_on_roll or 0,
                    r.admitted_on,
                    r.notice_received_on or date.min,
                    r.ends_on or date.max,
                ),
            )
        )
    rows.sort(key=lambda row: row.sort_keys)
    return DrillList(
        title=drill.title or f"Members on {format_date(day)}",
        kind=drill.kind,
        columns=(
            "Member",
            "URN",
            "Category",
            "Phase",
            "Pupils",
            "Admitted",
            "Notice received",
            "Leaves on",
        ),
        rows=tuple(rows),
    )


def list_movement(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """The memberships that began (``joined``) or ceased (``left``) in the drill's span."""
    first, last = _filter_day(drill, "first"), _filter_day(drill, "last")
    kind = drill.filters.get("movement")
    if kind not in ("joined", "left"):
        raise ValidationError({"drill": "The list needs a movement: joined or left."})
    rule = _joined(first, last) if kind == "joined" else _left(first, last)
    query = (
        select(
            _period.c.id,
            _period.c.category,
            _period.c.admitted_on,
            _period.c.ends_on,
            _period.c.end_reason,
            _name().label("name"),
            _school.c.urn,
        )
        .join_from(_period, _member, _member.c.id == _period.c.member_id)
        .outerjoin(_school, _school.c.id == _member.c.school_id)
        .where(rule)
    )
    rows = [
        DrillRow(
            record_id=r.id,
            urn=r.urn,
            cells=(
                r.name,
                str(r.urn) if r.urn is not None else "",
                CATEGORY_WORDS[r.category],
                format_date(r.admitted_on),
                format_date(r.ends_on),
                r.end_reason,
            ),
            sort_keys=(
                r.name.casefold(),
                r.urn or 0,
                r.category.value,
                r.admitted_on,
                r.ends_on or date.max,
                r.end_reason.casefold(),
            ),
        )
        for r in session.execute(query)
    ]
    rows.sort(
        key=lambda row: (
            row.sort_keys[3] if kind == "joined" else row.sort_keys[4],
            row.sort_keys[0],
        )
    )
    return DrillList(
        title=drill.title or f"{kind.capitalize()} {_span_words(first, last)}",
        kind=drill.kind,
        columns=("Member", "URN", "Category", "Admitted", "Ceased", "Reason"),
        rows=tuple(rows),
    )


DRILLS: dict[str, DrillFunction] = {
    "members": list_members,
    "member_movement": list_movement,
}
