"""A 2025/26 review cycle part-way through, for the Peer reviews tab's tests and screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from review_records import cluster, cycle, schools, year_with_terms

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ReviewDetail
from thep_desktop.services.registry import Services
from thep_desktop.ui.peer_reviews.peer_reviews_tab import PeerReviewsTab
from thep_desktop.ui.peer_reviews.reviews_table_model import COL_HOST

# Spring bank holidays of 2026 in England: Good Friday and Easter Monday fall in the Easter
# holidays; the early May bank holiday is a school day's Monday in the summer term.
EARLY_MAY_2026 = date(2026, 5, 4)


@dataclass(frozen=True)
class Cycle:
    cycle_id: int
    clusters: dict[str, int]
    school_ids: list[int]

    def reviews(self, services: Services) -> list[ReviewDetail]:
        return services.reviews.list_reviews(services.actor, self.cycle_id)


def part_way_cycle(services: Services, *, scheduled: bool = True) -> Cycle:
    """Twelve Tower Hamlets schools in two clusters of six, 2025/26's terms, and (when
    ``scheduled``) a generated schedule applied: the first three visits completed (the first
    with its report received), the next four confirmed, the last five proposed."""
    ids = schools(services, 12)
    year_with_terms(services)
    clusters = {
        "Stepney and Wapping": cluster(services, "Stepney and Wapping", ids[:6]),
        "Isle of Dogs": cluster(services, "Isle of Dogs", ids[6:]),
    }
    cycle_id = cycle(services)
    made = Cycle(cycle_id, clusters, ids)
    if scheduled:
        proposal = services.scheduling.propose(services.actor, cycle_id, list(clusters.values()), 1)
        services.scheduling.apply(services.actor, proposal)
        reviews = made.reviews(services)
        actor = services.actor
        services.reviews.confirm_reviews(actor, [r.id for r in reviews[:7]], date(2025, 9, 1))
        for review in reviews[:3]:
            fresh = services.reviews.get_review(actor, review.id)
            assert fresh.starts_on is not None
            services.reviews.set_status(
                actor, fresh.id, ReviewStatus.COMPLETED, fresh.starts_on, fresh.version
            )
        first = services.reviews.get_review(actor, reviews[0].id)
        assert first.starts_on is not None
        services.reviews.set_status(
            actor, first.id, ReviewStatus.REPORT_RECEIVED, first.starts_on, first.version
        )
    return made


# -- driving the tab as a person does -----------------------------------------------------------
def hosts_shown(tab: PeerReviewsTab) -> list[str]:
    """The host schools of the schedule's rows, top to bottom."""
    return [tab.proxy.row_at(r).review.host_name for r in range(tab.proxy.rowCount())]


def click_row(qtbot, tab: PeerReviewsTab, review_id: int, *, add: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Click the review's row in the schedule (with Ctrl to add it to the selection)."""
    rows = [tab.proxy.row_at(r).id for r in range(tab.proxy.rowCount())]
    rect = tab.table.visualRect(tab.proxy.index(rows.index(review_id), COL_HOST))
    modifier = Qt.KeyboardModifier.ControlModifier if add else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert review_id in tab.selected_ids()


def drag(qtbot, widget: QWidget, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    """Press the left button at ``start``, move in steps to ``end`` and let go there."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left, pos=start)
    steps = 6
    for step in range(1, steps + 1):
        x = start.x() + (end.x() - start.x()) * step // steps
        y = start.y() + (end.y() - start.y()) * step // steps
        qtbot.mouseMove(widget, QPoint(x, y))
    qtbot.mouseRelease(widget, left, pos=end)
