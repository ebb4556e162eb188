"""Who is using the database (the server's session user or the computer's login) and their role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, acting_as, record
from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database, DatabaseError
from thep_desktop.database_locks import is_busy
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser
from thep_desktop.services.shared.actor import Actor

LOCAL_FILE_NOTE = (
    "On a local database file, the roles keep people from changing by mistake what is not "
    "theirs to change. They do not protect the file from whoever can open it with other "
    "tools: the file's owner can change anything. On the office server, the server itself "
    "enforces each role."
)


class NoRoleError(DatabaseError):
    """The login reached the database but has no (active) role in it: nothing is opened."""


def session_login(session: Session) -> str:
    """The login the database knows this connection as (the server checked its password)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return str(connection.exec_driver_sql("SELECT session_user").scalar_one())
    return computer_login()


def database_owner(connection: Connection) -> str | None:
    """On a server, the login that owns the program's tables (it set the database up)."""
    if connection.dialect.name != "postgresql":
        return None
    owner = connection.exec_driver_sql(
        "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE c.oid = to_regclass('app_user')"
    ).scalar()
    return str(owner) if owner is not None else None


def identify(database: Database) -> Actor:
    """The acting user of ``database``, mapped to their user record; a login is recorded.

    PostgreSQL: the server's ``session_user`` (never the computer's environment); a login
    with no user record, or a disabled one, is refused with :class:`NoRoleError`, except the
    owner of the tables (who set the database up), who is an administrator. A local file:
    the computer's login; on a file that lists no one yet, or does not list this login, it
    is an administrator by default and is added to the list (see :data:`LOCAL_FILE_NOTE`).
    """
    with database.read_session() as session:
        login = session_login(session)
        found = _user_of(session, login)
        owner = database_owner(session.connection())
    _refuse_without_role(database, login, found, owner)
    if database.read_only:
        return Actor(login, Role(found.role) if found is not None else Role.ADMIN)
    with acting_as(login):
        try:
            return _record_login(database, login, owner)
        except Exception as exc:
            if not is_busy(exc):
                raise
    # A colleague's long save (an import) holds the database: the login is written with
    # this person's first save instead of making them wait to open it (an administrator by
    # default gets their record the next time they open it).
    role = Role(found.role) if found is not None else Role.ADMIN
    database.defer_audit(_login_change(login, found.uuid if found else None, role))
    return Actor(login, role)


def _login_change(login: str, user_uuid: Any, role: Role) -> Change:
    return Change(
        Action.LOGIN, "app_user", user_uuid, login, detail=f"Opened the database as {role.value}."
    )


def _record_login(database: Database, login: str, owner: str | None) -> Actor:
    with database.session() as session:
        # Again under the write lock: a colleague's program may have added them meanwhile.
        found = _user_of(session, login)
        _refuse_without_role(database, login, found, owner)
        if found is None:
            why = "is the computer's login" if database.is_sqlite else "set up this database"
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
            role, user_uuid = Role.ADMIN, user.uuid
        else:
            role, user_uuid = Role(found.role), found.uuid
        record(session, _login_change(login, user_uuid, role))
    return Actor(login, role)


def _user_of(session: Session, login: str) -> Any:
    return session.execute(
        select(AppUser.role, AppUser.active, AppUser.uuid).where(AppUser.login == login)
    ).first()


def _refuse_without_role(database: Database, login: str, found: Any, owner: str | None) -> None:
    where = database.describe()
    if found is not None and not found.active:
        raise NoRoleError(
            f"The login “{login}” is disabled in this office database ({where}). "
            "An administrator can enable it again under Settings > Users."
        )
    if found is None and not database.is_sqlite and login != owner:
        raise NoRoleError(
            f"The login “{login}” reached the server, but has no role in this office database "
            f"({where}). An administrator adds people under Settings > Users, or with "
            f"thep-admin users add {login} --role staff."
        )
