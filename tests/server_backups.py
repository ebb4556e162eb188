"""Helpers for the tests of server backups and copies: checksums, hiding pg_dump, old schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from thep_desktop.database import Database, normalise_url
from thep_desktop.services.backups import server_backup
from thep_desktop.services.backups.table_checksums import TableSum, table_checksums

# What opening a database (and restoring one) writes of its own.
_OPENING_WRITES = frozenset({"audit_event", "app_user"})


def sums(db: Database, *, audit: bool = True) -> dict[str, TableSum]:
    """Every table's rows and checksum, as the database has them now.

    Without ``audit`` the audit trail and the list of users are left out: opening a database
    records a login in the trail (and on a local file adds the computer's login to the users
    if it is new), and a restore records itself; the trail's own tests check them.
    """
    with db.engine.connect() as conn:
        found = table_checksums(conn)
    return found if audit else {k: v for k, v in found.items() if k not in _OPENING_WRITES}


def hide_pg_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on an office PC without PostgreSQL's programs: neither pg_dump nor pg_restore."""
    monkeypatch.setattr(server_backup, "find_pg_tool", lambda name, major: None)


def load_sql_dump(url: str, dump: Path) -> None:
    """A released schema's PostgreSQL fixture (tests/fixtures/schema-NNNN.postgresql.sql)."""
    engine = create_engine(normalise_url(url))
    try:
        # Straight to the driver, without parameters: a dump's functions (0005's audit
        # trigger) hold '%' in their RAISE messages, which parameter parsing would refuse.
        raw = engine.raw_connection()
        try:
            raw.cursor().execute(dump.read_text(encoding="utf-8"))
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()
