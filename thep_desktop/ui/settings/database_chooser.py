"""Choosing a database: a file, a new file, the office server, or the local one when one fails."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from thep_desktop import config
from thep_desktop.connections import ServerLogin
from thep_desktop.database import sqlite_url
from thep_desktop.ui.shared.questions import Tell, tell

DATABASE_FILTER = "Partnership Office databases (*.sqlite3 *.sqlite *.db);;All files (*)"
CANNOT_OPEN = "Cannot open the database"


def ask_database_file(parent: QWidget | None) -> str | None:
    """The address of a database file the person picks, or None if they cancel."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open database", str(config.data_dir()), DATABASE_FILTER
    )
    return sqlite_url(path) if path else None


def ask_new_database_file(parent: QWidget | None, say: Tell = tell) -> str | None:
    """The address of a new database file the person names; an existing file is not one."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "New database",
        str(config.data_dir() / config.DEFAULT_DB_FILENAME),
        DATABASE_FILTER,
    )
    if not path:
        return None
    if not Path(path).suffix:
        path += ".sqlite3"
    if Path(path).exists():
        say(
            parent,
            "That file exists",
            f"{path} already exists. Choose another name, or use Open database to open it.",
        )
        return None
    return sqlite_url(path)


def ask_server_address(parent: QWidget | None, previous: str | None) -> ServerLogin | None:
    """The office server chosen in the server dialog, with the password typed; None if cancelled."""
    from thep_desktop.ui.settings.server_dialog import ServerDialog

    dialog = ServerDialog(parent, previous)
    return dialog.login() if dialog.exec() else None


def choose_database(
    parent: QWidget | None, problem: str, previous: str | None
) -> tuple[str | ServerLogin, bool] | None:
    """After ``problem`` (why a database would not open), the database to try next.

    The person may pick a file, start a new one, connect to a server or open the local
    database: the address (a server's as a :class:`ServerLogin`, with the password typed),
    and whether it is to be created (a new database). None when they quit. Cancelling a file
    or server dialog comes back here, so the program never ends without the person choosing to.
    """
    while True:
        box = QMessageBox(QMessageBox.Icon.Warning, CANNOT_OPEN, problem, parent=parent)
        box.setInformativeText("Choose another database, or quit.")
        open_file = box.addButton("Open a database file…", QMessageBox.ButtonRole.ActionRole)
        new_file = box.addButton("New database…", QMessageBox.ButtonRole.ActionRole)
        server = box.addButton("Connect to a server…", QMessageBox.ButtonRole.ActionRole)
        local = box.addButton("Open the local database", QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        local.setToolTip(str(config.default_database_path()))
        box.setDefaultButton(open_file)
        box.setEscapeButton(leave)
        box.exec()
        clicked = box.clickedButton()
        chosen: str | ServerLogin | None = None
        if clicked is open_file:
            chosen = ask_database_file(parent)
        elif clicked is new_file:
            chosen = ask_new_database_file(parent)
        elif clicked is server:
            chosen = ask_server_address(parent, previous)
        elif clicked is local:
            chosen = sqlite_url(config.default_database_path())
        else:
            return None
        if chosen is not None:
            return chosen, clicked is new_file
