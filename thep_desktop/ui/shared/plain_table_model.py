"""A read-only table of plain rows (tuples of typed values), for lists that are not records.

Import previews, rejection reports and similar lists show through this one model: each
column has a title and a kind ("text", "integer", "date", "money", "bool"), cells are shown
the office's way (dd/mm/yyyy, £1,234.50, thousands separators) and sort by their typed value,
and the model answers the shared roles so File > Export writes typed cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from thep_desktop.domain.dates import format_date
from thep_desktop.ui.shared.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PlainColumn:
    title: str
    kind: str = "text"
    tooltip: str = ""


def display_value(value: Any, kind: str) -> str:
    """How a typed value reads in a table cell."""
    if value is None or value == "":
        return ""
    if kind == "date" and isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"  # a moment (an audit event), in this computer's time
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    if kind == "money" and isinstance(value, Decimal):
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(value):,.2f}"
    if kind == "count" and isinstance(value, int):
        return f"{value:,}"
    if kind == "bool":
        return "Yes" if value else ""
    return str(value)


def _sort_key(value: Any) -> tuple[bool, Any]:
    # Blanks last; text without regard to case.
    if value is None or value == "":
        return (True, "")
    if isinstance(value, str):
        return (False, value.casefold())
    return (False, value)


class PlainTableModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[PlainColumn],
        rows: Sequence[Sequence[Any]] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[tuple[Any, ...]] = [tuple(r) for r in rows]

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self.endResetModel()

    def row_values(self, row: int) -> tuple[Any, ...]:
        return self._rows[row]

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(value, column.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display_value(value, column.kind)
            return text if len(text) > 40 else None
        if role == VALUE_ROLE:
            return value
        if role == SORT_ROLE:
            return _sort_key(value)
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in (
            "integer",
            "count",
            "money",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip
        if role == KIND_ROLE:
            return column.kind
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_rows(self, self._rows, lambda row: _sort_key(row[column]), order)


def sort_rows(
    model: QAbstractTableModel,
    rows: list[Any],
    key: Callable[[Any], Any],
    order: Qt.SortOrder,
) -> None:
    """Sort a model's own ``rows`` in place by ``key``, keeping selections on their rows."""
    model.layoutAboutToBeChanged.emit()
    order_of = sorted(
        range(len(rows)),
        key=lambda i: key(rows[i]),
        reverse=order == Qt.SortOrder.DescendingOrder,
    )
    new_row = {old: new for new, old in enumerate(order_of)}
    rows[:] = [rows[i] for i in order_of]
    persistent = model.persistentIndexList()
    model.changePersistentIndexList(
        persistent, [model.index(new_row[i.row()], i.column()) for i in persistent]
    )
    model.layoutChanged.emit()
