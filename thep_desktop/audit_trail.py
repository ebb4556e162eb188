"""The audit trail, written at the session level: every record created, changed or deleted.

Installed on each :class:`~thep_desktop.database.Database`'s sessions, so every kind of
record, today's and those later areas add, is covered without code of its own:

- an ORM flush: each new, changed or deleted object of a table with a ``uuid`` column is one
  row, with the values before and after (only the fields that changed, for a change);
- an ORM ``update()``/``delete()`` statement run through a session: the rows it touches are
  read before (and, for an update, after) it runs;
- the few hand-tuned bulk paths that go below the ORM (the GIAS import's executemany) call
  :func:`record_many` with what they wrote;
- events that are not a record's change (a login, an import, a letter run, a refusal, a role
  change) are added with :func:`record`.

Who and when come from the server on PostgreSQL (``session_user``, ``now()``; a trigger
there refuses a row naming anyone else or another time); on a local file, from the person
the services act for and the computer's clock. Each row carries ``seq`` (1, 2, 3…) and a
SHA-256 over its values and the previous row's hash: :func:`verify_chain` finds a row
changed, removed or slipped in afterwards. Writers take the database's write lock first
(database_locks.py), so the chain has one writer at a time.
"""

from __future__ import annotations

import contextvars
import enum
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.attributes import get_history

from thep_desktop.bulk_insert import BulkInsert
from thep_desktop.models.audit import AUDIT_TABLE, AuditEvent
from thep_desktop.models.base import utcnow

GENESIS = "0" * 64
# Columns every record has that say nothing the audit row does not already say.
_NOT_AUDITED = frozenset({"id", "version", "created_at", "created_by", "updated_at", "updated_by"})
# The field that names a record for a person reading the trail, first found wins.
_LABEL_FIELDS = ("name", "full_name", "login", "title", "subject", "template_name", "state")

# Who the services act for, set by every save (services/shared/retry.py): on a local file
# this names the person in the trail; on a server the server's session_user does.
acting_user: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "thep_acting_user", default=None
)
# Set while an offline copy's changes are applied (the treasurer's offline copy, later).
acting_copy: contextvars.ContextVar[str] = contextvars.ContextVar("thep_acting_copy", default="")


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    CLOSE = "close"
    DELETE = "delete"
    IMPORT = "import"
    LETTERS = "letters"
    LOGIN = "login"
    ROLE_CHANGE = "role_change"
    REFUSED = "refused"
    RESTORE = "restore"
    OFFLINE = "offline"  # an offline copy taken or synchronised (its id in copy_id)


@dataclass(frozen=True)
class Change:
    """One thing to write to the trail (who, when and the chain are added on writing)."""

    action: str
    table_name: str = ""
    record_uuid: uuid.UUID | None = None
    record_label: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    detail: str = ""


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    token = acting_user.set(name)
    try:
        yield
    finally:
        acting_user.reset(token)


# -- values -----------------------------------------------------------------------------------
def plain_value(value: Any) -> Any:
    """A column value as JSON can hold it, the same on SQLite and PostgreSQL."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_default(value: Any) -> Any:
    """What JSON cannot hold as it is (str, int, bool, None and enums of them it can)."""
    return plain_value(value)


def encode_values(values: Mapping[str, Any] | None) -> str | None:
    """A record's values as JSON text, in one canonical form; this text is what is hashed.

    The C encoder writes strings, numbers, booleans and string enums itself and asks
    :func:`plain_value` only for dates, times, Decimals, UUIDs and bytes: an import writes
    tens of thousands of these.
    """
    if values is None:
        return None
    return json.dumps(
        values,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )


def decode_values(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text else {}


def row_hash(previous_hash: str, values: Mapping[Any, Any]) -> str:
    """The SHA-256 that chains a row to the one before it; ``values`` as stored.

    Each field is written with its length in front (``None`` as ``~``), so no two different
    rows can run together into the same text, whatever the fields hold.
    """
    record = values["record_uuid"]
    fields = (
        previous_hash,
        str(int(values["seq"])),
        plain_value(values["occurred_at"]),
        values["actor"],
        values["action"],
        values["table_name"] or "",
        str(record) if record is not None else "",
        values["record_label"] or "",
        values["before"],
        values["after"],
        values["detail"] or "",
        values["copy_id"] or "",
    )
    text = "".join("~" if f is None else f"{len(f)}:{f}" for f in fields)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# -- writing ----------------------------------------------------------------------------------
_audit_table: Table = AuditEvent.__table__  # type: ignore[assignment]
# Every column but the id, in the order rows are given to the driver; the values that
# differ row by row are converted one by one, the rest (time, who, action) once.
_COLUMNS = [c.name for c in _audit_table.columns if c.name != "id"]
_UNIQUE = (
    "seq",
    "record_uuid",
    "record_label",
    "before",
    "after",
    "detail",
    "previous_hash",
    "row_hash",
)


class _Writer:
    """Appends to the chain within one transaction (the write lock is held: no one else can)."""

    def __init__(self, session: Session, fallback_actor: Callable[[], str]) -> None:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            who, when = connection.exec_driver_sql("SELECT session_user, now()").one()
            self.actor = str(who)
            self.when = when.astimezone(UTC)
        else:
            self.actor = acting_user.get() or fallback_actor()
            self.when = utcnow()
        last = connection.execute(
            select(_audit_table.c.seq, _audit_table.c.row_hash)
            .order_by(_audit_table.c.seq.desc())
            .limit(1)
        ).first()
        self.seq, self.previous = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        self.connection = connection

    def write(self, changes: Iterable[Change]) -> None:
        copy_id = acting_copy.get()
        insert_rows: BulkInsert | None = None
        rows: list[tuple[Any, ...]] = []
        for change in changes:
            self.seq += 1
            values: dict[str, Any] = {
                "seq": self.seq,
                "occurred_at": self.when,
                "actor": self.actor,
                "action": str(change.action),
                "table_name": change.table_name,
                "record_uuid": change.record_uuid,
                "record_label": (change.record_label or "")[:300],
                "before": encode_values(change.before),
                "after": encode_values(_filled(change)),
                "detail": change.detail,
                "copy_id": copy_id,
            }
            values["previous_hash"] = self.previous
            values["row_hash"] = self.previous = row_hash(self.previous, values)
            rows.append(tuple(values[name] for name in _COLUMNS))
            if len(rows) == 1000:
                insert_rows = insert_rows or BulkInsert(
                    self.connection, _audit_table, _COLUMNS, _UNIQUE
                )
                insert_rows(rows)
                rows = []
        if rows:
            insert_rows = insert_rows or BulkInsert(
                self.connection, _audit_table, _COLUMNS, _UNIQUE
            )
            insert_rows(rows)


def _filled(change: Change) -> Mapping[str, Any] | None:
    """A new record's values without its empty fields (they say nothing); a change's all."""
    after = change.after
    if after is None or change.before is not None:
        return after
    return {k: v for k, v in after.items() if v is not None and v != ""}


# Set on an object (``obj.__dict__[AUDIT_ACTION] = Action.ROLE_CHANGE``) before it is
# flushed, to record its change as that kind instead of a plain "update".
AUDIT_ACTION = "_thep_audit_action"

_WRITER_KEY = "thep_audit_writer"
_PENDING_KEY = "thep_audit_pending"


def _writer(session: Session) -> _Writer:
    writer = session.info.get(_WRITER_KEY)
    if writer is None:
        writer = session.info[_WRITER_KEY] = _Writer(session, session.info["thep_fallback_actor"])
    return writer


def record(session: Session, change: Change) -> None:
    """Add one event to the trail, in ``session``'s transaction (a session for saving)."""
    _writer(session).write([change])


def record_alone(sessions: Callable[[], Any], who: str, change: Change) -> None:
    """Write one event in a transaction of its own, as ``who`` (a refusal, a restore).

    ``sessions`` is the database's ``session`` (a context manager holding the write lock).
    """
    with acting_as(who), sessions() as session:
        record(session, change)


def record_many(session: Session, changes: Iterable[Change]) -> None:
    """Add many events at once: the bulk paths that write below the ORM call this."""
    _writer(session).write(changes)


def label_of(values: Mapping[Any, Any]) -> str:
    for name in _LABEL_FIELDS:
        value = values.get(name)
        if value:
            return str(value.value if isinstance(value, enum.Enum) else value)
    return ""


def _audited(table: Any) -> bool:
    return isinstance(table, Table) and table.name != AUDIT_TABLE and "uuid" in table.c


def _column_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: getattr(obj, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in _NOT_AUDITED
    }


def _is_closing(after: Mapping[str, Any]) -> bool:
    status = after.get("status")
    status = status.value if isinstance(status, enum.Enum) else status
    return status == "closed" or after.get("active") is False


def _orphans(session: Session) -> list[Any]:
    """Records taken out of a delete-orphan collection (a contact removed from its school's
    list): the flush deletes them, but they are not yet in ``session.deleted`` here."""
    found = []
    for parent in session.dirty:
        state = inspect(parent)
        for relationship in state.mapper.relationships:
            if not relationship.cascade.delete_orphan:
                continue
            history = state.attrs[relationship.key].history
            for child in history.deleted or ():
                child_state = inspect(child)
                if child_state.persistent and child not in session.deleted:
                    found.append(child)
    return found


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    for obj in session.new:
        if _audited(getattr(obj, "__table__", None)):
            if getattr(obj, "uuid", None) is None:
                obj.uuid = uuid.uuid4()  # known now, for the trail; the same one is stored
            pending.append(("create", obj, None, None))
    for obj in session.dirty:
        if not _audited(getattr(obj, "__table__", None)):
            continue
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for attr in inspect(obj).mapper.column_attrs:
            if attr.key in _NOT_AUDITED:
                continue
            history = get_history(obj, attr.key)
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if plain_value(old) != plain_value(new):
                before[attr.key], after[attr.key] = old, new
        if after:
            # A service may name the kind of change (a role change) on the object itself.
            action = obj.__dict__.pop(AUDIT_ACTION, None) or (
                Action.CLOSE if _is_closing(after) else Action.UPDATE
            )
            pending.append((action, obj, before, after))
    for obj in [*session.deleted, *_orphans(session)]:
        if _audited(getattr(obj, "__table__", None)):
            pending.append((Action.DELETE, obj, _column_values(obj), None))
    if pending:
        session.info.setdefault(_PENDING_KEY, []).extend(pending)


def _after_flush(session: Session, _context: Any) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    changes = []
    for action, obj, before, after in pending:
        if action == "create":
            after = _column_values(obj)
        values = after if after is not None else before
        full = _column_values(obj) if action != Action.DELETE else before
        changes.append(
            Change(
                action=str(action),
                table_name=obj.__table__.name,
                record_uuid=obj.uuid,
                record_label=label_of(full or values or {}),
                before=before,
                after=after,
            )
        )
    record_many(session, changes)


def _on_orm_execute(state: ORMExecuteState) -> Any:
    """An ``update()``/``delete()`` statement run through the session: its rows, audited."""
    if not (state.is_update or state.is_delete):
        return None
    statement: Any = state.statement
    table: Any = getattr(statement, "table", None)
    if not _audited(table) or isinstance(state.parameters, list):
        return None  # executemany below the ORM: the bulk path records itself (record_many)
    session = state.session
    # The statement's table carries the ORM's annotations (selecting it would give objects):
    # read the plain table's columns instead.
    table = table.metadata.tables[table.name]
    where = statement.whereclause
    found = select(*table.c)
    if where is not None:
        found = found.where(where)
    befores = {row.id: dict(row._mapping) for row in session.execute(found, state.parameters)}
    result = state.invoke_statement()
    if not befores:
        return result
    changes = []
    if state.is_delete:
        for values in befores.values():
            kept = {k: v for k, v in values.items() if k not in _NOT_AUDITED}
            changes.append(
                Change(Action.DELETE, table.name, values["uuid"], label_of(values), kept)
            )
    else:
        after_rows = session.execute(select(*table.c).where(table.c.id.in_(list(befores))))
        for row in after_rows:
            old, new = befores[row.id], dict(row._mapping)
            changed = [
                k
                for k in new
                if k not in _NOT_AUDITED and plain_value(old.get(k)) != plain_value(new[k])
            ]
            if not changed:
                continue
            after = {k: new[k] for k in changed}
            action = Action.CLOSE if _is_closing(after) else Action.UPDATE
            changes.append(
                Change(
                    action,
                    table.name,
                    new["uuid"],
                    label_of(new),
                    {k: old.get(k) for k in changed},
                    after,
                )
            )
    record_many(session, changes)
    return result


def _forget(session: Session, _transaction: Any) -> None:
    session.info.pop(_WRITER_KEY, None)
    session.info.pop(_PENDING_KEY, None)


def install(sessions: sessionmaker[Session], fallback_actor: Callable[[], str]) -> None:
    """Audit every session ``sessions`` makes; ``fallback_actor`` names a local file's user."""
    sessions.kw.setdefault("info", {})["thep_fallback_actor"] = fallback_actor
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _on_orm_execute)
    event.listen(sessions, "after_soft_rollback", _forget)
    event.listen(sessions, "after_commit", lambda s: _forget(s, None))


# -- checking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainReport:
    rows: int
    last_seq: int
    last_hash: str
    problems: list[str]


def verify_chain(rows: Iterable[Mapping[Any, Any]], limit: int = 20) -> ChainReport:
    """Walk the trail in ``seq`` order; say in words every place the chain is broken."""
    problems: list[str] = []
    previous = GENESIS
    expected_seq = 1
    count = 0
    last_seq = 0

    def problem(text: str) -> None:
        if len(problems) < limit:
            problems.append(text)
        elif len(problems) == limit:
            problems.append("… and more: the list stops here.")

    for values in rows:
        count += 1
        seq = int(values["seq"])
        if seq != expected_seq:
            if seq > expected_seq:
                missing = (
                    f"record {expected_seq}"
                    if seq == expected_seq + 1
                    else f"records {expected_seq} to {seq - 1}"
                )
                problem(f"Audit {missing} missing: removed from the trail.")
            else:
                problem(f"Audit record {seq} appears twice or out of order.")
        if values["previous_hash"] != previous:
            problem(
                f"Audit record {seq} does not follow the one before it: a record before it "
                "was removed, changed or added afterwards."
            )
        if row_hash(values["previous_hash"], values) != values["row_hash"]:
            problem(f"Audit record {seq} was changed after it was written.")
        previous = values["row_hash"]
        expected_seq = seq + 1
        last_seq = seq
    return ChainReport(count, last_seq, previous, problems)
