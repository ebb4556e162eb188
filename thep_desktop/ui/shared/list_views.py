"""The table a list window shows its records in: whole rows, one at a time, never edited."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView


def list_view(
    name: str,
    model: QAbstractItemModel,
    *,
    sort_column: int | None = None,
    alternating: bool = True,
) -> QTableView:
    """A read-only table of ``model``: one whole row selected at a time, no row numbers.

    ``sort_column``: sortable by a click on a heading, sorted by this column to start with.
    """
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    if sort_column is not None:
        table.setSortingEnabled(True)
        table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternating)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    return table


def begin_filter_change(proxy: QSortFilterProxyModel) -> None:
    """Before a proxy's own filter changes (Qt 6.10 asks to be told; earlier Qt does not)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()


def end_filter_change(proxy: QSortFilterProxyModel) -> None:
    """After a proxy's own filter changed: its rows are filtered again."""
    if hasattr(proxy, "endFilterChange"):
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:  # pragma: no cover - older Qt
        proxy.invalidateFilter()
