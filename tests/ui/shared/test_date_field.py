"""Date fields in the forms: d/m/yy is taken with the stated pivot and shown back in full."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from thep_desktop.database import Database
from thep_desktop.domain.dates import TWO_DIGIT_YEARS
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.shared import forms


@pytest.fixture
def dialog(qtbot, sqlite_db: Database, actor: Actor) -> SchoolDialog:  # type: ignore[no-untyped-def]
    form = SchoolDialog(Services(sqlite_db, actor))
    # Closed at the end of the test with what was typed: no question asked.
    form.ask = lambda *_args: forms.DISCARD_CHANGES
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    return form


def line_edit(dialog: SchoolDialog, name: str) -> QLineEdit:
    edit = dialog.inputs[name]
    assert isinstance(edit, QLineEdit)
    return edit


def type_and_leave(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not edit.hasFocus())


def test_a_two_digit_year_is_shown_in_full_on_leaving_the_field(qtbot, dialog):  # type: ignore[no-untyped-def]
    opened = line_edit(dialog, "open_date")
    assert TWO_DIGIT_YEARS in opened.toolTip()
    type_and_leave(qtbot, opened, "1/2/23")
    assert opened.text() == "01/02/2023"
    census = line_edit(dialog, "pupils_census_date")
    type_and_leave(qtbot, census, "15/1/78")
    assert census.text() == "15/01/1978"


def test_what_is_not_a_date_stays_as_typed_and_is_refused_beside_the_field(qtbot, dialog):  # type: ignore[no-untyped-def]
    opened = line_edit(dialog, "open_date")
    type_and_leave(qtbot, opened, "31/2/23")
    assert opened.text() == "31/2/23"  # left for the person to correct
    qtbot.keyClicks(line_edit(dialog, "urn"), "100500")
    qtbot.keyClicks(line_edit(dialog, "name"), "Globe Primary School")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != SchoolDialog.DialogCode.Accepted
    assert "“31/2/23” is not a real date" in opened.toolTip()
    assert opened.text() == "31/2/23"
    assert dialog.services.schools.list_schools(dialog.services.actor) == []


def test_the_date_typed_short_is_the_date_saved(qtbot, dialog):  # type: ignore[no-untyped-def]
    qtbot.keyClicks(line_edit(dialog, "urn"), "100500")
    qtbot.keyClicks(line_edit(dialog, "name"), "Globe Primary School")
    type_and_leave(qtbot, line_edit(dialog, "open_date"), "1/9/05")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SchoolDialog.DialogCode.Accepted
    saved = dialog.services.schools.get_school_by_urn(dialog.services.actor, 100500)
    assert saved.open_date == date(2005, 9, 1)
