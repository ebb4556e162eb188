"""The person form: a council member with their school and role, a director's statutory
details, a year of birth or a school not in the list refused beside the field, nothing lost;
appointments made and ended from the person's own form."""

from __future__ import annotations

from datetime import date

import pytest
from people_ui_records import Office, governance_state, in_front, make_schools, pick, typed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, press, push

from thep_desktop.domain.governance import Capacity, HowAppointed, SchoolRole, WhyEnded
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.appointment_editor import AppointmentEditor, EndAppointmentDialog
from thep_desktop.ui.governance.person_editor import PersonEditor

pytestmark = pytest.mark.gui


def test_a_head_teacher_with_their_school_is_typed_in_and_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services
) -> None:
    schools = make_schools(services).schools
    form = in_front(qtbot, PersonEditor(services, None, None))
    assert form.appointments_note.text() == (
        "Save the person first; then appoint them to a body here."
    )
    assert not form.appoint_button.isEnabled()
    typed(qtbot, form.title_edit, "Ms")
    typed(qtbot, form.full_name, "Amina Rahman")
    typed(qtbot, form.email, "a.rahman@bow.towerhamlets.sch.uk")
    pick(qtbot, form.school, "bow sch", "Bow School (Secondary)")
    form.school_role.setFocus()
    qtbot.keyClicks(form.school_role, "Head")
    with qtbot.waitSignal(form.saved) as signal:
        press(qtbot, form.email, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.governance_people.get_person(services.actor, signal.args[0].id)
    assert saved.name == "Ms Amina Rahman"
    assert saved.school_id == schools["Bow School"] and saved.school_name == "Bow School"
    assert saved.school_role is SchoolRole.HEAD_TEACHER
    assert saved.email == "a.rahman@bow.towerhamlets.sch.uk"
    assert not form.isVisible()


def test_a_directors_statutory_details_are_kept(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    form = in_front(qtbot, PersonEditor(services, None, None))
    typed(qtbot, form.full_name, "Tunde Adeyemi")
    typed(qtbot, form.service_address, "1 Mile End Road, London E1 4TT")
    typed(qtbot, form.former_names, "Babatunde Adeyemi-Cole")
    typed(qtbot, form.occupation, "Chartered accountant")
    typed(qtbot, form.nationality, "British")
    typed(qtbot, form.country, "United Kingdom")
    form.birth_month.setFocus()
    qtbot.keyClicks(form.birth_month, "July")
    typed(qtbot, form.birth_year, "1969")
    push(qtbot, button(form, "Save"))

    (saved,) = services.governance_people.list_people(services.actor, "Tunde")
    assert saved.service_address == "1 Mile End Road, London E1 4TT"
    assert saved.former_names == "Babatunde Adeyemi-Cole"
    assert (saved.occupation, saved.nationality, saved.country_of_residence) == (
        "Chartered accountant",
        "British",
        "United Kingdom",
    )
    assert saved.born_label == "July 1969"


def test_a_year_of_birth_or_a_school_that_cannot_be_read_is_refused_and_kept(  # type: ignore[no-untyped-def]
    qtbot, services: Services, sqlite_db
) -> None:
    make_schools(services)
    before = governance_state(sqlite_db)
    form = in_front(qtbot, PersonEditor(services, None, None))
    typed(qtbot, form.full_name, "Kevin Walsh")
    typed(qtbot, form.birth_year, "69")
    typed(qtbot, form.school.lineEdit(), "Langdon Park Sixth Form")
    push(qtbot, button(form, "Save"))

    assert form.isVisible()
    assert form.messages.message("birth_year") == (
        "Type the year of birth as four digits, e.g. 1968."
    )
    assert form.messages.message("school_id") == (
        "“Langdon Park Sixth Form” is not in the list: choose the school from it."
    )
    assert form.birth_year.text() == "69" and form.full_name.text() == "Kevin Walsh"

    # The service's own words: a governor needs their school.
    typed(qtbot, form.birth_year, "1969")
    typed(qtbot, form.school.lineEdit(), "")
    form.school_role.setFocus()
    qtbot.keyClicks(form.school_role, "Governor")
    push(qtbot, button(form, "Save"))
    assert form.messages.message("school_id") == (
        "Choose the school where they are a head teacher or governor."
    )
    assert form.messages.message("birth_year") == ""
    assert governance_state(sqlite_db) == before


def test_a_person_is_appointed_and_resigns_from_their_own_form(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office: Office
) -> None:
    shown: list[QDialog] = []
    form = in_front(qtbot, PersonEditor(services, office.people["Amina Rahman"], None))
    form.run_dialog = lambda dialog: (shown.append(dialog), in_front(qtbot, dialog))  # type: ignore[method-assign]
    assert form.appointments_note.text() == "1 in office today, 1 in all."

    push(qtbot, form.appoint_button)
    appointment = shown[-1]
    assert isinstance(appointment, AppointmentEditor)
    assert appointment.person.currentText() == "Ms Amina Rahman (Bow School)"
    appointment.body.setFocus()
    qtbot.keyClicks(appointment.body, "Board")
    assert appointment.capacity.currentText() == "Director"
    typed(qtbot, appointment.starts_on, "9/12/25")
    push(qtbot, appointment.fill_term)
    assert appointment.term_ends_on.text() == "08/12/2028"
    push(qtbot, button(appointment, "Save"))
    assert form.appointments_model.rowCount() == 2

    board = next(
        row
        for row in range(form.appointments_model.rowCount())
        if form.appointments_model.row_values(row)[0] == "Board of Directors"
    )
    form.appointments.selectRow(board)
    push(qtbot, form.end_button)
    ending = shown[-1]
    assert isinstance(ending, EndAppointmentDialog)
    assert ending.why_ended.currentText() == "Resigned"
    typed(qtbot, ending.ends_on, "31/03/2026")
    push(qtbot, button(ending, "Save"))

    (director,) = [
        a
        for a in services.governance_people.get_person(
            services.actor, office.people["Amina Rahman"]
        ).appointments
        if a.body_name == "Board of Directors"
    ]
    assert (director.capacity, director.how_appointed) == (
        Capacity.DIRECTOR,
        HowAppointed.ELECTED_AT_AGM,
    )
    assert director.starts_on == date(2025, 12, 9) and director.term_ends_on == date(2028, 12, 8)
    assert director.ends_on == date(2026, 3, 31) and director.why_ended is WhyEnded.RESIGNED
    assert form.appointments_model.row_values(board)[5] == "31/03/2026 (Resigned)"
