"""Help > About: the program's version, the open database, and the versions support asks for."""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable

from PySide6.QtCore import QDir, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import __version__, config
from thep_desktop.database import sqlalchemy_version

APP_TITLE = "THE Partnership Office"


def program_facts(database: str | None) -> list[str]:
    """One line each: what whoever supports the program asks for first."""
    import PySide6

    bundled = " (installed program)" if getattr(sys, "frozen", False) else ""
    return [
        f"{APP_TITLE} {__version__}{bundled}",
        f"Database: {database or 'none open'}",
        f"Python {platform.python_version()}",
        f"Qt {qVersion()} (PySide6 {PySide6.__version__})",
        f"SQLAlchemy {sqlalchemy_version()}",
        f"Windows {platform.version()}"
        if sys.platform == "win32"
        else f"{platform.system()} {platform.release()}",
    ]


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def open_log_folder(open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl) -> bool:
    """Open the folder of the program's log in the file manager (made first if need be)."""
    folder = config.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the file manager then says the folder is not there, in its own words
    return open_url(QUrl.fromLocalFile(QDir.toNativeSeparators(str(folder))))


class AboutDialog(QDialog):
    """The facts as text that can be selected, and Copy to put them all on the clipboard."""

    def __init__(self, database: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_TITLE}")
        self.facts = program_facts(database)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{APP_TITLE}</b> {__version__}")
        layout.addWidget(title)
        layout.addWidget(QLabel("The office application of a schools partnership."))
        self.facts_label = QLabel("\n".join(self.facts[1:]))
        self.facts_label.setObjectName("about_facts")
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Put these lines on the clipboard, to paste into an email")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(self.facts)

    def _copy(self) -> None:
        copy_text(self.text())
        self.copy_button.setText("Copied")
