"""Preview and Print / Save PDF of invoices, and the service catalogue, through the window."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import table_sums
from invoices_ui_helpers import editor_of, select, settle, type_choice
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog
from qt_driving import Modals, button, choose, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.catalogue_service import ServiceItemInput, default_catalogue
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.invoices.catalogue_dialog import CatalogueDialog
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.memberships.membership_form import MembershipForm

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_preview_opens_the_selected_invoices_in_the_pdf_viewer(  # type: ignore[no-untyped-def]
    qtbot, invoices: dict[str, int], window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.invoices_tab
    viewed: list[QUrl] = []
    tab.open_url = viewed.append  # the system's PDF viewer, as Qt's desktop services open it
    select(qtbot, tab, invoices["overdue"])
    select(qtbot, tab, invoices["current"], add=True)
    press(qtbot, tab.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.waitUntil(lambda: bool(viewed), timeout=20_000)
    path = Path(viewed[0].toLocalFile())
    assert path == tab.preview_path and path.suffix == ".pdf"
    text = pdf_text(path)
    assert "INV-000001" in text and "INV-000003" in text
    assert "Bow Arts Trust" in text and "Mile End Learning Hub" in text
    assert "1,080.00" in text
    assert "2 invoices opened in the PDF viewer." in window.statusBar().currentMessage()


def test_print_save_pdf_writes_where_the_person_chooses(  # type: ignore[no-untyped-def]
    qtbot,
    invoices: dict[str, int],
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    tmp_path: Path,
) -> None:
    tab = window.invoices_tab
    asked: list[str] = []
    target = tmp_path / "for the bursar"

    def ask_path(_parent, _caption, suggested, _filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(target), ""

    tab.ask_save_path = ask_path  # type: ignore[method-assign]
    select(qtbot, tab, invoices["credited"])
    modals.click("Close")  # saved: not opening it now
    menu_action(window, "Invoices", "Print / Save PDF…").trigger()
    modals.wait_answered(timeout=20_000)
    assert asked[0].endswith("INV-000002.pdf")
    written = tmp_path / "for the bursar.pdf"
    assert "Invoice INV-000002 saved to" in modals.seen[-1].text
    text = pdf_text(written)
    assert "INV-000002" in text and "Training places" in text
    assert "285.00" in text


def test_the_catalogue_refuses_a_price_in_fractions_of_a_penny_then_feeds_the_editor(  # type: ignore[no-untyped-def]
    qtbot,
    invoices: dict[str, int],
    window: MainWindow,
    opened: list[QDialog],
    services: Services,
    sqlite_db: Database,
    modals: Modals,
) -> None:
    tab = window.invoices_tab
    menu_action(window, "Invoices", "Service catalogue…").trigger()
    catalogue = opened[-1]
    assert isinstance(catalogue, CatalogueDialog)
    assert catalogue.model.rowCount() == 0
    press(qtbot, catalogue.table, Qt.Key.Key_N, CTRL)
    form = opened[-1]
    assert isinstance(form, MembershipForm) and form.windowTitle() == "New service"
    qtbot.keyClicks(form.inputs["code"], "mock-ofsted")
    qtbot.keyClicks(form.inputs["name"], "Mock Ofsted inspection day")
    qtbot.keyClicks(form.inputs["unit"], "day")
    qtbot.keyClicks(form.inputs["unit_price"], "1.234")
    before = table_sums(sqlite_db)
    push(qtbot, button(form, "Save"))
    assert form.isVisible()
    assert "penny" in form.messages.message("unit_price")
    assert form.inputs["unit_price"].text() == "1.234"
    assert table_sums(sqlite_db) == before
    form.inputs["unit_price"].selectAll()
    qtbot.keyClicks(form.inputs["unit_price"], "495.00")
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    assert catalogue.model.row_values(0)[:4] == (
        "MOCK-OFSTED",
        "Mock Ofsted inspection day",
        "day",
        Decimal("495.00"),
    )
    # The usual services, beside the office's own; asked again, nothing more is added.
    push(qtbot, button(catalogue, "Add the usual services"))
    usual = len(default_catalogue())
    assert catalogue.model.rowCount() == usual + 1
    modals.click("OK")
    push(qtbot, button(catalogue, "Add the usual services"))
    modals.wait_answered()
    assert "nothing was added" in modals.seen[-1].text
    assert catalogue.model.rowCount() == usual + 1
    push(qtbot, button(catalogue, "Close"))

    # A new invoice's line from the catalogue: the item's price, VAT and code.
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = editor_of(opened)
    type_choice(qtbot, editor.customer, "Bow Arts Trust (not a member)")
    push(qtbot, editor.catalogue_button)
    pick = opened[-1]
    assert isinstance(pick, MembershipForm) and pick.windowTitle() == "Add from catalogue"
    choose(
        qtbot,
        pick.inputs["item"],
        "MOCK-OFSTED  Mock Ofsted inspection day: £495.00 a day",
    )
    pick.inputs["quantity"].selectAll()
    qtbot.keyClicks(pick.inputs["quantity"], "2.5")
    push(qtbot, button(pick, "Add line"))
    assert not pick.isVisible()
    assert len(editor.lines.rows) == 1  # the empty first line was filled, not left blank
    row = editor.lines.rows[0]
    assert row.description.text() == "Mock Ofsted inspection day"
    assert (row.quantity.text(), row.unit_price.text()) == ("2.5", "495.00")
    assert row.net.text() == "£1,237.50"
    push(qtbot, button(editor, "Save draft"))
    assert not editor.isVisible()
    settle(qtbot, tab)
    (new_id,) = tab.selected_ids()
    line = services.invoices.get_invoice(services.actor, new_id).lines[0]
    (item,) = [i for i in services.catalogue.list_items(services.actor) if i.code == "MOCK-OFSTED"]
    assert line.service_item_id == item.id and line.unit_price == Decimal("495.00")

    # On an invoice now: it cannot be deleted, only retired.
    menu_action(window, "Invoices", "Service catalogue…").trigger()
    catalogue = opened[-1]
    codes = [catalogue.model.row_values(r)[0] for r in range(catalogue.model.rowCount())]
    rect = catalogue.table.visualRect(catalogue.model.index(codes.index("MOCK-OFSTED"), 1))
    qtbot.mouseClick(catalogue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    modals.click("Delete").click("OK")
    push(qtbot, button(catalogue, "Delete…"))
    modals.wait_answered()
    assert "Retire it instead" in modals.seen[-1].text
    assert len(services.catalogue.list_items(services.actor)) == len(default_catalogue()) + 1
    press(qtbot, catalogue.table, Qt.Key.Key_Return)
    form = opened[-1]
    assert form.inputs["active"].isChecked()
    form.inputs["active"].setFocus()
    qtbot.keyClick(form.inputs["active"], Qt.Key.Key_Space)  # untick Active
    assert not form.inputs["active"].isChecked()
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    assert catalogue.model.row_values(codes.index("MOCK-OFSTED"))[6] is False
    assert "MOCK-OFSTED" not in [i.code for i in services.catalogue.list_items(services.actor)]


def test_a_viewer_may_read_the_catalogue_but_not_change_it(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db: Database, services: Services
) -> None:
    services.catalogue.save_item(
        services.actor,
        ServiceItemInput("TRAIN", "Training place", "", "place", "95.00", VatCode.EXEMPT),
    )
    viewer = Services(sqlite_db, Actor("val.viewer", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.show()
    w.load()
    shown: list[QDialog] = []
    w.invoices_tab.run_dialog = lambda d: (shown.append(d), d.show())  # type: ignore[method-assign]
    settle(qtbot, w.invoices_tab)
    menu_action(w, "Invoices", "Service catalogue…").trigger()
    catalogue = shown[-1]
    assert isinstance(catalogue, CatalogueDialog)
    assert catalogue.model.rowCount() == 1
    assert not catalogue.new_button.isEnabled() and not catalogue.delete_button.isEnabled()
    assert not catalogue.defaults_button.isEnabled()
    push(qtbot, button(catalogue, "Open…"))
    form = shown[-1]
    assert [b.text() for b in form.buttons.buttons()] == ["Close"]
    assert not form.inputs["unit_price"].isEnabled()
