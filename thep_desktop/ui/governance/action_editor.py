"""An action of a meeting (what, who owns it, when it is due, the item it came from, and how it
stands), and the status of an earlier action as reported at a meeting (matters arising)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import ActionStatus
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionInput,
    MeetingDetail,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.governance.meeting_fields import (
    chosen_enum,
    combo_value,
    fill_items,
    read_date,
)
from thep_desktop.ui.governance.meeting_form import MeetingForm
from thep_desktop.ui.shared.forms import date_field, searchable_combo, show_field_text

NO_ITEM = "No particular item"


class ActionEditor(MeetingForm):
    """``ActionEditor(services, action_id, parent, meeting_id)``: a new action raised at the
    meeting ``meeting_id`` (or one chosen here), or the action ``action_id`` to change (to
    read, for one who may not change it). ``exec()`` is Accepted when it saved."""

    aliases = {"owner_person_id": "owner", "owner_name": "owner", "meeting": "meeting_id"}
    unsaved_what = "this action"

    def __init__(
        self,
        services: Services,
        action_id: int | None,
        parent: QWidget | None = None,
        meeting_id: int | None = None,
    ) -> None:
        actor = services.actor
        action = (
            services.governance_actions.get_action(actor, action_id)
            if action_id is not None
            else None
        )
        super().__init__(services, "New action" if action is None else "Action", parent)
        self.setObjectName("action_editor")
        self.detail = action
        self.editable = actor.can(MANAGE_GOVERNANCE)
        self.resize(600, 440)
        self.meeting: MeetingDetail | None = None
        self.meeting_box = QComboBox()
        self.meeting_box.setObjectName("meeting")
        chosen = action.meeting_id if action is not None else meeting_id
        if chosen is not None:
            self.meeting = services.meetings.get_meeting(actor, chosen)
            self.meeting_box.addItem(self.meeting.label, chosen)
            self.meeting_box.setEnabled(False)
        else:
            for meeting in services.meetings.list_meetings(actor):
                if not meeting.cancelled:
                    self.meeting_box.addItem(meeting.label, meeting.id)
            self.meeting_box.setCurrentIndex(-1)
            self.meeting_box.setPlaceholderText("Choose the meeting that raised it")
        self.messages.add_row(self.form, "meeting_id", "&Raised at:", self.meeting_box)
        self.text = QPlainTextEdit(action.text if action else "")
        self.text.setObjectName("text")
        self.text.setPlaceholderText("e.g. Circulate the draft budget to the directors")
        self.text.setMaximumHeight(100)
        self.messages.add_row(self.form, "text", "&Action:", self.text)
        self.owner = searchable_combo("Someone on the body, or type a name", 300)
        self.owner.setObjectName("owner")
        self.messages.add_row(self.form, "owner", "&Owner:", self.owner)
        self.due_on = date_field(format_date(action.due_on) if action else "", "When it is due")
        self.due_on.setObjectName("due_on")
        self.due_on.setMaximumWidth(140)
        self.messages.add_row(self.form, "due_on", "&Due:", self.due_on)
        self.item = QComboBox()
        self.item.setObjectName("item")
        self.messages.add_row(self.form, "agenda_item_id", "From &item:", self.item)
        self.status = QComboBox()
        self.status.setObjectName("status")
        for status in ActionStatus:
            self.status.addItem(status.label, status)
        self.status.setCurrentIndex(self.status.findData(action.status if action else None))
        self.progress = QLineEdit(action.progress if action else "")
        self.progress.setObjectName("progress")
        self.progress.setPlaceholderText("How it stands, e.g. Draft sent on 3 March")
        if action is not None:
            self.messages.add_row(self.form, "status", "&Status:", self.status)
            self.messages.add_row(self.form, "progress", "&Progress:", self.progress)
            if action.closed_on is not None:
                self.say(f"Closed on {format_date(action.closed_on)}.")
        self._fill_for_meeting(action)
        self.meeting_box.currentIndexChanged.connect(lambda _i: self._meeting_chosen())
        self.finish("the action")
        if not self.editable:
            self.set_read_only()
        self.text.setFocus()

    def _meeting_chosen(self) -> None:
        meeting_id = combo_value(self.meeting_box)
        if not isinstance(meeting_id, int):
            return
        try:
            self.meeting = self.services.meetings.get_meeting(self.services.actor, meeting_id)
        except ServiceError:
            self.meeting = None
        self._fill_for_meeting(None)

    def _fill_for_meeting(self, action: ActionDetail | None) -> None:
        meeting = self.meeting
        typed = self.owner.currentText()
        self.owner.clear()
        if meeting is not None:
            try:
                members = self.services.governance_people.members_of(
                    self.services.actor, meeting.body.id, meeting.meets_on
                )
            except ServiceError:
                members = []
            seen: set[int] = set()
            for member in members:
                if member.person_id not in seen:
                    seen.add(member.person_id)
                    self.owner.addItem(member.person_name, member.person_id)
        fill_items(
            self.item,
            meeting.items if meeting else (),
            action.agenda_item_id if action else None,
            NO_ITEM,
        )
        if action is not None and action.owner_person_id is not None:
            index = self.owner.findData(action.owner_person_id)
            if index < 0:  # no longer on the body: still the owner
                self.owner.addItem(action.owner_label, action.owner_person_id)
                index = self.owner.count() - 1
            self.owner.setCurrentIndex(index)
        else:
            self.owner.setCurrentIndex(-1)
            self.owner.setEditText(action.owner_name if action else typed)

    def state(self) -> tuple[object, ...]:
        return (
            self.meeting_box.currentIndex(),
            self.text.toPlainText(),
            self.owner.currentText(),
            self.due_on.text(),
            self.item.currentIndex(),
            self.status.currentIndex(),
            self.progress.text(),
        )

    def check(self) -> dict[str, str]:
        problems = {}
        if self.meeting is None or combo_value(self.meeting_box) is None:
            problems["meeting_id"] = "Choose the meeting that raised the action."
        due = read_date(self.due_on.text())
        if isinstance(due, str):
            problems["due_on"] = due
        return problems

    def action_input(self) -> ActionInput:
        assert self.meeting is not None
        owner = combo_value(self.owner)
        due = read_date(self.due_on.text())
        item = combo_value(self.item)
        return ActionInput(
            meeting_id=self.meeting.id,
            text=self.text.toPlainText().strip(),
            owner_person_id=owner if isinstance(owner, int) else None,
            owner_name="" if isinstance(owner, int) else self.owner.currentText().strip(),
            due_on=due if isinstance(due, date) else None,
            agenda_item_id=item if isinstance(item, int) else None,
        )

    def write(self) -> ActionDetail:
        actions = self.services.governance_actions
        actor = self.services.actor
        before = self.detail
        saved: ActionDetail = actions.save_action(
            actor,
            self.action_input(),
            before.id if before else None,
            before.version if before else None,
        )
        self.detail = saved  # saved: a refusal of the status below does not save it twice
        status = chosen_enum(self.status, ActionStatus)
        progress = self.progress.text().strip()
        if before is not None and (status != before.status or progress != before.progress):
            saved = actions.set_action_status(
                actor, saved.id, status, date.today(), progress, saved.version
            )
            self.detail = saved
        return saved


class ActionStatusDialog(MeetingForm):
    """How an earlier action stands, as reported at ``meeting`` (its date is the date closed)."""

    unsaved_what = "the action's status"

    def __init__(
        self,
        services: Services,
        action: ActionDetail,
        meeting: MeetingDetail,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, "Update the action's status", parent)
        self.setObjectName("action_status_dialog")
        self.detail = action
        self.meeting = meeting
        self.resize(520, 260)
        owner = f" ({action.owner_label})" if action.owner_label else ""
        self.say(
            f"{action.text}{owner}, raised at {action.meeting_label}. "
            f"Recorded as reported at {meeting.label}."
        )
        self.status = QComboBox()
        self.status.setObjectName("status")
        for status in (
            ActionStatus.DONE,
            ActionStatus.IN_PROGRESS,
            ActionStatus.OPEN,
            ActionStatus.DROPPED,
        ):
            self.status.addItem(status.label, status)
        self.status.setCurrentIndex(0)
        self.messages.add_row(self.form, "status", "&Status:", self.status)
        self.progress = QLineEdit()
        show_field_text(self.progress, action.progress)
        self.progress.setObjectName("progress")
        self.progress.setPlaceholderText("A note, e.g. Budget circulated on 3 March")
        self.messages.add_row(self.form, "progress", "&Note:", self.progress)
        self.finish("the status")
        self.progress.setFocus()

    def state(self) -> tuple[object, ...]:
        return (self.status.currentIndex(), self.progress.text())

    def write(self) -> ActionDetail:
        action = self.detail
        return self.services.governance_actions.set_action_status(
            self.services.actor,
            action.id,
            chosen_enum(self.status, ActionStatus),
            self.meeting.meets_on,
            self.progress.text().strip(),
            action.version,
            at_meeting_id=self.meeting.id,
        )
