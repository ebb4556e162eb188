"""What the letters windows' tests share: answers to questions, finders, waits."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.letters.templates_dialog import (
    TemplatesDialog,
)
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared.forms import DISCARD_CHANGES

ADVERSARIAL = "St Mary & St John's <Primary>"
OWN_BODY = "We write to {school.name} about the summer programme.\n\nKind regards from {org.name}."
DIRECTOR = "Grace Adeyemi"

# What each mail merge window asked the document window to show: (bytes, title, file name).
shown_pdfs: dict[MailMergeDialog, list[tuple[bytes, str, str]]] = {}


def answering(*answers: str) -> tuple[list[tuple[str, list[str]]], Callable[..., str]]:
    """An ``ask`` that gives ``answers`` in turn (then the last choice, as Esc would)."""
    asked: list[tuple[str, list[str]]] = []
    queue = list(answers)

    def ask(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        asked.append((text, list(choices)))
        return queue.pop(0) if queue else choices[-1]

    return asked, ask


def no_tell(_parent, title, text):  # type: ignore[no-untyped-def]
    pytest.fail(f"nothing should be told here: {title}: {text}")


def templates_dialog(qtbot: QtBot, services: Services, **kw: object) -> TemplatesDialog:
    dialog = TemplatesDialog(services, **kw)  # type: ignore[arg-type]
    _asked, dialog.ask = answering(DISCARD_CHANGES)
    dialog.tell = no_tell
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # focus, and so the field picker's target, needs it
    return dialog


def wait_for_preview(qtbot: QtBot, dialog: TemplatesDialog, pages: int = 1) -> None:
    qtbot.waitUntil(
        lambda: (
            dialog.preview_document.status() == QPdfDocument.Status.Ready
            and dialog.preview_document.pageCount() == pages
        ),
        timeout=20_000,
    )


def line(dialog: TemplatesDialog, name: str) -> QLineEdit:
    widget = dialog.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def body(dialog: TemplatesDialog) -> QPlainTextEdit:
    widget = dialog.inputs["body"]
    assert isinstance(widget, QPlainTextEdit)
    return widget


def field_item(dialog: TemplatesDialog, name: str) -> QTreeWidgetItem:
    tree = dialog.field_tree
    for group in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(group)
        assert parent is not None
        for child in range(parent.childCount()):
            item = parent.child(child)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == name:
                return item
    raise AssertionError(f"no field {name} in the picker")


def kind_shown(dialog: TemplatesDialog, name: str) -> str:
    for row in range(dialog.model.rowCount()):
        values = dialog.model.row_values(row)
        if values[0] == name:
            return str(values[2])
    raise AssertionError(f"{name} is not listed")


def retype_line(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def shows_a_page(dialog: TemplatesDialog) -> bool:
    """Whether the preview has a page drawn in it (ink, not just the grey background)."""
    image = dialog.preview.viewport().grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    return len(colours) > 3


def open_merge(window: MainWindow, merges: list[MailMergeDialog]) -> MailMergeDialog:
    window.mail_merge_action.trigger()
    assert merges, "Letters > Mail merge opened nothing"
    return merges[-1]


def choose_template(dialog: MailMergeDialog, name: str) -> None:
    index = dialog.template_combo.findText(name)
    assert index >= 0, name
    dialog.template_combo.setCurrentIndex(index)
    dialog.check_recipients()


def wait_done(qtbot: QtBot, dialog: MailMergeDialog) -> None:
    assert dialog.job is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)


def on_its_text(button: QAbstractButton) -> QPoint:
    """Where a click on a radio button or check box lands on what a person clicks."""
    style = button.style()
    element = (
        QStyle.SubElement.SE_RadioButtonClickRect
        if isinstance(button, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxClickRect
    )
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    return style.subElementRect(element, option, button).center()
