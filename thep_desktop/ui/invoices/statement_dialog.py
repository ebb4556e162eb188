"""Statement of account…: a customer's invoices, credit notes, payments and refunds between
two dates with the running balance, saved as a PDF on the letterhead."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.fees import money
from thep_desktop.reports.invoices.invoice_document import RenderResult
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.money_dialog_parts import (
    PDF_FILTER,
    AskPath,
    ask_save,
    chosen_customer,
    close_buttons,
    customer_combo,
    default_ask_path,
    message_line,
    plural,
    run_job,
    say,
    typed_date,
)
from thep_desktop.ui.shared.forms import date_field, push_button


class StatementDialog(QDialog):
    """Choose the customer and the dates; Save PDF… writes the statement."""

    def __init__(
        self, services: Services, customer_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.ask_save_path: AskPath = default_ask_path
        self.job: Any = None
        self.setWindowTitle("Statement of account")
        self.setObjectName("statement_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "What the customer was invoiced, credited and paid between the dates, with the "
            "balance brought forward, the running balance, and what is overdue. Leave From "
            "blank for the whole account."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.customer = customer_combo(services, customer_id)
        self.date_from = date_field("", "Start the statement on this day")
        self.date_from.setObjectName("date_from")
        self.date_to = date_field("", "End the statement on this day (blank: today)")
        self.date_to.setObjectName("date_to")
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(130)
        form.addRow("&Customer", self.customer)
        self.everyone = QCheckBox("&Every customer who owes or holds credit, in one PDF")
        self.everyone.setObjectName("everyone")
        form.addRow("", self.everyone)
        self.everyone.toggled.connect(lambda on: self.customer.setEnabled(not on))
        form.addRow("&From", self.date_from)
        form.addRow("&To", self.date_to)
        layout.addLayout(form)
        self.account = QLabel()
        self.account.setObjectName("statement_account")
        self.account.setWordWrap(True)
        layout.addWidget(self.account)
        self.message = message_line("statement_message")
        layout.addWidget(self.message)
        layout.addWidget(
            close_buttons(
                self,
                push_button("&Save PDF…", self.save, "The statement on the letterhead, as a PDF"),
            )
        )
        self.customer.currentIndexChanged.connect(lambda _i: self._show_account())
        self._show_account()
        self.resize(560, 280)

    def _show_account(self) -> None:
        customer_id = chosen_customer(self.customer)
        if customer_id is None:
            self.account.setText("")
            return
        try:
            account = self.services.payments.customer_account(self.services.actor, customer_id)
        except OfficeError as exc:
            self.account.setText(str(exc))
            return
        self.account.setText(account_text(account))

    def _dates(self) -> tuple[date | None, date | None] | None:
        found = []
        for name, edit in (("From", self.date_from), ("To", self.date_to)):
            text = edit.text().strip()
            day = typed_date(text) if text else None
            if text and day is None:
                say(self.message, f"{name}: type the date as dd/mm/yyyy.", problem=True)
                edit.setFocus()
                return None
            found.append(day)
        return found[0], found[1]

    def save(self) -> None:
        everyone = self.everyone.isChecked()
        customer_id = chosen_customer(self.customer)
        if customer_id is None and not everyone:
            say(self.message, "Customer: choose whose statement to write.", problem=True)
            self.customer.setFocus()
            return
        dates = self._dates()
        if dates is None:
            return
        name = "every customer" if everyone else self.customer.currentText().split(" (")[0]
        day = (dates[1] or date.today()).isoformat()
        path = ask_save(
            self,
            self.ask_save_path,
            "Save the statements of account" if everyone else "Save the statement of account",
            f"Statements {day}.pdf" if everyone else f"Statement {name} {day}.pdf",
            PDF_FILTER,
            ".pdf",
        )
        if path is None:
            return
        actor = self.services.actor
        wanted = None if everyone else [customer_id]

        def done(result: RenderResult) -> None:
            if everyone:
                what = plural(result.documents, "statement")
                say(self.message, f"Saved {what} ({plural(result.pages, 'page')}) to {path}.")
            else:
                say(self.message, f"Saved the statement of {name} to {path}.")

        self.job = run_job(
            self,
            "Writing the statements",
            lambda progress: self.services.statements.write_statements(
                actor, wanted, path, dates[0], dates[1], progress=progress
            ),
            done,
            self.message,
        )


def account_text(account: Any) -> str:
    """Owes £x (£y overdue); holds £z in credit."""
    text = f"Owes {money(account.owed)}"
    if account.overdue:
        text += f", of which {money(account.overdue)} is overdue"
    text += "."
    if account.credit_held:
        text += f" Holds {money(account.credit_held)} in credit."
    return text
