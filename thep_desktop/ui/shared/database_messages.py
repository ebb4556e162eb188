"""What the desktop program says when it will not open a database, with what to do instead."""

from __future__ import annotations

from thep_desktop.database import DatabaseError, NoDatabaseYet


def refusal_text(exc: DatabaseError) -> str:
    """The refusal in words, and for a database not made yet, how to make one."""
    if not isinstance(exc, NoDatabaseYet):
        return str(exc)
    if exc.on_server:
        return (
            f"{exc.what}: it has not been set up for THE Partnership Office. It is set up once, "
            "from a command prompt: thep-admin --db postgresql://USER@SERVER/DATABASE init"
        )
    return f"{exc.what}. To start a new database, use File > New database."
