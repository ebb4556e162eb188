"""Check: every breach of the cycle's rules, grouped by rule; a click shows the review."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.peer_reviews import Breach, Rule
from thep_desktop.domain.review_checks import summary

REVIEW_ROLE = Qt.ItemDataRole.UserRole + 12


class CheckDialog(QDialog):
    """A window beside the tab (not modal): clicking a breach selects its review."""

    review_chosen = Signal(int)

    def __init__(
        self,
        title: str,
        breaches: Sequence[Breach],
        names: dict[int, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("check_dialog")
        self.setWindowTitle(f"Check – {title}")
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary(breaches))
        self.summary.setObjectName("check_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("check_breaches")
        self.tree.setHeaderLabels(["Breach", "Schools"])
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        by_rule: dict[Rule, list[Breach]] = {}
        for breach in breaches:
            by_rule.setdefault(breach.rule, []).append(breach)
        for rule in Rule:
            found = by_rule.get(rule)
            if not found:
                continue
            group = QTreeWidgetItem([f"{rule.label} ({len(found)})", ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for breach in found:
                schools = ", ".join(names.get(s, f"school {s}") for s in breach.school_ids)
                item = QTreeWidgetItem([breach.message, schools])
                item.setToolTip(1, schools)
                item.setToolTip(0, breach.message)
                review_ids = [int(k) for k in breach.review_keys if k.isdigit()]
                item.setData(0, REVIEW_ROLE, review_ids[0] if review_ids else 0)
                group.addChild(item)
            self.tree.addTopLevelItem(group)
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 700)
        if not breaches:
            self.tree.hide()
            self.summary.setText("No breaches: every review keeps every rule of the cycle.")
        layout.addWidget(self.tree, 1)
        hint = QLabel("Click a breach to show its review in the schedule.")
        hint.setEnabled(False)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.tree.itemClicked.connect(self._chosen)
        self.tree.itemActivated.connect(self._chosen)

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        review_id = item.data(0, REVIEW_ROLE)
        if review_id:
            self.review_chosen.emit(int(review_id))
