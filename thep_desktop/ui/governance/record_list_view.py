"""What the Meetings and Actions views share: a filter bar, a toolbar, a sortable table of
records, its count, the selection kept across reloads, Enter and Delete on the table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.ui.governance.record_table_model import RecordFilterProxy, RecordTableModel
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.tab_actions import CLEAR_AND_SELECT_ROWS, SELECT_ROWS

ALL_BODIES = "All bodies"


class RecordListView(QWidget):
    """A list of records with its filters above; ``open_requested`` on Enter or double-click,
    ``delete_requested`` on the Delete key, ``selection_changed`` as the selection moves."""

    open_requested = Signal()
    delete_requested = Signal()
    selection_changed = Signal()
    shown_changed = Signal()  # the filters changed what is shown

    def __init__(
        self,
        name: str,
        noun: tuple[str, str],
        model: RecordTableModel[Any],
        sort_column: int,
        parent: QWidget | None = None,
        *,
        descending: bool = False,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.model = model
        self.proxy: RecordFilterProxy[Any] = RecordFilterProxy(self)
        self.proxy.setSourceModel(model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.filter_bar = QHBoxLayout()
        layout.addLayout(self.filter_bar)
        self.toolbar = QToolBar(name)
        self.toolbar.setObjectName(f"{name}_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.body, 1)
        self.table = list_view(f"{name}_table", self.proxy, sort_column=sort_column)
        if descending:
            self.table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.body.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName(f"{name}_count_label")
        self.context_actions: list[QAction | None] = []  # None: a separator
        self.context_menu: QMenu | None = None
        self.search = QLineEdit()
        self.search.setObjectName(f"{name}_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self.selection_changed.emit()
        )
        self.table.doubleClicked.connect(lambda _index: self.open_requested.emit())
        self.table.customContextMenuRequested.connect(self._popup_menu)
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key, widget, signal in (
            (Qt.Key.Key_Return, self.table, self.open_requested),
            (Qt.Key.Key_Enter, self.table, self.open_requested),
            (Qt.Key.Key_Delete, self.table, self.delete_requested),
        ):
            QShortcut(QKeySequence(key), widget, activated=signal.emit, context=only_here)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self.search, activated=self.search.clear,
            context=only_here,
        )  # fmt: skip
        self.search.textChanged.connect(lambda _t: self.apply_filter())

    def add_filter(self, caption: str, widget: QWidget) -> None:
        label = QLabel(caption)
        label.setBuddy(widget)
        self.filter_bar.addWidget(label)
        self.filter_bar.addWidget(widget)

    def finish_filter_bar(self, placeholder: str) -> None:
        """The search box and the count end the bar."""
        self.search.setPlaceholderText(placeholder)
        self.filter_bar.addWidget(self.search, 2)
        self.filter_bar.addWidget(self.count_label)

    # -- what the view lists ----------------------------------------------------------------
    def accepts(self) -> Callable[[Any], bool]:
        """What the filters let through (a view overrides it)."""
        return lambda _record: True

    def apply_filter(self) -> None:
        chosen = self.selected_ids()
        self.proxy.set_filter(self.accepts())
        self.select_ids(chosen)
        self._count()
        self.shown_changed.emit()

    def set_records(self, records: Sequence[Any]) -> None:
        chosen = self.selected_ids()
        self.model.set_records(records)
        self.proxy.set_filter(self.accepts())
        self.table.resizeColumnsToContents()
        self.select_ids(chosen)
        self._count()

    def fit_columns(self, widest: dict[int, int]) -> None:
        for column, width in widest.items():
            if self.table.columnWidth(column) > width:
                self.table.setColumnWidth(column, width)

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        one, many = self.noun
        noun = one if total == 1 else many
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown"
        )

    # -- selection --------------------------------------------------------------------------
    def selected(self) -> list[Any]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.proxy.record_at(r) for r in rows]

    def selected_ids(self) -> list[int]:
        return [r.id for r in self.selected()]

    def is_shown(self, record_id: int) -> bool:
        source_row = self.model.row_of_id(record_id)
        return (
            source_row >= 0 and self.proxy.mapFromSource(self.model.index(source_row, 0)).isValid()
        )

    def select_ids(self, ids: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for number, record_id in enumerate(i for i in ids if self.is_shown(i)):
            index = self.proxy.mapFromSource(self.model.index(self.model.row_of_id(record_id), 0))
            if number == 0:
                selection.setCurrentIndex(index, CLEAR_AND_SELECT_ROWS)
                self.table.scrollTo(index)
            else:
                selection.select(index, SELECT_ROWS)

    def _popup_menu(self, position: QPoint) -> None:
        """Right-click on a row: the row is selected, then what can be done with it."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        selection = self.table.selectionModel()
        if not selection.isRowSelected(index.row(), index.parent()):
            selection.setCurrentIndex(index, CLEAR_AND_SELECT_ROWS)
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        menu = self.context_menu = QMenu(self)
        menu.setObjectName(f"{self.table.objectName()}_menu")
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))


def body_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setMinimumWidth(200)
    combo.addItem(ALL_BODIES, None)
    return combo


def refill(combo: QComboBox, choices: Sequence[tuple[str, Any]], first: str) -> None:
    """Fill a filter's choices (``first`` meaning any), keeping the one chosen when it is
    still there, without telling anyone: the caller filters once afterwards."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for text, value in choices:
        combo.addItem(text, value)
    found = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)
