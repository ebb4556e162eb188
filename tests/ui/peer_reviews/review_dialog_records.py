"""Tower Hamlets schools, a cluster, the year's terms and a cycle for the review dialogs' tests.

The schools are real ones of the borough (DfE's 2023/24 key stage 4 list, in
/work/shared/data), with made-up head teachers, so screenshots look like the office's own.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit
from qt_driving import activate
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ClusterKind
from thep_desktop.models import AuditEvent
from thep_desktop.services.peer_reviews.review_data import (
    ClusterInput,
    CycleInput,
    ReviewerInput,
    ReviewInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor, Role

YEAR = AcademicYear(2025)
# Christmas Day 2025 is a Thursday; 26/11/2025 a Wednesday in term.
BANK_HOLIDAY = date(2025, 12, 25)
SCHOOL_DAY = date(2025, 11, 26)

# name, URN, phase, trust, diocese, postcode, head (title, first, last)
SCHOOLS = (
    ("Bow School", 100965, "Secondary", "", "", "E3 3QW", ("Ms", "Amina", "Rahman")),
    ("Morpeth School", 100967, "Secondary", "", "", "E2 0PX", ("Mr", "Jason", "Reid")),
    ("Swanlea School", 100973, "Secondary", "", "", "E1 5DJ", ("Ms", "Farhana", "Begum")),
    (
        "Mulberry School for Girls",
        143629,
        "Secondary",
        "Mulberry Schools Trust",
        "",
        "E1 2JP",
        ("Ms", "Sarah", "Okoye"),
    ),
    (
        "Mulberry Academy Shoreditch",
        137789,
        "Secondary",
        "Mulberry Schools Trust",
        "",
        "E2 6NW",
        ("Mr", "Daniel", "Moss"),
    ),
    (
        "Stepney All Saints Church of England Secondary School",
        100977,
        "Secondary",
        "",
        "Diocese of London",
        "E1 0RH",
        ("Mr", "Rob", "Carter"),
    ),
    (
        "Bishop Challoner Catholic School",
        100978,
        "Secondary",
        "",
        "Roman Catholic Diocese of Westminster",
        "E1 0LB",
        ("Mrs", "Ann", "Howe"),
    ),
    ("Phoenix School", 100987, "All-through", "", "", "E3 2AD", ("Ms", "Lucy", "Gomes")),
)


def make_schools(services: Services, count: int = len(SCHOOLS)) -> dict[str, int]:
    """The first ``count`` schools above in the register, by name."""
    ids = {}
    for name, urn, phase, trust, diocese, postcode, head in SCHOOLS[:count]:
        detail = services.schools.create_school(
            services.actor,
            SchoolInput(
                urn=str(urn),
                name=name,
                la_code="211",
                establishment_type="Community school",
                phase=phase,
                trust=trust,
                diocese=diocese,
                town="London",
                postcode=postcode,
                email=f"admin@{urn}.towerhamlets.sch.uk",
                head_title=head[0],
                head_first_name=head[1],
                head_last_name=head[2],
                head_job_title="Headteacher",
            ),
        )
        ids[name] = detail.id
    return ids


def make_cluster(
    services: Services,
    name: str,
    school_ids: list[int],
    kind: ClusterKind = ClusterKind.GEOGRAPHICAL,
) -> int:
    return services.clusters.save_cluster(
        services.actor, ClusterInput(name, kind, tuple(school_ids))
    ).id


def save_year(services: Services, year: AcademicYear = YEAR) -> None:
    """The year's usual term dates, saved."""
    proposed = services.school_calendar.year_terms(services.actor, year)
    services.school_calendar.save_terms(services.actor, year, proposed.terms)


def make_cycle(services: Services, year: AcademicYear = YEAR, **rules) -> int:  # type: ignore[no-untyped-def]
    return services.reviews.save_cycle(services.actor, CycleInput(year, **rules)).id


def make_review(
    services: Services,
    cycle_id: int,
    cluster_id: int | None,
    host: int,
    team: tuple[int, ...],
    on: date | None = SCHOOL_DAY,
    reviewers: tuple[ReviewerInput, ...] = (),
) -> int:
    return services.reviews.save_review(
        services.actor,
        ReviewInput(cycle_id, host, cluster_id, on, on, team, reviewers),
    ).review.id


def history_count(db: Database) -> int:
    """Entries in the audit trail: a refusal adds none."""
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def retype(qtbot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what a box holds and type over it, lines with Return, as a person does."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def shown(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    """A dialog on screen and in front, as a person sees it (its shortcuts then work)."""
    # Closed at the end as a person who answers "discard" would: an unsaved form's question
    # is not what the test is about, and its pending checks stop with it.
    qtbot.addWidget(dialog, before_close_func=lambda form: form.done(QDialog.DialogCode.Rejected))
    activate(qtbot, dialog)
    return dialog


def make_office(services: Services) -> dict[str, int]:
    """The schools, a cluster of five (two of one trust), 2025/26's terms and its cycle."""
    ids = make_schools(services)
    names = [name for name, *_ in SCHOOLS[:5]]
    ids["cluster"] = make_cluster(services, "Bow and Stepney", [ids[n] for n in names])
    save_year(services)
    ids["cycle"] = make_cycle(services)
    return ids


def viewer_of(db: Database) -> Services:
    """Someone who may look but not change anything."""
    return Services(db, Actor("sam.viewer", Role.VIEWER))
