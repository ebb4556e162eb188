"""Record payment…, Apply credit…, Refund… and the payments list, driven as a person does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from invoice_records import table_sums
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from qt_driving import button, push

from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.payment_dialog import RecordPaymentDialog
from thep_desktop.ui.invoices.payments_dialog import PaymentsDialog

pytestmark = pytest.mark.gui


def payment_dialog(qtbot, services: Services, customer_id: int, **kw) -> RecordPaymentDialog:  # type: ignore[no-untyped-def]
    dialog = RecordPaymentDialog(services, customer_id, **kw)
    qtbot.addWidget(dialog)
    shown: list[QDialog] = []

    def run(form: QDialog) -> None:
        shown.append(form)
        form.show()

    dialog.run_dialog = run  # type: ignore[method-assign]
    dialog.shown = shown  # type: ignore[attr-defined]
    dialog.show()
    return dialog


def type_into(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def type_in_cell(qtbot, dialog: RecordPaymentDialog, row: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click the row's Apply cell, press F2 to edit it, retype it and Tab on."""
    table = dialog.table
    rect = table.visualRect(dialog.model.index(row, 5))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    before = set(table.findChildren(QLineEdit))
    qtbot.keyClick(table, Qt.Key.Key_F2)

    def editors() -> list[QLineEdit]:
        return [e for e in table.findChildren(QLineEdit) if e not in before and e.isVisible()]

    qtbot.waitUntil(lambda: len(editors()) == 1)
    [editor] = editors()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def test_a_payment_over_two_invoices_with_the_rest_kept_as_credit(qtbot, services, bow) -> None:  # type: ignore[no-untyped-def]
    bow_id, (september, october) = bow
    dialog = payment_dialog(qtbot, services, bow_id)
    assert dialog.model.rowCount() == 2
    assert "Owes £1,080.00 on 2 open invoices" in dialog.account.text()
    type_into(qtbot, dialog.amount, "1,500.00")
    # Pre-filled oldest due first; what is left over said as it is typed.
    assert dialog.model.applied() == ((september, Decimal("540.00")), (october, Decimal("540.00")))
    assert "£420.00 left over" in dialog.left_over.text()
    qtbot.keyClicks(dialog.reference, "BOW ARTS 4471")
    qtbot.keyClick(dialog.keep_credit, Qt.Key.Key_Space)
    assert dialog.keep_credit.isChecked()
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    [paid] = services.payments.payments(services.actor, customer_id=bow_id)
    assert (paid.amount, paid.allocated, paid.unallocated, paid.reference) == (
        Decimal("1500.00"),
        Decimal("1080.00"),
        Decimal("420.00"),
        "BOW ARTS 4471",
    )
    assert services.payments.credit_held(services.actor, bow_id) == Decimal("420.00")
    for invoice_id in (september, october):
        assert services.invoices.get_invoice(services.actor, invoice_id).outstanding == 0


def test_more_than_the_invoices_without_keeping_credit_is_refused_and_kept(  # type: ignore[no-untyped-def]
    qtbot, services, bow, sqlite_db, modals
) -> None:
    bow_id, _invoices = bow
    before = table_sums(sqlite_db)
    dialog = payment_dialog(qtbot, services, bow_id)
    type_into(qtbot, dialog.amount, "1230")
    qtbot.keyClicks(dialog.reference, "BOW 99")
    assert "£150.00 left over" in dialog.left_over.text()
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible()  # still open, with what was typed
    assert dialog.amount.text() == "1230" and dialog.reference.text() == "BOW 99"
    shown = " ".join(
        [dialog.banner.text(), *(dialog.messages.message(f) for f in ("amount", "allocations"))]
    )
    assert "£150.00" in shown and "credit" in shown
    assert table_sums(sqlite_db) == before
    # Given up: Cancel asks, and Discard changes closes it with nothing saved.
    modals.click("Discard changes")
    push(qtbot, button(dialog, "Cancel"))
    modals.wait_answered()
    assert not dialog.isVisible() and table_sums(sqlite_db) == before


def test_the_apply_amounts_are_typed_over(qtbot, services, bow) -> None:  # type: ignore[no-untyped-def]
    bow_id, (september, october) = bow
    dialog = payment_dialog(qtbot, services, bow_id)
    type_into(qtbot, dialog.amount, "540.00")
    assert dialog.model.applied() == ((september, Decimal("540.00")),)  # the oldest first
    # The treasurer knows the money was for October's invoice: retype the Apply column.
    type_in_cell(qtbot, dialog, 0, "0")
    type_in_cell(qtbot, dialog, 1, "540")
    assert dialog.model.applied() == ((october, Decimal("540.00")),)
    assert dialog.left_over.text() == "All of £540.00 set against invoices."
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert services.invoices.get_invoice(services.actor, october).outstanding == 0
    assert services.invoices.get_invoice(services.actor, september).outstanding == Decimal("540")


def test_credit_held_is_applied_then_refunded(qtbot, services, bow, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    bow_id, (september, october) = bow
    first = payment_dialog(qtbot, services, bow_id)
    type_into(qtbot, first.amount, "1000")
    first.model.set_applied({})  # all of it kept as credit
    qtbot.keyClick(first.keep_credit, Qt.Key.Key_Space)
    push(qtbot, button(first, "Save"))
    assert services.payments.credit_held(services.actor, bow_id) == Decimal("1000.00")
    dialog = payment_dialog(qtbot, services, bow_id)
    assert "Holds £1,000.00 in credit" in dialog.account.text()
    push(qtbot, button(dialog, "Apply credit…"))
    form = dialog.shown[-1]
    assert form.inputs["invoice_id"].currentData() == september
    assert form.inputs["amount"].text() == "540.00"
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    assert services.invoices.get_invoice(services.actor, september).outstanding == 0
    assert "Holds £460.00 in credit" in dialog.account.text()
    push(qtbot, button(dialog, "Refund…"))
    refund = dialog.shown[-1]
    type_into(qtbot, refund.inputs["amount"], "500")
    before = table_sums(sqlite_db)
    push(qtbot, button(refund, "Save"))
    assert refund.isVisible() and "£460.00" in refund.messages.message("amount")
    assert refund.inputs["amount"].text() == "500" and table_sums(sqlite_db) == before
    type_into(qtbot, refund.inputs["amount"], "60")
    push(qtbot, button(refund, "Save"))
    assert not refund.isVisible()
    assert services.payments.credit_held(services.actor, bow_id) == Decimal("400.00")
    assert services.invoices.get_invoice(services.actor, october).outstanding == Decimal("540")


def test_the_payments_list_filters_and_reverses(qtbot, services, bow, modals) -> None:  # type: ignore[no-untyped-def]
    bow_id, (september, _october) = bow
    form = payment_dialog(qtbot, services, bow_id, invoice_id=september)
    qtbot.keyClicks(form.reference, "BOW 1")
    push(qtbot, button(form, "Save"))
    dialog = PaymentsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert dialog.model.row_values(0)[1:6] == (
        "Bow Arts Trust",
        "Receipt",
        "BACS",
        "BOW 1",
        Decimal("540.00"),
    )
    type_into(qtbot, dialog.date_from, "01/01/2030")
    qtbot.keyClick(dialog.date_from, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 0
    type_into(qtbot, dialog.date_from, "")
    qtbot.keyClick(dialog.date_from, Qt.Key.Key_Return)
    rect = dialog.table.visualRect(dialog.model.index(0, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    modals.type("Recorded against the wrong school")
    push(qtbot, button(dialog, "Reverse…"))
    modals.wait_answered()
    assert dialog.model.rowCount() == 0
    assert "Reversed the receipt of £540.00" in dialog.message.text()
    assert services.invoices.get_invoice(services.actor, september).outstanding == Decimal("540")


def test_a_viewer_may_look_but_not_bill_pay_or_remind(qtbot, sqlite_db, bow) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop.services.shared.actor import Actor, Role
    from thep_desktop.ui.main_window import MainWindow

    viewer = Services(sqlite_db, Actor("visitor", Role.VIEWER))
    window = MainWindow(viewer)
    qtbot.addWidget(window)
    window.show()
    window.load()
    money = window.invoices_tab.money
    assert not money.fee_run_action.isEnabled()
    assert not money.payment_action.isEnabled()
    assert not money.reminders_action.isEnabled()
    for looking in (money.payments_action, money.aged_debt_action, money.statement_action):
        assert looking.isEnabled()
    # Even opened another way, the payment form offers no Save.
    dialog = RecordPaymentDialog(viewer, bow[0])
    qtbot.addWidget(dialog)
    assert [b.text() for b in dialog.buttons.buttons()] == ["Close"]


def test_record_payment_on_the_selected_invoice_with_its_key(  # type: ignore[no-untyped-def]
    qtbot, bow, window, opened, services
) -> None:
    from qt_driving import menu_action, press

    bow_id, (_september, october) = bow
    tab = window.invoices_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    row = next(
        r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 0).data() == "INV-000002"
    )
    rect = tab.table.visualRect(tab.proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert menu_action(window, "Invoices", "Record payment…").isEnabled()
    press(
        qtbot,
        tab.table,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = opened[-1]
    assert isinstance(dialog, RecordPaymentDialog)
    assert dialog.customer.currentData() == bow_id and dialog.amount.text() == "540.00"
    # The invoice it was opened on is the one paid, not the oldest.
    assert dialog.model.applied() == ((october, Decimal("540.00")),)
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert services.invoices.get_invoice(services.actor, october).outstanding == 0
    qtbot.waitUntil(
        lambda: "Payment of £540.00 from Bow Arts Trust" in window.statusBar().currentMessage()
    )


def test_a_reversal_that_would_leave_negative_credit_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    qtbot, services, bow, sqlite_db, modals
) -> None:
    bow_id, _invoices = bow
    first = payment_dialog(qtbot, services, bow_id)
    type_into(qtbot, first.amount, "300")
    first.model.set_applied({})
    qtbot.keyClick(first.keep_credit, Qt.Key.Key_Space)
    push(qtbot, button(first, "Save"))
    services.payments.refund(services.actor, bow_id, "300", None, "BACS", "REFUND 1")
    dialog = PaymentsDialog(services, bow_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert sorted(dialog.model.row_values(r)[2] for r in range(2)) == ["Receipt", "Refund"]
    receipt = next(r for r in range(2) if dialog.model.row_values(r)[2] == "Receipt")
    rect = dialog.table.visualRect(dialog.model.index(receipt, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    before = table_sums(sqlite_db)
    modals.type("Entered twice")
    push(qtbot, button(dialog, "Reverse…"))
    modals.wait_answered()
    assert dialog.message.text().startswith("Not reversed:")
    assert table_sums(sqlite_db) == before and dialog.model.rowCount() == 2
    # Cancelling the question changes nothing either.
    modals.press_escape()
    push(qtbot, button(dialog, "Reverse…"))
    modals.wait_answered()
    assert table_sums(sqlite_db) == before


def test_the_customer_is_found_by_typing_its_name(qtbot, services, bow) -> None:  # type: ignore[no-untyped-def]
    from invoice_records import customer

    customer(services, "Mile End Learning Hub")
    bow_id, (september, _october) = bow
    dialog = RecordPaymentDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 0 and "Choose the customer" in dialog.account.text()
    edit = dialog.customer.lineEdit()
    qtbot.keyClicks(edit, "Bow Arts Trust (not a member)")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.customer.currentData() == bow_id
    assert dialog.model.rowCount() == 2
    type_into(qtbot, dialog.amount, "540")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert services.invoices.get_invoice(services.actor, september).outstanding == 0


def test_esc_with_a_payment_typed_asks_before_losing_it(
    qtbot, services, bow, modals, sqlite_db
) -> None:  # type: ignore[no-untyped-def]
    from qt_driving import press

    bow_id, (september, _october) = bow
    dialog = payment_dialog(qtbot, services, bow_id)
    type_into(qtbot, dialog.amount, "540")
    before = table_sums(sqlite_db)
    modals.click("Keep editing")
    press(qtbot, dialog.amount, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert dialog.isVisible() and dialog.amount.text() == "540"
    assert table_sums(sqlite_db) == before
    modals.click("Save")
    press(qtbot, dialog.amount, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert services.invoices.get_invoice(services.actor, september).outstanding == 0


def test_a_member_not_yet_invoiced_pays_ahead_as_credit(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from membership_records import join, make_school

    school = make_school(services, "100201", "Chisenhale Primary School", 420)
    member = join(services, school, date(2020, 9, 1), date(2020, 10, 1))
    dialog = RecordPaymentDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.customer.lineEdit()
    qtbot.keyClicks(edit, "Chisenhale Primary School (member)")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "not invoiced yet" in dialog.account.text()
    type_into(qtbot, dialog.amount, "500")
    assert "£500.00 left over" in dialog.left_over.text()
    qtbot.keyClick(dialog.keep_credit, Qt.Key.Key_Space)
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    customer = services.invoices.customer_for_member(services.actor, member.id)
    assert services.payments.credit_held(services.actor, customer.id) == Decimal("500.00")
