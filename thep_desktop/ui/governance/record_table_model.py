"""A governance list as a Qt table: each row a plain record, its columns read from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from thep_desktop.ui.shared.list_views import begin_filter_change, end_filter_change
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE, SORT_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex
Record = TypeVar("Record")


@dataclass(frozen=True)
class RecordColumn(Generic[Record]):
    """A column: its title and kind, and how its typed value is read from the record."""

    column: PlainColumn
    value: Callable[[Record], Any]


class RecordTableModel(PlainTableModel, Generic[Record]):
    """The shared plain table (typed cells, sorting, export), each row carrying its record
    (which has an ``id``) after the columns."""

    def __init__(self, columns: Sequence[RecordColumn[Record]], parent: Any = None) -> None:
        super().__init__([c.column for c in columns], parent=parent)
        self.record_columns = tuple(columns)

    def set_records(self, records: Iterable[Record]) -> None:
        self.set_rows([(*(c.value(r) for c in self.record_columns), r) for r in records])

    def record_at(self, source_row: int) -> Record:
        return self.row_values(source_row)[len(self.record_columns)]  # type: ignore[no-any-return]

    def records(self) -> list[Record]:
        return [self.record_at(n) for n in range(self.rowCount())]

    def row_of_id(self, record_id: int) -> int:
        for number in range(self.rowCount()):
            if self.record_at(number).id == record_id:  # type: ignore[attr-defined]
                return number
        return -1


class RecordFilterProxy(QSortFilterProxyModel, Generic[Record]):
    """The records shown: those ``accepts`` lets through; sorted by the columns' typed values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.accepts: Callable[[Record], bool] = lambda _record: True

    def set_filter(self, accepts: Callable[[Record], bool]) -> None:
        begin_filter_change(self)
        self.accepts = accepts
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        values = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return bool(self.accepts(values[-1]))

    def record_at(self, proxy_row: int) -> Record:
        model = self.sourceModel()
        assert isinstance(model, RecordTableModel)
        return model.record_at(self.mapToSource(self.index(proxy_row, 0)).row())  # type: ignore[no-any-return]

    def shown(self) -> list[Record]:
        return [self.record_at(n) for n in range(self.rowCount())]


def words_of(text: str) -> tuple[str, ...]:
    """What was typed in a search box, as the words every shown row must contain."""
    return tuple(text.casefold().split())


def has_words(words: Sequence[str], *fields: str) -> bool:
    key = " ".join(fields).casefold()
    return all(word in key for word in words)
