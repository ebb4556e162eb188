"""The review cycle dialog: a year's rules typed and saved; refusals beside the fields."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from qt_driving import button, press
from review_dialog_records import YEAR, history_count, make_office, retype, shown, viewer_of
from review_records import review_sums

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import TermName
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.peer_reviews.cycle_dialog import CycleDialog

pytestmark = pytest.mark.gui
NEXT = AcademicYear(2026)


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def office(services: Services) -> dict[str, int]:
    return make_office(services)


def test_a_new_cycle_is_typed_and_saved_with_ctrl_s(qtbot, services: Services, office) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, CycleDialog(services, None, None, NEXT))
    assert dialog.year.currentText() == "2026/27"
    retype(qtbot, dialog.name, "Peer reviews 2026/27: writing")
    for spin, value in ((dialog.team_size, "3"), (dialog.reviews_per_school, "3")):
        spin.setFocus()
        qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(spin, value)
    qtbot.mouseClick(dialog.one_a_week, Qt.MouseButton.LeftButton)  # unticked
    qtbot.keyClick(dialog.term_boxes[TermName.SUMMER], Qt.Key.Key_Space)  # unticked
    retype(qtbot, dialog.focus, "Writing across the curriculum\nAttendance")
    with qtbot.waitSignal(dialog.saved) as signal:
        press(qtbot, dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.reviews.cycle_for_year(services.actor, "2026/27")
    assert signal.args[0].id == saved.id
    assert saved.name == "Peer reviews 2026/27: writing"
    assert saved.rules.team_size == 3 and saved.rules.reviews_per_school == 3
    assert saved.rules.one_visit_per_week is False and saved.rules.avoid_same_trust is True
    assert saved.rules.terms == (TermName.AUTUMN, TermName.SPRING)
    assert saved.focus == "Writing across the curriculum\nAttendance"
    assert not dialog.isVisible()


def test_no_term_ticked_is_refused_beside_the_terms_and_nothing_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, CycleDialog(services, None, None, NEXT))
    retype(qtbot, dialog.name, "Spring only, perhaps")
    for box in dialog.term_boxes.values():
        qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.messages.message("terms") == "Choose at least one term for the visits."
    assert "nothing has been saved" in dialog.banner.text()
    assert dialog.name.text() == "Spring only, perhaps"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_second_cycle_for_a_year_is_refused_by_the_year(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = shown(qtbot, CycleDialog(services, None, None))
    retype(qtbot, dialog.year.lineEdit(), "2025/26")
    press(qtbot, dialog.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.messages.message("academic_year") == "There is already a cycle for 2025/26."
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_year_that_cannot_be_read_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, sqlite_db
) -> None:
    before = review_sums(sqlite_db)
    dialog = shown(qtbot, CycleDialog(services, None, None))
    retype(qtbot, dialog.year.lineEdit(), "next year")
    press(qtbot, dialog.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.messages.message("academic_year")
    assert dialog.year.currentText() == "next year"
    assert review_sums(sqlite_db) == before


def test_a_saved_cycle_opens_with_its_rules_and_saves_a_change(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office
) -> None:
    dialog = shown(qtbot, CycleDialog(services, office["cycle"], None))
    assert dialog.windowTitle() == "Peer reviews 2025/26"
    assert dialog.year.currentText() == YEAR.label
    assert dialog.team_size.value() == 2 and dialog.avoid_same_trust.isChecked()
    assert all(box.isChecked() for box in dialog.term_boxes.values())
    dialog.seed.setFocus()
    qtbot.keyClick(dialog.seed, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.seed, "42")
    qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    assert services.reviews.get_cycle(services.actor, office["cycle"]).seed == 42


def test_someone_who_may_only_look_sees_the_rules_without_save(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db, office
) -> None:
    dialog = shown(qtbot, CycleDialog(viewer_of(sqlite_db), office["cycle"], None))
    assert not dialog.team_size.isEnabled() and dialog.name.isReadOnly()
    assert [b.text() for b in dialog.buttons.buttons()] == ["Close"]
