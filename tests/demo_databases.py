"""The demo loaded once into a database of its own, for a module's tests on either database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pg_databases import PgDatabases

from thep_desktop.database import Database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor, Role


@contextmanager
def demo_database(
    request: pytest.FixtureRequest, kind: str, *, load: bool = True
) -> Iterator[Database]:
    """A new database of ``kind`` ("sqlite" or "postgresql"), with the demo loaded in it."""
    actor = Actor("jo.bloggs", Role.ADMIN)
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        folder = request.getfixturevalue("tmp_path_factory").mktemp("demo")
        path = folder / "office.sqlite3"
        shutil.copyfile(template, path)
        db = Database(path)
        try:
            if load:
                DemoService(db).load(actor)
            yield db
        finally:
            db.dispose()
        return
    databases = PgDatabases(request.getfixturevalue("pg_server_url"))
    try:
        db = Database(databases.create(migrated=True))
        try:
            if load:
                DemoService(db).load(actor)
            yield db
        finally:
            db.dispose()
    finally:
        databases.drop_all()
