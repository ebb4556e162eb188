"""The compliance panel beside the Governance tab's views: bodies behind their required
frequency, short notices, overdue actions and terms ending soon; a click goes to the record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from thep_desktop.domain.dates import format_date
from thep_desktop.services.governance.governance_data import ComplianceReport
from thep_desktop.ui.governance.actions_table_model import overdue_days, overdue_words
from thep_desktop.ui.governance.meetings_table_model import WARNING_COLOUR, WARNING_SIGN

# What a line goes to when clicked: (kind, id).
BODY, MEETING, ACTION, PERSON = "body", "meeting", "action", "person"
KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ALL_IN_ORDER = (
    "✓ All in order: every body has met as often as it must, no notice was short, no action "
    "is overdue and no term ends in the next 90 days."
)


class CompliancePanel(QWidget):
    """``chosen(kind, id)`` when a line is clicked (or Enter pressed on it)."""

    chosen = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compliance_panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 0)
        self.title = QLabel("Compliance")
        self.title.setObjectName("compliance_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("compliance_list")
        self.list.setWordWrap(True)
        self.list.setSpacing(1)
        self.list.setToolTip("Click a line to go to the meeting, action or person")
        self.list.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)

    def show_report(self, report: ComplianceReport) -> None:
        self.list.clear()
        due = (
            len(report.behind)
            + len(report.short_notices)
            + len(report.overdue_actions)
            + len(report.terms_ending)
        )
        self.title.setText(
            f"Compliance on {format_date(report.as_at)}" + (f": {due} to look at" if due else "")
        )
        if report.all_clear:
            self._line(ALL_IN_ORDER, "", 0, colour=QColor("#2f7d32"))
            return
        if report.behind:
            self._heading("Behind their required meetings")
            for gap in report.behind:
                self._line(f"{WARNING_SIGN} {gap.message}", BODY, gap.body_id)
        if report.short_notices:
            self._heading("Short notice")
            for meeting in report.short_notices:
                self._line(
                    f"{WARNING_SIGN} {meeting.label}: {meeting.notice.message}", MEETING, meeting.id
                )
        if report.overdue_actions:
            self._heading("Overdue actions")
            for action in report.overdue_actions:
                days = overdue_days(action, report.as_at)
                owner = f" ({action.owner_label})" if action.owner_label else ""
                self._line(
                    f"{WARNING_SIGN} {action.text}{owner}: due {format_date(action.due_on)}, "
                    f"{overdue_words(days)}",
                    ACTION,
                    action.id,
                )
        if report.terms_ending:
            self._heading("Terms ending in the next 90 days")
            for appointment in report.terms_ending:
                self._line(
                    f"{appointment.person_name}, {appointment.capacity.label.split(' (')[0]} of "
                    f"the {appointment.body_name}: term ends "
                    f"{_on(appointment.term_ends_on)}",
                    PERSON,
                    appointment.person_id,
                )

    def show_problem(self, text: str) -> None:
        self.list.clear()
        self._line(text, "", 0)

    def lines(self) -> list[str]:
        """The lines shown, headings included, top to bottom."""
        return [self.list.item(n).text() for n in range(self.list.count())]

    def _heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        font = QFont(self.list.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.NoItemFlags | Qt.ItemFlag.ItemIsEnabled)
        self.list.addItem(item)

    def _line(self, text: str, kind: str, record_id: int, colour: QColor | None = None) -> None:
        item = QListWidgetItem(text)
        item.setData(KIND_ROLE, kind)
        item.setData(ID_ROLE, record_id)
        item.setToolTip(text)
        if colour is not None:
            item.setForeground(QBrush(colour))
        elif kind in (BODY, MEETING, ACTION):
            item.setForeground(QBrush(WARNING_COLOUR))
        if not kind:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.list.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        kind = item.data(KIND_ROLE)
        if kind:
            self.chosen.emit(kind, int(item.data(ID_ROLE)))


def _on(day: date | None) -> str:
    return format_date(day) if day is not None else ""
