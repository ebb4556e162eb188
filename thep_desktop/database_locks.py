"""One writer at a time: the write lock every save takes first, and telling "busy" apart."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

# Any fixed number names the lock; this one spells "THEP" (PostgreSQL advisory locks are
# shared by every program on the server, so it should not be a small number).
WRITE_LOCK_KEY = 0x54484550
# SQLite's wait for a lock outside a save (readers in WAL mode hardly ever wait at all).
SQLITE_BUSY_TIMEOUT_MS = 5000
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# PostgreSQL: lock_not_available (lock_timeout), deadlock_detected, serialization_failure.
_PG_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})


@dataclass
class LockWait:
    """How a save waits for a database someone else is writing to.

    Each attempt waits ``attempt_seconds`` for the lock; a save gives up after
    ``total_seconds`` in all (see services/shared/retry.py). ``notify`` is told how long the
    save has waited so far, and ``None`` when the wait is over; the window shows it.
    """

    attempt_seconds: float = 0.5
    total_seconds: float = field(default_factory=lambda: _seconds("THEP_SAVE_WAIT_SECONDS", 30.0))
    pause_seconds: float = 0.25
    notify: Callable[[float | None], None] | None = None


def _seconds(variable: str, default: float) -> float:
    """A wait set in the environment (tests and support staff shorten or lengthen it)."""
    try:
        return max(0.0, float(os.environ.get(variable, default)))
    except ValueError:
        return default


def take_write_lock(session: Session, wait: LockWait) -> None:
    """Make ``session``'s transaction the only one writing, before it reads anything.

    Every check a save makes (is this URN free, is the school still at the version the user
    loaded) then sees what is there now and stays true until it commits. SQLite: ``BEGIN
    IMMEDIATE`` (a plain BEGIN would let two saves read the same state, and the second fail
    on its first write). PostgreSQL: a transaction-scoped advisory lock that every save of
    this program takes. Either waits at most ``wait.attempt_seconds``; past that the
    database reports itself busy (:func:`is_busy`) and the whole save is tried again.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.dbapi_connection
        if raw.in_transaction:
            # Opened by the driver with a plain BEGIN and nothing done in it yet: end it, so
            # that the write lock is taken before anything is read.
            raw.execute("COMMIT")
        raw.execute(f"PRAGMA busy_timeout={max(1, int(wait.attempt_seconds * 1000))}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        finally:
            raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return
    if connection.dialect.name == "postgresql":
        # SET LOCAL ends with the transaction; it also bounds waits for rows or tables that
        # another program (or a person at psql) holds, which would otherwise wait forever.
        ms = max(1, int(wait.attempt_seconds * 1000))
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{ms}ms'")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def is_busy(exc: BaseException) -> bool:
    """True when ``exc`` means someone else holds a lock we waited for: try again later."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return True
        if getattr(current, "sqlstate", None) in _PG_BUSY_STATES:
            return True
        text = str(current)
        if type(current).__name__ == "OperationalError" and (
            "database is locked" in text or "database table is locked" in text
        ):
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False
