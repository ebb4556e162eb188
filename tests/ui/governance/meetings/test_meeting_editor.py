"""The meeting editor: a new meeting refused without its body; the notice checked as the dates
are typed; the agenda reordered by keys and minutes saved with Ctrl+S; papers attached and
removed; attendance and the live quorum; decisions refused in words; the minutes approved at a
later meeting, then read-only, with errata under their item; a reader sees it read-only."""

from __future__ import annotations

from dataclasses import replace
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
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QLineEdit
from qt_driving import Modals, activate, button, press, push
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.governance import MinutesStatus
from thep_desktop.domain.roles import Role
from thep_desktop.models import AgendaPaper, AuditEvent, Decision, Meeting
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.governance.decision_dialog import DecisionDialog
from thep_desktop.ui.governance.meeting_editor import MeetingEditor
from thep_desktop.ui.governance.minutes_dialogs import ApproveMinutesDialog, ErratumDialog

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
    """Choose an entry of a drop-down by typing its first word, as a person does (a space
    would open its list)."""
    combo.setFocus()
    qtbot.keyClicks(combo, text.split(" ")[0])
    assert combo.currentText().startswith(text), (combo.currentText(), text)


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
    qtbot.waitUntil(lambda: "Short notice" in details.notice_text(), timeout=3_000)
    assert "⚠" in details.notice_text()
    assert "12 clear days" in details.notice_text() and "14 were needed" in details.notice_text()

    retype(qtbot, details.notice_sent_on, "29/06/2025")
    qtbot.waitUntil(
        lambda: "Notice sent on 29/06/2025: 14 clear days given." in details.notice_text(),
        timeout=3_000,
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
    qtbot.waitUntil(lambda: agenda.papers.count() == 1, timeout=3_000)
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
        editor.actions.new_button,
    ):
        assert not push_button.isVisible(), push_button.text()
    activate(qtbot, editor)
    before = count(sqlite_db, AuditEvent)
    press(qtbot, editor.agenda.list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert count(sqlite_db, AuditEvent) == before
