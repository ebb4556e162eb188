"""The people who may use the database: add, set the role, disable (on a server, their logins)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import AUDIT_ACTION, Action
from thep_desktop.database import Database, driver_message
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save
from thep_desktop.services.users.identity import database_owner
from thep_desktop.services.users.server_roles import group_role, quote
from thep_desktop.services.users.users_permissions import MANAGE_USERS

# What a login may be called: what PostgreSQL takes without surprises, and a Windows login.
_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,62}$")


@dataclass(frozen=True)
class UserDetail:
    id: int
    version: int
    login: str
    full_name: str
    role: Role
    active: bool
    note: str
    created_at: datetime
    created_by: str
    uuid: uuid.UUID | None = None  # for the History window


class UsersService:
    def __init__(self, database: Database) -> None:
        self.db = database

    @property
    def on_server(self) -> bool:
        return not self.db.is_sqlite

    def list_users(self, actor: Actor) -> list[UserDetail]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            users = session.scalars(select(AppUser).order_by(func.lower(AppUser.login)))
            return [_detail(u) for u in users]

    def get_user(self, actor: Actor, login: str) -> UserDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _detail(_find(session, login))

    @save
    def add_user(
        self,
        actor: Actor,
        login: str,
        role: Role | str,
        *,
        full_name: str = "",
        password: str | None = None,
    ) -> UserDetail:
        """A new person with ``role``; on a server, their login too (made if it is new)."""
        actor.require(MANAGE_USERS)
        login = login.strip()
        role = _role(role)
        problems = {}
        if not _LOGIN.match(login):
            problems["login"] = (
                "A login is 1 to 63 letters, digits, dots, dashes or underscores, starting "
                "with a letter (for example jo.bloggs)"
            )
        if len(full_name) > 200:
            problems["full_name"] = "A name is at most 200 characters"
        if problems:
            raise ValidationError(problems)
        with self.db.session() as session:
            taken = session.scalars(
                select(AppUser).where(func.lower(AppUser.login) == login.lower())
            ).first()
            if taken is not None:
                raise ValidationError(
                    {"login": f"{taken.login} is already a user of this database"}
                )
            if self.on_server:
                _server_add(session.connection(), login, role, password)
            user = AppUser(
                login=login,
                full_name=full_name.strip(),
                role=role,
                active=True,
                note="",
                created_by=actor.name,
                updated_by=actor.name,
            )
            session.add(user)
            session.flush()
            return _detail(user)

    @save
    def set_role(self, actor: Actor, login: str, role: Role | str) -> UserDetail:
        actor.require(MANAGE_USERS)
        role = _role(role)
        with self.db.session() as session:
            user = _find(session, login)
            old = user.role
            if old == role:
                return _detail(user)
            if old == Role.ADMIN:
                _keep_an_admin(session, user, "change the role of")
                _keep_the_owner(session, user, "change the role of")
            if self.on_server:
                _server_set_role(session.connection(), user.login, role)
            user.role = role
            user.updated_by = actor.name
            user.__dict__[AUDIT_ACTION] = Action.ROLE_CHANGE  # one row: "role changed"
            session.flush()
            return _detail(user)

    @save
    def set_active(self, actor: Actor, login: str, active: bool) -> UserDetail:
        """Disable (or enable again) a person: a disabled login cannot open the database."""
        actor.require(MANAGE_USERS)
        with self.db.session() as session:
            user = _find(session, login)
            if user.active == active:
                return _detail(user)
            if not active:
                if user.login == actor.name:
                    raise ServiceError(
                        "You cannot disable your own login; another administrator can."
                    )
                if user.role == Role.ADMIN:
                    _keep_an_admin(session, user, "disable")
                _keep_the_owner(session, user, "disable")
            if self.on_server:
                _server_execute(
                    session.connection(),
                    f"ALTER ROLE {quote(user.login)} {'LOGIN' if active else 'NOLOGIN'}",
                )
            user.active = active
            user.updated_by = actor.name
            session.flush()
            return _detail(user)


def _role(value: Role | str) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationError({"role": f"“{value}” is not a role; the roles are {names}"}) from None


def _find(session: Session, login: str) -> AppUser:
    user = session.scalars(
        select(AppUser).where(func.lower(AppUser.login) == login.strip().lower())
    ).first()
    if user is None:
        raise NotFoundError(f"{login} is not a user of this database.")
    return user


def _keep_an_admin(session: Session, user: AppUser, doing: str) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(AppUser)
        .where(AppUser.role == Role.ADMIN, AppUser.active.is_(True), AppUser.id != user.id)
    )
    if not others:
        raise ServiceError(
            f"{user.login} is the only active administrator, so you cannot {doing} them: "
            "make someone else an administrator first. Nothing was changed."
        )


def _keep_the_owner(session: Session, user: AppUser, doing: str) -> None:
    """The login that owns the tables on a server can do everything there whatever its
    role says, and is the one that upgrades the schema: it stays an active administrator."""
    if database_owner(session.connection()) == user.login:
        raise ServiceError(
            f"{user.login} owns this database's tables on the server (it set the database up "
            f"and brings it up to date), so you cannot {doing} them: the server lets the "
            "owner do everything whatever the program says. Nothing was changed."
        )


# -- the server's side ------------------------------------------------------------------------
def _server_execute(connection: Connection, statement: str, params: Any = None) -> None:
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(statement, params)
    except DBAPIError as exc:
        code = getattr(exc.orig, "sqlstate", "") or ""
        if code == "42501":
            raise ServiceError(
                "This login may not manage the server's logins (it needs CREATEROLE; see the "
                "README, The office server). Nothing was changed."
            ) from None
        refused = driver_message(exc)
        raise ServiceError(f"The server refused: {refused}. Nothing was changed.") from None


def _server_login_exists(connection: Connection, login: str) -> bool:
    return bool(
        connection.exec_driver_sql(
            "SELECT 1 FROM pg_roles WHERE rolname = %(name)s", {"name": login}
        ).scalar()
    )


def _password_literal(connection: Connection, password: str) -> str:
    from psycopg import sql

    raw: Any = connection.connection.dbapi_connection
    return sql.Literal(password).as_string(raw)


def _server_add(connection: Connection, login: str, role: Role, password: str | None) -> None:
    if not _server_login_exists(connection, login):
        if not password:
            raise ValidationError(
                {"password": f"{login} is a new login on the server: give it a password"}
            )
        literal = _password_literal(connection, password)
        _server_execute(connection, f"CREATE ROLE {quote(login)} LOGIN PASSWORD {literal}")
    elif password:
        literal = _password_literal(connection, password)
        _server_execute(connection, f"ALTER ROLE {quote(login)} LOGIN PASSWORD {literal}")
    _server_set_role(connection, login, role)


def _server_set_role(connection: Connection, login: str, role: Role) -> None:
    others = ", ".join(quote(group_role(r)) for r in Role if r != role)
    _server_execute(connection, f"REVOKE {others} FROM {quote(login)}")
    _server_execute(connection, f"GRANT {quote(group_role(role))} TO {quote(login)}")
    # Administrators add people: that needs CREATEROLE on the server.
    attribute = "CREATEROLE" if role == Role.ADMIN else "NOCREATEROLE"
    _server_execute(connection, f"ALTER ROLE {quote(login)} {attribute}")


def _detail(u: AppUser) -> UserDetail:
    return UserDetail(
        u.id,
        u.version,
        u.login,
        u.full_name,
        Role(u.role),
        u.active,
        u.note,
        u.created_at,
        u.created_by,
        u.uuid,
    )
