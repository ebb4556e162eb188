"""The Memberships tab: every member as at a date, with the counts, filters and actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.memberships import MembershipStatus
from thep_desktop.services.invoices.invoices_permissions import RECORD_PAYMENTS
from thep_desktop.services.letters.letters_permissions import SEND_LETTERS
from thep_desktop.services.memberships.member_data import MemberDetail, MembershipSummary
from thep_desktop.services.memberships.memberships_permissions import (
    MANAGE_MEMBERS,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.memberships.member_actions import MemberActions
from thep_desktop.ui.memberships.members_table_model import (
    ANY,
    CATEGORY_CHOICES,
    COL_NAME,
    STATUS_CHOICES,
    MembersFilterProxy,
    MembersTableModel,
)
from thep_desktop.ui.shared.actions import make_action
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.table_export import ExportRequest


def summary_text(summary: MembershipSummary) -> str:
    """The counts above the list, in words."""

    def counted(n: int, one: str, many: str) -> str:
        return f"<b>{n:,}</b> {one if n == 1 else many}"

    parts = [
        counted(summary.full_members, "full member", "full members"),
        counted(summary.associate_members, "associate member", "associate members"),
        f"<b>{summary.under_notice:,}</b> under notice",
        counted(summary.applications, "application", "applications"),
        counted(summary.pupils_covered, "pupil covered", "pupils covered"),
    ]
    share = summary.share_of_schools
    if share is not None:
        parts.append(
            f"<b>{summary.member_schools:,}</b> of {summary.open_schools:,} open schools "
            f"({share * 100:.0f}%)"
        )
    change = summary.change_on_last_year
    parts.append("no change on a year ago" if change == 0 else f"<b>{change:+,}</b> on a year ago")
    return " &nbsp;·&nbsp; ".join(parts)


class MembershipsTab(MemberActions, QWidget):
    """Members, applicants and former members; emits ``status_message`` for the status bar."""

    status_message = Signal(str)
    changed = Signal()  # a membership was changed here
    counts_changed = Signal()  # the members shown, or in all, changed

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # Opens the forms; tests replace it to drive a form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        # Opens a letter to one member in the mail merge window, beside the tab.
        self.open_letter = _open_member_letter
        self.letter_window: QDialog | None = None
        self.details: dict[int, MemberDetail] = {}
        self.summary: MembershipSummary | None = None
        self.model = MembersTableModel(self)
        self.proxy = MembersFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build_actions()
        self._build()
        self._connect()
        self._update_actions()

    # -- building ---------------------------------------------------------------------------
    def _action(
        self, text: str, slot: Callable[[], object], tip: str, shortcut: str = ""
    ) -> QAction:
        return make_action(self, text, slot, tip, shortcut)

    def _build_actions(self) -> None:
        self.new_action = self._action(
            "&New application…",
            self.new_application,
            "Record an application for membership",
            "Ctrl+N",
        )
        self.admit_action = self._action(
            "&Admit…", self.admit_selected, "Admit the selected applicant as a member"
        )
        self.notice_action = self._action(
            "Record &notice…",
            self.notice_selected,
            "Record the selected member's notice to leave; the rules give the leaving date",
        )
        self.withdraw_notice_action = self._action(
            "&Withdraw notice", self.withdraw_notice_selected, "The member stays after all"
        )
        self.end_action = self._action(
            "&End membership / decline…",
            self.end_selected,
            "End the selected membership, or decline the application",
        )
        self.rejoin_action = self._action(
            "&Re-join…",
            self.rejoin_selected,
            "A new application from a former member; its earlier membership is kept",
        )
        self.category_action = self._action(
            "Change &category…", self.category_selected, "Make the membership full or associate"
        )
        self.payment_action = self._action(
            "Record fee &payment…",
            self.payment_selected,
            "A fee payment from the selected member, set against its fee invoices",
        )
        self.edit_action = self._action(
            "Edit member &details…",
            self.edit_selected,
            "Name, address and contact of the selected member (Enter or double-click)",
        )
        self.history_action = self._action(
            "&History…",
            self.show_history,
            "Everything changed in the selected member's records",
            "Ctrl+H",
        )
        # Ctrl+H in the table, as in the Schools tab: no other key of the window uses it.
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.welcome_action = self._action(
            "&Welcome letter…",
            self.welcome_letter_selected,
            "The welcome letter to the selected member, in the mail merge window",
        )
        self.acknowledge_action = self._action(
            "Ac&knowledge notice…",
            self.acknowledge_notice_selected,
            "The letter acknowledging the selected member's notice to leave",
        )
        self.letter_actions = [self.welcome_action, self.acknowledge_action]
        self.member_actions = [
            self.admit_action,
            self.notice_action,
            self.withdraw_notice_action,
            self.end_action,
            self.rejoin_action,
            self.category_action,
            self.edit_action,
        ]

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.as_at = QDateEdit(QDate.currentDate())
        self.as_at.setObjectName("as_at")
        self.as_at.setDisplayFormat("dd/MM/yyyy")
        self.as_at.setCalendarPopup(True)
        self.as_at.setToolTip("The list and the counts as they stood on this day")
        as_at_label = QLabel("As &at")
        as_at_label.setBuddy(self.as_at)
        bar.addWidget(as_at_label)
        bar.addWidget(self.as_at)
        self.search = QLineEdit()
        self.search.setObjectName("member_search")
        self.search.setPlaceholderText("Search by name, URN or phase")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        bar.addWidget(self.search, 2)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("member_status_filter")
        for label, value in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("member_category_filter")
        for label, value in CATEGORY_CHOICES:
            self.category_filter.addItem(label, value)
        for caption, combo in (
            ("S&tatus", self.status_filter),
            ("Cate&gory", self.category_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("member_count_label")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.toolbar = QToolBar("Memberships")
        self.toolbar.setObjectName("members_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.new_action)
        self.toolbar.addSeparator()
        self.toolbar.addActions(self.member_actions)
        self.toolbar.addSeparator()
        self.toolbar.addActions(self.letter_actions)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.history_action)
        layout.addWidget(self.toolbar)

        self.table = list_view("members_table", self.proxy, sort_column=COL_NAME)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.addAction(self.history_action)
        self.table.horizontalHeader().setStretchLastSection(False)
        # The names take what room is left, so the other columns show whole.
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(24)
        layout.addWidget(self.table, 1)
        self.table_menu: QMenu | None = None

    def _connect(self) -> None:
        self.as_at.dateChanged.connect(lambda _d: self.reload())
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.category_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.customContextMenuRequested.connect(self._table_menu_requested)
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key, widget, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.table, self.edit_selected),
            (QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear),
        ):
            QShortcut(key, widget, activated=slot, context=only_here)

    # -- loading ----------------------------------------------------------------------------
    def as_at_date(self) -> date:
        return self.as_at.date().toPython()  # type: ignore[no-any-return]

    def reload(self) -> bool:
        """Read the members and the counts as at the chosen day, keeping the selection."""
        day = self.as_at_date()
        selected = self.selected_id()
        actor = self.services.actor
        try:
            rows = self.services.members.list_members(actor, day)
            details = self.services.members.list_member_details(actor)
            summary = self.services.members.summary(actor, day)
        except ServerUnavailableError:
            self.status_message.emit("Not reloaded: the members shown are as they were last read.")
            return False
        except ServiceError as exc:
            self.summary_label.setText(exc.message)
            return False
        self.details = {d.id: d for d in details}
        self.summary = summary
        self.model.set_members(rows, self.details, day)
        self.summary_label.setText(summary_text(summary))
        self.table.resizeColumnsToContents()
        self.select_id(selected)
        self.update_counts()
        return True

    def _filter_changed(self) -> None:
        selected = self.selected_id()
        self.proxy.set_filter(
            self.status_filter.currentData() or "",
            self.category_filter.currentData() or "",
            self.search.text(),
        )
        self.select_id(selected)
        self.update_counts()

    def update_counts(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "member" if total == 1 else "members"
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown"
        )
        self.counts_changed.emit()

    def filter_in_words(self) -> str:
        parts = [
            f"{what} {combo.currentText()}"
            for what, combo in (("status", self.status_filter), ("category", self.category_filter))
            if combo.currentData()
        ]
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        as_at = f"As at {self.as_at.text()}"
        return f"{as_at}; filter: {'; '.join(parts)}" if parts else as_at

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def export_request(self) -> ExportRequest:
        """File > Export: the members as shown, to Excel or CSV."""
        return ExportRequest(self.table, "Members", self.filter_in_words(), "Members")

    # -- selection --------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.member_at(rows[0].row()).id if rows else None

    def select_id(self, member_id: int | None) -> None:
        selection = self.table.selectionModel()
        source_row = -1 if member_id is None else self.model.row_of_id(member_id)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if source_row < 0 or not index.isValid():
            selection.clearSelection()
        else:
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        self._update_actions()

    def show_member(self, member_id: int) -> None:
        """Select a member; if the filters hide it now (it left, say), show every member."""
        self.select_id(member_id)
        if self.selected_id() != member_id and self.model.row_of_id(member_id) >= 0:
            for combo in (self.status_filter, self.category_filter):
                combo.blockSignals(True)
                combo.setCurrentIndex(combo.findData(ANY))
                combo.blockSignals(False)
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._filter_changed()
            self.select_id(member_id)

    def _update_actions(self) -> None:
        can = self.services.actor.can(MANAGE_MEMBERS)
        member_id = self.selected_id()
        detail = self.details.get(member_id) if member_id is not None else None
        latest = detail.latest if detail is not None else None
        today = date.today()
        status = latest.status_on(today) if latest is not None else None
        still_open = latest is not None and (latest.ends_on is None or latest.ends_on > today)
        self.new_action.setEnabled(can)
        self.admit_action.setEnabled(can and status is MembershipStatus.APPLIED)
        self.notice_action.setEnabled(
            can
            and latest is not None
            and status is MembershipStatus.MEMBER
            and latest.notice_received_on is None
            and latest.ends_on is None
        )
        self.withdraw_notice_action.setEnabled(
            can and still_open and latest is not None and latest.notice_received_on is not None
        )
        self.end_action.setEnabled(can and still_open)
        self.end_action.setText(
            "D&ecline application…"
            if status is MembershipStatus.APPLIED
            else "&End membership / decline…"
            if latest is None
            else "&End membership…"
        )
        self.rejoin_action.setEnabled(can and latest is not None and not still_open)
        self.category_action.setEnabled(can and still_open)
        self.edit_action.setEnabled(can and detail is not None)
        self.payment_action.setEnabled(
            self.services.actor.can(RECORD_PAYMENTS)
            and detail is not None
            and any(p.admitted_on is not None for p in detail.periods)
        )
        can_write = self.services.actor.can(SEND_LETTERS)
        self.welcome_action.setEnabled(
            can_write and status in (MembershipStatus.MEMBER, MembershipStatus.UNDER_NOTICE)
        )
        self.acknowledge_action.setEnabled(
            can_write and latest is not None and latest.notice_received_on is not None
        )
        self.history_action.setEnabled(detail is not None)

    def _table_menu_requested(self, position: QPoint) -> None:
        """Right-click on a member: what the toolbar does, for that member."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        if self.table_menu is not None:
            self.table_menu.deleteLater()
        menu = QMenu(self)
        menu.setObjectName("member_menu")
        menu.addActions(self.member_actions)
        menu.addAction(self.payment_action)
        menu.addSeparator()
        menu.addActions(self.letter_actions)
        menu.addSeparator()
        menu.addAction(self.history_action)
        self.table_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(position))


def _open_member_letter(
    services: Services, member_id: int, template_key: str, parent: QWidget
) -> QDialog:
    # The mail merge window (and the letters' modules) load when a letter is first written.
    from thep_desktop.ui.letters.member_letters import open_member_letter

    return open_member_letter(services, member_id, template_key, parent)
