"""The users service on a server: the login that owns the tables keeps its role and login."""

from __future__ import annotations

import pytest
from server_logins import ServerLogins
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.errors import ServiceError


def owner_state(database: Database, owner: str) -> tuple[object, ...]:
    with database.read_session() as session:
        users = [
            (u.login, str(u.role), u.active, u.version)
            for u in session.scalars(select(AppUser).order_by(AppUser.login))
        ]
        server = (
            session.connection()
            .exec_driver_sql(
                "SELECT rolcanlogin, rolcreaterole FROM pg_roles WHERE rolname = %(n)s",
                {"n": owner},
            )
            .one()
        )
    return users, tuple(server)


def test_another_admin_cannot_disable_or_demote_the_tables_owner(
    pg_db: Database, server_logins: ServerLogins
) -> None:
    owner, _note = open_services(pg_db.address)
    login = server_logins.name("admin")
    owner.users.add_user(owner.actor, login, Role.ADMIN, password="Pw-admin-1")
    other, _note = open_services(server_logins.url(pg_db.address, login, "Pw-admin-1"))
    try:
        assert other.actor.role == Role.ADMIN
        before = owner_state(pg_db, owner.actor.name)
        assert before[1] == (True, True)
        for attempt in (
            lambda: other.users.set_active(other.actor, owner.actor.name, False),
            lambda: other.users.set_role(other.actor, owner.actor.name, Role.STAFF),
        ):
            with pytest.raises(ServiceError) as refused:
                attempt()
            assert f"{owner.actor.name} owns this database's tables" in str(refused.value)
            assert owner_state(pg_db, owner.actor.name) == before
        # Another admin is still theirs to manage: the owner may demote them.
        owner.users.set_role(owner.actor, login, Role.STAFF)
        assert owner.users.get_user(owner.actor, login).role == Role.STAFF
    finally:
        other.close()
        owner.close()
