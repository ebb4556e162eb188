"""Fixtures of the Schools tab's tests (each module has its own ``services``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from qt_driving import click_tab

from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog


@pytest.fixture
def window(qtbot, services: Services) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window, shown and filled, in the Schools tab (a window on a database with
    schools opens on the Dashboard: the person clicks the Schools tab)."""
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    click_tab(qtbot, w.tabs, w.schools_tab)
    yield w


@pytest.fixture
def dialogs(window: MainWindow) -> list[SchoolDialog]:
    """Dialogs the tab opens are shown without a blocking exec() and collected here."""
    opened: list[SchoolDialog] = []

    def run(dialog: SchoolDialog) -> None:
        opened.append(dialog)
        dialog.show()

    window.schools_tab.run_dialog = run  # type: ignore[method-assign]
    return opened
