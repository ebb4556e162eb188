"""Invoices > Payments…: the money received and paid back, filtered by customer and dates,
with Reverse for a payment recorded in error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import PaymentKind
from thep_desktop.services.invoices.invoices_permissions import RECORD_PAYMENTS
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.invoices.money_dialog_parts import (
    chosen_customer,
    close_buttons,
    customer_combo,
    message_line,
    plural,
    say,
    typed_date,
)
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

COLUMNS = (
    PlainColumn("Date", "date"),
    PlainColumn("Customer"),
    PlainColumn("Kind"),
    PlainColumn("Method"),
    PlainColumn("Reference"),
    PlainColumn("Amount", "money"),
    PlainColumn("Allocated", "money", "Set against invoices"),
    PlainColumn("Unallocated", "money", "Held as credit (a refund: paid back)"),
    PlainColumn("Invoices", tooltip="The invoices it paid"),
)
ALL_CUSTOMERS = "All customers"

AskText = Callable[..., tuple[str, bool]]


def kind_text(kind: Any) -> str:
    return "Refund" if kind == PaymentKind.REFUND else "Receipt"


def method_text(method: Any) -> str:
    return str(getattr(method, "label", method) or "")


class PaymentsDialog(QDialog):
    """Every payment and refund, newest first; Reverse removes one recorded in error."""

    def __init__(
        self, services: Services, customer_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.ask_text: AskText = QInputDialog.getText
        self.on_changed: Callable[[], object] = lambda: None
        self.setWindowTitle("Payments")
        self.setObjectName("payments_dialog")
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.customer = customer_combo(services, customer_id)
        self.customer.insertItem(0, ALL_CUSTOMERS, None)
        if customer_id is None:
            self.customer.setCurrentIndex(0)
        self.date_from = date_field("", "Payments on or after this day")
        self.date_from.setObjectName("date_from")
        self.date_to = date_field("", "Payments on or before this day")
        self.date_to.setObjectName("date_to")
        for caption, widget in (
            ("&Customer", self.customer),
            ("&From", self.date_from),
            ("&To", self.date_to),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        self.customer.setMinimumWidth(320)
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(120)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.model = PlainTableModel(COLUMNS, parent=self)
        self.table = list_view("payments_table", self.model, sort_column=None)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.totals = QLabel()
        self.totals.setObjectName("payments_totals")
        layout.addWidget(self.totals)
        self.message = message_line("payments_message")
        layout.addWidget(self.message)
        self.reverse_button = push_button(
            "&Reverse…",
            self.reverse_selected,
            "Remove a payment recorded in error (kept in history)",
        )
        layout.addWidget(close_buttons(self, self.reverse_button))
        self.resize(1000, 520)
        self.customer.currentIndexChanged.connect(lambda _i: self.reload())
        self.date_from.editingFinished.connect(self.reload)
        self.date_to.editingFinished.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.payments: list[Any] = []
        self.reload()

    def _filters(self) -> tuple[int | None, Any, Any] | None:
        dates = []
        for name, edit in (("From", self.date_from), ("To", self.date_to)):
            text = edit.text().strip()
            day = typed_date(text) if text else None
            if text and day is None:
                say(self.message, f"{name}: type the date as dd/mm/yyyy.", problem=True)
                return None
            dates.append(day)
        customer_id = chosen_customer(self.customer) if self.customer.currentIndex() > 0 else None
        return customer_id, dates[0], dates[1]

    def reload(self) -> None:
        filters = self._filters()
        if filters is None:
            return
        customer_id, date_from, date_to = filters
        try:
            self.payments = self.services.payments.payments(
                self.services.actor, customer_id=customer_id, date_from=date_from, date_to=date_to
            )
        except ServiceError as exc:
            say(self.message, exc.message, problem=True)
            return
        self.model.set_rows(
            [
                (
                    p.received_on,
                    p.customer_name,
                    kind_text(p.kind),
                    method_text(p.method),
                    p.reference,
                    p.amount,
                    p.allocated,
                    p.unallocated,
                    ", ".join(number for number, _amount in p.allocations),
                )
                for p in self.payments
            ]
        )
        self.table.resizeColumnsToContents()
        received = sum((p.amount for p in self.payments if p.kind != PaymentKind.REFUND), 0)
        refunded = sum((p.amount for p in self.payments if p.kind == PaymentKind.REFUND), 0)
        text = f"{plural(len(self.payments), 'payment')}: {money(received)} received"
        if refunded:
            text += f", {money(refunded)} refunded"
        self.totals.setText(text + ".")
        self.message.clear()
        self._enable()

    def selected_payment(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        # The list is never re-sorted, so a row is the payment at that place.
        return self.payments[rows[0].row()]

    def _enable(self) -> None:
        self.reverse_button.setEnabled(
            self.services.actor.can(RECORD_PAYMENTS) and self.selected_payment() is not None
        )

    def reverse_selected(self) -> None:
        payment = self.selected_payment()
        if payment is None:
            return
        what = f"{kind_text(payment.kind).lower()} of {money(payment.amount)} from "
        what += payment.customer_name
        reason, ok = self.ask_text(
            self,
            "Reverse payment",
            f"Reverse the {what}? It is removed with what it paid (the history keeps it).\n\n"
            "Why? (e.g. recorded against the wrong school)",
        )
        if not ok:
            return
        try:
            self.services.payments.reverse_payment(
                self.services.actor, payment.id, payment.version, reason
            )
        except ServiceError as exc:
            say(self.message, f"Not reversed: {exc.message}", problem=True)
            return
        self.reload()
        say(self.message, f"Reversed the {what}.")
        self.on_changed()
