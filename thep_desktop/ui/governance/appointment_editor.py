"""A person's seat on a body (capacity, how appointed, term, date ceased), and the small form
that ends one: a resignation, or a term that ran out."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.governance import BodyKind, Capacity, HowAppointed, WhyEnded
from thep_desktop.services.governance.governance_data import (
    AppointmentDetail,
    AppointmentInput,
    BodyDetail,
    PersonDetail,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.governance_forms import GovernanceForm
from thep_desktop.ui.shared.forms import (
    date_field,
    push_button,
    searchable_combo,
)

# How someone usually joins each kind of body, and in what capacity.
USUAL_SEAT: dict[BodyKind, tuple[Capacity, HowAppointed]] = {
    BodyKind.BOARD: (Capacity.DIRECTOR, HowAppointed.ELECTED_AT_AGM),
    BodyKind.ADVISORY_COUNCIL: (Capacity.MEMBER, HowAppointed.ELECTED_BY_MEMBERS),
    BodyKind.GENERAL_MEETING: (Capacity.MEMBER, HowAppointed.EX_OFFICIO),
    BodyKind.COMMITTEE: (Capacity.MEMBER, HowAppointed.APPOINTED_BY_BOARD),
}


def typed_date(text: str) -> date | None | str:
    """A date typed as dd/mm/yyyy: the date, None when blank, or what is wrong in words."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        return str(exc)


def term_end(starts_on: date, years: int) -> date:
    """The last day of a term of ``years`` from ``starts_on`` (01/09/2024, 3: 31/08/2027)."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February, in a year without one
        anniversary = date(starts_on.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def person_label(person: PersonDetail) -> str:
    return f"{person.name} ({person.school_name})" if person.school_name else person.name


def find_appointment(services: Services, appointment_id: int) -> AppointmentDetail:
    """An appointment read afresh (NotFoundError in words when it is gone)."""
    return services.governance_people.get_appointment(services.actor, appointment_id)


def chosen_in(combo: QComboBox, what: str) -> int | str | None:
    """The id chosen in a searchable combo, None when blank, or words when what is typed is
    not one of its entries."""
    typed = combo.currentText().strip()
    if not typed:
        return None
    found = combo.findText(typed)
    if found < 0:
        return f"“{typed}” is not in the list: choose the {what} from it."
    value = combo.itemData(found)
    return value if isinstance(value, int) else None


class AppointmentEditor(GovernanceForm):
    """``AppointmentEditor(services, None, parent, person_id=…, body_id=…)``: a new
    appointment (of that person, to that body, when given); with an id, that appointment.

    ``saved(AppointmentDetail)`` is emitted once it is saved.
    """

    saved = Signal(object)
    unsaved_what = "the appointment"

    def __init__(
        self,
        services: Services,
        appointment_id: int | None,
        parent: QWidget | None = None,
        person_id: int | None = None,
        body_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        actor = services.actor
        self.editable = actor.can(MANAGE_GOVERNANCE)
        self.detail: AppointmentDetail | None = (
            find_appointment(services, appointment_id) if appointment_id is not None else None
        )
        self.people: list[PersonDetail] = services.governance_people.list_people(actor)
        wanted_body = self.detail.body_id if self.detail else body_id
        self.bodies: list[BodyDetail] = [
            b
            for b in services.governing_bodies.list_bodies(actor)
            if b.active or b.id == wanted_body
        ]
        self.setObjectName("appointment_editor")
        self.setWindowTitle(
            f"Appointment – {self.detail.person_name}, {self.detail.body_name}"
            if self.detail
            else "Appoint to a body"
        )
        self.resize(600, 420)
        self._build()
        if self.detail is not None:
            self._show(self.detail.as_input())
        else:
            self._show_new(person_id, body_id)
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer, form = self.start_form()
        assert form is not None
        self.person = searchable_combo("Type part of the person's name")
        self.person.setObjectName("person")
        self.person.addItem("", None)
        for person in sorted(self.people, key=lambda p: p.full_name.casefold()):
            self.person.addItem(person_label(person), person.id)
        self.body = QComboBox()
        self.body.setObjectName("body")
        self.body.addItem("", None)
        for body in self.bodies:
            self.body.addItem(body.name, body.id)
        self.capacity = QComboBox()
        self.capacity.setObjectName("capacity")
        for capacity in Capacity:
            self.capacity.addItem(capacity.label, capacity.value)
        self.how = QComboBox()
        self.how.setObjectName("how_appointed")
        for how in HowAppointed:
            self.how.addItem(how.label, how.value)
        self.starts_on = date_field(hint="The first day in office")
        self.starts_on.setObjectName("starts_on")
        self.starts_on.setMaximumWidth(140)
        term = QWidget()
        line = QHBoxLayout(term)
        line.setContentsMargins(0, 0, 0, 0)
        self.term_ends_on = date_field(hint="The day the term of office ends")
        self.term_ends_on.setObjectName("term_ends_on")
        self.term_ends_on.setMaximumWidth(140)
        self.term_years = QSpinBox()
        self.term_years.setObjectName("term_years")
        self.term_years.setRange(1, 10)
        self.term_years.setValue(3)
        self.term_years.setPrefix("a term of ")
        self.term_years.setSuffix(" years")
        self.fill_term = push_button(
            "F&ill", self.fill_term_end, "The term's last day from the start date and the years"
        )
        self.fill_term.setAutoDefault(False)
        line.addWidget(self.term_ends_on)
        line.addWidget(self.term_years)
        line.addWidget(self.fill_term)
        line.addStretch(1)
        self.ends_on = date_field(hint="The day they ceased to hold office")
        self.ends_on.setObjectName("ends_on")
        self.ends_on.setMaximumWidth(140)
        self.ends_on.setToolTip(
            "The day they ceased to hold office: from that day they are no longer a member. "
            "Type it as dd/mm/yyyy."
        )
        self.why_ended = QComboBox()
        self.why_ended.setObjectName("why_ended")
        self.why_ended.addItem("", None)
        for why in WhyEnded:
            self.why_ended.addItem(why.label, why.value)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(70)
        rows: list[tuple[str, str, QWidget]] = [
            ("person_id", "&Person", self.person),
            ("body_id", "&Body", self.body),
            ("capacity", "C&apacity", self.capacity),
            ("how_appointed", "&How appointed", self.how),
            ("starts_on", "&From", self.starts_on),
            ("term_ends_on", "&Term ends", term),
        ]
        if self.detail is not None:
            rows += [
                ("ends_on", "&Date ceased", self.ends_on),
                ("why_ended", "&Why", self.why_ended),
            ]
        else:
            self.ends_on.hide()
            self.why_ended.hide()
        rows.append(("notes", "N&otes", self.notes))
        for field, label, widget in rows:
            self.messages.add_row(form, field, label, widget)
        self.end_form(outer, "the appointment")
        self.body.currentIndexChanged.connect(lambda _i: self._body_changed())
        if not self.editable:
            for edit in (self.starts_on, self.term_ends_on, self.ends_on):
                edit.setReadOnly(True)
            self.notes.setReadOnly(True)
            for widget in (self.person, self.body, self.capacity, self.how, self.why_ended):
                widget.setEnabled(False)
            self.term_years.hide()
            self.fill_term.hide()

    # -- showing ----------------------------------------------------------------------------
    def _show(self, data: AppointmentInput) -> None:
        self.person.setCurrentIndex(max(self.person.findData(data.person_id), 0))
        self.body.blockSignals(True)
        self.body.setCurrentIndex(max(self.body.findData(data.body_id), 0))
        self.body.blockSignals(False)
        self.capacity.setCurrentIndex(self.capacity.findData(data.capacity.value))
        self.how.setCurrentIndex(self.how.findData(data.how_appointed.value))
        self.starts_on.setText(format_date(data.starts_on))
        self.term_ends_on.setText(format_date(data.term_ends_on) if data.term_ends_on else "")
        self.ends_on.setText(format_date(data.ends_on) if data.ends_on else "")
        why = data.why_ended.value if data.why_ended is not None else None
        self.why_ended.setCurrentIndex(max(self.why_ended.findData(why), 0))
        self.notes.setPlainText(data.notes)

    def _show_new(self, person_id: int | None, body_id: int | None) -> None:
        if person_id is not None:
            self.person.setCurrentIndex(max(self.person.findData(person_id), 0))
        self.starts_on.setText(format_date(date.today()))
        if body_id is not None:
            self.body.setCurrentIndex(max(self.body.findData(body_id), 0))
        self._body_changed()

    def _body_changed(self) -> None:
        """A new appointment takes the body's usual capacity and way of appointing."""
        if self.detail is not None:
            return
        body = next((b for b in self.bodies if b.id == self.body.currentData()), None)
        if body is None:
            return
        capacity, how = USUAL_SEAT[body.kind]
        self.capacity.setCurrentIndex(self.capacity.findData(capacity.value))
        self.how.setCurrentIndex(self.how.findData(how.value))

    def fill_term_end(self) -> None:
        """The term's last day, from the start date and the years chosen."""
        starts = typed_date(self.starts_on.text())
        if not isinstance(starts, date):
            self.messages.show({"starts_on": "Type the start date first (dd/mm/yyyy)."})
            return
        self.messages.clear()
        self.term_ends_on.setText(format_date(term_end(starts, self.term_years.value())))

    # -- saving -----------------------------------------------------------------------------
    def appointment_input(self) -> tuple[AppointmentInput | None, dict[str, str]]:
        """What is typed as the service takes it, and what cannot be read, in words."""
        problems: dict[str, str] = {}
        person = chosen_in(self.person, "person")
        if isinstance(person, str):
            problems["person_id"] = person
        elif person is None:
            problems["person_id"] = "Choose the person appointed."
        body = self.body.currentData()
        if not isinstance(body, int):
            problems["body_id"] = "Choose the body they are appointed to."
        days: dict[str, date | None] = {}
        for field, edit in (
            ("starts_on", self.starts_on),
            ("term_ends_on", self.term_ends_on),
            ("ends_on", self.ends_on),
        ):
            value = typed_date(edit.text())
            if isinstance(value, str):
                problems[field] = value
                days[field] = None
            else:
                days[field] = value
        if days["starts_on"] is None and "starts_on" not in problems:
            problems["starts_on"] = "Give the first day in office."
        if problems:
            return None, problems
        why = self.why_ended.currentData()
        assert isinstance(person, int) and isinstance(body, int)
        data = AppointmentInput(
            person_id=person,
            body_id=body,
            capacity=Capacity(self.capacity.currentData()),
            how_appointed=HowAppointed(self.how.currentData()),
            starts_on=days["starts_on"],  # type: ignore[arg-type]
            term_ends_on=days["term_ends_on"],
            ends_on=days["ends_on"],
            why_ended=WhyEnded(why) if why else None,
            notes=self.notes.toPlainText(),
        )
        return data, problems

    def state(self) -> tuple[object, ...]:
        return (
            self.person.currentText(),
            self.body.currentText(),
            self.capacity.currentText(),
            self.how.currentText(),
            self.starts_on.text(),
            self.term_ends_on.text(),
            self.ends_on.text(),
            self.why_ended.currentText(),
            self.notes.toPlainText(),
        )

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, or the reasons shown beside the fields."""
        actor = self.services.actor
        return self.save_typed(
            self.appointment_input(),
            lambda data, found, version: self.services.governance_people.save_appointment(
                actor, data, found, version
            ),
        )


class EndAppointmentDialog(GovernanceForm):
    """End an appointment: the date ceased (no longer in office from that day) and why;
    a resignation by default. ``saved(AppointmentDetail)`` once recorded."""

    saved = Signal(object)
    unsaved_what = "the end of the appointment"

    def __init__(
        self, services: Services, appointment: AppointmentDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.detail = appointment
        self.editable = services.actor.can(MANAGE_GOVERNANCE)
        self.setObjectName("end_appointment")
        self.setWindowTitle(f"End appointment – {appointment.person_name}")
        outer, form = self.start_form()
        assert form is not None
        intro = QLabel(
            f"{appointment.person_name}: {appointment.capacity.label}, {appointment.body_name}, "
            f"{appointment.period_label[0].lower()}{appointment.period_label[1:]}."
        )
        intro.setWordWrap(True)
        outer.insertWidget(0, intro)
        self.ends_on = date_field(
            format_date(appointment.ends_on or date.today()),
            "The day they ceased to hold office (from that day they are no longer a member)",
        )
        self.ends_on.setObjectName("ends_on")
        self.why_ended = QComboBox()
        self.why_ended.setObjectName("why_ended")
        for why in WhyEnded:
            self.why_ended.addItem(why.label, why.value)
        chosen = appointment.why_ended or WhyEnded.RESIGNED
        self.why_ended.setCurrentIndex(self.why_ended.findData(chosen.value))
        self.messages.add_row(form, "ends_on", "&Date ceased", self.ends_on)
        self.messages.add_row(form, "why_ended", "&Why", self.why_ended)
        self.end_form(outer, "the date ceased", stretch=False)
        self._initial = self.state()

    def state(self) -> tuple[str, str]:
        return (self.ends_on.text(), self.why_ended.currentText())

    def save(self) -> bool:
        """Record the end (Ctrl+S), or say beside the date why it cannot be."""
        ends_on = typed_date(self.ends_on.text())
        typed: tuple[date | None, dict[str, str]] = (
            (ends_on, {})
            if isinstance(ends_on, date)
            else (None, {"ends_on": ends_on or "Give the day they ceased to hold office."})
        )
        why = WhyEnded(self.why_ended.currentData())
        actor, ending = self.services.actor, self.detail
        return self.save_typed(
            typed,
            lambda day, _id, _version: self.services.governance_people.end_appointment(
                actor, ending.id, day, why, ending.version
            ),
        )
