"""An action's status changed from the tracker: done, dropped, in progress (or open again),
on a date, with a note of progress."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.governance import ActionStatus
from thep_desktop.services.governance.governance_data import ActionDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import date_field

# The order the choices are offered in: what is usually done to an open action first.
CHOICES = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.DROPPED, ActionStatus.OPEN)


class ActionStatusDialog(MembershipForm):
    """``ActionStatusDialog(services, action, parent, status=ActionStatus.DONE)``; once saved,
    :attr:`result_value` holds the action as it now stands."""

    def __init__(
        self,
        services: Services,
        action: ActionDetail,
        parent: QWidget | None = None,
        status: ActionStatus = ActionStatus.DONE,
    ) -> None:
        self.services = services
        self.action = action
        self.status = QComboBox()
        self.status.setObjectName("action_status")
        for choice in CHOICES:
            # Qt keeps a str enum as plain text: the value goes in, the enum comes back. The
            # status it has is offered too: in progress again, with a newer note.
            self.status.addItem(choice.label, choice.value)
        self.status.setCurrentIndex(max(self.status.findData(status.value), 0))
        self.on = date_field(format_date(date.today()), "The day it was done, dropped or updated")
        self.on.setObjectName("action_on")
        self.on.setMaximumWidth(150)
        self.progress = QPlainTextEdit(action.progress)
        self.progress.setObjectName("action_progress")
        self.progress.setPlaceholderText("What has been done, or why it was dropped")
        self.progress.setMaximumHeight(100)
        owner = f" ({action.owner_label})" if action.owner_label else ""
        super().__init__(
            "Change the action's status",
            f"“{action.text}”{owner}, raised at {action.meeting_label}, is "
            f"{action.status.label.lower()}.",
            {
                "status": ("&Status", self.status),
                "on": ("&On", self.on),
                "progress": ("&Progress", self.progress),
            },
            self._set_status,
            parent,
            what="the action's status",
        )
        self.setObjectName("action_status_dialog")

    def _set_status(self) -> ActionDetail:
        try:
            on = parse_date(self.on.text())
        except ValueError:
            raise ValidationError(
                {"on": f"“{self.on.text().strip()}” is not a date: type it as dd/mm/yyyy."}
            ) from None
        return self.services.governance_actions.set_action_status(
            self.services.actor,
            self.action.id,
            ActionStatus(self.status.currentData()),
            on,
            self.progress.toPlainText().strip(),
            self.action.version,
        )
