"""Another program holding the database's write lock, as tests need it: held, then let go."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine

from thep_desktop.database import Database


@contextmanager
def write_lock_held(db: Database, *, release_after: float | None = None) -> Iterator[None]:
    """Hold a write lock on ``db`` from a connection of its own, as someone else's save would.

    SQLite: ``BEGIN IMMEDIATE`` on a second connection (nobody else can write). PostgreSQL:
    the school, contact and staff tables locked against writes (``LOCK TABLE … IN EXCLUSIVE MODE``),
    not our advisory lock, so the save under test gets into its transaction and meets the lock
    part-way through. ``release_after`` lets go after that many seconds (else at the end).
    """
    if db.sqlite_path is not None:
        conn = sqlite3.connect(db.sqlite_path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        release = lambda: conn.execute("ROLLBACK")  # noqa: E731
        close = conn.close
    else:
        engine = create_engine(db.url)
        pg = engine.connect()
        pg.exec_driver_sql("LOCK TABLE contact, school, staff_member IN EXCLUSIVE MODE")
        release = pg.rollback
        close = lambda: (pg.close(), engine.dispose())  # noqa: E731
    released = threading.Event()
    lock = threading.Lock()

    def let_go() -> None:
        with lock:
            if not released.is_set():
                release()
                released.set()

    timer = threading.Timer(release_after, let_go) if release_after is not None else None
    if timer is not None:
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()
        let_go()
        close()
