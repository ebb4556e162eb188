"""Letters > Letter templates, driven through real widgets on a real temporary database."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from letters_ui_helpers import (  # tests/ui/letters/letters_ui_helpers.py
    ADVERSARIAL,
    DIRECTOR,
    OWN_BODY,
    answering,
    body,
    field_item,
    kind_shown,
    line,
    pdf_text,
    retype_line,
    shows_a_page,
    templates_dialog,
    wait_for_preview,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut, QTextCursor
from PySide6.QtPdfWidgets import QPdfView
from pytestqt.qtbot import QtBot

from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.ui.letters.template_actions import DELETE, RESET
from thep_desktop.ui.letters.template_list import BUILT_IN, BUILT_IN_CHANGED
from thep_desktop.ui.letters.templates_dialog import TemplatesDialog
from thep_desktop.ui.shared.forms import DISCARD_CHANGES, KEEP_EDITING, RELOAD

pytestmark = pytest.mark.gui


def test_the_built_in_templates_are_listed_and_previewed(
    qtbot: QtBot, services: Services, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    dialog = templates_dialog(qtbot, services)
    shipped = {t.name for t in BUILTINS_BY_KEY.values()}
    assert set(dialog.names_shown()) == shipped
    assert dialog.names_shown() == sorted(shipped)  # sorted by name
    assert all(kind_shown(dialog, name) == BUILT_IN for name in shipped)
    assert dialog.current is not None and dialog.current.name == dialog.names_shown()[0]
    wait_for_preview(qtbot, dialog)
    assert "example values" in dialog.preview_note.text().lower()
    # Clicking the "Usually sent to" header sorts by it.
    dialog.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    roles = [dialog.model.row_values(r)[1] for r in range(dialog.model.rowCount())]
    assert roles == sorted(roles, key=str.casefold)
    qtmodeltester.check(dialog.model)


def test_editing_the_wording_and_saving_round_trips_through_the_service(
    qtbot: QtBot, services: Services
) -> None:
    dialog = templates_dialog(qtbot, services)
    assert dialog.select_template("Payment reminder")
    template_id = dialog.current.id  # type: ignore[union-attr]
    text = body(dialog)
    text.setFocus()
    text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "Thank you, {contact.salutation}.")
    retype_line(qtbot, line(dialog, "signatory"), "Sam Treasurer")
    assert dialog.is_dirty()
    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    saved = services.letters.get_template(services.actor, template_id)
    assert saved.body.endswith("\nThank you, {contact.salutation}.")
    assert saved.signatory == "Sam Treasurer"
    assert not dialog.is_dirty()
    assert kind_shown(dialog, "Payment reminder") == BUILT_IN_CHANGED
    assert "Saved" in dialog.banner.text()
    wait_for_preview(qtbot, dialog)


def test_an_unknown_field_is_named_beside_the_letter_text_and_not_saved(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    wait_for_preview(qtbot, dialog)
    good = dialog.preview_pane.pdf
    assert "Summer programme for Bow Common Primary School" in pdf_text(good)
    text = body(dialog)
    text.setFocus()
    text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(text, " Fee: {member.fee_duee}")

    # A moment after typing stops, the preview tries again and names the field.
    qtbot.waitUntil(lambda: dialog.messages.message("body") != "", timeout=20_000)
    message = dialog.messages.message("body")
    assert "{member.fee_duee}" in message
    assert dialog.messages.message("subject") == ""
    assert text.hasFocus()  # the cursor stays where the user is typing
    assert dialog.preview_pages == 1  # the last good page is still shown
    assert dialog.preview_pane.pdf == good
    qtbot.waitUntil(lambda: shows_a_page(dialog), timeout=20_000)  # drawn, not blank
    assert dialog.preview_pane.pdf == good and dialog.messages.message("body") != ""
    assert "{member.fee_duee}" in dialog.preview_note.text()
    assert "as it last could be drawn" in dialog.preview_note.text()

    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "{member.fee_duee}" in dialog.messages.message("body")
    assert "Not saved" in dialog.banner.text()
    assert services.letters.get_template(services.actor, own_template).body == OWN_BODY
    assert dialog.is_dirty()  # what was typed is kept

    # Putting it right brings the preview back and clears the message.
    text.moveCursor(QTextCursor.MoveOperation.End)
    for _ in range(len(" Fee: {member.fee_duee}")):
        qtbot.keyClick(text, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: dialog.messages.message("body") == "", timeout=20_000)
    assert dialog.preview_problem == ""


def test_the_preview_fits_the_width_and_zooms_with_the_keyboard(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    wait_for_preview(qtbot, dialog)
    pane = dialog.preview_pane
    qtbot.waitUntil(lambda: pane.zoom_label.text() != "")
    fitted = pane.zoom
    # Fitted to the pane: the page is as wide as the view, at a readable size.
    assert dialog.preview.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert fitted >= 0.6
    assert not pane.fit_button.isEnabled()
    text = body(dialog)
    text.setFocus()
    qtbot.keyClick(text, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom > fitted
    assert pane.zoom_label.text() == f"{round(pane.zoom * 100)}%"
    larger = pane.zoom
    qtbot.keyClick(text, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom > larger
    qtbot.keyClick(text, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom == pytest.approx(larger)
    assert body(dialog).toPlainText() == OWN_BODY  # the keys zoomed, and typed nothing
    qtbot.mouseClick(pane.fit_button, Qt.MouseButton.LeftButton)
    assert dialog.preview.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert pane.zoom == pytest.approx(fitted)
    # As large as the screen allows, in the document window.
    opened: list[tuple[bytes, str]] = []
    dialog.show_pdf = lambda _parent, data, title, _name: opened.append((data, title))
    qtbot.mouseClick(pane.open_button, Qt.MouseButton.LeftButton)
    assert opened == [(pane.pdf, "Summer programme (preview)")]


def test_a_template_is_signed_by_someone_from_the_staff_with_a_signature(
    qtbot: QtBot, services: Services, own_template: int, tmp_path: Path
) -> None:
    from PIL import Image

    services.staff.create_staff(
        services.actor, StaffInput("Kwame Mensah", "School Improvement Partner")
    )
    signature = tmp_path / "kwame.png"
    Image.new("RGB", (300, 80), "navy").save(signature, "PNG")
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    wait_for_preview(qtbot, dialog)
    dialog.staff_chooser.setFocus()
    qtbot.keyClick(dialog.staff_chooser, Qt.Key.Key_Down)
    assert line(dialog, "signatory").text() == "Kwame Mensah"
    assert line(dialog, "signatory_role").text() == "School Improvement Partner"
    dialog.ask_open_path = lambda _parent: str(signature)
    qtbot.mouseClick(dialog.signature.choose_button, Qt.MouseButton.LeftButton)
    assert not dialog.signature.preview.pixmap().isNull()
    assert dialog.is_dirty()
    qtbot.waitUntil(lambda: "Kwame Mensah" in pdf_text(dialog.preview_pane.pdf), timeout=20_000)
    qtbot.keyClick(line(dialog, "signatory"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.letters.get_template(services.actor, own_template)
    assert (saved.signatory, saved.signatory_role) == ("Kwame Mensah", "School Improvement Partner")
    assert saved.signature_image == signature.read_bytes()
    assert saved.signature_image_filename == "kwame.png"
    assert not dialog.is_dirty()
    text = pdf_text(dialog.preview_pane.pdf)
    assert "Kwame Mensah School Improvement Partner" in text and DIRECTOR not in text
    assert len(PdfReader(io.BytesIO(dialog.preview_pane.pdf)).pages[0].images) == 1


def test_a_template_signed_by_the_default_shows_who_that_is(
    qtbot: QtBot, services: Services
) -> None:
    dialog = templates_dialog(qtbot, services)
    assert dialog.select_template("Welcome to membership")
    assert line(dialog, "signatory").text() == ""
    assert DIRECTOR in line(dialog, "signatory").placeholderText()
    wait_for_preview(qtbot, dialog)
    text = pdf_text(dialog.preview_pane.pdf)
    assert "Yours sincerely" in text and f"{DIRECTOR} Executive Director" in text
    assert "example values" in dialog.preview_note.text()

    # With no default signatory, the preview says the letter would be signed by nobody.
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor, replace(profile, signatory_name="", signatory_position="")
    )
    text_box = body(dialog)
    text_box.setFocus()
    text_box.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(text_box, " Thank you.")
    qtbot.waitUntil(
        lambda: "Nobody signs this letter" in dialog.preview_note.text(), timeout=20_000
    )
    assert DIRECTOR not in pdf_text(dialog.preview_pane.pdf)


def test_the_field_picker_inserts_at_the_cursor_of_the_field_last_typed_in(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    subject = line(dialog, "subject")
    subject.setFocus()
    subject.setCursorPosition(len("Summer programme"))
    item = field_item(dialog, "school.urn")
    rect = dialog.field_tree.visualItemRect(item)
    qtbot.mouseClick(dialog.field_tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.field_tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert subject.text() == "Summer programme{school.urn} for {school.name}"
    assert subject.hasFocus()

    text = body(dialog)
    text.setFocus()
    cursor = text.textCursor()
    cursor.setPosition(len("We write to "))
    text.setTextCursor(cursor)
    dialog.field_tree.setCurrentItem(field_item(dialog, "contact.full_name"))
    assert dialog.insert_button.isEnabled()
    assert dialog.insert_target_label.text() == "into: Letter text"
    qtbot.mouseClick(dialog.insert_button, Qt.MouseButton.LeftButton)
    assert text.toPlainText().startswith("We write to {contact.full_name}{school.name} about")
    # A group heading is not a field: Insert does nothing with it.
    heading = dialog.field_tree.topLevelItem(0)
    assert heading is not None
    dialog.field_tree.setCurrentItem(heading)
    assert not dialog.insert_button.isEnabled()
    assert dialog.is_dirty()


def test_reset_puts_a_built_in_template_back_after_asking(qtbot: QtBot, services: Services) -> None:
    shipped = BUILTINS_BY_KEY["fee_letter"]
    template = services.letters.find_template(services.actor, "fee_letter")
    changed = services.letters.update_template(
        services.actor,
        template.id,
        TemplateInput(**{**vars(template.as_input()), "body": "Please pay {school.name}."}),
        template.version,
    )
    dialog = templates_dialog(qtbot, services, select_id=changed.id)
    assert kind_shown(dialog, shipped.name) == BUILT_IN_CHANGED
    assert not dialog.delete_button.isEnabled()  # built in: never deleted
    assert dialog.reset_button.isEnabled()

    asked, dialog.ask = answering(KEEP_EDITING)  # answered Cancel: nothing happens
    assert not dialog.reset_template()
    assert "Please pay" in services.letters.get_template(services.actor, changed.id).body

    asked, dialog.ask = answering(RESET)
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert "wording shipped" in asked[0][0]
    after = services.letters.get_template(services.actor, changed.id)
    assert after.body == shipped.body and not after.changed_from_builtin
    assert body(dialog).toPlainText() == shipped.body
    assert kind_shown(dialog, shipped.name) == BUILT_IN


def test_only_the_office_s_own_templates_can_be_deleted(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services)
    assert dialog.select_template("Welcome to membership")
    assert not dialog.delete_button.isEnabled()
    assert not dialog.delete_template()  # not even when called directly

    assert dialog.select_template("Summer programme")
    assert dialog.delete_button.isEnabled() and not dialog.reset_button.isEnabled()
    asked, dialog.ask = answering("Cancel")
    assert not dialog.delete_template()
    assert "Summer programme" in dialog.names_shown()

    asked, dialog.ask = answering(DELETE)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "history" in asked[0][0]
    assert "Summer programme" not in dialog.names_shown()
    names = {t.name for t in services.letters.list_templates(services.actor)}
    assert "Summer programme" not in names


def test_a_new_template_is_created_and_leaving_unsaved_changes_asks_first(
    qtbot: QtBot, services: Services
) -> None:
    dialog = templates_dialog(qtbot, services)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert dialog.current is None and not dialog.is_dirty()
    retype_line(qtbot, line(dialog, "name"), "Thank you for hosting")
    text = body(dialog)
    text.setFocus()
    qtbot.keyClicks(text, "Thank you for hosting us at {school.name}.")
    assert dialog.is_dirty()

    asked, dialog.ask = answering(KEEP_EDITING)
    dialog.table.selectRow(0)
    assert asked and asked[0][1][-1] == KEEP_EDITING
    assert dialog.current is None  # still on the new template, text kept
    assert line(dialog, "name").text() == "Thank you for hosting"
    assert not dialog.table.selectionModel().selectedRows()

    assert dialog.save()
    assert dialog.current is not None and dialog.current.name == "Thank you for hosting"
    assert kind_shown(dialog, "Thank you for hosting") == "Own"
    made = services.letters.find_template(services.actor, "Thank you for hosting")
    assert made.body == "Thank you for hosting us at {school.name}."

    asked, dialog.ask = answering(DISCARD_CHANGES)
    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    assert line(dialog, "name").text() == "Thank you for hosting (copy)"
    assert dialog.is_dirty()  # a copy not saved yet
    dialog.table.selectRow(0)
    assert asked and dialog.current is not None
    assert "Thank you for hosting (copy)" not in dialog.names_shown()


def test_someone_else_s_save_is_not_overwritten(
    qtbot: QtBot, services: Services, colleague: Services, own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    theirs = colleague.letters.get_template(colleague.actor, own_template)
    colleague.letters.update_template(
        colleague.actor,
        own_template,
        TemplateInput(**{**vars(theirs.as_input()), "subject": "Their subject"}),
        theirs.version,
    )
    retype_line(qtbot, line(dialog, "subject"), "My subject")

    asked, dialog.ask = answering(KEEP_EDITING)
    assert not dialog.save()
    assert "sam.colleague" in asked[0][0] and asked[0][1] == [RELOAD, KEEP_EDITING]
    assert line(dialog, "subject").text() == "My subject"
    assert "still here" in dialog.banner.text()
    stored = services.letters.get_template(services.actor, own_template)
    assert stored.subject == "Their subject"

    asked, dialog.ask = answering(RELOAD)
    assert not dialog.save()
    assert line(dialog, "subject").text() == "Their subject"
    assert not dialog.is_dirty()


def test_a_viewer_sees_the_templates_read_only(qtbot: QtBot, viewer: Services) -> None:
    dialog = templates_dialog(qtbot, viewer)
    assert dialog.save_button is None
    assert all(w.isReadOnly() for w in dialog.inputs.values())
    assert not dialog.contact_role.isEnabled()
    for button in (dialog.new_button, dialog.delete_button, dialog.reset_button):
        assert button.isHidden()
    assert not dialog.insert_field(field_item(dialog, "school.name"))
    assert not dialog.save()
    assert "visitor" in dialog.banner.text()
    wait_for_preview(qtbot, dialog)


def test_the_preview_can_use_a_real_school(
    qtbot: QtBot, services: Services, schools: dict[str, int], own_template: int
) -> None:
    dialog = templates_dialog(qtbot, services, select_id=own_template)
    wait_for_preview(qtbot, dialog)
    combo = dialog.preview_school
    combo.setCurrentIndex(combo.findData(schools["mary"]))
    assert dialog.preview_problem == ""
    assert ADVERSARIAL in dialog.preview_note.text()
    combo.setCurrentIndex(combo.findData(schools["nowhere"]))
    assert "postal address" in dialog.preview_note.text()
    assert dialog.preview_pages == 1  # the last good page stays


def test_the_template_list_can_be_exported(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    dialog = TemplatesDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "templates.csv"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    dialog.ask = lambda *_a: "Close"
    # Offscreen, no window is active, so Qt delivers no shortcut: press it through its object.
    (shortcut,) = [s for s in dialog.findChildren(QShortcut) if s.key().toString() == "Ctrl+E"]
    shortcut.activated.emit()
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 12 and "Notice of general meeting" in "\n".join(
        lines
    )  # a heading and eleven templates
