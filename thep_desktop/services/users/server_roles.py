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


# The fingerprint of the grants last applied is kept as the comment of Alembic's own table:
# a comment on one of the program's tables would differ from the models (the drift check),
# and the version table is the owner's, per database, and never compared.
_MARKED_TABLE = "alembic_version"


def _marker(connection: Connection) -> str:
    comment = connection.exec_driver_sql(
        f"SELECT obj_description(to_regclass('{_MARKED_TABLE}'), 'pg_class')"
    ).scalar()
    return str(comment or "")


def _tables(connection: Connection) -> list[str]:
    """The schema's tables now: a table an upgrade adds needs its grants too."""
    return sorted(
        connection.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).scalars()
    )


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

    Cheap when nothing changed: the tables carry a fingerprint of the grants last applied.
    Returns what was done, or why it could not be, in words ("" when nothing was needed).
    """
    database = str(connection.exec_driver_sql("SELECT current_database()").scalar_one())
    statements = grant_statements(database)
    stamp = f"thep grants {_fingerprint([*statements, *_tables(connection)])}"
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
    connection.exec_driver_sql(f"COMMENT ON TABLE {_MARKED_TABLE} IS '{stamp}'")
    return "The server's group roles and their rights were brought up to date."
