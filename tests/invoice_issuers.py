"""A process that issues drafts one at a time, for the tests of numbering across processes."""

from __future__ import annotations

from typing import Any

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role


def issue_one_at_a_time(
    url: str, name: str, draft_ids: list[int], ready: Any, start: Any, out: Any
) -> None:
    """Open the database as another office PC would, say it is ready, wait for the start,
    then issue each draft in its own save; put (name, numbers) on ``out``, or (name, the
    error)."""
    db = Database(url)
    try:
        services = Services(db, Actor(name, Role.ADMIN))
        services.invoices.settings(services.actor)  # connected, and the program loaded
        numbers = []
        ready.put(name)
        start.wait(120)
        for draft_id in draft_ids:
            numbers.extend(services.invoices.issue(services.actor, [draft_id]).numbers)
        out.put((name, numbers))
    except Exception as exc:  # noqa: BLE001 - the test says what went wrong in the process
        out.put((name, f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
