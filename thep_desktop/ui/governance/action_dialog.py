"""A new action raised at a meeting, or an action's words, owner and due date changed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date, parse_optional_date
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionInput,
    MeetingSummary,
    PersonDetail,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import date_field, searchable_combo


class ActionDialog(MembershipForm):
    """``ActionDialog(services, parent, action=None, meetings=..., people=..., meeting_id=...)``:
    a new action at the meeting chosen (``meeting_id`` first), or ``action`` to change.
    The owner is one of the people, or any name typed (someone not on a body)."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        action: ActionDetail | None = None,
        meetings: Sequence[MeetingSummary] = (),
        people: Sequence[PersonDetail] = (),
        meeting_id: int | None = None,
    ) -> None:
        self.services = services
        self.action = action
        self.meeting = QComboBox()
        self.meeting.setObjectName("action_meeting")
        self.meeting_label = QLabel()
        if action is None:
            for summary in meetings:
                # "Board of Directors, 14/07/2025"; a meeting with a title of its own says
                # which body it was of.
                named = summary.body_name.casefold() in summary.title.casefold()
                label = summary.label if named else f"{summary.body_name}: {summary.label}"
                self.meeting.addItem(label, summary.id)
            if meeting_id is not None:
                self.meeting.setCurrentIndex(max(self.meeting.findData(meeting_id), 0))
        else:
            self.meeting_label.setText(action.meeting_label)
        self.text = QPlainTextEdit(action.text if action else "")
        self.text.setObjectName("action_text")
        self.text.setPlaceholderText("What is to be done")
        self.text.setMaximumHeight(90)
        self.owner = searchable_combo("Someone on a body, or type any name", 280)
        self.owner.setObjectName("action_owner")
        self.owner.addItem("", None)
        for person in sorted(people, key=lambda p: p.full_name.casefold()):
            self.owner.addItem(person.name, person.id)
        if action is not None:
            found = self.owner.findData(action.owner_person_id) if action.owner_person_id else -1
            if found >= 0:
                self.owner.setCurrentIndex(found)
            else:
                self.owner.setEditText(action.owner_name)
        else:
            self.owner.setCurrentIndex(0)
        self.due = date_field(format_date(action.due_on) if action else "", "The day it is due")
        self.due.setObjectName("action_due")
        self.due.setMaximumWidth(150)
        fields: dict[str, tuple[str, QWidget]] = {
            "meeting_id": ("&Meeting", self.meeting if action is None else self.meeting_label),
            "text": ("&Action", self.text),
            "owner": ("O&wner", self.owner),
            "due_on": ("&Due", self.due),
        }
        super().__init__(
            "New action" if action is None else "Edit action",
            "An action raised at a meeting: it is carried forward to the body's next meetings "
            "as a matter arising until it is done or dropped.",
            fields,
            self._save_action,
            parent,
            what="the action",
        )
        self.setObjectName("action_dialog")

    def _owner(self) -> tuple[int | None, str]:
        typed = self.owner.currentText().strip()
        index = self.owner.findText(typed)
        if typed and index >= 0 and self.owner.itemData(index) is not None:
            return int(self.owner.itemData(index)), ""
        return None, typed

    def _save_action(self) -> ActionDetail:
        try:
            due_on = parse_optional_date(self.due.text())
        except ValueError:
            raise ValidationError(
                {"due_on": f"“{self.due.text().strip()}” is not a date: type it as dd/mm/yyyy."}
            ) from None
        owner_id, owner_name = self._owner()
        actions = self.services.governance_actions
        actor = self.services.actor
        if self.action is None:
            meeting_id = self.meeting.currentData()
            if meeting_id is None:
                raise ValidationError({"meeting_id": "Choose the meeting that raised the action."})
            return actions.save_action(
                actor,
                ActionInput(
                    meeting_id, self.text.toPlainText().strip(), owner_id, owner_name, due_on
                ),
            )
        return actions.save_action(
            actor,
            ActionInput(
                self.action.meeting_id,
                self.text.toPlainText().strip(),
                owner_id,
                owner_name,
                due_on,
                self.action.agenda_item_id,
            ),
            self.action.id,
            self.action.version,
        )
