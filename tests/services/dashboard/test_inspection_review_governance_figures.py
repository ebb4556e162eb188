"""The dashboard's inspection, peer-review and governance figures against counts made here.

Each figure is counted again in Python over the rows read plainly (or by the existing
governance compliance service), on the demo loaded once per database; each chart's series
holds those figures, and each list behind a figure has exactly the records it counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from demo_databases import demo_database
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.governance import ActionStatus
from thep_desktop.domain.memberships import PeriodDates, member_on
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    Outcome,
    OverallGrade,
    Safeguarding,
    latest_outcome,
)
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.models import (
    GovernanceAction,
    Member,
    MembershipPeriod,
    OfstedInspection,
    Review,
    ReviewCycle,
    School,
    StaffMember,
)
from thep_desktop.reports.shared.chart_data import Drill
from thep_desktop.services.dashboard import (
    governance_figures,
    inspection_figures,
    review_figures,
)
from thep_desktop.services.dashboard.dashboard_data import Dashboard
from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DashboardService
from thep_desktop.services.governance.governance_compliance_service import (
    GovernanceComplianceService,
)
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ValidationError

TODAY = date.today()
ACTOR = Actor("jo.bloggs", Role.ADMIN)
MODULES = (inspection_figures, review_figures, governance_figures)
AREAS = ("inspection", "peer_review", "governance")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest) -> Iterator[Database]:
    with demo_database(request, request.param) as db:
        yield db


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# -- reading the rows plainly ---------------------------------------------------------------------
def read_members(session: Session, day: date) -> set[int]:
    rows = session.execute(
        select(
            Member.school_id,
            MembershipPeriod.applied_on,
            MembershipPeriod.admitted_on,
            MembershipPeriod.notice_received_on,
            MembershipPeriod.ends_on,
        ).join(MembershipPeriod, MembershipPeriod.member_id == Member.id)
    )
    return {
        school_id
        for school_id, *dates in rows
        if school_id is not None and member_on(PeriodDates(*dates), day)
    }


def read_histories(session: Session, day: date) -> dict[int, list[InspectionRecord]]:
    histories: dict[int, list[InspectionRecord]] = defaultdict(list)
    for row in session.scalars(select(OfstedInspection)):
        if row.inspected_on <= day:
            histories[row.school_id].append(
                InspectionRecord(
                    row.inspected_on,
                    row.kind,
                    row.overall_grade,
                    row.safeguarding,
                    tuple((c, getattr(row, c)) for c, _ in EVALUATION_AREAS),
                )
            )
    return histories


def inspection_counts(db: Database, day: date, years: int = 4) -> dict[str, Any]:
    with db.read_session() as s:
        members = read_members(s, day)
        histories = read_histories(s, day)
        schools = {
            school.id: (school.causing_concern, school.link_officer_id)
            for school in s.scalars(select(School))
        }
        officers = dict(s.execute(select(StaffMember.id, StaffMember.full_name)).all())
    outcomes = {sid: latest_outcome(histories.get(sid, [])) for sid in members}
    cutoff = years_before(day, years)
    old = {
        sid
        for sid in members
        if histories.get(sid) and max(i.inspected_on for i in histories[sid]) < cutoff
    }
    concern = {sid for sid in members if schools[sid][0]}
    return {
        "outcomes": outcomes,
        "by_outcome": Counter(outcomes.values()),
        "old": old,
        "concern": concern,
        "concern_officers": sorted(officers[schools[sid][1]] for sid in concern),
    }


def behind(service: DashboardService, drill: Drill | None, day: date) -> Any:
    assert drill is not None
    return service.records_behind(ACTOR, drill, day)


def ids_behind(service: DashboardService, drill: Drill | None, day: date) -> set[int]:
    rows = behind(service, drill, day).rows
    ids = {row.record_id for row in rows}
    assert len(ids) == len(rows)
    return ids


# -- inspection -----------------------------------------------------------------------------------
def test_inspection_figures_equal_counts_made_here(demo: Database) -> None:
    service = DashboardService(demo)
    board = service.dashboard(ACTOR, TODAY)
    expected = inspection_counts(demo, TODAY)

    chart = board.chart("inspection.by_outcome")
    assert chart.categories == tuple(o.words for o in Outcome)
    (series,) = chart.series
    assert series.name == "Member schools"
    assert series.values == tuple(expected["by_outcome"][o] for o in Outcome)
    assert sum(series.values) == len(expected["outcomes"]) > 60
    for outcome, value, drill in zip(Outcome, series.values, series.drills, strict=True):
        wanted = {sid for sid, o in expected["outcomes"].items() if o is outcome}
        assert ids_behind(service, drill, TODAY) == wanted and len(wanted) == value
    # The demo gives every tile something real, and most of the chart's bars.
    assert sum(1 for v in series.values if v) >= 8

    not_yet = board.tile("inspection.not_yet_inspected")
    assert not_yet.value == expected["by_outcome"][Outcome.NOT_YET_INSPECTED] >= 2
    old = board.tile("inspection.older_than_years")
    assert old.value == len(expected["old"]) > 0 and "4 years" in old.label
    assert ids_behind(service, old.drill, TODAY) == expected["old"]
    concern = board.tile("inspection.causing_concern")
    assert concern.value == len(expected["concern"]) >= 3
    listed = behind(service, concern.drill, TODAY)
    assert {r.record_id for r in listed.rows} == expected["concern"]
    officer = listed.columns.index("Link officer")
    assert sorted(r.cells[officer] for r in listed.rows) == expected["concern_officers"]
    assert all(r.urn is not None and str(r.urn) in r.cells for r in listed.rows)


def test_the_chosen_number_of_years_moves_old_inspections(demo: Database) -> None:
    service = DashboardService(demo)
    counts = []
    for years in (2, 3, 6):
        board = service.dashboard(ACTOR, TODAY, inspection_years=years)
        tile = board.tile("inspection.older_than_years")
        expected = inspection_counts(demo, TODAY, years)["old"]
        assert tile.value == len(expected) and f"{years} years" in tile.label
        assert board.inspection_years == years
        assert ids_behind(service, tile.drill, TODAY) == expected
        counts.append(tile.value)
    assert counts[0] > counts[1] > 0 and counts[1] >= counts[2]


def test_the_outcome_sql_agrees_with_latest_outcome_for_every_school(demo: Database) -> None:
    """The SQL CASE and ``latest_outcome`` over every school, on several days."""
    for day in (TODAY, date(2025, 12, 31), date(2024, 8, 31), date(2019, 1, 1)):
        with demo.read_session() as s:
            histories = read_histories(s, day)
            ids = list(s.scalars(select(School.id)))
            latest = inspection_figures.latest_outcomes(day)
            in_sql = {sid: Outcome(o) for sid, o in s.execute(select(latest.c[0], latest.c[1]))}
        for sid in ids:
            expected = latest_outcome(histories.get(sid, []))
            assert in_sql.get(sid, Outcome.NOT_YET_INSPECTED) is expected, (day, sid)


def _inspection(school_id: int, on: date, kind: InspectionKind, **values: Any) -> OfstedInspection:
    return OfstedInspection(
        school_id=school_id,
        inspected_on=on,
        kind=kind,
        source="office",
        created_by="test",
        updated_by="test",
        **values,
    )


def _school(session: Session, urn: int, name: str, *, concern: bool = False) -> School:
    school = School(
        urn=urn, name=name, causing_concern=concern, created_by="test", updated_by="test"
    )
    session.add(school)
    session.flush()
    member = Member(kind="school", school_id=school.id, created_by="test", updated_by="test")
    session.add(member)
    session.flush()
    session.add(
        MembershipPeriod(
            member_id=member.id,
            category="full",
            applied_on=date(2016, 6, 1),
            admitted_on=date(2016, 9, 1),
            created_by="test",
            updated_by="test",
        )
    )
    return school


def test_every_kind_of_history_gives_the_outcome_latest_outcome_gives(db: Database) -> None:
    """Histories made for the purpose: each outcome, and the cases between them."""
    day = date(2026, 3, 31)
    graded, ungraded = InspectionKind.GRADED, InspectionKind.UNGRADED
    card, monitoring = InspectionKind.REPORT_CARD, InspectionKind.MONITORING
    expected_areas = {c: AreaGrade.EXPECTED for c, _ in EVALUATION_AREAS[:6]}
    histories: dict[str, list[tuple[date, InspectionKind, dict[str, Any]]]] = {
        "St Mary & St John <b>CE</b> Primary": [],  # no inspection at all
        "Only a monitoring visit": [(date(2025, 3, 4), monitoring, {})],
        "Good then ungraded": [
            (date(2019, 5, 1), graded, {"overall_grade": OverallGrade.GOOD}),
            (date(2024, 1, 10), ungraded, {}),
        ],
        "Graded without a grade": [
            (date(2018, 5, 1), graded, {"overall_grade": OverallGrade.INADEQUATE}),
            (date(2024, 10, 1), graded, {}),
        ],
        "Outstanding": [(date(2021, 5, 1), graded, {"overall_grade": OverallGrade.OUTSTANDING})],
        "Requires improvement": [
            (date(2021, 5, 1), graded, {"overall_grade": OverallGrade.REQUIRES_IMPROVEMENT})
        ],
        "Safeguarding not met": [
            (date(2026, 1, 14), card, {"safeguarding": Safeguarding.NOT_MET, **expected_areas})
        ],
        "Urgent improvement": [
            (
                date(2026, 1, 14),
                card,
                {
                    "safeguarding": Safeguarding.MET,
                    **expected_areas,
                    "early_years": AreaGrade.URGENT_IMPROVEMENT,
                    "inclusion": AreaGrade.NEEDS_ATTENTION,
                },
            )
        ],
        "Needs attention": [
            (
                date(2026, 2, 4),
                card,
                {
                    "safeguarding": Safeguarding.MET,
                    **expected_areas,
                    "sixth_form": AreaGrade.NEEDS_ATTENTION,
                },
            )
        ],
        "Card with no areas": [(date(2026, 2, 4), card, {"safeguarding": Safeguarding.MET})],
        "Strong card, inspected again after the day": [
            (
                date(2026, 2, 4),
                card,
                {"safeguarding": Safeguarding.MET, "achievement": AreaGrade.STRONG},
            ),
            (date(2026, 6, 4), card, {"safeguarding": Safeguarding.NOT_MET}),
        ],
    }
    with db.session() as s:
        ids = {}
        for n, (name, rows) in enumerate(histories.items()):
            school = _school(s, 200001 + n, name, concern=n == 0)
            ids[name] = school.id
            s.add_all(_inspection(school.id, on, kind, **values) for on, kind, values in rows)
    service = DashboardService(db)
    board = service.dashboard(ACTOR, day)
    with db.read_session() as s:
        plain = read_histories(s, day)
    expected = {name: latest_outcome(plain.get(ids[name], [])) for name in histories}
    assert expected["St Mary & St John <b>CE</b> Primary"] is Outcome.NOT_YET_INSPECTED
    assert expected["Only a monitoring visit"] is Outcome.NOT_YET_INSPECTED
    assert expected["Good then ungraded"] is Outcome.GOOD
    assert expected["Graded without a grade"] is Outcome.NO_OVERALL_GRADE
    assert expected["Urgent improvement"] is Outcome.URGENT_IMPROVEMENT
    assert expected["Card with no areas"] is Outcome.EXPECTED_OR_BETTER
    assert expected["Strong card, inspected again after the day"] is Outcome.EXPECTED_OR_BETTER
    (series,) = board.chart("inspection.by_outcome").series
    counts = Counter(expected.values())
    assert series.values == tuple(counts[o] for o in Outcome)
    for outcome, drill in zip(Outcome, series.drills, strict=True):
        listed = behind(service, drill, day)
        assert {r.record_id for r in listed.rows} == {
            ids[name] for name, o in expected.items() if o is outcome
        }
    # A school with no inspection is "not yet inspected", its name listed as written.
    assert board.tile("inspection.not_yet_inspected").value == 2
    listed = behind(service, board.tile("inspection.not_yet_inspected").drill, day)
    assert ("St Mary & St John <b>CE</b> Primary", "Not yet inspected") in {
        (r.cells[0], r.cells[4]) for r in listed.rows
    }
    # Old: latest inspection of any kind more than four years before the day.
    old = board.tile("inspection.older_than_years")
    assert old.value == 2  # Outstanding and Requires improvement, inspected in 05/2021
    assert ids_behind(service, old.drill, day) == {
        ids["Outstanding"],
        ids["Requires improvement"],
    }
    later = service.dashboard(ACTOR, day, inspection_years=5).tile("inspection.older_than_years")
    assert later.value == 0  # the ungraded inspection of 2024 is the "Good" school's latest
    causing = behind(service, board.tile("inspection.causing_concern").drill, day)
    assert [r.cells[3] for r in causing.rows] == ["No link officer"]


# -- peer review ----------------------------------------------------------------------------------
def review_counts(db: Database, day: date) -> dict[str, Any]:
    year = AcademicYear.of(day)
    with db.read_session() as s:
        members = read_members(s, day)
        rows = s.execute(
            select(
                Review.id,
                Review.host_school_id,
                Review.status,
                Review.completed_on,
                ReviewCycle.academic_year,
            ).join(ReviewCycle, ReviewCycle.id == Review.cycle_id)
        ).all()
    this_cycle = [r for r in rows if r.academic_year == year.start_year]
    last_cycle = {r.host_school_id for r in rows if r.academic_year == year.start_year - 1}
    since = years_before(day, 2)
    reviewed = {
        r.host_school_id
        for r in rows
        if r.status.order >= ReviewStatus.COMPLETED.order
        and r.completed_on is not None
        and since <= r.completed_on <= day
    }
    return {
        "by_status": {
            status: {r.id for r in this_cycle if r.status is status} for status in ReviewStatus
        },
        "this_cycle": {r.id for r in this_cycle},
        "unreviewed": members - reviewed,
        "waiting_newcomers": {
            r.host_school_id
            for r in this_cycle
            if r.host_school_id in members
            and r.host_school_id not in last_cycle
            and r.status.order < ReviewStatus.COMPLETED.order
        },
    }


@pytest.mark.parametrize(
    "day",
    [
        TODAY,
        # A year on, with the data as it stands: last year's visits are then two years old
        # and this year's proposed ones were never completed.
        date(TODAY.year + 1, 12, 1),
    ],
)
def test_review_figures_equal_counts_made_here(demo: Database, day: date) -> None:
    service = DashboardService(demo)
    board = service.dashboard(ACTOR, day)
    expected = review_counts(demo, day)
    tile = board.tile("peer_review.this_cycle")
    assert tile.value == len(expected["this_cycle"])
    assert ids_behind(service, tile.drill, day) == expected["this_cycle"]
    chart = board.chart("peer_review.coverage")
    assert chart.categories == (
        "Proposed",
        "Confirmed",
        "Completed",
        "Report received",
        "Quality-assured",
    )
    (series,) = chart.series
    assert series.values == tuple(len(expected["by_status"][s]) for s in ReviewStatus)
    assert sum(series.values) == tile.value
    for status, drill in zip(ReviewStatus, series.drills, strict=True):
        assert ids_behind(service, drill, day) == expected["by_status"][status]
    unreviewed = board.tile("peer_review.not_reviewed_two_years")
    assert unreviewed.value == len(expected["unreviewed"])
    listed = behind(service, unreviewed.drill, day)
    assert {r.record_id for r in listed.rows} == expected["unreviewed"]
    assert all(r.urn is not None for r in listed.rows)
    if day == TODAY:
        assert tile.value > 0  # (which steps are reached depends on the day the demo is loaded)
        # The demo's nursery schools hosted no review last year: those whose visit this
        # year is still ahead are not reviewed for two years.
        assert expected["waiting_newcomers"] <= expected["unreviewed"]
        assert unreviewed.value > 0 or not expected["waiting_newcomers"]
    else:
        assert unreviewed.value > 0


# -- governance -----------------------------------------------------------------------------------
def action_buckets(db: Database, day: date) -> dict[str, set[int]]:
    first = AcademicYear.of(day).first_day
    out: dict[str, set[int]] = defaultdict(set)
    with db.read_session() as s:
        for a in s.scalars(select(GovernanceAction)):
            if a.closed_on is None:
                if a.due_on is not None and a.due_on < day:
                    out["overdue"].add(a.id)
                elif a.status is ActionStatus.IN_PROGRESS:
                    out["in_progress"].add(a.id)
                else:
                    out["open"].add(a.id)
            elif first <= a.closed_on <= day and a.status is ActionStatus.DONE:
                out["done"].add(a.id)
            elif first <= a.closed_on <= day and a.status is ActionStatus.DROPPED:
                out["dropped"].add(a.id)
    return out


@pytest.mark.parametrize("day", [TODAY, TODAY - timedelta(days=120)])
def test_governance_figures_equal_the_compliance_panel(demo: Database, day: date) -> None:
    service = DashboardService(demo)
    board = service.dashboard(ACTOR, day)
    report = GovernanceComplianceService(demo).compliance(ACTOR, day)

    overdue = board.tile("governance.overdue_actions")
    assert overdue.value == len(report.overdue_actions)
    assert ids_behind(service, overdue.drill, day) == {a.id for a in report.overdue_actions}
    bodies = board.tile("governance.bodies_behind")
    assert bodies.value == len(report.behind)
    listed = behind(service, bodies.drill, day)
    assert [(r.record_id, r.cells[2], r.cells[3], r.cells[4]) for r in listed.rows] == [
        (g.body_id, g.period_label, str(g.held), str(g.planned))
        for g in sorted(report.behind, key=lambda g: g.body_name)
    ]
    ending = board.tile("governance.terms_ending")
    assert ending.value == len(report.terms_ending)
    assert ids_behind(service, ending.drill, day) == {t.id for t in report.terms_ending}
    if day == TODAY:
        assert overdue.value > 0 and bodies.value > 0 and ending.value > 0

    buckets = action_buckets(demo, day)
    chart = board.chart("governance.actions_by_status")
    assert chart.categories == (
        "Open",
        "In progress",
        "Overdue",
        "Done this year",
        "Dropped this year",
    )
    (series,) = chart.series
    keys = ("open", "in_progress", "overdue", "done", "dropped")
    assert series.values == tuple(len(buckets[k]) for k in keys)
    assert series.values[2] == overdue.value
    for key, drill in zip(keys, series.drills, strict=True):
        assert ids_behind(service, drill, day) == buckets[key]


# -- all three areas ------------------------------------------------------------------------------
def _my_part(board: Dashboard) -> tuple[list[Any], list[Any]]:
    tiles = [t for t in board.tiles if t.area in AREAS]
    charts = [c for c in board.charts if c.key.split(".")[0] in AREAS]
    return tiles, charts


def test_every_figure_has_a_list_of_as_many_rows(demo: Database) -> None:
    service = DashboardService(demo)
    board = service.dashboard(ACTOR, TODAY)
    tiles, charts = _my_part(board)
    assert [t.key for t in tiles] == [
        "inspection.not_yet_inspected",
        "inspection.older_than_years",
        "inspection.causing_concern",
        "peer_review.this_cycle",
        "peer_review.not_reviewed_two_years",
        "governance.overdue_actions",
        "governance.bodies_behind",
        "governance.terms_ending",
    ]
    assert [c.key for c in charts] == [
        "inspection.by_outcome",
        "peer_review.coverage",
        "governance.actions_by_status",
    ]
    for tile in tiles:
        listed = behind(service, tile.drill, TODAY)
        assert len(listed.rows) == tile.value, tile.key
        assert all(len(r.cells) == len(listed.columns) for r in listed.rows)
    for chart in charts:
        for series in chart.series:
            assert len(series.drills) == len(series.values)
            for value, drill in zip(series.values, series.drills, strict=True):
                listed = behind(service, drill, TODAY)
                assert len(listed.rows) == value, (chart.key, drill)
                for row in listed.rows:  # dates as dd/mm/yyyy
                    for cell in row.cells:
                        assert not (len(cell) == 10 and cell[4] == "-" and cell[7] == "-")
    figures = board.figures()
    assert (
        figures["inspection"]["causing_concern"] == board.tile("inspection.causing_concern").value
    )
    assert (
        figures["peer_review"]["coverage"]["reviews"]["quality_assured"]
        == (board.chart("peer_review.coverage").series[0].values[4])
    )
    assert figures["governance"]["actions_by_status"]["actions"]["overdue"] == (
        board.tile("governance.overdue_actions").value
    )


def _statements(db: Database, at: DashboardAsAt) -> list[int]:
    counts = []
    with db.read_session() as session:
        connection = session.connection()
        for module in MODULES:
            seen = [0]

            def count(*_args: Any, seen: list[int] = seen, **_kw: Any) -> None:
                seen[0] += 1

            event.listen(connection, "before_cursor_execute", count)
            module.figures(session, at)
            event.remove(connection, "before_cursor_execute", count)
            counts.append(seen[0])
    return counts


def test_the_same_statements_on_the_demo_and_on_an_empty_database(
    demo: Database, db: Database
) -> None:
    at = DashboardAsAt.of(TODAY)
    assert _statements(demo, at) == _statements(db, at) == [3, 2, 4]


def test_an_empty_database_gives_zeros_and_empty_lists(db: Database) -> None:
    service = DashboardService(db)
    board = service.dashboard(ACTOR, TODAY)
    tiles, charts = _my_part(board)
    assert len(tiles) == 8 and len(charts) == 3
    assert all(t.value == 0 for t in tiles)
    assert all(c.is_empty for c in charts)
    for tile in tiles:
        assert behind(service, tile.drill, TODAY).rows == ()


@pytest.mark.parametrize(
    ("drill", "field"),
    [
        (Drill("schools_by_outcome", {"outcome": "splendid"}), "outcome"),
        (Drill("old_inspections", {"years": "four"}), "years"),
        (Drill("reviews", {"status": "lost"}), "drill"),
        (Drill("actions", {"status": "forgotten"}), "status"),
    ],
)
def test_a_list_asked_for_wrongly_is_refused_in_words(
    drill: Drill, field: str, db: Database
) -> None:
    with pytest.raises(ValidationError) as caught:
        DashboardService(db).records_behind(ACTOR, drill, TODAY)
    assert field in caught.value.field_errors
