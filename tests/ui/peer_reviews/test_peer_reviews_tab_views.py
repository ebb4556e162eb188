"""The Peer reviews tab's Schools and Clusters views: a school's year, the clusters and their
schools, and deleting a cluster (refused, in the service's words, while reviews name it)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import Modals, choose, menu_action, press
from review_records import cluster, review_sums
from review_ui_records import Cycle, hosts_shown

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import ClosureKind
from thep_desktop.services.peer_reviews.review_data import ClosureInput
from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.peer_reviews.cluster_editor import ClusterEditor, ProposeClustersDialog
from thep_desktop.ui.peer_reviews.peer_reviews_tab import CLUSTERS_VIEW, SCHOOLS_VIEW

pytestmark = pytest.mark.gui


def open_view(qtbot, window: MainWindow, index: int) -> None:  # type: ignore[no-untyped-def]
    views = window.peer_reviews_tab.views
    bar = views.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert views.currentIndex() == index


def test_a_schools_year_shows_what_it_hosts_where_it_reviews_and_its_closures(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    globe = next(
        s.school_id
        for s in services.clusters.school_choices(services.actor)
        if s.name == "Globe Primary School"
    )
    services.school_calendar.add_closures(
        services.actor,
        ClosureInput(globe, date(2026, 1, 5), kind=ClosureKind.INSET, reason="Training"),
    )
    menu_action(window, "Edit", "Reload").trigger()
    open_view(qtbot, window, SCHOOLS_VIEW)
    view = window.peer_reviews_tab.schools_view
    assert view.list.count() == 12
    qtbot.keyClicks(view.search, "glob")
    shown = [
        view.list.item(n) for n in range(view.list.count()) if not view.list.item(n).isHidden()
    ]
    assert [item.text() for item in shown] == ["Globe Primary School"]
    assert view.count.text() == "1 of 12 schools"
    rect = view.list.visualItemRect(shown[0])
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = view.detail.toPlainText()
    year = services.reviews.school_reviews(services.actor, cycle.cycle_id, globe)
    assert len(year.hosting) == 1 and len(year.reviewing) == 2
    hosting = year.hosting[0]
    assert f"{hosting.visit_label}: reviewed by {hosting.team_label}" in text
    for review in year.reviewing:
        assert f"{review.visit_label}: at {review.host_name}" in text
    assert "Clusters: Isle of Dogs" in text
    assert "Mon 05/01/2026: INSET day (Training)" in text
    # The cluster filter lists that cluster's schools only.
    choose(qtbot, window.peer_reviews_tab.cluster_filter, "Stepney and Wapping")
    assert view.list.count() == 6


def test_the_clusters_view_lists_each_cluster_and_its_schools(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    open_view(qtbot, window, CLUSTERS_VIEW)
    view = window.peer_reviews_tab.clusters_view
    rows = [[view.model.index(r, c).data() for c in range(5)] for r in range(view.model.rowCount())]
    assert rows == [
        ["Isle of Dogs", "Geographical", "6", "", "6"],
        ["Stepney and Wapping", "Geographical", "6", "", "6"],
    ]
    view.table.selectRow(1)
    schools = [view.schools_model.index(r, 0).data() for r in range(view.schools_model.rowCount())]
    members = services.clusters.get_cluster(services.actor, cycle.clusters["Stepney and Wapping"])
    assert sorted(schools) == sorted(s.name for s in members.schools)
    assert view.members_label.text().startswith("<b>Stepney and Wapping</b>: 6 schools")


def test_deleting_a_cluster_asks_first_and_one_named_by_reviews_is_refused(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    sqlite_db: Database,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    spare = cluster(services, "Bow Common pair", cycle.school_ids[:2])
    menu_action(window, "Edit", "Reload").trigger()
    open_view(qtbot, window, CLUSTERS_VIEW)
    tab = window.peer_reviews_tab
    view = tab.clusters_view
    # A cluster the reviews name: refused in the service's words, nothing changed.
    view.choose(cycle.clusters["Isle of Dogs"])
    before = review_sums(sqlite_db)
    modals.click("Delete").click("OK")
    menu_action(window, "Peer reviews", "Delete cluster…").trigger()
    modals.wait_answered()
    assert modals.seen[-1].title == "The cluster was not deleted"
    assert "retire" in modals.seen[-1].text.casefold()
    assert review_sums(sqlite_db) == before
    # The spare one goes, once confirmed.
    view.choose(spare)
    modals.click("Delete")
    menu_action(window, "Peer reviews", "Delete cluster…").trigger()
    modals.wait_answered()
    names = [c.name for c in services.clusters.list_clusters(services.actor)]
    assert names == ["Isle of Dogs", "Stepney and Wapping"]
    assert view.model.rowCount() == 2
    assert tab.cluster_filter.findText("Bow Common pair") == -1


def test_a_cluster_made_from_the_clusters_view_is_listed_and_filters_the_schedule(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    open_view(qtbot, window, CLUSTERS_VIEW)
    tab = window.peer_reviews_tab
    view = tab.clusters_view
    new = view.toolbar.widgetForAction(tab.new_cluster_action)
    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    editor = opened[-1]
    assert isinstance(editor, ClusterEditor)
    editor.name.setFocus()
    qtbot.keyClicks(editor.name, "Shadwell pair")
    for typed in ("Arnhem", "Bangabandhu"):
        editor.search.selectAll()
        qtbot.keyClicks(editor.search, typed)
        qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    press(qtbot, editor.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()
    names = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert names == ["Isle of Dogs", "Shadwell pair", "Stepney and Wapping"]
    assert window.statusBar().currentMessage() == "Cluster Shadwell pair saved (2 schools)."
    # It has no reviews yet: chosen in the filter, the schedule is empty.
    choose(qtbot, tab.cluster_filter, "Shadwell pair")
    assert hosts_shown(tab) == []
    # A double-click on a cluster opens it; Propose clusters opens its own window.
    view.choose(cycle.clusters["Isle of Dogs"])
    index = view.table.currentIndex()
    rect = view.table.visualRect(index)
    # A person's double-click: press, release, and the second press.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened_again = opened[-1]
    assert isinstance(opened_again, ClusterEditor) and opened_again.name.text() == "Isle of Dogs"
    opened_again.reject()
    qtbot.mouseClick(
        view.toolbar.widgetForAction(tab.propose_clusters_action), Qt.MouseButton.LeftButton
    )
    assert isinstance(opened[-1], ProposeClustersDialog)
    opened[-1].reject()
