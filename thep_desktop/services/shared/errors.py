"""The errors services raise; every message is written for the person at the desk."""

from __future__ import annotations

from collections.abc import Mapping

from thep_desktop.domain.errors import OfficeError


class ServiceError(OfficeError):
    """Base of every error a service reports to its caller."""


class ValidationError(ServiceError):
    """Input was refused. ``field_errors`` maps an input field name to its message."""

    def __init__(self, field_errors: Mapping[str, str], message: str | None = None) -> None:
        self.field_errors = dict(field_errors)
        if message is None:
            if len(self.field_errors) == 1:
                message = next(iter(self.field_errors.values()))
            else:
                message = f"{len(self.field_errors)} entries need correcting:\n" + "\n".join(
                    f"• {text}" for text in self.field_errors.values()
                )
        super().__init__(message)


class NotFoundError(ServiceError):
    """The record asked for does not exist (perhaps someone else removed it)."""


class ConflictError(ServiceError):
    """Someone else saved the same record since it was loaded; nothing was overwritten."""

    def __init__(self, message: str, *, changed_by: str = "", changed_at: object = None) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


def changed_meanwhile(what: str) -> ConflictError:
    """The refusal of a save whose record someone else changed since it was opened."""
    return ConflictError(
        f"Someone else changed this {what} since you opened it; nothing was saved. "
        "Look at it again and make your change once more."
    )


class PermissionDeniedError(ServiceError):
    """The acting user's role does not allow this."""


class ReadOnlyDatabaseError(ServiceError):
    """A change was asked of a database this user may only read; nothing was saved."""


class RegisterChangedError(ConflictError):
    """An import's preview is out of date: the register changed since; nothing was written."""

    def __init__(self, what_changed: str) -> None:
        super().__init__(
            f"The register changed since this preview ({what_changed}); make a new preview. "
            "Nothing was imported."
        )
        self.what_changed = what_changed


class DatabaseBusyError(ServiceError):
    """Someone else held the database for longer than a save waits; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "The database is busy: someone else is saving a large change. Nothing was saved; "
            "try again in a minute."
        )


class ServerUnavailableError(ServiceError):
    """The office server went away (restarted, network down); nothing of this step was saved.

    ``host`` names the server; ``brief`` is the first sentence, for callers (thep-admin) that
    do not keep trying the way the window does.
    """

    def __init__(self, host: str) -> None:
        self.host = host
        self.brief = f"The office server ({host}) cannot be reached"
        super().__init__(
            f"{self.brief}. What you typed is kept; the program keeps trying and will say "
            "when the server is back."
        )
