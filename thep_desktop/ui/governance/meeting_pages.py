"""The meeting editor's pages of declarations of interest, decisions and the actions raised."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    AgendaItemDetail,
    DecisionDetail,
    DeclarationDetail,
    DeclarationInput,
)
from thep_desktop.ui.governance.meeting_fields import combo_value, fill_items
from thep_desktop.ui.shared.forms import FieldMessages, push_button, show_field_text
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE

if TYPE_CHECKING:
    from thep_desktop.ui.governance.meeting_editor import MeetingEditor

NO_ITEM = "(the meeting as a whole)"


class DeclarationRow:
    def __init__(self, names: Sequence[str]) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("Who declared it")
        completer = QCompleter(list(names), self.name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.interest = QLineEdit()
        self.interest.setPlaceholderText("e.g. Governor of Bonner Primary, named in item 6")
        self.item = QComboBox()
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Take this declaration off")

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.interest, self.item, self.remove)

    def value(self) -> DeclarationInput:
        item = combo_value(self.item)
        return DeclarationInput(
            self.name.text().strip(),
            self.interest.text().strip(),
            item if isinstance(item, int) else None,
        )


class DeclarationsPage(QWidget):
    """Declarations of interest as typed: who, the interest, the item it touches."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DeclarationRow] = []
        self.items: tuple[AgendaItemDetail, ...] = ()
        self.names: list[str] = []
        self.read_only = False
        outer = QVBoxLayout(self)
        outer.addWidget(
            QLabel("Interests declared at the meeting, and the item each touches (if any).")
        )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.rows_area = scroll
        self.refusal = FieldMessages.message_label("declarations")
        outer.addWidget(self.refusal)
        self.empty = QLabel("<i>No interests declared.</i>")
        self.add_button = push_button("&Add declaration", self.add, "Add a declaration of interest")
        line = QHBoxLayout()
        line.addWidget(self.add_button)
        line.addStretch(1)
        outer.addLayout(line)
        self._headings()

    def _headings(self) -> None:
        for column, title in enumerate(("Name", "Interest", "Item", "")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.grid.addWidget(self.empty, 1, 0, 1, 4)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 4)
        self.grid.setColumnStretch(2, 2)

    def show_detail(
        self,
        declarations: Sequence[DeclarationDetail | DeclarationInput],
        items: tuple[AgendaItemDetail, ...],
        names: list[str],
    ) -> None:
        self.items = items
        self.names = names
        for row in self.rows:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        for declaration in declarations:
            data = (
                declaration.as_input()
                if isinstance(declaration, DeclarationDetail)
                else declaration
            )
            self._add(data)
        self.empty.setVisible(not self.rows)

    def _add(self, data: DeclarationInput | None) -> DeclarationRow:
        row = DeclarationRow(self.names)
        fill_items(row.item, self.items, data.agenda_item_id if data else None, NO_ITEM)
        if data is not None:
            show_field_text(row.name, data.name)
            show_field_text(row.interest, data.interest)
        number = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, number, column)
        row.name.textChanged.connect(lambda _t: self.changed.emit())
        row.interest.textChanged.connect(lambda _t: self.changed.emit())
        row.item.currentIndexChanged.connect(lambda _i: self.changed.emit())
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove(r))
        if self.read_only:
            _read_only_declaration(row)
        self.rows.append(row)
        self.empty.hide()
        return row

    def add(self) -> None:
        row = self._add(None)
        row.name.setFocus()
        self.changed.emit()

    def remove(self, row: DeclarationRow) -> None:
        kept = [r.value() for r in self.rows if r is not row]
        self.show_detail(kept, self.items, self.names)
        self.changed.emit()

    def values(self) -> list[DeclarationInput]:
        """Each row with something typed (a row left blank is not a declaration)."""
        return [v for r in self.rows if (v := r.value()).name or v.interest]

    def problems(self) -> dict[str, str]:
        for number, value in enumerate(self.values(), start=1):
            if not value.name:
                return {"declarations": f"Declaration {number}: type who declared the interest."}
            if not value.interest:
                return {"declarations": f"Declaration {number}: type what the interest is."}
        return {}

    def state(self) -> tuple[object, ...]:
        return tuple(self.values())

    def set_read_only(self) -> None:
        self.read_only = True
        self.add_button.hide()
        for row in self.rows:
            _read_only_declaration(row)


def _read_only_declaration(row: DeclarationRow) -> None:
    row.name.setReadOnly(True)
    row.interest.setReadOnly(True)
    row.item.setEnabled(False)
    row.remove.hide()


class RecordsPage(QWidget):
    """A list of the meeting's records with New / Edit / Delete (double-click edits)."""

    def __init__(
        self,
        name: str,
        intro: str,
        columns: Sequence[PlainColumn],
        new: Callable[[], object],
        edit: Callable[[Any], object],
        delete: Callable[[Any], object],
        stretch: int = 0,
    ) -> None:
        super().__init__()
        self.stretch = stretch  # the column of words, which takes the room left and wraps
        outer = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        self.model = PlainTableModel(columns)
        self.table = QTableView()
        self.table.setObjectName(name)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        outer.addWidget(self.table, 1)
        line = QHBoxLayout()
        self.new_button: QPushButton = push_button("&New…", new)
        self.edit_button: QPushButton = push_button("&Edit…", lambda: self._with_chosen(edit))
        self.delete_button: QPushButton = push_button("&Delete", lambda: self._with_chosen(delete))
        for push in (self.new_button, self.edit_button, self.delete_button):
            line.addWidget(push)
        line.addStretch(1)
        outer.addLayout(line)
        self.table.doubleClicked.connect(lambda _i: self._with_chosen(edit))
        # The words wrap in their column; each row is as tall as its words need.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.editable = True

    def set_rows(self, rows: Sequence[tuple[object, ...]]) -> None:
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == self.stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)

    def chosen(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(index, ROW_ROLE)[-1]

    def _with_chosen(self, act: Callable[[Any], object]) -> None:
        record = self.chosen()
        if record is not None:
            act(record)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for push in (self.new_button, self.delete_button):
            push.setVisible(editable)
        self.edit_button.setText("&Edit…" if editable else "&Open…")


DECISION_COLUMNS = (
    PlainColumn("Reference"),
    PlainColumn("Item", "integer"),
    PlainColumn("Resolution"),
    PlainColumn("Kind"),
    PlainColumn("Result"),
    PlainColumn("Votes"),
    PlainColumn("Quorum at the item"),
)

ACTION_COLUMNS = (
    PlainColumn("Action"),
    PlainColumn("Owner"),
    PlainColumn("Due", "date"),
    PlainColumn("Status"),
    PlainColumn("Item", "integer"),
)


def decision_row(decision: DecisionDetail) -> tuple[object, ...]:
    at = decision.quorum
    state = "quorate" if at.quorate else "NOT quorate"
    return (
        decision.reference,
        decision.item_position,
        decision.text,
        decision.kind.label,
        decision.result.label,
        decision.votes.label,
        f"{state}: {at.present} present of {at.needed} needed",
        decision,
    )


def action_row(action: ActionDetail) -> tuple[object, ...]:
    status = action.status.label
    if action.progress.strip():
        status += f": {action.progress.strip()}"
    return (
        action.text,
        action.owner_label,
        action.due_on,
        status,
        action.item_position,
        action,
    )


def decisions_page(editor: MeetingEditor) -> RecordsPage:
    return RecordsPage(
        "decisions",
        "Decisions and resolutions, numbered in the order taken; each is checked against the "
        "quorum at its item and the votes of those there.",
        DECISION_COLUMNS,
        editor.new_decision,
        editor.edit_decision,
        editor.delete_decision,
        stretch=2,
    )


def actions_page(editor: MeetingEditor) -> RecordsPage:
    return RecordsPage(
        "actions",
        "Actions raised at this meeting; open ones come back as matters arising at the next "
        "meeting of the body until they are closed.",
        ACTION_COLUMNS,
        editor.new_action,
        editor.edit_action,
        editor.delete_action,
    )
