"""The term dates dialog: a proposed year checked and saved; refusals by the fields with nothing
saved; the bank holidays listed; the schools' closure days added, filtered and removed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit
from qt_driving import button, choose, press, push
from review_dialog_records import (
    YEAR,
    history_count,
    make_schools,
    retype,
    save_year,
    shown,
    viewer_of,
)
from review_records import review_sums

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ClosureKind, TermName
from thep_desktop.services.peer_reviews.review_data import ClosureInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.peer_reviews.term_dates_dialog import TermDatesDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def schools(services: Services) -> dict[str, int]:
    return make_schools(services)


def open_dialog(qtbot, services: Services, year: AcademicYear = YEAR) -> TermDatesDialog:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, TermDatesDialog(services, year, None))
    forms: list[QDialog] = []

    def run(form: QDialog) -> None:
        forms.append(form)
        form.show()

    dialog.run_dialog = run  # type: ignore[method-assign]
    dialog.forms = forms  # type: ignore[attr-defined]
    return dialog


def test_a_proposed_year_is_checked_changed_and_saved(qtbot, services: Services, schools) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, services)
    assert dialog.proposed_note.isVisible()
    assert "Proposed, not yet saved" in dialog.proposed_note.text()
    assert dialog.edits[(TermName.AUTUMN, "starts_on")].text() == "03/09/2025"
    assert dialog.edits[(TermName.SPRING, "half_term_starts_on")].text() == "16/02/2026"
    retype(qtbot, dialog.edits[(TermName.AUTUMN, "starts_on")], "4/9/25")
    with qtbot.waitSignal(dialog.saved):
        press(
            qtbot,
            dialog.edits[(TermName.SUMMER, "ends_on")],
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier,
        )

    saved = services.school_calendar.year_terms(services.actor, YEAR)
    assert saved.saved is True
    autumn = saved.term(TermName.AUTUMN)
    assert autumn is not None and autumn.starts_on == date(2025, 9, 4)
    assert not dialog.proposed_note.isVisible()
    assert dialog.saved_note.text() == "The term dates for 2025/26 are saved."
    assert dialog.isVisible()  # still open for the closures


def test_a_term_ending_before_it_starts_is_refused_by_the_field(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = open_dialog(qtbot, services)
    retype(qtbot, dialog.edits[(TermName.AUTUMN, "ends_on")], "01/09/2025")
    push(qtbot, button(dialog, "Save term dates"))

    assert dialog.messages.message("autumn.ends_on") == (
        "The autumn term ends on 01/09/2025, before it starts on 03/09/2025."
    )
    assert "nothing has been saved" in dialog.banner.text()
    assert dialog.edits[(TermName.AUTUMN, "ends_on")].text() == "01/09/2025"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_overlapping_terms_are_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = open_dialog(qtbot, services)
    retype(qtbot, dialog.edits[(TermName.SPRING, "starts_on")], "15/12/2025")
    press(
        qtbot,
        dialog.edits[(TermName.SPRING, "starts_on")],
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier,
    )

    assert dialog.messages.message("overlap") == (
        "The spring term starts on 15/12/2025, before the autumn term ends on 19/12/2025."
    )
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_half_term_outside_its_term_and_a_date_not_read_are_shown_by_their_fields(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before = review_sums(sqlite_db)
    dialog = open_dialog(qtbot, services)
    retype(qtbot, dialog.edits[(TermName.SUMMER, "half_term_starts_on")], "1/8/2026")
    retype(qtbot, dialog.edits[(TermName.SUMMER, "half_term_ends_on")], "5/8/2026")
    push(qtbot, button(dialog, "Save term dates"))
    assert "must fall inside the term" in dialog.messages.message("summer.half_term_starts_on")

    retype(qtbot, dialog.edits[(TermName.SPRING, "ends_on")], "Easter")
    push(qtbot, button(dialog, "Save term dates"))
    assert dialog.messages.message("spring.ends_on") == (
        "“Easter” is not a date: type it as dd/mm/yyyy."
    )
    assert review_sums(sqlite_db) == before


def test_the_years_bank_holidays_are_listed(qtbot, services: Services, schools) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, services)
    listed = [dialog.bank_holidays.item(i).text() for i in range(dialog.bank_holidays.count())]
    assert listed[0] == "Thu 25/12/2025  Christmas Day"
    assert "Fri 03/04/2026  Good Friday" in listed
    assert listed[-1] == "Mon 31/08/2026  Summer bank holiday"


def test_closure_days_are_added_filtered_by_school_and_removed(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, modals
) -> None:
    save_year(services)
    services.school_calendar.add_closures(
        services.actor, ClosureInput(schools["Morpeth School"], date(2026, 1, 5), None)
    )
    dialog = open_dialog(qtbot, services)
    push(qtbot, dialog.add_closure_button)
    (form,) = dialog.forms
    school = form.inputs["school_id"]
    assert isinstance(school, QComboBox)
    qtbot.keyClicks(school.lineEdit(), "Bow School")
    retype(qtbot, form.inputs["first_day"], "13/11/2025")  # a Thursday
    retype(qtbot, form.inputs["last_day"], "17/11/2025")  # the Monday after
    form.inputs["kind"].setFocus()
    qtbot.keyClick(form.inputs["kind"], Qt.Key.Key_Down)  # Occasional day
    retype(qtbot, form.inputs["reason"], "Diwali and staff training")
    push(qtbot, button(form, "Save"))

    assert not form.isVisible()
    bow = services.school_calendar.closures(services.actor, YEAR, schools["Bow School"])
    assert [c.closed_on for c in bow] == [
        date(2025, 11, 13),
        date(2025, 11, 14),
        date(2025, 11, 17),
    ]
    assert {(c.kind, c.reason) for c in bow} == {
        (ClosureKind.OCCASIONAL, "Diwali and staff training")
    }
    assert dialog.closure_model.rowCount() == 4 and dialog.closure_count.text() == "4 days"

    choose(qtbot, dialog.school_filter, "Morpeth School")
    assert dialog.closure_model.rowCount() == 1
    assert dialog.closure_model.row_values(0)[:4] == (
        date(2026, 1, 5),
        "Morpeth School",
        "INSET day",
        "",
    )

    dialog.closure_table.setFocus()
    dialog.closure_table.selectRow(0)
    modals.click("Remove")
    press(qtbot, dialog.closure_table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert modals.seen[0].text == "Remove Morpeth School's closure on 05/01/2026?"
    assert services.school_calendar.closures(services.actor, YEAR, schools["Morpeth School"]) == []
    assert dialog.closure_model.rowCount() == 0


def test_a_closure_ending_before_it_starts_is_refused_and_nothing_added(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = open_dialog(qtbot, services)
    push(qtbot, dialog.add_closure_button)
    (form,) = dialog.forms
    qtbot.keyClicks(form.inputs["school_id"].lineEdit(), "Swanlea School")
    retype(qtbot, form.inputs["first_day"], "20/11/2025")
    retype(qtbot, form.inputs["last_day"], "18/11/2025")
    push(qtbot, button(form, "Save"))

    assert form.isVisible()
    assert form.messages.message("last_day") == (
        "The last day (18/11/2025) is before the first (20/11/2025)."
    )
    assert isinstance(form.inputs["first_day"], QLineEdit)
    assert form.inputs["first_day"].text() == "20/11/2025"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_closure_without_a_school_is_refused(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before = review_sums(sqlite_db)
    dialog = open_dialog(qtbot, services)
    push(qtbot, dialog.add_closure_button)
    (form,) = dialog.forms
    retype(qtbot, form.inputs["first_day"], "20/11/2025")
    push(qtbot, button(form, "Save"))
    assert form.messages.message("school_id") == "Choose the school from the list."
    assert review_sums(sqlite_db) == before


def test_someone_elses_save_meanwhile_is_said_and_theirs_kept(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools
) -> None:
    save_year(services)
    dialog = open_dialog(qtbot, services)
    theirs = services.school_calendar.year_terms(services.actor, YEAR)
    autumn = theirs.term(TermName.AUTUMN)
    assert autumn is not None
    moved = type(autumn)(**{**autumn.__dict__, "starts_on": date(2025, 9, 2)})
    services.school_calendar.save_terms(
        services.actor, YEAR, (moved, *theirs.terms[1:]), theirs.versions
    )
    retype(qtbot, dialog.edits[(TermName.AUTUMN, "ends_on")], "18/12/2025")
    push(qtbot, button(dialog, "Save term dates"))

    assert "Someone else changed this year's term dates" in dialog.banner.text()
    kept = services.school_calendar.year_terms(services.actor, YEAR).term(TermName.AUTUMN)
    assert kept is not None and kept.starts_on == date(2025, 9, 2)
    assert kept.ends_on == date(2025, 12, 19)


def test_someone_who_may_only_look_sees_the_dates_without_save(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db, services: Services, schools
) -> None:
    save_year(services)
    dialog = open_dialog(qtbot, viewer_of(sqlite_db))
    assert dialog.edits[(TermName.AUTUMN, "starts_on")].isReadOnly()
    assert not dialog.add_closure_button.isVisible()
    assert [b.text() for b in dialog.buttons.buttons()] == ["Close"]


def test_closing_with_dates_typed_offers_to_save_them_first(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, modals
) -> None:
    dialog = open_dialog(qtbot, services)
    retype(qtbot, dialog.edits[(TermName.SUMMER, "ends_on")], "21/07/2026")
    qtbot.keyClick(dialog.edits[(TermName.SUMMER, "ends_on")], Qt.Key.Key_Return)
    assert (
        dialog.isVisible() and not services.school_calendar.year_terms(services.actor, YEAR).saved
    )  # Enter saves nothing and presses no button
    modals.click("Save")
    press(qtbot, dialog.edits[(TermName.SUMMER, "ends_on")], Qt.Key.Key_Escape)
    modals.wait_answered()

    assert modals.seen[0].text == "You have changed the 2025/26 calendar but not saved it."
    assert not dialog.isVisible()
    summer = services.school_calendar.year_terms(services.actor, YEAR).term(TermName.SUMMER)
    assert summer is not None and summer.ends_on == date(2026, 7, 21)
