"""The demo's Ofsted histories and link officers' notes, on both databases (loaded once each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from demo_databases import demo_database
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.memberships import PeriodDates, member_on
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    NO_OVERALL_GRADE_FROM,
    NOT_YET_INSPECTED,
    REPORT_CARDS_FROM,
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    Outcome,
    OverallGrade,
    Safeguarding,
    grade_from_gias,
    latest_outcome,
)
from thep_desktop.models import (
    Member,
    MembershipPeriod,
    OfstedInspection,
    School,
    SchoolNote,
    SchoolStatus,
)

TODAY = date.today()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest) -> Iterator[Database]:
    with demo_database(request, request.param) as db:
        yield db


def _read(db: Database) -> tuple[list[School], dict[int, list[OfstedInspection]], set[int]]:
    with db.read_session() as s:
        schools = list(s.scalars(select(School).order_by(School.id)))
        history: dict[int, list[OfstedInspection]] = defaultdict(list)
        for row in s.scalars(select(OfstedInspection).order_by(OfstedInspection.inspected_on)):
            history[row.school_id].append(row)
        members = {
            school_id
            for school_id, *dates in s.execute(
                select(
                    Member.school_id,
                    MembershipPeriod.applied_on,
                    MembershipPeriod.admitted_on,
                    MembershipPeriod.notice_received_on,
                    MembershipPeriod.ends_on,
                ).join(MembershipPeriod, MembershipPeriod.member_id == Member.id)
            )
            if school_id is not None and member_on(PeriodDates(*dates), TODAY)
        }
        s.expunge_all()  # plain values to read after the session
    return schools, history, members


def _record(row: OfstedInspection) -> InspectionRecord:
    return InspectionRecord(
        row.inspected_on,
        row.kind,
        row.overall_grade,
        row.safeguarding,
        tuple((c, getattr(row, c)) for c, _ in EVALUATION_AREAS),
    )


def test_histories_agree_with_each_schools_gias_rating(demo: Database) -> None:
    schools, history, _members = _read(demo)
    inspected = [s for s in schools if s.ofsted_date is not None]
    assert len(inspected) >= 0.9 * (len(schools) - 4)
    for school in schools:
        rows = history.get(school.id, [])
        assert all(r.source == "demo" and r.inspected_on < TODAY for r in rows)
        assert all(r.inspected_on.weekday() in (1, 2, 3) for r in rows)
        if school.ofsted_date is None:
            assert rows == [] and school.ofsted_grade in (NOT_YET_INSPECTED, "")
            continue
        # GIAS's date is one of the inspections, and none before it is later.
        gias = [r for r in rows if r.inspected_on <= school.ofsted_date]
        assert gias[-1].inspected_on == school.ofsted_date, school.name
        # GIAS's grade is the latest overall grade up to its date.
        graded = [r for r in gias if r.overall_grade is not OverallGrade.NONE]
        assert graded[-1].overall_grade is grade_from_gias(school.ofsted_grade), school.name
        for row in rows:
            if row.kind is InspectionKind.GRADED and row.inspected_on >= NO_OVERALL_GRADE_FROM:
                assert row.overall_grade is OverallGrade.NONE
            if row.kind is InspectionKind.REPORT_CARD:
                assert row.inspected_on >= REPORT_CARDS_FROM
                assert row.safeguarding is not Safeguarding.NONE
            if school.open_date is not None:
                assert row.inspected_on > school.open_date
    # Most schools have two or three inspections over the last ten years.
    several = [s for s in inspected if 2 <= len(history[s.id]) <= 4]
    assert len(several) >= 0.6 * len(inspected)


def test_every_kind_of_outcome_is_there(demo: Database) -> None:
    schools, history, members = _read(demo)
    rows = [r for rs in history.values() for r in rs]
    kinds = {r.kind for r in rows}
    assert kinds == set(InspectionKind)
    assert any(
        r.kind is InspectionKind.GRADED and r.overall_grade is OverallGrade.NONE for r in rows
    )
    outcomes = {
        s.id: latest_outcome([_record(r) for r in history.get(s.id, [])])
        for s in schools
        if s.id in members
    }
    found = set(outcomes.values())
    for outcome in (
        Outcome.OUTSTANDING,
        Outcome.GOOD,
        Outcome.REQUIRES_IMPROVEMENT,
        Outcome.URGENT_IMPROVEMENT,
        Outcome.NEEDS_ATTENTION,
        Outcome.EXPECTED_OR_BETTER,
        Outcome.NOT_YET_INSPECTED,
    ):
        assert outcome in found, outcome
    # A few member schools not yet inspected, a few last inspected over four years ago.
    assert 2 <= sum(o is Outcome.NOT_YET_INSPECTED for o in outcomes.values()) <= 5
    four_years_ago = date(TODAY.year - 4, TODAY.month, min(TODAY.day, 28))
    old = [
        s
        for s in members
        if history.get(s) and max(r.inspected_on for r in history[s]) < four_years_ago
    ]
    assert 2 <= len(old) <= 15
    # Report cards grade each evaluation area the school has, on the five-point scale.
    cards = [r for r in rows if r.kind is InspectionKind.REPORT_CARD]
    assert all(r.leadership_governance is not AreaGrade.NONE for r in cards)


def test_schools_causing_concern_and_notes(demo: Database) -> None:
    schools, history, members = _read(demo)
    concern = [s for s in schools if s.causing_concern]
    assert 3 <= len(concern) <= 4
    assert all(s.link_officer_id is not None for s in concern)
    assert sum(s.id in members for s in concern) >= 3
    with demo.read_session() as s:
        notes = list(s.scalars(select(SchoolNote)))
        s.expunge_all()
    by_school: dict[int, list[SchoolNote]] = defaultdict(list)
    for note in notes:
        by_school[note.school_id].append(note)
        assert note.text and note.subject and note.author_id is not None
        assert TODAY - timedelta(days=550) <= note.noted_on < TODAY
        assert note.noted_on.weekday() < 5
    open_schools = [s for s in schools if s.status is SchoolStatus.OPEN]
    assert len(by_school) >= 0.6 * len(open_schools)
    # The link officers write most of them; those causing concern have more.
    links = {s.id: s.link_officer_id for s in schools}
    assert sum(n.author_id == links[n.school_id] for n in notes) >= 0.7 * len(notes)
    assert min(len(by_school[s.id]) for s in concern) >= 6
    assert max(len(v) for k, v in by_school.items() if k not in {s.id for s in concern}) <= 4
