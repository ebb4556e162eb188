"""What the Memberships tab's buttons, menu and keys do: apply, admit, notice, leave, re-join.

A mixin of :class:`~thep_desktop.ui.memberships.memberships_tab.MembershipsTab`: each action
reads the selected member afresh, asks in a small form, saves through the service (a refusal
keeps the form open with what was typed) and then shows the member's row, still selected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.memberships import Category
from thep_desktop.services.invoices.invoices_permissions import RECORD_PAYMENTS
from thep_desktop.services.invoices.payment_data import PaymentDetail
from thep_desktop.services.letters.letters_permissions import SEND_LETTERS
from thep_desktop.services.memberships.member_data import (
    MemberDetail,
    MemberInput,
    PeriodDetail,
)
from thep_desktop.services.memberships.memberships_permissions import (
    MANAGE_MEMBERS,
    OVERRIDE_ELIGIBILITY,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.memberships.application_dialog import EDIT, NEW, REJOIN, ApplicationDialog
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import date_field

Saved = TypeVar("Saved")


class MemberActions:
    """New application, admit, notice, withdraw notice, end, re-join, category, details."""

    # What the tab provides (see MembershipsTab).
    services: Services
    status_message: Signal
    changed: Signal
    ask: Callable[..., str]
    tell: Callable[..., object]
    run_dialog: Callable[[QDialog], object]
    selected_id: Callable[[], int | None]
    reload: Callable[[], bool]
    select_id: Callable[[int | None], None]
    show_member: Callable[[int], None]
    open_letter: Callable[..., QDialog]
    letter_window: QDialog | None

    # -- helpers ----------------------------------------------------------------------------
    def _may_change(self) -> bool:
        return self.services.actor.can(MANAGE_MEMBERS)

    def _selected_member(self, doing: str) -> MemberDetail | None:
        """The selected member read afresh; None (having said why) if there is none."""
        member_id = self.selected_id()
        if member_id is None:
            return None
        try:
            return self.services.members.get_member(self.services.actor, member_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing}", exc.message)
            self.reload()
            return None

    def _latest(self, doing: str) -> tuple[MemberDetail, PeriodDetail] | None:
        if not self._may_change():
            return None  # the menu's way in is closed too, as the button is
        member = self._selected_member(doing)
        if member is None or member.latest is None:
            return None
        return member, member.latest

    def show_changed(self, member_id: int, message: str) -> None:
        """After a change: read the list again, keep the member selected, say what was done."""
        self.reload()
        self.show_member(member_id)
        self.status_message.emit(message)
        self.changed.emit()

    def _form(
        self,
        title: str,
        intro: str,
        fields: dict[str, tuple[str, QWidget]],
        save: Callable[[], Saved],
        done: Callable[[Saved], None],
        what: str,
    ) -> MembershipForm:
        form = MembershipForm(title, intro, fields, save, self, what=what)  # type: ignore[arg-type]
        form.accepted.connect(lambda: done(form.result_value))  # type: ignore[arg-type]
        return form

    # -- the actions ------------------------------------------------------------------------
    def new_application(self) -> None:
        if not self._may_change():
            return
        try:
            dialog = ApplicationDialog(self.services, NEW, None, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot record an application", exc.message)
            return
        dialog.accepted.connect(
            lambda: self._applied(dialog.saved_member, "Application from {} recorded.")
        )
        self.run_dialog(dialog)

    def rejoin_selected(self) -> None:
        found = self._latest("record a new application")
        if found is None:
            return
        member, _period = found
        dialog = ApplicationDialog(self.services, REJOIN, member, self)  # type: ignore[arg-type]
        dialog.accepted.connect(
            lambda: self._applied(dialog.saved_member, "New application from {} recorded.")
        )
        self.run_dialog(dialog)

    def _applied(self, member: MemberDetail | None, message: str) -> None:
        if member is not None:
            self.show_changed(member.id, message.format(member.name))

    def edit_selected(self) -> None:
        if not self._may_change():
            return
        member = self._selected_member("edit this member")
        if member is None:
            return
        dialog = ApplicationDialog(self.services, EDIT, member, self)  # type: ignore[arg-type]
        dialog.accepted.connect(
            lambda: self._applied(dialog.saved_member, "Saved the details of {}.")
        )
        self.run_dialog(dialog)

    def admit_selected(self) -> None:
        found = self._latest("admit this member")
        if found is None:
            return
        member, period = found
        admitted_on = date_field(format_date(date.today()), "The day the member was admitted")
        decision = QLineEdit()
        decision.setPlaceholderText("e.g. Board meeting 12/03/2026, minute 4")
        actor = self.services.actor

        def done(saved: MemberDetail) -> None:
            latest = saved.latest
            when = format_date(latest.admitted_on) if latest else ""
            self.show_changed(saved.id, f"{saved.name} admitted as a member on {when}.")
            self.offer_letter(saved, "welcome")

        form = self._form(
            f"Admit – {member.name}",
            f"{member.name} applied on {format_date(period.applied_on)} for "
            f"{period.category.label.lower()}ship.",
            {
                "admitted_on": ("Date &admitted", admitted_on),
                "admission_decision": ("&Board decision", decision),
            },
            lambda: self.services.members.admit(
                actor, period.id, period.version, admitted_on.text(), decision.text()
            ),
            done,
            "the admission",
        )
        self.run_dialog(form)

    def payment_selected(self) -> None:
        """A membership fee payment received from the selected member: recorded as the
        invoices' payment, set against the member's fee invoices for the year (the rest kept
        as credit)."""
        if not self.services.actor.can(RECORD_PAYMENTS):
            return
        member = self._selected_member("record a payment")
        if member is None:
            return
        actor = self.services.actor
        year = AcademicYear.of(date.today())
        outstanding = self._outstanding(member.id, year)
        year_box = QLineEdit(year.label)
        year_box.setToolTip("The academic year the fee is for, e.g. 2026/27")
        amount = QLineEdit(f"{outstanding:.2f}" if outstanding else "")
        amount.setPlaceholderText("e.g. 2,100.00")
        received_on = date_field(format_date(date.today()), "The day the money was received")
        method = QComboBox()
        method.setEditable(True)
        method.addItems(["BACS", "Cheque", "Card"])
        reference = QLineEdit()
        reference.setPlaceholderText("e.g. the bank statement's reference")
        owed = (
            f"{money(outstanding)} of the {year.label} fee is overdue."
            if outstanding
            else f"Nothing of the {year.label} fee is overdue."
        ) + (
            "\nThe payment is set against the member's fee invoices for the year, oldest "
            "first; anything more is kept as its credit."
        )

        def done(saved: PaymentDetail) -> None:
            against = ", ".join(a.invoice_number for a in saved.allocations)
            words = f"Payment of {money(saved.amount)} from {member.name} recorded"
            if against:
                words += f", set against {against}"
            if saved.unallocated:
                words += f"; {money(saved.unallocated)} kept as credit"
            self.show_changed(member.id, words + ".")

        form = self._form(
            f"Record fee payment – {member.name}",
            owed,
            {
                "academic_year": ("Academic &year", year_box),
                "amount": ("&Amount (£)", amount),
                "received_on": ("Date &received", received_on),
                "method": ("&How paid", method),
                "reference": ("Re&ference", reference),
            },
            lambda: self.services.payments.record_fee_payment(
                actor,
                member.id,
                year_box.text(),
                amount.text(),
                received_on.text(),
                method.currentText(),
                reference.text(),
            ),
            done,
            "the payment",
        )
        self.run_dialog(form)

    def _outstanding(self, member_id: int, year: AcademicYear) -> Decimal:
        """What the member owes for ``year`` today (nothing when it cannot be worked out)."""
        try:
            return self.services.fees.amount_overdue(
                self.services.actor, member_id, year, date.today()
            )
        except ServiceError:
            return Decimal("0.00")

    def notice_selected(self) -> None:
        found = self._latest("record a notice")
        if found is None:
            return
        member, period = found
        received_on = date_field(format_date(date.today()), "The day the notice was received")
        actor = self.services.actor
        try:
            rule = self.services.fees.rules(actor).notice_rule
        except ServiceError as exc:
            self.tell(self, "Cannot record a notice", exc.message)
            return

        def done(saved: MemberDetail) -> None:
            latest = saved.latest
            leaving = format_date(latest.ends_on) if latest else ""
            self.show_changed(
                saved.id, f"Notice from {saved.name} recorded: a member until {leaving}."
            )

        form = self._form(
            f"Record notice – {member.name}",
            f"{member.name} has been a member since {format_date(period.admitted_on)}.",
            {"notice_received_on": ("Notice &received on", received_on)},
            lambda: self.services.members.record_notice(
                actor, period.id, period.version, received_on.text()
            ),
            done,
            "the notice",
        )

        def show_leaving_date() -> None:
            # The leaving date the rule gives, before anything is saved.
            try:
                day = parse_date(received_on.text())
            except ValueError:
                form.show_preview("")
                return
            leaving = rule.leaving_date(day)
            form.show_preview(
                f"Leaving date: {format_date(leaving)} ({rule.describe(day)}). "
                f"{member.name} stays a member, paying and voting, until then."
                if leaving > day
                else f"Leaving date: {format_date(leaving)} ({rule.describe(day)})."
            )

        received_on.textChanged.connect(lambda _text: show_leaving_date())
        show_leaving_date()
        self.run_dialog(form)

    def withdraw_notice_selected(self) -> None:
        found = self._latest("withdraw the notice")
        if found is None:
            return
        member, period = found
        answer = self.ask(
            self,
            "Withdraw notice",
            f"{member.name} gave notice on {format_date(period.notice_received_on)} to leave "
            f"on {format_date(period.ends_on)}.\n\nWithdraw the notice? It stays a member.",
            ["Withdraw notice", "Cancel"],
        )
        if answer != "Withdraw notice":
            return
        try:
            saved = self.services.members.withdraw_notice(
                self.services.actor, period.id, period.version
            )
        except ServiceError as exc:
            self.tell(self, "The notice was not withdrawn", exc.message)
            self.reload()
            return
        self.show_changed(saved.id, f"{saved.name}'s notice withdrawn: it stays a member.")

    def end_selected(self) -> None:
        found = self._latest("end this membership")
        if found is None:
            return
        member, period = found
        declining = period.admitted_on is None
        ends_on = date_field(format_date(date.today()), "The first day it is no longer a member")
        reason = QLineEdit()
        reason.setPlaceholderText(
            "e.g. Not eligible" if declining else "e.g. The school closed; decision of the board"
        )
        actor = self.services.actor

        def done(saved: MemberDetail) -> None:
            what = "application declined" if declining else "membership ends"
            latest = saved.latest
            when = format_date(latest.ends_on) if latest else ""
            self.show_changed(saved.id, f"{saved.name}: {what} on {when}.")

        form = self._form(
            f"{'Decline application' if declining else 'End membership'} – {member.name}",
            (
                f"Decline (or record the withdrawal of) the application of "
                f"{format_date(period.applied_on)}."
                if declining
                else "End the membership without the notice period (a school that closed, a "
                "decision of the board, a date agreed with the member). The date is the first "
                "day it is no longer a member."
            ),
            {
                "ends_on": ("&Date" if declining else "&No longer a member from", ends_on),
                "end_reason": ("&Reason", reason),
            },
            lambda: self.services.members.cease(
                actor, period.id, period.version, ends_on.text(), reason.text()
            ),
            done,
            "the decision" if declining else "the end of the membership",
        )
        self.run_dialog(form)

    def category_selected(self) -> None:
        found = self._latest("change the category")
        if found is None:
            return
        member, period = found
        actor = self.services.actor
        category = QComboBox()
        for choice in Category:
            category.addItem(choice.label, choice.value)
        category.setCurrentIndex(category.findData(period.category.value))
        override = QLineEdit()
        override.setPlaceholderText("Only when the check refuses full membership")
        fields: dict[str, tuple[str, QWidget]] = {"category": ("&Category", category)}
        can_override = actor.can(OVERRIDE_ELIGIBILITY)
        if can_override:
            fields["eligibility_override"] = ("&Override, with reason", override)

        def done(saved: MemberDetail) -> None:
            latest = saved.latest
            label = latest.category.label.lower() if latest else ""
            self.show_changed(saved.id, f"{saved.name} is now a {label}.")

        form = self._form(
            f"Change category – {member.name}",
            f"{member.name} is a {period.category.label.lower()}.",
            fields,
            lambda: self.services.members.change_category(
                actor, period.id, period.version, category.currentData(), override.text()
            ),
            done,
            "the category",
        )

        def show_eligibility() -> None:
            if category.currentData() != Category.FULL.value:
                form.show_preview("")
                return
            try:
                problems = self.services.members.eligibility_problems(
                    actor, MemberInput(kind=member.kind, school_id=member.school_id)
                )
            except ServiceError as exc:
                problems = [exc.message]
            form.show_preview(
                "Not eligible for full membership: " + " ".join(problems) if problems else ""
            )

        category.currentIndexChanged.connect(lambda _i: show_eligibility())
        show_eligibility()
        self.run_dialog(form)

    # -- letters ----------------------------------------------------------------------------
    def welcome_letter_selected(self) -> None:
        self._letter("welcome", "write the welcome letter")

    def acknowledge_notice_selected(self) -> None:
        self._letter("notice_ack", "acknowledge the notice")

    def _letter(self, template_key: str, doing: str, member_id: int | None = None) -> None:
        """The mail merge window with this member and the letter chosen (history kept)."""
        if not self.services.actor.can(SEND_LETTERS):
            return
        chosen = member_id if member_id is not None else self.selected_id()
        if chosen is None:
            return
        try:
            self.letter_window = self.open_letter(self.services, chosen, template_key, self)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing}", exc.message)

    def offer_letter(self, member: MemberDetail, template_key: str) -> None:
        """Just admitted: offer the welcome letter while the member is in mind."""
        if not self.services.actor.can(SEND_LETTERS):
            return
        answer = self.ask(
            self,
            "Welcome letter",
            f"{member.name} is now a member. Write the welcome letter now?",
            ["Welcome letter…", "Not now"],
        )
        if answer == "Welcome letter…":
            self._letter(template_key, "write the welcome letter", member.id)

    def show_history(self) -> None:
        """The selected member's History window: its details and every period's changes."""
        member = self._selected_member("show the history")
        if member is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        self.run_dialog(HistoryDialog(self.services, member.name, member.uuid, self))  # type: ignore[arg-type]
