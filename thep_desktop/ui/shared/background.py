"""Running long jobs off the main thread with a progress dialog and Cancel.

The job is a plain function ``fn(progress)`` from a service: it never touches a widget. Its
reports arrive on the main thread through queued signals; Cancel asks the job to stop, and
the job's own transaction rolls back, so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from thep_desktop.domain.progress import Cancelled, Progress


class _JobThread(QThread):
    reported = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    was_cancelled = Signal()

    def __init__(self, fn: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.progress = Progress(on_report=self._forward)

    def _forward(self, done: int, total: int, message: str) -> None:
        self.reported.emit(done, total, message)

    def run(self) -> None:  # runs in the worker thread
        try:
            result = self._fn(self.progress)
        except Cancelled:
            self.was_cancelled.emit()
        except Exception as exc:  # handed to the main thread, which shows it
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class BackgroundJob(QObject):
    """One job on its own thread, shown by a modal progress dialog with a Cancel button.

    ``on_done(result)`` runs on the main thread when the job succeeds; ``on_error(exc)`` when
    it raises; ``on_cancel()`` when the user cancelled and the job stopped.
    """

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        *,
        show_dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancel = on_cancel
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = _JobThread(fn, self)
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self.dialog = dialog
        self.thread.reported.connect(self._on_report)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.was_cancelled.connect(self._cancelled)

    @property
    def progress(self) -> Progress:
        return self.thread.progress

    def start(self) -> BackgroundJob:
        self.thread.start()
        return self

    def cancel(self) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")
        self.thread.progress.cancel()

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)

    def _on_report(self, done: int, total: int, message: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if message:
            dialog.setLabelText(message)
        if total > 0:
            dialog.setMaximum(total)
            # A modal progress dialog handles events in setValue: the job may finish (and
            # close the dialog) meanwhile, so nothing may touch the dialog after this.
            dialog.setValue(min(done, total))

    def _close(self) -> None:
        self.thread.wait()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit()

    def _succeeded(self, result: Any) -> None:
        self.result = result
        self._close()
        self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self._close()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            raise exc

    def _cancelled(self) -> None:
        self.cancelled = True
        self._close()
        if self._on_cancel is not None:
            self._on_cancel()
