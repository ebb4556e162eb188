"""Memberships > Membership rules: notice, leave-at-once windows, guarantee, payment terms."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from thep_desktop.domain.fees import money
from thep_desktop.services.memberships.membership_rules import RulesDetail
from thep_desktop.services.memberships.memberships_permissions import EDIT_FEES
from thep_desktop.services.registry import Services
from thep_desktop.ui.memberships.dated_rows_editor import DatedRowsEditor
from thep_desktop.ui.memberships.membership_form import MembershipForm


class MembershipRulesDialog(MembershipForm):
    """The rules every notice, application and fee follows (the prospectus's by default)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self.services = services
        self.rules: RulesDetail = services.fees.rules(services.actor)
        self.notice_months = QLineEdit(str(self.rules.notice_months))
        self.guarantee = QLineEdit(money(self.rules.default_guarantee))
        self.windows = DatedRowsEditor("&Add window", with_charge=False)
        for window in self.rules.exceptions:
            self.windows.add_row(window.starts_on, window.ends_on, False, window.description)
        fields: dict[str, tuple[str, QWidget]] = {
            "notice_months": ("&Notice to leave (months)", self.notice_months),
            "exceptions": ("Leave-at-once windows", self.windows),
            "default_guarantee": ("&Guarantee (new applications)", self.guarantee),
        }
        can_edit = services.actor.can(EDIT_FEES)
        super().__init__(
            "Membership rules",
            "Notice received inside a leave-at-once window takes effect that day; otherwise "
            "the membership ends the notice period after the day it was received. Fees are "
            "invoiced, and due by the payment terms in Invoices > Invoice settings.",
            fields,
            self._save_now,
            parent,
            what="the rules",
            can_edit=can_edit,
        )
        self.setObjectName("membership_rules_dialog")
        self.setMinimumWidth(620)
        if not can_edit:
            for _label, widget in fields.values():
                widget.setEnabled(False)

    def _save_now(self) -> RulesDetail:
        self.rules = self.services.fees.save_rules(
            self.services.actor,
            self.rules.version,
            self.notice_months.text(),
            self.guarantee.text(),
            [(row.starts_on, row.ends_on, row.description) for row in self.windows.values()],
        )
        return self.rules
