"""A cycle's reviews as a Qt table (the Schedule view), its filters, and the status colours."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from thep_desktop.domain.peer_reviews import Breach, ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ReviewDetail
from thep_desktop.ui.shared.list_views import begin_filter_change, end_filter_change
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE, SORT_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex
WARNING_SIGN = "⚠"

# One colour per status, shared by the table's status column and the calendar's visits:
# pale and grey while only proposed, stronger as the review becomes settled.
STATUS_COLOURS = {
    ReviewStatus.PROPOSED: QColor("#fff3c4"),
    ReviewStatus.CONFIRMED: QColor("#cfe3ff"),
    ReviewStatus.COMPLETED: QColor("#d4f0d4"),
    ReviewStatus.REPORT_RECEIVED: QColor("#b6e3c6"),
    ReviewStatus.QUALITY_ASSURED: QColor("#8fd19e"),
}
STATUS_EDGES = {
    ReviewStatus.PROPOSED: QColor("#c9a227"),
    ReviewStatus.CONFIRMED: QColor("#3b78c4"),
    ReviewStatus.COMPLETED: QColor("#3f9a4f"),
    ReviewStatus.REPORT_RECEIVED: QColor("#2f8047"),
    ReviewStatus.QUALITY_ASSURED: QColor("#1f6b36"),
}


@dataclass(frozen=True)
class ReviewRow:
    """A review as the tab lists it, with the cycle's breaches that concern it."""

    review: ReviewDetail
    warnings: tuple[Breach, ...] = ()

    @property
    def id(self) -> int:
        return self.review.id


def status_label(review: ReviewDetail) -> str:
    """``Confirmed 12/09/2025``: the status and the day it was reached."""
    on = review.status_dates.get(review.status)
    return f"{review.status.label} {on:%d/%m/%Y}" if on else review.status.label


def lead_label(review: ReviewDetail) -> str:
    """``Tom Okafor (Bangabandhu Primary School)``: the lead reviewer and their school."""
    lead = review.lead
    if lead is None:
        return ""
    return f"{lead.name} ({lead.school_name})" if lead.school_name else lead.name


def warnings_tip(warnings: Sequence[Breach]) -> str:
    return "\n".join(f"• {breach.message}" for breach in warnings)


@dataclass(frozen=True)
class ReviewColumn:
    column: PlainColumn
    value: Callable[[ReviewRow], Any]


COLUMNS: tuple[ReviewColumn, ...] = (
    ReviewColumn(
        PlainColumn("Date", tooltip="The visit's day, or first and last days"),
        lambda r: r.review.visit_label,
    ),
    ReviewColumn(PlainColumn("Host school"), lambda r: r.review.host_name),
    ReviewColumn(PlainColumn("Cluster"), lambda r: r.review.cluster_name),
    ReviewColumn(PlainColumn("Reviewing schools"), lambda r: r.review.team_label),
    ReviewColumn(
        PlainColumn("Lead reviewer"),
        lambda r: lead_label(r.review),
    ),
    ReviewColumn(PlainColumn("Focus"), lambda r: "; ".join(r.review.focus_areas)),
    ReviewColumn(
        PlainColumn("Status", tooltip="Where the review has got to, and since when"),
        lambda r: status_label(r.review),
    ),
    ReviewColumn(
        PlainColumn("Warnings", "count", "The rules of the cycle this review breaks"),
        lambda r: len(r.warnings) or None,
    ),
)
(
    COL_DATE,
    COL_HOST,
    COL_CLUSTER,
    COL_TEAM,
    COL_LEAD,
    COL_FOCUS,
    COL_STATUS,
    COL_WARNINGS,
) = range(len(COLUMNS))


class ReviewsTableModel(PlainTableModel):
    """The shared plain table, each row carrying its ``ReviewRow``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([c.column for c in COLUMNS], parent=parent)

    def set_reviews(self, rows: Iterable[ReviewRow]) -> None:
        self.set_rows([(*(c.value(row) for c in COLUMNS), row) for row in rows])

    def row_at(self, source_row: int) -> ReviewRow:
        return self.row_values(source_row)[len(COLUMNS)]  # type: ignore[no-any-return]

    def rows(self) -> list[ReviewRow]:
        return [self.row_at(n) for n in range(self.rowCount())]

    def row_of_id(self, review_id: int) -> int:
        for number in range(self.rowCount()):
            if self.row_at(number).id == review_id:
                return number
        return -1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if column == COL_WARNINGS and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            warnings = self.row_at(index.row()).warnings
            if not warnings:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{WARNING_SIGN} {len(warnings)}"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#a04000"))
            return warnings_tip(warnings)
        if column == COL_STATUS and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(STATUS_COLOURS[self.row_at(index.row()).review.status])
        if role == SORT_ROLE and column in (COL_DATE, COL_STATUS):
            review = self.row_at(index.row()).review
            if column == COL_STATUS:
                return (review.status.order, review.status_dates.get(review.status) or date.min)
            # Undated reviews last; then by host, as the service lists them.
            return (review.starts_on or date.max, review.host_name.casefold())
        return super().data(index, role)


@dataclass(frozen=True)
class ReviewFilterChoice:
    """What the filters above the views ask for (the model holds the whole cycle)."""

    cluster_id: int | None = None
    status: ReviewStatus | None = None
    words: tuple[str, ...] = ()


def passes(row: ReviewRow, wanted: ReviewFilterChoice) -> bool:
    review = row.review
    if wanted.cluster_id is not None and review.cluster_id != wanted.cluster_id:
        return False
    if wanted.status is not None and review.status is not wanted.status:
        return False
    if wanted.words:
        key = " ".join(
            [
                review.visit_label,
                review.host_name,
                review.cluster_name,
                review.team_label,
                " ".join(r.name for r in review.reviewers),
                review.focus,
                review.status.label,
            ]
        ).casefold()
        return all(word in key for word in wanted.words)
    return True


class ReviewsFilterProxy(QSortFilterProxyModel):
    """The reviews shown: cluster, status and search words; sorted by typed values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.wanted = ReviewFilterChoice()

    def set_filter(self, wanted: ReviewFilterChoice) -> None:
        begin_filter_change(self)
        self.wanted = wanted
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)[len(COLUMNS)]
        return passes(row, self.wanted)

    def row_at(self, proxy_row: int) -> ReviewRow:
        model = self.sourceModel()
        assert isinstance(model, ReviewsTableModel)
        return model.row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def shown(self) -> list[ReviewRow]:
        return [self.row_at(n) for n in range(self.rowCount())]

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a != b:
            return bool(a < b)
        model = self.sourceModel()
        key_a = model.index(left.row(), COL_DATE).data(SORT_ROLE)
        key_b = model.index(right.row(), COL_DATE).data(SORT_ROLE)
        return bool(key_a < key_b)


def summary_text(rows: Sequence[ReviewRow]) -> str:
    """``42 reviews: 10 proposed, 20 confirmed, 12 completed · 3 warnings``."""
    if not rows:
        return "No reviews shown."
    counts = Counter(row.review.status for row in rows)
    parts = [
        f"{counts[status]} {status.label.lower()}" for status in ReviewStatus if counts[status]
    ]
    noun = "review" if len(rows) == 1 else "reviews"
    text = f"{len(rows)} {noun}: {', '.join(parts)}"
    # A breach between two reviews (two schools reviewing each other) is one warning.
    warned = len({breach for row in rows for breach in row.warnings})
    undated = sum(1 for row in rows if row.review.starts_on is None)
    if undated:
        text += f" · {undated} without a date"
    if warned:
        text += f" · {WARNING_SIGN} {warned} warning{'' if warned == 1 else 's'}"
    else:
        text += " · no warnings"
    return text
