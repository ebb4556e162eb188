"""The Board's approved minutes over each test's database (SQLite and PostgreSQL), made by
the clerk (``services``, from tests/services/governance/conftest.py)."""

from __future__ import annotations

import pytest
from approved_minutes import Board, build_board

from thep_desktop.services.registry import Services


@pytest.fixture
def board(services: Services) -> Board:
    return build_board(services)
