"""The services over each test's database (SQLite and PostgreSQL), acting as an administrator."""

from __future__ import annotations

import pytest

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def services(db: Database, actor: Actor) -> Services:
    return Services(db, actor)
