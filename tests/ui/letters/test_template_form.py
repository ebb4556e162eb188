"""The template form on its own: what it holds, and what it says as the user types."""

from __future__ import annotations

import pytest
from letters_ui_helpers import DIRECTOR
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.template_form import TemplateForm

pytestmark = pytest.mark.gui


def shown_form(qtbot: QtBot, services: Services, template_id: int) -> TemplateForm:
    form = TemplateForm(
        [("Kwame Mensah", "School Improvement Partner")], f"{DIRECTOR} (Executive Director)"
    )
    qtbot.addWidget(form)
    detail = services.letters.get_template(services.actor, template_id)
    form.show_template(detail, detail.as_input())
    form.resize(600, 800)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)  # focus, and so the part fields go into, needs it
    return form


def text_line(form: TemplateForm, name: str) -> QLineEdit:
    widget = form.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def test_shows_a_saved_template_unchanged_and_follows_typing(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    saved = services.letters.get_template(services.actor, own_template)
    form = shown_form(qtbot, services, own_template)
    edits: list[None] = []
    form.edited.connect(lambda: edits.append(None))
    assert form.form_data() == saved.as_input() and not form.is_dirty()
    assert "The office's own template." in form.state_label.text()
    assert (
        text_line(form, "signatory").placeholderText().endswith(f"{DIRECTOR} (Executive Director)")
    )

    subject = text_line(form, "subject")
    subject.setFocus()
    subject.end(False)
    qtbot.keyClicks(subject, " 2027")
    assert edits, "typing should count as an edit"
    assert form.form_data().subject == saved.subject + " 2027"
    assert form.is_dirty()

    # Showing the saved wording again is not an edit, and leaves nothing changed.
    edits.clear()
    form.show_template(saved, saved.as_input())
    assert edits == [] and not form.is_dirty()
    # A copy not yet saved counts as changed from the start.
    form.show_template(None, saved.as_input(), unsaved=True)
    assert form.is_dirty() and "not saved yet" in form.state_label.text()


def test_names_the_membership_record_a_letter_needs_as_it_is_typed(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    form = shown_form(qtbot, services, own_template)
    assert form.membership_note.isHidden()
    body = form.inputs["body"]
    assert isinstance(body, QPlainTextEdit)
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " Your fee is {member.fee_due}.")
    assert not form.membership_note.isHidden()
    assert "{member.fee_due}" in form.membership_note.text()


def test_the_cursor_s_part_takes_fields_and_a_staff_member_fills_the_signatory(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    form = shown_form(qtbot, services, own_template)
    targets: list[str] = []
    form.target_changed.connect(targets.append)
    salutation = text_line(form, "salutation")
    qtbot.mouseClick(salutation, Qt.MouseButton.LeftButton)
    assert targets[-1] == "salutation" and form.insert_target == "salutation"
    salutation.end(False)
    form.insert_code("{school.name}")
    assert salutation.text().endswith("{school.name}") and form.is_dirty()

    form.staff_chooser.setFocus()
    qtbot.keyClick(form.staff_chooser, Qt.Key.Key_Down)
    assert text_line(form, "signatory").text() == "Kwame Mensah"
    assert text_line(form, "signatory_role").text() == "School Improvement Partner"


def test_read_only_keeps_the_wording_but_takes_no_typing(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    form = shown_form(qtbot, services, own_template)
    before = form.form_data()
    form.set_read_only()
    name = text_line(form, "name")
    name.setFocus()
    qtbot.keyClicks(name, "xyz")
    assert form.form_data() == before and not form.is_dirty()
    assert not form.staff_chooser.isEnabled() and not form.contact_role.isEnabled()
