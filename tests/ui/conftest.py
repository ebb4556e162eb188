"""Every GUI test watches for the program's modal boxes (see tests/qt_driving.py).

A box a test did not expect is closed and fails the test, instead of waiting for a click
that never comes and hanging the whole run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def watch_for_boxes(modals):  # type: ignore[no-untyped-def]
    return modals


@pytest.fixture(autouse=True)
def collect_garbage_here() -> Iterator[None]:
    """Collect the test's garbage on the main thread when it ends.

    Python collects cycles in whichever thread happens to allocate when the collector is
    due; a dialog of an earlier test whose wrapper is freed there is destroyed from that
    thread. If that is a background job's thread (a fee run saving), Qt deletes a widget
    off the GUI thread while the GUI thread walks the top-level widgets: a crash, seen once
    in a whole run (test_fee_run_dialog). Collected here, nothing is left for it to find.
    The young generations only: a test's widgets are young, and a full collection after
    each of a thousand GUI tests costs minutes of the suite.
    """
    yield
    gc.collect(1)


@pytest.fixture
def window(qtbot, services: Services) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the test module's own ``services`` fixture, shown and filled."""
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    yield w
