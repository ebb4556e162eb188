"""Moving an office's database from one place to another (a local file onto the server)."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from thep_desktop.database import (
    Database,
    DatabaseError,
    alembic_config,
    all_revisions,
    driver_message,
    head_revision,
)
from thep_desktop.database_locks import WRITE_LOCK_KEY
from thep_desktop.services.backups.row_transfer import insert_rows, reset_sequences
from thep_desktop.services.backups.table_checksums import (
    TableProgress,
    TableSum,
    differences,
    present_tables,
    table_checksums,
    table_rows,
)
from thep_desktop.services.shared.errors import ServiceError

NOTHING_COPIED = "Nothing was copied."


class CopyError(ServiceError):
    """The copy was refused or undone; the message says why, and that nothing was copied."""


@dataclass(frozen=True)
class CopiedTable:
    name: str
    rows: int
    sha256: str
    ok: bool


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    tables: list[CopiedTable]
    upgraded_from: str | None = None  # the source's older schema, upgraded in a copy

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def copy_database(
    source_url: str, target_url: str, progress: TableProgress | None = None
) -> CopyResult:
    """Copy every table of the database at ``source_url`` into a new one at ``target_url``.

    The source must be ours; it is read in one snapshot and never changed (an older schema
    is upgraded in a temporary copy of a local file). The target must hold no data: an empty
    server database, or a file that does not exist yet; its tables are made at the newest
    schema and every row is copied with all its columns as they are (ids, uuids, who and
    when), in one transaction, sequences set after. The checksums of every table must then
    equal the source's, or the whole copy is undone.
    """
    source = _open(source_url, "copied from")
    target = _open(target_url, "copied to")
    try:
        with _readable_source(source) as (reading, upgraded_from):
            _check_target(target)
            tables = _copy_into(target, reading, progress)
        return CopyResult(
            str(source.describe()), str(target.describe()), tables, upgraded_from=upgraded_from
        )
    finally:
        source.dispose()
        target.dispose()


def _open(url: str, role: str) -> Database:
    try:
        return Database(url)
    except DatabaseError as exc:
        raise CopyError(f"The database to be {role}: {exc} {NOTHING_COPIED}") from exc


@contextmanager
def _readable_source(source: Database) -> Iterator[tuple[Connection, str | None]]:
    """A connection reading the source in one snapshot, at the newest schema."""
    try:
        found = source.recognise()
    except DatabaseError as exc:
        raise CopyError(f"{exc} {NOTHING_COPIED}") from exc
    where = source.describe()
    if found.state in ("missing", "empty"):
        raise CopyError(f"There is no database of this program at {where}. {NOTHING_COPIED}")
    revision = found.revision
    if revision not in all_revisions():
        raise CopyError(
            f"The database at {where} was made by a newer version of THE Partnership Office "
            f"(schema {revision}); update the program first. {NOTHING_COPIED}"
        )
    path = source.sqlite_path
    if revision != head_revision():
        if path is None:
            raise CopyError(
                f"The database at {where} is at an older schema ({revision}); bring it up to "
                f"date first (thep-admin migrate). {NOTHING_COPIED}"
            )
        with tempfile.TemporaryDirectory(prefix="thep-copy-") as folder:
            upgraded = Path(folder) / "upgraded.sqlite3"
            _copy_file(path, upgraded)
            temporary = Database(upgraded)
            try:
                temporary.upgrade(backup=False)
            finally:
                temporary.dispose()
            with _sqlite_snapshot(upgraded) as conn:
                yield conn, revision
        return
    if path is not None:
        with _sqlite_snapshot(path) as conn:
            yield conn, None
        return
    with (
        source.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
    ):
        yield conn, None


def _copy_file(path: Path, target: Path) -> None:
    """The source file copied with the backup API, opened read-only: it is never written."""
    with (
        closing(sqlite3.connect(read_only_uri(path), uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def read_only_uri(path: Path) -> str:
    """How to read a SQLite file leaving nothing beside it: as immutable when no -wal file
    says a program has it open (a read-only open of a WAL file would leave -wal and -shm
    files behind), else read-only so the open program's latest saves are seen."""
    in_use = any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal"))
    return f"{path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}"


@contextmanager
def _sqlite_snapshot(path: Path) -> Iterator[Connection]:
    """A read-only connection to a SQLite file, inside one read transaction."""
    raw = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
    engine = create_engine(
        "sqlite://", creator=lambda: raw, poolclass=StaticPool, pool_reset_on_return=None
    )
    try:
        with engine.connect() as conn:
            raw.execute("BEGIN")  # one snapshot for every table, whoever writes meanwhile
            try:
                yield conn
            finally:
                raw.execute("ROLLBACK")
    finally:
        engine.dispose()
        raw.close()


def _check_target(target: Database) -> None:
    where = target.describe()
    path = target.sqlite_path
    if path is not None:
        if path.exists():
            raise CopyError(
                f"{path} already exists; a copy goes into a new file and never over an "
                f"existing one. {NOTHING_COPIED}"
            )
        return
    try:
        found = target.recognise()
    except DatabaseError as exc:
        raise CopyError(f"{exc} {NOTHING_COPIED}") from exc
    if found.state == "empty":
        return
    if target.read_only:
        raise CopyError(f"The server lets this user only read {where}. {NOTHING_COPIED}")
    with target.engine.connect() as conn:
        filled = [t.name for t in present_tables(conn) if conn.execute(t.select().limit(1)).first()]
    if filled:
        raise CopyError(
            f"The server database {where.location} already holds data (in "
            f"{', '.join(filled[:3])}); nothing was copied. Copy into a new, empty database."
        )


def _copy_into(
    target: Database, reading: Connection, progress: TableProgress | None
) -> list[CopiedTable]:
    path = target.sqlite_path
    made_file = False
    try:
        if path is not None:
            target.upgrade(create=True)  # a new file, at the newest schema
            made_file = True
        with target.engine.connect() as conn, conn.begin():
            if path is None:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
                _create_tables(conn)  # in this transaction: undone with the rows on failure
            return _copy_rows(reading, conn, progress)
    except BaseException:
        target.dispose()
        if made_file and path is not None:
            for leftover in (path, *(path.with_name(path.name + e) for e in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
        raise


def _create_tables(conn: Connection) -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _copy_rows(
    reading: Connection, conn: Connection, progress: TableProgress | None
) -> list[CopiedTable]:
    source_tables = present_tables(reading)
    target_tables = {t.name: t for t in present_tables(conn)}
    for table in source_tables:
        into = target_tables.get(table.name)
        if into is None or {c.name for c in into.columns} != {c.name for c in table.columns}:
            raise CopyError(
                f"The table {table.name} is not the same on both sides, so it cannot be copied "
                f"as it is. {NOTHING_COPIED}"
            )
        total = reading.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()
        names = [c.name for c in table.columns]
        rows = (dict(zip(names, row, strict=True)) for row in table_rows(reading, table))
        try:
            insert_rows(conn, into, rows, progress, total)
        except DBAPIError as exc:
            raise CopyError(
                f"The table {table.name} could not be copied: {driver_message(exc)}. "
                f"{NOTHING_COPIED}"
            ) from exc
        if progress is not None:
            progress(table.name, total, total)
    reset_sequences(conn, list(target_tables.values()))
    expected = table_checksums(reading)
    found = table_checksums(conn)
    problems = differences(expected, found)
    if problems:
        raise CopyError(
            "The copy did not match the original, so it was undone: "
            + "; ".join(problems)
            + f". {NOTHING_COPIED}"
        )
    return [_copied(name, s, found.get(name)) for name, s in expected.items()]


def _copied(name: str, expected: TableSum, found: TableSum | None) -> CopiedTable:
    return CopiedTable(name, expected.rows, expected.sha256, expected == found)
