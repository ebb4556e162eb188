"""Showing that a save waits for the database: the status bar, and a small notice kept painted."""

from __future__ import annotations

import threading

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from thep_desktop.services.registry import Services
from thep_desktop.services.shared.retry import waiting_message


class DatabaseWait(QObject):
    """The database's wait notifier for one window (``services.db.lock_wait.notify``).

    A save on the main thread (a form's Save) waits inside the service, so the window would
    not repaint: each time the service reports the wait, the notice is updated and painted
    at once, without taking the user's clicks or keys meanwhile. A save on a worker thread
    (an import) reports through a queued signal instead.
    """

    _reported = Signal(object)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.notice = QLabel()
        self.notice.setObjectName("database_wait_notice")
        self.notice.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.notice.setStyleSheet(
            "#database_wait_notice { background: #fff4ce; color: #4a3b00; "
            "border: 1px solid #e0c060; padding: 8px 12px; }"
        )
        self._reported.connect(self.show_wait, Qt.ConnectionType.QueuedConnection)

    def install(self, services: Services) -> None:
        services.db.lock_wait.notify = self

    def __call__(self, seconds: float | None) -> None:
        if threading.current_thread() is not threading.main_thread():
            self._reported.emit(seconds)
            return
        self.show_wait(seconds)
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def show_wait(self, seconds: float | None) -> None:
        bar = self.window.statusBar()
        if seconds is None:
            self.notice.hide()
            if bar.currentMessage().startswith("Waiting for the database"):
                bar.clearMessage()
            return
        text = waiting_message(seconds)
        bar.showMessage(text)
        self.notice.setText(text)
        self.notice.adjustSize()
        over: QWidget = QApplication.activeModalWidget() or self.window
        centre = over.mapToGlobal(over.rect().center())
        self.notice.move(centre.x() - self.notice.width() // 2, centre.y() - self.notice.height())
        self.notice.show()
        self.notice.repaint()
