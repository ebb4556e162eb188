"""The copy keeps the office server's address to reconnect to, never its password."""

from __future__ import annotations

from pathlib import Path

from offline_records import office_with_demo
from sqlalchemy.engine import make_url

from thep_desktop.database import Database
from thep_desktop.services.offline.offline_service import address_without_password, copy_info_of


def test_the_address_loses_its_password_wherever_it_was_written() -> None:
    assert (
        address_without_password(make_url("postgresql+psycopg://jo:s3cret@server:5433/office"))
        == "postgresql+psycopg://jo@server:5433/office"
    )
    assert (
        address_without_password(
            make_url("postgresql+psycopg://jo@server/office?sslmode=require&password=s3cret")
        )
        == "postgresql+psycopg://jo@server/office?sslmode=require"
    )


def test_a_copy_taken_with_a_password_does_not_hold_it(pg_db: Database, tmp_path: Path) -> None:
    office = office_with_demo(pg_db)
    password = pg_db.url.password
    assert password
    path = tmp_path / "copy.sqlite3"
    office.offline.checkout(office.db, path)
    info = copy_info_of(path)
    assert make_url(info.server).password is None
    assert make_url(info.server).username == pg_db.url.username
    assert password.encode() not in path.read_bytes()
