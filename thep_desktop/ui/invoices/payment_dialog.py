"""Record payment…: money received from a customer, set against its open invoices, the rest
kept as credit when the treasurer says so; Apply credit… and Refund… for credit it holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import PaymentMethod
from thep_desktop.services.invoices.invoices_permissions import RECORD_PAYMENTS
from thep_desktop.services.invoices.payment_data import CustomerAccount, PaymentInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.invoices.allocation_model import AllocationModel
from thep_desktop.ui.invoices.money_dialog_parts import (
    chosen_payer,
    customer_combo,
    parse_money,
    plural,
)
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import (
    ERROR_STYLE,
    FieldMessages,
    correction_summary,
    date_field,
    editor_buttons,
    error_banner,
    may_close_unsaved,
    push_button,
)
from thep_desktop.ui.shared.questions import Ask, ask

ZERO = Decimal("0.00")


def method_combo() -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("method")
    for method in PaymentMethod:
        combo.addItem(method.label, method.value)
    return combo


class RecordPaymentDialog(QDialog):
    """A payment received: who from, when, how much, how; what it pays; the rest as credit."""

    def __init__(
        self,
        services: Services,
        customer_id: int | None = None,
        invoice_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.saved: Any = None
        self.ask: Ask = ask
        self.on_changed: Callable[[], object] = lambda: None
        self.run_dialog: Callable[[QDialog], object] = lambda d: d.exec()
        self._invoice_id = invoice_id
        self._customer_id: int | None = None
        self._member_id: int | None = None
        self.account_now: CustomerAccount | None = None
        self.setWindowTitle("Record payment")
        self.setObjectName("record_payment_dialog")
        layout = QVBoxLayout(self)
        self.banner = error_banner()
        layout.addWidget(self.banner)
        self.messages = FieldMessages()
        form = QFormLayout()
        self.customer = customer_combo(services, customer_id, members_too=True)
        self.received_on = date_field(format_date(date.today()), "The day the money was received")
        self.received_on.setObjectName("received_on")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText("e.g. 2,100.00")
        self.method = method_combo()
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setPlaceholderText("e.g. the bank statement's reference or cheque number")
        self.notes = QLineEdit()
        self.notes.setObjectName("notes")
        for field, label, widget in (
            ("customer", "&Customer", self.customer),
            ("received_on", "Date &received", self.received_on),
            ("amount", "&Amount (£)", self.amount),
            ("method", "&How paid", self.method),
            ("reference", "Re&ference", self.reference),
            ("notes", "&Notes", self.notes),
        ):
            self.messages.add_row(form, field, label, widget)
        layout.addLayout(form)

        self.account = QLabel()
        self.account.setObjectName("account")
        self.account.setWordWrap(True)
        layout.addWidget(self.account)
        self.model = AllocationModel(self)
        self.table = QTableView()
        self.table.setObjectName("allocations")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(90)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        holder, _message = self.messages.with_message("allocations", self.table)
        layout.addWidget(QLabel("Set against these invoices (type in the Apply column):"))
        layout.addWidget(holder, 1)
        self.left_over = QLabel()
        self.left_over.setObjectName("left_over")
        self.left_over.setWordWrap(True)
        layout.addWidget(self.left_over)
        self.keep_credit = QCheckBox("&Keep the rest as credit on the customer's account")
        self.keep_credit.setObjectName("keep_credit")
        holder, _message = self.messages.with_message("hold_rest_as_credit", self.keep_credit)
        layout.addWidget(holder)

        row = QHBoxLayout()
        self.credit_button = push_button(
            "Apply &credit…", self.apply_credit, "Set credit the customer holds against an invoice"
        )
        self.refund_button = push_button(
            "Re&fund…", self.refund, "Pay back credit the customer holds"
        )
        row.addWidget(self.credit_button)
        row.addWidget(self.refund_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = editor_buttons(
            self, services.actor.can(RECORD_PAYMENTS), self.save, "the payment"
        )
        layout.addWidget(self.buttons)
        self.resize(720, 640)

        self.customer.currentIndexChanged.connect(lambda _i: self._customer_chosen())
        self.amount.textChanged.connect(lambda _t: self._suggest())
        self.model.applied_changed.connect(self._show_left_over)
        self.keep_credit.toggled.connect(lambda _on: self._show_left_over())
        self._customer_chosen()
        if invoice_id is not None:
            self._prefill_invoice(invoice_id)

    # -- the customer and its invoices -------------------------------------------------------
    def _customer_chosen(self) -> None:
        customer_id, self._member_id = (
            chosen_payer(self.customer) if self.customer.currentIndex() >= 0 else (None, None)
        )
        self._customer_id = customer_id
        self.account_now = (
            self.services.payments.customer_account(self.services.actor, customer_id)
            if customer_id is not None
            else None
        )
        self.model.set_invoices(list(self.account_now.open_invoices) if self.account_now else [])
        self.table.resizeColumnsToContents()
        self._show_account()
        self._suggest()

    def _credit_held(self) -> Decimal:
        return self.account_now.credit_held if self.account_now is not None else ZERO

    def _show_account(self) -> None:
        if self.account_now is None:
            self.account.setText(
                "A member not invoiced yet: keep its payment as credit, to set against its "
                "invoices when they are issued."
                if self._member_id is not None
                else "Choose the customer who paid."
            )
            self.credit_button.hide()
            self.refund_button.hide()
            return
        owed = self.account_now.owed
        held = self._credit_held()
        if self.model.invoices:
            text = f"Owes {money(owed)} on {plural(len(self.model.invoices), 'open invoice')}"
            if self.account_now.overdue > ZERO:
                text += f", {money(self.account_now.overdue)} of it overdue"
            text += "."
        else:
            text = "Owes nothing: no invoice is waiting to be paid."

        if held > ZERO:
            text += f" Holds {money(held)} in credit."
        self.account.setText(text)
        may = self.services.actor.can(RECORD_PAYMENTS)
        self.credit_button.setVisible(may and held > ZERO and bool(self.model.invoices))
        self.refund_button.setVisible(may and held > ZERO)

    def _prefill_invoice(self, invoice_id: int) -> None:
        """Opened on an invoice: its customer, what it still owes as the amount, set against it."""
        for invoice in self.model.invoices:
            if invoice.id == invoice_id:
                self.amount.setText(f"{invoice.outstanding:,.2f}")
                # Set against the invoice chosen, not the oldest (changing the amount
                # shares it out oldest first again).
                self.model.set_applied({invoice.id: invoice.outstanding})
                return

    def _suggest(self) -> None:
        """Fill the Apply column as a person would: oldest due first (editable after)."""
        amount = parse_money(self.amount.text())
        if self._customer_id is None or amount is None or amount <= ZERO:
            self.model.set_applied({})
            return
        try:
            suggested = self.services.payments.suggest_allocation(
                self.services.actor, self._customer_id, amount
            )
        except ServiceError:
            suggested = ()
        self.model.set_applied({invoice_id: value for invoice_id, value in suggested})

    def _show_left_over(self) -> None:
        amount = parse_money(self.amount.text())
        applied = self.model.applied()
        if applied is None:
            bad = ", ".join(self.model.bad_rows())
            self._left_over_text(f"The amount to apply against {bad} is not a sum of money.", True)
            return
        if amount is None:
            self._left_over_text("", False)
            return
        used = sum((value for _id, value in applied), ZERO)
        rest = amount - used
        if rest > ZERO:
            self._left_over_text(
                f"{money(rest)} left over, not set against any invoice: set it against one, "
                "or tick below to keep it as credit.",
                not self.keep_credit.isChecked(),
            )
        elif rest < ZERO:
            self._left_over_text(
                f"{money(used)} is set against invoices: {money(-rest)} more than the payment.",
                True,
            )
        else:
            self._left_over_text(
                f"All of {money(amount)} set against invoices." if amount else "", False
            )

    def _left_over_text(self, text: str, problem: bool) -> None:
        self.left_over.setStyleSheet(ERROR_STYLE if problem else "")
        self.left_over.setText(text)

    # -- saving ------------------------------------------------------------------------------
    def payment_input(self) -> PaymentInput:
        applied = self.model.applied()
        allocations = tuple((i, str(v)) for i, v in applied) if applied is not None else ()
        customer_id, member_id = chosen_payer(self.customer)
        return PaymentInput(
            customer_id=customer_id,
            member_id=member_id,
            received_on=self.received_on.text(),
            amount=self.amount.text().replace(",", "").replace("£", "").strip(),
            method=self.method.currentData(),
            reference=self.reference.text(),
            notes=self.notes.text(),
            allocations=allocations,
            hold_rest_as_credit=self.keep_credit.isChecked(),
        )

    def save(self) -> bool:
        self.messages.clear()
        self.banner.hide()
        if self.model.applied() is None:
            self.messages.show(
                {"allocations": f"Apply: {', '.join(self.model.bad_rows())} is not an amount."}
            )
            self._refused(1, [])
            return False
        try:
            self.saved = self.services.payments.record_payment(
                self.services.actor, self.payment_input()
            )
        except ValidationError as exc:
            unplaced = self.messages.show(exc.field_errors)
            self._refused(len(exc.field_errors) - len(unplaced), unplaced)
            if "allocations" in exc.field_errors:
                self.left_over.clear()  # the refusal beside the table says it already
            return False
        except ServiceError as exc:
            self._refused(0, [exc.message])
            return False
        self.on_changed()
        self.accept()
        return True

    def has_typing(self) -> bool:
        """Something typed that would be lost by closing (the amount, reference or notes)."""
        return self.saved is None and any(
            edit.text().strip() for edit in (self.amount, self.reference, self.notes)
        )

    def reject(self) -> None:
        """Cancel or Esc: ask first when what was typed would be lost."""
        if self.has_typing() and self.services.actor.can(RECORD_PAYMENTS):
            if not may_close_unsaved(self, self.ask, "the payment", self.save):
                return
            if self.saved is not None:
                return  # saved on the way out: the form has closed as saved
        super().reject()

    def _refused(self, placed: int, unplaced: list[str]) -> None:
        lines = [correction_summary(placed)] if placed else ["Nothing has been saved."]
        self.banner.setText("\n".join([*lines, *unplaced]))
        self.banner.show()

    # -- credit held -------------------------------------------------------------------------
    def apply_credit(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            return
        held = self._credit_held()
        invoice = QComboBox()
        invoice.setObjectName("invoice")
        for row in self.model.invoices:
            invoice.addItem(f"{row.display_number}: owes {money(row.outstanding)}", row.id)
        first = self.model.invoices[0].outstanding if self.model.invoices else ZERO
        amount = QLineEdit(f"{min(held, first):.2f}")
        amount.setObjectName("credit_amount")
        actor = self.services.actor
        form = MembershipForm(
            "Apply credit",
            f"The customer holds {money(held)} in credit. Set it against an invoice:",
            {"invoice_id": ("&Invoice", invoice), "amount": ("&Amount (£)", amount)},
            lambda: self.services.payments.apply_credit(
                actor, customer_id, invoice.currentData(), amount.text()
            ),
            self,
            what="the credit applied",
        )
        form.setObjectName("apply_credit_form")
        form.accepted.connect(self._credit_changed)
        self.run_dialog(form)

    def refund(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            return
        held = self._credit_held()
        amount = QLineEdit(f"{held:.2f}")
        amount.setObjectName("refund_amount")
        paid_on = date_field(format_date(date.today()), "The day the money was paid back")
        method = method_combo()
        reference = QLineEdit()
        actor = self.services.actor
        form = MembershipForm(
            "Refund",
            f"The customer holds {money(held)} in credit. Pay some or all of it back:",
            {
                "amount": ("&Amount (£)", amount),
                "paid_on": ("&Paid on", paid_on),
                "method": ("&How paid", method),
                "reference": ("Re&ference", reference),
            },
            lambda: self.services.payments.refund(
                actor,
                customer_id,
                amount.text(),
                paid_on.text(),
                method.currentData(),
                reference.text(),
            ),
            self,
            what="the refund",
        )
        form.setObjectName("refund_form")
        form.accepted.connect(self._credit_changed)
        self.run_dialog(form)

    def _credit_changed(self) -> None:
        self._customer_chosen()
        self.on_changed()
