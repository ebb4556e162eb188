"""Databases for ``thep-admin`` tests, on a SQLite file and on the PostgreSQL server alike.

``thep-admin --db`` takes a file path or a server address; these fixtures give either, so
each command is run against both kinds of database the office may use.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_databases import PgDatabases

from thep_desktop.database import Database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor

BOTH = ["sqlite", "postgresql"]


@pytest.fixture(params=BOTH)
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a database with no tables yet is: a file not made yet, or an empty server database."""
    if request.param == "sqlite":
        return str(tmp_path / "office.sqlite3")
    databases: PgDatabases = request.getfixturevalue("new_pg_database")
    return databases.create()


@pytest.fixture
def migrated_db(db: Database) -> str:
    """The address of an empty register at the newest schema: a file, and a server database."""
    return db.url.render_as_string(hide_password=False)


def _with_demo(address: str) -> str:
    services, _note = open_services(address, Actor("office"), create=True)
    try:
        DemoService(services.db).load(services.actor)
    finally:
        services.close()
    return address


@pytest.fixture(scope="module", params=BOTH)
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database with the demo borough per module and kind, for tests that only read it."""
    if request.param == "sqlite":
        yield _with_demo(str(tmp_path_factory.mktemp("cli") / "demo.sqlite3"))
        return
    databases = PgDatabases(request.getfixturevalue("pg_server_url"))
    try:
        yield _with_demo(databases.create())
    finally:
        databases.drop_all()


@pytest.fixture(scope="module", params=BOTH)
def demo_source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Callable[[Path], str]]]:
    """A demo database nobody uses directly, and how to make a fresh copy of it for one test."""
    if request.param == "sqlite":
        source = _with_demo(str(tmp_path_factory.mktemp("cli-demo") / "demo.sqlite3"))

        def copy_file(folder: Path) -> str:
            target = folder / "demo.sqlite3"
            shutil.copyfile(source, target)
            return str(target)

        yield source, copy_file
        return
    databases = PgDatabases(request.getfixturevalue("pg_server_url"))
    try:
        source = _with_demo(databases.create())
        yield source, lambda _folder: databases.create(template=source)
    finally:
        databases.drop_all()


@pytest.fixture
def demo_copy(demo_source: tuple[str, Callable[[Path], str]], tmp_path: Path) -> str:
    """A demo database of this test's own (commands that write: letters' history, imports)."""
    _source, copy = demo_source
    return copy(tmp_path)
