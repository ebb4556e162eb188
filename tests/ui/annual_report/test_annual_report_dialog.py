"""The annual report's window driven as a person does: keys, buttons, the year's drop-down,
against a real temporary database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from qt_driving import choose, press

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.annual_report.annual_report_dialog import (
    CANCEL,
    DISCARD,
    MAKE_FINAL,
    AnnualReportDialog,
)

LAST_YEAR = AcademicYear.of(date.today()).previous()
TRICKY = "We welcomed <b>two</b> schools & =SUM(A1)"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


class Answers:
    """What the person answers to the window's questions, and what they were told."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.told: list[str] = []

    def ask(self, _parent: QWidget | None, _title: str, text: str, choices: Sequence[str]) -> str:
        self.asked.append(text)
        # A question nobody expected is answered with the last choice (Cancel, Close) and
        # shows as a failure in the test's own asserts on ``asked``.
        answer = self.answers.pop(0) if self.answers else choices[-1]
        return answer if answer in choices else choices[-1]

    def tell(self, _parent: QWidget | None, _title: str, text: str) -> None:
        self.told.append(text)


def _dialog(qtbot: Any, services: Services, answers: Answers) -> AnnualReportDialog:
    dialog = AnnualReportDialog(services)
    qtbot.addWidget(dialog, before_close_func=_forget_unsaved)
    dialog.ask = answers.ask
    dialog.tell = answers.tell
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog


def _forget_unsaved(dialog: QWidget) -> None:
    """At the end of a test the window closes without asking about what it left unsaved."""
    assert isinstance(dialog, AnnualReportDialog)
    dialog._dirty = False
    if dialog.job is not None:
        dialog.job.wait()


def _type_in(qtbot: Any, dialog: AnnualReportDialog, section: int, column: str, text: str) -> None:
    dialog.tabs.setCurrentIndex(section)
    editor = dialog.editors[column]
    editor.setFocus()
    qtbot.keyClicks(editor, text)


def test_text_typed_is_saved_with_ctrl_s_as_written(qtbot: Any, services: Services) -> None:
    answers = Answers()
    dialog = _dialog(qtbot, services, answers)
    assert dialog.year == LAST_YEAR  # the last complete year by default
    assert not dialog.save_button.isEnabled()
    _type_in(qtbot, dialog, 1, "membership_text", TRICKY)
    assert dialog.dirty and dialog.windowTitle().startswith("* ")
    assert "Unsaved changes." in dialog.status_label.text()
    press(
        qtbot, dialog.editors["membership_text"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: not dialog.dirty)
    saved = services.annual_report.narrative(services.actor, LAST_YEAR)
    assert saved.texts["membership_text"] == TRICKY
    assert not dialog.save_button.isEnabled()
    assert dialog.year_box.currentText() == f"{LAST_YEAR.label} (draft)"
    assert answers.told == []


def test_a_save_that_fails_says_why_and_keeps_the_text(qtbot: Any, services: Services) -> None:
    answers = Answers()
    dialog = _dialog(qtbot, services, answers)
    _type_in(qtbot, dialog, 2, "finances_text", "Mine")
    # Meanwhile someone else writes the year's first draft.
    services.annual_report.save_narrative(services.actor, LAST_YEAR, {"finances_text": "Theirs"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(answers.told) == 1 and "Someone else changed" in answers.told[0]
    assert dialog.editors["finances_text"].toPlainText() == "Mine" and dialog.dirty
    saved = services.annual_report.narrative(services.actor, LAST_YEAR)
    assert saved.texts["finances_text"] == "Theirs"


def test_mark_final_asks_then_locks_everything(qtbot: Any, services: Services) -> None:
    answers = Answers(CANCEL, MAKE_FINAL)
    dialog = _dialog(qtbot, services, answers)
    approved_on = LAST_YEAR.next().first_day
    dialog.ask_approval = lambda _parent, _year: ("Grace Mensah", approved_on)
    _type_in(qtbot, dialog, 0, "introduction", "Our year.")
    qtbot.mouseClick(dialog.final_button, Qt.MouseButton.LeftButton)  # saved, then Cancel
    assert "This cannot be undone" in answers.asked[0]
    assert not services.annual_report.narrative(services.actor, LAST_YEAR).final
    assert not dialog.editors["introduction"].isReadOnly()
    assert "kept when" not in dialog.figure_labels["membership"].text()
    qtbot.mouseClick(dialog.final_button, Qt.MouseButton.LeftButton)
    assert "it keeps the figures shown now" in answers.asked[1]
    # Beside each section now: the figures kept with the report, which its PDF prints.
    assert "(kept when the report was marked final)" in dialog.figure_labels["membership"].text()
    final = services.annual_report.narrative(services.actor, LAST_YEAR)
    assert final.final and final.finalised_by == "Grace Mensah"
    assert all(editor.isReadOnly() for editor in dialog.editors.values())
    assert dialog.title_edit.isReadOnly()
    assert not dialog.final_button.isEnabled() and not dialog.save_button.isEnabled()
    assert "Final: approved on" in dialog.status_label.text()
    assert "Grace Mensah" in dialog.status_label.text()
    assert dialog.year_box.currentText() == f"{LAST_YEAR.label} (final)"


def test_closing_with_unsaved_text_asks_first(qtbot: Any, services: Services) -> None:
    answers = Answers(CANCEL, DISCARD)
    dialog = _dialog(qtbot, services, answers)
    _type_in(qtbot, dialog, 5, "governance_text", "Unsaved words")
    press(qtbot, dialog.editors["governance_text"], Qt.Key.Key_Escape)
    assert dialog.isVisible() and len(answers.asked) == 1  # Cancel: stays open, text kept
    assert dialog.editors["governance_text"].toPlainText() == "Unsaved words"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not services.annual_report.narrative(services.actor, LAST_YEAR).saved


def test_choosing_a_year_with_no_records_shows_it_empty_and_says_so(
    qtbot: Any, services: Services
) -> None:
    dialog = _dialog(qtbot, services, Answers())
    services.annual_report.save_narrative(
        services.actor, AcademicYear(2019), {"peer_review_text": "Kept from 2019/20"}
    )
    dialog.close()
    dialog = _dialog(qtbot, services, Answers())
    choose(qtbot, dialog.year_box, "2019/20 (draft)")
    assert dialog.year == AcademicYear(2019)
    assert dialog.editors["peer_review_text"].toPlainText() == "Kept from 2019/20"
    assert "No records for 2019/20." in dialog.figure_labels["membership"].text()
    assert "figures as at 31/08/2020" in dialog.figure_labels["membership"].text()


def test_ctrl_p_and_ctrl_e_make_the_pdf_and_the_appendix_in_the_background(
    qtbot: Any, services: Services, tmp_path: Path
) -> None:
    answers = Answers("Close")
    dialog = _dialog(qtbot, services, answers)
    shown: list[tuple[bytes, str]] = []
    dialog.show_pdf = lambda _parent, pdf, title, _name: shown.append((pdf, title))
    targets = iter([str(tmp_path / "report"), str(tmp_path / "appendix")])
    dialog.ask_path = lambda _parent, _caption, _start, _filters: (next(targets), "")
    _type_in(qtbot, dialog, 1, "membership_text", TRICKY)
    press(
        qtbot, dialog.editors["membership_text"], Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert not dialog.dirty  # saved first: the PDF prints what is saved
    pdf = tmp_path / "report.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert (
        TRICKY in text and shown[0][1] == f"Annual report to the Advisory Council {LAST_YEAR.label}"
    )
    press(
        qtbot, dialog.editors["membership_text"], Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: dialog.job is None and bool(answers.asked), timeout=20_000)
    assert (tmp_path / "appendix.xlsx").is_file()
    assert "Wrote the appendix" in answers.asked[0]
    assert answers.told == []


def test_a_viewer_reads_the_report_but_cannot_change_it(
    qtbot: Any, sqlite_db: Database, actor: Actor
) -> None:
    Services(sqlite_db, actor).annual_report.save_narrative(
        actor, LAST_YEAR, {"introduction": "Written by the office."}
    )
    viewer = Services(sqlite_db, Actor("vera", Role.VIEWER))
    dialog = _dialog(qtbot, viewer, Answers())
    assert dialog.editors["introduction"].toPlainText() == "Written by the office."
    assert all(editor.isReadOnly() for editor in dialog.editors.values())
    assert not dialog.save_button.isEnabled() and not dialog.final_button.isEnabled()
    assert "vera may read the report but not change it" in dialog.status_label.text()
    assert dialog.pdf_button.isEnabled() and dialog.appendix_button.isEnabled()
