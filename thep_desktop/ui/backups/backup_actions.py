"""File > Back up now, Back up to folder…, Restore from backup…, and the daily backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSortFilterProxyModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Progress
from thep_desktop.services.backups.backup_service import BackupInfo, backups_folder
from thep_desktop.services.backups.backups_permissions import RESTORE_BACKUPS
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

if TYPE_CHECKING:
    from thep_desktop.ui.main_window import MainWindow

KINDS = {"pg_dump": "pg_dump", "export": "Export"}
BACKUP_COLUMNS = [
    PlainColumn("Taken"),
    PlainColumn("Kind"),
    PlainColumn("Schools", "integer"),
    PlainColumn("Size (KB)", "integer"),
    PlainColumn("File"),
]
CHOOSE_FILE = "Choose file…"


class BackupListDialog(QDialog):
    """The backups found in the backups folder, newest first; Restore, Choose file…, Cancel."""

    def __init__(self, backups: list[BackupInfo], folder: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.chosen: Path | None = None
        self.choose_file = False
        self.backups = backups
        layout = QVBoxLayout(self)
        if backups:
            words = f"Backups in {folder}. Choose one to restore, or another file."
        else:
            words = f"No backups were found in {folder}. Choose a backup file instead."
        layout.addWidget(QLabel(words))
        self.model = PlainTableModel(
            BACKUP_COLUMNS,
            [
                (
                    info.taken_on_words,
                    KINDS.get(info.kind) or ("Automatic" if info.automatic else "Made by hand"),
                    info.schools,
                    max(1, info.size // 1024),
                    info.path.name,
                )
                for info in backups
            ],
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("backups_table")
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        self.table.setModel(proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self._restore())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        choose = buttons.addButton(CHOOSE_FILE, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore)
        choose.clicked.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.restore_button.setEnabled(bool(backups))
        if backups:
            self.table.selectRow(0)
        self.resize(720, 360)

    def _restore(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        proxy = self.table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        row = proxy.mapToSource(rows[0]).row()
        self.chosen = self.backups[row].path
        self.accept()

    def _choose(self) -> None:
        self.choose_file = True
        self.accept()


class BackupActions(QObject):
    """The backup menu actions of one main window; the work runs off the main thread."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: BackgroundJob | None = None
        # Where a folder or file is asked for: tests replace these with their answer.
        self.ask_folder: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(
            window, "Back up to folder", str(backups_folder())
        )
        self.ask_file: Callable[[], str] = lambda: QFileDialog.getOpenFileName(
            window, "Choose a backup", str(backups_folder()), self._file_filter()
        )[0]

    def _file_filter(self) -> str:
        if self.window.services.db.sqlite_path is None:  # a server's: pg_dump, or our export
            return "Server backups (*.dump *.zip);;All files (*)"
        return "Backups (*.sqlite3);;All files (*)"

    def _status(self, text: str, ms: int = 15_000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def _run(
        self,
        title: str,
        work: Callable[[Progress], object],
        done: Callable[[object], None],
        failed: Callable[[BaseException], None],
        *,
        show_dialog: bool = True,
    ) -> None:
        self.job = BackgroundJob(
            self.window,
            title,
            work,
            on_done=done,
            on_error=failed,
            show_dialog=show_dialog,
        ).start()

    def _refused(self, title: str) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            text = str(exc) if isinstance(exc, OfficeError) else f"Something went wrong: {exc}"
            self.window.tell(self.window, title, text)

        return show

    # -- backing up -------------------------------------------------------------------------
    def back_up_now(self, folder: Path | None = None) -> None:
        services = self.window.services

        def done(info: object) -> None:
            assert isinstance(info, BackupInfo)
            self._status(f"Backed up and verified: {info.path} ({info.schools:,} schools).", 30_000)

        self._run(
            "Backing up…",
            lambda progress: services.backups.back_up(services.actor, folder, progress=progress),
            done,
            self._refused("The backup was not made"),
        )

    def back_up_to_folder(self) -> None:
        chosen = self.ask_folder()
        if chosen:
            self.back_up_now(Path(chosen))

    def daily_backup(self) -> None:
        """Once a day per local database, in the background; a failure goes to the status bar."""
        services = self.window.services
        if services.db.sqlite_path is None or services.db.read_only:
            return

        def done(info: object) -> None:
            if isinstance(info, BackupInfo):
                self._status(f"Today's automatic backup was made: {info.path.name}.", 10_000)

        def failed(exc: BaseException) -> None:
            self._status(f"The daily backup could not be made: {exc}", 60_000)

        self._run(
            "Daily backup",
            lambda _progress: services.backups.daily_backup(services.actor),
            done,
            failed,
            show_dialog=False,
        )

    # -- restoring --------------------------------------------------------------------------
    def restore_from_backup(self) -> None:
        window = self.window
        services = window.services
        title = "Restore from backup"
        if not services.actor.can(RESTORE_BACKUPS):
            window.tell(window, title, "Only an administrator can restore a backup.")
            return
        folder = backups_folder()
        dialog = BackupListDialog(services.backups.list_backups(folder), folder, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen
        if dialog.choose_file:
            name = self.ask_file()
            chosen = Path(name) if name else None
        if chosen is None:
            return
        try:
            _info, words = services.backups.restore_plan(services.actor, chosen)
        except OfficeError as exc:
            window.tell(window, "This backup cannot be restored", str(exc))
            return
        if window.ask(window, title, words, ["Restore", "Cancel"]) != "Restore":
            return
        address = services.db.address

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            before, note = result
            window.undo_stack.clear()  # undo steps belong to the register that was replaced
            window.switch_to(address)
            self._status(
                f"Restored from {chosen.name}. The register as it was is kept at {before}. " + note,
                60_000,
            )

        self._run(
            "Restoring…",
            lambda progress: services.backups.restore(services.actor, chosen, progress=progress),
            done,
            self._refused("The backup was not restored"),
        )
