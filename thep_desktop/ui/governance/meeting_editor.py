"""A meeting of a governing body, page by page: the meeting and its notice, the agenda with
minutes and papers, attendance with the quorum live, declarations, decisions, actions, and the
minutes' steps (circulated, approved at a later meeting, signed, errata).

Ctrl+S saves every page changed (the meeting, agenda and minutes, attendance, declarations);
decisions, actions and the minutes' steps are saved as their own forms are. Once the minutes
are approved every box is read-only: a correction is an erratum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import MinutesStatus, Voters
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    DecisionDetail,
    MeetingDetail,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.governance.action_editor import ActionEditor
from thep_desktop.ui.governance.agenda_page import AgendaPage
from thep_desktop.ui.governance.attendance_table import AttendanceTable
from thep_desktop.ui.governance.decision_dialog import DecisionDialog
from thep_desktop.ui.governance.document_actions import print_meeting_document
from thep_desktop.ui.governance.meeting_details_page import MeetingDetailsPage
from thep_desktop.ui.governance.meeting_fields import html
from thep_desktop.ui.governance.meeting_pages import (
    DeclarationsPage,
    RecordsPage,
    action_row,
    actions_page,
    decision_row,
    decisions_page,
)
from thep_desktop.ui.governance.minutes_dialogs import (
    ApproveMinutesDialog,
    CirculateDialog,
    ErratumDialog,
    SignMinutesDialog,
)
from thep_desktop.ui.shared.forms import FieldMessages, error_banner, may_close_unsaved, push_button
from thep_desktop.ui.shared.questions import Ask, Tell, ask, tell
from thep_desktop.ui.shared.record_forms import show_refusal

DELETE = "Delete"
KEEP = "Keep it"
LOCKED_STYLE = "background: #eef3fb; border: 1px solid #9db4d8; padding: 4px;"
# The pages saved by Ctrl+S, in the order they are saved: the agenda before the attendance,
# whose arrivals and departures name its items.
PARTS = ("meeting", "agenda", "attendance", "declarations")
PART_WORDS = {
    "meeting": "the meeting's details",
    "agenda": "the agenda and minutes",
    "attendance": "the attendance",
    "declarations": "the declarations",
}


def minutes_state(detail: MeetingDetail) -> str:
    """``Draft minutes``, ``Circulated on 20/07/2025``, ``Approved on ... at ...``, ``Signed
    by ... on ...``."""
    status = detail.minutes_status
    if status == MinutesStatus.SIGNED:
        approved = f"; approved on {format_date(detail.approved_on)}" if detail.approved_on else ""
        return f"Signed by {detail.signed_by} on {format_date(detail.signed_on)}{approved}"
    if status == MinutesStatus.APPROVED:
        at = f" at {detail.approved_at_label}" if detail.approved_at_label else ""
        return f"Approved on {format_date(detail.approved_on)}{at}"
    if status == MinutesStatus.CIRCULATED:
        return f"Circulated on {format_date(detail.circulated_on)}"
    return "Draft minutes"


def _part_of(field: str, default: str) -> str:
    """Which page a service's field name belongs to (``line_3`` is an attendance line)."""
    for prefix, part in (
        ("line_", "attendance"),
        ("attendance", "attendance"),
        ("title_", "agenda"),
        ("presenter_", "agenda"),
        ("minutes_", "agenda"),
        ("items", "agenda"),
        ("agenda", "agenda"),
        ("name_", "declarations"),
        ("interest_", "declarations"),
        ("declarations", "declarations"),
    ):
        if field.startswith(prefix):
            return part
    return default


class MeetingEditor(QDialog):
    """``MeetingEditor(services, meeting_id, parent, body_id)``; ``exec()`` is Accepted when
    anything was saved. A new meeting (``meeting_id`` None) is first its details; once saved
    it becomes the full editor."""

    def __init__(
        self,
        services: Services,
        meeting_id: int | None,
        parent: QWidget | None = None,
        body_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.may_manage = services.actor.can(MANAGE_GOVERNANCE)
        self.editable = self.may_manage
        self.detail: MeetingDetail | None = None
        self.saved_anything = False
        self.print_job: object = None  # the document being printed, kept while it runs
        self._initial: dict[str, object] = {}
        self._read_only_done = False
        # What tests replace: the questions, the forms opened, the file box, the opener.
        self.ask: Ask = ask
        self.tell: Tell = tell
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.ask_open_path: Callable[..., tuple[str, str]] = QFileDialog.getOpenFileName
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.setObjectName("meeting_editor")
        self.resize(1100, 750)
        self.messages = FieldMessages()
        self._build()
        if meeting_id is None:
            self.setWindowTitle("New meeting")
            self.details.show_new(body_id)
            self._show_state()
            for page in self.pages[1:]:
                self.tabs.setTabEnabled(self.tabs.indexOf(page), False)
            self._remember()
        else:
            self.show_detail(services.meetings.get_meeting(services.actor, meeting_id))

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("minutes_state")
        top.addWidget(self.state_label, 1)
        self.circulate_button = push_button(
            "Ci&rculate…", self.circulate, "Record the day the draft minutes were sent"
        )
        self.approve_button = push_button(
            "A&pprove at a later meeting…",
            self.approve,
            "Record the approval of these minutes as a decision of a later meeting",
        )
        self.sign_button = push_button("Si&gn…", self.sign, "Record the chair's signature")
        self.erratum_button = push_button(
            "Add erratum…", self.add_erratum, "Record a correction to the approved minutes"
        )
        for push in (
            self.circulate_button,
            self.approve_button,
            self.sign_button,
            self.erratum_button,
        ):
            top.addWidget(push)
        outer.addLayout(top)
        self.locked_label = QLabel()
        self.locked_label.setObjectName("locked_reason")
        self.locked_label.setWordWrap(True)
        self.locked_label.setStyleSheet(LOCKED_STYLE)
        self.locked_label.hide()
        outer.addWidget(self.locked_label)
        self.banner = error_banner()
        outer.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("pages")
        self.details = MeetingDetailsPage(self.services, self.messages)
        self.agenda = AgendaPage(self, self.messages)
        self.attendance = AttendanceTable()
        self.declarations = DeclarationsPage()
        self.decisions: RecordsPage = decisions_page(self)
        self.actions_page: RecordsPage = actions_page(self)
        self.pages: list[QWidget] = [
            self.details,
            self.agenda,
            self.attendance,
            self.declarations,
            self.decisions,
            self.actions_page,
        ]
        for page, title in zip(
            self.pages,
            (
                "&1 Meeting",
                "&2 Agenda and minutes",
                "&3 Attendance and quorum",
                "&4 Declarations",
                "&5 Decisions",
                "&6 Actions",
            ),
            strict=True,
        ):
            self.tabs.addTab(page, title)
        outer.addWidget(self.tabs, 1)
        self.messages.register("attendance", self.attendance.rows_area, self.attendance.refusal)
        self.messages.register(
            "declarations", self.declarations.rows_area, self.declarations.refusal
        )

        bottom = QHBoxLayout()
        self.document_buttons: list[QPushButton] = []
        for kind, caption in (("notice", "Notice"), ("agenda", "Agenda"), ("minutes", "Minutes")):
            push = push_button(
                f"{caption}…", lambda k=kind: self.print_document(k), f"The {kind} as a PDF"
            )
            push.setObjectName(f"print_{kind}")
            bottom.addWidget(push)
            self.document_buttons.append(push)
        bottom.addStretch(1)
        self.save_button = push_button("&Save", self.save, "Save the changes (Ctrl+S)")
        self.close_button = push_button("Close", self.reject, "Close the meeting (Esc)")
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        for push in self.findChildren(QPushButton):
            push.setAutoDefault(False)
            push.setDefault(False)
        outer.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        self.details.changed.connect(self._changed)
        self.agenda.changed.connect(self._agenda_changed)
        self.attendance.changed.connect(self._changed)
        self.declarations.changed.connect(self._changed)

    # -- filling ----------------------------------------------------------------------------
    def show_detail(self, detail: MeetingDetail) -> None:
        """Every page from the meeting as saved (what was typed and not saved is dropped)."""
        self.detail = detail
        self.setWindowTitle(detail.label)
        self.details.show_detail(detail)
        self.agenda.show_detail(detail)
        self._show_attendance(detail)
        self._show_declarations(detail)
        self._show_records(detail)
        for page in self.pages:
            self.tabs.setTabEnabled(self.tabs.indexOf(page), True)
        self._show_state()
        self._remember()

    def _show_attendance(self, detail: MeetingDetail) -> None:
        lines = self.services.meetings.proposed_attendance(self.services.actor, detail.id)
        self.attendance.items = self.agenda.positions()
        self.attendance.set_lines(
            lines, detail.body.voters == Voters.MEMBER_SCHOOLS, detail.body.quorum, detail.entitled
        )

    def _show_declarations(self, detail: MeetingDetail) -> None:
        names = [row.who.label for row in self.attendance.rows if not row.who.is_guest]
        self.declarations.show_detail(detail.declarations, detail.items, names)

    def _show_records(self, detail: MeetingDetail) -> None:
        self.decisions.set_rows([decision_row(d) for d in detail.decisions])
        self.actions_page.set_rows([action_row(a) for a in detail.actions])

    def _show_state(self) -> None:
        detail = self.detail
        if detail is None:
            self.state_label.setText("<b>A new meeting</b>: its details first; Save to go on.")
        else:
            self.state_label.setText(
                f"<b>{html(detail.label)}</b> · Minutes: <b>{html(minutes_state(detail))}</b>"
            )
        locked = detail is not None and detail.locked
        if locked:
            self.editable = False
        if not self.editable and not self._read_only_done:
            self._read_only()
        if detail is not None and locked:
            self.locked_label.setText(
                f"These minutes were approved on {format_date(detail.approved_on)}"
                + (f" at {html(detail.approved_at_label)}" if detail.approved_at_label else "")
                + ", so nothing here can be changed. A correction is recorded as an erratum "
                "(Add erratum…), with the original text kept."
            )
            self.locked_label.show()
        elif not self.may_manage:
            self.locked_label.setText(
                "You can read this meeting; only the clerk or an administrator can change it."
            )
            self.locked_label.show()
        else:
            self.locked_label.hide()
        status = detail.minutes_status if detail else None
        manage = self.may_manage and detail is not None
        self.circulate_button.setVisible(
            manage and status in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED)
        )
        self.approve_button.setVisible(manage and not locked)
        self.sign_button.setVisible(manage and status == MinutesStatus.APPROVED)
        self.erratum_button.setVisible(manage and locked)
        for push in self.document_buttons:
            push.setEnabled(detail is not None)

    def _read_only(self) -> None:
        self._read_only_done = True
        self.details.set_read_only()
        self.agenda.set_read_only()
        self.attendance.set_read_only()
        self.declarations.set_read_only()
        self.decisions.set_editable(False)
        self.actions_page.set_editable(False)
        # Matters arising are brought up to date while the minutes can still record it.
        self.agenda.hide_status_button()
        self.save_button.hide()

    # -- as the person types ----------------------------------------------------------------
    def _changed(self) -> None:
        self.banner.hide()

    def _agenda_changed(self) -> None:
        self.attendance.set_items(self.agenda.positions())
        self._changed()

    def _states(self) -> dict[str, object]:
        return {
            "meeting": self.details.state(),
            "agenda": self.agenda.state(),
            "attendance": self.attendance.state(),
            "declarations": self.declarations.state(),
        }

    def _remember(self, *parts: str) -> None:
        now = self._states()
        for part in parts or PARTS:
            self._initial[part] = now[part]

    def changed_parts(self) -> list[str]:
        now = self._states()
        return [part for part in PARTS if now[part] != self._initial.get(part)]

    def has_changes(self) -> bool:
        return self.editable and bool(self.changed_parts())

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save every page changed (Ctrl+S); True when all of it is saved. A refusal is shown
        in the service's words beside its field, on its page, with what was typed kept."""
        if not self.editable:
            return False
        self.banner.hide()
        self.messages.clear()
        changed = self.changed_parts() if self.detail is not None else ["meeting"]
        problems = self._problems(changed)
        if problems:
            self._refused(ValidationError(problems), changed[0])
            return False
        done: list[str] = []
        for part in changed:
            try:
                detail = self._write(part)
            except ServiceError as exc:
                self._refused(exc, part, done)
                return False
            self.saved_anything = True
            done.append(part)
            self._saved(part, detail)
        return True

    def _problems(self, parts: list[str]) -> dict[str, str]:
        """What cannot be read, before anything is written (so nothing is half-saved)."""
        problems: dict[str, str] = {}
        if "meeting" in parts:
            problems.update(self.details.value()[1])
        if "agenda" in parts:
            problems.update(self.agenda.problems())
        if "attendance" in parts:
            wrong = self.attendance.row_problems()
            if wrong:
                problems["attendance"] = " ".join(wrong)
        if "declarations" in parts:
            problems.update(self.declarations.problems())
        return problems

    def _write(self, part: str) -> MeetingDetail:
        meetings, actor, detail = self.services.meetings, self.services.actor, self.detail
        if part == "meeting":
            data = self.details.value()[0]
            if detail is None:
                return meetings.save_meeting(actor, data)
            return meetings.save_meeting(actor, data, detail.id, detail.version)
        assert detail is not None
        if part == "agenda":
            return meetings.save_agenda(actor, detail.id, self.agenda.values(), detail.version)
        if part == "attendance":
            return meetings.save_attendance(
                actor, detail.id, self.attendance.values(), detail.version
            )
        meetings.save_declarations(actor, detail.id, self.declarations.values(), detail.version)
        return meetings.get_meeting(actor, detail.id)

    def _saved(self, part: str, saved: MeetingDetail) -> None:
        """The part saved is shown as saved; the pages not yet saved keep what is typed."""
        new = self.detail is None
        self.detail = saved
        if new:
            self.show_detail(saved)
            self.tabs.setCurrentWidget(self.agenda)
            return
        self.setWindowTitle(saved.label)
        if part == "meeting":
            self.details.show_detail(saved)
        elif part == "agenda":
            self.agenda.show_detail(saved)
            self.attendance.set_items(self.agenda.positions())
            self._show_records(saved)
        elif part == "attendance":
            self._show_attendance(saved)
            self._show_records(saved)
        self._show_state()
        self._remember(part)

    def _refused(self, error: ServiceError, part: str, done: Sequence[str] = ()) -> None:
        """The refusal shown on the page it is about, beside its field where it has one;
        the pages saved before it (``done``) are named, so nobody thinks them lost."""
        if isinstance(error, ValidationError) and error.field_errors:
            part = _part_of(next(iter(error.field_errors)), part)
        page = {
            "meeting": self.details,
            "agenda": self.agenda,
            "attendance": self.attendance,
            "declarations": self.declarations,
        }[part]
        self.tabs.setCurrentWidget(page)
        show_refusal(self.banner, self.messages, error)
        if done:
            saved = " and ".join(PART_WORDS[p] for p in done)
            words = self.banner.text()
            words = words.replace("nothing has been saved", f"not saved: {PART_WORDS[part]}")
            words = words.replace("Nothing has been saved", f"Not saved: {PART_WORDS[part]}")
            self.banner.setText(f"{words}\nSaved already: {saved}.")

    def reload(self, saved: bool = False) -> None:
        """The meeting as now saved (after a form of its own saved something)."""
        if self.detail is None:
            return
        if saved:
            self.saved_anything = True
        self.show_detail(self.services.meetings.get_meeting(self.services.actor, self.detail.id))

    def _saved_first(self) -> bool:
        """A form that needs the meeting as saved: what is typed is saved first."""
        if self.detail is None or self.has_changes():
            return self.save()
        return True

    # -- decisions and actions --------------------------------------------------------------
    def open_form(self, dialog: QDialog) -> None:
        """Run a form of the meeting's; once it has saved, the meeting is shown as saved."""
        dialog.accepted.connect(lambda: self.reload(saved=True))
        self.run_dialog(dialog)

    def _decision_dialog(self, decision: DecisionDetail | None) -> None:
        if not self._saved_first() or self.detail is None:
            return
        detail = self.detail
        quorum = {item.id: at for item in detail.items if (at := detail.quorum_at(item.position))}
        dialog = DecisionDialog(self.services, detail.id, detail.items, quorum, decision, self)
        if not self.editable:
            dialog.set_read_only()
        self.open_form(dialog)

    def new_decision(self) -> None:
        self._decision_dialog(None)

    def edit_decision(self, decision: DecisionDetail) -> None:
        self._decision_dialog(decision)

    def delete_decision(self, decision: DecisionDetail) -> None:
        if not self.editable:
            return
        answer = self.ask(
            self,
            "Delete decision",
            f"Delete decision {decision.reference} ({decision.text})? The decisions after it "
            "are numbered again.",
            [DELETE, KEEP],
        )
        if answer != DELETE:
            return
        self._run(
            "Delete decision",
            lambda: self.services.meetings.delete_decision(
                self.services.actor, decision.id, decision.version
            ),
        )

    def new_action(self) -> None:
        if not self._saved_first() or self.detail is None:
            return
        self.open_form(ActionEditor(self.services, None, self, meeting_id=self.detail.id))

    def edit_action(self, action: ActionDetail) -> None:
        if self.editable and not self._saved_first():
            return
        self.open_form(ActionEditor(self.services, action.id, self))

    def delete_action(self, action: ActionDetail) -> None:
        if not self.editable:
            return
        answer = self.ask(
            self, "Delete action", f"Delete the action “{action.text}”?", [DELETE, KEEP]
        )
        if answer != DELETE:
            return
        self._run(
            "Delete action",
            lambda: self.services.governance_actions.delete_action(
                self.services.actor, action.id, action.version
            ),
        )

    def _run(self, title: str, write: Callable[[], Any]) -> None:
        try:
            write()
        except ServiceError as exc:
            self.tell(self, title, exc.message)
            return
        self.reload(saved=True)

    # -- the minutes' steps -----------------------------------------------------------------
    def _step(self, make: Callable[[MeetingDetail], QDialog]) -> None:
        if not self.may_manage or not self._saved_first() or self.detail is None:
            return
        self.open_form(make(self.detail))

    def circulate(self) -> None:
        self._step(lambda d: CirculateDialog(self.services, d, self))

    def approve(self) -> None:
        self._step(lambda d: ApproveMinutesDialog(self.services, d, self))

    def sign(self) -> None:
        self._step(lambda d: SignMinutesDialog(self.services, d, self))

    def add_erratum(self) -> None:
        row = self.agenda.list.currentRow()
        entries = self.agenda.entries
        item_id = entries[row].item_id if 0 <= row < len(entries) else None
        self._step(lambda d: ErratumDialog(self.services, d, self, item_id))

    # -- documents --------------------------------------------------------------------------
    def print_document(self, kind: str) -> None:
        """The notice, agenda or minutes as a PDF, from what is saved (changes typed are saved
        first, so the paper says what the screen does)."""
        if not self._saved_first() or self.detail is None:
            return
        self.print_job = print_meeting_document(self.services, self.detail.id, kind, self)

    # -- closing ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter in a box moves on; it never presses a button of the dialog by accident.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.has_changes() and not may_close_unsaved(
            self, self.ask, "this meeting", self._save_and_close
        ):
            return
        self._finish()

    def _save_and_close(self) -> None:
        if self.save():
            self._finish()

    def _finish(self) -> None:
        code = QDialog.DialogCode.Accepted if self.saved_anything else QDialog.DialogCode.Rejected
        self.done(code)
