"""The body form: a body typed in and saved, a quorum as a fraction, the usual rules of a
general meeting, and a name or code already taken refused beside the field, nothing lost."""

from __future__ import annotations

import pytest
from people_ui_records import governance_state, in_front, typed
from PySide6.QtCore import Qt
from qt_driving import button, choose, press, push

from thep_desktop.domain.governance import BodyKind, Frequency, QuorumRule, Voters
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.body_editor import BodyEditor

pytestmark = pytest.mark.gui


def test_a_committee_is_typed_in_and_saved_with_ctrl_s(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    form = in_front(qtbot, BodyEditor(services, None, None))
    assert form.windowTitle() == "New body"
    typed(qtbot, form.name, "Finance and Audit Committee")
    typed(qtbot, form.code, "fa")
    choose(qtbot, form.kind, "Committee")
    typed(qtbot, form.quorum_number, "4")
    typed(qtbot, form.notice, "10")
    form.frequency.setFocus()
    qtbot.keyClick(form.frequency, Qt.Key.Key_Down)
    assert form.frequency.currentText() == "At least … times each term"
    typed(qtbot, form.min_meetings, "2")
    typed(qtbot, form.notes, "Reports to the Board.")
    with qtbot.waitSignal(form.saved) as signal:
        press(qtbot, form.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.governing_bodies.get_body(services.actor, signal.args[0].id)
    assert (saved.name, saved.code, saved.kind) == (
        "Finance and Audit Committee",
        "FA",
        BodyKind.COMMITTEE,
    )
    assert saved.quorum == QuorumRule(number=4)
    assert (saved.notice_clear_days, saved.frequency, saved.min_meetings) == (
        10,
        Frequency.TERM,
        2,
    )
    assert saved.frequency_label == "At least 2 times each term"
    assert saved.notes == "Reports to the Board." and saved.active
    assert not form.isVisible()


def test_a_quorum_as_a_fraction_with_a_least_number_and_observers(  # type: ignore[no-untyped-def]
    qtbot, services: Services
) -> None:
    form = in_front(qtbot, BodyEditor(services, None, None))
    typed(qtbot, form.name, "Curriculum Committee")
    typed(qtbot, form.code, "CC")
    qtbot.mouseClick(form.by_fraction, Qt.MouseButton.LeftButton)
    assert not form.quorum_number.isEnabled() and form.numerator.isEnabled()
    typed(qtbot, form.numerator, "2")
    typed(qtbot, form.denominator, "5")
    typed(qtbot, form.minimum, "3")
    qtbot.mouseClick(form.observers_count, Qt.MouseButton.LeftButton)
    assert form.quorum_words.text() == (
        "Quorum: 2/5 of voting members, and at least 3; observers count."
    )
    push(qtbot, button(form, "Save"))

    saved = services.governing_bodies.find_body(services.actor, "CC")
    assert saved.quorum == QuorumRule(numerator=2, denominator=5, minimum=3, observers_count=True)
    assert saved.quorum.needed(10) == 4 and saved.quorum.needed(4) == 3


def test_a_general_meeting_takes_fourteen_clear_days_and_the_member_schools_votes(  # type: ignore[no-untyped-def]
    qtbot, services: Services
) -> None:
    form = in_front(qtbot, BodyEditor(services, None, None))
    typed(qtbot, form.notice, "5")  # changed by hand: kept when the kind changes
    form.kind.setFocus()
    qtbot.keyClicks(form.kind, "G")  # the one kind starting with G
    assert form.kind.currentText() == "General meeting of members"
    assert form.notice.value() == 5
    assert form.voters.currentData() == Voters.MEMBER_SCHOOLS.value

    other = in_front(qtbot, BodyEditor(services, None, None))
    other.kind.setFocus()
    qtbot.keyClicks(other.kind, "G")
    assert other.notice.value() == 14
    assert other.frequency.currentText() == "At least … times each academic year"
    assert other.min_meetings.value() == 1


def test_a_name_and_a_code_taken_are_refused_beside_them_and_kept(  # type: ignore[no-untyped-def]
    qtbot, services: Services, sqlite_db
) -> None:
    services.governing_bodies.add_usual_bodies(services.actor)
    before = governance_state(sqlite_db)
    form = in_front(qtbot, BodyEditor(services, None, None))
    typed(qtbot, form.name, "board of directors")
    typed(qtbot, form.code, "BD")
    typed(qtbot, form.notes, "Entered twice by mistake")
    push(qtbot, button(form, "Save"))

    assert form.isVisible()
    assert form.messages.message("name") == "There is already a body called Board of Directors."
    assert form.banner.text().startswith("Please correct the entry marked in red")
    assert form.name.text() == "board of directors" and form.code.text() == "BD"
    assert form.notes.toPlainText() == "Entered twice by mistake"

    typed(qtbot, form.name, "Board of Trustees")
    typed(qtbot, form.code, "ac")
    push(qtbot, button(form, "Save"))
    assert form.messages.message("name") == ""
    assert form.messages.message("code") == "Advisory Council already uses the code AC."
    assert form.name.text() == "Board of Trustees" and form.code.text() == "ac"
    assert governance_state(sqlite_db) == before


def test_an_existing_body_shows_its_rules_and_saves_a_change(  # type: ignore[no-untyped-def]
    qtbot, services: Services
) -> None:
    services.governing_bodies.add_usual_bodies(services.actor)
    council = services.governing_bodies.find_body(services.actor, "AC")
    form = in_front(qtbot, BodyEditor(services, council.id, None))
    assert form.windowTitle() == "Body – Advisory Council"
    assert form.by_fraction.isChecked()
    assert (form.numerator.value(), form.denominator.value(), form.minimum.value()) == (1, 3, 3)
    assert form.frequency.currentData() == Frequency.TERM.value
    typed(qtbot, form.notice, "10")
    push(qtbot, button(form, "Save"))
    assert services.governing_bodies.get_body(services.actor, council.id).notice_clear_days == 10
