"""An offline copy names its office server without the server's password, anywhere in the file."""

from __future__ import annotations

from pathlib import Path

from offline_records import office_with_demo, take_copy
from sqlalchemy.engine import make_url

from thep_desktop.database import Database
from thep_desktop.services.offline.offline_service import copy_info_of


def test_the_copy_records_the_server_without_its_password(pg_db: Database, tmp_path: Path) -> None:
    office = office_with_demo(pg_db)
    copy, path = take_copy(office, tmp_path)
    copy.db.dispose()
    address = make_url(office.db.address)
    password = address.password
    assert password  # the test server's address carries one: it must not reach the copy
    info = copy_info_of(path)
    recorded = make_url(info.server)
    assert recorded.password is None
    assert (recorded.username, recorded.host, recorded.port, recorded.database) == (
        address.username,
        address.host,
        address.port,
        address.database,
    )
    assert info.server_words == f"{address.host}:{address.port} / {address.database}"
    assert str(password).encode() not in path.read_bytes()
