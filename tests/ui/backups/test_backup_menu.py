"""File > Back up now and Restore from backup…, and the daily backup as the program opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backup_files import table_checksums
from hostile_databases import folder_state
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from qt_driving import Modals, button, menu_action
from sqlalchemy import text

from thep_desktop.database import Database
from thep_desktop.services.backups.backup_service import backups_folder
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The backups folder (the user's data folder's own, here a test's)."""
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    return backups_folder()


@pytest.fixture
def demo_window(qtbot, sqlite_db: Database, actor: Actor, folder) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    DemoService(sqlite_db).load(actor)
    window = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(window)
    window.show()
    window.load()
    yield window
    job = window.backup_actions.job
    if job is not None:
        job.wait()


def _finished(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    job = window.backup_actions.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning(), timeout=30_000)
    qtbot.wait(50)  # its result is handled on the main thread


def test_back_up_now_from_the_file_menu(qtbot, demo_window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    menu_action(demo_window, "File", "Back up now").trigger()
    _finished(qtbot, demo_window)
    [made] = list(folder.glob("*.sqlite3"))
    assert made.name.startswith("partnership-office-backup-")
    assert table_checksums(made) == table_checksums(demo_window.services.db.sqlite_path)
    assert f"Backed up and verified: {made}" in demo_window.statusBar().currentMessage()


def test_back_up_to_a_read_only_place_is_said_in_a_box(  # type: ignore[no-untyped-def]
    qtbot, demo_window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    demo_window.backup_actions.ask_folder = lambda: str(tmp_path / "gone")
    modals.click("OK")
    menu_action(demo_window, "File", "Back up to folder…").trigger()
    modals.wait_answered(30_000)
    assert modals.seen[0].title == "The backup was not made"
    assert "does not exist" in modals.seen[0].text
    assert not (tmp_path / "gone").exists()


def test_restore_from_backup_through_the_menu(  # type: ignore[no-untyped-def]
    qtbot, demo_window: MainWindow, modals: Modals, folder: Path
) -> None:
    path = demo_window.services.db.sqlite_path
    menu_action(demo_window, "File", "Back up now").trigger()
    _finished(qtbot, demo_window)
    as_backed_up = table_checksums(path, audit=False)
    with demo_window.services.db.session() as session:
        session.execute(text("DELETE FROM contact"))
        session.execute(text("UPDATE school SET name = 'Renamed' WHERE id = 1"))

    def pick_the_backup(box) -> None:  # type: ignore[no-untyped-def]
        table = box.findChild(QTableView, "backups_table")
        assert table.model().rowCount() == 1
        assert table.model().index(0, 2).data() == "90"
        qtbot.mouseClick(button(box, "Restore"), Qt.MouseButton.LeftButton)

    modals.then(pick_the_backup).click("Restore")
    menu_action(demo_window, "File", "Restore from backup…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "Restore from backup"
    assert "with 90 schools, replaces the current one" in modals.seen[1].text
    _finished(qtbot, demo_window)
    assert table_checksums(path, audit=False) == as_backed_up
    assert "Restored from" in demo_window.statusBar().currentMessage()
    # The window shows the register as restored.
    names = [r.name for r in demo_window.schools_tab.model.rows()]
    assert "Renamed" not in names and len(demo_window.schools_tab.model.rows()) > 0
    kept = [p for p in folder.glob("*.sqlite3")]
    assert len(kept) == 2  # the backup, and the register as it was before the restore


def test_a_damaged_backup_chosen_as_a_file_is_refused_with_nothing_changed(  # type: ignore[no-untyped-def]
    qtbot, demo_window: MainWindow, modals: Modals, tmp_path: Path, folder: Path
) -> None:
    bad = tmp_path / "from-a-usb-stick.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    demo_window.backup_actions.ask_file = lambda: str(bad)
    path = demo_window.services.db.sqlite_path
    demo_window.services.db.dispose()
    before = folder_state(path.parent)
    modals.click("Choose file…").click("OK")
    menu_action(demo_window, "File", "Restore from backup…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "This backup cannot be restored"
    assert "damaged" in modals.seen[1].text and "Nothing was changed" in modals.seen[1].text
    assert folder_state(path.parent) == before
    assert not folder.exists() or list(folder.iterdir()) == []


def test_restore_is_for_administrators_only(qtbot, sqlite_db: Database, folder) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Services(sqlite_db, Actor("clerk", Role.CLERK)))
    qtbot.addWidget(window)
    window.show()
    window.load()
    restore = next(
        a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()
        if a.text() == "&Restore from backup…"
    )  # fmt: skip
    assert not restore.isEnabled()
    assert menu_action(window, "File", "Back up now").isEnabled()


def test_the_daily_backup_runs_once_as_the_program_opens(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db: Database, actor: Actor, folder: Path
) -> None:
    for _opening in range(2):
        window = MainWindow(Services(Database(sqlite_db.sqlite_path), actor))
        qtbot.addWidget(window)
        window.daily_backups = True
        window.show()
        window.load()
        qtbot.waitUntil(lambda w=window: w.backup_actions.job is not None, timeout=20_000)
        _finished(qtbot, window)
        window.services.close()
    made = list(folder.glob("partnership-office-auto-office-*.sqlite3"))
    assert len(made) == 1  # once a day


def test_a_failed_daily_backup_is_said_in_the_status_bar(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db: Database, actor: Actor, folder: Path
) -> None:
    folder.parent.mkdir(parents=True)
    folder.write_text("a file where the backups folder should be")
    window = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(window)
    window.daily_backups = True
    window.show()
    window.load()
    qtbot.waitUntil(lambda: window.backup_actions.job is not None, timeout=20_000)
    _finished(qtbot, window)
    assert "The daily backup could not be made" in window.statusBar().currentMessage()
    assert folder.read_text() == "a file where the backups folder should be"
