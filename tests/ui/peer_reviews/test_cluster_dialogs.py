"""The cluster editor (schools found by typing, added and removed by keys) and the proposed
clusters (ticked, renamed, saved); refusals beside the fields with nothing saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from qt_driving import button, choose, press, push
from review_dialog_records import (
    history_count,
    make_cluster,
    make_schools,
    retype,
    shown,
    viewer_of,
)
from review_records import review_sums

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import ClusterKind
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.peer_reviews.cluster_editor import ClusterEditor, ProposeClustersDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def schools(services: Services) -> dict[str, int]:
    return make_schools(services)


def find_and_add(qtbot, dialog: ClusterEditor, text: str) -> None:  # type: ignore[no-untyped-def]
    retype(qtbot, dialog.search, text)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)


def member_names(dialog: ClusterEditor) -> list[str]:
    return [school.name for school in dialog.members()]


def test_a_new_cluster_is_made_by_keys_and_saved(qtbot, services: Services, schools) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, ClusterEditor(services, None, None))
    retype(qtbot, dialog.name, "Stepney secondaries")
    choose(qtbot, dialog.kind, "Cross-phase")
    find_and_add(qtbot, dialog, "Bow Sch")
    find_and_add(qtbot, dialog, "morpeth")
    find_and_add(qtbot, dialog, "Mulberry Schools Trust")  # two found: nothing chosen yet
    assert member_names(dialog) == ["Bow School", "Morpeth School"]
    dialog.register_table.setFocus()
    dialog.register_table.selectRow(1)
    push(qtbot, dialog.add_button)
    assert member_names(dialog) == ["Bow School", "Morpeth School", "Mulberry School for Girls"]
    assert dialog.members_caption.text() == "<b>In the cluster: 3 schools</b>"
    retype(qtbot, dialog.lead_name, "Amina Rahman")
    retype(qtbot, dialog.lead_email, "a.rahman@bow.towerhamlets.sch.uk")
    dialog.lead_school.setFocus()
    qtbot.keyClicks(dialog.lead_school, "Bow")
    with qtbot.waitSignal(dialog.saved) as signal:
        press(qtbot, dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.clusters.get_cluster(services.actor, signal.args[0].id)
    assert saved.name == "Stepney secondaries" and saved.kind is ClusterKind.CROSS_PHASE
    assert [s.name for s in saved.schools] == [
        "Bow School",
        "Morpeth School",
        "Mulberry School for Girls",
    ]
    assert saved.lead_label == "Amina Rahman (Bow School)"
    assert not dialog.isVisible()


def test_a_cluster_of_one_school_is_refused_beside_the_schools(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, ClusterEditor(services, None, None))
    retype(qtbot, dialog.name, "Just Bow")
    find_and_add(qtbot, dialog, "Bow School")
    push(qtbot, button(dialog, "Save"))

    assert dialog.isVisible()
    assert dialog.messages.message("school_ids") == (
        "A cluster needs at least two schools: a school cannot review itself (this one has one)."
    )
    assert member_names(dialog) == ["Bow School"] and dialog.name.text() == "Just Bow"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_name_taken_and_an_email_wrong_are_refused_beside_them(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    make_cluster(services, "Bow and Stepney", [schools["Bow School"], schools["Swanlea School"]])
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, ClusterEditor(services, None, None))
    retype(qtbot, dialog.name, "bow and stepney")
    find_and_add(qtbot, dialog, "Morpeth")
    find_and_add(qtbot, dialog, "Swanlea")
    push(qtbot, button(dialog, "Save"))
    assert dialog.messages.message("name") == "There is already a cluster called Bow and Stepney."

    retype(qtbot, dialog.name, "Bethnal Green")
    retype(qtbot, dialog.lead_email, "amina at bow")
    push(qtbot, button(dialog, "Save"))
    assert dialog.messages.message("name") == ""
    assert dialog.messages.message("lead_contact_email")
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_school_is_taken_out_with_delete_and_the_change_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools
) -> None:
    cluster = make_cluster(
        services,
        "Bow and Stepney",
        [schools["Bow School"], schools["Morpeth School"], schools["Swanlea School"]],
    )
    dialog = shown(qtbot, ClusterEditor(services, cluster, None))
    assert dialog.windowTitle() == "Cluster – Bow and Stepney"
    dialog.member_table.setFocus()
    dialog.member_table.selectRow(1)
    press(qtbot, dialog.member_table, Qt.Key.Key_Delete)
    assert member_names(dialog) == ["Bow School", "Swanlea School"]
    # The school taken out is back in the register's list to add again.
    retype(qtbot, dialog.search, "Morpeth")
    assert dialog.register_proxy.rowCount() == 1
    push(qtbot, button(dialog, "Save"))

    saved = services.clusters.get_cluster(services.actor, cluster)
    assert [s.name for s in saved.schools] == ["Bow School", "Swanlea School"]


def test_proposals_by_phase_are_renamed_unticked_and_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, modals
) -> None:
    dialog = shown(qtbot, ProposeClustersDialog(services, None))
    assert [item.text(0) for item in dialog.proposal_items()] == ["Mulberry Schools Trust"]
    choose(qtbot, dialog.by, "Phase", starting=True)
    (secondary,) = dialog.proposal_items()
    assert secondary.text(0) == "Secondary" and secondary.childCount() == 7
    assert dialog.summary.text() == "1 proposed, 1 ticked"

    tree = dialog.tree
    tree.setFocus()
    tree.setCurrentItem(secondary)
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Tower Hamlets secondaries")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the name is taken once the editor closes
    qtbot.waitUntil(lambda: secondary.text(0) == "Tower Hamlets secondaries", timeout=20_000)
    bishop = secondary.child(0)
    assert bishop.text(0) == "Bishop Challoner Catholic School"
    tree.setCurrentItem(bishop)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert bishop.checkState(0) == Qt.CheckState.Unchecked

    modals.click("OK")
    push(qtbot, dialog.save_button)
    modals.wait_answered()
    assert modals.seen[0].text == "Saved 1 cluster: Tower Hamlets secondaries (6 schools)."
    saved = services.clusters.find_cluster(services.actor, "Tower Hamlets secondaries")
    assert saved.kind is ClusterKind.PHASE and len(saved.schools) == 6
    assert "Bishop Challoner Catholic School" not in [s.name for s in saved.schools]


def test_a_proposal_named_like_a_cluster_is_unticked_and_nothing_saved_without_a_tick(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, modals, sqlite_db
) -> None:
    make_cluster(
        services,
        "Mulberry Schools Trust",
        [schools["Mulberry School for Girls"], schools["Mulberry Academy Shoreditch"]],
        ClusterKind.MAT,
    )
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, ProposeClustersDialog(services, None))
    (mulberry,) = dialog.proposal_items()
    assert mulberry.checkState(0) == Qt.CheckState.Unchecked
    assert mulberry.text(3) == "A cluster of this name exists already: unticked"

    modals.click("OK")
    press(qtbot, dialog.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    assert modals.seen[0].text == "Tick the proposals to save first."
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_proposal_left_with_one_school_is_reported_not_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, modals, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, ProposeClustersDialog(services, None))
    (mulberry,) = dialog.proposal_items()
    dialog.tree.setFocus()
    dialog.tree.setCurrentItem(mulberry.child(1))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)
    modals.click("OK")
    push(qtbot, dialog.save_button)
    modals.wait_answered()

    assert modals.seen[0].text == (
        "Not saved:\n• Mulberry Schools Trust: A cluster needs at least two schools: a school "
        "cannot review itself (this one has one)."
    )
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_someone_who_may_only_look_sees_the_cluster_without_save(  # type: ignore[no-untyped-def]
    qtbot, services: Services, schools, sqlite_db
) -> None:
    cluster = make_cluster(services, "Bow pair", [schools["Bow School"], schools["Morpeth School"]])
    viewer = viewer_of(sqlite_db)
    dialog = shown(qtbot, ClusterEditor(viewer, cluster, None))
    assert dialog.name.isReadOnly() and not dialog.add_button.isVisible()
    assert [b.text() for b in dialog.buttons.buttons()] == ["Close"]
    proposals = shown(qtbot, ProposeClustersDialog(viewer, None))
    assert not proposals.save_button.isEnabled()
