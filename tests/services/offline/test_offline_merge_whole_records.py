"""A record deleted on one side and changed on the other is kept or deleted with the records
under it (a draft's lines), as the person chose: the merge alone, no database."""

from __future__ import annotations

from typing import Any

import pytest

from thep_desktop.services.offline.offline_data import WHOLE_RECORD, Choice, ConflictKind
from thep_desktop.services.offline.offline_merge import OpKind, merge, resolved_ops
from thep_desktop.services.offline.offline_rows import Record, State

DRAFT = "00000000-0000-4000-8000-000000000001"
LINE = "00000000-0000-4000-8000-000000000002"
NEW_LINE = "00000000-0000-4000-8000-000000000003"


def draft(reference: str) -> dict[str, Any]:
    return {"uuid": DRAFT, "reference": reference, "number": None}


def line(key: str, description: str) -> dict[str, Any]:
    return {"uuid": key, "invoice_id": DRAFT, "description": description}


def state(**tables: dict[str, dict[str, Any]]) -> State:
    return {
        name: {
            key: Record(name, key, n, fields, dict(fields))
            for n, (key, fields) in enumerate(rows.items(), 1)
        }
        for name, rows in tables.items()
    }


BASE = {"invoice": {DRAFT: draft("Base")}, "invoice_line": {LINE: line(LINE, "Training")}}


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.THEIRS])
def test_a_draft_changed_here_and_deleted_at_the_office(choice: Choice) -> None:
    # The copy changed the draft and added a line; the office deleted it (and its line).
    mine = state(
        invoice={DRAFT: draft("Changed here")},
        invoice_line={LINE: line(LINE, "Training"), NEW_LINE: line(NEW_LINE, "Extra day")},
    )
    merged = merge(BASE, mine, state(invoice={}, invoice_line={}))
    (conflict,) = merged.conflicts
    assert conflict.kind is ConflictKind.DELETED_AT_OFFICE
    ops = resolved_ops(merged, {("invoice", DRAFT, WHOLE_RECORD): choice})
    if choice is Choice.MINE:
        # Put back first, then both its lines: the one the office deleted with it, the new one.
        assert (ops[0].kind, ops[0].table, ops[0].uuid) == (OpKind.INSERT, "invoice", DRAFT)
        assert sorted((o.kind, o.table, o.uuid) for o in ops[1:]) == [
            (OpKind.INSERT, "invoice_line", LINE),
            (OpKind.INSERT, "invoice_line", NEW_LINE),
        ]
    else:
        assert ops == []  # the deletion stands: the new line cannot go without its draft


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.THEIRS])
def test_a_draft_deleted_here_and_changed_at_the_office(choice: Choice) -> None:
    # The copy deleted the draft and its line; the office changed the draft, not the line.
    theirs = state(
        invoice={DRAFT: draft("Changed there")}, invoice_line={LINE: line(LINE, "Training")}
    )
    merged = merge(BASE, state(invoice={}, invoice_line={}), theirs)
    (conflict,) = merged.conflicts
    assert conflict.kind is ConflictKind.DELETED_HERE
    ops = resolved_ops(merged, {("invoice", DRAFT, WHOLE_RECORD): choice})
    if choice is Choice.MINE:
        assert [(o.kind, o.table) for o in ops] == [
            (OpKind.DELETE, "invoice_line"),
            (OpKind.DELETE, "invoice"),
        ]
    else:
        assert ops == []  # the office's draft stays, and keeps its line
