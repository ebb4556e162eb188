"""The meetings list as a Qt table: date, body, notice (short notice marked), minutes, counts."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.services.governance.governance_data import MeetingSummary, time_label
from thep_desktop.ui.governance.record_table_model import (
    ModelIndex,
    RecordColumn,
    RecordTableModel,
    has_words,
)
from thep_desktop.ui.shared.plain_table_model import PlainColumn
from thep_desktop.ui.shared.roles import SORT_ROLE

WARNING_SIGN = "⚠"
TICK = "✓"
WARNING_COLOUR = QColor("#a04000")
CANCELLED_COLOUR = QColor("#808080")


def notice_text(meeting: MeetingSummary) -> str:
    """✓ when the notice gave the clear days needed, ⚠ Short when not, blank when none is
    recorded (the tooltip says which)."""
    if meeting.notice.short:
        return f"{WARNING_SIGN} Short"
    if meeting.notice.given is None:
        return ""
    return TICK


def minutes_text(meeting: MeetingSummary) -> str:
    return "Cancelled" if meeting.cancelled else meeting.minutes_status.label


COLUMNS: tuple[RecordColumn[MeetingSummary], ...] = (
    RecordColumn(PlainColumn("Date", "date"), lambda m: m.meets_on),
    RecordColumn(PlainColumn("Time"), lambda m: time_label(m.starts_at)),
    RecordColumn(PlainColumn("Body"), lambda m: m.body_name),
    RecordColumn(PlainColumn("Title"), lambda m: m.title),
    RecordColumn(PlainColumn("Venue"), lambda m: m.venue),
    RecordColumn(
        PlainColumn("Notice", tooltip="✓ notice gave the clear days the body needs; ⚠ short"),
        notice_text,
    ),
    RecordColumn(PlainColumn("Minutes", tooltip="Where the minutes have got to"), minutes_text),
    RecordColumn(
        PlainColumn("Decisions", "count", "Decisions and resolutions recorded"),
        lambda m: m.decisions,
    ),
    RecordColumn(
        PlainColumn("Open actions", "count", "Actions raised at the meeting and still open"),
        lambda m: m.open_actions,
    ),
)
(
    COL_DATE,
    COL_TIME,
    COL_BODY,
    COL_TITLE,
    COL_VENUE,
    COL_NOTICE,
    COL_MINUTES,
    COL_DECISIONS,
    COL_OPEN_ACTIONS,
) = range(len(COLUMNS))


class MeetingsTableModel(RecordTableModel[MeetingSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        meeting = self.record_at(index.row())
        if column == COL_NOTICE:
            if role == Qt.ItemDataRole.ToolTipRole:
                return meeting.notice.message
            if role == Qt.ItemDataRole.ForegroundRole and meeting.notice.short:
                return QBrush(WARNING_COLOUR)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and meeting.cancelled:
            return QBrush(CANCELLED_COLOUR)
        if role == SORT_ROLE and column == COL_DATE:
            return (meeting.meets_on, meeting.starts_at or time.min, meeting.body_name.casefold())
        if role == SORT_ROLE and column == COL_MINUTES:
            return (meeting.cancelled, meeting.minutes_status.order)
        return super().data(index, role)


def meeting_passes(
    meeting: MeetingSummary,
    body_id: int | None,
    year: AcademicYear | None,
    words: tuple[str, ...],
) -> bool:
    if body_id is not None and meeting.body_id != body_id:
        return False
    if year is not None and meeting.meets_on not in year:
        return False
    return not words or has_words(
        words,
        meeting.title,
        meeting.body_name,
        meeting.body_code,
        meeting.venue,
        f"{meeting.meets_on:%d/%m/%Y}",
        minutes_text(meeting),
        meeting.notice.message if meeting.notice.short else "",
    )


def years_of(meetings: list[MeetingSummary], today: date) -> list[AcademicYear]:
    """The academic years the meetings fall in, and this one, latest first."""
    years = {AcademicYear.of(m.meets_on) for m in meetings} | {AcademicYear.of(today)}
    return sorted(years, reverse=True)
