"""The open invoices of a customer with an "Apply" amount to type against each: a payment's
allocation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from thep_desktop.services.invoices.invoice_data import InvoiceRow
from thep_desktop.ui.invoices.money_dialog_parts import parse_money
from thep_desktop.ui.shared.plain_table_model import display_value
from thep_desktop.ui.shared.roles import KIND_ROLE, VALUE_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex
ZERO = Decimal("0.00")
HEADERS = (("Invoice", "text"), ("Date", "date"), ("Due", "date"), ("Total", "money"))
HEADERS += (("Owes", "money"), ("Apply", "money"))
APPLY = 5


class AllocationModel(QAbstractTableModel):
    """One row per open invoice; the Apply column is typed into (blank means nothing)."""

    applied_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.invoices: list[InvoiceRow] = []
        self._apply: list[str] = []

    def set_invoices(self, invoices: list[InvoiceRow]) -> None:
        self.beginResetModel()
        self.invoices = list(invoices)
        self._apply = [""] * len(self.invoices)
        self.endResetModel()
        self.applied_changed.emit()

    def set_applied(self, amounts: dict[int, Decimal]) -> None:
        """Fill the Apply column (an invoice not named gets nothing)."""
        self._apply = [f"{amounts[i.id]:.2f}" if amounts.get(i.id) else "" for i in self.invoices]
        if self.invoices:
            self.dataChanged.emit(self.index(0, APPLY), self.index(len(self.invoices) - 1, APPLY))
        self.applied_changed.emit()

    def applied(self) -> tuple[tuple[int, Decimal], ...] | None:
        """(invoice id, amount) typed against each; None when one is not a sum of money."""
        found = []
        for invoice, text in zip(self.invoices, self._apply, strict=True):
            amount = parse_money(text)
            if amount is None:
                return None
            if amount != ZERO:
                found.append((invoice.id, amount))
        return tuple(found)

    def bad_rows(self) -> list[str]:
        return [
            i.display_number
            for i, text in zip(self.invoices, self._apply, strict=True)
            if parse_money(text) is None
        ]

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.invoices)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def _value(self, row: int, column: int) -> Any:
        invoice = self.invoices[row]
        if column == APPLY:
            return parse_money(self._apply[row])
        return (
            invoice.display_number,
            invoice.invoice_date,
            invoice.due_date,
            invoice.total,
            invoice.outstanding,
        )[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == APPLY:
                amount = parse_money(self._apply[row])
                if amount is None:
                    return self._apply[row]
                return display_value(amount, "money") if amount else ""
            return display_value(self._value(row, column), HEADERS[column][1])
        if role == Qt.ItemDataRole.EditRole and column == APPLY:
            return self._apply[row]
        if role == VALUE_ROLE:
            return self._value(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == APPLY:
            if parse_money(self._apply[row]) is None:
                return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole and column == APPLY:
            return "How much of the payment to set against this invoice"
        if role == Qt.ItemDataRole.TextAlignmentRole and HEADERS[column][1] == "money":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != APPLY or role != Qt.ItemDataRole.EditRole:
            return False
        self._apply[index.row()] = str(value).strip()
        self.dataChanged.emit(index, index)
        self.applied_changed.emit()
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == APPLY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section][0]
        if role == KIND_ROLE:
            return HEADERS[section][1]
        return None
