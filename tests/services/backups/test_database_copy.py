"""Copying an office's local database onto the server (and a server's into a new file)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hostile_databases import folder_state
from server_backups import sums
from sqlalchemy import inspect, select, text

from thep_desktop.database import Database, head_revision
from thep_desktop.models.school import Contact
from thep_desktop.services.backups import database_copy
from thep_desktop.services.backups.database_copy import CopyError, copy_database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def office(sqlite_db: Database, actor: Actor) -> Database:
    """The office's local database with the demo borough in it."""
    DemoService(sqlite_db).load(actor)
    sqlite_db.dispose()
    return sqlite_db


def _tables(url: str) -> list[str]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        db.dispose()


def test_copy_a_local_database_onto_an_empty_server_database(office, new_pg_database, actor):
    target_url = new_pg_database.create()
    source_bytes = folder_state(office.sqlite_path.parent)
    expected = sums(office, audit=True)
    office.dispose()
    progress: list[tuple[str, int, int]] = []
    result = copy_database(
        f"sqlite:///{office.sqlite_path}",
        target_url,
        lambda table, done, total: progress.append((table, done, total)),
    )
    assert folder_state(office.sqlite_path.parent) == source_bytes  # the source is untouched
    target = Database(target_url)
    try:
        assert sums(target, audit=True) == expected
        assert [(t.name, t.rows, t.ok) for t in result.tables] == [
            (name, s.rows, True) for name, s in expected.items()
        ]
        assert result.target == str(target.describe()) and result.upgraded_from is None
        assert ("school", 90, 90) in progress
        assert target.current_revision() == head_revision()
        # Every column as it was: ids, uuids, who made it and when.
        query = select(Contact.id, Contact.uuid, Contact.created_by, Contact.created_at).order_by(
            Contact.id
        )
        with office.read_session() as a, target.read_session() as b:
            assert a.execute(query).all() == b.execute(query).all()
        # The server gives new records ids after the copied ones.
        with target.session() as session:
            session.execute(
                text(
                    "INSERT INTO staff_member (uuid, full_name, job_title, email, phone, active, "
                    "created_at, created_by, updated_at, updated_by, version) VALUES "
                    "(gen_random_uuid(), 'New', '', '', '', true, now(), 'x', now(), 'x', 1)"
                )
            )
            newest = session.execute(text("SELECT max(id) FROM staff_member")).scalar()
        assert newest == expected["staff_member"].rows + 1
    finally:
        target.dispose()


def test_a_server_database_that_holds_data_is_refused_with_nothing_copied(
    office, new_pg_database, actor
):
    target = Database(new_pg_database.create(migrated=True))
    try:
        with target.session() as session:
            session.execute(
                text(
                    "INSERT INTO staff_member (uuid, full_name, job_title, email, phone, active, "
                    "created_at, created_by, updated_at, updated_by, version) VALUES "
                    "(gen_random_uuid(), 'Already here', '', '', '', true, now(), 'x', now(), "
                    "'x', 1)"
                )
            )
        before = sums(target)
        with pytest.raises(CopyError, match="already holds data.*nothing was copied"):
            copy_database(str(office.sqlite_path), target.address)
        assert sums(target) == before
    finally:
        target.dispose()


def test_an_empty_database_of_ours_on_the_server_is_filled(office, new_pg_database):
    url = new_pg_database.create(migrated=True)  # made by thep-admin init, nothing in it
    result = copy_database(str(office.sqlite_path), url)
    assert all(t.ok for t in result.tables) and result.rows > 90


@pytest.mark.parametrize("what", ["missing", "another program's", "newer", "text"])
def test_a_source_that_is_not_ours_is_refused_and_the_target_left_empty(
    tmp_path, new_pg_database, what
):
    source = tmp_path / "office.sqlite3"
    if what == "another program's":
        with sqlite3.connect(source) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
        conn.close()
    elif what == "newer":
        from fixtures.make_schema_fixtures import fixture_paths

        shutil.copyfile(fixture_paths("0003")[0], source)
        with sqlite3.connect(source) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        conn.close()
    elif what == "text":
        source.write_text("minutes of the last meeting")
    before = folder_state(tmp_path)
    target = new_pg_database.create()
    with pytest.raises(CopyError, match="Nothing was copied"):
        copy_database(str(source), target)
    assert _tables(target) == []
    assert folder_state(tmp_path) == before


def test_an_older_local_database_is_upgraded_in_a_copy_and_the_source_left_alone(
    tmp_path, new_pg_database
):
    from fixtures.make_schema_fixtures import fixture_paths

    source = tmp_path / "office.sqlite3"
    shutil.copyfile(fixture_paths("0003")[0], source)
    before = folder_state(tmp_path)
    target = new_pg_database.create()
    result = copy_database(str(source), target)
    assert result.upgraded_from == "0003_signatories"
    assert folder_state(tmp_path) == before
    db = Database(target)
    try:
        assert db.current_revision() == head_revision()
        assert sums(db)["school"].rows == 3
    finally:
        db.dispose()


def test_a_copy_that_fails_part_way_leaves_the_server_database_empty(
    office, new_pg_database, monkeypatch
):
    target = new_pg_database.create()
    real = database_copy.insert_rows
    copied: list[str] = []

    def fails_at_contacts(conn, table, rows, progress=None, total=0):  # type: ignore[no-untyped-def]
        if table.name == "contact":
            raise OSError("the network went away")
        copied.append(table.name)
        return real(conn, table, rows, progress, total)

    monkeypatch.setattr(database_copy, "insert_rows", fails_at_contacts)
    with pytest.raises(OSError):
        copy_database(str(office.sqlite_path), target)
    assert "school" in copied  # it had copied some tables
    assert _tables(target) == []  # and nothing of them is left


def test_a_copy_whose_checksums_differ_is_undone_saying_which_table(
    office, new_pg_database, monkeypatch
):
    target = new_pg_database.create()
    real = database_copy.insert_rows

    def one_school_fewer(conn, table, rows, progress=None, total=0):  # type: ignore[no-untyped-def]
        rows = list(rows)
        if table.name == "school":
            rows = [r for r in rows if r["id"] != max(x["id"] for x in rows)]
            # Nothing of the last school either, so the foreign keys still hold.
        if table.name in ("contact", "member"):  # (the last school has applied to join)
            schools = conn.execute(text("SELECT id FROM school")).scalars().all()
            rows = [r for r in rows if r["school_id"] is None or r["school_id"] in schools]
        if table.name == "membership_period":
            members = conn.execute(text("SELECT id FROM member")).scalars().all()
            rows = [r for r in rows if r["member_id"] in members]
        return real(conn, table, rows, progress, total)

    monkeypatch.setattr(database_copy, "insert_rows", one_school_fewer)
    with pytest.raises(CopyError, match="school has 89 rows instead of 90.*Nothing was copied"):
        copy_database(str(office.sqlite_path), target)
    assert _tables(target) == []


def test_copy_a_server_database_into_a_new_file(office, new_pg_database, tmp_path):
    server = new_pg_database.create()
    copy_database(str(office.sqlite_path), server)
    back = tmp_path / "back" / "office.sqlite3"
    back.parent.mkdir()
    result = copy_database(server, f"sqlite:///{back}")
    assert all(t.ok for t in result.tables)
    db = Database(back)
    try:
        assert sums(db, audit=True) == sums(office, audit=True)
        assert db.recognise().state == "ours"
    finally:
        db.dispose()
    # An existing file is never written over.
    before = folder_state(back.parent)
    with pytest.raises(CopyError, match="already exists.*Nothing was copied"):
        copy_database(server, str(back))
    assert folder_state(back.parent) == before


def test_a_copy_into_a_new_file_that_fails_leaves_no_file(office, tmp_path, monkeypatch):
    def fails(conn, table, rows, progress=None, total=0):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(database_copy, "insert_rows", fails)
    target = tmp_path / "new" / "office.sqlite3"
    target.parent.mkdir()
    with pytest.raises(OSError):
        copy_database(str(office.sqlite_path), str(target))
    assert list(target.parent.iterdir()) == []


def test_a_value_the_server_cannot_hold_is_said_and_nothing_copied(office, new_pg_database):
    # A local file stores a name longer than the schema allows; the server does not.
    with office.session() as session:
        session.execute(text("UPDATE school SET name = :n WHERE id = 3"), {"n": "x" * 300})
    office.dispose()
    target = new_pg_database.create()
    with pytest.raises(CopyError) as refused:
        copy_database(str(office.sqlite_path), target)
    assert str(refused.value).startswith("The table school could not be copied: value too long")
    assert str(refused.value).endswith("Nothing was copied.")
    assert _tables(target) == []
