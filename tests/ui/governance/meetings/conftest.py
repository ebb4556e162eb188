"""Fixtures of the meeting editor's tests: a Board of eight directors on a SQLite file."""

from __future__ import annotations

import pytest
from meeting_ui_records import Board, make_board

from thep_desktop.services.registry import Services


@pytest.fixture
def board(services: Services) -> Board:
    return make_board(services)
