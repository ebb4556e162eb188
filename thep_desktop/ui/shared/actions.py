"""An action of a window or a tab: its words, what it does, its key and its tip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def make_action(
    parent: QObject,
    text: str,
    slot: Callable[[], object],
    tip: str = "",
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
) -> QAction:
    """A new action (not yet placed in a menu or toolbar); a toolbar button's tip names the
    key, and the status bar shows the tip while the pointer is on it."""
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        named = f" ({shortcut})" if isinstance(shortcut, str) and shortcut else ""
        action.setToolTip(tip + named)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action
