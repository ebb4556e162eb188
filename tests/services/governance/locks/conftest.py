"""The Board's approved minutes over each test's database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from approved_minutes import Board, build_board

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def services(db: Database, actor: Actor) -> Services:
    return Services(db, actor)


@pytest.fixture
def board(services: Services) -> Board:
    return build_board(services)
