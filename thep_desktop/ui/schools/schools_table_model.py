"""The schools register as a Qt table: a model over plain ``SchoolRow`` records, and its filter.

Built for a register of tens of thousands of rows (all of England's schools after a GIAS
import): the model keeps plain rows, each with a precomputed search key, and sorts in
Python with key functions; the filter proxy decides which rows pass in one pass of Python
over those keys, and Qt only asks it a yes/no per row. Qt's own sorting would call back into
Python for every comparison, which is far too slow at 25,000 rows, so the proxy hands
sorting to the model (``QAbstractItemModel.sort``) and keeps the model's order.
"""

from __future__ import annotations

from collections.abc import Iterable
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

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.reports.schools.schools_table import (  # noqa: F401 - the columns are the table's
    COL_CONCERN,
    COL_DFE,
    COL_HEAD,
    COL_LINK,
    COL_MEMBERSHIP,
    COL_NAME,
    COL_OFSTED,
    COL_PHASE,
    COL_POSTCODE,
    COL_PUPILS,
    COL_STATUS,
    COL_TRUST,
    COL_TYPE,
    COL_URN,
    COLUMNS,
    Column,
    search_key,
)
from thep_desktop.services.schools.schools_service import SchoolRow
from thep_desktop.ui.shared.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE

_GREY = QBrush(QColor("#8a8a8a"))
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_OTHER_ROLES = frozenset({_FOREGROUND, _TOOLTIP, int(SORT_ROLE), int(ROW_ROLE), int(VALUE_ROLE)})
_CONCERN = QBrush(QColor("#b00020"))

ModelIndex = QModelIndex | QPersistentModelIndex


class SchoolsTableModel(QAbstractTableModel):
    """Read-only rows of the register; editing happens in the school dialog via the service.

    The model holds every school, in the order the user sorted them, and shows the ones that
    pass the current filter. A change of filter replaces the shown rows in two signals
    (all rows out, the matching rows in) instead of thousands of ranges.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[SchoolRow] = []
        self._keys: list[str] = []  # search_key of each row, in the same order
        self._filter = SchoolFilter()
        self._visible: list[int] | None = None  # positions in _all shown; None: all

    # -- our API ---------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[SchoolRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._keys = [search_key(r) for r in self._all]
        self._visible = _matching(self._filter, self._all, self._keys, None)
        self.endResetModel()

    def rows(self) -> list[SchoolRow]:
        """Every school in the register, shown or not."""
        return self._all

    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, source_row: int) -> SchoolRow:
        """The school on a shown row."""
        return self._all[self._shown(source_row)]

    def search_keys(self) -> list[str]:
        """What the search matches for every school, in the order of :meth:`rows`."""
        return self._keys

    def row_values(self, source_row: int) -> tuple[Any, ...]:
        """Every column's typed value (``VALUE_ROLE``) in one call, for a fast export."""
        row = self.row_at(source_row)
        return tuple(column.typed(row) for column in COLUMNS)

    def row_of_id(self, school_id: int) -> int:
        """The shown row of a school, or -1 when it is filtered out or not in the register."""
        position = self._position_of_id(school_id)
        if position < 0 or self._visible is None:
            return position
        try:
            return self._visible.index(position)
        except ValueError:
            return -1

    @property
    def current_filter(self) -> SchoolFilter:
        return self._filter

    def set_filter(self, new: SchoolFilter) -> None:
        previous = self._filter
        if new == previous:
            return
        self._filter = new
        # Typing one more letter only ever narrows: then look only at what passed before.
        among = self._visible if new.narrows(previous) else None
        self._show(_matching(new, self._all, self._keys, among))

    def refilter(self) -> None:
        """Apply the filter again after schools were added or changed."""
        self._show(_matching(self._filter, self._all, self._keys, None))

    def replace_row(self, row: SchoolRow) -> bool:
        """Put a changed school in place; returns False if it is not in the register."""
        position = self._position_of_id(row.id)
        if position < 0:
            return False
        self._all[position] = row
        self._keys[position] = search_key(row)
        shown = self.row_of_id(row.id)
        if shown >= 0:
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(COLUMNS) - 1))
        return True

    def add_row(self, row: SchoolRow) -> None:
        """Add a school to the register; call :meth:`refilter` to show it if it passes."""
        self._all.append(row)
        self._keys.append(search_key(row))
        if self._visible is None:
            position = len(self._all) - 1
            self.beginInsertRows(QModelIndex(), position, position)
            self.endInsertRows()

    def remove_id(self, school_id: int) -> None:
        position = self._position_of_id(school_id)
        if position < 0:
            return
        shown = self.row_of_id(school_id)
        if shown >= 0:
            self.beginRemoveRows(QModelIndex(), shown, shown)
        del self._all[position]
        del self._keys[position]
        if self._visible is not None:
            self._visible = [p if p < position else p - 1 for p in self._visible if p != position]
        if shown >= 0:
            self.endRemoveRows()

    # -- inside ----------------------------------------------------------------------------
    def _shown(self, source_row: int) -> int:
        return source_row if self._visible is None else self._visible[source_row]

    def _position_of_id(self, school_id: int) -> int:
        for number, row in enumerate(self._all):
            if row.id == school_id:
                return number
        return -1

    def _show(self, visible: list[int] | None) -> None:
        if visible == self._visible:
            return
        old_count = self.rowCount()
        if old_count:
            self.beginRemoveRows(QModelIndex(), 0, old_count - 1)
            self._visible = []
            self.endRemoveRows()
        self._visible = []
        new_count = len(self._all) if visible is None else len(visible)
        if new_count:
            self.beginInsertRows(QModelIndex(), 0, new_count - 1)
            self._visible = visible
            self.endInsertRows()
        else:
            self._visible = visible

    # -- Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._all) if self._visible is None else len(self._visible)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cell(self._all[self._shown(index.row())], index.column(), role)

    def multiData(self, index: ModelIndex, roleDataSpan: Any) -> None:  # noqa: N802, N803
        # Qt's item delegate asks for nine roles of each cell it paints; answering them in
        # one call instead of nine is most of the cost of painting the table.
        if not index.isValid():
            return
        row = self._all[self._shown(index.row())]
        number = index.column()
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(COLUMNS[number].display(row))
            elif role == _ALIGNMENT:
                role_data.setData(_RIGHT if COLUMNS[number].numeric else _LEFT)
            else:
                # Every role asked must be answered: Qt reuses the request for the next cell,
                # so a role left alone would keep that cell's colour.
                value = self._cell(row, number, role) if role in _OTHER_ROLES else None
                if value is None:
                    role_data.clearData()
                else:
                    role_data.setData(value)

    def _cell(self, row: SchoolRow, column_number: int, role: int) -> Any:
        column = COLUMNS[column_number]
        if role == _DISPLAY:
            return column.display(row)
        if role == _ALIGNMENT:
            return _RIGHT if column.numeric else _LEFT
        if role == _FOREGROUND:
            if row.causing_concern and column_number in (COL_NAME, COL_CONCERN):
                return _CONCERN
            if row.status == SchoolStatus.CLOSED:
                return _GREY
            return None
        if role == SORT_ROLE:
            return column.sort_key(row) if column.numeric else column.display(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == VALUE_ROLE:
            return column.typed(row)
        if role == _TOOLTIP:
            if column_number == COL_MEMBERSHIP and row.membership:
                return row.membership  # "Full member, leaving 02/03/2027" is wider than the column
            if row.status == SchoolStatus.CLOSED:
                return f"{row.name} is closed"
            if row.close_date is not None:  # a closure still to come
                return f"{row.name} closes on {format_date(row.close_date)}"
            if row.causing_concern:
                return f"{row.name} is a school causing concern"
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
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the schools by ``column`` (ties broken by name, then URN).

        Schools with nothing in the column go last both ways: sorting pupils from most to
        fewest still ends with the schools whose number is not known.
        """
        if not 0 <= column < len(COLUMNS):
            return
        spec = COLUMNS[column]
        name_key = COLUMNS[COL_NAME].sort_key
        self.layoutAboutToBeChanged.emit()
        shown_ids = [self.row_at(r).id for r in range(self.rowCount())]
        old_positions = {row.id: number for number, row in enumerate(self._all)}
        # Sorting twice (stable) puts the tie-breakers in ascending order whatever the order.
        by_name = sorted(self._all, key=lambda r: (name_key(r), r.urn))
        rows, blank = by_name, []
        if spec.blanks_last:
            display = spec.display
            rows = []
            for row in by_name:
                (blank if display(row) == "" else rows).append(row)
        rows.sort(key=spec.sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        rows += blank
        self._keys = [self._keys[old_positions[r.id]] for r in rows]
        self._all = rows
        if self._visible is not None:
            # The same schools stay shown, in the new order.
            passing = set(shown_ids)
            self._visible = [n for n, r in enumerate(rows) if r.id in passing]
        persistent = self.persistentIndexList()
        if persistent:
            new_row = {self.row_at(r).id: r for r in range(self.rowCount())}
            self.changePersistentIndexList(
                persistent,
                [
                    self.index(new_row[shown_ids[p.row()]], p.column())
                    if p.isValid()
                    else QModelIndex()
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


def _matching(
    f: SchoolFilter, rows: list[SchoolRow], keys: list[str], among: list[int] | None
) -> list[int] | None:
    """Positions of the rows that pass ``f`` (looking only at ``among`` if given); None: all."""
    if f.is_empty:
        return None
    passing: Iterable[int] = range(len(rows)) if among is None else among
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
    return list(passing)


class SchoolsFilterProxy(QSortFilterProxyModel):
    """The table's view of the register: the model filters and sorts, in Python, at speed.

    Qt's own filtering would ask Python about each of 25,000 rows on every keystroke, and
    its own sorting would call back for every comparison; so this proxy passes the filter
    and the sort to the model and shows the model's rows as they are.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 - Qt's name
        assert isinstance(model, SchoolsTableModel)
        self._model = model
        super().setSourceModel(model)

    @property
    def current_filter(self) -> SchoolFilter:
        return self._model.current_filter

    def set_filter(self, new: SchoolFilter) -> None:
        self._model.set_filter(new)

    def refilter(self) -> None:
        self._model.refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The model sorts (fast, in Python); this proxy keeps the model's order.
        self._model.sort(column, order)

    def row_at(self, proxy_row: int) -> SchoolRow:
        return self._model.row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def multiData(self, index: ModelIndex, roleDataSpan: Any) -> None:  # noqa: N802, N803
        # Qt's proxy answers each of a painted cell's nine roles with a separate call into
        # Python; passing the whole request to the model makes it one.
        self._model.multiData(self.mapToSource(index), roleDataSpan)
