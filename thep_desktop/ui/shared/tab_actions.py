"""A list tab's actions: placed in its menu, toolbar and right-click menu, enabled by what the
person may do and what is selected, their keys working only while the tab is in view.

A mixin of a tab (the Invoices and Peer reviews tabs) that has ``services``, a ``toolbar``, a
``table`` over a ``proxy`` of a ``model`` with ``row_of_id(id)``, ``selected_rows()``, the
names of its menu's sections in order (``SECTIONS``), and sets ``tab_actions = []``,
``_toolbar_section = ""`` and ``table_menu = None`` before its first action is added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, QSortFilterProxyModel
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTableView, QToolBar

from thep_desktop.services.registry import Services
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.ui.shared.actions import make_action

SELECT_ROWS = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
CLEAR_AND_SELECT_ROWS = (
    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
)

Applies = Callable[[Sequence[Any]], bool]


@dataclass
class TabAction:
    """An action of the tab, and when it may be chosen."""

    action: QAction
    section: str
    permission: Permission | None  # None: anyone who may look
    applies: Applies | None  # None: whatever is selected, or nothing
    context: bool  # in the list's right-click menu
    shortcut: QKeySequence  # its key, which works only while the tab is in view


class TabActions:
    """The tab's actions by section; see the module's docstring for what the tab provides."""

    SECTIONS: tuple[str, ...] = ()
    services: Services
    toolbar: QToolBar
    table: QTableView
    proxy: QSortFilterProxyModel
    model: Any
    selected_rows: Callable[[], list[Any]]
    tab_actions: list[TabAction]
    _toolbar_section: str
    table_menu: QMenu | None

    def action(
        self, text: str, slot: Callable[[], object], tip: str, shortcut: str = ""
    ) -> QAction:
        """A new action of the tab (not yet placed anywhere: see :meth:`add_action`)."""
        return make_action(self, text, slot, tip, shortcut)  # type: ignore[arg-type]

    def add_action(
        self,
        action: QAction,
        section: str,
        *,
        permission: Permission | None = None,
        applies: Applies | None = None,
        toolbar: bool = False,
        context: bool = False,
    ) -> QAction:
        """Place ``action`` in the tab's menu's ``section`` (and the toolbar, and the list's
        right-click menu). It is enabled only when the person holds ``permission`` and
        ``applies(selected rows)`` is true; the tab checks both as the selection changes."""
        assert section in self.SECTIONS, section
        self.tab_actions.append(
            TabAction(action, section, permission, applies, context, action.shortcut())
        )
        if toolbar:
            if self._toolbar_section and self._toolbar_section != section:
                self.toolbar.addSeparator()
            self._toolbar_section = section
            self.toolbar.addAction(action)
        self.update_actions()
        return action

    def shortcuts_on(self, on: bool) -> None:
        """The tab's keys work while it is in view; in another tab, Ctrl+P or Ctrl+N mean
        that tab's own thing (or nothing), never a record out of sight."""
        for entry in self.tab_actions:
            entry.action.setShortcut(entry.shortcut if on else QKeySequence())

    def menu_sections(self) -> list[list[QAction]]:
        """The tab's menu: its actions, section by section."""
        return [
            [a.action for a in self.tab_actions if a.section == section]
            for section in self.SECTIONS
            if any(a.section == section for a in self.tab_actions)
        ]

    def update_actions(self) -> None:
        actor = self.services.actor
        rows = self.selected_rows()
        for entry in self.tab_actions:
            allowed = entry.permission is None or actor.can(entry.permission)
            entry.action.setEnabled(
                allowed and (entry.applies is None or bool(entry.applies(rows)))
            )

    def select_ids(self, ids: Sequence[int]) -> None:
        """Select the rows of these records (those shown), the first one current and in view."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        first = True
        for record_id in ids:
            source_row = self.model.row_of_id(record_id)
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if source_row < 0 or not index.isValid():
                continue
            if first:
                selection.setCurrentIndex(index, SELECT_ROWS)
                self.table.scrollTo(index)
                first = False
            else:
                selection.select(index, SELECT_ROWS)
        self.update_actions()

    def popup_table_menu(self, position: QPoint, name: str) -> None:
        """Right-click on a row: the context actions, for the rows selected (the row clicked
        is selected first when it was not)."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        selection = self.table.selectionModel()
        if not selection.isRowSelected(index.row(), index.parent()):
            selection.setCurrentIndex(index, CLEAR_AND_SELECT_ROWS)
            self.update_actions()
        if self.table_menu is not None:
            self.table_menu.deleteLater()
        menu = QMenu(self)  # type: ignore[call-overload]
        menu.setObjectName(name)
        last = ""
        for entry in self.tab_actions:
            if not entry.context:
                continue
            if last and entry.section != last:
                menu.addSeparator()
            last = entry.section
            menu.addAction(entry.action)
        self.table_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(position))
