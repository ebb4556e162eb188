"""The action tracker as a Qt table: overdue actions coloured, and said in words with a ⚠."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from thep_desktop.domain.dates import format_date
from thep_desktop.services.governance.governance_data import ActionDetail
from thep_desktop.ui.governance.meetings_table_model import WARNING_COLOUR, WARNING_SIGN
from thep_desktop.ui.governance.record_table_model import (
    ModelIndex,
    RecordColumn,
    RecordTableModel,
    has_words,
)
from thep_desktop.ui.shared.plain_table_model import PlainColumn
from thep_desktop.ui.shared.roles import SORT_ROLE

OVERDUE_BACKGROUND = QColor("#fde2d6")
CLOSED_COLOUR = QColor("#707070")


def overdue_days(action: ActionDetail, today: date) -> int:
    """Days past its due date an open action is (0 when it is not overdue)."""
    if not action.overdue(today) or action.due_on is None:
        return 0
    return (today - action.due_on).days


def overdue_words(days: int) -> str:
    return f"overdue by {days} day{'' if days == 1 else 's'}"


def status_text(action: ActionDetail, today: date) -> str:
    """``Open``, ``⚠ In progress – overdue by 3 days``, ``Done 14/01/2026``."""
    days = overdue_days(action, today)
    if days:
        return f"{WARNING_SIGN} {action.status.label} – {overdue_words(days)}"
    if action.closed_on is not None:
        return f"{action.status.label} {format_date(action.closed_on)}"
    return action.status.label


def columns(today: Callable[[], date]) -> tuple[RecordColumn[ActionDetail], ...]:
    return (
        RecordColumn(PlainColumn("Due", "date", "The date the action is due"), lambda a: a.due_on),
        RecordColumn(PlainColumn("Action"), lambda a: a.text),
        RecordColumn(PlainColumn("Owner"), lambda a: a.owner_label),
        RecordColumn(PlainColumn("Body"), lambda a: a.body_name),
        RecordColumn(
            PlainColumn("Raised", "date", "The day of the meeting that raised it"),
            lambda a: a.raised_on,
        ),
        RecordColumn(
            PlainColumn("Status", tooltip="⚠ an open action past its due date"),
            lambda a: status_text(a, today()),
        ),
        RecordColumn(PlainColumn("Progress"), lambda a: a.progress),
        RecordColumn(
            PlainColumn("Closed", "date", "The day it was done or dropped"), lambda a: a.closed_on
        ),
    )


(
    COL_DUE,
    COL_TEXT,
    COL_OWNER,
    COL_BODY,
    COL_RAISED,
    COL_STATUS,
    COL_PROGRESS,
    COL_CLOSED,
) = range(8)


class ActionsTableModel(RecordTableModel[ActionDetail]):
    """``today`` is read as the rows are set, so a tracker left open overnight is right after
    a reload."""

    def __init__(self, parent: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(columns(lambda: self.today), parent)
        self.today = today()
        self._today = today

    def set_records(self, records: Any) -> None:
        self.today = self._today()
        super().set_records(records)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        action = self.record_at(index.row())
        days = overdue_days(action, self.today)
        if role == Qt.ItemDataRole.BackgroundRole and days:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if days and index.column() in (COL_DUE, COL_STATUS):
                return QBrush(WARNING_COLOUR)
            if not action.is_open:
                return QBrush(CLOSED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_RAISED:
            return f"Raised at {action.meeting_label}"
        if role == Qt.ItemDataRole.ToolTipRole and days:
            due = format_date(action.due_on)
            return f"{WARNING_SIGN} Due {due}: {overdue_words(days)}. {action.text}"
        if role == SORT_ROLE and index.column() == COL_DUE:
            # Undated last, as the service lists them; then by when raised.
            return (action.due_on is None, action.due_on or date.max, action.raised_on)
        if role == SORT_ROLE and index.column() == COL_STATUS:
            return (not action.is_open, -days, action.status.value)
        return super().data(index, role)


def action_passes(
    action: ActionDetail,
    body_id: int | None,
    open_only: bool,
    owner: str,
    words: tuple[str, ...],
) -> bool:
    if body_id is not None and action.body_id != body_id:
        return False
    if open_only and not action.is_open:
        return False
    if owner and action.owner_label != owner:
        return False
    return not words or has_words(
        words,
        action.text,
        action.owner_label,
        action.body_name,
        action.meeting_label,
        action.progress,
        action.status.label,
    )
