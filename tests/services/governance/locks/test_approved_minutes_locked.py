"""Approved minutes are locked in the database itself: a direct UPDATE or DELETE of the meeting
or of anything its minutes hold is refused with the trigger's words and changes nothing; the
chair's signature is the one change allowed, and after it nothing; draft minutes change freely;
errata are added to approved minutes."""

from __future__ import annotations

from datetime import date

import pytest
from approved_minutes import CHAIR, REFUSAL, Board, hold_meeting, snapshot
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from thep_desktop.audit_trail import acting_as
from thep_desktop.database import Database
from thep_desktop.domain.governance import MinutesStatus
from thep_desktop.models import AgendaItem, Base, MinutesErratum

# A change to each table that minutes hold: the column and a value unlike the one there.
CHANGES = {
    "meeting": ("title", "Board meeting (rewritten)"),
    "agenda_item": ("minutes", "The Board rejected the budget."),
    "agenda_paper": ("file_name", "other-budget.pdf"),
    "meeting_attendance": ("status", "absent"),
    "interest_declaration": ("interest", "None"),
    "decision": ("text", "That the budget be rejected."),
    "minutes_erratum": ("correction", "Nothing needed correcting."),
}
SIGNED_BY, SIGNED_ON = CHAIR, date(2025, 10, 20)


def _run(db: Database, statement: str, **values: object) -> int:
    with db.engine.begin() as conn:
        return conn.execute(text(statement), values).rowcount


def _refused(db: Database, statement: str, **values: object) -> None:
    """The statement fails with the trigger's words, and no row of any table changed."""
    before = snapshot(db)
    with pytest.raises(IntegrityError, match=REFUSAL):
        _run(db, statement, **values)
    assert snapshot(db) == before


def _row(db: Database, table: str, row_id: int) -> dict:
    """The row read through its table, so dates are dates on both databases."""
    model = Base.metadata.tables[table]
    with db.engine.connect() as conn:
        return dict(conn.execute(model.select().where(model.c.id == row_id)).one()._mapping)


def _sign(db: Database, meeting_id: int) -> int:
    return _run(
        db,
        "UPDATE meeting SET minutes_status = 'signed', signed_by = :by, signed_on = :on, "
        "version = version + 1, updated_by = 'jo.bloggs' WHERE id = :id",
        by=SIGNED_BY,
        on=SIGNED_ON,
        id=meeting_id,
    )


# -- approved minutes -----------------------------------------------------------------------
@pytest.mark.parametrize("table", list(CHANGES))
def test_an_update_of_approved_minutes_is_refused(db: Database, board: Board, table: str):
    column, value = CHANGES[table]
    row_id = getattr(board.approved, table)
    assert _row(db, table, row_id)[column] != value
    _refused(db, f"UPDATE {table} SET {column} = :v WHERE id = :id", v=value, id=row_id)


@pytest.mark.parametrize("table", list(CHANGES))
def test_a_delete_from_approved_minutes_is_refused(db: Database, board: Board, table: str):
    _refused(db, f"DELETE FROM {table} WHERE id = :id", id=getattr(board.approved, table))


def test_changing_every_row_of_approved_minutes_at_once_is_refused(db: Database, board: Board):
    meeting = board.approved.meeting
    _refused(
        db, "UPDATE agenda_item SET presenter = 'Someone else' WHERE meeting_id = :m", m=meeting
    )
    _refused(db, "DELETE FROM meeting_attendance WHERE meeting_id = :m", m=meeting)
    _refused(
        db, "UPDATE decision SET votes_for = 0, votes_against = 3 WHERE meeting_id = :m", m=meeting
    )


def test_rows_cannot_be_moved_into_or_out_of_approved_minutes(db: Database, board: Board):
    """A draft meeting's paper put under an approved item, or an approved meeting's
    declaration moved to a draft meeting: either way the approved minutes would change."""
    _refused(
        db,
        "UPDATE agenda_paper SET agenda_item_id = :item WHERE id = :id",
        item=board.approved.agenda_item,
        id=board.later.agenda_paper,
    )
    _refused(
        db,
        "UPDATE interest_declaration SET meeting_id = :draft WHERE id = :id",
        draft=board.later.meeting,
        id=board.approved.interest_declaration,
    )


def test_approved_minutes_cannot_be_taken_back_to_draft(db: Database, board: Board):
    _refused(
        db,
        "UPDATE meeting SET minutes_status = 'draft', approved_on = NULL, "
        "approved_at_meeting_id = NULL WHERE id = :id",
        id=board.approved.meeting,
    )


# -- signing --------------------------------------------------------------------------------
def test_signing_approved_minutes_is_allowed_and_changes_only_the_signature(
    db: Database, board: Board
):
    before = _row(db, "meeting", board.approved.meeting)
    assert _sign(db, board.approved.meeting) == 1
    after = _row(db, "meeting", board.approved.meeting)
    assert after["minutes_status"] == "signed"
    assert (after["signed_by"], after["signed_on"]) == (SIGNED_BY, SIGNED_ON)
    changed = {c for c in before if before[c] != after[c]}
    assert changed == {"minutes_status", "signed_by", "signed_on", "version", "updated_by"}


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("title", "Board meeting (signed)"),
        ("approved_on", date(2025, 10, 9)),
        ("meets_on", date(2025, 7, 10)),
        ("notes", "Signed with a change"),
        ("venue", "Online"),
    ],
)
def test_signing_with_any_other_change_is_refused(db: Database, board: Board, column, value):
    _refused(
        db,
        f"UPDATE meeting SET minutes_status = 'signed', signed_by = :by, signed_on = :on, "
        f"{column} = :v WHERE id = :id",
        by=SIGNED_BY,
        on=SIGNED_ON,
        v=value,
        id=board.approved.meeting,
    )


def test_after_signing_nothing_may_change(db: Database, board: Board):
    _sign(db, board.approved.meeting)
    meeting = board.approved.meeting
    _refused(db, "UPDATE meeting SET signed_by = 'Aziz Ahmed' WHERE id = :id", id=meeting)
    _refused(
        db, "UPDATE meeting SET signed_on = :on WHERE id = :id", on=date(2025, 11, 1), id=meeting
    )
    _refused(
        db,
        "UPDATE meeting SET minutes_status = 'approved', signed_by = '', signed_on = NULL "
        "WHERE id = :id",
        id=meeting,
    )
    _refused(db, "UPDATE meeting SET title = 'Renamed' WHERE id = :id", id=meeting)
    _refused(db, "DELETE FROM meeting WHERE id = :id", id=meeting)
    for table, (column, value) in CHANGES.items():
        if table == "meeting":
            continue
        row_id = getattr(board.approved, table)
        _refused(db, f"UPDATE {table} SET {column} = :v WHERE id = :id", v=value, id=row_id)
        _refused(db, f"DELETE FROM {table} WHERE id = :id", id=row_id)


# -- errata ---------------------------------------------------------------------------------
@pytest.mark.parametrize("signed", [False, True])
def test_an_erratum_can_be_added_to_approved_and_signed_minutes(
    db: Database, board: Board, signed: bool
):
    if signed:
        _sign(db, board.approved.meeting)
    before = _row(db, "agenda_item", board.approved.agenda_item)
    with acting_as("clerk"), db.session() as session:
        session.add(
            MinutesErratum(
                meeting_id=board.approved.meeting,
                agenda_item_id=board.approved.agenda_item,
                noted_on=date(2025, 12, 1),
                correction="Item 3: the vote was 3 for, none against.",
                reason="The vote was left out",
                created_by="clerk",
                updated_by="clerk",
            )
        )
    with db.engine.connect() as conn:
        corrections = (
            conn.execute(
                text("SELECT correction FROM minutes_erratum WHERE meeting_id = :m ORDER BY id"),
                {"m": board.approved.meeting},
            )
            .scalars()
            .all()
        )
    assert corrections == [
        "The budget was proposed by Aziz Ahmed, not Kevan Collins.",
        "Item 3: the vote was 3 for, none against.",
    ]
    # The original minutes are kept as they were.
    assert _row(db, "agenda_item", board.approved.agenda_item) == before


# -- draft minutes --------------------------------------------------------------------------
@pytest.mark.parametrize("table", [t for t in CHANGES if t != "minutes_erratum"])
@pytest.mark.parametrize("status", [MinutesStatus.DRAFT, MinutesStatus.CIRCULATED])
def test_minutes_not_yet_approved_can_be_changed_freely(
    db: Database, board: Board, table: str, status: MinutesStatus
):
    _run(
        db,
        "UPDATE meeting SET minutes_status = :s, circulated_on = :on WHERE id = :id",
        s=status.value,
        on=date(2025, 10, 15) if status is MinutesStatus.CIRCULATED else None,
        id=board.later.meeting,
    )
    column, value = CHANGES[table]
    row_id = getattr(board.later, table)
    assert _run(db, f"UPDATE {table} SET {column} = :v WHERE id = :id", v=value, id=row_id) == 1
    assert _row(db, table, row_id)[column] == value
    if table != "meeting":  # the meeting itself goes in the next test, with its rows
        assert _run(db, f"DELETE FROM {table} WHERE id = :id", id=row_id) == 1
        with db.engine.connect() as conn:
            left = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE id = :id"), {"id": row_id}
            )
            assert left.scalar_one() == 0


def test_a_draft_meeting_can_be_deleted_with_its_minutes(db: Database, board: Board):
    draft = hold_meeting(board.services, board.body_id, date(2025, 11, 12), board.people)
    _run(db, "DELETE FROM governance_action WHERE meeting_id = :m", m=draft.meeting)
    assert _run(db, "DELETE FROM meeting WHERE id = :m", m=draft.meeting) == 1
    with db.engine.connect() as conn:
        for table in ("agenda_item", "meeting_attendance", "interest_declaration", "decision"):
            left = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE meeting_id = :m"), {"m": draft.meeting}
            )
            assert left.scalar_one() == 0, table
        papers = conn.execute(
            text("SELECT count(*) FROM agenda_paper WHERE id = :p"), {"p": draft.agenda_paper}
        )
        assert papers.scalar_one() == 0


def test_draft_minutes_can_then_be_approved(db: Database, board: Board):
    """Approving is a change the lock must let through: from draft, not from approved."""
    assert (
        _run(
            db,
            "UPDATE meeting SET minutes_status = 'approved', approved_on = :on WHERE id = :id",
            on=date(2026, 1, 14),
            id=board.later.meeting,
        )
        == 1
    )
    _refused(
        db, "UPDATE agenda_item SET minutes = 'Too late' WHERE id = :id", id=board.later.agenda_item
    )


def test_a_change_through_the_orm_is_refused_too_and_leaves_no_history(db: Database, board: Board):
    """Were a service to forget its own refusal, the database still refuses: the change and
    the audit record written with it are rolled back together."""
    before = snapshot(db)
    with pytest.raises(IntegrityError, match=REFUSAL):
        with acting_as("clerk"), db.session() as session:
            item = session.get(AgendaItem, board.approved.agenda_item)
            assert item is not None
            item.minutes = "Quietly rewritten."
            item.updated_by = "clerk"
    with pytest.raises(IntegrityError, match=REFUSAL):
        with acting_as("clerk"), db.session() as session:
            session.delete(session.get(MinutesErratum, board.approved.minutes_erratum))
    assert snapshot(db) == before
