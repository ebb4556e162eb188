"""Backups and restores of a database holding approved and signed minutes: the triggers that
lock approved minutes must not stop a restore from replacing them, on SQLite or on a server
(pg_dump or our own export), and the restored minutes are locked as before."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from approved_minutes import REFUSAL, Board, build_board, sign_and_approve_at_a_third
from server_backups import hide_pg_dump, sums
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from thep_desktop.database import Database
from thep_desktop.models import Base
from thep_desktop.services.backups.backup_service import BackupService
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.backups.database_copy import copy_database
from thep_desktop.services.backups.row_transfer import named_rows_first
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor

MOMENT = datetime(2026, 11, 30, 14, 15)
GOVERNANCE = (
    "meeting",
    "agenda_item",
    "agenda_paper",
    "meeting_attendance",
    "interest_declaration",
    "decision",
    "governance_action",
    "minutes_erratum",
)
# The database and how it is backed up: a local file's copy; a server's pg_dump or export.
WAYS = [
    pytest.param("sqlite_db", "sqlite", id="sqlite"),
    pytest.param("pg_db", "pg_dump", id="postgresql-pg_dump"),
    pytest.param("pg_db", "export", id="postgresql-export"),
]


def _service(db: Database, when: datetime = MOMENT) -> BackupService:
    return BackupService(db, now=lambda: when)


def _open(request: pytest.FixtureRequest, monkeypatch, fixture: str, kind: str) -> Database:
    if kind == "export":
        hide_pg_dump(monkeypatch)
    return request.getfixturevalue(fixture)


def _signed_and_approved(db: Database, actor: Actor) -> tuple[Board, int]:
    """July's minutes approved in October and signed; October's approved in January, whose
    minutes are a draft (its id is returned with the Board's)."""
    services = Services(db, actor)
    board = build_board(services)
    return board, sign_and_approve_at_a_third(services, board)


def _statuses(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT meets_on, minutes_status, approved_on, approved_at_meeting_id, "
                "signed_by FROM meeting ORDER BY id"
            )
        )
        return [(str(r[0]), r[1], str(r[2]), r[3], r[4]) for r in rows]


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in GOVERNANCE}


def _still_locked(db: Database, board: Board) -> None:
    for statement in (
        "UPDATE agenda_item SET minutes = 'Rewritten' WHERE id = :id",
        "DELETE FROM agenda_item WHERE id = :id",
    ):
        with pytest.raises(IntegrityError, match=REFUSAL), db.engine.begin() as conn:
            conn.execute(text(statement), {"id": board.approved.agenda_item})
    with pytest.raises(IntegrityError, match=REFUSAL), db.engine.begin() as conn:
        conn.execute(
            text("UPDATE meeting SET title = 'x' WHERE id = :id"), {"id": board.later.meeting}
        )


@pytest.mark.parametrize(("fixture", "kind"), WAYS)
def test_a_backup_with_approved_and_signed_minutes_restores_over_them(
    request, monkeypatch, actor, tmp_path: Path, fixture: str, kind: str
):
    db = _open(request, monkeypatch, fixture, kind)
    board, january = _signed_and_approved(db, actor)
    statuses = _statuses(db)
    assert [s[1] for s in statuses] == ["signed", "approved", "draft"]
    taken = _service(db).back_up(actor, tmp_path)
    assert taken.kind == kind
    assert taken.row_counts["meeting"] == 3 and taken.row_counts["minutes_erratum"] == 1
    as_backed_up = sums(db, audit=False)
    # After the backup: January's draft minutes written, a second erratum on July's.
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE agenda_item SET minutes = 'Later words' WHERE meeting_id = :m"),
            {"m": january},
        )
        conn.execute(
            text(
                "INSERT INTO minutes_erratum (uuid, meeting_id, noted_on, correction, reason, "
                "created_at, created_by, updated_at, updated_by, version) VALUES "
                "(:u, :m, :on, 'A later correction', '', :at, 'clerk', :at, 'clerk', 1)"
            ),
            {
                "u": "0f0e0d0c-0b0a-4909-8807-060504030201",
                "m": board.approved.meeting,
                "on": date(2026, 2, 1),
                "at": datetime(2026, 2, 1, 9, 0).astimezone(),
            },
        )
    assert sums(db, audit=False) != as_backed_up

    _before, note = _service(db, MOMENT + timedelta(minutes=1)).restore(actor, taken.path, tmp_path)

    assert note == ""
    assert sums(db, audit=False) == as_backed_up
    assert _statuses(db) == statuses
    assert _counts(db)["minutes_erratum"] == 1
    _still_locked(db, board)
    assert [r.name for r in run_checks(db, actor) if not r.ok] == []


@pytest.mark.parametrize(("fixture", "kind"), WAYS)
def test_restoring_a_backup_from_before_the_minutes_removes_them_though_locked(
    request, monkeypatch, actor, tmp_path: Path, fixture: str, kind: str
):
    """Approved minutes refuse every DELETE; a restore of an earlier register replaces them
    all the same (it is the register as it was, not a change to the minutes)."""
    db = _open(request, monkeypatch, fixture, kind)
    taken = _service(db).back_up(actor, tmp_path)
    empty = sums(db, audit=False)
    _signed_and_approved(db, actor)
    assert _counts(db)["meeting"] == 3

    _service(db, MOMENT + timedelta(minutes=1)).restore(actor, taken.path, tmp_path)

    assert _counts(db) == dict.fromkeys(GOVERNANCE, 0)
    assert sums(db, audit=False) == empty
    # And what is recorded afresh after the restore is locked again once approved.
    board, _january = _signed_and_approved(db, actor)
    _still_locked(db, board)


# -- copying between a local file and the server ----------------------------------------------
def test_approved_minutes_copy_to_the_server_and_back_into_a_new_file(
    sqlite_db: Database, new_pg_database, actor, tmp_path: Path
):
    """The office moving to the server (and back): every row arrives as it was, the minutes
    approved at a later meeting included, and is locked there too."""
    board, _january = _signed_and_approved(sqlite_db, actor)
    expected = sums(sqlite_db)
    sqlite_db.dispose()
    server_url = new_pg_database.create()
    result = copy_database(f"sqlite:///{sqlite_db.sqlite_path}", server_url)
    assert all(t.ok for t in result.tables)
    server = Database(server_url)
    back = tmp_path / "back.sqlite3"
    try:
        assert sums(server) == expected
        _still_locked(server, board)
        copy_database(server_url, f"sqlite:///{back}")
    finally:
        server.dispose()
    returned = Database(back)
    try:
        assert sums(returned) == expected
        _still_locked(returned, board)
    finally:
        returned.dispose()


def test_rows_naming_rows_of_their_own_table_go_in_after_them():
    """A chain of meetings, each approving the one before, arriving newest first."""
    meeting = Base.metadata.tables["meeting"]
    rows = [{"id": n, "approved_at_meeting_id": n + 1 if n < 6 else None} for n in range(1, 7)]
    ordered = list(named_rows_first(meeting, rows))
    assert [r["id"] for r in ordered] == [6, 5, 4, 3, 2, 1]
    places = {r["id"]: n for n, r in enumerate(named_rows_first(meeting, list(reversed(rows))))}
    assert all(places[n + 1] < places[n] for n in range(1, 6))
    # Rows that name nothing, or a row not in the batch, keep their order.
    loose = [{"id": 9, "approved_at_meeting_id": 40}, {"id": 3, "approved_at_meeting_id": None}]
    assert list(named_rows_first(meeting, loose)) == loose
    # A table that never names its own rows is passed through untouched, not read into a list.
    schools = iter([{"id": 1}])
    assert named_rows_first(Base.metadata.tables["school"], schools) is schools
