"""Invoices > Reminders…: the due list, ticking, Send once, and not again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from invoice_records import customer, set_up_office, table_sums, training
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, menu_action, push

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.reminders_dialog import RemindersDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def overdue(services: Services) -> dict[str, int]:
    """Bow: due 01/10 and 31/10/2026; Mile End: due 16/10/2026; Hackney: not yet due."""
    set_up_office(services)
    bow = customer(services, "Bow Arts Trust")
    mile = customer(services, "Mile End Learning Hub")
    hackney = customer(services, "Hackney Music Service")
    return {
        "bow_sept": training(services, bow, date(2026, 9, 1)),
        "mile": training(services, mile, date(2026, 9, 16)),
        "bow_oct": training(services, bow, date(2026, 10, 1)),
        "hackney": training(services, hackney, date(2026, 11, 20)),
    }


def reminders(window: MainWindow, opened: list[QDialog], qtbot, on: str) -> RemindersDialog:  # type: ignore[no-untyped-def]
    menu_action(window, "Invoices", "Reminders…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, RemindersDialog)
    dialog.on.selectAll()
    qtbot.keyClicks(dialog.on, on)
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    return dialog


def test_reminders_are_sent_once_and_not_again(  # type: ignore[no-untyped-def]
    qtbot, overdue, window: MainWindow, opened, services: Services, sqlite_db: Database, tmp_path
) -> None:
    dialog = reminders(window, opened, qtbot, "30/11/2026")
    rows = [dialog.model.row_values(r)[1:] for r in range(dialog.model.rowCount())]
    owed = Decimal("540.00")
    # 60, 45 and 30 days after their due dates: each has its 1st reminder first.
    assert sorted((r[0], r[2], r[5]) for r in rows) == [
        ("INV-000001", "1st reminder", owed),
        ("INV-000002", "1st reminder", owed),
        ("INV-000003", "1st reminder", owed),
    ]
    assert "3 reminders due; 3 ticked, £1,620.00" in dialog.summary.text()
    # Leave Mile End's out this time: on its row, Space unticks it.
    mile_row = next(r for r in range(len(rows)) if rows[r][1] == "Mile End Learning Hub")
    dialog.table.setCurrentIndex(dialog.model.index(mile_row, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert "2 ticked, £1,080.00" in dialog.summary.text()
    before = table_sums(sqlite_db)
    dialog.ask_save_path = lambda *_a: ("", "")  # cancelled: nothing sent
    push(qtbot, button(dialog, "Send…"))
    assert table_sums(sqlite_db) == before
    dialog.ask_save_path = lambda *_a: (str(tmp_path / "reminders"), "")
    push(qtbot, button(dialog, "Send…"))
    saved = tmp_path / "reminders.pdf"
    qtbot.waitUntil(lambda: str(saved) in dialog.message.text())
    assert "2 reminders (2 1st reminders)" in dialog.message.text()
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "Bow Arts Trust" in text and "Mile End" not in text
    # The list refreshed: only Mile End's is still due.
    assert [dialog.model.row_values(r)[2] for r in range(dialog.model.rowCount())] == [
        "Mile End Learning Hub"
    ]
    bow_sept = services.invoices.get_invoice(services.actor, overdue["bow_sept"])
    assert [r.stage.label for r in bow_sept.reminders] == ["1st reminder"]
    # The same day again: Bow's are not sent twice.
    again = reminders(window, opened, qtbot, "30/11/2026")
    assert [again.model.row_values(r)[1] for r in range(again.model.rowCount())] == ["INV-000002"]
