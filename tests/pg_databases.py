"""Databases of the tests' own on the PostgreSQL test server (see conftest's fixtures)."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from thep_desktop.database import Database, normalise_url


class PgDatabases:
    """Databases of the tests' own on the PostgreSQL test server, each dropped when done."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(normalise_url(server_url))
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def create(self, *, template: str | None = None, migrated: bool = False) -> str:
        """A new database (empty, migrated to head, or a copy of ``template``'s address)."""
        name = f"thep_t_{uuid.uuid4().hex[:10]}"
        copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.names.append(name)
        url = self.server.set(database=name).render_as_string(hide_password=False)
        if migrated:
            db = Database(url)
            db.upgrade(create=True)
            db.dispose()
        return url

    def drop_all(self) -> None:
        for name in self.names:
            drop_database(self.admin, name)
        self.names.clear()
        self.admin.dispose()


def drop_database(admin: Engine, name: str) -> None:
    """Drop a test database, whoever is still connected to it.

    WITH (FORCE) ends our own connections, but not an autovacuum worker the server started
    on the new database (it runs as the server's superuser, which the test role may not
    signal); that worker finishes within moments, so the drop is tried again.
    """
    for attempt in range(20):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as exc:
            busy = getattr(exc.orig, "sqlstate", None) in ("42501", "55006")
            if not busy or attempt == 19:
                raise
            time.sleep(0.25)


def described(address: str) -> str:
    """How thep-admin names a database: ``Local file: …`` or ``Server: host:port / name``."""
    db = Database(address)
    try:
        return str(db.describe())
    finally:
        db.dispose()
