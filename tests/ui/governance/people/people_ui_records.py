"""The usual bodies, eight directors (one resigned) and an Advisory Council of twelve heads and
governors of real Tower Hamlets schools (DfE's 2023/24 key stage 4 list, in /work/shared/data),
made through the services, for the Bodies and people view's tests and screenshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from governance_records import appoint, bodies, governance_sums
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QWidget
from qt_driving import activate
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.governance import Capacity, HowAppointed, SchoolRole, WhyEnded
from thep_desktop.models import AuditEvent
from thep_desktop.services.governance.governance_data import PersonInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.ui.governance.bodies_view import BodiesPeopleView

# name, URN, phase, postcode
SCHOOLS = (
    ("Bow School", 100965, "Secondary", "E3 3QW"),
    ("Langdon Park Community School", 100966, "Secondary", "E14 6RJ"),
    ("Morpeth School", 100967, "Secondary", "E2 0PX"),
    ("Mulberry School for Girls", 143629, "Secondary", "E1 2JP"),
    ("St Paul's Way Trust School", 143379, "All-through", "E3 4FT"),
    ("Oaklands School", 100972, "Secondary", "E2 6PR"),
    ("Swanlea School", 100973, "Secondary", "E1 5DJ"),
    ("George Green's School", 100974, "Secondary", "E14 3DW"),
    ("Central Foundation Girls' School", 100975, "Secondary", "E3 2AE"),
    ("Bishop Challoner Catholic School", 100978, "Secondary", "E1 0LB"),
    ("Phoenix School", 100987, "Special", "E3 2AD"),
    ("Beatrice Tate School", 100989, "Special", "E3 4PX"),
    ("Ian Mikardo School", 143630, "Special", "E3 3LF"),
)

OFFICE = "The Partnership Office, 1 Mile End Road, London E1 4TT"

# title, full name, capacity, appointed, term ends, occupation, born (month, year)
DIRECTORS = (
    (
        "Dr",
        "Helen Whitmore",
        Capacity.CHAIR,
        date(2023, 12, 12),
        date(2026, 12, 11),
        "Retired head teacher",
        (3, 1958),
    ),
    (
        "Mr",
        "Tunde Adeyemi",
        Capacity.VICE_CHAIR,
        date(2024, 12, 10),
        date(2027, 12, 9),
        "Chartered accountant",
        (7, 1969),
    ),
    (
        "Ms",
        "Priya Chaudhry",
        Capacity.DIRECTOR,
        date(2024, 12, 10),
        date(2027, 12, 9),
        "Solicitor",
        (11, 1975),
    ),
    (
        "Mr",
        "Gareth Pryce",
        Capacity.DIRECTOR,
        date(2023, 12, 12),
        date(2026, 12, 11),
        "School business manager",
        (1, 1966),
    ),
    (
        "Mrs",
        "Nasreen Akhtar",
        Capacity.DIRECTOR,
        date(2025, 12, 9),
        date(2028, 12, 8),
        "Head teacher",
        (5, 1972),
    ),
    (
        "Mr",
        "Daniel Okafor",
        Capacity.DIRECTOR,
        date(2025, 12, 9),
        date(2028, 12, 8),
        "Head teacher",
        (9, 1980),
    ),
    (
        "Ms",
        "Clare Donnelly",
        Capacity.DIRECTOR,
        date(2024, 12, 10),
        date(2027, 12, 9),
        "Executive Director of the Partnership",
        (2, 1971),
    ),
    (
        "Mr",
        "Simon Hale",
        Capacity.DIRECTOR,
        date(2023, 12, 12),
        date(2026, 12, 11),
        "Finance director",
        (6, 1963),
    ),
)
RESIGNED = ("Mr", "Simon Hale", date(2025, 6, 30))  # resigned before his term ran out

# title, full name, school, role at the school
COUNCIL = (
    ("Ms", "Amina Rahman", "Bow School", SchoolRole.HEAD_TEACHER),
    ("Mr", "Jason Reid", "Morpeth School", SchoolRole.HEAD_TEACHER),
    ("Ms", "Farhana Begum", "Swanlea School", SchoolRole.GOVERNOR),
    ("Dr", "Sarah Okoye", "Mulberry School for Girls", SchoolRole.HEAD_TEACHER),
    ("Mr", "Kevin Walsh", "Langdon Park Community School", SchoolRole.GOVERNOR),
    ("Mrs", "Ann Howe", "Bishop Challoner Catholic School", SchoolRole.HEAD_TEACHER),
    ("Ms", "Lucy Gomes", "Phoenix School", SchoolRole.HEAD_TEACHER),
    ("Mr", "Imran Hussain", "Oaklands School", SchoolRole.GOVERNOR),
    ("Ms", "Rebecca Stone", "George Green's School", SchoolRole.OTHER_LEADER),
    ("Mr", "Abdul Karim", "St Paul's Way Trust School", SchoolRole.GOVERNOR),
    ("Ms", "Joanne Fraser", "Central Foundation Girls' School", SchoolRole.HEAD_TEACHER),
    ("Mr", "Michael Osei", "Beatrice Tate School", SchoolRole.HEAD_TEACHER),
)
COUNCIL_FROM = date(2025, 9, 1)
COUNCIL_TERM_ENDS = date(2027, 8, 31)


@dataclass
class Office:
    schools: dict[str, int] = field(default_factory=dict)
    bodies: dict[str, int] = field(default_factory=dict)  # by code: B, AC, GM
    people: dict[str, int] = field(default_factory=dict)  # by full name
    appointments: dict[tuple[str, str], int] = field(default_factory=dict)  # (name, code)


def make_schools(services: Services, office: Office | None = None) -> Office:
    office = office or Office()
    for name, urn, phase, postcode in SCHOOLS:
        detail = services.schools.create_school(
            services.actor,
            SchoolInput(
                urn=str(urn),
                name=name,
                la_code="211",
                establishment_type="Community school",
                phase=phase,
                town="London",
                postcode=postcode,
            ),
        )
        office.schools[name] = detail.id
    return office


def make_person(
    services: Services,
    title: str,
    full_name: str,
    school_id: int | None = None,
    role: SchoolRole = SchoolRole.NONE,
    **details: object,
) -> int:
    first, *_rest = full_name.lower().split()
    data = PersonInput(
        full_name,
        title,
        email=f"{first}.{full_name.split()[-1].lower()}@example.org.uk",
        school_id=school_id,
        school_role=role,
        **details,  # type: ignore[arg-type]
    )
    return services.governance_people.save_person(services.actor, data).id


def make_office(services: Services) -> Office:
    """The usual bodies, the Board's eight directors (one resigned) and the Advisory
    Council's twelve members from the schools."""
    office = make_schools(services)
    office.bodies = bodies(services)
    for title, name, capacity, starts, ends, occupation, (month, year) in DIRECTORS:
        person = make_person(
            services,
            title,
            name,
            service_address=OFFICE,
            occupation=occupation,
            nationality="British",
            country_of_residence="United Kingdom",
            birth_month=month,
            birth_year=year,
        )
        office.people[name] = person
        office.appointments[(name, "B")] = appoint(
            services, person, office.bodies["B"], capacity, starts, term_ends_on=ends
        )
    _title, name, ceased = RESIGNED
    appointment = office.appointments[(name, "B")]
    version = services.governance_people.get_appointment(services.actor, appointment).version
    services.governance_people.end_appointment(
        services.actor, appointment, ceased, WhyEnded.RESIGNED, version
    )
    for title, name, school, role in COUNCIL:
        person = make_person(services, title, name, office.schools[school], role)
        office.people[name] = person
        office.appointments[(name, "AC")] = appoint(
            services,
            person,
            office.bodies["AC"],
            Capacity.MEMBER,
            COUNCIL_FROM,
            term_ends_on=COUNCIL_TERM_ENDS,
            how=HowAppointed.ELECTED_BY_MEMBERS,
        )
    return office


def governance_state(db: Database) -> tuple[object, int]:
    """Every governance table's rows and checksum, and the audit trail's length: a refusal
    changes none of them."""
    with db.read_session() as session:
        history = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return governance_sums(db), history


def view_of(qtbot, services: Services, opened: list[QDialog]) -> BodiesPeopleView:  # type: ignore[no-untyped-def]
    """The view on screen and read; the forms it opens are shown and kept in ``opened``."""
    view = BodiesPeopleView(services)
    qtbot.addWidget(view)

    def run(dialog: QDialog) -> None:
        opened.append(dialog)
        qtbot.addWidget(
            dialog, before_close_func=lambda form: form.done(QDialog.DialogCode.Rejected)
        )
        dialog.show()

    view.run_dialog = run  # type: ignore[method-assign]
    view.resize(1366, 800)
    view.show()
    qtbot.waitExposed(view)
    view.reload()
    return view


def typed(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into a box, select all it holds (Ctrl+A) and type ``text`` over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def in_front(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    """A form on screen and in front (its Ctrl+S works), closed at the end without asking."""
    qtbot.addWidget(dialog, before_close_func=lambda form: form.done(QDialog.DialogCode.Rejected))
    activate(qtbot, dialog)
    return dialog


def tool_button(view: BodiesPeopleView, action: QAction) -> QWidget:
    """The toolbar button of ``action``, to click as a person does."""
    widget = view.toolbar.widgetForAction(action)
    assert widget is not None, action.text()
    return widget


def menu_entry(view: BodiesPeopleView, text: str) -> QAction:
    """The action the tab's menu shows as ``text`` (mnemonic aside); it must be enabled."""
    (action,) = [a for a in view.menu_actions() if a.text().replace("&", "") == text]
    assert action.isEnabled(), f"{text} cannot be chosen"
    return action


def pick(qtbot, combo: QComboBox, part: str, entry: str) -> None:  # type: ignore[no-untyped-def]
    """Type part of an entry into a searchable drop-down, then click the entry among those
    it offers, as a person does."""
    typed(qtbot, combo.lineEdit(), part)
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=20_000)
    model = popup.model()
    (found,) = [
        model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == entry
    ]
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(found).center()
    )
    assert combo.currentText() == entry
