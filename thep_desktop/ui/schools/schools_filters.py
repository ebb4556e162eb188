"""The Schools tab's search box and quick filters (phase, type, status), and the count shown.

A mixin of :class:`~thep_desktop.ui.schools.schools_tab.SchoolsTab` rather than a widget of
its own: a change of filter keeps the table's selection where it still shows (and brings it
back when a search that hid it is cleared), so it works on the tab's table and proxy.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit

from thep_desktop.models import SchoolStatus
from thep_desktop.ui.schools.schools_table_model import (
    ANY,
    CURRENT,
    SchoolFilter,
    SchoolsFilterProxy,
    SchoolsTableModel,
)

# The first is the default: the schools the office works with; closed ones are one click away.
STATUS_CHOICES = (
    ("Open and proposed", CURRENT),
    ("Open", SchoolStatus.OPEN.value),
    ("Proposed to open", SchoolStatus.PROPOSED.value),
    ("Closed", SchoolStatus.CLOSED.value),
    ("All statuses", ANY),
)


class SchoolsFilters:
    """Search as you type, the phase, type and status boxes, and "12 of 90 schools shown"."""

    # What the tab provides (see SchoolsTab).
    model: SchoolsTableModel
    proxy: SchoolsFilterProxy
    counts_changed: Signal
    _hidden_selection: list[int]
    selected_ids: Callable[[], list[int]]
    select_ids: Callable[[list[int]], None]

    def _build_filter_bar(self) -> QHBoxLayout:
        """The search box, the three quick filters and the count, in a row above the table."""
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search by name, URN or postcode  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        bar.addWidget(self.search, 2)
        self.phase_filter = QComboBox()
        self.phase_filter.setObjectName("phase_filter")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("type_filter")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        for label, value in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        for caption, combo in (
            ("&Phase", self.phase_filter),
            ("T&ype", self.type_filter),
            ("S&tatus", self.status_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            bar.addWidget(label)
            bar.addWidget(combo)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        return bar

    def _connect_filters(self) -> None:
        self.search.textChanged.connect(self._filter_changed)
        for combo in (self.phase_filter, self.type_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._filter_changed)

    @staticmethod
    def _fill_quick_filter(combo: QComboBox, any_label: str, values: set[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_label, ANY)
        for value in sorted(v for v in values if v):
            combo.addItem(value, value)
        position = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(0, position))
        combo.blockSignals(False)

    def _filter_changed(self) -> None:
        new = SchoolFilter(
            text=self.search.text(),
            phase=self.phase_filter.currentData() or ANY,
            establishment_type=self.type_filter.currentData() or ANY,
            status=self.status_filter.currentData() or ANY,
        )
        if new == self.proxy.current_filter:
            return
        # The shown rows are replaced: keep the selection where it still shows, and bring it
        # back when a search that hid it is cleared.
        selected = self.selected_ids() or self._hidden_selection
        self.proxy.set_filter(new)
        if selected:
            self.select_ids(selected)
            self._hidden_selection = [] if self.selected_ids() else selected
        self.update_counts()

    def set_quick_filter(self, combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def filter_in_words(self) -> str:
        """``Filter: phase Primary; search “st” (12 of 90 schools)``, or "" when all are shown."""
        parts = [
            f"{what} {combo.currentText()}"
            for what, combo in (
                ("phase", self.phase_filter),
                ("type", self.type_filter),
                ("status", self.status_filter),
            )
            if combo.currentData()
        ]
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        if not parts:
            return ""
        shown, total = self.proxy.rowCount(), self.model.total_count()
        return f"Filter: {'; '.join(parts)} ({shown:,} of {total:,} schools)"

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def update_counts(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        noun = "school" if total == 1 else "schools"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun} shown")
        self.counts_changed.emit(shown, total)
