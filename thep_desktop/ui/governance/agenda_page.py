"""The meeting editor's agenda page: the items in order (Alt+Up/Down moves one), each item's
minutes beside the list, its papers (attach, open, remove), the errata recorded against it
once the minutes are approved, and the matters arising from earlier meetings."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    AgendaItemInput,
    ErratumDetail,
    MeetingDetail,
    PaperDetail,
)
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.governance.action_editor import ActionStatusDialog
from thep_desktop.ui.governance.meeting_fields import html, item_label
from thep_desktop.ui.shared.forms import FieldMessages, push_button, show_field_text
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE

if TYPE_CHECKING:
    from thep_desktop.ui.governance.meeting_editor import MeetingEditor

REMOVE = "Remove"
KEEP = "Keep it"


@dataclass(frozen=True)
class AgendaEntry:
    """One item as typed: saved ones keep their id; papers are saved as they are attached."""

    title: str
    presenter: str = ""
    minutes: str = ""
    item_id: int | None = None
    papers: tuple[PaperDetail, ...] = ()

    def as_input(self) -> AgendaItemInput:
        return AgendaItemInput(
            self.title.strip(), self.presenter.strip(), self.minutes, self.item_id
        )


def size_label(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def erratum_html(erratum: ErratumDetail) -> str:
    why = f"<br><i>Why: {html(erratum.reason)}</i>" if erratum.reason.strip() else ""
    return (
        f"<b>Erratum noted on {format_date(erratum.noted_on)}:</b> {html(erratum.correction)}{why}"
    )


MATTERS_COLUMNS = (
    PlainColumn("Action"),
    PlainColumn("Owner"),
    PlainColumn("Due", "date"),
    PlainColumn("Status"),
    PlainColumn("Raised at"),
)


class AgendaPage(QWidget):
    changed = Signal()

    def __init__(self, editor: MeetingEditor, messages: FieldMessages) -> None:
        super().__init__()
        self.editor = editor
        self.messages = messages
        self.entries: list[AgendaEntry] = []
        self.errata: tuple[ErratumDetail, ...] = ()
        self.decided_items: set[int] = set()
        self.read_only = False
        self._showing = False
        self._build()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 3)

        left = QWidget()
        grid = QGridLayout(left)
        grid.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("<b>&Agenda</b>")
        grid.addWidget(caption, 0, 0, 1, 2)
        self.list = QListWidget()
        self.list.setObjectName("agenda")
        caption.setBuddy(self.list)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setToolTip("The items in order: Alt+Up and Alt+Down move the one chosen")
        holder, _ = self.messages.with_message("agenda", self.list)
        grid.addWidget(holder, 1, 0, 1, 2)
        self.add_button = push_button("Add &item", self.add_item, "Add an item at the end")
        self.remove_button = push_button("&Remove item", self.remove_item, "Take the item off")
        self.up_button = push_button("Move &up", lambda: self.move_item(-1), "Earlier (Alt+Up)")
        self.down_button = push_button("Move do&wn", lambda: self.move_item(1), "Later (Alt+Down)")
        grid.addWidget(self.add_button, 2, 0)
        grid.addWidget(self.remove_button, 2, 1)
        grid.addWidget(self.up_button, 3, 0)
        grid.addWidget(self.down_button, 3, 1)
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            QShortcut(
                QKeySequence(keys),
                left,
                activated=lambda s=step: self.move_item(s),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        splitter.addWidget(left)

        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setObjectName("item_title")
        self.presenter = QLineEdit()
        self.presenter.setObjectName("presenter")
        self.presenter.setPlaceholderText("Who presents it, e.g. Treasurer")
        form.addRow(_caption("&Title:", self.title), self.title)
        form.addRow(_caption("&Presenter:", self.presenter), self.presenter)
        box.addLayout(form)
        minutes_caption = QLabel("<b>&Minutes of this item</b>")
        box.addWidget(minutes_caption)
        self.minutes = QPlainTextEdit()
        self.minutes.setObjectName("minutes")
        self.minutes.setPlaceholderText("What was discussed and agreed (saved with Ctrl+S)")
        minutes_caption.setBuddy(self.minutes)
        box.addWidget(self.minutes, 3)
        self.errata_label = QLabel()
        self.errata_label.setObjectName("errata")
        self.errata_label.setWordWrap(True)
        self.errata_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errata_label.setStyleSheet(
            "background: #fff8e1; border: 1px solid #e0c36b; padding: 4px;"
        )
        self.errata_label.hide()
        box.addWidget(self.errata_label)
        papers = QGroupBox("Papers for this item")
        row = QHBoxLayout(papers)
        self.papers = QListWidget()
        self.papers.setObjectName("papers")
        self.papers.setMaximumHeight(80)
        self.papers.itemDoubleClicked.connect(lambda _i: self.open_paper())
        row.addWidget(self.papers, 1)
        paper_buttons = QVBoxLayout()
        self.attach_button = push_button("Atta&ch…", self.attach, "Attach a file to this item")
        self.open_button = push_button("&Open", self.open_paper, "Open the paper chosen")
        self.remove_paper_button = push_button(
            "Remo&ve paper", self.remove_paper, "Take the paper chosen off the item"
        )
        for push in (self.attach_button, self.open_button, self.remove_paper_button):
            paper_buttons.addWidget(push)
        row.addLayout(paper_buttons)
        box.addWidget(papers)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        matters = QGroupBox("Matters arising: actions open from earlier meetings")
        matters_box = QVBoxLayout(matters)
        self.matters_model = PlainTableModel(MATTERS_COLUMNS)
        self.matters = QTableView()
        self.matters.setObjectName("matters_arising")
        self.matters.setModel(self.matters_model)
        self.matters.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matters.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matters.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matters.verticalHeader().hide()
        self.matters.horizontalHeader().setStretchLastSection(True)
        self.matters.doubleClicked.connect(lambda _i: self.update_status())
        matters_box.addWidget(self.matters)
        self.status_button = push_button(
            "Update &status…",
            self.update_status,
            "Record the action as done or in progress, as reported at this meeting",
        )
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(self.status_button)
        matters_box.addLayout(line)
        outer.addWidget(matters, 1)

        self.list.currentRowChanged.connect(self._row_chosen)
        self.title.textChanged.connect(self._typed)
        self.presenter.textChanged.connect(self._typed)
        self.minutes.textChanged.connect(self._typed)
        self.papers.currentRowChanged.connect(lambda _r: self._paper_buttons())

    # -- filling ----------------------------------------------------------------------------
    def show_detail(self, detail: MeetingDetail) -> None:
        row = max(self.list.currentRow(), 0)
        self.entries = [
            AgendaEntry(i.title, i.presenter, i.minutes, i.id, i.papers) for i in detail.items
        ]
        self.errata = detail.errata
        self.decided_items = {d.agenda_item_id for d in detail.decisions}
        self._refill(min(row, len(self.entries) - 1))
        self.matters_model.set_rows(
            [_matter_row(a, detail.meets_on) for a in detail.matters_arising]
        )
        self.matters.resizeColumnsToContents()
        self.matters.setColumnWidth(0, min(self.matters.columnWidth(0), 420))

    def _refill(self, row: int) -> None:
        self._showing = True
        self.list.clear()
        for position, entry in enumerate(self.entries, start=1):
            self.list.addItem(QListWidgetItem(self._entry_text(position, entry)))
        self._showing = False
        self.list.setCurrentRow(row)
        self._row_chosen(row)

    @staticmethod
    def _entry_text(position: int, entry: AgendaEntry) -> str:
        title = entry.title.strip() or "(no title yet)"
        presenter = f" ({entry.presenter.strip()})" if entry.presenter.strip() else ""
        return item_label(position, title) + presenter

    def _row_chosen(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self._showing = True
        show_field_text(self.title, entry.title if entry else "")
        show_field_text(self.presenter, entry.presenter if entry else "")
        self.minutes.setPlainText(entry.minutes if entry else "")
        self.papers.clear()
        for paper in entry.papers if entry else ():
            item = QListWidgetItem(f"{paper.file_name} ({size_label(paper.size)})")
            item.setData(Qt.ItemDataRole.UserRole, paper)
            self.papers.addItem(item)
        self._showing = False
        for edit in (self.title, self.presenter, self.minutes):
            edit.setEnabled(entry is not None)
        self._show_errata(entry)
        self._paper_buttons()

    def _show_errata(self, entry: AgendaEntry | None) -> None:
        if entry is None or entry.item_id is None:
            self.errata_label.hide()
            return
        # Errata to the minutes as a whole belong under every item's minutes.
        mine = [e for e in self.errata if e.agenda_item_id in (entry.item_id, None)]
        if not mine:
            self.errata_label.hide()
            return
        heading = "The minutes above are as approved. Corrected since:"
        lines = [
            erratum_html(e) + ("" if e.agenda_item_id else " <i>(the minutes as a whole)</i>")
            for e in mine
        ]
        self.errata_label.setText(heading + "<br>" + "<br>".join(lines))
        self.errata_label.show()

    def _paper_buttons(self) -> None:
        chosen = self.papers.currentRow() >= 0
        self.open_button.setEnabled(chosen)
        self.remove_paper_button.setEnabled(chosen and not self.read_only)
        self.attach_button.setEnabled(self.list.currentRow() >= 0 and not self.read_only)

    # -- editing ----------------------------------------------------------------------------
    def _typed(self) -> None:
        if self._showing:
            return
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        entry = replace(
            self.entries[row],
            title=self.title.text(),
            presenter=self.presenter.text(),
            minutes=self.minutes.toPlainText(),
        )
        self.entries[row] = entry
        self.list.item(row).setText(self._entry_text(row + 1, entry))
        self.changed.emit()

    def add_item(self) -> None:
        self.entries.append(AgendaEntry(""))
        self._refill(len(self.entries) - 1)
        self.title.setFocus()
        self.changed.emit()

    def remove_item(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        label = item_label(row + 1, entry.title.strip() or "(no title yet)")
        if entry.item_id is not None and entry.item_id in self.decided_items:
            self.editor.tell(
                self,
                "Remove item",
                f"Item {label} has decisions recorded at it: delete those decisions (on the "
                "Decisions page) before taking the item off.",
            )
            return
        if entry.minutes.strip() or entry.papers:
            held = "its minutes and papers" if entry.papers else "its minutes"
            answer = self.editor.ask(
                self,
                "Remove item",
                f"Take item {label} off the agenda, with {held}, when you save?",
                [REMOVE, KEEP],
            )
            if answer != REMOVE:
                return
        del self.entries[row]
        self._refill(min(row, len(self.entries) - 1))
        self.changed.emit()

    def move_item(self, step: int) -> None:
        if self.read_only:
            return
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < len(self.entries):
            return
        self.entries[row], self.entries[to] = self.entries[to], self.entries[row]
        self._refill(to)
        self.list.setFocus()
        self.changed.emit()

    def values(self) -> list[AgendaItemInput]:
        return [entry.as_input() for entry in self.entries]

    def problems(self) -> dict[str, str]:
        untitled = [str(n) for n, e in enumerate(self.entries, start=1) if not e.title.strip()]
        if not untitled:
            return {}
        which = ", ".join(untitled)
        many = len(untitled) > 1
        return {"agenda": f"Give item{'s' if many else ''} {which} a title."}

    def state(self) -> tuple[object, ...]:
        return tuple((e.item_id, e.title, e.presenter, e.minutes) for e in self.entries)

    def positions(self) -> list[tuple[int, str]]:
        """The items as now typed: (number, title)."""
        return [(n, e.title.strip()) for n, e in enumerate(self.entries, start=1)]

    def set_read_only(self) -> None:
        self.read_only = True
        for push in (self.add_button, self.remove_button, self.up_button, self.down_button):
            push.hide()
        for edit in (self.title, self.presenter, self.minutes):
            edit.setReadOnly(True)
        self.attach_button.hide()
        self.remove_paper_button.hide()
        self._paper_buttons()

    def hide_status_button(self) -> None:
        self.status_button.hide()

    # -- papers -----------------------------------------------------------------------------
    def _saved_item_id(self) -> int | None:
        """The chosen item's id, saving the agenda first when it is new or changed."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return None
        if self.entries[row].item_id is None or self.editor.has_changes():
            if not self.editor.save():
                return None
        row = min(row, len(self.entries) - 1)
        return self.entries[row].item_id if row >= 0 else None

    def attach(self) -> None:
        row = self.list.currentRow()
        item_id = self._saved_item_id()
        if item_id is None:
            return
        path, _ = self.editor.ask_open_path(
            self, f"Attach a paper to item {row + 1}", "", "All files (*)"
        )
        if not path:
            return
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            self.editor.tell(self, "Attach a paper", f"{path} cannot be read: {exc.strerror}.")
            return
        try:
            self.editor.services.meetings.add_paper(
                self.editor.services.actor, item_id, Path(path).name, content
            )
        except ServiceError as exc:
            self.editor.tell(self, "Attach a paper", exc.message)
            return
        self.editor.reload(saved=True)

    def _chosen_paper(self) -> PaperDetail | None:
        item = self.papers.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_paper(self) -> None:
        paper = self._chosen_paper()
        if paper is None:
            return
        try:
            name, content = self.editor.services.meetings.paper_content(
                self.editor.services.actor, paper.id
            )
        except ServiceError as exc:
            self.editor.tell(self, "Open a paper", exc.message)
            return
        # A folder of its own keeps the file's name, so it opens in the program for its kind.
        path = Path(tempfile.mkdtemp(prefix="thep-paper-")) / Path(name).name
        path.write_bytes(content)
        if self.editor.open_url(QUrl.fromLocalFile(str(path))) is False:
            self.editor.tell(self, "Open a paper", f"No program on this computer opens {name}.")

    def remove_paper(self) -> None:
        paper = self._chosen_paper()
        if paper is None or self.read_only:
            return
        answer = self.editor.ask(
            self, "Remove paper", f"Take {paper.file_name} off this item?", [REMOVE, KEEP]
        )
        if answer != REMOVE:
            return
        try:
            self.editor.services.meetings.remove_paper(
                self.editor.services.actor, paper.id, paper.version
            )
        except ServiceError as exc:
            self.editor.tell(self, "Remove paper", exc.message)
            return
        self.editor.reload(saved=True)

    # -- matters arising --------------------------------------------------------------------
    def update_status(self) -> None:
        index = self.matters.currentIndex()
        if not index.isValid():
            self.editor.tell(self, "Update status", "Choose the action in the list first.")
            return
        action: ActionDetail = self.matters_model.data(index, ROW_ROLE)[-1]
        detail = self.editor.detail
        if detail is None:
            return
        dialog = ActionStatusDialog(self.editor.services, action, detail, self)
        self.editor.open_form(dialog)


def _matter_row(action: ActionDetail, meets_on: date) -> tuple[object, ...]:
    status = action.status.label
    if action.overdue(meets_on):
        status += " (overdue)"
    if action.progress.strip():
        status += f": {action.progress.strip()}"
    return (
        action.text,
        action.owner_label,
        action.due_on,
        status,
        action.meeting_label,
        action,
    )


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
