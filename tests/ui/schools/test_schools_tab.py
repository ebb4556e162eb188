"""The Schools tab and school dialog, driven through real widgets on a real temporary database."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from header_menus import menu_action, open_header_menu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QFrame, QInputDialog, QLineEdit
from qt_driving import Modals, activate, button, choose, click_tab, press, push

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.schools import SchoolRow
from thep_desktop.models import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools import school_dialog
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.schools.schools_table_model import (
    _CONCERN,
    _GREY,
    COL_HEAD,
    COL_LINK,
    COL_NAME,
    COL_OFSTED,
    COL_POSTCODE,
    COL_PUPILS,
    COL_TRUST,
    COL_URN,
    COLUMNS,
    SchoolsTableModel,
)
from thep_desktop.ui.shared import forms

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from the standard columns: the user's settings go in a folder of its own."""
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


CENSUS = "16/01/2026"


def school(urn: int, name: str, phase: str = "Primary", **kw: object) -> SchoolInput:
    values: dict[str, object] = {
        "urn": urn,
        "name": name,
        "phase": phase,
        "la_code": "211",
        "establishment_number": str(2000 + urn % 1000),
        "establishment_type": "Community school",
        "postcode": "E1 6AB",
        "pupils_on_roll": 200,
        "pupils_census_date": CENSUS,
    }
    values.update(kw)
    return SchoolInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    officer = s.staff.create_staff(actor, StaffInput("Nadia Rahman", "School improvement officer"))
    s.schools.create_school(
        actor,
        school(
            100001,
            "Bow Primary School",
            postcode="E3 4PX",
            pupils_on_roll=420,
            link_officer_id=officer.id,
            contacts=[ContactInput("Amina Begum", "Head teacher", "head@bow.sch.uk")],
        ),
    )
    s.schools.create_school(
        actor, school(100002, "Stepney Green Secondary", "Secondary", pupils_on_roll=1100)
    )
    s.schools.create_school(
        actor, school(100003, "Mile End Nursery School", "Nursery", postcode="E1 4NS")
    )
    return s


def names_shown(w: MainWindow) -> list[str]:
    proxy = w.schools_tab.proxy
    return [proxy.row_at(r).name for r in range(proxy.rowCount())]


def select(w: MainWindow, name: str) -> None:
    tab = w.schools_tab
    ids = [tab.proxy.row_at(r).id for r in range(tab.proxy.rowCount())]
    match = [i for i in ids if tab.model.row_at(tab.model.row_of_id(i)).name == name]
    tab.select_ids(match)


def field(dialog: SchoolDialog, name: str) -> QLineEdit:
    widget = dialog.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


# -- the window -----------------------------------------------------------------------------
def test_window_names_the_open_database_and_lists_the_register(window: MainWindow) -> None:
    path = window.services.db.sqlite_path
    assert path is not None and str(path) in window.database_label.text()
    assert names_shown(window) == [
        "Bow Primary School",
        "Mile End Nursery School",
        "Stepney Green Secondary",
    ]
    assert window.schools_tab.count_label.text() == "3 schools"
    assert "Tower Hamlets Education Partnership" in window.windowTitle()


def test_selecting_a_school_shows_its_details_and_contacts(window: MainWindow) -> None:
    select(window, "Bow Primary School")
    text = window.schools_tab.detail.toPlainText()
    assert "URN" in text and "100001" in text
    assert "Amina Begum" in text and "Nadia Rahman" in text
    assert "16/01/2026" in text  # census date, dd/mm/yyyy


# -- filter and sort ------------------------------------------------------------------------
def test_filter_as_you_type_by_name_urn_and_postcode(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    qtbot.keyClicks(tab.search, "step")
    assert names_shown(window) == ["Stepney Green Secondary"]
    assert tab.count_label.text() == "1 of 3 schools shown"
    retype(qtbot, tab.search, "100003")
    assert names_shown(window) == ["Mile End Nursery School"]
    retype(qtbot, tab.search, "e34px")  # postcode without its space, any case
    assert names_shown(window) == ["Bow Primary School"]
    retype(qtbot, tab.search, "school e1")  # every word must match
    assert names_shown(window) == ["Mile End Nursery School"]
    press(qtbot, tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == "" and len(names_shown(window)) == 3


def test_quick_filters_by_phase_and_status(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    qtbot.keyClicks(tab.phase_filter, "N")  # a person types the first letters
    assert names_shown(window) == ["Mile End Nursery School"]
    qtbot.keyClick(tab.phase_filter, Qt.Key.Key_Home)  # back to "Any phase"
    detail = services.schools.get_school_by_urn(services.actor, 100002)
    services.schools.close_school(services.actor, detail.id, detail.version, "31/08/2026")
    press(qtbot, tab.table, Qt.Key.Key_F5)
    qtbot.keyClicks(tab.status_filter, "C")
    assert tab.status_filter.currentData() == SchoolStatus.CLOSED.value
    assert names_shown(window) == ["Stepney Green Secondary"]
    qtbot.keyClick(tab.status_filter, Qt.Key.Key_Home)  # the first choice, the default
    assert tab.status_filter.currentText() == "Open and proposed"
    assert "Stepney Green Secondary" not in names_shown(window)


def test_clicking_a_column_header_sorts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    header = window.schools_tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_PUPILS) + header.sectionSize(COL_PUPILS) // 2
    centre = QPoint(x, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert names_shown(window) == [
        "Mile End Nursery School",
        "Bow Primary School",
        "Stepney Green Secondary",
    ]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert names_shown(window) == [
        "Stepney Green Secondary",
        "Bow Primary School",
        "Mile End Nursery School",
    ]
    window.schools_tab.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names_shown(window)[0] == "Stepney Green Secondary"
    assert names_shown(window)[-1] == "Bow Primary School"


def test_filter_keeps_working_after_a_sort(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    tab.table.sortByColumn(COL_PUPILS, Qt.SortOrder.AscendingOrder)
    qtbot.keyClicks(tab.search, "o")
    tab.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names_shown(window) == [
        "Stepney Green Secondary",
        "Mile End Nursery School",
        "Bow Primary School",
    ]


# -- adding and editing ---------------------------------------------------------------------
def test_add_a_school_through_the_form(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = dialogs[0]
    qtbot.keyClicks(field(dialog, "urn"), "100500")
    qtbot.keyClicks(field(dialog, "name"), "St Mary & St John's <Primary>")
    phase = dialog.inputs["phase"]
    assert isinstance(phase, QComboBox)
    activate(qtbot, dialog)
    choose(qtbot, phase, "Primary")
    qtbot.keyClicks(field(dialog, "pupils_on_roll"), "315")
    qtbot.keyClicks(field(dialog, "pupils_census_date"), CENSUS)
    qtbot.keyClicks(field(dialog, "postcode"), "e2 6ab")
    dialog.tabs.setCurrentIndex(2)  # People, where the contacts are
    push(qtbot, dialog.add_contact_button)  # opens the new row's name for typing
    qtbot.keyClicks(QApplication.focusWidget(), "Grace Okafor")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the role
    qtbot.keyClicks(QApplication.focusWidget(), "School business manager")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == SchoolDialog.DialogCode.Accepted
    saved = services.schools.get_school_by_urn(services.actor, 100500)
    assert saved.name == "St Mary & St John's <Primary>"
    assert saved.postcode == "E2 6AB" and saved.pupils_on_roll == 315
    assert [c.full_name for c in saved.contacts] == ["Grace Okafor"]
    assert "St Mary & St John's <Primary>" in names_shown(window)
    assert window.schools_tab.selected_id() == saved.id
    assert "St Mary &amp; St John" in window.schools_tab.detail.toHtml()


def test_bad_postcode_is_shown_beside_the_field_and_nothing_is_lost(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, "postcode"), "E3 XYZ")
    retype(qtbot, field(dialog, "phone"), "020 7364 0000")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.isVisible()
    assert "not a UK postcode" in dialog.messages.message("postcode")
    assert dialog.messages.message("phone") == ""
    assert dialog.tabs.currentIndex() == 1  # the Address page, where the postcode is
    assert field(dialog, "postcode").text() == "E3 XYZ"  # what the user typed stays
    assert field(dialog, "phone").text() == "020 7364 0000"
    assert not dialog.banner.isHidden()
    stored = services.schools.get_school_by_urn(services.actor, 100001)
    assert stored.postcode == "E3 4PX" and stored.phone == ""  # nothing half-saved

    retype(qtbot, field(dialog, "postcode"), "E3 4PY")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and dialog.result() == SchoolDialog.DialogCode.Accepted
    assert services.schools.get_school_by_urn(services.actor, 100001).postcode == "E3 4PY"


def test_a_new_census_typed_in_the_form_is_listed_beside_the_old_one(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    assert "420 (census 16/01/2026)" in window.schools_tab.detail.toPlainText()
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    assert dialog.census_label.text() == "Census figures kept: 420 (16/01/2026)"
    assert dialog.census_label.isVisible()
    retype(qtbot, field(dialog, "pupils_on_roll"), "436")
    retype(qtbot, field(dialog, "pupils_census_date"), "21/01/2027")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    text = window.schools_tab.detail.toPlainText()
    assert "436 (census 21/01/2027),\n420 (census 16/01/2026)" in text  # newest first
    bow = services.schools.get_school_by_urn(services.actor, 100001)
    assert (bow.pupils_on_roll, bow.pupils_census_date) == (436, date(2027, 1, 21))
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    again = dialogs[1]
    assert again.census_label.text() == ("Census figures kept: 436 (21/01/2027), 420 (16/01/2026)")


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("urn", "12345", "not a URN"),
        ("urn", "100002", "already used by Stepney Green Secondary"),
        ("pupils_on_roll", "-5", "cannot be less than 0"),
        ("name", "x" * 201, "too long"),
        ("open_date", "31/02/2020", "not a real date"),
    ],
)
def test_bad_input_gets_a_message_beside_its_field(
    qtbot, window: MainWindow, dialogs, services: Services, name: str, typed: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, name), typed)
    push(qtbot, dialog.save_button)
    assert dialog.isVisible()  # refused: still open
    assert expected in dialog.messages.message(name)
    assert field(dialog, name).text() == typed
    assert services.schools.get_school_by_urn(services.actor, 100001).version == 1


def test_bad_contact_is_marked_in_the_contacts_table(qtbot, window: MainWindow, dialogs) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    before = window.services.schools.get_school_by_urn(window.services.actor, 100001)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    model = dialog.contacts_model
    dialog.tabs.setCurrentIndex(2)
    view = dialog.contacts_view
    view.setFocus()
    view.setCurrentIndex(model.index(0, 2))
    press(qtbot, view, Qt.Key.Key_F2)  # edit the email, as a person does
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "not-an-email")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert window.services.schools.get_school_by_urn(window.services.actor, 100001) == before
    assert "Contact 1" in dialog.contacts_message.text()
    assert "not an email address" in dialog.contacts_message.text()
    assert model.data(model.index(0, 2)) == "not-an-email"


def test_edit_conflict_from_a_second_session(
    qtbot, window: MainWindow, dialogs, services: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, "phone"), "020 7000 1111")

    # Meanwhile a colleague, on their own connection, changes the same school.
    colleague_db = Database(services.db.url)
    colleague = Services(colleague_db, Actor("sam.colleague", Role.STAFF))
    theirs = colleague.schools.get_school_by_urn(colleague.actor, 100001)
    colleague.schools.update_school(
        colleague.actor,
        theirs.id,
        theirs.version,
        SchoolInput(**{**vars(theirs.as_input()), "head_last_name": "Uddin"}),
    )
    colleague_db.dispose()

    modals.click(forms.KEEP_EDITING)
    press(
        qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )  # refused; the user chose to stay
    modals.wait_answered()
    assert dialog.isVisible()
    assert "sam.colleague changed this school" in modals.seen[0].text
    assert field(dialog, "phone").text() == "020 7000 1111"  # kept
    stored = services.schools.get_school_by_urn(services.actor, 100001)
    assert stored.phone == "" and stored.head_last_name == "Uddin"  # nothing overwritten

    modals.click(forms.MERGE)
    press(
        qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )  # refused again; this time: reload keeping my changes
    modals.wait_answered()
    assert dialog.isVisible()
    assert field(dialog, "phone").text() == "020 7000 1111"
    assert field(dialog, "head_last_name").text() == "Uddin"
    assert "sam.colleague" in dialog.banner.text()
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    stored = services.schools.get_school_by_urn(services.actor, 100001)
    assert stored.phone == "020 7000 1111" and stored.head_last_name == "Uddin"


def test_conflict_can_discard_my_changes(
    qtbot, window: MainWindow, dialogs, services: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, "town"), "Bow")
    current = services.schools.get_school_by_urn(services.actor, 100001)
    services.schools.update_school(
        Actor("sam"),
        current.id,
        current.version,
        SchoolInput(**{**vars(current.as_input()), "town": "London"}),
    )
    theirs = services.schools.get_school_by_urn(services.actor, 100001)
    modals.click(forms.RELOAD)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert dialog.isVisible()
    assert services.schools.get_school_by_urn(services.actor, 100001) == theirs
    assert field(dialog, "town").text() == "London"
    assert not dialog.is_dirty()


def test_merge_keeps_mine_and_names_fields_we_both_changed() -> None:
    base = school_dialog.as_form_text(school(100001, "A"))
    mine = school_dialog.as_form_text(school(100001, "A", phone="1", town="Mine"))
    theirs = school_dialog.as_form_text(school(100001, "A", town="Theirs", county="Essex"))
    merged, both = school_dialog.merge_changes(base, mine, theirs)
    assert (merged.phone, merged.town, merged.county) == ("1", "Mine", "Essex")
    assert both == ["town"]


def test_cancel_with_unsaved_changes_asks_first(
    qtbot, window: MainWindow, dialogs, modals: Modals, services: Services
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    before = services.schools.get_school_by_urn(services.actor, 100001)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, "town"), "Bow")
    modals.click(forms.KEEP_EDITING)
    push(qtbot, button(dialog, "Cancel"))
    modals.wait_answered()
    assert dialog.isVisible() and field(dialog, "town").text() == "Bow"
    modals.click(forms.DISCARD_CHANGES)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not dialog.isVisible()
    assert [s.title for s in modals.seen] == ["Unsaved changes", "Unsaved changes"]
    assert services.schools.get_school_by_urn(services.actor, 100001) == before


# -- closing, deleting, undo ----------------------------------------------------------------
def test_close_then_undo_then_redo(
    qtbot, window: MainWindow, services: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    select(window, "Stepney Green Secondary")
    modals.type("31/08/2026")
    push(qtbot, tab.close_button)
    modals.wait_answered()
    closed = services.schools.get_school_by_urn(services.actor, 100002)
    assert closed.status == SchoolStatus.CLOSED and closed.close_date.isoformat() == "2026-08-31"
    assert window.undo_action.isEnabled() and "close" in window.undo_action.text().lower()

    press(qtbot, tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    reopened = services.schools.get_school_by_urn(services.actor, 100002)
    assert reopened.status == SchoolStatus.OPEN and reopened.close_date is None
    row = tab.model.row_at(tab.model.row_of_id(reopened.id))
    assert row.status == SchoolStatus.OPEN

    press(qtbot, tab.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert services.schools.get_school_by_urn(services.actor, 100002).status == SchoolStatus.CLOSED


def test_undo_of_an_edit_restores_the_fields_and_contacts(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    retype(qtbot, field(dialog, "name"), "Bow Primary Academy")
    dialog.tabs.setCurrentIndex(2)
    dialog.contacts_view.setCurrentIndex(dialog.contacts_model.index(0, 0))
    push(qtbot, dialog.remove_contact_button)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert "Bow Primary Academy" in names_shown(window)

    press(qtbot, window.schools_tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = services.schools.get_school_by_urn(services.actor, 100001)
    assert restored.name == "Bow Primary School"
    assert [c.full_name for c in restored.contacts] == ["Amina Begum"]
    assert "Bow Primary School" in names_shown(window)


def test_undo_after_someone_else_changed_the_school_says_so(
    qtbot, window: MainWindow, services: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    select(window, "Stepney Green Secondary")
    modals.type("31/08/2026")
    push(qtbot, tab.close_button)
    modals.wait_answered()
    now = services.schools.get_school_by_urn(services.actor, 100002)
    services.schools.update_school(
        Actor("sam"), now.id, now.version, SchoolInput(**{**vars(now.as_input()), "town": "Poplar"})
    )
    modals.click("OK")
    press(qtbot, tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert "sam changed this school" in modals.seen[-1].text
    still = services.schools.get_school_by_urn(services.actor, 100002)
    assert still.status == SchoolStatus.CLOSED and still.town == "Poplar"


def test_delete_asks_and_undo_brings_the_school_back(
    qtbot, window: MainWindow, services: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    select(window, "Mile End Nursery School")
    before = services.schools.get_school_by_urn(services.actor, 100003)
    modals.click("Cancel")
    push(qtbot, tab.delete_button)
    modals.wait_answered()
    assert services.schools.count(services.actor) == 3
    assert services.schools.get_school_by_urn(services.actor, 100003) == before
    modals.click("Delete")
    push(qtbot, tab.delete_button)
    modals.wait_answered()
    assert services.schools.count(services.actor) == 2
    assert "Mile End Nursery School" not in names_shown(window)
    press(qtbot, tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.schools.get_school_by_urn(services.actor, 100003).name == (
        "Mile End Nursery School"
    )
    assert "Mile End Nursery School" in names_shown(window)


def test_viewer_can_look_but_not_change(qtbot, sqlite_db: Database, services: Services) -> None:  # type: ignore[no-untyped-def]
    viewer = Services(sqlite_db, Actor("visitor", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.load()
    click_tab(qtbot, w.tabs, w.schools_tab)  # it opens on the Dashboard
    select(w, "Bow Primary School")
    tab = w.schools_tab
    assert not tab.new_button.isEnabled()
    assert not tab.close_button.isEnabled() and not tab.delete_button.isEnabled()
    assert tab.edit_button.isEnabled() and tab.edit_button.text() == "&View…"
    dialog = SchoolDialog(viewer, tab.selected_id(), w)
    assert not dialog.save_button.isEnabled()
    assert "may look at the register but not change it" in dialog.banner.text()


# -- models ---------------------------------------------------------------------------------
def test_table_model_and_filter_proxy_pass_qt_model_checks(
    qtmodeltester, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    """Qt's model tester stays attached, so every change below is checked as it happens."""
    tab = window.schools_tab
    qtmodeltester.check(tab.model)
    tab.search.setText("school")
    qtmodeltester.check(tab.proxy)
    # Narrowing, widening, quick filters, sorting and edits while filtered.
    for text in ("s", "st", "ste", "st", "", "100002", "nothing matches this", "e1"):
        tab.search.setText(text)
    tab.set_quick_filter(tab.phase_filter, "Primary")
    tab.model.sort(COL_PUPILS, Qt.SortOrder.DescendingOrder)
    tab.set_quick_filter(tab.phase_filter, "")
    tab.search.setText("")
    tab.model.sort(COL_NAME)
    assert tab.proxy.rowCount() == tab.model.total_count() == 3


def test_empty_table_model_passes_qt_model_checks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(SchoolsTableModel())


def test_contacts_model_passes_qt_model_checks(
    qtbot, qtmodeltester, window: MainWindow, dialogs
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    qtmodeltester.check(dialogs[0].contacts_model)


# -- databases ------------------------------------------------------------------------------
def test_open_another_database_file(
    qtbot, window: MainWindow, tmp_path: Path, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.sqlite3"
    # File > New database…: the file name typed into the file dialog; demo data declined.
    modals.type(str(other), then="Save").click("Start empty")
    press(
        qtbot,
        window.schools_tab.table,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    modals.wait_answered()
    assert str(other) in window.database_label.text()
    assert names_shown(window) == []
    assert window.schools_tab.count_label.text() == "0 schools"


def test_a_database_that_cannot_be_opened_is_reported_and_the_current_one_stays(
    qtbot, window: MainWindow, tmp_path: Path, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "not-a-database.sqlite3"
    bad.write_text("this is a letter, not a database")
    before = window.database_label.text()
    modals.type(str(bad), then="Open").click("OK")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert modals.seen[1].title == "Cannot open the database"
    assert bad.read_text() == "this is a letter, not a database"
    assert window.database_label.text() == before
    assert len(names_shown(window)) == 3


def test_painted_cells_take_their_own_colour(
    window: MainWindow, services: Services, actor: Actor
) -> None:
    """A school causing concern is red; the others keep their own colour, whatever came first."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyleOptionViewItem

    concern = services.schools.get_school_by_urn(actor, 100002)
    services.schools.update_school(
        actor,
        concern.id,
        concern.version,
        dataclasses.replace(concern.as_input(), causing_concern=True),
    )
    window.schools_tab.reload()
    tab = window.schools_tab
    delegate = tab.table.itemDelegate()
    names = {tab.proxy.row_at(r).name: r for r in range(tab.proxy.rowCount())}
    colours = {}
    for name in ("Stepney Green Secondary", "Bow Primary School", "Mile End Nursery School"):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, tab.proxy.index(names[name], COL_NAME))
        colours[name] = option.palette.color(QPalette.ColorRole.Text).name()
        assert option.text == name
    assert colours["Stepney Green Secondary"] == "#b00020"
    assert colours["Bow Primary School"] != "#b00020"
    assert colours["Mile End Nursery School"] == colours["Bow Primary School"]


def test_the_selection_comes_back_when_a_search_that_hid_it_is_cleared(window: MainWindow) -> None:
    tab = window.schools_tab
    bow = next(
        tab.proxy.row_at(r).id
        for r in range(tab.proxy.rowCount())
        if tab.proxy.row_at(r).name == "Bow Primary School"
    )
    tab.select_ids([bow])
    tab.search.setText("stepney")
    assert tab.selected_ids() == []
    tab.search.setText("")
    assert tab.selected_ids() == [bow]
    assert "Bow Primary School" in tab.detail.toPlainText()


def answer_input_dialog(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """When the next QInputDialog opens, type ``text`` into it and press Enter."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_closing_on_a_date_to_come_keeps_the_school_open_until_then(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    tab = window.schools_tab
    select(window, "Bow Primary School")
    later = date.today() + timedelta(days=60)
    answer_input_dialog(qtbot, format_date(later))
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    school = services.schools.get_school_by_urn(services.actor, 100001)
    assert (school.status, school.close_date) == (SchoolStatus.OPEN, later)
    # Still listed among the open schools, and the detail says when it closes.
    assert "Bow Primary School" in names_shown(window)
    assert f"Closes on {format_date(later)}" in tab.detail.toPlainText()
    assert "Closed since" not in tab.detail.toPlainText()
    assert "will close on" in window.statusBar().currentMessage()


# -- status filter, blanks, key, status bar ------------------------------------------------------
def test_the_status_filter_starts_at_open_and_proposed_and_closed_is_a_click_away(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    actor = services.actor
    services.schools.create_school(
        actor, school(100004, "Poplar Free School", status="proposed_to_open")
    )
    stepney = services.schools.get_school_by_urn(actor, 100002)
    services.schools.close_school(actor, stepney.id, stepney.version, "31/08/2025")
    tab = window.schools_tab
    tab.reload()
    assert tab.status_filter.currentText() == "Open and proposed"
    assert "Stepney Green Secondary" not in names_shown(window)
    assert "Poplar Free School" in names_shown(window)
    assert tab.count_label.text() == "3 of 4 schools shown"
    choose(qtbot, tab.status_filter, "Closed", starting=True)
    assert names_shown(window) == ["Stepney Green Secondary"]
    qtbot.keyClick(tab.status_filter, Qt.Key.Key_End)  # the last choice
    assert tab.status_filter.currentText() == "All statuses"
    assert len(names_shown(window)) == 4


def test_blanks_go_last_whichever_way_a_column_is_sorted(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    services.schools.create_school(
        services.actor,
        school(100004, "Aldgate School", pupils_on_roll=None, pupils_census_date=None),
    )
    tab = window.schools_tab
    tab.reload()
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_PUPILS) + header.sectionSize(COL_PUPILS) // 2
    centre = QPoint(x, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert names_shown(window)[-1] == "Aldgate School"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert names_shown(window) == [
        "Stepney Green Secondary",
        "Bow Primary School",
        "Mile End Nursery School",
        "Aldgate School",  # no number known: last both ways
    ]
    # Thousands separators in the table.
    assert tab.proxy.index(0, COL_PUPILS).data() == "1,100"
    # A text column too: only Bow has a link officer; the rest are blank and stay last.
    tab.table.sortByColumn(COL_LINK, Qt.SortOrder.DescendingOrder)
    assert names_shown(window)[0] == "Bow Primary School"
    tab.table.sortByColumn(COL_LINK, Qt.SortOrder.AscendingOrder)
    assert names_shown(window)[0] == "Bow Primary School"


def test_a_key_beside_the_table_says_what_red_and_grey_mean(window: MainWindow) -> None:
    legend = window.schools_tab.legend
    assert legend.isVisible()
    assert "school causing concern" in legend.text() and "closed school" in legend.text()
    # The same red as the names in the table, and the same grey as closed rows.
    assert _CONCERN.color().name() in legend.text() and _GREY.color().name() in legend.text()


def test_the_status_bar_has_separate_framed_parts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    parts = [window.count_label, window.user_label, window.database_label]
    assert all(p.isVisible() and p.frameShape() == QFrame.Shape.StyledPanel for p in parts)
    click_tab(qtbot, window.tabs, window.schools_tab)  # (it opens on the Dashboard)
    assert window.count_label.text() == "3 schools in the register"
    assert window.user_label.text() == "jo.bloggs (admin)"
    assert window.database_label.text().startswith("Local file: ")
    qtbot.keyClicks(window.schools_tab.search, "step")
    assert window.count_label.text() == "1 of 3 schools shown"
    # Side by side, left to right, none overlapping.
    edges = [(p.geometry().left(), p.geometry().right()) for p in parts]
    assert all(edges[i][1] < edges[i + 1][0] for i in range(2))


# -- columns and the details pane, remembered ------------------------------------------------------
def reopened(qtbot, window: MainWindow, services: Services) -> MainWindow:  # type: ignore[no-untyped-def]
    """Close the window and open a new one on the same database, as the next day."""
    window.close()
    again = MainWindow(services)
    qtbot.addWidget(again)
    again.show()
    again.load()
    click_tab(qtbot, again.tabs, again.schools_tab)  # it opens on the Dashboard
    return again


def test_the_standard_columns_are_what_the_office_looks_at_most(window: MainWindow) -> None:
    tab = window.schools_tab
    titles = [COLUMNS[n].title for n in tab.visible_columns()]
    assert titles == [
        "URN",
        "School",
        "Phase",
        "Status",
        "Membership",
        "Pupils",
        "Head teacher",
        "Link officer",
        "Ofsted",
    ]


def test_the_key_columns_fit_an_office_laptop_screen(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    tab = window.schools_tab
    header = tab.table.horizontalHeader()
    viewport = tab.table.viewport().width()
    for logical in tab.visible_columns():
        right = header.sectionViewportPosition(logical) + header.sectionSize(logical)
        assert right <= viewport, COLUMNS[logical].title
    assert tab.detail.isVisible() and tab.detail.width() >= 250


def test_hiding_a_column_from_the_header_menu_is_remembered(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    tab = window.schools_tab
    menu = open_header_menu(tab.table, COL_HEAD)
    menu_action(menu, "Head teacher").trigger()
    assert COL_HEAD not in tab.visible_columns()
    menu = open_header_menu(tab.table, COL_NAME)
    menu_action(menu, "Trust").trigger()  # and show one the standard set leaves out
    tab.table.horizontalHeader().resizeSection(COL_OFSTED, 150)  # dragged wider
    again = reopened(qtbot, window, services)
    shown = again.schools_tab.visible_columns()
    assert COL_HEAD not in shown and COL_TRUST in shown
    assert again.schools_tab.table.horizontalHeader().sectionSize(COL_OFSTED) == 150


def test_moving_and_resetting_columns_from_the_header_menu(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    tab = window.schools_tab
    standard = tab.visible_columns()
    menu_action(open_header_menu(tab.table, COL_PUPILS), "Move “Pupils” left").trigger()
    shown = tab.visible_columns()
    assert shown.index(COL_PUPILS) == standard.index(COL_PUPILS) - 1
    menu_action(open_header_menu(tab.table, COL_PUPILS), "Move “Pupils” right").trigger()
    menu_action(open_header_menu(tab.table, COL_PUPILS), "Move “Pupils” right").trigger()
    moved = tab.visible_columns()
    assert moved.index(COL_PUPILS) == standard.index(COL_PUPILS) + 1
    menu_action(open_header_menu(tab.table, COL_URN), "Hide “URN”").trigger()
    again = reopened(qtbot, window, services)
    assert again.schools_tab.visible_columns() == [n for n in moved if n != COL_URN]
    tab = again.schools_tab
    menu_action(open_header_menu(tab.table, COL_NAME), "Reset columns").trigger()
    assert tab.visible_columns() == standard
    assert reopened(qtbot, again, services).schools_tab.visible_columns() == standard


def test_the_last_column_shown_cannot_be_hidden(window: MainWindow) -> None:
    tab = window.schools_tab
    for logical in tab.visible_columns()[1:]:
        menu_action(open_header_menu(tab.table, logical), COLUMNS[logical].title).trigger()
    (last,) = tab.visible_columns()
    menu = open_header_menu(tab.table, last)
    assert not menu_action(menu, COLUMNS[last].title).isEnabled()
    assert not menu_action(menu, f"Hide “{COLUMNS[last].title}”").isEnabled()
    menu.close()


def test_the_details_pane_collapses_and_its_width_is_remembered(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    tab = window.schools_tab
    select(window, "Bow Primary School")
    splitter = tab.splitter
    total = sum(splitter.sizes())
    splitter.moveSplitter(total - 400, 1)  # the user drags the divider to make it wider
    assert abs(splitter.sizes()[1] - 400) <= splitter.handleWidth() + 2
    width = splitter.sizes()[1]
    qtbot.mouseClick(tab.details_button, Qt.MouseButton.LeftButton)
    assert splitter.sizes()[1] == 0 and tab.details_button.text().replace("&", "") == "Show details"
    again = reopened(qtbot, window, services)
    tab = again.schools_tab
    assert tab.splitter.sizes()[1] == 0 and not tab.details_action.isChecked()
    view_menu = next(a.menu() for a in again.menuBar().actions() if a.text() == "&View")
    assert tab.details_action in view_menu.actions()
    assert tab.details_action.shortcut() == QKeySequence("Ctrl+Shift+D")
    tab.details_action.trigger()
    assert tab.splitter.sizes()[1] == width
    select(again, "Bow Primary School")
    assert "Amina Begum" in tab.detail.toPlainText()


def test_view_columns_offers_the_same_choices_from_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    columns = next(a.menu() for a in view_menu.actions() if a.text() == "&Columns")
    columns.aboutToShow.emit()  # as when the menu opens
    menu_action(columns, "Postcode").trigger()
    tab = window.schools_tab
    assert tab.visible_columns()[-1] == COL_POSTCODE
    columns.aboutToShow.emit()
    assert menu_action(columns, "Postcode").isChecked()


def test_a_school_closing_later_says_so_when_pointed_at(
    window: MainWindow, services: Services
) -> None:
    later = date.today() + timedelta(days=10)
    bow = services.schools.get_school_by_urn(services.actor, 100001)
    services.schools.close_school(services.actor, bow.id, bow.version, later)
    tab = window.schools_tab
    tab.reload()
    row = names_shown(window).index("Bow Primary School")
    tip = tab.proxy.index(row, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Bow Primary School closes on {format_date(later)}"


def test_fit_a_column_to_its_contents_from_the_header_menu(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    tab = window.schools_tab
    header = tab.table.horizontalHeader()
    header.resizeSection(COL_LINK, 40)  # too narrow for "Nadia Rahman"
    menu_action(
        open_header_menu(tab.table, COL_LINK), "Fit “Link officer” to its contents"
    ).trigger()
    fitted = header.sectionSize(COL_LINK)
    assert fitted > 60
    assert (
        reopened(qtbot, window, services).schools_tab.table.horizontalHeader().sectionSize(COL_LINK)
        == fitted
    )


PUPILS = st.lists(st.none() | st.integers(min_value=0, max_value=5000), min_size=1, max_size=30)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pupils=PUPILS)
def test_sorting_pupils_either_way_keeps_unknown_numbers_last(
    qtbot, pupils: list[int | None]
) -> None:  # type: ignore[no-untyped-def]
    model = SchoolsTableModel()
    model.set_rows(
        SchoolRow(
            n,
            100000 + n,
            f"School {n:02}",
            "",
            "",
            "Primary",
            SchoolStatus.OPEN,
            "",
            "",
            value,
            "",
            "",
            "",
            False,
            "",
            1,
        )  # fmt: skip
        for n, value in enumerate(pupils)
    )
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(COL_PUPILS, order)
        shown = [model.row_at(r).pupils_on_roll for r in range(model.rowCount())]
        known = [p for p in shown if p is not None]
        assert shown == known + [None] * (len(shown) - len(known))
        assert known == sorted(known, reverse=order == Qt.SortOrder.DescendingOrder)


def test_a_pasted_control_character_is_named_beside_its_field_and_nothing_is_lost(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    """Text copied from a terminal or a damaged file can carry an escape sequence."""
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    name = field(dialog, "name")
    paste(qtbot, name, "Bow\x1b]0;pwned\x07 Primary School")
    typed = name.text()
    assert "\x1b" in typed  # the paste brought it in
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    message = dialog.messages.message("name")
    assert message.startswith("School name holds an escape character (U+001B) after “Bow”")
    assert name.text() == typed  # what the user pasted stays, to be corrected
    stored = services.schools.get_school_by_urn(services.actor, 100001)
    assert stored.name == "Bow Primary School" and stored.version == 1


def paste(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace what the box holds with ``text`` from the clipboard, as Ctrl+A, Ctrl+V do.

    (Full-width digits come from copying a web page or PDF, or from an input method; Qt's
    test key clicks take Latin-1 characters only.)
    """
    QApplication.clipboard().setText(text)
    press(qtbot, edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize(
    ("name", "pasted", "expected"),
    [
        # A full-width 0 first: not a URN, rather than "already used by another school".
        ("urn", "\uff10\uff11\uff12\uff13\uff14\uff15", "is not a URN: a URN is 6 digits"),
        ("urn", "\uff11\uff10\uff10\uff10\uff10\uff12", "already used by Stepney Green"),
        ("pupils_on_roll", "\u09ea\u09e7\u09e8", "digits of another script"),
    ],
)
def test_other_digits_pasted_get_a_message_beside_their_field(
    qtbot, window: MainWindow, dialogs, services: Services, name: str, pasted: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    select(window, "Bow Primary School")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = dialogs[0]
    paste(qtbot, field(dialog, name), pasted)
    assert field(dialog, name).text() == pasted
    push(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert expected in dialog.messages.message(name)
    assert field(dialog, name).text() == pasted
    assert services.schools.get_school_by_urn(services.actor, 100001).version == 1


def test_a_urn_pasted_in_full_width_digits_is_saved_as_the_number(
    qtbot, window: MainWindow, dialogs, services: Services
) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = dialogs[0]
    paste(qtbot, field(dialog, "urn"), "\uff11\uff10\uff10\uff19\uff18\uff11")
    qtbot.keyClicks(field(dialog, "name"), "Bethnal Green Academy")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == SchoolDialog.DialogCode.Accepted, dialog.messages.message("urn")
    saved = services.schools.get_school_by_urn(services.actor, 100981)
    assert saved.name == "Bethnal Green Academy"
