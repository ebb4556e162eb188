"""Opening a table header's context menu as a right-click does, for GUI tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QTableView


def open_header_menu(table: QTableView, logical: int) -> QMenu:
    """Right-click the header of column ``logical``; returns the menu that opened."""
    header = table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(logical) + 5, header.height() // 2)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, header.viewport().mapToGlobal(position)
    )
    QApplication.sendEvent(header.viewport(), event)
    menus = [m for m in table.window().findChildren(QMenu) if m.isVisible()]
    assert menus, "no context menu opened"
    return menus[-1]


def menu_action(menu: QMenu, text: str) -> QAction:
    """The menu's action whose words (without the & of its shortcut key) are ``text``."""
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no “{text}” in {[a.text() for a in menu.actions()]}")
