"""Two people at once on the Schools tab (two connections to one file): words, never a crash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from qt_driving import Modals, press, push

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog

pytestmark = pytest.mark.gui

GONE = "This school is no longer in the register (someone removed it)."


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(
        actor,
        SchoolInput(
            urn=100001,
            name="Bow Primary School",
            contacts=(ContactInput(full_name="Amina Begum", role="Head teacher"),),
        ),
    )
    return s


@pytest.fixture
def colleague(services: Services) -> Iterator[Services]:
    """Sam, on a connection of their own to the same database file."""
    s = Services(Database(services.db.url), Actor("sam.colleague", Role.ADMIN))
    yield s
    s.close()


def field(dialog: SchoolDialog, name: str) -> QLineEdit:
    widget = dialog.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def open_bow(qtbot, window: MainWindow, dialogs: list[SchoolDialog]) -> SchoolDialog:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    tab.select_ids([tab.model.row_at(0).id])
    press(qtbot, tab.table, Qt.Key.Key_Return)
    return dialogs[-1]


def remove_bow(colleague: Services) -> None:
    bow = colleague.schools.get_school_by_urn(colleague.actor, 100001)
    colleague.schools.delete_school(colleague.actor, bow.id, bow.version)


def test_saving_a_school_a_colleague_removed_says_so_and_keeps_the_typing(
    qtbot, window: MainWindow, dialogs, services: Services, colleague: Services
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_bow(qtbot, window, dialogs)
    retype(qtbot, field(dialog, "phone"), "020 7000 1111")
    remove_bow(colleague)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.banner.text() == GONE
    assert field(dialog, "phone").text() == "020 7000 1111"
    assert services.schools.count(services.actor) == 0  # not brought back half-made


def test_closing_or_opening_a_school_a_colleague_removed_says_so(
    qtbot, window: MainWindow, dialogs, services: Services, colleague: Services, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    tab.select_ids([tab.model.row_at(0).id])
    remove_bow(colleague)
    modals.click("OK")
    push(qtbot, tab.close_button)
    modals.wait_answered()
    assert (modals.seen[-1].title, modals.seen[-1].text) == ("Cannot close this school", GONE)
    # The table was read again: the school has gone from it, and nothing else happened.
    assert tab.model.rowCount() == 0 and dialogs == []


def test_two_people_adding_the_same_urn_the_second_is_told_beside_the_field(
    qtbot, window: MainWindow, dialogs, services: Services, colleague: Services
) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = dialogs[0]
    qtbot.keyClicks(field(dialog, "urn"), "100777")
    qtbot.keyClicks(field(dialog, "name"), "Mile End Primary")
    colleague.schools.create_school(
        colleague.actor, SchoolInput(urn=100777, name="Mile End Primary School")
    )
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.messages.message("urn") == "URN 100777 is already used by Mile End Primary School"
    assert field(dialog, "name").text() == "Mile End Primary"
    assert services.schools.count(services.actor) == 2


def test_a_school_removed_in_the_instant_after_its_save_leaves_the_register_as_it_is(
    qtbot, window: MainWindow, dialogs, services: Services, colleague: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Between the save and the table reading the saved row again: words, not a crash box."""
    dialog = open_bow(qtbot, window, dialogs)
    retype(qtbot, field(dialog, "phone"), "020 7000 1111")
    read_row = services.schools.school_row

    def colleague_first(actor, school_id):  # type: ignore[no-untyped-def]
        remove_bow(colleague)
        return read_row(actor, school_id)

    monkeypatch.setattr(services.schools, "school_row", colleague_first)
    messages: list[str] = []
    window.schools_tab.status_message.connect(messages.append)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert window.schools_tab.model.rowCount() == 0
    assert services.schools.count(services.actor) == 0
    assert messages[-1] == "Bow Primary School was removed from the register meanwhile."
