"""The Peer reviews tab's letters and files, chosen from its menu and keys: confirmation
letters for the reviews selected (or shown), the schedule as a PDF, the calendar as .ics."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qt_driving import Modals, choose, menu_action, press
from review_ui_records import Cycle, click_row

from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.peer_reviews.confirmation_letters import ConfirmationLettersDialog

pytestmark = pytest.mark.gui


def test_ctrl_p_opens_the_confirmation_letters_of_the_selected_review_or_those_shown(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    choose(qtbot, tab.status_filter, "Confirmed")
    shown = [tab.proxy.row_at(r).id for r in range(tab.proxy.rowCount())]
    assert len(shown) == 4
    click_row(qtbot, tab, shown[1])
    press(qtbot, tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    letters = opened[-1]
    assert isinstance(letters, ConfirmationLettersDialog)
    assert letters.review_ids == [shown[1]]
    tab.table.clearSelection()
    menu_action(window, "Peer reviews", "Print confirmation letters…").trigger()
    every = opened[-1]
    assert isinstance(every, ConfirmationLettersDialog) and every is not letters
    assert every.review_ids == shown


def test_the_calendar_and_the_schedule_are_exported_from_the_menu(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    modals.click("Whole cycle").type(str(folder), then="Choose").click("Close")
    menu_action(window, "Peer reviews", "Export calendar…").trigger()
    modals.wait_answered()
    whole = folder / "peer-reviews-2025-26.ics"
    qtbot.waitUntil(whole.exists, timeout=20_000)
    events = Calendar.from_ical(whole.read_bytes()).walk("VEVENT")
    reviews = cycle.reviews(services)
    assert len(events) == len([r for r in reviews if r.starts_on]) == 12
    assert {str(e["SUMMARY"]) for e in events} == {f"Peer review: {r.host_name}" for r in reviews}

    tab = window.peer_reviews_tab
    pdf = tmp_path / "schedule.pdf"
    modals.type(str(pdf), then="Save").click("Close")
    menu_action(window, "Peer reviews", "Export schedule…").trigger()
    modals.wait_answered()
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Peer reviews 2025/26" in text
    flat = " ".join(text.split())
    missing = [r.host_name for r in reviews if r.host_name.split()[0] not in flat]
    assert not missing
    # Filtered to one cluster, the schedule exported is that cluster's.
    choose(qtbot, tab.cluster_filter, "Isle of Dogs")
    one = tmp_path / "isle.pdf"
    modals.type(str(one), then="Save").click("Close")
    menu_action(window, "Peer reviews", "Export schedule…").trigger()
    modals.wait_answered()
    qtbot.waitUntil(one.exists, timeout=20_000)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(one).pages).split())
    assert "Peer reviews 2025/26: Isle of Dogs 6 reviews" in text
    others = [r.host_name for r in reviews if r.cluster_id != cycle.clusters["Isle of Dogs"]]
    assert len(others) == 6 and not any(name in text for name in others)
