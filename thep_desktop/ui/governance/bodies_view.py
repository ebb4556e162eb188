"""The Governance tab's Bodies and people view: the bodies and their rules, the members of
the chosen body as at a date, and everyone who sits on a body, with the forms that keep them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    BodyDetail,
    PersonDetail,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.governance.appointment_editor import typed_date
from thep_desktop.ui.governance.people_tables import (
    BODY_COLUMNS,
    MEMBER_COLUMNS,
    PEOPLE_COLUMNS,
    MembersTableModel,
    body_rows,
    member_rows,
    people_rows,
    record_at,
)
from thep_desktop.ui.shared.actions import make_action
from thep_desktop.ui.shared.forms import ERROR_STYLE, date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.roles import SORT_ROLE

BODIES, MEMBERS, PEOPLE = "bodies", "members", "people"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class _FocusWatch(QObject):
    """Remembers which of the three lists the person last worked in (History and Appoint…
    act on that one)."""

    def __init__(self, view: BodiesPeopleView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            name = watched.property("list_name")
            if isinstance(name, str):
                self.view.last_list = name
                self.view.update_actions()
        return False


class BodiesPeopleView(QWidget):
    """``BodiesPeopleView(services, parent)``: bodies above, the chosen body's members below,
    and the people beside them. ``menu_actions()`` are the actions for the tab's menu;
    ``status_message(str)`` says what was done; ``changed()`` after anything was saved."""

    status_message = Signal(str)
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # Opens the forms; tests replace it to drive a form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.bodies: list[BodyDetail] = []
        self.people: list[PersonDetail] = []
        self.last_list = BODIES
        self.setObjectName("bodies_people_view")
        self._build()
        self._build_actions()
        self._connect()
        self.update_actions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QToolBar("Bodies and people")
        self.toolbar.setObjectName("bodies_people_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        down = QSplitter(Qt.Orientation.Vertical)
        down.setObjectName("bodies_people_splitter")
        layout.addWidget(down, 1)

        bodies_box = QWidget()
        column = QVBoxLayout(bodies_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_caption("<b>Bodies</b>"))
        self.empty = QWidget()
        self.empty.setObjectName("no_bodies")
        empty_row = QHBoxLayout(self.empty)
        empty_row.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(
            "No bodies yet. Add the Board of Directors, the Advisory Council and the general "
            "meeting of members with their usual rules, or make one with New body…"
        )
        self.empty_label.setWordWrap(True)
        self.usual_button = push_button(
            "Add the usual bodies",
            self.add_usual_bodies,
            "The Board of Directors (B), the Advisory Council (AC, at least once a term) and "
            "the general meeting of members (GM, 14 clear days' notice, member schools vote)",
        )
        empty_row.addWidget(self.empty_label, 1)
        empty_row.addWidget(self.usual_button)
        self.empty.hide()
        column.addWidget(self.empty)
        self.bodies_model = PlainTableModel(BODY_COLUMNS, parent=self)
        self.bodies_table = list_view("bodies_table", self.bodies_model, sort_column=0)
        self.bodies_table.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.bodies_table, 1)
        down.addWidget(bodies_box)

        # The chosen body's members, and everyone: one at a time, each as wide as the view.
        # Few Alt letters here: the main window's tabs and menus and the Governance tab's
        # views hold most of them, and a letter held twice works for neither.
        self.pages = QTabWidget()
        self.pages.setObjectName("bodies_people_pages")
        self.pages.setDocumentMode(True)
        members_box = QWidget()
        column = QVBoxLayout(members_box)
        column.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.members_label = _caption("")
        self.members_label.setObjectName("members_label")
        top.addWidget(self.members_label, 1)
        as_at = QLabel("As at")
        self.as_at = date_field(format_date(date.today()), "The day whose members are shown")
        self.as_at.setObjectName("members_as_at")
        self.as_at.setMaximumWidth(130)
        as_at.setBuddy(self.as_at)
        self.show_former = QCheckBox("Incl&ude former members")
        self.show_former.setObjectName("show_former")
        self.show_former.setToolTip("Also those who had ceased to hold office by that day")
        top.addWidget(as_at)
        top.addWidget(self.as_at)
        top.addWidget(self.show_former)
        column.addLayout(top)
        self.as_at_message = QLabel()
        self.as_at_message.setObjectName("error_members_as_at")
        self.as_at_message.setStyleSheet(ERROR_STYLE)
        self.as_at_message.hide()
        column.addWidget(self.as_at_message)
        self.members_model = MembersTableModel(MEMBER_COLUMNS, parent=self)
        self.members_table = list_view("members_table", self.members_model)
        self.members_table.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.members_table, 1)
        self.pages.addTab(members_box, "Members of the bod&y")

        people_box = QWidget()
        column = QVBoxLayout(people_box)
        column.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        find = QLabel("Find")
        self.search = QLineEdit()
        self.search.setObjectName("people_search")
        self.search.setPlaceholderText("A person by name, school, role or email")
        self.search.setClearButtonEnabled(True)
        find.setBuddy(self.search)
        self.people_count = QLabel()
        self.people_count.setObjectName("people_count")
        top.addWidget(find)
        top.addWidget(self.search, 1)
        top.addWidget(self.people_count)
        column.addLayout(top)
        self.people_model = PlainTableModel(PEOPLE_COLUMNS, parent=self)
        self.people_proxy = QSortFilterProxyModel(self)
        self.people_proxy.setSourceModel(self.people_model)
        self.people_proxy.setSortRole(SORT_ROLE)
        self.people_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.people_proxy.setFilterKeyColumn(-1)
        self.people_table = list_view("people_table", self.people_proxy, sort_column=0)
        self.people_table.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.people_table, 1)
        self.pages.addTab(people_box, "People")
        down.addWidget(self.pages)
        down.setSizes([190, 480])

        self._watch = _FocusWatch(self)
        for table, name in (
            (self.bodies_table, BODIES),
            (self.members_table, MEMBERS),
            (self.people_table, PEOPLE),
        ):
            table.setProperty("list_name", name)
            table.installEventFilter(self._watch)

    def _build_actions(self) -> None:
        def act(text: str, slot: Callable[[], object], tip: str, shortcut: str = "") -> QAction:
            return make_action(self, text, slot, tip, shortcut)

        self.new_body_action = act(
            "New &body…", self.new_body, "A committee or other body that meets"
        )
        self.edit_body_action = act(
            "&Edit body…",
            self.edit_body,
            "The chosen body's rules: who votes, quorum, notice, how often it meets",
        )
        self.delete_body_action = act(
            "Delete bod&y…",
            self.delete_body,
            "Remove a body entered in error (one with meetings or appointments is retired) "
            "(Delete)",
        )
        self.new_person_action = act(
            "New &person…", self.new_person, "Someone who sits on a body, or attends one"
        )
        self.edit_person_action = act(
            "Edit pe&rson…",
            self.edit_person,
            "The chosen person's details, statutory details and appointments",
        )
        self.delete_person_action = act(
            "Delete perso&n…",
            self.delete_person,
            "Remove someone entered in error (anyone with a record of service stays) (Delete)",
        )
        self.appoint_action = act(
            "&Appoint…",
            self.appoint,
            "Appoint someone to the chosen body (the person chosen, when the people list was "
            "the last one used)",
        )
        self.edit_appointment_action = act(
            "Edit appoint&ment…",
            self.edit_appointment,
            "Change the chosen member's appointment: capacity, how appointed, term",
        )
        self.end_appointment_action = act(
            "End appointment / Re&sign…",
            self.end_appointment,
            "The chosen member resigned or their term ended: the date ceased and why",
        )
        self.delete_appointment_action = act(
            "Delete appointmen&t…",
            self.delete_appointment,
            "Remove an appointment entered in error (one that ended is ended, not deleted) "
            "(Delete)",
        )
        self.history_action = act(
            "&History…",
            self.show_history,
            "Everything changed in the body, appointment or person chosen",
            "Ctrl+H",
        )
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.history_action)
        groups = (
            (self.new_body_action, self.edit_body_action, self.delete_body_action),
            (
                self.appoint_action,
                self.edit_appointment_action,
                self.end_appointment_action,
                self.delete_appointment_action,
            ),
            (self.new_person_action, self.edit_person_action, self.delete_person_action),
            (self.history_action,),
        )
        for number, group in enumerate(groups):
            if number:
                self.toolbar.addSeparator()
            for action in group:
                if action not in (
                    self.delete_body_action,
                    self.delete_person_action,
                    self.delete_appointment_action,
                ):
                    self.toolbar.addAction(action)
        self._menu: list[QAction] = []
        for number, group in enumerate(groups):
            if number:
                between = QAction(self)
                between.setSeparator(True)
                self._menu.append(between)
            self._menu.extend(group)
        for table, actions in (
            (self.bodies_table, groups[0] + (self.appoint_action, self.history_action)),
            (self.members_table, groups[1] + (self.history_action,)),
            (self.people_table, groups[2] + (self.appoint_action, self.history_action)),
        ):
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            for action in actions:
                table.addAction(action)

    def _connect(self) -> None:
        self.bodies_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self._body_chosen()
        )
        self.members_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.update_actions()
        )
        self.people_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.update_actions()
        )
        # Delete in a list: its record, after asking (only for those who may change them).
        for table, delete in (
            (self.bodies_table, self.delete_body),
            (self.members_table, self.delete_appointment),
            (self.people_table, self.delete_person),
        ):
            shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(delete)
        self.bodies_table.activated.connect(lambda _i: self.edit_body())
        self.members_table.activated.connect(lambda _i: self.edit_appointment())
        self.people_table.activated.connect(lambda _i: self.edit_person())
        self.search.textChanged.connect(self._search_changed)
        # Enter or leaving the box (editingFinished is both): the members on the day typed.
        self.as_at.editingFinished.connect(self.show_members)
        self.show_former.toggled.connect(lambda _on: self.show_members())

    def menu_actions(self) -> list[QAction]:
        """The actions for the tab's menu, in order: bodies, appointments, people and
        History, with separators between the groups."""
        return list(self._menu)

    # -- reading ----------------------------------------------------------------------------
    def reload(self) -> bool:
        """Read the bodies and people again, keeping what is chosen."""
        actor = self.services.actor
        body_id, person_id = self.body_id(), self.person_id()
        appointment = self.chosen_member()
        try:
            bodies = self.services.governing_bodies.list_bodies(actor)
            people = self.services.governance_people.list_people(actor)
        except ServerUnavailableError:
            self.status_message.emit("Not reloaded: the bodies shown are as they were last read.")
            return False
        except ServiceError as exc:
            self.members_label.setText(escape(exc.message))
            return False
        self.bodies, self.people = bodies, people
        self.bodies_model.set_rows(body_rows(bodies))
        self.bodies_table.resizeColumnsToContents()
        self.empty.setVisible(not bodies)
        self.usual_button.setEnabled(self._may_edit())
        self.people_model.set_rows(people_rows(people, date.today()))
        self.people_table.resizeColumnsToContents()
        self._count_people()
        self.choose_body(body_id or (bodies[0].id if bodies else 0))
        self.show_members(appointment.id if appointment else None)
        if person_id:
            self.select_person(person_id, focus=False)
        elif self.people_proxy.rowCount():
            self.people_table.selectRow(0)
        self.update_actions()
        return True

    def _may_edit(self) -> bool:
        return self.services.actor.can(MANAGE_GOVERNANCE)

    def body(self) -> BodyDetail | None:
        index = self.bodies_table.currentIndex()
        if not index.isValid():
            return None
        return record_at(self.bodies_model, index.row())  # type: ignore[no-any-return]

    def body_id(self) -> int:
        body = self.body()
        return body.id if body is not None else 0

    def chosen_member(self) -> AppointmentDetail | None:
        index = self.members_table.currentIndex()
        if not index.isValid():
            return None
        return record_at(self.members_model, index.row())  # type: ignore[no-any-return]

    def person(self) -> PersonDetail | None:
        index = self.people_table.currentIndex()
        if not index.isValid():
            return None
        source = self.people_proxy.mapToSource(index)
        return record_at(self.people_model, source.row())  # type: ignore[no-any-return]

    def person_id(self) -> int:
        person = self.person()
        return person.id if person is not None else 0

    def choose_body(self, body_id: int) -> None:
        for row in range(self.bodies_model.rowCount()):
            if record_at(self.bodies_model, row).id == body_id:
                self.bodies_table.selectRow(row)
                return

    def select_person(self, person_id: int, focus: bool = True) -> None:
        """Show the person in the people list, chosen (the compliance panel's link to a
        director whose term ends); a search that hides them is cleared."""
        row = next(
            (
                r
                for r in range(self.people_model.rowCount())
                if record_at(self.people_model, r).id == person_id
            ),
            -1,
        )
        if row < 0:
            return
        index = self.people_proxy.mapFromSource(self.people_model.index(row, 0))
        if not index.isValid():
            self.search.clear()
            index = self.people_proxy.mapFromSource(self.people_model.index(row, 0))
        self.people_table.selectRow(index.row())
        self.people_table.scrollTo(index)
        if focus:
            self.pages.setCurrentIndex(1)
            self.people_table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.last_list = PEOPLE
        self.update_actions()

    def _body_chosen(self) -> None:
        self.show_members()
        self.update_actions()

    def as_at_day(self) -> date | None:
        """The day typed in As at; None (with the reason shown under it) when unreadable."""
        value = typed_date(self.as_at.text())
        if value is None:
            value = "Type the day whose members to show (dd/mm/yyyy)."
        if isinstance(value, str):
            self.as_at_message.setText(value)
            self.as_at_message.show()
            self.as_at.setStyleSheet("border: 1px solid #b00020;")
            return None
        self.as_at_message.hide()
        self.as_at.setStyleSheet("")
        return value

    def show_members(self, select_id: int | None = None) -> None:
        """The chosen body's members on the As at day (and, ticked, those who had left)."""
        body = self.body()
        day = self.as_at_day()
        if body is None or day is None:
            self.members_model.set_rows([])
            if body is None:
                self.members_label.setText(
                    "Choose a body to see its members." if self.bodies else "No bodies yet."
                )
            self.update_actions()
            return
        chosen = self.chosen_member()
        wanted = select_id if select_id is not None else (chosen.id if chosen else None)
        actor = self.services.actor
        try:
            members = self.services.governance_people.members_of(actor, body.id, day)
            former: list[AppointmentDetail] = []
            if self.show_former.isChecked():
                former = [
                    a
                    for a in self.services.governance_people.appointments(actor, body.id)
                    if a.ends_on is not None and a.ends_on <= day
                ]
        except ServiceError as exc:
            self.members_label.setText(escape(exc.message))
            return
        self.members_model.set_rows(member_rows(members + former))
        self.members_table.resizeColumnsToContents()
        voting = sum(1 for a in members if a.votes)
        words = (
            f"<b>Members of {escape(body.name)}</b> on {format_date(day)}: "
            f"{_plural(len(members), 'member', 'members')}, {voting} voting"
        )
        if former:
            words += f"; {_plural(len(former), 'former member', 'former members')} below them"
        elif not members:
            words += " (appoint someone with Appoint…)"
        self.members_label.setText(words)
        rows = [record_at(self.members_model, r).id for r in range(self.members_model.rowCount())]
        if wanted in rows:
            self.members_table.selectRow(rows.index(wanted))
        elif rows:
            self.members_table.selectRow(0)
        self.update_actions()

    def _search_changed(self, text: str) -> None:
        self.people_proxy.setFilterFixedString(text)
        self._count_people()
        if not self.people_table.currentIndex().isValid() and self.people_proxy.rowCount():
            self.people_table.selectRow(0)
        self.update_actions()

    def _count_people(self) -> None:
        shown, total = self.people_proxy.rowCount(), self.people_model.rowCount()
        self.people_count.setText(
            _plural(total, "person", "people")
            if shown == total
            else f"{shown} of {_plural(total, 'person', 'people')}"
        )

    def update_actions(self) -> None:
        may = self._may_edit()
        body, member, person = self.body(), self.chosen_member(), self.person()
        self.new_body_action.setEnabled(may)
        self.edit_body_action.setEnabled(may and body is not None)
        self.delete_body_action.setEnabled(may and body is not None)
        self.new_person_action.setEnabled(may)
        self.edit_person_action.setEnabled(may and person is not None)
        self.delete_person_action.setEnabled(may and person is not None)
        self.appoint_action.setEnabled(may and bool(self.bodies) and bool(self.people))
        self.edit_appointment_action.setEnabled(may and member is not None)
        self.end_appointment_action.setEnabled(
            may and member is not None and member.ends_on is None
        )
        self.delete_appointment_action.setEnabled(may and member is not None)
        self.history_action.setEnabled(self._history_record() is not None)

    # -- after a change ---------------------------------------------------------------------
    def _done(self, message: str) -> None:
        self.reload()
        self.status_message.emit(message)
        self.changed.emit()

    def _open(self, make: Callable[[], Any], what: str, saved: Callable[[Any], None]) -> None:
        """A form made by ``make`` run; ``saved(record)`` when it saved. A record gone since
        it was listed is said in words, and the lists read again."""
        try:
            form = make()
        except ServiceError as exc:
            self.tell(self, f"Cannot open the {what}", exc.message)
            self.reload()
            return
        form.ask = self.ask
        form.saved.connect(saved)
        self.run_dialog(form)

    # -- bodies -----------------------------------------------------------------------------
    def new_body(self) -> None:
        if self._may_edit():
            self._open_body(None)

    def edit_body(self) -> None:
        """The chosen body (Enter or double-click), to change, or to read for a viewer."""
        body = self.body()
        if body is not None:
            self._open_body(body.id)

    def _open_body(self, body_id: int | None) -> None:
        from thep_desktop.ui.governance.body_editor import BodyEditor

        def saved(body: BodyDetail) -> None:
            self.choose_body(body.id)
            self._done(f"Body {body.name} ({body.code}) saved.")
            self.choose_body(body.id)

        self._open(lambda: BodyEditor(self.services, body_id, self), "body", saved)

    def delete_body(self) -> None:
        body = self.body()
        if not self._may_edit() or body is None:
            return
        answer = self.ask(
            self,
            "Delete body",
            f"Delete {body.name} ({body.code})? Only a body entered in error, with no meetings "
            "or appointments, can be deleted.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        actor = self.services.actor
        try:
            self.services.governing_bodies.delete_body(actor, body.id, body.version)
        except ServiceError as exc:
            # The plain refusal is for its history; a kind of its own (changed or gone
            # meanwhile, the database busy, no permission) has nothing to offer.
            self._offer_to_retire(body, exc.message, type(exc) is ServiceError)
            return
        self._done(f"Body {body.name} deleted.")

    def _offer_to_retire(self, body: BodyDetail, refusal: str, for_history: bool) -> None:
        """A body with a history is not deleted: offer to retire it (untick Active)."""
        if not body.active or not for_history:
            self.tell(self, "The body was not deleted", refusal)
            self.reload()
            return
        answer = self.ask(
            self, "The body was not deleted", f"{refusal}\n\nRetire it now?", ["Retire", "Cancel"]
        )
        if answer != "Retire":
            return
        try:
            self.services.governing_bodies.save_body(
                self.services.actor, replace(body.as_input(), active=False), body.id, body.version
            )
        except ServiceError as exc:
            self.tell(self, "The body was not retired", exc.message)
            self.reload()
            return
        self._done(f"Body {body.name} retired: it keeps its meetings and appointments.")

    def add_usual_bodies(self) -> None:
        if not self._may_edit():
            return
        try:
            added = self.services.governing_bodies.add_usual_bodies(self.services.actor)
        except ServiceError as exc:
            self.tell(self, "The usual bodies were not added", exc.message)
            return
        self._done(
            f"{_plural(added, 'body', 'bodies')} added: the Board of Directors, the Advisory "
            "Council and the general meeting of members, with their usual rules."
            if added
            else "The usual bodies are there already."
        )

    # -- people -----------------------------------------------------------------------------
    def new_person(self) -> None:
        if self._may_edit():
            self._open_person(None)

    def edit_person(self) -> None:
        person = self.person()
        if person is not None:
            self._open_person(person.id)

    def _open_person(self, person_id: int | None) -> None:
        from thep_desktop.ui.governance.person_editor import PersonEditor

        def make() -> PersonEditor:
            editor = PersonEditor(self.services, person_id, self)
            editor.run_dialog = self.run_dialog
            editor.tell = self.tell
            editor.appointments_changed.connect(lambda: self._done("Appointments saved."))
            return editor

        def saved(person: PersonDetail) -> None:
            self._done(f"{person.name} saved.")
            self.select_person(person.id)

        self._open(make, "person", saved)

    def delete_person(self) -> None:
        person = self.person()
        if not self._may_edit() or person is None:
            return
        answer = self.ask(
            self,
            "Delete person",
            f"Delete {person.name}? Only someone entered in error, with no appointments or "
            "meetings on record, can be deleted.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.governance_people.delete_person(
                self.services.actor, person.id, person.version
            )
        except ServiceError as exc:
            self.tell(self, "The person was not deleted", exc.message)
            self.reload()
            return
        self._done(f"{person.name} deleted.")

    # -- appointments -----------------------------------------------------------------------
    def appoint(self) -> None:
        if not self._may_edit():
            return
        from thep_desktop.ui.governance.appointment_editor import AppointmentEditor

        person_id = self.person_id() if self.last_list == PEOPLE else None
        body_id = self.body_id() or None
        self._open(
            lambda: AppointmentEditor(self.services, None, self, person_id, body_id),
            "appointment",
            self._appointment_saved,
        )

    def edit_appointment(self) -> None:
        member = self.chosen_member()
        if member is None:
            return
        from thep_desktop.ui.governance.appointment_editor import AppointmentEditor

        self._open(
            lambda: AppointmentEditor(self.services, member.id, self),
            "appointment",
            self._appointment_saved,
        )

    def end_appointment(self) -> None:
        member = self.chosen_member()
        if not self._may_edit() or member is None:
            return
        from thep_desktop.ui.governance.appointment_editor import EndAppointmentDialog

        self._open(
            lambda: EndAppointmentDialog(self.services, member, self),
            "appointment",
            self._appointment_saved,
        )

    def _appointment_saved(self, saved: AppointmentDetail) -> None:
        words = (
            f"{saved.person_name}: {saved.capacity.label}, {saved.body_name}, "
            f"{saved.period_label[0].lower()}{saved.period_label[1:]}."
        )
        self.choose_body(saved.body_id)
        self.reload()
        self.show_members(saved.id)
        self.status_message.emit(words)
        self.changed.emit()

    def delete_appointment(self) -> None:
        member = self.chosen_member()
        if not self._may_edit() or member is None:
            return
        answer = self.ask(
            self,
            "Delete appointment",
            f"Delete the appointment of {member.person_name} to {member.body_name} "
            f"({member.period_label.lower()})? Only one entered in error should be deleted: "
            "a resignation or a term that ended is recorded with End appointment, so the "
            "register keeps it.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.governance_people.delete_appointment(
                self.services.actor, member.id, member.version
            )
        except ServiceError as exc:
            self.tell(self, "The appointment was not deleted", exc.message)
            self.reload()
            return
        self._done(f"The appointment of {member.person_name} to {member.body_name} deleted.")

    # -- history ----------------------------------------------------------------------------
    def _history_record(self) -> tuple[str, Any] | None:
        """What History shows: the record in the list last used."""
        chosen: dict[str, tuple[str, Any] | None] = {
            BODIES: (f"Body {b.name}", b) if (b := self.body()) else None,
            MEMBERS: (
                (f"Appointment of {m.person_name} to {m.body_name}", m)
                if (m := self.chosen_member())
                else None
            ),
            PEOPLE: (p.name, p) if (p := self.person()) else None,
        }
        found = chosen.get(self.last_list)
        return found if found is not None and found[1].uuid is not None else None

    def show_history(self) -> None:
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        found = self._history_record()
        if found is None:
            return
        title, record = found
        self.run_dialog(HistoryDialog(self.services, title, record.uuid, self))
