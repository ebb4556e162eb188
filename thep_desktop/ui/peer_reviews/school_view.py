"""The Schools view of the Peer reviews tab: each school's year (hosting, reviewing, closures)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.peer_reviews import Breach
from thep_desktop.services.peer_reviews.review_data import (
    ClosureDetail,
    ClusterDetail,
    ReviewDetail,
    SchoolReviews,
)
from thep_desktop.ui.peer_reviews.reviews_table_model import WARNING_SIGN, status_label

SCHOOL_ROLE = Qt.ItemDataRole.UserRole + 10


def _review_line(review: ReviewDetail, school_id: int) -> str:
    """A review in one school's year: the link opens it."""
    link = f"<a href='review:{review.id}'>{escape(review.visit_label)}</a>"
    status = escape(status_label(review))
    if review.host_school_id == school_id:
        team = escape(review.team_label) or "<i>no reviewing schools yet</i>"
        lead = f"; lead {escape(review.lead.label)}" if review.lead is not None else ""
        return f"{link}: reviewed by {team}{lead} · {status}"
    lead = review.lead
    leads = " (this school leads)" if lead is not None and lead.school_id == school_id else ""
    return f"{link}: at <b>{escape(review.host_name)}</b>{leads} · {status}"


def school_html(
    year: SchoolReviews,
    clusters: Sequence[ClusterDetail],
    closures: Sequence[ClosureDetail],
    warnings: Sequence[Breach],
) -> str:
    """One school's year in the cycle, as the Schools view shows it."""
    parts = [f"<h2>{escape(year.school_name)}</h2>"]
    names = ", ".join(escape(c.name) for c in clusters) or "none"
    parts.append(f"<p><b>Clusters:</b> {names}</p>")
    parts.append("<h3>Hosts</h3>")
    if year.hosting:
        parts.append(
            "<ul>"
            + "".join(f"<li>{_review_line(r, year.school_id)}</li>" for r in year.hosting)
            + "</ul>"
        )
    else:
        parts.append("<p><i>No review at this school in this cycle yet.</i></p>")
    parts.append("<h3>Sends reviewers to</h3>")
    if year.reviewing:
        parts.append(
            "<ul>"
            + "".join(f"<li>{_review_line(r, year.school_id)}</li>" for r in year.reviewing)
            + "</ul>"
        )
    else:
        parts.append("<p><i>No reviews of other schools in this cycle yet.</i></p>")
    parts.append("<h3>Closure days</h3>")
    if closures:
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{c.closed_on:%a %d/%m/%Y}: {escape(c.kind.label)}"
                + (f" ({escape(c.reason)})" if c.reason else "")
                + "</li>"
                for c in closures
            )
            + "</ul>"
        )
    else:
        parts.append("<p><i>None recorded this year.</i></p>")
    if warnings:
        parts.append(f"<h3 style='color:#a04000'>{WARNING_SIGN} Warnings</h3>")
        parts.append("<ul>" + "".join(f"<li>{escape(b.message)}</li>" for b in warnings) + "</ul>")
    return "".join(parts)


class SchoolsView(QWidget):
    """A searchable list of the cycle's schools and the chosen school's year."""

    school_chosen = Signal(int)  # 0 when none
    open_requested = Signal(int)  # a review's link was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("school_view_search")
        self.search.setPlaceholderText("Find a school")
        self.search.setClearButtonEnabled(True)
        column.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("school_view_list")
        column.addWidget(self.list, 1)
        self.count = QLabel()
        column.addWidget(self.count)
        splitter.addWidget(left)
        self.detail = QTextBrowser()
        self.detail.setObjectName("school_view_detail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)
        splitter.addWidget(self.detail)
        splitter.setSizes([320, 900])
        layout.addWidget(splitter)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._chosen)

    def set_schools(self, schools: Sequence[tuple[int, str]]) -> None:
        """The schools to list (id, name), keeping the one chosen."""
        chosen = self.school_id()
        self.list.blockSignals(True)
        self.list.clear()
        for school_id, name in sorted(schools, key=lambda s: s[1].casefold()):
            item = QListWidgetItem(name)
            item.setData(SCHOOL_ROLE, school_id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._filter()
        if chosen:
            self.choose(chosen)
        elif not self.list.count():
            self.detail.setHtml("<p><i>The cycle's clusters have no schools yet.</i></p>")
        else:
            self.detail.setHtml(
                "<p><i>Choose a school on the left to see the review it hosts, the reviews it "
                "sends reviewers to, its clusters and its closure days.</i></p>"
            )

    def school_id(self) -> int:
        item = self.list.currentItem()
        return int(item.data(SCHOOL_ROLE)) if item is not None else 0

    def choose(self, school_id: int) -> None:
        for number in range(self.list.count()):
            item = self.list.item(number)
            if item.data(SCHOOL_ROLE) == school_id:
                self.list.setCurrentItem(item)
                return

    def show_html(self, html: str) -> None:
        self.detail.setHtml(html)

    def _filter(self) -> None:
        words = self.search.text().casefold().split()
        shown = 0
        for number in range(self.list.count()):
            item = self.list.item(number)
            hidden = not all(word in item.text().casefold() for word in words)
            item.setHidden(hidden)
            shown += not hidden
        total = self.list.count()
        self.count.setText(f"{total} schools" if shown == total else f"{shown} of {total} schools")

    def _chosen(self, *_args: object) -> None:
        self.school_chosen.emit(self.school_id())

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("review:"):
            self.open_requested.emit(int(text.split(":", 1)[1]))
