"""The Synchronise window: what goes to the office, what comes back, and each conflict resolved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.offline.offline_data import (
    WHOLE_RECORD,
    Choice,
    Conflict,
    ConflictKind,
    RecordChange,
    Resolutions,
    SyncPlan,
)
from thep_desktop.services.offline.offline_rows import table_words
from thep_desktop.services.offline.offline_values import value_words
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel, sort_rows

ModelIndex = QModelIndex | QPersistentModelIndex
TO_CHOOSE = "— choose —"
KEEP_WORDS = {Choice.MINE: "Mine", Choice.THEIRS: "Theirs"}
WARNING_STYLE = (
    "background: #fff4ce; border: 1px solid #e0c060; padding: 6px; color: #4a3b00; "
    "font-weight: bold;"
)
_CHOOSE_BRUSH = QBrush(QColor("#fdecef"))
_WHOLE_WORDS = {
    # (what this copy did, what the office did) for a record deleted on one side.
    ConflictKind.DELETED_HERE: ("Deleted", "Kept, and changed"),
    ConflictKind.DELETED_AT_OFFICE: ("Kept, and changed", "Deleted"),
}


@dataclass(frozen=True)
class ConflictRow:
    """One line of the conflicts table: a field of a conflict, or a whole deleted record."""

    key: tuple[str, str, str]
    record: str
    field: str
    original: str
    mine: str
    theirs: str
    about: str


def conflict_rows(conflicts: Sequence[Conflict], labels: Mapping[str, str]) -> list[ConflictRow]:
    rows = []
    for conflict in conflicts:
        record = f"{table_words(conflict.table).capitalize()} “{conflict.label}”"
        if conflict.whole_record:
            mine, theirs = _WHOLE_WORDS[conflict.kind]
            rows.append(
                ConflictRow(
                    (conflict.table, conflict.uuid, WHOLE_RECORD),
                    record,
                    "Whole record",
                    "As it was",
                    mine,
                    theirs,
                    conflict.words,
                )
            )
            continue
        for found in conflict.fields:
            table, name = conflict.table, found.name

            def say(value: Any, table: str = table, name: str = name) -> str:
                return value_words(table, name, value, labels)

            rows.append(
                ConflictRow(
                    (conflict.table, conflict.uuid, found.name),
                    record,
                    found.name.removesuffix("_id").replace("_", " ").capitalize(),
                    say(found.original),
                    say(found.mine),
                    say(found.theirs),
                    conflict.words,
                )
            )
    return rows


class ConflictsModel(QAbstractTableModel):
    """The conflicts field by field, with the side chosen for each (none until chosen)."""

    HEADINGS = ("Record", "Field", "Original", "Mine (this copy)", "Theirs (the office)", "Keep")
    KEEP = 5

    def __init__(self, rows: Sequence[ConflictRow], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self.choices: dict[tuple[str, str, str], Choice] = {}

    def row(self, number: int) -> ConflictRow:
        return self._rows[number]

    def choose(self, numbers: Sequence[int], choice: Choice) -> None:
        for number in numbers:
            self.choices[self._rows[number].key] = choice
            cell = self.index(number, self.KEEP)
            self.dataChanged.emit(self.index(number, 0), cell)

    def unresolved(self) -> int:
        return sum(1 for r in self._rows if r.key not in self.choices)

    def _cells(self, row: ConflictRow) -> tuple[str, ...]:
        chosen = self.choices.get(row.key)
        keep = KEEP_WORDS[chosen] if chosen is not None else TO_CHOOSE
        return (row.record, row.field, row.original, row.mine, row.theirs, keep)

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADINGS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.about
        if role == Qt.ItemDataRole.BackgroundRole and row.key not in self.choices:
            return _CHOOSE_BRUSH if index.column() == self.KEEP else None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADINGS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_rows(self, self._rows, lambda row: self._cells(row)[column].casefold(), order)


def _changes_model(changes: Sequence[RecordChange]) -> PlainTableModel:
    return PlainTableModel(
        [PlainColumn("What changes"), PlainColumn("Kind of record")],
        [(c.words, table_words(c.table).capitalize()) for c in changes],
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


class SyncDialog(QDialog):
    """The preview of a synchronisation; Synchronise once every conflict has a side chosen."""

    def __init__(
        self, plan: SyncPlan, labels: Mapping[str, str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Synchronise with the office")
        self.resize(1060, 580)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The offline copy and the office's database ({plan.copy.server_words}). "
            "Nothing has been sent or received yet: look through what will happen, choose a "
            "side for each conflict, then Synchronise."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        summary = QLabel(self._summary())
        summary.setObjectName("summary")
        summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(summary)
        self.flags = QLabel("\n\n".join(f"⚠ {flag}" for flag in plan.flags))
        self.flags.setObjectName("flags")
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet(WARNING_STYLE)
        self.flags.setVisible(bool(plan.flags))
        self.flags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.flags)

        self.tabs = QTabWidget()
        self.send_view = self._changes_tab(plan.send, "send", "Nothing to send.")
        self.receive_view = self._changes_tab(plan.receive, "receive", "Nothing to receive.")
        self.tabs.addTab(self.send_view, f"To &send ({len(plan.send):,})")
        self.tabs.addTab(self.receive_view, f"To &receive ({len(plan.receive):,})")
        self.conflicts = ConflictsModel(conflict_rows(plan.conflicts, labels or {}), self)
        self.tabs.addTab(self._conflicts_tab(), f"&Conflicts ({len(plan.conflicts):,})")
        layout.addWidget(self.tabs, 1)

        bottom = QHBoxLayout()
        self.still = QLabel()
        self.still.setObjectName("still_to_choose")
        bottom.addWidget(self.still, 1)
        self.buttons = QDialogButtonBox()
        self.sync_button = self.buttons.addButton(
            "S&ynchronise", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sync_button.setToolTip(
            "Send the copy's changes and bring in the office's, with the sides chosen for the "
            "conflicts"
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.conflicts.dataChanged.connect(self._show_state)
        self._show_state()
        if plan.conflicts:
            self.tabs.setCurrentIndex(2)
            self.conflicts_view.setFocus()
        elif not plan.send and plan.receive:
            self.tabs.setCurrentIndex(1)

    # -- building ---------------------------------------------------------------------------
    def _summary(self) -> str:
        plan = self.plan
        if plan.nothing_to_do:
            return "The copy and the office agree: there is nothing to send or receive."
        parts = [
            _plural(len(plan.send), "change to send", "changes to send"),
            _plural(len(plan.receive), "to receive", "to receive"),
            _plural(len(plan.conflicts), "conflict to resolve", "conflicts to resolve"),
        ]
        return ", ".join(parts) + "."

    def _changes_tab(self, changes: Sequence[RecordChange], name: str, empty: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        view = list_view(f"{name}_view", _changes_model(changes), sort_column=1)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(view, 1)
        if not changes:
            note = QLabel(empty)
            column.addWidget(note)
        return page

    def _conflicts_tab(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        if self.plan.conflicts:
            note = QLabel(
                "These records were changed here and at the office since the copy was last "
                "synchronised. For each line choose which to keep: Mine (this copy) or Theirs "
                "(the office). Select lines (Shift or Ctrl for several), then Keep mine or Take "
                "theirs. A record deleted on one side is one choice for the whole record."
            )
        else:
            note = QLabel("No conflicts: nothing was changed on both sides.")
        note.setWordWrap(True)
        column.addWidget(note)
        view = QTableView()
        view.setObjectName("conflicts_view")
        view.setModel(self.conflicts)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, width in enumerate((270, 130, 160, 160, 160)):
            view.setColumnWidth(number, width)
        header.setStretchLastSection(True)
        if self.conflicts.rowCount():
            view.selectRow(0)
        self.conflicts_view = view
        column.addWidget(view, 1)
        row = QHBoxLayout()
        self.mine_button = self._button(
            "Keep &mine", "Keep this copy's value in the lines selected"
        )
        self.theirs_button = self._button(
            "Take &theirs", "Take the office's value in the lines selected"
        )
        self.all_mine_button = self._button("Keep &all mine", "Keep this copy's value everywhere")
        self.all_theirs_button = self._button(
            "Take all t&heirs", "Take the office's value everywhere"
        )
        self.mine_button.clicked.connect(lambda: self._choose_selected(Choice.MINE))
        self.theirs_button.clicked.connect(lambda: self._choose_selected(Choice.THEIRS))
        self.all_mine_button.clicked.connect(lambda: self._choose_all(Choice.MINE))
        self.all_theirs_button.clicked.connect(lambda: self._choose_all(Choice.THEIRS))
        for button in (
            self.mine_button,
            self.theirs_button,
            self.all_mine_button,
            self.all_theirs_button,
        ):
            button.setEnabled(bool(self.plan.conflicts))
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return page

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        # Enter in the table is for Synchronise, never for a side chosen by accident.
        button.setAutoDefault(False)
        return button

    # -- choosing -----------------------------------------------------------------------------
    def _selected(self) -> list[int]:
        model = self.conflicts_view.selectionModel()
        return sorted({index.row() for index in model.selectedRows()})

    def _choose_selected(self, choice: Choice) -> None:
        self.conflicts.choose(self._selected(), choice)
        self.conflicts_view.setFocus()

    def _choose_all(self, choice: Choice) -> None:
        self.conflicts.choose(range(self.conflicts.rowCount()), choice)  # type: ignore[arg-type]
        self.conflicts_view.setFocus()

    def _show_state(self, *_args: object) -> None:
        left = self.conflicts.unresolved()
        self.sync_button.setEnabled(left == 0)
        self.sync_button.setDefault(left == 0)
        if left:
            self.still.setText(
                f"{_plural(left, 'line', 'lines')} of the conflicts still to choose: "
                "Synchronise is possible once each has Mine or Theirs."
            )
            self.still.setStyleSheet("color: #b00020;")
        else:
            self.still.setText(
                "Ready to synchronise."
                if self.plan.conflicts or not self.plan.nothing_to_do
                else "Synchronise records that the copy is up to date."
            )
            self.still.setStyleSheet("")

    def resolutions(self) -> Resolutions:
        return dict(self.conflicts.choices)
