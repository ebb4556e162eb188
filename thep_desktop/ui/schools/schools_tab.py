"""The Schools tab: the register as a sortable, searchable table, the chosen school beside it."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.schools import with_membership
from thep_desktop.reports.shared.spreadsheet import TableData
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_export import all_fields_table
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServerUnavailableError,
    ServiceError,
)
from thep_desktop.ui.schools.school_actions import SchoolActions
from thep_desktop.ui.schools.school_detail_html import LETTER_LINK, detail_html
from thep_desktop.ui.schools.school_profile_window import PROFILE_KEY, open_school_profile
from thep_desktop.ui.schools.schools_filters import SchoolsFilters
from thep_desktop.ui.schools.schools_layout import SchoolsLayout
from thep_desktop.ui.schools.schools_table_model import (
    COL_NAME,
    SchoolsFilterProxy,
    SchoolsTableModel,
)
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.table_export import ExportRequest

if TYPE_CHECKING:
    from thep_desktop.services.letters.letters_service import CorrespondenceRow

LEGEND_HTML = (
    "<span style='color:#b00020'>&#9632;</span> <span style='color:#b00020'><b>Red name</b></span>"
    ": school causing concern &nbsp;&nbsp; "
    "<span style='color:#8a8a8a'>&#9632; Grey row</span>: closed school"
)


class SchoolsTab(SchoolsLayout, SchoolsFilters, SchoolActions, QWidget):
    """Everything the office does with the register. Emits ``status_message`` for the status bar.

    Its jobs live beside it: the columns and details pane (:mod:`.schools_layout`), the search
    and quick filters (:mod:`.schools_filters`), the actions (:mod:`.school_actions`) with their
    undo (:mod:`.school_commands`) and the details shown (:mod:`.school_detail_html`).
    """

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
        # Opens the school and history dialogs; tests replace it to drive the dialog without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        # Opens a letter from the history; tests replace it to see what would be shown.
        self.show_pdf = _show_pdf
        # Opens a school's profile window (tests may replace it).
        self.show_profile: Callable[[Services, int, QWidget], object] = open_school_profile
        self.letters_shown: list[CorrespondenceRow] = []  # the selected school's letters
        self._letters_school = ""
        self.memberships: dict[int, str] = {}  # each member school's membership in words
        self.model = SchoolsTableModel(self)
        self._hidden_selection: list[int] = []  # selected schools a search has hidden
        self.proxy = SchoolsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._connect()
        self._filter_changed()  # the status filter starts at open and proposed schools

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filter_bar())

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

        self.details_button = QPushButton("Hide det&ails")
        self.details_button.setObjectName("details_button")
        self.details_button.setCheckable(True)
        self.details_button.setChecked(True)
        self.details_button.setToolTip("Show or hide the selected school's details (Ctrl+Shift+D)")
        buttons.addWidget(self.details_button)
        self.legend = QLabel(LEGEND_HTML)
        self.legend.setObjectName("legend")
        self.legend.setToolTip("What the colours in the table mean")
        buttons.addWidget(self.legend)
        layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("schools_splitter")
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
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setToolTip("Right-click to choose, move and size the columns")
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table_menu: QMenu | None = None
        # Ctrl+H in the table (as the context menu says): no other key of the window uses it.
        self.history_action = QAction("&History…", self.table)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.history_action.setToolTip("Everything changed in the selected school (Ctrl+H)")
        self.history_action.triggered.connect(lambda _checked=False: self.show_history())
        self.table.addAction(self.history_action)
        self.profile_action = QAction("School &profile…", self)
        self.profile_action.setToolTip(
            f"Everything about the selected school in one window, printable ({PROFILE_KEY})"
        )
        self.profile_action.triggered.connect(lambda _checked=False: self.open_profile())
        self.splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("school_detail")
        self.detail.setOpenExternalLinks(False)
        self.detail.setOpenLinks(False)  # a letter's link opens it in a document window
        self.detail.setMinimumWidth(220)
        self.splitter.addWidget(self.detail)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        # The table takes any extra room: the details pane keeps the width the user gave it.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        layout.addWidget(self.splitter, 1)

        self._build_layout_memory()

    def _connect(self) -> None:
        self._connect_layout()
        self._connect_filters()
        self.new_button.clicked.connect(self.new_school)
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail.anchorClicked.connect(self._link_clicked)
        self.table.customContextMenuRequested.connect(self._table_menu_requested)
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
    def reload(self) -> bool:
        """Read the register again (one query), keeping the sort, filter and selection.

        When the server cannot be reached, the status bar says so and the rows read last stay
        in view; False then.
        """
        selected = self.selected_ids()
        try:
            rows = self.services.schools.list_schools(self.services.actor)
            self.memberships = self.services.members.statuses_of_schools(self.services.actor)
        except ServerUnavailableError:
            # Short: the status bar's notice beside it already says the server is gone.
            self.status_message.emit("Not reloaded: the schools shown are as they were last read.")
            return False
        self.model.set_rows(with_membership(rows, self.memberships))
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
        return True

    def show_memberships(self) -> None:
        """Read each school's membership again (after a change in the Memberships tab)."""
        try:
            self.memberships = self.services.members.statuses_of_schools(self.services.actor)
        except ServiceError:
            return  # the column keeps what it showed; the next reload reads it again
        changed = [
            row._replace(membership=self.memberships.get(row.id, ""))
            for row in self.model.rows()
            if row.membership != self.memberships.get(row.id, "")
        ]
        for row in changed:
            self.model.replace_row(row)

    def export_request(self) -> ExportRequest:
        """What File > Export writes: the table as shown, or the same schools with every field."""
        subtitle = self.filter_in_words()
        school_ids = self.shown_ids()
        services = self.services

        def all_fields(source: str) -> TableData:
            # Runs on the export's background thread: one read of the shown schools.
            details = services.schools.list_school_details(services.actor, school_ids)
            return all_fields_table(details, subtitle=subtitle, source=source)

        return ExportRequest(
            self.table,
            "Schools register",
            subtitle,
            "Schools",
            all_fields=all_fields,
            all_fields_help="address lines, phone, email, website, head teacher, every "
            "contact with role, email and phone, Ofsted, census, opening and closing dates: "
            "for address labels. A workbook also lists the contacts one to a row on a sheet "
            "of their own, for email lists.",
        )

    def _table_menu_requested(self, position: QPoint) -> None:
        """Right-click on a school: what the buttons do, and its history."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        if not self.table.selectionModel().isRowSelected(index.row()):
            self.table.selectRow(index.row())
        if self.table_menu is not None:
            # The last one goes now, not as it hides: its chosen action may still be running.
            self.table_menu.deleteLater()
        menu = QMenu(self)
        menu.setObjectName("school_menu")
        for text, slot, enabled in (
            ("&Edit…", self.edit_selected, True),
            ("C&lose school…", self.close_selected, self.close_button.isEnabled()),
            ("&Delete…", self.delete_selected, self.delete_button.isEnabled()),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False, run=slot: run())
        menu.addSeparator()
        menu.addAction(self.profile_action)
        menu.addAction(self.history_action)
        self.table_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(position))

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
        """Show the selected school, its contacts, census figures and letters (read afresh)."""
        school_id = self.selected_id()
        self.letters_shown = []
        if not self.details_action.isChecked():
            return  # the pane is shut: read the school when it is shown again
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
            census = self.services.schools.census_history(self.services.actor, school_id)
            inspections = self.services.ofsted.list_inspections(self.services.actor, school_id)
        except (NotFoundError, ServerUnavailableError) as exc:
            self.detail.setHtml(f"<p>{html.escape(exc.message)}</p>")
            return
        self._letters_school = detail.name
        self.detail.setHtml(detail_html(detail, self.letters_shown, census, inspections))

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

    def open_profile(self) -> object:
        """Open the selected school's profile (its own window, beside this one)."""
        school_id = self.selected_id()
        if school_id is None:
            self.status_message.emit("Select a school to see its profile.")
            return None
        row = self.model.row_at(self.model.row_of_id(school_id))
        return self.show_profile(self.services, row.urn, self)

    def _update_actions(self) -> None:
        can_edit = self.services.actor.can(EDIT_SCHOOLS)
        has_one = self.selected_id() is not None
        self.new_button.setEnabled(can_edit)
        self.edit_button.setEnabled(has_one)
        self.edit_button.setText("&Edit…" if can_edit else "&View…")
        self.close_button.setEnabled(can_edit and has_one)
        self.delete_button.setEnabled(can_edit and has_one)


def _show_pdf(parent: QWidget, data: bytes, title: str, name: str) -> object:
    # The document window (and Qt's PDF modules) load when a letter is first opened.
    from thep_desktop.ui.shared.pdf_window import show_pdf

    return show_pdf(parent, data, title, name)
