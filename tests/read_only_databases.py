"""Making a test database one that this user may only read, on SQLite and PostgreSQL alike.

The tests run as root, who may write any file whatever its permission bits, so a file or
folder that cannot be written is shown to the program the way it would see one: through
``os.access``. PostgreSQL's own switch is ``default_transaction_read_only``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from thep_desktop.database import normalise_url, sqlite_file_of


def make_read_only(address: str, monkeypatch: pytest.MonkeyPatch, part: str = "file") -> None:
    """From now on ``address`` can be read but not written: its file, or its folder, or
    (a server database) every session."""
    path = sqlite_file_of(address)
    if path is None:
        url = make_url(normalise_url(address))
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(
                text(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on')
            )
        engine.dispose()
        return
    locked = Path(path) if part == "file" else Path(path).parent
    real_access = os.access

    def access(where: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(where)) == locked:
            return False  # as chmod a-w does for anyone but root
        return real_access(where, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
