"""Opening an office server with its password: the one kept on this computer, else asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.connections import (
    SavedConnection,
    ServerLogin,
    credential_store_works,
    open_target,
)
from thep_desktop.ui.shared.forms import ERROR_STYLE

T = TypeVar("T")
REMEMBER = "Remember the password on this computer"
NO_STORE = (
    "This computer has no credential store that works, so the password cannot be remembered: "
    "it is asked for each time."
)

# (parent, connection, problem) -> (password, remember), or None when the person cancels.
PasswordAsker = Callable[[QWidget | None, SavedConnection, str], "tuple[str, bool] | None"]


def remember_box(checked: bool = True) -> QCheckBox:
    """The tick for keeping a password in the credential store, off where there is none."""
    box = QCheckBox(REMEMBER)
    box.setObjectName("remember")
    works = credential_store_works()
    box.setChecked(checked and works)
    box.setEnabled(works)
    box.setToolTip(
        "Kept in the computer's own credential store (Windows Credential Manager), never in "
        "a file, and only once the server has accepted it."
        if works
        else NO_STORE
    )
    return box


class PasswordPrompt(QDialog):
    """A small box asking the password of one connection, saying why it asks again."""

    def __init__(
        self, parent: QWidget | None, connection: SavedConnection, problem: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password for the office server")
        layout = QVBoxLayout(self)
        intro = QLabel(f"The password of {connection.user} for {connection.described()}:")
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.remember = remember_box()
        layout.addWidget(self.remember)
        if not self.remember.isEnabled():
            note = QLabel(NO_STORE)
            note.setObjectName("no_store")
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


def ask_password(
    parent: QWidget | None, connection: SavedConnection, problem: str
) -> tuple[str, bool] | None:
    """The password the person types for ``connection``, and whether to remember it."""
    prompt = PasswordPrompt(parent, connection, problem)
    if not prompt.exec():
        return None
    return prompt.password.text(), prompt.remember.isChecked()


def open_database(
    parent: QWidget | None,
    target: str | ServerLogin,
    open_url: Callable[[str], T],
    prompt: PasswordAsker = ask_password,
) -> tuple[T, str] | None:
    """A file opened as it is; a server with a password that works, asked for in a box over
    ``parent`` when needed (connections.open_target decides when)."""
    return open_target(
        target, open_url, lambda connection, problem: prompt(parent, connection, problem)
    )
