"""Fixtures of the letters service tests: three schools, a folder, the service signed for."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_helpers import (  # tests/services/letters/letters_helpers.py
    ADVERSARIAL,
    set_signatories,
)

from thep_desktop.services.letters.letters_service import (
    LettersService,
)
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService


@pytest.fixture
def schools(db, actor):  # type: ignore[no-untyped-def]
    service = SchoolsService(db)
    made = {}
    made["mary"] = service.create_school(
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
            contacts=[
                ContactInput("Mr Tom Price", "School business manager", "sbm@stmary.sch.uk"),
            ],
        ),
    )
    made["bow"] = service.create_school(
        actor,
        SchoolInput(
            urn="100235",
            name="Bow Common Nursery School",
            street="Bow Common Lane",
            town="London",
            postcode="E3 4AX",
            contacts=[ContactInput("Mrs Ada Okafor", "Head teacher", "head@bow.sch.uk")],
        ),
    )
    made["noaddress"] = service.create_school(
        actor, SchoolInput(urn="100236", name="Nowhere School")
    )
    return made


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the letters (the SQLite test database is in tmp_path)."""
    folder = tmp_path / "letters"
    folder.mkdir()
    return folder


@pytest.fixture
def letters(db, actor) -> LettersService:  # type: ignore[no-untyped-def]
    set_signatories(db, actor)
    return LettersService(db)
