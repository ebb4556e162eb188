"""The meeting editor: a new meeting refused without its body; the notice checked as the dates
are typed; the agenda reordered by keys and minutes saved with Ctrl+S; papers attached and
removed; attendance and the live quorum; decisions refused in words; the minutes approved at a
later meeting, then read-only, with errata under their item; a reader sees it read-only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from meeting_ui_records import (
    JULY,
    SEPTEMBER,
    Board,
    attend,
    board_meeting,
    editable_widgets,
    opened,
    retype,
)
from membership_records import join, make_school
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QFileDialog, QLineEdit
from qt_driving import Modals, activate, button, press, push
from qt_driving import choose as choose_by_keys
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.governance import ActionStatus, MeetingKind, MinutesStatus, Votes
from thep_desktop.domain.roles import Role
from thep_desktop.models import AgendaPaper, AuditEvent, Decision, Meeting
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    DecisionInput,
    MeetingInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.governance.action_editor import ActionEditor
from thep_desktop.ui.governance.decision_dialog import DecisionDialog
from thep_desktop.ui.governance.meeting_editor import MeetingEditor
from thep_desktop.ui.governance.minutes_dialogs import ApproveMinutesDialog, ErratumDialog
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui


def count(db: Database, model: type) -> int:
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def editor_of(qtbot, services: Services, meeting_id: int | None, **kw) -> MeetingEditor:  # type: ignore[no-untyped-def]
    editor = MeetingEditor(services, meeting_id, None, **kw)
    forms: list[QDialog] = []
    editor.forms = forms  # type: ignore[attr-defined]

    def run(dialog: QDialog) -> int:
        forms.append(dialog)
        opened(qtbot, dialog)
        return 0

    editor.run_dialog = run  # type: ignore[method-assign]
    return opened(qtbot, editor)  # type: ignore[return-value]


def save_keys(qtbot, editor: MeetingEditor, widget) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def choose(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the drop-down's entry that starts with ``text`` (a status or a person's name
    followed by their part)."""
    choose_by_keys(qtbot, combo, text, starting=True)


def test_a_new_meeting_without_a_body_is_refused_in_words_and_nothing_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meetings, history = count(sqlite_db, Meeting), count(sqlite_db, AuditEvent)
    editor = editor_of(qtbot, services, None)
    retype(qtbot, editor.details.meets_on, "14/07/2025")
    retype(qtbot, editor.details.venue, "Bonner Primary School")
    save_keys(qtbot, editor, editor.details.venue)

    assert editor.messages.message("body_id") == (
        "Choose the body that meets (the Board, the Advisory Council, a general meeting…)."
    )
    assert editor.banner.isVisible()
    assert editor.details.venue.text() == "Bonner Primary School"  # what was typed is kept
    assert count(sqlite_db, Meeting) == meetings and count(sqlite_db, AuditEvent) == history
    assert not editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.agenda))

    choose(qtbot, editor.details.body, "Board")
    save_keys(qtbot, editor, editor.details.venue)
    assert count(sqlite_db, Meeting) == meetings + 1
    assert editor.detail is not None and editor.detail.body.id == board.body_id
    assert editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.agenda))
    assert editor.agenda.list.count() >= 4  # the usual agenda


def test_the_short_notice_warning_appears_as_the_date_is_typed(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    editor = editor_of(qtbot, services, None, body_id=board.gm_id)
    details = editor.details
    retype(qtbot, details.meets_on, "14/07/2025")
    retype(qtbot, details.notice_sent_on, "01/07/2025")
    qtbot.waitUntil(lambda: "Short notice" in details.notice_text(), timeout=20_000)
    assert "⚠" in details.notice_text()
    assert "12 clear days" in details.notice_text() and "14 were needed" in details.notice_text()

    retype(qtbot, details.notice_sent_on, "29/06/2025")
    qtbot.waitUntil(
        lambda: "Notice sent on 29/06/2025: 14 clear days given." in details.notice_text(),
        timeout=20_000,
    )
    assert "⚠" not in details.notice_text()


def test_agenda_items_added_and_reordered_by_keys_minutes_saved_with_ctrl_s(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    before = [i.title for i in services.meetings.get_meeting(services.actor, meeting_id).items]
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.agenda)
    agenda = editor.agenda

    push(qtbot, agenda.add_button)
    qtbot.keyClicks(agenda.title, "Budget 2025/26")
    retype(qtbot, agenda.presenter, "Treasurer")
    # Alt+Up twice: before the last two items.
    agenda.list.setFocus()
    press(qtbot, agenda.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    press(qtbot, agenda.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert agenda.list.currentRow() == len(before) - 2
    retype(qtbot, agenda.minutes, "The budget was presented and discussed.")
    save_keys(qtbot, editor, agenda.minutes)

    saved = services.meetings.get_meeting(services.actor, meeting_id)
    titles = [i.title for i in saved.items]
    assert titles == [*before[:-2], "Budget 2025/26", *before[-2:]]
    budget = saved.items[len(before) - 2]
    assert budget.presenter == "Treasurer"
    assert budget.minutes == "The budget was presented and discussed."
    assert budget.position == len(before) - 1
    assert not editor.has_changes()

    # Alt+Down moves it back down one; saved again.
    press(qtbot, agenda.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    save_keys(qtbot, editor, agenda.list)
    titles = [i.title for i in services.meetings.get_meeting(services.actor, meeting_id).items]
    assert titles == [*before[:-2], before[-2], "Budget 2025/26", before[-1]]


def test_a_paper_attached_through_the_file_box_opened_and_removed(  # type: ignore[no-untyped-def]
    qtbot, modals: Modals, services: Services, board: Board, sqlite_db: Database, tmp_path: Path
) -> None:
    paper = tmp_path / "Budget 2025-26.pdf"
    paper.write_bytes(b"%PDF-1.4 the budget")
    meeting_id = board_meeting(services, board)
    editor = MeetingEditor(services, meeting_id, None)
    opened(qtbot, editor)
    urls: list[QUrl] = []
    editor.open_url = lambda url: urls.append(url) or True  # type: ignore[method-assign]
    editor.tabs.setCurrentWidget(editor.agenda)
    agenda = editor.agenda
    agenda.list.setCurrentRow(3)
    item_id = agenda.entries[3].item_id

    def choose_file(box) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(box, QFileDialog)
        edit = box.findChild(QLineEdit, "fileNameEdit")
        edit.selectAll()
        qtbot.keyClicks(edit, str(paper))
        qtbot.mouseClick(button(box, "Open"), Qt.MouseButton.LeftButton)

    modals.then(choose_file)
    push(qtbot, agenda.attach_button)
    modals.wait_answered()
    qtbot.waitUntil(lambda: agenda.papers.count() == 1, timeout=20_000)
    assert agenda.papers.item(0).text().startswith("Budget 2025-26.pdf")
    item = next(
        i
        for i in services.meetings.get_meeting(services.actor, meeting_id).items
        if i.id == item_id
    )
    assert [p.file_name for p in item.papers] == ["Budget 2025-26.pdf"]

    agenda.papers.setCurrentRow(0)
    push(qtbot, agenda.open_button)
    assert len(urls) == 1
    assert Path(urls[0].toLocalFile()).read_bytes() == b"%PDF-1.4 the budget"
    assert Path(urls[0].toLocalFile()).name == "Budget 2025-26.pdf"

    modals.click("Remove")
    push(qtbot, agenda.remove_paper_button)
    modals.wait_answered()
    assert agenda.papers.count() == 0
    assert count(sqlite_db, AgendaPaper) == 0


def test_attendance_by_the_combos_and_the_quorum_changing_live(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.attendance)
    table = editor.attendance
    rows = {row.who.label: row for row in table.rows}
    assert "Priya Shah" in rows and len(rows) == 9  # eight directors and the observer
    assert rows["Priya Shah"].votes.text().startswith("No")
    items = len(table.items)
    assert all("NOT quorate: 0 present of 3 needed" in line for line in table.quorum_lines())

    for name in ("Christine Gilbert", "Rahul Mehta"):
        choose(qtbot, rows[name].status, "Present")
    choose(qtbot, rows["Priya Shah"].status, "In attendance")  # an observer does not count
    assert all("NOT quorate: 2 present of 3 needed" in line for line in table.quorum_lines())
    choose(qtbot, rows["Amina Yusuf"].status, "Present")
    # Exactly at quorum.
    assert all(": quorate: 3 present of 3 needed" in line for line in table.quorum_lines())
    assert "NOT" not in table.quorum_label.text()

    # One leaves before item 5: from item 5 on it is not quorate.
    choose(qtbot, rows["Amina Yusuf"].left, "5")
    lines = table.quorum_lines()
    assert all(": quorate: 3 present" in line for line in lines[:4])
    assert all("NOT quorate: 2 present of 3 needed" in line for line in lines[4:items])
    assert "⚠" in table.quorum_label.text()

    assert editor.changed_parts() == ["attendance"]
    save_keys(qtbot, editor, rows["Amina Yusuf"].left)
    saved = services.meetings.get_meeting(services.actor, meeting_id)
    assert [q.quorate for q in saved.quorum] == [True] * 4 + [False] * (items - 4)
    amina = next(a for a in saved.attendance if a.person_id == board.people["Amina Yusuf"])
    assert amina.left_at_item == 5


def test_a_decision_with_more_votes_than_voters_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meeting_id = board_meeting(services, board)
    attend(
        services,
        meeting_id,
        board,
        "Christine Gilbert",
        "Rahul Mehta",
        "Amina Yusuf",
        "David Okafor",
    )
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.decisions)
    push(qtbot, editor.decisions.new_button)
    (dialog,) = editor.forms  # type: ignore[attr-defined]
    assert isinstance(dialog, DecisionDialog)
    choose(qtbot, dialog.item, "4.")
    assert "quorate: 4 present of 3 needed; 4 there may vote" in dialog.quorum_label.text()
    qtbot.keyClicks(dialog.text, "That the budget for 2025/26 be approved.")
    qtbot.keyClicks(dialog.votes.boxes["for_"], "5")
    qtbot.keyClicks(dialog.votes.boxes["against"], "1")
    assert "6 votes are more than the 4 present" in dialog.votes_check.text()
    decisions, history = count(sqlite_db, Decision), count(sqlite_db, AuditEvent)
    press(qtbot, dialog.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.isVisible()
    assert "6" in dialog.messages.message("votes") and "4" in dialog.messages.message("votes")
    assert count(sqlite_db, Decision) == decisions and count(sqlite_db, AuditEvent) == history
    assert dialog.text.toPlainText() == "That the budget for 2025/26 be approved."

    retype(qtbot, dialog.votes.boxes["for_"], "3")
    press(qtbot, dialog.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert editor.decisions.model.rowCount() == 1
    assert editor.decisions.model.row_values(0)[0] == "B/2025/07/1"
    assert editor.decisions.model.row_values(0)[5] == "3 for, 1 against, 0 abstaining"


def approve_at_september(qtbot, services: Services, board: Board):  # type: ignore[no-untyped-def]
    """July's minutes typed; September's meeting quorate; July's editor open and approved."""
    july = board_meeting(services, board, JULY)
    detail = services.meetings.get_meeting(services.actor, july)
    items = [i.as_input() for i in detail.items]
    items[3] = replace(items[3], minutes="The treasurer reported £12,500.")
    services.meetings.save_agenda(services.actor, july, items, detail.version)
    september = board_meeting(services, board, SEPTEMBER)
    attend(services, september, board, "Christine Gilbert", "Rahul Mehta", "Amina Yusuf")
    editor = editor_of(qtbot, services, july)
    push(qtbot, editor.approve_button)
    (dialog,) = editor.forms  # type: ignore[attr-defined]
    assert isinstance(dialog, ApproveMinutesDialog)
    assert dialog.at_meeting.currentText() == "Board of Directors, 15/09/2025"
    assert "minutes" in dialog.item.currentText().casefold()
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    return editor, july, september


def test_minutes_approved_at_a_later_meeting_make_every_box_read_only(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    editor, july, september = approve_at_september(qtbot, services, board)
    saved = services.meetings.get_meeting(services.actor, july)
    assert saved.minutes_status == MinutesStatus.APPROVED
    assert "Approved on 15/09/2025 at Board of Directors, 15/09/2025" in editor.state_label.text()
    assert editor.locked_label.isVisible()
    assert "cannot be changed" in editor.locked_label.text() or "nothing here can be changed" in (
        editor.locked_label.text()
    )
    for page in editor.pages:
        editor.tabs.setCurrentWidget(page)
    assert editable_widgets(editor) == []
    assert not editor.save_button.isVisible()
    assert not editor.agenda.add_button.isVisible()
    assert not editor.decisions.new_button.isVisible()
    assert editor.erratum_button.isVisible() and editor.sign_button.isVisible()
    assert not editor.approve_button.isVisible()
    approval = services.meetings.get_meeting(services.actor, september).decisions
    assert [d.approves_meeting_id for d in approval] == [july]


def test_an_erratum_appears_under_its_item_with_the_original_text_kept(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    editor, july, _ = approve_at_september(qtbot, services, board)
    editor.tabs.setCurrentWidget(editor.agenda)
    editor.agenda.list.setCurrentRow(3)
    push(qtbot, editor.erratum_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    assert isinstance(dialog, ErratumDialog)
    assert dialog.item.currentText().startswith("4.")
    qtbot.keyClicks(dialog.correction, "For 12,500 read 15,200.")
    qtbot.keyClicks(dialog.reason, "A typing error")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()

    editor.agenda.list.setCurrentRow(3)
    assert editor.agenda.minutes.toPlainText() == "The treasurer reported £12,500."
    assert editor.agenda.errata_label.isVisible()
    assert "For 12,500 read 15,200." in editor.agenda.errata_label.text()
    assert "A typing error" in editor.agenda.errata_label.text()
    editor.agenda.list.setCurrentRow(2)
    assert not editor.agenda.errata_label.isVisible()
    saved = services.meetings.get_meeting(services.actor, july)
    assert saved.items[3].minutes == "The treasurer reported £12,500."
    assert [e.correction for e in saved.errata] == ["For 12,500 read 15,200."]


def test_a_staff_user_sees_the_meeting_read_only(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meeting_id = board_meeting(services, board)
    reader = Services(sqlite_db, Actor("sam.staff", Role.STAFF))
    editor = editor_of(qtbot, reader, meeting_id)
    assert "only the clerk or an administrator can change it" in editor.locked_label.text()
    assert editable_widgets(editor) == []
    for push_button in (
        editor.save_button,
        editor.circulate_button,
        editor.approve_button,
        editor.agenda.add_button,
        editor.agenda.attach_button,
        editor.agenda.status_button,
        editor.attendance.add_guest_button,
        editor.decisions.new_button,
        editor.actions_page.new_button,
    ):
        assert not push_button.isVisible(), push_button.text()
    activate(qtbot, editor)
    before = count(sqlite_db, AuditEvent)
    press(qtbot, editor.agenda.list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert count(sqlite_db, AuditEvent) == before


def test_a_decision_where_the_meeting_was_not_quorate_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meeting_id = board_meeting(services, board)
    attend(services, meeting_id, board, "Christine Gilbert", "Rahul Mehta")
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.decisions)
    push(qtbot, editor.decisions.new_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    choose(qtbot, dialog.item, "5.")
    assert "NOT quorate: 2 present of 3 needed" in dialog.quorum_label.text()
    qtbot.keyClicks(dialog.text, "That the budget be approved.")
    before = count(sqlite_db, Decision), count(sqlite_db, AuditEvent)
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible()
    assert "not quorate at item 5" in dialog.messages.message("votes")
    assert (count(sqlite_db, Decision), count(sqlite_db, AuditEvent)) == before


def test_minutes_circulated_then_signed_by_the_chair_after_approval(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    editor, july, _ = approve_at_september(qtbot, services, board)
    push(qtbot, editor.sign_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    assert dialog.signed_by.text() == "Christine Gilbert"  # the chair, prefilled
    assert dialog.signed_on.text() == "15/09/2025"
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert "Signed by Christine Gilbert on 15/09/2025" in editor.state_label.text()
    assert not editor.sign_button.isVisible() and editor.erratum_button.isVisible()
    saved = services.meetings.get_meeting(services.actor, july)
    assert (saved.signed_by, saved.signed_on) == ("Christine Gilbert", SEPTEMBER)


def test_draft_minutes_circulated_on_a_date_typed(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    assert "Draft minutes" in editor.state_label.text()
    push(qtbot, editor.circulate_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    retype(qtbot, dialog.on, "10/07/2025")  # before the meeting: refused in words
    push(qtbot, button(dialog, "Save"))
    assert "Minutes are circulated after the meeting (14/07/2025)." == dialog.messages.message("on")
    retype(qtbot, dialog.on, "20/07/2025")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert "Circulated on 20/07/2025" in editor.state_label.text()
    assert services.meetings.get_meeting(services.actor, meeting_id).circulated_on == date(
        2025, 7, 20
    )


def test_matters_arising_brought_up_to_date_at_the_next_meeting(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    july = board_meeting(services, board, JULY)
    action = services.governance_actions.save_action(
        services.actor,
        ActionInput(
            july, "Circulate the budget", board.people["Helen Price"], due_on=date(2025, 9, 1)
        ),
    )
    september = board_meeting(services, board, SEPTEMBER)
    editor = editor_of(qtbot, services, september)
    editor.tabs.setCurrentWidget(editor.agenda)
    matters = editor.agenda.matters_model
    assert matters.rowCount() == 1
    assert matters.row_values(0)[:4] == (
        "Circulate the budget",
        "Helen Price",
        date(2025, 9, 1),
        "Open (overdue)",
    )
    editor.agenda.matters.selectRow(0)
    push(qtbot, editor.agenda.status_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    assert dialog.status.currentText() == "Done"
    qtbot.keyClicks(dialog.progress, "Sent to every member school")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    saved = services.governance_actions.get_action(services.actor, action.id)
    assert saved.status == ActionStatus.DONE and saved.closed_at_meeting_id == september
    assert saved.closed_on == SEPTEMBER and saved.progress == "Sent to every member school"
    assert matters.row_values(0)[3] == "Done: Sent to every member school"


def test_an_action_raised_from_the_actions_page(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.actions_page)
    push(qtbot, editor.actions_page.new_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    assert isinstance(dialog, ActionEditor)
    qtbot.keyClicks(dialog.text, "Draft the annual report")
    qtbot.keyClicks(dialog.owner.lineEdit(), "Executive Director")
    retype(qtbot, dialog.due_on, "31/10/2025")
    choose(qtbot, dialog.item, "4.")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert editor.actions_page.model.rowCount() == 1
    row = editor.actions_page.model.row_values(0)
    assert row[:5] == (
        "Draft the annual report",
        "Executive Director",
        date(2025, 10, 31),
        "Open",
        4,
    )


def test_closing_with_minutes_typed_asks_first(  # type: ignore[no-untyped-def]
    qtbot, modals: Modals, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.agenda)
    editor.agenda.list.setCurrentRow(4)
    retype(qtbot, editor.agenda.minutes, "The treasurer reported.")
    modals.click("Keep editing")
    push(qtbot, editor.close_button)
    modals.wait_answered()
    assert editor.isVisible() and editor.agenda.minutes.toPlainText() == "The treasurer reported."
    modals.click("Save")
    push(qtbot, editor.close_button)
    modals.wait_answered()
    assert not editor.isVisible() and editor.result() == QDialog.DialogCode.Accepted
    saved = services.meetings.get_meeting(services.actor, meeting_id)
    assert saved.items[4].minutes == "The treasurer reported."


def test_the_minutes_printed_from_the_editor_say_what_was_just_typed(  # type: ignore[no-untyped-def]
    qtbot, modals: Modals, services: Services, board: Board, tmp_path: Path
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.agenda)
    editor.agenda.list.setCurrentRow(4)
    retype(qtbot, editor.agenda.minutes, "The treasurer presented the budget.")
    target = tmp_path / "July minutes.pdf"

    def save_as(box) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(box, QFileDialog)
        edit = box.findChild(QLineEdit, "fileNameEdit")
        assert edit.text() == "Minutes - Board of Directors - 2025-07-14.pdf"
        edit.selectAll()
        qtbot.keyClicks(edit, str(target))
        qtbot.mouseClick(button(box, "Save"), Qt.MouseButton.LeftButton)

    modals.then(save_as)
    push(qtbot, button(editor, "Minutes…"))
    modals.wait_answered()
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=15_000)
    qtbot.waitUntil(lambda: bool(pdf_windows()), timeout=15_000)
    for window in pdf_windows():
        window.close()
    assert not editor.has_changes()  # saved before printing
    pages = PdfReader(str(target)).pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert "The treasurer presented the budget." in text


def pdf_windows() -> list[PdfWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfWindow) and w.isVisible()]


def test_attendance_that_would_leave_a_decision_inquorate_is_refused_in_the_services_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meeting_id = board_meeting(services, board)
    attend(services, meeting_id, board, "Christine Gilbert", "Rahul Mehta", "Amina Yusuf")
    detail = services.meetings.get_meeting(services.actor, meeting_id)
    services.meetings.save_decision(
        services.actor,
        meeting_id,
        DecisionInput(detail.items[4].id, "That the budget be approved.", votes=Votes(3, 0, 0)),
    )
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.decisions)
    rows = {row.who.label: row for row in editor.attendance.rows}
    choose(qtbot, rows["Amina Yusuf"].status, "Apologies")
    retype(qtbot, editor.details.venue, "Oxford House")  # a page saved before the refusal
    save_keys(qtbot, editor, rows["Amina Yusuf"].status)
    assert services.meetings.get_meeting(services.actor, meeting_id).venue == "Oxford House"
    assert editor.banner.text().endswith("Saved already: the meeting's details.")
    assert "not saved: the attendance." in editor.banner.text()
    history = count(sqlite_db, AuditEvent)
    save_keys(qtbot, editor, rows["Amina Yusuf"].status)

    assert editor.tabs.currentWidget() is editor.attendance
    words = editor.messages.message("attendance")
    assert words.startswith("Decision B/2025/07/1 would no longer stand: ")
    assert "not quorate at item 5" in words
    assert rows["Amina Yusuf"].status.currentText() == "Apologies"  # as chosen, not reset
    assert count(sqlite_db, AuditEvent) == history
    saved = services.meetings.get_meeting(services.actor, meeting_id)
    assert sum(1 for a in saved.attendance if a.status.value == "present") == 3


def test_a_guest_added_attends_without_a_vote_and_is_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.attendance)
    table = editor.attendance
    push(qtbot, table.add_guest_button)
    guest = table.rows[-1]
    qtbot.keyClicks(guest.name, "Jane Ward")
    qtbot.keyClicks(guest.role, "Auditor")
    assert guest.status.currentText() == "In attendance"
    assert guest.votes.text().startswith("No")
    assert all("NOT quorate: 0 present" in line for line in table.quorum_lines())
    save_keys(qtbot, editor, guest.role)
    saved = services.meetings.get_meeting(services.actor, meeting_id)
    (jane,) = [a for a in saved.attendance if a.person_id is None]
    assert (jane.name, jane.role, jane.votes) == ("Jane Ward", "Auditor", False)
    assert [row.who.label for row in table.rows if row.who.is_guest] == ["Jane Ward"]


def test_a_decision_deleted_and_the_later_ones_renumbered(  # type: ignore[no-untyped-def]
    qtbot, modals: Modals, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    attend(services, meeting_id, board, "Christine Gilbert", "Rahul Mehta", "Amina Yusuf")
    item = services.meetings.get_meeting(services.actor, meeting_id).items[4].id
    for text in ("That the budget be approved.", "That the fees rise by 3%."):
        services.meetings.save_decision(services.actor, meeting_id, DecisionInput(item, text))
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.decisions)
    editor.decisions.table.selectRow(0)
    modals.click("Delete")
    push(qtbot, editor.decisions.delete_button)
    modals.wait_answered()
    assert "Delete decision B/2025/07/1 (That the budget be approved.)?" in modals.seen[0].text
    assert editor.decisions.model.rowCount() == 1
    assert editor.decisions.model.row_values(0)[:3] == (
        "B/2025/07/1",
        5,
        "That the fees rise by 3%.",
    )


def test_a_result_that_does_not_follow_from_the_votes_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, sqlite_db: Database
) -> None:
    meeting_id = board_meeting(services, board)
    attend(services, meeting_id, board, "Christine Gilbert", "Rahul Mehta", "Amina Yusuf")
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.decisions)
    push(qtbot, editor.decisions.new_button)
    dialog = editor.forms[-1]  # type: ignore[attr-defined]
    choose(qtbot, dialog.item, "5.")
    qtbot.keyClicks(dialog.text, "That the fees rise by 3%.")
    qtbot.keyClicks(dialog.votes.boxes["for_"], "1")
    qtbot.keyClicks(dialog.votes.boxes["against"], "2")
    assert "was not carried" in dialog.votes_check.text()  # said before saving
    before = count(sqlite_db, Decision), count(sqlite_db, AuditEvent)
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible()
    assert dialog.messages.message("votes") == (
        "With 1 for, 2 against, 0 abstaining the resolution was not carried (an ordinary "
        "resolution needs more votes for than against)."
    )
    assert (count(sqlite_db, Decision), count(sqlite_db, AuditEvent)) == before
    choose(qtbot, dialog.outcome, "Not")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert editor.decisions.model.row_values(0)[4] == "Not carried"


def test_a_general_meeting_lists_the_member_schools_and_records_a_proxy(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board
) -> None:
    for number, name in enumerate(("Bonner Primary School", "Bow School", "Morpeth School")):
        school = make_school(services, f"10{number:04d}", name)
        join(services, school, date(2024, 1, 10), date(2024, 2, 1))
    agm = services.meetings.save_meeting(
        services.actor, MeetingInput(board.gm_id, date(2025, 11, 20), kind=MeetingKind.ANNUAL)
    )
    editor = editor_of(qtbot, services, agm.id)
    # A general meeting is chaired from the Board.
    assert editor.details.chair.findText("Christine Gilbert (Chair)") > 0
    editor.tabs.setCurrentWidget(editor.attendance)
    table = editor.attendance
    rows = {row.who.label: row for row in table.rows}
    assert list(rows) == ["Bonner Primary School", "Bow School", "Morpeth School"]
    assert "3 member schools entitled to vote" in table.rule_label.text()
    qtbot.keyClicks(rows["Bonner Primary School"].represented_by, "Ms Ann Bonner")
    choose(qtbot, rows["Bonner Primary School"].status, "Present")
    rows["Bow School"].by_proxy.setFocus()
    qtbot.keyClick(rows["Bow School"].by_proxy, Qt.Key.Key_Space)
    assert rows["Bow School"].status.currentText() == "Present"  # present through its proxy
    qtbot.keyClicks(rows["Bow School"].proxy_name, "Christine Gilbert")
    assert all(": quorate: 2 present of 2 needed" in line for line in table.quorum_lines())
    save_keys(qtbot, editor, rows["Bow School"].proxy_name)
    saved = services.meetings.get_meeting(services.actor, agm.id)
    lines = {a.label: a for a in saved.attendance}
    assert lines["Bow School"].by_proxy and lines["Bow School"].proxy_name == "Christine Gilbert"
    assert lines["Bonner Primary School"].name == "Ms Ann Bonner"
    assert all(q.quorate for q in saved.quorum)


def test_an_item_with_a_decision_is_not_taken_off_the_agenda(  # type: ignore[no-untyped-def]
    qtbot, modals: Modals, services: Services, board: Board
) -> None:
    meeting_id = board_meeting(services, board)
    attend(services, meeting_id, board, "Christine Gilbert", "Rahul Mehta", "Amina Yusuf")
    item = services.meetings.get_meeting(services.actor, meeting_id).items[4]
    services.meetings.save_decision(
        services.actor, meeting_id, DecisionInput(item.id, "That the budget be approved.")
    )
    editor = editor_of(qtbot, services, meeting_id)
    editor.tabs.setCurrentWidget(editor.agenda)
    editor.agenda.list.setCurrentRow(4)
    modals.click("OK")
    push(qtbot, editor.agenda.remove_button)
    modals.wait_answered()
    assert modals.seen[0].text.startswith(f"Item 5. {item.title} has decisions recorded at it")
    assert editor.agenda.list.count() == len(
        services.meetings.get_meeting(services.actor, meeting_id).items
    )
    assert not editor.has_changes()


def test_a_paper_attached_to_an_item_just_added_saves_the_agenda_first(  # type: ignore[no-untyped-def]
    qtbot, services: Services, board: Board, tmp_path: Path
) -> None:
    paper = tmp_path / "Risk register.xlsx"
    paper.write_bytes(b"PK the register")
    meeting_id = board_meeting(services, board)
    editor = editor_of(qtbot, services, meeting_id)
    editor.ask_open_path = lambda *args: (str(paper), "")  # type: ignore[method-assign]
    editor.tabs.setCurrentWidget(editor.agenda)
    push(qtbot, editor.agenda.add_button)
    qtbot.keyClicks(editor.agenda.title, "Risk register review")
    push(qtbot, editor.agenda.attach_button)
    saved = services.meetings.get_meeting(services.actor, meeting_id).items[-1]
    assert saved.title == "Risk register review"
    assert [p.file_name for p in saved.papers] == ["Risk register.xlsx"]
    assert editor.agenda.papers.count() == 1 and not editor.has_changes()
