"""A cluster of schools that review each other (its schools chosen from the register), and
clusters proposed from the register (by trust, phase or diocese) to edit and save."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.peer_reviews import ClusterKind
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    ClusterInput,
    ClusterMember,
    ClusterProposal,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.shared.forms import (
    FieldMessages,
    editor_buttons,
    error_banner,
    push_button,
)
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import tell
from thep_desktop.ui.shared.record_forms import RecordForm
from thep_desktop.ui.shared.roles import SORT_ROLE

SCHOOL_COLUMNS = (
    PlainColumn("School"),
    PlainColumn("Phase"),
    PlainColumn("Trust"),
)
NO_LEAD_SCHOOL = "(not one of the cluster's schools)"
PROPOSE_BY = (
    ("trust", "Trust (multi-academy trust)"),
    ("phase", "Phase"),
    ("diocese", "Diocese"),
)


def _rows(schools: Sequence[ClusterMember]) -> list[tuple[object, ...]]:
    # The member rides along after the shown columns, to get it back from a row.
    return [(s.name, s.phase, s.trust, s) for s in schools]


def _school_table(name: str, model: PlainTableModel, proxy: QSortFilterProxyModel) -> QTableView:
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    table = list_view(name, proxy, sort_column=0)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


class ClusterEditor(RecordForm):
    """``ClusterEditor(services, None, parent)``: a new cluster; with an id, that cluster.

    ``saved(ClusterDetail)`` is emitted once it is saved.
    """

    saved = Signal(object)
    unsaved_what = "the cluster"

    def __init__(
        self, services: Services, cluster_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        actor = services.actor
        self.editable = actor.can(MANAGE_REVIEWS)
        self.detail: ClusterDetail | None = (
            services.clusters.get_cluster(actor, cluster_id) if cluster_id is not None else None
        )
        self.register: list[ClusterMember] = services.clusters.school_choices(actor)
        self.setObjectName("cluster_editor")
        self.setWindowTitle(f"Cluster – {self.detail.name}" if self.detail else "New cluster")
        self.resize(1000, 720)
        self._build()
        self._show(self.detail)
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        self.messages = FieldMessages()
        top = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        top.addLayout(left, 1)
        top.addLayout(right, 1)
        outer.addLayout(top)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Bow and Stepney secondaries")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in ClusterKind:
            # Qt keeps a str enum as plain text: the value goes in, the enum comes back out.
            self.kind.addItem(kind.label, kind.value)
        self.active = QCheckBox("Active (a retired cluster keeps its past reviews)")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.lead_name = QLineEdit()
        self.lead_name.setPlaceholderText("Who coordinates the cluster's reviews")
        self.lead_email = QLineEdit()
        self.lead_phone = QLineEdit()
        self.lead_school = QComboBox()
        self.lead_school.setObjectName("lead_school")
        for layout, field, label, widget in (
            (left, "name", "&Name", self.name),
            (left, "kind", "&Kind", self.kind),
            (left, "active", "", self.active),
            (left, "notes", "N&otes", self.notes),
            (right, "lead_contact_name", "&Lead contact", self.lead_name),
            (right, "lead_contact_email", "&Email", self.lead_email),
            (right, "lead_contact_phone", "&Telephone", self.lead_phone),
            (right, "lead_school_id", "Their s&chool", self.lead_school),
        ):
            self.messages.add_row(layout, field, label, widget)

        schools_box = QGroupBox("Schools")
        grid = QGridLayout(schools_box)
        self.search = QLineEdit()
        self.search.setObjectName("school_search")
        self.search.setPlaceholderText("Type to find a school in the register (name, phase, trust)")
        self.search.setClearButtonEnabled(True)
        find = QLabel("&Find")
        find.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(find)
        search_row.addWidget(self.search, 1)
        grid.addLayout(search_row, 0, 0)
        self.register_model = PlainTableModel(SCHOOL_COLUMNS, parent=self)
        self.register_proxy = QSortFilterProxyModel(self)
        self.register_table = _school_table(
            "register_schools", self.register_model, self.register_proxy
        )
        grid.addWidget(self.register_table, 1, 0)
        moves = QVBoxLayout()
        moves.addStretch(1)
        self.add_button = push_button(
            "&Add →", self.add_chosen, "Put the schools chosen in the cluster (Enter)"
        )
        self.remove_button = push_button(
            "← &Remove", self.remove_chosen, "Take the schools chosen out of the cluster (Delete)"
        )
        moves.addWidget(self.add_button)
        moves.addWidget(self.remove_button)
        moves.addStretch(1)
        grid.addLayout(moves, 1, 1)
        self.members_caption = QLabel()
        grid.addWidget(self.members_caption, 0, 2)
        self.member_model = PlainTableModel(SCHOOL_COLUMNS, parent=self)
        self.member_proxy = QSortFilterProxyModel(self)
        self.member_table = _school_table("cluster_schools", self.member_model, self.member_proxy)
        holder, _message = self.messages.with_message("school_ids", self.member_table)
        grid.addWidget(holder, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        outer.addWidget(schools_box, 1)

        self.search.textChanged.connect(self.register_proxy.setFilterFixedString)
        self.search.returnPressed.connect(self._add_from_search)
        self.register_table.activated.connect(lambda _index: self.add_chosen())
        self.member_table.activated.connect(lambda _index: self.remove_chosen())
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.member_table,
            activated=self.remove_chosen,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.buttons = editor_buttons(self, self.editable, self.save, "the cluster")
        for push in self.buttons.buttons():
            push.setAutoDefault(False)
        outer.addWidget(self.buttons)
        if not self.editable:
            for edit in (self.name, self.lead_name, self.lead_email, self.lead_phone):
                edit.setReadOnly(True)
            self.notes.setReadOnly(True)
            for widget in (self.kind, self.active, self.lead_school):
                widget.setEnabled(False)
            for widget in (self.add_button, self.remove_button, self.search, find):
                widget.hide()
            self.register_table.hide()

    def _show(self, detail: ClusterDetail | None) -> None:
        data = detail.as_input() if detail else ClusterInput("", ClusterKind.GEOGRAPHICAL)
        self.name.setText(data.name)
        kind = data.kind if isinstance(data.kind, ClusterKind) else ClusterKind.parse(data.kind)
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.active.setChecked(data.active)
        self.notes.setPlainText(data.notes)
        self.lead_name.setText(data.lead_contact_name)
        self.lead_email.setText(data.lead_contact_email)
        self.lead_phone.setText(data.lead_contact_phone)
        members = list(detail.schools) if detail else []
        self._set_members(members, data.lead_school_id)

    # -- the schools ------------------------------------------------------------------------
    def members(self) -> list[ClusterMember]:
        return [
            self.member_model.row_values(row)[-1] for row in range(self.member_model.rowCount())
        ]

    def member_ids(self) -> tuple[int, ...]:
        return tuple(school.school_id for school in self.members())

    def _set_members(self, members: list[ClusterMember], lead_school_id: int | None) -> None:
        members = sorted(members, key=lambda s: (s.name.casefold(), s.urn))
        inside = {s.school_id for s in members}
        self.member_model.set_rows(_rows(members))
        self.register_model.set_rows(_rows([s for s in self.register if s.school_id not in inside]))
        count = len(members)
        self.members_caption.setText(
            f"<b>In the cluster: {count} school{'s' if count != 1 else ''}</b>"
        )
        self.lead_school.blockSignals(True)
        self.lead_school.clear()
        self.lead_school.addItem(NO_LEAD_SCHOOL, None)
        for school in members:
            self.lead_school.addItem(school.name, school.school_id)
        found = self.lead_school.findData(lead_school_id) if lead_school_id is not None else 0
        self.lead_school.setCurrentIndex(max(found, 0))
        self.lead_school.blockSignals(False)

    def _chosen(self, table: QTableView, proxy: QSortFilterProxyModel) -> list[ClusterMember]:
        model = proxy.sourceModel()
        assert isinstance(model, PlainTableModel)
        rows = {proxy.mapToSource(index).row() for index in table.selectionModel().selectedRows()}
        if not rows and table.currentIndex().isValid():
            rows = {proxy.mapToSource(table.currentIndex()).row()}
        return [model.row_values(row)[-1] for row in sorted(rows)]

    def add_chosen(self) -> None:
        self._add(self._chosen(self.register_table, self.register_proxy))

    def _add_from_search(self) -> None:
        """Enter in Find: the school found, when one is (or the one chosen of several)."""
        if self.register_proxy.rowCount() == 1:
            self.register_table.selectRow(0)
        if (
            self.register_proxy.rowCount() >= 1
            and self.register_table.selectionModel().hasSelection()
        ):
            self.add_chosen()
            self.search.clear()

    def _add(self, schools: list[ClusterMember]) -> None:
        if not schools or not self.editable:
            return
        self._set_members(self.members() + schools, self.lead_school.currentData())

    def remove_chosen(self) -> None:
        if not self.editable:
            return
        leaving = {s.school_id for s in self._chosen(self.member_table, self.member_proxy)}
        if not leaving:
            return
        staying = [s for s in self.members() if s.school_id not in leaving]
        self._set_members(staying, self.lead_school.currentData())

    # -- saving -----------------------------------------------------------------------------
    def cluster_input(self) -> ClusterInput:
        lead = self.lead_school.currentData()
        return ClusterInput(
            name=self.name.text(),
            kind=ClusterKind(self.kind.currentData()),
            school_ids=self.member_ids(),
            lead_contact_name=self.lead_name.text(),
            lead_contact_email=self.lead_email.text(),
            lead_contact_phone=self.lead_phone.text(),
            lead_school_id=lead if isinstance(lead, int) else None,
            notes=self.notes.toPlainText(),
            active=self.active.isChecked(),
        )

    def state(self) -> ClusterInput:
        return self.cluster_input()

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, or the reasons shown beside the fields."""
        if not self.editable:
            return False
        actor = self.services.actor
        saved = self.save_record(
            lambda found, version: self.services.clusters.save_cluster(
                actor, self.cluster_input(), found, version
            )
        )
        return saved is not None and self.close_saved(saved, saved)


class ProposeClustersDialog(RecordForm):
    """Clusters proposed from the register by trust, phase or diocese: tick the proposals and
    schools wanted, rename them, and save the ticked ones (each a cluster of its own).

    ``saved(list[ClusterDetail])`` is emitted after a save that saved any.
    """

    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tell = tell
        self.proposals: list[ClusterProposal] = []
        self.setObjectName("propose_clusters")
        self.setWindowTitle("Propose clusters")
        self.resize(900, 640)
        outer = QVBoxLayout(self)
        intro = QLabel(
            "Clusters made from the register: one for each trust, phase or diocese with two "
            "open schools or more. Untick the proposals and schools you do not want, rename a "
            "proposal by double-clicking its name (or F2), then save the ticked ones."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        row = QHBoxLayout()
        caption = QLabel("&Propose by")
        self.by = QComboBox()
        self.by.setObjectName("propose_by")
        for value, label in PROPOSE_BY:
            self.by.addItem(label, value)
        caption.setBuddy(self.by)
        row.addWidget(caption)
        row.addWidget(self.by)
        row.addStretch(1)
        self.summary = QLabel()
        row.addWidget(self.summary)
        outer.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setObjectName("proposals")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Cluster / school", "Kind / phase", "Schools / trust", "Note"])
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        outer.addWidget(self.tree, 1)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save ticked clusters")
        self.save_button.setToolTip("Save each ticked proposal as a cluster (Ctrl+S)")
        self.save_button.clicked.connect(lambda _c=False: self.save())
        self.save_button.setEnabled(services.actor.can(MANAGE_REVIEWS))
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        for push in self.buttons.buttons():
            push.setAutoDefault(False)
        outer.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.by.currentIndexChanged.connect(lambda _i: self.propose())
        self.tree.itemChanged.connect(lambda _item, _column: self._count())
        self.propose()

    def propose(self) -> None:
        """The proposals for the grouping chosen, all ticked but those named like a cluster."""
        try:
            self.proposals = self.services.clusters.propose_clusters(
                self.services.actor, self.by.currentData()
            )
        except ServiceError as exc:
            self.tell(self, "Propose clusters", exc.message)
            self.proposals = []
        self.tree.blockSignals(True)
        self.tree.clear()
        for proposal in self.proposals:
            count = f"{len(proposal.schools)} schools"
            top = QTreeWidgetItem([proposal.name, proposal.kind.label, count, ""])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
            top.setData(0, Qt.ItemDataRole.UserRole, proposal)
            if proposal.exists is not None:
                top.setText(3, "A cluster of this name exists already: unticked")
            top.setCheckState(
                0, Qt.CheckState.Unchecked if proposal.exists else Qt.CheckState.Checked
            )
            for school in proposal.schools:
                child = QTreeWidgetItem(
                    [school.name, school.phase, school.trust or school.diocese, ""]
                )
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setData(0, Qt.ItemDataRole.UserRole, school)
                child.setCheckState(0, Qt.CheckState.Checked)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.tree.blockSignals(False)
        self._count()

    def proposal_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def ticked(self) -> list[ClusterInput]:
        """Each ticked proposal as typed: its name, its kind, its ticked schools."""
        chosen = []
        for item in self.proposal_items():
            if item.checkState(0) != Qt.CheckState.Checked:
                continue
            proposal: ClusterProposal = item.data(0, Qt.ItemDataRole.UserRole)
            schools = tuple(
                item.child(n).data(0, Qt.ItemDataRole.UserRole).school_id
                for n in range(item.childCount())
                if item.child(n).checkState(0) == Qt.CheckState.Checked
            )
            chosen.append(ClusterInput(item.text(0), proposal.kind, schools))
        return chosen

    def _count(self) -> None:
        ticked = len(self.ticked())
        self.summary.setText(f"{len(self.proposals)} proposed, {ticked} ticked")

    def save(self) -> list[ClusterDetail]:
        """Save each ticked proposal; say which were saved and why any were not."""
        if not self.services.actor.can(MANAGE_REVIEWS):
            return []
        wanted = self.ticked()
        if not wanted:
            self.tell(self, "Propose clusters", "Tick the proposals to save first.")
            return []
        saved: list[ClusterDetail] = []
        refused: list[str] = []
        for data in wanted:
            try:
                saved.append(self.services.clusters.save_cluster(self.services.actor, data))
            except ServiceError as exc:
                refused.append(f"{data.name.strip() or 'A proposal without a name'}: {exc.message}")
        lines = []
        if saved:
            names = ", ".join(f"{c.name} ({len(c.schools)} schools)" for c in saved)
            lines.append(f"Saved {len(saved)} cluster{'s' if len(saved) != 1 else ''}: {names}.")
        if refused:
            lines.append("Not saved:\n" + "\n".join(f"• {line}" for line in refused))
        self.tell(self, "Propose clusters", "\n\n".join(lines))
        if saved:
            self.saved.emit(saved)
            self.propose()  # those saved are now proposals of clusters that exist
        return saved
