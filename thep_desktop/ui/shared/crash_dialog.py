"""What the person sees when something unexpected goes wrong: one sentence, where, Copy.

On Windows a windowed program has no console: an exception nobody catches would otherwise
leave nothing at all on screen. :class:`CrashReporter` catches them (on the main thread, on
any other thread, and Qt's own warnings), writes each to the log file, and shows
:class:`CrashDialog`; the program carries on.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.crash_log import record_crash
from thep_desktop.domain.errors import OfficeError
from thep_desktop.ui.shared.about_dialog import copy_text, open_log_folder, program_facts

TITLE = "Something went wrong"
SENTENCE = (
    "THE Partnership Office met a problem it did not expect, and what you were doing "
    "may not have been saved."
)

qt_logger = logging.getLogger("thep_desktop.qt")


def where_the_details_are(log_file: Path | None) -> str:
    if log_file is None:
        return "The details are below (the log file could not be written): copy them for "
    return f"The details are in the log file {log_file} (Help > Open log folder): copy them for "


class CrashDialog(QDialog):
    """One sentence, where the details are, and Copy details / Open log folder / OK."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        critical = QStyle.StandardPixmap.SP_MessageBoxCritical
        icon.setPixmap(self.style().standardIcon(critical).pixmap(32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        words = QVBoxLayout()
        self.sentence = QLabel(SENTENCE)
        self.sentence.setWordWrap(True)
        words.addWidget(self.sentence)
        self.where = QLabel(where_the_details_are(log_file) + "whoever supports this program.")
        self.where.setObjectName("crash_where")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(self.where)
        top.addLayout(words, 1)
        layout.addLayout(top)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        # A traceback reads line by line, as support will paste it.
        self.details_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_box.setVisible(log_file is None)
        self.details_box.setMinimumHeight(200)
        layout.addWidget(self.details_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.copy_button = QPushButton("&Copy details")
        self.show_button = QPushButton("&Show details")
        self.folder_button = QPushButton("Open &log folder")
        for button in (self.copy_button, self.show_button, self.folder_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.setVisible(log_file is not None)
        self.folder_button.setVisible(log_file is not None)
        self.copy_button.clicked.connect(self._copy)
        self.show_button.clicked.connect(self._show_details)
        self.folder_button.clicked.connect(lambda: open_log_folder())
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def _copy(self) -> None:
        copy_text(self.details)
        self.copy_button.setText("Copied")

    def _show_details(self) -> None:
        self.details_box.setVisible(True)
        self.show_button.setVisible(False)
        self.resize(max(self.width(), 620), self.sizeHint().height())


class CrashReporter(QObject):
    """Installs the hooks that turn an unexpected error into the log entry and the dialog."""

    # From another thread the dialog is shown on the main thread (a queued signal).
    _from_thread = Signal(object, object, object)

    def __init__(
        self,
        log_file: Path | None,
        describe_database: Callable[[], str | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.describe_database = describe_database
        self.showing = False
        self.reported: list[str] = []  # every crash's details, newest last
        self._from_thread.connect(self.report)
        self._previous: tuple[object, object, object] | None = None

    def install(self) -> None:
        previous_qt = qInstallMessageHandler(_qt_message)
        self._previous = (sys.excepthook, threading.excepthook, previous_qt)
        sys.excepthook = self.report
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Put back the hooks there were before (a test's own, say)."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook, previous_qt = self._previous  # type: ignore[assignment]
            qInstallMessageHandler(previous_qt)  # type: ignore[arg-type]
            self._previous = None

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self._from_thread.emit(args.exc_type, args.exc_value, args.exc_traceback)

    def report(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        """Log it, then say so; the program keeps running."""
        if issubclass(kind, KeyboardInterrupt):
            return
        if isinstance(value, OfficeError):
            # A refusal in words that no form was there to show (the server gone, say): no
            # traceback for the person, and the program carries on.
            QMessageBox.warning(None, config.APP_NAME, value.message)
            return
        try:
            database = self.describe_database()
        except Exception:  # noqa: BLE001 - the crash report must not crash
            database = None
        details = record_crash(kind, value, tb, program_facts(database))
        self.reported.append(details)
        if self.showing:
            return  # one box at a time: an error repeating on every repaint is logged only
        self.showing = True
        try:
            CrashDialog(details, self.log_file).exec()
        finally:
            self.showing = False


_QT_LEVELS = {
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's warnings go to the log as well as to stderr, as before (debug noise does not)."""
    level = _QT_LEVELS.get(kind)
    if level is None:
        return
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_logger.log(level, "%s%s", message, where)
    if sys.stderr is not None:
        sys.stderr.write(f"{message}\n")
