"""The Schools tab as a person uses it: keys, menus, buttons and the boxes the program asks.

Nothing in the program is replaced: the school form runs modally (``exec``) as it does for
the office, the close date is typed into the real box, questions are answered by clicking
their buttons (``modals``, tests/qt_driving.py). Every refusal checks nothing changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, button, choose, click_tab, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.models import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.schools.schools_table_model import COL_NAME

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


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
        "pupils_census_date": "16/01/2026",
    }
    values.update(kw)
    return SchoolInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(
        actor,
        school(
            100001,
            "Bow Primary School",
            postcode="E3 4PX",
            contacts=[ContactInput("Amina Begum", "Head teacher", "head@bow.sch.uk")],
        ),
    )
    s.schools.create_school(
        actor, school(100002, "Stepney Green Secondary", "Secondary", pupils_on_roll=1100)
    )
    s.schools.create_school(
        actor,
        school(
            100003,
            "Mile End Nursery School",
            "Nursery",
            establishment_type="Local authority nursery school",
        ),
    )
    return s


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    click_tab(qtbot, w.tabs, w.schools_tab)  # it opens on the Dashboard
    yield w


def shown(w: MainWindow) -> list[str]:
    proxy = w.schools_tab.proxy
    return [proxy.row_at(r).name for r in range(proxy.rowCount())]


def click_row(qtbot: QtBot, w: MainWindow, name: str) -> None:
    """Click the school's row in the table, as a person picks a school."""
    table = w.schools_tab.table
    row = shown(w).index(name)
    rect = table.visualRect(w.schools_tab.proxy.index(row, COL_NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.schools_tab.selected_ids() == [w.schools_tab.proxy.row_at(row).id]


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def in_form(qtbot: QtBot, fill: Callable[[SchoolDialog], None]) -> Callable[[QWidget], None]:
    """An answer for the school form: make it active, then do what ``fill`` does in it."""

    def answer(box: QWidget) -> None:
        assert isinstance(box, SchoolDialog), f"expected the school form, got {box!r}"
        activate(qtbot, box)
        fill(box)

    return answer


def stored(services: Services, urn: int):  # type: ignore[no-untyped-def]
    return services.schools.get_school_by_urn(services.actor, urn)


# -- adding and editing ---------------------------------------------------------------------
def test_ctrl_n_opens_the_form_and_ctrl_s_saves_what_was_typed(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    def fill(form: SchoolDialog) -> None:
        assert form.windowTitle() == "New school" and form.isModal()
        for name, text in (
            ("urn", "100500"),
            ("name", "St Mary & St John's Primary"),
            ("pupils_on_roll", "315"),
            ("pupils_census_date", "16/01/2026"),
            ("postcode", "e2 6ab"),
        ):
            edit = form.inputs[name]
            assert isinstance(edit, QLineEdit)
            retype(qtbot, edit, text)
        phase = form.inputs["phase"]
        assert isinstance(phase, QComboBox)
        choose(qtbot, phase, "Primary")
        press(qtbot, form, Qt.Key.Key_S, CTRL)

    modals.then(in_form(qtbot, fill))
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, CTRL)
    modals.wait_answered()

    saved = stored(services, 100500)
    assert (saved.name, saved.postcode, saved.pupils_on_roll, saved.phase) == (
        "St Mary & St John's Primary",
        "E2 6AB",
        315,
        "Primary",
    )
    assert "St Mary & St John's Primary" in shown(window)
    assert window.schools_tab.selected_id() == saved.id
    assert "Added St Mary & St John's Primary" in window.statusBar().currentMessage()


def test_enter_edits_the_selected_school_and_a_refused_save_keeps_the_typing(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    before = stored(services, 100001)

    def fill(form: SchoolDialog) -> None:
        assert form.windowTitle() == "Bow Primary School (URN 100001)"
        form.tabs.setCurrentIndex(1)
        postcode, phone = form.inputs["postcode"], form.inputs["phone"]
        assert isinstance(postcode, QLineEdit) and isinstance(phone, QLineEdit)
        retype(qtbot, postcode, "E3 XYZ")
        retype(qtbot, phone, "020 7364 0000")
        press(qtbot, form, Qt.Key.Key_S, CTRL)
        # Refused: the form stays open with the message beside the field and the typing kept.
        assert form.isVisible()
        assert "not a UK postcode" in form.messages.message("postcode")
        assert postcode.text() == "E3 XYZ" and phone.text() == "020 7364 0000"
        assert "nothing has been saved" in form.banner.text()
        assert stored(services, 100001) == before  # not a field half-saved
        retype(qtbot, postcode, "E3 4PY")
        push(qtbot, form.save_button)

    click_row(qtbot, window, "Bow Primary School")
    modals.then(in_form(qtbot, fill))
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    modals.wait_answered()
    after = stored(services, 100001)
    assert (after.postcode, after.phone, after.version) == ("E3 4PY", "020 7364 0000", 2)


def test_esc_with_unsaved_changes_asks_and_keep_editing_keeps_them(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    before = stored(services, 100001)
    seen_after_keep: list[str] = []

    def fill(form: SchoolDialog) -> None:
        town = form.inputs["town"]
        assert isinstance(town, QLineEdit)
        retype(qtbot, town, "Bow")
        modals.click("Keep editing")
        press(qtbot, form, Qt.Key.Key_Escape)
        seen_after_keep.append(town.text() if form.isVisible() else "(closed)")
        modals.click("Discard changes")
        press(qtbot, form, Qt.Key.Key_Escape)

    click_row(qtbot, window, "Bow Primary School")
    modals.then(in_form(qtbot, fill))
    push(qtbot, window.schools_tab.edit_button)
    modals.wait_answered()
    assert seen_after_keep == ["Bow"]
    questions = [s for s in modals.seen if s.kind == "message"]
    assert [q.title for q in questions] == ["Unsaved changes", "Unsaved changes"]
    assert "You have changed this school but not saved it." in questions[0].text
    assert stored(services, 100001) == before  # discarded: nothing saved


def test_double_click_opens_the_school_and_a_colleague_s_save_is_not_overwritten(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    def fill(form: SchoolDialog) -> None:
        phone = form.inputs["phone"]
        assert isinstance(phone, QLineEdit)
        retype(qtbot, phone, "020 7000 1111")
        colleague_db = Database(services.db.url)
        colleague = Services(colleague_db, Actor("sam.colleague", Role.STAFF))
        theirs = stored(colleague, 100001)
        colleague.schools.update_school(
            colleague.actor,
            theirs.id,
            theirs.version,
            dataclasses.replace(theirs.as_input(), head_last_name="Uddin"),
        )
        colleague_db.dispose()
        ours_then = stored(services, 100001)
        modals.click("Keep editing")
        press(qtbot, form, Qt.Key.Key_S, CTRL)
        assert form.isVisible() and phone.text() == "020 7000 1111"
        assert stored(services, 100001) == ours_then  # refused: theirs stands, untouched
        modals.click("Bring in theirs, keep my changes")
        press(qtbot, form, Qt.Key.Key_S, CTRL)
        assert "sam.colleague" in form.banner.text()
        assert phone.text() == "020 7000 1111"
        press(qtbot, form, Qt.Key.Key_S, CTRL)

    table = window.schools_tab.table
    row = shown(window).index("Bow Primary School")
    centre = table.visualRect(window.schools_tab.proxy.index(row, COL_NAME)).center()
    modals.then(in_form(qtbot, fill))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    modals.wait_answered()
    conflict = [s for s in modals.seen if s.title == "Changed by someone else"]
    assert len(conflict) == 2 and "sam.colleague changed this school" in conflict[0].text
    final = stored(services, 100001)
    assert (final.phone, final.head_last_name) == ("020 7000 1111", "Uddin")


# -- closing, deleting, undo and redo -------------------------------------------------------
def test_close_school_typed_into_the_box_then_ctrl_z_and_ctrl_y(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    click_row(qtbot, window, "Stepney Green Secondary")
    modals.type("31/08/2026")
    push(qtbot, window.schools_tab.close_button)
    modals.wait_answered()
    (box,) = modals.seen
    assert box.kind == "input" and "Date it closes or closed (dd/mm/yyyy)" in box.text
    closed = stored(services, 100002)
    assert closed.status == SchoolStatus.CLOSED and closed.close_date.isoformat() == "2026-08-31"
    assert "recorded as closed" in window.statusBar().currentMessage()

    press(qtbot, window.schools_tab.table, Qt.Key.Key_Z, CTRL)
    reopened = stored(services, 100002)
    assert reopened.status == SchoolStatus.OPEN and reopened.close_date is None
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Y, CTRL)
    assert stored(services, 100002).status == SchoolStatus.CLOSED
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(services, 100002).status == SchoolStatus.CLOSED  # nothing more to redo


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("31/02/2026", "not a real date"), ("next week", "dd/mm/yyyy")],
)
def test_a_bad_close_date_is_refused_in_words_and_nothing_changes(
    qtbot: QtBot,
    window: MainWindow,
    modals: Modals,
    services: Services,
    typed: str,
    reason: str,
) -> None:
    before = stored(services, 100002)
    click_row(qtbot, window, "Stepney Green Secondary")
    modals.type(typed).click("OK")
    menu_action(window, "Edit", "Close school…").trigger()
    modals.wait_answered()
    told = modals.seen[1]
    assert told.title == "The school was not closed" and reason in told.text
    assert stored(services, 100002) == before
    assert not window.undo_action.isEnabled()  # nothing to undo: nothing happened


def test_cancelling_the_close_date_box_changes_nothing(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    before = stored(services, 100002)
    click_row(qtbot, window, "Stepney Green Secondary")
    modals.press_escape()
    push(qtbot, window.schools_tab.close_button)
    modals.wait_answered()
    assert stored(services, 100002) == before and not window.undo_action.isEnabled()


def test_the_delete_key_asks_first_and_undo_brings_the_school_back(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    click_row(qtbot, window, "Mile End Nursery School")
    before = stored(services, 100003)
    modals.click("Cancel")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert "Delete Mile End Nursery School (URN 100003)" in modals.seen[0].text
    assert services.schools.count(services.actor) == 3 and stored(services, 100003) == before

    modals.click("Delete")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert services.schools.count(services.actor) == 2
    assert "Mile End Nursery School" not in shown(window)

    menu_action(window, "Edit", "Undo delete Mile End Nursery School").trigger()
    back = stored(services, 100003)
    assert (back.name, back.phase, back.postcode) == (before.name, before.phase, before.postcode)
    assert "Mile End Nursery School" in shown(window)


def test_undo_after_someone_else_changed_the_school_says_so_and_keeps_their_change(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    click_row(qtbot, window, "Stepney Green Secondary")
    modals.type("31/08/2026")
    push(qtbot, window.schools_tab.close_button)
    modals.wait_answered()
    now = stored(services, 100002)
    services.schools.update_school(
        Actor("sam"), now.id, now.version, dataclasses.replace(now.as_input(), town="Poplar")
    )
    theirs = stored(services, 100002)
    modals.click("OK")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Z, CTRL)
    modals.wait_answered()
    assert modals.seen[-1].title == "Cannot undo" and "sam changed this school" in (
        modals.seen[-1].text
    )
    assert stored(services, 100002) == theirs


# -- finding --------------------------------------------------------------------------------
def test_ctrl_f_then_typing_filters_esc_clears_and_down_goes_to_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = window.schools_tab
    tab.table.setFocus()
    press(qtbot, tab.table, Qt.Key.Key_F, CTRL)
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "step")
    assert shown(window) == ["Stepney Green Secondary"]
    assert tab.count_label.text() == "1 of 3 schools shown"
    press(qtbot, tab.search, Qt.Key.Key_Down)
    assert tab.table.hasFocus()
    press(qtbot, tab.table, Qt.Key.Key_F, CTRL)
    assert tab.search.hasFocus() and tab.search.selectedText() == "step"
    press(qtbot, tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == "" and len(shown(window)) == 3


def test_quick_filters_are_chosen_by_typing_in_their_boxes(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    tab = window.schools_tab
    tab.phase_filter.setFocus()
    qtbot.keyClicks(tab.phase_filter, "N")
    assert tab.phase_filter.currentText() == "Nursery"
    assert shown(window) == ["Mile End Nursery School"]
    qtbot.keyClick(tab.phase_filter, Qt.Key.Key_Home)  # the first choice, "Any phase"
    assert tab.phase_filter.currentText() == "Any phase"
    assert len(shown(window)) == 3
    qtbot.keyClicks(tab.type_filter, "L")
    assert tab.type_filter.currentText() == "Local authority nursery school"
    assert shown(window) == ["Mile End Nursery School"]
    qtbot.keyClick(tab.type_filter, Qt.Key.Key_Home)
    # Close one school, then show only closed schools, and only current ones.
    click_row(qtbot, window, "Stepney Green Secondary")
    modals.type("31/08/2026")
    push(qtbot, tab.close_button)
    modals.wait_answered()
    qtbot.keyClicks(tab.status_filter, "C")
    assert tab.status_filter.currentText() == "Closed"
    assert shown(window) == ["Stepney Green Secondary"]
    assert tab.count_label.text() == "1 of 3 schools shown"
    qtbot.keyClick(tab.status_filter, Qt.Key.Key_Home)  # the first choice, the default
    assert tab.status_filter.currentText() == "Open and proposed"
    assert "Stepney Green Secondary" not in shown(window) and len(shown(window)) == 2


def test_clicking_a_column_heading_sorts_by_it(qtbot: QtBot, window: MainWindow) -> None:
    header = window.schools_tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_NAME) + header.sectionSize(COL_NAME) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown(window) == sorted(shown(window), reverse=True)  # name was ascending already
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown(window) == sorted(shown(window))


def test_f5_reloads_a_colleague_s_change(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    now = stored(services, 100003)
    services.schools.update_school(
        Actor("sam"), now.id, now.version, dataclasses.replace(now.as_input(), name="Mile End NS")
    )
    assert "Mile End NS" not in shown(window)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_F5)
    assert "Mile End NS" in shown(window)
    assert window.statusBar().currentMessage() == "Reloaded from the database."


# -- people who may only look ---------------------------------------------------------------
def test_a_viewer_s_keys_change_nothing(
    qtbot: QtBot, sqlite_db: Database, services: Services, modals: Modals
) -> None:
    viewer = Services(sqlite_db, Actor("visitor", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    click_tab(qtbot, w.tabs, w.schools_tab)  # it opens on the Dashboard
    click_row(qtbot, w, "Bow Primary School")
    before = stored(services, 100001)
    table = w.schools_tab.table
    press(qtbot, table, Qt.Key.Key_N, CTRL)  # nothing opens: no box is expected
    press(qtbot, table, Qt.Key.Key_Delete)  # not even "Delete …?", which it may not do
    menu_action_if_enabled = [
        a for a in (w.close_school_action, w.delete_school_action) if a.isEnabled()
    ]
    for action in menu_action_if_enabled:
        action.trigger()  # the menu's way in asks nothing either
    qtbot.wait(100)  # time for a box to show, if one were coming
    assert not w.schools_tab.close_button.isEnabled()
    assert not w.schools_tab.delete_button.isEnabled()

    def look(form: SchoolDialog) -> None:
        assert not form.save_button.isEnabled()
        assert "may look at the register but not change it" in form.banner.text()
        press(qtbot, form, Qt.Key.Key_S, CTRL)  # does nothing
        assert form.isVisible()
        qtbot.mouseClick(button(form, "Cancel"), Qt.MouseButton.LeftButton)

    modals.then(in_form(qtbot, look))
    press(qtbot, table, Qt.Key.Key_Return)
    modals.wait_answered()
    assert services.schools.count(services.actor) == 3 and stored(services, 100001) == before


def test_keys_act_in_the_box_that_has_them(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    """Down in a filter box picks its next choice, Esc there leaves the search alone, and
    Enter while searching opens nothing: each key belongs to the widget being typed in."""
    tab = window.schools_tab
    click_row(qtbot, window, "Bow Primary School")
    press(qtbot, tab.search, Qt.Key.Key_B)
    press(qtbot, tab.search, Qt.Key.Key_Return)  # a form here would be an unexpected box
    press(qtbot, tab.status_filter, Qt.Key.Key_Down)  # from "Open and proposed"
    assert tab.status_filter.currentText() == "Open"
    assert tab.status_filter.hasFocus()
    press(qtbot, tab.phase_filter, Qt.Key.Key_Escape)
    assert tab.search.text() == "b"
    press(qtbot, tab.search, Qt.Key.Key_Delete)  # deletes text, never a school
    qtbot.wait(50)
    assert modals.seen == [] and services.schools.count(services.actor) == 3
