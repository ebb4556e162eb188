"""Invoices > Aged debt…: what each customer owes as at a date, by how long it is overdue;
double-click a customer for its invoices; save as PDF or Excel."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import AGE_BUCKETS
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.money_dialog_parts import (
    PDF_FILTER,
    XLSX_FILTER,
    AskPath,
    ask_save,
    close_buttons,
    default_ask_path,
    message_line,
    plural,
    say,
    typed_date,
)
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

TOTAL_ROW = "Total"
COLUMNS = (
    PlainColumn("Customer"),
    *(PlainColumn(bucket.label, "money") for bucket in AGE_BUCKETS),
    PlainColumn("Total", "money"),
)
INVOICE_COLUMNS = (
    PlainColumn("Invoice"),
    PlainColumn("Date", "date"),
    PlainColumn("Due", "date"),
    PlainColumn("Days overdue", "integer"),
    PlainColumn("Owes", "money"),
)


class AgedDebtModel(PlainTableModel):
    """The customers' rows, and the totals row in bold under them."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() > 0:
            # Nothing in an age column reads as blank, as on the printed report.
            if self.row_values(index.row())[index.column()] == 0:
                return ""
        if role == Qt.ItemDataRole.FontRole and self.row_values(index.row())[0] == TOTAL_ROW:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class AgedDebtDialog(QDialog):
    """The aged debt report on screen: a row per customer, the five ages, a totals row."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask_save_path: AskPath = default_ask_path
        self.report: Any = None
        self.opened: list[QDialog] = []  # a customer's invoices, kept open beside the report
        self.setWindowTitle("Aged debt")
        self.setObjectName("aged_debt_dialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.as_at = date_field(format_date(date.today()), "The debt as it stood at this day's end")
        self.as_at.setObjectName("as_at")
        self.as_at.setMaximumWidth(130)
        form.addRow("&As at", self.as_at)
        self.detail = QCheckBox("&List each invoice under its customer in the PDF")
        self.detail.setObjectName("detail")
        form.addRow("", self.detail)
        layout.addLayout(form)
        self.model = AgedDebtModel(COLUMNS, parent=self)
        self.table = list_view("aged_debt_table", self.model, sort_column=None)
        self.table.setToolTip("Double-click a customer to see the invoices it owes on")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("aged_debt_summary")
        layout.addWidget(self.summary)
        self.message = message_line("aged_debt_message")
        layout.addWidget(self.message)
        layout.addWidget(
            close_buttons(
                self,
                push_button("&Show", self.reload, "The report as at the date typed"),
                push_button(
                    "Save as &PDF…", lambda: self.save(".pdf"), "The report on the letterhead"
                ),
                push_button(
                    "Save as &Excel…", lambda: self.save(".xlsx"), "The report as a workbook"
                ),
            )
        )
        self.as_at.editingFinished.connect(self.reload)
        self.table.doubleClicked.connect(lambda index: self.show_customer(index.row()))
        self.resize(980, 560)
        self.reload()

    def _day(self) -> date | None:
        day = typed_date(self.as_at.text())
        if day is None:
            say(self.message, "As at: type the date as dd/mm/yyyy.", problem=True)
            self.as_at.setFocus()
        return day

    def reload(self) -> None:
        day = self._day()
        if day is None:
            return
        try:
            report = self.services.aged_debt.aged_debt(self.services.actor, day)
        except OfficeError as exc:
            say(self.message, str(exc), problem=True)
            return
        self.report = report
        rows: list[tuple[Any, ...]] = [(r.customer, *r.amounts, r.total) for r in report.rows]
        if report.rows:
            rows.append((TOTAL_ROW, *report.totals, report.total))
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.summary.setText(
            f"{plural(len(report.rows), 'customer')} owe {money(report.total)} as at "
            f"{format_date(day)}; {money(report.totals[0])} of it not yet due."
            if report.rows
            else f"Nobody owes anything as at {format_date(day)}."
        )
        self.message.clear()

    def show_customer(self, row: int) -> None:
        """A customer's invoices making up its row (the totals row has none)."""
        if self.report is None or row >= len(self.report.rows):
            return
        customer = self.report.rows[row]
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{customer.customer}: owed as at {format_date(self.report.as_at)}")
        dialog.setObjectName("aged_debt_invoices")
        box = QVBoxLayout(dialog)
        model = PlainTableModel(
            INVOICE_COLUMNS,
            [
                (i.number, i.invoice_date, i.due_date, i.days_overdue, i.outstanding)
                for i in customer.invoices
            ],
            dialog,
        )
        table = list_view("aged_debt_invoices_table", model, sort_column=None)
        table.resizeColumnsToContents()
        box.addWidget(table)
        box.addWidget(QLabel(f"Total owed: {money(customer.total)}"))
        box.addWidget(close_buttons(dialog))
        dialog.resize(620, 320)
        self.opened.append(dialog)
        dialog.show()

    def save(self, suffix: str) -> None:
        day = self._day()
        if day is None:
            return
        path = ask_save(
            self,
            self.ask_save_path,
            "Save the aged debt report",
            f"Aged debt {day.isoformat()}{suffix}",
            PDF_FILTER if suffix == ".pdf" else XLSX_FILTER,
            suffix,
        )
        if path is None:
            return
        try:
            self.services.aged_debt.write_aged_debt(
                self.services.actor, day, path, detail=self.detail.isChecked()
            )
        except OfficeError as exc:
            say(self.message, str(exc), problem=True)
            return
        say(self.message, f"Saved the aged debt as at {format_date(day)} to {path}.")
