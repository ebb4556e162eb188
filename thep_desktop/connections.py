"""Saved connections to office servers, and their passwords in the computer's credential store.

A connection (its name, server, port, database, user and SSL mode) is kept in the settings
file; its password never is. A password the person asks to be remembered goes into the
operating system's credential store through ``keyring`` (Windows Credential Manager on the
office PCs, the Keychain on a Mac, the Secret Service on Linux), under the service
"THE Partnership Office" and the name ``user@host:port/database``. Where no store works, or it
fails in any way, the password is simply asked for again: a credential store is a help,
never a reason to stop.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

from thep_desktop import config
from thep_desktop.database import Database, DatabaseError, PasswordRefusedError, ServerAddress

# The credential store's "service": every password this program keeps is filed under it.
KEYRING_SERVICE = config.APP_NAME
SSL_MODES = ("disable", "prefer", "require", "verify-full")
SSL_MODE_HELP = {
    "disable": "never encrypted (only inside a trusted office network)",
    "prefer": "encrypted when the server offers it (the usual choice)",
    "require": "always encrypted; refused if the server cannot",
    "verify-full": "always encrypted, and the server's certificate and name are checked",
}
_SETTING = "connections"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SavedConnection:
    """One office server as the person named it in the server dialog (no password)."""

    name: str
    host: str = "localhost"
    port: int = 5432
    database: str = "partnership"
    user: str = ""
    ssl_mode: str = "prefer"

    def address(self, password: str = "") -> ServerAddress:
        return ServerAddress(
            host=self.host,
            port=self.port,
            database=self.database,
            user=self.user,
            password=password,
            ssl_mode=self.ssl_mode,
        )

    @property
    def credential_key(self) -> str:
        return self.address().credential_key

    def described(self) -> str:
        """How the connection is named to the person: its name and where it goes."""
        where = f"{self.user}@{self.host}:{self.port}/{self.database}"
        return where if self.name == where else f"“{self.name}” ({where})"

    @classmethod
    def from_setting(cls, value: object) -> SavedConnection | None:
        """A connection read back from the settings file; None for one we cannot read."""
        if not isinstance(value, dict):
            return None
        known = {f.name for f in fields(cls)}
        kept = {k: v for k, v in value.items() if k in known}
        try:
            connection = cls(**kept)
        except TypeError:  # no name
            return None
        if not isinstance(connection.name, str) or not connection.name.strip():
            return None
        if not isinstance(connection.port, int) or not 1 <= connection.port <= 65535:
            return None
        if connection.ssl_mode not in SSL_MODES:
            connection = cls(**{**kept, "ssl_mode": "prefer"})
        return connection

    @classmethod
    def from_url(cls, url: str, name: str = "") -> SavedConnection | None:
        """The connection an address names (a recent database, ``--db``); None for a file."""
        address = ServerAddress.from_url(url)
        if address is None:
            return None
        key = address.credential_key
        return cls(
            name=name or key,
            host=address.host,
            port=address.port,
            database=address.database,
            user=address.user,
            ssl_mode=address.ssl_mode if address.ssl_mode in SSL_MODES else "prefer",
        )


@dataclass(frozen=True)
class ServerLogin:
    """A server to open: its address without a password, the password typed (if any), and
    whether the person wants it remembered once the server has accepted it (None: leave the
    credential store as it is)."""

    url: str
    password: str = ""
    remember: bool | None = True

    @classmethod
    def from_url(cls, url: str) -> ServerLogin:
        """An address as given (``--db``, a recent database): a password in it is used, and
        not remembered (it was not typed into the program)."""
        from thep_desktop.config import without_password

        typed = _password_in(url)
        return cls(without_password(url), typed, remember=None if typed else True)


def _password_in(url: str) -> str:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - not an address: no password in it
        return ""
    in_query = parsed.query.get("password", "")  # libpq takes ?password= as well
    return parsed.password or (in_query if isinstance(in_query, str) else in_query[0])


def saved_connections() -> list[SavedConnection]:
    """The connections kept in the settings file, in the order the person left them."""
    value = config.load_settings().get(_SETTING, [])
    found = [SavedConnection.from_setting(v) for v in value] if isinstance(value, list) else []
    return [c for c in found if c is not None]


def save_connections(connections: list[SavedConnection]) -> bool:
    """Keep ``connections`` in the settings file (never a password); False when it refused."""
    settings = config.load_settings()
    settings[_SETTING] = [asdict(c) for c in connections]
    return config.save_settings(settings)


def unused_name(connections: list[SavedConnection], wanted: str) -> str:
    """``wanted``, or ``wanted (2)``… when another connection already has that name."""
    taken = {c.name.casefold() for c in connections}
    if wanted.casefold() not in taken:
        return wanted
    stem = re.sub(r" \(\d+\)$", "", wanted)
    number = 2
    while f"{stem} ({number})".casefold() in taken:
        number += 1
    return f"{stem} ({number})"


@dataclass(frozen=True)
class ConnectionTest:
    """What Test connection found, in words: ``reached`` the server, ``ours`` its database."""

    reached: bool
    ours: bool
    text: str
    password_refused: bool = False


def try_connection(url: str) -> ConnectionTest:
    """Connect to a server and say what is there, changing nothing.

    Whether the server answered (and its PostgreSQL version), whether the database holds THE
    Partnership Office data, or why not: a refused password, an unreachable or silent server,
    no such database, an SSL mode the server cannot meet, a server too old for the program.
    """
    try:
        db = Database(url)
    except DatabaseError as exc:
        return ConnectionTest(False, False, exc.reason)
    where = f"{db.url.host or 'localhost'}:{db.url.port or 5432}"
    name = db.url.database or ""
    try:
        try:
            version = db.check_connection()
        except PasswordRefusedError as exc:
            return ConnectionTest(False, False, exc.reason, password_refused=True)
        except DatabaseError as exc:
            return ConnectionTest(False, False, exc.reason)
        reached = f"Reached the server {where} (PostgreSQL {version})."
        try:
            found = db.recognise()
        except DatabaseError as exc:  # another program's tables, or nothing readable
            return ConnectionTest(True, False, f"{reached} {exc.reason}")
        except Exception as exc:  # noqa: BLE001 - e.g. a user not allowed to read the tables
            return ConnectionTest(True, False, f"{reached} Its tables could not be read: {exc}")
        if found.state != "ours":
            return ConnectionTest(
                True,
                False,
                f"{reached} The database “{name}” has not been set up for THE Partnership "
                f"Office yet; it is set up once with: thep-admin --db "
                f"postgresql://{db.url.username}@{where}/{name} init",
            )
        note = ""
        if db.needs_upgrade():
            note = " It will be brought up to date for this version of the program as it opens."
        return ConnectionTest(
            True, True, f"{reached} The database “{name}” holds THE Partnership Office data.{note}"
        )
    finally:
        db.dispose()


# -- passwords in the credential store ---------------------------------------------------------
def _keyring() -> Any:
    """keyring, imported when a password is first needed: a tenth of a second that a local
    database (and every thep-admin command on one) never spends."""
    import keyring

    return keyring


def credential_store_works() -> bool:
    """Whether this computer has a credential store keyring can use."""
    try:
        keyring = _keyring()
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - a store that fails to load is no store
        return False


def stored_password(credential_key: str) -> str | None:
    """The password kept for ``user@host:port/database``, or None (none kept, or no store)."""
    try:
        return _keyring().get_password(KEYRING_SERVICE, credential_key)
    except Exception as exc:  # noqa: BLE001 - NoKeyringError, a locked store, D-Bus errors…
        _log.info("No password could be read from the credential store: %s", exc)
        return None


def remember_password(credential_key: str, password: str) -> bool:
    """Keep ``password`` in the credential store; False (and nothing kept) when it cannot."""
    try:
        _keyring().set_password(KEYRING_SERVICE, credential_key, password)
    except Exception as exc:  # noqa: BLE001 - any store failure: the password is asked again
        _log.info("The password could not be kept in the credential store: %s", exc)
        return False
    return True


def forget_password(credential_key: str) -> None:
    """Take the kept password out of the store (a refused one, or a removed connection)."""
    try:
        _keyring().delete_password(KEYRING_SERVICE, credential_key)
    except Exception:  # noqa: BLE001 - none kept (PasswordDeleteError), or no store at all
        pass


def with_stored_password(url: str) -> str:
    """A server address with its kept password filled in, when it has none of its own.

    thep-admin's ``--db postgresql://user@host/db`` and the database opened at start-up use
    this: the password is looked up under ``user@host:port/database``. Any other address (a
    file, one with a password, one without a user, none kept) comes back unchanged.
    """
    from sqlalchemy.engine import make_url

    from thep_desktop.database import normalise_url

    address = ServerAddress.from_url(url)
    if address is None or not address.user:
        return url
    parsed = make_url(normalise_url(url))
    if parsed.password is not None or "password" in parsed.query:
        return url
    password = stored_password(address.credential_key)
    if not password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


# -- opening a server with its password --------------------------------------------------------
T = TypeVar("T")
# (connection, problem) -> (password, remember), or None when the person cancels.
PasswordAsker = Callable[[SavedConnection, str], "tuple[str, bool] | None"]
NOT_KEPT = (
    "The password could not be kept on this computer (its credential store did not take it); "
    "it will be asked for next time."
)


def connection_of(url: str) -> SavedConnection:
    """The saved connection an address goes to (for its name), or one made from the address."""
    made = SavedConnection.from_url(url)
    if made is None:
        raise ValueError(f"not a server address: {url}")
    return next(
        (c for c in saved_connections() if c.credential_key == made.credential_key),
        made,
    )


def with_password(url: str, password: str) -> str:
    # _replace, not set(): set() would leave a password already there when given None.
    parsed = make_url(url)._replace(password=password or None)
    return parsed.render_as_string(hide_password=False)


def open_server(
    login: ServerLogin, open_url: Callable[[str], T], prompt: PasswordAsker
) -> tuple[T, str] | None:
    """``open_url`` the server with a password that works; None when the person cancels.

    The password typed, else the one kept on this computer, else first none at all (a
    server that needs none, or one that cannot be reached, is then said as such); a refused
    password is forgotten and asked for again, saying that it was refused. A password typed
    in is kept in the credential store once the server accepted it, when the person ticked
    Remember. The second value is a note for the status bar ("" when nothing to say).
    Any other refusal (:class:`~thep_desktop.database.DatabaseError`) is the caller's to say.
    ``prompt`` asks the person (the window's password box; ``None`` when they cancel).
    """
    connection = connection_of(login.url)
    key = connection.credential_key
    password, remember = login.password, login.remember
    from_store = False
    if not password:
        kept = stored_password(key)
        if kept:
            password, from_store = kept, True
    asked = bool(password)
    problem = ""
    while True:
        if not password and asked:
            answer = prompt(connection, problem)
            if answer is None:
                return None
            password, remember = answer
            from_store = False
        try:
            result = open_url(with_password(login.url, password))
        except PasswordRefusedError as exc:
            if from_store:
                forget_password(key)  # it no longer works: never offered again
            # Asked at once when no password was tried; said as refused when one was.
            problem = exc.reason if password else ""
            password, from_store, asked = "", False, True
            continue
        break
    note = ""
    if from_store or not password:
        return result, note
    if remember:
        if not remember_password(key, password):
            note = NOT_KEPT
    elif remember is False:  # unticked: nothing kept for this connection from now on
        forget_password(key)
    return result, note


def open_target(
    target: str | ServerLogin, open_url: Callable[[str], T], prompt: PasswordAsker
) -> tuple[T, str] | None:
    """A file opened as it is; a server with a password that works (see :func:`open_server`)."""
    if isinstance(target, str) and ServerAddress.from_url(target) is None:
        return open_url(target), ""  # a file, or an address refused in words by open_url
    login = target if isinstance(target, ServerLogin) else ServerLogin.from_url(target)
    return open_server(login, open_url, prompt)
