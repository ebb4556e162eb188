"""Opening a database: engine, sessions, SQLite pragmas, migrations applied at start-up."""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from thep_desktop.database_recognition import (
    APPLICATION_ID,
    Found,
    recognise_server,
    recognise_sqlite_file,
)


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message is meant for the user."""


class NoDatabaseYet(DatabaseError):
    """Nothing is there to open yet: no SQLite file, or a server database without tables.

    Only a caller that means to create a database (``thep-admin init``, File > New database,
    the desktop program's first start) fills it; the others add their own advice to ``what``.
    """

    def __init__(self, what: str, *, on_server: bool) -> None:
        super().__init__(f"{what}.")
        self.what = what
        self.on_server = on_server


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def normalise_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL, a ``postgresql://`` URL or a plain path to a SQLite file."""
    value = url_or_path.strip()
    if "://" not in value:
        return sqlite_url(value)
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship in the ``postgres`` extra.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def sqlite_file_of(url_or_path: str) -> Path | None:
    """The file a SQLite address names, or None (a server, memory, or not an address)."""
    try:
        parsed = make_url(normalise_url(url_or_path))
    except Exception:  # not an address at all: opening it says so in words
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


@dataclass(frozen=True)
class ServerAddress:
    """Where the office's shared PostgreSQL database is, as a person types it."""

    host: str = "localhost"
    port: int = 5432
    database: str = "partnership"
    user: str = ""
    password: str = ""

    def url(self) -> str:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, url: str) -> ServerAddress | None:
        """The parts of a ``postgresql://`` address; None for anything else."""
        try:
            parsed = make_url(normalise_url(url))
        except Exception:  # an old setting we no longer understand
            return None
        if parsed.get_backend_name() != "postgresql":
            return None
        return cls(
            host=parsed.host or "localhost",
            port=parsed.port or 5432,
            database=parsed.database or "",
            user=parsed.username or "",
        )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # 32 MB of page cache (the default is 2 MB): an import of all of England's schools
    # updates four indexes of a 50,000-row table, which a small cache reads back from disk.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


@dataclass(frozen=True)
class DatabaseDescription:
    kind: str  # "sqlite" or "postgresql"
    location: str  # file path, or "server:port / database"

    def __str__(self) -> str:
        if self.kind == "sqlite":
            return f"Local file: {self.location}"
        return f"Server: {self.location}"


class Database:
    """One open database: an engine and the session factory services use.

    Services open one short session per user action with :meth:`session`; nothing keeps a
    session open across user actions.
    """

    def __init__(self, url: str | Path | URL, *, echo: bool = False) -> None:
        try:
            self.url = url if isinstance(url, URL) else make_url(normalise_url(str(url)))
        except ArgumentError as exc:
            raise DatabaseError(
                f"“{url}” is not a database address this program understands."
            ) from exc
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        # A SQLite file's folder is made only when a database is created (upgrade(create=True)).
        if not self.is_sqlite:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except NoSuchModuleError as exc:
            raise DatabaseError(
                f"This program has no driver for “{self.url.get_backend_name()}” databases."
            ) from exc
        except ModuleNotFoundError as exc:
            raise DatabaseError(
                "The PostgreSQL driver is not installed. Install it with: "
                'pip install "thep_desktop[postgres]"'
            ) from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _on_sqlite_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- sessions ---------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only; it is rolled back at the end."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()

    # -- description -------------------------------------------------------------------
    def describe(self) -> DatabaseDescription:
        if self.is_sqlite:
            return DatabaseDescription("sqlite", self.url.database or ":memory:")
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return DatabaseDescription("postgresql", f"{host}{port} / {self.url.database}")

    @property
    def sqlite_path(self) -> Path | None:
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @property
    def address(self) -> str:
        """The full address, password included (never write it to a file; see config)."""
        return self.url.render_as_string(hide_password=False)

    # -- schema ----------------------------------------------------------------------
    def check_connection(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the driver's own exception types differ per backend
            raise DatabaseError(f"Cannot open the database ({self.describe()}): {exc}") from exc

    def current_revision(self) -> str | None:
        """The schema revision the database is at (``None`` for a database never migrated).

        Read with plain SQL rather than through Alembic, so that opening a database that is
        already up to date does not load Alembic at all (a third of a second at start-up).
        """
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            found = list(versions)
        if len(found) > 1:
            raise DatabaseError(
                f"The database records more than one schema version ({', '.join(found)}); "
                "it cannot be opened safely."
            )
        return found[0] if found else None

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not inspect(conn).get_table_names()

    def needs_upgrade(self) -> bool:
        return self.current_revision() != head_revision()

    # -- recognising our own databases ---------------------------------------------------------
    def recognise(self) -> Found:
        """What is at this address, read without writing: ours, missing/empty, or refused.

        Raises :class:`DatabaseError` in words for another program's database or a damaged
        file, having changed nothing (a SQLite file is read as bytes and then read-only).
        """
        path = self.sqlite_path
        if self.is_sqlite:
            found = Found("empty") if path is None else recognise_sqlite_file(path)
        else:
            self.check_connection()  # a server that cannot be reached is said in its words
            with self.engine.connect() as conn:
                found = recognise_server(conn)
        where = str(path) if path is not None else f"The database ({self.describe()})"
        if found.state == "foreign":
            raise DatabaseError(
                f"{where} is not a THE Partnership Office database: {found.detail}. "
                "It was not opened, and nothing in it was changed."
            )
        if found.state == "damaged":
            raise DatabaseError(
                f"{where} is empty or damaged, so it cannot be opened; restore it from a "
                f"backup ({self._where_backups_are()}). The file was left exactly as it is. "
                f"(What was found: {found.detail}.)"
            )
        if found.state == "unreadable":
            raise DatabaseError(f"{where} cannot be read: {found.detail}.")
        return found

    def _where_backups_are(self) -> str:
        path = self.sqlite_path
        kept = sorted(path.parent.glob(f"{path.stem}.before-*{path.suffix}")) if path else []
        if kept:
            return (
                "your office's backup of it, or the copy this program kept when it last "
                f"upgraded it: {kept[-1]}"
            )
        return "your office's backup of the file, or an earlier copy of it"

    def _no_database_yet(self) -> NoDatabaseYet:
        path = self.sqlite_path
        if path is not None:
            return NoDatabaseYet(f"There is no database file at {path}", on_server=False)
        return NoDatabaseYet(
            f"The database ({self.describe()}) has no tables yet", on_server=not self.is_sqlite
        )

    # -- creating and upgrading -------------------------------------------------------------------
    def upgrade(
        self, *, backup: bool = True, create: bool = False, found: Found | None = None
    ) -> Path | None:
        """Bring a database of ours to the newest schema, or create one where ``create`` says so.

        The address is recognised first (``found``, when the caller has just done that): a
        database of another program or a damaged file is refused, and nothing is created
        unless ``create`` is true. A SQLite file that already holds data is copied first
        (``name.before-<rev>-<time>``) and the copy stays. Every migration runs in one
        transaction: if one fails, the database is exactly as it was. Returns the copy's path.
        """
        found = found if found is not None else self.recognise()
        if found.state in ("missing", "empty"):
            if not create:
                raise self._no_database_yet()
            self._create()
            return None
        current = found.revision
        head = head_revision()
        if current == head:
            if self.is_sqlite and not found.marked:
                self._mark_as_ours()
            return None
        if current not in all_revisions():
            raise DatabaseError(
                "This database was made by a newer version of THE Partnership Office "
                f"(schema {current}). Please update the program before opening it."
            )
        backup_path = None
        path = self.sqlite_path
        if backup and path is not None:
            backup_path = self._backup_sqlite(path, str(current))
        try:
            self._migrate()
        except Exception as exc:
            kept = f" A copy of it as it was is kept at {backup_path}." if backup_path else ""
            raise DatabaseError(
                f"The database ({self.describe()}) could not be brought up to date from schema "
                f"{current} to {head}: {_reason(exc)}. Nothing in it was changed.{kept}"
            ) from exc
        return backup_path

    def _create(self) -> None:
        """Make the tables (and a SQLite file) in one transaction; undo all of it on failure."""
        path = self.sqlite_path
        made_folders: list[Path] = []
        if path is not None:
            made_folders = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._migrate()
        except Exception as exc:
            # The file is new and of no use half-made: take it away again, unless another
            # program of ours made it whole meanwhile (two first starts at once).
            if path is not None and recognise_sqlite_file(path).state != "ours":
                for leftover in _sqlite_files(path):
                    leftover.unlink(missing_ok=True)
                for folder in made_folders:  # innermost first; only if still empty
                    try:
                        folder.rmdir()
                    except OSError:
                        break
            raise DatabaseError(
                f"A new database ({self.describe()}) could not be set up: {_reason(exc)}. "
                "Nothing was created."
            ) from exc

    def _migrate(self) -> None:
        """Every pending migration and the SQLite mark, in one transaction."""
        from alembic import command

        engine = self._migration_engine()
        try:
            with engine.begin() as connection:
                broken_before = _broken_references(connection) if self.is_sqlite else Counter()
                cfg = alembic_config()
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                if self.is_sqlite:
                    broken = _broken_references(connection) - broken_before
                    if broken:
                        tables = ", ".join(sorted({child for child, _parent in broken}))
                        raise DatabaseError(f"rows of {tables} would lose what they refer to")
                    # In the same transaction as the tables: a file is marked only when whole.
                    connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        finally:
            if engine is not self.engine:
                engine.dispose()

    def _migration_engine(self) -> Engine:
        """An engine whose transactions really hold DDL.

        PostgreSQL's DDL is transactional as it is. Python's sqlite3 module, left to itself,
        runs CREATE/ALTER/DROP outside any transaction (it only opens one before INSERT,
        UPDATE or DELETE), so a failed migration would leave some tables made: this engine
        turns that off and begins the transaction itself (SQLAlchemy's pysqlite recipe).
        Only migrations use it: everyday sessions keep their tried locking behaviour.
        """
        if not self.is_sqlite:
            return self.engine
        engine = create_engine(self.url, poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            _on_sqlite_connect(dbapi_connection, record)
            # SQLite's own procedure for changing tables: foreign keys off (batch mode drops
            # and re-creates tables, which would otherwise cascade), then checked before the
            # commit (see _migrate). The pragma cannot change inside a transaction, so here.
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # IMMEDIATE: take the write lock before the first change, so a colleague's
            # program waits for the upgrade instead of failing half-way through it.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def _mark_as_ours(self) -> None:
        """Give an older file of ours (made before the mark existed) the application id."""
        try:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        except OperationalError:
            # A file that cannot be written (read-only) is still recognised by its schema
            # version; the mark is added the next time it can be.
            pass

    def _backup_sqlite(self, path: Path, revision: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
        # The SQLite backup API copies a consistent snapshot, WAL contents included.
        import sqlite3

        with sqlite3.connect(path) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target


# -- alembic helpers ----------------------------------------------------------------------
def migrations_path() -> Path:
    return Path(str(resources.files("thep_desktop") / "migrations"))


def alembic_config(connectable: Engine | None = None) -> Any:
    from alembic.config import Config

    # Alembic's default for stdout is bound when alembic is first imported; pass the
    # current stream so messages never go to a stream that has since been closed.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(migrations_path()))
    if connectable is not None:
        cfg.attributes["connectable"] = connectable
    return cfg


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*(?:['"]([^'"]+)['"]|None)""", re.M)
_graph_cache: dict[str, str | None] = {}


def revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the revision files.

    The files are read as text instead of through Alembic's script directory so that the
    start-up check "is this database up to date?" costs a directory listing; a test checks
    that this agrees with Alembic.
    """
    if not _graph_cache:
        for path in sorted((migrations_path() / "versions").glob("*.py")):
            found = dict(
                (m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))
            )
            if "revision" in found and found["revision"]:
                _graph_cache[found["revision"]] = found.get("down_revision")
    return _graph_cache


def head_revision() -> str:
    graph = revision_graph()
    followed = {down for down in graph.values() if down}
    heads = [rev for rev in graph if rev not in followed]
    if len(heads) != 1:
        raise DatabaseError(f"The program's migrations have {len(heads)} heads: {heads}")
    return heads[0]


def all_revisions() -> set[str]:
    return set(revision_graph())


def _broken_references(connection: Any) -> Counter[tuple[str, str]]:
    """How many rows of each table refer to a row that is not there (child, parent)."""
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    return Counter((str(row[0]), str(row[2])) for row in rows)


def _sqlite_files(path: Path) -> list[Path]:
    """A SQLite file and the files SQLite keeps beside it."""
    return [path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))]


def _reason(exc: BaseException) -> str:
    """A failure in one line: the driver's own message, without SQLAlchemy's statement dump."""
    original = getattr(exc, "orig", None)
    message = str(original if original is not None else exc).strip()
    return message.splitlines()[0].rstrip(".") if message else type(exc).__name__


def copy_database_file(source: Path, target: Path) -> None:
    """Copy a SQLite database file (used by backups and tests)."""
    shutil.copyfile(source, target)
