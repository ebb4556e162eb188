"""The Bodies and people view: the bodies and their rules, the chosen body's members as at a
date, appointing someone and seeing them there, an overlapping appointment refused, a
resignation, a body with a history retired, the usual bodies from the empty state, and a
member of staff who may look but not change anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from people_ui_records import (
    Office,
    governance_state,
    menu_entry,
    pick,
    tool_button,
    typed,
    view_of,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, press, push

from thep_desktop.database import Database
from thep_desktop.domain.governance import WhyEnded
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.audit.history_dialog import HistoryDialog
from thep_desktop.ui.governance.appointment_editor import AppointmentEditor, EndAppointmentDialog
from thep_desktop.ui.governance.bodies_view import BodiesPeopleView
from thep_desktop.ui.governance.body_editor import BodyEditor
from thep_desktop.ui.governance.person_editor import PersonEditor

pytestmark = pytest.mark.gui


def shown_rows(view: BodiesPeopleView, table: str) -> list[tuple[object, ...]]:
    model = getattr(view, f"{table}_model")
    columns = len(model.columns)
    return [model.row_values(r)[:columns] for r in range(model.rowCount())]


def member_names(view: BodiesPeopleView) -> list[str]:
    return [str(row[0]) for row in shown_rows(view, "members")]


def choose_body(qtbot, view: BodiesPeopleView, name: str) -> None:  # type: ignore[no-untyped-def]
    view.bodies_table.setFocus()
    rows = [str(row[0]) for row in shown_rows(view, "bodies")]
    view.bodies_table.selectRow(rows.index(name))
    assert view.body() is not None and view.body().name == name


def click(qtbot, view: BodiesPeopleView, action) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(tool_button(view, action), Qt.MouseButton.LeftButton)


def test_the_bodies_show_their_rules_in_words(view: BodiesPeopleView) -> None:
    assert shown_rows(view, "bodies") == [
        (
            "Advisory Council",
            "AC",
            "Council",
            12,
            "1/3 of voting members, and at least 3",
            "7 clear days",
            "At least once a term",
            True,
        ),
        (
            "Board of Directors",
            "B",
            "Board",
            7,
            "3 voting members present",
            "7 clear days",
            "At least 4 times a year",
            True,
        ),
        (
            "General meeting of members",
            "GM",
            "General meeting",
            0,
            "1/10 of voting members, and at least 2",
            "14 clear days",
            "At least once a year",
            True,
        ),
    ]
    assert view.people_count.text() == "20 people"


def test_council_members_show_their_school_phase_and_role(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView
) -> None:
    choose_body(qtbot, view, "Advisory Council")
    rows = {row[0]: row for row in shown_rows(view, "members")}
    assert len(rows) == 12
    assert rows["Ms Lucy Gomes"][1:9] == (
        "Member",
        "Phoenix School",
        "Special",
        "Head teacher",
        "Elected by the member schools",
        date(2025, 9, 1),
        date(2027, 8, 31),
        "",
    )
    assert rows["Mr Kevin Walsh"][4] == "Governor"
    assert "12 members, 12 voting" in view.members_label.text()


def test_someone_appointed_from_the_view_is_then_among_the_members(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, services: Services, opened: list[QDialog]
) -> None:
    choose_body(qtbot, view, "Board of Directors")
    assert "Ms Amina Rahman" not in member_names(view)
    click(qtbot, view, view.appoint_action)
    form = opened[-1]
    assert isinstance(form, AppointmentEditor)
    assert form.body.currentText() == "Board of Directors"
    assert form.capacity.currentText() == "Director"
    pick(qtbot, form.person, "amina", "Ms Amina Rahman (Bow School)")
    typed(qtbot, form.starts_on, "01/09/2026")
    typed(qtbot, form.term_years, "2")
    push(qtbot, form.fill_term)
    assert form.term_ends_on.text() == "31/08/2028"
    press(qtbot, form.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not form.isVisible()
    assert "Ms Amina Rahman" in member_names(view)
    assert view.chosen_member().person_name == "Ms Amina Rahman"
    assert "8 members, 8 voting" in view.members_label.text()
    people = {row[0]: row for row in shown_rows(view, "people")}
    assert people["Amina Rahman"][2] == "Member, Advisory Council; Director, Board of Directors"


def test_a_second_overlapping_appointment_is_refused_in_the_services_words(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, opened: list[QDialog], sqlite_db: Database
) -> None:
    choose_body(qtbot, view, "Advisory Council")
    before = governance_state(sqlite_db)
    view.pages.setCurrentIndex(1)
    typed(qtbot, view.search, "jason")
    assert view.people_count.text() == "1 of 20 people"
    view.people_table.setFocus()
    click(qtbot, view, view.appoint_action)
    form = opened[-1]
    assert isinstance(form, AppointmentEditor)
    assert form.person.currentText() == "Mr Jason Reid (Morpeth School)"
    assert form.body.currentText() == "Advisory Council"
    typed(qtbot, form.starts_on, "01/01/2026")
    typed(qtbot, form.notes, "Re-elected early")
    push(qtbot, button(form, "Save"))

    assert form.isVisible()
    assert form.messages.message("starts_on") == (
        "Mr Jason Reid is already appointed to Advisory Council from 01/09/2025 with no end "
        "date; one person holds one seat on a body at a time. End or change that "
        "appointment first."
    )
    assert form.starts_on.text() == "01/01/2026"
    assert form.notes.toPlainText() == "Re-elected early"
    assert governance_state(sqlite_db) == before


def test_a_resignation_gives_the_date_ceased_and_the_member_leaves(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, services: Services, opened: list[QDialog]
) -> None:
    choose_body(qtbot, view, "Board of Directors")
    view.members_table.setFocus()
    view.members_table.selectRow(member_names(view).index("Ms Priya Chaudhry"))
    click(qtbot, view, view.end_appointment_action)
    form = opened[-1]
    assert isinstance(form, EndAppointmentDialog)
    assert form.why_ended.currentText() == "Resigned"
    typed(qtbot, form.ends_on, "30/11/2026")
    push(qtbot, button(form, "Save"))

    assert "Ms Priya Chaudhry" not in member_names(view)
    assert "6 members, 6 voting" in view.members_label.text()
    qtbot.mouseClick(view.show_former, Qt.MouseButton.LeftButton)
    rows = {row[0]: row for row in shown_rows(view, "members")}
    assert rows["Ms Priya Chaudhry"][8] == "30/11/2026 (Resigned)"
    assert rows["Mr Simon Hale"][8] == "30/06/2025 (Resigned)"
    assert "2 former members below them" in view.members_label.text()
    (ended,) = [
        a
        for a in services.governance_people.appointments(services.actor, view.body_id())
        if a.person_name == "Ms Priya Chaudhry"
    ]
    assert ended.ends_on == date(2026, 11, 30) and ended.why_ended is WhyEnded.RESIGNED


def test_the_members_as_at_an_earlier_date(qtbot, view: BodiesPeopleView) -> None:  # type: ignore[no-untyped-def]
    choose_body(qtbot, view, "Board of Directors")
    assert len(member_names(view)) == 7 and "Mr Simon Hale" not in member_names(view)

    typed(qtbot, view.as_at, "1/3/25")
    qtbot.keyClick(view.as_at, Qt.Key.Key_Return)
    assert view.as_at.text() == "01/03/2025"
    # Before the AGM of December 2025, and before Simon Hale resigned in June 2025.
    assert sorted(member_names(view)) == [
        "Dr Helen Whitmore",
        "Mr Gareth Pryce",
        "Mr Simon Hale",
        "Mr Tunde Adeyemi",
        "Ms Clare Donnelly",
        "Ms Priya Chaudhry",
    ]
    assert "on 01/03/2025: 6 members, 6 voting" in view.members_label.text()

    typed(qtbot, view.as_at, "31/02/2025")
    qtbot.keyClick(view.as_at, Qt.Key.Key_Return)
    assert view.as_at_message.isVisible()
    assert member_names(view) == []


def test_a_body_with_appointments_is_retired_instead_of_deleted(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, services: Services, modals, sqlite_db: Database
) -> None:
    choose_body(qtbot, view, "Advisory Council")
    modals.click("Delete").click("Retire")
    menu_entry(view, "Delete body…").trigger()
    modals.wait_answered()
    assert modals.seen[1].text == (
        "Advisory Council has 12 appointments on record, so it stays for their history. "
        "Untick Active to retire it instead.\n\nRetire it now?"
    )
    council = services.governing_bodies.find_body(services.actor, "AC")
    assert not council.active
    assert ("Advisory Council", False) in [(r[0], r[7]) for r in shown_rows(view, "bodies")]


def test_the_usual_bodies_are_added_from_the_empty_view(  # type: ignore[no-untyped-def]
    qtbot, services: Services, opened: list[QDialog]
) -> None:
    view = view_of(qtbot, services, opened)
    assert view.empty.isVisible() and shown_rows(view, "bodies") == []
    with qtbot.waitSignal(view.status_message) as said:
        push(qtbot, view.usual_button)
    assert said.args[0].startswith("3 bodies added")
    assert [row[1] for row in shown_rows(view, "bodies")] == ["AC", "B", "GM"]
    assert not view.empty.isVisible()


def test_a_new_body_and_a_new_person_from_the_toolbar(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, opened: list[QDialog]
) -> None:
    click(qtbot, view, view.new_body_action)
    form = opened[-1]
    assert isinstance(form, BodyEditor)
    typed(qtbot, form.name, "Finance Committee")
    typed(qtbot, form.code, "F")
    with qtbot.waitSignal(view.changed):
        push(qtbot, button(form, "Save"))
    assert view.body().name == "Finance Committee"

    click(qtbot, view, view.new_person_action)
    person = opened[-1]
    assert isinstance(person, PersonEditor)
    typed(qtbot, person.full_name, "Grace Mensah")
    push(qtbot, button(person, "Save"))
    assert view.person().full_name == "Grace Mensah"
    assert view.pages.currentIndex() == 1


def test_select_person_shows_them_even_when_a_search_hides_them(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, office: Office
) -> None:
    view.pages.setCurrentIndex(1)
    typed(qtbot, view.search, "Bow School")
    view.select_person(office.people["Helen Whitmore"])
    assert view.search.text() == ""
    assert view.person().full_name == "Helen Whitmore"
    assert view.people_table.hasFocus()


def test_a_member_of_staff_may_look_but_not_change(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db: Database, office: Office, opened: list[QDialog]
) -> None:
    staff = Services(sqlite_db, Actor("sam.staff", Role.STAFF))
    view = view_of(qtbot, staff, opened)
    choose_body(qtbot, view, "Board of Directors")
    for action in view.menu_actions():
        if not action.isSeparator():
            assert action.isEnabled() == (action is view.history_action), action.text()

    qtbot.keyClick(view.bodies_table, Qt.Key.Key_Return)  # Enter: the body, to read
    form = opened[-1]
    assert isinstance(form, BodyEditor)
    assert form.name.isReadOnly() and not form.kind.isEnabled()
    assert [b.text() for b in form.buttons.buttons()] == ["Close"]

    view.pages.setCurrentIndex(1)
    typed(qtbot, view.search, "Tunde")
    qtbot.keyClick(view.people_table, Qt.Key.Key_Return)
    person = opened[-1]
    assert isinstance(person, PersonEditor)
    assert person.full_name.isReadOnly() and not person.school.isEnabled()
    assert not person.appoint_button.isVisible() and not person.end_button.isVisible()
    assert [b.text() for b in person.buttons.buttons()] == ["Close"]
    qtbot.keyClick(person.appointments, Qt.Key.Key_Return)  # the appointment, to read
    appointment = opened[-1]
    assert isinstance(appointment, AppointmentEditor)
    assert appointment.starts_on.isReadOnly() and not appointment.fill_term.isVisible()
    assert [b.text() for b in appointment.buttons.buttons()] == ["Close"]


def test_ctrl_h_shows_the_history_of_the_record_in_the_list_last_used(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, opened: list[QDialog]
) -> None:
    choose_body(qtbot, view, "Board of Directors")
    view.members_table.setFocus()
    view.members_table.selectRow(member_names(view).index("Dr Helen Whitmore"))
    press(qtbot, view.members_table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = opened[-1]
    assert isinstance(history, HistoryDialog)
    assert history.windowTitle() == (
        "History – Appointment of Dr Helen Whitmore to Board of Directors"
    )
    assert [entry.action_words for entry in history.entries] == ["Created"]

    view.pages.setCurrentIndex(1)
    typed(qtbot, view.search, "Simon")
    press(qtbot, view.people_table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = opened[-1]
    assert history.windowTitle() == "History – Mr Simon Hale"
    assert len(history.entries) == 3  # added; appointed; the appointment ended


def test_an_appointment_entered_in_error_is_deleted_after_asking(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, services: Services, modals, sqlite_db: Database
) -> None:
    choose_body(qtbot, view, "Advisory Council")
    view.members_table.setFocus()
    view.members_table.selectRow(member_names(view).index("Mr Kevin Walsh"))
    before = governance_state(sqlite_db)
    modals.click("Cancel")
    press(qtbot, view.members_table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert governance_state(sqlite_db) == before

    modals.click("Delete")
    menu_entry(view, "Delete appointment…").trigger()
    modals.wait_answered()
    assert modals.seen[-1].text.startswith(
        "Delete the appointment of Mr Kevin Walsh to Advisory Council (from 01/09/2025, "
        "term ends 31/08/2027)?"
    )
    assert "Mr Kevin Walsh" not in member_names(view)
    assert "11 members, 11 voting" in view.members_label.text()
    people = {row[0]: row for row in shown_rows(view, "people")}
    assert people["Kevin Walsh"][2] == ""


def test_a_person_with_a_record_of_service_is_not_deleted(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, modals, sqlite_db: Database
) -> None:
    view.pages.setCurrentIndex(1)
    typed(qtbot, view.search, "Simon Hale")
    view.people_table.setFocus()
    before = governance_state(sqlite_db)
    modals.click("Delete").click("OK")
    menu_entry(view, "Delete person…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "The person was not deleted"
    assert modals.seen[1].text == (
        "Mr Simon Hale has 1 appointment on record, so they stay in the records. End their "
        "appointments instead."
    )
    assert governance_state(sqlite_db) == before
    assert view.person().full_name == "Simon Hale"


def test_a_body_entered_in_error_is_deleted_and_one_changed_meanwhile_is_not(  # type: ignore[no-untyped-def]
    qtbot, view: BodiesPeopleView, services: Services, modals, sqlite_db: Database
) -> None:
    choose_body(qtbot, view, "General meeting of members")
    general = view.body()
    # Someone else changes it after it was listed: the delete is refused, no retiring offered.
    services.governing_bodies.save_body(
        services.actor,
        replace(general.as_input(), notes="Changed by the clerk"),
        general.id,
        general.version,
    )
    before = governance_state(sqlite_db)
    modals.click("Delete").click("OK")
    menu_entry(view, "Delete body…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "The body was not deleted"
    assert modals.seen[1].text.startswith("Someone else changed this body since you opened it")
    assert governance_state(sqlite_db) == before

    choose_body(qtbot, view, "General meeting of members")
    modals.click("Delete")
    menu_entry(view, "Delete body…").trigger()
    modals.wait_answered()
    assert [row[0] for row in shown_rows(view, "bodies")] == [
        "Advisory Council",
        "Board of Directors",
    ]


def test_the_members_table_model_keeps_qts_rules(  # type: ignore[no-untyped-def]
    qtbot, qtmodeltester, view: BodiesPeopleView
) -> None:
    choose_body(qtbot, view, "Board of Directors")
    qtbot.mouseClick(view.show_former, Qt.MouseButton.LeftButton)
    qtmodeltester.check(view.members_model)
    model = view.members_model
    grey = [
        model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
        for row in range(model.rowCount())
    ]
    assert grey == [False] * 7 + [True]  # Simon Hale, who resigned, last and in grey
