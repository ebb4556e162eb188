"""The Schools tab: the register as a sortable, searchable table, the chosen school beside it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolDetail, SchoolInput
from thep_desktop.services.shared.actor import Permission
from thep_desktop.services.shared.errors import NotFoundError, ServiceError
from thep_desktop.ui.schools.schools_table_model import (
    ANY,
    COL_HEAD,
    COL_LINK,
    COL_NAME,
    COL_OFSTED,
    COL_PHASE,
    COL_PUPILS,
    COL_STATUS,
    COL_TRUST,
    COL_TYPE,
    COL_URN,
    COLUMNS,
    CURRENT,
    SchoolFilter,
    SchoolsFilterProxy,
    SchoolsTableModel,
)
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.table_export import ExportRequest

if TYPE_CHECKING:
    from thep_desktop.services.letters.letters_service import CorrespondenceRow
    from thep_desktop.ui.schools.school_dialog import SchoolDialog

LETTER_LINK = "letter"  # letter:ID opens that letter as it was sent

STATUS_CHOICES = (
    ("Any status", ANY),
    ("Open or proposed", CURRENT),
    ("Open", SchoolStatus.OPEN.value),
    ("Proposed to open", SchoolStatus.PROPOSED.value),
    ("Closed", SchoolStatus.CLOSED.value),
)


class SchoolsTab(QWidget):
    """Everything the office does with the register. Emits ``status_message`` for the status bar."""

    status_message = Signal(str)
    counts_changed = Signal(int, int)  # shown, total

    def __init__(
        self, services: Services, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.ask = ask
        self.tell = tell
        # Opens the school dialog; tests replace it to drive the dialog without exec().
        self.run_dialog: Callable[[SchoolDialog], object] = lambda dialog: dialog.exec()
        # Opens a letter from the history; tests replace it to see what would be shown.
        self.show_pdf = _show_pdf
        self.letters_shown: list[CorrespondenceRow] = []  # the selected school's letters
        self._letters_school = ""
        self.model = SchoolsTableModel(self)
        self._hidden_selection: list[int] = []  # selected schools a search has hidden
        self.proxy = SchoolsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._connect()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search by name, URN or postcode  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        bar.addWidget(self.search, 2)
        self.phase_filter = QComboBox()
        self.phase_filter.setObjectName("phase_filter")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("type_filter")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        for label, value in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        for caption, combo in (
            ("&Phase", self.phase_filter),
            ("T&ype", self.type_filter),
            ("S&tatus", self.status_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            bar.addWidget(label)
            bar.addWidget(combo)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New school…")
        self.edit_button = QPushButton("&Edit…")
        self.close_button = QPushButton("C&lose school…")
        self.delete_button = QPushButton("&Delete…")
        self.new_button.setToolTip("Add a school to the register (Ctrl+N)")
        self.edit_button.setToolTip("Edit the selected school (Enter or double-click)")
        self.close_button.setToolTip("Record that the selected school has closed")
        self.delete_button.setToolTip(
            "Remove a school entered by mistake (a school with history is closed instead)"
        )
        for button in (self.new_button, self.edit_button, self.close_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setObjectName("schools_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        widths = {
            COL_URN: 70,
            COL_NAME: 300,
            COL_PHASE: 110,
            COL_TYPE: 170,
            COL_STATUS: 120,
            COL_PUPILS: 70,
            COL_TRUST: 190,
            COL_HEAD: 170,
            COL_LINK: 130,
            COL_OFSTED: 110,
        }
        for column, spec in enumerate(COLUMNS):
            self.table.setColumnWidth(column, widths.get(column, 30 + 8 * len(spec.title)))
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("school_detail")
        self.detail.setOpenExternalLinks(False)
        self.detail.setOpenLinks(False)  # a letter's link opens it in a document window
        self.detail.setMinimumWidth(280)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 340])
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._filter_changed)
        for combo in (self.phase_filter, self.type_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.new_button.clicked.connect(self.new_school)
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail.anchorClicked.connect(self._link_clicked)
        # Each key acts only in its own widget: a window-wide Down would take the arrow key
        # from the filter boxes, and a window-wide Esc would clear the search from anywhere.
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key, widget, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.table, self.edit_selected),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected),
            (QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear),
            (
                QKeySequence(Qt.Key.Key_Down),
                self.search,
                lambda: self.table.setFocus(Qt.FocusReason.ShortcutFocusReason),
            ),
        ):
            QShortcut(key, widget, activated=slot, context=only_here)
        # Counts are updated once per change by the code making it: a filter change removes
        # rows in thousands of separate ranges, too many to recount for each.

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the register again (one query), keeping the sort, filter and selection."""
        selected = self.selected_ids()
        rows = self.services.schools.list_schools(self.services.actor)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() != COL_NAME or (
            header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder
        ):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._fill_quick_filter(self.phase_filter, "Any phase", {r.phase for r in rows})
        self._fill_quick_filter(self.type_filter, "Any type", {r.establishment_type for r in rows})
        self.select_ids(selected)
        self.update_counts()
        self._update_actions()

    @staticmethod
    def _fill_quick_filter(combo: QComboBox, any_label: str, values: set[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_label, ANY)
        for value in sorted(v for v in values if v):
            combo.addItem(value, value)
        position = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(0, position))
        combo.blockSignals(False)

    # -- filtering --------------------------------------------------------------------------
    def _filter_changed(self) -> None:
        new = SchoolFilter(
            text=self.search.text(),
            phase=self.phase_filter.currentData() or ANY,
            establishment_type=self.type_filter.currentData() or ANY,
            status=self.status_filter.currentData() or ANY,
        )
        if new == self.proxy.current_filter:
            return
        # The shown rows are replaced: keep the selection where it still shows, and bring it
        # back when a search that hid it is cleared.
        selected = self.selected_ids() or self._hidden_selection
        self.proxy.set_filter(new)
        if selected:
            self.select_ids(selected)
            self._hidden_selection = [] if self.selected_ids() else selected
        self.update_counts()

    def set_quick_filter(self, combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def filter_in_words(self) -> str:
        """``Filter: phase Primary; search “st” (12 of 90 schools)``, or "" when all are shown."""
        parts = [
            f"{what} {combo.currentText()}"
            for what, combo in (
                ("phase", self.phase_filter),
                ("type", self.type_filter),
                ("status", self.status_filter),
            )
            if combo.currentData()
        ]
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        if not parts:
            return ""
        shown, total = self.proxy.rowCount(), self.model.total_count()
        return f"Filter: {'; '.join(parts)} ({shown:,} of {total:,} schools)"

    def export_request(self) -> ExportRequest:
        """What File > Export writes: the table as shown, filtered and sorted."""
        return ExportRequest(self.table, "Schools register", self.filter_in_words(), "Schools")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def update_counts(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        noun = "school" if total == 1 else "schools"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun} shown")
        self.counts_changed.emit(shown, total)

    # -- selection --------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.row_at(r).id for r in rows]

    def shown_ids(self) -> list[int]:
        """The schools the table shows (filtered), in the order shown."""
        return [self.proxy.row_at(r).id for r in range(self.proxy.rowCount())]

    def selected_id(self) -> int | None:
        current = self.table.currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            return self.proxy.row_at(current.row()).id
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        first: QModelIndex | None = None
        for school_id in ids:
            source_row = self.model.row_of_id(school_id)
            if source_row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if not index.isValid():
                continue
            selection.select(
                index,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
            if first is None:
                first = index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        self._update_actions()
        self.show_detail()

    def show_detail(self) -> None:
        """Show the selected school, its contacts and the letters sent to it (read afresh)."""
        school_id = self.selected_id()
        self.letters_shown = []
        if school_id is None:
            self.detail.setHtml(
                "<p style='color:#666'>Select a school to see its details and contacts.</p>"
            )
            return
        try:
            detail = self.services.schools.get_school(self.services.actor, school_id)
            self.letters_shown = self.services.letters.correspondence(
                self.services.actor, school_id
            )
        except NotFoundError as exc:
            self.detail.setHtml(f"<p>{html.escape(exc.message)}</p>")
            return
        self._letters_school = detail.name
        self.detail.setHtml(detail_html(detail, self.letters_shown))

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == LETTER_LINK and url.path().isdigit():
            self.open_letter(int(url.path()))

    def open_letter(self, correspondence_id: int) -> object:
        """Open a letter from the school's history exactly as it was sent."""
        row = next((r for r in self.letters_shown if r.id == correspondence_id), None)
        try:
            data = self.services.letters.correspondence_pdf(self.services.actor, correspondence_id)
        except ServiceError as exc:
            self.tell(self, "Cannot open this letter", exc.message)
            self.show_detail()
            return None
        title, name = "Letter", "Letter"
        if row is not None:
            sent = row.sent_at.astimezone().date()
            what = row.subject or row.template_name
            title = f"{what} – {self._letters_school}, sent {format_date(sent)}"
            # Named as the mail merge names each school's own PDF.
            name = f"{self._letters_school} - {row.template_name} - {sent.isoformat()}"
        return self.show_pdf(self, data, title, name)

    def _update_actions(self) -> None:
        can_edit = self.services.actor.can(Permission.EDIT_SCHOOLS)
        has_one = self.selected_id() is not None
        self.new_button.setEnabled(can_edit)
        self.edit_button.setEnabled(has_one)
        self.edit_button.setText("&Edit…" if can_edit else "&View…")
        self.close_button.setEnabled(can_edit and has_one)
        self.delete_button.setEnabled(can_edit and has_one)

    # -- actions ----------------------------------------------------------------------------
    def new_school(self) -> None:
        if not self.services.actor.can(Permission.EDIT_SCHOOLS):
            return
        from thep_desktop.ui.schools.school_dialog import SchoolDialog

        dialog = SchoolDialog(self.services, None, self)
        dialog.saved.connect(self._created)
        self.run_dialog(dialog)

    def edit_selected(self) -> None:
        school_id = self.selected_id()
        if school_id is None:
            return
        try:
            from thep_desktop.ui.schools.school_dialog import SchoolDialog

            dialog = SchoolDialog(self.services, school_id, self)
        except ServiceError as exc:
            self.tell(self, "Cannot open this school", exc.message)
            self.reload()
            return
        dialog.saved.connect(lambda detail: self._edited(dialog.before, detail))
        self.run_dialog(dialog)

    def _created(self, detail: SchoolDetail) -> None:
        self.show_saved(detail)
        self.undo_stack.push(CreateSchoolCommand(self, detail))
        self.status_message.emit(f"Added {detail.name} (URN {detail.urn}).")

    def _edited(self, before: SchoolDetail | None, detail: SchoolDetail) -> None:
        self.show_saved(detail)
        if before is not None:
            self.undo_stack.push(EditSchoolCommand(self, before, detail, f"edit {detail.name}"))
        self.status_message.emit(f"Saved {detail.name}.")

    def show_saved(self, detail: SchoolDetail) -> None:
        """Put a saved school into the table (one query), keeping sort and filter."""
        row = self.services.schools.school_row(self.services.actor, detail.id)
        if not self.model.replace_row(row):
            self.model.add_row(row)
        self.proxy.refilter()
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.select_ids([detail.id])
        self.update_counts()

    def _selected_detail(self, doing: str) -> SchoolDetail | None:
        """The selected school, read afresh; None (having said why) if there is none."""
        school_id = self.selected_id()
        if school_id is None:
            return None
        try:
            return self.services.schools.get_school(self.services.actor, school_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing} this school", exc.message)
            self.reload()
            return None

    def close_selected(self) -> None:
        if not self.services.actor.can(Permission.EDIT_SCHOOLS):
            return  # the menu's way in is closed too, as the disabled button is
        before = self._selected_detail("close")
        if before is None:
            return
        if before.status == SchoolStatus.CLOSED:
            self.tell(self, "Already closed", f"{before.name} is already closed.")
            return
        text, ok = QInputDialog.getText(
            self,
            "Close school",
            f"{before.name} stays in the register, marked closed.\nDate it closed (dd/mm/yyyy):",
            text=format_date(date.today()),
        )
        if not ok:
            return
        self.close_school(before, text)

    def close_school(self, before: SchoolDetail, close_date: str) -> bool:
        try:
            after = self.services.schools.close_school(
                self.services.actor, before.id, before.version, close_date
            )
        except ServiceError as exc:
            self.tell(self, "The school was not closed", exc.message)
            return False
        self.show_saved(after)
        self.undo_stack.push(EditSchoolCommand(self, before, after, f"close {after.name}"))
        self.status_message.emit(f"{after.name} is recorded as closed.")
        return True

    def delete_selected(self) -> None:
        if not self.services.actor.can(Permission.EDIT_SCHOOLS):
            return  # a viewer is not asked to confirm what they may not do
        before = self._selected_detail("delete")
        if before is None:
            return
        answer = self.ask(
            self,
            "Delete school",
            f"Delete {before.name} (URN {before.urn}) from the register?\n\n"
            "Only do this for a school entered by mistake. A school that has closed should be "
            "closed instead, so its history is kept.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.schools.delete_school(self.services.actor, before.id, before.version)
        except ServiceError as exc:
            self.tell(self, "The school was not deleted", exc.message)
            return
        self.model.remove_id(before.id)
        self.update_counts()
        self.undo_stack.push(DeleteSchoolCommand(self, before))
        self.status_message.emit(f"Deleted {before.name}.")

    def after_undo_failure(self, message: str) -> None:
        """An undo or redo could not be done: say why, and start the history afresh."""
        self.tell(self, "Cannot undo", message)
        QTimer.singleShot(0, self.undo_stack.clear)
        self.reload()


# -- undo ---------------------------------------------------------------------------------------
class _SchoolCommand(QUndoCommand):
    """Base of the undoable school changes. Qt calls ``redo`` on push: the first is a no-op."""

    def __init__(self, tab: SchoolsTab, text: str) -> None:
        super().__init__(text)
        self.tab = tab
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_change)

    def _run(self, fn: Callable[[], SchoolDetail | None]) -> None:
        try:
            detail = fn()
        except ServiceError as exc:
            self.tab.after_undo_failure(exc.message)
            return
        if detail is not None:
            self.tab.show_saved(detail)

    def do(self) -> SchoolDetail | None:
        raise NotImplementedError

    def undo_change(self) -> SchoolDetail | None:
        raise NotImplementedError


def _input_for_recreate(detail: SchoolDetail) -> SchoolInput:
    data = detail.as_input()
    for contact in data.contacts:
        contact.id = None
    return data


class EditSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, before: SchoolDetail, after: SchoolDetail, what: str):
        super().__init__(tab, what)
        self.school_id = after.id
        self.before = before.as_input()
        self.after = after.as_input()
        self.version = after.version

    def _save(self, data: SchoolInput) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.update_school(services.actor, self.school_id, self.version, data)
        self.version = detail.version
        return detail

    def do(self) -> SchoolDetail:
        return self._save(self.after)

    def undo_change(self) -> SchoolDetail:
        return self._save(self.before)


class CreateSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, created: SchoolDetail) -> None:
        super().__init__(tab, f"add {created.name}")
        self.data = _input_for_recreate(created)
        self.school_id = created.id
        self.version = created.version

    def do(self) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.create_school(services.actor, self.data)
        self.school_id, self.version = detail.id, detail.version
        return detail

    def undo_change(self) -> None:
        services = self.tab.services
        services.schools.delete_school(services.actor, self.school_id, self.version)
        self.tab.model.remove_id(self.school_id)
        self.tab.update_counts()


class DeleteSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, deleted: SchoolDetail) -> None:
        super().__init__(tab, f"delete {deleted.name}")
        self.data = _input_for_recreate(deleted)
        self.school_id = deleted.id
        self.version = deleted.version

    def do(self) -> None:
        services = self.tab.services
        services.schools.delete_school(services.actor, self.school_id, self.version)
        self.tab.model.remove_id(self.school_id)
        self.tab.update_counts()

    def undo_change(self) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.create_school(services.actor, self.data)
        self.school_id, self.version = detail.id, detail.version
        return detail


# -- the detail panel ---------------------------------------------------------------------------
def detail_html(d: SchoolDetail, letters: Sequence[CorrespondenceRow] = ()) -> str:
    """The selected school as a short, readable page (every value escaped).

    ``letters``: the school's correspondence, newest first, each a link that opens it.
    """

    def e(value: object) -> str:
        return html.escape(str(value)) if value not in (None, "") else ""

    def row(label: str, value: str) -> str:
        if not value:
            return ""
        return f"<tr><td style='color:#555; padding-right:8px'>{e(label)}</td><td>{value}</td></tr>"

    status = e(d.status.label)
    if d.status == SchoolStatus.CLOSED and d.close_date:
        status += f" since {format_date(d.close_date)}"
    elif d.open_date:
        status += f" (opened {format_date(d.open_date)})"
    pupils = ""
    if d.pupils_on_roll is not None:
        pupils = f"{d.pupils_on_roll:,}"
        if d.pupils_census_date:
            pupils += f" (census {format_date(d.pupils_census_date)})"
    head = d.head_teacher
    if d.head_job_title and head:
        head += f" ({d.head_job_title})"
    ofsted = e(d.ofsted_grade)
    if d.ofsted_date:
        ofsted += f" ({format_date(d.ofsted_date)})"
    parts = [f"<h3 style='margin-bottom:2px'>{e(d.name)}</h3>"]
    if d.causing_concern:
        parts.append("<p style='color:#b00020; margin:2px'><b>School causing concern</b></p>")
    parts.append("<table cellspacing='2'>")
    parts += [
        row("URN", e(d.urn)),
        row("DfE number", e(d.laestab)),
        row("Type", e(d.establishment_type)),
        row("Phase", e(d.phase)),
        row("Status", status),
        row("Ages", e(d.age_range)),
        row("Pupils", pupils),
        row("Trust", e(d.trust)),
        row("Diocese", e(d.diocese)),
        row("Religious character", e(d.religious_character)),
        row("Address", "<br>".join(e(line) for line in d.address_lines)),
        row("Phone", e(d.phone)),
        row("Email", e(d.email)),
        row("Website", e(d.website)),
        row("Head teacher", e(head)),
        row("Chair of governors", e(d.chair_of_governors)),
        row("Ofsted", ofsted),
        row("Link officer", e(d.link_officer_name)),
    ]
    parts.append("</table>")
    if d.contacts:
        parts.append("<h4 style='margin-bottom:2px'>Contacts</h4><table cellspacing='2'>")
        for c in d.contacts:
            reach = " · ".join(e(v) for v in (c.email, c.phone) if v)
            parts.append(
                f"<tr><td><b>{e(c.full_name)}</b><br><span style='color:#555'>{e(c.role)}"
                f"</span></td><td style='padding-left:8px'>{reach}</td></tr>"
            )
        parts.append("</table>")
    if d.notes:
        notes = "<br>".join(e(line) for line in d.notes.splitlines())
        parts.append(f"<h4 style='margin-bottom:2px'>Notes</h4><p>{notes}</p>")
    if letters:
        parts.append("<h4 style='margin-bottom:2px'>Letters sent</h4><table cellspacing='2'>")
        for letter in letters:
            sent = letter.sent_at.astimezone()
            to = letter.recipient_name
            if letter.recipient_role and letter.recipient_role.casefold() not in to.casefold():
                to += f" ({letter.recipient_role})"
            what = letter.subject or letter.template_name
            parts.append(
                f"<tr><td style='padding-right:8px; color:#555'>{format_date(sent.date())}</td>"
                f"<td><a href='{LETTER_LINK}:{letter.id}'>{e(what)}</a><br>"
                f"<span style='color:#555'>to {e(to)} · by {e(letter.sent_by)}</span></td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(
            "<h4 style='margin-bottom:2px'>Letters sent</h4>"
            "<p style='color:#777; margin-top:0'>None yet: letters made with Letters &gt; Mail "
            "merge are kept here.</p>"
        )
    when = d.updated_at.astimezone()
    parts.append(
        f"<p style='color:#777'>Last changed by {e(d.updated_by)} on "
        f"{format_date(when.date())} at {when:%H:%M}</p>"
    )
    return "".join(parts)


def _show_pdf(parent: QWidget, data: bytes, title: str, name: str) -> object:
    # The document window (and Qt's PDF modules) load when a letter is first opened.
    from thep_desktop.ui.shared.pdf_window import show_pdf

    return show_pdf(parent, data, title, name)
