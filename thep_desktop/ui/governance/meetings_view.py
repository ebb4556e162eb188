"""The Meetings view of the Governance tab: the meetings of every body, filtered by body,
academic year and words; on a database without bodies, the offer to add the usual ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.services.governance.governance_data import BodyDetail, MeetingSummary
from thep_desktop.ui.governance.meetings_table_model import (
    COL_BODY,
    COL_DATE,
    COL_TITLE,
    COL_VENUE,
    MeetingsTableModel,
    meeting_passes,
    years_of,
)
from thep_desktop.ui.governance.record_list_view import (
    ALL_BODIES,
    RecordListView,
    body_combo,
    refill,
)
from thep_desktop.ui.governance.record_table_model import words_of

ALL_YEARS = "All years"
NO_BODIES = (
    "<b>No boards or councils are recorded yet.</b><br><br>"
    "Start with the usual bodies of the partnership: the <b>Board of Directors</b>, the "
    "<b>Advisory Council</b> (meeting at least once a term) and the <b>General meeting of "
    "members</b> (14 clear days' notice; each member school votes). Their quorum, notice and "
    "voters can be changed afterwards in <i>Bodies and people</i>, and other committees added."
)


class MeetingsView(RecordListView):
    """The meetings, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "meetings", ("meeting", "meetings"), MeetingsTableModel(), COL_DATE, parent,
            descending=True,
        )  # fmt: skip
        self.body_filter = body_combo("meeting_body_filter")
        self.year_filter = QComboBox()
        self.year_filter.setObjectName("meeting_year_filter")
        self.year_filter.addItem(ALL_YEARS, None)
        self.add_filter("Bod&y", self.body_filter)
        self.add_filter("Year", self.year_filter)
        self.finish_filter_bar("Search by title, body, venue or date")
        self.body_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.year_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        # The first time: no bodies, so no meetings can be recorded; the usual ones offered.
        self.empty = QWidget()
        self.empty.setObjectName("no_bodies")
        column = QVBoxLayout(self.empty)
        self.empty_label = QLabel(NO_BODIES)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.setMaximumWidth(640)
        column.addWidget(self.empty_label)
        self.usual_button = QPushButton("Add the &usual bodies")
        self.usual_button.setObjectName("add_usual_bodies")
        self.usual_button.setToolTip(
            "Add the Board of Directors, the Advisory Council and the General meeting of members"
        )
        self.usual_button.setMaximumWidth(240)
        column.addWidget(self.usual_button)
        self.empty_note = QLabel()
        self.empty_note.setWordWrap(True)
        column.addWidget(self.empty_note)
        column.addStretch(1)
        self.body.addWidget(self.empty)
        self.empty.hide()

    def show_bodies(self, bodies: Sequence[BodyDetail], may_add: bool) -> None:
        """The body filter's choices; with none at all, the offer instead of an empty table."""
        refill(self.body_filter, [(b.name, b.id) for b in bodies], ALL_BODIES)
        none = not bodies
        self.empty.setVisible(none)
        self.table.setVisible(not none)
        self.usual_button.setEnabled(may_add)
        self.empty_note.setText(
            "" if may_add else "Only the clerk or an administrator may add them."
        )

    def set_meetings(self, meetings: Sequence[MeetingSummary], today: date) -> None:
        refill(
            self.year_filter,
            [(y.label, y.start_year) for y in years_of(list(meetings), today)],
            ALL_YEARS,
        )
        self.set_records(meetings)
        self.fit_columns({COL_BODY: 200, COL_TITLE: 260, COL_VENUE: 220})

    def accepts(self) -> Callable[[Any], bool]:
        body_id = self.body_filter.currentData()
        start = self.year_filter.currentData()
        year = AcademicYear(start) if start is not None else None
        words = words_of(self.search.text())
        return lambda m: meeting_passes(m, body_id, year, words)

    def choose_body(self, body_id: int | None) -> None:
        found = self.body_filter.findData(body_id) if body_id is not None else 0
        self.body_filter.setCurrentIndex(max(found, 0))

    def clear_filters(self) -> None:
        self.search.clear()
        self.body_filter.setCurrentIndex(0)
        self.year_filter.setCurrentIndex(0)

    def filter_in_words(self) -> str:
        parts = []
        if self.body_filter.currentData() is not None:
            parts.append(self.body_filter.currentText())
        if self.year_filter.currentData() is not None:
            parts.append(self.year_filter.currentText())
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        return f"Filter: {'; '.join(parts)}" if parts else ""
