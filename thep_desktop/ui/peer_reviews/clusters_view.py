"""The Clusters view of the Peer reviews tab: the clusters, and the chosen cluster's schools."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QToolBar, QVBoxLayout, QWidget

from thep_desktop.services.peer_reviews.review_data import ClusterDetail
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

CLUSTER_COLUMNS = (
    PlainColumn("Cluster"),
    PlainColumn("Kind"),
    PlainColumn("Schools", "count"),
    PlainColumn("Lead contact"),
    PlainColumn("Reviews this cycle", "count", "The cluster's reviews in the cycle shown"),
    PlainColumn("Active", "bool", "A cluster retired from scheduling keeps its past reviews"),
)
SCHOOL_COLUMNS = (
    PlainColumn("School"),
    PlainColumn("URN", "integer"),
    PlainColumn("Phase"),
    PlainColumn("Trust"),
    PlainColumn("Diocese"),
    PlainColumn("Head teacher"),
)


class ClustersView(QWidget):
    """Clusters above (name, kind, schools, lead contact), the chosen one's schools below."""

    cluster_chosen = Signal(int)  # 0 when none
    open_requested = Signal()  # double-click or Enter on a cluster

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QToolBar("Clusters")
        self.toolbar.setObjectName("clusters_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = PlainTableModel(CLUSTER_COLUMNS, parent=self)
        self.table = list_view("clusters_table", self.model, sort_column=0)
        self.table.horizontalHeader().setStretchLastSection(True)
        splitter.addWidget(self.table)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 4, 0, 0)
        self.members_label = QLabel()
        self.members_label.setObjectName("cluster_members_label")
        column.addWidget(self.members_label)
        self.schools_model = PlainTableModel(SCHOOL_COLUMNS, parent=self)
        self.schools = list_view("cluster_schools_table", self.schools_model, sort_column=0)
        self.schools.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.schools, 1)
        splitter.addWidget(lower)
        splitter.setSizes([260, 320])
        layout.addWidget(splitter, 1)
        self.clusters: list[ClusterDetail] = []
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._chosen())
        self.table.doubleClicked.connect(lambda _i: self.open_requested.emit())

    def set_clusters(self, clusters: Sequence[ClusterDetail], reviews: dict[int, int]) -> None:
        """The clusters, with their reviews in the cycle shown counted; the chosen one kept."""
        chosen = self.cluster_id()
        self.clusters = list(clusters)
        self.model.set_rows(
            [
                (
                    c.name,
                    c.kind.label,
                    len(c.schools),
                    c.lead_label,
                    reviews.get(c.id, 0),
                    c.active,
                    c,
                )
                for c in self.clusters
            ]
        )
        self.table.resizeColumnsToContents()
        self.choose(chosen or (self.clusters[0].id if self.clusters else 0))
        self._chosen()

    def cluster(self) -> ClusterDetail | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_values(index.row())[len(CLUSTER_COLUMNS)]  # type: ignore[no-any-return]

    def cluster_id(self) -> int:
        cluster = self.cluster()
        return cluster.id if cluster is not None else 0

    def choose(self, cluster_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_values(row)[len(CLUSTER_COLUMNS)].id == cluster_id:
                self.table.selectRow(row)
                return

    def _chosen(self) -> None:
        cluster = self.cluster()
        if cluster is None:
            self.schools_model.set_rows([])
            self.members_label.setText(
                "No clusters yet: make one (New cluster…) or propose them from the register."
                if not self.clusters
                else ""
            )
            self.cluster_chosen.emit(0)
            return
        self.schools_model.set_rows(
            [(s.name, s.urn, s.phase, s.trust, s.diocese, s.head_name) for s in cluster.schools]
        )
        self.schools.resizeColumnsToContents()
        self.members_label.setText(
            f"<b>{escape(cluster.name)}</b>: {len(cluster.schools)} schools"
            + (f" · lead contact {escape(cluster.lead_label)}" if cluster.lead_label else "")
        )
        self.cluster_chosen.emit(cluster.id)
