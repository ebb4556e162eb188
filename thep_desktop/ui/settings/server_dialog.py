"""Connecting to the office's shared PostgreSQL server: host, port, database, user, password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.database import ServerAddress
from thep_desktop.ui.shared.forms import FieldMessages


class ServerDialog(QDialog):
    """Asks where the shared database is; ``url()`` gives the address to open."""

    def __init__(self, parent: QWidget | None = None, previous: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to the office server")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The shared database on the office's PostgreSQL server. Your IT support can tell "
            "you these details. The password is not stored by this program."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.messages = FieldMessages()
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("partnership")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for name, label, widget in (
            ("host", "Server", self.host),
            ("port", "Port", self.port),
            ("database", "Database", self.database),
            ("user", "User name", self.user),
            ("password", "Password", self.password),
        ):
            widget.setObjectName(name)
            self.messages.add_row(form, name, label, widget)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if previous:
            self._fill(previous)
        (self.password if self.user.text() else self.host).setFocus()

    def _fill(self, previous: str) -> None:
        address = ServerAddress.from_url(previous)
        if address is None:  # an old setting we no longer understand: start blank
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)

    def errors(self) -> dict[str, str]:
        problems = {}
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

    def _accept(self) -> None:
        problems = self.errors()
        self.messages.show(problems)
        if not problems:
            self.accept()

    def url(self) -> str:
        return ServerAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            password=self.password.text(),
        ).url()
