"""The demo's Ofsted histories, schools causing concern and the link officers' notes."""

# What the demo shows, dated from the day it is loaded:
# - Each inspected school's history, consistent with its GIAS rating (``ofsted_grade`` and
#   ``ofsted_date``, the latest inspection GIAS knew of): that inspection is a graded one with
#   the GIAS grade when it was before September 2024; from then Ofsted gave no overall grade,
#   so a later GIAS date is an ungraded inspection or a graded one without an overall grade,
#   and the GIAS grade comes from a graded inspection three to five years before it. Most
#   schools have one or two inspections before that (graded, or ungraded after a good one).
# - Since GIAS stopped carrying ratings: report cards (from 10 November 2025) for most schools
#   last inspected more than four years ago and some others, with safeguarding and a grade for
#   each evaluation area the school has; the schools causing concern have one each (one with
#   an area needing urgent improvement, others needing attention) or a monitoring visit. A
#   few member schools are left last inspected more than four years ago.
# - Not yet inspected: the newest school, and the two member schools opened most recently
#   (their GIAS rating is cleared to match).
# - Dated notes by the link officers (visits, calls, concerns) for most open schools, more
#   for the schools causing concern.

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from thep_desktop.domain.ofsted import (
    NO_OVERALL_GRADE_FROM,
    NOT_YET_INSPECTED,
    REPORT_CARDS_FROM,
    AreaGrade,
    InspectionKind,
    OverallGrade,
    Safeguarding,
    grade_from_gias,
)
from thep_desktop.models import (
    Member,
    MembershipPeriod,
    OfstedInspection,
    School,
    SchoolNote,
    SchoolStatus,
    StaffMember,
)
from thep_desktop.services.demo.demo_borough import STAFF, inspection_weekday
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.shared.actor import Actor

# Inspections after GIAS stopped carrying ratings start from this day.
AFTER_GIAS_FROM = date(2025, 9, 8)
# Member schools left not yet inspected, besides any the register already has.
NEWEST_UNINSPECTED = 2
REPORT_URL = "https://reports.ofsted.gov.uk/provider/21/{urn}"

EARLIER_GRADES = {
    OverallGrade.OUTSTANDING: ([OverallGrade.OUTSTANDING, OverallGrade.GOOD], [6, 4]),
    OverallGrade.GOOD: (
        [OverallGrade.GOOD, OverallGrade.REQUIRES_IMPROVEMENT, OverallGrade.OUTSTANDING],
        [6, 3, 1],
    ),
    OverallGrade.REQUIRES_IMPROVEMENT: (
        [OverallGrade.GOOD, OverallGrade.REQUIRES_IMPROVEMENT],
        [6, 4],
    ),
    OverallGrade.INADEQUATE: ([OverallGrade.REQUIRES_IMPROVEMENT, OverallGrade.GOOD], [6, 4]),
}

NOTE_KINDS = (
    (
        "Link visit",
        "Termly link visit with {head}. Looked at {focus}; the school's own evaluation "
        "matches what we saw. Next visit booked for next half term.",
    ),
    (
        "Phone call",
        "Call with {head} about {focus}. Offered a place on the partnership's network meeting "
        "and shared the cluster's contacts.",
    ),
    (
        "Learning walk",
        "Learning walk with the senior team, focused on {focus}. Strong practice to share at "
        "the cluster meeting.",
    ),
    (
        "Governors' meeting",
        "Attended the full governing body to present the partnership's report on {focus}.",
    ),
    (
        "Ofsted preparation",
        "Helped {head} prepare for inspection: the self-evaluation summary and {focus}.",
    ),
)
CONCERN_NOTES = (
    (
        "Concern raised",
        "Concern about {focus}: outcomes have fallen two years running. Agreed with {head} "
        "to draw up a support plan and to visit every half term.",
    ),
    (
        "Support plan review",
        "Reviewed the support plan with {head} and the chair of governors. Progress on "
        "{focus} but attendance is still below the borough's average.",
    ),
    (
        "Monitoring visit",
        "Half-termly monitoring visit. Lesson visits on {focus}; the new leadership team "
        "has made a good start. Risk stays amber.",
    ),
    (
        "Call with the local authority",
        "Call with the authority's school improvement lead about {focus} and the brokered "
        "support from a National Leader of Education.",
    ),
)
FOCUSES = (
    "early reading",
    "SEND provision",
    "attendance",
    "the curriculum in the foundation subjects",
    "behaviour at lunchtime",
    "mathematics in Key Stage 2",
    "the Early Years Foundation Stage",
    "safeguarding records",
    "the Pupil Premium strategy",
    "staff workload and well-being",
)


@dataclass
class _Made:
    inspections: list[OfstedInspection]
    days: set[tuple[int, date]]


def inspections_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The demo's step: Ofsted histories and notes as on the day the demo is loaded."""
    add_inspections(session, rng, actor, progress, date.today())


def add_inspections(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress, today: date
) -> None:
    audit = {"created_by": actor.name, "updated_by": actor.name}
    schools = list(session.scalars(select(School).order_by(School.id)))
    members: set[int] = set(
        session.scalars(
            select(func.coalesce(Member.school_id, 0))
            .join(MembershipPeriod, MembershipPeriod.member_id == Member.id)
            .where(
                Member.school_id.is_not(None),
                MembershipPeriod.admitted_on <= today,
                or_(MembershipPeriod.ends_on.is_(None), MembershipPeriod.ends_on > today),
            )
        )
    )
    _clear_newest(schools, members)
    made = _Made([], set())
    # Member schools causing concern first: they have the report cards the dashboard shows.
    concern = sorted(
        (s for s in schools if s.causing_concern), key=lambda s: (s.id not in members, s.id)
    )
    for school in schools:
        _history(made, rng, school, today, audit)
    progress.report(1, 3, "Ofsted histories")
    _after_gias(made, rng, schools, concern, today, audit)
    session.add_all(made.inspections)
    session.flush()
    progress.report(2, 3, "Ofsted report cards")
    # The Executive Director writes some notes too (the newest of the name: this demo's).
    director = session.scalar(
        select(StaffMember.id)
        .where(StaffMember.full_name == STAFF[0][0])
        .order_by(StaffMember.id.desc())
        .limit(1)
    )
    session.add_all(_notes(rng, schools, director, today, audit))
    session.flush()
    progress.report(3, 3, "Link officers' notes")


def _clear_newest(schools: list[School], members: set[int]) -> None:
    """Two member schools opened most recently are not yet inspected (as GIAS would say)."""
    newest = sorted(
        (
            s
            for s in schools
            if s.id in members
            and s.open_date is not None
            and s.ofsted_date is not None
            and not s.causing_concern
        ),
        key=lambda s: (s.open_date, s.id),
        reverse=True,
    )
    for school in newest[:NEWEST_UNINSPECTED]:
        school.ofsted_grade = NOT_YET_INSPECTED
        school.ofsted_date = None


def _inspection_day(rng: random.Random, earliest: date, latest: date) -> date | None:
    """A Tuesday, Wednesday or Thursday in term time between the two, or None if none."""
    if latest < earliest:
        return None
    span = (latest - earliest).days
    for _ in range(200):
        day = earliest + timedelta(days=rng.randint(0, span))
        if inspection_weekday(day):
            return day
    return None


def _add(
    made: _Made,
    school: School,
    day: date,
    kind: InspectionKind,
    today: date,
    audit: dict[str, str],
    *,
    grade: OverallGrade = OverallGrade.NONE,
    safeguarding: Safeguarding = Safeguarding.NONE,
    areas: dict[str, AreaGrade] | None = None,
    notes: str = "",
) -> None:
    if (school.id, day) in made.days:
        return
    made.days.add((school.id, day))
    published = day + timedelta(days=24)
    made.inspections.append(
        OfstedInspection(
            school_id=school.id,
            inspected_on=day,
            published_on=published if published <= today else None,
            kind=kind,
            overall_grade=grade,
            safeguarding=safeguarding,
            **(areas or {}),
            source="demo",
            report_url=REPORT_URL.format(urn=school.urn),
            notes=notes,
            **audit,
        )
    )


def _history(
    made: _Made, rng: random.Random, school: School, today: date, audit: dict[str, str]
) -> None:
    """The inspections up to the school's GIAS date, ending with the one GIAS carried."""
    latest = school.ofsted_date
    grade = grade_from_gias(school.ofsted_grade)
    if latest is None or grade is None:
        return
    earliest = (school.open_date or date(1990, 1, 1)) + timedelta(days=700)
    graded_on = latest
    if latest >= NO_OVERALL_GRADE_FROM:
        before = _inspection_day(
            rng, max(earliest, latest - timedelta(days=5 * 365)), latest - timedelta(days=3 * 365)
        )
        if before is not None:
            kind = rng.choices([InspectionKind.UNGRADED, InspectionKind.GRADED], [3, 2])[0]
            _add(made, school, latest, kind, today, audit)
            graded_on = before
    _add(made, school, graded_on, InspectionKind.GRADED, today, audit, grade=grade)
    # One or two before it, for most schools.
    if rng.random() < 0.8:
        first = _inspection_day(
            rng,
            max(earliest, graded_on - timedelta(days=6 * 365)),
            graded_on - timedelta(days=4 * 365),
        )
        if first is not None:
            grades, weights = EARLIER_GRADES[grade]
            earlier = rng.choices(grades, weights)[0]
            _add(made, school, first, InspectionKind.GRADED, today, audit, grade=earlier)
            if earlier in (OverallGrade.GOOD, OverallGrade.OUTSTANDING) and rng.random() < 0.4:
                middle = _inspection_day(
                    rng, first + timedelta(days=500), graded_on - timedelta(days=400)
                )
                if middle is not None:
                    _add(
                        made,
                        school,
                        middle,
                        InspectionKind.UNGRADED,
                        today,
                        audit,
                        notes="The school remains as it was judged at its last graded inspection.",
                    )


def _areas(school: School) -> list[str]:
    areas = [
        "inclusion",
        "curriculum_teaching",
        "achievement",
        "attendance_behaviour",
        "personal_development",
        "leadership_governance",
    ]
    if (school.statutory_low_age or 5) < 5:
        areas.append("early_years")
    if (school.statutory_high_age or 0) >= 18:
        areas.append("sixth_form")
    return areas


def _report_card(
    made: _Made,
    rng: random.Random,
    school: School,
    day: date,
    today: date,
    audit: dict[str, str],
    weakest: AreaGrade | None = None,
) -> None:
    areas = _areas(school)
    grades = {
        area: rng.choices([AreaGrade.EXPECTED, AreaGrade.STRONG, AreaGrade.EXCEPTIONAL], [6, 3, 1])[
            0
        ]
        for area in areas
    }
    if weakest is not None:
        grades[rng.choice(["achievement", "leadership_governance", "attendance_behaviour"])] = (
            weakest
        )
    _add(
        made,
        school,
        day,
        InspectionKind.REPORT_CARD,
        today,
        audit,
        safeguarding=Safeguarding.MET,
        areas=grades,
    )


def _after_gias(
    made: _Made,
    rng: random.Random,
    schools: list[School],
    concern: list[School],
    today: date,
    audit: dict[str, str],
) -> None:
    """Inspections since GIAS stopped carrying ratings: report cards, a monitoring visit."""
    end = today - timedelta(days=14)
    cards_from = max(REPORT_CARDS_FROM, AFTER_GIAS_FROM)
    four_years_ago = today - timedelta(days=4 * 365 + 1)
    # The schools causing concern: an urgent improvement, areas needing attention, a visit.
    for index, school in enumerate(concern):
        day = _inspection_day(rng, cards_from, end)
        if day is None:
            continue
        if index == 2:
            _add(
                made,
                school,
                day,
                InspectionKind.MONITORING,
                today,
                audit,
                notes="Monitoring visit: leaders are taking effective action.",
            )
        else:
            weakest = AreaGrade.URGENT_IMPROVEMENT if index == 0 else AreaGrade.NEEDS_ATTENTION
            _report_card(made, rng, school, day, today, audit, weakest)
    done = {s.id for s in concern}
    for school in schools:
        if school.id in done or school.status is not SchoolStatus.OPEN:
            continue
        if school.ofsted_date is None:
            continue
        chance = 0.8 if school.ofsted_date < four_years_ago else 0.15
        if rng.random() >= chance:
            continue
        day = _inspection_day(rng, cards_from, end)
        if day is None:
            continue
        weak = AreaGrade.NEEDS_ATTENTION if rng.random() < 0.06 else None
        _report_card(made, rng, school, day, today, audit, weak)


def _notes(
    rng: random.Random,
    schools: list[School],
    director: int | None,
    today: date,
    audit: dict[str, str],
) -> list[SchoolNote]:
    notes: list[SchoolNote] = []
    for school in schools:
        if school.status is not SchoolStatus.OPEN or school.link_officer_id is None:
            continue
        kinds: tuple[tuple[str, str], ...]
        if school.causing_concern:
            count, kinds = rng.randint(6, 9), NOTE_KINDS + CONCERN_NOTES * 2
        elif rng.random() < 0.75:
            count, kinds = rng.randint(1, 4), NOTE_KINDS
        else:
            continue
        head = " ".join(p for p in (school.head_title, school.head_last_name) if p)
        for _ in range(count):
            subject, text = rng.choice(kinds)
            day = today - timedelta(days=rng.randint(1, 540))
            while day.weekday() > 4:
                day -= timedelta(days=1)
            author = school.link_officer_id
            if director is not None and rng.random() >= 0.85:
                author = director
            notes.append(
                SchoolNote(
                    school_id=school.id,
                    noted_on=day,
                    author_id=author,
                    author_name="",
                    subject=subject,
                    text=text.format(head=head or "the headteacher", focus=rng.choice(FOCUSES)),
                    **audit,
                )
            )
    return notes
