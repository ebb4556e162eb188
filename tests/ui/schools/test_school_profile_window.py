"""The school profile window as a person uses it: opened from the Schools tab by the Edit
menu, by its key and by the table's context menu; each section lists the school's records;
Ctrl+P saves the PDF where asked, F5 reads again, Esc closes; only those who may edit
schools get the Ofsted history's and the notes' buttons."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from profile_records import MARKUP_NOTE, ProfileDemo, open_profile_demo
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import menu_action, press

from thep_desktop.models import SchoolNote
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_profile_window import PROFILE_KEY, SchoolProfileWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ADMIN = Actor("office", Role.ADMIN)


@pytest.fixture(scope="module", params=["sqlite"])
def profile_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProfileDemo]:
    yield from open_profile_demo(request, tmp_path_factory)


@pytest.fixture
def services(profile_demo: ProfileDemo) -> Services:
    return Services(profile_demo.db, ADMIN)


@pytest.fixture
def opened(window: MainWindow) -> list[QWidget]:
    """The profile windows the Schools tab opens (really opened, and kept here)."""
    tab = window.schools_tab
    real = tab.show_profile
    found: list[QWidget] = []

    def show(services: Services, urn: int, parent: QWidget) -> object:
        shown = real(services, urn, parent)
        assert isinstance(shown, QWidget)
        found.append(shown)
        return shown

    tab.show_profile = show  # type: ignore[method-assign]
    return found


def test_edit_menu_opens_the_selected_schools_profile(
    qtbot: QtBot, window: MainWindow, opened: list[QWidget], profile_demo: ProfileDemo
) -> None:
    tab = window.schools_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_ids([profile_demo.school_id])
    assert tab.selected_ids() == [profile_demo.school_id]
    action = menu_action(window, "Edit", "School profile…")
    assert action.shortcut().toString() == PROFILE_KEY
    action.trigger()
    (profile,) = opened
    assert isinstance(profile, SchoolProfileWindow)
    qtbot.waitExposed(profile)
    assert not profile.isModal()
    assert profile.urn == profile_demo.urn
    assert profile.windowTitle().startswith("School profile – ")


def test_its_key_in_the_schools_table_opens_the_profile(
    qtbot: QtBot, window: MainWindow, opened: list[QWidget], profile_demo: ProfileDemo
) -> None:
    tab = window.schools_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_ids([profile_demo.school_id])
    tab.table.setFocus()
    press(qtbot, tab.table, Qt.Key.Key_O, CTRL | SHIFT)
    (profile,) = opened
    assert isinstance(profile, SchoolProfileWindow)
    assert profile.urn == profile_demo.urn
    # Another tab in front: the key is not the Schools tab's there.
    window.tabs.setCurrentIndex((window.tabs.indexOf(tab) + 1) % window.tabs.count())
    assert window.school_profile_action.shortcut().isEmpty()


def test_the_context_menu_opens_the_profile(
    window: MainWindow, opened: list[QWidget], profile_demo: ProfileDemo
) -> None:
    tab = window.schools_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_ids([profile_demo.school_id])
    rect = tab.table.visualRect(tab.table.currentIndex())
    tab.table.customContextMenuRequested.emit(rect.center())
    menu = tab.table_menu
    assert isinstance(menu, QMenu)
    (entry,) = [a for a in menu.actions() if a.text().replace("&", "") == "School profile…"]
    assert entry.isEnabled()
    entry.trigger()
    (profile,) = opened
    assert isinstance(profile, SchoolProfileWindow)
    assert profile.urn == profile_demo.urn


def test_each_section_lists_the_schools_records(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo
) -> None:
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    expected = services.school_profile.profile(ADMIN, profile_demo.urn)
    summary = window.summary.text()
    assert expected.register.name.replace("&", "&amp;") in summary
    assert "Report card: an area needing attention" in summary
    assert expected.register.link_officer in summary

    def column(section: object, number: int) -> list[object]:
        return [row[number] for row in section.shown()]  # type: ignore[attr-defined]

    assert sorted(column(window.invoices, 1)) == sorted(i.number for i in expected.invoices)
    dates = column(window.invoices, 0)
    assert dates == sorted(dates, reverse=True)  # newest first
    first = window.invoices.proxy.index(0, 0).data()
    assert first == expected.invoices[0].invoice_date.strftime("%d/%m/%Y")
    total = window.invoices.proxy.index(0, 5).data()
    assert total.startswith("£") and total.endswith(f"{expected.invoices[0].total:,.2f}")
    assert column(window.inspections, 0) == [date(2026, 1, 20), date(2019, 3, 12)]
    assert "Achievement: Needs attention" in column(window.inspections, 3)[0]
    assert MARKUP_NOTE in column(window.notes, 3)
    assert len(column(window.hosted, 0)) == len(expected.reviews_hosted) > 0
    assert len(column(window.given, 0)) == len(expected.reviews_given) > 0
    assert "Welcome back" in column(window.letters, 1)
    assert len(column(window.fees, 0)) == len(expected.fees) > 0
    assert window.balance.text().startswith(f"Balance on {date.today():%d/%m/%Y}")
    assert window.inspections.empty.isHidden()


def test_a_note_shows_in_full_and_a_letter_opens_as_sent(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo
) -> None:
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    shown: list[tuple[bytes, str]] = []
    window.show_pdf = lambda _parent, data, title, _name: shown.append((data, title))  # type: ignore[method-assign]
    notes = window.notes.shown()
    row = next(r for r, note in enumerate(notes) if note[3] == MARKUP_NOTE)
    window.notes.table.selectRow(row)
    assert window.note_text.text() == MARKUP_NOTE
    letters = window.letters.shown()
    row = next(r for r, letter in enumerate(letters) if letter[1] == "Welcome back")
    window.tabs.setCurrentIndex(5)
    window.letters.table.selectRow(row)
    press(qtbot, window.letters.table, Qt.Key.Key_Return)
    ((data, title),) = shown
    assert data.startswith(b"%PDF")
    assert title.startswith("Welcome back – ") and title.endswith(f"sent {date.today():%d/%m/%Y}")


def test_a_school_not_yet_inspected_says_so(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo
) -> None:
    window = SchoolProfileWindow(services, profile_demo.quiet_urn)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(4)
    assert window.tabs.tabText(4) == "Ofsted history"
    assert window.inspections.empty.isVisible()
    assert window.inspections.empty.text().startswith("Not yet inspected")
    assert window.invoices.empty.text() == "No invoices."
    assert "Ofsted: Not yet inspected" in window.summary.text()


def test_ctrl_p_saves_the_pdf_where_asked(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo, tmp_path: Path
) -> None:
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    asked: list[str] = []

    def ask_path(_parent: QWidget, caption: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(tmp_path / "profile"), _filter

    window.ask_save_path = ask_path  # type: ignore[method-assign]
    press(qtbot, window.tabs, Qt.Key.Key_P, CTRL)
    target = tmp_path / "profile.pdf"
    assert target.exists() and asked and asked[0].endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    expected = services.school_profile.profile(ADMIN, profile_demo.urn)
    assert "School profile" in text and f"URN {profile_demo.urn}" in text
    assert expected.invoices[0].number in text
    assert window.status.text() == f"Saved to {target}."


def test_a_cancelled_save_writes_nothing(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo, tmp_path: Path
) -> None:
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    window.ask_save_path = lambda *_args: ("", "")  # type: ignore[method-assign]
    window.print_button.click()
    assert list(tmp_path.iterdir()) == [] and window.status.text() == ""


def test_f5_reads_again_and_esc_closes(
    qtbot: QtBot, services: Services, profile_demo: ProfileDemo
) -> None:
    window = SchoolProfileWindow(services, profile_demo.urn)
    qtbot.addWidget(window)
    before = window.notes.model.rowCount()
    with profile_demo.db.session() as session:
        session.add(
            SchoolNote(
                school_id=profile_demo.school_id,
                noted_on=date(2026, 11, 30),
                author_name="Office",
                subject="Phone call",
                text="Rang about the census.",
                created_by="test",
                updated_by="test",
            )
        )
    press(qtbot, window.tabs, Qt.Key.Key_F5)
    assert window.notes.model.rowCount() == before + 1
    assert window.notes.shown()[0][3] == "Rang about the census."
    press(qtbot, window.tabs, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_only_those_who_may_edit_schools_get_the_buttons(
    qtbot: QtBot, profile_demo: ProfileDemo
) -> None:
    viewer = Services(profile_demo.db, Actor("visitor", Role.VIEWER))
    window = SchoolProfileWindow(viewer, profile_demo.urn)
    qtbot.addWidget(window)
    window.inspections.table.selectRow(0)
    window.notes.table.selectRow(0)
    buttons = (
        window.add_inspection_button,
        window.edit_inspection_button,
        window.delete_inspection_button,
        window.add_note_button,
        window.edit_note_button,
        window.delete_note_button,
    )
    assert not any(b.isEnabled() for b in buttons)
    assert window.print_button.isEnabled()
    admin = SchoolProfileWindow(Services(profile_demo.db, ADMIN), profile_demo.urn)
    qtbot.addWidget(admin)
    assert admin.add_inspection_button.isEnabled() and admin.add_note_button.isEnabled()
    assert not admin.edit_inspection_button.isEnabled()  # nothing chosen yet
    admin.inspections.table.selectRow(0)
    assert admin.edit_inspection_button.isEnabled()
    assert admin.delete_inspection_button.isEnabled()
