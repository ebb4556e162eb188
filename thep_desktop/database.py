"""Opening a database: engine, sessions, SQLite pragmas, migrations applied at start-up."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from thep_desktop.database_locks import LockWait, take_write_lock


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message is meant for the user."""


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
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        else:
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
        self.lock_wait = LockWait()  # how saves wait for each other (database_locks.py)

    # -- sessions ---------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for saving, in one transaction: committed on success, rolled back on any error.

        It holds the write lock from its start (one save at a time, see database_locks.py).
        """
        with self._sessions.begin() as session:
            take_write_lock(session, self.lock_wait)
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

    def upgrade(self, *, backup: bool = True) -> Path | None:
        """Bring the schema to the newest revision.

        A SQLite file that already holds data is copied first (``name.before-<rev>-<time>``)
        so that a failed upgrade never costs the office its data. Returns the backup path.
        """
        self.check_connection()
        current = self.current_revision()
        head = head_revision()
        if current == head:
            return None
        if current is not None and current not in all_revisions():
            raise DatabaseError(
                "This database was made by a newer version of THE Partnership Office "
                f"(schema {current}). Please update the program before opening it."
            )
        backup_path = None
        path = self.sqlite_path
        if backup and path is not None and path.exists() and current is not None:
            backup_path = self._backup_sqlite(path, current)
        from alembic import command

        command.upgrade(alembic_config(self.engine), "head")
        return backup_path

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


def copy_database_file(source: Path, target: Path) -> None:
    """Copy a SQLite database file (used by backups and tests)."""
    shutil.copyfile(source, target)
