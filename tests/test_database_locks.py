"""Telling "someone else holds the lock" from every other database error, on both databases."""

from __future__ import annotations

import sqlite3

import pytest
from lock_holders import write_lock_held
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from thep_desktop.database import Database
from thep_desktop.database_locks import is_busy


def error_of(db: Database, sql: str) -> Exception:
    """The error a save running ``sql`` meets (SQLite's lock refusal comes from the driver)."""
    with pytest.raises((DBAPIError, sqlite3.OperationalError)) as caught, db.session() as session:
        session.execute(text(sql))
    return caught.value


def test_a_held_lock_is_busy_and_other_errors_are_not(db: Database) -> None:
    db.lock_wait.attempt_seconds = 0.1
    with write_lock_held(db):
        held = error_of(db, "UPDATE school SET name = name")
    assert is_busy(held)
    assert not is_busy(error_of(db, "SELECT * FROM no_such_table"))
    assert not is_busy(error_of(db, "INSERT INTO school (id) VALUES (NULL)"))
    assert not is_busy(ValueError("database is locked"))  # only the driver's own errors
