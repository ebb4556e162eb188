"""Opening a database: engine, sessions, SQLite pragmas, migrations applied at start-up."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy import __version__ as _SQLALCHEMY_VERSION
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from thep_desktop import audit_trail
from thep_desktop.computer_login import computer_login
from thep_desktop.database_locks import LockWait, take_write_lock
from thep_desktop.database_recognition import (
    APPLICATION_ID,
    Found,
    recognise_server,
    recognise_sqlite_file,
)
from thep_desktop.installation import migration_graph, migrations_dir
from thep_desktop.network_drives import network_location

# The errors live with the other errors services raise; Database.session() raises them.
from thep_desktop.services.shared.errors import ReadOnlyDatabaseError, ServerUnavailableError


def sqlalchemy_version() -> str:
    """The SQLAlchemy the program runs on, for Help > About (the windows do not import it)."""
    return _SQLALCHEMY_VERSION


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message is meant for the user.

    ``reason`` is the why on its own (without "Cannot open the database (…)"), where known.
    """

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class PasswordRefusedError(DatabaseError):
    """The server refused the password (or was given none); ask the person for it again."""

    def __init__(self, message: str, *, user: str, reason: str = "") -> None:
        super().__init__(message, reason=reason)
        self.user = user


class NoDatabaseYet(DatabaseError):
    """Nothing is there to open yet: no SQLite file, or a server database without tables.

    Only a caller that means to create a database (``thep-admin init``, File > New database,
    the desktop program's first start) fills it; the others add their own advice to ``what``.
    """

    def __init__(self, what: str, *, on_server: bool) -> None:
        super().__init__(f"{what}.")
        self.what = what
        self.on_server = on_server


# What the person can do about an address this program cannot use, said once for every case.
ADDRESS_HELP = (
    "Give the path of a SQLite database file, or a server address such as "
    "postgresql://user@server:5432/partnership."
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_SPACED_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*\s*:\s*/\s*/")
_KEYWORD_FORM = re.compile(r"^(host|hostaddr|port|dbname|user|password)\s*=", re.IGNORECASE)
# Query parameters that carry a secret; libpq and psycopg accept a password in the query.
SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
_LONGEST_NAME = 255  # one file or folder name, on NTFS and ext4 alike
_LONGEST_PATH = 4095  # a whole path on Linux; Windows allows longer with long paths on


def shown_address(value: str, limit: int = 120) -> str:
    """An address as it may appear in a message: password hidden, cut to ``limit`` characters."""
    text = re.sub(r"([^/@?#\s:]*):[^/@?#\s]*@", r"\1:***@", value)
    text = re.sub(r"((?:^|[?&\s])(?:ssl)?password\s*=\s*)[^&\s]*", r"\1***", text, flags=re.I)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def absolute_path(text: str, *, windows: bool | None = None, cwd: str | None = None) -> PurePath:
    """The file a path names, made absolute once against the current folder.

    ``windows`` reads the path as Windows does (``C:\\office\\x.sqlite3``, ``C:/office``); by
    default as this computer does. A relative path is resolved here, once, so that every
    message and every piece of advice names the file that is actually used.
    """
    on_windows = os.name == "nt"
    windows = on_windows if windows is None else windows
    if windows == on_windows and cwd is None:
        return Path(text).expanduser().resolve()
    flavour: type[PurePath] = PureWindowsPath if windows else PurePosixPath
    path = flavour(text)
    return path if path.is_absolute() else flavour(cwd or os.getcwd()) / path


def _check_path_length(path: PurePath, windows: bool) -> None:
    def size(name: str) -> int:
        return len(name) if windows else len(name.encode("utf-8", "surrogateescape"))

    longest = max(path.parts, key=size, default="")
    if size(longest) > _LONGEST_NAME:
        raise DatabaseError(
            f"The name “{shown_address(longest, 40)}” in the database's path is too long: a "
            f"file or folder name can have at most {_LONGEST_NAME} characters."
        )
    if not windows and size(str(path)) > _LONGEST_PATH:
        raise DatabaseError(
            f"The database's path ({shown_address(str(path), 60)}) is too long for this "
            "computer to open."
        )


def sqlite_url(path: Path | str, *, windows: bool | None = None, cwd: str | None = None) -> str:
    """The address of a SQLite file, its path made absolute."""
    windows = os.name == "nt" if windows is None else windows
    absolute = absolute_path(str(path), windows=windows, cwd=cwd)
    _check_path_length(absolute, windows)
    return f"sqlite:///{absolute}"


def normalise_url(url_or_path: str, *, windows: bool | None = None, cwd: str | None = None) -> str:
    """The address to open, from a ``postgresql://`` address, a ``sqlite:///`` one or a path.

    Raises :class:`DatabaseError` with one sentence for anything this program cannot use:
    a malformed address, a database other than SQLite or PostgreSQL, a control character.
    A SQLite path comes back absolute, so messages name the file actually used.
    """
    value = url_or_path.strip()
    shown = shown_address(value)
    if not value:
        raise DatabaseError(f"No database was named. {ADDRESS_HELP}")
    if any(not c.isprintable() for c in value):
        raise DatabaseError(
            f"The database address “{shown}” holds a character that cannot be typed (such as a "
            f"NUL or a line break), so it cannot name a file or a server. {ADDRESS_HELP}"
        )
    if _KEYWORD_FORM.match(value):
        raise DatabaseError(
            "This program takes a PostgreSQL server as an address, not as "
            f"“host=… dbname=…” settings. {ADDRESS_HELP}"
        )
    scheme = _SCHEME.match(value)
    if scheme is None and ("://" in value or _SPACED_SCHEME.match(value)):
        # "postgresql : //…" is an address typed with spaces: no file path holds "://".
        raise DatabaseError(
            f"“{shown}” is not a database address this program understands. {ADDRESS_HELP}"
        )
    if scheme is None or (len(scheme.group(1)) == 1 and "://" not in value):
        return sqlite_url(value, windows=windows, cwd=cwd)  # a path (C: is a drive, not a scheme)
    rest = value[scheme.end() :]
    backend = scheme.group(1).lower().split("+")[0]
    if not rest.startswith("//"):
        raise DatabaseError(
            f"“{shown}” is not a database address this program understands. {ADDRESS_HELP}"
        )
    if backend in ("postgresql", "postgres"):
        return _postgresql_url(value, rest, shown)
    if backend == "sqlite":
        return _sqlite_address(rest, shown, windows, cwd)
    raise DatabaseError(
        "This program works with a SQLite file or a PostgreSQL server; "
        f"“{backend}” databases are not supported."
    )


def _postgresql_url(value: str, rest: str, shown: str) -> str:
    parts = urlsplit(value)
    hostport = parts.netloc.rpartition("@")[2]
    if any(c.isspace() for c in hostport):
        raise DatabaseError(
            f"The server in “{shown}” has a space in it; a server's name or address has none."
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        typed = hostport.rpartition(":")[2]
        raise DatabaseError(
            f"“{shown_address(typed, 20)}” is not a port number: a port is a whole number from 1 "
            "to 65535, usually 5432."
        )
    query = parse_qs(parts.query)
    if not parts.hostname and "host" not in query:
        raise DatabaseError(
            f"The address “{shown}” names no server; it is written as "
            "postgresql://user@server:5432/partnership."
        )
    if not parts.path.strip("/") and "dbname" not in query:
        raise DatabaseError(
            f"The address “{shown}” names no database on the server; add it after the server, "
            "as in postgresql://user@server:5432/partnership."
        )
    # psycopg 3 is the driver we ship in the ``postgres`` extra, whatever driver was named.
    url = "postgresql+psycopg:" + rest
    try:
        make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"“{shown}” is not a database address this program understands. {ADDRESS_HELP}"
        ) from exc
    return url


def _sqlite_address(rest: str, shown: str, windows: bool | None, cwd: str | None) -> str:
    path, _mark, query = rest[2:].partition("?")
    if not path.startswith("/"):
        raise DatabaseError(
            f"“{shown}” names no database file: a SQLite address is sqlite:/// followed by the "
            "file's path, or give the path on its own."
        )
    path = path[1:]
    if not path or path == ":memory:":
        raise DatabaseError(
            f"“{shown}” names no database file (a database in memory would be lost when the "
            "program closes). Give the path of a SQLite database file."
        )
    url = sqlite_url(path, windows=windows, cwd=cwd)
    return f"{url}?{query}" if query else url


def sqlite_file_of(url_or_path: str) -> Path | None:
    """The file a SQLite address names, or None (a server, or not an address we can use)."""
    try:
        parsed = make_url(normalise_url(url_or_path))
    except (DatabaseError, ArgumentError, ValueError):  # opening it says why in words
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
    ssl_mode: str = "prefer"  # libpq's sslmode: disable, prefer, require, verify-full

    def url(self) -> str:
        # prefer is libpq's own default: an address without it stays as people write it.
        query = {} if self.ssl_mode in ("", "prefer") else {"sslmode": self.ssl_mode}
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    @property
    def credential_key(self) -> str:
        """Whose password, for where: the name a password is kept under (user@host:port/db)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: str) -> ServerAddress | None:
        """The parts of a ``postgresql://`` address but its password; None for anything else."""
        try:
            parsed = make_url(normalise_url(url))
        except Exception:  # an old setting we no longer understand
            return None
        if parsed.get_backend_name() != "postgresql":
            return None
        ssl_mode = parsed.query.get("sslmode", "prefer")
        return cls(
            host=parsed.host or "localhost",
            port=parsed.port or 5432,
            database=parsed.database or "",
            user=parsed.username or "",
            ssl_mode=ssl_mode if isinstance(ssl_mode, str) else "prefer",
        )


def driver_message(exc: BaseException) -> str:
    """A driver's message on one line, without SQLAlchemy's class names and help links."""
    text = str(exc.orig) if isinstance(exc, DBAPIError) else str(exc)
    text = re.sub(r"\(Background on this error at: [^)]*\)", "", text)
    text = re.sub(r"\((?:[A-Za-z_]+\.)+[A-Za-z]*Error\)\s*", "", text)
    return " ".join(text.split())


# The oldest PostgreSQL this program supports (server_version_num): 13 is the oldest release
# its makers still kept up to date when this was written, and the oldest the program is tried on.
OLDEST_SERVER_VERSION_NUM = 130000
# How long a connection waits for a server that does not answer (a switched-off computer, a
# firewall that drops packets) before saying so: short enough that the window never seems hung.
CONNECT_TIMEOUT_SECONDS = 5

# A connection the server dropped or cannot make, as psycopg and libpq word it. The refusals
# of a server that answered (wrong password, no such database) are not among them.
_LOST_CONNECTION = re.compile(
    r"server closed the connection|terminating connection|connection refused|"
    r"timeout expired|timed out|connection is (?:closed|lost)|no connection to the server|"
    r"consuming input failed|could not (?:receive|send) data|connection reset|broken pipe|"
    r"ssl syscall|ssl connection has been closed|network is unreachable|no route to host|"
    r"the database system is (?:shutting down|starting up|in recovery mode)|"
    r"failed to resolve host|could not translate host name|name or service not known",
    re.IGNORECASE,
)


def is_lost_connection(exc: BaseException) -> bool:
    """Whether a failure means the server went away (or cannot be reached), not a refusal."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        return _LOST_CONNECTION.search(driver_message(exc)) is not None
    return False


def connection_problem(exc: BaseException, url: URL) -> str:
    """Why a connection to a server failed, in words a school business manager can act on."""
    found = driver_message(exc)
    said = found.lower()
    host = url.host or "localhost"
    port = url.port or 5432
    user = url.username or "(no user name)"
    ssl_mode = url.query.get("sslmode", "prefer")
    if "password authentication failed" in said or "no password supplied" in said:
        return f"The server refused the password for {user}."
    database = re.search(r'database "([^"]*)" does not exist', found)
    if database:
        return (
            f"The server {host} has no database called “{database.group(1)}”. Check the "
            "database's name with whoever looks after the server."
        )
    role = re.search(r'role "([^"]*)" does not exist', found)
    if role:
        return f"The server {host} has no user called “{role.group(1)}”."
    if "no pg_hba.conf entry" in said:
        return (
            f"The server {host} does not let {user} connect from this computer (its "
            "pg_hba.conf has no entry for it). Ask whoever looks after the server to allow it."
        )
    if "server does not support ssl" in said:
        return (
            f"This connection requires an encrypted link (SSL mode “{ssl_mode}”), but the "
            f"server {host} does not offer one. Ask whoever looks after the server to turn SSL "
            "on, or choose the SSL mode “prefer”."
        )
    if "certificate" in said or "root cert" in said:
        return (
            f"The server {host}'s certificate could not be checked (SSL mode “{ssl_mode}”): {found}"
        )
    if "connection refused" in said:
        return (
            f"Nothing answers at {host} on port {port}: the database server is not running "
            "there, or the port is wrong."
        )
    if "timeout expired" in said or "timed out" in said:
        return (
            f"The server {host} did not answer within {CONNECT_TIMEOUT_SECONDS} seconds: it may "
            "be switched off, or a firewall stops the connection."
        )
    if any(
        words in said
        for words in ("failed to resolve host", "could not translate host name", "not known")
    ):
        return f"No computer called “{host}” could be found on the network. Check its name."
    if "too many connections" in said or "too many clients" in said:
        return f"The server {host} has too many connections open; try again in a minute."
    if "shutting down" in said or "starting up" in said:
        return f"The server {host} is starting up or shutting down; try again in a minute."
    return f"The server {host} could not be reached: {found}"


def server_version_problem(version_num: int, version: str) -> str | None:
    """Why a server is too old for this program, or None when it is new enough."""
    if version_num >= OLDEST_SERVER_VERSION_NUM:
        return None
    oldest = OLDEST_SERVER_VERSION_NUM // 10000
    return (
        f"The server runs PostgreSQL {version}, which this program does not support: it needs "
        f"PostgreSQL {oldest} or newer. Ask whoever looks after the server to upgrade it. "
        "Nothing was changed."
    )


def _refused_as_read_only(exc: DBAPIError) -> bool:
    """Whether the driver refused a write because the database may only be read."""
    orig = exc.orig
    if getattr(orig, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
        return True
    return getattr(orig, "sqlstate", None) == "25006"  # PostgreSQL: read-only transaction


def _sqlite_pragmas(dbapi_connection: Any, *, read_only: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if read_only:
        # No WAL or synchronous settings: they would write. query_only refuses every write
        # even where the file's permissions would allow it (root, or a share that misreports).
        cursor.execute("PRAGMA query_only=ON")
    else:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # 32 MB of page cache (the default is 2 MB): an import of all of England's schools
    # updates four indexes of a 50,000-row table, which a small cache reads back from disk.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def _on_read_only_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, read_only=True)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, read_only=False)


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
                f"“{shown_address(str(url))}” is not a database address this program "
                f"understands. {ADDRESS_HELP}"
            ) from exc
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # Set when the file, its folder or the server lets this user read only: every write
        # is then refused in words by session(), and the window says so.
        self.read_only = False
        engine_url = self.url
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                engine_url = self._check_sqlite_file(Path(self.url.database))
        else:
            # A connection the server dropped (a restart, a network break) is found and
            # replaced as it is taken from the pool, instead of failing the next save.
            kwargs["pool_pre_ping"] = True
            if "connect_timeout" not in self.url.query:
                kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        try:
            self.engine: Engine = create_engine(engine_url, **kwargs)
        except NoSuchModuleError as exc:
            raise DatabaseError(
                "This program works with a SQLite file or a PostgreSQL server; "
                f"“{self.url.get_backend_name()}” databases are not supported."
            ) from exc
        except ModuleNotFoundError as exc:
            raise DatabaseError(
                "The PostgreSQL driver is not installed. Install it with: "
                'pip install "thep_desktop[postgres]"'
            ) from exc
        if self.is_sqlite:
            on_connect = _on_read_only_sqlite_connect if self.read_only else _on_sqlite_connect
            event.listen(self.engine, "connect", on_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Every change made through these sessions is written to the audit trail.
        audit_trail.install(self._sessions, computer_login)
        self.lock_wait = LockWait()  # how saves wait for each other (database_locks.py)
        # Run at the end of a migration, in its transaction (the server's grants for the
        # tables it made): a failure there undoes the migration too. Its result is kept.
        self.after_migrations: Callable[[Connection], str] | None = None
        self.after_migrations_said: str | None = None
        # Told (from whichever thread found it) when a read or save finds the server gone:
        # the window then says so and keeps trying until the server is back.
        self.on_unavailable: Callable[[], None] | None = None

    def _check_sqlite_file(self, path: Path) -> URL:
        """Say in words why a file cannot be used; the address to open it read-only if so."""
        if path.is_dir():
            raise DatabaseError(
                f"{path} is a folder, not a database file. Choose the database file inside it "
                "(its name ends in .sqlite3)."
            )
        try:
            path.stat()
        except FileNotFoundError:
            return self._check_new_file(path)
        except OSError as exc:
            raise DatabaseError(
                f"The database file {path} cannot be reached: {exc.strerror}."
            ) from exc
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            return self.url
        # SQLite writes beside the file too (its -wal and -shm files), so a folder that
        # cannot be written makes the database read-only as much as the file itself does.
        self.read_only = True
        uri = path.as_uri()
        for query in ({"mode": "ro"}, {"mode": "ro", "immutable": "1"}):
            # A WAL database in a read-only folder cannot make its -shm file; opened as
            # immutable it is read without one.
            try:
                with closing(sqlite3.connect(f"{uri}?{urlencode(query)}", uri=True)) as probe:
                    probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                continue
            return URL.create("sqlite", database=uri, query={**query, "uri": "true"})
        raise DatabaseError(f"The database file {path} cannot be read by this user.")

    def _check_new_file(self, path: Path) -> URL:
        # No file yet. Only a caller that creates a database makes it and its folder (see
        # _create); here, say early when that could never work.
        folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
        if folder is not None and (not folder.is_dir() or not os.access(folder, os.W_OK)):
            raise DatabaseError(
                f"There is no database file at {path}, and a new one cannot be made there "
                f"because {folder} cannot be written to."
            )
        return self.url

    # -- sessions ---------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for saving, in one transaction: committed on success, rolled back on any error.

        It holds the write lock from its start (one save at a time, see database_locks.py).
        On a database this user may only read, any write is refused here, for every
        service at once, with a :class:`ReadOnlyDatabaseError` the forms show like any other.
        """
        try:
            with self._sessions.begin() as session:
                if not self.read_only:  # nothing to wait for where nothing can be written
                    take_write_lock(session, self.lock_wait)
                yield session
        except DBAPIError as exc:
            self._raise_if_server_gone(exc)
            if not _refused_as_read_only(exc):
                raise
            self.read_only = True
            raise ReadOnlyDatabaseError(self.read_only_message()) from None

    def read_only_message(self) -> str:
        if self.is_sqlite:
            why = f"the file {self.sqlite_path} or its folder cannot be written to by this user"
        else:
            why = f"the server {self.describe().location} lets this user read only"
        return f"Changes cannot be saved: {why}. Nothing was changed."

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only; it is rolled back at the end."""
        session = self._sessions()
        try:
            yield session
        except DBAPIError as exc:
            self._raise_if_server_gone(exc)
            raise
        finally:
            session.rollback()
            session.close()

    def _raise_if_server_gone(self, exc: DBAPIError) -> None:
        """A server that went away becomes one error, in words, for every service at once.

        The session's transaction was rolled back (or died with the connection), so nothing
        of the step was saved. The pool's dead connections are dropped here, and every later
        connection is checked first (pool_pre_ping), so once the server is back the next read
        or save simply works: nobody reconnects by hand.
        """
        if self.is_sqlite or not is_lost_connection(exc):
            return
        self.engine.dispose()
        if self.on_unavailable is not None:
            self.on_unavailable()
        raise ServerUnavailableError(self.url.host or "localhost") from exc

    def is_reachable(self) -> bool:
        """Whether the server answers now (with a fresh connection); never raises."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means "not yet"
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()

    # -- description -------------------------------------------------------------------
    def describe(self) -> DatabaseDescription:
        if self.is_sqlite:
            return DatabaseDescription("sqlite", self.url.database or ":memory:")
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return DatabaseDescription("postgresql", f"{host}{port} / {self.url.database}")

    @cached_property
    def network_location(self) -> str | None:
        """Where a SQLite file lies on a network drive (see network_drives), else None."""
        path = self.sqlite_path
        return None if path is None else network_location(path)

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
    def check_connection(self) -> str:
        """Connect once, or say in words why not; a server's PostgreSQL version ("" for SQLite).

        A server older than OLDEST_SERVER_VERSION_NUM is refused here, so the window,
        thep-admin and Test connection all refuse it alike. A refused password raises
        :class:`PasswordRefusedError`, so the window can ask for it again.
        """
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                if self.is_sqlite:
                    return ""
                # A standby server, or a user allowed to read only.
                shown = conn.execute(text("SHOW transaction_read_only")).scalar()
                self.read_only = self.read_only or shown == "on"
                version = str(conn.execute(text("SHOW server_version")).scalar())
                version_num = int(conn.execute(text("SHOW server_version_num")).scalar() or 0)
        except Exception as exc:  # the driver's own exception types differ per backend
            if self.is_sqlite:
                why = driver_message(exc)
            else:
                why = connection_problem(exc, self.url)
            message = f"Cannot open the database ({self.describe()}): {why}"
            if why.startswith("The server refused the password"):
                user = self.url.username or ""
                raise PasswordRefusedError(message, user=user, reason=why) from exc
            raise DatabaseError(message, reason=why) from exc
        problem = server_version_problem(version_num, version)
        if problem is not None:
            raise DatabaseError(
                f"Cannot open the database ({self.describe()}): {problem}", reason=problem
            )
        return version.split()[0]

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
        if self.read_only:
            what = "set up" if current is None else "updated for this version of the program"
            raise DatabaseError(
                f"The database ({self.describe()}) needs to be {what}, but "
                + self.read_only_message().removeprefix("Changes cannot be saved: ")
            )
        backup_path = None
        path = self.sqlite_path
        if backup and path is not None:
            backup_path = self._backup_sqlite(path, str(current))
        try:
            self._migrate()
        except Exception as exc:
            kept = ""
            if backup_path is not None:
                if self._unchanged_since(current):
                    # The transaction was undone, so the file is the copy's equal: keeping a
                    # copy at every attempt would fill the disk as the program is restarted.
                    backup_path.unlink(missing_ok=True)
                else:
                    kept = f" A copy of it as it was is kept at {backup_path}."
            raise DatabaseError(
                f"The database ({self.describe()}) could not be brought up to date from schema "
                f"{current} to {head}: {_reason(exc)}. Nothing in it was changed.{kept}"
            ) from exc
        return backup_path

    def _unchanged_since(self, revision: str | None) -> bool:
        """After a failed upgrade: is the file still ours, whole, at ``revision``?"""
        path = self.sqlite_path
        if path is None:
            return False
        try:
            found = recognise_sqlite_file(path)
        except Exception:  # noqa: BLE001 - anything unreadable keeps the copy
            return False
        return found.state == "ours" and found.revision == revision

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
                if self.after_migrations is not None:
                    self.after_migrations_said = self.after_migrations(connection)
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
        with sqlite3.connect(path) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target


# -- alembic helpers ----------------------------------------------------------------------
def migrations_path() -> Path:
    return migrations_dir()


def alembic_config(connectable: Engine | None = None) -> Any:
    from alembic.config import Config

    # Alembic's default for stdout is bound when alembic is first imported; pass the
    # current stream so messages never go to a stream that has since been closed.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(migrations_path()))
    if connectable is not None:
        cfg.attributes["connectable"] = connectable
    return cfg


_graph_cache: dict[str, str | None] = {}


def revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the revision files.

    The files are read as text instead of through Alembic's script directory so that the
    start-up check "is this database up to date?" costs a directory listing; a test checks
    that this agrees with Alembic. A gap in the chain is a damaged installation, said so.
    """
    if not _graph_cache:
        _graph_cache.update(migration_graph())
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
