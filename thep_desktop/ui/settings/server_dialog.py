"""Connecting to an office server: saved connections (no passwords), Test connection, Connect.

The connections are kept in the settings file as the person leaves them; a password only in
the computer's credential store (see thep_desktop/connections.py).
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.connections import (
    SSL_MODE_HELP,
    SSL_MODES,
    ConnectionTest,
    SavedConnection,
    ServerLogin,
    forget_password,
    save_connections,
    saved_connections,
    stored_password,
    try_connection,
    unused_name,
)
from thep_desktop.ui.settings.server_login import remember_box
from thep_desktop.ui.shared.forms import ERROR_STYLE, FieldMessages
from thep_desktop.ui.shared.questions import ask

NEW_NAME = "Office server"
KEPT_HERE = "Kept on this computer"
TESTING = "Testing the connection…"
OK_STYLE = "color: #1b5e20;"


class ServerDialog(QDialog):
    """Saved connections on the left, the selected one's details on the right.

    ``login()`` gives what to open after Connect: the address (without its password), the
    password typed, and whether to remember it.
    """

    _tested = Signal(object, object)  # (the connection's credential key, ConnectionTest)

    def __init__(self, parent: QWidget | None = None, previous: str | None = None) -> None:
        super().__init__(parent)
        self.ask = ask
        self.setWindowTitle("Connect to the office server")
        self.resize(760, 440)
        self.connections = saved_connections()
        self._row = -1
        self._filling = False
        self.testing: threading.Thread | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The shared database on the office's PostgreSQL server. Your IT support can tell "
            "you these details. A password is kept only in this computer's credential store "
            "(Windows Credential Manager), never in a file."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        columns.addLayout(self._build_list(), 1)
        columns.addLayout(self._build_form(), 2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("Connect")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tested.connect(self._show_test, Qt.ConnectionType.QueuedConnection)
        self._fill_list(self._row_of_previous(previous))
        (self.password if self.user.text() else self.host).setFocus()

    # -- building ---------------------------------------------------------------------------
    def _build_list(self) -> QVBoxLayout:
        column = QVBoxLayout()
        caption = QLabel("&Saved connections")
        self.list = QListWidget()
        self.list.setObjectName("connections")
        caption.setBuddy(self.list)
        self.list.currentRowChanged.connect(self._select)
        column.addWidget(caption)
        column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add")
        self.add_button.setToolTip("A new connection, to fill in on the right")
        self.rename_button = QPushButton("Re&name")
        self.rename_button.setToolTip("Type a new name for the selected connection")
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setToolTip(
            "Take the selected connection off the list, with its password on this computer"
        )
        self.add_button.clicked.connect(self.add_connection)
        self.rename_button.clicked.connect(self.rename_connection)
        self.remove_button.clicked.connect(self.remove_connection)
        for button in (self.add_button, self.rename_button, self.remove_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        column.addLayout(row)
        return column

    def _build_form(self) -> QVBoxLayout:
        column = QVBoxLayout()
        form = QFormLayout()
        self.messages = FieldMessages()
        self.name = QLineEdit()
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.ssl_mode = QComboBox()
        for mode in SSL_MODES:
            self.ssl_mode.addItem(f"{mode}: {SSL_MODE_HELP[mode]}", mode)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for name, label, widget in (
            ("name", "&Name", self.name),
            ("host", "Ser&ver", self.host),
            ("port", "&Port", self.port),
            ("database", "&Database", self.database),
            ("user", "&User name", self.user),
            ("ssl_mode", "SSL &mode", self.ssl_mode),
            ("password", "Pass&word", self.password),
        ):
            widget.setObjectName(name)
            self.messages.add_row(form, name, label, widget)
        for edit in (self.name, self.host, self.database, self.user):
            edit.textEdited.connect(self._edited)
        self.port.valueChanged.connect(self._edited)
        self.ssl_mode.currentIndexChanged.connect(self._edited)
        column.addLayout(form)
        self.remember = remember_box()
        column.addWidget(self.remember)
        test_row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAutoDefault(False)
        self.test_button.setToolTip("Try the server with these details; nothing is changed")
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        column.addLayout(test_row)
        self.test_result = QLabel()
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.test_result)
        column.addStretch(1)
        return column

    # -- the list -----------------------------------------------------------------------------
    def _row_of_previous(self, previous: str | None) -> int:
        """The saved connection of the server used last; that server added when not saved."""
        if previous:
            made = SavedConnection.from_url(previous)
            if made is not None:
                for row, connection in enumerate(self.connections):
                    if connection.credential_key == made.credential_key:
                        return row
                named = SavedConnection(**{**asdict(made), "name": self._free(made.name, -1)})
                self.connections.insert(0, named)
                return 0
        if not self.connections:
            self.connections.append(SavedConnection(NEW_NAME))
        return 0

    def _fill_list(self, select: int) -> None:
        self._filling = True
        self.list.clear()
        self.list.addItems([c.name for c in self.connections])
        self._filling = False
        self._row = -1
        self.list.setCurrentRow(min(select, len(self.connections) - 1))
        has_any = bool(self.connections)
        for widget in (self.rename_button, self.remove_button, self.test_button):
            widget.setEnabled(has_any)
        self.connect_button.setEnabled(has_any)

    def _select(self, row: int) -> None:
        if self._filling:
            return
        self._row = row
        self.messages.clear()
        self.test_result.clear()
        self.password.clear()
        connection = self.current()
        if connection is None:
            return
        self._filling = True
        self.name.setText(connection.name)
        self.host.setText(connection.host)
        self.port.setValue(connection.port)
        self.database.setText(connection.database)
        self.user.setText(connection.user)
        self.ssl_mode.setCurrentIndex(max(0, SSL_MODES.index(connection.ssl_mode)))
        self._filling = False
        self._show_kept_password(connection)

    def _show_kept_password(self, connection: SavedConnection) -> None:
        kept = bool(connection.user) and stored_password(connection.credential_key) is not None
        self.password.setPlaceholderText(KEPT_HERE if kept else "")

    def current(self) -> SavedConnection | None:
        return self.connections[self._row] if 0 <= self._row < len(self.connections) else None

    def _typed(self, name: str | None = None) -> SavedConnection:
        return SavedConnection(
            name=self.name.text().strip() if name is None else name,
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            ssl_mode=str(self.ssl_mode.currentData()),
        )

    def _edited(self, *_args: object) -> None:
        """What is typed on the right is the selected connection from now on."""
        if self._filling or self.current() is None:
            return
        previous = self.current()
        name = self.name.text().strip()
        if previous is not None and not name:
            name = previous.name  # rubbed out while typing a new one: the old one until then
        typed = self._typed(name)
        if (
            previous is not None
            and self.name.text().strip() == previous.name  # the person has not renamed it
            and re.sub(r" \(\d+\)$", "", name) == previous.credential_key
        ):
            # Named after its address (a server used before it was saved): the name follows
            # the address as it is changed, and never takes another connection's name.
            renamed = self._free(typed.credential_key, self._row)
            typed = SavedConnection(**{**asdict(typed), "name": renamed})
            self._filling = True
            self.name.setText(renamed)
            self._filling = False
        self.connections[self._row] = typed
        item = self.list.item(self._row)
        if item is not None and typed.name:
            item.setText(typed.name)
        if previous is not None and previous.credential_key != typed.credential_key:
            self._show_kept_password(typed)
            self.test_result.clear()

    def _free(self, wanted: str, row: int) -> str:
        """``wanted``, or with a number after it if another connection (not ``row``) has it."""
        others = [c for number, c in enumerate(self.connections) if number != row]
        return unused_name(others, wanted)

    def add_connection(self) -> None:
        name = unused_name(self.connections, NEW_NAME)
        self.connections.append(SavedConnection(name))
        self._fill_list(len(self.connections) - 1)
        self.host.setFocus()
        self.host.selectAll()

    def rename_connection(self) -> None:
        """The name is typed in place: the cursor goes to it, the old name selected."""
        self.name.setFocus()
        self.name.selectAll()

    def remove_connection(self) -> None:
        connection = self.current()
        if connection is None:
            return
        answer = self.ask(
            self,
            "Remove connection",
            f"Take {connection.described()} off the list? A password kept for it on this "
            "computer is forgotten too. The database on the server is not touched.",
            ["Remove", "Cancel"],
        )
        if answer != "Remove":
            return
        row = self._row
        del self.connections[row]
        if connection.user and not any(
            c.credential_key == connection.credential_key for c in self.connections
        ):
            forget_password(connection.credential_key)
        save_connections(self.connections)
        self._fill_list(max(0, row - 1))

    # -- checking, testing, connecting -----------------------------------------------------------
    def errors(self) -> dict[str, str]:
        problems = {}
        name = self.name.text().strip()
        if not name:
            problems["name"] = "Give the connection a name, such as Office server"
        elif any(
            c.name.casefold() == name.casefold()
            for row, c in enumerate(self.connections)
            if row != self._row
        ):
            problems["name"] = f"Another saved connection is called “{name}”; choose another name"
        host = self.host.text().strip()
        if not host:
            problems["host"] = "Give the server's name or address"
        elif any(c.isspace() or c in "/@?#" for c in host):
            problems["host"] = (
                "A server's name or address has no spaces and none of / @ ? #, "
                "such as db.office.local or 192.168.1.20"
            )
        if not self.database.text().strip():
            problems["database"] = "Give the database name"
        if not self.user.text().strip():
            problems["user"] = "Give your user name on the server"
        return problems

    def _checked(self) -> SavedConnection | None:
        problems = self.errors()
        self.messages.show(problems)
        if problems:
            return None
        self._edited()
        return self.current()

    def _password(self, connection: SavedConnection) -> str:
        return self.password.text() or stored_password(connection.credential_key) or ""

    def test_connection(self) -> None:
        """Try the server off the window's thread (a silent server takes seconds to give up)."""
        connection = self._checked()
        if connection is None or (self.testing is not None and self.testing.is_alive()):
            return
        typed = bool(self.password.text())
        url = connection.address(self._password(connection)).url()
        key = connection.credential_key
        self.test_result.setStyleSheet("")
        self.test_result.setText(TESTING)
        self.test_button.setEnabled(False)

        def run() -> None:
            found = try_connection(url)
            try:
                self._tested.emit(key, (found, typed))
            except RuntimeError:  # the dialog was closed meanwhile: nobody to tell
                pass

        self.testing = threading.Thread(target=run, name="test-connection", daemon=True)
        self.testing.start()

    def _show_test(self, key: str, outcome: tuple[ConnectionTest, bool]) -> None:
        found, typed = outcome
        self.test_button.setEnabled(True)
        text = found.text
        if found.password_refused and not typed and stored_password(key) is not None:
            forget_password(key)  # the kept password no longer works: never offered again
            text += " The password kept on this computer was forgotten; type the right one."
            current = self.current()
            if current is not None:
                self._show_kept_password(current)
        self.test_result.setStyleSheet(OK_STYLE if found.ours else ERROR_STYLE)
        self.test_result.setText(text)

    def _accept(self) -> None:
        if self._checked() is not None:
            self.accept()

    def done(self, result: int) -> None:
        """However the dialog closes, the list is kept as the person left it (no passwords)."""
        save_connections([c for c in self.connections if c.name])
        super().done(result)

    def login(self) -> ServerLogin:
        connection = self._typed()
        return ServerLogin(
            connection.address().url(), self.password.text(), self.remember.isChecked()
        )

    def url(self) -> str:
        """The address to open, with the password typed (if any)."""
        return self._typed().address(self.password.text()).url()
