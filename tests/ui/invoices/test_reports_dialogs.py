"""Aged debt…, Statement of account…, Export for Xero… and Invoice register…, driven from the
Invoices menu as a person does."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import customer, training
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, menu_action, push

from thep_desktop.domain.invoices import AGE_BUCKETS
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.aged_debt_dialog import TOTAL_ROW, AgedDebtDialog
from thep_desktop.ui.invoices.statement_dialog import StatementDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
AS_AT = "30/11/2026"


def retype(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter finishes the typing


@pytest.fixture
def debts(services: Services, bow) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Bow owes £540 31–60 days and £540 1–30 days overdue; Mile End £540 not yet due."""
    mile = customer(services, "Mile End Learning Hub")
    training(services, mile, date(2026, 11, 20))
    return {"bow": bow[0], "mile": mile}


def test_aged_debt_shows_the_buckets_and_each_customers_invoices(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], debts, tmp_path: Path
) -> None:
    menu_action(window, "Invoices", "Aged debt…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, AgedDebtDialog)
    retype(qtbot, dialog.as_at, AS_AT)
    headings = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headings == ["Customer", *(b.label for b in AGE_BUCKETS), "Total"]
    rows = [dialog.model.row_values(r) for r in range(dialog.model.rowCount())]
    zero, owed = Decimal("0.00"), Decimal("540.00")
    assert rows == [
        ("Bow Arts Trust", zero, owed, owed, zero, zero, Decimal("1080.00")),
        ("Mile End Learning Hub", owed, zero, zero, zero, zero, owed),
        (TOTAL_ROW, owed, owed, owed, zero, zero, Decimal("1620.00")),
    ]
    assert "2 customers owe £1,620.00 as at 30/11/2026" in dialog.summary.text()
    # Before Mile End's invoice: less is owed, and Bow's was less overdue.
    retype(qtbot, dialog.as_at, "15/10/2026")
    assert [dialog.model.row_values(r) for r in range(dialog.model.rowCount())] == [
        ("Bow Arts Trust", owed, owed, zero, zero, zero, Decimal("1080.00")),
        (TOTAL_ROW, owed, owed, zero, zero, zero, Decimal("1080.00")),
    ]
    retype(qtbot, dialog.as_at, AS_AT)
    rect = dialog.table.visualRect(dialog.model.index(0, 0))
    # A real double click: press and release, then the double-click event.
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    [invoices] = dialog.opened
    assert invoices.windowTitle() == "Bow Arts Trust: owed as at 30/11/2026"
    table = invoices.findChild(type(dialog.table))
    listed = [table.model().row_values(r) for r in range(table.model().rowCount())]
    assert [(r[0], r[3], r[4]) for r in listed] == [
        ("INV-000001", 60, owed),
        ("INV-000002", 30, owed),
    ]
    dialog.ask_save_path = lambda *_a: (str(tmp_path / "aged"), "")
    push(qtbot, button(dialog, "Save as Excel…"))
    saved = tmp_path / "aged.xlsx"
    assert str(saved) in dialog.message.text()
    cells = [c for row in load_workbook(saved).active.iter_rows(values_only=True) for c in row]
    assert "Bow Arts Trust" in cells and "Mile End Learning Hub" in cells
    dialog.ask_save_path = lambda *_a: (str(tmp_path / "aged.pdf"), "")
    push(qtbot, button(dialog, "Save as PDF…"))
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "aged.pdf").pages)
    assert "Bow Arts Trust" in text and "1,620.00" in text


def test_a_date_that_cannot_be_read_is_said_beside_the_report(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], debts
) -> None:
    menu_action(window, "Invoices", "Aged debt…").trigger()
    dialog = opened[-1]
    retype(qtbot, dialog.as_at, "31/11/2026")
    assert "As at" in dialog.message.text()
    assert dialog.isVisible()


def test_statement_of_the_selected_invoices_customer(  # type: ignore[no-untyped-def]
    qtbot, debts, window: MainWindow, opened: list[QDialog], services: Services, tmp_path: Path
) -> None:
    tab = window.invoices_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    bow_row = next(
        r
        for r in range(tab.proxy.rowCount())
        if tab.proxy.index(r, 0).data() and "Bow" in str(tab.proxy.index(r, 2).data())
    )
    rect = tab.table.visualRect(tab.proxy.index(bow_row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    menu_action(window, "Invoices", "Statement of account…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, StatementDialog)
    assert dialog.customer.currentText().startswith("Bow Arts Trust")
    assert "Owes £1,080.00" in dialog.account.text()
    retype(qtbot, dialog.date_to, "not a date")
    dialog.ask_save_path = lambda *_a: (str(tmp_path / "statement.pdf"), "")
    push(qtbot, button(dialog, "Save PDF…"))
    assert "To:" in dialog.message.text() and not (tmp_path / "statement.pdf").exists()
    retype(qtbot, dialog.date_to, AS_AT)
    push(qtbot, button(dialog, "Save PDF…"))
    qtbot.waitUntil(lambda: "Saved the statement of Bow Arts Trust" in dialog.message.text())
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "statement.pdf").pages)
    assert "Bow Arts Trust" in text and "INV-000001" in text and "1,080.00" in text
    assert "Mile End" not in text
    # Every customer with a balance, in one PDF.
    qtbot.keyClick(dialog.everyone, Qt.Key.Key_Space)
    assert not dialog.customer.isEnabled()
    dialog.ask_save_path = lambda *_a: (str(tmp_path / "all.pdf"), "")
    push(qtbot, button(dialog, "Save PDF…"))
    qtbot.waitUntil(lambda: "Saved 2 statements" in dialog.message.text())
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "all.pdf").pages)
    assert "Bow Arts Trust" in text and "Mile End Learning Hub" in text


def test_export_for_xero_and_the_register(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], debts, services: Services, modals, tmp_path
) -> None:
    bow = debts["bow"]
    first = services.invoices.list_invoices(services.actor)[-1]
    services.invoices.credit(services.actor, first.id, "Course cancelled", "100.00")
    tab = window.invoices_tab
    tab.ask_save_path = lambda *_a: (str(tmp_path / "xero.csv"), "")
    modals.click("OK")
    menu_action(window, "Invoices", "Export for Xero…").trigger()
    modals.wait_answered()
    said = modals.seen[-1].text
    assert "3 invoices exported to Xero in 1 file" in said
    assert "1 credit note was left out" in said
    with (tmp_path / "xero.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["*InvoiceNumber"] for r in rows} == {"INV-000001", "INV-000002", "INV-000003"}
    # Only October onwards: the From date typed above the list.
    qtbot.keyClicks(tab.date_from, "01/10/2026")
    tab.ask_save_path = lambda *_a: (str(tmp_path / "october.csv"), "")
    modals.click("OK")
    menu_action(window, "Invoices", "Export for Xero…").trigger()
    modals.wait_answered()
    assert modals.seen[-1].text.startswith("Invoices dated on or after 01/10/2026")
    with (tmp_path / "october.csv").open(encoding="utf-8-sig", newline="") as f:
        assert {r["*InvoiceNumber"] for r in csv.DictReader(f)} == {"INV-000002", "INV-000003"}
    tab.date_from.clear()
    tab.ask_save_path = lambda *_a: (str(tmp_path / "register"), "")
    menu_action(window, "Invoices", "Invoice register (Excel)…").trigger()
    values = [
        c
        for row in load_workbook(tmp_path / "register.xlsx").active.iter_rows(values_only=True)
        for c in row
    ]
    assert "INV-000001" in values and "CN-000001" in values
    assert bow
