"""Generate schedule: choose clusters and a seed, look at the proposed schedule, then apply it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ScheduleProposal, visit_label
from thep_desktop.services.peer_reviews.scheduling_service import ScheduleImpossible
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import tell

CLUSTER_ROLE = Qt.ItemDataRole.UserRole + 11
TEAM_COLUMN = 3  # the reviewing schools take the room left
PROPOSAL_COLUMNS = (
    PlainColumn("Date"),
    PlainColumn("Host school"),
    PlainColumn("Cluster"),
    PlainColumn("Reviewing schools"),
    PlainColumn("Lead school"),
)


def proposal_rows(proposal: ScheduleProposal) -> list[tuple[object, ...]]:
    """The proposal as the dialog's table lists it, by date."""
    rows = []
    for planned in sorted(proposal.reviews, key=lambda p: (p.days[:1], proposal.name(p.host_id))):
        first = planned.days[0] if planned.days else None
        last = planned.days[-1] if planned.days else None
        rows.append(
            (
                visit_label(first, last),
                proposal.name(planned.host_id),
                proposal.cluster_names.get(planned.cluster_id, ""),
                ", ".join(proposal.name(s) for s in planned.reviewer_ids),
                proposal.name(planned.lead_school_id),
            )
        )
    return rows


class GenerateDialog(QDialog):
    """Clusters (those with confirmed reviews cannot be scheduled again), a seed, the proposal
    and its breaches, and Apply; a schedule that cannot be made says why in a list."""

    applied = Signal(int)  # how many reviews the applied schedule proposed

    def __init__(self, services: Services, cycle_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.cycle_id = cycle_id
        self.tell: Callable[..., object] = tell
        self.proposal: ScheduleProposal | None = None
        self.job: BackgroundJob | None = None
        actor = services.actor
        self.cycle = services.reviews.get_cycle(actor, cycle_id)
        clusters = services.clusters.list_clusters(actor, include_inactive=False)
        reviews = services.reviews.list_reviews(actor, cycle_id)
        self.setWindowTitle(f"Generate schedule – {self.cycle.title}")
        self.setObjectName("generate_dialog")
        self.resize(1180, 660)
        layout = QVBoxLayout(self)
        rules = self.cycle.rules
        terms = ", ".join(t.label.lower() for t in rules.terms)
        intro = QLabel(
            f"Each school of a cluster hosts one review; each sends reviewers to "
            f"{rules.reviews_per_school} others; teams of {rules.team_size} schools; visits of "
            f"{rules.visit_days} day{'s' if rules.visit_days != 1 else ''} on school days in the "
            f"{terms}. Change these in Cycle settings."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Clusters to schedule</b>"))
        self.cluster_list = QListWidget()
        self.cluster_list.setObjectName("generate_clusters")
        self.cluster_list.setWordWrap(True)
        settled: dict[int, list[str]] = {}
        for review in reviews:
            if review.status is not ReviewStatus.PROPOSED and review.cluster_id is not None:
                settled.setdefault(review.cluster_id, []).append(review.host_name)
        for cluster in clusters:
            item = QListWidgetItem(f"{cluster.name} ({len(cluster.schools)} schools)")
            item.setData(CLUSTER_ROLE, cluster.id)
            hosts = settled.get(cluster.id)
            if hosts:
                # Confirmed visits are in the schools' diaries: a new schedule would move them.
                item.setFlags(
                    item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setText(item.text() + f" – has {len(hosts)} confirmed or later reviews")
                item.setToolTip(
                    "Already has reviews beyond proposed (" + ", ".join(sorted(hosts)) + "): a "
                    "new schedule would move them. Change these reviews by hand instead."
                )
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.cluster_list.addItem(item)
        column.addWidget(self.cluster_list, 1)
        seed_row = QHBoxLayout()
        seed_label = QLabel("&Seed")
        self.seed = QSpinBox()
        self.seed.setObjectName("generate_seed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(self.cycle.seed)
        self.seed.setToolTip(
            "The same seed gives the same schedule; another gives another, as fair"
        )
        seed_label.setBuddy(self.seed)
        seed_row.addWidget(seed_label)
        seed_row.addWidget(self.seed, 1)
        column.addLayout(seed_row)
        self.propose_button = QPushButton("&Propose")
        self.propose_button.setObjectName("generate_propose")
        self.propose_button.setToolTip("Work out a schedule for the chosen clusters")
        self.another_button = QPushButton("&Try another")
        self.another_button.setObjectName("generate_another")
        self.another_button.setToolTip("Another schedule, as fair, from the next seed")
        buttons = QHBoxLayout()
        buttons.addWidget(self.propose_button)
        buttons.addWidget(self.another_button)
        column.addLayout(buttons)
        splitter.addWidget(left)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.result_label = QLabel("Choose the clusters and press Propose.")
        self.result_label.setObjectName("generate_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.result_label)
        self.busy = QProgressBar()
        self.busy.setObjectName("generate_busy")
        self.busy.setRange(0, 0)  # busy: the scheduler reports no steps
        self.busy.setTextVisible(False)
        self.busy.hide()
        column.addWidget(self.busy)
        self.model = PlainTableModel(PROPOSAL_COLUMNS, parent=self)
        self.table = list_view("generate_table", self.model)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TEAM_COLUMN, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 3)
        self.reasons = QListWidget()
        self.reasons.setObjectName("generate_reasons")
        self.reasons.setWordWrap(True)
        self.reasons.hide()
        column.addWidget(self.reasons, 2)
        splitter.addWidget(right)
        splitter.setSizes([300, 800])
        layout.addWidget(splitter, 1)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("generate_apply")
        self.apply_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if not self.chosen_clusters():
            self.result_label.setText(
                "No cluster can be scheduled: "
                + (
                    "each has reviews confirmed or later, which a new schedule would move. "
                    "Change those reviews by hand, or make a new cluster."
                    if clusters
                    else "there are no clusters yet. Make them in the Clusters view first."
                )
            )
        self.propose_button.clicked.connect(self.propose)
        self.another_button.clicked.connect(self.try_another)
        self.cluster_list.itemChanged.connect(lambda _item: self._forget_proposal())
        self.seed.valueChanged.connect(lambda _v: self._forget_proposal())

    def chosen_clusters(self) -> list[int]:
        ids = []
        for number in range(self.cluster_list.count()):
            item = self.cluster_list.item(number)
            if (
                item.checkState() == Qt.CheckState.Checked
                and item.flags() & Qt.ItemFlag.ItemIsEnabled
            ):
                ids.append(int(item.data(CLUSTER_ROLE)))
        return ids

    def _forget_proposal(self) -> None:
        if self.proposal is not None:
            self.proposal = None
            self.apply_button.setEnabled(False)
            self.result_label.setText("Changed: press Propose for a schedule of these clusters.")

    @property
    def working(self) -> bool:
        return self.job is not None

    def try_another(self) -> None:
        self.seed.setValue(self.seed.value() + 1)
        self.propose()

    def propose(self) -> None:
        """Work the schedule out off the main thread (a large cycle takes a moment)."""
        if self.job is not None:
            return
        clusters = self.chosen_clusters()
        if not clusters:
            self._show_refusal("Choose at least one cluster to schedule.")
            return
        actor, seed = self.services.actor, self.seed.value()
        scheduling = self.services.scheduling
        self.proposal = None
        self.apply_button.setEnabled(False)
        self.busy.show()
        self.result_label.setText("Working out a schedule…")
        for widget in (self.propose_button, self.another_button, self.cluster_list, self.seed):
            widget.setEnabled(False)
        self.job = BackgroundJob(
            self,
            "",
            lambda _progress: scheduling.propose(actor, self.cycle_id, clusters, seed),
            self._proposed,
            self._failed,
            show_dialog=False,
        ).start()

    def _done(self) -> None:
        self.job = None
        self.busy.hide()
        for widget in (self.propose_button, self.another_button, self.cluster_list, self.seed):
            widget.setEnabled(True)

    def _proposed(self, proposal: ScheduleProposal) -> None:
        self._done()
        self.proposal = proposal
        self.reasons.hide()
        self.table.show()
        self.model.set_rows(proposal_rows(proposal))
        for column in range(len(PROPOSAL_COLUMNS)):
            if column != TEAM_COLUMN:
                self.table.resizeColumnToContents(column)
        count = len(proposal.reviews)
        parts = [f"<b>{count} reviews</b> proposed (seed {proposal.seed})."]
        if proposal.breaches:
            items = "".join(f"<li>{escape(b.message)}</li>" for b in proposal.breaches)
            parts.append(
                f"<span style='color:#a04000'>It breaks {len(proposal.breaches)} rule(s):</span>"
                f"<ul>{items}</ul>"
            )
        else:
            parts.append("It keeps every rule of the cycle.")
        if proposal.replaces:
            parts.append(
                f"Applying it <b>replaces {proposal.replaces} proposed review"
                f"{'' if proposal.replaces == 1 else 's'}</b> of these clusters."
            )
        self.result_label.setText(" ".join(parts))
        self.apply_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._done()
        if isinstance(exc, ScheduleImpossible):
            self.model.set_rows([])
            self.table.hide()
            self.reasons.clear()
            self.reasons.addItems(exc.reasons)
            self.reasons.show()
            self.result_label.setText(
                "<b>No schedule keeps every rule</b> for these clusters. Why, in each case:"
            )
            return
        if isinstance(exc, ValidationError):
            self._show_refusal(" ".join(exc.field_errors.values()))
            return
        if isinstance(exc, ServiceError):
            self._show_refusal(exc.message)
            return
        raise exc

    def _show_refusal(self, message: str) -> None:
        self.model.set_rows([])
        self.reasons.hide()
        self.table.show()
        self.result_label.setText(f"<span style='color:#b00020'>{escape(message)}</span>")

    def apply(self) -> None:
        """The proposal becomes the clusters' proposed reviews; refused in words otherwise."""
        proposal = self.proposal
        if proposal is None or self.job is not None:
            return
        try:
            count = self.services.scheduling.apply(self.services.actor, proposal)
        except ServiceError as exc:
            self.tell(self, "The schedule was not applied", exc.message)
            return
        self.applied.emit(count)
        self.accept()

    def reject(self) -> None:
        if self.job is not None:  # the scheduler finishes first (it cannot be stopped part-way)
            self.job.wait()
        super().reject()
