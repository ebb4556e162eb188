"""Fixtures of the Bodies and people tests: the office's bodies and people, the view on them."""

from __future__ import annotations

from pathlib import Path

import pytest
from people_ui_records import Office, make_office, view_of
from PySide6.QtWidgets import QDialog

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.governance.bodies_view import BodiesPeopleView


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def office(services: Services) -> Office:
    return make_office(services)


@pytest.fixture
def opened() -> list[QDialog]:
    """The forms a view opens, shown without a blocking exec() (see ``view_of``)."""
    return []


@pytest.fixture
def view(qtbot, services: Services, office: Office, opened: list[QDialog]) -> BodiesPeopleView:  # type: ignore[no-untyped-def]
    return view_of(qtbot, services, opened)
