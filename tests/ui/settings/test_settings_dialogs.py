"""Settings dialogs (organisation profile, staff list) driven through real widgets on a real
temporary SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from qt_driving import press

from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.settings.organisation_service import MAX_LOGO_BYTES, ProfileData
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.settings import organisation_dialog, staff_dialog
from thep_desktop.ui.settings.organisation_dialog import OrganisationDialog, format_sort_code
from thep_desktop.ui.settings.staff_dialog import (
    COL_ACTIVE,
    COL_JOB,
    COL_NAME,
    StaffDialog,
    StaffForm,
    StaffTableModel,
)
from thep_desktop.ui.shared import forms as form_parts
from thep_desktop.ui.shared.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE

pytestmark = pytest.mark.gui


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


@pytest.fixture
def services(db_url: str, actor: Actor) -> Iterator[Services]:
    s, _note = open_services(db_url, actor, create=True)
    yield s
    s.close()


@pytest.fixture
def colleague(db_url: str) -> Iterator[Services]:
    """A second user on their own connection to the same database file."""
    s, _note = open_services(db_url, Actor("sam.colleague", Role.ADMIN))
    yield s
    s.close()


@pytest.fixture
def viewer(db_url: str, services: Services) -> Iterator[Services]:
    s, _note = open_services(db_url, Actor("visitor", Role.VIEWER))
    yield s
    s.close()


def retype(qtbot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def png_file(tmp_path: Path, name: str = "logo.png", size: tuple[int, int] = (300, 90)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#1d5fa8"))
    path = tmp_path / name
    assert image.save(str(path), "PNG")
    return path


def profile_dialog(qtbot, services: Services) -> OrganisationDialog:  # type: ignore[no-untyped-def]
    """The form, shown; its questions are real boxes, answered through ``modals``."""
    dialog = OrganisationDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def discard_and_close(qtbot, dialog: OrganisationDialog, modals) -> None:  # type: ignore[no-untyped-def]
    """Esc, then "Discard changes" in the question about unsaved changes: as a person leaves."""
    modals.click("Discard changes")
    press(qtbot, dialog, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not dialog.isVisible()


def services_profile_unchanged(services: Services) -> bool:
    """The profile as first stored: version 1, nobody's change saved."""
    return services.organisation.get_profile(services.actor).version == 1


def text_of(dialog: OrganisationDialog, name: str) -> str:
    widget = dialog.inputs[name]
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


# -- organisation profile -------------------------------------------------------------------
def test_profile_shows_every_field_and_saves_what_was_typed(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, services)
    assert text_of(dialog, "name") == "Tower Hamlets Education Partnership"
    assert text_of(dialog, "postcode") == "E2 6AB"
    images = ("logo", "logo_filename", "signature_image", "signature_image_filename")
    expected = {f for f in vars(ProfileData()) if f not in (*images, "version")}
    assert set(dialog.inputs) == expected

    retype(qtbot, dialog.inputs["address"], "PDC\n229 Bethnal Green Road\nLondon")
    retype(qtbot, dialog.inputs["phone"], "020 7364 6000")
    retype(qtbot, dialog.inputs["company_number"], "09876543")
    retype(qtbot, dialog.inputs["charity_number"], "1150000")
    retype(qtbot, dialog.inputs["vat_number"], "gb980780684")
    retype(qtbot, dialog.inputs["registered_office"], "1 High Street\nLondon E1 1AA")
    retype(qtbot, dialog.inputs["bank_name"], "Lloyds Bank")
    retype(qtbot, dialog.inputs["bank_account_name"], "THE Partnership Ltd")
    retype(qtbot, dialog.inputs["bank_sort_code"], "309634")
    retype(qtbot, dialog.inputs["bank_account_number"], "12345678")
    qtbot.keyClick(dialog.inputs["bank_sort_code"], Qt.Key.Key_Tab)
    assert dialog.is_dirty()
    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == OrganisationDialog.DialogCode.Accepted
    saved = services.organisation.get_profile(services.actor)
    assert saved.address == "PDC\n229 Bethnal Green Road\nLondon"
    assert saved.phone == "020 7364 6000"
    assert saved.company_number == "09876543" and saved.charity_number == "1150000"
    assert saved.vat_number == "GB 980 7806 84"
    assert saved.registered_office == "1 High Street\nLondon E1 1AA"
    assert (saved.bank_name, saved.bank_account_name) == ("Lloyds Bank", "THE Partnership Ltd")
    assert (saved.bank_sort_code, saved.bank_account_number) == ("30-96-34", "12345678")
    assert saved.version == 2

    again = profile_dialog(qtbot, services)
    assert text_of(again, "bank_sort_code") == "30-96-34"
    assert text_of(again, "vat_number") == "GB 980 7806 84"
    assert not again.is_dirty()


def test_sort_code_is_shown_with_dashes() -> None:
    assert format_sort_code("123456") == "12-34-56"
    assert format_sort_code("12 34 56") == "12-34-56"
    assert format_sort_code("12-34") == "12-34"  # left for the service to refuse


@pytest.mark.parametrize(
    ("name", "typed", "expected", "page"),
    [
        ("email", "info at partnership", "is not an email address", 0),
        ("postcode", "E2 XYZ", "is not a UK postcode", 0),
        ("bank_sort_code", "12-34", "is not a sort code", 2),
    ],
)
def test_bad_value_gets_a_message_beside_its_field_and_nothing_is_saved(
    qtbot, services: Services, name: str, typed: str, expected: str, page: int, modals
) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, services)
    retype(qtbot, dialog.inputs["website"], "www.example.org.uk")
    retype(qtbot, dialog.inputs[name], typed)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.isVisible()
    assert expected in dialog.messages.message(name)
    assert dialog.messages.message("website") == ""
    assert dialog.tabs.currentIndex() == page
    assert text_of(dialog, name) == typed  # nothing the user typed is lost
    assert text_of(dialog, "website") == "www.example.org.uk"
    assert "nothing has been saved" in dialog.banner.text()
    stored = services.organisation.get_profile(services.actor)
    assert stored.version == 1 and stored.website == "www.the-partnership.org.uk"
    discard_and_close(qtbot, dialog, modals)
    assert services_profile_unchanged(services)


def test_a_png_logo_is_shown_and_saved(qtbot, services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = png_file(tmp_path)
    dialog = profile_dialog(qtbot, services)
    assert dialog.logo_preview.pixmap().isNull()
    assert not dialog.remove_logo_button.isEnabled()
    dialog.choose_file = lambda _parent: str(path)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)

    preview = dialog.logo_preview.pixmap()
    assert not preview.isNull()
    assert preview.width() <= organisation_dialog.PREVIEW_SIZE.width()  # scaled to fit
    assert "logo.png" in dialog.logo_name.text()
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    saved = services.organisation.get_profile(services.actor)
    assert saved.logo == path.read_bytes()
    assert saved.logo_filename == "logo.png"

    again = profile_dialog(qtbot, services)
    assert not again.logo_preview.pixmap().isNull()
    qtbot.mouseClick(again.remove_logo_button, Qt.MouseButton.LeftButton)
    assert again.logo_preview.pixmap().isNull()
    press(qtbot, again, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not again.isVisible()
    assert services.organisation.get_profile(services.actor).logo is None


def click_tab(qtbot, dialog: OrganisationDialog, title: str) -> None:  # type: ignore[no-untyped-def]
    if not dialog.isActiveWindow():  # shortcuts such as Ctrl+S go to the active window
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
    bar = dialog.tabs.tabBar()
    number = next(n for n in range(bar.count()) if bar.tabText(n).replace("&", "") == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(number).center())
    assert dialog.tabs.currentIndex() == number


def test_the_default_signatory_is_chosen_from_staff_with_a_signature_and_saved(
    qtbot, services: Services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    services.staff.create_staff(services.actor, StaffInput("Helen Marsh", "Executive Director"))
    path = png_file(tmp_path, "helen.png", (240, 60))
    dialog = profile_dialog(qtbot, services)
    click_tab(qtbot, dialog, "Signatory")
    dialog.staff_chooser.setFocus()
    qtbot.keyClick(dialog.staff_chooser, Qt.Key.Key_Down)  # the first person on the list
    assert text_of(dialog, "signatory_name") == "Helen Marsh"
    assert text_of(dialog, "signatory_position") == "Executive Director"
    dialog.choose_file = lambda _parent: str(path)
    qtbot.mouseClick(dialog.signature.choose_button, Qt.MouseButton.LeftButton)
    assert not dialog.signature.preview.pixmap().isNull()
    retype(qtbot, dialog.inputs["company_secretary"], "Rafiq Chowdhury")
    qtbot.keyClick(
        dialog.inputs["company_secretary"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )

    assert dialog.result() == OrganisationDialog.DialogCode.Accepted
    saved = services.organisation.get_profile(services.actor)
    assert (saved.signatory_name, saved.signatory_position) == ("Helen Marsh", "Executive Director")
    assert saved.signature_image == path.read_bytes()
    assert saved.signature_image_filename == "helen.png"
    assert saved.company_secretary == "Rafiq Chowdhury"


def test_a_position_without_a_name_is_refused_beside_the_field(
    qtbot, services: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    before = services.organisation.get_profile(services.actor)
    dialog = profile_dialog(qtbot, services)
    click_tab(qtbot, dialog, "Organisation")
    click_tab(qtbot, dialog, "Signatory")
    retype(qtbot, dialog.inputs["signatory_position"], "Treasurer")
    qtbot.keyClick(
        dialog.inputs["signatory_position"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert dialog.isVisible()
    assert "Type the name of the person who signs" in dialog.messages.message("signatory_name")
    assert text_of(dialog, "signatory_position") == "Treasurer"  # what was typed stays
    assert services.organisation.get_profile(services.actor) == before
    discard_and_close(qtbot, dialog, modals)
    assert services.organisation.get_profile(services.actor) == before


@pytest.mark.parametrize("kind", ["text", "too big"])
def test_a_file_that_is_not_a_usable_logo_is_refused_and_the_old_logo_kept(
    qtbot, services: Services, tmp_path: Path, kind: str
) -> None:  # type: ignore[no-untyped-def]
    logo = png_file(tmp_path).read_bytes()
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor, ProfileData(**{**vars(profile), "logo": logo, "logo_filename": "a.png"})
    )
    if kind == "text":
        bad = tmp_path / "notes.txt"
        bad.write_text("Dear Head teacher, this is a letter, not a picture.")
        expected = "not an image this program can read"
    else:
        bad = tmp_path / "huge.png"
        bad.write_bytes(b"\x89PNG" + b"\0" * (MAX_LOGO_BYTES + 10))
        expected = "larger than 2 MB"
    dialog = profile_dialog(qtbot, services)
    dialog.choose_file = lambda _parent: str(bad)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)

    assert expected in dialog.logo_message.text() and not dialog.logo_message.isHidden()
    assert bad.name in dialog.logo_message.text()
    assert "a.png" in dialog.logo_name.text()
    assert not dialog.logo_preview.pixmap().isNull()
    assert not dialog.is_dirty()
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert services.organisation.get_profile(services.actor).logo == logo


def test_conflict_keeps_what_i_typed_and_can_reload_theirs(
    qtbot, services: Services, colleague: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, services)
    retype(qtbot, dialog.inputs["phone"], "020 7000 1111")

    theirs = colleague.organisation.get_profile(colleague.actor)
    colleague.organisation.update_profile(
        colleague.actor,
        ProfileData(**{**vars(theirs), "email": "office@example.org.uk", "phone": "020 7946 0001"}),
    )

    modals.click(form_parts.KEEP_EDITING)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert dialog.isVisible()
    assert "sam.colleague changed the organisation profile at" in modals.seen[0].text
    assert text_of(dialog, "phone") == "020 7000 1111"  # what I typed stays
    assert text_of(dialog, "email") == "info@the-partnership.org.uk"
    assert "What you typed is still here" in dialog.banner.text()
    stored = services.organisation.get_profile(services.actor)
    assert stored.phone == "020 7946 0001"  # theirs, not overwritten

    modals.click("Reload their version")  # refused again; this time: reload theirs
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert dialog.isVisible()
    assert text_of(dialog, "email") == "office@example.org.uk"
    assert text_of(dialog, "phone") == "020 7946 0001"
    assert "sam.colleague" in dialog.banner.text()
    assert not dialog.is_dirty()
    retype(qtbot, dialog.inputs["phone"], "020 7000 2222")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    stored = services.organisation.get_profile(services.actor)
    assert (stored.phone, stored.email) == ("020 7000 2222", "office@example.org.uk")


def test_conflict_can_bring_in_theirs_with_my_changes_on_top(
    qtbot, services: Services, colleague: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, services)
    retype(qtbot, dialog.inputs["phone"], "020 7000 1111")
    theirs = colleague.organisation.get_profile(colleague.actor)
    colleague.organisation.update_profile(
        colleague.actor, ProfileData(**{**vars(theirs), "bank_name": "Barclays"})
    )
    modals.click(form_parts.MERGE)
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert dialog.isVisible()
    assert services.organisation.get_profile(services.actor).phone == theirs.phone  # not mine
    assert text_of(dialog, "phone") == "020 7000 1111"
    assert text_of(dialog, "bank_name") == "Barclays"
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    stored = services.organisation.get_profile(services.actor)
    assert (stored.phone, stored.bank_name) == ("020 7000 1111", "Barclays")


def test_cancel_with_unsaved_changes_asks_first(qtbot, services: Services, modals) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, services)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() is False and modals.seen == []  # nothing changed: no question
    dialog = profile_dialog(qtbot, services)
    retype(qtbot, dialog.inputs["bank_name"], "HSBC")
    modals.click(form_parts.KEEP_EDITING)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert dialog.isVisible() and text_of(dialog, "bank_name") == "HSBC"
    modals.click(form_parts.DISCARD_CHANGES)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not dialog.isVisible()
    assert [s.title for s in modals.seen] == ["Unsaved changes", "Unsaved changes"]
    assert services.organisation.get_profile(services.actor).bank_name == ""


def test_viewer_sees_the_profile_read_only_without_save(qtbot, viewer: Services) -> None:  # type: ignore[no-untyped-def]
    dialog = profile_dialog(qtbot, viewer)
    assert dialog.save_button is None
    assert text_of(dialog, "name") == "Tower Hamlets Education Partnership"
    assert all(widget.isReadOnly() for widget in dialog.inputs.values())
    assert dialog.choose_logo_button.isHidden() and dialog.remove_logo_button.isHidden()
    assert "may look at the organisation's settings but not change them" in dialog.banner.text()
    qtbot.keyClicks(dialog.inputs["name"], "xyz")
    assert text_of(dialog, "name") == "Tower Hamlets Education Partnership"
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # nothing to save
    assert dialog.isVisible()
    press(qtbot, dialog, Qt.Key.Key_Escape)  # a question here would be an unexpected box
    assert not dialog.isVisible()
    assert services_profile_unchanged(viewer)


# -- staff ----------------------------------------------------------------------------------
@pytest.fixture
def staffed(services: Services) -> Services:
    actor = services.actor
    services.staff.create_staff(
        actor, StaffInput("Nadia Rahman", "School improvement officer", "nadia@the-p.org.uk")
    )
    services.staff.create_staff(actor, StaffInput("Bola Adeyemi", "Executive Director"))
    services.staff.create_staff(
        actor, StaffInput("Chris Evans", "Data manager", phone="020 7364 1000", active=False)
    )
    return services


@pytest.fixture
def staff_window(qtbot, staffed: Services) -> tuple[StaffDialog, list[StaffForm]]:  # type: ignore[no-untyped-def]
    dialog = StaffDialog(staffed)  # its questions are real boxes, answered through modals
    qtbot.addWidget(dialog)
    forms: list[StaffForm] = []

    def run(form: StaffForm) -> None:
        forms.append(form)
        qtbot.addWidget(form)
        form.show()

    dialog.run_form = run
    dialog.show()
    return dialog, forms


def select(dialog: StaffDialog, name: str) -> None:
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.row_at(row).full_name == name:
            dialog.table.selectRow(row)
            return
    raise AssertionError(f"{name} is not shown")


def test_former_staff_are_hidden_until_asked_for(staff_window) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    assert dialog.names_shown() == ["Bola Adeyemi", "Nadia Rahman"]
    assert "1 former (hidden)" in dialog.count_label.text()
    dialog.show_former.setChecked(True)
    assert dialog.names_shown() == ["Bola Adeyemi", "Chris Evans", "Nadia Rahman"]
    select(dialog, "Chris Evans")
    assert dialog.left_button.text() == "Mark as &current"
    dialog.show_former.setChecked(False)
    assert dialog.names_shown() == ["Bola Adeyemi", "Nadia Rahman"]


def test_add_through_the_form_with_ctrl_n(qtbot, staff_window, staffed: Services) -> None:  # type: ignore[no-untyped-def]
    dialog, forms = staff_window
    qtbot.keyClick(dialog.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = forms[0]
    assert form.windowTitle() == "New member of staff"
    qtbot.keyClicks(form.inputs["full_name"], "Anna Smith")
    qtbot.keyClicks(form.inputs["job_title"], "Partnership officer")
    qtbot.keyClicks(form.inputs["email"], "not an email")
    press(qtbot, form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible()
    assert "not an email address" in form.messages.message("email")
    assert form.inputs["full_name"].text() == "Anna Smith"
    assert len(staffed.staff.list_staff(staffed.actor)) == 3

    retype(qtbot, form.inputs["email"], "anna@the-p.org.uk")
    assert form.save_button is not None
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert dialog.names_shown() == ["Anna Smith", "Bola Adeyemi", "Nadia Rahman"]
    assert dialog.selected() is not None and dialog.selected().full_name == "Anna Smith"
    added = [s for s in staffed.staff.list_staff(staffed.actor) if s.full_name == "Anna Smith"]
    assert added[0].email == "anna@the-p.org.uk" and added[0].active


def test_edit_with_enter_and_double_click(qtbot, staff_window, staffed: Services) -> None:  # type: ignore[no-untyped-def]
    dialog, forms = staff_window
    select(dialog, "Nadia Rahman")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert len(forms) == 1 and dialog.isVisible()
    form = forms[0]
    assert form.inputs["email"].text() == "nadia@the-p.org.uk"
    retype(qtbot, form.inputs["job_title"], "Deputy director")
    press(qtbot, form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    assert dialog.selected().job_title == "Deputy director"
    stored = [s for s in staffed.staff.list_staff(staffed.actor) if s.full_name == "Nadia Rahman"]
    assert stored[0].job_title == "Deputy director"

    select(dialog, "Bola Adeyemi")
    centre = dialog.table.visualRect(dialog.table.currentIndex()).center()
    # A real double click: press and release, then the double-click event.
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert len(forms) == 2 and forms[1].inputs["full_name"].text() == "Bola Adeyemi"


def test_edit_conflict_keeps_typing_then_reloads_theirs(
    qtbot, staff_window, staffed: Services, colleague: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    dialog, forms = staff_window
    select(dialog, "Nadia Rahman")
    press(qtbot, dialog.table, Qt.Key.Key_Return)
    form = forms[0]
    retype(qtbot, form.inputs["phone"], "020 7000 1111")
    nadia = dialog.selected()
    colleague.staff.update_staff(
        colleague.actor, nadia.id, nadia.version, StaffInput("Nadia Rahman-Ali", "Director")
    )
    theirs = [s for s in staffed.staff.list_staff(staffed.actor) if s.id == nadia.id]
    modals.click(form_parts.KEEP_EDITING).click(form_parts.RELOAD)
    press(qtbot, form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "sam.colleague changed Nadia Rahman-Ali's record" in modals.seen[0].text
    assert form.inputs["phone"].text() == "020 7000 1111"
    assert [s for s in staffed.staff.list_staff(staffed.actor) if s.id == nadia.id] == theirs
    press(qtbot, form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert form.isVisible()
    assert form.inputs["full_name"].text() == "Nadia Rahman-Ali"
    assert form.inputs["phone"].text() == ""
    assert not form.is_dirty()


def test_mark_as_left_then_current_again(qtbot, staff_window, staffed: Services, modals) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    select(dialog, "Nadia Rahman")
    before = staffed.staff.list_staff(staffed.actor)
    modals.click(staff_dialog.CANCEL)
    qtbot.mouseClick(dialog.left_button, Qt.MouseButton.LeftButton)
    modals.wait_answered()
    assert "Nadia Rahman" in dialog.names_shown()
    assert staffed.staff.list_staff(staffed.actor) == before

    modals.click(staff_dialog.MARK_LEFT)
    qtbot.mouseClick(dialog.left_button, Qt.MouseButton.LeftButton)
    modals.wait_answered()
    assert dialog.names_shown() == ["Bola Adeyemi"]
    assert "tick Show former staff" in dialog.banner.text()
    current = staffed.staff.list_staff(staffed.actor, active_only=True)
    assert [s.full_name for s in current] == ["Bola Adeyemi"]

    dialog.show_former.setChecked(True)
    select(dialog, "Nadia Rahman")
    assert dialog.left_button.text() == "Mark as &current"
    qtbot.mouseClick(dialog.left_button, Qt.MouseButton.LeftButton)  # nothing to ask
    current = staffed.staff.list_staff(staffed.actor, active_only=True)
    assert [s.full_name for s in current] == ["Bola Adeyemi", "Nadia Rahman"]


def test_mark_as_left_after_someone_else_changed_the_record_says_so(
    qtbot, staff_window, staffed: Services, colleague: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    select(dialog, "Bola Adeyemi")
    bola = dialog.selected()
    colleague.staff.update_staff(colleague.actor, bola.id, bola.version, StaffInput("Bola A"))
    modals.click(staff_dialog.MARK_LEFT).click("OK")
    qtbot.mouseClick(dialog.left_button, Qt.MouseButton.LeftButton)
    modals.wait_answered()
    assert "sam.colleague changed Bola A's record" in modals.seen[1].text
    assert "Bola A" in dialog.names_shown()  # their version is shown now
    assert all(s.active for s in staffed.staff.list_staff(staffed.actor) if s.id == bola.id)


def test_sorting_by_a_column_and_searching(qtbot, staff_window) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    dialog.show_former.setChecked(True)
    header = dialog.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_JOB) + header.sectionSize(COL_JOB) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert dialog.names_shown() == ["Chris Evans", "Bola Adeyemi", "Nadia Rahman"]
    dialog.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert dialog.names_shown() == ["Nadia Rahman", "Chris Evans", "Bola Adeyemi"]
    dialog.table.sortByColumn(COL_ACTIVE, Qt.SortOrder.AscendingOrder)
    assert dialog.names_shown()[0] == "Chris Evans"  # former staff first (No < Yes)

    qtbot.keyClicks(dialog.search, "officer")
    assert dialog.names_shown() == ["Nadia Rahman"]
    assert "1 shown" in dialog.count_label.text()
    retype(qtbot, dialog.search, "020 7364")  # phone numbers are searched too
    assert dialog.names_shown() == ["Chris Evans"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert dialog.search.text() == "" and dialog.isVisible()
    assert len(dialog.names_shown()) == 3


def test_esc_closes_the_staff_list(qtbot, staff_window) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_viewer_sees_the_staff_list_read_only(qtbot, staffed: Services, viewer: Services) -> None:  # type: ignore[no-untyped-def]
    dialog = StaffDialog(viewer)
    qtbot.addWidget(dialog)
    forms: list[StaffForm] = []
    dialog.run_form = lambda form: forms.append(form)
    assert dialog.names_shown() == ["Bola Adeyemi", "Nadia Rahman"]
    assert not dialog.add_button.isEnabled() and not dialog.left_button.isEnabled()
    assert dialog.edit_button.text() == "&View…"
    assert dialog.add_staff() is None
    select(dialog, "Nadia Rahman")
    assert dialog.toggle_left() is False
    form = dialog.edit_selected()
    assert form is not None and form.save_button is None
    assert all(edit.isReadOnly() for edit in form.inputs.values())
    assert not form.active.isEnabled()
    assert form.save() is False


def test_staff_table_model_passes_qt_model_checks(qtmodeltester, staffed: Services) -> None:  # type: ignore[no-untyped-def]
    model = StaffTableModel()
    qtmodeltester.check(model)  # empty
    model.set_rows(staffed.staff.list_staff(staffed.actor))
    qtmodeltester.check(model)
    chris = model.index(model.row_of_id(model.rows()[1].id), COL_ACTIVE)
    assert model.data(chris) == "No – left"
    assert model.data(chris, VALUE_ROLE) is False
    assert model.data(chris, SORT_ROLE) == (False, False)
    assert model.data(chris, ROW_ROLE).full_name == "Chris Evans"
    assert model.headerData(COL_ACTIVE, Qt.Orientation.Horizontal, KIND_ROLE) == "bool"
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal, KIND_ROLE) == "text"


def test_staff_filter_proxy_passes_qt_model_checks(qtmodeltester, staff_window) -> None:  # type: ignore[no-untyped-def]
    dialog, _forms = staff_window
    qtmodeltester.check(dialog.proxy)
    dialog.search.setText("a")
    qtmodeltester.check(dialog.proxy)


def test_staff_list_exports_as_shown(qtbot, staff_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    dialog, _forms = staff_window
    target = tmp_path / "staff.xlsx"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    dialog.ask = lambda *_a: "Close"
    shown = [dialog.proxy.row_at(r).full_name for r in range(dialog.proxy.rowCount())]
    QTest.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    qtbot.waitUntil(lambda: not dialog.export_job.thread.isRunning(), timeout=10_000)
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Name")
    assert [row[0] for row in rows[header + 1 :]] == shown
    assert "Partnership staff" in str(rows[0][0]) and "Current staff" in str(rows[1][0])


def test_the_profiles_history_shows_what_was_changed(qtbot, services: Services, modals) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop.ui.audit.history_dialog import HistoryDialog

    dialog = profile_dialog(qtbot, services)
    retype(qtbot, dialog.inputs["phone"], "020 7364 6000")
    qtbot.keyClick(dialog.inputs["phone"], Qt.Key.Key_Tab)
    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog = profile_dialog(qtbot, services)
    seen: list[list[tuple[str, str]]] = []

    def read(box) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(box, HistoryDialog)
        model = box.model
        seen.append([(model.index(r, 2).data(), model.index(r, 3).data()) for r in range(2)])
        box.reject()

    modals.then(read)
    qtbot.mouseClick(dialog.history_button, Qt.MouseButton.LeftButton)
    modals.wait_answered()
    [(what, changes), (first, _made)] = seen[0]
    assert what == "Changed" and "Phone:" in changes and "020 7364 6000" in changes
    assert first == "Created"
