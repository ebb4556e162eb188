"""Settings > Users: who may use the database, with their roles; an administrator's screen.

An administrator adds a person (on a server, their login and password too), changes a role,
and disables or enables a login; everyone else sees the list read-only. Every refusal comes
from the users service (the last administrator, your own login, a login the server refuses)
and is shown in words, with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.services.users.identity import LOCAL_FILE_NOTE
from thep_desktop.services.users.users_permissions import MANAGE_USERS
from thep_desktop.services.users.users_service import UserDetail
from thep_desktop.ui.shared.forms import (
    FieldMessages,
    correction_summary,
    error_banner,
    push_button,
)
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.roles import ROW_ROLE

SERVER_NOTE = (
    "This database is on the office server: the server checks each person's password and "
    "enforces their role, so what a role may not do is refused by the server itself, not "
    "only by this program."
)
INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"

COLUMNS = (
    PlainColumn("Login"),
    PlainColumn("Name"),
    PlainColumn("Role"),
    PlainColumn("Active", tooltip="Whether they may open the database"),
    PlainColumn("Added on", "date"),
    PlainColumn("Added by"),
)
COL_LOGIN, COL_NAME, COL_ROLE, COL_ACTIVE, COL_ADDED_ON, COL_ADDED_BY = range(len(COLUMNS))

# Answers to "disable?".
DISABLE = "Disable"
CANCEL = "Cancel"


def person(user: UserDetail) -> str:
    """How a person is named in a question: "Nadia Rahman (nadia.rahman)"."""
    return f"{user.full_name} ({user.login})" if user.full_name else user.login


def role_combo(current: Role | None = None) -> QComboBox:
    """The roles, each in words; the role's name is the item's data."""
    combo = QComboBox()
    combo.setObjectName("role")
    for role in Role:
        combo.addItem(role.words, role.value)
    combo.setCurrentIndex(list(Role).index(current or Role.STAFF))
    return combo


# -- add a person -----------------------------------------------------------------------------
class AddPersonForm(QDialog):
    """Login, full name, role and (on a server) the password twice. ``added`` is the result."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.on_server = services.users.on_server
        self.added: UserDetail | None = None
        self.messages = FieldMessages()
        self.setWindowTitle("Add a person")
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.login.setPlaceholderText(
            "their login on the server, e.g. jo.bloggs"
            if self.on_server
            else "their login on the office computers, e.g. jo.bloggs"
        )
        self.messages.add_row(form, "login", "&Login", self.login)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.full_name.setPlaceholderText("e.g. Jo Bloggs")
        self.messages.add_row(form, "full_name", "Full &name", self.full_name)
        self.role = role_combo()
        self.messages.add_row(form, "role", "&Role", self.role)
        self.password: QLineEdit | None = None
        self.password_again: QLineEdit | None = None
        if self.on_server:
            self.password = QLineEdit()
            self.password.setObjectName("password")
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.messages.add_row(form, "password", "&Password", self.password)
            self.password_again = QLineEdit()
            self.password_again.setObjectName("password_again")
            self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
            self.messages.add_row(form, "password_again", "Password &again", self.password_again)
        outer.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Add")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        outer.addWidget(buttons)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.adjustSize()  # room for the messages now shown under the fields

    def save(self) -> bool:
        """Add the person through the service; True when added (the form then closes)."""
        self.messages.clear()
        self._show_banner("")
        password = None
        if self.password is not None and self.password_again is not None:
            password = self.password.text()
            if password and password != self.password_again.text():
                self.messages.show({"password_again": "The two passwords are not the same"})
                self._show_banner(correction_summary(1))
                return False
        try:
            self.added = self.services.users.add_user(
                self.services.actor,
                self.login.text(),
                str(self.role.currentData()),
                full_name=self.full_name.text(),
                password=password or None,
            )
        except ValidationError as exc:
            unplaced = self.messages.show(exc.field_errors)
            self._show_banner("\n".join([correction_summary(len(exc.field_errors)), *unplaced]))
            return False
        except ServiceError as exc:
            self._show_banner(f"{exc} What you typed is still here.")
            return False
        self.accept()
        return True


# -- change a role ----------------------------------------------------------------------------
class RoleForm(QDialog):
    """The role of one person, chosen from the roles in words. ``changed`` is the result."""

    def __init__(self, services: Services, user: UserDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.user = user
        self.changed: UserDetail | None = None
        self.setWindowTitle(f"Role of {person(user)}")
        self.setMinimumWidth(480)
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        intro = QLabel(f"What may {person(user)} do? Now: {user.role.words}.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.role = role_combo(user.role)
        outer.addWidget(self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Change role")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def save(self) -> bool:
        try:
            self.changed = self.services.users.set_role(
                self.services.actor, self.user.login, str(self.role.currentData())
            )
        except ServiceError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return False
        self.accept()
        return True


# -- the list ---------------------------------------------------------------------------------
class UsersDialog(QDialog):
    """The people who may use the database; add, change role, disable/enable (admins)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # How a form is shown (modal); tests answer it as a person would.
        self.run_form: Callable[[QDialog], object] = lambda form: form.exec()
        self.can_manage = services.actor.can(MANAGE_USERS)
        self.users: dict[str, UserDetail] = {}
        self.setWindowTitle("Users")
        self.resize(900, 460)
        self._build()
        self.reload()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.note = QLabel(SERVER_NOTE if self.services.users.on_server else LOCAL_FILE_NOTE)
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(INFO_STYLE)
        outer.addWidget(self.note)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)

        self.model = PlainTableModel(COLUMNS, parent=self)
        self.table = list_view("users", self.model, sort_column=COL_LOGIN)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((COL_LOGIN, 150), (COL_NAME, 200), (COL_ROLE, 90), (COL_ACTIVE, 110)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.change_role())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        outer.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.add_button = push_button(
            "&Add person…",
            self.add_person,
            "Add someone who may use the database (Insert or Ctrl+N)",
        )
        self.role_button = push_button(
            "Change &role…", self.change_role, "Change what the selected person may do (Enter)"
        )
        self.active_button = push_button("&Disable", self.toggle_active)
        self.history_button = push_button(
            "&History…",
            self.show_history,
            "Everything recorded about the selected person: added, roles changed, logins",
        )
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = (self.add_button, self.role_button, self.active_button, self.history_button)
        for button in (*buttons, close):
            # Enter means "change the selected person's role" here, never "press a button".
            button.setAutoDefault(False)
            button.setDefault(False)
        for button in buttons:
            bottom.addWidget(button)
        bottom.addSpacing(12)
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(close)
        outer.addLayout(bottom)
        for keys in (QKeySequence(Qt.Key.Key_Insert), QKeySequence(QKeySequence.StandardKey.New)):
            QShortcut(keys, self, activated=self.add_person)
        if not self.can_manage:
            actor = self.services.actor
            self._show_banner(
                f"{actor.name} may look at the list of people but not change it (role: "
                f"{actor.role.value}). Adding people and changing roles is an administrator's."
            )

    # -- the list ---------------------------------------------------------------------------
    def reload(self, select_login: str | None = None) -> None:
        if select_login is None:
            current = self.selected()
            select_login = current.login if current is not None else None
        users = self.services.users.list_users(self.services.actor)
        self.users = {u.login: u for u in users}
        self.model.set_rows(
            [
                (
                    u.login,
                    u.full_name,
                    u.role.value,
                    "Yes" if u.active else "No – disabled",
                    u.created_at.astimezone().date(),
                    u.created_by,
                )
                for u in users
            ]
        )
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if not (select_login and self.select_login(select_login)) and self.model.rowCount():
            self.table.selectRow(0)
        active = sum(1 for u in users if u.active)
        people = "person" if len(users) == 1 else "people"
        self.count_label.setText(f"{len(users)} {people}, {active} active")
        self._update_buttons()

    def select_login(self, login: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_values(row)[COL_LOGIN] == login:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> UserDetail | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        if not rows:
            return None
        return self.users.get(rows[0].data(ROW_ROLE)[COL_LOGIN])

    def logins_shown(self) -> list[str]:
        return [self.model.row_values(r)[COL_LOGIN] for r in range(self.model.rowCount())]

    def _update_buttons(self, *_args: object) -> None:
        user = self.selected()
        self.add_button.setEnabled(self.can_manage)
        self.role_button.setEnabled(self.can_manage and user is not None)
        if user is not None and not user.active:
            self.active_button.setText("&Enable")
            self.active_button.setToolTip(f"Let {person(user)} open the database again")
        else:
            self.active_button.setText("&Disable")
            self.active_button.setToolTip(
                "Stop the selected person opening the database; their history stays (Delete)"
            )
        self.active_button.setEnabled(self.can_manage and user is not None)
        self.history_button.setEnabled(user is not None and user.uuid is not None)

    def _show_banner(self, text: str) -> None:
        self.banner.setStyleSheet(INFO_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # -- actions ----------------------------------------------------------------------------
    def show_history(self) -> None:
        user = self.selected()
        if user is None or user.uuid is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        HistoryDialog(self.services, person(user), user.uuid, self).exec()

    def add_person(self) -> None:
        if not self.can_manage:
            return
        form = AddPersonForm(self.services, self)
        self.run_form(form)
        if form.added is not None:
            added = form.added
            self._show_banner(f"{person(added)} is added as {added.role.value}.")
            self.reload(added.login)

    def change_role(self) -> None:
        user = self.selected()
        if user is None or not self.can_manage:
            return
        form = RoleForm(self.services, user, self)
        self.run_form(form)
        if form.changed is not None:
            changed = form.changed
            if changed.role == user.role:
                self._show_banner(f"{person(changed)} is still {changed.role.value}.")
            else:
                self._show_banner(
                    f"{person(changed)} is now {changed.role.value} (was {user.role.value})."
                )
            self.reload(changed.login)

    def toggle_active(self) -> None:
        """Disable the selected person (after asking), or enable them again."""
        user = self.selected()
        if user is None or not self.can_manage:
            return
        if user.active:
            answer = self.ask(
                self,
                "Disable a login",
                f"Disable {person(user)}?\n\nThey will no longer be able to open this "
                "database. Their name stays in the records and the history; an administrator "
                "can enable them again.",
                [DISABLE, CANCEL],
            )
            if answer != DISABLE:
                return
        try:
            saved = self.services.users.set_active(self.services.actor, user.login, not user.active)
        except ServiceError as exc:
            self.tell(self, "Not changed", str(exc))
            self.reload(user.login)
            return
        state = "enabled: they can open the database again" if saved.active else "disabled"
        self._show_banner(f"{person(saved)} is {state}.")
        self.reload(saved.login)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.table.hasFocus():
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.change_role()
                return
            if event.key() == Qt.Key.Key_Delete:
                user = self.selected()
                if user is not None and user.active:
                    self.toggle_active()
                return
        super().keyPressEvent(event)
