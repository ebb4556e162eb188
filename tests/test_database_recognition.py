"""Opening recognises the program's own databases and refuses anything else, untouched.

Every refusal also checks that the file (bytes, size, modification time) and its folder are
exactly as before: no -wal or -shm file, no tables added, no folder made.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from fixtures.make_schema_fixtures import RELEASED, fixture_paths
from hostile_databases import DAMAGED, NOT_OURS, REFUSED, folder_state, ours, statement_fails
from pg_databases import PgDatabases
from server_backups import load_sql_dump
from sqlalchemy import create_engine, inspect, text

from thep_desktop.database import (
    Database,
    DatabaseError,
    NoDatabaseYet,
    head_revision,
    normalise_url,
    sqlite_url,
)
from thep_desktop.database_recognition import APPLICATION_ID
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor


def application_id(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA application_id").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("create", [False, True], ids=["open", "create"])
def test_a_file_that_is_not_a_usable_database_of_ours_is_refused_untouched(
    case: str, create: bool, tmp_path: Path, actor: Actor
) -> None:
    make, words = REFUSED[case]
    path = tmp_path / "office.sqlite3"
    make(path)
    before = folder_state(tmp_path)
    with pytest.raises(DatabaseError) as refused:
        open_services(sqlite_url(path), actor, create=create)
    message = str(refused.value)
    assert f"{path} {words}" in message
    if words == DAMAGED:
        assert "restore it from a backup" in message
    else:
        assert "nothing in it was changed" in message
    assert "Traceback" not in message and "sqlalchemy" not in message.lower()
    assert folder_state(tmp_path) == before


def test_a_damaged_file_names_the_copy_kept_before_its_last_upgrade(
    tmp_path: Path, actor: Actor
) -> None:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(fixture_paths("0001")[0], path)
    services, note = open_services(sqlite_url(path), actor)
    services.close()
    (kept,) = tmp_path.glob("office.before-*.sqlite3")
    assert str(kept) in note
    path.write_bytes(path.read_bytes()[:5000])
    before = folder_state(tmp_path)
    with pytest.raises(DatabaseError, match=DAMAGED) as refused:
        open_services(sqlite_url(path), actor)
    assert f"the copy this program kept when it last upgraded it: {kept}" in str(refused.value)
    assert folder_state(tmp_path) == before


def test_a_missing_file_is_created_only_when_asked(tmp_path: Path, actor: Actor) -> None:
    path = tmp_path / "new folder" / "office.sqlite3"
    with pytest.raises(NoDatabaseYet, match=f"There is no database file at {path}"):
        open_services(sqlite_url(path), actor)
    assert list(tmp_path.iterdir()) == []  # not even the folder
    services, note = open_services(sqlite_url(path), actor, create=True)
    services.close()
    assert note == "A new, empty database was created."
    assert application_id(path) == APPLICATION_ID == 0x54484550
    db = Database(path)
    found = db.recognise()
    db.dispose()
    assert (found.state, found.revision, found.marked) == ("ours", head_revision(), True)


def test_a_file_that_cannot_be_set_up_is_taken_away_again(tmp_path: Path, actor: Actor) -> None:
    """A new file is of no use half-made: if making its tables fails, it is not left behind."""
    path = tmp_path / "new folder" / "office.sqlite3"
    with (
        statement_fails(lambda sql: sql.startswith("CREATE TABLE letter_template")),
        pytest.raises(DatabaseError, match="could not be set up: injected fault.*Nothing"),
    ):
        open_services(sqlite_url(path), actor, create=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_an_older_file_of_ours_is_recognised_and_marked_when_opened(
    number: str, tmp_path: Path, actor: Actor
) -> None:
    """Files made before the mark existed are ours by their schema version and tables."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(fixture_paths(number)[0], path)
    assert application_id(path) == 0
    services, _note = open_services(sqlite_url(path), actor)
    services.close()
    assert application_id(path) == APPLICATION_ID
    db = Database(path)
    assert db.current_revision() == head_revision()
    db.dispose()


def test_recognising_a_file_of_ours_leaves_it_and_its_folder_alone(tmp_path: Path) -> None:
    path = ours(tmp_path / "office.sqlite3")
    before = folder_state(tmp_path)
    db = Database(path)
    found = db.recognise()
    db.dispose()
    assert (found.state, found.marked) == ("ours", True)
    assert folder_state(tmp_path) == before  # no -wal, no -shm, same bytes


# -- PostgreSQL ------------------------------------------------------------------------------------
def server_tables(url: str) -> dict[str, int]:
    """Every table of the server database and its row count."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {
                n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names
            }
    finally:
        engine.dispose()


def test_a_server_database_of_another_program_is_refused_untouched(
    new_pg_database: PgDatabases, actor: Actor
) -> None:
    url = new_pg_database.create()
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customer (id serial PRIMARY KEY, name text)"))
        conn.execute(text("INSERT INTO customer (name) VALUES ('Acme Ltd')"))
    engine.dispose()
    before = server_tables(url)
    for create in (False, True):
        with pytest.raises(DatabaseError, match=NOT_OURS):
            open_services(url, actor, create=create)
        assert server_tables(url) == before == {"customer": 1}


def test_an_empty_server_database_is_set_up_only_when_asked(
    new_pg_database: PgDatabases, actor: Actor
) -> None:
    url = new_pg_database.create()
    with pytest.raises(NoDatabaseYet, match="has no tables yet") as refused:
        open_services(url, actor)
    assert refused.value.on_server
    assert server_tables(url) == {}
    services, note = open_services(url, actor, create=True)
    services.close()
    assert note == "A new, empty database was created."
    assert server_tables(url)["alembic_version"] == 1


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_an_older_server_database_of_ours_is_recognised(
    number: str, new_pg_database: PgDatabases
) -> None:
    url = new_pg_database.create()
    load_sql_dump(url, fixture_paths(number)[1])
    db = Database(url)
    found = db.recognise()
    db.dispose()
    assert (found.state, found.revision) == ("ours", RELEASED[number])
