"""Fixtures of the Governance tab's tests: the window on a database of its own, the tab in view,
its dialogs shown without a blocking exec()."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def opened(qtbot, window: MainWindow) -> list[QDialog]:  # type: ignore[no-untyped-def]
    """Dialogs the tab opens are shown without a blocking exec(), kept here; the tab in view."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> None:
        shown.append(dialog)
        dialog.show()

    tab = window.governance_tab
    tab.run_dialog = run  # type: ignore[method-assign]
    tab.bodies_view.run_dialog = run  # type: ignore[method-assign]
    window.tabs.setCurrentWidget(tab)
    return shown
