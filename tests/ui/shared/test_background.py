"""Background jobs: results, errors and Cancel reach the main thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from thep_desktop.domain.progress import Progress
from thep_desktop.ui.shared.background import BackgroundJob

pytestmark = pytest.mark.gui


def test_job_result_arrives_on_the_main_thread(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    main = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker_thread"] = threading.get_ident()
        for i in range(5):
            progress.report(i, 5, f"step {i}")
        return 42

    job = BackgroundJob(
        parent,
        "Working",
        work,
        on_done=lambda r: seen.update(result=r, done_thread=threading.get_ident()),
    )
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.start()
    assert seen["result"] == 42
    assert seen["worker_thread"] != main
    assert seen["done_thread"] == main


def test_cancel_stops_the_job_and_reports_it(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    outcome: list[str] = []

    def work(progress: Progress) -> None:
        started.set()
        for i in range(10_000):
            progress.report(i, 10_000)
            threading.Event().wait(0.001)
        outcome.append("ran to the end")

    job = BackgroundJob(
        parent,
        "Working",
        work,
        on_done=lambda r: outcome.append("done"),
        on_cancel=lambda: outcome.append("cancelled"),
    )
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.cancel()
    assert outcome == ["cancelled"]
    assert job.cancelled


def test_errors_are_handed_to_the_caller(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise ValueError("the file is empty")

    job = BackgroundJob(parent, "Working", work, on_done=lambda r: None, on_error=errors.append)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.start()
    assert [str(e) for e in errors] == ["the file is empty"]
