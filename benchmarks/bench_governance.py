"""Governance at scale: opening a meeting, the action tracker and the compliance panel on a
short history and on a long one.

Two SQLite databases are built (rows written directly, in one transaction each): a small one
(the usual three bodies, two years of meetings) and a large one (twelve bodies, twenty years,
six meetings a year each: 1,440 meetings with ten agenda items, twelve people attending,
three decisions and three actions each). On each, the services open the latest board meeting
(``meetings.get_meeting``: agenda, attendance with the quorum at every item, decisions,
actions, matters arising), list the open actions, and work out the compliance panel. The
small database's times are the baseline of the large one's, and the SQL statements each
call sends are counted: they must not grow with the history.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event, func, insert, select

from benchmarks.harness import Figure, baseline

SMALL = (3, 2)  # bodies, years
FULL_LARGE, QUICK_LARGE = (12, 20), (12, 5)
MEETINGS_A_YEAR, ITEMS, PEOPLE, DECISIONS, ACTIONS = 6, 10, 12, 3, 3
FULL_REPEATS, QUICK_REPEATS = 7, 3
TARGETS = {"get_meeting": 0.25, "list_actions": 0.5, "compliance": 0.5}
TODAY = date(2026, 12, 1)


def build(path: Path, bodies: int, years: int) -> None:
    """A governance history of ``bodies`` bodies over ``years`` years, up to TODAY."""
    from thep_desktop.database import Database
    from thep_desktop.domain.governance import (
        ActionStatus,
        Attendance,
        BodyKind,
        Capacity,
        DecisionKind,
        DecisionResult,
        Frequency,
        HowAppointed,
        MeetingKind,
        MinutesStatus,
        SchoolRole,
        Voters,
    )
    from thep_desktop.models import (
        AgendaItem,
        Appointment,
        Decision,
        GovernanceAction,
        GovernancePerson,
        GoverningBody,
        Meeting,
        MeetingAttendance,
    )

    db = Database(path)
    db.upgrade(create=True)
    stamp = {
        "created_by": "bench",
        "updated_by": "bench",
        "created_at": datetime.now(UTC),
        "updated_at": datetime.now(UTC),
        "version": 1,
    }
    kinds = [BodyKind.BOARD, BodyKind.ADVISORY_COUNCIL] + [BodyKind.COMMITTEE] * (bodies - 2)
    first_year = TODAY.year - years
    with db.session() as session:
        for number, kind in enumerate(kinds, start=1):
            session.execute(
                insert(GoverningBody).values(
                    id=number,
                    name=f"Body {number}",
                    code=f"C{number}",
                    kind=kind,
                    voters=Voters.APPOINTED,
                    quorum_number=4,
                    quorum_minimum=0,
                    observers_count=False,
                    notice_clear_days=7,
                    frequency=Frequency.TERM
                    if kind == BodyKind.ADVISORY_COUNCIL
                    else Frequency.YEAR,
                    min_meetings=1 if kind == BodyKind.ADVISORY_COUNCIL else 4,
                    active=True,
                    notes="",
                    **stamp,
                )
            )
        people = bodies * PEOPLE
        session.execute(
            insert(GovernancePerson),
            [
                dict(
                    id=n,
                    title="",
                    full_name=f"Person {n}",
                    email="",
                    phone="",
                    service_address="",
                    school_role=SchoolRole.NONE,
                    former_names="",
                    occupation="",
                    nationality="",
                    country_of_residence="",
                    notes="",
                    **stamp,
                )
                for n in range(1, people + 1)
            ],
        )
        session.execute(
            insert(Appointment),
            [
                dict(
                    person_id=(body - 1) * PEOPLE + seat,
                    body_id=body,
                    capacity=Capacity.DIRECTOR,
                    how_appointed=HowAppointed.ELECTED_AT_AGM,
                    starts_on=date(first_year, 1, 1),
                    term_ends_on=TODAY + timedelta(days=30 * seat),
                    notes="",
                    **stamp,
                )
                for body in range(1, bodies + 1)
                for seat in range(1, PEOPLE + 1)
            ],
        )
        meetings, items, attendance, decisions, actions = [], [], [], [], []
        meeting_id = item_id = 0
        for body in range(1, bodies + 1):
            for year in range(first_year, TODAY.year + 1):
                for step in range(MEETINGS_A_YEAR):
                    day = date(year, 1 + 2 * step, 10 + body)
                    if day > TODAY:
                        continue
                    meeting_id += 1
                    meetings.append(
                        dict(
                            id=meeting_id,
                            body_id=body,
                            kind=MeetingKind.ORDINARY,
                            title=f"Body {body}",
                            meets_on=day,
                            venue="The office",
                            online_link="",
                            notice_sent_on=day - timedelta(days=10),
                            cancelled=False,
                            minutes_status=MinutesStatus.DRAFT,
                            signed_by="",
                            notes="",
                            **stamp,
                        )
                    )
                    first_item = item_id + 1
                    for position in range(1, ITEMS + 1):
                        item_id += 1
                        items.append(
                            dict(
                                id=item_id,
                                meeting_id=meeting_id,
                                position=position,
                                title=f"Item {position}",
                                presenter="",
                                minutes="Discussed and agreed. " * 20,
                                **stamp,
                            )
                        )
                    for seat in range(1, PEOPLE + 1):
                        attendance.append(
                            dict(
                                meeting_id=meeting_id,
                                person_id=(body - 1) * PEOPLE + seat,
                                name="",
                                role="",
                                by_proxy=False,
                                proxy_name="",
                                status=Attendance.PRESENT if seat <= 9 else Attendance.APOLOGIES,
                                **stamp,
                            )
                        )
                    for number in range(1, DECISIONS + 1):
                        decisions.append(
                            dict(
                                meeting_id=meeting_id,
                                agenda_item_id=first_item + 3 + number,
                                number=number,
                                text="To approve the paper.",
                                kind=DecisionKind.ORDINARY,
                                result=DecisionResult.CARRIED,
                                votes_for=8,
                                votes_against=1,
                                votes_abstaining=0,
                                **stamp,
                            )
                        )
                    for number in range(ACTIONS):
                        done = day < TODAY - timedelta(days=120) or number == 0
                        actions.append(
                            dict(
                                body_id=body,
                                meeting_id=meeting_id,
                                text="Report back.",
                                owner_person_id=(body - 1) * PEOPLE + 1 + number,
                                owner_name="",
                                due_on=day + timedelta(days=40),
                                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                                progress="",
                                closed_on=day + timedelta(days=30) if done else None,
                                **stamp,
                            )
                        )
        for model, rows in (
            (Meeting, meetings),
            (AgendaItem, items),
            (MeetingAttendance, attendance),
            (Decision, decisions),
            (GovernanceAction, actions),
        ):
            session.execute(insert(model), rows)
    db.engine.dispose()


def measure(path: Path, repeats: int) -> dict[str, tuple[list[float], int, int]]:
    """Each call's times, and the statements it sends (and the meetings held)."""
    from thep_desktop.database import Database
    from thep_desktop.domain.roles import Role
    from thep_desktop.models import Meeting
    from thep_desktop.services.governance.governance_data import ActionFilter
    from thep_desktop.services.registry import Services
    from thep_desktop.services.shared.actor import Actor

    db = Database(path)
    services = Services(db, Actor("bench", Role.ADMIN))
    actor = services.actor
    latest = services.meetings.list_meetings(actor, body_id=1)[0].id
    calls = {
        "get_meeting": lambda: services.meetings.get_meeting(actor, latest),
        "list_actions": lambda: services.governance_actions.list_actions(
            actor, ActionFilter(open_only=True)
        ),
        "compliance": lambda: services.governance_compliance.compliance(actor, TODAY),
    }
    out = {}
    with db.read_session() as session:
        meetings = session.scalar(select(func.count(Meeting.id))) or 0
    for name, call in calls.items():
        call()  # warm-up
        statements: list[str] = []

        def count(_c, _cur, statement, _p, _ctx, _many, sent=statements) -> None:  # type: ignore[no-untyped-def]
            sent.append(statement)

        event.listen(Engine, "before_cursor_execute", count)
        try:
            call()
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        out[name] = (times, len(statements), meetings)
    db.engine.dispose()
    return out


def run(quick: bool) -> list[Figure]:
    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    large = QUICK_LARGE if quick else FULL_LARGE
    with tempfile.TemporaryDirectory(prefix="thep-bench-governance-") as tmp:
        results = {}
        for size in (SMALL, large):
            path = Path(tmp) / f"governance-{size[0]}-{size[1]}.sqlite3"
            build(path, *size)
            results[size] = measure(path, repeats)
    figures: list[Figure] = []
    for name, target in TARGETS.items():
        small_times, small_count, small_meetings = results[SMALL][name]
        large_times, large_count, large_meetings = results[large][name]
        group = (
            f"governance: {name}, {small_meetings:,} then {large_meetings:,} meetings "
            f"({large[0]} bodies, {large[1]} years), {repeats} runs"
        )
        bare = baseline(group, f"{name}: {small_meetings:,} meetings", small_times, "s")
        figures += [
            Figure(
                group,
                f"{name}: {large_meetings:,} meetings",
                large_times,
                "s",
                baseline=bare,
                baseline_name="short history",
                target=f"< {target:g} s",
                met=sorted(large_times)[len(large_times) // 2] < target,
            ),
            bare,
            Figure(
                group,
                f"SQL statements ({small_count} with {small_meetings:,} meetings)",
                [large_count],
                "",
                target=f"same as with {small_meetings:,}",
                met=large_count == small_count,
            ),
        ]
    return figures
