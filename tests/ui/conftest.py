"""Every GUI test watches for the program's modal boxes (see tests/qt_driving.py).

A box a test did not expect is closed and fails the test, instead of waiting for a click
that never comes and hanging the whole run.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def watch_for_boxes(modals):  # type: ignore[no-untyped-def]
    return modals
