"""Letters > Mail merge and the letters on a school's record, driven through real widgets on
a real temporary database."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from letters_ui_helpers import (  # tests/ui/letters/letters_ui_helpers.py
    ADVERSARIAL,
    answering,
    choose_template,
    on_its_text,
    open_merge,
    shown_pdfs,
    wait_done,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.letters.mail_merge_recipients import ALL_OPEN, SELECTED, SHOWN
from thep_desktop.ui.letters.templates_dialog import (
    TemplatesDialog,
)
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared import pdf_window
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui


def test_the_letters_menu_sits_between_edit_and_settings(
    qtbot: QtBot, window: MainWindow, viewer: Services
) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Letters") == titles.index("&Edit") + 1
    assert titles.index("Se&ttings") == titles.index("&Letters") + 1
    assert window.mail_merge_action.shortcut().toString() == "Ctrl+M"
    assert window.mail_merge_action.isEnabled() and window.templates_action.isEnabled()

    looking = MainWindow(viewer)
    qtbot.addWidget(looking)
    assert not looking.mail_merge_action.isEnabled()
    assert looking.templates_action.isEnabled()  # read only
    opened: list[object] = []
    looking.run_dialog = opened.append  # type: ignore[assignment]
    looking.templates_action.trigger()
    assert isinstance(opened[0], TemplatesDialog) and not opened[0].can_edit


def test_mail_merge_to_two_selected_schools_files_and_history(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    qtmodeltester,
) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    assert dialog.radios[SELECTED].isChecked()
    assert dialog.radios[SELECTED].text() == "&Selected schools (2)"
    assert dialog.radios[SHOWN].text().endswith("(3)")
    assert dialog.radios[ALL_OPEN].text().endswith("(3)")
    choose_template(dialog, "Summer programme")
    assert dialog.contact_role.currentText() == "Head teacher"  # the template's
    assert not dialog.mailing_group.isVisibleTo(dialog)  # nothing to type for this one
    assert sorted(r[0] for r in dialog.recipient_rows()) == sorted(
        [ADVERSARIAL, "Bow Common Nursery School"]
    )
    assert "2 letters" in dialog.check_summary.text()
    qtmodeltester.check(dialog.recipients_model)

    combined = tmp_path / "out" / "Summer.pdf"
    folder = tmp_path / "each"
    combined.parent.mkdir()
    folder.mkdir()
    dialog.choose_file = lambda _parent, _suggested: str(combined)
    dialog.choose_folder = lambda _parent, _start: str(folder)
    qtbot.mouseClick(dialog.combined_button, Qt.MouseButton.LeftButton)
    dialog.folder_check.setChecked(True)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert dialog.combined_path.text() == str(combined)
    assert dialog.folder_path.text() == str(folder)
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)

    result = dialog.merge_result
    assert result is not None and result.letters == 2
    assert combined.exists()
    pdf = combined.read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert len(list(folder.glob("*.pdf"))) == 2
    assert not list(combined.parent.glob("*.partial")) and not list(folder.glob("*.partial"))
    assert shown_pdfs[dialog][0][0] == pdf  # the print run opens in the document window
    assert shown_pdfs[dialog][0][2] == "Summer.pdf"
    assert not dialog.isVisible()  # done: the window closes

    # The school's record lists the letter, newest first, as a link that opens it as sent.
    tab.select_ids([schools["mary"]])
    page = tab.detail.toHtml()
    assert "Letters sent" in page
    assert "Summer programme for St Mary &amp; St John's &lt;Primary&gt;" in page
    assert "letter:" in page and "jo.bloggs" in page
    assert len(tab.letters_shown) == 1
    opened: list[PdfWindow] = []

    def show(parent, data, title, name):  # type: ignore[no-untyped-def]
        shown = pdf_window.show_pdf(parent, data, title, name)
        qtbot.addWidget(shown)
        opened.append(shown)
        return shown

    tab.show_pdf = show
    tab.detail.setFocus()
    qtbot.keyClick(tab.detail, Qt.Key.Key_Tab)  # to the first link
    qtbot.keyClick(tab.detail, Qt.Key.Key_Return)  # and open it
    assert len(opened) == 1
    sent = next(p for p in folder.glob("*.pdf") if "St Mary" in p.name)
    assert opened[0].pdf == sent.read_bytes()  # exactly as sent to that school
    qtbot.waitUntil(lambda: opened[0].page_count == 1, timeout=20_000)
    assert "St Mary" in opened[0].windowTitle()


def test_a_letter_needing_mailing_values_is_refused_until_they_are_typed(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Notice of general meeting")
    assert dialog.mailing_group.isVisibleTo(dialog)
    assert set(dialog.mailing_inputs) == {
        "meeting.name",
        "meeting.place",
        "meeting.date",
        "meeting.time",
        "meeting.business",
    }
    target = tmp_path / "Notice.pdf"
    dialog.combined_path.setText(str(target))
    assert dialog.produce() is None
    assert dialog.messages.message("mailing.meeting.date") == "Needed for this letter."
    assert "Nothing was produced" in dialog.banner.text()
    assert not target.exists()

    for name, value in {
        "meeting.name": "Annual General Meeting",
        "meeting.place": "Professional Development Centre",
        "meeting.date": "Thursday 14 January 2027",
        "meeting.time": "4.00 pm",
        "meeting.business": "to receive the accounts",
    }.items():
        dialog.mailing_inputs[name].setText(value)
    assert dialog.produce() is not None
    wait_done(qtbot, dialog)
    assert target.exists()
    text = " ".join(PdfReader(str(target)).pages[0].extract_text().split())
    assert "Thursday 14 January 2027" in text
    assert services.letters.correspondence(services.actor, schools["bow"])


def test_cancel_leaves_no_file_and_no_record(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    target = tmp_path / "Cancelled.pdf"
    dialog.combined_path.setText(str(target))
    real_produce = services.letters.produce

    def cancelled_at_once(*args, progress, **kw):  # type: ignore[no-untyped-def]
        progress.cancel()  # as if Cancel was pressed before the first letter
        return real_produce(*args, progress=progress, **kw)

    monkeypatch.setattr(services.letters, "produce", cancelled_at_once)
    assert dialog.produce() is not None
    wait_done(qtbot, dialog)
    assert dialog.job is not None and dialog.job.cancelled
    assert dialog.merge_result is None
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.partial")) == []
    assert services.letters.correspondence(services.actor, schools["mary"]) == []
    assert "Cancelled" in dialog.banner.text()
    assert dialog.isVisible() and dialog.produce_button.isEnabled()


def test_fallbacks_and_schools_left_out_are_listed_before_producing(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)  # nothing selected: the schools shown
    assert not dialog.radios[SELECTED].isEnabled()
    assert dialog.radios[SHOWN].isChecked()
    choose_template(dialog, "Summer programme")
    dialog.contact_role.setCurrentText("School business manager")
    dialog.check_recipients()
    notes = {school: note for school, _to, note in dialog.recipient_rows()}
    assert notes[ADVERSARIAL] == ""
    assert notes["Bow Common Nursery School"].startswith("No school business manager is recorded")
    assert notes["Nowhere School"].startswith("Left out: no postal address")
    addressed = {school: to for school, to, _note in dialog.recipient_rows()}
    assert addressed[ADVERSARIAL] == "Mr Tom Price"
    assert addressed["Bow Common Nursery School"] == "The School Business Manager"
    assert "2 letters" in dialog.check_summary.text()
    assert "1 school left out" in dialog.check_summary.text()

    target = tmp_path / "Summer.pdf"
    dialog.combined_path.setText(str(target))
    informed: list[str] = []
    dialog.inform = lambda _parent, _title, text: informed.append(text)
    dialog.produce()
    wait_done(qtbot, dialog)
    assert target.exists()
    assert "2 letters" in informed[0]
    assert "Nowhere School: no postal address" in informed[0]
    assert "Bow Common Nursery School: no school business manager" in informed[0]


def test_a_template_needing_membership_records_says_why_each_school_is_left_out(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Welcome to membership")  # still offered
    assert dialog.membership_note.isVisibleTo(dialog)
    note = dialog.membership_note.text()
    assert "needs each recipient's membership record" in note and "fee due" in note
    assert "{" not in note  # words, not merge codes
    notes = [note for _school, _to, note in dialog.recipient_rows()]
    assert len(notes) == 2
    assert all(
        n == "Left out: the letter needs a membership record, and the school is not a member"
        for n in notes
    )
    assert all("{" not in n for n in notes)
    assert "No letters can be produced" in dialog.check_summary.text()
    # Produce is off, and says why beside it.
    assert not dialog.produce_button.isEnabled()
    assert "every one is left out" in dialog.produce_note.text()
    assert "every one is left out" in dialog.produce_button.toolTip()

    target = tmp_path / "Welcome.pdf"
    dialog.combined_path.setText(str(target))
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None and not target.exists()
    assert services.letters.correspondence(services.actor, schools["bow"]) == []
    assert dialog.isVisible()
    # Another template that can be made: Produce comes back on.
    choose_template(dialog, "Peer-review visit confirmation")
    qtbot.waitUntil(lambda: dialog.produce_button.isEnabled())
    assert dialog.produce_note.text() == ""


def test_output_choices_are_checked_before_anything_runs(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
) -> None:
    window.schools_tab.select_ids([schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    dialog.combined_check.setChecked(False)
    assert dialog.produce() is None
    assert "or both" in dialog.messages.message("output")

    dialog.combined_check.setChecked(True)
    dialog.combined_path.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.letter_date.setText("31/02/2026")
    assert dialog.produce() is None
    assert "does not exist" in dialog.messages.message("combined_file")
    assert "not a real date" in dialog.messages.message("letter_date")
    assert dialog.job is None

    existing = tmp_path / "Existing.pdf"
    existing.write_bytes(b"old")
    dialog.combined_path.setText(str(existing))
    dialog.letter_date.setText("22/11/2026")
    asked, dialog.ask = answering("Cancel")
    assert dialog.produce() is None
    assert "already exists" in asked[0][0]
    assert existing.read_bytes() == b"old"


def test_who_gets_a_letter_can_be_exported(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    own_template: int,
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)
    choose_template(dialog, "Summer programme")
    target = tmp_path / "recipients.csv"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    dialog.ask = lambda *_a: "Close"
    dialog.export_button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "School or member,Addressed to,Note"
    assert len(lines) == 1 + len(dialog.recipient_rows())
    assert any(line.startswith("Nowhere School,") and "no postal address" in line for line in lines)


def test_all_open_schools_leaves_out_those_proposed_until_ticked(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    merges: list[MailMergeDialog],
    window: MainWindow,
    own_template: int,
) -> None:
    services.schools.create_school(
        services.actor,
        SchoolInput(urn="100299", name="Aardvark Free School", status="proposed_to_open"),
    )
    window.schools_tab.select_ids([])
    dialog = open_merge(window, merges)
    qtbot.mouseClick(
        dialog.radios[ALL_OPEN], Qt.MouseButton.LeftButton, pos=on_its_text(dialog.radios[ALL_OPEN])
    )
    assert dialog.radios[ALL_OPEN].isChecked()
    assert dialog.radios[ALL_OPEN].text().replace("&", "") == "All open schools (3)"
    box = dialog.proposed_check
    assert box.isEnabled() and not box.isChecked()
    assert box.text().replace("&", "") == "Include schools proposed to open (1)"
    dialog.check_recipients()
    assert "Aardvark Free School" not in [row[0] for row in dialog.recipient_rows()]

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=on_its_text(box))
    assert box.isChecked()
    assert dialog.radios[ALL_OPEN].text().replace("&", "") == "All open schools (4)"
    qtbot.waitUntil(lambda: "Aardvark Free School" in [row[0] for row in dialog.recipient_rows()])


def test_produce_is_off_with_the_reason_when_nobody_signs_or_the_role_is_unknown(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    merges: list[MailMergeDialog],
    window: MainWindow,
) -> None:
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    choose_template(dialog, "Peer-review visit confirmation")
    assert dialog.produce_button.isEnabled() and dialog.produce_note.text() == ""

    # A role nobody in the register has, typed into the contact box.
    role = dialog.contact_role.lineEdit()
    role.setFocus()
    role.selectAll()
    qtbot.keyClicks(role, "Cheif Exec")
    qtbot.waitUntil(lambda: not dialog.produce_button.isEnabled())
    assert "No contact in the register has the role “Cheif Exec”" in dialog.produce_note.text()
    assert "Head teacher" in dialog.messages.message("contact_role")
    assert dialog.recipient_rows() == []
    role.selectAll()
    qtbot.keyClicks(role, "Head teacher")
    qtbot.waitUntil(dialog.produce_button.isEnabled)
    assert dialog.messages.message("contact_role") == ""

    # Nobody to sign: the organisation profile has no default signatory.
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor, replace(profile, signatory_name="", signatory_position="")
    )
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert not dialog.produce_button.isEnabled()
    assert "Nobody signs this letter" in dialog.produce_note.text()
    assert "Organisation profile" in dialog.produce_button.toolTip()


def test_a_folder_that_cannot_be_written_to_is_named_and_nothing_is_recorded(
    qtbot: QtBot,
    window: MainWindow,
    merges: list[MailMergeDialog],
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
) -> None:
    """Once "Something went wrong … Operation not permitted"; now the folder, in words."""
    from read_only_folders import read_only_folder  # tests/read_only_folders.py

    told: list[tuple[str, str]] = []
    window.schools_tab.select_ids([schools["mary"], schools["bow"]])
    dialog = open_merge(window, merges)
    dialog.tell = lambda _parent, title, text: told.append((title, text))
    choose_template(dialog, "Summer programme")
    with read_only_folder(tmp_path / "Shared letters") as folder:
        for check in (dialog.combined_check, dialog.folder_check):  # only one PDF per school
            qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=on_its_text(check))
        dialog.choose_folder = lambda _parent, _start: str(folder)
        qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
        wait_done(qtbot, dialog)
        assert list(folder.iterdir()) == []
    words = (
        f"The folder {folder} cannot be written to (it is read-only or you do not have "
        "permission). Choose another folder."
    )
    assert dialog.banner.text() == f"No letters were produced. {words}"
    assert dialog.messages.message("recipient_folder") == words  # beside the folder's box
    assert told == []  # said in the window, as any entry to put right
    assert dialog.merge_result is None and dialog.isVisible()
    assert dialog.folder_path.text() == str(folder)  # what the user chose stays
    for school_id in schools.values():
        assert services.letters.correspondence(services.actor, school_id) == []


def test_the_summary_says_what_was_put_right_from_an_earlier_merge() -> None:
    from thep_desktop.services.letters.letters_service import MergeResult
    from thep_desktop.ui.letters.mail_merge_job import summary_text

    note = "A mail merge of 30/11/2026 12:04 stopped before it finished: nothing was recorded."
    text = summary_text(MergeResult(2, 2, Path("run.pdf"), (), (), (), earlier=(note,)))
    assert text.endswith("\n\n" + note)


def test_letters_of_a_merge_that_has_not_finished_are_not_shown_as_sent(
    qtbot: QtBot, window: MainWindow, services: Services, schools: dict[str, int]
) -> None:
    """A merge still running, or killed part-way, has its history pending: not "Letters sent"."""
    from thep_desktop.models import Correspondence, Document, LetterBatch

    with services.db.session() as session:
        batch = LetterBatch(state="pending", computer="PC", lock_path="", created_by="jo",
                            updated_by="jo")  # fmt: skip
        document = Document(title="Pending", filename="p.pdf", sha256="0" * 64, pages=1,
                            size=4, pdf=b"%PDF", created_by="jo", updated_by="jo")  # fmt: skip
        session.add_all([batch, document])
        session.flush()
        session.add(
            Correspondence(school_id=schools["bow"], document_id=document.id, batch_id=batch.id,
                           subject="Not sent yet", created_by="jo", updated_by="jo")
        )  # fmt: skip
        batch_id = batch.id
    tab = window.schools_tab
    tab.select_ids([schools["bow"]])
    assert "Not sent yet" not in tab.detail.toHtml() and tab.letters_shown == []

    with services.db.session() as session:
        found = session.get(LetterBatch, batch_id)
        assert found is not None
        found.state = "confirmed"  # every file in its place
    tab.select_ids([schools["mary"]])
    tab.select_ids([schools["bow"]])
    assert "Not sent yet" in tab.detail.toHtml() and len(tab.letters_shown) == 1


@pytest.mark.parametrize(
    ("point", "left", "said"),
    [
        ("recorded", 0, "stopped before it finished: nothing was recorded"),
        ("placed", 2, "stopped before it finished, after saving all its"),
    ],
)
def test_a_merge_killed_part_way_is_put_right_as_the_window_opens(
    qtbot: QtBot,
    services: Services,
    schools: dict[str, int],
    own_template: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    left: int,
    said: str,
) -> None:
    """The next start finishes or undoes it: all the letters with their history, or none,
    and no hidden working folder; the status bar says which."""
    from killed_merges import merge_killed_at  # tests/killed_merges.py

    out = tmp_path / "letters"
    out.mkdir()
    ids = [schools["mary"], schools["bow"]]
    merge_killed_at(
        point, services.letters, services.actor, own_template, ids, monkeypatch,
        recipient_folder=out,
    )  # fmt: skip
    assert [p for p in out.iterdir() if p.name.startswith(".")]  # the kill left its work
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.load()
    qtbot.waitUntil(lambda: said in window.statusBar().currentMessage(), timeout=10_000)
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf"] * left  # nothing hidden
    sent = [len(services.letters.correspondence(services.actor, i)) for i in ids]
    assert sent == [1 if left else 0] * 2


def test_the_mail_merge_does_not_offer_the_invoice_reminders(
    qtbot: QtBot, window: MainWindow, merges: list[MailMergeDialog]
) -> None:
    """A reminder is about one invoice: it is sent from the invoices, so Letters > Mail merge
    lists every other template and none of the three reminders."""
    dialog = open_merge(window, merges)
    offered = [dialog.template_combo.itemText(i) for i in range(dialog.template_combo.count())]
    assert "Notice of general meeting" in offered and "Annual fee covering letter" in offered
    assert not [name for name in offered if name.startswith("Invoice reminder")]
    # They are still there to edit, in Letters > Templates.
    listed = [t.name for t in window.services.letters.list_templates(window.services.actor)]
    assert {"Invoice reminder: 1st", "Invoice reminder: 2nd", "Invoice reminder: final"} <= set(
        listed
    )
