"""Cancel during a synchronisation stops it only before anything is sent."""

from __future__ import annotations

import pytest

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.ui.offline.offline_actions import _steps


def test_cancel_before_sending_stops_the_synchronisation() -> None:
    progress = Progress()
    steps = _steps(progress, cancel_until_sending=True)
    progress.cancel()
    with pytest.raises(Cancelled):
        steps("Sending the copy's changes to the office", 1, 4)


def test_cancel_once_sent_lets_the_copy_be_written_to_the_end() -> None:
    told: list[tuple[int, int, str]] = []
    progress = Progress(on_report=lambda done, total, text: told.append((done, total, text)))
    steps = _steps(progress, cancel_until_sending=True)
    steps("Sending the copy's changes to the office", 1, 4)
    progress.cancel()  # the office is saving the copy's changes by now
    steps("Bringing the office's records into the copy", 2, 4)
    steps("Writing school", 1, 40)  # the copy's own writing counts from 1 again
    assert [t[2] for t in told] == [
        "Sending the copy's changes to the office",
        "Bringing the office's records into the copy",
        "Writing school",
    ]


def test_taking_a_copy_stops_at_any_step() -> None:
    progress = Progress()
    steps = _steps(progress)
    steps("Writing school", 1, 40)
    progress.cancel()
    with pytest.raises(Cancelled):
        steps("Writing contact", 2, 40)
