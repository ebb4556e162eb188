"""A database this user may only read opens read-only, and every write is refused in words."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from read_only_databases import make_read_only
from sqlalchemy import text

from thep_desktop.database import Database, DatabaseError, ReadOnlyDatabaseError
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor

CASES = ["sqlite file", "sqlite folder", "postgresql"]


@pytest.fixture(params=CASES)
def readable_only(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actor: Actor
) -> str:
    """A register with one school, that this user can then only read."""
    if request.param == "postgresql":
        address = request.getfixturevalue("new_pg_database").create(migrated=True)
    else:
        address = str(tmp_path / "office.sqlite3")
        Database(address).upgrade(create=True)
    services, _note = open_services(address, actor)
    services.schools.create_school(
        actor, SchoolInput(urn="100001", name="Bow Primary", la_code="211")
    )
    services.organisation.get_profile(actor)  # the profile row exists, as in any register in use
    services.close()
    make_read_only(address, monkeypatch, request.param.removeprefix("sqlite "))
    return address


def snapshot(address: str) -> tuple[object, ...]:
    """Every row that matters, and the SQLite file's bytes."""
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            rows = tuple(
                tuple(conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).all())
                for table in ("school", "staff_member", "organisation_profile", "correspondence")
            )
    finally:
        db.dispose()
    path = db.sqlite_path
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path else ""
    return rows, digest


def test_it_opens_read_only_lists_and_refuses_every_write_in_words(
    readable_only: str, actor: Actor
) -> None:
    before = snapshot(readable_only)
    services, _note = open_services(readable_only, actor)
    try:
        assert services.db.read_only
        assert [s.name for s in services.schools.list_school_details(actor)] == ["Bow Primary"]
        school = services.schools.get_school_by_urn(actor, 100001)
        assert services.organisation.get_profile(actor).name  # reading through a session works
        # The built-in templates were never added to this register, and cannot be now:
        # listing still works, with the templates it has.
        assert services.letters.list_templates(actor) == []
        writes = [
            lambda: services.schools.create_school(
                actor, SchoolInput(urn="100002", name="Mile End", la_code="211")
            ),
            lambda: services.schools.update_school(
                actor,
                school.id,
                school.version,
                SchoolInput(**{**vars(school.as_input()), "phone": "020 7000 1111"}),
            ),
            lambda: services.staff.create_staff(actor, StaffInput("Nadia Rahman", "Officer")),
        ]
        for write in writes:
            with pytest.raises(ReadOnlyDatabaseError) as refused:
                write()
            assert refused.value.message.startswith("Changes cannot be saved: ")
            assert refused.value.message.endswith("Nothing was changed.")
    finally:
        services.close()
    assert snapshot(readable_only) == before


def test_a_database_that_needs_updating_but_cannot_be_written_is_refused(
    readable_only: str, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thep_desktop.database as database

    current = database.head_revision()
    monkeypatch.setattr(database, "head_revision", lambda: "9999_future")
    monkeypatch.setattr(database, "all_revisions", lambda: {current, "9999_future"})
    before = snapshot(readable_only)
    folder = Path(readable_only).parent if "://" not in readable_only else None
    with pytest.raises(
        DatabaseError, match="needs to be updated for this version of the program, but"
    ):
        open_services(readable_only, actor)
    assert snapshot(readable_only) == before
    if folder:  # no copy taken beside it either
        assert [p.name for p in folder.iterdir() if "before-" in p.name] == []
