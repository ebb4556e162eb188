"""Letters > Mail merge to "A cluster": the schools of the peer-review cluster chosen beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_ui_helpers import on_its_text, open_merge, wait_done
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from qt_driving import choose

from thep_desktop.services.peer_reviews.review_data import ClusterInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.letters.mail_merge_recipients import CLUSTER
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture
def clusters(services: Services, schools: dict[str, int]) -> dict[str, int]:
    """Stepney (St Mary's and Bow) and Wapping (Bow and a school of its own)."""
    actor = services.actor
    wapping_school = services.schools.create_school(
        actor,
        SchoolInput(
            urn="100240",
            name="Wapping Primary School",
            street="Green Bank",
            town="London",
            postcode="E1W 2PP",
            head_title="Mr",
            head_first_name="Ali",
            head_last_name="Khan",
        ),
    ).id
    stepney = services.clusters.save_cluster(
        actor, ClusterInput("Stepney", "geographical", (schools["mary"], schools["bow"]))
    )
    wapping = services.clusters.save_cluster(
        actor, ClusterInput("Wapping", "geographical", (schools["bow"], wapping_school))
    )
    return {"stepney": stepney.id, "wapping": wapping.id, "wapping_school": wapping_school}


def test_choosing_a_cluster_in_the_combo_writes_to_its_schools(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    clusters: dict[str, int],
    own_template: int,
    window: MainWindow,
    merges: list[MailMergeDialog],
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)
    combo = dialog.recipient_choice.cluster_combo
    radio = dialog.radios[CLUSTER]
    assert [combo.itemText(i) for i in range(combo.count())] == ["Stepney", "Wapping"]
    assert radio.isEnabled() and not radio.isChecked()
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findText("Summer programme"))
    # Choosing a cluster in its drop-down chooses writing to it.
    choose(qtbot, combo, "Wapping")
    assert radio.isChecked() and radio.text() == "A c&luster (2)"
    qtbot.waitUntil(
        lambda: (
            {r[0] for r in dialog.recipient_rows()}
            == {"Bow Common Nursery School", "Wapping Primary School"}
        )
    )
    assert "2 letters" in dialog.check_summary.text()
    target = tmp_path / "Wapping.pdf"
    dialog.combined_path.setText(str(target))
    qtbot.waitUntil(lambda: dialog.produce_button.isEnabled())
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert dialog.merge_result is not None and dialog.merge_result.letters == 2
    text = " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Summer programme for Wapping Primary School" in text
    assert "Summer programme for Bow Common Nursery School" in text
    assert "St Mary" not in text
    history = services.letters.correspondence(services.actor, clusters["wapping_school"])
    assert [h.template_name for h in history] == ["Summer programme"]
    assert services.letters.correspondence(services.actor, schools["mary"]) == []


def test_the_cluster_button_then_another_cluster_by_keyboard(
    qtbot: QtBot,
    clusters: dict[str, int],
    own_template: int,
    window: MainWindow,
    merges: list[MailMergeDialog],
) -> None:
    dialog = open_merge(window, merges)
    radio = dialog.radios[CLUSTER]
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=on_its_text(radio))
    assert radio.isChecked() and radio.text() == "A c&luster (2)"
    qtbot.waitUntil(
        lambda: (
            {r[0] for r in dialog.recipient_rows()}
            == {"St Mary & St John's <Primary>", "Bow Common Nursery School"}
        )
    )
    combo = dialog.recipient_choice.cluster_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Wapping"
    qtbot.waitUntil(lambda: "Wapping Primary School" in {r[0] for r in dialog.recipient_rows()})
    assert "St Mary & St John's <Primary>" not in {r[0] for r in dialog.recipient_rows()}


def test_without_clusters_the_choice_is_off_and_says_why(
    window: MainWindow, merges: list[MailMergeDialog]
) -> None:
    dialog = open_merge(window, merges)
    radio = dialog.radios[CLUSTER]
    assert radio.text() == "A c&luster (0)" and not radio.isEnabled()
    assert not dialog.recipient_choice.cluster_combo.isEnabled()
    assert "No clusters are recorded yet" in radio.toolTip()
