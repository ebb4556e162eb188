"""A person who sits on a body: their contact details, their school and role there, the
register of directors' statutory details, and their appointments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.governance import SchoolRole
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    PersonDetail,
    PersonInput,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.governance.appointment_editor import chosen_in
from thep_desktop.ui.governance.governance_forms import GovernanceForm
from thep_desktop.ui.governance.people_tables import (
    APPOINTMENT_COLUMNS,
    appointment_rows,
    record_at,
)
from thep_desktop.ui.shared.forms import (
    push_button,
    searchable_combo,
)
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainTableModel
from thep_desktop.ui.shared.questions import tell
from thep_desktop.ui.shared.record_forms import RecordForm

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def school_label(name: str, phase: str) -> str:
    return f"{name} ({phase})" if phase else name


class PersonEditor(GovernanceForm):
    """``PersonEditor(services, None, parent)``: a new person; with an id, that person and
    their appointments (Appoint… and End… open the appointment forms).

    ``saved(PersonDetail)`` is emitted once the person is saved; ``appointments_changed()``
    after an appointment is made, changed or ended here.
    """

    saved = Signal(object)
    appointments_changed = Signal()
    unsaved_what = "the person"

    def __init__(
        self, services: Services, person_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        actor = services.actor
        self.editable = actor.can(MANAGE_GOVERNANCE)
        self.tell = tell
        # Opens the appointment forms; tests replace it to drive a form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.detail: PersonDetail | None = (
            services.governance_people.get_person(actor, person_id)
            if person_id is not None
            else None
        )
        self.schools = services.governance_people.school_choices(actor)
        self.setObjectName("person_editor")
        self.setWindowTitle(f"Person – {self.detail.name}" if self.detail else "New person")
        self.resize(960, 700)
        self._build()
        self._show(self.detail.as_input() if self.detail else PersonInput(""))
        self._show_appointments()
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer, _none = self.start_form(fields=False)
        top = QHBoxLayout()
        outer.addLayout(top)

        contact = QGroupBox("Person")
        left = QFormLayout(contact)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText("e.g. Ms, Dr")
        self.title_edit.setMaxLength(30)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.full_name.setPlaceholderText("First name and surname")
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.school = searchable_combo("Type part of the school's name", 260)
        self.school.setObjectName("school")
        self.school.addItem("", None)
        for school_id, name, phase in self.schools:
            self.school.addItem(school_label(name, phase), school_id)
        self.school_role = QComboBox()
        self.school_role.setObjectName("school_role")
        for role in SchoolRole:
            self.school_role.addItem(role.label, role.value)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(70)
        for field, label, widget in (
            ("title", "T&itle", self.title_edit),
            ("full_name", "&Full name", self.full_name),
            ("email", "&Email", self.email),
            ("phone", "&Telephone", self.phone),
            ("school_id", "Sc&hool", self.school),
            ("school_role", "&Role at the school", self.school_role),
            ("notes", "N&otes", self.notes),
        ):
            self.messages.add_row(left, field, label, widget)
        top.addWidget(contact, 1)

        register = QGroupBox("Register of directors (statutory details)")
        right = QFormLayout(register)
        self.service_address = QPlainTextEdit()
        self.service_address.setObjectName("service_address")
        self.service_address.setMaximumHeight(70)
        self.service_address.setToolTip(
            "The address on the public register; it may be the company's office"
        )
        self.former_names = QLineEdit()
        self.former_names.setObjectName("former_names")
        self.occupation = QLineEdit()
        self.occupation.setObjectName("occupation")
        self.nationality = QLineEdit()
        self.nationality.setObjectName("nationality")
        self.country = QLineEdit()
        self.country.setObjectName("country_of_residence")
        self.country.setPlaceholderText("e.g. United Kingdom")
        born = QWidget()
        line = QHBoxLayout(born)
        line.setContentsMargins(0, 0, 0, 0)
        self.birth_month = QComboBox()
        self.birth_month.setObjectName("birth_month")
        self.birth_month.addItem("", None)
        for number, month in enumerate(MONTHS, start=1):
            self.birth_month.addItem(month, number)
        self.birth_year = QLineEdit()
        self.birth_year.setObjectName("birth_year")
        self.birth_year.setPlaceholderText("yyyy")
        self.birth_year.setMaxLength(4)
        self.birth_year.setMaximumWidth(70)
        line.addWidget(self.birth_month, 1)
        line.addWidget(self.birth_year)
        note = QLabel("Only the month and year of birth are kept, as the public register shows.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        statutory: tuple[tuple[str, str, QWidget], ...] = (
            ("service_address", "Service &address", self.service_address),
            ("former_names", "Former &names", self.former_names),
            ("occupation", "Occ&upation", self.occupation),
            ("nationality", "Nationa&lity", self.nationality),
            ("country_of_residence", "Countr&y of residence", self.country),
            ("birth_year", "&Born (month, year)", born),
        )
        for field, label, holder in statutory:
            shown = self.messages.add_row(right, field, label, holder)
        # A refusal of the month shows under the month and year's row.
        self.messages.register("birth_month", self.birth_month, shown)
        right.addRow("", note)
        top.addWidget(register, 1)

        appointments = QGroupBox("Appointments")
        column = QVBoxLayout(appointments)
        self.appointments_note = QLabel()
        self.appointments_note.setObjectName("appointments_note")
        column.addWidget(self.appointments_note)
        self.appointments_model = PlainTableModel(APPOINTMENT_COLUMNS, parent=self)
        self.appointments = list_view("person_appointments", self.appointments_model)
        self.appointments.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.appointments, 1)
        row = QHBoxLayout()
        self.appoint_button = push_button(
            "A&ppoint…", self.appoint, "Appoint them to a body (a new seat, or a new term)"
        )
        self.edit_appointment_button = push_button(
            "Edit appoint&ment…", self.edit_appointment, "Change the chosen appointment"
        )
        self.end_button = push_button(
            "En&d appointment…",
            self.end_appointment,
            "They resigned or their term ended: the date ceased and why",
        )
        for button in (self.appoint_button, self.edit_appointment_button, self.end_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        outer.addWidget(appointments, 1)

        self.end_form(outer, "the person", stretch=False)
        self.appointments.activated.connect(lambda _i: self.edit_appointment())
        self.appointments.selectionModel().currentRowChanged.connect(
            lambda *_a: self._update_buttons()
        )
        if not self.editable:
            for edit in (
                self.title_edit,
                self.full_name,
                self.email,
                self.phone,
                self.former_names,
                self.occupation,
                self.nationality,
                self.country,
                self.birth_year,
            ):
                edit.setReadOnly(True)
            for text in (self.notes, self.service_address):
                text.setReadOnly(True)
            for widget in (self.school, self.school_role, self.birth_month):
                widget.setEnabled(False)
            for button in (self.appoint_button, self.edit_appointment_button, self.end_button):
                button.hide()

    # -- showing ----------------------------------------------------------------------------
    def _show(self, data: PersonInput) -> None:
        self.title_edit.setText(data.title)
        self.full_name.setText(data.full_name)
        self.email.setText(data.email)
        self.phone.setText(data.phone)
        found = self.school.findData(data.school_id) if data.school_id is not None else 0
        if found < 0 and self.detail is not None:
            # A school closed since: still theirs, though no longer offered to others.
            self.school.addItem(
                school_label(self.detail.school_name, self.detail.school_phase), data.school_id
            )
            found = self.school.count() - 1
        self.school.setCurrentIndex(max(found, 0))
        role = data.school_role if isinstance(data.school_role, SchoolRole) else SchoolRole.NONE
        self.school_role.setCurrentIndex(self.school_role.findData(role.value))
        self.service_address.setPlainText(data.service_address)
        self.former_names.setText(data.former_names)
        self.occupation.setText(data.occupation)
        self.nationality.setText(data.nationality)
        self.country.setText(data.country_of_residence)
        self.birth_month.setCurrentIndex(
            max(self.birth_month.findData(data.birth_month), 0) if data.birth_month else 0
        )
        self.birth_year.setText(str(data.birth_year) if data.birth_year else "")
        self.notes.setPlainText(data.notes)

    def _show_appointments(self) -> None:
        detail = self.detail
        records = list(detail.appointments) if detail else []
        self.appointments_model.set_rows(appointment_rows(records))
        self.appointments.resizeColumnsToContents()
        if detail is None:
            self.appointments_note.setText(
                "Save the person first; then appoint them to a body here."
            )
        else:
            today = detail.roles_on(date.today())
            self.appointments_note.setText(
                f"{len(today)} in office today, {len(records)} in all."
                if records
                else "Not appointed to any body yet."
            )
        if records:
            self.appointments.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.chosen_appointment()
        self.appoint_button.setEnabled(self.detail is not None)
        self.edit_appointment_button.setEnabled(chosen is not None)
        self.end_button.setEnabled(chosen is not None)

    def chosen_appointment(self) -> AppointmentDetail | None:
        index = self.appointments.currentIndex()
        if not index.isValid():
            return None
        return record_at(self.appointments_model, index.row())  # type: ignore[no-any-return]

    # -- appointments -----------------------------------------------------------------------
    def appoint(self) -> None:
        if self.detail is None or not self.editable:
            return
        from thep_desktop.ui.governance.appointment_editor import AppointmentEditor

        person_id = self.detail.id
        self._run(lambda: AppointmentEditor(self.services, None, self, person_id=person_id))

    def edit_appointment(self) -> None:
        chosen = self.chosen_appointment()
        if chosen is None:
            return
        from thep_desktop.ui.governance.appointment_editor import AppointmentEditor

        self._run(lambda: AppointmentEditor(self.services, chosen.id, self))

    def end_appointment(self) -> None:
        chosen = self.chosen_appointment()
        if chosen is None or not self.editable:
            return
        from thep_desktop.ui.governance.appointment_editor import EndAppointmentDialog

        self._run(lambda: EndAppointmentDialog(self.services, chosen, self))

    def _run(self, make: Callable[[], RecordForm]) -> None:
        try:
            form = make()
        except ServiceError as exc:
            self.tell(self, "Cannot open the appointment", exc.message)
            return
        form.ask = self.ask
        form.saved.connect(lambda _saved: self._appointment_saved())  # type: ignore[attr-defined]
        self.run_dialog(form)

    def _appointment_saved(self) -> None:
        """The appointments read again; what is typed in the person's fields stays."""
        assert self.detail is not None
        try:
            fresh = self.services.governance_people.get_person(self.services.actor, self.detail.id)
        except ServiceError as exc:
            self.tell(self, "Cannot read the appointments", exc.message)
            return
        # Only the appointments are taken: the person as opened stays the one this form
        # saves over, so a change someone else made to them meanwhile is still noticed.
        self.detail = replace(self.detail, appointments=fresh.appointments)
        self._show_appointments()
        self.appointments_changed.emit()

    # -- saving -----------------------------------------------------------------------------
    def person_input(self) -> tuple[PersonInput | None, dict[str, str]]:
        """What is typed as the service takes it, and what cannot be read, in words."""
        problems: dict[str, str] = {}
        school = chosen_in(self.school, "school")
        if isinstance(school, str):
            problems["school_id"] = school
        year_text = self.birth_year.text().strip()
        year: int | None = None
        if year_text:
            if year_text.isdigit() and len(year_text) == 4:
                year = int(year_text)
            else:
                problems["birth_year"] = "Type the year of birth as four digits, e.g. 1968."
        if problems:
            return None, problems
        month = self.birth_month.currentData()
        return (
            PersonInput(
                full_name=self.full_name.text(),
                title=self.title_edit.text(),
                email=self.email.text(),
                phone=self.phone.text(),
                service_address=self.service_address.toPlainText(),
                school_id=school if isinstance(school, int) else None,
                school_role=SchoolRole(self.school_role.currentData()),
                former_names=self.former_names.text(),
                occupation=self.occupation.text(),
                nationality=self.nationality.text(),
                country_of_residence=self.country.text(),
                birth_month=month if isinstance(month, int) else None,
                birth_year=year,
                notes=self.notes.toPlainText(),
            ),
            problems,
        )

    def state(self) -> tuple[object, ...]:
        return (
            self.title_edit.text(),
            self.full_name.text(),
            self.email.text(),
            self.phone.text(),
            self.school.currentText(),
            self.school_role.currentText(),
            self.service_address.toPlainText(),
            self.former_names.text(),
            self.occupation.text(),
            self.nationality.text(),
            self.country.text(),
            self.birth_month.currentText(),
            self.birth_year.text(),
            self.notes.toPlainText(),
        )

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, or the reasons shown beside the fields."""
        actor = self.services.actor
        return self.save_typed(
            self.person_input(),
            lambda data, found, version: self.services.governance_people.save_person(
                actor, data, found, version
            ),
        )
