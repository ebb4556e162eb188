"""The review editor: a review typed and saved; live warnings as the date, host or team
change; refusals beside the fields with nothing saved; someone else's change; history."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import button, press, push
from review_dialog_records import (
    SCHOOL_DAY,
    history_count,
    make_office,
    make_review,
    retype,
    shown,
    viewer_of,
)
from review_records import review_sums

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ReviewerInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.audit.history_dialog import HistoryDialog
from thep_desktop.ui.peer_reviews.review_editor import PREVIEW_DELAY_MS, ReviewEditor

pytestmark = pytest.mark.gui
BANK_HOLIDAY_WORDS = (
    "The visit to Bow School on 25/12/2025 is not a school day: 25/12/2025 is a bank holiday."
)


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def office(services: Services) -> dict[str, int]:
    return make_office(services)


@pytest.fixture
def bow_review(services: Services, office: dict[str, int]) -> int:
    """Bow School reviewed by Morpeth and Swanlea, their heads named, on a school day."""
    return make_review(
        services,
        office["cycle"],
        office["cluster"],
        office["Bow School"],
        (office["Morpeth School"], office["Swanlea School"]),
        reviewers=(
            ReviewerInput("Mr Jason Reid", office["Morpeth School"], "Headteacher", is_lead=True),
            ReviewerInput("Ms Farhana Begum", office["Swanlea School"], "Headteacher"),
        ),
    )


def editor(qtbot, services: Services, office, review_id=None, **kw) -> ReviewEditor:  # type: ignore[no-untyped-def]
    return shown(qtbot, ReviewEditor(services, office["cycle"], review_id, None, **kw))


def test_live_warnings_appear_for_a_bank_holiday_and_vanish_for_a_school_day(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = editor(qtbot, services, office, bow_review)
    assert BANK_HOLIDAY_WORDS not in dialog.warnings.text()

    retype(qtbot, dialog.first_day, "25/12/2025")
    qtbot.waitUntil(lambda: BANK_HOLIDAY_WORDS in dialog.warnings.text(), timeout=20_000)
    assert "⚠" in dialog.warnings.text()

    retype(qtbot, dialog.first_day, "26/11/2025")
    qtbot.waitUntil(lambda: "bank holiday" not in dialog.warnings.text(), timeout=20_000)
    # Nothing is saved by looking: the review still has its date, nothing else changed.
    saved = services.reviews.get_review(services.actor, bow_review)
    assert saved.starts_on == SCHOOL_DAY
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_the_check_waits_for_a_pause_in_the_typing(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review
) -> None:
    dialog = editor(qtbot, services, office, bow_review)
    calls = []
    real = services.scheduling.preview_breaches

    def counted(*args, **kw):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kw)

    services.scheduling.preview_breaches = counted  # type: ignore[method-assign]
    retype(qtbot, dialog.first_day, "25/12/2025")
    assert calls == []  # ten keys typed, not checked yet
    qtbot.wait(PREVIEW_DELAY_MS + 200)
    assert len(calls) == 1


def test_a_weekend_and_a_team_too_small_are_warned_as_the_team_changes(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review
) -> None:
    dialog = editor(qtbot, services, office, bow_review)
    dialog.team.list.setCurrentRow(1)
    press(qtbot, dialog.team.list, Qt.Key.Key_Delete)
    assert dialog.team.school_ids() == (office["Morpeth School"],)
    qtbot.waitUntil(
        lambda: (
            "The review at Bow School has 1 reviewer school; teams have 2."
            in dialog.warnings.text()
        ),
        timeout=20_000,
    )
    retype(qtbot, dialog.first_day, "29/11/2025")
    weekend = "Saturday 29/11/2025 is a weekend"
    qtbot.waitUntil(lambda: weekend in dialog.warnings.text(), timeout=20_000)


def test_a_new_review_is_typed_and_saved_with_its_team_and_heads(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, modals
) -> None:
    dialog = editor(qtbot, services, office)
    host = dialog.host.lineEdit()
    host.setFocus()
    qtbot.keyClicks(host, "Mulberry School for")
    qtbot.keyClick(host, Qt.Key.Key_Tab)
    assert dialog.host_id() == office["Mulberry School for Girls"]
    assert dialog.cluster.currentText() == "Bow and Stepney"  # the host's cluster
    # The cluster's schools are offered first, without the host.
    offered = [dialog.team.choice.itemText(i) for i in range(dialog.team.choice.count())]
    assert offered[:4] == [
        "Bow School (E3 3QW)",
        "Morpeth School (E2 0PX)",
        "Mulberry Academy Shoreditch (E2 6NW)",
        "Swanlea School (E1 5DJ)",
    ]
    assert offered[4:] == [
        "Bishop Challoner Catholic School (E1 0LB)",
        "Phoenix School (E3 2AD)",
        "Stepney All Saints Church of England Secondary School (E1 0RH)",
    ]
    assert not any(text.startswith("Mulberry School for Girls") for text in offered)
    retype(qtbot, dialog.first_day, "3/12/25")
    retype(qtbot, dialog.last_day, "4/12/2025")
    for school in ("Swanlea School (E1 5DJ)", "Bow School (E3 3QW)"):
        choice = dialog.team.choice.lineEdit()
        qtbot.keyClicks(choice, school)
        qtbot.keyClick(choice, Qt.Key.Key_Return)
    # Bow first: its head leads.
    dialog.team.list.setCurrentRow(1)
    push(qtbot, dialog.team.up_button)
    assert dialog.team.school_ids() == (office["Bow School"], office["Swanlea School"])
    push(qtbot, dialog.add_heads_button)
    retype(qtbot, dialog.notes, "Parking on Richard Street")
    modals.click("OK")  # the warnings said once it is saved
    with qtbot.waitSignal(dialog.saved) as signal:
        press(qtbot, dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()

    saved = services.reviews.get_review(services.actor, signal.args[0].review.id)
    assert saved.host_name == "Mulberry School for Girls"
    assert (saved.starts_on, saved.ends_on) == (date(2025, 12, 3), date(2025, 12, 4))
    assert saved.team_label == "Bow School, Swanlea School"
    assert [r.label for r in saved.reviewers] == [
        "Ms Amina Rahman, Headteacher, Bow School (lead)",
        "Ms Farhana Begum, Headteacher, Swanlea School",
    ]
    assert saved.focus == "" and saved.notes == "Parking on Richard Street"
    assert saved.status is ReviewStatus.PROPOSED
    (box,) = modals.seen
    assert box.title == "Saved, with warnings"
    assert "each school reviews 2" in box.text
    assert not dialog.isVisible()


def test_a_last_day_before_the_first_is_refused_beside_it_and_nothing_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = editor(qtbot, services, office, bow_review)
    retype(qtbot, dialog.last_day, "25/11/2025")
    retype(qtbot, dialog.focus, "Reading")
    push(qtbot, button(dialog, "Save"))

    assert dialog.isVisible()
    assert dialog.messages.message("ends_on") == (
        "The visit ends on 25/11/2025, before it starts on 26/11/2025."
    )
    assert "nothing has been saved" in dialog.banner.text()
    assert dialog.last_day.text() == "25/11/2025" and dialog.focus.toPlainText() == "Reading"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_date_that_cannot_be_read_is_refused_beside_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = editor(qtbot, services, office, bow_review)
    retype(qtbot, dialog.first_day, "31/11/2025")
    press(qtbot, dialog.first_day, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert "is not a date" in dialog.messages.message("starts_on")
    assert dialog.first_day.text() == "31/11/2025"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_the_host_on_its_own_team_is_refused(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = editor(qtbot, services, office, bow_review)
    host = dialog.host.lineEdit()
    host.selectAll()
    qtbot.keyClicks(host, "Morpeth School (E2 0PX)")
    qtbot.keyClick(host, Qt.Key.Key_Return)
    assert dialog.host_id() == office["Morpeth School"]
    press(qtbot, dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.messages.message("team_school_ids") == "The host school cannot review itself."
    assert services.reviews.get_review(services.actor, bow_review).host_name == "Bow School"
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_school_not_in_the_list_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, sqlite_db
) -> None:
    before = review_sums(sqlite_db)
    dialog = editor(qtbot, services, office)
    qtbot.keyClicks(dialog.host.lineEdit(), "Hogwarts")
    press(qtbot, dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.messages.message("host_school_id") == (
        "“Hogwarts” is not in the list: choose the school from it."
    )
    assert review_sums(sqlite_db) == before


def test_someone_elses_change_meanwhile_is_said_and_theirs_kept(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review
) -> None:
    dialog = editor(qtbot, services, office, bow_review)
    theirs = services.reviews.get_review(services.actor, bow_review).as_input()
    services.reviews.save_review(
        services.actor,
        type(theirs)(**{**theirs.__dict__, "notes": "Moved by the office manager"}),
        bow_review,
    )
    retype(qtbot, dialog.notes, "My note")
    push(qtbot, button(dialog, "Save"))

    assert dialog.isVisible()
    assert "Someone else changed this review since you opened it" in dialog.banner.text()
    assert dialog.notes.toPlainText() == "My note"
    saved = services.reviews.get_review(services.actor, bow_review)
    assert saved.notes == "Moved by the office manager"


def test_status_is_shown_with_its_dates_and_history_opens(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review
) -> None:
    review = services.reviews.get_review(services.actor, bow_review)
    services.reviews.set_status(
        services.actor, bow_review, ReviewStatus.CONFIRMED, date(2025, 10, 1), review.version
    )
    dialog = editor(qtbot, services, office, bow_review)
    assert "Status: <b>Confirmed</b>" in dialog.status.text()
    assert "Confirmed 01/10/2025" in dialog.status.text()
    opened: list[QDialog] = []
    dialog.run_dialog = opened.append  # type: ignore[method-assign]
    push(qtbot, dialog.history_button)

    (history,) = opened
    assert isinstance(history, HistoryDialog)
    assert history.record_uuid == review.uuid
    assert history.windowTitle() == "History – Review at Bow School, 26/11/2025"


def test_esc_after_typing_asks_before_losing_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, modals
) -> None:
    dialog = editor(qtbot, services, office, bow_review)
    retype(qtbot, dialog.notes, "Half typed")
    modals.click("Keep editing")
    press(qtbot, dialog.notes, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert dialog.isVisible() and dialog.notes.toPlainText() == "Half typed"


def test_someone_who_may_only_look_reads_it_without_save(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db, office, bow_review
) -> None:
    dialog = editor(qtbot, viewer_of(sqlite_db), office, bow_review)
    assert not dialog.host.isEnabled() and dialog.first_day.isReadOnly()
    assert not dialog.add_heads_button.isVisible()
    assert {b.text() for b in dialog.buttons.buttons() if b.isVisible()} == {
        "Close",
        "Histor&y…",
    }


def test_a_review_in_no_cluster_says_its_rules_are_not_checked(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office
) -> None:
    dialog = editor(qtbot, services, office, host_school_id=office["Phoenix School"])
    assert dialog.cluster.currentText() == "No cluster"  # Phoenix is in none
    retype(qtbot, dialog.first_day, "25/12/2025")
    qtbot.waitUntil(lambda: "in no cluster" in dialog.warnings.text(), timeout=20_000)
    dialog.cluster.setFocus()
    qtbot.keyClicks(dialog.cluster, "Bow and")
    assert dialog.cluster.currentText() == "Bow and Stepney (the host is not in it)"
    qtbot.waitUntil(lambda: "is a bank holiday" in dialog.warnings.text(), timeout=20_000)


def test_a_reviewer_is_named_by_hand_made_lead_and_another_taken_off(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, bow_review, modals
) -> None:
    dialog = editor(qtbot, services, office, bow_review)
    push(qtbot, dialog.add_reviewer_button)
    row = dialog.reviewers.rows[-1]
    qtbot.waitUntil(row.name.hasFocus, timeout=20_000)  # ready to type the name
    qtbot.keyClicks(row.name, "Ms Priya Shah")
    row.school.setFocus()
    qtbot.keyClicks(row.school, "Swanlea")
    qtbot.keyClicks(row.job_title, "Deputy headteacher")
    qtbot.keyClicks(row.email, "p.shah@swanlea.towerhamlets.sch.uk")
    qtbot.mouseClick(row.lead, Qt.MouseButton.LeftButton)
    assert not dialog.reviewers.rows[0].lead.isChecked()  # one lead a review
    qtbot.mouseClick(dialog.reviewers.rows[0].remove, Qt.MouseButton.LeftButton)
    modals.click("OK")  # the cycle's warnings, once saved
    push(qtbot, button(dialog, "Save"))
    modals.wait_answered()

    saved = services.reviews.get_review(services.actor, bow_review)
    assert [r.label for r in saved.reviewers] == [
        "Ms Farhana Begum, Headteacher, Swanlea School",
        "Ms Priya Shah, Deputy headteacher, Swanlea School (lead)",
    ]
    assert saved.reviewers[1].email == "p.shah@swanlea.towerhamlets.sch.uk"
