"""Driving the program as a person does: menus from the menu bar, keys, and the boxes it asks.

``menu_action(window, "File", "Export…")`` finds an action the way a person does, through the
menu bar, and checks it is there to be chosen. :class:`Modals` answers the modal boxes the
program opens (questions, warnings, the close-date box, progress dialogs) by typing into them
and clicking their buttons while they run their own event loop, so nothing in the program is
replaced. A box nobody expected is recorded and closed, so a test fails rather than hangs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot


def _plain(text: str) -> str:
    """A menu or button caption without its mnemonic (``&File`` is File)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_action(window: QMainWindow, *path: str):  # type: ignore[no-untyped-def]
    """The action at ``path`` in the window's menu bar ("File", "Export…"); it must be enabled."""
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    *menu_names, action_name = path
    for name in menu_names:
        found = [m for m in menus if _plain(m.title()) == name]
        assert found, f"no menu {name!r} (there are {[_plain(m.title()) for m in menus]})"
        menu: QMenu = found[0]
        menus = [a.menu() for a in menu.actions() if a.menu() is not None]
    actions = [a for a in menu.actions() if _plain(a.text()) == action_name]
    assert actions, f"no {action_name!r} in {'/'.join(menu_names)}"
    (action,) = actions
    assert action.isVisible() and action.isEnabled(), f"{'/'.join(path)} cannot be chosen"
    return action


def button(box: QWidget, caption: str) -> QAbstractButton:
    """The button of ``box`` whose caption (mnemonic aside) is ``caption``."""
    found = [b for b in box.findChildren(QAbstractButton) if _plain(b.text()) == caption]
    shown = [b for b in found if b.isVisible()] or found
    assert shown, f"no button {caption!r} in {box.windowTitle()!r}: " + ", ".join(
        _plain(b.text()) for b in box.findChildren(QAbstractButton)
    )
    return shown[0]


@dataclass
class Seen:
    """A modal box as the person saw it."""

    kind: str  # "message", "input", "progress" or the dialog's class name
    title: str
    text: str


class Modals:
    """Answers the modal boxes the program opens, one answer per box, in order."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.seen: list[Seen] = []
        self.unexpected: list[Seen] = []
        self.errors: list[BaseException] = []  # a check that failed inside a box
        self._answers: deque[Callable[[QWidget], None]] = deque()
        self._timer = QTimer()
        self._timer.setInterval(15)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    # -- what to answer ---------------------------------------------------------------------
    def click(self, caption: str) -> Modals:
        """The next box: click the button ``caption`` (a question, a warning, a dialog)."""
        self._answers.append(lambda box: self.qtbot.mouseClick(button(box, caption), _LEFT))
        return self

    def type(self, text: str, then: str = "OK") -> Modals:
        """The next box asks for text: retype it, as a person does, then click ``then``."""

        def answer(box: QWidget) -> None:
            # A file dialog's file name box, or else the first box to type in.
            edit = box.findChild(QLineEdit, "fileNameEdit") or box.findChild(QLineEdit)
            assert edit is not None, f"{box.windowTitle()!r} has nowhere to type"
            edit.selectAll()
            self.qtbot.keyClicks(edit, text)
            self.qtbot.mouseClick(button(box, then), _LEFT)

        self._answers.append(answer)
        return self

    def press_escape(self) -> Modals:
        """The next box: press Esc."""
        self._answers.append(lambda box: self.qtbot.keyClick(box, _ESCAPE))
        return self

    def cancel_progress(self) -> Modals:
        """The next progress dialog (a job running): click its Cancel button."""

        def answer(box: QWidget) -> None:
            self.qtbot.mouseClick(button(box, "Cancel"), _LEFT)

        answer.for_progress = True  # type: ignore[attr-defined]
        self._answers.append(answer)
        return self

    def then(self, fn: Callable[[QWidget], None]) -> Modals:
        """The next box: do ``fn(box)`` (to fill in a dialog the program runs with exec())."""
        self._answers.append(fn)
        return self

    # -- checking ---------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        return len(self._answers)

    def wait_answered(self, timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: not self._answers or bool(self.errors), timeout=timeout)
        self.check()

    def stop(self) -> None:
        self._timer.stop()

    # -- the watcher ------------------------------------------------------------------------
    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if box is None or box.property(_HANDLED):
            # A progress dialog shows itself after a delay; until then it is not "active",
            # and over a window being answered (a mail merge) it may never be.
            progress = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QProgressDialog) and w.isVisible() and not w.property(_HANDLED)
                ),
                None,
            )
            box = progress or box
        if box is None or not box.isVisible() or box.property(_HANDLED):
            return
        seen = Seen(_kind(box), box.windowTitle(), _text(box))
        if not self._answers:
            if isinstance(box, QProgressDialog):
                return  # a job running: not a question
            box.setProperty(_HANDLED, True)
            self.unexpected.append(seen)
            _force_close(box)
            return
        answer = self._answers[0]
        wants_progress = getattr(answer, "for_progress", False)
        if isinstance(box, QProgressDialog) and not wants_progress:
            return  # a job running while the test waits for some other box: let it run
        if wants_progress and not isinstance(box, QProgressDialog):
            box.setProperty(_HANDLED, True)  # a box instead of the job's progress
            self.unexpected.append(seen)
            _force_close(box)
            return
        self._answers.popleft()
        box.setProperty(_HANDLED, True)
        self.seen.append(seen)
        # Answered from a timer of its own, once this one has returned: the answer may open
        # the next box, whose event loop then runs inside it, and Qt never re-enters a timer
        # that is still running, so this watcher must be free to see that box.
        QTimer.singleShot(0, lambda: self._answer(answer, box))

    def _answer(self, answer: Callable[[QWidget], None], box: QWidget) -> None:
        if not shiboken6.isValid(box):
            # Closed and deleted (a box with delete-on-close) before its turn came: touching
            # it now would reach freed memory, so the test fails instead of the process.
            self.errors.append(AssertionError("a box closed before it could be answered"))
            return
        try:
            answer(box)
            # Every answer ends the box, as a person's last click does.
            if shiboken6.isValid(box) and box.isVisible():
                raise AssertionError(f"{box.windowTitle()!r} was still open after its answer")
        except BaseException as exc:  # noqa: BLE001 - kept, and raised by check()
            self.errors.append(exc)
            _force_close(box)

    def check(self) -> None:
        """Raise the first check that failed inside a box."""
        if self.errors:
            raise self.errors[0]


def _force_close(box: QWidget) -> None:
    """Close a box without asking it (a dialog's own reject() may ask about unsaved changes)."""
    if not shiboken6.isValid(box):
        return  # already gone
    if isinstance(box, QDialog):
        QDialog.done(box, QDialog.DialogCode.Rejected)
    else:
        box.close()


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make ``window`` the active window, as clicking on it does: its shortcuts then work."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    handle = window.windowHandle()
    if handle is not None:
        handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)


def press(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press a key in ``widget``, which has the keyboard, in the window in front.

    A person's keys go to the widget they are typing in, in the window in front; after a
    box closes, the window manager puts the window underneath in front again. The offscreen
    platform has no window manager, so this does it, or a shortcut such as Ctrl+S (or a key
    that only acts in its own widget, such as Esc in the search box) would go nowhere.
    """
    if QApplication.activeWindow() is not widget.window():
        activate(qtbot, widget.window())
    if not widget.hasFocus():
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(widget, key, modifiers)


def click_tab(qtbot: QtBot, tabs: QTabWidget, page: QWidget) -> None:
    """Click the tab of ``page`` in ``tabs``, as a person does, and check it is in view."""
    bar = tabs.tabBar()
    index = tabs.indexOf(page)
    assert index >= 0, f"{page.objectName()!r} is not a tab here"
    qtbot.mouseClick(bar, _LEFT, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is page


def choose(qtbot: QtBot, combo: QComboBox, text: str, *, starting: bool = False) -> None:
    """Choose an entry of a closed drop-down with the keyboard, as a person does: focus it,
    Home, then Down until it shows (``starting``: until it shows an entry starting with
    ``text``).

    Typing an entry's first letters would be as real, but it works only while each key comes
    within the keyboard search's interval of the last, which a machine loaded by the rest of
    the suite does not promise (a filter re-read on the first letter can outlast it).
    """

    def shown() -> bool:
        current = combo.currentText()
        return current.startswith(text) if starting else current == text

    combo.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if shown():
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert shown(), (combo.currentText(), text)


def _kind(box: QWidget) -> str:
    if isinstance(box, QMessageBox):
        return "message"
    if isinstance(box, QInputDialog):
        return "input"
    if isinstance(box, QProgressDialog):
        return "progress"
    return type(box).__name__


def _text(box: QWidget) -> str:
    if isinstance(box, QMessageBox):
        return box.text()
    if isinstance(box, QInputDialog):
        return box.labelText()
    if isinstance(box, QProgressDialog):
        return box.labelText()
    # A dialog of our own: what its labels say, as the person reads it.
    return "\n".join(label.text() for label in box.findChildren(QLabel) if label.isVisible())


def push(qtbot: QtBot, widget: QPushButton) -> None:
    """Click a button where a person would, checking it can be clicked."""
    assert widget.isVisible() and widget.isEnabled(), f"{widget.text()!r} cannot be clicked"
    qtbot.mouseClick(widget, _LEFT)


# Marks a box already answered. On the box itself: Python may give a new box's wrapper the
# id() of one already closed and freed, so a set of ids would skip the new box.
_HANDLED = "answered_by_the_test"
_LEFT = Qt.MouseButton.LeftButton
_ESCAPE = Qt.Key.Key_Escape
