"""Login roles a test makes on the PostgreSQL test server, each removed when the test ends.

Roles are the whole server's, not one database's, so every name carries a random suffix
(two runs at once never meet) and each one is revoked, stripped and dropped afterwards.
"""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from thep_desktop.database import normalise_url
from thep_desktop.domain.roles import Role


class ServerLogins:
    def __init__(self, server_url: str) -> None:
        self.server = make_url(normalise_url(server_url))
        self.names: list[str] = []
        self.databases: set[str] = set()

    def name(self, stem: str) -> str:
        """A login name of this test's own (the service makes the role itself)."""
        login = f"t_{stem}_{uuid.uuid4().hex[:8]}"
        self.names.append(login)
        return login

    def make(self, stem: str, password: str, *, group: Role | None = None) -> str:
        """A login made on the server directly, as someone with psql would (no user record)."""
        login = self.name(stem)
        engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            quoted = password.replace("'", "''")
            conn.exec_driver_sql(f"CREATE ROLE \"{login}\" LOGIN PASSWORD '{quoted}'")
            if group is not None:
                conn.exec_driver_sql(f'GRANT "thep_{group.value}" TO "{login}"')
        engine.dispose()
        return login

    def url(self, database_url: str, login: str, password: str) -> str:
        """``database_url`` as ``login`` with ``password``."""
        url = make_url(normalise_url(database_url))
        if url.database:
            self.databases.add(url.database)
        return url.set(username=login, password=password).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.names:
            return
        engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            existing = set(
                conn.execute(
                    text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
                    {"names": self.names},
                ).scalars()
            )
            for login in existing:
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE usename = '{login}'"
                )
                groups = ", ".join(f'"thep_{r.value}"' for r in Role)
                conn.exec_driver_sql(f'REVOKE {groups} FROM "{login}"')
        for database in sorted(self.databases):
            db_engine = create_engine(
                self.server.set(database=database), isolation_level="AUTOCOMMIT"
            )
            try:
                with db_engine.connect() as conn:
                    for login in existing:
                        conn.exec_driver_sql(f'DROP OWNED BY "{login}"')
            except Exception:  # noqa: BLE001 - the test dropped its database already
                pass
            finally:
                db_engine.dispose()
        with engine.connect() as conn:
            for login in existing:
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        engine.dispose()
        self.names.clear()
