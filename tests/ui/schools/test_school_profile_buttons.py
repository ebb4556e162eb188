"""The profile window's Ofsted history and notes buttons, as a person uses them: Add
inspection… opens the inspection form, what is saved shows in the history at once; Delete
asks, then removes it; the same for a note. Its own demo copy: these tests change records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from profile_records import ProfileDemo, open_profile_demo
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from qt_driving import choose, press

from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.schools.school_profile_window import SchoolProfileWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ADMIN = Actor("office", Role.ADMIN)


@pytest.fixture(scope="module", params=["sqlite"])
def profile_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProfileDemo]:
    yield from open_profile_demo(request, tmp_path_factory)


def type_into(qtbot: QtBot, widget: object, text: str) -> None:
    widget.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)  # type: ignore[arg-type]
    qtbot.keyClicks(widget, text)  # type: ignore[arg-type]


def test_an_inspection_added_and_deleted_by_the_buttons(
    qtbot: QtBot, profile_demo: ProfileDemo
) -> None:
    services = Services(profile_demo.db, ADMIN)
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    window.show()
    before = [row[0] for row in window.inspections.shown()]
    forms: list[QDialog] = []

    def fill_in(dialog: QDialog) -> None:
        forms.append(dialog)
        qtbot.addWidget(dialog)
        dialog.show()
        type_into(qtbot, dialog.inspected_on, "14/05/2014")  # type: ignore[attr-defined]
        choose(qtbot, dialog.overall_grade, "Outstanding")  # type: ignore[attr-defined]
        press(qtbot, dialog.inspected_on, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    window.run_dialog = fill_in
    qtbot.mouseClick(window.add_inspection_button, Qt.MouseButton.LeftButton)
    assert forms and forms[0].result() == QDialog.DialogCode.Accepted
    shown = window.inspections.shown()
    assert [row[0] for row in shown] == sorted([*before, date(2014, 5, 14)], reverse=True)
    kept = services.ofsted.list_inspections(ADMIN, profile_demo.school_id)
    assert date(2014, 5, 14) in [i.inspected_on for i in kept]

    # Delete asks first; "Cancel" keeps it, "Delete" removes it.
    row = next(n for n, r in enumerate(window.inspections.shown()) if r[0] == date(2014, 5, 14))
    window.inspections.table.selectRow(row)
    answers = iter(["Cancel", "Delete"])
    window.ask = lambda *_args: next(answers)  # type: ignore[method-assign]
    qtbot.mouseClick(window.delete_inspection_button, Qt.MouseButton.LeftButton)
    assert len(services.ofsted.list_inspections(ADMIN, profile_demo.school_id)) == len(kept)
    window.inspections.table.selectRow(row)
    qtbot.mouseClick(window.delete_inspection_button, Qt.MouseButton.LeftButton)
    assert [r[0] for r in window.inspections.shown()] == before
    left = services.ofsted.list_inspections(ADMIN, profile_demo.school_id)
    assert date(2014, 5, 14) not in [i.inspected_on for i in left]


def test_a_note_added_and_deleted_by_the_buttons(qtbot: QtBot, profile_demo: ProfileDemo) -> None:
    services = Services(profile_demo.db, ADMIN)
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    window.show()
    count = len(window.notes.shown())

    def fill_in(dialog: QDialog) -> None:
        qtbot.addWidget(dialog)
        dialog.show()
        type_into(qtbot, dialog.subject, "Phone call")  # type: ignore[attr-defined]
        type_into(qtbot, dialog.text, "Head asked about the spring review.")  # type: ignore[attr-defined]
        press(qtbot, dialog.text, Qt.Key.Key_S, CTRL)  # type: ignore[attr-defined]

    window.run_dialog = fill_in
    qtbot.mouseClick(window.add_note_button, Qt.MouseButton.LeftButton)
    notes = window.notes.shown()
    assert len(notes) == count + 1
    row = next(n for n, r in enumerate(notes) if r[3] == "Head asked about the spring review.")
    window.notes.table.selectRow(row)
    window.ask = lambda *_args: "Delete"  # type: ignore[method-assign]
    qtbot.mouseClick(window.delete_note_button, Qt.MouseButton.LeftButton)
    assert len(window.notes.shown()) == count
    texts = [n.text for n in services.school_notes.list_notes(ADMIN, profile_demo.school_id)]
    assert "Head asked about the spring review." not in texts
