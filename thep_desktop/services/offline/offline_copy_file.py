"""An offline copy's file: written whole, brought up to date in place, and read.

A new copy (or one written afresh) is written to ``NAME.part`` and moved over ``NAME`` by
one rename, so a checkout killed half-way leaves no copy or the old one (and a ``.part``
file the next run removes), never half a copy. A synchronisation brings the copy up to date
in place in one SQLite transaction: all of it, or none. Triggers on every record table name
each record the copy changes, in ``offline_change``.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, Table, select, type_coerce
from sqlalchemy.exc import DBAPIError

from thep_desktop.database import Database, DatabaseError, driver_message, head_revision
from thep_desktop.models import Base
from thep_desktop.models.audit import AuditEvent
from thep_desktop.models.offline import (
    OFFLINE_BASE_TABLE,
    OFFLINE_CHANGE_TABLE,
    OFFLINE_COPY_TABLE,
    OfflineBaseRow,
    OfflineChange,
    OfflineCopy,
)
from thep_desktop.services.backups.row_transfer import named_rows_first
from thep_desktop.services.backups.table_checksums import BATCH
from thep_desktop.services.offline.offline_data import CopyInfo, OfflineError
from thep_desktop.services.offline.offline_merge import BaseState
from thep_desktop.services.offline.offline_rows import (
    State,
    decode_fields,
    encode_fields,
    read_changed_state,
    read_state,
    reread,
    synced_tables,
    uuid_text,
)

_SIDE_FILES = ("-wal", "-shm", "-journal")
# Told (what is being done, steps done, steps in all).
Steps = Callable[[str, int, int], None]


def part_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def remove_part(path: Path) -> None:
    """The leftovers of a checkout or synchronisation that was stopped before its end."""
    part = part_path(path)
    for leftover in (part, *(part.with_name(part.name + end) for end in _SIDE_FILES)):
        leftover.unlink(missing_ok=True)


def server_identity(conn: Connection) -> str:
    """What names the office database wherever it is served from: the hash of the first row
    of its audit trail (made when it was set up, never changed)."""
    found = conn.execute(select(AuditEvent.row_hash).where(AuditEvent.seq == 1)).scalar()
    return str(found or "")


@dataclass(frozen=True)
class CopyHeader:
    """What a new copy records of itself (the same copy id at every synchronisation)."""

    copy_id: str
    server: str
    server_identity: str
    login: str
    role: str
    taken_at: datetime
    base_at: datetime
    synced_at: datetime | None
    syncs: int


def new_copy_id() -> str:
    return str(uuid.uuid4())


def write_copy(path: Path, state: State, header: CopyHeader, steps: Steps | None = None) -> None:
    """Write the office's ``state`` as an offline copy at ``path`` (replacing what is there)."""
    remove_part(path)
    part = part_path(path)
    target = Database(part)
    try:
        target.upgrade(create=True)
        tables = synced_tables()
        with target.engine.connect() as conn:
            _write_fast(conn)
            conn.begin()
            for done, table in enumerate(tables, start=1):
                records = state.get(table.name, {})
                _insert_all(conn, table, (r.row for r in records.values()))
                if steps is not None:
                    steps(f"Writing {table.name.replace('_', ' ')}", done, len(tables) + 1)
            _insert_all(
                conn,
                Base.metadata.tables[OFFLINE_BASE_TABLE],
                (
                    {
                        "table_name": name,
                        "record_uuid": uuid.UUID(key),
                        "fields": encode_fields(record.fields),
                    }
                    for name, records in state.items()
                    for key, record in records.items()
                ),
            )
            for statement in change_triggers():
                conn.exec_driver_sql(statement)
            conn.execute(
                Base.metadata.tables[OFFLINE_COPY_TABLE]
                .insert()
                .values(
                    copy_id=header.copy_id,
                    server=header.server,
                    server_identity=header.server_identity,
                    login=header.login,
                    role=header.role,
                    schema_revision=head_revision(),
                    taken_at=header.taken_at,
                    base_at=header.base_at,
                    synced_at=header.synced_at,
                    syncs=header.syncs,
                )
            )
            conn.commit()
        with target.engine.connect() as conn:
            # Everything into the file itself: no -wal file may be left to go with it.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    except BaseException:
        target.dispose()
        remove_part(path)
        raise
    target.dispose()
    for end in _SIDE_FILES:
        part.with_name(part.name + end).unlink(missing_ok=True)
    try:
        with open(part, "rb+") as written:  # on the disk before it takes the copy's name
            os.fsync(written.fileno())
        os.replace(part, path)
    except OSError as exc:
        remove_part(path)
        raise OfflineError(
            f"The copy {path} could not be replaced ({exc.strerror or exc}); close any program "
            "that has it open and try again. Nothing in the copy was changed."
        ) from exc


def change_triggers() -> list[str]:
    """The triggers that name, in ``offline_change``, every record of the copy inserted,
    changed or deleted, whatever writes it (a form, an import, a script): made after a new
    copy's rows, so the copy's own records are not among them."""
    statements = []
    for table in synced_tables():
        name = table.name
        add = f"INSERT OR IGNORE INTO {OFFLINE_CHANGE_TABLE} (table_name, record_uuid) VALUES"
        for when, which in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = " ".join(f"{add} ('{name}', {row}.uuid);" for row in which)
            statements.append(
                f'CREATE TRIGGER IF NOT EXISTS "{_TRIGGER}{name}_{when.lower()}" '
                f'AFTER {when} ON "{name}" BEGIN {body} END'
            )
    return statements


_TRIGGER = "offline_changed_"


def _watching(conn: Connection) -> bool:
    """Are the copy's change triggers all there? A later version's migration that rebuilds
    a table (SQLite's way to alter most columns) drops that table's triggers: then every
    record is compared, and the copy is written afresh with them at the next synchronisation."""
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name GLOB ?",
        (_TRIGGER + "*",),
    ).scalar_one()
    return int(found) == 3 * len(synced_tables())


def refresh_copy(
    path: Path,
    state: State,
    touched: Mapping[str, Iterable[str]],
    header: CopyHeader,
    steps: Steps | None = None,
) -> None:
    """Bring the office's records named in ``touched`` (table: uuids) into the copy in
    place, with their base, and record the synchronisation in the header: one transaction,
    so a copy killed half-way is left as it was, never half-refreshed.

    Every other record of the copy is the office's already, id included (the copy was
    written from the office, and records it made itself are all touched), so the office's
    ids can be taken as they are. References are checked once everything is in."""
    database = Database(path)
    base_table = Base.metadata.tables[OFFLINE_BASE_TABLE]
    tables = [t for t in synced_tables() if touched.get(t.name)]
    try:
        with database.engine.connect() as conn:
            # Off outside a transaction (inside one it is ignored): rows go out and back in
            # an order that would break a reference for a moment.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            with conn.begin():
                keys = {t.name: [uuid.UUID(k) for k in touched[t.name]] for t in tables}
                for table in reversed(tables):
                    for chunk in _chunks(keys[table.name]):
                        conn.execute(table.delete().where(table.c.uuid.in_(chunk)))
                        conn.execute(
                            base_table.delete().where(
                                base_table.c.table_name == table.name,
                                base_table.c.record_uuid.in_(chunk),
                            )
                        )
                for done, table in enumerate(tables, start=1):
                    found = state.get(table.name, {})
                    records = [found[k] for k in touched[table.name] if k in found]
                    _insert_all(conn, table, (r.row for r in records))
                    _insert_all(
                        conn,
                        base_table,
                        (
                            {
                                "table_name": table.name,
                                "record_uuid": uuid.UUID(r.uuid),
                                "fields": encode_fields(r.fields),
                            }
                            for r in records
                        ),
                    )
                    if steps is not None:
                        steps(f"Writing {table.name.replace('_', ' ')}", done, len(tables) + 1)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise OfflineError(
                        f"The copy {path} could not be brought up to date in place (a "
                        f"reference in {broken[0]} is broken); it is left as it was."
                    )
                # The copy now holds what the office has: nothing of it is waiting to go.
                conn.execute(Base.metadata.tables[OFFLINE_CHANGE_TABLE].delete())
                conn.execute(
                    Base.metadata.tables[OFFLINE_COPY_TABLE]
                    .update()
                    .values(base_at=header.base_at, synced_at=header.synced_at, syncs=header.syncs)
                )
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            # As a copy is left after writing it whole: everything in the file itself.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    except DBAPIError as exc:
        raise OfflineError(
            f"The copy {path} could not be written ({driver_message(exc)}); close any program "
            "that has it open and synchronise again: the office has the copy's changes, and "
            "nothing is sent twice."
        ) from exc
    finally:
        database.dispose()
    for end in _SIDE_FILES:
        path.with_name(path.name + end).unlink(missing_ok=True)


def _chunks(keys: list[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _insert_all(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` (each naming the columns it gives, the same ones in every row) into a
    new copy, in batches, each value converted by its column's type as SQLAlchemy would but
    once per value rather than through a statement's parameters per row (a large office's
    copy has 100,000 rows); a row naming another of its table goes after it."""
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    ordered = iter(named_rows_first(table, rows))
    first = next(ordered, None)
    if first is None:
        return
    columns = [table.c[name] for name in first]
    convert = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    names = [c.name for c in columns]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        batch: list[tuple[Any, ...]] = []
        for row in itertools.chain((first,), ordered):
            batch.append(
                tuple(
                    row[name] if process is None else process(row[name])
                    for name, process in zip(names, convert, strict=True)
                )
            )
            if len(batch) >= BATCH:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)
    finally:
        cursor.close()


def _write_fast(conn: Connection) -> None:
    """No journal and no waiting for the disk while the ``.part`` file is written: a write
    stopped half-way (power lost, program killed) leaves only a ``.part`` file, which is
    thrown away, never the copy; the finished file is flushed before it is renamed."""
    conn.exec_driver_sql("PRAGMA journal_mode=OFF")
    conn.exec_driver_sql("PRAGMA synchronous=OFF")
    conn.commit()


@dataclass(frozen=True)
class CopyContents:
    info: CopyInfo
    base: BaseState
    mine: State
    # The copy's change triggers are all there: it can be brought up to date in place.
    watching: bool = False


def open_copy(path: Path) -> Database:
    """The copy, as a database, brought to this program's schema; refused in words if it is
    not an offline copy."""
    if not path.exists():
        raise OfflineError(f"There is no file {path}.")
    try:
        database = Database(path)
        found = database.recognise()
    except DatabaseError as exc:
        raise OfflineError(f"{path} cannot be read as an offline copy: {exc}") from exc
    if found.state in ("missing", "empty"):
        database.dispose()
        raise OfflineError(f"{path} is not an offline copy of the office's database.")
    # Asked of the file read-only before anything opens it for writing: an office database
    # (of any version) is no copy, and is left exactly as it is (not switched to the write-
    # ahead log, not migrated, not backed up).
    if _headers_in_file(path) != 1:
        database.dispose()
        raise OfflineError(_not_a_copy(path))
    try:
        if found.revision != head_revision():
            database.upgrade()  # an older program's copy: brought up to date, backed up first
    except DatabaseError as exc:
        database.dispose()
        raise OfflineError(f"{path} cannot be opened as an offline copy: {exc}") from exc
    return database


def _headers_in_file(path: Path) -> int | None:
    """The rows of the file's copy header table (None: it has none), read without writing:
    read-only, and as immutable unless a -wal or -journal file says it is open elsewhere."""
    in_use = any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal"))
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (OFFLINE_COPY_TABLE,),
            ).fetchone():
                return None
            return int(conn.execute(f'SELECT count(*) FROM "{OFFLINE_COPY_TABLE}"').fetchone()[0])
    except sqlite3.Error as exc:
        raise OfflineError(f"{path} cannot be read as an offline copy: {exc}") from exc


def _not_a_copy(path: Path) -> str:
    return (
        f"{path} is an office database of its own, not an offline copy: there is nothing "
        "to synchronise. (An offline copy is taken from the office's server with File > "
        "Take an offline copy, or thep-admin offline checkout.)"
    )


def copy_info(database: Database, path: Path) -> CopyInfo:
    with database.read_session() as session:
        row = session.execute(select(OfflineCopy)).scalar_one()
        return _info(row, path)


def _info(row: OfflineCopy, path: Path) -> CopyInfo:
    return CopyInfo(
        path=path,
        copy_id=row.copy_id,
        server=row.server,
        server_identity=row.server_identity,
        login=row.login,
        role=row.role,
        schema_revision=row.schema_revision,
        taken_at=row.taken_at,
        base_at=row.base_at,
        synced_at=row.synced_at,
        syncs=row.syncs,
    )


def read_copy(path: Path, *, to_replace: bool = False, every_row: bool = True) -> CopyContents:
    """The copy's header, its base and its records now, read in one snapshot and closed.

    ``every_row`` false: records the copy's triggers say are unchanged since the base are
    not read in full (see offline_rows.read_changed_state); a synchronisation compares only
    their fields, id and version, and reads in full those it writes (with_rows).

    ``to_replace``: refused while another program holds the file open, since the copy is
    replaced whole at the end of a synchronisation and must not change underneath it.
    """
    database = open_copy(path)
    try:
        with database.read_session() as session:
            row = session.execute(select(OfflineCopy)).scalar_one()
            info = _info(row, path)
            base: BaseState = {}
            # The uuid as stored (32 hex digits), put in its usual form here: a UUID object
            # per base row would only be turned back into text.
            stored = type_coerce(OfflineBaseRow.record_uuid, String)
            for name, key, fields in session.execute(
                select(OfflineBaseRow.table_name, stored, OfflineBaseRow.fields)
            ).all():
                base.setdefault(name, {})[uuid_text(key)] = decode_fields(fields)
            conn = session.connection()
            watching = _watching(conn)
            if watching:
                # The triggers name every record changed since the base: the others are
                # the base's, and keep its fields rather than being worked out again.
                changed_uuid = type_coerce(OfflineChange.record_uuid, String)
                changed = {
                    (name, uuid_text(key))
                    for name, key in session.execute(
                        select(OfflineChange.table_name, changed_uuid)
                    ).all()
                }
                if every_row:
                    mine = read_state(conn, unchanged=base, changed=changed)
                else:
                    mine = read_changed_state(conn, base, changed)
            else:
                mine = read_state(conn)
    finally:
        database.dispose()
    if to_replace and path.with_name(path.name + "-wal").exists():
        raise OfflineError(
            f"The copy {path} is open in another program (THE Partnership Office or "
            "thep-admin). Close it there, then synchronise. Nothing was sent or received."
        )
    return CopyContents(info, base, mine, watching)


def with_rows(path: Path, mine: State, wanted: Iterable[tuple[str, str]]) -> State:
    """``mine`` with the records ``wanted`` (table, uuid) read in full from the copy where
    they were read without their row (a record the copy keeps whole, put back at the office
    with the one above it, may be one the copy never changed)."""
    missing: dict[str, list[str]] = {}
    for name, key in wanted:
        found = mine.get(name, {}).get(key)
        if found is not None and not found.row:
            missing.setdefault(name, []).append(key)
    if not missing:
        return mine
    database = open_copy(path)
    try:
        with database.read_session() as session:
            fresh = reread(session.connection(), mine, missing)
    finally:
        database.dispose()
    return fresh
