"""Asking the user a question and telling them something, with our own button words.

Windows hold these as attributes (``self.ask = ask``) so tests can answer a question
without a modal box blocking the test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

Ask = Callable[[QWidget | None, str, str, Sequence[str]], str]
Tell = Callable[[QWidget | None, str, str], None]


def ask(parent: QWidget | None, title: str, text: str, choices: Sequence[str]) -> str:
    """Show ``text`` with one button per choice; returns the chosen one.

    The first choice is the default; the last is what closing the box (Esc) means.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = []
    for number, choice in enumerate(choices):
        is_last = number == len(choices) - 1 and len(choices) > 1
        role = QMessageBox.ButtonRole.RejectRole if is_last else QMessageBox.ButtonRole.AcceptRole
        buttons.append(box.addButton(choice, role))
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    for choice, button in zip(choices, buttons, strict=True):
        if button is clicked:
            return choice
    return choices[-1]


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """A message the user must read (a problem, or something that did not happen)."""
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A message that something went as asked."""
    QMessageBox.information(parent, title, text)
