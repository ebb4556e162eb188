"""Who is using the database (the server's session user or the computer's login) and their role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, acting_as, record
from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database, DatabaseError
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser
from thep_desktop.models.offline import OfflineCopy
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.retry import run_save

LOCAL_FILE_NOTE = (
    "On a local database file, the roles keep people from changing by mistake what is not "
    "theirs to change. They do not protect the file from whoever can open it with other "
    "tools: the file's owner can change anything. On the office server, the server itself "
    "enforces each role."
)


class NoRoleError(DatabaseError):
    """The login reached the database but has no (active) role in it: nothing is opened."""


def session_login(session: Session) -> str:
    """The login the database knows this connection as (the server checked its password).

    An offline copy is its taker's, whoever's computer it is opened on: their login at the
    office, with the role they had when they took it.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return str(connection.exec_driver_sql("SELECT session_user").scalar_one())
    owner = offline_owner(session)
    return owner[0] if owner is not None else computer_login()


def offline_owner(session: Session) -> tuple[str, Role] | None:
    """The login and role an offline copy was taken with; None for any other database."""
    try:
        found = session.execute(select(OfflineCopy.login, OfflineCopy.role).limit(1)).first()
    except OperationalError:  # a file from before offline copies (read before its upgrade)
        return None
    return (str(found.login), Role(found.role)) if found is not None else None


def database_owner(connection: Connection) -> str | None:
    """On a server, the login that owns the program's tables (it set the database up)."""
    if connection.dialect.name != "postgresql":
        return None
    owner = connection.exec_driver_sql(
        "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE c.oid = to_regclass('app_user')"
    ).scalar()
    return str(owner) if owner is not None else None


def _no_role(login: str, where: object) -> str:
    return (
        f"The login “{login}” reached the server, but has no role in this office database "
        f"({where}). An administrator adds people under Settings > Users, or with "
        f"thep-admin users add {login} --role staff."
    )


def login_refusal(exc: BaseException, database: Database) -> DatabaseError | None:
    """The server's refusal of a login, in words; None when ``exc`` is something else.

    A wrong password and a disabled login (``NOLOGIN``) are refused by the server before the
    program reads anything; a login the server knows but that is in none of the program's
    group roles gets "permission denied" on the first table read. PostgreSQL says the first
    two only in its message (a failed connection carries no SQLSTATE), so they are told apart
    by its words; anything else is left to the caller.
    """
    if database.is_sqlite:
        return None
    login = database.url.username or ""
    where = database.describe()
    text = str(exc)
    if "password authentication failed" in text:
        return DatabaseError(
            f"The server did not accept the login “{login}” with that password ({where}). "
            "Check the login name and the password (capital letters matter); an administrator "
            "can give you a new password. Nothing was opened."
        )
    if "is not permitted to log in" in text:
        return NoRoleError(
            f"The login “{login}” is disabled on the server ({where}). An administrator can "
            f"enable it again under Settings > Users, or with thep-admin users enable {login}."
        )
    # Reading is every group role's: a login refused a read is in none of them. (Refused a
    # change of the schema, it is someone who may not upgrade it: left to the caller.)
    statement = str(getattr(exc, "statement", "") or "").lstrip().upper()
    denied = getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501"
    if denied and statement.startswith("SELECT"):
        return NoRoleError(_no_role(login, where))
    return None


def identify(database: Database) -> Actor:
    """The acting user of ``database``, mapped to their user record; a login is recorded.

    PostgreSQL: the server's ``session_user`` (never the computer's environment); a login
    with no user record, or a disabled one, is refused with :class:`NoRoleError`, except the
    owner of the tables (who set the database up), who is an administrator. A local file:
    the computer's login; on a file that lists no one yet, or does not list this login, it
    is an administrator by default and is added to the list (see :data:`LOCAL_FILE_NOTE`).
    """
    on_server = not database.is_sqlite
    login, found, owner = _lookup(database)
    where = database.describe()
    _check_may_open(login, found, on_server and login != owner, where)
    with database.read_session() as session:
        copy_owner = offline_owner(session) if database.is_sqlite else None
    if copy_owner is not None:
        # The copy's role is the one its taker had at the office; it is never an
        # administrator's by default, as a new local file is.
        actor = Actor(login, copy_owner[1])
        if database.read_only:
            return actor
        with acting_as(login), database.session() as session:
            record(
                session,
                Change(Action.LOGIN, detail=f"Opened the offline copy as {copy_owner[1].value}."),
            )
        return actor
    actor = Actor(login, Role(found.role) if found is not None else Role.ADMIN)
    if database.read_only:
        return actor

    def record_login() -> Role:
        with acting_as(login), database.session() as session:
            # Read again under the write lock: another copy of the program opening at the
            # same moment (two thep-admin commands) may have added this login meanwhile.
            now = _user_of(session, login)
            _check_may_open(login, now, on_server and login != owner, where)
            role = Role(now.role) if now is not None else Role.ADMIN
            user_uuid = now.uuid if now is not None else None
            if now is None:
                why = "set up this database" if on_server else "is the computer's login"
                user = AppUser(
                    login=login,
                    full_name="",
                    role=Role.ADMIN,
                    active=True,
                    note=f"Administrator by default: {why}.",
                    created_by=login,
                    updated_by=login,
                )
                session.add(user)
                session.flush()
                user_uuid = user.uuid
            record(
                session,
                Change(
                    Action.LOGIN,
                    "app_user",
                    user_uuid,
                    login,
                    detail=f"Opened the database as {role.value}.",
                ),
            )
            return role

    # Someone else saving holds the write lock: wait for it as every save does.
    return Actor(login, run_save(database, record_login))


def _lookup(database: Database) -> tuple[str, Any, str | None]:
    """The login, its user record (or None) and the tables' owner, read without writing."""
    with database.read_session() as session:
        login = session_login(session)
        return login, _user_of(session, login), database_owner(session.connection())


def restorer(database: Database) -> Actor:
    """Who is restoring ``database``, with their role, found as opening finds them but
    without recording a login: a restore that is refused or not confirmed changes nothing.

    A local file that cannot be read as it is (the damaged file a restore is most wanted
    for) is restored by the computer's login, as an administrator (see
    :data:`LOCAL_FILE_NOTE`); on a server the server's login and its role always apply.
    """
    try:
        login, found, owner = _lookup(database)
    except Exception:
        if not database.is_sqlite:
            raise
        return Actor(computer_login(), Role.ADMIN)
    needs_record = not database.is_sqlite and login != owner
    _check_may_open(login, found, needs_record, database.describe())
    return Actor(login, Role(found.role) if found is not None else Role.ADMIN)


def _user_of(session: Session, login: str) -> Any:
    """The login's record (role, active, uuid), or None. Logins differ by more than case
    (the users service refuses two that do not), and Windows logins ignore it."""
    return session.execute(
        select(AppUser.role, AppUser.active, AppUser.uuid).where(
            func.lower(AppUser.login) == login.lower()
        )
    ).first()


def _check_may_open(login: str, found: Any, needs_record: bool, where: object) -> None:
    if found is not None and not found.active:
        raise NoRoleError(
            f"The login “{login}” is disabled in this office database ({where}). "
            "An administrator can enable it again under Settings > Users."
        )
    if found is None and needs_record:
        raise NoRoleError(_no_role(login, where))
