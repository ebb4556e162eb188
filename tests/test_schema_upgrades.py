"""Upgrading a real database made by each released schema, with data in it, to the newest one.

The fixtures (``tests/fixtures/schema-NNNN.*``, made by ``make_schema_fixtures.py``) are a
SQLite file and a PostgreSQL dump at each released revision. Each is opened the way the
program opens a database (``open_services``: upgrade to head, copy of a SQLite file first),
and then every row and field that was there must still be there, read both as stored and
through the services the program uses.
"""

from __future__ import annotations

import enum
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fixtures.make_schema_fixtures import RELEASED, fixture_paths, rows_at
from hostile_databases import statement_fails
from pg_databases import PgDatabases
from server_backups import load_sql_dump
from sqlalchemy import MetaData, create_engine, inspect, select, text

from thep_desktop.database import DatabaseError, head_revision, normalise_url, sqlite_url
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor

Stored = dict[str, dict[Any, dict[str, Any]]]  # table -> id -> column -> value as stored


def stored_rows(url: str) -> tuple[str | None, Stored]:
    """The revision and every row of every table, as the database holds them (no types)."""
    engine = create_engine(normalise_url(url))
    try:
        meta = MetaData()
        meta.reflect(engine)
        found: Stored = {}
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                key = table.c.id if "id" in table.c else list(table.c)[0]
                found[table.name] = {
                    row[key.name]: {
                        k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()
                    }
                    for row in conn.execute(select(table)).mappings()
                }
        return revision, found
    finally:
        engine.dispose()


def assert_survived(before: Stored, after: Stored) -> None:
    """Every table, row and column there before holds the same value after."""
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        assert sorted(after[table]) == sorted(rows), f"rows of {table} differ"
        for row_id, columns in rows.items():
            for column, value in columns.items():
                assert after[table][row_id].get(column, "(column gone)") == value, (
                    f"{table} {row_id}.{column}"
                )


def plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def assert_fields(found: object, expected: dict[str, Any]) -> None:
    """Each expected column that the service's record also has, with the same value."""
    compared = [name for name in expected if hasattr(found, name)]
    assert len(compared) >= 5, f"too little of {type(found).__name__} compared"
    for name in compared:
        assert plain(getattr(found, name)) == expected[name], name


def assert_program_reads_the_data(services: Services, number: str) -> None:
    """What the office sees after the upgrade: the released data, field by field."""
    actor = services.actor
    data = rows_at(number)
    (profile_row,) = data["organisation_profile"]
    assert_fields(services.organisation.get_profile(actor), profile_row)
    staff = {s.id: s for s in services.staff.list_staff(actor)}
    assert sorted(staff) == [row["id"] for row in data["staff_member"]]
    for row in data["staff_member"]:
        assert_fields(staff[row["id"]], row)
    assert services.schools.count(actor) == len(data["school"])
    for row in data["school"]:
        school = services.schools.get_school_by_urn(actor, row["urn"])
        assert_fields(school, row)
        contacts = [c for c in data["contact"] if c["school_id"] == row["id"]]
        assert len(school.contacts) == len(contacts)
        by_id = {c.id: c for c in school.contacts}
        for contact in contacts:
            assert_fields(by_id[contact["id"]], contact)
    if "letter_template" in data:
        templates = {t.id: t for t in services.letters.list_templates(actor)}
        for row in data["letter_template"]:
            assert_fields(templates[row["id"]], row)
        (letter,) = data["correspondence"]
        (sent,) = services.letters.correspondence(actor, letter["school_id"])
        assert_fields(sent, letter)
        (document,) = data["document"]
        assert services.letters.correspondence_pdf(actor, letter["id"]) == document["pdf"]
    if "app_user" in data:
        # The people and their roles, and the audit trail with its chain unbroken: the
        # upgraded program reads the released chain and carries it on.
        users = {u.login: u for u in services.users.list_users(actor)}
        for row in data["app_user"]:
            assert_fields(users[row["login"]], row)
        released = data["audit_event"]
        check = services.audit.check(actor)
        assert check.ok, check.problems
        assert check.rows >= len(released)
        (school,) = [row for row in data["school"] if row["uuid"] == released[-1]["record_uuid"]]
        history = services.audit.history(actor, school["uuid"])
        assert [(e.seq, e.who, e.action) for e in history][-1:] == [
            (released[-1]["seq"], released[-1]["actor"], released[-1]["action"])
        ]
    # And the upgraded register takes new work: ids carry on after the released ones.
    added = services.schools.create_school(
        actor,
        SchoolInput(
            urn=100009,
            name="Added After The Upgrade Primary",
            phase="Primary",
            la_code="211",
            establishment_number="2009",
            establishment_type="Community school",
            postcode="E1 6AB",
        ),
    )
    assert added.id > max(row["id"] for row in data["school"])


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_a_released_sqlite_database_upgrades_with_its_data_intact(
    number: str, tmp_path: Path, actor: Actor
) -> None:
    fixture, _ = fixture_paths(number)
    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture, path)
    revision, before = stored_rows(sqlite_url(path))
    assert revision == RELEASED[number]
    assert sum(len(rows) for rows in before.values()) == sum(
        len(rows) for rows in rows_at(number).values()
    )

    upgraded = RELEASED[number] != head_revision()  # the newest released one stays as it is
    services, note = open_services(sqlite_url(path), actor)
    try:
        assert ("was upgraded" in note) is upgraded
        assert services.db.current_revision() == head_revision()
        # The migrations ran in one transaction with foreign keys enforced, batch mode and all:
        # every reference still holds, and everyday connections still enforce them.
        with services.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        revision, after = stored_rows(sqlite_url(path))
        assert revision == head_revision()
        assert_survived(before, after)
        assert_program_reads_the_data(services, number)
    finally:
        services.close()
    # The copy taken before an upgrade is the file as it was.
    backups = list(tmp_path.glob(f"partnership-office.before-{RELEASED[number]}-*.sqlite3"))
    assert len(backups) == int(upgraded)
    if not upgraded:
        return
    (backup,) = backups
    assert stored_rows(sqlite_url(backup)) == (RELEASED[number], before)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture
def empty_pg_url(new_pg_database: PgDatabases) -> str:
    """A new, empty PostgreSQL database of this test's own, dropped afterwards."""
    return new_pg_database.create()


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_a_released_postgresql_database_upgrades_with_its_data_intact(
    number: str, empty_pg_url: str, actor: Actor
) -> None:
    _, dump = fixture_paths(number)
    load_sql_dump(empty_pg_url, dump)
    revision, before = stored_rows(empty_pg_url)
    assert revision == RELEASED[number]
    assert sum(len(rows) for rows in before.values()) == sum(
        len(rows) for rows in rows_at(number).values()
    )

    services, note = open_services(empty_pg_url, actor)
    try:
        assert "new, empty" not in note
        assert services.db.current_revision() == head_revision()
        revision, after = stored_rows(empty_pg_url)
        assert revision == head_revision()
        assert_survived(before, after)
        assert_program_reads_the_data(services, number)
    finally:
        services.close()


def test_every_released_schema_has_its_fixtures() -> None:
    """A released revision without fixtures would not be checked: make them when releasing."""
    for number, revision in RELEASED.items():
        sqlite_file, dump = fixture_paths(number)
        assert sqlite_file.exists() and dump.exists(), number
        assert revision.startswith(number)
        assert f"INSERT INTO public.alembic_version VALUES ('{revision}')" in dump.read_text(
            encoding="utf-8"
        )


def test_a_damaged_released_file_is_refused_and_left_as_it_was(
    tmp_path: Path, actor: Actor
) -> None:
    """A file from an unknown (newer) schema is refused in words; its data is not touched."""
    fixture, _ = fixture_paths("0001")
    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001_unknown'")
    before = stored_rows(sqlite_url(path))
    with pytest.raises(DatabaseError, match="newer version"):
        open_services(sqlite_url(path), actor)
    assert stored_rows(sqlite_url(path)) == before
    assert not list(tmp_path.glob("*.before-*"))  # no upgrade was started, so no copy


# -- a migration applies whole or not at all -------------------------------------------------------
def released_at(number: str, kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The address of a database of the released schema ``number``: a file, or a server's."""
    sqlite_file, dump = fixture_paths(number)
    if kind == "sqlite":
        path = tmp_path / "partnership-office.sqlite3"
        shutil.copyfile(sqlite_file, path)
        return sqlite_url(path)
    url = request.getfixturevalue("new_pg_database").create()
    load_sql_dump(url, dump)
    return url


def add_stray_correspondence_table(url: str) -> None:
    """The issue's case: a table the next migration creates is there already."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE correspondence (note VARCHAR(20))"))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_failed_migration_changes_nothing_and_says_so_every_time(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, actor: Actor
) -> None:
    url = released_at("0001", kind, request, tmp_path)
    add_stray_correspondence_table(url)
    before = stored_rows(url)
    tables = table_names(url)
    messages = []
    for _attempt in range(2):  # the next start meets the same clear failure
        with pytest.raises(DatabaseError) as failed:
            open_services(url, actor)
        messages.append(str(failed.value))
        assert stored_rows(url) == before  # revision 0001 and every row as it was
        assert table_names(url) == tables
        assert not {"document", "letter_template"} & tables
    for message in messages:
        assert "could not be brought up to date from schema 0001_foundation" in message
        assert re.search(r'(table|relation) "?correspondence"? already exists\.', message)
        assert "Nothing in it was changed." in message
        assert "document" not in message and "Traceback" not in message
        # The file is as it was, so no copy of it is kept: none piles up at each attempt.
        assert "copy" not in message
    assert not list(tmp_path.glob("*.before-*"))


def test_a_failed_upgrade_that_could_not_be_undone_keeps_its_copy_and_names_it(
    tmp_path: Path, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the file not read back as it was, the copy taken before is the way back."""
    from thep_desktop import database

    url = released_at("0001", "sqlite", None, tmp_path)  # type: ignore[arg-type]  # a file needs no request
    add_stray_correspondence_table(url)
    before = stored_rows(url)
    monkeypatch.setattr(database.Database, "_unchanged_since", lambda self, revision: False)
    with pytest.raises(DatabaseError) as failed:
        open_services(url, actor)
    kept = re.search(r"A copy of it as it was is kept at (.+)\.$", str(failed.value))
    assert kept and stored_rows(sqlite_url(kept[1])) == before


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_migration_failing_half_way_leaves_the_database_as_it_was(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, actor: Actor
) -> None:
    """0002 has run and 0003 is part done when a statement fails: all of it is undone."""
    url = released_at("0001", kind, request, tmp_path)
    before = stored_rows(url)
    tables = table_names(url)
    with (
        statement_fails(lambda sql: "signatory_position" in sql) as ran,
        pytest.raises(DatabaseError, match="injected fault. Nothing in it was changed."),
    ):
        open_services(url, actor)
    assert any(sql.startswith("CREATE TABLE letter_template") for sql in ran)  # 0002 had run
    assert stored_rows(url) == before and table_names(url) == tables
    # Nothing is left in the way: the next attempt upgrades it whole.
    services, note = open_services(url, actor)
    try:
        assert services.db.current_revision() == head_revision()
        assert_program_reads_the_data(services, "0001")
    finally:
        services.close()


def test_a_migration_that_would_leave_rows_pointing_nowhere_is_undone(
    tmp_path: Path, actor: Actor
) -> None:
    """Foreign keys are off while tables are re-made (SQLite's own procedure), and checked
    before the commit: a migration that orphans contacts is refused, and nothing changes."""
    from sqlalchemy import Engine, event

    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture_paths("0001")[0], path)
    before = stored_rows(sqlite_url(path))
    assert before[1]["contact"], "the fixture needs contacts for this test"

    def orphan_contacts(_conn, cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith("UPDATE alembic_version"):  # a migration done
            cursor.execute("DELETE FROM school")

    event.listen(Engine, "before_cursor_execute", orphan_contacts)
    try:
        with pytest.raises(DatabaseError, match="rows of contact would lose what they refer to"):
            open_services(sqlite_url(path), actor)
    finally:
        event.remove(Engine, "before_cursor_execute", orphan_contacts)
    assert stored_rows(sqlite_url(path)) == before
