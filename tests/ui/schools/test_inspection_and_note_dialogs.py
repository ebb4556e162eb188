"""The inspection and note dialogs driven as a person does, on a real temporary database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from qt_driving import choose, press, push

from thep_desktop.database import Database
from thep_desktop.domain.ofsted import AreaGrade, InspectionKind, OverallGrade, Safeguarding
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.ofsted_service import InspectionInput
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.schools.inspection_dialog import InspectionDialog
from thep_desktop.ui.schools.school_note_dialog import SchoolNoteDialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def school_id(services: Services, actor: Actor) -> int:
    return services.schools.create_school(actor, SchoolInput(urn=100001, name="Bow Primary")).id


def shown(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace what a field holds, as a person does: select it all (Ctrl+A), then type."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(widget, text)


def test_a_graded_inspection_typed_and_saved_with_enter(qtbot, services, school_id) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, InspectionDialog(services, school_id))
    assert dialog.grade_row.isVisible() and not dialog.card.isVisible()
    type_into(qtbot, dialog.inspected_on, "12/03/2019")
    choose(qtbot, dialog.overall_grade, "Requires improvement")
    type_into(qtbot, dialog.published_on, "02/04/2019")
    press(qtbot, dialog.published_on, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (saved,) = services.ofsted.list_inspections(services.actor, school_id)
    assert (saved.inspected_on, saved.kind, saved.overall_grade, saved.published_on) == (
        date(2019, 3, 12),
        InspectionKind.GRADED,
        OverallGrade.REQUIRES_IMPROVEMENT,
        date(2019, 4, 2),
    )


def test_the_fields_follow_the_kind_and_a_report_card_saves_with_ctrl_s(
    qtbot, services, school_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, InspectionDialog(services, school_id))
    type_into(qtbot, dialog.inspected_on, "01/10/2024")
    # A graded inspection from September 2024: the grade is disabled, with the note why.
    assert not dialog.overall_grade.isEnabled() and dialog.grade_note.isVisible()
    choose(qtbot, dialog.kind, "Monitoring visit")
    assert not dialog.grade_row.isVisible() and not dialog.card.isVisible()
    choose(qtbot, dialog.kind, "Report card inspection")
    assert dialog.card.isVisible() and not dialog.grade_row.isVisible()
    # Saved too early: refused beside the fields, what was typed is kept.
    press(qtbot, dialog.inspected_on, Qt.Key.Key_S, CTRL)
    assert dialog.isVisible()
    assert dialog.messages.message("kind") == "Report cards were given only from 10 November 2025"
    assert dialog.messages.message("safeguarding") == "Say whether safeguarding was met or not met"
    assert dialog.messages.message("areas") == "Give the grade of at least one evaluation area"
    assert dialog.inspected_on.text() == "01/10/2024"
    assert services.ofsted.list_inspections(services.actor, school_id) == []
    type_into(qtbot, dialog.inspected_on, "20/11/2025")
    choose(qtbot, dialog.safeguarding, "Met")
    choose(qtbot, dialog.areas["inclusion"], "Strong standard")
    choose(qtbot, dialog.areas["achievement"], "Needs attention")
    type_into(qtbot, dialog.report_url, "https://reports.ofsted.gov.uk/provider/21/100001")
    press(qtbot, dialog.report_url, Qt.Key.Key_S, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (saved,) = services.ofsted.list_inspections(services.actor, school_id)
    assert saved.safeguarding is Safeguarding.MET
    assert dict(saved.areas)["achievement"] is AreaGrade.NEEDS_ATTENTION
    assert saved.outcome_words == (
        "Safeguarding met; Inclusion: Strong standard; Achievement: Needs attention"
    )


def test_an_inspection_changed_and_esc_cancels(qtbot, services, school_id) -> None:  # type: ignore[no-untyped-def]
    kept = services.ofsted.add_inspection(
        services.actor, school_id, InspectionInput("2019-03-12", "graded", None, "good")
    )
    dialog = shown(qtbot, InspectionDialog(services, school_id, kept.id))
    assert dialog.overall_grade.currentText() == "Good"
    choose(qtbot, dialog.overall_grade, "Outstanding")
    press(qtbot, dialog.overall_grade, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert (
        services.ofsted.get_inspection(services.actor, kept.id).overall_grade is OverallGrade.GOOD
    )
    dialog = shown(qtbot, InspectionDialog(services, school_id, kept.id))
    choose(qtbot, dialog.overall_grade, "Outstanding")
    push(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    found = services.ofsted.get_inspection(services.actor, kept.id)
    assert (found.overall_grade, found.version) == (OverallGrade.OUTSTANDING, kept.version + 1)


def test_a_reader_sees_the_inspection_without_saving(qtbot, sqlite_db, actor, school_id) -> None:  # type: ignore[no-untyped-def]
    kept = Services(sqlite_db, actor).ofsted.add_inspection(
        actor, school_id, InspectionInput("2019-03-12", "graded", None, "good")
    )
    reader = Services(sqlite_db, Actor("rita", Role.VIEWER))
    dialog = shown(qtbot, InspectionDialog(reader, school_id, kept.id))
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    assert not dialog.kind.isEnabled() and dialog.inspected_on.isReadOnly()
    press(qtbot, dialog.inspected_on, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert reader.ofsted.get_inspection(reader.actor, kept.id).version == kept.version


def test_a_note_typed_refused_then_saved(qtbot, services, school_id) -> None:  # type: ignore[no-untyped-def]
    staff = services.staff.create_staff(services.actor, StaffInput(full_name="Priya Shah"))
    dialog = shown(qtbot, SchoolNoteDialog(services, school_id))
    assert dialog.noted_on.text() == date.today().strftime("%d/%m/%Y")
    assert dialog.author.currentText() == ""  # no staff member linked to this user
    press(qtbot, dialog.subject, Qt.Key.Key_S, CTRL)
    assert dialog.messages.message("text") == "Note is required"
    type_into(qtbot, dialog.subject, "Link visit")
    choose(qtbot, dialog.author, "Priya Shah")
    type_into(qtbot, dialog.text, "Met the new head.")
    press(qtbot, dialog.text, Qt.Key.Key_Return)  # a new line in the note, not a save
    qtbot.keyClicks(dialog.text, "Agreed a review in May.")
    assert dialog.isVisible()
    press(qtbot, dialog.text, Qt.Key.Key_S, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (note,) = services.school_notes.list_notes(services.actor, school_id)
    assert (note.subject, note.author_id, note.text) == (
        "Link visit",
        staff.id,
        "Met the new head.\nAgreed a review in May.",
    )
    # Changed: a typed name instead of the staff member.
    dialog = shown(qtbot, SchoolNoteDialog(services, school_id, note.id))
    assert dialog.author.currentText() == "Priya Shah"
    dialog.author.setFocus()
    dialog.author.lineEdit().selectAll()
    qtbot.keyClicks(dialog.author.lineEdit(), "Sam Lee")
    press(qtbot, dialog.subject, Qt.Key.Key_Return)
    (note,) = services.school_notes.list_notes(services.actor, school_id)
    assert (note.author, note.author_id) == ("Sam Lee", None)
