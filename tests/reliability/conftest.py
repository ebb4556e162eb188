"""The reliability suite: crashes, hostile input and two users at once, with its figures.

Use the ``reliability`` fixture to record a case's figures (see tests/reliability_figures.py);
they are printed at the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import reliability_figures


@pytest.fixture
def reliability() -> Callable[..., reliability_figures.Figure]:
    """``reliability(case, trials=…, failures=…, database=…, kill_points=…, detail=…)``."""
    return reliability_figures.record
