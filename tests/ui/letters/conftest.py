"""Fixtures of the letters windows' tests: a real temporary database, schools, windows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from letters_ui_helpers import (  # tests/ui/letters/letters_ui_helpers.py
    ADVERSARIAL,
    DIRECTOR,
    OWN_BODY,
    no_tell,
    shown_pdfs,
)
from pytestqt.qtbot import QtBot

from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


@pytest.fixture
def services(db_url: str, actor: Actor) -> Iterator[Services]:
    s, _note = open_services(db_url, actor, create=True)
    profile = s.organisation.get_profile(actor)
    s.organisation.update_profile(
        actor,
        replace(
            profile,
            signatory_name=DIRECTOR,
            signatory_position="Executive Director",
            company_secretary="Samuel Okafor",
        ),
    )
    yield s
    s.close()


@pytest.fixture
def colleague(db_url: str, services: Services) -> Iterator[Services]:
    """A second user on their own connection to the same database file."""
    s, _note = open_services(db_url, Actor("sam.colleague", Role.ADMIN))
    yield s
    s.close()


@pytest.fixture
def viewer(db_url: str, services: Services) -> Iterator[Services]:
    s, _note = open_services(db_url, Actor("visitor", Role.VIEWER))
    yield s
    s.close()


@pytest.fixture
def schools(services: Services) -> dict[str, int]:
    """Three schools: one with a business manager, one without, one with no address."""
    actor = services.actor
    made = {}
    made["mary"] = services.schools.create_school(
        actor,
        SchoolInput(
            urn="100234",
            name=ADVERSARIAL,
            street="Ben Jonson Road",
            town="London",
            postcode="E1 4SD",
            head_title="Ms",
            head_first_name="Rahima",
            head_last_name="Begum",
            contacts=[ContactInput("Mr Tom Price", "School business manager", "sbm@mary.sch.uk")],
        ),
    ).id
    made["bow"] = services.schools.create_school(
        actor,
        SchoolInput(
            urn="100235",
            name="Bow Common Nursery School",
            street="Bow Common Lane",
            town="London",
            postcode="E3 4AX",
            contacts=[ContactInput("Mrs Ada Okafor", "Head teacher", "head@bow.sch.uk")],
        ),
    ).id
    made["nowhere"] = services.schools.create_school(
        actor, SchoolInput(urn="100236", name="Nowhere School")
    ).id
    return made


@pytest.fixture
def own_template(services: Services) -> int:
    return services.letters.create_template(
        services.actor,
        TemplateInput(
            name="Summer programme",
            description="Invitation to the summer programme",
            subject="Summer programme for {school.name}",
            body=OWN_BODY,
            signatory="Jo Bloggs",
        ),
    ).id


@pytest.fixture
def window(qtbot: QtBot, services: Services, schools: dict[str, int]) -> MainWindow:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    return w


@pytest.fixture
def merges(window: MainWindow) -> list[MailMergeDialog]:
    """Dialogs the main window opens, shown without a blocking exec() and collected here."""
    opened: list[MailMergeDialog] = []

    def run(dialog) -> None:  # type: ignore[no-untyped-def]
        opened.append(dialog)
        dialog.tell = no_tell
        dialog.inform = lambda *_args: None
        dialog.show_pdf = lambda _parent, data, title, name: shown_pdfs.setdefault(
            dialog, []
        ).append((data, title, name))
        dialog.show()

    window.run_dialog = run  # type: ignore[method-assign]
    return opened
