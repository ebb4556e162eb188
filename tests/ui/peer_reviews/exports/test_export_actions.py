"""Export schedule and Export calendar as the tab runs them, each box answered as a person does."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, button
from review_records import cluster, cycle, review_sums
from review_schedules import ScheduledCycle, scheduled_cycle

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.peer_reviews.export_actions import export_calendar, export_schedule

pytestmark = pytest.mark.gui
_LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Iterator[Services]:
    yield Services(sqlite_db, actor)


@pytest.fixture
def planned(services: Services) -> ScheduledCycle:
    return scheduled_cycle(services)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setWindowTitle("Peer reviews")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


class Opened(list[QUrl]):
    """What the program asked the desktop to open (a file, a folder)."""

    def __call__(self, url: QUrl) -> bool:
        self.append(url)
        return True


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def save_as(
    qtbot: QtBot,
    typed: str,
    suggested: str | None = None,
    afterwards: Callable[[], object] | None = None,
) -> Callable[[QWidget], None]:
    """The file box's answer: check it ``suggested`` a name, type ``typed``, click Save;
    then ``afterwards`` (before the program goes on)."""

    def answer(box: QWidget) -> None:
        assert isinstance(box, QFileDialog)
        edit = box.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        if suggested is not None:
            assert edit.text() == suggested
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
        qtbot.mouseClick(button(box, "Save"), _LEFT)
        if afterwards is not None:
            afterwards()

    return answer


def test_the_schedule_as_a_pdf_suggested_by_the_cycles_name_and_opened(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    planned: ScheduledCycle,
    parent: QWidget,
    out: Path,
) -> None:
    target = out / "Peer reviews 2025-26.pdf"
    modals.then(save_as(qtbot, str(target), "Peer reviews 2025-26.pdf")).click("Open")
    opened = Opened()
    job = export_schedule(services, planned.cycle_id, parent, open_url=opened)
    modals.wait_answered()
    assert job is not None and job.error is None
    assert [box.kind for box in modals.seen] == ["QFileDialog", "message"]
    assert modals.seen[1].title == "Schedule exported"
    assert f"Peer reviews 2025/26 (10 reviews) was saved as {target}." in modals.seen[1].text
    assert opened == [QUrl.fromLocalFile(str(target))]
    text = pdf_text(target)
    for review in planned.reviews(services):
        assert review.host_name in text
    assert "Isle of Dogs (5 reviews)" in text and "Whitechapel (5 reviews)" in text


def test_one_clusters_schedule_as_a_workbook(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    planned: ScheduledCycle,
    parent: QWidget,
    out: Path,
) -> None:
    target = out / "whitechapel.xlsx"
    modals.then(save_as(qtbot, str(target), "Peer reviews 2025-26 - Whitechapel.pdf")).click(
        "Close"
    )
    opened = Opened()
    job = export_schedule(
        services, planned.cycle_id, parent, planned.clusters["Whitechapel"], open_url=opened
    )
    modals.wait_answered()
    assert job is not None and job.error is None and opened == []
    assert "Peer reviews 2025/26: Whitechapel (5 reviews)" in modals.seen[1].text
    rows = list(openpyxl.load_workbook(target)["Reviews"].iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in rows] == ["Whitechapel"] * 5


def test_cancelling_the_file_box_writes_nothing(
    modals: Modals, services: Services, planned: ScheduledCycle, parent: QWidget, out: Path
) -> None:
    modals.press_escape()
    assert export_schedule(services, planned.cycle_id, parent) is None
    modals.wait_answered()
    assert [box.kind for box in modals.seen] == ["QFileDialog"]
    assert list(out.iterdir()) == []


def test_a_cluster_without_reviews_is_said_before_any_file_is_asked_for(
    modals: Modals,
    services: Services,
    sqlite_db: Database,
    planned: ScheduledCycle,
    parent: QWidget,
    out: Path,
) -> None:
    empty = cluster(services, "Limehouse", planned.school_ids[:2])
    before = review_sums(sqlite_db)
    modals.click("OK")
    assert export_schedule(services, planned.cycle_id, parent, empty) is None
    modals.wait_answered()
    assert [box.kind for box in modals.seen] == ["message"]
    assert modals.seen[0].text.startswith(
        "The cluster Limehouse has no reviews in Peer reviews 2025/26 yet"
    )
    assert list(out.iterdir()) == []
    assert review_sums(sqlite_db) == before


def test_a_folder_gone_by_the_time_of_saving_is_said_in_words(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    planned: ScheduledCycle,
    parent: QWidget,
    out: Path,
) -> None:
    share = out / "share"
    share.mkdir()

    # A network drive dropped after the file was chosen.
    modals.then(save_as(qtbot, str(share / "schedule.pdf"), afterwards=share.rmdir)).click("OK")
    job = export_schedule(services, planned.cycle_id, parent)
    modals.wait_answered()
    assert job is not None and job.error is not None
    assert modals.seen[-1].title == "The schedule was not exported"
    assert modals.seen[-1].text == f"The folder {share} does not exist. Choose another folder."
    assert list(out.iterdir()) == []


def test_a_cycle_without_reviews_is_said_before_any_file_is_asked_for(
    modals: Modals, services: Services, parent: QWidget, out: Path
) -> None:
    empty = cycle(services)
    modals.click("OK").click("OK")
    assert export_schedule(services, empty, parent) is None
    assert export_calendar(services, empty, parent) is None
    modals.wait_answered()
    assert [box.kind for box in modals.seen] == ["message", "message"]
    assert "Peer reviews 2025/26 has no reviews yet" in modals.seen[0].text
    assert "then export its calendar" in modals.seen[1].text
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("choice", "files"),
    [("Both", 11), ("Whole cycle", 1), ("One per school", 10)],
)
def test_the_calendar_files_chosen_go_into_the_folder_chosen(
    modals: Modals,
    services: Services,
    planned: ScheduledCycle,
    parent: QWidget,
    out: Path,
    choice: str,
    files: int,
) -> None:
    modals.click(choice).type(str(out), then="Choose").click("Open folder")
    opened = Opened()
    job = export_calendar(services, planned.cycle_id, parent, open_url=opened)
    modals.wait_answered()
    assert job is not None
    written = job.result
    assert [box.kind for box in modals.seen] == ["message", "QFileDialog", "message"]
    assert modals.seen[0].title == "Export calendar"
    assert "one per school (the review it hosts and those it reviews at)" in modals.seen[0].text
    assert len(written) == files
    assert sorted(out.iterdir()) == sorted(written)
    assert (out / "peer-reviews-2025-26.ics").exists() == (choice != "One per school")
    for path in written:
        assert Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    said = modals.seen[2].text
    assert said.startswith(f"The calendar of Peer reviews 2025/26 was saved in {out}:")
    assert ("• peer-reviews-2025-26.ics: the whole cycle" in said) == (choice != "One per school")
    if choice != "Whole cycle":
        assert (
            "• 10 files, one for each school taking part, such as "
            "peer-reviews-2025-26-100929-arnhem-wharf-primary-school.ics"
        ) in said
    assert opened == [QUrl.fromLocalFile(str(out))]


def test_cancelling_the_calendar_question_or_the_folder_writes_nothing(
    modals: Modals, services: Services, planned: ScheduledCycle, parent: QWidget, out: Path
) -> None:
    modals.click("Cancel")
    assert export_calendar(services, planned.cycle_id, parent) is None
    modals.click("Both").press_escape()
    assert export_calendar(services, planned.cycle_id, parent) is None
    modals.wait_answered()
    assert [box.kind for box in modals.seen] == ["message", "message", "QFileDialog"]
    assert list(out.iterdir()) == []
