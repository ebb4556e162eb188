"""The Schools table's columns and details pane, arranged by the user and remembered for them.

A mixin of :class:`~thep_desktop.ui.schools.schools_tab.SchoolsTab` rather than an object of
its own: the header menu, the School column filling spare width, the details pane's button,
menu action and splitter, and the saving all work on the tab's own table and splitter, and
showing the pane again reads the selected school into it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QSplitter, QTableView

from thep_desktop import config
from thep_desktop.reports.schools.schools_table import COLUMN_KEYS, LAYOUT_STATE, column_layout
from thep_desktop.ui.schools.schools_table_model import COL_NAME, COLUMNS

# Widths (pixels) a column starts at; the default columns add up to fit a 1366x768 screen.
DEFAULT_WIDTHS = {
    "urn": 62,
    "dfe_number": 84,
    "name": 200,  # the School column takes any spare width: this is its least
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
    "membership": 120,
}
DETAIL_WIDTH = 300  # the details pane's width until the user drags it
_SAVE_DELAY_MS = 400  # a column dragged wider saves once, when the dragging stops


def _standard_widths() -> dict[str, int]:
    return {key: DEFAULT_WIDTHS.get(key, 100) for key in COLUMN_KEYS}


class SchoolsLayout:
    """Show, hide, move, size and reset the columns; show or collapse the details pane."""

    # What the tab provides (see SchoolsTab).
    table: QTableView
    splitter: QSplitter
    details_button: QPushButton
    status_message: Signal
    show_detail: Callable[[], None]

    def _build_layout_memory(self) -> None:
        """The details action, Reset columns, and this user's columns and pane put back."""
        self.header_menu: QMenu | None = None  # the header's context menu while it is open
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

    def _connect_layout(self) -> None:
        header = self.table.horizontalHeader()
        header.customContextMenuRequested.connect(self._header_menu_requested)
        # Connected after the layout is restored, so only the user's changes are saved.
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_args: self._save_timer.start())
        self.splitter.splitterMoved.connect(self._splitter_moved)
        self.details_button.toggled.connect(self.show_details_pane)
        self.details_action.toggled.connect(self.show_details_pane)
        self.reset_columns_action.triggered.connect(lambda _checked=False: self.reset_columns())

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
