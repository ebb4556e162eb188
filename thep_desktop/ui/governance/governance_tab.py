"""The Governance tab: the meetings, the action tracker, the bodies and their people, the
register of directors, and beside them the compliance panel that says what needs doing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import BodyKind
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionFilter,
    BodyDetail,
    MeetingSummary,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.governance.actions_view import ActionsView
from thep_desktop.ui.governance.bodies_view import BodiesPeopleView
from thep_desktop.ui.governance.compliance_panel import (
    ACTION,
    BODY,
    MEETING,
    PERSON,
    CompliancePanel,
)
from thep_desktop.ui.governance.directors_view import DirectorsView
from thep_desktop.ui.governance.governance_actions import SECTIONS, GovernanceActions
from thep_desktop.ui.governance.meetings_view import MeetingsView
from thep_desktop.ui.governance.record_list_view import RecordListView
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.tab_actions import TabAction, TabActions
from thep_desktop.ui.shared.table_export import ExportRequest

MEETINGS_VIEW, ACTIONS_VIEW, BODIES_VIEW, DIRECTORS_VIEW = range(4)


class GovernanceTab(GovernanceActions, TabActions, QWidget):
    """Emits ``status_message`` for the status bar, ``counts_changed`` when what it lists
    changed, and ``changed`` when something was saved here."""

    status_message = Signal(str)
    counts_changed = Signal()
    changed = Signal()
    SECTIONS = SECTIONS

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.today = today
        self.ask = ask
        self.tell = tell
        # Opens the dialogs; tests replace it to drive a dialog without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.bodies: list[BodyDetail] = []
        self.meetings: list[MeetingSummary] = []
        self.tab_actions: list[TabAction] = []
        self._toolbar_section = ""
        self.table_menu: QMenu | None = None
        self.bodies_menu: QMenu | None = None
        self._keys_on = False
        self.export_job: object = None
        self._build()
        self.build_actions()
        self._connect()
        self.update_actions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("governance_splitter")
        layout.addWidget(self.splitter)
        self.views = QTabWidget()
        self.views.setObjectName("governance_views")
        self.views.setDocumentMode(True)
        self.meetings_view = MeetingsView()
        self.actions_view = ActionsView(today=self.today)
        self.bodies_view = self._bodies_people_view()
        self.directors_view = DirectorsView()
        self.views.addTab(self.meetings_view, "Meeti&ngs")
        self.views.addTab(self.actions_view, "&Actions")
        self.views.addTab(self.bodies_view, "Bo&dies and people")
        self.views.addTab(self.directors_view, "Register of dire&ctors")
        self.splitter.addWidget(self.views)
        self.compliance = CompliancePanel()
        self.compliance.setMinimumWidth(250)
        self.splitter.addWidget(self.compliance)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([1080, 280])
        # The toolbar TabActions expects: each view has its own, this one stays empty.
        self.toolbar = QToolBar()
        self._no_count = QLabel()  # a view that counts nothing: the status bar says nothing
        # TabActions' defaults: the meetings' table (the tab selects in each view itself).
        self.table = self.meetings_view.table
        self.proxy = self.meetings_view.proxy
        self.model = self.meetings_view.model

    def _bodies_people_view(self) -> BodiesPeopleView:
        view = BodiesPeopleView(self.services, self)
        view.status_message.connect(self.status_message.emit)
        view.changed.connect(self._bodies_changed)
        return view

    def _connect(self) -> None:
        for view in (self.meetings_view, self.actions_view):
            view.selection_changed.connect(self.update_actions)
            view.shown_changed.connect(self.counts_changed.emit)
        self.meetings_view.open_requested.connect(self.open_selected_meeting)
        self.meetings_view.delete_requested.connect(self.delete_selected_meeting)
        self.meetings_view.usual_button.clicked.connect(self.add_usual_bodies)
        self.actions_view.open_requested.connect(self.edit_or_open_action)
        self.actions_view.delete_requested.connect(self.delete_selected_action)
        self.directors_view.as_at_changed.connect(self._show_register)
        self.directors_view.print_requested.connect(self.print_directors_register)
        self.directors_view.person_chosen.connect(self.show_person)
        self.compliance.chosen.connect(self.go_to)
        self.views.currentChanged.connect(self._view_changed)

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> bool:
        """Read the bodies, meetings, actions, register and compliance again, keeping the
        filters and the selections."""
        actor = self.services.actor
        try:
            self.bodies = self.services.governing_bodies.list_bodies(actor)
            self.meetings = self.services.meetings.list_meetings(actor)
            actions = self.services.governance_actions.list_actions(actor, ActionFilter())
        except ServerUnavailableError:
            self.status_message.emit("Not reloaded: the governance records shown are as they were.")
            return False
        except ServiceError as exc:
            self.status_message.emit(exc.message)
            return False
        today = self.today()
        self.meetings_view.show_bodies(self.bodies, self._can(MANAGE_GOVERNANCE))
        self.meetings_view.set_meetings(self.meetings, today)
        self.actions_view.show_bodies(self.bodies)
        self.actions_view.set_actions(actions)
        self.bodies_view.reload()
        self._show_register(self.directors_view.shown_on)
        self._show_compliance()
        self.update_actions()
        self.counts_changed.emit()
        return True

    def _show_compliance(self) -> None:
        try:
            report = self.services.governance_compliance.compliance(
                self.services.actor, self.today()
            )
        except ServiceError as exc:
            self.compliance.show_problem(exc.message)
            return
        self.compliance.show_report(report)

    def _show_register(self, as_at: date) -> None:
        actor = self.services.actor
        people = self.services.governance_people
        try:
            register = people.register_of_directors(actor, as_at)
            board = next((b for b in self.bodies if b.kind is BodyKind.BOARD), None)
            appointments = people.appointments(actor, board.id) if board is not None else []
        except ServiceError as exc:
            self.directors_view.show_problem(exc.message)
            return
        terms = {a.id: a.term_ends_on for a in appointments}
        self.directors_view.show_register(register, terms)
        self.counts_changed.emit()  # the status bar counts the directors while they show

    def _bodies_changed(self) -> None:
        """A body, person or appointment saved in Bodies and people: the rest follows."""
        self.reload()
        self.changed.emit()

    # -- what is in view --------------------------------------------------------------------
    def current_list(self) -> RecordListView | None:
        view = self.views.currentWidget()
        return view if isinstance(view, RecordListView) else None

    def selected_rows(self) -> list[Any]:
        view = self.current_list()
        return view.selected() if view is not None else []

    def selected_meeting(self) -> MeetingSummary | None:
        chosen = self.meetings_view.selected()
        return chosen[0] if len(chosen) == 1 else None

    def selected_action(self) -> ActionDetail | None:
        chosen = self.actions_view.selected()
        return chosen[0] if len(chosen) == 1 else None

    def _view_changed(self, _index: int) -> None:
        self.shortcuts_on(self._keys_on)
        self.update_actions()
        self.counts_changed.emit()

    def menu_sections(self) -> list[list[QAction]]:
        """The Governance menu: the tab's own sections, then Bodies and people's actions
        (enabled by that view itself, as its selection and the person's role allow)."""
        if self.bodies_menu is None:
            # A menu of its own: its letters (Alt+E for Edit body…) then clash with none here.
            self.bodies_menu = QMenu("&Bodies and people", self)
            self.bodies_menu.addActions(self.bodies_view.menu_actions())
        return [*super().menu_sections(), [self.bodies_menu.menuAction()]]

    def shortcuts_on(self, on: bool) -> None:
        """The tab's keys work while it is in view; Ctrl+N makes a meeting in the Meetings
        view and an action in the Actions view."""
        self._keys_on = on
        super().shortcuts_on(on)
        if on:
            in_actions = self.views.currentIndex() == ACTIONS_VIEW
            new = QKeySequence(QKeySequence.StandardKey.New)
            self.new_meeting_action.setShortcut(QKeySequence() if in_actions else new)
            self.new_action_action.setShortcut(new if in_actions else QKeySequence())

    @property
    def count_label(self) -> Any:
        """What the status bar shows for this tab: the count of what the view in front lists."""
        view = self.views.currentWidget()
        return getattr(view, "count_label", self._no_count)

    def focus_search(self) -> None:
        view = self.current_list()
        if view is None:
            self.views.setCurrentIndex(MEETINGS_VIEW)
            view = self.meetings_view
        view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        view.search.selectAll()

    def export_request(self) -> ExportRequest:
        """File > Export: the list in view as shown (meetings, actions, the directors or the
        bodies), to Excel or CSV."""
        index = self.views.currentIndex()
        if index == ACTIONS_VIEW:
            view: Any = self.actions_view
            return ExportRequest(view.table, "Actions", view.filter_in_words(), "Actions")
        if index == DIRECTORS_VIEW:
            on = format_date(self.directors_view.shown_on)
            title = f"Register of directors as at {on}"
            return ExportRequest(self.directors_view.current, title, "", "Register of directors")
        if index == BODIES_VIEW:
            return ExportRequest(self.bodies_view.bodies_table, "Governing bodies", "", "Bodies")
        view = self.meetings_view
        return ExportRequest(view.table, "Meetings", view.filter_in_words(), "Meetings")

    # -- going to a record ------------------------------------------------------------------
    def go_to(self, kind: str, record_id: int) -> None:
        """A compliance line clicked: the meeting, action, body's meetings or person."""
        if kind == MEETING:
            self.show_meeting(record_id)
        elif kind == ACTION:
            self.show_action(record_id)
        elif kind == BODY:
            self.meetings_view.clear_filters()
            self.meetings_view.choose_body(record_id)
            self.views.setCurrentIndex(MEETINGS_VIEW)
            self.meetings_view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif kind == PERSON:
            self.show_person(record_id)

    def show_meeting(self, meeting_id: int) -> None:
        self._show_in(self.meetings_view, MEETINGS_VIEW, meeting_id)

    def show_action(self, action_id: int) -> None:
        self._show_in(self.actions_view, ACTIONS_VIEW, action_id)

    def _show_in(self, view: RecordListView, index: int, record_id: int) -> None:
        if not view.is_shown(record_id):  # hidden by the filters: they are cleared
            view.clear_filters()  # type: ignore[attr-defined]
        self.views.setCurrentIndex(index)
        view.select_ids([record_id])
        view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update_actions()

    def show_person(self, person_id: int) -> None:
        self.views.setCurrentIndex(BODIES_VIEW)
        self.bodies_view.select_person(person_id)
