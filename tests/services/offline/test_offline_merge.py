"""The three-way merge on its own: every combination of a field unchanged, changed on one side,
or changed on both (to the same value or not), and records new, closed or deleted on one side."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.services.offline.offline_data import (
    WHOLE_RECORD,
    ChangeKind,
    Choice,
    ConflictKind,
)
from thep_desktop.services.offline.offline_merge import OpKind, merge, resolved_ops
from thep_desktop.services.offline.offline_rows import Record

KEY = "5b0d8f4e-2c1a-4d6e-9a41-1f2e3d4c5b6a"


def record(**fields: Any) -> Record:
    values = {"uuid": KEY, "name": "Bow School", "status": "open", "phone": "", **fields}
    return Record("school", KEY, 1, values, dict(values))


def base(**fields: Any) -> dict[str, dict[str, dict[str, Any]]]:
    return {"school": {KEY: record(**fields).fields}}


def state(rec: Record | None) -> dict[str, dict[str, Record]]:
    return {"school": {KEY: rec} if rec is not None else {}}


def test_fields_changed_on_one_side_each_merge_without_a_question() -> None:
    merged = merge(base(), state(record(name="Bow Primary")), state(record(phone="020 7000")))
    assert merged.conflicts == []
    assert [(c.kind, c.fields) for c in merged.send] == [(ChangeKind.CHANGED, ("name",))]
    assert [(c.kind, c.fields) for c in merged.receive] == [(ChangeKind.CHANGED, ("phone",))]
    assert [(o.kind, o.fields) for o in merged.ops] == [(OpKind.UPDATE, ("name",))]


def test_the_same_value_on_both_sides_is_no_change_at_all() -> None:
    # What a synchronisation killed after the office saved leaves: nothing is sent twice.
    merged = merge(base(), state(record(name="Bow Primary")), state(record(name="Bow Primary")))
    assert (merged.send, merged.receive, merged.conflicts, merged.ops) == ([], [], [], [])


def test_one_field_changed_differently_on_both_sides_is_a_conflict_field_by_field() -> None:
    merged = merge(
        base(), state(record(name="Mine", phone="1")), state(record(name="Theirs", status="open"))
    )
    (conflict,) = merged.conflicts
    assert conflict.kind == ConflictKind.BOTH_CHANGED
    assert [(f.name, f.original, f.mine, f.theirs) for f in conflict.fields] == [
        ("name", "Bow School", "Mine", "Theirs")
    ]
    # The phone, changed in the copy only, goes without a question.
    assert [o.fields for o in merged.ops] == [("phone",)]
    ops = resolved_ops(merged, {("school", KEY, "name"): Choice.MINE})
    assert [(o.kind, o.fields) for o in ops] == [(OpKind.UPDATE, ("phone", "name"))]
    ops = resolved_ops(merged, {("school", KEY, "name"): Choice.THEIRS})
    assert [(o.kind, o.fields) for o in ops] == [(OpKind.UPDATE, ("phone",))]


def test_closed_on_one_side_and_changed_on_the_other_is_a_conflict_over_both_changes() -> None:
    merged = merge(base(), state(record(phone="020 7000")), state(record(status="closed")))
    (conflict,) = merged.conflicts
    assert conflict.kind == ConflictKind.CLOSED
    assert {f.name for f in conflict.fields} == {"phone", "status"}
    assert merged.ops == [] and merged.send == [] and merged.receive == []


def test_deleted_on_one_side_and_changed_on_the_other_is_settled_as_a_whole() -> None:
    merged = merge(base(), state(None), state(record(name="Theirs")))
    (conflict,) = merged.conflicts
    assert conflict.kind == ConflictKind.DELETED_HERE and conflict.whole_record
    ops = resolved_ops(merged, {("school", KEY, WHOLE_RECORD): Choice.MINE})
    assert [(o.kind, o.uuid) for o in ops] == [(OpKind.DELETE, KEY)]
    assert resolved_ops(merged, {("school", KEY, WHOLE_RECORD): Choice.THEIRS}) == []

    merged = merge(base(), state(record(name="Mine")), state(None))
    (conflict,) = merged.conflicts
    assert conflict.kind == ConflictKind.DELETED_AT_OFFICE
    ops = resolved_ops(merged, {("school", KEY, WHOLE_RECORD): Choice.MINE})
    assert [(o.kind, o.uuid) for o in ops] == [(OpKind.INSERT, KEY)]


def test_deleted_on_one_side_unchanged_on_the_other_follows_the_deletion() -> None:
    merged = merge(base(), state(None), state(record()))
    assert [(c.kind, o.kind) for c, o in zip(merged.send, merged.ops, strict=True)] == [
        (ChangeKind.DELETED, OpKind.DELETE)
    ]
    merged = merge(base(), state(record()), state(None))
    assert [c.kind for c in merged.receive] == [ChangeKind.DELETED] and merged.ops == []


VALUES = st.sampled_from(["a", "b", "c"])


@given(
    st.fixed_dictionaries({"name": VALUES, "phone": VALUES}),
    st.fixed_dictionaries({"name": VALUES, "phone": VALUES}),
    st.fixed_dictionaries({"name": VALUES, "phone": VALUES}),
)
def test_no_change_is_ever_lost_or_overwritten_silently(
    b: dict[str, str], m: dict[str, str], t: dict[str, str]
) -> None:
    merged = merge(base(**b), state(record(**m)), state(record(**t)))
    conflicted = {f.name for c in merged.conflicts for f in c.fields}
    sent = {name for op in merged.ops for name in op.fields}
    received = {name for c in merged.receive for name in c.fields}
    for name in ("name", "phone"):
        if m[name] == t[name]:
            assert name not in conflicted | sent | received  # nothing to do for it
        elif m[name] != b[name] and t[name] != b[name]:
            assert name in conflicted and name not in sent | received  # the person decides
        elif m[name] != b[name]:
            assert name in sent and name not in conflicted
        else:
            assert name in received and name not in conflicted


def test_a_field_the_base_does_not_know_is_for_the_person_when_the_sides_differ() -> None:
    # A copy taken by an older version of the program has no base value for a column a later
    # version added: equal on both sides is no change, different is a question.
    older = {"school": {KEY: {k: v for k, v in record().fields.items() if k != "phone"}}}
    assert merge(older, state(record(phone="1")), state(record(phone="1"))).conflicts == []
    (conflict,) = merge(older, state(record(phone="1")), state(record(phone="2"))).conflicts
    assert [(f.name, f.original, f.mine, f.theirs) for f in conflict.fields] == [
        ("phone", None, "1", "2")
    ]
