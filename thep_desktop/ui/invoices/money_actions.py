"""The Invoices tab's money actions: fee run, record payment, payments, statements, reminders,
aged debt and the exports, placed in its menu, toolbar and right-click menu."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.invoices import InvoiceKind
from thep_desktop.services.invoices.invoice_data import InvoiceFilter, InvoiceRow
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES, RECORD_PAYMENTS
from thep_desktop.ui.invoices.aged_debt_dialog import AgedDebtDialog
from thep_desktop.ui.invoices.fee_run_dialog import FeeRunDialog
from thep_desktop.ui.invoices.money_dialog_parts import (
    CSV_FILTER,
    XLSX_FILTER,
    ask_save,
    typed_date,
)
from thep_desktop.ui.invoices.payment_dialog import RecordPaymentDialog
from thep_desktop.ui.invoices.payments_dialog import PaymentsDialog
from thep_desktop.ui.invoices.reminders_dialog import RemindersDialog
from thep_desktop.ui.invoices.statement_dialog import StatementDialog

if TYPE_CHECKING:
    from thep_desktop.ui.invoices.invoices_tab import InvoicesTab


def one_issued_invoice(rows: Sequence[InvoiceRow]) -> bool:
    """Nothing selected (the customer is chosen in the form), or one issued invoice (its
    customer's payment; what it owes, if anything, set against it)."""
    if not rows:
        return True
    if len(rows) != 1:
        return False
    return rows[0].kind is InvoiceKind.INVOICE and not rows[0].is_draft


class MoneyActions:
    """The actions, and what each does, for one Invoices tab."""

    def __init__(self, tab: InvoicesTab) -> None:
        self.tab = tab
        add, action = tab.add_action, tab.action
        self.fee_run_action = add(
            action("&Fee run…", self.fee_run, "Bill every member its membership fee for a year"),
            "new",
            permission=MANAGE_INVOICES,
            toolbar=True,
        )
        self.payment_action = add(
            action(
                "Record &payment…",
                self.record_payment,
                "Money received from the selected invoice's customer, or from any customer",
                "Ctrl+Shift+R",
            ),
            "payments",
            permission=RECORD_PAYMENTS,
            applies=one_issued_invoice,
            toolbar=True,
            context=True,
        )
        self.payments_action = add(
            action("Pa&yments…", self.payments, "Every payment and refund recorded"),
            "payments",
        )
        self.statement_action = add(
            action(
                "Statement of &account…",
                self.statement,
                "A customer's invoices, payments and balance, as a PDF",
            ),
            "payments",
            context=True,
        )
        self.reminders_action = add(
            action("&Reminders…", self.reminders, "Letters for overdue invoices (1st, 2nd, final)"),
            "payments",
            permission=MANAGE_INVOICES,
        )
        self.aged_debt_action = add(
            action("A&ged debt…", self.aged_debt, "What each customer owes, by how overdue"),
            "output",
            toolbar=True,
        )
        self.xero_action = add(
            action(
                "Expor&t for Xero…",
                self.export_xero,
                "The issued invoices (within the From/To dates, when typed) as Xero's sales "
                "invoice import file",
            ),
            "output",
        )
        self.register_action = add(
            action(
                "Invoice register (Exce&l)…",
                self.invoice_register,
                "Every invoice and credit note dated within the From/To filter, as a workbook",
            ),
            "output",
        )

    # -- helpers ---------------------------------------------------------------------------
    def _selected_customer(self) -> tuple[int | None, int | None]:
        """(customer id, invoice id) of the one invoice selected; (None, None) otherwise."""
        rows = self.tab.selected_rows()
        if len(rows) != 1:
            return None, None
        return rows[0].customer_id, rows[0].id

    def _dates(self) -> tuple[InvoiceFilter, str]:
        """The tab's From/To dates as a filter, and in words ("" when none are typed)."""
        date_from = typed_date(self.tab.date_from.text())
        date_to = typed_date(self.tab.date_to.text())
        words = ""
        if date_from and date_to:
            words = f"dated {format_date(date_from)} to {format_date(date_to)}"
        elif date_from:
            words = f"dated on or after {format_date(date_from)}"
        elif date_to:
            words = f"dated on or before {format_date(date_to)}"
        return InvoiceFilter(date_from=date_from, date_to=date_to), words

    def _changed(self) -> None:
        self.tab.reload()
        self.tab.changed.emit()

    def _run(self, dialog: QDialog) -> None:
        if hasattr(dialog, "on_changed"):
            dialog.on_changed = self._changed
        self.tab.run_dialog(dialog)

    # -- the actions -------------------------------------------------------------------------
    def fee_run(self) -> None:
        self._run(FeeRunDialog(self.tab.services, self.tab))

    def record_payment(self) -> None:
        customer_id, invoice_id = self._selected_customer()
        dialog = RecordPaymentDialog(self.tab.services, customer_id, invoice_id, self.tab)
        dialog.run_dialog = self.tab.run_dialog
        dialog.accepted.connect(lambda: self._paid(dialog))
        self._run(dialog)

    def _paid(self, dialog: RecordPaymentDialog) -> None:
        saved = dialog.saved
        if saved is None:
            return
        self.tab.status_message.emit(
            f"Payment of £{saved.amount:,.2f} from {saved.customer_name} recorded."
        )

    def payments(self) -> None:
        customer_id, _invoice = self._selected_customer()
        self._run(PaymentsDialog(self.tab.services, customer_id, self.tab))

    def statement(self) -> None:
        customer_id, _invoice = self._selected_customer()
        self._run(StatementDialog(self.tab.services, customer_id, self.tab))

    def reminders(self) -> None:
        self._run(RemindersDialog(self.tab.services, self.tab))

    def aged_debt(self) -> None:
        self._run(AgedDebtDialog(self.tab.services, self.tab))

    def export_xero(self) -> None:
        """Xero's sales invoice CSV of the issued invoices (more than 500: several files),
        those dated within the tab's From/To dates when they are typed."""
        tab = self.tab
        wanted, dates = self._dates()
        path = ask_save(
            tab,
            tab.ask_save_path,
            "Export the invoices for Xero",
            f"Xero invoices {date.today().isoformat()}.csv",
            CSV_FILTER,
            ".csv",
        )
        if path is None:
            return
        try:
            result = tab.services.invoice_documents.export_xero(tab.services.actor, path, wanted)
        except OfficeError as exc:
            tab.tell(tab, "Not exported", str(exc))
            return
        where = ", ".join(p.name for p in result.paths)
        text = f"{result.message}\n\nSaved in {path.parent}: {where}."
        if dates:
            text = f"Invoices {dates} (the From/To dates above the list).\n\n{text}"
        tab.tell(tab, "Exported for Xero", text)
        tab.status_message.emit(result.message.splitlines()[0])

    def invoice_register(self) -> None:
        tab = self.tab
        wanted, _dates = self._dates()
        path = ask_save(
            tab,
            tab.ask_save_path,
            "Save the invoice register",
            f"Invoice register {date.today().isoformat()}.xlsx",
            XLSX_FILTER,
            ".xlsx",
        )
        if path is None:
            return
        try:
            tab.services.invoice_documents.write_register(tab.services.actor, wanted, path)
        except OfficeError as exc:
            tab.tell(tab, "The register was not saved", str(exc))
            return
        tab.status_message.emit(f"Saved the invoice register to {path}.")


def add_money_actions(tab: InvoicesTab) -> MoneyActions:
    """Give ``tab`` the money actions (kept on the tab as ``tab.money``)."""
    tab.money = MoneyActions(tab)  # type: ignore[attr-defined]
    return tab.money  # type: ignore[attr-defined]
