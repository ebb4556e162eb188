"""Peer reviews > Print confirmation letters: who to, Print, the PDF shown and recorded."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton, QStyle, QStyleOptionButton
from pytestqt.qtbot import QtBot

from thep_desktop.services.registry import Services
from thep_desktop.ui.peer_reviews.confirmation_letters import (
    ConfirmationLettersDialog,
    print_confirmations,
)


def opened(
    qtbot: QtBot, services: Services, cycle_id: int, ids: list[int], target: Path
) -> tuple[ConfirmationLettersDialog, list[tuple[bytes, str]]]:
    # Shown without a blocking exec(), as the tab's tests run its dialogs.
    dialog = print_confirmations(services, cycle_id, ids, run_dialog=lambda d: d.show())
    qtbot.addWidget(dialog)
    asked: list[str] = []
    dialog.ask_save_path = lambda _parent, caption, start, _filter: (
        asked.append(start) or str(target),
        "",
    )
    shown: list[tuple[bytes, str]] = []
    dialog.show_pdf = lambda _parent, data, title, _name: shown.append((data, title))
    return dialog, shown


def on_its_text(radio: QRadioButton) -> QPoint:
    """Where a person's click on a radio button lands: on its button and words."""
    option = QStyleOptionButton()
    radio.initStyleOption(option)  # type: ignore[attr-defined]
    rect = radio.style().subElementRect(QStyle.SubElement.SE_RadioButtonClickRect, option, radio)
    return rect.center()


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_host_letters_only_are_printed_shown_and_recorded(
    qtbot: QtBot, services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "confirmations.pdf"
    dialog, shown = opened(qtbot, services, planned["cycle"], [planned["dated"]], target)
    assert dialog.isVisible()
    assert dialog.summary.text() == (
        "1 review chosen: 3 letters (1 to host school, 2 to reviewing schools)."
    )
    host_only = dialog.who["host"]
    qtbot.mouseClick(host_only, Qt.MouseButton.LeftButton, pos=on_its_text(host_only))
    assert host_only.isChecked()
    assert dialog.summary.text() == "1 review chosen: 1 letter (1 to host school)."
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
    assert dialog.result.letters == 1
    text = text_of(target)
    assert "Confirmation of your peer review" in text
    assert "Tuesday 4 November 2025 (one day)" in text
    assert "Mr Tom Okafor, Headteacher, Bangabandhu Primary School (lead reviewer)" in text
    assert "Peer review of Arnhem Wharf" not in text  # no reviewing school's letter
    assert len(shown) == 1 and shown[0][0] == target.read_bytes()
    assert "Saved 1 confirmation letter" in dialog.message.text()
    actor = services.actor
    assert [r.template_name for r in services.letters.correspondence(actor, planned["arnhem"])] == [
        "Confirmation of your peer review"
    ]
    assert services.letters.correspondence(actor, planned["bangabandhu"]) == []


def test_both_by_default_to_the_host_and_each_reviewing_school(
    qtbot: QtBot, services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "both.pdf"
    dialog, shown = opened(qtbot, services, planned["cycle"], [planned["dated"]], target)
    assert dialog.who["both"].isChecked()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
    assert (dialog.result.to_hosts, dialog.result.to_reviewers) == (1, 2)
    assert text_of(target).count("Peer review of Arnhem Wharf Primary School: confirmation") == 2
    for school in ("bangabandhu", "bigland"):
        rows = services.letters.correspondence(services.actor, planned[school])
        assert [r.subject for r in rows] == [
            "Peer review of Arnhem Wharf Primary School: confirmation"
        ]


def test_a_review_without_a_date_or_team_keeps_print_off_and_says_why(
    qtbot: QtBot, services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "refused.pdf"
    dialog, shown = opened(
        qtbot, services, planned["cycle"], [planned["dated"], planned["undated"]], target
    )
    assert not dialog.print_button.isEnabled()
    notes = {dialog.model.row_values(r)[0]: dialog.model.row_values(r)[4] for r in range(2)}
    assert notes["Arnhem Wharf Primary School"] == ""
    assert notes["Blue Gate Fields Infants' School"] == (
        "It has no visit date and it has no reviewing schools."
    )
    assert "Print is off until these reviews are put right" in dialog.message.text()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None and not target.exists() and shown == []
    assert services.letters.correspondence(services.actor, planned["arnhem"]) == []


def test_someone_who_may_only_look_cannot_print(
    qtbot: QtBot, viewer: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    dialog, _shown = opened(qtbot, viewer, planned["cycle"], [planned["dated"]], tmp_path / "x.pdf")
    assert not dialog.print_button.isEnabled()
    assert "visitor may see these reviews but not print" in dialog.message.text()
