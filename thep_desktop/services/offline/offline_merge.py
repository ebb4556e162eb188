"""The three-way comparison of each record: as it was (base), in the copy (mine), at the office
(theirs), matched by uuid. Pure: it reads states and gives back what to send and what clashes.

For each record:

- unchanged on one side: the other side's change wins (sent, or received);
- changed on both sides: fields changed on one side only merge; a field changed on both sides
  to different values is a conflict, shown field by field; the same value on both sides
  (a synchronisation that stopped after the office saved it) is no change at all;
- closed on one side (a status of closed, no longer active) and changed at all on the other:
  a conflict over every field either side changed;
- deleted on one side and changed on the other: a conflict, kept or deleted as a whole,
  with the records under it (an invoice's lines): a draft the office deleted and the copy
  changed is put back with its lines, or left deleted and its lines with it.

Nothing is ever overwritten silently: a conflict is carried out only as it was resolved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from thep_desktop.services.offline.offline_data import (
    WHOLE_RECORD,
    ChangeKind,
    Choice,
    Conflict,
    ConflictKind,
    FieldConflict,
    OfflineError,
    RecordChange,
    Resolutions,
)
from thep_desktop.services.offline.offline_rows import (
    Fields,
    Record,
    State,
    changed_fields,
    closes,
    record_label,
    references,
    synced_tables,
)

# Each table's base fields by uuid.
BaseState = dict[str, dict[str, Fields]]


class OpKind:
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Op:
    """One change to write at the office: a record of the copy inserted, some of its fields
    written over the office's, or the office's record deleted."""

    kind: str
    table: str
    uuid: str
    fields: tuple[str, ...] = ()


@dataclass
class Merge:
    send: list[RecordChange] = field(default_factory=list)
    receive: list[RecordChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)  # what goes to the office without a question
    # The three states compared: a record kept or deleted whole takes the records under it.
    base: BaseState = field(default_factory=dict)
    mine: State = field(default_factory=dict)
    theirs: State = field(default_factory=dict)

    def fingerprint(self) -> str:
        """The conflicts as they are now, theirs values included: a resolution chosen on a
        preview applies only while this is unchanged."""
        body = [
            [c.table, c.uuid, c.kind, [[f.name, f.original, f.mine, f.theirs] for f in c.fields]]
            for c in self.conflicts
        ]
        text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=True)
        return hashlib.sha256(text.encode("ascii")).hexdigest()


def merge(base: BaseState, mine: State, theirs: State) -> Merge:
    result = Merge(base=base, mine=mine, theirs=theirs)
    for table in synced_tables():
        name = table.name
        b_rows = base.get(name, {})
        m_rows = mine.get(name, {})
        t_rows = theirs.get(name, {})
        for key in _keys(b_rows, m_rows, t_rows):
            _merge_record(result, name, key, b_rows.get(key), m_rows.get(key), t_rows.get(key))
    return result


def _keys(*maps: Mapping[str, object]) -> Iterator[str]:
    seen: set[str] = set()
    for m in maps:
        for key in m:
            if key not in seen:
                seen.add(key)
                yield key


def _merge_record(
    result: Merge,
    table: str,
    key: str,
    base: Fields | None,
    mine: Record | None,
    theirs: Record | None,
) -> None:
    if base is None:
        _merge_new(result, table, key, mine, theirs)
        return
    if mine is not None and theirs is not None and mine.fields == base == theirs.fields:
        return  # untouched on both sides: most records, so decided before naming them
    # Named as the person last saw it: a change of the copy's by its name in the copy.
    label = _label(table, mine, theirs, base)
    their_label = theirs.label if theirs is not None else label
    if mine is None and theirs is None:
        return  # deleted on both sides
    if mine is None:
        assert theirs is not None
        if not changed_fields(base, theirs.fields):
            result.send.append(RecordChange(table, key, label, ChangeKind.DELETED))
            result.ops.append(Op(OpKind.DELETE, table, key))
        else:
            fields = _whole(base, None, theirs.fields, changed_fields(base, theirs.fields))
            result.conflicts.append(Conflict(table, key, label, ConflictKind.DELETED_HERE, fields))
        return
    if theirs is None:
        mine_changed = changed_fields(base, mine.fields)
        if not mine_changed:
            result.receive.append(RecordChange(table, key, label, ChangeKind.DELETED))
        else:
            fields = _whole(base, mine.fields, None, mine_changed)
            result.conflicts.append(
                Conflict(table, key, label, ConflictKind.DELETED_AT_OFFICE, fields)
            )
        return
    # A field the base does not know (a column a later version of the program added, the
    # copy having been taken by an older one) whose values differ: no one can tell which
    # side changed it, so the person decides rather than either side winning unseen.
    unknown = [
        f
        for f in mine.fields
        if f not in base and f in theirs.fields and mine.fields[f] != theirs.fields[f]
    ]
    if unknown:
        fields = tuple(FieldConflict(f, None, mine.fields[f], theirs.fields[f]) for f in unknown)
        result.conflicts.append(Conflict(table, key, label, ConflictKind.BOTH_CHANGED, fields))
    mine_changed = changed_fields(base, mine.fields)
    theirs_changed = changed_fields(base, theirs.fields)
    # Both sides arrived at the same value (a synchronisation that stopped after the office
    # saved it, or two people making the same correction): nothing to send or receive.
    mine_only = [f for f in mine_changed if mine.fields[f] != theirs.fields.get(f)]
    theirs_only = [f for f in theirs_changed if theirs.fields[f] != mine.fields.get(f)]
    if not mine_only and not theirs_only:
        return
    if not mine_only:
        result.receive.append(
            RecordChange(table, key, their_label, ChangeKind.CHANGED, tuple(theirs_only))
        )
        return
    if not theirs_only:
        result.send.append(RecordChange(table, key, label, ChangeKind.CHANGED, tuple(mine_only)))
        result.ops.append(Op(OpKind.UPDATE, table, key, tuple(mine_only)))
        return
    closing = closes(base, mine.fields) or closes(base, theirs.fields)
    if closing:
        names = [f for f in base if f in mine_only or f in theirs_only]
        fields = tuple(
            FieldConflict(f, base[f], mine.fields[f], theirs.fields.get(f)) for f in names
        )
        result.conflicts.append(Conflict(table, key, label, ConflictKind.CLOSED, fields))
        return
    clashing = [f for f in mine_only if f in theirs_only]
    mine_alone = [f for f in mine_only if f not in clashing]
    theirs_alone = [f for f in theirs_only if f not in clashing]
    if mine_alone:
        result.send.append(RecordChange(table, key, label, ChangeKind.CHANGED, tuple(mine_alone)))
        result.ops.append(Op(OpKind.UPDATE, table, key, tuple(mine_alone)))
    if theirs_alone:
        result.receive.append(
            RecordChange(table, key, their_label, ChangeKind.CHANGED, tuple(theirs_alone))
        )
    if clashing:
        fields = tuple(
            FieldConflict(f, base[f], mine.fields[f], theirs.fields[f]) for f in clashing
        )
        result.conflicts.append(Conflict(table, key, label, ConflictKind.BOTH_CHANGED, fields))


def _merge_new(
    result: Merge, table: str, key: str, mine: Record | None, theirs: Record | None
) -> None:
    if mine is not None and theirs is None:
        result.send.append(RecordChange(table, key, mine.label, ChangeKind.NEW))
        result.ops.append(Op(OpKind.INSERT, table, key))
    elif theirs is not None and mine is None:
        result.receive.append(RecordChange(table, key, theirs.label, ChangeKind.NEW))
    elif mine is not None and theirs is not None:
        # The same new record on both sides: the office saved it in a synchronisation that
        # stopped before the copy was brought up to date. Differences are conflicts.
        clashing = [f for f in mine.fields if mine.fields[f] != theirs.fields.get(f)]
        if clashing:
            fields = tuple(
                FieldConflict(f, None, mine.fields[f], theirs.fields.get(f)) for f in clashing
            )
            result.conflicts.append(
                Conflict(table, key, mine.label, ConflictKind.BOTH_CHANGED, fields)
            )


def _whole(
    base: Fields, mine: Fields | None, theirs: Fields | None, names: list[str]
) -> tuple[FieldConflict, ...]:
    return tuple(
        FieldConflict(
            f,
            base[f],
            None if mine is None else mine.get(f),
            None if theirs is None else theirs.get(f),
        )
        for f in names
    )


def _label(table: str, mine: Record | None, theirs: Record | None, base: Fields) -> str:
    if mine is not None:
        return mine.label
    if theirs is not None:
        return theirs.label
    return record_label(table, base)


def local_changes(base: BaseState, mine: State) -> list[RecordChange]:
    """What the copy changed since its base, as the office last gave it (no connection)."""
    found: list[RecordChange] = []
    for table in synced_tables():
        name = table.name
        b_rows = base.get(name, {})
        m_rows = mine.get(name, {})
        for key, record in m_rows.items():
            before = b_rows.get(key)
            if before is None:
                found.append(RecordChange(name, key, record.label, ChangeKind.NEW))
            elif changed := changed_fields(before, record.fields):
                found.append(
                    RecordChange(name, key, record.label, ChangeKind.CHANGED, tuple(changed))
                )
        for key, before in b_rows.items():
            if key not in m_rows:
                label = record_label(name, before)
                found.append(RecordChange(name, key, label, ChangeKind.DELETED))
    return found


def resolved_ops(merged: Merge, resolutions: Mapping[tuple[str, str, str], Choice]) -> list[Op]:
    """What goes to the office once every conflict is resolved; refused while one is not."""
    missing = [c for c in merged.conflicts if any(k not in resolutions for k in c.keys())]
    if missing:
        shown = "; ".join(c.words for c in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise OfflineError(
            f"{len(missing)} record{'s' if len(missing) != 1 else ''} changed on both sides "
            f"must be resolved first ({shown}{more}). Choose, field by field, whether the copy's "
            "or the office's value stands (in the program: File > Synchronise)."
        )
    ops = list(merged.ops)
    in_conflict = {(c.table, c.uuid) for c in merged.conflicts}
    # Records under one whose deletion stands or is undone: they follow it, whatever the
    # merge made of them alone (a line of a deleted draft cannot go to the office).
    left_out: set[tuple[str, str]] = set()
    for conflict in merged.conflicts:
        if conflict.whole_record:
            mine_chosen = resolutions[(conflict.table, conflict.uuid, WHOLE_RECORD)] == Choice.MINE
            if conflict.kind == ConflictKind.DELETED_HERE:
                if mine_chosen:
                    ops.append(Op(OpKind.DELETE, conflict.table, conflict.uuid))
                else:
                    # The office's record stays, and with it what was under it in the copy.
                    left_out |= _under(conflict.table, conflict.uuid, merged.base)
                continue
            mine_rows = {
                t: {k: r.fields for k, r in rows.items()} for t, rows in merged.mine.items()
            }
            under = _under(conflict.table, conflict.uuid, mine_rows)
            if not mine_chosen:
                left_out |= under  # deleted at the office: the copy's records under it too
                continue
            # Put back as the copy has it, with the records under it the office deleted.
            ops.append(Op(OpKind.INSERT, conflict.table, conflict.uuid))
            for table, key in sorted(under - in_conflict):
                if key not in merged.theirs.get(table, {}):
                    ops.append(Op(OpKind.INSERT, table, key))
            continue
        kept = tuple(
            f.name
            for f in conflict.fields
            if resolutions[(conflict.table, conflict.uuid, f.name)] == Choice.MINE
            and f.mine != f.theirs
        )
        if kept:
            ops.append(Op(OpKind.UPDATE, conflict.table, conflict.uuid, kept))
    return _ordered([op for op in ops if (op.table, op.uuid) not in left_out])


def _under(table: str, key: str, rows: Mapping[str, Mapping[str, Fields]]) -> set[tuple[str, str]]:
    """Every record referring to (table, key) in ``rows``, and those referring to them."""
    found: set[tuple[str, str]] = set()
    wanted = [(table, key)]
    while wanted:
        parent, parent_key = wanted.pop()
        for child in synced_tables():
            columns = [c for c, target in references(child.name).items() if target == parent]
            for child_key, fields in rows.get(child.name, {}).items():
                if (child.name, child_key) not in found and any(
                    fields.get(c) == parent_key for c in columns
                ):
                    found.add((child.name, child_key))
                    wanted.append((child.name, child_key))
    return found


def _ordered(ops: list[Op]) -> list[Op]:
    """Inserts parents first, then updates, then deletes children first; one op a record."""
    order = {t.name: n for n, t in enumerate(synced_tables())}
    merged_updates: dict[tuple[str, str], Op] = {}
    inserts: dict[tuple[str, str], Op] = {}
    deletes: list[Op] = []
    for op in ops:
        if op.kind == OpKind.INSERT:
            inserts[(op.table, op.uuid)] = op
        elif op.kind == OpKind.DELETE:
            deletes.append(op)
        else:
            key = (op.table, op.uuid)
            before = merged_updates.get(key)
            names = op.fields if before is None else tuple(dict.fromkeys(before.fields + op.fields))
            merged_updates[key] = Op(OpKind.UPDATE, op.table, op.uuid, names)
    deletes.sort(key=lambda o: -order[o.table])
    return [
        *sorted(inserts.values(), key=lambda o: order[o.table]),
        *merged_updates.values(),
        *deletes,
    ]


def referenced_first(ops: list[Op], mine: State) -> list[Op]:
    """Inserts reordered so that a new record naming another new record of its own table
    (minutes approved at a meeting also made offline) comes after it; the rest as they are."""
    pending = {(op.table, op.uuid) for op in ops if op.kind == OpKind.INSERT}
    placed: set[tuple[str, str]] = set()
    ordered: list[Op] = []

    def place(op: Op, trail: set[tuple[str, str]]) -> None:
        key = (op.table, op.uuid)
        if key in placed or key in trail:
            return
        trail.add(key)
        record = mine[op.table][op.uuid]
        for name, target in references(op.table).items():
            wanted = (target, str(record.fields.get(name)))
            if target == op.table and wanted in pending and wanted not in placed:
                place(Op(OpKind.INSERT, target, wanted[1]), trail)
        placed.add(key)
        ordered.append(op)

    for op in ops:
        if op.kind == OpKind.INSERT:
            place(op, set())
        else:
            ordered.append(op)
    return ordered


def check_resolutions(merged: Merge, resolutions: Resolutions) -> None:
    """A resolution naming no conflict of this plan is a mistake (a stale preview): refused."""
    wanted = {k for c in merged.conflicts for k in c.keys()}
    stray = [k for k in resolutions if k not in wanted]
    if stray:
        raise OfflineError(
            "The choices given name records that are not in conflict now (the office's "
            "records changed since the preview). Look at the preview again. "
            "Nothing was sent or received."
        )
