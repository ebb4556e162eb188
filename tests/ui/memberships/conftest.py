"""Fixtures of the Memberships tab's tests: a small register with members in every state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from thep_desktop.database import Database
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


def school(urn: int, name: str, pupils: int = 200, **kw: object) -> SchoolInput:
    values: dict[str, object] = {
        "urn": urn,
        "name": name,
        "phase": "Primary",
        "la_code": "211",
        "establishment_number": str(2000 + urn % 1000),
        "establishment_type": "Community school",
        "postcode": "E1 6AB",
        "pupils_on_roll": pupils,
        "pupils_census_date": "15/01/2026",
    }
    values.update(kw)
    return SchoolInput(**values)  # type: ignore[arg-type]


def make_register(s: Services, actor: Actor) -> dict[str, int]:
    """Six schools: full members (one under notice, one that left), an applicant, and two
    schools that are not members; an associate organisation. Returns the school ids."""
    ids = {}
    for urn, name, pupils in (
        (100001, "Alder Primary School", 420),
        (100002, "Beech Primary School", 300),
        (100003, "Cedar Primary School", 250),
        (100004, "Damson Primary School", 180),
        (100005, "Elm Primary School", 210),
        (100006, "Fig Tree Primary School", 90),
    ):
        ids[name] = s.schools.create_school(actor, school(urn, name, pupils)).id
    independent = school(
        100007, "Oak Independent School", 60, establishment_type="Other independent school"
    )
    ids["Oak Independent School"] = s.schools.create_school(actor, independent).id

    def member(name: str, category: str, applied: date, admitted: date | None) -> int:
        m = s.members.apply(
            actor, MemberInput("school", school_id=ids[name]), ApplicationInput(category, applied)
        )
        if admitted is not None:
            m = s.members.admit(actor, m.latest.id, m.latest.version, admitted)
        return m.id

    member("Alder Primary School", "full", date(2020, 9, 1), date(2020, 10, 1))
    beech = member("Beech Primary School", "full", date(2020, 9, 1), date(2020, 10, 1))
    b = s.members.get_member(actor, beech).latest
    s.members.record_notice(actor, b.id, b.version, date.today())
    cedar = member("Cedar Primary School", "full", date(2020, 9, 1), date(2020, 10, 1))
    c = s.members.get_member(actor, cedar).latest
    s.members.cease(actor, c.id, c.version, date(2024, 8, 31), "The school amalgamated")
    member("Damson Primary School", "full", date.today(), None)
    org = s.members.apply(
        actor,
        MemberInput(
            "organisation", name="Bow Arts Trust", address="183 Bow Road\nLondon", postcode="E3 2SJ"
        ),
        ApplicationInput("associate", date(2025, 1, 6)),
    )
    s.members.admit(actor, org.latest.id, org.latest.version, date(2025, 1, 20))
    return ids


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    make_register(s, actor)
    return s


@pytest.fixture
def opened(window: MainWindow) -> list[QDialog]:
    """Forms the tab and the window open are shown without a blocking exec(), kept here."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> None:
        shown.append(dialog)
        dialog.show()

    window.memberships_tab.run_dialog = run  # type: ignore[method-assign]
    window.run_dialog = run  # type: ignore[method-assign]
    window.tabs.setCurrentWidget(window.memberships_tab)
    return shown
