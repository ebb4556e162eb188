"""When the office server goes away: the status bar says so, the server is tried again every
few seconds off the window's thread, and the window carries on when it answers."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from thep_desktop.database import Database
from thep_desktop.services.registry import Services

GONE = "The office server cannot be reached — trying again…"
BACK = "Connected to the office server again"
RETRY_MS = 3000


class ServerWatch(QObject):
    """Told by the database (``db.on_unavailable``, from any thread) that the server is gone.

    A bold notice stays in the status bar while it is gone; every ``RETRY_MS`` a thread of
    its own asks the server for an answer (a connection gives up after the database's
    connect timeout, so a silent server never freezes the window). When the server answers,
    ``back`` is emitted (the window reads its lists again) and the status bar says so.
    """

    back = Signal()
    _lost = Signal()
    _probed = Signal(object, bool)  # (the database asked, whether it answered)

    def __init__(self, window: QMainWindow, interval_ms: int = RETRY_MS) -> None:
        super().__init__(window)
        self.window = window
        self.label = QLabel(GONE)
        self.label.setObjectName("server_gone_label")
        self.label.setStyleSheet("font-weight: bold; color: #a00")
        self.label.setToolTip(
            "The server stopped answering (restarted, or the network is down). Nothing you "
            "typed is lost: save again once the server is back. The program keeps trying."
        )
        self.label.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._probe)
        self._db: Database | None = None
        self._probing = False
        self._lost.connect(self._on_lost, Qt.ConnectionType.QueuedConnection)
        self._probed.connect(self._on_probed, Qt.ConnectionType.QueuedConnection)

    def install(self, services: Services) -> None:
        """Watch the server of ``services`` (the one the window has open) from now on."""
        if self._db is not None:
            self._db.on_unavailable = None
        self._db = services.db
        services.db.on_unavailable = self._report_lost
        self.timer.stop()
        self.label.hide()

    @property
    def server_gone(self) -> bool:
        return self.timer.isActive()

    def stop(self) -> None:
        self.timer.stop()
        if self._db is not None:
            self._db.on_unavailable = None

    def _report_lost(self) -> None:
        try:
            self._lost.emit()
        except RuntimeError:  # the window has closed meanwhile
            pass

    def _on_lost(self) -> None:
        if self.timer.isActive():
            return
        self.label.show()  # kept in view until the server is back; no other message hides it
        self.window.statusBar().clearMessage()
        self.timer.start()

    def _probe(self) -> None:
        db = self._db
        if self._probing or db is None:
            return
        self._probing = True

        def run() -> None:
            reachable = db.is_reachable()
            try:
                self._probed.emit(db, reachable)
            except RuntimeError:  # the window has closed meanwhile
                pass

        threading.Thread(target=run, name="server-watch", daemon=True).start()

    def _on_probed(self, db: Database, reachable: bool) -> None:
        self._probing = False
        if db is not self._db or not reachable or not self.timer.isActive():
            return
        self.timer.stop()
        self.label.hide()
        self.window.statusBar().showMessage(BACK, 15_000)
        self.back.emit()
