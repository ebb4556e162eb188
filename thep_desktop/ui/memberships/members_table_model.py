"""The members as a Qt table: one row per member as at the list's date, and its filter."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from thep_desktop.domain.memberships import Category, MembershipStatus
from thep_desktop.services.memberships.member_data import MemberDetail, MemberRow
from thep_desktop.services.memberships.members_service import status_words
from thep_desktop.ui.shared.list_views import begin_filter_change, end_filter_change
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.roles import ROW_ROLE, SORT_ROLE


@dataclass(frozen=True)
class MemberColumn:
    column: PlainColumn
    value: Callable[[MemberRow, str], Any]  # (row, status in words) -> typed value


COLUMNS: tuple[MemberColumn, ...] = (
    MemberColumn(PlainColumn("Name"), lambda r, _s: r.name),
    MemberColumn(PlainColumn("Kind"), lambda r, _s: r.kind.label),
    MemberColumn(PlainColumn("URN", "integer"), lambda r, _s: r.urn),
    MemberColumn(PlainColumn("Phase"), lambda r, _s: r.phase),
    MemberColumn(PlainColumn("Category"), lambda r, _s: r.category.label if r.category else ""),
    MemberColumn(
        PlainColumn("Status", tooltip="Where the membership stood on the list's date"),
        lambda _r, s: s,
    ),
    MemberColumn(PlainColumn("Applied", "date"), lambda r, _s: r.applied_on),
    MemberColumn(PlainColumn("Admitted", "date"), lambda r, _s: r.admitted_on),
    MemberColumn(
        PlainColumn("Notice received", "date", "The day the notice to leave was received"),
        lambda r, _s: r.notice_received_on,
    ),
    MemberColumn(
        PlainColumn("Leaving date", "date", "The first day it is (or was) no longer a member"),
        lambda r, _s: r.ends_on,
    ),
    MemberColumn(
        PlainColumn("Pupils", "count", "Pupils on roll (the school's latest figure)"),
        lambda r, _s: r.pupils,
    ),
)
(
    COL_NAME,
    COL_KIND,
    COL_URN,
    COL_PHASE,
    COL_CATEGORY,
    COL_STATUS,
    COL_APPLIED,
    COL_ADMITTED,
    COL_NOTICE,
    COL_LEAVING,
    COL_PUPILS,
) = range(len(COLUMNS))

ModelIndex = QModelIndex | QPersistentModelIndex


class MembersTableModel(PlainTableModel):
    """The shared plain table, each row carrying its ``MemberRow`` after the shown values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([c.column for c in COLUMNS], parent=parent)

    def set_members(
        self, rows: Iterable[MemberRow], details: Mapping[int, MemberDetail], day: date
    ) -> None:
        """Show ``rows`` (the list as at ``day``); ``details`` give each status in words."""
        table = []
        for row in rows:
            detail = details.get(row.id)
            period = detail.period_on(day) if detail is not None else None
            words = status_words(period, day) if period is not None else ""
            table.append((*(c.value(row, words) for c in COLUMNS), row))
        self.set_rows(table)

    def member_at(self, source_row: int) -> MemberRow:
        return self.row_values(source_row)[len(COLUMNS)]

    def row_of_id(self, member_id: int) -> int:
        for number in range(self.rowCount()):
            if self.member_at(number).id == member_id:
                return number
        return -1


ANY = ""
CURRENT = "current"
MEMBERS = "members"
UNDER_NOTICE = "under_notice"
APPLICATIONS = "applications"
CEASED = "ceased"

# The first is the default: who the office deals with now; the rest are one choice away.
STATUS_CHOICES = (
    ("Members and applications", CURRENT),
    ("Members", MEMBERS),
    ("Under notice", UNDER_NOTICE),
    ("Applications", APPLICATIONS),
    ("Ceased or declined", CEASED),
    ("All", ANY),
)
CATEGORY_CHOICES = (
    ("Full and associate", ANY),
    ("Full members", Category.FULL.value),
    ("Associate members", Category.ASSOCIATE.value),
)

_STATUSES: dict[str, frozenset[MembershipStatus | None]] = {
    CURRENT: frozenset(
        {MembershipStatus.MEMBER, MembershipStatus.UNDER_NOTICE, MembershipStatus.APPLIED}
    ),
    MEMBERS: frozenset({MembershipStatus.MEMBER, MembershipStatus.UNDER_NOTICE}),
    UNDER_NOTICE: frozenset({MembershipStatus.UNDER_NOTICE}),
    APPLICATIONS: frozenset({MembershipStatus.APPLIED}),
    CEASED: frozenset({MembershipStatus.CEASED, MembershipStatus.DECLINED}),
}


def passes(row: MemberRow, status: str, category: str, words: tuple[str, ...]) -> bool:
    """Whether a member passes the status and category filters and every search word."""
    if status and row.status not in _STATUSES[status]:
        return False
    if category and (row.category is None or row.category.value != category):
        return False
    if words:
        key = f"{row.name} {row.urn or ''} {row.phase} {row.kind.label}".casefold()
        return all(word in key for word in words)
    return True


class MembersFilterProxy(QSortFilterProxyModel):
    """The members shown: status, category and search words; sorted by typed values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.status = CURRENT
        self.category = ANY
        self.words: tuple[str, ...] = ()

    def set_filter(self, status: str, category: str, text: str) -> None:
        begin_filter_change(self)
        self.status, self.category = status, category
        self.words = tuple(text.casefold().split())
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)[len(COLUMNS)]
        return passes(row, self.status, self.category, self.words)

    def member_at(self, proxy_row: int) -> MemberRow:
        model = self.sourceModel()
        assert isinstance(model, MembersTableModel)
        return model.member_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802
        # Typed values with blanks last (the shared key); ties by name.
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a != b:
            return bool(a < b)
        model = self.sourceModel()
        name_a = model.index(left.row(), COL_NAME).data(SORT_ROLE)
        name_b = model.index(right.row(), COL_NAME).data(SORT_ROLE)
        return bool(name_a < name_b)
