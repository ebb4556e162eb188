"""Saves that wait for a busy database: tried again whole for a bounded time, the wait shown."""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from thep_desktop.audit_trail import acting_as
from thep_desktop.database import Database
from thep_desktop.database_locks import LockWait, is_busy
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import DatabaseBusyError

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# Set while a save is being tried: a save that calls another (closing a school saves it)
# is one unit of work, tried again as a whole by the outer one.
_in_save: contextvars.ContextVar[bool] = contextvars.ContextVar("thep_in_save", default=False)


def waiting_message(seconds: float) -> str:
    """What the window's status bar and thep-admin say while a save waits."""
    return f"Waiting for the database: someone else is saving ({int(seconds)} s)…"


def run_save(db: Database, unit: Callable[[], T]) -> T:
    """Run ``unit`` (one whole save, in its own transaction) until it gets the database.

    A save that finds the database locked by someone else (:func:`is_busy`) has been rolled
    back whole by its session, so it is simply run again from the start, after a short
    pause, until ``db.lock_wait.total_seconds`` have passed; then :class:`DatabaseBusyError`.
    ``db.lock_wait.notify`` hears how long the save has waited, and ``None`` at the end.
    """
    if _in_save.get():
        return unit()
    wait: LockWait = db.lock_wait
    token = _in_save.set(True)
    started = time.monotonic()
    waited = False
    try:
        while True:
            try:
                return unit()
            except Exception as exc:
                if not is_busy(exc):
                    raise
                spent = time.monotonic() - started
                if spent >= wait.total_seconds:
                    raise DatabaseBusyError() from None
                waited = True
                if wait.notify is not None:
                    wait.notify(spent)
                time.sleep(min(wait.pause_seconds, max(0.0, wait.total_seconds - spent)))
    finally:
        _in_save.reset(token)
        if waited and wait.notify is not None:
            wait.notify(None)


class _HasDatabase(Protocol):
    db: Database


def save(method: F) -> F:
    """Decorator for a service method that writes: it waits for a busy database (see run_save)."""

    @functools.wraps(method)
    def wrapper(self: _HasDatabase, *args: Any, **kwargs: Any) -> Any:
        # The person saving, for the audit trail of a local file (a server names its login).
        actor = kwargs.get("actor", args[0] if args else None)
        if not isinstance(actor, Actor):
            return run_save(self.db, lambda: method(self, *args, **kwargs))
        with acting_as(actor.name):
            return run_save(self.db, lambda: method(self, *args, **kwargs))

    return wrapper  # type: ignore[return-value]
