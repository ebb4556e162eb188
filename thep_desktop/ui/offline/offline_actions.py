"""File > Take an offline copy… and Synchronise with the office…: the window's side of the
treasurer's offline copy (the work itself is services/offline, run off the window's thread)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog

from thep_desktop.connections import ServerLogin
from thep_desktop.database import Database, DatabaseError, sqlite_url
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.offline.offline_data import (
    NOTHING_CHANGED,
    CopyInfo,
    SyncPlan,
    SyncResult,
)
from thep_desktop.services.offline.offline_service import OfflineService, is_offline_copy_file
from thep_desktop.services.offline.offline_values import moment_words, reference_labels
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.settings.database_chooser import DATABASE_FILTER
from thep_desktop.ui.settings.server_login import open_database
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.database_messages import refusal_text

if TYPE_CHECKING:
    from thep_desktop.ui.main_window import MainWindow

OPEN_COPY = "Open the copy now"
NOT_NOW = "Not now"
NOT_TAKEN = "No offline copy was taken"
NOT_SYNCED = "Not synchronised"


def copy_words(info: CopyInfo, waiting: int | None) -> str:
    """The status bar's words for an open copy: whose server, since when, what is waiting."""
    synced = (
        f"last synchronised {moment_words(info.synced_at)}"
        if info.synced_at is not None
        else "not yet synchronised"
    )
    text = f"Offline copy of {info.server_words}, taken {moment_words(info.taken_at)}; {synced}"
    if waiting is None:
        return text
    if waiting == 0:
        return f"{text}; no changes waiting"
    return f"{text}; {waiting:,} change{'s' if waiting != 1 else ''} waiting"


def default_copy_name(today: date | None = None) -> str:
    return f"Partnership offline copy {(today or date.today()):%d-%m-%Y}.sqlite3"


def result_words(result: SyncResult) -> str:
    sent = f"Sent {result.sent:,} change{'s' if result.sent != 1 else ''}"
    resolved = (
        f", {result.resolved:,} conflict{'s' if result.resolved != 1 else ''} resolved"
        if result.resolved
        else ""
    )
    return (
        f"{sent}, received {result.received:,}{resolved}; the copy is up to date as at "
        f"{moment_words(result.synced_at)}."
    )


def _connect(url: str) -> Database:
    """The office's server, connected once to be sure the password works."""
    server = Database(url)
    try:
        server.check_connection()
    except BaseException:
        server.dispose()
        raise
    return server


def _steps(progress: Progress, *, cancel_until_sending: bool = False) -> Any:
    """A service's steps told to the progress dialog, each a moment to honour Cancel.

    ``cancel_until_sending``: a synchronisation's first step comes before anything is sent;
    after it the office saves the copy's changes, and the copy is then written afresh, so
    Cancel is no longer honoured: the job finishes rather than leave the copy behind the
    office (the copy's own writing reports its tables from 1 again, so steps are counted)."""
    calls = 0

    def told(message: str, done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        try:
            progress.report(done, total, message)
        except Cancelled:
            if not cancel_until_sending or calls == 1:
                raise

    return told


class ChangesCounter(QObject):
    """Counts what an open copy has changed since it was taken or synchronised, off the
    window's thread: the whole copy is read for it, which takes a while on a large one."""

    counted = Signal(str, object)  # (the copy's path, the number of changes or None)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thread: threading.Thread | None = None
        self._again: tuple[OfflineService, Path] | None = None
        self.counted.connect(self._next, Qt.ConnectionType.QueuedConnection)

    def count(self, offline: OfflineService, path: Path) -> None:
        if self.thread is not None and self.thread.is_alive():
            self._again = (offline, path)  # saved again meanwhile: counted once more after
            return

        def run() -> None:
            try:
                waiting: int | None = len(offline.status(path)[1])
            except ServiceError:  # being replaced, or unreadable this moment: said next time
                waiting = None
            try:
                self.counted.emit(str(path), waiting)
            except RuntimeError:  # the window was closed meanwhile: nobody to tell
                pass

        self.thread = threading.Thread(target=run, name="count-offline-changes", daemon=True)
        self.thread.start()

    def _next(self, *_args: object) -> None:
        again, self._again = self._again, None
        if again is not None:
            self.count(*again)

    def wait(self) -> None:
        """Until no count is reading the copy (its file is about to be replaced)."""
        self._again = None
        if self.thread is not None:
            self.thread.join()


class OfflineActions(QObject):
    """Takes a copy of the office's server, and synchronises an open copy with its office."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: BackgroundJob | None = None
        self.dialog: Any = None  # the Synchronise window while it is open
        self.counter = ChangesCounter(self)

    def busy(self) -> bool:
        return self.job is not None and self.job.thread.isRunning()

    # -- taking a copy ----------------------------------------------------------------------
    def take_copy(self) -> None:
        window = self.window
        services = window.services
        if services.db.is_sqlite or self.busy():
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = window.ask_save_path(
            window,
            "Take an offline copy",
            str(Path(folder) / default_copy_name()),
            DATABASE_FILTER,
            # A copy never goes over a file: the refusal says so, rather than Qt's "Replace?".
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_name(path.name + ".sqlite3")
        server = services.db
        offline = services.offline

        def run(progress: Progress) -> CopyInfo:
            progress.report(0, 0, "Reading the office's records…")
            return offline.checkout(server, path, steps=_steps(progress))

        self.job = BackgroundJob(
            window,
            "Taking an offline copy…",
            run,
            on_done=lambda info: self._taken(info, path),
            on_error=lambda exc: self._refused(NOT_TAKEN, exc),
            on_cancel=lambda: window.statusBar().showMessage(
                "Offline copy cancelled: no copy was made.", 8000
            ),
        ).start()

    def _taken(self, info: CopyInfo, path: Path) -> None:
        window = self.window
        window.statusBar().showMessage(f"Offline copy taken: {path}", 15000)
        answer = window.ask(
            window,
            "Offline copy taken",
            f"The offline copy is saved as {path}.\n\nIt holds what your role "
            f"({info.role}) may see at the office, as at {moment_words(info.taken_at)}. Open "
            "it to work without a connection; File > Synchronise with the office sends your "
            "changes back.\n\nOpen the copy now?",
            [OPEN_COPY, NOT_NOW],
        )
        if answer == OPEN_COPY:
            window.switch_to(sqlite_url(path))

    def _refused(self, title: str, exc: BaseException) -> None:
        if isinstance(exc, ServiceError):
            self.window.tell(self.window, title, exc.message)
        elif isinstance(exc, DatabaseError):
            self.window.tell(self.window, title, refusal_text(exc))
        else:
            raise exc

    # -- synchronising ----------------------------------------------------------------------
    def synchronise(self) -> None:
        window = self.window
        info = is_offline_copy_file(window.services.db)
        if info is None or self.busy():
            return
        try:
            opened = open_database(
                window, ServerLogin.from_url(info.server), _connect, window.ask_password
            )
        except DatabaseError as exc:
            window.tell(
                window,
                NOT_SYNCED,
                f"The office's server ({info.server_words}) could not be reached: "
                f"{refusal_text(exc)}\n\n{NOTHING_CHANGED}",
            )
            return
        if opened is None:
            window.statusBar().showMessage(
                "Not synchronised: no password was given for the office's server.", 8000
            )
            return
        server, note = opened
        if note:
            window.statusBar().showMessage(note, 8000)
        path = info.path
        offline = window.services.offline

        def run(progress: Progress) -> tuple[SyncPlan, dict[str, str]]:
            progress.report(0, 0, "Comparing the copy with the office's records…")
            plan = offline.preview(path, server)
            return plan, reference_labels(path, plan.conflicts)

        def failed(exc: BaseException) -> None:
            server.dispose()
            self._refused(NOT_SYNCED, exc)

        def cancelled() -> None:
            server.dispose()
            window.statusBar().showMessage("Synchronisation cancelled: nothing was sent.", 8000)

        self.job = BackgroundJob(
            window,
            "Comparing with the office…",
            run,
            on_done=lambda found: self._previewed(path, server, *found),
            on_error=failed,
            on_cancel=cancelled,
        ).start()

    def _previewed(
        self, path: Path, server: Database, plan: SyncPlan, labels: dict[str, str]
    ) -> None:
        from thep_desktop.ui.offline.sync_dialog import SyncDialog

        window = self.window
        dialog = SyncDialog(plan, labels, window)
        self.dialog = dialog
        try:
            window.run_dialog(dialog)
        finally:
            self.dialog = None
        if dialog.result() != SyncDialog.DialogCode.Accepted:
            server.dispose()
            window.statusBar().showMessage("Not synchronised: nothing was sent or received.", 8000)
            return
        resolutions = dialog.resolutions()
        offline = window.services.offline
        # The copy's file is replaced by a rename at the end: the window lets go of it first
        # (its connections come back by themselves if anything reads it meanwhile).
        self.counter.wait()
        window.services.db.dispose()

        def run(progress: Progress) -> SyncResult:
            progress.report(0, 0, "Sending the copy's changes to the office…")
            return offline.sync(
                path,
                server,
                resolutions,
                fingerprint=plan.fingerprint,
                steps=_steps(progress, cancel_until_sending=True),
            )

        def failed(exc: BaseException) -> None:
            server.dispose()
            self._refused(NOT_SYNCED, exc)

        def cancelled() -> None:
            server.dispose()
            window.statusBar().showMessage(f"Synchronisation cancelled. {NOTHING_CHANGED}", 8000)

        self.job = BackgroundJob(
            window,
            "Synchronising with the office…",
            run,
            on_done=lambda result: self._synced(path, server, result),
            on_error=failed,
            on_cancel=cancelled,
        ).start()

    def _synced(self, path: Path, server: Database, result: SyncResult) -> None:
        server.dispose()
        window = self.window
        words = result_words(result)
        # Reopened the way File > Open reopens a database: every tab reads the copy afresh.
        window.switch_to(sqlite_url(path))
        window.statusBar().showMessage(words, 30000)
        # The payments to look at again are said once more, now that they are at the office.
        flags = "".join(f"\n\n⚠ {flag}" for flag in result.plan.flags)
        window.inform(window, "Synchronised", words + flags)
