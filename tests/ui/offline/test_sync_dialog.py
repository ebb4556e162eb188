"""The Synchronise window on its own: flags in view, whole-record conflicts, Keep all mine and
Take all theirs, Synchronise only once every line has a side, Esc to leave."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from qt_driving import activate, press, push

from thep_desktop.services.offline.offline_data import (
    WHOLE_RECORD,
    ChangeKind,
    Choice,
    Conflict,
    ConflictKind,
    CopyInfo,
    FieldConflict,
    RecordChange,
    SyncPlan,
)
from thep_desktop.ui.offline.sync_dialog import TO_CHOOSE, SyncDialog

pytestmark = pytest.mark.gui
FLAG = (
    "A payment of £250.00 recorded in the copy is set against INV-00012, which the office "
    "credited meanwhile (CN-00003, dated 20/11/2026)."
)


def a_plan(*, conflicts: bool = True) -> SyncPlan:
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    info = CopyInfo(
        Path("copy.sqlite3"),
        "copy-1",
        "postgresql://treasurer@db.office.local:5432/partnership",
        "identity",
        "treasurer",
        "finance",
        "0014",
        when,
        when,
        None,
        0,
    )
    found = (
        Conflict(
            "school",
            "5a1",
            "Bow School",
            ConflictKind.BOTH_CHANGED,
            (
                FieldConflict("name", "Bow School", "Bow Primary", "Bow Academy"),
                FieldConflict("ofsted_date", "2019-11-21", "2025-03-01", None),
                FieldConflict("link_officer_id", None, "7f2", "8e3"),
            ),
        ),
        Conflict(
            "contact",
            "c03",
            "Amina Begum",
            ConflictKind.DELETED_AT_OFFICE,
            (FieldConflict("phone", "020 1", "020 2", None),),
        ),
    )
    return SyncPlan(
        info,
        send=(RecordChange("invoice", "i1", "Draft for Bow", ChangeKind.NEW),),
        receive=(
            RecordChange("school", "s2", "Mile End School", ChangeKind.CHANGED, ("town",)),
            RecordChange("contact", "c9", "Jo Lee", ChangeKind.DELETED),
        ),
        conflicts=found if conflicts else (),
        flags=(FLAG,),
        fingerprint="f",
    )


def shown(qtbot: QtBot, plan: SyncPlan) -> SyncDialog:
    dialog = SyncDialog(plan, {"7f2": "Helen Marsh"})
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def cells(dialog: SyncDialog) -> list[list[str]]:
    model = dialog.conflicts_view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_conflicts_read_the_offices_way_and_the_flag_is_in_view(
    qtbot: QtBot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, a_plan())
    qtmodeltester.check(dialog.conflicts)
    assert dialog.flags.isVisible() and dialog.flags.text() == f"⚠ {FLAG}"
    assert dialog.findChild(type(dialog.flags), "summary").text() == (
        "1 change to send, 2 to receive, 2 conflicts to resolve."
    )
    assert [dialog.tabs.tabText(i) for i in range(3)] == [
        "To &send (1)",
        "To &receive (2)",
        "&Conflicts (2)",
    ]
    assert cells(dialog) == [
        [
            "Contact “Amina Begum”",
            "Whole record",
            "As it was",
            "Kept, and changed",
            "Deleted",
            TO_CHOOSE,
        ],
        ["School “Bow School”", "Name", "Bow School", "Bow Primary", "Bow Academy", TO_CHOOSE],
        ["School “Bow School”", "Ofsted date", "21/11/2019", "01/03/2025", "—", TO_CHOOSE],
        ["School “Bow School”", "Link officer", "—", "Helen Marsh", "another record", TO_CHOOSE],
    ]
    receive = dialog.receive_view.findChild(type(dialog.conflicts_view), "receive_view")
    assert receive is not None
    texts = {receive.model().index(r, 0).data() for r in range(receive.model().rowCount())}
    assert texts == {"Changed school “Mile End School”: town", "Deleted contact “Jo Lee”"}
    # Sorted by a click on a heading: the Field column, then the Record column back.
    header = dialog.conflicts_view.horizontalHeader()
    field_heading = QPoint(header.sectionViewportPosition(1) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=field_heading)
    assert [row[1] for row in cells(dialog)] == [
        "Link officer",
        "Name",
        "Ofsted date",
        "Whole record",
    ]


def test_keep_all_mine_then_take_all_theirs_and_synchronise_only_when_all_are_chosen(
    qtbot: QtBot,
) -> None:
    dialog = shown(qtbot, a_plan())
    assert not dialog.sync_button.isEnabled()
    dialog.conflicts_view.selectRow(1)
    push(qtbot, dialog.theirs_button)  # one line: still three to choose
    assert [row[5] for row in cells(dialog)] == [TO_CHOOSE, "Theirs", TO_CHOOSE, TO_CHOOSE]
    assert not dialog.sync_button.isEnabled()
    assert "3 lines of the conflicts still to choose" in dialog.still.text()
    push(qtbot, dialog.all_mine_button)
    assert [row[5] for row in cells(dialog)] == ["Mine"] * 4
    assert dialog.sync_button.isEnabled()
    push(qtbot, dialog.all_theirs_button)
    assert dialog.resolutions() == {
        ("contact", "c03", WHOLE_RECORD): Choice.THEIRS,
        ("school", "5a1", "name"): Choice.THEIRS,
        ("school", "5a1", "ofsted_date"): Choice.THEIRS,
        ("school", "5a1", "link_officer_id"): Choice.THEIRS,
    }
    press(qtbot, dialog.conflicts_view, Qt.Key.Key_Return)  # Enter: Synchronise
    assert dialog.result() == SyncDialog.DialogCode.Accepted


def test_esc_leaves_without_synchronising_and_no_conflicts_means_ready_at_once(
    qtbot: QtBot,
) -> None:
    dialog = shown(qtbot, a_plan())
    press(qtbot, dialog.conflicts_view, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == SyncDialog.DialogCode.Rejected
    plain = shown(qtbot, a_plan(conflicts=False))
    assert plain.sync_button.isEnabled() and plain.still.text() == "Ready to synchronise."
    assert plain.tabs.currentIndex() == 0  # what goes to the office first
    assert not plain.mine_button.isEnabled() and not plain.all_theirs_button.isEnabled()
