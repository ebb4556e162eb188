"""The Invoices tab and the invoice editor, driven through real widgets on a real database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from invoice_records import table_sums
from invoices_ui_helpers import (
    cell,
    editor_of,
    numbers_shown,
    retype,
    select,
    settle,
    type_choice,
    type_line,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QMenu
from qt_driving import button, choose, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import InvoiceState
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.invoices.invoice_editor import InvoiceEditor
from thep_desktop.ui.invoices.invoices_table_model import (
    COL_NUMBER,
    COL_OUTSTANDING,
    COL_OVERDUE,
    COL_STATUS,
    COL_TOTAL,
    OVERDUE_TEXT,
)
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.memberships.membership_form import MembershipForm

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date.today()


def history_count(services: Services, invoice_id: int) -> int:
    detail = services.invoices.get_invoice(services.actor, invoice_id)
    return len(services.audit.history(services.actor, detail.uuid))


# -- the list ---------------------------------------------------------------------------------
def test_the_list_shows_each_invoice_with_its_status_totals_and_days_overdue(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "&Invoices"
    assert window.tabs.indexOf(tab) == window.tabs.indexOf(window.memberships_tab) + 1
    # Newest first; the draft has no number.
    assert numbers_shown(tab) == ["Draft", "CN-000001", "INV-000003", "INV-000002", "INV-000001"]
    overdue = invoices["overdue"]
    assert cell(tab, overdue, COL_STATUS) == "Issued"
    assert cell(tab, overdue, COL_TOTAL) == "£1,080.00"
    assert cell(tab, overdue, COL_OVERDUE) == "45"  # in words as well as in colour
    row = [tab.proxy.invoice_at(r).id for r in range(tab.proxy.rowCount())].index(overdue)
    colour = tab.proxy.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color()
    assert colour == QColor(OVERDUE_TEXT)
    assert cell(tab, invoices["credited"], COL_STATUS) == "Credited"
    assert cell(tab, invoices["credited"], COL_OUTSTANDING) == "£0.00"
    assert cell(tab, invoices["current"], COL_OVERDUE) == ""
    assert cell(tab, invoices["draft"], COL_OUTSTANDING) == ""  # nothing owed on a draft
    assert cell(tab, invoices["draft"], COL_TOTAL) == "£720.00"
    # A credit note owes nothing: its figures are an invoice's, so they are left blank.
    note = next(r.id for r in tab.proxy.shown() if r.number == "CN-000001")
    assert cell(tab, note, COL_TOTAL) == "£285.00"
    assert cell(tab, note, COL_OUTSTANDING) == "" and cell(tab, note, COL_STATUS) == "Issued"
    totals = tab.totals_label.text()
    for words in (
        "<b>£2,085.00</b> issued (3 invoices)",
        "<b>£0.00</b> paid",
        "<b>£285.00</b> credited",
        "<b>£1,800.00</b> outstanding",
        "<span style='color:#b00020'><b>£1,080.00</b> overdue</span>",
        "<b>1</b> draft",
    ):
        assert words in totals
    assert window.count_label.text() == "5 invoices and credit notes"
    # Numbers sort as numbers, money as money.
    tab.table.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    assert numbers_shown(tab) == ["INV-000001", "INV-000002", "INV-000003", "CN-000001", "Draft"]
    tab.table.sortByColumn(COL_TOTAL, Qt.SortOrder.DescendingOrder)
    totals_shown = [tab.proxy.invoice_at(r).total for r in range(tab.proxy.rowCount())]
    assert totals_shown == sorted(totals_shown, reverse=True)
    assert totals_shown[0] == Decimal("1080.00")


def test_status_customer_date_and_search_filters_with_their_running_totals(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    # F5 reads the list again in the background: the rows stay in view meanwhile.
    press(qtbot, tab.table, Qt.Key.Key_F5)
    assert tab.loading and tab.proxy.rowCount() == 5
    settle(qtbot, tab)
    choose(qtbot, tab.status_filter, "Overdue")
    assert numbers_shown(tab) == ["INV-000001"]
    assert "<b>£1,080.00</b> outstanding" in tab.totals_label.text()
    assert tab.count_label.text() == "1 of 5 invoices and credit notes shown"
    choose(qtbot, tab.status_filter, "Drafts")
    assert numbers_shown(tab) == ["Draft"]
    assert "<b>£0.00</b> overdue" in tab.totals_label.text()  # not red when there is none
    assert "color:#b00020" not in tab.totals_label.text()
    choose(qtbot, tab.status_filter, "Credit notes")
    assert numbers_shown(tab) == ["CN-000001"]
    choose(qtbot, tab.status_filter, "Unpaid")
    assert numbers_shown(tab) == ["INV-000003", "INV-000001"]
    choose(qtbot, tab.status_filter, "All")

    # The customer, chosen by typing its name.
    type_choice(qtbot, tab.customer_filter, "Mile End Learning Hub")
    assert numbers_shown(tab) == ["CN-000001", "INV-000003", "INV-000002"]
    assert "<b>£1,005.00</b> issued (2 invoices)" in tab.totals_label.text()
    assert "<b>£720.00</b> outstanding" in tab.totals_label.text()

    # Dates typed as dd/mm/yyyy: only invoices dated in the last week.
    qtbot.keyClicks(tab.date_from, format_date(TODAY - timedelta(days=7)))
    assert numbers_shown(tab) == ["CN-000001", "INV-000003"]
    qtbot.keyClicks(tab.date_to, format_date(TODAY - timedelta(days=1)))
    assert numbers_shown(tab) == ["INV-000003"]
    retype(qtbot, tab.date_to, "31/02/2026")  # not a date: marked, and no limit meanwhile
    assert "border" in tab.date_to.styleSheet()
    assert numbers_shown(tab) == ["CN-000001", "INV-000003"]
    tab.date_from.clear()
    tab.date_to.clear()
    type_choice(qtbot, tab.customer_filter, "All customers")
    assert len(numbers_shown(tab)) == 5

    # Search words, then Esc clears the search.
    qtbot.keyClicks(tab.search, "bow")
    assert numbers_shown(tab) == ["Draft", "INV-000001"]
    press(qtbot, tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == "" and len(numbers_shown(tab)) == 5


# -- the editor -------------------------------------------------------------------------------
def test_a_new_draft_typed_in_is_saved_then_issued_and_its_number_shown(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    tab = window.invoices_tab
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = editor_of(opened)
    assert editor.windowTitle() == "New invoice"
    assert editor.invoice_date.text() == format_date(TODAY)
    assert editor.due_date.text() == format_date(TODAY + timedelta(days=30))  # the terms
    type_choice(qtbot, editor.customer, "Alder Primary School (member)")
    retype(qtbot, editor.invoice_date, format_date(TODAY - timedelta(days=1)))
    # The due date follows the invoice date until one is typed.
    assert editor.due_date.text() == format_date(TODAY + timedelta(days=29))
    qtbot.keyClicks(editor.reference, "Autumn training")
    type_line(qtbot, editor, 1, "Training places", "3", "95.50")
    assert editor.lines.rows[0].net.text() == "£286.50"  # worked out as typed
    push(qtbot, editor.add_line_button)
    type_line(qtbot, editor, 2, "Course materials", "1", "12.25")
    assert "Total <b>£298.75</b>" in editor.totals.text()
    press(qtbot, editor.lines.rows[1].unit_price, Qt.Key.Key_S, CTRL)  # Save draft
    assert not editor.isVisible()
    settle(qtbot, tab)
    (new_id,) = tab.selected_ids()
    assert cell(tab, new_id, COL_NUMBER) == "Draft"
    assert cell(tab, new_id, COL_TOTAL) == "£298.75"
    saved = services.invoices.get_invoice(services.actor, new_id)
    assert saved.customer_name == "Alder Primary School"
    assert saved.reference == "Autumn training"
    assert [(x.description, x.quantity, x.unit_price) for x in saved.lines] == [
        ("Training places", Decimal("3.00"), Decimal("95.50")),
        ("Course materials", Decimal("1.00"), Decimal("12.25")),
    ]
    assert "Draft invoice to Alder Primary School saved" in window.statusBar().currentMessage()

    modals.click("Issue")
    menu_action(window, "Invoices", "Issue…").trigger()
    modals.wait_answered()
    assert modals.seen[-1].text == (
        "Issue this invoice totalling £298.75? Once issued they cannot be changed, only credited."
    )
    settle(qtbot, tab)
    assert tab.selected_ids() == [new_id]
    assert cell(tab, new_id, COL_NUMBER) == "INV-000004"
    assert cell(tab, new_id, COL_STATUS) == "Issued"
    assert "Issued INV-000004" in window.statusBar().currentMessage()
    assert services.invoices.get_invoice(services.actor, new_id).state is InvoiceState.ISSUED


def test_save_and_issue_with_a_new_customer_made_in_the_editor(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    tab = window.invoices_tab
    menu_action(window, "Invoices", "New invoice…").trigger()
    editor = editor_of(opened)
    push(qtbot, editor.new_customer_button)
    form = opened[-1]
    assert isinstance(form, MembershipForm) and form.windowTitle() == "New customer"
    push(qtbot, button(form, "Save"))  # no name: refused, nothing made
    assert form.isVisible() and form.messages.message("name")
    qtbot.keyClicks(form.inputs["name"], "Tower Hamlets Music & Arts Hub")
    qtbot.keyClicks(form.inputs["address"], "1 Bow Road")
    qtbot.keyClick(form.inputs["address"], Qt.Key.Key_Return)
    qtbot.keyClicks(form.inputs["address"], "London")
    qtbot.keyClicks(form.inputs["postcode"], "E3 4AA")
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    assert editor.customer.currentText() == "Tower Hamlets Music & Arts Hub (not a member)"
    type_line(qtbot, editor, 1, "Instrument tuition", "10", "35.00")
    modals.click("Issue")
    push(qtbot, button(editor, "Save and issue…"))
    modals.wait_answered()
    assert "totalling £350.00" in modals.seen[-1].text
    assert not editor.isVisible()
    settle(qtbot, tab)
    (new_id,) = tab.selected_ids()
    assert cell(tab, new_id, COL_NUMBER) == "INV-000004"
    detail = services.invoices.get_invoice(services.actor, new_id)
    assert detail.customer_name == "Tower Hamlets Music & Arts Hub"
    assert detail.customer_postcode == "E3 4AA" and detail.total == Decimal("350.00")
    # Opened again, issued: to read, the name and address as typed (an "&" is not markup).
    press(qtbot, tab.table, Qt.Key.Key_Return)
    shown = editor_of(opened)
    assert not shown.editable
    assert shown.customer_shown.text() == (
        "<b>Tower Hamlets Music &amp; Arts Hub</b><br>1 Bow Road, London, E3 4AA"
    )
    push(qtbot, button(shown, "Close"))


def test_a_refused_draft_keeps_the_editor_and_what_was_typed_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, sqlite_db
) -> None:
    tab = window.invoices_tab
    before = table_sums(sqlite_db)
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = editor_of(opened)
    type_choice(qtbot, editor.customer, "Bow Arts Trust (not a member)")
    retype(qtbot, editor.invoice_date, "10/10/2026")
    retype(qtbot, editor.due_date, "01/10/2026")
    type_line(qtbot, editor, 1, "Ofsted preparation", "1", "450.00")
    push(qtbot, editor.add_line_button)
    type_line(qtbot, editor, 2, "Mileage", "1", "12.345")
    assert editor.lines.rows[1].net.text() == "–"  # cannot be worked out: fractions of a penny
    push(qtbot, button(editor, "Save draft"))
    assert editor.isVisible()
    assert "before the invoice date" in editor.messages.message("due_date")
    assert editor.lines.problem_text().startswith("Line 2:")
    assert "border" in editor.lines.rows[1].unit_price.styleSheet()
    assert "border" not in editor.lines.rows[0].unit_price.styleSheet()
    assert "nothing has been saved" in editor.banner.text()
    # Everything typed is still there.
    assert editor.due_date.text() == "01/10/2026"
    assert editor.lines.rows[1].unit_price.text() == "12.345"
    assert editor.customer.currentText() == "Bow Arts Trust (not a member)"
    assert table_sums(sqlite_db) == before

    # Save and issue is refused the same way, and nothing is issued.
    push(qtbot, button(editor, "Save and issue…"))
    assert editor.isVisible() and table_sums(sqlite_db) == before

    # A name typed that is in nobody's list is refused in words.
    retype(qtbot, editor.customer.lineEdit(), "Nobody Known")
    push(qtbot, button(editor, "Save draft"))
    assert "not in the list" in editor.messages.message("customer")
    assert table_sums(sqlite_db) == before

    # Put right, it saves.
    retype(qtbot, editor.customer.lineEdit(), "Bow Arts Trust (not a member)")
    retype(qtbot, editor.due_date, "09/11/2026")
    retype(qtbot, editor.lines.rows[1].unit_price, "12.35")
    push(qtbot, button(editor, "Save draft"))
    assert not editor.isVisible()
    settle(qtbot, tab)
    (new_id,) = tab.selected_ids()
    assert services.invoices.get_invoice(services.actor, new_id).due_date == date(2026, 11, 9)


def test_cancel_with_changes_asks_first_and_editing_a_draft_keeps_its_lines_in_order(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    tab = window.invoices_tab
    select(qtbot, tab, invoices["draft"])
    assert tab.edit_action.isEnabled() and tab.delete_action.isEnabled()
    assert not tab.credit_action.isEnabled()
    press(qtbot, tab.table, Qt.Key.Key_Return)  # Enter opens the draft to edit
    editor = editor_of(opened)
    assert editor.windowTitle() == "Draft invoice – Bow Arts Trust"
    assert editor.lines.rows[0].quantity.text() == "1.5"
    push(qtbot, editor.add_line_button)
    type_line(qtbot, editor, 2, "Travel", "1", "20.00")
    push(qtbot, editor.lines.rows[1].up)  # moved to the top
    assert editor.lines.rows[0].description.text() == "Travel"
    modals.click("Keep editing")
    push(qtbot, button(editor, "Cancel"))
    modals.wait_answered()
    assert editor.isVisible()
    assert modals.seen[-1].title == "Unsaved changes"
    modals.click("Save")
    press(qtbot, editor.lines.rows[0].description, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not editor.isVisible()
    settle(qtbot, tab)
    saved = services.invoices.get_invoice(services.actor, invoices["draft"])
    assert [x.description for x in saved.lines] == ["Travel", "SLA day"]
    assert cell(tab, invoices["draft"], COL_TOTAL) == "£740.00"  # no VAT: not registered

    # Opened again and closed unchanged: nothing is asked.
    press(qtbot, tab.table, Qt.Key.Key_Return)
    again = editor_of(opened)
    push(qtbot, button(again, "Cancel"))
    assert not again.isVisible()


def test_an_issued_invoice_opens_to_read_with_its_credit_notes(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    select(qtbot, tab, invoices["credited"])
    assert not tab.edit_action.isEnabled() and tab.open_action.isEnabled()
    tab.table.doubleClicked.emit(tab.table.currentIndex())
    editor = editor_of(opened)
    assert editor.windowTitle() == "Invoice INV-000002 – Mile End Learning Hub"
    assert not editor.editable
    assert editor.invoice_date.isReadOnly() and editor.lines.rows[0].unit_price.isReadOnly()
    assert not editor.add_line_button.isVisibleTo(editor)
    assert [b.text() for b in editor.buttons.buttons()] == ["Close"]
    assert "credited £285.00" in editor.settled.text()
    assert "Credit note CN-000001" in editor.settled.text()
    assert "cannot be changed" in editor.heading.text()
    press(qtbot, editor.invoice_date, Qt.Key.Key_S, CTRL)  # nothing to save
    push(qtbot, button(editor, "Close"))
    assert not editor.isVisible()


def test_delete_draft_asks_first(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    tab = window.invoices_tab
    select(qtbot, tab, invoices["draft"])
    modals.click("Cancel")
    menu_action(window, "Invoices", "Delete draft…").trigger()
    modals.wait_answered()
    assert len(services.invoices.list_invoices(services.actor)) == 5
    modals.click("Delete")
    press(qtbot, tab.table, Qt.Key.Key_Delete)  # the Delete key asks the same
    modals.wait_answered()
    assert "£720.00" in modals.seen[-1].text
    settle(qtbot, tab)
    assert numbers_shown(tab) == ["CN-000001", "INV-000003", "INV-000002", "INV-000001"]


def test_issuing_several_drafts_says_how_many_and_how_much(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    from invoice_records import draft

    from thep_desktop.domain.invoices import VatCode

    second = draft(
        services,
        invoices["mile"],
        ("Data workshop", "1", "514.00", VatCode.EXEMPT),
        invoice_date=TODAY,
    )
    tab = window.invoices_tab
    tab.reload()
    settle(qtbot, tab)
    select(qtbot, tab, invoices["draft"])
    select(qtbot, tab, second.id, add=True)
    assert tab.issue_action.isEnabled() and not tab.edit_action.isEnabled()
    select(qtbot, tab, invoices["current"], add=True)  # an issued one: cannot be issued
    assert not tab.issue_action.isEnabled()
    select(qtbot, tab, invoices["current"], add=True, out=True)  # Ctrl+click again: out
    assert tab.issue_action.isEnabled()
    modals.click("Issue")
    press(qtbot, tab.table, Qt.Key.Key_I, CTRL | Qt.KeyboardModifier.ShiftModifier)
    modals.wait_answered()
    assert modals.seen[-1].text == (
        "Issue 2 invoices totalling £1,234.00? Once issued they cannot be changed, only credited."
    )
    settle(qtbot, tab)
    assert sorted(tab.selected_ids()) == sorted([invoices["draft"], second.id])
    assert {cell(tab, i, COL_NUMBER) for i in tab.selected_ids()} == {"INV-000004", "INV-000005"}


# -- credit -----------------------------------------------------------------------------------
def test_credit_part_of_an_invoice_then_the_rest(  # type: ignore[no-untyped-def]
    qtbot,
    invoices: dict[str, int],
    window: MainWindow,
    opened: list[QDialog],
    services,
    modals,
    sqlite_db,
) -> None:
    tab = window.invoices_tab
    current = invoices["current"]
    select(qtbot, tab, current)
    menu_action(window, "Invoices", "Credit…").trigger()
    form = opened[-1]
    assert isinstance(form, MembershipForm)
    assert "Up to £720.00 may be credited" in form.intro.text()
    # Too much, and no reason: refused, nothing changed.
    before = table_sums(sqlite_db)
    qtbot.keyClicks(form.inputs["amount"], "800.00")
    push(qtbot, button(form, "Save"))
    assert form.isVisible()
    assert form.messages.message("credit_reason")
    qtbot.keyClicks(form.inputs["credit_reason"], "Half day cancelled")
    push(qtbot, button(form, "Save"))
    assert form.isVisible()
    assert form.messages.message("amount") == (
        "A credit of £800.00 is more than the £720.00 of INV-000003 that can still be credited."
    )
    assert form.inputs["amount"].text() == "800.00"
    assert form.inputs["credit_reason"].text() == "Half day cancelled"
    assert table_sums(sqlite_db) == before
    retype(qtbot, form.inputs["amount"], "120.00")
    modals.click("OK")
    push(qtbot, button(form, "Save"))
    modals.wait_answered()
    assert not form.isVisible()
    assert modals.seen[-1].text == (
        "Credit note CN-000002 for £120.00 issued against INV-000003. "
        "INV-000003 now has £600.00 outstanding."
    )
    settle(qtbot, tab)
    assert tab.selected_ids() == [current]
    assert cell(tab, current, COL_STATUS) == "Part paid"
    assert cell(tab, current, COL_OUTSTANDING) == "£600.00"
    assert "CN-000002" in numbers_shown(tab)

    # The rest: the amount left blank.
    menu_action(window, "Invoices", "Credit…").trigger()
    form = opened[-1]
    assert "Up to £600.00 may be credited" in form.intro.text()
    qtbot.keyClicks(form.inputs["credit_reason"], "Review cancelled")
    modals.click("OK")
    push(qtbot, button(form, "Save"))
    modals.wait_answered()
    settle(qtbot, tab)
    assert cell(tab, current, COL_STATUS) == "Credited"
    assert not tab.credit_action.isEnabled()  # nothing more to credit


# -- who may do what --------------------------------------------------------------------------
def test_a_viewer_sees_the_actions_disabled(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], sqlite_db: Database, services: Services
) -> None:
    viewer = Services(sqlite_db, Actor("val.viewer", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.show()
    w.load()
    tab = w.invoices_tab
    shown: list[QDialog] = []
    tab.run_dialog = lambda d: (shown.append(d), d.show())  # type: ignore[method-assign]
    w.tabs.setCurrentWidget(tab)
    settle(qtbot, tab)
    assert len(numbers_shown(tab)) == 5  # looking is allowed
    writes = [
        tab.new_action,
        tab.edit_action,
        tab.delete_action,
        tab.issue_action,
        tab.credit_action,
    ]
    for invoice_id in (invoices["draft"], invoices["current"]):
        select(qtbot, tab, invoice_id)
        assert [a for a in writes if a.isEnabled()] == []
        assert tab.history_action.isEnabled() and tab.open_action.isEnabled()
    # Enter on a draft opens it to read.
    select(qtbot, tab, invoices["draft"])
    press(qtbot, tab.table, Qt.Key.Key_Return)
    editor = shown[-1]
    assert isinstance(editor, InvoiceEditor) and not editor.editable
    editor.reject()
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and a.text() == "In&voices")
    enabled = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled() and a.text()}
    assert enabled == {
        "Open…",
        "Preview",
        "Print / Save PDF…",
        "History…",
        "Export list to Excel…",
        "Invoice settings…",
        "Service catalogue…",
        # Looking at the money side (iui2's actions): lists, reports and exports.
        "Payments…",
        "Statement of account…",
        "Aged debt…",
        "Export for Xero…",
        "Invoice register (Excel)…",
    }
    menu_action(w, "Invoices", "Invoice settings…").trigger()
    settings = shown[-1]
    assert [b.text() for b in settings.buttons.buttons()] == ["Close"]  # to read only


def test_history_and_the_context_menu(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    select(qtbot, tab, invoices["current"])
    press(qtbot, tab.table, Qt.Key.Key_H, CTRL)
    history = opened[-1]
    assert history.windowTitle() == "History – Invoice INV-000003 – Mile End Learning Hub"
    assert history.model.rowCount() >= 2  # made as a draft, then issued
    history.reject()
    rows = [tab.proxy.invoice_at(r).id for r in range(tab.proxy.rowCount())]
    rect = tab.table.visualRect(tab.proxy.index(rows.index(invoices["draft"]), 0))
    tab.table.customContextMenuRequested.emit(rect.center())
    menu = tab.table_menu
    assert isinstance(menu, QMenu)
    texts = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled() and a.text()}
    assert {"Edit draft…", "Delete draft…", "Issue…", "History…"} <= texts
    assert "Credit…" not in texts
    assert tab.selected_ids() == [invoices["draft"]]


def test_invoice_settings_refuse_reminders_out_of_order_then_save(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services
) -> None:
    menu_action(window, "Invoices", "Invoice settings…").trigger()
    form = opened[-1]
    assert isinstance(form, MembershipForm)
    retype(qtbot, form.inputs["second_reminder_days"], "10")
    before = services.invoices.settings(services.actor)
    push(qtbot, button(form, "Save"))
    assert form.isVisible() and "later than the one before" in form.messages.message(
        "second_reminder_days"
    )
    assert services.invoices.settings(services.actor) == before
    retype(qtbot, form.inputs["second_reminder_days"], "30")
    retype(qtbot, form.inputs["payment_terms_days"], "14")
    choose(qtbot, form.inputs["fee_vat_code"], "Exempt")
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    after = services.invoices.settings(services.actor)
    assert (after.payment_terms_days, after.second_reminder_days) == (14, 30)
    assert after.fee_vat_code.value == "exempt"
    # A new invoice's due date follows the new terms.
    menu_action(window, "Invoices", "New invoice…").trigger()
    editor = editor_of(opened)
    assert editor.due_date.text() == format_date(TODAY + timedelta(days=14))
    editor.reject()


def test_export_list_to_excel_writes_the_invoices_as_shown(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], modals, tmp_path
) -> None:
    import openpyxl

    tab = window.invoices_tab
    choose(qtbot, tab.status_filter, "Unpaid")
    target = tmp_path / "Invoices.xlsx"
    window.ask_save_path = lambda *_args: (str(target), "")  # type: ignore[method-assign]
    modals.click("Close")  # written: not opening it
    menu_action(window, "Invoices", "Export list to Excel…").trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    header = next(n for n, r in enumerate(rows) if r[:3] == ["Number", "Kind", "Customer"])
    assert "status Unpaid" in " ".join(str(r[0]) for r in rows[:header])
    body = rows[header + 1 :]
    assert [r[0] for r in body] == ["INV-000003", "INV-000001"]
    assert body[1][6] == 1080  # money as a number, not text
    assert body[1][11] == 45


def test_the_invoices_model_passes_qts_model_checks(  # type: ignore[no-untyped-def]
    qtmodeltester, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_vat_shows_only_when_the_organisation_has_a_vat_number(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    from dataclasses import replace

    tab = window.invoices_tab
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = editor_of(opened)
    type_line(qtbot, editor, 1, "Ofsted preparation day", "1", "450.00")
    # Not VAT-registered: no VAT column or VAT total, and a new line has no VAT.
    assert not editor.lines.vat_heading.isVisibleTo(editor)
    assert editor.lines.rows[0].vat_code.currentText() == "No VAT"
    assert editor.totals.text() == "Total <b>£450.00</b>"
    modals.click("Discard changes")
    push(qtbot, button(editor, "Cancel"))
    modals.wait_answered()
    assert not editor.isVisible()

    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(services.actor, replace(profile, vat_number="GB980780684"))
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = editor_of(opened)
    type_line(qtbot, editor, 1, "Ofsted preparation day", "1", "450.00")
    push(qtbot, editor.add_line_button)
    type_line(qtbot, editor, 2, "Training place", "2", "95.00")
    choose(qtbot, editor.lines.rows[1].vat_code, "Exempt")
    assert editor.lines.vat_heading.isVisibleTo(editor)
    assert editor.lines.rows[0].vat_code.currentText() == "20%"
    assert editor.lines.rows[0].vat.text() == "£90.00"
    assert editor.lines.rows[1].vat.text() == "£0.00"
    assert editor.totals.text() == (
        "Net <b>£640.00</b> &nbsp; VAT <b>£90.00</b> &nbsp; Total <b>£730.00</b>"
    )
    modals.click("Discard changes")
    push(qtbot, button(editor, "Cancel"))
    modals.wait_answered()
    assert len(services.invoices.list_invoices(services.actor)) == 5  # nothing saved


def test_a_colleague_saved_the_draft_meanwhile(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog], services, modals
) -> None:
    from dataclasses import replace

    from thep_desktop.ui.shared.forms import MERGE, RELOAD

    tab = window.invoices_tab
    select(qtbot, tab, invoices["draft"])
    press(qtbot, tab.table, Qt.Key.Key_Return)
    editor = editor_of(opened)
    # A colleague on another PC changes the same draft.
    theirs = services.invoices.get_invoice(services.actor, invoices["draft"])
    services.invoices.update_draft(
        services.actor, theirs.id, theirs.version, replace(theirs.as_input(), reference="Theirs")
    )
    qtbot.keyClicks(editor.purchase_order, "PO-77")
    modals.click(MERGE)
    push(qtbot, button(editor, "Save draft"))
    modals.wait_answered()
    assert "Someone else changed this draft" in modals.seen[-1].text
    assert editor.isVisible() and editor.purchase_order.text() == "PO-77"
    assert services.invoices.get_invoice(services.actor, theirs.id).purchase_order == ""
    assert (editor.purchase_order.text(), editor.reference.text()) == ("PO-77", "Theirs")
    push(qtbot, button(editor, "Save draft"))  # theirs, with mine on top
    assert not editor.isVisible()
    saved = services.invoices.get_invoice(services.actor, theirs.id)
    assert (saved.purchase_order, saved.reference) == ("PO-77", "Theirs")

    # Again, and this time their version is taken.
    settle(qtbot, tab)
    press(qtbot, tab.table, Qt.Key.Key_Return)
    editor = editor_of(opened)
    services.invoices.update_draft(
        services.actor, saved.id, saved.version, replace(saved.as_input(), reference="Again")
    )
    retype(qtbot, editor.purchase_order, "PO-78")
    modals.click(RELOAD)
    push(qtbot, button(editor, "Save draft"))
    modals.wait_answered()
    assert editor.isVisible()
    assert (editor.purchase_order.text(), editor.reference.text()) == ("PO-77", "Again")
    push(qtbot, button(editor, "Cancel"))  # nothing changed since reloading: nothing asked
    assert not editor.isVisible()


def test_the_tabs_keys_work_only_while_it_is_in_view(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    from thep_desktop.ui.memberships.application_dialog import ApplicationDialog

    tab = window.invoices_tab
    asked: list[str] = []
    tab.ask_save_path = lambda *args: (asked.append(args[1]), ("", ""))[1]  # type: ignore[method-assign]
    window.memberships_tab.run_dialog = lambda d: (opened.append(d), d.show())  # type: ignore[method-assign]
    select(qtbot, tab, invoices["current"])
    window.tabs.setCurrentWidget(window.memberships_tab)
    press(qtbot, window.memberships_tab.table, Qt.Key.Key_P, CTRL)
    press(qtbot, window.memberships_tab.table, Qt.Key.Key_N, CTRL)
    assert asked == []  # no invoice out of sight is printed
    assert isinstance(opened[-1], ApplicationDialog)  # Ctrl+N is the Memberships tab's
    opened[-1].reject()
    window.tabs.setCurrentWidget(tab)
    press(qtbot, tab.table, Qt.Key.Key_P, CTRL)
    assert asked == ["Save invoices as PDF"]
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    assert isinstance(opened[-1], InvoiceEditor)
    opened[-1].reject()


def test_a_draft_dated_before_the_last_issued_invoice_is_not_issued(  # type: ignore[no-untyped-def]
    qtbot,
    invoices: dict[str, int],
    window: MainWindow,
    opened: list[QDialog],
    services,
    modals,
    sqlite_db,
) -> None:
    from invoice_records import draft

    old = draft(services, invoices["bow"], invoice_date=TODAY - timedelta(days=80))
    tab = window.invoices_tab
    tab.reload()
    settle(qtbot, tab)
    select(qtbot, tab, old.id)
    before = table_sums(sqlite_db)
    modals.click("Issue").click("OK")
    menu_action(window, "Invoices", "Issue…").trigger()
    modals.wait_answered()
    refusal = modals.seen[-1]
    assert refusal.title == "Not issued"
    assert "before the last invoice issued" in refusal.text and "Change its date" in refusal.text
    assert table_sums(sqlite_db) == before
    settle(qtbot, tab)
    assert cell(tab, old.id, COL_NUMBER) == "Draft"
