"""Shared fixtures: offscreen Qt, isolated user folders, and databases on SQLite and PostgreSQL.

Service tests take the ``db`` fixture, which runs each test once on a fresh SQLite file and
once on a real PostgreSQL database. Without a PostgreSQL server the PostgreSQL half is
skipped with the reason, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before anything can load Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The program's settings and data folders, away from the user's own; removed at the end of
# the run (pytest_unconfigure), so the suite leaves nothing in the temporary folder.
_user_dirs = Path(tempfile.mkdtemp(prefix="thep-test-user-"))
os.environ["THEP_CONFIG_DIR"] = str(_user_dirs / "config")
os.environ["THEP_DATA_DIR"] = str(_user_dirs / "data")
os.environ["THEP_LOG_DIR"] = str(_user_dirs / "logs")

import keyring  # noqa: E402
import pytest  # noqa: E402
from memory_keyring import MemoryKeyring  # noqa: E402 - tests/memory_keyring.py
from pg_databases import PgDatabases, drop_database  # noqa: E402 - tests/pg_databases.py
from server_logins import ServerLogins  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from thep_desktop.database import Database, normalise_url  # noqa: E402
from thep_desktop.models import Base  # noqa: E402
from thep_desktop.services.shared.actor import Actor, Role  # noqa: E402
from thep_desktop.services.users.server_roles import (  # noqa: E402
    apply_grants,
    can_create_roles,
    ensure_group_roles,
)

PG_ENV = "THEP_TEST_DATABASE_URL"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_user_dirs, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a worker of a parallel run (pytest-xdist): hand its reliability figures over."""
    import reliability_figures

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_figures"] = reliability_figures.as_records()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """In the controller of a parallel run: take in a worker's figures as it finishes."""
    import reliability_figures

    records = getattr(node, "workeroutput", {}).get("reliability_figures", [])
    reliability_figures.take_records(records)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The reliability suite's figures (tests/reliability/), after the usual summary."""
    import reliability_figures

    if reliability_figures.FIGURES:
        terminalreporter.section("reliability figures (tests/reliability/)")
        for line in reliability_figures.summary_lines():
            terminalreporter.write_line(line)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def credential_store() -> Iterator[MemoryKeyring]:
    """Every test's own credential store in memory: the machine's real one is never touched."""
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


@pytest.fixture
def actor() -> Actor:
    return Actor("jo.bloggs", Role.ADMIN)


# -- SQLite ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(path)
    db.upgrade(create=True)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(path)
    yield db
    db.dispose()


# -- PostgreSQL -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://user:pw@127.0.0.1/thep_test)"
        if _in_ci():
            pytest.fail(reason + " and CI=true, so they fail instead of skipping")
        pytest.skip(reason)
    try:
        engine = create_engine(normalise_url(url))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means the same here
        shown = make_url(normalise_url(url)).render_as_string(hide_password=True)
        reason = f"cannot reach the PostgreSQL test server at {shown}: {exc}"
        if _in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    _make_group_roles(url)
    return url


def _make_group_roles(url: str) -> None:
    """The server's group roles, made once before any test database is.

    Roles belong to the whole server, and the parallel run's workers each migrate a database
    of their own at the same moment; the lock that keeps two programs from granting at once
    is the database's own, so two workers on two new databases would both create the roles
    and one would fail. Here both wait on one lock in the server's test database instead.
    """
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        if can_create_roles(conn):  # (else the program enforces the roles alone, and says so)
            conn.execute(text("SELECT pg_advisory_xact_lock(7468657001)"))
            ensure_group_roles(conn)
    engine.dispose()


@pytest.fixture(scope="session")
def pg_database_url(pg_server_url: str) -> Iterator[str]:
    """A database of our own for this test run, migrated once, dropped at the end."""
    server = make_url(normalise_url(pg_server_url))
    name = f"thep_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    db.upgrade(create=True)
    db.dispose()
    yield url
    drop_database(admin, name)
    admin.dispose()


@pytest.fixture
def new_pg_database(pg_server_url: str) -> Iterator[PgDatabases]:
    """Makes PostgreSQL databases for one test (``.create()``); drops them after it."""
    databases = PgDatabases(pg_server_url)
    yield databases
    databases.drop_all()


@pytest.fixture
def server_logins(pg_server_url: str) -> Iterator[ServerLogins]:
    """Login roles of this test's own on the PostgreSQL server; dropped after it."""
    logins = ServerLogins(pg_server_url)
    yield logins
    logins.drop_all()


@pytest.fixture
def pg_db(pg_database_url: str) -> Iterator[Database]:
    db = Database(pg_database_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # As the database's owner has them after opening it: a test that took the schema
        # down and up again (a migration's test) left new tables without them.
        apply_grants(conn)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both databases the office may use."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_db")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def modals(qtbot):  # type: ignore[no-untyped-def]
    """Answers the program's modal boxes as a person would (see tests/qt_driving.py).

    At the end every answer given must have been used, and no box may have come unasked.
    """
    from qt_driving import Modals

    answers = Modals(qtbot)
    yield answers
    answers.stop()
    answers.check()
    assert not answers.unexpected, f"boxes nobody expected: {answers.unexpected}"
    assert answers.pending == 0, f"{answers.pending} expected box(es) never came"
