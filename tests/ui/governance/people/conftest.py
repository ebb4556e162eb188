"""Fixtures of the Bodies and people tests: the office's bodies and people, the view on them
(the settings folder and ``services`` come from the Governance tab's conftest above)."""

from __future__ import annotations

import pytest
from people_ui_records import Office, make_office, view_of
from PySide6.QtWidgets import QDialog

from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.bodies_view import BodiesPeopleView


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
