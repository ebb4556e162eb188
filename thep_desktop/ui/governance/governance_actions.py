"""What the Governance tab's buttons, menu and keys do: meetings, actions, their documents,
the register of directors and the usual bodies.

A mixin of :class:`~thep_desktop.ui.governance.governance_tab.GovernanceTab`. Each action
reads what it changes afresh, asks what it must, saves through the service (a refusal is
shown in the service's words, nothing changed) and reads the tab again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QTabWidget

from thep_desktop.domain.governance import ActionStatus
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    BodyDetail,
    MeetingSummary,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.ui.governance import document_actions as documents

# The sections of the Governance menu, in order.
MEETINGS, MEETING_DOCUMENTS, ACTIONS, ACTION_DOCUMENTS, REGISTER, BODIES = (
    "meetings",
    "meeting_documents",
    "actions",
    "action_documents",
    "register",
    "bodies",
)
SECTIONS = (MEETINGS, MEETING_DOCUMENTS, ACTIONS, ACTION_DOCUMENTS, REGISTER, BODIES)
DOCUMENT_KINDS = (("notice", "Noti&ce of meeting"), ("agenda", "A&genda"), ("minutes", "&Minutes"))


class GovernanceActions:
    """New, open and delete meetings; the action tracker's changes; documents; bodies."""

    # What the tab provides (see GovernanceTab).
    services: Services
    status_message: Signal
    changed: Signal
    ask: Callable[..., str]
    tell: Callable[..., object]
    run_dialog: Callable[[QDialog], object]
    today: Callable[[], date]
    bodies: list[BodyDetail]
    meetings: list[MeetingSummary]
    views: QTabWidget
    meetings_view: Any
    actions_view: Any
    directors_view: Any
    bodies_view: Any
    export_job: object
    reload: Callable[[], bool]
    action: Callable[..., QAction]
    add_action: Callable[..., QAction]
    update_actions: Callable[[], None]
    selected_meeting: Callable[[], MeetingSummary | None]
    selected_action: Callable[[], ActionDetail | None]
    show_meeting: Callable[[int], None]
    show_action: Callable[[int], None]

    def build_actions(self) -> None:
        """The tab's actions, placed in the menu, the views' toolbars and right-click menus."""
        add = self.add_action
        one_meeting: Callable[[object], bool] = lambda _rows: self.selected_meeting() is not None  # noqa: E731
        one_action: Callable[[object], bool] = lambda _rows: self.selected_action() is not None  # noqa: E731
        has_bodies: Callable[[object], bool] = lambda _rows: bool(self.bodies)  # noqa: E731
        meetings_bar = self.meetings_view.toolbar
        actions_bar = self.actions_view.toolbar

        # -- meetings
        self.new_meeting_action = add(
            self.action(
                "&New meeting…",
                self.new_meeting,
                "A meeting of a body: its date, notice, agenda, attendance and minutes",
                "Ctrl+N",
            ),
            MEETINGS,
            permission=MANAGE_GOVERNANCE,
            applies=has_bodies,
        )
        self.open_meeting_action = add(
            self.action(
                "&Open meeting…",
                self.open_selected_meeting,
                "The selected meeting: notice, agenda, attendance, minutes, decisions and "
                "actions (Enter or double-click)",
            ),
            MEETINGS,
            applies=one_meeting,
        )
        self.delete_meeting_action = add(
            self.action(
                "&Delete meeting…",
                self.delete_selected_meeting,
                "Remove the selected meeting while it has no decisions or actions (Delete)",
            ),
            MEETINGS,
            permission=MANAGE_GOVERNANCE,
            applies=lambda _rows: (
                (m := self.selected_meeting()) is not None and not m.minutes_status.locked
            ),
        )
        self.meeting_history_action = add(
            self.action(
                "Meeting &history…",
                self.show_meeting_history,
                "Everything changed in the selected meeting, its agenda, attendance and minutes",
                "Ctrl+H",
            ),
            MEETINGS,
            applies=one_meeting,
        )
        self.meeting_history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.meetings_view.table.addAction(self.meeting_history_action)
        meetings_bar.addActions(
            [self.new_meeting_action, self.open_meeting_action, self.delete_meeting_action]
        )
        meetings_bar.addSeparator()
        self.document_actions: dict[str, QAction] = {}
        for kind, words in DOCUMENT_KINDS:
            self.document_actions[kind] = add(
                self.action(
                    f"{words} (PDF)…",
                    lambda k=kind: self.print_meeting_document(k),
                    f"The selected meeting's {words.replace('&', '').lower()}, as a PDF to "
                    "print or save",
                    "Ctrl+P" if kind == "minutes" else "",
                ),
                MEETING_DOCUMENTS,
                applies=one_meeting,
            )
        meetings_bar.addActions(list(self.document_actions.values()))
        self.meetings_view.context_actions = [
            self.open_meeting_action,
            self.delete_meeting_action,
            self.meeting_history_action,
            None,
            *self.document_actions.values(),
        ]

        # -- actions
        self.new_action_action = add(
            self.action(
                "New &action…",
                self.new_action,
                "An action raised at a meeting (the meeting chosen in the form)",
                "Ctrl+N",
            ),
            ACTIONS,
            permission=MANAGE_GOVERNANCE,
            applies=lambda _rows: bool(self.meetings),
        )
        self.status_action = add(
            self.action(
                "Change &status…",
                self.change_action_status,
                "Mark the selected action done, dropped or in progress, with the date and a "
                "note of progress",
                "Ctrl+Shift+S",
            ),
            ACTIONS,
            permission=MANAGE_GOVERNANCE,
            applies=one_action,
        )
        self.edit_action_action = add(
            self.action(
                "&Edit action…",
                self.edit_selected_action,
                "Change the selected action's words, owner or due date (Enter or double-click)",
            ),
            ACTIONS,
            permission=MANAGE_GOVERNANCE,
            applies=one_action,
        )
        self.delete_action_action = add(
            self.action(
                "Delete ac&tion…",
                self.delete_selected_action,
                "Remove the selected action, raised in error (Delete)",
            ),
            ACTIONS,
            permission=MANAGE_GOVERNANCE,
            applies=one_action,
        )
        self.action_history_action = add(
            self.action(
                "Action h&istory…",
                self.show_action_history,
                "Everything changed in the selected action",
                "Ctrl+H",
            ),
            ACTIONS,
            applies=one_action,
        )
        self.action_history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.actions_view.table.addAction(self.action_history_action)
        actions_bar.addActions(
            [self.new_action_action, self.status_action, self.edit_action_action]
        )
        actions_bar.addSeparator()
        self.decision_log_action = add(
            self.action(
                "Decision &log (PDF)…",
                self.print_decision_log,
                "Every decision and resolution (of the body chosen above, or all), as a PDF",
            ),
            ACTION_DOCUMENTS,
        )
        self.action_log_action = add(
            self.action(
                "Action log (PD&F)…",
                self.print_action_log,
                "Every action with its owner, due date and status (of the body chosen above, "
                "or all), as a PDF",
            ),
            ACTION_DOCUMENTS,
        )
        self.export_decisions_action = add(
            self.action(
                "E&xport decisions and actions…",
                self.export_decisions_and_actions,
                "The decisions and the actions as an Excel workbook",
            ),
            ACTION_DOCUMENTS,
        )
        actions_bar.addActions(
            [self.decision_log_action, self.action_log_action, self.export_decisions_action]
        )
        self.actions_view.context_actions = [
            self.status_action,
            self.edit_action_action,
            self.delete_action_action,
            self.action_history_action,
        ]

        # -- the register and the bodies
        self.register_action = add(
            self.action(
                "&Register of directors",
                lambda: self.views.setCurrentWidget(self.directors_view),
                "The Board's directors as at a date: those in office and those who ceased",
            ),
            REGISTER,
        )
        self.print_register_action = add(
            self.action(
                "&Print register of directors…",
                self.print_directors_register,
                "The register of directors as at the date shown in its view, as a PDF",
            ),
            REGISTER,
        )
        self.usual_bodies_action = add(
            self.action(
                "Add the &usual bodies",
                self.add_usual_bodies,
                "Add the Board of Directors, the Advisory Council and the General meeting of "
                "members where they are not there yet",
            ),
            BODIES,
            permission=MANAGE_GOVERNANCE,
            applies=lambda _rows: not self.bodies,
        )

    # -- helpers ----------------------------------------------------------------------------
    def _can(self, permission: Permission) -> bool:
        return self.services.actor.can(permission)

    def show_changed(self, message: str, *, meeting_id: int = 0, action_id: int = 0) -> None:
        """After a change: the tab read again, the record selected, what was done said."""
        self.reload()
        if meeting_id:
            self.meetings_view.select_ids([meeting_id])
        if action_id:
            self.actions_view.select_ids([action_id])
        self.update_actions()
        self.status_message.emit(message)
        self.changed.emit()

    # -- the bodies -------------------------------------------------------------------------
    def add_usual_bodies(self) -> None:
        if not self._can(MANAGE_GOVERNANCE):
            return
        try:
            added = self.services.governing_bodies.add_usual_bodies(self.services.actor)
        except ServiceError as exc:
            self.tell(self, "The bodies were not added", exc.message)
            return
        if added:
            names = "the Board of Directors, the Advisory Council and the General meeting"
            self.show_changed(
                f"{added} bod{'y' if added == 1 else 'ies'} added ({names} of members, as "
                "usual): change their rules in Bodies and people."
            )
        else:
            self.show_changed("The usual bodies are there already: nothing was added.")

    # -- meetings ---------------------------------------------------------------------------
    def new_meeting(self) -> None:
        if not self._can(MANAGE_GOVERNANCE) or not self.bodies:
            return
        body_id = self.meetings_view.body_filter.currentData()
        self._open_meeting(None, body_id)

    def open_selected_meeting(self) -> None:
        meeting = self.selected_meeting()
        if meeting is not None:
            self._open_meeting(meeting.id, meeting.body_id)

    def _open_meeting(self, meeting_id: int | None, body_id: int | None) -> None:
        from thep_desktop.ui.governance.meeting_editor import MeetingEditor

        try:
            editor = MeetingEditor(self.services, meeting_id, self, body_id=body_id)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot open the meeting", exc.message)
            self.reload()
            return
        # Its questions and forms go the tab's way (the tests' answers reach them too).
        editor.ask = self.ask
        editor.tell = self.tell
        editor.run_dialog = self.run_dialog  # type: ignore[assignment]
        before = {m.id for m in self.meetings}
        self.run_dialog(editor)
        # Whatever was saved in it (the editor saves as it goes) shows in the lists.
        self.reload()
        made = [m for m in self.meetings if m.id not in before]
        shown = made[0].id if made else meeting_id
        if shown is not None:
            self.meetings_view.select_ids([shown])
        self.changed.emit()

    def delete_selected_meeting(self) -> None:
        meeting = self.selected_meeting()
        # The Delete key does what the menu item may: nothing for approved minutes.
        if meeting is None or not self.delete_meeting_action.isEnabled():
            return
        if (
            self.ask(
                self,
                "Delete meeting",
                f"Delete the meeting {meeting.label} ({meeting.body_name}), with its agenda, "
                "papers and attendance?",
                ["Delete", "Cancel"],
            )
            != "Delete"
        ):
            return
        try:
            self.services.meetings.delete_meeting(self.services.actor, meeting.id, meeting.version)
        except ServiceError as exc:
            self.tell(self, "The meeting was not deleted", exc.message)
            self.reload()
            return
        self.show_changed(f"Meeting {meeting.label} deleted.")

    def show_meeting_history(self) -> None:
        meeting = self.selected_meeting()
        if meeting is not None:
            self._history(f"{meeting.body_name} – {meeting.label}", meeting)

    def _history(self, title: str, record: Any) -> None:
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        self.run_dialog(HistoryDialog(self.services, title, record.uuid, self))  # type: ignore[arg-type]

    # -- documents (the documents engine: saved as PDF or Excel, then opened) ---------------
    def print_meeting_document(self, kind: str) -> None:
        meeting = self.selected_meeting()
        if meeting is not None:
            self.export_job = documents.print_meeting_document(
                self.services,
                meeting.id,
                kind,
                self,
                ask=self.ask,
                tell=self.tell,  # type: ignore[arg-type]
            )

    def _chosen_body(self) -> int | None:
        """The body chosen above the tracker: the logs and the workbook are of it, or all."""
        return self.actions_view.body_filter.currentData()  # type: ignore[no-any-return]

    def print_decision_log(self) -> None:
        self.export_job = documents.print_decision_log(
            self.services,
            self,
            body_id=self._chosen_body(),
            tell=self.tell,  # type: ignore[arg-type]
        )

    def print_action_log(self) -> None:
        self.export_job = documents.print_action_log(
            self.services,
            self,  # type: ignore[arg-type]
            body_id=self._chosen_body(),
            open_only=self.actions_view.open_only.isChecked(),
            tell=self.tell,
        )

    def export_decisions_and_actions(self) -> None:
        self.export_job = documents.export_decisions_and_actions(
            self.services,
            self,
            body_id=self._chosen_body(),
            ask=self.ask,
            tell=self.tell,  # type: ignore[arg-type]
        )

    def print_directors_register(self) -> None:
        self.export_job = documents.print_directors_register(
            self.services,
            self.directors_view.shown_on,
            self,
            tell=self.tell,  # type: ignore[arg-type]
        )

    # -- the action tracker -----------------------------------------------------------------
    def _read_action(self, action_id: int, doing: str) -> ActionDetail | None:
        """The action read afresh; None (having said why) when it is gone."""
        try:
            return self.services.governance_actions.get_action(self.services.actor, action_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing}", exc.message)
            self.reload()
            return None

    def new_action(self) -> None:
        """An action raised at the meeting selected in Meetings (or one chosen in the form)."""
        if not self._can(MANAGE_GOVERNANCE) or not self.meetings:
            return
        chosen = self.selected_meeting()
        self._open_action(None, chosen.id if chosen is not None and not chosen.cancelled else None)

    def edit_or_open_action(self) -> None:
        """Enter or double-click: the action, to change (to read, for one who may not)."""
        chosen = self.selected_action()
        if chosen is not None:
            self._open_action(chosen.id, None)

    def edit_selected_action(self) -> None:
        if self._can(MANAGE_GOVERNANCE):
            self.edit_or_open_action()

    def _open_action(self, action_id: int | None, meeting_id: int | None) -> None:
        from thep_desktop.ui.governance.action_editor import ActionEditor

        try:
            editor = ActionEditor(self.services, action_id, self, meeting_id)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot open the action", exc.message)
            self.reload()
            return
        editor.ask = self.ask
        done = "raised" if action_id is None else "saved"
        editor.accepted.connect(lambda: self._action_saved(editor.result_value, done))
        self.run_dialog(editor)

    def change_action_status(self) -> None:
        chosen = self.selected_action()
        if not self._can(MANAGE_GOVERNANCE) or chosen is None:
            return
        action = self._read_action(chosen.id, "change this action")
        if action is None:
            return
        from thep_desktop.ui.governance.action_status_dialog import ActionStatusDialog

        default = ActionStatus.DONE if action.is_open else ActionStatus.OPEN
        dialog = ActionStatusDialog(self.services, action, self, default)  # type: ignore[arg-type]
        dialog.accepted.connect(
            lambda: self._action_saved(
                dialog.result_value,
                dialog.result_value.status.label.lower(),  # type: ignore[union-attr]
            )
        )
        self.run_dialog(dialog)

    def _action_saved(self, saved: Any, done: str) -> None:
        text = saved.text if len(saved.text) <= 60 else saved.text[:57] + "…"
        self.show_changed(f"Action “{text}” {done}.", action_id=saved.id)

    def delete_selected_action(self) -> None:
        chosen = self.selected_action()
        if not self._can(MANAGE_GOVERNANCE) or chosen is None:
            return
        if (
            self.ask(
                self,
                "Delete action",
                f"Delete the action “{chosen.text}”, raised at {chosen.meeting_label}? Only an "
                "action raised in error should be deleted: one that will not be done is "
                "dropped instead (Change status).",
                ["Delete", "Cancel"],
            )
            != "Delete"
        ):
            return
        try:
            self.services.governance_actions.delete_action(
                self.services.actor, chosen.id, chosen.version
            )
        except ServiceError as exc:
            self.tell(self, "The action was not deleted", exc.message)
            self.reload()
            return
        self.show_changed("Action deleted.")

    def show_action_history(self) -> None:
        action = self.selected_action()
        if action is not None:
            self._history(f"Action – {action.text}", action)
