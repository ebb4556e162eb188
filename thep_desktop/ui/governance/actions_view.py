"""The Actions view of the Governance tab: the action tracker across meetings, open ones
only at first, filtered by body, owner and words; overdue ones marked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from thep_desktop.services.governance.governance_data import ActionDetail, BodyDetail
from thep_desktop.ui.governance.actions_table_model import (
    COL_BODY,
    COL_DUE,
    COL_OWNER,
    COL_PROGRESS,
    COL_TEXT,
    ActionsTableModel,
    action_passes,
    overdue_days,
)
from thep_desktop.ui.governance.meetings_table_model import WARNING_SIGN
from thep_desktop.ui.governance.record_list_view import (
    ALL_BODIES,
    RecordListView,
    body_combo,
    refill,
)
from thep_desktop.ui.governance.record_table_model import words_of

ANY_OWNER = "Anyone"


class ActionsView(RecordListView):
    """Every action raised at a meeting, by due date (undated last)."""

    def __init__(
        self, parent: QWidget | None = None, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(
            "actions", ("action", "actions"), ActionsTableModel(today=today), COL_DUE, parent
        )
        self.body_filter = body_combo("action_body_filter")
        self.open_only = QCheckBox("Open only")
        self.open_only.setObjectName("open_only")
        self.open_only.setToolTip("Only actions still open or in progress")
        self.open_only.setChecked(True)
        self.owner_filter = QComboBox()
        self.owner_filter.setObjectName("action_owner_filter")
        self.owner_filter.setMinimumWidth(170)
        self.owner_filter.addItem(ANY_OWNER, None)
        self.add_filter("Bod&y", self.body_filter)
        self.filter_bar.addWidget(self.open_only)
        self.add_filter("O&wner", self.owner_filter)
        self.finish_filter_bar("Search the actions, owners and progress")
        self.body_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.owner_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.open_only.toggled.connect(lambda _on: self.apply_filter())

    def show_bodies(self, bodies: Sequence[BodyDetail]) -> None:
        refill(self.body_filter, [(b.name, b.id) for b in bodies], ALL_BODIES)

    def set_actions(self, actions: Sequence[ActionDetail]) -> None:
        owners = sorted({a.owner_label for a in actions if a.owner_label}, key=str.casefold)
        refill(self.owner_filter, [(o, o) for o in owners], ANY_OWNER)
        self.set_records(actions)
        self.fit_columns({COL_TEXT: 320, COL_OWNER: 160, COL_BODY: 170, COL_PROGRESS: 240})

    def accepts(self) -> Callable[[Any], bool]:
        body_id = self.body_filter.currentData()
        open_only = self.open_only.isChecked()
        owner = self.owner_filter.currentData() or ""
        words = words_of(self.search.text())
        return lambda a: action_passes(a, body_id, open_only, owner, words)

    def overdue_shown(self) -> int:
        today = self.model.today  # type: ignore[attr-defined]
        return sum(1 for a in self.proxy.shown() if overdue_days(a, today))

    def _count(self) -> None:
        super()._count()
        overdue = self.overdue_shown()
        if overdue:
            self.count_label.setText(
                f"{self.count_label.text()} · {WARNING_SIGN} {overdue} overdue"
            )

    def clear_filters(self) -> None:
        self.search.clear()
        self.body_filter.setCurrentIndex(0)
        self.owner_filter.setCurrentIndex(0)
        self.open_only.setChecked(False)

    def filter_in_words(self) -> str:
        parts = []
        if self.body_filter.currentData() is not None:
            parts.append(self.body_filter.currentText())
        if self.open_only.isChecked():
            parts.append("open only")
        if self.owner_filter.currentData():
            parts.append(f"owner {self.owner_filter.currentText()}")
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        return f"Filter: {'; '.join(parts)}" if parts else ""
