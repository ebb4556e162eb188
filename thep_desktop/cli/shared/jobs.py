"""Long commands from the command line: a progress line on stderr, and Ctrl+C as Cancel."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from thep_desktop.domain.progress import Progress
from thep_desktop.services.shared.retry import waiting_message


class ProgressLine:
    """Progress on stderr: what is happening, then (in a terminal) a line redrawn as it goes."""

    def __init__(self, stream: TextIO, title: str, where: str) -> None:
        self.stream = stream
        self.title = title
        self.live = stream.isatty()
        self.open = False
        self._width = 0
        stream.write(f"{title} ({where})…\n")
        stream.flush()

    def report(self, done: int, total: int, message: str) -> None:
        if not self.live:
            return
        percent = 100 * done // total if total else 0
        text = f"{self.title}: {percent:3d}%  {message}"[:79]
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(text))
        self.open = True

    def finish(self) -> None:
        if self.live and self.open:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


@contextmanager
def ctrl_c_cancels(progress: Progress) -> Iterator[None]:
    """Ctrl+C cancels the job the way the GUI's Cancel button does: at its next report.

    Python would raise KeyboardInterrupt wherever the program happens to be, and one raised
    inside a clean-up callback is printed and ignored; a flag is never lost. A second
    Ctrl+C interrupts at once.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return

    def cancel(signum: int, frame: FrameType | None) -> None:
        if progress.cancelled:
            signal.default_int_handler(signum, frame)
        progress.cancel()

    signal.signal(signal.SIGINT, cancel)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


class WaitLine:
    """A save waiting for the database, said on stderr: redrawn in a terminal, else every 5 s.

    Installed as the database's ``lock_wait.notify`` (see services/shared/retry.py), so a
    command that waits for someone else's save says so instead of seeming to hang.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._said = -1  # the whole seconds last written (a log gets a line every 5 s)
        self._width = 0

    def __call__(self, seconds: float | None) -> None:
        if seconds is None:
            if self.live and self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
            self._said, self._width = -1, 0
            return
        whole = int(seconds)
        if self.live:
            text = waiting_message(seconds)
            self.stream.write("\r" + text.ljust(self._width))
            self._width = max(self._width, len(text))
        elif self._said < 0 or whole >= self._said + 5:
            self.stream.write(waiting_message(seconds) + "\n")
            self._said = whole
        else:
            return
        self.stream.flush()
