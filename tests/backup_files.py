"""What a SQLite database holds, table by table, to show a backup or restore kept every row."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path


def table_checksums(path: Path, *, audit: bool = True) -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of all its rows (in a fixed order).

    Without ``audit`` the audit trail and the list of users are left out: opening a database
    records a login in the trail (and on a local file adds the computer's login to the users
    if it is new), and a restore records itself; the trail's own tests check them.
    """
    sums: dict[str, tuple[int, str]] = {}
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            if audit or r[0] not in ("audit_event", "app_user")
        ]
        for name in names:
            rows = sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"'))
            digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
            sums[name] = (len(rows), digest)
    return sums
