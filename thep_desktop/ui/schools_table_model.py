"""The schools register as a Qt table: a model over plain ``SchoolRow`` records, and its filter.

Built for a register of tens of thousands of rows (all of England's schools after a GIAS
import): the model keeps plain rows, each with a precomputed search key, and sorts in
Python with key functions; the filter proxy decides which rows pass in one pass of Python
over those keys, and Qt only asks it a yes/no per row. Qt's own sorting would call back into
Python for every comparison, which is far too slow at 25,000 rows, so the proxy hands
sorting to the model (``QAbstractItemModel.sort``) and keeps the model's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from thep_desktop.models import SchoolStatus
from thep_desktop.services.schools_service import SchoolRow
from thep_desktop.ui.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE

_GREY = QBrush(QColor("#8a8a8a"))
_CONCERN = QBrush(QColor("#b00020"))

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    display: Callable[[SchoolRow], str]
    sort_key: Callable[[SchoolRow], Any]
    numeric: bool = False
    tooltip: str = ""
    kind: str = "text"  # one of KINDS: how File > Export types the column's cells
    value: Callable[[SchoolRow], Any] | None = None  # the typed value; None: the display text

    def typed(self, row: SchoolRow) -> Any:
        return self.display(row) if self.value is None else self.value(row)


def _text_key(value: str) -> tuple[bool, str]:
    # Blanks sort last in ascending order, as an office user expects.
    return (not value, value.casefold())


def _number_key(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


COLUMNS: tuple[Column, ...] = (
    Column(
        "URN", lambda r: str(r.urn), lambda r: r.urn, True, kind="integer", value=lambda r: r.urn
    ),
    Column(
        "DfE number",
        lambda r: r.laestab,
        lambda r: _text_key(r.laestab),
        tooltip="LA code / establishment number",
    ),
    Column("School", lambda r: r.name, lambda r: _text_key(r.name)),
    Column("Phase", lambda r: r.phase, lambda r: _text_key(r.phase)),
    Column("Type", lambda r: r.establishment_type, lambda r: _text_key(r.establishment_type)),
    Column("Status", lambda r: r.status.label, lambda r: r.status.label),
    Column("Postcode", lambda r: r.postcode, lambda r: _text_key(r.postcode)),
    Column(
        "Pupils",
        lambda r: "" if r.pupils_on_roll is None else f"{r.pupils_on_roll:,}",
        lambda r: _number_key(r.pupils_on_roll),
        numeric=True,
        kind="integer",
        value=lambda r: r.pupils_on_roll,
    ),
    Column("Trust", lambda r: r.trust, lambda r: _text_key(r.trust)),
    Column("Head teacher", lambda r: r.head_teacher, lambda r: _text_key(r.head_teacher)),
    Column("Link officer", lambda r: r.link_officer, lambda r: _text_key(r.link_officer)),
    Column("Ofsted", lambda r: r.ofsted_grade, lambda r: _text_key(r.ofsted_grade)),
    Column(
        "Concern",
        lambda r: "Yes" if r.causing_concern else "",
        lambda r: not r.causing_concern,
        tooltip="School causing concern",
        kind="bool",
        value=lambda r: r.causing_concern,
    ),
)
COL_URN, COL_DFE, COL_NAME, COL_PHASE, COL_TYPE, COL_STATUS, COL_POSTCODE, COL_PUPILS = range(8)
COL_TRUST, COL_HEAD, COL_LINK, COL_OFSTED, COL_CONCERN = range(8, 13)


def search_key(row: SchoolRow) -> str:
    """What the search box matches: name, URN, postcode with and without its space."""
    return f"{row.name} {row.urn} {row.postcode} {row.postcode.replace(' ', '')}".casefold()


class SchoolsTableModel(QAbstractTableModel):
    """Read-only rows of the register; editing happens in the school dialog via the service."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SchoolRow] = []
        self._keys: list[str] = []  # search_key of each row, in the same order

    # -- our API ---------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[SchoolRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = [search_key(r) for r in self._rows]
        self.endResetModel()

    def rows(self) -> list[SchoolRow]:
        return self._rows

    def row_at(self, source_row: int) -> SchoolRow:
        return self._rows[source_row]

    def search_keys(self) -> list[str]:
        """What the search matches for each row, in the rows' order."""
        return self._keys

    def row_values(self, source_row: int) -> tuple[Any, ...]:
        """Every column's typed value (``VALUE_ROLE``) in one call, for a fast export."""
        row = self._rows[source_row]
        return tuple(column.typed(row) for column in COLUMNS)

    def row_of_id(self, school_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.id == school_id:
                return number
        return -1

    def replace_row(self, row: SchoolRow) -> bool:
        """Show a changed school in place; returns False if it is not in the table."""
        number = self.row_of_id(row.id)
        if number < 0:
            return False
        self._rows[number] = row
        self._keys[number] = search_key(row)
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        return True

    def add_row(self, row: SchoolRow) -> None:
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(row)
        self._keys.append(search_key(row))
        self.endInsertRows()

    def remove_id(self, school_id: int) -> None:
        number = self.row_of_id(school_id)
        if number < 0:
            return
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        del self._keys[number]
        self.endRemoveRows()

    # -- Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == SORT_ROLE:
            return column.sort_key(row) if column.numeric else column.display(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == VALUE_ROLE:
            return column.typed(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.causing_concern and index.column() in (COL_NAME, COL_CONCERN):
                return _CONCERN
            if row.status == SchoolStatus.CLOSED:
                return _GREY
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.status == SchoolStatus.CLOSED:
                return f"{row.name} is closed"
            if row.causing_concern:
                return f"{row.name} is a school causing concern"
            return None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tooltip or None
        if role == KIND_ROLE:
            return COLUMNS[section].kind
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by ``column`` (ties broken by name, then URN)."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort_key
        name_key = COLUMNS[COL_NAME].sort_key
        self.layoutAboutToBeChanged.emit()
        old_positions = {row.id: number for number, row in enumerate(self._rows)}
        # Sorting twice (stable) puts the tie-breakers in ascending order whatever the order.
        rows = sorted(self._rows, key=lambda r: (name_key(r), r.urn))
        rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        moved_from = [old_positions[r.id] for r in rows]
        self._rows = rows
        self._keys = [self._keys[old] for old in moved_from]
        persistent = self.persistentIndexList()
        if persistent:
            old_to_new = {old: new for new, old in enumerate(moved_from)}
            self.changePersistentIndexList(
                persistent,
                [
                    self.index(old_to_new[p.row()], p.column()) if p.isValid() else QModelIndex()
                    for p in persistent
                ],
            )
        self.layoutChanged.emit()


ANY = ""


@dataclass(frozen=True)
class SchoolFilter:
    """What the user asked to see: search words and the quick filters ("" means any)."""

    text: str = ""
    phase: str = ANY
    establishment_type: str = ANY
    status: str = ANY  # a SchoolStatus value, or "current" for open and proposed

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phase or self.establishment_type or self.status)

    def narrows(self, previous: SchoolFilter) -> bool:
        """True when everything this filter passes, ``previous`` passed too."""
        return (
            self.phase == previous.phase
            and self.establishment_type == previous.establishment_type
            and self.status == previous.status
            and all(any(old in new for new in self.words) for old in previous.words)
        )


CURRENT = "current"


class SchoolsFilterProxy(QSortFilterProxyModel):
    """Filters the register by search words and quick filters; sorting is the model's."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = SchoolFilter()
        # Whether each row of the model (in its current order) passes; None: every row does.
        self._flags: list[bool] | None = None
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 - Qt's name
        assert isinstance(model, SchoolsTableModel)
        self._model = model
        # Connected before Qt's own handlers, so the flags match the rows when Qt reads them.
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
        ):
            signal.connect(self._recompute)
        super().setSourceModel(model)

    @property
    def current_filter(self) -> SchoolFilter:
        return self._filter

    def set_filter(self, new: SchoolFilter) -> None:
        previous = self._filter
        if new == previous:
            return
        self._begin_filter_change()
        self._filter = new
        # Typing one more letter only ever narrows: then look only at what passed before.
        narrowing = self._flags is not None and new.narrows(previous)
        self._flags = self._matching(new, self._flags if narrowing else None)
        self._end_filter_change()

    def refilter(self) -> None:
        """Apply the filter again after rows were added or changed."""
        self._begin_filter_change()
        self._recompute()
        self._end_filter_change()

    def _recompute(self, *_args: object) -> None:
        self._flags = self._matching(self._filter, None)

    def _matching(self, f: SchoolFilter, among: list[bool] | None) -> list[bool] | None:
        if f.is_empty:
            return None
        rows = self._model.rows()
        keys = self._model.search_keys()
        if among is None:
            passing: Iterable[int] = range(len(rows))
        else:
            passing = [i for i, passed in enumerate(among) if passed]
        if f.phase:
            passing = [i for i in passing if rows[i].phase == f.phase]
        if f.establishment_type:
            passing = [i for i in passing if rows[i].establishment_type == f.establishment_type]
        if f.status == CURRENT:
            passing = [i for i in passing if rows[i].status != SchoolStatus.CLOSED]
        elif f.status:
            passing = [i for i in passing if rows[i].status == f.status]
        for word in f.words:
            passing = [i for i in passing if word in keys[i]]
        flags = [False] * len(rows)
        for i in passing:
            flags[i] = True
        return flags

    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.invalidateRowsFilter()

    # -- Qt overrides ------------------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        flags = self._flags
        return flags is None or (source_row < len(flags) and flags[source_row])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The model sorts (fast, in Python); this proxy keeps the model's order.
        self._model.sort(column, order)

    def row_at(self, proxy_row: int) -> SchoolRow:
        return self._model.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
