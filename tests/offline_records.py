"""An office on a real PostgreSQL server with the demo's records, and offline copies of it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from thep_desktop.audit_trail import Action
from thep_desktop.database import Database
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.backups.table_checksums import (
    TableSum,
    differences,
    sqlite_checksums,
    table_checksums,
)
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.offline.offline_data import OfflineError
from thep_desktop.services.registry import Services, open_services


def office_with_demo(pg_db: Database) -> Services:
    """The office's services on ``pg_db`` (as its owner, an administrator), demo loaded."""
    office, _ = open_services(pg_db.url.render_as_string(hide_password=False))
    DemoService(office.db).load(office.actor)
    return office


def take_copy(office: Services, folder: Path, name: str = "copy.sqlite3") -> tuple[Services, Path]:
    path = folder / name
    office.offline.checkout(office.db, path)
    copy, _ = open_services(str(path))
    return copy, path


def rename_school(services: Services, urn: int, name: str) -> None:
    change_school(services, urn, name=name)


def change_school(services: Services, urn: int, **changes: object) -> None:
    """The school saved through the schools service with these fields of its form changed."""
    detail = services.schools.get_school_by_urn(services.actor, urn)
    services.schools.update_school(
        services.actor, detail.id, detail.version, replace(detail.as_input(), **changes)
    )


def school_name(services: Services, urn: int) -> str:
    return services.schools.get_school_by_urn(services.actor, urn).name


# -- nothing changed on either side -----------------------------------------------------------
def office_sums(db: Database) -> dict[str, TableSum]:
    """Every table of the office's database (its audit trail among them): rows and checksum."""
    with db.read_session() as session:
        return table_checksums(session.connection())


def copy_sums(path: Path) -> tuple[dict[str, TableSum], list[str]]:
    """Every table of the copy, read without writing to it, and the files beside it."""
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sums = sqlite_checksums(raw)
    finally:
        raw.close()
    return sums, sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def trail_seq(db: Database) -> int:
    """The last row of the office's audit trail."""
    with db.read_session() as session:
        return int(session.scalar(select(func.max(AuditEvent.seq))) or 0)


def copy_trail(path: Path) -> list[str]:
    """The actions of the copy's own audit trail, in order."""
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in raw.execute("SELECT action FROM audit_event ORDER BY seq")]
    finally:
        raw.close()


@contextmanager
def nothing_changed(
    office_db: Database, *copies: Path, refusals_recorded: bool = False
) -> Iterator[None]:
    """The block is refused: the office's rows, its audit trail and each copy are as they were.

    ``refusals_recorded``: a service refused the copy's user (PermissionDeniedError), which
    the copy's own trail records as a refusal, and only that.
    """
    office_before = office_sums(office_db)
    seq_before = trail_seq(office_db)
    copies_before = [copy_sums(p) for p in copies]
    trails_before = [copy_trail(p) for p in copies]
    yield
    assert trail_seq(office_db) == seq_before, "the office's audit trail has new rows"
    assert differences(office_before, office_sums(office_db)) == []
    for path, before, trail in zip(copies, copies_before, trails_before, strict=True):
        after = copy_sums(path)
        if refusals_recorded:
            added = copy_trail(path)[len(trail) :]
            assert added and set(added) == {Action.REFUSED.value}
            del before[0]["audit_event"], after[0]["audit_event"]
        assert after[1] == before[1], f"files beside the copy {path.name}: {after[1]}"
        changed = differences(before[0], after[0])
        assert changed == [], f"the copy {path.name} changed: {changed}"


def refused(office_db: Database, *copies: Path, match: str) -> AbstractContextManager[object]:
    """``pytest.raises(OfflineError)`` with ``match``, and nothing changed on either side."""
    stack = ExitStack()
    stack.enter_context(nothing_changed(office_db, *copies))
    stack.enter_context(pytest.raises(OfflineError, match=match))
    return stack
