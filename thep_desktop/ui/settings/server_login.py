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
from sqlalchemy.engine import make_url

from thep_desktop.connections import (
    SavedConnection,
    ServerLogin,
    credential_store_works,
    forget_password,
    remember_password,
    saved_connections,
    stored_password,
)
from thep_desktop.database import PasswordRefusedError, ServerAddress
from thep_desktop.ui.shared.forms import ERROR_STYLE

T = TypeVar("T")
REMEMBER = "Remember the password on this computer"
NO_STORE = (
    "This computer has no credential store that works, so the password cannot be remembered: "
    "it is asked for each time."
)
NOT_KEPT = (
    "The password could not be kept on this computer (its credential store did not take it); "
    "it will be asked for next time."
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


def connection_of(url: str) -> SavedConnection:
    """The saved connection an address goes to (for its name), or one made from the address."""
    made = SavedConnection.from_url(url)
    if made is None:
        raise ValueError(f"not a server address: {url}")
    return next(
        (c for c in saved_connections() if c.credential_key == made.credential_key),
        made,
    )


def _with_password(url: str, password: str) -> str:
    # _replace, not set(): set() would leave a password already there when given None.
    parsed = make_url(url)._replace(password=password or None)
    return parsed.render_as_string(hide_password=False)


def open_server(
    parent: QWidget | None,
    login: ServerLogin,
    open_url: Callable[[str], T],
    prompt: PasswordAsker = ask_password,
) -> tuple[T, str] | None:
    """``open_url`` the server with a password that works; None when the person cancels.

    The password typed, else the one kept on this computer, else first none at all (a
    server that needs none, or one that cannot be reached, is then said as such); a refused
    password is forgotten and asked for again, saying that it was refused. A password typed
    in is kept in the credential store once the server accepted it, when the person ticked
    Remember. The second value is a note for the status bar ("" when nothing to say).
    Any other refusal (:class:`~thep_desktop.database.DatabaseError`) is the caller's to say.
    """
    connection = connection_of(login.url)
    key = connection.credential_key
    password, remember = login.password, login.remember
    from_store = False
    if not password:
        kept = stored_password(key)
        if kept:
            password, from_store = kept, True
    asked = bool(password)
    problem = ""
    while True:
        if not password and asked:
            answer = prompt(parent, connection, problem)
            if answer is None:
                return None
            password, remember = answer
            from_store = False
        try:
            result = open_url(_with_password(login.url, password))
        except PasswordRefusedError as exc:
            if from_store:
                forget_password(key)  # it no longer works: never offered again
            # Asked at once when no password was tried; said as refused when one was.
            problem = exc.reason if password else ""
            password, from_store, asked = "", False, True
            continue
        break
    note = ""
    if from_store or not password:
        return result, note
    if remember:
        if not remember_password(key, password):
            note = NOT_KEPT
    elif remember is False:  # unticked: nothing kept for this connection from now on
        forget_password(key)
    return result, note


def open_database(
    parent: QWidget | None,
    target: str | ServerLogin,
    open_url: Callable[[str], T],
    prompt: PasswordAsker = ask_password,
) -> tuple[T, str] | None:
    """A file opened as it is; a server with a password that works (see :func:`open_server`)."""
    if isinstance(target, str) and ServerAddress.from_url(target) is None:
        return open_url(target), ""  # a file, or an address refused in words by open_url
    login = target if isinstance(target, ServerLogin) else ServerLogin.from_url(target)
    return open_server(parent, login, open_url, prompt)
