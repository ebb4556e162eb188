"""On a PostgreSQL server, each role is a group role with only the grants its areas declare.

A person logs in as their own login role, a member of one group role (``thep_staff``,
``thep_treasurer``…). The grants come from the areas' declarations
(services/users/areas.py): every group may read every table and add rows to the audit
trail; a group may INSERT, UPDATE and DELETE only the tables its permissions write. Nobody
but the owner (the login that set the database up) may change or remove audit rows, alter
tables or grant anything: a viewer's login cannot UPDATE anything, even from psql.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import Connection

from thep_desktop.domain.roles import Role
from thep_desktop.models import Base
from thep_desktop.models.audit import AUDIT_TABLE
from thep_desktop.services.shared.permissions import Area
from thep_desktop.services.users.areas import AREAS

# Tables nobody writes through the program's roles: the schema's version is the owner's.
READ_ONLY_TABLES = frozenset({"alembic_version"})
# The advisory lock that makes the grants one owner's work at a time ("THEG").
GRANTS_LOCK_KEY = 0x54484547


def group_role(role: Role) -> str:
    """The server's group role for one of the program's roles."""
    return f"thep_{role.value}"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def writers_by_table(areas: tuple[Area, ...] = AREAS) -> dict[str, set[Role]]:
    """Each table, and the roles whose permissions write it."""
    writers: dict[str, set[Role]] = defaultdict(set)
    for area in areas:
        for table, permission in area.writes.items():
            writers[table] |= set(permission.roles)
    return dict(writers)


def undeclared_tables(areas: tuple[Area, ...] = AREAS) -> list[str]:
    """Tables no area declares a writer for (a new area that forgot its declaration)."""
    declared = set(writers_by_table(areas)) | {AUDIT_TABLE} | READ_ONLY_TABLES
    return sorted(t for t in Base.metadata.tables if t not in declared)


def grant_statements(database_name: str) -> list[str]:
    """The statements that make the group roles' rights exactly what the areas declare."""
    groups = [group_role(r) for r in Role]
    everyone = ", ".join(quote(g) for g in groups)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"GRANT CONNECT ON DATABASE {quote(database_name)} TO {everyone}",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        f"GRANT INSERT ON {AUDIT_TABLE} TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
    ]
    for table, roles in sorted(writers_by_table().items()):
        names = ", ".join(quote(group_role(r)) for r in sorted(roles))
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {quote(table)} TO {names}")
    return statements


def _fingerprint(statements: list[str]) -> str:
    return hashlib.sha256("\n".join(statements).encode()).hexdigest()[:16]


def _marker(connection: Connection) -> str:
    comment = connection.exec_driver_sql(
        "SELECT obj_description(to_regprocedure('thep_audit_stamp()'), 'pg_proc')"
    ).scalar()
    return str(comment or "")


def ensure_group_roles(connection: Connection) -> list[str]:
    """Create the group roles the server lacks; the names of those made."""
    made = missing_group_roles(connection)
    for name in made:
        connection.exec_driver_sql(f"CREATE ROLE {quote(name)} NOLOGIN")
    return made


def missing_group_roles(connection: Connection) -> list[str]:
    existing = set(
        connection.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'thep_')"
        ).scalars()
    )
    return [group_role(r) for r in Role if group_role(r) not in existing]


def can_create_roles(connection: Connection) -> bool:
    return bool(
        connection.exec_driver_sql(
            "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user"
        ).scalar()
    )


def apply_grants(connection: Connection, *, force: bool = False) -> str:
    """Bring the group roles and their grants up to the areas' declarations (owner only).

    Cheap when nothing changed: the database carries a fingerprint of the grants last applied.
    Returns what was done, or why it could not be, in words ("" when nothing was needed).
    """
    database = str(connection.exec_driver_sql("SELECT current_database()").scalar_one())
    statements = grant_statements(database)
    stamp = f"thep grants {_fingerprint(statements)}"
    if not force and _marker(connection) == stamp:
        return ""
    # Two programs of the owner's opening at once would grant on the same rows ("tuple
    # concurrently updated"): one at a time, and the second finds the work done.
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({GRANTS_LOCK_KEY})")
    if not force and _marker(connection) == stamp:
        return ""
    missing = missing_group_roles(connection)
    if missing and not can_create_roles(connection):
        return (
            f"The server has no group roles {', '.join(missing)} yet, and this login may not "
            "create roles, so the roles are enforced by the program only. Whoever looks after "
            "the server can give the program's owner login CREATEDB and CREATEROLE "
            "(see the README, Setting up the office server)."
        )
    ensure_group_roles(connection)
    for statement in statements:
        connection.exec_driver_sql(statement)
    # Kept on the audit trigger's function (migration 0005), which is the owner's: a comment on
    # a table would be a difference between the models and the migrations.
    connection.exec_driver_sql(f"COMMENT ON FUNCTION thep_audit_stamp() IS '{stamp}'")
    return "The server's group roles and their rights were brought up to date."
