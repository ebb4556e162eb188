"""The mail merge window while a colleague removes one of the schools it is writing to."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_ui_helpers import choose_template, open_merge, wait_done
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.domain.progress import Progress
from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_a_school_removed_while_the_letters_are_made_is_named_and_nothing_is_kept(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    colleague: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    target = tmp_path / "Summer.pdf"
    dialog.combined_path.selectAll()
    qtbot.keyClicks(dialog.combined_path, str(target))
    told: list[tuple[str, str]] = []
    dialog.tell = lambda _parent, title, text: told.append((title, text))
    real_produce = services.letters.produce
    bow = colleague.schools.get_school(colleague.actor, schools["bow"])

    def colleague_removes_bow_meanwhile(*args, progress, **kw):  # type: ignore[no-untyped-def]
        def report(done: int, total: int, message: str) -> None:
            if done == 1:  # the first letter is made: now Sam deletes Bow, entered by mistake
                colleague.schools.delete_school(colleague.actor, bow.id, bow.version)
            progress.report(done, total, message)

        return real_produce(*args, progress=Progress(on_report=report), **kw)

    monkeypatch.setattr(services.letters, "produce", colleague_removes_bow_meanwhile)
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    words = (
        "Someone removed Bow Common Nursery School from the register while the letters were "
        "being made. No letters were saved or recorded; run the mail merge again."
    )
    assert told == [
        ("No letters were produced", f"{words}\n\nNo files were saved and nothing was recorded.")
    ]
    assert dialog.banner.text().startswith(words)
    assert dialog.isVisible() and dialog.produce_button.isEnabled()
    assert dialog.merge_result is None
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.partial")) == []
    assert services.letters.correspondence(services.actor, schools["mary"]) == []
