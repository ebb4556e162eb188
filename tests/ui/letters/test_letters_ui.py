"""The letters windows (templates, mail merge) and the letters on a school's record, driven
through real widgets on a real temporary SQLite database."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QShortcut, QTextCursor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.letters.mail_merge_dialog import ALL_OPEN, SELECTED, SHOWN, MailMergeDialog
from thep_desktop.ui.letters.templates_dialog import (
    BUILT_IN,
    BUILT_IN_CHANGED,
    DELETE,
    RESET,
    TemplatesDialog,
)
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared import pdf_window
from thep_desktop.ui.shared.forms import DISCARD_CHANGES, KEEP_EDITING, RELOAD
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui

ADVERSARIAL = "St Mary & St John's <Primary>"
OWN_BODY = "We write to {school.name} about the summer programme.\n\nKind regards from {org.name}."


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


DIRECTOR = "Grace Adeyemi"


@pytest.fixture
def services(db_url: str, actor: Actor) -> Iterator[Services]:
    s, _note = open_services(db_url, actor)
    profile = s.organisation.get_profile(actor)
    s.organisation.update_profile(
        actor,
        replace(
            profile,
            signatory_name=DIRECTOR,
            signatory_position="Executive Director",
            company_secretary="Samuel Okafor",
        ),
    )
    yield s
    s.close()


@pytest.fixture
def colleague(db_url: str, services: Services) -> Iterator[Services]:
    """A second user on their own connection to the same database file."""
    s, _note = open_services(db_url, Actor("sam.colleague", Role.ADMIN))
    yield s
    s.close()


@pytest.fixture
def viewer(db_url: str, services: Services) -> Iterator[Services]:
    s, _note = open_services(db_url, Actor("visitor", Role.VIEWER))
    yield s
    s.close()


@pytest.fixture
def schools(services: Services) -> dict[str, int]:
    """Three schools: one with a business manager, one without, one with no address."""
    actor = services.actor
    made = {}
    made["mary"] = services.schools.create_school(
        actor,
        SchoolInput(
            urn="100234",
            name=ADVERSARIAL,
            street="Ben Jonson Road",
            town="London",
            postcode="E1 4SD",
            head_title="Ms",
            head_first_name="Rahima",
            head_last_name="Begum",
            contacts=[ContactInput("Mr Tom Price", "School business manager", "sbm@mary.sch.uk")],
        ),
    ).id
    made["bow"] = services.schools.create_school(
        actor,
        SchoolInput(
            urn="100235",
            name="Bow Common Nursery School",
            street="Bow Common Lane",
            town="London",
            postcode="E3 4AX",
            contacts=[ContactInput("Mrs Ada Okafor", "Head teacher", "head@bow.sch.uk")],
        ),
    ).id
    made["nowhere"] = services.schools.create_school(
        actor, SchoolInput(urn="100236", name="Nowhere School")
    ).id
    return made


@pytest.fixture
def own_template(services: Services) -> int:
    return services.letters.create_template(
        services.actor,
        TemplateInput(
            name="Summer programme",
            description="Invitation to the summer programme",
            subject="Summer programme for {school.name}",
            body=OWN_BODY,
            signatory="Jo Bloggs",
        ),
    ).id


def answering(*answers: str) -> tuple[list[tuple[str, list[str]]], Callable[..., str]]:
    """An ``ask`` that gives ``answers`` in turn (then the last choice, as Esc would)."""
    asked: list[tuple[str, list[str]]] = []
    queue = list(answers)

    def ask(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        asked.append((text, list(choices)))
        return queue.pop(0) if queue else choices[-1]

    return asked, ask


def no_tell(_parent, title, text):  # type: ignore[no-untyped-def]
    pytest.fail(f"nothing should be told here: {title}: {text}")


def templates_dialog(qtbot: QtBot, services: Services, **kw: object) -> TemplatesDialog:
    dialog = TemplatesDialog(services, **kw)  # type: ignore[arg-type]
    _asked, dialog.ask = answering(DISCARD_CHANGES)
    dialog.tell = no_tell
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # focus, and so the field picker's target, needs it
    return dialog


def wait_for_preview(qtbot: QtBot, dialog: TemplatesDialog, pages: int = 1) -> None:
    qtbot.waitUntil(
        lambda: (
            dialog.preview_document.status() == QPdfDocument.Status.Ready
            and dialog.preview_document.pageCount() == pages
        ),
        timeout=5000,
    )


def line(dialog: TemplatesDialog, name: str) -> QLineEdit:
    widget = dialog.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def body(dialog: TemplatesDialog) -> QPlainTextEdit:
    widget = dialog.inputs["body"]
    assert isinstance(widget, QPlainTextEdit)
    return widget


def field_item(dialog: TemplatesDialog, name: str) -> QTreeWidgetItem:
    tree = dialog.field_tree
    for group in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(group)
        assert parent is not None
        for child in range(parent.childCount()):
            item = parent.child(child)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == name:
                return item
    raise AssertionError(f"no field {name} in the picker")


def kind_shown(dialog: TemplatesDialog, name: str) -> str:
    for row in range(dialog.model.rowCount()):
        values = dialog.model.row_values(row)
        if values[0] == name:
            return str(values[2])
    raise AssertionError(f"{name} is not listed")


# -- letter templates ---------------------------------------------------------------------------
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


def retype_line(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


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
    qtbot.waitUntil(lambda: dialog.messages.message("body") != "", timeout=3000)
    message = dialog.messages.message("body")
    assert "{member.fee_duee}" in message
    assert dialog.messages.message("subject") == ""
    assert text.hasFocus()  # the cursor stays where the user is typing
    assert dialog.preview_pages == 1  # the last good page is still shown
    assert dialog.preview_pane.pdf == good
    assert shows_a_page(dialog)
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
    qtbot.waitUntil(lambda: dialog.messages.message("body") == "", timeout=3000)
    assert dialog.preview_problem == ""


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def shows_a_page(dialog: TemplatesDialog) -> bool:
    """Whether the preview has a page drawn in it (ink, not just the grey background)."""
    image = dialog.preview.viewport().grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    return len(colours) > 3


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
    qtbot.waitUntil(lambda: "Kwame Mensah" in pdf_text(dialog.preview_pane.pdf), timeout=3000)
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
    qtbot.waitUntil(lambda: "Nobody signs this letter" in dialog.preview_note.text(), timeout=3000)
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


# -- mail merge ---------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot: QtBot, services: Services, schools: dict[str, int]) -> MainWindow:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    return w


@pytest.fixture
def merges(window: MainWindow) -> list[MailMergeDialog]:
    """Dialogs the main window opens, shown without a blocking exec() and collected here."""
    opened: list[MailMergeDialog] = []

    def run(dialog) -> None:  # type: ignore[no-untyped-def]
        opened.append(dialog)
        dialog.tell = no_tell
        dialog.inform = lambda *_args: None
        dialog.show_pdf = lambda _parent, data, title, name: shown_pdfs.setdefault(
            dialog, []
        ).append((data, title, name))
        dialog.show()

    window.run_dialog = run  # type: ignore[method-assign]
    return opened


# What each mail merge window asked the document window to show: (bytes, title, file name).
shown_pdfs: dict[MailMergeDialog, list[tuple[bytes, str, str]]] = {}


def open_merge(window: MainWindow, merges: list[MailMergeDialog]) -> MailMergeDialog:
    window.mail_merge_action.trigger()
    assert merges, "Letters > Mail merge opened nothing"
    return merges[-1]


def choose_template(dialog: MailMergeDialog, name: str) -> None:
    index = dialog.template_combo.findText(name)
    assert index >= 0, name
    dialog.template_combo.setCurrentIndex(index)
    dialog.check_recipients()


def wait_done(qtbot: QtBot, dialog: MailMergeDialog) -> None:
    assert dialog.job is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)


def test_the_letters_menu_sits_between_edit_and_settings(
    qtbot: QtBot, window: MainWindow, viewer: Services
) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Letters") == titles.index("&Edit") + 1
    assert titles.index("Se&ttings") == titles.index("&Letters") + 1
    assert window.mail_merge_action.shortcut().toString() == "Ctrl+M"
    assert window.mail_merge_action.isEnabled() and window.templates_action.isEnabled()

    looking = MainWindow(viewer)
    qtbot.addWidget(looking)
    assert not looking.mail_merge_action.isEnabled()
    assert looking.templates_action.isEnabled()  # read only
    opened: list[object] = []
    looking.run_dialog = opened.append  # type: ignore[assignment]
    looking.templates_action.trigger()
    assert isinstance(opened[0], TemplatesDialog) and not opened[0].can_edit


def test_mail_merge_to_two_selected_schools_files_and_history(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    qtmodeltester,
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    assert dialog.radios[SELECTED].isChecked()
    assert dialog.radios[SELECTED].text() == "&Selected schools (2)"
    assert dialog.radios[SHOWN].text().endswith("(3)")
    assert dialog.radios[ALL_OPEN].text().endswith("(3)")
    choose_template(dialog, "Summer programme")
    assert dialog.contact_role.currentText() == "Head teacher"  # the template's
    assert not dialog.mailing_group.isVisibleTo(dialog)  # nothing to type for this one
    assert sorted(r[0] for r in dialog.recipient_rows()) == sorted(
        [ADVERSARIAL, "Bow Common Nursery School"]
    )
    assert "2 letters" in dialog.check_summary.text()
    qtmodeltester.check(dialog.recipients_model)

    combined = tmp_path / "out" / "Summer.pdf"
    folder = tmp_path / "each"
    combined.parent.mkdir()
    folder.mkdir()
    dialog.choose_file = lambda _parent, _suggested: str(combined)
    dialog.choose_folder = lambda _parent, _start: str(folder)
    qtbot.mouseClick(dialog.combined_button, Qt.MouseButton.LeftButton)
    dialog.folder_check.setChecked(True)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert dialog.combined_path.text() == str(combined)
    assert dialog.folder_path.text() == str(folder)
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)

    result = dialog.merge_result
    assert result is not None and result.letters == 2
    assert combined.exists()
    pdf = combined.read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert len(list(folder.glob("*.pdf"))) == 2
    assert not list(combined.parent.glob("*.partial")) and not list(folder.glob("*.partial"))
    assert shown_pdfs[dialog][0][0] == pdf  # the print run opens in the document window
    assert shown_pdfs[dialog][0][2] == "Summer.pdf"
    assert not dialog.isVisible()  # done: the window closes

    # The school's record lists the letter, newest first, as a link that opens it as sent.
    tab.select_ids([schools["mary"]])
    page = tab.detail.toHtml()
    assert "Letters sent" in page
    assert "Summer programme for St Mary &amp; St John's &lt;Primary&gt;" in page
    assert "letter:" in page and "jo.bloggs" in page
    assert len(tab.letters_shown) == 1
    opened: list[PdfWindow] = []

    def show(parent, data, title, name):  # type: ignore[no-untyped-def]
        shown = pdf_window.show_pdf(parent, data, title, name)
        qtbot.addWidget(shown)
        opened.append(shown)
        return shown

    tab.show_pdf = show
    tab.detail.setFocus()
    qtbot.keyClick(tab.detail, Qt.Key.Key_Tab)  # to the first link
    qtbot.keyClick(tab.detail, Qt.Key.Key_Return)  # and open it
    assert len(opened) == 1
    sent = next(p for p in folder.glob("*.pdf") if "St Mary" in p.name)
    assert opened[0].pdf == sent.read_bytes()  # exactly as sent to that school
    qtbot.waitUntil(lambda: opened[0].page_count == 1, timeout=5000)
    assert "St Mary" in opened[0].windowTitle()


def test_a_letter_needing_mailing_values_is_refused_until_they_are_typed(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Notice of general meeting")
    assert dialog.mailing_group.isVisibleTo(dialog)
    assert set(dialog.mailing_inputs) == {
        "meeting.name",
        "meeting.place",
        "meeting.date",
        "meeting.time",
        "meeting.business",
    }
    target = tmp_path / "Notice.pdf"
    dialog.combined_path.setText(str(target))
    assert dialog.produce() is None
    assert dialog.messages.message("mailing.meeting.date") == "Needed for this letter."
    assert "Nothing was produced" in dialog.banner.text()
    assert not target.exists()

    for name, value in {
        "meeting.name": "Annual General Meeting",
        "meeting.place": "Professional Development Centre",
        "meeting.date": "Thursday 14 January 2027",
        "meeting.time": "4.00 pm",
        "meeting.business": "to receive the accounts",
    }.items():
        dialog.mailing_inputs[name].setText(value)
    assert dialog.produce() is not None
    wait_done(qtbot, dialog)
    assert target.exists()
    text = " ".join(PdfReader(str(target)).pages[0].extract_text().split())
    assert "Thursday 14 January 2027" in text
    assert services.letters.correspondence(services.actor, schools["bow"])


def test_cancel_leaves_no_file_and_no_record(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    target = tmp_path / "Cancelled.pdf"
    dialog.combined_path.setText(str(target))
    real_produce = services.letters.produce

    def cancelled_at_once(*args, progress, **kw):  # type: ignore[no-untyped-def]
        progress.cancel()  # as if Cancel was pressed before the first letter
        return real_produce(*args, progress=progress, **kw)

    monkeypatch.setattr(services.letters, "produce", cancelled_at_once)
    assert dialog.produce() is not None
    wait_done(qtbot, dialog)
    assert dialog.job is not None and dialog.job.cancelled
    assert dialog.merge_result is None
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.partial")) == []
    assert services.letters.correspondence(services.actor, schools["mary"]) == []
    assert "Cancelled" in dialog.banner.text()
    assert dialog.isVisible() and dialog.produce_button.isEnabled()


def test_fallbacks_and_schools_left_out_are_listed_before_producing(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)  # nothing selected: the schools shown
    assert not dialog.radios[SELECTED].isEnabled()
    assert dialog.radios[SHOWN].isChecked()
    choose_template(dialog, "Summer programme")
    dialog.contact_role.setCurrentText("School business manager")
    dialog.check_recipients()
    notes = {school: note for school, _to, note in dialog.recipient_rows()}
    assert notes[ADVERSARIAL] == ""
    assert notes["Bow Common Nursery School"].startswith("No school business manager is recorded")
    assert notes["Nowhere School"].startswith("Left out: no postal address")
    addressed = {school: to for school, to, _note in dialog.recipient_rows()}
    assert addressed[ADVERSARIAL] == "Mr Tom Price"
    assert addressed["Bow Common Nursery School"] == "The School Business Manager"
    assert "2 letters" in dialog.check_summary.text()
    assert "1 school left out" in dialog.check_summary.text()

    target = tmp_path / "Summer.pdf"
    dialog.combined_path.setText(str(target))
    informed: list[str] = []
    dialog.inform = lambda _parent, _title, text: informed.append(text)
    dialog.produce()
    wait_done(qtbot, dialog)
    assert target.exists()
    assert "2 letters" in informed[0]
    assert "Nowhere School: no postal address" in informed[0]
    assert "Bow Common Nursery School: no school business manager" in informed[0]


def test_a_template_needing_membership_records_says_why_each_school_is_left_out(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Welcome to membership")  # still offered
    assert dialog.membership_note.isVisibleTo(dialog)
    note = dialog.membership_note.text()
    assert "needs each school's membership record" in note and "fee due" in note
    assert "{" not in note  # words, not merge codes
    notes = [note for _school, _to, note in dialog.recipient_rows()]
    assert len(notes) == 2
    assert all(
        n.startswith("Left out: the letter needs the school's membership record") for n in notes
    )
    assert all("{" not in n for n in notes)
    assert "No letters can be produced" in dialog.check_summary.text()
    # Produce is off, and says why beside it.
    assert not dialog.produce_button.isEnabled()
    assert "every one is left out" in dialog.produce_note.text()
    assert "every one is left out" in dialog.produce_button.toolTip()

    target = tmp_path / "Welcome.pdf"
    dialog.combined_path.setText(str(target))
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None and not target.exists()
    assert services.letters.correspondence(services.actor, schools["bow"]) == []
    assert dialog.isVisible()
    # Another template that can be made: Produce comes back on.
    choose_template(dialog, "Peer-review visit confirmation")
    qtbot.waitUntil(lambda: dialog.produce_button.isEnabled())
    assert dialog.produce_note.text() == ""


def test_output_choices_are_checked_before_anything_runs(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    dialog.combined_check.setChecked(False)
    assert dialog.produce() is None
    assert "or both" in dialog.messages.message("output")

    dialog.combined_check.setChecked(True)
    dialog.combined_path.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.letter_date.setText("31/02/2026")
    assert dialog.produce() is None
    assert "does not exist" in dialog.messages.message("combined_file")
    assert "not a real date" in dialog.messages.message("letter_date")
    assert dialog.job is None

    existing = tmp_path / "Existing.pdf"
    existing.write_bytes(b"old")
    dialog.combined_path.setText(str(existing))
    dialog.letter_date.setText("22/11/2026")
    asked, dialog.ask = answering("Cancel")
    assert dialog.produce() is None
    assert "already exists" in asked[0][0]
    assert existing.read_bytes() == b"old"


def test_who_gets_a_letter_can_be_exported(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    own_template: int,
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    target = tmp_path / "recipients.csv"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    dialog.ask = lambda *_a: "Close"
    dialog.export_button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "School,Addressed to,Note"
    assert len(lines) == 1 + len(dialog.recipient_rows())
    assert any(line.startswith("Nowhere School,") and "no postal address" in line for line in lines)


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
    assert len(lines) == 7 and "Notice of general meeting" in "\n".join(lines)


def on_its_text(button: QAbstractButton) -> QPoint:
    """Where a click on a radio button or check box lands on what a person clicks."""
    style = button.style()
    element = (
        QStyle.SubElement.SE_RadioButtonClickRect
        if isinstance(button, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxClickRect
    )
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    return style.subElementRect(element, option, button).center()


def test_all_open_schools_leaves_out_those_proposed_until_ticked(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    merges: list[MailMergeDialog],
    window: MainWindow,
    own_template: int,
) -> None:
    services.schools.create_school(
        services.actor,
        SchoolInput(urn="100299", name="Aardvark Free School", status="proposed_to_open"),
    )
    window.schools_tab.select_ids([])
    dialog = open_merge(window, merges)
    qtbot.mouseClick(
        dialog.radios[ALL_OPEN], Qt.MouseButton.LeftButton, pos=on_its_text(dialog.radios[ALL_OPEN])
    )
    assert dialog.radios[ALL_OPEN].isChecked()
    assert dialog.radios[ALL_OPEN].text().replace("&", "") == "All open schools (3)"
    box = dialog.proposed_check
    assert box.isEnabled() and not box.isChecked()
    assert box.text().replace("&", "") == "Include schools proposed to open (1)"
    dialog.check_recipients()
    assert "Aardvark Free School" not in [row[0] for row in dialog.recipient_rows()]

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=on_its_text(box))
    assert box.isChecked()
    assert dialog.radios[ALL_OPEN].text().replace("&", "") == "All open schools (4)"
    qtbot.waitUntil(lambda: "Aardvark Free School" in [row[0] for row in dialog.recipient_rows()])


def test_produce_is_off_with_the_reason_when_nobody_signs_or_the_role_is_unknown(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    merges: list[MailMergeDialog],
    window: MainWindow,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Peer-review visit confirmation")
    assert dialog.produce_button.isEnabled() and dialog.produce_note.text() == ""

    # A role nobody in the register has, typed into the contact box.
    role = dialog.contact_role.lineEdit()
    role.setFocus()
    role.selectAll()
    qtbot.keyClicks(role, "Cheif Exec")
    qtbot.waitUntil(lambda: not dialog.produce_button.isEnabled())
    assert "No contact in the register has the role “Cheif Exec”" in dialog.produce_note.text()
    assert "Head teacher" in dialog.messages.message("contact_role")
    assert dialog.recipient_rows() == []
    role.selectAll()
    qtbot.keyClicks(role, "Head teacher")
    qtbot.waitUntil(dialog.produce_button.isEnabled)
    assert dialog.messages.message("contact_role") == ""

    # Nobody to sign: the organisation profile has no default signatory.
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor, replace(profile, signatory_name="", signatory_position="")
    )
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert not dialog.produce_button.isEnabled()
    assert "Nobody signs this letter" in dialog.produce_note.text()
    assert "Organisation profile" in dialog.produce_button.toolTip()
