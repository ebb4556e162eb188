"""A demo step: a function that adds one part of the demo, and its share of the progress."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from thep_desktop.domain.progress import Progress
from thep_desktop.services.shared.actor import Actor


class StepProgress:
    """One step's share of the whole job's progress.

    A step reports ``(done, total)`` in its own terms; the job's progress bar moves across
    the step's share of the job. Cancelling raises ``Cancelled`` from :meth:`report`.
    """

    def __init__(self, progress: Progress, start: int, width: int, job_total: int) -> None:
        self._progress = progress
        self._start = start
        self._width = width
        self._job_total = job_total

    def report(self, done: int, total: int, message: str = "") -> None:
        share = self._width * done // total if total else 0
        self._progress.report(self._start + min(share, self._width), self._job_total, message)


StepFunction = Callable[[Session, random.Random, Actor, StepProgress], None]


@dataclass(frozen=True)
class DemoStep:
    name: str
    weight: int  # its share of the progress bar, roughly the number of records it adds
    run: StepFunction
