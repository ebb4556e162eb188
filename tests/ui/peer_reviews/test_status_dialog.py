"""The status dialog: a review confirmed, completed, quality-assured on a typed day; refusals in
words with nothing changed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from qt_driving import button, press, push
from review_dialog_records import (
    history_count,
    make_office,
    make_review,
    retype,
    shown,
)
from review_records import review_sums

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import QaOutcome, ReviewStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.peer_reviews.status_dialog import StatusDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def office(services: Services) -> dict[str, int]:
    return make_office(services)


@pytest.fixture
def review(services: Services, office: dict[str, int]) -> int:
    """Bow School's review on 26/11/2025, proposed, with its team."""
    return make_review(
        services,
        office["cycle"],
        office["cluster"],
        office["Bow School"],
        (office["Morpeth School"], office["Swanlea School"]),
    )


def step(services: Services, review_id: int, status: ReviewStatus, on: date, **kw) -> None:  # type: ignore[no-untyped-def]
    detail = services.reviews.get_review(services.actor, review_id)
    services.reviews.set_status(services.actor, review_id, status, on, detail.version, **kw)


def dialog_for(qtbot, services: Services, review_id: int, status: ReviewStatus) -> StatusDialog:  # type: ignore[no-untyped-def]
    detail = services.reviews.get_review(services.actor, review_id)
    return shown(qtbot, StatusDialog(services, detail, status, None))


def test_a_review_is_confirmed_on_the_day_typed(qtbot, services: Services, review) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, services, review, ReviewStatus.CONFIRMED)
    assert dialog.windowTitle() == "Confirmed – Bow School"
    assert dialog.on.text() == date.today().strftime("%d/%m/%Y")
    assert not dialog.outcome.isVisible()
    retype(qtbot, dialog.on, "1/10/25")
    press(qtbot, dialog.on, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not dialog.isVisible()
    saved = services.reviews.get_review(services.actor, review)
    assert saved.status is ReviewStatus.CONFIRMED
    assert saved.status_dates[ReviewStatus.CONFIRMED] == date(2025, 10, 1)
    assert dialog.result_value == saved


def test_quality_assurance_without_an_outcome_is_refused_beside_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review, sqlite_db
) -> None:
    step(services, review, ReviewStatus.REPORT_RECEIVED, date(2025, 12, 5))
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = dialog_for(qtbot, services, review, ReviewStatus.QUALITY_ASSURED)
    retype(qtbot, dialog.qa_notes, "A fair report")
    push(qtbot, button(dialog, "Save"))

    assert dialog.isVisible()
    assert dialog.messages.message("qa_outcome") == "Choose what quality assurance found."
    assert dialog.qa_notes.toPlainText() == "A fair report"
    saved = services.reviews.get_review(services.actor, review)
    assert saved.status is ReviewStatus.REPORT_RECEIVED and saved.qa_outcome is None
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_quality_assured_with_the_outcome_chosen_by_keys(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review
) -> None:
    step(services, review, ReviewStatus.REPORT_RECEIVED, date(2025, 12, 5))
    dialog = dialog_for(qtbot, services, review, ReviewStatus.QUALITY_ASSURED)
    retype(qtbot, dialog.on, "12/01/2026")
    dialog.outcome.setFocus()
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)
    assert dialog.outcome.currentText() == "Consistent, with advice for next time"
    retype(qtbot, dialog.qa_notes, "Evidence base for the writing judgement was thin.")
    press(qtbot, dialog.qa_notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not dialog.isVisible()
    saved = services.reviews.get_review(services.actor, review)
    assert saved.status is ReviewStatus.QUALITY_ASSURED
    assert saved.status_dates[ReviewStatus.QUALITY_ASSURED] == date(2026, 1, 12)
    assert saved.qa_outcome is QaOutcome.CONSISTENT_WITH_ADVICE
    assert saved.qa_notes == "Evidence base for the writing judgement was thin."


def test_completed_before_the_visit_is_refused_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review, sqlite_db
) -> None:
    step(services, review, ReviewStatus.CONFIRMED, date(2025, 10, 1))
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = dialog_for(qtbot, services, review, ReviewStatus.COMPLETED)
    retype(qtbot, dialog.on, "01/11/2025")
    push(qtbot, button(dialog, "Save"))

    assert dialog.isVisible()
    assert "A visit starting on 26/11/2025 cannot be completed on 01/11/2025." in (
        dialog.banner.text()
    )
    assert dialog.on.text() == "01/11/2025"
    assert services.reviews.get_review(services.actor, review).status is ReviewStatus.CONFIRMED
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_review_without_a_date_cannot_be_confirmed(  # type: ignore[no-untyped-def]
    qtbot, services: Services, office, sqlite_db
) -> None:
    undated = make_review(
        services,
        office["cycle"],
        office["cluster"],
        office["Swanlea School"],
        (office["Bow School"],),
        on=None,
    )
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = dialog_for(qtbot, services, undated, ReviewStatus.CONFIRMED)
    push(qtbot, button(dialog, "Save"))

    assert (
        "The review at Swanlea School cannot be confirmed: it has no visit date."
        in dialog.banner.text()
    )
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_a_day_that_cannot_be_read_is_refused_beside_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review, sqlite_db
) -> None:
    before, history = review_sums(sqlite_db), history_count(sqlite_db)
    dialog = dialog_for(qtbot, services, review, ReviewStatus.CONFIRMED)
    retype(qtbot, dialog.on, "next week")
    push(qtbot, button(dialog, "Save"))

    assert dialog.messages.message("on") == "“next week” is not a date: type it as dd/mm/yyyy."
    assert review_sums(sqlite_db) == before and history_count(sqlite_db) == history


def test_going_back_a_step_says_the_later_dates_go_and_clears_them(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review
) -> None:
    step(services, review, ReviewStatus.CONFIRMED, date(2025, 10, 1))
    step(services, review, ReviewStatus.COMPLETED, date(2025, 11, 26))
    dialog = dialog_for(qtbot, services, review, ReviewStatus.CONFIRMED)
    assert "Going back a step clears the dates of the later steps" in dialog.intro.text()
    retype(qtbot, dialog.on, "02/10/2025")
    push(qtbot, button(dialog, "Save"))

    saved = services.reviews.get_review(services.actor, review)
    assert saved.status is ReviewStatus.CONFIRMED
    assert ReviewStatus.COMPLETED not in saved.status_dates
    assert saved.status_dates[ReviewStatus.CONFIRMED] == date(2025, 10, 2)


def test_back_to_proposed_keeps_the_day_it_was_first_proposed(  # type: ignore[no-untyped-def]
    qtbot, services: Services, review
) -> None:
    step(services, review, ReviewStatus.CONFIRMED, date(2025, 10, 1))
    first = services.reviews.get_review(services.actor, review).status_dates
    dialog = dialog_for(qtbot, services, review, ReviewStatus.PROPOSED)
    assert dialog.on.isReadOnly()
    assert dialog.on.text() == first[ReviewStatus.PROPOSED].strftime("%d/%m/%Y")
    push(qtbot, button(dialog, "Save"))

    saved = services.reviews.get_review(services.actor, review)
    assert saved.status is ReviewStatus.PROPOSED
    assert saved.status_dates == {ReviewStatus.PROPOSED: first[ReviewStatus.PROPOSED]}
