"""Helpers for the tests of server backups and copies: checksums, hiding pg_dump, old schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from thep_desktop.database import Database, normalise_url
from thep_desktop.services.backups import server_backup
from thep_desktop.services.backups.table_checksums import TableSum, table_checksums


def sums(db: Database) -> dict[str, TableSum]:
    """Every table's rows and checksum, as the database has them now."""
    with db.engine.connect() as conn:
        return table_checksums(conn)


def hide_pg_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on an office PC without PostgreSQL's programs: neither pg_dump nor pg_restore."""
    monkeypatch.setattr(server_backup, "find_pg_tool", lambda name, major: None)


def load_sql_dump(url: str, dump: Path) -> None:
    """A released schema's PostgreSQL fixture (tests/fixtures/schema-NNNN.postgresql.sql)."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(dump.read_text(encoding="utf-8"))
    finally:
        engine.dispose()
