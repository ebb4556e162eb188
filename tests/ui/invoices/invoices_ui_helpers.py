"""Driving the Invoices tab and the invoice editor as a person does, for its tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit

from thep_desktop.ui.invoices.invoice_editor import InvoiceEditor
from thep_desktop.ui.invoices.invoices_tab import InvoicesTab
from thep_desktop.ui.invoices.invoices_table_model import COL_NUMBER

CTRL = Qt.KeyboardModifier.ControlModifier


def settle(qtbot, tab: InvoicesTab) -> None:  # type: ignore[no-untyped-def]
    """Wait for the list, read in the background, to be shown."""
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)


def numbers_shown(tab: InvoicesTab) -> list[str]:
    return [str(tab.proxy.index(r, COL_NUMBER).data()) for r in range(tab.proxy.rowCount())]


def cell(tab: InvoicesTab, invoice_id: int, column: int) -> str:
    rows = [tab.proxy.invoice_at(r).id for r in range(tab.proxy.rowCount())]
    return str(tab.proxy.index(rows.index(invoice_id), column).data())


def select(
    qtbot, tab: InvoicesTab, invoice_id: int, *, add: bool = False, out: bool = False
) -> None:  # type: ignore[no-untyped-def]
    """Click the invoice's row (with Ctrl to add it to the selection, or to take it out of
    it), as a person does."""
    rows = [tab.proxy.invoice_at(r).id for r in range(tab.proxy.rowCount())]
    rect = tab.table.visualRect(tab.proxy.index(rows.index(invoice_id), 1))
    modifier = CTRL if add else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert (invoice_id in tab.selected_ids()) is not out


def type_choice(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a searchable drop-down; click the entry in the list it offers, as a person
    does."""
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), text)
    popup = combo.completer().popup()
    if popup.isVisible():
        offered = [popup.model().index(r, 0) for r in range(popup.model().rowCount())]
        (entry,) = [i for i in offered if i.data() == text]
        rect = popup.visualRect(entry)
        qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert combo.currentText() == text
    assert combo.itemText(combo.currentIndex()) == text


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def editor_of(opened: list[QDialog]) -> InvoiceEditor:
    editor = opened[-1]
    assert isinstance(editor, InvoiceEditor)
    return editor


def type_line(qtbot, editor: InvoiceEditor, number: int, *values: str) -> None:  # type: ignore[no-untyped-def]
    """Type a line's description, quantity and unit price into its boxes."""
    row = editor.lines.rows[number - 1]
    for edit, value in zip((row.description, row.quantity, row.unit_price), values, strict=False):
        retype(qtbot, edit, value)
