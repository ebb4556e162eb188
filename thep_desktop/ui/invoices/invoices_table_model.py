"""The invoices and credit notes as a Qt table, the list's filters, and its running totals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from thep_desktop.domain.invoices import InvoiceKind, PaymentStatus
from thep_desktop.services.invoices.invoice_data import InvoiceRow, RunningTotals, running_totals
from thep_desktop.ui.shared.list_views import begin_filter_change, end_filter_change
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE, SORT_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class InvoiceColumn:
    column: PlainColumn
    value: Callable[[InvoiceRow, date], Any]  # (row, today) -> typed value


def _of_invoice(row: InvoiceRow, value: Decimal) -> Decimal | None:
    """An invoice's figure; blank for a credit note (where it went shows when it is opened)."""
    return value if row.kind is InvoiceKind.INVOICE else None


COLUMNS: tuple[InvoiceColumn, ...] = (
    InvoiceColumn(
        PlainColumn("Number", tooltip="Drafts have no number until they are issued"),
        lambda r, _d: r.display_number,
    ),
    InvoiceColumn(PlainColumn("Kind"), lambda r, _d: r.kind.label),
    InvoiceColumn(PlainColumn("Customer"), lambda r, _d: r.customer_name),
    InvoiceColumn(PlainColumn("Date", "date"), lambda r, _d: r.invoice_date),
    InvoiceColumn(PlainColumn("Due", "date"), lambda r, _d: r.due_date),
    InvoiceColumn(PlainColumn("Reference"), lambda r, _d: r.reference),
    InvoiceColumn(PlainColumn("Total", "money"), lambda r, _d: r.total),
    InvoiceColumn(PlainColumn("Paid", "money"), lambda r, _d: _of_invoice(r, r.paid)),
    InvoiceColumn(PlainColumn("Credited", "money"), lambda r, _d: _of_invoice(r, r.credited)),
    InvoiceColumn(
        PlainColumn("Outstanding", "money", "What is still owed on an issued invoice"),
        lambda r, _d: None if r.is_draft else _of_invoice(r, r.outstanding),
    ),
    InvoiceColumn(PlainColumn("Status"), lambda r, _d: r.status.label),
    InvoiceColumn(
        PlainColumn("Days overdue", "count", "Days past the due date with money still owed"),
        lambda r, d: r.days_overdue(d) or None,
    ),
)
(
    COL_NUMBER,
    COL_KIND,
    COL_CUSTOMER,
    COL_DATE,
    COL_DUE,
    COL_REFERENCE,
    COL_TOTAL,
    COL_PAID,
    COL_CREDITED,
    COL_OUTSTANDING,
    COL_STATUS,
    COL_OVERDUE,
) = range(len(COLUMNS))

OVERDUE_TEXT = QColor("#b00020")
OVERDUE_BACKGROUND = QColor("#fdecef")


def number_key(row: InvoiceRow) -> tuple[int, int, int, str]:
    """Numbers sort as numbers (INV-000099 before INV-000100, whatever the prefix's length);
    credit notes after invoices; drafts, which have none, last."""
    if row.number is None:
        return (1, 0, 0, "")
    digits = len(row.number) - len(row.number.rstrip("0123456789"))
    value = int(row.number[-digits:]) if digits else 0
    return (0, 0 if row.kind is InvoiceKind.INVOICE else 1, value, row.number)


class InvoicesTableModel(PlainTableModel):
    """The shared plain table, each row carrying its ``InvoiceRow``; overdue rows in red."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([c.column for c in COLUMNS], parent=parent)
        self.today = date.today()

    def set_invoices(self, rows: Iterable[InvoiceRow], today: date) -> None:
        self.today = today
        self.set_rows([(*(c.value(row, today) for c in COLUMNS), row) for row in rows])

    def invoice_at(self, source_row: int) -> InvoiceRow:
        return self.row_values(source_row)[len(COLUMNS)]  # type: ignore[no-any-return]

    def rows(self) -> list[InvoiceRow]:
        return [self.invoice_at(n) for n in range(self.rowCount())]

    def row_of_id(self, invoice_id: int) -> int:
        for number in range(self.rowCount()):
            if self.invoice_at(number).id == invoice_id:
                return number
        return -1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            row = self.invoice_at(index.row())
            if row.is_overdue(self.today):
                if role == Qt.ItemDataRole.ForegroundRole:
                    return QBrush(OVERDUE_TEXT)
                return QBrush(OVERDUE_BACKGROUND)
            if row.is_draft and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#555555"))
            return None
        if index.isValid() and role == SORT_ROLE and index.column() == COL_NUMBER:
            return number_key(self.invoice_at(index.row()))
        return super().data(index, role)


# The status filter's choices; the first is the default.
ALL, DRAFTS, UNPAID, OVERDUE, PAID, CREDIT_NOTES = (
    "",
    "drafts",
    "unpaid",
    "overdue",
    "paid",
    "credit_notes",
)
STATUS_CHOICES = (
    ("All", ALL),
    ("Drafts", DRAFTS),
    ("Unpaid", UNPAID),
    ("Overdue", OVERDUE),
    ("Paid", PAID),
    ("Credit notes", CREDIT_NOTES),
)


@dataclass(frozen=True)
class InvoiceFilterChoice:
    """What the filters above the list ask for (the list itself holds every invoice)."""

    status: str = ALL
    customer_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    words: tuple[str, ...] = ()


def passes(row: InvoiceRow, wanted: InvoiceFilterChoice, today: date) -> bool:
    """Whether an invoice passes the status, customer and date filters and every search word."""
    is_invoice = row.kind is InvoiceKind.INVOICE
    status = wanted.status
    if status == DRAFTS and not row.is_draft:
        return False
    if status == UNPAID and not (is_invoice and not row.is_draft and row.outstanding > 0):
        return False
    if status == OVERDUE and not row.is_overdue(today):
        return False
    if status == PAID and not (is_invoice and row.status is PaymentStatus.PAID):
        return False
    if status == CREDIT_NOTES and is_invoice:
        return False
    if wanted.customer_id is not None and row.customer_id != wanted.customer_id:
        return False
    if wanted.date_from is not None and row.invoice_date < wanted.date_from:
        return False
    if wanted.date_to is not None and row.invoice_date > wanted.date_to:
        return False
    if wanted.words:
        key = f"{row.display_number} {row.customer_name} {row.reference} {row.kind.label}"
        key = key.casefold()
        return all(word in key for word in wanted.words)
    return True


class InvoicesFilterProxy(QSortFilterProxyModel):
    """The invoices shown: status, customer, dates and search words; sorted by typed values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.wanted = InvoiceFilterChoice()
        self.today = date.today()

    def set_filter(self, wanted: InvoiceFilterChoice, today: date) -> None:
        begin_filter_change(self)
        self.wanted, self.today = wanted, today
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)[len(COLUMNS)]
        return passes(row, self.wanted, self.today)

    def invoice_at(self, proxy_row: int) -> InvoiceRow:
        model = self.sourceModel()
        assert isinstance(model, InvoicesTableModel)
        return model.invoice_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def shown(self) -> list[InvoiceRow]:
        return [self.invoice_at(n) for n in range(self.rowCount())]

    def totals(self) -> RunningTotals:
        """The running totals of the invoices shown."""
        return running_totals(self.shown(), self.today)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802
        # Typed values with blanks last (the shared key); ties by number.
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a != b:
            return bool(a < b)
        model = self.sourceModel()
        key_a = model.index(left.row(), COL_NUMBER).data(SORT_ROLE)
        key_b = model.index(right.row(), COL_NUMBER).data(SORT_ROLE)
        return bool(key_a < key_b)
