"""The Schools tab: the register as a sortable, searchable table, the chosen school beside it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.reports.schools.schools_table import COLUMN_KEYS, LAYOUT_STATE, column_layout
from thep_desktop.reports.shared.spreadsheet import TableData
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_export import all_fields_table
from thep_desktop.services.schools.schools_service import SchoolDetail, SchoolInput
from thep_desktop.services.shared.actor import Permission
from thep_desktop.services.shared.errors import NotFoundError, ServiceError
from thep_desktop.ui.schools.schools_table_model import (
    ANY,
    COL_NAME,
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

# The first is the default: the schools the office works with; closed ones are one click away.
STATUS_CHOICES = (
    ("Open and proposed", CURRENT),
    ("Open", SchoolStatus.OPEN.value),
    ("Proposed to open", SchoolStatus.PROPOSED.value),
    ("Closed", SchoolStatus.CLOSED.value),
    ("All statuses", ANY),
)

# Widths (pixels) a column starts at; the default columns add up to fit a 1366x768 screen.
DEFAULT_WIDTHS = {
    "urn": 62,
    "dfe_number": 84,
    "name": 236,
    "phase": 92,
    "type": 170,
    "status": 112,
    "postcode": 80,
    "pupils": 60,
    "trust": 190,
    "head_teacher": 150,
    "link_officer": 120,
    "ofsted": 118,
    "concern": 64,
}
DETAIL_WIDTH = 300  # the details pane's width until the user drags it
_SAVE_DELAY_MS = 400  # a column dragged wider saves once, when the dragging stops
LEGEND_HTML = (
    "<span style='color:#b00020'>&#9632;</span> <span style='color:#b00020'><b>Red name</b></span>"
    ": school causing concern &nbsp;&nbsp; "
    "<span style='color:#8a8a8a'>&#9632; Grey row</span>: closed school"
)


def _standard_widths() -> dict[str, int]:
    return {key: DEFAULT_WIDTHS.get(key, 100) for key in COLUMN_KEYS}


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
        self._filter_changed()  # the status filter starts at open and proposed schools

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
        self.header_menu: QMenu | None = None  # the header's context menu while it is open
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

        self.details_action = QAction("School &details", self)
        self.details_action.setCheckable(True)
        self.details_action.setChecked(True)
        self.details_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.details_action.setStatusTip("Show or hide the selected school's details")
        self.reset_columns_action = QAction("&Reset columns", self)
        self.reset_columns_action.setStatusTip(
            "Show the standard columns, in the standard order and widths"
        )
        self._widths = _standard_widths()  # hidden columns' widths too
        self._detail_width = DETAIL_WIDTH
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_layout)
        self._filling = False  # True while the School column is widened to fill the table
        self._restore_layout()
        self.table.viewport().installEventFilter(self)

    def _connect(self) -> None:
        header = self.table.horizontalHeader()
        header.customContextMenuRequested.connect(self._header_menu_requested)
        # Connected after the layout is restored, so only the user's changes are saved.
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_args: self._save_timer.start())
        self.splitter.splitterMoved.connect(self._splitter_moved)
        self.details_button.toggled.connect(self.show_details_pane)
        self.details_action.toggled.connect(self.show_details_pane)
        self.reset_columns_action.triggered.connect(lambda _checked=False: self.reset_columns())
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

    # -- columns and the details pane, remembered per user ------------------------------------
    def _restore_layout(self) -> None:
        """Put the columns and the details pane as this user left them (else the defaults)."""
        state = config.ui_state(LAYOUT_STATE)
        order, hidden, widths = column_layout(state)
        self._widths.update(widths)
        self._apply_columns(order, hidden)
        width = state.get("detail_width")
        if isinstance(width, int) and 150 <= width <= 3000:
            self._detail_width = width
        self.show_details_pane(state.get("detail_collapsed") is not True, save=False)

    def _apply_default_columns(self) -> None:
        self._apply_columns(*column_layout({})[:2])

    def _apply_columns(self, order: list[int], hidden: set[int]) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        try:
            for visual, logical in enumerate(order):
                header.moveSection(header.visualIndex(logical), visual)
            for logical, key in enumerate(COLUMN_KEYS):
                header.setSectionHidden(logical, False)
                header.resizeSection(logical, self._widths[key])
                header.setSectionHidden(logical, logical in hidden)
        finally:
            header.blockSignals(False)
        # The header repaints from its own signals, blocked above.
        header.viewport().update()
        self.table.updateGeometries()
        self._fill_width()

    def visible_columns(self) -> list[int]:
        """The columns shown, left to right (logical numbers)."""
        header = self.table.horizontalHeader()
        ordered = (header.logicalIndex(v) for v in range(header.count()))
        return [n for n in ordered if not header.isSectionHidden(n)]

    def layout_state(self) -> dict[str, object]:
        header = self.table.horizontalHeader()
        columns = []
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            key = COLUMN_KEYS[logical]
            columns.append(
                {
                    "key": key,
                    "width": self._widths[key],
                    "hidden": header.isSectionHidden(logical),
                }
            )
        return {
            "columns": columns,
            "detail_width": self._detail_width,
            "detail_collapsed": not self.details_action.isChecked(),
        }

    def save_layout(self) -> None:
        """Remember the columns and the details pane for this user (in their settings file)."""
        self._save_timer.stop()
        config.save_ui_state(LAYOUT_STATE, self.layout_state())

    def save_layout_now(self) -> None:
        """Write a change still waiting to be saved (the window is closing)."""
        if self._save_timer.isActive():
            self.save_layout()

    def _section_resized(self, logical: int, _old: int, new: int) -> None:
        if self._filling:
            return
        if new > 0:  # hiding a column "resizes" it to nothing; its width is kept for later
            self._widths[COLUMN_KEYS[logical]] = new
            self._save_timer.start()
        if logical != COL_NAME:
            self._fill_width()

    def _fill_width(self) -> None:
        """Widen the School column into any room left at the table's right (a wide screen).

        The user's own width for it is kept: when the window narrows it goes back to that.
        """
        header = self.table.horizontalHeader()
        if header.isSectionHidden(COL_NAME):
            return
        others = sum(header.sectionSize(n) for n in self.visible_columns() if n != COL_NAME)
        width = max(self._widths[COLUMN_KEYS[COL_NAME]], self.table.viewport().width() - others)
        if header.sectionSize(COL_NAME) != width:
            self._filling = True
            try:
                header.resizeSection(COL_NAME, width)
            finally:
                self._filling = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fill_width()
        return super().eventFilter(watched, event)

    def set_column_shown(self, logical: int, shown: bool) -> None:
        if not shown and self.visible_columns() == [logical]:
            return  # the table always keeps one column
        self.table.horizontalHeader().setSectionHidden(logical, not shown)
        if shown:
            self.table.horizontalHeader().resizeSection(logical, self._widths[COLUMN_KEYS[logical]])
        self._fill_width()
        self.save_layout()

    def move_column(self, logical: int, step: int) -> None:
        """Move a column ``step`` places among the shown columns (-1: left, 1: right)."""
        shown = self.visible_columns()
        position = shown.index(logical) + step
        if not 0 <= position < len(shown):
            return
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(logical), header.visualIndex(shown[position]))
        self.save_layout()

    def fit_column(self, logical: int) -> None:
        self.table.resizeColumnToContents(logical)
        self.save_layout()

    def reset_columns(self) -> None:
        self._widths = _standard_widths()
        self._apply_default_columns()
        self.save_layout()
        self.status_message.emit("The columns are back to the standard set.")

    def _header_menu_requested(self, position: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = self.build_header_menu(header.logicalIndexAt(position))
        self.header_menu = menu
        menu.aboutToHide.connect(self._header_menu_closed)
        menu.popup(header.viewport().mapToGlobal(position))

    def _header_menu_closed(self) -> None:
        # Deleted later: the action chosen is triggered after the menu hides.
        if self.header_menu is not None:
            self.header_menu.deleteLater()
            self.header_menu = None

    def build_header_menu(self, clicked: int) -> QMenu:
        """The header's context menu: which columns to show, moving and sizing one, reset."""
        menu = QMenu(self)
        menu.setObjectName("columns_menu")
        self.fill_columns_menu(menu, clicked)
        return menu

    def fill_columns_menu(self, menu: QMenu, clicked: int = -1) -> None:
        """Fill ``menu`` with the column choices (also View > Columns, for the keyboard).

        ``clicked``: the column right-clicked, offered to move, fit and hide first.
        """
        menu.clear()
        header = self.table.horizontalHeader()
        shown = self.visible_columns()
        if 0 <= clicked < len(COLUMNS):
            title = COLUMNS[clicked].title
            left = menu.addAction(f"Move “{title}” &left", lambda: self.move_column(clicked, -1))
            left.setEnabled(shown.index(clicked) > 0 if clicked in shown else False)
            right = menu.addAction(f"Move “{title}” &right", lambda: self.move_column(clicked, 1))
            right.setEnabled(clicked in shown and shown.index(clicked) < len(shown) - 1)
            menu.addAction(f"&Fit “{title}” to its contents", lambda: self.fit_column(clicked))
            hide = menu.addAction(f"&Hide “{title}”", lambda: self.set_column_shown(clicked, False))
            hide.setEnabled(len(shown) > 1)
            menu.addSeparator()
        menu.addSection("Columns shown")
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            action = menu.addAction(COLUMNS[logical].title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            # The last column shown cannot be hidden: the table would disappear.
            action.setEnabled(not (shown == [logical]))
            action.toggled.connect(lambda checked, n=logical: self.set_column_shown(n, checked))
        menu.addSeparator()
        every = menu.addAction("Show &all columns", self.show_all_columns)
        every.setEnabled(len(shown) < len(COLUMNS))
        menu.addAction(self.reset_columns_action)

    def show_all_columns(self) -> None:
        header = self.table.horizontalHeader()
        for logical in range(len(COLUMNS)):
            if header.isSectionHidden(logical):
                header.setSectionHidden(logical, False)
                header.resizeSection(logical, self._widths[COLUMN_KEYS[logical]])
        self._fill_width()
        self.save_layout()

    def show_details_pane(self, shown: bool, *, save: bool = True) -> None:
        """Show or collapse the school's details beside the table (remembered)."""
        for control in (self.details_action, self.details_button):
            control.blockSignals(True)
            control.setChecked(shown)
            control.blockSignals(False)
        self.details_button.setText("Hide det&ails" if shown else "Show det&ails")
        total = max(sum(self.splitter.sizes()), self._detail_width + 400)
        if shown:
            self.splitter.setSizes([total - self._detail_width, self._detail_width])
            self.show_detail()
        else:
            self.splitter.setSizes([total, 0])
        if save:
            self.save_layout()

    def _splitter_moved(self, *_args: object) -> None:
        detail = self.splitter.sizes()[1]
        if detail > 0:
            self._detail_width = detail
        if (detail > 0) != self.details_action.isChecked():
            self.show_details_pane(detail > 0, save=False)  # dragged shut, or open again
        self._save_timer.start()

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
            f"{before.name} stays in the register, marked closed.\n"
            "A date still to come keeps it open until then.\n"
            "Date it closes or closed (dd/mm/yyyy):",
            text=format_date(before.close_date or date.today()),
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
        if after.closes_later and after.close_date:
            self.status_message.emit(
                f"{after.name} will close on {format_date(after.close_date)}; "
                "it counts as open until then."
            )
        else:
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
    if d.closes_later and d.close_date:
        status += f"<br><b>Closes on {format_date(d.close_date)}</b>"
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
