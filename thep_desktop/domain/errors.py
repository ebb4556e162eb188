"""The base of every error whose message is written for the person at the desk.

Services raise :class:`~thep_desktop.services.shared.errors.ServiceError`, reports raise
:class:`~thep_desktop.reports.shared.spreadsheet.ExportError`; both are an ``OfficeError``, so a
window or ``thep-admin`` shows either message as it is, whichever layer it came from.
"""

from __future__ import annotations


class OfficeError(Exception):
    """Something the person asked for could not be done; ``message`` says why, in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
