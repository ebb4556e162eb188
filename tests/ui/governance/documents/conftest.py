"""Fixtures of the governance documents' window tests: a database of their own (SQLite), the
user's settings kept apart, a window to be the boxes' parent, a folder to save in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setWindowTitle("Governance")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    return folder
