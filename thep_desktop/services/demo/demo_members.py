"""The demo's members: most schools full members since 2016, a few associates, and their fees."""

# What the demo shows: founding members admitted on 01/09/2016 and others admitted at board
# meetings since (some inside the 2016 window when members could leave at once), schools
# that never joined, three associates (an organisation, a governors' network and a retired
# head teacher), one member under notice, members that left (two closed schools, one on
# notice), one that left in the 2016 window and re-joined, one admitted and one gone on notice
# in this academic year (when it is three weeks old), an application waiting, the fee
# schedules of 2016/17 (the prospectus's free months), last year and this year. Fees are
# billed and paid through invoices (the demo's invoicing step). Dates are drawn relative to
# today, so the demo stays current.

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear, add_months
from thep_desktop.domain.census import spring_census
from thep_desktop.domain.memberships import Category, ExceptionWindow, MemberKind, NoticeRule
from thep_desktop.models import (
    FeePeriodRow,
    FeeSchedule,
    Member,
    MembershipPeriod,
    MembershipRules,
    NoticeException,
    School,
    SchoolCensus,
    SchoolStatus,
)
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.schools.school_census import FROM_DEMO
from thep_desktop.services.shared.actor import Actor

RATE_PER_PUPIL = Decimal("5.00")
ASSOCIATE_FEE = Decimal("250.00")
GUARANTEE = Decimal("25.00")
# The prospectus: members could withdraw at any time until 31 December 2016, and no fees were
# charged until 1 April 2017.
FOUNDED = date(2016, 9, 1)
LEAVE_AT_ONCE = ExceptionWindow(
    date(2016, 6, 1),
    date(2016, 12, 31),
    "Founding period: a member could withdraw at any time until 31 December 2016",
)
FREE_MONTHS = (date(2016, 9, 1), date(2017, 3, 31), "the founding months")
FOUNDING_DECISION = "Founding members' meeting, 01/09/2016"
# 2016/17's fees were charged on the January 2017 census.
FOUNDING_CENSUS = spring_census(2017)

# (kind, name, contact, address, postcode, email, phone, admitted, notes)
ASSOCIATES = (
    (
        MemberKind.ORGANISATION,
        "Tower Hamlets Governors' Network",
        "Jonathan Bennett (Chair)",
        "The Old Vestry\n14 Ropemaker Place\nLondon",
        "E3 5QD",
        "chair@governors-network.example",
        "020 7946 0950",
        date(2018, 3, 6),
        "Supports governor training with the partnership.",
    ),
    (
        MemberKind.INDIVIDUAL,
        "Mrs Patricia Hale",
        "",
        "22 Linnet Road\nLondon",
        "E2 9LD",
        "patricia.hale@mail.example",
        "07700 900950",
        date(2019, 10, 8),
        "Retired head teacher; mentors new heads in the borough.",
    ),
    (
        MemberKind.ORGANISATION,
        "Limehouse Reading Volunteers",
        "Grace Osei (Coordinator)",
        "Unit 3, Keelson Road\nLondon",
        "E14 7RT",
        "hello@limehouse-reading.example",
        "020 7946 0951",
        date(2022, 1, 18),
        "A charity whose volunteers hear children read in the primary schools.",
    ),
)


@dataclass
class _Plan:
    """One member's periods, as (category, applied, admitted, notice, ends, reason, decision)."""

    member: Member
    periods: list[tuple[Category, date, date | None, date | None, date | None, str, str]]


def members_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The rules, the fee schedules and the members."""
    today = date.today()
    rule = NoticeRule(12, (LEAVE_AT_ONCE,))
    audit = {"created_by": actor.name, "updated_by": actor.name}
    session.add(MembershipRules(notice_months=12, default_guarantee=GUARANTEE, **audit))
    session.add(
        NoticeException(
            starts_on=LEAVE_AT_ONCE.starts_on,
            ends_on=LEAVE_AT_ONCE.ends_on,
            description=LEAVE_AT_ONCE.description,
            **audit,
        )
    )
    this_year = AcademicYear.of(today)
    last_year = this_year.previous()
    _schedules(session, audit, this_year, last_year)
    progress.report(1, 3, "Fee schedules")

    schools = list(session.scalars(select(School).order_by(School.id)))
    plans = _school_plans(rng, schools, rule, today, audit)
    plans += [
        _Plan(
            Member(
                kind=kind,
                name=name,
                contact_name=contact,
                address=address,
                postcode=postcode,
                email=email,
                phone=phone,
                notes=notes,
                **audit,
            ),
            [(Category.ASSOCIATE, admitted - timedelta(days=21), admitted, None, None, "", "")],
        )
        for kind, name, contact, address, postcode, email, phone, admitted, notes in ASSOCIATES
    ]
    session.add_all(plan.member for plan in plans)
    session.flush()
    progress.report(2, 3, "Members")
    for plan in plans:
        for category, applied, admitted, notice, ends, reason, decision in plan.periods:
            session.add(
                MembershipPeriod(
                    member_id=plan.member.id,
                    category=category,
                    applied_on=applied,
                    admitted_on=admitted,
                    admission_decision=decision,
                    supports_aims=True,
                    agrees_to_pay_fee=True,
                    guarantee=GUARANTEE,
                    notice_received_on=notice,
                    ends_on=ends,
                    end_reason=reason,
                    **audit,
                )
            )
    session.add_all(_founding_census(rng, plans, {s.id: s for s in schools}, audit))
    session.flush()
    progress.report(3, 3, "Membership periods")


def _schedules(
    session: Session, audit: dict[str, str], this_year: AcademicYear, last_year: AcademicYear
) -> None:
    """2016/17 with its free months, last year's (its January census) and this year's."""
    first = FeeSchedule(
        academic_year=2016,
        rate_per_pupil=RATE_PER_PUPIL,
        associate_fee=ASSOCIATE_FEE,
        census_date=FOUNDING_CENSUS,
        notes="The prospectus: no fees for 01/09/2016 to 31/03/2017, 5/12 of the annual fee "
        "for 01/04/2017 to 31/08/2017.",
        **audit,
    )
    starts, ends, why = FREE_MONTHS
    first.periods = [
        FeePeriodRow(starts_on=starts, ends_on=ends, charged=False, description=why, **audit)
    ]
    session.add(first)
    for year, census in (
        # Last year's fees use the census in January of that year; this year's the January
        # census before it began (this year's has not happened yet when it starts).
        (last_year, spring_census(last_year.start_year + 1)),
        (this_year, spring_census(this_year.start_year)),
    ):
        if year.start_year == 2016:
            continue
        schedule = FeeSchedule(
            academic_year=year.start_year,
            rate_per_pupil=RATE_PER_PUPIL,
            associate_fee=ASSOCIATE_FEE,
            census_date=census,
            notes="",
            **audit,
        )
        schedule.periods = []
        session.add(schedule)


def _school_plans(
    rng: random.Random,
    schools: list[School],
    rule: NoticeRule,
    today: date,
    audit: dict[str, str],
) -> list[_Plan]:
    """Which schools are members, and the story of each one's membership."""
    open_schools = [s for s in schools if s.status is SchoolStatus.OPEN]
    never_joined = set(rng.sample([s.id for s in open_schools], max(1, len(open_schools) // 8)))
    joined = [s for s in open_schools if s.id not in never_joined]
    rng.shuffle(joined)
    # The schools with a story are maintained schools, open since before the partnership.
    storied = [s for s in joined if s.open_date is None]
    under_notice, left_on_notice, rejoined = storied[:3]
    this_year = _this_years_movements(today)
    joins_now, leaves_now = (storied[3:5] + [None, None])[:2] if this_year else (None, None)
    plans = []
    for school in joined:
        member = Member(kind=MemberKind.SCHOOL, school_id=school.id, **audit)
        applied, admitted, decision = _joining(rng, school, today)
        period = [Category.FULL, applied, admitted, None, None, "", decision]
        if this_year and school is joins_now:
            # Admitted at this autumn's board, after a term of peer reviews as a guest.
            admitted = this_year[0]
            period[1:3] = [admitted - timedelta(days=35), admitted]
            period[6] = f"Board, {admitted:%d/%m/%Y}"
        elif this_year and school is leaves_now:
            # A founding member whose year's notice, given last year, ran out this year.
            period[1:3] = [date(2016, 6, 22), FOUNDED]
            period[6] = FOUNDING_DECISION
            notice = add_months(this_year[1], -rule.months)
            period[3:6] = [notice, rule.leaving_date(notice), _why(rule, notice)]
        elif school is under_notice:
            notice = max(today - timedelta(days=rng.randint(60, 150)), admitted)
            period[3:6] = [notice, rule.leaving_date(notice), _why(rule, notice)]
        elif school is left_on_notice:
            period[1:3] = [date(2017, 1, 9), date(2017, 1, 24)]
            period[6] = "Board, 24/01/2017"
            notice = date(2021, 3, 31)
            period[3:6] = [notice, rule.leaving_date(notice), _why(rule, notice)]
        elif school is rejoined:
            # A founding member that left in the 2016 window (at once) and came back in 2019.
            period[1:3] = [date(2016, 6, 20), FOUNDED]
            period[6] = FOUNDING_DECISION
            notice = date(2016, 11, 15)
            period[3:6] = [notice, rule.leaving_date(notice), _why(rule, notice)]
            again = (Category.FULL, date(2019, 5, 13), date(2019, 9, 3), None, None, "", "")
            plans.append(_Plan(member, [tuple(period), again]))  # type: ignore[list-item]
            continue
        plans.append(_Plan(member, [tuple(period)]))  # type: ignore[list-item]
    for school in schools:
        if (
            school.status is SchoolStatus.CLOSED
            and school.close_date
            and school.close_date > FOUNDED
        ):
            # A closed school was a member until it closed.
            member = Member(kind=MemberKind.SCHOOL, school_id=school.id, **audit)
            applied, admitted, decision = _joining(rng, school, school.close_date)
            reason = f"The school closed on {school.close_date:%d/%m/%Y}."
            ends = school.close_date + timedelta(days=1)
            plans.append(
                _Plan(member, [(Category.FULL, applied, admitted, None, ends, reason, decision)])
            )
        elif school.status is SchoolStatus.PROPOSED:
            # The new free school has applied; the board has not met since.
            member = Member(kind=MemberKind.SCHOOL, school_id=school.id, **audit)
            applied = today - timedelta(days=rng.randint(10, 30))
            plans.append(_Plan(member, [(Category.FULL, applied, None, None, None, "", "")]))
    return plans


def _this_years_movements(today: date) -> tuple[date, date] | None:
    """The day a school joined, and the first day another was no longer a member, in this
    academic year before ``today`` (weekdays); none in the year's first three weeks."""
    first = AcademicYear.of(today).first_day
    span = (today - first).days
    if span < 21:
        return None
    joined = _weekday(first + timedelta(days=span * 2 // 3))
    left = _weekday(first + timedelta(days=span // 3))
    return (joined, left) if joined < today and left < today else None


def _weekday(day: date) -> date:
    """``day``, or the Monday after it when it falls at a weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _founding_census(
    rng: random.Random, plans: list[_Plan], schools: dict[int, School], audit: dict[str, str]
) -> list[SchoolCensus]:
    """January 2017's figures for the schools that were members in 2016/17 (for its quote)."""
    figures = []
    for plan in plans:
        school = schools.get(plan.member.school_id or 0)
        admitted = plan.periods[0][2]
        if school is None or school.pupils_on_roll is None or admitted is None:
            continue
        if admitted > AcademicYear(2016).last_day:
            continue
        pupils = round(school.pupils_on_roll * rng.uniform(0.88, 1.06))
        figures.append(
            SchoolCensus(
                school_id=school.id,
                census_date=FOUNDING_CENSUS,
                pupils=pupils,
                source=FROM_DEMO,
                **audit,
            )
        )
    return figures


def _joining(rng: random.Random, school: School, before: date) -> tuple[date, date, str]:
    """When a school applied and was admitted: most at the founding, the others at a board."""
    opened = school.open_date or date(2000, 1, 1)
    if opened <= FOUNDED and rng.random() < 0.55:
        return date(2016, 6, rng.randint(1, 30)), FOUNDED, FOUNDING_DECISION
    for _ in range(20):
        # Boards meet about twice a term; admissions fall through the year.
        year = rng.randint(2016, max(2016, min(before.year, 2025)))
        month = rng.choice([1, 3, 5, 7, 10, 12] if year > 2016 else [10, 11, 12])
        admitted = _weekday(date(year, month, rng.randint(2, 20)))  # boards meet on weekdays
        if max(opened, FOUNDED) <= admitted < before:
            applied = max(admitted - timedelta(days=rng.randint(14, 70)), opened)
            return applied, admitted, f"Board, {admitted:%d/%m/%Y}"
    return date(2016, 6, 15), max(FOUNDED, opened), FOUNDING_DECISION


def _why(rule: NoticeRule, notice: date) -> str:
    return f"Notice to leave: {rule.describe(notice)}."
