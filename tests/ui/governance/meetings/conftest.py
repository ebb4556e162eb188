"""Fixtures of the meeting editor's tests: a Board of eight directors on a SQLite file."""

from __future__ import annotations

import pytest
from meeting_ui_records import Board, make_board

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def board(services: Services) -> Board:
    return make_board(services)
