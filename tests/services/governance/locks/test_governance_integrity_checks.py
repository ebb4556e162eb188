"""The governance checks of thep-admin check: a clean Board passes; each fault planted by SQL
(on draft rows, or with the approved minutes' lock or a constraint lifted first) is named."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from approved_minutes import ACTION, CHAIR, REFUSAL, Board, sign_and_approve_at_a_third
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from thep_desktop.cli.admin import main as admin_main
from thep_desktop.database import Database
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.registry import Services

MINUTES = "Minutes approved by a decision at a later meeting"
NUMBERS = "Decisions numbered without gaps"
ATTENDANCE = "Attendance: arrivals and departures at real agenda items"
ACTIONS = "Actions closed after they were raised"
APPOINTMENTS = "Appointments to a body do not overlap"
OURS = (MINUTES, NUMBERS, ATTENDANCE, ACTIONS, APPOINTMENTS)

JULY = "Board of Directors, 09/07/2025"
OCTOBER = "Board of Directors, 08/10/2025"
JANUARY = "Board of Directors, 14/01/2026"


def problems(services: Services) -> dict[str, list[str]]:
    return {r.name: r.problems for r in run_checks(services.db, services.actor)}


def _sql(db: Database, statement: str, **values: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement), values)


def _one(db: Database, statement: str, **values: object) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(statement), values).scalar_one()


def _line(db: Database, meeting_id: int, name: str) -> int:
    """The attendance line of ``name`` at a meeting."""
    return _one(
        db,
        "SELECT a.id FROM meeting_attendance a JOIN governance_person p ON p.id = a.person_id "
        "WHERE a.meeting_id = :m AND p.full_name = :n",
        m=meeting_id,
        n=name,
    )


def _migration_0013():  # type: ignore[no-untyped-def]
    from thep_desktop.migrations import versions

    path = next(iter(versions.__path__)) + "/0013_governance.py"
    spec = importlib.util.spec_from_file_location("migration_0013_governance", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def lock_lifted(db: Database) -> Iterator[None]:
    """Without migration 0013's triggers for a while, as a database changed around the
    program might be; put back after (the PostgreSQL test database serves the next test)."""
    migration = _migration_0013()
    tables = ("meeting", "governance_action", *migration.CHILDREN)
    with db.engine.begin() as conn:
        for table in tables:
            if db.is_sqlite:
                conn.execute(text(f"DROP TRIGGER {table}_minutes_unchanged"))
                conn.execute(text(f"DROP TRIGGER {table}_minutes_kept"))
            else:
                conn.execute(text(f"DROP TRIGGER {table}_minutes_unchanged ON {table}"))
    try:
        yield
    finally:
        made = migration._sqlite_triggers() if db.is_sqlite else migration._postgresql_triggers()
        with db.engine.begin() as conn:
            for statement in made:
                conn.exec_driver_sql(statement)


@pytest.fixture
def january(services: Services, board: Board) -> int:
    """October's minutes approved at January's meeting, July's signed: a clean record."""
    return sign_and_approve_at_a_third(services, board)


def test_a_clean_board_finds_nothing(services: Services, board: Board, january: int):
    # A late arrival at a real item, an action closed at a later meeting, a director
    # reappointed the day their first term ceased: all as they should be.
    _sql(
        services.db,
        "UPDATE meeting_attendance SET arrived_at_item = 2, left_at_item = 3 WHERE id = :id",
        id=_line(services.db, january, CHAIR),
    )
    _sql(
        services.db,
        "UPDATE governance_action SET status = 'done', closed_on = :on, "
        "closed_at_meeting_id = :at WHERE meeting_id = :m",
        on=date(2026, 1, 14),
        at=january,
        m=board.approved.meeting,
    )
    _sql(services.db, "UPDATE appointment SET ends_on = :on WHERE id = 1", on=date(2025, 9, 1))
    _sql(
        services.db,
        "INSERT INTO appointment (uuid, person_id, body_id, capacity, how_appointed, starts_on, "
        "notes, created_at, created_by, updated_at, updated_by, version) SELECT "
        "'6b1f8d4e-2c3a-4e5f-9a7b-0c1d2e3f4a5b', person_id, body_id, capacity, how_appointed, "
        ":on, '', created_at, created_by, updated_at, updated_by, 1 FROM appointment WHERE id = 1",
        on=date(2025, 9, 1),
    )
    found = problems(services)
    assert {name: found[name] for name in OURS} == dict.fromkeys(OURS, [])
    assert [name for name, listed in found.items() if listed] == []


# -- approved minutes -----------------------------------------------------------------------
def test_approved_minutes_without_their_approving_decision_are_named(
    services: Services, board: Board
):
    _sql(
        services.db, "DELETE FROM decision WHERE approves_meeting_id = :m", m=board.approved.meeting
    )
    assert problems(services)[MINUTES] == [
        f"{JULY}: its minutes are approved but no decision approved them"
    ]


def test_minutes_approved_at_a_meeting_that_is_not_later_are_named(
    services: Services, board: Board
):
    _sql(
        services.db,
        "UPDATE meeting SET meets_on = :on WHERE id = :m",
        on=date(2025, 7, 1),
        m=board.later.meeting,
    )
    assert problems(services)[MINUTES] == [
        f"{JULY}: its minutes were approved by decision 2 at Board of Directors, 01/07/2025, "
        "which is not a later meeting"
    ]


def test_a_decision_approving_draft_minutes_is_named(services: Services, board: Board):
    """January's decision says October's minutes were approved; October's are still a draft."""
    sign_and_approve_at_a_third(services, board)
    with lock_lifted(services.db):
        _sql(
            services.db,
            "UPDATE meeting SET minutes_status = 'draft', approved_on = NULL, "
            "approved_at_meeting_id = NULL WHERE id = :m",
            m=board.later.meeting,
        )
    assert (
        _one(
            services.db,
            "SELECT number FROM decision WHERE approves_meeting_id = :m",
            m=board.later.meeting,
        )
        == 2
    )
    assert problems(services)[MINUTES] == [
        f"{OCTOBER}: decision 2 at {JANUARY} approved its minutes, but they are still draft"
    ]


def test_minutes_naming_another_meeting_than_the_one_that_approved_them_are_named(
    services: Services, board: Board, january: int
):
    with lock_lifted(services.db):
        _sql(
            services.db,
            "UPDATE meeting SET approved_at_meeting_id = :other WHERE id = :m",
            other=january,
            m=board.approved.meeting,
        )
    assert problems(services)[MINUTES] == [
        f"{JULY}: its minutes name {JANUARY} as approving them, but the approving decision was "
        f"taken at {OCTOBER}"
    ]


def test_minutes_approved_at_a_meeting_of_another_body_are_named(services: Services, board: Board):
    council = _one(services.db, "SELECT id FROM governing_body WHERE code = 'AC'")
    _sql(
        services.db,
        "UPDATE meeting SET body_id = :b WHERE id = :m",
        b=council,
        m=board.later.meeting,
    )
    other = "Board of Directors, 08/10/2025 (Advisory Council)"
    assert problems(services)[MINUTES] == [
        f"{JULY}: its minutes were approved by decision 2 at {other}, a meeting of another body"
    ]


# -- decision numbers -----------------------------------------------------------------------
def test_decisions_numbered_with_a_gap_are_named(services: Services, board: Board, january: int):
    _sql(
        services.db,
        "UPDATE decision SET number = 4 WHERE meeting_id = :m AND number = 2",
        m=january,
    )
    with lock_lifted(services.db):  # October's minutes were approved in January
        _sql(
            services.db,
            "DELETE FROM decision WHERE meeting_id = :m AND number = 1",
            m=board.later.meeting,
        )
    assert problems(services)[NUMBERS] == [
        f"{OCTOBER}: its decisions are numbered 2; number 1 is missing",
        f"{JANUARY}: its decisions are numbered 1, 4; numbers 2, 3 are missing",
    ]


def test_a_decision_at_another_meetings_item_is_named(services: Services, board: Board):
    _sql(
        services.db,
        "UPDATE decision SET agenda_item_id = :item WHERE meeting_id = :m AND number = 1",
        item=board.approved.agenda_item,
        m=board.later.meeting,
    )
    assert problems(services)[NUMBERS] == [
        f"{OCTOBER}: decision 1 is recorded at an agenda item of {JULY}"
    ]


# -- attendance -----------------------------------------------------------------------------
@contextmanager
def constraint_lifted(
    db: Database, table: str, name: str, check: str, plant: str, undo: str, **values: object
) -> Iterator[None]:
    """A row that a CHECK constraint refuses, planted for the length of the check: on
    SQLite with the constraints ignored on one connection, on PostgreSQL with the constraint
    dropped, the row put right after and the constraint made again."""
    if db.is_sqlite:
        # The pragma holds for one connection: the plant is made on it, and stays.
        with db.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
            conn.execute(text(plant), values)
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
        yield
        return
    _sql(db, f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    try:
        _sql(db, plant, **values)
        yield
    finally:
        _sql(db, undo, **values)
        _sql(db, f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")


def _left_before_arriving(db: Database, line: int):  # type: ignore[no-untyped-def]
    return constraint_lifted(
        db,
        "meeting_attendance",
        "ck_meeting_attendance_leaves_after_arriving",
        "arrived_at_item IS NULL OR left_at_item IS NULL OR left_at_item > arrived_at_item",
        "UPDATE meeting_attendance SET arrived_at_item = 3, left_at_item = 2 WHERE id = :id",
        "UPDATE meeting_attendance SET left_at_item = NULL WHERE id = :id",
        id=line,
    )


def test_arrivals_after_leaving_or_at_items_not_on_the_agenda_are_named(
    services: Services, board: Board
):
    db, october = services.db, board.later.meeting
    _sql(
        db,
        "UPDATE meeting_attendance SET arrived_at_item = 9 WHERE id = :id",
        id=_line(db, october, "Aziz Ahmed"),
    )
    _sql(
        db,
        "UPDATE meeting_attendance SET status = 'apologies', left_at_item = 2 WHERE id = :id",
        id=_line(db, october, "Kevan Collins"),
    )
    with _left_before_arriving(db, _line(db, october, CHAIR)):
        found = problems(services)[ATTENDANCE]
    assert found == [
        f"{OCTOBER}: Christine Gilbert (present) arrived at item 3 and left at item 2: they cannot "
        "leave before the item they arrived at",
        f"{OCTOBER}: Aziz Ahmed (present) arrived at item 9: there is no agenda item 9",
        f"{OCTOBER}: Kevan Collins (apologies) left at item 2: only someone who was there can "
        "arrive late or leave early",
    ]


# -- actions --------------------------------------------------------------------------------
def test_actions_closed_before_they_were_raised_or_elsewhere_are_named(
    services: Services, board: Board, january: int
):
    db = services.db
    council = _one(db, "SELECT id FROM governing_body WHERE code = 'AC'")
    july_action = _one(
        db, "SELECT id FROM governance_action WHERE meeting_id = :m", m=board.approved.meeting
    )
    october_action = _one(
        db, "SELECT id FROM governance_action WHERE meeting_id = :m", m=board.later.meeting
    )
    _sql(
        db,
        "UPDATE governance_action SET status = 'done', closed_on = :on WHERE id = :id",
        on=date(2025, 6, 30),
        id=july_action,
    )
    with lock_lifted(db):  # the October minutes are approved: their action keeps its item
        _sql(
            db,
            "UPDATE governance_action SET status = 'dropped', closed_on = :on, "
            "closed_at_meeting_id = :at, agenda_item_id = :item WHERE id = :id",
            on=date(2025, 10, 8),
            at=board.approved.meeting,
            item=board.approved.agenda_item,
            id=october_action,
        )
    january_action = _one(db, "SELECT id FROM governance_action WHERE meeting_id = :m", m=january)
    _sql(
        db, "UPDATE governance_action SET body_id = :b WHERE id = :id", b=council, id=january_action
    )
    what = f"the action “{ACTION}”"
    assert problems(services)[ACTIONS] == [
        f"{JULY}: {what} was closed on 30/06/2025, before the meeting that raised it",
        f"{OCTOBER}: {what} is at an agenda item of {JULY}",
        f"{OCTOBER}: {what} was closed at {JULY}, before it was raised",
        f"{JANUARY}: {what} belongs to Advisory Council, not to the body that met",
    ]


def test_actions_closed_without_a_date_or_open_but_closed_somewhere_are_named(
    services: Services, board: Board
):
    db = services.db
    july = _one(
        db, "SELECT id FROM governance_action WHERE meeting_id = :m", m=board.approved.meeting
    )
    october = _one(
        db, "SELECT id FROM governance_action WHERE meeting_id = :m", m=board.later.meeting
    )
    _sql(
        db,
        "UPDATE governance_action SET status = 'in_progress', closed_at_meeting_id = :at "
        "WHERE id = :id",
        at=board.later.meeting,
        id=july,
    )
    with constraint_lifted(
        db,
        "governance_action",
        "ck_governance_action_closed_actions_are_dated",
        "(status IN ('open', 'in_progress')) = (closed_on IS NULL)",
        "UPDATE governance_action SET status = 'done' WHERE id = :id",
        "UPDATE governance_action SET status = 'open' WHERE id = :id",
        id=october,
    ):
        found = problems(services)[ACTIONS]
    what = f"the action “{ACTION}”"
    assert found == [
        f"{JULY}: {what} is in progress but names {OCTOBER} as where it was closed",
        f"{OCTOBER}: {what} is done but has no date it closed",
    ]


# -- appointments ---------------------------------------------------------------------------
def test_a_director_appointed_twice_over_the_same_dates_is_named(services: Services, board: Board):
    db = services.db
    _sql(
        db,
        "INSERT INTO appointment (uuid, person_id, body_id, capacity, how_appointed, starts_on, "
        "ends_on, notes, created_at, created_by, updated_at, updated_by, version) SELECT "
        "'7c2a9e5f-3d4b-4f60-8b8c-1d2e3f4a5b6c', person_id, body_id, 'director', 'co_opted', "
        ":starts, :ends, '', created_at, created_by, updated_at, updated_by, 1 "
        "FROM appointment WHERE person_id = :p",
        starts=date(2025, 1, 1),
        ends=date(2026, 1, 1),
        p=board.chair_id,
    )
    assert problems(services)[APPOINTMENTS] == [
        "Christine Gilbert holds two appointments to the Board of Directors over the same dates: "
        "from 01/09/2024 (still in office) and from 01/01/2025, ceased 01/01/2026"
    ]


def test_the_lock_lifted_for_a_test_is_put_back(services: Services, board: Board):
    with lock_lifted(services.db):
        _sql(services.db, "UPDATE meeting SET notes = 'x' WHERE id = :m", m=board.approved.meeting)
    with pytest.raises(IntegrityError, match=REFUSAL):
        _sql(services.db, "UPDATE meeting SET notes = 'y' WHERE id = :m", m=board.approved.meeting)
    with pytest.raises(IntegrityError, match=REFUSAL):
        _sql(services.db, "DELETE FROM agenda_item WHERE id = :i", i=board.approved.agenda_item)


def test_a_register_without_governance_records_finds_nothing(services: Services):
    """No bodies, people or meetings yet: nothing to find, and nothing fails to run."""
    found = problems(services)
    assert {name: found[name] for name in OURS} == dict.fromkeys(OURS, [])


def test_thep_admin_check_prints_the_problems_in_words(capsys, services: Services, board: Board):
    """As the administrator sees them: each check OK or PROBLEMS, then what was found; and in
    --json, with a non-zero exit either way."""
    _sql(
        services.db,
        "DELETE FROM decision WHERE approves_meeting_id = :m",
        m=board.approved.meeting,
    )
    services.db.dispose()
    code = admin_main(["--db", services.db.address, "check"])
    out, _err = capsys.readouterr()
    assert code == 1
    assert (
        f"{MINUTES}: PROBLEMS\n  - {JULY}: its minutes are approved but no decision approved "
        "them\n" in out
    )
    assert f"{NUMBERS}: OK" in out and f"{APPOINTMENTS}: OK" in out
    code = admin_main(["--db", services.db.address, "check", "--json"])
    data = json.loads(capsys.readouterr()[0])
    assert code == 1 and data["passed"] is False
    found = {c["name"]: c["problems"] for c in data["checks"]}
    assert found[MINUTES] == [f"{JULY}: its minutes are approved but no decision approved them"]
    assert found[ATTENDANCE] == found[ACTIONS] == []
