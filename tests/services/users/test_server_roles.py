"""The group roles' grants on a PostgreSQL server: brought up to date whenever the server's
rights differ from the declarations (a table added, a right changed by hand), else untouched."""

from __future__ import annotations

import psycopg
import pytest
from pg_databases import PgDatabases
from server_logins import ServerLogins

from thep_desktop.database import Database
from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import open_services
from thep_desktop.services.users.server_roles import apply_grants, grants_in_place


def test_grants_are_applied_once_and_again_for_a_table_an_upgrade_adds(
    new_pg_database: PgDatabases, server_logins: ServerLogins
) -> None:
    url = new_pg_database.create(migrated=True)
    owner, note = open_services(url)  # the owner opening it brings the grants up to date
    assert "group roles and their rights were brought up to date" in note
    login = server_logins.name("viewer")
    owner.users.add_user(owner.actor, login, Role.VIEWER, password="Pw-view-1")
    owner.close()
    database = Database(url)
    try:
        with database.engine.begin() as conn:
            assert apply_grants(conn) == ""  # nothing changed since: nothing done
            comment = conn.exec_driver_sql(
                "SELECT obj_description(to_regclass('app_user'), 'pg_class')"
            ).scalar()
            assert comment is None  # the models' tables carry no marker (the drift check)
            conn.exec_driver_sql("CREATE TABLE added_later (id integer PRIMARY KEY)")
            assert not grants_in_place(conn)
            assert "brought up to date" in apply_grants(conn)
            assert grants_in_place(conn) and apply_grants(conn) == ""
            # A right taken away, or one too many given, by hand: put back as declared.
            conn.exec_driver_sql("REVOKE UPDATE ON school FROM thep_staff")
            conn.exec_driver_sql("GRANT DELETE ON staff_member TO thep_viewer")
            assert not grants_in_place(conn)
            assert "brought up to date" in apply_grants(conn)
            privileges = conn.exec_driver_sql(
                "SELECT has_table_privilege('thep_staff', 'school', 'UPDATE'), "
                "has_table_privilege('thep_viewer', 'staff_member', 'DELETE')"
            ).one()
            assert tuple(privileges) == (True, False)
    finally:
        database.dispose()
    viewer_url = server_logins.url(url, login, "Pw-view-1").replace("+psycopg", "")
    with psycopg.connect(viewer_url) as conn:
        assert conn.execute("SELECT count(*) FROM added_later").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO added_later VALUES (1)")
