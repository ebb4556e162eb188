"""Progress and cancellation for long jobs (imports, exports, mail merges), without Qt.

A service that takes a while accepts a :class:`Progress`; the GUI passes one whose
``on_report`` forwards to a progress bar through a Qt signal, the command line one that
prints, tests one that records. Cancelling raises :class:`Cancelled` inside the job at its
next report, so the job's transaction rolls back and nothing is half-saved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled the job; whatever it did has been rolled back."""


class Progress:
    def __init__(self, on_report: Callable[[int, int, str], None] | None = None) -> None:
        self._on_report = on_report
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop (callable from any thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._cancel.is_set():
            raise Cancelled("Cancelled: nothing was changed.")

    def report(self, done: int, total: int, message: str = "") -> None:
        """Say how far the job is (``total`` 0 means unknown), then honour a cancel."""
        if self._on_report is not None:
            self._on_report(done, total, message)
        self.check()
