"""Invoices > Fee run…: preview, create drafts, issue all, save as one PDF, and run again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import table_sums
from membership_records import join, make_school, schedule
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog
from qt_driving import button, menu_action, push

from thep_desktop.domain.invoices import InvoiceState
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.fee_run_dialog import ISSUE, FeeRunDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def members(services: Services) -> dict[str, int]:
    """Three member schools with pupil figures, one without; the 2026/27 fee schedule."""
    ids = {}
    for urn, name, pupils in (
        ("100001", "Alder Primary School", 420),
        ("100002", "Beech Primary School", 300),
        ("100003", "Cedar Primary School", 250),
        ("100004", "Damson Primary School", None),
    ):
        school = make_school(services, urn, name, pupils)
        ids[name] = join(services, school, date(2020, 9, 1), date(2020, 10, 1)).id
    schedule(services, "2026/27")
    return ids


def fee_run(window: MainWindow, opened: list[QDialog]) -> FeeRunDialog:
    menu_action(window, "Invoices", "Fee run…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, FeeRunDialog)
    dialog.ask_save_path = lambda *_a: ("", "")
    return dialog


def test_preview_then_drafts_then_issue_then_one_pdf(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened, members, services: Services, modals, tmp_path: Path
) -> None:
    dialog = fee_run(window, opened)
    assert dialog.year.currentText() == "2026/27"
    assert dialog.period.currentText() == "The whole year"
    assert not dialog.drafts_button.isEnabled()  # nothing to make before a preview
    push(qtbot, button(dialog, "Preview"))
    rows = [dialog.model.row_values(r) for r in range(dialog.model.rowCount())]
    # The member not billed comes first, said clearly, with no amount.
    assert rows[0][:2] == ("No pupil figure", "Damson Primary School") and rows[0][4] is None
    assert [r[1] for r in rows[1:]] == [
        "Alder Primary School",
        "Beech Primary School",
        "Cedar Primary School",
    ]
    assert [r[4] for r in rows[1:]] == [Decimal("2100.00"), Decimal("1500.00"), Decimal("1250.00")]
    assert "420 pupils" in rows[1][5]
    assert "3 members to bill, £4,850.00" in dialog.summary.text()
    assert "1 member with no pupil figure" in dialog.summary.text()
    assert services.invoices.list_invoices(services.actor) == []  # a preview saves nothing

    push(qtbot, button(dialog, "Create drafts"))
    qtbot.waitUntil(lambda: dialog.run_result is not None)
    drafts = services.invoices.list_invoices(services.actor)
    assert len(drafts) == 3 and all(d.state is InvoiceState.DRAFT for d in drafts)
    assert "3 draft invoices made, £4,850.00" in dialog.message.text()
    assert not dialog.drafts_button.isEnabled()  # made once

    modals.click(ISSUE)
    push(qtbot, button(dialog, "Issue all…"))
    modals.wait_answered()
    assert "Issue 3 invoices totalling £4,850.00?" in modals.seen[-1].text
    qtbot.waitUntil(lambda: dialog.issued is not None)
    issued = services.invoices.list_invoices(services.actor)
    assert sorted(i.number for i in issued) == ["INV-000001", "INV-000002", "INV-000003"]
    assert "INV-000001 to INV-000003" in dialog.message.text()
    assert not dialog.issue_button.isEnabled()
    qtbot.waitUntil(lambda: window.invoices_tab.model.rowCount() == 3)  # the list follows

    target = tmp_path / "fee run"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    push(qtbot, button(dialog, "Save all as one PDF…"))
    saved = tmp_path / "fee run.pdf"
    qtbot.waitUntil(lambda: str(saved) in dialog.message.text())
    text = " ".join(page.extract_text() for page in PdfReader(saved).pages)
    for number in ("INV-000001", "INV-000002", "INV-000003"):
        assert number in text
    assert "Alder Primary School" in text and "Damson Primary School" not in text

    # Run again: everyone billed is said to be, and nothing more can be made.
    again = fee_run(window, opened)
    push(qtbot, button(again, "Preview"))
    states = [again.model.row_values(r)[0] for r in range(again.model.rowCount())]
    assert states.count("Already billed") == 3
    assert "3 members already billed (not billed again)" in again.summary.text()
    assert "Nobody is left to bill" in again.summary.text()
    assert not again.drafts_button.isEnabled()
    # The run made before can still be printed; it has nothing left to issue.
    assert "3 invoices issued." in again.message.text()
    assert again.pdf_button.isEnabled() and not again.issue_button.isEnabled()
    assert {again.model.row_values(r)[6] for r in range(3)} == {
        "INV-000001",
        "INV-000002",
        "INV-000003",
    }


def test_an_invoice_date_that_cannot_be_read_is_said_and_nothing_made(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened, members, services: Services, sqlite_db
) -> None:
    dialog = fee_run(window, opened)
    before = table_sums(sqlite_db)
    dialog.invoice_date.selectAll()
    qtbot.keyClicks(dialog.invoice_date, "31/02/2026")
    push(qtbot, button(dialog, "Preview"))
    assert "Invoice date" in dialog.message.text()
    assert dialog.model.rowCount() == 0
    assert services.invoices.list_invoices(services.actor) == []
    assert table_sums(sqlite_db) == before


def test_drafts_made_earlier_are_issued_from_a_later_preview(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened, members, services: Services, modals
) -> None:
    first = fee_run(window, opened)
    push(qtbot, button(first, "Preview"))
    push(qtbot, button(first, "Create drafts"))
    qtbot.waitUntil(lambda: first.run_result is not None)
    first.reject()  # closed before issuing; another day, the treasurer comes back
    later = fee_run(window, opened)
    push(qtbot, button(later, "Preview"))
    assert "3 drafts not yet issued" in later.message.text()
    assert not later.drafts_button.isEnabled()  # they are billed (as drafts) already
    modals.click(ISSUE)
    push(qtbot, button(later, "Issue all…"))
    modals.wait_answered()
    assert "Issue 3 invoices totalling £4,850.00?" in modals.seen[-1].text
    qtbot.waitUntil(lambda: later.issued is not None)
    assert all(not i.is_draft for i in services.invoices.list_invoices(services.actor))


def test_drafts_dated_before_the_last_issued_invoice_are_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened, members, services: Services, sqlite_db
) -> None:
    from invoice_records import customer, issued

    issued(services, customer(services, "Bow Arts Trust"), invoice_date=date(2026, 10, 1))
    dialog = fee_run(window, opened)
    dialog.invoice_date.selectAll()
    qtbot.keyClicks(dialog.invoice_date, "01/09/2026")
    push(qtbot, button(dialog, "Preview"))
    before = table_sums(sqlite_db)
    push(qtbot, button(dialog, "Create drafts"))
    qtbot.waitUntil(lambda: "01/10/2026" in dialog.message.text())
    assert "date these on or after it" in dialog.message.text()
    assert dialog.run_result is None and table_sums(sqlite_db) == before
    assert dialog.invoice_date.text() == "01/09/2026"  # kept as typed, to correct
