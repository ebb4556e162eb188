"""Memberships > Record fee payment… (the invoices' payment) and Register of members…, driven
as a person does."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import table_sums
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, menu_action, push
from sqlalchemy import update

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import PaymentMethod, VatCode
from thep_desktop.models import Invoice
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.memberships.fees_service import ScheduleInput
from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.memberships.register_dialog import RegisterDialog

pytestmark = pytest.mark.gui

THIS_YEAR = AcademicYear.of(date.today())
OUTSIDE = VatCode.OUTSIDE_SCOPE


def select(qtbot, window: MainWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    tab = window.memberships_tab
    names = [tab.proxy.member_at(r).name for r in range(tab.proxy.rowCount())]
    rect = tab.table.visualRect(tab.proxy.index(names.index(name), 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def retype(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def member_id(services: Services, name: str) -> int:
    return next(
        m.id for m in services.members.list_member_details(services.actor) if m.name == name
    )


def bill_fee(services: Services, member: int, amount: str, on: date) -> str:
    """The member's fee invoice for this year, issued (as the fee run makes it)."""
    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            member_id=member,
            invoice_date=on,
            lines=(LineInput(f"Membership fee {THIS_YEAR.label}", "1", amount, OUTSIDE),),
        ),
    )
    with services.db.engine.begin() as connection:
        connection.execute(
            update(Invoice).where(Invoice.id == made.id).values(fee_year=THIS_YEAR.start_year)
        )
    return services.invoices.issue(services.actor, [made.id]).numbers[0]


def test_a_payment_is_refused_in_words_then_recorded(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    services.fees.save_schedule(services.actor, ScheduleInput(THIS_YEAR, "5.00", "250.00"))
    alder = member_id(services, "Alder Primary School")
    # Billed 40 days ago on 30 days' terms: overdue by ten days.
    number = bill_fee(services, alder, "1050.00", date.today() - timedelta(days=40))
    select(qtbot, window, "Alder Primary School")
    menu_action(window, "Memberships", "Record fee payment…").trigger()
    form = opened[-1]
    assert form.inputs["academic_year"].text() == THIS_YEAR.label
    assert form.inputs["amount"].text() == "1050.00"  # what is overdue, offered
    before = table_sums(services.db)
    retype(qtbot, form.inputs["amount"], "-5")
    push(qtbot, button(form, "Save"))
    assert form.isVisible() and "more than £0.00" in form.messages.message("amount")
    assert form.inputs["amount"].text() == "-5"
    assert table_sums(services.db) == before
    retype(qtbot, form.inputs["amount"], "1,100.00")
    qtbot.keyClicks(form.inputs["reference"], "ALDER FEES")
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    # Recorded as the invoices' payment: set against the fee invoice, the rest kept as credit.
    [paid] = services.payments.payments(services.actor, member_id=alder)
    assert (paid.amount, paid.method, paid.reference, paid.notes) == (
        Decimal("1100.00"),
        PaymentMethod.BACS,
        "ALDER FEES",
        f"Membership fee payment for {THIS_YEAR.label}",
    )
    assert [(a.invoice_number, a.amount) for a in paid.allocations] == [
        (number, Decimal("1050.00"))
    ]
    assert paid.unallocated == Decimal("50.00")
    assert window.statusBar().currentMessage() == (
        f"Payment of £1,100.00 from Alder Primary School recorded, set against {number}; "
        "£50.00 kept as credit."
    )


def test_only_a_role_that_records_payments_is_offered_it(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.memberships_tab
    select(qtbot, window, "Alder Primary School")
    assert tab.payment_action.isEnabled()  # an administrator
    select(qtbot, window, "Damson Primary School")  # an application: nothing to pay yet
    assert not tab.payment_action.isEnabled()


def test_the_register_of_members_as_a_pdf_and_a_workbook(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], tmp_path: Path
) -> None:
    menu_action(window, "Memberships", "Register of members…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, RegisterDialog)
    shown: list[tuple[bytes, str]] = []
    dialog.show_pdf = lambda _parent, data, title, _name: shown.append((data, title))
    retype(qtbot, dialog.as_at, "31/13/2026")
    push(qtbot, button(dialog, "Show PDF…"))
    assert shown == [] and "As at" in dialog.message.text()
    retype(qtbot, dialog.as_at, "30/09/2024")
    push(qtbot, button(dialog, "Show PDF…"))
    [(data, title)] = shown
    assert title == "Register of members as at 30/09/2024"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Alder Primary School" in text and "Cedar Primary School" in text
    assert "01/10/2020" in text and "31/08/2024" in text  # admitted; Cedar ceased
    assert "Damson Primary School" not in text  # an application is not on the register
    assert "Bow Arts Trust" not in text  # admitted in 2025, after the date
    target = tmp_path / "register"
    dialog.ask_save_path = lambda *_args: (str(target), "")
    push(qtbot, button(dialog, "Save as Excel…"))
    saved = tmp_path / "register.xlsx"
    assert saved.exists() and str(saved) in dialog.message.text()
    values = [c for row in load_workbook(saved).active.iter_rows(values_only=True) for c in row]
    assert "Alder Primary School" in values and "Damson Primary School" not in values
