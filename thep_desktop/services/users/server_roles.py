"""On a PostgreSQL server, each role is a group role with only the grants its areas declare.

A person logs in as their own login role, a member of one group role (``thep_staff``,
``thep_treasurer``…). The grants come from the areas' declarations
(services/users/areas.py): every group may read every table and add rows to the audit
trail; a group may INSERT, UPDATE and DELETE only the tables its permissions write. Nobody
but the owner (the login that set the database up) may change or remove audit rows, alter
tables or grant anything: a viewer's login cannot UPDATE anything, even from psql.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection

from thep_desktop.domain.roles import Role
from thep_desktop.models import Base
from thep_desktop.models.audit import AUDIT_TABLE
from thep_desktop.services.shared.permissions import Area
from thep_desktop.services.users.areas import AREAS

# Tables nobody writes through the program's roles: the schema's version is the owner's, and
# an offline copy's bookkeeping stays empty on the server (models/offline.py).
READ_ONLY_TABLES = frozenset(
    {"alembic_version", "offline_copy", "offline_base_row", "offline_change"}
)


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


# The advisory lock that makes the grants one owner's work at a time ("THEG").
GRANTS_LOCK_KEY = 0x54484547


def expected_privileges(table: str, role: Role) -> set[str]:
    """What ``role``'s group may do to ``table``, as the areas declare it."""
    if table == AUDIT_TABLE:  # everyone adds to the trail; only the owner may change it
        return {"SELECT", "INSERT"}
    if role in writers_by_table().get(table, set()):
        return {"SELECT", "INSERT", "UPDATE", "DELETE"}
    return {"SELECT"}


def grants_in_place(connection: Connection) -> bool:
    """Do the group roles hold exactly the declared rights on every table and sequence now?

    Asked of the server itself (a few hundred privilege checks, milliseconds), rather than
    trusting a mark left by the last run: a table an upgrade or a restore made anew has no
    grants, whatever was done before.
    """
    if missing_group_roles(connection):
        return False
    held = connection.exec_driver_sql(
        "SELECT g.rolname, t.tablename, p.privilege "
        "FROM pg_tables t CROSS JOIN pg_roles g "
        "CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege) "
        "WHERE t.schemaname = 'public' AND g.rolname = ANY(%(groups)s) "
        "AND has_table_privilege(g.rolname, format('public.%%I', t.tablename), p.privilege)",
        {"groups": [group_role(r) for r in Role]},
    ).all()
    tables = set(
        connection.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).scalars()
    )
    actual = {(str(g), str(t), str(p)) for g, t, p in held}
    wanted = {
        (group_role(role), table, privilege)
        for role in Role
        for table in tables
        for privilege in (
            expected_privileges(table, role) if table not in READ_ONLY_TABLES else {"SELECT"}
        )
    }
    if actual != wanted:
        return False
    unusable = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_class s CROSS JOIN pg_roles g "
        "WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace "
        "AND g.rolname = ANY(%(groups)s) AND NOT has_sequence_privilege(g.rolname, s.oid, 'USAGE')",
        {"groups": [group_role(r) for r in Role]},
    ).scalar()
    return not unusable


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

    Cheap when nothing changed: the server is asked first (:func:`grants_in_place`).
    Returns what was done, or why it could not be, in words ("" when nothing was needed).
    """
    if not force and grants_in_place(connection):
        return ""
    # Two programs of the owner's opening at once would grant on the same catalogue rows
    # ("tuple concurrently updated"): one at a time, and the second finds the work done.
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({GRANTS_LOCK_KEY})")
    if not force and grants_in_place(connection):
        return ""
    database = str(connection.exec_driver_sql("SELECT current_database()").scalar_one())
    statements = grant_statements(database)
    missing = missing_group_roles(connection)
    if missing and not can_create_roles(connection):
        return (
            f"The server has no group roles {', '.join(missing)} yet, and this login may not "
            "create roles, so the roles are enforced by the program only. Whoever looks after "
            "the server can give the program's owner login CREATEDB and CREATEROLE "
            "(see the README, The office server)."
        )
    ensure_group_roles(connection)
    for statement in statements:
        connection.exec_driver_sql(statement)
    return "The server's group roles and their rights were brought up to date."
