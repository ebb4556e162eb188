"""Something unexpected in the window: a dialog says so, the traceback is logged, nothing vanishes.

The program's own hooks are installed (as ``thep-desktop`` installs them) and a real error is
raised where a person's click would raise it: in a slot run by Qt's event loop, and on a
background thread. pytest-qt's own catching of such errors is switched off for these tests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_urls import opened_files
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, button, menu_action

from thep_desktop import __version__, config
from thep_desktop.crash_log import LOG_BACKUPS, LOG_MAX_BYTES, log_path, start_log, stop_log
from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared.crash_dialog import SENTENCE, TITLE, CrashReporter

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "Logs"
    monkeypatch.setenv("THEP_LOG_DIR", str(folder))
    stop_log()
    yield folder
    stop_log()


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, actor: Actor) -> MainWindow:
    w = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    return w


@pytest.fixture
def reporter(log_folder: Path, window: MainWindow) -> Iterator[CrashReporter]:
    """The hooks as thep-desktop installs them: the log file, and the open database named."""
    found = CrashReporter(start_log(), lambda: str(window.services.db.describe()))
    found.install()
    yield found
    found.uninstall()


class Clicked:
    """What a person does in the crash dialog: copy the details, then OK."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.where = ""

    def __call__(self, box: QWidget) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLabel

        self.where = box.findChild(QLabel, "crash_where").text()
        copy = button(box, "Copy details")
        self.qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
        assert copy.text() == "Copied"
        self.qtbot.mouseClick(button(box, "OK"), Qt.MouseButton.LeftButton)


def broken_click() -> None:
    raise ZeroDivisionError("the fee came to nothing")


def test_an_unexpected_error_in_the_window_is_said_logged_and_copied(
    qtbot: QtBot, window: MainWindow, reporter: CrashReporter, modals: Modals, log_folder: Path
) -> None:
    QGuiApplication.clipboard().clear()
    answer = Clicked(qtbot)
    modals.then(answer)
    QTimer.singleShot(0, broken_click)  # as a slot behind a button would raise it
    modals.wait_answered()
    (box,) = modals.seen
    assert box.kind == "CrashDialog" and box.title == TITLE
    assert SENTENCE in box.text
    # Where the details are: the log file, by its whole path.
    assert str(log_path()) in answer.where and str(log_folder) in answer.where
    copied = QGuiApplication.clipboard().text()
    assert "ZeroDivisionError: the fee came to nothing" in copied
    assert f"THE Partnership Office {__version__}" in copied
    assert f"Database: {window.services.db.describe()}" in copied
    logged = log_path().read_text("utf-8")
    assert "Traceback (most recent call last)" in logged and "in broken_click" in logged
    assert f"Database: {window.services.db.describe()}" in logged
    # The program did not vanish: the window is there and works.
    assert window.isVisible()
    assert window.schools_tab.model.total_count() == window.services.schools.count(
        window.services.actor
    )


def test_an_error_on_a_background_thread_is_said_on_the_window_and_logged(
    qtbot: QtBot, window: MainWindow, reporter: CrashReporter, modals: Modals
) -> None:
    modals.then(Clicked(qtbot))

    def work() -> None:
        raise RuntimeError("the export thread fell over")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    modals.wait_answered()
    (box,) = modals.seen
    assert box.title == TITLE
    assert "RuntimeError: the export thread fell over" in log_path().read_text("utf-8")
    assert window.isVisible()


def test_an_error_repeating_while_its_box_is_open_is_logged_not_piled_up(
    qtbot: QtBot, window: MainWindow, reporter: CrashReporter, modals: Modals
) -> None:
    """An error raised on every repaint would otherwise open boxes without end."""

    def twice(box: QWidget) -> None:
        QTimer.singleShot(0, broken_click)  # a second error while this box is open
        qtbot.wait(100)
        Clicked(qtbot)(box)

    modals.then(twice)
    QTimer.singleShot(0, broken_click)
    modals.wait_answered()
    qtbot.wait(100)
    assert len(modals.seen) == 1 and not modals.unexpected
    assert len(reporter.reported) == 2
    assert log_path().read_text("utf-8").count("ZeroDivisionError: the fee came") == 2


def test_qt_warnings_go_to_the_log(reporter: CrashReporter) -> None:
    qWarning("QPainter::begin: a test's warning")
    logging.getLogger("thep_desktop").handlers[0].flush()
    assert "QPainter::begin: a test's warning" in log_path().read_text("utf-8")


def test_without_a_log_the_details_are_shown_in_the_box(
    qtbot: QtBot,
    window: MainWindow,
    modals: Modals,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    monkeypatch.setenv("THEP_LOG_DIR", str(blocker / "Logs"))
    stop_log()
    assert start_log() is None  # said on stderr; the program carries on
    reporter = CrashReporter(None)
    reporter.install()
    seen: list[str] = []

    def read_details(box: QWidget) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QPlainTextEdit

        details = box.findChild(QPlainTextEdit)
        assert details.isVisible()
        seen.append(details.toPlainText())
        assert not button(box, "Open log folder").isVisible()
        qtbot.mouseClick(button(box, "OK"), Qt.MouseButton.LeftButton)

    try:
        modals.then(read_details)
        QTimer.singleShot(0, broken_click)
        modals.wait_answered()
    finally:
        reporter.uninstall()
    assert "could not be written" in modals.seen[0].text
    assert "ZeroDivisionError: the fee came to nothing" in seen[0]


def test_the_log_rotates_and_keeps_a_few_files(log_folder: Path) -> None:
    start_log()
    logger = logging.getLogger("thep_desktop")
    line = "x" * 1000
    for _ in range(LOG_MAX_BYTES * (LOG_BACKUPS + 2) // 1000):
        logger.warning(line)
    stop_log()
    files = sorted(p.name for p in log_folder.iterdir())
    assert files[0] == "thep-desktop.log"
    assert len(files) == LOG_BACKUPS + 1  # the oldest were let go: the disk never fills
    assert all(p.stat().st_size <= LOG_MAX_BYTES + 2000 for p in log_folder.iterdir())


def test_help_open_log_folder_opens_it_through_the_desktop(
    qtbot: QtBot, window: MainWindow, log_folder: Path
) -> None:
    """Through Qt's desktop services, as Explorer is asked on Windows (here a URL handler)."""
    with opened_files() as opened:
        menu_action(window, "Help", "Open log folder").trigger()
    assert opened == [config.log_dir()]
    assert config.log_dir() == log_folder and log_folder.is_dir()


def test_a_library_configuring_logging_does_not_silence_the_log(log_folder: Path) -> None:
    """logging.config's default turns off every logger made before it (import-linter does it)."""
    import logging.config

    import thep_desktop.crash_log  # noqa: F401 - its logger exists before the configuration

    loggers = [x for x in logging.root.manager.loggerDict.values() if isinstance(x, logging.Logger)]
    was = [(x, x.disabled) for x in loggers]
    try:
        logging.config.dictConfig({"version": 1, "incremental": False})
        assert logging.getLogger("thep_desktop").disabled
        start_log()
        logging.getLogger("thep_desktop.qt").warning("still heard")
        stop_log()
    finally:
        for found, disabled in was:  # the rest of the run as it was
            found.disabled = disabled
    assert "still heard" in log_path().read_text("utf-8")
