"""Every write on a database this user may only read is refused in words, and nothing changes.

Each service call that writes is tried on a register whose file, whose folder, or whose
PostgreSQL server lets this user read only (see tests/read_only_databases.py): each must end
in a :class:`ReadOnlyDatabaseError` and leave every row (and the SQLite file's bytes) as they
were, while reading keeps working.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from read_only_databases import make_read_only
from sqlalchemy import text

from thep_desktop.database import Database, ReadOnlyDatabaseError
from thep_desktop.models import Base
from thep_desktop.services.letters.letter_templates import TemplateInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor


def snapshot(address: str) -> tuple[object, ...]:
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            rows = tuple(
                tuple(map(tuple, conn.execute(text(f'SELECT * FROM "{table.name}"')).all()))
                for table in Base.metadata.sorted_tables
            )
    finally:
        db.dispose()
    path = db.sqlite_path
    return rows, hashlib.sha256(path.read_bytes()).hexdigest() if path else ""


def writes(services: Services, actor: Actor, gias_file: Path) -> dict[str, Callable[[], object]]:
    schools, staff, letters = services.schools, services.staff, services.letters
    school = schools.get_school_by_urn(actor, 100001)
    officer = staff.list_staff(actor)[0]
    profile = services.organisation.get_profile(actor)
    templates = letters.list_templates(actor)
    own = next(t for t in templates if not t.builtin)
    builtin = next(t for t in templates if t.builtin and t.body == "Our own words.")
    changed = SchoolInput(**{**vars(school.as_input()), "phone": "020 7000 1111"})
    return {
        "new school": lambda: schools.create_school(
            actor, SchoolInput(urn="100002", name="Mile End", la_code="211")
        ),
        "edit school": lambda: schools.update_school(actor, school.id, school.version, changed),
        "close school": lambda: schools.close_school(
            actor, school.id, school.version, date(2027, 8, 31)
        ),
        "delete school": lambda: schools.delete_school(actor, school.id, school.version),
        "new staff": lambda: staff.create_staff(actor, StaffInput("Sam Okafor", "Officer")),
        "edit staff": lambda: staff.update_staff(
            actor, officer.id, officer.version, StaffInput("Nadia Rahman", "Lead officer")
        ),
        "organisation profile": lambda: services.organisation.update_profile(
            actor, dataclasses.replace(profile, phone="020 7000 2222")
        ),
        "new template": lambda: letters.create_template(
            actor, TemplateInput(name="Thanks", subject="Thank you", body="Thank you.")
        ),
        "edit template": lambda: letters.update_template(
            actor, own.id, dataclasses.replace(own.as_input(), body="Changed."), own.version
        ),
        "reset template": lambda: letters.reset_template(actor, builtin.id, builtin.version),
        "delete template": lambda: letters.delete_template(actor, own.id, own.version),
        "GIAS import": lambda: services.gias_import.apply(
            actor, services.gias_import.preview(actor, gias_file, la_code="211")
        ),
    }


@pytest.mark.parametrize("kind", ["sqlite file", "sqlite folder", "postgresql"])
def test_every_write_on_a_read_only_database_is_refused_in_words(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    actor: Actor,
    kind: str,
    reliability,
) -> None:  # type: ignore[no-untyped-def]
    if kind == "postgresql":
        address = request.getfixturevalue("new_pg_database").create(migrated=True)
    else:
        address = str(tmp_path / "office.sqlite3")
        Database(address).upgrade(create=True)
    services, _note = open_services(address, actor)
    services.schools.create_school(actor, SchoolInput(urn="100001", name="Bow", la_code="211"))
    services.staff.create_staff(actor, StaffInput("Nadia Rahman", "Officer"))
    services.organisation.get_profile(actor)
    # The built-in templates, as in any register in use, one of them reworded (to reset).
    shipped = next(t for t in services.letters.list_templates(actor) if t.builtin)
    reworded = dataclasses.replace(shipped.as_input(), body="Our own words.")
    services.letters.update_template(actor, shipped.id, reworded, shipped.version)
    services.letters.create_template(
        actor, TemplateInput(name="Reminder", subject="A reminder", body="Please reply.")
    )
    services.close()
    gias_file = write_gias(tmp_path / "gias.csv", [gias_row(100001), gias_row(100003)])
    make_read_only(address, monkeypatch, kind.removeprefix("sqlite "))
    before = snapshot(address)

    services, _note = open_services(address, actor)
    broken: list[str] = []
    try:
        attempts = writes(services, actor, gias_file)
        for name, write in attempts.items():
            try:
                write()
                broken.append(f"{name}: saved")
            except ReadOnlyDatabaseError as exc:
                if not exc.message.startswith("Changes cannot be saved: "):
                    broken.append(f"{name}: {exc.message}")
            except Exception as exc:  # noqa: BLE001 - anything else is the failure counted
                broken.append(f"{name}: {type(exc).__name__}: {exc}")
            if snapshot(address) != before:
                broken.append(f"{name}: the database changed")
        if services.schools.count(actor) != 1:
            broken.append("reading failed")
    finally:
        services.close()
    reliability(
        f"every write on a read-only database ({kind.removeprefix('sqlite ')})",
        trials=len(attempts),
        failures=len(broken),
        database="postgresql" if kind == "postgresql" else "sqlite",
        kill_points="read-only server" if kind == "postgresql" else f"{kind[7:]} not writable",
        detail="refused in words, no row or byte changed, reading works",
    )
    assert broken == []
