"""Every GUI test watches for the program's modal boxes (see tests/qt_driving.py).

A box a test did not expect is closed and fails the test, instead of waiting for a click
that never comes and hanging the whole run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def watch_for_boxes(modals):  # type: ignore[no-untyped-def]
    return modals


@pytest.fixture
def window(qtbot, services: Services) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the test module's own ``services`` fixture, shown and filled."""
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    yield w
