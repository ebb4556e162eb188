"""The list behind a dashboard figure: the records a tile or a bar counts, as at its day.

The rows come from ``services.dashboard.records_behind`` (a :class:`DrillList`); each row's
cells are shown as the service wrote them and sort by the row's typed ``sort_keys`` (a date
as a date, money as money). A search box narrows the rows, Export to Excel writes them as
shown, and a row of a school opens that school's profile.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE
from thep_desktop.ui.shared.table_export import AskPath, export_view, safe_file_stem

ModelIndex = QModelIndex | QPersistentModelIndex


def _typed(value: Any) -> bool:
    return isinstance(value, int | Decimal | date) and not isinstance(value, bool)


def _cell_kind(cell: str, key: Any) -> str:
    """What one cell holds, from its typed key and its words."""
    if isinstance(key, date) and not isinstance(key, datetime):
        return "date"
    if isinstance(key, Decimal | int) and not isinstance(key, bool):
        plain = cell.replace(",", "")
        if cell.lstrip("-").startswith("£"):
            return "money"
        if plain.lstrip("-").isdigit() and int(plain) == key:
            return "count" if "," in cell else "integer"
    return "text"


def _sort_key(value: Any) -> tuple[bool, Any]:
    """Blanks last, text without regard to case, everything else by its own order."""
    if value is None or value == "":
        return (True, "")
    if isinstance(value, str):
        return (False, value.casefold())
    if isinstance(value, datetime):
        return (False, value.timestamp())
    if isinstance(value, date):
        return (False, value.toordinal())
    if isinstance(value, bool):
        return (False, int(value))
    if isinstance(value, int | Decimal):
        return (False, value)
    return (False, str(value).casefold())


class DrillTableModel(QAbstractTableModel):
    """A :class:`DrillList`'s rows: the cells as written, sorted by their typed keys."""

    def __init__(self, drill_list: DrillList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drill_list = drill_list
        self.rows: tuple[DrillRow, ...] = drill_list.rows
        self.kinds = tuple(self._column_kind(c) for c in range(len(drill_list.columns)))

    def _column_kind(self, column: int) -> str:
        """The export's kind of a column: what its typed keys are and how its cells read
        (a sort key that only orders words, such as a status's place, leaves it text)."""
        kinds = set()
        for row in self.rows:
            cell = row.cells[column]
            if not cell:
                continue
            kinds.add(_cell_kind(cell, self._key(row, column)))
        if kinds and kinds <= {"integer", "count"}:
            return "count" if "count" in kinds else "integer"
        return kinds.pop() if len(kinds) == 1 else "text"

    @staticmethod
    def _key(row: DrillRow, column: int) -> Any:
        return row.sort_keys[column] if column < len(row.sort_keys) else row.cells[column]

    def _value(self, row: DrillRow, column: int) -> Any:
        """The typed value File > Export writes: the sort key where it is one, else the text."""
        if not row.cells[column]:
            return None  # blank as shown, whatever orders it
        kind = self.kinds[column]
        key = self._key(row, column)
        if kind == "money" and isinstance(key, int | Decimal):
            return Decimal(key)
        if kind in ("date", "integer", "count") and _typed(key):
            return key
        return row.cells[column] or None

    def row_values(self, row: int) -> tuple[Any, ...]:
        drill_row = self.rows[row]
        return tuple(self._value(drill_row, c) for c in range(self.columnCount()))

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.drill_list.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = row.cells[column]
            return text if len(text) > 40 else None
        if role == SORT_ROLE:
            return _sort_key(self._key(row, column))
        if role == VALUE_ROLE:
            return self._value(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and self.kinds[column] in (
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
        if role == Qt.ItemDataRole.DisplayRole:
            return self.drill_list.columns[section]
        if role == KIND_ROLE:
            return self.kinds[section]
        return None


class _SortByKey(QSortFilterProxyModel):
    """Sorts by the model's sort keys (tuples Qt cannot compare itself)."""

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802
        a = self.sourceModel().data(left, SORT_ROLE)
        b = self.sourceModel().data(right, SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:  # a number beside a word in one column: compare as text
            return str(a) < str(b)


def open_school(services: Services, urn: int, parent: QWidget) -> None:
    """The school's profile window, beside the list."""
    from thep_desktop.ui.schools.school_profile_window import open_school_profile

    open_school_profile(services, urn, parent)


class RecordsBehindDialog(QDialog):
    """The records behind one figure, with a search box, sorting, and Export to Excel."""

    def __init__(
        self,
        services: Services,
        drill_list: DrillList,
        as_at: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.drill_list = drill_list
        self.as_at = as_at
        # Where Export asks for a file name (tests answer it).
        self.ask_save_path: AskPath = QFileDialog.getSaveFileName
        self.open_profile: Callable[[Services, int, QWidget], None] = open_school
        self.export_job: Any = None
        self.setObjectName("records_behind_dialog")
        self.title = f"{drill_list.title} as at {format_date(as_at)}"
        self.setWindowTitle(self.title)
        self.resize(900, 560)

        heading = QLabel(f"<b>{_escape(drill_list.title)}</b> as at {format_date(as_at)}")
        heading.setObjectName("drill_heading")
        heading.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("drill_count")
        self.search = QLineEdit()
        self.search.setObjectName("drill_search")
        self.search.setPlaceholderText("Search these records (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Shows only the rows with these words in any column")

        self.model = DrillTableModel(drill_list, self)
        self.proxy = _SortByKey(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = list_view("drill_table", self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        # Activated: a double click, or Enter on the current row (once each, not both).
        self.table.activated.connect(self._open_row)
        if any(row.urn is not None for row in drill_list.rows):
            self.table.setToolTip("Double-click a school, or press Enter, to open its profile")

        self.export_button = QPushButton("E&xport to Excel…")
        self.export_button.setObjectName("drill_export")
        self.export_button.setToolTip("Save the rows shown to an Excel workbook (Ctrl+E)")
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.setObjectName("drill_close")
        close.clicked.connect(self.reject)
        close.setAutoDefault(False)
        self.export_button.setAutoDefault(False)

        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export)

        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self._filter)
        self._show_count()
        self.table.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_count()

    def _show_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        noun = "record" if total == 1 else "records"
        if not total:
            self.count_label.setText("No records.")
        elif shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun} shown")

    def _open_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.proxy.data(index, ROW_ROLE)
        if isinstance(row, DrillRow) and row.urn is not None:
            self.open_profile(self.services, row.urn, self)

    def export(self) -> None:
        """The rows as shown (searched, sorted) to an Excel workbook or CSV file."""
        search = self.search.text().strip()
        subtitle = f"As at {format_date(self.as_at)}"
        if search:
            subtitle += f"; search “{search}”"
        name = f"{safe_file_stem(self.drill_list.title)} {self.as_at.isoformat()}.xlsx"
        self.export_job = export_view(
            self,
            self.table,
            self.drill_list.title,
            subtitle,
            name,
            source="Dashboard",
            ask_path=self.ask_save_path,
        )


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
