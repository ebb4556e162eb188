"""File > Back up now and Restore from backup… when the register is on the office's server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from qt_driving import Modals, button, menu_action
from server_backups import hide_pg_dump, sums
from sqlalchemy import text

from thep_desktop.database import Database
from thep_desktop.services.backups.backup_service import backups_folder
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    return backups_folder()


@pytest.fixture
def server_window(qtbot, pg_db: Database, actor: Actor, folder) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    DemoService(pg_db).load(actor)
    window = MainWindow(Services(pg_db, actor))
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
    qtbot.wait(50)


def test_back_up_now_on_a_server_database(qtbot, server_window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    menu_action(server_window, "File", "Back up now").trigger()
    _finished(qtbot, server_window)
    [made] = list(folder.glob("*.dump"))
    assert made.name.startswith("partnership-office-backup-")
    assert f"Backed up and verified: {made}" in server_window.statusBar().currentMessage()


def test_restore_an_export_on_a_server_database_through_the_menu(  # type: ignore[no-untyped-def]
    qtbot, server_window: MainWindow, modals: Modals, folder: Path, monkeypatch
) -> None:
    hide_pg_dump(monkeypatch)
    db = server_window.services.db
    menu_action(server_window, "File", "Back up now").trigger()
    _finished(qtbot, server_window)
    [made] = list(folder.glob("*.zip"))
    as_backed_up = sums(db, audit=False)
    with db.session() as session:
        session.execute(text("DELETE FROM contact"))
        session.execute(text("UPDATE school SET name = 'Renamed' WHERE id = 1"))

    def pick_the_backup(box) -> None:  # type: ignore[no-untyped-def]
        table = box.findChild(QTableView, "backups_table")
        assert table.model().rowCount() == 1
        assert table.model().index(0, 1).data() == "Export"
        assert table.model().index(0, 2).data() == "90"
        qtbot.mouseClick(button(box, "Restore"), Qt.MouseButton.LeftButton)

    modals.then(pick_the_backup).click("Restore")
    menu_action(server_window, "File", "Restore from backup…").trigger()
    modals.wait_answered()
    assert "with 90 schools, replaces the current one on the server" in modals.seen[1].text
    _finished(qtbot, server_window)
    assert sums(db, audit=False) == as_backed_up
    assert f"Restored from {made.name}" in server_window.statusBar().currentMessage()
    names = [r.name for r in server_window.schools_tab.model.rows()]
    assert "Renamed" not in names and len(names) == 90
    assert len(list(folder.glob("*.zip"))) == 2  # the backup, and the register as it was


def test_a_local_backup_chosen_on_a_server_database_is_refused(  # type: ignore[no-untyped-def]
    qtbot, server_window: MainWindow, modals: Modals, tmp_path: Path, sqlite_db, actor
) -> None:
    from thep_desktop.services.backups.backup_service import BackupService

    local = BackupService(sqlite_db).back_up(actor, tmp_path / "local.sqlite3").path
    server_window.backup_actions.ask_file = lambda: str(local)
    db = server_window.services.db
    before = sums(db)
    modals.click("Choose file…").click("OK")
    menu_action(server_window, "File", "Restore from backup…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "This backup cannot be restored"
    assert "thep-admin copy" in modals.seen[1].text
    assert "Nothing was changed" in modals.seen[1].text
    assert sums(db) == before
