"""Catch what the program asks the desktop to open (a PDF, a folder) through Qt itself.

``QDesktopServices.setUrlHandler`` is Qt's own way to take over a URL scheme: the program's
real ``QDesktopServices.openUrl`` call is made, and lands here instead of in Explorer or a
PDF viewer, so a test sees exactly what Windows would have been asked to open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices


class _Handler(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@contextmanager
def opened_files() -> Iterator[list[Path]]:
    handler = _Handler()
    QDesktopServices.setUrlHandler("file", handler, "open")
    try:
        yield handler.opened
    finally:
        QDesktopServices.unsetUrlHandler("file")
