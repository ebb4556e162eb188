"""Backing up a local database, restoring a backup, and the daily automatic backup."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from backup_files import table_checksums
from hostile_databases import folder_state

from thep_desktop.database import Database
from thep_desktop.services.backups.backup_service import (
    AUTO_PREFIX,
    KEEP_AUTOMATIC,
    BackupError,
    BackupService,
    check_backup_file,
    digest_path,
)
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import PermissionDeniedError

MOMENT = datetime(2026, 11, 30, 14, 15)


def _service(db: Database, when: datetime = MOMENT) -> BackupService:
    return BackupService(db, now=lambda: when)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder for backups, apart from the database's own."""
    path = tmp_path / "chosen"
    path.mkdir()
    return path


@pytest.fixture
def demo_sqlite(sqlite_db: Database, actor: Actor) -> Database:
    DemoService(sqlite_db).load(actor)
    return sqlite_db


def test_back_up_now_writes_a_dated_verified_copy(demo_sqlite: Database, actor, folder):
    info = _service(demo_sqlite).back_up(actor, folder)
    assert info.path == folder / "partnership-office-backup-2026-11-30-1415.sqlite3"
    # No temporary left; the SHA-256 beside it.
    assert sorted(p.name for p in folder.iterdir()) == [info.path.name, info.path.name + ".sha256"]
    assert info.schools == 90
    assert table_checksums(info.path) == table_checksums(demo_sqlite.sqlite_path)
    assert check_backup_file(info.path).row_counts == info.row_counts
    # A second one in the same minute keeps both.
    again = _service(demo_sqlite).back_up(actor, folder)
    assert again.path.name == "partnership-office-backup-2026-11-30-1415-2.sqlite3"


def test_a_part_written_copy_left_by_a_killed_backup_is_cleared_later(sqlite_db, actor, folder):
    old = folder / ".partnership-office-backup-2026-11-29-0900.sqlite3.part"
    fresh = folder / ".partnership-office-backup-2026-11-30-1414.sqlite3.part"
    for part in (old, fresh):
        part.write_bytes(b"half a copy")
    two_hours_ago = datetime.now().timestamp() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    _service(sqlite_db).back_up(actor, folder)
    assert not old.exists()
    assert fresh.exists()  # perhaps being written by another window this minute


def test_back_up_to_a_named_file_refuses_to_overwrite(demo_sqlite, actor, folder):
    target = folder / "mine.sqlite3"
    target.write_bytes(b"the office's own file")
    with pytest.raises(BackupError, match="already a file called mine.sqlite3"):
        _service(demo_sqlite).back_up(actor, target)
    assert target.read_bytes() == b"the office's own file"
    assert [p.name for p in folder.iterdir()] == ["mine.sqlite3"]


def test_back_up_to_a_missing_or_read_only_folder_is_refused_in_words(sqlite_db, actor, folder):
    with pytest.raises(BackupError, match="does not exist"):
        _service(sqlite_db).back_up(actor, folder / "nowhere" / "x")
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(BackupError, match="cannot be written to"):
            _service(sqlite_db).back_up(actor, locked)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_copy_that_does_not_read_back_the_same_is_not_kept(
    demo_sqlite, actor, folder, monkeypatch
):
    import thep_desktop.services.backups.backup_service as module

    real = module.table_counts
    calls = []

    def miscounted(conn):
        counts = real(conn)
        calls.append(1)
        if len(calls) == 2:  # the read-back of the copy
            counts["school"] -= 1
        return counts

    monkeypatch.setattr(module, "table_counts", miscounted)
    with pytest.raises(BackupError, match="did not read back the same"):
        _service(demo_sqlite).back_up(actor, folder)
    assert list(folder.iterdir()) == []


def test_restore_replaces_the_register_in_place_after_backing_it_up(demo_sqlite, actor, folder):
    service = _service(demo_sqlite)
    taken = service.back_up(actor, folder)
    path = demo_sqlite.sqlite_path
    as_backed_up = table_checksums(path, audit=False)
    # The register changes after the backup: the contacts are removed.
    with demo_sqlite.session() as session:
        session.execute(__import__("sqlalchemy").text("DELETE FROM contact"))
    changed = table_checksums(path)
    assert changed != as_backed_up
    _info, words = service.restore_plan(actor, taken.path)
    assert words == (
        "The register as it was on 30/11/2026 at 14:15, with 90 schools, replaces the current "
        "one; the current one is backed up first."
    )
    before, note = _service(demo_sqlite, MOMENT + timedelta(minutes=1)).restore(
        actor, taken.path, folder
    )
    assert note == ""
    assert table_checksums(path, audit=False) == as_backed_up
    assert table_checksums(before) == changed  # the register as it was is kept
    assert all(result.ok for result in run_checks(demo_sqlite, actor))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncate", "damaged"),
        ("flip", "damaged"),
        ("one byte", "damaged since the backup was made"),
        ("foreign", "not a backup of THE Partnership Office"),
        ("newer", "newer version of THE Partnership Office"),
        ("bad text", "the file is damaged"),
        ("text", "not a backup of THE Partnership Office"),
    ],
)
def test_a_bad_backup_is_refused_with_nothing_changed(demo_sqlite, actor, folder, damage, words):
    import sqlite3

    taken = _service(demo_sqlite).back_up(actor, folder)
    bad = taken.path
    data = bytearray(bad.read_bytes())
    if damage == "truncate":
        bad.write_bytes(bytes(data[: len(data) // 2 + 100]))
    elif damage == "flip":
        for offset in range(4096 * 3, len(data), 997):
            data[offset] ^= 0x5A
        bad.write_bytes(bytes(data))
    elif damage == "one byte":  # inside a school's name: SQLite's checks cannot see it
        at = -1
        while True:  # a letter of a street's name, which no index holds
            at = bytes(data).index(b"Road", at + 1)
            data[at] = ord("r")
            bad.write_bytes(bytes(data))
            if not check_backup_file_without_digest(bad):
                break
            data[at] = ord("R")
    elif damage == "foreign":
        bad.unlink()
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
    elif damage == "newer":
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    elif damage == "bad text":  # bytes that are not UTF-8 where text belongs, as a flip makes
        with sqlite3.connect(bad) as conn:  # a column's name in the schema: "update\x9b_at"
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute(
                "UPDATE sqlite_master SET sql = replace(sql, 'updated_at', "
                "CAST(x'7570646174659b5f6174' AS TEXT)) WHERE name = 'school'"
            )
        conn.close()
    else:
        bad.write_text("Dear colleague, here is the backup.")
    if damage in ("foreign", "newer", "text", "bad text"):  # chosen on its own: no SHA-256
        digest_path(bad).unlink()
    database_folder = demo_sqlite.sqlite_path.parent
    demo_sqlite.dispose()
    before_db, before_backups = folder_state(database_folder), folder_state(folder)
    with pytest.raises(BackupError, match=words) as refused:
        _service(demo_sqlite).restore(actor, bad, folder)
    assert "Nothing was changed" in str(refused.value)
    demo_sqlite.dispose()
    assert folder_state(database_folder) == before_db
    assert folder_state(folder) == before_backups


def check_backup_file_without_digest(path: Path) -> list[str]:
    """What SQLite's own integrity check finds in ``path`` (nothing for a changed letter)."""
    import sqlite3

    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        found = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    conn.close()
    return [] if found == ["ok"] else found


def test_a_damaged_database_is_kept_as_it_was_and_the_backup_restored(demo_sqlite, actor, folder):
    import sqlite3

    from thep_desktop.database_recognition import recognise_sqlite_file

    taken = _service(demo_sqlite).back_up(actor, folder)
    path = demo_sqlite.sqlite_path
    demo_sqlite.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        query = "SELECT rootpage FROM sqlite_master WHERE name = 'school'"
        (root,) = conn.execute(query).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())  # the schools table's first page lost (a bad sector)
    data[(root - 1) * 4096 : root * 4096] = bytes(range(256)) * 16
    path.write_bytes(bytes(data))
    assert recognise_sqlite_file(path).state == "damaged"
    damaged_bytes = path.read_bytes()
    kept, _note = _service(demo_sqlite, MOMENT + timedelta(minutes=5)).restore(
        actor, taken.path, folder
    )
    assert kept.name == "partnership-office-damaged-2026-11-30-1420.sqlite3"
    assert kept.read_bytes() == damaged_bytes
    assert table_checksums(path, audit=False) == table_checksums(taken.path, audit=False)
    assert all(result.ok for result in run_checks(demo_sqlite, actor))
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]
    # The damaged copy is not offered as a backup to restore.
    assert [i.path for i in _service(demo_sqlite).list_backups(folder)] == [taken.path]


def test_an_older_schema_backup_is_restored_then_upgraded(sqlite_db, actor, folder):
    from fixtures.make_schema_fixtures import fixture_paths

    backup = folder / "partnership-office-backup-2025-01-10-0930.sqlite3"
    backup.write_bytes(fixture_paths("0003")[0].read_bytes())
    info = check_backup_file(backup)
    assert info.revision == "0003_signatories"
    _before, note = _service(sqlite_db).restore(actor, backup, folder)
    assert "upgraded from schema 0003_signatories" in note
    assert sqlite_db.recognise().revision == sqlite_db.current_revision()
    assert all(result.ok for result in run_checks(sqlite_db, actor))


def test_restoring_needs_the_admin_role_and_backing_up_only_viewing(demo_sqlite, folder):
    viewer = Actor("vi", Role.VIEWER)
    taken = _service(demo_sqlite).back_up(viewer, folder)  # VIEW is enough
    before = table_checksums(demo_sqlite.sqlite_path)
    for role in (Role.STAFF, Role.CLERK, Role.TREASURER, Role.VIEWER):
        with pytest.raises(PermissionDeniedError):
            _service(demo_sqlite).restore(Actor("x", role), taken.path, folder)
    assert table_checksums(demo_sqlite.sqlite_path) == before
    assert sorted(p.name for p in folder.iterdir()) == [
        taken.path.name,
        f"{taken.path.name}.sha256",
    ]


def test_daily_backup_once_a_day_keeping_the_last_14_automatic_ones(sqlite_db, actor, folder):
    manual = _service(sqlite_db, datetime(2026, 1, 1, 9, 0)).back_up(actor, folder)
    made = []
    for day in range(20):
        when = datetime(2026, 11, 1, 8, 30) + timedelta(days=day)
        first = _service(sqlite_db, when).daily_backup(actor, folder)
        assert first is not None and first.automatic
        assert first.path.name.startswith(AUTO_PREFIX + "office-")
        made.append(first.path.name)
        # Opened again later the same day: no second backup.
        assert _service(sqlite_db, when + timedelta(hours=5)).daily_backup(actor, folder) is None
    names = sorted(p.name for p in folder.glob("*.sqlite3"))
    assert sorted(p.name for p in folder.glob("*.sha256")) == [f"{n}.sha256" for n in names]
    assert manual.path.name in names  # manual backups are never deleted
    assert sorted(n for n in names if n.startswith(AUTO_PREFIX)) == sorted(made[-KEEP_AUTOMATIC:])


def test_automatic_backups_of_another_database_are_left_alone(sqlite_db, actor, folder):
    import shutil

    other_path = folder.parent / "other" / "office.sqlite3"  # same name, another folder
    other_path.parent.mkdir()
    shutil.copyfile(sqlite_db.sqlite_path, other_path)
    other = Database(other_path)
    try:
        theirs = _service(other).daily_backup(actor, folder)
        ours = _service(sqlite_db).daily_backup(actor, folder)
        assert ours is not None and theirs is not None and ours.path != theirs.path
        for day in range(1, 16):
            _service(sqlite_db, MOMENT + timedelta(days=day)).daily_backup(actor, folder)
        assert theirs.path.exists()
    finally:
        other.dispose()


def test_list_backups_shows_date_size_schools_and_leaves_out_damaged(demo_sqlite, actor, folder):
    good = _service(demo_sqlite).back_up(actor, folder)
    (folder / "partnership-office-backup-2026-11-29-1000.sqlite3").write_bytes(b"junk")
    listed = _service(demo_sqlite).list_backups(folder)
    assert [(i.path, i.schools, i.size, i.taken_on_words) for i in listed] == [
        (good.path, 90, good.path.stat().st_size, "30/11/2026 at 14:15")
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def own_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database of this test's own: the test damages it (the shared server one stays whole)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    db = Database(request.getfixturevalue("new_pg_database").create(migrated=True))
    yield db
    db.dispose()


def test_check_finds_broken_foreign_keys_on_both_databases(own_db: Database, actor):
    import sqlalchemy as sa

    db = own_db
    assert all(result.ok for result in run_checks(db, actor))
    DemoService(db).load(actor)
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        else:  # the server would refuse the delete: take away the key, as damage would
            for key in sa.inspect(conn).get_foreign_keys("contact"):
                if key["referred_table"] == "school":
                    conn.exec_driver_sql(f'ALTER TABLE contact DROP CONSTRAINT "{key["name"]}"')
        # Schools that are not members (a member's school is kept by the server even so), and
        # without their census figures and peer reviews, so that only their contacts are left
        # pointing nowhere.
        conn.execute(sa.text("DELETE FROM school_census"))
        for table in ("reviewer", "review_school", "review", "cluster_school", "school_closure"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
        conn.execute(
            sa.text(
                "DELETE FROM school WHERE id IN (SELECT school_id FROM contact) AND id NOT IN "
                "(SELECT school_id FROM member WHERE school_id IS NOT NULL)"
            )
        )
    results = {r.name: r for r in run_checks(db, actor)}
    assert not results["Foreign keys hold"].ok
    # SQLite reports in its schema's own order, which a later table can change: any place.
    assert any("contact" in p for p in results["Foreign keys hold"].problems)
    assert results["Recognised as this program's database"].ok
