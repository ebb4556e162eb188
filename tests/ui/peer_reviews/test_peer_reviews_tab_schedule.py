"""Generate schedule and Check in the Peer reviews tab: a proposal applied fills the schedule,
an impossible one says why and changes nothing, and Check lists a breach made by hand."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidgetItem
from qt_driving import Modals, choose, menu_action, press, push
from review_records import cluster, cycle, review_sums, schools, year_with_terms
from review_ui_records import Cycle, hosts_shown, part_way_cycle

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.peer_reviews.check_dialog import CheckDialog
from thep_desktop.ui.peer_reviews.generate_dialog import GenerateDialog
from thep_desktop.ui.peer_reviews.peer_reviews_tab import SCHEDULE_VIEW

pytestmark = pytest.mark.gui


@pytest.fixture
def unscheduled(services: Services) -> Cycle:
    """The twelve schools, their two clusters, the terms and the cycle: no reviews yet."""
    return part_way_cycle(services, scheduled=False)


def generate(qtbot, window: MainWindow, opened: list[QDialog]) -> GenerateDialog:  # type: ignore[no-untyped-def]
    """Ctrl+G in the tab opens Generate schedule."""
    press(qtbot, window.peer_reviews_tab.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = opened[-1]
    assert isinstance(dialog, GenerateDialog)
    return dialog


def propose(qtbot, dialog: GenerateDialog) -> None:  # type: ignore[no-untyped-def]
    push(qtbot, dialog.propose_button)
    qtbot.waitUntil(lambda: not dialog.working, timeout=20_000)


def test_generate_schedule_proposes_applies_and_the_schedule_fills(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    unscheduled: Cycle,
    window: MainWindow,
    opened: list[QDialog],
) -> None:
    tab = window.peer_reviews_tab
    assert hosts_shown(tab) == [] and tab.summary_label.text() == "No reviews shown."
    dialog = generate(qtbot, window, opened)
    assert sorted(dialog.chosen_clusters()) == sorted(unscheduled.clusters.values())
    assert not dialog.apply_button.isEnabled()
    propose(qtbot, dialog)
    assert dialog.model.rowCount() == 12
    assert "12 reviews" in dialog.result_label.text()
    assert "It keeps every rule of the cycle." in dialog.result_label.text()
    # Try another: the next seed, another schedule as fair.
    push(qtbot, dialog.another_button)
    qtbot.waitUntil(lambda: not dialog.working, timeout=20_000)
    assert dialog.seed.value() == 1 and dialog.proposal is not None
    assert dialog.proposal.seed == 1
    shown = {dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())}
    assert len(shown) == 12  # every school hosts once
    push(qtbot, dialog.apply_button)
    assert not dialog.isVisible()
    reviews = unscheduled.reviews(services)
    assert len(reviews) == 12 and {r.status for r in reviews} == {ReviewStatus.PROPOSED}
    assert sorted(hosts_shown(tab)) == sorted(r.host_name for r in reviews)
    assert tab.summary_label.text() == "12 reviews: 12 proposed · no warnings"
    assert window.statusBar().currentMessage() == "Schedule applied: 12 reviews proposed."
    # Generating again says it replaces the proposals; a cluster with a confirmed review
    # cannot be chosen.
    services.reviews.confirm_reviews(services.actor, [reviews[0].id])
    menu_action(window, "Edit", "Reload").trigger()
    again = generate(qtbot, window, opened)
    settled = reviews[0].cluster_id
    assert again.chosen_clusters() == [c for c in unscheduled.clusters.values() if c != settled]
    propose(qtbot, again)
    assert "replaces 6 proposed reviews" in again.result_label.text()
    again.reject()


def test_an_impossible_schedule_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, services: Services, sqlite_db: Database, window: MainWindow, opened: list[QDialog]
) -> None:
    ids = schools(services, 2)
    year_with_terms(services)
    cluster(services, "Wapping pair", ids)
    cycle(services)
    menu_action(window, "Edit", "Reload").trigger()
    before = review_sums(sqlite_db)
    dialog = generate(qtbot, window, opened)
    propose(qtbot, dialog)
    assert dialog.reasons.isVisible() and not dialog.table.isVisible()
    reasons = [dialog.reasons.item(n).text() for n in range(dialog.reasons.count())]
    assert reasons and any("2 schools" in reason for reason in reasons), reasons
    assert "No schedule keeps every rule" in dialog.result_label.text()
    assert not dialog.apply_button.isEnabled()
    dialog.reject()
    assert review_sums(sqlite_db) == before
    assert hosts_shown(window.peer_reviews_tab) == []


def test_check_lists_a_breach_made_by_hand_and_a_click_shows_its_review(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    tab = window.peer_reviews_tab
    review = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.PROPOSED)
    # Someone put a visit on a Saturday.
    services.reviews.move_review(services.actor, review.id, date(2026, 6, 13), review.version)
    menu_action(window, "Edit", "Reload").trigger()
    assert "⚠" in tab.summary_label.text()
    press(qtbot, tab.table, Qt.Key.Key_F7)
    dialog = opened[-1]
    assert isinstance(dialog, CheckDialog)
    groups = [dialog.tree.topLevelItem(n) for n in range(dialog.tree.topLevelItemCount())]
    days = next(g for g in groups if g.text(0).startswith("Visits on school days in term"))
    children: list[QTreeWidgetItem] = [days.child(n) for n in range(days.childCount())]
    weekend = next(c for c in children if "13/06/2026" in c.text(0))
    assert "is a weekend" in weekend.text(0) and review.host_name in weekend.text(1)
    # Click it: the schedule shows, with that review selected (the filter that hid it cleared).
    tab.views.setCurrentIndex(2)
    choose(qtbot, tab.status_filter, "Confirmed")
    assert review.host_name not in hosts_shown(tab)
    rect = dialog.tree.visualItemRect(weekend)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.views.currentIndex() == SCHEDULE_VIEW
    assert tab.selected_ids() == [review.id]
    assert tab.status_filter.currentText() == "Any status"
    dialog.close()
