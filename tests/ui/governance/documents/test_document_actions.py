"""Printing a meeting's papers, the logs and the register, and exporting the workbook, as the
Governance tab runs them: each box answered as a person does, the PDF opened when saved."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from governance_records import attend, board, bodies, meeting
from invoice_records import set_up_office
from membership_records import join
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, button

from thep_desktop.database import Database
from thep_desktop.domain.governance import MeetingKind, Votes
from thep_desktop.domain.memberships import Category
from thep_desktop.domain.roles import Role
from thep_desktop.models import Correspondence
from thep_desktop.services.governance.governance_data import DecisionInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.governance.document_actions import (
    export_decisions_and_actions,
    print_action_log,
    print_decision_log,
    print_directors_register,
    print_meeting_document,
)
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui
_LEFT = Qt.MouseButton.LeftButton
MET = date(2025, 7, 14)


class Shown(list[tuple[str, str, bytes]]):
    """The documents the program opened in the document window: (title, name, bytes)."""

    def __call__(self, parent: QWidget | None, pdf: bytes, title: str, name: str) -> None:
        self.append((title, name, pdf))


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def save_as(qtbot: QtBot, typed: str, suggested: str) -> Callable[[QWidget], None]:
    """The file box's answer: check the name it suggests, type ``typed``, click Save."""

    def answer(box: QWidget) -> None:
        assert isinstance(box, QFileDialog)
        edit = box.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        assert edit.text() == suggested
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
        qtbot.mouseClick(button(box, "Save"), _LEFT)

    return answer


def pdf_windows() -> list[PdfWindow]:
    """The document windows open."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfWindow) and w.isVisible()]


def finished(qtbot: QtBot, job: BackgroundJob | None) -> BackgroundJob:
    assert job is not None
    qtbot.waitUntil(lambda: job.result is not None or job.error is not None or job.cancelled)
    return job


@pytest.fixture
def board_meeting(services: Services) -> int:
    set_up_office(services)
    board_id, people = board(services)
    held = meeting(services, board_id, MET, notice_sent_on=date(2025, 7, 1))
    held = attend(services, held, present=people[:5])
    services.meetings.save_decision(
        services.actor,
        held.id,
        DecisionInput(held.items[4].id, "That the budget be approved.", votes=Votes(5, 0, 0)),
    )
    return held.id


def test_the_agenda_is_saved_where_the_user_says_and_opened(
    qtbot: QtBot, modals: Modals, services: Services, board_meeting: int, parent: QWidget, out: Path
) -> None:
    target = out / "Board agenda.pdf"
    modals.then(save_as(qtbot, str(target), "Agenda - Board of Directors - 2025-07-14.pdf"))
    shown = Shown()
    job = print_meeting_document(services, board_meeting, "agenda", parent, show=shown)
    modals.wait_answered()
    finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(shown))
    title, name, data = shown[0]
    assert title == "Agenda: Board of Directors, 14/07/2025" and name == "Board agenda.pdf"
    assert data == target.read_bytes()
    assert "5. Finance report" in text_of(data)


def test_the_minutes_open_in_the_document_window(
    qtbot: QtBot, modals: Modals, services: Services, board_meeting: int, parent: QWidget, out: Path
) -> None:
    target = out / "minutes"  # typed without .pdf: it is added
    modals.then(save_as(qtbot, str(target), "Minutes - Board of Directors - 2025-07-14.pdf"))
    job = print_meeting_document(services, board_meeting, "minutes", parent)
    modals.wait_answered()
    finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(pdf_windows()))
    window = pdf_windows()[0]
    assert window.windowTitle().startswith("Minutes: Board of Directors, 14/07/2025")
    text = text_of((out / "minutes.pdf").read_bytes())
    assert "Resolved B/2025/07/1: That the budget be approved." in text and "DRAFT" in text
    window.close()


def test_a_general_meetings_notice_asks_first_then_prints_and_records_each_letter(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    parent: QWidget,
    out: Path,
    sqlite_db: Database,
) -> None:
    set_up_office(services)
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor, replace(profile, company_secretary="Joan Clerk")
    )
    ids = []
    for urn, name, category in (
        ("100300", "Marner Primary School", Category.FULL),
        ("100301", "Olga Primary School", Category.ASSOCIATE),
    ):
        school = services.schools.create_school(
            services.actor,
            SchoolInput(
                urn=urn,
                name=name,
                la_code="211",
                establishment_type="Community school",
                phase="Primary",
                street="1 School Lane",
                town="London",
                postcode="E3 2AA",
                head_title="Ms",
                head_first_name="Ann",
                head_last_name=name.split()[0],
            ),
        )
        join(services, school.id, date(2024, 9, 1), date(2024, 9, 10), category)
        ids.append(school.id)
    ahead = date.today() + timedelta(days=30)
    agm = meeting(services, bodies(services)["GM"], ahead, kind=MeetingKind.ANNUAL)
    target = out / "notice.pdf"
    modals.click("Print and record").then(
        save_as(qtbot, str(target), f"Notice - Annual General Meeting - {ahead.isoformat()}.pdf")
    )
    shown = Shown()
    job = print_meeting_document(services, agm.id, "notice", parent, show=shown)
    modals.wait_answered()
    finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(shown))
    question = modals.seen[0]
    assert question.title == "Print the notice"
    assert question.text.startswith("Print the notice of Annual General Meeting")
    assert "to each of the 2 members" in question.text and "correspondence" in question.text
    assert job is not None and job.result == 2
    assert shown[0][0] == f"Notice of Annual General Meeting, {ahead:%d/%m/%Y} – 2 letters"
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(target).pages]
    assert len(pages) == 2
    assert "Dear Ms Marner," in pages[0] and "your school has one vote" in pages[0]
    assert "Dear Ms Olga," in pages[1] and "you may attend but do not vote" in pages[1]
    for school_id in ids:
        rows = services.letters.correspondence(services.actor, school_id)
        assert [r.template_name for r in rows] == ["Notice of meeting"]


def test_stopping_at_the_question_or_the_file_box_writes_nothing(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    board_meeting: int,
    parent: QWidget,
    out: Path,
    sqlite_db: Database,
) -> None:
    gm = bodies(services)["GM"]
    agm = meeting(services, gm, MET, kind=MeetingKind.ANNUAL)
    modals.click("Cancel").press_escape()
    assert print_meeting_document(services, agm.id, "notice", parent) is None
    assert print_meeting_document(services, board_meeting, "minutes", parent) is None
    modals.wait_answered()
    assert list(out.iterdir()) == []
    with sqlite_db.read_session() as session:
        assert session.query(Correspondence).count() == 0


def test_refusals_are_said_in_the_services_words(
    qtbot: QtBot,
    modals: Modals,
    services: Services,
    board_meeting: int,
    parent: QWidget,
    out: Path,
    sqlite_db: Database,
) -> None:
    # A meeting that has gone: said at once, no file asked for.
    modals.click("OK")
    assert print_meeting_document(services, 999_999, "agenda", parent) is None
    modals.wait_answered()
    assert "no longer there" in modals.seen[-1].text
    # Staff may read governance but not send a general meeting's notice.
    agm = meeting(services, bodies(services)["GM"], MET, kind=MeetingKind.ANNUAL)
    staff = Services(sqlite_db, Actor("sam", Role.STAFF))
    modals.click("OK")
    assert print_meeting_document(staff, agm.id, "notice", parent) is None
    modals.wait_answered()
    assert "not send the notice of a general meeting" in modals.seen[-1].text
    # A cancelled meeting needs no notice: said at once, no file asked for.
    held = services.meetings.get_meeting(services.actor, board_meeting)
    cancelled = services.meetings.save_meeting(
        services.actor, replace(held.as_input(), cancelled=True), held.id, held.version
    )
    modals.click("OK")
    assert print_meeting_document(services, cancelled.id, "notice", parent) is None
    modals.wait_answered()
    assert "Board of Directors, 14/07/2025 was cancelled, so it needs no notice." in (
        modals.seen[-1].text
    )
    assert list(out.iterdir()) == []


def test_short_notice_is_said_before_printing_and_the_user_may_stop(
    qtbot: QtBot, modals: Modals, services: Services, parent: QWidget, out: Path
) -> None:
    set_up_office(services)
    board_id, _people = board(services)
    soon = date.today() + timedelta(days=3)
    ahead = meeting(services, board_id, soon)
    modals.click("Cancel")
    assert print_meeting_document(services, ahead.id, "notice", parent) is None
    modals.wait_answered()
    warning = modals.seen[-1].text
    assert "Sent today, the notice gives 2 clear days; the Board of Directors needs 7" in warning
    assert list(out.iterdir()) == []
    shown = Shown()
    name = f"Notice - Board of Directors - {soon.isoformat()}.pdf"
    modals.click("Print anyway").then(save_as(qtbot, str(out / "notice.pdf"), name))
    job = print_meeting_document(services, ahead.id, "notice", parent, show=shown)
    modals.wait_answered()
    finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(shown))
    assert "Notice of meeting: Board of Directors" in text_of(shown[0][2])


def test_the_logs_and_the_register_are_printed_and_opened(
    qtbot: QtBot, modals: Modals, services: Services, board_meeting: int, parent: QWidget, out: Path
) -> None:
    today = date.today().isoformat()
    shown = Shown()
    modals.then(save_as(qtbot, str(out / "decisions.pdf"), f"Decision log - {today}.pdf"))
    finished(qtbot, print_decision_log(services, parent, show=shown))
    modals.then(save_as(qtbot, str(out / "actions.pdf"), f"Action log - {today}.pdf"))
    finished(qtbot, print_action_log(services, parent, show=shown))
    modals.then(
        save_as(qtbot, str(out / "directors.pdf"), "Register of directors - 2025-09-01.pdf")
    )
    finished(qtbot, print_directors_register(services, date(2025, 9, 1), parent, show=shown))
    modals.wait_answered()
    qtbot.waitUntil(lambda: len(shown) == 3)
    assert [title for title, _name, _data in shown] == [
        "Decision log – 1 decision",
        "Action log – 0 actions",
        "Register of directors as at 01/09/2025",
    ]
    assert "B/2025/07/1" in text_of(shown[0][2])
    assert "No actions recorded." in text_of(shown[1][2])
    assert "Christine Gilbert" in text_of(shown[2][2])


def test_decisions_and_actions_export_to_a_workbook_and_open(
    qtbot: QtBot, modals: Modals, services: Services, board_meeting: int, parent: QWidget, out: Path
) -> None:
    target = out / "governance.xlsx"
    today = date.today().isoformat()
    modals.then(save_as(qtbot, str(target), f"Decisions and actions - {today}.xlsx")).click("Open")
    opened: list[QUrl] = []
    job = export_decisions_and_actions(services, parent, open_url=opened.append)
    modals.wait_answered()
    assert job is not None and job.error is None
    assert modals.seen[-1].title == "Decisions and actions exported"
    assert f"1 decision and 0 actions were saved as {target}." in modals.seen[-1].text
    assert opened == [QUrl.fromLocalFile(str(target))]
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Decisions", "Actions"]
    assert book["Decisions"]["A4"].value == "B/2025/07/1"
