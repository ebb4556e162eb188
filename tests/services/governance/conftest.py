"""The services over each test's database (SQLite and PostgreSQL): ``services`` act as the
clerk, who keeps governance; ``office`` as an administrator, for schools and members."""

from __future__ import annotations

import pytest

from thep_desktop.database import Database
from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db, Actor("clerk", Role.CLERK))


@pytest.fixture
def office(db: Database, actor: Actor) -> Services:
    return Services(db, actor)
