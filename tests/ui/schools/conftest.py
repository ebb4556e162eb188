"""Fixtures of the Schools tab's tests (each module has its own ``services``)."""

from __future__ import annotations

import pytest

from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog


@pytest.fixture
def dialogs(window: MainWindow) -> list[SchoolDialog]:
    """Dialogs the tab opens are shown without a blocking exec() and collected here."""
    opened: list[SchoolDialog] = []

    def run(dialog: SchoolDialog) -> None:
        opened.append(dialog)
        dialog.show()

    window.schools_tab.run_dialog = run  # type: ignore[method-assign]
    return opened
